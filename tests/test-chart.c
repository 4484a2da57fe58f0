/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The charts' data computed from a known history: points, gaps, threshold, units and ticks. */
#include "config.h"

#include <math.h>

#include <gtk/gtk.h>

#include "drs-chart.h"
#include "drs-history.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"

#define JOB "8d0e8e36-a618-490d-8a46-8c61ac9jb502"
#define MINUTE ((gint64) 60 * G_USEC_PER_SEC)

/* 2024-01-01 10:00:00 UTC */
#define T0 ((gint64) 1704103200 * G_USEC_PER_SEC)

static DrsHistory *
open_history (void)
{
  g_autoptr (GError) error = NULL;
  static guint     n;
  g_autofree char *name = g_strdup_printf ("chart-%u.db", ++n);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  DrsHistory      *history;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  history = drs_history_open (path, &error);
  g_assert_no_error (error);
  return history;
}

static void
record (DrsHistory *history, gint64 time_us, double progress, gint64 delay_ms)
{
  DrsSample sample = { 0 };

  sample.time_us = time_us;
  sample.progress = progress;
  sample.delay_ms = delay_ms;
  sample.status =
      delay_ms >= 0 ? DRS_JOB_STATUS_INCRE_TRANSFER_STARTED : DRS_JOB_STATUS_FULL_TRANSFER_STARTED;
  for (guint i = 0; i < 3; i++)
    sample.phases[i] = DRS_UNKNOWN;
  g_assert_true (drs_history_record_sample (history, JOB, &sample));
}

/* 20 minutes of samples a minute apart, 30 minutes with none (the app was closed), 10 more. */
static GArray *
known_history (DrsHistory *history)
{
  g_autoptr (GError) error = NULL;
  GArray *samples;

  for (int i = 0; i < 20; i++)
    record (history, T0 + i * MINUTE, 50 + i, (gint64) i * 30 * 1000);
  for (int i = 0; i < 10; i++)
    record (history, T0 + (49 + i) * MINUTE, 80 + i, (gint64) (29 - i) * 30 * 1000);
  drs_history_flush (history);

  samples = drs_history_query (history, JOB, &(DrsTimeRange){ T0 - 5 * MINUTE, T0 + 60 * MINUTE },
                               1000, &error);
  g_assert_no_error (error);
  return samples;
}

static void
test_delay_model (void)
{
  g_autoptr (DrsHistory) history = open_history ();
  g_autoptr (GArray) samples = known_history (history);
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (DrsChartModel) model = NULL;
  GArray             *first, *second;
  const DrsChartGap  *gap;
  const DrsChartTick *tick;

  /* 30 samples and one gap marker between them. */
  g_assert_cmpuint (samples->len, ==, 31);

  model = drs_chart_model_new (DRS_CHART_DELAY, (const DrsSample *) samples->data, samples->len,
                               &(DrsTimeRange){ T0 - 5 * MINUTE, T0 + 60 * MINUTE }, 5 * 60 * 1000,
                               7, utc);
  g_assert_cmpint (model->from_us, ==, T0 - 5 * MINUTE);
  g_assert_cmpint (model->to_us, ==, T0 + 60 * MINUTE);

  /* Two unbroken runs with the not-polled stretch between them. */
  g_assert_cmpuint (model->n_points, ==, 30);
  g_assert_cmpuint (model->segments->len, ==, 2);
  first = model->segments->pdata[0];
  second = model->segments->pdata[1];
  g_assert_cmpuint (first->len, ==, 20);
  g_assert_cmpuint (second->len, ==, 10);
  g_assert_cmpuint (model->gaps->len, ==, 1);
  gap = &g_array_index (model->gaps, DrsChartGap, 0);
  g_assert_cmpint (gap->from_us, ==, T0 + 19 * MINUTE);
  g_assert_cmpint (gap->to_us, ==, T0 + 49 * MINUTE);

  /* The largest delay is 14.5 min: the axis counts minutes, the threshold is 5 of them. */
  g_assert_cmpstr (model->unit, ==, "min");
  g_assert_cmpfloat (model->unit_ms, ==, 60000);
  g_assert_cmpfloat_with_epsilon (model->threshold, 5.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (g_array_index (first, DrsChartPoint, 19).value, 9.5, 1e-9);
  g_assert_cmpint (g_array_index (first, DrsChartPoint, 19).time_us, ==, T0 + 19 * MINUTE);
  g_assert_cmpfloat_with_epsilon (g_array_index (second, DrsChartPoint, 0).value, 14.5, 1e-9);
  g_assert_cmpfloat (model->y_max, >=, 14.5);
  g_assert_cmpfloat (model->y_max, <=, 20);

  /* Value ticks from 0 to the top, with the unit. */
  g_assert_cmpuint (model->y_ticks->len, >=, 3);
  tick = &g_array_index (model->y_ticks, DrsChartTick, 0);
  g_assert_cmpfloat (tick->value, ==, 0);
  g_assert_cmpstr (tick->label, ==, "0 min");
  tick = &g_array_index (model->y_ticks, DrsChartTick, model->y_ticks->len - 1);
  g_assert_cmpfloat (tick->value, ==, model->y_max);
  g_assert_true (g_str_has_suffix (tick->label, " min"));

  /* Time ticks at round local times: 65 minutes in at most 7 labels → every 10 minutes. */
  g_assert_cmpuint (model->x_ticks->len, ==, 7);
  tick = &g_array_index (model->x_ticks, DrsChartTick, 0);
  g_assert_cmpfloat (tick->value, ==, (double) T0);
  g_assert_cmpstr (tick->label, ==, "10:00");
  tick = &g_array_index (model->x_ticks, DrsChartTick, 6);
  g_assert_cmpstr (tick->label, ==, "11:00");

  /* The read-out finds the nearest point, and nothing inside the gap. */
  {
    DrsChartPoint    point;
    g_autofree char *text = NULL;

    g_assert_true (drs_chart_model_nearest (model, T0 + 10 * MINUTE + 20 * G_USEC_PER_SEC, &point));
    g_assert_cmpint (point.time_us, ==, T0 + 10 * MINUTE);
    text = drs_chart_model_format_value (model, point.value);
    g_assert_cmpstr (text, ==, "5 min");
    g_assert_false (drs_chart_model_nearest (model, T0 + 30 * MINUTE, &point));
  }
}

static void
test_units_and_threshold (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  DrsSample samples[3] = { 0 };
  g_autoptr (DrsChartModel) seconds = NULL;
  g_autoptr (DrsChartModel) hours = NULL;
  g_autoptr (DrsChartModel) none = NULL;

  for (guint i = 0; i < 3; i++)
    {
      samples[i].time_us = T0 + i * MINUTE;
      samples[i].progress = DRS_UNKNOWN;
      samples[i].delay_ms = (gint64) (i + 1) * 10 * 1000;
    }
  /* Delays of seconds, no threshold given: seconds, no line. */
  seconds = drs_chart_model_new (DRS_CHART_DELAY, samples, 3,
                                 &(DrsTimeRange){ T0, T0 + 5 * MINUTE }, 0, 6, utc);
  g_assert_cmpstr (seconds->unit, ==, "s");
  g_assert_cmpfloat (seconds->threshold, <, 0);
  g_assert_cmpfloat (seconds->y_max, >=, 30);

  /* A threshold of three hours sets the scale even when the delays are small. */
  hours = drs_chart_model_new (DRS_CHART_DELAY, samples, 3, &(DrsTimeRange){ T0, T0 + 5 * MINUTE },
                               3 * 3600 * 1000, 6, utc);
  g_assert_cmpstr (hours->unit, ==, "h");
  g_assert_cmpfloat_with_epsilon (hours->threshold, 3, 1e-9);
  g_assert_cmpfloat (hours->y_max, >=, 3);

  /* Progress unknown everywhere: no point, no segment. */
  none = drs_chart_model_new (DRS_CHART_PROGRESS, samples, 3,
                              &(DrsTimeRange){ T0, T0 + 5 * MINUTE }, 0, 6, utc);
  g_assert_cmpuint (none->n_points, ==, 0);
  g_assert_cmpuint (none->segments->len, ==, 0);
  g_assert_cmpfloat (none->y_max, ==, 100);
  g_assert_cmpstr (g_array_index (none->y_ticks, DrsChartTick, 4).label, ==, "100%");
}

static void
test_unknown_breaks_line (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  DrsSample samples[5] = { 0 };
  g_autoptr (DrsChartModel) model = NULL;

  for (guint i = 0; i < 5; i++)
    {
      samples[i].time_us = T0 + i * MINUTE;
      samples[i].progress = 10.0 * i;
      /* Not in the incremental phase in the middle sample. */
      samples[i].delay_ms = i == 2 ? DRS_UNKNOWN : 1000;
    }
  model = drs_chart_model_new (DRS_CHART_DELAY, samples, 5, &(DrsTimeRange){ T0, T0 + 5 * MINUTE },
                               0, 6, utc);
  g_assert_cmpuint (model->segments->len, ==, 2);
  g_assert_cmpuint (model->n_points, ==, 4);
  /* An unknown value is not a stretch without polling. */
  g_assert_cmpuint (model->gaps->len, ==, 0);

  g_clear_pointer (&model, drs_chart_model_free);
  model = drs_chart_model_new (DRS_CHART_PROGRESS, samples, 5,
                               &(DrsTimeRange){ T0, T0 + 5 * MINUTE }, 0, 6, utc);
  g_assert_cmpuint (model->segments->len, ==, 1);
  g_assert_cmpuint (model->n_points, ==, 5);
}

static void
test_week_ticks (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (DrsChartModel) week = NULL;
  g_autoptr (DrsChartModel) day = NULL;
  gint64 to = T0;
  gint64 from = to - 7 * 24 * 60 * MINUTE;

  /* A week in six labels: one per two days, at local midnights. */
  week = drs_chart_model_new (DRS_CHART_PROGRESS, NULL, 0, &(DrsTimeRange){ from, to }, 0, 6, utc);
  g_assert_cmpuint (week->x_ticks->len, >=, 3);
  g_assert_cmpuint (week->x_ticks->len, <=, 6);
  for (guint i = 0; i < week->x_ticks->len; i++)
    {
      const DrsChartTick *tick = &g_array_index (week->x_ticks, DrsChartTick, i);

      g_assert_cmpint ((gint64) tick->value % (24 * 60 * MINUTE), ==, 0);
      g_assert_cmpfloat (tick->value, >=, (double) from);
      g_assert_cmpfloat (tick->value, <=, (double) to);
    }
  /* 2024-01-01 is a Monday. */
  g_assert_cmpstr (g_array_index (week->x_ticks, DrsChartTick, week->x_ticks->len - 1).label, ==,
                   "Mon 1");

  /* A day: hours, and the day's name at midnight. */
  day = drs_chart_model_new (DRS_CHART_PROGRESS, NULL, 0,
                             &(DrsTimeRange){ to - 24 * 60 * MINUTE, to }, 0, 9, utc);
  for (guint i = 0; i < day->x_ticks->len; i++)
    {
      const DrsChartTick *tick = &g_array_index (day->x_ticks, DrsChartTick, i);

      if ((gint64) tick->value % (24 * 60 * MINUTE) == 0)
        g_assert_cmpstr (tick->label, ==, "Mon");
      else
        g_assert_true (strchr (tick->label, ':') != NULL);
    }
  g_assert_cmpuint (day->x_ticks->len, ==, 8);
}

static void
test_widget_hover (void)
{
  g_autoptr (DrsHistory) history = open_history ();
  g_autoptr (GArray) samples = known_history (history);
  GtkWidget           *window = gtk_window_new ();
  GtkWidget           *chart = drs_chart_new (DRS_CHART_DELAY);
  const DrsChartModel *model;

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 220);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  drs_chart_set_threshold_ms (DRS_CHART (chart), 5 * 60 * 1000);
  drs_chart_set_samples (DRS_CHART (chart), samples, T0 - 5 * MINUTE, T0 + 60 * MINUTE);
  gtk_window_present (GTK_WINDOW (window));
  DRS_TEST_SPIN_UNTIL (gtk_widget_get_width (chart) >= 600, 10000);

  model = drs_chart_get_model (DRS_CHART (chart));
  g_assert_cmpuint (model->n_points, ==, 30);
  g_assert_cmpfloat_with_epsilon (model->threshold, 5, 1e-9);

  /* Over the right end: the last point's time and value. */
  drs_chart_hover (DRS_CHART (chart), gtk_widget_get_width (chart) - 1);
  g_assert_nonnull (drs_chart_get_hover_text (DRS_CHART (chart)));
  g_assert_true (strstr (drs_chart_get_hover_text (DRS_CHART (chart)), "10 min") != NULL);
  /* Leaving clears it. */
  drs_chart_hover (DRS_CHART (chart), -1);
  g_assert_null (drs_chart_get_hover_text (DRS_CHART (chart)));

  /* Narrow: fewer time labels, the same data. */
  {
    guint wide_ticks = model->x_ticks->len;

    gtk_widget_set_size_request (chart, 200, 120);
    gtk_window_set_default_size (GTK_WINDOW (window), 200, 120);
    DRS_TEST_SPIN_UNTIL (gtk_widget_get_width (chart) <= 260, 10000);
    model = drs_chart_get_model (DRS_CHART (chart));
    g_assert_cmpuint (model->x_ticks->len, <, wide_ticks);
    g_assert_cmpuint (model->x_ticks->len, >=, 2);
    g_assert_cmpuint (model->n_points, ==, 30);
    drs_chart_hover (DRS_CHART (chart), gtk_widget_get_width (chart) - 1);
    g_assert_nonnull (drs_chart_get_hover_text (DRS_CHART (chart)));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Whether the line the chart drew passes through @area (walked in half-pixel steps). */
static gboolean
line_covers (DrsChart *chart, const graphene_rect_t *area)
{
  const DrsChartModel *model = drs_chart_get_model (chart);
  graphene_rect_t      stroke;

  /* The line is 2 px wide. */
  graphene_rect_inset_r (area, -1, -1, &stroke);
  for (guint s = 0; s < model->segments->len; s++)
    {
      GArray *segment = model->segments->pdata[s];

      for (guint i = 0; i + 1 < MAX (segment->len, 2); i++)
        {
          const DrsChartPoint *a = &g_array_index (segment, DrsChartPoint, i);
          const DrsChartPoint *b =
              &g_array_index (segment, DrsChartPoint, MIN (i + 1, segment->len - 1));
          double ax, ay, bx, by, steps;

          g_assert_true (drs_chart_point_to_widget (chart, a, &ax, &ay));
          g_assert_true (drs_chart_point_to_widget (chart, b, &bx, &by));
          steps = MAX (ceil (MAX (fabs (bx - ax), fabs (by - ay)) * 2), 1);
          for (double k = 0; k <= steps; k++)
            {
              graphene_point_t p =
                  GRAPHENE_POINT_INIT (ax + (bx - ax) * k / steps, ay + (by - ay) * k / steps);

              if (graphene_rect_contains_point (&stroke, &p))
                return TRUE;
            }
        }
    }
  return FALSE;
}

/* A delay that hugs the alert threshold, crosses it, or zigzags all over: the "Alert" label is
 * never drawn over the line. */
static void
test_alert_label_clear (void)
{
  static const char *const shapes[] = { "above", "below", "crossing", "zigzag", "empty" };
  GtkWidget               *window = gtk_window_new ();
  GtkWidget               *chart = drs_chart_new (DRS_CHART_DELAY);
  gint64                   threshold_ms = 5 * 60 * 1000;

  /* The size the details pane gives it. */
  gtk_widget_set_size_request (chart, 380, 150);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  drs_chart_set_threshold_ms (DRS_CHART (chart), threshold_ms);
  gtk_window_present (GTK_WINDOW (window));
  DRS_TEST_SPIN_UNTIL (gtk_widget_get_width (chart) >= 380, 10000);

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr (GArray) samples = g_array_new (FALSE, TRUE, sizeof (DrsSample));
      graphene_rect_t area;

      for (int m = 0; m < 60 && !g_str_equal (shapes[i], "empty"); m++)
        {
          DrsSample sample = { 0 };
          double    factor;

          if (g_str_equal (shapes[i], "above"))
            factor = 1.08; /* just where the label used to be */
          else if (g_str_equal (shapes[i], "below"))
            factor = 0.93;
          else if (g_str_equal (shapes[i], "crossing"))
            factor = 0.5 + m / 40.0;
          else
            factor = m % 2 ? 0.2 : 1.8;
          sample.time_us = T0 + m * MINUTE;
          sample.delay_ms = (gint64) (threshold_ms * factor);
          sample.progress = 100;
          for (guint k = 0; k < 3; k++)
            sample.phases[k] = DRS_UNKNOWN;
          g_array_append_val (samples, sample);
        }
      drs_chart_set_samples (DRS_CHART (chart), samples, T0, T0 + 60 * MINUTE);
      drs_test_wait_frames (chart, 2);
      {
        g_autofree char *name = g_strdup_printf ("chart-alert-%s.png", shapes[i]);
        drs_test_save_screenshot (window, name);
      }

      g_assert_true (drs_chart_get_alert_area (DRS_CHART (chart), &area));
      g_assert_cmpfloat (area.size.width, >, 0);
      if (line_covers (DRS_CHART (chart), &area))
        g_error ("%s: the Alert label at %g,%g %gx%g covers the line", shapes[i], area.origin.x,
                 area.origin.y, area.size.width, area.size.height);
      /* Readable: inside the widget. */
      g_assert_cmpfloat (area.origin.x, >=, 0);
      g_assert_cmpfloat (area.origin.y, >=, 0);
      g_assert_cmpfloat (area.origin.x + area.size.width, <=, gtk_widget_get_width (chart));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  int              ret;

  dir = drs_test_init_gui (&argc, &argv);
  gtk_init ();

  g_test_add_func ("/chart/delay-model", test_delay_model);
  g_test_add_func ("/chart/units-and-threshold", test_units_and_threshold);
  g_test_add_func ("/chart/unknown-breaks-line", test_unknown_breaks_line);
  g_test_add_func ("/chart/week-ticks", test_week_ticks);
  g_test_add_func ("/chart/widget-hover", test_widget_hover);
  g_test_add_func ("/chart/alert-label-clear", test_alert_label_clear);
  ret = g_test_run ();
  drs_test_remove_dir (dir);
  return ret;
}

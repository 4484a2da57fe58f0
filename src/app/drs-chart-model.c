/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DrsChartModel: what a chart of a task's delay or progress shows, computed from its history
 * without drawing: the segments and gaps of the line, the value axis's unit, range and ticks, the
 * time axis's ticks in local time, and the point nearest a time. */
#define G_LOG_DOMAIN "drs-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "drs-chart-model.h"
#include "drs-format.h"

static void
tick_clear (gpointer data)
{
  DrsChartTick *tick = data;

  g_clear_pointer (&tick->label, g_free);
}

static double
nice_step (double rough)
{
  double exponent = floor (log10 (rough));
  double power = pow (10, exponent);
  double fraction = rough / power;

  if (fraction <= 1)
    return power;
  if (fraction <= 2)
    return 2 * power;
  if (fraction <= 5)
    return 5 * power;
  return 10 * power;
}

static char *
format_number (double value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  g_snprintf (text, sizeof text, "%.*f", fabs (value - round (value)) < 1e-9 ? 0 : 1, value);
  return g_strdup (text);
}

static char *
format_axis_value (const DrsChartModel *model, double value)
{
  g_autofree char *number = format_number (value);

  if (model->kind == DRS_CHART_PROGRESS)
    /* Translators: a percentage on a chart axis, e.g. "25%" */
    return g_strdup_printf (_ ("%s%%"), number);
  /* Translators: a value with its unit on a chart axis, e.g. "10 min" */
  return g_strdup_printf (C_ ("chart axis", "%s %s"), number, model->unit);
}

/**
 * drs_chart_model_format_value:
 * @value: in the model's unit
 *
 * Returns: (transfer full): the value for the hover read-out, e.g. "3 min 20 s" or "94%"
 */
char *
drs_chart_model_format_value (const DrsChartModel *model, double value)
{
  if (model->kind == DRS_CHART_PROGRESS)
    return drs_format_percent (value);
  return drs_format_delay ((gint64) llround (value * model->unit_ms));
}

static void
add_y_ticks (DrsChartModel *model, double top)
{
  double step;
  int    n;

  if (model->kind == DRS_CHART_PROGRESS)
    {
      model->y_max = 100;
      step = 25;
    }
  else
    {
      if (top <= 0)
        top = 1;
      step = nice_step (top * 1.08 / 4);
      model->y_max = ceil (top * 1.08 / step - 1e-9) * step;
    }

  n = (int) llround (model->y_max / step);
  for (int i = 0; i <= n; i++)
    {
      DrsChartTick tick = { i * step, NULL };

      tick.label = format_axis_value (model, tick.value);
      g_array_append_val (model->y_ticks, tick);
    }
}

/**
 * drs_chart_local_time:
 * @time_us: wall-clock microseconds
 * @time_zone: the zone to show it in
 *
 * Returns: (transfer full): @time_us in @time_zone, to the second
 */
GDateTime *
drs_chart_local_time (gint64 time_us, GTimeZone *time_zone)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);

  return g_date_time_to_timezone (utc, time_zone);
}

static void
add_x_ticks (DrsChartModel *model, guint max_ticks, GTimeZone *time_zone)
{
  static const gint64 steps_s[] = { 60,   120,   300,   600,   900,   1800,   3600,
                                    7200, 10800, 21600, 43200, 86400, 172800, 604800 };
  gint64              span_s = MAX ((model->to_us - model->from_us) / G_USEC_PER_SEC, 1);
  g_autoptr (GDateTime) start = drs_chart_local_time (model->from_us, time_zone);
  g_autoptr (GDateTime) midnight = NULL;
  gint64 step_s = steps_s[G_N_ELEMENTS (steps_s) - 1];

  max_ticks = MAX (max_ticks, 2);
  for (guint i = 0; i < G_N_ELEMENTS (steps_s); i++)
    if (span_s / steps_s[i] + 1 <= (gint64) max_ticks)
      {
        step_s = steps_s[i];
        break;
      }

  midnight =
      g_date_time_new (time_zone, g_date_time_get_year (start), g_date_time_get_month (start),
                       g_date_time_get_day_of_month (start), 0, 0, 0);

  if (step_s >= 86400)
    {
      /* Local midnights, whatever the length of the day. */
      guint days = (guint) (step_s / 86400);
      g_autoptr (GDateTime) day = g_date_time_ref (midnight);

      while (g_date_time_to_unix (day) * G_USEC_PER_SEC < model->from_us)
        {
          GDateTime *next = g_date_time_add_days (day, 1);
          g_date_time_unref (day);
          day = next;
        }
      while (g_date_time_to_unix (day) * G_USEC_PER_SEC <= model->to_us)
        {
          DrsChartTick tick = { (double) g_date_time_to_unix (day) * G_USEC_PER_SEC, NULL };
          GDateTime   *next;

          /* Translators: a day on a chart's time axis (strftime format), e.g. "Mon 12" */
          /* xgettext:no-c-format */
          tick.label = g_date_time_format (day, C_ ("chart day", "%a %-d"));
          g_array_append_val (model->x_ticks, tick);
          next = g_date_time_add_days (day, (int) days);
          g_date_time_unref (day);
          day = next;
        }
      return;
    }

  {
    gint64 base_us = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
    gint64 step_us = step_s * G_USEC_PER_SEC;
    gint64 first = base_us + ((model->from_us - base_us + step_us - 1) / step_us) * step_us;

    for (gint64 t = first; t <= model->to_us; t += step_us)
      {
        g_autoptr (GDateTime) when = drs_chart_local_time (t, time_zone);
        DrsChartTick tick = { (double) t, NULL };

        if (span_s > 12 * 3600 && g_date_time_get_hour (when) == 0 &&
            g_date_time_get_minute (when) == 0)
          /* Translators: midnight on a chart's time axis: the day (strftime format), e.g. "Tue" */
          /* xgettext:no-c-format */
          tick.label = g_date_time_format (when, C_ ("chart midnight", "%a"));
        else
          /* Translators: a time of day on a chart's time axis (strftime format) */
          tick.label = g_date_time_format (when, C_ ("chart time", "%H:%M"));
        g_array_append_val (model->x_ticks, tick);
      }
  }
}

static double
sample_value (DrsChartKind kind, const DrsSample *sample, double unit_ms)
{
  if (kind == DRS_CHART_PROGRESS)
    return sample->progress >= 0 ? sample->progress : NAN;
  return sample->delay_ms >= 0 ? sample->delay_ms / unit_ms : NAN;
}

/**
 * drs_chart_model_new:
 * @samples: (array length=n_samples): a task's history, oldest first, with gap markers (as
 *   drs_history_query() returns it)
 * @range: the two ends of the time axis
 * @threshold_ms: the delay alert threshold, or 0 for none (ignored for progress)
 * @max_x_ticks: the most time labels there is room for
 * @time_zone: (nullable): the zone of the time labels; %NULL for the local one
 *
 * Computes what a chart draws: unbroken segments of points (a gap marker or an unknown value
 * breaks the line), the not-polled stretches, the value axis in a unit that suits the largest
 * value (seconds, minutes or hours of delay; percent), and the ticks of both axes.
 *
 * Returns: (transfer full): the model
 */
DrsChartModel *
drs_chart_model_new (DrsChartKind        kind,
                     const DrsSample    *samples,
                     guint               n_samples,
                     const DrsTimeRange *range,
                     gint64              threshold_ms,
                     guint               max_x_ticks,
                     GTimeZone          *time_zone)
{
  g_autoptr (GTimeZone) local = time_zone ? g_time_zone_ref (time_zone) : g_time_zone_new_local ();
  DrsChartModel *model = g_new0 (DrsChartModel, 1);
  GArray        *segment = NULL;
  gint64         last_time = -1;
  gboolean       pending_gap = FALSE;
  double         top = 0;

  model->kind = kind;
  model->from_us = range->from_us;
  model->to_us = MAX (range->to_us, range->from_us + G_USEC_PER_SEC);
  model->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  model->gaps = g_array_new (FALSE, FALSE, sizeof (DrsChartGap));
  model->x_ticks = g_array_new (FALSE, FALSE, sizeof (DrsChartTick));
  model->y_ticks = g_array_new (FALSE, FALSE, sizeof (DrsChartTick));
  g_array_set_clear_func (model->x_ticks, tick_clear);
  g_array_set_clear_func (model->y_ticks, tick_clear);
  model->threshold = -1;
  model->unit_ms = 1;

  if (kind == DRS_CHART_PROGRESS)
    {
      /* Translators: the unit of a progress chart */
      model->unit = C_ ("chart unit", "%");
    }
  else
    {
      gint64 max_ms = MAX (threshold_ms, 0);

      for (guint i = 0; i < n_samples; i++)
        if (!samples[i].gap && samples[i].time_us >= range->from_us &&
            samples[i].time_us <= range->to_us)
          max_ms = MAX (max_ms, samples[i].delay_ms);

      if (max_ms < 120 * 1000)
        {
          /* Translators: seconds, the unit of a delay chart */
          model->unit = C_ ("chart unit", "s");
          model->unit_ms = 1000;
        }
      else if (max_ms < 120 * 60 * 1000)
        {
          /* Translators: minutes, the unit of a delay chart */
          model->unit = C_ ("chart unit", "min");
          model->unit_ms = 60 * 1000;
        }
      else
        {
          /* Translators: hours, the unit of a delay chart */
          model->unit = C_ ("chart unit", "h");
          model->unit_ms = 3600 * 1000;
        }
      if (threshold_ms > 0)
        model->threshold = threshold_ms / model->unit_ms;
      top = MAX (model->threshold, max_ms / model->unit_ms);
    }

  for (guint i = 0; i < n_samples; i++)
    {
      const DrsSample *sample = &samples[i];
      DrsChartPoint    point;

      if (sample->gap)
        {
          segment = NULL;
          pending_gap = TRUE;
          continue;
        }
      if (pending_gap && last_time >= 0)
        {
          DrsChartGap gap = { last_time, sample->time_us };
          g_array_append_val (model->gaps, gap);
        }
      pending_gap = FALSE;
      last_time = sample->time_us;

      point.time_us = sample->time_us;
      point.value = sample_value (kind, sample, model->unit_ms);
      if (isnan (point.value))
        {
          segment = NULL;
          continue;
        }
      if (segment == NULL)
        {
          segment = g_array_new (FALSE, FALSE, sizeof (DrsChartPoint));
          g_ptr_array_add (model->segments, segment);
        }
      g_array_append_val (segment, point);
      model->n_points++;
    }

  add_y_ticks (model, top);
  add_x_ticks (model, max_x_ticks, local);
  return model;
}

void
drs_chart_model_free (DrsChartModel *model)
{
  if (model == NULL)
    return;
  g_clear_pointer (&model->segments, g_ptr_array_unref);
  g_clear_pointer (&model->gaps, g_array_unref);
  g_clear_pointer (&model->x_ticks, g_array_unref);
  g_clear_pointer (&model->y_ticks, g_array_unref);
  g_free (model);
}

/**
 * drs_chart_model_nearest:
 * @point: (out): the point closest in time to @time_us
 *
 * Returns: %FALSE when the model has no point, or @time_us falls in a gap
 */
gboolean
drs_chart_model_nearest (const DrsChartModel *model, gint64 time_us, DrsChartPoint *point)
{
  gint64 best = G_MAXINT64;

  for (guint g = 0; g < model->gaps->len; g++)
    {
      const DrsChartGap *gap = &g_array_index (model->gaps, DrsChartGap, g);

      if (time_us > gap->from_us && time_us < gap->to_us)
        return FALSE;
    }
  for (guint s = 0; s < model->segments->len; s++)
    {
      GArray *segment = model->segments->pdata[s];

      for (guint i = 0; i < segment->len; i++)
        {
          const DrsChartPoint *p = &g_array_index (segment, DrsChartPoint, i);
          gint64               distance = ABS (p->time_us - time_us);

          if (distance < best)
            {
              best = distance;
              *point = *p;
            }
        }
    }
  return best != G_MAXINT64;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "drs-chart.h"
#include "drs-format.h"

/**
 * DrsChart:
 *
 * A line chart of one task's delay or progress over time, drawn with cairo: axes with units and
 * local times, the alert threshold as a dashed line, hatched bands where the task was not
 * polled, and a read-out under the pointer. What it shows is a #DrsChartModel, computed by
 * drs_chart_model_new() without drawing, so it can be tested on its own.
 */
struct _DrsChart
{
  GtkDrawingArea parent_instance;

  /* owned */
  GArray        *samples; /* DrsSample */
  GArray        *markers; /* gint64: when an action was taken */
  DrsChartModel *model;
  GTimeZone     *time_zone;
  char          *hover_text;

  DrsChartKind kind;
  gint64       from_us;
  gint64       to_us;
  gint64       threshold_ms;
  guint        model_ticks; /* the max_x_ticks the model was made for */
  double       hover_x;     /* widget coordinates, or < 0 */

  /* as last drawn, in widget coordinates */
  graphene_rect_t plot_area;
  graphene_rect_t alert_area;
  gboolean        alert_shown;
};

G_DEFINE_FINAL_TYPE (DrsChart, drs_chart, GTK_TYPE_DRAWING_AREA)

/* Room around the plot, in pixels. */
#define PAD_TOP 12.0
#define PAD_RIGHT 12.0
#define TICK_GAP 6.0
#define X_TICK_SPAN 64 /* at least this many pixels between time labels */

/* Model ---------------------------------------------------------------------------------------- */

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

static GDateTime *
local_time (gint64 time_us, GTimeZone *time_zone)
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
  g_autoptr (GDateTime) start = local_time (model->from_us, time_zone);
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
        g_autoptr (GDateTime) when = local_time (t, time_zone);
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
 * @from_us: the left end of the time axis
 * @to_us: the right end of the time axis
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
drs_chart_model_new (DrsChartKind     kind,
                     const DrsSample *samples,
                     guint            n_samples,
                     gint64           from_us,
                     gint64           to_us,
                     gint64           threshold_ms,
                     guint            max_x_ticks,
                     GTimeZone       *time_zone)
{
  g_autoptr (GTimeZone) local = time_zone ? g_time_zone_ref (time_zone) : g_time_zone_new_local ();
  DrsChartModel *model = g_new0 (DrsChartModel, 1);
  GArray        *segment = NULL;
  gint64         last_time = -1;
  gboolean       pending_gap = FALSE;
  double         top = 0;

  model->kind = kind;
  model->from_us = from_us;
  model->to_us = MAX (to_us, from_us + G_USEC_PER_SEC);
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
        if (!samples[i].gap && samples[i].time_us >= from_us && samples[i].time_us <= to_us)
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

/* Widget --------------------------------------------------------------------------------------- */

typedef struct
{
  double left, top, width, height;
} Plot;

static guint
max_x_ticks_for (int width)
{
  return MAX (width / X_TICK_SPAN, 2);
}

static void
ensure_model (DrsChart *self, int width)
{
  guint ticks = max_x_ticks_for (width > 0 ? width : 540);

  if (self->model != NULL && self->model_ticks == ticks)
    return;
  g_clear_pointer (&self->model, drs_chart_model_free);
  self->model = drs_chart_model_new (
      self->kind, self->samples ? (const DrsSample *) self->samples->data : NULL,
      self->samples ? self->samples->len : 0, self->from_us, self->to_us,
      self->kind == DRS_CHART_DELAY ? self->threshold_ms : 0, ticks, self->time_zone);
  self->model_ticks = ticks;
}

static void
invalidate (DrsChart *self)
{
  g_clear_pointer (&self->model, drs_chart_model_free);
  g_clear_pointer (&self->hover_text, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
lookup_color (GtkWidget *widget, const char *name, GdkRGBA *color, const char *fallback)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

static void
set_source (cairo_t *cr, const GdkRGBA *color, double alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static double
x_of (const DrsChartModel *model, const Plot *plot, double time_us)
{
  return plot->left +
         (time_us - model->from_us) / (double) (model->to_us - model->from_us) * plot->width;
}

static double
y_of (const DrsChartModel *model, const Plot *plot, double value)
{
  double v = CLAMP (value, 0, model->y_max);

  return plot->top + plot->height - v / model->y_max * plot->height;
}

static void
text_size (PangoLayout *layout, int *width, int *height)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  *width = logical.width;
  *height = logical.height;
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, double x, double y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_gaps (
    DrsChart *self, cairo_t *cr, const DrsChartModel *model, const Plot *plot, const GdkRGBA *fg)
{
  for (guint i = 0; i < model->gaps->len; i++)
    {
      const DrsChartGap *gap = &g_array_index (model->gaps, DrsChartGap, i);
      double             x0 = MAX (x_of (model, plot, gap->from_us), plot->left);
      double             x1 = MIN (x_of (model, plot, gap->to_us), plot->left + plot->width);

      if (x1 <= x0)
        continue;
      cairo_save (cr);
      cairo_rectangle (cr, x0, plot->top, x1 - x0, plot->height);
      cairo_clip (cr);
      set_source (cr, fg, 0.05);
      cairo_paint (cr);
      /* Hatching: "no data here", readable in both styles. */
      set_source (cr, fg, 0.12);
      cairo_set_line_width (cr, 1);
      for (double x = x0 - plot->height; x < x1; x += 8)
        {
          cairo_move_to (cr, x, plot->top + plot->height);
          cairo_line_to (cr, x + plot->height, plot->top);
        }
      cairo_stroke (cr);
      cairo_restore (cr);

      if (x1 - x0 > 70)
        {
          g_autoptr (PangoLayout) layout =
              gtk_widget_create_pango_layout (GTK_WIDGET (self), _ ("not polled"));
          int w, h;

          text_size (layout, &w, &h);
          set_source (cr, fg, 0.55);
          draw_text (cr, layout, (x0 + x1 - w) / 2, plot->top + 4);
        }
    }
}

static void
draw_line (cairo_t *cr, const DrsChartModel *model, const Plot *plot, const GdkRGBA *color)
{
  cairo_save (cr);
  cairo_rectangle (cr, plot->left, plot->top - 2, plot->width, plot->height + 4);
  cairo_clip (cr);
  for (guint s = 0; s < model->segments->len; s++)
    {
      GArray              *segment = model->segments->pdata[s];
      const DrsChartPoint *first = &g_array_index (segment, DrsChartPoint, 0);
      const DrsChartPoint *last = &g_array_index (segment, DrsChartPoint, segment->len - 1);

      /* The area under the line, faint. */
      cairo_move_to (cr, x_of (model, plot, first->time_us), plot->top + plot->height);
      for (guint i = 0; i < segment->len; i++)
        {
          const DrsChartPoint *p = &g_array_index (segment, DrsChartPoint, i);
          cairo_line_to (cr, x_of (model, plot, p->time_us), y_of (model, plot, p->value));
        }
      cairo_line_to (cr, x_of (model, plot, last->time_us), plot->top + plot->height);
      cairo_close_path (cr);
      set_source (cr, color, 0.15);
      cairo_fill (cr);

      for (guint i = 0; i < segment->len; i++)
        {
          const DrsChartPoint *p = &g_array_index (segment, DrsChartPoint, i);
          cairo_line_to (cr, x_of (model, plot, p->time_us), y_of (model, plot, p->value));
        }
      set_source (cr, color, 1);
      cairo_set_line_width (cr, 2);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      if (segment->len == 1)
        {
          /* A lone point is a dot, not an invisible line. */
          cairo_new_path (cr);
          cairo_arc (cr, x_of (model, plot, first->time_us), y_of (model, plot, first->value), 2.5,
                     0, 2 * G_PI);
          cairo_fill (cr);
        }
      else
        cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
draw_hover (DrsChart            *self,
            cairo_t             *cr,
            const DrsChartModel *model,
            const Plot          *plot,
            const GdkRGBA       *fg,
            const GdkRGBA       *line)
{
  g_autoptr (PangoLayout) layout = NULL;
  double        x, y, bx, by;
  int           w, h;
  DrsChartPoint point;

  if (self->hover_x < plot->left || self->hover_x > plot->left + plot->width ||
      self->hover_text == NULL)
    return;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->hover_text);
  text_size (layout, &w, &h);

  if (drs_chart_model_nearest (model,
                               model->from_us +
                                   (gint64) ((self->hover_x - plot->left) / plot->width *
                                             (model->to_us - model->from_us)),
                               &point))
    {
      x = x_of (model, plot, point.time_us);
      y = y_of (model, plot, point.value);
      set_source (cr, fg, 0.35);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, round (x) + 0.5, plot->top);
      cairo_line_to (cr, round (x) + 0.5, plot->top + plot->height);
      cairo_stroke (cr);
      set_source (cr, line, 1);
      cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  else
    x = self->hover_x;

  bx = CLAMP (x + 8, plot->left, plot->left + plot->width - w - 12);
  if (x + 8 + w + 12 > plot->left + plot->width)
    bx = MAX (plot->left, x - 8 - w - 12);
  by = plot->top + 2;
  set_source (cr, fg, 0.85);
  cairo_rectangle (cr, bx, by, w + 12, h + 6);
  cairo_fill (cr);
  {
    GdkRGBA bg;

    lookup_color (GTK_WIDGET (self), "view_bg_color", &bg, "#ffffff");
    set_source (cr, &bg, 1);
  }
  draw_text (cr, layout, bx + 6, by + 3);
}

/* A dotted line where an action was taken (pause, resume, retry), with a small flag on top. */
static void
draw_markers (DrsChart *self, cairo_t *cr, const DrsChartModel *model, const Plot *plot)
{
  static const double dots[] = { 2, 3 };
  GdkRGBA             color;

  if (self->markers == NULL || self->markers->len == 0)
    return;
  lookup_color (GTK_WIDGET (self), "purple_3", &color, "#9141ac");
  set_source (cr, &color, 0.9);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < self->markers->len; i++)
    {
      gint64 t = g_array_index (self->markers, gint64, i);
      double x;

      if (t < model->from_us || t > model->to_us)
        continue;
      x = round (x_of (model, plot, (double) t)) + 0.5;
      cairo_set_dash (cr, dots, G_N_ELEMENTS (dots), 0);
      cairo_move_to (cr, x, plot->top);
      cairo_line_to (cr, x, plot->top + plot->height);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_move_to (cr, x, plot->top - 1);
      cairo_line_to (cr, x + 6, plot->top + 2);
      cairo_line_to (cr, x, plot->top + 5);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

/* Whether the segment from (x0, y0) to (x1, y1) passes through @rect (Liang–Barsky clipping). */
static gboolean
segment_hits_rect (double x0, double y0, double x1, double y1, const graphene_rect_t *rect)
{
  double p[4] = { x0 - x1, x1 - x0, y0 - y1, y1 - y0 };
  double q[4] = { x0 - rect->origin.x, rect->origin.x + rect->size.width - x0, y0 - rect->origin.y,
                  rect->origin.y + rect->size.height - y0 };
  double enter = 0, leave = 1;

  for (guint i = 0; i < 4; i++)
    {
      double t;

      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
          continue;
        }
      t = q[i] / p[i];
      if (p[i] < 0)
        enter = MAX (enter, t);
      else
        leave = MIN (leave, t);
      if (enter > leave)
        return FALSE;
    }
  return TRUE;
}

/* Whether the data line, as draw_line() strokes it, touches @rect. */
static gboolean
line_hits_rect (const DrsChartModel *model, const Plot *plot, const graphene_rect_t *rect)
{
  graphene_rect_t clear;

  /* Half the line's width and a pixel of air. */
  graphene_rect_inset_r (rect, -3, -3, &clear);
  for (guint s = 0; s < model->segments->len; s++)
    {
      GArray *segment = model->segments->pdata[s];

      for (guint i = 0; i < segment->len; i++)
        {
          const DrsChartPoint *a = &g_array_index (segment, DrsChartPoint, i);
          const DrsChartPoint *b =
              &g_array_index (segment, DrsChartPoint, MIN (i + 1, segment->len - 1));

          if (segment_hits_rect (x_of (model, plot, a->time_us), y_of (model, plot, a->value),
                                 x_of (model, plot, b->time_us), y_of (model, plot, b->value),
                                 &clear))
            return TRUE;
        }
    }
  return FALSE;
}

/* Where the "Alert" label of the threshold line goes: just above or below the line, at the right
 * end, the left end, or in between, wherever the data line is not. %FALSE: nowhere near it. */
static gboolean
place_alert_label (
    const DrsChartModel *model, const Plot *plot, int w, int h, graphene_rect_t *area)
{
  double y = round (y_of (model, plot, model->threshold)) + 0.5;
  double right = plot->left + plot->width - w - 4;
  double left = plot->left + 4;
  double step = MAX (w / 2.0, 8);

  if (right < left)
    return FALSE;
  for (double x = right; x >= left - step + 1; x -= step)
    {
      double at = MAX (x, left);
      double ys[2] = { y - h - 3, y + 3 };

      for (guint i = 0; i < G_N_ELEMENTS (ys); i++)
        {
          /* Above may reach into the padding over the plot; below stays over the time axis. */
          if (ys[i] < 0 || ys[i] + h > plot->top + plot->height)
            continue;
          graphene_rect_init (area, at, ys[i], w, h);
          if (!line_hits_rect (model, plot, area))
            return TRUE;
        }
    }
  return FALSE;
}

static void
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  DrsChart            *self = DRS_CHART (area);
  GtkWidget           *widget = GTK_WIDGET (area);
  const DrsChartModel *model;
  GdkRGBA              fg, line, warning;
  Plot                 plot;
  int                  label_w = 0, label_h = 0;
  g_autoptr (PangoLayout) alert_layout = NULL;
  gboolean in_legend = FALSE;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  lookup_color (widget, self->kind == DRS_CHART_DELAY ? "accent_color" : "success_color", &line,
                "#3584e4");
  lookup_color (widget, "warning_color", &warning, "#e5a50a");

  ensure_model (self, width);
  model = self->model;

  for (guint i = 0; i < model->y_ticks->len; i++)
    {
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (
          widget, g_array_index (model->y_ticks, DrsChartTick, i).label);
      int w, h;

      text_size (layout, &w, &h);
      label_w = MAX (label_w, w);
      label_h = MAX (label_h, h);
    }

  plot.left = label_w + TICK_GAP * 2;
  plot.top = PAD_TOP;
  plot.width = MAX (width - plot.left - PAD_RIGHT, 1);
  plot.height = MAX (height - plot.top - label_h - TICK_GAP * 2, 1);

  /* The threshold's "Alert" label goes beside the threshold line where the data line is not; when
   * the data line leaves no room near it, into a legend above the plot. */
  self->alert_shown = model->threshold > 0 && model->threshold <= model->y_max;
  if (self->alert_shown)
    {
      int w, h;

      /* Translators: the delay alert threshold on a chart */
      alert_layout = gtk_widget_create_pango_layout (widget, _ ("Alert"));
      text_size (alert_layout, &w, &h);
      in_legend = !place_alert_label (model, &plot, w, h, &self->alert_area);
      if (in_legend)
        {
          plot.top += h;
          plot.height = MAX (plot.height - h, 1);
          graphene_rect_init (&self->alert_area, plot.left + plot.width - w,
                              plot.top - h - TICK_GAP / 2, w, h);
        }
    }

  /* Grid and value axis labels. */
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < model->y_ticks->len; i++)
    {
      const DrsChartTick *tick = &g_array_index (model->y_ticks, DrsChartTick, i);
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, tick->label);
      double y = round (y_of (model, &plot, tick->value)) + 0.5;
      int    w, h;

      set_source (cr, &fg, i == 0 ? 0.35 : 0.1);
      cairo_move_to (cr, plot.left, y);
      cairo_line_to (cr, plot.left + plot.width, y);
      cairo_stroke (cr);
      text_size (layout, &w, &h);
      set_source (cr, &fg, 0.6);
      draw_text (cr, layout, plot.left - TICK_GAP - w, y - h / 2.0);
    }

  /* Time axis labels. */
  for (guint i = 0; i < model->x_ticks->len; i++)
    {
      const DrsChartTick *tick = &g_array_index (model->x_ticks, DrsChartTick, i);
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (widget, tick->label);
      double x = round (x_of (model, &plot, tick->value)) + 0.5;
      int    w, h;

      set_source (cr, &fg, 0.1);
      cairo_move_to (cr, x, plot.top);
      cairo_line_to (cr, x, plot.top + plot.height + 3);
      cairo_stroke (cr);
      text_size (layout, &w, &h);
      set_source (cr, &fg, 0.6);
      draw_text (cr, layout, CLAMP (x - w / 2.0, 0, width - w), plot.top + plot.height + TICK_GAP);
    }

  draw_gaps (self, cr, model, &plot, &fg);

  if (alert_layout != NULL)
    {
      static const double dashes[] = { 6, 4 };
      double              y = round (y_of (model, &plot, model->threshold)) + 0.5;

      set_source (cr, &warning, 1);
      cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      cairo_set_line_width (cr, 1.5);
      cairo_move_to (cr, plot.left, y);
      cairo_line_to (cr, plot.left + plot.width, y);
      if (in_legend)
        {
          double ly = round (self->alert_area.origin.y + self->alert_area.size.height / 2) + 0.5;

          cairo_move_to (cr, self->alert_area.origin.x - 26, ly);
          cairo_line_to (cr, self->alert_area.origin.x - 6, ly);
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      draw_text (cr, alert_layout, self->alert_area.origin.x, self->alert_area.origin.y);
    }
  graphene_rect_init (&self->plot_area, plot.left, plot.top, plot.width, plot.height);

  draw_markers (self, cr, model, &plot);
  draw_line (cr, model, &plot, &line);

  if (model->n_points == 0)
    {
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (
          widget, self->kind == DRS_CHART_DELAY ? _ ("No delay recorded in this period")
                                                : _ ("No progress recorded in this period"));
      int w, h;

      text_size (layout, &w, &h);
      set_source (cr, &fg, 0.55);
      draw_text (cr, layout, plot.left + (plot.width - w) / 2, plot.top + (plot.height - h) / 2);
    }

  draw_hover (self, cr, model, &plot, &fg, &line);
}

/**
 * drs_chart_hover:
 * @x: a widget x coordinate, or a negative value when the pointer left
 *
 * Shows the read-out of the point nearest in time to @x (what the pointer does).
 */
void
drs_chart_hover (DrsChart *self, double x)
{
  int           width = gtk_widget_get_width (GTK_WIDGET (self));
  DrsChartPoint point;
  gint64        time_us;
  double        left, plot_width;
  int           label_w = 0;

  g_return_if_fail (DRS_IS_CHART (self));

  self->hover_x = x;
  g_clear_pointer (&self->hover_text, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (x < 0)
    return;

  ensure_model (self, width);
  for (guint i = 0; i < self->model->y_ticks->len; i++)
    {
      g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (
          GTK_WIDGET (self), g_array_index (self->model->y_ticks, DrsChartTick, i).label);
      int w, h;

      text_size (layout, &w, &h);
      label_w = MAX (label_w, w);
    }
  left = label_w + TICK_GAP * 2;
  plot_width = MAX ((width > 0 ? width : 540) - left - PAD_RIGHT, 1);
  time_us =
      self->model->from_us + (gint64) ((CLAMP (x, left, left + plot_width) - left) / plot_width *
                                       (self->model->to_us - self->model->from_us));

  if (drs_chart_model_nearest (self->model, time_us, &point))
    {
      g_autoptr (GDateTime) when = local_time (point.time_us, self->time_zone);
      g_autofree char *time = g_date_time_format (when, "%H:%M");
      g_autofree char *value = drs_chart_model_format_value (self->model, point.value);

      if (self->to_us - self->from_us > (gint64) 20 * 3600 * G_USEC_PER_SEC)
        {
          g_free (time);
          time = g_date_time_format (when, C_ ("chart read-out", "%a %H:%M"));
        }
      /* Translators: the read-out under the pointer: a time, then a value */
      self->hover_text = g_strdup_printf (_ ("%s · %s"), time, value);
    }
  else if (self->model->n_points > 0)
    self->hover_text = g_strdup (_ ("Not polled"));
}

const char *
drs_chart_get_hover_text (DrsChart *self)
{
  g_return_val_if_fail (DRS_IS_CHART (self), NULL);
  return self->hover_text;
}

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, DrsChart *self)
{
  drs_chart_hover (self, x);
}

static void
on_leave (GtkEventControllerMotion *controller, DrsChart *self)
{
  drs_chart_hover (self, -1);
}

static void
on_resize (GtkDrawingArea *area, int width, int height)
{
  DrsChart *self = DRS_CHART (area);

  if (self->model != NULL && self->model_ticks != max_x_ticks_for (width))
    invalidate (self);
}

static void
drs_chart_finalize (GObject *object)
{
  DrsChart *self = DRS_CHART (object);

  g_clear_pointer (&self->samples, g_array_unref);
  g_clear_pointer (&self->markers, g_array_unref);
  g_clear_pointer (&self->model, drs_chart_model_free);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_clear_pointer (&self->hover_text, g_free);

  G_OBJECT_CLASS (drs_chart_parent_class)->finalize (object);
}

static void
drs_chart_class_init (DrsChartClass *klass)
{
  GObjectClass        *object_class = G_OBJECT_CLASS (klass);
  GtkDrawingAreaClass *area_class = GTK_DRAWING_AREA_CLASS (klass);

  object_class->finalize = drs_chart_finalize;
  area_class->resize = on_resize;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "drs-chart");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
drs_chart_init (DrsChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->hover_x = -1;
  self->time_zone = g_time_zone_new_local ();
  self->to_us = g_get_real_time ();
  self->from_us = self->to_us - (gint64) G_USEC_PER_SEC * 3600;
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self), 150);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self), 200);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self), draw, NULL, NULL);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

/**
 * drs_chart_new:
 *
 * Returns: (transfer floating): an empty chart of @kind over the last hour
 */
GtkWidget *
drs_chart_new (DrsChartKind kind)
{
  DrsChart *self = g_object_new (DRS_TYPE_CHART, NULL);

  self->kind = kind;
  gtk_accessible_update_property (
      GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
      kind == DRS_CHART_DELAY ? _ ("Delay over time") : _ ("Progress over time"), -1);
  return GTK_WIDGET (self);
}

/**
 * drs_chart_set_samples:
 * @samples: (nullable) (element-type DrsSample): the history to show
 * @from_us: the left end of the time axis
 * @to_us: the right end of the time axis
 */
void
drs_chart_set_samples (DrsChart *self, GArray *samples, gint64 from_us, gint64 to_us)
{
  g_return_if_fail (DRS_IS_CHART (self));

  g_clear_pointer (&self->samples, g_array_unref);
  if (samples != NULL)
    self->samples = g_array_ref (samples);
  self->from_us = from_us;
  self->to_us = to_us;
  invalidate (self);
}

/**
 * drs_chart_set_threshold_ms:
 * @threshold_ms: the delay alert threshold, or 0 for none
 */
void
drs_chart_set_threshold_ms (DrsChart *self, gint64 threshold_ms)
{
  g_return_if_fail (DRS_IS_CHART (self));

  if (self->threshold_ms == threshold_ms)
    return;
  self->threshold_ms = threshold_ms;
  invalidate (self);
}

/**
 * drs_chart_get_model:
 *
 * Returns: (transfer none): what the chart shows at its current width
 */
const DrsChartModel *
drs_chart_get_model (DrsChart *self)
{
  g_return_val_if_fail (DRS_IS_CHART (self), NULL);

  ensure_model (self, gtk_widget_get_width (GTK_WIDGET (self)));
  return self->model;
}

/**
 * drs_chart_set_markers:
 * @times: (nullable) (element-type gint64): wall-clock microseconds of actions taken on the task
 *
 * Marks those times on the chart (a dotted line each).
 */
void
drs_chart_set_markers (DrsChart *self, GArray *times)
{
  g_return_if_fail (DRS_IS_CHART (self));

  g_clear_pointer (&self->markers, g_array_unref);
  if (times != NULL)
    self->markers = g_array_ref (times);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * drs_chart_get_n_markers:
 *
 * Returns: how many action markers the chart has (inside its range or not)
 */
guint
drs_chart_get_n_markers (DrsChart *self)
{
  g_return_val_if_fail (DRS_IS_CHART (self), 0);
  return self->markers != NULL ? self->markers->len : 0;
}

/**
 * drs_chart_get_alert_area:
 * @area: (out): where the "Alert" label was drawn, in widget coordinates
 *
 * Returns: %FALSE when the last drawing had no threshold line (for tests)
 */
gboolean
drs_chart_get_alert_area (DrsChart *self, graphene_rect_t *area)
{
  g_return_val_if_fail (DRS_IS_CHART (self), FALSE);

  *area = self->alert_area;
  return self->alert_shown;
}

/**
 * drs_chart_point_to_widget:
 * @x: (out): where the last drawing put @point
 * @y: (out):
 *
 * Returns: %FALSE before the first drawing (for tests)
 */
gboolean
drs_chart_point_to_widget (DrsChart *self, const DrsChartPoint *point, double *x, double *y)
{
  Plot plot;

  g_return_val_if_fail (DRS_IS_CHART (self), FALSE);

  if (self->model == NULL || self->plot_area.size.width <= 0)
    return FALSE;
  plot.left = self->plot_area.origin.x;
  plot.top = self->plot_area.origin.y;
  plot.width = self->plot_area.size.width;
  plot.height = self->plot_area.size.height;
  *x = x_of (self->model, &plot, point->time_us);
  *y = y_of (self->model, &plot, point->value);
  return TRUE;
}

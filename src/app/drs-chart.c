/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DrsChart, the widget: its state (samples, range, threshold, markers, pointer), the model it
 * keeps for its width, the order in which it paints (drs-chart-paint.c), the read-out under the
 * pointer, and what it tells tests about its last drawing. The data is in drs-chart-model.c. */
#define G_LOG_DOMAIN "drs-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-chart-paint.h"
#include "drs-chart.h"

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

#define X_TICK_SPAN 64 /* at least this many pixels between time labels */

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
      self->samples ? self->samples->len : 0, &(DrsTimeRange){ self->from_us, self->to_us },
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
draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  DrsChart      *self = DRS_CHART (area);
  DrsChartCanvas canvas;
  gboolean       in_legend;
  g_autoptr (PangoLayout) alert = NULL;

  ensure_model (self, width);
  drs_chart_canvas_init (&canvas, cr, GTK_WIDGET (area), self->model, width, height);
  alert = drs_chart_canvas_place_alert (&canvas, &self->alert_area, &in_legend);
  self->alert_shown = alert != NULL;

  drs_chart_canvas_paint_axes (&canvas);
  drs_chart_canvas_paint_gaps (&canvas);
  if (alert != NULL)
    drs_chart_canvas_paint_threshold (&canvas, alert, &self->alert_area, in_legend);
  graphene_rect_init (&self->plot_area, canvas.plot.left, canvas.plot.top, canvas.plot.width,
                      canvas.plot.height);

  drs_chart_canvas_paint_markers (&canvas, self->markers);
  drs_chart_canvas_paint_line (&canvas);
  if (self->model->n_points == 0)
    drs_chart_canvas_paint_empty (&canvas);
  drs_chart_canvas_paint_hover (&canvas, self->hover_x, self->hover_text);
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
  int           width;
  DrsChartPlot  plot;
  DrsChartPoint point;

  g_return_if_fail (DRS_IS_CHART (self));

  self->hover_x = x;
  g_clear_pointer (&self->hover_text, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (x < 0)
    return;

  width = gtk_widget_get_width (GTK_WIDGET (self));
  ensure_model (self, width);
  drs_chart_plot_init (&plot, GTK_WIDGET (self), self->model, width > 0 ? width : 540,
                       gtk_widget_get_height (GTK_WIDGET (self)));
  if (drs_chart_model_nearest (self->model, drs_chart_plot_time_at (self->model, &plot, x), &point))
    {
      g_autoptr (GDateTime) when = drs_chart_local_time (point.time_us, self->time_zone);
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
  DrsChartPlot plot;

  g_return_val_if_fail (DRS_IS_CHART (self), FALSE);

  if (self->model == NULL || self->plot_area.size.width <= 0)
    return FALSE;
  plot.left = self->plot_area.origin.x;
  plot.top = self->plot_area.origin.y;
  plot.width = self->plot_area.size.width;
  plot.height = self->plot_area.size.height;
  *x = drs_chart_plot_x (self->model, &plot, point->time_us);
  *y = drs_chart_plot_y (self->model, &plot, point->value);
  return TRUE;
}

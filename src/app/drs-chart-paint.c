/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The painting of a chart with cairo: where the plot goes in the widget and how a time or a value
 * maps to pixels; the grid and the axes' labels, the hatched not-polled bands, the dashed alert
 * threshold with its label (beside the line where the data is not, or in a legend), the action
 * markers, the data line, the empty message and the read-out under the pointer. */
#define G_LOG_DOMAIN "drs-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "drs-chart-paint.h"

/* Room around the plot, in pixels. */
#define PAD_TOP 12.0
#define PAD_RIGHT 12.0
#define TICK_GAP 6.0

static void
set_source (cairo_t *cr, const GdkRGBA *color, double alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* @text laid out in the widget's font, and its size in pixels. */
static PangoLayout *
layout_text (GtkWidget *widget, const char *text, int *width, int *height)
{
  PangoLayout   *layout = gtk_widget_create_pango_layout (widget, text);
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  *width = logical.width;
  *height = logical.height;
  return layout;
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, double x, double y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

/* A one-pixel line across the plot, or from top to bottom of it. */
static void
stroke_line (cairo_t *cr, double x0, double y0, double x1, double y1)
{
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_stroke (cr);
}

static void
lookup_color (GtkWidget *widget, const char *name, GdkRGBA *color, const char *fallback)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, color))
    gdk_rgba_parse (color, fallback);
}

/**
 * drs_chart_plot_init:
 * @width: the widget's width
 * @height: the widget's height
 *
 * Places the plot in the widget: the value labels on its left, the time labels under it.
 */
void
drs_chart_plot_init (
    DrsChartPlot *plot, GtkWidget *widget, const DrsChartModel *model, int width, int height)
{
  int label_w = 0, label_h = 0;

  for (guint i = 0; i < model->y_ticks->len; i++)
    {
      const DrsChartTick *tick = &g_array_index (model->y_ticks, DrsChartTick, i);
      int                 w, h;

      g_object_unref (layout_text (widget, tick->label, &w, &h));
      label_w = MAX (label_w, w);
      label_h = MAX (label_h, h);
    }

  plot->left = label_w + TICK_GAP * 2;
  plot->top = PAD_TOP;
  plot->width = MAX (width - plot->left - PAD_RIGHT, 1);
  plot->height = MAX (height - plot->top - label_h - TICK_GAP * 2, 1);
}

double
drs_chart_plot_x (const DrsChartModel *model, const DrsChartPlot *plot, double time_us)
{
  return plot->left +
         (time_us - model->from_us) / (double) (model->to_us - model->from_us) * plot->width;
}

double
drs_chart_plot_y (const DrsChartModel *model, const DrsChartPlot *plot, double value)
{
  double v = CLAMP (value, 0, model->y_max);

  return plot->top + plot->height - v / model->y_max * plot->height;
}

/* The time at widget coordinate @x, within the plot. */
gint64
drs_chart_plot_time_at (const DrsChartModel *model, const DrsChartPlot *plot, double x)
{
  double along = (CLAMP (x, plot->left, plot->left + plot->width) - plot->left) / plot->width;

  return model->from_us + (gint64) (along * (model->to_us - model->from_us));
}

/**
 * drs_chart_canvas_init:
 * @width: the widget's width
 * @height: the widget's height
 *
 * Readies @canvas to paint @model on @cr: the plot's place and the colours of the style.
 */
void
drs_chart_canvas_init (DrsChartCanvas      *canvas,
                       cairo_t             *cr,
                       GtkWidget           *widget,
                       const DrsChartModel *model,
                       int                  width,
                       int                  height)
{
  canvas->cr = cr;
  canvas->widget = widget;
  canvas->model = model;
  canvas->width = width;
  drs_chart_plot_init (&canvas->plot, widget, model, width, height);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &canvas->fg);
  lookup_color (widget, model->kind == DRS_CHART_DELAY ? "accent_color" : "success_color",
                &canvas->line, "#3584e4");
  lookup_color (widget, "warning_color", &canvas->warning, "#e5a50a");
}

/* Axes */

void
drs_chart_canvas_paint_axes (const DrsChartCanvas *canvas)
{
  cairo_t             *cr = canvas->cr;
  GtkWidget           *widget = canvas->widget;
  const DrsChartModel *model = canvas->model;
  const DrsChartPlot  *plot = &canvas->plot;
  const GdkRGBA       *fg = &canvas->fg;

  /* Grid and value axis labels. */
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < model->y_ticks->len; i++)
    {
      const DrsChartTick *tick = &g_array_index (model->y_ticks, DrsChartTick, i);
      double              y = round (drs_chart_plot_y (model, plot, tick->value)) + 0.5;
      int                 w, h;
      g_autoptr (PangoLayout) layout = layout_text (widget, tick->label, &w, &h);

      set_source (cr, fg, i == 0 ? 0.35 : 0.1);
      stroke_line (cr, plot->left, y, plot->left + plot->width, y);
      set_source (cr, fg, 0.6);
      draw_text (cr, layout, plot->left - TICK_GAP - w, y - h / 2.0);
    }

  /* Time axis labels. */
  for (guint i = 0; i < model->x_ticks->len; i++)
    {
      const DrsChartTick *tick = &g_array_index (model->x_ticks, DrsChartTick, i);
      double              x = round (drs_chart_plot_x (model, plot, tick->value)) + 0.5;
      int                 w, h;
      g_autoptr (PangoLayout) layout = layout_text (widget, tick->label, &w, &h);

      set_source (cr, fg, 0.1);
      stroke_line (cr, x, plot->top, x, plot->top + plot->height + 3);
      set_source (cr, fg, 0.6);
      draw_text (cr, layout, CLAMP (x - w / 2.0, 0, canvas->width - w),
                 plot->top + plot->height + TICK_GAP);
    }
}

/* Not-polled bands */

void
drs_chart_canvas_paint_gaps (const DrsChartCanvas *canvas)
{
  cairo_t             *cr = canvas->cr;
  const DrsChartModel *model = canvas->model;
  const DrsChartPlot  *plot = &canvas->plot;
  const GdkRGBA       *fg = &canvas->fg;

  for (guint i = 0; i < model->gaps->len; i++)
    {
      const DrsChartGap *gap = &g_array_index (model->gaps, DrsChartGap, i);
      double             x0 = MAX (drs_chart_plot_x (model, plot, gap->from_us), plot->left);
      double x1 = MIN (drs_chart_plot_x (model, plot, gap->to_us), plot->left + plot->width);

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
          int w, h;
          g_autoptr (PangoLayout) layout = layout_text (canvas->widget, _ ("not polled"), &w, &h);

          set_source (cr, fg, 0.55);
          draw_text (cr, layout, (x0 + x1 - w) / 2, plot->top + 4);
        }
    }
}

/* The alert threshold */

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

/* Whether the data line, as drs_chart_canvas_paint_line() strokes it, touches @rect. */
static gboolean
line_hits_rect (const DrsChartModel *model, const DrsChartPlot *plot, const graphene_rect_t *rect)
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

          if (segment_hits_rect (drs_chart_plot_x (model, plot, a->time_us),
                                 drs_chart_plot_y (model, plot, a->value),
                                 drs_chart_plot_x (model, plot, b->time_us),
                                 drs_chart_plot_y (model, plot, b->value), &clear))
            return TRUE;
        }
    }
  return FALSE;
}

/* Where the "Alert" label of the threshold line goes: just above or below the line, at the right
 * end, the left end, or in between, wherever the data line is not. %FALSE: nowhere near it. */
static gboolean
place_alert_label (
    const DrsChartModel *model, const DrsChartPlot *plot, int w, int h, graphene_rect_t *area)
{
  double y = round (drs_chart_plot_y (model, plot, model->threshold)) + 0.5;
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

/**
 * drs_chart_canvas_place_alert:
 * @canvas: its plot is moved down when the label goes into a legend above it
 * @area: (out): where the label goes
 * @in_legend: (out): whether it goes into a legend
 *
 * The threshold's "Alert" label goes beside the threshold line where the data line is not; when
 * the data line leaves no room near it, into a legend above the plot.
 *
 * Returns: (transfer full) (nullable): the label, or %NULL when the chart shows no threshold
 */
PangoLayout *
drs_chart_canvas_place_alert (DrsChartCanvas *canvas, graphene_rect_t *area, gboolean *in_legend)
{
  const DrsChartModel *model = canvas->model;
  DrsChartPlot        *plot = &canvas->plot;
  PangoLayout         *layout;
  int                  w, h;

  *in_legend = FALSE;
  if (!(model->threshold > 0 && model->threshold <= model->y_max))
    return NULL;

  /* Translators: the delay alert threshold on a chart */
  layout = layout_text (canvas->widget, _ ("Alert"), &w, &h);
  *in_legend = !place_alert_label (model, plot, w, h, area);
  if (*in_legend)
    {
      plot->top += h;
      plot->height = MAX (plot->height - h, 1);
      graphene_rect_init (area, plot->left + plot->width - w, plot->top - h - TICK_GAP / 2, w, h);
    }
  return layout;
}

/* The threshold as a dashed line, with its label at @area (and a sample of the line before it
 * in the legend). */
void
drs_chart_canvas_paint_threshold (const DrsChartCanvas  *canvas,
                                  PangoLayout           *alert,
                                  const graphene_rect_t *area,
                                  gboolean               in_legend)
{
  static const double dashes[] = { 6, 4 };
  cairo_t            *cr = canvas->cr;
  const DrsChartPlot *plot = &canvas->plot;
  double y = round (drs_chart_plot_y (canvas->model, plot, canvas->model->threshold)) + 0.5;

  set_source (cr, &canvas->warning, 1);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, plot->left, y);
  cairo_line_to (cr, plot->left + plot->width, y);
  if (in_legend)
    {
      double ly = round (area->origin.y + area->size.height / 2) + 0.5;

      cairo_move_to (cr, area->origin.x - 26, ly);
      cairo_line_to (cr, area->origin.x - 6, ly);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  draw_text (cr, alert, area->origin.x, area->origin.y);
}

/* Action markers */

/* A dotted line where an action was taken (pause, resume, retry), with a small flag on top. */
void
drs_chart_canvas_paint_markers (const DrsChartCanvas *canvas, GArray *markers)
{
  static const double  dots[] = { 2, 3 };
  cairo_t             *cr = canvas->cr;
  const DrsChartModel *model = canvas->model;
  const DrsChartPlot  *plot = &canvas->plot;
  GdkRGBA              color;

  if (markers == NULL || markers->len == 0)
    return;
  lookup_color (canvas->widget, "purple_3", &color, "#9141ac");
  set_source (cr, &color, 0.9);
  cairo_set_line_width (cr, 1.5);
  for (guint i = 0; i < markers->len; i++)
    {
      gint64 t = g_array_index (markers, gint64, i);
      double x;

      if (t < model->from_us || t > model->to_us)
        continue;
      x = round (drs_chart_plot_x (model, plot, (double) t)) + 0.5;
      cairo_set_dash (cr, dots, G_N_ELEMENTS (dots), 0);
      stroke_line (cr, x, plot->top, x, plot->top + plot->height);
      cairo_set_dash (cr, NULL, 0, 0);
      cairo_move_to (cr, x, plot->top - 1);
      cairo_line_to (cr, x + 6, plot->top + 2);
      cairo_line_to (cr, x, plot->top + 5);
      cairo_close_path (cr);
      cairo_fill (cr);
    }
}

/* The data */

static void
trace_segment (cairo_t *cr, const DrsChartModel *model, const DrsChartPlot *plot, GArray *segment)
{
  for (guint i = 0; i < segment->len; i++)
    {
      const DrsChartPoint *p = &g_array_index (segment, DrsChartPoint, i);

      cairo_line_to (cr, drs_chart_plot_x (model, plot, p->time_us),
                     drs_chart_plot_y (model, plot, p->value));
    }
}

/* Each segment as a line over a faint area; a lone point as a dot. */
void
drs_chart_canvas_paint_line (const DrsChartCanvas *canvas)
{
  cairo_t             *cr = canvas->cr;
  const DrsChartModel *model = canvas->model;
  const DrsChartPlot  *plot = &canvas->plot;
  const GdkRGBA       *color = &canvas->line;
  double               bottom = plot->top + plot->height;

  cairo_save (cr);
  cairo_rectangle (cr, plot->left, plot->top - 2, plot->width, plot->height + 4);
  cairo_clip (cr);
  for (guint s = 0; s < model->segments->len; s++)
    {
      GArray              *segment = model->segments->pdata[s];
      const DrsChartPoint *first = &g_array_index (segment, DrsChartPoint, 0);
      const DrsChartPoint *last = &g_array_index (segment, DrsChartPoint, segment->len - 1);

      /* The area under the line, faint. */
      cairo_move_to (cr, drs_chart_plot_x (model, plot, first->time_us), bottom);
      trace_segment (cr, model, plot, segment);
      cairo_line_to (cr, drs_chart_plot_x (model, plot, last->time_us), bottom);
      cairo_close_path (cr);
      set_source (cr, color, 0.15);
      cairo_fill (cr);

      trace_segment (cr, model, plot, segment);
      set_source (cr, color, 1);
      cairo_set_line_width (cr, 2);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      if (segment->len == 1)
        {
          /* A lone point is a dot, not an invisible line. */
          cairo_new_path (cr);
          cairo_arc (cr, drs_chart_plot_x (model, plot, first->time_us),
                     drs_chart_plot_y (model, plot, first->value), 2.5, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else
        cairo_stroke (cr);
    }
  cairo_restore (cr);
}

/* What the plot says when the period has no value. */
void
drs_chart_canvas_paint_empty (const DrsChartCanvas *canvas)
{
  const DrsChartPlot *plot = &canvas->plot;
  int                 w, h;
  g_autoptr (PangoLayout) layout = layout_text (canvas->widget,
                                                canvas->model->kind == DRS_CHART_DELAY
                                                    ? _ ("No delay recorded in this period")
                                                    : _ ("No progress recorded in this period"),
                                                &w, &h);

  set_source (canvas->cr, &canvas->fg, 0.55);
  draw_text (canvas->cr, layout, plot->left + (plot->width - w) / 2,
             plot->top + (plot->height - h) / 2);
}

/* The read-out */

/* A line through the point nearest the pointer, a dot on it, and @hover_text in a box beside. */
void
drs_chart_canvas_paint_hover (const DrsChartCanvas *canvas, double hover_x, const char *hover_text)
{
  cairo_t             *cr = canvas->cr;
  const DrsChartModel *model = canvas->model;
  const DrsChartPlot  *plot = &canvas->plot;
  const GdkRGBA       *fg = &canvas->fg;
  g_autoptr (PangoLayout) layout = NULL;
  double        x, y, bx, by;
  int           w, h;
  DrsChartPoint point;
  GdkRGBA       bg;

  if (hover_x < plot->left || hover_x > plot->left + plot->width || hover_text == NULL)
    return;

  layout = layout_text (canvas->widget, hover_text, &w, &h);

  if (drs_chart_model_nearest (model, drs_chart_plot_time_at (model, plot, hover_x), &point))
    {
      x = drs_chart_plot_x (model, plot, point.time_us);
      y = drs_chart_plot_y (model, plot, point.value);
      set_source (cr, fg, 0.35);
      cairo_set_line_width (cr, 1);
      stroke_line (cr, round (x) + 0.5, plot->top, round (x) + 0.5, plot->top + plot->height);
      set_source (cr, &canvas->line, 1);
      cairo_arc (cr, x, y, 4, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  else
    x = hover_x;

  bx = CLAMP (x + 8, plot->left, plot->left + plot->width - w - 12);
  if (x + 8 + w + 12 > plot->left + plot->width)
    bx = MAX (plot->left, x - 8 - w - 12);
  by = plot->top + 2;
  set_source (cr, fg, 0.85);
  cairo_rectangle (cr, bx, by, w + 12, h + 6);
  cairo_fill (cr);
  lookup_color (canvas->widget, "view_bg_color", &bg, "#ffffff");
  set_source (cr, &bg, 1);
  draw_text (cr, layout, bx + 6, by + 3);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The painting of a chart (drs-chart-paint.c), what the widget (drs-chart.c) draws with: the plot's
 * place in the widget, the mapping of times and values to pixels, and the canvas of one drawing
 * with its layers. */
#pragma once

#include <gtk/gtk.h>

#include "drs-chart-model.h"

G_BEGIN_DECLS

/* Where the plot is in the widget, in pixels: the axes' labels are around it. */
typedef struct
{
  double left, top, width, height;
} DrsChartPlot;

/* What one drawing paints with. */
typedef struct
{
  cairo_t             *cr;     /* borrowed */
  GtkWidget           *widget; /* borrowed: for fonts and colours */
  const DrsChartModel *model;  /* borrowed */
  int                  width;  /* the widget's */
  DrsChartPlot         plot;
  GdkRGBA              fg;      /* text and grid */
  GdkRGBA              line;    /* the data line */
  GdkRGBA              warning; /* the alert threshold */
} DrsChartCanvas;

/* clang-format off */
void         drs_chart_plot_init              (DrsChartPlot          *plot,
                                               GtkWidget             *widget,
                                               const DrsChartModel   *model,
                                               int                    width,
                                               int                    height);
double       drs_chart_plot_x                 (const DrsChartModel   *model,
                                               const DrsChartPlot    *plot,
                                               double                 time_us);
double       drs_chart_plot_y                 (const DrsChartModel   *model,
                                               const DrsChartPlot    *plot,
                                               double                 value);
gint64       drs_chart_plot_time_at           (const DrsChartModel   *model,
                                               const DrsChartPlot    *plot,
                                               double                 x);

void         drs_chart_canvas_init            (DrsChartCanvas        *canvas,
                                               cairo_t               *cr,
                                               GtkWidget             *widget,
                                               const DrsChartModel   *model,
                                               int                    width,
                                               int                    height);
PangoLayout *drs_chart_canvas_place_alert     (DrsChartCanvas        *canvas,
                                               graphene_rect_t       *area,
                                               gboolean              *in_legend);
void         drs_chart_canvas_paint_axes      (const DrsChartCanvas  *canvas);
void         drs_chart_canvas_paint_gaps      (const DrsChartCanvas  *canvas);
void         drs_chart_canvas_paint_threshold (const DrsChartCanvas  *canvas,
                                               PangoLayout           *alert,
                                               const graphene_rect_t *area,
                                               gboolean               in_legend);
void         drs_chart_canvas_paint_markers   (const DrsChartCanvas  *canvas,
                                               GArray                *markers);
void         drs_chart_canvas_paint_line      (const DrsChartCanvas  *canvas);
void         drs_chart_canvas_paint_empty     (const DrsChartCanvas  *canvas);
void         drs_chart_canvas_paint_hover     (const DrsChartCanvas  *canvas,
                                               double                 hover_x,
                                               const char            *hover_text);
/* clang-format on */

G_END_DECLS

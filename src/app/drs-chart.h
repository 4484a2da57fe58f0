/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DrsChart, a line chart of one task's delay or progress over time (what it shows is a
 * DrsChartModel, drs-chart-model.h). */
#pragma once

#include <gtk/gtk.h>

#include "drs-chart-model.h"

G_BEGIN_DECLS

#define DRS_TYPE_CHART (drs_chart_get_type ())

G_DECLARE_FINAL_TYPE (DrsChart, drs_chart, DRS, CHART, GtkDrawingArea)

/* clang-format off */
GtkWidget     *drs_chart_new                (DrsChartKind     kind);
void           drs_chart_set_samples        (DrsChart        *self,
                                             GArray          *samples,
                                             gint64           from_us,
                                             gint64           to_us);
void           drs_chart_set_threshold_ms   (DrsChart        *self,
                                             gint64           threshold_ms);
const DrsChartModel *drs_chart_get_model    (DrsChart        *self);
void           drs_chart_set_markers        (DrsChart        *self,
                                             GArray          *times);
guint          drs_chart_get_n_markers      (DrsChart        *self);
void           drs_chart_hover              (DrsChart        *self,
                                             double           x);
const char    *drs_chart_get_hover_text     (DrsChart        *self);
gboolean       drs_chart_get_alert_area     (DrsChart        *self,
                                             graphene_rect_t *area);
gboolean       drs_chart_point_to_widget    (DrsChart        *self,
                                             const DrsChartPoint *point,
                                             double          *x,
                                             double          *y);
/* clang-format on */

G_END_DECLS

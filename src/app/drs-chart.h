/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "drs-history.h"

G_BEGIN_DECLS

typedef enum
{
  DRS_CHART_DELAY,
  DRS_CHART_PROGRESS,
} DrsChartKind;

/**
 * DrsChartPoint:
 * @time_us: wall-clock microseconds
 * @value: in the model's unit (seconds, minutes or hours of delay; percent)
 */
typedef struct
{
  gint64 time_us;
  double value;
} DrsChartPoint;

/**
 * DrsChartTick:
 * @value: microseconds on the time axis, the model's unit on the value axis
 * @label: what the axis prints there
 */
typedef struct
{
  double value;
  char  *label;
} DrsChartTick;

/**
 * DrsChartGap:
 *
 * A stretch of time in which the task was not polled: the line breaks there.
 */
typedef struct
{
  gint64 from_us;
  gint64 to_us;
} DrsChartGap;

/**
 * DrsChartModel:
 * @kind: delay or progress
 * @from_us: the left end of the time axis
 * @to_us: the right end of the time axis
 * @y_max: the top of the value axis (the bottom is 0)
 * @threshold: the delay alert threshold in @unit, or -1 when there is none
 * @unit: the translated unit of the value axis ("s", "min", "h", "%")
 * @unit_ms: for delay, milliseconds per @unit; 1 for progress
 * @segments: (element-type GArray): unbroken runs of #DrsChartPoint
 * @gaps: (element-type DrsChartGap): where the task was not polled
 * @x_ticks: (element-type DrsChartTick): local times
 * @y_ticks: (element-type DrsChartTick): values with their unit
 * @n_points: points over all segments
 *
 * What a chart shows, computed without drawing anything.
 */
typedef struct
{
  DrsChartKind kind;
  gint64       from_us;
  gint64       to_us;
  double       y_max;
  double       threshold;
  const char  *unit;
  double       unit_ms;
  GPtrArray   *segments;
  GArray      *gaps;
  GArray      *x_ticks;
  GArray      *y_ticks;
  guint        n_points;
} DrsChartModel;

#define DRS_TYPE_CHART (drs_chart_get_type ())

G_DECLARE_FINAL_TYPE (DrsChart, drs_chart, DRS, CHART, GtkDrawingArea)

/* clang-format off */
DrsChartModel *drs_chart_model_new          (DrsChartKind     kind,
                                             const DrsSample *samples,
                                             guint            n_samples,
                                             gint64           from_us,
                                             gint64           to_us,
                                             gint64           threshold_ms,
                                             guint            max_x_ticks,
                                             GTimeZone       *time_zone);
void           drs_chart_model_free         (DrsChartModel   *model);
gboolean       drs_chart_model_nearest      (const DrsChartModel *model,
                                             gint64           time_us,
                                             DrsChartPoint   *point);
char          *drs_chart_model_format_value (const DrsChartModel *model,
                                             double           value);

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsChartModel, drs_chart_model_free)

G_END_DECLS

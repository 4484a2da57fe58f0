/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a chart shows, computed without drawing: a task's samples cut into unbroken segments,
 * the stretches it was not polled, the value axis in a unit that suits the values, and the ticks
 * of both axes. */
#pragma once

#include <glib.h>

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

/* clang-format off */
DrsChartModel *drs_chart_model_new          (DrsChartKind        kind,
                                             const DrsSample    *samples,
                                             guint               n_samples,
                                             const DrsTimeRange *range,
                                             gint64              threshold_ms,
                                             guint               max_x_ticks,
                                             GTimeZone          *time_zone);
void           drs_chart_model_free         (DrsChartModel   *model);
gboolean       drs_chart_model_nearest      (const DrsChartModel *model,
                                             gint64           time_us,
                                             DrsChartPoint   *point);
char          *drs_chart_model_format_value (const DrsChartModel *model,
                                             double           value);
GDateTime     *drs_chart_local_time         (gint64           time_us,
                                             GTimeZone       *time_zone);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsChartModel, drs_chart_model_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * DrsMetricsFormat:
 * @DRS_METRICS_TEXT: the Prometheus text exposition format 0.0.4
 * @DRS_METRICS_OPENMETRICS: OpenMetrics 1.0.0 (ends with `# EOF`)
 */
typedef enum
{
  DRS_METRICS_TEXT,
  DRS_METRICS_OPENMETRICS,
} DrsMetricsFormat;

/**
 * DrsMetricType:
 *
 * The types a family is declared with. A counter family is named without `_total` and its
 * samples with it; an info family is named without `_info` and its samples with it (a gauge in
 * the text format, where `info` does not exist).
 */
typedef enum
{
  DRS_METRIC_GAUGE,
  DRS_METRIC_COUNTER,
  DRS_METRIC_INFO,
} DrsMetricType;

typedef struct _DrsMetricsWriter DrsMetricsWriter;

/* clang-format off */
DrsMetricsFormat  drs_metrics_format_negotiate     (const char        *accept);
const char       *drs_metrics_format_content_type  (DrsMetricsFormat   format);

DrsMetricsWriter *drs_metrics_writer_new           (DrsMetricsFormat   format,
                                                    gsize              reserve);
DrsMetricsFormat  drs_metrics_writer_get_format    (DrsMetricsWriter  *self);
void              drs_metrics_writer_family        (DrsMetricsWriter  *self,
                                                    const char        *name,
                                                    DrsMetricType      type,
                                                    const char        *help);
void              drs_metrics_writer_sample        (DrsMetricsWriter  *self,
                                                    const char *const *labels,
                                                    double             value);
void              drs_metrics_writer_sample_int    (DrsMetricsWriter  *self,
                                                    const char *const *labels,
                                                    gint64             value);
GBytes           *drs_metrics_writer_finish        (DrsMetricsWriter  *self);
void              drs_metrics_writer_free          (DrsMetricsWriter  *self);

void              drs_metrics_append_label_value   (GString           *out,
                                                    const char        *value);
void              drs_metrics_append_double        (GString           *out,
                                                    double             value);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsMetricsWriter, drs_metrics_writer_free)

G_END_DECLS

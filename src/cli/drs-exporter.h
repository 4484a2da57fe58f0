/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-clock.h"
#include "drs-job-store.h"
#include "drs-metrics-writer.h"
#include "drs-monitor.h"

G_BEGIN_DECLS

/* The most distinct error codes counted per account; more are counted as `other`. */
#define DRS_EXPORTER_MAX_CODES 32
/* Task names longer than this are cut in the info metric's label. */
#define DRS_EXPORTER_MAX_NAME 128

#define DRS_EXPORTER_API_PROGRESS "batch-progress"
#define DRS_EXPORTER_API_JOBS "jobs"

#define DRS_TYPE_EXPORTER (drs_exporter_get_type ())

G_DECLARE_FINAL_TYPE (DrsExporter, drs_exporter, DRS, EXPORTER, GObject)

/* clang-format off */
DrsExporter *drs_exporter_new              (DrsJobStore      *store,
                                            DrsClock         *clock);
void         drs_exporter_set_monitor      (DrsExporter      *self,
                                            DrsMonitor       *monitor);
void         drs_exporter_add_account      (DrsExporter      *self,
                                            const char       *account,
                                            const char       *label,
                                            const char       *region);
void         drs_exporter_record_request   (DrsExporter      *self,
                                            const char       *account,
                                            const char       *api,
                                            const GError     *error);
void         drs_exporter_set_discovery    (DrsExporter      *self,
                                            gboolean          enabled);
GBytes      *drs_exporter_render           (DrsExporter      *self,
                                            DrsMetricsFormat  format);
guint64      drs_exporter_get_n_scrapes    (DrsExporter      *self);
void         drs_exporter_count_scrape     (DrsExporter      *self,
                                            DrsMetricsFormat  format);

const char  *drs_exporter_bound_code       (const GError     *error);
/* clang-format on */

G_END_DECLS

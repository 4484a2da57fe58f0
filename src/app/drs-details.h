/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "drs-chart.h"
#include "drs-history.h"
#include "drs-job.h"

G_BEGIN_DECLS

typedef enum
{
  DRS_DETAILS_RANGE_HOUR,
  DRS_DETAILS_RANGE_DAY,
  DRS_DETAILS_RANGE_WEEK,
} DrsDetailsRange;

#define DRS_TYPE_DETAILS (drs_details_get_type ())

G_DECLARE_FINAL_TYPE (DrsDetails, drs_details, DRS, DETAILS, AdwBin)

/* clang-format off */
DrsJob         *drs_details_get_job          (DrsDetails      *self);
void            drs_details_set_job          (DrsDetails      *self,
                                              DrsJob          *job);
void            drs_details_set_history      (DrsDetails      *self,
                                              DrsHistory      *history);
void            drs_details_set_threshold_ms (DrsDetails      *self,
                                              gint64           threshold_ms);
DrsDetailsRange drs_details_get_range        (DrsDetails      *self);
void            drs_details_set_range        (DrsDetails      *self,
                                              DrsDetailsRange  range);
void            drs_details_reload           (DrsDetails      *self);
guint           drs_details_get_n_loads      (DrsDetails      *self);
DrsChart       *drs_details_get_chart        (DrsDetails      *self,
                                              DrsChartKind     kind);
const char     *drs_details_get_field        (DrsDetails      *self,
                                              const char      *field);
GtkAdjustment  *drs_details_get_vadjustment  (DrsDetails      *self);
void            drs_details_show_action      (DrsDetails      *self,
                                              DrsTaskAction    action,
                                              gboolean         visible);
guint           drs_details_get_n_actions    (DrsDetails      *self);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "drs-enums.h"
#include "drs-job-status.h"
#include "drs-progress-parser.h"
#include "drs-task-action.h"

G_BEGIN_DECLS

/* clang-format off */

#define DRS_TYPE_JOB (drs_job_get_type ())

G_DECLARE_FINAL_TYPE (DrsJob, drs_job, DRS, JOB, GObject)

DrsJob         *drs_job_new                    (const char        *id);
const char     *drs_job_get_id                 (DrsJob            *self);
const char     *drs_job_get_name               (DrsJob            *self);
void            drs_job_set_name               (DrsJob            *self,
                                                const char        *name);
const char     *drs_job_get_display_name       (DrsJob            *self);
DrsScenario     drs_job_get_scenario           (DrsJob            *self);
void            drs_job_set_scenario           (DrsJob            *self,
                                                DrsScenario        scenario);
const char     *drs_job_get_account            (DrsJob            *self);
void            drs_job_set_account            (DrsJob            *self,
                                                const char        *account);
double          drs_job_get_progress           (DrsJob            *self);
gint64          drs_job_get_delay_ms           (DrsJob            *self);
DrsTaskMode     drs_job_get_task_mode          (DrsJob            *self);
const char     *drs_job_get_task_mode_raw      (DrsJob            *self);
DrsJobStatus    drs_job_get_status             (DrsJob            *self);
const char     *drs_job_get_status_raw         (DrsJob            *self);
const char     *drs_job_get_status_label       (DrsJob            *self);
DrsStatusClass  drs_job_get_status_class       (DrsJob            *self);
gint64          drs_job_get_process_time_ms    (DrsJob            *self);
GDateTime      *drs_job_dup_process_time       (DrsJob            *self);
gint64          drs_job_get_remaining_s        (DrsJob            *self);
gboolean        drs_job_get_has_phases         (DrsJob            *self);
double          drs_job_get_phase_progress     (DrsJob            *self,
                                                DrsPhase           phase);
gint64          drs_job_get_phase_remaining_s  (DrsJob            *self,
                                                DrsPhase           phase);
const char     *drs_job_get_error_code         (DrsJob            *self);
const char     *drs_job_get_error_message      (DrsJob            *self);
gboolean        drs_job_get_stale              (DrsJob            *self);
const char     *drs_job_get_stale_reason       (DrsJob            *self);
gint64          drs_job_get_last_updated_us    (DrsJob            *self);
GDateTime      *drs_job_dup_last_updated       (DrsJob            *self);

gboolean        drs_job_apply                  (DrsJob            *self,
                                                const DrsSnapshot *snapshot,
                                                gint64             now_us);
void            drs_job_mark_stale             (DrsJob            *self,
                                                const char        *reason);
void            drs_job_set_action_pending     (DrsJob            *self,
                                                gboolean           pending,
                                                DrsTaskAction      action);
gboolean        drs_job_get_action_pending     (DrsJob            *self);
DrsTaskAction   drs_job_get_pending_action     (DrsJob            *self);

/* clang-format on */

G_END_DECLS

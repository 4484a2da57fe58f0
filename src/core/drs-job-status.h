/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* clang-format off */

/**
 * DrsJobStatus:
 *
 * The 29 `transfer_status` values a DRS server sends. %DRS_JOB_STATUS_UNKNOWN stands for a value
 * this build does not know (the raw string is kept and shown verbatim) or for no value at all.
 */
typedef enum
{
  DRS_JOB_STATUS_UNKNOWN,
  DRS_JOB_STATUS_CREATING,
  DRS_JOB_STATUS_CREATE_FAILED,
  DRS_JOB_STATUS_CONFIGURATION,
  DRS_JOB_STATUS_STARTJOBING,
  DRS_JOB_STATUS_WAITING_FOR_START,
  DRS_JOB_STATUS_START_JOB_FAILED,
  DRS_JOB_STATUS_PAUSING,
  DRS_JOB_STATUS_FULL_TRANSFER_STARTED,
  DRS_JOB_STATUS_FULL_TRANSFER_FAILED,
  DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE,
  DRS_JOB_STATUS_INCRE_TRANSFER_STARTED,
  DRS_JOB_STATUS_INCRE_TRANSFER_FAILED,
  DRS_JOB_STATUS_RELEASE_RESOURCE_STARTED,
  DRS_JOB_STATUS_RELEASE_RESOURCE_FAILED,
  DRS_JOB_STATUS_RELEASE_RESOURCE_COMPLETE,
  DRS_JOB_STATUS_REBUILD_NODE_STARTED,
  DRS_JOB_STATUS_REBUILD_NODE_FAILED,
  DRS_JOB_STATUS_CHANGE_JOB_STARTED,
  DRS_JOB_STATUS_CHANGE_JOB_FAILED,
  DRS_JOB_STATUS_DELETED,
  DRS_JOB_STATUS_CHILD_TRANSFER_STARTING,
  DRS_JOB_STATUS_CHILD_TRANSFER_STARTED,
  DRS_JOB_STATUS_CHILD_TRANSFER_COMPLETE,
  DRS_JOB_STATUS_CHILD_TRANSFER_FAILED,
  DRS_JOB_STATUS_RELEASE_CHILD_TRANSFER_STARTED,
  DRS_JOB_STATUS_RELEASE_CHILD_TRANSFER_COMPLETE,
  DRS_JOB_STATUS_NODE_UPGRADE_START,
  DRS_JOB_STATUS_NODE_UPGRADE_COMPLETE,
  DRS_JOB_STATUS_NODE_UPGRADE_FAILED,
} DrsJobStatus;

#define DRS_JOB_STATUS_N_KNOWN 29

typedef enum
{
  DRS_TASK_MODE_UNKNOWN,         /*< nick=unknown >*/
  DRS_TASK_MODE_FULL_TRANS,      /*< nick=FULL_TRANS >*/
  DRS_TASK_MODE_INCR_TRANS,      /*< nick=INCR_TRANS >*/
  DRS_TASK_MODE_FULL_INCR_TRANS, /*< nick=FULL_INCR_TRANS >*/
} DrsTaskMode;

typedef enum
{
  DRS_STATUS_CLASS_UNKNOWN,
  DRS_STATUS_CLASS_PENDING,
  DRS_STATUS_CLASS_RUNNING,
  DRS_STATUS_CLASS_PAUSED,
  DRS_STATUS_CLASS_FINISHED,
  DRS_STATUS_CLASS_FAILED,
} DrsStatusClass;

/**
 * DrsScenario:
 *
 * The job list's `db_use_type`; disaster recovery names some statuses differently.
 */
typedef enum
{
  DRS_SCENARIO_UNKNOWN,          /*< nick=unknown >*/
  DRS_SCENARIO_MIGRATION,        /*< nick=migration >*/
  DRS_SCENARIO_SYNC,             /*< nick=sync >*/
  DRS_SCENARIO_CLOUD_DATA_GUARD, /*< nick=cloudDataGuard >*/
} DrsScenario;

DrsJobStatus    drs_job_status_from_string         (const char     *value);
const char     *drs_job_status_to_string           (DrsJobStatus    status);
DrsStatusClass  drs_job_status_classify            (DrsJobStatus    status,
                                                    DrsTaskMode     mode);
const char     *drs_job_status_get_label           (DrsJobStatus    status,
                                                    DrsScenario     scenario);
gboolean        drs_job_status_is_incremental      (DrsJobStatus    status);
gboolean        drs_job_status_is_removal          (DrsJobStatus    status);
gboolean        drs_job_status_code_is_removal     (const char     *error_code);

DrsTaskMode     drs_task_mode_from_string          (const char     *value);
const char     *drs_task_mode_to_string            (DrsTaskMode     mode);
const char     *drs_task_mode_get_label            (DrsTaskMode     mode);

const char     *drs_status_class_to_string         (DrsStatusClass  status_class);
const char     *drs_status_class_get_label         (DrsStatusClass  status_class);
const char     *drs_status_class_get_icon_name     (DrsStatusClass  status_class);

DrsScenario     drs_scenario_from_string           (const char     *value);
const char     *drs_scenario_to_string             (DrsScenario     scenario);
const char     *drs_scenario_get_label             (DrsScenario     scenario);

/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-job-status"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-enum-nick.h"
#include "drs-enums.h"
#include "drs-job-status.h"

typedef struct
{
  const char    *value;
  const char    *label;
  const char    *dr_label; /* disaster recovery wording, or NULL */
  DrsStatusClass status_class;
} StatusInfo;

/* Indexed by DrsJobStatus. Labels and classes follow the DRS console (FACTS §2). */
static const StatusInfo statuses[] = {
  [DRS_JOB_STATUS_UNKNOWN] = { NULL, N_ ("Unknown"), NULL, DRS_STATUS_CLASS_UNKNOWN },
  [DRS_JOB_STATUS_CREATING] = { "CREATING", N_ ("Creating"), NULL, DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_CREATE_FAILED] = { "CREATE_FAILED", N_ ("Creation failed"), NULL,
                                     DRS_STATUS_CLASS_FAILED },
  [DRS_JOB_STATUS_CONFIGURATION] = { "CONFIGURATION", N_ ("Configuring"), NULL,
                                     DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_STARTJOBING] = { "STARTJOBING", N_ ("Starting"), NULL, DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_WAITING_FOR_START] = { "WAITING_FOR_START", N_ ("Waiting to start"), NULL,
                                         DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_START_JOB_FAILED] = { "START_JOB_FAILED", N_ ("Start failed"), NULL,
                                        DRS_STATUS_CLASS_FAILED },
  [DRS_JOB_STATUS_PAUSING] = { "PAUSING", N_ ("Paused"), NULL, DRS_STATUS_CLASS_PAUSED },
  [DRS_JOB_STATUS_FULL_TRANSFER_STARTED] = { "FULL_TRANSFER_STARTED",
                                             N_ ("Full migration in progress"),
                                             N_ ("DR initializing"), DRS_STATUS_CLASS_RUNNING },
  [DRS_JOB_STATUS_FULL_TRANSFER_FAILED] = { "FULL_TRANSFER_FAILED", N_ ("Full migration failed"),
                                            NULL, DRS_STATUS_CLASS_FAILED },
  [DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE] = { "FULL_TRANSFER_COMPLETE",
                                              N_ ("Full migration complete"), NULL,
                                              DRS_STATUS_CLASS_RUNNING },
  [DRS_JOB_STATUS_INCRE_TRANSFER_STARTED] = { "INCRE_TRANSFER_STARTED",
                                              N_ ("Incremental migration in progress"),
                                              N_ ("DR in progress"), DRS_STATUS_CLASS_RUNNING },
  [DRS_JOB_STATUS_INCRE_TRANSFER_FAILED] = { "INCRE_TRANSFER_FAILED",
                                             N_ ("Incremental migration failed"),
                                             N_ ("DR abnormal"), DRS_STATUS_CLASS_FAILED },
  [DRS_JOB_STATUS_RELEASE_RESOURCE_STARTED] = { "RELEASE_RESOURCE_STARTED", N_ ("Stopping"), NULL,
                                                DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_RELEASE_RESOURCE_FAILED] = { "RELEASE_RESOURCE_FAILED", N_ ("Stop failed"), NULL,
                                               DRS_STATUS_CLASS_FAILED },
  [DRS_JOB_STATUS_RELEASE_RESOURCE_COMPLETE] = { "RELEASE_RESOURCE_COMPLETE", N_ ("Stopped"), NULL,
                                                 DRS_STATUS_CLASS_FINISHED },
  [DRS_JOB_STATUS_REBUILD_NODE_STARTED] = { "REBUILD_NODE_STARTED",
                                            N_ ("Fault recovery in progress"), NULL,
                                            DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_REBUILD_NODE_FAILED] = { "REBUILD_NODE_FAILED", N_ ("Fault recovery failed"),
                                           NULL, DRS_STATUS_CLASS_FAILED },
  [DRS_JOB_STATUS_CHANGE_JOB_STARTED] = { "CHANGE_JOB_STARTED", N_ ("Task change in progress"),
                                          NULL, DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_CHANGE_JOB_FAILED] = { "CHANGE_JOB_FAILED", N_ ("Task change failed"), NULL,
                                         DRS_STATUS_CLASS_FAILED },
  [DRS_JOB_STATUS_DELETED] = { "DELETED", N_ ("Deleted"), NULL, DRS_STATUS_CLASS_FINISHED },
  [DRS_JOB_STATUS_CHILD_TRANSFER_STARTING] = { "CHILD_TRANSFER_STARTING", N_ ("Subtask starting"),
                                               NULL, DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_CHILD_TRANSFER_STARTED] = { "CHILD_TRANSFER_STARTED", N_ ("Subtask migrating"),
                                              NULL, DRS_STATUS_CLASS_RUNNING },
  [DRS_JOB_STATUS_CHILD_TRANSFER_COMPLETE] = { "CHILD_TRANSFER_COMPLETE", N_ ("Subtask complete"),
                                               NULL, DRS_STATUS_CLASS_FINISHED },
  [DRS_JOB_STATUS_CHILD_TRANSFER_FAILED] = { "CHILD_TRANSFER_FAILED", N_ ("Subtask failed"), NULL,
                                             DRS_STATUS_CLASS_FAILED },
  [DRS_JOB_STATUS_RELEASE_CHILD_TRANSFER_STARTED] = { "RELEASE_CHILD_TRANSFER_STARTED",
                                                      N_ ("Subtask ending"), NULL,
                                                      DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_RELEASE_CHILD_TRANSFER_COMPLETE] = { "RELEASE_CHILD_TRANSFER_COMPLETE",
                                                       N_ ("Subtask ended"), NULL,
                                                       DRS_STATUS_CLASS_FINISHED },
  [DRS_JOB_STATUS_NODE_UPGRADE_START] = { "NODE_UPGRADE_START", N_ ("Node upgrade in progress"),
                                          NULL, DRS_STATUS_CLASS_PENDING },
  [DRS_JOB_STATUS_NODE_UPGRADE_COMPLETE] = { "NODE_UPGRADE_COMPLETE", N_ ("Node upgrade complete"),
                                             NULL, DRS_STATUS_CLASS_RUNNING },
  [DRS_JOB_STATUS_NODE_UPGRADE_FAILED] = { "NODE_UPGRADE_FAILED", N_ ("Node upgrade failed"), NULL,
                                           DRS_STATUS_CLASS_FAILED },
};

G_STATIC_ASSERT (G_N_ELEMENTS (statuses) == DRS_JOB_STATUS_N_KNOWN + 1);

/**
 * drs_job_status_from_string:
 * @value: (nullable): a `transfer_status` value, exactly as the server sent it
 *
 * Returns: the status, or %DRS_JOB_STATUS_UNKNOWN for %NULL and values this build does not know
 */
DrsJobStatus
drs_job_status_from_string (const char *value)
{
  if (value == NULL || *value == '\0')
    return DRS_JOB_STATUS_UNKNOWN;

  for (guint i = 1; i < G_N_ELEMENTS (statuses); i++)
    if (strcmp (statuses[i].value, value) == 0)
      return (DrsJobStatus) i;

  return DRS_JOB_STATUS_UNKNOWN;
}

/**
 * drs_job_status_to_string:
 *
 * Returns: (nullable): the wire value, %NULL for %DRS_JOB_STATUS_UNKNOWN
 */
const char *
drs_job_status_to_string (DrsJobStatus status)
{
  if ((guint) status < G_N_ELEMENTS (statuses))
    return statuses[status].value;
  return NULL;
}

/**
 * drs_job_status_classify:
 *
 * `FULL_TRANSFER_COMPLETE` ends a full-only task; a full + incremental task goes on running.
 */
DrsStatusClass
drs_job_status_classify (DrsJobStatus status, DrsTaskMode mode)
{
  if ((guint) status >= G_N_ELEMENTS (statuses))
    return DRS_STATUS_CLASS_UNKNOWN;

  if (status == DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE && mode == DRS_TASK_MODE_FULL_TRANS)
    return DRS_STATUS_CLASS_FINISHED;

  return statuses[status].status_class;
}

/**
 * drs_job_status_get_label:
 * @scenario: disaster recovery tasks name three statuses differently
 *
 * Returns: the translated label
 */
const char *
drs_job_status_get_label (DrsJobStatus status, DrsScenario scenario)
{
  const StatusInfo *info;

  if ((guint) status >= G_N_ELEMENTS (statuses))
    status = DRS_JOB_STATUS_UNKNOWN;

  info = &statuses[status];
  if (scenario == DRS_SCENARIO_CLOUD_DATA_GUARD && info->dr_label != NULL)
    return _ (info->dr_label);
  return _ (info->label);
}

/**
 * drs_job_status_is_incremental:
 *
 * Returns: %TRUE in the phase where the incremental delay matters
 */
gboolean
drs_job_status_is_incremental (DrsJobStatus status)
{
  return status == DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
}

/**
 * drs_job_status_is_removal:
 *
 * A task that ends so was stopped (its resources released) or deleted by someone: it is over, but
 * it neither failed nor completed its work, and is announced with its own label.
 *
 * Returns: %TRUE for `RELEASE_RESOURCE_COMPLETE`, `DELETED` and `RELEASE_CHILD_TRANSFER_COMPLETE`
 */
gboolean
drs_job_status_is_removal (DrsJobStatus status)
{
  return status == DRS_JOB_STATUS_RELEASE_RESOURCE_COMPLETE || status == DRS_JOB_STATUS_DELETED ||
         status == DRS_JOB_STATUS_RELEASE_CHILD_TRANSFER_COMPLETE;
}

/**
 * drs_job_status_code_is_removal:
 * @error_code: (nullable): a per-task `error_code`
 *
 * Returns: %TRUE for the code a server answers for a task deleted or released (`DRS.M05004`,
 *   FACTS §3)
 */
gboolean
drs_job_status_code_is_removal (const char *error_code)
{
  return error_code != NULL && g_ascii_strcasecmp (error_code, "DRS.M05004") == 0;
}

/* The API's `task_mode` values are the nicks. */
DrsTaskMode
drs_task_mode_from_string (const char *value)
{
  int mode = DRS_TASK_MODE_UNKNOWN;

  if (g_strcmp0 (value, "unknown") == 0 || !drs_enum_from_nick (DRS_TYPE_TASK_MODE, value, &mode))
    return DRS_TASK_MODE_UNKNOWN;
  return (DrsTaskMode) mode;
}

const char *
drs_task_mode_to_string (DrsTaskMode mode)
{
  return mode == DRS_TASK_MODE_UNKNOWN ? NULL : drs_enum_to_nick (DRS_TYPE_TASK_MODE, mode);
}

const char *
drs_task_mode_get_label (DrsTaskMode mode)
{
  switch (mode)
    {
      case DRS_TASK_MODE_FULL_TRANS:
        return _ ("Full");
      case DRS_TASK_MODE_INCR_TRANS:
        return _ ("Incremental");
      case DRS_TASK_MODE_FULL_INCR_TRANS:
        return _ ("Full + incremental");
      case DRS_TASK_MODE_UNKNOWN:
      default:
        return _ ("Unknown");
    }
}

/**
 * drs_status_class_to_string:
 *
 * Returns: a stable, untranslated name (`pending`, `running`, …), also used as a CSS class
 */
const char *
drs_status_class_to_string (DrsStatusClass status_class)
{
  const char *nick = drs_enum_to_nick (DRS_TYPE_STATUS_CLASS, status_class);

  return nick != NULL ? nick : "unknown";
}

const char *
drs_status_class_get_label (DrsStatusClass status_class)
{
  switch (status_class)
    {
      case DRS_STATUS_CLASS_PENDING:
        return _ ("Pending");
      case DRS_STATUS_CLASS_RUNNING:
        return _ ("Running");
      case DRS_STATUS_CLASS_PAUSED:
        return C_ ("status class", "Paused");
      case DRS_STATUS_CLASS_FINISHED:
        return _ ("Finished");
      case DRS_STATUS_CLASS_FAILED:
        return _ ("Failed");
      case DRS_STATUS_CLASS_UNKNOWN:
      default:
        return _ ("Unknown");
    }
}

const char *
drs_status_class_get_icon_name (DrsStatusClass status_class)
{
  switch (status_class)
    {
      case DRS_STATUS_CLASS_PENDING:
        return "content-loading-symbolic";
      case DRS_STATUS_CLASS_RUNNING:
        return "media-playback-start-symbolic";
      case DRS_STATUS_CLASS_PAUSED:
        return "media-playback-pause-symbolic";
      case DRS_STATUS_CLASS_FINISHED:
        return "object-select-symbolic";
      case DRS_STATUS_CLASS_FAILED:
        return "dialog-error-symbolic";
      case DRS_STATUS_CLASS_UNKNOWN:
      default:
        return "dialog-question-symbolic";
    }
}

/* The job list's `db_use_type` values are the nicks. */
DrsScenario
drs_scenario_from_string (const char *value)
{
  int scenario = DRS_SCENARIO_UNKNOWN;

  if (g_strcmp0 (value, "unknown") == 0 ||
      !drs_enum_from_nick (DRS_TYPE_SCENARIO, value, &scenario))
    return DRS_SCENARIO_UNKNOWN;
  return (DrsScenario) scenario;
}

const char *
drs_scenario_to_string (DrsScenario scenario)
{
  return scenario == DRS_SCENARIO_UNKNOWN ? NULL : drs_enum_to_nick (DRS_TYPE_SCENARIO, scenario);
}

const char *
drs_scenario_get_label (DrsScenario scenario)
{
  switch (scenario)
    {
      case DRS_SCENARIO_MIGRATION:
        return _ ("Real-time migration");
      case DRS_SCENARIO_SYNC:
        return _ ("Real-time synchronization");
      case DRS_SCENARIO_CLOUD_DATA_GUARD:
        return _ ("Real-time disaster recovery");
      case DRS_SCENARIO_UNKNOWN:
      default:
        return _ ("Unknown");
    }
}

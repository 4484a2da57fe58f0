/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "drs-job-status.h"

G_BEGIN_DECLS

/* clang-format off */

/**
 * DrsTaskAction:
 * @DRS_TASK_ACTION_PAUSE: pause a migrating, synchronizing or DR task (`batch-pause-task`)
 * @DRS_TASK_ACTION_RESUME: resume a paused task (`batch-retry-task`)
 * @DRS_TASK_ACTION_RETRY: retry a failed task (`batch-retry-task`)
 *
 * What the user can do to a task (FACTS §9).
 */
typedef enum
{
  DRS_TASK_ACTION_PAUSE,
  DRS_TASK_ACTION_RESUME,
  DRS_TASK_ACTION_RETRY,
} DrsTaskAction;

#define DRS_TASK_ACTION_N 3

/**
 * DrsPauseMode:
 * @DRS_PAUSE_MODE_TARGET: stop replaying to the destination; logs are still captured, so
 *   resuming catches up from where it stopped (`pause_mode` `target`)
 * @DRS_PAUSE_MODE_ALL: stop capturing logs and replaying (`all`)
 */
typedef enum
{
  DRS_PAUSE_MODE_TARGET,
  DRS_PAUSE_MODE_ALL,
} DrsPauseMode;

/**
 * DrsActionRequest:
 * @action: pause, resume or retry
 * @mode: for %DRS_TASK_ACTION_PAUSE, what to stop
 * @job_ids: (array zero-terminated=1): the tasks
 *
 * What the user asked to do to which tasks: what the client and the monitor act on.
 */
typedef struct
{
  DrsTaskAction      action;
  DrsPauseMode       mode;
  const char *const *job_ids;
} DrsActionRequest;

/**
 * DrsActionOutcome:
 * @DRS_ACTION_OUTCOME_SUCCESS: DRS accepted the action for the task
 * @DRS_ACTION_OUTCOME_FAILED: nothing changed: DRS refused it for the task (wrong state, unknown
 *   task), or refused the request (no permission, throttled, bad request), or the request never
 *   reached it
 * @DRS_ACTION_OUTCOME_UNKNOWN: the request may have reached DRS but no usable answer came back
 *   (connection lost, timeout, server error): the task's status tells
 */
typedef enum
{
  DRS_ACTION_OUTCOME_SUCCESS,
  DRS_ACTION_OUTCOME_FAILED,
  DRS_ACTION_OUTCOME_UNKNOWN,
} DrsActionOutcome;

/**
 * DrsActionResult:
 *
 * The answer to one action on a set of tasks: for every task (deduplicated, in the order
 * asked) its own outcome and, unless it succeeded, why, never collapsed into one error.
 */
typedef struct _DrsActionResult DrsActionResult;

#define DRS_TYPE_ACTION_RESULT (drs_action_result_get_type ())

const char      *drs_task_action_to_string        (DrsTaskAction      action);
gboolean         drs_task_action_from_string      (const char        *text,
                                                   DrsTaskAction     *action);
const char      *drs_pause_mode_to_string         (DrsPauseMode       mode);
gboolean         drs_task_action_applies          (DrsTaskAction      action,
                                                   DrsJobStatus       status,
                                                   DrsTaskMode        task_mode);
const char      *drs_action_outcome_to_string     (DrsActionOutcome   outcome);
gboolean         drs_action_outcome_from_string   (const char        *text,
                                                   DrsActionOutcome  *outcome);

GType            drs_action_result_get_type       (void) G_GNUC_CONST;
DrsActionResult *drs_action_result_new            (DrsTaskAction      action,
                                                   DrsPauseMode       mode,
                                                   const char * const *job_ids);
DrsActionResult *drs_action_result_ref            (DrsActionResult   *result);
void             drs_action_result_unref          (DrsActionResult   *result);
DrsTaskAction    drs_action_result_get_action     (DrsActionResult   *result);
DrsPauseMode     drs_action_result_get_pause_mode (DrsActionResult   *result);
const char *const *drs_action_result_get_job_ids  (DrsActionResult   *result);
DrsActionOutcome drs_action_result_get_outcome    (DrsActionResult   *result,
                                                   const char        *job_id);
const GError    *drs_action_result_get_error      (DrsActionResult   *result,
                                                   const char        *job_id);
void             drs_action_result_set            (DrsActionResult   *result,
                                                   const char        *job_id,
                                                   DrsActionOutcome   outcome,
                                                   const GError      *error);
guint            drs_action_result_count          (DrsActionResult   *result,
                                                   DrsActionOutcome   outcome);
const char      *drs_action_result_get_first_job  (DrsActionResult   *result,
                                                   DrsActionOutcome   outcome);
guint            drs_action_result_get_n_requests (DrsActionResult   *result);
void             drs_action_result_add_requests   (DrsActionResult   *result,
                                                   guint              n);

/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsActionResult, drs_action_result_unref)

G_END_DECLS

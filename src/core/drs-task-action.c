/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-task-action"

#include "config.h"

#include "drs-enum-nick.h"
#include "drs-enums.h"
#include "drs-task-action.h"

/**
 * SECTION:drs-task-action
 *
 * What can be done to a task and when (FACTS §9), and the per-task answer to doing it.
 */

/**
 * drs_task_action_to_string:
 *
 * Returns: a stable name (`pause`, `resume`, `retry`), as the history stores it
 */
const char *
drs_task_action_to_string (DrsTaskAction action)
{
  g_return_val_if_fail ((guint) action < DRS_TASK_ACTION_N, NULL);
  return drs_enum_to_nick (DRS_TYPE_TASK_ACTION, action);
}

gboolean
drs_task_action_from_string (const char *text, DrsTaskAction *action)
{
  int value;

  if (!drs_enum_from_nick (DRS_TYPE_TASK_ACTION, text, &value))
    return FALSE;
  *action = (DrsTaskAction) value;
  return TRUE;
}

/**
 * drs_pause_mode_to_string:
 *
 * Returns: the API's `pause_mode` value: `target` or `all`
 */
const char *
drs_pause_mode_to_string (DrsPauseMode mode)
{
  return drs_enum_to_nick (DRS_TYPE_PAUSE_MODE,
                           mode == DRS_PAUSE_MODE_ALL ? mode : DRS_PAUSE_MODE_TARGET);
}

/**
 * drs_task_action_applies:
 *
 * The rules DRS applies: pause a task that is migrating, synchronizing or in DR (its status
 * class is running), resume a paused one, retry a failed one.
 *
 * Returns: %TRUE when DRS accepts @action for a task in @status
 */
gboolean
drs_task_action_applies (DrsTaskAction action, DrsJobStatus status, DrsTaskMode task_mode)
{
  DrsStatusClass status_class = drs_job_status_classify (status, task_mode);

  switch (action)
    {
      case DRS_TASK_ACTION_PAUSE:
        return status_class == DRS_STATUS_CLASS_RUNNING;
      case DRS_TASK_ACTION_RESUME:
        return status == DRS_JOB_STATUS_PAUSING;
      case DRS_TASK_ACTION_RETRY:
        return status_class == DRS_STATUS_CLASS_FAILED;
      default:
        return FALSE;
    }
}

const char *
drs_action_outcome_to_string (DrsActionOutcome outcome)
{
  return drs_enum_to_nick (DRS_TYPE_ACTION_OUTCOME, outcome);
}

gboolean
drs_action_outcome_from_string (const char *text, DrsActionOutcome *outcome)
{
  int value;

  if (!drs_enum_from_nick (DRS_TYPE_ACTION_OUTCOME, text, &value))
    return FALSE;
  *outcome = (DrsActionOutcome) value;
  return TRUE;
}

/* DrsActionResult ----------------------------------------------------------------------------- */

typedef struct
{
  DrsActionOutcome outcome;
  GError          *error;
} Item;

struct _DrsActionResult
{
  gatomicrefcount ref_count;
  DrsTaskAction   action;
  DrsPauseMode    mode;
  GStrv           job_ids; /* deduplicated, in the order asked */
  GHashTable     *items;   /* id (borrowed from job_ids) → Item */
  guint           n_requests;
};

G_DEFINE_BOXED_TYPE (DrsActionResult,
                     drs_action_result,
                     drs_action_result_ref,
                     drs_action_result_unref)

/* What an id that was not asked about reads as. */
static const Item unknown_item = { DRS_ACTION_OUTCOME_UNKNOWN, NULL };

static void
item_free (Item *item)
{
  g_clear_error (&item->error);
  g_free (item);
}

static const Item *
lookup_item (DrsActionResult *result, const char *job_id)
{
  const Item *item = g_hash_table_lookup (result->items, job_id);

  return item != NULL ? item : &unknown_item;
}

/**
 * drs_action_result_new:
 * @job_ids: the tasks; duplicates and empty ids are dropped
 *
 * Every task starts as %DRS_ACTION_OUTCOME_UNKNOWN without an error, until
 * drs_action_result_set() says more.
 *
 * Returns: (transfer full): a result
 */
DrsActionResult *
drs_action_result_new (DrsTaskAction action, DrsPauseMode mode, const char *const *job_ids)
{
  DrsActionResult *self = g_new0 (DrsActionResult, 1);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();

  g_atomic_ref_count_init (&self->ref_count);
  self->action = action;
  self->mode = mode;
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) item_free);
  for (guint i = 0; job_ids != NULL && job_ids[i] != NULL; i++)
    {
      Item *item;
      char *id;

      if (*job_ids[i] == '\0' || g_hash_table_contains (self->items, job_ids[i]))
        continue;
      id = g_strdup (job_ids[i]);
      g_ptr_array_add (ids, id);
      item = g_new0 (Item, 1);
      item->outcome = DRS_ACTION_OUTCOME_UNKNOWN;
      g_hash_table_insert (self->items, id, item);
    }
  g_ptr_array_add (ids, NULL);
  self->job_ids = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  return self;
}

DrsActionResult *
drs_action_result_ref (DrsActionResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
drs_action_result_unref (DrsActionResult *result)
{
  g_return_if_fail (result != NULL);
  if (!g_atomic_ref_count_dec (&result->ref_count))
    return;
  g_hash_table_unref (result->items);
  g_strfreev (result->job_ids);
  g_free (result);
}

DrsTaskAction
drs_action_result_get_action (DrsActionResult *result)
{
  g_return_val_if_fail (result != NULL, DRS_TASK_ACTION_RETRY);
  return result->action;
}

DrsPauseMode
drs_action_result_get_pause_mode (DrsActionResult *result)
{
  g_return_val_if_fail (result != NULL, DRS_PAUSE_MODE_TARGET);
  return result->mode;
}

/**
 * drs_action_result_get_job_ids:
 *
 * Returns: (transfer none): the tasks, deduplicated, in the order asked
 */
const char *const *
drs_action_result_get_job_ids (DrsActionResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return (const char *const *) result->job_ids;
}

/**
 * drs_action_result_get_outcome:
 *
 * Returns: what happened to @job_id; %DRS_ACTION_OUTCOME_UNKNOWN for an id not asked about
 */
DrsActionOutcome
drs_action_result_get_outcome (DrsActionResult *result, const char *job_id)
{
  g_return_val_if_fail (result != NULL, DRS_ACTION_OUTCOME_UNKNOWN);
  g_return_val_if_fail (job_id != NULL, DRS_ACTION_OUTCOME_UNKNOWN);
  return lookup_item (result, job_id)->outcome;
}

/**
 * drs_action_result_get_error:
 *
 * Returns: (transfer none) (nullable): why @job_id's action failed or is uncertain: a
 *   %DRS_ERROR carrying the server's code and message (drs_error_get_server_code()) when the
 *   server gave one for this task, else the error of its request
 */
const GError *
drs_action_result_get_error (DrsActionResult *result, const char *job_id)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (job_id != NULL, NULL);
  return lookup_item (result, job_id)->error;
}

/**
 * drs_action_result_set:
 * @error: (nullable): copied
 *
 * Records @job_id's outcome; ids not in the result are ignored.
 */
void
drs_action_result_set (DrsActionResult *result,
                       const char      *job_id,
                       DrsActionOutcome outcome,
                       const GError    *error)
{
  Item *item;

  g_return_if_fail (result != NULL);
  g_return_if_fail (job_id != NULL);

  item = g_hash_table_lookup (result->items, job_id);
  if (item == NULL)
    return;
  item->outcome = outcome;
  g_clear_error (&item->error);
  if (error != NULL && outcome != DRS_ACTION_OUTCOME_SUCCESS)
    item->error = g_error_copy (error);
}

guint
drs_action_result_count (DrsActionResult *result, DrsActionOutcome outcome)
{
  guint n = 0;

  g_return_val_if_fail (result != NULL, 0);

  for (guint i = 0; result->job_ids[i] != NULL; i++)
    if (drs_action_result_get_outcome (result, result->job_ids[i]) == outcome)
      n++;
  return n;
}

/**
 * drs_action_result_get_first_job:
 *
 * Returns: (nullable): the first task (in the order asked) with @outcome
 */
const char *
drs_action_result_get_first_job (DrsActionResult *result, DrsActionOutcome outcome)
{
  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; result->job_ids[i] != NULL; i++)
    if (drs_action_result_get_outcome (result, result->job_ids[i]) == outcome)
      return result->job_ids[i];
  return NULL;
}

/**
 * drs_action_result_get_n_requests:
 *
 * Returns: the HTTP requests sent for the action, resends included
 */
guint
drs_action_result_get_n_requests (DrsActionResult *result)
{
  g_return_val_if_fail (result != NULL, 0);
  return result->n_requests;
}

void
drs_action_result_add_requests (DrsActionResult *result, guint n)
{
  g_return_if_fail (result != NULL);
  result->n_requests += n;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-error.h"
#include "drs-monitor-private.h"

/*
 * Acting on watched tasks: drs_monitor_act_async() sends the action through each task's
 * account, gathers the per-task outcomes into one #DrsActionResult, records them in the history
 * and has the tasks polled at once (_drs_monitor_after_action()).
 */

typedef struct
{
  DrsActionResult *result;
  guint            pending;
} ActData;

typedef struct
{
  GTask *task; /* owns a reference */
  char  *account;
} Part;

static void
act_data_free (ActData *data)
{
  g_clear_pointer (&data->result, drs_action_result_unref);
  g_free (data);
}

static void
record_history (DrsMonitor *self, DrsActionResult *result)
{
  DrsHistory        *history = drs_monitor_get_history (self);
  DrsJobStore       *store = drs_monitor_get_store (self);
  const char *const *ids = drs_action_result_get_job_ids (result);
  gint64             now = drs_clock_get_wall_us (drs_monitor_get_clock (self));

  if (history == NULL)
    return;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      DrsJob         *job = drs_job_store_lookup (store, ids[i]);
      const GError   *error = drs_action_result_get_error (result, ids[i]);
      DrsActionRecord record = {
        .time_us = now,
        .job_id = (char *) ids[i],
        .account = job != NULL ? (char *) drs_job_get_account (job) : NULL,
        .action = drs_action_result_get_action (result),
        .pause_mode = drs_action_result_get_pause_mode (result),
        .outcome = drs_action_result_get_outcome (result, ids[i]),
        .error_code = error != NULL ? (char *) drs_error_get_server_code (error) : NULL,
        .error_message = error != NULL ? error->message : NULL,
      };
      g_autoptr (GError) local_error = NULL;

      if (!drs_history_record_action (history, &record, &local_error))
        g_message ("%s", local_error->message);
    }
}

/**
 * _drs_monitor_after_action:
 *
 * Every task of @result is polled at once (an uncertain outcome shows in the status too); the
 * ones that succeeded are marked #DrsJob:action-pending until their status changes or
 * %DRS_MONITOR_ACTION_PENDING_US passes. Then #DrsMonitor::action-finished.
 */
void
_drs_monitor_after_action (DrsMonitor *self, DrsActionResult *result)
{
  const char *const *ids = drs_action_result_get_job_ids (result);
  gint64             now = drs_clock_get_monotonic_us (self->clock);

  _drs_monitor_sync_states (self);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      DrsMonitorJobState *state = g_hash_table_lookup (self->states, ids[i]);
      DrsActionOutcome    outcome = drs_action_result_get_outcome (result, ids[i]);

      if (state == NULL || outcome == DRS_ACTION_OUTCOME_FAILED)
        continue;
      /* An answer in flight may predate the action: urgent stays set until the next send. */
      state->urgent = TRUE;
      if (outcome == DRS_ACTION_OUTCOME_SUCCESS)
        {
          drs_job_set_action_pending (state->job, TRUE, drs_action_result_get_action (result));
          state->pending_until_us = now + DRS_MONITOR_ACTION_PENDING_US;
        }
    }
  _drs_monitor_kick (self);
  _drs_monitor_emit (self, DRS_MONITOR_ACTION_FINISHED, result);
}

static void
part_done (GTask *task)
{
  DrsMonitor *self = g_task_get_source_object (task);
  ActData    *data = g_task_get_task_data (task);

  if (--data->pending > 0)
    return;
  self->acting--;
  record_history (self, data->result);
  _drs_monitor_after_action (self, data->result);
  g_task_return_pointer (task, drs_action_result_ref (data->result),
                         (GDestroyNotify) drs_action_result_unref);
}

static void
on_client_acted (GObject *object, GAsyncResult *res, gpointer user_data)
{
  Part *part = user_data;
  g_autoptr (GTask) task = g_steal_pointer (&part->task);
  ActData *data = g_task_get_task_data (task);
  g_autoptr (DrsActionResult) answer = NULL;
  const char *const *ids;

  answer = drs_client_act_finish (DRS_CLIENT (object), res, NULL);
  ids = drs_action_result_get_job_ids (answer);
  for (guint i = 0; ids[i] != NULL; i++)
    drs_action_result_set (data->result, ids[i], drs_action_result_get_outcome (answer, ids[i]),
                           drs_action_result_get_error (answer, ids[i]));
  drs_action_result_add_requests (data->result, drs_action_result_get_n_requests (answer));
  g_free (part->account);
  g_free (part);
  part_done (task);
}

/**
 * drs_monitor_act_async:
 * @request: the action, and watched tasks; each goes through its own account's client
 *
 * Acts on the tasks (see drs_client_act_async()), records every outcome in the history, polls
 * the tasks at once and marks those DRS accepted #DrsJob:action-pending. Tasks of an account
 * without a client fail alone.
 */
void
drs_monitor_act_async (DrsMonitor             *self,
                       const DrsActionRequest *request,
                       GCancellable           *cancellable,
                       GAsyncReadyCallback     callback,
                       gpointer                user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GHashTable) groups = NULL; /* account ("" default) → GPtrArray of ids */
  GHashTableIter     iter;
  gpointer           key, value;
  ActData           *data;
  const char *const *ids;

  g_return_if_fail (DRS_IS_MONITOR (self));
  g_return_if_fail (request != NULL && request->job_ids != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_monitor_act_async);
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (ActData, 1);
  data->result = drs_action_result_new (request->action, request->mode, request->job_ids);
  data->pending = 1; /* released below, once every part is on its way */
  self->acting++;
  g_task_set_task_data (task, data, (GDestroyNotify) act_data_free);

  groups =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  ids = drs_action_result_get_job_ids (data->result);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      DrsJob     *job = drs_job_store_lookup (drs_monitor_get_store (self), ids[i]);
      const char *account = job != NULL ? drs_job_get_account (job) : NULL;
      GPtrArray  *group = g_hash_table_lookup (groups, account != NULL ? account : "");

      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, g_strdup (account != NULL ? account : ""), group);
        }
      g_ptr_array_add (group, (gpointer) ids[i]);
    }

  g_hash_table_iter_init (&iter, groups);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *account = *(const char *) key != '\0' ? key : NULL;
      GPtrArray  *group = value;
      DrsClient  *client = drs_monitor_get_client (self, account);
      Part       *part;

      g_ptr_array_add (group, NULL);
      if (client == NULL)
        {
          g_autoptr (GError) error = NULL;

          if (account != NULL)
            error =
                g_error_new (DRS_ERROR, DRS_ERROR_INVALID,
                             _ ("The account “%s” is not set up, so nothing was sent."), account);
          else
            error = g_error_new_literal (DRS_ERROR, DRS_ERROR_INVALID,
                                         _ ("No account is set up, so nothing was sent."));
          for (guint i = 0; group->pdata[i] != NULL; i++)
            drs_action_result_set (data->result, group->pdata[i], DRS_ACTION_OUTCOME_FAILED, error);
          continue;
        }

      part = g_new0 (Part, 1);
      part->task = g_object_ref (task);
      part->account = g_strdup (account);
      data->pending++;
      drs_client_act_async (
          client,
          &(DrsActionRequest){ request->action, request->mode, (const char *const *) group->pdata },
          cancellable, on_client_acted, part);
    }

  part_done (task);
}

/**
 * drs_monitor_get_acting:
 *
 * Returns: whether an action (drs_monitor_act_async()) is under way
 */
gboolean
drs_monitor_get_acting (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), FALSE);
  return self->acting > 0;
}

/**
 * drs_monitor_act_finish:
 *
 * Returns: (transfer full): every task's outcome; never fails
 */
DrsActionResult *
drs_monitor_act_finish (DrsMonitor *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

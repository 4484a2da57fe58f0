/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-history"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-history-private.h"

/*
 * The actions the user took on tasks (schema 3). Actions are rare and user-driven, like the
 * watched-job edits: one small insert on the main connection, which WAL keeps from waiting for
 * the sample writer.
 */

void
drs_action_record_free (DrsActionRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->job_id);
  g_free (record->account);
  g_free (record->error_code);
  g_free (record->error_message);
  g_free (record);
}

static void
bind_text_or_null (sqlite3_stmt *stmt, int column, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

/**
 * drs_history_record_action:
 *
 * Returns: %TRUE when @record was written
 */
gboolean
drs_history_record_action (DrsHistory *self, const DrsActionRecord *record, GError **error)
{
  sqlite3      *db;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (record != NULL && record->job_id != NULL, FALSE);

  db = _drs_history_get_db (self);
  rc = sqlite3_prepare_v2 (db,
                           "INSERT INTO actions (time_us, job_id, account, action, pause_mode,"
                           " outcome, error_code, error_msg)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, record->time_us);
      sqlite3_bind_text (stmt, 2, record->job_id, -1, SQLITE_TRANSIENT);
      bind_text_or_null (stmt, 3, record->account);
      sqlite3_bind_text (stmt, 4, drs_task_action_to_string (record->action), -1, SQLITE_STATIC);
      bind_text_or_null (stmt, 5,
                         record->action == DRS_TASK_ACTION_PAUSE
                             ? drs_pause_mode_to_string (record->pause_mode)
                             : NULL);
      sqlite3_bind_text (stmt, 6, drs_action_outcome_to_string (record->outcome), -1,
                         SQLITE_STATIC);
      bind_text_or_null (stmt, 7, record->error_code);
      bind_text_or_null (stmt, 8, record->error_message);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _drs_history_set_error (self, error, _ ("record the action"));
      return FALSE;
    }
  return TRUE;
}

/**
 * drs_history_list_actions:
 * @job_id: (nullable): one task, or %NULL for all
 * @from_us: the earliest time, wall-clock microseconds
 * @to_us: the latest time
 *
 * Returns: (transfer container) (element-type DrsActionRecord) (nullable): the actions in time
 *   order, or %NULL with @error
 */
GPtrArray *
drs_history_list_actions (
    DrsHistory *self, const char *job_id, gint64 from_us, gint64 to_us, GError **error)
{
  g_autoptr (GPtrArray) out = NULL;
  sqlite3      *db;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  g_return_val_if_fail (DRS_IS_HISTORY (self), NULL);

  db = _drs_history_get_db (self);
  rc = sqlite3_prepare_v2 (db,
                           "SELECT time_us, job_id, account, action, pause_mode, outcome,"
                           " error_code, error_msg FROM actions"
                           " WHERE (?1 IS NULL OR job_id = ?1) AND time_us BETWEEN ?2 AND ?3"
                           " ORDER BY time_us, rowid",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _drs_history_set_error (self, error, _ ("read the actions"));
      return NULL;
    }
  bind_text_or_null (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_action_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DrsActionRecord *record = g_new0 (DrsActionRecord, 1);
      const char      *mode = (const char *) sqlite3_column_text (stmt, 4);

      record->time_us = sqlite3_column_int64 (stmt, 0);
      record->job_id = _drs_history_dup_text (stmt, 1);
      record->account = _drs_history_dup_text (stmt, 2);
      /* A value a newer version wrote reads as the nearest one this version knows. */
      if (!drs_task_action_from_string ((const char *) sqlite3_column_text (stmt, 3),
                                        &record->action))
        record->action = DRS_TASK_ACTION_RETRY;
      record->pause_mode =
          g_strcmp0 (mode, "all") == 0 ? DRS_PAUSE_MODE_ALL : DRS_PAUSE_MODE_TARGET;
      if (!drs_action_outcome_from_string ((const char *) sqlite3_column_text (stmt, 5),
                                           &record->outcome))
        record->outcome = DRS_ACTION_OUTCOME_UNKNOWN;
      record->error_code = _drs_history_dup_text (stmt, 6);
      record->error_message = _drs_history_dup_text (stmt, 7);
      g_ptr_array_add (out, record);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _drs_history_set_error (self, error, _ ("read the actions"));
      return NULL;
    }
  return g_steal_pointer (&out);
}

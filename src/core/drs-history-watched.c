/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-history"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-history-private.h"

/*
 * The watched tasks: the (rare, user-driven) edits of the list and its reading, on the main
 * connection, which WAL keeps from waiting for the sample writer.
 */

void
drs_watched_job_free (DrsWatchedJob *watched)
{
  if (watched == NULL)
    return;
  g_free (watched->id);
  g_free (watched->name);
  g_free (watched->account);
  g_free (watched);
}

static gboolean
run_statement (
    DrsHistory *self, const char *sql, const char *what, GError **error, const char *first, ...)
{
  sqlite3_stmt *stmt = NULL;
  va_list       args;
  int           rc;
  int           column = 1;

  rc = sqlite3_prepare_v2 (_drs_history_get_db (self), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _drs_history_set_error (self, error, what);
      return FALSE;
    }

  va_start (args, first);
  for (const char *text = first; column <= sqlite3_bind_parameter_count (stmt); column++)
    {
      if (column > 1)
        text = va_arg (args, const char *);
      sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
    }
  va_end (args);

  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _drs_history_set_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

/**
 * drs_history_add_watched:
 * @name: (nullable): the name to show
 * @account: (nullable): the account to poll with; %NULL for the default one
 *
 * Adds a task to the watched list, or updates its name and account if it is there already
 * (keeping the time it was first added).
 *
 * Returns: %TRUE on success
 */
gboolean
drs_history_add_watched (
    DrsHistory *self, const char *job_id, const char *name, const char *account, GError **error)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  if (name != NULL && *name == '\0')
    name = NULL;
  now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  return run_statement (self,
                        "INSERT INTO watched (id, name, account, added_us)"
                        " VALUES (?1, ?2, ?3, CAST(?4 AS INTEGER))"
                        " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                        " account = excluded.account",
                        _ ("save the watched task"), error, job_id, name, account, now);
}

/**
 * drs_history_remove_watched:
 *
 * Removes a task from the watched list and forgets its samples.
 *
 * Returns: %TRUE on success (also if the task was not watched)
 */
gboolean
drs_history_remove_watched (DrsHistory *self, const char *job_id, GError **error)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  if (!run_statement (self, "DELETE FROM watched WHERE id = ?1", _ ("remove the watched task"),
                      error, job_id))
    return FALSE;

  _drs_history_forget_samples (self, job_id);
  return TRUE;
}

/**
 * drs_history_rename_watched:
 * @name: (nullable): the new name; %NULL or empty to show the id
 *
 * Returns: %TRUE on success
 */
gboolean
drs_history_rename_watched (DrsHistory *self, const char *job_id, const char *name, GError **error)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  if (name != NULL && *name == '\0')
    name = NULL;
  return run_statement (self, "UPDATE watched SET name = ?2 WHERE id = ?1",
                        _ ("rename the watched task"), error, job_id, name);
}

/**
 * drs_history_list_watched:
 *
 * Returns: (transfer full) (element-type DrsWatchedJob) (nullable): the watched tasks in the
 *   order they were added
 */
GPtrArray *
drs_history_list_watched (DrsHistory *self, GError **error)
{
  g_autoptr (GPtrArray) list = NULL;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  g_return_val_if_fail (DRS_IS_HISTORY (self), NULL);

  rc = sqlite3_prepare_v2 (_drs_history_get_db (self),
                           "SELECT id, name, account, added_us FROM watched"
                           " ORDER BY added_us, id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _drs_history_set_error (self, error, _ ("read the watched tasks"));
      return NULL;
    }

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_watched_job_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DrsWatchedJob *watched = g_new0 (DrsWatchedJob, 1);

      watched->id = _drs_history_dup_text (stmt, 0);
      watched->name = _drs_history_dup_text (stmt, 1);
      watched->account = _drs_history_dup_text (stmt, 2);
      watched->added_us = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (list, watched);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _drs_history_set_error (self, error, _ ("read the watched tasks"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-history"

#include "config.h"

#include <errno.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "drs-error.h"
#include "drs-history-private.h"

/*
 * The history's database file: opening connections, the schema and its migrations, the check
 * that every table reads, moving a damaged file aside, and the small SQLite helpers the other
 * files of DrsHistory share.
 *
 * Schema versions (PRAGMA user_version):
 *  1. watched (id, name, added_us); samples keyed by the job id text.
 *  2. watched gains account; job ids move to a `jobs` table and samples are keyed by
 *     (job key, time) WITHOUT ROWID, a third of the size; struct/data/index completion.
 *  3. actions: what the user did to a task (pause, resume, retry), when, with which account and
 *     with what outcome (drs-history-actions.c).
 *  4. unobserved: spans of time nobody watched although the app ran (the computer slept), so
 *     charts show them as gaps however short they are.
 */

/* A quick_check at open is affordable below this size. */
#define QUICK_CHECK_MAX_BYTES ((goffset) 32 * 1024 * 1024)

/* The jobs and samples tables of schema 2, created by @create ("CREATE TABLE …"). */
/* clang-format off */
#define JOBS_AND_SAMPLES_V2(create)            \
  create " jobs ("                             \
  "  key INTEGER PRIMARY KEY,"                 \
  "  id TEXT NOT NULL UNIQUE);"                \
  create " samples ("                          \
  "  job INTEGER NOT NULL,"                    \
  "  time_us INTEGER NOT NULL,"                \
  "  progress REAL,"                           \
  "  delay_ms INTEGER,"                        \
  "  status INTEGER NOT NULL,"                 \
  "  struct REAL,"                             \
  "  data REAL,"                               \
  "  idx REAL,"                                \
  "  PRIMARY KEY (job, time_us)) WITHOUT ROWID;"

static const char schema_v2[] =
    "CREATE TABLE IF NOT EXISTS watched ("
    "  id TEXT PRIMARY KEY NOT NULL,"
    "  name TEXT,"
    "  account TEXT,"
    "  added_us INTEGER NOT NULL);"
    JOBS_AND_SAMPLES_V2 ("CREATE TABLE IF NOT EXISTS");

static const char migrate_v1_v2[] =
    "ALTER TABLE watched ADD COLUMN account TEXT;"
    "ALTER TABLE samples RENAME TO samples_v1;"
    JOBS_AND_SAMPLES_V2 ("CREATE TABLE")
    "INSERT INTO jobs (id) SELECT DISTINCT job_id FROM samples_v1;"
    "INSERT OR REPLACE INTO samples (job, time_us, progress, delay_ms, status)"
    "  SELECT j.key, s.time_us, s.progress, s.delay_ms, s.status"
    "  FROM samples_v1 s JOIN jobs j ON j.id = s.job_id;"
    "DROP TABLE samples_v1;";
/* clang-format on */

static const char migrate_v2_v3[] = "CREATE TABLE IF NOT EXISTS actions ("
                                    "  time_us INTEGER NOT NULL,"
                                    "  job_id TEXT NOT NULL,"
                                    "  account TEXT,"
                                    "  action TEXT NOT NULL,"
                                    "  pause_mode TEXT,"
                                    "  outcome TEXT NOT NULL,"
                                    "  error_code TEXT,"
                                    "  error_msg TEXT);"
                                    "CREATE INDEX IF NOT EXISTS actions_by_job"
                                    "  ON actions (job_id, time_us);";

static const char migrate_v3_v4[] = "CREATE TABLE IF NOT EXISTS unobserved ("
                                    "  from_us INTEGER NOT NULL,"
                                    "  to_us INTEGER NOT NULL);";

/* Helpers ----------------------------------------------------------------------------------- */

void
_drs_history_set_sqlite_error (GError **error, sqlite3 *db, const char *path, const char *what)
{
  /* Translators: the first %s is an action ("read the history"), the second a file name, the
   * third SQLite's own explanation */
  g_set_error (error, DRS_ERROR, DRS_ERROR_STORAGE, _ ("Could not %s in %s: %s"), what, path,
               db != NULL ? sqlite3_errmsg (db) : "?");
}

int
_drs_history_exec (sqlite3 *db, const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL);
}

/* Returns: (nullable): a copy of a text column, %NULL for a NULL value */
char *
_drs_history_dup_text (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Opening ----------------------------------------------------------------------------------- */

static gboolean
is_damage (int rc)
{
  rc &= 0xff;
  return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static int
configure_connection (sqlite3 *db)
{
  int rc;

  sqlite3_busy_timeout (db, 5000);
  rc = _drs_history_exec (db, "PRAGMA journal_mode=WAL");
  if (rc == SQLITE_OK)
    rc = _drs_history_exec (db, "PRAGMA synchronous=NORMAL");
  return rc;
}

static int
get_user_version (sqlite3 *db, int *version)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *version = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  return rc;
}

static int
migrate (sqlite3 *db, int version)
{
  g_autofree char *set_version = NULL;
  int              rc;

  rc = _drs_history_exec (db, "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK)
    return rc;

  /* Another process may have migrated while we waited for the lock. */
  rc = get_user_version (db, &version);
  if (rc == SQLITE_OK && version == 0)
    rc = _drs_history_exec (db, schema_v2);
  else if (rc == SQLITE_OK && version == 1)
    rc = _drs_history_exec (db, migrate_v1_v2);
  if (rc == SQLITE_OK && version < 3)
    rc = _drs_history_exec (db, migrate_v2_v3);
  if (rc == SQLITE_OK && version < 4)
    rc = _drs_history_exec (db, migrate_v3_v4);

  if (rc == SQLITE_OK && version < DRS_HISTORY_SCHEMA_VERSION)
    {
      set_version = g_strdup_printf ("PRAGMA user_version=%d", DRS_HISTORY_SCHEMA_VERSION);
      rc = _drs_history_exec (db, set_version);
    }

  if (rc == SQLITE_OK)
    rc = _drs_history_exec (db, "COMMIT");
  else
    _drs_history_exec (db, "ROLLBACK");
  return rc;
}

/* Reads every table once, so a damaged file shows here and not at the first chart. */
static int
check_readable (sqlite3 *db, const char *path)
{
  /* clang-format off */
  static const char *const probes[] = {
    "SELECT count(*) FROM watched",
    "SELECT count(*) FROM jobs",
    "SELECT max(time_us) FROM samples",
    "SELECT count(*) FROM actions",
    "SELECT count(*) FROM unobserved",
  };
  /* clang-format on */
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = NULL;
  int rc = SQLITE_OK;

  for (guint i = 0; i < G_N_ELEMENTS (probes) && rc == SQLITE_OK; i++)
    rc = _drs_history_exec (db, probes[i]);

  info =
      g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (rc == SQLITE_OK && info != NULL && g_file_info_get_size (info) <= QUICK_CHECK_MAX_BYTES)
    {
      sqlite3_stmt *stmt = NULL;

      rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            {
              const char *result = (const char *) sqlite3_column_text (stmt, 0);

              rc = g_strcmp0 (result, "ok") == 0 ? SQLITE_OK : SQLITE_CORRUPT;
            }
        }
      sqlite3_finalize (stmt);
    }
  return rc;
}

static char *
move_aside (const char *path, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char         *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char         *aside = NULL;
  static const char *const suffixes[] = { "-wal", "-shm", "-journal" };

  aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved = errno;

      g_set_error (error, DRS_ERROR, DRS_ERROR_STORAGE,
                   _ ("The history database %s is damaged and could not be moved aside: %s. "
                      "Move or delete it, then start DRS Monitor again."),
                   path, g_strerror (saved));
      return NULL;
    }

  /* Keep the WAL with its database: it may hold the newest samples. */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  return g_steal_pointer (&aside);
}

static sqlite3 *
open_connection (const char *path, int *rc_out)
{
  sqlite3 *db = NULL;
  int      rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc == SQLITE_OK)
    rc = configure_connection (db);
  *rc_out = rc;
  return db;
}

static void
handle_open_failure (const char *path, sqlite3 **db, int rc, GError **error)
{
  if (is_damage (rc))
    {
      g_autoptr (GError) local_error = NULL;
      g_autofree char *aside = NULL;

      g_clear_pointer (db, sqlite3_close);
      aside = move_aside (path, &local_error);
      if (aside == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return;
        }
      g_set_error (error, DRS_ERROR, DRS_ERROR_STORAGE,
                   _ ("The history database was damaged and has been moved to %s. "
                      "A new, empty history has been started; the watched tasks and samples "
                      "in the damaged file were not read."),
                   aside);
      return;
    }

  _drs_history_set_sqlite_error (error, *db, path, _ ("read the history"));
  g_clear_pointer (db, sqlite3_close);
}

/**
 * _drs_history_open_database:
 *
 * Opens or creates the database at @path and migrates it to the current schema; see
 * drs_history_open() for what happens to a damaged file or one of a newer version.
 *
 * Returns: (transfer full) (nullable): the connection, or %NULL with @error set
 */
sqlite3 *
_drs_history_open_database (const char *path, GError **error)
{
  sqlite3 *db = NULL;
  int      version = 0;
  int      rc;

  db = open_connection (path, &rc);
  if (db == NULL || rc == SQLITE_CANTOPEN || rc == SQLITE_PERM || rc == SQLITE_READONLY)
    {
      _drs_history_set_sqlite_error (error, db, path, _ ("open the history"));
      g_clear_pointer (&db, sqlite3_close);
      return NULL;
    }
  if (rc == SQLITE_OK)
    rc = get_user_version (db, &version);
  if (rc != SQLITE_OK)
    {
      handle_open_failure (path, &db, rc, error);
      return NULL;
    }

  if (version > DRS_HISTORY_SCHEMA_VERSION)
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_STORAGE,
                   _ ("The history database %s was written by a newer version of DRS Monitor "
                      "(format %d; this version reads up to %d). Update DRS Monitor to use it."),
                   path, version, DRS_HISTORY_SCHEMA_VERSION);
      sqlite3_close (db);
      return NULL;
    }

  if (version < DRS_HISTORY_SCHEMA_VERSION)
    {
      g_debug ("Migrating %s from schema %d to %d", path, version, DRS_HISTORY_SCHEMA_VERSION);
      rc = migrate (db, version);
    }
  if (rc == SQLITE_OK)
    rc = check_readable (db, path);
  if (rc != SQLITE_OK)
    {
      handle_open_failure (path, &db, rc, error);
      return NULL;
    }
  return db;
}

/**
 * _drs_history_connect:
 *
 * Another connection to a database _drs_history_open_database() has opened.
 *
 * Returns: (transfer full) (nullable): the connection, or %NULL with @error set
 */
sqlite3 *
_drs_history_connect (const char *path, GError **error)
{
  int      rc;
  sqlite3 *db = open_connection (path, &rc);

  if (rc != SQLITE_OK)
    {
      _drs_history_set_sqlite_error (error, db, path, _ ("open the history"));
      g_clear_pointer (&db, sqlite3_close);
    }
  return db;
}

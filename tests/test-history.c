/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "drs-error.h"
#include "drs-history.h"
#include "drs-test-utils.h"

#define ID_A "8d0e8e36-a618-490d-8a46-8c61ac9jb502"
#define ID_B "edae91cb-5892-49b6-a529-4921fb26jb21"

#define SEC ((gint64) G_USEC_PER_SEC)
#define MINUTE (60 * SEC)
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)
#define T0 ((gint64) 1750000000 * SEC)

static char *
db_path (const char *name)
{
  /* G_TEST_OPTION_ISOLATE_DIRS gives every test its own, removed afterwards. */
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  return g_build_filename (g_get_user_cache_dir (), name, NULL);
}

static DrsSample
make_sample (gint64 time_us, double progress, gint64 delay_ms)
{
  DrsSample s = { 0 };

  s.time_us = time_us;
  s.progress = progress;
  s.delay_ms = delay_ms;
  s.status = DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
  s.phases[0] = 100;
  s.phases[1] = progress;
  s.phases[2] = DRS_UNKNOWN;
  return s;
}

static int
sqlite_int (const char *path, const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int           value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
sqlite_text (const char *path, const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char         *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
test_default_path (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = drs_history_open (NULL, &error);
  g_autofree char *expected =
      g_build_filename (g_get_user_data_dir (), "drs-monitor", "history.db", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (drs_history_get_path (history), ==, expected);
  g_assert_true (g_file_test (expected, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (sqlite_int (expected, "PRAGMA user_version"), ==, DRS_HISTORY_SCHEMA_VERSION);
  {
    g_autofree char *mode = sqlite_text (expected, "PRAGMA journal_mode");

    g_assert_cmpstr (mode, ==, "wal");
  }
}

static void
test_watched (void)
{
  g_autofree char *path = db_path ("watched.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  DrsHistory    *history;
  DrsWatchedJob *w;

  history = drs_history_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (drs_history_add_watched (history, ID_A, "Orders", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (drs_history_add_watched (history, ID_B, NULL, "prod", &error));
  /* Adding again updates name and account, keeps the place and the time. */
  g_assert_true (drs_history_add_watched (history, ID_A, "Orders", "test", &error));
  g_assert_true (drs_history_rename_watched (history, ID_B, "Billing", &error));
  g_assert_no_error (error);

  list = drs_history_list_watched (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  w = g_ptr_array_index (list, 0);
  g_assert_cmpstr (w->id, ==, ID_A);
  g_assert_cmpstr (w->name, ==, "Orders");
  g_assert_cmpstr (w->account, ==, "test");
  g_assert_cmpint (w->added_us, >, 0);
  w = g_ptr_array_index (list, 1);
  g_assert_cmpstr (w->name, ==, "Billing");
  g_assert_cmpstr (w->account, ==, "prod");
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_finalize_object (history);

  /* Survives a restart. */
  history = drs_history_open (path, &error);
  g_assert_no_error (error);
  list = drs_history_list_watched (history, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  g_assert_true (drs_history_rename_watched (history, ID_B, "", &error));
  g_assert_true (drs_history_remove_watched (history, ID_A, &error));
  g_assert_true (drs_history_remove_watched (history, ID_A, &error));
  list = drs_history_list_watched (history, &error);
  g_assert_cmpuint (list->len, ==, 1);
  w = g_ptr_array_index (list, 0);
  g_assert_cmpstr (w->id, ==, ID_B);
  g_assert_null (w->name);
  g_assert_finalize_object (history);
}

static void
test_record_policy (void)
{
  g_autofree char *path = db_path ("policy.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = drs_history_open (path, &error);
  g_autoptr (DrsJob) job = drs_job_new (ID_B);
  g_autoptr (DrsSnapshot) snap = drs_snapshot_new (ID_B);
  DrsSample s;

  g_assert_no_error (error);

  s = make_sample (T0, 10, 1000);
  g_assert_true (drs_history_record_sample (history, ID_A, &s));
  /* Unchanged within 5 min: skipped; changed: written. */
  s.time_us = T0 + 15 * SEC;
  g_assert_false (drs_history_record_sample (history, ID_A, &s));
  s.time_us = T0 + 4 * MINUTE + 59 * SEC;
  g_assert_false (drs_history_record_sample (history, ID_A, &s));
  s.time_us = T0 + 5 * MINUTE;
  g_assert_true (drs_history_record_sample (history, ID_A, &s));
  s.time_us = T0 + 5 * MINUTE + 15 * SEC;
  s.delay_ms = 2000;
  g_assert_true (drs_history_record_sample (history, ID_A, &s));
  s.time_us += 15 * SEC;
  s.phases[2] = 5;
  g_assert_true (drs_history_record_sample (history, ID_A, &s));
  s.time_us += 15 * SEC;
  s.status = DRS_JOB_STATUS_INCRE_TRANSFER_FAILED;
  g_assert_true (drs_history_record_sample (history, ID_A, &s));

  /* A job is recorded from its properties; never before its first answer or while stale. */
  g_assert_false (drs_history_record (history, job, T0));
  snap->progress = 55;
  snap->status = DRS_JOB_STATUS_FULL_TRANSFER_STARTED;
  snap->status_raw = g_intern_static_string ("FULL_TRANSFER_STARTED");
  drs_job_apply (job, snap, T0);
  g_assert_true (drs_history_record (history, job, T0));
  g_assert_false (drs_history_record (history, job, T0 + 15 * SEC));
  drs_job_mark_stale (job, "network down");
  g_assert_false (drs_history_record (history, job, T0 + 10 * MINUTE));

  drs_history_flush (history);
  g_assert_cmpint (drs_history_count_samples (history, ID_A), ==, 5);
  g_assert_cmpint (drs_history_count_samples (history, ID_B), ==, 1);
  g_assert_cmpuint (drs_history_get_n_written (history), ==, 6);

  {
    g_autoptr (GArray) points =
        drs_history_query (history, ID_B, &(DrsTimeRange){ 0, G_MAXINT64 }, 0, &error);
    DrsSample *p;

    g_assert_no_error (error);
    g_assert_cmpuint (points->len, ==, 1);
    p = &g_array_index (points, DrsSample, 0);
    g_assert_cmpint (p->time_us, ==, T0);
    g_assert_cmpfloat (p->progress, ==, 55);
    g_assert_cmpint (p->delay_ms, ==, DRS_UNKNOWN);
    g_assert_cmpint (p->status, ==, DRS_JOB_STATUS_FULL_TRANSFER_STARTED);
    g_assert_cmpfloat (p->phases[0], ==, DRS_UNKNOWN);
    g_assert_false (p->gap);
  }
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_query_downsample (void)
{
  g_autofree char *path = db_path ("chart.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = drs_history_open (path, &error);
  g_autoptr (GArray) raw = NULL;
  g_autoptr (GArray) chart = NULL;
  const gint64 gap_start = T0 + 3 * DAY;
  const gint64 gap_end = gap_start + 2 * HOUR;
  const gint64 spike = T0 + 5 * DAY + 7 * HOUR;
  gint64       n = 0;
  guint        n_gaps = 0;
  gint64       max_delay = 0;

  g_assert_no_error (error);

  /* Seven days every 15 s, delay changing every sample, a 2-hour outage on day 3 and a
   * one-sample spike on day 5. */
  for (gint64 t = T0; t < T0 + 7 * DAY; t += 15 * SEC)
    {
      DrsSample s;

      if (t >= gap_start && t < gap_end)
        continue;
      s = make_sample (t, (double) (t - T0) * 100.0 / (7 * DAY), 1000 + (n % 7) * 10);
      if (t == spike)
        s.delay_ms = 999999;
      g_assert_true (drs_history_record_sample (history, ID_A, &s));
      n++;
    }
  drs_history_flush (history);
  g_assert_cmpint (drs_history_count_samples (history, ID_A), ==, n);

  chart = drs_history_query (history, ID_A, &(DrsTimeRange){ T0, T0 + 7 * DAY }, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chart->len, <=, 500);
  g_assert_cmpuint (chart->len, >=, 200);
  for (guint i = 0; i < chart->len; i++)
    {
      DrsSample *p = &g_array_index (chart, DrsSample, i);

      if (i > 0)
        g_assert_cmpint (p->time_us, >, g_array_index (chart, DrsSample, i - 1).time_us);
      if (p->gap)
        {
          n_gaps++;
          g_assert_cmpint (p->time_us, >=, gap_start - 15 * SEC);
          g_assert_cmpint (p->time_us, <=, gap_end);
          g_assert_cmpint (p->delay_ms, ==, DRS_UNKNOWN);
          continue;
        }
      max_delay = MAX (max_delay, p->delay_ms);
      g_assert_cmpfloat (p->progress, >=, 0);
    }
  g_assert_cmpuint (n_gaps, ==, 1);
  /* The spike survives downsampling: a bucket shows its highest delay. */
  g_assert_cmpint (max_delay, ==, 999999);
  /* The last point is the last sample. */
  g_assert_cmpint (g_array_index (chart, DrsSample, chart->len - 1).time_us, ==,
                   T0 + 7 * DAY - 15 * SEC);

  /* A short range is returned in full, with the gap between its samples. */
  raw = drs_history_query (
      history, ID_A, &(DrsTimeRange){ gap_start - 1 * MINUTE, gap_end + 1 * MINUTE }, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (raw->len, ==, 4 + 1 + 5);
  g_assert_true (g_array_index (raw, DrsSample, 4).gap);
  g_assert_false (g_array_index (raw, DrsSample, 5).gap);
  g_assert_cmpint (g_array_index (raw, DrsSample, 5).time_us, ==, gap_end);

  /* The same chart from a worker thread. */
  {
    g_autoptr (GAsyncResult) result = NULL;
    g_autoptr (GArray) async_chart = NULL;

    drs_history_query_async (history, ID_A, &(DrsTimeRange){ T0, T0 + 7 * DAY }, 500, NULL,
                             store_result, &result);
    DRS_TEST_SPIN_UNTIL (result != NULL, 10000);
    async_chart = drs_history_query_finish (history, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (async_chart->len, ==, chart->len);
    g_assert_cmpmem (async_chart->data, async_chart->len * sizeof (DrsSample), chart->data,
                     chart->len * sizeof (DrsSample));
  }

  /* Unknown tasks and empty ranges give empty charts. */
  g_clear_pointer (&raw, g_array_unref);
  raw = drs_history_query (history, ID_B, &(DrsTimeRange){ T0, T0 + 7 * DAY }, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (raw->len, ==, 0);
  g_clear_pointer (&raw, g_array_unref);
  raw = drs_history_query (history, ID_A, &(DrsTimeRange){ 0, T0 - 1 }, 10, &error);
  g_assert_cmpuint (raw->len, ==, 0);
  g_clear_pointer (&raw, g_array_unref);
  raw = drs_history_query (history, ID_A, &(DrsTimeRange){ T0, T0 + 7 * DAY }, 1, &error);
  g_assert_cmpuint (raw->len, ==, 1);
}

static void
test_retention (void)
{
  g_autofree char *path = db_path ("retention.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = drs_history_open (path, &error);
  const gint64 now = T0 + 100 * DAY;
  DrsSample    s;

  g_assert_no_error (error);
  g_assert_cmpuint (drs_history_get_retention_days (history), ==, 30);

  s = make_sample (now - 40 * DAY, 1, 1);
  drs_history_record_sample (history, ID_A, &s);
  s = make_sample (now - 31 * DAY, 2, 2);
  drs_history_record_sample (history, ID_A, &s);
  s = make_sample (now - 29 * DAY, 3, 3);
  drs_history_record_sample (history, ID_A, &s);
  s = make_sample (now - 1 * DAY, 3, 3);
  drs_history_record_sample (history, ID_B, &s);
  s = make_sample (now - 35 * DAY, 4, 4);
  drs_history_record_sample (history, ID_B, &s);
  drs_history_flush (history);
  g_assert_cmpint (drs_history_count_samples (history, NULL), ==, 5);

  drs_history_prune (history, now);
  drs_history_flush (history);
  g_assert_cmpint (drs_history_count_samples (history, ID_A), ==, 1);
  g_assert_cmpint (drs_history_count_samples (history, ID_B), ==, 1);

  drs_history_set_retention_days (history, 1);
  drs_history_prune (history, now + SEC);
  drs_history_flush (history);
  g_assert_cmpint (drs_history_count_samples (history, NULL), ==, 0);
}

static void
exec_sql (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static void
test_migration (void)
{
  g_autofree char *path = db_path ("v1.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GArray) points = NULL;
  DrsWatchedJob *w;
  sqlite3       *db = NULL;

  /* A version 1 database, as the first development builds wrote it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "CREATE TABLE watched (id TEXT PRIMARY KEY NOT NULL, name TEXT,"
                " added_us INTEGER NOT NULL);"
                "CREATE TABLE samples (job_id TEXT NOT NULL, time_us INTEGER NOT NULL,"
                " progress REAL, delay_ms INTEGER, status INTEGER NOT NULL);"
                "INSERT INTO watched VALUES ('" ID_A "', 'Orders', 1000);"
                "INSERT INTO samples VALUES ('" ID_A "', 1000000, 10.5, 2000, 11);"
                "INSERT INTO samples VALUES ('" ID_A "', 2000000, 11.5, NULL, 11);"
                "INSERT INTO samples VALUES ('" ID_B "', 1000000, 99, 0, 15);"
                "PRAGMA user_version = 1;");
  sqlite3_close (db);

  history = drs_history_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite_int (path, "PRAGMA user_version"), ==, DRS_HISTORY_SCHEMA_VERSION);

  list = drs_history_list_watched (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  w = g_ptr_array_index (list, 0);
  g_assert_cmpstr (w->id, ==, ID_A);
  g_assert_cmpstr (w->name, ==, "Orders");
  g_assert_null (w->account);
  g_assert_cmpint (w->added_us, ==, 1000);

  points = drs_history_query (history, ID_A, &(DrsTimeRange){ 0, G_MAXINT64 }, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 2);
  g_assert_cmpfloat (g_array_index (points, DrsSample, 0).progress, ==, 10.5);
  g_assert_cmpint (g_array_index (points, DrsSample, 0).delay_ms, ==, 2000);
  g_assert_cmpint (g_array_index (points, DrsSample, 1).delay_ms, ==, DRS_UNKNOWN);
  g_assert_cmpfloat (g_array_index (points, DrsSample, 1).phases[1], ==, DRS_UNKNOWN);
  g_assert_cmpint (drs_history_count_samples (history, ID_B), ==, 1);

  /* The new schema is writable: accounts and phases. */
  g_assert_true (drs_history_add_watched (history, ID_B, NULL, "prod", &error));
  g_assert_no_error (error);
}

static void
test_never_waits (void)
{
  g_autofree char *path = db_path ("locked.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = drs_history_open (path, &error);
  sqlite3 *other = NULL;

  g_assert_no_error (error);

  /* Another process holds the write lock (a backup, a second instance)... */
  g_assert_cmpint (sqlite3_open (path, &other), ==, SQLITE_OK);
  exec_sql (other, "BEGIN IMMEDIATE; INSERT INTO jobs (id) VALUES ('someone-else');");

  /* ...and recording does not wait for it: were it to wait for the lock on this thread, this
   * loop would sit out SQLite's busy timeout on every call and the test would time out. */
  for (guint i = 0; i < 200; i++)
    {
      DrsSample s = make_sample (T0 + i * SEC, i, i);

      g_assert_true (drs_history_record_sample (history, ID_A, &s));
    }
  g_assert_cmpint (drs_history_count_samples (history, ID_A), ==, 0);

  /* Once the lock is gone, everything queued is written. */
  exec_sql (other, "COMMIT;");
  sqlite3_close (other);
  drs_history_flush (history);
  g_assert_cmpint (drs_history_count_samples (history, ID_A), ==, 200);
}

static char *
find_moved_aside (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".corrupt-", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, "-wal") &&
        !g_str_has_suffix (name, "-shm"))
      return g_build_filename (dir, name, NULL);
  return NULL;
}

static void
test_corrupt_not_a_database (void)
{
  g_autofree char *path = db_path ("garbage.db");
  g_autofree char *aside = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = NULL;
  g_autoptr (GPtrArray) list = NULL;
  const char *garbage = "This is not an SQLite database, but it is somebody's data.\n"
                        "It must never be emptied silently.\n"
                        "................................................................"
                        "................................................................";

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));

  history = drs_history_open (path, &error);
  g_assert_null (history);
  g_assert_error (error, DRS_ERROR, DRS_ERROR_STORAGE);
  g_test_message ("%s", error->message);

  aside = find_moved_aside (path);
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (error->message, aside));
  g_assert_nonnull (strstr (error->message, "damaged"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (aside, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, garbage);

  /* Opening again starts a new, empty history. */
  g_clear_error (&error);
  history = drs_history_open (path, &error);
  g_assert_no_error (error);
  list = drs_history_list_watched (history, &error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_corrupt_pages (void)
{
  g_autofree char *path = db_path ("damaged.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *contents = NULL;
  gsize            length = 0;

  /* A real history with samples over several pages... */
  history = drs_history_open (path, &error);
  g_assert_no_error (error);
  drs_history_add_watched (history, ID_A, "Orders", NULL, &error);
  for (guint i = 0; i < 3000; i++)
    {
      DrsSample s = make_sample (T0 + i * 15 * SEC, i / 30.0, i);

      drs_history_record_sample (history, ID_A, &s);
    }
  drs_history_flush (history);
  g_clear_object (&history);
  g_assert_cmpint (sqlite_int (path, "PRAGMA wal_checkpoint(TRUNCATE)"), ==, 0);

  /* ...whose b-tree pages are then overwritten, as a failing disk would. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 8 * 4096);
  for (gsize i = 2 * 4096; i < length; i += 4096)
    memset (contents + i, 0x5a, 64);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));

  history = drs_history_open (path, &error);
  g_assert_null (history);
  g_assert_error (error, DRS_ERROR, DRS_ERROR_STORAGE);
  aside = find_moved_aside (path);
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (error->message, aside));
}

static void
test_newer_version (void)
{
  g_autofree char *path = db_path ("future.db");
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "CREATE TABLE future (x); PRAGMA user_version = 99;");
  sqlite3_close (db);

  history = drs_history_open (path, &error);
  g_assert_null (history);
  g_assert_error (error, DRS_ERROR, DRS_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "newer version"));
  /* Left exactly where it was. */
  g_assert_null (find_moved_aside (path));
  g_assert_cmpint (sqlite_int (path, "PRAGMA user_version"), ==, 99);
}

static void
test_crash_safety (void)
{
  g_autofree char *path = db_path ("crash.db");
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = NULL;
  g_autofree char *check = NULL;
  gint64           last = -1;
  gint64           count;
  guint            target = 200 + g_test_rand_int_range (0, 300);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, DRS_HISTORY_WRITER, path, ID_A,
                            NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  /* Read committed indices until the target, then kill it wherever it is in the next write. */
  while (last < target)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      last = g_ascii_strtoll (line, NULL, 10);
    }
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* Drain what it printed before dying: every line is a committed sample. */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, NULL);

      if (line == NULL)
        break;
      last = g_ascii_strtoll (line, NULL, 10);
    }

  history = drs_history_open (path, &error);
  g_assert_no_error (error);
  count = drs_history_count_samples (history, ID_A);
  g_test_message ("child committed %" G_GINT64_FORMAT ", database has %" G_GINT64_FORMAT, last + 1,
                  count);
  /* Everything reported committed is there; at most the sample being written is lost. */
  g_assert_cmpint (count, >=, last + 1);
  g_assert_cmpint (count, <=, last + 2);
  g_clear_object (&history);

  check = sqlite_text (path, "PRAGMA integrity_check");
  g_assert_cmpstr (check, ==, "ok");
}

/* Under AddressSanitizer, unwind every allocation fully: GLib is built without frame pointers,
 * and LeakSanitizer can only match its own leaks (build-aux/lsan.supp) on whole stacks. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  g_test_add_func ("/history/default-path", test_default_path);
  g_test_add_func ("/history/watched", test_watched);
  g_test_add_func ("/history/record-policy", test_record_policy);
  g_test_add_func ("/history/query-downsample", test_query_downsample);
  g_test_add_func ("/history/retention", test_retention);
  g_test_add_func ("/history/migration", test_migration);
  g_test_add_func ("/history/never-waits", test_never_waits);
  g_test_add_func ("/history/corrupt/not-a-database", test_corrupt_not_a_database);
  g_test_add_func ("/history/corrupt/pages", test_corrupt_pages);
  g_test_add_func ("/history/newer-version", test_newer_version);
  g_test_add_func ("/history/crash-safety", test_crash_safety);

  return g_test_run ();
}

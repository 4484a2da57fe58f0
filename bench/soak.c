/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The soak: 1,000 tasks watched for a simulated day, headless, in one process: DrsMonitor +
 * DrsJobStore + DrsHistory + DrsClient against an in-process DrsSimulator over loopback HTTP,
 * both on driven clocks (the day passes as fast as the machine can poll). Every simulated hour
 * it prints RSS, open file descriptors and the history's size; it fails (exit 1) when
 *
 *   - RSS grows more than the tolerance after the warm-up hours,
 *   - the number of open file descriptors grows after the warm-up,
 *   - the history holds samples older than its retention, more samples than answers, or a
 *     file (database + WAL) bigger than those samples can need,
 *   - anything logs a warning or a critical.
 *
 *   soak [--hours N] [--jobs N] [--warmup H] [--rss-tolerance-kb KB] [--history PATH]
 *
 * bench/soak.sh runs it for 30 hours (a day, then past the one-day retention, so the monitor's
 * own pruning shows), then for an hour under Valgrind memcheck.
 */
#include "config.h"

#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "drs-monitor.h"
#include "drs-simulator.h"

#define SEC ((gint64) G_USEC_PER_SEC)
#define HOUR (3600 * SEC)
#define TOKEN "soak-token"
/* The most room one sample may take in the file, indexes and pages included. */
#define MAX_BYTES_PER_SAMPLE 160
/* SQLite's fixed cost: header, schema, the watched list, a WAL not yet checkpointed. */
#define FILE_SLACK_BYTES (8 * 1024 * 1024)

static guint n_warnings;

static GLogWriterOutput
count_warnings (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    n_warnings++;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gint64
rss_kb (void)
{
  g_autofree char *status = NULL;
  const char      *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtoll (line + 6, NULL, 10) : -1;
}

static guint
open_fds (void)
{
  g_autoptr (GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n > 0 ? n - 1 : 0; /* not the one reading the directory */
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

static gint64
history_bytes (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  return file_size (path) + file_size (wal) + file_size (shm);
}

/* A scenario of @n jobs: most in their incremental phase with a delay that changes at every
 * poll, some in a full transfer that ends during the day, some finished, a few that fail. */
static char *
make_scenario (guint n)
{
  GString *json = g_string_new ("{\"jobs\": [");

  for (guint i = 0; i < n; i++)
    {
      char id[64];

      g_snprintf (id, sizeof id, "50a%05x-0000-4000-8000-%012x", i, i);
      if (i > 0)
        g_string_append_c (json, ',');
      switch (i % 10)
        {
          case 0: /* finished before we started */
            g_string_append_printf (json,
                                    "{\"id\": \"%s\", \"name\": \"soak-%u\", \"start\": -86400, "
                                    "\"phases\": [{\"status\": \"RELEASE_RESOURCE_COMPLETE\", "
                                    "\"progress\": 100}]}",
                                    id, i);
            break;
          case 1: /* a full transfer over the day, then incremental */
          case 2:
            g_string_append_printf (
                json,
                "{\"id\": \"%s\", \"name\": \"soak-%u\", \"start\": 0, "
                "\"task_mode\": \"FULL_INCR_TRANS\", \"phases\": ["
                "{\"status\": \"FULL_TRANSFER_STARTED\", \"progress\": 100, \"duration\": %u},"
                "{\"status\": \"INCRE_TRANSFER_STARTED\", \"progress\": 100, "
                "\"delay\": {\"base_ms\": 500, \"jitter_ms\": 2000}}]}",
                id, i, 3600 * (1 + i % 20));
            break;
          case 3: /* fails after a while */
            g_string_append_printf (json,
                                    "{\"id\": \"%s\", \"name\": \"soak-%u\", \"start\": 0, "
                                    "\"phases\": [{\"status\": \"FULL_TRANSFER_STARTED\", "
                                    "\"progress\": 100, \"duration\": %u}, "
                                    "{\"status\": \"FULL_TRANSFER_FAILED\"}]}",
                                    id, i, 1800 * (1 + i % 30));
            break;
          default: /* incremental, the delay moves */
            g_string_append_printf (json,
                                    "{\"id\": \"%s\", \"name\": \"soak-%u\", \"start\": -3600, "
                                    "\"task_mode\": \"FULL_INCR_TRANS\", \"phases\": ["
                                    "{\"status\": \"INCRE_TRANSFER_STARTED\", \"progress\": 100, "
                                    "\"delay\": {\"base_ms\": 200, \"jitter_ms\": 5000}}]}",
                                    id, i);
            break;
        }
    }
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}

typedef struct
{
  DrsSimulator *sim;
  DrsClock     *clock;
  DrsMonitor   *monitor;
  DrsHistory   *history;
} Run;

/* Lets every answer arrive and be merged. */
static void
settle (Run *run)
{
  for (;;)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      if (drs_monitor_get_n_in_flight (run->monitor) == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Moves both clocks to @until, stopping at every timer on the way. */
static void
advance_to (Run *run, gint64 until)
{
  for (;;)
    {
      gint64 now = drs_clock_get_monotonic_us (run->clock);
      gint64 next = drs_clock_get_next_due_us (run->clock);
      gint64 step;

      if (now >= until)
        break;
      step = (next < 0 || next > until) ? until - now : MAX (next - now, 0);
      step = MIN (MAX ((step + 999) / 1000 * 1000, 1000), until - now);
      drs_simulator_advance (run->sim, step / 1000);
      drs_clock_advance_us (run->clock, step);
      settle (run);
    }
}

/* Samples older than the retention, and all samples, straight from the file. */
static void
count_on_disk (const char *path, gint64 cutoff_us, gint64 *old, gint64 *all)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;

  *old = *all = -1;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    goto out;
  if (sqlite3_prepare_v2 (db, "SELECT count(*), coalesce(sum(time_us < ?1), 0) FROM samples", -1,
                          &stmt, NULL) != SQLITE_OK)
    goto out;
  sqlite3_bind_int64 (stmt, 1, cutoff_us);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *all = sqlite3_column_int64 (stmt, 0);
      *old = sqlite3_column_int64 (stmt, 1);
    }
out:
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (DrsJobStore) store = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *history_path = NULL;
  g_autofree char *dir = NULL;
  g_auto (GStrv) ids = NULL;
  int      hours = 24, n_jobs = 1000, warmup = 2, rss_tolerance_kb = 8192, retention_days = 1;
  gint64   start_us, t0, rss_warm = -1, rss_start, rss_end = 0, rss_max = 0, samples = 0, old = 0;
  gint64   bytes = 0, allowed_bytes, cutoff, old_unpruned = 0;
  guint    fds_warm = 0, fds_end = 0, fds_start;
  guint64  n_requests;
  gboolean ok = TRUE;
  const GOptionEntry entries[] = {
    { "hours", 0, 0, G_OPTION_ARG_INT, &hours, "Simulated hours (default 24)", "N" },
    { "jobs", 0, 0, G_OPTION_ARG_INT, &n_jobs, "Tasks (default 1000)", "N" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &warmup, "Warm-up hours (default 2)", "N" },
    { "rss-tolerance-kb", 0, 0, G_OPTION_ARG_INT, &rss_tolerance_kb,
      "Allowed RSS growth after the warm-up (default 8192)", "KB" },
    { "retention-days", 0, 0, G_OPTION_ARG_INT, &retention_days, "History retention (default 1)",
      "DAYS" },
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &history_path, "History file (default: temporary)",
      "PATH" },
    { NULL },
  };
  Run run = { 0 };

  setlocale (LC_ALL, "");
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_log_set_writer_func (count_warnings, NULL, NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "soak: %s\n", error->message);
      return 2;
    }
  if (hours < 1 || n_jobs < 1 || warmup < 0 || warmup >= hours)
    {
      fprintf (stderr, "soak: need --hours > --warmup >= 0 and --jobs > 0\n");
      return 2;
    }
  if (history_path == NULL)
    {
      dir = g_dir_make_tmp ("drs-soak-XXXXXX", &error);
      g_assert_no_error (error);
      history_path = g_build_filename (dir, "history.db", NULL);
    }

  t0 = g_get_monotonic_time ();
  rss_start = rss_kb ();
  fds_start = open_fds ();

  /* The simulated DRS. */
  scenario = make_scenario (n_jobs);
  run.sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (run.sim, TRUE);
  drs_simulator_add_token (run.sim, TOKEN);
  if (!drs_simulator_load_scenario_data (run.sim, scenario, -1, &error) ||
      !drs_simulator_listen (run.sim, 0, NULL, &error))
    {
      fprintf (stderr, "soak: simulator: %s\n", error->message);
      return 1;
    }
  ids = drs_simulator_dup_job_ids (run.sim);

  /* The app's engine, without a window, at its default settings. */
  credentials = drs_credentials_new_token (TOKEN);
  client = drs_client_new (drs_simulator_get_base_url (run.sim),
                           drs_simulator_get_project_id (run.sim), credentials, &error);
  g_assert_no_error (error);
  run.history = drs_history_open (history_path, &error);
  if (run.history == NULL)
    {
      fprintf (stderr, "soak: history: %s\n", error->message);
      return 1;
    }
  drs_history_set_retention_days (run.history, retention_days);
  run.clock = drs_clock_new_manual (drs_simulator_get_wall_time (run.sim) * 1000);
  store = drs_job_store_new ();
  run.monitor = drs_monitor_new (store, run.history, run.clock);
  drs_monitor_set_client (run.monitor, NULL, client);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("soak-%u", i);

      drs_history_add_watched (run.history, ids[i], name, NULL, NULL);
    }
  drs_job_store_add_many (store, (const char *const *) ids);
  drs_monitor_start (run.monitor);
  settle (&run);

  start_us = drs_clock_get_monotonic_us (run.clock);
  printf ("soak: %u tasks, %d simulated hours, interval %u s, budget %u/min, retention %d day(s)\n",
          g_strv_length (ids), hours, drs_monitor_get_interval (run.monitor),
          drs_monitor_get_budget (run.monitor), retention_days);
  printf ("%5s %10s %5s %12s %12s %10s %8s\n", "hour", "RSS (kB)", "FDs", "requests", "samples",
          "file (kB)", "real s");
  printf ("%5d %10" G_GINT64_FORMAT " %5u %12s %12s %10s %8.1f\n", 0, rss_start, fds_start, "-",
          "-", "-", 0.0);
  for (int h = 1; h <= hours; h++)
    {
      gint64 rss;
      guint  fds;

      advance_to (&run, start_us + h * HOUR);
      drs_history_flush (run.history);
      rss = rss_kb ();
      fds = open_fds ();
      samples = drs_history_count_samples (run.history, NULL);
      bytes = history_bytes (history_path);
      printf ("%5d %10" G_GINT64_FORMAT " %5u %12" G_GUINT64_FORMAT " %12" G_GINT64_FORMAT
              " %10" G_GINT64_FORMAT " %8.1f\n",
              h, rss, fds, drs_monitor_get_n_requests (run.monitor), samples, bytes / 1024,
              (g_get_monotonic_time () - t0) / 1e6);
      fflush (stdout);
      if (h == warmup || (warmup == 0 && h == 1))
        {
          rss_warm = rss;
          fds_warm = fds;
        }
      if (h > warmup)
        rss_max = MAX (rss_max, rss);
      rss_end = rss;
      fds_end = fds;
    }

  /* Retention: the monitor prunes every six hours by itself, so nothing on disk is older than
   * the retention plus six hours; a prune now leaves nothing older than the retention. */
  cutoff = drs_clock_get_wall_us (run.clock) - (gint64) retention_days * 24 * HOUR;
  count_on_disk (history_path, cutoff - 6 * HOUR, &old_unpruned, &samples);
  drs_history_prune (run.history, drs_clock_get_wall_us (run.clock));
  drs_history_flush (run.history);
  count_on_disk (history_path, cutoff, &old, &samples);
  bytes = history_bytes (history_path);
  n_requests = drs_monitor_get_n_requests (run.monitor);
  allowed_bytes = samples * MAX_BYTES_PER_SAMPLE + FILE_SLACK_BYTES;

  printf ("\nRSS: start %" G_GINT64_FORMAT " kB, after warm-up (hour %d) %" G_GINT64_FORMAT
          " kB, max after %" G_GINT64_FORMAT " kB, end %" G_GINT64_FORMAT
          " kB (tolerance +%d kB)\n",
          rss_start, MAX (warmup, 1), rss_warm, rss_max, rss_end, rss_tolerance_kb);
  printf ("FDs: start %u, after warm-up %u, end %u\n", fds_start, fds_warm, fds_end);
  printf ("History: %" G_GINT64_FORMAT " samples (%" G_GINT64_FORMAT
          " older than the retention, %" G_GINT64_FORMAT
          " left by the monitor's own pruning), %" G_GINT64_FORMAT
          " kB on disk (allowed %" G_GINT64_FORMAT " kB); %" G_GUINT64_FORMAT " requests\n",
          samples, old, old_unpruned, bytes / 1024, allowed_bytes / 1024, n_requests);
  printf ("Warnings and criticals: %u\n", n_warnings);
  printf ("Duration: %.1f s real for %d simulated hours\n", (g_get_monotonic_time () - t0) / 1e6,
          hours);

  if (rss_max > rss_warm + rss_tolerance_kb)
    {
      printf ("FAIL: RSS grew by %" G_GINT64_FORMAT " kB after the warm-up\n", rss_max - rss_warm);
      ok = FALSE;
    }
  if (fds_end > fds_warm)
    {
      printf ("FAIL: open file descriptors grew from %u to %u\n", fds_warm, fds_end);
      ok = FALSE;
    }
  if (old != 0 || old_unpruned != 0 || samples < 0)
    {
      printf ("FAIL: %" G_GINT64_FORMAT " samples are older than the retention\n", old);
      ok = FALSE;
    }
  if (samples > (gint64) n_requests * DRS_MONITOR_BATCH_SIZE + 2 * n_jobs)
    {
      printf ("FAIL: more samples than answers\n");
      ok = FALSE;
    }
  if (bytes > allowed_bytes)
    {
      printf ("FAIL: the history file is larger than its samples need\n");
      ok = FALSE;
    }
  if (samples == 0 || n_requests == 0)
    {
      printf ("FAIL: nothing was polled or recorded\n");
      ok = FALSE;
    }
  if (n_warnings > 0)
    {
      printf ("FAIL: %u warnings or criticals were logged\n", n_warnings);
      ok = FALSE;
    }

  drs_monitor_stop (run.monitor);
  g_object_add_weak_pointer (G_OBJECT (run.monitor), (gpointer *) &run.monitor);
  g_object_unref (run.monitor);
  while (run.monitor != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&run.history);
  g_clear_object (&run.clock);
  g_clear_object (&client);
  g_clear_object (&run.sim);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (dir != NULL)
    {
      g_autofree char *wal = g_strconcat (history_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (history_path, "-shm", NULL);

      g_unlink (history_path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
  printf ("%s\n", ok ? "soak: PASS" : "soak: FAIL");
  return ok ? 0 : 1;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monitor's figures, each side by side with a baseline measured in the same run:
 *
 *   - merging a 10,000-job refresh into the store in place vs rebuilding the rows;
 *   - a refresh where nothing changed;
 *   - memory per job (RSS growth and heap bytes over 100,000 jobs) vs a bare GListStore;
 *   - history writes (samples/s, longest main-loop stall) vs synchronous autocommit inserts;
 *   - the 7-day chart query (500 points) vs reading every sample;
 *   - requests per hour for 1,000 jobs of which 900 are finished, against the simulator on a
 *     driven clock, vs polling everything every interval.
 *
 *   bench-monitor [--quick]
 */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include "config.h"

#include <locale.h>
#include <sys/resource.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "drs-monitor.h"
#include "drs-simulator.h"

#define SEC ((gint64) G_USEC_PER_SEC)

static gboolean quick;

typedef struct
{
  const char *what;
  char       *ours;
  char       *baseline;
  const char *target;
} Row;

static GArray *rows;

static void
add_row (const char *what, char *ours, char *baseline, const char *target)
{
  Row row = { what, ours, baseline, target };

  g_array_append_val (rows, row);
  fprintf (stderr, "  %s: %s (baseline %s)\n", what, ours, baseline);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

static char **
make_ids (guint n)
{
  char **ids = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    ids[i] = g_strdup_printf ("%08x-a618-490d-8a46-%07xjb502", g_str_hash (&i) ^ i, i);
  return ids;
}

static GPtrArray *
make_snapshots (char **ids, guint n, guint round)
{
  GPtrArray *snaps = g_ptr_array_new_full (n, (GDestroyNotify) drs_snapshot_free);

  for (guint i = 0; i < n; i++)
    {
      DrsSnapshot *s = drs_snapshot_new (ids[i]);

      /* Two values move every refresh (delay and process time); the rest stays. */
      s->progress = 100;
      s->delay_ms = 1000 + (i * 7 + round * 13) % 5000;
      s->task_mode = DRS_TASK_MODE_FULL_INCR_TRANS;
      s->task_mode_raw = g_intern_static_string ("FULL_INCR_TRANS");
      s->status = DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
      s->status_raw = g_intern_static_string ("INCRE_TRANSFER_STARTED");
      s->process_time_ms = (gint64) 1700000000000 + round * 15000;
      s->remaining_s = 0;
      s->has_phases = TRUE;
      for (guint p = 0; p < DRS_N_PHASES; p++)
        s->phases[p].completed = 100;
      g_ptr_array_add (snaps, s);
    }
  return snaps;
}

static void
count_removed (GListModel *model, guint position, guint removed, guint added, guint *n_removed)
{
  *n_removed += removed;
}

static void
bench_store (void)
{
  const guint n = 10000;
  const guint runs = quick ? 5 : 21;
  g_auto (GStrv) ids = make_ids (n);
  g_autoptr (DrsJobStore) store = drs_job_store_new ();
  g_autoptr (GListStore) rebuilt = g_list_store_new (DRS_TYPE_JOB);
  g_autoptr (GArray) in_place = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) rebuild = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) unchanged = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) unchanged_rebuild = g_array_new (FALSE, FALSE, sizeof (double));
  guint removed_in_place = 0;
  guint removed_rebuild = 0;

  drs_job_store_add_many (store, (const char *const *) ids);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = drs_job_new (ids[i]);

      g_list_store_append (rebuilt, job);
    }
  g_signal_connect (store, "items-changed", G_CALLBACK (count_removed), &removed_in_place);
  g_signal_connect (rebuilt, "items-changed", G_CALLBACK (count_removed), &removed_rebuild);

  for (guint r = 0; r < runs; r++)
    {
      g_autoptr (GPtrArray) snaps = make_snapshots (ids, n, r + 1);
      g_autoptr (GPtrArray) fresh = g_ptr_array_new_full (n, g_object_unref);
      gint64 t0, t1;

      /* Ours: merge into the existing objects. */
      t0 = g_get_monotonic_time ();
      drs_job_store_apply (store, snaps, t0);
      t1 = g_get_monotonic_time ();
      g_array_append_vals (in_place, &(double){ (t1 - t0) / 1000.0 }, 1);

      /* Nothing changed: the same answers again. */
      t0 = g_get_monotonic_time ();
      drs_job_store_apply (store, snaps, t0);
      t1 = g_get_monotonic_time ();
      g_array_append_vals (unchanged, &(double){ (t1 - t0) / 1000.0 }, 1);

      /* Baseline: new objects from the answers, spliced over the old rows. */
      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < n; i++)
        {
          const DrsSnapshot *s = g_ptr_array_index (snaps, i);
          DrsJob            *job = drs_job_new (s->job_id);

          drs_job_apply (job, s, t0);
          g_ptr_array_add (fresh, job);
        }
      g_list_store_splice (rebuilt, 0, g_list_model_get_n_items (G_LIST_MODEL (rebuilt)),
                           fresh->pdata, fresh->len);
      t1 = g_get_monotonic_time ();
      g_array_append_vals (rebuild, &(double){ (t1 - t0) / 1000.0 }, 1);

      /* Baseline with nothing changed: a rebuild costs the same. */
      g_ptr_array_set_size (fresh, 0);
      t0 = g_get_monotonic_time ();
      for (guint i = 0; i < n; i++)
        {
          DrsJob *job = drs_job_new (((DrsSnapshot *) g_ptr_array_index (snaps, i))->job_id);

          drs_job_apply (job, g_ptr_array_index (snaps, i), t0);
          g_ptr_array_add (fresh, job);
        }
      g_list_store_splice (rebuilt, 0, n, fresh->pdata, fresh->len);
      t1 = g_get_monotonic_time ();
      g_array_append_vals (unchanged_rebuild, &(double){ (t1 - t0) / 1000.0 }, 1);
    }

  add_row ("10,000-job refresh applied (ms, median)",
           g_strdup_printf ("%.2f in place, %u rows replaced", median (in_place),
                            removed_in_place / runs),
           g_strdup_printf ("%.2f rebuilt, %u rows replaced", median (rebuild),
                            removed_rebuild / (2 * runs)),
           "≤ 15 ms, 0 rows replaced");
  add_row ("10,000-job refresh, nothing changed (ms, median)",
           g_strdup_printf ("%.2f", median (unchanged)),
           g_strdup_printf ("%.2f", median (unchanged_rebuild)), "≤ 1 ms");
}

static gsize
rss_bytes (void)
{
  g_autofree char *statm = NULL;
  gsize            pages = 0, resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%zu %zu", &pages, &resident);
  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

static gsize
heap_bytes (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

/* Runs in a process of its own (`--memory store|plain`), so freed memory of one measurement
 * cannot be reused by the other. Prints "RSS-bytes-per-job heap-bytes-per-job". */
static int
measure_memory (const char *kind)
{
  const guint n = 100000;
  g_auto (GStrv) ids = make_ids (n);
  g_autoptr (GPtrArray) snaps = make_snapshots (ids, n, 1);
  gsize    rss0, heap0, rss1, heap1;
  GObject *keep;

  /* Warm the type system and the intern tables. */
  g_object_unref (drs_job_new (ids[0]));
  g_object_unref (drs_job_store_new ());
  malloc_trim (0);

  rss0 = rss_bytes ();
  heap0 = heap_bytes ();
  if (g_str_equal (kind, "store"))
    {
      DrsJobStore *store = drs_job_store_new ();

      drs_job_store_add_many (store, (const char *const *) ids);
      drs_job_store_apply (store, snaps, g_get_real_time ());
      keep = G_OBJECT (store);
    }
  else
    {
      /* Baseline: the same jobs in a bare GListStore, no id index. */
      GListStore *plain = g_list_store_new (DRS_TYPE_JOB);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr (DrsJob) job = drs_job_new (ids[i]);

          drs_job_apply (job, g_ptr_array_index (snaps, i), g_get_real_time ());
          g_list_store_append (plain, job);
        }
      keep = G_OBJECT (plain);
    }
  rss1 = rss_bytes ();
  heap1 = heap_bytes ();
  printf ("%.0f %.0f\n", (double) (rss1 - rss0) / n, (double) (heap1 - heap0) / n);
  g_object_unref (keep);
  return 0;
}

static gboolean
run_memory (const char *self_path, const char *kind, double *rss, double *heap)
{
  const char      *argv[] = { self_path, "--memory", kind, NULL };
  g_autofree char *out = NULL;
  int              status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                     NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return FALSE;
  return sscanf (out, "%lf %lf", rss, heap) == 2;
}

static void
bench_memory (const char *self_path)
{
  double rss = 0, heap = 0, plain_rss = 0, plain_heap = 0;

  if (!run_memory (self_path, "store", &rss, &heap) ||
      !run_memory (self_path, "plain", &plain_rss, &plain_heap))
    g_error ("could not measure memory");
  add_row (
      "Memory per job over 100,000 jobs (bytes)",
      g_strdup_printf ("%.0f RSS, %.0f heap", rss, heap),
      g_strdup_printf ("%.0f RSS, %.0f heap (bare GListStore, no index)", plain_rss, plain_heap),
      "≤ 300");
}

/* Time this thread spent on a CPU: a call that took long on the wall clock but not here was
 * preempted by the scheduler, not blocked by the code. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static long
involuntary_switches (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return usage.ru_nivcsw;
}

static DrsSample
sample_at (gint64 t, guint i)
{
  DrsSample s = { 0 };

  s.time_us = t;
  s.progress = 100;
  s.delay_ms = 1000 + (i * 37) % 4000;
  s.status = DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
  s.phases[0] = s.phases[1] = s.phases[2] = 100;
  return s;
}

static void
bench_history (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "bench-history.db", NULL);
  g_autofree char *naive_path = g_build_filename (dir, "bench-naive.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsHistory) history = NULL;
  g_autoptr (GArray) query_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) raw_ms = g_array_new (FALSE, FALSE, sizeof (double));
  const guint  n_jobs = 100;
  const guint  per_job = quick ? 200 : 1000;
  const gint64 t_base = (gint64) 1750000000 * SEC;
  gint64       t0, t1, worst = 0, worst_cpu = 0;
  g_autoptr (GArray) stalls = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) naive_stalls = g_array_new (FALSE, FALSE, sizeof (double));
  guint         over_1ms = 0, naive_over_1ms = 0, over_1ms_preempted = 0;
  guint         n_points = 0, n_raw = 0;
  guint         n_naive = quick ? 500 : 2000;
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64        naive_worst = 0;
  double        ours_rate, naive_rate;

  history = drs_history_open (path, &error);
  g_assert_no_error (error);

  /* Ours: record() on the calling thread, written by the writer thread in batches. */
  t0 = g_get_monotonic_time ();
  for (guint r = 0; r < per_job; r++)
    for (guint j = 0; j < n_jobs; j++)
      {
        g_autofree char *id = g_strdup_printf ("job-%04u", j);
        DrsSample        s = sample_at (t_base + r * 15 * SEC, r + j);
        gint64           a = g_get_monotonic_time ();
        gint64           cpu = thread_cpu_us ();
        long             switches = involuntary_switches ();

        drs_history_record_sample (history, id, &s);
        a = g_get_monotonic_time () - a;
        cpu = thread_cpu_us () - cpu;
        if (a > 1000 && involuntary_switches () > switches)
          over_1ms_preempted++;
        worst = MAX (worst, a);
        worst_cpu = MAX (worst_cpu, cpu);
        over_1ms += a > 1000;
        g_array_append_vals (stalls, &(double){ a / 1000.0 }, 1);
      }
  drs_history_flush (history);
  t1 = g_get_monotonic_time ();
  ours_rate = (double) n_jobs * per_job / ((t1 - t0) / 1e6);

  /* Baseline: one autocommit INSERT per sample on the calling thread (WAL, synchronous=NORMAL). */
  g_assert_cmpint (sqlite3_open (naive_path, &db), ==, SQLITE_OK);
  sqlite3_exec (db,
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                "CREATE TABLE samples (job TEXT, time_us INTEGER, progress REAL, delay_ms INTEGER,"
                " status INTEGER, struct REAL, data REAL, idx REAL, PRIMARY KEY (job, time_us))",
                NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO samples VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &stmt,
                      NULL);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n_naive; i++)
    {
      g_autofree char *id = g_strdup_printf ("job-%04u", i % n_jobs);
      DrsSample        s = sample_at (t_base + (i / n_jobs) * 15 * SEC, i);
      gint64           a = g_get_monotonic_time ();

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, s.time_us);
      sqlite3_bind_double (stmt, 3, s.progress);
      sqlite3_bind_int64 (stmt, 4, s.delay_ms);
      sqlite3_bind_int (stmt, 5, s.status);
      for (guint p = 0; p < 3; p++)
        sqlite3_bind_double (stmt, 6 + p, s.phases[p]);
      sqlite3_step (stmt);
      a = g_get_monotonic_time () - a;
      naive_worst = MAX (naive_worst, a);
      naive_over_1ms += a > 1000;
      g_array_append_vals (naive_stalls, &(double){ a / 1000.0 }, 1);
    }
  t1 = g_get_monotonic_time ();
  naive_rate = n_naive / ((t1 - t0) / 1e6);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_array_sort (stalls, compare_double);
  g_array_sort (naive_stalls, compare_double);
  add_row (
      "History writes: samples/s; caller's time per sample p50 / p99.9 / max (ms); calls > 1 ms",
      g_strdup_printf ("%.0f; %.4f / %.3f / %.3f (longest on-CPU %.3f); %u of %u (%u preempted)",
                       ours_rate, g_array_index (stalls, double, stalls->len / 2),
                       g_array_index (stalls, double, stalls->len * 999 / 1000), worst / 1000.0,
                       worst_cpu / 1000.0, over_1ms, stalls->len, over_1ms_preempted),
      g_strdup_printf ("%.0f; %.4f / %.3f / %.3f; %u of %u (INSERT per sample, autocommit)",
                       naive_rate, g_array_index (naive_stalls, double, naive_stalls->len / 2),
                       g_array_index (naive_stalls, double, naive_stalls->len * 999 / 1000),
                       naive_worst / 1000.0, naive_over_1ms, naive_stalls->len),
      "never block the main loop > 1 ms");

  /* A 7-day chart: one job sampled every 15 s for a week (40,320 samples). */
  for (gint64 t = t_base; t < t_base + 7 * 24 * 3600 * SEC; t += 15 * SEC)
    {
      DrsSample s = sample_at (t, (guint) (t / SEC));

      drs_history_record_sample (history, "week", &s);
    }
  drs_history_flush (history);
  for (guint r = 0; r < (quick ? 3u : 11u); r++)
    {
      g_autoptr (GArray) chart = NULL;
      g_autoptr (GArray) all = NULL;

      t0 = g_get_monotonic_time ();
      chart = drs_history_query (
          history, "week", &(DrsTimeRange){ t_base, t_base + 7 * 24 * 3600 * SEC }, 500, NULL);
      t1 = g_get_monotonic_time ();
      g_array_append_vals (query_ms, &(double){ (t1 - t0) / 1000.0 }, 1);
      n_points = chart->len;

      t0 = g_get_monotonic_time ();
      all = drs_history_query (history, "week",
                               &(DrsTimeRange){ t_base, t_base + 7 * 24 * 3600 * SEC }, 0, NULL);
      t1 = g_get_monotonic_time ();
      g_array_append_vals (raw_ms, &(double){ (t1 - t0) / 1000.0 }, 1);
      n_raw = all->len;
    }
  add_row ("7-day chart query (ms, median)",
           g_strdup_printf ("%.1f for %u points", median (query_ms), n_points),
           g_strdup_printf ("%.1f for all %u samples", median (raw_ms), n_raw), "—");
}

typedef struct
{
  DrsSimulator *sim;
  DrsClock     *clock;
  DrsMonitor   *monitor;
} Run;

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

static guint64
requests_per_hour (
    guint n_jobs, guint n_finished, guint interval, guint finished_interval, guint budget)
{
  g_autoptr (GString) json = g_string_new ("{\"jobs\": [");
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token ("bench");
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (DrsJobStore) store = drs_job_store_new ();
  g_auto (GStrv) ids = g_new0 (char *, n_jobs + 1);
  Run     run = { 0 };
  gint64  end;
  guint64 n;

  for (guint i = 0; i < n_jobs; i++)
    {
      ids[i] = g_strdup_printf ("job-%04u", i);
      g_string_append_printf (json,
                              "%s{\"id\": \"%s\", \"phases\": [{\"status\": \"%s\", "
                              "\"progress\": 100}]}",
                              i ? "," : "", ids[i],
                              i < n_finished ? "RELEASE_RESOURCE_COMPLETE"
                                             : "INCRE_TRANSFER_STARTED");
    }
  g_string_append (json, "]}");

  run.sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (run.sim, TRUE);
  drs_simulator_add_token (run.sim, "bench");
  drs_simulator_load_scenario_data (run.sim, json->str, -1, &error);
  g_assert_no_error (error);
  drs_simulator_listen (run.sim, 0, NULL, &error);
  g_assert_no_error (error);
  client = drs_client_new (drs_simulator_get_base_url (run.sim),
                           drs_simulator_get_project_id (run.sim), credentials, &error);
  g_assert_no_error (error);

  run.clock = drs_clock_new_manual (drs_simulator_get_wall_time (run.sim) * 1000);
  run.monitor = drs_monitor_new (store, NULL, run.clock);
  g_object_set (run.monitor, "interval", interval, "finished-interval", finished_interval, "budget",
                budget, NULL);
  drs_monitor_set_client (run.monitor, NULL, client);
  drs_job_store_add_many (store, (const char *const *) ids);
  drs_monitor_start (run.monitor);

  end = drs_clock_get_monotonic_us (run.clock) + 3600 * SEC;
  settle (&run);
  for (;;)
    {
      gint64 now = drs_clock_get_monotonic_us (run.clock);
      gint64 next = drs_clock_get_next_due_us (run.clock);
      gint64 step;

      if (now >= end)
        break;
      step = (next < 0 || next > end) ? end - now : MAX (next - now, 0);
      step = MIN (MAX ((step + 999) / 1000 * 1000, 1000), end - now);
      drs_simulator_advance (run.sim, step / 1000);
      drs_clock_advance_us (run.clock, step);
      settle (&run);
    }

  n = drs_monitor_get_n_requests (run.monitor);
  g_assert_cmpuint (n, ==, drs_simulator_get_request_count (run.sim, "batch-progress"));
  drs_monitor_stop (run.monitor);
  g_object_add_weak_pointer (G_OBJECT (run.monitor), (gpointer *) &run.monitor);
  g_object_unref (run.monitor);
  while (run.monitor != NULL)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (run.clock);
  g_object_unref (run.sim);
  return n;
}

static void
bench_requests (void)
{
  guint64 ours = requests_per_hour (1000, 900, 15, 600, 60);
  guint64 naive = requests_per_hour (1000, 900, 15, 15, 100000);
  guint64 ours_idle = requests_per_hour (1000, 990, 15, 600, 60);

  add_row ("Requests per hour, 1,000 jobs of which 900 finished (budget 60/min = 3,600/h)",
           g_strdup_printf ("%" G_GUINT64_FORMAT, ours),
           g_strdup_printf ("%" G_GUINT64_FORMAT " (everything every 15 s)", naive),
           "within budget, proportional to active jobs");
  add_row ("Requests per hour, 1,000 jobs of which 990 finished",
           g_strdup_printf ("%" G_GUINT64_FORMAT, ours_idle),
           g_strdup_printf ("%" G_GUINT64_FORMAT " (everything every 15 s)", naive), "—");
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;

  setlocale (LC_ALL, "");
  if (argc == 3 && g_str_equal (argv[1], "--memory"))
    return measure_memory (argv[2]);
  quick = argc > 1 && g_str_equal (argv[1], "--quick");
  rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  dir = g_dir_make_tmp ("bench-monitor-XXXXXX", NULL);

  fprintf (stderr, "store...\n");
  bench_store ();
  fprintf (stderr, "memory...\n");
  bench_memory (argv[0]);
  fprintf (stderr, "history...\n");
  bench_history (dir);
  fprintf (stderr, "requests...\n");
  bench_requests ();

  printf ("\n| Measure | DRS Monitor | Baseline (same run) | Target |\n");
  printf ("|---|---|---|---|\n");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      printf ("| %s | %s | %s | %s |\n", row->what, row->ours, row->baseline, row->target);
      g_free (row->ours);
      g_free (row->baseline);
    }

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    if (system (cmd) != 0)
      fprintf (stderr, "could not remove %s\n", dir);
  }
  g_array_unref (rows);
  return 0;
}

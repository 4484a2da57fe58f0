/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "drs-error.h"
#include "drs-monitor.h"
#include "drs-simulator.h"
#include "drs-test-utils.h"

#define TOKEN "monitor-test-token"
#define SEC ((gint64) G_USEC_PER_SEC)

/* One request as the monitor sent it. */
typedef struct
{
  gint64 t; /* seconds since the fixture started, monotonic µs */
  char  *account;
  GStrv  ids;
} Sent;

/* One signal, in order. */
typedef struct
{
  gint64 t;
  char  *what; /* "finished", "failed", "recovered", "delay+", "delay-", "problem", "restored" */
  char  *id;   /* job id or account */
  char  *code;
} Event;

typedef struct
{
  DrsSimulator   *sim;
  DrsCredentials *credentials;
  DrsClient      *client;
  DrsClock       *clock;
  DrsJobStore    *store;
  DrsHistory     *history;
  DrsMonitor     *monitor;
  gint64          t0;
  GArray         *sent;   /* Sent */
  GArray         *events; /* Event */
  guint           n_applied;
  guint           n_items_changed;
  guint           n_refresh_started;
  guint           n_refresh_finished;
} Fixture;

static gint64
now_s (Fixture *f)
{
  return drs_clock_get_monotonic_us (f->clock) - f->t0;
}

static void
sent_clear (gpointer data)
{
  Sent *s = data;

  g_free (s->account);
  g_strfreev (s->ids);
}

static void
event_clear (gpointer data)
{
  Event *e = data;

  g_free (e->what);
  g_free (e->id);
  g_free (e->code);
}

static void
add_event (Fixture *f, const char *what, const char *id, const char *code)
{
  Event e = { now_s (f), g_strdup (what), g_strdup (id), g_strdup (code) };

  g_test_message ("t=%5.0f s %-9s %s %s", e.t / 1e6, what, id ? id : "(default)", code ? code : "");
  g_array_append_val (f->events, e);
}

static void
request_sent_cb (DrsMonitor *monitor, const char *account, GStrv ids, Fixture *f)
{
  Sent s = { now_s (f), g_strdup (account), g_strdupv (ids) };

  g_assert_cmpuint (g_strv_length (ids), >=, 1);
  g_assert_cmpuint (g_strv_length (ids), <=, DRS_MONITOR_BATCH_SIZE);
  g_array_append_val (f->sent, s);
}

static void
finished_cb (DrsMonitor *m, DrsJob *job, Fixture *f)
{
  add_event (f, "finished", drs_job_get_id (job), NULL);
}

static void
failed_cb (DrsMonitor *m, DrsJob *job, const char *code, const char *message, Fixture *f)
{
  g_assert_nonnull (code);
  g_assert_nonnull (message);
  add_event (f, "failed", drs_job_get_id (job), code);
}

static void
recovered_cb (DrsMonitor *m, DrsJob *job, Fixture *f)
{
  add_event (f, "recovered", drs_job_get_id (job), NULL);
}

static void
delay_cb (DrsMonitor *m, DrsJob *job, gboolean raised, Fixture *f)
{
  add_event (f, raised ? "delay+" : "delay-", drs_job_get_id (job), NULL);
}

static void
problem_cb (DrsMonitor *m, const char *account, const GError *error, Fixture *f)
{
  g_assert_nonnull (error);
  add_event (f, "problem", account, drs_error_code_to_string (error->code));
}

static void
restored_cb (DrsMonitor *m, const char *account, Fixture *f)
{
  add_event (f, "restored", account, NULL);
}

static void
applied_cb (DrsJobStore *store, guint n_changed, Fixture *f)
{
  f->n_applied++;
}

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, Fixture *f)
{
  f->n_items_changed++;
}

static void
refresh_started_cb (DrsMonitor *m, Fixture *f)
{
  f->n_refresh_started++;
}

static void
refresh_finished_cb (DrsMonitor *m, Fixture *f)
{
  f->n_refresh_finished++;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (f->sim, TRUE);
  drs_simulator_add_token (f->sim, TOKEN);
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);

  f->credentials = drs_credentials_new_token (TOKEN);
  f->client = drs_client_new (drs_simulator_get_base_url (f->sim),
                              drs_simulator_get_project_id (f->sim), f->credentials, &error);
  g_assert_no_error (error);

  f->clock = drs_clock_new_manual (drs_simulator_get_wall_time (f->sim) * 1000);
  f->t0 = drs_clock_get_monotonic_us (f->clock);
  f->store = drs_job_store_new ();
  f->sent = g_array_new (FALSE, FALSE, sizeof (Sent));
  g_array_set_clear_func (f->sent, sent_clear);
  f->events = g_array_new (FALSE, FALSE, sizeof (Event));
  g_array_set_clear_func (f->events, event_clear);
}

static void
make_monitor (Fixture *f, gboolean with_history)
{
  g_autoptr (GError) error = NULL;

  if (with_history)
    {
      g_autofree char *path = NULL;

      g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
      path = g_build_filename (g_get_user_cache_dir (), "history.db", NULL);
      f->history = drs_history_open (path, &error);
      g_assert_no_error (error);
    }

  f->monitor = drs_monitor_new (f->store, f->history, f->clock);
  drs_monitor_set_client (f->monitor, NULL, f->client);
  g_signal_connect (f->monitor, "request-sent", G_CALLBACK (request_sent_cb), f);
  g_signal_connect (f->monitor, "job-finished", G_CALLBACK (finished_cb), f);
  g_signal_connect (f->monitor, "job-failed", G_CALLBACK (failed_cb), f);
  g_signal_connect (f->monitor, "job-recovered", G_CALLBACK (recovered_cb), f);
  g_signal_connect (f->monitor, "delay-alert", G_CALLBACK (delay_cb), f);
  g_signal_connect (f->monitor, "connection-problem", G_CALLBACK (problem_cb), f);
  g_signal_connect (f->monitor, "connection-restored", G_CALLBACK (restored_cb), f);
  g_signal_connect (f->monitor, "refresh-started", G_CALLBACK (refresh_started_cb), f);
  g_signal_connect (f->monitor, "refresh-finished", G_CALLBACK (refresh_finished_cb), f);
  g_signal_connect (f->store, "applied", G_CALLBACK (applied_cb), f);
  g_signal_connect (f->store, "items-changed", G_CALLBACK (items_changed_cb), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->monitor != NULL)
    {
      drs_monitor_stop (f->monitor);
      /* Cancelled requests hold the monitor until their callbacks have run. */
      g_object_add_weak_pointer (G_OBJECT (f->monitor), (gpointer *) &f->monitor);
      g_object_unref (f->monitor);
      DRS_TEST_SPIN_UNTIL (f->monitor == NULL, 10000);
    }
  g_clear_object (&f->history);
  g_assert_finalize_object (f->store);
  g_clear_object (&f->client);
  g_clear_object (&f->credentials);
  g_clear_object (&f->clock);
  g_assert_finalize_object (f->sim);
  g_clear_pointer (&f->sent, g_array_unref);
  g_clear_pointer (&f->events, g_array_unref);
}

/* Runs the main loop until the monitor has nothing in flight and nothing else is ready. */
static void
settle (Fixture *f)
{
  guint deadline = drs_test_deadline_start (30000, "the monitor settles");

  for (;;)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      if (drs_monitor_get_n_in_flight (f->monitor) == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (deadline);
}

/* Moves the simulator and the monitor's clock together, stopping at every timer. */
static void
run_for (Fixture *f, gint64 seconds)
{
  gint64 end = drs_clock_get_monotonic_us (f->clock) + seconds * SEC;

  settle (f);
  for (;;)
    {
      gint64 now = drs_clock_get_monotonic_us (f->clock);
      gint64 next = drs_clock_get_next_due_us (f->clock);
      gint64 step;

      if (now >= end)
        break;
      step = (next < 0 || next > end) ? end - now : MAX (next - now, 0);
      /* Whole milliseconds, as the simulator counts. */
      step = MAX ((step + 999) / 1000 * 1000, 1000);
      step = MIN (step, end - now);
      drs_simulator_advance (f->sim, step / 1000);
      drs_clock_advance_us (f->clock, step);
      settle (f);
    }
}

static void
load_scenario (Fixture *f, const char *json)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (drs_simulator_load_scenario_data (f->sim, json, -1, &error));
  g_assert_no_error (error);
}

static guint
count_polls (Fixture *f, const char *id, gint64 from_s, gint64 to_s, GArray *times)
{
  guint n = 0;

  for (guint i = 0; i < f->sent->len; i++)
    {
      Sent *s = &g_array_index (f->sent, Sent, i);

      if (s->t < from_s * SEC || s->t >= to_s * SEC)
        continue;
      if (g_strv_contains ((const char *const *) s->ids, id))
        {
          n++;
          if (times != NULL)
            g_array_append_val (times, s->t);
        }
    }
  return n;
}

static Event *
find_event (Fixture *f, const char *what, const char *id, guint nth)
{
  for (guint i = 0; i < f->events->len; i++)
    {
      Event *e = &g_array_index (f->events, Event, i);

      if (g_str_equal (e->what, what) && g_strcmp0 (e->id, id) == 0 && nth-- == 0)
        return e;
    }
  return NULL;
}

static guint
count_events (Fixture *f, const char *what, const char *id)
{
  guint n = 0;

  while (find_event (f, what, id, n) != NULL)
    n++;
  return n;
}

static void
assert_event_between (
    Fixture *f, const char *what, const char *id, guint nth, gint64 from_s, gint64 to_s)
{
  Event *e = find_event (f, what, id, nth);

  if (e == NULL)
    g_error ("no %s #%u for %s", what, nth, id);
  g_test_message ("%s #%u of %s at %.0f s, expected %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT, what,
                  nth, id, e->t / 1e6, from_s, to_s);
  g_assert_cmpint (e->t, >=, from_s * SEC);
  g_assert_cmpint (e->t, <=, to_s * SEC);
}

/* The most requests sent in any 60 s window. */
static guint
max_per_minute (Fixture *f)
{
  guint max = 0;

  for (guint i = 0, start = 0; i < f->sent->len; i++)
    {
      gint64 t = g_array_index (f->sent, Sent, i).t;

      while (g_array_index (f->sent, Sent, start).t <= t - 60 * SEC)
        start++;
      max = MAX (max, i - start + 1);
    }
  return max;
}

/* Tests ------------------------------------------------------------------------------------- */

static const char due_scenario[] =
    "{\"jobs\": ["
    " {\"id\": \"run-1\", \"phases\": [{\"status\": \"FULL_TRANSFER_STARTED\","
    "   \"progress\": [0, 100], \"duration\": 10000}]},"
    " {\"id\": \"done-1\", \"task_mode\": \"FULL_TRANS\","
    "   \"phases\": [{\"status\": \"FULL_TRANSFER_COMPLETE\", \"progress\": 100}]},"
    " {\"id\": \"fail-1\", \"phases\": [{\"status\": \"FULL_TRANSFER_FAILED\"}]},"
    " {\"id\": \"pend-1\", \"phases\": [{\"status\": \"CONFIGURATION\"}]}"
    "]}";

static void
test_due_selection (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "run-1", "done-1", "fail-1", "pend-1", NULL };
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n;

  load_scenario (f, due_scenario);
  make_monitor (f, FALSE);
  drs_job_store_add_many (f->store, ids);
  g_assert_cmpuint (drs_monitor_get_interval (f->monitor), ==, 15);
  g_assert_cmpuint (drs_monitor_get_finished_interval (f->monitor), ==, 600);

  drs_monitor_start (f->monitor);
  run_for (f, 30 * 60);

  /* Active jobs every 15 s: 120 polls in 30 min. */
  g_assert_cmpuint (count_polls (f, "run-1", 0, 1800, times), ==, 120);
  for (guint i = 1; i < times->len; i++)
    g_assert_cmpint (g_array_index (times, gint64, i) - g_array_index (times, gint64, i - 1), ==,
                     15 * SEC);
  g_assert_cmpuint (count_polls (f, "pend-1", 0, 1800, NULL), ==, 120);

  /* Finished and failed ones about every 10 min (a batch with room may take them up to a
   * quarter interval early). */
  for (guint j = 1; j <= 2; j++)
    {
      g_array_set_size (times, 0);
      n = count_polls (f, ids[j], 0, 1800, times);
      g_test_message ("%s polled %u times", ids[j], n);
      g_assert_cmpuint (n, >=, 3);
      g_assert_cmpuint (n, <=, 5);
      for (guint i = 1; i < times->len; i++)
        g_assert_cmpint (g_array_index (times, gint64, i) - g_array_index (times, gint64, i - 1),
                         >=, 450 * SEC);
    }

  /* The store was merged in place: rows only from add_many, one merge per refresh. */
  g_assert_cmpuint (f->n_items_changed, ==, 1);
  g_assert_cmpuint (f->n_applied, ==, f->sent->len);
  g_assert_cmpuint (f->n_refresh_finished, ==, f->n_refresh_started);
  g_assert_cmpint (drs_monitor_get_last_refresh (f->monitor), >, 0);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, f->sent->len);
  g_assert_cmpint (drs_job_get_status (drs_job_store_lookup (f->store, "done-1")), ==,
                   DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE);
  g_assert_cmpint (drs_job_get_status_class (drs_job_store_lookup (f->store, "done-1")), ==,
                   DRS_STATUS_CLASS_FINISHED);
  /* No transitions: the first answer is a baseline, not a change. */
  g_assert_cmpuint (f->events->len, ==, 0);

  /* A shorter interval applies at once. */
  drs_monitor_set_interval (f->monitor, 5);
  g_array_set_size (times, 0);
  run_for (f, 60);
  g_assert_cmpuint (count_polls (f, "run-1", 1800, 1860, NULL), >=, 11);
}

static char *
many_jobs_scenario (guint n_jobs, guint n_finished)
{
  GString *json = g_string_new ("{\"jobs\": [");

  for (guint i = 0; i < n_jobs; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      if (i < n_finished)
        g_string_append_printf (json,
                                "{\"id\": \"job-%04u\", \"phases\": [{\"status\": "
                                "\"RELEASE_RESOURCE_COMPLETE\", \"progress\": 100}]}",
                                i);
      else
        g_string_append_printf (json,
                                "{\"id\": \"job-%04u\", \"phases\": [{\"status\": "
                                "\"INCRE_TRANSFER_STARTED\", \"progress\": 100, \"delay\": "
                                "{\"base_ms\": 1000, \"jitter_ms\": 500}}]}",
                                i);
    }
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}

static GStrv
many_ids (guint n_jobs)
{
  GStrv ids = g_new0 (char *, n_jobs + 1);

  for (guint i = 0; i < n_jobs; i++)
    ids[i] = g_strdup_printf ("job-%04u", i);
  return ids;
}

static void
test_budget_1000 (Fixture *f, gconstpointer data)
{
  g_autofree char *json = many_jobs_scenario (1000, 0);
  g_auto (GStrv) ids = many_ids (1000);
  DrsSimFaults faults = { .rate_limit_per_min = 60 };
  guint        max_in_window = 0;
  guint        max_burst = 0;

  load_scenario (f, json);
  /* The simulator refuses what goes over 60 a minute: any 429 would show in the events. */
  drs_simulator_set_faults (f->sim, &faults);
  make_monitor (f, FALSE);
  drs_job_store_add_many (f->store, (const char *const *) ids);
  g_assert_cmpuint (drs_monitor_get_budget (f->monitor), ==, 60);

  drs_monitor_start (f->monitor);
  run_for (f, 10 * 60);
  /* And a refresh now on top: jumps the queue, not the budget. */
  drs_monitor_refresh_now (f->monitor);
  run_for (f, 5 * 60);

  for (guint i = 0; i < f->sent->len; i++)
    {
      gint64 t = g_array_index (f->sent, Sent, i).t;
      guint  in_window = 0;
      guint  burst = 0;

      for (guint j = 0; j <= i; j++)
        {
          gint64 u = g_array_index (f->sent, Sent, j).t;

          if (u > t - 60 * SEC)
            in_window++;
          if (u == t)
            burst++;
        }
      max_in_window = MAX (max_in_window, in_window);
      max_burst = MAX (max_burst, burst);
    }
  g_test_message ("%u requests in 15 min, at most %u in a minute, bursts of at most %u",
                  f->sent->len, max_in_window, max_burst);
  g_assert_cmpuint (max_in_window, <=, 60);
  g_assert_cmpuint (max_burst, <=, 10);
  /* The budget is used, not wasted. */
  g_assert_cmpuint (f->sent->len, >=, 14 * 60);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, f->sent->len);
  g_assert_cmpuint (count_events (f, "problem", NULL), ==, 0);

  /* Every job got its turn, in batches of ten. */
  for (guint i = 0; i < 1000; i += 97)
    g_assert_cmpuint (count_polls (f, ids[i], 0, 15 * 60, NULL), >=, 6);
  for (guint i = 0; i < 1000; i++)
    g_assert_false (drs_job_get_stale (drs_job_store_lookup (f->store, ids[i])));
}

static void
test_one_in_flight (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "run-1", NULL };
  DrsSimFaults             faults = { .latency_ms = 200 };

  load_scenario (f, due_scenario);
  drs_simulator_set_faults (f->sim, &faults);
  make_monitor (f, FALSE);
  drs_job_store_add_many (f->store, ids);
  drs_monitor_start (f->monitor);

  DRS_TEST_SPIN_UNTIL (drs_simulator_get_request_count (f->sim, "batch-progress") == 1, 10000);
  g_assert_true (drs_monitor_get_refreshing (f->monitor));
  /* While the answer is delayed, asking again and again sends nothing new. */
  for (guint i = 0; i < 5; i++)
    {
      drs_monitor_refresh_now (f->monitor);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      drs_clock_advance (f->clock, 0);
    }
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpuint (drs_monitor_get_n_in_flight (f->monitor), ==, 1);

  settle (f);
  g_assert_false (drs_monitor_get_refreshing (f->monitor));
  g_assert_cmpuint (f->sent->len, ==, 1);
  drs_monitor_refresh_now (f->monitor);
  settle (f);
  g_assert_cmpuint (f->sent->len, ==, 2);
}

static void
test_backoff (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "run-1", NULL };
  DrsSimFaults             faults = { .error_status = 503, .error_rate = 0 };
  DrsJob                  *job;
  double                   progress;
  gint64                   ceiling = DRS_MONITOR_BACKOFF_BASE_US;
  guint                    sent;

  load_scenario (f, due_scenario);
  make_monitor (f, FALSE);
  drs_job_store_add_many (f->store, ids);
  job = drs_job_store_lookup (f->store, "run-1");
  drs_monitor_start (f->monitor);
  run_for (f, 120);
  progress = drs_job_get_progress (job);
  g_assert_cmpfloat (progress, >, 0);
  g_assert_false (drs_job_get_stale (job));
  g_assert_cmpint (drs_monitor_get_backoff_until_us (f->monitor, NULL), ==, -1);

  /* Every request fails with 503: the waits double (with jitter in their upper half) up to
   * the ceiling. */
  drs_simulator_set_faults (f->sim, &faults);
  for (guint i = 0; i < 9; i++)
    {
      gint64 until, wait;

      sent = f->sent->len;
      while (f->sent->len == sent)
        run_for (f, 1);
      settle (f);
      until = drs_monitor_get_backoff_until_us (f->monitor, NULL);
      wait = until - drs_clock_get_monotonic_us (f->clock);
      g_test_message ("failure %u: backing off %.1f s (ceiling %.0f s)", i + 1, wait / 1e6,
                      ceiling / 1e6);
      g_assert_cmpint (wait, >=, ceiling / 2 - SEC);
      g_assert_cmpint (wait, <=, ceiling);
      ceiling = MIN (ceiling * 2, DRS_MONITOR_BACKOFF_MAX_US);

      /* The job keeps its values and says why they are old. */
      g_assert_true (drs_job_get_stale (job));
      g_assert_nonnull (drs_job_get_stale_reason (job));
      g_assert_cmpfloat (drs_job_get_progress (job), ==, progress);
      g_assert_true (drs_monitor_get_connection_problem (f->monitor, NULL));
    }
  /* One problem for the account, not one per failure or per job. */
  g_assert_cmpuint (count_events (f, "problem", NULL), ==, 1);
  g_assert_cmpstr (find_event (f, "problem", NULL, 0)->code, ==, "server");

  /* The server is back: the next attempt succeeds, the backoff resets, the job is fresh. */
  drs_simulator_set_faults (f->sim, NULL);
  sent = f->sent->len;
  while (f->sent->len == sent)
    run_for (f, 1);
  settle (f);
  g_assert_false (drs_job_get_stale (job));
  g_assert_cmpfloat (drs_job_get_progress (job), >, progress);
  g_assert_cmpint (drs_monitor_get_backoff_until_us (f->monitor, NULL), ==, -1);
  g_assert_cmpuint (count_events (f, "restored", NULL), ==, 1);
  g_assert_false (drs_monitor_get_connection_problem (f->monitor, NULL));

  /* A new failure starts again from the first step. */
  drs_simulator_set_faults (f->sim, &faults);
  run_for (f, 15);
  g_assert_cmpint (drs_monitor_get_backoff_until_us (f->monitor, NULL) -
                       drs_clock_get_monotonic_us (f->clock),
                   <=, DRS_MONITOR_BACKOFF_BASE_US);

  /* "Refresh now" retries at once after a server error... */
  sent = f->sent->len;
  drs_simulator_set_faults (f->sim, NULL);
  drs_monitor_refresh_now (f->monitor);
  settle (f);
  g_assert_cmpuint (f->sent->len, ==, sent + 1);
  g_assert_cmpuint (count_events (f, "restored", NULL), ==, 2);
}

/* A refresh of many batches that all fail backs off one step, not one step per batch: after a
 * short outage 1,000 tasks come back as soon as one task would. */
static void
test_backoff_per_refresh (Fixture *f, gconstpointer data)
{
  g_autofree char *json = many_jobs_scenario (40, 0);
  g_auto (GStrv) ids = many_ids (40);
  DrsSimFaults faults = { .error_status = 503, .error_rate = 0 };
  gint64       ceiling = DRS_MONITOR_BACKOFF_BASE_US;
  guint        sent;

  load_scenario (f, json);
  make_monitor (f, FALSE);
  drs_monitor_set_budget (f->monitor, 600);
  drs_job_store_add_many (f->store, (const char *const *) ids);
  drs_monitor_start (f->monitor);
  run_for (f, 60);

  drs_simulator_set_faults (f->sim, &faults);
  for (guint i = 0; i < 3; i++)
    {
      gint64 wait;

      /* The next refresh: four batches of ten, sent together, all failing. */
      sent = f->sent->len;
      while (f->sent->len == sent)
        run_for (f, 1);
      settle (f);
      g_assert_cmpuint (f->sent->len, ==, sent + 4);
      wait = drs_monitor_get_backoff_until_us (f->monitor, NULL) -
             drs_clock_get_monotonic_us (f->clock);
      g_test_message ("failed refresh %u: backing off %.1f s (ceiling %.0f s)", i + 1, wait / 1e6,
                      ceiling / 1e6);
      g_assert_cmpint (wait, >=, ceiling / 2 - SEC);
      g_assert_cmpint (wait, <=, ceiling);
      ceiling *= 2;
    }
  g_assert_cmpuint (count_events (f, "problem", NULL), ==, 1);
}

static void
test_throttled (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "run-1", NULL };
  DrsSimFaults             faults = { .throttle_rate = 1, .retry_after_s = 120 };
  guint                    sent;
  gint64                   wait;

  load_scenario (f, due_scenario);
  make_monitor (f, FALSE);
  drs_job_store_add_many (f->store, ids);
  drs_simulator_set_faults (f->sim, &faults);
  drs_monitor_start (f->monitor);
  settle (f);
  g_assert_cmpuint (f->sent->len, ==, 1);

  /* Retry-After beats the first backoff step... */
  wait =
      drs_monitor_get_backoff_until_us (f->monitor, NULL) - drs_clock_get_monotonic_us (f->clock);
  g_assert_cmpint (wait, >=, 120 * SEC);
  g_assert_cmpstr (find_event (f, "problem", NULL, 0)->code, ==, "throttled");

  /* ...and "refresh now" does not jump it. */
  drs_simulator_set_faults (f->sim, NULL);
  drs_monitor_refresh_now (f->monitor);
  settle (f);
  g_assert_cmpuint (f->sent->len, ==, 1);
  run_for (f, 119);
  g_assert_cmpuint (f->sent->len, ==, 1);
  sent = f->sent->len;
  run_for (f, 2);
  g_assert_cmpuint (f->sent->len, ==, sent + 1);
  g_assert_false (drs_job_get_stale (drs_job_store_lookup (f->store, "run-1")));
}

static void
test_accounts (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) bad_credentials = drs_credentials_new_token ("wrong-token");
  g_autoptr (DrsClient) bad = NULL;
  g_autoptr (GError) error = NULL;
  static const char *const ids[] = { "run-1", "pend-1", NULL };
  DrsJob                  *other;

  load_scenario (f, due_scenario);
  make_monitor (f, FALSE);
  bad = drs_client_new (drs_simulator_get_base_url (f->sim), drs_simulator_get_project_id (f->sim),
                        bad_credentials, &error);
  g_assert_no_error (error);
  drs_monitor_set_client (f->monitor, "second", bad);
  g_assert_true (drs_monitor_get_client (f->monitor, "second") == bad);

  drs_job_store_add_many (f->store, ids);
  other = drs_job_store_lookup (f->store, "pend-1");
  drs_job_set_account (other, "second");
  drs_monitor_start (f->monitor);
  run_for (f, 60);

  /* The default account works; the second one has a problem, reported once, for it alone. */
  g_assert_false (drs_job_get_stale (drs_job_store_lookup (f->store, "run-1")));
  g_assert_true (drs_job_get_stale (other));
  g_assert_cmpuint (count_events (f, "problem", "second"), ==, 1);
  g_assert_cmpuint (count_events (f, "problem", NULL), ==, 0);
  g_assert_cmpstr (find_event (f, "problem", "second", 0)->code, ==, "auth");
  g_assert_true (drs_monitor_get_connection_problem (f->monitor, "second"));
  g_assert_false (drs_monitor_get_connection_problem (f->monitor, NULL));
  /* Authentication errors are not retried faster than the interval, nor backed off. */
  g_assert_cmpuint (count_polls (f, "pend-1", 0, 60, NULL), ==, 4);

  /* New credentials: restored. */
  drs_monitor_set_client (f->monitor, "second", f->client);
  run_for (f, 15);
  g_assert_false (drs_job_get_stale (other));
  g_assert_cmpuint (count_events (f, "restored", "second"), ==, 1);
  for (guint i = 0; i < f->sent->len; i++)
    {
      Sent *s = &g_array_index (f->sent, Sent, i);

      /* A request never mixes accounts. */
      for (guint j = 0; s->ids[j] != NULL; j++)
        g_assert_cmpstr (g_str_equal (s->ids[j], "pend-1") ? "second" : NULL, ==, s->account);
    }

  /* Removing the client stops polling its jobs. */
  drs_monitor_set_client (f->monitor, "second", NULL);
  g_assert_null (drs_monitor_get_client (f->monitor, "second"));
  g_array_set_size (f->sent, 0);
  run_for (f, 60);
  g_assert_cmpuint (count_polls (f, "pend-1", 0, G_MAXINT32, NULL), ==, 0);
  g_assert_cmpuint (count_polls (f, "run-1", 0, G_MAXINT32, NULL), ==, 4);
}

/* A few simulated hours with every kind of transition. Times are scenario seconds. */
static const char hours_scenario[] =
    "{\"jobs\": ["
    /* fails at 1800, runs again at 3000, finishes at 4800 */
    " {\"id\": \"fail-recover\", \"task_mode\": \"FULL_TRANS\", \"phases\": ["
    "   {\"status\": \"FULL_TRANSFER_STARTED\", \"duration\": 1800, \"progress\": [0, 50]},"
    "   {\"status\": \"FULL_TRANSFER_FAILED\", \"duration\": 1200, \"error_code\": \"DRS.M04002\","
    "    \"error_msg\": \"The connection to the source database was lost.\"},"
    "   {\"status\": \"FULL_TRANSFER_STARTED\", \"duration\": 1800, \"progress\": [50, 100]},"
    "   {\"status\": \"FULL_TRANSFER_COMPLETE\", \"progress\": 100}]},"
    /* incremental from 600; catch-up delay during the grace period; a 40 s spike at 2400 (too
     * short to alert); a 10-minute spike at 4200 (alerts, then clears) */
    " {\"id\": \"delay-spikes\", \"phases\": ["
    "   {\"status\": \"FULL_TRANSFER_STARTED\", \"duration\": 600, \"progress\": [0, 100]},"
    "   {\"status\": \"INCRE_TRANSFER_STARTED\", \"progress\": 100, \"delay\": {"
    "     \"base_ms\": 1000, \"jitter_ms\": 0, \"initial_ms\": 900000, \"settle_s\": 400,"
    "     \"spikes\": [{\"at\": 1800, \"duration\": 40, \"peak_ms\": 1000000},"
    "                  {\"at\": 3600, \"duration\": 600, \"peak_ms\": 1000000}]}}]},"
    /* hysteresis: 400 s from the start (alert), 270 s (between 80 % and 100 %: stays), 200 s
     * (clears) */
    " {\"id\": \"hysteresis\", \"task_mode\": \"INCR_TRANS\", \"phases\": ["
    "   {\"status\": \"INCRE_TRANSFER_STARTED\", \"duration\": 1800, \"progress\": 100,"
    "    \"delay\": {\"base_ms\": 400000, \"jitter_ms\": 0}},"
    "   {\"status\": \"INCRE_TRANSFER_STARTED\", \"duration\": 1800,"
    "    \"delay\": {\"base_ms\": 270000, \"jitter_ms\": 0}},"
    "   {\"status\": \"INCRE_TRANSFER_STARTED\","
    "    \"delay\": {\"base_ms\": 200000, \"jitter_ms\": 0}}]},"
    /* enters incremental at 300 with a high delay: alerts only after the 600 s grace */
    " {\"id\": \"grace\", \"phases\": ["
    "   {\"status\": \"FULL_TRANSFER_STARTED\", \"duration\": 300, \"progress\": [0, 100]},"
    "   {\"status\": \"INCRE_TRANSFER_STARTED\", \"progress\": 100,"
    "    \"delay\": {\"base_ms\": 400000, \"jitter_ms\": 0}}]},"
    /* finished before the monitor starts: polled rarely, never announced */
    " {\"id\": \"done\", \"phases\": [{\"status\": \"RELEASE_RESOURCE_COMPLETE\","
    "   \"progress\": 100}]}"
    "]}";

static void
test_hours (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "fail-recover", "delay-spikes", "hysteresis",
                                     "grace",        "done",         NULL };
  g_autoptr (GArray) chart = NULL;
  g_autoptr (GError) error = NULL;
  gint64 wall0;
  gint64 max_delay = 0;
  guint  n_gaps = 0;

  load_scenario (f, hours_scenario);
  make_monitor (f, TRUE);
  drs_job_store_add_many (f->store, ids);
  wall0 = drs_clock_get_wall_us (f->clock);
  drs_monitor_start (f->monitor);
  run_for (f, 3 * 3600);

  /* Failed at 1800 with the server's code and message, once; recovered when next polled (a
   * failed job is polled every 10 min); finished at 4800 (active again: within 15 s). */
  g_assert_cmpuint (count_events (f, "failed", "fail-recover"), ==, 1);
  assert_event_between (f, "failed", "fail-recover", 0, 1800, 1815);
  g_assert_cmpstr (find_event (f, "failed", "fail-recover", 0)->code, ==, "DRS.M04002");
  g_assert_cmpuint (count_events (f, "recovered", "fail-recover"), ==, 1);
  assert_event_between (f, "recovered", "fail-recover", 0, 3000, 3000 + 600 + 15);
  g_assert_cmpuint (count_events (f, "finished", "fail-recover"), ==, 1);
  assert_event_between (f, "finished", "fail-recover", 0, 4800, 4815);

  /* Catch-up delay in the grace period and the 40 s spike: nothing. The long spike (600 +
   * 3600): above 300 s from 90 s into it, raised at the third sample; below 240 s from 528 s
   * into it: cleared. */
  g_assert_cmpuint (count_events (f, "delay+", "delay-spikes"), ==, 1);
  assert_event_between (f, "delay+", "delay-spikes", 0, 4200 + 90 + 30, 4200 + 90 + 45);
  g_assert_cmpuint (count_events (f, "delay-", "delay-spikes"), ==, 1);
  assert_event_between (f, "delay-", "delay-spikes", 0, 4200 + 528, 4200 + 528 + 15);

  /* Hysteresis: raised at the third sample, kept through 270 s, cleared at 200 s. */
  g_assert_cmpuint (count_events (f, "delay+", "hysteresis"), ==, 1);
  assert_event_between (f, "delay+", "hysteresis", 0, 30, 30);
  g_assert_cmpuint (count_events (f, "delay-", "hysteresis"), ==, 1);
  assert_event_between (f, "delay-", "hysteresis", 0, 3600, 3615);

  /* Grace: entered incremental at 300, nothing before 900, then three samples. */
  g_assert_cmpuint (count_events (f, "delay+", "grace"), ==, 1);
  assert_event_between (f, "delay+", "grace", 0, 900 + 30, 900 + 45);
  g_assert_cmpuint (count_events (f, "delay-", "grace"), ==, 0);

  g_assert_cmpuint (count_events (f, "finished", "done"), ==, 0);
  /* Rides along in the active jobs' request when it is due within a quarter interval. */
  g_assert_cmpuint (count_polls (f, "done", 0, 3 * 3600, NULL), <=, 3 * 3600 / 450 + 1);
  g_assert_cmpuint (count_events (f, "problem", NULL), ==, 0);

  /* Requests: the four active jobs share one request every 15 s, far within the budget. */
  g_test_message ("%u requests in 3 h, at most %u in a minute", f->sent->len, max_per_minute (f));
  g_assert_cmpuint (f->sent->len, <=, 3 * 3600 / 15 + 20);
  g_assert_cmpuint (max_per_minute (f), <=, drs_monitor_get_budget (f->monitor));

  /* The history charts the run: the long spike is there, the outage-free run has no gaps. */
  drs_history_flush (f->history);
  chart = drs_history_query (f->history, "delay-spikes",
                             &(DrsTimeRange){ wall0, wall0 + 3 * 3600 * SEC }, 300, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chart->len, >=, 100);
  g_assert_cmpuint (chart->len, <=, 300);
  for (guint i = 0; i < chart->len; i++)
    {
      DrsSample *s = &g_array_index (chart, DrsSample, i);

      n_gaps += s->gap;
      max_delay = MAX (max_delay, s->delay_ms);
    }
  g_assert_cmpuint (n_gaps, ==, 0);
  g_assert_cmpint (max_delay, >=, 900000);
  /* A finished job is sampled only on its rare polls. */
  g_assert_cmpint (drs_history_count_samples (f->history, "done"), <=, 3 * 3600 / 450 + 1);
}

static void
test_stop_restart (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "run-1", "done-1", NULL };
  DrsSimFaults             faults = { .latency_ms = 100 };

  load_scenario (f, due_scenario);
  drs_simulator_set_faults (f->sim, &faults);
  make_monitor (f, FALSE);
  drs_job_store_add_many (f->store, ids);
  drs_monitor_start (f->monitor);
  g_assert_true (drs_monitor_get_running (f->monitor));
  DRS_TEST_SPIN_UNTIL (drs_simulator_get_request_count (f->sim, "batch-progress") == 1, 10000);

  /* Stopping cancels what is in flight; the answer is never merged. */
  drs_monitor_stop (f->monitor);
  g_assert_false (drs_monitor_get_running (f->monitor));
  g_assert_false (drs_monitor_get_refreshing (f->monitor));
  g_assert_cmpuint (drs_monitor_get_n_in_flight (f->monitor), ==, 0);
  run_for (f, 60);
  g_assert_cmpuint (f->sent->len, ==, 1);
  g_assert_cmpint (drs_job_get_last_updated_us (drs_job_store_lookup (f->store, "run-1")), ==, 0);

  /* Jobs added while running are polled promptly; removed ones no longer. */
  drs_monitor_start (f->monitor);
  settle (f);
  g_assert_cmpuint (f->sent->len, ==, 2);
  drs_job_store_add (f->store, "pend-1", NULL);
  settle (f);
  g_assert_cmpuint (f->sent->len, ==, 3);
  g_assert_true (
      g_strv_contains ((const char *const *) g_array_index (f->sent, Sent, 2).ids, "pend-1"));
  drs_job_store_remove (f->store, "run-1");
  g_array_set_size (f->sent, 0);
  run_for (f, 60);
  g_assert_cmpuint (count_polls (f, "run-1", 0, G_MAXINT32, NULL), ==, 0);
  g_assert_cmpuint (count_polls (f, "pend-1", 0, G_MAXINT32, NULL), ==, 4);
}

static void
test_refresh_now_queue (Fixture *f, gconstpointer data)
{
  g_autofree char *json = many_jobs_scenario (100, 50);
  g_auto (GStrv) ids = many_ids (100);
  guint  before;
  gint64 t_refresh;
  gint64 first_finished = -1;

  load_scenario (f, json);
  make_monitor (f, FALSE);
  drs_monitor_set_budget (f->monitor, 12); /* bursts of 2, one request every 5 s */
  drs_job_store_add_many (f->store, (const char *const *) ids);
  drs_monitor_start (f->monitor);
  run_for (f, 120);

  /* The 50 finished jobs are not due for 10 min; "refresh now" puts them first in line, and
   * still spends from the budget: at most 12 requests in any minute. */
  before = f->sent->len;
  t_refresh = now_s (f);
  drs_monitor_refresh_now (f->monitor);
  run_for (f, 60);
  /* The next ten requests are the whole refresh: every job once, finished ones included,
   * before any job is asked about a second time. */
  g_assert_cmpuint (f->sent->len - before, >=, 10);
  {
    g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = before; i < before + 10; i++)
      {
        Sent *s = &g_array_index (f->sent, Sent, i);

        for (guint j = 0; s->ids[j] != NULL; j++)
          g_assert_true (g_hash_table_add (seen, s->ids[j]));
        if (first_finished < 0 && g_strv_contains ((const char *const *) s->ids, "job-0000"))
          first_finished = s->t;
      }
    g_assert_cmpuint (g_hash_table_size (seen), ==, 100);
  }
  g_assert_cmpint (first_finished - t_refresh, <, 60 * SEC);
  g_assert_cmpuint (f->sent->len - before, <=, 12);
}

static void
test_settings (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *language = NULL;

  make_monitor (f, TRUE);
  drs_monitor_bind_settings (f->monitor, settings);
  /* The schema's defaults are the monitor's. */
  g_assert_cmpuint (drs_monitor_get_interval (f->monitor), ==, 15);
  g_assert_cmpuint (drs_monitor_get_finished_interval (f->monitor), ==, 600);
  g_assert_cmpuint (drs_monitor_get_budget (f->monitor), ==, 60);
  g_assert_cmpuint (drs_monitor_get_delay_threshold (f->monitor), ==, 300);
  g_assert_cmpuint (drs_monitor_get_delay_samples (f->monitor), ==, 3);
  g_assert_cmpuint (drs_monitor_get_delay_grace (f->monitor), ==, 600);
  g_assert_cmpuint (drs_history_get_retention_days (f->history), ==, 30);

  g_settings_set_uint (settings, "refresh-interval", 30);
  g_settings_set_uint (settings, "finished-interval", 1200);
  g_settings_set_uint (settings, "request-budget", 100);
  g_settings_set_uint (settings, "delay-threshold", 120);
  g_settings_set_uint (settings, "delay-samples", 5);
  g_settings_set_uint (settings, "delay-grace", 0);
  g_settings_set_uint (settings, "history-retention-days", 7);
  g_assert_cmpuint (drs_monitor_get_interval (f->monitor), ==, 30);
  g_assert_cmpuint (drs_monitor_get_finished_interval (f->monitor), ==, 1200);
  g_assert_cmpuint (drs_monitor_get_budget (f->monitor), ==, 100);
  g_assert_cmpuint (drs_monitor_get_delay_threshold (f->monitor), ==, 120);
  g_assert_cmpuint (drs_monitor_get_delay_samples (f->monitor), ==, 5);
  g_assert_cmpuint (drs_monitor_get_delay_grace (f->monitor), ==, 0);
  g_assert_cmpuint (drs_history_get_retention_days (f->history), ==, 7);

  /* The schema's other keys exist with their documented defaults. */
  language = g_settings_get_string (settings, "language");
  g_assert_cmpstr (language, ==, "system");
  g_assert_true (g_settings_get_boolean (settings, "notify-failed"));
  g_assert_true (g_settings_get_boolean (settings, "notify-finished"));
  g_assert_true (g_settings_get_boolean (settings, "notify-recovered"));
  g_assert_true (g_settings_get_boolean (settings, "notify-delay"));
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), >, 0);
  g_assert_true (g_settings_set_string (settings, "language", "zh-CN"));
}

static const char restart_scenario[] =
    "{\"jobs\": ["
    " {\"id\": \"fails-meanwhile\", \"phases\": ["
    "   {\"status\": \"FULL_TRANSFER_STARTED\", \"duration\": 600, \"progress\": [0, 60]},"
    "   {\"status\": \"FULL_TRANSFER_FAILED\"}]},"
    " {\"id\": \"finishes-meanwhile\", \"task_mode\": \"FULL_TRANS\", \"phases\": ["
    "   {\"status\": \"FULL_TRANSFER_STARTED\", \"duration\": 600, \"progress\": [0, 100]},"
    "   {\"status\": \"FULL_TRANSFER_COMPLETE\"}]},"
    " {\"id\": \"failed-all-along\", \"phases\": [{\"status\": \"CREATE_FAILED\"}]},"
    " {\"id\": \"deleted\", \"phases\": [{\"status\": \"DELETED\", \"missing\": true}]}"
    "]}";

static void
test_restart_baseline (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "fails-meanwhile", "finishes-meanwhile", "failed-all-along",
                                     "deleted", NULL };

  load_scenario (f, restart_scenario);
  make_monitor (f, TRUE);
  drs_job_store_add_many (f->store, ids);
  drs_monitor_start (f->monitor);
  run_for (f, 60);
  g_assert_cmpuint (f->events->len, ==, 0);

  /* Quit: monitor, store and history go away. */
  drs_monitor_stop (f->monitor);
  g_object_add_weak_pointer (G_OBJECT (f->monitor), (gpointer *) &f->monitor);
  g_object_unref (f->monitor);
  DRS_TEST_SPIN_UNTIL (f->monitor == NULL, 10000);
  g_assert_finalize_object (f->history);
  f->history = NULL;
  g_assert_finalize_object (f->store);

  /* Twenty minutes later the app starts again, with the same database. */
  drs_simulator_advance (f->sim, 20 * 60 * 1000);
  drs_clock_advance (f->clock, 20 * 60 * 1000);
  f->store = drs_job_store_new ();
  make_monitor (f, TRUE);
  drs_job_store_add_many (f->store, ids);
  drs_monitor_start (f->monitor);
  run_for (f, 30);

  /* What changed while it was closed is announced once; what did not, is not. */
  g_assert_cmpuint (count_events (f, "failed", "fails-meanwhile"), ==, 1);
  g_assert_cmpuint (count_events (f, "finished", "finishes-meanwhile"), ==, 1);
  g_assert_cmpuint (count_events (f, "failed", "failed-all-along"), ==, 0);
  g_assert_cmpuint (count_events (f, "failed", "deleted"), ==, 0);
  g_assert_cmpuint (f->events->len, ==, 2);
}

static void
test_system_clock (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "run-1", "done-1", NULL };
  g_autoptr (DrsMonitor) monitor = NULL;
  guint finished = 0;

  /* What the app does: the real clock, the real main loop. */
  load_scenario (f, due_scenario);
  drs_simulator_set_manual_clock (f->sim, FALSE);
  monitor = drs_monitor_new (f->store, NULL, NULL);
  g_assert_false (drs_clock_is_manual (drs_monitor_get_clock (monitor)));
  drs_monitor_set_client (monitor, NULL, f->client);
  g_signal_connect (monitor, "refresh-finished", G_CALLBACK (refresh_finished_cb), f);
  drs_job_store_add_many (f->store, ids);
  drs_monitor_start (monitor);
  DRS_TEST_SPIN_UNTIL (f->n_refresh_finished >= 1, 10000);
  finished = f->n_refresh_finished;
  g_assert_cmpuint (finished, ==, 1);
  g_assert_cmpint (drs_job_get_status (drs_job_store_lookup (f->store, "done-1")), ==,
                   DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE);
  g_assert_cmpint (drs_monitor_get_last_refresh (monitor), >, 0);
  g_assert_false (drs_monitor_get_refreshing (monitor));
  drs_monitor_stop (monitor);
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

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/monitor/due-selection", test_due_selection);
  ADD ("/monitor/budget-1000", test_budget_1000);
  ADD ("/monitor/one-in-flight", test_one_in_flight);
  ADD ("/monitor/backoff", test_backoff);
  ADD ("/monitor/backoff-per-refresh", test_backoff_per_refresh);
  ADD ("/monitor/throttled", test_throttled);
  ADD ("/monitor/accounts", test_accounts);
  ADD ("/monitor/stop-restart", test_stop_restart);
  ADD ("/monitor/refresh-now-queue", test_refresh_now_queue);
  ADD ("/monitor/hours", test_hours);
  ADD ("/monitor/settings", test_settings);
  ADD ("/monitor/restart-baseline", test_restart_baseline);
  ADD ("/monitor/system-clock", test_system_clock);
#undef ADD

  return g_test_run ();
}

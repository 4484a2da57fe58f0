/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The exporter's figures (issue 16), each beside a baseline measured in the same run:
 *
 *   - scrape latency (p50/p99) of /metrics with 1,000 and 10,000 tasks while refreshes run:
 *     drs-progress --serve in a second process polling drs-simulator in a third, every task due
 *     every second with an unlimited budget (refreshes never stop); beside, in this process on the
 * same families, the time DrsExporter takes to render and a plain GString loop that prints them
 * (the baseline);
 *   - DRS requests per hour for 1,000 tasks of which 900 are finished, scraped every 15 s: the
 *     exporter (its monitor's schedule and budget, scrapes read the last values) vs querying
 *     every task on every scrape; both against the simulator on a driven clock.
 *
 *   bench-exporter [--quick]
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <libsoup/soup.h>

#include "drs-exporter.h"
#include "drs-simulator.h"

#define TOKEN "bench-token"
#define SEC ((gint64) G_USEC_PER_SEC)

static gboolean quick;

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values, double p)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

static char **
make_ids (guint n)
{
  char **ids = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    ids[i] = g_strdup_printf ("%08x-e4e0-4e0a-8d00-%08xjb%02u", 0xbe4c0000u + i, i, i % 100);
  return ids;
}

static char *
scenario_json (char **ids, guint n_finished)
{
  GString *json = g_string_new ("{\"jobs\": [");

  for (guint i = 0; ids[i] != NULL; i++)
    g_string_append_printf (json,
                            "%s{\"id\": \"%s\", \"name\": \"task %u\", \"phases\": [{\"status\": "
                            "\"%s\", \"progress\": 100}]}",
                            i ? "," : "", ids[i], i,
                            i < n_finished ? "RELEASE_RESOURCE_COMPLETE"
                                           : "INCRE_TRANSFER_STARTED");
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}

/* The baseline: the same task families, printed by a plain loop, no escaping helpers. */
static gsize
plain_render (DrsJobStore *store)
{
  GListModel *model = G_LIST_MODEL (store);
  guint       n = g_list_model_get_n_items (model);
  GString    *out = g_string_sized_new ((gsize) n * 900);
  gsize       len;

#define EACH(header, body)                            \
  g_string_append (out, header);                      \
  for (guint i = 0; i < n; i++)                       \
    {                                                 \
      DrsJob *job = g_list_model_get_item (model, i); \
      g_object_unref (job);                           \
      body;                                           \
    }

  EACH ("# TYPE drs_task_info gauge\n",
        g_string_append_printf (out,
                                "drs_task_info{job_id=\"%s\",name=\"%s\",account=\"default\","
                                "mode=\"%s\",status=\"%s\",status_class=\"%s\"} 1\n",
                                drs_job_get_id (job), drs_job_get_name (job),
                                drs_task_mode_to_string (drs_job_get_task_mode (job)),
                                drs_job_status_to_string (drs_job_get_status (job)),
                                drs_status_class_to_string (drs_job_get_status_class (job))));
  EACH ("# TYPE drs_task_progress_ratio gauge\n",
        g_string_append_printf (out,
                                "drs_task_progress_ratio{job_id=\"%s\",account=\"default\"} %g\n",
                                drs_job_get_id (job), drs_job_get_progress (job) / 100));
  EACH ("# TYPE drs_task_incremental_delay_seconds gauge\n",
        if (drs_job_get_delay_ms (job) >= 0) g_string_append_printf (
            out, "drs_task_incremental_delay_seconds{job_id=\"%s\",account=\"default\"} %g\n",
            drs_job_get_id (job), drs_job_get_delay_ms (job) / 1000.0));
  EACH ("# TYPE drs_task_remaining_seconds gauge\n",
        if (drs_job_get_remaining_s (job) >= 0) g_string_append_printf (
            out,
            "drs_task_remaining_seconds{job_id=\"%s\",account=\"default\"} %" G_GINT64_FORMAT "\n",
            drs_job_get_id (job), drs_job_get_remaining_s (job)));
  EACH ("# TYPE drs_task_last_update_timestamp_seconds gauge\n",
        g_string_append_printf (out,
                                "drs_task_last_update_timestamp_seconds{job_id=\"%s\",account="
                                "\"default\"} %.6f\n",
                                drs_job_get_id (job), drs_job_get_last_updated_us (job) / 1e6));
  EACH ("# TYPE drs_task_failed gauge\n",
        g_string_append_printf (out, "drs_task_failed{job_id=\"%s\",account=\"default\"} %d\n",
                                drs_job_get_id (job),
                                drs_job_get_status_class (job) == DRS_STATUS_CLASS_FAILED));
  EACH ("# TYPE drs_task_stale gauge\n",
        g_string_append_printf (out, "drs_task_stale{job_id=\"%s\",account=\"default\"} %d\n",
                                drs_job_get_id (job), drs_job_get_stale (job)));
#undef EACH
  len = out->len;
  g_string_free (out, TRUE);
  return len;
}

/* A store of @ids as one refresh of the simulator's scenario leaves it. */
static DrsJobStore *
filled_store (char **ids)
{
  GString *body = g_string_new ("{\"count\": 0, \"results\": [");
  g_autoptr (GPtrArray) snapshots = NULL;
  g_autoptr (GError) error = NULL;
  DrsJobStore *store = drs_job_store_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_string_append_printf (
          body,
          "%s{\"job_id\": \"%s\", \"progress\": \"100\", \"incre_trans_delay\": "
          "\"1\", \"incre_trans_delay_millis\": \"%u\", \"task_mode\": "
          "\"FULL_INCR_TRANS\", \"transfer_status\": \"INCRE_TRANSFER_STARTED\", "
          "\"remaining_time\": \"0\"}",
          i ? "," : "", ids[i], 500 + i % 1000);
      drs_job_set_name (drs_job_store_add (store, ids[i], NULL), "task name");
    }
  g_string_append (body, "]}");
  snapshots = drs_progress_parse (body->str, body->len, &error);
  g_assert_no_error (error);
  drs_job_store_apply (store, snapshots, g_get_real_time ());
  g_string_free (body, TRUE);
  return store;
}

static void
on_done (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GBytes *
get (SoupSession *session, const char *url)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *body;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  body = soup_session_send_and_read_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return body;
}

static char *
read_first_line (GSubprocess *proc)
{
  g_autoptr (GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_autoptr (GError) error = NULL;
  char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

static void
stop (GSubprocess *proc)
{
  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, NULL);
}

static void
bench_scrapes (guint n, guint n_scrapes)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-exporter-XXXXXX", &error);
  g_autofree char *scenario = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *ids_path = g_build_filename (dir, "ids.txt", NULL);
  g_autofree char *sim_path =
      g_build_filename (BENCH_BUILDDIR, "..", "src", "sim", "drs-simulator", NULL);
  g_autofree char *progress_path =
      g_build_filename (BENCH_BUILDDIR, "..", "src", "cli", "drs-progress", NULL);
  g_auto (GStrv) ids = make_ids (n);
  g_autofree char *json = scenario_json (ids, 0);
  g_autofree char *ids_text = g_strjoinv ("\n", ids);
  g_autoptr (GSubprocess) sim = NULL;
  g_autoptr (GSubprocess) exporter = NULL;
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GArray) http = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) plain = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (DrsJobStore) store = filled_store (ids);
  g_autoptr (DrsExporter) exporter_in_process = drs_exporter_new (store, NULL);
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  gsize            size = 0;
  guint            requests_before, requests_after;

  g_file_set_contents (scenario, json, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (ids_path, ids_text, -1, &error);
  g_assert_no_error (error);

  sim = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error, sim_path, "--port", "0", "--scenario", scenario, "--seed", "1",
                          "--token", TOKEN, NULL);
  g_assert_no_error (error);
  base = read_first_line (sim);

  g_subprocess_launcher_setenv (launcher, "DRS_AUTH_TOKEN", TOKEN, TRUE);
  exporter = g_subprocess_launcher_spawn (
      launcher, &error, progress_path, "--serve", "127.0.0.1:0", "--endpoint", base, "--project-id",
      DRS_SIM_DEMO_PROJECT_ID, "--jobs-file", ids_path, "--interval", "1", "--budget", "100000",
      "--concurrency", "8", NULL);
  g_assert_no_error (error);
  url = read_first_line (exporter);

  /* Wait until every task has been read once, then scrape while the refreshes go on. */
  for (;;)
    {
      g_autoptr (GBytes) body = get (session, url);
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_autofree char *needle =
          g_strdup_printf ("drs_task_last_update_timestamp_seconds{job_id=\"%s\"", ids[n - 1]);

      if (strstr (text, needle) != NULL)
        break;
    }
  {
    g_autoptr (GBytes) body = get (session, url);
    g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    const char      *line =
        strstr (text, "drs_account_requests_total{account=\"default\",api=\"batch-progress\"} ");

    requests_before = line ? (guint) g_ascii_strtoull (strchr (line, '}') + 2, NULL, 10) : 0;
  }

  /* At least @n_scrapes, over at least a few refreshes. */
  for (gint64 until = g_get_monotonic_time () + (quick ? 3 : 10) * SEC;
       http->len < n_scrapes || g_get_monotonic_time () < until;)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (GBytes) body = get (session, url);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      size = g_bytes_get_size (body);
      g_array_append_val (http, ms);
    }
  {
    g_autoptr (GBytes) body = get (session, url);
    g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    const char      *line =
        strstr (text, "drs_account_requests_total{account=\"default\",api=\"batch-progress\"} ");

    requests_after = line ? (guint) g_ascii_strtoull (strchr (line, '}') + 2, NULL, 10) : 0;
  }
  stop (exporter);
  stop (sim);

  for (guint i = 0; i < n_scrapes; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (GBytes) bytes = drs_exporter_render (exporter_in_process, DRS_METRICS_TEXT);
      double ms = (g_get_monotonic_time () - start) / 1000.0;
      gsize  plain_size;

      g_array_append_val (ours, ms);
      start = g_get_monotonic_time ();
      plain_size = plain_render (store);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (plain, ms);
      (void) plain_size;
    }

  printf ("| %u | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.0f KB | %u |\n", n,
          percentile (http, 0.5), percentile (http, 0.99), percentile (ours, 0.5),
          percentile (ours, 0.99), percentile (plain, 0.5), percentile (plain, 0.99), size / 1024.0,
          requests_after - requests_before);
  fflush (stdout);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    if (system (cmd) != 0)
      fprintf (stderr, "could not remove %s\n", dir);
  }
}

/* Requests per hour -------------------------------------------------------------------------- */

static void
settle (DrsMonitor *monitor, DrsClient *client, guint *pending)
{
  for (;;)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      if ((monitor == NULL || drs_monitor_get_n_in_flight (monitor) == 0) && *pending == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
on_queried (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsProgressResult) answer =
      drs_client_query_progress_finish (DRS_CLIENT (object), result, NULL);

  (*(guint *) user_data)--;
}

/* One driven hour of scrapes every 15 s: @naive queries every task on every scrape; else the
 * exporter's monitor polls on its own schedule (15 s active, 600 s finished, 60 a minute). */
static guint
requests_per_hour (gboolean naive)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) ids = make_ids (1000);
  g_autofree char *json = scenario_json (ids, 900);
  g_autoptr (DrsSimulator) sim = drs_simulator_new ();
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token (TOKEN);
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (DrsJobStore) store = drs_job_store_new ();
  g_autoptr (DrsClock) clock = NULL;
  g_autoptr (DrsMonitor) monitor = NULL;
  g_autoptr (DrsExporter) exporter = NULL;
  guint  pending = 0;
  gint64 end, next_scrape;

  drs_simulator_set_manual_clock (sim, TRUE);
  drs_simulator_add_token (sim, TOKEN);
  g_assert_true (drs_simulator_load_scenario_data (sim, json, -1, &error));
  g_assert_true (drs_simulator_listen (sim, 0, NULL, &error));
  client = drs_client_new (drs_simulator_get_base_url (sim), drs_simulator_get_project_id (sim),
                           credentials, &error);
  g_assert_no_error (error);
  drs_client_set_concurrency (client, 8);
  clock = drs_clock_new_manual (drs_simulator_get_wall_time (sim) * 1000);
  drs_job_store_add_many (store, (const char *const *) ids);
  if (!naive)
    {
      monitor = drs_monitor_new (store, NULL, clock);
      drs_monitor_set_client (monitor, NULL, client);
      drs_monitor_start (monitor);
    }
  exporter = drs_exporter_new (store, clock);
  drs_exporter_set_monitor (exporter, monitor);

  end = drs_clock_get_monotonic_us (clock) + 3600 * SEC;
  next_scrape = drs_clock_get_monotonic_us (clock);
  settle (monitor, client, &pending);
  for (;;)
    {
      gint64 now = drs_clock_get_monotonic_us (clock);
      gint64 next = drs_clock_get_next_due_us (clock);
      gint64 step;

      if (now >= next_scrape)
        {
          g_autoptr (GBytes) bytes = NULL;

          if (naive)
            {
              pending++;
              drs_client_query_progress_async (client, (const char *const *) ids, NULL, on_queried,
                                               &pending);
              settle (NULL, client, &pending);
            }
          bytes = drs_exporter_render (exporter, DRS_METRICS_TEXT);
          next_scrape += 15 * SEC;
        }
      if (now >= end)
        break;
      if (next < 0 || next > next_scrape)
        next = next_scrape;
      step = MIN (MAX (next - now, 1000), end - now);
      step = MAX ((step + 999) / 1000 * 1000, 1000);
      drs_simulator_advance (sim, step / 1000);
      drs_clock_advance_us (clock, step);
      settle (monitor, client, &pending);
    }
  if (monitor != NULL)
    drs_monitor_stop (monitor);
  return drs_simulator_get_request_count (sim, "batch-progress");
}

int
main (int argc, char *argv[])
{
  guint ours, naive;

  setlocale (LC_ALL, "");
  quick = argc > 1 && g_str_equal (argv[1], "--quick");
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  printf ("Scrape latency of /metrics while the exporter refreshes every task every second "
          "(drs-progress --serve and drs-simulator in other processes), beside rendering the same "
          "task families in this process with DrsExporter and with a plain GString loop "
          "(baseline).\n\n");
  printf (
      "| tasks | scrape p50 | scrape p99 | DrsExporter render p50 | p99 | plain GString loop p50 "
      "(baseline) | p99 | body | DRS requests during the scrapes |\n");
  printf ("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  fflush (stdout);
  bench_scrapes (1000, quick ? 50 : 200);
  bench_scrapes (10000, quick ? 20 : 100);

  fprintf (stderr, "requests per hour...\n");
  ours = requests_per_hour (FALSE);
  naive = requests_per_hour (TRUE);
  printf ("\n| Measure | DRS exporter | Baseline (same run) |\n|---|---|---|\n");
  printf ("| DRS requests per hour, 1,000 tasks (900 finished) scraped every 15 s | %u | %u (query "
          "every task on every scrape) |\n",
          ours, naive);
  return 0;
}

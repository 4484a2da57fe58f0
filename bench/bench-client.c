/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-client: one refresh of 1,000 task ids (100 batches of ten) with DrsClient against
 * drs-simulator (a second process) with 50 ms of injected latency, at concurrency 1, 4, 8 and 16,
 * side by side with a naive sequential Python urllib script run in the same run against the same
 * server. Reports the median wall time, its ratio to the latency floor ⌈100 / C⌉ × 50 ms, the
 * speed-up over the script, the TCP connections the simulator accepted, and the client's CPU
 * time per refresh (getrusage of this process: the server runs elsewhere).
 *
 *   bench-client [REFRESHES [CONCURRENCY…]]
 *
 * (default: 5 measured refreshes per row after one warm-up; concurrency 1 4 8 16). Instruction
 * counts, steadier than CPU time on a noisy machine:
 *   valgrind --tool=callgrind --toggle-collect=refresh bench-client 2 1
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "drs-client.h"

#define TOKEN "bench-token"
#define PROJECT "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define N_IDS 1000
#define LATENCY_MS 50
#define PYTHON_RUNS 3

static gint64
cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) /
         2;
}

/* A scenario of N_IDS tasks: the built-in one's jobs repeated under new ids, so that every
 * result has the fields of a real task. */
static GStrv
write_scenario (const char *path)
{
  g_autofree char *source =
      g_build_filename (BENCH_SRCDIR, "..", "src", "sim", "default-scenario.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *root;
  JsonArray  *jobs, *out;
  GStrv       ids = g_new0 (char *, N_IDS + 1);
  guint       n;

  json_parser_load_from_file (parser, source, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  jobs = json_object_get_array_member (root, "jobs");
  n = json_array_get_length (jobs);
  out = json_array_new ();
  for (guint i = 0; i < N_IDS; i++)
    {
      /* json_node_copy() shares the object: copy through text. */
      g_autofree char *text = json_to_string (json_array_get_element (jobs, i % n), FALSE);
      JsonNode        *copy = json_from_string (text, NULL);
      JsonObject      *job = json_node_get_object (copy);

      ids[i] =
          g_strdup_printf ("%08x-be4c-4c1e-8d00-%08xjb%02u", g_str_hash (PROJECT) ^ i, i, i % 100);
      json_object_set_string_member (job, "id", ids[i]);
      json_array_add_element (out, copy);
    }
  json_object_set_array_member (root, "jobs", out);
  json_generator_set_root (generator, json_parser_get_root (parser));
  json_generator_to_file (generator, path, &error);
  g_assert_no_error (error);
  return ids;
}

static guint
sim_connections (SoupSession *session, const char *base)
{
  g_autofree char *url = g_strconcat (base, "/_sim/stats", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                              &error);
  g_assert_no_error (error);
  return (guint) json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)),
                                             "connections");
}

static void
on_result (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* One refresh; fails the run if any id was not read. */
static void
refresh (DrsClient *client, GStrv ids)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (DrsProgressResult) progress = NULL;
  g_autoptr (GError) error = NULL;

  drs_client_query_progress_async (client, (const char *const *) ids, NULL, on_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  progress = drs_client_query_progress_finish (client, result, &error);
  g_assert_no_error (error);
  if (drs_progress_result_get_batch_errors (progress)->len > 0)
    g_error ("a batch failed: %s",
             ((DrsBatchError *) drs_progress_result_get_batch_errors (progress)->pdata[0])
                 ->error->message);
  g_assert_cmpuint (drs_progress_result_get_snapshots (progress)->len, ==, N_IDS);
}

typedef struct
{
  guint  concurrency;
  double wall_s;
  double floor_s;
  guint  connections;
  double cpu_ms;
} Row;

int
main (int argc, char *argv[])
{
  static const guint default_concurrencies[] = { 1, 4, 8, 16 };
  guint              concurrencies[16];
  guint              n_concurrencies = 0;
  guint              refreshes = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 5;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-client-XXXXXX", &error);
  g_autofree char *scenario = g_build_filename (dir, "scenario.json", NULL);
  g_autofree char *ids_path = g_build_filename (dir, "ids.txt", NULL);
  g_autofree char *sim_path =
      g_build_filename (BENCH_BUILDDIR, "..", "src", "sim", "drs-simulator", NULL);
  g_autofree char *script = g_build_filename (BENCH_SRCDIR, "bench-client-sequential.py", NULL);
  g_autofree char *latency = g_strdup_printf ("%u", LATENCY_MS);
  g_autofree char *base = NULL;
  g_autofree char *ids_text = NULL;
  g_autofree char *python_out = NULL;
  g_autoptr (GSubprocess) sim = NULL;
  g_autoptr (GDataInputStream) sim_out = NULL;
  g_autoptr (SoupSession) stats = soup_session_new ();
  g_autoptr (GArray) python_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto (GStrv) ids = NULL;
  g_auto (GStrv) python_lines = NULL;
  Row    rows[G_N_ELEMENTS (concurrencies)];
  double python_s;
  guint  python_connections, before;

  g_assert_no_error (error);
  refreshes = MAX (refreshes, 1);
  for (int i = 2; i < argc && n_concurrencies < G_N_ELEMENTS (concurrencies); i++)
    concurrencies[n_concurrencies++] = CLAMP ((guint) g_ascii_strtoull (argv[i], NULL, 10), 1, 64);
  if (n_concurrencies == 0)
    for (guint i = 0; i < G_N_ELEMENTS (default_concurrencies); i++)
      concurrencies[n_concurrencies++] = default_concurrencies[i];
  ids = write_scenario (scenario);
  ids_text = g_strjoinv ("\n", ids);
  g_file_set_contents (ids_path, ids_text, -1, &error);
  g_assert_no_error (error);

  sim = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error, sim_path, "--port", "0", "--scenario", scenario, "--seed", "1",
                          "--token", TOKEN, "--latency", latency, NULL);
  g_assert_no_error (error);
  sim_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (sim));
  base = g_data_input_stream_read_line (sim_out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (base);
  g_printerr ("drs-simulator at %s, %u ms latency, %u ids\n", base, LATENCY_MS, N_IDS);

  /* The baseline first: a naive sequential script, same server, same ids. */
  before = sim_connections (stats, base);
  {
    g_autofree char *runs = g_strdup_printf ("%u", PYTHON_RUNS);
    g_autoptr (GSubprocess) py =
        g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "python3", script, base, PROJECT,
                          TOKEN, ids_path, runs, NULL);
    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (py, NULL, NULL, &python_out, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_get_successful (py));
  }
  python_connections = (sim_connections (stats, base) - before) / PYTHON_RUNS;
  python_lines = g_strsplit (g_strstrip (python_out), "\n", -1);
  for (guint i = 0; python_lines[i] != NULL; i++)
    {
      double t = g_ascii_strtod (python_lines[i], NULL);
      g_array_append_val (python_times, t);
    }
  python_s = median (python_times);

  for (guint c = 0; c < n_concurrencies; c++)
    {
      g_autoptr (DrsCredentials) credentials = drs_credentials_new_token (TOKEN);
      g_autoptr (DrsClient) client = drs_client_new (base, PROJECT, credentials, &error);
      g_autoptr (GArray) walls = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) cpus = g_array_new (FALSE, FALSE, sizeof (double));

      g_assert_no_error (error);
      drs_client_set_concurrency (client, concurrencies[c]);
      before = sim_connections (stats, base);
      refresh (client, ids); /* warm-up: connections open, caches fill */
      for (guint r = 0; r < refreshes; r++)
        {
          gint64 t0 = g_get_monotonic_time ();
          gint64 c0 = cpu_us ();
          double wall, cpu;

          refresh (client, ids);
          wall = (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
          cpu = (cpu_us () - c0) / 1000.0;
          g_array_append_val (walls, wall);
          g_array_append_val (cpus, cpu);
        }
      rows[c].concurrency = concurrencies[c];
      rows[c].wall_s = median (walls);
      rows[c].floor_s = ceil (100.0 / concurrencies[c]) * LATENCY_MS / 1000.0;
      rows[c].connections = sim_connections (stats, base) - before;
      rows[c].cpu_ms = median (cpus);
      g_printerr ("concurrency %u: %.3f s\n", concurrencies[c], rows[c].wall_s);
    }

  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
  g_remove (scenario);
  g_remove (ids_path);
  g_rmdir (dir);

  printf ("One refresh of %u ids (%u batches of 10), drs-simulator in another process with "
          "%u ms latency per request; median of %u refreshes after one warm-up (Python: median "
          "of %u runs).\n\n",
          N_IDS, N_IDS / 10, LATENCY_MS, refreshes, PYTHON_RUNS);
  printf ("| client | concurrency | wall time | latency floor | × floor | speed-up vs Python "
          "| TCP connections accepted | client CPU per refresh |\n");
  printf ("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  printf ("| Python urllib, sequential (baseline) | 1 | %.3f s | 5.000 s | %.2f | 1.0× | %u per "
          "refresh | — |\n",
          python_s, python_s / 5.0, python_connections);
  for (guint c = 0; c < n_concurrencies; c++)
    printf ("| DrsClient | %u | %.3f s | %.3f s | %.2f | %.1f× | %u in %u refreshes | %.1f ms |\n",
            rows[c].concurrency, rows[c].wall_s, rows[c].floor_s, rows[c].wall_s / rows[c].floor_s,
            python_s / rows[c].wall_s, rows[c].connections, refreshes + 1, rows[c].cpu_ms);
  return 0;
}

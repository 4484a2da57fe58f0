/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Watching 1,000 tasks at the default settings, with the window open and
 * with no window, each in a fresh process (this program again, with --mode):
 *
 *   window   the main window open (the baseline)
 *   closed   the window opened, painted with its rows, then closed: the app in the background,
 *            which hands its session over to a fresh image of itself with no window (what the
 *            installed program does; the new image runs this program with --mode handed-over)
 *   hidden   no window ever (a start at login, painting without GL as it does)
 *
 * The tasks are served by drs-simulator in another process, so its work is not counted. Each
 * process drives its session's clock through its span as fast as it can poll (every timer of the
 * monitor fires when it is due; with a window, each refresh is also painted), then reports its
 * CPU time over the span (user + system, getrusage), its RSS at the end and its peak, and the
 * requests the simulator answered. CPU is given as a share of one core over the simulated span:
 * an hour with no window. With the window open the clock is the real one (what the window
 * paints follows it: the spinner, the subtitle's "Updated … ago"), and the span is two real
 * minutes after the first refresh of every task.
 *
 * Needs a display (Xvfb) and a D-Bus session: `dbus-run-session -- xvfb-run -a bench-background`.
 */
#include "config.h"

#include <locale.h>
#include <sys/resource.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "drs-application.h"
#include "drs-handover.h"
#include "drs-renderer.h"
#include "drs-session.h"
#include "drs-window.h"

#define TOKEN "bench-background-token"
#define PROJECT_ID "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define N_JOBS 1000

static const char *const modes[] = { "window", "closed", "hidden" };
/* How long each is watched, in minutes: real ones with the window open (after its first
 * refresh), simulated ones without. */
static const char *const minutes[] = { "2", "60", "60" };

/* 1,000 tasks: 900 finished, 100 in their incremental phase with a delay that moves. */
static char *
make_scenario (GPtrArray *ids)
{
  GString *json = g_string_new ("{\"jobs\": [");

  for (guint i = 0; i < N_JOBS; i++)
    {
      char *id = g_strdup_printf ("b9a%05x-0000-4000-8000-%012x", i, i);

      g_ptr_array_add (ids, id);
      if (i > 0)
        g_string_append_c (json, ',');
      if (i % 10 != 0)
        g_string_append_printf (json,
                                "{\"id\": \"%s\", \"name\": \"bg-%u\", \"phases\": [{\"status\": "
                                "\"RELEASE_RESOURCE_COMPLETE\", \"progress\": 100}]}",
                                id, i);
      else
        g_string_append_printf (json,
                                "{\"id\": \"%s\", \"name\": \"bg-%u\", \"task_mode\": "
                                "\"FULL_INCR_TRANS\", \"phases\": [{\"status\": "
                                "\"INCRE_TRANSFER_STARTED\", \"progress\": 100, \"delay\": "
                                "{\"base_ms\": 200, \"jitter_ms\": 5000}}]}",
                                id, i);
    }
  g_ptr_array_add (ids, NULL);
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}

static gint64
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char      *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line != NULL ? g_ascii_strtoll (line + strlen (field), NULL, 10) : -1;
}

static gint64
cpu_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

static guint paints;

static void
on_after_paint (GdkFrameClock *clock, gpointer data)
{
  paints++;
}

static void
count_refresh (DrsMonitor *monitor, GParamSpec *pspec, gpointer data)
{
  (*(guint *) data)++;
}

static gboolean
on_give_up (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets a window paint what changed: until the next frame, or 100 ms when nothing asks for one. */
static void
let_paint (void)
{
  guint    before = paints;
  gboolean given_up = FALSE;
  guint    id = g_timeout_add (100, on_give_up, &given_up);

  while (paints == before && !given_up)
    g_main_context_iteration (NULL, TRUE);
  if (!given_up)
    g_source_remove (id);
}

/* Waits for the answers to the requests on their way, then runs what is ready (a window
 * always has a next frame to run, hence the bound). A refresh waiting for its budget waits for
 * the clock, which only the caller moves. */
static void
settle (DrsMonitor *monitor)
{
  while (drs_monitor_get_n_in_flight (monitor) > 0)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
}

static int
run_child (char **argv)
{
  const char *mode = argv[2], *base = argv[3], *ids_path = argv[4];
  gint64      span_us = g_ascii_strtoll (argv[5], NULL, 10) * 60 * G_USEC_PER_SEC;
  /* The handed-over image goes on with the history of the one before. */
  g_autofree char *dir =
      argv[6] != NULL ? g_strdup (argv[6]) : g_dir_make_tmp ("bench-background-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *history = g_build_filename (dir, "history.db", NULL);
  g_autofree char *ids_text = NULL;
  g_auto (GStrv) ids = NULL;
  g_autoptr (DrsApplication) app = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (DrsClock) clock = NULL;
  g_autoptr (DrsSession) session = NULL;
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsClient) client = NULL;
  DrsMonitor *monitor;
  gint64      start_cpu, end_us;
  guint       refreshes = 0, rounds = 0;
  gint64      last_refresh;
  gboolean    real_time = g_str_equal (mode, "window");
  gboolean    handed_over = g_str_equal (mode, "handed-over");

  /* As drs-monitor's main() does. */
  if (g_str_equal (mode, "hidden"))
    drs_handover_prepare_hidden (2, (char *[]){ argv[0], "--background", NULL });
  drs_renderer_prepare ("/dev/dri");
  gtk_init ();
  adw_init ();
  if (!g_file_get_contents (ids_path, &ids_text, NULL, &error))
    g_error ("%s", error->message);
  ids = g_strsplit (ids_text, "\n", -1);

  app = drs_application_new ();
  g_application_set_application_id (G_APPLICATION (app), "io.github.drsmonitor.BenchBackground");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  g_application_hold (G_APPLICATION (app));

  settings = g_settings_new (APPLICATION_ID);
  /* With the window open, real time: what it paints follows the wall clock (the spinner, the
   * subtitle's "Updated … ago"), so a driven clock would not show its cost. */
  clock = real_time ? drs_clock_new_system () : drs_clock_new_manual (g_get_real_time ());
  session = g_object_new (DRS_TYPE_SESSION, "settings", settings, "history-path", history, "clock",
                          clock, NULL);
  if (handed_over && !drs_handover_restore (session))
    g_error ("nothing was handed over");
  credentials = drs_credentials_new_token (TOKEN);
  client = drs_client_new (base, PROJECT_ID, credentials, &error);
  if (client == NULL)
    g_error ("%s", error->message);
  drs_session_set_client (session, "bench", client);
  drs_session_add_jobs (session, "bench", (const char *const *) ids, NULL);
  monitor = drs_session_get_monitor (session);
  drs_session_start (session);

  if (!g_str_equal (mode, "hidden") && !handed_over)
    {
      DrsWindow *window = drs_window_new (GTK_APPLICATION (app), session);

      gtk_window_set_default_size (GTK_WINDOW (window), 1400, 800);
      gtk_widget_realize (GTK_WIDGET (window));
      g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                        G_CALLBACK (on_after_paint), NULL);
      gtk_window_present (GTK_WINDOW (window));
      /* The first refresh, on screen. */
      settle (monitor);
      while (real_time && drs_monitor_get_last_refresh (monitor) <= 0)
        g_main_context_iteration (NULL, TRUE);
      while (real_time && drs_monitor_get_refreshing (monitor))
        g_main_context_iteration (NULL, TRUE);
      while (paints == 0)
        g_main_context_iteration (NULL, TRUE);
      let_paint ();
      if (g_str_equal (mode, "closed"))
        {
          const char *const next[] = { argv[0],  "--mode", "handed-over", base,
                                       ids_path, argv[5],  dir,           NULL };

          gtk_window_destroy (GTK_WINDOW (window));
          settle (monitor);
          /* As the app does once the last window closed; returns only when that failed. */
          drs_handover_exec (session, next, NULL, &error);
          g_error ("%s", error->message);
        }
    }
  else
    settle (monitor);

  start_cpu = cpu_us ();
  last_refresh = drs_monitor_get_last_refresh (monitor);
  end_us = drs_clock_get_monotonic_us (clock) + span_us;
  if (real_time)
    {
      gboolean done = FALSE;

      g_signal_connect (monitor, "notify::last-refresh", G_CALLBACK (count_refresh), &refreshes);
      g_timeout_add (span_us / 1000, on_give_up, &done);
      while (!done)
        {
          g_main_context_iteration (NULL, TRUE);
          rounds++;
        }
    }
  /* The span: every timer of the session fires when it is due. */
  while (!real_time)
    {
      gint64 due = drs_clock_get_next_due_us (clock);
      gint64 now = drs_clock_get_monotonic_us (clock);

      if (due <= 0 || due > end_us)
        {
          drs_clock_advance_us (clock, end_us - now);
          settle (monitor);
          break;
        }
      drs_clock_advance_us (clock, MAX (due - now, 0));
      settle (monitor);
      /* With the window open, what a refresh changed is painted. */
      if (drs_monitor_get_last_refresh (monitor) != last_refresh)
        {
          last_refresh = drs_monitor_get_last_refresh (monitor);
          refreshes++;
          if (g_str_equal (mode, "window"))
            let_paint ();
        }
      rounds++;
    }

  g_print ("%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %u %u\n",
           handed_over ? "closed" : mode, cpu_us () - start_cpu, status_kb ("VmRSS:"),
           status_kb ("VmHWM:"), refreshes, rounds);

  drs_session_stop (session);
  g_application_release (G_APPLICATION (app));
  g_unlink (history);
  g_rmdir (dir);
  return 0;
}

static char *
read_line (GSubprocess *proc)
{
  g_autoptr (GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_autoptr (GError) error = NULL;
  char *line = g_data_input_stream_read_line (out, NULL, NULL, &error);

  if (line == NULL)
    g_error ("no answer: %s", error != NULL ? error->message : "end of output");
  return line;
}

static guint
batch_requests (SoupSession *http, const char *base)
{
  g_autofree char *url = g_strconcat (base, "/_sim/stats", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr (GBytes) body = soup_session_send_and_read (http, msg, NULL, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *requests;

  if (body == NULL || !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                   g_bytes_get_size (body), NULL))
    return 0;
  requests = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                            "requests");
  return (guint) json_object_get_int_member_with_default (requests, "batch-progress", 0);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *ids_path = NULL;
  g_autofree char *json = NULL;
  g_autofree char *ids_text = NULL;
  g_autofree char *base = NULL;
  g_autoptr (GSubprocess) sim = NULL;
  g_autoptr (SoupSession) http = NULL;
  g_autofree char *sim_path =
      g_build_filename (BENCH_BUILDDIR, "..", "src", "sim", "drs-simulator", NULL);

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  if ((argc == 6 || argc == 7) && g_str_equal (argv[1], "--mode"))
    return run_child (argv);

  dir = g_dir_make_tmp ("bench-background-XXXXXX", &error);
  g_assert_no_error (error);
  scenario = g_build_filename (dir, "scenario.json", NULL);
  ids_path = g_build_filename (dir, "ids.txt", NULL);
  json = make_scenario (ids);
  ids_text = g_strjoinv ("\n", (char **) ids->pdata);
  if (!g_file_set_contents (scenario, json, -1, &error) ||
      !g_file_set_contents (ids_path, ids_text, -1, &error))
    g_error ("%s", error->message);

  sim = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error, sim_path, "--port", "0", "--scenario", scenario, "--seed", "1",
                          "--speed", "1", "--no-demo-token", "--token", TOKEN, NULL);
  g_assert_no_error (error);
  base = read_line (sim);
  http = soup_session_new ();

  g_print ("1,000 tasks (900 finished) at the default settings, each row a fresh process; "
           "drs-simulator in another process.\n\n");
  g_print ("| process | watched | CPU | share of one core | RSS at the end | peak RSS | "
           "batch-progress requests | refreshes | timer rounds |\n");
  g_print ("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr (GSubprocess) child = NULL;
      g_autofree char *line = NULL;
      g_auto (GStrv) f = NULL;
      guint before = batch_requests (http, base);
      guint after;

      if (g_getenv ("BENCH_MODES") != NULL && strstr (g_getenv ("BENCH_MODES"), modes[i]) == NULL)
        continue;
      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, argv[0], "--mode", modes[i],
                                base, ids_path, minutes[i], NULL);
      g_assert_no_error (error);
      line = read_line (child);
      g_subprocess_wait_check (child, NULL, &error);
      g_assert_no_error (error);
      after = batch_requests (http, base);
      f = g_strsplit (line, " ", -1);
      g_assert_cmpuint (g_strv_length (f), ==, 6);
      g_print ("| %s | %s min%s | %.0f ms | %.3f %% | %.1f MB | %.1f MB | %u | %s | %s |\n",
               g_str_equal (f[0], "window")   ? "window open (baseline)"
               : g_str_equal (f[0], "closed") ? "window closed after its first refresh, handed over"
                                              : "no window ever (start at login)",
               minutes[i], i == 0 ? " (real)" : "", g_ascii_strtoll (f[1], NULL, 10) / 1000.0,
               100.0 * g_ascii_strtoll (f[1], NULL, 10) /
                   (g_ascii_strtoll (minutes[i], NULL, 10) * 60 * G_USEC_PER_SEC),
               g_ascii_strtoll (f[2], NULL, 10) / 1024.0, g_ascii_strtoll (f[3], NULL, 10) / 1024.0,
               after - before, f[4], f[5]);
    }

  g_subprocess_send_signal (sim, SIGTERM);
  g_subprocess_wait (sim, NULL, NULL);
  g_unlink (scenario);
  g_unlink (ids_path);
  g_rmdir (dir);
  return 0;
}

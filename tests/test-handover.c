/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The hand-over to a process with no window (issue 14): once the last window closes, DRS Monitor
 * starts itself again hidden (the same process, a fresh image that never loaded GTK's renderer),
 * and the new image goes on: it polls, announces a task that fails, and a click on that
 * notification opens a window on the task, with the search as it was.
 *
 * This program is also the application under test, in a second process (the test's own image
 * must not be replaced): `--window BASE` opens the window, watches the simulator's two tasks
 * and closes the window; the hand-over starts `--handed-over BASE`, what `drs-monitor
 * --background` is for the installed program. Each says on its standard output what it did. */
#include "config.h"

#include <unistd.h>

#include "drs-application.h"
#include "drs-handover.h"
#include "drs-i18n.h"
#include "drs-simulator.h"
#include "drs-test-gui.h"
#include "drs-test-notify.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 60000
#define TOKEN "handover-test-token"
#define CHILD_ID APPLICATION_ID ".Handover"
#define SEARCH "bill"

/* The application under test ------------------------------------------------------------------ */

static const char *child_base;

static void
use_simulator (DrsApplication *app)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token (TOKEN);
  g_autoptr (DrsClient) client =
      drs_client_new (child_base, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", credentials, &error);

  g_assert_no_error (error);
  /* The account a user would have set up, with its secret in the keyring. */
  drs_session_set_client (drs_application_get_session (app), "sim", client);
}

static void
on_first_refresh (DrsMonitor *monitor, gpointer user_data)
{
  DrsApplication *app = user_data;

  g_signal_handlers_disconnect_by_func (monitor, on_first_refresh, user_data);
  g_print ("window %d\n", (int) getpid ());
  gtk_window_close (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

/* --window: a window, searched, closed once both tasks were answered. */
static gboolean
set_up_window (gpointer user_data)
{
  static const char *const ids[] = { "keep-1", "fail-1", NULL };
  static const char *const names[] = { "orders", "billing", NULL };
  DrsApplication          *app = user_data;
  DrsWindow *window = DRS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  use_simulator (app);
  drs_session_add_jobs (drs_application_get_session (app), "sim", ids, names);
  gtk_editable_set_text (GTK_EDITABLE (drs_window_get_search_entry (window)), SEARCH);
  g_signal_connect (drs_session_get_monitor (drs_application_get_session (app)), "refresh-finished",
                    G_CALLBACK (on_first_refresh), app);
  return G_SOURCE_REMOVE;
}

static gboolean
report_window (gpointer user_data)
{
  DrsApplication *app = user_data;
  DrsWindow      *window = DRS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  DrsJob         *job = drs_window_get_selected_job (window);

  g_print ("shown %s %s\n",
           gtk_editable_get_text (GTK_EDITABLE (drs_window_get_search_entry (window))),
           job != NULL ? drs_job_get_id (job) : "none");
  return G_SOURCE_REMOVE;
}

static void
on_window_added (GtkApplication *app, GtkWindow *window, gpointer user_data)
{
  g_idle_add (report_window, app);
}

/* --handed-over: what the image started by the hand-over found. */
static gboolean
set_up_handed_over (gpointer user_data)
{
  DrsApplication  *app = user_data;
  DrsSession      *session = drs_application_get_session (app);
  g_autofree char *search = NULL;

  use_simulator (app);
  g_object_get (drs_session_get_view_state (session), "search-text", &search, NULL);
  g_print ("handed-over %d %s %u %u\n", (int) getpid (), search,
           g_list_model_get_n_items (G_LIST_MODEL (drs_session_get_store (session))),
           (guint) (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL));
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  return G_SOURCE_REMOVE;
}

static int
run_child (int argc, char *argv[])
{
  g_autoptr (DrsApplication) app = NULL;
  g_autoptr (GSettings) settings = NULL;
  gboolean    first = g_str_equal (argv[1], "--window");
  const char *restart[] = { argv[0], "--handed-over", argv[2], NULL };
  char       *run_argv[] = { argv[0], first ? NULL : "--background", NULL };

  child_base = argv[2];
  /* The user's settings, which the memory backend of tests does not keep across the exec: polled
   * as often as they allow. */
  settings = g_settings_new (APPLICATION_ID);
  g_settings_set_uint (settings, "refresh-interval", 5);
  g_settings_set_uint (settings, "request-budget", 1200);
  g_settings_set_boolean (settings, "notify-failed", TRUE);
  app = drs_application_new ();
  g_application_set_application_id (G_APPLICATION (app), CHILD_ID);
  drs_application_set_restart (app, restart);
  g_idle_add (first ? set_up_window : set_up_handed_over, app);
  return g_application_run (G_APPLICATION (app), first ? 1 : 2, run_argv);
}

/* The test ------------------------------------------------------------------------------------ */

typedef struct
{
  GDataInputStream *out;
  GQueue            lines;
  gboolean          ended;
} Output;

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Output *o = user_data;
  char   *line = g_data_input_stream_read_line_finish (o->out, result, NULL, NULL);

  if (line == NULL)
    {
      o->ended = TRUE;
      return;
    }
  g_queue_push_tail (&o->lines, line);
  g_data_input_stream_read_line_async (o->out, G_PRIORITY_DEFAULT, NULL, on_line, o);
}

/* The child's next line, split at its spaces. */
static char **
next_line (Output *o)
{
  g_autofree char *line = NULL;

  DRS_TEST_SPIN_UNTIL (!g_queue_is_empty (&o->lines) || o->ended, WAIT_MS);
  line = g_queue_pop_head (&o->lines);
  g_assert_nonnull (line);
  return g_strsplit (line, " ", -1);
}

static void
activate_action (GDBusConnection *bus, const char *action, const char *target)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;
  g_autofree char *path = g_strconcat ("/", CHILD_ID, NULL);
  GVariantBuilder  targets;

  g_strdelimit (path, ".", '/');
  g_variant_builder_init (&targets, G_VARIANT_TYPE ("av"));
  if (target != NULL)
    g_variant_builder_add (&targets, "v", g_variant_new_string (target));
  reply = g_dbus_connection_call_sync (
      bus, CHILD_ID, path, "org.freedesktop.Application", "ActivateAction",
      g_variant_new ("(sav@a{sv})", action, &targets,
                     g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
      NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static gint64
rss_kb (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char      *line;

  if (!g_file_get_contents (path, &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("VmRSS:"), NULL, 10);
}

static void
test_hand_over (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsSimulator) sim = drs_simulator_new ();
  /* One task keeps running; one fails at 100 s of the simulator's clock. */
  g_autoptr (GBytes) scenario = drs_test_load_fixture ("scenario-keep-and-fail.json");
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autofree char *runtime = g_build_filename (g_get_user_cache_dir (), "runtime", NULL);
  g_autofree char *handover_dir = g_build_filename (runtime, "drs-monitor", NULL);
  g_autofree char *history = g_build_filename (g_get_user_data_dir (), "handover.db", NULL);
  g_autofree char *owner = NULL;
  g_autofree char *first_owner = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *cmdline_path = NULL;
  g_auto (GStrv) line = NULL;
  g_autoptr (GDir) left = NULL;
  const DrsTestNotification *n = NULL;
  Output                     output = { NULL, G_QUEUE_INIT, FALSE };
  guint                      requests, watch;
  int                        pid;
  gint64                     window_rss;
  gsize                      length;

  drs_simulator_set_manual_clock (sim, TRUE);
  g_assert_true (drs_simulator_load_scenario_data (sim, g_bytes_get_data (scenario, NULL),
                                                   (gssize) g_bytes_get_size (scenario), &error));
  g_assert_no_error (error);
  drs_simulator_add_token (sim, TOKEN);
  g_assert_true (drs_simulator_listen (sim, 0, NULL, &error));
  g_assert_no_error (error);

  g_mkdir_with_parents (runtime, 0700);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  g_subprocess_launcher_setenv (launcher, "DRS_MONITOR_HISTORY", history, TRUE);
  watch = drs_test_watch_owner (bus, CHILD_ID, &owner);

  child = g_subprocess_launcher_spawn (launcher, &error,
                                       g_test_get_filename (G_TEST_BUILT, "test-handover", NULL),
                                       "--window", drs_simulator_get_base_url (sim), NULL);
  g_assert_no_error (error);
  output.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  g_data_input_stream_read_line_async (output.out, G_PRIORITY_DEFAULT, NULL, on_line, &output);

  /* The window polled both tasks, then closed. */
  line = next_line (&output);
  g_assert_cmpstr (line[0], ==, "window");
  pid = atoi (line[1]);
  window_rss = rss_kb (pid);
  DRS_TEST_SPIN_UNTIL (owner != NULL, WAIT_MS);
  first_owner = g_strdup (owner);
  g_clear_pointer (&line, g_strfreev);

  /* The same process, a new image: started hidden, with the search and the tasks. */
  line = next_line (&output);
  g_assert_cmpstr (line[0], ==, "handed-over");
  g_assert_cmpint (atoi (line[1]), ==, pid);
  g_assert_cmpstr (line[2], ==, SEARCH);
  g_assert_cmpstr (line[3], ==, "2");
  g_assert_cmpstr (line[4], ==, "0");
  cmdline_path = g_strdup_printf ("/proc/%d/cmdline", pid);
  g_assert_true (g_file_get_contents (cmdline_path, &cmdline, &length, NULL));
  g_assert_cmpstr (cmdline + strlen (cmdline) + 1, ==, "--handed-over");
  DRS_TEST_SPIN_UNTIL (owner != NULL && g_strcmp0 (owner, first_owner) != 0, WAIT_MS);
  g_test_message ("RSS with the window open: %" G_GINT64_FORMAT
                  " kB; handed over: %" G_GINT64_FORMAT " kB",
                  window_rss, rss_kb (pid));
  /* What was handed over was taken and removed. */
  left = g_dir_open (handover_dir, 0, NULL);
  g_assert_nonnull (left);
  g_assert_null (g_dir_read_name (left));
  /* Said before the hand-over: the notice, once. */
  g_assert_nonnull (drs_test_notify_find (CHILD_ID, "background"));
  g_clear_pointer (&line, g_strfreev);

  /* It polls ... */
  requests = drs_simulator_get_request_count (sim, "batch-progress");
  DRS_TEST_SPIN_UNTIL (drs_simulator_get_request_count (sim, "batch-progress") >= requests + 2,
                       WAIT_MS);

  /* ... and a task failing now is announced, once. */
  drs_simulator_advance (sim, 150 * 1000);
  DRS_TEST_SPIN_UNTIL ((n = drs_test_notify_find (CHILD_ID, "job-fail-1")) != NULL, WAIT_MS);
  g_assert_cmpstr (n->action, ==, "app.show-job");
  g_assert_cmpstr (n->target, ==, "fail-1");
  requests = drs_simulator_get_request_count (sim, "batch-progress");
  DRS_TEST_SPIN_UNTIL (drs_simulator_get_request_count (sim, "batch-progress") >= requests + 2,
                       WAIT_MS);
  g_assert_cmpuint (drs_test_notify_count (CHILD_ID), ==, 2);
  g_assert_null (drs_test_notify_find (CHILD_ID, "job-keep-1"));

  /* Clicked: a window on that task, searched as before. */
  activate_action (bus, "show-job", "fail-1");
  line = next_line (&output);
  g_assert_cmpstr (line[0], ==, "shown");
  g_assert_cmpstr (line[1], ==, SEARCH);
  g_assert_cmpstr (line[2], ==, "fail-1");

  /* Quit ends it. */
  activate_action (bus, "quit", NULL);
  drs_test_wait_exit (child, WAIT_MS);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 0);

  g_bus_unwatch_name (watch);
  DRS_TEST_SPIN_UNTIL (output.ended, WAIT_MS);
  g_queue_clear_full (&output.lines, g_free);
  g_clear_object (&output.out);
}

static void
count_refresh (DrsMonitor *monitor, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* The demo's simulator runs in this process: its window closed, the process goes on as it is
 * (a hand-over would start /bin/false, and this test would end there). */
static void
test_demo_stays (void)
{
  static const char *const false_argv[] = { "/bin/false", NULL };
  g_autoptr (GError) error = NULL;
  DrsApplication *app = drs_test_app_new ("HandoverDemo");
  DrsMonitor     *monitor;
  GtkWindow      *window;
  guint           refreshes = 0;

  g_settings_set_uint (drs_test_get_settings (), "refresh-interval", 5);
  drs_test_app_activate (app);
  g_assert_true (drs_application_start_demo (app, &error));
  g_assert_no_error (error);
  drs_application_set_restart (app, false_argv);
  monitor = drs_session_get_monitor (drs_application_get_session (app));
  g_signal_connect (monitor, "refresh-finished", G_CALLBACK (count_refresh), &refreshes);

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (window);
  DRS_TEST_SPIN_UNTIL (window == NULL, WAIT_MS);
  g_assert_true (drs_background_get_watching (drs_application_get_background (app)));
  /* The main loop ran what the close queued (the notice, the hand-over's check) and more. */
  DRS_TEST_SPIN_UNTIL (refreshes >= 2, WAIT_MS);
  g_assert_true (drs_background_get_watching (drs_application_get_background (app)));
  g_signal_handlers_disconnect_by_func (monitor, count_refresh, &refreshes);
  drs_test_app_end (app);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  int              ret;

  if (argc == 3 && (g_str_equal (argv[1], "--window") || g_str_equal (argv[1], "--handed-over")))
    {
      drs_handover_prepare_hidden (argc, argv);
      g_setenv ("DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
      drs_i18n_init ();
      return run_child (argc, argv);
    }

  g_setenv ("DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  dir = drs_test_init_gui (&argc, &argv);
  drs_test_notify_start ();
  gtk_init ();
  adw_init ();
  g_test_add_func ("/handover/close-hands-over", test_hand_over);
  g_test_add_func ("/handover/demo-stays", test_demo_stays);
  ret = g_test_run ();
  drs_test_notify_stop ();
  drs_test_remove_dir (dir);
  return ret;
}

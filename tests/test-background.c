/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Watching with no window open (issue 14): closing the last window keeps the application and its
 * session polling the simulator, writing history and notifying; the first close says so once; a
 * failure notification opens a window on its task; Quit ends polling; the window's widgets go with
 * it. And the built drs-monitor, started twice, attaches the second start to the first. */
#include "config.h"

#include <glib/gi18n.h>

#include "drs-application.h"
#include "drs-simulator.h"
#include "drs-test-gui.h"
#include "drs-test-notify.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 60000
#define TOKEN "background-test-token"

typedef struct
{
  DrsApplication *app;
  DrsSimulator   *sim;
  guint           refreshes;
} Fixture;

static const char *
app_id (Fixture *f)
{
  return g_application_get_application_id (G_APPLICATION (f->app));
}

static DrsSession *
session (Fixture *f)
{
  return drs_application_get_session (f->app);
}

static void
on_refresh_finished (DrsMonitor *monitor, Fixture *f)
{
  f->refreshes++;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "keep-1", "fail-1", NULL };
  static const char *const names[] = { "orders", "billing", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsClient) client = NULL;
  /* One task keeps running; one fails at 100 s of the simulator's clock. */
  g_autoptr (GBytes) scenario = drs_test_load_fixture ("scenario-keep-and-fail.json");
  GSettings *settings = drs_test_get_settings ();

  /* Polled as often as the settings allow, with the first close not said yet. */
  g_settings_set_uint (settings, "refresh-interval", 5);
  g_settings_set_uint (settings, "request-budget", 1200);
  g_settings_set_boolean (settings, "notify-failed", TRUE);
  g_settings_reset (settings, "run-in-background");
  g_settings_reset (settings, "background-notice-shown");

  f->app = drs_test_app_new ("Background");
  drs_test_app_activate (f->app);

  f->sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (f->sim, TRUE);
  g_assert_true (drs_simulator_load_scenario_data (f->sim, g_bytes_get_data (scenario, NULL),
                                                   (gssize) g_bytes_get_size (scenario), &error));
  g_assert_no_error (error);
  drs_simulator_add_token (f->sim, TOKEN);
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);
  credentials = drs_credentials_new_token (TOKEN);
  client = drs_client_new (drs_simulator_get_base_url (f->sim),
                           drs_simulator_get_project_id (f->sim), credentials, &error);
  g_assert_no_error (error);
  drs_session_set_client (session (f), "sim", client);
  g_signal_connect (drs_session_get_monitor (session (f)), "refresh-finished",
                    G_CALLBACK (on_refresh_finished), f);
  g_assert_cmpuint (drs_session_add_jobs (session (f), "sim", ids, names), ==, 2);
  DRS_TEST_SPIN_UNTIL (f->refreshes > 0, WAIT_MS);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (drs_session_get_monitor (session (f)), f);
  drs_test_app_end (f->app);
  g_clear_object (&f->sim);
  drs_test_notify_clear ();
}

/* Waits for the session's next refreshes, started by its own timer. */
static void
wait_refreshes (Fixture *f, guint n)
{
  guint until = f->refreshes + n;

  DRS_TEST_SPIN_UNTIL (f->refreshes >= until, WAIT_MS);
}

/* Closes the main window as its close button does, and waits until it is gone, widgets and all. */
static void
close_window (Fixture *f)
{
  DrsWindow  *window = drs_test_main_window (f->app);
  DrsDetails *details = drs_window_get_details (window);
  GtkWidget  *view = GTK_WIDGET (drs_window_get_column_view (window));
  GObject    *selection = G_OBJECT (drs_window_get_selection (window));

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_object_add_weak_pointer (G_OBJECT (details), (gpointer *) &details);
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  g_object_add_weak_pointer (selection, (gpointer *) &selection);
  gtk_window_close (GTK_WINDOW (window));
  DRS_TEST_SPIN_UNTIL (window == NULL && details == NULL && view == NULL && selection == NULL,
                       WAIT_MS);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
}

static guint
count_notices (Fixture *f)
{
  GPtrArray *added = drs_test_notify_get_added ();
  guint      n = 0;

  for (guint i = 0; i < added->len; i++)
    {
      const DrsTestNotification *notification = added->pdata[i];

      if (g_str_equal (notification->app_id, app_id (f)) &&
          g_str_equal (notification->id, "background"))
        n++;
    }
  return n;
}

/* Closing the window: the session keeps polling, the first close is said once, and the window
 * opened again shows the table as it was. */
static void
test_close_keeps_watching (Fixture *f, gconstpointer data)
{
  DrsBackground             *background = drs_application_get_background (f->app);
  const DrsTestNotification *notice = NULL;
  guint                      requests;
  DrsWindow                 *window;
  g_autofree char           *filter = NULL;

  drs_window_set_status_filter (drs_test_main_window (f->app), DRS_STATUS_CLASS_RUNNING);
  g_assert_false (drs_background_get_watching (background));
  close_window (f);
  g_assert_true (drs_background_get_watching (background));

  /* The simulator goes on being asked, with no window. */
  requests = drs_simulator_get_request_count (f->sim, "batch-progress");
  wait_refreshes (f, 2);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), >=, requests + 2);
  g_assert_true (drs_monitor_get_running (drs_session_get_monitor (session (f))));

  /* Said once: what goes on and how to quit. */
  DRS_TEST_SPIN_UNTIL ((notice = drs_test_notify_find (app_id (f), "background")) != NULL, WAIT_MS);
  g_assert_cmpstr (notice->title, ==, "DRS Monitor keeps watching");
  g_assert_nonnull (strstr (notice->body, "Quit"));
  g_assert_cmpstr (notice->button_label, ==, "Quit");
  g_assert_cmpstr (notice->button_action, ==, "app.quit");
  g_assert_null (notice->action); /* clicked: the application is activated, a window opens */
  g_assert_true (g_settings_get_boolean (drs_test_get_settings (), "background-notice-shown"));

  /* Activated from the desktop: a window on the same session, filtered as before. */
  g_application_activate (G_APPLICATION (f->app));
  window = drs_test_main_window (f->app);
  g_assert_false (drs_background_get_watching (background));
  g_object_get (window, "status-filter", &filter, NULL);
  g_assert_cmpstr (filter, ==, "running");
  g_assert_true (g_list_model_get_n_items (G_LIST_MODEL (drs_window_get_selection (window))) > 0);

  /* Closed again: watching again, and nothing more said. */
  close_window (f);
  g_assert_true (drs_background_get_watching (background));
  wait_refreshes (f, 1);
  drs_test_notify_sync (G_APPLICATION (f->app));
  g_assert_cmpuint (count_notices (f), ==, 1);
  g_assert_cmpuint (drs_background_get_n_notices (background), ==, 1);
}

/* A task fails with no window open: one notification, and clicking it opens a window with the
 * task selected. */
static void
test_failure_with_no_window (Fixture *f, gconstpointer data)
{
  const DrsTestNotification *n = NULL;
  DrsWindow                 *window;
  DrsJob                    *selected;
  DrsHistory                *history = drs_session_get_history (session (f));
  guint64                    written;
  guint                      count;

  /* Said already: only the failure is expected. */
  g_settings_set_boolean (drs_test_get_settings (), "background-notice-shown", TRUE);
  close_window (f);
  count = drs_test_notify_count (app_id (f));
  drs_history_flush (history);
  written = drs_history_get_n_written (history);

  drs_simulator_advance (f->sim, 150 * 1000);
  DRS_TEST_SPIN_UNTIL ((n = drs_test_notify_find (app_id (f), "job-fail-1")) != NULL, WAIT_MS);
  g_assert_cmpstr (n->title, ==, "“billing” failed");
  g_assert_cmpstr (n->action, ==, "app.show-job");
  g_assert_cmpstr (n->target, ==, "fail-1");
  /* The history goes on too: the failure's sample. */
  drs_history_flush (history);
  g_assert_cmpuint (drs_history_get_n_written (history), >, written);

  /* More refreshes: still one. */
  wait_refreshes (f, 2);
  drs_test_notify_sync (G_APPLICATION (f->app));
  g_assert_cmpuint (drs_test_notify_count (app_id (f)), ==, count + 1);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));

  drs_test_activate_action (G_APPLICATION (f->app), n->action, n->target);
  window = drs_test_main_window (f->app);
  selected = drs_window_get_selected_job (window);
  g_assert_nonnull (selected);
  g_assert_cmpstr (drs_job_get_id (selected), ==, "fail-1");
  g_assert_false (drs_background_get_watching (drs_application_get_background (f->app)));
}

/* Quit, from the notice's button: polling ends, the windows close, nothing holds the application.
 */
static void
test_quit (Fixture *f, gconstpointer data)
{
  DrsBackground *background = drs_application_get_background (f->app);
  DrsMonitor    *monitor = drs_session_get_monitor (session (f));

  close_window (f);
  g_assert_true (drs_background_get_watching (background));
  drs_test_activate_action (G_APPLICATION (f->app), "app.quit", NULL);
  g_assert_false (drs_background_get_watching (background));
  g_assert_false (drs_monitor_get_running (monitor));
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
}

/* Quit with the window open: closing it does not keep the application. */
static void
test_quit_with_window (Fixture *f, gconstpointer data)
{
  DrsBackground *background = drs_application_get_background (f->app);

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "quit", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (f->app)));
  g_assert_false (drs_background_get_watching (background));
  g_assert_false (drs_monitor_get_running (drs_session_get_monitor (session (f))));
  g_assert_cmpuint (count_notices (f), ==, 0);
}

/* Switched off: closing the window ends the application, and says nothing. */
static void
test_switched_off (Fixture *f, gconstpointer data)
{
  DrsBackground *background = drs_application_get_background (f->app);

  g_settings_set_boolean (drs_test_get_settings (), "run-in-background", FALSE);
  close_window (f);
  g_assert_false (drs_background_get_watching (background));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  drs_test_notify_sync (G_APPLICATION (f->app));
  g_assert_cmpuint (count_notices (f), ==, 0);

  /* On again with a window; off again while watching: the hold goes. */
  g_settings_set_boolean (drs_test_get_settings (), "run-in-background", TRUE);
  g_application_activate (G_APPLICATION (f->app));
  close_window (f);
  g_assert_true (drs_background_get_watching (background));
  g_settings_set_boolean (drs_test_get_settings (), "run-in-background", FALSE);
  g_assert_false (drs_background_get_watching (background));
}

/* The built program ---------------------------------------------------------------------------- */

static GSubprocess *
spawn (GSubprocessLauncher *launcher, GError **error, const char *arg, const char *arg2)
{
  return g_subprocess_launcher_spawn (launcher, error, DRS_MONITOR_EXE, arg, arg2, NULL);
}

/* The windows the running instance exports on the bus (GtkApplication's window/N objects). */
static guint
count_exported_windows (GDBusConnection *bus, const char *owner, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *window_path = g_strconcat (path, "/window", NULL);
  g_autoptr (GVariant) reply = NULL;
  g_autoptr (GDBusNodeInfo) node = NULL;
  const char *xml;
  guint       n = 0;

  reply = g_dbus_connection_call_sync (
      bus, owner, window_path, "org.freedesktop.DBus.Introspectable", "Introspect", NULL,
      G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, &error);
  g_assert_no_error (error);
  while (node->nodes != NULL && node->nodes[n] != NULL)
    n++;
  return n;
}

static char *
object_path_for (const char *id)
{
  g_autofree char *path = g_strconcat ("/", id, NULL);

  g_strdelimit (path, ".", '/');
  g_strdelimit (path, "-", '_');
  return g_steal_pointer (&path);
}

static void
test_second_start (void)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr (GSubprocess) first = NULL;
  g_autoptr (GSubprocess) second = NULL;
  g_autoptr (GSubprocess) third = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autofree char *history = g_build_filename (g_get_user_data_dir (), "second.db", NULL);
  g_autofree char *owner = NULL;
  g_autofree char *first_owner = NULL;
  g_autofree char *path = object_path_for (APPLICATION_ID);
  guint            watch;

  g_subprocess_launcher_setenv (launcher, "DRS_MONITOR_HISTORY", history, TRUE);
  watch = drs_test_watch_owner (bus, APPLICATION_ID, &owner);

  /* A start at login: no window, and it stays. */
  first = spawn (launcher, &error, "--background", NULL);
  g_assert_no_error (error);
  DRS_TEST_SPIN_UNTIL (owner != NULL, WAIT_MS);
  first_owner = g_strdup (owner);
  g_assert_cmpuint (count_exported_windows (bus, owner, path), ==, 0);

  /* A second start hands its command line over and ends; the first opens the window. */
  second = spawn (launcher, &error, "--background", NULL);
  g_assert_no_error (error);
  drs_test_wait_exit (second, WAIT_MS);
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);
  third = spawn (launcher, &error, "--job", "keep-1");
  g_assert_no_error (error);
  drs_test_wait_exit (third, WAIT_MS);
  g_assert_cmpint (g_subprocess_get_exit_status (third), ==, 0);
  g_assert_cmpstr (owner, ==, first_owner);
  DRS_TEST_SPIN_UNTIL (count_exported_windows (bus, owner, path) == 1, WAIT_MS);

  /* Quit, as the notice's button does: the process ends, and with it the polling. */
  {
    GVariantBuilder targets;

    g_variant_builder_init (&targets, G_VARIANT_TYPE ("av"));
    g_dbus_connection_call_sync (
        bus, owner, path, "org.freedesktop.Application", "ActivateAction",
        g_variant_new ("(sav@a{sv})", "quit", &targets,
                       g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
        NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    g_assert_no_error (error);
  }
  drs_test_wait_exit (first, WAIT_MS);
  g_assert_true (g_subprocess_get_if_exited (first));
  g_assert_cmpint (g_subprocess_get_exit_status (first), ==, 0);
  DRS_TEST_SPIN_UNTIL (owner == NULL, WAIT_MS);
  g_bus_unwatch_name (watch);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  int              ret;

  g_setenv ("DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  dir = drs_test_init_gui (&argc, &argv);
  gtk_init ();
  adw_init ();
  drs_test_notify_start ();

  g_test_add ("/background/close-keeps-watching", Fixture, NULL, fixture_setup,
              test_close_keeps_watching, fixture_teardown);
  g_test_add ("/background/failure-with-no-window", Fixture, NULL, fixture_setup,
              test_failure_with_no_window, fixture_teardown);
  g_test_add ("/background/quit", Fixture, NULL, fixture_setup, test_quit, fixture_teardown);
  g_test_add ("/background/quit-with-window", Fixture, NULL, fixture_setup, test_quit_with_window,
              fixture_teardown);
  g_test_add ("/background/switched-off", Fixture, NULL, fixture_setup, test_switched_off,
              fixture_teardown);
  g_test_add_func ("/background/second-start", test_second_start);
  ret = g_test_run ();
  drs_test_notify_stop ();
  drs_test_remove_dir (dir);
  return ret;
}

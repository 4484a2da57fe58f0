/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Desktop notifications of the monitor's transitions, caught by a notification server of our
 * own on the test's session bus (org.gtk.Notifications, which GNotification prefers outside
 * Flatpak): one per transition, grouped when many change at once, one per account for a
 * connection problem, and a click that opens the window on the task. */
#include "config.h"

#include <glib/gi18n.h>

#include "drs-application.h"
#include "drs-simulator.h"
#include "drs-test-gui.h"
#include "drs-test-notify.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 30000
#define TOKEN "notifications-test-token"

/* Five tasks fail together at 100 s, one alone at 200 s, one finishes at 100 s, a failed one
 * runs again at 200 s, one lags. */
static const char scenario[] =
    "{ \"project_id\": \"0a1b2c3d4e5f60718293a4b5c6d7e8f9\", \"jobs\": ["
    "{ \"id\": \"fail-1\", \"name\": \"orders-1\", \"phases\": ["
    "  { \"status\": \"INCRE_TRANSFER_STARTED\", \"duration\": 100, \"progress\": 100 },"
    "  { \"status\": \"INCRE_TRANSFER_FAILED\", \"error_code\": \"DRS.M04002\","
    "    \"error_msg\": \"The connection to the source database was lost.\" } ] },"
    "{ \"id\": \"fail-2\", \"name\": \"orders-2\", \"phases\": ["
    "  { \"status\": \"INCRE_TRANSFER_STARTED\", \"duration\": 100, \"progress\": 100 },"
    "  { \"status\": \"INCRE_TRANSFER_FAILED\" } ] },"
    "{ \"id\": \"fail-3\", \"name\": \"orders-3\", \"phases\": ["
    "  { \"status\": \"INCRE_TRANSFER_STARTED\", \"duration\": 100, \"progress\": 100 },"
    "  { \"status\": \"INCRE_TRANSFER_FAILED\" } ] },"
    "{ \"id\": \"fail-4\", \"name\": \"orders-4\", \"phases\": ["
    "  { \"status\": \"INCRE_TRANSFER_STARTED\", \"duration\": 100, \"progress\": 100 },"
    "  { \"status\": \"INCRE_TRANSFER_FAILED\" } ] },"
    "{ \"id\": \"fail-5\", \"name\": \"orders-5\", \"phases\": ["
    "  { \"status\": \"INCRE_TRANSFER_STARTED\", \"duration\": 100, \"progress\": 100 },"
    "  { \"status\": \"INCRE_TRANSFER_FAILED\" } ] },"
    "{ \"id\": \"solo-1\", \"name\": \"billing\", \"phases\": ["
    "  { \"status\": \"FULL_TRANSFER_STARTED\", \"duration\": 200, \"progress\": [0, 90] },"
    "  { \"status\": \"FULL_TRANSFER_FAILED\", \"error_code\": \"DRS.M04003\","
    "    \"error_msg\": \"The target database is full.\" } ] },"
    "{ \"id\": \"done-1\", \"name\": \"archive\", \"task_mode\": \"FULL_TRANS\", \"phases\": ["
    "  { \"status\": \"FULL_TRANSFER_STARTED\", \"duration\": 100, \"progress\": [0, 100] },"
    "  { \"status\": \"FULL_TRANSFER_COMPLETE\", \"progress\": 100 } ] },"
    "{ \"id\": \"flap-1\", \"name\": \"inventory\", \"phases\": ["
    "  { \"status\": \"INCRE_TRANSFER_FAILED\", \"duration\": 200, \"progress\": 100 },"
    "  { \"status\": \"INCRE_TRANSFER_STARTED\", \"progress\": 100 } ] },"
    "{ \"id\": \"lag-1\", \"name\": \"reports\", \"phases\": ["
    "  { \"status\": \"INCRE_TRANSFER_STARTED\", \"progress\": 100,"
    "    \"delay\": { \"base_ms\": 900000 } } ] }"
    "] }";

/* A task stopped at 100 s; one deleted at 100 s whose id the server no longer knows at 200 s. */
static const char ended_scenario[] =
    "{ \"project_id\": \"0a1b2c3d4e5f60718293a4b5c6d7e8f9\", \"jobs\": ["
    "{ \"id\": \"stop-1\", \"name\": \"staging\", \"phases\": ["
    "  { \"status\": \"INCRE_TRANSFER_STARTED\", \"duration\": 100, \"progress\": 100 },"
    "  { \"status\": \"RELEASE_RESOURCE_COMPLETE\", \"progress\": 100 } ] },"
    "{ \"id\": \"gone-1\", \"name\": \"temp-copy\", \"phases\": ["
    "  { \"status\": \"INCRE_TRANSFER_STARTED\", \"duration\": 100, \"progress\": 100 },"
    "  { \"status\": \"DELETED\", \"duration\": 100 },"
    "  { \"status\": \"DELETED\", \"missing\": true } ] }"
    "] }";

/* The stand-in notification server (drs-test-notify.c) ---------------------------------------- */

typedef DrsTestNotification Notification;

static const char *current_app_id;

static guint
count_for_app (GApplication *app)
{
  return drs_test_notify_count (g_application_get_application_id (app));
}

/* The first notification of the current test's application whose id starts so. */
static const Notification *
find (const char *id_prefix)
{
  return drs_test_notify_find (current_app_id, id_prefix);
}

/* The application ---------------------------------------------------------------------------- */

typedef struct
{
  DrsApplication *app;
  DrsWindow      *window;
  DrsSimulator   *sim;
  guint           refreshes;
} Fixture;

static void
on_refresh_finished (DrsMonitor *monitor, Fixture *f)
{
  f->refreshes++;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *history = NULL;
  g_autofree char *id = NULL;
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GSettings) settings = NULL;
  static guint n;

  history = g_strdup_printf ("%s/notify-%u.db", g_get_user_data_dir (), ++n);
  g_setenv ("DRS_MONITOR_HISTORY", history, TRUE);
  drs_test_gui_log_setup ();
  f->app = drs_application_new ();
  id = g_strdup_printf ("%s.Notify%u", APPLICATION_ID, n);
  g_application_set_application_id (G_APPLICATION (f->app), id);
  g_application_set_flags (G_APPLICATION (f->app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  current_app_id = g_application_get_application_id (G_APPLICATION (f->app));

  settings = g_object_ref (drs_test_get_settings ());
  g_settings_set_uint (settings, "request-budget", 1200);
  g_settings_set_uint (settings, "delay-threshold", 300);
  g_settings_set_uint (settings, "delay-samples", 1);
  g_settings_set_boolean (settings, "notify-failed", TRUE);
  g_settings_set_boolean (settings, "notify-finished", TRUE);
  g_settings_set_boolean (settings, "notify-recovered", TRUE);
  g_settings_set_boolean (settings, "notify-delay", TRUE);

  g_application_activate (G_APPLICATION (f->app));
  f->window = DRS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (f->window);

  f->sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (f->sim, TRUE);
  g_assert_true (drs_simulator_load_scenario_data (f->sim, data ? data : scenario, -1, &error));
  g_assert_no_error (error);
  drs_simulator_add_token (f->sim, TOKEN);
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);

  credentials = drs_credentials_new_token (TOKEN);
  client = drs_client_new (drs_simulator_get_base_url (f->sim),
                           drs_simulator_get_project_id (f->sim), credentials, &error);
  g_assert_no_error (error);
  drs_session_set_client (drs_application_get_session (f->app), "sim", client);
  g_signal_connect (drs_session_get_monitor (drs_application_get_session (f->app)),
                    "refresh-finished", G_CALLBACK (on_refresh_finished), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (
      drs_session_get_monitor (drs_application_get_session (f->app)), f);
  /* The application outlives the test in GIO's D-Bus export: it must not poll on. */
  drs_monitor_stop (drs_session_get_monitor (drs_application_get_session (f->app)));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->window);
  g_object_unref (f->app);
  g_clear_object (&f->sim);
  drs_test_notify_clear ();
}

static void
sync_server (Fixture *f)
{
  drs_test_notify_sync (G_APPLICATION (f->app));
}

static void
refresh (Fixture *f)
{
  guint before = f->refreshes;

  drs_monitor_refresh_now (drs_session_get_monitor (drs_application_get_session (f->app)));
  DRS_TEST_SPIN_UNTIL (f->refreshes > before, WAIT_MS);
  sync_server (f);
}

/* Waits until the server has received @n notifications of this app. */
static void
wait_for_notifications (Fixture *f, guint n)
{
  DRS_TEST_SPIN_UNTIL (count_for_app (G_APPLICATION (f->app)) >= n, WAIT_MS);
}

static void
watch_all (Fixture *f)
{
  static const char *const ids[] = { "fail-1", "fail-2", "fail-3", "fail-4", "fail-5",
                                     "solo-1", "done-1", "flap-1", "lag-1",  NULL };
  static const char *const names[] = { "orders-1", "orders-2", "orders-3",  "orders-4", "orders-5",
                                       "billing",  "archive",  "inventory", "reports",  NULL };

  g_assert_cmpuint (drs_session_add_jobs (drs_application_get_session (f->app), "sim", ids, names),
                    ==, 9);
}

static void
test_transitions (Fixture *f, gconstpointer data)
{
  const Notification *n;
  guint               count;

  watch_all (f);
  /* The first answer is the baseline: nothing failed or finished yet; one task lags. */
  refresh (f);
  wait_for_notifications (f, 1);
  refresh (f);
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, 1);
  n = find ("delay-lag-1");
  g_assert_nonnull (n);
  g_assert_cmpstr (n->title, ==, "“reports” is falling behind");
  g_assert_true (strstr (n->body, "15 min") != NULL);
  g_assert_cmpstr (n->action, ==, "app.show-job");
  g_assert_cmpstr (n->target, ==, "lag-1");

  /* Five tasks fail in the same refresh and one finishes: two notifications, not six. */
  drs_simulator_advance (f->sim, 150 * 1000);
  refresh (f);
  wait_for_notifications (f, 3);
  refresh (f);
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, 3);
  n = find ("group-notify-failed");
  g_assert_nonnull (n);
  g_assert_cmpstr (n->title, ==, "5 tasks failed");
  g_assert_true (strstr (n->body, "orders-1") != NULL);
  g_assert_true (strstr (n->body, "and 1 more") != NULL);
  g_assert_cmpstr (n->action, ==, "app.show-status");
  g_assert_cmpstr (n->target, ==, "failed");
  n = find ("job-done-1");
  g_assert_nonnull (n);
  g_assert_cmpstr (n->title, ==, "“archive” finished");
  g_assert_cmpstr (n->target, ==, "done-1");

  /* One more fails alone: its own notification, with the server's code and message; a task that
   * had failed before we looked runs again. */
  drs_simulator_advance (f->sim, 100 * 1000);
  refresh (f);
  wait_for_notifications (f, 5);
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, 5);
  n = find ("job-flap-1");
  g_assert_nonnull (n);
  g_assert_cmpstr (n->title, ==, "“inventory” is running again");
  g_assert_cmpstr (n->target, ==, "flap-1");
  n = find ("job-solo-1");
  g_assert_nonnull (n);
  g_assert_cmpstr (n->title, ==, "“billing” failed");
  g_assert_cmpstr (n->body, ==, "DRS.M04003: The target database is full.");
  g_assert_cmpstr (n->action, ==, "app.show-job");
  g_assert_cmpstr (n->target, ==, "solo-1");

  /* Nothing changes: nothing more, however often it is polled. */
  count = count_for_app (G_APPLICATION (f->app));
  refresh (f);
  refresh (f);
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, count);
}

/* What the desktop does when the notification is clicked. */
static void
click (Fixture *f, const Notification *n)
{
  drs_test_activate_action (G_APPLICATION (f->app), n->action, n->target);
}

static void
test_click_target (Fixture *f, gconstpointer data)
{
  const Notification *n = NULL;
  DrsJob             *selected;

  watch_all (f);
  refresh (f);
  drs_simulator_advance (f->sim, 150 * 1000);
  refresh (f);
  drs_simulator_advance (f->sim, 100 * 1000);
  refresh (f);
  DRS_TEST_SPIN_UNTIL ((n = find ("job-solo-1")) != NULL, WAIT_MS);

  /* Even hidden by a filter, the task is shown and selected. */
  drs_window_set_status_filter (f->window, DRS_STATUS_CLASS_RUNNING);
  click (f, n);
  selected = drs_window_get_selected_job (f->window);
  g_assert_nonnull (selected);
  g_assert_cmpstr (drs_job_get_id (selected), ==, "solo-1");
  g_assert_cmpstr (drs_job_get_id (drs_details_get_job (drs_window_get_details (f->window))), ==,
                   "solo-1");

  /* The group opens the window on the failed tasks. */
  n = find ("group-notify-failed");
  g_assert_nonnull (n);
  click (f, n);
  g_assert_cmpuint (drs_window_get_class_count (f->window, DRS_STATUS_CLASS_FAILED), ==, 6);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (drs_window_get_selection (f->window))),
                    ==, 6);
}

/* A failed task's notification offers “Retry…”: it opens the window on the task with the
 * confirmation, and nothing is retried without it. */
static void
test_retry_button (Fixture *f, gconstpointer data)
{
  const Notification *n = NULL;
  DrsTaskActions     *actions = drs_window_get_task_actions (f->window);
  DrsActionDialog    *dialog;
  Notification        button = { 0 };
  const Notification *finished;

  watch_all (f);
  refresh (f);
  drs_simulator_advance (f->sim, 150 * 1000);
  refresh (f);
  drs_simulator_advance (f->sim, 100 * 1000);
  refresh (f);
  DRS_TEST_SPIN_UNTIL ((n = find ("job-solo-1")) != NULL, WAIT_MS);
  g_assert_cmpstr (n->button_label, ==, "Retry…");
  g_assert_cmpstr (n->button_action, ==, "app.retry-job");
  g_assert_cmpstr (n->button_target, ==, "solo-1");
  /* Only failures offer it. */
  finished = find ("job-done-1");
  g_assert_nonnull (finished);
  g_assert_null (finished->button_action);

  drs_window_set_status_filter (f->window, DRS_STATUS_CLASS_RUNNING);
  button.action = n->button_action;
  button.target = n->button_target;
  click (f, &button);
  g_assert_cmpstr (drs_job_get_id (drs_window_get_selected_job (f->window)), ==, "solo-1");
  dialog = drs_task_actions_get_dialog (actions);
  g_assert_nonnull (dialog);
  g_assert_cmpint (drs_action_dialog_get_action (dialog), ==, DRS_TASK_ACTION_RETRY);
  g_assert_cmpstr (drs_action_dialog_get_job_ids (dialog)[0], ==, "solo-1");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-retry-task"), ==, 0);

  /* Cancelled: nothing sent. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (drs_task_actions_get_dialog (actions));
  g_assert_cmpuint (drs_task_actions_get_n_running (actions), ==, 0);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-retry-task"), ==, 0);

  /* A monitoring-only seat gets no button and no dialog. */
  g_settings_set_boolean (drs_test_get_settings (), "allow-actions", FALSE);
  click (f, &button);
  g_assert_null (drs_task_actions_get_dialog (actions));
  g_settings_set_boolean (drs_test_get_settings (), "allow-actions", TRUE);
}

static void
test_connection_problem (Fixture *f, gconstpointer data)
{
  DrsSimFaults        faults = { .error_status = 503, .error_rate = 1.0 };
  const Notification *n;
  guint               count;

  watch_all (f);
  refresh (f);
  count = count_for_app (G_APPLICATION (f->app));

  /* Nine tasks, one account: one notification. */
  drs_simulator_set_faults (f->sim, &faults);
  refresh (f);
  wait_for_notifications (f, count + 1);
  refresh (f);
  refresh (f);
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, count + 1);
  n = find ("connection-sim");
  g_assert_nonnull (n);
  g_assert_cmpstr (n->title, ==, "Cannot check the tasks of “sim”");
  g_assert_nonnull (n->body);

  /* Back: the notification is withdrawn. */
  drs_simulator_set_faults (f->sim, NULL);
  refresh (f);
  DRS_TEST_SPIN_UNTIL (drs_test_notify_get_removed ()->len > 0, WAIT_MS);
  g_assert_cmpstr (drs_test_notify_get_removed ()->pdata[0], ==, "connection-sim");
}

static void
test_settings_respected (Fixture *f, gconstpointer data)
{
  GSettings *settings = drs_test_get_settings ();

  g_settings_set_boolean (settings, "notify-delay", FALSE);
  g_settings_set_boolean (settings, "notify-finished", FALSE);
  watch_all (f);
  refresh (f);
  drs_simulator_advance (f->sim, 150 * 1000);
  refresh (f);
  wait_for_notifications (f, 1);
  refresh (f);
  /* Only the failures: no delay alert, no finished task. */
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, 1);
  g_assert_nonnull (find ("group-notify-failed"));
  g_assert_null (find ("delay-lag-1"));
  g_assert_null (find ("job-done-1"));
}

/* The first notification of the current test's application whose title contains @text. */
static const Notification *
find_title (const char *text)
{
  GPtrArray *added = drs_test_notify_get_added ();

  for (guint i = 0; i < added->len; i++)
    {
      const Notification *n = added->pdata[i];

      if (g_str_equal (n->app_id, current_app_id) && strstr (n->title, text) != NULL)
        return n;
    }
  return NULL;
}

/* A task stopped or deleted is announced as the table shows it, once, and never as failed. */
static void
test_ended_group (Fixture *f, gconstpointer data)
{
  static const char *const ids[] = { "stop-1", "gone-1", NULL };
  static const char *const names[] = { "staging", "temp-copy", NULL };
  const Notification      *n;

  g_assert_cmpuint (drs_session_add_jobs (drs_application_get_session (f->app), "sim", ids, names),
                    ==, 2);
  refresh (f);
  refresh (f);
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, 0);

  /* Both end in the same refresh: one notification for the two. */
  drs_simulator_advance (f->sim, 150 * 1000);
  refresh (f);
  wait_for_notifications (f, 1);
  refresh (f);
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, 1);
  n = find ("group-notify-finished");
  g_assert_nonnull (n);
  g_assert_cmpstr (n->title, ==, "2 tasks were stopped or deleted");
  g_assert_nonnull (strstr (n->body, "staging"));
  g_assert_nonnull (strstr (n->body, "temp-copy"));
  g_assert_cmpstr (n->target, ==, "finished");

  /* The deleted task's id is unknown now (DRS.M05004): already announced, not a failure. */
  drs_simulator_advance (f->sim, 100 * 1000);
  refresh (f);
  refresh (f);
  g_assert_true (drs_job_get_error_code (drs_job_store_lookup (
                     drs_session_get_store (drs_application_get_session (f->app)), "gone-1")) !=
                 NULL);
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, 1);
  g_assert_null (find ("job-"));
}

/* One at a time: each with its own status label, in both languages (the name is the task's, or
 * its id until the job list gives one). */
static void
check_ended_single (Fixture *f, const char *language, const char *stopped, const char *deleted)
{
  static const char *const ids[] = { "stop-1", NULL };
  static const char *const gone[] = { "gone-1", NULL };
  const Notification      *n;

  if (!drs_test_use_language (language))
    {
      g_test_skip ("The locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  g_assert_cmpuint (drs_session_add_jobs (drs_application_get_session (f->app), "sim", ids, NULL),
                    ==, 1);
  refresh (f);
  drs_simulator_advance (f->sim, 150 * 1000);
  refresh (f);
  wait_for_notifications (f, 1);
  n = find ("job-stop-1");
  g_assert_nonnull (n);
  g_test_message ("%s: %s — %s", language, n->title, n->body);
  g_assert_nonnull (strstr (n->title, stopped));
  g_assert_null (find_title (language[0] == 'z' ? "失败" : "failed"));
  g_assert_null (find_title (language[0] == 'z' ? "已完成" : "finished"));

  /* Watched only after it was deleted: the first answer is its baseline; then the server forgets
   * it. */
  g_assert_cmpuint (drs_session_add_jobs (drs_application_get_session (f->app), "sim", gone, NULL),
                    ==, 1);
  refresh (f);
  drs_simulator_advance (f->sim, 100 * 1000);
  refresh (f);
  refresh (f);
  wait_for_notifications (f, 2);
  n = find ("job-gone-1");
  g_assert_nonnull (n);
  g_test_message ("%s: %s — %s", language, n->title, n->body);
  g_assert_nonnull (strstr (n->title, deleted));
  g_assert_null (find_title (language[0] == 'z' ? "失败" : "failed"));
  g_assert_cmpuint (count_for_app (G_APPLICATION (f->app)), ==, 2);
  drs_test_use_language ("en_US");
}

static void
test_ended_en (Fixture *f, gconstpointer data)
{
  check_ended_single (f, "en_US", "”: Stopped", "”: Deleted");
}

static void
test_ended_zh (Fixture *f, gconstpointer data)
{
  check_ended_single (f, "zh_CN", "”：已结束", "”：已删除");
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
  /* Before any notification: GIO picks its notification backend once per process. */
  drs_test_notify_start ();

  g_test_add ("/notifications/transitions", Fixture, NULL, fixture_setup, test_transitions,
              fixture_teardown);
  g_test_add ("/notifications/click-target", Fixture, NULL, fixture_setup, test_click_target,
              fixture_teardown);
  g_test_add ("/notifications/retry-button", Fixture, NULL, fixture_setup, test_retry_button,
              fixture_teardown);
  g_test_add ("/notifications/connection-problem", Fixture, NULL, fixture_setup,
              test_connection_problem, fixture_teardown);
  g_test_add ("/notifications/settings-respected", Fixture, NULL, fixture_setup,
              test_settings_respected, fixture_teardown);
  g_test_add ("/notifications/ended-group", Fixture, ended_scenario, fixture_setup,
              test_ended_group, fixture_teardown);
  g_test_add ("/notifications/ended/en", Fixture, ended_scenario, fixture_setup, test_ended_en,
              fixture_teardown);
  g_test_add ("/notifications/ended/zh_CN", Fixture, ended_scenario, fixture_setup, test_ended_zh,
              fixture_teardown);
  ret = g_test_run ();
  drs_test_notify_stop ();
  drs_test_remove_dir (dir);
  return ret;
}

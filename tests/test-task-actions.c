/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pause, resume and retry from the window (issue 15), against an in-process simulator over
 * loopback HTTP, under Xvfb and a private D-Bus session: the context menu's and the details
 * pane's actions, the confirmation, the toast, the status change, the history, multi-selection
 * across refreshes and sorting, the setting that hides it all. */
#include "config.h"

#include <glib/gi18n.h>

#include "drs-action-dialog.h"
#include "drs-application.h"
#include "drs-simulator.h"
#include "drs-task-actions.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 60000
#define TOKEN "task-actions-test-token"

typedef struct
{
  DrsApplication *app;
  DrsWindow      *window;
  DrsSimulator   *sim;
  GSettings      *settings;
  GPtrArray      *running; /* ids, at the simulator's time 0 */
  GPtrArray      *failed;
  guint           toasts;
} Fixture;

static void
pick (Fixture *f)
{
  g_auto (GStrv) ids = drs_simulator_dup_job_ids (f->sim);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *status = drs_simulator_dup_job_status (f->sim, ids[i]);
      DrsJobStatus     s = drs_job_status_from_string (status);

      if (s == DRS_JOB_STATUS_INCRE_TRANSFER_STARTED || s == DRS_JOB_STATUS_FULL_TRANSFER_STARTED)
        g_ptr_array_add (f->running, g_strdup (ids[i]));
      else if (drs_job_status_classify (s, DRS_TASK_MODE_FULL_INCR_TRANS) ==
               DRS_STATUS_CLASS_FAILED)
        g_ptr_array_add (f->failed, g_strdup (ids[i]));
    }
  g_assert_cmpuint (f->running->len, >=, 4);
  g_assert_cmpuint (f->failed->len, >=, 2);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();

  f->app = drs_test_app_new ("Actions");
  f->window = drs_test_app_activate (f->app);
  f->settings = g_object_ref (drs_test_get_settings ());
  g_settings_set_uint (f->settings, "request-budget", 1200);
  g_settings_set_boolean (f->settings, "allow-actions", TRUE);
  g_settings_set_string (f->settings, "language", "en-US");

  f->sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (f->sim, TRUE);
  drs_simulator_add_token (f->sim, TOKEN);
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);
  f->running = g_ptr_array_new_with_free_func (g_free);
  f->failed = g_ptr_array_new_with_free_func (g_free);
  pick (f);

  credentials = drs_credentials_new_token (TOKEN);
  client = drs_client_new (drs_simulator_get_base_url (f->sim),
                           drs_simulator_get_project_id (f->sim), credentials, &error);
  g_assert_no_error (error);
  drs_session_set_client (drs_application_get_session (f->app), "sim", client);

  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (ids, f->running->pdata[i]);
  for (guint i = 0; i < 2; i++)
    g_ptr_array_add (ids, f->failed->pdata[i]);
  g_ptr_array_add (ids, NULL);
  g_assert_cmpuint (drs_session_add_jobs (drs_application_get_session (f->app), "sim",
                                          (const char *const *) ids->pdata, NULL),
                    ==, 6);
  DRS_TEST_SPIN_UNTIL (drs_test_all_polled (f->app, 6), WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (drs_window_get_column_view (f->window)), 2);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  drs_monitor_stop (drs_session_get_monitor (drs_application_get_session (f->app)));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->window);
  g_settings_set_string (f->settings, "language", "en-US");
  g_clear_object (&f->settings);
  g_object_unref (f->app);
  g_clear_pointer (&f->running, g_ptr_array_unref);
  g_clear_pointer (&f->failed, g_ptr_array_unref);
  g_assert_finalize_object (f->sim);
}

static GListModel *
rows (Fixture *f)
{
  return G_LIST_MODEL (drs_window_get_selection (f->window));
}

static guint
position_of (Fixture *f, const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (rows (f)); i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (rows (f), i);

      if (g_str_equal (drs_job_get_id (job), id))
        return i;
    }
  g_assert_not_reached ();
}

/* Selects @ids (and nothing else), as Ctrl-clicks would. */
static void
select_ids (Fixture *f, const char *const *ids)
{
  GtkSelectionModel *selection = drs_window_get_selection (f->window);

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; ids[i] != NULL; i++)
    gtk_selection_model_select_item (selection, position_of (f, ids[i]), FALSE);
}

static GStrv
selected_ids (Fixture *f)
{
  DrsTaskActions *actions = drs_window_get_task_actions (f->window);
  g_autoptr (GPtrArray) jobs = drs_task_actions_get_selected (actions);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < jobs->len; i++)
    g_strv_builder_add (builder, drs_job_get_id (jobs->pdata[i]));
  return g_strv_builder_end (builder);
}

static gboolean
enabled (Fixture *f, const char *name)
{
  DrsTaskAction action;

  g_assert_true (drs_task_action_from_string (name, &action));
  return drs_task_actions_get_enabled (drs_window_get_task_actions (f->window), action);
}

static DrsJob *
job (Fixture *f, const char *id)
{
  return drs_job_store_lookup (drs_session_get_store (drs_application_get_session (f->app)), id);
}

static DrsActionDialog *
dialog_of (Fixture *f)
{
  return drs_task_actions_get_dialog (drs_window_get_task_actions (f->window));
}

static GtkWidget *
find_labelled_button (GtkWidget *widget, const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_labelled_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* What the user's click on a response button does (it also closes the dialog). */
static void
click_response (DrsActionDialog *dialog, const char *response)
{
  const char *label = adw_message_dialog_get_response_label (ADW_MESSAGE_DIALOG (dialog), response);
  GtkWidget  *button = find_labelled_button (GTK_WIDGET (dialog), label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

/* Confirms the dialog on screen and waits for the outcome's toast. */
static const char *
confirm (Fixture *f)
{
  DrsTaskActions  *actions = drs_window_get_task_actions (f->window);
  DrsActionDialog *dialog = dialog_of (f);
  const char      *before = drs_window_get_last_toast (f->window);
  g_autofree char *previous = g_strdup (before);

  g_assert_nonnull (dialog);
  click_response (dialog, DRS_ACTION_DIALOG_RESPONSE_ACT);
  DRS_TEST_SPIN_UNTIL (drs_task_actions_get_n_running (actions) == 0 &&
                           g_strcmp0 (drs_window_get_last_toast (f->window), previous) != 0,
                       WAIT_MS);
  DRS_TEST_SPIN_UNTIL (dialog_of (f) == NULL, WAIT_MS);
  return drs_window_get_last_toast (f->window);
}

static gboolean
menu_has_action (GMenuModel *menu, const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
    }
  return FALSE;
}

/* Retry a failed task from the row's context menu ---------------------------------------------- */

static void
test_retry_from_menu (Fixture *f, gconstpointer data)
{
  const char *id = f->failed->pdata[0];
  const char *ids[] = { id, NULL };
  g_autoptr (GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "drs-menus.ui");
  g_autoptr (GPtrArray) records = NULL;
  DrsActionDialog *dialog;
  const char      *toast;

  /* The context menu offers the three actions. */
  for (guint i = 0; i < 3; i++)
    g_assert_true (
        menu_has_action (G_MENU_MODEL (gtk_builder_get_object (builder, "row_menu")),
                         (const char *[]){ "task.pause", "task.resume", "task.retry" }[i]));

  select_ids (f, ids);
  g_assert_true (enabled (f, "retry"));
  g_assert_false (enabled (f, "pause"));
  g_assert_false (enabled (f, "resume"));

  /* What the menu item does: the confirmation names the task, nothing is sent before it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "task.retry", NULL));
  dialog = dialog_of (f);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Retry 1 Task?");
  g_assert_nonnull (strstr (drs_action_dialog_get_names (DRS_ACTION_DIALOG (dialog)),
                            drs_job_get_display_name (job (f, id))));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                               DRS_ACTION_DIALOG_RESPONSE_ACT),
                   ==, ADW_RESPONSE_SUGGESTED);
  drs_test_wait_frames (GTK_WIDGET (dialog), 2);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-retry-task"), ==, 0);

  toast = confirm (f);
  g_assert_cmpstr (toast, ==, "1 task retried");
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-retry-task"), ==, 1);

  /* Polled at once: back to a running status; then nothing to retry any more. */
  DRS_TEST_SPIN_UNTIL (drs_job_get_status_class (job (f, id)) == DRS_STATUS_CLASS_RUNNING, WAIT_MS);
  DRS_TEST_SPIN_UNTIL (!drs_job_get_action_pending (job (f, id)), WAIT_MS);
  g_assert_false (enabled (f, "retry"));
  g_assert_true (enabled (f, "pause"));

  /* In the history, and in the details pane's timeline. */
  records = drs_history_list_actions (
      drs_session_get_history (drs_application_get_session (f->app)), id, 0, G_MAXINT64, NULL);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpint (((DrsActionRecord *) records->pdata[0])->action, ==, DRS_TASK_ACTION_RETRY);
  g_assert_cmpstr (((DrsActionRecord *) records->pdata[0])->account, ==, "sim");
  DRS_TEST_SPIN_UNTIL (drs_details_get_n_actions (drs_window_get_details (f->window)) == 1,
                       WAIT_MS);
}

/* Pause and resume from the details pane and a shortcut ---------------------------------------- */

static gboolean
has_action (GtkWidget *button, gconstpointer action_name)
{
  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), action_name) == 0;
}

static GtkWidget *
find_button (GtkWidget *widget, const char *action_name)
{
  return drs_test_find_widget_where (widget, GTK_TYPE_BUTTON, has_action, action_name);
}

static void
test_pause_resume_from_details (Fixture *f, gconstpointer data)
{
  const char      *id = f->running->pdata[0];
  const char      *ids[] = { id, NULL };
  DrsDetails      *details = drs_window_get_details (f->window);
  g_autofree char *before = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_auto (GStrv) accel_actions = NULL;
  GtkWidget       *pause_button, *resume_button, *retry_button;
  DrsActionDialog *dialog;

  select_ids (f, ids);
  g_assert_true (drs_details_get_job (details) == job (f, id));
  before = g_strdup (drs_job_get_status_raw (job (f, id)));
  pause_button = find_button (GTK_WIDGET (details), "task.pause");
  resume_button = find_button (GTK_WIDGET (details), "task.resume");
  retry_button = find_button (GTK_WIDGET (details), "task.retry");
  g_assert_true (gtk_widget_get_visible (pause_button));
  g_assert_false (gtk_widget_get_visible (resume_button));
  g_assert_false (gtk_widget_get_visible (retry_button));

  /* The pane's button; the pause confirmation explains both modes and is destructive. */
  drs_test_wait_frames (pause_button, 1);
  g_signal_emit_by_name (pause_button, "clicked");
  dialog = dialog_of (f);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Pause 1 Task?");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                                               DRS_ACTION_DIALOG_RESPONSE_ACT),
                   ==, ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  g_assert_cmpint (drs_action_dialog_get_pause_mode (dialog), ==, DRS_PAUSE_MODE_TARGET);
  drs_action_dialog_set_pause_mode (dialog, DRS_PAUSE_MODE_ALL);
  g_assert_cmpstr (confirm (f), ==, "1 task paused");
  DRS_TEST_SPIN_UNTIL (drs_job_get_status (job (f, id)) == DRS_JOB_STATUS_PAUSING, WAIT_MS);
  DRS_TEST_SPIN_UNTIL (gtk_widget_get_visible (resume_button), WAIT_MS);
  g_assert_false (gtk_widget_get_visible (pause_button));

  /* The shortcut for resume, then the confirmation. */
  accel_actions =
      gtk_application_get_actions_for_accel (GTK_APPLICATION (f->app), "<Control><Shift>u");
  g_assert_cmpstr (accel_actions[0], ==, "task.resume");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), accel_actions[0], NULL));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog_of (f))), ==,
                   "Resume 1 Task?");
  g_assert_cmpstr (confirm (f), ==, "1 task resumed");
  DRS_TEST_SPIN_UNTIL (g_strcmp0 (drs_job_get_status_raw (job (f, id)), before) == 0, WAIT_MS);

  /* Both recorded with their mode; both marked on the charts. */
  records = drs_history_list_actions (
      drs_session_get_history (drs_application_get_session (f->app)), id, 0, G_MAXINT64, NULL);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpint (((DrsActionRecord *) records->pdata[0])->pause_mode, ==, DRS_PAUSE_MODE_ALL);
  g_assert_cmpint (((DrsActionRecord *) records->pdata[1])->action, ==, DRS_TASK_ACTION_RESUME);
  DRS_TEST_SPIN_UNTIL (
      drs_chart_get_n_markers (drs_details_get_chart (details, DRS_CHART_DELAY)) == 2, WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (details), 2);
}

/* Multi-selection: across refreshes and sorting, mixed states, mixed outcomes ------------------ */

static void
on_result (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_multi_selection (Fixture *f, gconstpointer data)
{
  const char    *ids[] = { f->running->pdata[1], f->running->pdata[2], f->failed->pdata[1], NULL };
  GtkColumnView *view = drs_window_get_column_view (f->window);
  DrsJobColumns *columns = drs_window_get_columns (f->window);
  g_auto (GStrv) kept = NULL;
  g_auto (GStrv) sorted = NULL;
  DrsActionDialog *dialog;
  const char      *toast;
  guint            applied;

  select_ids (f, ids);
  g_assert_cmpuint (g_strv_length (kept = selected_ids (f)), ==, 3);
  g_clear_pointer (&kept, g_strfreev);

  /* A refresh with new values keeps the selection… */
  drs_simulator_advance (f->sim, 600 * 1000);
  applied =
      drs_monitor_get_n_requests (drs_session_get_monitor (drs_application_get_session (f->app)));
  drs_monitor_refresh_now (drs_session_get_monitor (drs_application_get_session (f->app)));
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_requests (drs_session_get_monitor (
                           drs_application_get_session (f->app))) > applied &&
                           !drs_monitor_get_refreshing (
                               drs_session_get_monitor (drs_application_get_session (f->app))),
                       WAIT_MS);
  kept = selected_ids (f);
  g_assert_cmpuint (g_strv_length (kept), ==, 3);
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char *const *) kept, ids[i]));

  /* …and so does sorting by another column, in both directions. */
  gtk_column_view_sort_by_column (view, drs_job_columns_get_column (columns, "progress"),
                                  GTK_SORT_DESCENDING);
  gtk_column_view_sort_by_column (view, drs_job_columns_get_column (columns, "name"),
                                  GTK_SORT_ASCENDING);
  sorted = selected_ids (f);
  g_assert_cmpuint (g_strv_length (sorted), ==, 3);
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char *const *) sorted, ids[i]));
  /* The details pane shows one of them. */
  g_assert_true (
      g_strv_contains ((const char *const *) sorted,
                       drs_job_get_id (drs_details_get_job (drs_window_get_details (f->window)))));

  /* Pause acts on the two running ones and says the failed one is left alone. */
  g_assert_true (enabled (f, "pause"));
  g_assert_true (enabled (f, "retry"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "task.pause", NULL));
  dialog = dialog_of (f);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Pause 2 Tasks?");
  g_assert_cmpuint (g_strv_length ((char **) drs_action_dialog_get_job_ids (dialog)), ==, 2);
  g_assert_nonnull (
      strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "1 other selected task"));

  /* Meanwhile someone else paused one of them (in the console): one pause fails alone. */
  {
    g_autoptr (DrsCredentials) credentials = drs_credentials_new_token (TOKEN);
    g_autoptr (DrsClient) other =
        drs_client_new (drs_simulator_get_base_url (f->sim), drs_simulator_get_project_id (f->sim),
                        credentials, NULL);
    g_autoptr (GAsyncResult) res = NULL;
    g_autoptr (DrsActionResult) result = NULL;
    const char *one[] = { ids[1], NULL };

    drs_client_pause_tasks_async (other, one, DRS_PAUSE_MODE_TARGET, NULL, on_result, &res);
    DRS_TEST_SPIN_UNTIL (res != NULL, WAIT_MS);
    result = drs_client_act_finish (other, res, NULL);
    g_assert_cmpint (drs_action_result_get_outcome (result, ids[1]), ==,
                     DRS_ACTION_OUTCOME_SUCCESS);
  }

  toast = confirm (f);
  g_assert_cmpstr (toast, ==,
                   "1 task paused, 1 failed: DRS.M05005 The task's status does not allow this "
                   "operation.");
  DRS_TEST_SPIN_UNTIL (drs_job_get_status (job (f, ids[0])) == DRS_JOB_STATUS_PAUSING &&
                           drs_job_get_status (job (f, ids[1])) == DRS_JOB_STATUS_PAUSING,
                       WAIT_MS);
  g_assert_cmpint (drs_job_get_status_class (job (f, ids[2])), ==, DRS_STATUS_CLASS_FAILED);
}

/* Without permission, and in Chinese ----------------------------------------------------------- */

static void
test_forbidden_chinese (Fixture *f, gconstpointer data)
{
  const char  *ids[] = { f->failed->pdata[0], NULL };
  DrsSimFaults faults = { .read_only = TRUE };
  const char  *toast;

  drs_simulator_set_faults (f->sim, &faults);
  select_ids (f, ids);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "task.retry", NULL));
  toast = confirm (f);
  g_assert_cmpstr (toast, ==,
                   "Nothing retried, 1 failed: DRS.M00103 You do not have permission to operate "
                   "this task.");
  g_assert_cmpint (drs_job_get_status_class (job (f, ids[0])), ==, DRS_STATUS_CLASS_FAILED);

  if (!drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("zh_CN locale not available");
      return;
    }
  g_settings_set_string (f->settings, "language", "zh-CN");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "task.retry", NULL));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog_of (f))), ==,
                   "重试1个任务？");
  toast = confirm (f);
  g_assert_cmpstr (toast, ==, "未重试任何任务，1个失败：DRS.M00103 您没有操作该任务的权限。");
  g_settings_set_string (f->settings, "language", "en-US");
  drs_test_use_language ("en_US");
}

/* A monitoring-only seat ------------------------------------------------------------------------
 */

static void
test_setting_hides (Fixture *f, gconstpointer data)
{
  const char *ids[] = { f->failed->pdata[0], NULL };
  DrsDetails *details = drs_window_get_details (f->window);
  GtkWidget  *retry_button;

  select_ids (f, ids);
  retry_button = find_button (GTK_WIDGET (details), "task.retry");
  g_assert_true (gtk_widget_get_visible (retry_button));

  g_settings_set_boolean (f->settings, "allow-actions", FALSE);
  /* The group is gone: menu items hide (hidden-when action-missing), shortcuts do nothing. */
  g_assert_false (enabled (f, "retry"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->window), "task.retry", NULL));
  g_assert_false (gtk_widget_get_visible (retry_button));
  g_assert_null (drs_task_actions_confirm_ids (drs_window_get_task_actions (f->window),
                                               DRS_TASK_ACTION_RETRY, ids));
  g_assert_null (dialog_of (f));

  g_settings_set_boolean (f->settings, "allow-actions", TRUE);
  g_assert_true (enabled (f, "retry"));
  g_assert_true (gtk_widget_get_visible (retry_button));
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

#define ADD(name, fn) \
  g_test_add ("/task-actions/" name, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("retry-from-menu", test_retry_from_menu);
  ADD ("pause-resume-from-details", test_pause_resume_from_details);
  ADD ("multi-selection", test_multi_selection);
  ADD ("forbidden-chinese", test_forbidden_chinese);
  ADD ("setting-hides", test_setting_hides);
  ret = g_test_run ();
  drs_test_remove_dir (dir);
  return ret;
}

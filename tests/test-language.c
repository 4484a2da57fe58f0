/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Switching the language of the running app: every text follows, X-Language follows, and nothing
 * else moves. Under Xvfb and a D-Bus session, against the in-process simulator. */
#include "config.h"

#include <locale.h>
#include <math.h>

#include <glib/gi18n.h>

#include "drs-add-dialog.h"
#include "drs-application.h"
#include "drs-i18n.h"
#include "drs-preferences.h"
#include "drs-simulator.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 60000

typedef struct
{
  DrsApplication *app;
  DrsWindow      *window;
  GSettings      *settings;
  guint           changed;
} Fixture;

static void
on_applied (DrsJobStore *store, guint n_changed, Fixture *f)
{
  f->changed += n_changed;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->app = drs_test_app_new ("Language");
  f->settings = drs_test_get_settings ();
  g_settings_set_string (f->settings, "language", "en-US");
  g_settings_set_uint (f->settings, "request-budget", 1200);
  f->window = drs_test_app_activate (f->app);
  g_signal_connect (drs_session_get_store (drs_application_get_session (f->app)), "applied",
                    G_CALLBACK (on_applied), f);

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "demo", NULL);
  DRS_TEST_SPIN_UNTIL (drs_test_all_polled (f->app, 30), WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (f->window), 2);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_settings_set_string (f->settings, "language", "en-US");
  g_signal_handlers_disconnect_by_data (
      drs_session_get_store (drs_application_get_session (f->app)), f);
  f->window = drs_test_main_window (f->app);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->window);
  g_object_unref (f->app);
}

static void
wait_for_refresh (Fixture *f)
{
  guint before = f->changed;

  drs_monitor_refresh_now (drs_session_get_monitor (drs_application_get_session (f->app)));
  DRS_TEST_SPIN_UNTIL (f->changed > before, WAIT_MS);
}

/* Every text widget under @root, labels and the table's inscriptions. */
static void
collect_texts (GtkWidget *widget, GPtrArray *texts)
{
  if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (widget)));
  else if (GTK_IS_INSCRIPTION (widget) && gtk_inscription_get_text (GTK_INSCRIPTION (widget)))
    g_ptr_array_add (texts, (gpointer) gtk_inscription_get_text (GTK_INSCRIPTION (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static gboolean
shows (GtkWidget *root, const char *text)
{
  g_autoptr (GPtrArray) texts = g_ptr_array_new ();

  collect_texts (root, texts);
  for (guint i = 0; i < texts->len; i++)
    if (g_strcmp0 (texts->pdata[i], text) == 0)
      return TRUE;
  return FALSE;
}

static const char *
column_title (Fixture *f, const char *id)
{
  return gtk_column_view_column_get_title (
      drs_job_columns_get_column (drs_window_get_columns (f->window), id));
}

static char *menu_label;

/* The first entry of the window's main menu. */
static const char *
first_menu_label (Fixture *f)
{
  GtkMenuButton *button = NULL;
  g_autoptr (GMenuModel) section = NULL;

  for (GtkWidget *w = GTK_WIDGET (f->window); w != NULL;)
    {
      if (GTK_IS_MENU_BUTTON (w))
        {
          button = GTK_MENU_BUTTON (w);
          break;
        }
      /* depth-first walk */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (button);
  section =
      g_menu_model_get_item_link (gtk_menu_button_get_menu_model (button), 0, G_MENU_LINK_SECTION);
  g_clear_pointer (&menu_label, g_free);
  g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_LABEL, "s", &menu_label);
  return menu_label;
}

static void
test_header_follows (Fixture *f, gconstpointer data)
{
  DrsSimulator *sim = drs_application_get_simulator (f->app);

  wait_for_refresh (f);
  g_assert_cmpstr (drs_simulator_get_last_language (sim), ==, "en-us");

  g_settings_set_string (f->settings, "language", "zh-CN");
  g_assert_cmpstr (drs_i18n_get_language (), ==, "zh-CN");
  wait_for_refresh (f);
  g_assert_cmpstr (drs_simulator_get_last_language (sim), ==, "zh-cn");

  g_settings_set_string (f->settings, "language", "en-US");
  wait_for_refresh (f);
  g_assert_cmpstr (drs_simulator_get_last_language (sim), ==, "en-us");

  /* Following the system: this test's environment is not Chinese. */
  g_settings_set_string (f->settings, "language", "system");
  wait_for_refresh (f);
  g_assert_cmpstr (drs_simulator_get_last_language (sim), ==, "en-us");
}

static void
test_texts_follow (Fixture *f, gconstpointer data)
{
  GtkWidget     *window = GTK_WIDGET (f->window);
  GtkColumnView *view = drs_window_get_column_view (f->window);
  g_autoptr (GtkBuilder) menus = NULL;
  g_autofree char *label = NULL;

  if (!drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  drs_test_use_language ("en_US");
  g_assert_cmpstr (column_title (f, "status"), ==, "Status");
  g_assert_true (shows (window, "All"));
  g_assert_cmpstr (first_menu_label (f), ==, "_Preferences");

  f->window = drs_test_switch_language (f->app, "zh-CN");
  window = GTK_WIDGET (f->window);
  view = drs_window_get_column_view (f->window);
  g_assert_cmpstr (drs_i18n_get_language (), ==, "zh-CN");
  drs_test_save_screenshot (window, "language-switched-zh_CN.png");

  /* Column headers, the filter bar, a status in a cell, the search placeholder. */
  g_assert_cmpstr (column_title (f, "status"), ==, "状态");
  g_assert_cmpstr (column_title (f, "progress"), ==, "进度");
  g_assert_true (shows (window, "全部"));
  g_assert_true (shows (GTK_WIDGET (view), "增量迁移中"));
  g_assert_false (shows (GTK_WIDGET (view), "Incremental migration in progress"));
  {
    g_autofree char *placeholder = NULL;

    g_object_get (drs_window_get_search_entry (f->window), "placeholder-text", &placeholder, NULL);
    g_assert_cmpstr (placeholder, ==, "按名称、ID或状态搜索");
  }
  /* The menus are built again in Chinese. */
  g_assert_cmpstr (first_menu_label (f), ==, "首选项(_P)");

  /* A toast raised now speaks Chinese. */
  gtk_selection_model_select_item (drs_window_get_selection (f->window), 0, TRUE);
  label = g_strdup (drs_job_get_display_name (drs_window_get_selected_job (f->window)));
  g_assert_true (gtk_widget_activate_action (window, "win.remove", NULL));
  g_assert_true (g_str_has_prefix (drs_window_get_last_toast (f->window), "已移除"));
  g_assert_true (gtk_widget_activate_action (window, "win.undo", NULL));

  /* And back. */
  f->window = drs_test_switch_language (f->app, "en-US");
  window = GTK_WIDGET (f->window);
  view = drs_window_get_column_view (f->window);
  g_assert_cmpstr (column_title (f, "status"), ==, "Status");
  g_assert_true (shows (window, "All"));
  g_assert_true (shows (GTK_WIDGET (view), "Incremental migration in progress"));
  g_assert_false (shows (GTK_WIDGET (view), "增量迁移中"));
  g_assert_cmpstr (first_menu_label (f), ==, "_Preferences");
  g_clear_pointer (&menu_label, g_free);
}

/* The task ids in the order the table shows them. */
static char *
shown_order (Fixture *f)
{
  GListModel *rows = G_LIST_MODEL (drs_window_get_selection (f->window));
  GString    *ids = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (rows, i);
      g_string_append_printf (ids, "%s ", drs_job_get_id (job));
    }
  return g_string_free (ids, FALSE);
}

static void
test_nothing_else_moves (Fixture *f, gconstpointer data)
{
  GListModel *store = G_LIST_MODEL (drs_session_get_store (drs_application_get_session (f->app)));
  GtkSelectionModel *selection = drs_window_get_selection (f->window);
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (drs_window_get_scroller (f->window));
  g_autoptr (GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *order = NULL;
  DrsJob          *selected;
  double           scroll;
  guint            n = g_list_model_get_n_items (store);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (before, g_list_model_get_item (store, i));
  /* Sorted by name, Z to A: the names stay put while the tasks move on. */
  gtk_column_view_sort_by_column (
      drs_window_get_column_view (f->window),
      drs_job_columns_get_column (drs_window_get_columns (f->window), "name"), GTK_SORT_DESCENDING);
  order = shown_order (f);
  gtk_selection_model_select_item (selection, 9, TRUE);
  selected = drs_window_get_selected_job (f->window);
  DRS_TEST_SPIN_UNTIL (gtk_adjustment_get_upper (vadj) > gtk_adjustment_get_page_size (vadj),
                       WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (f->window), 2);
  gtk_adjustment_set_value (
      vadj, (gtk_adjustment_get_upper (vadj) - gtk_adjustment_get_page_size (vadj)) / 3);
  drs_test_wait_frames (GTK_WIDGET (f->window), 2);
  scroll = gtk_adjustment_get_value (vadj);

  for (guint round = 0; round < 4; round++)
    {
      f->window = drs_test_switch_language (f->app, round % 2 ? "en-US" : "zh-CN");
      selection = drs_window_get_selection (f->window);
      vadj = gtk_scrolled_window_get_vadjustment (drs_window_get_scroller (f->window));
      DRS_TEST_SPIN_UNTIL (fabs (gtk_adjustment_get_value (vadj) - scroll) < 1.0, WAIT_MS);

      /* The same objects, in the same store; the same selected task; the same place. */
      g_assert_cmpuint (g_list_model_get_n_items (store), ==, n);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr (GObject) item = g_list_model_get_item (store, i);
          g_assert_true (item == before->pdata[i]);
        }
      g_assert_true (drs_window_get_selected_job (f->window) == selected);
      g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (vadj), scroll, 1.0);
      /* The same sort. */
      {
        g_autofree char *shown = shown_order (f);
        g_assert_cmpstr (shown, ==, order);
      }
    }
}

/* The refresh button's spinner (bound in the template to the monitor's "refreshing"). */
static GtkSpinner *
find_spinner (GtkWidget *widget)
{
  if (GTK_IS_SPINNER (widget))
    return GTK_SPINNER (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkSpinner *spinner = find_spinner (child);
      if (spinner != NULL)
        return spinner;
    }
  return NULL;
}

static void
test_switch_during_refresh (Fixture *f, gconstpointer data)
{
  DrsSimulator *sim = drs_application_get_simulator (f->app);
  DrsSimFaults  faults = { .latency_ms = 300 };
  DrsMonitor   *monitor = drs_session_get_monitor (drs_application_get_session (f->app));
  guint         before = f->changed;

  /* Slow answers keep a refresh in flight while the language flips back and forth. */
  drs_simulator_set_faults (sim, &faults);
  drs_monitor_refresh_now (monitor);
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_refreshing (monitor), WAIT_MS);
  g_assert_true (gtk_spinner_get_spinning (find_spinner (GTK_WIDGET (f->window))));
  for (guint i = 0; i < 6; i++)
    {
      g_settings_set_string (f->settings, "language", i % 2 ? "en-US" : "zh-CN");
      g_main_context_iteration (NULL, FALSE);
    }
  /* A window built while DRS is asked shows it too, and stops when the answer is in. */
  f->window = drs_test_switch_language (f->app, "en-US");
  if (drs_monitor_get_refreshing (monitor))
    g_assert_true (gtk_spinner_get_spinning (find_spinner (GTK_WIDGET (f->window))));
  DRS_TEST_SPIN_UNTIL (!drs_monitor_get_refreshing (monitor), WAIT_MS);
  g_assert_false (gtk_spinner_get_spinning (find_spinner (GTK_WIDGET (f->window))));
  DRS_TEST_SPIN_UNTIL (f->changed > before, WAIT_MS);
  drs_simulator_set_faults (sim, NULL);

  /* The next request carries the language in force. */
  wait_for_refresh (f);
  g_assert_cmpstr (drs_simulator_get_last_language (sim), ==, "en-us");
  g_settings_set_string (f->settings, "language", "zh-CN");
  wait_for_refresh (f);
  g_assert_cmpstr (drs_simulator_get_last_language (sim), ==, "zh-cn");
}

/* The combo row titled "Language" (the account form has combo rows too). */
static AdwComboRow *
find_combo_row (GtkWidget *widget)
{
  if (ADW_IS_COMBO_ROW (widget) &&
      GTK_IS_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (widget))) &&
      g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (widget))) == 3 &&
      g_strcmp0 (gtk_string_list_get_string (
                     GTK_STRING_LIST (adw_combo_row_get_model (ADW_COMBO_ROW (widget))), 2),
                 "简体中文") == 0)
    return ADW_COMBO_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwComboRow *row = find_combo_row (child);
      if (row != NULL)
        return row;
    }
  return NULL;
}

/* The preferences window open now. */
static DrsPreferences *
find_preferences (Fixture *f)
{
  DrsPreferences *preferences = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l; l = l->next)
    if (DRS_IS_PREFERENCES (l->data))
      {
        g_assert_null (preferences);
        preferences = l->data;
      }
  g_assert_nonnull (preferences);
  return preferences;
}

static void
count_writes (guint *writes)
{
  (*writes)++;
}

/* The row in the preferences: each language named in itself, and choosing one switches. The
 * preferences are built again in the new language, on the page they showed, with the account
 * form and what is typed in it; only the user's choice writes the setting. */
static void
test_preferences_row (Fixture *f, gconstpointer data)
{
  DrsPreferences  *preferences, *old;
  AdwComboRow     *row;
  GListModel      *model;
  g_autofree char *choice = NULL;
  guint            base = drs_application_get_n_relabels (f->app);
  guint            writes = 0;

  if (!drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  drs_test_use_language ("en_US");
  g_signal_connect_swapped (f->settings, "changed::language", G_CALLBACK (count_writes), &writes);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  preferences = find_preferences (f);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "monitoring");
  gtk_window_present (GTK_WINDOW (preferences));
  DRS_TEST_SPIN_UNTIL (gtk_window_is_active (GTK_WINDOW (preferences)), WAIT_MS);
  row = find_combo_row (GTK_WIDGET (preferences));
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Language");
  model = adw_combo_row_get_model (row);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "English");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 2), ==, "简体中文");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);
  g_assert_true (shows (GTK_WIDGET (preferences), "Refresh interval"));

  /* The user's choice is the one write; the pass that follows writes nothing. */
  adw_combo_row_set_selected (row, 2);
  choice = g_settings_get_string (f->settings, "language");
  g_assert_cmpstr (choice, ==, "zh-CN");
  g_assert_cmpuint (writes, ==, 1);
  g_assert_cmpstr (drs_i18n_get_language (), ==, "zh-CN");
  old = preferences;
  g_object_add_weak_pointer (G_OBJECT (old), (gpointer *) &old);
  DRS_TEST_SPIN_UNTIL (drs_application_get_n_relabels (f->app) == base + 1, WAIT_MS);
  g_assert_null (old);
  preferences = find_preferences (f);
  drs_test_wait_frames (GTK_WIDGET (preferences), 2);
  g_assert_cmpuint (writes, ==, 1);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (preferences)) ==
                 GTK_WINDOW (drs_test_main_window (f->app)));
  /* In front, as the old one was. */
  DRS_TEST_SPIN_UNTIL (gtk_window_is_active (GTK_WINDOW (preferences)), WAIT_MS);
  g_assert_cmpstr (
      adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)), ==,
      "monitoring");
  row = find_combo_row (GTK_WIDGET (preferences));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "语言");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 2);
  g_assert_true (shows (GTK_WIDGET (preferences), "刷新间隔"));
  g_assert_false (shows (GTK_WIDGET (preferences), "Refresh interval"));

  /* A new account half typed in, secret included, survives the switch back. */
  drs_preferences_edit_account (preferences, NULL);
  drs_preferences_set_field (preferences, "name", "typed-acme");
  drs_preferences_set_field (preferences, "auth", "token");
  drs_preferences_set_field (preferences, "token", "typed-token");
  g_assert_true (shows (GTK_WIDGET (preferences), "新建账号"));
  drs_test_wait_frames (GTK_WIDGET (preferences), 30);
  drs_test_save_screenshot (GTK_WIDGET (preferences), "language-preferences-form-zh_CN.png");
  adw_combo_row_set_selected (row, 1);
  g_assert_cmpuint (writes, ==, 2);
  DRS_TEST_SPIN_UNTIL (drs_application_get_n_relabels (f->app) == base + 2, WAIT_MS);
  preferences = find_preferences (f);
  drs_test_wait_frames (GTK_WIDGET (preferences), 2);
  g_assert_cmpuint (writes, ==, 2);
  g_assert_true (drs_preferences_get_editing (preferences));
  g_assert_cmpstr (drs_preferences_get_field (preferences, "name"), ==, "typed-acme");
  g_assert_cmpstr (drs_preferences_get_field (preferences, "token"), ==, "typed-token");
  g_assert_true (shows (GTK_WIDGET (preferences), "New Account"));
  g_assert_false (shows (GTK_WIDGET (preferences), "新建账号"));
  drs_test_wait_frames (GTK_WIDGET (preferences), 30);
  drs_test_save_screenshot (GTK_WIDGET (preferences), "language-preferences-form-rebuilt-en.png");
  /* Back from the form: the page it was opened from. */
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (preferences));
  DRS_TEST_SPIN_UNTIL (!drs_preferences_get_editing (preferences), WAIT_MS);
  g_assert_cmpstr (
      adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)), ==,
      "monitoring");
  g_assert_true (shows (GTK_WIDGET (preferences), "Refresh interval"));
  g_signal_handlers_disconnect_by_data (f->settings, &writes);
  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* The language row of the preferences window open now, found by its choices in any language. */
static AdwComboRow *
open_language_row (Fixture *f, GtkWindow **preferences)
{
  AdwComboRow *row = NULL;

  *preferences = NULL;
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l; l = l->next)
    if (ADW_IS_PREFERENCES_WINDOW (l->data))
      *preferences = l->data;
  g_assert_nonnull (*preferences);
  drs_test_wait_frames (GTK_WIDGET (*preferences), 1);
  row = find_combo_row (GTK_WIDGET (*preferences));
  g_assert_nonnull (row);
  return row;
}

/* Open the preferences, choose a language, close them, open them again, choose the other one:
 * twice. Each choice relabels once, nothing writes the setting back, and the window keeps
 * refreshing. (Closed preferences windows used to keep their row bound to the setting, and two
 * rows relabelling each other switched the language back and forth for ever.) */
static void
test_preferences_reopened (Fixture *f, gconstpointer data)
{
  const char *const order[] = { "zh-CN", "en-US", "zh-CN", "en-US" };
  guint             base = drs_application_get_n_relabels (f->app);
#define relabels (drs_application_get_n_relabels (f->app) - base)
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      GtkWindow       *preferences;
      AdwComboRow     *row = open_language_row (f, &preferences);
      g_autofree char *choice = NULL;
      gint64           start = g_get_monotonic_time ();

      g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
      adw_combo_row_set_selected (row, g_str_equal (order[i], "zh-CN") ? 2 : 1);
      /* The switch returns promptly; the windows relabel once, from the main loop. */
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
      g_assert_cmpstr (drs_i18n_get_language (), ==, order[i]);
      g_assert_cmpuint (relabels, ==, i);
      DRS_TEST_SPIN_UNTIL (relabels == i + 1, WAIT_MS);
      f->window = drs_test_main_window (f->app);
      drs_test_wait_frames (GTK_WIDGET (f->window), 2);
      g_assert_cmpuint (relabels, ==, i + 1);
      /* Built again in the language chosen; the old one is gone. */
      g_assert_null (preferences);
      preferences = GTK_WINDOW (find_preferences (f));
      g_object_add_weak_pointer (G_OBJECT (preferences), (gpointer *) &preferences);
      g_assert_cmpuint (adw_combo_row_get_selected (find_combo_row (GTK_WIDGET (preferences))), ==,
                        g_str_equal (order[i], "zh-CN") ? 2 : 1);
      gtk_window_close (preferences);
      DRS_TEST_SPIN_UNTIL (preferences == NULL, WAIT_MS);
      drs_test_wait_frames (GTK_WIDGET (f->window), 2);
      choice = g_settings_get_string (f->settings, "language");
      g_assert_cmpstr (choice, ==, order[i]);
    }
  /* Nothing flips the language back afterwards, and the window refreshes. */
  wait_for_refresh (f);
  wait_for_refresh (f);
  g_assert_cmpuint (relabels, ==, G_N_ELEMENTS (order));
  g_assert_cmpstr (drs_i18n_get_language (), ==, "en-US");
  g_assert_true (shows (GTK_WIDGET (f->window), "Status"));
#undef relabels
}

/* A confirmation open when the language switches is asked again in the new one, for the same
 * tasks and with the same choice. */
static void
test_confirmation_follows (Fixture *f, gconstpointer data)
{
  GListModel        *rows = G_LIST_MODEL (drs_window_get_selection (f->window));
  DrsActionDialog   *dialog;
  g_autofree char   *id = NULL;
  g_autofree char   *heading = NULL;
  const char *const *ids;

  if (!drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  drs_test_use_language ("en_US");
  for (guint i = 0; i < g_list_model_get_n_items (rows) && id == NULL; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (rows, i);

      if (drs_job_get_status_class (job) == DRS_STATUS_CLASS_RUNNING)
        {
          id = g_strdup (drs_job_get_id (job));
          gtk_selection_model_select_item (drs_window_get_selection (f->window), i, TRUE);
        }
    }
  g_assert_nonnull (id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "task.pause", NULL));
  dialog = drs_task_actions_get_dialog (drs_window_get_task_actions (f->window));
  g_assert_nonnull (dialog);
  drs_action_dialog_set_pause_mode (dialog, DRS_PAUSE_MODE_ALL);
  heading = g_strdup (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)));

  f->window = drs_test_switch_language (f->app, "zh-CN");
  dialog = drs_task_actions_get_dialog (drs_window_get_task_actions (f->window));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->window));
  g_assert_cmpint (drs_action_dialog_get_action (dialog), ==, DRS_TASK_ACTION_PAUSE);
  ids = drs_action_dialog_get_job_ids (dialog);
  g_assert_cmpuint (g_strv_length ((char **) ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, id);
  g_assert_cmpint (drs_action_dialog_get_pause_mode (dialog), ==, DRS_PAUSE_MODE_ALL);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), !=, heading);
  /* Only one confirmation, the new one. */
  {
    guint n = 0;

    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l; l = l->next)
      n += DRS_IS_ACTION_DIALOG (l->data);
    g_assert_cmpuint (n, <=, 1);
  }
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
}

/* The one toplevel of @type, if there is one. */
static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow  *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type) &&
          gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        {
          g_assert_null (found);
          found = toplevel;
        }
    }
  return found;
}

/* The About window, built in code, is opened again in the new language; the shortcuts window,
 * built with the main window, is shown again from the new one. */
static void
test_other_windows (Fixture *f, gconstpointer data)
{
  GtkWindow *about, *shortcuts;

  if (!drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  drs_test_use_language ("en_US");
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "about", NULL);
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-help-overlay", NULL));
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (about);
  g_assert_nonnull (shortcuts);
  g_assert_true (g_str_has_prefix (adw_about_window_get_comments (ADW_ABOUT_WINDOW (about)),
                                   "Watch Huawei Cloud"));
  g_assert_true (shows (GTK_WIDGET (shortcuts), "Refresh now"));
  g_object_add_weak_pointer (G_OBJECT (about), (gpointer *) &about);

  f->window = drs_test_switch_language (f->app, "zh-CN");
  g_assert_null (about);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_comments (ADW_ABOUT_WINDOW (about)), ==,
                   "监控华为云DRS的迁移、同步和灾备任务");
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (f->window));
  shortcuts = find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  g_assert_true (shortcuts == GTK_WINDOW (gtk_application_window_get_help_overlay (
                                  GTK_APPLICATION_WINDOW (f->window))));
  g_assert_true (shows (GTK_WIDGET (shortcuts), "立即刷新"));
  gtk_window_destroy (about);
  gtk_window_close (shortcuts);
}

/* With LC_ALL=C, the app still reads its catalogs through a UTF-8 locale. */
static void
test_c_locale_fallback (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("LC_ALL", "C", TRUE);
      g_unsetenv ("LANGUAGE");
      g_unsetenv ("LANG");
      drs_i18n_init ();
      g_assert_nonnull (strstr (setlocale (LC_CTYPE, NULL), "UTF-8"));
      g_assert_cmpstr (drs_i18n_get_language (), ==, "en-US");
      g_assert_true (drs_i18n_apply ("zh-CN"));
      g_assert_cmpstr (_ ("Running"), ==, "运行中");
      g_assert_cmpstr (drs_i18n_get_x_language (), ==, "zh-cn");
      return;
    }
  /* gettext needs some UTF-8 locale other than C to read LANGUAGE (newer C libraries count
   * C.UTF-8 as C). */
  if (!drs_test_use_language ("zh_CN") && !drs_test_use_language ("en_US"))
    {
      g_test_skip ("Neither zh_CN.UTF-8 nor en_US.UTF-8 is installed");
      return;
    }
  drs_test_use_language ("en_US");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;

  g_setenv ("DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  dir = drs_test_init_gui (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add ("/language/header-follows", Fixture, NULL, fixture_setup, test_header_follows,
              fixture_teardown);
  g_test_add ("/language/texts-follow", Fixture, NULL, fixture_setup, test_texts_follow,
              fixture_teardown);
  g_test_add ("/language/nothing-else-moves", Fixture, NULL, fixture_setup, test_nothing_else_moves,
              fixture_teardown);
  g_test_add ("/language/switch-during-refresh", Fixture, NULL, fixture_setup,
              test_switch_during_refresh, fixture_teardown);
  g_test_add ("/language/preferences-row", Fixture, NULL, fixture_setup, test_preferences_row,
              fixture_teardown);
  g_test_add ("/language/preferences-reopened", Fixture, NULL, fixture_setup,
              test_preferences_reopened, fixture_teardown);
  g_test_add ("/language/other-windows", Fixture, NULL, fixture_setup, test_other_windows,
              fixture_teardown);
  g_test_add ("/language/confirmation-follows", Fixture, NULL, fixture_setup,
              test_confirmation_follows, fixture_teardown);
  g_test_add_func ("/language/c-locale-fallback", test_c_locale_fallback);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a new user meets in the first hour, at the window sizes people use and in both languages:
 * the delay on screen, a table that opens at the top, the details pane out of the way, outages
 * that show, tasks the server does not know, and the keyboard. Under Xvfb and a D-Bus session,
 * against the in-process simulator. */
#include "config.h"

#include <glib/gi18n.h>

#include "drs-application.h"
#include "drs-details.h"
#include "drs-job-columns.h"
#include "drs-i18n.h"
#include "drs-simulator.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 60000

typedef struct
{
  int         width, height;
  const char *language; /* "en-US" or "zh-CN" */
} Size;

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
open_window (Fixture *f, const Size *size)
{
  f->app = drs_test_app_new ("FirstHour");
  f->settings = drs_test_get_settings ();
  g_settings_set_string (f->settings, "language", size ? size->language : "en-US");
  g_settings_set_int (f->settings, "window-width", size ? size->width : 1400);
  g_settings_set_int (f->settings, "window-height", size ? size->height : 800);
  g_settings_set_uint (f->settings, "request-budget", 1200);
  f->window = drs_test_app_activate (f->app);
  g_signal_connect (drs_session_get_store (drs_application_get_session (f->app)), "applied",
                    G_CALLBACK (on_applied), f);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "demo", NULL);
  DRS_TEST_SPIN_UNTIL (drs_test_all_polled (f->app, 30), WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (f->window), 3);
}

static void
close_window (Fixture *f)
{
  if (f->window != NULL)
    f->window = drs_test_switch_language (f->app, "en-US");
  g_signal_handlers_disconnect_by_data (
      drs_session_get_store (drs_application_get_session (f->app)), f);
  if (f->window != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
      gtk_window_destroy (GTK_WINDOW (f->window));
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->window);
  g_clear_object (&f->app);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  open_window (f, data);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  close_window (f);
}

static void
wait_for_refresh (Fixture *f)
{
  guint before = f->changed;

  drs_monitor_refresh_now (drs_session_get_monitor (drs_application_get_session (f->app)));
  DRS_TEST_SPIN_UNTIL (f->changed > before, WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (f->window), 2);
}

/* The mapped cells of one column (cells are named after their column). */
static void
collect_cells (GtkWidget *widget, const char *column, GPtrArray *cells)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), column) == 0 && gtk_widget_get_mapped (widget))
    {
      g_ptr_array_add (cells, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cells (child, column, cells);
}

static GPtrArray *
cells_of (Fixture *f, const char *column)
{
  GPtrArray *cells = g_ptr_array_new ();

  collect_cells (GTK_WIDGET (drs_window_get_column_view (f->window)), column, cells);
  return cells;
}

/* The first text in a cell: an inscription, or a label. */
static const char *
cell_text (GtkWidget *widget)
{
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = cell_text (child);

      if (text != NULL)
        return text;
    }
  return NULL;
}

/* Is all of @widget inside the table's viewport, horizontally? */
static gboolean
fully_visible (Fixture *f, GtkWidget *widget)
{
  GtkWidget      *scroller = GTK_WIDGET (drs_window_get_scroller (f->window));
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, scroller, &bounds));
  return bounds.origin.x >= 0 &&
         bounds.origin.x + bounds.size.width <= gtk_widget_get_width (scroller);
}

/* 2. The key number is on screen --------------------------------------------------------- */

static void
test_delay_on_screen (Fixture *f, gconstpointer data)
{
  const Size       *size = data;
  const char *const essential[] = { "name", "status", "delay", "progress" };
  g_autofree char  *shot =
      g_strdup_printf ("first-hour-%dx%d-%s.png", size->width, size->height, size->language);

  drs_test_save_screenshot (GTK_WIDGET (f->window), shot);
  /* Nothing is selected: the table has the whole width. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (drs_window_get_details (f->window))));
  for (guint c = 0; c < G_N_ELEMENTS (essential); c++)
    {
      g_autoptr (GPtrArray) cells = cells_of (f, essential[c]);

      g_assert_cmpuint (cells->len, >, 5);
      for (guint i = 0; i < cells->len; i++)
        if (!fully_visible (f, cells->pdata[i]))
          g_error ("At %d×%d the %s column is not on screen", size->width, size->height,
                   essential[c]);
    }
}

/* The window can be made as narrow as 800 px, and the essential columns still show. */
static void
test_narrow_window (Fixture *f, gconstpointer data)
{
  const char *const essential[] = { "name", "status", "delay", "progress" };
  int               min_width;

  gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                      NULL, NULL);
  g_assert_cmpint (min_width, <=, 800);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 800, 700);
  DRS_TEST_SPIN_UNTIL (gtk_widget_get_width (GTK_WIDGET (f->window)) <= 800, WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (f->window), 3);
  drs_test_save_screenshot (GTK_WIDGET (f->window), "first-hour-800.png");
  for (guint c = 0; c < G_N_ELEMENTS (essential); c++)
    {
      g_autoptr (GPtrArray) cells = cells_of (f, essential[c]);

      g_assert_cmpuint (cells->len, >, 5);
      g_assert_true (fully_visible (f, cells->pdata[0]));
    }
}

/* A highlighted delay is never cut short, in either language. */
static void
test_delay_whole (Fixture *f, gconstpointer data)
{
  guint highlighted = 0;

  g_settings_set_uint (f->settings, "delay-threshold", 1);
  drs_test_wait_frames (GTK_WIDGET (f->window), 2);
  {
    g_autoptr (GPtrArray) cells = cells_of (f, "delay");

    for (guint i = 0; i < cells->len; i++)
      {
        GtkWidget   *cell = cells->pdata[i];
        const char  *text = cell_text (cell);
        PangoLayout *layout;
        int          width;

        if (!gtk_widget_has_css_class (cell, "delay-high"))
          continue;
        highlighted++;
        layout = gtk_widget_create_pango_layout (cell, text);
        pango_layout_get_pixel_size (layout, &width, NULL);
        g_object_unref (layout);
        if (width > gtk_widget_get_width (cell))
          g_error ("“%s” needs %d px and has %d", text, width, gtk_widget_get_width (cell));
      }
  }
  g_assert_cmpuint (highlighted, >, 0);
}

static gboolean
delay_known (DrsJob *job)
{
  return drs_job_get_delay_ms (job) >= 0;
}

/* Sorting by delay, either way, puts the tasks without a delay last. */
static void
test_unknown_sorts_last (Fixture *f, gconstpointer data)
{
  GtkColumnView       *view = drs_window_get_column_view (f->window);
  GtkColumnViewColumn *column =
      drs_job_columns_get_column (drs_window_get_columns (f->window), "delay");
  GListModel       *rows = G_LIST_MODEL (drs_window_get_selection (f->window));
  const GtkSortType directions[] = { GTK_SORT_DESCENDING, GTK_SORT_ASCENDING };

  for (guint d = 0; d < G_N_ELEMENTS (directions); d++)
    {
      gboolean seen_unknown = FALSE;
      guint    n_known = 0;

      gtk_column_view_sort_by_column (view, column, directions[d]);
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr (DrsJob) job = g_list_model_get_item (rows, i);

          if (!delay_known (job))
            seen_unknown = TRUE;
          else
            {
              g_assert_false (seen_unknown);
              n_known++;
            }
        }
      g_assert_true (seen_unknown);
      g_assert_cmpuint (n_known, >, 2);
      /* And the known ones in the asked order. */
      {
        g_autoptr (DrsJob) first = g_list_model_get_item (rows, 0);
        g_autoptr (DrsJob) last = g_list_model_get_item (rows, n_known - 1);

        if (directions[d] == GTK_SORT_DESCENDING)
          g_assert_cmpint (drs_job_get_delay_ms (first), >=, drs_job_get_delay_ms (last));
        else
          g_assert_cmpint (drs_job_get_delay_ms (first), <=, drs_job_get_delay_ms (last));
      }
    }
}

/* The table opens at the top, where the failed tasks are, while the first answers sort the rows
 * and through the refreshes after. */
static void
on_applied_at_top (DrsJobStore *store, guint n_changed, Fixture *f)
{
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (drs_window_get_scroller (f->window));

  drs_test_wait_frames (GTK_WIDGET (f->window), 2);
  if (gtk_adjustment_get_value (vadj) >= 1.0)
    g_error ("The table scrolled to %.0f px while the rows were sorted",
             gtk_adjustment_get_value (vadj));
}

static void
test_opens_at_top (void)
{
  Fixture     f = { 0 };
  const Size *size = &(Size){ 1024, 768, "en-US" };
  GListModel *rows;

  f.app = drs_test_app_new ("FirstHourTop");
  f.settings = drs_test_get_settings ();
  g_settings_set_int (f.settings, "window-width", size->width);
  g_settings_set_int (f.settings, "window-height", size->height);
  f.window = drs_test_app_activate (f.app);
  drs_test_wait_frames (GTK_WIDGET (f.window), 2);
  g_signal_connect (drs_session_get_store (drs_application_get_session (f.app)), "applied",
                    G_CALLBACK (on_applied), &f);
  g_signal_connect_after (drs_session_get_store (drs_application_get_session (f.app)), "applied",
                          G_CALLBACK (on_applied_at_top), &f);
  g_action_group_activate_action (G_ACTION_GROUP (f.app), "demo", NULL);
  DRS_TEST_SPIN_UNTIL (drs_test_all_polled (f.app, 30), WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (f.window), 3);
  rows = G_LIST_MODEL (drs_window_get_selection (f.window));
  {
    g_autoptr (DrsJob) first = g_list_model_get_item (rows, 0);
    g_assert_cmpint (drs_job_get_status_class (first), ==, DRS_STATUS_CLASS_FAILED);
  }
  for (guint round = 0; round < 2; round++)
    wait_for_refresh (&f);
  close_window (&f);
}

/* The details pane shows for a selected task only, and its toggle is remembered. */
static void
test_details_pane (Fixture *f, gconstpointer data)
{
  GtkPaned *paned = GTK_PANED (
      gtk_widget_get_ancestor (GTK_WIDGET (drs_window_get_scroller (f->window)), GTK_TYPE_PANED));
  GtkSelectionModel *selection = drs_window_get_selection (f->window);
  GtkWidget         *details;

  /* Nothing selected: the pane is not even built (the window's first frame does not wait for
   * it). Selecting a task builds it, beside the table, showing that task. */
  g_assert_null (gtk_paned_get_end_child (paned));
  gtk_selection_model_select_item (selection, 2, TRUE);
  details = gtk_paned_get_end_child (paned);
  g_assert_true (DRS_IS_DETAILS (details));
  g_assert_true (details == GTK_WIDGET (drs_window_get_details (f->window)));
  g_assert_true (gtk_widget_get_visible (details));
  g_assert_true (drs_details_get_job (DRS_DETAILS (details)) ==
                 drs_window_get_selected_job (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-details", NULL));
  g_assert_false (gtk_widget_get_visible (details));
  g_assert_false (g_settings_get_boolean (f->settings, "show-details"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-details", NULL));
  g_assert_true (gtk_widget_get_visible (details));
  g_assert_true (g_settings_get_boolean (f->settings, "show-details"));
  gtk_selection_model_unselect_all (selection);
  g_assert_false (gtk_widget_get_visible (details));
  gtk_selection_model_select_item (selection, 3, TRUE);
  g_assert_true (gtk_paned_get_end_child (paned) == details);
  g_assert_true (gtk_widget_get_visible (details));
}

/* 3. An outage is obvious ------------------------------------------------------------------- */

static void
test_outage (Fixture *f, gconstpointer data)
{
  DrsSimulator *sim = drs_application_get_simulator (f->app);
  DrsMonitor   *monitor = drs_session_get_monitor (drs_application_get_session (f->app));
  DrsSimFaults  faults = { .error_status = 503, .error_rate = 1.0 };
  gint64        success = drs_monitor_get_last_success (monitor);
  gint64        attempt = drs_monitor_get_last_refresh (monitor);
  g_autoptr (GPtrArray) cells = NULL;

  g_assert_null (drs_window_get_banner_text (f->window));
  drs_simulator_set_faults (sim, &faults);
  drs_monitor_refresh_now (monitor);
  DRS_TEST_SPIN_UNTIL (drs_window_get_banner_text (f->window) != NULL, WAIT_MS);
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_last_refresh (monitor) > attempt, WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (f->window), 2);
  drs_test_save_screenshot (GTK_WIDGET (f->window), "first-hour-outage.png");
  g_test_message ("banner: %s", drs_window_get_banner_text (f->window));
  g_assert_nonnull (strstr (drs_window_get_banner_text (f->window), "APIGW.0613"));
  /* "Updated …" counts from the last answer, not the last attempt. */
  g_assert_cmpint (drs_monitor_get_last_success (monitor), ==, success);
  /* Stale rows are dimmed, and say why. */
  cells = cells_of (f, "name");
  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget       *cell = cells->pdata[i];
      g_autofree char *tip = drs_job_columns_dup_cell_tooltip (cell);

      g_assert_true (gtk_widget_has_css_class (cell, "stale-row"));
      g_assert_nonnull (strstr (tip, "APIGW.0613"));
    }

  /* Back: Retry brings the rows back and the banner goes. */
  drs_simulator_set_faults (sim, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.refresh", NULL));
  DRS_TEST_SPIN_UNTIL (drs_window_get_banner_text (f->window) == NULL, WAIT_MS);
  g_assert_cmpint (drs_monitor_get_last_success (monitor), >, success);
}

/* 5. A task the server does not know -------------------------------------------------------- */

static void
test_not_found (Fixture *f, gconstpointer data)
{
  DrsJobStore *store = drs_session_get_store (drs_application_get_session (f->app));
  const char  *id = "0c0ffee0-0000-4000-8000-00000000jb99";
  const char  *ids[] = { id, NULL };
  DrsJob      *job;
  guint        sum = 0;

  drs_session_add_jobs (drs_application_get_session (f->app), DRS_DEMO_ACCOUNT, ids, NULL);
  job = drs_job_store_lookup (store, id);
  g_assert_nonnull (job);
  DRS_TEST_SPIN_UNTIL (drs_job_get_error_code (job) != NULL, WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (f->window), 2);
  g_assert_cmpstr (drs_job_get_status_label (job), ==, "Not found");
  g_assert_cmpint (drs_job_get_status_class (job), ==, DRS_STATUS_CLASS_UNKNOWN);
  /* Counted, filterable, and the counts add up to All. */
  g_assert_cmpuint (drs_window_get_class_count (f->window, DRS_STATUS_CLASS_UNKNOWN), >=, 1);
  for (int c = DRS_STATUS_CLASS_UNKNOWN; c <= DRS_STATUS_CLASS_FAILED; c++)
    sum += drs_window_get_class_count (f->window, c);
  g_assert_cmpuint (sum, ==, drs_window_get_class_count (f->window, DRS_WINDOW_FILTER_ALL));
  drs_window_set_status_filter (f->window, DRS_STATUS_CLASS_UNKNOWN);
  g_assert_true (drs_window_select_job (f->window, id));
  /* Its status icon is one the theme has. */
  {
    GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());

    g_assert_true (
        gtk_icon_theme_has_icon (theme, drs_status_class_get_icon_name (DRS_STATUS_CLASS_UNKNOWN)));
  }
  drs_window_set_status_filter (f->window, DRS_WINDOW_FILTER_ALL);
}

/* A task whose name is not known yet is as tall as the others. */
static void
test_rows_equal_height (Fixture *f, gconstpointer data)
{
  const char *id = "0c0ffee0-0000-4000-8000-00000000jb98";
  const char *ids[] = { id, NULL };
  g_autoptr (GPtrArray) cells = NULL;
  int height = -1;

  drs_session_add_jobs (drs_application_get_session (f->app), DRS_DEMO_ACCOUNT, ids, NULL);
  g_assert_true (drs_window_select_job (f->window, id));
  drs_test_wait_frames (GTK_WIDGET (f->window), 3);
  /* The details title does not split the id over two lines: the id has its own. */
  g_assert_cmpstr (drs_details_get_field (drs_window_get_details (f->window), "name"), !=, id);
  g_assert_cmpstr (drs_details_get_field (drs_window_get_details (f->window), "id"), ==, id);
  cells = cells_of (f, "name");
  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *row = gtk_widget_get_parent (cells->pdata[i]);

      if (height < 0)
        height = gtk_widget_get_height (row);
      g_assert_cmpint (gtk_widget_get_height (row), ==, height);
    }
}

/* A pasted task takes its name from the project's job list. */
static void
test_pasted_name (Fixture *f, gconstpointer data)
{
  DrsJobStore *store = drs_session_get_store (drs_application_get_session (f->app));
  g_autoptr (DrsJob) first = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_autofree char *id = g_strdup (drs_job_get_id (first));
  g_autofree char *name = g_strdup (drs_job_get_name (first));
  const char      *ids[] = { id, NULL };
  DrsJob          *job;

  g_assert_nonnull (name);
  drs_session_remove_job (drs_application_get_session (f->app), id);
  g_assert_cmpuint (
      drs_session_add_jobs (drs_application_get_session (f->app), DRS_DEMO_ACCOUNT, ids, NULL), ==,
      1);
  job = drs_job_store_lookup (store, id);
  g_assert_null (drs_job_get_name (job));
  DRS_TEST_SPIN_UNTIL (drs_job_get_name (job) != NULL, WAIT_MS);
  g_assert_cmpstr (drs_job_get_name (job), ==, name);
}

/* The server's messages already shown follow a language switch without Ctrl+R. */
static void
test_messages_follow_language (Fixture *f, gconstpointer data)
{
  GListModel   *store = G_LIST_MODEL (drs_session_get_store (drs_application_get_session (f->app)));
  DrsSimulator *sim = drs_application_get_simulator (f->app);
  DrsJob       *failed = NULL;
  g_autofree char *before = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (store) && failed == NULL; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);

      if (drs_job_get_status_class (job) == DRS_STATUS_CLASS_FAILED &&
          drs_job_get_error_message (job) != NULL)
        failed = job;
    }
  g_assert_nonnull (failed);
  before = g_strdup (drs_job_get_error_message (failed));
  f->window = drs_test_switch_language (f->app, "zh-CN");
  DRS_TEST_SPIN_UNTIL (g_strcmp0 (drs_job_get_error_message (failed), before) != 0, WAIT_MS);
  g_assert_cmpstr (drs_simulator_get_last_language (sim), ==, "zh-cn");
}

/* 6. Empty states, keyboard -------------------------------------------------------------------- */

static void
test_no_results (Fixture *f, gconstpointer data)
{
  GtkEditable *entry = GTK_EDITABLE (drs_window_get_search_entry (f->window));
  GtkStack    *stack;

  gtk_editable_set_text (entry, "no task is called this");
  DRS_TEST_SPIN_UNTIL (
      g_list_model_get_n_items (G_LIST_MODEL (drs_window_get_selection (f->window))) == 0, WAIT_MS);
  stack = GTK_STACK (
      gtk_widget_get_ancestor (GTK_WIDGET (drs_window_get_scroller (f->window)), GTK_TYPE_STACK));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "no-results");
  gtk_editable_set_text (entry, "");
  DRS_TEST_SPIN_UNTIL (
      g_list_model_get_n_items (G_LIST_MODEL (drs_window_get_selection (f->window))) > 0, WAIT_MS);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "rows");
}

/* Every shortcut of the shortcuts window names its keys. */
static void
check_shortcuts (GtkWidget *widget, guint *n)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accel = NULL, *action = NULL, *title = NULL;

      g_object_get (widget, "accelerator", &accel, "action-name", &action, "title", &title, NULL);
      if ((accel == NULL || *accel == '\0') && action != NULL)
        {
          GtkApplication *app = GTK_APPLICATION (g_application_get_default ());
          g_auto (GStrv) accels = gtk_application_get_accels_for_action (app, action);

          g_assert_true (accels != NULL && accels[0] != NULL);
        }
      else
        g_assert_true (accel != NULL && *accel != '\0');
      (*n)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_shortcuts (child, n);
}

static void
test_shortcuts (Fixture *f, gconstpointer data)
{
  GtkShortcutsWindow *overlay;
  guint               n = 0;

  /* Built when first asked for, not with the window; then shown again, not built again. */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window)));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-help-overlay", NULL));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window));
  g_assert_nonnull (overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (f->window));
  gtk_window_close (GTK_WINDOW (overlay));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-help-overlay", NULL));
  g_assert_true (overlay ==
                 gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->window)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_window_close (GTK_WINDOW (overlay));

  g_application_set_default (G_APPLICATION (f->app));
  check_shortcuts (GTK_WIDGET (overlay), &n);
  g_assert_cmpuint (n, >=, 10);
  g_application_set_default (NULL);

  /* Ctrl+W closes the window. */
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "window.close", NULL));
  DRS_TEST_SPIN_UNTIL (f->window == NULL, WAIT_MS);
}

static void
collect_labels (GtkWidget *widget, GString *out)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s|", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

/* What Tab (or Shift+Tab) does on @widget: the shortcut its capture-phase controller has. */
static gboolean
press_tab (GtkWidget *widget, GdkModifierType modifiers)
{
  GListModel *controllers = gtk_widget_observe_controllers (widget);
  gboolean    done = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !done; i++)
    {
      g_autoptr (GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller) ||
          gtk_event_controller_get_propagation_phase (controller) != GTK_PHASE_CAPTURE)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !done; j++)
        {
          g_autoptr (GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutTrigger *first =
              GTK_IS_ALTERNATIVE_TRIGGER (trigger)
                  ? gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger))
                  : trigger;

          guint keyval = GTK_IS_KEYVAL_TRIGGER (first)
                             ? gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (first))
                             : 0;

          if ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_ISO_Left_Tab) &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (first)) == modifiers)
            done = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  g_object_unref (controllers);
  return done;
}

/* The row's menu names the Delete key as it is, and Tab leaves the table in one step. */
static void
test_row_menu_and_tab (Fixture *f, gconstpointer data)
{
  GtkWidget *view = GTK_WIDGET (drs_window_get_column_view (f->window));
  GtkWidget *popover = NULL;
  g_autoptr (GString) labels = g_string_new (NULL);
  GtkWidget *focus;

  gtk_selection_model_select_item (drs_window_get_selection (f->window), 1, TRUE);
  for (GtkWidget *child = gtk_widget_get_first_child (view); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER_MENU (child))
      popover = child;
  g_assert_nonnull (popover);
  gtk_popover_popup (GTK_POPOVER (popover));
  drs_test_wait_frames (popover, 2);
  collect_labels (popover, labels);
  g_test_message ("row menu: %s", labels->str);
  gtk_popover_popdown (GTK_POPOVER (popover));
  g_assert_nonnull (strstr (labels->str, "Delete|"));
  g_assert_null (strstr (labels->str, "keypad"));

  /* Tab from a row goes to the details pane, not to the next cell or row; Shift+Tab to the
   * filter bar. */
  gtk_widget_grab_focus (view);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (focus == view || gtk_widget_is_ancestor (focus, view));
  g_assert_true (press_tab (view, 0));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (drs_window_get_details (f->window))));
  gtk_widget_grab_focus (view);
  g_assert_true (press_tab (view, GDK_SHIFT_MASK));
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (GTK_IS_TOGGLE_BUTTON (focus));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (focus)));
}

/* Header buttons look alike: flat. */
static void
check_flat (GtkWidget *widget, guint *n)
{
  if (GTK_IS_BUTTON (widget) && !GTK_IS_MENU_BUTTON (gtk_widget_get_parent (widget)) &&
      gtk_widget_get_ancestor (widget, GTK_TYPE_WINDOW_CONTROLS) == NULL)
    {
      if (!gtk_widget_has_css_class (widget, "flat") &&
          !gtk_widget_has_css_class (widget, "image-button"))
        g_error ("a raised header button: %s", G_OBJECT_TYPE_NAME (widget));
      (*n)++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_flat (child, n);
}

static void
test_header_and_cells (Fixture *f, gconstpointer data)
{
  GtkWidget *header = gtk_widget_get_first_child (gtk_widget_get_first_child (
      GTK_WIDGET (adw_application_window_get_content (ADW_APPLICATION_WINDOW (f->window)))));
  guint      n = 0;
  g_autoptr (GPtrArray) remaining = cells_of (f, "remaining");
  g_autoptr (GPtrArray) status = cells_of (f, "status");

  g_assert_true (ADW_IS_HEADER_BAR (header));
  check_flat (header, &n);
  g_assert_cmpuint (n, >=, 4);

  /* Failed and pending tasks have no remaining time. */
  for (guint i = 0; i < remaining->len && i < status->len; i++)
    {
      GtkWidget *row = gtk_widget_get_parent (remaining->pdata[i]);
      GtkWidget *status_cell = NULL;

      for (guint j = 0; j < status->len; j++)
        if (gtk_widget_get_parent (status->pdata[j]) == row)
          status_cell = status->pdata[j];
      if (status_cell != NULL && (gtk_widget_has_css_class (status_cell, "status-failed") ||
                                  gtk_widget_has_css_class (status_cell, "status-pending")))
        g_assert_cmpstr (cell_text (remaining->pdata[i]), ==, "—");
    }
}

int
main (int argc, char *argv[])
{
  static const Size sizes[] = {
    { 1400, 800, "en-US" }, { 1280, 800, "en-US" }, { 1024, 768, "en-US" },
    { 1400, 800, "zh-CN" }, { 1280, 800, "zh-CN" }, { 1024, 768, "zh-CN" },
  };
  g_autofree char *dir = NULL;
  gboolean         chinese;

  g_setenv ("DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  dir = drs_test_init_gui (&argc, &argv);
  gtk_init ();
  adw_init ();
  chinese = drs_test_use_language ("zh_CN");
  drs_test_use_language ("en_US");

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *path = NULL;

      if (g_str_equal (sizes[i].language, "zh-CN") && !chinese)
        continue;
      path = g_strdup_printf ("/first-hour/delay-on-screen/%dx%d/%s", sizes[i].width,
                              sizes[i].height, sizes[i].language);
      g_test_add (path, Fixture, &sizes[i], fixture_setup, test_delay_on_screen, fixture_teardown);
      g_free (path);
      path = g_strdup_printf ("/first-hour/delay-whole/%dx%d/%s", sizes[i].width, sizes[i].height,
                              sizes[i].language);
      g_test_add (path, Fixture, &sizes[i], fixture_setup, test_delay_whole, fixture_teardown);
    }
  g_test_add ("/first-hour/narrow-window", Fixture, &sizes[0], fixture_setup, test_narrow_window,
              fixture_teardown);
  g_test_add ("/first-hour/unknown-sorts-last", Fixture, NULL, fixture_setup,
              test_unknown_sorts_last, fixture_teardown);
  g_test_add_func ("/first-hour/opens-at-top", test_opens_at_top);
  g_test_add ("/first-hour/details-pane", Fixture, NULL, fixture_setup, test_details_pane,
              fixture_teardown);
  g_test_add ("/first-hour/outage", Fixture, NULL, fixture_setup, test_outage, fixture_teardown);
  g_test_add ("/first-hour/not-found", Fixture, NULL, fixture_setup, test_not_found,
              fixture_teardown);
  g_test_add ("/first-hour/rows-equal-height", Fixture, NULL, fixture_setup, test_rows_equal_height,
              fixture_teardown);
  g_test_add ("/first-hour/pasted-name", Fixture, NULL, fixture_setup, test_pasted_name,
              fixture_teardown);
  g_test_add ("/first-hour/messages-follow-language", Fixture, NULL, fixture_setup,
              test_messages_follow_language, fixture_teardown);
  g_test_add ("/first-hour/row-menu-and-tab", Fixture, NULL, fixture_setup, test_row_menu_and_tab,
              fixture_teardown);
  g_test_add ("/first-hour/no-results", Fixture, NULL, fixture_setup, test_no_results,
              fixture_teardown);
  g_test_add ("/first-hour/header-and-cells", Fixture, NULL, fixture_setup, test_header_and_cells,
              fixture_teardown);
  g_test_add ("/first-hour/shortcuts", Fixture, NULL, fixture_setup, test_shortcuts,
              fixture_teardown);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The main window against the in-process simulator, under Xvfb and a private D-Bus session. */
#include "config.h"

#include <glib/gi18n.h>

#include "drs-add-dialog.h"
#include "drs-application.h"
#include "drs-i18n.h"
#include "drs-simulator.h"
#include "drs-test-env.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define PROJECT_ID "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define WAIT_MS 60000

typedef struct
{
  DrsApplication *app;
  DrsWindow      *window;
  guint           applied;
  guint           changed;
} Fixture;

static void
on_applied (DrsJobStore *store, guint n_changed, Fixture *f)
{
  f->applied++;
  f->changed += n_changed;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->app = drs_test_app_new ("Window");
  f->window = drs_test_app_activate (f->app);
  /* Refreshes one after another: more than the default budget of 60 requests a minute. */
  g_settings_set_uint (drs_test_get_settings (), "request-budget", 1200);
  g_signal_connect (drs_session_get_store (drs_application_get_session (f->app)), "applied",
                    G_CALLBACK (on_applied), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_signal_handlers_disconnect_by_data (
      drs_session_get_store (drs_application_get_session (f->app)), f);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* The window, its models and cells are gone; the registered application lives on in GIO's
   * D-Bus export until the process ends, as it would after g_application_run(). */
  g_assert_null (f->window);
  g_object_unref (f->app);
}

static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (drs_window_get_selection (f->window)));
}

static DrsJob *
row (Fixture *f, guint i)
{
  DrsJob *job = g_list_model_get_item (G_LIST_MODEL (drs_window_get_selection (f->window)), i);
  g_object_unref (job); /* the store keeps it alive */
  return job;
}

static void
start_demo (Fixture *f)
{
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "demo", NULL);
  DRS_TEST_SPIN_UNTIL (drs_test_all_polled (f->app, 30), WAIT_MS);
  g_assert_cmpint (drs_window_get_page (f->window), ==, DRS_WINDOW_PAGE_TABLE);
  /* The rows are on screen: the table joins the view after the window's first frame. */
  drs_test_wait_frames (GTK_WIDGET (drs_window_get_column_view (f->window)), 2);
  g_assert_nonnull (gtk_column_view_get_model (drs_window_get_column_view (f->window)));
}

/* Waits for one more refresh that changed something. */
static void
wait_for_changing_refresh (Fixture *f)
{
  guint before = f->changed;

  drs_monitor_refresh_now (drs_session_get_monitor (drs_application_get_session (f->app)));
  DRS_TEST_SPIN_UNTIL (f->changed > before, WAIT_MS);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_first_run (Fixture *f, gconstpointer data)
{
  g_assert_false (drs_session_get_has_account (drs_application_get_session (f->app)));
  g_assert_cmpint (drs_window_get_page (f->window), ==, DRS_WINDOW_PAGE_WELCOME);
  /* Nothing to add to before an account exists: the action is off, no dialog opens. */
  {
    GList *before = gtk_window_list_toplevels ();
    GList *after;

    gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-jobs", NULL);
    after = gtk_window_list_toplevels ();
    g_assert_cmpuint (g_list_length (after), ==, g_list_length (before));
    g_list_free (before);
    g_list_free (after);
  }
}

static void
test_demo_rows (Fixture *f, gconstpointer data)
{
  DrsSimulator *sim;
  g_auto (GStrv) ids = NULL;

  start_demo (f);
  sim = drs_application_get_simulator (f->app);
  ids = drs_simulator_dup_job_ids (sim);
  /* Every task the project lists (one of the scenario's is created later and not listed yet). */
  g_assert_cmpuint (n_rows (f), <=, g_strv_length (ids));
  g_assert_cmpuint (n_rows (f), >=, g_strv_length (ids) - 1);
  for (guint i = 0; i < n_rows (f); i++)
    {
      DrsJob *job = row (f, i);

      g_assert_true (g_strv_contains ((const char *const *) ids, drs_job_get_id (job)));
      g_assert_nonnull (drs_job_get_name (job));
      g_assert_cmpstr (drs_job_get_account (job), ==, DRS_DEMO_ACCOUNT);
      g_assert_true (drs_job_get_status_raw (job) != NULL || drs_job_get_error_code (job) != NULL);
    }
  /* Every class of the scenario is counted in the filter bar. */
  g_assert_cmpuint (drs_window_get_class_count (f->window, DRS_WINDOW_FILTER_ALL), ==, n_rows (f));
  g_assert_cmpuint (drs_window_get_class_count (f->window, DRS_STATUS_CLASS_FAILED), >, 0);
  g_assert_cmpuint (drs_window_get_class_count (f->window, DRS_STATUS_CLASS_RUNNING), >, 0);
  /* Cells are bound: the view shows rows, not an empty model. */
  g_assert_cmpuint (drs_job_columns_get_n_bound (drs_window_get_columns (f->window)), >, 0);
}

typedef double (*JobValue) (DrsJob *job);

static double
value_progress (DrsJob *job)
{
  return drs_job_get_progress (job);
}

static double
value_delay (DrsJob *job)
{
  return (double) drs_job_get_delay_ms (job);
}

static double
value_remaining (DrsJob *job)
{
  /* Only a running task has time left that the server can tell. */
  if (drs_job_get_status_class (job) != DRS_STATUS_CLASS_RUNNING)
    return -1;
  return (double) drs_job_get_remaining_s (job);
}

static double
value_processed (DrsJob *job)
{
  return (double) drs_job_get_process_time_ms (job);
}

static double
value_phases (DrsJob *job)
{
  return drs_job_get_has_phases (job) ? drs_job_get_phase_progress (job, DRS_PHASE_DATA) : -1;
}

/* Ascending: known values non-decreasing, then every unknown. */
static void
assert_numeric_order (Fixture *f, JobValue value)
{
  gboolean seen_unknown = FALSE;
  double   last = -G_MAXDOUBLE;

  for (guint i = 0; i < n_rows (f); i++)
    {
      double v = value (row (f, i));

      if (v < 0)
        {
          seen_unknown = TRUE;
          continue;
        }
      g_assert_false (seen_unknown);
      g_assert_cmpfloat (v, >=, last);
      last = v;
    }
}

static void
test_sort_columns (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *id;
    JobValue    value;
  } numeric[] = {
    { "progress", value_progress },   { "delay", value_delay },   { "remaining", value_remaining },
    { "processed", value_processed }, { "phases", value_phases },
  };
  GtkColumnView *view;
  DrsJobColumns *columns;

  start_demo (f);
  view = drs_window_get_column_view (f->window);
  columns = drs_window_get_columns (f->window);

  for (guint c = 0; c < G_N_ELEMENTS (numeric); c++)
    {
      g_test_message ("sorting by %s", numeric[c].id);
      gtk_column_view_sort_by_column (view, drs_job_columns_get_column (columns, numeric[c].id),
                                      GTK_SORT_ASCENDING);
      assert_numeric_order (f, numeric[c].value);
    }

  /* Names as people read them. */
  gtk_column_view_sort_by_column (view, drs_job_columns_get_column (columns, "name"),
                                  GTK_SORT_ASCENDING);
  for (guint i = 1; i < n_rows (f); i++)
    g_assert_cmpint (g_utf8_collate (drs_job_get_display_name (row (f, i - 1)),
                                     drs_job_get_display_name (row (f, i))),
                     <=, 0);
  gtk_column_view_sort_by_column (view, drs_job_columns_get_column (columns, "name"),
                                  GTK_SORT_DESCENDING);
  for (guint i = 1; i < n_rows (f); i++)
    g_assert_cmpint (g_utf8_collate (drs_job_get_display_name (row (f, i - 1)),
                                     drs_job_get_display_name (row (f, i))),
                     >=, 0);

  /* Failed tasks first when sorting by status. */
  gtk_column_view_sort_by_column (view, drs_job_columns_get_column (columns, "status"),
                                  GTK_SORT_ASCENDING);
  g_assert_cmpint (drs_job_get_status_class (row (f, 0)), ==, DRS_STATUS_CLASS_FAILED);

  /* Sorted by delay, the order still holds after refreshes change the values. */
  gtk_column_view_sort_by_column (view, drs_job_columns_get_column (columns, "delay"),
                                  GTK_SORT_ASCENDING);
  for (guint r = 0; r < 3; r++)
    {
      wait_for_changing_refresh (f);
      assert_numeric_order (f, value_delay);
    }
}

static void
test_search_and_filter (Fixture *f, gconstpointer data)
{
  GListModel      *store;
  GtkSearchEntry  *entry;
  DrsJob          *target;
  guint            expected = 0, failed = 0;
  g_autofree char *needle = NULL;

  start_demo (f);
  store = G_LIST_MODEL (drs_session_get_store (drs_application_get_session (f->app)));
  entry = drs_window_get_search_entry (f->window);

  /* Search by a piece of one task's id. */
  target = row (f, 3);
  needle = g_strndup (drs_job_get_id (target), 13);
  gtk_editable_set_text (GTK_EDITABLE (entry), needle);
  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);
      if (strstr (drs_job_get_id (job), needle) != NULL)
        expected++;
    }
  DRS_TEST_SPIN_UNTIL (n_rows (f) == expected, WAIT_MS);
  g_assert_true (row (f, 0) == target || expected > 1);

  /* By status label, case-insensitively. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "FAILED");
  DRS_TEST_SPIN_UNTIL (n_rows (f) < g_list_model_get_n_items (store), WAIT_MS);
  for (guint i = 0; i < n_rows (f); i++)
    {
      DrsJob     *job = row (f, i);
      const char *fields[] = { drs_job_get_id (job), drs_job_get_name (job),
                               drs_job_get_status_label (job), drs_job_get_status_raw (job) };
      gboolean    found = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        {
          g_autofree char *folded = fields[k] ? g_utf8_casefold (fields[k], -1) : NULL;
          found |= folded != NULL && strstr (folded, "failed") != NULL;
        }
      g_assert_true (found);
    }

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  DRS_TEST_SPIN_UNTIL (n_rows (f) == g_list_model_get_n_items (store), WAIT_MS);

  /* The status filter shows exactly the class, and its count is right. */
  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);
      if (drs_job_get_status_class (job) == DRS_STATUS_CLASS_FAILED)
        failed++;
    }
  drs_window_set_status_filter (f->window, DRS_STATUS_CLASS_FAILED);
  g_assert_cmpuint (n_rows (f), ==, failed);
  g_assert_cmpuint (drs_window_get_class_count (f->window, DRS_STATUS_CLASS_FAILED), ==, failed);
  for (guint i = 0; i < n_rows (f); i++)
    g_assert_cmpint (drs_job_get_status_class (row (f, i)), ==, DRS_STATUS_CLASS_FAILED);

  drs_window_set_status_filter (f->window, DRS_WINDOW_FILTER_ALL);
  g_assert_cmpuint (n_rows (f), ==, g_list_model_get_n_items (store));
}

static void
test_selection_and_scroll_survive (Fixture *f, gconstpointer data)
{
  GtkSelectionModel *selection;
  GtkAdjustment     *vadj;
  DrsJob            *selected;
  double             value;

  start_demo (f);
  selection = drs_window_get_selection (f->window);
  gtk_column_view_sort_by_column (
      drs_window_get_column_view (f->window),
      drs_job_columns_get_column (drs_window_get_columns (f->window), "progress"),
      GTK_SORT_ASCENDING);
  gtk_selection_model_select_item (selection, 7, TRUE);
  selected = drs_window_get_selected_job (f->window);
  g_assert_nonnull (selected);

  vadj = gtk_scrolled_window_get_vadjustment (drs_window_get_scroller (f->window));
  DRS_TEST_SPIN_UNTIL (gtk_adjustment_get_upper (vadj) > gtk_adjustment_get_page_size (vadj),
                       WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (drs_window_get_column_view (f->window)), 3);
  gtk_adjustment_set_value (
      vadj, (gtk_adjustment_get_upper (vadj) - gtk_adjustment_get_page_size (vadj)) / 2);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  drs_test_wait_frames (GTK_WIDGET (drs_window_get_column_view (f->window)), 2);
  value = gtk_adjustment_get_value (vadj);
  g_assert_cmpfloat (value, >, 0);

  for (guint r = 0; r < 3; r++)
    {
      wait_for_changing_refresh (f);
      drs_test_wait_frames (GTK_WIDGET (drs_window_get_column_view (f->window)), 2);
      /* The same object, wherever the sort moved it. */
      g_assert_true (drs_window_get_selected_job (f->window) == selected);
      g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (vadj), value, 1.0);
    }
}

/* The task-name cells of the table. */
static void
collect_name_cells (GtkWidget *widget, GPtrArray *cells)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), "name") == 0 &&
      gtk_widget_has_css_class (widget, "job-cell"))
    g_ptr_array_add (cells, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_name_cells (child, cells);
}

static GtkWidget *sort_root;

static int
by_y (gconstpointer a, gconstpointer b)
{
  graphene_rect_t ra, rb;

  g_assert_true (gtk_widget_compute_bounds (*(GtkWidget **) a, sort_root, &ra));
  g_assert_true (gtk_widget_compute_bounds (*(GtkWidget **) b, sort_root, &rb));
  return (ra.origin.y > rb.origin.y) - (ra.origin.y < rb.origin.y);
}

/* The cells on screen, top to bottom; each holds a reference, so that a cell the view let
 * go cannot come back at the same address. */
static GPtrArray *
name_cells (Fixture *f)
{
  GtkWidget *view = GTK_WIDGET (drs_window_get_column_view (f->window));
  GPtrArray *all = g_ptr_array_new ();
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_object_unref);

  drs_test_wait_frames (view, 2);
  collect_name_cells (view, all);
  for (guint i = 0; i < all->len; i++)
    if (gtk_widget_get_mapped (all->pdata[i]))
      g_ptr_array_add (cells, g_object_ref (all->pdata[i]));
  g_ptr_array_unref (all);
  sort_root = view;
  g_ptr_array_sort (cells, by_y);
  return cells;
}

/* Each cell on screen shows the task at its place, in the model's order (the view is at its top):
 * as many as fit, or all. */
static void
assert_cells_show_rows (Fixture *f, GPtrArray *cells)
{
  g_assert_cmpuint (cells->len, >, 0);
  g_assert_cmpuint (cells->len, <=, n_rows (f));
  g_assert_true (cells->len == n_rows (f) || cells->len >= 10);
  for (guint i = 0; i < cells->len; i++)
    {
      g_autofree char *shown = drs_job_columns_dup_cell_tooltip (cells->pdata[i]);

      g_assert_cmpstr (shown, ==, drs_job_get_id (row (f, i)));
    }
}

/* Whether the row a cell is in is drawn selected. */
static gboolean
shown_selected (GtkWidget *cell, GtkWidget *view)
{
  for (GtkWidget *w = cell; w != NULL && w != view; w = gtk_widget_get_parent (w))
    if (gtk_widget_get_state_flags (w) & GTK_STATE_FLAG_SELECTED)
      return TRUE;
  return FALSE;
}

/* Each cell on screen is drawn selected exactly when its task is the selected one. */
static void
assert_shown_selected (Fixture *f, GPtrArray *cells, DrsJob *selected)
{
  GtkWidget *view = GTK_WIDGET (drs_window_get_column_view (f->window));

  for (guint i = 0; i < cells->len; i++)
    g_assert_cmpint (shown_selected (cells->pdata[i], view), ==, row (f, i) == selected);
}

static gboolean
has_cell (GPtrArray *cells, GtkWidget *cell)
{
  return g_ptr_array_find (cells, cell, NULL);
}

/* A search, a filter or a sort moves the tasks under the rows: the cells stay and show their
 * new tasks, and the selection goes with its task. */
static void
test_rows_stay_when_tasks_move (Fixture *f, gconstpointer data)
{
  GtkSelectionModel *rows;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GPtrArray) sorted = NULL;
  g_autofree char *needle = NULL;
  DrsJob          *target;
  guint            n_all;

  start_demo (f);
  rows = gtk_column_view_get_model (drs_window_get_column_view (f->window));
  n_all = n_rows (f);
  g_assert_cmpuint (n_all, >, 6);
  before = name_cells (f);
  assert_cells_show_rows (f, before);

  /* The task at the sixth row is selected, then searched for: it comes to the top. */
  target = row (f, 5);
  gtk_selection_model_select_item (drs_window_get_selection (f->window), 5, TRUE);
  g_assert_true (gtk_selection_model_is_selected (rows, 5));
  g_clear_pointer (&before, g_ptr_array_unref);
  before = name_cells (f);
  assert_shown_selected (f, before, target);
  needle = g_strdup (drs_job_get_id (target));
  gtk_editable_set_text (GTK_EDITABLE (drs_window_get_search_entry (f->window)), needle);
  DRS_TEST_SPIN_UNTIL (n_rows (f) == 1, WAIT_MS);
  after = name_cells (f);
  assert_cells_show_rows (f, after);
  /* The top row's cell is the one that was there: it now shows the task found. */
  g_assert_true (after->pdata[0] == before->pdata[0]);
  g_assert_true (drs_window_get_selected_job (f->window) == target);
  g_assert_true (gtk_selection_model_is_selected (rows, 0));
  assert_shown_selected (f, after, target);

  /* Back to every task: the first cell is still the same, the rows below come back. */
  gtk_editable_set_text (GTK_EDITABLE (drs_window_get_search_entry (f->window)), "");
  DRS_TEST_SPIN_UNTIL (n_rows (f) == n_all, WAIT_MS);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = name_cells (f);
  assert_cells_show_rows (f, after);
  g_assert_true (after->pdata[0] == before->pdata[0]);
  g_assert_true (drs_window_get_selected_job (f->window) == target);
  assert_shown_selected (f, after, target);

  /* A sort by another column moves every task and keeps every cell. */
  gtk_column_view_sort_by_column (
      drs_window_get_column_view (f->window),
      drs_job_columns_get_column (drs_window_get_columns (f->window), "progress"),
      GTK_SORT_DESCENDING);
  sorted = name_cells (f);
  assert_cells_show_rows (f, sorted);
  for (guint i = 0; i < sorted->len; i++)
    g_assert_true (has_cell (after, sorted->pdata[i]));
  g_assert_true (drs_window_get_selected_job (f->window) == target);
  for (guint i = 0; i < n_rows (f); i++)
    g_assert_cmpint (gtk_selection_model_is_selected (rows, i), ==, row (f, i) == target);
  assert_shown_selected (f, sorted, target);
}

static void
test_add_dialog (Fixture *f, gconstpointer data)
{
  DrsAddDialog    *dialog;
  DrsJob          *existing;
  g_autofree char *text = NULL;
  const char      *fresh = "0a0b0c0d-1111-2222-3333-444455556666";

  start_demo (f);
  existing = row (f, 0);
  dialog = drs_add_dialog_new (drs_application_get_session (f->app));
  gtk_window_present (GTK_WINDOW (dialog));

  text = g_strdup_printf ("not-a-task-id\n%s, %s  %s", drs_job_get_id (existing), fresh, fresh);
  drs_add_dialog_set_text (dialog, text);
  g_assert_cmpuint (drs_add_dialog_get_n_valid (dialog), ==, 1);
  g_assert_nonnull (strstr (drs_add_dialog_get_summary (dialog), "not-a-task-id"));

  /* Importing lists the project's tasks; all of them are watched already in the demo. */
  drs_add_dialog_load_project (dialog);
  DRS_TEST_SPIN_UNTIL (drs_add_dialog_get_n_listed (dialog) == n_rows (f), WAIT_MS);
  g_assert_cmpuint (drs_add_dialog_get_n_importable (dialog), ==, 0);

  g_object_ref (dialog);
  g_assert_cmpuint (drs_add_dialog_add (dialog), ==, 1);
  g_assert_nonnull (
      drs_job_store_lookup (drs_session_get_store (drs_application_get_session (f->app)), fresh));
  g_object_unref (dialog);
}

static void
test_remove_and_undo (Fixture *f, gconstpointer data)
{
  DrsJobStore     *store;
  g_autofree char *id = NULL, *name = NULL;
  guint            n;

  start_demo (f);
  store = drs_session_get_store (drs_application_get_session (f->app));
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  gtk_selection_model_select_item (drs_window_get_selection (f->window), 2, TRUE);
  id = g_strdup (drs_job_get_id (drs_window_get_selected_job (f->window)));
  name = g_strdup (drs_job_get_display_name (drs_window_get_selected_job (f->window)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.remove", NULL));
  g_assert_null (drs_job_store_lookup (store, id));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n - 1);
  g_assert_nonnull (strstr (drs_window_get_last_toast (f->window), name));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  g_assert_nonnull (drs_job_store_lookup (store, id));
  g_assert_cmpstr (drs_job_get_display_name (drs_job_store_lookup (store, id)), ==, name);
  g_assert_cmpstr (drs_job_get_account (drs_job_store_lookup (store, id)), ==, DRS_DEMO_ACCOUNT);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n);
}

/* What the outage banner says while the account cannot be used. */
static gboolean
banner_contains (Fixture *f, const char *needle)
{
  const char *banner = drs_window_get_banner_text (f->window);
  return banner != NULL && strstr (banner, needle) != NULL;
}

static void
test_auth_error (Fixture *f, gconstpointer data)
{
  DrsSimulator *sim;
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GError) error = NULL;
  DrsJob *job;

  start_demo (f);
  sim = drs_application_get_simulator (f->app);
  credentials = drs_credentials_new_token ("a-token-nobody-issued");
  client = drs_client_new (drs_simulator_get_base_url (sim), drs_simulator_get_project_id (sim),
                           credentials, &error);
  g_assert_no_error (error);
  drs_monitor_set_client (drs_session_get_monitor (drs_application_get_session (f->app)), "expired",
                          client);
  job = drs_job_store_add (drs_session_get_store (drs_application_get_session (f->app)),
                           "11111111-2222-3333-4444-555555555555", NULL);
  drs_job_set_account (job, "expired");
  drs_monitor_refresh_now (drs_session_get_monitor (drs_application_get_session (f->app)));

  DRS_TEST_SPIN_UNTIL (banner_contains (f, "APIGW.0301"), WAIT_MS);
  /* Plain words first, with the action that fixes it. */
  g_assert_true (banner_contains (f, "credentials"));
  DRS_TEST_SPIN_UNTIL (drs_job_get_stale (job), WAIT_MS);
}

static void
test_throttled (Fixture *f, gconstpointer data)
{
  DrsSimulator *sim;
  DrsSimFaults  faults = { .throttle_rate = 1.0, .retry_after_s = 2 };

  start_demo (f);
  sim = drs_application_get_simulator (f->app);
  drs_simulator_set_faults (sim, &faults);
  drs_monitor_refresh_now (drs_session_get_monitor (drs_application_get_session (f->app)));
  DRS_TEST_SPIN_UNTIL (banner_contains (f, "APIGW.0308"), WAIT_MS);
  g_assert_true (banner_contains (f, "limiting requests"));
  /* Rows keep their last values, marked stale. */
  g_assert_cmpfloat (drs_job_get_progress (row (f, 0)), >=, 0);
  drs_simulator_set_faults (sim, NULL);
}

/* The subtitle says when polling is not as usual: power saving (with the interval it stretches
 * to) and no network. */
static void
test_subtitle_power_and_network (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsTestNetwork) network = drs_test_network_new ();
  g_autoptr (DrsTestPower) power = drs_test_power_new ();
  g_autofree char *tmp = g_dir_make_tmp ("drs-window-env-XXXXXX", NULL);
  g_autofree char *history = g_build_filename (tmp, "history.db", NULL);
  g_autoptr (DrsSession) session =
      g_object_new (DRS_TYPE_SESSION, "settings", drs_test_get_settings (), "history-path", history,
                    "network-monitor", network, "power-profile-monitor", power, NULL);
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token ("subtitle-test-token");
  g_autoptr (DrsClient) loopback =
      drs_client_new ("http://127.0.0.1:9", PROJECT_ID, credentials, NULL);
  g_autoptr (DrsClient) cloud =
      drs_client_new ("https://drs.cn-north-4.myhuaweicloud.com", PROJECT_ID, credentials, NULL);
  DrsWindow      *window = drs_window_new (GTK_APPLICATION (f->app), session);
  AdwWindowTitle *title =
      (AdwWindowTitle *) drs_test_find_widget (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE);

  g_assert_nonnull (title);
  g_assert_nonnull (loopback);
  g_assert_nonnull (cloud);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "");

  drs_test_power_set (power, TRUE);
  /* The default 15 s, four times as long. */
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==,
                   "Power saver: refreshing every 1 min");
  g_settings_set_uint (drs_test_get_settings (), "power-saver-factor", 8);
  DRS_TEST_SPIN_UNTIL (
      g_strcmp0 (adw_window_title_get_subtitle (title), "Power saver: refreshing every 2 min") == 0,
      WAIT_MS);
  g_settings_reset (drs_test_get_settings (), "power-saver-factor");

  /* Offline with only a loopback endpoint (the demo's simulator): it goes on, nothing to say. */
  drs_session_set_client (session, "loopback", loopback);
  drs_test_network_set (network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==,
                   "Power saver: refreshing every 1 min");
  drs_test_network_set (network, TRUE, G_NETWORK_CONNECTIVITY_FULL);
  /* With a cloud endpoint held back, it is said. */
  drs_session_set_client (session, "cloud", cloud);
  drs_test_network_set (network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Offline");
  drs_test_network_set (network, TRUE, G_NETWORK_CONNECTIVITY_FULL);
  drs_test_power_set (power, FALSE);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "");

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);
  g_clear_object (&session);
  drs_test_remove_dir (tmp);
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

  g_test_add ("/window/first-run", Fixture, NULL, fixture_setup, test_first_run, fixture_teardown);
  g_test_add ("/window/demo-rows", Fixture, NULL, fixture_setup, test_demo_rows, fixture_teardown);
  g_test_add ("/window/sort-columns", Fixture, NULL, fixture_setup, test_sort_columns,
              fixture_teardown);
  g_test_add ("/window/search-and-filter", Fixture, NULL, fixture_setup, test_search_and_filter,
              fixture_teardown);
  g_test_add ("/window/selection-and-scroll-survive", Fixture, NULL, fixture_setup,
              test_selection_and_scroll_survive, fixture_teardown);
  g_test_add ("/window/rows-stay-when-tasks-move", Fixture, NULL, fixture_setup,
              test_rows_stay_when_tasks_move, fixture_teardown);
  g_test_add ("/window/add-dialog", Fixture, NULL, fixture_setup, test_add_dialog,
              fixture_teardown);
  g_test_add ("/window/remove-and-undo", Fixture, NULL, fixture_setup, test_remove_and_undo,
              fixture_teardown);
  g_test_add ("/window/auth-error", Fixture, NULL, fixture_setup, test_auth_error,
              fixture_teardown);
  g_test_add ("/window/throttled", Fixture, NULL, fixture_setup, test_throttled, fixture_teardown);
  g_test_add ("/window/subtitle-power-and-network", Fixture, NULL, fixture_setup,
              test_subtitle_power_and_network, fixture_teardown);
  ret = g_test_run ();
  drs_test_remove_dir (dir);
  return ret;
}

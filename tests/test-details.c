/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The details pane of the window: it follows the selection, shows every field of the seed's
 * example responses, updates in place and draws the task's history. */
#include "config.h"

#include <glib/gi18n.h>

#include "drs-application.h"
#include "drs-details.h"
#include "drs-format.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 30000

#define JOB_1 "8d0e8e36-a618-490d-8a46-8c61ac9jb502"
#define JOB_2A "edae91cb-5892-49b6-a529-4921fb26jb21"
#define JOB_2B "f95c5d83-d0c9-42bd-b295-38c31cd1jb15"
#define JOB_ERR "0e5a5b1c-2d3e-4f50-8a6b-7c8d9e0f1a2b"

typedef struct
{
  DrsApplication *app;
  DrsWindow      *window;
  DrsDetails     *details;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->app = drs_test_app_new ("Details");
  f->window = drs_test_app_activate (f->app);
  f->details = drs_window_get_details (f->window);
  g_assert_nonnull (f->details);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_settings_set_string (drs_test_get_settings (), "language", "en-US");
  f->window = drs_test_main_window (f->app);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->window);
  g_object_unref (f->app);
}

/* Feeds a response file through the store, as a refresh does. */
static void
apply_response (Fixture *f, const char *json, gint64 now_us)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) snapshots = drs_progress_parse (json, strlen (json), &error);
  DrsJobStore *store = drs_session_get_store (drs_application_get_session (f->app));

  g_assert_no_error (error);
  for (guint i = 0; i < snapshots->len; i++)
    {
      const DrsSnapshot *snapshot = snapshots->pdata[i];

      if (drs_job_store_lookup (store, snapshot->job_id) == NULL)
        drs_job_set_account (drs_job_store_add (store, snapshot->job_id, NULL), "acme");
    }
  drs_job_store_apply (store, snapshots, now_us);
}

static void
apply_fixture (Fixture *f, const char *name)
{
  g_autoptr (GBytes) bytes = drs_test_load_fixture (name);
  g_autofree char *json = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  apply_response (f, json, g_get_real_time ());
}

/* Switches as the preferences do: the window, and its pane, are built again. */
static void
switch_language (Fixture *f, const char *language)
{
  f->window = drs_test_switch_language (f->app, language);
  f->details = drs_window_get_details (f->window);
}

static void
count_applied (guint *applied)
{
  (*applied)++;
}

static void
select_job (Fixture *f, const char *id)
{
  g_assert_true (drs_window_select_job (f->window, id));
  g_assert_nonnull (drs_details_get_job (f->details));
  g_assert_cmpstr (drs_job_get_id (drs_details_get_job (f->details)), ==, id);
}

static void
test_follows_selection (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) process = NULL;
  g_autofree char *process_text = NULL;

  apply_fixture (f, "example-response-1.json");
  apply_fixture (f, "example-response-2.json");

  /* Nothing selected: the pane says so. */
  g_assert_null (drs_details_get_job (f->details));

  /* The first example: incremental, in sync. */
  select_job (f, JOB_1);
  g_assert_cmpstr (drs_details_get_field (f->details, "id"), ==, JOB_1);
  g_assert_cmpstr (drs_details_get_field (f->details, "status"), ==,
                   "Incremental migration in progress");
  g_assert_cmpstr (drs_details_get_field (f->details, "task-mode"), ==, "Full + incremental");
  g_assert_cmpstr (drs_details_get_field (f->details, "progress"), ==, "100%");
  g_assert_cmpstr (drs_details_get_field (f->details, "delay"), ==, "0 s");
  g_assert_cmpstr (drs_details_get_field (f->details, "remaining"), ==, "0 s");
  process = g_date_time_new_from_unix_utc (1608274919);
  process_text = drs_format_date_time (process);
  g_assert_cmpstr (drs_details_get_field (f->details, "process-time"), ==, process_text);
  g_assert_cmpstr (drs_details_get_field (f->details, "account"), ==, "acme");
  g_assert_cmpstr (drs_details_get_field (f->details, "error-code"), ==, "—");
  g_assert_null (drs_details_get_field (f->details, "error-message"));
  /* No progress_map: no phase bars. */
  g_assert_null (drs_details_get_field (f->details, "struct"));
  g_assert_null (drs_details_get_field (f->details, "stale"));

  /* The second example's second task: full phase done, with the structure / data / index bars. */
  select_job (f, JOB_2B);
  g_assert_cmpstr (drs_details_get_field (f->details, "status"), ==, "Full migration complete");
  g_assert_cmpstr (drs_details_get_field (f->details, "progress"), ==, "0%");
  /* "-1": not available, never 0. */
  g_assert_cmpstr (drs_details_get_field (f->details, "delay"), ==, "—");
  /* process_time "0" is unset. */
  g_assert_cmpstr (drs_details_get_field (f->details, "process-time"), ==, "—");
  g_assert_cmpstr (drs_details_get_field (f->details, "struct"), ==, "94%");
  g_assert_cmpstr (drs_details_get_field (f->details, "data"), ==, "100%");
  g_assert_cmpstr (drs_details_get_field (f->details, "index"), ==, "100%");

  /* Its sibling: remaining time "10". */
  select_job (f, JOB_2A);
  g_assert_cmpstr (drs_details_get_field (f->details, "remaining"), ==, "10 s");
  g_assert_null (drs_details_get_field (f->details, "struct"));

  /* After a language switch the pane, built again with its window, speaks the new language
   * about the same task. */
  select_job (f, JOB_1);
  if (drs_test_use_language ("zh_CN"))
    {
      drs_test_use_language ("en_US");
      switch_language (f, "zh-CN");
      g_assert_cmpstr (drs_details_get_field (f->details, "status"), ==, "增量迁移中");
      switch_language (f, "en-US");
      g_assert_cmpstr (drs_details_get_field (f->details, "status"), ==,
                       "Incremental migration in progress");
    }

  /* Unselecting empties the pane. */
  gtk_selection_model_unselect_all (drs_window_get_selection (f->window));
  g_assert_null (drs_details_get_job (f->details));
}

static void
test_updates_in_place (Fixture *f, gconstpointer data)
{
  apply_fixture (f, "example-response-1.json");
  select_job (f, JOB_1);
  g_assert_cmpstr (drs_details_get_field (f->details, "delay"), ==, "0 s");

  /* The next refresh: the delay grew and the task failed with a per-job error. */
  apply_response (f,
                  "{\"count\":1,\"results\":[{\"job_id\":\"" JOB_1 "\",\"progress\":\"100\","
                  "\"incre_trans_delay\":\"200\",\"task_mode\":\"FULL_INCR_TRANS\","
                  "\"transfer_status\":\"INCRE_TRANSFER_FAILED\",\"process_time\":\"0\","
                  "\"remaining_time\":\"0\",\"error_code\":\"DRS.M05003\","
                  "\"error_msg\":\"The task does not exist.\"}]}",
                  g_get_real_time ());
  g_assert_cmpstr (drs_details_get_field (f->details, "delay"), ==, "3 min 20 s");
  g_assert_cmpstr (drs_details_get_field (f->details, "status"), ==,
                   "Incremental migration failed");
  g_assert_cmpstr (drs_details_get_field (f->details, "error-code"), ==, "DRS.M05003");
  g_assert_cmpstr (drs_details_get_field (f->details, "error-message"), ==,
                   "The task does not exist.");
  /* Still the same task: the selection and the pane survived the refresh. */
  g_assert_cmpstr (drs_job_get_id (drs_details_get_job (f->details)), ==, JOB_1);

  /* A failed batch keeps the values and says why they are not current. */
  drs_job_mark_stale (
      drs_job_store_lookup (drs_session_get_store (drs_application_get_session (f->app)), JOB_1),
      "The server did not answer.");
  g_assert_cmpstr (drs_details_get_field (f->details, "stale"), ==, "The server did not answer.");
  g_assert_cmpstr (drs_details_get_field (f->details, "delay"), ==, "3 min 20 s");
}

static void
test_charts_from_history (Fixture *f, gconstpointer data)
{
  DrsHistory          *history = drs_session_get_history (drs_application_get_session (f->app));
  gint64               now = g_get_real_time ();
  const DrsChartModel *model;
  guint                loads;

  g_assert_nonnull (history);
  /* 40 minutes of samples, the last 10 minutes above a 2-minute threshold, written earlier. */
  for (int i = 40; i >= 1; i--)
    {
      DrsSample sample = { 0 };

      sample.time_us = now - (gint64) i * 60 * G_USEC_PER_SEC;
      sample.progress = 100 - i; /* every sample differs, so each is kept */
      sample.delay_ms = i <= 10 ? 180 * 1000 : 20 * 1000;
      sample.status = DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
      sample.phases[0] = sample.phases[1] = sample.phases[2] = DRS_UNKNOWN;
      g_assert_true (drs_history_record_sample (history, JOB_1, &sample));
    }
  drs_history_flush (history);
  g_settings_set_uint (drs_test_get_settings (), "delay-threshold", 120);

  apply_fixture (f, "example-response-1.json");
  loads = drs_details_get_n_loads (f->details);
  select_job (f, JOB_1);
  DRS_TEST_SPIN_UNTIL (drs_details_get_n_loads (f->details) > loads, WAIT_MS);

  model = drs_chart_get_model (drs_details_get_chart (f->details, DRS_CHART_DELAY));
  /* The 40 written samples, and the one the example's refresh may have added. */
  g_assert_cmpuint (model->n_points, >=, 40);
  g_assert_cmpuint (model->segments->len, ==, 1);
  g_assert_cmpfloat_with_epsilon (model->threshold, 2, 1e-9);
  g_assert_cmpstr (model->unit, ==, "min");
  g_assert_cmpint (model->to_us - model->from_us, ==, (gint64) 3600 * G_USEC_PER_SEC);

  model = drs_chart_get_model (drs_details_get_chart (f->details, DRS_CHART_PROGRESS));
  g_assert_cmpuint (model->n_points, >=, 40);
  g_assert_cmpstr (model->unit, ==, "%");

  /* Another range asks the history again. */
  loads = drs_details_get_n_loads (f->details);
  drs_details_set_range (f->details, DRS_DETAILS_RANGE_WEEK);
  DRS_TEST_SPIN_UNTIL (drs_details_get_n_loads (f->details) > loads, WAIT_MS);
  model = drs_chart_get_model (drs_details_get_chart (f->details, DRS_CHART_DELAY));
  g_assert_cmpint (model->to_us - model->from_us, ==, (gint64) 7 * 24 * 3600 * G_USEC_PER_SEC);
  g_assert_cmpuint (model->n_points, >=, 40);

  /* Another task has no history: empty charts. */
  apply_fixture (f, "example-response-2.json");
  loads = drs_details_get_n_loads (f->details);
  select_job (f, JOB_2B);
  DRS_TEST_SPIN_UNTIL (drs_details_get_n_loads (f->details) > loads, WAIT_MS);
  model = drs_chart_get_model (drs_details_get_chart (f->details, DRS_CHART_DELAY));
  g_assert_cmpuint (model->n_points, <=, 1);
}

/* The header: the numbers a DBA looks for first, without scrolling. */
static void
test_header_values (Fixture *f, gconstpointer data)
{
  apply_fixture (f, "example-response-1.json");
  apply_fixture (f, "example-response-2.json");

  select_job (f, JOB_1);
  g_assert_cmpstr (drs_details_get_field (f->details, "header-delay"), ==, "0 s");
  g_assert_cmpstr (drs_details_get_field (f->details, "header-progress"), ==, "100%");
  g_assert_cmpstr (drs_details_get_field (f->details, "header-remaining"), ==, "0 s");

  /* Updated in place by the next answer. */
  apply_response (f,
                  "{\"count\":1,\"results\":[{\"job_id\":\"" JOB_1 "\",\"progress\":\"97\","
                  "\"incre_trans_delay\":\"63\",\"task_mode\":\"FULL_INCR_TRANS\","
                  "\"transfer_status\":\"INCRE_TRANSFER_STARTED\",\"process_time\":\"0\","
                  "\"remaining_time\":\"200\"}]}",
                  g_get_real_time ());
  g_assert_cmpstr (drs_details_get_field (f->details, "header-delay"), ==, "1 min 3 s");
  g_assert_cmpstr (drs_details_get_field (f->details, "header-progress"), ==, "97%");
  g_assert_cmpstr (drs_details_get_field (f->details, "header-remaining"), ==, "3 min 20 s");

  /* Unknown values say so. */
  select_job (f, JOB_2B);
  g_assert_cmpstr (drs_details_get_field (f->details, "header-delay"), ==, "—");
  g_assert_cmpstr (drs_details_get_field (f->details, "header-progress"), ==, "0%");
  select_job (f, JOB_2A);
  g_assert_cmpstr (drs_details_get_field (f->details, "header-remaining"), ==, "10 s");
}

/* The demo's tasks, all answered, with the table on screen. */
static void
start_demo (Fixture *f)
{
  g_settings_set_uint (drs_test_get_settings (), "request-budget", 1200);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "demo", NULL);
  DRS_TEST_SPIN_UNTIL (drs_test_all_polled (f->app, 30), WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (f->window), 2);
}

static const char *
nth_job_id (Fixture *f, guint i)
{
  g_autoptr (DrsJob) job = g_list_model_get_item (
      G_LIST_MODEL (drs_session_get_store (drs_application_get_session (f->app))), i);

  return drs_job_get_id (job); /* the store keeps it */
}

/* Another task starts at the top of the pane, not where the previous one was scrolled to. */
static void
test_scrolls_to_top (Fixture *f, gconstpointer data)
{
  GtkAdjustment *vadj;

  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  start_demo (f);
  select_job (f, nth_job_id (f, 0));
  drs_test_wait_frames (GTK_WIDGET (f->details), 3);

  vadj = drs_details_get_vadjustment (f->details);
  /* The pane is taller than the window: there is somewhere to scroll to. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (vadj), >, gtk_adjustment_get_page_size (vadj));
  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
  drs_test_wait_frames (GTK_WIDGET (f->details), 2);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), >, 0);

  select_job (f, nth_job_id (f, 1));
  drs_test_wait_frames (GTK_WIDGET (f->details), 2);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), ==, 0);

  /* A refresh of the same task keeps where the user scrolled to. */
  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
  {
    DrsJobStore *store = drs_session_get_store (drs_application_get_session (f->app));
    guint        applied = 0;
    gulong       handler =
        g_signal_connect_swapped (store, "applied", G_CALLBACK (count_applied), &applied);

    drs_monitor_refresh_now (drs_session_get_monitor (drs_application_get_session (f->app)));
    DRS_TEST_SPIN_UNTIL (applied > 0, WAIT_MS);
    g_signal_handler_disconnect (store, handler);
  }
  drs_test_wait_frames (GTK_WIDGET (f->details), 2);
  g_assert_cmpfloat (gtk_adjustment_get_value (vadj), >, 0);
}

/* Every visible label of @widget that shows a value (not a sentence). */
static void
collect_value_labels (GtkWidget *widget, GPtrArray *labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      if (GTK_IS_LABEL (child) && (gtk_widget_has_css_class (child, "numeric") ||
                                   gtk_widget_has_css_class (child, "value")))
        g_ptr_array_add (labels, child);
      collect_value_labels (child, labels);
    }
}

/* No value breaks over lines ("增量迁 / 移中", "1 / min / 3 s"), at the window sizes a DBA
 * uses, in both languages, for a task of every kind the demo has. */
static void
test_values_whole (Fixture *f, gconstpointer data)
{
  static const struct
  {
    int width, height;
  } sizes[] = { { 1024, 768 }, { 1280, 800 }, { 1400, 800 } };
  static const char *const languages[] = { "en-US", "zh-CN" };
  GListModel *store = G_LIST_MODEL (drs_session_get_store (drs_application_get_session (f->app)));
  guint       checked = 0;
  g_autoptr (GString) broken = g_string_new (NULL);

  if (!drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  drs_test_use_language ("en_US");
  start_demo (f);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      f->window = drs_test_switch_language (f->app, languages[l]);
      f->details = drs_window_get_details (f->window);
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          gtk_window_set_default_size (GTK_WINDOW (f->window), sizes[s].width, sizes[s].height);
          drs_test_wait_frames (GTK_WIDGET (f->window), 3);
          g_test_message ("window %d x %d", gtk_widget_get_width (GTK_WIDGET (f->window)),
                          gtk_widget_get_height (GTK_WIDGET (f->window)));
          for (guint i = 0; i < g_list_model_get_n_items (store); i++)
            {
              g_autoptr (DrsJob) job = g_list_model_get_item (store, i);
              g_autoptr (GPtrArray) labels = g_ptr_array_new ();

              select_job (f, drs_job_get_id (job));
              drs_test_wait_frames (GTK_WIDGET (f->details), 2);
              if (i == 1)
                {
                  g_autofree char *name = g_strdup_printf ("details-%dx%d-%s.png", sizes[s].width,
                                                           sizes[s].height, languages[l]);
                  g_autofree char *bottom = g_strdup_printf (
                      "details-%dx%d-%s-bottom.png", sizes[s].width, sizes[s].height, languages[l]);
                  GtkAdjustment *vadj = drs_details_get_vadjustment (f->details);

                  drs_test_save_screenshot (GTK_WIDGET (f->window), name);
                  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
                  drs_test_wait_frames (GTK_WIDGET (f->details), 2);
                  drs_test_save_screenshot (GTK_WIDGET (f->window), bottom);
                  gtk_adjustment_set_value (vadj, 0);
                }
              collect_value_labels (GTK_WIDGET (f->details), labels);
              g_assert_cmpuint (labels->len, >=, 10);
              for (guint k = 0; k < labels->len; k++)
                {
                  GtkLabel    *label = labels->pdata[k];
                  PangoLayout *layout = gtk_label_get_layout (label);

                  if (pango_layout_get_line_count (layout) != 1)
                    g_string_append_printf (broken, "\n%dx%d %s: \"%s\" takes %d lines in %d px",
                                            sizes[s].width, sizes[s].height, languages[l],
                                            gtk_label_get_text (label),
                                            pango_layout_get_line_count (layout),
                                            gtk_widget_get_width (GTK_WIDGET (label)));
                  checked++;
                }
            }
        }
    }
  f->window = drs_test_switch_language (f->app, "en-US");
  f->details = drs_window_get_details (f->window);
  g_assert_cmpuint (checked, >, 1000);
  if (broken->len > 0)
    g_error ("Values broken over lines:%s", broken->str);
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

  g_test_add ("/details/follows-selection", Fixture, NULL, fixture_setup, test_follows_selection,
              fixture_teardown);
  g_test_add ("/details/updates-in-place", Fixture, NULL, fixture_setup, test_updates_in_place,
              fixture_teardown);
  g_test_add ("/details/charts-from-history", Fixture, NULL, fixture_setup,
              test_charts_from_history, fixture_teardown);
  g_test_add ("/details/header-values", Fixture, NULL, fixture_setup, test_header_values,
              fixture_teardown);
  g_test_add ("/details/scrolls-to-top", Fixture, NULL, fixture_setup, test_scrolls_to_top,
              fixture_teardown);
  g_test_add ("/details/values-whole", Fixture, NULL, fixture_setup, test_values_whole,
              fixture_teardown);
  ret = g_test_run ();
  drs_test_remove_dir (dir);
  return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Renders the screenshots in data/screenshots/ from the running demo:
 *
 *   drs-screenshots OUTDIR [LANGUAGE]
 *
 * Each window is drawn by its own renderer into a PNG, in the light and the dark style. Needs a
 * display (Xvfb) and a D-Bus session; build-aux/screenshots.sh provides both. */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "drs-add-dialog.h"
#include "drs-application.h"
#include "drs-details.h"
#include "drs-preferences.h"
#include "drs-i18n.h"
#include "drs-test-utils.h"
#include "drs-task-actions.h"
#include "drs-window.h"

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the view lay out and paint, for @ms of wall time. */
static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
save_window (GtkWidget *widget, const char *path)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* Not drawn yet (a busy machine): wait for a frame. */
  for (guint i = 0; node == NULL && i < 50; i++)
    {
      settle (100);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s\n", path);
}

static gboolean
all_polled (DrsApplication *app)
{
  GListModel *store = G_LIST_MODEL (drs_session_get_store (drs_application_get_session (app)));
  guint       n = g_list_model_get_n_items (store);

  if (n < 30)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);
      if (drs_job_get_last_updated_us (job) == 0)
        return FALSE;
    }
  return TRUE;
}

/* A day of history for the details screenshot: a full migration, the app closed for a while,
 * then the incremental phase with a delay spike above the alert threshold. */
static void
write_history (DrsHistory *history, const char *job_id)
{
  gint64 now = g_get_real_time ();
  gint64 step = 4 * 60 * G_USEC_PER_SEC;

  for (gint64 t = now - (gint64) 24 * 3600 * G_USEC_PER_SEC; t < now - 60 * G_USEC_PER_SEC;
       t += step)
    {
      double    hours_ago = (now - t) / 3600.0 / G_USEC_PER_SEC;
      DrsSample sample = { 0 };

      /* Not polled between 15 and 13 hours ago. */
      if (hours_ago < 15 && hours_ago > 13)
        continue;
      sample.time_us = t;
      sample.phases[0] = sample.phases[1] = sample.phases[2] = DRS_UNKNOWN;
      if (hours_ago > 11)
        {
          sample.status = DRS_JOB_STATUS_FULL_TRANSFER_STARTED;
          sample.progress = MIN (100, (24 - hours_ago) / 13 * 100);
          sample.delay_ms = DRS_UNKNOWN;
        }
      else
        {
          double spike =
              hours_ago < 5 && hours_ago > 3 ? 420 * sin ((5 - hours_ago) / 2 * G_PI) : 0;

          sample.status = DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
          sample.progress = 100;
          sample.delay_ms =
              (gint64) ((20 + 15 * sin (hours_ago * 3) + spike + (int) (hours_ago * 7) % 9) * 1000);
        }
      drs_history_record_sample (history, job_id, &sample);
    }
  drs_history_flush (history);
}

static const char *
pick_failed_job (DrsApplication *app)
{
  GListModel *store = G_LIST_MODEL (drs_session_get_store (drs_application_get_session (app)));

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);

      if (drs_job_get_status_class (job) == DRS_STATUS_CLASS_FAILED &&
          drs_job_get_error_code (job) != NULL && drs_job_get_has_phases (job))
        return drs_job_get_id (job);
    }
  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);

      if (drs_job_get_status_class (job) == DRS_STATUS_CLASS_FAILED &&
          drs_job_get_error_code (job) != NULL)
        return drs_job_get_id (job);
    }
  return NULL;
}

static const char *
pick_incremental_job (DrsApplication *app)
{
  GListModel *store = G_LIST_MODEL (drs_session_get_store (drs_application_get_session (app)));

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);

      if (drs_job_get_status (job) == DRS_JOB_STATUS_INCRE_TRANSFER_STARTED)
        return drs_job_get_id (job);
    }
  return NULL;
}

static DrsJob *
first_job (DrsApplication *app, DrsTaskAction action)
{
  GListModel *store = G_LIST_MODEL (drs_session_get_store (drs_application_get_session (app)));

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);

      if (drs_task_action_applies (action, drs_job_get_status (job), drs_job_get_task_mode (job)) &&
          drs_job_get_status (job) != DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE)
        return job;
    }
  return NULL;
}

/* Pause, resume and retry (issue 15): the pause confirmation with its two modes, then a retry's
 * outcome: the toast, the status back to running, the action in the details pane. 1280×800. */
static void
render_actions (DrsApplication *app, DrsWindow *window, const char *outdir, const char *suffix)
{
  static const char *const schemes[] = { "light", "dark" };
  DrsTaskActions          *actions = drs_window_get_task_actions (window);

  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {
      g_autofree char *path = NULL;
      DrsJob          *running = first_job (app, DRS_TASK_ACTION_PAUSE);
      DrsJob          *failed = first_job (app, DRS_TASK_ACTION_RETRY);
      DrsActionDialog *dialog;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          s ? ADW_COLOR_SCHEME_FORCE_DARK
                                            : ADW_COLOR_SCHEME_FORCE_LIGHT);
      if (running == NULL || failed == NULL)
        g_error ("The demo has no running or no failed task");

      drs_window_select_job (window, drs_job_get_id (running));
      settle (800);
      gtk_widget_activate_action (GTK_WIDGET (window), "task.pause", NULL);
      dialog = drs_task_actions_get_dialog (actions);
      settle (1200);
      path = g_strdup_printf ("%s/action-confirm-%s%s.png", outdir, schemes[s], suffix);
      save_window (GTK_WIDGET (dialog), path);
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      gtk_window_destroy (GTK_WINDOW (dialog));

      drs_window_select_job (window, drs_job_get_id (failed));
      settle (500);
      gtk_widget_activate_action (GTK_WIDGET (window), "task.retry", NULL);
      dialog = drs_task_actions_get_dialog (actions);
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), DRS_ACTION_DIALOG_RESPONSE_ACT);
      gtk_window_destroy (GTK_WINDOW (dialog));
      DRS_TEST_SPIN_UNTIL (drs_task_actions_get_n_running (actions) == 0, 60000);
      DRS_TEST_SPIN_UNTIL (drs_job_get_status_class (failed) == DRS_STATUS_CLASS_RUNNING, 60000);
      settle (1500);
      g_free (path);
      path = g_strdup_printf ("%s/action-outcome-%s%s.png", outdir, schemes[s], suffix);
      save_window (GTK_WIDGET (window), path);
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr (DrsApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  const char              *outdir = argc > 1 ? argv[1] : ".";
  const char              *language = argc > 2 ? argv[2] : "en-US";
  const char              *suffix = g_str_equal (language, "zh-CN") ? "-zh_CN" : "";
  static const char *const schemes[] = { "light", "dark" };
  static const struct
  {
    const char *name;
    int         width, height;
  } sizes[] = { { "", 1400, 800 }, { "-1280", 1280, 800 } };
  DrsWindow *window;

  drs_i18n_init ();
  gtk_init ();
  adw_init ();

  app = drs_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  /* Before the window exists, so it is built in that language. */
  drs_i18n_apply (language);
  g_application_activate (G_APPLICATION (app));
  window = DRS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  /* The actions' screenshots are taken at 1280×800. */
  if (argc > 3 && g_str_equal (argv[3], "actions"))
    gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  else
    gtk_window_set_default_size (GTK_WINDOW (window), 1400, 800);

  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  DRS_TEST_SPIN_UNTIL (all_polled (app), 60000);
  gtk_selection_model_select_item (drs_window_get_selection (window), 1, TRUE);

  /* `drs-screenshots OUTDIR LANGUAGE actions`: only the actions' screenshots. */
  if (argc > 3 && g_str_equal (argv[3], "actions"))
    {
      render_actions (app, window, outdir, suffix);
      gtk_window_destroy (GTK_WINDOW (window));
      return 0;
    }

  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {
      g_autofree char *table = NULL, *dialog_path = NULL;
      DrsAddDialog    *dialog;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          s ? ADW_COLOR_SCHEME_FORCE_DARK
                                            : ADW_COLOR_SCHEME_FORCE_LIGHT);
      /* The table as it opens, nothing selected, at the default size and at 1280×800. */
      gtk_selection_model_unselect_all (drs_window_get_selection (window));
      for (guint z = 0; z < G_N_ELEMENTS (sizes); z++)
        {
          gtk_window_set_default_size (GTK_WINDOW (window), sizes[z].width, sizes[z].height);
          settle (1500);
          g_free (table);
          table = g_strdup_printf ("%s/main-window%s-%s%s.png", outdir, sizes[z].name, schemes[s],
                                   suffix);
          save_window (GTK_WIDGET (window), table);
        }
      gtk_window_set_default_size (GTK_WINDOW (window), 1400, 800);
      gtk_selection_model_select_item (drs_window_get_selection (window), 1, TRUE);

      dialog = drs_add_dialog_new (drs_application_get_session (app));
      gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (window));
      drs_add_dialog_set_text (dialog, "8d0e8e36-a618-490d-8a46-8c61ac9jb502\nnot-an-id");
      gtk_window_present (GTK_WINDOW (dialog));
      drs_add_dialog_load_project (dialog);
      settle (2500);
      dialog_path = g_strdup_printf ("%s/add-dialog-%s%s.png", outdir, schemes[s], suffix);
      save_window (GTK_WIDGET (dialog), dialog_path);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  /* The details pane with a day of history, and the preferences. */
  {
    const char *job_id = pick_incremental_job (app);
    DrsDetails *details = drs_window_get_details (window);
    g_autoptr (DrsAccount) account = drs_account_new ("production");
    g_autoptr (GError) save_error = NULL;

    if (job_id != NULL && drs_session_get_history (drs_application_get_session (app)) != NULL)
      {
        write_history (drs_session_get_history (drs_application_get_session (app)), job_id);
        drs_window_select_job (window, job_id);
        drs_details_set_range (details, DRS_DETAILS_RANGE_DAY);
      }

    /* An account besides the demo, without a secret: nothing to sign in with here. */
    drs_account_set (&account->region, "cn-north-4");
    drs_account_set (&account->project_id, "054ba152d480d55b2f5dc0069e7ddef0");
    drs_account_set (&account->domain, "acme-corp");
    drs_account_set (&account->user, "dba-monitor");
    if (drs_session_get_accounts (drs_application_get_session (app)) != NULL &&
        !drs_accounts_save (drs_session_get_accounts (drs_application_get_session (app)), NULL,
                            account, &save_error))
      g_warning ("%s", save_error->message);

    for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
      {
        g_autofree char *path = NULL;
        DrsPreferences  *preferences;

        adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                            s ? ADW_COLOR_SCHEME_FORCE_DARK
                                              : ADW_COLOR_SCHEME_FORCE_LIGHT);
        drs_details_reload (details);
        settle (1500);
        if (job_id != NULL)
          {
            const DrsChartModel *model =
                drs_chart_get_model (drs_details_get_chart (details, DRS_CHART_DELAY));
            GtkWidget *chart = GTK_WIDGET (drs_details_get_chart (details, DRS_CHART_DELAY));

            /* The read-out, as under the pointer, near the spike. */
            if (model->n_points > 0)
              drs_chart_hover (DRS_CHART (chart), gtk_widget_get_width (chart) * 0.8);
            settle (300);
          }
        path = g_strdup_printf ("%s/details-%s%s.png", outdir, schemes[s], suffix);
        save_window (GTK_WIDGET (window), path);

        /* A failed task: its error with the code. */
        if (pick_failed_job (app) != NULL)
          {
            drs_window_select_job (window, pick_failed_job (app));
            settle (1000);
            g_free (path);
            path = g_strdup_printf ("%s/details-failed-%s%s.png", outdir, schemes[s], suffix);
            save_window (GTK_WIDGET (window), path);
            if (job_id != NULL)
              drs_window_select_job (window, job_id);
          }

        preferences = drs_preferences_new (drs_application_get_session (app));
        gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
        gtk_window_present (GTK_WINDOW (preferences));
        settle (1000);
        g_free (path);
        path = g_strdup_printf ("%s/preferences-accounts-%s%s.png", outdir, schemes[s], suffix);
        save_window (GTK_WIDGET (preferences), path);

        drs_preferences_edit_account (preferences, "production");
        drs_preferences_set_field (preferences, "password", "not-a-real-password");
        settle (1200);
        g_free (path);
        path = g_strdup_printf ("%s/preferences-account-%s%s.png", outdir, schemes[s], suffix);
        save_window (GTK_WIDGET (preferences), path);

        adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (preferences));
        adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences),
                                                      "monitoring");
        settle (1200);
        g_free (path);
        path = g_strdup_printf ("%s/preferences-monitoring-%s%s.png", outdir, schemes[s], suffix);
        save_window (GTK_WIDGET (preferences), path);
        gtk_window_destroy (GTK_WINDOW (preferences));
      }
  }

  render_actions (app, window, outdir, suffix);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

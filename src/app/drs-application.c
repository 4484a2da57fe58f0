/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "drs-action-dialog.h"
#include "drs-add-dialog.h"
#include "drs-application.h"
#include "drs-background.h"
#include "drs-handover.h"
#include "drs-notifier.h"
#include "drs-preferences.h"
#include "drs-icon-resources.h"
#include "drs-resources.h"
#include "drs-i18n.h"
#include "drs-simulator.h"
#include "drs-window.h"

/* The built-in simulator runs this much faster than real time in the demo, so a new user sees
 * tasks move within seconds. */
#define DEMO_SPEED 30.0
#define DEMO_TOKEN "drs-monitor-demo-token"

struct _DrsApplication
{
  AdwApplication parent_instance;

  /* owned */
  GSettings     *settings;
  DrsSession    *session;
  DrsNotifier   *notifier;
  DrsBackground *background; /* keeps watching with no window open */
  DrsSimulator  *simulator;
  char          *history_path;
  char          *pending_job;  /* --job ID, selected once the window exists */
  char         **restart_argv; /* to start hidden again once the last window closed */
  const char    *language;     /* static: what the windows are labelled in */
  guint          relabel_id;   /* the one relabel pass pending after a switch */
  gboolean       demo_requested;
  gboolean       history_reported;
  guint          n_relabels;
};

G_DEFINE_FINAL_TYPE (DrsApplication, drs_application, ADW_TYPE_APPLICATION)

static void
on_language_setting_changed (DrsApplication *self, const char *key, GSettings *settings);

/* The main window, the most recently focused first (the preferences may be in front). */
static DrsWindow *
get_window (DrsApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (DRS_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void ensure_session (DrsApplication *self);

/**
 * drs_application_get_session:
 *
 * The session starts with the first activation (or this call): it opens the history, builds the
 * clients and polls.
 *
 * Returns: (transfer none): the monitoring the windows show
 */
DrsSession *
drs_application_get_session (DrsApplication *self)
{
  g_return_val_if_fail (DRS_IS_APPLICATION (self), NULL);
  ensure_session (self);
  return self->session;
}

/**
 * drs_application_get_simulator:
 *
 * Returns: (transfer none) (nullable): the demo's simulator, once started
 */
DrsSimulator *
drs_application_get_simulator (DrsApplication *self)
{
  g_return_val_if_fail (DRS_IS_APPLICATION (self), NULL);
  return self->simulator;
}

/**
 * drs_application_get_background:
 *
 * Returns: (transfer none) (nullable): what keeps the application watching with no window open,
 *   once started up
 */
DrsBackground *
drs_application_get_background (DrsApplication *self)
{
  g_return_val_if_fail (DRS_IS_APPLICATION (self), NULL);
  return self->background;
}

/**
 * drs_application_start_demo:
 *
 * Starts the built-in simulator in this process, with its default scenario at a fast speed,
 * and watches all of its tasks.
 */
gboolean
drs_application_start_demo (DrsApplication *self, GError **error)
{
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsClient) client = NULL;

  g_return_val_if_fail (DRS_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  if (self->simulator != NULL)
    return TRUE;

  self->simulator = drs_simulator_new ();
  drs_simulator_set_speed (self->simulator, DEMO_SPEED);
  drs_simulator_add_token (self->simulator, DEMO_TOKEN);
  if (!drs_simulator_listen (self->simulator, 0, NULL, error))
    {
      g_clear_object (&self->simulator);
      return FALSE;
    }

  credentials = drs_credentials_new_token (DEMO_TOKEN);
  client = drs_client_new (drs_simulator_get_base_url (self->simulator),
                           drs_simulator_get_project_id (self->simulator), credentials, error);
  if (client == NULL)
    {
      g_clear_object (&self->simulator);
      return FALSE;
    }
  drs_session_set_client (self->session, DRS_DEMO_ACCOUNT, client);
  drs_session_watch_all (self->session, DRS_DEMO_ACCOUNT);
  /* The simulator lives in this process: a fresh image would lose its tasks. */
  if (self->background != NULL)
    drs_background_set_restart (self->background, NULL);
  return TRUE;
}

/**
 * drs_application_set_restart:
 * @argv: (nullable): the command line that starts this program again with no window
 *
 * What the installed program gives: once the last window has closed and DRS Monitor goes on in
 * the background, it starts itself again with @argv, so what the window took is given back (see
 * drs_handover_exec()). Without it (tests) the process goes on as it is.
 */
void
drs_application_set_restart (DrsApplication *self, const char *const *argv)
{
  g_return_if_fail (DRS_IS_APPLICATION (self));
  g_strfreev (self->restart_argv);
  self->restart_argv = g_strdupv ((char **) argv);
  if (self->background != NULL && self->simulator == NULL)
    drs_background_set_restart (self->background, argv);
}

static void
ensure_session (DrsApplication *self)
{
  g_autoptr (GError) error = NULL;

  if (self->session != NULL)
    return;

  /* An explicit demo never touches the user's own tasks and history. */
  if (self->history_path == NULL && self->demo_requested)
    self->history_path = g_build_filename (g_get_user_data_dir (), "drs-monitor", "demo.db", NULL);

  self->session = drs_session_new (self->settings, self->history_path);
  drs_session_set_language (self->session, drs_i18n_get_x_language ());
  /* Started again by a process whose last window closed: its view comes along. */
  drs_handover_restore (self->session);
  if (g_application_get_is_registered (G_APPLICATION (self)))
    self->notifier = drs_notifier_new (G_APPLICATION (self),
                                       drs_session_get_monitor (self->session), self->settings);
  if (self->background != NULL)
    {
      drs_background_set_notifier (self->background, self->notifier);
      drs_background_set_session (self->background, self->session);
    }

  /* Tasks of the demo account need the simulator back. */
  if ((self->demo_requested || drs_session_has_jobs_of (self->session, DRS_DEMO_ACCOUNT)) &&
      !drs_application_start_demo (self, &error))
    g_warning ("Could not start the demo: %s", error->message);

  drs_session_start (self->session);
}

/* Shows what went wrong in the window, when there is one. */
static void
report (DrsApplication *self, const GError *error)
{
  if (self->session != NULL)
    drs_session_report_problem (self->session, error->message);
}

/* The language a window of ours was built in: a switch builds again only those older. */
#define WINDOW_LANGUAGE "drs-language"

static DrsWindow *
new_window (DrsApplication *self)
{
  DrsWindow *window = drs_window_new (GTK_APPLICATION (self), self->session);

  g_object_set_data (G_OBJECT (window), WINDOW_LANGUAGE, (gpointer) drs_i18n_get_language ());
  return window;
}

/* Selects the task of --job once it is in the list. */
static void
show_pending_job (DrsApplication *self, DrsWindow *window)
{
  if (self->pending_job == NULL ||
      drs_job_store_lookup (drs_session_get_store (self->session), self->pending_job) == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-job", "s", self->pending_job);
  g_clear_pointer (&self->pending_job, g_free);
}

static void
drs_application_activate (GApplication *app)
{
  DrsApplication *self = DRS_APPLICATION (app);
  DrsWindow      *window;

  ensure_session (self);

  window = get_window (self);
  if (window == NULL)
    {
      const GError *history_error = drs_session_get_history_error (self->session);

      window = new_window (self);
      /* Said once, in the first window. */
      if (history_error != NULL && !self->history_reported)
        report (self, history_error);
      self->history_reported = TRUE;
    }
  gtk_window_present (GTK_WINDOW (window));
  show_pending_job (self, window);
}

static int
drs_application_command_line (GApplication *app, GApplicationCommandLine *command_line)
{
  DrsApplication *self = DRS_APPLICATION (app);
  GVariantDict   *options = g_application_command_line_get_options_dict (command_line);
  const char     *job = NULL;

  if (g_variant_dict_contains (options, "demo"))
    self->demo_requested = TRUE;
  if (g_variant_dict_lookup (options, "job", "&s", &job))
    {
      g_free (self->pending_job);
      self->pending_job = g_strdup (job);
    }

  if (self->demo_requested && self->session != NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!drs_application_start_demo (self, &error))
        g_application_command_line_printerr (command_line, "%s\n", error->message);
    }

  /* A start at login: the session watches, no window opens. */
  if (g_variant_dict_contains (options, "background"))
    {
      ensure_session (self);
      drs_background_start_hidden (self->background);
      return 0;
    }

  g_application_activate (app);
  return 0;
}

static int
drs_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("drs-monitor %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsApplication *self = user_data;
  GList          *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

  /* Polling ends now, and closing the last window does not keep the application. */
  drs_background_quit (self->background);
  if (self->session != NULL)
    drs_session_stop (self->session);

  /* Close the windows so they save their size and columns. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (G_APPLICATION (user_data));
}

static void
demo_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsApplication *self = user_data;
  g_autoptr (GError) error = NULL;

  ensure_session (self);
  if (!drs_application_start_demo (self, &error))
    report (self, error);
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsApplication *self = user_data;
  const char     *developers[] = { "DRS Monitor developers", NULL };
  GtkWidget      *about;

  /* One of the application's windows, so a language switch opens it again; it closes with the
   * main window. */
  about =
      g_object_new (ADW_TYPE_ABOUT_WINDOW, "application", self, "transient-for", get_window (self),
                    "destroy-with-parent", TRUE, "application-name", _ ("DRS Monitor"),
                    "application-icon", APPLICATION_ID, "version", PACKAGE_VERSION, "developers",
                    developers, "license-type", GTK_LICENSE_GPL_3_0, "comments",
                    _ ("Watch Huawei Cloud DRS migration, synchronization and disaster "
                       "recovery tasks"),
                    "website", "https://github.com/drsmonitor/drs-monitor", "translator-credits",
                    _ ("translator-credits"), NULL);
  g_object_set_data (G_OBJECT (about), WINDOW_LANGUAGE, (gpointer) drs_i18n_get_language ());
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsApplication *self = user_data;
  GList          *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  DrsPreferences *preferences = NULL;
  DrsAccounts    *accounts;

  ensure_session (self);
  accounts = drs_session_get_accounts (self->session);
  for (GList *l = windows; l != NULL && preferences == NULL; l = l->next)
    if (DRS_IS_PREFERENCES (l->data))
      preferences = l->data;
  if (preferences == NULL)
    {
      preferences = drs_preferences_new (self->session);
      gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
      g_object_set_data (G_OBJECT (preferences), WINDOW_LANGUAGE,
                         (gpointer) drs_i18n_get_language ());
      gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (get_window (self)));
      /* A first visit is to set up an account: straight to its form. The demo, though, shows
       * what there is (its list, maybe empty) and leaves adding one to the user. */
      if (accounts != NULL && drs_accounts_get_n_accounts (accounts) == 0 &&
          self->simulator == NULL && !self->demo_requested)
        drs_preferences_edit_account (preferences, NULL);
    }
  gtk_window_present (GTK_WINDOW (preferences));
}

/* Runs a window action on the window, opened first when there is none. */
static void
activate_in_window (DrsApplication *self, const char *action, GVariant *parameter)
{
  DrsWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = get_window (self);
  if (window != NULL)
    gtk_widget_activate_action_variant (GTK_WIDGET (window), action, parameter);
}

/* Opens the window on a task: what clicking its notification does. */
static void
show_job_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  activate_in_window (user_data, "win.show-job", parameter);
}

/* A failure notification's “Retry…”: the window on the task, with the confirmation. Never
 * retries without it. */
static void
retry_job_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  activate_in_window (user_data, "win.show-job", parameter);
  activate_in_window (user_data, "win.confirm-retry", parameter);
}

/* Opens the window on the tasks of a status class ("failed", "finished", "running"): what a
 * grouped notification does. */
static void
show_status_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  activate_in_window (user_data, "win.status-filter", parameter);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "demo", demo_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "show-job", show_job_action, "s" },
  { "retry-job", retry_job_action, "s" },
  { "show-status", show_status_action, "s" },
};

static void
drs_application_startup (GApplication *app)
{
  DrsApplication        *self = DRS_APPLICATION (app);
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.show-help-overlay", { "<Control>question", NULL } },
    { "win.refresh", { "<Control>r", "F5", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.add-jobs", { "<Control>n", NULL } },
    { "win.show-details", { "F9", NULL } },
    { "task.pause", { "<Control><Shift>p", NULL } },
    { "task.resume", { "<Control><Shift>u", NULL } },
    { "task.retry", { "<Control><Shift>r", NULL } },
  };

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APPLICATION_ID);

  {
    g_autofree char *language =
        self->settings ? g_settings_get_string (self->settings, "language") : NULL;
    drs_i18n_apply (language);
    self->language = drs_i18n_get_language ();
  }
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::language",
                             G_CALLBACK (on_language_setting_changed), self, G_CONNECT_SWAPPED);

  G_APPLICATION_CLASS (drs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  self->background = drs_background_new (GTK_APPLICATION (self), self->settings);
  drs_background_set_notifier (self->background, self->notifier);
  drs_background_set_session (self->background, self->session);
  if (self->simulator == NULL)
    drs_background_set_restart (self->background, (const char *const *) self->restart_argv);
  /* Started by D-Bus (the desktop, a notification): watch with no window until one opens. */
  if (g_application_get_flags (app) & G_APPLICATION_IS_SERVICE)
    {
      ensure_session (self);
      if (self->settings == NULL || g_settings_get_boolean (self->settings, "run-in-background"))
        drs_background_start_hidden (self->background);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
}

static void
drs_application_shutdown (GApplication *app)
{
  DrsApplication *self = DRS_APPLICATION (app);

  if (self->session != NULL)
    drs_session_stop (self->session);

  G_APPLICATION_CLASS (drs_application_parent_class)->shutdown (app);
}

static void
drs_application_dispose (GObject *object)
{
  DrsApplication *self = DRS_APPLICATION (object);

  g_clear_handle_id (&self->relabel_id, g_source_remove);
  g_clear_object (&self->background);
  g_clear_object (&self->notifier);
  g_clear_object (&self->session);
  g_clear_object (&self->simulator);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (drs_application_parent_class)->dispose (object);
}

static void
drs_application_finalize (GObject *object)
{
  DrsApplication *self = DRS_APPLICATION (object);

  g_clear_pointer (&self->history_path, g_free);
  g_clear_pointer (&self->pending_job, g_free);
  g_clear_pointer (&self->restart_argv, g_strfreev);

  G_OBJECT_CLASS (drs_application_parent_class)->finalize (object);
}

static void
drs_application_class_init (DrsApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  /* Links the resources of this static library in; their constructor registers them. */
  g_assert (drs_get_resource () != NULL);
  g_assert (drs_icons_get_resource () != NULL);

  object_class->dispose = drs_application_dispose;
  object_class->finalize = drs_application_finalize;
  app_class->activate = drs_application_activate;
  app_class->startup = drs_application_startup;
  app_class->shutdown = drs_application_shutdown;
  app_class->command_line = drs_application_command_line;
  app_class->handle_local_options = drs_application_handle_local_options;
}

static void
drs_application_init (DrsApplication *self)
{
  static const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Watch the tasks of a simulated DRS service started on this computer"), NULL },
    { "job", 'j', 0, G_OPTION_ARG_STRING, NULL, N_ ("Show the task with this ID"), N_ ("ID") },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Start with no window and keep watching in the background"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
    { NULL }
  };

  self->history_path = g_strdup (g_getenv ("DRS_MONITOR_HISTORY"));
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (
      G_APPLICATION (self), _ ("Watch the progress, delay and errors of Huawei Cloud DRS tasks."));
}

DrsApplication *
drs_application_new (void)
{
  return g_object_new (DRS_TYPE_APPLICATION, "application-id", APPLICATION_ID, "flags",
                       G_APPLICATION_HANDLES_COMMAND_LINE, "resource-base-path",
                       "/io/github/drsmonitor/DrsMonitor", NULL);
}

/* Builds the main window again from its template, in the language now in force: the old one
 * leaves what the user made of the table (search, filter, sort, selection, scroll) in the
 * session as it closes, and the new one starts from it. Its dialogs follow it; its shortcuts
 * window, if it was open, is built again for the new one and shown. */
static void
rebuild_window (DrsApplication *self, DrsWindow *old)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  g_autoptr (GPtrArray) dialogs = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean   active = gtk_window_is_active (GTK_WINDOW (old));
  GtkWidget *help =
      GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (old)));
  gboolean   help_shown = help != NULL && gtk_widget_get_visible (help);
  DrsWindow *window;

  /* A confirmation open goes with the old window; the new one asks again. */
  for (GList *l = windows; l != NULL; l = l->next)
    if (gtk_window_get_transient_for (l->data) == GTK_WINDOW (old) &&
        !DRS_IS_ACTION_DIALOG (l->data) && l->data != (gpointer) help)
      {
        g_ptr_array_add (dialogs, g_object_ref (l->data));
        gtk_window_set_transient_for (l->data, NULL);
      }

  if (help_shown)
    gtk_widget_set_visible (help, FALSE);
  gtk_window_close (GTK_WINDOW (old));
  window = new_window (self);
  for (guint i = 0; i < dialogs->len; i++)
    gtk_window_set_transient_for (dialogs->pdata[i], GTK_WINDOW (window));
  if (active || dialogs->len == 0)
    gtk_window_present (GTK_WINDOW (window));
  else
    gtk_widget_set_visible (GTK_WIDGET (window), TRUE);
  for (guint i = 0; i < dialogs->len; i++)
    if (gtk_window_is_active (dialogs->pdata[i]) || !active)
      gtk_window_present (dialogs->pdata[i]);
  if (help_shown)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

/* @dialog, built again in the language now in force, takes the place of @old: the same parent
 * and size, focused if @old was. A question @old asked (removing an account) goes with it. */
static void
replace_dialog (DrsApplication *self, GtkWindow *old, GtkWindow *dialog, gboolean active)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  int         width, height;

  for (guint i = g_list_model_get_n_items (toplevels); i-- > 0;)
    {
      g_autoptr (GtkWindow) question = g_list_model_get_item (toplevels, i);

      if (gtk_window_get_transient_for (question) == old)
        gtk_window_destroy (question);
    }

  gtk_window_get_default_size (old, &width, &height);
  gtk_window_set_default_size (dialog, width, height);
  gtk_window_set_transient_for (dialog, gtk_window_get_transient_for (old));
  gtk_window_set_destroy_with_parent (dialog, gtk_window_get_destroy_with_parent (old));
  gtk_window_set_application (dialog, GTK_APPLICATION (self));
  g_object_set_data (G_OBJECT (dialog), WINDOW_LANGUAGE, (gpointer) drs_i18n_get_language ());
  gtk_window_destroy (old);
  if (active)
    gtk_window_present (dialog);
  else
    gtk_widget_set_visible (GTK_WIDGET (dialog), TRUE);
}

/* The one relabel pass after a switch, from the main loop: never from inside the write of the
 * setting that asked for it, so a language row that writes the setting is not relabelled while
 * it writes. Switches in quick succession relabel once, in the language they end on.
 *
 * Every window is built again from its template (or its code) and takes over what the old one
 * held; none relabels itself. The main windows go first, so the dialogs built after them find
 * their new parent. */
static gboolean
relabel_windows (gpointer user_data)
{
  DrsApplication *self = user_data;
  g_autoptr (GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  GtkWindow *active = NULL;

  self->relabel_id = 0;
  if (g_strcmp0 (self->language, drs_i18n_get_language ()) == 0)
    return G_SOURCE_REMOVE;
  self->language = drs_i18n_get_language ();
  self->n_relabels++;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (g_strcmp0 (g_object_get_data (l->data, WINDOW_LANGUAGE), self->language) != 0)
      {
        g_ptr_array_add (windows, g_object_ref (l->data));
        if (gtk_window_is_active (l->data))
          active = l->data;
      }

  g_application_hold (G_APPLICATION (self));
  for (guint i = 0; i < windows->len; i++)
    if (DRS_IS_WINDOW (windows->pdata[i]))
      rebuild_window (self, windows->pdata[i]);
  for (guint i = 0; i < windows->len; i++)
    {
      GtkWindow *old = windows->pdata[i];

      if (DRS_IS_ADD_DIALOG (old))
        replace_dialog (self, old, GTK_WINDOW (drs_add_dialog_rebuild (DRS_ADD_DIALOG (old))),
                        old == active);
      else if (DRS_IS_PREFERENCES (old))
        replace_dialog (self, old, GTK_WINDOW (drs_preferences_rebuild (DRS_PREFERENCES (old))),
                        old == active);
      else if (ADW_IS_ABOUT_WINDOW (old))
        {
          /* Built in code, not from a template: opened again. */
          gtk_window_destroy (old);
          g_action_group_activate_action (G_ACTION_GROUP (self), "about", NULL);
        }
    }
  g_application_release (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

/**
 * drs_application_get_n_relabels:
 *
 * Returns: how many relabel passes ran since startup: one per language switch, however many
 *   writes of the setting it took
 */
guint
drs_application_get_n_relabels (DrsApplication *self)
{
  g_return_val_if_fail (DRS_IS_APPLICATION (self), 0);
  return self->n_relabels;
}

/* Switches the `X-Language` of every client at once, and the windows' texts in one relabel pass
 * from the main loop (before the next frame). */
static void
on_language_setting_changed (DrsApplication *self, const char *key, GSettings *settings)
{
  g_autofree char *choice = g_settings_get_string (settings, key);

  drs_i18n_apply (choice);
  if (self->session != NULL)
    drs_session_set_language (self->session, drs_i18n_get_x_language ());
  /* The windows shown were labelled in this application's last language. */
  if (self->relabel_id == 0 && g_strcmp0 (self->language, drs_i18n_get_language ()) != 0)
    self->relabel_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, relabel_windows, self, NULL);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "drs-accounts.h"
#include "drs-application.h"
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
  GSettings    *settings;
  DrsJobStore  *store;
  DrsHistory   *history;
  DrsMonitor   *monitor;
  GHashTable   *clients; /* account → DrsClient */
  DrsSimulator *simulator;
  char         *history_path;
  char         *pending_job; /* --job ID, selected once the window exists */
  GError       *history_error;
  const char   *language;   /* static: what the windows are labelled in */
  guint         relabel_id; /* the one relabel pass pending after a switch */
  const char   *x_language; /* static: what this application's clients send */
  gboolean      demo_requested;
  DrsAccounts  *accounts;
  DrsSecrets   *secrets;
  DrsNotifier  *notifier;
  GHashTable   *loaded; /* account name → DrsAccount its client was built from */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (DrsApplication, drs_application, ADW_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_HAS_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  LANGUAGE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_language_setting_changed (DrsApplication *self, const char *key, GSettings *settings);

static DrsWindow *
get_window (DrsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return DRS_IS_WINDOW (window) ? DRS_WINDOW (window) : NULL;
}

DrsJobStore *
drs_application_get_store (DrsApplication *self)
{
  return self->store;
}

DrsMonitor *
drs_application_get_monitor (DrsApplication *self)
{
  return self->monitor;
}

DrsHistory *
drs_application_get_history (DrsApplication *self)
{
  return self->history;
}

GSettings *
drs_application_get_settings (DrsApplication *self)
{
  return self->settings;
}

/**
 * drs_application_get_client:
 * @account: (nullable): an account name, %NULL for the first one
 *
 * Returns: (transfer none) (nullable): the client of that account
 */
DrsClient *
drs_application_get_client (DrsApplication *self, const char *account)
{
  if (account == NULL)
    account = drs_application_get_default_account (self);
  return account ? g_hash_table_lookup (self->clients, account) : NULL;
}

/**
 * drs_application_get_default_account:
 *
 * Returns: (nullable): the account new tasks belong to: the first one configured
 */
const char *
drs_application_get_default_account (DrsApplication *self)
{
  GHashTableIter iter;
  gpointer       key;

  /* The first account the user set up, in their order. */
  for (guint i = 0; self->accounts != NULL && i < drs_accounts_get_n_accounts (self->accounts); i++)
    {
      const DrsAccount *account = drs_accounts_get (self->accounts, i);

      if (g_hash_table_contains (self->clients, account->name))
        return account->name;
    }
  g_hash_table_iter_init (&iter, self->clients);
  if (g_hash_table_iter_next (&iter, &key, NULL))
    return key;
  return NULL;
}

gboolean
drs_application_get_has_account (DrsApplication *self)
{
  /* Configured accounts count before their secrets are read and their clients exist. */
  return g_hash_table_size (self->clients) > 0 ||
         (self->accounts != NULL && drs_accounts_get_n_accounts (self->accounts) > 0);
}

gpointer
drs_application_get_simulator (DrsApplication *self)
{
  return self->simulator;
}

static void update_account_column (DrsApplication *self);

/**
 * drs_application_set_client:
 * @account: the account's name
 * @client: the client that polls its tasks
 *
 * Makes @account known: its tasks are polled with @client and the window leaves the welcome page.
 */
void
drs_application_set_client (DrsApplication *self, const char *account, DrsClient *client)
{
  gboolean had = drs_application_get_has_account (self);

  drs_client_set_language (client, drs_i18n_get_x_language ());
  g_hash_table_replace (self->clients, g_strdup (account), g_object_ref (client));
  drs_monitor_set_client (self->monitor, account, client);
  if (!had)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_ACCOUNT]);
  update_account_column (self);
}

/* Accounts ----------------------------------------------------------------------------------- */

static guint
count_accounts (DrsApplication *self)
{
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer       key;

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (names, key);
  for (guint i = 0; self->accounts != NULL && i < drs_accounts_get_n_accounts (self->accounts); i++)
    g_hash_table_add (names, drs_accounts_get (self->accounts, i)->name);
  return g_hash_table_size (names);
}

/* Every task belongs to one account: the table names it when there is more than one. */
static void
update_account_column (DrsApplication *self)
{
  DrsWindow *window = get_window (self);

  if (window != NULL)
    drs_job_columns_set_show_account (drs_window_get_columns (window), count_accounts (self) > 1);
}

typedef struct
{
  DrsApplication *self;
  DrsAccount     *account;
} LoadData;

/* No client for the account (no secret stored, a keyring error): its tasks say why, and so does
 * the window. */
static void
account_unusable (DrsApplication *self, const char *name, const GError *error)
{
  guint            n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  DrsWindow       *window = get_window (self);
  g_autofree char *text = NULL;

  g_debug ("Account %s has no client: %s", name, error->message);
  /* Translators: the first %s is an account's name, the second why it cannot be used */
  text = g_strdup_printf (_ ("The account “%s” cannot be used: %s"), name, error->message);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (drs_job_get_account (job), name) == 0)
        drs_job_mark_stale (job, text);
    }
  if (window != NULL)
    drs_window_show_toast (window, text);
}

static void
on_client_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LoadData       *data = user_data;
  DrsApplication *self = data->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsClient) client = drs_account_load_client_finish (result, &error);
  const DrsAccount *loaded = NULL;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->loaded != NULL)
    loaded = g_hash_table_lookup (self->loaded, data->account->name);

  /* Only for the account as it still is: an edit meanwhile started another load. */
  if (loaded != NULL && drs_account_equal (loaded, data->account))
    {
      if (client != NULL)
        drs_application_set_client (self, data->account->name, client);
      else
        account_unusable (self, data->account->name, error);
    }
  drs_account_free (data->account);
  g_object_unref (data->self);
  g_free (data);
}

static void
load_client (DrsApplication *self, const DrsAccount *account)
{
  LoadData *data = g_new0 (LoadData, 1);

  g_hash_table_replace (self->loaded, g_strdup (account->name), drs_account_copy (account));
  data->self = g_object_ref (self);
  data->account = drs_account_copy (account);
  drs_account_load_client_async (account, drs_application_get_secrets (self), self->cancellable,
                                 on_client_loaded, data);
}

static void
forget_client (DrsApplication *self, const char *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  if (self->monitor != NULL)
    drs_monitor_set_client (self->monitor, name, NULL);
  g_hash_table_remove (self->clients, name);
  /* Its tasks and their history stay; they are no longer polled. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (drs_job_get_account (job), name) == 0)
        drs_job_mark_stale (job, _ ("Its account was removed: it is no longer checked."));
    }
}

/* Brings the clients in line with the configured accounts. */
static void
sync_accounts (DrsApplication *self)
{
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer       key;

  if (self->accounts == NULL || self->monitor == NULL)
    return;

  g_hash_table_iter_init (&iter, self->loaded);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (drs_accounts_lookup (self->accounts, key) == NULL)
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    {
      g_hash_table_remove (self->loaded, gone->pdata[i]);
      forget_client (self, gone->pdata[i]);
    }

  for (guint i = 0; i < drs_accounts_get_n_accounts (self->accounts); i++)
    {
      const DrsAccount *account = drs_accounts_get (self->accounts, i);
      const DrsAccount *loaded = g_hash_table_lookup (self->loaded, account->name);

      if (loaded == NULL || !drs_account_equal (loaded, account))
        load_client (self, account);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_ACCOUNT]);
  update_account_column (self);
}

/**
 * drs_application_get_accounts:
 *
 * Returns: (transfer none) (nullable): the configured accounts (%NULL without the settings
 *   schema)
 */
DrsAccounts *
drs_application_get_accounts (DrsApplication *self)
{
  return self->accounts;
}

/**
 * drs_application_get_secrets:
 *
 * Returns: (transfer none): where the accounts' secrets are kept
 */
DrsSecrets *
drs_application_get_secrets (DrsApplication *self)
{
  if (self->secrets == NULL)
    self->secrets = drs_secrets_new ();
  return self->secrets;
}

/**
 * drs_application_reload_account:
 *
 * Builds the account's client again, after its secret changed.
 */
void
drs_application_reload_account (DrsApplication *self, const char *name)
{
  const DrsAccount *account;

  if (self->accounts == NULL || self->monitor == NULL)
    return;
  account = drs_accounts_lookup (self->accounts, name);
  if (account != NULL)
    load_client (self, account);
}

static void
on_secrets_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!drs_secrets_clear_finish (DRS_SECRETS (source), result, &error))
    g_warning ("Could not remove the account's secrets: %s", error->message);
}

/**
 * drs_application_remove_account:
 *
 * Forgets an account and its secrets. Its tasks stay in the list with their history, no longer
 * polled.
 */
void
drs_application_remove_account (DrsApplication *self, const char *name)
{
  g_return_if_fail (DRS_IS_APPLICATION (self));

  if (self->accounts == NULL || !drs_accounts_remove (self->accounts, name))
    return;
  drs_secrets_clear_async (drs_application_get_secrets (self), name, NULL, on_secrets_cleared,
                           NULL);
}

/**
 * drs_application_add_jobs:
 * @account: the account the tasks belong to
 * @names: (nullable): display names, parallel to @ids
 *
 * Watches the tasks: the table shows them now and the history remembers them.
 *
 * Returns: how many were new
 */
/* Pasted ids come without names: the project's job list knows them. */
static void
on_names_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos = drs_client_list_jobs_finish (DRS_CLIENT (source), result, &error);

  /* Without the list the tasks keep their ids as names; the monitor reports what is wrong. */
  if (infos == NULL || self->store == NULL)
    return;
  for (guint i = 0; i < infos->len; i++)
    {
      DrsJobInfo *info = infos->pdata[i];
      DrsJob     *job = drs_job_store_lookup (self->store, info->id);
      g_autoptr (GError) history_error = NULL;

      if (job == NULL || drs_job_get_name (job) != NULL || info->name == NULL ||
          *info->name == '\0')
        continue;
      drs_job_set_name (job, info->name);
      drs_job_set_scenario (job, drs_scenario_from_string (info->db_use_type));
      if (self->history != NULL &&
          !drs_history_add_watched (self->history, info->id, info->name, drs_job_get_account (job),
                                    &history_error))
        g_warning ("Could not remember task %s: %s", info->id, history_error->message);
    }
}

static void
look_up_names (DrsApplication *self, const char *account)
{
  static const char *const scenarios[] = { "migration", "sync", "cloudDataGuard" };
  DrsClient               *client = drs_monitor_get_client (self->monitor, account);

  if (client == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    drs_client_list_jobs_async (client, scenarios[i], self->cancellable, on_names_listed,
                                g_object_ref (self));
}

guint
drs_application_add_jobs (DrsApplication    *self,
                          const char        *account,
                          const char *const *ids,
                          const char *const *names)
{
  guint added = 0;
  guint unnamed = 0;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *name = names ? names[i] : NULL;
      g_autoptr (GError) error = NULL;
      DrsJob *job;

      if (drs_job_store_lookup (self->store, ids[i]) != NULL)
        continue;
      job = drs_job_store_add (self->store, ids[i], name);
      drs_job_set_account (job, account);
      added++;
      if (name == NULL)
        unnamed++;
      if (self->history != NULL &&
          !drs_history_add_watched (self->history, ids[i], name, account, &error))
        g_warning ("Could not remember task %s: %s", ids[i], error->message);
    }
  if (added > 0)
    drs_monitor_refresh_now (self->monitor);
  if (unnamed > 0)
    look_up_names (self, account);
  return added;
}

void
drs_application_remove_job (DrsApplication *self, const char *job_id)
{
  g_autoptr (GError) error = NULL;

  drs_job_store_remove (self->store, job_id);
  if (self->history != NULL && !drs_history_remove_watched (self->history, job_id, &error))
    g_warning ("Could not forget task %s: %s", job_id, error->message);
}

/**
 * drs_application_restore_jobs:
 * @jobs: (element-type DrsJob): jobs removed a moment ago
 *
 * Undoes a removal: the tasks come back with their names and accounts; their history was kept.
 */
void
drs_application_restore_jobs (DrsApplication *self, GPtrArray *jobs)
{
  for (guint i = 0; i < jobs->len; i++)
    {
      DrsJob     *job = jobs->pdata[i];
      const char *ids[] = { drs_job_get_id (job), NULL };
      const char *names[] = { drs_job_get_name (job), NULL };

      drs_application_add_jobs (self, drs_job_get_account (job), ids, names);
    }
}

static void
on_demo_jobs_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsApplication) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos = drs_client_list_jobs_finish (DRS_CLIENT (source), result, &error);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GPtrArray) names = g_ptr_array_new ();

  if (infos == NULL)
    {
      DrsWindow *window = get_window (self);

      if (window != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        drs_window_show_error (window, error);
      return;
    }

  for (guint i = 0; i < infos->len; i++)
    {
      DrsJobInfo *info = infos->pdata[i];

      g_ptr_array_add (ids, info->id);
      g_ptr_array_add (names, info->name);
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (names, NULL);
  drs_application_add_jobs (self, DRS_DEMO_ACCOUNT, (const char *const *) ids->pdata,
                            (const char *const *) names->pdata);

  for (guint i = 0; i < infos->len; i++)
    {
      DrsJobInfo *info = infos->pdata[i];
      DrsJob     *job = drs_job_store_lookup (self->store, info->id);

      if (job != NULL)
        drs_job_set_scenario (job, drs_scenario_from_string (info->db_use_type));
    }
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
  static const char *const scenarios[] = { "migration", "sync", "cloudDataGuard" };

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
  drs_application_set_client (self, DRS_DEMO_ACCOUNT, client);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    drs_client_list_jobs_async (client, scenarios[i], NULL, on_demo_jobs_listed,
                                g_object_ref (self));
  return TRUE;
}

static void
load_watched_jobs (DrsApplication *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) watched = NULL;

  if (self->history == NULL)
    return;
  watched = drs_history_list_watched (self->history, &error);
  if (watched == NULL)
    {
      g_warning ("Could not read the watched tasks: %s", error->message);
      return;
    }
  for (guint i = 0; i < watched->len; i++)
    {
      DrsWatchedJob *w = watched->pdata[i];
      DrsJob        *job = drs_job_store_add (self->store, w->id, w->name);

      drs_job_set_account (job, w->account);
    }
}

static void
ensure_engine (DrsApplication *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (self->monitor != NULL)
    return;

  /* An explicit demo never touches the user's own tasks and history. */
  if (self->history_path == NULL && self->demo_requested)
    self->history_path = g_build_filename (g_get_user_data_dir (), "drs-monitor", "demo.db", NULL);

  if (self->history_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->history_path);
      g_mkdir_with_parents (dir, 0700);
    }
  self->history = drs_history_open (self->history_path, &error);
  if (self->history == NULL)
    {
      /* Monitoring goes on without it; the window tells the user why. */
      g_warning ("History is not available: %s", error->message);
      self->history_error = g_steal_pointer (&error);
    }

  self->monitor = drs_monitor_new (self->store, self->history, NULL);
  if (self->settings != NULL)
    drs_monitor_bind_settings (self->monitor, self->settings);
  load_watched_jobs (self);
  if (self->accounts != NULL)
    {
      g_signal_connect_object (self->accounts, "changed", G_CALLBACK (sync_accounts), self,
                               G_CONNECT_SWAPPED);
      sync_accounts (self);
    }
  if (g_application_get_is_registered (G_APPLICATION (self)))
    self->notifier = drs_notifier_new (G_APPLICATION (self), self->monitor, self->settings);

  /* Tasks of the demo account need the simulator back. */
  if (self->demo_requested || drs_job_store_get_n_jobs (self->store) > 0)
    {
      gboolean has_demo = self->demo_requested;
      guint    n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

      for (guint i = 0; i < n && !has_demo; i++)
        {
          g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->store), i);
          has_demo = g_strcmp0 (drs_job_get_account (job), DRS_DEMO_ACCOUNT) == 0;
        }
      if (has_demo && !drs_application_start_demo (self, &error))
        g_warning ("Could not start the demo: %s", error->message);
    }

  drs_monitor_start (self->monitor);
}

static void
drs_application_activate (GApplication *app)
{
  DrsApplication *self = DRS_APPLICATION (app);
  DrsWindow      *window;

  ensure_engine (self);

  window = get_window (self);
  if (window == NULL)
    {
      window = drs_window_new (self);
      if (self->history_error != NULL)
        drs_window_show_error (window, self->history_error);
    }
  gtk_window_present (GTK_WINDOW (window));
  update_account_column (self);

  if (self->pending_job != NULL && drs_window_select_job (window, self->pending_job))
    g_clear_pointer (&self->pending_job, g_free);
  g_clear_error (&self->history_error);
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

  if (self->demo_requested && self->monitor != NULL)
    {
      g_autoptr (GError) error = NULL;

      if (!drs_application_start_demo (self, &error))
        g_application_command_line_printerr (command_line, "%s\n", error->message);
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
load_css (void)
{
  g_autoptr (GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, RESOURCE_BASE "style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));

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

  if (!drs_application_start_demo (self, &error))
    {
      DrsWindow *window = get_window (self);
      if (window != NULL)
        drs_window_show_error (window, error);
    }
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsApplication *self = user_data;
  const char     *developers[] = { "DRS Monitor developers", NULL };
  GtkWidget      *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW, "transient-for", get_window (self),
                        "application-name", _ ("DRS Monitor"), "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION, "developers", developers, "license-type",
                        GTK_LICENSE_GPL_3_0, "comments",
                        _ ("Watch Huawei Cloud DRS migration, synchronization and disaster "
                           "recovery tasks"),
                        "website", "https://github.com/drsmonitor/drs-monitor",
                        "translator-credits", _ ("translator-credits"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsApplication *self = user_data;
  DrsWindow      *window = get_window (self);
  GList          *windows = gtk_application_get_windows (GTK_APPLICATION (self));
  DrsPreferences *preferences = NULL;

  for (GList *l = windows; l != NULL && preferences == NULL; l = l->next)
    if (DRS_IS_PREFERENCES (l->data))
      preferences = l->data;
  if (preferences == NULL)
    {
      preferences = drs_preferences_new (self);
      gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (window));
      /* A first visit is to set up an account: straight to its form. The demo, though, shows
       * what there is (its list, maybe empty) and leaves adding one to the user. */
      if (self->accounts != NULL && drs_accounts_get_n_accounts (self->accounts) == 0 &&
          self->simulator == NULL && !self->demo_requested)
        drs_preferences_edit_account (preferences, NULL);
    }
  gtk_window_present (GTK_WINDOW (preferences));
}

/* Opens the window on a task: what clicking its notification does. */
static void
show_job_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsApplication *self = user_data;
  const char     *job_id = g_variant_get_string (parameter, NULL);
  DrsWindow      *window;

  g_application_activate (G_APPLICATION (self));
  window = get_window (self);
  if (window == NULL)
    return;
  if (!drs_window_select_job (window, job_id))
    {
      /* Hidden by the search or the status filter: show everything. */
      gtk_editable_set_text (GTK_EDITABLE (drs_window_get_search_entry (window)), "");
      drs_window_set_status_filter (window, DRS_WINDOW_FILTER_ALL);
      drs_window_select_job (window, job_id);
    }
}

/* A failure notification's “Retry…”: the window on the task, with the confirmation. Never
 * retries without it. */
static void
retry_job_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsApplication *self = user_data;
  const char     *ids[] = { g_variant_get_string (parameter, NULL), NULL };
  DrsWindow      *window;

  show_job_action (action, parameter, user_data);
  window = get_window (self);
  if (window != NULL)
    drs_task_actions_confirm_ids (drs_window_get_task_actions (window), DRS_TASK_ACTION_RETRY, ids);
}

/* Opens the window on the tasks of a status class: what a grouped notification does. */
static void
show_status_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsApplication *self = user_data;
  const char     *name = g_variant_get_string (parameter, NULL);
  int             status_class = DRS_WINDOW_FILTER_ALL;
  DrsWindow      *window;

  if (g_str_equal (name, "failed"))
    status_class = DRS_STATUS_CLASS_FAILED;
  else if (g_str_equal (name, "finished"))
    status_class = DRS_STATUS_CLASS_FINISHED;
  else if (g_str_equal (name, "running"))
    status_class = DRS_STATUS_CLASS_RUNNING;

  g_application_activate (G_APPLICATION (self));
  window = get_window (self);
  if (window != NULL)
    drs_window_set_status_filter (window, status_class);
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
  };

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL)
    self->settings = g_settings_new (APPLICATION_ID);
  if (self->settings != NULL)
    self->accounts = drs_accounts_new (self->settings);

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
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);
  load_css ();
}

static void
drs_application_shutdown (GApplication *app)
{
  DrsApplication *self = DRS_APPLICATION (app);

  if (self->monitor != NULL)
    drs_monitor_stop (self->monitor);
  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (drs_application_parent_class)->shutdown (app);
}

static void
drs_application_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsApplication *self = DRS_APPLICATION (object);

  switch (prop_id)
    {
      case PROP_HAS_ACCOUNT:
        g_value_set_boolean (value, drs_application_get_has_account (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_application_dispose (GObject *object)
{
  DrsApplication *self = DRS_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->relabel_id, g_source_remove);
  g_clear_object (&self->notifier);
  g_clear_object (&self->monitor);
  g_clear_object (&self->history);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_object (&self->simulator);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->secrets);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loaded, g_hash_table_unref);

  G_OBJECT_CLASS (drs_application_parent_class)->dispose (object);
}

static void
drs_application_finalize (GObject *object)
{
  DrsApplication *self = DRS_APPLICATION (object);

  g_clear_pointer (&self->history_path, g_free);
  g_clear_pointer (&self->pending_job, g_free);
  g_clear_error (&self->history_error);

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

  object_class->get_property = drs_application_get_property;
  object_class->dispose = drs_application_dispose;
  object_class->finalize = drs_application_finalize;
  app_class->activate = drs_application_activate;
  app_class->startup = drs_application_startup;
  app_class->shutdown = drs_application_shutdown;
  app_class->command_line = drs_application_command_line;
  app_class->handle_local_options = drs_application_handle_local_options;

  properties[PROP_HAS_ACCOUNT] =
      g_param_spec_boolean ("has-account", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DrsApplication::language-changed:
   *
   * The UI language changed: every window shows its texts again in the new language.
   */
  signals[LANGUAGE_CHANGED] = g_signal_new ("language-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
drs_application_init (DrsApplication *self)
{
  static const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Watch the tasks of a simulated DRS service started on this computer"), NULL },
    { "job", 'j', 0, G_OPTION_ARG_STRING, NULL, N_ ("Show the task with this ID"), N_ ("ID") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
    { NULL }
  };

  self->store = drs_job_store_new ();
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->loaded =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) drs_account_free);
  self->cancellable = g_cancellable_new ();
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

/* The one relabel pass after a switch, from the main loop: never from inside the write of the
 * setting that asked for it, so a language row that writes the setting is not relabelled while
 * it writes. Switches in quick succession relabel once, in the language they end on. */
static gboolean
relabel_windows (gpointer user_data)
{
  DrsApplication *self = user_data;

  self->relabel_id = 0;
  if (g_strcmp0 (self->language, drs_i18n_get_language ()) != 0)
    {
      self->language = drs_i18n_get_language ();
      g_signal_emit (self, signals[LANGUAGE_CHANGED], 0);
    }
  return G_SOURCE_REMOVE;
}

/**
 * drs_application_set_language:
 * @choice: "system", "en-US" or "zh-CN"
 *
 * Switches the `X-Language` of every client at once, and the windows' texts in one relabel pass
 * from the main loop (before the next frame).
 */
void
drs_application_set_language (DrsApplication *self, const char *choice)
{
  GHashTableIter iter;
  gpointer       value;
  gboolean       changed;

  drs_i18n_apply (choice);
  changed = g_strcmp0 (self->x_language, drs_i18n_get_x_language ()) != 0;
  self->x_language = drs_i18n_get_x_language ();

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    drs_client_set_language (value, drs_i18n_get_x_language ());
  /* The server's messages on screen (errors, failed tasks polled rarely) come again in the new
   * language now, not at their next turn. */
  if (changed && self->monitor != NULL && drs_monitor_get_running (self->monitor))
    drs_monitor_refresh_now (self->monitor);
  /* The windows shown were labelled in this application's last language. */
  if (self->relabel_id == 0 && g_strcmp0 (self->language, drs_i18n_get_language ()) != 0)
    self->relabel_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, relabel_windows, self, NULL);
}

static void
on_language_setting_changed (DrsApplication *self, const char *key, GSettings *settings)
{
  g_autofree char *choice = g_settings_get_string (settings, key);

  drs_application_set_language (self, choice);
}

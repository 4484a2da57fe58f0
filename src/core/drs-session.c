/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The monitoring, owned in one place with no widget in sight: the accounts and their secrets, a
 * client per account, the tasks watched, the monitor polling them, their history and the
 * language DRS answers in. Windows are views on a session; it runs on with none open. */
#define G_LOG_DOMAIN "drs-session"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "drs-session-private.h"

G_DEFINE_FINAL_TYPE (DrsSession, drs_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SETTINGS,
  PROP_HISTORY_PATH,
  PROP_STORE,
  PROP_MONITOR,
  PROP_HISTORY,
  PROP_ACCOUNTS,
  PROP_SECRETS,
  PROP_VIEW_STATE,
  PROP_LANGUAGE,
  PROP_HAS_ACCOUNT,
  PROP_N_ACCOUNTS,
  PROP_CLOCK,
  PROP_NETWORK_MONITOR,
  PROP_POWER_PROFILE_MONITOR,
  PROP_OFFLINE,
  PROP_POWER_SAVER,
  PROP_POWER_SAVER_FACTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_drs_session_notify_accounts (DrsSession *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_ACCOUNT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACCOUNTS]);
}

void
_drs_session_notify_env (DrsSession *self, DrsSessionEnvProp prop)
{
  static const guint map[] = {
    [DRS_SESSION_ENV_OFFLINE] = PROP_OFFLINE,
    [DRS_SESSION_ENV_POWER_SAVER] = PROP_POWER_SAVER,
    [DRS_SESSION_ENV_POWER_SAVER_FACTOR] = PROP_POWER_SAVER_FACTOR,
  };

  g_object_notify_by_pspec (G_OBJECT (self), properties[map[prop]]);
}

enum
{
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Tasks -------------------------------------------------------------------------------------- */

/* Remembers @job (its name may just have become known). */
static void
remember (DrsSession *self, DrsJob *job)
{
  g_autoptr (GError) error = NULL;

  if (self->history != NULL &&
      !drs_history_add_watched (self->history, drs_job_get_id (job), drs_job_get_name (job),
                                drs_job_get_account (job), &error))
    g_warning ("Could not remember task %s: %s", drs_job_get_id (job), error->message);
}

typedef struct
{
  DrsSession *self;
  char       *account;
  gboolean    add; /* add every task listed, not only name those watched */
} ListData;

static void
list_data_free (ListData *data)
{
  g_object_unref (data->self);
  g_free (data->account);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ListData, list_data_free)

/* A job list came: pasted ids get their names and kinds, and a watch-all adds every task. */
static void
on_jobs_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ListData) data = user_data;
  DrsSession *self = data->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos = drs_client_list_jobs_finish (DRS_CLIENT (source), result, &error);

  if (infos == NULL)
    {
      /* Without the list, pasted tasks keep their ids as names; the monitor reports what is
       * wrong with the connection. A watch-all that could not list says so. */
      if (data->add && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        drs_session_report_problem (self, error->message);
      return;
    }

  for (guint i = 0; i < infos->len; i++)
    {
      DrsJobInfo *info = infos->pdata[i];
      DrsJob     *job = drs_job_store_lookup (self->store, info->id);

      if (job == NULL && data->add)
        {
          const char *ids[] = { info->id, NULL };
          const char *names[] = { info->name, NULL };

          drs_session_add_jobs (self, data->account, ids, names);
          job = drs_job_store_lookup (self->store, info->id);
        }
      else if (job == NULL || drs_job_get_name (job) != NULL || info->name == NULL ||
               *info->name == '\0')
        continue;
      else
        {
          drs_job_set_name (job, info->name);
          remember (self, job);
        }
      drs_job_set_scenario (job, drs_scenario_from_string (info->db_use_type));
    }
}

static void
list_jobs (DrsSession *self, const char *account, gboolean add)
{
  DrsClient *client = drs_session_get_client (self, account);

  if (client == NULL)
    return;
  /* The job list is asked for each kind of task. */
  for (DrsScenario kind = DRS_SCENARIO_MIGRATION; kind <= DRS_SCENARIO_CLOUD_DATA_GUARD; kind++)
    {
      ListData *data = g_new0 (ListData, 1);

      data->self = g_object_ref (self);
      data->account = g_strdup (account);
      data->add = add;
      drs_client_list_jobs_async (client, drs_scenario_to_string (kind), self->cancellable,
                                  on_jobs_listed, data);
    }
}

/**
 * drs_session_add_jobs:
 * @account: the account the tasks belong to
 * @ids: (array zero-terminated=1): task ids
 * @names: (nullable) (array zero-terminated=1): display names, parallel to @ids
 *
 * Watches the tasks: the table shows them now and the history remembers them. Tasks without a
 * name get the one the project's job list knows.
 *
 * Returns: how many were new
 */
guint
drs_session_add_jobs (DrsSession        *self,
                      const char        *account,
                      const char *const *ids,
                      const char *const *names)
{
  guint added = 0;
  guint unnamed = 0;

  g_return_val_if_fail (DRS_IS_SESSION (self), 0);
  g_return_val_if_fail (ids != NULL, 0);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *name = names ? names[i] : NULL;
      DrsJob     *job;

      if (drs_job_store_lookup (self->store, ids[i]) != NULL)
        continue;
      job = drs_job_store_add (self->store, ids[i], name);
      drs_job_set_account (job, account);
      added++;
      if (name == NULL)
        unnamed++;
      remember (self, job);
    }
  if (added > 0)
    drs_monitor_refresh_now (self->monitor);
  if (unnamed > 0)
    list_jobs (self, account, FALSE);
  return added;
}

/**
 * drs_session_watch_all:
 * @account: an account with a client
 *
 * Watches every task the account's project lists, with their names and kinds. A list that
 * cannot be read is reported through #DrsSession::problem.
 */
void
drs_session_watch_all (DrsSession *self, const char *account)
{
  g_return_if_fail (DRS_IS_SESSION (self));
  g_return_if_fail (account != NULL);

  list_jobs (self, account, TRUE);
}

void
drs_session_remove_job (DrsSession *self, const char *job_id)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (DRS_IS_SESSION (self));

  drs_job_store_remove (self->store, job_id);
  if (self->history != NULL && !drs_history_remove_watched (self->history, job_id, &error))
    g_warning ("Could not forget task %s: %s", job_id, error->message);
}

/**
 * drs_session_restore_jobs:
 * @jobs: (element-type DrsJob): jobs removed a moment ago
 *
 * Undoes a removal: the tasks come back with their names and accounts; their history was kept.
 */
void
drs_session_restore_jobs (DrsSession *self, GPtrArray *jobs)
{
  g_return_if_fail (DRS_IS_SESSION (self));

  for (guint i = 0; i < jobs->len; i++)
    {
      DrsJob     *job = jobs->pdata[i];
      const char *ids[] = { drs_job_get_id (job), NULL };
      const char *names[] = { drs_job_get_name (job), NULL };

      drs_session_add_jobs (self, drs_job_get_account (job), ids, names);
    }
}

/**
 * drs_session_has_jobs_of:
 *
 * Returns: whether any task watched belongs to @account
 */
gboolean
drs_session_has_jobs_of (DrsSession *self, const char *account)
{
  guint n;

  g_return_val_if_fail (DRS_IS_SESSION (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (drs_job_get_account (job), account) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The tasks watched when the app last ran, added at once (one items-changed for them all). */
static void
load_watched_jobs (DrsSession *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) watched = NULL;
  g_autoptr (GPtrArray) ids = NULL;

  if (self->history == NULL)
    return;
  watched = drs_history_list_watched (self->history, &error);
  if (watched == NULL)
    {
      g_warning ("Could not read the watched tasks: %s", error->message);
      return;
    }
  ids = g_ptr_array_new_full (watched->len + 1, NULL);
  for (guint i = 0; i < watched->len; i++)
    g_ptr_array_add (ids, ((DrsWatchedJob *) watched->pdata[i])->id);
  g_ptr_array_add (ids, NULL);
  drs_job_store_add_many (self->store, (const char *const *) ids->pdata);
  for (guint i = 0; i < watched->len; i++)
    {
      DrsWatchedJob *w = watched->pdata[i];
      DrsJob        *job = drs_job_store_lookup (self->store, w->id);

      if (w->name != NULL)
        drs_job_set_name (job, w->name);
      drs_job_set_account (job, w->account);
    }
}

/* The rest ----------------------------------------------------------------------------------- */

/**
 * drs_session_report_problem:
 * @message: a translated sentence
 *
 * Tells the views something went wrong that the user should read (#DrsSession::problem).
 */
void
drs_session_report_problem (DrsSession *self, const char *message)
{
  g_return_if_fail (DRS_IS_SESSION (self));
  g_return_if_fail (message != NULL);

  g_signal_emit (self, signals[PROBLEM], 0, message);
}

const char *
drs_session_get_language (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);
  return self->language;
}

/**
 * drs_session_set_language:
 * @x_language: what every request's `X-Language` says: "en-us" or "zh-cn"
 *
 * Switches every client at once; while the monitor runs, the tasks are asked for again, so the
 * server's messages on screen come in the new language now rather than at their next turn.
 */
void
drs_session_set_language (DrsSession *self, const char *x_language)
{
  GHashTableIter iter;
  gpointer       value;

  g_return_if_fail (DRS_IS_SESSION (self));
  g_return_if_fail (x_language != NULL);

  if (g_strcmp0 (self->language, x_language) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (x_language);
  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    drs_client_set_language (value, self->language);
  if (drs_monitor_get_running (self->monitor))
    drs_monitor_refresh_now (self->monitor);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

/**
 * drs_session_start:
 *
 * Starts polling the tasks.
 */
void
drs_session_start (DrsSession *self)
{
  g_return_if_fail (DRS_IS_SESSION (self));
  drs_monitor_start (self->monitor);
}

/**
 * drs_session_stop:
 *
 * Stops polling and cancels what is under way (loading secrets, job lists).
 */
void
drs_session_stop (DrsSession *self)
{
  g_return_if_fail (DRS_IS_SESSION (self));
  drs_monitor_stop (self->monitor);
  g_cancellable_cancel (self->cancellable);
}

DrsJobStore *
drs_session_get_store (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);
  return self->store;
}

DrsMonitor *
drs_session_get_monitor (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);
  return self->monitor;
}

/**
 * drs_session_get_history:
 *
 * Returns: (transfer none) (nullable): the history, %NULL when it could not be opened
 */
DrsHistory *
drs_session_get_history (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);
  return self->history;
}

/**
 * drs_session_get_history_error:
 *
 * Returns: (nullable): why the history could not be opened
 */
const GError *
drs_session_get_history_error (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);
  return self->history_error;
}

/**
 * drs_session_get_settings:
 *
 * Returns: (transfer none) (nullable): the settings, %NULL without the schema installed
 */
GSettings *
drs_session_get_settings (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);
  return self->settings;
}

/**
 * drs_session_get_accounts:
 *
 * Returns: (transfer none) (nullable): the configured accounts, %NULL without the settings
 */
DrsAccounts *
drs_session_get_accounts (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);
  return self->accounts;
}

DrsSecrets *
drs_session_get_secrets (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);
  return self->secrets;
}

DrsViewState *
drs_session_get_view_state (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);
  return self->view_state;
}

static void
drs_session_constructed (GObject *object)
{
  DrsSession *self = DRS_SESSION (object);
  g_autoptr (GError) error = NULL;

  G_OBJECT_CLASS (drs_session_parent_class)->constructed (object);

  if (self->history_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->history_path);
      g_mkdir_with_parents (dir, 0700);
    }
  self->history = drs_history_open (self->history_path, &error);
  if (self->history == NULL)
    {
      /* Monitoring goes on without it; the views tell the user why. */
      g_warning ("History is not available: %s", error->message);
      self->history_error = g_steal_pointer (&error);
    }

  self->monitor = drs_monitor_new (self->store, self->history, self->clock);
  if (self->settings != NULL)
    {
      drs_monitor_bind_settings (self->monitor, self->settings);
      g_settings_bind (self->settings, "power-saver-factor", self, "power-saver-factor",
                       G_SETTINGS_BIND_GET);
      self->accounts = drs_accounts_new (self->settings);
    }
  _drs_session_env_start (self);
  load_watched_jobs (self);
  if (self->accounts != NULL)
    {
      g_signal_connect_object (self->accounts, "changed", G_CALLBACK (_drs_session_sync_accounts),
                               self, G_CONNECT_SWAPPED);
      _drs_session_sync_accounts (self);
    }
}

static void
drs_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsSession *self = DRS_SESSION (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;
      case PROP_HISTORY_PATH:
        g_value_set_string (value, self->history_path);
        break;
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      case PROP_MONITOR:
        g_value_set_object (value, self->monitor);
        break;
      case PROP_HISTORY:
        g_value_set_object (value, self->history);
        break;
      case PROP_ACCOUNTS:
        g_value_set_object (value, self->accounts);
        break;
      case PROP_SECRETS:
        g_value_set_object (value, self->secrets);
        break;
      case PROP_VIEW_STATE:
        g_value_set_object (value, self->view_state);
        break;
      case PROP_LANGUAGE:
        g_value_set_string (value, self->language);
        break;
      case PROP_HAS_ACCOUNT:
        g_value_set_boolean (value, drs_session_get_has_account (self));
        break;
      case PROP_N_ACCOUNTS:
        g_value_set_uint (value, drs_session_get_n_accounts (self));
        break;
      case PROP_CLOCK:
        g_value_set_object (value, drs_monitor_get_clock (self->monitor));
        break;
      case PROP_NETWORK_MONITOR:
        g_value_set_object (value, self->network_monitor);
        break;
      case PROP_POWER_PROFILE_MONITOR:
        g_value_set_object (value, self->power_monitor);
        break;
      case PROP_OFFLINE:
        g_value_set_boolean (value, self->offline);
        break;
      case PROP_POWER_SAVER:
        g_value_set_boolean (value, self->power_saver);
        break;
      case PROP_POWER_SAVER_FACTOR:
        g_value_set_uint (value, self->power_saver_factor);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_session_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DrsSession *self = DRS_SESSION (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        self->settings = g_value_dup_object (value);
        break;
      case PROP_HISTORY_PATH:
        self->history_path = g_value_dup_string (value);
        break;
      case PROP_LANGUAGE:
        if (g_value_get_string (value) != NULL)
          drs_session_set_language (self, g_value_get_string (value));
        break;
      case PROP_CLOCK:
        self->clock = g_value_dup_object (value);
        break;
      case PROP_NETWORK_MONITOR:
        self->network_monitor = g_value_dup_object (value);
        break;
      case PROP_POWER_PROFILE_MONITOR:
        self->power_monitor = g_value_dup_object (value);
        break;
      case PROP_POWER_SAVER_FACTOR:
        drs_session_set_power_saver_factor (self, g_value_get_uint (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_session_dispose (GObject *object)
{
  DrsSession *self = DRS_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  _drs_session_env_stop (self);
  if (self->monitor != NULL)
    drs_monitor_stop (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_object (&self->history);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_pointer (&self->loaded, g_hash_table_unref);
  g_clear_object (&self->accounts);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);
  g_clear_object (&self->view_state);
  g_clear_object (&self->settings);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (drs_session_parent_class)->dispose (object);
}

static void
drs_session_finalize (GObject *object)
{
  DrsSession *self = DRS_SESSION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->env_cancellable);
  g_clear_pointer (&self->history_path, g_free);
  g_clear_pointer (&self->language, g_free);
  g_clear_error (&self->history_error);

  G_OBJECT_CLASS (drs_session_parent_class)->finalize (object);
}

static GParamSpec *
object_property (const char *name, GType type)
{
  return g_param_spec_object (name, NULL, NULL, type, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
construct_property (const char *name, GType type)
{
  return g_param_spec_object (name, NULL, NULL, type,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
state_property (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
drs_session_class_init (DrsSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = drs_session_constructed;
  object_class->get_property = drs_session_get_property;
  object_class->set_property = drs_session_set_property;
  object_class->dispose = drs_session_dispose;
  object_class->finalize = drs_session_finalize;

  properties[PROP_SETTINGS] = construct_property ("settings", G_TYPE_SETTINGS);
  /* Where the history lives: %NULL for the default place. */
  properties[PROP_HISTORY_PATH] =
      g_param_spec_string ("history-path", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] = object_property ("store", DRS_TYPE_JOB_STORE);
  properties[PROP_MONITOR] = object_property ("monitor", DRS_TYPE_MONITOR);
  properties[PROP_HISTORY] = object_property ("history", DRS_TYPE_HISTORY);
  properties[PROP_ACCOUNTS] = object_property ("accounts", DRS_TYPE_ACCOUNTS);
  properties[PROP_SECRETS] = object_property ("secrets", DRS_TYPE_SECRETS);
  properties[PROP_VIEW_STATE] = object_property ("view-state", DRS_TYPE_VIEW_STATE);
  /* The `X-Language` of every request: "en-us" or "zh-cn". */
  properties[PROP_LANGUAGE] =
      g_param_spec_string ("language", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_ACCOUNT] = state_property ("has-account");
  properties[PROP_N_ACCOUNTS] =
      g_param_spec_uint ("n-accounts", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The monitor's time and timers: %NULL for the system clock (tests bring a manual one). */
  properties[PROP_CLOCK] = construct_property ("clock", DRS_TYPE_CLOCK);
  /* Whether there is a network: %NULL for g_network_monitor_get_default(). */
  properties[PROP_NETWORK_MONITOR] = construct_property ("network-monitor", G_TYPE_NETWORK_MONITOR);
  /* Whether to save power: %NULL for g_power_profile_monitor_dup_default(). */
  properties[PROP_POWER_PROFILE_MONITOR] =
      construct_property ("power-profile-monitor", G_TYPE_POWER_PROFILE_MONITOR);
  /* No full network: the endpoints off this computer are not polled, their tasks are stale. */
  properties[PROP_OFFLINE] = state_property ("offline");
  /* Power-saver mode: the intervals are power-saver-factor times as long. */
  properties[PROP_POWER_SAVER] = state_property ("power-saver");
  properties[PROP_POWER_SAVER_FACTOR] =
      g_param_spec_uint ("power-saver-factor", NULL, NULL, 1, 100, 4,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DrsSession::problem:
   * @message: a translated sentence saying what went wrong
   *
   * Something the user should read went wrong outside any view's own request: an account that
   * cannot be used, a job list that could not be read.
   */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
drs_session_init (DrsSession *self)
{
  self->store = drs_job_store_new ();
  self->secrets = drs_secrets_new ();
  self->view_state = drs_view_state_new ();
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->loaded =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) drs_account_free);
  self->cancellable = g_cancellable_new ();
  self->env_cancellable = g_cancellable_new ();
  self->asleep_since_us = -1;
  self->power_saver_factor = 4;
}

/**
 * drs_session_new:
 * @settings: (nullable): the application's settings: the accounts, intervals and thresholds
 * @history_path: (nullable): the history's file, %NULL for the default place
 *
 * Opens the history, loads the tasks watched and builds a client per configured account. The
 * session polls once drs_session_start() is called.
 *
 * Returns: (transfer full): a new session
 */
DrsSession *
drs_session_new (GSettings *settings, const char *history_path)
{
  return g_object_new (DRS_TYPE_SESSION, "settings", settings, "history-path", history_path, NULL);
}

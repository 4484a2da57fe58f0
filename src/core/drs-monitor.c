/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include "drs-endpoint.h"
#include "drs-monitor-private.h"

/**
 * DrsMonitor:
 *
 * The scheduler behind the window: decides which tasks to ask about and when, sends the
 * requests through the account's #DrsClient, merges the answers into the #DrsJobStore, records
 * them in the #DrsHistory and signals what changed in a way a person should hear about.
 *
 * - Active tasks (running, pending, paused, not yet known) are polled every #DrsMonitor:interval,
 *   finished and failed ones every #DrsMonitor:finished-interval, so a refresh costs what the
 *   active tasks cost. Ids go out in batches of up to ten, one request per batch; a batch not
 *   full is topped up with tasks due soon.
 * - Each endpoint (account) has a request budget: a token bucket (bursts of at most a sixth of
 *   the budget, refilled at the budget's rate) and a sliding one-minute window, so no minute
 *   ever sees more than #DrsMonitor:budget requests.
 * - At most one request is in flight per task.
 * - Throttling, server and network errors back the endpoint off exponentially with jitter
 *   (honouring Retry-After); a success resets it. drs_monitor_refresh_now() puts every task
 *   first in the queue but spends from the same budget.
 * - A failed poll keeps the task's values and marks it stale.
 * - Answers are merged once per refresh (when the last request of a wave returns, or at the
 *   latest a second after the first one did), so views re-sort once.
 *
 * Time comes from a #DrsClock, so tests drive hours of scheduling without sleeping.
 */

/*
 * This file holds the object: its properties and signals, its lifecycle (start, stop, refresh
 * now), the clients per account and the settings. The polling itself is in drs-monitor-poll.c;
 * drs-monitor-private.h lists the other files.
 */

#define PRUNE_PERIOD_MS ((guint) 6 * 3600 * 1000)

G_DEFINE_FINAL_TYPE (DrsMonitor, drs_monitor, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_HISTORY,
  PROP_CLOCK,
  PROP_INTERVAL,
  PROP_FINISHED_INTERVAL,
  PROP_BUDGET,
  PROP_DELAY_THRESHOLD,
  PROP_DELAY_SAMPLES,
  PROP_DELAY_GRACE,
  PROP_RUNNING,
  PROP_REFRESHING,
  PROP_LAST_REFRESH,
  PROP_LAST_SUCCESS,
  PROP_OFFLINE,
  PROP_INTERVAL_FACTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[DRS_MONITOR_N_SIGNALS];

/* For the other files of the type ------------------------------------------------------------ */

void
_drs_monitor_emit (DrsMonitor *self, DrsMonitorSignal signal, ...)
{
  va_list args;

  va_start (args, signal);
  g_signal_emit_valist (self, signals[signal], 0, args);
  va_end (args);
}

void
_drs_monitor_set_refreshing (DrsMonitor *self, gboolean refreshing)
{
  if (self->refreshing == !!refreshing)
    return;
  self->refreshing = !!refreshing;
  if (!refreshing)
    {
      self->last_refresh_us = drs_clock_get_wall_us (self->clock);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_REFRESH]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
  g_signal_emit (
      self, signals[refreshing ? DRS_MONITOR_REFRESH_STARTED : DRS_MONITOR_REFRESH_FINISHED], 0);
}

/* Notifies on every answer, also when the time has not changed. */
void
_drs_monitor_set_last_success (DrsMonitor *self, gint64 wall_us)
{
  self->last_success_us = wall_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
}

DrsMonitorEndpoint *
_drs_monitor_lookup_endpoint (DrsMonitor *self, const char *account)
{
  return g_hash_table_lookup (self->endpoints, account != NULL ? account : "");
}

/* Puts the tasks not in flight at the front of the queue, of every endpoint or (@only_away) of
 * those the network took away, and ends their backoff unless the server asked us to wait. */
void
_drs_monitor_make_urgent (DrsMonitor *self, gboolean only_away)
{
  GHashTableIter iter;
  gpointer       value;

  _drs_monitor_sync_states (self);
  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DrsMonitorJobState *state = value;
      DrsMonitorEndpoint *ep =
          _drs_monitor_lookup_endpoint (self, drs_job_get_account (state->job));

      if (!state->in_flight && (!only_away || (ep != NULL && !ep->loopback)))
        state->urgent = TRUE;
    }

  g_hash_table_iter_init (&iter, self->endpoints);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DrsMonitorEndpoint *ep = value;

      /* Throttling is the server asking us to wait: keep waiting. After other errors the user
       * may know the network is back. The failure count stays, so the backoff keeps growing
       * if it is not. */
      if (!ep->throttled && (!only_away || !ep->loopback))
        ep->backoff_until_us = -1;
    }

  _drs_monitor_kick (self);
}

static void
store_items_changed_cb (
    DrsMonitor *self, guint position, guint removed, guint added, GListModel *model)
{
  self->states_dirty = TRUE;
  if (added > 0)
    _drs_monitor_kick (self);
}

static gboolean
prune_cb (gpointer data)
{
  DrsMonitor *self = data;

  if (self->history != NULL)
    drs_history_prune (self->history, drs_clock_get_wall_us (self->clock));
  return G_SOURCE_CONTINUE;
}

/* GObject ----------------------------------------------------------------------------------- */

static void
drs_monitor_constructed (GObject *object)
{
  DrsMonitor *self = (DrsMonitor *) object;

  G_OBJECT_CLASS (drs_monitor_parent_class)->constructed (object);

  if (self->clock == NULL)
    self->clock = drs_clock_new_system ();
  g_assert (self->store != NULL);
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (store_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
drs_monitor_dispose (GObject *object)
{
  DrsMonitor *self = (DrsMonitor *) object;

  drs_monitor_stop (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_pointer (&self->states, g_hash_table_unref);
  g_clear_pointer (&self->endpoints, g_hash_table_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->history);
  g_clear_object (&self->clock);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (drs_monitor_parent_class)->dispose (object);
}

static void
drs_monitor_finalize (GObject *object)
{
  DrsMonitor *self = (DrsMonitor *) object;

  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (drs_monitor_parent_class)->finalize (object);
}

static void
drs_monitor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsMonitor *self = DRS_MONITOR (object);

  switch (prop_id)
    {
      case PROP_STORE:
        g_value_set_object (value, self->store);
        break;
      case PROP_HISTORY:
        g_value_set_object (value, self->history);
        break;
      case PROP_CLOCK:
        g_value_set_object (value, self->clock);
        break;
      case PROP_INTERVAL:
        g_value_set_uint (value, self->interval_s);
        break;
      case PROP_FINISHED_INTERVAL:
        g_value_set_uint (value, self->finished_interval_s);
        break;
      case PROP_BUDGET:
        g_value_set_uint (value, self->budget);
        break;
      case PROP_DELAY_THRESHOLD:
        g_value_set_uint (value, self->delay_threshold_s);
        break;
      case PROP_DELAY_SAMPLES:
        g_value_set_uint (value, self->delay_samples);
        break;
      case PROP_DELAY_GRACE:
        g_value_set_uint (value, self->delay_grace_s);
        break;
      case PROP_RUNNING:
        g_value_set_boolean (value, self->running);
        break;
      case PROP_REFRESHING:
        g_value_set_boolean (value, self->refreshing);
        break;
      case PROP_LAST_REFRESH:
        g_value_set_int64 (value, self->last_refresh_us);
        break;
      case PROP_LAST_SUCCESS:
        g_value_set_int64 (value, self->last_success_us);
        break;
      case PROP_OFFLINE:
        g_value_set_boolean (value, self->offline);
        break;
      case PROP_INTERVAL_FACTOR:
        g_value_set_uint (value, self->interval_factor);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_monitor_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DrsMonitor *self = DRS_MONITOR (object);

  switch (prop_id)
    {
      case PROP_STORE:
        self->store = g_value_dup_object (value);
        break;
      case PROP_HISTORY:
        self->history = g_value_dup_object (value);
        break;
      case PROP_CLOCK:
        self->clock = g_value_dup_object (value);
        break;
      case PROP_INTERVAL:
        drs_monitor_set_interval (self, g_value_get_uint (value));
        break;
      case PROP_FINISHED_INTERVAL:
        drs_monitor_set_finished_interval (self, g_value_get_uint (value));
        break;
      case PROP_BUDGET:
        drs_monitor_set_budget (self, g_value_get_uint (value));
        break;
      case PROP_DELAY_THRESHOLD:
        drs_monitor_set_delay_threshold (self, g_value_get_uint (value));
        break;
      case PROP_DELAY_SAMPLES:
        drs_monitor_set_delay_samples (self, g_value_get_uint (value));
        break;
      case PROP_DELAY_GRACE:
        drs_monitor_set_delay_grace (self, g_value_get_uint (value));
        break;
      case PROP_OFFLINE:
        drs_monitor_set_offline (self, g_value_get_boolean (value));
        break;
      case PROP_INTERVAL_FACTOR:
        drs_monitor_set_interval_factor (self, g_value_get_uint (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_monitor_class_init (DrsMonitorClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = drs_monitor_constructed;
  object_class->dispose = drs_monitor_dispose;
  object_class->finalize = drs_monitor_finalize;
  object_class->get_property = drs_monitor_get_property;
  object_class->set_property = drs_monitor_set_property;

  properties[PROP_STORE] = g_param_spec_object ("store", NULL, NULL, DRS_TYPE_JOB_STORE, construct);
  properties[PROP_HISTORY] =
      g_param_spec_object ("history", NULL, NULL, DRS_TYPE_HISTORY, construct);
  properties[PROP_CLOCK] = g_param_spec_object ("clock", NULL, NULL, DRS_TYPE_CLOCK, construct);
  properties[PROP_INTERVAL] = g_param_spec_uint ("interval", NULL, NULL, 5, 3600, 15, rw);
  properties[PROP_FINISHED_INTERVAL] =
      g_param_spec_uint ("finished-interval", NULL, NULL, 5, 86400, 600, rw);
  properties[PROP_BUDGET] = g_param_spec_uint ("budget", NULL, NULL, 1, 100000, 60, rw);
  properties[PROP_DELAY_THRESHOLD] =
      g_param_spec_uint ("delay-threshold", NULL, NULL, 1, 86400, 300, rw);
  properties[PROP_DELAY_SAMPLES] = g_param_spec_uint ("delay-samples", NULL, NULL, 1, 1000, 3, rw);
  properties[PROP_DELAY_GRACE] = g_param_spec_uint ("delay-grace", NULL, NULL, 0, 86400, 600, rw);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_REFRESHING] = g_param_spec_boolean ("refreshing", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_REFRESH] =
      g_param_spec_int64 ("last-refresh", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* When DRS last answered (any account): what "Updated … ago" means. 0 before the first. */
  properties[PROP_LAST_SUCCESS] =
      g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0, ro);
  /* No network for the endpoints off this computer: only loopback ones are asked. */
  properties[PROP_OFFLINE] = g_param_spec_boolean ("offline", NULL, NULL, FALSE, rw);
  /* Every interval is this many times as long (power saving). */
  properties[PROP_INTERVAL_FACTOR] =
      g_param_spec_uint ("interval-factor", NULL, NULL, 1, 100, 1, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DrsMonitor::job-finished:
   * @job: the task that has just finished
   */
  signals[DRS_MONITOR_JOB_FINISHED] =
      g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, DRS_TYPE_JOB);
  /**
   * DrsMonitor::job-failed:
   * @job: the task that has just failed
   * @code: the server's error code, or the failed status (e.g. `FULL_TRANSFER_FAILED`)
   * @message: the server's message, or the translated status
   */
  signals[DRS_MONITOR_JOB_FAILED] =
      g_signal_new ("job-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 3, DRS_TYPE_JOB, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DrsMonitor::job-recovered:
   * @job: a task that had failed and runs (or has finished) again
   */
  signals[DRS_MONITOR_JOB_RECOVERED] =
      g_signal_new ("job-recovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, DRS_TYPE_JOB);
  /**
   * DrsMonitor::delay-alert:
   * @job: the task
   * @raised: %TRUE when the delay has stayed at or above the threshold for
   *   #DrsMonitor:delay-samples samples; %FALSE when it fell below 80 % of it (or the task left
   *   its incremental phase)
   */
  signals[DRS_MONITOR_DELAY_ALERT] =
      g_signal_new ("delay-alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, DRS_TYPE_JOB, G_TYPE_BOOLEAN);
  /**
   * DrsMonitor::connection-problem:
   * @account: (nullable): the account, %NULL for the default one
   * @error: the first error
   *
   * Emitted once when requests to an account's endpoint start failing.
   */
  signals[DRS_MONITOR_CONNECTION_PROBLEM] =
      g_signal_new ("connection-problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  /**
   * DrsMonitor::connection-restored:
   * @account: (nullable): the account, %NULL for the default one
   */
  signals[DRS_MONITOR_CONNECTION_RESTORED] =
      g_signal_new ("connection-restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[DRS_MONITOR_REFRESH_STARTED] =
      g_signal_new ("refresh-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);
  signals[DRS_MONITOR_REFRESH_FINISHED] =
      g_signal_new ("refresh-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);
  /**
   * DrsMonitor::request-sent:
   * @account: (nullable): the account
   * @job_ids: the ids the request asks about
   *
   * Emitted for every request, for activity displays and measurements.
   */
  signals[DRS_MONITOR_REQUEST_SENT] =
      g_signal_new ("request-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
  /**
   * DrsMonitor::request-finished:
   * @account: (nullable): the account
   * @error: (nullable): why the request failed as a whole, %NULL when it was answered (its
   *   tasks may still carry errors of their own)
   *
   * Emitted for every answer to a #DrsMonitor::request-sent, except cancelled ones, before the
   * answers are merged: for exporters counting requests and errors.
   */
  signals[DRS_MONITOR_REQUEST_FINISHED] =
      g_signal_new ("request-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  /**
   * DrsMonitor::action-finished:
   * @result: every task's outcome
   *
   * An action taken through drs_monitor_act_async() has its answer (and is in the history).
   */
  signals[DRS_MONITOR_ACTION_FINISHED] =
      g_signal_new ("action-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, DRS_TYPE_ACTION_RESULT);
}

static void
drs_monitor_init (DrsMonitor *self)
{
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) _drs_monitor_state_free);
  self->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) _drs_monitor_endpoint_free);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_snapshot_free);
  self->cancellable = g_cancellable_new ();
  self->rand = g_rand_new ();
  self->timer_due_us = G_MAXINT64;
  self->interval_s = 15;
  self->finished_interval_s = 600;
  self->budget = 60;
  self->delay_threshold_s = 300;
  self->delay_samples = 3;
  self->delay_grace_s = 600;
  self->interval_factor = 1;
  self->resumed_us = G_MININT64;
  self->states_dirty = TRUE;
}

/**
 * drs_monitor_new:
 * @store: the jobs to watch
 * @history: (nullable): where to record samples
 * @clock: (nullable): the time source; %NULL for the system clock
 *
 * Returns: (transfer full): a stopped monitor; give it clients and call drs_monitor_start()
 */
DrsMonitor *
drs_monitor_new (DrsJobStore *store, DrsHistory *history, DrsClock *clock)
{
  g_return_val_if_fail (DRS_IS_JOB_STORE (store), NULL);
  g_return_val_if_fail (history == NULL || DRS_IS_HISTORY (history), NULL);
  g_return_val_if_fail (clock == NULL || DRS_IS_CLOCK (clock), NULL);

  return g_object_new (DRS_TYPE_MONITOR, "store", store, "history", history, "clock", clock, NULL);
}

/**
 * drs_monitor_get_store:
 *
 * Returns: (transfer none): the store
 */
DrsJobStore *
drs_monitor_get_store (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), NULL);
  return self->store;
}

/**
 * drs_monitor_get_history:
 *
 * Returns: (transfer none) (nullable): the history
 */
DrsHistory *
drs_monitor_get_history (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), NULL);
  return self->history;
}

/**
 * drs_monitor_get_clock:
 *
 * Returns: (transfer none): the clock
 */
DrsClock *
drs_monitor_get_clock (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), NULL);
  return self->clock;
}

/**
 * drs_monitor_set_client:
 * @account: (nullable): the account name; %NULL for jobs without #DrsJob:account
 * @client: (nullable): the client to poll those jobs with; %NULL to stop polling them
 *
 * Jobs whose #DrsJob:account is @account are polled through @client. The budget, backoff and
 * connection state belong to the account; replacing the client keeps the budget spent so far.
 */
void
drs_monitor_set_client (DrsMonitor *self, const char *account, DrsClient *client)
{
  const char         *key = account != NULL ? account : "";
  DrsMonitorEndpoint *ep;

  g_return_if_fail (DRS_IS_MONITOR (self));
  g_return_if_fail (client == NULL || DRS_IS_CLIENT (client));

  ep = _drs_monitor_lookup_endpoint (self, account);
  if (client == NULL)
    {
      g_hash_table_remove (self->endpoints, key);
      return;
    }
  if (ep == NULL)
    {
      ep = _drs_monitor_endpoint_new (account, self->budget,
                                      drs_clock_get_monotonic_us (self->clock));
      g_hash_table_insert (self->endpoints, g_strdup (key), ep);
    }
  g_set_object (&ep->client, client);
  ep->loopback = drs_endpoint_is_loopback (drs_client_get_endpoint (client));
  /* New credentials deserve a prompt try. */
  ep->failures = 0;
  ep->backoff_until_us = -1;
  _drs_monitor_kick (self);
}

/**
 * drs_monitor_get_client:
 * @account: (nullable): the account name
 *
 * Returns: (transfer none) (nullable): the account's client
 */
DrsClient *
drs_monitor_get_client (DrsMonitor *self, const char *account)
{
  DrsMonitorEndpoint *ep;

  g_return_val_if_fail (DRS_IS_MONITOR (self), NULL);

  ep = _drs_monitor_lookup_endpoint (self, account);
  return ep != NULL ? ep->client : NULL;
}

/**
 * drs_monitor_start:
 *
 * Starts polling: every job is due at once (within the budget), then on its interval.
 * Also prunes the history now and every six hours.
 */
void
drs_monitor_start (DrsMonitor *self)
{
  g_return_if_fail (DRS_IS_MONITOR (self));

  if (self->running)
    return;
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (self->history != NULL)
    {
      prune_cb (self);
      self->prune_id = drs_clock_add_timeout (self->clock, PRUNE_PERIOD_MS, prune_cb, self, NULL);
    }
  _drs_monitor_watch_clock (self, TRUE);
  _drs_monitor_kick (self);
}

/**
 * drs_monitor_stop:
 *
 * Stops polling and cancels the requests in flight. Answers already received are merged.
 */
void
drs_monitor_stop (DrsMonitor *self)
{
  g_return_if_fail (DRS_IS_MONITOR (self));

  if (!self->running)
    return;

  self->running = FALSE;
  _drs_monitor_poll_stop (self);
  if (self->prune_id != 0)
    drs_clock_remove (self->clock, self->prune_id);
  self->prune_id = 0;
  _drs_monitor_watch_clock (self, FALSE);

  _drs_monitor_set_refreshing (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
drs_monitor_get_running (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), FALSE);
  return self->running;
}

/**
 * drs_monitor_refresh_now:
 *
 * Puts every job at the front of the queue. Requests still spend from the budget, so with many
 * jobs the refresh takes as long as the budget needs. Ends a backoff after server and network
 * errors (the user may know the network is back), but not after throttling.
 */
void
drs_monitor_refresh_now (DrsMonitor *self)
{
  g_return_if_fail (DRS_IS_MONITOR (self));

  _drs_monitor_make_urgent (self, FALSE);
}

#define DEFINE_UINT_SETTER(name, field, prop, valid, reschedule)  \
  void drs_monitor_set_##name (DrsMonitor *self, guint value)     \
  {                                                               \
    g_return_if_fail (DRS_IS_MONITOR (self));                     \
    g_return_if_fail (valid);                                     \
    if (self->field == value)                                     \
      return;                                                     \
    self->field = value;                                          \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
    if (reschedule)                                               \
      {                                                           \
        /* A shorter interval may make jobs due now. */           \
        _drs_monitor_reschedule (self);                           \
      }                                                           \
  }                                                               \
  guint drs_monitor_get_##name (DrsMonitor *self)                 \
  {                                                               \
    g_return_val_if_fail (DRS_IS_MONITOR (self), 0);              \
    return self->field;                                           \
  }

DEFINE_UINT_SETTER (interval, interval_s, PROP_INTERVAL, value > 0, TRUE)
DEFINE_UINT_SETTER (finished_interval, finished_interval_s, PROP_FINISHED_INTERVAL, value > 0, TRUE)
DEFINE_UINT_SETTER (delay_threshold, delay_threshold_s, PROP_DELAY_THRESHOLD, value > 0, FALSE)
DEFINE_UINT_SETTER (delay_samples, delay_samples, PROP_DELAY_SAMPLES, value > 0, FALSE)
DEFINE_UINT_SETTER (delay_grace, delay_grace_s, PROP_DELAY_GRACE, TRUE, FALSE)
DEFINE_UINT_SETTER (interval_factor, interval_factor, PROP_INTERVAL_FACTOR, value > 0, TRUE)

gboolean
drs_monitor_get_offline (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), FALSE);
  return self->offline;
}

/**
 * drs_monitor_set_offline:
 * @offline: %TRUE when there is no (full) network
 *
 * Offline, the tasks of endpoints off this computer are not asked about: they are marked stale
 * for being offline, and no backoff or connection problem comes of it. Loopback endpoints (the
 * simulator) go on. Back online, those tasks are asked about at once, once.
 */
void
drs_monitor_set_offline (DrsMonitor *self, gboolean offline)
{
  g_return_if_fail (DRS_IS_MONITOR (self));

  offline = !!offline;
  if (self->offline == offline)
    return;
  self->offline = offline;
  if (offline)
    _drs_monitor_went_offline (self);
  else
    _drs_monitor_make_urgent (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

guint
drs_monitor_get_budget (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), 0);
  return self->budget;
}

/**
 * drs_monitor_set_budget:
 * @requests_per_minute: the most requests per minute to each endpoint
 */
void
drs_monitor_set_budget (DrsMonitor *self, guint requests_per_minute)
{
  GHashTableIter iter;
  gpointer       value;

  g_return_if_fail (DRS_IS_MONITOR (self));
  g_return_if_fail (requests_per_minute >= 1);

  if (self->budget == requests_per_minute)
    return;
  self->budget = requests_per_minute;

  g_hash_table_iter_init (&iter, self->endpoints);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    _drs_monitor_endpoint_set_budget (value, self->budget);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET]);
  _drs_monitor_kick (self);
}

gboolean
drs_monitor_get_refreshing (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), FALSE);
  return self->refreshing;
}

/**
 * drs_monitor_get_last_success:
 *
 * Returns: the wall-clock time DRS last answered, in microseconds; 0 before the first answer
 */
gint64
drs_monitor_get_last_success (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), 0);
  return self->last_success_us;
}

/**
 * drs_monitor_get_last_refresh:
 *
 * Returns: the wall-clock time the last refresh finished, in microseconds; 0 before the first
 */
gint64
drs_monitor_get_last_refresh (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), 0);
  return self->last_refresh_us;
}

/**
 * drs_monitor_get_connection_problem:
 * @account: (nullable): the account
 *
 * Returns: %TRUE between #DrsMonitor::connection-problem and #DrsMonitor::connection-restored
 */
gboolean
drs_monitor_get_connection_problem (DrsMonitor *self, const char *account)
{
  DrsMonitorEndpoint *ep;

  g_return_val_if_fail (DRS_IS_MONITOR (self), FALSE);

  ep = _drs_monitor_lookup_endpoint (self, account);
  return ep != NULL && ep->problem;
}

/**
 * drs_monitor_get_backoff_until_us:
 * @account: (nullable): the account
 *
 * Returns: the monotonic time before which the account's endpoint is not asked again, or -1
 */
gint64
drs_monitor_get_backoff_until_us (DrsMonitor *self, const char *account)
{
  DrsMonitorEndpoint *ep;

  g_return_val_if_fail (DRS_IS_MONITOR (self), -1);

  ep = _drs_monitor_lookup_endpoint (self, account);
  return ep != NULL ? ep->backoff_until_us : -1;
}

/**
 * drs_monitor_get_n_requests:
 *
 * Returns: how many requests this monitor has sent
 */
guint64
drs_monitor_get_n_requests (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), 0);
  return self->n_requests;
}

/**
 * drs_monitor_get_requests_last_minute:
 * @account: (nullable): the account
 *
 * Returns: how many requests the account's endpoint sent in the last minute (at most the
 *   budget): the part of #DrsMonitor:budget in use
 */
guint
drs_monitor_get_requests_last_minute (DrsMonitor *self, const char *account)
{
  DrsMonitorEndpoint *ep;

  g_return_val_if_fail (DRS_IS_MONITOR (self), 0);

  ep = _drs_monitor_lookup_endpoint (self, account);
  if (ep == NULL)
    return 0;
  return _drs_monitor_endpoint_count_recent (ep, drs_clock_get_monotonic_us (self->clock));
}

/**
 * drs_monitor_get_n_in_flight:
 *
 * Returns: how many requests are on their way
 */
guint
drs_monitor_get_n_in_flight (DrsMonitor *self)
{
  g_return_val_if_fail (DRS_IS_MONITOR (self), 0);
  return self->in_flight;
}

/**
 * drs_monitor_bind_settings:
 * @settings: a #GSettings of the app's schema
 *
 * Follows the settings `refresh-interval`, `finished-interval`, `request-budget`,
 * `delay-threshold`, `delay-samples`, `delay-grace` and, when the monitor has a history,
 * `history-retention-days`.
 */
void
drs_monitor_bind_settings (DrsMonitor *self, GSettings *settings)
{
  static const struct
  {
    const char *key;
    const char *property;
  } map[] = {
    { "refresh-interval", "interval" },   { "finished-interval", "finished-interval" },
    { "request-budget", "budget" },       { "delay-threshold", "delay-threshold" },
    { "delay-samples", "delay-samples" }, { "delay-grace", "delay-grace" },
  };

  g_return_if_fail (DRS_IS_MONITOR (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    g_settings_bind (settings, map[i].key, self, map[i].property, G_SETTINGS_BIND_GET);
  if (self->history != NULL)
    g_settings_bind (settings, "history-retention-days", self->history, "retention-days",
                     G_SETTINGS_BIND_GET);
}

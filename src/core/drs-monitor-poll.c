/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-error.h"
#include "drs-monitor-private.h"

/*
 * The monitor's polling core: the per-task states that follow the store, which tasks are due
 * and in which order, batches and their requests within each endpoint's budget, the answers
 * (stale marking, backoff, connection problems), merging them once per refresh into the store
 * and the history, and the timers that run all this.
 */

/* Answers wait at most this long for the rest of their refresh before they are merged. */
#define COALESCE_MS 1000

static void tick (DrsMonitor *self);

/* Job states -------------------------------------------------------------------------------- */

void
_drs_monitor_state_free (DrsMonitorJobState *state)
{
  g_clear_object (&state->job);
  g_free (state);
}

void
_drs_monitor_sync_states (DrsMonitor *self)
{
  GListModel    *model = G_LIST_MODEL (self->store);
  guint          n = g_list_model_get_n_items (model);
  GHashTableIter iter;
  gpointer       value;

  if (!self->states_dirty)
    return;
  self->states_dirty = FALSE;

  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((DrsMonitorJobState *) value)->mark = FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (model, i);
      DrsMonitorJobState *state = g_hash_table_lookup (self->states, drs_job_get_id (job));

      if (state == NULL || state->job != job)
        {
          state = g_new0 (DrsMonitorJobState, 1);
          state->job = g_object_ref (job);
          state->last_sent_us = -1;
          state->incremental_since_us = -1;
          g_hash_table_insert (self->states, g_strdup (drs_job_get_id (job)), state);
        }
      state->mark = TRUE;
    }

  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((DrsMonitorJobState *) value)->mark)
      g_hash_table_iter_remove (&iter);
}

static gboolean
state_is_rare (DrsMonitorJobState *state)
{
  DrsStatusClass c = drs_job_get_status_class (state->job);

  return state->failed || c == DRS_STATUS_CLASS_FINISHED || c == DRS_STATUS_CLASS_FAILED;
}

static gint64
state_interval_us (DrsMonitor *self, DrsMonitorJobState *state)
{
  guint  s = state_is_rare (state) ? self->finished_interval_s : self->interval_s;
  gint64 us = (gint64) s * G_USEC_PER_SEC;

  /* Waiting for an action to show: look often, until it does or the wait times out. */
  if (drs_job_get_action_pending (state->job))
    return MIN (us, DRS_MONITOR_ACTION_POLL_US);
  /* Saving power: everything else waits longer. */
  return us * self->interval_factor;
}

static gint64
state_due_us (DrsMonitor *self, DrsMonitorJobState *state)
{
  if (state->urgent || state->last_sent_us < 0)
    return G_MININT64;
  return state->last_sent_us + state_interval_us (self, state);
}

/* Merging ----------------------------------------------------------------------------------- */

/* Merges the answers collected so far: one store update, then alerts and history. */
static void
flush_pending (DrsMonitor *self)
{
  g_autoptr (GPtrArray) answers = NULL;
  gint64 now = drs_clock_get_monotonic_us (self->clock);
  gint64 wall = drs_clock_get_wall_us (self->clock);

  if (self->coalesce_id != 0)
    {
      drs_clock_remove (self->clock, self->coalesce_id);
      self->coalesce_id = 0;
    }
  if (self->pending->len == 0)
    return;

  answers = g_steal_pointer (&self->pending);
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_snapshot_free);

  drs_job_store_apply (self->store, answers, wall);

  for (guint i = 0; i < answers->len; i++)
    {
      const DrsSnapshot  *snap = g_ptr_array_index (answers, i);
      DrsMonitorJobState *state = g_hash_table_lookup (self->states, snap->job_id);

      if (state == NULL || drs_job_store_lookup (self->store, snap->job_id) != state->job)
        continue;
      _drs_monitor_evaluate (self, state, now);
      if (self->history != NULL)
        drs_history_record (self->history, state->job, wall);
    }
}

static gboolean
coalesce_cb (gpointer data)
{
  DrsMonitor *self = data;

  self->coalesce_id = 0;
  flush_pending (self);
  tick (self);
  return G_SOURCE_REMOVE;
}

/* Answers ----------------------------------------------------------------------------------- */

typedef struct
{
  DrsMonitor *monitor;
  char       *account;
  GStrv       ids;
  guint       generation;
  gint64      sent_us; /* monotonic */
} Request;

static void
request_free (Request *req)
{
  g_clear_object (&req->monitor);
  g_free (req->account);
  g_strfreev (req->ids);
  g_free (req);
}

static void
endpoint_answered (DrsMonitor         *self,
                   DrsMonitorEndpoint *ep,
                   const GError       *error,
                   gboolean            any_answer,
                   gint64              sent_us,
                   gint64              now)
{
  if (error != NULL)
    {
      if (_drs_monitor_endpoint_failed (ep, error, sent_us, now, self->rand))
        _drs_monitor_emit (self, DRS_MONITOR_CONNECTION_PROBLEM, ep->account, error);
    }
  else if (any_answer)
    {
      _drs_monitor_set_last_success (self, drs_clock_get_wall_us (self->clock));
      if (_drs_monitor_endpoint_succeeded (ep))
        _drs_monitor_emit (self, DRS_MONITOR_CONNECTION_RESTORED, ep->account);
    }
}

static void
mark_stale (DrsMonitor *self, const char *id, const GError *error)
{
  DrsMonitorJobState *state = g_hash_table_lookup (self->states, id);

  if (state != NULL)
    drs_job_mark_stale (state->job, error->message);
}

static void
query_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Request    *req = user_data;
  DrsMonitor *self = req->monitor;
  g_autoptr (DrsProgressResult) answer = NULL;
  g_autoptr (GError) error = NULL;
  gboolean            any_answer = FALSE;
  const GError       *endpoint_error = NULL;
  DrsMonitorEndpoint *ep;
  gboolean            away;
  gint64              now;

  answer = drs_client_query_progress_finish (DRS_CLIENT (source), result, &error);

  if (req->generation != self->generation)
    {
      /* Stopped meanwhile: drs_monitor_stop() already forgot this request. */
      request_free (req);
      return;
    }

  now = drs_clock_get_monotonic_us (self->clock);
  self->in_flight--;
  ep = _drs_monitor_lookup_endpoint (self, req->account);
  /* Sent before the network went: a failure says nothing about the endpoint. */
  away = ep != NULL && _drs_monitor_endpoint_away (self, ep);

  for (guint i = 0; req->ids[i] != NULL; i++)
    {
      DrsMonitorJobState *state = g_hash_table_lookup (self->states, req->ids[i]);
      const DrsSnapshot  *snap = NULL;
      const GError       *job_error = error;

      if (state != NULL)
        state->in_flight = FALSE;

      if (answer != NULL)
        {
          snap = drs_progress_result_get_snapshot (answer, req->ids[i]);
          job_error = drs_progress_result_get_error (answer, req->ids[i]);
        }

      if (snap != NULL)
        {
          any_answer = TRUE;
          g_ptr_array_add (self->pending, drs_snapshot_copy (snap));
        }
      else if (job_error != NULL && away)
        {
          if (state != NULL)
            _drs_monitor_mark_offline (self, state->job);
        }
      else if (job_error != NULL)
        {
          if (!g_error_matches (job_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              mark_stale (self, req->ids[i], job_error);
              endpoint_error = job_error;
            }
        }
      else
        {
          g_autoptr (GError) missing = g_error_new (DRS_ERROR, DRS_ERROR_PROTOCOL, "%s",
                                                    _ ("The server did not answer for this task."));

          mark_stale (self, req->ids[i], missing);
        }
    }

  if (ep != NULL)
    endpoint_answered (self, ep, endpoint_error, any_answer, req->sent_us, now);

  /* Exporters count the failure, also one the network's going explains. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    _drs_monitor_emit (self, DRS_MONITOR_REQUEST_FINISHED, req->account,
                       away ? error : endpoint_error);

  request_free (req);

  /* Merge when the wave is complete, or a little later if more answers are on their way. */
  if (self->in_flight == 0)
    flush_pending (self);
  else if (self->pending->len > 0 && self->coalesce_id == 0)
    self->coalesce_id = drs_clock_add_timeout (self->clock, COALESCE_MS, coalesce_cb, self, NULL);

  /* Answers arriving together schedule once. */
  _drs_monitor_kick (self);
}

/* Scheduling -------------------------------------------------------------------------------- */

typedef struct
{
  DrsMonitorJobState *state;
  gint64              due;
  gboolean            rare;
} Candidate;

static int
compare_candidates (gconstpointer a, gconstpointer b)
{
  const Candidate *ca = a;
  const Candidate *cb = b;

  if (ca->state->urgent != cb->state->urgent)
    return ca->state->urgent ? -1 : 1;
  if (ca->rare != cb->rare)
    return ca->rare ? 1 : -1;
  if (ca->due != cb->due)
    return ca->due < cb->due ? -1 : 1;
  return g_strcmp0 (drs_job_get_id (ca->state->job), drs_job_get_id (cb->state->job));
}

typedef struct
{
  DrsMonitorEndpoint *ep;
  GArray             *due;  /* Candidate */
  GArray             *soon; /* Candidate: not due, but close enough to fill a batch */
} Queue;

static Queue *
queue_new (DrsMonitorEndpoint *ep)
{
  Queue *q = g_new0 (Queue, 1);

  q->ep = ep;
  q->due = g_array_new (FALSE, FALSE, sizeof (Candidate));
  q->soon = g_array_new (FALSE, FALSE, sizeof (Candidate));
  return q;
}

static void
queue_free (Queue *q)
{
  g_array_unref (q->due);
  g_array_unref (q->soon);
  g_free (q);
}

static void
send_batch (DrsMonitor *self, DrsMonitorEndpoint *ep, GPtrArray *batch, gint64 now)
{
  Request *req = g_new0 (Request, 1);

  req->monitor = g_object_ref (self);
  req->account = g_strdup (ep->account);
  req->generation = self->generation;
  req->sent_us = now;
  req->ids = g_new0 (char *, batch->len + 1);
  for (guint i = 0; i < batch->len; i++)
    {
      DrsMonitorJobState *state = g_ptr_array_index (batch, i);

      state->in_flight = TRUE;
      state->urgent = FALSE;
      state->last_sent_us = now;
      req->ids[i] = g_strdup (drs_job_get_id (state->job));
    }

  _drs_monitor_endpoint_spend (ep, now);
  self->in_flight++;
  self->n_requests++;
  _drs_monitor_set_refreshing (self, TRUE);
  _drs_monitor_emit (self, DRS_MONITOR_REQUEST_SENT, ep->account, req->ids);

  drs_client_query_progress_async (ep->client, (const char *const *) req->ids, self->cancellable,
                                   query_cb, req);
}

/* Sorts every task that may be asked about into its endpoint's queue. Returns the earliest time
 * a task not queued as due becomes due, or an action's wait ends. */
static gint64
collect_queues (DrsMonitor *self, GHashTable *queues, gint64 now)
{
  GHashTableIter iter;
  gpointer       value;
  gint64         next = G_MAXINT64;

  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DrsMonitorJobState *state = value;
      DrsMonitorEndpoint *ep;
      Queue              *q;
      Candidate           c;

      if (drs_job_get_action_pending (state->job))
        {
          if (now >= state->pending_until_us)
            drs_job_set_action_pending (state->job, FALSE, drs_job_get_pending_action (state->job));
          else
            next = MIN (next, state->pending_until_us);
        }
      if (state->in_flight)
        continue;
      ep = _drs_monitor_lookup_endpoint (self, drs_job_get_account (state->job));
      if (ep == NULL || ep->client == NULL)
        continue;
      if (_drs_monitor_endpoint_away (self, ep))
        {
          /* Also a task added, or an account set up, while offline says why it waits. */
          _drs_monitor_mark_offline (self, state->job);
          continue;
        }

      c.state = state;
      c.due = state_due_us (self, state);
      c.rare = state_is_rare (state);

      q = g_hash_table_lookup (queues, ep);
      if (q == NULL)
        {
          q = queue_new (ep);
          g_hash_table_insert (queues, ep, q);
        }

      if (c.due <= now)
        g_array_append_val (q->due, c);
      else
        {
          next = MIN (next, c.due);
          /* Within a quarter of its interval: may ride along in a batch that has room. */
          if (c.due - now <= state_interval_us (self, state) / 4)
            g_array_append_val (q->soon, c);
        }
    }
  return next;
}

/* Sends the due tasks of one endpoint in batches, as far as its budget allows. Returns when the
 * rest may go, or G_MAXINT64. */
static gint64
send_queue (DrsMonitor *self, Queue *q, gint64 now)
{
  guint di = 0;
  guint si = 0;

  if (q->due->len == 0)
    return G_MAXINT64;
  g_array_sort (q->due, compare_candidates);
  g_array_sort (q->soon, compare_candidates);

  while (di < q->due->len)
    {
      g_autoptr (GPtrArray) batch = g_ptr_array_sized_new (DRS_MONITOR_BATCH_SIZE);
      gint64 when = _drs_monitor_endpoint_next_send (q->ep, now);

      if (when > now)
        {
          /* Waiting for the budget is part of the refresh; a backoff ends it. */
          if (q->ep->backoff_until_us <= now)
            self->n_waiting += q->due->len - di;
          return when;
        }
      while (di < q->due->len && batch->len < DRS_MONITOR_BATCH_SIZE)
        g_ptr_array_add (batch, g_array_index (q->due, Candidate, di++).state);
      /* Top up with tasks due soon, only once nothing due is left waiting. */
      while (di == q->due->len && si < q->soon->len && batch->len < DRS_MONITOR_BATCH_SIZE)
        g_ptr_array_add (batch, g_array_index (q->soon, Candidate, si++).state);
      send_batch (self, q->ep, batch, now);
    }
  return G_MAXINT64;
}

/* Timers ------------------------------------------------------------------------------------ */

static void
cancel_timer (DrsMonitor *self)
{
  if (self->timer_id != 0)
    drs_clock_remove (self->clock, self->timer_id);
  self->timer_id = 0;
  self->timer_due_us = G_MAXINT64;
}

static gboolean
timer_cb (gpointer data)
{
  DrsMonitor *self = data;

  self->timer_id = 0;
  self->timer_due_us = G_MAXINT64;
  tick (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (DrsMonitor *self, gint64 due_us)
{
  gint64 now = drs_clock_get_monotonic_us (self->clock);
  gint64 delay_ms;

  if (self->timer_id != 0 && self->timer_due_us <= due_us)
    return;
  cancel_timer (self);
  if (due_us == G_MAXINT64 || !self->running)
    return;

  delay_ms = MAX (0, (due_us - now + 999) / 1000);
  self->timer_due_us = now + delay_ms * 1000;
  self->timer_id =
      drs_clock_add_timeout (self->clock, (guint) MIN (delay_ms, G_MAXUINT), timer_cb, self, NULL);
}

static void
tick (DrsMonitor *self)
{
  g_autoptr (GHashTable) queues = NULL;
  GHashTableIter iter;
  gpointer       value;
  gint64         now;
  gint64         next;

  if (!self->running)
    return;

  /* Woken from a sleep: everything is due now. */
  _drs_monitor_check_clock (self);
  _drs_monitor_sync_states (self);
  now = drs_clock_get_monotonic_us (self->clock);
  queues = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) queue_free);
  self->n_waiting = 0;

  next = collect_queues (self, queues, now);
  g_hash_table_iter_init (&iter, queues);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 rest = send_queue (self, value, now);

      next = MIN (next, rest);
    }

  if (self->refreshing && self->in_flight == 0 && self->n_waiting == 0 && self->pending->len == 0)
    _drs_monitor_set_refreshing (self, FALSE);

  schedule (self, next);
}

static gboolean
kick_cb (gpointer data)
{
  DrsMonitor *self = data;

  g_clear_pointer (&self->kick_source, g_source_unref);
  tick (self);
  return G_SOURCE_REMOVE;
}

/* Runs the scheduler soon, from the main loop (never inside the caller), once however often it
 * is asked for before then. */
void
_drs_monitor_kick (DrsMonitor *self)
{
  g_autoptr (GMainContext) context = NULL;

  if (self->kick_source != NULL || !self->running)
    return;
  context = g_main_context_ref_thread_default ();
  self->kick_source = g_idle_source_new ();
  g_source_set_static_name (self->kick_source, "[drs] monitor tick");
  /* Not an idle: a busy UI (drawing every frame) would starve it. */
  g_source_set_priority (self->kick_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->kick_source, kick_cb, self, NULL);
  g_source_attach (self->kick_source, context);
}

/* A changed interval may make tasks due now: forget the timer and schedule afresh. */
void
_drs_monitor_reschedule (DrsMonitor *self)
{
  cancel_timer (self);
  _drs_monitor_kick (self);
}

/* Forgets the requests in flight (their answers are dropped when they come) after merging the
 * answers already received, and stops the timers. */
void
_drs_monitor_poll_stop (DrsMonitor *self)
{
  GHashTableIter iter;
  gpointer       value;

  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->in_flight = 0;

  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((DrsMonitorJobState *) value)->in_flight = FALSE;

  flush_pending (self);
  if (self->kick_source != NULL)
    {
      g_source_destroy (self->kick_source);
      g_clear_pointer (&self->kick_source, g_source_unref);
    }
  cancel_timer (self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-error.h"
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

#define BUCKET_WINDOW_US ((gint64) 60 * G_USEC_PER_SEC)
/* Answers wait at most this long for the rest of their refresh before they are merged. */
#define COALESCE_MS 1000
/* The delay alert clears below this share of the threshold. */
#define DELAY_CLEAR_RATIO 0.8
#define PRUNE_PERIOD_MS ((guint) 6 * 3600 * 1000)

typedef struct
{
  char      *account; /* NULL: the default account */
  DrsClient *client;

  /* Token bucket */
  double tokens;
  gint64 refill_us;
  /* Send times of the last `budget` requests, oldest at ring_pos once full */
  gint64 *ring;
  guint   ring_size;
  guint   ring_pos;
  guint   ring_count;

  guint    failures;
  gint64   failed_us; /* monotonic: when the last failure counted */
  gint64   backoff_until_us;
  gboolean problem;
  gboolean throttled; /* the last failure was the server asking us to slow down */
} Endpoint;

typedef struct
{
  DrsJob        *job;
  gint64         last_sent_us;         /* monotonic; -1 never */
  gint64         incremental_since_us; /* monotonic; -1 unknown */
  gint64         pending_until_us;     /* monotonic: the action's effect is awaited until then */
  DrsStatusClass last_class;
  guint          delay_count;
  guint          seen : 1;
  guint          failed : 1;
  guint          incremental : 1;
  guint          delay_raised : 1;
  guint          in_flight : 1;
  guint          urgent : 1;
  guint          mark : 1;
} JobState;

typedef struct
{
  DrsMonitor *monitor;
  char       *account;
  GStrv       ids;
  guint       generation;
  gint64      sent_us; /* monotonic */
} Request;

struct _DrsMonitor
{
  GObject parent_instance;

  /* owned */
  DrsJobStore  *store;
  DrsHistory   *history;
  DrsClock     *clock;
  GHashTable   *states;    /* job id → JobState */
  GHashTable   *endpoints; /* account ("" for the default) → Endpoint */
  GCancellable *cancellable;
  GPtrArray    *pending; /* DrsSnapshot answers not merged yet */
  GRand        *rand;

  guint    timer_id;
  gint64   timer_due_us;
  guint    coalesce_id;
  guint    prune_id;
  GSource *kick_source;
  guint    generation;
  guint    in_flight;
  guint    n_waiting;
  guint64  n_requests;
  gint64   last_refresh_us;
  gint64   last_success_us; /* wall time of the last answer from any account */

  guint interval_s;
  guint finished_interval_s;
  guint budget;
  guint delay_threshold_s;
  guint delay_samples;
  guint delay_grace_s;

  guint running : 1;
  guint refreshing : 1;
  guint states_dirty : 1;
};

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
  N_PROPS
};

enum
{
  JOB_FINISHED,
  JOB_FAILED,
  JOB_RECOVERED,
  DELAY_ALERT,
  CONNECTION_PROBLEM,
  CONNECTION_RESTORED,
  REFRESH_STARTED,
  REFRESH_FINISHED,
  REQUEST_SENT,
  REQUEST_FINISHED,
  ACTION_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void schedule (DrsMonitor *self, gint64 due_us);
static void tick (DrsMonitor *self);
static void kick (DrsMonitor *self);

/* Endpoints --------------------------------------------------------------------------------- */

static guint
bucket_capacity (DrsMonitor *self)
{
  return MAX (1, self->budget / 6);
}

static void
endpoint_free (Endpoint *ep)
{
  g_clear_object (&ep->client);
  g_free (ep->account);
  g_free (ep->ring);
  g_free (ep);
}

static void
endpoint_resize (DrsMonitor *self, Endpoint *ep)
{
  gint64 *ring = g_new0 (gint64, self->budget);
  guint   keep = MIN (ep->ring_count, self->budget);
  guint   start = ep->ring_count < ep->ring_size ? 0 : ep->ring_pos;

  /* Keep the newest send times, oldest first: a smaller budget must still count them. */
  for (guint i = 0; i < keep; i++)
    ring[i] = ep->ring[(start + ep->ring_count - keep + i) % ep->ring_size];
  g_free (ep->ring);
  ep->ring = ring;
  ep->ring_size = self->budget;
  ep->ring_count = keep;
  ep->ring_pos = keep % self->budget;
  ep->tokens = MIN (ep->tokens, bucket_capacity (self));
}

static Endpoint *
endpoint_new (DrsMonitor *self, const char *account)
{
  Endpoint *ep = g_new0 (Endpoint, 1);

  ep->account = g_strdup (account);
  ep->tokens = bucket_capacity (self);
  ep->refill_us = drs_clock_get_monotonic_us (self->clock);
  ep->backoff_until_us = -1;
  endpoint_resize (self, ep);
  return ep;
}

static double
refill_rate_per_us (DrsMonitor *self)
{
  return (double) self->budget / (double) BUCKET_WINDOW_US;
}

static void
endpoint_refill (DrsMonitor *self, Endpoint *ep, gint64 now)
{
  if (now > ep->refill_us)
    {
      ep->tokens = MIN ((double) bucket_capacity (self),
                        ep->tokens + (now - ep->refill_us) * refill_rate_per_us (self));
      ep->refill_us = now;
    }
}

/* The ring is oldest-first from 0 until full, then oldest at ring_pos. */
static gint64
endpoint_oldest (Endpoint *ep)
{
  if (ep->ring_count < ep->ring_size)
    return G_MININT64;
  return ep->ring[ep->ring_pos];
}

/* When this endpoint may send its next request: now, or a later time. */
static gint64
endpoint_next_send (DrsMonitor *self, Endpoint *ep, gint64 now)
{
  gint64 t = now;
  gint64 oldest;

  if (ep->backoff_until_us > t)
    t = ep->backoff_until_us;

  endpoint_refill (self, ep, now);
  if (ep->tokens < 1.0)
    t = MAX (t, now + (gint64) ((1.0 - ep->tokens) / refill_rate_per_us (self)) + 1);

  oldest = endpoint_oldest (ep);
  if (oldest != G_MININT64 && oldest + BUCKET_WINDOW_US > t)
    t = oldest + BUCKET_WINDOW_US;
  return t;
}

static void
endpoint_spend (DrsMonitor *self, Endpoint *ep, gint64 now)
{
  endpoint_refill (self, ep, now);
  ep->tokens -= 1.0;
  if (ep->ring_count < ep->ring_size)
    {
      ep->ring[ep->ring_count++] = now;
      ep->ring_pos = ep->ring_count % ep->ring_size;
    }
  else
    {
      ep->ring[ep->ring_pos] = now;
      ep->ring_pos = (ep->ring_pos + 1) % ep->ring_size;
    }
}

static Endpoint *
lookup_endpoint (DrsMonitor *self, const char *account)
{
  return g_hash_table_lookup (self->endpoints, account != NULL ? account : "");
}

/* Job states -------------------------------------------------------------------------------- */

static void
job_state_free (JobState *state)
{
  g_clear_object (&state->job);
  g_free (state);
}

static void
sync_states (DrsMonitor *self)
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
    ((JobState *) value)->mark = FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (model, i);
      JobState *state = g_hash_table_lookup (self->states, drs_job_get_id (job));

      if (state == NULL || state->job != job)
        {
          state = g_new0 (JobState, 1);
          state->job = g_object_ref (job);
          state->last_sent_us = -1;
          state->incremental_since_us = -1;
          g_hash_table_insert (self->states, g_strdup (drs_job_get_id (job)), state);
        }
      state->mark = TRUE;
    }

  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (!((JobState *) value)->mark)
      g_hash_table_iter_remove (&iter);
}

static gboolean
state_is_rare (JobState *state)
{
  DrsStatusClass c = drs_job_get_status_class (state->job);

  return state->failed || c == DRS_STATUS_CLASS_FINISHED || c == DRS_STATUS_CLASS_FAILED;
}

static gint64
state_interval_us (DrsMonitor *self, JobState *state)
{
  guint s = state_is_rare (state) ? self->finished_interval_s : self->interval_s;

  /* Waiting for an action to show: look often, until it does or the wait times out. */
  if (drs_job_get_action_pending (state->job))
    return MIN ((gint64) s * G_USEC_PER_SEC, DRS_MONITOR_ACTION_POLL_US);
  return (gint64) s * G_USEC_PER_SEC;
}

static gint64
state_due_us (DrsMonitor *self, JobState *state)
{
  if (state->urgent || state->last_sent_us < 0)
    return G_MININT64;
  return state->last_sent_us + state_interval_us (self, state);
}

/* Refresh bookkeeping ----------------------------------------------------------------------- */

static void
set_refreshing (DrsMonitor *self, gboolean refreshing)
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
  g_signal_emit (self, signals[refreshing ? REFRESH_STARTED : REFRESH_FINISHED], 0);
}

/* Transitions ------------------------------------------------------------------------------- */

static void
evaluate (DrsMonitor *self, JobState *state, gint64 now)
{
  DrsJob        *job = state->job;
  DrsStatusClass c = drs_job_get_status_class (job);
  const char    *code = drs_job_get_error_code (job);
  gboolean       failed = c == DRS_STATUS_CLASS_FAILED || code != NULL;
  gboolean       incremental = !failed && drs_job_status_is_incremental (drs_job_get_status (job));
  gint64         threshold_ms = (gint64) self->delay_threshold_s * 1000;
  gboolean       was_seen;

  g_object_ref (job);

  /* After a restart, the history says what the job was doing when we last looked, so a job
   * that failed or finished meanwhile is still announced. A per-job error (task not found) has
   * no sample to compare with and stays a baseline. */
  if (!state->seen && self->history != NULL)
    {
      DrsSample last;

      if (drs_history_get_last_sample (self->history, drs_job_get_id (job), &last))
        {
          state->seen = TRUE;
          state->last_class = drs_job_status_classify (last.status, drs_job_get_task_mode (job));
          state->failed = state->last_class == DRS_STATUS_CLASS_FAILED || code != NULL;
          state->incremental = !state->failed && drs_job_status_is_incremental (last.status);
        }
    }
  was_seen = state->seen;

  if (was_seen)
    {
      if (failed && !state->failed)
        {
          const char *message = drs_job_get_error_message (job);

          if (code == NULL)
            code = drs_job_get_status_raw (job);
          if (message == NULL)
            message = drs_job_get_status_label (job);
          g_signal_emit (self, signals[JOB_FAILED], 0, job, code, message);
        }
      else if (!failed && state->failed)
        {
          g_signal_emit (self, signals[JOB_RECOVERED], 0, job);
        }
      if (!failed && c == DRS_STATUS_CLASS_FINISHED &&
          state->last_class != DRS_STATUS_CLASS_FINISHED)
        g_signal_emit (self, signals[JOB_FINISHED], 0, job);
    }
  state->failed = failed;
  state->last_class = c;
  state->seen = TRUE;

  /* Entering the incremental phase starts the grace period, but only when we saw it happen. */
  if (incremental && !state->incremental)
    state->incremental_since_us = was_seen ? now : -1;
  state->incremental = incremental;

  if (!incremental)
    {
      state->incremental_since_us = -1;
      state->delay_count = 0;
      if (state->delay_raised)
        {
          state->delay_raised = FALSE;
          g_signal_emit (self, signals[DELAY_ALERT], 0, job, FALSE);
        }
    }
  else
    {
      gint64   delay = drs_job_get_delay_ms (job);
      gboolean in_grace =
          state->incremental_since_us >= 0 &&
          now - state->incremental_since_us < (gint64) self->delay_grace_s * G_USEC_PER_SEC;

      if (delay >= 0 && !in_grace)
        {
          if (delay >= threshold_ms)
            {
              state->delay_count++;
              if (state->delay_count >= self->delay_samples && !state->delay_raised)
                {
                  state->delay_raised = TRUE;
                  g_signal_emit (self, signals[DELAY_ALERT], 0, job, TRUE);
                }
            }
          else
            {
              state->delay_count = 0;
              if (state->delay_raised && delay < threshold_ms * DELAY_CLEAR_RATIO)
                {
                  state->delay_raised = FALSE;
                  g_signal_emit (self, signals[DELAY_ALERT], 0, job, FALSE);
                }
            }
        }
    }

  g_object_unref (job);
}

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
      const DrsSnapshot *snap = g_ptr_array_index (answers, i);
      JobState          *state = g_hash_table_lookup (self->states, snap->job_id);

      if (state == NULL || drs_job_store_lookup (self->store, snap->job_id) != state->job)
        continue;
      evaluate (self, state, now);
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

static void
request_free (Request *req)
{
  g_clear_object (&req->monitor);
  g_free (req->account);
  g_strfreev (req->ids);
  g_free (req);
}

static void
endpoint_failed (DrsMonitor *self, Endpoint *ep, const GError *error, gint64 sent_us, gint64 now)
{
  if (drs_error_is_transient (error))
    {
      gint64 ceiling =
          MIN (DRS_MONITOR_BACKOFF_BASE_US << MIN (ep->failures, 20), DRS_MONITOR_BACKOFF_MAX_US);
      gint64 wait = ceiling / 2 + (gint64) g_rand_double_range (self->rand, 0, ceiling / 2.0);
      gint64 retry_after = drs_error_get_retry_after (error);

      /* A request sent before the last counted failure was seen says nothing new: the other
       * batches of a refresh that failed do not double the backoff again, so one failed
       * refresh of 1,000 tasks waits the first step, not the longest. Retry-After still
       * counts. */
      if (ep->failures > 0 && sent_us <= ep->failed_us)
        wait = 0;
      else
        {
          ep->failures++;
          ep->failed_us = now;
        }
      if (retry_after > 0)
        wait = MAX (wait, retry_after * G_USEC_PER_SEC);
      ep->backoff_until_us = MAX (ep->backoff_until_us, now + wait);
      ep->throttled = g_error_matches (error, DRS_ERROR, DRS_ERROR_THROTTLED);
      g_debug ("Backing off %s for %.1f s after failure %u: %s",
               ep->account ? ep->account : "(default)", wait / 1e6, ep->failures, error->message);
    }

  if (!ep->problem)
    {
      ep->problem = TRUE;
      g_signal_emit (self, signals[CONNECTION_PROBLEM], 0, ep->account, error);
    }
}

static void
endpoint_succeeded (DrsMonitor *self, Endpoint *ep)
{
  self->last_success_us = drs_clock_get_wall_us (self->clock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
  ep->failures = 0;
  ep->backoff_until_us = -1;
  ep->throttled = FALSE;
  if (ep->problem)
    {
      ep->problem = FALSE;
      g_signal_emit (self, signals[CONNECTION_RESTORED], 0, ep->account);
    }
}

static void
mark_stale (DrsMonitor *self, const char *id, const GError *error)
{
  JobState *state = g_hash_table_lookup (self->states, id);

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
  gboolean      any_answer = FALSE;
  const GError *endpoint_error = NULL;
  Endpoint     *ep;
  gint64        now;

  answer = drs_client_query_progress_finish (DRS_CLIENT (source), result, &error);

  if (req->generation != self->generation)
    {
      /* Stopped meanwhile: drs_monitor_stop() already forgot this request. */
      request_free (req);
      return;
    }

  now = drs_clock_get_monotonic_us (self->clock);
  self->in_flight--;
  ep = lookup_endpoint (self, req->account);

  for (guint i = 0; req->ids[i] != NULL; i++)
    {
      JobState          *state = g_hash_table_lookup (self->states, req->ids[i]);
      const DrsSnapshot *snap = NULL;
      const GError      *job_error = error;

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
    {
      if (endpoint_error != NULL)
        endpoint_failed (self, ep, endpoint_error, req->sent_us, now);
      else if (any_answer)
        endpoint_succeeded (self, ep);
    }

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (self, signals[REQUEST_FINISHED], 0, req->account, endpoint_error);

  request_free (req);

  /* Merge when the wave is complete, or a little later if more answers are on their way. */
  if (self->in_flight == 0)
    flush_pending (self);
  else if (self->pending->len > 0 && self->coalesce_id == 0)
    self->coalesce_id = drs_clock_add_timeout (self->clock, COALESCE_MS, coalesce_cb, self, NULL);

  /* Answers arriving together schedule once. */
  kick (self);
}

/* Scheduling -------------------------------------------------------------------------------- */

typedef struct
{
  JobState *state;
  gint64    due;
  gboolean  rare;
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
  Endpoint *ep;
  GArray   *due;  /* Candidate */
  GArray   *soon; /* Candidate: not due, but close enough to fill a batch */
} Queue;

static void
queue_free (Queue *q)
{
  g_array_unref (q->due);
  g_array_unref (q->soon);
  g_free (q);
}

static void
send_batch (DrsMonitor *self, Endpoint *ep, GPtrArray *batch, gint64 now)
{
  Request *req = g_new0 (Request, 1);

  req->monitor = g_object_ref (self);
  req->account = g_strdup (ep->account);
  req->generation = self->generation;
  req->sent_us = now;
  req->ids = g_new0 (char *, batch->len + 1);
  for (guint i = 0; i < batch->len; i++)
    {
      JobState *state = g_ptr_array_index (batch, i);

      state->in_flight = TRUE;
      state->urgent = FALSE;
      state->last_sent_us = now;
      req->ids[i] = g_strdup (drs_job_get_id (state->job));
    }

  endpoint_spend (self, ep, now);
  self->in_flight++;
  self->n_requests++;
  set_refreshing (self, TRUE);
  g_signal_emit (self, signals[REQUEST_SENT], 0, ep->account, req->ids);

  drs_client_query_progress_async (ep->client, (const char *const *) req->ids, self->cancellable,
                                   query_cb, req);
}

static void
tick (DrsMonitor *self)
{
  g_autoptr (GHashTable) queues = NULL;
  GHashTableIter iter;
  gpointer       value;
  gint64         now;
  gint64         next = G_MAXINT64;

  if (!self->running)
    return;

  sync_states (self);
  now = drs_clock_get_monotonic_us (self->clock);
  queues = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) queue_free);
  self->n_waiting = 0;

  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JobState *state = value;
      Endpoint *ep;
      Queue    *q;
      Candidate c;

      if (drs_job_get_action_pending (state->job))
        {
          if (now >= state->pending_until_us)
            drs_job_set_action_pending (state->job, FALSE, drs_job_get_pending_action (state->job));
          else
            next = MIN (next, state->pending_until_us);
        }
      if (state->in_flight)
        continue;
      ep = lookup_endpoint (self, drs_job_get_account (state->job));
      if (ep == NULL || ep->client == NULL)
        continue;

      c.state = state;
      c.due = state_due_us (self, state);
      c.rare = state_is_rare (state);

      q = g_hash_table_lookup (queues, ep);
      if (q == NULL)
        {
          q = g_new0 (Queue, 1);
          q->ep = ep;
          q->due = g_array_new (FALSE, FALSE, sizeof (Candidate));
          q->soon = g_array_new (FALSE, FALSE, sizeof (Candidate));
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

  g_hash_table_iter_init (&iter, queues);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Queue *q = value;
      guint  di = 0;
      guint  si = 0;

      if (q->due->len == 0)
        continue;
      g_array_sort (q->due, compare_candidates);
      g_array_sort (q->soon, compare_candidates);

      while (di < q->due->len)
        {
          g_autoptr (GPtrArray) batch = g_ptr_array_sized_new (DRS_MONITOR_BATCH_SIZE);
          gint64 when = endpoint_next_send (self, q->ep, now);

          if (when > now)
            {
              next = MIN (next, when);
              /* Waiting for the budget is part of the refresh; a backoff ends it. */
              if (q->ep->backoff_until_us <= now)
                self->n_waiting += q->due->len - di;
              break;
            }
          while (di < q->due->len && batch->len < DRS_MONITOR_BATCH_SIZE)
            g_ptr_array_add (batch, g_array_index (q->due, Candidate, di++).state);
          /* Top up with tasks due soon, only once nothing due is left waiting. */
          while (di == q->due->len && si < q->soon->len && batch->len < DRS_MONITOR_BATCH_SIZE)
            g_ptr_array_add (batch, g_array_index (q->soon, Candidate, si++).state);
          send_batch (self, q->ep, batch, now);
        }
    }

  if (self->refreshing && self->in_flight == 0 && self->n_waiting == 0 && self->pending->len == 0)
    set_refreshing (self, FALSE);

  schedule (self, next);
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
  if (self->timer_id != 0)
    drs_clock_remove (self->clock, self->timer_id);
  self->timer_id = 0;
  self->timer_due_us = G_MAXINT64;
  if (due_us == G_MAXINT64 || !self->running)
    return;

  delay_ms = MAX (0, (due_us - now + 999) / 1000);
  self->timer_due_us = now + delay_ms * 1000;
  self->timer_id =
      drs_clock_add_timeout (self->clock, (guint) MIN (delay_ms, G_MAXUINT), timer_cb, self, NULL);
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
static void
kick (DrsMonitor *self)
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

static void
store_items_changed_cb (
    DrsMonitor *self, guint position, guint removed, guint added, GListModel *model)
{
  self->states_dirty = TRUE;
  if (added > 0)
    kick (self);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DrsMonitor::job-finished:
   * @job: the task that has just finished
   */
  signals[JOB_FINISHED] =
      g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, DRS_TYPE_JOB);
  /**
   * DrsMonitor::job-failed:
   * @job: the task that has just failed
   * @code: the server's error code, or the failed status (e.g. `FULL_TRANSFER_FAILED`)
   * @message: the server's message, or the translated status
   */
  signals[JOB_FAILED] =
      g_signal_new ("job-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 3, DRS_TYPE_JOB, G_TYPE_STRING, G_TYPE_STRING);
  /**
   * DrsMonitor::job-recovered:
   * @job: a task that had failed and runs (or has finished) again
   */
  signals[JOB_RECOVERED] =
      g_signal_new ("job-recovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, DRS_TYPE_JOB);
  /**
   * DrsMonitor::delay-alert:
   * @job: the task
   * @raised: %TRUE when the delay has stayed at or above the threshold for
   *   #DrsMonitor:delay-samples samples; %FALSE when it fell below 80 % of it (or the task left
   *   its incremental phase)
   */
  signals[DELAY_ALERT] =
      g_signal_new ("delay-alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, DRS_TYPE_JOB, G_TYPE_BOOLEAN);
  /**
   * DrsMonitor::connection-problem:
   * @account: (nullable): the account, %NULL for the default one
   * @error: the first error
   *
   * Emitted once when requests to an account's endpoint start failing.
   */
  signals[CONNECTION_PROBLEM] =
      g_signal_new ("connection-problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  /**
   * DrsMonitor::connection-restored:
   * @account: (nullable): the account, %NULL for the default one
   */
  signals[CONNECTION_RESTORED] =
      g_signal_new ("connection-restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[REFRESH_STARTED] = g_signal_new ("refresh-started", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REFRESH_FINISHED] = g_signal_new ("refresh-finished", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * DrsMonitor::request-sent:
   * @account: (nullable): the account
   * @job_ids: the ids the request asks about
   *
   * Emitted for every request, for activity displays and measurements.
   */
  signals[REQUEST_SENT] =
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
  signals[REQUEST_FINISHED] =
      g_signal_new ("request-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  /**
   * DrsMonitor::action-finished:
   * @result: every task's outcome
   *
   * An action taken through drs_monitor_act_async() has its answer (and is in the history).
   */
  signals[ACTION_FINISHED] =
      g_signal_new ("action-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, DRS_TYPE_ACTION_RESULT);
}

/**
 * _drs_monitor_after_action:
 *
 * Every task of @result is polled at once (an uncertain outcome shows in the status too); the
 * ones that succeeded are marked #DrsJob:action-pending until their status changes or
 * %DRS_MONITOR_ACTION_PENDING_US passes. Then #DrsMonitor::action-finished.
 */
void
_drs_monitor_after_action (DrsMonitor *self, DrsActionResult *result)
{
  const char *const *ids = drs_action_result_get_job_ids (result);
  gint64             now = drs_clock_get_monotonic_us (self->clock);

  sync_states (self);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      JobState        *state = g_hash_table_lookup (self->states, ids[i]);
      DrsActionOutcome outcome = drs_action_result_get_outcome (result, ids[i]);

      if (state == NULL || outcome == DRS_ACTION_OUTCOME_FAILED)
        continue;
      /* An answer in flight may predate the action: urgent stays set until the next send. */
      state->urgent = TRUE;
      if (outcome == DRS_ACTION_OUTCOME_SUCCESS)
        {
          drs_job_set_action_pending (state->job, TRUE, drs_action_result_get_action (result));
          state->pending_until_us = now + DRS_MONITOR_ACTION_PENDING_US;
        }
    }
  kick (self);
  g_signal_emit (self, signals[ACTION_FINISHED], 0, result);
}

static void
drs_monitor_init (DrsMonitor *self)
{
  self->states =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) job_state_free);
  self->endpoints =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) endpoint_free);
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
  const char *key = account != NULL ? account : "";
  Endpoint   *ep;

  g_return_if_fail (DRS_IS_MONITOR (self));
  g_return_if_fail (client == NULL || DRS_IS_CLIENT (client));

  ep = g_hash_table_lookup (self->endpoints, key);
  if (client == NULL)
    {
      g_hash_table_remove (self->endpoints, key);
      return;
    }
  if (ep == NULL)
    {
      ep = endpoint_new (self, account);
      g_hash_table_insert (self->endpoints, g_strdup (key), ep);
    }
  g_set_object (&ep->client, client);
  /* New credentials deserve a prompt try. */
  ep->failures = 0;
  ep->backoff_until_us = -1;
  kick (self);
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
  Endpoint *ep;

  g_return_val_if_fail (DRS_IS_MONITOR (self), NULL);

  ep = lookup_endpoint (self, account);
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
  kick (self);
}

/**
 * drs_monitor_stop:
 *
 * Stops polling and cancels the requests in flight. Answers already received are merged.
 */
void
drs_monitor_stop (DrsMonitor *self)
{
  GHashTableIter iter;
  gpointer       value;

  g_return_if_fail (DRS_IS_MONITOR (self));

  if (!self->running)
    return;

  self->running = FALSE;
  self->generation++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->in_flight = 0;

  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((JobState *) value)->in_flight = FALSE;

  flush_pending (self);
  if (self->kick_source != NULL)
    {
      g_source_destroy (self->kick_source);
      g_clear_pointer (&self->kick_source, g_source_unref);
    }
  if (self->timer_id != 0)
    drs_clock_remove (self->clock, self->timer_id);
  self->timer_id = 0;
  self->timer_due_us = G_MAXINT64;
  if (self->prune_id != 0)
    drs_clock_remove (self->clock, self->prune_id);
  self->prune_id = 0;

  set_refreshing (self, FALSE);
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
  GHashTableIter iter;
  gpointer       value;

  g_return_if_fail (DRS_IS_MONITOR (self));

  sync_states (self);
  g_hash_table_iter_init (&iter, self->states);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JobState *state = value;

      if (!state->in_flight)
        state->urgent = TRUE;
    }

  g_hash_table_iter_init (&iter, self->endpoints);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Endpoint *ep = value;

      /* Throttling is the server asking us to wait: keep waiting. After other errors the user
       * may know the network is back. The failure count stays, so the backoff keeps growing
       * if it is not. */
      if (!ep->throttled)
        ep->backoff_until_us = -1;
    }

  kick (self);
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
        if (self->timer_id != 0)                                  \
          drs_clock_remove (self->clock, self->timer_id);         \
        self->timer_id = 0;                                       \
        self->timer_due_us = G_MAXINT64;                          \
        kick (self);                                              \
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
    endpoint_resize (self, value);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUDGET]);
  kick (self);
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
 * drs_monitor_get_delay_alert:
 *
 * Returns: %TRUE while a delay alert is raised for @job
 */
gboolean
drs_monitor_get_delay_alert (DrsMonitor *self, DrsJob *job)
{
  JobState *state;

  g_return_val_if_fail (DRS_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (DRS_IS_JOB (job), FALSE);

  state = g_hash_table_lookup (self->states, drs_job_get_id (job));
  return state != NULL && state->delay_raised;
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
  Endpoint *ep;

  g_return_val_if_fail (DRS_IS_MONITOR (self), FALSE);

  ep = lookup_endpoint (self, account);
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
  Endpoint *ep;

  g_return_val_if_fail (DRS_IS_MONITOR (self), -1);

  ep = lookup_endpoint (self, account);
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
  Endpoint *ep;
  gint64    since;
  guint     n = 0;

  g_return_val_if_fail (DRS_IS_MONITOR (self), 0);

  ep = lookup_endpoint (self, account);
  if (ep == NULL)
    return 0;
  since = drs_clock_get_monotonic_us (self->clock) - BUCKET_WINDOW_US;
  for (guint i = 0; i < ep->ring_count; i++)
    if (ep->ring[i] > since)
      n++;
  return n;
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

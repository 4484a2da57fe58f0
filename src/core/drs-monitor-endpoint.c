/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include "drs-error.h"
#include "drs-monitor-private.h"

/*
 * One account's endpoint as the monitor sees it: its request budget and its backoff after
 * failures. Plain data, no GObject: the monitor passes its clock's monotonic times in and emits
 * the signals these functions report.
 *
 * - The budget is a token bucket (bursts of at most a sixth of the budget, refilled at the
 *   budget's rate) and a ring of the last `budget` send times, so no sliding minute ever sees
 *   more than `budget` requests.
 * - Transient failures back the endpoint off exponentially with jitter, honouring Retry-After;
 *   a success resets it.
 */

#define WINDOW_US ((gint64) 60 * G_USEC_PER_SEC)

static guint
bucket_capacity (guint budget)
{
  return MAX (1, budget / 6);
}

static double
refill_rate_per_us (DrsMonitorEndpoint *ep)
{
  return (double) ep->ring_size / (double) WINDOW_US;
}

DrsMonitorEndpoint *
_drs_monitor_endpoint_new (const char *account, guint budget, gint64 now_us)
{
  DrsMonitorEndpoint *ep = g_new0 (DrsMonitorEndpoint, 1);

  g_assert (budget > 0);

  ep->account = g_strdup (account);
  ep->tokens = bucket_capacity (budget);
  ep->refill_us = now_us;
  ep->backoff_until_us = -1;
  _drs_monitor_endpoint_set_budget (ep, budget);
  return ep;
}

void
_drs_monitor_endpoint_free (DrsMonitorEndpoint *ep)
{
  g_clear_object (&ep->client);
  g_free (ep->account);
  g_free (ep->ring);
  g_free (ep);
}

void
_drs_monitor_endpoint_set_budget (DrsMonitorEndpoint *ep, guint budget)
{
  gint64 *ring = g_new0 (gint64, budget);
  guint   keep = MIN (ep->ring_count, budget);
  guint   start = ep->ring_count < ep->ring_size ? 0 : ep->ring_pos;

  g_assert (budget > 0);

  /* Keep the newest send times, oldest first: a smaller budget must still count them. */
  for (guint i = 0; i < keep; i++)
    ring[i] = ep->ring[(start + ep->ring_count - keep + i) % ep->ring_size];
  g_free (ep->ring);
  ep->ring = ring;
  ep->ring_size = budget;
  ep->ring_count = keep;
  ep->ring_pos = keep % budget;
  ep->tokens = MIN (ep->tokens, bucket_capacity (budget));
}

static void
refill (DrsMonitorEndpoint *ep, gint64 now_us)
{
  if (now_us > ep->refill_us)
    {
      ep->tokens = MIN ((double) bucket_capacity (ep->ring_size),
                        ep->tokens + (now_us - ep->refill_us) * refill_rate_per_us (ep));
      ep->refill_us = now_us;
    }
}

/* The ring is oldest-first from 0 until full, then oldest at ring_pos. */
static gint64
oldest_send (DrsMonitorEndpoint *ep)
{
  if (ep->ring_count < ep->ring_size)
    return G_MININT64;
  return ep->ring[ep->ring_pos];
}

/* When this endpoint may send its next request: @now_us, or a later time. */
gint64
_drs_monitor_endpoint_next_send (DrsMonitorEndpoint *ep, gint64 now_us)
{
  gint64 t = now_us;
  gint64 oldest;

  if (ep->backoff_until_us > t)
    t = ep->backoff_until_us;

  refill (ep, now_us);
  if (ep->tokens < 1.0)
    t = MAX (t, now_us + (gint64) ((1.0 - ep->tokens) / refill_rate_per_us (ep)) + 1);

  oldest = oldest_send (ep);
  if (oldest != G_MININT64 && oldest + WINDOW_US > t)
    t = oldest + WINDOW_US;
  return t;
}

void
_drs_monitor_endpoint_spend (DrsMonitorEndpoint *ep, gint64 now_us)
{
  refill (ep, now_us);
  ep->tokens -= 1.0;
  if (ep->ring_count < ep->ring_size)
    {
      ep->ring[ep->ring_count++] = now_us;
      ep->ring_pos = ep->ring_count % ep->ring_size;
    }
  else
    {
      ep->ring[ep->ring_pos] = now_us;
      ep->ring_pos = (ep->ring_pos + 1) % ep->ring_size;
    }
}

/* How many requests went out in the minute before @now_us (at most the budget). */
guint
_drs_monitor_endpoint_count_recent (DrsMonitorEndpoint *ep, gint64 now_us)
{
  gint64 since = now_us - WINDOW_US;
  guint  n = 0;

  for (guint i = 0; i < ep->ring_count; i++)
    if (ep->ring[i] > since)
      n++;
  return n;
}

/* Counts a failure of a request sent at @sent_us. Returns %TRUE when it starts a connection
 * problem (the first failure since the last success). */
gboolean
_drs_monitor_endpoint_failed (
    DrsMonitorEndpoint *ep, const GError *error, gint64 sent_us, gint64 now_us, GRand *rand)
{
  if (drs_error_is_transient (error))
    {
      gint64 ceiling =
          MIN (DRS_MONITOR_BACKOFF_BASE_US << MIN (ep->failures, 20), DRS_MONITOR_BACKOFF_MAX_US);
      gint64 wait = ceiling / 2 + (gint64) g_rand_double_range (rand, 0, ceiling / 2.0);
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
          ep->failed_us = now_us;
        }
      if (retry_after > 0)
        wait = MAX (wait, retry_after * G_USEC_PER_SEC);
      ep->backoff_until_us = MAX (ep->backoff_until_us, now_us + wait);
      ep->throttled = g_error_matches (error, DRS_ERROR, DRS_ERROR_THROTTLED);
      g_debug ("Backing off %s for %.1f s after failure %u: %s",
               ep->account ? ep->account : "(default)", wait / 1e6, ep->failures, error->message);
    }

  if (ep->problem)
    return FALSE;
  ep->problem = TRUE;
  return TRUE;
}

/* Resets the backoff. Returns %TRUE when this ends a connection problem. */
gboolean
_drs_monitor_endpoint_succeeded (DrsMonitorEndpoint *ep)
{
  ep->failures = 0;
  ep->backoff_until_us = -1;
  ep->throttled = FALSE;
  if (!ep->problem)
    return FALSE;
  ep->problem = FALSE;
  return TRUE;
}

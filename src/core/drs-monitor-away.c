/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-monitor-private.h"

/*
 * The times the monitor cannot look, and what it does about them.
 *
 * - Offline (no network, or only a captive or limited one): endpoints off this computer are not
 *   asked, so a dead network makes no errors, no backoff and no connection problem; their tasks
 *   are stale "offline". Loopback endpoints (the simulator) go on. Back online, those tasks are
 *   asked about at once.
 * - Asleep: Linux's monotonic clock, which runs every timer, stands still during a suspend while
 *   the wall clock does not. A watch compares the two every WATCH_MS; when the wall clock has run
 *   ahead by more than JUMP_US the computer slept. The session also hears logind say so. Either
 *   way every task is asked about at once, and the history keeps the sleep as a span nobody
 *   observed, so charts break their lines there instead of drawing across it.
 */

#define WATCH_MS ((guint) 10 * 1000)
/* Wall-clock time the monotonic clock did not see: a sleep, not a timer's slack. */
#define JUMP_US ((gint64) 30 * G_USEC_PER_SEC)
/* Two resumes this close together (logind and the clock watch) are one. */
#define RESUME_DEBOUNCE_US ((gint64) 10 * G_USEC_PER_SEC)

gboolean
_drs_monitor_endpoint_away (DrsMonitor *self, DrsMonitorEndpoint *ep)
{
  return self->offline && !ep->loopback;
}

/**
 * drs_monitor_get_held_offline:
 *
 * Returns: whether being offline keeps an endpoint from being polled: %FALSE when every endpoint
 *   is a loopback one (the demo's simulator), which goes on
 */
gboolean
drs_monitor_get_held_offline (DrsMonitor *self)
{
  GHashTableIter iter;
  gpointer       ep;

  g_return_val_if_fail (DRS_IS_MONITOR (self), FALSE);

  g_hash_table_iter_init (&iter, self->endpoints);
  while (g_hash_table_iter_next (&iter, NULL, &ep))
    if (_drs_monitor_endpoint_away (self, ep))
      return TRUE;
  return FALSE;
}

/* Marks @job stale for being offline: its values stay, and say why they are old. */
void
_drs_monitor_mark_offline (DrsMonitor *self, DrsJob *job)
{
  drs_job_mark_stale (job, _ ("Offline: it is checked again as soon as the network is back."));
}

/* The next tick leaves the tasks of the endpoints away out, and marks them. */
void
_drs_monitor_went_offline (DrsMonitor *self)
{
  g_debug ("Offline: only loopback endpoints are polled");
  _drs_monitor_kick (self);
}

static void
reset_watch (DrsMonitor *self)
{
  self->watch_wall_us = drs_clock_get_wall_us (self->clock);
  self->watch_mono_us = drs_clock_get_monotonic_us (self->clock);
}

/* Notices a sleep the wall clock saw and the monotonic one did not. */
void
_drs_monitor_check_clock (DrsMonitor *self)
{
  gint64 wall = drs_clock_get_wall_us (self->clock);
  gint64 mono = drs_clock_get_monotonic_us (self->clock);
  gint64 unseen = (wall - self->watch_wall_us) - (mono - self->watch_mono_us);

  if (self->watch_id == 0)
    return;
  if (unseen > JUMP_US)
    {
      g_debug ("The wall clock jumped %.0f s ahead of the monotonic one: resumed from a sleep",
               unseen / 1e6);
      /* The sleep began at the earliest when the clocks were last looked at. */
      drs_monitor_resumed (self, self->watch_wall_us);
    }
  reset_watch (self);
}

static gboolean
watch_cb (gpointer data)
{
  _drs_monitor_check_clock (data);
  return G_SOURCE_CONTINUE;
}

void
_drs_monitor_watch_clock (DrsMonitor *self, gboolean watch)
{
  if (self->watch_id != 0)
    drs_clock_remove (self->clock, self->watch_id);
  self->watch_id = 0;
  if (!watch)
    return;
  reset_watch (self);
  self->watch_id = drs_clock_add_timeout (self->clock, WATCH_MS, watch_cb, self, NULL);
}

/**
 * drs_monitor_resumed:
 * @asleep_since_us: when the computer went to sleep (wall clock), or -1 if not known
 *
 * The computer has woken up: every task is asked about at once instead of at its next turn,
 * and the history records the sleep as a span nobody observed, so charts show it as a gap.
 */
void
drs_monitor_resumed (DrsMonitor *self, gint64 asleep_since_us)
{
  gint64 wall;
  gint64 mono;

  g_return_if_fail (DRS_IS_MONITOR (self));

  wall = drs_clock_get_wall_us (self->clock);
  mono = drs_clock_get_monotonic_us (self->clock);
  if (self->history != NULL && asleep_since_us > 0 && asleep_since_us < wall)
    drs_history_add_unobserved (self->history, asleep_since_us, wall);
  if (self->watch_id != 0)
    reset_watch (self);

  if (self->resumed_us != G_MININT64 && mono - self->resumed_us < RESUME_DEBOUNCE_US)
    return;
  self->resumed_us = mono;
  if (self->running)
    _drs_monitor_make_urgent (self, FALSE);
}

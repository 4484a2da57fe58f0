/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-clock"

#include "config.h"

#include "drs-clock.h"

/**
 * DrsClock:
 *
 * Where the monitor gets its time and its timers. The system clock uses the real time and the
 * thread-default main context; a manual clock stands still until drs_clock_advance() moves it,
 * firing every timer that falls due on the way, in order, so tests of hours of scheduling run
 * in milliseconds and never sleep.
 */

typedef struct
{
  DrsClock      *clock; /* borrowed */
  guint          id;
  guint          interval_ms;
  gint64         due_us; /* manual clocks: monotonic time the timer fires */
  GSourceFunc    func;
  gpointer       user_data;
  GDestroyNotify notify;
  GSource       *source; /* system clocks */
  guint          dispatching : 1;
  guint          removed : 1;
} Timer;

struct _DrsClock
{
  GObject parent_instance;

  GHashTable *timers; /* id → Timer */
  gint64      wall_offset_us;
  gint64      monotonic_us;
  guint       next_id;
  guint       manual : 1;
};

G_DEFINE_FINAL_TYPE (DrsClock, drs_clock, G_TYPE_OBJECT)

/* A manual clock's monotonic time starts far from 0, as the real one does. */
#define MANUAL_MONOTONIC_START_US ((gint64) 1000 * G_USEC_PER_SEC)

static void
timer_free (Timer *timer)
{
  if (timer->source != NULL)
    {
      g_source_destroy (timer->source);
      g_clear_pointer (&timer->source, g_source_unref);
    }
  if (timer->notify != NULL)
    timer->notify (timer->user_data);
  g_free (timer);
}

static void
timer_release (gpointer data)
{
  Timer *timer = data;

  /* A timer removed from inside its own callback is freed once the callback returns. */
  timer->removed = TRUE;
  if (!timer->dispatching)
    timer_free (timer);
}

static void
drs_clock_dispose (GObject *object)
{
  DrsClock *self = (DrsClock *) object;

  if (self->timers != NULL)
    g_hash_table_remove_all (self->timers);

  G_OBJECT_CLASS (drs_clock_parent_class)->dispose (object);
}

static void
drs_clock_finalize (GObject *object)
{
  DrsClock *self = (DrsClock *) object;

  g_clear_pointer (&self->timers, g_hash_table_unref);

  G_OBJECT_CLASS (drs_clock_parent_class)->finalize (object);
}

static void
drs_clock_class_init (DrsClockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = drs_clock_dispose;
  object_class->finalize = drs_clock_finalize;
}

static void
drs_clock_init (DrsClock *self)
{
  self->timers = g_hash_table_new_full (NULL, NULL, NULL, timer_release);
  self->next_id = 1;
}

/**
 * drs_clock_new_system:
 *
 * Returns: (transfer full): a clock that follows the real time
 */
DrsClock *
drs_clock_new_system (void)
{
  return g_object_new (DRS_TYPE_CLOCK, NULL);
}

/**
 * drs_clock_new_manual:
 * @start_wall_us: the wall-clock time to start at, in microseconds since the epoch
 *
 * Returns: (transfer full): a clock that moves only by drs_clock_advance()
 */
DrsClock *
drs_clock_new_manual (gint64 start_wall_us)
{
  DrsClock *self = g_object_new (DRS_TYPE_CLOCK, NULL);

  self->manual = TRUE;
  self->monotonic_us = MANUAL_MONOTONIC_START_US;
  self->wall_offset_us = start_wall_us - MANUAL_MONOTONIC_START_US;
  return self;
}

gboolean
drs_clock_is_manual (DrsClock *self)
{
  g_return_val_if_fail (DRS_IS_CLOCK (self), FALSE);
  return self->manual;
}

gint64
drs_clock_get_wall_us (DrsClock *self)
{
  g_return_val_if_fail (DRS_IS_CLOCK (self), 0);

  if (!self->manual)
    return g_get_real_time ();
  return self->monotonic_us + self->wall_offset_us;
}

gint64
drs_clock_get_monotonic_us (DrsClock *self)
{
  g_return_val_if_fail (DRS_IS_CLOCK (self), 0);

  if (!self->manual)
    return g_get_monotonic_time ();
  return self->monotonic_us;
}

static gboolean
system_timer_cb (gpointer data)
{
  Timer    *timer = data;
  DrsClock *self = timer->clock;
  gboolean  again;

  timer->dispatching = TRUE;
  again = timer->func (timer->user_data);
  timer->dispatching = FALSE;

  if (timer->removed)
    {
      timer_free (timer);
      return G_SOURCE_REMOVE;
    }
  if (!again)
    {
      /* The source is being dispatched: let GLib finish with it, then drop our entry. */
      g_clear_pointer (&timer->source, g_source_unref);
      g_hash_table_remove (self->timers, GUINT_TO_POINTER (timer->id));
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/**
 * drs_clock_add_timeout:
 * @interval_ms: when to call @func, and how often while it returns %G_SOURCE_CONTINUE
 * @notify: (nullable): called on @user_data when the timer is removed
 *
 * Like g_timeout_add_full() on the thread-default main context; on a manual clock the timer
 * fires only while drs_clock_advance() moves the time past it.
 *
 * Returns: an id for drs_clock_remove(), never 0
 */
guint
drs_clock_add_timeout (
    DrsClock *self, guint interval_ms, GSourceFunc func, gpointer user_data, GDestroyNotify notify)
{
  Timer *timer;

  g_return_val_if_fail (DRS_IS_CLOCK (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  timer = g_new0 (Timer, 1);
  timer->clock = self;
  timer->id = self->next_id++;
  if (self->next_id == 0)
    self->next_id = 1;
  timer->interval_ms = interval_ms;
  timer->func = func;
  timer->user_data = user_data;
  timer->notify = notify;

  if (self->manual)
    {
      timer->due_us = self->monotonic_us + (gint64) interval_ms * 1000;
    }
  else
    {
      g_autoptr (GMainContext) context = g_main_context_ref_thread_default ();

      timer->source = g_timeout_source_new (interval_ms);
      g_source_set_static_name (timer->source, "[drs] clock timer");
      g_source_set_callback (timer->source, system_timer_cb, timer, NULL);
      g_source_attach (timer->source, context);
    }

  g_hash_table_insert (self->timers, GUINT_TO_POINTER (timer->id), timer);
  return timer->id;
}

/**
 * drs_clock_remove:
 * @id: what drs_clock_add_timeout() returned; 0 is ignored
 *
 * Removes a timer, also from inside its own callback.
 */
void
drs_clock_remove (DrsClock *self, guint id)
{
  g_return_if_fail (DRS_IS_CLOCK (self));

  if (id == 0)
    return;
  if (!g_hash_table_remove (self->timers, GUINT_TO_POINTER (id)))
    g_critical ("%s: no timer with id %u", G_STRFUNC, id);
}

guint
drs_clock_get_n_timeouts (DrsClock *self)
{
  g_return_val_if_fail (DRS_IS_CLOCK (self), 0);
  return g_hash_table_size (self->timers);
}

static Timer *
find_earliest (DrsClock *self)
{
  GHashTableIter iter;
  Timer         *earliest = NULL;
  gpointer       value;

  g_hash_table_iter_init (&iter, self->timers);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Timer *timer = value;

      if (timer->dispatching)
        continue;
      if (earliest == NULL || timer->due_us < earliest->due_us ||
          (timer->due_us == earliest->due_us && timer->id < earliest->id))
        earliest = timer;
    }
  return earliest;
}

/**
 * drs_clock_get_next_due_us:
 *
 * Returns: the monotonic time the next timer of a manual clock fires, or -1 if none is set
 */
gint64
drs_clock_get_next_due_us (DrsClock *self)
{
  Timer *timer;

  g_return_val_if_fail (DRS_IS_CLOCK (self), -1);
  g_return_val_if_fail (self->manual, -1);

  timer = find_earliest (self);
  return timer != NULL ? timer->due_us : -1;
}

/**
 * drs_clock_advance_us:
 * @us: how far to move a manual clock, in microseconds
 *
 * Moves the time forward, stopping at each timer that falls due on the way to run it (with the
 * clock reading its due time), in order of due time and then of creation.
 */
void
drs_clock_advance_us (DrsClock *self, gint64 us)
{
  gint64 target;

  g_return_if_fail (DRS_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (us >= 0);

  target = self->monotonic_us + us;
  g_object_ref (self);

  for (;;)
    {
      Timer   *timer = find_earliest (self);
      gboolean again;

      if (timer == NULL || timer->due_us > target)
        break;

      if (timer->due_us > self->monotonic_us)
        self->monotonic_us = timer->due_us;

      timer->dispatching = TRUE;
      again = timer->func (timer->user_data);
      timer->dispatching = FALSE;

      if (timer->removed)
        timer_free (timer);
      else if (!again)
        g_hash_table_remove (self->timers, GUINT_TO_POINTER (timer->id));
      else
        timer->due_us = self->monotonic_us + MAX ((gint64) timer->interval_ms, 1) * 1000;
    }

  self->monotonic_us = target;
  g_object_unref (self);
}

/**
 * drs_clock_advance:
 * @ms: how far to move a manual clock, in milliseconds
 *
 * See drs_clock_advance_us().
 */
void
drs_clock_advance (DrsClock *self, gint64 ms)
{
  drs_clock_advance_us (self, ms * 1000);
}

/**
 * drs_clock_suspend_us:
 * @us: how long a manual clock's computer "sleeps", in microseconds
 *
 * Moves the wall-clock time forward and leaves the monotonic time (and so every timer) where it
 * is, as a suspend does: Linux's monotonic clock stands still while the computer sleeps.
 */
void
drs_clock_suspend_us (DrsClock *self, gint64 us)
{
  g_return_if_fail (DRS_IS_CLOCK (self));
  g_return_if_fail (self->manual);
  g_return_if_fail (us >= 0);

  self->wall_offset_us += us;
}

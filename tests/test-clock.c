/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "drs-clock.h"
#include "drs-test-utils.h"

typedef struct
{
  DrsClock *clock;
  GArray   *fired; /* gint64 monotonic times */
  int       tag;
  guint     remaining;
  guint     other_id;
  guint     notified;
} Probe;

static gboolean
record_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = drs_clock_get_monotonic_us (probe->clock);

  g_array_append_val (probe->fired, now);
  if (probe->remaining > 0)
    probe->remaining--;
  return probe->remaining > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
notify_cb (gpointer data)
{
  ((Probe *) data)->notified++;
}

static void
probe_init (Probe *probe, DrsClock *clock, guint times)
{
  probe->clock = clock;
  probe->fired = g_array_new (FALSE, FALSE, sizeof (gint64));
  probe->remaining = times;
  probe->notified = 0;
}

static void
probe_clear (Probe *probe)
{
  g_clear_pointer (&probe->fired, g_array_unref);
}

static void
test_manual_time (void)
{
  g_autoptr (DrsClock) clock = drs_clock_new_manual ((gint64) 1700000000 * G_USEC_PER_SEC);
  gint64 mono = drs_clock_get_monotonic_us (clock);

  g_assert_true (drs_clock_is_manual (clock));
  g_assert_cmpint (drs_clock_get_wall_us (clock), ==, (gint64) 1700000000 * G_USEC_PER_SEC);
  drs_clock_advance (clock, 1500);
  g_assert_cmpint (drs_clock_get_wall_us (clock), ==, 1700000001500000);
  g_assert_cmpint (drs_clock_get_monotonic_us (clock), ==, mono + 1500000);
  g_assert_cmpint (drs_clock_get_next_due_us (clock), ==, -1);
}

static void
test_manual_order (void)
{
  g_autoptr (DrsClock) clock = drs_clock_new_manual (0);
  gint64 start = drs_clock_get_monotonic_us (clock);
  Probe  a, b, c;

  probe_init (&a, clock, 3); /* every 100 ms, three times */
  probe_init (&b, clock, 1); /* once at 250 ms */
  probe_init (&c, clock, 1); /* once at 1000 ms, removed before */

  drs_clock_add_timeout (clock, 100, record_cb, &a, notify_cb);
  drs_clock_add_timeout (clock, 250, record_cb, &b, notify_cb);
  c.other_id = drs_clock_add_timeout (clock, 1000, record_cb, &c, notify_cb);
  g_assert_cmpuint (drs_clock_get_n_timeouts (clock), ==, 3);
  g_assert_cmpint (drs_clock_get_next_due_us (clock), ==, start + 100000);

  drs_clock_advance (clock, 99);
  g_assert_cmpuint (a.fired->len, ==, 0);
  drs_clock_advance (clock, 1);
  g_assert_cmpuint (a.fired->len, ==, 1);
  g_assert_cmpint (g_array_index (a.fired, gint64, 0), ==, start + 100000);

  /* One big step fires everything due on the way, each at its own time. */
  drs_clock_advance (clock, 500);
  g_assert_cmpuint (a.fired->len, ==, 3);
  g_assert_cmpint (g_array_index (a.fired, gint64, 1), ==, start + 200000);
  g_assert_cmpint (g_array_index (a.fired, gint64, 2), ==, start + 300000);
  g_assert_cmpuint (b.fired->len, ==, 1);
  g_assert_cmpint (g_array_index (b.fired, gint64, 0), ==, start + 250000);
  g_assert_cmpuint (a.notified, ==, 1);
  g_assert_cmpuint (b.notified, ==, 1);
  g_assert_cmpint (drs_clock_get_monotonic_us (clock), ==, start + 600000);

  drs_clock_remove (clock, c.other_id);
  g_assert_cmpuint (c.notified, ==, 1);
  drs_clock_advance (clock, 10000);
  g_assert_cmpuint (c.fired->len, ==, 0);
  g_assert_cmpuint (drs_clock_get_n_timeouts (clock), ==, 0);

  probe_clear (&a);
  probe_clear (&b);
  probe_clear (&c);
}

typedef struct
{
  DrsClock *clock;
  guint     self_id;
  guint     victim_id;
  guint     added_id;
  guint     calls;
  guint     victim_calls;
  guint     added_calls;
} Reentrant;

static gboolean
victim_cb (gpointer data)
{
  ((Reentrant *) data)->victim_calls++;
  return G_SOURCE_CONTINUE;
}

static gboolean
added_cb (gpointer data)
{
  ((Reentrant *) data)->added_calls++;
  return G_SOURCE_REMOVE;
}

static gboolean
reentrant_cb (gpointer data)
{
  Reentrant *r = data;

  r->calls++;
  /* Remove itself and another timer, and add a new one, from inside a callback. */
  drs_clock_remove (r->clock, r->victim_id);
  drs_clock_remove (r->clock, r->self_id);
  r->added_id = drs_clock_add_timeout (r->clock, 10, added_cb, r, NULL);
  return G_SOURCE_CONTINUE;
}

static void
test_manual_reentrant (void)
{
  g_autoptr (DrsClock) clock = drs_clock_new_manual (0);
  Reentrant r = { clock };

  r.self_id = drs_clock_add_timeout (clock, 50, reentrant_cb, &r, NULL);
  r.victim_id = drs_clock_add_timeout (clock, 60, victim_cb, &r, NULL);
  drs_clock_advance (clock, 1000);
  g_assert_cmpuint (r.calls, ==, 1);
  g_assert_cmpuint (r.victim_calls, ==, 0);
  g_assert_cmpuint (r.added_calls, ==, 1);
  g_assert_cmpuint (drs_clock_get_n_timeouts (clock), ==, 0);
}

static void
test_manual_dispose_notifies (void)
{
  DrsClock *clock = drs_clock_new_manual (0);
  Probe     a;

  probe_init (&a, clock, 5);
  drs_clock_add_timeout (clock, 100, record_cb, &a, notify_cb);
  g_assert_finalize_object (clock);
  g_assert_cmpuint (a.notified, ==, 1);
  g_assert_cmpuint (a.fired->len, ==, 0);
  probe_clear (&a);
}

static void
test_system (void)
{
  g_autoptr (DrsClock) clock = drs_clock_new_system ();
  gint64 before = g_get_real_time ();
  gint64 mono_before = g_get_monotonic_time ();
  Probe  a, b;
  guint  id;

  g_assert_false (drs_clock_is_manual (clock));
  g_assert_cmpint (drs_clock_get_wall_us (clock), >=, before);
  g_assert_cmpint (drs_clock_get_monotonic_us (clock), >=, mono_before);

  probe_init (&a, clock, 2);
  probe_init (&b, clock, 1);
  drs_clock_add_timeout (clock, 5, record_cb, &a, notify_cb);
  id = drs_clock_add_timeout (clock, 5, record_cb, &b, notify_cb);
  drs_clock_remove (clock, id);
  g_assert_cmpuint (b.notified, ==, 1);

  DRS_TEST_SPIN_UNTIL (a.notified == 1, 5000);
  g_assert_cmpuint (a.fired->len, ==, 2);
  g_assert_cmpint (g_array_index (a.fired, gint64, 0), >=, mono_before + 5000);
  g_assert_cmpuint (b.fired->len, ==, 0);
  g_assert_cmpuint (drs_clock_get_n_timeouts (clock), ==, 0);

  probe_clear (&a);
  probe_clear (&b);
}

/* Under AddressSanitizer, unwind every allocation fully: GLib is built without frame pointers,
 * and LeakSanitizer can only match its own leaks (build-aux/lsan.supp) on whole stacks. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  g_test_add_func ("/clock/manual/time", test_manual_time);
  g_test_add_func ("/clock/manual/order", test_manual_order);
  g_test_add_func ("/clock/manual/reentrant", test_manual_reentrant);
  g_test_add_func ("/clock/manual/dispose-notifies", test_manual_dispose_notifies);
  g_test_add_func ("/clock/system", test_system);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DRS_TYPE_CLOCK (drs_clock_get_type ())

G_DECLARE_FINAL_TYPE (DrsClock, drs_clock, DRS, CLOCK, GObject)

/* clang-format off */
DrsClock *drs_clock_new_system       (void);
DrsClock *drs_clock_new_manual       (gint64          start_wall_us);
gboolean  drs_clock_is_manual        (DrsClock       *self);
gint64    drs_clock_get_wall_us      (DrsClock       *self);
gint64    drs_clock_get_monotonic_us (DrsClock       *self);
guint     drs_clock_add_timeout      (DrsClock       *self,
                                      guint           interval_ms,
                                      GSourceFunc     func,
                                      gpointer        user_data,
                                      GDestroyNotify  notify);
void      drs_clock_remove           (DrsClock       *self,
                                      guint           id);
guint     drs_clock_get_n_timeouts   (DrsClock       *self);
gint64    drs_clock_get_next_due_us  (DrsClock       *self);
void      drs_clock_advance          (DrsClock       *self,
                                      gint64          ms);
void      drs_clock_advance_us       (DrsClock       *self,
                                      gint64          us);
void      drs_clock_suspend_us       (DrsClock       *self,
                                      gint64          us);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-monitor.h"

G_BEGIN_DECLS

/* Transitions this close together make one notification ("5 tasks failed"). */
#define DRS_NOTIFIER_DEFAULT_GROUP_MS 1500

#define DRS_TYPE_NOTIFIER (drs_notifier_get_type ())

G_DECLARE_FINAL_TYPE (DrsNotifier, drs_notifier, DRS, NOTIFIER, GObject)

/* clang-format off */
DrsNotifier *drs_notifier_new             (GApplication  *application,
                                           DrsMonitor    *monitor,
                                           GSettings     *settings);
void         drs_notifier_set_group_delay (DrsNotifier   *self,
                                           guint          milliseconds);
void         drs_notifier_flush           (DrsNotifier   *self);
gboolean     drs_notifier_send            (DrsNotifier   *self,
                                           const char    *id,
                                           GNotification *notification);
guint        drs_notifier_get_n_sent      (DrsNotifier   *self);
guint        drs_notifier_get_n_pending   (DrsNotifier   *self);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-client.h"
#include "drs-clock.h"
#include "drs-history.h"
#include "drs-job-store.h"

G_BEGIN_DECLS

#define DRS_TYPE_MONITOR (drs_monitor_get_type ())

G_DECLARE_FINAL_TYPE (DrsMonitor, drs_monitor, DRS, MONITOR, GObject)

/* Backoff after a transient failure: the first retry waits 5–10 s, doubling up to 5–10 min. */
#define DRS_MONITOR_BACKOFF_BASE_US ((gint64) 10 * G_USEC_PER_SEC)
#define DRS_MONITOR_BACKOFF_MAX_US ((gint64) 10 * 60 * G_USEC_PER_SEC)
/* The most ids in one request (the API's recommended batch size). */
#define DRS_MONITOR_BATCH_SIZE 10
/* After an action DRS accepted, the task is polled this often until its status changes… */
#define DRS_MONITOR_ACTION_POLL_US ((gint64) 3 * G_USEC_PER_SEC)
/* …or this long has passed. */
#define DRS_MONITOR_ACTION_PENDING_US ((gint64) 120 * G_USEC_PER_SEC)

/* clang-format off */
DrsMonitor  *drs_monitor_new         (DrsJobStore *store,
                                      DrsHistory  *history,
                                      DrsClock    *clock);
DrsJobStore *drs_monitor_get_store   (DrsMonitor  *self);
DrsHistory  *drs_monitor_get_history (DrsMonitor  *self);
DrsClock    *drs_monitor_get_clock   (DrsMonitor  *self);
void         drs_monitor_set_client  (DrsMonitor  *self,
                                      const char  *account,
                                      DrsClient   *client);
DrsClient   *drs_monitor_get_client  (DrsMonitor  *self,
                                      const char  *account);
void         drs_monitor_start       (DrsMonitor  *self);
void         drs_monitor_stop        (DrsMonitor  *self);
gboolean     drs_monitor_get_running (DrsMonitor  *self);
void         drs_monitor_refresh_now (DrsMonitor  *self);
void         drs_monitor_act_async   (DrsMonitor             *self,
                                      const DrsActionRequest *request,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data);
DrsActionResult *drs_monitor_act_finish (DrsMonitor   *self,
                                         GAsyncResult *result,
                                         GError      **error);
gboolean     drs_monitor_get_acting  (DrsMonitor  *self);
gboolean     drs_monitor_get_held_offline (DrsMonitor *self);
void         drs_monitor_bind_settings (DrsMonitor *self,
                                        GSettings  *settings);
/* clang-format on */

/* clang-format off */
guint    drs_monitor_get_interval          (DrsMonitor *self);
void     drs_monitor_set_interval          (DrsMonitor *self,
                                            guint       seconds);
guint    drs_monitor_get_finished_interval (DrsMonitor *self);
void     drs_monitor_set_finished_interval (DrsMonitor *self,
                                            guint       seconds);
guint    drs_monitor_get_budget            (DrsMonitor *self);
void     drs_monitor_set_budget            (DrsMonitor *self,
                                            guint       requests_per_minute);
guint    drs_monitor_get_delay_threshold   (DrsMonitor *self);
void     drs_monitor_set_delay_threshold   (DrsMonitor *self,
                                            guint       seconds);
guint    drs_monitor_get_delay_samples     (DrsMonitor *self);
void     drs_monitor_set_delay_samples     (DrsMonitor *self,
                                            guint       samples);
guint    drs_monitor_get_delay_grace       (DrsMonitor *self);
void     drs_monitor_set_delay_grace       (DrsMonitor *self,
                                            guint       seconds);
guint    drs_monitor_get_interval_factor   (DrsMonitor *self);
void     drs_monitor_set_interval_factor   (DrsMonitor *self,
                                            guint       factor);
gboolean drs_monitor_get_offline           (DrsMonitor *self);
void     drs_monitor_set_offline           (DrsMonitor *self,
                                            gboolean    offline);
void     drs_monitor_resumed               (DrsMonitor *self,
                                            gint64      asleep_since_us);
gboolean drs_monitor_get_refreshing        (DrsMonitor *self);
gint64   drs_monitor_get_last_refresh      (DrsMonitor *self);
gint64   drs_monitor_get_last_success      (DrsMonitor *self);
/* clang-format on */

/* clang-format off */
gboolean drs_monitor_get_delay_alert        (DrsMonitor *self,
                                             DrsJob     *job);
gboolean drs_monitor_get_connection_problem (DrsMonitor *self,
                                             const char *account);
gint64   drs_monitor_get_backoff_until_us   (DrsMonitor *self,
                                             const char *account);
guint64  drs_monitor_get_n_requests         (DrsMonitor *self);
guint    drs_monitor_get_n_in_flight        (DrsMonitor *self);
guint    drs_monitor_get_requests_last_minute (DrsMonitor *self,
                                               const char *account);
/* clang-format on */

G_END_DECLS

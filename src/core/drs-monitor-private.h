/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "drs-monitor.h"

G_BEGIN_DECLS

/*
 * What the files of DrsMonitor share:
 *   drs-monitor.c          the object, its properties and signals, the public settings
 *   drs-monitor-poll.c     the polling core: which tasks are due, batches, answers, merging
 *   drs-monitor-endpoint.c one account's request budget and backoff (no GObject)
 *   drs-monitor-alerts.c   the finished/failed/recovered/delay-alert edges
 *   drs-monitor-actions.c  pause, resume and retry on watched tasks
 *   drs-monitor-away.c     the times it cannot look: offline, and asleep (suspend)
 */

/* One account's endpoint: its client, request budget and backoff (drs-monitor-endpoint.c). */
typedef struct
{
  char      *account; /* NULL: the default account */
  DrsClient *client;

  /* Token bucket */
  double tokens;
  gint64 refill_us;
  /* Send times of the last `budget` requests, oldest at ring_pos once full */
  gint64 *ring;
  guint   ring_size; /* the budget */
  guint   ring_pos;
  guint   ring_count;

  guint    failures;
  gint64   failed_us; /* monotonic: when the last failure counted */
  gint64   backoff_until_us;
  gboolean problem;
  gboolean throttled; /* the last failure was the server asking us to slow down */
  gboolean loopback;  /* on this computer: reachable with no network */
} DrsMonitorEndpoint;

/* What the monitor knows about one task of the store. */
typedef struct
{
  DrsJob *job;

  /* Polling (drs-monitor-poll.c) */
  gint64 last_sent_us;     /* monotonic; -1 never */
  gint64 pending_until_us; /* monotonic: the action's effect is awaited until then */
  guint  in_flight : 1;
  guint  urgent : 1;
  guint  mark : 1;

  /* Alerts (drs-monitor-alerts.c) */
  gint64         incremental_since_us; /* monotonic; -1 unknown */
  DrsStatusClass last_class;
  guint          delay_count;
  guint          seen : 1;
  guint          failed : 1;
  guint          incremental : 1;
  guint          delay_raised : 1;
} DrsMonitorJobState;

struct _DrsMonitor
{
  GObject parent_instance;

  /* owned */
  DrsJobStore  *store;
  DrsHistory   *history;
  DrsClock     *clock;
  GHashTable   *states;    /* job id → DrsMonitorJobState */
  GHashTable   *endpoints; /* account ("" for the default) → DrsMonitorEndpoint */
  GCancellable *cancellable;
  GPtrArray    *pending; /* DrsSnapshot answers not merged yet */
  GRand        *rand;

  guint    timer_id;
  guint    watch_id;      /* the clock watch: notices a suspend by a jump of the wall clock */
  gint64   watch_wall_us; /* the clocks when last looked at */
  gint64   watch_mono_us;
  gint64   resumed_us; /* monotonic: the last resume acted on */
  gint64   timer_due_us;
  guint    coalesce_id;
  guint    prune_id;
  GSource *kick_source;
  guint    generation;
  guint    in_flight;
  guint    acting; /* pause/resume/retry requests under way */
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
  guint interval_factor;

  guint running : 1;
  guint offline : 1;
  guint refreshing : 1;
  guint states_dirty : 1;
};

typedef enum
{
  DRS_MONITOR_JOB_FINISHED,
  DRS_MONITOR_JOB_FAILED,
  DRS_MONITOR_JOB_RECOVERED,
  DRS_MONITOR_DELAY_ALERT,
  DRS_MONITOR_CONNECTION_PROBLEM,
  DRS_MONITOR_CONNECTION_RESTORED,
  DRS_MONITOR_REFRESH_STARTED,
  DRS_MONITOR_REFRESH_FINISHED,
  DRS_MONITOR_REQUEST_SENT,
  DRS_MONITOR_REQUEST_FINISHED,
  DRS_MONITOR_ACTION_FINISHED,
  DRS_MONITOR_N_SIGNALS
} DrsMonitorSignal;

/* drs-monitor.c */
/* clang-format off */
void                _drs_monitor_emit             (DrsMonitor         *self,
                                                   DrsMonitorSignal    signal,
                                                   ...);
void                _drs_monitor_set_refreshing   (DrsMonitor         *self,
                                                   gboolean            refreshing);
void                _drs_monitor_set_last_success (DrsMonitor         *self,
                                                   gint64              wall_us);
DrsMonitorEndpoint *_drs_monitor_lookup_endpoint  (DrsMonitor         *self,
                                                   const char         *account);
void                _drs_monitor_make_urgent      (DrsMonitor         *self,
                                                   gboolean            only_away);
/* clang-format on */

/* drs-monitor-away.c */
/* clang-format off */
gboolean _drs_monitor_endpoint_away  (DrsMonitor         *self,
                                      DrsMonitorEndpoint *ep);
void     _drs_monitor_went_offline   (DrsMonitor         *self);
void     _drs_monitor_mark_offline   (DrsMonitor         *self,
                                      DrsJob             *job);
void     _drs_monitor_watch_clock    (DrsMonitor         *self,
                                      gboolean            watch);
void     _drs_monitor_check_clock    (DrsMonitor         *self);
/* clang-format on */

/* drs-monitor-poll.c */
/* clang-format off */
void _drs_monitor_state_free  (DrsMonitorJobState *state);
void _drs_monitor_sync_states (DrsMonitor         *self);
void _drs_monitor_kick        (DrsMonitor         *self);
void _drs_monitor_reschedule  (DrsMonitor         *self);
void _drs_monitor_poll_stop   (DrsMonitor         *self);
/* clang-format on */

/* drs-monitor-endpoint.c */
/* clang-format off */
DrsMonitorEndpoint *_drs_monitor_endpoint_new          (const char         *account,
                                                        guint               budget,
                                                        gint64              now_us);
void                _drs_monitor_endpoint_free         (DrsMonitorEndpoint *ep);
void                _drs_monitor_endpoint_set_budget   (DrsMonitorEndpoint *ep,
                                                        guint               budget);
gint64              _drs_monitor_endpoint_next_send    (DrsMonitorEndpoint *ep,
                                                        gint64              now_us);
void                _drs_monitor_endpoint_spend        (DrsMonitorEndpoint *ep,
                                                        gint64              now_us);
guint               _drs_monitor_endpoint_count_recent (DrsMonitorEndpoint *ep,
                                                        gint64              now_us);
gboolean            _drs_monitor_endpoint_failed       (DrsMonitorEndpoint *ep,
                                                        const GError       *error,
                                                        gint64              sent_us,
                                                        gint64              now_us,
                                                        GRand              *rand);
gboolean            _drs_monitor_endpoint_succeeded    (DrsMonitorEndpoint *ep);
/* clang-format on */

/* drs-monitor-alerts.c */
/* clang-format off */
void _drs_monitor_evaluate (DrsMonitor         *self,
                            DrsMonitorJobState *state,
                            gint64              now_us);
/* clang-format on */

/* drs-monitor-actions.c */
/* clang-format off */
void _drs_monitor_after_action (DrsMonitor      *self,
                                DrsActionResult *result);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-job.h"
#include "drs-task-action.h"

G_BEGIN_DECLS

#define DRS_TYPE_HISTORY (drs_history_get_type ())

G_DECLARE_FINAL_TYPE (DrsHistory, drs_history, DRS, HISTORY, GObject)

/* The schema version this build writes (PRAGMA user_version). */
#define DRS_HISTORY_SCHEMA_VERSION 4

/* Without a change, a job is sampled at most this often. */
#define DRS_HISTORY_KEEPALIVE_US ((gint64) 5 * 60 * G_USEC_PER_SEC)

/**
 * DrsWatchedJob:
 * @id: the task id
 * @name: (nullable): the name the user gave it
 * @account: (nullable): the account it is polled with (%NULL: the default one)
 * @added_us: when it was added, wall-clock microseconds
 */
typedef struct
{
  char  *id;
  char  *name;
  char  *account;
  gint64 added_us;
} DrsWatchedJob;

/**
 * DrsTimeRange:
 * @from_us: the start, wall-clock microseconds
 * @to_us: the end (inclusive)
 *
 * A stretch of a task's history: what a chart shows and reads.
 */
typedef struct
{
  gint64 from_us;
  gint64 to_us;
} DrsTimeRange;

/**
 * DrsSample:
 * @time_us: wall-clock microseconds
 * @progress: percent, or %DRS_UNKNOWN
 * @delay_ms: incremental delay, or %DRS_UNKNOWN
 * @status: the task status
 * @phases: struct, data and index completion in percent, or %DRS_UNKNOWN
 * @gap: %TRUE for a marker that stands for a stretch of time with no samples (the app was not
 *   running, the task could not be polled, the computer slept): a chart breaks its line there.
 *   Its other values are unknown.
 *
 * One point of a task's history.
 */
typedef struct
{
  gint64       time_us;
  double       progress;
  gint64       delay_ms;
  DrsJobStatus status;
  double       phases[3];
  gboolean     gap;
} DrsSample;

/**
 * DrsActionRecord:
 * @time_us: when the answer came, wall-clock microseconds
 * @job_id: the task
 * @account: (nullable): the account that acted (%NULL: the default one)
 * @action: what was done
 * @pause_mode: for a pause, what was stopped
 * @outcome: what DRS said
 * @error_code: (nullable): the server's code when it refused
 * @error_message: (nullable): why it failed or is uncertain
 *
 * One action taken on a task, as the history keeps it.
 */
typedef struct
{
  gint64           time_us;
  char            *job_id;
  char            *account;
  DrsTaskAction    action;
  DrsPauseMode     pause_mode;
  DrsActionOutcome outcome;
  char            *error_code;
  char            *error_message;
} DrsActionRecord;

/* clang-format off */
void drs_watched_job_free (DrsWatchedJob *watched);
void drs_action_record_free (DrsActionRecord *record);
/* clang-format on */

/* clang-format off */
DrsHistory *drs_history_open               (const char       *path,
                                            GError          **error);
const char *drs_history_get_path           (DrsHistory       *self);
gboolean    drs_history_add_watched        (DrsHistory       *self,
                                            const char       *job_id,
                                            const char       *name,
                                            const char       *account,
                                            GError          **error);
gboolean    drs_history_remove_watched     (DrsHistory       *self,
                                            const char       *job_id,
                                            GError          **error);
gboolean    drs_history_rename_watched     (DrsHistory       *self,
                                            const char       *job_id,
                                            const char       *name,
                                            GError          **error);
GPtrArray  *drs_history_list_watched       (DrsHistory       *self,
                                            GError          **error);
gboolean    drs_history_record             (DrsHistory       *self,
                                            DrsJob           *job,
                                            gint64            now_us);
gboolean    drs_history_record_sample      (DrsHistory       *self,
                                            const char       *job_id,
                                            const DrsSample  *sample);
void        drs_history_add_unobserved     (DrsHistory       *self,
                                            gint64            from_us,
                                            gint64            to_us);
void        drs_history_flush              (DrsHistory       *self);
GArray     *drs_history_query              (DrsHistory          *self,
                                            const char          *job_id,
                                            const DrsTimeRange  *range,
                                            guint                max_points,
                                            GError             **error);
void        drs_history_query_async        (DrsHistory          *self,
                                            const char          *job_id,
                                            const DrsTimeRange  *range,
                                            guint                max_points,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GArray     *drs_history_query_finish       (DrsHistory       *self,
                                            GAsyncResult     *result,
                                            GError          **error);
gboolean    drs_history_get_last_sample    (DrsHistory       *self,
                                            const char       *job_id,
                                            DrsSample        *sample);
gint64      drs_history_count_samples      (DrsHistory       *self,
                                            const char       *job_id);
void        drs_history_prune              (DrsHistory       *self,
                                            gint64            now_us);
void        drs_history_set_retention_days (DrsHistory       *self,
                                            guint             days);
guint       drs_history_get_retention_days (DrsHistory       *self);
guint64     drs_history_get_n_written      (DrsHistory       *self);
gboolean    drs_history_record_action      (DrsHistory       *self,
                                            const DrsActionRecord *record,
                                            GError          **error);
GPtrArray  *drs_history_list_actions       (DrsHistory       *self,
                                            const char       *job_id,
                                            gint64            from_us,
                                            gint64            to_us,
                                            GError          **error);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsWatchedJob, drs_watched_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsActionRecord, drs_action_record_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include "drs-monitor-private.h"

/*
 * The monitor's alert state machine: after each merged answer, compares a task with what was
 * last known of it and emits the edges a person should hear about: #DrsMonitor::job-failed,
 * #DrsMonitor::job-recovered, #DrsMonitor::job-finished, and #DrsMonitor::delay-alert raised
 * after #DrsMonitor:delay-samples answers at or above the threshold (outside the grace period
 * after entering the incremental phase) and cleared below 80 % of it.
 */

/* The delay alert clears below this share of the threshold. */
#define DELAY_CLEAR_RATIO 0.8

/* After a restart, the history says what the job was doing when we last looked, so a job
 * that failed or finished meanwhile is still announced. A per-job error (task not found) has
 * no sample to compare with and stays a baseline. */
static void
restore_baseline (DrsMonitor *self, DrsMonitorJobState *state)
{
  DrsJob   *job = state->job;
  DrsSample last;

  if (state->seen || self->history == NULL ||
      !drs_history_get_last_sample (self->history, drs_job_get_id (job), &last))
    return;

  state->seen = TRUE;
  state->last_class = drs_job_status_classify (last.status, drs_job_get_task_mode (job));
  state->failed =
      state->last_class == DRS_STATUS_CLASS_FAILED || drs_job_get_error_code (job) != NULL;
  state->incremental = !state->failed && drs_job_status_is_incremental (last.status);
}

static void
set_delay_raised (DrsMonitor *self, DrsMonitorJobState *state, gboolean raised)
{
  if (state->delay_raised == !!raised)
    return;
  state->delay_raised = !!raised;
  _drs_monitor_emit (self, DRS_MONITOR_DELAY_ALERT, state->job, raised);
}

static void
evaluate_delay (DrsMonitor *self, DrsMonitorJobState *state, gint64 now)
{
  gint64   threshold_ms = (gint64) self->delay_threshold_s * 1000;
  gint64   delay = drs_job_get_delay_ms (state->job);
  gboolean in_grace =
      state->incremental_since_us >= 0 &&
      now - state->incremental_since_us < (gint64) self->delay_grace_s * G_USEC_PER_SEC;

  if (delay < 0 || in_grace)
    return;

  if (delay >= threshold_ms)
    {
      state->delay_count++;
      if (state->delay_count >= self->delay_samples)
        set_delay_raised (self, state, TRUE);
    }
  else
    {
      state->delay_count = 0;
      if (delay < threshold_ms * DELAY_CLEAR_RATIO)
        set_delay_raised (self, state, FALSE);
    }
}

void
_drs_monitor_evaluate (DrsMonitor *self, DrsMonitorJobState *state, gint64 now_us)
{
  DrsJob        *job = state->job;
  DrsStatusClass c = drs_job_get_status_class (job);
  const char    *code = drs_job_get_error_code (job);
  gboolean       failed = c == DRS_STATUS_CLASS_FAILED || code != NULL;
  gboolean       incremental = !failed && drs_job_status_is_incremental (drs_job_get_status (job));
  gboolean       was_seen;

  g_object_ref (job);

  restore_baseline (self, state);
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
          _drs_monitor_emit (self, DRS_MONITOR_JOB_FAILED, job, code, message);
        }
      else if (!failed && state->failed)
        {
          _drs_monitor_emit (self, DRS_MONITOR_JOB_RECOVERED, job);
        }
      if (!failed && c == DRS_STATUS_CLASS_FINISHED &&
          state->last_class != DRS_STATUS_CLASS_FINISHED)
        _drs_monitor_emit (self, DRS_MONITOR_JOB_FINISHED, job);
    }
  state->failed = failed;
  state->last_class = c;
  state->seen = TRUE;

  /* Entering the incremental phase starts the grace period, but only when we saw it happen. */
  if (incremental && !state->incremental)
    state->incremental_since_us = was_seen ? now_us : -1;
  state->incremental = incremental;

  if (incremental)
    evaluate_delay (self, state, now_us);
  else
    {
      state->incremental_since_us = -1;
      state->delay_count = 0;
      set_delay_raised (self, state, FALSE);
    }

  g_object_unref (job);
}

/**
 * drs_monitor_get_delay_alert:
 *
 * Returns: %TRUE while a delay alert is raised for @job
 */
gboolean
drs_monitor_get_delay_alert (DrsMonitor *self, DrsJob *job)
{
  DrsMonitorJobState *state;

  g_return_val_if_fail (DRS_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (DRS_IS_JOB (job), FALSE);

  state = g_hash_table_lookup (self->states, drs_job_get_id (job));
  return state != NULL && state->delay_raised;
}

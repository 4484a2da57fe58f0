/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "drs-job.h"
#include "drs-test-utils.h"

typedef struct
{
  GHashTable *counts; /* property name → number of notifications */
  guint       total;
} NotifyLog;

static void
on_notify (GObject *object, GParamSpec *pspec, NotifyLog *log)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, pspec->name));
  g_hash_table_insert (log->counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
  log->total++;
}

static void
log_reset (NotifyLog *log)
{
  g_hash_table_remove_all (log->counts);
  log->total = 0;
}

static guint
log_count (NotifyLog *log, const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (log->counts, name));
}

static DrsSnapshot *
running_snapshot (void)
{
  DrsSnapshot *snap = drs_snapshot_new ("8d0e8e36-a618-490d-8a46-8c61ac9jb502");

  snap->progress = 100;
  snap->delay_ms = 0;
  snap->task_mode = DRS_TASK_MODE_FULL_INCR_TRANS;
  snap->task_mode_raw = drs_task_mode_to_string (snap->task_mode);
  snap->status = DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
  snap->status_raw = drs_job_status_to_string (snap->status);
  snap->process_time_ms = G_GINT64_CONSTANT (1608274919000);
  snap->remaining_s = 0;
  return snap;
}

static void
test_defaults (void)
{
  g_autoptr (DrsJob) job = drs_job_new ("job-1");

  g_assert_cmpstr (drs_job_get_id (job), ==, "job-1");
  g_assert_cmpstr (drs_job_get_display_name (job), ==, "job-1");
  g_assert_cmpfloat (drs_job_get_progress (job), ==, DRS_UNKNOWN);
  g_assert_cmpint (drs_job_get_delay_ms (job), ==, DRS_UNKNOWN);
  g_assert_cmpint (drs_job_get_remaining_s (job), ==, DRS_UNKNOWN);
  g_assert_null (drs_job_dup_process_time (job));
  g_assert_null (drs_job_dup_last_updated (job));
  g_assert_cmpint (drs_job_get_status_class (job), ==, DRS_STATUS_CLASS_UNKNOWN);
  g_assert_false (drs_job_get_stale (job));
  g_assert_false (drs_job_get_has_phases (job));
  g_assert_cmpfloat (drs_job_get_phase_progress (job, DRS_PHASE_DATA), ==, DRS_UNKNOWN);
}

static void
test_apply_notifies_only_changes (void)
{
  g_autoptr (DrsJob) job = drs_job_new ("8d0e8e36-a618-490d-8a46-8c61ac9jb502");
  g_autoptr (DrsSnapshot) snap = running_snapshot ();
  NotifyLog log = { g_hash_table_new (g_str_hash, g_str_equal), 0 };
  g_autoptr (GDateTime) process_time = NULL;

  g_signal_connect (job, "notify", G_CALLBACK (on_notify), &log);

  g_assert_true (drs_job_apply (job, snap, 1000));
  /* progress, delay-ms, process-time, remaining-s, task-mode(+raw), status(+raw, label), class */
  g_assert_cmpuint (log_count (&log, "progress"), ==, 1);
  g_assert_cmpuint (log_count (&log, "delay-ms"), ==, 1);
  g_assert_cmpuint (log_count (&log, "process-time"), ==, 1);
  g_assert_cmpuint (log_count (&log, "remaining-s"), ==, 1);
  g_assert_cmpuint (log_count (&log, "task-mode"), ==, 1);
  g_assert_cmpuint (log_count (&log, "task-mode-raw"), ==, 1);
  g_assert_cmpuint (log_count (&log, "status"), ==, 1);
  g_assert_cmpuint (log_count (&log, "status-raw"), ==, 1);
  g_assert_cmpuint (log_count (&log, "status-label"), ==, 1);
  g_assert_cmpuint (log_count (&log, "status-class"), ==, 1);
  g_assert_cmpuint (log_count (&log, "has-phases"), ==, 0);
  g_assert_cmpuint (log_count (&log, "stale"), ==, 0);
  g_assert_cmpuint (log.total, ==, 10);

  g_assert_cmpfloat (drs_job_get_progress (job), ==, 100);
  g_assert_cmpint (drs_job_get_delay_ms (job), ==, 0);
  g_assert_cmpint (drs_job_get_status_class (job), ==, DRS_STATUS_CLASS_RUNNING);
  process_time = drs_job_dup_process_time (job);
  g_assert_cmpint (g_date_time_to_unix (process_time), ==, 1608274919);

  /* The same answer again: nothing notifies, nothing changed. */
  log_reset (&log);
  g_assert_false (drs_job_apply (job, snap, 2000));
  g_assert_cmpuint (log.total, ==, 0);
  g_assert_cmpint (drs_job_get_last_updated_us (job), ==, 2000);

  /* Two values change: exactly two notifications. */
  snap->delay_ms = 4500;
  snap->remaining_s = 12;
  g_assert_true (drs_job_apply (job, snap, 3000));
  g_assert_cmpuint (log.total, ==, 2);
  g_assert_cmpuint (log_count (&log, "delay-ms"), ==, 1);
  g_assert_cmpuint (log_count (&log, "remaining-s"), ==, 1);

  /* A phase appears. */
  log_reset (&log);
  snap->has_phases = TRUE;
  snap->phases[DRS_PHASE_STRUCT].completed = 94;
  g_assert_true (drs_job_apply (job, snap, 4000));
  g_assert_cmpuint (log_count (&log, "has-phases"), ==, 1);
  g_assert_cmpuint (log_count (&log, "struct-progress"), ==, 1);
  g_assert_cmpuint (log.total, ==, 2);
  g_assert_cmpfloat (drs_job_get_phase_progress (job, DRS_PHASE_STRUCT), ==, 94);

  g_hash_table_unref (log.counts);
}

static void
test_status_class_follows_mode (void)
{
  g_autoptr (DrsJob) job = drs_job_new ("j");
  g_autoptr (DrsSnapshot) snap = running_snapshot ();
  NotifyLog log = { g_hash_table_new (g_str_hash, g_str_equal), 0 };

  snap->status = DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE;
  snap->status_raw = drs_job_status_to_string (snap->status);
  drs_job_apply (job, snap, 1);
  g_assert_cmpint (drs_job_get_status_class (job), ==, DRS_STATUS_CLASS_RUNNING);

  g_signal_connect (job, "notify", G_CALLBACK (on_notify), &log);
  snap->task_mode = DRS_TASK_MODE_FULL_TRANS;
  snap->task_mode_raw = drs_task_mode_to_string (snap->task_mode);
  drs_job_apply (job, snap, 2);
  g_assert_cmpint (drs_job_get_status_class (job), ==, DRS_STATUS_CLASS_FINISHED);
  g_assert_cmpuint (log_count (&log, "status-class"), ==, 1);
  g_assert_cmpuint (log_count (&log, "status"), ==, 0);

  g_hash_table_unref (log.counts);
}

static void
test_unknown_status_verbatim (void)
{
  g_autoptr (DrsJob) job = drs_job_new ("j");
  g_autoptr (DrsSnapshot) snap = running_snapshot ();

  snap->status = DRS_JOB_STATUS_UNKNOWN;
  snap->status_raw = g_intern_string ("QUANTUM_TRANSFER_STARTED");
  drs_job_apply (job, snap, 1);
  g_assert_cmpint (drs_job_get_status (job), ==, DRS_JOB_STATUS_UNKNOWN);
  g_assert_cmpstr (drs_job_get_status_raw (job), ==, "QUANTUM_TRANSFER_STARTED");
  g_assert_cmpstr (drs_job_get_status_label (job), ==, "QUANTUM_TRANSFER_STARTED");
  g_assert_cmpint (drs_job_get_status_class (job), ==, DRS_STATUS_CLASS_UNKNOWN);
}

static void
test_per_job_error_keeps_values (void)
{
  g_autoptr (DrsJob) job = drs_job_new ("j");
  g_autoptr (DrsSnapshot) snap = running_snapshot ();
  g_autoptr (DrsSnapshot) err = drs_snapshot_new ("j");
  NotifyLog log = { g_hash_table_new (g_str_hash, g_str_equal), 0 };

  drs_job_apply (job, snap, 1);
  g_signal_connect (job, "notify", G_CALLBACK (on_notify), &log);

  err->error_code = g_strdup ("DRS.M05003");
  err->error_msg = g_strdup ("The task does not exist.");
  drs_job_apply (job, err, 2);
  g_assert_cmpstr (drs_job_get_error_code (job), ==, "DRS.M05003");
  g_assert_cmpstr (drs_job_get_error_message (job), ==, "The task does not exist.");
  g_assert_cmpuint (log.total, ==, 2);
  /* Nothing already known is lost. */
  g_assert_cmpfloat (drs_job_get_progress (job), ==, 100);
  g_assert_cmpint (drs_job_get_status (job), ==, DRS_JOB_STATUS_INCRE_TRANSFER_STARTED);

  /* The error clears with the next good answer. */
  log_reset (&log);
  drs_job_apply (job, snap, 3);
  g_assert_null (drs_job_get_error_code (job));
  g_assert_null (drs_job_get_error_message (job));
  g_assert_cmpuint (log.total, ==, 2);

  g_hash_table_unref (log.counts);
}

static void
test_failed_task_with_error_applies_status (void)
{
  g_autoptr (DrsJob) job = drs_job_new ("j");
  g_autoptr (DrsSnapshot) snap = running_snapshot ();

  drs_job_apply (job, snap, 1);
  snap->status = DRS_JOB_STATUS_INCRE_TRANSFER_FAILED;
  snap->status_raw = drs_job_status_to_string (snap->status);
  snap->progress = 80;
  snap->error_code = g_strdup ("DRS.M01010");
  snap->error_msg = g_strdup ("The source database is unreachable.");
  drs_job_apply (job, snap, 2);
  g_assert_cmpint (drs_job_get_status_class (job), ==, DRS_STATUS_CLASS_FAILED);
  g_assert_cmpfloat (drs_job_get_progress (job), ==, 80);
  g_assert_cmpstr (drs_job_get_error_code (job), ==, "DRS.M01010");
}

static void
test_stale (void)
{
  g_autoptr (DrsJob) job = drs_job_new ("j");
  g_autoptr (DrsSnapshot) snap = running_snapshot ();
  g_autoptr (GDateTime) last = NULL;
  NotifyLog log = { g_hash_table_new (g_str_hash, g_str_equal), 0 };

  drs_job_apply (job, snap, G_GINT64_CONSTANT (1700000000123456));
  g_signal_connect (job, "notify", G_CALLBACK (on_notify), &log);

  drs_job_mark_stale (job, "Could not reach the server.");
  g_assert_true (drs_job_get_stale (job));
  g_assert_cmpstr (drs_job_get_stale_reason (job), ==, "Could not reach the server.");
  g_assert_cmpuint (log_count (&log, "stale"), ==, 1);
  g_assert_cmpuint (log_count (&log, "stale-reason"), ==, 1);
  g_assert_cmpuint (log_count (&log, "last-updated"), ==, 1);
  last = drs_job_dup_last_updated (job);
  g_assert_cmpint (g_date_time_to_unix (last), ==, 1700000000);
  g_assert_cmpint (g_date_time_get_microsecond (last), ==, 123456);
  g_assert_cmpfloat (drs_job_get_progress (job), ==, 100);

  /* Marking again with the same reason notifies nothing. */
  log_reset (&log);
  drs_job_mark_stale (job, "Could not reach the server.");
  g_assert_cmpuint (log.total, ==, 0);

  drs_job_apply (job, snap, G_GINT64_CONSTANT (1700000001000000));
  g_assert_false (drs_job_get_stale (job));
  g_assert_null (drs_job_get_stale_reason (job));

  g_hash_table_unref (log.counts);
}

static void
test_name_and_scenario (void)
{
  g_autoptr (DrsJob) job = drs_job_new ("j");
  NotifyLog log = { g_hash_table_new (g_str_hash, g_str_equal), 0 };

  g_signal_connect (job, "notify", G_CALLBACK (on_notify), &log);
  drs_job_set_name (job, "orders → cloud");
  g_assert_cmpstr (drs_job_get_display_name (job), ==, "orders → cloud");
  g_assert_cmpuint (log_count (&log, "name"), ==, 1);
  g_assert_cmpuint (log_count (&log, "display-name"), ==, 1);
  drs_job_set_name (job, "orders → cloud");
  g_assert_cmpuint (log_count (&log, "name"), ==, 1);
  drs_job_set_name (job, "");
  g_assert_cmpstr (drs_job_get_display_name (job), ==, "j");

  drs_job_set_scenario (job, DRS_SCENARIO_CLOUD_DATA_GUARD);
  g_assert_cmpuint (log_count (&log, "status-label"), ==, 1);
  drs_job_set_scenario (job, DRS_SCENARIO_CLOUD_DATA_GUARD);
  g_assert_cmpuint (log_count (&log, "scenario"), ==, 1);

  g_hash_table_unref (log.counts);
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);
  g_test_add_func ("/job/defaults", test_defaults);
  g_test_add_func ("/job/apply-notifies-only-changes", test_apply_notifies_only_changes);
  g_test_add_func ("/job/status-class-follows-mode", test_status_class_follows_mode);
  g_test_add_func ("/job/unknown-status-verbatim", test_unknown_status_verbatim);
  g_test_add_func ("/job/per-job-error-keeps-values", test_per_job_error_keeps_values);
  g_test_add_func ("/job/failed-task-with-error-applies-status",
                   test_failed_task_with_error_applies_status);
  g_test_add_func ("/job/stale", test_stale);
  g_test_add_func ("/job/name-and-scenario", test_name_and_scenario);
  return g_test_run ();
}

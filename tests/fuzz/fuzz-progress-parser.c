/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: drs_progress_parse() on any bytes, and every snapshot it returns applied to a
 * job, as the client does with a server's batch-progress body. */
#define G_LOG_DOMAIN "drs-fuzz"

#include "config.h"

#include <math.h>

#include "drs-error.h"
#include "drs-job.h"
#include "drs-progress-parser.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  drs_fuzz_init ();
  return 0;
}

static void
assert_percent (double value)
{
  g_assert (value == DRS_UNKNOWN || (isfinite (value) && value >= 0 && value <= 100));
}

static void
assert_snapshot (const DrsSnapshot *snap)
{
  g_assert (snap->job_id != NULL && snap->job_id[0] != '\0');
  g_assert (strlen (snap->job_id) <= 128);
  drs_fuzz_assert_text (snap->job_id);
  assert_percent (snap->progress);
  g_assert (snap->delay_ms == DRS_UNKNOWN || snap->delay_ms >= 0);
  g_assert (snap->process_time_ms == DRS_UNKNOWN || snap->process_time_ms > 0);
  g_assert (snap->remaining_s == DRS_UNKNOWN || snap->remaining_s >= 0);
  for (guint i = 0; i < DRS_N_PHASES; i++)
    {
      assert_percent (snap->phases[i].completed);
      g_assert (snap->phases[i].remaining_s == DRS_UNKNOWN || snap->phases[i].remaining_s >= 0);
    }
  if (snap->status_raw != NULL)
    drs_fuzz_assert_text (snap->status_raw);
  if (snap->task_mode_raw != NULL)
    drs_fuzz_assert_text (snap->task_mode_raw);
  if (snap->error_code != NULL)
    drs_fuzz_assert_text (snap->error_code);
  if (snap->error_msg != NULL)
    drs_fuzz_assert_text (snap->error_msg);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) snapshots = NULL;

  snapshots = drs_progress_parse ((const char *) data, size, &error);
  if (snapshots == NULL)
    {
      g_assert (error != NULL);
      g_assert (error->domain == DRS_ERROR);
      drs_fuzz_assert_text (error->message);
      return 0;
    }
  g_assert (error == NULL);

  for (guint i = 0; i < snapshots->len; i++)
    {
      const DrsSnapshot *snap = g_ptr_array_index (snapshots, i);
      g_autoptr (DrsSnapshot) copy = drs_snapshot_copy (snap);
      g_autoptr (DrsJob) job = drs_job_new (snap->job_id);
      g_autoptr (GDateTime) process_time = NULL;

      assert_snapshot (snap);
      g_assert_cmpstr (copy->job_id, ==, snap->job_id);

      /* What the store does with it: apply twice (the second changes nothing), then go stale. */
      drs_job_apply (job, snap, G_USEC_PER_SEC);
      g_assert (!drs_job_apply (job, copy, G_USEC_PER_SEC));
      assert_percent (drs_job_get_progress (job));
      drs_fuzz_assert_text (drs_job_get_display_name (job));
      if (drs_job_get_status_label (job) != NULL)
        drs_fuzz_assert_text (drs_job_get_status_label (job));
      process_time = drs_job_dup_process_time (job);
      drs_job_mark_stale (job, "fuzz");
    }
  return 0;
}

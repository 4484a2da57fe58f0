/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-enums.h"
#include "drs-job-status.h"
#include "drs-test-utils.h"

/* FACTS §2: every value, its English and Chinese label, and its class. */
static const struct
{
  const char    *value;
  const char    *en;
  const char    *zh;
  DrsStatusClass status_class;
} table[] = {
  { "CREATING", "Creating", "创建中", DRS_STATUS_CLASS_PENDING },
  { "CREATE_FAILED", "Creation failed", "创建失败", DRS_STATUS_CLASS_FAILED },
  { "CONFIGURATION", "Configuring", "配置中", DRS_STATUS_CLASS_PENDING },
  { "STARTJOBING", "Starting", "启动中", DRS_STATUS_CLASS_PENDING },
  { "WAITING_FOR_START", "Waiting to start", "等待启动中", DRS_STATUS_CLASS_PENDING },
  { "START_JOB_FAILED", "Start failed", "启动失败", DRS_STATUS_CLASS_FAILED },
  { "PAUSING", "Paused", "已暂停", DRS_STATUS_CLASS_PAUSED },
  { "FULL_TRANSFER_STARTED", "Full migration in progress", "全量迁移中", DRS_STATUS_CLASS_RUNNING },
  { "FULL_TRANSFER_FAILED", "Full migration failed", "全量迁移失败", DRS_STATUS_CLASS_FAILED },
  { "FULL_TRANSFER_COMPLETE", "Full migration complete", "全量迁移完成", DRS_STATUS_CLASS_RUNNING },
  { "INCRE_TRANSFER_STARTED", "Incremental migration in progress", "增量迁移中",
    DRS_STATUS_CLASS_RUNNING },
  { "INCRE_TRANSFER_FAILED", "Incremental migration failed", "增量迁移失败",
    DRS_STATUS_CLASS_FAILED },
  { "RELEASE_RESOURCE_STARTED", "Stopping", "结束任务中", DRS_STATUS_CLASS_PENDING },
  { "RELEASE_RESOURCE_FAILED", "Stop failed", "结束任务失败", DRS_STATUS_CLASS_FAILED },
  { "RELEASE_RESOURCE_COMPLETE", "Stopped", "已结束", DRS_STATUS_CLASS_FINISHED },
  { "REBUILD_NODE_STARTED", "Fault recovery in progress", "故障恢复中", DRS_STATUS_CLASS_PENDING },
  { "REBUILD_NODE_FAILED", "Fault recovery failed", "故障恢复失败", DRS_STATUS_CLASS_FAILED },
  { "CHANGE_JOB_STARTED", "Task change in progress", "任务变更中", DRS_STATUS_CLASS_PENDING },
  { "CHANGE_JOB_FAILED", "Task change failed", "任务变更失败", DRS_STATUS_CLASS_FAILED },
  { "DELETED", "Deleted", "已删除", DRS_STATUS_CLASS_FINISHED },
  { "CHILD_TRANSFER_STARTING", "Subtask starting", "子任务启动中", DRS_STATUS_CLASS_PENDING },
  { "CHILD_TRANSFER_STARTED", "Subtask migrating", "子任务迁移中", DRS_STATUS_CLASS_RUNNING },
  { "CHILD_TRANSFER_COMPLETE", "Subtask complete", "子任务迁移完成", DRS_STATUS_CLASS_FINISHED },
  { "CHILD_TRANSFER_FAILED", "Subtask failed", "子任务迁移失败", DRS_STATUS_CLASS_FAILED },
  { "RELEASE_CHILD_TRANSFER_STARTED", "Subtask ending", "子任务结束中", DRS_STATUS_CLASS_PENDING },
  { "RELEASE_CHILD_TRANSFER_COMPLETE", "Subtask ended", "子任务已结束", DRS_STATUS_CLASS_FINISHED },
  { "NODE_UPGRADE_START", "Node upgrade in progress", "升级中", DRS_STATUS_CLASS_PENDING },
  { "NODE_UPGRADE_COMPLETE", "Node upgrade complete", "升级完成", DRS_STATUS_CLASS_RUNNING },
  { "NODE_UPGRADE_FAILED", "Node upgrade failed", "升级失败", DRS_STATUS_CLASS_FAILED },
};

G_STATIC_ASSERT (G_N_ELEMENTS (table) == DRS_JOB_STATUS_N_KNOWN);

static void
test_round_trip (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      DrsJobStatus status = drs_job_status_from_string (table[i].value);

      g_assert_cmpint (status, !=, DRS_JOB_STATUS_UNKNOWN);
      g_assert_cmpstr (drs_job_status_to_string (status), ==, table[i].value);
      g_assert_false (g_hash_table_contains (seen, GINT_TO_POINTER (status)));
      g_hash_table_add (seen, GINT_TO_POINTER (status));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 29);

  /* Unknown, empty, differently cased: unknown, never a neighbour. */
  g_assert_cmpint (drs_job_status_from_string (NULL), ==, DRS_JOB_STATUS_UNKNOWN);
  g_assert_cmpint (drs_job_status_from_string (""), ==, DRS_JOB_STATUS_UNKNOWN);
  g_assert_cmpint (drs_job_status_from_string ("creating"), ==, DRS_JOB_STATUS_UNKNOWN);
  g_assert_cmpint (drs_job_status_from_string ("QUANTUM_TRANSFER"), ==, DRS_JOB_STATUS_UNKNOWN);
  g_assert_null (drs_job_status_to_string (DRS_JOB_STATUS_UNKNOWN));

  /* The GType nicks exist for every value, so GSettings and properties can use them. */
  {
    g_autoptr (GEnumClass) klass = g_type_class_ref (DRS_TYPE_JOB_STATUS);
    g_assert_cmpuint (klass->n_values, ==, 30);
  }
}

static void
test_classify (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      DrsJobStatus status = drs_job_status_from_string (table[i].value);

      g_test_message ("%s", table[i].value);
      g_assert_cmpint (drs_job_status_classify (status, DRS_TASK_MODE_FULL_INCR_TRANS), ==,
                       table[i].status_class);
    }

  /* FULL_TRANSFER_COMPLETE ends only a full-only task. */
  g_assert_cmpint (
      drs_job_status_classify (DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE, DRS_TASK_MODE_FULL_TRANS), ==,
      DRS_STATUS_CLASS_FINISHED);
  g_assert_cmpint (
      drs_job_status_classify (DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE, DRS_TASK_MODE_INCR_TRANS), ==,
      DRS_STATUS_CLASS_RUNNING);
  g_assert_cmpint (
      drs_job_status_classify (DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE, DRS_TASK_MODE_UNKNOWN), ==,
      DRS_STATUS_CLASS_RUNNING);
  g_assert_cmpint (drs_job_status_classify (DRS_JOB_STATUS_UNKNOWN, DRS_TASK_MODE_FULL_TRANS), ==,
                   DRS_STATUS_CLASS_UNKNOWN);
  g_assert_true (drs_job_status_is_incremental (DRS_JOB_STATUS_INCRE_TRANSFER_STARTED));
  g_assert_false (drs_job_status_is_incremental (DRS_JOB_STATUS_FULL_TRANSFER_STARTED));
}

static void
test_task_modes (void)
{
  static const char *const modes[] = { "FULL_TRANS", "INCR_TRANS", "FULL_INCR_TRANS" };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      DrsTaskMode mode = drs_task_mode_from_string (modes[i]);
      g_assert_cmpint (mode, !=, DRS_TASK_MODE_UNKNOWN);
      g_assert_cmpstr (drs_task_mode_to_string (mode), ==, modes[i]);
    }
  g_assert_cmpint (drs_task_mode_from_string ("FULL"), ==, DRS_TASK_MODE_UNKNOWN);
  g_assert_cmpint (drs_task_mode_from_string (NULL), ==, DRS_TASK_MODE_UNKNOWN);

  g_assert_cmpint (drs_scenario_from_string ("cloudDataGuard"), ==, DRS_SCENARIO_CLOUD_DATA_GUARD);
  g_assert_cmpint (drs_scenario_from_string ("migration"), ==, DRS_SCENARIO_MIGRATION);
  g_assert_cmpint (drs_scenario_from_string ("sync"), ==, DRS_SCENARIO_SYNC);
  g_assert_cmpint (drs_scenario_from_string ("x"), ==, DRS_SCENARIO_UNKNOWN);
}

static void
test_classes (void)
{
  static const char *const names[] = { "unknown", "pending",  "running",
                                       "paused",  "finished", "failed" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpstr (drs_status_class_to_string (i), ==, names[i]);
      g_assert_true (g_str_has_suffix (drs_status_class_get_icon_name (i), "-symbolic"));
      g_assert_nonnull (drs_status_class_get_label (i));
    }
}

static void
check_labels (gboolean chinese)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      DrsJobStatus status = drs_job_status_from_string (table[i].value);
      g_assert_cmpstr (drs_job_status_get_label (status, DRS_SCENARIO_MIGRATION), ==,
                       chinese ? table[i].zh : table[i].en);
    }
}

static void
test_labels (void)
{
  if (!drs_test_use_language ("en_US"))
    {
      g_test_skip ("The en_US.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  check_labels (FALSE);
  g_assert_cmpstr (drs_job_status_get_label (DRS_JOB_STATUS_INCRE_TRANSFER_STARTED,
                                             DRS_SCENARIO_CLOUD_DATA_GUARD),
                   ==, "DR in progress");

  if (!drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  check_labels (TRUE);
  /* Disaster recovery words three statuses its own way (FACTS §2). */
  g_assert_cmpstr (drs_job_status_get_label (DRS_JOB_STATUS_FULL_TRANSFER_STARTED,
                                             DRS_SCENARIO_CLOUD_DATA_GUARD),
                   ==, "灾备初始化中");
  g_assert_cmpstr (drs_job_status_get_label (DRS_JOB_STATUS_INCRE_TRANSFER_STARTED,
                                             DRS_SCENARIO_CLOUD_DATA_GUARD),
                   ==, "灾备中");
  g_assert_cmpstr (drs_job_status_get_label (DRS_JOB_STATUS_INCRE_TRANSFER_FAILED,
                                             DRS_SCENARIO_CLOUD_DATA_GUARD),
                   ==, "灾备异常");
  g_assert_cmpstr (drs_status_class_get_label (DRS_STATUS_CLASS_FAILED), ==, "失败");
  drs_test_use_language ("en_US");
}

/* Stopped (released) and deleted tasks are over without failing: of the 29, exactly three. */
static void
test_removal (void)
{
  static const char *const removals[] = { "RELEASE_RESOURCE_COMPLETE", "DELETED",
                                          "RELEASE_CHILD_TRANSFER_COMPLETE", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      DrsJobStatus status = drs_job_status_from_string (table[i].value);
      gboolean     removal = g_strv_contains (removals, table[i].value);

      g_assert_cmpint (drs_job_status_is_removal (status), ==, removal);
      if (removal)
        g_assert_cmpint (drs_job_status_classify (status, DRS_TASK_MODE_FULL_INCR_TRANS), ==,
                         DRS_STATUS_CLASS_FINISHED);
    }
  g_assert_false (drs_job_status_is_removal (DRS_JOB_STATUS_UNKNOWN));
  g_assert_true (drs_job_status_code_is_removal ("DRS.M05004"));
  g_assert_false (drs_job_status_code_is_removal ("DRS.M05003"));
  g_assert_false (drs_job_status_code_is_removal (NULL));
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);
  g_test_add_func ("/job-status/removal", test_removal);
  g_test_add_func ("/job-status/round-trip", test_round_trip);
  g_test_add_func ("/job-status/classify", test_classify);
  g_test_add_func ("/job-status/task-modes", test_task_modes);
  g_test_add_func ("/job-status/classes", test_classes);
  g_test_add_func ("/job-status/labels", test_labels);
  return g_test_run ();
}

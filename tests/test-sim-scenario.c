/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "drs-sim-scenario.h"
#include "drs-test-utils.h"

static DrsSimScenario *
load_lifecycle (void)
{
  g_autofree char *path = drs_test_fixture_path ("scenario-lifecycle.json");
  g_autoptr (GError) error = NULL;
  DrsSimScenario *scenario = drs_sim_scenario_new_from_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scenario);
  return scenario;
}

static JsonObject *
progress_at (DrsSimScenario *scenario, const char *id, gint64 seconds, JsonNode **keep)
{
  DrsSimClock clock = { seconds * 1000, G_GINT64_CONSTANT (1700000000000), 1.0, 7 };
  int         index = drs_sim_scenario_find_job (scenario, id);

  g_assert_cmpint (index, >=, 0);
  g_clear_pointer (keep, json_node_unref);
  *keep = drs_sim_scenario_build_progress (scenario, index, &clock, FALSE);
  return json_node_get_object (*keep);
}

static void
test_load_errors (void)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { "not json", "not valid JSON" },
    { "[]", "must be a JSON object" },
    { "{}", "“jobs” must be an array" },
    { "{\"jobs\":[{\"phases\":[{\"status\":\"CREATING\"}]}]}", "“id” is required" },
    { "{\"jobs\":[{\"id\":\"a\"}]}", "“phases” must be a non-empty array" },
    { "{\"jobs\":[{\"id\":\"a\",\"phases\":[]}]}", "“phases” must be a non-empty array" },
    { "{\"jobs\":[{\"id\":\"a\",\"phases\":[{\"duration\":5}]}]}", "“status” is required" },
    { "{\"jobs\":[{\"id\":\"a\",\"phases\":[{\"status\":\"CREATING\"},{\"status\":\"CREATING\"}]}]"
      "}",
      "“duration” is required" },
    { "{\"jobs\":[{\"id\":\"a\",\"scenario\":\"x\",\"phases\":[{\"status\":\"CREATING\"}]}]}",
      "“scenario” must be" },
    { "{\"jobs\":[{\"id\":\"a\",\"phases\":[{\"status\":\"CREATING\",\"progress\":[0,200]}]}]}",
      "“progress” must be a percentage" },
    { "{\"jobs\":[{\"id\":\"a\",\"phases\":[{\"status\":\"CREATING\",\"delay\":{\"base_ms\":\"x\"}}"
      "]}]}",
      "“base_ms” must be a number" },
    { "{\"jobs\":[{\"id\":\"a\",\"start\":\"soon\",\"phases\":[{\"status\":\"CREATING\"}]}]}",
      "“start” must be a number" },
    { "{\"jobs\":[{\"id\":\"a\",\"phases\":[{\"status\":\"CREATING\"}]},"
      "{\"id\":\"a\",\"phases\":[{\"status\":\"CREATING\"}]}]}",
      "used twice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DrsSimScenario) scenario =
          drs_sim_scenario_new_from_data (cases[i].json, -1, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (scenario);
      g_assert_error (error, DRS_SIM_SCENARIO_ERROR, DRS_SIM_SCENARIO_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }
}

static void
test_lifecycle (void)
{
  g_autoptr (DrsSimScenario) scenario = load_lifecycle ();
  g_autoptr (JsonNode) keep = NULL;
  JsonObject *r, *map;

  g_assert_cmpstr (drs_sim_scenario_get_project_id (scenario), ==,
                   "11112222333344445555666677778888");
  g_assert_cmpuint (drs_sim_scenario_get_n_jobs (scenario), ==, 4);

  r = progress_at (scenario, "life-1", 30, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "transfer_status"), ==, "CONFIGURATION");
  g_assert_cmpstr (json_object_get_string_member (r, "progress"), ==, "0");
  g_assert_cmpstr (json_object_get_string_member (r, "process_time"), ==, "0");
  g_assert_cmpstr (json_object_get_string_member (r, "incre_trans_delay"), ==, "-1");
  g_assert_false (json_object_has_member (r, "progress_map"));

  /* Full transfer: structure, then data, then index. */
  r = progress_at (scenario, "life-1", 120 + 100, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "transfer_status"), ==,
                   "FULL_TRANSFER_STARTED");
  g_assert_cmpstr (json_object_get_string_member (r, "progress"), ==, "10");
  g_assert_cmpstr (json_object_get_string_member (r, "process_time"), ==, "1700000000000");
  g_assert_cmpstr (json_object_get_string_member (r, "remaining_time"), ==, "900");
  map = json_object_get_object_member (r, "progress_map");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (map, "struct"), "completed"),
      ==, "100%");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (map, "data"), "completed"), ==,
      "0%");

  r = progress_at (scenario, "life-1", 120 + 500, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "progress"), ==, "50");
  map = json_object_get_object_member (r, "progress_map");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (map, "data"), "completed"), ==,
      "50%");
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (map, "data"),
                                                   "remaining_time"));
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (map, "index"), "completed"), ==,
      "0%");
  g_assert_true (
      json_object_get_null_member (json_object_get_object_member (map, "index"), "remaining_time"));

  r = progress_at (scenario, "life-1", 1150, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "transfer_status"), ==,
                   "FULL_TRANSFER_COMPLETE");
  g_assert_cmpstr (json_object_get_string_member (r, "progress"), ==, "100");
  map = json_object_get_object_member (r, "progress_map");
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (map, "index"), "completed"), ==,
      "100%");

  /* Incremental delay: base, then a spike at its peak. */
  r = progress_at (scenario, "life-1", 1180 + 100, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "incre_trans_delay"), ==, "1");
  g_assert_cmpstr (json_object_get_string_member (r, "incre_trans_delay_millis"), ==, "1000");
  r = progress_at (scenario, "life-1", 1180 + 550, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "incre_trans_delay_millis"), ==, "51000");
  g_assert_cmpstr (json_object_get_string_member (r, "incre_trans_delay"), ==, "51");

  r = progress_at (scenario, "life-1", 2200, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "transfer_status"), ==, "PAUSING");
  g_assert_cmpstr (json_object_get_string_member (r, "incre_trans_delay"), ==, "-1");
  /* Not running: process_time stays at the phase's start (20 s ago). */
  g_assert_cmpstr (json_object_get_string_member (r, "process_time"), ==, "1699999980000");

  r = progress_at (scenario, "life-1", 2300, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "transfer_status"), ==,
                   "INCRE_TRANSFER_FAILED");
  g_assert_cmpstr (json_object_get_string_member (r, "error_code"), ==, "DRS.M04002");
  g_assert_cmpstr (json_object_get_string_member (r, "error_msg"), ==,
                   "The connection to the source database was lost.");

  r = progress_at (scenario, "life-1", 2450, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "transfer_status"), ==,
                   "RELEASE_RESOURCE_COMPLETE");
  g_assert_false (json_object_has_member (r, "error_code"));

  r = progress_at (scenario, "life-1", 5000, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "error_code"), ==, "DRS.M05004");
  g_assert_false (json_object_has_member (r, "transfer_status"));
}

static void
test_job_options (void)
{
  g_autoptr (DrsSimScenario) scenario = load_lifecycle ();
  g_autoptr (JsonNode) keep = NULL;
  JsonObject *r;

  /* Before its start a job does not exist. */
  r = progress_at (scenario, "late-1", 50, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "error_code"), ==, "DRS.M05003");
  r = progress_at (scenario, "late-1", 150, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "incre_trans_delay"), ==, "2");
  g_assert_false (json_object_has_member (r, "incre_trans_delay_millis"));
  g_assert_false (json_object_has_member (r, "progress_map"));
  g_assert_cmpstr (json_object_get_string_member (r, "task_mode"), ==, "INCR_TRANS");

  r = progress_at (scenario, "odd-1", 10, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "transfer_status"), ==, "SOMETHING_NEW");
  g_assert_cmpstr (json_object_get_string_member (r, "progress"), ==, "");
  g_assert_true (json_object_get_null_member (r, "remaining_time"));

  /* Periodic spikes: none in the first period, a peak in the middle of a later spike. */
  r = progress_at (scenario, "dr-1", 30, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "incre_trans_delay_millis"), ==, "100");
  r = progress_at (scenario, "dr-1", 1230, &keep);
  g_assert_cmpstr (json_object_get_string_member (r, "incre_trans_delay_millis"), ==, "30100");
  g_assert_false (json_object_has_member (r, "progress_map"));
}

static void
test_default (void)
{
  g_autoptr (DrsSimScenario) scenario = drs_sim_scenario_new_default ();
  gboolean    seen_class[DRS_STATUS_CLASS_FAILED + 1] = { FALSE };
  gboolean    seen_scenario[DRS_SCENARIO_CLOUD_DATA_GUARD + 1] = { FALSE };
  guint       with_map = 0, without_map = 0, with_error = 0, moving = 0;
  DrsSimClock clock = { 0, G_GINT64_CONSTANT (1700000000000), 60.0, 1 };
  DrsSimClock later = { 3600 * 1000, G_GINT64_CONSTANT (1700000060000), 60.0, 1 };
  guint       n = drs_sim_scenario_get_n_jobs (scenario);

  g_assert_cmpuint (n, >=, 35);
  g_assert_cmpuint (n, <=, 50);
  g_assert_cmpint (drs_sim_scenario_find_job (scenario, "8d0e8e36-a618-490d-8a46-8c61ac9jb502"), >=,
                   0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (JsonNode) now = drs_sim_scenario_build_progress (scenario, i, &clock, FALSE);
      g_autoptr (JsonNode) then = drs_sim_scenario_build_progress (scenario, i, &later, FALSE);
      JsonObject *r = json_node_get_object (now);
      const char *status = json_object_get_string_member_with_default (r, "transfer_status", NULL);
      const char *mode = json_object_get_string_member_with_default (r, "task_mode", NULL);

      seen_scenario[drs_sim_scenario_get_job_scenario (scenario, i)] = TRUE;
      if (status != NULL)
        seen_class[drs_job_status_classify (drs_job_status_from_string (status),
                                            drs_task_mode_from_string (mode))] = TRUE;
      if (json_object_has_member (r, "progress_map"))
        with_map++;
      else
        without_map++;
      if (json_object_has_member (r, "error_code"))
        with_error++;
      if (g_strcmp0 (json_object_get_string_member_with_default (r, "progress", NULL),
                     json_object_get_string_member_with_default (json_node_get_object (then),
                                                                 "progress", NULL)) != 0)
        moving++;
    }

  for (guint c = DRS_STATUS_CLASS_UNKNOWN; c <= DRS_STATUS_CLASS_FAILED; c++)
    {
      g_test_message ("status class %u", c);
      g_assert_true (seen_class[c]);
    }
  for (guint s = DRS_SCENARIO_MIGRATION; s <= DRS_SCENARIO_CLOUD_DATA_GUARD; s++)
    g_assert_true (seen_scenario[s]);
  g_assert_cmpuint (with_map, >=, 5);
  g_assert_cmpuint (without_map, >=, 5);
  g_assert_cmpuint (with_error, >=, 4);
  /* A minute at the default speed moves progress visibly. */
  g_assert_cmpuint (moving, >=, 5);
}

int
main (int argc, char *argv[])
{
  /* No G_TEST_OPTION_ISOLATE_DIRS (drs_test_init): these tests use no user dirs, and GLib 2.74
   * leaks the replaced dir strings between tests, which LeakSanitizer reports. */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-scenario/load-errors", test_load_errors);
  g_test_add_func ("/sim-scenario/lifecycle", test_lifecycle);
  g_test_add_func ("/sim-scenario/job-options", test_job_options);
  g_test_add_func ("/sim-scenario/default", test_default);

  return g_test_run ();
}

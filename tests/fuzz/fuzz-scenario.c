/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: the simulator's scenario loader (drs_simulator_load_scenario_data() and the
 * DrsSimScenario it builds), then every job of a loaded scenario played at several points of its
 * timeline, its answers serialised and read back by the app's parser, as the simulator and the
 * app do over HTTP. */
#define G_LOG_DOMAIN "drs-fuzz"

#include "config.h"

#include "drs-progress-parser.h"
#include "drs-sim-scenario.h"
#include "drs-simulator.h"
#include "fuzz-common.h"

/* 2026-01-01, the wall clock of every evaluation. */
#define WALL_MS G_GINT64_CONSTANT (1767225600000)

static DrsSimulator *simulator;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  drs_fuzz_init ();
  simulator = drs_simulator_new ();
  drs_simulator_set_manual_clock (simulator, TRUE);
  return 0;
}

static void
play (DrsSimScenario *scenario, guint index, gint64 elapsed_ms)
{
  DrsSimClock clock = { .elapsed_ms = elapsed_ms, .wall_ms = WALL_MS, .speed = 60, .seed = 42 };
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr (JsonNode) list_item = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) snapshots = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *body = NULL;
  const char      *status;

  (void) drs_sim_scenario_job_visible (scenario, index, &clock);
  status = drs_sim_scenario_get_job_status (scenario, index, &clock);
  if (status != NULL)
    g_assert (status[0] != '\0');

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  json_builder_add_value (builder,
                          drs_sim_scenario_build_progress (scenario, index, &clock, FALSE));
  json_builder_add_value (builder, drs_sim_scenario_build_progress (scenario, index, &clock, TRUE));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  /* What the simulator sends, the app reads: only a hostile "raw" member can make it fail. */
  snapshots = drs_progress_parse (body, strlen (body), &error);
  g_assert (snapshots != NULL || error != NULL);

  if (status != NULL)
    {
      list_item = drs_sim_scenario_build_list_item (scenario, index, &clock);
      g_assert (JSON_NODE_HOLDS_OBJECT (list_item));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const gint64 times_ms[] = {
    0, 1000, 60 * 1000, 3600 * 1000, 24 * 3600 * 1000, (gint64) 30 * 24 * 3600 * 1000
  };
  g_autoptr (DrsSimScenario) scenario = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) sim_error = NULL;
  gboolean loaded;

  scenario = drs_sim_scenario_new_from_data ((const char *) data, (gssize) size, &error);
  loaded =
      drs_simulator_load_scenario_data (simulator, (const char *) data, (gssize) size, &sim_error);
  /* The simulator accepts exactly what the loader accepts. */
  g_assert ((scenario != NULL) == loaded);
  if (scenario == NULL)
    {
      g_assert (error != NULL && error->domain == DRS_SIM_SCENARIO_ERROR);
      g_assert (error->message != NULL);
      return 0;
    }

  for (guint i = 0; i < drs_sim_scenario_get_n_jobs (scenario) && i < 64; i++)
    {
      const char *id = drs_sim_scenario_get_job_id (scenario, i);
      gint64      start = drs_sim_scenario_get_job_start (scenario, i);

      g_assert (id != NULL && id[0] != '\0');
      g_assert_cmpint (drs_sim_scenario_find_job (scenario, id), ==, (int) i);
      for (guint t = 0; t < G_N_ELEMENTS (times_ms); t++)
        play (scenario, i, times_ms[t]);
      /* Just before and at the job's creation. */
      if (start > 0 && start < (gint64) 365 * 24 * 3600 * 1000)
        {
          play (scenario, i, start - 1);
          play (scenario, i, start);
        }
    }

  {
    g_auto (GStrv) ids = drs_simulator_dup_job_ids (simulator);
    g_assert_cmpuint (g_strv_length (ids), ==, drs_sim_scenario_get_n_jobs (scenario));
  }
  return 0;
}

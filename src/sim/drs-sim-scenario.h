/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "drs-job-status.h"

G_BEGIN_DECLS

#define DRS_SIM_SCENARIO_ERROR (drs_sim_scenario_error_quark ())

typedef enum
{
  DRS_SIM_SCENARIO_ERROR_INVALID,
} DrsSimScenarioError;

/**
 * DrsSimClock:
 * @elapsed_ms: simulated milliseconds since the scenario started (job timelines run on it)
 * @wall_ms: the server's wall clock, Unix milliseconds (process_time, tokens, signatures)
 * @speed: simulated milliseconds per wall millisecond (converts remaining times)
 * @seed: makes the random parts (delay jitter) repeatable
 */
typedef struct
{
  gint64  elapsed_ms;
  gint64  wall_ms;
  double  speed;
  guint64 seed;
} DrsSimClock;

typedef struct _DrsSimScenario DrsSimScenario;

GQuark          drs_sim_scenario_error_quark (void);
DrsSimScenario *drs_sim_scenario_new_from_data (const char *data, gssize length, GError **error);
DrsSimScenario *drs_sim_scenario_new_from_file (const char *path, GError **error);
DrsSimScenario *drs_sim_scenario_new_default (void);
void            drs_sim_scenario_free (DrsSimScenario *self);

const char *drs_sim_scenario_get_project_id (DrsSimScenario *self);
guint       drs_sim_scenario_get_n_jobs (DrsSimScenario *self);
const char *drs_sim_scenario_get_job_id (DrsSimScenario *self, guint index);
int         drs_sim_scenario_find_job (DrsSimScenario *self, const char *job_id);
gboolean drs_sim_scenario_job_visible (DrsSimScenario *self, guint index, const DrsSimClock *clock);
const char *
drs_sim_scenario_get_job_status (DrsSimScenario *self, guint index, const DrsSimClock *clock);
JsonNode *drs_sim_scenario_build_progress (DrsSimScenario    *self,
                                           guint              index,
                                           const DrsSimClock *clock,
                                           gboolean           chinese);
JsonNode *
drs_sim_scenario_build_list_item (DrsSimScenario *self, guint index, const DrsSimClock *clock);
const char *
drs_sim_scenario_get_resume_status (DrsSimScenario *self, guint index, const DrsSimClock *clock);
DrsScenario drs_sim_scenario_get_job_scenario (DrsSimScenario *self, guint index);
gint64      drs_sim_scenario_get_job_start (DrsSimScenario *self, guint index);

const char *drs_sim_message (const char *code, gboolean chinese);
JsonNode   *drs_sim_build_unknown_job (const char *job_id, gboolean chinese);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsSimScenario, drs_sim_scenario_free)

G_END_DECLS

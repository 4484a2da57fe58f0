/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include <string.h>

#include "drs-simulator-private.h"

/**
 * DrsSimulator:
 *
 * A local server (SoupServer on 127.0.0.1) that answers like DRS and IAM:
 *
 * - `POST /v3/{project_id}/jobs/batch-progress`, `POST /v3/{project_id}/jobs`,
 *   `POST /v3/{project_id}/jobs/batch-pause-task`, `POST /v3/{project_id}/jobs/batch-retry-task`
 *   (X-Auth-Token or AK/SK signature; the actions follow drs-sim-actions.c),
 * - `POST /v3/auth/tokens`, `GET /v3/projects?name=REGION` (IAM),
 * - `POST /_sim/faults`, `GET /_sim/faults`, `GET /_sim/stats`, `POST /_sim/clock` (control,
 *   loopback only).
 *
 * Jobs follow a #DrsSimScenario on a simulated clock that runs @speed times faster than the wall
 * clock, or only by drs_simulator_advance() when the clock is manual.
 *
 * This file holds the object: its clocks, scenario, credentials and statistics. The server and
 * its handlers are in the files drs-simulator-private.h names.
 */

G_DEFINE_FINAL_TYPE (DrsSimulator, drs_simulator, G_TYPE_OBJECT)

static void
drs_simulator_dispose (GObject *object)
{
  DrsSimulator *self = DRS_SIMULATOR (object);

  while (self->deliveries != NULL)
    _drs_sim_delivery_free (self->deliveries->data);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (drs_simulator_parent_class)->dispose (object);
}

static void
drs_simulator_finalize (GObject *object)
{
  DrsSimulator *self = DRS_SIMULATOR (object);

  g_clear_pointer (&self->actions, drs_sim_actions_free);
  g_clear_pointer (&self->scenario, drs_sim_scenario_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->fixed_tokens, g_hash_table_unref);
  g_clear_pointer (&self->issued_tokens, g_hash_table_unref);
  g_clear_pointer (&self->access_keys, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->last_language, g_free);
  g_queue_clear (&self->rate_window);
  drs_sim_faults_clear (&self->faults);

  G_OBJECT_CLASS (drs_simulator_parent_class)->finalize (object);
}

static void
drs_simulator_class_init (DrsSimulatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = drs_simulator_dispose;
  object_class->finalize = drs_simulator_finalize;
}

static void
drs_simulator_init (DrsSimulator *self)
{
  self->scenario = drs_sim_scenario_new_default ();
  self->actions = drs_sim_actions_new (self->scenario);
  self->project_id = g_strdup (DRS_SIM_DEMO_PROJECT_ID);
  self->region = g_strdup (DRS_SIM_DEMO_REGION);
  self->fixed_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->issued_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->access_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (self->access_keys, g_strdup (DRS_SIM_DEMO_AK), g_strdup (DRS_SIM_DEMO_SK));
  self->seed = 1;
  self->rand = g_rand_new_with_seed (1);
  self->speed = 1.0;
  self->mono_mark_us = g_get_monotonic_time ();
  self->success_status = SOUP_STATUS_OK;
  g_queue_init (&self->rate_window);
}

/**
 * drs_simulator_new:
 *
 * Returns: (transfer full): a simulator with the built-in default scenario, speed 1, seed 1,
 *   the demo project id, the demo AK/SK, not listening yet
 */
DrsSimulator *
drs_simulator_new (void)
{
  return g_object_new (DRS_TYPE_SIMULATOR, NULL);
}

/* Clocks */

gint64
drs_simulator_get_elapsed (DrsSimulator *self)
{
  double elapsed = self->frozen_elapsed_ms;

  g_return_val_if_fail (DRS_IS_SIMULATOR (self), 0);

  if (!self->manual)
    elapsed += (g_get_monotonic_time () - self->mono_mark_us) / 1000.0 * self->speed;
  return (gint64) elapsed;
}

gint64
drs_simulator_get_wall_time (DrsSimulator *self)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), 0);

  if (self->manual)
    return self->wall_frozen_ms;
  return g_get_real_time () / 1000 + self->wall_offset_ms;
}

void
_drs_simulator_get_clock (DrsSimulator *self, DrsSimClock *clock)
{
  clock->elapsed_ms = drs_simulator_get_elapsed (self);
  clock->wall_ms = drs_simulator_get_wall_time (self);
  clock->speed = self->manual ? 1.0 : self->speed;
  clock->seed = self->seed;
}

static void
rebase_clock (DrsSimulator *self)
{
  self->frozen_elapsed_ms = drs_simulator_get_elapsed (self);
  self->mono_mark_us = g_get_monotonic_time ();
}

void
drs_simulator_set_speed (DrsSimulator *self, double speed)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));
  g_return_if_fail (speed > 0);

  rebase_clock (self);
  self->speed = speed;
}

double
drs_simulator_get_speed (DrsSimulator *self)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), 1.0);
  return self->speed;
}

/**
 * drs_simulator_set_manual_clock:
 * @manual: %TRUE: time moves only by drs_simulator_advance() (both the scenario and the wall
 *   clock used for tokens and signatures)
 */
void
drs_simulator_set_manual_clock (DrsSimulator *self, gboolean manual)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));

  manual = !!manual;
  if (manual == self->manual)
    return;
  if (manual)
    {
      rebase_clock (self);
      self->wall_frozen_ms = drs_simulator_get_wall_time (self);
      self->manual = TRUE;
    }
  else
    {
      self->wall_offset_ms = self->wall_frozen_ms - g_get_real_time () / 1000;
      self->mono_mark_us = g_get_monotonic_time ();
      self->manual = FALSE;
    }
}

/**
 * drs_simulator_advance:
 *
 * Moves the scenario clock and the wall clock forward by @milliseconds (on top of the running
 * clock when it is not manual).
 */
void
drs_simulator_advance (DrsSimulator *self, gint64 milliseconds)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));
  g_return_if_fail (milliseconds >= 0);

  self->frozen_elapsed_ms += milliseconds;
  if (self->manual)
    self->wall_frozen_ms += milliseconds;
  else
    self->wall_offset_ms += milliseconds;
}

void
drs_simulator_set_seed (DrsSimulator *self, guint64 seed)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));

  self->seed = seed;
  g_rand_set_seed (self->rand, (guint32) (seed ^ (seed >> 32)));
}

guint64
drs_simulator_get_seed (DrsSimulator *self)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), 0);
  return self->seed;
}

/* Takes @scenario (nullable: it failed to load, and nothing changes); FALSE when %NULL. */
static gboolean
take_scenario (DrsSimulator *self, DrsSimScenario *scenario)
{
  if (scenario == NULL)
    return FALSE;
  g_clear_pointer (&self->scenario, drs_sim_scenario_free);
  self->scenario = scenario;
  drs_sim_actions_reset (self->actions, scenario);
  if (drs_sim_scenario_get_project_id (scenario) != NULL)
    drs_simulator_set_project_id (self, drs_sim_scenario_get_project_id (scenario));
  /* The scenario starts now. */
  self->frozen_elapsed_ms = 0;
  self->mono_mark_us = g_get_monotonic_time ();
  return TRUE;
}

/**
 * drs_simulator_load_scenario:
 * @path: a scenario JSON file (format: see drs-sim-scenario.c)
 *
 * Replaces the jobs and restarts the scenario clock at 0.
 */
gboolean
drs_simulator_load_scenario (DrsSimulator *self, const char *path, GError **error)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return take_scenario (self, drs_sim_scenario_new_from_file (path, error));
}

gboolean
drs_simulator_load_scenario_data (DrsSimulator *self,
                                  const char   *data,
                                  gssize        length,
                                  GError      **error)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  return take_scenario (self, drs_sim_scenario_new_from_data (data, length, error));
}

void
drs_simulator_set_project_id (DrsSimulator *self, const char *project_id)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));
  g_return_if_fail (project_id != NULL && *project_id != '\0');

  g_free (self->project_id);
  self->project_id = g_strdup (project_id);
}

const char *
drs_simulator_get_project_id (DrsSimulator *self)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), NULL);
  return self->project_id;
}

void
drs_simulator_set_region (DrsSimulator *self, const char *region)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));
  g_return_if_fail (region != NULL && *region != '\0');

  g_free (self->region);
  self->region = g_strdup (region);
}

/**
 * drs_simulator_add_token:
 *
 * Makes @token valid for the DRS and IAM endpoints for the simulator's life.
 */
void
drs_simulator_add_token (DrsSimulator *self, const char *token)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));
  g_return_if_fail (token != NULL && *token != '\0');

  g_hash_table_add (self->fixed_tokens, g_strdup (token));
}

void
drs_simulator_add_access_key (DrsSimulator *self, const char *ak, const char *sk)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));
  g_return_if_fail (ak != NULL && sk != NULL);

  g_hash_table_replace (self->access_keys, g_strdup (ak), g_strdup (sk));
}

/**
 * drs_simulator_set_success_status:
 * @status: 200 (the current API reference, the default) or 202 (the seed page)
 */
void
drs_simulator_set_success_status (DrsSimulator *self, guint status)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));
  g_return_if_fail (status >= 200 && status < 300);

  self->success_status = status;
}

/**
 * drs_simulator_dup_job_ids:
 *
 * Returns: (transfer full): every job id of the scenario, in scenario order
 */
char **
drs_simulator_dup_job_ids (DrsSimulator *self)
{
  guint  n;
  char **ids;

  g_return_val_if_fail (DRS_IS_SIMULATOR (self), NULL);

  n = drs_sim_scenario_get_n_jobs (self->scenario);
  ids = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    ids[i] = g_strdup (drs_sim_scenario_get_job_id (self->scenario, i));
  return ids;
}

/**
 * drs_simulator_dup_job_status:
 *
 * Returns: (transfer full) (nullable): the job's transfer_status now, %NULL if it does not exist
 */
char *
drs_simulator_dup_job_status (DrsSimulator *self, const char *job_id)
{
  DrsSimClock clock;
  int         index;

  g_return_val_if_fail (DRS_IS_SIMULATOR (self), NULL);

  index = drs_sim_scenario_find_job (self->scenario, job_id);
  if (index < 0)
    return NULL;
  _drs_simulator_get_clock (self, &clock);
  return g_strdup (drs_sim_actions_get_status (self->actions, index, &clock));
}

/**
 * drs_simulator_get_request_count:
 * @endpoint: "batch-progress", "jobs", "tokens", "projects", "sim" or "other"
 *
 * Returns: requests received on @endpoint (faulted ones included)
 */
guint
drs_simulator_get_request_count (DrsSimulator *self, const char *endpoint)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), 0);

  for (guint i = 0; i < DRS_SIM_N_ENDPOINTS; i++)
    if (g_strcmp0 (_drs_sim_endpoint_name (i), endpoint) == 0)
      return self->counts[i];
  g_return_val_if_reached (0);
}

guint
drs_simulator_get_connection_count (DrsSimulator *self)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), 0);
  return self->connections;
}

/**
 * drs_simulator_get_last_language:
 *
 * Returns: (nullable): the last `X-Language` value received, as sent
 */
const char *
drs_simulator_get_last_language (DrsSimulator *self)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), NULL);
  return self->last_language;
}

void
drs_simulator_reset_stats (DrsSimulator *self)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));

  memset (self->counts, 0, sizeof self->counts);
  self->connections = 0;
  g_clear_pointer (&self->last_language, g_free);
}

const char *
drs_simulator_get_base_url (DrsSimulator *self)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), NULL);
  return self->base_url;
}

guint
drs_simulator_get_port (DrsSimulator *self)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), 0);
  return self->port;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The documented demo credentials (see README and `drs-simulator --help`). */
#define DRS_SIM_DEMO_ACCOUNT "drs-demo"
#define DRS_SIM_DEMO_USER "demo"
#define DRS_SIM_DEMO_PASSWORD "Demo-Passw0rd"
#define DRS_SIM_DEMO_AK "AKDEMO0000000000000"
#define DRS_SIM_DEMO_SK "SKDEMO000000000000000000000000000000000"
#define DRS_SIM_DEMO_PROJECT_ID "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
#define DRS_SIM_DEMO_REGION "cn-north-4"
/* Accepted by the drs-simulator program (not by drs_simulator_new() unless added). */
#define DRS_SIM_DEMO_TOKEN "drs-demo-token"
#define DRS_SIM_DEFAULT_PORT 8686
#define DRS_SIM_DEFAULT_SPEED 60.0

/**
 * DrsSimFaults:
 * @latency_ms: every API response waits this long
 * @jitter_ms: plus a uniform random 0..@jitter_ms
 * @throttle_rate: probability (0–1) of 429 `APIGW.0308` with `Retry-After`
 * @retry_after_s: the `Retry-After` value of throttled answers (0 = 1 s)
 * @error_status: 500, 502 or 503 answered with probability @error_rate
 * @error_rate: probability of @error_status; 0 with @error_status set means every request
 * @token_ttl_s: tokens issued from now on expire after this many seconds (0 = 24 h)
 * @rate_limit_per_min: DRS requests accepted per minute of the simulator clock (0 = no limit)
 * @malformed: %NULL, "truncated", "wrong-types", "html" or "empty": successful DRS bodies broken so
 * @trickle_bytes_per_s: successful DRS bodies sent chunked at this rate
 * @drop_rate: probability of closing the connection without an answer
 * @read_only: the user may read tasks but not operate them: `batch-pause-task` and
 *   `batch-retry-task` answer 403 `DRS.M00103`
 *
 * Faults apply to the DRS endpoints (`batch-progress`, `jobs`, `batch-pause-task`,
 * `batch-retry-task`); latency applies to IAM as well; `/_sim/` never suffers faults.
 */
typedef struct
{
  guint    latency_ms;
  guint    jitter_ms;
  double   throttle_rate;
  guint    retry_after_s;
  guint    error_status;
  double   error_rate;
  guint    token_ttl_s;
  guint    rate_limit_per_min;
  char    *malformed;
  guint    trickle_bytes_per_s;
  double   drop_rate;
  gboolean read_only;
} DrsSimFaults;

#define DRS_TYPE_SIMULATOR (drs_simulator_get_type ())

G_DECLARE_FINAL_TYPE (DrsSimulator, drs_simulator, DRS, SIMULATOR, GObject)

DrsSimulator *drs_simulator_new (void);
gboolean      drs_simulator_load_scenario (DrsSimulator *self, const char *path, GError **error);
gboolean      drs_simulator_load_scenario_data (DrsSimulator *self,
                                                const char   *data,
                                                gssize        length,
                                                GError      **error);
void          drs_simulator_set_seed (DrsSimulator *self, guint64 seed);
guint64       drs_simulator_get_seed (DrsSimulator *self);
void          drs_simulator_set_speed (DrsSimulator *self, double speed);
double        drs_simulator_get_speed (DrsSimulator *self);
void          drs_simulator_set_manual_clock (DrsSimulator *self, gboolean manual);
void          drs_simulator_advance (DrsSimulator *self, gint64 milliseconds);
gint64        drs_simulator_get_elapsed (DrsSimulator *self);
gint64        drs_simulator_get_wall_time (DrsSimulator *self);
void          drs_simulator_set_project_id (DrsSimulator *self, const char *project_id);
const char   *drs_simulator_get_project_id (DrsSimulator *self);
void          drs_simulator_set_region (DrsSimulator *self, const char *region);
void          drs_simulator_add_token (DrsSimulator *self, const char *token);
void          drs_simulator_add_access_key (DrsSimulator *self, const char *ak, const char *sk);
void          drs_simulator_set_success_status (DrsSimulator *self, guint status);
gboolean
drs_simulator_listen (DrsSimulator *self, guint port, GTlsCertificate *certificate, GError **error);
const char *drs_simulator_get_base_url (DrsSimulator *self);
guint       drs_simulator_get_port (DrsSimulator *self);
char      **drs_simulator_dup_job_ids (DrsSimulator *self);
char       *drs_simulator_dup_job_status (DrsSimulator *self, const char *job_id);
void        drs_simulator_set_faults (DrsSimulator *self, const DrsSimFaults *faults);
void        drs_simulator_get_faults (DrsSimulator *self, DrsSimFaults *faults);
guint       drs_simulator_get_request_count (DrsSimulator *self, const char *endpoint);
guint       drs_simulator_get_connection_count (DrsSimulator *self);
const char *drs_simulator_get_last_language (DrsSimulator *self);
void        drs_simulator_reset_stats (DrsSimulator *self);

gboolean drs_sim_faults_is_valid (const DrsSimFaults *faults);
void     drs_sim_faults_clear (DrsSimFaults *faults);

G_END_DECLS

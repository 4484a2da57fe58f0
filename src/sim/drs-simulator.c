/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "drs-sim-actions.h"
#include "drs-sim-scenario.h"
#include "drs-sim-signer.h"
#include "drs-simulator.h"

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
 */

#define TOKEN_LIFETIME_MS (24 * 3600 * 1000LL)
#define TOKEN_RANDOM_BYTES 3600
#define LISTEN_BACKLOG 1024
#define TRICKLE_INTERVAL_MS 100
#define MAX_PER_PAGE 1000

typedef enum
{
  ENDPOINT_BATCH_PROGRESS,
  ENDPOINT_JOBS,
  ENDPOINT_PAUSE,
  ENDPOINT_RETRY,
  ENDPOINT_TOKENS,
  ENDPOINT_PROJECTS,
  ENDPOINT_SIM,
  ENDPOINT_OTHER,
  N_ENDPOINTS
} Endpoint;

static const char *const endpoint_names[N_ENDPOINTS] = {
  "batch-progress", "jobs", "batch-pause-task", "batch-retry-task", "tokens", "projects", "sim",
  "other",
};

typedef struct _Delivery Delivery;

struct _DrsSimulator
{
  GObject parent_instance;

  /* owned */
  SoupServer     *server;
  DrsSimScenario *scenario;
  DrsSimActions  *actions;
  char           *base_url;
  char           *project_id;
  char           *region;
  GHashTable     *fixed_tokens;  /* set of token */
  GHashTable     *issued_tokens; /* token → gint64 * expiry (wall ms) */
  GHashTable     *access_keys;   /* AK → SK */
  GRand          *rand;
  GQueue          rate_window; /* wall ms of accepted DRS requests, as gint64 in pointers */
  GList          *deliveries;  /* of Delivery, in flight */
  DrsSimFaults    faults;
  char           *last_language;

  guint64  seed;
  double   speed;
  gboolean manual;
  double   frozen_elapsed_ms; /* elapsed at mono_mark_us */
  gint64   mono_mark_us;
  gint64   wall_offset_ms; /* automatic clock: real time + this */
  gint64   wall_frozen_ms; /* manual clock */
  guint    success_status;
  guint    port;
  guint    counts[N_ENDPOINTS];
  guint    connections;
  guint64  serial;
};

G_DEFINE_FINAL_TYPE (DrsSimulator, drs_simulator, G_TYPE_OBJECT)

struct _Delivery
{
  DrsSimulator      *self; /* borrowed: the simulator outlives its deliveries */
  SoupServerMessage *msg;
  GBytes            *body;
  char              *content_type;
  guint              status;
  gsize              offset;
  guint              chunk;
  guint              interval_ms;
  gboolean           trickle;
  gboolean           paused;
  guint              source;
  gulong             finished_id;
};

static void delivery_free (Delivery *delivery);

void
drs_sim_faults_clear (DrsSimFaults *faults)
{
  g_clear_pointer (&faults->malformed, g_free);
  memset (faults, 0, sizeof *faults);
}

static void
drs_simulator_dispose (GObject *object)
{
  DrsSimulator *self = DRS_SIMULATOR (object);

  while (self->deliveries != NULL)
    delivery_free (self->deliveries->data);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (drs_simulator_parent_class)->dispose (object);
}

static void
drs_simulator_finalize (GObject *object)
{
  DrsSimulator *self = DRS_SIMULATOR (object);

  g_clear_pointer (&self->scenario, drs_sim_scenario_free);
  g_clear_pointer (&self->actions, drs_sim_actions_free);
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
  self->actions = drs_sim_actions_new ();
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

static void
get_clock (DrsSimulator *self, DrsSimClock *clock)
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

static void
take_scenario (DrsSimulator *self, DrsSimScenario *scenario)
{
  g_clear_pointer (&self->scenario, drs_sim_scenario_free);
  self->scenario = scenario;
  drs_sim_actions_reset (self->actions);
  if (drs_sim_scenario_get_project_id (scenario) != NULL)
    drs_simulator_set_project_id (self, drs_sim_scenario_get_project_id (scenario));
  /* The scenario starts now. */
  self->frozen_elapsed_ms = 0;
  self->mono_mark_us = g_get_monotonic_time ();
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
  DrsSimScenario *scenario;

  g_return_val_if_fail (DRS_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  scenario = drs_sim_scenario_new_from_file (path, error);
  if (scenario == NULL)
    return FALSE;
  take_scenario (self, scenario);
  return TRUE;
}

gboolean
drs_simulator_load_scenario_data (DrsSimulator *self,
                                  const char   *data,
                                  gssize        length,
                                  GError      **error)
{
  DrsSimScenario *scenario;

  g_return_val_if_fail (DRS_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  scenario = drs_sim_scenario_new_from_data (data, length, error);
  if (scenario == NULL)
    return FALSE;
  take_scenario (self, scenario);
  return TRUE;
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

const char *
drs_simulator_get_region (DrsSimulator *self)
{
  g_return_val_if_fail (DRS_IS_SIMULATOR (self), NULL);
  return self->region;
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
  get_clock (self, &clock);
  return g_strdup (drs_sim_actions_get_status (self->actions, self->scenario, index, &clock));
}

/**
 * drs_simulator_set_faults:
 * @faults: (nullable): copied; %NULL switches every fault off
 */
void
drs_simulator_set_faults (DrsSimulator *self, const DrsSimFaults *faults)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));

  drs_sim_faults_clear (&self->faults);
  if (faults == NULL)
    return;
  self->faults = *faults;
  self->faults.malformed = g_strdup (faults->malformed);
  self->faults.throttle_rate = CLAMP (self->faults.throttle_rate, 0.0, 1.0);
  self->faults.error_rate = CLAMP (self->faults.error_rate, 0.0, 1.0);
  self->faults.drop_rate = CLAMP (self->faults.drop_rate, 0.0, 1.0);
}

/**
 * drs_simulator_get_faults:
 * @faults: (out caller-allocates): a copy; free with drs_sim_faults_clear()
 */
void
drs_simulator_get_faults (DrsSimulator *self, DrsSimFaults *faults)
{
  g_return_if_fail (DRS_IS_SIMULATOR (self));

  *faults = self->faults;
  faults->malformed = g_strdup (self->faults.malformed);
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

  for (guint i = 0; i < N_ENDPOINTS; i++)
    if (g_strcmp0 (endpoint_names[i], endpoint) == 0)
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

/* Responses */

static void
set_json_response (SoupServerMessage *msg, guint status, JsonNode *root)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  gsize length = 0;
  char *data;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_TAKE, data,
                                    length);
}

static void
set_error_response (DrsSimulator      *self,
                    SoupServerMessage *msg,
                    guint              status,
                    const char        *code,
                    gboolean           chinese,
                    const char        *detail)
{
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  const char *message = drs_sim_message (code, chinese);
  const char *request_id =
      soup_message_headers_get_one (soup_server_message_get_response_headers (msg), "X-Request-Id");

  json_node_take_object (root, object);
  json_object_set_string_member (object, "error_code", code);
  if (detail != NULL)
    {
      g_autofree char *full = g_strdup_printf ("%s %s", message, detail);
      json_object_set_string_member (object, "error_msg", full);
    }
  else
    json_object_set_string_member (object, "error_msg", message);
  if (g_str_has_prefix (code, "APIGW.") && request_id != NULL)
    json_object_set_string_member (object, "request_id", request_id);
  set_json_response (msg, status, root);
}

/* IAM's nested shape: {"error": {"code": 401, "message": "…", "title": "Unauthorized"}}. */
static void
set_iam_error_response (SoupServerMessage *msg, guint status, const char *message)
{
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  JsonObject *error = json_object_new ();

  json_node_take_object (root, object);
  json_object_set_int_member (error, "code", status);
  json_object_set_string_member (error, "message", message);
  json_object_set_string_member (error, "title", soup_status_get_phrase (status));
  json_object_set_object_member (object, "error", error);
  set_json_response (msg, status, root);
}

static JsonNode *
parse_body (SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  gsize       length = 0;
  const char *data = g_bytes_get_data (body, &length);
  JsonNode   *root;

  if (data == NULL || length == 0 || !json_parser_load_from_data (parser, data, length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_copy (root);
}

static gboolean
random_hit (DrsSimulator *self, double rate)
{
  return rate > 0 && g_rand_double (self->rand) < rate;
}

/* Authentication */

static gboolean
is_valid_token (DrsSimulator *self, const char *token)
{
  gint64 *expiry;

  if (g_hash_table_contains (self->fixed_tokens, token))
    return TRUE;
  expiry = g_hash_table_lookup (self->issued_tokens, token);
  return expiry != NULL && drs_simulator_get_wall_time (self) < *expiry;
}

static gboolean
verify_signature (DrsSimulator      *self,
                  SoupServerMessage *msg,
                  const char        *authorization,
                  const char       **failure)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_auto (DrsSimAuthorization) auth = { 0 };
  g_autoptr (GBytes) body = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *expected = NULL;
  const char      *sdk_date = soup_message_headers_get_one (headers, "X-Sdk-Date");
  const char      *sk;
  GUri            *uri = soup_server_message_get_uri (msg);
  gint64           signed_at = 0;
  gint64           skew;
  guint8           diff = 0;

  if (!drs_sim_sign_parse_authorization (authorization, &auth))
    {
      *failure = "The Authorization header is malformed.";
      return FALSE;
    }
  sk = g_hash_table_lookup (self->access_keys, auth.access);
  if (sk == NULL)
    {
      *failure = "The access key is unknown.";
      return FALSE;
    }
  if (!drs_sim_sign_parse_date (sdk_date, &signed_at))
    {
      *failure = "X-Sdk-Date is missing or malformed.";
      return FALSE;
    }
  skew = signed_at - drs_simulator_get_wall_time (self);
  if (ABS (skew) > DRS_SIM_SIGN_MAX_SKEW_MS)
    {
      *failure = "X-Sdk-Date is more than 15 minutes away from the server time.";
      return FALSE;
    }

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  canonical = drs_sim_sign_canonical_request (soup_server_message_get_method (msg),
                                              g_uri_get_path (uri), g_uri_get_query (uri), headers,
                                              (const char *const *) auth.signed_headers, body);
  expected = drs_sim_sign_signature (sk, sdk_date, canonical);
  if (strlen (expected) != strlen (auth.signature))
    {
      *failure = "Verify AK/SK signature failed.";
      return FALSE;
    }
  /* Constant time, as a real verifier would. */
  for (gsize i = 0; expected[i] != '\0'; i++)
    diff |= expected[i] ^ auth.signature[i];
  if (diff != 0)
    {
      *failure = "Verify AK/SK signature failed.";
      return FALSE;
    }
  return TRUE;
}

/* TRUE when the request carries a valid token or signature; else answers 401 APIGW.0301. */
static gboolean
authenticate (DrsSimulator *self, SoupServerMessage *msg, gboolean chinese)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char         *token = soup_message_headers_get_one (headers, "X-Auth-Token");
  const char         *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char         *failure = NULL;

  if (token != NULL)
    {
      if (is_valid_token (self, token))
        return TRUE;
      failure = g_hash_table_contains (self->issued_tokens, token) ? "The token has expired."
                                                                   : "The token is not valid.";
    }
  else if (authorization != NULL)
    {
      if (verify_signature (self, msg, authorization, &failure))
        return TRUE;
    }
  else
    failure = "Neither X-Auth-Token nor Authorization was sent.";

  set_error_response (self, msg, SOUP_STATUS_UNAUTHORIZED, "APIGW.0301", chinese, failure);
  return FALSE;
}

/* DRS endpoints */

static gboolean
check_project (DrsSimulator *self, SoupServerMessage *msg, const char *project_id, gboolean chinese)
{
  const char *header =
      soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Project-Id");

  if (g_strcmp0 (project_id, self->project_id) == 0 &&
      (header == NULL || g_strcmp0 (header, self->project_id) == 0))
    return TRUE;
  set_error_response (self, msg, SOUP_STATUS_FORBIDDEN, "DRS.M00261", chinese, NULL);
  return FALSE;
}

static void
handle_batch_progress (DrsSimulator *self, SoupServerMessage *msg, gboolean chinese)
{
  g_autoptr (JsonNode) request = parse_body (msg);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object;
  JsonArray  *array;
  JsonArray  *out;
  JsonNode   *jobs;
  DrsSimClock clock;
  guint       n;

  if (request == NULL)
    {
      set_error_response (self, msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", chinese,
                          chinese ? "请求体必须是JSON对象。" : "The body must be a JSON object.");
      return;
    }
  jobs = json_object_get_member (json_node_get_object (request), "jobs");
  if (jobs == NULL || !JSON_NODE_HOLDS_ARRAY (jobs) ||
      json_array_get_length (json_node_get_array (jobs)) == 0)
    {
      set_error_response (self, msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", chinese,
                          chinese ? "jobs 必须是非空的任务ID数组。"
                                  : "“jobs” must be a non-empty array of task IDs.");
      return;
    }
  array = json_node_get_array (jobs);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING ||
          *json_node_get_string (element) == '\0')
        {
          set_error_response (self, msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", chinese,
                              chinese ? "jobs 的每一项必须是任务ID字符串。"
                                      : "Every item of “jobs” must be a task ID string.");
          return;
        }
      if (!g_hash_table_add (seen, (gpointer) json_node_get_string (element)))
        {
          set_error_response (self, msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00301", chinese, NULL);
          return;
        }
    }

  get_clock (self, &clock);
  for (guint i = 0; i < n; i++)
    {
      const char *id = json_array_get_string_element (array, i);
      int         index = drs_sim_scenario_find_job (self->scenario, id);

      if (index >= 0)
        g_ptr_array_add (results, drs_sim_actions_build_progress (self->actions, self->scenario,
                                                                  index, &clock, chinese));
      else
        {
          JsonNode   *node = json_node_new (JSON_NODE_OBJECT);
          JsonObject *result = json_object_new ();

          json_node_take_object (node, result);
          json_object_set_string_member (result, "job_id", id);
          json_object_set_string_member (result, "error_code", "DRS.M05003");
          json_object_set_string_member (result, "error_msg",
                                         drs_sim_message ("DRS.M05003", chinese));
          g_ptr_array_add (results, node);
        }
    }

  /* The order is not documented: shuffle so clients match results by job_id. */
  for (guint i = results->len; i > 1; i--)
    {
      guint    j = g_rand_int_range (self->rand, 0, i);
      gpointer tmp = results->pdata[i - 1];

      results->pdata[i - 1] = results->pdata[j];
      results->pdata[j] = tmp;
    }

  object = json_object_new ();
  json_node_take_object (root, object);
  out = json_array_sized_new (results->len);
  for (guint i = 0; i < results->len; i++)
    json_array_add_element (out, json_node_ref (results->pdata[i]));
  json_object_set_int_member (object, "count", results->len);
  json_object_set_array_member (object, "results", out);
  set_json_response (msg, self->success_status, root);
}

/* batch-pause-task, batch-retry-task: a read-only user (the read_only fault) is refused. */
static void
handle_action (DrsSimulator *self, SoupServerMessage *msg, gboolean pause, gboolean chinese)
{
  g_autoptr (JsonNode) request = NULL;
  g_autoptr (JsonNode) reply = NULL;
  const char *code = NULL;
  const char *detail = NULL;
  DrsSimClock clock;

  if (self->faults.read_only)
    {
      set_error_response (self, msg, SOUP_STATUS_FORBIDDEN, "DRS.M00103", chinese, NULL);
      return;
    }

  request = parse_body (msg);
  get_clock (self, &clock);
  reply = drs_sim_actions_handle (self->actions, self->scenario, pause, request, &clock, chinese,
                                  &code, &detail);
  if (reply == NULL)
    {
      set_error_response (self, msg, SOUP_STATUS_BAD_REQUEST, code, chinese, detail);
      return;
    }
  set_json_response (msg, SOUP_STATUS_OK, reply);
}

static gboolean
get_int_member (JsonObject *object, const char *member, gint64 *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static int
compare_created (gconstpointer a, gconstpointer b, gpointer user_data)
{
  DrsSimScenario *scenario = user_data;
  guint           ia = GPOINTER_TO_UINT (*(gconstpointer *) a);
  guint           ib = GPOINTER_TO_UINT (*(gconstpointer *) b);
  gint64          sa = drs_sim_scenario_get_job_start (scenario, ia);
  gint64          sb = drs_sim_scenario_get_job_start (scenario, ib);

  /* Newest first, like the console; scenario order among equals. */
  if (sa != sb)
    return sa < sb ? 1 : -1;
  return ia < ib ? -1 : (ia > ib);
}

static void
handle_jobs (DrsSimulator *self, SoupServerMessage *msg, gboolean chinese)
{
  g_autoptr (JsonNode) request = parse_body (msg);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) matching = g_ptr_array_new ();
  JsonObject *body;
  JsonObject *object;
  JsonArray  *jobs;
  DrsSimClock clock;
  DrsScenario scenario = DRS_SCENARIO_UNKNOWN;
  gint64      cur_page = 0, per_page = 0;
  const char *db_use_type = NULL;
  JsonNode   *type_node;

  if (request == NULL)
    {
      set_error_response (self, msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", chinese,
                          chinese ? "请求体必须是JSON对象。" : "The body must be a JSON object.");
      return;
    }
  body = json_node_get_object (request);
  type_node = json_object_get_member (body, "db_use_type");
  if (type_node != NULL && JSON_NODE_HOLDS_VALUE (type_node) &&
      json_node_get_value_type (type_node) == G_TYPE_STRING)
    db_use_type = json_node_get_string (type_node);
  scenario = drs_scenario_from_string (db_use_type);
  if (!get_int_member (body, "cur_page", &cur_page) || cur_page < 1 ||
      !get_int_member (body, "per_page", &per_page) || per_page < 1 || per_page > MAX_PER_PAGE ||
      scenario == DRS_SCENARIO_UNKNOWN)
    {
      set_error_response (self, msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", chinese,
                          chinese ? "cur_page、per_page（1–1000）和 db_use_type（migration、sync、"
                                    "cloudDataGuard）均为必填。"
                                  : "cur_page, per_page (1–1000) and db_use_type (migration, "
                                    "sync, cloudDataGuard) are required.");
      return;
    }

  get_clock (self, &clock);
  for (guint i = 0; i < drs_sim_scenario_get_n_jobs (self->scenario); i++)
    if (drs_sim_scenario_get_job_scenario (self->scenario, i) == scenario &&
        drs_sim_scenario_job_visible (self->scenario, i, &clock))
      g_ptr_array_add (matching, GUINT_TO_POINTER (i));
  g_ptr_array_sort_with_data (matching, compare_created, self->scenario);

  root = json_node_new (JSON_NODE_OBJECT);
  object = json_object_new ();
  json_node_take_object (root, object);
  jobs = json_array_new ();
  for (gint64 k = (cur_page - 1) * per_page; k < cur_page * per_page && k < matching->len; k++)
    json_array_add_element (
        jobs, drs_sim_actions_build_list_item (self->actions, self->scenario,
                                               GPOINTER_TO_UINT (matching->pdata[k]), &clock));
  json_object_set_int_member (object, "total_record", matching->len);
  json_object_set_array_member (object, "jobs", jobs);
  set_json_response (msg, SOUP_STATUS_OK, root);
}

/* IAM */

static char *
format_iso (gint64 unix_ms)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03d000Z", base, (int) (unix_ms % 1000));
}

static char *
new_token (DrsSimulator *self)
{
  guint8          *raw = g_malloc (TOKEN_RANDOM_BYTES);
  g_autofree char *encoded = NULL;

  /* Real tokens are PKI blobs of several KB; these are as long and as opaque. */
  for (guint i = 0; i < TOKEN_RANDOM_BYTES; i++)
    raw[i] = (guint8) g_rand_int_range (self->rand, 0, 256);
  memcpy (raw, &self->serial, sizeof self->serial);
  self->serial++;
  encoded = g_base64_encode (raw, TOKEN_RANDOM_BYTES);
  g_free (raw);
  return g_strconcat ("MIIT", encoded, NULL);
}

static const char *
path_string (JsonNode *root, const char *const *members)
{
  JsonNode *node = root;

  for (guint i = 0; members[i] != NULL; i++)
    {
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), members[i]);
    }
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static void
handle_tokens (DrsSimulator *self, SoupServerMessage *msg)
{
  static const char *const methods_path[] = { "auth", "identity", "methods", NULL };
  static const char *const domain_path[] = { "auth",   "identity", "password", "user",
                                             "domain", "name",     NULL };
  static const char *const user_path[] = { "auth", "identity", "password", "user", "name", NULL };
  static const char *const password_path[] = { "auth", "identity", "password",
                                               "user", "password", NULL };
  static const char *const project_id_path[] = { "auth", "scope", "project", "id", NULL };
  static const char *const project_name_path[] = { "auth", "scope", "project", "name", NULL };
  g_autoptr (JsonNode) request = parse_body (msg);
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *token = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *expires = NULL;
  JsonObject      *object, *token_object, *project, *user, *domain;
  JsonArray       *methods;
  JsonNode        *node = request;
  const char      *project_id, *project_name;
  gboolean         has_password = FALSE;
  gint64           now, lifetime;

  for (guint i = 0; node != NULL && methods_path[i] != NULL; i++)
    node = JSON_NODE_HOLDS_OBJECT (node)
               ? json_object_get_member (json_node_get_object (node), methods_path[i])
               : NULL;
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      {
        JsonNode *m = json_array_get_element (json_node_get_array (node), i);

        if (JSON_NODE_HOLDS_VALUE (m) && json_node_get_value_type (m) == G_TYPE_STRING &&
            g_strcmp0 (json_node_get_string (m), "password") == 0)
          has_password = TRUE;
      }
  if (request == NULL || !has_password || path_string (request, user_path) == NULL ||
      path_string (request, password_path) == NULL)
    {
      set_iam_error_response (msg, SOUP_STATUS_BAD_REQUEST,
                              "The request body is invalid: a password identity is required.");
      return;
    }
  if (g_strcmp0 (path_string (request, domain_path), DRS_SIM_DEMO_ACCOUNT) != 0 ||
      g_strcmp0 (path_string (request, user_path), DRS_SIM_DEMO_USER) != 0 ||
      g_strcmp0 (path_string (request, password_path), DRS_SIM_DEMO_PASSWORD) != 0)
    {
      set_iam_error_response (msg, SOUP_STATUS_UNAUTHORIZED, "The username or password is wrong.");
      return;
    }
  project_id = path_string (request, project_id_path);
  project_name = path_string (request, project_name_path);
  if ((project_id == NULL && project_name == NULL) ||
      (project_id != NULL && g_strcmp0 (project_id, self->project_id) != 0) ||
      (project_name != NULL && g_strcmp0 (project_name, self->region) != 0))
    {
      set_iam_error_response (msg, SOUP_STATUS_UNAUTHORIZED,
                              "The request you have made requires authentication: no such "
                              "project in the scope.");
      return;
    }

  now = drs_simulator_get_wall_time (self);
  lifetime = self->faults.token_ttl_s > 0 ? self->faults.token_ttl_s * 1000LL : TOKEN_LIFETIME_MS;
  token = new_token (self);
  g_hash_table_insert (self->issued_tokens, g_strdup (token),
                       g_memdup2 (&(gint64){ now + lifetime }, sizeof (gint64)));
  issued = format_iso (now);
  expires = format_iso (now + lifetime);

  root = json_node_new (JSON_NODE_OBJECT);
  object = json_object_new ();
  json_node_take_object (root, object);
  token_object = json_object_new ();
  json_object_set_string_member (token_object, "expires_at", expires);
  json_object_set_string_member (token_object, "issued_at", issued);
  methods = json_array_new ();
  json_array_add_string_element (methods, "password");
  json_object_set_array_member (token_object, "methods", methods);
  domain = json_object_new ();
  json_object_set_string_member (domain, "id", "d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f");
  json_object_set_string_member (domain, "name", DRS_SIM_DEMO_ACCOUNT);
  project = json_object_new ();
  json_object_set_string_member (project, "id", self->project_id);
  json_object_set_string_member (project, "name", self->region);
  json_object_set_object_member (project, "domain", json_object_ref (domain));
  json_object_set_object_member (token_object, "project", project);
  user = json_object_new ();
  json_object_set_string_member (user, "id", "u0a1b2c3d4e5f60718293a4b5c6d7e8f");
  json_object_set_string_member (user, "name", DRS_SIM_DEMO_USER);
  json_object_set_object_member (user, "domain", domain);
  json_object_set_object_member (token_object, "user", user);
  json_object_set_object_member (object, "token", token_object);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Subject-Token",
                                token);
  set_json_response (msg, SOUP_STATUS_CREATED, root);
}

static void
handle_projects (DrsSimulator *self, SoupServerMessage *msg, GHashTable *query)
{
  const char *token =
      soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Auth-Token");
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *self_link = NULL;
  JsonObject      *object = json_object_new ();
  JsonArray       *projects = json_array_new ();
  JsonObject      *links = json_object_new ();

  json_node_take_object (root, object);
  json_object_set_array_member (object, "projects", projects);
  json_object_set_object_member (object, "links", links);

  if (token == NULL || !is_valid_token (self, token))
    {
      set_iam_error_response (msg, SOUP_STATUS_UNAUTHORIZED,
                              "The request you have made requires authentication.");
      return;
    }

  self_link = g_strdup_printf ("%s/v3/projects", self->base_url ? self->base_url : "");
  json_object_set_string_member (links, "self", self_link);
  json_object_set_null_member (links, "next");
  json_object_set_null_member (links, "previous");
  if (name == NULL || g_strcmp0 (name, self->region) == 0)
    {
      JsonObject *project = json_object_new ();

      json_object_set_string_member (project, "id", self->project_id);
      json_object_set_string_member (project, "name", self->region);
      json_object_set_string_member (project, "domain_id", "d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f");
      json_object_set_string_member (project, "parent_id", "d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f");
      json_object_set_string_member (project, "description", "");
      json_object_set_boolean_member (project, "enabled", TRUE);
      json_object_set_boolean_member (project, "is_domain", FALSE);
      json_array_add_object_element (projects, project);
    }
  set_json_response (msg, SOUP_STATUS_OK, root);
}

/* Control endpoints */

static JsonNode *
faults_to_json (const DrsSimFaults *faults)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "latency_ms");
  json_builder_add_int_value (builder, faults->latency_ms);
  json_builder_set_member_name (builder, "jitter_ms");
  json_builder_add_int_value (builder, faults->jitter_ms);
  json_builder_set_member_name (builder, "throttle_rate");
  json_builder_add_double_value (builder, faults->throttle_rate);
  json_builder_set_member_name (builder, "retry_after_s");
  json_builder_add_int_value (builder, faults->retry_after_s);
  json_builder_set_member_name (builder, "error_status");
  json_builder_add_int_value (builder, faults->error_status);
  json_builder_set_member_name (builder, "error_rate");
  json_builder_add_double_value (builder, faults->error_rate);
  json_builder_set_member_name (builder, "token_ttl_s");
  json_builder_add_int_value (builder, faults->token_ttl_s);
  json_builder_set_member_name (builder, "rate_limit_per_min");
  json_builder_add_int_value (builder, faults->rate_limit_per_min);
  json_builder_set_member_name (builder, "malformed");
  if (faults->malformed != NULL)
    json_builder_add_string_value (builder, faults->malformed);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "trickle_bytes_per_s");
  json_builder_add_int_value (builder, faults->trickle_bytes_per_s);
  json_builder_set_member_name (builder, "drop_rate");
  json_builder_add_double_value (builder, faults->drop_rate);
  json_builder_set_member_name (builder, "read_only");
  json_builder_add_boolean_value (builder, faults->read_only);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
is_valid_malformed (const char *kind)
{
  return kind == NULL || g_str_equal (kind, "truncated") || g_str_equal (kind, "wrong-types") ||
         g_str_equal (kind, "html") || g_str_equal (kind, "empty");
}

static gboolean
json_get_uint (JsonObject *object, const char *member, guint *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXUINT)
    return FALSE;
  *out = (guint) json_node_get_int (node);
  return TRUE;
}

static gboolean
json_get_rate (JsonObject *object, const char *member, double *out)
{
  JsonNode *node = json_object_get_member (object, member);
  GType     type;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return *out >= 0 && *out <= 1;
}

/**
 * faults_from_json:
 *
 * Parses the `POST /_sim/faults` body (the #DrsSimFaults field names; absent = off).
 */
static gboolean
faults_from_json (JsonNode *root, DrsSimFaults *faults)
{
  JsonObject *object;
  JsonNode   *malformed;
  JsonNode   *read_only;

  memset (faults, 0, sizeof *faults);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  if (!json_get_uint (object, "latency_ms", &faults->latency_ms) ||
      !json_get_uint (object, "jitter_ms", &faults->jitter_ms) ||
      !json_get_rate (object, "throttle_rate", &faults->throttle_rate) ||
      !json_get_uint (object, "retry_after_s", &faults->retry_after_s) ||
      !json_get_uint (object, "error_status", &faults->error_status) ||
      !json_get_rate (object, "error_rate", &faults->error_rate) ||
      !json_get_uint (object, "token_ttl_s", &faults->token_ttl_s) ||
      !json_get_uint (object, "rate_limit_per_min", &faults->rate_limit_per_min) ||
      !json_get_uint (object, "trickle_bytes_per_s", &faults->trickle_bytes_per_s) ||
      !json_get_rate (object, "drop_rate", &faults->drop_rate))
    return FALSE;
  if (faults->error_status != 0 && (faults->error_status < 400 || faults->error_status > 599))
    return FALSE;
  read_only = json_object_get_member (object, "read_only");
  if (read_only != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (read_only) ||
          json_node_get_value_type (read_only) != G_TYPE_BOOLEAN)
        return FALSE;
      faults->read_only = json_node_get_boolean (read_only);
    }
  malformed = json_object_get_member (object, "malformed");
  if (malformed != NULL && !JSON_NODE_HOLDS_NULL (malformed))
    {
      if (!JSON_NODE_HOLDS_VALUE (malformed) ||
          json_node_get_value_type (malformed) != G_TYPE_STRING ||
          !is_valid_malformed (json_node_get_string (malformed)))
        return FALSE;
      faults->malformed = (char *) json_node_get_string (malformed);
    }
  return TRUE;
}

static void
handle_sim (DrsSimulator *self, SoupServerMessage *msg, const char *path)
{
  const char         *method = soup_server_message_get_method (msg);
  GInetSocketAddress *remote = G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg));

  if (remote == NULL ||
      !g_inet_address_get_is_loopback (g_inet_socket_address_get_address (remote)))
    {
      set_error_response (self, msg, SOUP_STATUS_FORBIDDEN, "APIGW.0302", FALSE,
                          "The control endpoints answer loopback clients only.");
      return;
    }

  if (g_str_equal (path, "/_sim/faults") && g_str_equal (method, "POST"))
    {
      g_autoptr (JsonNode) request = parse_body (msg);
      g_autoptr (JsonNode) reply = NULL;
      DrsSimFaults faults;

      if (!faults_from_json (request, &faults))
        {
          set_error_response (self, msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", FALSE,
                              "Expected an object with DrsSimFaults members of the right types.");
          return;
        }
      drs_simulator_set_faults (self, &faults);
      reply = faults_to_json (&self->faults);
      set_json_response (msg, SOUP_STATUS_OK, reply);
    }
  else if (g_str_equal (path, "/_sim/faults") && g_str_equal (method, "GET"))
    {
      g_autoptr (JsonNode) reply = faults_to_json (&self->faults);
      set_json_response (msg, SOUP_STATUS_OK, reply);
    }
  else if (g_str_equal (path, "/_sim/clock") && g_str_equal (method, "POST"))
    {
      g_autoptr (JsonNode) request = parse_body (msg);
      g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
      g_autoptr (JsonNode) reply = NULL;
      JsonObject *object = request != NULL ? json_node_get_object (request) : NULL;
      JsonNode   *manual = object ? json_object_get_member (object, "manual") : NULL;
      JsonNode   *speed = object ? json_object_get_member (object, "speed") : NULL;
      JsonNode   *advance = object ? json_object_get_member (object, "advance_ms") : NULL;

      if (object == NULL ||
          (manual != NULL && (!JSON_NODE_HOLDS_VALUE (manual) ||
                              json_node_get_value_type (manual) != G_TYPE_BOOLEAN)) ||
          (speed != NULL && (!JSON_NODE_HOLDS_VALUE (speed) ||
                             (json_node_get_value_type (speed) != G_TYPE_INT64 &&
                              json_node_get_value_type (speed) != G_TYPE_DOUBLE) ||
                             json_node_get_double (speed) <= 0)) ||
          (advance != NULL &&
           (!JSON_NODE_HOLDS_VALUE (advance) ||
            json_node_get_value_type (advance) != G_TYPE_INT64 || json_node_get_int (advance) < 0)))
        {
          set_error_response (self, msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", FALSE,
                              "Expected {\"manual\": bool, \"speed\": number > 0, "
                              "\"advance_ms\": integer ≥ 0}, each optional.");
          return;
        }
      if (manual != NULL)
        drs_simulator_set_manual_clock (self, json_node_get_boolean (manual));
      if (speed != NULL)
        drs_simulator_set_speed (self, json_node_get_double (speed));
      if (advance != NULL)
        drs_simulator_advance (self, json_node_get_int (advance));

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "elapsed_ms");
      json_builder_add_int_value (builder, drs_simulator_get_elapsed (self));
      json_builder_set_member_name (builder, "wall_ms");
      json_builder_add_int_value (builder, drs_simulator_get_wall_time (self));
      json_builder_set_member_name (builder, "speed");
      json_builder_add_double_value (builder, self->speed);
      json_builder_set_member_name (builder, "manual_clock");
      json_builder_add_boolean_value (builder, self->manual);
      json_builder_end_object (builder);
      reply = json_builder_get_root (builder);
      set_json_response (msg, SOUP_STATUS_OK, reply);
    }
  else if (g_str_equal (path, "/_sim/stats") && g_str_equal (method, "GET"))
    {
      g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
      g_autoptr (JsonNode) reply = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "requests");
      json_builder_begin_object (builder);
      for (guint i = 0; i < N_ENDPOINTS; i++)
        {
          json_builder_set_member_name (builder, endpoint_names[i]);
          json_builder_add_int_value (builder, self->counts[i]);
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "connections");
      json_builder_add_int_value (builder, self->connections);
      json_builder_set_member_name (builder, "last_language");
      if (self->last_language != NULL)
        json_builder_add_string_value (builder, self->last_language);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "elapsed_ms");
      json_builder_add_int_value (builder, drs_simulator_get_elapsed (self));
      json_builder_set_member_name (builder, "wall_ms");
      json_builder_add_int_value (builder, drs_simulator_get_wall_time (self));
      json_builder_set_member_name (builder, "speed");
      json_builder_add_double_value (builder, self->speed);
      json_builder_set_member_name (builder, "manual_clock");
      json_builder_add_boolean_value (builder, self->manual);
      json_builder_set_member_name (builder, "jobs");
      json_builder_add_int_value (builder, drs_sim_scenario_get_n_jobs (self->scenario));
      json_builder_end_object (builder);
      reply = json_builder_get_root (builder);
      set_json_response (msg, SOUP_STATUS_OK, reply);
    }
  else
    set_error_response (self, msg, SOUP_STATUS_NOT_FOUND, "APIGW.0101", FALSE, NULL);
}

/* Faults on the way out */

static GBytes *
wrong_types_body (void)
{
  static const char body[] =
      "{\"count\":\"1\",\"results\":[{\"job_id\":12345,\"progress\":57,"
      "\"incre_trans_delay\":true,\"incre_trans_delay_millis\":[1200],"
      "\"task_mode\":{\"mode\":\"FULL_TRANS\"},\"transfer_status\":7,"
      "\"process_time\":1.6e12,\"remaining_time\":false,\"progress_map\":\"struct:100%\"}],"
      "\"total_record\":\"many\",\"jobs\":{\"id\":1}}";

  return g_bytes_new_static (body, sizeof body - 1);
}

static const char html_page[] =
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    "<body><h1>502 Bad Gateway</h1><p>The proxy server received an invalid response from an "
    "upstream server.</p><hr><address>nginx</address></body></html>\n";

static void
delivery_free (Delivery *delivery)
{
  DrsSimulator *self = delivery->self;

  self->deliveries = g_list_remove (self->deliveries, delivery);
  g_clear_handle_id (&delivery->source, g_source_remove);
  g_clear_signal_handler (&delivery->finished_id, delivery->msg);
  g_clear_object (&delivery->msg);
  g_clear_pointer (&delivery->body, g_bytes_unref);
  g_free (delivery->content_type);
  g_free (delivery);
}

static void
on_delivery_finished (SoupServerMessage *msg, Delivery *delivery)
{
  delivery_free (delivery);
}

static gboolean
trickle_next (gpointer user_data)
{
  Delivery        *delivery = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (delivery->msg);
  gsize            length = g_bytes_get_size (delivery->body);
  gsize            n = MIN (delivery->chunk, length - delivery->offset);

  if (n > 0)
    {
      g_autoptr (GBytes) piece = g_bytes_new_from_bytes (delivery->body, delivery->offset, n);

      soup_message_body_append_bytes (body, piece);
      delivery->offset += n;
    }
  if (delivery->offset >= length)
    {
      soup_message_body_complete (body);
      delivery->source = 0;
      soup_server_message_unpause (delivery->msg);
      /* "finished" frees the delivery. */
      return G_SOURCE_REMOVE;
    }
  soup_server_message_unpause (delivery->msg);
  return G_SOURCE_CONTINUE;
}

static void
delivery_start (Delivery *delivery)
{
  SoupServerMessage  *msg = delivery->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, delivery->status, NULL);
  if (!delivery->trickle)
    {
      gsize         length = 0;
      gconstpointer data = g_bytes_get_data (delivery->body, &length);

      soup_server_message_set_response (msg, delivery->content_type, SOUP_MEMORY_COPY, data,
                                        length);
      /* After a pause the server no longer sets it by itself. */
      soup_message_headers_set_content_length (headers, length);
      if (delivery->paused)
        soup_server_message_unpause (msg);
      delivery->paused = FALSE;
      return;
    }

  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (headers, "Content-Type", delivery->content_type);
  delivery->source = g_timeout_add (delivery->interval_ms, trickle_next, delivery);
  if (delivery->paused)
    soup_server_message_unpause (msg);
  delivery->paused = FALSE;
}

static gboolean
latency_done (gpointer user_data)
{
  Delivery *delivery = user_data;

  delivery->source = 0;
  delivery_start (delivery);
  return G_SOURCE_REMOVE;
}

/* Breaks, slows or delays the response the handler set, as the faults say. */
static void
apply_output_faults (DrsSimulator *self, SoupServerMessage *msg, gboolean drs_endpoint)
{
  guint       status = soup_server_message_get_status (msg);
  gboolean    success = SOUP_STATUS_IS_SUCCESSFUL (status);
  const char *malformed = drs_endpoint && success ? self->faults.malformed : NULL;
  gboolean    trickle = drs_endpoint && success && self->faults.trickle_bytes_per_s > 0;
  guint       latency = self->faults.latency_ms;
  g_autoptr (GBytes) body = NULL;
  g_autofree char    *content_type = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  Delivery           *delivery;

  if (self->faults.jitter_ms > 0)
    latency += g_rand_int_range (self->rand, 0, self->faults.jitter_ms + 1);
  if (malformed == NULL && !trickle && latency == 0)
    return;

  body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  if (content_type == NULL)
    content_type = g_strdup ("application/json;charset=UTF-8");

  if (g_strcmp0 (malformed, "truncated") == 0)
    {
      GBytes *half = g_bytes_new_from_bytes (body, 0, g_bytes_get_size (body) / 2);

      g_bytes_unref (body);
      body = half;
    }
  else if (g_strcmp0 (malformed, "wrong-types") == 0)
    {
      g_bytes_unref (body);
      body = wrong_types_body ();
    }
  else if (g_strcmp0 (malformed, "html") == 0)
    {
      g_bytes_unref (body);
      body = g_bytes_new_static (html_page, sizeof html_page - 1);
      g_free (content_type);
      content_type = g_strdup ("text/html");
    }
  else if (g_strcmp0 (malformed, "empty") == 0)
    {
      g_bytes_unref (body);
      body = g_bytes_new_static ("", 0);
      status = SOUP_STATUS_OK;
    }

  /* Take the body back: the delivery sets it when it is due. */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_message_headers_remove (headers, "Content-Length");

  delivery = g_new0 (Delivery, 1);
  delivery->self = self;
  delivery->msg = g_object_ref (msg);
  delivery->body = g_steal_pointer (&body);
  delivery->content_type = g_steal_pointer (&content_type);
  delivery->status = status;
  delivery->trickle = trickle;
  /* Every 100 ms a tenth of the rate; below 10 bytes/s one byte at longer intervals. */
  delivery->chunk = MAX (1, self->faults.trickle_bytes_per_s * TRICKLE_INTERVAL_MS / 1000);
  delivery->interval_ms = self->faults.trickle_bytes_per_s >= 1000 / TRICKLE_INTERVAL_MS
                              ? TRICKLE_INTERVAL_MS
                              : 1000 / MAX (self->faults.trickle_bytes_per_s, 1);
  delivery->finished_id =
      g_signal_connect (msg, "finished", G_CALLBACK (on_delivery_finished), delivery);
  self->deliveries = g_list_prepend (self->deliveries, delivery);

  if (latency > 0)
    {
      delivery->paused = TRUE;
      soup_server_message_pause (msg);
      delivery->source = g_timeout_add (latency, latency_done, delivery);
    }
  else
    delivery_start (delivery);
}

/* TRUE when a fault answered (or dropped) the request already. */
static gboolean
apply_input_faults (DrsSimulator *self, SoupServerMessage *msg, gboolean chinese)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gint64              now = drs_simulator_get_wall_time (self);

  if (random_hit (self, self->faults.drop_rate))
    {
      GIOStream *stream = soup_server_message_steal_connection (msg);

      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
      return TRUE;
    }

  if (self->faults.rate_limit_per_min > 0)
    {
      while (!g_queue_is_empty (&self->rate_window) &&
             now - GPOINTER_TO_SIZE (g_queue_peek_head (&self->rate_window)) >= 60000)
        g_queue_pop_head (&self->rate_window);
      if (g_queue_get_length (&self->rate_window) >= self->faults.rate_limit_per_min)
        {
          gint64           oldest = GPOINTER_TO_SIZE (g_queue_peek_head (&self->rate_window));
          g_autofree char *retry =
              g_strdup_printf ("%" G_GINT64_FORMAT, MAX ((60000 - (now - oldest) + 999) / 1000, 1));

          soup_message_headers_replace (headers, "Retry-After", retry);
          set_error_response (self, msg, 429, "APIGW.0308", chinese, NULL);
          return TRUE;
        }
    }

  if (random_hit (self, self->faults.throttle_rate))
    {
      g_autofree char *retry =
          g_strdup_printf ("%u", self->faults.retry_after_s > 0 ? self->faults.retry_after_s : 1);

      soup_message_headers_replace (headers, "Retry-After", retry);
      set_error_response (self, msg, 429, "APIGW.0308", chinese, NULL);
      return TRUE;
    }

  if (self->faults.error_status != 0 &&
      (self->faults.error_rate <= 0 || random_hit (self, self->faults.error_rate)))
    {
      guint       status = self->faults.error_status;
      const char *code = status == 502 ? "APIGW.0610" : status == 503 ? "APIGW.0613" : "DRS.M00004";

      set_error_response (self, msg, status, code, chinese, NULL);
      return TRUE;
    }

  if (self->faults.rate_limit_per_min > 0)
    g_queue_push_tail (&self->rate_window, GSIZE_TO_POINTER ((gsize) now));
  return FALSE;
}

/* Routing */

static Endpoint
classify (const char *path, char **project_id)
{
  g_auto (GStrv) parts = NULL;
  guint n;

  *project_id = NULL;
  if (g_str_has_prefix (path, "/_sim/"))
    return ENDPOINT_SIM;
  if (g_str_equal (path, "/v3/auth/tokens"))
    return ENDPOINT_TOKENS;
  if (g_str_equal (path, "/v3/projects"))
    return ENDPOINT_PROJECTS;

  parts = g_strsplit (path, "/", -1);
  n = g_strv_length (parts);
  /* "", "v3", project, "jobs"[, "batch-progress"] */
  if (n >= 4 && parts[0][0] == '\0' && g_str_equal (parts[1], "v3") && parts[2][0] != '\0' &&
      g_str_equal (parts[3], "jobs"))
    {
      if (n == 4)
        {
          *project_id = g_strdup (parts[2]);
          return ENDPOINT_JOBS;
        }
      if (n == 5 && g_str_equal (parts[4], "batch-progress"))
        {
          *project_id = g_strdup (parts[2]);
          return ENDPOINT_BATCH_PROGRESS;
        }
      if (n == 5 && g_str_equal (parts[4], "batch-pause-task"))
        {
          *project_id = g_strdup (parts[2]);
          return ENDPOINT_PAUSE;
        }
      if (n == 5 && g_str_equal (parts[4], "batch-retry-task"))
        {
          *project_id = g_strdup (parts[2]);
          return ENDPOINT_RETRY;
        }
    }
  return ENDPOINT_OTHER;
}

static const char *
expected_method (Endpoint endpoint)
{
  switch (endpoint)
    {
      case ENDPOINT_PROJECTS:
        return "GET";
      case ENDPOINT_BATCH_PROGRESS:
      case ENDPOINT_JOBS:
      case ENDPOINT_PAUSE:
      case ENDPOINT_RETRY:
      case ENDPOINT_TOKENS:
        return "POST";
      case ENDPOINT_SIM:
      case ENDPOINT_OTHER:
      case N_ENDPOINTS:
      default:
        return NULL;
    }
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  DrsSimulator       *self = user_data;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char         *language = soup_message_headers_get_one (request_headers, "X-Language");
  g_autofree char    *project_id = NULL;
  g_autofree char    *request_id = NULL;
  Endpoint            endpoint;
  gboolean            chinese;
  gboolean            drs_endpoint;

  request_id =
      g_strdup_printf ("%08x%08x%08x%08x", g_rand_int (self->rand), g_rand_int (self->rand),
                       g_rand_int (self->rand), (guint32) ++self->serial);
  soup_message_headers_replace (response_headers, "X-Request-Id", request_id);

  if (language != NULL)
    {
      g_free (self->last_language);
      self->last_language = g_strdup (language);
    }
  chinese = language != NULL && g_ascii_strcasecmp (language, "zh-cn") == 0;

  endpoint = classify (path, &project_id);
  self->counts[endpoint]++;
  if (endpoint == ENDPOINT_SIM)
    {
      handle_sim (self, msg, path);
      return;
    }
  if (endpoint == ENDPOINT_OTHER ||
      g_strcmp0 (soup_server_message_get_method (msg), expected_method (endpoint)) != 0)
    {
      set_error_response (self, msg, SOUP_STATUS_NOT_FOUND, "APIGW.0101", chinese, NULL);
      return;
    }

  drs_endpoint = endpoint == ENDPOINT_BATCH_PROGRESS || endpoint == ENDPOINT_JOBS ||
                 endpoint == ENDPOINT_PAUSE || endpoint == ENDPOINT_RETRY;
  if (drs_endpoint && apply_input_faults (self, msg, chinese))
    {
      if (soup_server_message_get_status (msg) != 0)
        apply_output_faults (self, msg, FALSE);
      return;
    }

  switch (endpoint)
    {
      case ENDPOINT_BATCH_PROGRESS:
      case ENDPOINT_JOBS:
        if (authenticate (self, msg, chinese) && check_project (self, msg, project_id, chinese))
          {
            if (endpoint == ENDPOINT_BATCH_PROGRESS)
              handle_batch_progress (self, msg, chinese);
            else
              handle_jobs (self, msg, chinese);
          }
        break;
      case ENDPOINT_PAUSE:
      case ENDPOINT_RETRY:
        if (authenticate (self, msg, chinese) && check_project (self, msg, project_id, chinese))
          handle_action (self, msg, endpoint == ENDPOINT_PAUSE, chinese);
        break;
      case ENDPOINT_TOKENS:
        handle_tokens (self, msg);
        break;
      case ENDPOINT_PROJECTS:
        handle_projects (self, msg, query);
        break;
      case ENDPOINT_SIM:
      case ENDPOINT_OTHER:
      case N_ENDPOINTS:
      default:
        g_assert_not_reached ();
    }
  apply_output_faults (self, msg, drs_endpoint);
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  DrsSimulator *self = user_data;
  GSocket      *socket = soup_server_message_get_socket (msg);

  /* One count per accepted connection: mark its socket on its first request. */
  if (socket != NULL && g_object_get_data (G_OBJECT (socket), "drs-sim-counted") == NULL)
    {
      g_object_set_data (G_OBJECT (socket), "drs-sim-counted", GINT_TO_POINTER (1));
      self->connections++;
    }
}

/**
 * drs_simulator_listen:
 * @port: the port on 127.0.0.1, 0 for any free one
 * @certificate: (nullable): serve HTTPS with it; %NULL serves plain HTTP
 *
 * Starts serving in the thread-default main context. Call once.
 */
gboolean
drs_simulator_listen (DrsSimulator *self, guint port, GTlsCertificate *certificate, GError **error)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (SoupServer) server = NULL;
  SoupServerListenOptions options = 0;

  g_return_val_if_fail (DRS_IS_SIMULATOR (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), FALSE);

  /* Our own socket: SoupServer's default backlog (10) overflows in bursts of new connections. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, port);
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;

  server =
      soup_server_new ("server-header", "drs-simulator ", "tls-certificate", certificate, NULL);
  soup_server_add_handler (server, NULL, server_callback, self, NULL);
  g_signal_connect_object (server, "request-started", G_CALLBACK (on_request_started), self, 0);
  if (certificate != NULL)
    options |= SOUP_SERVER_LISTEN_HTTPS;
  if (!soup_server_listen_socket (server, socket, options, error))
    return FALSE;

  self->server = g_steal_pointer (&server);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_free (self->base_url);
  self->base_url =
      g_strdup_printf ("%s://127.0.0.1:%u", certificate != NULL ? "https" : "http", self->port);
  return TRUE;
}

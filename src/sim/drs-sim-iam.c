/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include <string.h>

#include "drs-sim-json.h"
#include "drs-sim-signer.h"
#include "drs-simulator-private.h"

/*
 * IAM and authentication in the simulator: `POST /v3/auth/tokens` (a password identity of the
 * demo account gets a token), `GET /v3/projects` (the one project, found by region name), and
 * the check of every DRS request's X-Auth-Token or AK/SK signature.
 */

#define TOKEN_LIFETIME_MS (24 * 3600 * 1000LL)
#define TOKEN_RANDOM_BYTES 3600
#define DEMO_DOMAIN_ID "d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f"
#define DEMO_USER_ID "u0a1b2c3d4e5f60718293a4b5c6d7e8f"

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

/* NULL when the AK/SK signature of @msg is right, else what is wrong with it. */
static const char *
check_signature (DrsSimulator *self, SoupServerMessage *msg, const char *authorization)
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
    return "The Authorization header is malformed.";
  sk = g_hash_table_lookup (self->access_keys, auth.access);
  if (sk == NULL)
    return "The access key is unknown.";
  if (!drs_sim_sign_parse_date (sdk_date, &signed_at))
    return "X-Sdk-Date is missing or malformed.";
  skew = signed_at - drs_simulator_get_wall_time (self);
  if (ABS (skew) > DRS_SIM_SIGN_MAX_SKEW_MS)
    return "X-Sdk-Date is more than 15 minutes away from the server time.";

  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  canonical = drs_sim_sign_canonical_request (soup_server_message_get_method (msg),
                                              g_uri_get_path (uri), g_uri_get_query (uri), headers,
                                              (const char *const *) auth.signed_headers, body);
  expected = drs_sim_sign_signature (sk, sdk_date, canonical);
  if (strlen (expected) != strlen (auth.signature))
    return "Verify AK/SK signature failed.";
  /* Constant time, as a real verifier would. */
  for (gsize i = 0; expected[i] != '\0'; i++)
    diff |= expected[i] ^ auth.signature[i];
  return diff != 0 ? "Verify AK/SK signature failed." : NULL;
}

/**
 * _drs_simulator_authenticate:
 *
 * Returns: %TRUE when the request carries a valid token or signature; else it is answered with
 *   401 `APIGW.0301`
 */
gboolean
_drs_simulator_authenticate (DrsSimulator *self, SoupServerMessage *msg, gboolean chinese)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char         *token = soup_message_headers_get_one (headers, "X-Auth-Token");
  const char         *authorization = soup_message_headers_get_one (headers, "Authorization");
  const char         *failure;

  if (token != NULL && is_valid_token (self, token))
    return TRUE;
  if (token != NULL)
    failure = g_hash_table_contains (self->issued_tokens, token) ? "The token has expired."
                                                                 : "The token is not valid.";
  else if (authorization != NULL)
    failure = check_signature (self, msg, authorization);
  else
    failure = "Neither X-Auth-Token nor Authorization was sent.";
  if (failure == NULL)
    return TRUE;

  _drs_sim_set_error_response (msg, SOUP_STATUS_UNAUTHORIZED, "APIGW.0301", chinese, failure);
  return FALSE;
}

/* IAM */

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
  _drs_sim_set_json_response (msg, status, root);
}

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

/* The node at @members (a %NULL-terminated path of object members) below @root, or NULL. */
static JsonNode *
path_node (JsonNode *root, const char *const *members)
{
  JsonNode *node = root;

  for (guint i = 0; node != NULL && members[i] != NULL; i++)
    node = JSON_NODE_HOLDS_OBJECT (node)
               ? json_object_get_member (json_node_get_object (node), members[i])
               : NULL;
  return node;
}

static const char *
path_string (JsonNode *root, const char *const *members)
{
  JsonNode *node = path_node (root, members);

  return drs_sim_json_holds (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;
}

/* Whether auth.identity.methods lists "password". */
static gboolean
has_password_method (JsonNode *request)
{
  static const char *const methods_path[] = { "auth", "identity", "methods", NULL };
  JsonNode                *node = path_node (request, methods_path);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *m = json_array_get_element (json_node_get_array (node), i);

      if (drs_sim_json_holds (m, G_TYPE_STRING) &&
          g_strcmp0 (json_node_get_string (m), "password") == 0)
        return TRUE;
    }
  return FALSE;
}

/* The body of a token IAM issued at @now, valid until @expiry. */
static JsonNode *
build_token (DrsSimulator *self, gint64 now, gint64 expiry)
{
  g_autofree char *issued = format_iso (now);
  g_autofree char *expires = format_iso (expiry);
  JsonNode        *root = json_node_new (JSON_NODE_OBJECT);
  JsonObject      *object = json_object_new ();
  JsonObject      *token = json_object_new ();
  JsonObject      *project = json_object_new ();
  JsonObject      *user = json_object_new ();
  JsonObject      *domain = json_object_new ();
  JsonArray       *methods = json_array_new ();

  json_node_take_object (root, object);
  json_object_set_string_member (token, "expires_at", expires);
  json_object_set_string_member (token, "issued_at", issued);
  json_array_add_string_element (methods, "password");
  json_object_set_array_member (token, "methods", methods);
  json_object_set_string_member (domain, "id", DEMO_DOMAIN_ID);
  json_object_set_string_member (domain, "name", DRS_SIM_DEMO_ACCOUNT);
  json_object_set_string_member (project, "id", self->project_id);
  json_object_set_string_member (project, "name", self->region);
  json_object_set_object_member (project, "domain", json_object_ref (domain));
  json_object_set_object_member (token, "project", project);
  json_object_set_string_member (user, "id", DEMO_USER_ID);
  json_object_set_string_member (user, "name", DRS_SIM_DEMO_USER);
  json_object_set_object_member (user, "domain", domain);
  json_object_set_object_member (token, "user", user);
  json_object_set_object_member (object, "token", token);
  return root;
}

void
_drs_simulator_handle_tokens (DrsSimulator *self, SoupServerMessage *msg)
{
  static const char *const domain_path[] = { "auth",   "identity", "password", "user",
                                             "domain", "name",     NULL };
  static const char *const user_path[] = { "auth", "identity", "password", "user", "name", NULL };
  static const char *const password_path[] = { "auth", "identity", "password",
                                               "user", "password", NULL };
  static const char *const project_id_path[] = { "auth", "scope", "project", "id", NULL };
  static const char *const project_name_path[] = { "auth", "scope", "project", "name", NULL };
  g_autoptr (JsonNode) request = _drs_sim_parse_body (msg);
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *token = NULL;
  const char      *project_id, *project_name;
  gint64           now, lifetime;

  if (request == NULL || !has_password_method (request) ||
      path_string (request, user_path) == NULL || path_string (request, password_path) == NULL)
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
  root = build_token (self, now, now + lifetime);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Subject-Token",
                                token);
  _drs_sim_set_json_response (msg, SOUP_STATUS_CREATED, root);
}

void
_drs_simulator_handle_projects (DrsSimulator *self, SoupServerMessage *msg, GHashTable *query)
{
  const char *token =
      soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Auth-Token");
  const char *name = query ? g_hash_table_lookup (query, "name") : NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *self_link = NULL;

  if (token == NULL || !is_valid_token (self, token))
    {
      set_iam_error_response (msg, SOUP_STATUS_UNAUTHORIZED,
                              "The request you have made requires authentication.");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "projects");
  json_builder_begin_array (builder);
  if (name == NULL || g_strcmp0 (name, self->region) == 0)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, self->project_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, self->region);
      json_builder_set_member_name (builder, "domain_id");
      json_builder_add_string_value (builder, DEMO_DOMAIN_ID);
      json_builder_set_member_name (builder, "parent_id");
      json_builder_add_string_value (builder, DEMO_DOMAIN_ID);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, "");
      json_builder_set_member_name (builder, "enabled");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_set_member_name (builder, "is_domain");
      json_builder_add_boolean_value (builder, FALSE);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  self_link = g_strdup_printf ("%s/v3/projects", self->base_url ? self->base_url : "");
  json_builder_set_member_name (builder, "links");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "self");
  json_builder_add_string_value (builder, self_link);
  json_builder_set_member_name (builder, "next");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "previous");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  _drs_sim_set_json_response (msg, SOUP_STATUS_OK, root);
}

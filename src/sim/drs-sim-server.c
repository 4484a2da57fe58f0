/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include "drs-json.h"
#include "drs-simulator-private.h"

/*
 * The simulator's HTTP plumbing: the listening socket, counting connections and requests,
 * routing each request to its handler (through the faults for the DRS endpoints), and the JSON
 * and error answers every handler sends.
 */

#define LISTEN_BACKLOG 1024

static const struct
{
  const char *name;   /* for drs_simulator_get_request_count(); a DRS endpoint's last segment */
  const char *method; /* the one it answers; NULL: see the handler */
  gboolean    drs;    /* authenticated by token or signature; faults apply */
} endpoints[DRS_SIM_N_ENDPOINTS] = {
  [DRS_SIM_ENDPOINT_BATCH_PROGRESS] = { "batch-progress", "POST", TRUE },
  [DRS_SIM_ENDPOINT_JOBS] = { "jobs", "POST", TRUE },
  [DRS_SIM_ENDPOINT_PAUSE] = { "batch-pause-task", "POST", TRUE },
  [DRS_SIM_ENDPOINT_RETRY] = { "batch-retry-task", "POST", TRUE },
  [DRS_SIM_ENDPOINT_TOKENS] = { "tokens", "POST", FALSE },
  [DRS_SIM_ENDPOINT_PROJECTS] = { "projects", "GET", FALSE },
  [DRS_SIM_ENDPOINT_SIM] = { "sim", NULL, FALSE },
  [DRS_SIM_ENDPOINT_OTHER] = { "other", NULL, FALSE },
};

const char *
_drs_sim_endpoint_name (DrsSimEndpoint endpoint)
{
  g_assert (endpoint < DRS_SIM_N_ENDPOINTS);
  return endpoints[endpoint].name;
}

/* Answers */

void
_drs_sim_set_json_response (SoupServerMessage *msg, guint status, JsonNode *root)
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

/* DRS's and API Gateway's flat shape: {"error_code": "…", "error_msg": "…"[, "request_id"]}. */
void
_drs_sim_set_error_response (
    SoupServerMessage *msg, guint status, const char *code, gboolean chinese, const char *detail)
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
  _drs_sim_set_json_response (msg, status, root);
}

/**
 * _drs_sim_parse_body:
 *
 * Returns: (transfer full) (nullable): the request body when it is a JSON object
 */
JsonNode *
_drs_sim_parse_body (SoupServerMessage *msg)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  if (drs_json_parse_object (parser, body) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/**
 * _drs_sim_parse_request:
 *
 * Returns: (transfer full) (nullable): the body of a DRS request, a JSON object; %NULL when it
 *   is not, answered with 400 `DRS.M00200`
 */
JsonNode *
_drs_sim_parse_request (SoupServerMessage *msg, gboolean chinese)
{
  JsonNode *request = _drs_sim_parse_body (msg);

  if (request == NULL)
    _drs_sim_set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", chinese,
                                 chinese ? "请求体必须是JSON对象。"
                                         : "The body must be a JSON object.");
  return request;
}

/* Routing */

static DrsSimEndpoint
classify (const char *path, char **project_id)
{
  static const DrsSimEndpoint job_actions[] = {
    DRS_SIM_ENDPOINT_BATCH_PROGRESS,
    DRS_SIM_ENDPOINT_PAUSE,
    DRS_SIM_ENDPOINT_RETRY,
  };
  g_auto (GStrv) parts = NULL;
  DrsSimEndpoint endpoint = DRS_SIM_ENDPOINT_OTHER;
  guint          n;

  *project_id = NULL;
  if (g_str_has_prefix (path, "/_sim/"))
    return DRS_SIM_ENDPOINT_SIM;
  if (g_str_equal (path, "/v3/auth/tokens"))
    return DRS_SIM_ENDPOINT_TOKENS;
  if (g_str_equal (path, "/v3/projects"))
    return DRS_SIM_ENDPOINT_PROJECTS;

  parts = g_strsplit (path, "/", -1);
  n = g_strv_length (parts);
  /* "", "v3", project, "jobs"[, "batch-progress" or another action] */
  if (n < 4 || parts[0][0] != '\0' || !g_str_equal (parts[1], "v3") || parts[2][0] == '\0' ||
      !g_str_equal (parts[3], "jobs"))
    return DRS_SIM_ENDPOINT_OTHER;
  if (n == 4)
    endpoint = DRS_SIM_ENDPOINT_JOBS;
  for (guint i = 0; n == 5 && i < G_N_ELEMENTS (job_actions); i++)
    if (g_str_equal (parts[4], endpoints[job_actions[i]].name))
      endpoint = job_actions[i];
  if (endpoint != DRS_SIM_ENDPOINT_OTHER)
    *project_id = g_strdup (parts[2]);
  return endpoint;
}

/* Counts the request, gives it an X-Request-Id, notes its X-Language; TRUE when that is zh-cn. */
static gboolean
begin_request (DrsSimulator *self, SoupServerMessage *msg, DrsSimEndpoint endpoint)
{
  const char *language =
      soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Language");
  g_autofree char *request_id =
      g_strdup_printf ("%08x%08x%08x%08x", g_rand_int (self->rand), g_rand_int (self->rand),
                       g_rand_int (self->rand), (guint32) ++self->serial);

  self->counts[endpoint]++;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "X-Request-Id",
                                request_id);
  if (language != NULL)
    {
      g_free (self->last_language);
      self->last_language = g_strdup (language);
    }
  return language != NULL && g_ascii_strcasecmp (language, "zh-cn") == 0;
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  g_autofree char *project_id = NULL;
  DrsSimEndpoint   endpoint = classify (path, &project_id);
  DrsSimulator    *self = user_data;
  gboolean         chinese = begin_request (self, msg, endpoint);
  gboolean         drs = endpoints[endpoint].drs;

  if (endpoint == DRS_SIM_ENDPOINT_SIM)
    {
      _drs_simulator_handle_control (self, msg, path);
      return;
    }
  if (endpoints[endpoint].method == NULL ||
      g_strcmp0 (soup_server_message_get_method (msg), endpoints[endpoint].method) != 0)
    {
      _drs_sim_set_error_response (msg, SOUP_STATUS_NOT_FOUND, "APIGW.0101", chinese, NULL);
      return;
    }

  if (drs && _drs_simulator_apply_input_faults (self, msg, chinese))
    {
      if (soup_server_message_get_status (msg) != 0)
        _drs_simulator_apply_output_faults (self, msg, FALSE);
      return;
    }

  if (endpoint == DRS_SIM_ENDPOINT_TOKENS)
    _drs_simulator_handle_tokens (self, msg);
  else if (endpoint == DRS_SIM_ENDPOINT_PROJECTS)
    _drs_simulator_handle_projects (self, msg, query);
  else
    _drs_simulator_handle_drs (self, msg, endpoint, project_id, chinese);
  _drs_simulator_apply_output_faults (self, msg, drs);
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

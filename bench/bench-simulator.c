/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-simulator: requests per second drs-simulator serves for 10-id batch-progress requests on
 * loopback, side by side with a bare SoupServer that answers the same bytes without any work
 * (the libsoup floor measured in the same run). The load comes from a second process, wrk.
 *
 *   bench-simulator [SECONDS_PER_ROW]      (default 3)
 */
#include "config.h"

#include <stdio.h>

#include <glib/gstdio.h>

#include <libsoup/soup.h>

#include "drs-sim-signer.h"
#include "drs-simulator.h"

#define TOKEN "bench-token"

typedef struct
{
  char    *stdout_text;
  GError  *error;
  gboolean done;
} Run;

typedef struct
{
  guint64 requests;
  double  seconds;
  double  p50_ms;
  double  p99_ms;
  guint64 bad_status;
  guint64 socket_errors;
} Result;

static void
baseline_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  GBytes       *body = user_data;
  gsize         length = 0;
  gconstpointer data = g_bytes_get_data (body, &length);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_STATIC, data,
                                    length);
}

static SoupServer *
start_baseline (GBytes *body, guint *port)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  SoupServer *server = soup_server_new (NULL, NULL);

  /* The same listening socket as the simulator's, so only the request handling differs. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_socket_set_listen_backlog (socket, 1024);
  if (!g_socket_bind (socket, address, TRUE, &error) || !g_socket_listen (socket, &error) ||
      !soup_server_listen_socket (server, socket, 0, &error))
    g_error ("baseline server: %s", error->message);
  soup_server_add_handler (server, NULL, baseline_handler, body, NULL);
  bound = g_socket_get_local_address (socket, NULL);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return server;
}

static void
on_communicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->stdout_text, NULL,
                                        &run->error);
  run->done = TRUE;
}

static char *
lua_string (const char *value)
{
  GString *out = g_string_new ("\"");

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* Runs wrk against @url with @body and @headers (NULL-terminated name, value pairs) while this
 * process's main context serves the requests. */
static Result
run_wrk (const char        *tmpdir,
         const char        *url,
         const char        *body,
         const char *const *headers,
         guint              connections,
         guint              seconds)
{
  g_autoptr (GString) script = g_string_new (NULL);
  g_autofree char *script_path = g_build_filename (tmpdir, "load.lua", NULL);
  g_autofree char *body_lua = lua_string (body);
  g_autofree char *conn_arg = g_strdup_printf ("-c%u", connections);
  g_autofree char *duration_arg = g_strdup_printf ("-d%us", seconds);
  g_autoptr (GSubprocess) wrk = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  Result result = { 0 };
  Run    run = { 0 };

  g_string_append (script, "wrk.method = \"POST\"\n");
  g_string_append_printf (script, "wrk.body = %s\n", body_lua);
  for (guint i = 0; headers[i] != NULL; i += 2)
    {
      g_autofree char *value = lua_string (headers[i + 1]);
      g_string_append_printf (script, "wrk.headers[\"%s\"] = %s\n", headers[i], value);
    }
  g_string_append (
      script,
      "done = function(summary, latency, requests)\n"
      "  local e = summary.errors\n"
      "  io.write(string.format(\"RESULT %d %d %.3f %.3f %d %d\\n\", summary.requests,\n"
      "    summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000,\n"
      "    e.status, e.connect + e.read + e.write + e.timeout))\n"
      "end\n");
  if (!g_file_set_contents (script_path, script->str, -1, &error))
    g_error ("%s", error->message);

  wrk =
      g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                        "wrk", "-t1", conn_arg, duration_arg, "-s", script_path, url, NULL);
  if (wrk == NULL)
    g_error ("wrk: %s", error->message);
  g_subprocess_communicate_utf8_async (wrk, NULL, NULL, on_communicated, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  if (run.error != NULL)
    g_error ("wrk: %s", run.error->message);

  lines = g_strsplit (run.stdout_text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "RESULT "))
      {
        guint64 duration_us = 0;

        sscanf (lines[i],
                "RESULT %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %lf %lf %" G_GUINT64_FORMAT
                " %" G_GUINT64_FORMAT,
                &result.requests, &duration_us, &result.p50_ms, &result.p99_ms, &result.bad_status,
                &result.socket_errors);
        result.seconds = duration_us / 1e6;
      }
  g_free (run.stdout_text);
  if (result.seconds <= 0)
    g_error ("wrk printed no result");
  return result;
}

static void
on_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GBytes **out = user_data;
  g_autoptr (GError) error = NULL;

  *out = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (*out == NULL)
    g_error ("fetch: %s", error->message);
}

/* One request through the main context (the server runs in this thread too). */
static GBytes *
fetch_once (const char *url, const char *body)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) request = g_bytes_new (body, strlen (body));
  GBytes *reply = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Auth-Token", TOKEN);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_fetched, &reply);
  while (reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (soup_message_get_status (msg) != 200)
    g_error ("fetch: HTTP %u", soup_message_get_status (msg));
  return reply;
}

static char *
sign_headers (const char *url, const char *body, char **date_out)
{
  g_autoptr (GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr (SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  const char *const signed_headers[] = { "content-type", "host", "x-project-id", "x-sdk-date",
                                         NULL };
  g_autofree char  *canonical = NULL;
  g_autofree char  *signature = NULL;
  char             *date = g_date_time_format (now, "%Y%m%dT%H%M%SZ");

  soup_message_headers_append (headers, "Content-Type", "application/json");
  soup_message_headers_append (headers, "Host", host);
  soup_message_headers_append (headers, "X-Project-Id", DRS_SIM_DEMO_PROJECT_ID);
  soup_message_headers_append (headers, "X-Sdk-Date", date);
  canonical = drs_sim_sign_canonical_request ("POST", g_uri_get_path (uri), NULL, headers,
                                              signed_headers, bytes);
  signature = drs_sim_sign_signature (DRS_SIM_DEMO_SK, date, canonical);
  *date_out = date;
  return g_strdup_printf ("SDK-HMAC-SHA256 Access=%s, "
                          "SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=%s",
                          DRS_SIM_DEMO_AK, signature);
}

static void
print_row (const char *what, guint connections, const Result *sim, const Result *base)
{
  double sim_rps = sim->requests / sim->seconds;
  double base_rps = base != NULL ? base->requests / base->seconds : 0;

  if (base != NULL)
    g_print (
        "| %-28s | %5u | %9.0f | %9.0f | %5.0f %% | %7.2f | %7.2f | %6" G_GUINT64_FORMAT " |\n",
        what, connections, base_rps, sim_rps, 100.0 * sim_rps / base_rps, sim->p50_ms, sim->p99_ms,
        sim->bad_status + sim->socket_errors + base->bad_status + base->socket_errors);
  else
    g_print ("| %-28s | %5u | %9s | %9.0f | %7s | %7.2f | %7.2f | %6" G_GUINT64_FORMAT " |\n", what,
             connections, "-", sim_rps, "-", sim->p50_ms, sim->p99_ms,
             sim->bad_status + sim->socket_errors);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsSimulator) sim = NULL;
  g_autoptr (SoupServer) baseline = NULL;
  g_autoptr (GBytes) canned = NULL;
  g_autoptr (GString) body = g_string_new ("{\"jobs\":[");
  g_autofree char *tmpdir = NULL;
  g_autofree char *sim_url = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *sdk_date = NULL;
  g_autofree char *wrk_path = g_find_program_in_path ("wrk");
  g_auto (GStrv) ids = NULL;
  const guint loads[] = { 1, 16, 64 };
  guint       seconds = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 3;
  guint       base_port = 0;
  guint       served_before;

  if (wrk_path == NULL)
    {
      g_printerr ("bench-simulator: wrk is not installed (apt install wrk)\n");
      return 77;
    }
  if (seconds == 0)
    seconds = 3;

  sim = drs_simulator_new ();
  drs_simulator_add_token (sim, TOKEN);
  drs_simulator_set_seed (sim, 1);
  if (!drs_simulator_listen (sim, 0, NULL, &error))
    g_error ("%s", error->message);
  ids = drs_simulator_dup_job_ids (sim);
  for (guint i = 0; i < 10; i++)
    g_string_append_printf (body, "%s\"%s\"", i ? "," : "", ids[i]);
  g_string_append (body, "]}");
  sim_url = g_strdup_printf ("%s/v3/%s/jobs/batch-progress", drs_simulator_get_base_url (sim),
                             DRS_SIM_DEMO_PROJECT_ID);

  /* The baseline answers with a real simulator answer, captured once. */
  canned = fetch_once (sim_url, body->str);
  baseline = start_baseline (canned, &base_port);
  base_url = g_strdup_printf ("http://127.0.0.1:%u/v3/%s/jobs/batch-progress", base_port,
                              DRS_SIM_DEMO_PROJECT_ID);
  authorization = sign_headers (sim_url, body->str, &sdk_date);

  tmpdir = g_dir_make_tmp ("bench-simulator-XXXXXX", &error);
  if (tmpdir == NULL)
    g_error ("%s", error->message);

  g_print (
      "drs-simulator, POST batch-progress with 10 ids (%zu-byte answer), wrk -t1, %u s per row\n"
      "baseline: a bare SoupServer answering the same bytes with no work\n\n",
      g_bytes_get_size (canned), seconds);
  g_print ("| %-28s | %5s | %9s | %9s | %7s | %7s | %7s | %6s |\n", "load", "conns", "base r/s",
           "sim r/s", "of base", "p50 ms", "p99 ms", "errors");
  g_print ("|------------------------------|-------|-----------|-----------|---------|---------|"
           "---------|--------|\n");

  served_before = drs_simulator_get_request_count (sim, "batch-progress");
  for (guint i = 0; i < G_N_ELEMENTS (loads); i++)
    {
      const char *const token_headers[] = { "Content-Type", "application/json", "X-Auth-Token",
                                            TOKEN, NULL };
      Result base = run_wrk (tmpdir, base_url, body->str, token_headers, loads[i], seconds);
      Result sim_result = run_wrk (tmpdir, sim_url, body->str, token_headers, loads[i], seconds);

      print_row ("10 ids, X-Auth-Token", loads[i], &sim_result, &base);
    }
  {
    g_autofree char  *host = g_strdup_printf ("127.0.0.1:%u", drs_simulator_get_port (sim));
    const char *const signed_headers[] = {
      "Content-Type",  "application/json",      "Host",       host,
      "X-Project-Id",  DRS_SIM_DEMO_PROJECT_ID, "X-Sdk-Date", sdk_date,
      "Authorization", authorization,           NULL
    };
    Result sim_result = run_wrk (tmpdir, sim_url, body->str, signed_headers, 16, seconds);

    print_row ("10 ids, AK/SK signature", 16, &sim_result, NULL);
  }

  g_print ("\nbatch-progress requests the simulator counted: %u; connections accepted: %u\n",
           drs_simulator_get_request_count (sim, "batch-progress") - served_before,
           drs_simulator_get_connection_count (sim));

  {
    g_autofree char *script = g_build_filename (tmpdir, "load.lua", NULL);
    g_unlink (script);
    g_rmdir (tmpdir);
  }
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "drs-simulator.h"
#include "drs-test-utils.h"

typedef struct
{
  DrsSimulator *sim;
  SoupSession  *session;
} Fixture;

typedef struct
{
  GBytes  *body;
  GError  *error;
  gboolean done;
} Reply;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (f->sim, TRUE);
  drs_simulator_add_token (f->sim, "test-token");
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);
  f->session = soup_session_new ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  g_assert_finalize_object (f->sim);
}

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->done = TRUE;
}

/* Sends @msg and spins the main context (the simulator runs in it too) until the answer. */
static GBytes *
fetch_full (SoupSession *session, SoupMessage *msg, GError **error)
{
  Reply reply = { 0 };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &reply);
  DRS_TEST_SPIN_UNTIL (reply.done, 20000);
  if (reply.error != NULL)
    g_propagate_error (error, reply.error);
  return reply.body;
}

static SoupMessage *
new_request (Fixture *f, const char *method, const char *path, const char *body)
{
  g_autofree char *url = g_strconcat (drs_simulator_get_base_url (f->sim), path, NULL);
  SoupMessage     *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

static JsonNode *
parse_json (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  gsize       length = 0;
  const char *data = g_bytes_get_data (body, &length);

  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_stats (Fixture *f, gconstpointer data)
{
  g_autoptr (SoupMessage) msg = new_request (f, "GET", "/_sim/stats", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = fetch_full (f->session, msg, &error);
  g_autoptr (JsonNode) root = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_cmpint (
      json_object_get_int_member (
          json_object_get_object_member (json_node_get_object (root), "requests"), "sim"),
      ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "connections"), ==, 1);
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  g_test_add ("/simulator/stats", Fixture, NULL, fixture_set_up, test_stats, fixture_tear_down);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include "drs-sim-json.h"
#include "drs-simulator-private.h"

/*
 * The simulator's control endpoints, for loopback clients only and never faulted:
 * `POST /_sim/faults` and `GET /_sim/faults` (the #DrsSimFaults in effect), `POST /_sim/clock`
 * (speed, manual clock, advancing it) and `GET /_sim/stats` (requests, connections, clocks).
 */

/* The clocks, as both /_sim/clock and /_sim/stats end. */
static void
add_clock_members (JsonBuilder *builder, DrsSimulator *self)
{
  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_int_value (builder, drs_simulator_get_elapsed (self));
  json_builder_set_member_name (builder, "wall_ms");
  json_builder_add_int_value (builder, drs_simulator_get_wall_time (self));
  json_builder_set_member_name (builder, "speed");
  json_builder_add_double_value (builder, self->speed);
  json_builder_set_member_name (builder, "manual_clock");
  json_builder_add_boolean_value (builder, self->manual);
}

static JsonNode *
post_faults (DrsSimulator *self, SoupServerMessage *msg)
{
  g_autoptr (JsonNode) request = _drs_sim_parse_body (msg);
  DrsSimFaults faults;

  if (!_drs_sim_faults_from_json (request, &faults))
    {
      _drs_sim_set_error_response (
          msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", FALSE,
          "Expected an object with DrsSimFaults members of the right types.");
      return NULL;
    }
  drs_simulator_set_faults (self, &faults);
  return _drs_sim_faults_to_json (&self->faults);
}

static JsonNode *
get_faults (DrsSimulator *self, SoupServerMessage *msg)
{
  return _drs_sim_faults_to_json (&self->faults);
}

static JsonNode *
post_clock (DrsSimulator *self, SoupServerMessage *msg)
{
  g_autoptr (JsonNode) request = _drs_sim_parse_body (msg);
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
  JsonObject *object = request != NULL ? json_node_get_object (request) : NULL;
  JsonNode   *manual = object ? json_object_get_member (object, "manual") : NULL;
  JsonNode   *speed = object ? json_object_get_member (object, "speed") : NULL;
  JsonNode   *advance = object ? json_object_get_member (object, "advance_ms") : NULL;
  double      speed_value = 0;

  if (object == NULL || (manual != NULL && !drs_sim_json_holds (manual, G_TYPE_BOOLEAN)) ||
      (speed != NULL && (!drs_sim_json_get_number (speed, &speed_value) || speed_value <= 0)) ||
      (advance != NULL &&
       (!drs_sim_json_holds (advance, G_TYPE_INT64) || json_node_get_int (advance) < 0)))
    {
      _drs_sim_set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", FALSE,
                                   "Expected {\"manual\": bool, \"speed\": number > 0, "
                                   "\"advance_ms\": integer ≥ 0}, each optional.");
      return NULL;
    }
  if (manual != NULL)
    drs_simulator_set_manual_clock (self, json_node_get_boolean (manual));
  if (speed != NULL)
    drs_simulator_set_speed (self, speed_value);
  if (advance != NULL)
    drs_simulator_advance (self, json_node_get_int (advance));

  json_builder_begin_object (builder);
  add_clock_members (builder, self);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
get_stats (DrsSimulator *self, SoupServerMessage *msg)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_object (builder);
  for (guint i = 0; i < DRS_SIM_N_ENDPOINTS; i++)
    {
      json_builder_set_member_name (builder, _drs_sim_endpoint_name (i));
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
  add_clock_members (builder, self);
  json_builder_set_member_name (builder, "jobs");
  json_builder_add_int_value (builder, drs_sim_scenario_get_n_jobs (self->scenario));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const struct
{
  const char *path;
  const char *method;
  /* The 200 answer, or NULL when it answered an error itself. */
  JsonNode *(*handle) (DrsSimulator *self, SoupServerMessage *msg);
} routes[] = {
  { "/_sim/faults", "POST", post_faults },
  { "/_sim/faults", "GET", get_faults },
  { "/_sim/clock", "POST", post_clock },
  { "/_sim/stats", "GET", get_stats },
};

void
_drs_simulator_handle_control (DrsSimulator *self, SoupServerMessage *msg, const char *path)
{
  const char         *method = soup_server_message_get_method (msg);
  GInetSocketAddress *remote = G_INET_SOCKET_ADDRESS (soup_server_message_get_remote_address (msg));

  if (remote == NULL ||
      !g_inet_address_get_is_loopback (g_inet_socket_address_get_address (remote)))
    {
      _drs_sim_set_error_response (msg, SOUP_STATUS_FORBIDDEN, "APIGW.0302", FALSE,
                                   "The control endpoints answer loopback clients only.");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (path, routes[i].path) && g_str_equal (method, routes[i].method))
      {
        g_autoptr (JsonNode) reply = routes[i].handle (self, msg);

        if (reply != NULL)
          _drs_sim_set_json_response (msg, SOUP_STATUS_OK, reply);
        return;
      }
  _drs_sim_set_error_response (msg, SOUP_STATUS_NOT_FOUND, "APIGW.0101", FALSE, NULL);
}

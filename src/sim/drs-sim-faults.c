/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include <string.h>

#include "drs-sim-json.h"
#include "drs-simulator-private.h"

/*
 * Fault injection (#DrsSimFaults) on the DRS endpoints: on the way in, dropped connections, the
 * rate limit, throttling and server errors answer before the handler does; on the way out,
 * latency, broken bodies and trickled bodies (a #DrsSimDelivery each) change its answer. Also
 * the faults as the `/_sim/faults` JSON.
 */

#define TRICKLE_INTERVAL_MS 100

/* A response held back: sent once its latency has passed, whole or trickled. */
struct _DrsSimDelivery
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

typedef enum
{
  FIELD_UINT,
  FIELD_RATE,
  FIELD_STRING,
  FIELD_BOOLEAN,
} FieldType;

/* clang-format off */
#define FIELD(member, type) { #member, type, G_STRUCT_OFFSET (DrsSimFaults, member) }

/* The members of DrsSimFaults, in the order /_sim/faults shows them. */
static const struct
{
  const char *name;
  FieldType   type;
  gsize       offset;
} fields[] = {
  FIELD (latency_ms,          FIELD_UINT),
  FIELD (jitter_ms,           FIELD_UINT),
  FIELD (throttle_rate,       FIELD_RATE),
  FIELD (retry_after_s,       FIELD_UINT),
  FIELD (error_status,        FIELD_UINT),
  FIELD (error_rate,          FIELD_RATE),
  FIELD (token_ttl_s,         FIELD_UINT),
  FIELD (rate_limit_per_min,  FIELD_UINT),
  FIELD (malformed,           FIELD_STRING),
  FIELD (trickle_bytes_per_s, FIELD_UINT),
  FIELD (drop_rate,           FIELD_RATE),
  FIELD (read_only,           FIELD_BOOLEAN),
};
#undef FIELD
/* clang-format on */

static const char *const malformed_kinds[] = { "truncated", "wrong-types", "html", "empty", NULL };

void
drs_sim_faults_clear (DrsSimFaults *faults)
{
  g_clear_pointer (&faults->malformed, g_free);
  memset (faults, 0, sizeof *faults);
}

/**
 * drs_sim_faults_is_valid:
 *
 * Returns: whether @faults makes sense: rates within 0–1, @error_status 0 or an HTTP error,
 *   @malformed %NULL or one of its kinds
 */
gboolean
drs_sim_faults_is_valid (const DrsSimFaults *faults)
{
  g_return_val_if_fail (faults != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].type == FIELD_RATE && !(G_STRUCT_MEMBER (double, faults, fields[i].offset) >= 0 &&
                                          G_STRUCT_MEMBER (double, faults, fields[i].offset) <= 1))
      return FALSE;
  return (faults->error_status == 0 ||
          (faults->error_status >= 400 && faults->error_status <= 599)) &&
         (faults->malformed == NULL || g_strv_contains (malformed_kinds, faults->malformed));
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

/* The faults as JSON */

JsonNode *
_drs_sim_faults_to_json (const DrsSimFaults *faults)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gconstpointer member = G_STRUCT_MEMBER_P (faults, fields[i].offset);

      json_builder_set_member_name (builder, fields[i].name);
      if (fields[i].type == FIELD_UINT)
        json_builder_add_int_value (builder, *(const guint *) member);
      else if (fields[i].type == FIELD_RATE)
        json_builder_add_double_value (builder, *(const double *) member);
      else if (fields[i].type == FIELD_BOOLEAN)
        json_builder_add_boolean_value (builder, *(const gboolean *) member);
      else if (*(char *const *) member != NULL)
        json_builder_add_string_value (builder, *(char *const *) member);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Reads @node into @member, as its field's type says. */
static gboolean
field_from_json (FieldType type, JsonNode *node, gpointer member)
{
  double number = 0;

  switch (type)
    {
      case FIELD_UINT:
        if (!drs_sim_json_holds (node, G_TYPE_INT64) || json_node_get_int (node) < 0 ||
            json_node_get_int (node) > G_MAXUINT)
          return FALSE;
        *(guint *) member = (guint) json_node_get_int (node);
        return TRUE;
      case FIELD_RATE:
        if (!drs_sim_json_get_number (node, &number))
          return FALSE;
        *(double *) member = number;
        return TRUE;
      case FIELD_BOOLEAN:
        if (!drs_sim_json_holds (node, G_TYPE_BOOLEAN))
          return FALSE;
        *(gboolean *) member = json_node_get_boolean (node);
        return TRUE;
      case FIELD_STRING:
        if (JSON_NODE_HOLDS_NULL (node))
          return TRUE;
        if (!drs_sim_json_holds (node, G_TYPE_STRING))
          return FALSE;
        /* Borrowed from @node: drs_simulator_set_faults() copies it. */
        *(const char **) member = json_node_get_string (node);
        return TRUE;
      default:
        g_assert_not_reached ();
    }
}

/**
 * _drs_sim_faults_from_json:
 * @faults: (out caller-allocates): the faults; @malformed points into @root
 *
 * Parses the `POST /_sim/faults` body (the #DrsSimFaults field names; absent = off).
 */
gboolean
_drs_sim_faults_from_json (JsonNode *root, DrsSimFaults *faults)
{
  JsonObject *object;

  memset (faults, 0, sizeof *faults);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      JsonNode *node = json_object_get_member (object, fields[i].name);

      if (node != NULL &&
          !field_from_json (fields[i].type, node, G_STRUCT_MEMBER_P (faults, fields[i].offset)))
        return FALSE;
    }
  return drs_sim_faults_is_valid (faults);
}

/* Faults on the way in */

static gboolean
random_hit (DrsSimulator *self, double rate)
{
  return rate > 0 && g_rand_double (self->rand) < rate;
}

/* Answers 429 APIGW.0308 with Retry-After. */
static void
throttle (SoupServerMessage *msg, gint64 retry_after_s, gboolean chinese)
{
  g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after_s);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                retry);
  _drs_sim_set_error_response (msg, 429, "APIGW.0308", chinese, NULL);
}

/* TRUE when a fault answered (or dropped) the request already. */
gboolean
_drs_simulator_apply_input_faults (DrsSimulator *self, SoupServerMessage *msg, gboolean chinese)
{
  gint64 now = drs_simulator_get_wall_time (self);

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
          gint64 oldest = GPOINTER_TO_SIZE (g_queue_peek_head (&self->rate_window));

          throttle (msg, MAX ((60000 - (now - oldest) + 999) / 1000, 1), chinese);
          return TRUE;
        }
    }

  if (random_hit (self, self->faults.throttle_rate))
    {
      throttle (msg, self->faults.retry_after_s > 0 ? self->faults.retry_after_s : 1, chinese);
      return TRUE;
    }

  if (self->faults.error_status != 0 &&
      (self->faults.error_rate <= 0 || random_hit (self, self->faults.error_rate)))
    {
      guint       status = self->faults.error_status;
      const char *code = status == 502 ? "APIGW.0610" : status == 503 ? "APIGW.0613" : "DRS.M00004";

      _drs_sim_set_error_response (msg, status, code, chinese, NULL);
      return TRUE;
    }

  if (self->faults.rate_limit_per_min > 0)
    g_queue_push_tail (&self->rate_window, GSIZE_TO_POINTER ((gsize) now));
  return FALSE;
}

/* Faults on the way out */

static const char wrong_types_body[] =
    "{\"count\":\"1\",\"results\":[{\"job_id\":12345,\"progress\":57,"
    "\"incre_trans_delay\":true,\"incre_trans_delay_millis\":[1200],"
    "\"task_mode\":{\"mode\":\"FULL_TRANS\"},\"transfer_status\":7,"
    "\"process_time\":1.6e12,\"remaining_time\":false,\"progress_map\":\"struct:100%\"}],"
    "\"total_record\":\"many\",\"jobs\":{\"id\":1}}";

static const char html_page[] =
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    "<body><h1>502 Bad Gateway</h1><p>The proxy server received an invalid response from an "
    "upstream server.</p><hr><address>nginx</address></body></html>\n";

/* The body as the malformed fault breaks it (a new reference to @body when it does not). */
static GBytes *
break_body (GBytes *body, const char *malformed, char **content_type, guint *status)
{
  if (g_strcmp0 (malformed, "truncated") == 0)
    return g_bytes_new_from_bytes (body, 0, g_bytes_get_size (body) / 2);
  if (g_strcmp0 (malformed, "wrong-types") == 0)
    return g_bytes_new_static (wrong_types_body, sizeof wrong_types_body - 1);
  if (g_strcmp0 (malformed, "html") == 0)
    {
      g_free (*content_type);
      *content_type = g_strdup ("text/html");
      return g_bytes_new_static (html_page, sizeof html_page - 1);
    }
  if (g_strcmp0 (malformed, "empty") == 0)
    {
      *status = SOUP_STATUS_OK;
      return g_bytes_new_static ("", 0);
    }
  return g_bytes_ref (body);
}

void
_drs_sim_delivery_free (DrsSimDelivery *delivery)
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
on_delivery_finished (SoupServerMessage *msg, DrsSimDelivery *delivery)
{
  _drs_sim_delivery_free (delivery);
}

static gboolean
trickle_next (gpointer user_data)
{
  DrsSimDelivery  *delivery = user_data;
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
delivery_start (DrsSimDelivery *delivery)
{
  SoupServerMessage  *msg = delivery->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, delivery->status, NULL);
  if (delivery->trickle)
    {
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_replace (headers, "Content-Type", delivery->content_type);
      delivery->source = g_timeout_add (delivery->interval_ms, trickle_next, delivery);
    }
  else
    {
      gsize         length = 0;
      gconstpointer data = g_bytes_get_data (delivery->body, &length);

      soup_server_message_set_response (msg, delivery->content_type, SOUP_MEMORY_COPY, data,
                                        length);
      /* After a pause the server no longer sets it by itself. */
      soup_message_headers_set_content_length (headers, length);
    }
  if (delivery->paused)
    soup_server_message_unpause (msg);
  delivery->paused = FALSE;
}

static void
latency_done (gpointer user_data)
{
  DrsSimDelivery *delivery = user_data;

  delivery->source = 0;
  delivery_start (delivery);
}

/* Breaks, slows or delays the response the handler set, as the faults say. */
void
_drs_simulator_apply_output_faults (DrsSimulator      *self,
                                    SoupServerMessage *msg,
                                    gboolean           drs_endpoint)
{
  guint       status = soup_server_message_get_status (msg);
  gboolean    success = SOUP_STATUS_IS_SUCCESSFUL (status);
  const char *malformed = drs_endpoint && success ? self->faults.malformed : NULL;
  gboolean    trickle = drs_endpoint && success && self->faults.trickle_bytes_per_s > 0;
  guint       latency = self->faults.latency_ms;
  guint       rate = self->faults.trickle_bytes_per_s;
  g_autoptr (GBytes) answered = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char    *content_type = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  DrsSimDelivery     *delivery;

  if (self->faults.jitter_ms > 0)
    latency += g_rand_int_range (self->rand, 0, self->faults.jitter_ms + 1);
  if (malformed == NULL && !trickle && latency == 0)
    return;

  content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  if (content_type == NULL)
    content_type = g_strdup ("application/json;charset=UTF-8");
  answered = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  body = break_body (answered, malformed, &content_type, &status);

  /* Take the body back: the delivery sets it when it is due. */
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_message_headers_remove (headers, "Content-Length");

  delivery = g_new0 (DrsSimDelivery, 1);
  delivery->self = self;
  delivery->msg = g_object_ref (msg);
  delivery->body = g_steal_pointer (&body);
  delivery->content_type = g_steal_pointer (&content_type);
  delivery->status = status;
  delivery->trickle = trickle;
  /* Every 100 ms a tenth of the rate; below 10 bytes/s one byte at longer intervals. */
  delivery->chunk = MAX (1, rate * TRICKLE_INTERVAL_MS / 1000);
  delivery->interval_ms =
      rate >= 1000 / TRICKLE_INTERVAL_MS ? TRICKLE_INTERVAL_MS : 1000 / MAX (rate, 1);
  delivery->finished_id =
      g_signal_connect (msg, "finished", G_CALLBACK (on_delivery_finished), delivery);
  self->deliveries = g_list_prepend (self->deliveries, delivery);

  if (latency > 0)
    {
      delivery->paused = TRUE;
      soup_server_message_pause (msg);
      delivery->source = g_timeout_add_once (latency, latency_done, delivery);
    }
  else
    delivery_start (delivery);
}

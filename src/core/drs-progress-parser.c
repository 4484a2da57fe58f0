/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-progress-parser"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "drs-error.h"
#include "drs-json.h"
#include "drs-progress-parser.h"

/* A batch-progress response is four levels deep; anything much deeper is hostile, and json-glib
 * recurses once per level. */
#define MAX_DEPTH 32
#define MAX_JOB_ID_LENGTH 128
#define MAX_RAW_ENUM_LENGTH 64
/* Distinct unknown status and mode values kept verbatim (beyond them: "unknown"). */
#define MAX_UNKNOWN_VALUES 256
#define MAX_MESSAGE_LENGTH 4096
/* Ten years: larger delays and remaining times are garbage, not measurements. */
#define MAX_SECONDS (10.0 * 365 * 24 * 3600)
/* Year 9999 in epoch milliseconds: the limit of GDateTime. */
#define MAX_EPOCH_MS G_GINT64_CONSTANT (253402300799000)

DrsSnapshot *
drs_snapshot_new (const char *job_id)
{
  DrsSnapshot *self = g_new0 (DrsSnapshot, 1);

  self->job_id = g_strdup (job_id);
  self->progress = DRS_UNKNOWN;
  self->delay_ms = DRS_UNKNOWN;
  self->process_time_ms = DRS_UNKNOWN;
  self->remaining_s = DRS_UNKNOWN;
  for (guint i = 0; i < DRS_N_PHASES; i++)
    {
      self->phases[i].completed = DRS_UNKNOWN;
      self->phases[i].remaining_s = DRS_UNKNOWN;
    }
  return self;
}

DrsSnapshot *
drs_snapshot_copy (const DrsSnapshot *snapshot)
{
  DrsSnapshot *self;

  g_return_val_if_fail (snapshot != NULL, NULL);

  self = g_memdup2 (snapshot, sizeof *snapshot);
  self->job_id = g_strdup (snapshot->job_id);
  self->error_code = g_strdup (snapshot->error_code);
  self->error_msg = g_strdup (snapshot->error_msg);
  return self;
}

void
drs_snapshot_free (DrsSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_free (snapshot->job_id);
  g_free (snapshot->error_code);
  g_free (snapshot->error_msg);
  g_free (snapshot);
}

/* [+-]?digits[.digits]?([eE][+-]?digits)? — what g_ascii_strtod reads, minus hex, inf and nan. */
static gboolean
is_plain_decimal (const char *p, const char *end)
{
  gboolean digits = FALSE;

  if (p < end && (*p == '+' || *p == '-'))
    p++;
  while (p < end && g_ascii_isdigit (*p))
    p++, digits = TRUE;
  if (p < end && *p == '.')
    {
      p++;
      while (p < end && g_ascii_isdigit (*p))
        p++, digits = TRUE;
    }
  if (!digits)
    return FALSE;
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      gboolean exp_digits = FALSE;

      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      while (p < end && g_ascii_isdigit (*p))
        p++, exp_digits = TRUE;
      if (!exp_digits)
        return FALSE;
    }
  return p == end;
}

/**
 * drs_parse_decimal:
 * @text: (nullable): a number as DRS sends it: `"94"`, `"94%"`, `" 12.5 "`
 * @max: the largest plausible value
 *
 * Lenient per FACTS §1: surrounding spaces and one trailing `%` are ignored; empty, negative
 * (including the server's `"-1"`), non-numeric, non-finite and implausibly large values are
 * not available.
 *
 * Returns: the value, or %DRS_UNKNOWN
 */
double
drs_parse_decimal (const char *text, double max)
{
  const char *start, *end;
  char        buf[64];
  double      value;

  if (text == NULL)
    return DRS_UNKNOWN;

  start = text;
  while (g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  if (end > start && end[-1] == '%')
    {
      end--;
      while (end > start && g_ascii_isspace (end[-1]))
        end--;
    }

  if (end == start || (gsize) (end - start) >= sizeof buf || !is_plain_decimal (start, end))
    return DRS_UNKNOWN;

  memcpy (buf, start, end - start);
  buf[end - start] = '\0';
  value = g_ascii_strtod (buf, NULL);

  if (!isfinite (value) || value < 0 || value > max)
    return DRS_UNKNOWN;
  return value;
}

double
drs_parse_percent (const char *text)
{
  return drs_parse_decimal (text, 100.0);
}

/**
 * drs_parse_count:
 *
 * Like drs_parse_decimal(), rounded to a whole number.
 */
gint64
drs_parse_count (const char *text, gint64 max)
{
  double value = drs_parse_decimal (text, (double) max);

  if (value < 0)
    return DRS_UNKNOWN;
  return (gint64) llround (value);
}

/* A member's value as text, or NULL. DRS sends strings; a plain JSON number is read too, since
 * it carries the same meaning. Booleans, arrays and objects are not available. */
static const char *
member_text (JsonObject *object, const char *name, char *numbuf, gsize numbuf_len)
{
  JsonNode *node = json_object_get_member (object, name);
  GType     type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      /* An escaped lone surrogate ("\ud83d") decodes to bytes that are not UTF-8. */
      return g_utf8_validate (text, -1, NULL) ? text : NULL;
    }
  if (type == G_TYPE_INT64)
    {
      g_snprintf (numbuf, numbuf_len, "%" G_GINT64_FORMAT, json_node_get_int (node));
      return numbuf;
    }
  if (type == G_TYPE_DOUBLE)
    {
      g_ascii_dtostr (numbuf, numbuf_len, json_node_get_double (node));
      return numbuf;
    }
  return NULL;
}

/* A string member, or NULL if it is missing, not a string, or not UTF-8: JSON escapes can
 * spell a lone surrogate ("\ud83d"), which json-glib decodes to bytes that are not UTF-8 and
 * that must not reach ids, labels or the history. Found by tests/fuzz/fuzz-progress-parser. */
static const char *
member_string (JsonObject *object, const char *name)
{
  const char *text = drs_json_object_get_string (object, name);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  return text;
}

static double
member_decimal (JsonObject *object, const char *name, double max)
{
  char numbuf[G_ASCII_DTOSTR_BUF_SIZE];
  return drs_parse_decimal (member_text (object, name, numbuf, sizeof numbuf), max);
}

/* Server text for people, made valid UTF-8 (see member_string()) and cut at a character
 * boundary so a hostile value cannot flood the UI. */
static char *
bounded_text (const char *raw)
{
  g_autofree char *repaired = NULL;
  const char      *text = raw;
  gsize            len;

  if (text == NULL)
    return NULL;
  if (!g_utf8_validate (text, -1, NULL))
    text = repaired = g_utf8_make_valid (raw, -1);

  len = strlen (text);
  if (len <= MAX_MESSAGE_LENGTH)
    return g_strdup (text);

  {
    const char *cut = g_utf8_find_prev_char (text, text + MAX_MESSAGE_LENGTH);
    g_autoptr (GString) s = g_string_new_len (text, cut ? cut - text : 0);
    g_string_append (s, "…");
    return g_string_free (g_steal_pointer (&s), FALSE);
  }
}

static const char *
raw_enum (const char *text, const char *known)
{
  static GMutex      lock;
  static GHashTable *unknown; /* values this build does not know, kept for the process */
  const char        *kept;

  if (known != NULL)
    return known; /* static storage */
  if (text == NULL || *text == '\0' || strlen (text) > MAX_RAW_ENUM_LENGTH)
    return NULL;

  /* A few new statuses from a newer server are worth keeping verbatim; a hostile server sending
   * endless new ones must not grow memory without bound (nor GLib's quark table). */
  g_mutex_lock (&lock);
  if (unknown == NULL)
    unknown = g_hash_table_new (g_str_hash, g_str_equal);
  kept = g_hash_table_lookup (unknown, text);
  if (kept == NULL && g_hash_table_size (unknown) < MAX_UNKNOWN_VALUES)
    {
      char *copy = g_strdup (text);

      g_hash_table_add (unknown, copy);
      kept = copy;
    }
  g_mutex_unlock (&lock);
  return kept;
}

static void
read_phase (JsonObject *map, const char *name, DrsPhaseProgress *phase)
{
  JsonNode   *node = json_object_get_member (map, name);
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;

  object = json_node_get_object (node);
  phase->completed = member_decimal (object, "completed", 100.0);
  phase->remaining_s = (gint64) llround (member_decimal (object, "remaining_time", MAX_SECONDS));
  if (phase->remaining_s < 0)
    phase->remaining_s = DRS_UNKNOWN;
}

static DrsSnapshot *
read_result (JsonObject *object)
{
  const char  *job_id = member_string (object, "job_id");
  const char  *text;
  DrsSnapshot *snap;
  JsonNode    *map;
  double       value;

  if (job_id == NULL || *job_id == '\0' || strlen (job_id) > MAX_JOB_ID_LENGTH)
    return NULL;

  snap = drs_snapshot_new (job_id);
  snap->progress = member_decimal (object, "progress", 100.0);

  /* Prefer the millisecond delay of newer servers. */
  value = member_decimal (object, "incre_trans_delay_millis", MAX_SECONDS * 1000.0);
  if (value >= 0)
    snap->delay_ms = (gint64) llround (value);
  else
    {
      value = member_decimal (object, "incre_trans_delay", MAX_SECONDS);
      if (value >= 0)
        snap->delay_ms = (gint64) llround (value * 1000.0);
    }

  text = member_string (object, "task_mode");
  snap->task_mode = drs_task_mode_from_string (text);
  snap->task_mode_raw = raw_enum (text, drs_task_mode_to_string (snap->task_mode));

  text = member_string (object, "transfer_status");
  snap->status = drs_job_status_from_string (text);
  snap->status_raw = raw_enum (text, drs_job_status_to_string (snap->status));

  /* Whole milliseconds; "0" (and anything under 1 ms after the epoch) means unset. */
  value = member_decimal (object, "process_time", (double) MAX_EPOCH_MS);
  if (value >= 1)
    snap->process_time_ms = (gint64) value;

  value = member_decimal (object, "remaining_time", MAX_SECONDS);
  if (value >= 0)
    snap->remaining_s = (gint64) llround (value);

  map = json_object_get_member (object, "progress_map");
  if (map != NULL && JSON_NODE_HOLDS_OBJECT (map))
    {
      JsonObject *map_object = json_node_get_object (map);

      snap->has_phases = TRUE;
      read_phase (map_object, "struct", &snap->phases[DRS_PHASE_STRUCT]);
      read_phase (map_object, "data", &snap->phases[DRS_PHASE_DATA]);
      read_phase (map_object, "index", &snap->phases[DRS_PHASE_INDEX]);
    }

  text = member_string (object, "error_code");
  if (text != NULL && *text != '\0')
    {
      snap->error_code = bounded_text (text);
      snap->error_msg = bounded_text (drs_json_object_get_string (object, "error_msg"));
    }

  return snap;
}

/* Rejects what json-glib should never see: invalid UTF-8 and nesting deeper than MAX_DEPTH. */
static gboolean
check_text (const char *data, gsize length, GError **error)
{
  gboolean in_string = FALSE;
  guint    depth = 0;

  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                           _ ("The server’s response is not valid UTF-8 text."));
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_DEPTH)
            {
              g_set_error (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                           _ ("The server’s response is nested more than %d levels deep."),
                           MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return TRUE;
}

static JsonNode *
parse_root (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                           _ ("The server’s response is empty."));
      return NULL;
    }
  if (!check_text (data, length, error))
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      /* json-glib quotes the bad token, which a lone surrogate escape makes invalid UTF-8. */
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);
      gsize            start = 0;

      /* The parser's position and token are for the log; the user hears what happened. */
      g_debug ("The response is not valid JSON: %s", reason);
      while (start < length && g_ascii_isspace (data[start]))
        start++;
      if (start < length && data[start] == '<')
        g_set_error_literal (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                             _ ("The server’s response is not valid JSON but a web page: a proxy "
                                "or gateway may have answered instead of DRS."));
      else
        g_set_error_literal (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                             _ ("The server’s response is not valid JSON: it is cut off or "
                                "damaged."));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                           _ ("The server’s response is empty."));
      return NULL;
    }
  return json_node_ref (root);
}

/* The two error shapes at the top of a body: DRS/gateway and IAM's nested one. */
static GError *
error_from_object (JsonObject *object, guint http_status, const char *request_id)
{
  const char *code = member_string (object, "error_code");
  JsonNode   *nested;

  if (code != NULL && *code != '\0')
    {
      g_autofree char *msg = bounded_text (drs_json_object_get_string (object, "error_msg"));
      const char      *body_request_id = member_string (object, "request_id");

      return drs_error_new_from_server (http_status, code, msg,
                                        request_id ? request_id : body_request_id);
    }

  nested = json_object_get_member (object, "error");
  if (nested != NULL && JSON_NODE_HOLDS_OBJECT (nested))
    {
      JsonObject      *inner = json_node_get_object (nested);
      char             numbuf[G_ASCII_DTOSTR_BUF_SIZE];
      const char      *inner_code = member_text (inner, "code", numbuf, sizeof numbuf);
      g_autofree char *msg = bounded_text (drs_json_object_get_string (inner, "message"));
      guint            status = http_status;

      /* IAM's code is the HTTP status; a bare number is not a server code to quote. */
      if (status == 0 && inner_code != NULL)
        status = (guint) CLAMP (drs_parse_count (inner_code, 599), 0, 599);
      if (inner_code != NULL && g_ascii_isdigit (*inner_code))
        inner_code = NULL;
      return drs_error_new_from_server (status, inner_code, msg, request_id);
    }

  return NULL;
}

static gboolean
has_id (GPtrArray *snapshots, GHashTable *seen, const char *job_id)
{
  if (seen != NULL)
    return g_hash_table_contains (seen, job_id);

  for (guint i = 0; i < snapshots->len; i++)
    if (strcmp (((DrsSnapshot *) snapshots->pdata[i])->job_id, job_id) == 0)
      return TRUE;
  return FALSE;
}

/**
 * drs_progress_parse:
 * @data: (array length=length): the response body
 *
 * Reads a batch-progress response. Lenient per field, strict per structure: a field that cannot be
 * read becomes %DRS_UNKNOWN, a result without a usable `job_id` is skipped, a later result for an
 * id already read is ignored; a body that is not a JSON object with a `results` list of objects
 * fails with %DRS_ERROR_PROTOCOL, and an error body fails with the server's code and message.
 *
 * Returns: (transfer container) (element-type DrsSnapshot): the snapshots in the server's order
 */
GPtrArray *
drs_progress_parse (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) snapshots = NULL;
  g_autoptr (GHashTable) seen = NULL;
  JsonObject *object;
  JsonNode   *results;
  JsonArray  *array;
  guint       n;

  root = parse_root (data, length, error);
  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                           _ ("The server’s response is not a JSON object."));
      return NULL;
    }
  object = json_node_get_object (root);

  results = json_object_get_member (object, "results");
  if (results == NULL || JSON_NODE_HOLDS_NULL (results))
    {
      GError *server_error = error_from_object (object, 0, NULL);

      if (server_error != NULL)
        g_propagate_error (error, server_error);
      else
        g_set_error_literal (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                             _ ("The server’s response has no “results” list."));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (results))
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                           _ ("The “results” in the server’s response is not a list."));
      return NULL;
    }

  array = json_node_get_array (results);
  n = json_array_get_length (array);
  snapshots = g_ptr_array_new_full (n, (GDestroyNotify) drs_snapshot_free);
  if (n > 16)
    seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      JsonNode    *element = json_array_get_element (array, i);
      DrsSnapshot *snap;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, DRS_ERROR, DRS_ERROR_PROTOCOL,
                       _ ("Result %u in the server’s response is not an object."), i + 1);
          return NULL;
        }

      snap = read_result (json_node_get_object (element));
      if (snap == NULL)
        {
          g_debug ("Skipping result %u: no usable job_id", i + 1);
          continue;
        }
      if (has_id (snapshots, seen, snap->job_id))
        {
          g_debug ("Skipping result %u: job %s was already read", i + 1, snap->job_id);
          drs_snapshot_free (snap);
          continue;
        }

      g_ptr_array_add (snapshots, snap);
      if (seen != NULL)
        g_hash_table_add (seen, snap->job_id);
    }

  return g_steal_pointer (&snapshots);
}

/**
 * drs_progress_parse_error_body:
 * @data: (nullable) (array length=length): the body of a failed response
 * @http_status: the HTTP status, or 0
 * @request_id: (nullable): the `X-Request-Id` header
 *
 * Reads any of the error shapes (FACTS §3). A body that says nothing usable (HTML, empty,
 * garbage) still gives an error classified by the HTTP status.
 *
 * Returns: (transfer full): the error, never %NULL
 */
GError *
drs_progress_parse_error_body (const char *data,
                               gsize       length,
                               guint       http_status,
                               const char *request_id)
{
  g_autoptr (JsonNode) root = NULL;
  GError *error = NULL;

  if (data != NULL && length > 0)
    root = parse_root (data, length, NULL);

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    error = error_from_object (json_node_get_object (root), http_status, request_id);

  if (error == NULL)
    error = drs_error_new_from_server (http_status, NULL, NULL, request_id);

  return error;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "drs-client-private.h"
#include "drs-error.h"
#include "drs-http.h"
#include "drs-job-id.h"
#include "drs-json.h"

/*
 * Pause, resume and retry (FACTS §9): `batch-pause-task` and `batch-retry-task`, in batches of
 * at most ten tasks, sent one after the other through the client's transport (signing,
 * X-Language, timeout, response cap, error mapping).
 *
 * Actions are not idempotent, so a request is never sent twice when it may have reached the
 * server. _drs_client_post_async() with idempotent = FALSE sends it on a fresh connection
 * (libsoup then has no stale kept-alive connection to silently resend it on) and resends it
 * once only when its headers never went out whole and no byte of an answer came back: the
 * server cannot have acted on it. A refused token (401) is renewed and the request sent again:
 * the gateway rejected it before DRS saw it. Throttling, server errors, timeouts and lost
 * connections are reported per task (failed: nothing changed; unknown: it may have), never
 * retried: the monitor polls the tasks at once so their status tells.
 */

#define ACTION_BATCH_MAX 10

typedef struct
{
  DrsActionResult *result;
  GStrv            to_send; /* valid ids, in order */
  guint            next;    /* index of the next batch's first id in to_send */
  guint            batch_size;
  guint            batch_len;
} ActData;

static void
act_data_free (ActData *data)
{
  g_clear_pointer (&data->result, drs_action_result_unref);
  g_strfreev (data->to_send);
  g_free (data);
}

/* Takes the valid ids of @job_ids to send; the others fail at once, unsent. */
static ActData *
act_data_new (DrsTaskAction action, DrsPauseMode mode, const char *const *job_ids, guint batch_size)
{
  ActData *data = g_new0 (ActData, 1);
  g_autoptr (GPtrArray) valid = g_ptr_array_new ();
  g_autoptr (GError) invalid = NULL;
  const char *const *ids;

  data->result = drs_action_result_new (action, mode, job_ids);
  data->batch_size = MIN (batch_size, ACTION_BATCH_MAX);

  ids = drs_action_result_get_job_ids (data->result);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (drs_job_id_is_valid (ids[i]))
        {
          g_ptr_array_add (valid, g_strdup (ids[i]));
          continue;
        }
      if (invalid == NULL)
        invalid = g_error_new_literal (DRS_ERROR, DRS_ERROR_INVALID,
                                       _ ("This is not a DRS task ID, so nothing was sent."));
      drs_action_result_set (data->result, ids[i], DRS_ACTION_OUTCOME_FAILED, invalid);
    }
  g_ptr_array_add (valid, NULL);
  data->to_send = (GStrv) g_ptr_array_free (g_steal_pointer (&valid), FALSE);
  return data;
}

/* `{"jobs": [{"job_id": "…", "pause_mode": "…"}, …]}` to pause; `"is_sync_re_edit": false`
 * instead of the mode to retry or resume. */
static GBytes *
action_body (DrsTaskAction action, DrsPauseMode mode, const char *const *ids, guint n)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "job_id");
      json_builder_add_string_value (builder, ids[i]);
      if (action == DRS_TASK_ACTION_PAUSE)
        {
          json_builder_set_member_name (builder, "pause_mode");
          json_builder_add_string_value (builder, drs_pause_mode_to_string (mode));
        }
      else
        {
          json_builder_set_member_name (builder, "is_sync_re_edit");
          json_builder_add_boolean_value (builder, FALSE);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return drs_json_builder_to_bytes (builder);
}

/* What an error means for an action, in words: the server's own code and message follow. */
static const char *
describe_code (DrsErrorCode code, DrsActionOutcome outcome)
{
  switch (code)
    {
      case DRS_ERROR_FORBIDDEN:
        return _ ("The account may not operate these tasks: its IAM user needs permission to "
                  "operate DRS tasks, not only to read them.");
      case DRS_ERROR_THROTTLED:
        return _ ("The server is limiting requests, so nothing was changed. Try again in a "
                  "minute.");
      case DRS_ERROR_NOT_FOUND:
        return _ ("DRS does not know this task, or it was deleted.");
      case DRS_ERROR_AUTH:
        return drs_error_code_describe (code);
      case DRS_ERROR_SERVER:
      case DRS_ERROR_TIMEOUT:
      case DRS_ERROR_PROTOCOL:
        if (outcome == DRS_ACTION_OUTCOME_UNKNOWN)
          return _ ("DRS did not answer properly: the task may or may not have changed. Its "
                    "status is being checked.");
        return _ ("DRS did not carry out the action.");
      case DRS_ERROR_BAD_REQUEST:
      case DRS_ERROR_NETWORK:
      case DRS_ERROR_TLS:
      case DRS_ERROR_INVALID:
      case DRS_ERROR_STORAGE:
      default:
        return _ ("DRS refused the action for this task.");
    }
}

/* @base with a sentence about the action; the server's code, message and request id stay. */
static GError *
action_error (const GError *base, DrsActionOutcome outcome)
{
  const char *server_code = drs_error_get_server_code (base);
  const char *server_message = drs_error_get_server_message (base);
  g_autoptr (GString) text = NULL;
  GError *error;

  if (base->domain != DRS_ERROR)
    return g_error_copy (base);

  if (server_code != NULL || server_message != NULL)
    {
      text = g_string_new (describe_code (base->code, outcome));
      if (server_code != NULL && server_message != NULL)
        g_string_append_printf (text, _ (" (%s: %s)"), server_code, server_message);
      else
        g_string_append_printf (text, _ (" (%s)"), server_code ? server_code : server_message);
    }
  else
    {
      /* A transport error or a bare status: its sentence names the host. */
      text = g_string_new (base->message);
      g_string_append_c (text, ' ');
      if (outcome == DRS_ACTION_OUTCOME_UNKNOWN)
        g_string_append (text, _ ("The task may or may not have changed. Its status is being "
                                  "checked."));
      else
        g_string_append (text, _ ("Nothing was changed."));
    }

  error = g_error_new_literal (DRS_ERROR, base->code, text->str);
  drs_error_set_details (error, drs_error_get_http_status (base), server_code, server_message,
                         drs_error_get_request_id (base));
  if (drs_error_get_retry_after (base) >= 0)
    drs_error_set_retry_after (error, drs_error_get_retry_after (base));
  return error;
}

static void
fail_batch (ActData *data, guint start, guint n, DrsActionOutcome outcome, const GError *base)
{
  g_autoptr (GError) error = action_error (base, outcome);

  for (guint i = start; i < start + n; i++)
    drs_action_result_set (data->result, data->to_send[i], outcome, error);
}

/* Takes `{"count": N, "results": [{"id", "status", "error_code", "error_msg"}]}`; ids of the
 * batch without a result get @missing. Returns FALSE when the body has no results list. */
static gboolean
take_results (ActData         *data,
              guint            start,
              guint            n,
              DrsResponse     *response,
              const GError    *missing,
              DrsActionOutcome missing_outcome)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GHashTable) batch = g_hash_table_new (g_str_hash, g_str_equal);
  const char *request_id = soup_message_headers_get_one (
      soup_message_get_response_headers (response->message), "X-Request-Id");
  guint       status = soup_message_get_status (response->message);
  JsonObject *root = drs_json_parse_object (parser, response->body);
  JsonArray  *array = root != NULL ? drs_json_object_get_array (root, "results") : NULL;

  if (array == NULL)
    return FALSE;

  for (guint i = start; i < start + n; i++)
    g_hash_table_add (batch, data->to_send[i]);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode        *element = json_array_get_element (array, i);
      JsonObject      *object;
      g_autofree char *id = NULL;
      g_autofree char *state = NULL;
      g_autofree char *code = NULL;
      g_autofree char *message = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      /* Keyed `id`; `job_id` as batch-progress has it, should a server send that. */
      id = drs_json_object_dup_string (object, "id");
      if (id == NULL)
        id = drs_json_object_dup_string (object, "job_id");
      if (id == NULL || !g_hash_table_remove (batch, id))
        continue;

      state = drs_json_object_dup_string (object, "status");
      code = drs_json_object_dup_string (object, "error_code");
      message = drs_json_object_dup_string (object, "error_msg");
      if (g_strcmp0 (state, "success") == 0 && code == NULL)
        drs_action_result_set (data->result, id, DRS_ACTION_OUTCOME_SUCCESS, NULL);
      else
        {
          g_autoptr (GError) server = NULL;
          g_autoptr (GError) error = NULL;
          guint http = SOUP_STATUS_IS_SUCCESSFUL (status) ? SOUP_STATUS_BAD_REQUEST : status;

          if (code == NULL && message == NULL)
            message = g_strdup (state != NULL ? state : "failed");
          server = drs_error_new_from_server (http, code, message, request_id);
          error = action_error (server, DRS_ACTION_OUTCOME_FAILED);
          drs_action_result_set (data->result, id, DRS_ACTION_OUTCOME_FAILED, error);
        }
    }

  if (g_hash_table_size (batch) > 0)
    {
      GHashTableIter iter;
      gpointer       key;
      g_autoptr (GError) error = action_error (missing, missing_outcome);

      g_hash_table_iter_init (&iter, batch);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        drs_action_result_set (data->result, key, missing_outcome, error);
    }
  return TRUE;
}

static void send_next_batch (GTask *task);

static void
on_action_response (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  DrsClient *self = DRS_CLIENT (object);
  ActData   *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsResponse) response = NULL;
  guint    start = data->next;
  guint    n = data->batch_len;
  guint    attempts = 0;
  gboolean maybe_received = TRUE;
  guint    status;

  response = _drs_client_post_finish (self, result, &attempts, &maybe_received, &error);
  drs_action_result_add_requests (data->result, attempts);
  data->next += n;

  if (response == NULL)
    {
      fail_batch (data, start, n,
                  maybe_received ? DRS_ACTION_OUTCOME_UNKNOWN : DRS_ACTION_OUTCOME_FAILED, error);
      send_next_batch (g_steal_pointer (&task));
      return;
    }

  status = soup_message_get_status (response->message);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr (GError) missing = g_error_new_literal (
          DRS_ERROR, DRS_ERROR_PROTOCOL, _ ("The server’s answer has no result for this task."));

      if (!take_results (data, start, n, response, missing, DRS_ACTION_OUTCOME_UNKNOWN))
        {
          g_autoptr (GError) invalid = g_error_new_literal (
              DRS_ERROR, DRS_ERROR_PROTOCOL,
              _ ("The server’s answer to the action is not valid: it has no “results” list."));

          fail_batch (data, start, n, DRS_ACTION_OUTCOME_UNKNOWN, invalid);
        }
    }
  else
    {
      g_autoptr (GError) http_error =
          drs_http_error_from_response (response->message, response->body);
      /* A refusal (4xx) changed nothing; after a server error (5xx, gateway timeout) DRS may
       * have acted. */
      DrsActionOutcome outcome = status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT
                                     ? DRS_ACTION_OUTCOME_UNKNOWN
                                     : DRS_ACTION_OUTCOME_FAILED;

      if (!take_results (data, start, n, response, http_error, outcome))
        fail_batch (data, start, n, outcome, http_error);
    }

  send_next_batch (g_steal_pointer (&task));
}

static void
send_next_batch (GTask *task)
{
  DrsClient    *self = g_task_get_source_object (task);
  ActData      *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;
  guint         total = g_strv_length (data->to_send);
  DrsTaskAction action = drs_action_result_get_action (data->result);
  const char   *path;

  if (data->next >= total)
    {
      g_task_return_pointer (task, drs_action_result_ref (data->result),
                             (GDestroyNotify) drs_action_result_unref);
      g_object_unref (task);
      return;
    }

  data->batch_len = MIN (data->batch_size, total - data->next);
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      /* Not sent: nothing changed for the rest. */
      for (guint i = data->next; i < total; i++)
        drs_action_result_set (data->result, data->to_send[i], DRS_ACTION_OUTCOME_FAILED, error);
      data->next = total;
      send_next_batch (task);
      return;
    }

  body = action_body (action, drs_action_result_get_pause_mode (data->result),
                      (const char *const *) data->to_send + data->next, data->batch_len);
  path = action == DRS_TASK_ACTION_PAUSE ? "jobs/batch-pause-task" : "jobs/batch-retry-task";
  g_debug ("%s: %u tasks", path, data->batch_len);
  _drs_client_post_async (self, path, body, FALSE, cancellable, on_action_response, task);
}

/**
 * drs_client_act_async:
 * @request: the action (resume and retry are the same call: `batch-retry-task`) and the tasks;
 *   duplicate and empty ids are dropped; ids that are not DRS task ids fail alone without being
 *   sent
 *
 * Acts on the tasks in batches of at most ten, one request after the other. See the top of
 * drs-client-actions.c for when a request is sent again (almost never).
 */
void
drs_client_act_async (DrsClient              *self,
                      const DrsActionRequest *request,
                      GCancellable           *cancellable,
                      GAsyncReadyCallback     callback,
                      gpointer                user_data)
{
  GTask *task;

  g_return_if_fail (DRS_IS_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail ((guint) request->action < DRS_TASK_ACTION_N);
  g_return_if_fail (request->job_ids != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_client_act_async);
  /* The result says what happened even when cancelled midway. */
  g_task_set_check_cancellable (task, FALSE);

  g_task_set_task_data (
      task, act_data_new (request->action, request->mode, request->job_ids, self->batch_size),
      (GDestroyNotify) act_data_free);
  send_next_batch (task);
}

/**
 * drs_client_act_finish:
 *
 * Returns: (transfer full): every task's outcome; never fails (a cancelled action reports the
 *   tasks it did not send as failed, with %G_IO_ERROR_CANCELLED)
 */
DrsActionResult *
drs_client_act_finish (DrsClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * drs_client_pause_tasks_async:
 * @mode: %DRS_PAUSE_MODE_TARGET stops replaying to the destination, %DRS_PAUSE_MODE_ALL also
 *   stops capturing logs
 *
 * `batch-pause-task`; finish with drs_client_act_finish().
 */
void
drs_client_pause_tasks_async (DrsClient          *self,
                              const char *const  *job_ids,
                              DrsPauseMode        mode,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  drs_client_act_async (self, &(DrsActionRequest){ DRS_TASK_ACTION_PAUSE, mode, job_ids },
                        cancellable, callback, user_data);
}

/**
 * drs_client_retry_tasks_async:
 *
 * `batch-retry-task`: retries failed tasks and resumes paused ones; finish with
 * drs_client_act_finish().
 */
void
drs_client_retry_tasks_async (DrsClient          *self,
                              const char *const  *job_ids,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  drs_client_act_async (
      self, &(DrsActionRequest){ DRS_TASK_ACTION_RETRY, DRS_PAUSE_MODE_TARGET, job_ids },
      cancellable, callback, user_data);
}

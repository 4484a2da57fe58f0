/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-client"

#include "config.h"

#include "drs-client-private.h"
#include "drs-http.h"

/*
 * One POST through the client's transport: the session (created on first use), `X-Language`,
 * authentication (a fresh token, a sign-in shared with the other requests waiting for one, or
 * an AK/SK signature), one resend after a refused token, the timeout and the response cap.
 * batch-progress, the job list and the actions all go out through here.
 */

static SoupSession *
get_session (DrsClient *self)
{
  if (self->session == NULL)
    self->session = drs_http_session_new (self->concurrency, self->timeout_s, self->tls_database);
  return self->session;
}

typedef struct
{
  DrsClient   *client;
  SoupSession *session;
  char        *url;
  GBytes      *body;
  SoupMessage *message;
  gboolean     idempotent;
  gboolean     retried;
  /* Actions only (not idempotent): what is known about the attempt in flight. */
  gboolean request_written; /* the request headers went out whole: the server may act on it */
  gboolean answer_started;  /* a byte of an answer arrived */
  gboolean resent;
  guint    attempts;
} RequestData;

static void
request_data_free (RequestData *data)
{
  if (data->message != NULL)
    g_signal_handlers_disconnect_by_data (data->message, data);
  g_clear_object (&data->client);
  g_clear_object (&data->session);
  g_clear_pointer (&data->url, g_free);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_clear_object (&data->message);
  g_free (data);
}

void
_drs_response_free (DrsResponse *response)
{
  if (response == NULL)
    return;
  g_clear_object (&response->message);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

static void request_send (GTask *task);

static void
on_wrote_headers (RequestData *data)
{
  data->request_written = TRUE;
}

static void
on_answer_started (RequestData *data)
{
  data->answer_started = TRUE;
}

static void
on_request_sent (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  DrsResponse *response;
  guint        status;

  body = drs_http_send_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      /* An action is sent again only when it provably never reached the server: its headers
       * never went out whole (so no server can have acted on it) and no byte of an answer came
       * back. Once, and never after a cancellation. */
      if (!data->idempotent && !data->request_written && !data->answer_started && !data->resent &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          g_debug ("POST %s was never sent (%s): sending it again", data->url, error->message);
          data->resent = TRUE;
          request_send (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (data->message);
  g_debug ("POST %s → %u (%" G_GSIZE_FORMAT " bytes)", data->url, status, g_bytes_get_size (body));

  if (status == SOUP_STATUS_UNAUTHORIZED && !data->retried)
    {
      g_autoptr (GError) auth_error = drs_http_error_from_response (data->message, body);

      if (drs_credentials_reject_token (data->client->credentials, data->message, auth_error))
        {
          data->retried = TRUE;
          request_send (g_steal_pointer (&task));
          return;
        }
    }

  response = g_new0 (DrsResponse, 1);
  response->message = g_object_ref (data->message);
  response->body = g_steal_pointer (&body);
  g_task_return_pointer (task, response, (GDestroyNotify) _drs_response_free);
}

static void
on_request_authorized (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RequestData  *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GError) error = NULL;

  if (!drs_credentials_authorize_finish (DRS_CREDENTIALS (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  drs_http_send_async (data->session, data->message, data->client->max_response,
                       data->client->timeout_s, cancellable, on_request_sent,
                       g_steal_pointer (&task));
}

static void
request_send (GTask *task)
{
  RequestData        *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  if (data->message != NULL)
    g_signal_handlers_disconnect_by_data (data->message, data);
  g_clear_object (&data->message);
  data->message = soup_message_new (SOUP_METHOD_POST, data->url);
  g_assert (data->message != NULL);
  data->attempts++;
  data->request_written = FALSE;
  data->answer_started = FALSE;
  if (data->idempotent)
    /* Idempotent, so that libsoup reuses kept-alive connections for the POST; never follow a
     * redirect, which could lead to another host or to plain http. */
    soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT);
  else
    {
      /* An action: a fresh connection, so libsoup never sends it again by itself after a
       * kept-alive connection turns out closed; we watch what went out and what came back. */
      soup_message_add_flags (data->message,
                              SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_NEW_CONNECTION);
      g_signal_connect_swapped (data->message, "wrote-headers", G_CALLBACK (on_wrote_headers),
                                data);
      g_signal_connect_swapped (data->message, "got-informational", G_CALLBACK (on_answer_started),
                                data);
      g_signal_connect_swapped (data->message, "got-headers", G_CALLBACK (on_answer_started), data);
    }
  headers = soup_message_get_request_headers (data->message);
  soup_message_headers_replace (headers, "X-Language", data->client->language);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (data->body != NULL)
    soup_message_set_request_body_from_bytes (data->message, "application/json", data->body);

  if (drs_credentials_try_authorize (data->client->credentials, data->message, data->body,
                                     data->client->project_id))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      drs_http_send_async (data->session, data->message, data->client->max_response,
                           data->client->timeout_s, cancellable, on_request_sent, task);
      return;
    }

  /* Not AK/SK, which signs at once: a token to wait for. */
  drs_credentials_authorize_async (data->client->credentials, data->session, data->message,
                                   g_task_get_cancellable (task), on_request_authorized, task);
}

/**
 * _drs_client_post_async:
 * @path: below `/v3/{project_id}/`
 * @body: (nullable): the JSON body
 * @idempotent: %FALSE for an action: it goes out on a fresh connection and is sent again (once)
 *   only when it provably never reached the server (see _drs_client_post_finish())
 *
 * One POST with the client's transport, authentication, `X-Language`, timeout and cap: every
 * DRS call the client makes is one.
 */
void
_drs_client_post_async (DrsClient          *self,
                        const char         *path,
                        GBytes             *body,
                        gboolean            idempotent,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autofree char *project = g_uri_escape_string (self->project_id, NULL, FALSE);
  GTask           *task = g_task_new (self, cancellable, callback, user_data);
  RequestData     *data = g_new0 (RequestData, 1);

  g_task_set_source_tag (task, _drs_client_post_async);
  data->client = g_object_ref (self);
  data->session = g_object_ref (get_session (self));
  data->url = g_strdup_printf ("%s/v3/%s/%s", self->endpoint, project, path);
  data->body = body ? g_bytes_ref (body) : NULL;
  data->idempotent = idempotent;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  request_send (task);
}

/**
 * _drs_client_post_finish:
 * @attempts: (out) (optional): how many times the request was sent (a resend after a refused
 *   token or after a connection that never carried it counts)
 * @maybe_received: (out) (optional): on a transport error, %FALSE when the server provably
 *   never received the request whole; %TRUE when it may have (and may have acted on it)
 *
 * Returns: (transfer full) (nullable): the answer whatever its status, or %NULL with a transport
 *   error
 */
DrsResponse *
_drs_client_post_finish (DrsClient    *self,
                         GAsyncResult *result,
                         guint        *attempts,
                         gboolean     *maybe_received,
                         GError      **error)
{
  RequestData *data = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (attempts != NULL)
    *attempts = data->attempts;
  if (maybe_received != NULL)
    *maybe_received = data->request_written || data->answer_started;
  return g_task_propagate_pointer (G_TASK (result), error);
}

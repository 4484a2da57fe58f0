/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-http"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-endpoint.h"
#include "drs-error.h"
#include "drs-http.h"
#include "drs-progress-parser.h"

#define READ_CHUNK (64 * 1024)

/**
 * drs_http_get_user_agent:
 *
 * Returns: `drs-monitor/VERSION`
 */
const char *
drs_http_get_user_agent (void)
{
  return "drs-monitor/" PACKAGE_VERSION;
}

/**
 * drs_http_session_new:
 * @concurrency: how many connections to one host may be open (and reused) at once
 * @tls_database: (nullable): the certificate authorities to trust instead of the system's
 *
 * Returns: (transfer full): a session that sends our `User-Agent`, never uses a proxy resolver's
 *   guess for loopback, and keeps @concurrency connections per host alive
 */
SoupSession *
drs_http_session_new (guint concurrency, guint timeout_s, GTlsDatabase *tls_database)
{
  SoupSession *session;

  concurrency = MAX (concurrency, 1);
  session = soup_session_new_with_options (
      "max-conns-per-host", (int) concurrency, "max-conns", (int) MAX (concurrency * 2, 10),
      "timeout", timeout_s, "idle-timeout", 60, "user-agent", drs_http_get_user_agent (), NULL);
  if (tls_database != NULL)
    soup_session_set_tls_database (session, tls_database);
  return session;
}

/**
 * drs_http_parse_retry_after:
 * @value: (nullable): a `Retry-After` header: seconds or an HTTP date
 * @now_us: the current real time, for dates
 *
 * Returns: seconds to wait (0 or more), or -1 when @value is missing or unreadable
 */
gint64
drs_http_parse_retry_after (const char *value, gint64 now_us)
{
  g_autoptr (GDateTime) date = NULL;
  const char *p;
  gint64      seconds;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  if (*value == '\0')
    return -1;

  for (p = value; g_ascii_isdigit (*p); p++)
    ;
  if (p > value)
    {
      while (g_ascii_isspace (*p))
        p++;
      if (*p != '\0' || p - value > 9)
        return -1;
      seconds = g_ascii_strtoll (value, NULL, 10);
      return seconds;
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  seconds = g_date_time_to_unix (date) - now_us / G_USEC_PER_SEC;
  return MAX (seconds, 0);
}

/**
 * drs_http_map_transport_error:
 * @error: what GIO, the TLS backend or libsoup reported
 * @uri: (nullable): the address that was asked
 *
 * Returns: (transfer full): @error as a %DRS_ERROR with a translated sentence naming the host;
 *   cancellation is passed through unchanged
 */
GError *
drs_http_map_transport_error (const GError *error, GUri *uri)
{
  const char      *host = uri ? g_uri_get_host (uri) : NULL;
  DrsErrorCode     code = DRS_ERROR_NETWORK;
  g_autofree char *sentence = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || error->domain == DRS_ERROR)
    return g_error_copy (error);

  if (host == NULL)
    host = "?";

  if (error->domain == G_TLS_ERROR)
    {
      code = DRS_ERROR_TLS;
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        /* Translators: %s is a host name */
        sentence = g_strdup_printf (_ ("The certificate of %s is not trusted: it is not signed by "
                                       "a known certificate authority, has expired, or names "
                                       "another host. If the server uses a private authority, "
                                       "pass it with --ca-file."),
                                    host);
      else
        sentence = g_strdup_printf (_ ("The secure connection to %s failed."), host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      code = DRS_ERROR_TIMEOUT;
      sentence = g_strdup_printf (_ ("%s did not answer in time."), host);
    }
  else if (error->domain == G_RESOLVER_ERROR)
    sentence = g_strdup_printf (_ ("The host name %s could not be resolved."), host);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    sentence = g_strdup_printf (_ ("%s refused the connection."), host);
  else if (error->domain == SOUP_SESSION_ERROR)
    {
      code = DRS_ERROR_PROTOCOL;
      sentence = g_strdup_printf (_ ("%s sent an answer that is not valid HTTP."), host);
    }
  else
    sentence = g_strdup_printf (_ ("The connection to %s failed."), host);

  return g_error_new (DRS_ERROR, code, "%s (%s)", sentence, error->message);
}

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  GCancellable *cancellable; /* ours: the caller's or the timeout cancel it */
  GCancellable *caller_cancellable;
  gulong        cancel_handler;
  GSource      *timeout_source;
  gsize         max_body;
  guint         timeout_s;
  gboolean      timed_out;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_signal_handler (&data->cancel_handler, data->caller_cancellable);
  if (data->timeout_source != NULL)
    {
      g_source_destroy (data->timeout_source);
      g_source_unref (data->timeout_source);
    }
  g_clear_object (&data->message);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, g_byte_array_unref);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->caller_cancellable);
  g_free (data);
}

static gboolean
on_timeout (gpointer user_data)
{
  SendData *data = user_data;

  data->timed_out = TRUE;
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller, GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void
return_error (GTask *task, const GError *error)
{
  SendData *data = g_task_get_task_data (task);

  if (data->timed_out && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (data->caller_cancellable))
    {
      GUri *uri = soup_message_get_uri (data->message);

      g_task_return_new_error (
          task, DRS_ERROR, DRS_ERROR_TIMEOUT,
          g_dngettext (GETTEXT_PACKAGE, "%s did not send a complete answer within %u second.",
                       "%s did not send a complete answer within %u seconds.", data->timeout_s),
          g_uri_get_host (uri), data->timeout_s);
      return;
    }

  g_task_return_error (task,
                       drs_http_map_transport_error (error, soup_message_get_uri (data->message)));
}

static void
return_too_large (GTask *task, gsize max_body)
{
  g_autofree char *size = g_format_size_full (max_body, G_FORMAT_SIZE_IEC_UNITS);

  /* Translators: %s is a size such as “8.0 MiB” */
  g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_PROTOCOL,
                           _ ("The server’s response is larger than %s; it was not read."), size);
}

static void read_next (GTask *task);

static void
on_read (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      return_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      GByteArray *body = g_steal_pointer (&data->body);

      g_task_return_pointer (task, g_byte_array_free_to_bytes (body),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (data->body->len + g_bytes_get_size (chunk) > data->max_body)
    {
      return_too_large (task, data->max_body);
      return;
    }

  g_byte_array_append (data->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT, data->cancellable,
                                   on_read, task);
}

static void
on_sent (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;
  goffset             length;

  data->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (data->stream == NULL)
    {
      return_error (task, error);
      return;
    }

  headers = soup_message_get_response_headers (data->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      length = soup_message_headers_get_content_length (headers);
      if (length > (goffset) data->max_body)
        {
          return_too_large (task, data->max_body);
          return;
        }
      data->body = g_byte_array_sized_new ((guint) length);
    }
  else
    data->body = g_byte_array_new ();

  read_next (g_steal_pointer (&task));
}

/**
 * drs_http_send_async:
 * @max_body: the largest body to read; a `Content-Length` above it fails before reading, a
 *   stream that grows past it fails as soon as it does
 * @timeout_s: the whole exchange, connect to last byte, must finish in this many seconds
 *   (0 = no limit)
 *
 * Sends @message and reads its body, whatever the status. Errors are transport errors only,
 * already mapped into %DRS_ERROR (or %G_IO_ERROR_CANCELLED).
 */
void
drs_http_send_async (SoupSession        *session,
                     SoupMessage        *message,
                     gsize               max_body,
                     guint               timeout_s,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  SendData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task = g_task_new (session, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_http_send_async);
  /* Our own result decides; a caller's cancellation arrives through our cancellable. */
  g_task_set_check_cancellable (task, FALSE);

  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->max_body = max_body;
  data->timeout_s = timeout_s;
  data->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      /* A plain signal, not g_cancellable_connect(): we may finish, and disconnect, inside its
       * emission. */
      data->cancel_handler = g_signal_connect (cancellable, "cancelled",
                                               G_CALLBACK (on_caller_cancelled), data->cancellable);
      if (g_cancellable_is_cancelled (cancellable))
        g_cancellable_cancel (data->cancellable);
    }
  if (timeout_s > 0)
    {
      data->timeout_source = g_timeout_source_new_seconds (timeout_s);
      g_source_set_callback (data->timeout_source, on_timeout, data, NULL);
      g_source_attach (data->timeout_source, g_main_context_get_thread_default ());
    }

  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, data->cancellable, on_sent,
                           g_steal_pointer (&task));
}

/**
 * drs_http_send_finish:
 *
 * Returns: (transfer full): the whole body (possibly empty), or %NULL with @error
 */
GBytes *
drs_http_send_finish (SoupSession *session, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, session), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * drs_http_error_from_response:
 * @body: (nullable): the response body
 *
 * Returns: (transfer full): the error a non-2xx response stands for, with the server's code,
 *   message, `X-Request-Id` and `Retry-After`
 */
GError *
drs_http_error_from_response (SoupMessage *message, GBytes *body)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char         *request_id = soup_message_headers_get_one (headers, "X-Request-Id");
  guint               status = soup_message_get_status (message);
  gsize               len = 0;
  const char         *data = body ? g_bytes_get_data (body, &len) : NULL;
  GError             *error;
  gint64              retry_after;

  error = drs_progress_parse_error_body (data, len, status, request_id);
  if (error->domain == DRS_ERROR && drs_error_get_request_id (error) == NULL && request_id != NULL)
    drs_error_set_details (error, drs_error_get_http_status (error),
                           drs_error_get_server_code (error), drs_error_get_server_message (error),
                           request_id);

  retry_after = drs_http_parse_retry_after (soup_message_headers_get_one (headers, "Retry-After"),
                                            g_get_real_time ());
  if (retry_after >= 0 && error->domain == DRS_ERROR)
    drs_error_set_retry_after (error, retry_after);
  return error;
}

/**
 * drs_http_check_status:
 * @message: a message that was answered
 * @body: (nullable): the response body
 *
 * Returns: %TRUE when @message's status is 2xx; otherwise %FALSE with the error the answer
 *   stands for (drs_http_error_from_response())
 */
gboolean
drs_http_check_status (SoupMessage *message, GBytes *body, GError **error)
{
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), FALSE);

  if (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    return TRUE;
  g_propagate_error (error, drs_http_error_from_response (message, body));
  return FALSE;
}

/**
 * drs_http_new_iam_message:
 * @method: `GET` or `POST`
 * @iam_endpoint: the IAM base URL as configured, e.g. `https://iam.cn-north-4.myhuaweicloud.com`;
 *   checked as drs_endpoint_normalize() checks it
 * @path: what follows it, query included: `/v3/…`
 *
 * Returns: (transfer full) (nullable): a message that never follows a redirect, or %NULL with
 *   %DRS_ERROR_INVALID
 */
SoupMessage *
drs_http_new_iam_message (const char *method,
                          const char *iam_endpoint,
                          const char *path,
                          GError    **error)
{
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  SoupMessage     *message;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (iam_endpoint != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  base = drs_endpoint_normalize (iam_endpoint, error);
  if (base == NULL)
    return NULL;
  url = g_strconcat (base, path, NULL);
  message = soup_message_new (method, url);
  if (message == NULL)
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID, _ ("“%s” is not a valid IAM endpoint."),
                   iam_endpoint);
      return NULL;
    }
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  return message;
}

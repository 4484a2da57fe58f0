/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-error.h"

typedef struct
{
  guint  http_status;
  char  *server_code;
  char  *server_message;
  char  *request_id;
  gint64 retry_after_s;
} DrsErrorPrivate;

static void
drs_error_private_init (DrsErrorPrivate *priv)
{
  priv->retry_after_s = -1;
}

static void
drs_error_private_copy (const DrsErrorPrivate *src, DrsErrorPrivate *dest)
{
  dest->http_status = src->http_status;
  dest->server_code = g_strdup (src->server_code);
  dest->server_message = g_strdup (src->server_message);
  dest->request_id = g_strdup (src->request_id);
  dest->retry_after_s = src->retry_after_s;
}

static void
drs_error_private_clear (DrsErrorPrivate *priv)
{
  g_clear_pointer (&priv->server_code, g_free);
  g_clear_pointer (&priv->server_message, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

G_DEFINE_EXTENDED_ERROR (DrsError, drs_error)

static DrsErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != DRS_ERROR)
    return NULL;
  return drs_error_get_private (error);
}

/**
 * drs_error_set_details:
 * @error: a #GError in the %DRS_ERROR domain
 *
 * Attaches what the server said to @error so that it can be shown and quoted to support.
 */
void
drs_error_set_details (GError     *error,
                       guint       http_status,
                       const char *server_code,
                       const char *server_message,
                       const char *request_id)
{
  DrsErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);

  priv->http_status = http_status;
  g_free (priv->server_code);
  priv->server_code = g_strdup (server_code);
  g_free (priv->server_message);
  priv->server_message = g_strdup (server_message);
  g_free (priv->request_id);
  priv->request_id = g_strdup (request_id);
}

void
drs_error_set_retry_after (GError *error, gint64 retry_after_s)
{
  DrsErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);
  priv->retry_after_s = retry_after_s;
}

guint
drs_error_get_http_status (const GError *error)
{
  DrsErrorPrivate *priv = get_private (error);
  return priv ? priv->http_status : 0;
}

const char *
drs_error_get_server_code (const GError *error)
{
  DrsErrorPrivate *priv = get_private (error);
  return priv ? priv->server_code : NULL;
}

const char *
drs_error_get_server_message (const GError *error)
{
  DrsErrorPrivate *priv = get_private (error);
  return priv ? priv->server_message : NULL;
}

const char *
drs_error_get_request_id (const GError *error)
{
  DrsErrorPrivate *priv = get_private (error);
  return priv ? priv->request_id : NULL;
}

/**
 * drs_error_get_retry_after:
 *
 * Returns: the seconds the server asked us to wait (`Retry-After`), or -1
 */
gint64
drs_error_get_retry_after (const GError *error)
{
  DrsErrorPrivate *priv = get_private (error);
  return priv ? priv->retry_after_s : -1;
}

static gboolean
code_has_suffix (const char *code, const char *family, const char *number)
{
  gsize flen = strlen (family);
  return g_ascii_strncasecmp (code, family, flen) == 0 && g_strcmp0 (code + flen, number) == 0;
}

static gboolean
is_gateway (const char *code, const char *number)
{
  return code_has_suffix (code, "APIGW.", number) || code_has_suffix (code, "APIG.", number);
}

static gboolean
is_drs (const char *code, const char *number)
{
  return code_has_suffix (code, "DRS.", number);
}

/**
 * drs_error_code_classify:
 * @http_status: the HTTP status, or 0 when there was none
 * @server_code: (nullable): the server's error code, e.g. `APIGW.0308` or `DRS.M05003`
 *
 * Codes are matched by family first (FACTS §3), the HTTP status decides the rest.
 */
DrsErrorCode
drs_error_code_classify (guint http_status, const char *server_code)
{
  if (server_code != NULL && *server_code != '\0')
    {
      if (is_gateway (server_code, "0301") || is_gateway (server_code, "0307") ||
          is_drs (server_code, "M00100"))
        return DRS_ERROR_AUTH;
      if (is_gateway (server_code, "0302") || is_gateway (server_code, "0306") ||
          is_drs (server_code, "M00102") || is_drs (server_code, "M00103") ||
          is_drs (server_code, "M00261"))
        return DRS_ERROR_FORBIDDEN;
      if (is_gateway (server_code, "0308") || is_drs (server_code, "M01503"))
        return DRS_ERROR_THROTTLED;
      if (is_gateway (server_code, "0101") || is_drs (server_code, "M05003") ||
          is_drs (server_code, "M05004") || is_drs (server_code, "M00289"))
        return DRS_ERROR_NOT_FOUND;
      if (is_gateway (server_code, "0610") || is_gateway (server_code, "0613") ||
          is_drs (server_code, "M00004") || is_drs (server_code, "M01501"))
        return DRS_ERROR_SERVER;
      if (is_drs (server_code, "M00200") || is_drs (server_code, "M00201") ||
          is_drs (server_code, "M00202") || is_drs (server_code, "M00301"))
        return DRS_ERROR_BAD_REQUEST;
    }

  switch (http_status)
    {
      case 401:
        return DRS_ERROR_AUTH;
      case 403:
        return DRS_ERROR_FORBIDDEN;
      case 404:
      case 410:
        return DRS_ERROR_NOT_FOUND;
      case 408:
      case 504:
        return DRS_ERROR_TIMEOUT;
      case 429:
        return DRS_ERROR_THROTTLED;
      default:
        break;
    }

  if (http_status >= 400 && http_status < 500)
    return DRS_ERROR_BAD_REQUEST;
  if (http_status >= 500 && http_status < 600)
    return DRS_ERROR_SERVER;

  return DRS_ERROR_PROTOCOL;
}

/**
 * drs_error_code_to_string:
 *
 * Returns: a stable, untranslated name for scripts (`auth`, `throttled`, …)
 */
const char *
drs_error_code_to_string (DrsErrorCode code)
{
  static const char *const names[] = {
    [DRS_ERROR_AUTH] = "auth",
    [DRS_ERROR_FORBIDDEN] = "forbidden",
    [DRS_ERROR_THROTTLED] = "throttled",
    [DRS_ERROR_NOT_FOUND] = "not-found",
    [DRS_ERROR_BAD_REQUEST] = "bad-request",
    [DRS_ERROR_SERVER] = "server",
    [DRS_ERROR_NETWORK] = "network",
    [DRS_ERROR_TIMEOUT] = "timeout",
    [DRS_ERROR_TLS] = "tls",
    [DRS_ERROR_PROTOCOL] = "protocol",
    [DRS_ERROR_INVALID] = "invalid",
    [DRS_ERROR_STORAGE] = "storage",
  };

  if ((guint) code < G_N_ELEMENTS (names))
    return names[code];
  return "unknown";
}

/**
 * drs_error_code_describe:
 *
 * Returns: a translated sentence that says what failed and what fixes it
 */
const char *
drs_error_code_describe (DrsErrorCode code)
{
  switch (code)
    {
      case DRS_ERROR_AUTH:
        return _ (
            "The server did not accept the credentials. Check the account’s token, password or "
            "access keys.");
      case DRS_ERROR_FORBIDDEN:
        return _ ("The account may not read these tasks. Check the project ID and the user’s DRS "
                  "permissions.");
      case DRS_ERROR_THROTTLED:
        return _ ("The server is limiting requests. Monitoring slows down and retries by itself.");
      case DRS_ERROR_NOT_FOUND:
        return _ (
            "The server does not know this task or address. Check the task ID and the endpoint.");
      case DRS_ERROR_BAD_REQUEST:
        return _ ("The server rejected the request.");
      case DRS_ERROR_SERVER:
        return _ ("The DRS service reported an internal error. Monitoring retries by itself.");
      case DRS_ERROR_NETWORK:
        return _ ("Could not reach the server. Check the network connection and the endpoint.");
      case DRS_ERROR_TIMEOUT:
        return _ ("The server did not answer in time. Monitoring retries by itself.");
      case DRS_ERROR_TLS:
        return _ ("The server’s certificate is not trusted. Check the endpoint or its certificate "
                  "authority.");
      case DRS_ERROR_PROTOCOL:
        return _ ("The server sent an answer that is not a valid DRS response.");
      case DRS_ERROR_INVALID:
        return _ ("The input is not valid.");
      case DRS_ERROR_STORAGE:
        return _ ("The history database could not be used.");
      default:
        return _ ("Unknown error.");
    }
}

/**
 * drs_error_is_transient:
 *
 * Returns: %TRUE when retrying later, with backoff, may succeed
 */
gboolean
drs_error_is_transient (const GError *error)
{
  if (error == NULL || error->domain != DRS_ERROR)
    return FALSE;

  switch ((DrsErrorCode) error->code)
    {
      case DRS_ERROR_THROTTLED:
      case DRS_ERROR_SERVER:
      case DRS_ERROR_NETWORK:
      case DRS_ERROR_TIMEOUT:
      case DRS_ERROR_PROTOCOL:
        return TRUE;
      default:
        return FALSE;
    }
}

/**
 * drs_error_new_from_server:
 *
 * Returns: (transfer full): an error whose message is a translated sentence followed by the
 *   server's own code and message, with the details attached
 */
GError *
drs_error_new_from_server (guint       http_status,
                           const char *server_code,
                           const char *server_message,
                           const char *request_id)
{
  DrsErrorCode code = drs_error_code_classify (http_status, server_code);
  g_autoptr (GString) msg = g_string_new (drs_error_code_describe (code));
  GError *error;

  if (server_code != NULL && server_message != NULL)
    /* Translators: after our sentence, the server's error code and its own message */
    g_string_append_printf (msg, _ (" (%s: %s)"), server_code, server_message);
  else if (server_code != NULL)
    /* Translators: after our sentence, the server's error code or its own message */
    g_string_append_printf (msg, _ (" (%s)"), server_code);
  else if (server_message != NULL)
    g_string_append_printf (msg, _ (" (%s)"), server_message);
  else if (http_status != 0)
    /* Translators: %u is an HTTP status code such as 503 */
    g_string_append_printf (msg, _ (" (HTTP %u)"), http_status);

  error = g_error_new_literal (DRS_ERROR, code, msg->str);
  drs_error_set_details (error, http_status, server_code, server_message, request_id);
  return error;
}

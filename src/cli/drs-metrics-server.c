/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-exporter"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "drs-error.h"
#include "drs-metrics-server.h"

/**
 * DrsMetricsServer:
 *
 * The HTTP side of `drs-progress --serve`: `GET /metrics` answers at once with what the
 * #DrsExporter knows, in the format the client asks for (`Accept`: OpenMetrics 1.0.0 or the
 * text format 0.0.4); `/` is a page that points there. It listens on a loopback address unless
 * told otherwise.
 */

struct _DrsMetricsServer
{
  GObject parent_instance;

  /* owned */
  DrsExporter *exporter;
  SoupServer  *server;
  char        *url;
};

G_DEFINE_FINAL_TYPE (DrsMetricsServer, drs_metrics_server, G_TYPE_OBJECT)

#define LANDING_PAGE                                                          \
  "<!DOCTYPE html>\n<html><head><title>DRS exporter</title></head><body>\n"   \
  "<h1>DRS exporter</h1>\n<p>Task state of Huawei Cloud DRS for Prometheus: " \
  "<a href=\"/metrics\">/metrics</a>.</p>\n</body></html>\n"

static void
answer_text (SoupServerMessage *msg, guint status, const char *type, const char *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, text, strlen (text));
}

static void
metrics_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  DrsMetricsServer   *self = user_data;
  const char         *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autoptr (GBytes) body = NULL;
  DrsMetricsFormat format;

  if (!g_str_equal (path, "/metrics") && !g_str_equal (path, "/"))
    {
      answer_text (msg, SOUP_STATUS_NOT_FOUND, "text/plain; charset=utf-8",
                   "Not found: see /metrics\n");
      return;
    }
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (response, "Allow", "GET, HEAD");
      answer_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                   "Method not allowed\n");
      return;
    }
  if (g_str_equal (path, "/"))
    {
      answer_text (msg, SOUP_STATUS_OK, "text/html; charset=utf-8", LANDING_PAGE);
      return;
    }

  format = drs_metrics_format_negotiate (soup_message_headers_get_list (request, "Accept"));
  drs_exporter_count_scrape (self->exporter, format);
  body = drs_exporter_render (self->exporter, format);

  soup_message_headers_replace (response, "Vary", "Accept");
  soup_message_headers_replace (response, "Cache-Control", "no-store");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, drs_metrics_format_content_type (format), SOUP_MEMORY_COPY,
                                    NULL, 0);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
}

/**
 * drs_metrics_server_parse_address:
 * @host_port: `HOST:PORT`, `[IPV6]:PORT` or `:PORT` (127.0.0.1); HOST is an IP address or
 *   `localhost`
 * @listen_any: accept addresses that are not loopback (`--listen-any`)
 * @address: (out): the address to listen on
 *
 * Returns: %TRUE, or %FALSE with a translated %DRS_ERROR_INVALID that says what was wrong
 */
gboolean
drs_metrics_server_parse_address (const char          *host_port,
                                  gboolean             listen_any,
                                  GInetSocketAddress **address,
                                  GError             **error)
{
  g_autofree char *host = NULL;
  g_autoptr (GInetAddress) inet = NULL;
  const char *colon;
  const char *port_text;
  guint64     port;
  char       *end = NULL;

  g_return_val_if_fail (host_port != NULL, FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (host_port[0] == '[')
    {
      const char *close = strchr (host_port, ']');

      if (close == NULL || close[1] != ':')
        goto bad;
      host = g_strndup (host_port + 1, close - host_port - 1);
      port_text = close + 2;
    }
  else
    {
      colon = strrchr (host_port, ':');
      if (colon == NULL || memchr (host_port, ':', colon - host_port) != NULL)
        goto bad;
      host = g_strndup (host_port, colon - host_port);
      port_text = colon + 1;
    }

  port = g_ascii_strtoull (port_text, &end, 10);
  if (*port_text == '\0' || *end != '\0' || port > 65535 || !g_ascii_isdigit (*port_text))
    goto bad;

  if (*host == '\0' || g_ascii_strcasecmp (host, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                   _ ("“%s” is not an IP address: give one, such as 127.0.0.1, or localhost."),
                   host);
      return FALSE;
    }
  if (!g_inet_address_get_is_loopback (inet) && !listen_any)
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                   _ ("%s is not a loopback address: the metrics would be open to the network. "
                      "Add --listen-any if that is what you want."),
                   host);
      return FALSE;
    }

  *address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (inet, (guint16) port));
  return TRUE;

bad:
  g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
               _ ("“%s” is not an address to listen on: use HOST:PORT, such as 127.0.0.1:%d."),
               host_port, DRS_METRICS_DEFAULT_PORT);
  return FALSE;
}

/**
 * drs_metrics_server_listen:
 * @host_port: see drs_metrics_server_parse_address(); port 0 picks a free one
 *
 * Returns: %TRUE when listening (see drs_metrics_server_get_url())
 */
gboolean
drs_metrics_server_listen (DrsMetricsServer *self,
                           const char       *host_port,
                           gboolean          listen_any,
                           GError          **error)
{
  g_autoptr (GInetSocketAddress) address = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoslist (GUri) uris = NULL;
  g_autofree char *host = NULL;
  GInetAddress    *inet;

  g_return_val_if_fail (DRS_IS_METRICS_SERVER (self), FALSE);
  g_return_val_if_fail (self->url == NULL, FALSE);

  if (!drs_metrics_server_parse_address (host_port, listen_any, &address, error))
    return FALSE;
  if (!soup_server_listen (self->server, G_SOCKET_ADDRESS (address), 0, &local_error))
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_NETWORK, _ ("Cannot listen on %s: %s"), host_port,
                   local_error->message);
      return FALSE;
    }

  uris = soup_server_get_uris (self->server);
  inet = g_inet_socket_address_get_address (address);
  host = g_inet_address_to_string (inet);
  self->url = g_strdup_printf (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
                                   ? "http://[%s]:%d/metrics"
                                   : "http://%s:%d/metrics",
                               host, g_uri_get_port (uris->data));
  return TRUE;
}

/**
 * drs_metrics_server_get_url:
 *
 * Returns: (nullable): the URL of `/metrics` once listening
 */
const char *
drs_metrics_server_get_url (DrsMetricsServer *self)
{
  g_return_val_if_fail (DRS_IS_METRICS_SERVER (self), NULL);
  return self->url;
}

static void
drs_metrics_server_dispose (GObject *object)
{
  DrsMetricsServer *self = (DrsMetricsServer *) object;

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->exporter);
  g_clear_pointer (&self->url, g_free);

  G_OBJECT_CLASS (drs_metrics_server_parent_class)->dispose (object);
}

static void
drs_metrics_server_class_init (DrsMetricsServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = drs_metrics_server_dispose;
}

static void
drs_metrics_server_init (DrsMetricsServer *self)
{
  self->server = soup_server_new ("server-header", "drs-exporter ", NULL);
  soup_server_add_handler (self->server, NULL, metrics_cb, self, NULL);
}

/**
 * drs_metrics_server_new:
 *
 * Returns: (transfer full): a server, not listening yet
 */
DrsMetricsServer *
drs_metrics_server_new (DrsExporter *exporter)
{
  DrsMetricsServer *self;

  g_return_val_if_fail (DRS_IS_EXPORTER (exporter), NULL);

  self = g_object_new (DRS_TYPE_METRICS_SERVER, NULL);
  self->exporter = g_object_ref (exporter);
  return self;
}

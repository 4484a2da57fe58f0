/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-signer"

#include "config.h"

#include "drs-signer.h"

/* FACTS §5: the APIG `SDK-HMAC-SHA256` request signature of the official Huawei Cloud SDKs. */

/* RFC 3986 percent-encoding: everything but the unreserved characters, in upper-case hex. */
static void
append_escaped (GString *out, const char *text, gsize len)
{
  static const char hex[] = "0123456789ABCDEF";

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];

      if (g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.' || c == '~')
        g_string_append_c (out, (char) c);
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[c >> 4]);
          g_string_append_c (out, hex[c & 0xf]);
        }
    }
}

/* Each segment of the decoded path escaped, and a trailing `/` appended (the sent URL has none). */
static void
append_canonical_uri (GString *out, const char *path)
{
  g_auto (GStrv) segments = NULL;

  if (path == NULL || *path == '\0')
    path = "/";
  segments = g_strsplit (path, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autofree char *decoded = g_uri_unescape_string (segments[i], NULL);
      const char      *seg = decoded ? decoded : segments[i];

      if (i > 0)
        g_string_append_c (out, '/');
      append_escaped (out, seg, strlen (seg));
    }
  if (out->len == 0 || out->str[out->len - 1] != '/')
    g_string_append_c (out, '/');
}

typedef struct
{
  char *key;
  char *value;
} QueryPair;

static int
compare_pairs (gconstpointer a, gconstpointer b)
{
  const QueryPair *pa = a, *pb = b;
  int              c = strcmp (pa->key, pb->key);

  return c != 0 ? c : strcmp (pa->value, pb->value);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
query_unescape (const char *text, gsize len)
{
  g_autofree char *plus = g_strndup (text, len);
  char            *decoded;

  g_strdelimit (plus, "+", ' ');
  decoded = g_uri_unescape_string (plus, NULL);
  return decoded ? decoded : g_steal_pointer (&plus);
}

/* Pairs sorted by key then value, each side escaped, joined by `&`. */
static void
append_canonical_query (GString *out, const char *query)
{
  g_autoptr (GArray) pairs = NULL;
  g_auto (GStrv) parts = NULL;

  if (query == NULL || *query == '\0')
    return;

  pairs = g_array_new (FALSE, FALSE, sizeof (QueryPair));
  parts = g_strsplit (query, "&", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *eq = strchr (parts[i], '=');
      QueryPair   pair;

      if (parts[i][0] == '\0')
        continue;
      if (eq != NULL)
        {
          pair.key = query_unescape (parts[i], eq - parts[i]);
          pair.value = query_unescape (eq + 1, strlen (eq + 1));
        }
      else
        {
          pair.key = query_unescape (parts[i], strlen (parts[i]));
          pair.value = g_strdup ("");
        }
      g_array_append_val (pairs, pair);
    }
  g_array_sort (pairs, compare_pairs);

  for (guint i = 0; i < pairs->len; i++)
    {
      QueryPair *pair = &g_array_index (pairs, QueryPair, i);

      if (i > 0)
        g_string_append_c (out, '&');
      append_escaped (out, pair->key, strlen (pair->key));
      g_string_append_c (out, '=');
      append_escaped (out, pair->value, strlen (pair->value));
      g_free (pair->key);
      g_free (pair->value);
    }
}

/**
 * drs_signer_format_date:
 *
 * Returns: (transfer full): @time in UTC as `X-Sdk-Date` wants it: `20240101T000000Z`
 */
char *
drs_signer_format_date (GDateTime *time)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
}

/**
 * drs_signer_canonical_request:
 * @headers: the headers to sign, all of them: `Host` and `X-Sdk-Date` among them
 * @body: (nullable): the exact body bytes that are sent
 * @signed_headers: (out) (optional) (transfer full): the `SignedHeaders` list
 *
 * Returns: (transfer full): the canonical request (FACTS §5 step 3)
 */
char *
drs_signer_canonical_request (
    const char *method, GUri *uri, SoupMessageHeaders *headers, GBytes *body, char **signed_headers)
{
  g_autoptr (GString) out = g_string_new (method);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) signed_list = g_string_new (NULL);
  g_autofree char       *body_hash = NULL;
  SoupMessageHeadersIter iter;
  const char            *name, *value;

  g_string_append_c (out, '\n');
  append_canonical_uri (out, g_uri_get_path (uri));
  g_string_append_c (out, '\n');
  append_canonical_query (out, g_uri_get_query (uri));
  g_string_append_c (out, '\n');

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      char    *lower = g_ascii_strdown (name, -1);
      gboolean seen = FALSE;

      /* Headers the transport manages are not signed, as in the official SDKs. */
      if (g_str_equal (lower, "content-length") || g_str_equal (lower, "authorization") ||
          g_str_equal (lower, "user-agent") || g_str_equal (lower, "accept-encoding") ||
          g_str_equal (lower, "connection"))
        {
          g_free (lower);
          continue;
        }

      for (guint i = 0; i < names->len && !seen; i++)
        seen = g_str_equal (names->pdata[i], lower);
      if (seen)
        g_free (lower);
      else
        g_ptr_array_add (names, lower);
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char      *lname = names->pdata[i];
      const char      *list = soup_message_headers_get_list (headers, lname);
      g_autofree char *trimmed = g_strstrip (g_strdup (list ? list : ""));

      g_string_append_printf (out, "%s:%s\n", lname, trimmed);
      if (i > 0)
        g_string_append_c (signed_list, ';');
      g_string_append (signed_list, lname);
    }
  g_string_append_c (out, '\n');
  g_string_append (out, signed_list->str);
  g_string_append_c (out, '\n');

  if (body != NULL)
    body_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  else
    body_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) "", 0);
  g_string_append (out, body_hash);

  if (signed_headers != NULL)
    *signed_headers = g_strdup (signed_list->str);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * drs_signer_authorization:
 * @headers: the headers to sign, including `Host` and `X-Sdk-Date`
 *
 * Returns: (transfer full): the value of the `Authorization` header
 */
char *
drs_signer_authorization (const char         *ak,
                          const char         *sk,
                          const char         *method,
                          GUri               *uri,
                          SoupMessageHeaders *headers,
                          GBytes             *body)
{
  g_autofree char *signed_headers = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_hash = NULL;
  g_autofree char *string_to_sign = NULL;
  g_autofree char *signature = NULL;
  const char      *date;

  g_return_val_if_fail (ak != NULL && sk != NULL, NULL);

  date = soup_message_headers_get_one (headers, "X-Sdk-Date");
  g_return_val_if_fail (date != NULL, NULL);

  canonical = drs_signer_canonical_request (method, uri, headers, body, &signed_headers);
  canonical_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical, -1);
  string_to_sign = g_strdup_printf (DRS_SIGNER_ALGORITHM "\n%s\n%s", date, canonical_hash);
  signature = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) sk, strlen (sk),
                                         string_to_sign, -1);

  return g_strdup_printf (DRS_SIGNER_ALGORITHM " Access=%s, SignedHeaders=%s, Signature=%s", ak,
                          signed_headers, signature);
}

static char *
host_header (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  int         port = g_uri_get_port (uri);
  const char *scheme = g_uri_get_scheme (uri);
  gboolean    ipv6 = strchr (host, ':') != NULL;
  int         default_port = g_ascii_strcasecmp (scheme, "https") == 0 ? 443 : 80;

  if (port > 0 && port != default_port)
    return g_strdup_printf (ipv6 ? "[%s]:%d" : "%s:%d", host, port);
  return g_strdup_printf (ipv6 ? "[%s]" : "%s", host);
}

/**
 * drs_signer_sign_message:
 * @body: (nullable): the exact bytes set as the request body
 * @now: the signing time
 *
 * Adds `Host`, `X-Sdk-Date`, `X-Project-Id` and `Authorization` to @message, signing every
 * header it carries at this point.
 */
void
drs_signer_sign_message (SoupMessage *message,
                         const char  *ak,
                         const char  *sk,
                         const char  *project_id,
                         GBytes      *body,
                         GDateTime   *now)
{
  SoupMessageHeaders *headers;
  GUri               *uri;
  g_autofree char    *date = NULL;
  g_autofree char    *host = NULL;
  g_autofree char    *authorization = NULL;

  g_return_if_fail (SOUP_IS_MESSAGE (message));

  headers = soup_message_get_request_headers (message);
  uri = soup_message_get_uri (message);
  date = drs_signer_format_date (now);
  host = host_header (uri);

  soup_message_headers_remove (headers, "Authorization");
  soup_message_headers_replace (headers, "Host", host);
  soup_message_headers_replace (headers, "X-Sdk-Date", date);
  if (project_id != NULL)
    soup_message_headers_replace (headers, "X-Project-Id", project_id);

  authorization =
      drs_signer_authorization (ak, sk, soup_message_get_method (message), uri, headers, body);
  soup_message_headers_replace (headers, "Authorization", authorization);
}

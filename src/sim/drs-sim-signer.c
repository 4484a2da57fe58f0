/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-sim-signer"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drs-sim-signer.h"

/*
 * Verification side of Huawei Cloud's `SDK-HMAC-SHA256` request signing (APIG signer):
 *
 *   CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n
 *                      SignedHeaders \n hex(sha256(body))
 *   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n hex(sha256(CanonicalRequest))
 *   Signature        = hex(HMAC-SHA256(SK, StringToSign))
 *
 * CanonicalURI: every path segment RFC 3986-encoded, with a trailing '/' appended.
 * CanonicalQuery: keys sorted, `k=v` encoded, joined with '&'.
 * CanonicalHeaders: `name:trimmed value\n` for each signed header, names lower-case and sorted.
 */

static char *
rfc3986_escape (const char *raw)
{
  /* g_uri_escape_string() with no reserved characters allowed keeps exactly the RFC 3986
   * unreserved set: ALPHA / DIGIT / "-" / "." / "_" / "~". */
  return g_uri_escape_string (raw, NULL, FALSE);
}

/**
 * drs_sim_sign_canonical_uri:
 * @path: the request path as sent (percent-encoded)
 *
 * Returns: (transfer full): the canonical URI, ending with '/'
 */
char *
drs_sim_sign_canonical_uri (const char *path)
{
  g_auto (GStrv) segments = NULL;
  GString *out = g_string_new (NULL);

  if (path == NULL || *path == '\0')
    path = "/";
  segments = g_strsplit (path, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      g_autofree char *raw = g_uri_unescape_string (segments[i], NULL);
      g_autofree char *escaped = rfc3986_escape (raw != NULL ? raw : segments[i]);

      if (i > 0)
        g_string_append_c (out, '/');
      g_string_append (out, escaped);
    }
  if (out->len == 0 || out->str[out->len - 1] != '/')
    g_string_append_c (out, '/');
  return g_string_free (out, FALSE);
}

static int
compare_pairs (gconstpointer a, gconstpointer b)
{
  const char *const *pa = a;
  const char *const *pb = b;
  int                cmp = strcmp (pa[0], pb[0]);

  return cmp != 0 ? cmp : strcmp (pa[1], pb[1]);
}

/**
 * drs_sim_sign_canonical_query:
 * @query: (nullable): the raw query string, without '?'
 *
 * Returns: (transfer full): the canonical query string (empty when there is none)
 */
char *
drs_sim_sign_canonical_query (const char *query)
{
  g_auto (GStrv) parts = NULL;
  GString *out;
  guint    n = 0;
  char   **flat;

  if (query == NULL || *query == '\0')
    return g_strdup ("");

  parts = g_strsplit (query, "&", -1);
  n = g_strv_length (parts);
  /* Pairs of (escaped key, escaped value), sorted by key then value. */
  flat = g_new0 (char *, 2 * n + 1);
  for (guint i = 0; i < n; i++)
    {
      const char      *eq = strchr (parts[i], '=');
      g_autofree char *key = eq ? g_strndup (parts[i], eq - parts[i]) : g_strdup (parts[i]);
      g_autofree char *raw_key = g_uri_unescape_string (key, NULL);
      g_autofree char *raw_value = g_uri_unescape_string (eq ? eq + 1 : "", NULL);

      flat[2 * i] = rfc3986_escape (raw_key != NULL ? raw_key : key);
      flat[2 * i + 1] = rfc3986_escape (raw_value != NULL ? raw_value : (eq ? eq + 1 : ""));
    }

  {
    char *(*sorted)[2] = (char *(*) [2]) flat;

    qsort (sorted, n, sizeof (char *[2]), compare_pairs);
  }

  out = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      if (flat[2 * i][0] == '\0' && flat[2 * i + 1][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append_printf (out, "%s=%s", flat[2 * i], flat[2 * i + 1]);
    }
  g_strfreev (flat);
  return g_string_free (out, FALSE);
}

/**
 * drs_sim_sign_canonical_request:
 * @signed_headers: lower-case header names, sorted
 * @body: (nullable): the exact body bytes
 *
 * Returns: (transfer full): the canonical request string
 */
char *
drs_sim_sign_canonical_request (const char         *method,
                                const char         *path,
                                const char         *query,
                                SoupMessageHeaders *headers,
                                const char *const  *signed_headers,
                                GBytes             *body)
{
  g_autofree char *uri = drs_sim_sign_canonical_uri (path);
  g_autofree char *canonical_query = drs_sim_sign_canonical_query (query);
  g_autofree char *signed_list = g_strjoinv (";", (char **) signed_headers);
  g_autofree char *body_hash = NULL;
  const char      *content_sha = soup_message_headers_get_one (headers, "X-Sdk-Content-Sha256");
  GString         *out = g_string_new (NULL);

  if (g_strcmp0 (content_sha, "UNSIGNED-PAYLOAD") == 0)
    body_hash = g_strdup ("UNSIGNED-PAYLOAD");
  else if (body != NULL)
    body_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  else
    body_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) "", 0);

  g_string_append_printf (out, "%s\n%s\n%s\n", method, uri, canonical_query);
  for (guint i = 0; signed_headers[i] != NULL; i++)
    {
      const char      *value = soup_message_headers_get_one (headers, signed_headers[i]);
      g_autofree char *trimmed = g_strstrip (g_strdup (value != NULL ? value : ""));

      g_string_append_printf (out, "%s:%s\n", signed_headers[i], trimmed);
    }
  g_string_append_printf (out, "\n%s\n%s", signed_list, body_hash);
  return g_string_free (out, FALSE);
}

/**
 * drs_sim_sign_signature:
 *
 * Returns: (transfer full): hex(HMAC-SHA256(@sk, StringToSign))
 */
char *
drs_sim_sign_signature (const char *sk, const char *sdk_date, const char *canonical_request)
{
  g_autofree char *request_hash =
      g_compute_checksum_for_string (G_CHECKSUM_SHA256, canonical_request, -1);
  g_autofree char *string_to_sign =
      g_strdup_printf ("%s\n%s\n%s", DRS_SIM_SIGN_ALGORITHM, sdk_date, request_hash);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) sk, strlen (sk),
                                    string_to_sign, -1);
}

/**
 * drs_sim_sign_parse_date:
 * @sdk_date: `YYYYMMDDTHHMMSSZ`
 *
 * Returns: %TRUE and the time in @unix_ms when @sdk_date is well formed
 */
gboolean
drs_sim_sign_parse_date (const char *sdk_date, gint64 *unix_ms)
{
  int  year, month, day, hour, minute, second;
  char z = 0;
  g_autoptr (GDateTime) dt = NULL;

  if (sdk_date == NULL || strlen (sdk_date) != 16 || sdk_date[8] != 'T')
    return FALSE;
  for (guint i = 0; i < 15; i++)
    if (i != 8 && !g_ascii_isdigit (sdk_date[i]))
      return FALSE;
  if (sscanf (sdk_date, "%4d%2d%2dT%2d%2d%2d%c", &year, &month, &day, &hour, &minute, &second,
              &z) != 7 ||
      z != 'Z')
    return FALSE;
  dt = g_date_time_new_utc (year, month, day, hour, minute, second);
  if (dt == NULL)
    return FALSE;
  *unix_ms = g_date_time_to_unix (dt) * 1000;
  return TRUE;
}

/**
 * drs_sim_sign_parse_authorization:
 * @value: `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`
 *
 * @out: zero-initialised (or filled by an earlier call); clear it with
 *   drs_sim_authorization_clear() after
 *
 * Returns: %TRUE when @value has the algorithm and all three parts
 */
gboolean
drs_sim_sign_parse_authorization (const char *value, DrsSimAuthorization *out)
{
  g_auto (GStrv) parts = NULL;
  gsize alg_len = strlen (DRS_SIM_SIGN_ALGORITHM);

  /* @out starts zeroed or holds an earlier parse. */
  drs_sim_authorization_clear (out);
  if (value == NULL || strncmp (value, DRS_SIM_SIGN_ALGORITHM, alg_len) != 0 ||
      value[alg_len] != ' ')
    return FALSE;

  parts = g_strsplit (value + alg_len + 1, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);

      if (g_str_has_prefix (part, "Access="))
        {
          g_free (out->access);
          out->access = g_strdup (part + strlen ("Access="));
        }
      else if (g_str_has_prefix (part, "SignedHeaders="))
        {
          g_clear_pointer (&out->signed_headers, g_strfreev);
          out->signed_headers = g_strsplit (part + strlen ("SignedHeaders="), ";", -1);
          for (guint j = 0; out->signed_headers[j] != NULL; j++)
            {
              char *lower = g_ascii_strdown (out->signed_headers[j], -1);

              g_free (out->signed_headers[j]);
              out->signed_headers[j] = lower;
            }
        }
      else if (g_str_has_prefix (part, "Signature="))
        {
          g_free (out->signature);
          out->signature = g_strdup (part + strlen ("Signature="));
        }
    }

  if (out->access == NULL || out->signature == NULL || out->signed_headers == NULL ||
      out->signed_headers[0] == NULL || out->signed_headers[0][0] == '\0')
    {
      drs_sim_authorization_clear (out);
      return FALSE;
    }
  return TRUE;
}

void
drs_sim_authorization_clear (DrsSimAuthorization *auth)
{
  g_clear_pointer (&auth->access, g_free);
  g_clear_pointer (&auth->signed_headers, g_strfreev);
  g_clear_pointer (&auth->signature, g_free);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>

#include "drs-signer.h"
#include "drs-test-utils.h"

#define VECTOR_AK "AKEXAMPLE0000000000"
#define VECTOR_SK "SKEXAMPLE0000000000000000000000000000000"
#define VECTOR_PROJECT "054ba152d480d55b2f5dc0069e7ddef0"
#define VECTOR_URL                                                                     \
  "https://drs.cn-north-4.myhuaweicloud.com/v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/" \
  "batch-progress"
#define VECTOR_BODY "{\"jobs\":[\"8d0e8e36-a618-490d-8a46-8c61ac9jb502\"]}"

/* FACTS §5: the published test vector of the official SDK signer. */
static void
test_vector (void)
{
  g_autoptr (SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr (GUri) uri = g_uri_parse (VECTOR_URL, G_URI_FLAGS_NONE, NULL);
  g_autoptr (GBytes) body = g_bytes_new_static (VECTOR_BODY, strlen (VECTOR_BODY));
  g_autofree char *authorization = NULL;

  soup_message_headers_append (headers, "Content-Type", "application/json");
  soup_message_headers_append (headers, "X-Sdk-Date", "20240101T000000Z");
  soup_message_headers_append (headers, "X-Project-Id", VECTOR_PROJECT);
  soup_message_headers_append (headers, "Host", "drs.cn-north-4.myhuaweicloud.com");

  authorization = drs_signer_authorization (VECTOR_AK, VECTOR_SK, "POST", uri, headers, body);
  g_assert_cmpstr (authorization, ==,
                   "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, "
                   "SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
                   "Signature=5ab0fb16dd20bffa218e1523a5319a3737196d144a9bc1d5ff535cd4c185ac5d");
}

/* The same vector through drs_signer_sign_message(), which adds Host, the date and the project,
 * and must not sign what libsoup adds itself (Content-Length). */
static void
test_sign_message (void)
{
  g_autoptr (SoupMessage) message = soup_message_new ("POST", VECTOR_URL);
  g_autoptr (GBytes) body = g_bytes_new_static (VECTOR_BODY, strlen (VECTOR_BODY));
  g_autoptr (GDateTime) when = g_date_time_new_utc (2024, 1, 1, 0, 0, 0);
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  soup_message_set_request_body_from_bytes (message, "application/json", body);
  drs_signer_sign_message (message, VECTOR_AK, VECTOR_SK, VECTOR_PROJECT, body, when);

  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Sdk-Date"), ==, "20240101T000000Z");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Host"), ==,
                   "drs.cn-north-4.myhuaweicloud.com");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Project-Id"), ==, VECTOR_PROJECT);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==,
                   "SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, "
                   "SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
                   "Signature=5ab0fb16dd20bffa218e1523a5319a3737196d144a9bc1d5ff535cd4c185ac5d");

  /* Signing again (a retry) replaces the signature instead of adding a second one. */
  drs_signer_sign_message (message, VECTOR_AK, VECTOR_SK, VECTOR_PROJECT, body, when);
  {
    g_autofree char *all = g_strdup (soup_message_headers_get_list (headers, "Authorization"));
    g_assert_cmpuint (strlen (all), ==,
                      strlen ("SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, "
                              "SignedHeaders=content-type;host;x-project-id;"
                              "x-sdk-date, Signature=") +
                          64);
  }
}

static char *
canonical (const char        *method,
           const char        *url,
           const char *const *headers,
           const char        *body,
           char             **signed_headers)
{
  g_autoptr (SoupMessageHeaders) h = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr (GBytes) bytes = body ? g_bytes_new_static (body, strlen (body)) : NULL;

  g_assert_nonnull (uri);
  for (guint i = 0; headers[i] != NULL; i += 2)
    soup_message_headers_append (h, headers[i], headers[i + 1]);
  return drs_signer_canonical_request (method, uri, h, bytes, signed_headers);
}

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* Query strings: keys sorted, then values; both sides RFC 3986-escaped; `+` is a space. */
static void
test_query (void)
{
  const char      *headers[] = { "Host", "example.com", "X-Sdk-Date", "20240101T000000Z", NULL };
  g_autofree char *signed_headers = NULL;
  g_autofree char *request = canonical (
      "GET", "https://example.com/v3/projects?name=cn-north-4&b=2&a=z&a=1&empty&sp=x+y&q=%2Fa%3Db~",
      headers, NULL, &signed_headers);

  g_assert_cmpstr (request, ==,
                   "GET\n"
                   "/v3/projects/\n"
                   "a=1&a=z&b=2&empty=&name=cn-north-4&q=%2Fa%3Db~&sp=x%20y\n"
                   "host:example.com\n"
                   "x-sdk-date:20240101T000000Z\n"
                   "\n"
                   "host;x-sdk-date\n" EMPTY_SHA256);
  g_assert_cmpstr (signed_headers, ==, "host;x-sdk-date");
}

/* Non-ASCII and reserved characters in the path: each segment decoded then escaped in upper-case
 * hex; the trailing slash is appended, never doubled. Header names are lower-cased, values
 * trimmed, sorted by name. */
static void
test_path (void)
{
  const char      *headers[] = { "X-Sdk-Date",   "20240101T000000Z",     "Host", "example.com:8443",
                                 "Content-Type", "  application/json  ", NULL };
  g_autofree char *signed_headers = NULL;
  g_autofree char *request = NULL;
  g_autofree char *request2 = NULL;

  request = canonical ("POST", "https://example.com:8443/v3/%e9%a1%b9%E7%9B%AE/a%20b:c(d)/jobs/",
                       headers, "{}", &signed_headers);
  g_assert_cmpstr (request, ==,
                   "POST\n"
                   "/v3/%E9%A1%B9%E7%9B%AE/a%20b%3Ac%28d%29/jobs/\n"
                   "\n"
                   "content-type:application/json\n"
                   "host:example.com:8443\n"
                   "x-sdk-date:20240101T000000Z\n"
                   "\n"
                   "content-type;host;x-sdk-date\n"
                   "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  g_assert_cmpstr (signed_headers, ==, "content-type;host;x-sdk-date");

  /* The empty path is the root. */
  request2 = canonical ("GET", "https://example.com", headers, NULL, NULL);
  g_assert_true (g_str_has_prefix (request2, "GET\n/\n\n"));
}

/* The signature covers the body, the date and every signed header: change any and it changes. */
static void
test_sensitivity (void)
{
  g_autoptr (GUri) uri = g_uri_parse (VECTOR_URL, G_URI_FLAGS_NONE, NULL);
  const char *variants[][3] = {
    { "20240101T000000Z", VECTOR_PROJECT, VECTOR_BODY },
    { "20240101T000001Z", VECTOR_PROJECT, VECTOR_BODY },
    { "20240101T000000Z", "other", VECTOR_BODY },
    { "20240101T000000Z", VECTOR_PROJECT, "{\"jobs\":[]}" },
  };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr (SoupMessageHeaders) headers =
          soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
      g_autoptr (GBytes) body = g_bytes_new_static (variants[i][2], strlen (variants[i][2]));
      char *authorization;

      soup_message_headers_append (headers, "Host", "drs.cn-north-4.myhuaweicloud.com");
      soup_message_headers_append (headers, "X-Sdk-Date", variants[i][0]);
      soup_message_headers_append (headers, "X-Project-Id", variants[i][1]);
      authorization = drs_signer_authorization (VECTOR_AK, VECTOR_SK, "POST", uri, headers, body);
      g_assert_false (g_hash_table_contains (seen, authorization));
      g_hash_table_add (seen, authorization);
    }
}

static void
test_date (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) local = g_date_time_new (tz, 2024, 1, 1, 8, 5, 9);
  g_autofree char *text = drs_signer_format_date (local);

  g_assert_cmpstr (text, ==, "20240101T000509Z");
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  g_test_add_func ("/signer/vector", test_vector);
  g_test_add_func ("/signer/sign-message", test_sign_message);
  g_test_add_func ("/signer/query", test_query);
  g_test_add_func ("/signer/path", test_path);
  g_test_add_func ("/signer/sensitivity", test_sensitivity);
  g_test_add_func ("/signer/date", test_date);

  return g_test_run ();
}

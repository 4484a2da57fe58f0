/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "drs-sim-signer.h"
#include "drs-test-utils.h"

#define VECTOR_BODY "{\"jobs\":[\"8d0e8e36-a618-490d-8a46-8c61ac9jb502\"]}"
#define VECTOR_SIGNATURE "5ab0fb16dd20bffa218e1523a5319a3737196d144a9bc1d5ff535cd4c185ac5d"

/* The official SDK signer's test vector (FACTS §5). */
static void
test_vector (void)
{
  g_autoptr (SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr (GBytes) body = g_bytes_new_static (VECTOR_BODY, strlen (VECTOR_BODY));
  const char *const signed_headers[] = { "content-type", "host", "x-project-id", "x-sdk-date",
                                         NULL };
  g_autofree char  *canonical = NULL;
  g_autofree char  *signature = NULL;

  soup_message_headers_append (headers, "Content-Type", "application/json");
  soup_message_headers_append (headers, "X-Sdk-Date", "20240101T000000Z");
  soup_message_headers_append (headers, "X-Project-Id", "054ba152d480d55b2f5dc0069e7ddef0");
  soup_message_headers_append (headers, "Host", "drs.cn-north-4.myhuaweicloud.com");

  canonical = drs_sim_sign_canonical_request (
      "POST", "/v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/batch-progress", NULL, headers,
      signed_headers, body);
  g_assert_true (g_str_has_prefix (
      canonical, "POST\n/v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/batch-progress/\n\n"
                 "content-type:application/json\nhost:drs.cn-north-4.myhuaweicloud.com\n"));
  signature = drs_sim_sign_signature ("SKEXAMPLE0000000000000000000000000000000",
                                      "20240101T000000Z", canonical);
  g_assert_cmpstr (signature, ==, VECTOR_SIGNATURE);

  /* One byte of the body changes the signature. */
  {
    g_autoptr (GBytes) other = g_bytes_new_static (VECTOR_BODY " ", strlen (VECTOR_BODY) + 1);
    g_autofree char *canonical2 = drs_sim_sign_canonical_request (
        "POST", "/v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/batch-progress", NULL, headers,
        signed_headers, other);
    g_autofree char *signature2 = drs_sim_sign_signature (
        "SKEXAMPLE0000000000000000000000000000000", "20240101T000000Z", canonical2);

    g_assert_cmpstr (signature2, !=, VECTOR_SIGNATURE);
  }
}

static void
test_canonical_parts (void)
{
  static const struct
  {
    const char *in, *out;
  } uris[] = {
    { "/v3/p/jobs", "/v3/p/jobs/" },
    { "/v3/p/jobs/", "/v3/p/jobs/" },
    { "", "/" },
    { "/a%20b/c~d", "/a%20b/c~d/" },
    { "/a b", "/a%20b/" },
  }, queries[] = {
    { NULL, "" },
    { "", "" },
    { "name=cn-north-4", "name=cn-north-4" },
    { "b=2&a=1", "a=1&b=2" },
    { "a=2&a=1", "a=1&a=2" },
    { "k", "k=" },
    { "x=a%2Fb&y=c d", "x=a%2Fb&y=c%20d" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autofree char *out = drs_sim_sign_canonical_uri (uris[i].in);
      g_assert_cmpstr (out, ==, uris[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *out = drs_sim_sign_canonical_query (queries[i].in);
      g_assert_cmpstr (out, ==, queries[i].out);
    }
}

static void
test_authorization (void)
{
  g_auto (DrsSimAuthorization) auth = { 0 };

  g_assert_true (
      drs_sim_sign_parse_authorization ("SDK-HMAC-SHA256 Access=AKEXAMPLE0000000000, "
                                        "SignedHeaders=content-type;Host;x-sdk-date, Signature=abc",
                                        &auth));
  g_assert_cmpstr (auth.access, ==, "AKEXAMPLE0000000000");
  g_assert_cmpstr (auth.signature, ==, "abc");
  g_assert_cmpuint (g_strv_length (auth.signed_headers), ==, 3);
  g_assert_cmpstr (auth.signed_headers[1], ==, "host");

  g_assert_false (drs_sim_sign_parse_authorization (NULL, &auth));
  g_assert_false (drs_sim_sign_parse_authorization ("Bearer x", &auth));
  g_assert_false (
      drs_sim_sign_parse_authorization ("SDK-HMAC-SHA256 Access=a, Signature=b", &auth));
  g_assert_false (drs_sim_sign_parse_authorization ("SDK-HMAC-SHA256Access=a", &auth));
  g_assert_null (auth.access);
}

static void
test_date (void)
{
  gint64 ms = 0;

  g_assert_true (drs_sim_sign_parse_date ("20240101T000000Z", &ms));
  g_assert_cmpint (ms, ==, G_GINT64_CONSTANT (1704067200000));
  g_assert_false (drs_sim_sign_parse_date ("2024-01-01T00:00:00Z", &ms));
  g_assert_false (drs_sim_sign_parse_date ("20241301T000000Z", &ms));
  g_assert_false (drs_sim_sign_parse_date ("20240101T000000", &ms));
  g_assert_false (drs_sim_sign_parse_date (NULL, &ms));
}

int
main (int argc, char *argv[])
{
  /* No G_TEST_OPTION_ISOLATE_DIRS (drs_test_init): these tests use no user dirs, and GLib 2.74
   * leaks the replaced dir strings between tests, which LeakSanitizer reports. */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-signer/vector", test_vector);
  g_test_add_func ("/sim-signer/canonical-parts", test_canonical_parts);
  g_test_add_func ("/sim-signer/authorization", test_authorization);
  g_test_add_func ("/sim-signer/date", test_date);

  return g_test_run ();
}

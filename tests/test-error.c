/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "drs-error.h"

static void
test_classify (void)
{
  static const struct
  {
    guint        status;
    const char  *code;
    DrsErrorCode expected;
  } cases[] = {
    { 401, "APIGW.0301", DRS_ERROR_AUTH },
    { 401, "APIGW.0307", DRS_ERROR_AUTH },
    { 401, "APIG.0301", DRS_ERROR_AUTH },
    { 403, "DRS.M00100", DRS_ERROR_AUTH },
    { 403, "APIGW.0302", DRS_ERROR_FORBIDDEN },
    { 403, "APIGW.0306", DRS_ERROR_FORBIDDEN },
    { 403, "DRS.M00102", DRS_ERROR_FORBIDDEN },
    { 403, "DRS.M00103", DRS_ERROR_FORBIDDEN },
    { 403, "DRS.M00261", DRS_ERROR_FORBIDDEN },
    { 429, "APIGW.0308", DRS_ERROR_THROTTLED },
    { 400, "DRS.M01503", DRS_ERROR_THROTTLED },
    { 404, "APIGW.0101", DRS_ERROR_NOT_FOUND },
    { 200, "DRS.M05003", DRS_ERROR_NOT_FOUND },
    { 200, "DRS.M05004", DRS_ERROR_NOT_FOUND },
    { 400, "DRS.M00289", DRS_ERROR_NOT_FOUND },
    { 502, "APIGW.0610", DRS_ERROR_SERVER },
    { 503, "APIGW.0613", DRS_ERROR_SERVER },
    { 500, "DRS.M00004", DRS_ERROR_SERVER },
    { 500, "DRS.M01501", DRS_ERROR_SERVER },
    { 400, "DRS.M00200", DRS_ERROR_BAD_REQUEST },
    { 400, "DRS.M00301", DRS_ERROR_BAD_REQUEST },
    { 504, "APIGW.0201", DRS_ERROR_TIMEOUT },
    { 400, "APIGW.0201", DRS_ERROR_BAD_REQUEST },
    { 401, NULL, DRS_ERROR_AUTH },
    { 403, NULL, DRS_ERROR_FORBIDDEN },
    { 404, NULL, DRS_ERROR_NOT_FOUND },
    { 429, NULL, DRS_ERROR_THROTTLED },
    { 418, NULL, DRS_ERROR_BAD_REQUEST },
    { 500, NULL, DRS_ERROR_SERVER },
    { 503, "", DRS_ERROR_SERVER },
    { 302, NULL, DRS_ERROR_PROTOCOL },
    { 0, NULL, DRS_ERROR_PROTOCOL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %u %s", i, cases[i].status, cases[i].code);
      g_assert_cmpint (drs_error_code_classify (cases[i].status, cases[i].code), ==,
                       cases[i].expected);
    }
}

static void
test_details (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) copy = NULL;

  error = drs_error_new_from_server (429, "APIGW.0308", "The throttling threshold has been reached",
                                     "req-123");
  g_assert_error (error, DRS_ERROR, DRS_ERROR_THROTTLED);
  g_assert_cmpuint (drs_error_get_http_status (error), ==, 429);
  g_assert_cmpstr (drs_error_get_server_code (error), ==, "APIGW.0308");
  g_assert_cmpstr (drs_error_get_server_message (error), ==,
                   "The throttling threshold has been reached");
  g_assert_cmpstr (drs_error_get_request_id (error), ==, "req-123");
  g_assert_cmpint (drs_error_get_retry_after (error), ==, -1);
  g_assert_nonnull (strstr (error->message, "APIGW.0308"));
  g_assert_nonnull (strstr (error->message, "throttling threshold"));
  g_assert_true (drs_error_is_transient (error));

  drs_error_set_retry_after (error, 7);
  copy = g_error_copy (error);
  g_assert_cmpstr (drs_error_get_server_code (copy), ==, "APIGW.0308");
  g_assert_cmpstr (drs_error_get_request_id (copy), ==, "req-123");
  g_assert_cmpint (drs_error_get_retry_after (copy), ==, 7);

  /* Details of another domain are simply absent. */
  {
    g_autoptr (GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");
    g_assert_null (drs_error_get_server_code (other));
    g_assert_cmpuint (drs_error_get_http_status (other), ==, 0);
    g_assert_false (drs_error_is_transient (other));
  }
}

static void
test_transient (void)
{
  static const struct
  {
    DrsErrorCode code;
    gboolean     transient;
  } cases[] = {
    { DRS_ERROR_AUTH, FALSE },      { DRS_ERROR_FORBIDDEN, FALSE }, { DRS_ERROR_THROTTLED, TRUE },
    { DRS_ERROR_NOT_FOUND, FALSE }, { DRS_ERROR_SERVER, TRUE },     { DRS_ERROR_NETWORK, TRUE },
    { DRS_ERROR_TIMEOUT, TRUE },    { DRS_ERROR_TLS, FALSE },       { DRS_ERROR_PROTOCOL, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = g_error_new_literal (DRS_ERROR, cases[i].code, "x");
      g_assert_cmpint (drs_error_is_transient (error), ==, cases[i].transient);
      g_assert_cmpstr (drs_error_code_to_string (cases[i].code), !=, "unknown");
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/error/classify", test_classify);
  g_test_add_func ("/error/details", test_details);
  g_test_add_func ("/error/transient", test_transient);
  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: drs_progress_parse_error_body() on any bytes, with and without an HTTP status
 * and a request id, as the client reads the body of a failed answer. */
#define G_LOG_DOMAIN "drs-fuzz"

#include "config.h"

#include "drs-error.h"
#include "drs-progress-parser.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  drs_fuzz_init ();
  return 0;
}

static void
check (const uint8_t *data, size_t size, guint http_status, const char *request_id)
{
  g_autoptr (GError) error = NULL;

  error = drs_progress_parse_error_body ((const char *) data, size, http_status, request_id);
  g_assert (error != NULL);
  g_assert (error->domain == DRS_ERROR);
  drs_fuzz_assert_text (error->message);
  g_assert (drs_error_code_to_string (error->code) != NULL);
  g_assert (drs_error_get_http_status (error) <= 599);
  if (http_status != 0)
    g_assert_cmpuint (drs_error_get_http_status (error), ==, http_status);
  if (drs_error_get_server_code (error) != NULL)
    drs_fuzz_assert_text (drs_error_get_server_code (error));
  if (drs_error_get_server_message (error) != NULL)
    drs_fuzz_assert_text (drs_error_get_server_message (error));
  if (request_id != NULL)
    g_assert_cmpstr (drs_error_get_request_id (error), ==, request_id);
  else if (drs_error_get_request_id (error) != NULL)
    drs_fuzz_assert_text (drs_error_get_request_id (error));
  (void) drs_error_is_transient (error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The status a client would have: none (a 2xx body without results), and the error ones. */
  static const guint statuses[] = { 0, 400, 401, 403, 404, 429, 500, 502, 503 };

  check (data, size, 0, NULL);
  check (data, size, statuses[size % G_N_ELEMENTS (statuses)], "fuzz-request-id");
  return 0;
}

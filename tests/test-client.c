/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "drs-client.h"
#include "drs-endpoint.h"
#include "drs-error.h"
#include "drs-http.h"
#include "drs-simulator.h"
#include "drs-test-utils.h"

#define TEST_TOKEN "client-test-token"

typedef struct
{
  DrsSimulator   *sim;
  DrsCredentials *credentials;
  DrsClient      *client;
  char          **known; /* the simulator's job ids */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->sim = drs_simulator_new ();
  drs_simulator_add_token (f->sim, TEST_TOKEN);
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);
  f->credentials = drs_credentials_new_token (TEST_TOKEN);
  f->client = drs_client_new (drs_simulator_get_base_url (f->sim), DRS_SIM_DEMO_PROJECT_ID,
                              f->credentials, &error);
  g_assert_no_error (error);
  f->known = drs_simulator_dup_job_ids (f->sim);
  g_assert_cmpuint (g_strv_length (f->known), >=, 20);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->client);
  g_clear_object (&f->credentials);
  g_clear_pointer (&f->known, g_strfreev);
  g_assert_finalize_object (f->sim);
}

static void
on_result (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static DrsProgressResult *
query (DrsClient *client, const char *const *ids, GCancellable *cancellable, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  drs_client_query_progress_async (client, ids, cancellable, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 30000);
  return drs_client_query_progress_finish (client, result, error);
}

/* ids: the first @n_known of the simulator's, then unknown ones, @n in all */
static GStrv
make_ids (Fixture *f, guint n, guint n_known)
{
  GStrv ids = g_new0 (char *, n + 1);

  n_known = MIN (n_known, g_strv_length (f->known));
  for (guint i = 0; i < n; i++)
    ids[i] =
        i < n_known ? g_strdup (f->known[i]) : g_strdup_printf ("00000000-0000-0000-0000-%012u", i);
  return ids;
}

static const char *
status_of (const DrsSnapshot *snap)
{
  return snap->status_raw ? snap->status_raw : drs_job_status_to_string (snap->status);
}

/* Every id has a snapshot with its own job_id, and known ones carry the status the simulator
 * has for them: results matched by position instead of job_id would fail here. */
static void
assert_all_read (Fixture *f, DrsProgressResult *result, const char *const *ids)
{
  guint n = g_strv_length ((char **) ids);

  g_assert_cmpuint (drs_progress_result_get_batch_errors (result)->len, ==, 0);
  g_assert_cmpuint (drs_progress_result_get_snapshots (result)->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const DrsSnapshot *snap = drs_progress_result_get_snapshot (result, ids[i]);
      g_autofree char   *status = drs_simulator_dup_job_status (f->sim, ids[i]);

      g_assert_nonnull (snap);
      g_assert_cmpstr (snap->job_id, ==, ids[i]);
      g_assert_null (drs_progress_result_get_error (result, ids[i]));
      if (status != NULL)
        g_assert_cmpstr (status_of (snap), ==, status);
      else
        g_assert_cmpstr (snap->error_code, ==, "DRS.M05003");
    }
  /* In request order. */
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (((DrsSnapshot *) drs_progress_result_get_snapshots (result)->pdata[i])->job_id,
                     ==, ids[i]);
}

static void
check_counts (Fixture *f, guint n_ids, guint n_known, guint expected_requests)
{
  g_auto (GStrv) ids = make_ids (f, n_ids, n_known);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;

  drs_simulator_reset_stats (f->sim);
  result = query (f->client, (const char *const *) ids, NULL, &error);
  g_assert_no_error (error);
  assert_all_read (f, result, (const char *const *) ids);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==,
                    expected_requests);
}

static void
test_one (Fixture *f, gconstpointer data)
{
  check_counts (f, 1, 1, 1);
}

static void
test_ten (Fixture *f, gconstpointer data)
{
  check_counts (f, 10, 10, 1);
}

static void
test_eleven (Fixture *f, gconstpointer data)
{
  check_counts (f, 11, 11, 2);
}

static void
test_thousand (Fixture *f, gconstpointer data)
{
  guint n_known = g_strv_length (f->known);

  drs_client_set_concurrency (f->client, 8);
  check_counts (f, 1000, n_known, 100);
  /* Connections are reused: never more than the concurrency. */
  g_assert_cmpuint (drs_simulator_get_connection_count (f->sim), <=, 8);
}

static void
test_batch_size (Fixture *f, gconstpointer data)
{
  drs_client_set_batch_size (f->client, 3);
  check_counts (f, 10, 10, 4);
}

/* Duplicates are sent once (the server answers 400 DRS.M00301 to duplicates). */
static void
test_duplicates (Fixture *f, gconstpointer data)
{
  const char *ids[] = { f->known[0], f->known[1], f->known[0], "", f->known[1], f->known[2], NULL };
  const char *unique[] = { f->known[0], f->known[1], f->known[2], NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;

  drs_client_set_batch_size (f->client, 2);
  result = query (f->client, ids, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (drs_progress_result_get_job_ids (result), unique);
  assert_all_read (f, result, unique);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, 2);
}

static void
test_unknown_mixed (Fixture *f, gconstpointer data)
{
  g_auto (GStrv) ids = make_ids (f, 25, 12);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  const DrsSnapshot *unknown;

  /* Interleave: known, unknown, known… */
  for (guint i = 1; i < 12; i += 2)
    {
      char *tmp = ids[i];
      ids[i] = ids[24 - i];
      ids[24 - i] = tmp;
    }
  result = query (f->client, (const char *const *) ids, NULL, &error);
  g_assert_no_error (error);
  assert_all_read (f, result, (const char *const *) ids);

  unknown = drs_progress_result_get_snapshot (result, ids[1]);
  g_assert_cmpstr (unknown->error_code, ==, "DRS.M05003");
  g_assert_nonnull (unknown->error_msg);
  g_assert_cmpfloat (unknown->progress, ==, DRS_UNKNOWN);
}

static void
test_empty (Fixture *f, gconstpointer data)
{
  const char *ids[] = { NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = query (f->client, ids, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (drs_progress_result_get_snapshots (result)->len, ==, 0);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, 0);
}

/* X-Language reaches the server and localises per-job messages; any 2xx is a success. */
static void
test_language (Fixture *f, gconstpointer data)
{
  const char *ids[] = { "ffffffff-0000-0000-0000-000000000000", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) en = NULL;
  g_autoptr (DrsProgressResult) zh = NULL;

  en = query (f->client, ids, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (drs_simulator_get_last_language (f->sim), ==, "en-us");

  drs_client_set_language (f->client, "zh_CN");
  g_assert_cmpstr (drs_client_get_language (f->client), ==, "zh-cn");
  drs_simulator_set_success_status (f->sim, 202);
  zh = query (f->client, ids, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (drs_simulator_get_last_language (f->sim), ==, "zh-cn");
  g_assert_cmpstr (drs_progress_result_get_snapshot (zh, ids[0])->error_code, ==, "DRS.M05003");
  g_assert_cmpstr (drs_progress_result_get_snapshot (en, ids[0])->error_msg, !=,
                   drs_progress_result_get_snapshot (zh, ids[0])->error_msg);
  g_assert_false (g_str_is_ascii (drs_progress_result_get_snapshot (zh, ids[0])->error_msg));
}

/* Faults ------------------------------------------------------------------------------------ */

typedef struct
{
  guint ok;     /* ids with a snapshot */
  guint failed; /* ids with a batch error */
} Tally;

/* Every failed batch has @code (and @server_code when given); the others have their results. */
static Tally
run_with_faults (
    Fixture *f, const DrsSimFaults *faults, guint n_ids, DrsErrorCode code, const char *server_code)
{
  g_auto (GStrv) ids = make_ids (f, n_ids, n_ids);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  GPtrArray *batch_errors;
  Tally      tally = { 0, 0 };

  drs_simulator_set_faults (f->sim, faults);
  result = query (f->client, (const char *const *) ids, NULL, &error);
  g_assert_no_error (error);
  drs_simulator_set_faults (f->sim, NULL);

  batch_errors = drs_progress_result_get_batch_errors (result);
  for (guint i = 0; i < batch_errors->len; i++)
    {
      DrsBatchError *be = batch_errors->pdata[i];

      g_test_message ("batch error: %s", be->error->message);
      g_assert_error (be->error, DRS_ERROR, (gint) code);
      if (server_code != NULL)
        g_assert_cmpstr (drs_error_get_server_code (be->error), ==, server_code);
      g_assert_cmpuint (g_strv_length (be->job_ids), >, 0);
    }

  for (guint i = 0; ids[i] != NULL; i++)
    {
      const DrsSnapshot *snap = drs_progress_result_get_snapshot (result, ids[i]);
      const GError      *e = drs_progress_result_get_error (result, ids[i]);

      /* Exactly one of the two. */
      g_assert_true ((snap == NULL) != (e == NULL));
      if (snap != NULL)
        {
          g_autofree char *status = drs_simulator_dup_job_status (f->sim, ids[i]);

          g_assert_cmpstr (status_of (snap), ==, status);
          tally.ok++;
        }
      else
        tally.failed++;
    }
  return tally;
}

static void
test_fault_throttle (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .throttle_rate = 0.5, .retry_after_s = 7 };
  g_auto (GStrv) ids = make_ids (f, 20, 20);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  Tally tally;

  drs_client_set_batch_size (f->client, 2);
  tally = run_with_faults (f, &faults, 20, DRS_ERROR_THROTTLED, "APIGW.0308");
  g_assert_cmpuint (tally.ok, >, 0);
  g_assert_cmpuint (tally.failed, >, 0);

  /* Retry-After is kept, and so is the request id. */
  faults.throttle_rate = 1;
  drs_simulator_set_faults (f->sim, &faults);
  result = query (f->client, (const char *const *) ids, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < drs_progress_result_get_batch_errors (result)->len; i++)
    {
      DrsBatchError *be = drs_progress_result_get_batch_errors (result)->pdata[i];

      g_assert_error (be->error, DRS_ERROR, DRS_ERROR_THROTTLED);
      g_assert_cmpint (drs_error_get_retry_after (be->error), ==, 7);
      g_assert_cmpuint (drs_error_get_http_status (be->error), ==, 429);
      g_assert_nonnull (drs_error_get_request_id (be->error));
      g_assert_true (drs_error_is_transient (be->error));
    }
  g_assert_cmpuint (drs_progress_result_get_batch_errors (result)->len, ==, 10);
}

static void
test_fault_rate_limit (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .rate_limit_per_min = 2 };
  Tally        tally;

  drs_simulator_set_manual_clock (f->sim, TRUE);
  drs_client_set_concurrency (f->client, 1);
  tally = run_with_faults (f, &faults, 50, DRS_ERROR_THROTTLED, "APIGW.0308");
  g_assert_cmpuint (tally.ok, ==, 20);
  g_assert_cmpuint (tally.failed, ==, 30);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, 5);
}

static void
test_fault_server (Fixture *f, gconstpointer data)
{
  static const struct
  {
    guint       status;
    const char *code;
  } cases[] = { { 500, "DRS.M00004" }, { 502, "APIGW.0610" }, { 503, "APIGW.0613" } };

  drs_client_set_batch_size (f->client, 2);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      DrsSimFaults faults = { .error_status = cases[i].status, .error_rate = 0.5 };
      Tally        tally = run_with_faults (f, &faults, 20, DRS_ERROR_SERVER, cases[i].code);

      g_assert_cmpuint (tally.ok, >, 0);
      g_assert_cmpuint (tally.failed, >, 0);
    }
}

static void
test_fault_drop (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .drop_rate = 0.5 };
  Tally        tally;

  drs_client_set_batch_size (f->client, 2);
  tally = run_with_faults (f, &faults, 20, DRS_ERROR_NETWORK, NULL);
  g_assert_cmpuint (tally.ok, >, 0);
  g_assert_cmpuint (tally.failed, >, 0);
}

static void
test_fault_malformed (Fixture *f, gconstpointer data)
{
  const char *kinds[] = { "wrong-types", "html", "empty", "truncated" };

  drs_client_set_timeout (f->client, 2);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      DrsSimFaults faults = { .malformed = (char *) kinds[i] };
      g_autoptr (GError) error = NULL;
      g_autoptr (DrsProgressResult) result = NULL;
      const char   *ids[] = { f->known[0], f->known[1], NULL };
      const GError *e;

      g_test_message ("malformed: %s", kinds[i]);
      drs_simulator_set_faults (f->sim, &faults);
      result = query (f->client, ids, NULL, &error);
      g_assert_no_error (error);
      e = drs_progress_result_get_error (result, ids[0]);
      g_assert_nonnull (e);
      g_test_message ("%s", e->message);
      g_assert_true (drs_progress_result_get_error (result, ids[1]) == e);
      g_assert_error (e, DRS_ERROR, DRS_ERROR_PROTOCOL);
    }
  drs_simulator_set_faults (f->sim, NULL);
}

/* A body that trickles, and a server that waits, both run into the per-request timeout. */
static void
test_fault_timeout (Fixture *f, gconstpointer data)
{
  DrsSimFaults trickle = { .trickle_bytes_per_s = 100 };
  DrsSimFaults latency = { .latency_ms = 3000 };
  gint64       start = g_get_monotonic_time ();
  Tally        tally;

  drs_client_set_timeout (f->client, 1);
  tally = run_with_faults (f, &trickle, 5, DRS_ERROR_TIMEOUT, NULL);
  g_assert_cmpuint (tally.failed, ==, 5);
  tally = run_with_faults (f, &latency, 5, DRS_ERROR_TIMEOUT, NULL);
  g_assert_cmpuint (tally.failed, ==, 5);
  /* Neither waited for the server. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * 2900 * 1000);
}

/* The size cap: a Content-Length over it, and a chunked body that grows over it. */
static void
test_size_cap (Fixture *f, gconstpointer data)
{
  DrsSimFaults chunked = { .trickle_bytes_per_s = 1000000 };
  Tally        tally;

  drs_client_set_max_response_size (f->client, 200);
  tally = run_with_faults (f, NULL, 10, DRS_ERROR_PROTOCOL, NULL);
  g_assert_cmpuint (tally.failed, ==, 10);
  tally = run_with_faults (f, &chunked, 10, DRS_ERROR_PROTOCOL, NULL);
  g_assert_cmpuint (tally.failed, ==, 10);

  drs_client_set_max_response_size (f->client, DRS_HTTP_DEFAULT_MAX_BODY);
  tally = run_with_faults (f, &chunked, 10, DRS_ERROR_PROTOCOL, NULL);
  g_assert_cmpuint (tally.ok, ==, 10);
}

static void
test_bad_token (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token ("not-a-token");
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  const GError *e;

  client = drs_client_new (drs_simulator_get_base_url (f->sim), DRS_SIM_DEMO_PROJECT_ID,
                           credentials, &error);
  g_assert_no_error (error);
  result = query (client, (const char *const *) f->known, NULL, &error);
  g_assert_no_error (error);
  e = drs_progress_result_get_error (result, f->known[0]);
  g_assert_error (e, DRS_ERROR, DRS_ERROR_AUTH);
  g_assert_cmpstr (drs_error_get_server_code (e), ==, "APIGW.0301");
  g_assert_false (drs_error_is_transient (e));
  /* A fixed token is not retried. */
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==,
                    (g_strv_length (f->known) + 9) / 10);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 0);
}

static void
test_wrong_project (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  const GError *e;

  client = drs_client_new (drs_simulator_get_base_url (f->sim), "another-project", f->credentials,
                           &error);
  g_assert_no_error (error);
  result = query (client, (const char *const *) f->known, NULL, &error);
  g_assert_no_error (error);
  e = drs_progress_result_get_error (result, f->known[0]);
  g_assert_error (e, DRS_ERROR, DRS_ERROR_FORBIDDEN);
  g_assert_cmpstr (drs_error_get_server_code (e), ==, "DRS.M00261");
}

/* Cancellation ------------------------------------------------------------------------------ */

static void
test_cancel (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .latency_ms = 20000 };
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) progress = NULL;
  g_auto (GStrv) ids = make_ids (f, 100, 20);
  gint64 start;

  drs_simulator_set_faults (f->sim, &faults);
  drs_client_query_progress_async (f->client, (const char *const *) ids, cancellable, on_result,
                                   &result);
  /* In flight: the server holds the first requests. */
  DRS_TEST_SPIN_UNTIL (drs_simulator_get_request_count (f->sim, "batch-progress") == 4, 5000);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  DRS_TEST_SPIN_UNTIL (result != NULL, 5000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  progress = drs_client_query_progress_finish (f->client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (progress);
  /* The queued batches were never sent. */
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, 4);
  drs_simulator_set_faults (f->sim, NULL);

  /* The client still works afterwards. */
  {
    g_autoptr (DrsProgressResult) again =
        query (f->client, (const char *const *) ids, NULL, &error);
    g_clear_error (&error);
    g_assert_nonnull (again);
    assert_all_read (f, again, (const char *const *) ids);
  }
}

/* Two queries share the client's concurrency limit and its connections. */
static void
test_concurrent_queries (Fixture *f, gconstpointer data)
{
  g_auto (GStrv) ids = make_ids (f, 200, 30);
  g_autoptr (GAsyncResult) r1 = NULL;
  g_autoptr (GAsyncResult) r2 = NULL;
  g_autoptr (DrsProgressResult) p1 = NULL;
  g_autoptr (DrsProgressResult) p2 = NULL;
  g_autoptr (GError) error = NULL;

  drs_client_query_progress_async (f->client, (const char *const *) ids, NULL, on_result, &r1);
  drs_client_query_progress_async (f->client, (const char *const *) ids, NULL, on_result, &r2);
  DRS_TEST_SPIN_UNTIL (r1 != NULL && r2 != NULL, 20000);
  p1 = drs_client_query_progress_finish (f->client, r1, &error);
  g_assert_no_error (error);
  p2 = drs_client_query_progress_finish (f->client, r2, &error);
  g_assert_no_error (error);
  assert_all_read (f, p1, (const char *const *) ids);
  assert_all_read (f, p2, (const char *const *) ids);
  g_assert_cmpuint (drs_simulator_get_connection_count (f->sim), <=,
                    DRS_CLIENT_DEFAULT_CONCURRENCY);
}

/* Transport rules --------------------------------------------------------------------------- */

static void
test_loopback_rule (void)
{
  static const struct
  {
    const char *endpoint;
    gboolean    ok;
  } cases[] = {
    { "http://127.0.0.1:8686", TRUE },
    { "http://127.1.2.3:8686/", TRUE },
    { "http://[::1]:8686", TRUE },
    { "http://localhost:8686", TRUE },
    { "https://drs.cn-north-4.myhuaweicloud.com", TRUE },
    { "https://drs.cn-north-4.myhuaweicloud.com/", TRUE },
    { "http://drs.cn-north-4.myhuaweicloud.com", FALSE },
    { "http://192.168.1.10:8686", FALSE },
    { "http://127.0.0.1.example.com", FALSE },
    { "http://localhost.example.com", FALSE },
    { "ftp://127.0.0.1", FALSE },
    { "https://user:pw@drs.example.com", FALSE },
    { "drs.cn-north-4.myhuaweicloud.com", FALSE },
    { "https://", FALSE },
  };
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token (TEST_TOKEN);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (DrsClient) client = drs_client_new (cases[i].endpoint, "p", credentials, &error);

      g_test_message ("%s", cases[i].endpoint);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          g_assert_false (g_str_has_suffix (drs_client_get_endpoint (client), "/"));
        }
      else
        {
          g_assert_error (error, DRS_ERROR, DRS_ERROR_INVALID);
          g_assert_null (client);
        }
    }
}

static void
test_regions (void)
{
  static const struct
  {
    const char *region, *drs, *iam;
  } cases[] = {
    { "cn-north-4", "https://drs.cn-north-4.myhuaweicloud.com",
      "https://iam.cn-north-4.myhuaweicloud.com" },
    { "ap-southeast-1", "https://drs.ap-southeast-1.myhuaweicloud.com",
      "https://iam.ap-southeast-1.myhuaweicloud.com" },
    { "eu-west-101", "https://drs.eu-west-101.myhuaweicloud.eu",
      "https://iam.eu-west-101.myhuaweicloud.eu" },
    { "eu-west-0", "https://drs.eu-west-0.myhuaweicloud.com",
      "https://iam.eu-west-0.myhuaweicloud.com" },
  };
  const char *bad[] = { "", "CN-NORTH-4", "cn north", "evil.com/x", "-x-", "cn-north-4.", "x" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *drs = drs_endpoint_for_region (cases[i].region, NULL);
      g_autofree char *iam = drs_endpoint_iam_for_region (cases[i].region, NULL);

      g_assert_cmpstr (drs, ==, cases[i].drs);
      g_assert_cmpstr (iam, ==, cases[i].iam);
      g_assert_true (drs_endpoint_region_is_known (cases[i].region));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *drs = drs_endpoint_for_region (bad[i], &error);

      g_assert_error (error, DRS_ERROR, DRS_ERROR_INVALID);
      g_assert_null (drs);
    }
  g_assert_cmpuint (g_strv_length ((char **) drs_endpoint_list_regions ()), ==, 34);
}

/* Every region shows its name beside its id, in the language in force. */
static void
test_region_names (void)
{
  const char *const *regions = drs_endpoint_list_regions ();

  if (!drs_test_use_language ("en_US"))
    {
      g_test_skip ("The en_US.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  for (guint i = 0; regions[i] != NULL; i++)
    {
      const char *name = drs_endpoint_get_region_name (regions[i]);

      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, regions[i]);
    }
  {
    g_autofree char *label = drs_endpoint_dup_region_label ("cn-north-4");
    g_autofree char *unknown = drs_endpoint_dup_region_label ("xx-new-1");

    g_assert_cmpstr (label, ==, "cn-north-4 — CN North-Beijing4");
    g_assert_cmpstr (unknown, ==, "xx-new-1");
  }
  g_assert_cmpstr (drs_endpoint_get_region_name ("ap-southeast-1"), ==, "CN-Hong Kong");
  g_assert_cmpstr (drs_endpoint_get_region_name ("ap-southeast-3"), ==, "AP-Singapore");
  g_assert_null (drs_endpoint_get_region_name ("xx-new-1"));
  g_assert_null (drs_endpoint_get_region_name (NULL));

  if (!drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  {
    g_autofree char *label = drs_endpoint_dup_region_label ("cn-north-4");

    g_assert_cmpstr (label, ==, "cn-north-4 — 华北-北京四");
  }
  g_assert_cmpstr (drs_endpoint_get_region_name ("ap-southeast-1"), ==, "中国-香港");
  g_assert_cmpstr (drs_endpoint_get_region_name ("ap-southeast-3"), ==, "亚太-新加坡");
  /* Every name has its Chinese one. */
  for (guint i = 0; regions[i] != NULL; i++)
    {
      const char *name = drs_endpoint_get_region_name (regions[i]);

      g_assert_false (g_str_is_ascii (name));
    }
  drs_test_use_language ("en_US");
}

static void
test_connection_refused (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token (TEST_TOKEN);
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  g_autofree char *url = NULL;
  const char      *ids[] = { "a", NULL };
  guint16          port;

  /* A port that was free a moment ago and has no listener now. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  client = drs_client_new (url, "p", credentials, &error);
  g_assert_no_error (error);
  result = query (client, ids, NULL, &error);
  g_assert_no_error (error);
  g_assert_error (drs_progress_result_get_error (result, "a"), DRS_ERROR, DRS_ERROR_NETWORK);
  g_assert_true (strstr (drs_progress_result_get_error (result, "a")->message, "127.0.0.1"));
}

static gboolean
make_certificate (const char *dir, char **cert_path, char **key_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");

  if (openssl == NULL)
    return FALSE;
  *cert_path = g_build_filename (dir, "cert.pem", NULL);
  *key_path = g_build_filename (dir, "key.pem", NULL);
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", *key_path, "-out", *cert_path, "-days", "2", "-subj",
                           "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
  return TRUE;
}

/* TLS is always verified: a self-signed server is refused with a clear message, and trusted
 * when its certificate is given as the certificate authority. */
static void
test_tls (void)
{
  g_autofree char *dir = g_dir_make_tmp ("drs-tls-XXXXXX", NULL);
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (DrsSimulator) sim = NULL;
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token (TEST_TOKEN);
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) refused = NULL;
  g_autoptr (DrsProgressResult) trusted = NULL;
  g_auto (GStrv) ids = NULL;
  const GError *e;

  if (!make_certificate (dir, &cert_path, &key_path))
    {
      g_test_skip ("openssl is not installed");
      return;
    }
  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);

  sim = drs_simulator_new ();
  drs_simulator_add_token (sim, TEST_TOKEN);
  g_assert_true (drs_simulator_listen (sim, 0, certificate, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (drs_simulator_get_base_url (sim), "https://127.0.0.1:"));
  ids = drs_simulator_dup_job_ids (sim);

  client = drs_client_new (drs_simulator_get_base_url (sim), DRS_SIM_DEMO_PROJECT_ID, credentials,
                           &error);
  g_assert_no_error (error);
  refused = query (client, (const char *const *) ids, NULL, &error);
  g_assert_no_error (error);
  e = drs_progress_result_get_error (refused, ids[0]);
  g_assert_error (e, DRS_ERROR, DRS_ERROR_TLS);
  g_assert_nonnull (strstr (e->message, "--ca-file"));
  g_assert_cmpuint (drs_simulator_get_request_count (sim, "batch-progress"), ==, 0);

  /* Not a certificate file. */
  g_assert_false (drs_client_set_ca_file (client, key_path, &error));
  g_assert_error (error, DRS_ERROR, DRS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (drs_client_set_ca_file (client, cert_path, &error));
  g_assert_no_error (error);
  trusted = query (client, (const char *const *) ids, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drs_progress_result_get_batch_errors (trusted)->len, ==, 0);
  g_assert_nonnull (drs_progress_result_get_snapshot (trusted, ids[0]));

  g_remove (cert_path);
  g_remove (key_path);
  g_rmdir (dir);
}

/* A hand-made server for what the simulator does not do ---------------------------------------- */

typedef struct
{
  char *user_agent;
  char *language;
  char *mode;
} Capture;

static void
on_custom_request (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query_params,
                   gpointer           user_data)
{
  Capture            *capture = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  g_free (capture->user_agent);
  capture->user_agent = g_strdup (soup_message_headers_get_one (request, "User-Agent"));
  g_free (capture->language);
  capture->language = g_strdup (soup_message_headers_get_one (request, "X-Language"));
  soup_message_headers_replace (response, "X-Request-Id", "req-42");

  if (g_str_equal (capture->mode, "400-results"))
    {
      /* Per-job errors in a 400, and one asked-for id left out. */
      static const char body[] =
          "{\"error_code\":\"DRS.M00289\",\"error_msg\":\"job does not exist\",\"results\":["
          "{\"job_id\":\"a\",\"error_code\":\"DRS.M05004\",\"error_msg\":\"deleted\"},"
          "{\"job_id\":\"b\",\"progress\":\"50\",\"transfer_status\":\"FULL_TRANSFER_STARTED\"}]}";
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        sizeof body - 1);
      soup_server_message_set_status (msg, 400, NULL);
    }
  else if (g_str_equal (capture->mode, "retry-date"))
    {
      g_autoptr (GDateTime) later = g_date_time_new_now_utc ();
      g_autoptr (GDateTime) when = g_date_time_add_seconds (later, 120);
      g_autofree char  *date = soup_date_time_to_string (when, SOUP_DATE_HTTP);
      static const char body[] = "{\"error_code\":\"APIGW.0308\",\"error_msg\":\"throttled\"}";

      soup_message_headers_replace (response, "Retry-After", date);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        sizeof body - 1);
      soup_server_message_set_status (msg, 429, NULL);
    }
  else if (g_str_equal (capture->mode, "huge"))
    {
      gsize size = DRS_HTTP_DEFAULT_MAX_BODY + 1;
      char *body = g_malloc (size);

      memset (body, ' ', size);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body, size);
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (g_str_equal (capture->mode, "redirect"))
    {
      soup_message_headers_replace (response, "Location", "http://example.com/");
      soup_server_message_set_status (msg, 302, NULL);
    }
  else if (g_str_equal (capture->mode, "bad-request"))
    {
      static const char body[] = "{\"error_code\":\"DRS.M00200\",\"error_msg\":\"bad jobs\"}";
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        sizeof body - 1);
      soup_server_message_set_status (msg, 400, NULL);
    }
  else if (g_str_equal (capture->mode, "wrong-path"))
    {
      static const char body[] = "{\"error_code\":\"APIGW.0101\",\"error_msg\":\"The API does "
                                 "not exist\",\"request_id\":\"body-id\"}";
      soup_message_headers_remove (response, "X-Request-Id");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        sizeof body - 1);
      soup_server_message_set_status (msg, 404, NULL);
    }
  else if (g_str_equal (capture->mode, "no-results"))
    {
      static const char body[] = "{\"count\":0,\"results\":[]}";
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        sizeof body - 1);
      soup_server_message_set_status (msg, 200, NULL);
    }
}

static DrsProgressResult *
custom_query (Capture *capture, const char *mode)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token (TEST_TOKEN);
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GSList) uris = NULL;
  g_autofree char   *url = NULL;
  const char        *ids[] = { "a", "b", "c", NULL };
  DrsProgressResult *result;

  capture->mode = (char *) mode;
  soup_server_add_handler (server, NULL, on_custom_request, capture, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  client = drs_client_new (url, "p", credentials, &error);
  g_assert_no_error (error);
  drs_client_set_language (client, "zh-cn");
  result = query (client, ids, NULL, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_custom_server (void)
{
  Capture capture = { 0 };
  g_autoptr (DrsProgressResult) r400 = NULL;
  g_autoptr (DrsProgressResult) retry = NULL;
  g_autoptr (DrsProgressResult) huge = NULL;
  g_autoptr (DrsProgressResult) redirect = NULL;
  g_autoptr (DrsProgressResult) missing = NULL;
  g_autoptr (DrsProgressResult) bad = NULL;
  g_autoptr (DrsProgressResult) wrong_path = NULL;
  const GError    *e;
  g_autofree char *expected_agent = g_strdup_printf ("drs-monitor/%s", PACKAGE_VERSION);

  r400 = custom_query (&capture, "400-results");
  g_assert_cmpstr (capture.user_agent, ==, expected_agent);
  g_assert_cmpstr (capture.language, ==, "zh-cn");
  g_assert_cmpstr (drs_progress_result_get_snapshot (r400, "a")->error_code, ==, "DRS.M05004");
  g_assert_cmpfloat (drs_progress_result_get_snapshot (r400, "b")->progress, ==, 50);
  g_assert_null (drs_progress_result_get_snapshot (r400, "c"));
  e = drs_progress_result_get_error (r400, "c");
  g_assert_error (e, DRS_ERROR, DRS_ERROR_NOT_FOUND);
  g_assert_cmpstr (drs_error_get_server_code (e), ==, "DRS.M00289");
  g_assert_cmpstr (drs_error_get_request_id (e), ==, "req-42");
  g_assert_cmpuint (drs_error_get_http_status (e), ==, 400);

  retry = custom_query (&capture, "retry-date");
  e = drs_progress_result_get_error (retry, "a");
  g_assert_error (e, DRS_ERROR, DRS_ERROR_THROTTLED);
  g_assert_cmpint (drs_error_get_retry_after (e), >=, 110);
  g_assert_cmpint (drs_error_get_retry_after (e), <=, 121);

  huge = custom_query (&capture, "huge");
  e = drs_progress_result_get_error (huge, "a");
  g_assert_error (e, DRS_ERROR, DRS_ERROR_PROTOCOL);
  g_test_message ("%s", e->message);
  g_assert_nonnull (strstr (e->message, "8.0"));

  redirect = custom_query (&capture, "redirect");
  e = drs_progress_result_get_error (redirect, "a");
  g_assert_error (e, DRS_ERROR, DRS_ERROR_PROTOCOL);
  g_assert_cmpuint (drs_error_get_http_status (e), ==, 302);

  missing = custom_query (&capture, "no-results");
  e = drs_progress_result_get_error (missing, "b");
  g_assert_error (e, DRS_ERROR, DRS_ERROR_PROTOCOL);

  bad = custom_query (&capture, "bad-request");
  e = drs_progress_result_get_error (bad, "a");
  g_assert_error (e, DRS_ERROR, DRS_ERROR_BAD_REQUEST);
  g_assert_cmpstr (drs_error_get_server_message (e), ==, "bad jobs");
  g_assert_true (drs_progress_result_get_error (bad, "c") == e);

  /* The gateway's request id in the body counts when there is no X-Request-Id header. */
  wrong_path = custom_query (&capture, "wrong-path");
  e = drs_progress_result_get_error (wrong_path, "a");
  g_assert_error (e, DRS_ERROR, DRS_ERROR_NOT_FOUND);
  g_assert_cmpstr (drs_error_get_request_id (e), ==, "body-id");

  g_free (capture.user_agent);
  g_free (capture.language);
}

static void
test_retry_after_parse (void)
{
  gint64 now = (gint64) 1700000000 * G_USEC_PER_SEC;

  g_assert_cmpint (drs_http_parse_retry_after ("7", now), ==, 7);
  g_assert_cmpint (drs_http_parse_retry_after (" 120 ", now), ==, 120);
  g_assert_cmpint (drs_http_parse_retry_after ("0", now), ==, 0);
  g_assert_cmpint (drs_http_parse_retry_after ("-1", now), ==, -1);
  g_assert_cmpint (drs_http_parse_retry_after ("soon", now), ==, -1);
  g_assert_cmpint (drs_http_parse_retry_after ("", now), ==, -1);
  g_assert_cmpint (drs_http_parse_retry_after (NULL, now), ==, -1);
  g_assert_cmpint (drs_http_parse_retry_after ("99999999999", now), ==, -1);
  /* 1700000000 is Tue, 14 Nov 2023 22:13:20 GMT */
  g_assert_cmpint (drs_http_parse_retry_after ("Tue, 14 Nov 2023 22:14:20 GMT", now), ==, 60);
  g_assert_cmpint (drs_http_parse_retry_after ("Tue, 14 Nov 2023 22:00:00 GMT", now), ==, 0);
}

/* Job list and project lookup ----------------------------------------------------------------- */

static void
test_list_jobs (Fixture *f, gconstpointer data)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) result2 = NULL;
  g_autoptr (GPtrArray) jobs = NULL;
  g_autoptr (GPtrArray) migrations = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  drs_client_list_jobs_async (f->client, NULL, NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 10000);
  jobs = drs_client_list_jobs_finish (f->client, result, &error);
  g_assert_no_error (error);
  /* Every visible job (the scenario creates a few later), each once. */
  g_assert_cmpuint (jobs->len, <=, g_strv_length (f->known));
  g_assert_cmpuint (jobs->len, >=, g_strv_length (f->known) - 3);
  for (guint i = 0; i < jobs->len; i++)
    {
      DrsJobInfo *info = jobs->pdata[i];

      g_assert_true (g_strv_contains ((const char *const *) f->known, info->id));
      g_assert_true (g_hash_table_add (seen, info->id));
      g_assert_nonnull (info->db_use_type);
    }

  drs_client_list_jobs_async (f->client, "migration", NULL, on_result, &result2);
  DRS_TEST_SPIN_UNTIL (result2 != NULL, 10000);
  migrations = drs_client_list_jobs_finish (f->client, result2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (migrations->len, >, 0);
  g_assert_cmpuint (migrations->len, <, jobs->len);
  for (guint i = 0; i < migrations->len; i++)
    g_assert_cmpstr (((DrsJobInfo *) migrations->pdata[i])->db_use_type, ==, "migration");
}

static void
test_lookup_project (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) password = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) result2 = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *project = NULL;
  g_autofree char *none = NULL;

  password =
      drs_credentials_new_password (drs_simulator_get_base_url (f->sim), DRS_SIM_DEMO_ACCOUNT,
                                    DRS_SIM_DEMO_USER, DRS_SIM_DEMO_PASSWORD, NULL);
  drs_client_lookup_project_async (drs_simulator_get_base_url (f->sim), password,
                                   DRS_SIM_DEMO_REGION, NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 10000);
  project = drs_client_lookup_project_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (project, ==, DRS_SIM_DEMO_PROJECT_ID);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "projects"), ==, 1);

  drs_client_lookup_project_async (drs_simulator_get_base_url (f->sim), f->credentials,
                                   "xx-nowhere-1", NULL, on_result, &result2);
  DRS_TEST_SPIN_UNTIL (result2 != NULL, 10000);
  none = drs_client_lookup_project_finish (result2, &error);
  g_assert_error (error, DRS_ERROR, DRS_ERROR_NOT_FOUND);
  g_assert_null (none);
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/client/ids/one", test_one);
  ADD ("/client/ids/ten", test_ten);
  ADD ("/client/ids/eleven", test_eleven);
  ADD ("/client/ids/thousand", test_thousand);
  ADD ("/client/ids/batch-size", test_batch_size);
  ADD ("/client/ids/duplicates", test_duplicates);
  ADD ("/client/ids/unknown-mixed", test_unknown_mixed);
  ADD ("/client/ids/empty", test_empty);
  ADD ("/client/language", test_language);
  ADD ("/client/fault/throttle", test_fault_throttle);
  ADD ("/client/fault/rate-limit", test_fault_rate_limit);
  ADD ("/client/fault/server", test_fault_server);
  ADD ("/client/fault/drop", test_fault_drop);
  ADD ("/client/fault/malformed", test_fault_malformed);
  ADD ("/client/fault/timeout", test_fault_timeout);
  ADD ("/client/size-cap", test_size_cap);
  ADD ("/client/auth/bad-token", test_bad_token);
  ADD ("/client/auth/wrong-project", test_wrong_project);
  ADD ("/client/cancel", test_cancel);
  ADD ("/client/concurrent-queries", test_concurrent_queries);
  ADD ("/client/list-jobs", test_list_jobs);
  ADD ("/client/lookup-project", test_lookup_project);
#undef ADD
  g_test_add_func ("/client/transport/loopback", test_loopback_rule);
  g_test_add_func ("/client/transport/regions", test_regions);
  g_test_add_func ("/client/transport/region-names", test_region_names);
  g_test_add_func ("/client/transport/refused", test_connection_refused);
  g_test_add_func ("/client/transport/tls", test_tls);
  g_test_add_func ("/client/custom-server", test_custom_server);
  g_test_add_func ("/client/retry-after", test_retry_after_parse);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libsoup/soup.h>

#include "drs-client.h"
#include "drs-error.h"
#include "drs-simulator.h"
#include "drs-test-utils.h"

#define TEST_TOKEN "credentials-test-fixed-token-0123456789"

typedef struct
{
  DrsSimulator *sim;
  char        **known;
  gint64        now_us; /* the client's clock */
} Fixture;

static gint64
fake_now (gpointer user_data)
{
  return ((Fixture *) user_data)->now_us;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->sim = drs_simulator_new ();
  drs_simulator_add_token (f->sim, TEST_TOKEN);
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);
  f->known = drs_simulator_dup_job_ids (f->sim);
  f->now_us = g_get_real_time ();
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->known, g_strfreev);
  g_assert_finalize_object (f->sim);
}

static DrsCredentials *
password_credentials (Fixture *f, const char *password)
{
  return drs_credentials_new_password (drs_simulator_get_base_url (f->sim), DRS_SIM_DEMO_ACCOUNT,
                                       DRS_SIM_DEMO_USER, password, DRS_SIM_DEMO_PROJECT_ID);
}

static DrsClient *
new_client (Fixture *f, DrsCredentials *credentials)
{
  g_autoptr (GError) error = NULL;
  DrsClient *client = drs_client_new (drs_simulator_get_base_url (f->sim), DRS_SIM_DEMO_PROJECT_ID,
                                      credentials, &error);

  g_assert_no_error (error);
  return client;
}

static void
on_result (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static DrsProgressResult *
query (DrsClient *client, const char *const *ids, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  drs_client_query_progress_async (client, ids, NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 30000);
  return drs_client_query_progress_finish (client, result, error);
}

static void
assert_all_read (DrsProgressResult *result, const char *const *ids)
{
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const GError *e = drs_progress_result_get_error (result, ids[i]);

      if (e != NULL)
        g_error ("%s: %s", ids[i], e->message);
      g_assert_nonnull (drs_progress_result_get_snapshot (result, ids[i]));
    }
}

/* Many batches at once, one sign-in; the next query reuses the token. */
static void
test_password_shared_login (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) credentials = password_credentials (f, DRS_SIM_DEMO_PASSWORD);
  g_autoptr (DrsClient) client = new_client (f, credentials);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) first = NULL;
  g_autoptr (DrsProgressResult) second = NULL;

  drs_client_set_batch_size (client, 2);
  drs_client_set_concurrency (client, 8);
  first = query (client, (const char *const *) f->known, &error);
  g_assert_no_error (error);
  assert_all_read (first, (const char *const *) f->known);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 1);
  g_assert_cmpuint (drs_credentials_get_login_count (credentials), ==, 1);
  g_assert_nonnull (drs_credentials_get_token (credentials));
  /* The sign-in's expiry: 24 h on our clock. */
  g_assert_cmpint (drs_credentials_get_expires_at (credentials) - g_get_real_time (), >,
                   (gint64) 23 * 3600 * G_USEC_PER_SEC);

  second = query (client, (const char *const *) f->known, &error);
  g_assert_no_error (error);
  assert_all_read (second, (const char *const *) f->known);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 1);
}

/* The server expires the token mid-run: every batch in flight gets 401 APIGW.0301, and exactly
 * one new sign-in follows; each batch is sent again once. */
static void
test_token_expiry_mid_run (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .token_ttl_s = 600 };
  g_autoptr (DrsCredentials) credentials = password_credentials (f, DRS_SIM_DEMO_PASSWORD);
  g_autoptr (DrsClient) client = new_client (f, credentials);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) first = NULL;
  g_autoptr (DrsProgressResult) second = NULL;
  guint n_batches = (g_strv_length (f->known) + 9) / 10;

  /* All batches in flight at once, all with the old token. */
  drs_client_set_concurrency (client, 8);
  g_assert_cmpuint (n_batches, <=, 8);
  drs_simulator_set_manual_clock (f->sim, TRUE);
  drs_simulator_set_faults (f->sim, &faults);
  first = query (client, (const char *const *) f->known, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 1);

  /* The server's clock moves past the expiry; ours does not know. */
  drs_simulator_advance (f->sim, 601 * 1000);
  drs_simulator_reset_stats (f->sim);
  second = query (client, (const char *const *) f->known, &error);
  g_assert_no_error (error);
  assert_all_read (second, (const char *const *) f->known);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 1);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, 2 * n_batches);
  g_assert_cmpuint (drs_credentials_get_login_count (credentials), ==, 2);
}

/* A token is renewed an hour before it expires, before any request is refused. */
static void
test_renew_ahead (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) credentials = password_credentials (f, DRS_SIM_DEMO_PASSWORD);
  g_autoptr (DrsClient) client = new_client (f, credentials);
  g_autoptr (GError) error = NULL;
  const char *ids[] = { f->known[0], NULL };
  guint       n_requests;

  drs_credentials_set_time_func (credentials, fake_now, f);
  g_clear_pointer (&(DrsProgressResult *){ query (client, ids, &error) },
                   drs_progress_result_unref);
  g_assert_no_error (error);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 1);

  /* 22 h 59 min later: still fresh. */
  f->now_us += ((gint64) 22 * 3600 + 59 * 60) * G_USEC_PER_SEC;
  g_clear_pointer (&(DrsProgressResult *){ query (client, ids, &error) },
                   drs_progress_result_unref);
  g_assert_no_error (error);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 1);

  /* 23 h 1 min: within the last hour, so renewed first; no request was refused. */
  f->now_us += 2 * 60 * G_USEC_PER_SEC;
  n_requests = drs_simulator_get_request_count (f->sim, "batch-progress");
  g_clear_pointer (&(DrsProgressResult *){ query (client, ids, &error) },
                   drs_progress_result_unref);
  g_assert_no_error (error);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 2);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, n_requests + 1);
}

/* A wrong password fails every batch with one sign-in attempt, as an auth error. */
static void
test_wrong_password (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) credentials = password_credentials (f, "Not-The-Passw0rd-XYZ");
  g_autoptr (DrsClient) client = new_client (f, credentials);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  GPtrArray *errors;

  drs_client_set_batch_size (client, 5);
  result = query (client, (const char *const *) f->known, &error);
  g_assert_no_error (error);
  errors = drs_progress_result_get_batch_errors (result);
  g_assert_cmpuint (errors->len, ==, (g_strv_length (f->known) + 4) / 5);
  for (guint i = 0; i < errors->len; i++)
    {
      DrsBatchError *be = errors->pdata[i];

      g_assert_error (be->error, DRS_ERROR, DRS_ERROR_AUTH);
      g_assert_cmpuint (drs_error_get_http_status (be->error), ==, 401);
      g_assert_nonnull (strstr (be->error->message, DRS_SIM_DEMO_USER));
      g_assert_null (strstr (be->error->message, "Not-The-Passw0rd-XYZ"));
    }
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 1);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, 0);

  /* Not tried again by the next refresh (IAM locks users out after repeated failures)… */
  g_clear_pointer (&result, drs_progress_result_unref);
  result = query (client, (const char *const *) f->known, &error);
  g_assert_no_error (error);
  g_assert_error (drs_progress_result_get_error (result, f->known[0]), DRS_ERROR, DRS_ERROR_AUTH);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 1);

  /* …only when asked to sign in explicitly. */
  {
    g_autoptr (SoupSession) session = soup_session_new ();
    g_autoptr (GAsyncResult) login = NULL;

    drs_credentials_login_async (credentials, session, NULL, on_result, &login);
    DRS_TEST_SPIN_UNTIL (login != NULL, 10000);
    g_assert_false (drs_credentials_login_finish (credentials, login, &error));
    g_assert_error (error, DRS_ERROR, DRS_ERROR_AUTH);
    g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 2);
  }
}

/* The IAM endpoint obeys the transport rule too: nothing is sent. */
static void
test_iam_loopback_rule (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_password (
      "http://iam.example.com", DRS_SIM_DEMO_ACCOUNT, DRS_SIM_DEMO_USER, "pw", "p");
  g_autoptr (DrsClient) client = new_client (f, credentials);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  const char *ids[] = { "x", NULL };

  result = query (client, ids, &error);
  g_assert_no_error (error);
  g_assert_error (drs_progress_result_get_error (result, "x"), DRS_ERROR, DRS_ERROR_INVALID);
}

/* Cancelling while the sign-in is in flight ends the query at once. */
static void
test_cancel_during_login (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .latency_ms = 20000 };
  g_autoptr (DrsCredentials) credentials = password_credentials (f, DRS_SIM_DEMO_PASSWORD);
  g_autoptr (DrsClient) client = new_client (f, credentials);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) progress = NULL;
  gint64 start;

  drs_simulator_set_faults (f->sim, &faults);
  drs_client_query_progress_async (client, (const char *const *) f->known, cancellable, on_result,
                                   &result);
  DRS_TEST_SPIN_UNTIL (drs_simulator_get_request_count (f->sim, "tokens") == 1, 5000);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  DRS_TEST_SPIN_UNTIL (result != NULL, 5000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  progress = drs_client_query_progress_finish (client, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-progress"), ==, 0);
}

static void
test_aksk (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) good =
      drs_credentials_new_aksk (DRS_SIM_DEMO_AK, DRS_SIM_DEMO_SK, DRS_SIM_DEMO_PROJECT_ID);
  g_autoptr (DrsCredentials) bad = drs_credentials_new_aksk (
      DRS_SIM_DEMO_AK, "SKWRONG0000000000000000000000000000000000", DRS_SIM_DEMO_PROJECT_ID);
  g_autoptr (DrsCredentials) skewed =
      drs_credentials_new_aksk (DRS_SIM_DEMO_AK, DRS_SIM_DEMO_SK, DRS_SIM_DEMO_PROJECT_ID);
  g_autoptr (DrsClient) good_client = new_client (f, good);
  g_autoptr (DrsClient) bad_client = new_client (f, bad);
  g_autoptr (DrsClient) skewed_client = new_client (f, skewed);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) ok = NULL;
  g_autoptr (DrsProgressResult) refused = NULL;
  g_autoptr (DrsProgressResult) late = NULL;

  /* Signed requests, several batches, also with a language header. */
  drs_client_set_language (good_client, "zh-cn");
  ok = query (good_client, (const char *const *) f->known, &error);
  g_assert_no_error (error);
  assert_all_read (ok, (const char *const *) f->known);

  refused = query (bad_client, (const char *const *) f->known, &error);
  g_assert_no_error (error);
  g_assert_error (drs_progress_result_get_error (refused, f->known[0]), DRS_ERROR, DRS_ERROR_AUTH);

  /* X-Sdk-Date comes from the credentials' clock: 20 minutes off is refused. */
  f->now_us -= (gint64) 20 * 60 * G_USEC_PER_SEC;
  drs_credentials_set_time_func (skewed, fake_now, f);
  late = query (skewed_client, (const char *const *) f->known, &error);
  g_assert_no_error (error);
  g_assert_error (drs_progress_result_get_error (late, f->known[0]), DRS_ERROR, DRS_ERROR_AUTH);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "tokens"), ==, 0);
}

/* Secrets never reach the log, even with every debug message on. */
static GString *captured;
G_LOCK_DEFINE_STATIC (captured);

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  /* GIO's worker threads log too. */
  G_LOCK (captured);
  if (captured == NULL)
    {
      G_UNLOCK (captured);
      return g_log_writer_default (log_level, fields, n_fields, user_data);
    }
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append (captured, fields[i].value);
      else
        g_string_append_len (captured, fields[i].value, fields[i].length);
      g_string_append_c (captured, '\n');
    }
  /* Keep fatal levels fatal. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      G_UNLOCK (captured);
      return g_log_writer_default (log_level, fields, n_fields, user_data);
    }
  G_UNLOCK (captured);
  return G_LOG_WRITER_HANDLED;
}

static void
test_log_redaction (void)
{
  if (g_test_subprocess ())
    {
      Fixture  fixture = { 0 };
      Fixture *f = &fixture;
      g_autoptr (DrsCredentials) token = drs_credentials_new_token (TEST_TOKEN);
      g_autoptr (DrsCredentials) password = NULL;
      g_autoptr (DrsCredentials) aksk = NULL;
      g_autoptr (DrsClient) c1 = NULL;
      g_autoptr (DrsClient) c2 = NULL;
      g_autoptr (DrsClient) c3 = NULL;
      g_autoptr (GError) error = NULL;
      g_autofree char *issued = NULL;
      g_autofree char *log_text = NULL;
      DrsSimFaults     faults = { .token_ttl_s = 60 };

      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_log_set_debug_enabled (TRUE);
      captured = g_string_new (NULL);
      g_log_set_writer_func (capture_writer, NULL, NULL);

      fixture_set_up (f, NULL);
      password = password_credentials (f, DRS_SIM_DEMO_PASSWORD);
      aksk = drs_credentials_new_aksk (DRS_SIM_DEMO_AK, DRS_SIM_DEMO_SK, DRS_SIM_DEMO_PROJECT_ID);
      c1 = new_client (f, token);
      c2 = new_client (f, password);
      c3 = new_client (f, aksk);

      /* Sign in, expire, sign in again: every path that touches a secret. */
      drs_simulator_set_manual_clock (f->sim, TRUE);
      drs_simulator_set_faults (f->sim, &faults);
      g_clear_pointer (&(DrsProgressResult *){ query (c1, (const char *const *) f->known, &error) },
                       drs_progress_result_unref);
      g_clear_pointer (&(DrsProgressResult *){ query (c2, (const char *const *) f->known, &error) },
                       drs_progress_result_unref);
      drs_simulator_advance (f->sim, 61 * 1000);
      g_clear_pointer (&(DrsProgressResult *){ query (c2, (const char *const *) f->known, &error) },
                       drs_progress_result_unref);
      issued = g_strdup (drs_credentials_get_token (password));
      g_clear_pointer (&(DrsProgressResult *){ query (c3, (const char *const *) f->known, &error) },
                       drs_progress_result_unref);
      g_assert_no_error (error);
      g_assert_cmpuint (drs_credentials_get_login_count (password), ==, 2);

      g_clear_object (&c1);
      g_clear_object (&c2);
      g_clear_object (&c3);
      fixture_tear_down (f, NULL);

      G_LOCK (captured);
      log_text = g_strdup (captured->str);
      g_string_free (captured, TRUE);
      captured = NULL;
      G_UNLOCK (captured);

      /* The run did log (so the check below means something)… */
      g_assert_nonnull (strstr (log_text, "drs-client"));
      g_assert_nonnull (strstr (log_text, "Signed in to IAM as"));
      /* …but none of the secrets. */
      g_assert_nonnull (issued);
      g_assert_null (strstr (log_text, issued));
      g_assert_null (strstr (log_text, TEST_TOKEN));
      g_assert_null (strstr (log_text, DRS_SIM_DEMO_PASSWORD));
      g_assert_null (strstr (log_text, DRS_SIM_DEMO_SK));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/credentials/password/shared-login", test_password_shared_login);
  ADD ("/credentials/password/expiry-mid-run", test_token_expiry_mid_run);
  ADD ("/credentials/password/renew-ahead", test_renew_ahead);
  ADD ("/credentials/password/wrong", test_wrong_password);
  ADD ("/credentials/password/iam-loopback-rule", test_iam_loopback_rule);
  ADD ("/credentials/password/cancel-during-login", test_cancel_during_login);
  ADD ("/credentials/aksk", test_aksk);
#undef ADD
  g_test_add_func ("/credentials/log-redaction", test_log_redaction);

  return g_test_run ();
}

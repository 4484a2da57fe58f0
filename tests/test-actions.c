/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "drs-client.h"
#include "drs-error.h"
#include "drs-monitor-private.h"
#include "drs-simulator.h"
#include "drs-test-utils.h"

/* Pause, resume and retry (issue 15): DrsClient and DrsMonitor against the simulator, over real
 * HTTP on loopback, and the history's record of them in a real SQLite file. */

#define TOKEN "actions-test-token"
#define UNKNOWN_ID "00000000-0000-0000-0000-000000000000jb99"

typedef struct
{
  DrsSimulator   *sim;
  DrsCredentials *credentials;
  DrsClient      *client;
  GStrv           running; /* the simulator's jobs by status class at the start */
  GStrv           failed;
  GStrv           other; /* finished or pending */
} Fixture;

static GStrv
pick (DrsSimulator *sim, DrsStatusClass wanted)
{
  g_auto (GStrv) ids = drs_simulator_dup_job_ids (sim);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *status = drs_simulator_dup_job_status (sim, ids[i]);
      DrsStatusClass   c;

      if (status == NULL)
        continue;
      /* FULL_TRANSFER_COMPLETE is running or finished by task mode: left out. */
      if (g_str_equal (status, "FULL_TRANSFER_COMPLETE"))
        continue;
      c = drs_job_status_classify (drs_job_status_from_string (status),
                                   DRS_TASK_MODE_FULL_INCR_TRANS);
      if (c == wanted || (wanted == DRS_STATUS_CLASS_FINISHED && (c == DRS_STATUS_CLASS_PENDING)))
        g_strv_builder_add (builder, ids[i]);
    }
  return g_strv_builder_end (builder);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (f->sim, TRUE);
  drs_simulator_add_token (f->sim, TOKEN);
  drs_simulator_add_access_key (f->sim, DRS_SIM_DEMO_AK, DRS_SIM_DEMO_SK);
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);
  f->credentials = drs_credentials_new_token (TOKEN);
  f->client = drs_client_new (drs_simulator_get_base_url (f->sim), DRS_SIM_DEMO_PROJECT_ID,
                              f->credentials, &error);
  g_assert_no_error (error);
  f->running = pick (f->sim, DRS_STATUS_CLASS_RUNNING);
  f->failed = pick (f->sim, DRS_STATUS_CLASS_FAILED);
  f->other = pick (f->sim, DRS_STATUS_CLASS_FINISHED);
  g_assert_cmpuint (g_strv_length (f->running), >=, 12);
  g_assert_cmpuint (g_strv_length (f->failed), >=, 2);
  g_assert_cmpuint (g_strv_length (f->other), >=, 1);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->client);
  g_clear_object (&f->credentials);
  g_clear_pointer (&f->running, g_strfreev);
  g_clear_pointer (&f->failed, g_strfreev);
  g_clear_pointer (&f->other, g_strfreev);
  g_assert_finalize_object (f->sim);
}

static void
on_result (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static DrsActionResult *
act (DrsClient *client, DrsTaskAction action, DrsPauseMode mode, const char *const *ids)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  DrsActionResult *answer;

  drs_client_act_async (client, &(DrsActionRequest){ action, mode, ids }, NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 30000);
  answer = drs_client_act_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static void
assert_outcome (DrsActionResult *result,
                const char      *id,
                DrsActionOutcome outcome,
                DrsErrorCode     code,
                const char      *server_code)
{
  const GError *error = drs_action_result_get_error (result, id);

  g_assert_cmpint (drs_action_result_get_outcome (result, id), ==, outcome);
  if (outcome == DRS_ACTION_OUTCOME_SUCCESS)
    {
      g_assert_null (error);
      return;
    }
  g_assert_error (error, DRS_ERROR, (gint) code);
  g_assert_cmpstr (drs_error_get_server_code (error), ==, server_code);
  if (server_code != NULL)
    g_assert_nonnull (strstr (error->message, server_code));
}

static char *
status_of (Fixture *f, const char *id)
{
  return drs_simulator_dup_job_status (f->sim, id);
}

/* Each action on valid tasks --------------------------------------------------------------- */

static void
test_pause_resume (Fixture *f, gconstpointer data)
{
  const char      *ids[] = { f->running[0], f->running[1], NULL };
  g_autofree char *before0 = status_of (f, ids[0]);
  g_autofree char *before1 = status_of (f, ids[1]);
  g_autoptr (DrsActionResult) paused = NULL;
  g_autoptr (DrsActionResult) resumed = NULL;
  g_autofree char *after = NULL;
  g_autofree char *back0 = NULL;
  g_autofree char *back1 = NULL;

  paused = act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids);
  g_assert_cmpuint (drs_action_result_count (paused, DRS_ACTION_OUTCOME_SUCCESS), ==, 2);
  g_assert_cmpuint (drs_action_result_get_n_requests (paused), ==, 1);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-pause-task"), ==, 1);
  after = status_of (f, ids[0]);
  g_assert_cmpstr (after, ==, "PAUSING");

  /* Paused tasks stay paused while the scenario clock runs. */
  drs_simulator_advance (f->sim, 3600 * 1000);
  g_free (after);
  after = status_of (f, ids[1]);
  g_assert_cmpstr (after, ==, "PAUSING");

  resumed = act (f->client, DRS_TASK_ACTION_RESUME, DRS_PAUSE_MODE_TARGET, ids);
  g_assert_cmpuint (drs_action_result_count (resumed, DRS_ACTION_OUTCOME_SUCCESS), ==, 2);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-retry-task"), ==, 1);
  /* Back where they were: the hour paused did not count. */
  back0 = status_of (f, ids[0]);
  back1 = status_of (f, ids[1]);
  g_assert_cmpstr (back0, ==, before0);
  g_assert_cmpstr (back1, ==, before1);
}

static void
test_pause_all_mode (Fixture *f, gconstpointer data)
{
  const char *ids[] = { f->running[2], NULL };
  g_autoptr (DrsActionResult) result =
      act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_ALL, ids);
  g_autofree char *status = status_of (f, ids[0]);

  g_assert_cmpint (drs_action_result_get_pause_mode (result), ==, DRS_PAUSE_MODE_ALL);
  assert_outcome (result, ids[0], DRS_ACTION_OUTCOME_SUCCESS, 0, NULL);
  g_assert_cmpstr (status, ==, "PAUSING");
}

static void
test_retry (Fixture *f, gconstpointer data)
{
  const char *ids[] = { f->failed[0], f->failed[1], NULL };
  g_autoptr (DrsActionResult) result =
      act (f->client, DRS_TASK_ACTION_RETRY, DRS_PAUSE_MODE_TARGET, ids);

  g_assert_cmpuint (drs_action_result_count (result, DRS_ACTION_OUTCOME_SUCCESS), ==, 2);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *status = status_of (f, ids[i]);

      /* Back to a running status, and its progress answer carries no error any more. */
      g_assert_cmpint (drs_job_status_classify (drs_job_status_from_string (status),
                                                DRS_TASK_MODE_FULL_INCR_TRANS),
                       ==, DRS_STATUS_CLASS_RUNNING);
    }
}

/* Wrong state, unknown, mixed ------------------------------------------------------------------ */

static void
test_wrong_state (Fixture *f, gconstpointer data)
{
  const char *pause_ids[] = { f->failed[0], f->other[0], NULL };
  const char *retry_ids[] = { f->running[0], f->other[0], NULL };
  g_autoptr (DrsActionResult) paused = NULL;
  g_autoptr (DrsActionResult) retried = NULL;

  paused = act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, pause_ids);
  for (guint i = 0; pause_ids[i] != NULL; i++)
    assert_outcome (paused, pause_ids[i], DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_BAD_REQUEST,
                    "DRS.M05005");
  /* Resume of a task that is not paused, retry of one that has not failed. */
  retried = act (f->client, DRS_TASK_ACTION_RESUME, DRS_PAUSE_MODE_TARGET, retry_ids);
  for (guint i = 0; retry_ids[i] != NULL; i++)
    assert_outcome (retried, retry_ids[i], DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_BAD_REQUEST,
                    "DRS.M05005");
  g_assert_cmpuint (drs_action_result_count (retried, DRS_ACTION_OUTCOME_FAILED), ==, 2);
}

static void
test_unknown (Fixture *f, gconstpointer data)
{
  const char *ids[] = { UNKNOWN_ID, "not-a-task-id", NULL };
  g_autoptr (DrsActionResult) result =
      act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids);

  assert_outcome (result, UNKNOWN_ID, DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_NOT_FOUND, "DRS.M05003");
  /* Not a task id: refused here, never sent. */
  assert_outcome (result, "not-a-task-id", DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_INVALID, NULL);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-pause-task"), ==, 1);
}

static void
test_mixed (Fixture *f, gconstpointer data)
{
  const char *ids[] = {
    f->running[3], f->failed[0], UNKNOWN_ID, f->running[4], f->running[3], NULL
  };
  g_autoptr (DrsActionResult) result =
      act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids);
  const char *const *asked = drs_action_result_get_job_ids (result);

  /* Deduplicated, in the order asked; each with its own outcome. */
  g_assert_cmpuint (g_strv_length ((char **) asked), ==, 4);
  g_assert_cmpstr (asked[2], ==, UNKNOWN_ID);
  assert_outcome (result, f->running[3], DRS_ACTION_OUTCOME_SUCCESS, 0, NULL);
  assert_outcome (result, f->running[4], DRS_ACTION_OUTCOME_SUCCESS, 0, NULL);
  assert_outcome (result, f->failed[0], DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_BAD_REQUEST,
                  "DRS.M05005");
  assert_outcome (result, UNKNOWN_ID, DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_NOT_FOUND, "DRS.M05003");
  g_assert_cmpuint (drs_action_result_count (result, DRS_ACTION_OUTCOME_SUCCESS), ==, 2);
  g_assert_cmpuint (drs_action_result_count (result, DRS_ACTION_OUTCOME_FAILED), ==, 2);
  g_assert_cmpstr (drs_action_result_get_first_job (result, DRS_ACTION_OUTCOME_FAILED), ==,
                   f->failed[0]);
}

static void
test_batches (Fixture *f, gconstpointer data)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) ids = NULL;
  g_autoptr (DrsActionResult) result = NULL;

  /* 12 running + the rest unknown: 23 tasks in batches of ten. */
  for (guint i = 0; i < 12; i++)
    g_strv_builder_add (builder, f->running[i]);
  for (guint i = 0; i < 11; i++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-0000-0000-%012ujb", i);

      g_strv_builder_add (builder, id);
    }
  ids = g_strv_builder_end (builder);

  result = act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, (const char *const *) ids);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-pause-task"), ==, 3);
  g_assert_cmpuint (drs_action_result_get_n_requests (result), ==, 3);
  g_assert_cmpuint (drs_action_result_count (result, DRS_ACTION_OUTCOME_SUCCESS), ==, 12);
  g_assert_cmpuint (drs_action_result_count (result, DRS_ACTION_OUTCOME_FAILED), ==, 11);
}

/* Permission and faults ---------------------------------------------------------------------- */

static void
set_faults (Fixture *f, const DrsSimFaults *faults)
{
  drs_simulator_set_faults (f->sim, faults);
  drs_simulator_reset_stats (f->sim);
}

static void
test_forbidden (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .read_only = TRUE };
  const char  *ids[] = { f->running[0], f->failed[0], NULL };
  g_autoptr (DrsActionResult) paused = NULL;
  g_autoptr (DrsActionResult) retried = NULL;
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (DrsProgressResult) progress = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *status = NULL;

  set_faults (f, &faults);
  paused = act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids);
  retried = act (f->client, DRS_TASK_ACTION_RETRY, DRS_PAUSE_MODE_TARGET, ids);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      assert_outcome (paused, ids[i], DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_FORBIDDEN, "DRS.M00103");
      assert_outcome (retried, ids[i], DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_FORBIDDEN,
                      "DRS.M00103");
      /* In plain words: the user may read but not operate. */
      g_assert_nonnull (
          strstr (drs_action_result_get_error (paused, ids[i])->message, "permission to operate"));
    }
  status = status_of (f, ids[0]);
  g_assert_cmpstr (status, !=, "PAUSING");

  /* Reading still works. */
  drs_client_query_progress_async (f->client, ids, NULL, on_result, &res);
  DRS_TEST_SPIN_UNTIL (res != NULL, 30000);
  progress = drs_client_query_progress_finish (f->client, res, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drs_progress_result_get_batch_errors (progress)->len, ==, 0);
  g_assert_nonnull (drs_progress_result_get_snapshot (progress, ids[0]));
}

static void
test_throttled (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .throttle_rate = 1.0, .retry_after_s = 7 };
  const char  *ids[] = { f->running[0], NULL };
  g_autoptr (DrsActionResult) result = NULL;
  g_autofree char *status = NULL;

  set_faults (f, &faults);
  result = act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids);
  /* Refused by the gateway: nothing changed, and the request was not sent again. */
  assert_outcome (result, ids[0], DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_THROTTLED, "APIGW.0308");
  g_assert_cmpint (drs_error_get_retry_after (drs_action_result_get_error (result, ids[0])), ==, 7);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-pause-task"), ==, 1);
  g_assert_cmpuint (drs_action_result_get_n_requests (result), ==, 1);
  status = status_of (f, ids[0]);
  g_assert_cmpstr (status, !=, "PAUSING");
}

static void
test_server_error (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .error_status = 503 };
  const char  *ids[] = { f->failed[0], f->failed[1], NULL };
  g_autoptr (DrsActionResult) result = NULL;

  set_faults (f, &faults);
  result = act (f->client, DRS_TASK_ACTION_RETRY, DRS_PAUSE_MODE_TARGET, ids);
  /* The gateway may have passed it on: uncertain, and never sent twice. */
  for (guint i = 0; ids[i] != NULL; i++)
    assert_outcome (result, ids[i], DRS_ACTION_OUTCOME_UNKNOWN, DRS_ERROR_SERVER, "APIGW.0613");
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-retry-task"), ==, 1);
  g_assert_cmpuint (drs_action_result_get_n_requests (result), ==, 1);
}

static void
test_dropped (Fixture *f, gconstpointer data)
{
  DrsSimFaults faults = { .drop_rate = 1.0 };
  const char  *ids[] = { f->running[0], NULL };
  g_autoptr (DrsActionResult) result = NULL;
  const GError *error;

  set_faults (f, &faults);
  result = act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids);
  /* The server read the whole request and closed the connection without an answer: it may
   * have acted, so the request is not sent again. */
  g_assert_cmpint (drs_action_result_get_outcome (result, ids[0]), ==, DRS_ACTION_OUTCOME_UNKNOWN);
  error = drs_action_result_get_error (result, ids[0]);
  g_assert_true (error->domain == DRS_ERROR);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-pause-task"), ==, 1);
  g_assert_cmpuint (drs_action_result_get_n_requests (result), ==, 1);
}

static void
test_never_reached (Fixture *f, gconstpointer data)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (DrsActionResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  const char      *ids[] = { f->running[0], NULL };

  /* A port nobody listens on: every connection is refused before a byte is sent. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  client = drs_client_new (url, DRS_SIM_DEMO_PROJECT_ID, f->credentials, &error);
  g_assert_no_error (error);
  result = act (client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids);
  /* Provably never received: sent again once, and reported as not done. */
  assert_outcome (result, ids[0], DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_NETWORK, NULL);
  g_assert_cmpuint (drs_action_result_get_n_requests (result), ==, 2);
  g_assert_nonnull (
      strstr (drs_action_result_get_error (result, ids[0])->message, "Nothing was changed."));
}

/* Signing and language ------------------------------------------------------------------------ */

static void
test_aksk (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) good =
      drs_credentials_new_aksk (DRS_SIM_DEMO_AK, DRS_SIM_DEMO_SK, DRS_SIM_DEMO_PROJECT_ID);
  g_autoptr (DrsCredentials) bad = drs_credentials_new_aksk (
      DRS_SIM_DEMO_AK, "SKWRONG0000000000000000000000000000000000", DRS_SIM_DEMO_PROJECT_ID);
  g_autoptr (DrsClient) signed_client = NULL;
  g_autoptr (DrsClient) bad_client = NULL;
  g_autoptr (DrsActionResult) ok = NULL;
  g_autoptr (DrsActionResult) refused = NULL;
  g_autoptr (GError) error = NULL;
  const char      *ids[] = { f->running[5], NULL };
  const char      *again[] = { f->running[6], NULL };
  g_autofree char *status = NULL;

  signed_client = drs_client_new (drs_simulator_get_base_url (f->sim), NULL, good, &error);
  g_assert_no_error (error);
  bad_client = drs_client_new (drs_simulator_get_base_url (f->sim), NULL, bad, &error);
  g_assert_no_error (error);

  /* The simulator verifies the signature over the exact body. */
  ok = act (signed_client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_ALL, ids);
  assert_outcome (ok, ids[0], DRS_ACTION_OUTCOME_SUCCESS, 0, NULL);
  refused = act (bad_client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_ALL, again);
  assert_outcome (refused, again[0], DRS_ACTION_OUTCOME_FAILED, DRS_ERROR_AUTH, "APIGW.0301");
  status = status_of (f, again[0]);
  g_assert_cmpstr (status, !=, "PAUSING");
}

static void
test_language (Fixture *f, gconstpointer data)
{
  const char *ids[] = { f->other[0], NULL };
  g_autoptr (DrsActionResult) result = NULL;

  drs_client_set_language (f->client, "zh-cn");
  result = act (f->client, DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids);
  g_assert_cmpstr (drs_simulator_get_last_language (f->sim), ==, "zh-cn");
  g_assert_cmpstr (drs_error_get_server_message (drs_action_result_get_error (result, ids[0])), ==,
                   "任务当前状态不允许执行该操作。");
}

static void
test_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) res = NULL;
  g_autoptr (DrsActionResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *ids[] = { f->running[0], NULL };

  g_cancellable_cancel (cancellable);
  drs_client_act_async (f->client,
                        &(DrsActionRequest){ DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids },
                        cancellable, on_result, &res);
  DRS_TEST_SPIN_UNTIL (res != NULL, 30000);
  result = drs_client_act_finish (f->client, res, &error);
  g_assert_no_error (error);
  g_assert_cmpint (drs_action_result_get_outcome (result, ids[0]), ==, DRS_ACTION_OUTCOME_FAILED);
  g_assert_error (drs_action_result_get_error (result, ids[0]), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (drs_simulator_get_request_count (f->sim, "batch-pause-task"), ==, 0);
}

/* The monitor: poll at once, action pending, history ------------------------------------------ */

typedef struct
{
  Fixture      base;
  char        *dir;
  DrsClock    *clock;
  DrsJobStore *store;
  DrsHistory  *history;
  DrsMonitor  *monitor;
  guint        n_finished;
} MonitorFixture;

static void
action_finished_cb (DrsMonitor *monitor, DrsActionResult *result, MonitorFixture *m)
{
  g_assert_nonnull (result);
  m->n_finished++;
}

static void
monitor_set_up (MonitorFixture *m, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  fixture_set_up (&m->base, data);
  m->dir = g_dir_make_tmp ("drs-actions-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (m->dir, "history.db", NULL);
  m->history = drs_history_open (path, &error);
  g_assert_no_error (error);
  m->clock = drs_clock_new_manual (drs_simulator_get_wall_time (m->base.sim) * 1000);
  m->store = drs_job_store_new ();
  m->monitor = drs_monitor_new (m->store, m->history, m->clock);
  drs_monitor_set_client (m->monitor, NULL, m->base.client);
  g_signal_connect (m->monitor, "action-finished", G_CALLBACK (action_finished_cb), m);
}

static void
monitor_tear_down (MonitorFixture *m, gconstpointer data)
{
  drs_monitor_stop (m->monitor);
  /* Cancelled requests hold the monitor until their callbacks have run. */
  g_object_add_weak_pointer (G_OBJECT (m->monitor), (gpointer *) &m->monitor);
  g_object_unref (m->monitor);
  DRS_TEST_SPIN_UNTIL (m->monitor == NULL, 10000);
  g_assert_finalize_object (m->store);
  g_assert_finalize_object (m->history);
  g_assert_finalize_object (m->clock);
  drs_test_remove_dir (m->dir);
  g_free (m->dir);
  fixture_tear_down (&m->base, data);
}

static gboolean
job_settled (gpointer data)
{
  DrsJob *job = data;

  return drs_job_get_status (job) != DRS_JOB_STATUS_UNKNOWN;
}

static DrsActionResult *
monitor_act (MonitorFixture *m, DrsTaskAction action, const char *const *ids)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  DrsActionResult *answer;

  drs_monitor_act_async (m->monitor, &(DrsActionRequest){ action, DRS_PAUSE_MODE_TARGET, ids },
                         NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 30000);
  answer = drs_monitor_act_finish (m->monitor, result, &error);
  g_assert_no_error (error);
  return answer;
}

static void
test_monitor_pending (MonitorFixture *m, gconstpointer data)
{
  Fixture    *f = &m->base;
  DrsJob     *running = drs_job_store_add (m->store, f->running[0], NULL);
  DrsJob     *failed = drs_job_store_add (m->store, f->failed[0], NULL);
  const char *ids[] = { f->running[0], f->failed[0], NULL };
  g_autoptr (DrsActionResult) result = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  guint64 sent;

  drs_job_set_account (running, NULL);
  drs_monitor_start (m->monitor);
  DRS_TEST_SPIN_UNTIL (job_settled (running) && job_settled (failed) &&
                           !drs_monitor_get_refreshing (m->monitor),
                       30000);
  sent = drs_monitor_get_n_requests (m->monitor);

  result = monitor_act (m, DRS_TASK_ACTION_PAUSE, ids);
  g_assert_cmpuint (m->n_finished, ==, 1);
  g_assert_cmpint (drs_action_result_get_outcome (result, f->running[0]), ==,
                   DRS_ACTION_OUTCOME_SUCCESS);
  g_assert_cmpint (drs_action_result_get_outcome (result, f->failed[0]), ==,
                   DRS_ACTION_OUTCOME_FAILED);
  /* Accepted: pending until the status shows it; refused: not pending. */
  g_assert_true (drs_job_get_action_pending (running));
  g_assert_cmpint (drs_job_get_pending_action (running), ==, DRS_TASK_ACTION_PAUSE);
  g_assert_false (drs_job_get_action_pending (failed));

  /* Polled at once, without the clock moving: PAUSING ends the pending mark. */
  DRS_TEST_SPIN_UNTIL (drs_job_get_status (running) == DRS_JOB_STATUS_PAUSING, 30000);
  g_assert_false (drs_job_get_action_pending (running));
  g_assert_cmpuint (drs_monitor_get_n_requests (m->monitor), >, sent);

  /* Recorded: time, account, task, action, outcome. */
  records = drs_history_list_actions (m->history, NULL, 0, G_MAXINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  {
    DrsActionRecord *ok = records->pdata[0];
    DrsActionRecord *refused = records->pdata[1];

    g_assert_cmpstr (ok->job_id, ==, f->running[0]);
    g_assert_cmpint (ok->action, ==, DRS_TASK_ACTION_PAUSE);
    g_assert_cmpint (ok->pause_mode, ==, DRS_PAUSE_MODE_TARGET);
    g_assert_cmpint (ok->outcome, ==, DRS_ACTION_OUTCOME_SUCCESS);
    g_assert_cmpint (ok->time_us, ==, drs_clock_get_wall_us (m->clock));
    g_assert_null (ok->error_code);
    g_assert_cmpstr (refused->job_id, ==, f->failed[0]);
    g_assert_cmpint (refused->outcome, ==, DRS_ACTION_OUTCOME_FAILED);
    g_assert_cmpstr (refused->error_code, ==, "DRS.M05005");
    g_assert_nonnull (refused->error_message);
  }
}

static void
test_monitor_pending_timeout (MonitorFixture *m, gconstpointer data)
{
  Fixture    *f = &m->base;
  DrsJob     *job = drs_job_store_add (m->store, f->running[1], NULL);
  const char *ids[] = { f->running[1], NULL };
  g_autoptr (DrsActionResult) fake =
      drs_action_result_new (DRS_TASK_ACTION_PAUSE, DRS_PAUSE_MODE_TARGET, ids);
  guint64 sent;

  drs_monitor_start (m->monitor);
  DRS_TEST_SPIN_UNTIL (job_settled (job) && !drs_monitor_get_refreshing (m->monitor), 30000);

  /* DRS said yes but the status never changes (the pause was never really sent here). */
  drs_action_result_set (fake, ids[0], DRS_ACTION_OUTCOME_SUCCESS, NULL);
  _drs_monitor_after_action (m->monitor, fake);
  g_assert_true (drs_job_get_action_pending (job));
  sent = drs_monitor_get_n_requests (m->monitor);
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_requests (m->monitor) > sent &&
                           !drs_monitor_get_refreshing (m->monitor),
                       30000);
  g_assert_true (drs_job_get_action_pending (job));

  /* Polled every few seconds meanwhile… */
  sent = drs_monitor_get_n_requests (m->monitor);
  drs_clock_advance_us (m->clock, DRS_MONITOR_ACTION_POLL_US);
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_requests (m->monitor) > sent &&
                           !drs_monitor_get_refreshing (m->monitor),
                       30000);
  g_assert_true (drs_job_get_action_pending (job));

  /* …until the wait times out. */
  drs_clock_advance_us (m->clock, DRS_MONITOR_ACTION_PENDING_US);
  DRS_TEST_SPIN_UNTIL (!drs_job_get_action_pending (job), 30000);
}

/* History ------------------------------------------------------------------------------------ */

static void
test_history_migration (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("drs-actions-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autoptr (DrsHistory) history = NULL;
  g_autoptr (GPtrArray) records = NULL;
  sqlite3        *db = NULL;
  DrsActionRecord record = {
    .time_us = 1000,
    .job_id = (char *) "8d0e8e36-a618-490d-8a46-8c61ac9jb502",
    .account = (char *) "prod",
    .action = DRS_TASK_ACTION_RETRY,
    .outcome = DRS_ACTION_OUTCOME_UNKNOWN,
    .error_message = (char *) "lost",
  };

  /* A schema 2 file, as the previous version left it, with a sample in it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (db,
                    "CREATE TABLE watched (id TEXT PRIMARY KEY NOT NULL, name TEXT,"
                    " account TEXT, added_us INTEGER NOT NULL);"
                    "CREATE TABLE jobs (key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);"
                    "CREATE TABLE samples (job INTEGER NOT NULL, time_us INTEGER NOT NULL,"
                    " progress REAL, delay_ms INTEGER, status INTEGER NOT NULL, struct REAL,"
                    " data REAL, idx REAL, PRIMARY KEY (job, time_us)) WITHOUT ROWID;"
                    "INSERT INTO jobs (id) VALUES ('8d0e8e36-a618-490d-8a46-8c61ac9jb502');"
                    "INSERT INTO samples VALUES (1, 5, 50, 0, 11, NULL, NULL, NULL);"
                    "PRAGMA user_version=2;",
                    NULL, NULL, NULL),
      ==, SQLITE_OK);
  sqlite3_close (db);

  history = drs_history_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (drs_history_count_samples (history, record.job_id), ==, 1);
  g_assert_true (drs_history_record_action (history, &record, &error));
  g_assert_no_error (error);
  records = drs_history_list_actions (history, record.job_id, 0, 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (((DrsActionRecord *) records->pdata[0])->account, ==, "prod");
  g_assert_cmpint (((DrsActionRecord *) records->pdata[0])->outcome, ==,
                   DRS_ACTION_OUTCOME_UNKNOWN);
  g_assert_cmpstr (((DrsActionRecord *) records->pdata[0])->error_message, ==, "lost");
  g_clear_pointer (&records, g_ptr_array_unref);
  records = drs_history_list_actions (history, record.job_id, 2000, 3000, &error);
  g_assert_cmpuint (records->len, ==, 0);
  g_assert_finalize_object (g_steal_pointer (&history));
  drs_test_remove_dir (dir);
}

static void
test_rules (void)
{
  g_assert_true (drs_task_action_applies (
      DRS_TASK_ACTION_PAUSE, DRS_JOB_STATUS_INCRE_TRANSFER_STARTED, DRS_TASK_MODE_FULL_INCR_TRANS));
  g_assert_true (drs_task_action_applies (
      DRS_TASK_ACTION_PAUSE, DRS_JOB_STATUS_FULL_TRANSFER_STARTED, DRS_TASK_MODE_FULL_TRANS));
  g_assert_false (drs_task_action_applies (DRS_TASK_ACTION_PAUSE, DRS_JOB_STATUS_PAUSING,
                                           DRS_TASK_MODE_FULL_INCR_TRANS));
  g_assert_false (drs_task_action_applies (
      DRS_TASK_ACTION_PAUSE, DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE, DRS_TASK_MODE_FULL_TRANS));
  g_assert_true (drs_task_action_applies (DRS_TASK_ACTION_RESUME, DRS_JOB_STATUS_PAUSING,
                                          DRS_TASK_MODE_FULL_INCR_TRANS));
  g_assert_false (drs_task_action_applies (
      DRS_TASK_ACTION_RESUME, DRS_JOB_STATUS_FULL_TRANSFER_FAILED, DRS_TASK_MODE_FULL_INCR_TRANS));
  g_assert_true (drs_task_action_applies (
      DRS_TASK_ACTION_RETRY, DRS_JOB_STATUS_FULL_TRANSFER_FAILED, DRS_TASK_MODE_FULL_INCR_TRANS));
  g_assert_false (drs_task_action_applies (DRS_TASK_ACTION_RETRY,
                                           DRS_JOB_STATUS_RELEASE_RESOURCE_COMPLETE,
                                           DRS_TASK_MODE_FULL_INCR_TRANS));
  g_assert_false (drs_task_action_applies (DRS_TASK_ACTION_RETRY, DRS_JOB_STATUS_UNKNOWN,
                                           DRS_TASK_MODE_UNKNOWN));
}

int
main (int argc, char **argv)
{
  drs_test_init (&argc, &argv);

#define ADD(name, fn) \
  g_test_add ("/actions/" name, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
#define ADD_MONITOR(name, fn) \
  g_test_add ("/actions/monitor/" name, MonitorFixture, NULL, monitor_set_up, fn, monitor_tear_down)

  g_test_add_func ("/actions/rules", test_rules);
  ADD ("pause-resume", test_pause_resume);
  ADD ("pause-all-mode", test_pause_all_mode);
  ADD ("retry", test_retry);
  ADD ("wrong-state", test_wrong_state);
  ADD ("unknown", test_unknown);
  ADD ("mixed", test_mixed);
  ADD ("batches", test_batches);
  ADD ("forbidden", test_forbidden);
  ADD ("throttled", test_throttled);
  ADD ("server-error", test_server_error);
  ADD ("dropped", test_dropped);
  ADD ("never-reached", test_never_reached);
  ADD ("aksk", test_aksk);
  ADD ("language", test_language);
  ADD ("cancelled", test_cancelled);
  ADD_MONITOR ("pending", test_monitor_pending);
  ADD_MONITOR ("pending-timeout", test_monitor_pending_timeout);
  g_test_add_func ("/actions/history/migration", test_history_migration);

  return g_test_run ();
}

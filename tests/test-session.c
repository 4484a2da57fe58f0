/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session with no GTK at all: a whole monitoring run against the simulator over loopback,
 * with a real history file. This binary links the core and the simulator only. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "drs-session.h"
#include "drs-simulator.h"
#include "drs-test-utils.h"

#define WAIT_MS 20000

typedef struct
{
  char         *dir;
  char         *history_path;
  GSettings    *settings;
  DrsSimulator *sim;
  DrsClient    *client;
  DrsSession   *session;
  GPtrArray    *problems;
  guint         n_account_notifies;
} Fixture;

static void
on_problem (DrsSession *session, const char *message, Fixture *f)
{
  g_ptr_array_add (f->problems, g_strdup (message));
}

static void
on_accounts_notify (DrsSession *session, GParamSpec *pspec, Fixture *f)
{
  f->n_account_notifies++;
}

static DrsSession *
open_session (Fixture *f)
{
  DrsSession *session = drs_session_new (f->settings, f->history_path);

  g_signal_connect (session, "problem", G_CALLBACK (on_problem), f);
  g_signal_connect (session, "notify::n-accounts", G_CALLBACK (on_accounts_notify), f);
  return session;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token ("session-token");

  f->dir = g_dir_make_tmp ("drs-session-XXXXXX", &error);
  g_assert_no_error (error);
  f->history_path = g_build_filename (f->dir, "history.db", NULL);
  /* The memory backend (the test environment's): no account configured. */
  f->settings = g_settings_new (APPLICATION_ID);
  f->problems = g_ptr_array_new_with_free_func (g_free);
  f->sim = drs_simulator_new ();
  drs_simulator_set_speed (f->sim, 60);
  drs_simulator_add_token (f->sim, "session-token");
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);
  f->client = drs_client_new (drs_simulator_get_base_url (f->sim),
                              drs_simulator_get_project_id (f->sim), credentials, &error);
  g_assert_no_error (error);
  f->session = open_session (f);
  drs_session_set_language (f->session, "en-us");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->client);
  g_clear_object (&f->sim);
  g_clear_object (&f->settings);
  g_clear_pointer (&f->problems, g_ptr_array_unref);
  drs_test_remove_dir (f->dir);
  g_free (f->history_path);
  g_free (f->dir);
}

static void
on_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GPtrArray *listed = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos = drs_client_list_jobs_finish (DRS_CLIENT (source), result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (listed, GUINT_TO_POINTER (infos->len));
}

/* How many tasks the project's job lists hold, asked directly. */
static guint
n_listed_jobs (Fixture *f)
{
  static const char *const kinds[] = { "migration", "sync", "cloudDataGuard" };
  g_autoptr (GPtrArray) listed = g_ptr_array_new ();
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    drs_client_list_jobs_async (f->client, kinds[i], NULL, on_listed, listed);
  DRS_TEST_SPIN_UNTIL (listed->len == G_N_ELEMENTS (kinds), WAIT_MS);
  for (guint i = 0; i < listed->len; i++)
    n += GPOINTER_TO_UINT (listed->pdata[i]);
  return n;
}

/* Every task in the store has a name and an answer from DRS. */
static gboolean
all_named_and_polled (DrsSession *session, guint n_expected)
{
  GListModel *store = G_LIST_MODEL (drs_session_get_store (session));
  guint       n = g_list_model_get_n_items (store);

  if (n != n_expected)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);

      if (drs_job_get_name (job) == NULL || drs_job_get_last_updated_us (job) == 0)
        return FALSE;
    }
  return TRUE;
}

/* An account given a client, all its tasks watched: they come named and polled, are
 * remembered, and a new session on the same history watches them again. */
static void
test_watch_all (Fixture *f, gconstpointer data)
{
  guint n = n_listed_jobs (f);
  g_autoptr (DrsSession) again = NULL;
  g_autoptr (GPtrArray) watched = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (n, >, 3);
  g_assert_false (drs_session_get_has_account (f->session));
  g_assert_null (drs_session_get_default_account (f->session));
  drs_session_start (f->session);

  drs_session_set_client (f->session, "sim", f->client);
  g_assert_true (drs_session_get_has_account (f->session));
  g_assert_cmpuint (drs_session_get_n_accounts (f->session), ==, 1);
  g_assert_cmpuint (f->n_account_notifies, ==, 1);
  g_assert_cmpstr (drs_session_get_default_account (f->session), ==, "sim");
  g_assert_true (drs_session_get_client (f->session, NULL) == f->client);

  drs_session_watch_all (f->session, "sim");
  DRS_TEST_SPIN_UNTIL (all_named_and_polled (f->session, n), WAIT_MS);
  g_assert_true (drs_session_has_jobs_of (f->session, "sim"));
  g_assert_false (drs_session_has_jobs_of (f->session, "elsewhere"));
  g_assert_cmpuint (f->problems->len, ==, 0);

  watched = drs_history_list_watched (drs_session_get_history (f->session), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (watched->len, ==, n);

  /* The next start: the same tasks, with their names, before any request. */
  drs_session_stop (f->session);
  again = drs_session_new (NULL, f->history_path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (drs_session_get_store (again))), ==, n);
  g_assert_true (drs_session_has_jobs_of (again, "sim"));
  g_assert_false (drs_session_get_has_account (again));
}

/* The language reaches the server at once, while the session polls. */
static void
test_language (Fixture *f, gconstpointer data)
{
  g_auto (GStrv) ids = drs_simulator_dup_job_ids (f->sim);
  const char *two[] = { ids[0], ids[1], NULL };
  guint       requests;

  drs_session_set_client (f->session, "sim", f->client);
  g_assert_cmpuint (drs_session_add_jobs (f->session, "sim", two, NULL), ==, 2);
  drs_session_start (f->session);
  DRS_TEST_SPIN_UNTIL (all_named_and_polled (f->session, 2), WAIT_MS);
  g_assert_cmpstr (drs_simulator_get_last_language (f->sim), ==, "en-us");

  requests = drs_simulator_get_request_count (f->sim, "batch-progress");
  drs_session_set_language (f->session, "zh-cn");
  g_assert_cmpstr (drs_session_get_language (f->session), ==, "zh-cn");
  DRS_TEST_SPIN_UNTIL (drs_simulator_get_request_count (f->sim, "batch-progress") > requests,
                       WAIT_MS);
  DRS_TEST_SPIN_UNTIL (g_strcmp0 (drs_simulator_get_last_language (f->sim), "zh-cn") == 0, WAIT_MS);

  /* A client added later speaks the session's language from its first request. */
  {
    g_autoptr (DrsCredentials) credentials = drs_credentials_new_token ("session-token");
    g_autoptr (DrsClient) other =
        drs_client_new (drs_simulator_get_base_url (f->sim), drs_simulator_get_project_id (f->sim),
                        credentials, NULL);

    drs_session_set_client (f->session, "other", other);
    g_assert_cmpstr (drs_client_get_language (other), ==, "zh-cn");
    g_assert_cmpuint (drs_session_get_n_accounts (f->session), ==, 2);
  }
}

/* Removing a task forgets it in the store and the history; undoing brings it back. */
static void
test_remove_restore (Fixture *f, gconstpointer data)
{
  g_auto (GStrv) ids = drs_simulator_dup_job_ids (f->sim);
  const char *names[] = { "first", "second", NULL };
  const char *two[] = { ids[0], ids[1], NULL };
  g_autoptr (GPtrArray) removed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) watched = NULL;
  DrsJobStore *store = drs_session_get_store (f->session);

  drs_session_set_client (f->session, "sim", f->client);
  g_assert_cmpuint (drs_session_add_jobs (f->session, "sim", two, names), ==, 2);
  /* Twice the same: nothing new. */
  g_assert_cmpuint (drs_session_add_jobs (f->session, "sim", two, names), ==, 0);

  g_ptr_array_add (removed, g_object_ref (drs_job_store_lookup (store, ids[0])));
  drs_session_remove_job (f->session, ids[0]);
  g_assert_null (drs_job_store_lookup (store, ids[0]));
  watched = drs_history_list_watched (drs_session_get_history (f->session), NULL);
  g_assert_cmpuint (watched->len, ==, 1);

  drs_session_restore_jobs (f->session, removed);
  g_assert_nonnull (drs_job_store_lookup (store, ids[0]));
  g_assert_cmpstr (drs_job_get_name (drs_job_store_lookup (store, ids[0])), ==, "first");
  g_assert_cmpstr (drs_job_get_account (drs_job_store_lookup (store, ids[0])), ==, "sim");
  g_clear_pointer (&watched, g_ptr_array_unref);
  watched = drs_history_list_watched (drs_session_get_history (f->session), NULL);
  g_assert_cmpuint (watched->len, ==, 2);
}

/* A project whose job list cannot be read: the views are told why. */
static void
test_problem (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token ("wrong-token");
  g_autoptr (DrsClient) refused =
      drs_client_new (drs_simulator_get_base_url (f->sim), drs_simulator_get_project_id (f->sim),
                      credentials, NULL);

  drs_session_set_client (f->session, "refused", refused);
  drs_session_watch_all (f->session, "refused");
  /* One report per kind of task listed. */
  DRS_TEST_SPIN_UNTIL (f->problems->len == 3, WAIT_MS);
  for (guint i = 0; i < f->problems->len; i++)
    g_assert_cmpuint (strlen (f->problems->pdata[i]), >, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (drs_session_get_store (f->session))),
                    ==, 0);
}

/* A history that cannot be opened: monitoring goes on without it, and the reason is kept. */
static void
test_history_unavailable (Fixture *f, gconstpointer data)
{
  g_autofree char *blocker = g_build_filename (f->dir, "not-a-dir", NULL);
  g_autofree char *path = g_build_filename (blocker, "history.db", NULL);
  g_autoptr (DrsSession) session = NULL;

  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  g_test_expect_message ("drs-session", G_LOG_LEVEL_WARNING, "History is not available*");
  session = drs_session_new (NULL, path);
  g_test_assert_expected_messages ();
  g_assert_null (drs_session_get_history (session));
  g_assert_nonnull (drs_session_get_history_error (session));
  g_assert_nonnull (drs_session_get_monitor (session));
  g_assert_null (drs_session_get_accounts (session));
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  g_test_add ("/session/watch-all", Fixture, NULL, fixture_setup, test_watch_all, fixture_teardown);
  g_test_add ("/session/language", Fixture, NULL, fixture_setup, test_language, fixture_teardown);
  g_test_add ("/session/remove-restore", Fixture, NULL, fixture_setup, test_remove_restore,
              fixture_teardown);
  g_test_add ("/session/problem", Fixture, NULL, fixture_setup, test_problem, fixture_teardown);
  g_test_add ("/session/history-unavailable", Fixture, NULL, fixture_setup,
              test_history_unavailable, fixture_teardown);
  return g_test_run ();
}

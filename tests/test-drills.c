/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fault drills: the whole app (window, monitor, history) against simulators while each fault is
 * switched on and then off again. Every fault runs at the same time on an account of its own
 * (each account has its own endpoint, backoff and connection state), so the drills share the
 * real-time waits of the monitor's backoff instead of adding them up. For each fault:
 *
 * - the user sees one message: one connection-problem (one toast) for the whole fault, though
 *   the monitor tried again and failed again while it lasted;
 * - the rows keep their last values (and their last-updated time) and are marked stale;
 * - nothing is lost from the history or the watched list;
 * - everything recovers by itself when the fault ends: no refresh_now(), one "restored" toast,
 *   fresh values, nothing stale.
 *
 * Token expiry is the exception that proves the rule: a password account whose tokens expire
 * every second signs in again transparently, so the user must see nothing at all. */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "drs-application.h"
#include "drs-simulator.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 120000
/* Jobs per account: two requests per refresh (batches of ten). */
#define N_JOBS 12
/* Simulated seconds per real second. */
#define SIM_SPEED 60.0

typedef enum
{
  DRILL_FAULT,  /* an in-process simulator with faults */
  DRILL_TOKEN,  /* tokens that expire: no user-visible effect */
  DRILL_KILLED, /* a drs-simulator process killed and started again */
} DrillKind;

typedef struct
{
  double progress;
  gint64 delay_ms;
  char  *status;
  gint64 updated_us;
  gint64 samples;
} JobValues;

typedef struct
{
  const char  *name; /* the account */
  DrillKind    kind;
  DrsSimFaults faults;
  guint        timeout_s; /* the client's; 0 = default */
  const char  *expect;    /* a piece of the message the user should see */

  /* runtime */
  DrsSimulator *sim;
  GSubprocess  *child;
  guint         port;
  DrsClient    *client;
  GPtrArray    *jobs; /* DrsJob */
  JobValues     before[N_JOBS];
  guint         problems;
  guint         restored;
  char         *problem_toast;
  char         *restored_toast;
  guint         stale_marks;
  gint64        retry_sent_us;
  guint         n_sent;
  guint         logins_before;
  char         *scenario_path;
} Drill;

static Drill drills[] = {
  { "latency", DRILL_FAULT, { .latency_ms = 4000 }, 1, NULL },
  { "throttled", DRILL_FAULT, { .throttle_rate = 1.0, .retry_after_s = 3 }, 0, "APIGW.0308" },
  { "unavailable", DRILL_FAULT, { .error_status = 503, .error_rate = 1.0 }, 0, "APIGW.0613" },
  { "truncated", DRILL_FAULT, { .malformed = (char *) "truncated" }, 0, NULL },
  { "wrong-types", DRILL_FAULT, { .malformed = (char *) "wrong-types" }, 0, NULL },
  { "html", DRILL_FAULT, { .malformed = (char *) "html" }, 0, NULL },
  { "empty", DRILL_FAULT, { .malformed = (char *) "empty" }, 0, NULL },
  { "trickle", DRILL_FAULT, { .trickle_bytes_per_s = 20 }, 1, NULL },
  { "dropped", DRILL_FAULT, { .drop_rate = 1.0 }, 0, NULL },
  { "killed", DRILL_KILLED, { 0 }, 0, NULL },
  /* Every token lives two seconds, and the server says when it has expired (see below). */
  { "token-expiry", DRILL_TOKEN, { .token_ttl_s = 2 }, 0, NULL },
};

#define KILL_TOKEN "drills-kill-token"
#define SIM_TOKEN "drills-token"

typedef struct
{
  DrsApplication *app;
  DrsWindow      *window;
  DrsMonitor     *monitor;
  DrsHistory     *history;
} Fixture;

static Drill *
find_drill (const char *account)
{
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    if (g_strcmp0 (drills[i].name, account) == 0)
      return &drills[i];
  return NULL;
}

/* The child simulator -------------------------------------------------------------------- */

typedef struct
{
  gpointer result;
  GError  *error;
  gboolean done;
} Wait;

static void
on_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, NULL,
                                                       &wait->error);
  wait->done = TRUE;
}

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &wait->error);
  wait->done = TRUE;
}

/* A port nobody listens on now. */
static guint
free_port (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Starts drs-simulator on the drill's port; returns its base URL. */
static char *
child_start (Drill *drill)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *port = g_strdup_printf ("%u", drill->port);
  g_autofree char *speed = g_strdup_printf ("%g", SIM_SPEED);
  const char      *argv[] = { DRS_SIMULATOR_EXE,
                              "--port",
                              port,
                              "--speed",
                              speed,
                              "--token",
                              KILL_TOKEN,
                              "--project-id",
                              DRS_SIM_DEMO_PROJECT_ID,
                              "--scenario",
                              drill->scenario_path,
                              NULL };
  Wait             wait = { 0 };

  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  /* It dies with the test, also when an assertion aborts it. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  drill->child = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (drill->child));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line, &wait);
  DRS_TEST_SPIN_UNTIL (wait.done, 20000);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.result);
  return wait.result;
}

static void
child_kill (Drill *drill)
{
  Wait wait = { 0 };

  g_subprocess_send_signal (drill->child, SIGKILL);
  g_subprocess_wait_async (drill->child, NULL, on_exited, &wait);
  DRS_TEST_SPIN_UNTIL (wait.done, 20000);
  g_assert_no_error (wait.error);
  g_assert_true (g_subprocess_get_if_signaled (drill->child));
  g_clear_object (&drill->child);
}

/* Signals ---------------------------------------------------------------------------------- */

/* Connected after the window's handlers: the toast is up by then. */
static void
on_problem (DrsMonitor *monitor, const char *account, const GError *error, Fixture *f)
{
  Drill *drill = find_drill (account);

  g_assert_nonnull (drill);
  drill->problems++;
  g_free (drill->problem_toast);
  drill->problem_toast = g_strdup (drs_window_get_banner_text (f->window));
  g_test_message ("%s: connection problem: %s", account, drill->problem_toast);
}

static void
on_restored (DrsMonitor *monitor, const char *account, Fixture *f)
{
  Drill *drill = find_drill (account);

  g_assert_nonnull (drill);
  drill->restored++;
  g_free (drill->restored_toast);
  drill->restored_toast = g_strdup (drs_window_get_last_toast (f->window));
  g_test_message ("%s: restored: %s", account, drill->restored_toast);
}

/* The first request after the problem began is the monitor trying again. */
static void
on_request_sent (DrsMonitor *monitor, const char *account, GStrv ids, Fixture *f)
{
  Drill *drill = find_drill (account);

  if (drill != NULL)
    drill->n_sent++;
  if (drill != NULL && drill->problems > 0 && drill->retry_sent_us == 0)
    drill->retry_sent_us = g_get_monotonic_time ();
}

static void
on_stale_changed (DrsJob *job, GParamSpec *pspec, Drill *drill)
{
  if (drs_job_get_stale (job))
    drill->stale_marks++;
}

/* Conditions ------------------------------------------------------------------------------- */

static gboolean
drill_all_fresh (Drill *drill)
{
  for (guint i = 0; i < drill->jobs->len; i++)
    {
      DrsJob *job = drill->jobs->pdata[i];

      if (drs_job_get_last_updated_us (job) == 0 || drs_job_get_stale (job))
        return FALSE;
    }
  return TRUE;
}

static gboolean
all_fresh (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    if (!drill_all_fresh (&drills[i]))
      return FALSE;
  return TRUE;
}

static gboolean
quiet (Fixture *f)
{
  return drs_monitor_get_n_in_flight (f->monitor) == 0 && !drs_monitor_get_refreshing (f->monitor);
}

/* The fault was seen, the monitor tried again after its backoff, and failed again. */
static gboolean
drill_failed_twice (Fixture *f, Drill *drill)
{
  if (drill->kind == DRILL_TOKEN)
    return TRUE;
  return drill->problems > 0 && drill->retry_sent_us > 0 &&
         drs_monitor_get_backoff_until_us (f->monitor, drill->name) > drill->retry_sent_us;
}

static gboolean
all_failed_twice (Fixture *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    if (!drill_failed_twice (f, &drills[i]))
      return FALSE;
  return TRUE;
}

static gboolean
drill_recovered (Drill *drill)
{
  if (drill->kind != DRILL_TOKEN && drill->restored == 0)
    return FALSE;
  for (guint i = 0; i < drill->jobs->len; i++)
    {
      DrsJob *job = drill->jobs->pdata[i];

      if (drs_job_get_stale (job) ||
          drs_job_get_last_updated_us (job) <= drill->before[i].updated_us)
        return FALSE;
    }
  return TRUE;
}

static gboolean
all_recovered (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    if (!drill_recovered (&drills[i]))
      return FALSE;
  return TRUE;
}

/* Setup ------------------------------------------------------------------------------------ */

static void
fixture_setup (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *history = g_build_filename (g_get_user_data_dir (), "drills.db", NULL);
  GSettings       *settings;

  g_setenv ("DRS_MONITOR_HISTORY", history, TRUE);
  f->app = drs_application_new ();
  g_application_set_application_id (G_APPLICATION (f->app), APPLICATION_ID ".Drills");
  g_application_set_flags (G_APPLICATION (f->app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (f->app));
  f->window = DRS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (f->window);
  f->monitor = drs_session_get_monitor (drs_application_get_session (f->app));
  f->history = drs_session_get_history (drs_application_get_session (f->app));
  g_assert_nonnull (f->history);

  /* Every task every 5 s (the shortest interval), and a budget the refreshes never wait for.
   * Finished and failed tasks too (below the setting's minimum of a minute, so on the monitor
   * itself): every row is polled while a fault lasts. */
  settings = drs_session_get_settings (drs_application_get_session (f->app));
  g_settings_set_uint (settings, "request-budget", 1200);
  g_settings_set_uint (settings, "refresh-interval", 5);
  drs_monitor_set_finished_interval (f->monitor, 5);
  g_assert_cmpuint (drs_monitor_get_interval (f->monitor), ==, 5);
  g_assert_cmpuint (drs_monitor_get_finished_interval (f->monitor), ==, 5);

  g_signal_connect (f->monitor, "connection-problem", G_CALLBACK (on_problem), f);
  g_signal_connect (f->monitor, "connection-restored", G_CALLBACK (on_restored), f);
  g_signal_connect (f->monitor, "request-sent", G_CALLBACK (on_request_sent), f);
}

static gint64 frozen_us;

static gint64
frozen_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

/* The built-in scenario with ids of the account's own (the first two digits are its number),
 * so one store holds the tasks of every account. */
static char *
scenario_for (guint index)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  JsonArray *jobs;

  bytes = g_resources_lookup_data ("/io/github/drsmonitor/DrsMonitor/sim/default-scenario.json",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              &error);
  g_assert_no_error (error);
  jobs =
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "jobs");
  for (guint i = 0; i < json_array_get_length (jobs); i++)
    {
      JsonObject      *job = json_array_get_object_element (jobs, i);
      g_autofree char *id = g_strdup (json_object_get_string_member (job, "id"));
      char             prefix[3];

      g_snprintf (prefix, sizeof prefix, "%02x", index);
      memcpy (id, prefix, 2);
      json_object_set_string_member (job, "id", id);
    }
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

static void
drill_setup (Fixture *f, guint index)
{
  Drill *drill = &drills[index];
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsSimulator) lister = NULL;
  g_autofree char *url = NULL;
  g_autofree char *scenario = scenario_for (index);
  g_auto (GStrv) all = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  DrsSimulator *sim;

  if (drill->kind == DRILL_KILLED)
    {
      /* The same scenario in this process, for its job ids. */
      lister = drs_simulator_new ();
      g_assert_true (drs_simulator_load_scenario_data (lister, scenario, -1, &error));
      g_assert_no_error (error);
      sim = lister;
      drill->scenario_path = g_build_filename (g_get_user_data_dir (), "killed.json", NULL);
      g_assert_true (g_file_set_contents (drill->scenario_path, scenario, -1, &error));
      g_assert_no_error (error);
      drill->port = free_port ();
      url = child_start (drill);
      credentials = drs_credentials_new_token (KILL_TOKEN);
    }
  else
    {
      drill->sim = sim = drs_simulator_new ();
      g_assert_true (drs_simulator_load_scenario_data (sim, scenario, -1, &error));
      g_assert_no_error (error);
      drs_simulator_add_token (sim, SIM_TOKEN);
      g_assert_true (drs_simulator_listen (sim, 0, NULL, &error));
      g_assert_no_error (error);
      url = g_strdup (drs_simulator_get_base_url (sim));
      if (drill->kind == DRILL_TOKEN)
        {
          /* Before the first sign-in: every token is short-lived from the start. */
          drs_simulator_set_faults (sim, &drill->faults);
          credentials = drs_credentials_new_password (url, DRS_SIM_DEMO_ACCOUNT, DRS_SIM_DEMO_USER,
                                                      DRS_SIM_DEMO_PASSWORD,
                                                      drs_simulator_get_project_id (sim));
          /* The client's clock stands still, so it never renews a token ahead of time: the
           * server refuses each expired one (401 APIGW.0301) and the client must sign in again
           * and resend the request by itself. */
          frozen_us = g_get_real_time ();
          drs_credentials_set_time_func (credentials, frozen_clock, &frozen_us);
        }
      else
        credentials = drs_credentials_new_token (SIM_TOKEN);
      drs_simulator_set_speed (sim, SIM_SPEED);
    }

  drill->client = drs_client_new (url, DRS_SIM_DEMO_PROJECT_ID, credentials, &error);
  g_assert_no_error (error);
  if (drill->timeout_s > 0)
    drs_client_set_timeout (drill->client, drill->timeout_s);
  drs_session_set_client (drs_application_get_session (f->app), drill->name, drill->client);

  /* Tasks the scenario has from the start. */
  all = drs_simulator_dup_job_ids (sim);
  for (guint i = 0; all[i] != NULL && ids->len < N_JOBS; i++)
    {
      g_autofree char *status = drs_simulator_dup_job_status (sim, all[i]);

      if (status != NULL)
        g_ptr_array_add (ids, all[i]);
    }
  g_assert_cmpuint (ids->len, ==, N_JOBS);
  g_ptr_array_add (ids, NULL);
  g_assert_cmpuint (drs_session_add_jobs (drs_application_get_session (f->app), drill->name,
                                          (const char *const *) ids->pdata, NULL),
                    ==, N_JOBS);

  drill->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < N_JOBS; i++)
    {
      DrsJob *job = drs_job_store_lookup (
          drs_session_get_store (drs_application_get_session (f->app)), ids->pdata[i]);

      g_assert_nonnull (job);
      g_ptr_array_add (drill->jobs, g_object_ref (job));
      g_signal_connect (job, "notify::stale", G_CALLBACK (on_stale_changed), drill);
    }
}

static void
drill_teardown (Drill *drill)
{
  for (guint i = 0; i < drill->jobs->len; i++)
    g_signal_handlers_disconnect_by_data (drill->jobs->pdata[i], drill);
  for (guint i = 0; i < N_JOBS; i++)
    g_free (drill->before[i].status);
  g_clear_pointer (&drill->jobs, g_ptr_array_unref);
  if (drill->child != NULL)
    {
      g_subprocess_force_exit (drill->child);
      g_clear_object (&drill->child);
    }
  g_clear_object (&drill->client);
  g_clear_object (&drill->sim);
  g_clear_pointer (&drill->problem_toast, g_free);
  g_clear_pointer (&drill->restored_toast, g_free);
  g_clear_pointer (&drill->scenario_path, g_free);
}

/* Saves what the user sees and what the history holds. */
static void
drill_save (Fixture *f, Drill *drill)
{
  drs_history_flush (f->history);
  for (guint i = 0; i < N_JOBS; i++)
    {
      DrsJob    *job = drill->jobs->pdata[i];
      JobValues *v = &drill->before[i];

      v->progress = drs_job_get_progress (job);
      v->delay_ms = drs_job_get_delay_ms (job);
      g_free (v->status);
      v->status = g_strdup (drs_job_get_status_raw (job));
      v->updated_us = drs_job_get_last_updated_us (job);
      v->samples = drs_history_count_samples (f->history, drs_job_get_id (job));
      g_assert_cmpint (v->samples, >, 0);
    }
  drill->logins_before =
      drs_credentials_get_login_count (drs_client_get_credentials (drill->client));
}

/* While the fault lasts: one message, stale rows with their last values, nothing lost. */
static void
drill_check_fault (Fixture *f, Drill *drill)
{
  g_test_message ("%s: %u problem(s), toast: %s", drill->name, drill->problems,
                  drill->problem_toast ? drill->problem_toast : "(none)");
  g_assert_cmpuint (drill->problems, ==, 1);
  g_assert_nonnull (drill->problem_toast);
  /* A sentence, not the body: no page, no JSON. */
  g_assert_cmpuint (strlen (drill->problem_toast), >, 10);
  g_assert_null (strstr (drill->problem_toast, "<html"));
  /* Nor a parser's position and token. */
  g_assert_null (strstr (drill->problem_toast, "Parse error"));
  g_assert_null (strstr (drill->problem_toast, "<data>"));
  g_assert_null (strstr (drill->problem_toast, "<!DOCTYPE"));
  g_assert_null (strstr (drill->problem_toast, "{\""));
  if (drill->expect != NULL)
    g_assert_nonnull (strstr (drill->problem_toast, drill->expect));
  g_assert_true (drs_monitor_get_connection_problem (f->monitor, drill->name));

  drs_history_flush (f->history);
  for (guint i = 0; i < N_JOBS; i++)
    {
      DrsJob    *job = drill->jobs->pdata[i];
      JobValues *v = &drill->before[i];

      g_assert_true (drs_job_get_stale (job));
      g_assert_nonnull (drs_job_get_stale_reason (job));
      g_assert_cmpfloat (drs_job_get_progress (job), ==, v->progress);
      g_assert_cmpint (drs_job_get_delay_ms (job), ==, v->delay_ms);
      g_assert_cmpstr (drs_job_get_status_raw (job), ==, v->status);
      g_assert_cmpint (drs_job_get_last_updated_us (job), ==, v->updated_us);
      g_assert_cmpint (drs_history_count_samples (f->history, drs_job_get_id (job)), >=,
                       v->samples);
    }
}

/* After the fault: back by itself, told once. */
static void
drill_check_recovered (Fixture *f, Drill *drill)
{
  g_test_message ("%s: %u restored, toast: %s", drill->name, drill->restored,
                  drill->restored_toast ? drill->restored_toast : "(none)");
  if (drill->kind == DRILL_TOKEN)
    {
      DrsCredentials *credentials = drs_client_get_credentials (drill->client);

      /* Nothing to see: no problem, no toast, never stale; yet it signed in again and again. */
      g_assert_cmpuint (drill->problems, ==, 0);
      g_assert_cmpuint (drill->restored, ==, 0);
      g_assert_cmpuint (drill->stale_marks, ==, 0);
      g_test_message ("%s: %u sign-ins, %u token requests, %u requests sent, %u answered",
                      drill->name, drs_credentials_get_login_count (credentials),
                      drs_simulator_get_request_count (drill->sim, "tokens"), drill->n_sent,
                      drs_simulator_get_request_count (drill->sim, "batch-progress"));
      g_assert_cmpuint (drs_credentials_get_login_count (credentials), >=,
                        drill->logins_before + 2);
      /* Requests refused for their token were sent again. */
      g_assert_cmpuint (drs_simulator_get_request_count (drill->sim, "batch-progress"), >,
                        drill->n_sent);
    }
  else
    {
      g_assert_cmpuint (drill->problems, ==, 1);
      g_assert_cmpuint (drill->restored, ==, 1);
      g_assert_cmpstr (drill->restored_toast, ==, _ ("Connection restored"));
      g_assert_false (drs_monitor_get_connection_problem (f->monitor, drill->name));
    }

  drs_history_flush (f->history);
  for (guint i = 0; i < N_JOBS; i++)
    {
      DrsJob *job = drill->jobs->pdata[i];

      g_assert_false (drs_job_get_stale (job));
      g_assert_cmpint (drs_job_get_last_updated_us (job), >, drill->before[i].updated_us);
      g_assert_cmpint (drs_history_count_samples (f->history, drs_job_get_id (job)), >=,
                       drill->before[i].samples);
    }
}

static GPtrArray *
list_watched (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *watched = drs_history_list_watched (f->history, &error);

  g_assert_no_error (error);
  g_assert_nonnull (watched);
  return watched;
}

static void
assert_same_watched (GPtrArray *a, GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      DrsWatchedJob *wa = a->pdata[i];
      gboolean       found = FALSE;

      for (guint j = 0; j < b->len && !found; j++)
        {
          DrsWatchedJob *wb = b->pdata[j];

          found = g_str_equal (wa->id, wb->id) && g_strcmp0 (wa->account, wb->account) == 0;
        }
      g_assert_true (found);
    }
}

/* The drills ------------------------------------------------------------------------------- */

static void
test_drills (void)
{
  Fixture f = { 0 };
  g_autoptr (GPtrArray) watched_before = NULL;
  g_autoptr (GPtrArray) watched_after = NULL;
  DrsJobStore *store;
  guint        n_jobs;

  fixture_setup (&f);
  store = drs_session_get_store (drs_application_get_session (f.app));
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    drill_setup (&f, i);
  n_jobs = g_list_model_get_n_items (G_LIST_MODEL (store));
  g_assert_cmpuint (n_jobs, ==, G_N_ELEMENTS (drills) * N_JOBS);

  /* Every row has values, and no request is on its way that could change them. */
  DRS_TEST_SPIN_UNTIL (all_fresh () && quiet (&f), WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    {
      g_assert_cmpuint (drills[i].problems, ==, 0);
      drill_save (&f, &drills[i]);
    }
  watched_before = list_watched (&f);
  g_assert_cmpuint (watched_before->len, ==, n_jobs);

  /* Faults on, all at once (the in-process ones first: nothing runs in between). */
  g_test_message ("faults on");
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    if (drills[i].kind == DRILL_FAULT)
      drs_simulator_set_faults (drills[i].sim, &drills[i].faults);
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    if (drills[i].kind == DRILL_KILLED)
      child_kill (&drills[i]);

  /* Each fault hits a refresh, then the retry after the backoff: still one message. */
  DRS_TEST_SPIN_UNTIL (all_failed_twice (&f), WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    if (drills[i].kind != DRILL_TOKEN)
      drill_check_fault (&f, &drills[i]);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n_jobs);

  /* Faults off; the simulator comes back on the same port. Nobody presses refresh. */
  g_test_message ("faults off");
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    {
      Drill *drill = &drills[i];

      if (drill->kind == DRILL_FAULT)
        drs_simulator_set_faults (drill->sim, NULL);
      else if (drill->kind == DRILL_KILLED)
        g_free (child_start (drill));
    }
  DRS_TEST_SPIN_UNTIL (all_recovered (), WAIT_MS);
  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    drill_check_recovered (&f, &drills[i]);

  /* Nothing lost: the same watched tasks, in the history and the table. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n_jobs);
  watched_after = list_watched (&f);
  assert_same_watched (watched_before, watched_after);

  for (guint i = 0; i < G_N_ELEMENTS (drills); i++)
    drill_teardown (&drills[i]);
  g_signal_handlers_disconnect_by_data (f.monitor, &f);
  g_object_add_weak_pointer (G_OBJECT (f.window), (gpointer *) &f.window);
  gtk_window_destroy (GTK_WINDOW (f.window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f.window);
  g_object_unref (f.app);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  int              ret;

  g_setenv ("DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  dir = drs_test_init_gui (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/drills/faults", test_drills);
  ret = g_test_run ();
  drs_test_remove_dir (dir);
  return ret;
}

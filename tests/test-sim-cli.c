/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "drs-simulator.h"
#include "drs-test-utils.h"

/* The drs-simulator program as a user runs it: a child process, the first stdout line, signals. */

#define DR_JOB "8d0e8e36-a618-490d-8a46-8c61ac9jb502"

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *url;
} Child;

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

static void
on_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  wait->result = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &wait->error);
  wait->done = TRUE;
}

static void
child_start (Child *child, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  Wait wait = { 0 };

  g_ptr_array_add (argv, (gpointer) DRS_SIMULATOR_EXE);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  child->process =
      g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  child->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child->process));
  g_data_input_stream_read_line_async (child->out, G_PRIORITY_DEFAULT, NULL, on_line, &wait);
  DRS_TEST_SPIN_UNTIL (wait.done, 20000);
  g_assert_no_error (wait.error);
  child->url = wait.result;
  g_assert_nonnull (child->url);
}

/* Signals the child and checks that it stops by itself, cleanly. */
static void
child_stop (Child *child, int signum)
{
  Wait wait = { 0 };

  g_subprocess_send_signal (child->process, signum);
  g_subprocess_wait_async (child->process, NULL, on_exited, &wait);
  DRS_TEST_SPIN_UNTIL (wait.done, 20000);
  g_assert_no_error (wait.error);
  g_assert_true (g_subprocess_get_if_exited (child->process));
  g_assert_cmpint (g_subprocess_get_exit_status (child->process), ==, 0);
  g_clear_object (&child->out);
  g_clear_object (&child->process);
  g_clear_pointer (&child->url, g_free);
}

static SoupMessage *
post (const char *url, const char *body, const char *token, GBytes **reply)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
  SoupMessage *msg = soup_message_new ("POST", url);
  Wait         wait = { 0 };

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  if (token != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Auth-Token", token);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &wait);
  DRS_TEST_SPIN_UNTIL (wait.done, 20000);
  g_assert_no_error (wait.error);
  *reply = wait.result;
  return msg;
}

static void
test_serve (void)
{
  const char *const args[] = { "--seed", "5", NULL };
  g_autofree char  *url = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *result;
  Child       child = { 0 };

  child_start (&child, args);
  g_assert_true (g_regex_match_simple ("^http://127\\.0\\.0\\.1:[0-9]+$", child.url, 0, 0));

  /* What the README tells a new user to try: the demo token and project. */
  url = g_strdup_printf ("%s/v3/%s/jobs/batch-progress", child.url, DRS_SIM_DEMO_PROJECT_ID);
  msg = post (url, "{\"jobs\":[\"" DR_JOB "\"]}", DRS_SIM_DEMO_TOKEN, &reply);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                              &error);
  g_assert_no_error (error);
  result = json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                    "results"),
      0);
  g_assert_cmpstr (json_object_get_string_member (result, "transfer_status"), ==,
                   "INCRE_TRANSFER_STARTED");

  child_stop (&child, SIGTERM);
}

static void
test_sigint (void)
{
  const char *const args[] = { NULL };
  Child             child = { 0 };

  child_start (&child, args);
  child_stop (&child, SIGINT);
}

static void
test_options (void)
{
  const char *const args[] = { "--token",
                               "script-token",
                               "--project-id",
                               "ffffffffffffffffffffffffffffffff",
                               "--no-demo-token",
                               "--throttle-rate",
                               "1",
                               "--retry-after",
                               "9",
                               "--accepted",
                               NULL };
  g_autofree char  *url = NULL;
  g_autofree char  *faults_url = NULL;
  g_autoptr (SoupMessage) throttled = NULL;
  g_autoptr (SoupMessage) cleared = NULL;
  g_autoptr (SoupMessage) accepted = NULL;
  g_autoptr (SoupMessage) demo = NULL;
  g_autoptr (GBytes) r1 = NULL;
  g_autoptr (GBytes) r2 = NULL;
  g_autoptr (GBytes) r3 = NULL;
  g_autoptr (GBytes) r4 = NULL;
  Child child = { 0 };

  child_start (&child, args);
  url = g_strdup_printf ("%s/v3/ffffffffffffffffffffffffffffffff/jobs/batch-progress", child.url);
  throttled = post (url, "{\"jobs\":[\"" DR_JOB "\"]}", "script-token", &r1);
  g_assert_cmpuint (soup_message_get_status (throttled), ==, 429);
  g_assert_cmpstr (
      soup_message_headers_get_one (soup_message_get_response_headers (throttled), "Retry-After"),
      ==, "9");

  /* The control endpoint switches the flags' faults off at run time. */
  faults_url = g_strdup_printf ("%s/_sim/faults", child.url);
  cleared = post (faults_url, "{}", NULL, &r2);
  g_assert_cmpuint (soup_message_get_status (cleared), ==, 200);
  accepted = post (url, "{\"jobs\":[\"" DR_JOB "\"]}", "script-token", &r3);
  g_assert_cmpuint (soup_message_get_status (accepted), ==, 202);
  demo = post (url, "{\"jobs\":[\"" DR_JOB "\"]}", DRS_SIM_DEMO_TOKEN, &r4);
  g_assert_cmpuint (soup_message_get_status (demo), ==, 401);

  child_stop (&child, SIGTERM);
}

static void
test_tls (void)
{
#ifdef SIM_TLS_CERT
  const char *const args[] = { "--tls-cert", SIM_TLS_CERT, "--tls-key", SIM_TLS_KEY, NULL };
  Child             child = { 0 };

  child_start (&child, args);
  g_assert_true (g_str_has_prefix (child.url, "https://127.0.0.1:"));
  child_stop (&child, SIGTERM);
#else
  g_test_skip ("openssl was not found at build time");
#endif
}

static void
run_sync (const char *const *args, int expected_status, char **out_text)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) DRS_SIMULATOR_EXE);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, expected_status);
}

static void
test_help (void)
{
  const char *const        args[] = { "--help", NULL };
  g_autofree char         *text = NULL;
  static const char *const expected[] = {
    DRS_SIM_DEMO_TOKEN,
    DRS_SIM_DEMO_ACCOUNT,
    DRS_SIM_DEMO_USER,
    DRS_SIM_DEMO_PASSWORD,
    DRS_SIM_DEMO_AK,
    DRS_SIM_DEMO_SK,
    DRS_SIM_DEMO_PROJECT_ID,
    DRS_SIM_DEMO_REGION,
    "--speed",
    "--seed",
    "--scenario",
    "--tls-cert",
    "--drop-rate",
    "/_sim/faults",
    "curl",
  };

  run_sync (args, 0, &text);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_test_message ("%s", expected[i]);
      g_assert_nonnull (strstr (text, expected[i]));
    }
}

static void
test_list_jobs (void)
{
  g_autofree char *default_list = NULL;
  g_autofree char *file_list = NULL;
  g_autofree char *path = drs_test_fixture_path ("scenario-lifecycle.json");
  g_auto (GStrv) lines = NULL;
  const char *const default_args[] = { "--list-jobs", NULL };
  const char *const file_args[] = { "--list-jobs", "--scenario", path, NULL };

  run_sync (default_args, 0, &default_list);
  lines = g_strsplit (default_list, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 36);
  g_assert_cmpstr (lines[0], ==, DR_JOB "\tINCRE_TRANSFER_STARTED");

  run_sync (file_args, 0, &file_list);
  g_assert_cmpstr (file_list, ==,
                   "life-1\tCONFIGURATION\nlate-1\t-\nodd-1\tSOMETHING_NEW\n"
                   "dr-1\tINCRE_TRANSFER_STARTED\n");
}

static void
test_bad_arguments (void)
{
  static const struct
  {
    const char *args[4];
    int         status;
  } cases[] = {
    { { "--speed", "0", NULL }, 2 },
    { { "--port", "70000", NULL }, 2 },
    { { "--malformed", "sometimes", NULL }, 2 },
    { { "--error-status", "200", NULL }, 2 },
    { { "--drop-rate", "1.5", NULL }, 2 },
    { { "--no-such-option", NULL }, 2 },
    { { "--scenario", "/nonexistent/scenario.json", NULL }, 1 },
    { { "--tls-cert", "/nonexistent/cert.pem", NULL }, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;

      g_test_message ("case %u: %s", i, cases[i].args[0]);
      run_sync (cases[i].args, cases[i].status, &out);
      g_assert_cmpstr (out, ==, "");
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim-cli/serve", test_serve);
  g_test_add_func ("/sim-cli/sigint", test_sigint);
  g_test_add_func ("/sim-cli/options", test_options);
  g_test_add_func ("/sim-cli/tls", test_tls);
  g_test_add_func ("/sim-cli/help", test_help);
  g_test_add_func ("/sim-cli/list-jobs", test_list_jobs);
  g_test_add_func ("/sim-cli/bad-arguments", test_bad_arguments);

  return g_test_run ();
}

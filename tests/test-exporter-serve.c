/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "drs-simulator.h"
#include "drs-test-utils.h"

/* drs-progress as an exporter, the built binary run as a service would run it, against a
 * simulator in this process: --format prometheus|openmetrics once, --serve answering /metrics at
 * once while the monitor refreshes, the usage rules, and the faults (throttling, 5xx, an expired
 * token): /metrics keeps the last values and its health families say what is wrong. promtool
 * (Debian package prometheus) checks the output when it is installed. */

#define TOKEN "serve-test-token"
#define RUNNING_ID "8d0e8e36-a618-490d-8a46-8c61ac9jb502"
#define FULL_ID "691432e2-2adc-43bd-8660-64ccd81da7jb07"

typedef struct
{
  DrsSimulator *sim;
  char         *url;
  char         *dir;
  GSubprocess  *serve;
  char         *metrics_url;
  SoupSession  *session;
} Fixture;

static GSubprocessLauncher *
new_launcher (const char *const *envp, GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);
  const char          *scrub[] = { "DRS_AUTH_TOKEN", "DRS_DOMAIN",       "DRS_USER",
                                   "DRS_PASSWORD",   "DRS_AK",           "DRS_SK",
                                   "LANGUAGE",       "G_MESSAGES_DEBUG", NULL };

  for (guint i = 0; scrub[i] != NULL; i++)
    g_subprocess_launcher_unsetenv (launcher, scrub[i]);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  for (guint i = 0; envp != NULL && envp[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (envp[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  return launcher;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (f->sim, TRUE);
  drs_simulator_add_token (f->sim, TOKEN);
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);
  f->url = g_strdup (drs_simulator_get_base_url (f->sim));
  f->dir = g_dir_make_tmp ("exporter-serve-XXXXXX", &error);
  g_assert_no_error (error);
  f->session = soup_session_new ();
}

static void
on_waited (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
stop_serve (Fixture *f)
{
  gboolean done = FALSE;

  if (f->serve == NULL)
    return;
  g_subprocess_send_signal (f->serve, SIGTERM);
  g_subprocess_wait_async (f->serve, NULL, on_waited, &done);
  DRS_TEST_SPIN_UNTIL (done, 20000);
  /* SIGTERM is a clean stop: exit status 0. */
  g_assert_true (g_subprocess_get_if_exited (f->serve));
  g_assert_cmpint (g_subprocess_get_exit_status (f->serve), ==, 0);
  g_clear_object (&f->serve);
  g_clear_pointer (&f->metrics_url, g_free);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  stop_serve (f);
  g_clear_object (&f->session);
  drs_test_remove_dir (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->url, g_free);
  g_assert_finalize_object (f->sim);
}

static void
on_line (GObject *object, GAsyncResult *result, gpointer user_data)
{
  char **line = user_data;
  g_autoptr (GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL,
                                                     &error);
  if (*line == NULL)
    *line = g_strdup ("");
}

/* Starts drs-progress --serve 127.0.0.1:0 with @args (NULL-terminated) and waits for the URL
 * it prints first. */
static void
start_serve (Fixture *f, const char *const *envp, const char *const *args)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  char *line = NULL;

  g_ptr_array_add (argv, (char *) DRS_PROGRESS_PATH);
  g_ptr_array_add (argv, (char *) "--serve");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--endpoint");
  g_ptr_array_add (argv, f->url);
  g_ptr_array_add (argv, (char *) "--project-id");
  g_ptr_array_add (argv, (char *) drs_simulator_get_project_id (f->sim));
  g_ptr_array_add (argv, (char *) "--interval");
  g_ptr_array_add (argv, (char *) "1");
  g_ptr_array_add (argv, (char *) "--budget");
  g_ptr_array_add (argv, (char *) "600");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (envp, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  f->serve = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->serve));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, on_line, &line);
  DRS_TEST_SPIN_UNTIL (line != NULL, 20000);
  g_test_message ("serving at %s", line);
  g_assert_true (g_str_has_prefix (line, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/metrics"));
  f->metrics_url = line;
}

typedef struct
{
  GBytes *body;
  guint   status;
  char   *type;
  gint64  elapsed_us;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->body, g_bytes_unref);
  g_clear_pointer (&a->type, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
on_sent (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static Answer
request (Fixture *f, const char *method, const char *url, const char *accept)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  Answer a = { 0 };
  gint64 start = g_get_monotonic_time ();

  if (accept != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", accept);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 20000);
  a.body = soup_session_send_and_read_finish (f->session, result, &error);
  g_assert_no_error (error);
  a.elapsed_us = g_get_monotonic_time () - start;
  a.status = soup_message_get_status (msg);
  a.type = g_strdup (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "Content-Type"));
  return a;
}

static char *
scrape (Fixture *f, const char *accept)
{
  g_auto (Answer) a = request (f, "GET", f->metrics_url, accept);

  g_assert_cmpuint (a.status, ==, 200);
  return g_strndup (g_bytes_get_data (a.body, NULL), g_bytes_get_size (a.body));
}

static gboolean
has_line (const char *text, const char *line)
{
  g_autofree char *needle = g_strconcat ("\n", line, "\n", NULL);

  return strstr (text, needle) != NULL;
}

static gboolean
has_prefix_line (const char *text, const char *prefix)
{
  g_autofree char *needle = g_strconcat ("\n", prefix, NULL);

  return strstr (text, needle) != NULL;
}

/* The value of the first sample line that starts with @prefix, or NAN. */
static double
value_of (const char *text, const char *prefix)
{
  g_autofree char *needle = g_strconcat ("\n", prefix, NULL);
  const char      *line = strstr (text, needle);
  const char      *space;

  if (line == NULL)
    return NAN;
  space = strchr (line + 1, ' ');
  while (space != NULL && strchr (space + 1, ' ') != NULL &&
         strchr (space + 1, ' ') < strchr (line + 1, '\n'))
    space = strchr (space + 1, ' ');
  return g_ascii_strtod (space + 1, NULL);
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Scrapes until @prefix starts a line (with @value when not NAN); returns the last answer. */
static char *
scrape_until (Fixture *f, const char *prefix, double value, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      g_autofree char *text = scrape (f, NULL);
      double           got = value_of (text, prefix);

      if (!isnan (got) && (isnan (value) || got == value))
        return g_steal_pointer (&text);
      if (g_get_monotonic_time () > deadline)
        {
          g_test_message ("%s", text);
          g_error ("no line “%s” %g in time", prefix, value);
        }
      /* Let a little time pass, spinning the main context: the exporter polls every second. */
      {
        gboolean tick = FALSE;

        g_timeout_add (200, set_flag, &tick);
        DRS_TEST_SPIN_UNTIL (tick, 5000);
      }
    }
}

/* promtool check metrics on @text, when promtool is installed. */
static void
promtool_check (const char *text)
{
  g_autofree char *promtool = g_find_program_in_path ("promtool");
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (promtool == NULL)
    {
      g_test_message ("promtool is not installed (Debian package prometheus): not checked");
      return;
    }
  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_MERGE,
                           &error, promtool, "check", "metrics", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, text, NULL, on_sent, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 30000);
  g_assert_true (g_subprocess_communicate_utf8_finish (proc, result, &out, &err, &error));
  g_test_message ("promtool check metrics: %s", out);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static Run
run_once (const char *const *envp, const char *const *args)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  Run run = { 0 };

  g_ptr_array_add (argv, (char *) DRS_PROGRESS_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = new_launcher (envp, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_sent, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 60000);
  g_assert_true (g_subprocess_communicate_utf8_finish (proc, result, &run.out, &run.err, &error));
  g_assert_true (g_subprocess_get_if_exited (proc));
  run.status = g_subprocess_get_exit_status (proc);
  g_test_message ("exit %d\nstderr: %s", run.status, run.err);
  return run;
}

/* Tests ------------------------------------------------------------------------------------- */

static void
test_usage (Fixture *f, gconstpointer data)
{
  const char *env[] = { "DRS_AUTH_TOKEN=" TOKEN, NULL };
  const struct
  {
    const char *args[8];
    const char *says;
  } cases[] = {
    { { "--serve", "0.0.0.0:0", RUNNING_ID }, "--listen-any" },
    { { "--serve", "192.0.2.1:9687", RUNNING_ID }, "not a loopback address" },
    { { "--serve", "example.com:9687", RUNNING_ID }, "not an IP address" },
    { { "--serve", "127.0.0.1", RUNNING_ID }, "HOST:PORT" },
    { { "--serve", "127.0.0.1:99999", RUNNING_ID }, "HOST:PORT" },
    { { "--serve", "127.0.0.1:0", "--watch", "5", RUNNING_ID }, "--watch" },
    { { "--serve", "127.0.0.1:0", "--interval", "0", "--budget", "-1", RUNNING_ID }, "--budget" },
    { { "--interval", "5", RUNNING_ID }, "need --serve" },
    { { "--format", "xml", RUNNING_ID }, "openmetrics" },
    { { "--serve", "127.0.0.1:0" }, "--all-jobs" },
    { { "--token-file", "/nonexistent/token", "--serve", "127.0.0.1:0", RUNNING_ID },
      "/nonexistent/token" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) args = g_ptr_array_new ();
      g_auto (Run) run = { 0 };

      g_ptr_array_add (args, (char *) "--endpoint");
      g_ptr_array_add (args, f->url);
      g_ptr_array_add (args, (char *) "--project-id");
      g_ptr_array_add (args, (char *) drs_simulator_get_project_id (f->sim));
      for (guint a = 0; cases[i].args[a] != NULL; a++)
        g_ptr_array_add (args, (char *) cases[i].args[a]);
      g_ptr_array_add (args, NULL);
      run = run_once (env, (const char *const *) args->pdata);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, cases[i].says));
    }

  /* In Chinese too. */
  if (drs_test_use_language ("zh_CN"))
    {
      const char *zh_env[] = { "DRS_AUTH_TOKEN=" TOKEN, "LANGUAGE=zh_CN", "LC_ALL=zh_CN.UTF-8",
                               NULL };
      g_auto (Run) run = run_once (zh_env, (const char *const[]){ "--endpoint", f->url, "--serve",
                                                                  "0.0.0.0:0", RUNNING_ID, NULL });

      g_assert_cmpint (run.status, ==, 2);
      g_assert_nonnull (strstr (run.err, "--listen-any"));
      g_assert_nonnull (strstr (run.err, "环回"));
      drs_test_use_language ("en_US");
    }
}

static void
test_one_shot (Fixture *f, gconstpointer data)
{
  const char *env[] = { "DRS_AUTH_TOKEN=" TOKEN, NULL };
  const char *project = drs_simulator_get_project_id (f->sim);
  g_auto (Run) text = run_once (
      env, (const char *const[]){ "--endpoint", f->url, "--project-id", project, "--format",
                                  "prometheus", "--account", "prod", RUNNING_ID, FULL_ID, NULL });
  g_auto (Run) om =
      run_once (env, (const char *const[]){ "--endpoint", f->url, "--project-id", project,
                                            "--format", "openmetrics", "--all-jobs", NULL });

  g_test_message ("%s", text.out);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (
      has_prefix_line (text.out, "drs_task_info{job_id=\"" RUNNING_ID "\",account=\"prod\","));
  g_assert_true (
      has_prefix_line (text.out, "drs_task_incremental_delay_seconds{job_id=\"" RUNNING_ID "\""));
  /* Not in its incremental phase: no delay at all, not 0. */
  g_assert_false (
      has_prefix_line (text.out, "drs_task_incremental_delay_seconds{job_id=\"" FULL_ID "\""));
  g_assert_true (has_line (text.out, "drs_account_last_refresh_success{account=\"prod\"} 1"));
  g_assert_true (
      has_line (text.out, "drs_account_requests_total{account=\"prod\",api=\"batch-progress\"} 1"));
  g_assert_null (strstr (text.out, "# EOF"));
  promtool_check (text.out);

  /* --all-jobs: every task of the scenario, with names; OpenMetrics ends with # EOF. The
   * scenario has failed tasks: exit status 1, as for the other formats. */
  g_assert_cmpint (om.status, ==, 1);
  g_assert_true (g_str_has_suffix (om.out, "\n# EOF\n"));
  g_assert_true (has_line (om.out, "# TYPE drs_task info"));
  g_assert_true (has_prefix_line (om.out, "drs_task_info{job_id=\"" RUNNING_ID
                                          "\",name=\"dr-orders-primary\""));
  g_assert_true (
      has_line (om.out, "drs_account_requests_total{account=\"default\",api=\"jobs\"} 1"));
  g_assert_cmpfloat (value_of (om.out, "drs_exporter_watched_tasks"), >, 30);
}

static void
test_metrics (Fixture *f, gconstpointer data)
{
  const char      *env[] = { "DRS_AUTH_TOKEN=" TOKEN, NULL };
  g_autofree char *first = NULL;
  g_autofree char *text = NULL;
  g_autofree char *om = NULL;
  g_autofree char *root = NULL;

  /* Every answer of the simulator takes 1.5 s: /metrics must not wait for it. */
  drs_simulator_set_faults (f->sim, &(DrsSimFaults){ .latency_ms = 1500 });
  start_serve (f, env, (const char *const[]){ RUNNING_ID, FULL_ID, NULL });
  {
    g_auto (Answer) a = request (f, "GET", f->metrics_url, NULL);

    g_assert_cmpuint (a.status, ==, 200);
    g_assert_cmpint (a.elapsed_us, <, 1000 * 1000);
    first = g_strndup (g_bytes_get_data (a.body, NULL), g_bytes_get_size (a.body));
  }
  /* Nothing read yet: the tasks are there, their values are not. */
  g_assert_true (has_prefix_line (first, "drs_task_info{job_id=\"" RUNNING_ID "\""));
  g_assert_false (has_prefix_line (first, "drs_task_progress_ratio{job_id=\"" RUNNING_ID "\""));
  promtool_check (first);

  text = scrape_until (f, "drs_task_progress_ratio{job_id=\"" RUNNING_ID "\"", NAN, 20000);
  g_assert_true (has_line (text, "drs_account_last_refresh_success{account=\"default\"} 1"));
  g_assert_true (
      has_line (text, "drs_account_budget_requests_per_minute{account=\"default\"} 600"));
  g_assert_cmpfloat (value_of (text, "drs_exporter_scrapes_total{format=\"text\"}"), >=, 2);
  promtool_check (text);

  /* OpenMetrics when asked for, as Prometheus asks. */
  {
    g_auto (Answer) a = request (
        f, "GET", f->metrics_url,
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
        "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    g_assert_cmpuint (a.status, ==, 200);
    g_assert_true (g_str_has_prefix (a.type, "application/openmetrics-text; version=1.0.0"));
    om = g_strndup (g_bytes_get_data (a.body, NULL), g_bytes_get_size (a.body));
    g_assert_true (g_str_has_suffix (om, "\n# EOF\n"));
  }
  {
    g_auto (Answer) a = request (f, "GET", f->metrics_url, "text/plain");

    g_assert_true (g_str_has_prefix (a.type, "text/plain; version=0.0.4"));
  }

  /* The rest of the server. */
  {
    g_auto (Answer) post = request (f, "POST", f->metrics_url, NULL);
    g_auto (Answer) head = request (f, "HEAD", f->metrics_url, NULL);
    g_autofree char *other =
        g_strdup_printf ("%.*s/secret", (int) (strlen (f->metrics_url) - 8), f->metrics_url);
    g_auto (Answer) missing = request (f, "GET", other, NULL);

    g_assert_cmpuint (post.status, ==, 405);
    g_assert_cmpuint (head.status, ==, 200);
    g_assert_cmpuint (g_bytes_get_size (head.body), ==, 0);
    g_assert_cmpuint (missing.status, ==, 404);
  }
  root = g_strndup (f->metrics_url, strlen (f->metrics_url) - strlen ("metrics"));
  {
    g_auto (Answer) page = request (f, "GET", root, NULL);

    g_assert_cmpuint (page.status, ==, 200);
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (page.body, NULL),
                                    g_bytes_get_size (page.body), "/metrics"));
  }
}

/* A fault that makes the next poll fail: values stay, health says why. */
static void
check_fault (Fixture *f, const DrsSimFaults *faults, const char *code_line)
{
  const char      *env[] = { "DRS_AUTH_TOKEN=" TOKEN, NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  double           progress;

  start_serve (f, env, (const char *const[]){ RUNNING_ID, NULL });
  before = scrape_until (f, "drs_task_progress_ratio{job_id=\"" RUNNING_ID "\"", NAN, 20000);
  progress = value_of (before, "drs_task_progress_ratio{job_id=\"" RUNNING_ID "\"");

  drs_simulator_set_faults (f->sim, faults);
  after = scrape_until (f, code_line, NAN, 20000);
  g_free (after);
  after = scrape_until (f, "drs_task_stale{job_id=\"" RUNNING_ID "\"", 1, 20000);
  g_test_message ("%s", after);

  g_assert_true (has_line (after, "drs_account_last_refresh_success{account=\"default\"} 0"));
  g_assert_cmpfloat (value_of (after, "drs_task_progress_ratio{job_id=\"" RUNNING_ID "\""), ==,
                     progress);
  g_assert_true (
      has_prefix_line (after, "drs_task_incremental_delay_seconds{job_id=\"" RUNNING_ID "\""));
  g_assert_true (
      has_prefix_line (after, "drs_task_last_update_timestamp_seconds{job_id=\"" RUNNING_ID "\""));
  promtool_check (after);
  drs_simulator_set_faults (f->sim, NULL);
}

static void
test_throttled (Fixture *f, gconstpointer data)
{
  g_autofree char *text = NULL;

  check_fault (
      f, &(DrsSimFaults){ .throttle_rate = 1, .retry_after_s = 30 },
      "drs_account_errors_total{account=\"default\",api=\"batch-progress\",code=\"APIGW.0308\"}");
  /* Throttled: the exporter backs off (Retry-After 30 s) instead of asking again. */
  text = scrape (f, NULL);
  g_assert_cmpfloat (value_of (text, "drs_account_backoff_seconds{account=\"default\"}"), >, 20);
}

static void
test_server_error (Fixture *f, gconstpointer data)
{
  g_autofree char *text = NULL;

  check_fault (f, &(DrsSimFaults){ .error_status = 503 },
               "drs_account_errors_total{account=\"default\",api=\"batch-progress\",code=\"");
  text = scrape (f, NULL);
  g_assert_cmpfloat (value_of (text, "drs_account_backoff_seconds{account=\"default\"}"), >, 0);
}

static char *
issue_token (Fixture *f)
{
  g_autofree char *url = g_strconcat (f->url, "/v3/auth/tokens", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GBytes) request_body = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
      "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"domain\":"
      "{\"name\":\"%s\"},\"name\":\"%s\",\"password\":\"%s\"}}},\"scope\":{\"project\":{\"id\":"
      "\"%s\"}}}}",
      DRS_SIM_DEMO_ACCOUNT, DRS_SIM_DEMO_USER, DRS_SIM_DEMO_PASSWORD,
      drs_simulator_get_project_id (f->sim));

  request_body = g_bytes_new (json, strlen (json));
  soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, on_sent, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 20000);
  body = soup_session_send_and_read_finish (f->session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
  return g_strdup (
      soup_message_headers_get_one (soup_message_get_response_headers (msg), "X-Subject-Token"));
}

static void
test_expired_token (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "token", NULL);
  g_autofree char *token = NULL;
  g_autofree char *renewed = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;

  /* Tokens issued from now on live 60 s of the simulator's (driven) clock. */
  drs_simulator_set_faults (f->sim, &(DrsSimFaults){ .token_ttl_s = 60 });
  token = issue_token (f);
  g_assert_true (g_file_set_contents (path, token, -1, &error));

  start_serve (f, NULL, (const char *const[]){ "--token-file", path, RUNNING_ID, NULL });
  g_free (scrape_until (f, "drs_account_last_refresh_success{account=\"default\"}", 1, 20000));

  /* The token expires: 401 APIGW.0301, the values stay, the health says so. */
  drs_simulator_advance (f->sim, 120 * 1000);
  g_free (scrape_until (
      f, "drs_account_errors_total{account=\"default\",api=\"batch-progress\",code=\"APIGW.0301\"}",
      NAN, 20000));
  text = scrape_until (f, "drs_task_stale{job_id=\"" RUNNING_ID "\"", 1, 20000);
  g_assert_true (has_line (text, "drs_account_last_refresh_success{account=\"default\"} 0"));
  g_assert_true (has_prefix_line (text, "drs_task_progress_ratio{job_id=\"" RUNNING_ID "\""));
  /* The token never appears anywhere. */
  g_assert_null (strstr (text, token));

  /* A new token in the file: read again after the refusal, and the exporter recovers. */
  renewed = issue_token (f);
  g_assert_true (g_file_set_contents (path, renewed, -1, &error));
  g_free (text);
  text = scrape_until (f, "drs_task_stale{job_id=\"" RUNNING_ID "\"", 0, 30000);
  g_assert_true (has_line (text, "drs_account_last_refresh_success{account=\"default\"} 1"));
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/exporter-serve/usage", test_usage);
  ADD ("/exporter-serve/one-shot", test_one_shot);
  ADD ("/exporter-serve/metrics", test_metrics);
  ADD ("/exporter-serve/throttled", test_throttled);
  ADD ("/exporter-serve/server-error", test_server_error);
  ADD ("/exporter-serve/expired-token", test_expired_token);
#undef ADD

  return g_test_run ();
}

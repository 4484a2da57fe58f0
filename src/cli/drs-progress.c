/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-progress"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "drs-client.h"
#include "drs-endpoint.h"
#include "drs-error.h"
#include "drs-locale.h"
#include "drs-job-id.h"
#include "drs-metrics-server.h"
#include "drs-progress-output.h"
#include "drs-serve.h"

/* drs-progress: the progress of DRS tasks, once or every few seconds, for scripts, cron jobs and
 * CI pipelines. Exit status: 0 all read and none failed, 1 a task failed or has a per-task error,
 * 2 usage, sign-in, network or protocol error. */

#define EXIT_USAGE 2
#define MAX_RESPONSE_FILE (8 * 1024 * 1024)
#define MAX_JOBS_FILE (16 * 1024 * 1024)

typedef struct
{
  /* options */
  char    *region;
  char    *endpoint;
  char    *iam_endpoint;
  char    *project_id;
  char    *jobs_file;
  char    *response_file;
  char    *language;
  char    *ca_file;
  char    *format_name;
  int      concurrency;
  int      timeout;
  int      watch;
  gboolean version;
  char   **job_args;
  char    *serve;
  gboolean listen_any;
  gboolean all_jobs;
  int      interval;
  int      finished_interval;
  int      budget;
  int      list_interval;
  char    *token_file;
  char    *account;

  /* state */
  DrsOutputFormat format;
  GPtrArray      *job_ids;
  GPtrArray      *names; /* id, name, id, name… from the job list (--all-jobs) */
  DrsCredentials *credentials;
  DrsClient      *client;
  GMainLoop      *loop;
  GCancellable   *cancellable;
  guint           watch_source;
  guint           sigint_id;
  guint           sigterm_id;
  gboolean        color;
  gboolean        clear_screen;
  gboolean        stopping;
  int             status;
  guint           refreshes;
} Cli;

/* One line on stderr, then exit: what the user typed or set was wrong. */
G_GNUC_NORETURN static void
die (int status, const char *message)
{
  g_autofree char *line = g_strdup (message);

  g_strdelimit (line, "\r\n", ' ');
  fprintf (stderr, "drs-progress: %s\n", line);
  exit (status);
}

G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN static void usage_error (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  die (EXIT_USAGE, message);
}

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : NULL;
}

static char *
x_language_from (const char *text)
{
  g_autofree char *lower = NULL;

  if (text == NULL)
    {
      const char *const *names = g_get_language_names ();
      return g_strdup (names[0] != NULL && g_str_has_prefix (names[0], "zh") ? "zh-cn" : "en-us");
    }
  lower = g_ascii_strdown (text, -1);
  g_strdelimit (lower, "_", '-');
  if (g_str_equal (lower, "en") || g_str_equal (lower, "en-us"))
    return g_strdup ("en-us");
  if (g_str_equal (lower, "zh") || g_str_equal (lower, "zh-cn"))
    return g_strdup ("zh-cn");
  return NULL;
}

/* Language ----------------------------------------------------------------------------------- */

/* --language as typed, looked for before the options are parsed so that --help and the option
 * errors already speak it; NULL when absent. */
static const char *
language_argument (int argc, char **argv)
{
  const char *given = NULL;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if ((g_str_equal (argv[i], "--language") || g_str_equal (argv[i], "-l")) && i + 1 < argc)
        given = argv[++i];
      else if (g_str_has_prefix (argv[i], "--language="))
        given = argv[i] + strlen ("--language=");
    }
  return given;
}

/* One language for the output (gettext) and for X-Language: --language when it is valid, else
 * the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), where any Chinese locale means zh-CN and
 * anything else en-US. gettext is pinned to that catalog (see drs_locale_use_language()). */
static void
set_up_language (int argc, char **argv)
{
  g_autofree char *x_language = x_language_from (language_argument (argc, argv));
  const char      *dir = env ("DRS_MONITOR_LOCALEDIR");

  if (x_language == NULL)
    x_language = x_language_from (NULL);

  drs_locale_init (dir);
  drs_locale_use_language (g_str_equal (x_language, "zh-cn") ? "zh-CN" : "en-US");
}

/* Job ids ------------------------------------------------------------------------------------ */

static void
add_job_ids (Cli *cli, const char *text, const char *where)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto (GStrv) words = NULL;
      char *hash = strchr (lines[l], '#');

      if (hash != NULL)
        *hash = '\0';
      g_strdelimit (lines[l], ",;\t\r", ' ');
      words = g_strsplit (lines[l], " ", -1);
      for (guint w = 0; words[w] != NULL; w++)
        {
          char *id;

          if (*words[w] == '\0')
            continue;
          id = drs_job_id_normalize (words[w]);
          if (id == NULL)
            {
              if (where != NULL)
                usage_error (_ ("“%s” in %s, line %u, is not a DRS task ID."), words[w], where,
                             l + 1);
              usage_error (_ ("“%s” is not a DRS task ID."), words[w]);
            }
          g_ptr_array_add (cli->job_ids, id);
        }
    }
}

static char *
read_input (const char *path, gsize max, gsize *length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint8 buf[65536];
  gssize n;

  if (g_str_equal (path, "-"))
    stream = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  else
    {
      file = g_file_new_for_commandline_arg (path);
      stream = G_INPUT_STREAM (g_file_read (file, NULL, &error));
      if (stream == NULL)
        usage_error (_ ("Cannot read “%s”: %s"), path, error->message);
    }

  while ((n = g_input_stream_read (stream, buf, sizeof buf, NULL, &error)) > 0)
    {
      g_byte_array_append (data, buf, (guint) n);
      if (data->len > max)
        usage_error (_ ("“%s” is too large."), path);
    }
  if (n < 0)
    usage_error (_ ("Cannot read “%s”: %s"), path, error->message);

  *length = data->len;
  g_byte_array_append (data, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&data), FALSE);
}

/* Output ------------------------------------------------------------------------------------- */

/* --format openmetrics|prometheus: the families of /metrics from this one answer. */
static char *
metrics_text (Cli *cli, DrsProgressResult *result)
{
  return drs_serve_render_once (result, (const char *const *) cli->names->pdata, cli->names->len,
                                &(DrsServeOptions){ .account = cli->account,
                                                    .region = cli->region,
                                                    .all_jobs = cli->all_jobs },
                                cli->client != NULL ? drs_client_get_batch_size (cli->client) : 0,
                                cli->format == DRS_OUTPUT_OPENMETRICS);
}

static void
print_result (Cli *cli, DrsProgressResult *result)
{
  g_autofree char *text = NULL;

  switch (cli->format)
    {
      case DRS_OUTPUT_JSON:
        text = drs_progress_output_json (result);
        break;
      case DRS_OUTPUT_CSV:
        text = drs_progress_output_csv (result);
        break;
      case DRS_OUTPUT_OPENMETRICS:
      case DRS_OUTPUT_PROMETHEUS:
        text = metrics_text (cli, result);
        break;
      case DRS_OUTPUT_TABLE:
      default:
        text = drs_progress_output_table (result, cli->color);
        if (cli->watch > 0)
          {
            g_autoptr (GDateTime) now = g_date_time_new_now_local ();
            g_autofree char *when = g_date_time_format (now, "%X");
            g_autofree char *framed = NULL;

            /* Translators: the header of each refresh of --watch; %s is a time of day */
            framed = g_strdup_printf ("%s%s\n%s\n", cli->clear_screen ? "\033[H\033[2J" : "", when,
                                      text);
            g_free (text);
            text = g_steal_pointer (&framed);
          }
        break;
    }
  fputs (text, stdout);
  fflush (stdout);
}

/* Querying ----------------------------------------------------------------------------------- */

static void start_query (Cli *cli);

static gboolean
on_watch_timeout (gpointer user_data)
{
  Cli *cli = user_data;

  cli->watch_source = 0;
  start_query (cli);
  return G_SOURCE_REMOVE;
}

static void
on_queried (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsProgressResult) progress = NULL;

  progress = drs_client_query_progress_finish (DRS_CLIENT (object), result, &error);
  if (progress == NULL)
    {
      /* Only cancellation gets here: Ctrl+C during --watch. */
      g_main_loop_quit (cli->loop);
      return;
    }

  cli->refreshes++;
  print_result (cli, progress);
  cli->status = drs_progress_exit_status (progress);

  if (cli->watch > 0 && !cli->stopping)
    cli->watch_source = g_timeout_add_seconds ((guint) cli->watch, on_watch_timeout, cli);
  else
    g_main_loop_quit (cli->loop);
}

static void
start_query (Cli *cli)
{
  g_ptr_array_add (cli->job_ids, NULL);
  drs_client_query_progress_async (cli->client, (const char *const *) cli->job_ids->pdata,
                                   cli->cancellable, on_queried, cli);
  g_ptr_array_remove_index (cli->job_ids, cli->job_ids->len - 1);
}

static gboolean
on_signal (gpointer user_data)
{
  Cli *cli = user_data;

  cli->stopping = TRUE;
  g_clear_handle_id (&cli->watch_source, g_source_remove);
  g_cancellable_cancel (cli->cancellable);
  /* Between two refreshes nothing is in flight: stop now. */
  g_main_loop_quit (cli->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_project_found (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr (GError) error = NULL;

  cli->project_id = drs_client_lookup_project_finish (result, &error);
  if (cli->project_id == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_main_loop_quit (cli->loop);
          return;
        }
      die (EXIT_USAGE, error->message);
    }
  g_main_loop_quit (cli->loop);
}

static void
on_jobs_listed (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Cli *cli = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos = drs_client_list_jobs_finish (DRS_CLIENT (object), result, &error);

  if (infos == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_main_loop_quit (cli->loop);
          return;
        }
      die (EXIT_USAGE, error->message);
    }
  for (guint i = 0; i < infos->len; i++)
    {
      DrsJobInfo *info = g_ptr_array_index (infos, i);

      if (info->id == NULL)
        continue;
      g_ptr_array_add (cli->job_ids, g_strdup (info->id));
      if (info->name != NULL)
        {
          g_ptr_array_add (cli->names, g_strdup (info->id));
          g_ptr_array_add (cli->names, g_strdup (info->name));
        }
    }
  g_main_loop_quit (cli->loop);
}

/* Set-up ------------------------------------------------------------------------------------- */

static DrsClient *
make_client (Cli *cli, DrsCredentials *credentials, GError **error)
{
  g_autoptr (DrsClient) client =
      drs_client_new (cli->endpoint, cli->project_id, credentials, error);

  if (client == NULL)
    return NULL;
  drs_client_set_language (client, cli->language);
  if (cli->concurrency > 0)
    drs_client_set_concurrency (client, (guint) cli->concurrency);
  if (cli->timeout > 0)
    drs_client_set_timeout (client, (guint) cli->timeout);
  if (cli->ca_file != NULL && !drs_client_set_ca_file (client, cli->ca_file, error))
    return NULL;
  return g_steal_pointer (&client);
}

static DrsClient *
serve_new_client (DrsCredentials *credentials, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  DrsClient *client = make_client (user_data, credentials, &error);

  if (client == NULL)
    fprintf (stderr, "drs-progress: %s\n", error->message);
  return client;
}

static DrsCredentials *
credentials_from_env (Cli *cli)
{
  const char *token = env ("DRS_AUTH_TOKEN");
  const char *user = env ("DRS_USER");
  const char *password = env ("DRS_PASSWORD");
  const char *ak = env ("DRS_AK");
  const char *sk = env ("DRS_SK");

  if (cli->token_file != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *from_file = drs_serve_read_token (cli->token_file, &error);

      if (from_file == NULL)
        die (EXIT_USAGE, error->message);
      return drs_credentials_new_token (from_file);
    }

  if (token != NULL)
    return drs_credentials_new_token (token);
  if (user != NULL || password != NULL)
    {
      const char *domain = env ("DRS_DOMAIN");

      if (user == NULL || password == NULL)
        usage_error (_ ("Set both DRS_USER and DRS_PASSWORD (and DRS_DOMAIN, the account name)."));
      return drs_credentials_new_password (cli->iam_endpoint, domain ? domain : user, user,
                                           password, cli->project_id);
    }
  if (ak != NULL || sk != NULL)
    {
      if (ak == NULL || sk == NULL)
        usage_error (_ ("Set both DRS_AK and DRS_SK."));
      return drs_credentials_new_aksk (ak, sk, cli->project_id);
    }
  usage_error (_ ("No credentials: set DRS_AUTH_TOKEN, or DRS_DOMAIN, DRS_USER and DRS_PASSWORD, "
                  "or DRS_AK and DRS_SK, or give --token-file."));
}

static void
parse_options (Cli *cli, int *argc, char ***argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char   *description = NULL;
  const GOptionEntry entries[] = {
    { "region", 'r', 0, G_OPTION_ARG_STRING, &cli->region,
      N_ ("Region of the tasks, e.g. cn-north-4: gives the endpoints"), N_ ("REGION") },
    { "endpoint", 'e', 0, G_OPTION_ARG_STRING, &cli->endpoint,
      N_ ("DRS endpoint URL (https://, or http:// to this computer)"), N_ ("URL") },
    { "iam-endpoint", 0, 0, G_OPTION_ARG_STRING, &cli->iam_endpoint,
      N_ ("IAM endpoint URL for signing in (default: the --endpoint URL when given, else from "
          "the region)"),
      N_ ("URL") },
    { "project-id", 'p', 0, G_OPTION_ARG_STRING, &cli->project_id,
      N_ ("Project ID (default: $DRS_PROJECT_ID, else looked up for the region)"), N_ ("ID") },
    { "jobs-file", 'f', 0, G_OPTION_ARG_FILENAME, &cli->jobs_file,
      N_ ("Read task IDs from FILE, one or more a line, # starts a comment (- = standard input)"),
      N_ ("FILE") },
    { "language", 'l', 0, G_OPTION_ARG_STRING, &cli->language,
      N_ ("Language of the output and of the server’s messages: en-us or zh-cn (default: "
          "from the locale)"),
      N_ ("LANG") },
    { "concurrency", 'c', 0, G_OPTION_ARG_INT, &cli->concurrency,
      N_ ("Requests in flight at once, 1–64 (default: 4)"), N_ ("N") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &cli->timeout,
      N_ ("Seconds a request may take (default: 30)"), N_ ("SECONDS") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &cli->ca_file,
      N_ ("Trust the certificate authorities in this PEM file instead of the system’s"),
      N_ ("FILE") },
    { "format", 'o', 0, G_OPTION_ARG_STRING, &cli->format_name,
      N_ ("Output format: table, json, csv, openmetrics or prometheus (default: table)"),
      N_ ("FORMAT") },
    { "watch", 'w', 0, G_OPTION_ARG_INT, &cli->watch,
      N_ ("Query again every SECONDS until interrupted"), N_ ("SECONDS") },
    { "response-file", 0, 0, G_OPTION_ARG_FILENAME, &cli->response_file,
      N_ ("Read a saved batch-progress response from FILE instead of asking the server (no "
          "network, no credentials)"),
      N_ ("FILE") },
    { "all-jobs", 'a', 0, G_OPTION_ARG_NONE, &cli->all_jobs,
      N_ ("Watch every task of the project, from its job list (with --serve: kept current)"),
      NULL },
    { "serve", 0, 0, G_OPTION_ARG_STRING, &cli->serve,
      N_ ("Serve Prometheus metrics at http://HOST:PORT/metrics until interrupted (port 0: any "
          "free port; the URL is printed first)"),
      N_ ("HOST:PORT") },
    { "listen-any", 0, 0, G_OPTION_ARG_NONE, &cli->listen_any,
      N_ ("Allow --serve on an address other than loopback (the metrics are not secret, but "
          "they describe your tasks)"),
      NULL },
    { "interval", 0, 0, G_OPTION_ARG_INT, &cli->interval,
      N_ ("With --serve: seconds between polls of an active task, 1–3600 (default: 15)"),
      N_ ("SECONDS") },
    { "finished-interval", 0, 0, G_OPTION_ARG_INT, &cli->finished_interval,
      N_ ("With --serve: seconds between polls of a finished or failed task, 1–86400 (default: "
          "600)"),
      N_ ("SECONDS") },
    { "budget", 0, 0, G_OPTION_ARG_INT, &cli->budget,
      N_ ("With --serve: the most DRS requests a minute, 1–100000 (default: 60)"), N_ ("N") },
    { "list-interval", 0, 0, G_OPTION_ARG_INT, &cli->list_interval,
      N_ ("With --serve --all-jobs: seconds between readings of the job list, 10–86400 "
          "(default: 300)"),
      N_ ("SECONDS") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &cli->token_file,
      N_ ("Read the IAM token from FILE (with --serve: read again every minute and when "
          "refused)"),
      N_ ("FILE") },
    { "account", 0, 0, G_OPTION_ARG_STRING, &cli->account,
      N_ ("The account label of the metrics (default: $DRS_DOMAIN, else “default”)"), N_ ("NAME") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &cli->version, N_ ("Print the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &cli->job_args, NULL, N_ ("JOB_ID…") },
    { NULL },
  };

  context = g_option_context_new (_ ("— show the progress of DRS tasks"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (
      context, _ ("Asks Huawei Cloud Data Replication Service (DRS) for the progress of the given "
                  "tasks, in batches of ten, and prints it as a table, JSON or CSV, or as "
                  "metrics for Prometheus, once or as a long-running exporter (--serve)."));
  description = g_strconcat (
      _ ("Credentials come from the environment, the first complete set wins:\n"
         "  DRS_AUTH_TOKEN                   an IAM token\n"
         "  DRS_DOMAIN, DRS_USER, DRS_PASSWORD  an IAM user (DRS_DOMAIN is the account name)\n"
         "  DRS_AK, DRS_SK                   an access key pair (requests are signed)\n"
         "\n"),
      _ ("JSON output (--format json):\n"
         "  {\"jobs\": [{\"job_id\", \"status\", \"status_class\", \"task_mode\", \"progress\",\n"
         "              \"delay_ms\", \"remaining_s\", \"process_time\", \"progress_map\",\n"
         "              \"error_code\", \"error_msg\"}],\n"
         "   \"errors\": [{\"job_ids\", \"http_status\", \"code\", \"message\", \"request_id\"}]}\n"
         "  Numbers are JSON numbers and unknown values null; status_class is one of pending,\n"
         "  running, paused, finished, failed, unknown; process_time is ISO 8601 UTC;\n"
         "  progress_map is {\"struct\": {\"completed\": 94, \"remaining_s\": null}, \"data\": …,\n"
         "  \"index\": …} or null. An entry of \"errors\" is a batch of tasks that could not be\n"
         "  read; its code is the server’s (e.g. APIGW.0308) or one of auth, forbidden,\n"
         "  throttled, not-found, bad-request, server, network, timeout, tls, protocol.\n"
         "CSV output (--format csv) has the same columns, structure/data/index progress as\n"
         "three columns, and one line per task of a failed batch.\n"
         "\n"),
      _ ("Metrics (--format openmetrics or prometheus, --serve):\n"
         "  --format openmetrics prints OpenMetrics 1.0.0; --format prometheus prints the text\n"
         "  format 0.0.4, which node_exporter's textfile collector reads. --serve answers\n"
         "  GET /metrics at once from the last values, in OpenMetrics when the Accept header\n"
         "  asks for it, else in the text format, and polls DRS on its own schedule within\n"
         "  --budget. Families: drs_task_info, drs_task_progress_ratio,\n"
         "  drs_task_phase_progress_ratio, drs_task_incremental_delay_seconds,\n"
         "  drs_task_remaining_seconds, drs_task_last_update_timestamp_seconds, drs_task_failed,\n"
         "  drs_task_stale, drs_account_* and drs_exporter_* (see README).\n"
         "  Example: drs-progress --serve 127.0.0.1:9687 --all-jobs --region cn-north-4\n"
         "\n"),
      _ ("Exit status:\n"
         "  0  every task was read and none has failed\n"
         "  1  a task has failed or has an error of its own (e.g. not found)\n"
         "  2  bad usage, or a sign-in, network, TLS or protocol error\n"
         "\n"
         "Example:\n"
         "  DRS_AUTH_TOKEN=drs-demo-token drs-progress --endpoint http://127.0.0.1:8686 \\\n"
         "      --project-id 0a1b2c3d4e5f60718293a4b5c6d7e8f9 --format json JOB_ID\n"),
      NULL);
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, argc, argv, &error))
    usage_error (_ ("%s (see --help)"), error->message);
}

static void
check_options (Cli *cli)
{
  if (cli->version)
    {
      printf ("drs-progress %s\n", PACKAGE_VERSION);
      exit (0);
    }

  if (cli->format_name == NULL || g_str_equal (cli->format_name, "table"))
    cli->format = DRS_OUTPUT_TABLE;
  else if (g_str_equal (cli->format_name, "json"))
    cli->format = DRS_OUTPUT_JSON;
  else if (g_str_equal (cli->format_name, "csv"))
    cli->format = DRS_OUTPUT_CSV;
  else if (g_str_equal (cli->format_name, "openmetrics"))
    cli->format = DRS_OUTPUT_OPENMETRICS;
  else if (g_str_equal (cli->format_name, "prometheus"))
    cli->format = DRS_OUTPUT_PROMETHEUS;
  else
    usage_error (_ ("Unknown format “%s”: use table, json, csv, openmetrics or prometheus."),
                 cli->format_name);

  if (cli->concurrency != 0 && (cli->concurrency < 1 || cli->concurrency > 64))
    usage_error (_ ("--concurrency must be between 1 and 64."));
  if (cli->timeout != 0 && (cli->timeout < 1 || cli->timeout > 3600))
    usage_error (_ ("--timeout must be between 1 and 3600 seconds."));
  if (cli->watch < 0 || cli->watch > 86400)
    usage_error (_ ("--watch must be between 1 and 86400 seconds."));
  if (cli->interval != 0 && (cli->interval < 1 || cli->interval > 3600))
    usage_error (_ ("--interval must be between 1 and 3600 seconds."));
  if (cli->finished_interval != 0 && (cli->finished_interval < 1 || cli->finished_interval > 86400))
    usage_error (_ ("--finished-interval must be between 1 and 86400 seconds."));
  if (cli->budget != 0 && (cli->budget < 1 || cli->budget > 100000))
    usage_error (_ ("--budget must be between 1 and 100000 requests a minute."));
  if (cli->list_interval != 0 && (cli->list_interval < 10 || cli->list_interval > 86400))
    usage_error (_ ("--list-interval must be between 10 and 86400 seconds."));
  if (cli->serve != NULL)
    {
      g_autoptr (GInetSocketAddress) address = NULL;
      g_autoptr (GError) error = NULL;

      if (cli->watch > 0 || cli->response_file != NULL || cli->format_name != NULL)
        usage_error (_ ("--serve cannot be used with --watch, --response-file or --format."));
      if (!drs_metrics_server_parse_address (cli->serve, cli->listen_any, &address, &error))
        die (EXIT_USAGE, error->message);
    }
  else if (cli->interval != 0 || cli->finished_interval != 0 || cli->budget != 0 ||
           cli->list_interval != 0 || cli->listen_any)
    usage_error (_ ("--interval, --finished-interval, --budget, --list-interval and --listen-any "
                    "need --serve."));
  if (cli->all_jobs && cli->response_file != NULL)
    usage_error (_ ("--all-jobs cannot be used with --response-file."));
  if (cli->account == NULL)
    cli->account = g_strdup (env ("DRS_DOMAIN") != NULL ? env ("DRS_DOMAIN") : "default");

  {
    g_autofree char *language = cli->language;

    cli->language = x_language_from (language);
    if (cli->language == NULL)
      usage_error (_ ("Unknown language “%s”: use en-us or zh-cn."), language);
  }

  cli->job_ids = g_ptr_array_new_with_free_func (g_free);
  cli->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; cli->job_args != NULL && cli->job_args[i] != NULL; i++)
    add_job_ids (cli, cli->job_args[i], NULL);
  if (cli->jobs_file != NULL)
    {
      gsize            length;
      g_autofree char *text = read_input (cli->jobs_file, MAX_JOBS_FILE, &length);

      if (!g_utf8_validate_len (text, length, NULL))
        usage_error (_ ("“%s” is not a text file."), cli->jobs_file);
      add_job_ids (cli, text,
                   g_str_equal (cli->jobs_file, "-") ? _ ("standard input") : cli->jobs_file);
    }

  cli->color = isatty (STDOUT_FILENO) && env ("NO_COLOR") == NULL &&
               g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
  cli->clear_screen = cli->color;
}

/* --response-file: no network, no credentials. */
static int
run_offline (Cli *cli)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) snapshots = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  g_autofree char *text = NULL;
  gsize            length;

  if (cli->watch > 0)
    usage_error (_ ("--watch cannot be used with --response-file."));
  text = read_input (cli->response_file, MAX_RESPONSE_FILE, &length);
  snapshots = drs_progress_parse (text, length, &error);
  if (snapshots == NULL)
    die (EXIT_USAGE, error->message);

  if (cli->job_ids->len > 0)
    {
      g_ptr_array_add (cli->job_ids, NULL);
      result = drs_progress_result_new_from_snapshots ((const char *const *) cli->job_ids->pdata,
                                                       snapshots);
    }
  else
    result = drs_progress_result_new_from_snapshots (NULL, snapshots);

  print_result (cli, result);
  return drs_progress_exit_status (result);
}

static void
set_up_endpoints (Cli *cli)
{
  g_autoptr (GError) error = NULL;

  if (cli->endpoint == NULL && cli->region == NULL)
    usage_error (_ ("Give --region or --endpoint."));
  if (cli->region != NULL && !drs_endpoint_region_is_valid (cli->region))
    usage_error (_ ("“%s” is not a region name such as cn-north-4."), cli->region);

  /* IAM: the explicit DRS endpoint's URL when there is one (the simulator serves both), else
   * the region's. */
  if (cli->iam_endpoint == NULL)
    cli->iam_endpoint = cli->endpoint != NULL ? g_strdup (cli->endpoint)
                                              : drs_endpoint_iam_for_region (cli->region, NULL);
  if (cli->endpoint == NULL)
    cli->endpoint = drs_endpoint_for_region (cli->region, NULL);

  /* The transport rule, before anything is sent. */
  {
    g_autofree char *checked = drs_endpoint_normalize (cli->endpoint, &error);
    if (checked == NULL)
      die (EXIT_USAGE, error->message);
    g_clear_pointer (&checked, g_free);
    checked = drs_endpoint_normalize (cli->iam_endpoint, &error);
    if (checked == NULL)
      die (EXIT_USAGE, error->message);
  }

  if (cli->project_id == NULL && env ("DRS_PROJECT_ID") != NULL)
    cli->project_id = g_strdup (env ("DRS_PROJECT_ID"));
}

static void
cli_clear (Cli *cli)
{
  g_clear_handle_id (&cli->watch_source, g_source_remove);
  g_clear_handle_id (&cli->sigint_id, g_source_remove);
  g_clear_handle_id (&cli->sigterm_id, g_source_remove);
  g_clear_object (&cli->client);
  g_clear_object (&cli->credentials);
  g_clear_object (&cli->cancellable);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_pointer (&cli->job_ids, g_ptr_array_unref);
  g_clear_pointer (&cli->region, g_free);
  g_clear_pointer (&cli->endpoint, g_free);
  g_clear_pointer (&cli->iam_endpoint, g_free);
  g_clear_pointer (&cli->project_id, g_free);
  g_clear_pointer (&cli->jobs_file, g_free);
  g_clear_pointer (&cli->response_file, g_free);
  g_clear_pointer (&cli->language, g_free);
  g_clear_pointer (&cli->ca_file, g_free);
  g_clear_pointer (&cli->format_name, g_free);
  g_clear_pointer (&cli->job_args, g_strfreev);
  g_clear_pointer (&cli->names, g_ptr_array_unref);
  g_clear_pointer (&cli->serve, g_free);
  g_clear_pointer (&cli->token_file, g_free);
  g_clear_pointer (&cli->account, g_free);
}

int
main (int argc, char *argv[])
{
  Cli cli = { 0 };
  g_autoptr (GError) error = NULL;

  set_up_language (argc, argv);

  parse_options (&cli, &argc, &argv);
  check_options (&cli);

  if (cli.response_file != NULL)
    {
      int status = run_offline (&cli);

      cli_clear (&cli);
      return status;
    }

  if (cli.job_ids->len == 0 && !cli.all_jobs)
    usage_error (_ ("No task IDs: give them as arguments, with --jobs-file or --all-jobs (see "
                    "--help)."));

  set_up_endpoints (&cli);
  cli.credentials = credentials_from_env (&cli);
  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.cancellable = g_cancellable_new ();
  cli.sigint_id = g_unix_signal_add (SIGINT, on_signal, &cli);
  cli.sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &cli);

  if (cli.project_id == NULL)
    {
      if (cli.region == NULL)
        usage_error (_ ("Give --project-id (or --region, to look it up)."));
      drs_client_lookup_project_async (cli.iam_endpoint, cli.credentials, cli.region,
                                       cli.cancellable, on_project_found, &cli);
      g_main_loop_run (cli.loop);
      if (cli.project_id == NULL)
        return EXIT_USAGE;
    }

  cli.client = make_client (&cli, cli.credentials, &error);
  if (cli.client == NULL)
    die (EXIT_USAGE, error->message);

  if (cli.serve != NULL)
    {
      int status;

      g_clear_handle_id (&cli.sigint_id, g_source_remove);
      g_clear_handle_id (&cli.sigterm_id, g_source_remove);
      g_ptr_array_add (cli.job_ids, NULL);
      status = drs_serve_run (
          &(DrsServeOptions){
              .listen = cli.serve,
              .listen_any = cli.listen_any,
              .all_jobs = cli.all_jobs,
              .interval_s = cli.interval > 0 ? (guint) cli.interval : 15,
              .finished_interval_s =
                  cli.finished_interval > 0 ? (guint) cli.finished_interval : 600,
              .budget = cli.budget > 0 ? (guint) cli.budget : 60,
              .list_interval_s = cli.list_interval > 0 ? (guint) cli.list_interval : 300,
              .account = cli.account,
              .region = cli.region,
              .token_file = cli.token_file,
              .new_client = serve_new_client,
              .new_client_data = &cli,
          },
          cli.client, (const char *const *) cli.job_ids->pdata);
      cli_clear (&cli);
      return status;
    }

  if (cli.all_jobs)
    {
      drs_client_list_jobs_async (cli.client, NULL, cli.cancellable, on_jobs_listed, &cli);
      g_main_loop_run (cli.loop);
      if (cli.stopping)
        {
          cli_clear (&cli);
          return EXIT_USAGE;
        }
    }

  cli.status = EXIT_USAGE;
  start_query (&cli);
  g_main_loop_run (cli.loop);

  cli_clear (&cli);
  return cli.status;
}

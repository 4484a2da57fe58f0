/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-progress"

#include "config.h"

#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "drs-error.h"
#include "drs-exporter.h"
#include "drs-job-discovery.h"
#include "drs-metrics-server.h"
#include "drs-serve.h"

/* `drs-progress --serve`: wires the store, the monitor (its own schedule, within the budget),
 * the job discovery (--all-jobs), the exporter and the HTTP server together, prints the URL of
 * /metrics on the first line of stdout and runs until SIGINT or SIGTERM. With --token-file the
 * token is read again every minute, and soon after the server refuses it. */

#define MAX_TOKEN_FILE (64 * 1024)
#define TOKEN_CHECK_S 60
/* After an authentication error, read the file again at most this often. */
#define TOKEN_RETRY_S 5

typedef struct
{
  const DrsServeOptions *options;
  GMainLoop             *loop;
  DrsJobStore           *store;
  DrsMonitor            *monitor;
  DrsExporter           *exporter;
  DrsJobDiscovery       *discovery;
  DrsMetricsServer      *server;
  char                  *token;
  guint                  token_timer;
  gint64                 token_read_us;
} Serve;

/**
 * drs_serve_read_token:
 *
 * Reads an IAM token from a file: the whole file, without surrounding white space.
 *
 * Returns: (transfer full): the token, or %NULL with a translated error (never the token)
 */
char *
drs_serve_read_token (const char *path, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize            length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID, _ ("Cannot read “%s”: %s"), path,
                   local_error->message);
      return NULL;
    }
  g_strstrip (contents);
  if (length > MAX_TOKEN_FILE || *contents == '\0')
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                   _ ("“%s” does not hold a token: it is empty or too large."), path);
      return NULL;
    }
  for (const char *p = contents; *p != '\0'; p++)
    if (g_ascii_iscntrl (*p) || (guchar) *p >= 0x80)
      {
        g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                     _ ("“%s” does not hold a token: it has more than one line or characters "
                        "a token cannot have."),
                     path);
        return NULL;
      }
  return g_steal_pointer (&contents);
}

/**
 * drs_serve_render_once:
 * @result: the answer of the one query
 * @names: (array length=n_names): task ids and names in turn, from the job list
 * @options: the account, region and all_jobs of the command line
 * @batch_size: ids a request asked about (0: nothing was sent, --response-file)
 * @openmetrics: OpenMetrics, else the text format
 *
 * `drs-progress --format openmetrics|prometheus`: the families of /metrics from one answer.
 *
 * Returns: (transfer full): the exposition
 */
char *
drs_serve_render_once (DrsProgressResult     *result,
                       const char *const     *names,
                       guint                  n_names,
                       const DrsServeOptions *options,
                       guint                  batch_size,
                       gboolean               openmetrics)
{
  g_autoptr (DrsJobStore) store = drs_job_store_new ();
  g_autoptr (DrsClock) clock = drs_clock_new_system ();
  g_autoptr (DrsExporter) exporter = drs_exporter_new (store, clock);
  g_autoptr (GBytes) bytes = NULL;
  GPtrArray         *errors = drs_progress_result_get_batch_errors (result);
  const char *const *ids = drs_progress_result_get_job_ids (result);
  guint              n_ids = ids != NULL ? g_strv_length ((char **) ids) : 0;
  guint              batch = batch_size;
  guint              n_requests = batch > 0 ? (n_ids + batch - 1) / batch : 0;

  drs_exporter_add_account (exporter, NULL, options->account, options->region);
  if (ids != NULL)
    drs_job_store_add_many (store, ids);
  else
    for (guint i = 0; i < drs_progress_result_get_snapshots (result)->len; i++)
      drs_job_store_add (
          store,
          ((DrsSnapshot *) g_ptr_array_index (drs_progress_result_get_snapshots (result), i))
              ->job_id,
          NULL);
  for (guint i = 0; i < n_names; i += 2)
    {
      DrsJob *job = drs_job_store_lookup (store, names[i]);

      if (job != NULL)
        drs_job_set_name (job, names[i + 1]);
    }
  drs_job_store_apply (store, drs_progress_result_get_snapshots (result),
                       drs_clock_get_wall_us (clock));

  /* With no client (--response-file) nothing was sent. */
  for (guint i = 0; i < errors->len && batch_size > 0; i++)
    {
      DrsBatchError *batch_error = g_ptr_array_index (errors, i);

      for (guint j = 0; batch_error->job_ids[j] != NULL; j++)
        {
          DrsJob *job = drs_job_store_lookup (store, batch_error->job_ids[j]);

          if (job != NULL)
            drs_job_mark_stale (job, batch_error->error->message);
        }
      drs_exporter_record_request (exporter, NULL, DRS_EXPORTER_API_PROGRESS, batch_error->error);
    }
  for (guint i = errors->len; i < n_requests; i++)
    drs_exporter_record_request (exporter, NULL, DRS_EXPORTER_API_PROGRESS, NULL);
  if (options->all_jobs)
    drs_exporter_record_request (exporter, NULL, DRS_EXPORTER_API_JOBS, NULL);
  drs_exporter_set_discovery (exporter, options->all_jobs);

  bytes = drs_exporter_render (exporter, openmetrics ? DRS_METRICS_OPENMETRICS : DRS_METRICS_TEXT);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Reads the token file again; a new token gets a new client (same budget, backoff reset). */
static void
reload_token (Serve *serve)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autofree char *token = NULL;

  serve->token_read_us = g_get_monotonic_time ();
  token = drs_serve_read_token (serve->options->token_file, &error);
  if (token == NULL)
    {
      fprintf (stderr, "drs-progress: %s\n", error->message);
      return;
    }
  if (g_strcmp0 (token, serve->token) == 0)
    return;

  credentials = drs_credentials_new_token (token);
  client = serve->options->new_client (credentials, serve->options->new_client_data);
  if (client == NULL)
    return;
  g_free (serve->token);
  serve->token = g_steal_pointer (&token);
  drs_monitor_set_client (serve->monitor, NULL, client);
  if (serve->discovery != NULL)
    drs_job_discovery_set_client (serve->discovery, client);
  fprintf (stderr, "drs-progress: %s\n", _ ("Read a new token from the token file."));
}

static gboolean
token_timer_cb (gpointer user_data)
{
  reload_token (user_data);
  return G_SOURCE_CONTINUE;
}

static void
request_finished_cb (DrsMonitor *monitor, const char *account, const GError *error, Serve *serve)
{
  if (serve->options->token_file != NULL && g_error_matches (error, DRS_ERROR, DRS_ERROR_AUTH) &&
      g_get_monotonic_time () - serve->token_read_us > TOKEN_RETRY_S * G_USEC_PER_SEC)
    reload_token (serve);
}

static void
listed_cb (DrsJobDiscovery *discovery, const GError *error, Serve *serve)
{
  drs_exporter_record_request (serve->exporter, NULL, DRS_EXPORTER_API_JOBS, error);
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * drs_serve_run:
 * @client: the client of the account
 * @job_ids: the tasks given on the command line (with --all-jobs, more are discovered)
 *
 * Returns: the exit status: 0 after SIGINT/SIGTERM, 2 when it cannot listen
 */
int
drs_serve_run (const DrsServeOptions *options, DrsClient *client, const char *const *job_ids)
{
  g_autoptr (GError) error = NULL;
  Serve serve = { 0 };
  guint sigint_id, sigterm_id;
  int   status = 0;

  serve.options = options;
  serve.loop = g_main_loop_new (NULL, FALSE);
  serve.store = drs_job_store_new ();
  drs_job_store_add_many (serve.store, job_ids);

  serve.monitor = drs_monitor_new (serve.store, NULL, NULL);
  drs_monitor_set_interval (serve.monitor, options->interval_s);
  drs_monitor_set_finished_interval (serve.monitor, options->finished_interval_s);
  drs_monitor_set_budget (serve.monitor, options->budget);
  drs_monitor_set_client (serve.monitor, NULL, client);

  serve.exporter = drs_exporter_new (serve.store, drs_monitor_get_clock (serve.monitor));
  drs_exporter_add_account (serve.exporter, NULL, options->account, options->region);
  drs_exporter_set_monitor (serve.exporter, serve.monitor);
  drs_exporter_set_discovery (serve.exporter, options->all_jobs);
  g_signal_connect (serve.monitor, "request-finished", G_CALLBACK (request_finished_cb), &serve);

  if (options->all_jobs)
    {
      serve.discovery =
          drs_job_discovery_new (serve.store, client, drs_monitor_get_clock (serve.monitor), NULL);
      drs_job_discovery_keep (serve.discovery, job_ids);
      g_signal_connect (serve.discovery, "listed", G_CALLBACK (listed_cb), &serve);
    }

  if (options->token_file != NULL)
    {
      serve.token = drs_serve_read_token (options->token_file, NULL);
      serve.token_read_us = g_get_monotonic_time ();
      serve.token_timer = g_timeout_add_seconds (TOKEN_CHECK_S, token_timer_cb, &serve);
    }

  /* Signals first: a script may stop us as soon as it has read the URL. */
  sigint_id = g_unix_signal_add (SIGINT, on_signal, serve.loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, serve.loop);

  serve.server = drs_metrics_server_new (serve.exporter);
  if (!drs_metrics_server_listen (serve.server, options->listen, options->listen_any, &error))
    {
      fprintf (stderr, "drs-progress: %s\n", error->message);
      status = 2;
    }
  else
    {
      printf ("%s\n", drs_metrics_server_get_url (serve.server));
      fflush (stdout);
      fprintf (stderr, "drs-progress: ");
      if (options->all_jobs)
        fprintf (stderr, _ ("serving the metrics of the project’s tasks at %s; Ctrl+C stops."),
                 drs_metrics_server_get_url (serve.server));
      else
        fprintf (stderr,
                 g_dngettext (GETTEXT_PACKAGE,
                              "serving the metrics of %u task at %s; Ctrl+C stops.",
                              "serving the metrics of %u tasks at %s; Ctrl+C stops.",
                              drs_job_store_get_n_jobs (serve.store)),
                 drs_job_store_get_n_jobs (serve.store), drs_metrics_server_get_url (serve.server));
      fprintf (stderr, "\n");

      drs_monitor_start (serve.monitor);
      if (serve.discovery != NULL)
        drs_job_discovery_start (serve.discovery, options->list_interval_s);
      g_main_loop_run (serve.loop);
    }

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_clear_handle_id (&serve.token_timer, g_source_remove);
  if (serve.discovery != NULL)
    drs_job_discovery_stop (serve.discovery);
  drs_monitor_stop (serve.monitor);
  g_signal_handlers_disconnect_by_data (serve.monitor, &serve);
  g_clear_object (&serve.server);
  g_clear_object (&serve.discovery);
  g_clear_object (&serve.exporter);
  g_clear_object (&serve.monitor);
  g_clear_object (&serve.store);
  g_clear_pointer (&serve.token, g_free);
  g_clear_pointer (&serve.loop, g_main_loop_unref);
  return status;
}

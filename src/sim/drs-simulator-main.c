/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "drs-simulator.h"

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
print_jobs (DrsSimulator *simulator)
{
  g_auto (GStrv) ids = drs_simulator_dup_job_ids (simulator);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *status = drs_simulator_dup_job_status (simulator, ids[i]);

      g_print ("%s\t%s\n", ids[i], status != NULL ? status : "-");
    }
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsSimulator) simulator = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *description = NULL;
  g_autofree char *scenario = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *region = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *malformed = NULL;
  g_auto (GStrv) tokens = NULL;
  gint     port = DRS_SIM_DEFAULT_PORT;
  double   speed = DRS_SIM_DEFAULT_SPEED;
  gint64   seed = -1;
  gboolean accepted = FALSE;
  gboolean no_demo_token = FALSE;
  gboolean list_jobs = FALSE;
  gboolean version = FALSE;
  gint   latency = 0, jitter = 0, retry_after = 0, error_status = 0, token_ttl = 0, rate_limit = 0;
  gint   trickle = 0;
  double throttle_rate = 0, error_rate = 0, drop_rate = 0;
  gboolean     read_only = FALSE;
  DrsSimFaults faults;
  g_auto (GStrv) job_ids = NULL;
  guint        sigint_id, sigterm_id;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      N_ ("Port on 127.0.0.1 (default 8686, 0 = any free port)"), N_ ("PORT") },
    { "speed", 's', 0, G_OPTION_ARG_DOUBLE, &speed,
      N_ ("Run the scenario N times faster than real time (default 60)"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_ ("Seed of the random parts, for repeatable runs (default: from the time)"), "N" },
    { "scenario", 0, 0, G_OPTION_ARG_FILENAME, &scenario,
      N_ ("Load the jobs from a scenario JSON file instead of the built-in one"), N_ ("FILE") },
    { "project-id", 0, 0, G_OPTION_ARG_STRING, &project_id,
      N_ ("Serve this project id (default: the demo project id)"), N_ ("ID") },
    { "region", 0, 0, G_OPTION_ARG_STRING, &region,
      N_ ("Region name of the project (default: cn-north-4)"), N_ ("REGION") },
    { "token", 't', 0, G_OPTION_ARG_STRING_ARRAY, &tokens,
      N_ ("Accept this X-Auth-Token forever (repeatable)"), N_ ("TOKEN") },
    { "no-demo-token", 0, 0, G_OPTION_ARG_NONE, &no_demo_token, N_ ("Do not accept the demo token"),
      NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_ ("Serve HTTPS with this PEM certificate"), N_ ("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_ ("The PEM private key of --tls-cert (default: in the certificate file)"), N_ ("FILE") },
    { "accepted", 0, 0, G_OPTION_ARG_NONE, &accepted,
      N_ ("Answer batch-progress with 202 Accepted like the seed page (default 200)"), NULL },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency, N_ ("Fault: delay every answer by MS"),
      N_ ("MS") },
    { "jitter", 0, 0, G_OPTION_ARG_INT, &jitter, N_ ("Fault: plus a random 0..MS"), N_ ("MS") },
    { "throttle-rate", 0, 0, G_OPTION_ARG_DOUBLE, &throttle_rate,
      N_ ("Fault: share (0–1) of 429 APIGW.0308 answers"), N_ ("RATE") },
    { "retry-after", 0, 0, G_OPTION_ARG_INT, &retry_after,
      N_ ("Fault: Retry-After seconds of throttled answers (default 1)"), N_ ("S") },
    { "error-status", 0, 0, G_OPTION_ARG_INT, &error_status,
      N_ ("Fault: answer 500, 502 or 503 (with --error-rate, else always)"), N_ ("STATUS") },
    { "error-rate", 0, 0, G_OPTION_ARG_DOUBLE, &error_rate,
      N_ ("Fault: share (0–1) of --error-status answers"), N_ ("RATE") },
    { "token-ttl", 0, 0, G_OPTION_ARG_INT, &token_ttl,
      N_ ("Fault: issued tokens expire after S seconds (default 24 h)"), N_ ("S") },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &rate_limit,
      N_ ("Fault: accept at most N DRS requests per minute, then 429"), "N" },
    { "malformed", 0, 0, G_OPTION_ARG_STRING, &malformed,
      N_ ("Fault: break bodies: truncated, wrong-types, html or empty"), N_ ("KIND") },
    { "trickle", 0, 0, G_OPTION_ARG_INT, &trickle, N_ ("Fault: send bodies at N bytes per second"),
      "N" },
    { "drop-rate", 0, 0, G_OPTION_ARG_DOUBLE, &drop_rate,
      N_ ("Fault: share (0–1) of connections closed without an answer"), N_ ("RATE") },
    { "read-only", 0, 0, G_OPTION_ARG_NONE, &read_only,
      N_ ("Fault: the user may read tasks but not pause, resume or retry them (403)"), NULL },
    { "list-jobs", 0, 0, G_OPTION_ARG_NONE, &list_jobs,
      N_ ("Print the scenario's job ids and statuses and exit"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_ ("Print the version and exit"), NULL },
    { NULL },
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (
      context,
      _ ("A local DRS and IAM server: serves simulated migration, synchronization and "
         "disaster recovery tasks on 127.0.0.1 and prints its base URL on the first line."));
  description = g_strdup_printf (
      _ ("Demo credentials:\n"
         "  token (X-Auth-Token)   %s\n"
         "  account / user         %s / %s\n"
         "  password               %s\n"
         "  AK / SK                %s / %s\n"
         "  project id             %s\n"
         "  region                 %s\n"
         "\n"
         "Try:\n"
         "  curl -s -X POST -H 'X-Auth-Token: %s' -H 'Content-Type: application/json' \\\n"
         "    -d '{\"jobs\":[\"8d0e8e36-a618-490d-8a46-8c61ac9jb502\"]}' \\\n"
         "    http://127.0.0.1:%d/v3/%s/jobs/batch-progress\n"
         "\n"
         "Control (loopback only): POST /_sim/faults (JSON, the fault options' names with _),\n"
         "GET /_sim/stats, POST /_sim/clock {\"advance_ms\": N, \"speed\": X, \"manual\": B}.\n"),
      DRS_SIM_DEMO_TOKEN, DRS_SIM_DEMO_ACCOUNT, DRS_SIM_DEMO_USER, DRS_SIM_DEMO_PASSWORD,
      DRS_SIM_DEMO_AK, DRS_SIM_DEMO_SK, DRS_SIM_DEMO_PROJECT_ID, DRS_SIM_DEMO_REGION,
      DRS_SIM_DEMO_TOKEN, DRS_SIM_DEFAULT_PORT, DRS_SIM_DEMO_PROJECT_ID);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("drs-simulator: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("drs-simulator %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* Borrows malformed: drs_simulator_set_faults() copies it. */
  faults = (DrsSimFaults){
    .latency_ms = latency,
    .jitter_ms = jitter,
    .throttle_rate = throttle_rate,
    .retry_after_s = retry_after,
    .error_status = error_status,
    .error_rate = error_rate,
    .token_ttl_s = token_ttl,
    .rate_limit_per_min = rate_limit,
    .malformed = malformed,
    .trickle_bytes_per_s = trickle,
    .drop_rate = drop_rate,
    .read_only = read_only,
  };
  if (port < 0 || port > 65535 || speed <= 0 || latency < 0 || jitter < 0 || retry_after < 0 ||
      error_status < 0 || token_ttl < 0 || rate_limit < 0 || trickle < 0 ||
      !drs_sim_faults_is_valid (&faults))
    {
      g_printerr ("drs-simulator: %s\n", _ ("An option is out of range; see --help."));
      return 2;
    }

  simulator = drs_simulator_new ();
  if (scenario != NULL && !drs_simulator_load_scenario (simulator, scenario, &error))
    {
      g_printerr ("drs-simulator: %s\n", error->message);
      return 1;
    }
  if (project_id != NULL)
    drs_simulator_set_project_id (simulator, project_id);
  if (region != NULL)
    drs_simulator_set_region (simulator, region);
  drs_simulator_set_speed (simulator, speed);
  drs_simulator_set_seed (simulator, seed >= 0 ? (guint64) seed : (guint64) g_get_real_time ());
  if (!no_demo_token)
    drs_simulator_add_token (simulator, DRS_SIM_DEMO_TOKEN);
  for (guint i = 0; tokens != NULL && tokens[i] != NULL; i++)
    drs_simulator_add_token (simulator, tokens[i]);
  if (accepted)
    drs_simulator_set_success_status (simulator, 202);
  drs_simulator_set_faults (simulator, &faults);

  if (list_jobs)
    {
      print_jobs (simulator);
      return 0;
    }

  if (tls_cert != NULL)
    {
      if (tls_key != NULL)
        certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      else
        certificate = g_tls_certificate_new_from_file (tls_cert, &error);
      if (certificate == NULL)
        {
          g_printerr ("drs-simulator: %s\n", error->message);
          return 1;
        }
    }

  /* Handle the signals before announcing the URL: a script may signal as soon as it reads it. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, loop);

  if (!drs_simulator_listen (simulator, port, certificate, &error))
    {
      g_printerr ("drs-simulator: %s\n", error->message);
      return 1;
    }

  g_print ("%s\n", drs_simulator_get_base_url (simulator));
  fflush (stdout);
  job_ids = drs_simulator_dup_job_ids (simulator);
  g_printerr (_ ("drs-simulator: serving %u jobs of project %s at %gx speed; "
                 "demo token “%s”. Ctrl+C stops.\n"),
              g_strv_length (job_ids), drs_simulator_get_project_id (simulator), speed,
              no_demo_token ? "-" : DRS_SIM_DEMO_TOKEN);

  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  g_printerr ("%s\n", _ ("drs-simulator: stopped."));
  return 0;
}

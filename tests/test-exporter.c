/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "drs-error.h"
#include "drs-exporter.h"
#include "drs-job-discovery.h"
#include "drs-simulator.h"
#include "drs-test-utils.h"

/* The exporter's pieces without HTTP: the exposition writer (escaping, numbers, naming, EOF),
 * content negotiation, the families rendered from a store, bounded labels and error codes, and
 * the job discovery against a simulator in this process. */

static char *
to_string (GBytes *bytes)
{
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static char *
label_value (const char *value)
{
  g_autoptr (GString) out = g_string_new (NULL);

  drs_metrics_append_label_value (out, value);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
number (double value)
{
  g_autoptr (GString) out = g_string_new (NULL);

  drs_metrics_append_double (out, value);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_escape (void)
{
  struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "plain", "\"plain\"" },
    { "a\\b", "\"a\\\\b\"" },
    { "say \"hi\"", "\"say \\\"hi\\\"\"" },
    { "two\nlines", "\"two\\nlines\"" },
    { "\\\"\n", "\"\\\\\\\"\\n\"" },
    { "迁移任务", "\"迁移任务\"" },
    { "tab\there", "\"tab\there\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = label_value (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }

  /* Invalid UTF-8 is replaced, never passed through. */
  {
    g_autofree char *got = label_value ("bad\xff\xfe");

    g_assert_true (g_utf8_validate (got, -1, NULL));
    g_assert_true (g_str_has_prefix (got, "\"bad"));
  }
}

static void
test_numbers (void)
{
  struct
  {
    double      in;
    const char *out;
  } cases[] = {
    { 0, "0" },
    { 1, "1" },
    { -3, "-3" },
    { 0.5, "0.5" },
    { 0.1, "0.1" },
    { 0.94, "0.94" },
    { 1796523098.354186, "1796523098.354186" },
    { 1e-7, "1e-07" },
    { 1e20, "1e+20" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = number (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
      g_assert_cmpfloat (g_ascii_strtod (got, NULL), ==, cases[i].in);
    }
  {
    g_autofree char *nan = number (NAN);
    g_autofree char *inf = number (INFINITY);
    g_autofree char *ninf = number (-INFINITY);

    g_assert_cmpstr (nan, ==, "NaN");
    g_assert_cmpstr (inf, ==, "+Inf");
    g_assert_cmpstr (ninf, ==, "-Inf");
  }
}

static void
test_negotiate (void)
{
  /* What Prometheus 2.42 sends. */
  g_assert_cmpint (drs_metrics_format_negotiate (
                       "application/openmetrics-text;version=1.0.0,application/"
                       "openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/"
                       "*;q=0.1"),
                   ==, DRS_METRICS_OPENMETRICS);
  g_assert_cmpint (drs_metrics_format_negotiate ("application/openmetrics-text"), ==,
                   DRS_METRICS_OPENMETRICS);
  g_assert_cmpint (drs_metrics_format_negotiate ("Application/OpenMetrics-Text; Version=1.0.0"), ==,
                   DRS_METRICS_OPENMETRICS);
  /* curl, a browser, nothing at all, the text format asked for. */
  g_assert_cmpint (drs_metrics_format_negotiate ("*/*"), ==, DRS_METRICS_TEXT);
  g_assert_cmpint (drs_metrics_format_negotiate (
                       "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
                   ==, DRS_METRICS_TEXT);
  g_assert_cmpint (drs_metrics_format_negotiate (NULL), ==, DRS_METRICS_TEXT);
  g_assert_cmpint (drs_metrics_format_negotiate (""), ==, DRS_METRICS_TEXT);
  g_assert_cmpint (drs_metrics_format_negotiate ("text/plain;version=0.0.4"), ==, DRS_METRICS_TEXT);
  /* Preferences by q value, versions we do not write, refusals. */
  g_assert_cmpint (drs_metrics_format_negotiate (
                       "text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5"),
                   ==, DRS_METRICS_TEXT);
  g_assert_cmpint (drs_metrics_format_negotiate ("application/openmetrics-text;version=2.0.0"), ==,
                   DRS_METRICS_TEXT);
  g_assert_cmpint (drs_metrics_format_negotiate ("application/openmetrics-text;q=0"), ==,
                   DRS_METRICS_TEXT);
  g_assert_cmpint (drs_metrics_format_negotiate ("application/openmetrics-text;q=bogus"), ==,
                   DRS_METRICS_TEXT);

  g_assert_true (g_str_has_prefix (drs_metrics_format_content_type (DRS_METRICS_OPENMETRICS),
                                   "application/openmetrics-text; version=1.0.0"));
  g_assert_true (g_str_has_prefix (drs_metrics_format_content_type (DRS_METRICS_TEXT),
                                   "text/plain; version=0.0.4"));
}

static char *
write_families (DrsMetricsFormat format)
{
  DrsMetricsWriter *w = drs_metrics_writer_new (format, 0);
  g_autoptr (GBytes) bytes = NULL;

  drs_metrics_writer_family (w, "demo_requests", DRS_METRIC_COUNTER, "Requests \"sent\"\nback\\");
  drs_metrics_writer_sample_int (w, (const char *const[]){ "code", "APIGW.0308", NULL }, 3);
  drs_metrics_writer_family (w, "demo_task", DRS_METRIC_INFO, "Info.");
  drs_metrics_writer_sample_int (w, (const char *const[]){ "a", "x", "empty", "", "b", NULL, NULL },
                                 1);
  drs_metrics_writer_family (w, "demo_delay_seconds", DRS_METRIC_GAUGE, "Delay.");
  drs_metrics_writer_sample (w, NULL, 1.5);
  bytes = drs_metrics_writer_finish (w);
  return to_string (bytes);
}

static void
test_formats (void)
{
  g_autofree char *om = write_families (DRS_METRICS_OPENMETRICS);
  g_autofree char *text = write_families (DRS_METRICS_TEXT);

  g_test_message ("%s\n%s", om, text);

  /* OpenMetrics: families without the sample suffix, info is a type, help escapes quotes, a
   * unit for _seconds, and # EOF last. */
  g_assert_true (strstr (om, "# HELP demo_requests Requests \\\"sent\\\"\\nback\\\\\n") != NULL);
  g_assert_true (
      strstr (om, "# TYPE demo_requests counter\ndemo_requests_total{code=\"APIGW.0308\"} 3\n") !=
      NULL);
  g_assert_true (strstr (om, "# TYPE demo_task info\ndemo_task_info{a=\"x\"} 1\n") != NULL);
  g_assert_true (strstr (om, "# TYPE demo_delay_seconds gauge\n# UNIT demo_delay_seconds "
                             "seconds\ndemo_delay_seconds 1.5\n") != NULL);
  g_assert_true (g_str_has_suffix (om, "\n# EOF\n"));
  g_assert_cmpint (g_strstr_len (om, -1, "# EOF") - om, ==, strlen (om) - strlen ("# EOF\n"));

  /* Text 0.0.4: families named as their samples, no info type, no units, no EOF. */
  g_assert_true (strstr (text, "# HELP demo_requests_total Requests \"sent\"\\nback\\\\\n") !=
                 NULL);
  g_assert_true (
      strstr (text,
              "# TYPE demo_requests_total counter\ndemo_requests_total{code=\"APIGW.0308\"} 3\n") !=
      NULL);
  g_assert_true (strstr (text, "# TYPE demo_task_info gauge\ndemo_task_info{a=\"x\"} 1\n") != NULL);
  g_assert_null (strstr (text, "# UNIT"));
  g_assert_null (strstr (text, "# EOF"));
}

/* A store as a refresh leaves it ------------------------------------------------------------- */

#define RESPONSE                                                                           \
  "{\"count\": 3, \"results\": ["                                                          \
  "{\"job_id\": \"job-incremental\", \"progress\": \"100\", \"incre_trans_delay\": \"2\"," \
  " \"incre_trans_delay_millis\": \"1500\", \"task_mode\": \"FULL_INCR_TRANS\","           \
  " \"transfer_status\": \"INCRE_TRANSFER_STARTED\", \"process_time\": \"1700000000000\"," \
  " \"remaining_time\": \"0\"},"                                                           \
  "{\"job_id\": \"job-full\", \"progress\": \"40\", \"incre_trans_delay\": \"-1\","        \
  " \"task_mode\": \"FULL_TRANS\", \"transfer_status\": \"FULL_TRANSFER_STARTED\","        \
  " \"remaining_time\": \"\", \"progress_map\": {\"struct\": {\"completed\": \"100%\"},"   \
  " \"data\": {\"completed\": \"37%\"}, \"index\": {\"completed\": \"0%\"}}},"             \
  "{\"job_id\": \"job-odd\", \"transfer_status\": \"status with spaces\\n{x=\\\"1\\\"}\"," \
  " \"task_mode\": \"NEW_MODE\", \"error_code\": \"not a code, a sentence\","              \
  " \"error_msg\": \"secret message\"}]}"

static DrsJobStore *
new_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) snapshots = drs_progress_parse (RESPONSE, strlen (RESPONSE), &error);
  DrsJobStore *store = drs_job_store_new ();
  DrsJob      *named;

  g_assert_no_error (error);
  drs_job_store_add (store, "job-incremental", "orders \"primary\"\nDR");
  drs_job_store_add (store, "job-full", NULL);
  drs_job_store_add (store, "job-odd", NULL);
  drs_job_store_add (store, "job-never-read", NULL);
  g_assert_cmpuint (drs_job_store_apply (store, snapshots, 1700000000123456), ==, 3);
  named = drs_job_store_lookup (store, "job-full");
  drs_job_set_name (named, "a name far too long to be a label value in full: "
                           "0123456789012345678901234567890123456789012345678901234567890123456789"
                           "0123456789012345678901234567890123456789");
  return store;
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

static void
test_render (void)
{
  g_autoptr (DrsJobStore) store = new_store ();
  g_autoptr (DrsClock) clock = drs_clock_new_manual (1700000100000000);
  g_autoptr (DrsExporter) exporter = drs_exporter_new (store, clock);
  g_autoptr (GBytes) om_bytes = NULL;
  g_autoptr (GBytes) text_bytes = NULL;
  g_autofree char *om = NULL;
  g_autofree char *text = NULL;

  drs_exporter_add_account (exporter, NULL, "prod", "cn-north-4");
  om_bytes = drs_exporter_render (exporter, DRS_METRICS_OPENMETRICS);
  text_bytes = drs_exporter_render (exporter, DRS_METRICS_TEXT);
  om = to_string (om_bytes);
  text = to_string (text_bytes);
  g_test_message ("%s", text);

  /* The info metric: escaped name, bounded status, mode and code; never the message. */
  g_assert_true (has_line (
      text, "drs_task_info{job_id=\"job-incremental\",name=\"orders \\\"primary\\\"\\nDR\","
            "account=\"prod\",region=\"cn-north-4\",mode=\"FULL_INCR_TRANS\","
            "status=\"INCRE_TRANSFER_STARTED\",status_class=\"running\"} 1"));
  g_assert_true (has_line (text, "drs_task_info{job_id=\"job-odd\",account=\"prod\","
                                 "region=\"cn-north-4\",mode=\"NEW_MODE\",status=\"unknown\","
                                 "status_class=\"unknown\",error_code=\"other\"} 1"));
  g_assert_null (strstr (text, "secret message"));
  g_assert_null (strstr (text, "0123456789012345678901234567890123456789\""));
  g_assert_true (has_prefix_line (text, "drs_task_info{job_id=\"job-full\",name=\"a name far"));
  g_assert_true (has_prefix_line (text, "drs_task_info{job_id=\"job-never-read\",account=\"prod\","
                                        "region=\"cn-north-4\",status_class=\"unknown\"} 1"));

  /* Values: the delay in seconds, absent (not 0) when unknown; ratios 0–1; phases. */
  g_assert_true (has_line (
      text, "drs_task_incremental_delay_seconds{job_id=\"job-incremental\",account=\"prod\"} 1.5"));
  g_assert_false (has_prefix_line (text, "drs_task_incremental_delay_seconds{job_id=\"job-full\""));
  g_assert_false (has_prefix_line (text, "drs_task_incremental_delay_seconds{job_id=\"job-odd\""));
  g_assert_true (
      has_line (text, "drs_task_progress_ratio{job_id=\"job-incremental\",account=\"prod\"} 1"));
  g_assert_true (
      has_line (text, "drs_task_progress_ratio{job_id=\"job-full\",account=\"prod\"} 0.4"));
  g_assert_false (has_prefix_line (text, "drs_task_progress_ratio{job_id=\"job-odd\""));
  g_assert_true (has_line (text, "drs_task_phase_progress_ratio{job_id=\"job-full\","
                                 "account=\"prod\",phase=\"data\"} 0.37"));
  g_assert_true (has_line (text, "drs_task_phase_progress_ratio{job_id=\"job-full\","
                                 "account=\"prod\",phase=\"index\"} 0"));
  g_assert_false (
      has_prefix_line (text, "drs_task_phase_progress_ratio{job_id=\"job-incremental\""));
  g_assert_true (
      has_line (text, "drs_task_remaining_seconds{job_id=\"job-incremental\",account=\"prod\"} 0"));
  g_assert_false (has_prefix_line (text, "drs_task_remaining_seconds{job_id=\"job-full\""));
  g_assert_true (has_line (text, "drs_task_last_update_timestamp_seconds{job_id=\"job-full\","
                                 "account=\"prod\"} 1700000000.123456"));
  g_assert_false (
      has_prefix_line (text, "drs_task_last_update_timestamp_seconds{job_id=\"job-never-read\""));
  g_assert_true (has_line (text, "drs_task_failed{job_id=\"job-odd\",account=\"prod\"} 1"));
  g_assert_true (has_line (text, "drs_task_failed{job_id=\"job-full\",account=\"prod\"} 0"));
  g_assert_false (has_prefix_line (text, "drs_task_failed{job_id=\"job-never-read\""));
  g_assert_true (has_line (text, "drs_account_tasks{account=\"prod\",status_class=\"running\"} 2"));
  g_assert_true (has_line (text, "drs_exporter_watched_tasks 4"));

  /* Nothing asked yet: no success gauge, zero counters. */
  g_assert_false (has_prefix_line (text, "drs_account_last_refresh_success"));
  g_assert_true (
      has_line (text, "drs_account_requests_total{account=\"prod\",api=\"batch-progress\"} 0"));

  /* The same families in OpenMetrics, ending in # EOF. */
  g_assert_true (has_line (om, "# TYPE drs_task info"));
  g_assert_true (has_line (om, "# TYPE drs_account_requests counter"));
  g_assert_true (has_line (
      om, "drs_task_incremental_delay_seconds{job_id=\"job-incremental\",account=\"prod\"} 1.5"));
  g_assert_true (g_str_has_suffix (om, "\n# EOF\n"));
  g_assert_false (g_str_has_suffix (text, "# EOF\n"));
}

static void
test_request_counters (void)
{
  g_autoptr (DrsJobStore) store = drs_job_store_new ();
  g_autoptr (DrsClock) clock = drs_clock_new_manual (1700000000000000);
  g_autoptr (DrsExporter) exporter = drs_exporter_new (store, clock);
  g_autoptr (GError) throttled = drs_error_new_from_server (429, "APIGW.0308", "slow down", NULL);
  g_autoptr (GError) network = g_error_new (DRS_ERROR, DRS_ERROR_NETWORK, "refused");
  g_autoptr (GError) odd = drs_error_new_from_server (500, "<html>", "boom", NULL);
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  drs_exporter_record_request (exporter, NULL, DRS_EXPORTER_API_PROGRESS, NULL);
  drs_clock_advance (clock, 1500);
  drs_exporter_record_request (exporter, NULL, DRS_EXPORTER_API_PROGRESS, throttled);
  drs_exporter_record_request (exporter, NULL, DRS_EXPORTER_API_PROGRESS, throttled);
  drs_exporter_record_request (exporter, NULL, DRS_EXPORTER_API_PROGRESS, odd);
  drs_exporter_record_request (exporter, NULL, DRS_EXPORTER_API_JOBS, network);
  /* Distinct codes are bounded: the rest count as "other". */
  for (guint i = 0; i < DRS_EXPORTER_MAX_CODES + 10; i++)
    {
      g_autofree char *code = g_strdup_printf ("DRS.X%04u", i);
      g_autoptr (GError) error = drs_error_new_from_server (400, code, "bad", NULL);

      drs_exporter_record_request (exporter, NULL, DRS_EXPORTER_API_PROGRESS, error);
    }

  bytes = drs_exporter_render (exporter, DRS_METRICS_TEXT);
  text = to_string (bytes);
  g_test_message ("%s", text);

  g_assert_true (has_line (text, "drs_account_last_refresh_success{account=\"default\"} 0"));
  g_assert_true (has_line (
      text, "drs_account_last_success_timestamp_seconds{account=\"default\"} 1700000000"));
  g_assert_true (
      has_line (text, "drs_account_requests_total{account=\"default\",api=\"batch-progress\"} 46"));
  g_assert_true (has_line (text, "drs_account_requests_total{account=\"default\",api=\"jobs\"} 1"));
  g_assert_true (has_line (text, "drs_account_errors_total{account=\"default\",api=\"batch-"
                                 "progress\",code=\"APIGW.0308\"} 2"));
  g_assert_true (has_line (
      text,
      "drs_account_errors_total{account=\"default\",api=\"batch-progress\",code=\"server\"} 1"));
  g_assert_true (has_line (
      text, "drs_account_errors_total{account=\"default\",api=\"jobs\",code=\"network\"} 1"));
  g_assert_true (has_prefix_line (
      text,
      "drs_account_errors_total{account=\"default\",api=\"batch-progress\",code=\"other\"} "));
  g_assert_null (strstr (text, "<html>"));
  {
    guint n = 0;

    for (const char *p = strstr (text, "\ndrs_account_errors_total"); p != NULL;
         p = strstr (p + 1, "\ndrs_account_errors_total"))
      n++;
    g_assert_cmpuint (n, <=, DRS_EXPORTER_MAX_CODES + 1);
  }

  g_assert_cmpstr (drs_exporter_bound_code (throttled), ==, "APIGW.0308");
  g_assert_cmpstr (drs_exporter_bound_code (network), ==, "network");
  g_assert_cmpstr (drs_exporter_bound_code (odd), ==, "server");
}

/* Discovery against the simulator --------------------------------------------------------- */

#define SCENARIO                                                                                  \
  "{\"jobs\": ["                                                                                  \
  "{\"id\": \"disc-stays\", \"name\": \"stays\", \"phases\": [{\"status\": "                      \
  "\"INCRE_TRANSFER_STARTED\"}]},"                                                                \
  "{\"id\": \"disc-later\", \"name\": \"later\", \"start\": 100, \"phases\": [{\"status\": "      \
  "\"FULL_TRANSFER_STARTED\"}]},"                                                                 \
  "{\"id\": \"disc-goes\", \"name\": \"goes\", \"phases\": [{\"status\": "                        \
  "\"INCRE_TRANSFER_STARTED\", \"duration\": 50}, {\"status\": \"DELETED\", \"missing\": true}]}" \
  "]}"

static void
on_listed (DrsJobDiscovery *discovery, const GError *error, guint *n_errors)
{
  if (error != NULL)
    (*n_errors)++;
}

static void
test_discovery (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsSimulator) sim = drs_simulator_new ();
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token ("disc-token");
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (DrsJobStore) store = drs_job_store_new ();
  g_autoptr (DrsClock) clock = drs_clock_new_manual (1700000000000000);
  g_autoptr (DrsJobDiscovery) discovery = NULL;
  guint n_errors = 0;

  drs_simulator_set_manual_clock (sim, TRUE);
  drs_simulator_add_token (sim, "disc-token");
  g_assert_true (drs_simulator_load_scenario_data (sim, SCENARIO, -1, &error));
  g_assert_true (drs_simulator_listen (sim, 0, NULL, &error));
  g_assert_no_error (error);
  client = drs_client_new (drs_simulator_get_base_url (sim), drs_simulator_get_project_id (sim),
                           credentials, &error);
  g_assert_no_error (error);

  /* A task given on the command line stays whatever the list says. */
  drs_job_store_add (store, "given-by-hand", NULL);
  discovery = drs_job_discovery_new (store, client, clock, NULL);
  drs_job_discovery_keep (discovery, (const char *const[]){ "given-by-hand", NULL });
  g_signal_connect (discovery, "listed", G_CALLBACK (on_listed), &n_errors);
  drs_job_discovery_start (discovery, 60);

  DRS_TEST_SPIN_UNTIL (drs_job_discovery_get_n_lists (discovery) == 1, 10000);
  g_assert_cmpuint (drs_job_store_get_n_jobs (store), ==, 3);
  g_assert_nonnull (drs_job_store_lookup (store, "disc-stays"));
  g_assert_nonnull (drs_job_store_lookup (store, "disc-goes"));
  g_assert_nonnull (drs_job_store_lookup (store, "given-by-hand"));
  g_assert_cmpstr (drs_job_get_name (drs_job_store_lookup (store, "disc-stays")), ==, "stays");

  /* A minute later (the driven clock), the list has changed: one task appeared, one left. */
  drs_simulator_advance (sim, 120 * 1000);
  drs_clock_advance (clock, 60 * 1000);
  DRS_TEST_SPIN_UNTIL (drs_job_discovery_get_n_lists (discovery) == 2, 10000);
  g_assert_nonnull (drs_job_store_lookup (store, "disc-later"));
  g_assert_null (drs_job_store_lookup (store, "disc-goes"));
  g_assert_nonnull (drs_job_store_lookup (store, "given-by-hand"));
  g_assert_cmpuint (drs_job_store_get_n_jobs (store), ==, 3);

  /* A failed listing changes nothing, and is tried again soon, not an interval later. */
  drs_simulator_set_faults (sim, &(DrsSimFaults){ .error_status = 503 });
  drs_clock_advance (clock, 60 * 1000);
  DRS_TEST_SPIN_UNTIL (drs_job_discovery_get_n_lists (discovery) == 3, 10000);
  g_assert_cmpuint (n_errors, ==, 1);
  g_assert_cmpuint (drs_job_store_get_n_jobs (store), ==, 3);
  drs_simulator_set_faults (sim, NULL);
  drs_clock_advance (clock, (DRS_JOB_DISCOVERY_RETRY_S - 1) * 1000);
  g_assert_cmpuint (drs_job_discovery_get_n_lists (discovery), ==, 3);
  drs_clock_advance (clock, 1000);
  DRS_TEST_SPIN_UNTIL (drs_job_discovery_get_n_lists (discovery) == 4, 10000);
  g_assert_cmpuint (n_errors, ==, 1);

  drs_job_discovery_stop (discovery);
  g_assert_finalize_object (g_steal_pointer (&discovery));
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  g_test_add_func ("/exporter/escape", test_escape);
  g_test_add_func ("/exporter/numbers", test_numbers);
  g_test_add_func ("/exporter/negotiate", test_negotiate);
  g_test_add_func ("/exporter/formats", test_formats);
  g_test_add_func ("/exporter/render", test_render);
  g_test_add_func ("/exporter/request-counters", test_request_counters);
  g_test_add_func ("/exporter/discovery", test_discovery);

  return g_test_run ();
}

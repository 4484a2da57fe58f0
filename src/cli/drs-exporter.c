/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-exporter"

#include "config.h"

#include "drs-error.h"
#include "drs-exporter.h"

/**
 * DrsExporter:
 *
 * What `drs-progress --serve` and `--format openmetrics|prometheus` expose: the tasks of a
 * #DrsJobStore, the health of each account's requests (counted from the #DrsMonitor's
 * #DrsMonitor::request-finished or recorded by the caller) and of the exporter itself, rendered
 * from the last known values without ever waiting on the cloud. No GTK.
 *
 * Cardinality is bounded: labels carry only ids, names (cut to %DRS_EXPORTER_MAX_NAME), the
 * account and region given on the command line, statuses (unknown ones only when they look like
 * a status) and error codes (only when they look like one, at most %DRS_EXPORTER_MAX_CODES per
 * account); never a message, a time or a secret.
 */

typedef struct
{
  char   *label;
  char   *region;
  guint64 requests[2]; /* batch-progress, jobs */
  /* "api\tcode" → guint64 count */
  GHashTable *errors;
  gint64      last_success_us; /* wall; 0 never */
  int         last_ok;         /* -1 no answer yet */
} Account;

struct _DrsExporter
{
  GObject parent_instance;

  /* owned */
  DrsJobStore *store;
  DrsClock    *clock;
  DrsMonitor  *monitor;
  GHashTable  *accounts; /* account ("" for the default) → Account */

  gint64   start_us;
  guint64  n_scrapes[2]; /* by DrsMetricsFormat */
  double   last_render_s;
  gboolean discovery;
};

G_DEFINE_FINAL_TYPE (DrsExporter, drs_exporter, G_TYPE_OBJECT)

static const char *const phase_names[DRS_N_PHASES] = { "struct", "data", "index" };

/* Bounded label values ----------------------------------------------------------------------- */

/* `APIGW.0308`, `DRS.M05003`: a family of letters, a dot, a short code. */
static gboolean
looks_like_code (const char *code)
{
  const char *dot;
  gsize       len;

  if (code == NULL)
    return FALSE;
  len = strlen (code);
  dot = strchr (code, '.');
  if (dot == NULL || dot == code || dot - code > 10 || len - (gsize) (dot - code) - 1 == 0 ||
      len - (gsize) (dot - code) - 1 > 10)
    return FALSE;
  for (const char *p = code; p < dot; p++)
    if (!g_ascii_isalpha (*p))
      return FALSE;
  for (const char *p = dot + 1; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

/* An unknown status or mode is shown only when it looks like one (`NEW_STATUS`), else as
 * `unknown`: the server decides its values, but not our cardinality. */
static const char *
bounded_word (const char *raw)
{
  gsize len;

  if (raw == NULL)
    return NULL;
  len = strlen (raw);
  if (len == 0 || len > 48)
    return "unknown";
  for (const char *p = raw; *p != '\0'; p++)
    if (!g_ascii_isupper (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return "unknown";
  return raw;
}

/**
 * drs_exporter_bound_code:
 * @error: a request's error
 *
 * Returns: the server's code when it looks like one (`APIGW.0308`), else the #DrsErrorCode's
 *   name (`throttled`, `server`, `network`, …), else `unknown`
 */
const char *
drs_exporter_bound_code (const GError *error)
{
  const char *server_code;

  g_return_val_if_fail (error != NULL, "unknown");

  server_code = drs_error_get_server_code (error);
  if (looks_like_code (server_code))
    return server_code;
  if (error->domain == DRS_ERROR)
    return drs_error_code_to_string (error->code);
  return "unknown";
}

/* Accounts ----------------------------------------------------------------------------------- */

static void
account_free (Account *account)
{
  g_free (account->label);
  g_free (account->region);
  g_hash_table_unref (account->errors);
  g_free (account);
}

static Account *
lookup_account (DrsExporter *self, const char *account)
{
  const char *key = account != NULL ? account : "";
  Account    *found = g_hash_table_lookup (self->accounts, key);

  if (found == NULL)
    {
      found = g_new0 (Account, 1);
      found->label = g_strdup (account != NULL ? account : "default");
      found->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      found->last_ok = -1;
      g_hash_table_insert (self->accounts, g_strdup (key), found);
    }
  return found;
}

/**
 * drs_exporter_add_account:
 * @account: (nullable): the #DrsJob:account of its tasks, %NULL for the default account
 * @label: (nullable): the `account` label (default: @account, or `default`)
 * @region: (nullable): the `region` label
 */
void
drs_exporter_add_account (DrsExporter *self,
                          const char  *account,
                          const char  *label,
                          const char  *region)
{
  Account *found;

  g_return_if_fail (DRS_IS_EXPORTER (self));

  found = lookup_account (self, account);
  if (label != NULL)
    {
      g_free (found->label);
      found->label = g_strdup (label);
    }
  g_free (found->region);
  found->region = g_strdup (region);
}

/**
 * drs_exporter_record_request:
 * @account: (nullable): the account
 * @api: %DRS_EXPORTER_API_PROGRESS or %DRS_EXPORTER_API_JOBS
 * @error: (nullable): why the request failed, %NULL when it was answered
 *
 * Counts one request and its outcome.
 */
void
drs_exporter_record_request (DrsExporter  *self,
                             const char   *account,
                             const char   *api,
                             const GError *error)
{
  Account *found;
  gboolean jobs;

  g_return_if_fail (DRS_IS_EXPORTER (self));
  g_return_if_fail (api != NULL);

  found = lookup_account (self, account);
  jobs = g_str_equal (api, DRS_EXPORTER_API_JOBS);
  found->requests[jobs ? 1 : 0]++;
  if (error == NULL)
    {
      found->last_ok = 1;
      found->last_success_us = drs_clock_get_wall_us (self->clock);
      return;
    }

  found->last_ok = 0;
  {
    const char      *code = drs_exporter_bound_code (error);
    g_autofree char *key =
        g_strconcat (jobs ? DRS_EXPORTER_API_JOBS : DRS_EXPORTER_API_PROGRESS, "\t", code, NULL);
    guint64 *count = g_hash_table_lookup (found->errors, key);

    if (count == NULL && g_hash_table_size (found->errors) >= DRS_EXPORTER_MAX_CODES)
      {
        g_free (key);
        key =
            g_strconcat (jobs ? DRS_EXPORTER_API_JOBS : DRS_EXPORTER_API_PROGRESS, "\tother", NULL);
        count = g_hash_table_lookup (found->errors, key);
      }
    if (count == NULL)
      {
        count = g_new0 (guint64, 1);
        g_hash_table_insert (found->errors, g_steal_pointer (&key), count);
      }
    (*count)++;
  }
}

static void
request_finished_cb (DrsExporter *self, const char *account, const GError *error)
{
  drs_exporter_record_request (self, account, DRS_EXPORTER_API_PROGRESS, error);
}

/**
 * drs_exporter_set_monitor:
 * @monitor: (nullable): the monitor refreshing the store; its requests are counted and its
 *   budget and backoff exported
 */
void
drs_exporter_set_monitor (DrsExporter *self, DrsMonitor *monitor)
{
  g_return_if_fail (DRS_IS_EXPORTER (self));
  g_return_if_fail (monitor == NULL || DRS_IS_MONITOR (monitor));

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    g_signal_connect_object (monitor, "request-finished", G_CALLBACK (request_finished_cb), self,
                             G_CONNECT_SWAPPED);
}

/**
 * drs_exporter_set_discovery:
 * @enabled: whether the task set comes from the job list (`--all-jobs`)
 */
void
drs_exporter_set_discovery (DrsExporter *self, gboolean enabled)
{
  g_return_if_fail (DRS_IS_EXPORTER (self));
  self->discovery = !!enabled;
}

guint64
drs_exporter_get_n_scrapes (DrsExporter *self)
{
  g_return_val_if_fail (DRS_IS_EXPORTER (self), 0);
  return self->n_scrapes[DRS_METRICS_TEXT] + self->n_scrapes[DRS_METRICS_OPENMETRICS];
}

/**
 * drs_exporter_count_scrape:
 * @format: the format it was answered in
 *
 * Counts one scrape of `/metrics` (drs_exporter_render() alone does not: the one-shot output is
 * no scrape).
 */
void
drs_exporter_count_scrape (DrsExporter *self, DrsMetricsFormat format)
{
  g_return_if_fail (DRS_IS_EXPORTER (self));
  self->n_scrapes[format == DRS_METRICS_OPENMETRICS]++;
}

/* Rendering ---------------------------------------------------------------------------------- */

typedef struct
{
  DrsJob  *job;
  Account *account;
} Row;

static gboolean
job_failed (DrsJob *job)
{
  return drs_job_get_status_class (job) == DRS_STATUS_CLASS_FAILED ||
         drs_job_get_error_code (job) != NULL;
}

static const char *
job_status (DrsJob *job)
{
  DrsJobStatus status = drs_job_get_status (job);

  if (status != DRS_JOB_STATUS_UNKNOWN)
    return drs_job_status_to_string (status);
  return bounded_word (drs_job_get_status_raw (job));
}

static const char *
job_mode (DrsJob *job)
{
  DrsTaskMode mode = drs_job_get_task_mode (job);

  if (mode != DRS_TASK_MODE_UNKNOWN)
    return drs_task_mode_to_string (mode);
  return bounded_word (drs_job_get_task_mode_raw (job));
}

static void
render_info (DrsExporter *self, DrsMetricsWriter *w, GArray *rows)
{
  drs_metrics_writer_family (w, "drs_task", DRS_METRIC_INFO,
                             "A DRS task: its name, account, region, task mode, status, status "
                             "class and per-task error code (always 1).");
  for (guint i = 0; i < rows->len; i++)
    {
      Row             *row = &g_array_index (rows, Row, i);
      const char      *name = drs_job_get_name (row->job);
      const char      *code = drs_job_get_error_code (row->job);
      g_autofree char *cut = NULL;

      if (name != NULL && g_utf8_strlen (name, -1) > DRS_EXPORTER_MAX_NAME)
        name = cut = g_utf8_substring (name, 0, DRS_EXPORTER_MAX_NAME);
      if (code != NULL && !looks_like_code (code))
        code = "other";

      drs_metrics_writer_sample_int (
          w,
          (const char *const[]){ "job_id", drs_job_get_id (row->job), "name", name, "account",
                                 row->account->label, "region", row->account->region, "mode",
                                 job_mode (row->job), "status", job_status (row->job),
                                 "status_class",
                                 drs_status_class_to_string (drs_job_get_status_class (row->job)),
                                 "error_code", code, NULL },
          1);
    }
}

#define TASK_LABELS(row)                                                          \
  (const char *const[])                                                           \
  {                                                                               \
    "job_id", drs_job_get_id ((row)->job), "account", (row)->account->label, NULL \
  }

/* What a task gauge shows of a task: negative when unknown, and then not sampled. */
typedef double (*TaskValue) (DrsJob *job);

static double
progress_ratio (DrsJob *job)
{
  double progress = drs_job_get_progress (job);

  return progress >= 0 ? progress / 100.0 : -1;
}

static double
delay_seconds (DrsJob *job)
{
  gint64 delay = drs_job_get_delay_ms (job);

  return delay >= 0 ? delay / 1000.0 : -1;
}

static double
remaining_seconds (DrsJob *job)
{
  return (double) drs_job_get_remaining_s (job);
}

static double
last_update_seconds (DrsJob *job)
{
  gint64 updated = drs_job_get_last_updated_us (job);

  return updated > 0 ? updated / 1e6 : -1;
}

/* A gauge family with one sample per task whose value is known; @integral ones are written as
 * whole numbers. */
static void
render_task_gauge (DrsMetricsWriter *w,
                   GArray           *rows,
                   const char       *name,
                   const char       *help,
                   TaskValue         value,
                   gboolean          integral)
{
  drs_metrics_writer_family (w, name, DRS_METRIC_GAUGE, help);
  for (guint i = 0; i < rows->len; i++)
    {
      Row   *row = &g_array_index (rows, Row, i);
      double v = value (row->job);

      if (v < 0)
        continue;
      if (integral)
        drs_metrics_writer_sample_int (w, TASK_LABELS (row), (gint64) v);
      else
        drs_metrics_writer_sample (w, TASK_LABELS (row), v);
    }
}

static void
render_tasks (DrsExporter *self, DrsMetricsWriter *w, GArray *rows)
{
  render_info (self, w, rows);

  render_task_gauge (w, rows, "drs_task_progress_ratio",
                     "Overall progress of the task, 0 to 1 (absent when unknown).", progress_ratio,
                     FALSE);

  drs_metrics_writer_family (
      w, "drs_task_phase_progress_ratio", DRS_METRIC_GAUGE,
      "Progress of the structure, data and index phases, 0 to 1 (when the server sends them).");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      if (!drs_job_get_has_phases (row->job))
        continue;
      for (guint p = 0; p < DRS_N_PHASES; p++)
        {
          double progress = drs_job_get_phase_progress (row->job, p);

          if (progress >= 0)
            drs_metrics_writer_sample (w,
                                       (const char *const[]){ "job_id", drs_job_get_id (row->job),
                                                              "account", row->account->label,
                                                              "phase", phase_names[p], NULL },
                                       progress / 100.0);
        }
    }

  render_task_gauge (w, rows, "drs_task_incremental_delay_seconds",
                     "Incremental replication delay (absent, not 0, when unknown or outside the "
                     "incremental phase).",
                     delay_seconds, FALSE);
  render_task_gauge (w, rows, "drs_task_remaining_seconds",
                     "Estimated time left, as the server reports it (absent when unknown).",
                     remaining_seconds, TRUE);
  render_task_gauge (w, rows, "drs_task_last_update_timestamp_seconds",
                     "When the task was last read successfully (Unix time).", last_update_seconds,
                     FALSE);

  drs_metrics_writer_family (w, "drs_task_failed", DRS_METRIC_GAUGE,
                             "1 when the task has failed or has an error of its own, else 0.");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      if (drs_job_get_last_updated_us (row->job) > 0)
        drs_metrics_writer_sample_int (w, TASK_LABELS (row), job_failed (row->job));
    }

  drs_metrics_writer_family (w, "drs_task_stale", DRS_METRIC_GAUGE,
                             "1 when the last poll of the task failed and its values are old.");
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = &g_array_index (rows, Row, i);

      drs_metrics_writer_sample_int (w, TASK_LABELS (row), drs_job_get_stale (row->job));
    }
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The keys of @table, sorted, so that every answer lists them in the same order. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray     *keys = g_ptr_array_sized_new (g_hash_table_size (table));
  GHashTableIter iter;
  gpointer       key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static void
render_accounts (DrsExporter *self, DrsMetricsWriter *w, GPtrArray *keys, GArray *rows)
{
  static const char *const apis[2] = { DRS_EXPORTER_API_PROGRESS, DRS_EXPORTER_API_JOBS };
  gint64                   now = drs_clock_get_monotonic_us (self->clock);

#define ACCOUNT(i) ((Account *) g_hash_table_lookup (self->accounts, g_ptr_array_index (keys, i)))
#define ACCOUNT_KEY(i) (*(char *) g_ptr_array_index (keys, i) ? g_ptr_array_index (keys, i) : NULL)

  drs_metrics_writer_family (w, "drs_account_last_refresh_success", DRS_METRIC_GAUGE,
                             "1 when the last request to the account's DRS endpoint was answered, "
                             "0 when it failed (see drs_account_errors_total).");
  for (guint i = 0; i < keys->len; i++)
    if (ACCOUNT (i)->last_ok >= 0)
      drs_metrics_writer_sample_int (w,
                                     (const char *const[]){ "account", ACCOUNT (i)->label, "region",
                                                            ACCOUNT (i)->region, NULL },
                                     ACCOUNT (i)->last_ok);

  drs_metrics_writer_family (w, "drs_account_last_success_timestamp_seconds", DRS_METRIC_GAUGE,
                             "When a request of the account was last answered (Unix time).");
  for (guint i = 0; i < keys->len; i++)
    if (ACCOUNT (i)->last_success_us > 0)
      drs_metrics_writer_sample (w, (const char *const[]){ "account", ACCOUNT (i)->label, NULL },
                                 ACCOUNT (i)->last_success_us / 1e6);

  drs_metrics_writer_family (w, "drs_account_requests", DRS_METRIC_COUNTER,
                             "Requests sent to DRS, by API (batch-progress; jobs: one job-list "
                             "refresh of --all-jobs).");
  for (guint i = 0; i < keys->len; i++)
    for (guint a = 0; a < 2; a++)
      drs_metrics_writer_sample_int (
          w, (const char *const[]){ "account", ACCOUNT (i)->label, "api", apis[a], NULL },
          (gint64) ACCOUNT (i)->requests[a]);

  drs_metrics_writer_family (w, "drs_account_errors", DRS_METRIC_COUNTER,
                             "Failed requests by API and error code (the server's, such as "
                             "APIGW.0308, or auth, throttled, server, network, timeout, tls, "
                             "protocol).");
  for (guint i = 0; i < keys->len; i++)
    {
      g_autoptr (GPtrArray) codes = sorted_keys (ACCOUNT (i)->errors);

      for (guint c = 0; c < codes->len; c++)
        {
          const char      *key = g_ptr_array_index (codes, c);
          const char      *tab = strchr (key, '\t');
          g_autofree char *api = g_strndup (key, tab - key);
          guint64         *count = g_hash_table_lookup (ACCOUNT (i)->errors, key);

          drs_metrics_writer_sample_int (w,
                                         (const char *const[]){ "account", ACCOUNT (i)->label,
                                                                "api", api, "code", tab + 1, NULL },
                                         (gint64) *count);
        }
    }

  if (self->monitor != NULL)
    {
      guint budget = drs_monitor_get_budget (self->monitor);

      drs_metrics_writer_family (w, "drs_account_budget_requests_per_minute", DRS_METRIC_GAUGE,
                                 "The request budget of each account (--budget).");
      for (guint i = 0; i < keys->len; i++)
        drs_metrics_writer_sample_int (
            w, (const char *const[]){ "account", ACCOUNT (i)->label, NULL }, budget);

      drs_metrics_writer_family (w, "drs_account_budget_used_ratio", DRS_METRIC_GAUGE,
                                 "Share of the request budget spent in the last minute, 0 to 1.");
      for (guint i = 0; i < keys->len; i++)
        drs_metrics_writer_sample (
            w, (const char *const[]){ "account", ACCOUNT (i)->label, NULL },
            (double) drs_monitor_get_requests_last_minute (self->monitor, ACCOUNT_KEY (i)) /
                budget);

      drs_metrics_writer_family (w, "drs_account_backoff_seconds", DRS_METRIC_GAUGE,
                                 "How long the account's endpoint is left alone after throttling "
                                 "or errors (0 when not backing off).");
      for (guint i = 0; i < keys->len; i++)
        {
          gint64 until = drs_monitor_get_backoff_until_us (self->monitor, ACCOUNT_KEY (i));

          drs_metrics_writer_sample (w,
                                     (const char *const[]){ "account", ACCOUNT (i)->label, NULL },
                                     until > now ? (until - now) / 1e6 : 0);
        }
    }

  drs_metrics_writer_family (w, "drs_account_tasks", DRS_METRIC_GAUGE,
                             "Watched tasks by status class.");
  for (guint i = 0; i < keys->len; i++)
    {
      guint counts[DRS_STATUS_CLASS_FAILED + 1] = { 0 };

      for (guint r = 0; r < rows->len; r++)
        {
          Row *row = &g_array_index (rows, Row, r);

          if (row->account == ACCOUNT (i))
            counts[drs_job_get_status_class (row->job)]++;
        }
      for (guint c = 0; c <= DRS_STATUS_CLASS_FAILED; c++)
        drs_metrics_writer_sample_int (
            w,
            (const char *const[]){ "account", ACCOUNT (i)->label, "status_class",
                                   drs_status_class_to_string (c), NULL },
            counts[c]);
    }

#undef ACCOUNT
#undef ACCOUNT_KEY
}

static void
render_exporter (DrsExporter *self, DrsMetricsWriter *w, guint n_tasks)
{
  drs_metrics_writer_family (w, "drs_exporter_build", DRS_METRIC_INFO,
                             "The exporter's version (always 1).");
  drs_metrics_writer_sample_int (w, (const char *const[]){ "version", PACKAGE_VERSION, NULL }, 1);

  drs_metrics_writer_family (w, "drs_exporter_start_time_seconds", DRS_METRIC_GAUGE,
                             "When the exporter started (Unix time).");
  drs_metrics_writer_sample (w, NULL, self->start_us / 1e6);

  drs_metrics_writer_family (w, "drs_exporter_scrapes", DRS_METRIC_COUNTER,
                             "Scrapes of /metrics answered, by format (openmetrics or text).");
  drs_metrics_writer_sample_int (w, (const char *const[]){ "format", "openmetrics", NULL },
                                 (gint64) self->n_scrapes[DRS_METRICS_OPENMETRICS]);
  drs_metrics_writer_sample_int (w, (const char *const[]){ "format", "text", NULL },
                                 (gint64) self->n_scrapes[DRS_METRICS_TEXT]);

  drs_metrics_writer_family (w, "drs_exporter_last_render_seconds", DRS_METRIC_GAUGE,
                             "How long rendering the previous answer took.");
  drs_metrics_writer_sample (w, NULL, self->last_render_s);

  drs_metrics_writer_family (w, "drs_exporter_watched_tasks", DRS_METRIC_GAUGE,
                             "Tasks watched (given on the command line or discovered).");
  drs_metrics_writer_sample_int (w, NULL, n_tasks);

  drs_metrics_writer_family (w, "drs_exporter_discovery_enabled", DRS_METRIC_GAUGE,
                             "1 when the tasks come from the project's job list (--all-jobs).");
  drs_metrics_writer_sample_int (w, NULL, self->discovery);
}

/**
 * drs_exporter_render:
 *
 * Every family from the values known now; never waits.
 *
 * Returns: (transfer full): the exposition in @format
 */
GBytes *
drs_exporter_render (DrsExporter *self, DrsMetricsFormat format)
{
  g_autoptr (GArray) rows = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  GListModel       *model;
  DrsMetricsWriter *w;
  guint             n;
  gint64            started = g_get_monotonic_time ();
  GBytes           *bytes;

  g_return_val_if_fail (DRS_IS_EXPORTER (self), NULL);

  model = G_LIST_MODEL (self->store);
  n = g_list_model_get_n_items (model);
  rows = g_array_sized_new (FALSE, FALSE, sizeof (Row), n);
  for (guint i = 0; i < n; i++)
    {
      Row row;

      /* The store holds a reference for as long as this runs (nothing else runs meanwhile). */
      row.job = g_list_model_get_item (model, i);
      g_object_unref (row.job);
      row.account = lookup_account (self, drs_job_get_account (row.job));
      g_array_append_val (rows, row);
    }
  keys = sorted_keys (self->accounts);

  w = drs_metrics_writer_new (format, 1024 + (gsize) n * 900);
  render_tasks (self, w, rows);
  render_accounts (self, w, keys, rows);
  render_exporter (self, w, n);
  bytes = drs_metrics_writer_finish (w);

  self->last_render_s = (g_get_monotonic_time () - started) / 1e6;
  return bytes;
}

/* GObject ------------------------------------------------------------------------------------ */

static void
drs_exporter_dispose (GObject *object)
{
  DrsExporter *self = (DrsExporter *) object;

  drs_exporter_set_monitor (self, NULL);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (drs_exporter_parent_class)->dispose (object);
}

static void
drs_exporter_finalize (GObject *object)
{
  DrsExporter *self = (DrsExporter *) object;

  g_clear_pointer (&self->accounts, g_hash_table_unref);

  G_OBJECT_CLASS (drs_exporter_parent_class)->finalize (object);
}

static void
drs_exporter_class_init (DrsExporterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = drs_exporter_dispose;
  object_class->finalize = drs_exporter_finalize;
}

static void
drs_exporter_init (DrsExporter *self)
{
  self->accounts =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) account_free);
}

/**
 * drs_exporter_new:
 * @store: the tasks to export
 * @clock: (nullable): the time source (the monitor's); %NULL for the system clock
 *
 * Returns: (transfer full): an exporter
 */
DrsExporter *
drs_exporter_new (DrsJobStore *store, DrsClock *clock)
{
  DrsExporter *self;

  g_return_val_if_fail (DRS_IS_JOB_STORE (store), NULL);
  g_return_val_if_fail (clock == NULL || DRS_IS_CLOCK (clock), NULL);

  self = g_object_new (DRS_TYPE_EXPORTER, NULL);
  self->store = g_object_ref (store);
  self->clock = clock != NULL ? g_object_ref (clock) : drs_clock_new_system ();
  self->start_us = drs_clock_get_wall_us (self->clock);
  return self;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-progress"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "drs-error.h"
#include "drs-format.h"
#include "drs-job-status.h"
#include "drs-progress-output.h"

/* The three ways drs-progress prints a DrsProgressResult, and its exit status. */

static const char *const phase_names[DRS_N_PHASES] = { "struct", "data", "index" };

static DrsStatusClass
snapshot_class (const DrsSnapshot *snap)
{
  return drs_job_status_classify (snap->status, snap->task_mode);
}

static const char *
snapshot_status (const DrsSnapshot *snap)
{
  if (snap->status_raw != NULL)
    return snap->status_raw;
  if (snap->status != DRS_JOB_STATUS_UNKNOWN)
    return drs_job_status_to_string (snap->status);
  return NULL;
}

static const char *
snapshot_task_mode (const DrsSnapshot *snap)
{
  if (snap->task_mode_raw != NULL)
    return snap->task_mode_raw;
  if (snap->task_mode != DRS_TASK_MODE_UNKNOWN)
    return drs_task_mode_to_string (snap->task_mode);
  return NULL;
}

/* process_time as ISO 8601 UTC, milliseconds only when there are some. */
static char *
format_iso_time (gint64 epoch_ms)
{
  g_autoptr (GDateTime) time = NULL;
  g_autofree char *base = NULL;

  if (epoch_ms < 0)
    return NULL;
  time = g_date_time_new_from_unix_utc (epoch_ms / 1000);
  if (time == NULL)
    return NULL;
  base = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  if (epoch_ms % 1000 != 0)
    return g_strdup_printf ("%s.%03dZ", base, (int) (epoch_ms % 1000));
  return g_strdup_printf ("%sZ", base);
}

static const char *
error_code_name (const GError *error)
{
  const char *server_code = drs_error_get_server_code (error);

  if (server_code != NULL)
    return server_code;
  if (error->domain == DRS_ERROR)
    return drs_error_code_to_string (error->code);
  return "unknown";
}

/* JSON --------------------------------------------------------------------------------------- */

static void
add_number (JsonBuilder *builder, const char *name, double value)
{
  json_builder_set_member_name (builder, name);
  if (value < 0)
    json_builder_add_null_value (builder);
  else if (value == (double) (gint64) value)
    json_builder_add_int_value (builder, (gint64) value);
  else
    json_builder_add_double_value (builder, value);
}

static void
add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL)
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

/**
 * drs_progress_output_json:
 *
 * `{"jobs":[…],"errors":[…]}` exactly as `drs-progress --help` documents it: numbers as JSON
 * numbers, unknown values as `null`.
 *
 * Returns: (transfer full): the document, with a final newline
 */
char *
drs_progress_output_json (DrsProgressResult *result)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  GPtrArray       *snapshots = drs_progress_result_get_snapshots (result);
  GPtrArray       *errors = drs_progress_result_get_batch_errors (result);
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < snapshots->len; i++)
    {
      const DrsSnapshot *snap = snapshots->pdata[i];
      g_autofree char   *process_time = format_iso_time (snap->process_time_ms);

      json_builder_begin_object (builder);
      add_string (builder, "job_id", snap->job_id);
      add_string (builder, "status", snapshot_status (snap));
      add_string (builder, "status_class", drs_status_class_to_string (snapshot_class (snap)));
      add_string (builder, "task_mode", snapshot_task_mode (snap));
      add_number (builder, "progress", snap->progress);
      add_number (builder, "delay_ms", (double) snap->delay_ms);
      add_number (builder, "remaining_s", (double) snap->remaining_s);
      add_string (builder, "process_time", process_time);
      json_builder_set_member_name (builder, "progress_map");
      if (snap->has_phases)
        {
          json_builder_begin_object (builder);
          for (guint p = 0; p < DRS_N_PHASES; p++)
            {
              json_builder_set_member_name (builder, phase_names[p]);
              json_builder_begin_object (builder);
              add_number (builder, "completed", snap->phases[p].completed);
              add_number (builder, "remaining_s", (double) snap->phases[p].remaining_s);
              json_builder_end_object (builder);
            }
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);
      add_string (builder, "error_code", snap->error_code);
      add_string (builder, "error_msg", snap->error_code ? snap->error_msg : NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < errors->len; i++)
    {
      const DrsBatchError *be = errors->pdata[i];
      guint                status = drs_error_get_http_status (be->error);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "job_ids");
      json_builder_begin_array (builder);
      for (guint j = 0; be->job_ids[j] != NULL; j++)
        json_builder_add_string_value (builder, be->job_ids[j]);
      json_builder_end_array (builder);
      add_number (builder, "http_status", status ? (double) status : -1);
      add_string (builder, "code", error_code_name (be->error));
      add_string (builder, "message", be->error->message);
      add_string (builder, "request_id", drs_error_get_request_id (be->error));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

/* CSV ---------------------------------------------------------------------------------------- */

static void
csv_field (GString *out, const char *value, gboolean last)
{
  if (value != NULL)
    {
      if (strpbrk (value, ",\"\r\n") != NULL)
        {
          g_string_append_c (out, '"');
          for (const char *p = value; *p; p++)
            {
              if (*p == '"')
                g_string_append_c (out, '"');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, value);
    }
  g_string_append (out, last ? "\r\n" : ",");
}

static char *
number_text (double value)
{
  if (value < 0)
    return NULL;
  if (value == (double) (gint64) value)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) value);
  {
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.2f", value));
  }
}

/**
 * drs_progress_output_csv:
 *
 * RFC 4180: a header line, one line per job, then one line per id of a failed batch with the
 * batch's error in error_code/error_msg. Unknown values are empty fields.
 *
 * Returns: (transfer full): the text
 */
char *
drs_progress_output_csv (DrsProgressResult *result)
{
  GString   *out = g_string_new (NULL);
  GPtrArray *snapshots = drs_progress_result_get_snapshots (result);
  GPtrArray *errors = drs_progress_result_get_batch_errors (result);

  g_string_append (out, "job_id,status,status_class,task_mode,progress,delay_ms,remaining_s,"
                        "process_time,struct,data,index,error_code,error_msg\r\n");
  for (guint i = 0; i < snapshots->len; i++)
    {
      const DrsSnapshot *snap = snapshots->pdata[i];
      g_autofree char   *progress = number_text (snap->progress);
      g_autofree char   *delay = number_text ((double) snap->delay_ms);
      g_autofree char   *remaining = number_text ((double) snap->remaining_s);
      g_autofree char   *process_time = format_iso_time (snap->process_time_ms);

      csv_field (out, snap->job_id, FALSE);
      csv_field (out, snapshot_status (snap), FALSE);
      csv_field (out, drs_status_class_to_string (snapshot_class (snap)), FALSE);
      csv_field (out, snapshot_task_mode (snap), FALSE);
      csv_field (out, progress, FALSE);
      csv_field (out, delay, FALSE);
      csv_field (out, remaining, FALSE);
      csv_field (out, process_time, FALSE);
      for (guint p = 0; p < DRS_N_PHASES; p++)
        {
          g_autofree char *completed =
              snap->has_phases ? number_text (snap->phases[p].completed) : NULL;
          csv_field (out, completed, FALSE);
        }
      csv_field (out, snap->error_code, FALSE);
      csv_field (out, snap->error_code ? snap->error_msg : NULL, TRUE);
    }
  for (guint i = 0; i < errors->len; i++)
    {
      const DrsBatchError *be = errors->pdata[i];

      for (guint j = 0; be->job_ids[j] != NULL; j++)
        {
          csv_field (out, be->job_ids[j], FALSE);
          for (guint k = 0; k < 10; k++)
            csv_field (out, NULL, FALSE);
          csv_field (out, error_code_name (be->error), FALSE);
          csv_field (out, be->error->message, TRUE);
        }
    }
  return g_string_free (out, FALSE);
}

/* Table -------------------------------------------------------------------------------------- */

/* Columns of a terminal a string takes: wide (CJK) characters count twice. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

static const char *
class_color (DrsStatusClass status_class)
{
  switch (status_class)
    {
      case DRS_STATUS_CLASS_FAILED:
        return "\033[1;31m";
      case DRS_STATUS_CLASS_FINISHED:
        return "\033[32m";
      case DRS_STATUS_CLASS_RUNNING:
        return "\033[36m";
      case DRS_STATUS_CLASS_PAUSED:
        return "\033[33m";
      case DRS_STATUS_CLASS_PENDING:
        return "\033[35m";
      case DRS_STATUS_CLASS_UNKNOWN:
      default:
        return NULL;
    }
}

enum
{
  COL_ID,
  COL_STATUS,
  COL_PROGRESS,
  COL_DELAY,
  COL_REMAINING,
  COL_UPDATED,
  COL_DETAILS,
  N_COLS
};

typedef struct
{
  char          *cells[N_COLS];
  DrsStatusClass status_class;
} Row;

static void
row_clear (Row *row)
{
  for (guint i = 0; i < N_COLS; i++)
    g_free (row->cells[i]);
}

static char *
phases_text (const DrsSnapshot *snap)
{
  g_autofree char *s = NULL;
  g_autofree char *d = NULL;
  g_autofree char *x = NULL;

  if (!snap->has_phases)
    return NULL;
  s = drs_format_percent (snap->phases[DRS_PHASE_STRUCT].completed);
  d = drs_format_percent (snap->phases[DRS_PHASE_DATA].completed);
  x = drs_format_percent (snap->phases[DRS_PHASE_INDEX].completed);
  /* Translators: the progress of the three phases of a full migration */
  return g_strdup_printf (_ ("structure %s, data %s, indexes %s"), s, d, x);
}

static void
fill_row (Row *row, const DrsSnapshot *snap)
{
  g_autoptr (GDateTime) time = NULL;
  const char *status = snapshot_status (snap);

  row->status_class = snapshot_class (snap);
  row->cells[COL_ID] = g_strdup (snap->job_id);
  if (snap->status != DRS_JOB_STATUS_UNKNOWN)
    row->cells[COL_STATUS] =
        g_strdup (drs_job_status_get_label (snap->status, DRS_SCENARIO_UNKNOWN));
  else
    row->cells[COL_STATUS] = g_strdup (status ? status : "—");
  row->cells[COL_PROGRESS] = drs_format_percent (snap->progress);
  row->cells[COL_DELAY] = drs_format_delay (snap->delay_ms);
  row->cells[COL_REMAINING] = drs_format_duration (snap->remaining_s);
  if (snap->process_time_ms >= 0)
    time = g_date_time_new_from_unix_utc (snap->process_time_ms / 1000);
  row->cells[COL_UPDATED] = drs_format_date_time (time);

  if (snap->error_code != NULL)
    row->cells[COL_DETAILS] =
        g_strdup_printf ("%s: %s", snap->error_code, snap->error_msg ? snap->error_msg : "");
  else
    row->cells[COL_DETAILS] = phases_text (snap);
  if (row->cells[COL_DETAILS] == NULL)
    row->cells[COL_DETAILS] = g_strdup ("");
}

/* Long error messages from the server stay on one line: newlines become spaces. */
static char *
one_line (const char *text)
{
  char *copy = g_strdup (text);

  g_strdelimit (copy, "\r\n\t", ' ');
  return copy;
}

/**
 * drs_progress_output_table:
 * @color: colour the status by its class (only for a terminal)
 *
 * Aligned columns for people: labels, percentages, durations, local times; then one line per
 * failed batch.
 *
 * Returns: (transfer full): the text
 */
char *
drs_progress_output_table (DrsProgressResult *result, gboolean color)
{
  const char *headers[N_COLS] = {
    _ ("Job ID"),    _ ("Status"),  _ ("Progress"), _ ("Delay"),
    _ ("Remaining"), _ ("Updated"), _ ("Details"),
  };
  GPtrArray *snapshots = drs_progress_result_get_snapshots (result);
  GPtrArray *errors = drs_progress_result_get_batch_errors (result);
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  guint    widths[N_COLS];
  GString *out = g_string_new (NULL);

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  for (guint i = 0; i < snapshots->len; i++)
    {
      Row row = { { NULL }, DRS_STATUS_CLASS_UNKNOWN };

      fill_row (&row, snapshots->pdata[i]);
      g_array_append_val (rows, row);
    }

  for (guint c = 0; c < N_COLS; c++)
    {
      widths[c] = display_width (headers[c]);
      for (guint r = 0; r < rows->len; r++)
        widths[c] = MAX (widths[c], display_width (g_array_index (rows, Row, r).cells[c]));
    }

  if (rows->len > 0)
    {
      for (guint c = 0; c < N_COLS; c++)
        {
          guint pad = widths[c] - display_width (headers[c]);

          /* Numbers are right-aligned, and so is their heading. */
          if (c == COL_PROGRESS)
            for (guint w = 0; w < pad; w++)
              g_string_append_c (out, ' ');
          g_string_append (out, headers[c]);
          if (c + 1 < N_COLS)
            for (guint w = 0; w < (c == COL_PROGRESS ? 0 : pad) + 2; w++)
              g_string_append_c (out, ' ');
        }
      while (out->len > 0 && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }

  for (guint r = 0; r < rows->len; r++)
    {
      Row  *row = &g_array_index (rows, Row, r);
      gsize line_start = out->len;

      for (guint c = 0; c < N_COLS; c++)
        {
          const char *cell = row->cells[c];
          const char *start = c == COL_STATUS && color ? class_color (row->status_class) : NULL;
          gboolean    right = c == COL_PROGRESS;
          guint       pad = widths[c] - display_width (cell);

          if (right)
            for (guint w = 0; w < pad; w++)
              g_string_append_c (out, ' ');
          if (start != NULL)
            g_string_append (out, start);
          g_string_append (out, cell);
          if (start != NULL)
            g_string_append (out, "\033[0m");
          if (c + 1 < N_COLS)
            {
              for (guint w = 0; w < (right ? 0 : pad) + 2; w++)
                g_string_append_c (out, ' ');
            }
        }
      /* No trailing blanks. */
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }

  for (guint i = 0; i < errors->len; i++)
    {
      const DrsBatchError *be = errors->pdata[i];
      guint                n = g_strv_length (be->job_ids);
      g_autofree char     *ids = g_strjoinv (", ", be->job_ids);
      g_autofree char     *message = one_line (be->error->message);
      const char          *request_id = drs_error_get_request_id (be->error);

      if (color)
        g_string_append (out, "\033[1;31m");
      g_string_append_printf (out,
                              /* Translators: %u tasks, then their ids, then the reason */
                              g_dngettext (GETTEXT_PACKAGE, "Could not read %u task (%s): %s",
                                           "Could not read %u tasks (%s): %s", n),
                              n, ids, message);
      if (color)
        g_string_append (out, "\033[0m");
      if (request_id != NULL)
        /* Translators: the id support asks for */
        g_string_append_printf (out, _ (" [request ID %s]"), request_id);
      g_string_append_c (out, '\n');
    }

  if (rows->len == 0 && errors->len == 0)
    g_string_append_printf (out, "%s\n", _ ("No tasks."));

  return g_string_free (out, FALSE);
}

/**
 * drs_progress_exit_status:
 *
 * Returns: 0 when every job was read and none failed; 1 when a job failed or has a per-job
 *   error; 2 when a batch could not be read at all (auth, network, protocol, …)
 */
int
drs_progress_exit_status (DrsProgressResult *result)
{
  GPtrArray *snapshots = drs_progress_result_get_snapshots (result);

  if (drs_progress_result_get_batch_errors (result)->len > 0)
    return 2;
  for (guint i = 0; i < snapshots->len; i++)
    {
      const DrsSnapshot *snap = snapshots->pdata[i];

      if (snap->error_code != NULL || snapshot_class (snap) == DRS_STATUS_CLASS_FAILED)
        return 1;
    }
  return 0;
}

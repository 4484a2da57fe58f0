/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-metrics"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "drs-metrics-writer.h"

/*
 * The exposition formats Prometheus reads, written into one buffer: the text format 0.0.4 and
 * OpenMetrics 1.0.0. Callers declare a family, then add its samples; the writer names samples by
 * the family's type (counters `_total`, infos `_info`), escapes label values and help texts,
 * spells numbers the way both formats do (`NaN`, `+Inf`, shortest round-trip decimals) and ends
 * OpenMetrics with `# EOF`. It knows nothing about DRS; see DrsExporter for the metrics.
 */

struct _DrsMetricsWriter
{
  DrsMetricsFormat format;
  GString         *out;
  char            *sample_name; /* of the current family */
};

#define OPENMETRICS_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"
#define TEXT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Negotiation -------------------------------------------------------------------------------- */

/* The q value of one media range's parameters ("q=0.5"), 1 when absent, 0 when malformed. */
static double
media_range_q (char **params)
{
  for (guint i = 0; params[i] != NULL; i++)
    {
      g_autofree char *param = g_strstrip (g_strdup (params[i]));
      char            *end = NULL;
      double           q;

      if (!g_str_has_prefix (param, "q=") && !g_str_has_prefix (param, "Q="))
        continue;
      q = g_ascii_strtod (param + 2, &end);
      if (end == param + 2 || *end != '\0' || !(q >= 0 && q <= 1))
        return 0;
      return q;
    }
  return 1;
}

/* Whether an OpenMetrics media range asks for a version we write (1.0.0, or 0.0.1, which
 * Prometheus still lists and which 1.0.0 parsers read alike, or none). */
static gboolean
openmetrics_version_ok (char **params)
{
  for (guint i = 0; params[i] != NULL; i++)
    {
      g_autofree char *param = g_strstrip (g_strdup (params[i]));

      if (g_ascii_strncasecmp (param, "version=", 8) == 0)
        return g_str_equal (param + 8, "1.0.0") || g_str_equal (param + 8, "0.0.1");
    }
  return TRUE;
}

/**
 * drs_metrics_format_negotiate:
 * @accept: (nullable): the request's `Accept` header
 *
 * OpenMetrics when the client prefers it (by q value; on a tie, OpenMetrics, which is more
 * precise), else the text format, which every client of `/metrics` reads.
 *
 * Returns: the format to answer in
 */
DrsMetricsFormat
drs_metrics_format_negotiate (const char *accept)
{
  g_auto (GStrv) ranges = NULL;
  double openmetrics_q = 0;
  double text_q = 0;

  if (accept == NULL)
    return DRS_METRICS_TEXT;

  ranges = g_strsplit (accept, ",", 64);
  for (guint i = 0; ranges[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (ranges[i], ";", 16);
      g_autofree char *type = g_ascii_strdown (g_strstrip (parts[0]), -1);
      double           q = media_range_q (parts + 1);

      if (g_str_equal (type, "application/openmetrics-text"))
        {
          if (openmetrics_version_ok (parts + 1))
            openmetrics_q = MAX (openmetrics_q, q);
        }
      else if (g_str_equal (type, "text/plain") || g_str_equal (type, "text/*") ||
               g_str_equal (type, "*/*"))
        text_q = MAX (text_q, q);
    }

  return openmetrics_q > 0 && openmetrics_q >= text_q ? DRS_METRICS_OPENMETRICS : DRS_METRICS_TEXT;
}

/**
 * drs_metrics_format_content_type:
 *
 * Returns: the `Content-Type` of @format
 */
const char *
drs_metrics_format_content_type (DrsMetricsFormat format)
{
  return format == DRS_METRICS_OPENMETRICS ? OPENMETRICS_TYPE : TEXT_TYPE;
}

/* Spelling ----------------------------------------------------------------------------------- */

/**
 * drs_metrics_append_label_value:
 *
 * Appends @value quoted as a label value: backslash, double quote and line feed escaped, invalid
 * UTF-8 replaced (both formats require UTF-8).
 */
void
drs_metrics_append_label_value (GString *out, const char *value)
{
  g_autofree char *valid = NULL;

  if (!g_utf8_validate (value, -1, NULL))
    value = valid = g_utf8_make_valid (value, -1);

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
          case '\\':
            g_string_append_len (out, "\\\\", 2);
            break;
          case '"':
            g_string_append_len (out, "\\\"", 2);
            break;
          case '\n':
            g_string_append_len (out, "\\n", 2);
            break;
          default:
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

/* A help text: backslash and line feed escaped (and the double quote in OpenMetrics). */
static void
append_help (GString *out, const char *help, DrsMetricsFormat format)
{
  for (const char *p = help; *p != '\0'; p++)
    {
      if (*p == '\\')
        g_string_append_len (out, "\\\\", 2);
      else if (*p == '\n')
        g_string_append_len (out, "\\n", 2);
      else if (*p == '"' && format == DRS_METRICS_OPENMETRICS)
        g_string_append_len (out, "\\\"", 2);
      else
        g_string_append_c (out, *p);
    }
}

/**
 * drs_metrics_append_double:
 *
 * Appends @value as both formats spell numbers: integers without a fraction, others as the
 * shortest decimal that reads back the same double, `NaN`, `+Inf`, `-Inf`.
 */
void
drs_metrics_append_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    {
      g_string_append_len (out, "NaN", 3);
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "+Inf" : "-Inf");
      return;
    }
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (precision == 17 || g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

/* The writer --------------------------------------------------------------------------------- */

/**
 * drs_metrics_writer_new:
 * @reserve: bytes to allocate up front (0 for a guess)
 *
 * Returns: (transfer full): a writer of an empty exposition
 */
DrsMetricsWriter *
drs_metrics_writer_new (DrsMetricsFormat format, gsize reserve)
{
  DrsMetricsWriter *self = g_new0 (DrsMetricsWriter, 1);

  self->format = format;
  self->out = g_string_sized_new (reserve > 0 ? reserve : 4096);
  return self;
}

DrsMetricsFormat
drs_metrics_writer_get_format (DrsMetricsWriter *self)
{
  g_return_val_if_fail (self != NULL, DRS_METRICS_TEXT);
  return self->format;
}

/**
 * drs_metrics_writer_family:
 * @name: the family's name: `snake_case`, for a counter without `_total`, for an info without
 *   `_info`
 * @help: one line of help (not translated: metric names and help are part of the interface)
 *
 * Starts a family: `# HELP` and `# TYPE` (and `# UNIT` in OpenMetrics when @name ends in
 * `_seconds`). Declare each family once, with all its samples after it.
 */
void
drs_metrics_writer_family (DrsMetricsWriter *self,
                           const char       *name,
                           DrsMetricType     type,
                           const char       *help)
{
  const char      *suffix = "";
  const char      *type_name = "gauge";
  g_autofree char *declared = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL && help != NULL);

  if (type == DRS_METRIC_COUNTER)
    {
      suffix = "_total";
      type_name = "counter";
    }
  else if (type == DRS_METRIC_INFO)
    {
      suffix = "_info";
      type_name = self->format == DRS_METRICS_OPENMETRICS ? "info" : "gauge";
    }

  g_free (self->sample_name);
  self->sample_name = g_strconcat (name, suffix, NULL);
  /* OpenMetrics declares the family without the sample suffix; the text format declares the
   * samples' name. */
  declared =
      self->format == DRS_METRICS_OPENMETRICS ? g_strdup (name) : g_strdup (self->sample_name);

  g_string_append_printf (self->out, "# HELP %s ", declared);
  append_help (self->out, help, self->format);
  g_string_append_printf (self->out, "\n# TYPE %s %s\n", declared, type_name);
  if (self->format == DRS_METRICS_OPENMETRICS && g_str_has_suffix (name, "_seconds"))
    g_string_append_printf (self->out, "# UNIT %s seconds\n", declared);
}

static void
append_labels (DrsMetricsWriter *self, const char *const *labels)
{
  gboolean first = TRUE;

  if (labels == NULL)
    return;
  /* Pairs of name and value; a NULL or empty value leaves the label out (Prometheus reads an
   * empty label as an absent one). */
  for (guint i = 0; labels[i] != NULL; i += 2)
    {
      const char *value = labels[i + 1];

      if (value == NULL || *value == '\0')
        continue;
      g_string_append_c (self->out, first ? '{' : ',');
      first = FALSE;
      g_string_append (self->out, labels[i]);
      g_string_append_c (self->out, '=');
      drs_metrics_append_label_value (self->out, value);
    }
  if (!first)
    g_string_append_c (self->out, '}');
}

/**
 * drs_metrics_writer_sample:
 * @labels: (nullable) (array zero-terminated=1): label names and values in turn, ended by %NULL
 *   in a name's place; a %NULL or empty value leaves its label out
 *
 * Adds a sample to the current family.
 */
void
drs_metrics_writer_sample (DrsMetricsWriter *self, const char *const *labels, double value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->sample_name != NULL);

  g_string_append (self->out, self->sample_name);
  append_labels (self, labels);
  g_string_append_c (self->out, ' ');
  drs_metrics_append_double (self->out, value);
  g_string_append_c (self->out, '\n');
}

/**
 * drs_metrics_writer_sample_int:
 *
 * Like drs_metrics_writer_sample() for an integer (a count, a flag).
 */
void
drs_metrics_writer_sample_int (DrsMetricsWriter *self, const char *const *labels, gint64 value)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->sample_name != NULL);

  g_string_append (self->out, self->sample_name);
  append_labels (self, labels);
  g_string_append_printf (self->out, " %" G_GINT64_FORMAT "\n", value);
}

/**
 * drs_metrics_writer_finish:
 *
 * Ends the exposition (`# EOF` in OpenMetrics) and frees the writer.
 *
 * Returns: (transfer full): the exposition
 */
GBytes *
drs_metrics_writer_finish (DrsMetricsWriter *self)
{
  GString *out;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->format == DRS_METRICS_OPENMETRICS)
    g_string_append (self->out, "# EOF\n");
  out = g_steal_pointer (&self->out);
  drs_metrics_writer_free (self);
  return g_string_free_to_bytes (out);
}

void
drs_metrics_writer_free (DrsMetricsWriter *self)
{
  if (self == NULL)
    return;
  if (self->out != NULL)
    g_string_free (self->out, TRUE);
  g_free (self->sample_name);
  g_free (self);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-format"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "drs-format.h"

/* What every formatter shows for a value the server did not send. */
#define UNKNOWN_TEXT "—"

/**
 * drs_format_duration:
 * @seconds: a duration, or a negative value for "not available"
 *
 * Two units at most, the way people read a remaining time: "45 s", "3 min 20 s", "2 h 5 min",
 * "3 d 4 h" (and "3分20秒" in Chinese).
 *
 * Returns: (transfer full): the text
 */
char *
drs_format_duration (gint64 seconds)
{
  int d, h, m, s;

  if (seconds < 0)
    return g_strdup (UNKNOWN_TEXT);

  seconds = MIN (seconds, G_GINT64_CONSTANT (100) * 365 * 86400);
  d = (int) (seconds / 86400);
  h = (int) ((seconds % 86400) / 3600);
  m = (int) ((seconds % 3600) / 60);
  s = (int) (seconds % 60);

  if (d > 0)
    /* Translators: a duration in days and hours, e.g. "3 d 4 h" */
    return h ? g_strdup_printf (_ ("%d d %d h"), d, h)
             /* Translators: a duration in days, e.g. "3 d" */
             : g_strdup_printf (_ ("%d d"), d);
  if (h > 0)
    /* Translators: a duration in hours and minutes, e.g. "2 h 5 min" */
    return m ? g_strdup_printf (_ ("%d h %d min"), h, m)
             /* Translators: a duration in hours, e.g. "2 h" */
             : g_strdup_printf (_ ("%d h"), h);
  if (m > 0)
    /* Translators: a duration in minutes and seconds, e.g. "3 min 20 s" */
    return s ? g_strdup_printf (_ ("%d min %d s"), m, s)
             /* Translators: a duration in minutes, e.g. "3 min" */
             : g_strdup_printf (_ ("%d min"), m);
  /* Translators: a duration in seconds, e.g. "45 s" */
  return g_strdup_printf (_ ("%d s"), s);
}

/**
 * drs_format_delay:
 * @milliseconds: the incremental delay, or a negative value for "not available"
 *
 * Returns: (transfer full): "0 s", "1.5 s" under ten seconds, then as drs_format_duration()
 */
char *
drs_format_delay (gint64 milliseconds)
{
  if (milliseconds < 0)
    return g_strdup (UNKNOWN_TEXT);
  if (milliseconds > 0 && milliseconds < 9950 && (milliseconds + 50) / 100 % 10 != 0)
    {
      gint64 tenths = (milliseconds + 50) / 100;
      char   number[G_ASCII_DTOSTR_BUF_SIZE];

      g_snprintf (number, sizeof number, "%d.%d", (int) (tenths / 10), (int) (tenths % 10));
      /* Translators: a short delay in seconds with one decimal, e.g. "1.5 s" */
      return g_strdup_printf (_ ("%s s"), number);
    }
  return drs_format_duration ((milliseconds + 500) / 1000);
}

/**
 * drs_format_percent:
 *
 * Returns: (transfer full): "94%", "37.5%", or "—"
 */
char *
drs_format_percent (double percent)
{
  char   number[G_ASCII_DTOSTR_BUF_SIZE];
  gint64 tenths;

  if (percent < 0 || isnan (percent))
    return g_strdup (UNKNOWN_TEXT);

  /* One decimal at most, and none when it rounds to a whole number: "99.96" is "100%". */
  tenths = (gint64) (MIN (percent, 1e12) * 10 + 0.5);
  if (tenths % 10 == 0)
    g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, tenths / 10);
  else
    g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT ".%d", tenths / 10, (int) (tenths % 10));
  /* Translators: a percentage, e.g. "94%" */
  return g_strdup_printf (_ ("%s%%"), number);
}

/**
 * drs_format_date_time:
 * @date_time: (nullable): a time, shown in the local time zone
 *
 * Returns: (transfer full): the date and time in the order of the UI language
 */
char *
drs_format_date_time (GDateTime *date_time)
{
  g_autoptr (GDateTime) local = NULL;

  if (date_time == NULL)
    return g_strdup (UNKNOWN_TEXT);

  local = g_date_time_to_local (date_time);
  /* Translators: a date and time as g_date_time_format() takes it; use your language's
   * order, e.g. "%Y年%-m月%-d日 %H:%M:%S" */
  return g_date_time_format (local, _ ("%Y-%m-%d %H:%M:%S"));
}

/**
 * drs_format_time_ago:
 *
 * Returns: (transfer full): "just now", "12 s ago", "3 min ago"
 */
char *
drs_format_time_ago (gint64 seconds)
{
  g_autofree char *duration = NULL;

  if (seconds < 0)
    return g_strdup (UNKNOWN_TEXT);
  if (seconds < 2)
    return g_strdup (_ ("just now"));

  duration = drs_format_duration (seconds < 60 ? seconds : seconds - seconds % 60);
  /* Translators: %s is a duration, e.g. "updated 12 s ago" */
  return g_strdup_printf (_ ("%s ago"), duration);
}

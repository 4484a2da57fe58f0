/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-details"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "drs-action-timeline.h"
#include "drs-format.h"

/*
 * The details pane's "Actions Taken": one row per pause, resume or retry of the task, newest
 * first, with when, with which account and what DRS said. The charts mark the same times.
 */

#define MAX_ROWS 20

/**
 * drs_action_timeline_title:
 *
 * Returns: (transfer full): what was done, e.g. “Paused: stop writing to the destination”
 */
char *
drs_action_timeline_title (const DrsActionRecord *record)
{
  switch (record->action)
    {
      case DRS_TASK_ACTION_PAUSE:
        return g_strdup (record->pause_mode == DRS_PAUSE_MODE_ALL
                             ? _ ("Paused: stop reading and writing")
                             : _ ("Paused: stop writing to the destination"));
      case DRS_TASK_ACTION_RESUME:
        return g_strdup (_ ("Resumed"));
      case DRS_TASK_ACTION_RETRY:
      default:
        return g_strdup (_ ("Retried"));
    }
}

/**
 * drs_action_timeline_subtitle:
 *
 * Returns: (transfer full): when, which account, and the outcome
 */
char *
drs_action_timeline_subtitle (const DrsActionRecord *record)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (record->time_us / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *when = drs_format_date_time (local);
  g_autofree char *outcome = NULL;
  g_autoptr (GString) text = g_string_new (when);

  switch (record->outcome)
    {
      case DRS_ACTION_OUTCOME_SUCCESS:
        outcome = g_strdup (_ ("accepted by DRS"));
        break;
      case DRS_ACTION_OUTCOME_FAILED:
        /* Translators: %s is the server's code and message, or why nothing was sent */
        outcome = g_strdup_printf (_ ("failed: %s"), record->error_code != NULL ? record->error_code
                                                     : record->error_message != NULL
                                                         ? record->error_message
                                                         : "?");
        break;
      case DRS_ACTION_OUTCOME_UNKNOWN:
      default:
        outcome = g_strdup (_ ("not confirmed: the answer was lost"));
        break;
    }
  g_string_append (text, " · ");
  if (record->account != NULL)
    {
      /* Translators: %s is an account name */
      g_string_append_printf (text, _ ("account %s"), record->account);
      g_string_append (text, " · ");
    }
  g_string_append (text, outcome);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
icon_name (const DrsActionRecord *record)
{
  if (record->outcome == DRS_ACTION_OUTCOME_FAILED)
    return "dialog-error-symbolic";
  switch (record->action)
    {
      case DRS_TASK_ACTION_PAUSE:
        return "media-playback-pause-symbolic";
      case DRS_TASK_ACTION_RESUME:
        return "media-playback-start-symbolic";
      case DRS_TASK_ACTION_RETRY:
      default:
        return "view-refresh-symbolic";
    }
}

/**
 * drs_action_timeline_fill:
 * @records: (element-type DrsActionRecord): in time order
 *
 * Replaces the rows of @list with the newest of @records first.
 *
 * Returns: the rows shown
 */
guint
drs_action_timeline_fill (GtkListBox *list, GPtrArray *records)
{
  GtkWidget *child;
  guint      n = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);

  for (guint i = records != NULL ? records->len : 0; i-- > 0 && n < MAX_ROWS; n++)
    {
      const DrsActionRecord *record = records->pdata[i];
      g_autofree char       *title = drs_action_timeline_title (record);
      g_autofree char       *subtitle = drs_action_timeline_subtitle (record);
      g_autofree char       *escaped_title = g_markup_escape_text (title, -1);
      g_autofree char       *escaped_subtitle = g_markup_escape_text (subtitle, -1);
      GtkWidget             *row = adw_action_row_new ();
      GtkWidget             *icon = gtk_image_new_from_icon_name (icon_name (record));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), escaped_title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped_subtitle);
      if (record->outcome == DRS_ACTION_OUTCOME_FAILED)
        gtk_widget_add_css_class (icon, "error");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (list, row);
    }
  return n;
}

/**
 * drs_action_timeline_times:
 *
 * Returns: (transfer full) (element-type gint64): when the actions DRS accepted or may have
 *   carried out were taken: the charts' markers
 */
GArray *
drs_action_timeline_times (GPtrArray *records)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      const DrsActionRecord *record = records->pdata[i];

      if (record->outcome != DRS_ACTION_OUTCOME_FAILED)
        g_array_append_val (times, record->time_us);
    }
  return times;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stale marker of the task table: on a row whose last update failed, an offline icon and the
 * time of the last good update, and the sentence that says why ("Not updated since …: …"). */
#define G_LOG_DOMAIN "drs-job-columns"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-job-columns-private.h"

/**
 * _drs_job_cell_stale_reason:
 * @time_text: (out) (optional): the time of the last successful update, or "—"
 *
 * Returns: (transfer full): why a stale row's values are old: "Not updated since 10:42:07: <the
 *   error>"
 */
char *
_drs_job_cell_stale_reason (DrsJob *job, char **time_text)
{
  g_autoptr (GDateTime) last = drs_job_dup_last_updated (job);
  g_autofree char *when = NULL;
  char            *tip;

  if (last != NULL)
    {
      g_autoptr (GDateTime) local = g_date_time_to_local (last);

      when = g_date_time_format (local, "%H:%M:%S");
      /* Translators: %s is the time of the last successful update, %s the error */
      tip = g_strdup_printf (_ ("Not updated since %s: %s"), when, drs_job_get_stale_reason (job));
    }
  else
    {
      when = g_strdup ("—");
      /* Translators: %s is the error that stopped the update */
      tip = g_strdup_printf (_ ("Never updated: %s"), drs_job_get_stale_reason (job));
    }
  if (time_text != NULL)
    *time_text = g_steal_pointer (&when);
  return tip;
}

static GtkWidget *
stale_setup (void)
{
  GtkWidget *box = _drs_job_cell_box_new (GTK_ORIENTATION_HORIZONTAL, 4,
                                          gtk_image_new_from_icon_name ("network-offline-symbolic"),
                                          _drs_job_cell_text_new (0));

  gtk_widget_add_css_class (box, "stale");
  return box;
}

/* Empty on a fresh row; the icon says the whole reason to assistive technologies. */
static void
stale_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  GtkWidget       *icon = gtk_widget_get_first_child (cell);
  GtkWidget       *text = gtk_widget_get_next_sibling (icon);
  g_autofree char *time_text = NULL;
  g_autofree char *reason = NULL;

  if (!drs_job_get_stale (job))
    {
      gtk_widget_set_visible (icon, FALSE);
      _drs_job_cell_set_text (text, "");
      return;
    }

  reason = _drs_job_cell_stale_reason (job, &time_text);
  gtk_widget_set_visible (icon, TRUE);
  _drs_job_cell_set_text (text, time_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, reason, -1);
}

static char *
stale_tooltip (DrsJob *job)
{
  return drs_job_get_stale (job) ? _drs_job_cell_stale_reason (job, NULL) : NULL;
}

const DrsJobCell _drs_job_cell_stale = {
  { "stale", "stale-reason" },
  stale_setup,
  stale_update,
  stale_tooltip,
};

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The overall-progress cell of the task table: a bar and its percentage, told to assistive
 * technologies as a value between 0 and 100. */
#define G_LOG_DOMAIN "drs-job-columns"

#include "config.h"

#include "drs-format.h"
#include "drs-job-columns-private.h"

static GtkWidget *
progress_setup (void)
{
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *text = _drs_job_cell_text_new (1);

  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 40, -1);
  gtk_widget_add_css_class (text, "numeric");
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (text), 5);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (text), 5);
  gtk_widget_set_hexpand (text, FALSE);
  return _drs_job_cell_box_new (GTK_ORIENTATION_HORIZONTAL, 8, bar, text);
}

/* An unknown progress (< 0) shows an empty, faint bar and "—". */
static void
progress_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  GtkWidget       *bar = gtk_widget_get_first_child (cell);
  GtkWidget       *text = gtk_widget_get_next_sibling (bar);
  double           progress = drs_job_get_progress (job);
  g_autofree char *percent = drs_format_percent (progress);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), progress < 0 ? 0 : progress / 100.0);
  gtk_widget_set_opacity (bar, progress < 0 ? 0.3 : 1.0);
  _drs_job_cell_set_text (text, percent);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, MAX (progress, 0.0),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, percent, -1);
}

const DrsJobCell _drs_job_cell_progress = {
  { "progress" },
  progress_setup,
  progress_update,
  NULL,
};

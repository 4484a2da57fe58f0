/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The text cells of the task table: the inscription every cell's text is, and the name, account,
 * status, delay, remaining, phases, mode, last-processed and error cells with their tooltips. */
#define G_LOG_DOMAIN "drs-job-columns"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-format.h"
#include "drs-job-columns-private.h"

/* Cell text is a GtkInscription: unlike a label it does not ask for a new size when its text
 * changes, so a refresh repaints the changed cells without laying out every row again. */
GtkWidget *
_drs_job_cell_text_new (float xalign)
{
  GtkWidget *text = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (text), xalign);
  gtk_inscription_set_yalign (GTK_INSCRIPTION (text), 0.5);
  /* As tall as its text and centred in the row, cut short or not. */
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (text), 3);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (text), 12);
  gtk_widget_set_hexpand (text, TRUE);
  return text;
}

void
_drs_job_cell_set_text (GtkWidget *cell, const char *text)
{
  /* A text cell is its inscription, or a box around it. */
  if (!GTK_IS_INSCRIPTION (cell))
    cell = gtk_widget_get_first_child (cell);
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
}

/**
 * _drs_job_cell_box_new:
 * @first: (transfer floating): the first child
 * @second: (transfer floating) (nullable): the second child
 *
 * Returns: (transfer floating): a box of @first and @second, @spacing pixels apart
 */
GtkWidget *
_drs_job_cell_box_new (GtkOrientation orientation, int spacing, GtkWidget *first, GtkWidget *second)
{
  GtkWidget *box = gtk_box_new (orientation, spacing);

  gtk_box_append (GTK_BOX (box), first);
  if (second != NULL)
    gtk_box_append (GTK_BOX (box), second);
  return box;
}

static void
cell_take_text (GtkWidget *cell, char *text)
{
  _drs_job_cell_set_text (cell, text);
  g_free (text);
}

/* In a box: on GTK 4.8 an inscription that fills a row draws text it cuts short half a line too
 * high; one centred in a box of its own height does not. */
static GtkWidget *
text_setup (void)
{
  return _drs_job_cell_box_new (GTK_ORIENTATION_HORIZONTAL, 0, _drs_job_cell_text_new (0), NULL);
}

/* Numbers start where their header starts, as every other column. */
static GtkWidget *
number_setup (void)
{
  GtkWidget *text = _drs_job_cell_text_new (0);

  gtk_widget_add_css_class (text, "numeric");
  return text;
}

/* Name and id */

static GtkWidget *
name_setup (void)
{
  GtkWidget *name = _drs_job_cell_text_new (0);
  GtkWidget *id = _drs_job_cell_text_new (0);
  GtkWidget *box = _drs_job_cell_box_new (GTK_ORIENTATION_VERTICAL, 0, name, id);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (name, "job-name");
  gtk_widget_add_css_class (id, "job-id");
  gtk_widget_add_css_class (id, "monospace");
  gtk_widget_add_css_class (id, "dim-label");
  return box;
}

static void
name_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  GtkWidget  *name = gtk_widget_get_first_child (cell);
  GtkWidget  *id = gtk_widget_get_next_sibling (name);
  const char *job_name = drs_job_get_name (job);

  /* Two lines for every task, so every row is as tall: a task whose name is not known yet says
   * so above its id instead of showing the id twice. */
  _drs_job_cell_set_text (name, job_name != NULL ? job_name : _ ("Unnamed task"));
  if (job_name != NULL)
    gtk_widget_remove_css_class (name, "dim-label");
  else
    gtk_widget_add_css_class (name, "dim-label");
  _drs_job_cell_set_text (id, drs_job_get_id (job));
}

/* The id, and on a stale row why its values are old. */
static char *
name_tooltip (DrsJob *job)
{
  g_autofree char *reason = NULL;

  if (!drs_job_get_stale (job))
    return g_strdup (drs_job_get_id (job));
  reason = _drs_job_cell_stale_reason (job, NULL);
  return g_strdup_printf ("%s\n%s", drs_job_get_id (job), reason);
}

const DrsJobCell _drs_job_cell_name = {
  { "display-name", "name", "stale-reason" },
  name_setup,
  name_update,
  name_tooltip,
};

/* Account */

static void
account_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  const char *account = drs_job_get_account (job);

  _drs_job_cell_set_text (cell, account ? account : "—");
}

const DrsJobCell _drs_job_cell_account = {
  { "account" },
  text_setup,
  account_update,
  NULL,
};

/* Status: icon and label, coloured by class */

static GtkWidget *
status_setup (void)
{
  GtkWidget *box = _drs_job_cell_box_new (GTK_ORIENTATION_HORIZONTAL, 6, gtk_image_new (),
                                          _drs_job_cell_text_new (0));

  gtk_widget_add_css_class (box, "job-status");
  return box;
}

static void
status_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  static const char *const classes[] = { "status-unknown", "status-pending",  "status-running",
                                         "status-paused",  "status-finished", "status-failed" };
  GtkWidget               *icon = gtk_widget_get_first_child (cell);
  GtkWidget               *label = gtk_widget_get_next_sibling (icon);
  DrsStatusClass           status_class = drs_job_get_status_class (job);
  const char              *text = drs_job_get_status_label (job);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), drs_status_class_get_icon_name (status_class));
  _drs_job_cell_set_text (label, text);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (i == (guint) status_class)
      gtk_widget_add_css_class (cell, classes[i]);
    else
      gtk_widget_remove_css_class (cell, classes[i]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  drs_status_class_get_label (status_class), -1);
}

/* The status as the server named it. */
static char *
status_tooltip (DrsJob *job)
{
  return g_strdup (drs_job_get_status_raw (job));
}

const DrsJobCell _drs_job_cell_status = {
  { "status-label", "status-class" },
  status_setup,
  status_update,
  status_tooltip,
};

/* Incremental delay */

/* Wide enough for the longest delay ("23 h 59 min", bold): an alarming value is never cut. */
static GtkWidget *
delay_setup (void)
{
  GtkWidget *text = number_setup ();

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (text), 12);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (text), 12);
  return text;
}

static void
delay_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  gint64 delay = drs_job_get_delay_ms (job);

  cell_take_text (cell, drs_format_delay (delay));
  if (delay >= 0 && columns->delay_threshold_ms > 0 && delay >= columns->delay_threshold_ms)
    gtk_widget_add_css_class (cell, "delay-high");
  else
    gtk_widget_remove_css_class (cell, "delay-high");
}

const DrsJobCell _drs_job_cell_delay = {
  { "delay-ms" },
  delay_setup,
  delay_update,
  NULL,
};

/* Remaining time */

/**
 * _drs_job_cell_remaining_s:
 *
 * Returns: the seconds the server expects a running task to need, or -1: a failed, paused,
 *   pending or finished task has nothing left that the server can time
 */
gint64
_drs_job_cell_remaining_s (DrsJob *job)
{
  return drs_job_get_status_class (job) == DRS_STATUS_CLASS_RUNNING ? drs_job_get_remaining_s (job)
                                                                    : -1;
}

static void
remaining_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  cell_take_text (cell, drs_format_duration (_drs_job_cell_remaining_s (job)));
}

const DrsJobCell _drs_job_cell_remaining = {
  { "remaining-s", "status-class" },
  number_setup,
  remaining_update,
  NULL,
};

/* Structure / data / index */

/* Each phase's percentage, or FALSE when the task has no phases. */
static gboolean
phase_percents (DrsJob *job, char **s, char **d, char **i)
{
  if (!drs_job_get_has_phases (job))
    return FALSE;
  *s = drs_format_percent (drs_job_get_phase_progress (job, DRS_PHASE_STRUCT));
  *d = drs_format_percent (drs_job_get_phase_progress (job, DRS_PHASE_DATA));
  *i = drs_format_percent (drs_job_get_phase_progress (job, DRS_PHASE_INDEX));
  return TRUE;
}

static void
phases_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  g_autofree char *s = NULL, *d = NULL, *i = NULL;

  if (!phase_percents (job, &s, &d, &i))
    _drs_job_cell_set_text (cell, "");
  else
    cell_take_text (cell, g_strdup_printf ("%s · %s · %s", s, d, i));
}

static char *
phases_tooltip (DrsJob *job)
{
  g_autofree char *s = NULL, *d = NULL, *i = NULL;

  if (!phase_percents (job, &s, &d, &i))
    return NULL;
  /* Translators: the three phases of a full migration, each a percentage */
  return g_strdup_printf (_ ("Structure %s, data %s, index %s"), s, d, i);
}

const DrsJobCell _drs_job_cell_phases = {
  { "has-phases", "struct-progress", "data-progress", "index-progress" },
  number_setup,
  phases_update,
  phases_tooltip,
};

/* Task mode */

static void
mode_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  DrsTaskMode mode = drs_job_get_task_mode (job);
  const char *raw = drs_job_get_task_mode_raw (job);

  if (mode == DRS_TASK_MODE_UNKNOWN)
    _drs_job_cell_set_text (cell, raw ? raw : "—");
  else
    _drs_job_cell_set_text (cell, drs_task_mode_get_label (mode));
}

const DrsJobCell _drs_job_cell_mode = {
  { "task-mode", "task-mode-raw" },
  text_setup,
  mode_update,
  NULL,
};

/* Last processed */

static void
processed_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  g_autoptr (GDateTime) time = drs_job_dup_process_time (job);

  cell_take_text (cell, drs_format_date_time (time));
}

const DrsJobCell _drs_job_cell_processed = {
  { "process-time" },
  text_setup,
  processed_update,
  NULL,
};

/* Error */

/* "code: message", the whole of what the cell may cut short. */
static char *
error_tooltip (DrsJob *job)
{
  const char *code = drs_job_get_error_code (job);
  const char *message = drs_job_get_error_message (job);

  if (code == NULL)
    return NULL;
  return message ? g_strdup_printf ("%s: %s", code, message) : g_strdup (code);
}

static void
error_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  g_autofree char *text = error_tooltip (job);

  _drs_job_cell_set_text (cell, text ? text : "");
}

const DrsJobCell _drs_job_cell_error = {
  { "error-code", "error-message" },
  text_setup,
  error_update,
  error_tooltip,
};

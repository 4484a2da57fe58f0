/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-details"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-action-timeline.h"
#include "drs-details.h"
#include "drs-format.h"

/* The most points a chart asks the history for: about one per pixel of a wide pane. */
#define MAX_POINTS 600

/**
 * DrsDetails:
 *
 * The side pane of the selected task: every field of its last answer, the structure / data /
 * index bars, its error with the code, and its delay and progress over the last hour, day or
 * week, read from the history. It follows the task's property notifications, so a refresh
 * updates it in place.
 */
struct _DrsDetails
{
  AdwBin parent_instance;

  /* template widgets */
  GtkStack            *stack;
  GtkScrolledWindow   *scroller;
  GtkLabel            *name_label;
  GtkLabel            *id_label;
  GtkImage            *status_icon;
  GtkLabel            *status_label;
  GtkLabel            *header_delay;
  GtkLabel            *header_progress;
  GtkLabel            *header_remaining;
  GtkWidget           *error_box;
  GtkLabel            *error_code_label;
  GtkLabel            *error_message_label;
  AdwPreferencesGroup *progress_group;
  AdwPreferencesGroup *fields_group;
  GtkToggleButton     *hour_button;
  GtkToggleButton     *day_button;
  GtkToggleButton     *week_button;
  GtkFrame            *delay_frame;
  GtkFrame            *progress_frame;
  GtkLabel            *history_note;
  GtkWidget           *pause_button;
  GtkWidget           *resume_button;
  GtkWidget           *retry_button;
  AdwPreferencesGroup *actions_group;
  GtkListBox          *actions_list;

  /* owned */
  DrsJob         *job;
  DrsHistory     *history;
  GCancellable   *cancellable;
  GHashTable     *fields;     /* field name → GtkLabel (borrowed, in the template) */
  GHashTable     *field_rows; /* field name → AdwActionRow */
  GtkWidget      *phase_rows[DRS_N_PHASES];
  GtkWidget      *phase_bars[DRS_N_PHASES];
  GtkWidget      *overall_bar;
  DrsChart       *delay_chart;
  DrsChart       *progress_chart;
  gulong          notify_id;
  gint64          threshold_ms;
  gint64          last_updated_us; /* of the job when the history was last asked */
  guint           n_loads;
  gboolean        loading;
  gboolean        reload_pending;
  DrsDetailsRange range;
};

G_DEFINE_FINAL_TYPE (DrsDetails, drs_details, ADW_TYPE_BIN)

/* How a value of the "Last Answer" rows may be laid out. */
typedef enum
{
  VALUE_WHOLE,     /* a number, a status, a time: on one line, never broken */
  VALUE_ELLIPSIZE, /* a name of any length: cut in the middle, whole in the tooltip */
  VALUE_SENTENCE,  /* a message: wraps between words */
} ValueKind;

/* The rows of the "Last Answer" group, in order: one per field of QueryProgressResp. */
static const struct
{
  const char *field;
  const char *title; /* N_() */
  const char *api;   /* the response's field, shown as the row's subtitle */
  int         kind;  /* ValueKind */
} field_rows[] = {
  { "status", N_ ("Status"), "transfer_status", VALUE_WHOLE },
  { "task-mode", N_ ("Task mode"), "task_mode", VALUE_WHOLE },
  { "progress", N_ ("Progress"), "progress", VALUE_WHOLE },
  { "delay", N_ ("Incremental delay"), "incre_trans_delay", VALUE_WHOLE },
  { "remaining", N_ ("Remaining time"), "remaining_time", VALUE_WHOLE },
  { "process-time", N_ ("Process time"), "process_time", VALUE_WHOLE },
  { "error-code", N_ ("Error code"), "error_code", VALUE_WHOLE },
  { "account", N_ ("Account"), NULL, VALUE_ELLIPSIZE },
  { "last-updated", N_ ("Last answer"), NULL, VALUE_WHOLE },
  { "stale", N_ ("Not current"), NULL, VALUE_SENTENCE },
};

static const char *const phase_fields[DRS_N_PHASES] = { "struct", "data", "index" };
static const char *const phase_titles[DRS_N_PHASES] = { N_ ("Structure"), N_ ("Data"),
                                                        N_ ("Index") };

static GtkWidget *
value_label (ValueKind kind)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  switch (kind)
    {
      case VALUE_WHOLE:
        /* Its row gives it its whole width: "1 min 3 s" and "增量迁移中" never break. */
        gtk_widget_add_css_class (label, "numeric");
        gtk_widget_add_css_class (label, "value");
        break;
      case VALUE_ELLIPSIZE:
        gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
        gtk_label_set_width_chars (GTK_LABEL (label), 8);
        gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
        break;
      case VALUE_SENTENCE:
      default:
        gtk_label_set_wrap (GTK_LABEL (label), TRUE);
        gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
        gtk_label_set_natural_wrap_mode (GTK_LABEL (label), GTK_NATURAL_WRAP_WORD);
        gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
        gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
        break;
    }
  return label;
}

static GtkWidget *
bar_row (DrsDetails *self, const char *field, const char *title, GtkWidget **bar_out)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *label = value_label (VALUE_WHOLE);

  /* Rows are markup by default; their subtitles quote the server. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 110, -1);
  gtk_label_set_width_chars (GTK_LABEL (label), 5);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), label);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), box);
  adw_preferences_group_add (self->progress_group, row);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_RELATION_LABELLED_BY, row,
                                  NULL, -1);
  g_hash_table_insert (self->fields, (gpointer) field, label);
  g_hash_table_insert (self->field_rows, (gpointer) field, row);
  *bar_out = bar;
  return row;
}

static void
build_rows (DrsDetails *self)
{
  bar_row (self, "overall", _ ("Overall"), &self->overall_bar);
  for (guint i = 0; i < DRS_N_PHASES; i++)
    self->phase_rows[i] =
        bar_row (self, phase_fields[i], _ (phase_titles[i]), &self->phase_bars[i]);

  for (guint i = 0; i < G_N_ELEMENTS (field_rows); i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *label = value_label (field_rows[i].kind);

      /* Not markup: the status and task mode subtitles are the server's raw text. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ (field_rows[i].title));
      if (field_rows[i].api != NULL)
        {
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), field_rows[i].api);
          /* An API name is one word: cut short rather than broken over lines. */
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
          gtk_widget_add_css_class (row, "api-field");
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      adw_preferences_group_add (self->fields_group, row);
      g_hash_table_insert (self->fields, (gpointer) field_rows[i].field, label);
      g_hash_table_insert (self->field_rows, (gpointer) field_rows[i].field, row);
    }
}

static void
set_field (DrsDetails *self, const char *field, const char *text)
{
  GtkLabel *label = g_hash_table_lookup (self->fields, field);

  g_assert (label != NULL);
  if (g_strcmp0 (gtk_label_get_text (label), text ? text : "") != 0)
    gtk_label_set_text (label, text ? text : "");
}

static void
set_field_take (DrsDetails *self, const char *field, char *text)
{
  set_field (self, field, text);
  g_free (text);
}

static void
show_row (DrsDetails *self, const char *field, gboolean visible)
{
  gtk_widget_set_visible (g_hash_table_lookup (self->field_rows, field), visible);
}

static void
set_bar (GtkWidget *bar, double percent)
{
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), percent >= 0 ? percent / 100 : 0);
  gtk_widget_set_opacity (bar, percent >= 0 ? 1 : 0.4);
}

static char *
raw_and_label (const char *label, const char *raw)
{
  if (raw == NULL)
    return g_strdup (label ? label : "—");
  return g_strdup (label ? label : raw);
}

static void
set_label_take (GtkLabel *label, char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
  g_free (text);
}

/* The pane's header: the delay, flagged above the alert threshold, the progress and the time left.
 */
static void
update_header_values (DrsDetails *self)
{
  gint64 delay_ms = drs_job_get_delay_ms (self->job);

  set_label_take (self->header_delay, drs_format_delay (delay_ms));
  if (self->threshold_ms > 0 && delay_ms >= self->threshold_ms)
    gtk_widget_add_css_class (GTK_WIDGET (self->header_delay), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->header_delay), "warning");
  set_label_take (self->header_progress, drs_format_percent (drs_job_get_progress (self->job)));
  set_label_take (self->header_remaining,
                  drs_format_duration (drs_job_get_remaining_s (self->job)));
}

static void
update_fields (DrsDetails *self)
{
  DrsJob     *job = self->job;
  const char *code, *message, *raw;
  g_autoptr (GDateTime) process = NULL;
  g_autoptr (GDateTime) updated = NULL;
  gboolean has_phases;

  if (job == NULL)
    return;

  /* The id has a line of its own: a task without a name yet does not split it over the title. */
  gtk_label_set_text (self->name_label,
                      drs_job_get_name (job) ? drs_job_get_name (job) : _ ("Unnamed task"));
  gtk_label_set_text (self->id_label, drs_job_get_id (job));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->id_label), drs_job_get_id (job));

  gtk_image_set_from_icon_name (self->status_icon,
                                drs_status_class_get_icon_name (drs_job_get_status_class (job)));
  gtk_label_set_text (self->status_label, drs_job_get_status_label (job)
                                              ? drs_job_get_status_label (job)
                                              : _ ("Not polled yet"));

  update_header_values (self);

  code = drs_job_get_error_code (job);
  message = drs_job_get_error_message (job);
  gtk_widget_set_visible (self->error_box, code != NULL || message != NULL);
  gtk_label_set_text (self->error_code_label, code ? code : _ ("Error"));
  gtk_label_set_text (self->error_message_label, message ? message : "");

  set_bar (self->overall_bar, drs_job_get_progress (job));
  set_field_take (self, "overall", drs_format_percent (drs_job_get_progress (job)));
  has_phases = drs_job_get_has_phases (job);
  for (guint i = 0; i < DRS_N_PHASES; i++)
    {
      double percent = drs_job_get_phase_progress (job, i);
      gint64 remaining = drs_job_get_phase_remaining_s (job, i);

      gtk_widget_set_visible (self->phase_rows[i], has_phases);
      set_bar (self->phase_bars[i], percent);
      set_field_take (self, phase_fields[i], drs_format_percent (percent));
      if (remaining >= 0)
        {
          g_autofree char *duration = drs_format_duration (remaining);
          /* Translators: %s is a duration, e.g. "3 min 20 s" */
          g_autofree char *subtitle = g_strdup_printf (_ ("%s remaining"), duration);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (self->phase_rows[i]), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (self->phase_rows[i]), NULL);
    }

  raw = drs_job_get_status_raw (job);
  set_field_take (self, "status", raw_and_label (drs_job_get_status_label (job), raw));
  gtk_widget_set_tooltip_text (g_hash_table_lookup (self->fields, "status"), raw);
  adw_action_row_set_subtitle (g_hash_table_lookup (self->field_rows, "status"),
                               raw ? raw : "transfer_status");

  raw = drs_job_get_task_mode_raw (job);
  set_field_take (
      self, "task-mode",
      raw_and_label (raw ? drs_task_mode_get_label (drs_job_get_task_mode (job)) : NULL, raw));
  adw_action_row_set_subtitle (g_hash_table_lookup (self->field_rows, "task-mode"),
                               raw ? raw : "task_mode");

  set_field_take (self, "progress", drs_format_percent (drs_job_get_progress (job)));
  set_field_take (self, "delay", drs_format_delay (drs_job_get_delay_ms (job)));
  set_field_take (self, "remaining", drs_format_duration (drs_job_get_remaining_s (job)));
  process = drs_job_dup_process_time (job);
  set_field_take (self, "process-time", drs_format_date_time (process));
  set_field (self, "error-code", code ? code : "—");
  set_field (self, "account", drs_job_get_account (job) ? drs_job_get_account (job) : "—");
  gtk_widget_set_tooltip_text (g_hash_table_lookup (self->fields, "account"),
                               drs_job_get_account (job));
  updated = drs_job_dup_last_updated (job);
  set_field_take (self, "last-updated", drs_format_date_time (updated));
  set_field (self, "stale", drs_job_get_stale_reason (job));
  show_row (self, "stale", drs_job_get_stale (job));
  show_row (self, "account", drs_job_get_account (job) != NULL);
}

/* History ------------------------------------------------------------------------------------ */

static gint64
range_span_us (DrsDetailsRange range)
{
  switch (range)
    {
      case DRS_DETAILS_RANGE_WEEK:
        return (gint64) 7 * 24 * 3600 * G_USEC_PER_SEC;
      case DRS_DETAILS_RANGE_DAY:
        return (gint64) 24 * 3600 * G_USEC_PER_SEC;
      case DRS_DETAILS_RANGE_HOUR:
      default:
        return (gint64) 3600 * G_USEC_PER_SEC;
    }
}

typedef struct
{
  DrsDetails *self;
  gint64      from_us;
  gint64      to_us;
} LoadData;

static void load_history (DrsDetails *self);

/* The actions taken on the task: a small indexed read, rare, on the main connection. */
static void
load_actions (DrsDetails *self, gint64 from_us, gint64 to_us)
{
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GArray) times = NULL;

  if (self->history != NULL && self->job != NULL)
    {
      records = drs_history_list_actions (self->history, drs_job_get_id (self->job), from_us, to_us,
                                          NULL);
      /* The list goes back further than the chart: a retry last month still tells. */
      all =
          drs_history_list_actions (self->history, drs_job_get_id (self->job), 0, G_MAXINT64, NULL);
    }
  times = drs_action_timeline_times (records);
  drs_chart_set_markers (self->delay_chart, times);
  drs_chart_set_markers (self->progress_chart, times);
  gtk_widget_set_visible (GTK_WIDGET (self->actions_group),
                          drs_action_timeline_fill (self->actions_list, all) > 0);
}

static void
on_history_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LoadData *data = user_data;
  g_autoptr (DrsDetails) self = data->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) samples = drs_history_query_finish (DRS_HISTORY (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_free (data);
      return;
    }
  self->loading = FALSE;
  drs_chart_set_samples (self->delay_chart, samples, data->from_us, data->to_us);
  drs_chart_set_samples (self->progress_chart, samples, data->from_us, data->to_us);
  load_actions (self, data->from_us, data->to_us);
  gtk_widget_set_visible (GTK_WIDGET (self->history_note), error != NULL);
  if (error != NULL)
    {
      /* Translators: %s says why the history could not be read */
      g_autofree char *text =
          g_strdup_printf (_ ("The history could not be read: %s"), error->message);
      gtk_label_set_text (self->history_note, text);
    }
  self->n_loads++;
  g_free (data);

  if (self->reload_pending)
    load_history (self);
}

static void
load_history (DrsDetails *self)
{
  LoadData *data;
  gint64    now = g_get_real_time ();

  self->reload_pending = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->job == NULL)
    return;
  if (self->history == NULL)
    {
      drs_chart_set_samples (self->delay_chart, NULL, now - range_span_us (self->range), now);
      drs_chart_set_samples (self->progress_chart, NULL, now - range_span_us (self->range), now);
      gtk_label_set_text (self->history_note, _ ("No history is kept: the history file could not "
                                                 "be opened."));
      gtk_widget_set_visible (GTK_WIDGET (self->history_note), TRUE);
      self->n_loads++;
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  self->last_updated_us = drs_job_get_last_updated_us (self->job);
  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->to_us = now;
  data->from_us = now - range_span_us (self->range);
  drs_history_query_async (self->history, drs_job_get_id (self->job),
                           &(DrsTimeRange){ data->from_us, data->to_us }, MAX_POINTS,
                           self->cancellable, on_history_loaded, data);
}

/**
 * drs_details_reload:
 *
 * Reads the task's history again (a refresh added samples, or time went on).
 */
void
drs_details_reload (DrsDetails *self)
{
  g_return_if_fail (DRS_IS_DETAILS (self));

  if (self->loading)
    self->reload_pending = TRUE;
  else
    load_history (self);
}

static void
on_job_notify (DrsDetails *self, GParamSpec *pspec, DrsJob *job)
{
  update_fields (self);
  /* A new answer is a new sample in the history. */
  if (g_str_equal (pspec->name, "last-updated") &&
      drs_job_get_last_updated_us (job) != self->last_updated_us)
    drs_details_reload (self);
}

static void
on_range_toggled (DrsDetails *self, GtkToggleButton *button)
{
  DrsDetailsRange range;

  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->week_button)
    range = DRS_DETAILS_RANGE_WEEK;
  else if (button == self->day_button)
    range = DRS_DETAILS_RANGE_DAY;
  else
    range = DRS_DETAILS_RANGE_HOUR;
  if (range == self->range)
    return;
  self->range = range;
  load_history (self);
}

/* Public ------------------------------------------------------------------------------------- */

/**
 * drs_details_get_job:
 *
 * Returns: (transfer none) (nullable): the task shown
 */
DrsJob *
drs_details_get_job (DrsDetails *self)
{
  g_return_val_if_fail (DRS_IS_DETAILS (self), NULL);
  return self->job;
}

/**
 * drs_details_set_job:
 * @job: (nullable): the task to show, %NULL for none
 */
void
drs_details_set_job (DrsDetails *self, DrsJob *job)
{
  g_return_if_fail (DRS_IS_DETAILS (self));
  g_return_if_fail (job == NULL || DRS_IS_JOB (job));

  if (self->job == job)
    return;
  if (self->job != NULL)
    g_clear_signal_handler (&self->notify_id, self->job);
  g_set_object (&self->job, job);
  gtk_stack_set_visible_child_name (self->stack, job ? "job" : "empty");
  if (job == NULL)
    {
      g_cancellable_cancel (self->cancellable);
      self->loading = FALSE;
      self->reload_pending = FALSE;
      return;
    }
  self->notify_id =
      g_signal_connect_object (job, "notify", G_CALLBACK (on_job_notify), self, G_CONNECT_SWAPPED);
  /* Another task is read from its top, whatever the previous one was scrolled to. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  update_fields (self);
  self->loading = FALSE;
  load_history (self);
}

/**
 * drs_details_set_history:
 * @history: (nullable): where the charts read from
 */
void
drs_details_set_history (DrsDetails *self, DrsHistory *history)
{
  g_return_if_fail (DRS_IS_DETAILS (self));

  if (g_set_object (&self->history, history))
    load_history (self);
}

void
drs_details_set_threshold_ms (DrsDetails *self, gint64 threshold_ms)
{
  g_return_if_fail (DRS_IS_DETAILS (self));

  drs_chart_set_threshold_ms (self->delay_chart, threshold_ms);
  if (self->threshold_ms == threshold_ms)
    return;
  self->threshold_ms = threshold_ms;
  if (self->job != NULL)
    update_header_values (self);
}

DrsDetailsRange
drs_details_get_range (DrsDetails *self)
{
  g_return_val_if_fail (DRS_IS_DETAILS (self), DRS_DETAILS_RANGE_HOUR);
  return self->range;
}

void
drs_details_set_range (DrsDetails *self, DrsDetailsRange range)
{
  GtkToggleButton *buttons[] = { self->hour_button, self->day_button, self->week_button };

  g_return_if_fail (DRS_IS_DETAILS (self));
  g_return_if_fail (range <= DRS_DETAILS_RANGE_WEEK);
  gtk_toggle_button_set_active (buttons[range], TRUE);
}

/**
 * drs_details_get_n_loads:
 *
 * Returns: how many times the charts received history (for tests)
 */
guint
drs_details_get_n_loads (DrsDetails *self)
{
  g_return_val_if_fail (DRS_IS_DETAILS (self), 0);
  return self->n_loads;
}

/**
 * drs_details_get_chart:
 *
 * Returns: (transfer none): the delay or the progress chart
 */
DrsChart *
drs_details_get_chart (DrsDetails *self, DrsChartKind kind)
{
  g_return_val_if_fail (DRS_IS_DETAILS (self), NULL);
  return kind == DRS_CHART_DELAY ? self->delay_chart : self->progress_chart;
}

/**
 * drs_details_get_field:
 * @field: "status", "task-mode", "progress", "delay", "remaining", "process-time",
 *   "error-code", "account", "last-updated", "stale", "overall", "struct", "data" or "index";
 *   or "name", "id", "error-message"; or the header's "header-delay", "header-progress",
 *   "header-remaining"
 *
 * Returns: (nullable): the text the pane shows for @field, %NULL when its row is hidden
 */
const char *
drs_details_get_field (DrsDetails *self, const char *field)
{
  GtkWidget *row;

  g_return_val_if_fail (DRS_IS_DETAILS (self), NULL);

  if (g_str_equal (field, "name"))
    return gtk_label_get_text (self->name_label);
  if (g_str_equal (field, "id"))
    return gtk_label_get_text (self->id_label);
  if (g_str_equal (field, "header-delay"))
    return gtk_label_get_text (self->header_delay);
  if (g_str_equal (field, "header-progress"))
    return gtk_label_get_text (self->header_progress);
  if (g_str_equal (field, "header-remaining"))
    return gtk_label_get_text (self->header_remaining);
  if (g_str_equal (field, "error-message"))
    return gtk_widget_get_visible (self->error_box) ? gtk_label_get_text (self->error_message_label)
                                                    : NULL;
  row = g_hash_table_lookup (self->field_rows, field);
  g_return_val_if_fail (row != NULL, NULL);
  if (!gtk_widget_get_visible (row))
    return NULL;
  return gtk_label_get_text (g_hash_table_lookup (self->fields, field));
}

/**
 * drs_details_get_vadjustment:
 *
 * Returns: (transfer none): how far the pane is scrolled (for tests)
 */
GtkAdjustment *
drs_details_get_vadjustment (DrsDetails *self)
{
  g_return_val_if_fail (DRS_IS_DETAILS (self), NULL);
  return gtk_scrolled_window_get_vadjustment (self->scroller);
}

static void
drs_details_dispose (GObject *object)
{
  DrsDetails *self = DRS_DETAILS (object);

  g_cancellable_cancel (self->cancellable);
  if (self->job != NULL)
    g_clear_signal_handler (&self->notify_id, self->job);
  g_clear_object (&self->job);
  /* AdwBin unparents its child, the template's stack. */

  G_OBJECT_CLASS (drs_details_parent_class)->dispose (object);
}

static void
drs_details_finalize (GObject *object)
{
  DrsDetails *self = DRS_DETAILS (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->history);
  g_clear_pointer (&self->fields, g_hash_table_unref);
  g_clear_pointer (&self->field_rows, g_hash_table_unref);

  G_OBJECT_CLASS (drs_details_parent_class)->finalize (object);
}

static void
drs_details_class_init (DrsDetailsClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = drs_details_dispose;
  object_class->finalize = drs_details_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "drs-details.ui");
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, stack);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, scroller);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, name_label);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, id_label);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, status_icon);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, status_label);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, header_delay);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, header_progress);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, header_remaining);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, error_box);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, error_code_label);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, error_message_label);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, progress_group);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, fields_group);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, hour_button);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, day_button);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, week_button);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, delay_frame);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, progress_frame);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, history_note);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, pause_button);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, resume_button);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, retry_button);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, actions_group);
  gtk_widget_class_bind_template_child (widget_class, DrsDetails, actions_list);
  gtk_widget_class_bind_template_callback (widget_class, on_range_toggled);
}

static void
drs_details_init (DrsDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields = g_hash_table_new (g_str_hash, g_str_equal);
  self->field_rows = g_hash_table_new (g_str_hash, g_str_equal);
  build_rows (self);

  self->delay_chart = DRS_CHART (drs_chart_new (DRS_CHART_DELAY));
  self->progress_chart = DRS_CHART (drs_chart_new (DRS_CHART_PROGRESS));
  gtk_frame_set_child (self->delay_frame, GTK_WIDGET (self->delay_chart));
  gtk_frame_set_child (self->progress_frame, GTK_WIDGET (self->progress_chart));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/**
 * drs_details_show_action:
 *
 * Shows the pane's button for @action (the window's `task.*` actions decide when).
 */
void
drs_details_show_action (DrsDetails *self, DrsTaskAction action, gboolean visible)
{
  GtkWidget *buttons[] = { self->pause_button, self->resume_button, self->retry_button };

  g_return_if_fail (DRS_IS_DETAILS (self));
  g_return_if_fail ((guint) action < G_N_ELEMENTS (buttons));
  gtk_widget_set_visible (buttons[action], visible);
}

/**
 * drs_details_get_n_actions:
 *
 * Returns: the rows of “Actions Taken” (for tests)
 */
guint
drs_details_get_n_actions (DrsDetails *self)
{
  guint n = 0;

  g_return_val_if_fail (DRS_IS_DETAILS (self), 0);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's filters: the search text and the status class buttons (in the template), what
 * they let through, and the count of tasks of each class. */
#define G_LOG_DOMAIN "drs-window"

#include "config.h"

#include "drs-enums.h"
#include "drs-window-private.h"

/* The status filter's buttons, in order: DRS_WINDOW_FILTER_ALL or a DrsStatusClass. */
static const int filters[DRS_WINDOW_N_FILTERS] = {
  DRS_WINDOW_FILTER_ALL,
  DRS_STATUS_CLASS_RUNNING,
  DRS_STATUS_CLASS_FAILED,
  DRS_STATUS_CLASS_PAUSED,
  DRS_STATUS_CLASS_PENDING,
  DRS_STATUS_CLASS_FINISHED,
  /* Tasks the server does not know (or whose status is new to this app): every task counts
   * somewhere, so the counts add up to All. */
  DRS_STATUS_CLASS_UNKNOWN,
};

/* "all", or the status class's nick. */
static const char *
filter_nick (guint index)
{
  return filters[index] == DRS_WINDOW_FILTER_ALL ? "all"
                                                 : drs_status_class_to_string (filters[index]);
}

static gboolean
job_matches (DrsWindow *self, DrsJob *job)
{
  if (self->filter_class != DRS_WINDOW_FILTER_ALL &&
      (int) drs_job_get_status_class (job) != self->filter_class)
    return FALSE;

  if (self->search_text != NULL)
    {
      const char *fields[] = { drs_job_get_id (job), drs_job_get_name (job),
                               drs_job_get_status_label (job), drs_job_get_status_raw (job) };

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          g_autofree char *folded = NULL;

          if (fields[i] == NULL)
            continue;
          folded = g_utf8_casefold (fields[i], -1);
          if (strstr (folded, self->search_text) != NULL)
            return TRUE;
        }
      return FALSE;
    }
  return TRUE;
}

gboolean
_drs_window_filter_func (gpointer item, gpointer user_data)
{
  return job_matches (user_data, item);
}

static int
filter_index (int status_class)
{
  for (guint i = 0; i < DRS_WINDOW_N_FILTERS; i++)
    if (filters[i] == status_class)
      return (int) i;
  return -1;
}

void
_drs_window_update_counts (DrsWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint counts[DRS_WINDOW_N_FILTERS] = { 0 };

  counts[0] = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      int index = filter_index (drs_job_get_status_class (job));

      if (index > 0)
        counts[index]++;
    }

  for (guint i = 0; i < DRS_WINDOW_N_FILTERS; i++)
    {
      char text[16];

      if (counts[i] == self->counts[i] && *gtk_label_get_text (self->count_labels[i]) != '\0')
        continue;
      self->counts[i] = counts[i];
      g_snprintf (text, sizeof text, "%u", counts[i]);
      gtk_label_set_text (self->count_labels[i], text);
    }
}

void
_drs_window_on_search_changed (DrsWindow *self)
{
  const char      *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search_text, g_free);
  if (*stripped != '\0')
    self->search_text = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_filter_toggled (GtkToggleButton *button, DrsWindow *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "drs-filter-index"));

  if (!gtk_toggle_button_get_active (button))
    return;
  if (self->filter_class == filters[index])
    return;
  self->filter_class = filters[index];
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  _drs_window_notify_status_filter (self);
}

/* "all", or the nick of the status class shown ("failed", "running", …). */
const char *
_drs_window_get_status_filter (DrsWindow *self)
{
  GEnumValue *value;

  if (self->filter_class == DRS_WINDOW_FILTER_ALL)
    return "all";
  value = g_enum_get_value (g_type_class_peek (DRS_TYPE_STATUS_CLASS), self->filter_class);
  return value ? value->value_nick : "all";
}

void
_drs_window_set_status_filter (DrsWindow *self, const char *nick)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (DRS_TYPE_STATUS_CLASS);
  GEnumValue *value = nick ? g_enum_get_value_by_nick (klass, nick) : NULL;

  drs_window_set_status_filter (self, value ? value->value : DRS_WINDOW_FILTER_ALL);
}

void
drs_window_set_status_filter (DrsWindow *self, int status_class)
{
  int index = filter_index (status_class);

  g_return_if_fail (DRS_IS_WINDOW (self));
  g_return_if_fail (index >= 0);
  gtk_toggle_button_set_active (self->filter_buttons[index], TRUE);
}

guint
drs_window_get_class_count (DrsWindow *self, int status_class)
{
  int index = filter_index (status_class);

  g_return_val_if_fail (index >= 0, 0);
  return self->counts[index];
}

/**
 * _drs_window_bind_filter_bar:
 *
 * The filter bar's buttons and counts are in the template, named by the status class's nick:
 * `filter_failed`, `count_failed`, …
 */
void
_drs_window_bind_filter_bar (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < DRS_WINDOW_N_FILTERS; i++)
    {
      g_autofree char *button = g_strdup_printf ("filter_%s", filter_nick (i));
      g_autofree char *count = g_strdup_printf ("count_%s", filter_nick (i));

      gtk_widget_class_bind_template_child_full (widget_class, button, FALSE, 0);
      gtk_widget_class_bind_template_child_full (widget_class, count, FALSE, 0);
    }
}

void
_drs_window_setup_filter_bar (DrsWindow *self)
{
  for (guint i = 0; i < DRS_WINDOW_N_FILTERS; i++)
    {
      g_autofree char *button = g_strdup_printf ("filter_%s", filter_nick (i));
      g_autofree char *count = g_strdup_printf ("count_%s", filter_nick (i));

      self->filter_buttons[i] = GTK_TOGGLE_BUTTON (
          gtk_widget_get_template_child (GTK_WIDGET (self), DRS_TYPE_WINDOW, button));
      self->count_labels[i] =
          GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (self), DRS_TYPE_WINDOW, count));
      g_object_set_data (G_OBJECT (self->filter_buttons[i]), "drs-filter-index",
                         GINT_TO_POINTER (i));
      g_signal_connect (self->filter_buttons[i], "toggled", G_CALLBACK (on_filter_toggled), self);
    }
}

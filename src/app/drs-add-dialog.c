/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-add-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-add-dialog.h"
#include "drs-job-id.h"
#include "drs-retranslate.h"

/**
 * DrsAddDialog:
 *
 * Adds tasks by pasted ids, validated as the user types, or by choosing them from the project's
 * job list.
 */
struct _DrsAddDialog
{
  AdwWindow parent_instance;

  /* template widgets */
  GtkTextView *text_view;
  GtkLabel    *summary_label;
  GtkButton   *add_button;
  GtkButton   *load_button;
  GtkListBox  *import_list;

  /* owned */
  DrsJobIdList *parsed;
  GPtrArray    *import_rows; /* ImportRow */
  GCancellable *cancellable;
  guint         pending_lists;

  /* borrowed */
  DrsApplication *application;
};

typedef struct
{
  char           *id;
  char           *name;
  char           *db_use_type;
  GtkCheckButton *check;
} ImportRow;

G_DEFINE_FINAL_TYPE (DrsAddDialog, drs_add_dialog, ADW_TYPE_WINDOW)

static void
import_row_free (gpointer data)
{
  ImportRow *row = data;

  g_free (row->id);
  g_free (row->name);
  g_free (row->db_use_type);
  g_free (row);
}

static guint
n_checked (DrsAddDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < self->import_rows->len; i++)
    {
      ImportRow *row = self->import_rows->pdata[i];
      if (gtk_check_button_get_active (row->check))
        n++;
    }
  return n;
}

static void
update_add_button (DrsAddDialog *self)
{
  guint n = drs_add_dialog_get_n_valid (self) + n_checked (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), n > 0);
}

/* "2 tasks to add · 1 already watched · 1 is not a task ID: foo" */
static char *
describe (const DrsJobIdList *parsed, DrsJobStore *store)
{
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint watched = 0, repeated = 0;

  for (guint i = 0; i < parsed->duplicates->len; i++)
    if (drs_job_store_lookup (store, parsed->duplicates->pdata[i]) != NULL)
      watched++;
    else
      repeated++;

  if (parsed->valid->len > 0)
    g_ptr_array_add (
        parts, g_strdup_printf (ngettext ("%u task to add", "%u tasks to add", parsed->valid->len),
                                parsed->valid->len));
  if (watched > 0)
    g_ptr_array_add (
        parts,
        g_strdup_printf (ngettext ("%u already watched", "%u already watched", watched), watched));
  if (repeated > 0)
    g_ptr_array_add (parts,
                     g_strdup_printf (ngettext ("%u repeated", "%u repeated", repeated), repeated));
  if (parsed->invalid->len > 0)
    {
      g_autoptr (GString) list = g_string_new (NULL);

      for (guint i = 0; i < parsed->invalid->len; i++)
        g_string_append_printf (list, "%s%s", i ? ", " : "",
                                (const char *) parsed->invalid->pdata[i]);
      /* Translators: %u is a count, %s the entries that are not DRS task IDs */
      g_ptr_array_add (parts,
                       g_strdup_printf (ngettext ("%u is not a task ID: %s",
                                                  "%u are not task IDs: %s", parsed->invalid->len),
                                        parsed->invalid->len, list->str));
    }

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
on_text_changed (DrsAddDialog *self)
{
  GtkTextBuffer   *buffer = gtk_text_view_get_buffer (self->text_view);
  DrsJobStore     *store = drs_application_get_store (self->application);
  GtkTextIter      start, end;
  g_autofree char *text = NULL;
  g_autofree char *summary = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  g_clear_pointer (&self->parsed, drs_job_id_list_free);
  self->parsed = drs_job_id_parse_list (text, drs_job_store_get_index (store));

  summary = describe (self->parsed, store);
  gtk_label_set_text (self->summary_label, summary);
  if (self->parsed->invalid->len > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
  update_add_button (self);
}

static void
add_import_row (DrsAddDialog *self, DrsJobInfo *info, gboolean watched)
{
  ImportRow       *row = g_new0 (ImportRow, 1);
  GtkWidget       *action_row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;
  DrsScenario      scenario = drs_scenario_from_string (info->db_use_type);

  row->id = g_strdup (info->id);
  row->name = g_strdup (info->name);
  row->db_use_type = g_strdup (info->db_use_type);
  row->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (row->check), GTK_ALIGN_CENTER);

  subtitle = g_strdup_printf ("%s · %s", info->id, drs_scenario_get_label (scenario));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row),
                                 info->name && *info->name ? info->name : info->id);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (action_row), GTK_WIDGET (row->check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (action_row), GTK_WIDGET (row->check));
  if (watched)
    {
      GtkWidget *label = gtk_label_new (_ ("Already watched"));

      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), label);
      gtk_widget_set_sensitive (action_row, FALSE);
    }
  g_signal_connect_object (row->check, "toggled", G_CALLBACK (update_add_button), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_append (self->import_list, action_row);
  g_ptr_array_add (self->import_rows, row);
}

static void
on_jobs_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsAddDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos = drs_client_list_jobs_finish (DRS_CLIENT (source), result, &error);
  DrsJobStore *store;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->pending_lists--;
  if (self->pending_lists == 0)
    gtk_widget_set_sensitive (GTK_WIDGET (self->load_button), TRUE);

  if (infos == NULL)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Could not load the tasks"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), error->message);
      gtk_widget_add_css_class (row, "error");
      gtk_list_box_append (self->import_list, row);
      return;
    }

  store = drs_application_get_store (self->application);
  for (guint i = 0; i < infos->len; i++)
    {
      DrsJobInfo *info = infos->pdata[i];
      add_import_row (self, info, drs_job_store_lookup (store, info->id) != NULL);
    }
}

/**
 * drs_add_dialog_load_project:
 *
 * Lists the tasks of every scenario of the account's project, to check and import.
 */
void
drs_add_dialog_load_project (DrsAddDialog *self)
{
  static const char *const scenarios[] = { "migration", "sync", "cloudDataGuard" };
  DrsClient               *client = drs_application_get_client (self->application, NULL);
  GtkWidget               *child;

  if (client == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->import_list))) != NULL)
    gtk_list_box_remove (self->import_list, child);
  g_ptr_array_set_size (self->import_rows, 0);

  gtk_widget_set_sensitive (GTK_WIDGET (self->load_button), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      self->pending_lists++;
      drs_client_list_jobs_async (client, scenarios[i], self->cancellable, on_jobs_listed,
                                  g_object_ref (self));
    }
}

static void
on_load_clicked (DrsAddDialog *self)
{
  drs_add_dialog_load_project (self);
}

/**
 * drs_add_dialog_add:
 *
 * Watches the valid pasted ids and the checked project tasks, then closes.
 *
 * Returns: how many tasks were added
 */
guint
drs_add_dialog_add (DrsAddDialog *self)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  /* The tasks belong to the account the dialog lists from. */
  const char *account = drs_application_get_default_account (self->application);
  guint       added;

  if (self->parsed != NULL)
    for (guint i = 0; i < self->parsed->valid->len; i++)
      {
        g_ptr_array_add (ids, self->parsed->valid->pdata[i]);
        g_ptr_array_add (names, NULL);
      }
  for (guint i = 0; i < self->import_rows->len; i++)
    {
      ImportRow *row = self->import_rows->pdata[i];

      if (gtk_check_button_get_active (row->check))
        {
          g_ptr_array_add (ids, row->id);
          g_ptr_array_add (names, row->name);
        }
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (names, NULL);

  added = drs_application_add_jobs (self->application, account, (const char *const *) ids->pdata,
                                    (const char *const *) names->pdata);

  for (guint i = 0; i < self->import_rows->len; i++)
    {
      ImportRow *row = self->import_rows->pdata[i];
      DrsJob *job = drs_job_store_lookup (drs_application_get_store (self->application), row->id);

      if (job != NULL && gtk_check_button_get_active (row->check))
        drs_job_set_scenario (job, drs_scenario_from_string (row->db_use_type));
    }

  gtk_window_close (GTK_WINDOW (self));
  return added;
}

static void
on_add_clicked (DrsAddDialog *self)
{
  drs_add_dialog_add (self);
}

/* The template's strings for a language switch. */
static DrsRetranslator *dialog_strings;

static void
retranslate (DrsAddDialog *self)
{
  drs_retranslator_apply (dialog_strings, GTK_WIDGET (self), DRS_TYPE_ADD_DIALOG);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Task IDs"), -1);
  on_text_changed (self);
}

static void
drs_add_dialog_dispose (GObject *object)
{
  DrsAddDialog *self = (DrsAddDialog *) object;

  g_cancellable_cancel (self->cancellable);
  if (self->application != NULL)
    g_signal_handlers_disconnect_by_data (self->application, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DRS_TYPE_ADD_DIALOG);

  G_OBJECT_CLASS (drs_add_dialog_parent_class)->dispose (object);
}

static void
drs_add_dialog_finalize (GObject *object)
{
  DrsAddDialog *self = (DrsAddDialog *) object;

  g_clear_pointer (&self->parsed, drs_job_id_list_free);
  g_clear_pointer (&self->import_rows, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (drs_add_dialog_parent_class)->finalize (object);
}

static void
drs_add_dialog_class_init (DrsAddDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = drs_add_dialog_dispose;
  object_class->finalize = drs_add_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "drs-add-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, load_button);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, import_list);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_load_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  dialog_strings = drs_retranslator_new (RESOURCE_BASE "drs-add-dialog.ui");
}

static void
drs_add_dialog_init (DrsAddDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->import_rows = g_ptr_array_new_with_free_func (import_row_free);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (on_text_changed), self, G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Task IDs"), -1);
}

DrsAddDialog *
drs_add_dialog_new (DrsApplication *application)
{
  DrsAddDialog *self = g_object_new (DRS_TYPE_ADD_DIALOG, NULL);

  self->application = application;
  gtk_widget_set_sensitive (GTK_WIDGET (self->load_button),
                            drs_application_get_client (application, NULL) != NULL);
  g_signal_connect_object (application, "language-changed", G_CALLBACK (retranslate), self,
                           G_CONNECT_SWAPPED);
  return self;
}

void
drs_add_dialog_set_text (DrsAddDialog *self, const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text, -1);
}

const char *
drs_add_dialog_get_summary (DrsAddDialog *self)
{
  return gtk_label_get_text (self->summary_label);
}

guint
drs_add_dialog_get_n_valid (DrsAddDialog *self)
{
  return self->parsed != NULL ? self->parsed->valid->len : 0;
}

guint
drs_add_dialog_get_n_importable (DrsAddDialog *self)
{
  guint n = 0;

  for (guint i = 0; i < self->import_rows->len; i++)
    {
      ImportRow *row = self->import_rows->pdata[i];
      if (gtk_widget_is_sensitive (GTK_WIDGET (row->check)))
        n++;
    }
  return n;
}

void
drs_add_dialog_check_all (DrsAddDialog *self, gboolean checked)
{
  for (guint i = 0; i < self->import_rows->len; i++)
    {
      ImportRow *row = self->import_rows->pdata[i];

      if (gtk_widget_is_sensitive (GTK_WIDGET (row->check)))
        gtk_check_button_set_active (row->check, checked);
    }
}

guint
drs_add_dialog_get_n_listed (DrsAddDialog *self)
{
  return self->import_rows->len;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-add-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-add-dialog.h"
#include "drs-job-id.h"

/* At most this many marked words are listed under the text; the text marks them all. */
#define MAX_MARK_ROWS 100

/**
 * DrsAddDialog:
 *
 * Adds tasks by pasted ids, validated as the user types, or by choosing them from the project's
 * job list. Every word of the text that will not be added is marked where it is (a red wavy
 * underline: not a task ID; struck through: already watched or given twice) and listed under the
 * text with its line and the reason. The project's tasks show their status, can be filtered, and
 * checked or unchecked all at once.
 */
struct _DrsAddDialog
{
  AdwWindow parent_instance;

  /* template widgets */
  GtkTextView    *text_view;
  GtkLabel       *summary_label;
  GtkListBox     *marks_list;
  GtkButton      *add_button;
  GtkButton      *load_button;
  GtkWidget      *import_tools;
  GtkSearchEntry *filter_entry;
  GtkListBox     *import_list;

  /* owned */
  DrsJobIdList *parsed;
  GPtrArray    *import_rows; /* ImportRow */
  GCancellable *cancellable;
  GtkTextTag   *invalid_tag;
  GtkTextTag   *skipped_tag;
  char         *filter; /* casefolded, or NULL */
  guint         n_marks;
  guint         pending_lists;

  /* borrowed */
  DrsSession *session;
};

typedef struct
{
  char           *id;
  char           *name;
  char           *db_use_type;
  char           *status; /* the job list's, raw */
  gboolean        watched;
  GtkCheckButton *check; /* borrowed: in row */
  GtkLabel       *status_label;
  AdwActionRow   *row;
} ImportRow;

G_DEFINE_FINAL_TYPE (DrsAddDialog, drs_add_dialog, ADW_TYPE_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
import_row_free (gpointer data)
{
  ImportRow *row = data;

  g_free (row->id);
  g_free (row->name);
  g_free (row->db_use_type);
  g_free (row->status);
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

/* Line marks ----------------------------------------------------------------------------------- */

static gboolean
is_separator (gunichar c)
{
  return g_unichar_isspace (c) || c == ',' || c == ';';
}

static void
add_mark_row (
    DrsAddDialog *self, guint line, const char *word, const char *reason, const char *icon_name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  gboolean   error = g_str_equal (icon_name, "dialog-error-symbolic");
  /* Translators: where a pasted word is and why it is not added, e.g. "Line 2 · Not a task ID" */
  g_autofree char *subtitle = g_strdup_printf (_ ("Line %u · %s"), line, reason);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), word);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (icon, error ? "error" : "dim-label");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_append (self->marks_list, row);
}

/* Marks, line by line, the words that will not be added, in the text and in the list under it. */
static void
mark_lines (DrsAddDialog *self, GtkTextBuffer *buffer)
{
  GHashTable *watched = drs_job_store_get_index (drs_session_get_store (self->session));
  g_autoptr (GHashTable) first_line = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GtkTextIter start, end;
  GtkWidget  *child;
  guint       n_lines = (guint) gtk_text_buffer_get_line_count (buffer);

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->invalid_tag, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->skipped_tag, &start, &end);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->marks_list))) != NULL)
    gtk_list_box_remove (self->marks_list, child);
  self->n_marks = 0;

  for (guint line = 0; line < n_lines; line++)
    {
      GtkTextIter word_start, word_end;

      gtk_text_buffer_get_iter_at_line (buffer, &word_start, (int) line);
      while (!gtk_text_iter_ends_line (&word_start) && !gtk_text_iter_is_end (&word_start))
        {
          g_autofree char *word = NULL;
          g_autofree char *id = NULL;
          const char      *reason = NULL;
          const char      *icon_name = "dialog-error-symbolic";
          g_autofree char *repeated = NULL;

          if (is_separator (gtk_text_iter_get_char (&word_start)))
            {
              gtk_text_iter_forward_char (&word_start);
              continue;
            }
          word_end = word_start;
          while (!gtk_text_iter_ends_line (&word_end) && !gtk_text_iter_is_end (&word_end) &&
                 !is_separator (gtk_text_iter_get_char (&word_end)))
            gtk_text_iter_forward_char (&word_end);
          word = gtk_text_iter_get_text (&word_start, &word_end);
          id = drs_job_id_normalize (word);

          if (id == NULL)
            {
              /* Quotes and brackets alone (from a JSON array) are no mistake, as for the parser. */
              g_autofree char *bare = g_strstrip (g_strdelimit (g_strdup (word), "\"'`[]", ' '));

              if (*bare != '\0')
                reason = _ ("Not a task ID");
            }
          else if (watched != NULL && g_hash_table_contains (watched, id))
            {
              reason = _ ("Already watched");
              icon_name = "object-select-symbolic";
            }
          else if (g_hash_table_contains (first_line, id))
            {
              guint first = GPOINTER_TO_UINT (g_hash_table_lookup (first_line, id));

              /* Translators: a pasted task ID given twice; %u is the line of the first one */
              repeated = g_strdup_printf (_ ("Repeated from line %u"), first);
              reason = repeated;
              icon_name = "edit-copy-symbolic";
            }
          else
            g_hash_table_insert (first_line, g_steal_pointer (&id), GUINT_TO_POINTER (line + 1));

          if (reason != NULL)
            {
              gboolean error = g_str_equal (icon_name, "dialog-error-symbolic");

              gtk_text_buffer_apply_tag (buffer, error ? self->invalid_tag : self->skipped_tag,
                                         &word_start, &word_end);
              if (self->n_marks < MAX_MARK_ROWS)
                add_mark_row (self, line + 1, word, reason, icon_name);
              self->n_marks++;
            }
          word_start = word_end;
        }
    }

  if (self->n_marks > MAX_MARK_ROWS)
    {
      guint            more = self->n_marks - MAX_MARK_ROWS;
      GtkWidget       *row = adw_action_row_new ();
      g_autofree char *title =
          g_strdup_printf (ngettext ("%u more word is marked in the text",
                                     "%u more words are marked in the text", more),
                           more);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_list_box_append (self->marks_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->marks_list), self->n_marks > 0);
}

static void
on_text_changed (DrsAddDialog *self)
{
  GtkTextBuffer   *buffer = gtk_text_view_get_buffer (self->text_view);
  DrsJobStore     *store = drs_session_get_store (self->session);
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
  mark_lines (self, buffer);
  update_add_button (self);
}

/* Import list -----------------------------------------------------------------------------------
 */

static const char *
import_row_status_label (const ImportRow *row)
{
  return drs_job_status_get_label (drs_job_status_from_string (row->status),
                                   drs_scenario_from_string (row->db_use_type));
}

static void
label_import_row (ImportRow *row)
{
  DrsScenario      scenario = drs_scenario_from_string (row->db_use_type);
  g_autofree char *subtitle = NULL;

  if (row->watched)
    /* Translators: an importable task: its ID, its kind (migration, sync…), and a note */
    subtitle = g_strdup_printf (_ ("%s · %s · %s"), row->id, drs_scenario_get_label (scenario),
                                _ ("Already watched"));
  else
    subtitle = g_strdup_printf ("%s · %s", row->id, drs_scenario_get_label (scenario));
  adw_action_row_set_subtitle (row->row, subtitle);
  gtk_label_set_text (row->status_label, row->status ? import_row_status_label (row) : "—");
}

static gboolean
import_row_matches (const ImportRow *row, const char *filter)
{
  const char *texts[] = { row->name, row->id, row->status ? import_row_status_label (row) : NULL,
                          row->status,
                          drs_scenario_get_label (drs_scenario_from_string (row->db_use_type)) };

  if (filter == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *folded = texts[i] ? g_utf8_casefold (texts[i], -1) : NULL;

      if (folded != NULL && strstr (folded, filter) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
filter_import_row (GtkListBoxRow *list_row, gpointer user_data)
{
  DrsAddDialog *self = user_data;
  ImportRow    *row = g_object_get_data (G_OBJECT (list_row), "drs-import-row");

  /* The "could not load" rows always show. */
  return row == NULL || import_row_matches (row, self->filter);
}

static void
on_filter_changed (DrsAddDialog *self)
{
  const char      *text = gtk_editable_get_text (GTK_EDITABLE (self->filter_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->filter, g_free);
  if (*stripped != '\0')
    self->filter = g_utf8_casefold (stripped, -1);
  gtk_list_box_invalidate_filter (self->import_list);
}

static void
add_import_row (DrsAddDialog *self, DrsJobInfo *info, gboolean watched)
{
  ImportRow *row = g_new0 (ImportRow, 1);
  GtkWidget *action_row = adw_action_row_new ();
  GtkWidget *status = gtk_label_new (NULL);

  row->id = g_strdup (info->id);
  row->name = g_strdup (info->name);
  row->db_use_type = g_strdup (info->db_use_type);
  row->status = g_strdup (info->status);
  row->watched = watched;
  row->row = ADW_ACTION_ROW (action_row);
  row->status_label = GTK_LABEL (status);
  row->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (row->check), GTK_ALIGN_CENTER);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row),
                                 info->name && *info->name ? info->name : info->id);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
  /* The subtitle is an ID: cut short rather than broken over lines. */
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (action_row), 1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (action_row), GTK_WIDGET (row->check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (action_row), GTK_WIDGET (row->check));
  /* The status beside the name, whole. */
  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (status, "import-status");
  adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), status);
  label_import_row (row);
  if (watched)
    gtk_widget_set_sensitive (action_row, FALSE);
  g_object_set_data (G_OBJECT (action_row), "drs-import-row", row);
  g_signal_connect_object (row->check, "toggled", G_CALLBACK (update_add_button), self,
                           G_CONNECT_SWAPPED);
  gtk_list_box_append (self->import_list, action_row);
  g_ptr_array_add (self->import_rows, row);
  gtk_widget_set_visible (self->import_tools, TRUE);
}

/* Checks or unchecks the tasks the filter shows (watched ones cannot be checked). */
static void
check_shown (DrsAddDialog *self, gboolean checked)
{
  for (guint i = 0; i < self->import_rows->len; i++)
    {
      ImportRow *row = self->import_rows->pdata[i];

      if (!row->watched && import_row_matches (row, self->filter))
        gtk_check_button_set_active (row->check, checked);
    }
}

static void
on_select_all_clicked (DrsAddDialog *self)
{
  check_shown (self, TRUE);
}

static void
on_select_none_clicked (DrsAddDialog *self)
{
  check_shown (self, FALSE);
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

  store = drs_session_get_store (self->session);
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
  DrsClient               *client = drs_session_get_client (self->session, NULL);
  GtkWidget               *child;

  if (client == NULL)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->import_list))) != NULL)
    gtk_list_box_remove (self->import_list, child);
  g_ptr_array_set_size (self->import_rows, 0);
  gtk_widget_set_visible (self->import_tools, FALSE);

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
  const char *account = drs_session_get_default_account (self->session);
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

  added = drs_session_add_jobs (self->session, account, (const char *const *) ids->pdata,
                                (const char *const *) names->pdata);

  for (guint i = 0; i < self->import_rows->len; i++)
    {
      ImportRow *row = self->import_rows->pdata[i];
      DrsJob    *job = drs_job_store_lookup (drs_session_get_store (self->session), row->id);

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

static void
drs_add_dialog_constructed (GObject *object)
{
  DrsAddDialog *self = DRS_ADD_DIALOG (object);

  G_OBJECT_CLASS (drs_add_dialog_parent_class)->constructed (object);
  g_assert (DRS_IS_SESSION (self->session));
  gtk_widget_set_sensitive (GTK_WIDGET (self->load_button),
                            drs_session_get_client (self->session, NULL) != NULL);
}

static void
drs_add_dialog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsAddDialog *self = DRS_ADD_DIALOG (object);

  if (prop_id == PROP_SESSION)
    g_value_set_object (value, self->session);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
drs_add_dialog_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DrsAddDialog *self = DRS_ADD_DIALOG (object);

  if (prop_id == PROP_SESSION)
    self->session = g_value_dup_object (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
drs_add_dialog_dispose (GObject *object)
{
  DrsAddDialog *self = (DrsAddDialog *) object;

  g_cancellable_cancel (self->cancellable);
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
  g_clear_pointer (&self->filter, g_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (drs_add_dialog_parent_class)->finalize (object);
}

static void
drs_add_dialog_class_init (DrsAddDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = drs_add_dialog_constructed;
  object_class->get_property = drs_add_dialog_get_property;
  object_class->set_property = drs_add_dialog_set_property;
  object_class->dispose = drs_add_dialog_dispose;
  object_class->finalize = drs_add_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "drs-add-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, text_view);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, marks_list);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, import_tools);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, load_button);
  gtk_widget_class_bind_template_child (widget_class, DrsAddDialog, import_list);
  /* Reachable by name (tests click them), with no pointer kept. */
  gtk_widget_class_bind_template_child_full (widget_class, "select_all_button", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "select_none_button", FALSE, 0);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_load_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_select_all_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_select_none_clicked);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, DRS_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_add_dialog_init (DrsAddDialog *self)
{
  GtkTextBuffer *buffer;
  GdkRGBA        red, grey;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->import_rows = g_ptr_array_new_with_free_func (import_row_free);
  gtk_list_box_set_filter_func (self->import_list, filter_import_row, self, NULL);

  /* Not a task ID: a red wavy underline. Watched or repeated (skipped): struck through and
   * greyed, which reads in both styles (the strike alone is lost in some fonts). */
  gdk_rgba_parse (&red, "#e01b24");
  gdk_rgba_parse (&grey, "rgba(128,128,128,0.8)");
  buffer = gtk_text_view_get_buffer (self->text_view);
  self->invalid_tag = gtk_text_buffer_create_tag (
      buffer, "invalid", "underline", PANGO_UNDERLINE_ERROR, "underline-rgba", &red, NULL);
  self->skipped_tag = gtk_text_buffer_create_tag (buffer, "skipped", "strikethrough", TRUE,
                                                  "foreground-rgba", &grey, NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (on_text_changed), self,
                           G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Task IDs"), -1);
  /* Opened to paste into: Ctrl+N, then Ctrl+V. */
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->text_view));
}

/**
 * drs_add_dialog_new:
 * @session: the session the tasks are added to
 *
 * Returns: (transfer full): a dialog to paste task ids into, or pick tasks from the project's list
 */
DrsAddDialog *
drs_add_dialog_new (DrsSession *session)
{
  return g_object_new (DRS_TYPE_ADD_DIALOG, "session", session, NULL);
}

/**
 * drs_add_dialog_rebuild:
 * @old: a dialog shown in the language before a switch
 *
 * Builds the dialog again from its template, in the language now in force, with what @old
 * held: the text, the project's tasks listed and checked, the filter. A listing still under way
 * is asked again.
 *
 * Returns: (transfer full): the new dialog; @old is left for the caller to close
 */
DrsAddDialog *
drs_add_dialog_rebuild (DrsAddDialog *old)
{
  DrsAddDialog    *self;
  GtkTextBuffer   *buffer;
  GtkTextIter      start, end;
  g_autofree char *text = NULL;

  g_return_val_if_fail (DRS_IS_ADD_DIALOG (old), NULL);

  self = drs_add_dialog_new (old->session);
  buffer = gtk_text_view_get_buffer (old->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  drs_add_dialog_set_text (self, text);
  for (guint i = 0; i < old->import_rows->len; i++)
    {
      ImportRow *row = old->import_rows->pdata[i];
      DrsJobInfo info = {
        .id = row->id, .name = row->name, .db_use_type = row->db_use_type, .status = row->status
      };
      ImportRow *copy;

      add_import_row (self, &info, row->watched);
      copy = self->import_rows->pdata[self->import_rows->len - 1];
      gtk_check_button_set_active (copy->check, gtk_check_button_get_active (row->check));
    }
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry),
                         gtk_editable_get_text (GTK_EDITABLE (old->filter_entry)));
  if (old->pending_lists > 0)
    drs_add_dialog_load_project (self);
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

guint
drs_add_dialog_get_n_listed (DrsAddDialog *self)
{
  return self->import_rows->len;
}

/**
 * drs_add_dialog_get_n_checked:
 *
 * Returns: how many of the project's tasks are checked
 */
guint
drs_add_dialog_get_n_checked (DrsAddDialog *self)
{
  g_return_val_if_fail (DRS_IS_ADD_DIALOG (self), 0);
  return n_checked (self);
}

/**
 * drs_add_dialog_get_text_view:
 *
 * Returns: (transfer none): where the IDs are pasted
 */
GtkTextView *
drs_add_dialog_get_text_view (DrsAddDialog *self)
{
  g_return_val_if_fail (DRS_IS_ADD_DIALOG (self), NULL);
  return self->text_view;
}

/**
 * drs_add_dialog_get_marks_list:
 *
 * Returns: (transfer none): the list of the words that will not be added, under the text
 */
GtkListBox *
drs_add_dialog_get_marks_list (DrsAddDialog *self)
{
  g_return_val_if_fail (DRS_IS_ADD_DIALOG (self), NULL);
  return self->marks_list;
}

/**
 * drs_add_dialog_get_import_list:
 *
 * Returns: (transfer none): the project's tasks
 */
GtkListBox *
drs_add_dialog_get_import_list (DrsAddDialog *self)
{
  g_return_val_if_fail (DRS_IS_ADD_DIALOG (self), NULL);
  return self->import_list;
}

/**
 * drs_add_dialog_set_filter:
 *
 * Types @text into the filter of the project's tasks.
 */
void
drs_add_dialog_set_filter (DrsAddDialog *self, const char *text)
{
  g_return_if_fail (DRS_IS_ADD_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text);
  /* Not after the entry's delay: now. */
  on_filter_changed (self);
}

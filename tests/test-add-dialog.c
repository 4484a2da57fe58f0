/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The add dialog against the demo's simulator: it opens ready for a paste, marks each line that
 * will not be added and why, and lists the project's tasks with their status, a filter and
 * select all / none; in both languages, beside the window at the sizes a DBA uses. */
#include "config.h"

#include <glib/gi18n.h>

#include "drs-add-dialog.h"
#include "drs-application.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 60000

#define FRESH_1 "0a0b0c0d-1111-2222-3333-444455556666"
#define FRESH_2 "0a0b0c0d-1111-2222-3333-444455557777"

typedef struct
{
  DrsApplication *app;
  DrsWindow      *window;
} Fixture;

/* Clicks a button of the dialog's template, as the user does. */
static void
click (DrsAddDialog *dialog, const char *id)
{
  GObject *button = gtk_widget_get_template_child (GTK_WIDGET (dialog), DRS_TYPE_ADD_DIALOG, id);

  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->app = drs_test_app_new ("AddDialog");
  f->window = drs_test_app_activate (f->app);
  g_settings_set_uint (drs_test_get_settings (), "request-budget", 1200);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "demo", NULL);
  DRS_TEST_SPIN_UNTIL (drs_test_all_polled (f->app, 30), WAIT_MS);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  f->window = drs_test_switch_language (f->app, "en-US");
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->window);
  g_object_unref (f->app);
}

/* The add dialog shown (a language switch builds it again). */
static DrsAddDialog *
shown_dialog (void)
{
  DrsAddDialog *dialog = NULL;
  GListModel   *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (DRS_IS_ADD_DIALOG (window))
        dialog = DRS_ADD_DIALOG (window);
    }
  g_assert_nonnull (dialog);
  return dialog;
}

/* The dialog Ctrl+N opened. */
static DrsAddDialog *
open_dialog (Fixture *f)
{
  DrsAddDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.add-jobs", NULL));
  dialog = shown_dialog ();
  DRS_TEST_SPIN_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (dialog)), WAIT_MS);
  drs_test_wait_frames (GTK_WIDGET (dialog), 2);
  return dialog;
}

static void
close_dialog (DrsAddDialog *dialog)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_destroy (GTK_WINDOW (dialog));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (dialog);
}

static char *
buffer_text (DrsAddDialog *dialog)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (drs_add_dialog_get_text_view (dialog));
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Ctrl+N, then Ctrl+V: the text field has the focus and takes the paste. */
static void
test_focus_and_paste (Fixture *f, gconstpointer data)
{
  DrsAddDialog    *dialog = open_dialog (f);
  GtkWidget       *focus = gtk_window_get_focus (GTK_WINDOW (dialog));
  g_autofree char *text = NULL;

  g_assert_true (focus == GTK_WIDGET (drs_add_dialog_get_text_view (dialog)));
  g_assert_true (gtk_widget_has_focus (focus));

  gdk_clipboard_set_text (gtk_widget_get_clipboard (focus), FRESH_1 "\n" FRESH_2);
  /* What Ctrl+V does in a text view. */
  g_assert_true (gtk_widget_activate_action (focus, "clipboard.paste", NULL));
  DRS_TEST_SPIN_UNTIL (drs_add_dialog_get_n_valid (dialog) == 2, WAIT_MS);
  text = buffer_text (dialog);
  g_assert_cmpstr (text, ==, FRESH_1 "\n" FRESH_2);
  close_dialog (dialog);
}

/* The mark rows' titles and subtitles, one "TITLE|SUBTITLE" a row. */
static char *
marks (DrsAddDialog *dialog)
{
  GtkListBox *list = drs_add_dialog_get_marks_list (dialog);
  GString    *text = g_string_new (NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (list)))
    return g_string_free (text, FALSE);
  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    {
      AdwActionRow *row = ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, i));

      g_string_append_printf (text, "%s%s|%s", i ? "\n" : "",
                              adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                              adw_action_row_get_subtitle (row));
    }
  return g_string_free (text, FALSE);
}

/* Which tag, if any, covers the first character of @word in the text. */
static const char *
tag_at (DrsAddDialog *dialog, const char *word)
{
  GtkTextBuffer   *buffer = gtk_text_view_get_buffer (drs_add_dialog_get_text_view (dialog));
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);
  GtkTextIter      start, match;
  static const char *const names[] = { "invalid", "skipped" };

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, word, 0, &match, NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkTextTag *tag = gtk_text_tag_table_lookup (table, names[i]);

      g_assert_nonnull (tag);
      if (gtk_text_iter_has_tag (&match, tag))
        return names[i];
    }
  return NULL;
}

/* The second FRESH_1, on line 5, is struck through. */
static gboolean
second_is_skipped (DrsAddDialog *dialog)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (drs_add_dialog_get_text_view (dialog));
  GtkTextIter    start, match;

  gtk_text_buffer_get_iter_at_line (buffer, &start, 4);
  g_assert_true (gtk_text_iter_forward_search (&start, FRESH_1, 0, &match, NULL, NULL));
  return gtk_text_iter_has_tag (
      &match, gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "skipped"));
}

/* Each line that will not be added is marked where it is, and listed with its line and reason. */
static void
test_marks_lines (Fixture *f, gconstpointer data)
{
  DrsAddDialog *dialog = open_dialog (f);
  g_autoptr (DrsJob) watched = g_list_model_get_item (
      G_LIST_MODEL (drs_session_get_store (drs_application_get_session (f->app))), 0);
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *shown = NULL;

  text = g_strdup_printf (FRESH_1 "\n"
                                  "not-a-task-id\n"
                                  "%s\n"
                                  "\n"
                                  "\"" FRESH_2 "\", " FRESH_1 "\n",
                          drs_job_get_id (watched));
  drs_add_dialog_set_text (dialog, text);
  g_assert_cmpuint (drs_add_dialog_get_n_valid (dialog), ==, 2);

  /* In the text. */
  g_assert_null (tag_at (dialog, FRESH_1));
  g_assert_cmpstr (tag_at (dialog, "not-a-task-id"), ==, "invalid");
  g_assert_cmpstr (tag_at (dialog, drs_job_get_id (watched)), ==, "skipped");
  g_assert_null (tag_at (dialog, FRESH_2));
  g_assert_true (second_is_skipped (dialog));

  /* Under it. */
  expected =
      g_strdup_printf ("not-a-task-id|Line 2 · Not a task ID\n"
                       "%s|Line 3 · Already watched\n" FRESH_1 "|Line 5 · Repeated from line 1",
                       drs_job_get_id (watched));
  shown = marks (dialog);
  g_assert_cmpstr (shown, ==, expected);
  drs_test_wait_frames (GTK_WIDGET (dialog), 2);
  drs_test_save_screenshot (GTK_WIDGET (dialog), "add-dialog-marks-en.png");

  /* In Chinese. */
  if (drs_test_use_language ("zh_CN"))
    {
      g_autofree char *zh = NULL;

      drs_test_use_language ("en_US");
      f->window = drs_test_switch_language (f->app, "zh-CN");
      dialog = shown_dialog ();
      drs_test_wait_frames (GTK_WIDGET (dialog), 2);
      zh = marks (dialog);
      g_assert_nonnull (strstr (zh, "第2行 · 不是任务ID"));
      g_assert_nonnull (strstr (zh, "第3行 · 已在监控中"));
      g_assert_nonnull (strstr (zh, "第5行 · 与第1行重复"));
      g_assert_cmpstr (tag_at (dialog, "not-a-task-id"), ==, "invalid");
      g_assert_true (second_is_skipped (dialog));
      drs_test_save_screenshot (GTK_WIDGET (dialog), "add-dialog-marks-zh_CN.png");
      f->window = drs_test_switch_language (f->app, "en-US");
      dialog = shown_dialog ();
      drs_test_wait_frames (GTK_WIDGET (dialog), 2);
    }

  /* Fixed: nothing marked any more. */
  drs_add_dialog_set_text (dialog, FRESH_1);
  g_assert_null (tag_at (dialog, FRESH_1));
  g_clear_pointer (&shown, g_free);
  shown = marks (dialog);
  g_assert_cmpstr (shown, ==, "");
  close_dialog (dialog);
}

/* The first label under @widget with the CSS class @name. */
static GtkLabel *
find_label (GtkWidget *widget, const char *name)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, name))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label (child, name);

      if (label != NULL)
        return label;
    }
  return NULL;
}

/* The status label of the import list's row for task @id. */
static GtkLabel *
import_status (DrsAddDialog *dialog, const char *id)
{
  GtkListBox *list = drs_add_dialog_get_import_list (dialog);

  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);
      const char    *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

      if (subtitle != NULL && g_str_has_prefix (subtitle, id))
        return find_label (GTK_WIDGET (row), "import-status");
    }
  return NULL;
}

static guint
n_shown (DrsAddDialog *dialog)
{
  GtkListBox *list = drs_add_dialog_get_import_list (dialog);
  guint       n = 0;

  for (int i = 0; gtk_list_box_get_row_at_index (list, i) != NULL; i++)
    if (gtk_widget_get_child_visible (GTK_WIDGET (gtk_list_box_get_row_at_index (list, i))))
      n++;
  return n;
}

/* The project's tasks: each with its status, select all / none, a filter; at three window sizes
 * and in both languages. */
static void
test_import_list (Fixture *f, gconstpointer data)
{
  static const struct
  {
    int width, height;
  } sizes[] = { { 1024, 768 }, { 1280, 800 }, { 1400, 800 } };
  DrsJobStore *store = drs_session_get_store (drs_application_get_session (f->app));
  guint        n_jobs = drs_job_store_get_n_jobs (store);
  g_autoptr (GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  DrsAddDialog    *dialog;
  GtkLabel        *status;
  const char      *first;
  g_autofree char *english = NULL;

  /* Three tasks of the project are not watched: they can be imported. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (store), i);

      g_ptr_array_add (removed, g_strdup (drs_job_get_id (job)));
    }
  for (guint i = 0; i < removed->len; i++)
    drs_job_store_remove (store, removed->pdata[i]);

  dialog = open_dialog (f);
  drs_add_dialog_load_project (dialog);
  DRS_TEST_SPIN_UNTIL (drs_add_dialog_get_n_listed (dialog) == n_jobs, WAIT_MS);
  g_assert_cmpuint (drs_add_dialog_get_n_importable (dialog), ==, 3);
  g_assert_cmpuint (n_shown (dialog), ==, n_jobs);

  /* Every task shows its status, translated from the job list's. */
  for (guint i = 0; i < removed->len; i++)
    {
      status = import_status (dialog, removed->pdata[i]);
      g_assert_nonnull (status);
      g_assert_cmpstr (gtk_label_get_text (status), !=, "");
      g_assert_cmpstr (gtk_label_get_text (status), !=, "—");
    }

  /* Select all checks the importable ones; none unchecks them. */
  click (dialog, "select_all_button");
  g_assert_cmpuint (drs_add_dialog_get_n_checked (dialog), ==, 3);
  click (dialog, "select_none_button");
  g_assert_cmpuint (drs_add_dialog_get_n_checked (dialog), ==, 0);

  /* The filter narrows the list, by ID, and select all acts on what it shows. */
  first = removed->pdata[0];
  drs_add_dialog_set_filter (dialog, first);
  drs_test_wait_frames (GTK_WIDGET (dialog), 1);
  g_assert_cmpuint (n_shown (dialog), ==, 1);
  click (dialog, "select_all_button");
  g_assert_cmpuint (drs_add_dialog_get_n_checked (dialog), ==, 1);
  /* By status, in the language shown. */
  english = g_strdup (gtk_label_get_text (import_status (dialog, first)));
  {
    g_autofree char *upper = g_utf8_strup (english, -1);

    drs_add_dialog_set_filter (dialog, upper);
    g_assert_cmpuint (n_shown (dialog), >=, 1);
    g_assert_cmpuint (n_shown (dialog), <, n_jobs);
  }
  drs_add_dialog_set_filter (dialog, "no such task anywhere");
  g_assert_cmpuint (n_shown (dialog), ==, 0);
  drs_add_dialog_set_filter (dialog, "");
  g_assert_cmpuint (n_shown (dialog), ==, n_jobs);

  for (guint l = 0; l < 2; l++)
    {
      const char *language = l ? "zh-CN" : "en-US";

      if (l == 1 && !drs_test_use_language ("zh_CN"))
        break;
      drs_test_use_language ("en_US");
      f->window = drs_test_switch_language (f->app, language);
      dialog = shown_dialog ();
      drs_test_wait_frames (GTK_WIDGET (dialog), 2);
      /* Built again with the tasks listed, as they were. */
      g_assert_cmpuint (drs_add_dialog_get_n_listed (dialog), ==, n_jobs);
      g_assert_cmpuint (drs_add_dialog_get_n_importable (dialog), ==, 3);
      if (l == 1)
        {
          /* The statuses speak Chinese too. */
          g_assert_cmpstr (gtk_label_get_text (import_status (dialog, first)), !=, english);
        }
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        {
          g_autofree char *name = g_strdup_printf ("add-dialog-%dx%d-%s.png", sizes[s].width,
                                                   sizes[s].height, language);

          gtk_window_set_default_size (GTK_WINDOW (f->window), sizes[s].width, sizes[s].height);
          drs_add_dialog_set_text (dialog, FRESH_1 "\nnot-a-task-id");
          drs_test_wait_frames (GTK_WIDGET (dialog), 3);
          drs_test_save_screenshot (GTK_WIDGET (dialog), name);
          /* Statuses whole, on one line. */
          for (guint i = 0; i < removed->len; i++)
            {
              status = import_status (dialog, removed->pdata[i]);
              g_assert_cmpint (pango_layout_get_line_count (gtk_label_get_layout (status)), ==, 1);
              g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (status)));
            }
        }
    }

  g_object_ref (dialog);
  click (dialog, "select_all_button");
  g_assert_cmpuint (drs_add_dialog_add (dialog), ==, 4);
  for (guint i = 0; i < removed->len; i++)
    g_assert_nonnull (drs_job_store_lookup (store, removed->pdata[i]));
  g_object_unref (dialog);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  int              ret;

  g_setenv ("DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  dir = drs_test_init_gui (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add ("/add-dialog/focus-and-paste", Fixture, NULL, fixture_setup, test_focus_and_paste,
              fixture_teardown);
  g_test_add ("/add-dialog/marks-lines", Fixture, NULL, fixture_setup, test_marks_lines,
              fixture_teardown);
  g_test_add ("/add-dialog/import-list", Fixture, NULL, fixture_setup, test_import_list,
              fixture_teardown);
  ret = g_test_run ();
  drs_test_remove_dir (dir);
  return ret;
}

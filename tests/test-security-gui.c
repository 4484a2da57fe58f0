/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Hostile names and server text in the window (issue 10, the security review): the cells show
 * them exactly, as text and never as markup, and the window keeps working. Under Xvfb and a
 * private D-Bus session, like tests/test-window.c. The stored side is tests/test-security.c. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "drs-application.h"
#include "drs-simulator.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 60000
#define TOKEN "security-gui-token"
#define ACCOUNT "hostile"

typedef struct
{
  DrsApplication *app;
  DrsWindow      *window;
  DrsSimulator   *sim;
  GPtrArray      *names;
  GPtrArray      *ids;
} Fixture;

static char *
long_name (void)
{
  GString *s = g_string_new (NULL);

  while (g_utf8_strlen (s->str, -1) < 9990)
    g_string_append (s, "长名字-long-name-");
  while (g_utf8_strlen (s->str, -1) < 10000)
    g_string_append_c (s, 'x');
  return g_string_free (s, FALSE);
}

/* Server text that is markup, broken markup and direction overrides (the simulator sends it). */
#define HOSTILE_STATUS "<i>NEW</i>_&_STATUS"
#define HOSTILE_ERROR_CODE "DRS.<b>M1</b>"
#define HOSTILE_ERROR_MSG "<span color='red'>boom</span> & <unclosed \u202Etxet"

static char *
hostile_scenario (Fixture *f)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < f->ids->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, g_ptr_array_index (f->ids, i));
      json_builder_set_member_name (builder, "phases");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, i == 0 ? HOSTILE_STATUS : "INCRE_TRANSFER_FAILED");
      json_builder_set_member_name (builder, "progress");
      json_builder_add_int_value (builder, 40);
      if (i == 1)
        {
          json_builder_set_member_name (builder, "error_code");
          json_builder_add_string_value (builder, HOSTILE_ERROR_CODE);
          json_builder_set_member_name (builder, "error_msg");
          json_builder_add_string_value (builder, HOSTILE_ERROR_MSG);
        }
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token (TOKEN);
  g_autoptr (DrsClient) client = NULL;
  g_autofree char *scenario = NULL;

  f->names = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  g_ptr_array_add (f->names, g_strdup ("it's \"quoted\" `twice` \\ and ; --"));
  g_ptr_array_add (f->names, g_strdup ("line one\nline two\r\nthree\ttabbed"));
  g_ptr_array_add (f->names,
                   g_strdup ("<b>bold</b> <span foreground=\"red\">red</span> &amp; & <"));
  g_ptr_array_add (f->names, long_name ());
  g_ptr_array_add (f->names, g_strdup ("\u202Egnp.exe\u202C مهمة النسخ المتماثل \u200F(RTL)"));
  g_ptr_array_add (f->names, g_strdup ("%s%n%x %% {0} ${HOME} $(id) '); DROP TABLE watched; --"));
  f->ids = g_ptr_array_new_null_terminated (8, g_free, TRUE);
  for (guint i = 0; i < f->names->len; i++)
    g_ptr_array_add (f->ids, g_strdup_printf ("5ec0a11d-0000-4000-8000-00000000jb%02u", i));

  /* A simulator of our own that knows these tasks and answers with hostile text. */
  f->sim = drs_simulator_new ();
  drs_simulator_add_token (f->sim, TOKEN);
  scenario = hostile_scenario (f);
  g_assert_true (drs_simulator_load_scenario_data (f->sim, scenario, -1, &error));
  g_assert_no_error (error);
  drs_simulator_set_project_id (f->sim, DRS_SIM_DEMO_PROJECT_ID);
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);

  f->app = drs_test_app_new ("Security");
  f->window = drs_test_app_activate (f->app);

  client = drs_client_new (drs_simulator_get_base_url (f->sim), DRS_SIM_DEMO_PROJECT_ID,
                           credentials, &error);
  g_assert_no_error (error);
  drs_session_set_client (drs_application_get_session (f->app), ACCOUNT, client);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->window);
  g_object_unref (f->app);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->names, g_ptr_array_unref);
  g_clear_pointer (&f->ids, g_ptr_array_unref);
}

/* With DRS_TEST_SCREENSHOT_DIR set, saves the window as PNG there (to look at, not to compare). */
static gboolean
all_polled (Fixture *f)
{
  DrsJobStore *store = drs_session_get_store (drs_application_get_session (f->app));

  for (guint i = 0; i < f->ids->len; i++)
    {
      DrsJob *job = drs_job_store_lookup (store, g_ptr_array_index (f->ids, i));

      if (job == NULL || drs_job_get_last_updated_us (job) == 0)
        return FALSE;
    }
  return TRUE;
}

/* Text widgets: labels, and the inscriptions of the table's cells. */
static void
collect_labels (GtkWidget *widget, GPtrArray *labels)
{
  if (GTK_IS_LABEL (widget) || GTK_IS_INSCRIPTION (widget))
    g_ptr_array_add (labels, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static const char *
text_of (GtkWidget *widget)
{
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  return gtk_label_get_text (GTK_LABEL (widget));
}

/* The text widget under @root that holds exactly @text; fails if there is none. */
static GtkWidget *
find_label (GtkWidget *root, const char *text)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();

  collect_labels (root, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);

      if (GTK_IS_LABEL (label) ? g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text) == 0
                               : g_strcmp0 (text_of (label), text) == 0)
        return label;
    }
  g_error ("No label shows “%.40s…”", text);
}

static void
assert_shown_as_text (GtkWidget *root, const char *text)
{
  GtkWidget  *label = find_label (root, text);
  const char *tooltip = gtk_widget_get_tooltip_markup (label);

  /* Exactly the text, as text: no markup, no mnemonic, and what is drawn is the text. */
  if (GTK_IS_LABEL (label))
    {
      g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
      g_assert_false (gtk_label_get_use_underline (GTK_LABEL (label)));
    }
  else
    g_assert_null (gtk_inscription_get_attributes (GTK_INSCRIPTION (label)));
  g_assert_cmpstr (text_of (label), ==, text);
  g_assert_true (gtk_widget_get_mapped (label));
  if (tooltip != NULL)
    g_assert_null (strstr (tooltip, "<b>"));
}

static void
test_hostile_names_in_cells (Fixture *f, gconstpointer data)
{
  GtkWidget *view;
  guint      added;

  added = drs_session_add_jobs (drs_application_get_session (f->app), ACCOUNT,
                                (const char *const *) f->ids->pdata,
                                (const char *const *) f->names->pdata);
  g_assert_cmpuint (added, ==, f->names->len);
  DRS_TEST_SPIN_UNTIL (all_polled (f), WAIT_MS);
  g_assert_cmpint (drs_window_get_page (f->window), ==, DRS_WINDOW_PAGE_TABLE);

  view = GTK_WIDGET (drs_window_get_column_view (f->window));
  drs_test_wait_frames (view, 3);

  /* The store holds every name intact… */
  for (guint i = 0; i < f->names->len; i++)
    {
      DrsJob *job =
          drs_job_store_lookup (drs_session_get_store (drs_application_get_session (f->app)),
                                g_ptr_array_index (f->ids, i));

      g_assert_cmpstr (drs_job_get_name (job), ==, g_ptr_array_index (f->names, i));
    }
  /* …and the cells show each exactly, as text. */
  for (guint i = 0; i < f->names->len; i++)
    assert_shown_as_text (view, g_ptr_array_index (f->names, i));

  /* The server's hostile status and error reach the rows as text too. */
  {
    DrsJob *first =
        drs_job_store_lookup (drs_session_get_store (drs_application_get_session (f->app)),
                              g_ptr_array_index (f->ids, 0));
    DrsJob *second =
        drs_job_store_lookup (drs_session_get_store (drs_application_get_session (f->app)),
                              g_ptr_array_index (f->ids, 1));

    g_assert_cmpstr (drs_job_get_status_raw (first), ==, HOSTILE_STATUS);
    g_assert_cmpstr (drs_job_get_error_code (second), ==, HOSTILE_ERROR_CODE);
    g_assert_cmpstr (drs_job_get_error_message (second), ==, HOSTILE_ERROR_MSG);
    assert_shown_as_text (view, HOSTILE_STATUS);
  }

  /* Selecting, searching and redrawing such rows keeps working. */
  for (guint i = 0; i < f->names->len; i++)
    {
      g_assert_true (drs_window_select_job (f->window, g_ptr_array_index (f->ids, i)));
      drs_test_wait_frames (view, 1);
    }
  drs_test_save_screenshot (GTK_WIDGET (f->window), "security-hostile-names.png");
  gtk_editable_set_text (GTK_EDITABLE (drs_window_get_search_entry (f->window)), "<b>bold</b>");
  DRS_TEST_SPIN_UNTIL (
      g_list_model_get_n_items (G_LIST_MODEL (drs_window_get_selection (f->window))) == 1, WAIT_MS);
  gtk_editable_set_text (GTK_EDITABLE (drs_window_get_search_entry (f->window)), "");
  DRS_TEST_SPIN_UNTIL (g_list_model_get_n_items (
                           G_LIST_MODEL (drs_window_get_selection (f->window))) == f->names->len,
                       WAIT_MS);
  drs_test_wait_frames (view, 2);
}

/* Removing a task with a hostile name: the undo toast quotes the name as it is. */
static void
test_hostile_name_in_toast (Fixture *f, gconstpointer data)
{
  GtkWidget       *view;
  const char      *name = g_ptr_array_index (f->names, 2); /* markup, broken markup */
  g_autofree char *expected = NULL;

  drs_session_add_jobs (drs_application_get_session (f->app), ACCOUNT,
                        (const char *const *) f->ids->pdata, (const char *const *) f->names->pdata);
  DRS_TEST_SPIN_UNTIL (all_polled (f), WAIT_MS);
  view = GTK_WIDGET (drs_window_get_column_view (f->window));
  drs_test_wait_frames (view, 2);

  g_assert_true (drs_window_select_job (f->window, g_ptr_array_index (f->ids, 2)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.remove", NULL));
  g_assert_nonnull (strstr (drs_window_get_last_toast (f->window), name));
  drs_test_wait_frames (view, 3);
  drs_test_save_screenshot (GTK_WIDGET (f->window), "security-hostile-toast.png");

  /* What the toast draws is the name itself (a markup title would drop or choke on it). */
  expected = g_strdup (drs_window_get_last_toast (f->window));
  {
    g_autoptr (GPtrArray) labels = g_ptr_array_new ();
    gboolean found = FALSE;

    collect_labels (GTK_WIDGET (f->window), labels);
    for (guint i = 0; i < labels->len; i++)
      if (g_strcmp0 (text_of (g_ptr_array_index (labels, i)), expected) == 0)
        found = TRUE;
    g_assert_true (found);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL));
  g_assert_cmpstr (drs_job_get_name (drs_job_store_lookup (
                       drs_session_get_store (drs_application_get_session (f->app)),
                       g_ptr_array_index (f->ids, 2))),
                   ==, name);
  drs_test_wait_frames (view, 2);
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

  g_test_add ("/security-gui/hostile-names-in-cells", Fixture, NULL, fixture_setup,
              test_hostile_names_in_cells, fixture_teardown);
  g_test_add ("/security-gui/hostile-name-in-toast", Fixture, NULL, fixture_setup,
              test_hostile_name_in_toast, fixture_teardown);
  ret = g_test_run ();
  drs_test_remove_dir (dir);
  return ret;
}

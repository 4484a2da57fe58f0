/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "drs-test-gui.h"
#include "drs-test-utils.h"

static gboolean
count_frame (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

/**
 * drs_test_wait_frames:
 *
 * Lets @widget lay out and paint @n frames: what the user sees is then up to date.
 */
void
drs_test_wait_frames (GtkWidget *widget, guint n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  gtk_widget_queue_draw (widget);
  DRS_TEST_SPIN_UNTIL (frames >= n, 60000);
  gtk_widget_remove_tick_callback (widget, id);
}

/**
 * drs_test_save_screenshot:
 * @name: the file name, e.g. `language-zh_CN.png`
 *
 * Renders @widget with its own renderer into DRS_TEST_SCREENSHOT_DIR, when that is set, so a
 * person can look at what a test saw.
 */
void
drs_test_save_screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("DRS_TEST_SCREENSHOT_DIR");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int              width = gtk_widget_get_width (widget);
  int              height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("saved %s", path);
}

/**
 * drs_test_gui_log_setup:
 *
 * The window layouts are designed and checked against GTK 4.8, where the GUI tests fail on any
 * warning. Newer GTK (the Flatpak runtime's 4.18) also warns, through structured logging, when a
 * box measures a label below its minimum width, a cosmetic clip that 4.8 does silently. There
 * warnings are printed but not fatal; criticals stay fatal everywhere.
 */
void
drs_test_gui_log_setup (void)
{
  if (gtk_get_minor_version () > 8)
    g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
}

/**
 * drs_test_app_new:
 * @name: the test's name, e.g. `Window`
 *
 * A registered application with a history file of its own and an application id of its own (the
 * previous test's application is still exported on the bus), so every test starts like a first
 * run.
 *
 * Returns: (transfer full): the application, not activated yet
 */
DrsApplication *
drs_test_app_new (const char *name)
{
  static guint n;
  g_autoptr (GError) error = NULL;
  g_autofree char *history = NULL;
  g_autofree char *id = NULL;
  DrsApplication  *app;

  n++;
  drs_test_gui_log_setup ();
  /* Animations end at once: what a test checks does not depend on how long a frame takes
   * (libadwaita 1.2 can also crash when a toast is dismissed while it is still sliding in). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  history = g_strdup_printf ("%s/history-%s-%u.db", g_get_user_data_dir (), name, n);
  g_setenv ("DRS_MONITOR_HISTORY", history, TRUE);
  app = drs_application_new ();
  id = g_strdup_printf ("%s.%s%u", APPLICATION_ID, name, n);
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return app;
}

/**
 * drs_test_app_activate:
 *
 * Returns: (transfer none): the window the activation opened
 */
DrsWindow *
drs_test_app_activate (DrsApplication *app)
{
  GtkWindow *window;

  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (DRS_IS_WINDOW (window));
  return DRS_WINDOW (window);
}

/**
 * drs_test_main_window:
 *
 * Returns: (transfer none): the application's main window (a language switch builds it again)
 */
DrsWindow *
drs_test_main_window (DrsApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (DRS_IS_WINDOW (l->data))
      return l->data;
  g_assert_not_reached ();
}

/**
 * drs_test_switch_language:
 * @language: "en-US" or "zh-CN"
 *
 * Switches the language as the preferences do and lets the relabel pass run (none when the
 * language does not change).
 *
 * Returns: (transfer none): the main window, built again in that language
 */
DrsWindow *
drs_test_switch_language (DrsApplication *app, const char *language)
{
  DrsWindow *window;

  g_settings_set_string (drs_test_get_settings (), "language", language);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  window = drs_test_main_window (app);
  drs_test_wait_frames (GTK_WIDGET (window), 2);
  return window;
}

/**
 * drs_test_get_settings:
 *
 * Returns: (transfer none): the application's settings, as the user's own tools would see them
 */
GSettings *
drs_test_get_settings (void)
{
  static GSettings *settings;

  if (settings == NULL)
    settings = g_settings_new (APPLICATION_ID);
  return settings;
}

/**
 * drs_test_all_polled:
 *
 * Returns: %TRUE once the store holds at least @min_jobs tasks and every one has been answered
 */
gboolean
drs_test_all_polled (DrsApplication *app, guint min_jobs)
{
  GListModel *store = G_LIST_MODEL (drs_session_get_store (drs_application_get_session (app)));
  guint       n = g_list_model_get_n_items (store);

  if (n < min_jobs)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);
      if (drs_job_get_last_updated_us (job) == 0)
        return FALSE;
    }
  return TRUE;
}

/**
 * drs_test_app_end:
 *
 * Ends a test's application as Quit would, without ending the test program: polling stops, no
 * background hold is left, every window is destroyed. The application stays exported on the bus
 * (GIO keeps it), so it stops following the settings all tests share.
 */
void
drs_test_app_end (DrsApplication *app)
{
  DrsSession *session = drs_application_get_session (app);
  GSettings  *settings = drs_session_get_settings (session);
  GList      *windows;

  drs_session_stop (session);
  drs_background_quit (drs_application_get_background (app));
  if (settings != NULL)
    g_signal_handlers_disconnect_by_data (
        settings, drs_background_get_autostart (drs_application_get_background (app)));
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_object_unref (app);
}

/* The first widget of @type in @root's tree (@root included), depth first, that @match
 * (when given) accepts. */
GtkWidget *
drs_test_find_widget_where (GtkWidget *root, GType type, DrsTestMatch match, gconstpointer data)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (match == NULL || match (root, data)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = drs_test_find_widget_where (child, type, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first widget of @type in @root's tree (@root included), depth first. */
GtkWidget *
drs_test_find_widget (GtkWidget *root, GType type)
{
  return drs_test_find_widget_where (root, type, NULL, NULL);
}

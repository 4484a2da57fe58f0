/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Renders the screenshots in data/screenshots/ from the running demo:
 *
 *   drs-screenshots OUTDIR [LANGUAGE]
 *
 * Each window is drawn by its own renderer into a PNG, in the light and the dark style. Needs a
 * display (Xvfb) and a D-Bus session; build-aux/screenshots.sh provides both. */
#include "config.h"

#include <glib/gi18n.h>

#include "drs-add-dialog.h"
#include "drs-application.h"
#include "drs-i18n.h"
#include "drs-test-utils.h"
#include "drs-window.h"

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets the view lay out and paint, for @ms of wall time. */
static void
settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_true, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
save_window (GtkWidget  *widget,
             const char *path)
{
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    g_error ("Could not write %s", path);
  g_print ("%s\n", path);
}

static gboolean
all_polled (DrsApplication *app)
{
  GListModel *store = G_LIST_MODEL (drs_application_get_store (app));
  guint n = g_list_model_get_n_items (store);

  if (n < 30)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (store, i);
      if (drs_job_get_last_updated_us (job) == 0)
        return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (DrsApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  const char *outdir = argc > 1 ? argv[1] : ".";
  const char *language = argc > 2 ? argv[2] : "en-US";
  const char *suffix = g_str_equal (language, "zh-CN") ? "-zh_CN" : "";
  static const char *const schemes[] = { "light", "dark" };
  DrsWindow *window;

  drs_i18n_init ();
  gtk_init ();
  adw_init ();

  app = drs_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  drs_application_set_language (app, language);
  g_application_activate (G_APPLICATION (app));
  window = DRS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  drs_window_retranslate (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 800);

  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  DRS_TEST_SPIN_UNTIL (all_polled (app), 60000);
  gtk_single_selection_set_selected (drs_window_get_selection (window), 1);

  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++)
    {
      g_autofree char *table = NULL, *dialog_path = NULL;
      DrsAddDialog *dialog;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          s ? ADW_COLOR_SCHEME_FORCE_DARK
                                            : ADW_COLOR_SCHEME_FORCE_LIGHT);
      settle (1500);
      table = g_strdup_printf ("%s/main-window-%s%s.png", outdir, schemes[s], suffix);
      save_window (GTK_WIDGET (window), table);

      dialog = drs_add_dialog_new (app);
      gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (window));
      drs_add_dialog_set_text (dialog, "8d0e8e36-a618-490d-8a46-8c61ac9jb502\nnot-an-id");
      gtk_window_present (GTK_WINDOW (dialog));
      drs_add_dialog_load_project (dialog);
      settle (2500);
      dialog_path = g_strdup_printf ("%s/add-dialog-%s%s.png", outdir, schemes[s], suffix);
      save_window (GTK_WIDGET (dialog), dialog_path);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

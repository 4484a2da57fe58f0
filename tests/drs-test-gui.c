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

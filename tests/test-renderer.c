/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which renderer paints: Cairo, with GL turned off, where GTK would paint with a software GL
 * rasterizer (no GPU render node, or Mesa told to rasterize in software); GTK's own choice
 * everywhere else, and the user's when GSK_RENDERER says one. The window check runs under Xvfb,
 * whose GL is Mesa's software rasterizer, on Debian's GTK 4.8 and (in the Flatpak test) on the
 * SDK's GTK 4.18. */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "drs-renderer.h"
#include "drs-test-utils.h"

static char *tmp;

/* A stand-in for /dev/dri holding the named device nodes (plain files: only names are read). */
static char *
dri_dir_with (const char *const *nodes)
{
  g_autofree char *dir = g_build_filename (tmp, "dri-XXXXXX", NULL);

  g_assert_nonnull (g_mkdtemp (dir));
  for (guint i = 0; nodes != NULL && nodes[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (dir, nodes[i], NULL);

      g_assert_true (g_file_set_contents (path, "", 0, NULL));
    }
  return g_steal_pointer (&dir);
}

static void
test_pick (void)
{
  const char      *gpu[] = { "card0", "renderD128", NULL };
  const char      *display_only[] = { "card0", NULL };
  g_autofree char *with_gpu = dri_dir_with (gpu);
  g_autofree char *without_gpu = dri_dir_with (display_only);
  g_autofree char *empty = dri_dir_with (NULL);
  g_autofree char *missing = g_build_filename (tmp, "no-such-dir", NULL);

  g_unsetenv ("GSK_RENDERER");
  g_unsetenv ("LIBGL_ALWAYS_SOFTWARE");
  g_assert_null (drs_renderer_pick (with_gpu));
  g_assert_cmpstr (drs_renderer_pick (without_gpu), ==, "cairo");
  g_assert_cmpstr (drs_renderer_pick (empty), ==, "cairo");
  g_assert_cmpstr (drs_renderer_pick (missing), ==, "cairo");

  /* Mesa told to rasterize in software: Cairo even with a GPU. */
  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "1", TRUE);
  g_assert_cmpstr (drs_renderer_pick (with_gpu), ==, "cairo");
  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "0", TRUE);
  g_assert_null (drs_renderer_pick (with_gpu));
  g_setenv ("LIBGL_ALWAYS_SOFTWARE", "false", TRUE);
  g_assert_null (drs_renderer_pick (with_gpu));
  g_unsetenv ("LIBGL_ALWAYS_SOFTWARE");

  /* The user's choice stands. */
  g_setenv ("GSK_RENDERER", "gl", TRUE);
  g_assert_null (drs_renderer_pick (empty));
  g_unsetenv ("GSK_RENDERER");

  drs_test_remove_dir (with_gpu);
  drs_test_remove_dir (without_gpu);
  drs_test_remove_dir (empty);
}

static void
test_environ (void)
{
  gboolean    disable = gtk_get_major_version () > 4 || gtk_get_minor_version () >= 16;
  const char *name = disable ? "GDK_DISABLE" : "GDK_DEBUG";
  g_auto (GStrv) plain = drs_renderer_environ_without_gl (g_environ_setenv (NULL, "A", "1", TRUE));
  g_auto (GStrv) chosen = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpstr (g_environ_getenv (plain, "A"), ==, "1");
  g_assert_cmpstr (g_environ_getenv (plain, "GSK_RENDERER"), ==, "cairo");
  g_assert_cmpstr (g_environ_getenv (plain, name), ==,
                   disable ? "gl,vulkan" : "gl-disable,vulkan-disable");

  /* Flags already there stay, the user's renderer too; asked twice, said once. */
  chosen = g_environ_setenv (NULL, "GSK_RENDERER", "ngl", TRUE);
  chosen = g_environ_setenv (chosen, name, "misc", TRUE);
  chosen = drs_renderer_environ_without_gl (chosen);
  chosen = drs_renderer_environ_without_gl (chosen);
  expected = g_strconcat ("misc,", disable ? "gl,vulkan" : "gl-disable,vulkan-disable", NULL);
  g_assert_cmpstr (g_environ_getenv (chosen, name), ==, expected);
  g_assert_cmpstr (g_environ_getenv (chosen, "GSK_RENDERER"), ==, "ngl");
}

static void
on_painted (GdkFrameClock *clock, gboolean *painted)
{
  *painted = TRUE;
}

/* In a process of its own: the environment must be set before GTK opens the display. */
static void
test_window (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *empty = dri_dir_with (NULL);
      const char      *picked;
      GtkWidget       *window;
      GskRenderer     *renderer;
      gboolean         painted = FALSE;
      g_autoptr (GError) error = NULL;

      g_unsetenv ("GSK_RENDERER");
      g_unsetenv ("LIBGL_ALWAYS_SOFTWARE");
      picked = drs_renderer_prepare (empty);
      g_assert_true (gtk_init_check ());
      window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (window), 640, 480);
      gtk_window_present (GTK_WINDOW (window));
      g_signal_connect_after (gtk_widget_get_frame_clock (window), "paint", G_CALLBACK (on_painted),
                              &painted);
      while (!painted)
        g_main_context_iteration (NULL, TRUE);
      renderer = gtk_native_get_renderer (GTK_NATIVE (window));
      g_assert_cmpstr (picked, ==, "cairo");
      g_assert_cmpstr (G_OBJECT_TYPE_NAME (renderer), ==, "GskCairoRenderer");
      /* GL is off: the display never loaded a driver. */
      g_assert_false (gdk_display_prepare_gl (gtk_widget_get_display (window), &error));
      g_assert_nonnull (error);
      gtk_window_destroy (GTK_WINDOW (window));
      drs_test_remove_dir (empty);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char *argv[])
{
  int ret;

  tmp = drs_test_init_gui (&argc, &argv);
  g_test_add_func ("/renderer/pick", test_pick);
  g_test_add_func ("/renderer/environ", test_environ);
  g_test_add_func ("/renderer/window", test_window);
  ret = g_test_run ();
  g_free (tmp); /* removed with everything in it at exit */
  return ret;
}

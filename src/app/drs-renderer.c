/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Painting without GL, where GL would cost more than it gives.
 *
 * GTK 4.8 paints with GL wherever GL answers, even when the answer is Mesa's software rasterizer
 * (llvmpipe) on a machine with no GPU: a virtual machine, a remote desktop, a jump host. There a
 * full frame of the task table at 1400×800 takes about 70 ms on two cores where Cairo takes under
 * 20. The driver, loaded as soon as the display opens, takes about 60 MB, painting with it about
 * 90 MB more (262 MB against 114 MB with 10,000 tasks), and an empty window's first frame comes
 * 180 ms later. GTK 4.14 and later (the Flatpak's 4.18) pass over llvmpipe only while a better
 * renderer exists, and fall back to it rather than to Cairo when none does: there, with 10,000
 * tasks, a refresh stalls the window for 110–140 ms where Cairo takes about 20, the process takes
 * 250 MB where Cairo takes 120, and the first frame comes 80–130 ms later. So on any GTK the app
 * turns GL off itself when no GPU can be reached, and leaves the choice to GTK everywhere else. A
 * process watching with no window turns it off always (drs-handover.c). */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "drs-renderer.h"

static gboolean
has_render_node (const char *dri_dir)
{
  g_autoptr (GDir) dir = g_dir_open (dri_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

static gboolean
forced_software (void)
{
  const char *value = g_getenv ("LIBGL_ALWAYS_SOFTWARE");

  return value != NULL && *value != '\0' && !g_str_equal (value, "0") &&
         g_ascii_strcasecmp (value, "false") != 0;
}

/**
 * drs_renderer_pick:
 * @dri_dir: where the kernel lists the GPUs' device nodes (`/dev/dri`)
 *
 * Returns: (nullable): "cairo" where GTK would paint with a software GL rasterizer: no GPU
 *   render node in @dri_dir, or Mesa told to rasterize in software; %NULL where GTK's own choice
 *   stands, or the user made one with `GSK_RENDERER`
 */
const char *
drs_renderer_pick (const char *dri_dir)
{
  g_return_val_if_fail (dri_dir != NULL, NULL);

  if (g_getenv ("GSK_RENDERER") != NULL)
    return NULL;
  if (forced_software () || !has_render_node (dri_dir))
    return "cairo";
  return NULL;
}

/**
 * drs_renderer_environ_without_gl:
 * @envp: (transfer full): an environment
 *
 * GL (and Vulkan) turned off: `GDK_DEBUG` up to GTK 4.14, `GDK_DISABLE` from 4.16; and Cairo
 * asked for at once, rather than after the GL renderer failed (which GSK says on the terminal).
 * A renderer the user chose stays.
 *
 * Returns: (transfer full): @envp so changed
 */
char **
drs_renderer_environ_without_gl (char **envp)
{
  gboolean         disable = gtk_get_major_version () > 4 || gtk_get_minor_version () >= 16;
  const char      *name = disable ? "GDK_DISABLE" : "GDK_DEBUG";
  const char      *flags = disable ? "gl,vulkan" : "gl-disable,vulkan-disable";
  const char      *had = g_environ_getenv (envp, name);
  g_autofree char *value = NULL;

  if (g_environ_getenv (envp, "GSK_RENDERER") == NULL)
    envp = g_environ_setenv (envp, "GSK_RENDERER", "cairo", TRUE);
  if (had != NULL && strstr (had, flags) != NULL)
    return envp;
  value = had != NULL && *had != '\0' ? g_strconcat (had, ",", flags, NULL) : g_strdup (flags);
  return g_environ_setenv (envp, name, value, TRUE);
}

/**
 * drs_renderer_paint_without_gl:
 *
 * Before anything else in main(), while the process has one thread: turns GL off for this
 * process, as drs_renderer_environ_without_gl() says. GTK reads these when it opens the display
 * and realizes a window.
 */
void
drs_renderer_paint_without_gl (void)
{
  g_auto (GStrv) envp = drs_renderer_environ_without_gl (g_get_environ ());

  for (guint i = 0; envp[i] != NULL; i++)
    if (g_str_has_prefix (envp[i], "GDK_DISABLE=") || g_str_has_prefix (envp[i], "GDK_DEBUG=") ||
        g_str_has_prefix (envp[i], "GSK_RENDERER="))
      {
        char *eq = strchr (envp[i], '=');

        *eq = '\0';
        g_setenv (envp[i], eq + 1, TRUE);
        *eq = '=';
      }
}

/**
 * drs_renderer_prepare:
 * @dri_dir: where the kernel lists the GPUs' device nodes (`/dev/dri`)
 *
 * Before anything else in main(), while the process has one thread: paints without GL where
 * drs_renderer_pick() chose Cairo.
 *
 * Returns: (nullable): the renderer asked for
 */
const char *
drs_renderer_prepare (const char *dri_dir)
{
  const char *renderer = drs_renderer_pick (dri_dir);

  if (renderer != NULL)
    drs_renderer_paint_without_gl ();
  return renderer;
}

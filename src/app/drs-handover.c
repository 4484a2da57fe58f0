/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-handover"

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "drs-handover.h"
#include "drs-renderer.h"

/*
 * Watching with no window at the cost of a process that never had one. What a window takes (GTK's
 * renderer, its caches, the GL driver) stays with the display after the window is gone, so when
 * the last window closes and DRS Monitor goes on in the background, the process starts itself
 * again hidden (execve() of its own image: the same process id, the same bus name once taken
 * again). The new image paints without GL, the way a start at login does, and takes over:
 *
 *  - the history is committed before the exec, and the alerts' baseline comes back from it (a
 *    task that failed meanwhile is still announced, one already announced is not again);
 *  - what the user made of the table (search, filter, sort, selection) goes through a file in
 *    the user's runtime directory, named by DRS_MONITOR_HANDOVER, read and deleted by the new
 *    image;
 *  - accounts come back from the settings and the keyring, as at any start.
 */

#define HANDOVER_ENV "DRS_MONITOR_HANDOVER"

/**
 * drs_handover_prepare_hidden:
 *
 * Before anything else in main(): a start with no window (`--background`,
 * `--gapplication-service`) paints without GL, so a process watching in the background does not
 * carry the GL driver GTK loads when it opens the display (about 60 MB under X11). A window
 * opened later from it paints with Cairo.
 */
void
drs_handover_prepare_hidden (int argc, char **argv)
{
  gboolean hidden = FALSE;

  for (int i = 1; i < argc && !hidden; i++)
    hidden =
        g_str_equal (argv[i], "--background") || g_str_equal (argv[i], "--gapplication-service");
  if (hidden)
    drs_renderer_paint_without_gl ();
}

static char *
state_path (void)
{
  g_autofree char *name = g_strdup_printf ("handover-%d.state", (int) getpid ());

  return g_build_filename (g_get_user_runtime_dir (), "drs-monitor", name, NULL);
}

/* Every descriptor but the standard ones closes in the new image: GLib, libsoup and SQLite mark
 * theirs, libraries below them may not. */
static void
close_on_exec (void)
{
  g_autoptr (GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  DIR           *dir = opendir ("/proc/self/fd");
  struct dirent *entry;

  if (dir == NULL)
    return;
  while ((entry = readdir (dir)) != NULL)
    {
      int fd = (int) g_ascii_strtoll (entry->d_name, NULL, 10);

      if (fd > 2)
        g_array_append_val (fds, fd);
    }
  /* Listed too, the directory's own descriptor is gone by now. */
  closedir (dir);
  for (guint i = 0; i < fds->len; i++)
    {
      int fd = g_array_index (fds, int, i);
      int flags = fcntl (fd, F_GETFD);

      if (flags >= 0 && !(flags & FD_CLOEXEC))
        fcntl (fd, F_SETFD, flags | FD_CLOEXEC);
    }
}

/**
 * drs_handover_exec:
 * @session: the session to hand over
 * @argv: the command line of the new image; `argv[0]` as the process shows it
 * @bus: (nullable): the application's connection, flushed first (a notification just sent)
 *
 * Commits the history, leaves the view state for drs_handover_restore() and replaces the process
 * image with its own executable started with @argv. Returns only when that failed; the session
 * has not stopped and goes on.
 *
 * Returns: %FALSE, with @error set
 */
gboolean
drs_handover_exec (DrsSession        *session,
                   const char *const *argv,
                   GDBusConnection   *bus,
                   GError           **error)
{
  g_autofree char *path = state_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GVariant) state = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) envp = NULL;
  int saved_errno;

  g_return_val_if_fail (DRS_IS_SESSION (session), FALSE);
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, FALSE);

  state = g_variant_ref_sink (drs_view_state_save (drs_session_get_view_state (session)));
  text = g_variant_print (state, TRUE);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _ ("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;

  if (drs_session_get_history (session) != NULL)
    drs_history_flush (drs_session_get_history (session));
  if (bus != NULL)
    g_dbus_connection_flush_sync (bus, NULL, NULL);
  envp = drs_renderer_environ_without_gl (
      g_environ_setenv (g_get_environ (), HANDOVER_ENV, path, TRUE));
  close_on_exec ();
  g_debug ("Starting again with no window");

  execve ("/proc/self/exe", (char **) argv, envp);

  saved_errno = errno;
  g_unlink (path);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _ ("Could not start DRS Monitor again with no window: %s"),
               g_strerror (saved_errno));
  return FALSE;
}

/**
 * drs_handover_restore:
 * @session: the session of the new image
 *
 * In the image drs_handover_exec() started: takes the view state it left and deletes its file.
 * What cannot be read is said in the log and left: the view starts as at any start.
 *
 * Returns: whether this process was handed over to
 */
gboolean
drs_handover_restore (DrsSession *session)
{
  const char *path = g_getenv (HANDOVER_ENV);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) state = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (DRS_IS_SESSION (session), FALSE);

  if (path == NULL || *path == '\0' || !g_file_get_contents (path, &text, NULL, &error))
    return FALSE;
  g_unlink (path);
  state = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);
  if (state == NULL)
    g_warning ("The view left by the window that closed could not be read: %s", error->message);
  else
    drs_view_state_restore (drs_session_get_view_state (session), state);
  return TRUE;
}

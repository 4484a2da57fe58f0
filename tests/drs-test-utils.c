/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "drs-test-utils.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* From the sanitizer runtime (GCC ships no header for them). */
int    __sanitizer_get_ownership (const volatile void *p);
size_t __sanitizer_get_allocated_size (const volatile void *p);
#endif

static void
init_common (void)
{
  bindtextdomain (GETTEXT_PACKAGE, DRS_TEST_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* Start in English, as the app does: GLib decides once, at the first g_dgettext(), whether to
   * translate at all, and it says no for a C.UTF-8 start. */
  if (!drs_test_use_language ("en_US"))
    setlocale (LC_ALL, "");
  (void) g_dgettext (GETTEXT_PACKAGE, "");
}

static char *private_dir;

static void
remove_private_dir (void)
{
  if (private_dir != NULL)
    drs_test_remove_dir (private_dir);
  g_clear_pointer (&private_dir, g_free);
}

/* A home, data, config and cache dir of the test process's own, removed at exit. The system's
 * data dirs (icon themes, fonts, schemas) stay visible. */
static void
make_private_dirs (void)
{
  g_autoptr (GError) error = NULL;
  static const char *const vars[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                      "XDG_STATE_HOME", "HOME" };

  private_dir = g_dir_make_tmp ("drs-test-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      g_autofree char *path = g_build_filename (private_dir, vars[i], NULL);

      g_mkdir_with_parents (path, 0700);
      g_setenv (vars[i], path, TRUE);
    }
  atexit (remove_private_dir);
}

/**
 * drs_test_init:
 *
 * g_test_init() plus a private home for the process and the real gettext catalogs of this
 * build, so tests can switch language with drs_test_use_language(). (GLib's per-test
 * isolated dirs leak their paths, which LeakSanitizer would report.)
 */
void
drs_test_init (int *argc, char ***argv)
{
  make_private_dirs ();
  g_test_init (argc, argv, NULL);
  init_common ();
}

/**
 * drs_test_init_gui:
 *
 * drs_test_init() for tests that show windows.
 *
 * Returns: (transfer full): the private directory
 */
#if defined(__SANITIZE_ADDRESS__)
/* GLib's first quark block: GLib's own statics are the only pointers to it. */
static void
ignore_first_quark_block (void)
{
  g_autofree char *maps = NULL;
  g_auto (GStrv) lines = NULL;
  const gsize block = 2048 * sizeof (char *);

  if (!g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL))
    return;
  lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guintptr start, end;
      char     perms[8];

      if (strstr (lines[i], "libglib-2.0.so") == NULL ||
          sscanf (lines[i], "%" G_GINTPTR_MODIFIER "x-%" G_GINTPTR_MODIFIER "x %4s", &start, &end,
                  perms) != 3 ||
          perms[0] != 'r' || perms[1] != 'w')
        continue;
      for (guintptr p = start; p + sizeof (gpointer) <= end; p += sizeof (gpointer))
        {
          gpointer candidate = *(gpointer *) p;

          if (candidate != NULL && __sanitizer_get_ownership (candidate) &&
              __sanitizer_get_allocated_size (candidate) == block)
            __lsan_ignore_object (candidate);
        }
    }
}
#endif

/* GLib grows its quark table in blocks of 2048 and keeps the old block on purpose (other threads
 * may still read it without a lock). A GTK test makes more than 2048 quarks, and LeakSanitizer
 * reports the old block with a stack too short to suppress (GLib has no frame pointers): mark the
 * first block as GLib's, and grow the table once, now, with leak detection off for that. */
static void
grow_quark_table (void)
{
#if defined(__SANITIZE_ADDRESS__)
  ignore_first_quark_block ();
  __lsan_disable ();
#endif
  for (guint i = 0; i < 6144; i++)
    {
      char name[32];

      g_snprintf (name, sizeof name, "drs-test-quark-%u", i);
      g_quark_from_string (name);
    }
#if defined(__SANITIZE_ADDRESS__)
  __lsan_enable ();
#endif
}

char *
drs_test_init_gui (int *argc, char ***argv)
{
  drs_test_init (argc, argv);
  grow_quark_table ();
  return g_strdup (private_dir);
}

static gboolean
remove_tree (GFile *file, GError **error)
{
  g_autoptr (GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFile *child;

      while (g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) && child != NULL)
        remove_tree (child, NULL);
    }
  return g_file_delete (file, NULL, error);
}

/**
 * drs_test_remove_dir:
 *
 * Removes a directory the test made, with everything in it.
 */
void
drs_test_remove_dir (const char *path)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  remove_tree (file, NULL);
}

/**
 * drs_test_use_language:
 * @language: `zh_CN` or `en_US`
 *
 * Switches gettext to @language through a UTF-8 locale the machine has.
 *
 * Returns: %FALSE when no such locale is installed
 */
gboolean
drs_test_use_language (const char *language)
{
  g_autofree char *name = g_strdup_printf ("%s.UTF-8", language);

  if (setlocale (LC_ALL, name) == NULL)
    return FALSE;
  g_setenv ("LANGUAGE", language, TRUE);
  /* Drop gettext's cache of the previous language. */
  textdomain (GETTEXT_PACKAGE);
  return TRUE;
}

char *
drs_test_fixture_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

GBytes *
drs_test_load_fixture (const char *name)
{
  g_autofree char *path = drs_test_fixture_path (name);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("Cannot load fixture %s: %s", path, error->message);
  return g_bytes_new_take (contents, length);
}

/**
 * drs_test_spin_until:
 *
 * Iterates the default main context until @condition holds; fails the test at the deadline.
 * Never sleeps while there is work to do.
 */
void
drs_test_spin_until (DrsTestCondition condition, gpointer user_data, guint timeout_ms)
{
  DRS_TEST_SPIN_UNTIL (condition (user_data), timeout_ms);
}

static gboolean
deadline_passed (gpointer what)
{
  g_error ("Timed out waiting for: %s", (const char *) what);
  return G_SOURCE_REMOVE;
}

/**
 * drs_test_deadline_start:
 *
 * Returns: a source that fails the test after @timeout_ms; remove it when the wait is over
 */
guint
drs_test_deadline_start (guint timeout_ms, const char *what)
{
  return g_timeout_add (timeout_ms, deadline_passed, (gpointer) what);
}

gboolean
drs_test_flag_is_set (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
on_owner_appeared (GDBusConnection *bus, const char *name, const char *owner, gpointer user_data)
{
  g_free (*(char **) user_data);
  *(char **) user_data = g_strdup (owner);
}

static void
on_owner_vanished (GDBusConnection *bus, const char *name, gpointer user_data)
{
  g_clear_pointer ((char **) user_data, g_free);
}

/**
 * drs_test_watch_owner:
 * @owner: (out): the unique name owning @name, %NULL while nobody does; freed by the caller
 *
 * Returns: the watch, for g_bus_unwatch_name()
 */
guint
drs_test_watch_owner (GDBusConnection *bus, const char *name, char **owner)
{
  return g_bus_watch_name_on_connection (bus, name, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                         on_owner_appeared, on_owner_vanished, owner, NULL);
}

static void
on_exited (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/**
 * drs_test_wait_exit:
 *
 * Spins the main loop until @process has ended.
 */
void
drs_test_wait_exit (GSubprocess *process, guint timeout_ms)
{
  gboolean exited = FALSE;

  g_subprocess_wait_async (process, NULL, on_exited, &exited);
  DRS_TEST_SPIN_UNTIL (exited, timeout_ms);
}

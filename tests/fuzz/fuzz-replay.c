/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs one fuzz target's entry point over files and directories (a seed corpus, the crash
 * regressions in tests/data/fuzz-regressions/) without libFuzzer, so every build and the normal
 * test suite (under ASan and UBSan in the sanitizer build) replay them. Prints TAP. */
#define G_LOG_DOMAIN "drs-fuzz"

#include "config.h"

#include <stdio.h>

#include "fuzz-common.h"

static guint n_run;

static void
run_file (const char *path, const char *prefix)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *base = g_path_get_basename (path);
  gsize            length = 0;
  guint8          *copy;

  if (prefix != NULL && !g_str_has_prefix (base, prefix))
    return;
  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s", error->message);

  /* An exact-size copy, as libFuzzer passes it: reading past the end is caught. */
  copy = g_malloc (MAX (length, 1));
  memcpy (copy, contents, length);
  LLVMFuzzerTestOneInput (copy, length);
  g_free (copy);
  printf ("ok %u - %s\n", ++n_run, path);
  fflush (stdout);
}

static int
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
run_path (const char *path, const char *prefix)
{
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      run_file (path, NULL);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    g_error ("Cannot read %s", path);
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && !g_str_has_suffix (name, ".md"))
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    run_file (g_ptr_array_index (names, i), prefix);
}

/* fuzz-replay-TARGET [--prefix NAME] PATH...: with --prefix, files in the directories that
 * follow run only if their name starts with NAME (the regressions of this target). */
int
main (int argc, char *argv[])
{
  const char *prefix = NULL;

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--prefix") && i + 1 < argc)
        {
          prefix = argv[++i];
          continue;
        }
      run_path (argv[i], prefix);
    }
  if (n_run == 0)
    {
      printf ("1..0 # SKIP no inputs\n");
      return 0;
    }
  printf ("1..%u\n", n_run);
  return 0;
}

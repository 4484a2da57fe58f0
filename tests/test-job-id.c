/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "drs-job-id.h"
#include "drs-test-utils.h"

static void
test_valid (void)
{
  static const char *const good[] = {
    "8d0e8e36-a618-490d-8a46-8c61ac9jb502", /* the API page's examples */
    "edae91cb-5892-49b6-a529-4921fb26jb21",   "f95c5d83-d0c9-42bd-b295-38c31cd1jb15",
    "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",   /* a plain UUID */
    "db125079-9e71-40e8-8b3c-81b1951ef9jb04", /* "jbNN" after all 12 digits */
  };
  static const char *const bad[] = {
    "",
    "8d0e8e36",
    "8d0e8e36-a618-490d-8a46-8c61ac9jb50",       /* last group too short */
    "8d0e8e36-a618-490d-8a46-8c61ac9jb50222222", /* too long */
    "8D0E8E36-A618-490D-8A46-8C61AC9JB502",      /* upper case is not what is sent */
    "8d0e8e36-a618-490d-8a46-8c61ac9jb502 ",     /* trailing space */
    "8d0e8e36_a618_490d_8a46_8c61ac9jb502",
    "zd0e8e36-a618-490d-8a46-8c61ac9jb502", /* letters beyond f only in the last group */
    "8d0e8e36-a618-490d-8a46-8c61ac9jb50!",
    "8d0e8e36-a618-490d-8a468-c61ac9jb502",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (drs_job_id_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("bad %u: '%s'", i, bad[i]);
      g_assert_false (drs_job_id_is_valid (bad[i]));
    }
  g_assert_false (drs_job_id_is_valid (NULL));
}

static void
test_normalize (void)
{
  g_autofree char *a = drs_job_id_normalize ("  8D0E8E36-A618-490D-8A46-8C61AC9JB502\t");
  g_autofree char *b = drs_job_id_normalize ("\"edae91cb-5892-49b6-a529-4921fb26jb21\"");
  g_autofree char *c = drs_job_id_normalize ("not-an-id");

  g_assert_cmpstr (a, ==, "8d0e8e36-a618-490d-8a46-8c61ac9jb502");
  g_assert_cmpstr (b, ==, "edae91cb-5892-49b6-a529-4921fb26jb21");
  g_assert_null (c);
}

static void
assert_strings (GPtrArray *array, const char *const *expected)
{
  guint n = expected != NULL ? g_strv_length ((char **) expected) : 0;

  g_assert_cmpuint (array->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (array, i), ==, expected[i]);
}

static void
test_parse_list (void)
{
  const char *text =
      "8d0e8e36-a618-490d-8a46-8c61ac9jb502\n"
      "edae91cb-5892-49b6-a529-4921fb26jb21, f95c5d83-d0c9-42bd-b295-38c31cd1jb15\r\n"
      "\n"
      "  hello;8D0E8E36-A618-490D-8A46-8C61AC9JB502 12345\t"
      "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9,,\n";
  static const char *const valid[] = {
    "8d0e8e36-a618-490d-8a46-8c61ac9jb502",
    "edae91cb-5892-49b6-a529-4921fb26jb21",
    "f95c5d83-d0c9-42bd-b295-38c31cd1jb15",
    NULL,
  };
  static const char *const invalid[] = { "hello", "12345", NULL };
  static const char *const duplicates[] = {
    "8d0e8e36-a618-490d-8a46-8c61ac9jb502",
    "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
    NULL,
  };
  g_autoptr (GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (DrsJobIdList) list = NULL;
  g_autoptr (DrsJobIdList) copy = NULL;
  g_autofree char *description = NULL;

  g_hash_table_add (known, (gpointer) "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9");
  list = drs_job_id_parse_list (text, known);
  assert_strings (list->valid, valid);
  assert_strings (list->invalid, invalid);
  assert_strings (list->duplicates, duplicates);

  copy = drs_job_id_list_copy (list);
  assert_strings (copy->valid, valid);

  description = drs_job_id_list_describe (list);
  g_assert_cmpstr (
      description, ==,
      "3 tasks to add, 2 duplicates ignored, 2 entries are not task IDs: hello, 12345");
}

static void
test_parse_json_array (void)
{
  g_autoptr (DrsJobIdList) list = NULL;
  g_autoptr (DrsJobIdList) empty = NULL;
  g_autofree char *description = NULL;

  list = drs_job_id_parse_list (
      "[ \"8d0e8e36-a618-490d-8a46-8c61ac9jb502\" ]\n[\"edae91cb-5892-49b6-a529-4921fb26jb21\"]",
      NULL);
  g_assert_cmpuint (list->valid->len, ==, 2);
  g_assert_cmpuint (list->invalid->len, ==, 0);

  empty = drs_job_id_parse_list ("  \n ,, ", NULL);
  g_assert_cmpuint (empty->valid->len, ==, 0);
  g_assert_cmpuint (empty->invalid->len, ==, 0);
  g_assert_cmpuint (empty->duplicates->len, ==, 0);
  description = drs_job_id_list_describe (empty);
  g_assert_cmpstr (description, ==, "0 tasks to add");
}

/* Under AddressSanitizer, unwind every allocation fully: GLib is built without frame pointers,
 * and LeakSanitizer can only match its own leaks (build-aux/lsan.supp) on whole stacks. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  g_test_add_func ("/job-id/valid", test_valid);
  g_test_add_func ("/job-id/normalize", test_normalize);
  g_test_add_func ("/job-id/parse-list", test_parse_list);
  g_test_add_func ("/job-id/parse-json-array", test_parse_json_array);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target: drs_job_id_parse_list(), the add dialog's parser of pasted text. The text a
 * GtkTextView hands over is UTF-8 without NUL bytes, so the input is made so first. */
#define G_LOG_DOMAIN "drs-fuzz"

#include "config.h"

#include "drs-job-id.h"
#include "fuzz-common.h"

#define KNOWN_ID "8d0e8e36-a618-490d-8a46-8c61ac9jb502"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  drs_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *bytes = g_strndup ((const char *) data, size);
  g_autofree char *text = g_utf8_make_valid (bytes, -1);
  g_autofree char *describe = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr (GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (DrsJobIdList) list = NULL;
  g_autoptr (DrsJobIdList) copy = NULL;

  g_hash_table_add (known, (gpointer) KNOWN_ID);
  list = drs_job_id_parse_list (text, known);
  g_assert (list != NULL);

  /* Valid ids are well-formed, unique, and never one already watched. */
  for (guint i = 0; i < list->valid->len; i++)
    {
      const char      *id = g_ptr_array_index (list->valid, i);
      g_autofree char *again = drs_job_id_normalize (id);

      g_assert (drs_job_id_is_valid (id));
      g_assert (!g_hash_table_contains (known, id));
      g_assert (g_hash_table_add (seen, (gpointer) id));
      /* Normalising is idempotent. */
      g_assert_cmpstr (again, ==, id);
    }
  for (guint i = 0; i < list->duplicates->len; i++)
    g_assert (drs_job_id_is_valid (g_ptr_array_index (list->duplicates, i)));
  for (guint i = 0; i < list->invalid->len; i++)
    drs_fuzz_assert_text (g_ptr_array_index (list->invalid, i));

  copy = drs_job_id_list_copy (list);
  g_assert_cmpuint (copy->valid->len, ==, list->valid->len);
  g_assert_cmpuint (copy->invalid->len, ==, list->invalid->len);
  g_assert_cmpuint (copy->duplicates->len, ==, list->duplicates->len);

  describe = drs_job_id_list_describe (list);
  drs_fuzz_assert_text (describe);

  normalized = drs_job_id_normalize (text);
  if (normalized != NULL)
    g_assert (drs_job_id_is_valid (normalized));
  return 0;
}

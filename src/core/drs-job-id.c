/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-job-id"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "drs-job-id.h"

/*
 * A DRS task id has the shape of a UUID: groups of 8-4-4-4 hexadecimal digits and a last group
 * joined by '-'. In real ids the last group is the UUID's 12 hex digits with a "jb" marker and
 * a counter ("8d0e8e36-a618-490d-8a46-8c61ac9jb502"); some ids append "jbNN" to all 12 digits
 * (14 characters, as the simulator writes them). So the last group accepts 12–16 lower-case
 * letters or digits. The service writes ids in lower case; pasted upper case is folded.
 */

static const guint group_lengths[] = { 8, 4, 4, 4 };

#define LAST_GROUP_MIN 12
#define LAST_GROUP_MAX 16

/**
 * drs_job_id_is_valid:
 * @id: (nullable): a candidate id, exactly as it would be sent
 *
 * Returns: %TRUE if @id has the DRS task id format (lower case, no surrounding spaces)
 */
gboolean
drs_job_id_is_valid (const char *id)
{
  const char *p = id;
  guint       n = 0;

  if (id == NULL)
    return FALSE;

  for (guint g = 0; g < G_N_ELEMENTS (group_lengths); g++)
    {
      for (guint i = 0; i < group_lengths[g]; i++, p++)
        if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
          return FALSE;
      if (*p++ != '-')
        return FALSE;
    }

  for (; *p != '\0'; p++, n++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'z'))
      return FALSE;
  return n >= LAST_GROUP_MIN && n <= LAST_GROUP_MAX;
}

/**
 * drs_job_id_normalize:
 * @text: one word the user typed or pasted
 *
 * Trims spaces and quotes and folds case.
 *
 * Returns: (transfer full) (nullable): the id, or %NULL if @text is not a DRS task id
 */
char *
drs_job_id_normalize (const char *text)
{
  g_autofree char *copy = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  copy = g_strstrip (g_strdup (text));
  g_strdelimit (copy, "\"'`[]", ' ');
  g_strstrip (copy);
  lower = g_ascii_strdown (copy, -1);
  if (!drs_job_id_is_valid (lower))
    return NULL;
  return g_steal_pointer (&lower);
}

static DrsJobIdList *
drs_job_id_list_new (void)
{
  DrsJobIdList *list = g_new0 (DrsJobIdList, 1);

  list->valid = g_ptr_array_new_with_free_func (g_free);
  list->invalid = g_ptr_array_new_with_free_func (g_free);
  list->duplicates = g_ptr_array_new_with_free_func (g_free);
  return list;
}

/**
 * drs_job_id_parse_list:
 * @text: pasted text: ids one a line, or separated by commas, semicolons or spaces
 * @known: (nullable) (element-type utf8 gpointer): ids already watched; they count as duplicates
 *
 * Splits @text into words and sorts them into valid ids (each once, in the order given),
 * words that are not ids, and ids that were given twice or are already in @known.
 *
 * Returns: (transfer full): the three lists; free with drs_job_id_list_free()
 */
DrsJobIdList *
drs_job_id_parse_list (const char *text, GHashTable *known)
{
  g_autoptr (GHashTable) seen = NULL;
  g_auto (GStrv) words = NULL;
  DrsJobIdList *list;

  g_return_val_if_fail (text != NULL, NULL);

  list = drs_job_id_list_new ();
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  words = g_regex_split_simple ("[\\s,;]+", text, 0, 0);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *id = NULL;

      if (words[i][0] == '\0')
        continue;

      id = drs_job_id_normalize (words[i]);
      if (id == NULL)
        {
          /* Quotes alone (from a pasted JSON array) are no mistake. */
          g_autofree char *bare = g_strstrip (g_strdelimit (g_strdup (words[i]), "\"'`[]", ' '));

          if (*bare != '\0')
            g_ptr_array_add (list->invalid, g_strdup (words[i]));
          continue;
        }

      if (g_hash_table_contains (seen, id) || (known != NULL && g_hash_table_contains (known, id)))
        {
          g_ptr_array_add (list->duplicates, g_steal_pointer (&id));
          continue;
        }

      g_hash_table_add (seen, g_strdup (id));
      g_ptr_array_add (list->valid, g_steal_pointer (&id));
    }

  return list;
}

static GPtrArray *
copy_strings (GPtrArray *array)
{
  GPtrArray *copy = g_ptr_array_new_full (array->len, g_free);

  for (guint i = 0; i < array->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (array, i)));
  return copy;
}

DrsJobIdList *
drs_job_id_list_copy (const DrsJobIdList *list)
{
  DrsJobIdList *copy;

  g_return_val_if_fail (list != NULL, NULL);

  copy = g_new0 (DrsJobIdList, 1);
  copy->valid = copy_strings (list->valid);
  copy->invalid = copy_strings (list->invalid);
  copy->duplicates = copy_strings (list->duplicates);
  return copy;
}

void
drs_job_id_list_free (DrsJobIdList *list)
{
  if (list == NULL)
    return;
  g_clear_pointer (&list->valid, g_ptr_array_unref);
  g_clear_pointer (&list->invalid, g_ptr_array_unref);
  g_clear_pointer (&list->duplicates, g_ptr_array_unref);
  g_free (list);
}

/**
 * drs_job_id_list_describe:
 *
 * Returns: (transfer full): a translated sentence such as "3 tasks to add, 1 duplicate
 *   ignored, 2 entries are not task IDs: foo, bar"
 */
char *
drs_job_id_list_describe (const DrsJobIdList *list)
{
  GString *text;

  g_return_val_if_fail (list != NULL, NULL);

  text = g_string_new (NULL);
  g_string_append_printf (
      text, g_dngettext (GETTEXT_PACKAGE, "%u task to add", "%u tasks to add", list->valid->len),
      list->valid->len);

  if (list->duplicates->len > 0)
    {
      g_string_append (text, _ (", "));
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "%u duplicate ignored",
                                           "%u duplicates ignored", list->duplicates->len),
                              list->duplicates->len);
    }

  if (list->invalid->len > 0)
    {
      g_autoptr (GString) joined = g_string_new (NULL);

      for (guint i = 0; i < list->invalid->len; i++)
        {
          if (i > 0)
            g_string_append (joined, _ (", "));
          g_string_append (joined, g_ptr_array_index (list->invalid, i));
        }

      g_string_append (text, _ (", "));
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "%u entry is not a task ID: %s",
                                           "%u entries are not task IDs: %s", list->invalid->len),
                              list->invalid->len, joined->str);
    }

  return g_string_free (text, FALSE);
}

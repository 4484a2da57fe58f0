/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The stable names of our enums are their nicks (set in the headers, registered by
 * gnome.mkenums_simple): one table, read both ways. */
#define G_LOG_DOMAIN "drs-enum"

#include "config.h"

#include "drs-enum-nick.h"

/**
 * drs_enum_to_nick:
 * @enum_type: a registered enum type
 *
 * Returns: (nullable): the nick of @value, %NULL when @value is not one of the type's
 */
const char *
drs_enum_to_nick (GType enum_type, int value)
{
  /* Enum classes are static: the reference is never dropped. */
  GEnumClass *klass = g_type_class_ref (enum_type);
  GEnumValue *found = g_enum_get_value (klass, value);

  return found != NULL ? found->value_nick : NULL;
}

/**
 * drs_enum_from_nick:
 * @enum_type: a registered enum type
 * @nick: (nullable): a nick
 * @value: (out): where the value goes
 *
 * Returns: whether @nick names a value of the type
 */
gboolean
drs_enum_from_nick (GType enum_type, const char *nick, int *value)
{
  GEnumClass *klass;
  GEnumValue *found;

  if (nick == NULL)
    return FALSE;
  klass = g_type_class_ref (enum_type);
  found = g_enum_get_value_by_nick (klass, nick);
  if (found == NULL)
    return FALSE;
  *value = found->value;
  return TRUE;
}

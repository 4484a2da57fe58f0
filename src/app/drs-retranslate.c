/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-retranslate"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-retranslate.h"

/**
 * DrsRetranslator:
 *
 * Switching the language live: GtkBuilder translates a template's strings once, when it builds
 * it. A retranslator reads the same `.ui` resource, remembers every translatable property of every
 * object with an id (and of the template itself), and sets them again in the language now in
 * force. Accessible labels and descriptions are updated too. Objects are found by the id GtkBuilder
 * gave them, under the widget.
 */

#define TEMPLATE_ID "\x01template"

typedef struct
{
  char    *object_id;
  char    *property;
  char    *context;
  char    *text;
  gboolean accessible;
} Entry;

struct _DrsRetranslator
{
  GArray *entries; /* Entry */
};

typedef struct
{
  DrsRetranslator *self;
  GPtrArray       *objects; /* stack of ids (nullable) */
  GString         *text;
  char            *property;
  char            *context;
  gboolean         translatable;
  guint            accessibility_depth;
} Parser;

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_free (entry->object_id);
  g_free (entry->property);
  g_free (entry->context);
  g_free (entry->text);
}

static const char *
attribute (const char **names, const char **values, const char *name)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], name))
      return values[i];
  return NULL;
}

static gboolean
is_true (const char *value)
{
  return value != NULL && (g_ascii_strcasecmp (value, "yes") == 0 ||
                           g_ascii_strcasecmp (value, "true") == 0 || g_str_equal (value, "1"));
}

static void
start_element (GMarkupParseContext *context,
               const char          *element,
               const char         **names,
               const char         **values,
               gpointer             user_data,
               GError             **error)
{
  Parser *parser = user_data;

  if (g_str_equal (element, "template"))
    g_ptr_array_add (parser->objects, g_strdup (TEMPLATE_ID));
  else if (g_str_equal (element, "object") || g_str_equal (element, "menu"))
    g_ptr_array_add (parser->objects, g_strdup (attribute (names, values, "id")));
  else if (g_str_equal (element, "accessibility"))
    parser->accessibility_depth++;
  else if (g_str_equal (element, "property"))
    {
      parser->translatable = is_true (attribute (names, values, "translatable"));
      g_free (parser->property);
      parser->property = g_strdup (attribute (names, values, "name"));
      g_free (parser->context);
      parser->context = g_strdup (attribute (names, values, "context"));
      g_string_truncate (parser->text, 0);
    }
}

static void
end_element (GMarkupParseContext *context, const char *element, gpointer user_data, GError **error)
{
  Parser *parser = user_data;

  if (g_str_equal (element, "template") || g_str_equal (element, "object") ||
      g_str_equal (element, "menu"))
    g_ptr_array_set_size (parser->objects, parser->objects->len - 1);
  else if (g_str_equal (element, "accessibility"))
    parser->accessibility_depth--;
  else if (g_str_equal (element, "property") && parser->translatable && parser->objects->len > 0)
    {
      const char *id = parser->objects->pdata[parser->objects->len - 1];
      Entry       entry = { 0 };

      parser->translatable = FALSE;
      if (id == NULL || parser->property == NULL || parser->text->len == 0)
        return;
      entry.object_id = g_strdup (id);
      entry.property = g_strdup (parser->property);
      entry.context = g_strdup (parser->context);
      entry.text = g_strdup (parser->text->str);
      entry.accessible = parser->accessibility_depth > 0;
      g_array_append_val (parser->self->entries, entry);
    }
}

static void
text (GMarkupParseContext *context,
      const char          *text,
      gsize                text_len,
      gpointer             user_data,
      GError             **error)
{
  Parser *parser = user_data;

  if (parser->translatable)
    g_string_append_len (parser->text, text, text_len);
}

/**
 * drs_retranslator_new:
 * @resource_path: the template's `.ui` in the application's resources
 *
 * Returns: (transfer full): the retranslator
 */
DrsRetranslator *
drs_retranslator_new (const char *resource_path)
{
  static const GMarkupParser markup_parser = { start_element, end_element, text, NULL, NULL };
  DrsRetranslator           *self = g_new0 (DrsRetranslator, 1);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMarkupParseContext) context = NULL;
  Parser      parser = { 0 };
  gsize       len;
  const char *data;

  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);

  bytes = g_resources_lookup_data (resource_path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    {
      g_critical ("Cannot read %s: %s", resource_path, error->message);
      return self;
    }

  parser.self = self;
  parser.objects = g_ptr_array_new_with_free_func (g_free);
  parser.text = g_string_new (NULL);
  context = g_markup_parse_context_new (&markup_parser, 0, &parser, NULL);
  data = g_bytes_get_data (bytes, &len);
  if (!g_markup_parse_context_parse (context, data, len, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_critical ("Cannot parse %s: %s", resource_path, error->message);

  g_ptr_array_unref (parser.objects);
  g_string_free (parser.text, TRUE);
  g_free (parser.property);
  g_free (parser.context);
  return self;
}

/* Every widget under @widget that GtkBuilder gave an id, by id. */
static void
collect_ids (GtkWidget *widget, GHashTable *ids)
{
  const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));

  if (id != NULL)
    g_hash_table_insert (ids, (gpointer) id, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_ids (child, ids);
}

static const char *
translate (const Entry *entry)
{
  if (entry->context != NULL)
    return g_dpgettext2 (GETTEXT_PACKAGE, entry->context, entry->text);
  return g_dgettext (GETTEXT_PACKAGE, entry->text);
}

/**
 * drs_retranslator_apply:
 * @widget: an instance of @template_type
 *
 * Returns: how many strings were set
 */
guint
drs_retranslator_apply (DrsRetranslator *self, GtkWidget *widget, GType template_type)
{
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = 0;

  collect_ids (widget, ids);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);
      GObject     *object;

      if (g_str_equal (entry->object_id, TEMPLATE_ID))
        object = G_OBJECT (widget);
      else
        object = g_hash_table_lookup (ids, entry->object_id);
      if (object == NULL)
        continue;

      if (entry->accessible)
        {
          GtkAccessibleProperty property = g_str_equal (entry->property, "description")
                                               ? GTK_ACCESSIBLE_PROPERTY_DESCRIPTION
                                               : GTK_ACCESSIBLE_PROPERTY_LABEL;

          if (GTK_IS_ACCESSIBLE (object))
            gtk_accessible_update_property (GTK_ACCESSIBLE (object), property, translate (entry),
                                            -1);
        }
      else if (g_object_class_find_property (G_OBJECT_GET_CLASS (object), entry->property))
        g_object_set (object, entry->property, translate (entry), NULL);
      else
        continue;
      n++;
    }
  return n;
}

guint
drs_retranslator_get_n_strings (DrsRetranslator *self)
{
  return self->entries->len;
}

void
drs_retranslator_free (DrsRetranslator *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->entries, g_array_unref);
  g_free (self);
}

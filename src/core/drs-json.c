/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-json"

#include "config.h"

#include "drs-json.h"

/*
 * JSON for the small exchanges around batch-progress (the job list, actions, IAM): request
 * bodies written with JsonBuilder, so every string is escaped by json-glib and never by hand;
 * answers read leniently, every node's type checked before use. batch-progress answers have
 * their own, stricter reader (drs-progress-parser.c).
 */

/**
 * drs_json_builder_to_bytes:
 * @builder: a builder holding a complete document
 *
 * Returns: (transfer full): the document as compact JSON text, for a request body
 */
GBytes *
drs_json_builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  gsize length = 0;
  char *text;

  g_return_val_if_fail (JSON_IS_BUILDER (builder), NULL);

  root = json_builder_get_root (builder);
  g_return_val_if_fail (root != NULL, NULL);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/**
 * drs_json_parse_object:
 * @parser: the parser that will own the document
 * @body: (nullable): a response body
 *
 * Returns: (transfer none) (nullable): the top-level object of @body, owned by @parser; %NULL
 *   when @body is empty, not UTF-8, not JSON, or not an object
 */
JsonObject *
drs_json_parse_object (JsonParser *parser, GBytes *body)
{
  const char *text;
  gsize       length = 0;
  JsonNode   *root;

  g_return_val_if_fail (JSON_IS_PARSER (parser), NULL);

  text = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  if (text == NULL || length == 0 || !g_utf8_validate_len (text, length, NULL) ||
      !json_parser_load_from_data (parser, text, (gssize) length, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_get_object (root);
}

/**
 * drs_json_object_get_object:
 *
 * Returns: (transfer none) (nullable): the member @name when it is an object
 */
JsonObject *
drs_json_object_get_object (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/**
 * drs_json_object_get_array:
 *
 * Returns: (transfer none) (nullable): the member @name when it is an array
 */
JsonArray *
drs_json_object_get_array (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/**
 * drs_json_object_get_string:
 *
 * The text as json-glib decoded it: an escaped lone surrogate (`"\ud83d"`) decodes to bytes
 * that are not UTF-8. drs_json_object_dup_string() mends them.
 *
 * Returns: (transfer none) (nullable): the member @name when it is a string
 */
const char *
drs_json_object_get_string (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * drs_json_object_dup_string:
 *
 * Returns: (transfer full) (nullable): the member @name when it is a string, made valid UTF-8
 */
char *
drs_json_object_dup_string (JsonObject *object, const char *name)
{
  const char *text = drs_json_object_get_string (object, name);

  return text != NULL ? g_utf8_make_valid (text, -1) : NULL;
}

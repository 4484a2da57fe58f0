/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* clang-format off */
GBytes     *drs_json_builder_to_bytes   (JsonBuilder  *builder);

JsonObject *drs_json_parse_object       (JsonParser   *parser,
                                         GBytes       *body);
JsonObject *drs_json_object_get_object  (JsonObject   *object,
                                         const char   *name);
JsonArray  *drs_json_object_get_array   (JsonObject   *object,
                                         const char   *name);
const char *drs_json_object_get_string  (JsonObject   *object,
                                         const char   *name);
char       *drs_json_object_dup_string  (JsonObject   *object,
                                         const char   *name);
/* clang-format on */

G_END_DECLS

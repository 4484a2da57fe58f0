/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* clang-format off */
gboolean drs_sim_json_holds      (JsonNode *node,
                                  GType     type);
gboolean drs_sim_json_get_number (JsonNode *node,
                                  double   *out);
/* clang-format on */

G_END_DECLS

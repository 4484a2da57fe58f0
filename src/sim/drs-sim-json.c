/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include <math.h>

#include "drs-sim-json.h"

/*
 * Strict reading of the JSON the simulator receives (requests, control bodies, scenario files):
 * a value counts only when it is there and of the expected type. Members of other kinds are read
 * with drs-json.h.
 */

/**
 * drs_sim_json_holds:
 * @node: (nullable): a node
 * @type: %G_TYPE_STRING, %G_TYPE_INT64, %G_TYPE_DOUBLE or %G_TYPE_BOOLEAN
 *
 * Returns: whether @node is a value of @type
 */
gboolean
drs_sim_json_holds (JsonNode *node, GType type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/**
 * drs_sim_json_get_number:
 * @node: (nullable): a node
 * @out: (out): its value
 *
 * Returns: whether @node is a finite number, integer or not
 */
gboolean
drs_sim_json_get_number (JsonNode *node, double *out)
{
  if (drs_sim_json_holds (node, G_TYPE_INT64))
    *out = (double) json_node_get_int (node);
  else if (drs_sim_json_holds (node, G_TYPE_DOUBLE))
    *out = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*out);
}

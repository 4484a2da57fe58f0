/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "drs-sim-scenario.h"
#include "drs-task-action.h"

G_BEGIN_DECLS

typedef struct _DrsSimActions DrsSimActions;

/**
 * DrsSimRefusal:
 * @code: the DRS error code of a request refused whole (answered 400)
 * @detail: (nullable): what is wrong with it
 */
typedef struct
{
  const char *code;
  const char *detail;
} DrsSimRefusal;

/* clang-format off */
DrsSimActions *drs_sim_actions_new             (DrsSimScenario    *scenario);
void           drs_sim_actions_free            (DrsSimActions     *self);
void           drs_sim_actions_reset           (DrsSimActions     *self,
                                                DrsSimScenario    *scenario);
const char    *drs_sim_actions_get_status      (DrsSimActions     *self,
                                                guint              index,
                                                const DrsSimClock *clock);
JsonNode      *drs_sim_actions_build_progress  (DrsSimActions     *self,
                                                guint              index,
                                                const DrsSimClock *clock,
                                                gboolean           chinese);
JsonNode      *drs_sim_actions_build_list_item (DrsSimActions     *self,
                                                guint              index,
                                                const DrsSimClock *clock);
JsonNode      *drs_sim_actions_handle          (DrsSimActions     *self,
                                                gboolean           pause,
                                                JsonNode          *request,
                                                const DrsSimClock *clock,
                                                gboolean           chinese,
                                                DrsSimRefusal     *refusal);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsSimActions, drs_sim_actions_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "drs-sim-scenario.h"
#include "drs-task-action.h"

G_BEGIN_DECLS

typedef struct _DrsSimActions DrsSimActions;

/* clang-format off */
DrsSimActions *drs_sim_actions_new            (void);
void           drs_sim_actions_free           (DrsSimActions     *self);
void           drs_sim_actions_reset          (DrsSimActions     *self);
const char    *drs_sim_actions_get_status     (DrsSimActions     *self,
                                               DrsSimScenario    *scenario,
                                               guint              index,
                                               const DrsSimClock *clock);
JsonNode      *drs_sim_actions_build_progress (DrsSimActions     *self,
                                               DrsSimScenario    *scenario,
                                               guint              index,
                                               const DrsSimClock *clock,
                                               gboolean           chinese);
JsonNode      *drs_sim_actions_build_list_item (DrsSimActions    *self,
                                               DrsSimScenario    *scenario,
                                               guint              index,
                                               const DrsSimClock *clock);
JsonNode      *drs_sim_actions_handle         (DrsSimActions     *self,
                                               DrsSimScenario    *scenario,
                                               gboolean           pause,
                                               JsonNode          *request,
                                               const DrsSimClock *clock,
                                               gboolean           chinese,
                                               const char       **error_code,
                                               const char       **error_detail);
guint          drs_sim_actions_get_n_applied  (DrsSimActions     *self);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsSimActions, drs_sim_actions_free)

G_END_DECLS

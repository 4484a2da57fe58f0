/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "drs-action-dialog.h"
#include "drs-details.h"
#include "drs-session.h"
#include "drs-task-action.h"

G_BEGIN_DECLS

#define DRS_TYPE_TASK_ACTIONS (drs_task_actions_get_type ())

G_DECLARE_FINAL_TYPE (DrsTaskActions, drs_task_actions, DRS, TASK_ACTIONS, GObject)

/* clang-format off */
DrsTaskActions  *drs_task_actions_new              (GtkWindow          *window,
                                                    GtkSelectionModel  *selection,
                                                    DrsSession         *session);
void             drs_task_actions_set_details      (DrsTaskActions     *self,
                                                    DrsDetails         *details);
void             drs_task_actions_update           (DrsTaskActions     *self);
GPtrArray       *drs_task_actions_get_selected     (DrsTaskActions     *self);
DrsActionDialog *drs_task_actions_confirm          (DrsTaskActions     *self,
                                                    DrsTaskAction       action,
                                                    GPtrArray          *jobs);
DrsActionDialog *drs_task_actions_confirm_ids      (DrsTaskActions     *self,
                                                    DrsTaskAction       action,
                                                    const char * const *job_ids);
DrsActionDialog *drs_task_actions_get_dialog       (DrsTaskActions     *self);
guint            drs_task_actions_get_n_running    (DrsTaskActions     *self);
gboolean         drs_task_actions_get_enabled      (DrsTaskActions     *self,
                                                    DrsTaskAction       action);
char            *drs_task_actions_describe_result  (DrsActionResult    *result);
/* clang-format on */

G_END_DECLS

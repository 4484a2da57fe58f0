/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "drs-job.h"
#include "drs-task-action.h"

G_BEGIN_DECLS

#define DRS_TYPE_ACTION_DIALOG (drs_action_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DrsActionDialog, drs_action_dialog, DRS, ACTION_DIALOG, AdwMessageDialog)

/* The response that carries out the action; "cancel" does nothing. */
#define DRS_ACTION_DIALOG_RESPONSE_ACT "act"

/* clang-format off */
DrsActionDialog    *drs_action_dialog_new            (GtkWindow       *parent,
                                                      DrsTaskAction    action,
                                                      GPtrArray       *jobs,
                                                      guint            n_left_alone);
DrsTaskAction       drs_action_dialog_get_action     (DrsActionDialog *self);
const char      *drs_action_dialog_get_names      (DrsActionDialog *self);
const char * const *drs_action_dialog_get_job_ids    (DrsActionDialog *self);
DrsPauseMode        drs_action_dialog_get_pause_mode (DrsActionDialog *self);
void                drs_action_dialog_set_pause_mode (DrsActionDialog *self,
                                                      DrsPauseMode     mode);
char               *drs_action_dialog_name_list      (GPtrArray       *jobs);
/* clang-format on */

G_END_DECLS

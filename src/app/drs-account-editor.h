/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "drs-session.h"

G_BEGIN_DECLS

#define DRS_TYPE_ACCOUNT_EDITOR (drs_account_editor_get_type ())

G_DECLARE_FINAL_TYPE (DrsAccountEditor, drs_account_editor, DRS, ACCOUNT_EDITOR, AdwBin)

/* clang-format off */
DrsAccountEditor *drs_account_editor_new              (DrsSession       *session,
                                                       const char       *account);
DrsAccountEditor *drs_account_editor_rebuild          (DrsAccountEditor *old);
const char       *drs_account_editor_get_account      (DrsAccountEditor *self);
void              drs_account_editor_set_field        (DrsAccountEditor *self,
                                                       const char       *field,
                                                       const char       *value);
const char       *drs_account_editor_get_field        (DrsAccountEditor *self,
                                                       const char       *field);
void              drs_account_editor_test_connection  (DrsAccountEditor *self);
void              drs_account_editor_look_up_project  (DrsAccountEditor *self);
void              drs_account_editor_save             (DrsAccountEditor *self);
AdwMessageDialog *drs_account_editor_remove_account   (DrsAccountEditor *self);
gboolean          drs_account_editor_get_busy         (DrsAccountEditor *self);
const char       *drs_account_editor_get_status       (DrsAccountEditor *self,
                                                       gboolean         *success);
const char       *drs_account_editor_get_secrets_note (DrsAccountEditor *self);
void              drs_account_editor_close            (DrsAccountEditor *self);
/* clang-format on */

G_END_DECLS

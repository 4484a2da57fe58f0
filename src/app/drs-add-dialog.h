/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "drs-session.h"

G_BEGIN_DECLS

#define DRS_TYPE_ADD_DIALOG (drs_add_dialog_get_type ())

G_DECLARE_FINAL_TYPE (DrsAddDialog, drs_add_dialog, DRS, ADD_DIALOG, AdwWindow)

/* clang-format off */
DrsAddDialog *drs_add_dialog_new              (DrsSession     *session);
DrsAddDialog *drs_add_dialog_rebuild          (DrsAddDialog   *old);
void          drs_add_dialog_set_text         (DrsAddDialog   *self,
                                               const char     *text);
const char   *drs_add_dialog_get_summary      (DrsAddDialog   *self);
guint         drs_add_dialog_get_n_valid      (DrsAddDialog   *self);
void          drs_add_dialog_load_project     (DrsAddDialog   *self);
guint         drs_add_dialog_get_n_importable (DrsAddDialog   *self);
guint         drs_add_dialog_get_n_listed     (DrsAddDialog   *self);
guint         drs_add_dialog_get_n_checked    (DrsAddDialog   *self);
guint         drs_add_dialog_add              (DrsAddDialog   *self);
GtkTextView  *drs_add_dialog_get_text_view    (DrsAddDialog   *self);
GtkListBox   *drs_add_dialog_get_marks_list   (DrsAddDialog   *self);
GtkListBox   *drs_add_dialog_get_import_list  (DrsAddDialog   *self);
void          drs_add_dialog_set_filter       (DrsAddDialog   *self,
                                               const char     *text);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DRS_TYPE_DURATION_ROW (drs_duration_row_get_type ())

G_DECLARE_FINAL_TYPE (DrsDurationRow, drs_duration_row, DRS, DURATION_ROW, AdwActionRow)

/* clang-format off */
GtkWidget     *drs_duration_row_new              (void);
guint          drs_duration_row_get_seconds      (DrsDurationRow *self);
void           drs_duration_row_set_seconds      (DrsDurationRow *self,
                                                  guint           seconds);
guint          drs_duration_row_get_unit         (DrsDurationRow *self);
GtkSpinButton *drs_duration_row_get_spin_button  (DrsDurationRow *self);
GtkDropDown   *drs_duration_row_get_unit_dropdown (DrsDurationRow *self);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* clang-format off */
void        drs_i18n_init             (void);
const char *drs_i18n_resolve          (const char *choice);
gboolean    drs_i18n_apply            (const char *choice);
const char *drs_i18n_get_language     (void);
const char *drs_i18n_get_x_language   (void);
GtkWidget  *drs_i18n_language_row_new (GSettings  *settings);
void        drs_i18n_language_row_unbind (GtkWidget *row);
/* clang-format on */

G_END_DECLS

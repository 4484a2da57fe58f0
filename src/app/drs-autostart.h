/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DRS_TYPE_AUTOSTART (drs_autostart_get_type ())

G_DECLARE_FINAL_TYPE (DrsAutostart, drs_autostart, DRS, AUTOSTART, GObject)

/* clang-format off */
DrsAutostart *drs_autostart_new                 (GtkApplication *application,
                                                 GSettings      *settings);
DrsAutostart *drs_autostart_get_for_application (GtkApplication *application);
const char   *drs_autostart_get_note            (DrsAutostart   *self);
gboolean      drs_autostart_get_busy            (DrsAutostart   *self);
gboolean      drs_autostart_get_uses_file       (DrsAutostart   *self);
char         *drs_autostart_get_file_path       (void);
void          drs_autostart_request_permission  (DrsAutostart   *self);
/* clang-format on */

G_END_DECLS

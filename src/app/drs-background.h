/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "drs-autostart.h"
#include "drs-notifier.h"
#include "drs-session.h"

G_BEGIN_DECLS

#define DRS_TYPE_BACKGROUND (drs_background_get_type ())

G_DECLARE_FINAL_TYPE (DrsBackground, drs_background, DRS, BACKGROUND, GObject)

/* clang-format off */
DrsBackground *drs_background_new           (GtkApplication *application,
                                             GSettings      *settings);
void           drs_background_set_notifier  (DrsBackground  *self,
                                             DrsNotifier    *notifier);
void           drs_background_set_session   (DrsBackground  *self,
                                             DrsSession     *session);
void           drs_background_set_restart   (DrsBackground  *self,
                                             const char *const *argv);
void           drs_background_start_hidden  (DrsBackground  *self);
void           drs_background_quit          (DrsBackground  *self);
gboolean       drs_background_get_watching  (DrsBackground  *self);
guint          drs_background_get_n_notices (DrsBackground  *self);
DrsAutostart  *drs_background_get_autostart (DrsBackground  *self);
/* clang-format on */

G_END_DECLS

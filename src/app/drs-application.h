/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "drs-background.h"
#include "drs-session.h"
#include "drs-simulator.h"

G_BEGIN_DECLS

#define DRS_TYPE_APPLICATION (drs_application_get_type ())

G_DECLARE_FINAL_TYPE (DrsApplication, drs_application, DRS, APPLICATION, AdwApplication)

/* The account name of the built-in simulator's tasks. */
#define DRS_DEMO_ACCOUNT "demo"

/* clang-format off */
DrsApplication *drs_application_new            (void);
DrsSession     *drs_application_get_session    (DrsApplication *self);
DrsSimulator   *drs_application_get_simulator  (DrsApplication *self);
DrsBackground  *drs_application_get_background (DrsApplication *self);
gboolean        drs_application_start_demo     (DrsApplication *self,
                                                GError        **error);
guint           drs_application_get_n_relabels (DrsApplication *self);
void            drs_application_set_restart    (DrsApplication *self,
                                                const char *const *argv);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "drs-accounts.h"
#include "drs-client.h"
#include "drs-history.h"
#include "drs-job-store.h"
#include "drs-monitor.h"

G_BEGIN_DECLS

#define DRS_TYPE_APPLICATION (drs_application_get_type ())

G_DECLARE_FINAL_TYPE (DrsApplication, drs_application, DRS, APPLICATION, AdwApplication)

/* The account name of the built-in simulator's tasks. */
#define DRS_DEMO_ACCOUNT "demo"

/* clang-format off */
DrsApplication *drs_application_new              (void);
DrsJobStore    *drs_application_get_store        (DrsApplication *self);
DrsMonitor     *drs_application_get_monitor      (DrsApplication *self);
DrsHistory     *drs_application_get_history      (DrsApplication *self);
GSettings      *drs_application_get_settings     (DrsApplication *self);
DrsClient      *drs_application_get_client       (DrsApplication *self,
                                                  const char     *account);
gboolean        drs_application_get_has_account  (DrsApplication *self);
const char     *drs_application_get_default_account (DrsApplication *self);
void            drs_application_set_client       (DrsApplication *self,
                                                  const char     *account,
                                                  DrsClient      *client);
gboolean        drs_application_start_demo       (DrsApplication *self,
                                                  GError        **error);
gpointer        drs_application_get_simulator    (DrsApplication *self);
guint           drs_application_add_jobs         (DrsApplication *self,
                                                  const char     *account,
                                                  const char * const *ids,
                                                  const char * const *names);
void            drs_application_remove_job       (DrsApplication *self,
                                                  const char     *job_id);
void            drs_application_restore_jobs     (DrsApplication *self,
                                                  GPtrArray      *jobs);
void            drs_application_set_language     (DrsApplication *self,
                                                  const char     *choice);
DrsAccounts    *drs_application_get_accounts     (DrsApplication *self);
DrsSecrets     *drs_application_get_secrets      (DrsApplication *self);
void            drs_application_reload_account   (DrsApplication *self,
                                                  const char     *name);
void            drs_application_remove_account   (DrsApplication *self,
                                                  const char     *name);
/* clang-format on */

G_END_DECLS

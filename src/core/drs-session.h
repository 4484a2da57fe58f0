/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-accounts.h"
#include "drs-client.h"
#include "drs-history.h"
#include "drs-job-store.h"
#include "drs-monitor.h"
#include "drs-secrets.h"
#include "drs-view-state.h"

G_BEGIN_DECLS

#define DRS_TYPE_SESSION (drs_session_get_type ())

G_DECLARE_FINAL_TYPE (DrsSession, drs_session, DRS, SESSION, GObject)

/* clang-format off */
DrsSession   *drs_session_new                 (GSettings          *settings,
                                               const char         *history_path);
void          drs_session_start               (DrsSession         *self);
void          drs_session_stop                (DrsSession         *self);
DrsJobStore  *drs_session_get_store           (DrsSession         *self);
DrsMonitor   *drs_session_get_monitor         (DrsSession         *self);
DrsHistory   *drs_session_get_history         (DrsSession         *self);
const GError *drs_session_get_history_error   (DrsSession         *self);
GSettings    *drs_session_get_settings        (DrsSession         *self);
DrsAccounts  *drs_session_get_accounts        (DrsSession         *self);
DrsSecrets   *drs_session_get_secrets         (DrsSession         *self);
DrsViewState *drs_session_get_view_state      (DrsSession         *self);
const char   *drs_session_get_language        (DrsSession         *self);
void          drs_session_set_language        (DrsSession         *self,
                                               const char         *x_language);
gboolean      drs_session_get_has_account     (DrsSession         *self);
guint         drs_session_get_n_accounts      (DrsSession         *self);
const char   *drs_session_get_default_account (DrsSession         *self);
DrsClient    *drs_session_get_client          (DrsSession         *self,
                                               const char         *account);
void          drs_session_set_client          (DrsSession         *self,
                                               const char         *account,
                                               DrsClient          *client);
gboolean      drs_session_has_jobs_of         (DrsSession         *self,
                                               const char         *account);
guint         drs_session_add_jobs            (DrsSession         *self,
                                               const char         *account,
                                               const char * const *ids,
                                               const char * const *names);
void          drs_session_watch_all           (DrsSession         *self,
                                               const char         *account);
void          drs_session_remove_job          (DrsSession         *self,
                                               const char         *job_id);
void          drs_session_restore_jobs        (DrsSession         *self,
                                               GPtrArray          *jobs);
void          drs_session_reload_account      (DrsSession         *self,
                                               const char         *name);
void          drs_session_remove_account      (DrsSession         *self,
                                               const char         *name);
void          drs_session_report_problem      (DrsSession         *self,
                                               const char         *message);
gboolean      drs_session_get_offline         (DrsSession         *self);
gboolean      drs_session_get_power_saver     (DrsSession         *self);
guint         drs_session_get_power_saver_factor (DrsSession      *self);
void          drs_session_set_power_saver_factor (DrsSession      *self,
                                                  guint            factor);
/* clang-format on */

G_END_DECLS

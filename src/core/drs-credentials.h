/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  DRS_CREDENTIALS_TOKEN,
  DRS_CREDENTIALS_PASSWORD,
  DRS_CREDENTIALS_AKSK,
} DrsCredentialsKind;

/* Returns the real time in µs; tests drive the clock with drs_credentials_set_time_func(). */
typedef gint64 (*DrsTimeFunc) (gpointer user_data);

#define DRS_TYPE_CREDENTIALS (drs_credentials_get_type ())

G_DECLARE_FINAL_TYPE (DrsCredentials, drs_credentials, DRS, CREDENTIALS, GObject)

/* clang-format off */
DrsCredentials     *drs_credentials_new_token          (const char           *token);
DrsCredentials     *drs_credentials_new_password       (const char           *iam_endpoint,
                                                        const char           *domain,
                                                        const char           *user,
                                                        const char           *password,
                                                        const char           *project_id);
DrsCredentials     *drs_credentials_new_aksk           (const char           *ak,
                                                        const char           *sk,
                                                        const char           *project_id);

DrsCredentialsKind  drs_credentials_get_kind           (DrsCredentials       *self);
const char         *drs_credentials_get_project_id     (DrsCredentials       *self);
const char         *drs_credentials_get_iam_endpoint   (DrsCredentials       *self);
const char         *drs_credentials_get_domain         (DrsCredentials       *self);
const char         *drs_credentials_get_user           (DrsCredentials       *self);
const char         *drs_credentials_get_access_key     (DrsCredentials       *self);
void                drs_credentials_set_region         (DrsCredentials       *self,
                                                        const char           *region);
const char         *drs_credentials_get_token          (DrsCredentials       *self);
gint64              drs_credentials_get_expires_at     (DrsCredentials       *self);
guint               drs_credentials_get_login_count    (DrsCredentials       *self);
void                drs_credentials_set_time_func      (DrsCredentials       *self,
                                                        DrsTimeFunc           func,
                                                        gpointer              user_data);
gint64              drs_credentials_now                (DrsCredentials       *self);

gboolean            drs_credentials_try_authorize      (DrsCredentials       *self,
                                                        SoupMessage          *message,
                                                        GBytes               *body,
                                                        const char           *project_id);
void                drs_credentials_authorize_async    (DrsCredentials       *self,
                                                        SoupSession          *session,
                                                        SoupMessage          *message,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean            drs_credentials_authorize_finish   (DrsCredentials       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
gboolean            drs_credentials_reject_token       (DrsCredentials       *self,
                                                        SoupMessage          *message,
                                                        const GError         *error);

void                drs_credentials_login_async        (DrsCredentials       *self,
                                                        SoupSession          *session,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean            drs_credentials_login_finish       (DrsCredentials       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* clang-format on */

G_END_DECLS

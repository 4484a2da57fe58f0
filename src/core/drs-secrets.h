/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define DRS_SECRETS_SCHEMA_NAME "io.github.drsmonitor.DrsMonitor.Secret"

/**
 * DrsSecretKind:
 *
 * What a stored secret is; the `kind` attribute of the schema.
 */
typedef enum
{
  DRS_SECRET_TOKEN,
  DRS_SECRET_PASSWORD,
  DRS_SECRET_SK,
} DrsSecretKind;

#define DRS_TYPE_SECRETS (drs_secrets_get_type ())

G_DECLARE_FINAL_TYPE (DrsSecrets, drs_secrets, DRS, SECRETS, GObject)

/* clang-format off */
const SecretSchema *drs_secrets_get_schema          (void);
const char         *drs_secret_kind_to_string       (DrsSecretKind         kind);
void                drs_secret_free                 (gpointer              secret);

DrsSecrets         *drs_secrets_new                 (void);
gboolean            drs_secrets_get_persistent      (DrsSecrets           *self);
const char         *drs_secrets_get_fallback_reason (DrsSecrets           *self);

void                drs_secrets_check_async         (DrsSecrets           *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            drs_secrets_check_finish        (DrsSecrets           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

void                drs_secrets_store_async         (DrsSecrets           *self,
                                                     const char           *account,
                                                     DrsSecretKind         kind,
                                                     const char           *secret,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            drs_secrets_store_finish        (DrsSecrets           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void                drs_secrets_lookup_async        (DrsSecrets           *self,
                                                     const char           *account,
                                                     DrsSecretKind         kind,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char               *drs_secrets_lookup_finish       (DrsSecrets           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void                drs_secrets_clear_async         (DrsSecrets           *self,
                                                     const char           *account,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            drs_secrets_clear_finish        (DrsSecrets           *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* clang-format on */

G_END_DECLS

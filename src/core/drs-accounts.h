/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-client.h"
#include "drs-credentials.h"
#include "drs-secrets.h"

G_BEGIN_DECLS

/**
 * DrsAccount:
 * @name: what the user calls it; the key of its tasks, secrets and client
 * @region: a region id (FACTS §6), or "" with a custom @endpoint
 * @endpoint: a custom DRS endpoint URL, or ""
 * @iam_endpoint: a custom IAM endpoint URL, or "" (the custom @endpoint, else the region's)
 * @project_id: the project id
 * @auth: how requests are authenticated
 * @domain: the IAM account (domain) name, for %DRS_CREDENTIALS_PASSWORD
 * @user: the IAM user name, for %DRS_CREDENTIALS_PASSWORD
 * @access_key: the access key id, for %DRS_CREDENTIALS_AKSK
 *
 * The non-secret part of one account, as kept in GSettings. Strings are never %NULL.
 */
typedef struct
{
  char              *name;
  char              *region;
  char              *endpoint;
  char              *iam_endpoint;
  char              *project_id;
  DrsCredentialsKind auth;
  char              *domain;
  char              *user;
  char              *access_key;
} DrsAccount;

#define DRS_TYPE_ACCOUNT (drs_account_get_type ())
#define DRS_TYPE_ACCOUNTS (drs_accounts_get_type ())

G_DECLARE_FINAL_TYPE (DrsAccounts, drs_accounts, DRS, ACCOUNTS, GObject)

/* clang-format off */
GType             drs_account_get_type             (void) G_GNUC_CONST;
DrsAccount       *drs_account_new                  (const char        *name);
DrsAccount       *drs_account_copy                 (const DrsAccount  *account);
void              drs_account_free                 (DrsAccount        *account);
gboolean          drs_account_equal                (const DrsAccount  *a,
                                                    const DrsAccount  *b);
void              drs_account_set                  (char             **field,
                                                    const char        *value);
DrsSecretKind     drs_account_get_secret_kind      (const DrsAccount  *account);
const char       *drs_account_auth_to_string       (DrsCredentialsKind auth);
DrsCredentialsKind drs_account_auth_from_string    (const char        *value);
char             *drs_account_dup_endpoint         (const DrsAccount  *account,
                                                    GError           **error);
char             *drs_account_dup_iam_endpoint     (const DrsAccount  *account,
                                                    GError           **error);
char             *drs_account_dup_lookup_region    (const DrsAccount  *account);
gboolean          drs_account_validate             (const DrsAccount  *account,
                                                    gboolean           need_project,
                                                    GError           **error);
DrsCredentials   *drs_account_build_credentials    (const DrsAccount  *account,
                                                    const char        *secret,
                                                    GError           **error);
DrsClient        *drs_account_build_client         (const DrsAccount  *account,
                                                    const char        *secret,
                                                    GError           **error);
void              drs_account_load_client_async    (const DrsAccount  *account,
                                                    DrsSecrets        *secrets,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
DrsClient        *drs_account_load_client_finish   (GAsyncResult      *result,
                                                    GError           **error);
void              drs_account_test_async           (DrsClient         *client,
                                                    GCancellable      *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer           user_data);
char             *drs_account_test_finish          (GAsyncResult      *result,
                                                    GError           **error);

DrsAccounts      *drs_accounts_new                 (GSettings         *settings);
guint             drs_accounts_get_n_accounts      (DrsAccounts       *self);
const DrsAccount *drs_accounts_get                 (DrsAccounts       *self,
                                                    guint              index);
const DrsAccount *drs_accounts_lookup              (DrsAccounts       *self,
                                                    const char        *name);
gboolean          drs_accounts_save                (DrsAccounts       *self,
                                                    const char        *old_name,
                                                    const DrsAccount  *account,
                                                    GError           **error);
gboolean          drs_accounts_remove              (DrsAccounts       *self,
                                                    const char        *name);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsAccount, drs_account_free)

G_END_DECLS

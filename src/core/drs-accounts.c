/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-accounts"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-accounts.h"
#include "drs-enum-nick.h"
#include "drs-enums.h"
#include "drs-endpoint.h"
#include "drs-error.h"

/**
 * DrsAccounts:
 *
 * The user's accounts, kept in the GSettings key `accounts` (`aa{ss}`, one dictionary per
 * account) without any secret: tokens, passwords and secret keys live in the Secret Service
 * through #DrsSecrets, under the account's name.
 */
struct _DrsAccounts
{
  GObject parent_instance;

  /* owned */
  GSettings *settings;
  GPtrArray *accounts; /* DrsAccount */
};

G_DEFINE_FINAL_TYPE (DrsAccounts, drs_accounts, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (DrsAccount, drs_account, drs_account_copy, drs_account_free)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define ACCOUNTS_KEY "accounts"

/* DrsAccount ---------------------------------------------------------------------------------- */

DrsAccount *
drs_account_new (const char *name)
{
  DrsAccount *account = g_new0 (DrsAccount, 1);

  account->name = g_strdup (name ? name : "");
  account->region = g_strdup ("");
  account->endpoint = g_strdup ("");
  account->iam_endpoint = g_strdup ("");
  account->project_id = g_strdup ("");
  account->auth = DRS_CREDENTIALS_PASSWORD;
  account->domain = g_strdup ("");
  account->user = g_strdup ("");
  account->access_key = g_strdup ("");
  return account;
}

DrsAccount *
drs_account_copy (const DrsAccount *account)
{
  DrsAccount *copy = g_new0 (DrsAccount, 1);

  copy->name = g_strdup (account->name);
  copy->region = g_strdup (account->region);
  copy->endpoint = g_strdup (account->endpoint);
  copy->iam_endpoint = g_strdup (account->iam_endpoint);
  copy->project_id = g_strdup (account->project_id);
  copy->auth = account->auth;
  copy->domain = g_strdup (account->domain);
  copy->user = g_strdup (account->user);
  copy->access_key = g_strdup (account->access_key);
  return copy;
}

void
drs_account_free (DrsAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_free (account->region);
  g_free (account->endpoint);
  g_free (account->iam_endpoint);
  g_free (account->project_id);
  g_free (account->domain);
  g_free (account->user);
  g_free (account->access_key);
  g_free (account);
}

gboolean
drs_account_equal (const DrsAccount *a, const DrsAccount *b)
{
  return g_str_equal (a->name, b->name) && g_str_equal (a->region, b->region) &&
         g_str_equal (a->endpoint, b->endpoint) && g_str_equal (a->iam_endpoint, b->iam_endpoint) &&
         g_str_equal (a->project_id, b->project_id) && a->auth == b->auth &&
         g_str_equal (a->domain, b->domain) && g_str_equal (a->user, b->user) &&
         g_str_equal (a->access_key, b->access_key);
}

/**
 * drs_account_set:
 * @field: a string field of a #DrsAccount
 * @value: (nullable): the new value, stripped of surrounding white space; %NULL is ""
 */
void
drs_account_set (char **field, const char *value)
{
  char *copy = g_strstrip (g_strdup (value ? value : ""));

  g_free (*field);
  *field = copy;
}

DrsSecretKind
drs_account_get_secret_kind (const DrsAccount *account)
{
  switch (account->auth)
    {
      case DRS_CREDENTIALS_TOKEN:
        return DRS_SECRET_TOKEN;
      case DRS_CREDENTIALS_AKSK:
        return DRS_SECRET_SK;
      case DRS_CREDENTIALS_PASSWORD:
      default:
        return DRS_SECRET_PASSWORD;
    }
}

/* The settings name how an account signs in by the kind's nick. */
const char *
drs_account_auth_to_string (DrsCredentialsKind auth)
{
  const char *nick = drs_enum_to_nick (DRS_TYPE_CREDENTIALS_KIND, auth);

  return nick != NULL ? nick : "password";
}

DrsCredentialsKind
drs_account_auth_from_string (const char *value)
{
  int auth;

  if (!drs_enum_from_nick (DRS_TYPE_CREDENTIALS_KIND, value, &auth))
    return DRS_CREDENTIALS_PASSWORD;
  return (DrsCredentialsKind) auth;
}

/**
 * drs_account_dup_endpoint:
 *
 * Returns: (transfer full) (nullable): the DRS base URL: the custom endpoint, else the region's
 */
/* The custom DRS endpoint, else @for_region of the account's region. */
static char *
dup_custom_or_regional (const DrsAccount *account,
                        char *(*for_region) (const char *region, GError **error),
                        GError **error)
{
  if (*account->endpoint != '\0')
    return drs_endpoint_normalize (account->endpoint, error);
  if (*account->region == '\0')
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_INVALID,
                           _ ("Choose a region, or give the endpoint URL."));
      return NULL;
    }
  return for_region (account->region, error);
}

char *
drs_account_dup_endpoint (const DrsAccount *account, GError **error)
{
  return dup_custom_or_regional (account, drs_endpoint_for_region, error);
}

/**
 * drs_account_dup_iam_endpoint:
 *
 * Returns: (transfer full) (nullable): the IAM base URL: the custom one, else the custom DRS
 *   endpoint (the simulator serves both), else the region's
 */
char *
drs_account_dup_iam_endpoint (const DrsAccount *account, GError **error)
{
  if (*account->iam_endpoint != '\0')
    return drs_endpoint_normalize (account->iam_endpoint, error);
  return dup_custom_or_regional (account, drs_endpoint_iam_for_region, error);
}

/**
 * drs_account_dup_lookup_region:
 *
 * Returns: (transfer full): the region whose project "Look up" asks IAM for: the chosen one, or
 *   the one in a custom endpoint's host name (`drs.REGION.…`), else `cn-north-4`
 */
char *
drs_account_dup_lookup_region (const DrsAccount *account)
{
  if (*account->region != '\0')
    return g_strdup (account->region);
  if (*account->endpoint != '\0')
    {
      g_autoptr (GUri) uri = g_uri_parse (account->endpoint, G_URI_FLAGS_NONE, NULL);
      const char *host = uri ? g_uri_get_host (uri) : NULL;
      g_auto (GStrv) labels = host ? g_strsplit (host, ".", -1) : NULL;

      if (labels != NULL && g_strv_length (labels) > 2 && drs_endpoint_region_is_valid (labels[1]))
        return g_strdup (labels[1]);
    }
  return g_strdup ("cn-north-4");
}

static gboolean
is_project_id (const char *text)
{
  gsize len = strlen (text);

  if (len < 8 || len > 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/**
 * drs_account_validate:
 * @need_project: whether a project id is required (it is, except to look it up)
 *
 * Checks what the user typed, with a translated sentence naming what is wrong.
 */
gboolean
drs_account_validate (const DrsAccount *account, gboolean need_project, GError **error)
{
  g_autofree char *endpoint = NULL;
  g_autofree char *iam = NULL;

  if (*account->name == '\0')
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_INVALID, _ ("Give the account a name."));
      return FALSE;
    }
  if (*account->endpoint == '\0' && *account->region != '\0' &&
      !drs_endpoint_region_is_valid (account->region))
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                   _ ("“%s” is not a region name such as cn-north-4."), account->region);
      return FALSE;
    }
  endpoint = drs_account_dup_endpoint (account, error);
  if (endpoint == NULL)
    return FALSE;
  if (account->auth == DRS_CREDENTIALS_PASSWORD)
    {
      iam = drs_account_dup_iam_endpoint (account, error);
      if (iam == NULL)
        return FALSE;
      if (*account->user == '\0')
        {
          g_set_error_literal (error, DRS_ERROR, DRS_ERROR_INVALID,
                               _ ("Give the IAM user name to sign in with."));
          return FALSE;
        }
    }
  if (account->auth == DRS_CREDENTIALS_AKSK && *account->access_key == '\0')
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_INVALID, _ ("Give the access key ID (AK)."));
      return FALSE;
    }
  if (need_project && *account->project_id == '\0')
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_INVALID,
                           _ ("Give the project ID, or look it up."));
      return FALSE;
    }
  if (*account->project_id != '\0' && !is_project_id (account->project_id))
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                   _ ("“%s” is not a project ID: it has 32 letters and digits."),
                   account->project_id);
      return FALSE;
    }
  return TRUE;
}

/**
 * drs_account_build_credentials:
 * @secret: the token, password or secret access key
 *
 * Returns: (transfer full) (nullable): credentials for the account, without a project id when
 *   none is set yet (password credentials then sign in scoped to the region)
 */
DrsCredentials *
drs_account_build_credentials (const DrsAccount *account, const char *secret, GError **error)
{
  const char *project = *account->project_id ? account->project_id : NULL;

  if (secret == NULL || *secret == '\0')
    {
      const char *what = account->auth == DRS_CREDENTIALS_TOKEN  ? _ ("token")
                         : account->auth == DRS_CREDENTIALS_AKSK ? _ ("secret access key (SK)")
                                                                 : _ ("password");

      /* Translators: %s is "token", "password" or "secret access key (SK)" */
      g_set_error (error, DRS_ERROR, DRS_ERROR_AUTH, _ ("No %s is stored for this account."), what);
      return NULL;
    }

  switch (account->auth)
    {
      case DRS_CREDENTIALS_TOKEN:
        return drs_credentials_new_token (secret);
      case DRS_CREDENTIALS_AKSK:
        return drs_credentials_new_aksk (account->access_key, secret, project);
      case DRS_CREDENTIALS_PASSWORD:
      default:
        {
          g_autofree char *iam = drs_account_dup_iam_endpoint (account, error);
          const char      *domain = *account->domain ? account->domain : account->user;

          if (iam == NULL)
            return NULL;
          return drs_credentials_new_password (iam, domain, account->user, secret, project);
        }
    }
}

/**
 * drs_account_build_client:
 *
 * Returns: (transfer full) (nullable): a client for the account's endpoint and project
 */
DrsClient *
drs_account_build_client (const DrsAccount *account, const char *secret, GError **error)
{
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autofree char *endpoint = NULL;

  if (!drs_account_validate (account, TRUE, error))
    return NULL;
  endpoint = drs_account_dup_endpoint (account, error);
  if (endpoint == NULL)
    return NULL;
  credentials = drs_account_build_credentials (account, secret, error);
  if (credentials == NULL)
    return NULL;
  return drs_client_new (endpoint, account->project_id, credentials, error);
}

static void
on_secret_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *secret = drs_secrets_lookup_finish (DRS_SECRETS (source), result, &error);
  DrsClient       *client;

  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  client = drs_account_build_client (g_task_get_task_data (task), secret, &error);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  if (client == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, client, g_object_unref);
}

/**
 * drs_account_load_client_async:
 *
 * Reads the account's secret from @secrets and builds its client.
 */
void
drs_account_load_client_async (const DrsAccount   *account,
                               DrsSecrets         *secrets,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (account != NULL);
  g_return_if_fail (DRS_IS_SECRETS (secrets));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_account_load_client_async);
  g_task_set_task_data (task, drs_account_copy (account), (GDestroyNotify) drs_account_free);
  drs_secrets_lookup_async (secrets, account->name, drs_account_get_secret_kind (account),
                            cancellable, on_secret_looked_up, g_steal_pointer (&task));
}

/**
 * drs_account_load_client_finish:
 *
 * Returns: (transfer full) (nullable): the client
 */
DrsClient *
drs_account_load_client_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_test_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) jobs = drs_client_list_jobs_finish (DRS_CLIENT (source), result, &error);

  if (jobs == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (
      task,
      g_strdup_printf (g_dngettext (NULL, "Connected: the project has %u migration task.",
                                    "Connected: the project has %u migration tasks.", jobs->len),
                       jobs->len),
      g_free);
}

/**
 * drs_account_test_async:
 *
 * Tries the client the way monitoring will use it: signs in when it has to, then lists the
 * project's migration tasks, which checks the endpoint, the credentials and the project id.
 */
void
drs_account_test_async (DrsClient          *client,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, drs_account_test_async);
  drs_client_list_jobs_async (client, "migration", cancellable, on_test_listed, task);
}

/**
 * drs_account_test_finish:
 *
 * Returns: (transfer full) (nullable): a translated sentence saying what worked
 */
char *
drs_account_test_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* DrsAccounts --------------------------------------------------------------------------------- */

static const char *
dict_get (GVariant *dict, const char *key)
{
  const char *value = NULL;

  if (!g_variant_lookup (dict, key, "&s", &value))
    return "";
  return value;
}

static void
load (DrsAccounts *self)
{
  g_autoptr (GVariant) value = g_settings_get_value (self->settings, ACCOUNTS_KEY);
  GVariantIter iter;
  GVariant    *child;

  g_variant_iter_init (&iter, value);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      DrsAccount *account = drs_account_new (NULL);

      drs_account_set (&account->name, dict_get (child, "name"));
      drs_account_set (&account->region, dict_get (child, "region"));
      drs_account_set (&account->endpoint, dict_get (child, "endpoint"));
      drs_account_set (&account->iam_endpoint, dict_get (child, "iam-endpoint"));
      drs_account_set (&account->project_id, dict_get (child, "project-id"));
      account->auth = drs_account_auth_from_string (dict_get (child, "auth"));
      drs_account_set (&account->domain, dict_get (child, "domain"));
      drs_account_set (&account->user, dict_get (child, "user"));
      drs_account_set (&account->access_key, dict_get (child, "access-key"));
      g_variant_unref (child);

      /* A hand-edited setting may hold nameless or duplicate entries: the first one wins. */
      if (*account->name == '\0' || drs_accounts_lookup (self, account->name) != NULL)
        drs_account_free (account);
      else
        g_ptr_array_add (self->accounts, account);
    }
}

static GVariant *
to_variant (GPtrArray *accounts)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{ss}"));
  for (guint i = 0; i < accounts->len; i++)
    {
      const DrsAccount *a = accounts->pdata[i];

      g_variant_builder_open (&builder, G_VARIANT_TYPE ("a{ss}"));
      g_variant_builder_add (&builder, "{ss}", "name", a->name);
      g_variant_builder_add (&builder, "{ss}", "region", a->region);
      g_variant_builder_add (&builder, "{ss}", "endpoint", a->endpoint);
      g_variant_builder_add (&builder, "{ss}", "iam-endpoint", a->iam_endpoint);
      g_variant_builder_add (&builder, "{ss}", "project-id", a->project_id);
      g_variant_builder_add (&builder, "{ss}", "auth", drs_account_auth_to_string (a->auth));
      g_variant_builder_add (&builder, "{ss}", "domain", a->domain);
      g_variant_builder_add (&builder, "{ss}", "user", a->user);
      g_variant_builder_add (&builder, "{ss}", "access-key", a->access_key);
      g_variant_builder_close (&builder);
    }
  return g_variant_builder_end (&builder);
}

static void
on_settings_changed (DrsAccounts *self)
{
  g_autoptr (GPtrArray) before = g_ptr_array_ref (self->accounts);
  gboolean same;

  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_account_free);
  load (self);
  same = before->len == self->accounts->len;
  for (guint i = 0; same && i < before->len; i++)
    same = drs_account_equal (before->pdata[i], self->accounts->pdata[i]);
  if (!same)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
drs_accounts_dispose (GObject *object)
{
  DrsAccounts *self = DRS_ACCOUNTS (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (drs_accounts_parent_class)->dispose (object);
}

static void
drs_accounts_finalize (GObject *object)
{
  DrsAccounts *self = DRS_ACCOUNTS (object);

  g_clear_pointer (&self->accounts, g_ptr_array_unref);

  G_OBJECT_CLASS (drs_accounts_parent_class)->finalize (object);
}

static void
drs_accounts_class_init (DrsAccountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = drs_accounts_dispose;
  object_class->finalize = drs_accounts_finalize;

  /**
   * DrsAccounts::changed:
   *
   * The list or an account changed (here or through the settings).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
drs_accounts_init (DrsAccounts *self)
{
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_account_free);
}

/**
 * drs_accounts_new:
 * @settings: a #GSettings of the app's schema
 *
 * Returns: (transfer full): the accounts stored in @settings, following its changes
 */
DrsAccounts *
drs_accounts_new (GSettings *settings)
{
  DrsAccounts *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (DRS_TYPE_ACCOUNTS, NULL);
  self->settings = g_object_ref (settings);
  load (self);
  g_signal_connect_swapped (settings, "changed::" ACCOUNTS_KEY, G_CALLBACK (on_settings_changed),
                            self);
  return self;
}

guint
drs_accounts_get_n_accounts (DrsAccounts *self)
{
  g_return_val_if_fail (DRS_IS_ACCOUNTS (self), 0);
  return self->accounts->len;
}

/**
 * drs_accounts_get:
 *
 * Returns: (transfer none): the account at @index, in the order the user added them
 */
const DrsAccount *
drs_accounts_get (DrsAccounts *self, guint index)
{
  g_return_val_if_fail (DRS_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (index < self->accounts->len, NULL);
  return self->accounts->pdata[index];
}

/**
 * drs_accounts_lookup:
 *
 * Returns: (transfer none) (nullable): the account called @name
 */
const DrsAccount *
drs_accounts_lookup (DrsAccounts *self, const char *name)
{
  g_return_val_if_fail (DRS_IS_ACCOUNTS (self), NULL);

  for (guint i = 0; name != NULL && i < self->accounts->len; i++)
    {
      const DrsAccount *account = self->accounts->pdata[i];

      if (g_str_equal (account->name, name))
        return account;
    }
  return NULL;
}

static int
find (DrsAccounts *self, const char *name)
{
  for (guint i = 0; name != NULL && i < self->accounts->len; i++)
    if (g_str_equal (((DrsAccount *) self->accounts->pdata[i])->name, name))
      return (int) i;
  return -1;
}

static void
store (DrsAccounts *self, GPtrArray *accounts)
{
  g_settings_set_value (self->settings, ACCOUNTS_KEY, to_variant (accounts));
  /* Whether or not the settings told us already. */
  on_settings_changed (self);
}

/**
 * drs_accounts_save:
 * @old_name: (nullable): the account's name before the edit, %NULL for a new account
 * @account: what to store; only its non-secret fields are kept
 *
 * Adds or replaces an account after checking it.
 */
gboolean
drs_accounts_save (DrsAccounts      *self,
                   const char       *old_name,
                   const DrsAccount *account,
                   GError          **error)
{
  g_autoptr (GPtrArray) accounts = NULL;
  int old_index, clash;

  g_return_val_if_fail (DRS_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (account != NULL, FALSE);

  if (!drs_account_validate (account, TRUE, error))
    return FALSE;

  old_index = find (self, old_name);
  clash = find (self, account->name);
  if (clash >= 0 && clash != old_index)
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                   _ ("There is already an account called “%s”."), account->name);
      return FALSE;
    }

  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_account_free);
  for (guint i = 0; i < self->accounts->len; i++)
    g_ptr_array_add (accounts, (int) i == old_index ? drs_account_copy (account)
                                                    : drs_account_copy (self->accounts->pdata[i]));
  if (old_index < 0)
    g_ptr_array_add (accounts, drs_account_copy (account));
  store (self, accounts);
  return TRUE;
}

/**
 * drs_accounts_remove:
 *
 * Forgets an account's settings (not its tasks' history, nor its secrets: see
 * drs_secrets_clear_async()).
 *
 * Returns: %TRUE when it existed
 */
gboolean
drs_accounts_remove (DrsAccounts *self, const char *name)
{
  g_autoptr (GPtrArray) accounts = NULL;
  int index;

  g_return_val_if_fail (DRS_IS_ACCOUNTS (self), FALSE);

  index = find (self, name);
  if (index < 0)
    return FALSE;
  accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_account_free);
  for (guint i = 0; i < self->accounts->len; i++)
    if ((int) i != index)
      g_ptr_array_add (accounts, drs_account_copy (self->accounts->pdata[i]));
  store (self, accounts);
  return TRUE;
}

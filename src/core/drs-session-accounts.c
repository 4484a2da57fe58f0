/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session's accounts: a client for each configured account once its secret is read, rebuilt
 * when the account or its secret changes, dropped when it goes; the tasks of an account that
 * cannot be used say why. */
#define G_LOG_DOMAIN "drs-session"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-session-private.h"

/* Accounts ----------------------------------------------------------------------------------- */

/**
 * drs_session_get_n_accounts:
 *
 * Returns: how many accounts there are: those configured and those given a client (the demo)
 */
guint
drs_session_get_n_accounts (DrsSession *self)
{
  g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer       key;

  g_return_val_if_fail (DRS_IS_SESSION (self), 0);

  g_hash_table_iter_init (&iter, self->clients);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (names, key);
  for (guint i = 0; self->accounts != NULL && i < drs_accounts_get_n_accounts (self->accounts); i++)
    g_hash_table_add (names, drs_accounts_get (self->accounts, i)->name);
  return g_hash_table_size (names);
}

gboolean
drs_session_get_has_account (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), FALSE);

  /* Configured accounts count before their secrets are read and their clients exist. */
  return drs_session_get_n_accounts (self) > 0;
}

/**
 * drs_session_get_default_account:
 *
 * Returns: (nullable): the account new tasks belong to: the first one configured that has a
 *   client, else any with a client
 */
const char *
drs_session_get_default_account (DrsSession *self)
{
  GHashTableIter iter;
  gpointer       key;

  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);

  for (guint i = 0; self->accounts != NULL && i < drs_accounts_get_n_accounts (self->accounts); i++)
    {
      const DrsAccount *account = drs_accounts_get (self->accounts, i);

      if (g_hash_table_contains (self->clients, account->name))
        return account->name;
    }
  g_hash_table_iter_init (&iter, self->clients);
  if (g_hash_table_iter_next (&iter, &key, NULL))
    return key;
  return NULL;
}

/**
 * drs_session_get_client:
 * @account: (nullable): an account name, %NULL for the default one
 *
 * Returns: (transfer none) (nullable): the client of that account
 */
DrsClient *
drs_session_get_client (DrsSession *self, const char *account)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), NULL);

  if (account == NULL)
    account = drs_session_get_default_account (self);
  return account ? g_hash_table_lookup (self->clients, account) : NULL;
}

/**
 * drs_session_set_client:
 * @account: the account's name
 * @client: the client that polls its tasks
 *
 * Makes @account known: its tasks are polled with @client, in the session's language.
 */
void
drs_session_set_client (DrsSession *self, const char *account, DrsClient *client)
{
  g_return_if_fail (DRS_IS_SESSION (self));
  g_return_if_fail (account != NULL);
  g_return_if_fail (DRS_IS_CLIENT (client));

  if (self->language != NULL)
    drs_client_set_language (client, self->language);
  g_hash_table_replace (self->clients, g_strdup (account), g_object_ref (client));
  drs_monitor_set_client (self->monitor, account, client);
  _drs_session_notify_accounts (self);
}

/* Marks the tasks of @account stale with @reason: they stay, no longer up to date. */
static void
mark_account_stale (DrsSession *self, const char *account, const char *reason)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (drs_job_get_account (job), account) == 0)
        drs_job_mark_stale (job, reason);
    }
}

/* No client for the account (no secret stored, a keyring error): its tasks say why, and so do
 * the views. */
static void
account_unusable (DrsSession *self, const char *name, const GError *error)
{
  g_autofree char *text = NULL;

  g_debug ("Account %s has no client: %s", name, error->message);
  /* Translators: the first %s is an account's name, the second why it cannot be used */
  text = g_strdup_printf (_ ("The account “%s” cannot be used: %s"), name, error->message);
  mark_account_stale (self, name, text);
  drs_session_report_problem (self, text);
}

typedef struct
{
  DrsSession *self;
  DrsAccount *account;
} LoadData;

static void
on_client_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LoadData   *data = user_data;
  DrsSession *self = data->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsClient) client = drs_account_load_client_finish (result, &error);
  const DrsAccount *loaded = NULL;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->loaded != NULL)
    loaded = g_hash_table_lookup (self->loaded, data->account->name);

  /* Only for the account as it still is: an edit meanwhile started another load. */
  if (loaded != NULL && drs_account_equal (loaded, data->account))
    {
      if (client != NULL)
        drs_session_set_client (self, data->account->name, client);
      else
        account_unusable (self, data->account->name, error);
    }
  drs_account_free (data->account);
  g_object_unref (data->self);
  g_free (data);
}

static void
load_client (DrsSession *self, const DrsAccount *account)
{
  LoadData *data = g_new0 (LoadData, 1);

  g_hash_table_replace (self->loaded, g_strdup (account->name), drs_account_copy (account));
  data->self = g_object_ref (self);
  data->account = drs_account_copy (account);
  drs_account_load_client_async (account, self->secrets, self->cancellable, on_client_loaded, data);
}

static void
forget_client (DrsSession *self, const char *name)
{
  drs_monitor_set_client (self->monitor, name, NULL);
  g_hash_table_remove (self->clients, name);
  /* Its tasks and their history stay; they are no longer polled. */
  mark_account_stale (self, name, _ ("Its account was removed: it is no longer checked."));
}

/* Brings the clients in line with the configured accounts. */
void
_drs_session_sync_accounts (DrsSession *self)
{
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer       key;

  g_hash_table_iter_init (&iter, self->loaded);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (drs_accounts_lookup (self->accounts, key) == NULL)
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    {
      g_hash_table_remove (self->loaded, gone->pdata[i]);
      forget_client (self, gone->pdata[i]);
    }

  for (guint i = 0; i < drs_accounts_get_n_accounts (self->accounts); i++)
    {
      const DrsAccount *account = drs_accounts_get (self->accounts, i);
      const DrsAccount *loaded = g_hash_table_lookup (self->loaded, account->name);

      if (loaded == NULL || !drs_account_equal (loaded, account))
        load_client (self, account);
    }
  _drs_session_notify_accounts (self);
}

/**
 * drs_session_reload_account:
 *
 * Builds the account's client again, after its secret changed.
 */
void
drs_session_reload_account (DrsSession *self, const char *name)
{
  const DrsAccount *account;

  g_return_if_fail (DRS_IS_SESSION (self));

  if (self->accounts == NULL)
    return;
  account = drs_accounts_lookup (self->accounts, name);
  if (account != NULL)
    load_client (self, account);
}

static void
on_secrets_cleared (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!drs_secrets_clear_finish (DRS_SECRETS (source), result, &error))
    g_warning ("Could not remove the account's secrets: %s", error->message);
}

/**
 * drs_session_remove_account:
 *
 * Forgets an account and its secrets. Its tasks stay in the list with their history, no longer
 * polled.
 */
void
drs_session_remove_account (DrsSession *self, const char *name)
{
  g_return_if_fail (DRS_IS_SESSION (self));

  if (self->accounts == NULL || !drs_accounts_remove (self->accounts, name))
    return;
  drs_secrets_clear_async (self->secrets, name, NULL, on_secrets_cleared, NULL);
}

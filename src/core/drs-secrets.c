/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-secrets"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-error.h"
#include "drs-secrets.h"

/* Secrets (token, password, SK) live in the Secret Service under one schema, one item per
 * account and kind. Without a Secret Service they stay in this process's memory for the session
 * only, and the object says so through its `persistent` property and fallback reason. */

struct _DrsSecrets
{
  GObject parent_instance;

  GHashTable *memory;          /* "account\nkind" → secret, only after falling back */
  char       *fallback_reason; /* translated; NULL while the Secret Service works */
};

G_DEFINE_FINAL_TYPE (DrsSecrets, drs_secrets, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PERSISTENT,
  PROP_FALLBACK_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const SecretSchema *
drs_secrets_get_schema (void)
{
  static const SecretSchema schema = {
    DRS_SECRETS_SCHEMA_NAME,
    SECRET_SCHEMA_NONE,
    {
        { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
        { NULL, 0 },
    },
  };
  return &schema;
}

const char *
drs_secret_kind_to_string (DrsSecretKind kind)
{
  switch (kind)
    {
      case DRS_SECRET_TOKEN:
        return "token";
      case DRS_SECRET_PASSWORD:
        return "password";
      case DRS_SECRET_SK:
        return "sk";
      default:
        g_return_val_if_reached ("unknown");
    }
}

/**
 * drs_secret_free:
 * @secret: (nullable): a token, password or secret key
 *
 * Overwrites @secret before its memory goes back to the allocator, then frees it.
 */
void
drs_secret_free (gpointer secret)
{
  volatile char *p = secret;

  if (p == NULL)
    return;
  while (*p != '\0')
    *p++ = '\0';
  g_free (secret);
}

static void
drs_secrets_finalize (GObject *object)
{
  DrsSecrets *self = DRS_SECRETS (object);

  g_clear_pointer (&self->memory, g_hash_table_unref);
  g_clear_pointer (&self->fallback_reason, g_free);

  G_OBJECT_CLASS (drs_secrets_parent_class)->finalize (object);
}

static void
drs_secrets_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsSecrets *self = DRS_SECRETS (object);

  switch (prop_id)
    {
      case PROP_PERSISTENT:
        g_value_set_boolean (value, drs_secrets_get_persistent (self));
        break;
      case PROP_FALLBACK_REASON:
        g_value_set_string (value, self->fallback_reason);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_secrets_class_init (DrsSecretsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = drs_secrets_finalize;
  object_class->get_property = drs_secrets_get_property;

  /**
   * DrsSecrets:persistent:
   *
   * %FALSE once the Secret Service turned out to be missing: secrets are then kept in memory
   * for this session only.
   */
  properties[PROP_PERSISTENT] =
      g_param_spec_boolean ("persistent", NULL, NULL, TRUE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FALLBACK_REASON] =
      g_param_spec_string ("fallback-reason", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_secrets_init (DrsSecrets *self)
{
}

/**
 * drs_secrets_new:
 *
 * Returns: (transfer full): a store backed by the Secret Service
 */
DrsSecrets *
drs_secrets_new (void)
{
  return g_object_new (DRS_TYPE_SECRETS, NULL);
}

gboolean
drs_secrets_get_persistent (DrsSecrets *self)
{
  g_return_val_if_fail (DRS_IS_SECRETS (self), FALSE);
  return self->memory == NULL;
}

/**
 * drs_secrets_get_fallback_reason:
 *
 * Returns: (nullable): a translated sentence saying why secrets are only kept in memory
 */
const char *
drs_secrets_get_fallback_reason (DrsSecrets *self)
{
  g_return_val_if_fail (DRS_IS_SECRETS (self), NULL);
  return self->fallback_reason;
}

/* Whether @error means there is no usable Secret Service (as opposed to, say, a cancelled
 * prompt). */
static gboolean
is_service_missing (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  return error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR ||
         error->domain == G_SPAWN_ERROR ||
         g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT);
}

static void
fall_back (DrsSecrets *self, const GError *error)
{
  if (self->memory != NULL)
    return;

  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, drs_secret_free);
  self->fallback_reason = g_strdup_printf (
      _ ("No keyring (Secret Service) is available, so passwords and keys are kept in memory for "
         "this session only and must be entered again next time (%s)."),
      error->message);
  g_message ("%s", self->fallback_reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FALLBACK_REASON]);
}

static char *
memory_key (const char *account, DrsSecretKind kind)
{
  return g_strdup_printf ("%s\n%s", account, drs_secret_kind_to_string (kind));
}

/* What an operation does, on the Secret Service or, without one, in memory. */
typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} OpKind;

typedef struct
{
  OpKind        op;
  char         *account;
  DrsSecretKind kind;
  char         *secret; /* store only */
} OpData;

static void
op_data_free (OpData *data)
{
  g_free (data->account);
  drs_secret_free (data->secret);
  g_free (data);
}

/* Carries out @task's operation in memory (after falling back) and returns its result. */
static void
op_return_from_memory (DrsSecrets *self, GTask *task)
{
  OpData          *data = g_task_get_task_data (task);
  g_autofree char *key = memory_key (data->account, data->kind);

  g_assert (self->memory != NULL);

  switch (data->op)
    {
      case OP_STORE:
        g_hash_table_replace (self->memory, g_steal_pointer (&key), g_strdup (data->secret));
        g_task_return_boolean (task, TRUE);
        break;
      case OP_LOOKUP:
        g_task_return_pointer (task, g_strdup (g_hash_table_lookup (self->memory, key)),
                               drs_secret_free);
        break;
      case OP_CLEAR:
        for (guint kind = DRS_SECRET_TOKEN; kind <= DRS_SECRET_SK; kind++)
          {
            g_autofree char *kind_key = memory_key (data->account, kind);

            g_hash_table_remove (self->memory, kind_key);
          }
        g_task_return_boolean (task, TRUE);
        break;
      default:
        g_assert_not_reached ();
    }
}

/* The Secret Service failed @task's operation: without a Secret Service it goes on in memory;
 * any other error is returned, saying what could not be done. */
static void
op_failed (GTask *task, const GError *error)
{
  DrsSecrets *self = g_task_get_source_object (task);
  OpData     *data = g_task_get_task_data (task);

  if (is_service_missing (error))
    {
      fall_back (self, error);
      op_return_from_memory (self, task);
      return;
    }

  switch (data->op)
    {
      case OP_STORE:
        g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_STORAGE,
                                 _ ("Could not save the secret in the keyring: %s"),
                                 error->message);
        break;
      case OP_LOOKUP:
        g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_STORAGE,
                                 _ ("Could not read the secret from the keyring: %s"),
                                 error->message);
        break;
      case OP_CLEAR:
        g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_STORAGE,
                                 _ ("Could not remove the secrets from the keyring: %s"),
                                 error->message);
        break;
      default:
        g_assert_not_reached ();
    }
}

static void
on_answered (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  char *secret = NULL;

  switch (data->op)
    {
      case OP_STORE:
        secret_password_store_finish (result, &error);
        break;
      case OP_LOOKUP:
        secret = secret_password_lookup_finish (result, &error);
        break;
      case OP_CLEAR:
        /* FALSE without an error: there was nothing to remove. */
        secret_password_clear_finish (result, &error);
        break;
      default:
        g_assert_not_reached ();
    }
  if (error != NULL)
    {
      op_failed (task, error);
      return;
    }
  if (data->op == OP_LOOKUP)
    {
      /* Hand over a plain g_malloc() copy; libsecret's is wiped on free. */
      g_task_return_pointer (task, g_strdup (secret), drs_secret_free);
      secret_password_free (secret);
      return;
    }
  if (data->op == OP_STORE)
    g_debug ("Stored the %s of %s in the Secret Service", drs_secret_kind_to_string (data->kind),
             data->account);
  g_task_return_boolean (task, TRUE);
}

/* Starts an operation on @account's secret of @kind (every kind, to clear): on the Secret
 * Service, or in memory after falling back. */
static void
op_run (DrsSecrets         *self,
        OpKind              op,
        const char         *account,
        DrsSecretKind       kind,
        const char         *secret,
        GCancellable       *cancellable,
        gpointer            source_tag,
        GAsyncReadyCallback callback,
        gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  OpData          *data = g_new0 (OpData, 1);
  const char      *kind_name = drs_secret_kind_to_string (kind);
  g_autofree char *label = NULL;

  g_task_set_source_tag (task, source_tag);
  data->op = op;
  data->account = g_strdup (account);
  data->kind = kind;
  data->secret = g_strdup (secret);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);
  if (self->memory != NULL)
    {
      op_return_from_memory (self, task);
      return;
    }

  switch (op)
    {
      case OP_STORE:
        /* Translators: the keyring item's label; %s is an account name, then “password” etc. */
        label = g_strdup_printf (_ ("DRS Monitor: %s (%s)"), account, kind_name);
        secret_password_store (drs_secrets_get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                               cancellable, on_answered, g_steal_pointer (&task), "account",
                               account, "kind", kind_name, NULL);
        break;
      case OP_LOOKUP:
        secret_password_lookup (drs_secrets_get_schema (), cancellable, on_answered,
                                g_steal_pointer (&task), "account", account, "kind", kind_name,
                                NULL);
        break;
      case OP_CLEAR:
        secret_password_clear (drs_secrets_get_schema (), cancellable, on_answered,
                               g_steal_pointer (&task), "account", account, NULL);
        break;
      default:
        g_assert_not_reached ();
    }
}

/* Check ------------------------------------------------------------------------------------- */

static void
on_service (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  DrsSecrets *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (SecretService) service = secret_service_get_finish (result, &error);

  if (service != NULL)
    {
      g_task_return_boolean (task, drs_secrets_get_persistent (self));
      return;
    }
  if (!is_service_missing (error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fall_back (self, error);
  g_task_return_boolean (task, FALSE);
}

/**
 * drs_secrets_check_async:
 *
 * Finds out where secrets will go before any is stored: opens a session with the Secret Service,
 * and falls back to memory (notifying #DrsSecrets:persistent) when there is none.
 */
void
drs_secrets_check_async (DrsSecrets         *self,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (DRS_IS_SECRETS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_secrets_check_async);
  if (self->memory != NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable, on_service,
                      g_steal_pointer (&task));
}

/**
 * drs_secrets_check_finish:
 *
 * Returns: %TRUE when secrets go to the Secret Service, %FALSE (without @error) when they are
 *   kept in memory for this session
 */
gboolean
drs_secrets_check_finish (DrsSecrets *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Store, look up, clear ---------------------------------------------------------------------- */

/**
 * drs_secrets_store_async:
 * @account: the account name the secret belongs to
 * @secret: the token, password or secret key
 *
 * Saves @secret in the Secret Service (or, without one, in memory for this session).
 */
void
drs_secrets_store_async (DrsSecrets         *self,
                         const char         *account,
                         DrsSecretKind       kind,
                         const char         *secret,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_return_if_fail (DRS_IS_SECRETS (self));
  g_return_if_fail (account != NULL);
  g_return_if_fail (secret != NULL);

  op_run (self, OP_STORE, account, kind, secret, cancellable, drs_secrets_store_async, callback,
          user_data);
}

gboolean
drs_secrets_store_finish (DrsSecrets *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * drs_secrets_lookup_async:
 *
 * Reads the secret of @kind saved for @account.
 */
void
drs_secrets_lookup_async (DrsSecrets         *self,
                          const char         *account,
                          DrsSecretKind       kind,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_return_if_fail (DRS_IS_SECRETS (self));
  g_return_if_fail (account != NULL);

  op_run (self, OP_LOOKUP, account, kind, NULL, cancellable, drs_secrets_lookup_async, callback,
          user_data);
}

/**
 * drs_secrets_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL without @error when none is saved;
 *   free it with g_free() after overwriting it, or just g_free()
 */
char *
drs_secrets_lookup_finish (DrsSecrets *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * drs_secrets_clear_async:
 *
 * Removes every secret saved for @account.
 */
void
drs_secrets_clear_async (DrsSecrets         *self,
                         const char         *account,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_return_if_fail (DRS_IS_SECRETS (self));
  g_return_if_fail (account != NULL);

  op_run (self, OP_CLEAR, account, DRS_SECRET_TOKEN, NULL, cancellable, drs_secrets_clear_async,
          callback, user_data);
}

gboolean
drs_secrets_clear_finish (DrsSecrets *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

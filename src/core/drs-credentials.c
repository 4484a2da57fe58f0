/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "drs-credentials.h"
#include "drs-error.h"
#include "drs-http.h"
#include "drs-json.h"
#include "drs-secrets.h"
#include "drs-signer.h"

/* IAM tokens live 24 h (FACTS §4); we sign in again an hour before they expire. */
#define DEFAULT_LIFETIME_US (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)
#define RENEW_AHEAD_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define LOGIN_MAX_BODY (1024 * 1024)
#define LOGIN_TIMEOUT_S 30

struct _DrsCredentials
{
  GObject parent_instance;

  DrsCredentialsKind kind;
  char              *token; /* fixed, or the cached IAM token */
  char              *iam_endpoint;
  char              *domain;
  char              *user;
  char              *password;
  char              *project_id;
  char              *region;
  char              *ak;
  char              *sk;

  gint64  expires_at_us; /* our clock; 0 = no token */
  gint64  renew_at_us;
  guint   login_count;
  GError *login_error; /* a refused sign-in: not tried again until asked */

  GPtrArray *waiters; /* GTask; non-NULL while a login is in flight */

  DrsTimeFunc time_func;
  gpointer    time_data;
};

G_DEFINE_FINAL_TYPE (DrsCredentials, drs_credentials, G_TYPE_OBJECT)

typedef struct
{
  SoupMessage  *message; /* nullable: a plain login */
  GCancellable *cancellable;
  gulong        cancel_handler;
  gboolean      done;
} WaiterData;

static void
waiter_data_free (WaiterData *data)
{
  g_clear_object (&data->message);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static void
drs_credentials_finalize (GObject *object)
{
  DrsCredentials *self = DRS_CREDENTIALS (object);

  g_assert (self->waiters == NULL);

  g_clear_pointer (&self->token, drs_secret_free);
  g_clear_pointer (&self->password, drs_secret_free);
  g_clear_pointer (&self->sk, drs_secret_free);
  g_clear_error (&self->login_error);
  g_clear_pointer (&self->iam_endpoint, g_free);
  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->region, g_free);
  g_clear_pointer (&self->ak, g_free);

  G_OBJECT_CLASS (drs_credentials_parent_class)->finalize (object);
}

static void
drs_credentials_class_init (DrsCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = drs_credentials_finalize;
}

static void
drs_credentials_init (DrsCredentials *self)
{
}

/**
 * drs_credentials_new_token:
 * @token: an IAM token, used as it is until the server refuses it
 *
 * Returns: (transfer full): credentials that send `X-Auth-Token`
 */
DrsCredentials *
drs_credentials_new_token (const char *token)
{
  DrsCredentials *self;

  g_return_val_if_fail (token != NULL, NULL);

  self = g_object_new (DRS_TYPE_CREDENTIALS, NULL);
  self->kind = DRS_CREDENTIALS_TOKEN;
  self->token = g_strdup (token);
  return self;
}

/**
 * drs_credentials_new_password:
 * @iam_endpoint: e.g. `https://iam.cn-north-4.myhuaweicloud.com`
 * @domain: the account (domain) name
 * @user: the IAM user name
 * @password: the IAM user's password
 * @project_id: (nullable): the project the token is scoped to; without it the token is scoped
 *   to the region set with drs_credentials_set_region(), or to the account
 *
 * Returns: (transfer full): credentials that sign in to IAM, cache the token and renew it
 */
DrsCredentials *
drs_credentials_new_password (const char *iam_endpoint,
                              const char *domain,
                              const char *user,
                              const char *password,
                              const char *project_id)
{
  DrsCredentials *self;

  g_return_val_if_fail (iam_endpoint != NULL, NULL);
  g_return_val_if_fail (domain != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  self = g_object_new (DRS_TYPE_CREDENTIALS, NULL);
  self->kind = DRS_CREDENTIALS_PASSWORD;
  self->iam_endpoint = g_strdup (iam_endpoint);
  self->domain = g_strdup (domain);
  self->user = g_strdup (user);
  self->password = g_strdup (password);
  self->project_id = g_strdup (project_id);
  return self;
}

/**
 * drs_credentials_new_aksk:
 * @ak: the access key id
 * @sk: the secret access key
 * @project_id: (nullable): sent as `X-Project-Id`, unless the client passes its own
 *
 * Returns: (transfer full): credentials that sign every request (FACTS §5)
 */
DrsCredentials *
drs_credentials_new_aksk (const char *ak, const char *sk, const char *project_id)
{
  DrsCredentials *self;

  g_return_val_if_fail (ak != NULL, NULL);
  g_return_val_if_fail (sk != NULL, NULL);

  self = g_object_new (DRS_TYPE_CREDENTIALS, NULL);
  self->kind = DRS_CREDENTIALS_AKSK;
  self->ak = g_strdup (ak);
  self->sk = g_strdup (sk);
  self->project_id = g_strdup (project_id);
  return self;
}

DrsCredentialsKind
drs_credentials_get_kind (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), DRS_CREDENTIALS_TOKEN);
  return self->kind;
}

const char *
drs_credentials_get_project_id (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), NULL);
  return self->project_id;
}

const char *
drs_credentials_get_iam_endpoint (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), NULL);
  return self->iam_endpoint;
}

const char *
drs_credentials_get_domain (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), NULL);
  return self->domain;
}

const char *
drs_credentials_get_user (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), NULL);
  return self->user;
}

const char *
drs_credentials_get_access_key (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), NULL);
  return self->ak;
}

/**
 * drs_credentials_set_region:
 *
 * The region name a password sign-in is scoped to when there is no project id (FACTS §4).
 */
void
drs_credentials_set_region (DrsCredentials *self, const char *region)
{
  g_return_if_fail (DRS_IS_CREDENTIALS (self));
  if (g_strcmp0 (self->region, region) == 0)
    return;
  g_free (self->region);
  self->region = g_strdup (region);
}

/**
 * drs_credentials_get_token:
 *
 * The token requests carry: the fixed one, or the one IAM issued at the last sign-in. For saving
 * it in the Secret Service and for tests; never log it.
 *
 * Returns: (nullable): the token
 */
const char *
drs_credentials_get_token (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), NULL);
  return self->token;
}

/**
 * drs_credentials_get_expires_at:
 *
 * Returns: when the cached token expires, in µs on drs_credentials_now()'s clock, or 0
 */
gint64
drs_credentials_get_expires_at (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), 0);
  return self->expires_at_us;
}

/**
 * drs_credentials_get_login_count:
 *
 * Returns: how many times these credentials signed in successfully
 */
guint
drs_credentials_get_login_count (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), 0);
  return self->login_count;
}

/**
 * drs_credentials_set_time_func:
 * @func: (nullable): the clock, %NULL for g_get_real_time()
 *
 * Token renewal and AK/SK signature dates read this clock.
 */
void
drs_credentials_set_time_func (DrsCredentials *self, DrsTimeFunc func, gpointer user_data)
{
  g_return_if_fail (DRS_IS_CREDENTIALS (self));
  self->time_func = func;
  self->time_data = user_data;
}

gint64
drs_credentials_now (DrsCredentials *self)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), 0);
  return self->time_func ? self->time_func (self->time_data) : g_get_real_time ();
}

static gboolean
token_is_fresh (DrsCredentials *self)
{
  if (self->token == NULL)
    return FALSE;
  if (self->kind != DRS_CREDENTIALS_PASSWORD)
    return TRUE;
  return drs_credentials_now (self) < self->renew_at_us;
}

static void
set_token_header (DrsCredentials *self, SoupMessage *message)
{
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-Auth-Token",
                                self->token);
}

/* Login ------------------------------------------------------------------------------------ */

static GBytes *
login_body (DrsCredentials *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "auth");
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "identity");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "methods");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "password");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "password");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "domain");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->domain);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->user);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, self->password);
  json_builder_end_object (builder); /* user */
  json_builder_end_object (builder); /* password */
  json_builder_end_object (builder); /* identity */

  json_builder_set_member_name (builder, "scope");
  json_builder_begin_object (builder);
  if (self->project_id != NULL || self->region != NULL)
    {
      json_builder_set_member_name (builder, "project");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, self->project_id ? "id" : "name");
      json_builder_add_string_value (builder, self->project_id ? self->project_id : self->region);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_set_member_name (builder, "domain");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, self->domain);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder); /* scope */

  json_builder_end_object (builder); /* auth */
  json_builder_end_object (builder);
  return drs_json_builder_to_bytes (builder);
}

static GDateTime *
token_time (JsonObject *token, const char *name)
{
  const char *text = drs_json_object_get_string (token, name);

  return text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;
}

/* The token's lifetime as the server states it: expires_at − issued_at, both on its clock, so
 * that a client whose clock disagrees with the server's still renews at the right time. */
static gint64
token_lifetime_us (GBytes *body, gint64 now_us)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GDateTime) expires = NULL;
  g_autoptr (GDateTime) issued = NULL;
  JsonObject *root = drs_json_parse_object (parser, body);
  JsonObject *token = root != NULL ? drs_json_object_get_object (root, "token") : NULL;
  gint64      lifetime;

  if (token == NULL)
    return DEFAULT_LIFETIME_US;
  expires = token_time (token, "expires_at");
  issued = token_time (token, "issued_at");

  if (expires == NULL)
    return DEFAULT_LIFETIME_US;
  if (issued != NULL)
    lifetime = g_date_time_difference (expires, issued);
  else
    lifetime = g_date_time_to_unix (expires) * G_USEC_PER_SEC - now_us;

  if (lifetime <= 0)
    return 0;
  return MIN (lifetime, 7 * DEFAULT_LIFETIME_US);
}

static void
complete_waiters (DrsCredentials *self, const GError *error)
{
  g_autoptr (GPtrArray) waiters = g_steal_pointer (&self->waiters);

  for (guint i = 0; i < waiters->len; i++)
    {
      GTask      *task = waiters->pdata[i];
      WaiterData *data = g_task_get_task_data (task);

      if (data->done)
        continue;
      data->done = TRUE;
      g_clear_signal_handler (&data->cancel_handler, data->cancellable);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        {
          if (data->message != NULL)
            set_token_header (self, data->message);
          g_task_return_boolean (task, TRUE);
        }
    }
}

typedef struct
{
  DrsCredentials *self;
  SoupMessage    *message;
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->message);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoginData, login_data_free)

static void
on_login_sent (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (LoginData) login = user_data;
  DrsCredentials *self = login->self;
  SoupMessage    *message = login->message;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  const char *token;
  gint64      now, lifetime;

  body = drs_http_send_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL || !drs_http_check_status (message, body, &error))
    {
      g_prefix_error (&error, _ ("Could not sign in to IAM as “%s”: "), self->user);
      /* A wrong password is not sent again and again (IAM locks users out after a few
       * failures): requests fail with this error until drs_credentials_login_async(). A
       * transport error is neither. */
      if (g_error_matches (error, DRS_ERROR, DRS_ERROR_AUTH) ||
          g_error_matches (error, DRS_ERROR, DRS_ERROR_FORBIDDEN))
        {
          g_clear_error (&self->login_error);
          self->login_error = g_error_copy (error);
        }
      complete_waiters (self, error);
      return;
    }

  token =
      soup_message_headers_get_one (soup_message_get_response_headers (message), "X-Subject-Token");
  if (token == NULL || *token == '\0')
    {
      error = g_error_new (DRS_ERROR, DRS_ERROR_PROTOCOL,
                           _ ("Could not sign in to IAM as “%s”: the answer has no "
                              "X-Subject-Token header."),
                           self->user);
      complete_waiters (self, error);
      return;
    }

  now = drs_credentials_now (self);
  lifetime = token_lifetime_us (body, g_get_real_time ());
  g_clear_pointer (&self->token, drs_secret_free);
  self->token = g_strdup (token);
  self->expires_at_us = now + lifetime;
  self->renew_at_us = self->expires_at_us - MIN (RENEW_AHEAD_US, lifetime / 2);
  self->login_count++;

  g_debug ("Signed in to IAM as %s/%s; the token is renewed in %" G_GINT64_FORMAT " s",
           self->domain, self->user, (self->renew_at_us - now) / G_USEC_PER_SEC);
  complete_waiters (self, NULL);
}

static void
start_login (DrsCredentials *self, SoupSession *session)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupMessage) message = NULL;
  g_autoptr (GBytes) body = NULL;
  LoginData *login;

  message = drs_http_new_iam_message (SOUP_METHOD_POST, self->iam_endpoint,
                                      "/v3/auth/tokens?nocatalog=true", &error);
  if (message == NULL)
    {
      complete_waiters (self, error);
      return;
    }
  body = login_body (self);
  soup_message_set_request_body_from_bytes (message, "application/json;charset=utf8", body);

  g_debug ("Signing in to %s as %s/%s", g_uri_get_host (soup_message_get_uri (message)),
           self->domain, self->user);
  login = g_new0 (LoginData, 1);
  login->self = g_object_ref (self);
  login->message = g_object_ref (message);
  drs_http_send_async (session, message, LOGIN_MAX_BODY, LOGIN_TIMEOUT_S, NULL, on_login_sent,
                       login);
}

static void
on_waiter_cancelled_idle_done (gpointer user_data)
{
  g_object_unref (user_data);
}

static gboolean
on_waiter_cancelled_idle (gpointer user_data)
{
  GTask          *task = user_data;
  DrsCredentials *self = g_task_get_source_object (task);
  WaiterData     *data = g_task_get_task_data (task);

  if (data->done)
    return G_SOURCE_REMOVE;
  data->done = TRUE;
  g_clear_signal_handler (&data->cancel_handler, data->cancellable);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Operation was cancelled"));
  if (self->waiters != NULL)
    g_ptr_array_remove (self->waiters, task);
  return G_SOURCE_REMOVE;
}

static void
on_waiter_cancelled (GCancellable *cancellable, gpointer user_data)
{
  /* Not from inside the emission: the caller's callback runs from an idle. */
  g_idle_add_full (G_PRIORITY_DEFAULT, on_waiter_cancelled_idle, g_object_ref (user_data),
                   on_waiter_cancelled_idle_done);
}

static void
join_login (DrsCredentials *self, SoupSession *session, GTask *task)
{
  WaiterData *data = g_task_get_task_data (task);
  gboolean    start = self->waiters == NULL;

  if (start)
    self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->waiters, g_object_ref (task));

  if (data->cancellable != NULL)
    {
      data->cancel_handler =
          g_signal_connect (data->cancellable, "cancelled", G_CALLBACK (on_waiter_cancelled), task);
      if (g_cancellable_is_cancelled (data->cancellable))
        on_waiter_cancelled (data->cancellable, task);
    }
  if (start)
    start_login (self, session);
}

static GTask *
new_waiter (DrsCredentials     *self,
            SoupMessage        *message,
            GCancellable       *cancellable,
            gpointer            source_tag,
            GAsyncReadyCallback callback,
            gpointer            user_data)
{
  GTask      *task = g_task_new (self, cancellable, callback, user_data);
  WaiterData *data = g_new0 (WaiterData, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_check_cancellable (task, FALSE);
  data->message = message ? g_object_ref (message) : NULL;
  data->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) waiter_data_free);
  return task;
}

/**
 * drs_credentials_login_async:
 * @session: the session to reach IAM with
 *
 * Signs in to IAM now, whether or not a token is cached. Requests waiting for a token share it.
 * Only for password credentials; the others complete at once.
 */
void
drs_credentials_login_async (DrsCredentials     *self,
                             SoupSession        *session,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (DRS_IS_CREDENTIALS (self));
  g_return_if_fail (SOUP_IS_SESSION (session));

  task = new_waiter (self, NULL, cancellable, drs_credentials_login_async, callback, user_data);
  if (self->kind != DRS_CREDENTIALS_PASSWORD)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_clear_error (&self->login_error);
  join_login (self, session, task);
}

gboolean
drs_credentials_login_finish (DrsCredentials *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * drs_credentials_try_authorize:
 * @message: the request, complete but for authentication
 * @body: (nullable): the exact body bytes of @message
 * @project_id: (nullable): the project the request is for (`X-Project-Id` of AK/SK)
 *
 * Authenticates @message at once when no network is needed: a fixed or fresh token, or an
 * AK/SK signature. Saves a main-loop round trip per request over
 * drs_credentials_authorize_async().
 *
 * Returns: %TRUE when @message is ready to send; %FALSE when it needs the async path
 */
gboolean
drs_credentials_try_authorize (DrsCredentials *self,
                               SoupMessage    *message,
                               GBytes         *body,
                               const char     *project_id)
{
  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (SOUP_IS_MESSAGE (message), FALSE);

  if (self->kind == DRS_CREDENTIALS_AKSK)
    {
      g_autoptr (GDateTime) now =
          g_date_time_new_from_unix_utc (drs_credentials_now (self) / G_USEC_PER_SEC);

      drs_signer_sign_message (message, self->ak, self->sk,
                               project_id ? project_id : self->project_id, body, now);
      return TRUE;
    }

  if (token_is_fresh (self))
    {
      set_token_header (self, message);
      return TRUE;
    }
  return FALSE;
}

/**
 * drs_credentials_authorize_async:
 * @session: the session @message goes out on (password sign-in uses it too)
 * @message: the request, complete but for authentication
 *
 * Adds `X-Auth-Token` to @message, signing in first when there is no fresh token (concurrent
 * callers share one sign-in): the path of drs_credentials_try_authorize() when it cannot finish
 * at once. AK/SK credentials never wait; they sign @message here as a request without a body for
 * their own project, so a request with a body goes through drs_credentials_try_authorize().
 */
void
drs_credentials_authorize_async (DrsCredentials     *self,
                                 SoupSession        *session,
                                 SoupMessage        *message,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (DRS_IS_CREDENTIALS (self));
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  task =
      new_waiter (self, message, cancellable, drs_credentials_authorize_async, callback, user_data);

  if (drs_credentials_try_authorize (self, message, NULL, NULL))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (self->kind == DRS_CREDENTIALS_TOKEN)
    {
      g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_AUTH, _ ("No token to sign in with."));
      return;
    }

  if (self->login_error != NULL)
    {
      g_task_return_error (task, g_error_copy (self->login_error));
      return;
    }

  join_login (self, session, task);
}

gboolean
drs_credentials_authorize_finish (DrsCredentials *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
is_expired_token_code (const char *code)
{
  if (code == NULL)
    return FALSE;
  if (g_ascii_strncasecmp (code, "APIGW.", 6) == 0)
    code += 6;
  else if (g_ascii_strncasecmp (code, "APIG.", 5) == 0)
    code += 5;
  else
    return FALSE;
  return g_str_equal (code, "0301") || g_str_equal (code, "0307");
}

/**
 * drs_credentials_reject_token:
 * @message: the request the server refused
 * @error: what the server answered
 *
 * Tells the credentials that the server refused the token @message carried. When it is a 401
 * `APIGW.0301`/`0307` and these are password credentials, the cached token is dropped (unless a
 * newer one already replaced it), so the next drs_credentials_authorize_async() signs in again.
 *
 * Returns: %TRUE when sending @message again, once, may succeed
 */
gboolean
drs_credentials_reject_token (DrsCredentials *self, SoupMessage *message, const GError *error)
{
  const char *sent;

  g_return_val_if_fail (DRS_IS_CREDENTIALS (self), FALSE);

  if (self->kind != DRS_CREDENTIALS_PASSWORD || error == NULL || error->domain != DRS_ERROR ||
      drs_error_get_http_status (error) != SOUP_STATUS_UNAUTHORIZED ||
      !is_expired_token_code (drs_error_get_server_code (error)))
    return FALSE;

  sent = soup_message_headers_get_one (soup_message_get_request_headers (message), "X-Auth-Token");
  if (self->token != NULL && g_strcmp0 (sent, self->token) == 0)
    {
      g_debug ("The server refused the cached token (%s); signing in again",
               drs_error_get_server_code (error));
      g_clear_pointer (&self->token, drs_secret_free);
      self->expires_at_us = 0;
      self->renew_at_us = 0;
    }
  return TRUE;
}

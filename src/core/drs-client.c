/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "drs-client-private.h"
#include "drs-endpoint.h"
#include "drs-error.h"
#include "drs-http.h"

#define LIST_PAGE_SIZE 100
#define LIST_MAX_PAGES 1000

/* DrsProgressResult ------------------------------------------------------------------------ */

struct _DrsProgressResult
{
  gatomicrefcount ref_count;
  GStrv           job_ids;      /* requested, deduplicated, in request order */
  GHashTable     *order;        /* id → index + 1 */
  GPtrArray      *snapshots;    /* DrsSnapshot, in request order once complete */
  GHashTable     *by_id;        /* id → DrsSnapshot (borrowed) */
  GPtrArray      *batch_errors; /* DrsBatchError */
  GHashTable     *errors;       /* id → GError (borrowed) */
};

G_DEFINE_BOXED_TYPE (DrsProgressResult,
                     drs_progress_result,
                     drs_progress_result_ref,
                     drs_progress_result_unref)

void
drs_batch_error_free (DrsBatchError *batch_error)
{
  if (batch_error == NULL)
    return;
  g_strfreev (batch_error->job_ids);
  g_clear_error (&batch_error->error);
  g_free (batch_error);
}

void
drs_job_info_free (DrsJobInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->name);
  g_free (info->status);
  g_free (info->engine_type);
  g_free (info->db_use_type);
  g_free (info->create_time);
  g_free (info);
}

static DrsProgressResult *
progress_result_new (const char *const *job_ids)
{
  DrsProgressResult *self = g_new0 (DrsProgressResult, 1);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();

  g_atomic_ref_count_init (&self->ref_count);
  self->order = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; job_ids != NULL && job_ids[i] != NULL; i++)
    {
      if (*job_ids[i] == '\0' || g_hash_table_contains (self->order, job_ids[i]))
        continue;
      g_ptr_array_add (ids, g_strdup (job_ids[i]));
      g_hash_table_insert (self->order, ids->pdata[ids->len - 1], GUINT_TO_POINTER (ids->len));
    }
  g_ptr_array_add (ids, NULL);
  self->job_ids = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);

  self->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_snapshot_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->batch_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_batch_error_free);
  self->errors = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

DrsProgressResult *
drs_progress_result_ref (DrsProgressResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
drs_progress_result_unref (DrsProgressResult *result)
{
  g_return_if_fail (result != NULL);
  if (!g_atomic_ref_count_dec (&result->ref_count))
    return;
  g_hash_table_unref (result->errors);
  g_ptr_array_unref (result->batch_errors);
  g_hash_table_unref (result->by_id);
  g_ptr_array_unref (result->snapshots);
  g_hash_table_unref (result->order);
  g_strfreev (result->job_ids);
  g_free (result);
}

static gboolean
progress_result_add_snapshot (DrsProgressResult *self, DrsSnapshot *snapshot)
{
  if (!g_hash_table_contains (self->order, snapshot->job_id) ||
      g_hash_table_contains (self->by_id, snapshot->job_id))
    {
      drs_snapshot_free (snapshot);
      return FALSE;
    }
  g_ptr_array_add (self->snapshots, snapshot);
  g_hash_table_insert (self->by_id, snapshot->job_id, snapshot);
  return TRUE;
}

static void
progress_result_add_error (DrsProgressResult *self, GStrv job_ids, GError *error)
{
  DrsBatchError *batch_error = g_new0 (DrsBatchError, 1);

  batch_error->job_ids = job_ids;
  batch_error->error = error;
  g_ptr_array_add (self->batch_errors, batch_error);
  for (guint i = 0; job_ids[i] != NULL; i++)
    g_hash_table_insert (self->errors, job_ids[i], error);
}

static void
progress_result_sort (DrsProgressResult *self)
{
  GPtrArray *sorted =
      g_ptr_array_new_full (self->snapshots->len, (GDestroyNotify) drs_snapshot_free);

  /* The request order, by lookup: linear, where sorting by index was not. */
  for (guint i = 0; self->job_ids[i] != NULL; i++)
    {
      DrsSnapshot *snap = g_hash_table_lookup (self->by_id, self->job_ids[i]);

      if (snap != NULL)
        g_ptr_array_add (sorted, snap);
    }
  g_assert (sorted->len == self->snapshots->len);
  g_ptr_array_set_free_func (self->snapshots, NULL);
  g_ptr_array_unref (self->snapshots);
  self->snapshots = sorted;
}

/**
 * drs_progress_result_new_from_snapshots:
 * @job_ids: (nullable): the ids asked for; %NULL takes the ids of @snapshots
 * @snapshots: (element-type DrsSnapshot): parsed results, copied
 *
 * Builds a result from a saved response, for offline use. An id of @job_ids without a result
 * gets a %DRS_ERROR_PROTOCOL error.
 *
 * Returns: (transfer full): the result
 */
DrsProgressResult *
drs_progress_result_new_from_snapshots (const char *const *job_ids, GPtrArray *snapshots)
{
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) missing = g_ptr_array_new ();
  DrsProgressResult *self;

  if (job_ids == NULL)
    {
      ids = g_ptr_array_new ();
      for (guint i = 0; i < snapshots->len; i++)
        g_ptr_array_add (ids, ((DrsSnapshot *) snapshots->pdata[i])->job_id);
      g_ptr_array_add (ids, NULL);
      job_ids = (const char *const *) ids->pdata;
    }

  self = progress_result_new (job_ids);
  for (guint i = 0; i < snapshots->len; i++)
    progress_result_add_snapshot (self, drs_snapshot_copy (snapshots->pdata[i]));

  for (guint i = 0; self->job_ids[i] != NULL; i++)
    if (!g_hash_table_contains (self->by_id, self->job_ids[i]))
      g_ptr_array_add (missing, g_strdup (self->job_ids[i]));
  if (missing->len > 0)
    {
      g_ptr_array_add (missing, NULL);
      progress_result_add_error (self, (GStrv) g_ptr_array_free (g_steal_pointer (&missing), FALSE),
                                 g_error_new_literal (DRS_ERROR, DRS_ERROR_PROTOCOL,
                                                      _ ("The response has no result for this "
                                                         "task.")));
    }
  progress_result_sort (self);
  return self;
}

/**
 * drs_progress_result_get_job_ids:
 *
 * Returns: (transfer none): the ids that were asked for, deduplicated, in the order asked
 */
const char *const *
drs_progress_result_get_job_ids (DrsProgressResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return (const char *const *) result->job_ids;
}

/**
 * drs_progress_result_get_snapshot:
 *
 * Returns: (transfer none) (nullable): what the server said about @job_id; a per-job error
 *   (e.g. `DRS.M05003`, task not found) is in its `error_code`
 */
const DrsSnapshot *
drs_progress_result_get_snapshot (DrsProgressResult *result, const char *job_id)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (job_id != NULL, NULL);
  return g_hash_table_lookup (result->by_id, job_id);
}

/**
 * drs_progress_result_get_error:
 *
 * Returns: (transfer none) (nullable): the error of the batch @job_id was in, when it failed
 */
const GError *
drs_progress_result_get_error (DrsProgressResult *result, const char *job_id)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (job_id != NULL, NULL);
  return g_hash_table_lookup (result->errors, job_id);
}

/**
 * drs_progress_result_get_snapshots:
 *
 * Returns: (transfer none) (element-type DrsSnapshot): the snapshots, in request order
 */
GPtrArray *
drs_progress_result_get_snapshots (DrsProgressResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->snapshots;
}

/**
 * drs_progress_result_get_batch_errors:
 *
 * Returns: (transfer none) (element-type DrsBatchError): one entry per failed batch
 */
GPtrArray *
drs_progress_result_get_batch_errors (DrsProgressResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->batch_errors;
}

/* DrsClient -------------------------------------------------------------------------------- */

struct _DrsClient
{
  GObject parent_instance;

  /* owned */
  char           *endpoint;
  char           *project_id;
  DrsCredentials *credentials;
  char           *language;
  GTlsDatabase   *tls_database;
  SoupSession    *session; /* created on first use; replaced when the concurrency changes */
  GQueue          queue;   /* Batch waiting for a slot */

  guint    concurrency;
  guint    batch_size;
  guint    timeout_s;
  gsize    max_response;
  guint    running;
  gboolean purge_cancelled; /* a query was cancelled: its queued batches leave the queue */
};

G_DEFINE_FINAL_TYPE (DrsClient, drs_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ENDPOINT,
  PROP_PROJECT_ID,
  PROP_CREDENTIALS,
  PROP_LANGUAGE,
  PROP_CONCURRENCY,
  PROP_BATCH_SIZE,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
drs_client_dispose (GObject *object)
{
  DrsClient *self = DRS_CLIENT (object);

  /* Every queued batch holds a reference on us: the queue is empty here. */
  g_assert (g_queue_is_empty (&self->queue));
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->tls_database);
  g_clear_object (&self->credentials);

  G_OBJECT_CLASS (drs_client_parent_class)->dispose (object);
}

static void
drs_client_finalize (GObject *object)
{
  DrsClient *self = DRS_CLIENT (object);

  g_clear_pointer (&self->endpoint, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (drs_client_parent_class)->finalize (object);
}

static void
drs_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsClient *self = DRS_CLIENT (object);

  switch (prop_id)
    {
      case PROP_ENDPOINT:
        g_value_set_string (value, self->endpoint);
        break;
      case PROP_PROJECT_ID:
        g_value_set_string (value, self->project_id);
        break;
      case PROP_CREDENTIALS:
        g_value_set_object (value, self->credentials);
        break;
      case PROP_LANGUAGE:
        g_value_set_string (value, self->language);
        break;
      case PROP_CONCURRENCY:
        g_value_set_uint (value, self->concurrency);
        break;
      case PROP_BATCH_SIZE:
        g_value_set_uint (value, self->batch_size);
        break;
      case PROP_TIMEOUT:
        g_value_set_uint (value, self->timeout_s);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_client_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DrsClient *self = DRS_CLIENT (object);

  switch (prop_id)
    {
      case PROP_LANGUAGE:
        drs_client_set_language (self, g_value_get_string (value));
        break;
      case PROP_CONCURRENCY:
        drs_client_set_concurrency (self, g_value_get_uint (value));
        break;
      case PROP_BATCH_SIZE:
        drs_client_set_batch_size (self, g_value_get_uint (value));
        break;
      case PROP_TIMEOUT:
        drs_client_set_timeout (self, g_value_get_uint (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_client_class_init (DrsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = drs_client_dispose;
  object_class->finalize = drs_client_finalize;
  object_class->get_property = drs_client_get_property;
  object_class->set_property = drs_client_set_property;

  properties[PROP_ENDPOINT] =
      g_param_spec_string ("endpoint", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT_ID] = g_param_spec_string ("project-id", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREDENTIALS] = g_param_spec_object (
      "credentials", NULL, NULL, DRS_TYPE_CREDENTIALS, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
      g_param_spec_string ("language", NULL, NULL, "en-us",
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONCURRENCY] =
      g_param_spec_uint ("concurrency", NULL, NULL, 1, 64, DRS_CLIENT_DEFAULT_CONCURRENCY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_SIZE] =
      g_param_spec_uint ("batch-size", NULL, NULL, 1, 100, DRS_CLIENT_DEFAULT_BATCH_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
      g_param_spec_uint ("timeout", NULL, NULL, 1, 3600, DRS_CLIENT_DEFAULT_TIMEOUT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_client_init (DrsClient *self)
{
  self->language = g_strdup ("en-us");
  self->concurrency = DRS_CLIENT_DEFAULT_CONCURRENCY;
  self->batch_size = DRS_CLIENT_DEFAULT_BATCH_SIZE;
  self->timeout_s = DRS_CLIENT_DEFAULT_TIMEOUT;
  self->max_response = DRS_HTTP_DEFAULT_MAX_BODY;
  g_queue_init (&self->queue);
}

/**
 * drs_client_new:
 * @endpoint: the DRS base URL: `https://drs.REGION.myhuaweicloud.com`, or `http://` to a
 *   loopback address (the simulator)
 * @project_id: the project the tasks belong to
 * @credentials: how to authenticate
 *
 * Refuses, before anything is sent, an endpoint that is not a URL or uses plain `http://` to a
 * host other than this computer.
 *
 * Returns: (transfer full) (nullable): the client, or %NULL with %DRS_ERROR_INVALID
 */
DrsClient *
drs_client_new (const char     *endpoint,
                const char     *project_id,
                DrsCredentials *credentials,
                GError        **error)
{
  g_autofree char *normalized = NULL;
  DrsClient       *self;

  g_return_val_if_fail (endpoint != NULL, NULL);
  g_return_val_if_fail (DRS_IS_CREDENTIALS (credentials), NULL);

  normalized = drs_endpoint_normalize (endpoint, error);
  if (normalized == NULL)
    return NULL;

  if (project_id == NULL || *project_id == '\0')
    project_id = drs_credentials_get_project_id (credentials);
  if (project_id == NULL || *project_id == '\0')
    {
      g_set_error_literal (error, DRS_ERROR, DRS_ERROR_INVALID,
                           _ ("A project ID is needed to query DRS tasks."));
      return NULL;
    }

  self = g_object_new (DRS_TYPE_CLIENT, NULL);
  self->endpoint = g_steal_pointer (&normalized);
  self->project_id = g_strdup (project_id);
  self->credentials = g_object_ref (credentials);
  return self;
}

const char *
drs_client_get_endpoint (DrsClient *self)
{
  g_return_val_if_fail (DRS_IS_CLIENT (self), NULL);
  return self->endpoint;
}

const char *
drs_client_get_project_id (DrsClient *self)
{
  g_return_val_if_fail (DRS_IS_CLIENT (self), NULL);
  return self->project_id;
}

/**
 * drs_client_get_credentials:
 *
 * Returns: (transfer none): the credentials
 */
DrsCredentials *
drs_client_get_credentials (DrsClient *self)
{
  g_return_val_if_fail (DRS_IS_CLIENT (self), NULL);
  return self->credentials;
}

const char *
drs_client_get_language (DrsClient *self)
{
  g_return_val_if_fail (DRS_IS_CLIENT (self), NULL);
  return self->language;
}

/**
 * drs_client_set_language:
 * @x_language: (nullable): `en-us` or `zh-cn` (the `X-Language` header); %NULL for `en-us`
 */
void
drs_client_set_language (DrsClient *self, const char *x_language)
{
  g_autofree char *normalized = NULL;

  g_return_if_fail (DRS_IS_CLIENT (self));

  /* "zh_CN" and "ZH-CN" mean "zh-cn". */
  normalized =
      g_ascii_strdown (x_language != NULL && *x_language != '\0' ? x_language : "en-us", -1);
  g_strdelimit (normalized, "_", '-');
  if (g_strcmp0 (self->language, normalized) == 0)
    return;
  g_free (self->language);
  self->language = g_steal_pointer (&normalized);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

guint
drs_client_get_concurrency (DrsClient *self)
{
  g_return_val_if_fail (DRS_IS_CLIENT (self), 0);
  return self->concurrency;
}

/**
 * drs_client_set_concurrency:
 * @n: how many requests may be in flight at once (default 4); also the connections kept open
 */
void
drs_client_set_concurrency (DrsClient *self, guint n)
{
  g_return_if_fail (DRS_IS_CLIENT (self));

  n = CLAMP (n, 1, 64);
  if (self->concurrency == n)
    return;
  self->concurrency = n;
  /* max-conns-per-host is construct-only: the next request gets a new session; requests in
   * flight keep the old one alive until they finish. */
  g_clear_object (&self->session);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONCURRENCY]);
}

guint
drs_client_get_batch_size (DrsClient *self)
{
  g_return_val_if_fail (DRS_IS_CLIENT (self), 0);
  return self->batch_size;
}

/**
 * drs_client_set_batch_size:
 * @n: ids per request, 1–100 (default 10, what DRS recommends)
 */
void
drs_client_set_batch_size (DrsClient *self, guint n)
{
  g_return_if_fail (DRS_IS_CLIENT (self));

  n = CLAMP (n, 1, 100);
  if (self->batch_size == n)
    return;
  self->batch_size = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_SIZE]);
}

guint
drs_client_get_timeout (DrsClient *self)
{
  g_return_val_if_fail (DRS_IS_CLIENT (self), 0);
  return self->timeout_s;
}

/**
 * drs_client_set_timeout:
 * @seconds: how long one request may take, connection to last byte (default 30)
 */
void
drs_client_set_timeout (DrsClient *self, guint seconds)
{
  g_return_if_fail (DRS_IS_CLIENT (self));

  seconds = CLAMP (seconds, 1, 3600);
  if (self->timeout_s == seconds)
    return;
  self->timeout_s = seconds;
  if (self->session != NULL)
    soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

gsize
drs_client_get_max_response_size (DrsClient *self)
{
  g_return_val_if_fail (DRS_IS_CLIENT (self), 0);
  return self->max_response;
}

/**
 * drs_client_set_max_response_size:
 * @bytes: the largest response body read (default 8 MiB)
 */
void
drs_client_set_max_response_size (DrsClient *self, gsize bytes)
{
  g_return_if_fail (DRS_IS_CLIENT (self));
  self->max_response = MAX (bytes, 1);
}

/**
 * drs_client_set_ca_file:
 * @path: (nullable): a PEM file of certificate authorities to trust instead of the system's;
 *   %NULL goes back to the system's
 *
 * Certificates are always verified; this only changes whom to trust.
 *
 * Returns: %FALSE with %DRS_ERROR_INVALID when the file cannot be read
 */
gboolean
drs_client_set_ca_file (DrsClient *self, const char *path, GError **error)
{
  g_autoptr (GTlsDatabase) database = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GList) certificates = NULL;

  g_return_val_if_fail (DRS_IS_CLIENT (self), FALSE);

  if (path != NULL)
    {
      certificates = g_tls_certificate_list_new_from_file (path, &local_error);
      if (local_error == NULL && certificates == NULL)
        local_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                           _ ("it contains no certificate"));
      g_list_free_full (g_steal_pointer (&certificates), g_object_unref);
      if (local_error == NULL)
        database = g_tls_file_database_new (path, &local_error);
      if (database == NULL)
        {
          g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                       _ ("Cannot use “%s” as certificate authority file: %s"), path,
                       local_error->message);
          return FALSE;
        }
    }

  g_set_object (&self->tls_database, database);
  g_clear_object (&self->session);
  return TRUE;
}

static SoupSession *
get_session (DrsClient *self)
{
  if (self->session == NULL)
    self->session = drs_http_session_new (self->concurrency, self->timeout_s, self->tls_database);
  return self->session;
}

/* One request with authentication, a retry after a refused token, the timeout and the cap --- */

typedef struct
{
  DrsClient   *client;
  SoupSession *session;
  char        *method;
  char        *url;
  GBytes      *body;
  SoupMessage *message;
  gboolean     idempotent;
  gboolean     retried;
  /* Actions only (not idempotent): what is known about the attempt in flight. */
  gboolean request_written; /* the request headers went out whole: the server may act on it */
  gboolean answer_started;  /* a byte of an answer arrived */
  gboolean resent;
  guint    attempts;
} RequestData;

static void
request_data_free (RequestData *data)
{
  if (data->message != NULL)
    g_signal_handlers_disconnect_by_data (data->message, data);
  g_clear_object (&data->client);
  g_clear_object (&data->session);
  g_clear_pointer (&data->method, g_free);
  g_clear_pointer (&data->url, g_free);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_clear_object (&data->message);
  g_free (data);
}

typedef DrsResponse Response;

void
_drs_response_free (DrsResponse *response)
{
  if (response == NULL)
    return;
  g_clear_object (&response->message);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

#define response_free _drs_response_free

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, _drs_response_free)

static void request_send (GTask *task);

static void
on_wrote_headers (RequestData *data)
{
  data->request_written = TRUE;
}

static void
on_answer_started (RequestData *data)
{
  data->answer_started = TRUE;
}

static void
on_request_sent (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  Response *response;
  guint     status;

  body = drs_http_send_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      /* An action is sent again only when it provably never reached the server: its headers
       * never went out whole (so no server can have acted on it) and no byte of an answer came
       * back. Once, and never after a cancellation. */
      if (!data->idempotent && !data->request_written && !data->answer_started && !data->resent &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          g_debug ("%s %s was never sent (%s): sending it again", data->method, data->url,
                   error->message);
          data->resent = TRUE;
          request_send (g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (data->message);
  g_debug ("%s %s → %u (%" G_GSIZE_FORMAT " bytes)", data->method, data->url, status,
           g_bytes_get_size (body));

  if (status == SOUP_STATUS_UNAUTHORIZED && !data->retried)
    {
      g_autoptr (GError) auth_error = drs_http_error_from_response (data->message, body);

      if (drs_credentials_reject_token (data->client->credentials, data->message, auth_error))
        {
          data->retried = TRUE;
          request_send (g_steal_pointer (&task));
          return;
        }
    }

  response = g_new0 (Response, 1);
  response->message = g_object_ref (data->message);
  response->body = g_steal_pointer (&body);
  g_task_return_pointer (task, response, (GDestroyNotify) response_free);
}

static void
on_request_authorized (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RequestData  *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GError) error = NULL;

  if (!drs_credentials_authorize_finish (DRS_CREDENTIALS (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  drs_http_send_async (data->session, data->message, data->client->max_response,
                       data->client->timeout_s, cancellable, on_request_sent,
                       g_steal_pointer (&task));
}

static void
request_send (GTask *task)
{
  RequestData        *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  if (data->message != NULL)
    g_signal_handlers_disconnect_by_data (data->message, data);
  g_clear_object (&data->message);
  data->message = soup_message_new (data->method, data->url);
  g_assert (data->message != NULL);
  data->attempts++;
  data->request_written = FALSE;
  data->answer_started = FALSE;
  if (data->idempotent)
    /* Idempotent, so that libsoup reuses kept-alive connections for the POST; never follow a
     * redirect, which could lead to another host or to plain http. */
    soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT);
  else
    {
      /* An action: a fresh connection, so libsoup never sends it again by itself after a
       * kept-alive connection turns out closed; we watch what went out and what came back. */
      soup_message_add_flags (data->message,
                              SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_NEW_CONNECTION);
      g_signal_connect_swapped (data->message, "wrote-headers", G_CALLBACK (on_wrote_headers),
                                data);
      g_signal_connect_swapped (data->message, "got-informational", G_CALLBACK (on_answer_started),
                                data);
      g_signal_connect_swapped (data->message, "got-headers", G_CALLBACK (on_answer_started), data);
    }
  headers = soup_message_get_request_headers (data->message);
  soup_message_headers_replace (headers, "X-Language", data->client->language);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (data->body != NULL)
    soup_message_set_request_body_from_bytes (data->message, "application/json", data->body);

  if (drs_credentials_try_authorize (data->client->credentials, data->message, data->body,
                                     data->client->project_id))
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      drs_http_send_async (data->session, data->message, data->client->max_response,
                           data->client->timeout_s, cancellable, on_request_sent, task);
      return;
    }

  drs_credentials_authorize_async (data->client->credentials, data->session, data->message,
                                   data->body, data->client->project_id,
                                   g_task_get_cancellable (task), on_request_authorized, task);
}

/**
 * _drs_client_request_async:
 * @path: below `/v3/{project_id}/`
 * @idempotent: %FALSE for an action: it goes out on a fresh connection and is sent again (once)
 *   only when it provably never reached the server (see _drs_client_request_finish())
 *
 * One request with the client's transport, authentication, `X-Language`, timeout and cap.
 */
void
_drs_client_request_async (DrsClient          *self,
                           const char         *method,
                           const char         *path,
                           GBytes             *body,
                           gboolean            idempotent,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autofree char *project = g_uri_escape_string (self->project_id, NULL, FALSE);
  GTask           *task = g_task_new (self, cancellable, callback, user_data);
  RequestData     *data = g_new0 (RequestData, 1);

  g_task_set_source_tag (task, _drs_client_request_async);
  data->client = g_object_ref (self);
  data->session = g_object_ref (get_session (self));
  data->method = g_strdup (method);
  data->url = g_strdup_printf ("%s/v3/%s/%s", self->endpoint, project, path);
  data->body = body ? g_bytes_ref (body) : NULL;
  data->idempotent = idempotent;
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  request_send (task);
}

/**
 * _drs_client_request_finish:
 * @attempts: (out) (optional): how many times the request was sent (a resend after a refused
 *   token or after a connection that never carried it counts)
 * @maybe_received: (out) (optional): on a transport error, %FALSE when the server provably
 *   never received the request whole; %TRUE when it may have (and may have acted on it)
 *
 * Returns: (transfer full) (nullable): the answer whatever its status, or %NULL with a transport
 *   error
 */
DrsResponse *
_drs_client_request_finish (DrsClient    *self,
                            GAsyncResult *result,
                            guint        *attempts,
                            gboolean     *maybe_received,
                            GError      **error)
{
  RequestData *data = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (attempts != NULL)
    *attempts = data->attempts;
  if (maybe_received != NULL)
    *maybe_received = data->request_written || data->answer_started;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
client_request_async (DrsClient          *self,
                      const char         *method,
                      const char         *path,
                      GBytes             *body,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  _drs_client_request_async (self, method, path, body, TRUE, cancellable, callback, user_data);
}

static Response *
client_request_finish (DrsClient *self, GAsyncResult *result, GError **error)
{
  return _drs_client_request_finish (self, result, NULL, NULL, error);
}

/* batch-progress ---------------------------------------------------------------------------- */

typedef struct
{
  DrsProgressResult *result;
  guint              pending;
  GCancellable      *cancellable;
  gulong             cancel_handler;
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_clear_signal_handler (&data->cancel_handler, data->cancellable);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->result, drs_progress_result_unref);
  g_free (data);
}

typedef struct
{
  GTask *query; /* owns a reference */
  GStrv  job_ids;
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_object (&batch->query);
  g_strfreev (batch->job_ids);
  g_free (batch);
}

static void
append_json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static GBytes *
batch_body (const char *const *job_ids)
{
  GString *out = g_string_new ("{\"jobs\":[");

  for (guint i = 0; job_ids[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_json_string (out, job_ids[i]);
    }
  g_string_append (out, "]}");
  return g_string_free_to_bytes (out);
}

static void pump_queue (DrsClient *self);

static void
batch_done (DrsClient *self, Batch *batch, gboolean counted)
{
  g_autoptr (GTask) query = g_object_ref (batch->query);
  QueryData *data = g_task_get_task_data (query);

  batch_free (batch);
  if (counted)
    self->running--;

  if (--data->pending == 0)
    {
      g_clear_signal_handler (&data->cancel_handler, data->cancellable);
      progress_result_sort (data->result);
      g_task_return_pointer (query, drs_progress_result_ref (data->result),
                             (GDestroyNotify) drs_progress_result_unref);
    }
  pump_queue (self);
}

static void
batch_fail (Batch *batch, GError *error)
{
  QueryData *data = g_task_get_task_data (batch->query);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("A batch of %u ids failed: %s", g_strv_length (batch->job_ids), error->message);
  progress_result_add_error (data->result, g_steal_pointer (&batch->job_ids), error);
}

/* Matches results to the batch's ids by job_id; ids without a result get @missing_error. */
static void
batch_take_results (Batch *batch, GPtrArray *snapshots, GError *missing_error)
{
  QueryData *data = g_task_get_task_data (batch->query);
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) missing = g_ptr_array_new ();
  g_autoptr (GError) owned_missing_error = missing_error;

  for (guint i = 0; i < snapshots->len; i++)
    {
      DrsSnapshot *snap = snapshots->pdata[i];
      g_hash_table_insert (by_id, snap->job_id, snap);
    }

  for (guint i = 0; batch->job_ids[i] != NULL; i++)
    {
      const char  *id = batch->job_ids[i];
      DrsSnapshot *snap = g_hash_table_lookup (by_id, id);

      if (snap != NULL)
        {
          g_hash_table_remove (by_id, id);
          /* The array owns the snapshot; steal it without freeing. */
          for (guint j = 0; j < snapshots->len; j++)
            if (snapshots->pdata[j] == snap)
              {
                snapshots->pdata[j] = NULL;
                break;
              }
          progress_result_add_snapshot (data->result, snap);
        }
      else
        g_ptr_array_add (missing, g_strdup (id));
    }

  if (g_hash_table_size (by_id) > 0)
    g_debug ("Ignoring %u results for ids that were not asked for", g_hash_table_size (by_id));

  if (missing->len > 0)
    {
      GError *error = g_steal_pointer (&owned_missing_error);

      if (error == NULL)
        error =
            g_error_new (DRS_ERROR, DRS_ERROR_PROTOCOL,
                         g_dngettext (GETTEXT_PACKAGE,
                                      "The server’s answer has no result for %u task that was "
                                      "asked for.",
                                      "The server’s answer has no result for %u tasks that were "
                                      "asked for.",
                                      missing->len),
                         missing->len);
      g_ptr_array_add (missing, NULL);
      progress_result_add_error (
          data->result, (GStrv) g_ptr_array_free (g_steal_pointer (&missing), FALSE), error);
    }
}

static gboolean
body_has_results (GBytes *body)
{
  gsize       len;
  const char *data = g_bytes_get_data (body, &len);

  return data != NULL && g_strstr_len (data, (gssize) len, "\"results\"") != NULL;
}

static void
on_batch_response (GObject *object, GAsyncResult *result, gpointer user_data)
{
  DrsClient *self = DRS_CLIENT (object);
  Batch     *batch = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (Response) response = NULL;
  g_autoptr (GPtrArray) snapshots = NULL;
  guint       status;
  gsize       len;
  const char *text;

  response = client_request_finish (self, result, &error);
  if (response == NULL)
    {
      batch_fail (batch, g_steal_pointer (&error));
      batch_done (self, batch, TRUE);
      return;
    }

  status = soup_message_get_status (response->message);
  text = g_bytes_get_data (response->body, &len);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      snapshots = drs_progress_parse (text, len, &error);
      if (snapshots == NULL)
        {
          const char *request_id = soup_message_headers_get_one (
              soup_message_get_response_headers (response->message), "X-Request-Id");

          if (error->domain == DRS_ERROR && drs_error_get_request_id (error) == NULL)
            drs_error_set_details (error, status, drs_error_get_server_code (error),
                                   drs_error_get_server_message (error), request_id);
          batch_fail (batch, g_steal_pointer (&error));
        }
      else
        batch_take_results (batch, snapshots, NULL);
    }
  else if (status == SOUP_STATUS_BAD_REQUEST && body_has_results (response->body) &&
           (snapshots = drs_progress_parse (text, len, NULL)) != NULL && snapshots->len > 0)
    /* Per-job errors in a 400: the results carry them; ids without one share the body's error. */
    batch_take_results (batch, snapshots,
                        drs_http_error_from_response (response->message, response->body));
  else
    batch_fail (batch, drs_http_error_from_response (response->message, response->body));

  batch_done (self, batch, TRUE);
}

static void
batch_start (DrsClient *self, Batch *batch)
{
  GCancellable *cancellable = g_task_get_cancellable (batch->query);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  self->running++;
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      batch_fail (batch, g_steal_pointer (&error));
      batch_done (self, batch, TRUE);
      return;
    }

  body = batch_body ((const char *const *) batch->job_ids);
  client_request_async (self, SOUP_METHOD_POST, "jobs/batch-progress", body, cancellable,
                        on_batch_response, batch);
}

static void
pump_queue (DrsClient *self)
{
  /* Cancelled queries give their slots back at once, without waiting for a turn. */
  if (self->purge_cancelled)
    {
      g_autoptr (GPtrArray) cancelled = g_ptr_array_new ();

      self->purge_cancelled = FALSE;
      for (GList *l = self->queue.head; l != NULL;)
        {
          Batch        *batch = l->data;
          GList        *next = l->next;
          GCancellable *cancellable = g_task_get_cancellable (batch->query);

          if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
            {
              g_queue_delete_link (&self->queue, l);
              g_ptr_array_add (cancelled, batch);
            }
          l = next;
        }
      for (guint i = 0; i < cancelled->len; i++)
        {
          Batch *batch = cancelled->pdata[i];
          g_autoptr (GError) error = NULL;

          g_cancellable_set_error_if_cancelled (g_task_get_cancellable (batch->query), &error);
          batch_fail (batch, g_steal_pointer (&error));
          batch_done (self, batch, FALSE);
        }
    }

  while (self->running < self->concurrency && !g_queue_is_empty (&self->queue))
    batch_start (self, g_queue_pop_head (&self->queue));
}

static gboolean
pump_queue_idle (gpointer user_data)
{
  pump_queue (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_query_cancelled (GCancellable *cancellable, DrsClient *self)
{
  /* Queued batches of this query leave the queue; the ones in flight are being aborted. */
  self->purge_cancelled = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT, pump_queue_idle, g_object_ref (self), g_object_unref);
}

/**
 * drs_client_query_progress_async:
 * @job_ids: (array zero-terminated=1): the tasks; duplicates and empty ids are dropped
 *
 * Asks DRS for the progress of @job_ids: batches of at most drs_client_get_batch_size() ids,
 * at most drs_client_get_concurrency() of them in flight at once (counted over all queries
 * of this client), matched to the ids by `job_id`. A failed batch fails only its own ids.
 */
void
drs_client_query_progress_async (DrsClient          *self,
                                 const char *const  *job_ids,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  QueryData *data;
  guint      n;

  g_return_if_fail (DRS_IS_CLIENT (self));
  g_return_if_fail (job_ids != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_client_query_progress_async);

  data = g_new0 (QueryData, 1);
  data->result = progress_result_new (job_ids);
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);

  n = g_strv_length (data->result->job_ids);
  if (n == 0)
    {
      g_task_return_pointer (task, drs_progress_result_ref (data->result),
                             (GDestroyNotify) drs_progress_result_unref);
      return;
    }

  g_debug ("Querying %u tasks in batches of %u, %u at once", n, self->batch_size,
           self->concurrency);

  for (guint start = 0; start < n; start += self->batch_size)
    {
      Batch *batch = g_new0 (Batch, 1);
      guint  count = MIN (self->batch_size, n - start);

      batch->query = g_object_ref (task);
      batch->job_ids = g_new0 (char *, count + 1);
      for (guint i = 0; i < count; i++)
        batch->job_ids[i] = g_strdup (data->result->job_ids[start + i]);
      data->pending++;
      g_queue_push_tail (&self->queue, batch);
    }

  if (cancellable != NULL)
    {
      /* A plain signal, not g_cancellable_connect(): the handler is dropped when the query
       * completes, which may happen inside the emission. */
      data->cancellable = g_object_ref (cancellable);
      data->cancel_handler = g_signal_connect_object (cancellable, "cancelled",
                                                      G_CALLBACK (on_query_cancelled), self, 0);
    }

  pump_queue (self);
}

/**
 * drs_client_query_progress_finish:
 *
 * Returns: (transfer full): for every requested id a snapshot or the error of its batch; fails
 *   only when cancelled
 */
DrsProgressResult *
drs_client_query_progress_finish (DrsClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Job list ---------------------------------------------------------------------------------- */

static const char *const all_db_use_types[] = { "migration", "sync", "cloudDataGuard", NULL };

typedef struct
{
  GPtrArray *jobs;
  GStrv      types;
  guint      type_index;
  guint      page;
  guint      collected;
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->jobs, g_ptr_array_unref);
  g_strfreev (data->types);
  g_free (data);
}

static char *
dup_member_text (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_utf8_make_valid (json_node_get_string (node), -1);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

static void list_next_page (GTask *task);

static void
on_list_page (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (Response) response = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode   *root, *jobs_node, *total_node;
  JsonArray  *jobs;
  gint64      total = -1;
  const char *text;
  gsize       len;
  guint       n;

  response = client_request_finish (DRS_CLIENT (object), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (response->message)))
    {
      g_task_return_error (task, drs_http_error_from_response (response->message, response->body));
      return;
    }

  text = g_bytes_get_data (response->body, &len);
  if (text == NULL || len == 0 || !g_utf8_validate_len (text, len, NULL) ||
      !json_parser_load_from_data (parser, text, (gssize) len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (jobs_node = json_object_get_member (json_node_get_object (root), "jobs")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (jobs_node))
    {
      g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_PROTOCOL,
                               _ ("The server’s job list is not valid: it has no “jobs” list."));
      return;
    }

  total_node = json_object_get_member (json_node_get_object (root), "total_record");
  if (total_node != NULL && JSON_NODE_HOLDS_VALUE (total_node) &&
      json_node_get_value_type (total_node) == G_TYPE_INT64)
    total = json_node_get_int (total_node);

  jobs = json_node_get_array (jobs_node);
  n = json_array_get_length (jobs);
  for (guint i = 0; i < n; i++)
    {
      JsonNode   *element = json_array_get_element (jobs, i);
      JsonObject *job;
      DrsJobInfo *info;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      job = json_node_get_object (element);
      info = g_new0 (DrsJobInfo, 1);
      info->id = dup_member_text (job, "id");
      if (info->id == NULL || *info->id == '\0')
        {
          drs_job_info_free (info);
          continue;
        }
      info->name = dup_member_text (job, "name");
      info->status = dup_member_text (job, "status");
      info->engine_type = dup_member_text (job, "engine_type");
      info->db_use_type = dup_member_text (job, "db_use_type");
      if (info->db_use_type == NULL)
        info->db_use_type = g_strdup (data->types[data->type_index]);
      info->create_time = dup_member_text (job, "create_time");
      g_ptr_array_add (data->jobs, info);
    }
  data->collected += n;

  if (n == 0 || (total >= 0 && data->collected >= (guint64) total) || n < LIST_PAGE_SIZE ||
      data->page >= LIST_MAX_PAGES)
    {
      data->type_index++;
      data->page = 0;
      data->collected = 0;
    }

  if (data->types[data->type_index] == NULL)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->jobs),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  list_next_page (g_steal_pointer (&task));
}

static void
list_next_page (GTask *task)
{
  DrsClient *self = g_task_get_source_object (task);
  ListData  *data = g_task_get_task_data (task);
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (GBytes) bytes = NULL;

  data->page++;
  g_string_append_printf (body, "{\"cur_page\":%u,\"per_page\":%u,\"db_use_type\":", data->page,
                          LIST_PAGE_SIZE);
  append_json_string (body, data->types[data->type_index]);
  g_string_append_c (body, '}');
  bytes = g_string_free_to_bytes (g_steal_pointer (&body));

  client_request_async (self, SOUP_METHOD_POST, "jobs", bytes, g_task_get_cancellable (task),
                        on_list_page, task);
}

/**
 * drs_client_list_jobs_async:
 * @db_use_type: (nullable): `migration`, `sync` or `cloudDataGuard`; %NULL lists all three
 *
 * Lists the project's tasks (FACTS §7), every page.
 */
void
drs_client_list_jobs_async (DrsClient          *self,
                            const char         *db_use_type,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  GTask    *task;
  ListData *data;

  g_return_if_fail (DRS_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_client_list_jobs_async);
  data = g_new0 (ListData, 1);
  data->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_job_info_free);
  if (db_use_type != NULL)
    data->types = g_strdupv ((char **) (const char *const[]){ db_use_type, NULL });
  else
    data->types = g_strdupv ((char **) all_db_use_types);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  list_next_page (task);
}

/**
 * drs_client_list_jobs_finish:
 *
 * Returns: (transfer container) (element-type DrsJobInfo): the tasks
 */
GPtrArray *
drs_client_list_jobs_finish (DrsClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Project lookup ---------------------------------------------------------------------------- */

typedef struct
{
  DrsCredentials *credentials;
  SoupSession    *session;
  SoupMessage    *message;
  char           *region;
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_clear_object (&data->credentials);
  g_clear_object (&data->session);
  g_clear_object (&data->message);
  g_free (data->region);
  g_free (data);
}

static void
on_lookup_sent (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonNode   *root, *projects, *first, *id;
  const char *text;
  gsize       len;

  body = drs_http_send_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (data->message)))
    {
      g_task_return_error (task, drs_http_error_from_response (data->message, body));
      return;
    }

  text = g_bytes_get_data (body, &len);
  if (text == NULL || len == 0 || !g_utf8_validate_len (text, len, NULL) ||
      !json_parser_load_from_data (parser, text, (gssize) len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (projects = json_object_get_member (json_node_get_object (root), "projects")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (projects))
    {
      g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_PROTOCOL,
                               _ ("IAM’s project list is not valid: it has no “projects” list."));
      return;
    }

  if (json_array_get_length (json_node_get_array (projects)) == 0 ||
      (first = json_array_get_element (json_node_get_array (projects), 0)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (first) ||
      (id = json_object_get_member (json_node_get_object (first), "id")) == NULL ||
      !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING ||
      *json_node_get_string (id) == '\0')
    {
      g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_NOT_FOUND,
                               _ ("The account has no project in the region “%s”."), data->region);
      return;
    }

  g_task_return_pointer (task, g_strdup (json_node_get_string (id)), g_free);
}

static void
on_lookup_authorized (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LookupData   *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr (GError) error = NULL;

  if (!drs_credentials_authorize_finish (DRS_CREDENTIALS (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  drs_http_send_async (data->session, data->message, 1024 * 1024, DRS_CLIENT_DEFAULT_TIMEOUT,
                       cancellable, on_lookup_sent, g_steal_pointer (&task));
}

/**
 * drs_client_lookup_project_async:
 * @iam_endpoint: e.g. `https://iam.cn-north-4.myhuaweicloud.com`
 * @credentials: how to authenticate; password credentials without a project id sign in scoped
 *   to @region
 * @region: the region name, e.g. `cn-north-4`
 *
 * Finds the id of the account's project for @region: `GET /v3/projects?name=REGION`
 * (FACTS §4).
 */
void
drs_client_lookup_project_async (const char         *iam_endpoint,
                                 DrsCredentials     *credentials,
                                 const char         *region,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  LookupData      *data;

  g_return_if_fail (iam_endpoint != NULL);
  g_return_if_fail (DRS_IS_CREDENTIALS (credentials));
  g_return_if_fail (region != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_client_lookup_project_async);

  base = drs_endpoint_normalize (iam_endpoint, &error);
  if (base == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (LookupData, 1);
  data->credentials = g_object_ref (credentials);
  data->session = drs_http_session_new (1, DRS_CLIENT_DEFAULT_TIMEOUT, NULL);
  data->region = g_strdup (region);
  escaped = g_uri_escape_string (region, NULL, FALSE);
  url = g_strdup_printf ("%s/v3/projects?name=%s", base, escaped);
  data->message = soup_message_new (SOUP_METHOD_GET, url);
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_INVALID,
                               _ ("“%s” is not a valid IAM endpoint."), iam_endpoint);
      return;
    }
  soup_message_add_flags (data->message, SOUP_MESSAGE_NO_REDIRECT);

  if (drs_credentials_get_kind (credentials) == DRS_CREDENTIALS_PASSWORD &&
      drs_credentials_get_project_id (credentials) == NULL)
    drs_credentials_set_region (credentials, region);

  drs_credentials_authorize_async (credentials, data->session, data->message, NULL, NULL,
                                   cancellable, on_lookup_authorized, g_steal_pointer (&task));
}

/**
 * drs_client_lookup_project_finish:
 *
 * Returns: (transfer full): the project id
 */
char *
drs_client_lookup_project_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "drs-client-private.h"
#include "drs-endpoint.h"
#include "drs-error.h"
#include "drs-http.h"
#include "drs-json.h"
#include "drs-progress-result-private.h"

/*
 * DrsClient: the object and its settings (endpoint, project, credentials, language,
 * concurrency, batch size, timeout, response cap, certificate authorities), and batch-progress:
 * ids split into batches, a queue that keeps at most `concurrency` of them in flight over all
 * queries, and each answer matched to its ids. The transport is in drs-client-request.c, the
 * job list in drs-client-jobs.c, the actions in drs-client-actions.c, the project lookup in
 * drs-client-iam.c.
 */

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

/* `{"jobs": ["id", …]}` */
static GBytes *
batch_body (const char *const *job_ids)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobs");
  json_builder_begin_array (builder);
  for (guint i = 0; job_ids[i] != NULL; i++)
    json_builder_add_string_value (builder, job_ids[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return drs_json_builder_to_bytes (builder);
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
      _drs_progress_result_sort (data->result);
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
  _drs_progress_result_add_error (data->result, g_steal_pointer (&batch->job_ids), error);
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
          _drs_progress_result_add_snapshot (data->result, snap);
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
      _drs_progress_result_add_error (
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
  g_autoptr (DrsResponse) response = NULL;
  g_autoptr (GPtrArray) snapshots = NULL;
  guint       status;
  gsize       len;
  const char *text;

  response = _drs_client_post_finish (self, result, NULL, NULL, &error);
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
  _drs_client_post_async (self, "jobs/batch-progress", body, TRUE, cancellable, on_batch_response,
                          batch);
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
  QueryData         *data;
  const char *const *ids;
  guint              n;

  g_return_if_fail (DRS_IS_CLIENT (self));
  g_return_if_fail (job_ids != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_client_query_progress_async);

  data = g_new0 (QueryData, 1);
  data->result = _drs_progress_result_new (job_ids);
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);

  ids = drs_progress_result_get_job_ids (data->result);
  n = g_strv_length ((GStrv) ids);
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
        batch->job_ids[i] = g_strdup (ids[start + i]);
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

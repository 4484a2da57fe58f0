/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-client.h"
#include "drs-error.h"
#include "drs-http.h"
#include "drs-json.h"

/*
 * The project lookup (FACTS §4): which project id IAM gives the account in a region. It needs
 * no DrsClient (a client needs the project id): its own short-lived session, the credentials'
 * authentication, `GET /v3/projects?name=REGION` on the IAM endpoint.
 */

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

/* The id of the first project of IAM's answer, or NULL. */
static const char *
first_project_id (JsonObject *root)
{
  JsonArray  *projects = drs_json_object_get_array (root, "projects");
  JsonNode   *first;
  const char *id;

  if (projects == NULL || json_array_get_length (projects) == 0)
    return NULL;
  first = json_array_get_element (projects, 0);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    return NULL;
  id = drs_json_object_get_string (json_node_get_object (first), "id");
  return id != NULL && *id != '\0' ? id : NULL;
}

static void
on_lookup_sent (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  const char *id;

  body = drs_http_send_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL || !drs_http_check_status (data->message, body, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  root = drs_json_parse_object (parser, body);
  if (root == NULL || drs_json_object_get_array (root, "projects") == NULL)
    {
      g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_PROTOCOL,
                               _ ("IAM’s project list is not valid: it has no “projects” list."));
      return;
    }

  id = first_project_id (root);
  if (id == NULL)
    {
      g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_NOT_FOUND,
                               _ ("The account has no project in the region “%s”."), data->region);
      return;
    }

  g_task_return_pointer (task, g_strdup (id), g_free);
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
  g_autoptr (SoupMessage) message = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  LookupData      *data;

  g_return_if_fail (iam_endpoint != NULL);
  g_return_if_fail (DRS_IS_CREDENTIALS (credentials));
  g_return_if_fail (region != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_client_lookup_project_async);

  escaped = g_uri_escape_string (region, NULL, FALSE);
  path = g_strconcat ("/v3/projects?name=", escaped, NULL);
  message = drs_http_new_iam_message (SOUP_METHOD_GET, iam_endpoint, path, &error);
  if (message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (LookupData, 1);
  data->credentials = g_object_ref (credentials);
  data->session = drs_http_session_new (1, DRS_CLIENT_DEFAULT_TIMEOUT, NULL);
  data->message = g_steal_pointer (&message);
  data->region = g_strdup (region);
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);

  if (drs_credentials_get_kind (credentials) == DRS_CREDENTIALS_PASSWORD &&
      drs_credentials_get_project_id (credentials) == NULL)
    drs_credentials_set_region (credentials, region);

  drs_credentials_authorize_async (credentials, data->session, data->message, cancellable,
                                   on_lookup_authorized, g_steal_pointer (&task));
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

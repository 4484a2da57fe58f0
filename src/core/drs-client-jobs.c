/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-client-private.h"
#include "drs-error.h"
#include "drs-http.h"
#include "drs-json.h"

/*
 * The job list (FACTS §7): `POST /v3/{project_id}/jobs`, page after page, for one kind of task
 * (db_use_type) or for all three, read into DrsJobInfo.
 */

#define LIST_PAGE_SIZE 100
#define LIST_MAX_PAGES 1000

static const char *const all_db_use_types[] = { "migration", "sync", "cloudDataGuard", NULL };

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

/* A string member, or an integer one as text (a time in epoch milliseconds, say). */
static char *
dup_member_text (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return drs_json_object_dup_string (object, name);
}

static DrsJobInfo *
job_info_new (JsonObject *job, const char *db_use_type)
{
  g_autoptr (DrsJobInfo) info = g_new0 (DrsJobInfo, 1);

  info->id = dup_member_text (job, "id");
  if (info->id == NULL || *info->id == '\0')
    return NULL;
  info->name = dup_member_text (job, "name");
  info->status = dup_member_text (job, "status");
  info->engine_type = dup_member_text (job, "engine_type");
  info->db_use_type = dup_member_text (job, "db_use_type");
  if (info->db_use_type == NULL)
    info->db_use_type = g_strdup (db_use_type);
  info->create_time = dup_member_text (job, "create_time");
  return g_steal_pointer (&info);
}

static void list_next_page (GTask *task);

static void
on_list_page (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  ListData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsResponse) response = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *root;
  JsonArray  *jobs;
  JsonNode   *total_node;
  gint64      total = -1;
  guint       n;

  response = _drs_client_post_finish (DRS_CLIENT (object), result, NULL, NULL, &error);
  if (response == NULL || !drs_http_check_status (response->message, response->body, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  root = drs_json_parse_object (parser, response->body);
  jobs = root != NULL ? drs_json_object_get_array (root, "jobs") : NULL;
  if (jobs == NULL)
    {
      g_task_return_new_error (task, DRS_ERROR, DRS_ERROR_PROTOCOL,
                               _ ("The server’s job list is not valid: it has no “jobs” list."));
      return;
    }

  total_node = json_object_get_member (root, "total_record");
  if (total_node != NULL && JSON_NODE_HOLDS_VALUE (total_node) &&
      json_node_get_value_type (total_node) == G_TYPE_INT64)
    total = json_node_get_int (total_node);

  n = json_array_get_length (jobs);
  for (guint i = 0; i < n; i++)
    {
      JsonNode   *element = json_array_get_element (jobs, i);
      DrsJobInfo *info;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      info = job_info_new (json_node_get_object (element), data->types[data->type_index]);
      if (info != NULL)
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

/* `{"cur_page": N, "per_page": 100, "db_use_type": "…"}` */
static GBytes *
list_body (guint page, const char *db_use_type)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cur_page");
  json_builder_add_int_value (builder, page);
  json_builder_set_member_name (builder, "per_page");
  json_builder_add_int_value (builder, LIST_PAGE_SIZE);
  json_builder_set_member_name (builder, "db_use_type");
  json_builder_add_string_value (builder, db_use_type);
  json_builder_end_object (builder);
  return drs_json_builder_to_bytes (builder);
}

static void
list_next_page (GTask *task)
{
  DrsClient *self = g_task_get_source_object (task);
  ListData  *data = g_task_get_task_data (task);
  g_autoptr (GBytes) body = NULL;

  data->page++;
  body = list_body (data->page, data->types[data->type_index]);
  _drs_client_post_async (self, "jobs", body, TRUE, g_task_get_cancellable (task), on_list_page,
                          task);
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

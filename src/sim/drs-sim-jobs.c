/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include "drs-json.h"
#include "drs-sim-json.h"
#include "drs-simulator-private.h"

/*
 * The DRS endpoints of the simulator, once the faults let a request through: the project check,
 * `batch-progress` (the tasks' progress, in a shuffled order), `jobs` (the task list, a page at
 * a time) and `batch-pause-task` / `batch-retry-task` (drs-sim-actions.c does the work).
 */

#define MAX_PER_PAGE 1000

static gboolean
check_project (DrsSimulator *self, SoupServerMessage *msg, const char *project_id, gboolean chinese)
{
  const char *header =
      soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Project-Id");

  if (g_strcmp0 (project_id, self->project_id) == 0 &&
      (header == NULL || g_strcmp0 (header, self->project_id) == 0))
    return TRUE;
  _drs_sim_set_error_response (msg, SOUP_STATUS_FORBIDDEN, "DRS.M00261", chinese, NULL);
  return FALSE;
}

/* The job ids of a batch-progress body, or NULL when it is not a non-empty array of distinct
 * ones, answered with 400. */
static JsonArray *
get_job_ids (SoupServerMessage *msg, JsonNode *request, gboolean chinese)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = drs_json_object_get_array (json_node_get_object (request), "jobs");

  if (array == NULL || json_array_get_length (array) == 0)
    {
      _drs_sim_set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", chinese,
                                   chinese ? "jobs 必须是非空的任务ID数组。"
                                           : "“jobs” must be a non-empty array of task IDs.");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!drs_sim_json_holds (element, G_TYPE_STRING) || *json_node_get_string (element) == '\0')
        {
          _drs_sim_set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", chinese,
                                       chinese ? "jobs 的每一项必须是任务ID字符串。"
                                               : "Every item of “jobs” must be a task ID string.");
          return NULL;
        }
      if (!g_hash_table_add (seen, (gpointer) json_node_get_string (element)))
        {
          _drs_sim_set_error_response (msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00301", chinese, NULL);
          return NULL;
        }
    }
  return array;
}

static void
handle_batch_progress (DrsSimulator *self, SoupServerMessage *msg, gboolean chinese)
{
  g_autoptr (JsonNode) request = _drs_sim_parse_request (msg, chinese);
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  JsonArray  *ids = request != NULL ? get_job_ids (msg, request, chinese) : NULL;
  JsonObject *object;
  JsonArray  *out;
  DrsSimClock clock;

  if (ids == NULL)
    return;

  _drs_simulator_get_clock (self, &clock);
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      const char *id = json_array_get_string_element (ids, i);
      int         index = drs_sim_scenario_find_job (self->scenario, id);

      g_ptr_array_add (results, index >= 0 ? drs_sim_actions_build_progress (self->actions, index,
                                                                             &clock, chinese)
                                           : drs_sim_build_unknown_job (id, chinese));
    }

  /* The order is not documented: shuffle so clients match results by job_id. */
  for (guint i = results->len; i > 1; i--)
    {
      guint    j = g_rand_int_range (self->rand, 0, i);
      gpointer tmp = results->pdata[i - 1];

      results->pdata[i - 1] = results->pdata[j];
      results->pdata[j] = tmp;
    }

  object = json_object_new ();
  json_node_take_object (root, object);
  out = json_array_sized_new (results->len);
  for (guint i = 0; i < results->len; i++)
    json_array_add_element (out, json_node_ref (results->pdata[i]));
  json_object_set_int_member (object, "count", results->len);
  json_object_set_array_member (object, "results", out);
  _drs_sim_set_json_response (msg, self->success_status, root);
}

/* batch-pause-task, batch-retry-task: a read-only user (the read_only fault) is refused. */
static void
handle_action (DrsSimulator *self, SoupServerMessage *msg, gboolean pause, gboolean chinese)
{
  g_autoptr (JsonNode) request = NULL;
  g_autoptr (JsonNode) reply = NULL;
  DrsSimRefusal refusal = { NULL };
  DrsSimClock   clock;

  if (self->faults.read_only)
    {
      _drs_sim_set_error_response (msg, SOUP_STATUS_FORBIDDEN, "DRS.M00103", chinese, NULL);
      return;
    }

  request = _drs_sim_parse_request (msg, chinese);
  if (request == NULL)
    return;
  _drs_simulator_get_clock (self, &clock);
  reply = drs_sim_actions_handle (self->actions, pause, request, &clock, chinese, &refusal);
  if (reply == NULL)
    {
      _drs_sim_set_error_response (msg, SOUP_STATUS_BAD_REQUEST, refusal.code, chinese,
                                   refusal.detail);
      return;
    }
  _drs_sim_set_json_response (msg, SOUP_STATUS_OK, reply);
}

static gboolean
get_page_member (JsonObject *object, const char *member, gint64 max, gint64 *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (!drs_sim_json_holds (node, G_TYPE_INT64))
    return FALSE;
  *out = json_node_get_int (node);
  return *out >= 1 && *out <= max;
}

static int
compare_created (gconstpointer a, gconstpointer b, gpointer user_data)
{
  DrsSimScenario *scenario = user_data;
  guint           ia = GPOINTER_TO_UINT (*(gconstpointer *) a);
  guint           ib = GPOINTER_TO_UINT (*(gconstpointer *) b);
  gint64          sa = drs_sim_scenario_get_job_start (scenario, ia);
  gint64          sb = drs_sim_scenario_get_job_start (scenario, ib);

  /* Newest first, like the console; scenario order among equals. */
  if (sa != sb)
    return sa < sb ? 1 : -1;
  return ia < ib ? -1 : (ia > ib);
}

static void
handle_jobs (DrsSimulator *self, SoupServerMessage *msg, gboolean chinese)
{
  g_autoptr (JsonNode) request = _drs_sim_parse_request (msg, chinese);
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) matching = g_ptr_array_new ();
  JsonObject *body;
  JsonObject *object;
  JsonArray  *jobs;
  DrsSimClock clock;
  DrsScenario scenario;
  gint64      cur_page = 0, per_page = 0;

  if (request == NULL)
    return;
  body = json_node_get_object (request);
  scenario = drs_scenario_from_string (drs_json_object_get_string (body, "db_use_type"));
  if (!get_page_member (body, "cur_page", G_MAXINT64, &cur_page) ||
      !get_page_member (body, "per_page", MAX_PER_PAGE, &per_page) ||
      scenario == DRS_SCENARIO_UNKNOWN)
    {
      _drs_sim_set_error_response (
          msg, SOUP_STATUS_BAD_REQUEST, "DRS.M00200", chinese,
          chinese ? "cur_page、per_page（1–1000）和 db_use_type（migration、sync、"
                    "cloudDataGuard）均为必填。"
                  : "cur_page, per_page (1–1000) and db_use_type (migration, "
                    "sync, cloudDataGuard) are required.");
      return;
    }

  _drs_simulator_get_clock (self, &clock);
  for (guint i = 0; i < drs_sim_scenario_get_n_jobs (self->scenario); i++)
    if (drs_sim_scenario_get_job_scenario (self->scenario, i) == scenario &&
        drs_sim_scenario_job_visible (self->scenario, i, &clock))
      g_ptr_array_add (matching, GUINT_TO_POINTER (i));
  g_ptr_array_sort_with_data (matching, compare_created, self->scenario);

  root = json_node_new (JSON_NODE_OBJECT);
  object = json_object_new ();
  json_node_take_object (root, object);
  jobs = json_array_new ();
  for (gint64 k = (cur_page - 1) * per_page; k < cur_page * per_page && k < matching->len; k++)
    json_array_add_element (
        jobs, drs_sim_actions_build_list_item (self->actions, GPOINTER_TO_UINT (matching->pdata[k]),
                                               &clock));
  json_object_set_int_member (object, "total_record", matching->len);
  json_object_set_array_member (object, "jobs", jobs);
  _drs_sim_set_json_response (msg, SOUP_STATUS_OK, root);
}

/**
 * _drs_simulator_handle_drs:
 * @endpoint: batch-progress, jobs, batch-pause-task or batch-retry-task
 * @project_id: the project of the request's path
 *
 * Answers a DRS request once its credentials and project are checked.
 */
void
_drs_simulator_handle_drs (DrsSimulator      *self,
                           SoupServerMessage *msg,
                           DrsSimEndpoint     endpoint,
                           const char        *project_id,
                           gboolean           chinese)
{
  if (!_drs_simulator_authenticate (self, msg, chinese) ||
      !check_project (self, msg, project_id, chinese))
    return;

  switch (endpoint)
    {
      case DRS_SIM_ENDPOINT_BATCH_PROGRESS:
        handle_batch_progress (self, msg, chinese);
        break;
      case DRS_SIM_ENDPOINT_JOBS:
        handle_jobs (self, msg, chinese);
        break;
      case DRS_SIM_ENDPOINT_PAUSE:
      case DRS_SIM_ENDPOINT_RETRY:
        handle_action (self, msg, endpoint == DRS_SIM_ENDPOINT_PAUSE, chinese);
        break;
      case DRS_SIM_ENDPOINT_TOKENS:
      case DRS_SIM_ENDPOINT_PROJECTS:
      case DRS_SIM_ENDPOINT_SIM:
      case DRS_SIM_ENDPOINT_OTHER:
      case DRS_SIM_N_ENDPOINTS:
      default:
        g_assert_not_reached ();
    }
}

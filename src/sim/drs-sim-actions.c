/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-simulator"

#include "config.h"

#include "drs-job-id.h"
#include "drs-json.h"
#include "drs-sim-actions.h"
#include "drs-sim-json.h"

/*
 * `batch-pause-task` and `batch-retry-task` (FACTS §9) on top of the scenario's timelines.
 *
 * - Pause applies to a task whose status is running (migrating, synchronizing, DR); it shows
 *   `PAUSING` at once, its values frozen. Resume (batch-retry-task on a `PAUSING` task) puts a
 *   task back on its timeline, later by the time it spent paused.
 * - Retry (batch-retry-task on a failed task) leaves the timeline: the task goes back to the
 *   running status it had before it failed and stays there (it can be paused and resumed).
 * - Any other state fails alone with `DRS.M05005`; an unknown task with `DRS.M05003`, an id that
 *   is not a task id with `DRS.M00200`. The body itself (no jobs, more than ten, a bad
 *   pause_mode, duplicates) fails whole with 400; one that is not a JSON object never gets here.
 */

#define MAX_JOBS 10

typedef struct
{
  gint64    shift_ms;     /* scenario time the job spent paused: its timeline runs that late */
  gint64    paused_at_ms; /* scenario time of the pause, -1 when not paused */
  gboolean  detached;     /* retried: no timeline any more, @status instead */
  char     *status;       /* detached: the running status it went back to */
  JsonNode *frozen;       /* paused or detached: the answer at that moment */
} Override;

struct _DrsSimActions
{
  DrsSimScenario *scenario;  /* borrowed: the simulator's, replaced by drs_sim_actions_reset() */
  GHashTable     *overrides; /* job index → Override */
};

static void
override_free (Override *o)
{
  g_free (o->status);
  g_clear_pointer (&o->frozen, json_node_unref);
  g_free (o);
}

/**
 * drs_sim_actions_new:
 * @scenario: borrowed: it must outlive the actions, or be replaced by drs_sim_actions_reset()
 */
DrsSimActions *
drs_sim_actions_new (DrsSimScenario *scenario)
{
  DrsSimActions *self = g_new0 (DrsSimActions, 1);

  self->scenario = scenario;
  self->overrides = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) override_free);
  return self;
}

void
drs_sim_actions_free (DrsSimActions *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->overrides);
  g_free (self);
}

/* A new scenario: every job back on its timeline. */
void
drs_sim_actions_reset (DrsSimActions *self, DrsSimScenario *scenario)
{
  self->scenario = scenario;
  g_hash_table_remove_all (self->overrides);
}

static Override *
lookup (DrsSimActions *self, guint index)
{
  return g_hash_table_lookup (self->overrides, GUINT_TO_POINTER (index));
}

/* The job's own clock: the scenario's, minus the time it spent paused. */
static void
job_clock (Override *o, const DrsSimClock *clock, DrsSimClock *out)
{
  *out = *clock;
  if (o != NULL)
    out->elapsed_ms -= o->shift_ms;
}

const char *
drs_sim_actions_get_status (DrsSimActions *self, guint index, const DrsSimClock *clock)
{
  Override   *o = lookup (self, index);
  DrsSimClock own;

  if (o != NULL && o->paused_at_ms >= 0)
    return "PAUSING";
  if (o != NULL && o->detached)
    return o->status;
  job_clock (o, clock, &own);
  return drs_sim_scenario_get_job_status (self->scenario, index, &own);
}

static void
set_number (JsonObject *object, const char *member, gint64 value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  json_object_set_string_member (object, member, text);
}

JsonNode *
drs_sim_actions_build_progress (DrsSimActions     *self,
                                guint              index,
                                const DrsSimClock *clock,
                                gboolean           chinese)
{
  Override   *o = lookup (self, index);
  DrsSimClock own;
  JsonNode   *node;
  JsonObject *object;

  if (o == NULL || o->frozen == NULL)
    {
      job_clock (o, clock, &own);
      return drs_sim_scenario_build_progress (self->scenario, index, &own, chinese);
    }

  node = json_node_copy (o->frozen);
  object = json_node_get_object (node);
  json_object_set_string_member (object, "transfer_status",
                                 drs_sim_actions_get_status (self, index, clock));
  if (o->paused_at_ms < 0)
    {
      /* Running again after a retry: caught up, and processing now. */
      gboolean incremental = drs_job_status_is_incremental (drs_job_status_from_string (o->status));

      set_number (object, "process_time", clock->wall_ms);
      json_object_set_string_member (object, "incre_trans_delay", incremental ? "0" : "-1");
      if (json_object_has_member (object, "incre_trans_delay_millis"))
        json_object_set_string_member (object, "incre_trans_delay_millis",
                                       incremental ? "300" : "-1");
    }
  return node;
}

JsonNode *
drs_sim_actions_build_list_item (DrsSimActions *self, guint index, const DrsSimClock *clock)
{
  JsonNode *node = drs_sim_scenario_build_list_item (self->scenario, index, clock);

  json_object_set_string_member (json_node_get_object (node), "status",
                                 drs_sim_actions_get_status (self, index, clock));
  return node;
}

static Override *
ensure (DrsSimActions *self, guint index)
{
  Override *o = lookup (self, index);

  if (o == NULL)
    {
      o = g_new0 (Override, 1);
      o->paused_at_ms = -1;
      g_hash_table_insert (self->overrides, GUINT_TO_POINTER (index), o);
    }
  return o;
}

/* Takes the job off its timeline, back to the running status it had, its answer @now frozen. */
static void
detach (DrsSimActions *self, guint index, const DrsSimClock *clock, JsonNode *now)
{
  Override   *o = ensure (self, index);
  DrsSimClock own;

  job_clock (o, clock, &own);
  g_free (o->status);
  o->status = g_strdup (drs_sim_scenario_get_resume_status (self->scenario, index, &own));
  o->detached = TRUE;
  o->paused_at_ms = -1;
  g_clear_pointer (&o->frozen, json_node_unref);
  o->frozen = now;
}

/* Applies the action to one job; returns NULL on success, else the DRS code it fails with. */
static const char *
apply (DrsSimActions *self, gboolean pause, const char *id, const DrsSimClock *clock)
{
  int index = drs_sim_scenario_find_job (self->scenario, id);
  g_autoptr (JsonNode) now = NULL;
  JsonObject  *object;
  const char  *code;
  const char  *status;
  DrsJobStatus status_enum;
  DrsTaskMode  mode;
  Override    *o;

  if (!drs_job_id_is_valid (id))
    return "DRS.M00200";
  if (index < 0)
    return "DRS.M05003";

  now = drs_sim_actions_build_progress (self, index, clock, FALSE);
  object = json_node_get_object (now);
  status = json_object_get_string_member_with_default (object, "transfer_status", NULL);
  code = json_object_get_string_member_with_default (object, "error_code", NULL);
  if (status == NULL)
    /* Not created yet, or gone: the error its progress answers with. */
    return code != NULL ? code : "DRS.M05003";

  status_enum = drs_job_status_from_string (status);
  mode = drs_task_mode_from_string (
      json_object_get_string_member_with_default (object, "task_mode", NULL));
  o = lookup (self, index);

  if (pause)
    {
      if (!drs_task_action_applies (DRS_TASK_ACTION_PAUSE, status_enum, mode))
        return "DRS.M05005";
      o = ensure (self, index);
      o->paused_at_ms = clock->elapsed_ms;
      if (o->frozen == NULL)
        o->frozen = g_steal_pointer (&now);
    }
  else if (status_enum == DRS_JOB_STATUS_PAUSING && o != NULL && o->paused_at_ms >= 0)
    {
      /* Resume: back on the timeline (or to the retried status), as late as it paused. */
      if (!o->detached)
        {
          o->shift_ms += clock->elapsed_ms - o->paused_at_ms;
          g_clear_pointer (&o->frozen, json_node_unref);
        }
      o->paused_at_ms = -1;
    }
  else if (status_enum == DRS_JOB_STATUS_PAUSING)
    /* Paused by the scenario itself: resumes to the running status it had. */
    detach (self, index, clock, g_steal_pointer (&now));
  else if (drs_task_action_applies (DRS_TASK_ACTION_RETRY, status_enum, mode))
    {
      json_object_remove_member (object, "error_code");
      json_object_remove_member (object, "error_msg");
      detach (self, index, clock, g_steal_pointer (&now));
    }
  else
    return "DRS.M05005";
  return NULL;
}

static gboolean
refuse (DrsSimRefusal *refusal, const char *code, const char *detail)
{
  refusal->code = code;
  refusal->detail = detail;
  return FALSE;
}

/* Checks the whole body first: nothing is applied unless all of it is well-formed. */
static gboolean
validate (JsonNode *request, gboolean pause, gboolean zh, DrsSimRefusal *refusal)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = drs_json_object_get_array (json_node_get_object (request), "jobs");
  guint      n = array != NULL ? json_array_get_length (array) : 0;

  if (n == 0)
    return refuse (refusal, "DRS.M00200",
                   zh ? "jobs 必须是非空数组。" : "“jobs” must be a non-empty array.");
  if (n > MAX_JOBS)
    return refuse (refusal, "DRS.M00200",
                   zh ? "每次最多操作10个任务。" : "At most 10 tasks per request.");
  for (guint i = 0; i < n; i++)
    {
      JsonNode   *element = json_array_get_element (array, i);
      JsonObject *job;
      const char *id, *mode;
      JsonNode   *re_edit;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return refuse (refusal, "DRS.M00200",
                       zh ? "jobs 的每一项必须是对象。"
                          : "Every item of “jobs” must be an object.");
      job = json_node_get_object (element);
      id = drs_json_object_get_string (job, "job_id");
      if (id == NULL || *id == '\0')
        return refuse (refusal, "DRS.M00200",
                       zh ? "job_id 为必填字符串。" : "“job_id” is a required string.");
      mode = drs_json_object_get_string (job, "pause_mode");
      if (pause && g_strcmp0 (mode, "target") != 0 && g_strcmp0 (mode, "all") != 0)
        return refuse (refusal, "DRS.M00200",
                       zh ? "pause_mode 必须为 target 或 all。"
                          : "“pause_mode” must be “target” or “all”.");
      re_edit = json_object_get_member (job, "is_sync_re_edit");
      if (!pause && re_edit != NULL && !drs_sim_json_holds (re_edit, G_TYPE_BOOLEAN))
        return refuse (refusal, "DRS.M00200",
                       zh ? "is_sync_re_edit 必须为布尔值。"
                          : "“is_sync_re_edit” must be true or false.");
      if (!g_hash_table_add (seen, (gpointer) id))
        return refuse (refusal, "DRS.M00301", NULL);
    }
  return TRUE;
}

/**
 * drs_sim_actions_handle:
 * @pause: `batch-pause-task`, else `batch-retry-task`
 * @request: the body, a JSON object
 * @refusal: (out caller-allocates): for a body that fails whole, why
 *
 * Returns: (transfer full) (nullable): the 200 answer, one result per task in request order;
 *   %NULL for a body that fails whole
 */
JsonNode *
drs_sim_actions_handle (DrsSimActions     *self,
                        gboolean           pause,
                        JsonNode          *request,
                        const DrsSimClock *clock,
                        gboolean           chinese,
                        DrsSimRefusal     *refusal)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  JsonArray *array;
  guint      n;

  g_return_val_if_fail (request != NULL && JSON_NODE_HOLDS_OBJECT (request), NULL);

  if (!validate (request, pause, chinese, refusal))
    return NULL;

  array = drs_json_object_get_array (json_node_get_object (request), "jobs");
  n = json_array_get_length (array);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, n);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *job = json_node_get_object (json_array_get_element (array, i));
      const char *id = json_object_get_string_member (job, "job_id");
      const char *code = apply (self, pause, id, clock);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, code == NULL ? "success" : "failed");
      if (code != NULL)
        {
          json_builder_set_member_name (builder, "error_code");
          json_builder_add_string_value (builder, code);
          json_builder_set_member_name (builder, "error_msg");
          json_builder_add_string_value (builder, drs_sim_message (code, chinese));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

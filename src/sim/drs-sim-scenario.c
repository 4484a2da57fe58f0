/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-sim-scenario"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "drs-sim-resources.h"
#include "drs-sim-scenario.h"

/*
 * A scenario: the jobs the simulator knows and how each moves through its life on the simulated
 * clock. The file format (JSON; see also README):
 *
 * {
 *   "project_id": "…",              optional: the project id the simulator serves
 *   "jobs": [ {
 *     "id": "…",                    required, unique
 *     "name": "…",                  default: the id
 *     "scenario": "migration",      migration | sync | cloudDataGuard (default migration)
 *     "task_mode": "FULL_INCR_TRANS", sent verbatim (default FULL_INCR_TRANS)
 *     "engine_type": "mysql",       default mysql
 *     "start": -3600,               scenario second the job is created (default 0); before it the
 *                                   job does not exist (DRS.M05003, not listed)
 *     "progress_map": true,         send progress_map (default: unless task_mode is INCR_TRANS)
 *     "delay_millis": true,         send incre_trans_delay_millis (default true; false = old
 * server) "phases": [ {                 required, at least one; a job stays in its last phase
 *       "status": "FULL_TRANSFER_STARTED",  transfer_status, unknown values sent verbatim
 *       "duration": 1800,           seconds; required except on the last phase (lasts forever)
 *       "progress": [0, 100],       overall percent at the phase's start and end (or one number);
 *                                   default: where the previous phase ended (first phase: 0)
 *       "struct": [0, 100], "data": [0, 100], "index": [0, 100]
 *                                   progress_map parts; default in FULL_TRANSFER_STARTED: derived
 *                                   from progress (struct over 0–10 %, data 10–90 %, index 90–100
 * %), elsewhere where the previous phase left them "remaining_time": 0,        fixed remaining_time
 * in seconds (default: the wall-clock time left in a phase whose progress moves, else 0) "delay": {
 * incremental delay (default in INCRE_TRANSFER_STARTED: base 500 ms + jitter 500 ms; "-1" in phases
 * without one) "base_ms": 800, "jitter_ms": 400, "initial_ms": 90000, "settle_s": 300, catch-up
 * delay decaying over settle_s "spike_every_s": 900, "spike_duration_s": 60, "spike_ms": 45000,
 * periodic spikes "spikes": [ { "at": 600, "duration": 120, "peak_ms": 120000 } ]   one-off spikes
 *       },
 *       "error_code": "DRS.M…", "error_msg": "…", "error_msg_zh": "…"   per-job error in this phase
 *       "missing": true,            answer like an unknown id (error_code, default DRS.M05004)
 *                                   and leave the job list
 *       "raw": { "progress": "" }   members sent verbatim, replacing the computed ones
 *     } ]
 *   } ]
 * }
 *
 * process_time is "0" until the job has been in a running phase, then the wall clock while it
 * runs, frozen at the wall time its phase began while it does not.
 */

G_DEFINE_QUARK (drs - sim - scenario - error - quark, drs_sim_scenario_error)

/* The largest number a scenario may give (seconds or milliseconds: ~31,000 years of seconds),
 * and the longest a job's phases may last together, so every time converts to gint64
 * milliseconds without overflow. Found by tests/fuzz/fuzz-scenario ("start": 1e300). */
#define MAX_NUMBER 1e12
#define MAX_TIMELINE_MS G_GINT64_CONSTANT (10000000000000000)

enum
{
  PART_STRUCT,
  PART_DATA,
  PART_INDEX,
  N_PARTS
};

static const char *const part_names[N_PARTS] = { "struct", "data", "index" };
/* Derived parts: each moves over its own stretch of the overall progress. */
static const double part_lo[N_PARTS] = { 0, 10, 90 };
static const double part_hi[N_PARTS] = { 10, 90, 100 };

typedef struct
{
  gint64 at_ms;
  gint64 duration_ms;
  gint64 peak_ms;
} Spike;

typedef struct
{
  char        *status;
  DrsJobStatus status_enum;
  gint64       start_ms;    /* relative to the job's start */
  gint64       duration_ms; /* -1: forever */
  double       progress_from, progress_to;
  gboolean     parts_derived;
  gboolean     parts_known;
  double       parts_from[N_PARTS], parts_to[N_PARTS];
  gint64       remaining_s; /* -1: computed */
  gboolean     has_delay;
  gint64       base_ms, jitter_ms, initial_ms, settle_ms;
  gint64       spike_every_ms, spike_duration_ms, spike_ms;
  GArray      *spikes;
  char        *error_code, *error_msg, *error_msg_zh;
  gboolean     missing;
  JsonObject  *raw;
} Phase;

typedef struct
{
  char       *id;
  char       *name;
  char       *task_mode;
  char       *engine_type;
  DrsScenario scenario;
  gint64      start_ms;
  gboolean    progress_map;
  gboolean    delay_millis;
  guint       first_running; /* index of the first running phase, or G_MAXUINT */
  GArray     *phases;        /* of Phase */
} Job;

struct _DrsSimScenario
{
  char       *project_id;
  GPtrArray  *jobs;  /* of Job */
  GHashTable *by_id; /* id → index + 1 */
};

static const struct
{
  const char *code;
  const char *en;
  const char *zh;
} messages[] = {
  { "DRS.M05003", "The task does not exist.", "任务不存在。" },
  { "DRS.M05004", "The task has been deleted or its resources released.",
    "任务已删除或资源已释放。" },
  { "DRS.M00301", "The request contains duplicate task IDs.", "请求中存在重复的任务ID。" },
  { "DRS.M00200", "Invalid request parameter.", "请求参数无效。" },
  { "DRS.M00261", "Invalid project ID.", "项目ID无效。" },
  { "DRS.M00004", "Internal service error. Try again later.", "服务内部错误，请稍后重试。" },
  { "DRS.M00103", "You do not have permission to operate this task.", "您没有操作该任务的权限。" },
  { "DRS.M05005", "The task's status does not allow this operation.",
    "任务当前状态不允许执行该操作。" },
  { "APIGW.0301", "Incorrect IAM authentication information.", "IAM认证信息错误。" },
  { "APIGW.0308", "The throttling threshold has been reached.", "已达到流控阈值。" },
  { "APIGW.0101", "The API does not exist or has not been published in the environment.",
    "API不存在或未在环境中发布。" },
  { "APIGW.0610", "Bad gateway: the backend did not answer properly.", "网关错误：后端响应异常。" },
  { "APIGW.0613", "The service is temporarily unavailable.", "服务暂时不可用。" },
};

/**
 * drs_sim_message:
 *
 * Returns: the server's message for @code in English or Chinese (a generic one for unknown codes)
 */
const char *
drs_sim_message (const char *code, gboolean chinese)
{
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    if (g_strcmp0 (messages[i].code, code) == 0)
      return chinese ? messages[i].zh : messages[i].en;
  return chinese ? "任务执行出错。" : "The task encountered an error.";
}

static void
phase_clear (gpointer data)
{
  Phase *phase = data;

  g_free (phase->status);
  g_clear_pointer (&phase->spikes, g_array_unref);
  g_free (phase->error_code);
  g_free (phase->error_msg);
  g_free (phase->error_msg_zh);
  g_clear_pointer (&phase->raw, json_object_unref);
}

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->id);
  g_free (job->name);
  g_free (job->task_mode);
  g_free (job->engine_type);
  g_clear_pointer (&job->phases, g_array_unref);
  g_free (job);
}

void
drs_sim_scenario_free (DrsSimScenario *self)
{
  if (self == NULL)
    return;
  g_free (self->project_id);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_free (self);
}

/* Reading members, strictly: a present member of the wrong type is an error. */

static gboolean
invalid (GError **error, const char *where, const char *what)
{
  /* Translators: where in a scenario file, then what is wrong there */
  g_set_error (error, DRS_SIM_SCENARIO_ERROR, DRS_SIM_SCENARIO_ERROR_INVALID, _ ("%s: %s"), where,
               what);
  return FALSE;
}

static gboolean
get_string (JsonObject *object,
            const char *member,
            const char *fallback,
            char      **out,
            const char *where,
            GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = g_strdup (fallback);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_autofree char *what = g_strdup_printf (_ ("“%s” must be a string"), member);
      return invalid (error, where, what);
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
node_get_number (JsonNode *node, double *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return isfinite (*out);
}

static gboolean
get_number (JsonObject *object,
            const char *member,
            double      fallback,
            double     *out,
            const char *where,
            GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!node_get_number (node, out))
    {
      g_autofree char *what = g_strdup_printf (_ ("“%s” must be a number"), member);
      return invalid (error, where, what);
    }
  if (fabs (*out) > MAX_NUMBER)
    {
      g_autofree char *what = g_strdup_printf (_ ("“%s” is out of range"), member);
      return invalid (error, where, what);
    }
  return TRUE;
}

static gboolean
get_bool (JsonObject *object,
          const char *member,
          gboolean    fallback,
          gboolean   *out,
          const char *where,
          GError    **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_autofree char *what = g_strdup_printf (_ ("“%s” must be true or false"), member);
      return invalid (error, where, what);
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A range is a number (constant) or [from, to]; both within 0–100. */
static gboolean
get_range (JsonObject *object,
           const char *member,
           gboolean   *present,
           double     *from,
           double     *to,
           const char *where,
           GError    **error)
{
  JsonNode        *node = json_object_get_member (object, member);
  g_autofree char *what = g_strdup_printf (_ ("“%s” must be a percentage or [from, to]"), member);

  *present = FALSE;
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) != 2 ||
          !node_get_number (json_array_get_element (array, 0), from) ||
          !node_get_number (json_array_get_element (array, 1), to))
        return invalid (error, where, what);
    }
  else if (node_get_number (node, from))
    *to = *from;
  else
    return invalid (error, where, what);

  if (*from < 0 || *from > 100 || *to < 0 || *to > 100)
    return invalid (error, where, what);
  *present = TRUE;
  return TRUE;
}

static gboolean
parse_delay (JsonObject *delay, Phase *phase, const char *where, GError **error)
{
  double    base, jitter, initial, settle, every, spike_duration, spike;
  JsonNode *spikes_node;

  if (!get_number (delay, "base_ms", 500, &base, where, error) ||
      !get_number (delay, "jitter_ms", 0, &jitter, where, error) ||
      !get_number (delay, "initial_ms", 0, &initial, where, error) ||
      !get_number (delay, "settle_s", 300, &settle, where, error) ||
      !get_number (delay, "spike_every_s", 0, &every, where, error) ||
      !get_number (delay, "spike_duration_s", 60, &spike_duration, where, error) ||
      !get_number (delay, "spike_ms", 0, &spike, where, error))
    return FALSE;
  if (base < 0 || jitter < 0 || initial < 0 || settle < 0 || every < 0 || spike_duration < 0 ||
      spike < 0)
    return invalid (error, where, _ ("delay values must not be negative"));

  phase->has_delay = TRUE;
  phase->base_ms = (gint64) base;
  phase->jitter_ms = (gint64) jitter;
  phase->initial_ms = (gint64) initial;
  phase->settle_ms = (gint64) (settle * 1000);
  phase->spike_every_ms = (gint64) (every * 1000);
  phase->spike_duration_ms = (gint64) (spike_duration * 1000);
  phase->spike_ms = (gint64) spike;

  spikes_node = json_object_get_member (delay, "spikes");
  if (spikes_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (spikes_node))
    return invalid (error, where, _ ("“spikes” must be an array"));

  phase->spikes = g_array_new (FALSE, TRUE, sizeof (Spike));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (spikes_node)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (spikes_node), i);
      double    at, duration, peak;
      Spike     s;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return invalid (error, where, _ ("each spike must be an object"));
      if (!get_number (json_node_get_object (item), "at", 0, &at, where, error) ||
          !get_number (json_node_get_object (item), "duration", 60, &duration, where, error) ||
          !get_number (json_node_get_object (item), "peak_ms", 60000, &peak, where, error))
        return FALSE;
      if (at < 0 || duration <= 0 || peak < 0)
        return invalid (error, where, _ ("a spike needs at ≥ 0, duration > 0 and peak_ms ≥ 0"));
      s.at_ms = (gint64) (at * 1000);
      s.duration_ms = (gint64) (duration * 1000);
      s.peak_ms = (gint64) peak;
      g_array_append_val (phase->spikes, s);
    }
  return TRUE;
}

static gboolean
parse_phase (JsonNode    *node,
             Phase       *phase,
             const Phase *previous,
             gboolean     last,
             const char  *where,
             GError     **error)
{
  JsonObject *object;
  JsonNode   *member;
  double      duration, remaining;
  gboolean    present;
  double      from = 0, to = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, where, _ ("a phase must be an object"));
  object = json_node_get_object (node);

  if (!get_string (object, "status", NULL, &phase->status, where, error))
    return FALSE;
  if (phase->status == NULL || phase->status[0] == '\0')
    return invalid (error, where, _ ("“status” is required"));
  phase->status_enum = drs_job_status_from_string (phase->status);

  if (!get_number (object, "duration", -1, &duration, where, error))
    return FALSE;
  if (duration < 0 && json_object_has_member (object, "duration"))
    return invalid (error, where, _ ("“duration” must not be negative"));
  if (duration < 0 && !last)
    return invalid (error, where, _ ("“duration” is required on every phase but the last"));
  phase->duration_ms = duration < 0 ? -1 : (gint64) (duration * 1000);

  /* Progress carries over from where the previous phase ended. */
  phase->progress_from = phase->progress_to = previous ? previous->progress_to : 0;
  if (!get_range (object, "progress", &present, &from, &to, where, error))
    return FALSE;
  if (present)
    {
      phase->progress_from = from;
      phase->progress_to = to;
    }

  phase->parts_known = previous ? previous->parts_known : FALSE;
  for (guint p = 0; p < N_PARTS; p++)
    phase->parts_from[p] = phase->parts_to[p] = previous ? previous->parts_to[p] : 0;
  phase->parts_derived = phase->status_enum == DRS_JOB_STATUS_FULL_TRANSFER_STARTED;
  for (guint p = 0; p < N_PARTS; p++)
    {
      if (!get_range (object, part_names[p], &present, &from, &to, where, error))
        return FALSE;
      if (present)
        {
          phase->parts_derived = FALSE;
          phase->parts_known = TRUE;
          phase->parts_from[p] = from;
          phase->parts_to[p] = to;
        }
    }
  if (phase->parts_derived)
    {
      phase->parts_known = TRUE;
      for (guint p = 0; p < N_PARTS; p++)
        {
          phase->parts_from[p] =
              CLAMP ((phase->progress_from - part_lo[p]) * 100 / (part_hi[p] - part_lo[p]), 0, 100);
          phase->parts_to[p] =
              CLAMP ((phase->progress_to - part_lo[p]) * 100 / (part_hi[p] - part_lo[p]), 0, 100);
        }
    }

  if (!get_number (object, "remaining_time", -1, &remaining, where, error))
    return FALSE;
  phase->remaining_s = remaining < 0 ? -1 : (gint64) remaining;

  member = json_object_get_member (object, "delay");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        return invalid (error, where, _ ("“delay” must be an object"));
      if (!parse_delay (json_node_get_object (member), phase, where, error))
        return FALSE;
    }
  else if (phase->status_enum == DRS_JOB_STATUS_INCRE_TRANSFER_STARTED)
    {
      phase->has_delay = TRUE;
      phase->base_ms = 500;
      phase->jitter_ms = 500;
    }

  if (!get_string (object, "error_code", NULL, &phase->error_code, where, error) ||
      !get_string (object, "error_msg", NULL, &phase->error_msg, where, error) ||
      !get_string (object, "error_msg_zh", NULL, &phase->error_msg_zh, where, error) ||
      !get_bool (object, "missing", FALSE, &phase->missing, where, error))
    return FALSE;
  if (phase->missing && phase->error_code == NULL)
    phase->error_code = g_strdup ("DRS.M05004");

  member = json_object_get_member (object, "raw");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        return invalid (error, where, _ ("“raw” must be an object"));
      phase->raw = json_object_ref (json_node_get_object (member));
    }
  return TRUE;
}

static Job *
parse_job (JsonNode *node, guint index, GError **error)
{
  /* Translators: where a scenario file is wrong: the n-th entry of its "jobs" */
  g_autofree char *where = g_strdup_printf (_ ("job %u"), index + 1);
  g_autofree char *scenario = NULL;
  JsonObject      *object;
  JsonNode        *phases_node;
  JsonArray       *phases;
  double           start;
  Job             *job;
  gint64           offset = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, where, _ ("must be an object"));
      return NULL;
    }
  object = json_node_get_object (node);

  job = g_new0 (Job, 1);
  job->phases = g_array_new (FALSE, TRUE, sizeof (Phase));
  g_array_set_clear_func (job->phases, phase_clear);
  job->first_running = G_MAXUINT;

  if (!get_string (object, "id", NULL, &job->id, where, error))
    goto fail;
  if (job->id == NULL || job->id[0] == '\0')
    {
      invalid (error, where, _ ("“id” is required"));
      goto fail;
    }
  g_free (where);
  /* Translators: where a scenario file is wrong: the job with this id */
  where = g_strdup_printf (_ ("job %s"), job->id);

  if (!get_string (object, "name", job->id, &job->name, where, error) ||
      !get_string (object, "task_mode", "FULL_INCR_TRANS", &job->task_mode, where, error) ||
      !get_string (object, "engine_type", "mysql", &job->engine_type, where, error) ||
      !get_string (object, "scenario", "migration", &scenario, where, error) ||
      !get_number (object, "start", 0, &start, where, error) ||
      !get_bool (object, "progress_map", g_strcmp0 (job->task_mode, "INCR_TRANS") != 0,
                 &job->progress_map, where, error) ||
      !get_bool (object, "delay_millis", TRUE, &job->delay_millis, where, error))
    goto fail;

  job->scenario = drs_scenario_from_string (scenario);
  if (job->scenario == DRS_SCENARIO_UNKNOWN)
    {
      invalid (error, where, _ ("“scenario” must be migration, sync or cloudDataGuard"));
      goto fail;
    }
  job->start_ms = (gint64) (start * 1000);

  phases_node = json_object_get_member (object, "phases");
  if (phases_node == NULL || !JSON_NODE_HOLDS_ARRAY (phases_node) ||
      json_array_get_length (json_node_get_array (phases_node)) == 0)
    {
      invalid (error, where, _ ("“phases” must be a non-empty array"));
      goto fail;
    }
  phases = json_node_get_array (phases_node);
  for (guint i = 0; i < json_array_get_length (phases); i++)
    {
      g_autofree char *phase_where = g_strdup_printf (_ ("%s, phase %u"), where, i + 1);
      Phase            phase = { 0 };
      const Phase     *previous = i > 0 ? &g_array_index (job->phases, Phase, i - 1) : NULL;

      if (!parse_phase (json_array_get_element (phases, i), &phase, previous,
                        i + 1 == json_array_get_length (phases), phase_where, error))
        {
          phase_clear (&phase);
          goto fail;
        }
      phase.start_ms = offset;
      offset += MAX (phase.duration_ms, 0);
      if (offset > MAX_TIMELINE_MS)
        {
          phase_clear (&phase);
          invalid (error, where, _ ("the phases last too long"));
          goto fail;
        }
      if (job->first_running == G_MAXUINT &&
          drs_job_status_classify (phase.status_enum, drs_task_mode_from_string (job->task_mode)) ==
              DRS_STATUS_CLASS_RUNNING)
        job->first_running = i;
      g_array_append_val (job->phases, phase);
    }
  return job;

fail:
  job_free (job);
  return NULL;
}

/**
 * drs_sim_scenario_new_from_data:
 *
 * Returns: (transfer full) (nullable): the scenario, or %NULL with @error naming what is wrong
 */
DrsSimScenario *
drs_sim_scenario_new_from_data (const char *data, gssize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (DrsSimScenario) self = NULL;
  g_autoptr (GError) local_error = NULL;
  JsonNode   *root;
  JsonObject *object;
  JsonNode   *jobs;

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, DRS_SIM_SCENARIO_ERROR, DRS_SIM_SCENARIO_ERROR_INVALID,
                   _ ("not valid JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (error, _ ("scenario"), _ ("must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (root);

  self = g_new0 (DrsSimScenario, 1);
  self->jobs = g_ptr_array_new_with_free_func (job_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  if (!get_string (object, "project_id", NULL, &self->project_id, _ ("scenario"), error))
    return NULL;

  jobs = json_object_get_member (object, "jobs");
  if (jobs == NULL || !JSON_NODE_HOLDS_ARRAY (jobs))
    {
      invalid (error, _ ("scenario"), _ ("“jobs” must be an array"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (jobs)); i++)
    {
      Job *job = parse_job (json_array_get_element (json_node_get_array (jobs), i), i, error);

      if (job == NULL)
        return NULL;
      if (g_hash_table_contains (self->by_id, job->id))
        {
          g_set_error (error, DRS_SIM_SCENARIO_ERROR, DRS_SIM_SCENARIO_ERROR_INVALID,
                       _ ("job %s: the id is used twice"), job->id);
          job_free (job);
          return NULL;
        }
      g_ptr_array_add (self->jobs, job);
      g_hash_table_insert (self->by_id, job->id, GUINT_TO_POINTER (self->jobs->len));
    }
  return g_steal_pointer (&self);
}

DrsSimScenario *
drs_sim_scenario_new_from_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize            length = 0;
  g_autoptr (GError) local_error = NULL;
  DrsSimScenario *self;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  self = drs_sim_scenario_new_from_data (contents, length, &local_error);
  if (self == NULL)
    /* Translators: a scenario file, then what is wrong in it */
    g_set_error (error, DRS_SIM_SCENARIO_ERROR, DRS_SIM_SCENARIO_ERROR_INVALID, _ ("%s: %s"), path,
                 local_error->message);
  return self;
}

/**
 * drs_sim_scenario_new_default:
 *
 * Returns: (transfer full): the built-in scenario (about 40 jobs of every kind)
 */
DrsSimScenario *
drs_sim_scenario_new_default (void)
{
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  DrsSimScenario *self;
  gsize           length = 0;
  const char     *data;

  bytes = g_resource_lookup_data (drs_sim_get_resource (),
                                  "/io/github/drsmonitor/DrsMonitor/sim/default-scenario.json",
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL)
    g_error ("The built-in scenario is missing: %s", error->message);
  data = g_bytes_get_data (bytes, &length);
  self = drs_sim_scenario_new_from_data (data, length, &error);
  if (self == NULL)
    g_error ("The built-in scenario is invalid: %s", error->message);
  return self;
}

const char *
drs_sim_scenario_get_project_id (DrsSimScenario *self)
{
  return self->project_id;
}

guint
drs_sim_scenario_get_n_jobs (DrsSimScenario *self)
{
  return self->jobs->len;
}

const char *
drs_sim_scenario_get_job_id (DrsSimScenario *self, guint index)
{
  g_return_val_if_fail (index < self->jobs->len, NULL);
  return ((Job *) g_ptr_array_index (self->jobs, index))->id;
}

int
drs_sim_scenario_find_job (DrsSimScenario *self, const char *job_id)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->by_id, job_id)) - 1;
}

DrsScenario
drs_sim_scenario_get_job_scenario (DrsSimScenario *self, guint index)
{
  return ((Job *) g_ptr_array_index (self->jobs, index))->scenario;
}

gint64
drs_sim_scenario_get_job_start (DrsSimScenario *self, guint index)
{
  return ((Job *) g_ptr_array_index (self->jobs, index))->start_ms;
}

/* Where a job is at @clock: its phase index and the time into the phase (ms), or FALSE before
 * the job exists. */
static gboolean
locate (Job *job, const DrsSimClock *clock, guint *phase_index, gint64 *into_ms)
{
  gint64 t = clock->elapsed_ms - job->start_ms;

  if (t < 0)
    return FALSE;
  for (guint i = 0; i < job->phases->len; i++)
    {
      Phase *phase = &g_array_index (job->phases, Phase, i);

      if (phase->duration_ms < 0 || t < phase->start_ms + phase->duration_ms ||
          i + 1 == job->phases->len)
        {
          *phase_index = i;
          *into_ms = t - phase->start_ms;
          return TRUE;
        }
    }
  g_assert_not_reached ();
}

gboolean
drs_sim_scenario_job_visible (DrsSimScenario *self, guint index, const DrsSimClock *clock)
{
  Job   *job = g_ptr_array_index (self->jobs, index);
  guint  phase = 0;
  gint64 into = 0;

  return locate (job, clock, &phase, &into) && !g_array_index (job->phases, Phase, phase).missing;
}

const char *
drs_sim_scenario_get_job_status (DrsSimScenario *self, guint index, const DrsSimClock *clock)
{
  Job   *job = g_ptr_array_index (self->jobs, index);
  guint  phase = 0;
  gint64 into = 0;

  if (!locate (job, clock, &phase, &into))
    return NULL;
  return g_array_index (job->phases, Phase, phase).status;
}

static double
phase_fraction (const Phase *phase, gint64 into_ms)
{
  if (phase->duration_ms <= 0)
    return phase->duration_ms == 0 ? 1.0 : 0.0;
  return CLAMP ((double) into_ms / (double) phase->duration_ms, 0.0, 1.0);
}

/* splitmix64: a repeatable random number from the seed, the job and a time bucket. */
static double
noise (guint64 seed, guint job, gint64 bucket)
{
  guint64 z = seed ^ ((guint64) job * 0x9E3779B97F4A7C15ull) ^ ((guint64) bucket << 20);

  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (double) (z >> 11) / (double) (1ull << 53);
}

static double
triangle (gint64 into, gint64 duration)
{
  double x = (double) into / (double) duration;

  return 1.0 - fabs (2.0 * x - 1.0);
}

static gint64
phase_delay_ms (const Phase *phase, guint job_index, gint64 into_ms, const DrsSimClock *clock)
{
  double delay = (double) phase->base_ms;

  /* A new value every 5 simulated seconds. */
  if (phase->jitter_ms > 0)
    delay += phase->jitter_ms * noise (clock->seed, job_index, into_ms / 5000);
  if (phase->initial_ms > 0 && into_ms < phase->settle_ms)
    delay += (phase->initial_ms - phase->base_ms) *
             (1.0 - (double) into_ms / (double) MAX (phase->settle_ms, 1));
  if (phase->spike_every_ms > 0 && phase->spike_duration_ms > 0 && phase->spike_ms > 0 &&
      into_ms >= phase->spike_every_ms)
    {
      gint64 u = into_ms % phase->spike_every_ms;

      if (u < phase->spike_duration_ms)
        delay += phase->spike_ms * triangle (u, phase->spike_duration_ms);
    }
  if (phase->spikes != NULL)
    for (guint i = 0; i < phase->spikes->len; i++)
      {
        const Spike *s = &g_array_index (phase->spikes, Spike, i);

        if (into_ms >= s->at_ms && into_ms < s->at_ms + s->duration_ms)
          delay += s->peak_ms * triangle (into_ms - s->at_ms, s->duration_ms);
      }
  /* Many spikes at once add up: keep the sum within what a gint64 holds. */
  return (gint64) CLAMP (delay, 0, (double) MAX_TIMELINE_MS);
}

static gint64
remaining_seconds (gint64 sim_ms, const DrsSimClock *clock)
{
  double speed = clock->speed > 0 ? clock->speed : 1.0;

  return (gint64) ceil (MAX (sim_ms, 0) / speed / 1000.0);
}

static void set_printf (JsonObject *object, const char *member, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

static void
set_printf (JsonObject *object, const char *member, const char *format, ...)
{
  va_list args;
  char   *value;

  va_start (args, format);
  value = g_strdup_vprintf (format, args);
  va_end (args);
  json_object_set_string_member (object, member, value);
  g_free (value);
}

/**
 * drs_sim_scenario_get_resume_status:
 *
 * Where a retried or resumed job goes back to: the status of its last running phase up to
 * @clock, else the running status its task mode starts with.
 *
 * Returns: a `transfer_status`
 */
const char *
drs_sim_scenario_get_resume_status (DrsSimScenario *self, guint index, const DrsSimClock *clock)
{
  Job        *job = g_ptr_array_index (self->jobs, index);
  DrsTaskMode mode = drs_task_mode_from_string (job->task_mode);
  guint       phase = 0;
  gint64      into = 0;

  if (locate (job, clock, &phase, &into))
    for (guint i = phase + 1; i-- > 0;)
      {
        const Phase *p = &g_array_index (job->phases, Phase, i);

        if (drs_job_status_classify (p->status_enum, mode) == DRS_STATUS_CLASS_RUNNING)
          return p->status;
      }
  return mode == DRS_TASK_MODE_INCR_TRANS ? "INCRE_TRANSFER_STARTED" : "FULL_TRANSFER_STARTED";
}

/**
 * drs_sim_scenario_build_progress:
 *
 * Returns: (transfer full): the job's QueryProgressResp at @clock (every value a string), or a
 *   per-job error object for a job that does not exist (yet, or any more)
 */
JsonNode *
drs_sim_scenario_build_progress (DrsSimScenario    *self,
                                 guint              index,
                                 const DrsSimClock *clock,
                                 gboolean           chinese)
{
  Job           *job = g_ptr_array_index (self->jobs, index);
  JsonObject    *object = json_object_new ();
  JsonNode      *node = json_node_new (JSON_NODE_OBJECT);
  const Phase   *phase;
  guint          phase_index = 0;
  gint64         into = 0;
  double         fraction;
  gint64         phase_end_left;
  DrsStatusClass status_class;

  json_node_take_object (node, object);
  json_object_set_string_member (object, "job_id", job->id);

  if (!locate (job, clock, &phase_index, &into))
    {
      json_object_set_string_member (object, "error_code", "DRS.M05003");
      json_object_set_string_member (object, "error_msg", drs_sim_message ("DRS.M05003", chinese));
      return node;
    }
  phase = &g_array_index (job->phases, Phase, phase_index);
  if (phase->missing)
    {
      const char *msg = chinese ? phase->error_msg_zh : phase->error_msg;

      json_object_set_string_member (object, "error_code", phase->error_code);
      json_object_set_string_member (object, "error_msg",
                                     msg ? msg : drs_sim_message (phase->error_code, chinese));
      return node;
    }

  fraction = phase_fraction (phase, into);
  phase_end_left = phase->duration_ms < 0 ? 0 : phase->duration_ms - into;
  status_class =
      drs_job_status_classify (phase->status_enum, drs_task_mode_from_string (job->task_mode));

  set_printf (
      object, "progress", "%d",
      (int) floor (phase->progress_from + (phase->progress_to - phase->progress_from) * fraction));

  if (phase->has_delay)
    {
      gint64 delay = phase_delay_ms (phase, index, into, clock);

      set_printf (object, "incre_trans_delay", "%" G_GINT64_FORMAT, delay / 1000);
      if (job->delay_millis)
        set_printf (object, "incre_trans_delay_millis", "%" G_GINT64_FORMAT, delay);
    }
  else
    {
      json_object_set_string_member (object, "incre_trans_delay", "-1");
      if (job->delay_millis)
        json_object_set_string_member (object, "incre_trans_delay_millis", "-1");
    }

  json_object_set_string_member (object, "task_mode", job->task_mode);
  json_object_set_string_member (object, "transfer_status", phase->status);

  if (job->first_running == G_MAXUINT || phase_index < job->first_running)
    json_object_set_string_member (object, "process_time", "0");
  else if (status_class == DRS_STATUS_CLASS_RUNNING)
    set_printf (object, "process_time", "%" G_GINT64_FORMAT, clock->wall_ms);
  else
    {
      double speed = clock->speed > 0 ? clock->speed : 1.0;

      set_printf (object, "process_time", "%" G_GINT64_FORMAT,
                  clock->wall_ms - (gint64) (into / speed));
    }

  if (phase->remaining_s >= 0)
    set_printf (object, "remaining_time", "%" G_GINT64_FORMAT, phase->remaining_s);
  else if (phase->progress_to != phase->progress_from && phase->duration_ms > 0)
    set_printf (object, "remaining_time", "%" G_GINT64_FORMAT,
                remaining_seconds (phase_end_left, clock));
  else
    json_object_set_string_member (object, "remaining_time", "0");

  if (job->progress_map && phase->parts_known)
    {
      JsonObject *map = json_object_new ();
      double      progress =
          phase->progress_from + (phase->progress_to - phase->progress_from) * fraction;

      for (guint p = 0; p < N_PARTS; p++)
        {
          JsonObject *part = json_object_new ();
          double      value, left = 0;

          if (phase->parts_derived)
            {
              /* Structure, then data, then index, as the overall progress passes them. */
              value = CLAMP ((progress - part_lo[p]) * 100 / (part_hi[p] - part_lo[p]), 0, 100);
              if (phase->progress_to > phase->progress_from)
                left = (part_hi[p] - progress) / (phase->progress_to - phase->progress_from);
            }
          else
            {
              value = phase->parts_from[p] + (phase->parts_to[p] - phase->parts_from[p]) * fraction;
              if (phase->parts_to[p] > phase->parts_from[p])
                left = (phase->parts_to[p] - value) / (phase->parts_to[p] - phase->parts_from[p]);
            }

          set_printf (part, "completed", "%d%%", (int) floor (value));
          if (value > 0 && value < 100 && left > 0 && phase->duration_ms > 0)
            set_printf (
                part, "remaining_time", "%" G_GINT64_FORMAT,
                remaining_seconds (
                    (gint64) MIN (left * phase->duration_ms, (double) MAX_TIMELINE_MS), clock));
          else
            json_object_set_null_member (part, "remaining_time");
          json_object_set_object_member (map, part_names[p], part);
        }
      json_object_set_object_member (object, "progress_map", map);
    }

  if (phase->error_code != NULL)
    {
      const char *msg = chinese ? phase->error_msg_zh : phase->error_msg;

      json_object_set_string_member (object, "error_code", phase->error_code);
      json_object_set_string_member (object, "error_msg",
                                     msg ? msg : drs_sim_message (phase->error_code, chinese));
    }

  if (phase->raw != NULL)
    {
      JsonObjectIter iter;
      const char    *member;
      JsonNode      *value;

      json_object_iter_init (&iter, phase->raw);
      while (json_object_iter_next (&iter, &member, &value))
        json_object_set_member (object, member, json_node_copy (value));
    }
  return node;
}

/**
 * drs_sim_scenario_build_list_item:
 *
 * Returns: (transfer full): the job as `POST /v3/{project_id}/jobs` lists it
 */
JsonNode *
drs_sim_scenario_build_list_item (DrsSimScenario *self, guint index, const DrsSimClock *clock)
{
  Job        *job = g_ptr_array_index (self->jobs, index);
  JsonObject *object = json_object_new ();
  JsonNode   *node = json_node_new (JSON_NODE_OBJECT);
  double      speed = clock->speed > 0 ? clock->speed : 1.0;
  gint64      created = clock->wall_ms - (gint64) ((clock->elapsed_ms - job->start_ms) / speed);

  json_node_take_object (node, object);
  json_object_set_string_member (object, "id", job->id);
  json_object_set_string_member (object, "name", job->name);
  json_object_set_string_member (object, "status",
                                 drs_sim_scenario_get_job_status (self, index, clock));
  json_object_set_string_member (object, "engine_type", job->engine_type);
  json_object_set_string_member (object, "db_use_type", drs_scenario_to_string (job->scenario));
  json_object_set_string_member (object, "task_type", job->task_mode);
  json_object_set_string_member (object, "net_type", "vpc");
  set_printf (object, "create_time", "%" G_GINT64_FORMAT, created);
  json_object_set_string_member (object, "description", "");
  return node;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-sim-scenario"

#include "config.h"

#include <math.h>

#include "drs-sim-scenario-private.h"

/*
 * How the jobs of a scenario move along the simulated clock (the phase each one is in, its
 * progress, delay and remaining time), and what DRS answers about them: the progress of
 * `batch-progress`, the items of the job list, the server's messages. The scenario file and its
 * parser are in drs-sim-scenario-file.c.
 */

static const struct
{
  const char *name;
  /* Derived parts: each moves over its own stretch of the overall progress. */
  double lo, hi;
} parts[DRS_SIM_N_PARTS] = {
  [DRS_SIM_PART_STRUCT] = { "struct", 0, 10 },
  [DRS_SIM_PART_DATA] = { "data", 10, 90 },
  [DRS_SIM_PART_INDEX] = { "index", 90, 100 },
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

/**
 * drs_sim_build_unknown_job:
 *
 * Returns: (transfer full): the progress result of a job id the server does not know
 */
JsonNode *
drs_sim_build_unknown_job (const char *job_id, gboolean chinese)
{
  JsonNode   *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_node_take_object (node, object);
  json_object_set_string_member (object, "job_id", job_id);
  json_object_set_string_member (object, "error_code", "DRS.M05003");
  json_object_set_string_member (object, "error_msg", drs_sim_message ("DRS.M05003", chinese));
  return node;
}

const char *
_drs_sim_part_name (guint part)
{
  g_assert (part < DRS_SIM_N_PARTS);
  return parts[part].name;
}

/* A derived part's percent at the overall @progress. */
double
_drs_sim_part_derive (guint part, double progress)
{
  g_assert (part < DRS_SIM_N_PARTS);
  return CLAMP ((progress - parts[part].lo) * 100 / (parts[part].hi - parts[part].lo), 0, 100);
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
  return ((DrsSimJob *) g_ptr_array_index (self->jobs, index))->id;
}

int
drs_sim_scenario_find_job (DrsSimScenario *self, const char *job_id)
{
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->by_id, job_id)) - 1;
}

DrsScenario
drs_sim_scenario_get_job_scenario (DrsSimScenario *self, guint index)
{
  return ((DrsSimJob *) g_ptr_array_index (self->jobs, index))->scenario;
}

gint64
drs_sim_scenario_get_job_start (DrsSimScenario *self, guint index)
{
  return ((DrsSimJob *) g_ptr_array_index (self->jobs, index))->start_ms;
}

/* Where a job is at @clock: its phase index and the time into the phase (ms), or FALSE before
 * the job exists. */
static gboolean
locate (DrsSimJob *job, const DrsSimClock *clock, guint *phase_index, gint64 *into_ms)
{
  gint64 t = clock->elapsed_ms - job->start_ms;

  if (t < 0)
    return FALSE;
  for (guint i = 0; i < job->phases->len; i++)
    {
      DrsSimPhase *phase = &g_array_index (job->phases, DrsSimPhase, i);

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
  DrsSimJob *job = g_ptr_array_index (self->jobs, index);
  guint      phase = 0;
  gint64     into = 0;

  return locate (job, clock, &phase, &into) &&
         !g_array_index (job->phases, DrsSimPhase, phase).missing;
}

const char *
drs_sim_scenario_get_job_status (DrsSimScenario *self, guint index, const DrsSimClock *clock)
{
  DrsSimJob *job = g_ptr_array_index (self->jobs, index);
  guint      phase = 0;
  gint64     into = 0;

  if (!locate (job, clock, &phase, &into))
    return NULL;
  return g_array_index (job->phases, DrsSimPhase, phase).status;
}

static double
phase_fraction (const DrsSimPhase *phase, gint64 into_ms)
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
phase_delay_ms (const DrsSimPhase *phase, guint job_index, gint64 into_ms, const DrsSimClock *clock)
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
        const DrsSimSpike *s = &g_array_index (phase->spikes, DrsSimSpike, i);

        if (into_ms >= s->at_ms && into_ms < s->at_ms + s->duration_ms)
          delay += s->peak_ms * triangle (into_ms - s->at_ms, s->duration_ms);
      }
  /* Many spikes at once add up: keep the sum within what a gint64 holds. */
  return (gint64) CLAMP (delay, 0, (double) DRS_SIM_MAX_TIMELINE_MS);
}

/* Simulated milliseconds per wall millisecond. */
static double
clock_speed (const DrsSimClock *clock)
{
  return clock->speed > 0 ? clock->speed : 1.0;
}

/* Wall-clock seconds until @sim_ms simulated milliseconds have passed. */
static gint64
remaining_seconds (gint64 sim_ms, const DrsSimClock *clock)
{
  return (gint64) ceil (MAX (sim_ms, 0) / clock_speed (clock) / 1000.0);
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
  DrsSimJob  *job = g_ptr_array_index (self->jobs, index);
  DrsTaskMode mode = drs_task_mode_from_string (job->task_mode);
  guint       phase = 0;
  gint64      into = 0;

  if (locate (job, clock, &phase, &into))
    for (guint i = phase + 1; i-- > 0;)
      {
        const DrsSimPhase *p = &g_array_index (job->phases, DrsSimPhase, i);

        if (drs_job_status_classify (p->status_enum, mode) == DRS_STATUS_CLASS_RUNNING)
          return p->status;
      }
  return mode == DRS_TASK_MODE_INCR_TRANS ? "INCRE_TRANSFER_STARTED" : "FULL_TRANSFER_STARTED";
}

/* The phase's error_code and error_msg (its own message, else the server's for the code). */
static void
set_phase_error (JsonObject *object, const DrsSimPhase *phase, gboolean chinese)
{
  const char *msg = chinese ? phase->error_msg_zh : phase->error_msg;

  json_object_set_string_member (object, "error_code", phase->error_code);
  json_object_set_string_member (object, "error_msg",
                                 msg ? msg : drs_sim_message (phase->error_code, chinese));
}

/* progress_map at @fraction of the phase, whose overall progress is then @progress. */
static JsonObject *
build_progress_map (const DrsSimPhase *phase,
                    double             fraction,
                    double             progress,
                    const DrsSimClock *clock)
{
  JsonObject *map = json_object_new ();

  for (guint p = 0; p < DRS_SIM_N_PARTS; p++)
    {
      JsonObject *part = json_object_new ();
      double      value, left = 0;

      if (phase->parts_derived)
        {
          /* Structure, then data, then index, as the overall progress passes them. */
          value = _drs_sim_part_derive (p, progress);
          if (phase->progress_to > phase->progress_from)
            left = (parts[p].hi - progress) / (phase->progress_to - phase->progress_from);
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
                (gint64) MIN (left * phase->duration_ms, (double) DRS_SIM_MAX_TIMELINE_MS), clock));
      else
        json_object_set_null_member (part, "remaining_time");
      json_object_set_object_member (map, parts[p].name, part);
    }
  return map;
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
  DrsSimJob         *job = g_ptr_array_index (self->jobs, index);
  const DrsSimPhase *phase;
  JsonObject        *object;
  JsonNode          *node;
  guint              phase_index = 0;
  gint64             into = 0;
  double             fraction, progress;
  gint64             phase_end_left;
  DrsStatusClass     status_class;

  if (!locate (job, clock, &phase_index, &into))
    return drs_sim_build_unknown_job (job->id, chinese);

  node = json_node_new (JSON_NODE_OBJECT);
  object = json_object_new ();
  json_node_take_object (node, object);
  json_object_set_string_member (object, "job_id", job->id);
  phase = &g_array_index (job->phases, DrsSimPhase, phase_index);
  if (phase->missing)
    {
      set_phase_error (object, phase, chinese);
      return node;
    }

  fraction = phase_fraction (phase, into);
  progress = phase->progress_from + (phase->progress_to - phase->progress_from) * fraction;
  phase_end_left = phase->duration_ms < 0 ? 0 : phase->duration_ms - into;
  status_class =
      drs_job_status_classify (phase->status_enum, drs_task_mode_from_string (job->task_mode));

  set_printf (object, "progress", "%d", (int) floor (progress));

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
    set_printf (object, "process_time", "%" G_GINT64_FORMAT,
                clock->wall_ms - (gint64) (into / clock_speed (clock)));

  if (phase->remaining_s >= 0)
    set_printf (object, "remaining_time", "%" G_GINT64_FORMAT, phase->remaining_s);
  else if (phase->progress_to != phase->progress_from && phase->duration_ms > 0)
    set_printf (object, "remaining_time", "%" G_GINT64_FORMAT,
                remaining_seconds (phase_end_left, clock));
  else
    json_object_set_string_member (object, "remaining_time", "0");

  if (job->progress_map && phase->parts_known)
    json_object_set_object_member (object, "progress_map",
                                   build_progress_map (phase, fraction, progress, clock));

  if (phase->error_code != NULL)
    set_phase_error (object, phase, chinese);

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
  DrsSimJob  *job = g_ptr_array_index (self->jobs, index);
  JsonObject *object = json_object_new ();
  JsonNode   *node = json_node_new (JSON_NODE_OBJECT);
  gint64      created =
      clock->wall_ms - (gint64) ((clock->elapsed_ms - job->start_ms) / clock_speed (clock));

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

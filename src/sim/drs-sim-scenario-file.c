/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-sim-scenario"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "drs-sim-resources.h"
#include "drs-sim-json.h"
#include "drs-sim-scenario-private.h"

/*
 * The scenario file: its format and the parser that reads it into the jobs and phases of
 * drs-sim-scenario-private.h (drs-sim-scenario.c moves them along the clock), strict about every
 * member it knows. A scenario is the jobs the simulator knows and how each moves through its
 * life on the simulated clock. The format (JSON; see also README):
 *
 * {
 *   "project_id": "…",            optional: the project id the simulator serves
 *   "jobs": [ {
 *     "id": "…",                  required, unique
 *     "name": "…",                default: the id
 *     "scenario": "migration",    migration | sync | cloudDataGuard (default migration)
 *     "task_mode": "FULL_INCR_TRANS",  sent verbatim (default FULL_INCR_TRANS)
 *     "engine_type": "mysql",     default mysql
 *     "start": -3600,             scenario second the job is created (default 0); before it the
 *                                 job does not exist (DRS.M05003, not listed)
 *     "progress_map": true,       send progress_map (default: unless task_mode is INCR_TRANS)
 *     "delay_millis": true,       send incre_trans_delay_millis (default true; false = old server)
 *     "phases": [ {               required, at least one; a job stays in its last phase
 *       "status": "FULL_TRANSFER_STARTED",  transfer_status, unknown values sent verbatim
 *       "duration": 1800,         seconds; required except on the last phase (lasts forever)
 *       "progress": [0, 100],     overall percent at the phase's start and end (or one number);
 *                                 default: where the previous phase ended (first phase: 0)
 *       "struct": [0, 100], "data": [0, 100], "index": [0, 100]
 *                                 progress_map parts; default in FULL_TRANSFER_STARTED: derived
 *                                 from progress (struct over 0–10 %, data 10–90 %, index
 *                                 90–100 %), elsewhere where the previous phase left them
 *       "remaining_time": 0,      fixed remaining_time in seconds (default: the wall-clock time
 *                                 left in a phase whose progress moves, else 0)
 *       "delay": {                incremental delay (default in INCRE_TRANSFER_STARTED: base
 *                                 500 ms + jitter 500 ms; "-1" in phases without one)
 *         "base_ms": 800, "jitter_ms": 400,
 *         "initial_ms": 90000, "settle_s": 300,   catch-up delay decaying over settle_s
 *         "spike_every_s": 900, "spike_duration_s": 60, "spike_ms": 45000,   periodic spikes
 *         "spikes": [ { "at": 600, "duration": 120, "peak_ms": 120000 } ]   one-off spikes
 *       },
 *       "error_code": "DRS.M…", "error_msg": "…", "error_msg_zh": "…"
 *                                 per-job error in this phase
 *       "missing": true,          answer like an unknown id (error_code, default DRS.M05004)
 *                                 and leave the job list
 *       "raw": { "progress": "" } members sent verbatim, replacing the computed ones
 *     } ]
 *   } ]
 * }
 *
 * process_time is "0" until the job has been in a running phase, then the wall clock while it
 * runs, frozen at the wall time its phase began while it does not.
 */

G_DEFINE_QUARK (drs - sim - scenario - error - quark, drs_sim_scenario_error)

/* The largest number a scenario may give (seconds or milliseconds: ~31,000 years of seconds). */
#define MAX_NUMBER 1e12

static void
phase_clear (gpointer data)
{
  DrsSimPhase *phase = data;

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
  DrsSimJob *job = data;

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

/* What the parser reads: an object of the file, where that is (for errors), and the error. */
typedef struct
{
  JsonObject *object;
  const char *where;
  GError    **error;
} Scope;

static gboolean invalid (const Scope *scope, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (const Scope *scope, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list          args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* Translators: where in a scenario file, then what is wrong there */
  g_set_error (scope->error, DRS_SIM_SCENARIO_ERROR, DRS_SIM_SCENARIO_ERROR_INVALID, _ ("%s: %s"),
               scope->where, what);
  return FALSE;
}

/* The member, or NULL where it is absent (or a null string): the caller takes its default
 * then. A member of another type than @type (%G_TYPE_DOUBLE: any number) is an error. */
static gboolean
find_member (const Scope *scope, const char *member, GType type, JsonNode **out)
{
  JsonNode *node = json_object_get_member (scope->object, member);
  double    number;

  *out = NULL;
  if (node == NULL || (type == G_TYPE_STRING && JSON_NODE_HOLDS_NULL (node)))
    return TRUE;
  if (type == G_TYPE_DOUBLE && !drs_sim_json_get_number (node, &number))
    return invalid (scope, _ ("“%s” must be a number"), member);
  if (type == G_TYPE_STRING && !drs_sim_json_holds (node, type))
    return invalid (scope, _ ("“%s” must be a string"), member);
  if (type == G_TYPE_BOOLEAN && !drs_sim_json_holds (node, type))
    return invalid (scope, _ ("“%s” must be true or false"), member);
  *out = node;
  return TRUE;
}

static gboolean
get_string (const Scope *scope, const char *member, const char *fallback, char **out)
{
  JsonNode *node;

  if (!find_member (scope, member, G_TYPE_STRING, &node))
    return FALSE;
  *out = g_strdup (node != NULL ? json_node_get_string (node) : fallback);
  return TRUE;
}

static gboolean
get_number (const Scope *scope, const char *member, double fallback, double *out)
{
  JsonNode *node;

  *out = fallback;
  if (!find_member (scope, member, G_TYPE_DOUBLE, &node))
    return FALSE;
  if (node != NULL)
    drs_sim_json_get_number (node, out);
  if (fabs (*out) > MAX_NUMBER)
    return invalid (scope, _ ("“%s” is out of range"), member);
  return TRUE;
}

static gboolean
get_bool (const Scope *scope, const char *member, gboolean fallback, gboolean *out)
{
  JsonNode *node = NULL;
  gboolean  found = find_member (scope, member, G_TYPE_BOOLEAN, &node);

  *out = node != NULL ? json_node_get_boolean (node) : fallback;
  return found;
}

/* A range is a number (constant) or [from, to]; both within 0–100. */
static gboolean
get_range (const Scope *scope, const char *member, gboolean *present, double *from, double *to)
{
  JsonNode  *node = json_object_get_member (scope->object, member);
  JsonArray *array =
      node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  gboolean ok;

  *present = FALSE;
  if (node == NULL)
    return TRUE;
  if (array != NULL)
    ok = json_array_get_length (array) == 2 &&
         drs_sim_json_get_number (json_array_get_element (array, 0), from) &&
         drs_sim_json_get_number (json_array_get_element (array, 1), to);
  else
    {
      ok = drs_sim_json_get_number (node, from);
      *to = *from;
    }
  if (!ok || *from < 0 || *from > 100 || *to < 0 || *to > 100)
    return invalid (scope, _ ("“%s” must be a percentage or [from, to]"), member);
  *present = TRUE;
  return TRUE;
}

static gboolean
parse_delay (const Scope *delay, DrsSimPhase *phase)
{
  double    base, jitter, initial, settle, every, spike_duration, spike;
  JsonNode *spikes_node;

  if (!get_number (delay, "base_ms", 500, &base) || !get_number (delay, "jitter_ms", 0, &jitter) ||
      !get_number (delay, "initial_ms", 0, &initial) ||
      !get_number (delay, "settle_s", 300, &settle) ||
      !get_number (delay, "spike_every_s", 0, &every) ||
      !get_number (delay, "spike_duration_s", 60, &spike_duration) ||
      !get_number (delay, "spike_ms", 0, &spike))
    return FALSE;
  if (base < 0 || jitter < 0 || initial < 0 || settle < 0 || every < 0 || spike_duration < 0 ||
      spike < 0)
    return invalid (delay, _ ("delay values must not be negative"));

  phase->has_delay = TRUE;
  phase->base_ms = (gint64) base;
  phase->jitter_ms = (gint64) jitter;
  phase->initial_ms = (gint64) initial;
  phase->settle_ms = (gint64) (settle * 1000);
  phase->spike_every_ms = (gint64) (every * 1000);
  phase->spike_duration_ms = (gint64) (spike_duration * 1000);
  phase->spike_ms = (gint64) spike;

  spikes_node = json_object_get_member (delay->object, "spikes");
  if (spikes_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (spikes_node))
    return invalid (delay, _ ("“spikes” must be an array"));

  phase->spikes = g_array_new (FALSE, TRUE, sizeof (DrsSimSpike));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (spikes_node)); i++)
    {
      JsonNode   *item = json_array_get_element (json_node_get_array (spikes_node), i);
      Scope       item_scope = { NULL, delay->where, delay->error };
      double      at, duration, peak;
      DrsSimSpike s;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return invalid (delay, _ ("each spike must be an object"));
      item_scope.object = json_node_get_object (item);
      if (!get_number (&item_scope, "at", 0, &at) ||
          !get_number (&item_scope, "duration", 60, &duration) ||
          !get_number (&item_scope, "peak_ms", 60000, &peak))
        return FALSE;
      if (at < 0 || duration <= 0 || peak < 0)
        return invalid (delay, _ ("a spike needs at ≥ 0, duration > 0 and peak_ms ≥ 0"));
      s.at_ms = (gint64) (at * 1000);
      s.duration_ms = (gint64) (duration * 1000);
      s.peak_ms = (gint64) peak;
      g_array_append_val (phase->spikes, s);
    }
  return TRUE;
}

static gboolean
parse_phase (JsonNode          *node,
             DrsSimPhase       *phase,
             const DrsSimPhase *previous,
             gboolean           last,
             const char        *where,
             GError           **error)
{
  Scope       scope = { NULL, where, error };
  JsonObject *object;
  JsonNode   *member;
  double      duration, remaining;
  gboolean    present;
  double      from = 0, to = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (&scope, _ ("a phase must be an object"));
  object = scope.object = json_node_get_object (node);

  if (!get_string (&scope, "status", NULL, &phase->status))
    return FALSE;
  if (phase->status == NULL || phase->status[0] == '\0')
    return invalid (&scope, _ ("“status” is required"));
  phase->status_enum = drs_job_status_from_string (phase->status);

  if (!get_number (&scope, "duration", -1, &duration))
    return FALSE;
  if (duration < 0 && json_object_has_member (object, "duration"))
    return invalid (&scope, _ ("“duration” must not be negative"));
  if (duration < 0 && !last)
    return invalid (&scope, _ ("“duration” is required on every phase but the last"));
  phase->duration_ms = duration < 0 ? -1 : (gint64) (duration * 1000);

  /* Progress carries over from where the previous phase ended. */
  phase->progress_from = phase->progress_to = previous ? previous->progress_to : 0;
  if (!get_range (&scope, "progress", &present, &from, &to))
    return FALSE;
  if (present)
    {
      phase->progress_from = from;
      phase->progress_to = to;
    }

  phase->parts_known = previous ? previous->parts_known : FALSE;
  for (guint p = 0; p < DRS_SIM_N_PARTS; p++)
    phase->parts_from[p] = phase->parts_to[p] = previous ? previous->parts_to[p] : 0;
  phase->parts_derived = phase->status_enum == DRS_JOB_STATUS_FULL_TRANSFER_STARTED;
  for (guint p = 0; p < DRS_SIM_N_PARTS; p++)
    {
      if (!get_range (&scope, _drs_sim_part_name (p), &present, &from, &to))
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
      for (guint p = 0; p < DRS_SIM_N_PARTS; p++)
        {
          phase->parts_from[p] = _drs_sim_part_derive (p, phase->progress_from);
          phase->parts_to[p] = _drs_sim_part_derive (p, phase->progress_to);
        }
    }

  if (!get_number (&scope, "remaining_time", -1, &remaining))
    return FALSE;
  phase->remaining_s = remaining < 0 ? -1 : (gint64) remaining;

  member = json_object_get_member (object, "delay");
  if (member != NULL && !JSON_NODE_HOLDS_OBJECT (member))
    return invalid (&scope, _ ("“delay” must be an object"));
  if (member != NULL)
    {
      Scope delay = { json_node_get_object (member), where, error };

      if (!parse_delay (&delay, phase))
        return FALSE;
    }
  else if (phase->status_enum == DRS_JOB_STATUS_INCRE_TRANSFER_STARTED)
    {
      phase->has_delay = TRUE;
      phase->base_ms = 500;
      phase->jitter_ms = 500;
    }

  if (!get_string (&scope, "error_code", NULL, &phase->error_code) ||
      !get_string (&scope, "error_msg", NULL, &phase->error_msg) ||
      !get_string (&scope, "error_msg_zh", NULL, &phase->error_msg_zh) ||
      !get_bool (&scope, "missing", FALSE, &phase->missing))
    return FALSE;
  if (phase->missing && phase->error_code == NULL)
    phase->error_code = g_strdup ("DRS.M05004");

  member = json_object_get_member (object, "raw");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (member))
        return invalid (&scope, _ ("“raw” must be an object"));
      phase->raw = json_object_ref (json_node_get_object (member));
    }
  return TRUE;
}

static DrsSimJob *
parse_job (JsonNode *node, guint index, GError **error)
{
  /* Translators: where a scenario file is wrong: the n-th entry of its "jobs" */
  g_autofree char *where = g_strdup_printf (_ ("job %u"), index + 1);
  g_autofree char *scenario = NULL;
  Scope            scope = { NULL, where, error };
  JsonObject      *object;
  JsonNode        *phases_node;
  JsonArray       *phases;
  double           start;
  DrsSimJob       *job;
  gint64           offset = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (&scope, _ ("must be an object"));
      return NULL;
    }
  object = scope.object = json_node_get_object (node);

  job = g_new0 (DrsSimJob, 1);
  job->phases = g_array_new (FALSE, TRUE, sizeof (DrsSimPhase));
  g_array_set_clear_func (job->phases, phase_clear);
  job->first_running = G_MAXUINT;

  if (!get_string (&scope, "id", NULL, &job->id))
    goto fail;
  if (job->id == NULL || job->id[0] == '\0')
    {
      invalid (&scope, _ ("“id” is required"));
      goto fail;
    }
  g_free (where);
  /* Translators: where a scenario file is wrong: the job with this id */
  scope.where = where = g_strdup_printf (_ ("job %s"), job->id);

  if (!get_string (&scope, "name", job->id, &job->name) ||
      !get_string (&scope, "task_mode", "FULL_INCR_TRANS", &job->task_mode) ||
      !get_string (&scope, "engine_type", "mysql", &job->engine_type) ||
      !get_string (&scope, "scenario", "migration", &scenario) ||
      !get_number (&scope, "start", 0, &start) ||
      !get_bool (&scope, "progress_map", g_strcmp0 (job->task_mode, "INCR_TRANS") != 0,
                 &job->progress_map) ||
      !get_bool (&scope, "delay_millis", TRUE, &job->delay_millis))
    goto fail;

  job->scenario = drs_scenario_from_string (scenario);
  if (job->scenario == DRS_SCENARIO_UNKNOWN)
    {
      invalid (&scope, _ ("“scenario” must be migration, sync or cloudDataGuard"));
      goto fail;
    }
  job->start_ms = (gint64) (start * 1000);

  phases_node = json_object_get_member (object, "phases");
  if (phases_node == NULL || !JSON_NODE_HOLDS_ARRAY (phases_node) ||
      json_array_get_length (json_node_get_array (phases_node)) == 0)
    {
      invalid (&scope, _ ("“phases” must be a non-empty array"));
      goto fail;
    }
  phases = json_node_get_array (phases_node);
  for (guint i = 0; i < json_array_get_length (phases); i++)
    {
      g_autofree char   *phase_where = g_strdup_printf (_ ("%s, phase %u"), where, i + 1);
      DrsSimPhase        phase = { 0 };
      const DrsSimPhase *previous = i > 0 ? &g_array_index (job->phases, DrsSimPhase, i - 1) : NULL;

      if (!parse_phase (json_array_get_element (phases, i), &phase, previous,
                        i + 1 == json_array_get_length (phases), phase_where, error))
        {
          phase_clear (&phase);
          goto fail;
        }
      phase.start_ms = offset;
      offset += MAX (phase.duration_ms, 0);
      if (offset > DRS_SIM_MAX_TIMELINE_MS)
        {
          phase_clear (&phase);
          invalid (&scope, _ ("the phases last too long"));
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
  Scope     scope = { NULL, _ ("scenario"), error };
  JsonNode *root;
  JsonNode *jobs;

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, DRS_SIM_SCENARIO_ERROR, DRS_SIM_SCENARIO_ERROR_INVALID,
                   _ ("not valid JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      invalid (&scope, _ ("must be a JSON object"));
      return NULL;
    }
  scope.object = json_node_get_object (root);

  self = g_new0 (DrsSimScenario, 1);
  self->jobs = g_ptr_array_new_with_free_func (job_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  if (!get_string (&scope, "project_id", NULL, &self->project_id))
    return NULL;

  jobs = json_object_get_member (scope.object, "jobs");
  if (jobs == NULL || !JSON_NODE_HOLDS_ARRAY (jobs))
    {
      invalid (&scope, _ ("“jobs” must be an array"));
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (jobs)); i++)
    {
      DrsSimJob *job = parse_job (json_array_get_element (json_node_get_array (jobs), i), i, error);

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

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-job"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "drs-job.h"
#include "drs-task-action.h"

/**
 * DrsJob:
 *
 * One task's latest known state. Every value is typed; "not available" is %DRS_UNKNOWN, never 0.
 * drs_job_apply() changes only what differs and notifies only those properties, so a view bound
 * to a job repaints exactly the cells that changed.
 */
struct _DrsJob
{
  GObject parent_instance;

  char       *id;
  char       *name;
  char       *account;
  const char *task_mode_raw; /* static or interned */
  const char *status_raw;    /* static or interned */
  char       *error_code;
  char       *error_message;
  char       *stale_reason;

  double           progress;
  gint64           delay_ms;
  gint64           process_time_ms;
  gint64           remaining_s;
  gint64           last_updated_us;
  DrsPhaseProgress phases[DRS_N_PHASES];

  DrsTaskMode    task_mode : 8;
  DrsJobStatus   status : 8;
  DrsStatusClass status_class : 8;
  DrsScenario    scenario : 8;
  guint          has_phases : 1;
  guint          stale : 1;
  guint          action_pending : 1;
  DrsTaskAction  pending_action : 8;
  const char    *pending_from; /* status_raw when the action was taken */
};

G_DEFINE_FINAL_TYPE (DrsJob, drs_job, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_SCENARIO,
  PROP_ACCOUNT,
  PROP_PROGRESS,
  PROP_DELAY_MS,
  PROP_TASK_MODE,
  PROP_TASK_MODE_RAW,
  PROP_STATUS,
  PROP_STATUS_RAW,
  PROP_STATUS_LABEL,
  PROP_STATUS_CLASS,
  PROP_PROCESS_TIME,
  PROP_REMAINING_S,
  PROP_HAS_PHASES,
  PROP_STRUCT_PROGRESS,
  PROP_DATA_PROGRESS,
  PROP_INDEX_PROGRESS,
  PROP_STRUCT_REMAINING_S,
  PROP_DATA_REMAINING_S,
  PROP_INDEX_REMAINING_S,
  PROP_ERROR_CODE,
  PROP_ERROR_MESSAGE,
  PROP_STALE,
  PROP_STALE_REASON,
  PROP_LAST_UPDATED,
  PROP_ACTION_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const guint phase_progress_props[DRS_N_PHASES] = { PROP_STRUCT_PROGRESS, PROP_DATA_PROGRESS,
                                                          PROP_INDEX_PROGRESS };
static const guint phase_remaining_props[DRS_N_PHASES] = { PROP_STRUCT_REMAINING_S,
                                                           PROP_DATA_REMAINING_S,
                                                           PROP_INDEX_REMAINING_S };

static void
drs_job_finalize (GObject *object)
{
  DrsJob *self = (DrsJob *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->error_code, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->stale_reason, g_free);

  G_OBJECT_CLASS (drs_job_parent_class)->finalize (object);
}

static void
drs_job_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsJob *self = DRS_JOB (object);

  switch (prop_id)
    {
      case PROP_ID:
        g_value_set_string (value, self->id);
        break;
      case PROP_NAME:
        g_value_set_string (value, self->name);
        break;
      case PROP_DISPLAY_NAME:
        g_value_set_string (value, drs_job_get_display_name (self));
        break;
      case PROP_SCENARIO:
        g_value_set_enum (value, self->scenario);
        break;
      case PROP_ACCOUNT:
        g_value_set_string (value, self->account);
        break;
      case PROP_PROGRESS:
        g_value_set_double (value, self->progress);
        break;
      case PROP_DELAY_MS:
        g_value_set_int64 (value, self->delay_ms);
        break;
      case PROP_TASK_MODE:
        g_value_set_enum (value, self->task_mode);
        break;
      case PROP_TASK_MODE_RAW:
        g_value_set_string (value, self->task_mode_raw);
        break;
      case PROP_STATUS:
        g_value_set_enum (value, self->status);
        break;
      case PROP_STATUS_RAW:
        g_value_set_string (value, self->status_raw);
        break;
      case PROP_STATUS_LABEL:
        g_value_set_string (value, drs_job_get_status_label (self));
        break;
      case PROP_STATUS_CLASS:
        g_value_set_enum (value, self->status_class);
        break;
      case PROP_PROCESS_TIME:
        g_value_take_boxed (value, drs_job_dup_process_time (self));
        break;
      case PROP_REMAINING_S:
        g_value_set_int64 (value, self->remaining_s);
        break;
      case PROP_HAS_PHASES:
        g_value_set_boolean (value, self->has_phases);
        break;
      case PROP_STRUCT_PROGRESS:
      case PROP_DATA_PROGRESS:
      case PROP_INDEX_PROGRESS:
        g_value_set_double (value, self->phases[prop_id - PROP_STRUCT_PROGRESS].completed);
        break;
      case PROP_STRUCT_REMAINING_S:
      case PROP_DATA_REMAINING_S:
      case PROP_INDEX_REMAINING_S:
        g_value_set_int64 (value, self->phases[prop_id - PROP_STRUCT_REMAINING_S].remaining_s);
        break;
      case PROP_ERROR_CODE:
        g_value_set_string (value, self->error_code);
        break;
      case PROP_ERROR_MESSAGE:
        g_value_set_string (value, self->error_message);
        break;
      case PROP_STALE:
        g_value_set_boolean (value, self->stale);
        break;
      case PROP_STALE_REASON:
        g_value_set_string (value, self->stale_reason);
        break;
      case PROP_LAST_UPDATED:
        g_value_take_boxed (value, drs_job_dup_last_updated (self));
        break;
      case PROP_ACTION_PENDING:
        g_value_set_boolean (value, self->action_pending);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_job_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DrsJob *self = DRS_JOB (object);

  switch (prop_id)
    {
      case PROP_ID:
        self->id = g_value_dup_string (value);
        break;
      case PROP_NAME:
        drs_job_set_name (self, g_value_get_string (value));
        break;
      case PROP_SCENARIO:
        drs_job_set_scenario (self, g_value_get_enum (value));
        break;
      case PROP_ACCOUNT:
        drs_job_set_account (self, g_value_get_string (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* What a task is before the server said anything of it, made once: a store of 10,000 tasks
 * makes them all at start-up. */
static DrsSnapshot *blank_snapshot;

static void
drs_job_class_init (DrsJobClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  static const char *const phase_names[DRS_N_PHASES] = { "struct", "data", "index" };

  object_class->finalize = drs_job_finalize;
  object_class->get_property = drs_job_get_property;
  object_class->set_property = drs_job_set_property;

  properties[PROP_ID] = g_param_spec_string (
      "id", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, ro);
  properties[PROP_SCENARIO] =
      g_param_spec_enum ("scenario", NULL, NULL, DRS_TYPE_SCENARIO, DRS_SCENARIO_UNKNOWN, rw);
  properties[PROP_ACCOUNT] = g_param_spec_string ("account", NULL, NULL, NULL, rw);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 100, -1, ro);
  properties[PROP_DELAY_MS] = g_param_spec_int64 ("delay-ms", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_TASK_MODE] =
      g_param_spec_enum ("task-mode", NULL, NULL, DRS_TYPE_TASK_MODE, DRS_TASK_MODE_UNKNOWN, ro);
  properties[PROP_TASK_MODE_RAW] = g_param_spec_string ("task-mode-raw", NULL, NULL, NULL, ro);
  properties[PROP_STATUS] =
      g_param_spec_enum ("status", NULL, NULL, DRS_TYPE_JOB_STATUS, DRS_JOB_STATUS_UNKNOWN, ro);
  properties[PROP_STATUS_RAW] = g_param_spec_string ("status-raw", NULL, NULL, NULL, ro);
  properties[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, ro);
  properties[PROP_STATUS_CLASS] = g_param_spec_enum (
      "status-class", NULL, NULL, DRS_TYPE_STATUS_CLASS, DRS_STATUS_CLASS_UNKNOWN, ro);
  properties[PROP_PROCESS_TIME] =
      g_param_spec_boxed ("process-time", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_REMAINING_S] =
      g_param_spec_int64 ("remaining-s", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_HAS_PHASES] = g_param_spec_boolean ("has-phases", NULL, NULL, FALSE, ro);
  for (guint i = 0; i < DRS_N_PHASES; i++)
    {
      g_autofree char *p = g_strdup_printf ("%s-progress", phase_names[i]);
      g_autofree char *r = g_strdup_printf ("%s-remaining-s", phase_names[i]);

      properties[phase_progress_props[i]] =
          g_param_spec_double (g_intern_string (p), NULL, NULL, -1, 100, -1, ro);
      properties[phase_remaining_props[i]] =
          g_param_spec_int64 (g_intern_string (r), NULL, NULL, -1, G_MAXINT64, -1, ro);
    }
  properties[PROP_ERROR_CODE] = g_param_spec_string ("error-code", NULL, NULL, NULL, ro);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, ro);
  properties[PROP_STALE] = g_param_spec_boolean ("stale", NULL, NULL, FALSE, ro);
  properties[PROP_STALE_REASON] = g_param_spec_string ("stale-reason", NULL, NULL, NULL, ro);
  /* Set by every successful poll but notified only with #DrsJob:stale, which is when it matters. */
  properties[PROP_LAST_UPDATED] =
      g_param_spec_boxed ("last-updated", NULL, NULL, G_TYPE_DATE_TIME, ro);

  /* An action was accepted and its effect is not visible yet (see drs_job_set_action_pending()). */
  properties[PROP_ACTION_PENDING] = g_param_spec_boolean ("action-pending", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  blank_snapshot = drs_snapshot_new (NULL);
}

static void
drs_job_init (DrsJob *self)
{
  /* Every value starts unknown, as in a snapshot the server sent nothing for. */
  self->progress = blank_snapshot->progress;
  self->delay_ms = blank_snapshot->delay_ms;
  self->process_time_ms = blank_snapshot->process_time_ms;
  self->remaining_s = blank_snapshot->remaining_s;
  memcpy (self->phases, blank_snapshot->phases, sizeof self->phases);
}

DrsJob *
drs_job_new (const char *id)
{
  DrsJob *self;

  g_return_val_if_fail (id != NULL, NULL);

  /* As g_object_new (…, "id", id, …) does, without a GValue: a store of 10,000 tasks makes
   * them all at start-up. */
  self = g_object_new (DRS_TYPE_JOB, NULL);
  self->id = g_strdup (id);
  return self;
}

const char *
drs_job_get_id (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);
  return self->id;
}

const char *
drs_job_get_name (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);
  return self->name;
}

static gboolean
replace_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
drs_job_set_name (DrsJob *self, const char *name)
{
  g_return_if_fail (DRS_IS_JOB (self));

  if (name != NULL && *name == '\0')
    name = NULL;
  if (replace_string (&self->name, name))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
    }
}

/**
 * drs_job_get_display_name:
 *
 * Returns: the name the user gave the task, or its id
 */
const char *
drs_job_get_display_name (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);
  return self->name ? self->name : self->id;
}

DrsScenario
drs_job_get_scenario (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_SCENARIO_UNKNOWN);
  return self->scenario;
}

void
drs_job_set_scenario (DrsJob *self, DrsScenario scenario)
{
  g_return_if_fail (DRS_IS_JOB (self));

  if (self->scenario == scenario)
    return;
  self->scenario = scenario;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCENARIO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
}

const char *
drs_job_get_account (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);
  return self->account;
}

void
drs_job_set_account (DrsJob *self, const char *account)
{
  g_return_if_fail (DRS_IS_JOB (self));

  if (replace_string (&self->account, account))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

double
drs_job_get_progress (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_UNKNOWN);
  return self->progress;
}

gint64
drs_job_get_delay_ms (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_UNKNOWN);
  return self->delay_ms;
}

DrsTaskMode
drs_job_get_task_mode (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_TASK_MODE_UNKNOWN);
  return self->task_mode;
}

const char *
drs_job_get_task_mode_raw (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);
  return self->task_mode_raw;
}

DrsJobStatus
drs_job_get_status (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_JOB_STATUS_UNKNOWN);
  return self->status;
}

const char *
drs_job_get_status_raw (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);
  return self->status_raw;
}

/**
 * drs_job_get_status_label:
 *
 * Returns: the translated status; a value this build does not know, verbatim
 */
const char *
drs_job_get_status_label (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);

  if (self->status == DRS_JOB_STATUS_UNKNOWN && self->status_raw != NULL)
    return self->status_raw;
  /* Only an error, never a status: the server does not know this task (or no longer). */
  if (self->status == DRS_JOB_STATUS_UNKNOWN && self->error_code != NULL)
    return C_ ("task status", "Not found");
  return drs_job_status_get_label (self->status, self->scenario);
}

DrsStatusClass
drs_job_get_status_class (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_STATUS_CLASS_UNKNOWN);
  return self->status_class;
}

gint64
drs_job_get_process_time_ms (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_UNKNOWN);
  return self->process_time_ms;
}

/**
 * drs_job_dup_process_time:
 *
 * Returns: (transfer full) (nullable): when the server last processed the task, in UTC
 */
GDateTime *
drs_job_dup_process_time (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);

  if (self->process_time_ms <= 0)
    return NULL;
  return g_date_time_new_from_unix_utc (self->process_time_ms / 1000);
}

gint64
drs_job_get_remaining_s (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_UNKNOWN);
  return self->remaining_s;
}

gboolean
drs_job_get_has_phases (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), FALSE);
  return self->has_phases;
}

double
drs_job_get_phase_progress (DrsJob *self, DrsPhase phase)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_UNKNOWN);
  g_return_val_if_fail (phase < DRS_N_PHASES, DRS_UNKNOWN);
  return self->phases[phase].completed;
}

gint64
drs_job_get_phase_remaining_s (DrsJob *self, DrsPhase phase)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_UNKNOWN);
  g_return_val_if_fail (phase < DRS_N_PHASES, DRS_UNKNOWN);
  return self->phases[phase].remaining_s;
}

const char *
drs_job_get_error_code (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);
  return self->error_code;
}

const char *
drs_job_get_error_message (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);
  return self->error_message;
}

gboolean
drs_job_get_stale (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), FALSE);
  return self->stale;
}

/**
 * drs_job_get_stale_reason:
 *
 * Returns: (nullable): why the last poll failed, while #DrsJob:stale is set
 */
const char *
drs_job_get_stale_reason (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);
  return self->stale_reason;
}

gint64
drs_job_get_last_updated_us (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), 0);
  return self->last_updated_us;
}

/**
 * drs_job_dup_last_updated:
 *
 * Returns: (transfer full) (nullable): the time of the last successful poll
 */
GDateTime *
drs_job_dup_last_updated (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), NULL);

  if (self->last_updated_us <= 0)
    return NULL;
  {
    g_autoptr (GDateTime) seconds = NULL;

    seconds = g_date_time_new_from_unix_utc (self->last_updated_us / G_USEC_PER_SEC);
    return g_date_time_add (seconds, self->last_updated_us % G_USEC_PER_SEC);
  }
}

#define SET_IF_CHANGED(field, value, prop)                            \
  G_STMT_START                                                        \
  {                                                                   \
    if (self->field != (value))                                       \
      {                                                               \
        self->field = (value);                                        \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
        changed = TRUE;                                               \
      }                                                               \
  }                                                                   \
  G_STMT_END

static gboolean
set_stale (DrsJob *self, gboolean stale, const char *reason)
{
  gboolean changed = FALSE;

  if (replace_string (&self->stale_reason, stale ? reason : NULL))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE_REASON]);
      changed = TRUE;
    }
  if (self->stale != !!stale)
    {
      self->stale = !!stale;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_UPDATED]);
      changed = TRUE;
    }
  return changed;
}

/**
 * drs_job_apply:
 * @snapshot: what the server said about this job
 * @now_us: the wall-clock time of the answer, in microseconds
 *
 * Sets only what differs and notifies only those properties. A snapshot carrying only a
 * per-job error changes only the error: the last known values stay. A successful answer clears
 * #DrsJob:stale.
 *
 * Returns: %TRUE if any property changed
 */
gboolean
drs_job_apply (DrsJob *self, const DrsSnapshot *snapshot, gint64 now_us)
{
  gboolean       changed = FALSE;
  DrsStatusClass status_class;

  g_return_val_if_fail (DRS_IS_JOB (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);

  self->last_updated_us = now_us;

  if (replace_string (&self->error_code, snapshot->error_code))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_CODE]);
      if (self->status == DRS_JOB_STATUS_UNKNOWN && self->status_raw == NULL)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
      changed = TRUE;
    }
  if (replace_string (&self->error_message, snapshot->error_msg))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
      changed = TRUE;
    }

  changed |= set_stale (self, FALSE, NULL);

  /* An error alone (task not found, deleted) keeps the last known values; a failed task's
   * answer that carries its status and progress too is applied whole. */
  if (snapshot->error_code != NULL && snapshot->status_raw == NULL && snapshot->progress < 0 &&
      snapshot->task_mode_raw == NULL)
    return changed;

  SET_IF_CHANGED (progress, snapshot->progress, PROP_PROGRESS);
  SET_IF_CHANGED (delay_ms, snapshot->delay_ms, PROP_DELAY_MS);
  SET_IF_CHANGED (process_time_ms, snapshot->process_time_ms, PROP_PROCESS_TIME);
  SET_IF_CHANGED (remaining_s, snapshot->remaining_s, PROP_REMAINING_S);
  SET_IF_CHANGED (task_mode_raw, snapshot->task_mode_raw, PROP_TASK_MODE_RAW);
  SET_IF_CHANGED (has_phases, !!snapshot->has_phases, PROP_HAS_PHASES);

  for (guint i = 0; i < DRS_N_PHASES; i++)
    {
      SET_IF_CHANGED (phases[i].completed, snapshot->phases[i].completed, phase_progress_props[i]);
      SET_IF_CHANGED (phases[i].remaining_s, snapshot->phases[i].remaining_s,
                      phase_remaining_props[i]);
    }

  if (self->task_mode != snapshot->task_mode)
    {
      self->task_mode = snapshot->task_mode;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK_MODE]);
      changed = TRUE;
    }

  if (self->status != snapshot->status || self->status_raw != snapshot->status_raw)
    {
      gboolean enum_changed = self->status != snapshot->status;

      self->status = snapshot->status;
      self->status_raw = snapshot->status_raw;
      if (enum_changed)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_RAW]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
      changed = TRUE;
    }

  status_class = drs_job_status_classify (self->status, self->task_mode);
  if (self->status_class != status_class)
    {
      self->status_class = status_class;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_CLASS]);
      changed = TRUE;
    }

  /* The action shows: it is no longer pending. */
  if (self->action_pending && self->status_raw != self->pending_from)
    {
      drs_job_set_action_pending (self, FALSE, self->pending_action);
      changed = TRUE;
    }

  return changed;
}

/**
 * drs_job_set_action_pending:
 * @pending: %TRUE when DRS accepted @action for the task and its status does not show it yet
 *
 * Marks the task as waiting for the effect of @action. The mark goes away by itself when a
 * poll brings another status (drs_job_apply()), or when this is called with %FALSE (the
 * monitor does so after a timeout).
 */
void
drs_job_set_action_pending (DrsJob *self, gboolean pending, DrsTaskAction action)
{
  g_return_if_fail (DRS_IS_JOB (self));

  self->pending_action = action;
  self->pending_from = pending ? self->status_raw : NULL;
  if (self->action_pending == !!pending)
    return;
  self->action_pending = !!pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION_PENDING]);
}

gboolean
drs_job_get_action_pending (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), FALSE);
  return self->action_pending;
}

/**
 * drs_job_get_pending_action:
 *
 * Returns: the action #DrsJob:action-pending waits for (meaningless while it is %FALSE)
 */
DrsTaskAction
drs_job_get_pending_action (DrsJob *self)
{
  g_return_val_if_fail (DRS_IS_JOB (self), DRS_TASK_ACTION_RETRY);
  return self->pending_action;
}

/**
 * drs_job_mark_stale:
 * @reason: the translated error that stopped the last poll
 *
 * Keeps every last known value and marks them as out of date.
 */
void
drs_job_mark_stale (DrsJob *self, const char *reason)
{
  g_return_if_fail (DRS_IS_JOB (self));
  set_stale (self, TRUE, reason);
}

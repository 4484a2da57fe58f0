/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the user made of the task table, kept apart from any widget: the search, the status
 * filter, the selection and the row scrolled to. A window opened again starts from it. */
#define G_LOG_DOMAIN "drs-view-state"

#include "config.h"

#include "drs-view-state.h"

struct _DrsViewState
{
  GObject parent_instance;

  char  *search_text;
  char  *status_filter;
  char **selected_jobs;
  char  *scroll_job;
};

G_DEFINE_FINAL_TYPE (DrsViewState, drs_view_state, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SEARCH_TEXT,
  PROP_STATUS_FILTER,
  PROP_SELECTED_JOBS,
  PROP_SCROLL_JOB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The string members, by property. */
static char **
string_field (DrsViewState *self, guint prop_id)
{
  switch (prop_id)
    {
      case PROP_SEARCH_TEXT:
        return &self->search_text;
      case PROP_STATUS_FILTER:
        return &self->status_filter;
      case PROP_SCROLL_JOB:
        return &self->scroll_job;
      default:
        return NULL;
    }
}

static gboolean
set_string (char **field, const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
drs_view_state_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsViewState *self = DRS_VIEW_STATE (object);
  char        **field = string_field (self, prop_id);

  if (field != NULL)
    g_value_set_string (value, *field);
  else if (prop_id == PROP_SELECTED_JOBS)
    g_value_set_boxed (value, self->selected_jobs);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
drs_view_state_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DrsViewState *self = DRS_VIEW_STATE (object);
  char        **field = string_field (self, prop_id);

  if (field != NULL)
    {
      if (set_string (field, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
    }
  else if (prop_id == PROP_SELECTED_JOBS)
    {
      const char *const *jobs = g_value_get_boxed (value);

      if (jobs == NULL && self->selected_jobs == NULL)
        return;
      if (jobs != NULL && self->selected_jobs != NULL &&
          g_strv_equal (jobs, (const char *const *) self->selected_jobs))
        return;
      g_strfreev (self->selected_jobs);
      self->selected_jobs = g_strdupv ((char **) jobs);
      g_object_notify_by_pspec (object, pspec);
    }
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
drs_view_state_finalize (GObject *object)
{
  DrsViewState *self = DRS_VIEW_STATE (object);

  for (guint i = 1; i < N_PROPS; i++)
    {
      char **field = string_field (self, i);

      if (field != NULL)
        g_clear_pointer (field, g_free);
    }
  g_clear_pointer (&self->selected_jobs, g_strfreev);

  G_OBJECT_CLASS (drs_view_state_parent_class)->finalize (object);
}

static GParamSpec *
string_property (const char *name, const char *default_value)
{
  return g_param_spec_string (name, NULL, NULL, default_value,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
drs_view_state_class_init (DrsViewStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = drs_view_state_get_property;
  object_class->set_property = drs_view_state_set_property;
  object_class->finalize = drs_view_state_finalize;

  /* What the search entry holds, as typed. */
  properties[PROP_SEARCH_TEXT] = string_property ("search-text", NULL);
  /* "all" or a status class's nick ("failed", "running", …). */
  properties[PROP_STATUS_FILTER] = string_property ("status-filter", "all");
  properties[PROP_SELECTED_JOBS] =
      g_param_spec_boxed ("selected-jobs", NULL, NULL, G_TYPE_STRV,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The task of the row at the top of the table. */
  properties[PROP_SCROLL_JOB] = string_property ("scroll-job", NULL);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_view_state_init (DrsViewState *self)
{
  self->status_filter = g_strdup ("all");
}

DrsViewState *
drs_view_state_new (void)
{
  return g_object_new (DRS_TYPE_VIEW_STATE, NULL);
}

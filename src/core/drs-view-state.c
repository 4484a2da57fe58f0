/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the user made of the task table, kept apart from any widget: the search, the status
 * filter, the sort, the selection, the scroll position, the details' range and a confirmation
 * open. A window built
 * again (after a language switch) or opened again starts from it. */
#define G_LOG_DOMAIN "drs-view-state"

#include "config.h"

#include "drs-view-state.h"

struct _DrsViewState
{
  GObject parent_instance;

  char    *search_text;
  char    *status_filter;
  char    *sort_column;
  gboolean sort_descending;
  char   **selected_jobs;
  char    *focused_job;
  double   scroll_position;
  int      details_range;
  char    *confirm_action;
  char   **confirm_jobs;
  gboolean confirm_pause_all;
};

G_DEFINE_FINAL_TYPE (DrsViewState, drs_view_state, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SEARCH_TEXT,
  PROP_STATUS_FILTER,
  PROP_SORT_COLUMN,
  PROP_SORT_DESCENDING,
  PROP_SELECTED_JOBS,
  PROP_FOCUSED_JOB,
  PROP_SCROLL_POSITION,
  PROP_DETAILS_RANGE,
  PROP_CONFIRM_ACTION,
  PROP_CONFIRM_JOBS,
  PROP_CONFIRM_PAUSE_ALL,
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
      case PROP_SORT_COLUMN:
        return &self->sort_column;
      case PROP_FOCUSED_JOB:
        return &self->focused_job;
      case PROP_CONFIRM_ACTION:
        return &self->confirm_action;
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
  else if (prop_id == PROP_SORT_DESCENDING)
    g_value_set_boolean (value, self->sort_descending);
  else if (prop_id == PROP_CONFIRM_JOBS)
    g_value_set_boxed (value, self->confirm_jobs);
  else if (prop_id == PROP_CONFIRM_PAUSE_ALL)
    g_value_set_boolean (value, self->confirm_pause_all);
  else if (prop_id == PROP_SCROLL_POSITION)
    g_value_set_double (value, self->scroll_position);
  else if (prop_id == PROP_DETAILS_RANGE)
    g_value_set_int (value, self->details_range);
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
  else if (prop_id == PROP_SELECTED_JOBS || prop_id == PROP_CONFIRM_JOBS)
    {
      char ***strv = prop_id == PROP_SELECTED_JOBS ? &self->selected_jobs : &self->confirm_jobs;
      const char *const *jobs = g_value_get_boxed (value);

      if (jobs == NULL && *strv == NULL)
        return;
      if (jobs != NULL && *strv != NULL && g_strv_equal (jobs, (const char *const *) *strv))
        return;
      g_strfreev (*strv);
      *strv = g_strdupv ((char **) jobs);
      g_object_notify_by_pspec (object, pspec);
    }
  else if (prop_id == PROP_CONFIRM_PAUSE_ALL)
    {
      if (self->confirm_pause_all == g_value_get_boolean (value))
        return;
      self->confirm_pause_all = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, pspec);
    }
  else if (prop_id == PROP_SORT_DESCENDING)
    {
      if (self->sort_descending == g_value_get_boolean (value))
        return;
      self->sort_descending = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, pspec);
    }
  else if (prop_id == PROP_SCROLL_POSITION)
    {
      if (self->scroll_position == g_value_get_double (value))
        return;
      self->scroll_position = g_value_get_double (value);
      g_object_notify_by_pspec (object, pspec);
    }
  else if (prop_id == PROP_DETAILS_RANGE)
    {
      if (self->details_range == g_value_get_int (value))
        return;
      self->details_range = g_value_get_int (value);
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
  g_clear_pointer (&self->confirm_jobs, g_strfreev);

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
  /* The id of the column the table is sorted by, %NULL for none. */
  properties[PROP_SORT_COLUMN] = string_property ("sort-column", "status");
  properties[PROP_SORT_DESCENDING] =
      g_param_spec_boolean ("sort-descending", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Of the tasks selected, the one the details pane shows. */
  properties[PROP_FOCUSED_JOB] = string_property ("focused-job", NULL);
  /* How far down the table is scrolled, in pixels. */
  properties[PROP_SCROLL_POSITION] =
      g_param_spec_double ("scroll-position", NULL, NULL, 0, G_MAXDOUBLE, 0,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The details chart's range (a DrsDetailsRange of the UI), -1 for its default. */
  properties[PROP_DETAILS_RANGE] =
      g_param_spec_int ("details-range", NULL, NULL, -1, G_MAXINT, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A confirmation open (pause, resume, retry by nick), for the tasks in confirm-jobs. */
  properties[PROP_CONFIRM_ACTION] = string_property ("confirm-action", NULL);
  properties[PROP_CONFIRM_JOBS] =
      g_param_spec_boxed ("confirm-jobs", NULL, NULL, G_TYPE_STRV,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFIRM_PAUSE_ALL] =
      g_param_spec_boolean ("confirm-pause-all", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_view_state_init (DrsViewState *self)
{
  self->status_filter = g_strdup ("all");
  self->sort_column = g_strdup ("status");
  self->details_range = -1;
}

DrsViewState *
drs_view_state_new (void)
{
  return g_object_new (DRS_TYPE_VIEW_STATE, NULL);
}

/* The GVariant type a property is saved as, NULL for one that is not. */
static const char *
saved_type (GParamSpec *pspec)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  if (type == G_TYPE_STRING)
    return "s";
  if (type == G_TYPE_BOOLEAN)
    return "b";
  if (type == G_TYPE_INT)
    return "i";
  if (type == G_TYPE_DOUBLE)
    return "d";
  if (type == G_TYPE_STRV)
    return "as";
  return NULL;
}

/**
 * drs_view_state_save:
 *
 * Returns: (transfer full): every property that is set, as an `a{sv}` by property name, for
 *   drs_view_state_restore() in another process
 */
GVariant *
drs_view_state_save (DrsViewState *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (DRS_IS_VIEW_STATE (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 1; i < N_PROPS; i++)
    {
      g_auto (GValue) value = G_VALUE_INIT;
      GVariant *saved = NULL;

      g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (properties[i]));
      g_object_get_property (G_OBJECT (self), properties[i]->name, &value);
      switch (saved_type (properties[i])[0])
        {
          case 's':
            if (g_value_get_string (&value) != NULL)
              saved = g_variant_new_string (g_value_get_string (&value));
            break;
          case 'b':
            saved = g_variant_new_boolean (g_value_get_boolean (&value));
            break;
          case 'i':
            saved = g_variant_new_int32 (g_value_get_int (&value));
            break;
          case 'd':
            saved = g_variant_new_double (g_value_get_double (&value));
            break;
          default:
            if (g_value_get_boxed (&value) != NULL)
              saved = g_variant_new_strv (g_value_get_boxed (&value), -1);
            break;
        }
      if (saved != NULL)
        g_variant_builder_add (&builder, "{sv}", properties[i]->name, saved);
    }
  return g_variant_builder_end (&builder);
}

/**
 * drs_view_state_restore:
 * @saved: what drs_view_state_save() made, read back from anywhere
 *
 * Takes from @saved the properties it holds with their right types, and only those: what is
 * unknown, mistyped or out of range is left as it is.
 *
 * Returns: how many properties were taken
 */
guint
drs_view_state_restore (DrsViewState *self, GVariant *saved)
{
  GVariantIter iter;
  const char  *name;
  GVariant    *item;
  guint        n = 0;

  g_return_val_if_fail (DRS_IS_VIEW_STATE (self), 0);
  g_return_val_if_fail (saved != NULL, 0);

  if (!g_variant_is_of_type (saved, G_VARIANT_TYPE_VARDICT))
    return 0;
  g_object_freeze_notify (G_OBJECT (self));
  g_variant_iter_init (&iter, saved);
  while (g_variant_iter_next (&iter, "{&sv}", &name, &item))
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self), name);
      const char *type = pspec != NULL ? saved_type (pspec) : NULL;
      g_auto (GValue) value = G_VALUE_INIT;

      if (type != NULL && g_variant_is_of_type (item, G_VARIANT_TYPE (type)))
        {
          g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
          switch (type[0])
            {
              case 's':
                g_value_set_string (&value, g_variant_get_string (item, NULL));
                break;
              case 'b':
                g_value_set_boolean (&value, g_variant_get_boolean (item));
                break;
              case 'i':
                g_value_set_int (&value, g_variant_get_int32 (item));
                break;
              case 'd':
                g_value_set_double (&value, g_variant_get_double (item));
                break;
              default:
                g_value_take_boxed (&value, g_variant_dup_strv (item, NULL));
                break;
            }
          /* What the property would clamp or refuse (a negative scroll, a NaN) stays out. */
          if (!g_param_value_validate (pspec, &value))
            {
              g_object_set_property (G_OBJECT (self), name, &value);
              n++;
            }
        }
      g_variant_unref (item);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return n;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-job-store"

#include "config.h"

#include "drs-job-store.h"

/**
 * DrsJobStore:
 *
 * The list of watched tasks, a #GListModel of #DrsJob keyed by id. A refresh is merged into the
 * existing objects (drs_job_apply() notifies only what changed), so a view keeps its rows,
 * selection and scroll position; only adding and removing tasks emits #GListModel::items-changed,
 * and with the smallest range. #DrsJobStore::applied fires once per merge so that a sorted or
 * filtered view can re-sort once per refresh instead of once per row.
 */
struct _DrsJobStore
{
  GObject parent_instance;

  GPtrArray  *jobs;  /* DrsJob, owned */
  GHashTable *index; /* id (owned by the job) → DrsJob */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DrsJobStore,
                               drs_job_store,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PROP_0,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  N_PROPS
};

enum
{
  APPLIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static GType
drs_job_store_get_item_type (GListModel *model)
{
  return DRS_TYPE_JOB;
}

static guint
drs_job_store_get_n_items (GListModel *model)
{
  return DRS_JOB_STORE (model)->jobs->len;
}

static gpointer
drs_job_store_get_item (GListModel *model, guint position)
{
  DrsJobStore *self = DRS_JOB_STORE (model);

  if (position >= self->jobs->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->jobs, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = drs_job_store_get_item_type;
  iface->get_n_items = drs_job_store_get_n_items;
  iface->get_item = drs_job_store_get_item;
}

static void
drs_job_store_finalize (GObject *object)
{
  DrsJobStore *self = (DrsJobStore *) object;

  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);

  G_OBJECT_CLASS (drs_job_store_parent_class)->finalize (object);
}

static void
drs_job_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsJobStore *self = DRS_JOB_STORE (object);

  switch (prop_id)
    {
      case PROP_ITEM_TYPE:
        g_value_set_gtype (value, DRS_TYPE_JOB);
        break;
      case PROP_N_ITEMS:
        g_value_set_uint (value, self->jobs->len);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_job_store_class_init (DrsJobStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = drs_job_store_finalize;
  object_class->get_property = drs_job_store_get_property;

  properties[PROP_ITEM_TYPE] = g_param_spec_gtype ("item-type", NULL, NULL, DRS_TYPE_JOB,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
      g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DrsJobStore::applied:
   * @n_changed: how many jobs changed
   *
   * Emitted once per drs_job_store_apply(), after every job has been updated.
   */
  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
drs_job_store_init (DrsJobStore *self)
{
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
}

DrsJobStore *
drs_job_store_new (void)
{
  return g_object_new (DRS_TYPE_JOB_STORE, NULL);
}

static void
items_changed (DrsJobStore *self, guint position, guint removed, guint added)
{
  if (removed == 0 && added == 0)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/**
 * drs_job_store_lookup:
 *
 * Returns: (transfer none) (nullable): the job with @id
 */
DrsJob *
drs_job_store_lookup (DrsJobStore *self, const char *id)
{
  g_return_val_if_fail (DRS_IS_JOB_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->index, id);
}

/**
 * drs_job_store_find:
 * @position: (out) (optional): where the job is
 *
 * Returns: %TRUE if a job with @id is in the store
 */
gboolean
drs_job_store_find (DrsJobStore *self, const char *id, guint *position)
{
  DrsJob *job;

  g_return_val_if_fail (DRS_IS_JOB_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  job = g_hash_table_lookup (self->index, id);
  if (job == NULL)
    return FALSE;
  return g_ptr_array_find (self->jobs, job, position);
}

static DrsJob *
append_job (DrsJobStore *self, const char *id)
{
  DrsJob *job = drs_job_new (id);

  g_ptr_array_add (self->jobs, job);
  g_hash_table_insert (self->index, (gpointer) drs_job_get_id (job), job);
  return job;
}

/**
 * drs_job_store_add:
 * @id: a task id
 * @name: (nullable): the name to show; when given, also renames a job already in the store
 *
 * Returns: (transfer none): the job with @id, appended if it was not there yet
 */
DrsJob *
drs_job_store_add (DrsJobStore *self, const char *id, const char *name)
{
  DrsJob *job;

  g_return_val_if_fail (DRS_IS_JOB_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  job = g_hash_table_lookup (self->index, id);
  if (job == NULL)
    {
      job = append_job (self, id);
      if (name != NULL)
        drs_job_set_name (job, name);
      items_changed (self, self->jobs->len - 1, 0, 1);
    }
  else if (name != NULL)
    {
      drs_job_set_name (job, name);
    }
  return job;
}

/**
 * drs_job_store_add_many:
 * @ids: (array zero-terminated=1): task ids; those already in the store are skipped
 *
 * Appends every new id with a single #GListModel::items-changed.
 *
 * Returns: how many jobs were added
 */
guint
drs_job_store_add_many (DrsJobStore *self, const char *const *ids)
{
  guint position;
  guint added = 0;

  g_return_val_if_fail (DRS_IS_JOB_STORE (self), 0);
  g_return_val_if_fail (ids != NULL, 0);

  position = self->jobs->len;
  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (g_hash_table_contains (self->index, ids[i]))
        continue;
      append_job (self, ids[i]);
      added++;
    }

  items_changed (self, position, 0, added);
  return added;
}

static void
remove_at (DrsJobStore *self, guint position)
{
  DrsJob *job = g_ptr_array_index (self->jobs, position);

  g_hash_table_remove (self->index, drs_job_get_id (job));
  g_ptr_array_remove_index (self->jobs, position);
}

/**
 * drs_job_store_remove:
 *
 * Returns: %TRUE if a job with @id was in the store
 */
gboolean
drs_job_store_remove (DrsJobStore *self, const char *id)
{
  guint position;

  g_return_val_if_fail (DRS_IS_JOB_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!drs_job_store_find (self, id, &position))
    return FALSE;

  remove_at (self, position);
  items_changed (self, position, 1, 0);
  return TRUE;
}

/**
 * drs_job_store_remove_many:
 * @ids: (array zero-terminated=1): task ids; unknown ones are skipped
 *
 * Removes the jobs, with one #GListModel::items-changed per contiguous run of removed rows.
 *
 * Returns: how many jobs were removed
 */
guint
drs_job_store_remove_many (DrsJobStore *self, const char *const *ids)
{
  g_autoptr (GHashTable) doomed = NULL;
  guint removed = 0;
  guint i;

  g_return_val_if_fail (DRS_IS_JOB_STORE (self), 0);
  g_return_val_if_fail (ids != NULL, 0);

  doomed = g_hash_table_new (NULL, NULL);
  for (i = 0; ids[i] != NULL; i++)
    {
      DrsJob *job = g_hash_table_lookup (self->index, ids[i]);

      if (job != NULL)
        g_hash_table_add (doomed, job);
    }

  /* Walk backwards so positions of runs not yet reported stay valid. */
  i = self->jobs->len;
  while (i > 0 && g_hash_table_size (doomed) > 0)
    {
      guint end = i;

      while (i > 0 && g_hash_table_contains (doomed, g_ptr_array_index (self->jobs, i - 1)))
        {
          g_hash_table_remove (doomed, g_ptr_array_index (self->jobs, i - 1));
          remove_at (self, i - 1);
          i--;
        }
      if (end != i)
        {
          items_changed (self, i, end - i, 0);
          removed += end - i;
        }
      else
        {
          i--;
        }
    }

  return removed;
}

void
drs_job_store_remove_all (DrsJobStore *self)
{
  guint n;

  g_return_if_fail (DRS_IS_JOB_STORE (self));

  n = self->jobs->len;
  g_hash_table_remove_all (self->index);
  g_ptr_array_set_size (self->jobs, 0);
  items_changed (self, 0, n, 0);
}

/**
 * drs_job_store_apply:
 * @snapshots: (element-type DrsSnapshot): answers of a refresh; ids not in the store are ignored
 * @now_us: the wall-clock time of the answers
 *
 * Merges the answers into the existing jobs, which notify only what changed. Never adds,
 * removes or replaces a row. Emits #DrsJobStore::applied once.
 *
 * Returns: how many jobs changed
 */
guint
drs_job_store_apply (DrsJobStore *self, GPtrArray *snapshots, gint64 now_us)
{
  guint n_changed = 0;

  g_return_val_if_fail (DRS_IS_JOB_STORE (self), 0);
  g_return_val_if_fail (snapshots != NULL, 0);

  for (guint i = 0; i < snapshots->len; i++)
    {
      const DrsSnapshot *snapshot = g_ptr_array_index (snapshots, i);
      DrsJob            *job;

      if (snapshot == NULL || snapshot->job_id == NULL)
        continue;
      job = g_hash_table_lookup (self->index, snapshot->job_id);
      if (job != NULL && drs_job_apply (job, snapshot, now_us))
        n_changed++;
    }

  g_signal_emit (self, signals[APPLIED], 0, n_changed);
  return n_changed;
}

/**
 * drs_job_store_get_index:
 *
 * Returns: (transfer none) (element-type utf8 DrsJob): id → job, for drs_job_id_parse_list()
 */
GHashTable *
drs_job_store_get_index (DrsJobStore *self)
{
  g_return_val_if_fail (DRS_IS_JOB_STORE (self), NULL);
  return self->index;
}

guint
drs_job_store_get_n_jobs (DrsJobStore *self)
{
  g_return_val_if_fail (DRS_IS_JOB_STORE (self), 0);
  return self->jobs->len;
}

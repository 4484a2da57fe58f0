/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rows of the task table, over the selection of tasks (selection → sort → filter → store).
 *
 * GTK 4.8's list view keeps about 200 rows of widgets around what is shown, and a row whose task
 * leaves the model is destroyed, another built for the task that comes in. A search keystroke
 * or a sort moves nearly every task, so each would tear down and build some 2,200 cells. Here a
 * position keeps one row object for as long as the list is that long: when the tasks below move,
 * the row changes the task it shows ("job" notifies) and its cells bind to the new task, as they
 * change a value on a refresh. Only a change in the number of tasks reaches the view, at the
 * end. The selection is the one below, position for position, so it follows its tasks. */
#define G_LOG_DOMAIN "drs-window"

#include "config.h"

#include "drs-job-rows.h"

struct _DrsJobRow
{
  GObject     parent_instance;
  DrsJob     *job;
  guint       position;
  gboolean    selected; /* as the view was last told */
  DrsJobRows *owner;    /* NULL once the row's position is gone */
};

struct _DrsJobRows
{
  GObject            parent_instance;
  GtkSelectionModel *jobs;
  GPtrArray         *rows; /* DrsJobRow, weak: NULL where no one holds the position's row */
};

enum
{
  ROW_PROP_0,
  ROW_PROP_JOB,
  ROW_N_PROPS
};

static GParamSpec *row_props[ROW_N_PROPS];

G_DEFINE_FINAL_TYPE (DrsJobRow, drs_job_row, G_TYPE_OBJECT)

static void
drs_job_row_finalize (GObject *object)
{
  DrsJobRow *self = DRS_JOB_ROW (object);

  if (self->owner != NULL && self->position < self->owner->rows->len &&
      g_ptr_array_index (self->owner->rows, self->position) == self)
    g_ptr_array_index (self->owner->rows, self->position) = NULL;
  g_clear_object (&self->job);
  G_OBJECT_CLASS (drs_job_row_parent_class)->finalize (object);
}

static void
drs_job_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsJobRow *self = DRS_JOB_ROW (object);

  switch (prop_id)
    {
      case ROW_PROP_JOB:
        g_value_set_object (value, self->job);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_job_row_class_init (DrsJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = drs_job_row_finalize;
  object_class->get_property = drs_job_row_get_property;

  row_props[ROW_PROP_JOB] =
      g_param_spec_object ("job", NULL, NULL, DRS_TYPE_JOB,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_props);
}

static void
drs_job_row_init (DrsJobRow *self)
{
}

/**
 * drs_job_row_get_job:
 * @self: a row of the table
 *
 * Returns: (transfer none): the task the row shows now
 */
DrsJob *
drs_job_row_get_job (DrsJobRow *self)
{
  g_return_val_if_fail (DRS_IS_JOB_ROW (self), NULL);
  return self->job;
}

static void
row_show (DrsJobRow *row, DrsJob *job)
{
  if (row->job == job)
    return;
  g_set_object (&row->job, job);
  g_object_notify_by_pspec (G_OBJECT (row), row_props[ROW_PROP_JOB]);
}

static GType
rows_get_item_type (GListModel *model)
{
  return DRS_TYPE_JOB_ROW;
}

static guint
rows_get_n_items (GListModel *model)
{
  return DRS_JOB_ROWS (model)->rows->len;
}

static gpointer
rows_get_item (GListModel *model, guint position)
{
  DrsJobRows *self = DRS_JOB_ROWS (model);
  DrsJobRow  *row;

  if (position >= self->rows->len)
    return NULL;
  row = g_ptr_array_index (self->rows, position);
  if (row != NULL)
    return g_object_ref (row);

  row = g_object_new (DRS_TYPE_JOB_ROW, NULL);
  row->job = g_list_model_get_item (G_LIST_MODEL (self->jobs), position);
  row->position = position;
  row->selected = gtk_selection_model_is_selected (self->jobs, position);
  row->owner = self;
  g_ptr_array_index (self->rows, position) = row;
  return row;
}

static void
rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = rows_get_item_type;
  iface->get_n_items = rows_get_n_items;
  iface->get_item = rows_get_item;
}

/* The selection is the tasks' selection, position for position. */

static gboolean
rows_is_selected (GtkSelectionModel *model, guint position)
{
  return gtk_selection_model_is_selected (DRS_JOB_ROWS (model)->jobs, position);
}

static GtkBitset *
rows_get_selection_in_range (GtkSelectionModel *model, guint position, guint n_items)
{
  return gtk_selection_model_get_selection_in_range (DRS_JOB_ROWS (model)->jobs, position, n_items);
}

static gboolean
rows_select_item (GtkSelectionModel *model, guint position, gboolean unselect_rest)
{
  return gtk_selection_model_select_item (DRS_JOB_ROWS (model)->jobs, position, unselect_rest);
}

static gboolean
rows_unselect_item (GtkSelectionModel *model, guint position)
{
  return gtk_selection_model_unselect_item (DRS_JOB_ROWS (model)->jobs, position);
}

static gboolean
rows_select_range (GtkSelectionModel *model, guint position, guint n_items, gboolean unselect_rest)
{
  return gtk_selection_model_select_range (DRS_JOB_ROWS (model)->jobs, position, n_items,
                                           unselect_rest);
}

static gboolean
rows_unselect_range (GtkSelectionModel *model, guint position, guint n_items)
{
  return gtk_selection_model_unselect_range (DRS_JOB_ROWS (model)->jobs, position, n_items);
}

static gboolean
rows_select_all (GtkSelectionModel *model)
{
  return gtk_selection_model_select_all (DRS_JOB_ROWS (model)->jobs);
}

static gboolean
rows_unselect_all (GtkSelectionModel *model)
{
  return gtk_selection_model_unselect_all (DRS_JOB_ROWS (model)->jobs);
}

static gboolean
rows_set_selection (GtkSelectionModel *model, GtkBitset *selected, GtkBitset *mask)
{
  return gtk_selection_model_set_selection (DRS_JOB_ROWS (model)->jobs, selected, mask);
}

static void
rows_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = rows_is_selected;
  iface->get_selection_in_range = rows_get_selection_in_range;
  iface->select_item = rows_select_item;
  iface->unselect_item = rows_unselect_item;
  iface->select_range = rows_select_range;
  iface->unselect_range = rows_unselect_range;
  iface->select_all = rows_select_all;
  iface->unselect_all = rows_unselect_all;
  iface->set_selection = rows_set_selection;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (DrsJobRows,
                               drs_job_rows,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, rows_list_model_init)
                                   G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                          rows_selection_model_init))

/* The row at @position is no longer the table's. */
static void
row_orphan (DrsJobRows *self, guint position)
{
  DrsJobRow *row = g_ptr_array_index (self->rows, position);

  if (row != NULL)
    row->owner = NULL;
}

static void
on_jobs_changed (DrsJobRows *self, guint position, guint removed, guint added)
{
  guint old_n = self->rows->len;
  guint new_n = old_n - removed + added;
  guint kept = MIN (old_n, new_n);
  guint reselected_from = G_MAXUINT, reselected_to = 0;

  /* The rows that stay show what is now at their place, and are selected if it is. */
  for (guint i = position; i < kept; i++)
    {
      DrsJobRow *row = g_ptr_array_index (self->rows, i);
      g_autoptr (DrsJob) job = NULL;
      gboolean selected;

      if (row == NULL)
        continue;
      job = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      row_show (row, job);
      selected = gtk_selection_model_is_selected (self->jobs, i);
      if (selected != row->selected)
        {
          row->selected = selected;
          reselected_from = MIN (reselected_from, i);
          reselected_to = i + 1;
        }
    }

  /* The view hears only of the end of the list growing or shrinking... */
  if (new_n < old_n)
    {
      for (guint i = new_n; i < old_n; i++)
        row_orphan (self, i);
      g_ptr_array_set_size (self->rows, new_n);
      g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
    }
  else if (new_n > old_n)
    {
      g_ptr_array_set_size (self->rows, new_n);
      g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
    }

  /* ... and of the rows it shows that are selected now, or no longer: telling it of every
   * position would update every row it keeps (some 15 ms at 10,000 tasks). A row made later
   * asks. */
  if (reselected_from < reselected_to)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), reselected_from,
                                           reselected_to - reselected_from);
}

static void
on_jobs_selection_changed (DrsJobRows *self, guint position, guint n_items)
{
  for (guint i = position; i < position + n_items && i < self->rows->len; i++)
    {
      DrsJobRow *row = g_ptr_array_index (self->rows, i);

      if (row != NULL)
        row->selected = gtk_selection_model_is_selected (self->jobs, i);
    }
  gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), position, n_items);
}

static void
drs_job_rows_dispose (GObject *object)
{
  DrsJobRows *self = DRS_JOB_ROWS (object);

  if (self->jobs != NULL)
    g_signal_handlers_disconnect_by_data (self->jobs, self);
  g_clear_object (&self->jobs);
  if (self->rows != NULL)
    for (guint i = 0; i < self->rows->len; i++)
      row_orphan (self, i);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (drs_job_rows_parent_class)->dispose (object);
}

static void
drs_job_rows_class_init (DrsJobRowsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = drs_job_rows_dispose;
}

static void
drs_job_rows_init (DrsJobRows *self)
{
  self->rows = g_ptr_array_new ();
}

/**
 * drs_job_rows_new:
 * @jobs: the selection of tasks, sorted and filtered, the rows show
 *
 * Returns: (transfer full): the rows of the table
 */
DrsJobRows *
drs_job_rows_new (GtkSelectionModel *jobs)
{
  DrsJobRows *self;

  g_return_val_if_fail (GTK_IS_SELECTION_MODEL (jobs), NULL);

  self = g_object_new (DRS_TYPE_JOB_ROWS, NULL);
  self->jobs = g_object_ref (jobs);
  g_ptr_array_set_size (self->rows, g_list_model_get_n_items (G_LIST_MODEL (jobs)));
  g_signal_connect_swapped (jobs, "items-changed", G_CALLBACK (on_jobs_changed), self);
  g_signal_connect_swapped (jobs, "selection-changed", G_CALLBACK (on_jobs_selection_changed),
                            self);
  return self;
}

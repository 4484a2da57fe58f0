/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The life of a task-table cell: one factory per column builds a cell once per realized row, binds
 * it to its row's job by property notification (so a refresh repaints exactly the cells whose
 * values changed and never rebuilds a row), binds it to the next job when a search or a sort
 * gives the row another, dims it while the job is stale, and makes its tooltip when the pointer
 * asks. */
#define G_LOG_DOMAIN "drs-job-columns"

#include "config.h"

#include "drs-job-columns-private.h"
#include "drs-job-rows.h"

#define CELL_DATA "drs-cell-data"

typedef struct
{
  DrsJobColumn *column; /* borrowed */
  DrsJobRow    *row;    /* borrowed: the list item holds it while bound */
  DrsJob       *job;    /* borrowed: the row holds it while it shows it */
  gulong        handlers[G_N_ELEMENTS (((DrsJobCell *) 0)->props)];
  gulong        stale_handler; /* every cell of a stale row is dimmed */
  gulong        row_handler;   /* the row shows another job */
} CellData;

static CellData *
cell_data (GtkWidget *cell)
{
  return g_object_get_data (G_OBJECT (cell), CELL_DATA);
}

/**
 * drs_job_columns_dup_cell_tooltip:
 * @cell: a cell of the table
 *
 * Returns: (transfer full) (nullable): what the cell's tooltip says now
 */
char *
drs_job_columns_dup_cell_tooltip (GtkWidget *cell)
{
  CellData *data;

  g_return_val_if_fail (GTK_IS_WIDGET (cell), NULL);

  data = cell_data (cell);
  if (data == NULL || data->job == NULL || data->column->spec->cell->tooltip == NULL)
    return NULL;
  return data->column->spec->cell->tooltip (data->job);
}

/* Tooltips are made when the pointer asks: setting one on every update would ask the display
 * server where the pointer is, once per cell, on every refresh. */
static gboolean
on_query_tooltip (
    GtkWidget *cell, int x, int y, gboolean keyboard, GtkTooltip *tooltip, gpointer user_data)
{
  g_autofree char *text = drs_job_columns_dup_cell_tooltip (cell);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_setup (GtkSignalListItemFactory *factory, GtkListItem *item, DrsJobColumn *column)
{
  GtkWidget *cell = column->spec->cell->setup ();
  CellData  *data = g_new0 (CellData, 1);

  data->column = column;
  g_object_set_data_full (G_OBJECT (cell), CELL_DATA, data, g_free);
  gtk_widget_add_css_class (cell, "job-cell");
  /* Cells are named after their column. */
  gtk_widget_set_name (cell, column->spec->id);
  if (column->spec->cell->tooltip != NULL)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
    }
  gtk_list_item_set_child (item, cell);
}

/**
 * _drs_job_cell_update:
 * @cell: a cell bound to a job
 *
 * Shows the cell's job again (after a setting or the language changed).
 */
void
_drs_job_cell_update (GtkWidget *cell)
{
  CellData *data = cell_data (cell);

  g_assert (data != NULL && data->job != NULL);

  data->column->spec->cell->update (cell, data->job, data->column->owner);
  if (drs_job_get_stale (data->job))
    gtk_widget_add_css_class (cell, "stale-row");
  else
    gtk_widget_remove_css_class (cell, "stale-row");
}

static void
on_job_notify (DrsJob *job, GParamSpec *pspec, GtkWidget *cell)
{
  _drs_job_cell_update (cell);
}

static void
cell_bind_job (DrsJobColumn *column, GtkWidget *cell, DrsJob *job)
{
  CellData         *data = cell_data (cell);
  const DrsJobCell *kind = column->spec->cell;

  data->job = job;
  if (job == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (kind->props) && kind->props[i]; i++)
    data->handlers[i] =
        g_signal_connect (job, column->notify_signals[i], G_CALLBACK (on_job_notify), cell);
  data->stale_handler = g_signal_connect (job, "notify::stale", G_CALLBACK (on_job_notify), cell);
  g_hash_table_add (column->owner->bound, cell);
  _drs_job_cell_update (cell);
}

static void
cell_unbind_job (DrsJobColumn *column, GtkWidget *cell)
{
  CellData *data = cell_data (cell);

  if (data->job != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (data->handlers); i++)
        g_clear_signal_handler (&data->handlers[i], data->job);
      g_clear_signal_handler (&data->stale_handler, data->job);
    }
  data->job = NULL;
  g_hash_table_remove (column->owner->bound, cell);
}

/* A search or a sort gave the row another job. */
static void
on_row_job (DrsJobRow *row, GParamSpec *pspec, GtkWidget *cell)
{
  CellData *data = cell_data (cell);

  cell_unbind_job (data->column, cell);
  cell_bind_job (data->column, cell, drs_job_row_get_job (row));
}

static void
on_bind (GtkSignalListItemFactory *factory, GtkListItem *item, DrsJobColumn *column)
{
  GtkWidget *cell = gtk_list_item_get_child (item);
  CellData  *data = cell_data (cell);
  DrsJobRow *row = gtk_list_item_get_item (item);

  data->row = row;
  data->row_handler = g_signal_connect (row, "notify::job", G_CALLBACK (on_row_job), cell);
  cell_bind_job (column, cell, drs_job_row_get_job (row));
}

static void
cell_unbind (DrsJobColumn *column, GtkWidget *cell)
{
  CellData *data = cell_data (cell);

  cell_unbind_job (column, cell);
  if (data->row != NULL)
    g_clear_signal_handler (&data->row_handler, data->row);
  data->row = NULL;
}

static void
on_unbind (GtkSignalListItemFactory *factory, GtkListItem *item, DrsJobColumn *column)
{
  cell_unbind (column, gtk_list_item_get_child (item));
}

static void
on_teardown (GtkSignalListItemFactory *factory, GtkListItem *item, DrsJobColumn *column)
{
  GtkWidget *cell = gtk_list_item_get_child (item);

  /* A cell torn down while still bound must not stay connected to its row or job. */
  if (cell != NULL)
    cell_unbind (column, cell);
}

/**
 * _drs_job_cell_factory_new:
 * @column: (not nullable): the column the cells are of; outlives the factory's cells
 *
 * Returns: (transfer full): the factory of @column's cells
 */
GtkListItemFactory *
_drs_job_cell_factory_new (DrsJobColumn *column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup), column);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind), column);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), column);
  g_signal_connect (factory, "teardown", G_CALLBACK (on_teardown), column);
  return factory;
}

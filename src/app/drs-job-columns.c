/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The columns of the task table: which there are, in what order, titled and sized how, and the
 * column set's public face (the delay threshold, the account column, the language, the saved
 * widths). The cells live in drs-job-*-cell(s).c, their factory in drs-job-cell-factory.c, the
 * sorting in drs-job-sorters.c. */
#define G_LOG_DOMAIN "drs-job-columns"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-job-columns-private.h"

/**
 * DrsJobColumns:
 *
 * The columns of the task table. A cell is built once per realized row and bound to a job by
 * property notification, so a refresh repaints exactly the cells whose values changed and never
 * rebuilds a row.
 */

/* What a DBA looks at first comes first: the task, its status and its delay. */
static const DrsJobColumnSpec specs[] = {
  { "name", N_ ("Task"), &_drs_job_cell_name, &_drs_job_order_name, 200, TRUE },
  { "account", N_ ("Account"), &_drs_job_cell_account, &_drs_job_order_account, 110 },
  { "status", N_ ("Status"), &_drs_job_cell_status, &_drs_job_order_status, 190 },
  { "delay", N_ ("Delay"), &_drs_job_cell_delay, &_drs_job_order_delay, 110 },
  { "remaining", N_ ("Remaining"), &_drs_job_cell_remaining, &_drs_job_order_remaining, 100 },
  { "progress", N_ ("Progress"), &_drs_job_cell_progress, &_drs_job_order_progress, 140 },
  { "phases", N_ ("Phases"), &_drs_job_cell_phases, &_drs_job_order_phases, 150 },
  { "mode", N_ ("Mode"), &_drs_job_cell_mode, &_drs_job_order_mode, 130 },
  { "processed", N_ ("Last Processed"), &_drs_job_cell_processed, &_drs_job_order_processed, 150 },
  { "error", N_ ("Error"), &_drs_job_cell_error, &_drs_job_order_error, 180 },
  { "stale", N_ ("Stale"), &_drs_job_cell_stale, &_drs_job_order_stale, 90 },
};

static void
column_free (gpointer data)
{
  DrsJobColumn *column = data;

  g_clear_object (&column->column);
  for (guint i = 0; i < G_N_ELEMENTS (column->notify_signals); i++)
    g_free (column->notify_signals[i]);
  g_free (column);
}

/**
 * drs_job_columns_new:
 * @view: the column view to fill
 *
 * Returns: (transfer full): the columns, to free with the view
 */
DrsJobColumns *
drs_job_columns_new (GtkColumnView *view)
{
  DrsJobColumns *self;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);

  self = g_new0 (DrsJobColumns, 1);
  self->view = view;
  self->columns = g_ptr_array_new_with_free_func (column_free);
  self->bound = g_hash_table_new (NULL, NULL);
  self->direction = _drs_job_sort_direction_new (gtk_column_view_get_sorter (view));
  self->delay_threshold_ms = 300 * 1000;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      DrsJobColumn *column = g_new0 (DrsJobColumn, 1);
      g_autoptr (GtkSorter) sorter = _drs_job_sorter_new (specs[i].order, self->direction);

      column->spec = &specs[i];
      column->owner = self;
      /* Said once here, not on every bind: "notify::" and each property the cells show. */
      for (guint p = 0; p < G_N_ELEMENTS (specs[i].cell->props) && specs[i].cell->props[p]; p++)
        column->notify_signals[p] = g_strconcat ("notify::", specs[i].cell->props[p], NULL);
      column->column =
          gtk_column_view_column_new (_ (specs[i].title), _drs_job_cell_factory_new (column));
      gtk_column_view_column_set_sorter (column->column, sorter);
      gtk_column_view_column_set_resizable (column->column, TRUE);
      gtk_column_view_column_set_expand (column->column, specs[i].expand);
      gtk_column_view_column_set_fixed_width (column->column, specs[i].width);
      gtk_column_view_append_column (view, column->column);
      g_ptr_array_add (self->columns, column);
    }

  drs_job_columns_set_show_account (self, FALSE);
  return self;
}

void
drs_job_columns_free (DrsJobColumns *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->direction, _drs_job_sort_direction_free);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_free (self);
}

/* Shows every bound cell's job again. */
static void
update_all (DrsJobColumns *self)
{
  GHashTableIter iter;
  gpointer       cell;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &cell, NULL))
    _drs_job_cell_update (cell);
}

/**
 * drs_job_columns_set_delay_threshold:
 *
 * Delays at or above @threshold_ms are highlighted.
 */
void
drs_job_columns_set_delay_threshold (DrsJobColumns *self, gint64 threshold_ms)
{
  g_return_if_fail (self != NULL);

  if (self->delay_threshold_ms == threshold_ms)
    return;
  self->delay_threshold_ms = threshold_ms;
  update_all (self);
}

void
drs_job_columns_set_show_account (DrsJobColumns *self, gboolean show)
{
  g_return_if_fail (self != NULL);

  gtk_column_view_column_set_visible (drs_job_columns_get_column (self, "account"), show);
}

/**
 * drs_job_columns_get_column:
 *
 * Returns: (transfer none) (nullable): the column with the given id
 */
GtkColumnViewColumn *
drs_job_columns_get_column (DrsJobColumns *self, const char *id)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < self->columns->len; i++)
    {
      DrsJobColumn *column = self->columns->pdata[i];

      if (g_str_equal (column->spec->id, id))
        return column->column;
    }
  return NULL;
}

/**
 * drs_job_columns_get_column_id:
 *
 * Returns: (nullable): the id of @column, %NULL when it is not one of ours
 */
const char *
drs_job_columns_get_column_id (DrsJobColumns *self, GtkColumnViewColumn *column)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->columns->len; i++)
    {
      DrsJobColumn *c = self->columns->pdata[i];

      if (c->column == column)
        return c->spec->id;
    }
  return NULL;
}

/**
 * drs_job_columns_save_widths:
 *
 * Returns: (transfer floating): an `a{si}` of column id → width
 */
GVariant *
drs_job_columns_save_widths (DrsJobColumns *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (self != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{si}"));
  for (guint i = 0; i < self->columns->len; i++)
    {
      DrsJobColumn *column = self->columns->pdata[i];
      int           width = gtk_column_view_column_get_fixed_width (column->column);

      if (width > 0)
        g_variant_builder_add (&builder, "{si}", column->spec->id, width);
    }
  return g_variant_builder_end (&builder);
}

/**
 * drs_job_columns_restore_widths:
 * @widths: (nullable): an `a{si}` as drs_job_columns_save_widths() made it
 *
 * Gives the columns named in @widths those widths (each between 40 and 2000 pixels).
 */
void
drs_job_columns_restore_widths (DrsJobColumns *self, GVariant *widths)
{
  GVariantIter iter;
  const char  *id;
  int          width;

  g_return_if_fail (self != NULL);

  if (widths == NULL || !g_variant_is_of_type (widths, G_VARIANT_TYPE ("a{si}")))
    return;

  g_variant_iter_init (&iter, widths);
  while (g_variant_iter_next (&iter, "{&si}", &id, &width))
    {
      GtkColumnViewColumn *column = drs_job_columns_get_column (self, id);

      if (column != NULL && width >= 40 && width <= 2000)
        gtk_column_view_column_set_fixed_width (column, width);
    }
}

/**
 * drs_job_columns_get_n_bound:
 *
 * Returns: how many cells are bound to a job now (what a refresh may repaint)
 */
guint
drs_job_columns_get_n_bound (DrsJobColumns *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->bound);
}

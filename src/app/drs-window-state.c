/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the user made of the table, kept in the session's DrsViewState: saved as the window
 * closes, restored as the next one opens (after a language switch, or opened again). */
#define G_LOG_DOMAIN "drs-window"

#include "config.h"

#include "drs-window-private.h"

/* The column the table is sorted by and its direction. GTK 4.10 says so through the sorter;
 * on 4.8 only the headers show it: their sort indicators, one per column in order. */
static GtkColumnViewColumn *
get_sort (DrsWindow *self, gboolean *descending)
{
  GtkSorter  *sorter = gtk_column_view_get_sorter (self->column_view);
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  g_autoptr (GtkColumnViewColumn) column = NULL;
  GtkSortType order = GTK_SORT_ASCENDING;
  guint       index = 0;
  GtkWidget  *widget;

  *descending = FALSE;
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (sorter), "primary-sort-column") != NULL)
    {
      g_object_get (sorter, "primary-sort-column", &column, "primary-sort-order", &order, NULL);
      *descending = order == GTK_SORT_DESCENDING;
      return g_steal_pointer (&column);
    }
  /* Depth first through the header, which comes before the rows. */
  widget = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
  while (widget != NULL && !GTK_IS_LIST_VIEW (widget))
    {
      GtkWidget *next = gtk_widget_get_first_child (widget);

      if (g_str_equal (gtk_widget_get_css_name (widget), "sort-indicator"))
        {
          if (gtk_widget_has_css_class (widget, "ascending") ||
              gtk_widget_has_css_class (widget, "descending"))
            {
              *descending = gtk_widget_has_css_class (widget, "descending");
              return g_list_model_get_item (columns, index);
            }
          index++;
        }
      while (next == NULL && widget != NULL)
        {
          next = gtk_widget_get_next_sibling (widget);
          if (next == NULL)
            widget = gtk_widget_get_parent (widget);
          if (widget == GTK_WIDGET (self->column_view))
            return NULL;
        }
      widget = next;
    }
  return NULL;
}

/* A confirmation open (pause, resume, retry) goes with the window: the next one asks again. */
static void
save_confirmation (DrsWindow *self)
{
  DrsActionDialog *dialog = drs_task_actions_get_dialog (self->task_actions);

  g_object_set (
      drs_session_get_view_state (self->session), "confirm-action",
      dialog ? drs_task_action_to_string (drs_action_dialog_get_action (dialog)) : NULL,
      "confirm-jobs", dialog ? drs_action_dialog_get_job_ids (dialog) : NULL, "confirm-pause-all",
      dialog != NULL && drs_action_dialog_get_pause_mode (dialog) == DRS_PAUSE_MODE_ALL, NULL);
}

static void
restore_confirmation (DrsWindow *self)
{
  DrsViewState    *state = drs_session_get_view_state (self->session);
  g_autofree char *nick = NULL;
  g_auto (GStrv) ids = NULL;
  gboolean         pause_all;
  DrsTaskAction    action;
  DrsActionDialog *dialog;

  g_object_get (state, "confirm-action", &nick, "confirm-jobs", &ids, "confirm-pause-all",
                &pause_all, NULL);
  g_object_set (state, "confirm-action", NULL, "confirm-jobs", NULL, NULL);
  if (nick == NULL || ids == NULL || !drs_task_action_from_string (nick, &action))
    return;
  dialog = drs_task_actions_confirm_ids (self->task_actions, action, (const char *const *) ids);
  if (dialog != NULL && pause_all)
    drs_action_dialog_set_pause_mode (dialog, DRS_PAUSE_MODE_ALL);
}

/* What the user made of the table, in the session: the window built next starts from it. */
void
_drs_window_save_view_state (DrsWindow *self)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  g_auto (GStrv) selected = NULL;
  g_autoptr (GtkBitset) bitset = NULL;
  g_autoptr (GtkColumnViewColumn) sort_column = NULL;
  gboolean      descending = FALSE;
  GtkBitsetIter iter;
  guint         position;

  if (self->session == NULL || self->selection == NULL || self->columns == NULL)
    return;
  bitset = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, bitset, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (model, position);
      g_strv_builder_add (ids, drs_job_get_id (job));
    }
  selected = g_strv_builder_end (ids);
  sort_column = get_sort (self, &descending);

  g_object_set (drs_session_get_view_state (self->session), "search-text",
                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), "status-filter",
                _drs_window_get_status_filter (self), "sort-column",
                sort_column ? drs_job_columns_get_column_id (self->columns, sort_column) : NULL,
                "sort-descending", descending, "selected-jobs", selected, "focused-job",
                self->focused ? drs_job_get_id (self->focused) : NULL, "scroll-position",
                gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller)),
                "details-range",
                self->details != NULL ? (int) drs_details_get_range (self->details)
                                      : self->details_range,
                NULL);
  save_confirmation (self);
}

/* The position of the task @job_id in the table, GTK_INVALID_LIST_POSITION when not shown. */
guint
_drs_window_find_row (DrsWindow *self, const char *job_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  for (guint i = 0; i < n && job_id != NULL; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (g_str_equal (drs_job_get_id (job), job_id))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* Before the rows are shown: the search, the filter, the sort (as the last window was; at first
 * by status, what needs attention first: failed tasks on top) and the details' range. The rows
 * are sorted when they join the view. */
void
_drs_window_restore_view (DrsWindow *self)
{
  DrsViewState        *state = drs_session_get_view_state (self->session);
  g_autofree char     *search = NULL;
  g_autofree char     *filter = NULL;
  g_autofree char     *sort = NULL;
  gboolean             descending;
  int                  range;
  GtkColumnViewColumn *column;

  g_object_get (state, "search-text", &search, "status-filter", &filter, "sort-column", &sort,
                "sort-descending", &descending, "details-range", &range, NULL);
  if (search != NULL && *search != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), search);
      gtk_search_bar_set_search_mode (self->search_bar, TRUE);
    }
  _drs_window_set_status_filter (self, filter);
  column = sort ? drs_job_columns_get_column (self->columns, sort) : NULL;
  gtk_column_view_sort_by_column (self->column_view, column,
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  self->details_range = range;
  if (range >= 0 && self->details != NULL)
    drs_details_set_range (self->details, range);
}

/* Once the rows are in: the selection and the place scrolled to. */
void
_drs_window_restore_rows (DrsWindow *self)
{
  DrsViewState *state = drs_session_get_view_state (self->session);
  g_auto (GStrv) selected = NULL;
  g_autofree char *focused = NULL;
  double           scroll;
  GtkAdjustment   *vadj = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint            position;

  g_object_get (state, "selected-jobs", &selected, "focused-job", &focused, "scroll-position",
                &scroll, NULL);
  for (guint i = 0; selected != NULL && selected[i] != NULL; i++)
    if ((position = _drs_window_find_row (self, selected[i])) != GTK_INVALID_LIST_POSITION)
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, i == 0);
  /* The task the details showed, of several selected. */
  if ((position = _drs_window_find_row (self, focused)) != GTK_INVALID_LIST_POSITION &&
      gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      g_set_object (&self->focused, job);
      if (self->details != NULL)
        drs_details_set_job (self->details, job);
    }
  self->pending_scroll = scroll;
  if (scroll > 0)
    gtk_adjustment_set_value (vadj, scroll);
  restore_confirmation (self);
}

/* The rows' height is known once laid out: the scroll position can be restored then. */
void
_drs_window_on_vadjustment_changed (DrsWindow *self, GtkAdjustment *vadj)
{
  if (self->pending_scroll <= 0)
    return;
  gtk_adjustment_set_value (vadj, self->pending_scroll);
  if (gtk_adjustment_get_value (vadj) >= self->pending_scroll - 0.5)
    self->pending_scroll = 0;
}

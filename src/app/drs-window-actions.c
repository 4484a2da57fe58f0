/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions (win.*) and the rows' context menu. */
#define G_LOG_DOMAIN "drs-window"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-add-dialog.h"
#include "drs-window-private.h"

/* Actions */

static void
refresh_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsWindow *self = DRS_WINDOW (widget);

  if (self->monitor != NULL)
    drs_monitor_refresh_now (self->monitor);
}

static void
search_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsWindow *self = DRS_WINDOW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
add_jobs_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsWindow    *self = DRS_WINDOW (widget);
  DrsAddDialog *dialog = drs_add_dialog_new (self->session);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  /* One of the application's windows: a language switch builds it again with them. */
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
copy_id_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsWindow *self = DRS_WINDOW (widget);
  DrsJob    *job = drs_window_get_selected_job (self);

  if (job == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), drs_job_get_id (job));
  drs_window_show_toast (self, _ ("Task ID copied"));
}

static void
undo_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsWindow *self = DRS_WINDOW (widget);

  if (self->removed == NULL)
    return;
  drs_session_restore_jobs (self->session, self->removed);
  g_clear_pointer (&self->removed, g_ptr_array_unref);
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
}

static void
on_undo_dismissed (AdwToast *toast, DrsWindow *self)
{
  if (self->undo_toast == toast)
    self->undo_toast = NULL;
}

static void
remove_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsWindow       *self = DRS_WINDOW (widget);
  DrsJob          *job = drs_window_get_selected_job (self);
  g_autofree char *title = NULL;
  g_autofree char *escaped = NULL;
  AdwToast        *toast;

  if (job == NULL)
    return;

  g_clear_pointer (&self->removed, g_ptr_array_unref);
  self->removed = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->removed, g_object_ref (job));

  /* Translators: %s is a task's name or id */
  title = g_strdup_printf (_ ("Removed “%s”"), drs_job_get_display_name (job));
  drs_session_remove_job (self->session, drs_job_get_id (job));

  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
  /* Markup in libadwaita 1.2: the name is the user's text, shown as it is. */
  escaped = g_markup_escape_text (title, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_button_label (toast, _ ("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_action_name (toast, "win.undo");
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_undo_dismissed), self, 0);
  self->undo_toast = toast;
  g_free (self->last_toast);
  self->last_toast = g_strdup (title);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Right-click on a row: select it, then offer copy and remove. */
static void
on_row_pressed (GtkGestureClick *gesture, int n_press, double x, double y, DrsWindow *self)
{
  GtkWidget   *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget   *parent = gtk_widget_get_parent (cell);
  double       vx, vy;
  GtkListItem *item = g_object_get_data (G_OBJECT (cell), "drs-list-item");
  guint        position = item ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;

  if (parent == NULL || position == GTK_INVALID_LIST_POSITION)
    return;
  /* On a selected row the menu acts on the whole selection; elsewhere on that row alone. */
  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  if (!gtk_widget_translate_coordinates (cell, GTK_WIDGET (self->column_view), x, y, &vx, &vy))
    return;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->row_popover),
                               &(GdkRectangle){ (int) vx, (int) vy, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->row_popover));
}

static void
on_cell_setup (GtkSignalListItemFactory *factory, GtkListItem *item, DrsWindow *self)
{
  GtkWidget  *cell = gtk_list_item_get_child (item);
  GtkGesture *gesture = gtk_gesture_click_new ();

  g_object_set_data (G_OBJECT (cell), "drs-list-item", item);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_row_pressed), self);
  gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (gesture));
}

void
_drs_window_setup_context_menu (DrsWindow *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  guint       n = g_list_model_get_n_items (columns);

  self->row_popover = gtk_popover_menu_new_from_model (NULL);
  gtk_widget_set_parent (self->row_popover, GTK_WIDGET (self->column_view));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->row_popover), FALSE);
  gtk_widget_set_halign (self->row_popover, GTK_ALIGN_START);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GtkColumnViewColumn) column = g_list_model_get_item (columns, i);
      GtkListItemFactory *factory = gtk_column_view_column_get_factory (column);

      /* After the column's own handlers, which create the cell. */
      g_signal_connect_after (factory, "setup", G_CALLBACK (on_cell_setup), self);
    }
}

/* Tab leaves the table in one step (arrows move between rows): forward to the details pane,
 * back to the filter bar. */
static void
leave_table_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsWindow *self = DRS_WINDOW (widget);
  gboolean   back = parameter != NULL && g_variant_get_boolean (parameter);

  if (!back && self->details != NULL && gtk_widget_get_visible (GTK_WIDGET (self->details)) &&
      gtk_widget_child_focus (GTK_WIDGET (self->details), GTK_DIR_TAB_FORWARD))
    return;
  for (guint i = 0; i < DRS_WINDOW_N_FILTERS; i++)
    if (gtk_toggle_button_get_active (self->filter_buttons[i]))
      gtk_widget_grab_focus (GTK_WIDGET (self->filter_buttons[i]));
}

/* Opens the table on a task: selected and scrolled to, with the search and the status filter
 * cleared when they hide it. */
static void
show_job_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsWindow  *self = DRS_WINDOW (widget);
  const char *job_id = g_variant_get_string (parameter, NULL);

  if (drs_window_select_job (self, job_id))
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  drs_window_set_status_filter (self, DRS_WINDOW_FILTER_ALL);
  drs_window_select_job (self, job_id);
}

/* Asks to retry a task (a failure notification's button): never retries without the dialog. */
static void
confirm_retry_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsWindow  *self = DRS_WINDOW (widget);
  const char *ids[] = { g_variant_get_string (parameter, NULL), NULL };

  drs_task_actions_confirm_ids (self->task_actions, DRS_TASK_ACTION_RETRY, ids);
}

/* The shortcuts window is built the first time it is asked for, not with every window: GTK
 * would build it from the application's gtk/help-overlay.ui before the window's first frame. */
static void
show_help_overlay (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow   *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr (GtkBuilder) builder =
          gtk_builder_new_from_resource (RESOURCE_BASE "drs-shortcuts.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      /* It keeps this action: GTK adds its own only when the window has none. */
      gtk_application_window_set_help_overlay (window, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

/**
 * _drs_window_add_shortcuts_action:
 *
 * win.show-help-overlay, which builds the shortcuts window when first shown.
 */
void
_drs_window_add_shortcuts_action (DrsWindow *self)
{
  g_autoptr (GSimpleAction) action = g_simple_action_new ("show-help-overlay", NULL);

  g_signal_connect_object (action, "activate", G_CALLBACK (show_help_overlay), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
}

/**
 * _drs_window_install_actions:
 *
 * The window's actions: refresh, search, add, copy the id, remove and undo, leave the table,
 * show a task, confirm a retry.
 */
void
_drs_window_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.add-jobs", NULL, add_jobs_action);
  gtk_widget_class_install_action (widget_class, "win.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "win.copy-id", NULL, copy_id_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.leave-table", "b", leave_table_action);
  gtk_widget_class_install_action (widget_class, "win.show-job", "s", show_job_action);
  gtk_widget_class_install_action (widget_class, "win.confirm-retry", "s", confirm_retry_action);
}

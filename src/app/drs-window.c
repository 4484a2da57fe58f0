/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-window"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-add-dialog.h"
#include "drs-enums.h"
#include "drs-details.h"
#include "drs-error.h"
#include "drs-format.h"
#include "drs-job-store.h"
#include "drs-monitor.h"
#include "drs-task-actions.h"
#include "drs-window-private.h"

/* The status filter's buttons, in order. */

G_DEFINE_FINAL_TYPE (DrsWindow, drs_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_SHOW_DETAILS,
  PROP_STATUS_FILTER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_drs_window_notify_status_filter (DrsWindow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_FILTER]);
}

static void attach_model (DrsWindow *self);
static void on_realize (GtkWidget *widget);
static void drs_window_constructed (GObject *object);

/* The main page (a template closure): the welcome until there is an account, then the table
 * or, with no tasks, the page that says how to add some. */
static char *
main_page (DrsWindow *self, gboolean has_account, guint n_jobs)
{
  if (!has_account)
    return g_strdup ("welcome");
  return g_strdup (n_jobs == 0 ? "empty" : "table");
}

static void
update_actions (DrsWindow *self)
{
  gboolean has_selection = self->focused != NULL;
  gboolean has_account = drs_session_get_has_account (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.remove", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-id", has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", has_account);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-jobs", has_account);
}

/* What keeps the monitor from looking as usual: no network, or power saving. */
static char *
dup_polling_state (DrsWindow *self)
{
  g_autofree char *every = NULL;

  /* Said only when it holds something back: the demo's simulator, on loopback, goes on. */
  if (drs_session_get_offline (self->session) &&
      (self->monitor == NULL || drs_monitor_get_held_offline (self->monitor)))
    /* Translators: the window's subtitle when there is no network */
    return g_strdup (_ ("Offline"));
  if (self->monitor == NULL || !drs_session_get_power_saver (self->session))
    return NULL;
  every = drs_format_duration ((gint64) drs_monitor_get_interval (self->monitor) *
                               drs_monitor_get_interval_factor (self->monitor));
  /* Translators: the window's subtitle in power-saver mode; %s is a duration such as "1 min" */
  return g_strdup_printf (_ ("Power saver: refreshing every %s"), every);
}

static void
update_subtitle (DrsWindow *self)
{
  gint64           last = 0;
  g_autofree char *ago = NULL;
  g_autofree char *updated = NULL;
  g_autofree char *state = dup_polling_state (self);

  if (self->monitor != NULL)
    last = drs_monitor_get_last_success (self->monitor);

  /* When DRS last answered, not when it was last asked: an outage shows as time passing. */
  if (last <= 0)
    {
      gint64 tried = self->monitor != NULL ? drs_monitor_get_last_refresh (self->monitor) : 0;

      updated = g_strdup (tried > 0 ? _ ("Not updated yet") : "");
    }
  else
    {
      ago = drs_format_time_ago ((g_get_real_time () - last) / G_USEC_PER_SEC);
      /* Translators: %s is a time such as "12 s ago" or "just now" */
      updated = g_strdup_printf (_ ("Updated %s"), ago);
    }

  if (state != NULL && *updated != '\0')
    {
      /* Translators: the window's subtitle: why polling is not as usual, then when DRS last
       * answered, e.g. "Offline · Updated 5 min ago" */
      g_autofree char *both = g_strdup_printf (_ ("%s · %s"), state, updated);

      adw_window_title_set_subtitle (self->window_title, both);
    }
  else
    adw_window_title_set_subtitle (self->window_title, state != NULL ? state : updated);
}

static gboolean
on_tick (gpointer user_data)
{
  update_subtitle (user_data);
  return G_SOURCE_CONTINUE;
}

/* The refresh button's page (a template closure): the spinner while DRS is asked. */
static char *
refresh_page (DrsWindow *self, gboolean refreshing)
{
  return g_strdup (refreshing ? "busy" : "idle");
}

static gboolean
in_order (GListModel *model, GtkSorter *sorter)
{
  guint n = g_list_model_get_n_items (model);
  g_autoptr (GObject) previous = NULL;

  if (n < 2)
    return TRUE;
  previous = g_list_model_get_item (model, 0);
  for (guint i = 1; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);

      if (gtk_sorter_compare (sorter, previous, item) == GTK_ORDERING_LARGER)
        return FALSE;
      g_set_object (&previous, item);
    }
  return TRUE;
}

/* The column view's rows are a list view inside it, which has the scrolling action. */
void
_drs_window_scroll_to_row (DrsWindow *self, guint position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

/* One refresh was merged into the store: re-sort and re-filter once, not per row. */
static void
on_store_applied (DrsWindow *self, guint n_changed)
{
  GtkSorter *sorter;

  if (n_changed == 0)
    return;

  /* A re-sort gives every visible row another task: do it only when the new values broke the
   * order. On GTK 4.8 only the column view's own sorter re-sorts correctly after values
   * changed. */
  sorter = gtk_column_view_get_sorter (self->column_view);
  if (sorter != NULL && gtk_sort_list_model_get_sorter (self->sort_model) != NULL &&
      !in_order (G_LIST_MODEL (self->sort_model), sorter))
    {
      GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scroller);
      gboolean       at_top = gtk_adjustment_get_value (vadj) < 1;

      gtk_sorter_changed (sorter, GTK_SORTER_CHANGE_DIFFERENT);
      /* The rows stay where they are and show the tasks in their new order; a table looked
       * at from the top (where the failed tasks are) stays at the top. */
      if (at_top && g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) > 0)
        _drs_window_scroll_to_row (self, 0);
    }

  if (self->filter_class != DRS_WINDOW_FILTER_ALL || self->search_text != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  _drs_window_update_counts (self);
}

/* The banner stays while an account cannot be reached: what is wrong, and Retry. */
static void
update_banner (DrsWindow *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  GHashTableIter iter;
  gpointer       key, value;

  g_hash_table_iter_init (&iter, self->problems);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (g_hash_table_size (self->problems) > 1 && *(const char *) key != '\0')
        /* Translators: an account's name, then what is wrong with its connection */
        g_string_append_printf (text, _ ("%s: %s"), (const char *) key, (const char *) value);
      else
        g_string_append (text, value);
    }
  gtk_label_set_text (self->banner_label, text->str);
  gtk_revealer_set_reveal_child (self->banner, text->len > 0);
}

static void
on_connection_problem (DrsWindow *self, const char *account, const GError *error)
{
  g_autoptr (GString) text = g_string_new (error->message);
  const char *request_id = drs_error_get_request_id (error);

  if (request_id != NULL)
    g_string_append_printf (text, " · %s", request_id);
  g_hash_table_replace (self->problems, g_strdup (account ? account : ""),
                        g_string_free (g_steal_pointer (&text), FALSE));
  update_banner (self);
}

static void
on_connection_restored (DrsWindow *self, const char *account)
{
  g_hash_table_remove (self->problems, account ? account : "");
  update_banner (self);
  drs_window_show_toast (self, _ ("Connection restored"));
}

/**
 * drs_window_get_banner_text:
 *
 * Returns: (nullable): what the outage banner says, or %NULL when it is hidden
 */
const char *
drs_window_get_banner_text (DrsWindow *self)
{
  g_return_val_if_fail (DRS_IS_WINDOW (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->banner))
    return NULL;
  return gtk_label_get_text (self->banner_label);
}

/* The details pane is built the first time it is needed (a task is selected and the pane asked
 * for): a window opens with nothing selected, and its first frame does not wait for the pane.
 * %NULL once the window is disposed. */
static DrsDetails *
ensure_details (DrsWindow *self)
{
  if (self->details != NULL || self->paned == NULL /* disposed */)
    return self->details;
  self->details = g_object_new (DRS_TYPE_DETAILS, "visible", FALSE, NULL);
  drs_details_set_history (self->details, drs_session_get_history (self->session));
  drs_details_set_threshold_ms (self->details, self->delay_threshold_ms);
  if (self->details_range >= 0)
    drs_details_set_range (self->details, self->details_range);
  drs_details_set_job (self->details, self->focused);
  gtk_paned_set_end_child (self->paned, GTK_WIDGET (self->details));
  drs_task_actions_set_details (self->task_actions, self->details);
  return self->details;
}

/* The details pane shows when asked for and a task is selected: otherwise the table takes the
 * whole width. */
static void
update_details_visible (DrsWindow *self)
{
  gboolean visible = self->show_details && self->focused != NULL;

  if (visible)
    ensure_details (self);
  if (self->details != NULL)
    gtk_widget_set_visible (GTK_WIDGET (self->details), visible);
}

/* A search or a filter that matches nothing says so, instead of an empty table. */
static void
update_table_page (DrsWindow *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0 &&
                   g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0;

  gtk_stack_set_visible_child_name (self->table_stack, empty ? "no-results" : "rows");
}

static void
on_store_items_changed (DrsWindow *self)
{
  _drs_window_update_counts (self);
}

/* The focused task: the only one selected, else the one shown so far while it stays selected,
 * else the first selected. */
static void
on_selection_changed (DrsWindow *self)
{
  GListModel *model = G_LIST_MODEL (self->selection);
  g_autoptr (GtkBitset) selected =
      gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr (DrsJob) focused = NULL;
  GtkBitsetIter iter;
  guint         position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    {
      focused = g_list_model_get_item (model, position);
      while (self->focused != NULL && focused != self->focused &&
             gtk_bitset_iter_next (&iter, &position))
        {
          g_autoptr (DrsJob) job = g_list_model_get_item (model, position);

          if (job == self->focused)
            g_set_object (&focused, job);
        }
    }
  if (focused == self->focused)
    return;
  g_set_object (&self->focused, focused);
  update_actions (self);
  if (self->details != NULL)
    drs_details_set_job (self->details, self->focused);
  update_details_visible (self);
}

static void
load_menus (DrsWindow *self)
{
  g_autoptr (GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_BASE "drs-menus.ui");

  gtk_menu_button_set_menu_model (self->menu_button,
                                  G_MENU_MODEL (gtk_builder_get_object (builder, "primary_menu")));
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->row_popover),
                                   G_MENU_MODEL (gtk_builder_get_object (builder, "row_menu")));
}

/* Toasts */

const char *
drs_window_get_last_toast (DrsWindow *self)
{
  return self->last_toast;
}

void
drs_window_show_toast (DrsWindow *self, const char *text)
{
  /* A toast's title is markup in libadwaita 1.2, and the text may quote the server or a name. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast        *toast = adw_toast_new (escaped);

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * drs_window_show_error:
 *
 * Shows @error in plain words with the server's code, message and request id.
 */
void
drs_window_show_error (DrsWindow *self, const GError *error)
{
  g_autoptr (GString) text = g_string_new (error->message);
  const char *request_id = drs_error_get_request_id (error);

  if (request_id != NULL)
    /* Translators: %s is the request id to quote to support */
    g_string_append_printf (text, " · %s", request_id);
  drs_window_show_toast (self, text->str);
}

/* Selection */

/**
 * drs_window_get_selected_job:
 *
 * Returns: (transfer none) (nullable): the focused task: the one selected, or of several the one
 *   the details pane shows
 */
DrsJob *
drs_window_get_selected_job (DrsWindow *self)
{
  return self->focused;
}

gboolean
drs_window_select_job (DrsWindow *self, const char *job_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  attach_model (self);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (g_str_equal (drs_job_get_id (job), job_id))
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
          _drs_window_scroll_to_row (self, i);
          return TRUE;
        }
    }
  return FALSE;
}

static void
on_session_problem (DrsWindow *self, const char *message)
{
  drs_window_show_toast (self, message);
}

/* Every task belongs to one account: the table names it when there is more than one. */
static void
update_account_column (DrsWindow *self)
{
  drs_job_columns_set_show_account (self->columns, drs_session_get_n_accounts (self->session) > 1);
}

static void
save_state (DrsWindow *self)
{
  GSettings *settings = drs_session_get_settings (self->session);

  if (settings != NULL)
    g_settings_set_value (settings, "column-widths", drs_job_columns_save_widths (self->columns));
  _drs_window_save_view_state (self);
}

static void
on_delay_threshold_changed (DrsWindow *self, const char *key, GSettings *settings)
{
  self->delay_threshold_ms = (gint64) g_settings_get_uint (settings, key) * 1000;
  drs_job_columns_set_delay_threshold (self->columns, self->delay_threshold_ms);
  if (self->details != NULL)
    drs_details_set_threshold_ms (self->details, self->delay_threshold_ms);
}

static void
restore_state (DrsWindow *self)
{
  GSettings *settings = drs_session_get_settings (self->session);
  g_autoptr (GVariant) widths = NULL;

  if (settings == NULL)
    return;
  g_settings_bind (settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-details", self, "show-details", G_SETTINGS_BIND_DEFAULT);
  widths = g_settings_get_value (settings, "column-widths");
  drs_job_columns_restore_widths (self->columns, widths);
  on_delay_threshold_changed (self, "delay-threshold", settings);
  g_signal_connect_object (settings, "changed::delay-threshold",
                           G_CALLBACK (on_delay_threshold_changed), self, G_CONNECT_SWAPPED);
}

static void
drs_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsWindow *self = DRS_WINDOW (object);

  switch (prop_id)
    {
      case PROP_SESSION:
        g_value_set_object (value, self->session);
        break;
      case PROP_SHOW_DETAILS:
        g_value_set_boolean (value, self->show_details);
        break;
      case PROP_STATUS_FILTER:
        g_value_set_string (value, _drs_window_get_status_filter (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DrsWindow *self = DRS_WINDOW (object);

  switch (prop_id)
    {
      case PROP_SHOW_DETAILS:
        if (self->show_details == g_value_get_boolean (value))
          return;
        self->show_details = g_value_get_boolean (value);
        if (self->selection != NULL)
          update_details_visible (self);
        g_object_notify_by_pspec (object, pspec);
        break;
      case PROP_SESSION:
        self->session = g_value_dup_object (value);
        break;
      case PROP_STATUS_FILTER:
        _drs_window_set_status_filter (self, g_value_get_string (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static gboolean
drs_window_close_request (GtkWindow *window)
{
  save_state (DRS_WINDOW (window));
  return GTK_WINDOW_CLASS (drs_window_parent_class)->close_request (window);
}

static void
drs_window_dispose (GObject *object)
{
  DrsWindow *self = (DrsWindow *) object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->task_actions);
  g_clear_object (&self->focused);
  /* A destroyed window may outlive its dispose for a while: it hears nothing more. */
  if (self->session != NULL)
    {
      GSettings *settings = drs_session_get_settings (self->session);

      g_signal_handlers_disconnect_by_data (self->session, self);
      if (settings != NULL)
        g_signal_handlers_disconnect_by_data (settings, self);
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  /* Nothing selected now builds a details pane. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->row_popover != NULL)
    g_clear_pointer (&self->row_popover, gtk_widget_unparent);
  self->details = NULL; /* the paned's, gone with it */
  gtk_widget_dispose_template (GTK_WIDGET (self), DRS_TYPE_WINDOW);

  G_OBJECT_CLASS (drs_window_parent_class)->dispose (object);
}

static void
drs_window_finalize (GObject *object)
{
  DrsWindow *self = (DrsWindow *) object;

  g_clear_object (&self->rows);
  g_clear_object (&self->selection);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->columns, drs_job_columns_free);
  g_clear_pointer (&self->removed, g_ptr_array_unref);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_pointer (&self->problems, g_hash_table_unref);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (drs_window_parent_class)->finalize (object);
}

static void
drs_window_class_init (DrsWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = drs_window_constructed;
  object_class->dispose = drs_window_dispose;
  object_class->finalize = drs_window_finalize;
  object_class->get_property = drs_window_get_property;
  object_class->set_property = drs_window_set_property;

  /**
   * DrsWindow:show-details:
   *
   * Whether the selected task's details show beside the table (remembered in the settings).
   */
  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, DRS_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * DrsWindow:status-filter:
   *
   * The tasks shown: "all", or those of one status class by nick ("failed", "running", …).
   */
  properties[PROP_STATUS_FILTER] =
      g_param_spec_string ("status-filter", NULL, NULL, "all",
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_DETAILS] =
      g_param_spec_boolean ("show-details", NULL, NULL, TRUE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  window_class->close_request = drs_window_close_request;

  g_type_ensure (DRS_TYPE_SESSION);
  g_type_ensure (DRS_TYPE_MONITOR);
  g_type_ensure (DRS_TYPE_JOB_STORE);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "drs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, table_stack);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, filter_bar);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, scroller);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, paned);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_search_changed",
                                                G_CALLBACK (_drs_window_on_search_changed));
  gtk_widget_class_bind_template_callback (widget_class, refresh_page);
  gtk_widget_class_bind_template_callback (widget_class, main_page);
  _drs_window_bind_filter_bar (widget_class);

  _drs_window_install_actions (widget_class);
  gtk_widget_class_install_property_action (widget_class, "win.show-details", "show-details");
  gtk_widget_class_install_property_action (widget_class, "win.status-filter", "status-filter");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
}

static void
drs_window_init (DrsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  if (g_str_equal (PROFILE, "development"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
  self->filter_class = DRS_WINDOW_FILTER_ALL;
  self->show_details = TRUE;
  self->details_range = -1;
  self->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_stack_set_visible_child_name (self->table_stack, "rows");
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Tasks"), -1);
  self->columns = drs_job_columns_new (self->column_view);
  _drs_window_setup_filter_bar (self);
  _drs_window_setup_context_menu (self);
  _drs_window_add_shortcuts_action (self);
  load_menus (self);
}

static void
drs_window_constructed (GObject *object)
{
  DrsWindow *self = DRS_WINDOW (object);

  G_OBJECT_CLASS (drs_window_parent_class)->constructed (object);

  g_assert (DRS_IS_SESSION (self->session));
  self->store = drs_session_get_store (self->session);
  self->monitor = drs_session_get_monitor (self->session);

  /* rows → selection → sort → filter → store */
  self->filter = gtk_custom_filter_new (_drs_window_filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  /* Unsorted until the rows join the view (after the first frame): the column view's sorter
   * is set then. */
  self->sort_model =
      gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)), NULL);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  /* Before any other handler of the selection's: the rows follow it first. */
  self->rows = drs_job_rows_new (GTK_SELECTION_MODEL (self->selection));
  self->task_actions = drs_task_actions_new (GTK_WINDOW (self),
                                             GTK_SELECTION_MODEL (self->selection), self->session);
  g_signal_connect_object (self->task_actions, "outcome", G_CALLBACK (drs_window_show_toast), self,
                           G_CONNECT_SWAPPED);
  /* The rows join the view after the window's first frame, so it appears at once. */
  g_signal_connect (self, "realize", G_CALLBACK (on_realize), NULL);

  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (on_selection_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "applied", G_CALLBACK (on_store_applied), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (on_store_items_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_model, "items-changed", G_CALLBACK (update_table_page),
                           self, G_CONNECT_SWAPPED);
  if (self->monitor != NULL)
    {
      g_signal_connect_object (self->monitor, "notify::refreshing", G_CALLBACK (update_subtitle),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->monitor, "notify::last-refresh", G_CALLBACK (update_subtitle),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->monitor, "notify::last-success", G_CALLBACK (update_subtitle),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->monitor, "connection-problem",
                               G_CALLBACK (on_connection_problem), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->monitor, "connection-restored",
                               G_CALLBACK (on_connection_restored), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->session, "notify::has-account", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::n-accounts", G_CALLBACK (update_account_column),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "problem", G_CALLBACK (on_session_problem), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::offline", G_CALLBACK (update_subtitle), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::power-saver", G_CALLBACK (update_subtitle), self,
                           G_CONNECT_SWAPPED);

  self->tick_id = g_timeout_add_seconds (1, on_tick, self);

  restore_state (self);
  _drs_window_update_counts (self);
  update_actions (self);
  update_details_visible (self);
  update_table_page (self);
  update_account_column (self);
  _drs_window_restore_view (self);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (_drs_window_on_vadjustment_changed), self,
                           G_CONNECT_SWAPPED);
}

/**
 * drs_window_new:
 * @application: the application the window belongs to
 * @session: the monitoring it shows
 *
 * Returns: (transfer full): a window showing the session's tasks
 */
DrsWindow *
drs_window_new (GtkApplication *application, DrsSession *session)
{
  return g_object_new (DRS_TYPE_WINDOW, "application", application, "session", session, NULL);
}

static void
attach_model (DrsWindow *self)
{
  if (gtk_column_view_get_model (self->column_view) != NULL)
    return;
  gtk_sort_list_model_set_sorter (self->sort_model, gtk_column_view_get_sorter (self->column_view));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->rows));
  _drs_window_restore_rows (self);
}

static void
on_first_paint (GdkFrameClock *clock, DrsWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, self);
  attach_model (self);
}

static void
on_realize (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  if (clock != NULL)
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_paint), widget, 0);
  else
    attach_model (DRS_WINDOW (widget));
}

DrsWindowPage
drs_window_get_page (DrsWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->main_stack);

  if (g_strcmp0 (name, "welcome") == 0)
    return DRS_WINDOW_PAGE_WELCOME;
  if (g_strcmp0 (name, "empty") == 0)
    return DRS_WINDOW_PAGE_EMPTY;
  return DRS_WINDOW_PAGE_TABLE;
}

GtkColumnView *
drs_window_get_column_view (DrsWindow *self)
{
  return self->column_view;
}

/**
 * drs_window_get_selection:
 *
 * Returns: (transfer none): the table's selection (several tasks at once)
 */
GtkSelectionModel *
drs_window_get_selection (DrsWindow *self)
{
  return GTK_SELECTION_MODEL (self->selection);
}

/**
 * drs_window_get_task_actions:
 *
 * Returns: (transfer none): pause, resume and retry for the selected tasks
 */
DrsTaskActions *
drs_window_get_task_actions (DrsWindow *self)
{
  return self->task_actions;
}

DrsJobColumns *
drs_window_get_columns (DrsWindow *self)
{
  return self->columns;
}

GtkScrolledWindow *
drs_window_get_scroller (DrsWindow *self)
{
  return self->scroller;
}

GtkSearchEntry *
drs_window_get_search_entry (DrsWindow *self)
{
  return self->search_entry;
}

/**
 * drs_window_get_details:
 *
 * The pane is built the first time a task is selected; asked for before, it is built then,
 * hidden until a task is selected.
 *
 * Returns: (transfer none) (nullable): the pane showing the selected task, %NULL once the window
 *   is disposed
 */
DrsDetails *
drs_window_get_details (DrsWindow *self)
{
  return ensure_details (self);
}

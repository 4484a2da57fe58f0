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
#include "drs-window.h"

/* The status filter's buttons, in order. */
static const struct
{
  int         status_class; /* DRS_WINDOW_FILTER_ALL or a DrsStatusClass */
  const char *label;        /* N_() */
} filters[] = {
  { DRS_WINDOW_FILTER_ALL, N_ ("All") },
  { DRS_STATUS_CLASS_RUNNING, N_ ("Running") },
  { DRS_STATUS_CLASS_FAILED, N_ ("Failed") },
  { DRS_STATUS_CLASS_PAUSED, NC_ ("status class", "Paused") },
  { DRS_STATUS_CLASS_PENDING, N_ ("Pending") },
  { DRS_STATUS_CLASS_FINISHED, N_ ("Finished") },
  /* Tasks the server does not know (or whose status is new to this app): every task counts
   * somewhere, so the counts add up to All. */
  { DRS_STATUS_CLASS_UNKNOWN, N_ ("Not Found") },
};

#define N_FILTERS G_N_ELEMENTS (filters)

struct _DrsWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwToastOverlay   *toast_overlay;
  AdwWindowTitle    *window_title;
  GtkStack          *refresh_stack;
  GtkSpinner        *refresh_spinner;
  GtkToggleButton   *search_button;
  GtkRevealer       *banner;
  GtkLabel          *banner_label;
  GtkStack          *main_stack;
  GtkStack          *table_stack;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkBox            *filter_bar;
  GtkScrolledWindow *scroller;
  GtkColumnView     *column_view;
  GtkMenuButton     *menu_button;
  GtkPaned          *paned;
  DrsDetails        *details;

  /* owned */
  DrsJobColumns      *columns;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkMultiSelection  *selection;
  DrsTaskActions     *task_actions;
  DrsJob             *focused; /* the selected task the details pane and copy/remove act on */
  GtkWidget          *row_popover;
  GtkToggleButton    *filter_buttons[N_FILTERS];
  GtkLabel           *filter_titles[N_FILTERS];
  GtkLabel           *count_labels[N_FILTERS];
  guint               counts[N_FILTERS];
  char               *search_text; /* casefolded, nullable */
  int                 filter_class;
  guint               tick_id;
  GPtrArray          *removed; /* DrsJob, what the undo toast can bring back */
  AdwToast           *undo_toast;
  char               *last_toast;
  GHashTable         *problems; /* account ("" for the default) → what is wrong, for the banner */
  gboolean            show_details;
  double              pending_scroll; /* restored once the rows are laid out */

  /* owned */
  DrsSession *session;

  /* borrowed */
  DrsJobStore *store;
  DrsMonitor  *monitor;
};

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

static void attach_model (DrsWindow *self);
static void on_realize (GtkWidget *widget);
static void drs_window_constructed (GObject *object);

static gboolean
job_matches (DrsWindow *self, DrsJob *job)
{
  if (self->filter_class != DRS_WINDOW_FILTER_ALL &&
      (int) drs_job_get_status_class (job) != self->filter_class)
    return FALSE;

  if (self->search_text != NULL)
    {
      const char *fields[] = { drs_job_get_id (job), drs_job_get_name (job),
                               drs_job_get_status_label (job), drs_job_get_status_raw (job) };

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          g_autofree char *folded = NULL;

          if (fields[i] == NULL)
            continue;
          folded = g_utf8_casefold (fields[i], -1);
          if (strstr (folded, self->search_text) != NULL)
            return TRUE;
        }
      return FALSE;
    }
  return TRUE;
}

static gboolean
filter_func (gpointer item, gpointer user_data)
{
  return job_matches (user_data, item);
}

static int
filter_index (int status_class)
{
  for (guint i = 0; i < N_FILTERS; i++)
    if (filters[i].status_class == status_class)
      return (int) i;
  return -1;
}

static void
update_counts (DrsWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint counts[N_FILTERS] = { 0 };

  counts[0] = n;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      int index = filter_index (drs_job_get_status_class (job));

      if (index > 0)
        counts[index]++;
    }

  for (guint i = 0; i < N_FILTERS; i++)
    {
      char text[16];

      if (counts[i] == self->counts[i] && *gtk_label_get_text (self->count_labels[i]) != '\0')
        continue;
      self->counts[i] = counts[i];
      g_snprintf (text, sizeof text, "%u", counts[i]);
      gtk_label_set_text (self->count_labels[i], text);
    }
}

static void
update_page (DrsWindow *self)
{
  const char *page;

  if (!drs_session_get_has_account (self->session))
    page = "welcome";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->store)) == 0)
    page = "empty";
  else
    page = "table";
  gtk_stack_set_visible_child_name (self->main_stack, page);
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

static void
update_subtitle (DrsWindow *self)
{
  gint64           last = 0;
  g_autofree char *ago = NULL;
  g_autofree char *subtitle = NULL;

  if (self->monitor != NULL)
    last = drs_monitor_get_last_success (self->monitor);

  /* When DRS last answered, not when it was last asked: an outage shows as time passing. */
  if (last <= 0)
    {
      gint64 tried = self->monitor != NULL ? drs_monitor_get_last_refresh (self->monitor) : 0;

      adw_window_title_set_subtitle (self->window_title, tried > 0 ? _ ("Not updated yet") : "");
      return;
    }
  ago = drs_format_time_ago ((g_get_real_time () - last) / G_USEC_PER_SEC);
  /* Translators: %s is a time such as "12 s ago" or "just now" */
  subtitle = g_strdup_printf (_ ("Updated %s"), ago);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static gboolean
on_tick (gpointer user_data)
{
  update_subtitle (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_refreshing_changed (DrsWindow *self)
{
  gboolean refreshing = FALSE;

  g_object_get (self->monitor, "refreshing", &refreshing, NULL);
  gtk_stack_set_visible_child_name (self->refresh_stack, refreshing ? "busy" : "idle");
  gtk_spinner_set_spinning (self->refresh_spinner, refreshing);
  update_subtitle (self);
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
static void
scroll_to_row (DrsWindow *self, guint position)
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

  /* A re-sort rebinds every visible row: do it only when the new values broke the order. On
   * GTK 4.8 only the column view's own sorter re-sorts correctly after values changed. */
  sorter = gtk_column_view_get_sorter (self->column_view);
  if (sorter != NULL && gtk_sort_list_model_get_sorter (self->sort_model) != NULL &&
      !in_order (G_LIST_MODEL (self->sort_model), sorter))
    {
      GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (self->scroller);
      gboolean       at_top = gtk_adjustment_get_value (vadj) < 1;

      gtk_sorter_changed (sorter, GTK_SORTER_CHANGE_DIFFERENT);
      /* The view follows the row it was anchored on, wherever the sort moved it; a table
       * looked at from the top (where the failed tasks are) stays at the top. */
      if (at_top && g_list_model_get_n_items (G_LIST_MODEL (self->sort_model)) > 0)
        scroll_to_row (self, 0);
    }

  if (self->filter_class != DRS_WINDOW_FILTER_ALL || self->search_text != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);

  update_counts (self);
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

/* The details pane shows when asked for and a task is selected: otherwise the table takes the
 * whole width. */
static void
update_details_visible (DrsWindow *self)
{
  gboolean selected = self->focused != NULL;

  if (self->details == NULL) /* disposed */
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->details), self->show_details && selected);
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
  update_counts (self);
  update_page (self);
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
  update_details_visible (self);
  if (self->details != NULL)
    drs_details_set_job (self->details, self->focused);
}

static void
on_search_changed (DrsWindow *self)
{
  const char      *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search_text, g_free);
  if (*stripped != '\0')
    self->search_text = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_filter_toggled (GtkToggleButton *button, DrsWindow *self)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "drs-filter-index"));

  if (!gtk_toggle_button_get_active (button))
    return;
  if (self->filter_class == filters[index].status_class)
    return;
  self->filter_class = filters[index].status_class;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_FILTER]);
}

/* "all", or the nick of the status class shown ("failed", "running", …). */
static const char *
get_status_filter (DrsWindow *self)
{
  GEnumValue *value;

  if (self->filter_class == DRS_WINDOW_FILTER_ALL)
    return "all";
  value = g_enum_get_value (g_type_class_peek (DRS_TYPE_STATUS_CLASS), self->filter_class);
  return value ? value->value_nick : "all";
}

static void
set_status_filter (DrsWindow *self, const char *nick)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (DRS_TYPE_STATUS_CLASS);
  GEnumValue *value = nick ? g_enum_get_value_by_nick (klass, nick) : NULL;

  drs_window_set_status_filter (self, value ? value->value : DRS_WINDOW_FILTER_ALL);
}

void
drs_window_set_status_filter (DrsWindow *self, int status_class)
{
  int index = filter_index (status_class);

  g_return_if_fail (DRS_IS_WINDOW (self));
  g_return_if_fail (index >= 0);
  gtk_toggle_button_set_active (self->filter_buttons[index], TRUE);
}

guint
drs_window_get_class_count (DrsWindow *self, int status_class)
{
  int index = filter_index (status_class);

  g_return_val_if_fail (index >= 0, 0);
  return self->counts[index];
}

static void
build_filter_bar (DrsWindow *self)
{
  for (guint i = 0; i < N_FILTERS; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *title = gtk_label_new (NULL);
      GtkWidget *count = gtk_label_new ("");

      gtk_widget_add_css_class (count, "count");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), count);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "flat");
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->filter_buttons[0]);
      g_object_set_data (G_OBJECT (button), "drs-filter-index", GINT_TO_POINTER (i));
      g_signal_connect (button, "toggled", G_CALLBACK (on_filter_toggled), self);
      gtk_box_append (self->filter_bar, button);

      self->filter_buttons[i] = GTK_TOGGLE_BUTTON (button);
      self->filter_titles[i] = GTK_LABEL (title);
      self->count_labels[i] = GTK_LABEL (count);
    }
  gtk_toggle_button_set_active (self->filter_buttons[0], TRUE);
}

static void
label_filter_bar (DrsWindow *self)
{
  for (guint i = 0; i < N_FILTERS; i++)
    {
      const char *text = filters[i].status_class == DRS_STATUS_CLASS_PAUSED
                             ? g_dpgettext2 (GETTEXT_PACKAGE, "status class", filters[i].label)
                             : _ (filters[i].label);

      gtk_label_set_text (self->filter_titles[i], text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->filter_buttons[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
    }
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
          scroll_to_row (self, i);
          return TRUE;
        }
    }
  return FALSE;
}

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
  /* One of the application's windows: it relabels with them. */
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

static void
setup_context_menu (DrsWindow *self)
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

  if (!back && gtk_widget_get_visible (GTK_WIDGET (self->details)) &&
      gtk_widget_child_focus (GTK_WIDGET (self->details), GTK_DIR_TAB_FORWARD))
    return;
  for (guint i = 0; i < N_FILTERS; i++)
    if (gtk_toggle_button_get_active (self->filter_buttons[i]))
      gtk_widget_grab_focus (GTK_WIDGET (self->filter_buttons[i]));
}

static void
setup_shortcuts (DrsWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkEventController *tab = gtk_shortcut_controller_new ();

  /* Before the rows and cells see Tab. */
  gtk_event_controller_set_propagation_phase (tab, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (tab),
      gtk_shortcut_new_with_arguments (
          gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Tab, 0),
                                       gtk_keyval_trigger_new (GDK_KEY_KP_Tab, 0)),
          gtk_named_action_new ("win.leave-table"), "b", FALSE));
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (tab),
      gtk_shortcut_new_with_arguments (
          gtk_alternative_trigger_new (
              gtk_keyval_trigger_new (GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK),
              gtk_keyval_trigger_new (GDK_KEY_Tab, GDK_SHIFT_MASK)),
          gtk_named_action_new ("win.leave-table"), "b", TRUE));
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), tab);

  /* On the table only, so Delete and Ctrl+C keep editing text in the search entry. */
  /* The keypad's Delete first: a menu names the last shortcut of an action, plain "Delete". */
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Delete, 0),
                        gtk_named_action_new ("win.remove")));
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                        gtk_named_action_new ("win.remove")));
  gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (controller),
      gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_c, GDK_CONTROL_MASK),
                        gtk_named_action_new ("win.copy-id")));
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);
}

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
      return column;
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
static void
save_view_state (DrsWindow *self)
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
                get_status_filter (self), "sort-column",
                sort_column ? drs_job_columns_get_column_id (self->columns, sort_column) : NULL,
                "sort-descending", descending, "selected-jobs", selected, "focused-job",
                self->focused ? drs_job_get_id (self->focused) : NULL, "scroll-position",
                gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scroller)),
                "details-range", (int) drs_details_get_range (self->details), NULL);
  save_confirmation (self);
}

/* The position of the task @job_id in the table, GTK_INVALID_LIST_POSITION when not shown. */
static guint
find_row (DrsWindow *self, const char *job_id)
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

/* Before the rows are shown: the search, the filter, the sort and the details' range. */
static void
restore_view (DrsWindow *self)
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
  set_status_filter (self, filter);
  column = sort ? drs_job_columns_get_column (self->columns, sort) : NULL;
  gtk_column_view_sort_by_column (self->column_view, column,
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  if (range >= 0)
    drs_details_set_range (self->details, range);
}

/* Once the rows are in: the selection and the place scrolled to. */
static void
restore_rows (DrsWindow *self)
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
    if ((position = find_row (self, selected[i])) != GTK_INVALID_LIST_POSITION)
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, i == 0);
  /* The task the details showed, of several selected. */
  if ((position = find_row (self, focused)) != GTK_INVALID_LIST_POSITION &&
      gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), position))
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      g_set_object (&self->focused, job);
      drs_details_set_job (self->details, job);
    }
  self->pending_scroll = scroll;
  if (scroll > 0)
    gtk_adjustment_set_value (vadj, scroll);
  restore_confirmation (self);
}

/* The rows' height is known once laid out: the scroll position can be restored then. */
static void
on_vadjustment_changed (DrsWindow *self, GtkAdjustment *vadj)
{
  if (self->pending_scroll <= 0)
    return;
  gtk_adjustment_set_value (vadj, self->pending_scroll);
  if (gtk_adjustment_get_value (vadj) >= self->pending_scroll - 0.5)
    self->pending_scroll = 0;
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
  save_view_state (self);
}

static void
on_delay_threshold_changed (DrsWindow *self, const char *key, GSettings *settings)
{
  drs_job_columns_set_delay_threshold (self->columns,
                                       (gint64) g_settings_get_uint (settings, key) * 1000);
  drs_details_set_threshold_ms (self->details, (gint64) g_settings_get_uint (settings, key) * 1000);
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
        g_value_set_string (value, get_status_filter (self));
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
        set_status_filter (self, g_value_get_string (value));
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
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->row_popover != NULL)
    g_clear_pointer (&self->row_popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), DRS_TYPE_WINDOW);

  G_OBJECT_CLASS (drs_window_parent_class)->dispose (object);
}

static void
drs_window_finalize (GObject *object)
{
  DrsWindow *self = (DrsWindow *) object;

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

  g_type_ensure (DRS_TYPE_DETAILS);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "drs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, refresh_stack);
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, refresh_spinner);
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
  gtk_widget_class_bind_template_child (widget_class, DrsWindow, details);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.add-jobs", NULL, add_jobs_action);
  gtk_widget_class_install_action (widget_class, "win.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "win.copy-id", NULL, copy_id_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_property_action (widget_class, "win.show-details", "show-details");
  gtk_widget_class_install_property_action (widget_class, "win.status-filter", "status-filter");
  gtk_widget_class_install_action (widget_class, "win.show-job", "s", show_job_action);
  gtk_widget_class_install_action (widget_class, "win.confirm-retry", "s", confirm_retry_action);
  gtk_widget_class_install_action (widget_class, "win.leave-table", "b", leave_table_action);
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
  self->problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_stack_set_visible_child_name (self->table_stack, "rows");
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Tasks"), -1);
  self->columns = drs_job_columns_new (self->column_view);
  build_filter_bar (self);
  label_filter_bar (self);
  setup_context_menu (self);
  load_menus (self);
  setup_shortcuts (self);
}

static void
drs_window_constructed (GObject *object)
{
  DrsWindow *self = DRS_WINDOW (object);

  G_OBJECT_CLASS (drs_window_parent_class)->constructed (object);

  g_assert (DRS_IS_SESSION (self->session));
  self->store = drs_session_get_store (self->session);
  self->monitor = drs_session_get_monitor (self->session);
  drs_details_set_history (self->details, drs_session_get_history (self->session));

  /* selection → sort → filter → store */
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
  self->sort_model =
      gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filter_model)),
                               g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sort_model)));
  self->task_actions = drs_task_actions_new (
      GTK_WINDOW (self), GTK_SELECTION_MODEL (self->selection), self->details, self->session);
  g_signal_connect_object (self->task_actions, "outcome", G_CALLBACK (drs_window_show_toast), self,
                           G_CONNECT_SWAPPED);
  /* Sorted before the view sees the rows: as the last window was, at first by status (what
   * needs attention first: failed tasks on top). */
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
      g_signal_connect_object (self->monitor, "notify::refreshing",
                               G_CALLBACK (on_refreshing_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->monitor, "notify::last-refresh", G_CALLBACK (update_subtitle),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->monitor, "notify::last-success", G_CALLBACK (update_subtitle),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->monitor, "connection-problem",
                               G_CALLBACK (on_connection_problem), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->monitor, "connection-restored",
                               G_CALLBACK (on_connection_restored), self, G_CONNECT_SWAPPED);
    }
  g_signal_connect_object (self->session, "notify::has-account", G_CALLBACK (update_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::has-account", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::n-accounts", G_CALLBACK (update_account_column),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "problem", G_CALLBACK (on_session_problem), self,
                           G_CONNECT_SWAPPED);

  self->tick_id = g_timeout_add_seconds (1, on_tick, self);

  restore_state (self);
  update_counts (self);
  update_page (self);
  update_actions (self);
  update_details_visible (self);
  update_table_page (self);
  update_account_column (self);
  restore_view (self);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "changed",
                           G_CALLBACK (on_vadjustment_changed), self, G_CONNECT_SWAPPED);
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
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  restore_rows (self);
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
 * Returns: (transfer none): the pane showing the selected task
 */
DrsDetails *
drs_window_get_details (DrsWindow *self)
{
  return self->details;
}

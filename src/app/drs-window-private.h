/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "drs-job-rows.h"
#include "drs-window.h"

G_BEGIN_DECLS

/* All, then one button a status class. */
#define DRS_WINDOW_N_FILTERS 7

struct _DrsWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  AdwToastOverlay   *toast_overlay;
  AdwWindowTitle    *window_title;
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

  /* owned */
  DrsJobColumns      *columns;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filter_model;
  GtkSortListModel   *sort_model;
  GtkMultiSelection  *selection;
  DrsJobRows         *rows; /* what the column view shows: one row a position, over selection */
  DrsTaskActions     *task_actions;
  DrsJob             *focused; /* the selected task the details pane and copy/remove act on */
  GtkWidget          *row_popover;
  GtkToggleButton    *filter_buttons[DRS_WINDOW_N_FILTERS];
  GtkLabel           *count_labels[DRS_WINDOW_N_FILTERS];
  guint               counts[DRS_WINDOW_N_FILTERS];
  char               *search_text; /* casefolded, nullable */
  int                 filter_class;
  guint               tick_id;
  GPtrArray          *removed; /* DrsJob, what the undo toast can bring back */
  AdwToast           *undo_toast;
  char               *last_toast;
  GHashTable         *problems; /* account ("" for the default) → what is wrong, for the banner */
  gboolean            show_details;
  DrsDetails         *details;       /* the paned's end child, built when first needed: else NULL */
  int                 details_range; /* restored for the pane not built yet; -1: none */
  gint64              delay_threshold_ms;
  double              pending_scroll; /* restored once the rows are laid out */

  /* owned */
  DrsSession *session;

  /* borrowed */
  DrsJobStore *store;
  DrsMonitor  *monitor;
};

/* clang-format off */
/* drs-window.c */
void        _drs_window_notify_status_filter   (DrsWindow      *self);
void        _drs_window_scroll_to_row          (DrsWindow      *self,
                                                guint           position);
/* drs-window-filter.c */
void        _drs_window_bind_filter_bar        (GtkWidgetClass *widget_class);
void        _drs_window_setup_filter_bar       (DrsWindow      *self);
gboolean    _drs_window_filter_func            (gpointer        item,
                                                gpointer        user_data);
void        _drs_window_update_counts          (DrsWindow      *self);
void        _drs_window_on_search_changed      (DrsWindow      *self);
const char *_drs_window_get_status_filter      (DrsWindow      *self);
void        _drs_window_set_status_filter      (DrsWindow      *self,
                                                const char     *nick);
/* drs-window-state.c */
void        _drs_window_save_view_state        (DrsWindow      *self);
void        _drs_window_restore_view           (DrsWindow      *self);
void        _drs_window_restore_rows           (DrsWindow      *self);
void        _drs_window_on_vadjustment_changed (DrsWindow      *self,
                                                GtkAdjustment  *vadj);
guint       _drs_window_find_row               (DrsWindow      *self,
                                                const char     *job_id);
/* drs-window-actions.c */
void        _drs_window_setup_context_menu     (DrsWindow      *self);
void        _drs_window_install_actions        (GtkWidgetClass *widget_class);
void        _drs_window_add_shortcuts_action   (DrsWindow      *self);
/* clang-format on */

G_END_DECLS

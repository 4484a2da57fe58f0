/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "drs-session.h"
#include "drs-details.h"
#include "drs-job-columns.h"
#include "drs-task-actions.h"

G_BEGIN_DECLS

#define DRS_TYPE_WINDOW (drs_window_get_type ())

G_DECLARE_FINAL_TYPE (DrsWindow, drs_window, DRS, WINDOW, AdwApplicationWindow)

typedef enum
{
  DRS_WINDOW_PAGE_WELCOME,
  DRS_WINDOW_PAGE_EMPTY,
  DRS_WINDOW_PAGE_TABLE,
} DrsWindowPage;

/* clang-format off */
DrsWindow          *drs_window_new                 (GtkApplication *application,
                                                    DrsSession     *session);
DrsWindowPage       drs_window_get_page            (DrsWindow      *self);
GtkColumnView      *drs_window_get_column_view     (DrsWindow      *self);
GtkSelectionModel  *drs_window_get_selection       (DrsWindow      *self);
DrsTaskActions     *drs_window_get_task_actions    (DrsWindow      *self);
DrsJobColumns      *drs_window_get_columns         (DrsWindow      *self);
GtkScrolledWindow  *drs_window_get_scroller        (DrsWindow      *self);
GtkSearchEntry     *drs_window_get_search_entry    (DrsWindow      *self);
void                drs_window_set_status_filter   (DrsWindow      *self,
                                                    int             status_class);
guint               drs_window_get_class_count     (DrsWindow      *self,
                                                    int             status_class);
void                drs_window_show_error          (DrsWindow      *self,
                                                    const GError   *error);
void                drs_window_show_toast          (DrsWindow      *self,
                                                    const char     *text);
const char         *drs_window_get_last_toast      (DrsWindow      *self);
const char         *drs_window_get_banner_text     (DrsWindow      *self);
gboolean            drs_window_select_job          (DrsWindow      *self,
                                                    const char     *job_id);
DrsJob             *drs_window_get_selected_job    (DrsWindow      *self);
DrsDetails         *drs_window_get_details         (DrsWindow      *self);
/* clang-format on */

#define DRS_WINDOW_FILTER_ALL (-1)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "drs-application.h"
#include "drs-window.h"

G_BEGIN_DECLS

typedef gboolean (*DrsTestMatch) (GtkWidget *widget, gconstpointer data);

/* clang-format off */
void       drs_test_wait_frames     (GtkWidget  *widget,
                                     guint       n);
GtkWidget *drs_test_find_widget     (GtkWidget  *root,
                                     GType       type);
GtkWidget *drs_test_find_widget_where (GtkWidget    *root,
                                       GType         type,
                                       DrsTestMatch  match,
                                       gconstpointer data);
void       drs_test_save_screenshot (GtkWidget  *widget,
                                     const char *name);

void            drs_test_gui_log_setup (void);
DrsApplication *drs_test_app_new      (const char     *name);
DrsWindow      *drs_test_app_activate (DrsApplication *app);
GSettings      *drs_test_get_settings (void);
DrsWindow      *drs_test_main_window  (DrsApplication *app);
DrsWindow      *drs_test_switch_language (DrsApplication *app,
                                          const char     *language);
gboolean        drs_test_all_polled   (DrsApplication *app,
                                       guint           min_jobs);
void            drs_test_app_end      (DrsApplication *app);
/* clang-format on */

G_END_DECLS

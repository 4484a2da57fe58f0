/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DrsJobColumns, the columns of the task table: made for a column view, then told the delay
 * threshold, whether accounts show, the language and the saved widths. */
#pragma once

#include <gtk/gtk.h>

#include "drs-job.h"

G_BEGIN_DECLS

typedef struct _DrsJobColumns DrsJobColumns;

/* clang-format off */
DrsJobColumns *drs_job_columns_new                (GtkColumnView *view);
void           drs_job_columns_free               (DrsJobColumns *self);
void           drs_job_columns_set_delay_threshold (DrsJobColumns *self,
                                                   gint64         threshold_ms);
void           drs_job_columns_set_show_account   (DrsJobColumns *self,
                                                   gboolean       show);
GtkColumnViewColumn *drs_job_columns_get_column   (DrsJobColumns *self,
                                                   const char    *id);
const char    *drs_job_columns_get_column_id      (DrsJobColumns *self,
                                                   GtkColumnViewColumn *column);
GVariant      *drs_job_columns_save_widths        (DrsJobColumns *self);
void           drs_job_columns_restore_widths     (DrsJobColumns *self,
                                                   GVariant      *widths);
guint          drs_job_columns_get_n_bound        (DrsJobColumns *self);
char          *drs_job_columns_dup_cell_tooltip   (GtkWidget     *cell);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsJobColumns, drs_job_columns_free)

G_END_DECLS

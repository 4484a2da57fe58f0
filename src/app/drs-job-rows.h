/* SPDX-License-Identifier: GPL-3.0-or-later */
/* DrsJobRows, what the task table shows: one row object per position, which keeps its place and
 * changes the task it shows when a filter, a search or a sort moves the tasks below it. */
#pragma once

#include <gtk/gtk.h>

#include "drs-job.h"

G_BEGIN_DECLS

#define DRS_TYPE_JOB_ROW (drs_job_row_get_type ())
G_DECLARE_FINAL_TYPE (DrsJobRow, drs_job_row, DRS, JOB_ROW, GObject)

#define DRS_TYPE_JOB_ROWS (drs_job_rows_get_type ())
G_DECLARE_FINAL_TYPE (DrsJobRows, drs_job_rows, DRS, JOB_ROWS, GObject)

/* clang-format off */
DrsJob     *drs_job_row_get_job (DrsJobRow         *self);

DrsJobRows *drs_job_rows_new    (GtkSelectionModel *jobs);
/* clang-format on */

G_END_DECLS

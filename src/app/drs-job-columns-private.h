/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the files of the task table share: a column's spec (its cell and its order), the column
 * set's struct, and the helpers of the cell, sorter and factory files. */
#pragma once

#include "drs-job-columns.h"

G_BEGIN_DECLS

/**
 * DrsJobCell:
 * @props: the job properties the cell shows: a notify of one of them (or of "stale") repaints it
 * @setup: builds an empty cell, once per realized row
 * @update: shows @job in the cell
 * @tooltip: (nullable): the text under the pointer, made when the pointer asks
 *
 * How the cells of a column show a task.
 */
typedef struct
{
  const char *props[4];
  GtkWidget *(*setup) (void);
  void (*update) (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns);
  char *(*tooltip) (DrsJob *job);
} DrsJobCell;

/**
 * DrsJobOrder:
 * @compare: (nullable): orders two tasks whose values are known
 * @known: (nullable): whether a task's value is known; the unknown ones sort last either way
 * @number: (nullable): instead of both, a numeric column's value: known when not negative
 *
 * How a column sorts tasks.
 */
typedef struct
{
  int (*compare) (DrsJob *a, DrsJob *b);
  gboolean (*known) (DrsJob *job);
  double (*number) (DrsJob *job);
} DrsJobOrder;

typedef struct
{
  const char        *id;
  const char        *title; /* N_() */
  const DrsJobCell  *cell;
  const DrsJobOrder *order;
  int                width;
  gboolean           expand;
} DrsJobColumnSpec;

typedef struct
{
  const DrsJobColumnSpec *spec;
  DrsJobColumns          *owner;  /* borrowed */
  GtkColumnViewColumn    *column; /* owned */
  /* owned: "notify::" and each property of the cell */
  char *notify_signals[G_N_ELEMENTS (((DrsJobCell *) 0)->props)];
} DrsJobColumn;

typedef struct _DrsJobSortDirection DrsJobSortDirection;

struct _DrsJobColumns
{
  /* borrowed */
  GtkColumnView *view;

  /* owned */
  GPtrArray           *columns;   /* DrsJobColumn */
  GHashTable          *bound;     /* the cells bound to a job now */
  DrsJobSortDirection *direction; /* which way the view sorts */

  gint64 delay_threshold_ms;
};

/* The cells (drs-job-text-cells.c, drs-job-progress-cell.c, drs-job-stale-cell.c). */
extern const DrsJobCell _drs_job_cell_name;
extern const DrsJobCell _drs_job_cell_account;
extern const DrsJobCell _drs_job_cell_status;
extern const DrsJobCell _drs_job_cell_delay;
extern const DrsJobCell _drs_job_cell_remaining;
extern const DrsJobCell _drs_job_cell_progress;
extern const DrsJobCell _drs_job_cell_phases;
extern const DrsJobCell _drs_job_cell_mode;
extern const DrsJobCell _drs_job_cell_processed;
extern const DrsJobCell _drs_job_cell_error;
extern const DrsJobCell _drs_job_cell_stale;

/* The orders (drs-job-sorters.c). */
extern const DrsJobOrder _drs_job_order_name;
extern const DrsJobOrder _drs_job_order_account;
extern const DrsJobOrder _drs_job_order_status;
extern const DrsJobOrder _drs_job_order_delay;
extern const DrsJobOrder _drs_job_order_remaining;
extern const DrsJobOrder _drs_job_order_progress;
extern const DrsJobOrder _drs_job_order_phases;
extern const DrsJobOrder _drs_job_order_mode;
extern const DrsJobOrder _drs_job_order_processed;
extern const DrsJobOrder _drs_job_order_error;
extern const DrsJobOrder _drs_job_order_stale;

/* clang-format off */
/* drs-job-text-cells.c */
GtkWidget           *_drs_job_cell_text_new            (float                xalign);
GtkWidget           *_drs_job_cell_box_new             (GtkOrientation       orientation,
                                                        int                  spacing,
                                                        GtkWidget           *first,
                                                        GtkWidget           *second);
void                 _drs_job_cell_set_text            (GtkWidget           *cell,
                                                        const char          *text);
gint64               _drs_job_cell_remaining_s         (DrsJob              *job);

/* drs-job-stale-cell.c */
char                *_drs_job_cell_stale_reason        (DrsJob              *job,
                                                        char               **time_text);

/* drs-job-sorters.c */
DrsJobSortDirection *_drs_job_sort_direction_new       (GtkSorter           *view_sorter);
void                 _drs_job_sort_direction_free      (DrsJobSortDirection *direction);
GtkSorter           *_drs_job_sorter_new               (const DrsJobOrder   *order,
                                                        DrsJobSortDirection *direction);

/* drs-job-cell-factory.c */
GtkListItemFactory  *_drs_job_cell_factory_new         (DrsJobColumn        *column);
void                 _drs_job_cell_update              (GtkWidget           *cell);
/* clang-format on */

G_END_DECLS

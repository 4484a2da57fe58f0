/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How the columns of the task table sort: each column's comparison, the sorter that puts tasks
 * whose value is unknown last in both directions and breaks ties by id, and how it learns which
 * way the view sorts. */
#define G_LOG_DOMAIN "drs-job-columns"

#include "config.h"

#include "drs-job-columns-private.h"

/* Name */

typedef struct
{
  const char *name; /* the display name the key was made from (owned by the job) */
  char       *key;
} CollateKey;

static void
collate_key_free (gpointer data)
{
  CollateKey *key = data;

  g_free (key->key);
  g_free (key);
}

/* Sorting compares names thousands of times per refresh: collate each name once. */
static const char *
name_key (DrsJob *job)
{
  static GQuark quark;
  const char   *name = drs_job_get_display_name (job);
  CollateKey   *key;

  if (quark == 0)
    quark = g_quark_from_static_string ("drs-name-collate-key");
  key = g_object_get_qdata (G_OBJECT (job), quark);
  if (key == NULL || key->name != name)
    {
      key = g_new0 (CollateKey, 1);
      key->name = name;
      key->key = g_utf8_collate_key (name, -1);
      g_object_set_qdata_full (G_OBJECT (job), quark, key, collate_key_free);
    }
  return key->key;
}

static int
name_compare (DrsJob *a, DrsJob *b)
{
  return strcmp (name_key (a), name_key (b));
}

const DrsJobOrder _drs_job_order_name = { name_compare };

/* Account */

static int
account_compare (DrsJob *a, DrsJob *b)
{
  return g_strcmp0 (drs_job_get_account (a), drs_job_get_account (b));
}

const DrsJobOrder _drs_job_order_account = { account_compare };

/* Status */

static int
status_compare (DrsJob *a, DrsJob *b)
{
  /* Failed first when ascending: what needs attention. */
  static const int rank[] = { 5, 2, 1, 3, 4, 0 };
  int              r = rank[drs_job_get_status_class (a)] - rank[drs_job_get_status_class (b)];

  if (r != 0)
    return r;
  r = (int) drs_job_get_status (a) - (int) drs_job_get_status (b);
  if (r != 0)
    return r;
  return g_strcmp0 (drs_job_get_status_raw (a), drs_job_get_status_raw (b));
}

const DrsJobOrder _drs_job_order_status = { status_compare };

/* Numeric columns: unknown when negative */

static double
delay_number (DrsJob *job)
{
  return drs_job_get_delay_ms (job);
}

const DrsJobOrder _drs_job_order_delay = { .number = delay_number };

static double
remaining_number (DrsJob *job)
{
  return _drs_job_cell_remaining_s (job);
}

const DrsJobOrder _drs_job_order_remaining = { .number = remaining_number };

static double
progress_number (DrsJob *job)
{
  return drs_job_get_progress (job);
}

const DrsJobOrder _drs_job_order_progress = { .number = progress_number };

/* Phases: by the data phase, the longest. */
static double
phases_number (DrsJob *job)
{
  return drs_job_get_has_phases (job) ? drs_job_get_phase_progress (job, DRS_PHASE_DATA) : -1;
}

const DrsJobOrder _drs_job_order_phases = { .number = phases_number };

static double
processed_number (DrsJob *job)
{
  return drs_job_get_process_time_ms (job);
}

const DrsJobOrder _drs_job_order_processed = { .number = processed_number };

/* Task mode */

static int
mode_compare (DrsJob *a, DrsJob *b)
{
  return (int) drs_job_get_task_mode (a) - (int) drs_job_get_task_mode (b);
}

const DrsJobOrder _drs_job_order_mode = { mode_compare };

/* Error */

static gboolean
error_known (DrsJob *job)
{
  return drs_job_get_error_code (job) != NULL;
}

static int
error_compare (DrsJob *a, DrsJob *b)
{
  return g_strcmp0 (drs_job_get_error_code (a), drs_job_get_error_code (b));
}

const DrsJobOrder _drs_job_order_error = { error_compare, error_known };

/* Stale: stale rows first when ascending */

static int
stale_compare (DrsJob *a, DrsJob *b)
{
  return (int) drs_job_get_stale (b) - (int) drs_job_get_stale (a);
}

const DrsJobOrder _drs_job_order_stale = { stale_compare };

/* The direction of the view's primary sort */

struct _DrsJobSortDirection
{
  GtkSorter *view_sorter; /* the view's, to hear when the user sorts */
  DrsJob    *probes[2];   /* two blank tasks that tell the direction */
  gboolean   descending;
};

/* GTK 4.8 does not say which way the view sorts: ask it to order two blank tasks, which every
 * column finds equal and then orders by id ascending. Runs before the sort model re-sorts. */
static void
on_view_sorter_changed (GtkSorter *sorter, GtkSorterChange change, DrsJobSortDirection *self)
{
  self->descending =
      gtk_sorter_compare (sorter, self->probes[0], self->probes[1]) == GTK_ORDERING_LARGER;
}

/**
 * _drs_job_sort_direction_new:
 * @view_sorter: the column view's sorter
 *
 * Returns: (transfer full): what follows which way @view_sorter sorts
 */
DrsJobSortDirection *
_drs_job_sort_direction_new (GtkSorter *view_sorter)
{
  DrsJobSortDirection *self = g_new0 (DrsJobSortDirection, 1);

  self->view_sorter = g_object_ref (view_sorter);
  self->probes[0] = drs_job_new ("0");
  self->probes[1] = drs_job_new ("1");
  g_signal_connect (view_sorter, "changed", G_CALLBACK (on_view_sorter_changed), self);
  return self;
}

void
_drs_job_sort_direction_free (DrsJobSortDirection *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->view_sorter, self);
  g_clear_object (&self->view_sorter);
  g_clear_object (&self->probes[0]);
  g_clear_object (&self->probes[1]);
  g_free (self);
}

/* A column's sorter */

typedef struct
{
  const DrsJobOrder   *order;
  DrsJobSortDirection *direction; /* borrowed: outlives the columns */
} SortData;

static int
sort_func (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const SortData    *data = user_data;
  const DrsJobOrder *order = data->order;
  DrsJob            *x = (DrsJob *) a, *y = (DrsJob *) b;
  gboolean           x_known, y_known;
  int                r = 0;

  if (order->number != NULL)
    {
      double u = order->number (x), v = order->number (y);

      x_known = u >= 0;
      y_known = v >= 0;
      if (x_known && y_known)
        r = (u > v) - (u < v);
    }
  else
    {
      x_known = order->known == NULL || order->known (x);
      y_known = order->known == NULL || order->known (y);
      if (x_known && y_known)
        r = order->compare (x, y);
    }

  /* Unknown last in both directions: the view inverts what this says when descending. */
  if (x_known != y_known)
    r = (x_known ? -1 : 1) * (data->direction->descending ? -1 : 1);
  if (r == 0) /* a stable, total order: ties by id */
    r = strcmp (drs_job_get_id (x), drs_job_get_id (y));
  return r < 0 ? GTK_ORDERING_SMALLER : r > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

/**
 * _drs_job_sorter_new:
 * @direction: which way the view sorts, to keep unknown values last
 *
 * Returns: (transfer full): a sorter of tasks by @order
 */
GtkSorter *
_drs_job_sorter_new (const DrsJobOrder *order, DrsJobSortDirection *direction)
{
  SortData *data = g_new0 (SortData, 1);

  data->order = order;
  data->direction = direction;
  return GTK_SORTER (gtk_custom_sorter_new (sort_func, data, g_free));
}

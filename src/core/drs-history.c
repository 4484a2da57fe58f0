/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-history"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "drs-error.h"
#include "drs-history-private.h"

/**
 * DrsHistory:
 *
 * The watched tasks and their samples, in one SQLite database (WAL) that survives restarts and
 * crashes. Samples are written by a thread of their own, in one transaction per batch:
 * drs_history_record() costs the main loop a hash lookup and an append to a batch that is handed
 * to the writer at the end of the main loop iteration, so it never waits for the disk or for a
 * lock the writer holds. Queries and the (rare, user-driven) watched-job edits use a second
 * connection on the calling thread; WAL lets them read while the writer writes.
 */

/*
 * This file holds the object, recording samples (the writer thread is in drs-history-writer.c)
 * and reading them back for charts. drs-history-private.h lists the other files.
 */

/* Two samples further apart than this have a gap between them (3 × the keep-alive period). */
#define GAP_US (3 * DRS_HISTORY_KEEPALIVE_US)
/* The columns of a sample, as read_sample() reads them, of the task whose id is ?1. */
#define SELECT_SAMPLES                                            \
  "SELECT time_us, progress, delay_ms, status, struct, data, idx" \
  " FROM samples WHERE job = (SELECT key FROM jobs WHERE id = ?1)"

struct _DrsHistory
{
  GObject parent_instance;

  char             *path;
  sqlite3          *db; /* main thread: queries and watched jobs */
  DrsHistoryWriter *writer;
  GHashTable       *last; /* job id → DrsSample, main thread only */
  guint             retention_days;
};

G_DEFINE_FINAL_TYPE (DrsHistory, drs_history, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RETENTION_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
drs_history_dispose (GObject *object)
{
  DrsHistory *self = (DrsHistory *) object;

  g_clear_pointer (&self->writer, _drs_history_writer_free);
  g_clear_pointer (&self->db, sqlite3_close);

  G_OBJECT_CLASS (drs_history_parent_class)->dispose (object);
}

static void
drs_history_finalize (GObject *object)
{
  DrsHistory *self = (DrsHistory *) object;

  g_clear_pointer (&self->last, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (drs_history_parent_class)->finalize (object);
}

static void
drs_history_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsHistory *self = DRS_HISTORY (object);

  switch (prop_id)
    {
      case PROP_RETENTION_DAYS:
        g_value_set_uint (value, self->retention_days);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_history_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  DrsHistory *self = DRS_HISTORY (object);

  switch (prop_id)
    {
      case PROP_RETENTION_DAYS:
        drs_history_set_retention_days (self, g_value_get_uint (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_history_class_init (DrsHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = drs_history_dispose;
  object_class->finalize = drs_history_finalize;
  object_class->get_property = drs_history_get_property;
  object_class->set_property = drs_history_set_property;

  /**
   * DrsHistory:retention-days:
   *
   * Samples older than this are removed by drs_history_prune().
   */
  properties[PROP_RETENTION_DAYS] =
      g_param_spec_uint ("retention-days", NULL, NULL, 1, 3650, 30,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_history_init (DrsHistory *self)
{
  self->last = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->retention_days = 30;
}

/**
 * drs_history_open:
 * @path: (nullable): the database file; %NULL for `$XDG_DATA_HOME/drs-monitor/history.db`
 *
 * Opens or creates the database and migrates it to the current schema. A file that is not a
 * database or is damaged is renamed to `<path>.corrupt-<time>` (never emptied) and the error
 * says where it went; opening again then starts a new history. A file written by a newer
 * version is left alone.
 *
 * Returns: (transfer full) (nullable): the history, or %NULL with @error set
 */
DrsHistory *
drs_history_open (const char *path, GError **error)
{
  g_autoptr (DrsHistory) self = NULL;
  g_autofree char *default_path = NULL;
  sqlite3         *db;
  sqlite3         *wdb;

  if (path == NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "drs-monitor", NULL);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, DRS_ERROR, DRS_ERROR_STORAGE,
                       _ ("Could not create the folder %s for the history: %s"), dir,
                       g_strerror (saved));
          return NULL;
        }
      path = default_path = g_build_filename (dir, "history.db", NULL);
    }

  db = _drs_history_open_database (path, error);
  if (db == NULL)
    return NULL;

  self = g_object_new (DRS_TYPE_HISTORY, NULL);
  self->path = g_strdup (path);
  self->db = db;
  wdb = _drs_history_connect (path, error);
  if (wdb == NULL)
    return NULL;
  self->writer = _drs_history_writer_new (wdb);
  return g_steal_pointer (&self);
}

sqlite3 *
_drs_history_get_db (DrsHistory *self)
{
  return self->db;
}

void
_drs_history_set_error (DrsHistory *self, GError **error, const char *what)
{
  _drs_history_set_sqlite_error (error, self->db, self->path, what);
}

/* Forgets every sample of @job_id (the watched task was removed). */
void
_drs_history_forget_samples (DrsHistory *self, const char *job_id)
{
  g_hash_table_remove (self->last, job_id);
  _drs_history_writer_forget (self->writer, job_id);
}

const char *
drs_history_get_path (DrsHistory *self)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), NULL);
  return self->path;
}

static gboolean
same_value (double a, double b)
{
  return a == b || (a < 0 && b < 0);
}

static gboolean
sample_differs (const DrsSample *a, const DrsSample *b)
{
  if (!same_value (a->progress, b->progress) || a->delay_ms != b->delay_ms ||
      a->status != b->status)
    return TRUE;
  for (guint i = 0; i < 3; i++)
    if (!same_value (a->phases[i], b->phases[i]))
      return TRUE;
  return FALSE;
}

/**
 * drs_history_record_sample:
 * @sample: the values at @sample->time_us
 *
 * Queues @sample for writing if it differs from the last one recorded for @job_id, or if that
 * one is at least %DRS_HISTORY_KEEPALIVE_US old. Never waits for the disk.
 *
 * Returns: %TRUE if the sample was queued
 */
gboolean
drs_history_record_sample (DrsHistory *self, const char *job_id, const DrsSample *sample)
{
  DrsSample *last;
  gpointer   key;

  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  if (g_hash_table_lookup_extended (self->last, job_id, &key, (gpointer *) &last))
    {
      if (!sample_differs (last, sample) &&
          sample->time_us - last->time_us < DRS_HISTORY_KEEPALIVE_US)
        return FALSE;
    }
  else
    {
      key = (gpointer) g_intern_string (job_id);
      last = g_new (DrsSample, 1);
      g_hash_table_insert (self->last, key, last);
    }
  *last = *sample;

  _drs_history_writer_add (self->writer, key, sample);
  return TRUE;
}

/**
 * drs_history_add_unobserved:
 * @from_us: when nobody watched any more (wall clock)
 * @to_us: when watching began again
 *
 * Records a span of time when no task was observed although the app ran (the computer slept):
 * a chart breaks its line between the last sample before it and the first after, however short
 * it is, instead of drawing across it. The first sample after it is recorded even if nothing
 * changed. Never waits for the disk.
 */
void
drs_history_add_unobserved (DrsHistory *self, gint64 from_us, gint64 to_us)
{
  g_return_if_fail (DRS_IS_HISTORY (self));
  g_return_if_fail (from_us <= to_us);

  g_hash_table_remove_all (self->last);
  _drs_history_writer_unobserved (self->writer, from_us, to_us);
}

/**
 * drs_history_record:
 * @job: a job after a successful poll; a stale job is not recorded
 * @now_us: the wall-clock time of the poll
 *
 * See drs_history_record_sample().
 *
 * Returns: %TRUE if a sample was queued
 */
gboolean
drs_history_record (DrsHistory *self, DrsJob *job, gint64 now_us)
{
  DrsSample sample = { 0 };

  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (DRS_IS_JOB (job), FALSE);

  if (drs_job_get_stale (job) || drs_job_get_last_updated_us (job) <= 0)
    return FALSE;

  sample.time_us = now_us;
  sample.progress = drs_job_get_progress (job);
  sample.delay_ms = drs_job_get_delay_ms (job);
  sample.status = drs_job_get_status (job);
  for (guint i = 0; i < 3; i++)
    sample.phases[i] = drs_job_get_phase_progress (job, i);
  return drs_history_record_sample (self, drs_job_get_id (job), &sample);
}

/**
 * drs_history_flush:
 *
 * Waits until every sample queued so far is committed. For shutdown and tests; the main loop
 * never needs it.
 */
void
drs_history_flush (DrsHistory *self)
{
  g_return_if_fail (DRS_IS_HISTORY (self));

  _drs_history_writer_flush (self->writer);
}

guint64
drs_history_get_n_written (DrsHistory *self)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), 0);

  return _drs_history_writer_get_n_written (self->writer);
}

static double
column_double (sqlite3_stmt *stmt, int column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return DRS_UNKNOWN;
  return sqlite3_column_double (stmt, column);
}

/* Reads a row of SELECT_SAMPLES. */
static void
read_sample (sqlite3_stmt *stmt, DrsSample *sample)
{
  memset (sample, 0, sizeof *sample);
  sample->time_us = sqlite3_column_int64 (stmt, 0);
  sample->progress = column_double (stmt, 1);
  sample->delay_ms =
      sqlite3_column_type (stmt, 2) == SQLITE_NULL ? DRS_UNKNOWN : sqlite3_column_int64 (stmt, 2);
  sample->status = sqlite3_column_int (stmt, 3);
  for (guint i = 0; i < 3; i++)
    sample->phases[i] = column_double (stmt, 4 + i);
}

/* A span of time nobody observed (unobserved table). */
typedef struct
{
  gint64 from_us;
  gint64 to_us;
} Span;

/* Whether the line from a sample at @before_us to the next at @after_us would bridge time
 * nobody observed: a long stretch without samples, or a sleep however short. */
static gboolean
is_gap (GArray *spans, gint64 before_us, gint64 after_us)
{
  if (after_us - before_us > GAP_US)
    return TRUE;
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      if (span->from_us < after_us && span->to_us > before_us)
        return TRUE;
    }
  return FALSE;
}

/* The unobserved spans that touch [@from_us, @to_us]. */
static GArray *
read_spans (sqlite3 *db, gint64 from_us, gint64 to_us)
{
  GArray       *spans = g_array_new (FALSE, FALSE, sizeof (Span));
  sqlite3_stmt *stmt = NULL;

  /* A file that could not be migrated has no such table: no spans, the gaps are by time. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT from_us, to_us FROM unobserved WHERE to_us >= ?1 AND"
                          " from_us <= ?2",
                          -1, &stmt, NULL) != SQLITE_OK)
    return spans;
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Span span = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };

      g_array_append_val (spans, span);
    }
  sqlite3_finalize (stmt);
  return spans;
}

static void
append_gap (GArray *out, gint64 before_us, gint64 after_us)
{
  DrsSample gap = { 0 };

  gap.time_us = before_us + (after_us - before_us) / 2;
  gap.progress = DRS_UNKNOWN;
  gap.delay_ms = DRS_UNKNOWN;
  gap.status = DRS_JOB_STATUS_UNKNOWN;
  for (guint i = 0; i < 3; i++)
    gap.phases[i] = DRS_UNKNOWN;
  gap.gap = TRUE;
  g_array_append_val (out, gap);
}

/* One point per time bucket: the last values, the highest delay (peaks matter on a delay chart),
 * and a gap marker before it when a gap preceded it. */
static GArray *
downsample (GArray *rows, GArray *spans, guint n_buckets)
{
  GArray          *out = g_array_sized_new (FALSE, FALSE, sizeof (DrsSample), n_buckets * 2);
  const DrsSample *first = &g_array_index (rows, DrsSample, 0);
  const DrsSample *final = &g_array_index (rows, DrsSample, rows->len - 1);
  gint64           width = MAX ((final->time_us - first->time_us) / n_buckets + 1, 1);
  DrsSample        point = { 0 };
  gboolean         have_point = FALSE;
  gint64           bucket = -1;
  gint64           gap_from = -1;
  gint64           gap_to = -1;

  for (guint i = 0; i < rows->len; i++)
    {
      const DrsSample *row = &g_array_index (rows, DrsSample, i);
      gint64           b = (row->time_us - first->time_us) / width;
      gboolean         gap_before = i > 0 && is_gap (spans, row[-1].time_us, row->time_us);

      if (have_point && (b != bucket || gap_before))
        {
          if (gap_from >= 0)
            append_gap (out, gap_from, gap_to);
          g_array_append_val (out, point);
          have_point = FALSE;
          gap_from = -1;
        }
      if (gap_before && gap_from < 0)
        {
          gap_from = row[-1].time_us;
          gap_to = row->time_us;
        }

      if (!have_point)
        {
          point = *row;
          have_point = TRUE;
          bucket = b;
        }
      else
        {
          gint64 delay = MAX (point.delay_ms, row->delay_ms);

          point = *row;
          point.delay_ms = delay;
        }
    }
  if (have_point)
    {
      if (gap_from >= 0)
        append_gap (out, gap_from, gap_to);
      g_array_append_val (out, point);
    }
  return out;
}

static GArray *
query_db (sqlite3            *db,
          const char         *path,
          const char         *job_id,
          const DrsTimeRange *range,
          guint               max_points,
          GError            **error)
{
  g_autoptr (GArray) rows = NULL;
  g_autoptr (GArray) spans = read_spans (db, range->from_us, range->to_us);
  sqlite3_stmt *stmt = NULL;
  guint         n_gaps = 0;
  GArray       *out;
  int           rc;

  rc = sqlite3_prepare_v2 (db, SELECT_SAMPLES " AND time_us BETWEEN ?2 AND ?3 ORDER BY time_us", -1,
                           &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _drs_history_set_sqlite_error (error, db, path, _ ("read the history"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, range->from_us);
  sqlite3_bind_int64 (stmt, 3, range->to_us);

  rows = g_array_new (FALSE, FALSE, sizeof (DrsSample));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DrsSample s;

      read_sample (stmt, &s);
      if (rows->len > 0 &&
          is_gap (spans, g_array_index (rows, DrsSample, rows->len - 1).time_us, s.time_us))
        n_gaps++;
      g_array_append_val (rows, s);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      _drs_history_set_sqlite_error (error, db, path, _ ("read the history"));
      return NULL;
    }

  if (rows->len == 0)
    return g_steal_pointer (&rows);

  if (max_points == 0 || rows->len + n_gaps <= max_points)
    {
      /* Every sample, with gap markers. */
      out = g_array_sized_new (FALSE, FALSE, sizeof (DrsSample), rows->len + n_gaps);
      for (guint i = 0; i < rows->len; i++)
        {
          const DrsSample *row = &g_array_index (rows, DrsSample, i);

          if (i > 0 && is_gap (spans, row[-1].time_us, row->time_us))
            append_gap (out, row[-1].time_us, row->time_us);
          g_array_append_val (out, *row);
        }
      return out;
    }

  /* Room for the gap markers first; halve until the points fit. */
  for (guint buckets = MAX (max_points > 2 * n_gaps ? max_points - n_gaps : max_points / 2, 1);;
       buckets = MAX (buckets / 2, 1))
    {
      out = downsample (rows, spans, buckets);
      if (out->len <= max_points || buckets == 1)
        break;
      g_array_unref (out);
    }
  /* A single bucket after a gap is two points; a chart of one point wants no marker. */
  while (out->len > max_points)
    g_array_remove_index (out, 0);
  return out;
}

/**
 * drs_history_query:
 * @range: the stretch of time
 * @max_points: the most points to return; 0 for all
 *
 * Reads a task's samples in a time range for a chart, downsampled to at most @max_points
 * points when there are more. Stretches with no samples (longer than three keep-alive periods)
 * and the spans nobody observed (drs_history_add_unobserved()) are marked with a #DrsSample
 * whose @gap is %TRUE.
 *
 * Returns: (transfer full) (element-type DrsSample) (nullable): the points in time order
 */
GArray *
drs_history_query (DrsHistory         *self,
                   const char         *job_id,
                   const DrsTimeRange *range,
                   guint               max_points,
                   GError            **error)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (job_id != NULL, NULL);
  g_return_val_if_fail (range != NULL, NULL);

  return query_db (self->db, self->path, job_id, range, max_points, error);
}

typedef struct
{
  char        *path;
  char        *job_id;
  DrsTimeRange range;
  guint        max_points;
} QueryData;

static void
query_data_free (QueryData *data)
{
  g_free (data->path);
  g_free (data->job_id);
  g_free (data);
}

static void
query_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  QueryData *data = task_data;
  GError    *error = NULL;
  sqlite3   *db = NULL;
  GArray    *points;

  /* A connection of its own: SQLite connections are not shared between threads here. */
  if (sqlite3_open_v2 (data->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
      SQLITE_OK)
    {
      _drs_history_set_sqlite_error (&error, db, data->path, _ ("read the history"));
      sqlite3_close (db);
      g_task_return_error (task, error);
      return;
    }
  sqlite3_busy_timeout (db, 5000);
  points = query_db (db, data->path, data->job_id, &data->range, data->max_points, &error);
  sqlite3_close (db);

  if (points == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, points, (GDestroyNotify) g_array_unref);
}

/**
 * drs_history_query_async:
 *
 * Like drs_history_query(), on a worker thread: for long ranges, whose reading takes longer
 * than a frame.
 */
void
drs_history_query_async (DrsHistory         *self,
                         const char         *job_id,
                         const DrsTimeRange *range,
                         guint               max_points,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  QueryData *data;

  g_return_if_fail (DRS_IS_HISTORY (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (range != NULL);

  data = g_new0 (QueryData, 1);
  data->path = g_strdup (self->path);
  data->job_id = g_strdup (job_id);
  data->range = *range;
  data->max_points = max_points;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, drs_history_query_async);
  g_task_set_task_data (task, data, (GDestroyNotify) query_data_free);
  g_task_run_in_thread (task, query_thread);
}

/**
 * drs_history_query_finish:
 *
 * Returns: (transfer full) (element-type DrsSample) (nullable): the points, see
 *   drs_history_query()
 */
GArray *
drs_history_query_finish (DrsHistory *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * drs_history_get_last_sample:
 * @sample: (out caller-allocates): the newest sample
 *
 * The newest sample of a task, from this session or an earlier one: what the monitor compares
 * its first answer after a restart with.
 *
 * Returns: %TRUE if the task has a sample
 */
gboolean
drs_history_get_last_sample (DrsHistory *self, const char *job_id, DrsSample *sample)
{
  const DrsSample *cached;
  sqlite3_stmt    *stmt = NULL;
  gboolean         found = FALSE;

  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);
  g_return_val_if_fail (sample != NULL, FALSE);

  cached = g_hash_table_lookup (self->last, job_id);
  if (cached != NULL)
    {
      *sample = *cached;
      return TRUE;
    }

  sqlite3_prepare_v2 (self->db, SELECT_SAMPLES " ORDER BY time_us DESC LIMIT 1", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      read_sample (stmt, sample);
      found = TRUE;
    }
  sqlite3_finalize (stmt);
  return found;
}

/**
 * drs_history_count_samples:
 * @job_id: (nullable): one task, or %NULL for all
 *
 * Returns: how many samples are stored (committed ones only), or -1 on error
 */
gint64
drs_history_count_samples (DrsHistory *self, const char *job_id)
{
  sqlite3_stmt *stmt = NULL;
  gint64        count = -1;

  g_return_val_if_fail (DRS_IS_HISTORY (self), -1);

  if (job_id == NULL)
    sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM samples", -1, &stmt, NULL);
  else
    {
      sqlite3_prepare_v2 (self->db,
                          "SELECT count(*) FROM samples"
                          " WHERE job = (SELECT key FROM jobs WHERE id = ?1)",
                          -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_STATIC);
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

/**
 * drs_history_prune:
 * @now_us: the wall-clock time now
 *
 * Queues the removal of samples older than the retention period.
 */
void
drs_history_prune (DrsHistory *self, gint64 now_us)
{
  g_return_if_fail (DRS_IS_HISTORY (self));

  _drs_history_writer_prune (self->writer,
                             now_us - (gint64) self->retention_days * 24 * 3600 * G_USEC_PER_SEC);
}

void
drs_history_set_retention_days (DrsHistory *self, guint days)
{
  g_return_if_fail (DRS_IS_HISTORY (self));
  g_return_if_fail (days >= 1);

  if (self->retention_days == days)
    return;
  self->retention_days = days;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETENTION_DAYS]);
}

guint
drs_history_get_retention_days (DrsHistory *self)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), 0);
  return self->retention_days;
}

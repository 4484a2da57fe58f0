/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-history"

#include "config.h"

#include <math.h>

#include "drs-history-private.h"

/*
 * The history's sample writer: a thread with a connection of its own that takes commands from a
 * queue and writes samples in one transaction per batch. The main thread appends samples to a
 * batch that is handed to the thread at the end of the main loop iteration (or once it holds
 * HANDOVER_MAX samples), so recording a sample never waits for the disk or for a lock the
 * writer holds. Forgetting a task's samples, pruning and flushing go through the same queue,
 * after the samples recorded before them.
 */

/* Bounds one write transaction, so a queue backlog never holds the write lock for long. */
#define MAX_BATCH 5000
/* Samples are handed to the writer in batches of at most this many. */
#define HANDOVER_MAX 256

typedef enum
{
  CMD_BATCH,
  CMD_PRUNE,
  CMD_FORGET,
  CMD_UNOBSERVED,
  CMD_FLUSH,
  CMD_QUIT,
} CmdKind;

typedef struct
{
  CmdKind kind;
  char   *job_id;
  gint64  cutoff_us; /* CMD_PRUNE; CMD_UNOBSERVED: where the span begins */
  gint64  to_us;     /* CMD_UNOBSERVED: where it ends */
  guint64 seq;
  GArray *batch; /* CMD_BATCH: PendingSample */
} Cmd;

/* A sample waiting to be handed to the writer: the id is interned, so recording allocates
 * nothing per sample that the writer thread would have to free. */
typedef struct
{
  const char *job_id;
  DrsSample   sample;
} PendingSample;

struct _DrsHistoryWriter
{
  /* main thread */
  GArray  *pending; /* PendingSample recorded but not handed to the writer yet */
  GSource *handover_source;
  guint64  flush_requested;

  /* writer thread */
  sqlite3      *db;
  GHashTable   *keys; /* job id → key */
  sqlite3_stmt *insert;

  GThread     *thread;
  GAsyncQueue *queue; /* Cmd */
  GMutex       mutex;
  GCond        cond;
  guint64      flush_done; /* under mutex */
  guint64      n_written;  /* under mutex */
};

static Cmd *
cmd_new (CmdKind kind)
{
  Cmd *cmd = g_new0 (Cmd, 1);

  cmd->kind = kind;
  return cmd;
}

static void
cmd_free (Cmd *cmd)
{
  g_clear_pointer (&cmd->batch, g_array_unref);
  g_free (cmd->job_id);
  g_free (cmd);
}

/* Writer thread ----------------------------------------------------------------------------- */

static gint64
lookup_job_key (DrsHistoryWriter *w, const char *job_id, gboolean create)
{
  sqlite3_stmt *stmt = NULL;
  gint64        key = -1;
  gpointer      value;

  if (g_hash_table_lookup_extended (w->keys, job_id, NULL, &value))
    return GPOINTER_TO_SIZE (value);

  sqlite3_prepare_v2 (w->db, "SELECT key FROM jobs WHERE id = ?1", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  if (key < 0 && create)
    {
      sqlite3_prepare_v2 (w->db, "INSERT INTO jobs (id) VALUES (?1)", -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_DONE)
        key = sqlite3_last_insert_rowid (w->db);
      sqlite3_finalize (stmt);
    }

  if (key >= 0)
    g_hash_table_insert (w->keys, g_strdup (job_id), GSIZE_TO_POINTER ((gsize) key));
  return key;
}

static void
bind_double_or_null (sqlite3_stmt *stmt, int column, double value)
{
  if (value < 0 || isnan (value))
    sqlite3_bind_null (stmt, column);
  else
    sqlite3_bind_double (stmt, column, value);
}

static gboolean
write_sample (DrsHistoryWriter *w, const PendingSample *pending)
{
  gint64           key = lookup_job_key (w, pending->job_id, TRUE);
  const DrsSample *s = &pending->sample;
  int              rc;

  if (key < 0)
    return FALSE;

  sqlite3_reset (w->insert);
  sqlite3_bind_int64 (w->insert, 1, key);
  sqlite3_bind_int64 (w->insert, 2, s->time_us);
  bind_double_or_null (w->insert, 3, s->progress);
  if (s->delay_ms < 0)
    sqlite3_bind_null (w->insert, 4);
  else
    sqlite3_bind_int64 (w->insert, 4, s->delay_ms);
  sqlite3_bind_int (w->insert, 5, s->status);
  for (guint i = 0; i < 3; i++)
    bind_double_or_null (w->insert, 6 + i, s->phases[i]);
  rc = sqlite3_step (w->insert);
  return rc == SQLITE_DONE;
}

static void
prune (DrsHistoryWriter *w, gint64 cutoff_us)
{
  sqlite3_stmt *keys = NULL;
  sqlite3_stmt *del = NULL;
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));

  sqlite3_prepare_v2 (w->db, "SELECT key FROM jobs", -1, &keys, NULL);
  while (sqlite3_step (keys) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (keys, 0);

      g_array_append_val (all, key);
    }
  sqlite3_finalize (keys);

  /* One short transaction per task, through the primary key: the lock is never held long. */
  sqlite3_prepare_v2 (w->db, "DELETE FROM samples WHERE job = ?1 AND time_us < ?2", -1, &del, NULL);
  for (guint i = 0; i < all->len; i++)
    {
      sqlite3_reset (del);
      sqlite3_bind_int64 (del, 1, g_array_index (all, gint64, i));
      sqlite3_bind_int64 (del, 2, cutoff_us);
      if (sqlite3_step (del) != SQLITE_DONE)
        g_message ("Pruning the history failed: %s", sqlite3_errmsg (w->db));
    }
  sqlite3_finalize (del);

  sqlite3_prepare_v2 (w->db, "DELETE FROM actions WHERE time_us < ?1", -1, &del, NULL);
  sqlite3_bind_int64 (del, 1, cutoff_us);
  if (sqlite3_step (del) != SQLITE_DONE)
    g_message ("Pruning the actions failed: %s", sqlite3_errmsg (w->db));
  sqlite3_finalize (del);

  sqlite3_prepare_v2 (w->db, "DELETE FROM unobserved WHERE to_us < ?1", -1, &del, NULL);
  sqlite3_bind_int64 (del, 1, cutoff_us);
  if (sqlite3_step (del) != SQLITE_DONE)
    g_message ("Pruning the unobserved spans failed: %s", sqlite3_errmsg (w->db));
  sqlite3_finalize (del);
}

static void
add_unobserved (DrsHistoryWriter *w, gint64 from_us, gint64 to_us)
{
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (w->db, "INSERT INTO unobserved (from_us, to_us) VALUES (?1, ?2)", -1, &stmt,
                      NULL);
  sqlite3_bind_int64 (stmt, 1, from_us);
  sqlite3_bind_int64 (stmt, 2, to_us);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_message ("Could not record an unobserved span: %s", sqlite3_errmsg (w->db));
  sqlite3_finalize (stmt);
}

static void
forget (DrsHistoryWriter *w, const char *job_id)
{
  gint64        key = lookup_job_key (w, job_id, FALSE);
  sqlite3_stmt *stmt = NULL;

  if (key < 0)
    return;
  sqlite3_prepare_v2 (w->db, "DELETE FROM samples WHERE job = ?1", -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
}

static gpointer
writer_thread (gpointer data)
{
  DrsHistoryWriter *w = data;
  gboolean          quit = FALSE;

  w->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_prepare_v2 (w->db,
                      "INSERT OR REPLACE INTO samples"
                      " (job, time_us, progress, delay_ms, status, struct, data, idx)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                      -1, &w->insert, NULL);

  while (!quit)
    {
      Cmd     *cmd = g_async_queue_pop (w->queue);
      guint64  flushed = 0;
      guint64  written = 0;
      guint    batch = 0;
      gboolean in_transaction = FALSE;

      while (cmd != NULL)
        {
          switch (cmd->kind)
            {
              case CMD_BATCH:
                if (!in_transaction)
                  in_transaction = _drs_history_exec (w->db, "BEGIN IMMEDIATE") == SQLITE_OK;
                for (guint i = 0; i < cmd->batch->len; i++)
                  {
                    if (write_sample (w, &g_array_index (cmd->batch, PendingSample, i)))
                      written++;
                    else
                      g_message ("Could not write a sample: %s", sqlite3_errmsg (w->db));
                  }
                batch += cmd->batch->len;
                break;
              case CMD_FORGET:
                if (!in_transaction)
                  in_transaction = _drs_history_exec (w->db, "BEGIN IMMEDIATE") == SQLITE_OK;
                forget (w, cmd->job_id);
                break;
              case CMD_UNOBSERVED:
                if (!in_transaction)
                  in_transaction = _drs_history_exec (w->db, "BEGIN IMMEDIATE") == SQLITE_OK;
                add_unobserved (w, cmd->cutoff_us, cmd->to_us);
                break;
              case CMD_PRUNE:
                if (in_transaction)
                  _drs_history_exec (w->db, "COMMIT");
                in_transaction = FALSE;
                prune (w, cmd->cutoff_us);
                break;
              case CMD_FLUSH:
                flushed = MAX (flushed, cmd->seq);
                break;
              case CMD_QUIT:
                quit = TRUE;
                break;
              default:
                g_assert_not_reached ();
            }
          cmd_free (cmd);

          if (quit || flushed > 0 || ++batch >= MAX_BATCH)
            break;
          cmd = g_async_queue_try_pop (w->queue);
        }

      if (in_transaction && _drs_history_exec (w->db, "COMMIT") != SQLITE_OK)
        {
          g_message ("Could not commit samples: %s", sqlite3_errmsg (w->db));
          _drs_history_exec (w->db, "ROLLBACK");
          written = 0;
        }

      g_mutex_lock (&w->mutex);
      w->n_written += written;
      if (flushed > w->flush_done)
        w->flush_done = flushed;
      g_cond_broadcast (&w->cond);
      g_mutex_unlock (&w->mutex);
    }

  g_clear_pointer (&w->insert, sqlite3_finalize);
  g_clear_pointer (&w->keys, g_hash_table_unref);
  return NULL;
}

/* Main thread ------------------------------------------------------------------------------- */

static void
hand_over (DrsHistoryWriter *w)
{
  Cmd *cmd;

  if (w->pending->len == 0)
    return;
  cmd = cmd_new (CMD_BATCH);
  cmd->batch = g_steal_pointer (&w->pending);
  w->pending = g_array_sized_new (FALSE, FALSE, sizeof (PendingSample), HANDOVER_MAX);
  g_async_queue_push (w->queue, cmd);
}

static void
cancel_handover (DrsHistoryWriter *w)
{
  if (w->handover_source != NULL)
    {
      g_source_destroy (w->handover_source);
      g_clear_pointer (&w->handover_source, g_source_unref);
    }
}

static gboolean
handover_cb (gpointer data)
{
  DrsHistoryWriter *w = data;

  g_clear_pointer (&w->handover_source, g_source_unref);
  hand_over (w);
  return G_SOURCE_REMOVE;
}

/* Every other command goes after the samples recorded before it. */
static void
push_command (DrsHistoryWriter *w, Cmd *cmd)
{
  cancel_handover (w);
  hand_over (w);
  g_async_queue_push (w->queue, cmd);
}

/* Takes @db, a connection of its own, and starts the thread. */
DrsHistoryWriter *
_drs_history_writer_new (sqlite3 *db)
{
  DrsHistoryWriter *w = g_new0 (DrsHistoryWriter, 1);

  w->db = db;
  w->queue = g_async_queue_new_full ((GDestroyNotify) cmd_free);
  w->pending = g_array_sized_new (FALSE, FALSE, sizeof (PendingSample), HANDOVER_MAX);
  g_mutex_init (&w->mutex);
  g_cond_init (&w->cond);
  w->thread = g_thread_new ("drs-history", writer_thread, w);
  return w;
}

/* Writes what is queued, stops the thread and closes its connection. */
void
_drs_history_writer_free (DrsHistoryWriter *w)
{
  push_command (w, cmd_new (CMD_QUIT));
  g_thread_join (g_steal_pointer (&w->thread));
  cancel_handover (w);
  g_clear_pointer (&w->db, sqlite3_close);
  g_clear_pointer (&w->queue, g_async_queue_unref);
  g_clear_pointer (&w->pending, g_array_unref);
  g_mutex_clear (&w->mutex);
  g_cond_clear (&w->cond);
  g_free (w);
}

/* Queues @sample of @job_id, which must be interned (g_intern_string()). */
void
_drs_history_writer_add (DrsHistoryWriter *w, const char *job_id, const DrsSample *sample)
{
  PendingSample pending = { .job_id = job_id, .sample = *sample };

  g_array_append_val (w->pending, pending);
  if (w->pending->len >= HANDOVER_MAX)
    {
      cancel_handover (w);
      hand_over (w);
    }
  else if (w->handover_source == NULL)
    {
      g_autoptr (GMainContext) context = g_main_context_ref_thread_default ();

      w->handover_source = g_idle_source_new ();
      g_source_set_static_name (w->handover_source, "[drs] history handover");
      g_source_set_callback (w->handover_source, handover_cb, w, NULL);
      g_source_attach (w->handover_source, context);
    }
}

/* Queues the removal of every sample of @job_id. */
void
_drs_history_writer_forget (DrsHistoryWriter *w, const char *job_id)
{
  Cmd *cmd = cmd_new (CMD_FORGET);

  cmd->job_id = g_strdup (job_id);
  push_command (w, cmd);
}

/* Queues a span of time nobody observed. */
void
_drs_history_writer_unobserved (DrsHistoryWriter *w, gint64 from_us, gint64 to_us)
{
  Cmd *cmd = cmd_new (CMD_UNOBSERVED);

  cmd->cutoff_us = from_us;
  cmd->to_us = to_us;
  push_command (w, cmd);
}

/* Queues the removal of the samples, actions and unobserved spans older than @cutoff_us. */
void
_drs_history_writer_prune (DrsHistoryWriter *w, gint64 cutoff_us)
{
  Cmd *cmd = cmd_new (CMD_PRUNE);

  cmd->cutoff_us = cutoff_us;
  push_command (w, cmd);
}

/* Waits until everything queued so far is committed. */
void
_drs_history_writer_flush (DrsHistoryWriter *w)
{
  Cmd    *cmd = cmd_new (CMD_FLUSH);
  guint64 seq = ++w->flush_requested;

  cmd->seq = seq;
  push_command (w, cmd);

  g_mutex_lock (&w->mutex);
  while (w->flush_done < seq)
    g_cond_wait (&w->cond, &w->mutex);
  g_mutex_unlock (&w->mutex);
}

guint64
_drs_history_writer_get_n_written (DrsHistoryWriter *w)
{
  guint64 n;

  g_mutex_lock (&w->mutex);
  n = w->n_written;
  g_mutex_unlock (&w->mutex);
  return n;
}

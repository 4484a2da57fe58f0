/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-history"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "drs-error.h"
#include "drs-history-private.h"

/**
 * DrsHistory:
 *
 * The watched tasks and their samples, in one SQLite database (WAL) that survives restarts and
 * crashes. Samples are written by a thread of their own, in one transaction per batch:
 * drs_history_record() costs the main loop a hash lookup and an append to a batch that is handed
 * to the writer at the end of the main loop iteration, so it never waits for the disk or for a
 * lock the writer holds. Queries and
 * the (rare, user-driven) watched-job edits use a second connection on the calling thread; WAL
 * lets them read while the writer writes.
 *
 * Schema versions (PRAGMA user_version):
 *  1. watched (id, name, added_us); samples keyed by the job id text.
 *  2. watched gains account; job ids move to a `jobs` table and samples are keyed by
 *     (job key, time) WITHOUT ROWID, a third of the size; struct/data/index completion.
 *  3. actions: what the user did to a task (pause, resume, retry), when, with which account and
 *     with what outcome (drs-history-actions.c).
 */

/* Two samples further apart than this have a gap between them (3 × the keep-alive period). */
#define GAP_US (3 * DRS_HISTORY_KEEPALIVE_US)
/* A quick_check at open is affordable below this size. */
#define QUICK_CHECK_MAX_BYTES ((goffset) 32 * 1024 * 1024)
/* Bounds one write transaction, so a queue backlog never holds the write lock for long. */
#define MAX_BATCH 5000

typedef enum
{
  CMD_BATCH,
  CMD_PRUNE,
  CMD_FORGET,
  CMD_FLUSH,
  CMD_QUIT,
} CmdKind;

typedef struct
{
  CmdKind   kind;
  char     *job_id;
  DrsSample sample;
  gint64    cutoff_us;
  guint64   seq;
  GArray   *batch; /* CMD_BATCH: PendingSample */
} Cmd;

/* A sample waiting to be handed to the writer: the id is interned, so recording allocates
 * nothing per sample that the writer thread would have to free. */
typedef struct
{
  const char *job_id;
  DrsSample   sample;
} PendingSample;

struct _DrsHistory
{
  GObject parent_instance;

  char        *path;
  sqlite3     *db;  /* main thread: queries and watched jobs */
  sqlite3     *wdb; /* writer thread */
  GThread     *writer;
  GAsyncQueue *queue;   /* Cmd */
  GHashTable  *last;    /* job id → DrsSample, main thread only */
  GArray      *pending; /* PendingSample recorded but not handed to the writer yet */
  GSource     *handover_source;
  guint        retention_days;

  GMutex  mutex;
  GCond   cond;
  guint64 flush_requested; /* main thread */
  guint64 flush_done;      /* under mutex */
  guint64 n_written;       /* under mutex */
};

G_DEFINE_FINAL_TYPE (DrsHistory, drs_history, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RETENTION_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char schema_v2[] = "CREATE TABLE IF NOT EXISTS watched ("
                                "  id TEXT PRIMARY KEY NOT NULL,"
                                "  name TEXT,"
                                "  account TEXT,"
                                "  added_us INTEGER NOT NULL);"
                                "CREATE TABLE IF NOT EXISTS jobs ("
                                "  key INTEGER PRIMARY KEY,"
                                "  id TEXT NOT NULL UNIQUE);"
                                "CREATE TABLE IF NOT EXISTS samples ("
                                "  job INTEGER NOT NULL,"
                                "  time_us INTEGER NOT NULL,"
                                "  progress REAL,"
                                "  delay_ms INTEGER,"
                                "  status INTEGER NOT NULL,"
                                "  struct REAL,"
                                "  data REAL,"
                                "  idx REAL,"
                                "  PRIMARY KEY (job, time_us)) WITHOUT ROWID;";

static const char migrate_v1_v2[] =
    "ALTER TABLE watched ADD COLUMN account TEXT;"
    "ALTER TABLE samples RENAME TO samples_v1;"
    "CREATE TABLE jobs ("
    "  key INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE);"
    "CREATE TABLE samples ("
    "  job INTEGER NOT NULL,"
    "  time_us INTEGER NOT NULL,"
    "  progress REAL,"
    "  delay_ms INTEGER,"
    "  status INTEGER NOT NULL,"
    "  struct REAL,"
    "  data REAL,"
    "  idx REAL,"
    "  PRIMARY KEY (job, time_us)) WITHOUT ROWID;"
    "INSERT INTO jobs (id) SELECT DISTINCT job_id FROM samples_v1;"
    "INSERT OR REPLACE INTO samples (job, time_us, progress, delay_ms, status)"
    "  SELECT j.key, s.time_us, s.progress, s.delay_ms, s.status"
    "  FROM samples_v1 s JOIN jobs j ON j.id = s.job_id;"
    "DROP TABLE samples_v1;";

static const char migrate_v2_v3[] = "CREATE TABLE IF NOT EXISTS actions ("
                                    "  time_us INTEGER NOT NULL,"
                                    "  job_id TEXT NOT NULL,"
                                    "  account TEXT,"
                                    "  action TEXT NOT NULL,"
                                    "  pause_mode TEXT,"
                                    "  outcome TEXT NOT NULL,"
                                    "  error_code TEXT,"
                                    "  error_msg TEXT);"
                                    "CREATE INDEX IF NOT EXISTS actions_by_job"
                                    "  ON actions (job_id, time_us);";

static void
cmd_free (Cmd *cmd)
{
  g_clear_pointer (&cmd->batch, g_array_unref);
  g_free (cmd->job_id);
  g_free (cmd);
}

void
drs_watched_job_free (DrsWatchedJob *watched)
{
  if (watched == NULL)
    return;
  g_free (watched->id);
  g_free (watched->name);
  g_free (watched->account);
  g_free (watched);
}

static gboolean
is_damage (int rc)
{
  rc &= 0xff;
  return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static void
set_sqlite_error (GError **error, sqlite3 *db, const char *path, const char *what)
{
  /* Translators: the first %s is an action ("read the history"), the second a file name, the
   * third SQLite's own explanation */
  g_set_error (error, DRS_ERROR, DRS_ERROR_STORAGE, _ ("Could not %s in %s: %s"), what, path,
               db != NULL ? sqlite3_errmsg (db) : "?");
}

static int
exec (sqlite3 *db, const char *sql)
{
  return sqlite3_exec (db, sql, NULL, NULL, NULL);
}

static int
configure_connection (sqlite3 *db)
{
  int rc;

  sqlite3_busy_timeout (db, 5000);
  rc = exec (db, "PRAGMA journal_mode=WAL");
  if (rc == SQLITE_OK)
    rc = exec (db, "PRAGMA synchronous=NORMAL");
  return rc;
}

static int
get_user_version (sqlite3 *db, int *version)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *version = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);
  return rc;
}

static int
migrate (sqlite3 *db, int version)
{
  g_autofree char *set_version = NULL;
  int              rc;

  rc = exec (db, "BEGIN IMMEDIATE");
  if (rc != SQLITE_OK)
    return rc;

  /* Another process may have migrated while we waited for the lock. */
  rc = get_user_version (db, &version);
  if (rc == SQLITE_OK && version == 0)
    rc = exec (db, schema_v2);
  else if (rc == SQLITE_OK && version == 1)
    rc = exec (db, migrate_v1_v2);
  if (rc == SQLITE_OK && version < 3)
    rc = exec (db, migrate_v2_v3);

  if (rc == SQLITE_OK && version < DRS_HISTORY_SCHEMA_VERSION)
    {
      set_version = g_strdup_printf ("PRAGMA user_version=%d", DRS_HISTORY_SCHEMA_VERSION);
      rc = exec (db, set_version);
    }

  if (rc == SQLITE_OK)
    rc = exec (db, "COMMIT");
  else
    exec (db, "ROLLBACK");
  return rc;
}

/* Reads every table once, so a damaged file shows here and not at the first chart. */
static int
check_readable (sqlite3 *db, const char *path)
{
  static const char *const probes[] = {
    "SELECT count(*) FROM watched",
    "SELECT count(*) FROM jobs",
    "SELECT max(time_us) FROM samples",
    "SELECT count(*) FROM actions",
  };
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInfo) info = NULL;
  int rc = SQLITE_OK;

  for (guint i = 0; i < G_N_ELEMENTS (probes) && rc == SQLITE_OK; i++)
    rc = exec (db, probes[i]);

  info =
      g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (rc == SQLITE_OK && info != NULL && g_file_info_get_size (info) <= QUICK_CHECK_MAX_BYTES)
    {
      sqlite3_stmt *stmt = NULL;

      rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
      if (rc == SQLITE_OK)
        {
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            {
              const char *result = (const char *) sqlite3_column_text (stmt, 0);

              rc = g_strcmp0 (result, "ok") == 0 ? SQLITE_OK : SQLITE_CORRUPT;
            }
        }
      sqlite3_finalize (stmt);
    }
  return rc;
}

static char *
move_aside (const char *path, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char         *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char         *aside = NULL;
  static const char *const suffixes[] = { "-wal", "-shm", "-journal" };

  aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS); n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved = errno;

      g_set_error (error, DRS_ERROR, DRS_ERROR_STORAGE,
                   _ ("The history database %s is damaged and could not be moved aside: %s. "
                      "Move or delete it, then start DRS Monitor again."),
                   path, g_strerror (saved));
      return NULL;
    }

  /* Keep the WAL with its database: it may hold the newest samples. */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (aside, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  return g_steal_pointer (&aside);
}

static sqlite3 *
open_connection (const char *path, int *rc_out)
{
  sqlite3 *db = NULL;
  int      rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc == SQLITE_OK)
    rc = configure_connection (db);
  *rc_out = rc;
  return db;
}

static gboolean
handle_open_failure (const char *path, sqlite3 **db, int rc, GError **error)
{
  if (is_damage (rc))
    {
      g_autoptr (GError) local_error = NULL;
      g_autofree char *aside = NULL;

      g_clear_pointer (db, sqlite3_close);
      aside = move_aside (path, &local_error);
      if (aside == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_set_error (error, DRS_ERROR, DRS_ERROR_STORAGE,
                   _ ("The history database was damaged and has been moved to %s. "
                      "A new, empty history has been started; the watched tasks and samples "
                      "in the damaged file were not read."),
                   aside);
      return FALSE;
    }

  set_sqlite_error (error, *db, path, _ ("read the history"));
  g_clear_pointer (db, sqlite3_close);
  return FALSE;
}

static gint64
lookup_job_key (DrsHistory *self, GHashTable *keys, const char *job_id, gboolean create)
{
  sqlite3_stmt *stmt = NULL;
  gint64        key = -1;

  if (keys != NULL)
    {
      gpointer value;

      if (g_hash_table_lookup_extended (keys, job_id, NULL, &value))
        return GPOINTER_TO_SIZE (value);
    }

  sqlite3_prepare_v2 (self->wdb, "SELECT key FROM jobs WHERE id = ?1", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    key = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  if (key < 0 && create)
    {
      sqlite3_prepare_v2 (self->wdb, "INSERT INTO jobs (id) VALUES (?1)", -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_DONE)
        key = sqlite3_last_insert_rowid (self->wdb);
      sqlite3_finalize (stmt);
    }

  if (key >= 0 && keys != NULL)
    g_hash_table_insert (keys, g_strdup (job_id), GSIZE_TO_POINTER ((gsize) key));
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

typedef struct
{
  sqlite3_stmt *insert;
  GHashTable   *keys; /* job id → key */
} Writer;

static gboolean
write_sample (DrsHistory *self, Writer *w, const PendingSample *pending)
{
  gint64           key = lookup_job_key (self, w->keys, pending->job_id, TRUE);
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
prune (DrsHistory *self, gint64 cutoff_us)
{
  sqlite3_stmt *keys = NULL;
  sqlite3_stmt *del = NULL;
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));

  sqlite3_prepare_v2 (self->wdb, "SELECT key FROM jobs", -1, &keys, NULL);
  while (sqlite3_step (keys) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (keys, 0);

      g_array_append_val (all, key);
    }
  sqlite3_finalize (keys);

  /* One short transaction per task, through the primary key: the lock is never held long. */
  sqlite3_prepare_v2 (self->wdb, "DELETE FROM samples WHERE job = ?1 AND time_us < ?2", -1, &del,
                      NULL);
  for (guint i = 0; i < all->len; i++)
    {
      sqlite3_reset (del);
      sqlite3_bind_int64 (del, 1, g_array_index (all, gint64, i));
      sqlite3_bind_int64 (del, 2, cutoff_us);
      if (sqlite3_step (del) != SQLITE_DONE)
        g_message ("Pruning the history failed: %s", sqlite3_errmsg (self->wdb));
    }
  sqlite3_finalize (del);

  sqlite3_prepare_v2 (self->wdb, "DELETE FROM actions WHERE time_us < ?1", -1, &del, NULL);
  sqlite3_bind_int64 (del, 1, cutoff_us);
  if (sqlite3_step (del) != SQLITE_DONE)
    g_message ("Pruning the actions failed: %s", sqlite3_errmsg (self->wdb));
  sqlite3_finalize (del);
}

static void
forget (DrsHistory *self, Writer *w, const char *job_id)
{
  gint64        key = lookup_job_key (self, w->keys, job_id, FALSE);
  sqlite3_stmt *stmt = NULL;

  if (key < 0)
    return;
  sqlite3_prepare_v2 (self->wdb, "DELETE FROM samples WHERE job = ?1", -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, key);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
}

static gpointer
writer_thread (gpointer data)
{
  DrsHistory *self = data;
  Writer      w = { 0 };
  gboolean    quit = FALSE;

  w.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_prepare_v2 (self->wdb,
                      "INSERT OR REPLACE INTO samples"
                      " (job, time_us, progress, delay_ms, status, struct, data, idx)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                      -1, &w.insert, NULL);

  while (!quit)
    {
      Cmd     *cmd = g_async_queue_pop (self->queue);
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
                  in_transaction = exec (self->wdb, "BEGIN IMMEDIATE") == SQLITE_OK;
                for (guint i = 0; i < cmd->batch->len; i++)
                  {
                    if (write_sample (self, &w, &g_array_index (cmd->batch, PendingSample, i)))
                      written++;
                    else
                      g_message ("Could not write a sample: %s", sqlite3_errmsg (self->wdb));
                  }
                batch += cmd->batch->len;
                break;
              case CMD_FORGET:
                if (!in_transaction)
                  in_transaction = exec (self->wdb, "BEGIN IMMEDIATE") == SQLITE_OK;
                forget (self, &w, cmd->job_id);
                break;
              case CMD_PRUNE:
                if (in_transaction)
                  exec (self->wdb, "COMMIT");
                in_transaction = FALSE;
                prune (self, cmd->cutoff_us);
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
          cmd = g_async_queue_try_pop (self->queue);
        }

      if (in_transaction && exec (self->wdb, "COMMIT") != SQLITE_OK)
        {
          g_message ("Could not commit samples: %s", sqlite3_errmsg (self->wdb));
          exec (self->wdb, "ROLLBACK");
          written = 0;
        }

      g_mutex_lock (&self->mutex);
      self->n_written += written;
      if (flushed > self->flush_done)
        self->flush_done = flushed;
      g_cond_broadcast (&self->cond);
      g_mutex_unlock (&self->mutex);
    }

  sqlite3_finalize (w.insert);
  g_hash_table_unref (w.keys);
  return NULL;
}

/* Samples are handed to the writer in batches (at the end of the main loop iteration, or
 * every HANDOVER_MAX samples), so recording one takes no lock the writer thread may hold. */
#define HANDOVER_MAX 256

static void
hand_over (DrsHistory *self)
{
  Cmd *cmd;

  if (self->pending->len == 0)
    return;
  cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_BATCH;
  cmd->batch = g_steal_pointer (&self->pending);
  self->pending = g_array_sized_new (FALSE, FALSE, sizeof (PendingSample), HANDOVER_MAX);
  g_async_queue_push (self->queue, cmd);
}

static gboolean
handover_cb (gpointer data)
{
  DrsHistory *self = data;

  g_clear_pointer (&self->handover_source, g_source_unref);
  hand_over (self);
  return G_SOURCE_REMOVE;
}

static void
cancel_handover (DrsHistory *self)
{
  if (self->handover_source != NULL)
    {
      g_source_destroy (self->handover_source);
      g_clear_pointer (&self->handover_source, g_source_unref);
    }
}

/* Every other command goes after the samples recorded before it. */
static void
push_command (DrsHistory *self, Cmd *cmd)
{
  cancel_handover (self);
  hand_over (self);
  g_async_queue_push (self->queue, cmd);
}

static void
drs_history_dispose (GObject *object)
{
  DrsHistory *self = (DrsHistory *) object;

  if (self->writer != NULL)
    {
      Cmd *cmd = g_new0 (Cmd, 1);

      cmd->kind = CMD_QUIT;
      push_command (self, cmd);
      g_thread_join (g_steal_pointer (&self->writer));
    }
  cancel_handover (self);
  g_clear_pointer (&self->wdb, sqlite3_close);
  g_clear_pointer (&self->db, sqlite3_close);

  G_OBJECT_CLASS (drs_history_parent_class)->dispose (object);
}

static void
drs_history_finalize (GObject *object)
{
  DrsHistory *self = (DrsHistory *) object;

  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->last, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

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
  self->queue = g_async_queue_new_full ((GDestroyNotify) cmd_free);
  self->pending = g_array_sized_new (FALSE, FALSE, sizeof (PendingSample), HANDOVER_MAX);
  self->last = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->retention_days = 30;
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
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
  sqlite3         *db = NULL;
  int              version = 0;
  int              rc;

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

  db = open_connection (path, &rc);
  if (db == NULL || rc == SQLITE_CANTOPEN || rc == SQLITE_PERM || rc == SQLITE_READONLY)
    {
      set_sqlite_error (error, db, path, _ ("open the history"));
      g_clear_pointer (&db, sqlite3_close);
      return NULL;
    }
  if (rc == SQLITE_OK)
    rc = get_user_version (db, &version);
  if (rc != SQLITE_OK)
    {
      handle_open_failure (path, &db, rc, error);
      return NULL;
    }

  if (version > DRS_HISTORY_SCHEMA_VERSION)
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_STORAGE,
                   _ ("The history database %s was written by a newer version of DRS Monitor "
                      "(format %d; this version reads up to %d). Update DRS Monitor to use it."),
                   path, version, DRS_HISTORY_SCHEMA_VERSION);
      sqlite3_close (db);
      return NULL;
    }

  if (version < DRS_HISTORY_SCHEMA_VERSION)
    {
      g_debug ("Migrating %s from schema %d to %d", path, version, DRS_HISTORY_SCHEMA_VERSION);
      rc = migrate (db, version);
    }
  if (rc == SQLITE_OK)
    rc = check_readable (db, path);
  if (rc != SQLITE_OK)
    {
      handle_open_failure (path, &db, rc, error);
      return NULL;
    }

  self = g_object_new (DRS_TYPE_HISTORY, NULL);
  self->path = g_strdup (path);
  self->db = db;

  self->wdb = open_connection (path, &rc);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->wdb, path, _ ("open the history"));
      return NULL;
    }

  self->writer = g_thread_new ("drs-history", writer_thread, self);
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
  set_sqlite_error (error, self->db, self->path, what);
}

const char *
drs_history_get_path (DrsHistory *self)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), NULL);
  return self->path;
}

static gboolean
run_statement (
    DrsHistory *self, const char *sql, const char *what, GError **error, const char *first, ...)
{
  sqlite3_stmt *stmt = NULL;
  va_list       args;
  int           rc;
  int           column = 1;

  rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, self->path, what);
      return FALSE;
    }

  va_start (args, first);
  for (const char *text = first; column <= sqlite3_bind_parameter_count (stmt); column++)
    {
      if (column > 1)
        text = va_arg (args, const char *);
      sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
    }
  va_end (args);

  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, self->path, what);
      return FALSE;
    }
  return TRUE;
}

/**
 * drs_history_add_watched:
 * @name: (nullable): the name to show
 * @account: (nullable): the account to poll with; %NULL for the default one
 *
 * Adds a task to the watched list, or updates its name and account if it is there already
 * (keeping the time it was first added).
 *
 * Returns: %TRUE on success
 */
gboolean
drs_history_add_watched (
    DrsHistory *self, const char *job_id, const char *name, const char *account, GError **error)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  if (name != NULL && *name == '\0')
    name = NULL;
  now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time ());
  return run_statement (self,
                        "INSERT INTO watched (id, name, account, added_us)"
                        " VALUES (?1, ?2, ?3, CAST(?4 AS INTEGER))"
                        " ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                        " account = excluded.account",
                        _ ("save the watched task"), error, job_id, name, account, now);
}

/**
 * drs_history_remove_watched:
 *
 * Removes a task from the watched list and forgets its samples.
 *
 * Returns: %TRUE on success (also if the task was not watched)
 */
gboolean
drs_history_remove_watched (DrsHistory *self, const char *job_id, GError **error)
{
  Cmd *cmd;

  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  if (!run_statement (self, "DELETE FROM watched WHERE id = ?1", _ ("remove the watched task"),
                      error, job_id))
    return FALSE;

  g_hash_table_remove (self->last, job_id);
  cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_FORGET;
  cmd->job_id = g_strdup (job_id);
  push_command (self, cmd);
  return TRUE;
}

/**
 * drs_history_rename_watched:
 * @name: (nullable): the new name; %NULL or empty to show the id
 *
 * Returns: %TRUE on success
 */
gboolean
drs_history_rename_watched (DrsHistory *self, const char *job_id, const char *name, GError **error)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  if (name != NULL && *name == '\0')
    name = NULL;
  return run_statement (self, "UPDATE watched SET name = ?2 WHERE id = ?1",
                        _ ("rename the watched task"), error, job_id, name);
}

static char *
dup_column_text (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/**
 * drs_history_list_watched:
 *
 * Returns: (transfer full) (element-type DrsWatchedJob) (nullable): the watched tasks in the
 *   order they were added
 */
GPtrArray *
drs_history_list_watched (DrsHistory *self, GError **error)
{
  g_autoptr (GPtrArray) list = NULL;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  g_return_val_if_fail (DRS_IS_HISTORY (self), NULL);

  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT id, name, account, added_us FROM watched"
                           " ORDER BY added_us, id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, self->path, _ ("read the watched tasks"));
      return NULL;
    }

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_watched_job_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DrsWatchedJob *watched = g_new0 (DrsWatchedJob, 1);

      watched->id = dup_column_text (stmt, 0);
      watched->name = dup_column_text (stmt, 1);
      watched->account = dup_column_text (stmt, 2);
      watched->added_us = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (list, watched);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, self->path, _ ("read the watched tasks"));
      return NULL;
    }
  return g_steal_pointer (&list);
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
  DrsSample    *last;
  gpointer      key;
  PendingSample pending;

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

  pending.job_id = key;
  pending.sample = *sample;
  g_array_append_val (self->pending, pending);
  if (self->pending->len >= HANDOVER_MAX)
    {
      cancel_handover (self);
      hand_over (self);
    }
  else if (self->handover_source == NULL)
    {
      g_autoptr (GMainContext) context = g_main_context_ref_thread_default ();

      self->handover_source = g_idle_source_new ();
      g_source_set_static_name (self->handover_source, "[drs] history handover");
      g_source_set_callback (self->handover_source, handover_cb, self, NULL);
      g_source_attach (self->handover_source, context);
    }
  return TRUE;
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
  Cmd    *cmd;
  guint64 seq;

  g_return_if_fail (DRS_IS_HISTORY (self));

  seq = ++self->flush_requested;
  cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_FLUSH;
  cmd->seq = seq;
  push_command (self, cmd);

  g_mutex_lock (&self->mutex);
  while (self->flush_done < seq)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);
}

guint64
drs_history_get_n_written (DrsHistory *self)
{
  guint64 n;

  g_return_val_if_fail (DRS_IS_HISTORY (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_written;
  g_mutex_unlock (&self->mutex);
  return n;
}

static double
column_double (sqlite3_stmt *stmt, int column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return DRS_UNKNOWN;
  return sqlite3_column_double (stmt, column);
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
downsample (GArray *rows, guint n_buckets)
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
      gboolean         gap_before = i > 0 && row->time_us - row[-1].time_us > GAP_US;

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
query_db (sqlite3    *db,
          const char *path,
          const char *job_id,
          gint64      from_us,
          gint64      to_us,
          guint       max_points,
          GError    **error)
{
  g_autoptr (GArray) rows = NULL;
  sqlite3_stmt *stmt = NULL;
  guint         n_gaps = 0;
  GArray       *out;
  int           rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT time_us, progress, delay_ms, status, struct, data, idx"
                           " FROM samples WHERE job = (SELECT key FROM jobs WHERE id = ?1)"
                           " AND time_us BETWEEN ?2 AND ?3 ORDER BY time_us",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, path, _ ("read the history"));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, from_us);
  sqlite3_bind_int64 (stmt, 3, to_us);

  rows = g_array_new (FALSE, FALSE, sizeof (DrsSample));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DrsSample s = { 0 };

      s.time_us = sqlite3_column_int64 (stmt, 0);
      s.progress = column_double (stmt, 1);
      s.delay_ms = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? DRS_UNKNOWN
                                                                : sqlite3_column_int64 (stmt, 2);
      s.status = sqlite3_column_int (stmt, 3);
      for (guint i = 0; i < 3; i++)
        s.phases[i] = column_double (stmt, 4 + i);
      if (rows->len > 0 &&
          s.time_us - g_array_index (rows, DrsSample, rows->len - 1).time_us > GAP_US)
        n_gaps++;
      g_array_append_val (rows, s);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, db, path, _ ("read the history"));
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

          if (i > 0 && row->time_us - row[-1].time_us > GAP_US)
            append_gap (out, row[-1].time_us, row->time_us);
          g_array_append_val (out, *row);
        }
      return out;
    }

  /* Room for the gap markers first; halve until the points fit. */
  for (guint buckets = MAX (max_points > 2 * n_gaps ? max_points - n_gaps : max_points / 2, 1);;
       buckets = MAX (buckets / 2, 1))
    {
      out = downsample (rows, buckets);
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
 * @from_us: start of the range, wall-clock microseconds
 * @to_us: end of the range (inclusive)
 * @max_points: the most points to return; 0 for all
 *
 * Reads a task's samples in a time range for a chart, downsampled to at most @max_points
 * points when there are more. Stretches with no samples (longer than three keep-alive periods)
 * are marked with a #DrsSample whose @gap is %TRUE.
 *
 * Returns: (transfer full) (element-type DrsSample) (nullable): the points in time order
 */
GArray *
drs_history_query (DrsHistory *self,
                   const char *job_id,
                   gint64      from_us,
                   gint64      to_us,
                   guint       max_points,
                   GError    **error)
{
  g_return_val_if_fail (DRS_IS_HISTORY (self), NULL);
  g_return_val_if_fail (job_id != NULL, NULL);

  return query_db (self->db, self->path, job_id, from_us, to_us, max_points, error);
}

typedef struct
{
  char  *path;
  char  *job_id;
  gint64 from_us;
  gint64 to_us;
  guint  max_points;
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
      set_sqlite_error (&error, db, data->path, _ ("read the history"));
      sqlite3_close (db);
      g_task_return_error (task, error);
      return;
    }
  sqlite3_busy_timeout (db, 5000);
  points =
      query_db (db, data->path, data->job_id, data->from_us, data->to_us, data->max_points, &error);
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
                         gint64              from_us,
                         gint64              to_us,
                         guint               max_points,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  QueryData *data;

  g_return_if_fail (DRS_IS_HISTORY (self));
  g_return_if_fail (job_id != NULL);

  data = g_new0 (QueryData, 1);
  data->path = g_strdup (self->path);
  data->job_id = g_strdup (job_id);
  data->from_us = from_us;
  data->to_us = to_us;
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

  sqlite3_prepare_v2 (self->db,
                      "SELECT time_us, progress, delay_ms, status, struct, data, idx FROM samples"
                      " WHERE job = (SELECT key FROM jobs WHERE id = ?1)"
                      " ORDER BY time_us DESC LIMIT 1",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, job_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      memset (sample, 0, sizeof *sample);
      sample->time_us = sqlite3_column_int64 (stmt, 0);
      sample->progress = column_double (stmt, 1);
      sample->delay_ms = sqlite3_column_type (stmt, 2) == SQLITE_NULL
                             ? DRS_UNKNOWN
                             : sqlite3_column_int64 (stmt, 2);
      sample->status = sqlite3_column_int (stmt, 3);
      for (guint i = 0; i < 3; i++)
        sample->phases[i] = column_double (stmt, 4 + i);
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
  Cmd *cmd;

  g_return_if_fail (DRS_IS_HISTORY (self));

  cmd = g_new0 (Cmd, 1);
  cmd->kind = CMD_PRUNE;
  cmd->cutoff_us = now_us - (gint64) self->retention_days * 24 * 3600 * G_USEC_PER_SEC;
  push_command (self, cmd);
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

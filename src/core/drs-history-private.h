/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "drs-history.h"

G_BEGIN_DECLS

/*
 * What the files of DrsHistory share:
 *   drs-history.c          the object, recording samples, the queries charts use, retention
 *   drs-history-schema.c   opening the database: schema, migrations, damaged files
 *   drs-history-writer.c   the thread that writes samples (no GObject)
 *   drs-history-watched.c  the watched tasks
 *   drs-history-actions.c  the actions taken on tasks
 */

typedef struct _DrsHistoryWriter DrsHistoryWriter;

/* drs-history.c */
/* clang-format off */
sqlite3 *_drs_history_get_db         (DrsHistory  *self);
void     _drs_history_set_error      (DrsHistory  *self,
                                      GError     **error,
                                      const char  *what);
void     _drs_history_forget_samples (DrsHistory  *self,
                                      const char  *job_id);
/* clang-format on */

/* drs-history-schema.c */
/* clang-format off */
sqlite3 *_drs_history_open_database    (const char    *path,
                                        GError       **error);
sqlite3 *_drs_history_connect          (const char    *path,
                                        GError       **error);
int      _drs_history_exec             (sqlite3       *db,
                                        const char    *sql);
void     _drs_history_set_sqlite_error (GError       **error,
                                        sqlite3       *db,
                                        const char    *path,
                                        const char    *what);
char    *_drs_history_dup_text         (sqlite3_stmt  *stmt,
                                        int            column);
/* clang-format on */

/* drs-history-writer.c */
/* clang-format off */
DrsHistoryWriter *_drs_history_writer_new           (sqlite3          *db);
void              _drs_history_writer_free          (DrsHistoryWriter *writer);
void              _drs_history_writer_add           (DrsHistoryWriter *writer,
                                                     const char       *job_id,
                                                     const DrsSample  *sample);
void              _drs_history_writer_forget        (DrsHistoryWriter *writer,
                                                     const char       *job_id);
void              _drs_history_writer_prune         (DrsHistoryWriter *writer,
                                                     gint64            cutoff_us);
void              _drs_history_writer_unobserved    (DrsHistoryWriter *writer,
                                                     gint64            from_us,
                                                     gint64            to_us);
void              _drs_history_writer_flush         (DrsHistoryWriter *writer);
guint64           _drs_history_writer_get_n_written (DrsHistoryWriter *writer);
/* clang-format on */

G_END_DECLS

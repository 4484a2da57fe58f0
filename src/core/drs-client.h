/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-credentials.h"
#include "drs-progress-parser.h"
#include "drs-progress-result.h"
#include "drs-task-action.h"

G_BEGIN_DECLS

#define DRS_CLIENT_DEFAULT_CONCURRENCY 4
#define DRS_CLIENT_DEFAULT_BATCH_SIZE 10
#define DRS_CLIENT_DEFAULT_TIMEOUT 30

/**
 * DrsJobInfo:
 *
 * One task from the job list (FACTS §7).
 */
typedef struct
{
  char *id;
  char *name;
  char *status;
  char *engine_type;
  char *db_use_type;
  char *create_time;
} DrsJobInfo;

#define DRS_TYPE_CLIENT (drs_client_get_type ())

G_DECLARE_FINAL_TYPE (DrsClient, drs_client, DRS, CLIENT, GObject)

/* clang-format off */
void                drs_job_info_free                      (DrsJobInfo           *info);

DrsClient          *drs_client_new                         (const char           *endpoint,
                                                            const char           *project_id,
                                                            DrsCredentials       *credentials,
                                                            GError              **error);
const char         *drs_client_get_endpoint                (DrsClient            *self);
const char         *drs_client_get_project_id              (DrsClient            *self);
DrsCredentials     *drs_client_get_credentials             (DrsClient            *self);
const char         *drs_client_get_language                (DrsClient            *self);
void                drs_client_set_language                (DrsClient            *self,
                                                            const char           *x_language);
guint               drs_client_get_concurrency             (DrsClient            *self);
void                drs_client_set_concurrency             (DrsClient            *self,
                                                            guint                 n);
guint               drs_client_get_batch_size              (DrsClient            *self);
void                drs_client_set_batch_size              (DrsClient            *self,
                                                            guint                 n);
guint               drs_client_get_timeout                 (DrsClient            *self);
void                drs_client_set_timeout                 (DrsClient            *self,
                                                            guint                 seconds);
gsize               drs_client_get_max_response_size       (DrsClient            *self);
void                drs_client_set_max_response_size       (DrsClient            *self,
                                                            gsize                 bytes);
gboolean            drs_client_set_ca_file                 (DrsClient            *self,
                                                            const char           *path,
                                                            GError              **error);

void                drs_client_query_progress_async        (DrsClient            *self,
                                                            const char * const   *job_ids,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
DrsProgressResult  *drs_client_query_progress_finish       (DrsClient            *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

void                drs_client_list_jobs_async             (DrsClient            *self,
                                                            const char           *db_use_type,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GPtrArray          *drs_client_list_jobs_finish            (DrsClient            *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

void                drs_client_act_async                   (DrsClient              *self,
                                                            const DrsActionRequest *request,
                                                            GCancellable           *cancellable,
                                                            GAsyncReadyCallback     callback,
                                                            gpointer                user_data);
DrsActionResult    *drs_client_act_finish                  (DrsClient            *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                drs_client_pause_tasks_async           (DrsClient            *self,
                                                            const char * const   *job_ids,
                                                            DrsPauseMode          mode,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
void                drs_client_retry_tasks_async           (DrsClient            *self,
                                                            const char * const   *job_ids,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);

void                drs_client_lookup_project_async        (const char           *iam_endpoint,
                                                            DrsCredentials       *credentials,
                                                            const char           *region,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
char               *drs_client_lookup_project_finish       (GAsyncResult         *result,
                                                            GError              **error);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsJobInfo, drs_job_info_free)

G_END_DECLS

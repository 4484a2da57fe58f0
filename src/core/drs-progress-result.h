/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "drs-progress-parser.h"

G_BEGIN_DECLS

/**
 * DrsBatchError:
 * @job_ids: the ids of the batch that failed
 * @error: why it failed, a %DRS_ERROR (or %G_IO_ERROR_CANCELLED)
 */
typedef struct
{
  GStrv   job_ids;
  GError *error;
} DrsBatchError;

/**
 * DrsProgressResult:
 *
 * The answer to one drs_client_query_progress_async(): for every requested (deduplicated) id
 * either a snapshot (which may carry a per-job error) or the error of its batch.
 */
typedef struct _DrsProgressResult DrsProgressResult;

#define DRS_TYPE_PROGRESS_RESULT (drs_progress_result_get_type ())

/* clang-format off */
void                drs_batch_error_free                   (DrsBatchError        *batch_error);

GType               drs_progress_result_get_type           (void) G_GNUC_CONST;
DrsProgressResult  *drs_progress_result_ref                (DrsProgressResult    *result);
void                drs_progress_result_unref              (DrsProgressResult    *result);
const char *const  *drs_progress_result_get_job_ids        (DrsProgressResult    *result);
const DrsSnapshot  *drs_progress_result_get_snapshot       (DrsProgressResult    *result,
                                                            const char           *job_id);
const GError       *drs_progress_result_get_error          (DrsProgressResult    *result,
                                                            const char           *job_id);
GPtrArray          *drs_progress_result_get_snapshots      (DrsProgressResult    *result);
GPtrArray          *drs_progress_result_get_batch_errors   (DrsProgressResult    *result);
DrsProgressResult  *drs_progress_result_new_from_snapshots (const char * const   *job_ids,
                                                            GPtrArray            *snapshots);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsProgressResult, drs_progress_result_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsBatchError, drs_batch_error_free)

G_END_DECLS

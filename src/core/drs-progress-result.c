/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-error.h"
#include "drs-progress-result-private.h"

/*
 * DrsProgressResult: what one drs_client_query_progress_async() learnt, id by id. The client
 * creates it with the ids asked for, adds snapshots and batch errors as batches come back, and
 * sorts the snapshots into request order once the last one is in; it is read-only after that.
 */

struct _DrsProgressResult
{
  gatomicrefcount ref_count;
  GStrv           job_ids;      /* requested, deduplicated, in request order */
  GHashTable     *order;        /* id → index + 1 */
  GPtrArray      *snapshots;    /* DrsSnapshot, in request order once complete */
  GHashTable     *by_id;        /* id → DrsSnapshot (borrowed) */
  GPtrArray      *batch_errors; /* DrsBatchError */
  GHashTable     *errors;       /* id → GError (borrowed) */
};

G_DEFINE_BOXED_TYPE (DrsProgressResult,
                     drs_progress_result,
                     drs_progress_result_ref,
                     drs_progress_result_unref)

void
drs_batch_error_free (DrsBatchError *batch_error)
{
  if (batch_error == NULL)
    return;
  g_strfreev (batch_error->job_ids);
  g_clear_error (&batch_error->error);
  g_free (batch_error);
}

/**
 * _drs_progress_result_new:
 * @job_ids: the ids asked for; empty ids and repeats are dropped
 *
 * Returns: (transfer full): a result with no answer yet
 */
DrsProgressResult *
_drs_progress_result_new (const char *const *job_ids)
{
  DrsProgressResult *self = g_new0 (DrsProgressResult, 1);
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();

  g_atomic_ref_count_init (&self->ref_count);
  self->order = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; job_ids != NULL && job_ids[i] != NULL; i++)
    {
      if (*job_ids[i] == '\0' || g_hash_table_contains (self->order, job_ids[i]))
        continue;
      g_ptr_array_add (ids, g_strdup (job_ids[i]));
      g_hash_table_insert (self->order, ids->pdata[ids->len - 1], GUINT_TO_POINTER (ids->len));
    }
  g_ptr_array_add (ids, NULL);
  self->job_ids = (GStrv) g_ptr_array_free (g_steal_pointer (&ids), FALSE);

  self->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_snapshot_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->batch_errors = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_batch_error_free);
  self->errors = g_hash_table_new (g_str_hash, g_str_equal);
  return self;
}

DrsProgressResult *
drs_progress_result_ref (DrsProgressResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_atomic_ref_count_inc (&result->ref_count);
  return result;
}

void
drs_progress_result_unref (DrsProgressResult *result)
{
  g_return_if_fail (result != NULL);
  if (!g_atomic_ref_count_dec (&result->ref_count))
    return;
  g_hash_table_unref (result->errors);
  g_ptr_array_unref (result->batch_errors);
  g_hash_table_unref (result->by_id);
  g_ptr_array_unref (result->snapshots);
  g_hash_table_unref (result->order);
  g_strfreev (result->job_ids);
  g_free (result);
}

/**
 * _drs_progress_result_add_snapshot:
 * @snapshot: (transfer full): dropped when its id was not asked for or already has an answer
 */
void
_drs_progress_result_add_snapshot (DrsProgressResult *self, DrsSnapshot *snapshot)
{
  if (!g_hash_table_contains (self->order, snapshot->job_id) ||
      g_hash_table_contains (self->by_id, snapshot->job_id))
    {
      drs_snapshot_free (snapshot);
      return;
    }
  g_ptr_array_add (self->snapshots, snapshot);
  g_hash_table_insert (self->by_id, snapshot->job_id, snapshot);
}

/**
 * _drs_progress_result_add_error:
 * @job_ids: (transfer full): the ids of the failed batch
 * @error: (transfer full): why it failed
 */
void
_drs_progress_result_add_error (DrsProgressResult *self, GStrv job_ids, GError *error)
{
  DrsBatchError *batch_error = g_new0 (DrsBatchError, 1);

  batch_error->job_ids = job_ids;
  batch_error->error = error;
  g_ptr_array_add (self->batch_errors, batch_error);
  for (guint i = 0; job_ids[i] != NULL; i++)
    g_hash_table_insert (self->errors, job_ids[i], error);
}

/**
 * _drs_progress_result_sort:
 *
 * Puts the snapshots in request order, once every batch is in.
 */
void
_drs_progress_result_sort (DrsProgressResult *self)
{
  GPtrArray *sorted =
      g_ptr_array_new_full (self->snapshots->len, (GDestroyNotify) drs_snapshot_free);

  /* The request order, by lookup: linear, where sorting by index was not. */
  for (guint i = 0; self->job_ids[i] != NULL; i++)
    {
      DrsSnapshot *snap = g_hash_table_lookup (self->by_id, self->job_ids[i]);

      if (snap != NULL)
        g_ptr_array_add (sorted, snap);
    }
  g_assert (sorted->len == self->snapshots->len);
  g_ptr_array_set_free_func (self->snapshots, NULL);
  g_ptr_array_unref (self->snapshots);
  self->snapshots = sorted;
}

/**
 * drs_progress_result_new_from_snapshots:
 * @job_ids: (nullable): the ids asked for; %NULL takes the ids of @snapshots
 * @snapshots: (element-type DrsSnapshot): parsed results, copied
 *
 * Builds a result from a saved response, for offline use. An id of @job_ids without a result
 * gets a %DRS_ERROR_PROTOCOL error.
 *
 * Returns: (transfer full): the result
 */
DrsProgressResult *
drs_progress_result_new_from_snapshots (const char *const *job_ids, GPtrArray *snapshots)
{
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) missing = g_ptr_array_new ();
  DrsProgressResult *self;

  if (job_ids == NULL)
    {
      ids = g_ptr_array_new ();
      for (guint i = 0; i < snapshots->len; i++)
        g_ptr_array_add (ids, ((DrsSnapshot *) snapshots->pdata[i])->job_id);
      g_ptr_array_add (ids, NULL);
      job_ids = (const char *const *) ids->pdata;
    }

  self = _drs_progress_result_new (job_ids);
  for (guint i = 0; i < snapshots->len; i++)
    _drs_progress_result_add_snapshot (self, drs_snapshot_copy (snapshots->pdata[i]));

  for (guint i = 0; self->job_ids[i] != NULL; i++)
    if (!g_hash_table_contains (self->by_id, self->job_ids[i]))
      g_ptr_array_add (missing, g_strdup (self->job_ids[i]));
  if (missing->len > 0)
    {
      g_ptr_array_add (missing, NULL);
      _drs_progress_result_add_error (self,
                                      (GStrv) g_ptr_array_free (g_steal_pointer (&missing), FALSE),
                                      g_error_new_literal (DRS_ERROR, DRS_ERROR_PROTOCOL,
                                                           _ ("The response has no result for this "
                                                              "task.")));
    }
  _drs_progress_result_sort (self);
  return self;
}

/**
 * drs_progress_result_get_job_ids:
 *
 * Returns: (transfer none): the ids that were asked for, deduplicated, in the order asked
 */
const char *const *
drs_progress_result_get_job_ids (DrsProgressResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return (const char *const *) result->job_ids;
}

/**
 * drs_progress_result_get_snapshot:
 *
 * Returns: (transfer none) (nullable): what the server said about @job_id; a per-job error
 *   (e.g. `DRS.M05003`, task not found) is in its `error_code`
 */
const DrsSnapshot *
drs_progress_result_get_snapshot (DrsProgressResult *result, const char *job_id)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (job_id != NULL, NULL);
  return g_hash_table_lookup (result->by_id, job_id);
}

/**
 * drs_progress_result_get_error:
 *
 * Returns: (transfer none) (nullable): the error of the batch @job_id was in, when it failed
 */
const GError *
drs_progress_result_get_error (DrsProgressResult *result, const char *job_id)
{
  g_return_val_if_fail (result != NULL, NULL);
  g_return_val_if_fail (job_id != NULL, NULL);
  return g_hash_table_lookup (result->errors, job_id);
}

/**
 * drs_progress_result_get_snapshots:
 *
 * Returns: (transfer none) (element-type DrsSnapshot): the snapshots, in request order
 */
GPtrArray *
drs_progress_result_get_snapshots (DrsProgressResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->snapshots;
}

/**
 * drs_progress_result_get_batch_errors:
 *
 * Returns: (transfer none) (element-type DrsBatchError): one entry per failed batch
 */
GPtrArray *
drs_progress_result_get_batch_errors (DrsProgressResult *result)
{
  g_return_val_if_fail (result != NULL, NULL);
  return result->batch_errors;
}

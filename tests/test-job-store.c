/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>

#include "drs-job-store.h"
#include "drs-test-utils.h"

#define ID_A "8d0e8e36-a618-490d-8a46-8c61ac9jb502"
#define ID_B "edae91cb-5892-49b6-a529-4921fb26jb21"
#define ID_C "f95c5d83-d0c9-42bd-b295-38c31cd1jb15"
#define ID_D "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct
{
  GArray     *changes;  /* Change */
  GHashTable *notifies; /* "id:property" → count */
  guint       n_applied;
  guint       last_applied;
} Recorder;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, Recorder *rec)
{
  Change change = { position, removed, added };

  g_array_append_val (rec->changes, change);
}

static void
applied_cb (DrsJobStore *store, guint n_changed, Recorder *rec)
{
  rec->n_applied++;
  rec->last_applied = n_changed;
}

static void
notify_cb (GObject *object, GParamSpec *pspec, Recorder *rec)
{
  char *key = g_strdup_printf ("%s:%s", drs_job_get_id (DRS_JOB (object)), pspec->name);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (rec->notifies, key));

  g_hash_table_insert (rec->notifies, key, GUINT_TO_POINTER (n + 1));
}

static guint
notifies (Recorder *rec, const char *id, const char *property)
{
  g_autofree char *key = g_strdup_printf ("%s:%s", id, property);

  return GPOINTER_TO_UINT (g_hash_table_lookup (rec->notifies, key));
}

static void
recorder_init (Recorder *rec, DrsJobStore *store)
{
  rec->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  rec->notifies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  rec->n_applied = 0;
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), rec);
  g_signal_connect (store, "applied", G_CALLBACK (applied_cb), rec);
}

static void
recorder_watch (Recorder *rec, DrsJob *job)
{
  g_signal_connect (job, "notify", G_CALLBACK (notify_cb), rec);
}

static void
recorder_reset (Recorder *rec)
{
  g_array_set_size (rec->changes, 0);
  g_hash_table_remove_all (rec->notifies);
  rec->n_applied = 0;
}

static void
recorder_clear (Recorder *rec)
{
  g_clear_pointer (&rec->changes, g_array_unref);
  g_clear_pointer (&rec->notifies, g_hash_table_unref);
}

static void
assert_change (Recorder *rec, guint index, guint position, guint removed, guint added)
{
  Change *c;

  g_assert_cmpuint (index, <, rec->changes->len);
  c = &g_array_index (rec->changes, Change, index);
  g_assert_cmpuint (c->position, ==, position);
  g_assert_cmpuint (c->removed, ==, removed);
  g_assert_cmpuint (c->added, ==, added);
}

static DrsSnapshot *
running_snapshot (const char *id, double progress, gint64 delay_ms)
{
  DrsSnapshot *snap = drs_snapshot_new (id);

  snap->progress = progress;
  snap->delay_ms = delay_ms;
  snap->task_mode = DRS_TASK_MODE_FULL_INCR_TRANS;
  snap->task_mode_raw = g_intern_static_string ("FULL_INCR_TRANS");
  snap->status = DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
  snap->status_raw = g_intern_static_string ("INCRE_TRANSFER_STARTED");
  return snap;
}

static void
test_add_remove (void)
{
  g_autoptr (DrsJobStore) store = drs_job_store_new ();
  static const char *const many[] = { ID_B, ID_A, ID_C, ID_D, NULL };
  static const char *const doomed[] = { ID_A, ID_D, ID_B, "nope", NULL };
  Recorder                 rec;
  DrsJob                  *a, *again;
  guint                    position = 99;

  recorder_init (&rec, store);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == DRS_TYPE_JOB);

  a = drs_job_store_add (store, ID_A, "Orders");
  g_assert_nonnull (a);
  g_assert_cmpstr (drs_job_get_name (a), ==, "Orders");
  g_assert_cmpuint (rec.changes->len, ==, 1);
  assert_change (&rec, 0, 0, 0, 1);

  /* The same id again is the same object, renamed, without items-changed. */
  again = drs_job_store_add (store, ID_A, "Orders (prod)");
  g_assert_true (again == a);
  g_assert_cmpstr (drs_job_get_name (a), ==, "Orders (prod)");
  g_assert_cmpuint (rec.changes->len, ==, 1);

  /* add_many: one signal for the three new ones, existing skipped. */
  g_assert_cmpuint (drs_job_store_add_many (store, many), ==, 3);
  g_assert_cmpuint (rec.changes->len, ==, 2);
  assert_change (&rec, 1, 1, 0, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);
  g_assert_true (drs_job_store_lookup (store, ID_A) == a);
  g_assert_true (drs_job_store_find (store, ID_C, &position));
  g_assert_cmpuint (position, ==, 2);
  g_assert_null (drs_job_store_lookup (store, "nope"));
  g_assert_cmpuint (drs_job_store_add_many (store, many), ==, 0);
  g_assert_cmpuint (rec.changes->len, ==, 2);

  {
    g_autoptr (DrsJob) item = g_list_model_get_item (G_LIST_MODEL (store), 0);

    g_assert_true (item == a);
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (store), 4));
  }

  /* Order is A B C D. Remove C: one row. */
  g_assert_true (drs_job_store_remove (store, ID_C));
  g_assert_false (drs_job_store_remove (store, ID_C));
  assert_change (&rec, 2, 2, 1, 0);

  /* A B D C: removing A, D and B is one contiguous run, so one signal. */
  drs_job_store_add (store, ID_C, NULL);
  recorder_reset (&rec);
  g_assert_cmpuint (drs_job_store_remove_many (store, doomed), ==, 3);
  g_assert_cmpuint (rec.changes->len, ==, 1);
  assert_change (&rec, 0, 0, 3, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_nonnull (drs_job_store_lookup (store, ID_C));
  g_assert_null (drs_job_store_lookup (store, ID_A));

  drs_job_store_remove_all (store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  assert_change (&rec, 1, 0, 1, 0);

  recorder_clear (&rec);
}

static void
test_remove_many_runs (void)
{
  g_autoptr (DrsJobStore) store = drs_job_store_new ();
  static const char *const ids[] = { ID_A, ID_B, ID_C, ID_D, NULL };
  static const char *const doomed[] = { ID_A, ID_C, NULL };
  Recorder                 rec;

  drs_job_store_add_many (store, ids);
  recorder_init (&rec, store);
  g_assert_cmpuint (drs_job_store_remove_many (store, doomed), ==, 2);
  /* Two separate runs, back to front: C at 2, then A at 0. */
  g_assert_cmpuint (rec.changes->len, ==, 2);
  assert_change (&rec, 0, 2, 1, 0);
  assert_change (&rec, 1, 0, 1, 0);
  g_assert_nonnull (drs_job_store_lookup (store, ID_B));
  g_assert_nonnull (drs_job_store_lookup (store, ID_D));
  recorder_clear (&rec);
}

static void
test_apply_in_place (void)
{
  g_autoptr (DrsJobStore) store = drs_job_store_new ();
  g_autoptr (GPtrArray) first = g_ptr_array_new_with_free_func ((GDestroyNotify) drs_snapshot_free);
  g_autoptr (GPtrArray) second =
      g_ptr_array_new_with_free_func ((GDestroyNotify) drs_snapshot_free);
  static const char *const ids[] = { ID_A, ID_B, ID_C, NULL };
  DrsJob                  *a, *b, *c;
  Recorder                 rec;

  drs_job_store_add_many (store, ids);
  a = drs_job_store_lookup (store, ID_A);
  b = drs_job_store_lookup (store, ID_B);
  c = drs_job_store_lookup (store, ID_C);
  recorder_init (&rec, store);
  recorder_watch (&rec, a);
  recorder_watch (&rec, b);
  recorder_watch (&rec, c);

  g_ptr_array_add (first, running_snapshot (ID_A, 40, 1000));
  g_ptr_array_add (first, running_snapshot (ID_B, 70, 0));
  g_ptr_array_add (first, running_snapshot ("ffffffff-ffff-ffff-ffff-ffffffffffff", 1, 1));
  g_assert_cmpuint (drs_job_store_apply (store, first, 1000), ==, 2);
  g_assert_cmpuint (rec.n_applied, ==, 1);
  g_assert_cmpuint (rec.last_applied, ==, 2);
  g_assert_cmpuint (rec.changes->len, ==, 0); /* never items-changed for values */
  g_assert_cmpuint (notifies (&rec, ID_A, "progress"), ==, 1);
  g_assert_cmpuint (notifies (&rec, ID_A, "delay-ms"), ==, 1);
  g_assert_cmpuint (notifies (&rec, ID_A, "status"), ==, 1);
  g_assert_cmpuint (notifies (&rec, ID_C, "progress"), ==, 0);
  g_assert_nonnull (drs_job_store_lookup (store, ID_A));
  g_assert_null (drs_job_store_lookup (store, "ffffffff-ffff-ffff-ffff-ffffffffffff"));

  /* Same values again, only A's delay moved: one notification, one job changed. */
  recorder_reset (&rec);
  g_ptr_array_add (second, running_snapshot (ID_A, 40, 2500));
  g_ptr_array_add (second, running_snapshot (ID_B, 70, 0));
  g_assert_cmpuint (drs_job_store_apply (store, second, 2000), ==, 1);
  g_assert_cmpuint (rec.n_applied, ==, 1);
  g_assert_cmpuint (rec.last_applied, ==, 1);
  g_assert_cmpuint (g_hash_table_size (rec.notifies), ==, 1);
  g_assert_cmpuint (notifies (&rec, ID_A, "delay-ms"), ==, 1);
  g_assert_cmpint (drs_job_get_delay_ms (a), ==, 2500);

  /* Nothing changed at all: no notification, applied (0) still once. */
  recorder_reset (&rec);
  g_assert_cmpuint (drs_job_store_apply (store, second, 3000), ==, 0);
  g_assert_cmpuint (g_hash_table_size (rec.notifies), ==, 0);
  g_assert_cmpuint (rec.n_applied, ==, 1);
  g_assert_cmpuint (rec.last_applied, ==, 0);

  /* Objects were never replaced. */
  g_assert_true (drs_job_store_lookup (store, ID_A) == a);
  g_assert_true (drs_job_store_lookup (store, ID_B) == b);

  g_signal_handlers_disconnect_by_data (a, &rec);
  g_signal_handlers_disconnect_by_data (b, &rec);
  g_signal_handlers_disconnect_by_data (c, &rec);
  recorder_clear (&rec);
}

static void
test_finalize (void)
{
  DrsJobStore *store = drs_job_store_new ();
  DrsJob      *job = g_object_ref (drs_job_store_add (store, ID_A, NULL));

  g_assert_finalize_object (store);
  g_assert_finalize_object (job);
}

/* Under AddressSanitizer, unwind every allocation fully: GLib is built without frame pointers,
 * and LeakSanitizer can only match its own leaks (build-aux/lsan.supp) on whole stacks. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  g_test_add_func ("/job-store/add-remove", test_add_remove);
  g_test_add_func ("/job-store/remove-many-runs", test_remove_many_runs);
  g_test_add_func ("/job-store/apply-in-place", test_apply_in_place);
  g_test_add_func ("/job-store/finalize", test_finalize);

  return g_test_run ();
}

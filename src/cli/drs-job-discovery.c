/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-exporter"

#include "config.h"

#include "drs-job-discovery.h"

/**
 * DrsJobDiscovery:
 *
 * `drs-progress --serve --all-jobs`: keeps a #DrsJobStore equal to the project's job list
 * (FACTS §7, the same listing the app imports from). Lists at once, then every interval after
 * the previous listing ended: new tasks are added with their names, renamed ones renamed, and
 * tasks gone from the list (deleted, released) removed, except those given on the command line
 * (drs_job_discovery_keep()). A failed listing changes nothing. Emits #DrsJobDiscovery::listed
 * after each listing, for the exporter's request counters.
 */

struct _DrsJobDiscovery
{
  GObject parent_instance;

  /* owned */
  DrsJobStore  *store;
  DrsClient    *client;
  DrsClock     *clock;
  char         *account;
  GHashTable   *keep;
  GCancellable *cancellable;

  guint interval_s;
  guint timer_id;
  guint n_lists;
  guint failures; /* listings failed in a row */
  guint listing : 1;
  guint running : 1;
};

G_DEFINE_FINAL_TYPE (DrsJobDiscovery, drs_job_discovery, G_TYPE_OBJECT)

enum
{
  LISTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void list_now (DrsJobDiscovery *self);

static gboolean
timer_cb (gpointer data)
{
  DrsJobDiscovery *self = data;

  self->timer_id = 0;
  list_now (self);
  return G_SOURCE_REMOVE;
}

static void
merge (DrsJobDiscovery *self, GPtrArray *infos)
{
  g_autoptr (GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GListModel *model = G_LIST_MODEL (self->store);
  guint       n_store = g_list_model_get_n_items (model);
  guint       added = 0;

  for (guint i = 0; i < infos->len; i++)
    {
      DrsJobInfo *info = g_ptr_array_index (infos, i);
      DrsJob     *job;

      if (info->id == NULL || g_hash_table_contains (listed, info->id))
        continue;
      g_hash_table_add (listed, info->id);
      job = drs_job_store_lookup (self->store, info->id);
      if (job == NULL)
        {
          if (n_store + added >= DRS_JOB_DISCOVERY_MAX_TASKS)
            continue;
          job = drs_job_store_add (self->store, info->id, info->name);
          if (self->account != NULL)
            drs_job_set_account (job, self->account);
          added++;
        }
      else if (info->name != NULL && g_strcmp0 (drs_job_get_name (job), info->name) != 0)
        drs_job_set_name (job, info->name);
    }
  if (n_store + added >= DRS_JOB_DISCOVERY_MAX_TASKS)
    g_warning ("The project has more tasks than the %d watched.", DRS_JOB_DISCOVERY_MAX_TASKS);

  for (guint i = 0; i < n_store + added; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (model, i);
      const char *id = drs_job_get_id (job);

      if (g_strcmp0 (drs_job_get_account (job), self->account) != 0)
        continue;
      if (!g_hash_table_contains (listed, id) && !g_hash_table_contains (self->keep, id))
        g_ptr_array_add (gone, g_strdup (id));
    }
  if (gone->len > 0)
    {
      g_ptr_array_add (gone, NULL);
      drs_job_store_remove_many (self->store, (const char *const *) gone->pdata);
    }
  g_debug ("Job list: %u tasks, %u new, %u gone", infos->len, added,
           gone->len > 0 ? gone->len - 1 : 0);
}

static void
listed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsJobDiscovery) self = user_data;
  g_autoptr (GPtrArray) infos = NULL;
  g_autoptr (GError) error = NULL;
  guint delay_s;

  infos = drs_client_list_jobs_finish (DRS_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->listing = FALSE;
  self->n_lists++;
  if (infos != NULL)
    {
      merge (self, infos);
      self->failures = 0;
      delay_s = self->interval_s;
    }
  else
    {
      /* A failed listing (the network at start-up, the cloud's hiccup) is tried again soon,
       * 10 s doubling up to the interval, not an interval later with no task known. */
      self->failures++;
      delay_s = MIN (self->interval_s, DRS_JOB_DISCOVERY_RETRY_S << MIN (self->failures - 1, 10));
      g_message ("Could not list the project's tasks (%s); trying again in %u s", error->message,
                 delay_s);
    }
  g_signal_emit (self, signals[LISTED], 0, error);

  if (self->running && self->timer_id == 0)
    self->timer_id = drs_clock_add_timeout (self->clock, delay_s * 1000, timer_cb, self, NULL);
}

static void
list_now (DrsJobDiscovery *self)
{
  if (self->listing || !self->running)
    return;
  self->listing = TRUE;
  drs_client_list_jobs_async (self->client, NULL, self->cancellable, listed_cb,
                              g_object_ref (self));
}

/**
 * drs_job_discovery_start:
 * @interval_s: seconds between the end of a listing and the next one
 */
void
drs_job_discovery_start (DrsJobDiscovery *self, guint interval_s)
{
  g_return_if_fail (DRS_IS_JOB_DISCOVERY (self));
  g_return_if_fail (interval_s > 0);

  self->interval_s = interval_s;
  if (self->running)
    return;
  self->running = TRUE;
  list_now (self);
}

void
drs_job_discovery_stop (DrsJobDiscovery *self)
{
  g_return_if_fail (DRS_IS_JOB_DISCOVERY (self));

  self->running = FALSE;
  self->listing = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->timer_id != 0)
    drs_clock_remove (self->clock, self->timer_id);
  self->timer_id = 0;
}

/**
 * drs_job_discovery_keep:
 * @ids: tasks never removed, even when the job list does not have them
 */
void
drs_job_discovery_keep (DrsJobDiscovery *self, const char *const *ids)
{
  g_return_if_fail (DRS_IS_JOB_DISCOVERY (self));

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    g_hash_table_add (self->keep, g_strdup (ids[i]));
}

/**
 * drs_job_discovery_set_client:
 *
 * Lists with @client from the next listing on (new credentials).
 */
void
drs_job_discovery_set_client (DrsJobDiscovery *self, DrsClient *client)
{
  g_return_if_fail (DRS_IS_JOB_DISCOVERY (self));
  g_return_if_fail (DRS_IS_CLIENT (client));

  g_set_object (&self->client, client);
}

guint
drs_job_discovery_get_n_lists (DrsJobDiscovery *self)
{
  g_return_val_if_fail (DRS_IS_JOB_DISCOVERY (self), 0);
  return self->n_lists;
}

static void
drs_job_discovery_dispose (GObject *object)
{
  DrsJobDiscovery *self = (DrsJobDiscovery *) object;

  if (self->cancellable != NULL)
    drs_job_discovery_stop (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (drs_job_discovery_parent_class)->dispose (object);
}

static void
drs_job_discovery_finalize (GObject *object)
{
  DrsJobDiscovery *self = (DrsJobDiscovery *) object;

  g_clear_pointer (&self->keep, g_hash_table_unref);
  g_clear_pointer (&self->account, g_free);

  G_OBJECT_CLASS (drs_job_discovery_parent_class)->finalize (object);
}

static void
drs_job_discovery_class_init (DrsJobDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = drs_job_discovery_dispose;
  object_class->finalize = drs_job_discovery_finalize;

  /**
   * DrsJobDiscovery::listed:
   * @error: (nullable): why the listing failed, %NULL when it succeeded
   */
  signals[LISTED] = g_signal_new ("listed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
drs_job_discovery_init (DrsJobDiscovery *self)
{
  self->keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->interval_s = 300;
}

/**
 * drs_job_discovery_new:
 * @store: the tasks to keep current
 * @client: lists the jobs
 * @clock: (nullable): the time source; %NULL for the system clock
 * @account: (nullable): the #DrsJob:account of the tasks it adds and may remove
 *
 * Returns: (transfer full): a stopped discovery
 */
DrsJobDiscovery *
drs_job_discovery_new (DrsJobStore *store, DrsClient *client, DrsClock *clock, const char *account)
{
  DrsJobDiscovery *self;

  g_return_val_if_fail (DRS_IS_JOB_STORE (store), NULL);
  g_return_val_if_fail (DRS_IS_CLIENT (client), NULL);

  self = g_object_new (DRS_TYPE_JOB_DISCOVERY, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->clock = clock != NULL ? g_object_ref (clock) : drs_clock_new_system ();
  self->account = g_strdup (account);
  return self;
}

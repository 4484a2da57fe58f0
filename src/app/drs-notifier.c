/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-format.h"
#include "drs-notifier.h"

/**
 * DrsNotifier:
 *
 * Turns the monitor's transitions into desktop notifications (#GNotification): one per
 * transition, or one for all the tasks that changed the same way in the same refresh ("5 tasks
 * failed"); one per account for a connection problem, withdrawn when it is restored. A
 * notification opens the window on its task (`app.show-job`) or on the tasks of its kind
 * (`app.show-status`). The `notify-*` settings say which kinds are sent.
 *
 * Without a notification server on the session bus (and outside Flatpak) nothing is sent:
 * GLib would only warn for every notification.
 */
struct _DrsNotifier
{
  GObject parent_instance;

  /* owned */
  GSettings  *settings;
  GPtrArray  *pending[6]; /* Event, by kind */
  GHashTable *ended;      /* ids of the tasks announced as stopped or deleted */
  guint       flush_id;
  guint       group_ms;
  guint       n_sent;
  guint       n_groups;
  int         server; /* -1 unknown, 0 none, 1 present */
  gboolean    probing;
  gboolean    flush_after_probe;

  /* borrowed */
  GApplication *application;
  DrsMonitor   *monitor;
};

G_DEFINE_FINAL_TYPE (DrsNotifier, drs_notifier, G_TYPE_OBJECT)

typedef enum
{
  KIND_FAILED,
  KIND_FINISHED,
  KIND_ENDED, /* stopped (released) or deleted: over, neither failed nor finished */
  KIND_RECOVERED,
  KIND_DELAY_RAISED,
  KIND_DELAY_CLEARED,
  N_KINDS
} Kind;

G_STATIC_ASSERT (N_KINDS == 6); /* the size of DrsNotifier.pending */

typedef struct
{
  DrsJob *job;
  char   *code;
  char   *message;
} Event;

/* Which setting allows each kind, and which tasks a grouped notification shows. */
static const struct
{
  const char *key;
  const char *status; /* the app.show-status target */
} kinds[N_KINDS] = {
  [KIND_FAILED] = { "notify-failed", "failed" },
  [KIND_FINISHED] = { "notify-finished", "finished" },
  [KIND_ENDED] = { "notify-finished", "finished" },
  [KIND_RECOVERED] = { "notify-recovered", "running" },
  [KIND_DELAY_RAISED] = { "notify-delay", "running" },
  [KIND_DELAY_CLEARED] = { "notify-delay", "running" },
};

static void
event_free (Event *event)
{
  g_clear_object (&event->job);
  g_free (event->code);
  g_free (event->message);
  g_free (event);
}

static gboolean
allowed (DrsNotifier *self, const char *key)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, key);
}

static void
send (DrsNotifier *self, const char *id, GNotification *notification)
{
  if (self->server == 0)
    {
      g_debug ("No notification server: not sending %s", id);
      return;
    }
  g_application_send_notification (self->application, id, notification);
  self->n_sent++;
}

/**
 * drs_notifier_send:
 * @id: the notification's id: a later one with the same id replaces it
 *
 * Sends @notification of another part of the application, once a notification server is known
 * to listen: not while that is still being found out.
 *
 * Returns: whether it was handed to GIO
 */
gboolean
drs_notifier_send (DrsNotifier *self, const char *id, GNotification *notification)
{
  g_return_val_if_fail (DRS_IS_NOTIFIER (self), FALSE);
  g_return_val_if_fail (G_IS_NOTIFICATION (notification), FALSE);

  if (self->server != 1)
    {
      g_debug ("No notification server known yet: not sending %s", id);
      return FALSE;
    }
  send (self, id, notification);
  return TRUE;
}

static char *
name_list (GPtrArray *events)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint shown = MIN (events->len, 4);

  for (guint i = 0; i < shown; i++)
    {
      Event *event = events->pdata[i];

      if (i > 0)
        g_string_append (text, _ (", "));
      g_string_append (text, drs_job_get_display_name (event->job));
    }
  if (events->len > shown)
    {
      /* Translators: after a list of task names, e.g. "a, b, c, d and 3 more" */
      g_autofree char *more =
          g_strdup_printf (g_dngettext (NULL, " and %u more", " and %u more", events->len - shown),
                           events->len - shown);
      g_string_append (text, more);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
send_single (DrsNotifier *self, Kind kind, Event *event)
{
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;
  const char      *name = drs_job_get_display_name (event->job);
  const char      *job_id = drs_job_get_id (event->job);
  const char      *status = drs_job_get_status_label (event->job);

  switch (kind)
    {
      case KIND_FAILED:
        /* Translators: %s is a task's name */
        title = g_strdup_printf (_ ("“%s” failed"), name);
        if (event->code != NULL && event->message != NULL &&
            g_strcmp0 (event->code, drs_job_get_status_raw (event->job)) != 0)
          body = g_strdup_printf ("%s: %s", event->code, event->message);
        else
          body = g_strdup (event->message ? event->message : status);
        break;
      case KIND_FINISHED:
        /* Translators: %s is a task's name */
        title = g_strdup_printf (_ ("“%s” finished"), name);
        body = g_strdup (status);
        break;
      case KIND_ENDED:
        /* As the table shows it: "Stopped", "Deleted". */
        if (drs_job_status_is_removal (drs_job_get_status (event->job)))
          /* Translators: a task's name and its status, e.g. “orders”: Deleted */
          title = g_strdup_printf (_ ("“%s”: %s"), name, status);
        else
          /* Translators: %s is a task's name */
          title = g_strdup_printf (_ ("“%s” was deleted or stopped"), name);
        body = g_strdup (event->message);
        break;
      case KIND_RECOVERED:
        /* Translators: %s is a task's name */
        title = g_strdup_printf (_ ("“%s” is running again"), name);
        body = g_strdup (status);
        break;
      case KIND_DELAY_RAISED:
      case KIND_DELAY_CLEARED:
        {
          g_autofree char *delay = drs_format_delay (drs_job_get_delay_ms (event->job));
          guint            threshold = drs_monitor_get_delay_threshold (self->monitor);
          g_autofree char *limit = drs_format_duration (threshold);

          if (kind == KIND_DELAY_RAISED)
            {
              /* Translators: %s is a task's name */
              title = g_strdup_printf (_ ("“%s” is falling behind"), name);
              /* Translators: the first %s is a delay, the second the alert threshold */
              body = g_strdup_printf (
                  _ ("Incremental delay %s, at or above the alert threshold of %s"), delay, limit);
            }
          else
            {
              /* Translators: %s is a task's name */
              title = g_strdup_printf (_ ("“%s” has caught up"), name);
              /* Translators: %s is a delay */
              body = g_strdup_printf (_ ("Incremental delay %s"), delay);
            }
        }
        break;
      case N_KINDS:
      default:
        g_assert_not_reached ();
    }

  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  if (kind == KIND_FAILED || kind == KIND_DELAY_RAISED)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-job", "s", job_id);
  /* A failed task can be retried: the button opens the window with the confirmation. */
  if (kind == KIND_FAILED && allowed (self, "allow-actions") &&
      drs_task_action_applies (DRS_TASK_ACTION_RETRY, drs_job_get_status (event->job),
                               drs_job_get_task_mode (event->job)))
    g_notification_add_button_with_target (notification, _ ("Retry…"), "app.retry-job", "s",
                                           job_id);
  /* A later transition of the same task replaces its notification. */
  id = g_strdup_printf (kind >= KIND_DELAY_RAISED ? "delay-%s" : "job-%s", job_id);
  send (self, id, notification);
}

static void
send_group (DrsNotifier *self, Kind kind, GPtrArray *events)
{
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = name_list (events);
  g_autofree char *id = NULL;
  guint            n = events->len;

  switch (kind)
    {
      case KIND_FAILED:
        title = g_strdup_printf (g_dngettext (NULL, "%u task failed", "%u tasks failed", n), n);
        break;
      case KIND_FINISHED:
        title = g_strdup_printf (g_dngettext (NULL, "%u task finished", "%u tasks finished", n), n);
        break;
      case KIND_ENDED:
        title = g_strdup_printf (g_dngettext (NULL, "%u task was stopped or deleted",
                                              "%u tasks were stopped or deleted", n),
                                 n);
        break;
      case KIND_RECOVERED:
        title = g_strdup_printf (
            g_dngettext (NULL, "%u task is running again", "%u tasks are running again", n), n);
        break;
      case KIND_DELAY_RAISED:
        title = g_strdup_printf (
            g_dngettext (NULL, "%u task is falling behind", "%u tasks are falling behind", n), n);
        break;
      case KIND_DELAY_CLEARED:
        title = g_strdup_printf (
            g_dngettext (NULL, "%u task has caught up", "%u tasks have caught up", n), n);
        break;
      case N_KINDS:
      default:
        g_assert_not_reached ();
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  if (kind == KIND_FAILED || kind == KIND_DELAY_RAISED)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-status", "s",
                                                kinds[kind].status);
  id = g_strdup_printf ("group-%s-%u", kinds[kind].key, ++self->n_groups);
  send (self, id, notification);
}

/**
 * drs_notifier_flush:
 *
 * Sends what is queued now instead of after the grouping delay.
 */
void
drs_notifier_flush (DrsNotifier *self)
{
  g_return_if_fail (DRS_IS_NOTIFIER (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->probing)
    {
      self->flush_after_probe = TRUE;
      return;
    }

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_autoptr (GPtrArray) events = self->pending[k];

      self->pending[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
      if (events->len == 0 || !allowed (self, kinds[k].key))
        continue;
      if (events->len == 1)
        send_single (self, k, events->pdata[0]);
      else
        send_group (self, k, events);
    }
}

static gboolean
on_flush_timeout (gpointer user_data)
{
  DrsNotifier *self = user_data;

  self->flush_id = 0;
  drs_notifier_flush (self);
  return G_SOURCE_REMOVE;
}

static void
queue (DrsNotifier *self, Kind kind, DrsJob *job, const char *code, const char *message)
{
  Event *event;

  /* A task that flips back and forth within the delay is still one transition of each kind. */
  for (guint i = 0; i < self->pending[kind]->len; i++)
    if (((Event *) self->pending[kind]->pdata[i])->job == job)
      return;

  event = g_new0 (Event, 1);
  event->job = g_object_ref (job);
  event->code = g_strdup (code);
  event->message = g_strdup (message);
  g_ptr_array_add (self->pending[kind], event);
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (self->group_ms, on_flush_timeout, self);
}

/* A task stopped or deleted is announced once, however the server says so next: first its
 * status (DELETED), later a per-task error for the id it no longer knows (DRS.M05004). */
static void
queue_ended (DrsNotifier *self, DrsJob *job, const char *message)
{
  const char *id = drs_job_get_id (job);

  if (g_hash_table_contains (self->ended, id))
    return;
  g_hash_table_add (self->ended, g_strdup (id));
  queue (self, KIND_ENDED, job, NULL, message);
}

static void
on_job_failed (DrsNotifier *self, DrsJob *job, const char *code, const char *message)
{
  if (drs_job_status_is_removal (drs_job_get_status (job)) ||
      drs_job_status_code_is_removal (drs_job_get_error_code (job)) ||
      drs_job_status_code_is_removal (code))
    queue_ended (self, job, drs_job_get_error_message (job));
  else
    queue (self, KIND_FAILED, job, code, message);
}

static void
on_job_finished (DrsNotifier *self, DrsJob *job)
{
  if (drs_job_status_is_removal (drs_job_get_status (job)))
    queue_ended (self, job, NULL);
  else
    queue (self, KIND_FINISHED, job, NULL, NULL);
}

static void
on_job_recovered (DrsNotifier *self, DrsJob *job)
{
  g_hash_table_remove (self->ended, drs_job_get_id (job));
  queue (self, KIND_RECOVERED, job, NULL, NULL);
}

static void
on_delay_alert (DrsNotifier *self, DrsJob *job, gboolean raised)
{
  queue (self, raised ? KIND_DELAY_RAISED : KIND_DELAY_CLEARED, job, NULL, NULL);
}

/* Everything one refresh changed is known: send it together. */
static void
on_refresh_finished (DrsNotifier *self)
{
  guint n = drs_notifier_get_n_pending (self);

  if (n > 0)
    drs_notifier_flush (self);
}

static char *
connection_id (const char *account)
{
  return g_strdup_printf ("connection-%s", account ? account : "");
}

static void
on_connection_problem (DrsNotifier *self, const char *account, const GError *error)
{
  g_autoptr (GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = connection_id (account);

  if (!allowed (self, "notify-failed"))
    return;
  if (account != NULL)
    /* Translators: %s is the name of an account */
    title = g_strdup_printf (_ ("Cannot check the tasks of “%s”"), account);
  else
    title = g_strdup (_ ("Cannot check the tasks"));
  notification = g_notification_new (title);
  g_notification_set_body (notification, error ? error->message : NULL);
  send (self, id, notification);
}

static void
on_connection_restored (DrsNotifier *self, const char *account)
{
  g_autofree char *id = connection_id (account);

  if (self->server != 0)
    g_application_withdraw_notification (self->application, id);
}

/* Probing for a notification server --------------------------------------------------------- */

static gboolean
names_contain (GVariant *reply)
{
  g_autofree const char **names = NULL;

  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(^a&s)", &names);
  return g_strv_contains (names, "org.gtk.Notifications") ||
         g_strv_contains (names, "org.freedesktop.Notifications");
}

static void
probe_done (DrsNotifier *self, gboolean present)
{
  self->server = present ? 1 : 0;
  self->probing = FALSE;
  g_debug ("Notification server: %s", present ? "present" : "none");
  if (self->flush_after_probe)
    {
      self->flush_after_probe = FALSE;
      drs_notifier_flush (self);
    }
  g_object_unref (self);
}

static void
on_activatable_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GVariant) reply =
      g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);

  probe_done (user_data, names_contain (reply));
}

static void
on_names_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GVariant) reply =
      g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);

  if (names_contain (reply))
    {
      probe_done (user_data, TRUE);
      return;
    }
  g_dbus_connection_call (G_DBUS_CONNECTION (source), "org.freedesktop.DBus",
                          "/org/freedesktop/DBus", "org.freedesktop.DBus", "ListActivatableNames",
                          NULL, G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          on_activatable_listed, user_data);
}

static void
probe_server (DrsNotifier *self)
{
  GDBusConnection *connection = g_application_get_dbus_connection (self->application);

  /* In a sandbox the portal carries notifications. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      self->server = 1;
      return;
    }
  if (connection == NULL)
    {
      self->server = 0;
      return;
    }
  self->probing = TRUE;
  g_dbus_connection_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "ListNames", NULL, G_VARIANT_TYPE ("(as)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_names_listed, g_object_ref (self));
}

/* Life cycle ---------------------------------------------------------------------------------- */

static void
drs_notifier_dispose (GObject *object)
{
  DrsNotifier *self = DRS_NOTIFIER (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_object (&self->settings);
  for (guint k = 0; k < N_KINDS; k++)
    g_clear_pointer (&self->pending[k], g_ptr_array_unref);
  g_clear_pointer (&self->ended, g_hash_table_unref);

  G_OBJECT_CLASS (drs_notifier_parent_class)->dispose (object);
}

static void
drs_notifier_class_init (DrsNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = drs_notifier_dispose;
}

static void
drs_notifier_init (DrsNotifier *self)
{
  self->group_ms = DRS_NOTIFIER_DEFAULT_GROUP_MS;
  self->server = -1;
  for (guint k = 0; k < N_KINDS; k++)
    self->pending[k] = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  self->ended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * drs_notifier_new:
 * @application: the registered application that sends the notifications
 * @monitor: whose transitions to announce
 * @settings: (nullable): the app's settings, for the `notify-*` keys (%NULL: send all)
 *
 * Returns: (transfer full): a notifier connected to @monitor
 */
DrsNotifier *
drs_notifier_new (GApplication *application, DrsMonitor *monitor, GSettings *settings)
{
  DrsNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DRS_IS_MONITOR (monitor), NULL);

  self = g_object_new (DRS_TYPE_NOTIFIER, NULL);
  self->application = application;
  self->monitor = monitor;
  if (settings != NULL)
    self->settings = g_object_ref (settings);

  g_signal_connect_object (monitor, "job-failed", G_CALLBACK (on_job_failed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "job-finished", G_CALLBACK (on_job_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "job-recovered", G_CALLBACK (on_job_recovered), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "delay-alert", G_CALLBACK (on_delay_alert), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "refresh-finished", G_CALLBACK (on_refresh_finished), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "connection-problem", G_CALLBACK (on_connection_problem), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (monitor, "connection-restored", G_CALLBACK (on_connection_restored),
                           self, G_CONNECT_SWAPPED);
  probe_server (self);
  return self;
}

/**
 * drs_notifier_set_group_delay:
 *
 * How long after a transition the notifier waits for more of its kind before sending, unless
 * the refresh that caused it finishes first.
 */
void
drs_notifier_set_group_delay (DrsNotifier *self, guint milliseconds)
{
  g_return_if_fail (DRS_IS_NOTIFIER (self));
  self->group_ms = MAX (milliseconds, 1);
}

/**
 * drs_notifier_get_n_sent:
 *
 * Returns: how many notifications were handed to GIO
 */
guint
drs_notifier_get_n_sent (DrsNotifier *self)
{
  g_return_val_if_fail (DRS_IS_NOTIFIER (self), 0);
  return self->n_sent;
}

/**
 * drs_notifier_get_n_pending:
 *
 * Returns: how many transitions wait for their notification
 */
guint
drs_notifier_get_n_pending (DrsNotifier *self)
{
  guint n = 0;

  g_return_val_if_fail (DRS_IS_NOTIFIER (self), 0);
  for (guint k = 0; k < N_KINDS; k++)
    n += self->pending[k]->len;
  return n;
}

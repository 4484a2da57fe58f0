/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-background"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-background.h"
#include "drs-handover.h"

/**
 * DrsBackground:
 *
 * Keeps the application running with no window open, so the session goes on polling, writing
 * history and notifying: with `run-in-background` on, closing the last window holds the
 * application (g_application_hold()) instead of ending it, and the first time that happens one
 * notification says so and how to quit. A window opened again (a notification clicked, the
 * desktop's launcher, `drs-monitor --job ID`) releases the hold; Quit releases it for good. A
 * hidden start (`--background`, `--gapplication-service`) holds from the start. It also owns the
 * start at login (#DrsAutostart).
 *
 * Given a command line to start again with (drs_background_set_restart(), what the installed
 * program does), the process then hands its session over to a fresh image of itself with no
 * window (#drs_handover_exec()), unless that would lose something: the demo's simulator runs in
 * this process, a secret kept only in memory, a pause, resume or retry under way (the hand-over
 * waits for it).
 */
struct _DrsBackground
{
  GObject parent_instance;

  /* owned */
  GSettings    *settings;
  DrsAutostart *autostart;
  guint         notice_id;   /* the first-close notice, sent from the main loop */
  guint         hand_off_id; /* waiting for an action under way to end */
  char        **restart_argv;
  guint         n_notices;
  gboolean      held;
  gboolean      quitting;

  /* borrowed */
  GtkApplication *application;
  DrsNotifier    *notifier;
  DrsSession     *session;
};

G_DEFINE_FINAL_TYPE (DrsBackground, drs_background, G_TYPE_OBJECT)

#define NOTICE_ID "background"

static gboolean
wanted (DrsBackground *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "run-in-background");
}

static void
hold (DrsBackground *self)
{
  if (self->held)
    return;
  self->held = TRUE;
  g_application_hold (G_APPLICATION (self->application));
  g_debug ("Watching with no window open");
}

static void
release (DrsBackground *self)
{
  g_clear_handle_id (&self->notice_id, g_source_remove);
  g_clear_handle_id (&self->hand_off_id, g_source_remove);
  if (!self->held)
    return;
  self->held = FALSE;
  g_application_release (G_APPLICATION (self->application));
}

/* Once ever: the notice that DRS Monitor is still there and how to end it. */
static void
notify_once (DrsBackground *self)
{
  g_autoptr (GNotification) notification = NULL;

  if (self->settings != NULL && g_settings_get_boolean (self->settings, "background-notice-shown"))
    return;

  notification = g_notification_new (_ ("DRS Monitor keeps watching"));
  g_notification_set_body (notification,
                           _ ("Your tasks are still checked, and you are notified when they fail, "
                              "finish or fall behind. To stop, choose Quit in the main menu, press "
                              "Ctrl+Q in the window, or click Quit here."));
  /* Clicked: the window again (activating the application opens it). */
  g_notification_add_button (notification, _ ("Quit"), "app.quit");
  /* Through the notifier, which knows whether a notification server listens. */
  if (self->notifier == NULL || !drs_notifier_send (self->notifier, NOTICE_ID, notification))
    return;
  self->n_notices++;
  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "background-notice-shown", TRUE);
}

static gboolean hand_off_later (gpointer user_data);

/* What a fresh image could not take over, NULL when it can take everything. */
static const char *
hand_off_obstacle (DrsBackground *self)
{
  if (self->restart_argv == NULL)
    return "no command line to start again with";
  if (self->session == NULL)
    return "no session";
  if (!drs_secrets_get_persistent (drs_session_get_secrets (self->session)))
    return "secrets are kept in memory only";
  return NULL;
}

/* Starts the hand-over, or waits for an action under way to end first. FALSE when this process
 * goes on as it is. */
static gboolean
try_hand_off (DrsBackground *self)
{
  g_autoptr (GError) error = NULL;
  const char *obstacle = hand_off_obstacle (self);

  if (obstacle != NULL)
    {
      g_debug ("Going on in this process: %s", obstacle);
      return FALSE;
    }
  /* What DRS answers to a pause, resume or retry is recorded here first. */
  if (drs_monitor_get_acting (drs_session_get_monitor (self->session)))
    {
      self->hand_off_id = g_timeout_add_seconds (1, hand_off_later, self);
      return TRUE;
    }
  /* Returns only when it failed. */
  drs_handover_exec (self->session, (const char *const *) self->restart_argv,
                     g_application_get_dbus_connection (G_APPLICATION (self->application)), &error);
  g_warning ("%s", error->message);
  return FALSE;
}

static gboolean
hand_off_later (gpointer user_data)
{
  DrsBackground *self = user_data;

  self->hand_off_id = 0;
  if (self->held && gtk_application_get_windows (self->application) == NULL && !try_hand_off (self))
    drs_autostart_request_permission (self->autostart);
  return G_SOURCE_REMOVE;
}

/* From the main loop after the last window closed, unless a window came back meanwhile (a
 * language switch builds the window again): once ever the notice, then the hand-over to a
 * process with no window, or else the permission to go on, asked once. */
static gboolean
send_notice (gpointer user_data)
{
  DrsBackground *self = user_data;

  self->notice_id = 0;
  if (!self->held || gtk_application_get_windows (self->application) != NULL)
    return G_SOURCE_REMOVE;
  notify_once (self);
  /* Handed over, the fresh image asks (as any start with no window does). */
  if (!try_hand_off (self))
    drs_autostart_request_permission (self->autostart);
  return G_SOURCE_REMOVE;
}

static void
on_window_removed (DrsBackground *self, GtkWindow *window, GtkApplication *application)
{
  /* GTK released the window's hold already: the application would end after this handler. */
  if (self->quitting || gtk_application_get_windows (application) != NULL || !wanted (self))
    return;
  hold (self);
  if (self->notice_id == 0)
    self->notice_id = g_idle_add (send_notice, self);
}

static void
on_window_added (DrsBackground *self, GtkWindow *window, GtkApplication *application)
{
  /* The window holds the application now. */
  release (self);
}

/* Turned off with no window open: nothing keeps the application any more. */
static void
on_setting_changed (DrsBackground *self, const char *key, GSettings *settings)
{
  if (!wanted (self) && gtk_application_get_windows (self->application) == NULL)
    release (self);
}

/**
 * drs_background_set_notifier:
 * @notifier: (nullable): sends the first-close notice, when a notification server listens
 */
void
drs_background_set_notifier (DrsBackground *self, DrsNotifier *notifier)
{
  g_return_if_fail (DRS_IS_BACKGROUND (self));
  self->notifier = notifier;
}

/**
 * drs_background_set_session:
 * @session: (nullable): the session a fresh image takes over
 */
void
drs_background_set_session (DrsBackground *self, DrsSession *session)
{
  g_return_if_fail (DRS_IS_BACKGROUND (self));
  self->session = session;
}

/**
 * drs_background_set_restart:
 * @argv: (nullable): the command line that starts this program hidden (`argv[0]` as shown,
 *   then `--background`); %NULL to go on in this process when the last window closes
 */
void
drs_background_set_restart (DrsBackground *self, const char *const *argv)
{
  g_return_if_fail (DRS_IS_BACKGROUND (self));
  g_strfreev (self->restart_argv);
  self->restart_argv = g_strdupv ((char **) argv);
}

/**
 * drs_background_start_hidden:
 *
 * Keeps the application running with no window: a start at login, or as a D-Bus service.
 */
void
drs_background_start_hidden (DrsBackground *self)
{
  g_return_if_fail (DRS_IS_BACKGROUND (self));
  if (self->quitting || gtk_application_get_windows (self->application) != NULL)
    return;
  hold (self);
  drs_autostart_request_permission (self->autostart);
}

/**
 * drs_background_quit:
 *
 * Lets the application end: what Quit does before it closes the windows, so closing the last
 * one does not keep it.
 */
void
drs_background_quit (DrsBackground *self)
{
  g_return_if_fail (DRS_IS_BACKGROUND (self));
  self->quitting = TRUE;
  release (self);
}

/**
 * drs_background_get_watching:
 *
 * Returns: whether the application is kept running with no window open
 */
gboolean
drs_background_get_watching (DrsBackground *self)
{
  g_return_val_if_fail (DRS_IS_BACKGROUND (self), FALSE);
  return self->held;
}

/**
 * drs_background_get_n_notices:
 *
 * Returns: how many times this process said that it keeps watching (at most once)
 */
guint
drs_background_get_n_notices (DrsBackground *self)
{
  g_return_val_if_fail (DRS_IS_BACKGROUND (self), 0);
  return self->n_notices;
}

/**
 * drs_background_get_autostart:
 *
 * Returns: (transfer none): the start at login
 */
DrsAutostart *
drs_background_get_autostart (DrsBackground *self)
{
  g_return_val_if_fail (DRS_IS_BACKGROUND (self), NULL);
  return self->autostart;
}

static void
drs_background_dispose (GObject *object)
{
  DrsBackground *self = DRS_BACKGROUND (object);

  g_clear_handle_id (&self->notice_id, g_source_remove);
  g_clear_handle_id (&self->hand_off_id, g_source_remove);
  g_clear_pointer (&self->restart_argv, g_strfreev);
  if (self->held && self->application != NULL)
    release (self);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->autostart);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (drs_background_parent_class)->dispose (object);
}

static void
drs_background_class_init (DrsBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = drs_background_dispose;
}

static void
drs_background_init (DrsBackground *self)
{
}

/**
 * drs_background_new:
 * @application: the application to keep running
 * @settings: (nullable): its settings (`run-in-background`, `background-notice-shown`,
 *   `start-at-login`); without them it runs in the background
 *
 * Returns: (transfer full): the background monitoring of @application
 */
DrsBackground *
drs_background_new (GtkApplication *application, GSettings *settings)
{
  DrsBackground *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  self = g_object_new (DRS_TYPE_BACKGROUND, NULL);
  g_set_weak_pointer (&self->application, application);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_object (settings, "changed::run-in-background",
                               G_CALLBACK (on_setting_changed), self, G_CONNECT_SWAPPED);
    }
  self->autostart = drs_autostart_new (application, settings);
  g_signal_connect_object (application, "window-removed", G_CALLBACK (on_window_removed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "window-added", G_CALLBACK (on_window_added), self,
                           G_CONNECT_SWAPPED);
  return self;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libportal-gtk4/portal-gtk4.h>

#include "drs-autostart.h"

/**
 * DrsAutostart:
 *
 * Follows the `start-at-login` setting: asks the desktop's Background portal
 * (`org.freedesktop.portal.Background.RequestBackground`, through libportal) to start DRS Monitor
 * hidden at login, or to stop doing so. Where no portal answers (a session without
 * xdg-desktop-portal) it writes, or removes, an XDG autostart file in
 * `$XDG_CONFIG_HOME/autostart` instead. A refusal or a failure turns the setting off again.
 * #DrsAutostart:note says which of these happened, for the preferences.
 */

/* The command a login starts: no window, the session watching. */
#define HIDDEN_START_OPTION "--background"

typedef enum
{
  NOTE_DEFAULT,
  NOTE_FILE_WRITTEN,
  NOTE_FILE_REMOVED,
  NOTE_REFUSED,
  NOTE_FAILED,
  NOTE_BACKGROUND_REFUSED,
} Note;

struct _DrsAutostart
{
  GObject parent_instance;

  /* owned */
  GSettings *settings;
  XdpPortal *portal;
  char      *note_text; /* the note, formatted in the language in force */
  char      *detail;    /* what failed, for NOTE_FAILED */
  Note       note;
  gboolean   busy;
  gboolean   again;     /* the setting changed while a request was out */
  gboolean   reverting; /* writing the setting back after a refusal */
  gboolean   uses_file;
  gboolean   permission_asked; /* to run in the background, once */

  /* borrowed */
  GtkApplication *application;
};

G_DEFINE_FINAL_TYPE (DrsAutostart, drs_autostart, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NOTE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define APPLICATION_KEY "drs-autostart"

static void request (DrsAutostart *self, gboolean enable);

/**
 * drs_autostart_get_file_path:
 *
 * Returns: (transfer full): where the autostart file goes when no portal answers
 */
char *
drs_autostart_get_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APPLICATION_ID ".desktop", NULL);
}

static void
format_note (DrsAutostart *self)
{
  g_autofree char *path = drs_autostart_get_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_free (self->note_text);
  switch (self->note)
    {
      case NOTE_FILE_WRITTEN:
        /* Translators: %s is a folder, e.g. /home/alice/.config/autostart */
        self->note_text = g_strdup_printf (
            _ ("No desktop portal answered: an autostart file in %s starts DRS Monitor hidden at "
               "login"),
            dir);
        break;
      case NOTE_FILE_REMOVED:
        self->note_text =
            g_strdup (_ ("No desktop portal answered: the autostart file was removed"));
        break;
      case NOTE_REFUSED:
        self->note_text =
            g_strdup (_ ("The desktop did not allow DRS Monitor to start at login. Allow it in "
                         "the system settings' apps section, then try again."));
        break;
      case NOTE_BACKGROUND_REFUSED:
        self->note_text = g_strdup (
            _ ("The desktop did not allow DRS Monitor to run in the background: with no window "
               "open it may be stopped. Allow it in the system settings' apps section."));
        break;
      case NOTE_FAILED:
        /* Translators: %s says what went wrong */
        self->note_text =
            g_strdup_printf (_ ("Could not set DRS Monitor to start at login: %s"), self->detail);
        break;
      case NOTE_DEFAULT:
      default:
        self->note_text = g_strdup (_ ("Starts hidden when you log in and keeps watching"));
        break;
    }
}

static void
set_note (DrsAutostart *self, Note note, const char *detail)
{
  self->note = note;
  g_free (self->detail);
  self->detail = g_strdup (detail);
  format_note (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}

/* The setting goes back to off: the switch shows what is true. */
static void
revert (DrsAutostart *self)
{
  if (self->settings == NULL || !g_settings_get_boolean (self->settings, "start-at-login"))
    return;
  self->reverting = TRUE;
  g_settings_set_boolean (self->settings, "start-at-login", FALSE);
  self->reverting = FALSE;
}

/* The fallback: an XDG autostart file of our own, written or removed. */
static gboolean
apply_file (gboolean enable, GError **error)
{
  g_autofree char *path = drs_autostart_get_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *contents = NULL;

  if (!enable)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _ ("Could not remove %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  contents = g_strdup_printf ("[Desktop Entry]\n"
                              "Type=Application\n"
                              "Name=DRS Monitor\n"
                              "Comment=Keep watching DRS tasks in the background\n"
                              "Exec=%s/drs-monitor " HIDDEN_START_OPTION "\n"
                              "Icon=" APPLICATION_ID "\n"
                              "Terminal=false\n"
                              "NoDisplay=true\n"
                              "X-GNOME-Autostart-enabled=true\n",
                              BINDIR);
  return g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

/* No portal on the bus, or one without the Background interface. */
static gboolean
no_portal (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY);
}

static void
finish (DrsAutostart *self, gboolean enable, gboolean ok, Note note, const char *detail)
{
  if (!ok && enable)
    revert (self);
  set_note (self, note, detail);
  self->busy = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  /* Switched again while the desktop was asked: ask for what it says now. */
  if (self->again && self->settings != NULL)
    {
      gboolean wanted = g_settings_get_boolean (self->settings, "start-at-login");

      self->again = FALSE;
      if (wanted != (enable && ok))
        request (self, wanted);
    }
}

typedef struct
{
  DrsAutostart *self;
  gboolean      enable;
} Request;

/* Where no portal answers: the autostart file of our own. */
static void
use_file (DrsAutostart *self, gboolean enable, const GError *why)
{
  g_autoptr (GError) file_error = NULL;
  gboolean ok;

  g_debug ("No Background portal (%s): using an autostart file", why->message);
  self->uses_file = TRUE;
  ok = apply_file (enable, &file_error);
  finish (self, enable, ok, ok ? (enable ? NOTE_FILE_WRITTEN : NOTE_FILE_REMOVED) : NOTE_FAILED,
          file_error ? file_error->message : NULL);
}

static void
on_requested (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Request      *data = user_data;
  DrsAutostart *self = data->self;
  gboolean      enable = data->enable;
  g_autoptr (GError) error = NULL;
  gboolean granted;

  g_free (data);
  granted = xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error);
  /* Asked to stop, the portal answers that autostart is now off: what was wanted. */
  if (!enable && error == NULL)
    granted = TRUE;

  if (granted)
    {
      g_debug ("The portal %s autostart", enable ? "granted" : "removed");
      self->uses_file = FALSE;
      finish (self, enable, TRUE, NOTE_DEFAULT, NULL);
    }
  else if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("The portal refused autostart");
      finish (self, enable, FALSE, NOTE_REFUSED, NULL);
    }
  else if (no_portal (error))
    use_file (self, enable, error);
  else
    {
      g_warning ("The Background portal failed: %s", error->message);
      finish (self, enable, FALSE, NOTE_FAILED, error->message);
    }
  g_object_unref (self);
}

static void
on_permission (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsAutostart) self = user_data;
  g_autoptr (GError) error = NULL;

  if (xdp_portal_request_background_finish (XDP_PORTAL (source), result, &error))
    return;
  if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_note (self, NOTE_BACKGROUND_REFUSED, NULL);
  else
    g_debug ("No answer about running in the background: %s", error->message);
}

/* The portal's proxy, or %NULL with no session bus to reach one on (libportal would only
 * complain about it). */
static XdpPortal *
get_portal (DrsAutostart *self, GError **error)
{
  if (self->portal == NULL)
    {
      g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);

      if (bus == NULL)
        return NULL;
      self->portal = xdp_portal_new ();
    }
  return self->portal;
}

/**
 * drs_autostart_request_permission:
 *
 * In a sandbox, asks the desktop once whether DRS Monitor may go on running with no window open
 * (the Background portal without autostart). A refusal shows in #DrsAutostart:note; outside a
 * sandbox nothing needs asking.
 */
void
drs_autostart_request_permission (DrsAutostart *self)
{
  g_autofree char *reason = NULL;
  g_autoptr (GError) error = NULL;
  XdpPortal *portal;

  g_return_if_fail (DRS_IS_AUTOSTART (self));
  if (self->permission_asked || !g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    return;
  self->permission_asked = TRUE;
  portal = get_portal (self, &error);
  if (portal == NULL)
    {
      g_debug ("Not asking to run in the background: %s", error->message);
      return;
    }
  reason = g_strdup (_ ("Keep watching DRS tasks and notify about them"));
  xdp_portal_request_background (portal, NULL, reason, NULL, XDP_BACKGROUND_FLAG_NONE, NULL,
                                 on_permission, g_object_ref (self));
}

static void
request (DrsAutostart *self, gboolean enable)
{
  GtkWindow *window =
      self->application ? gtk_application_get_active_window (self->application) : NULL;
  g_autoptr (GPtrArray) command = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *reason = g_strdup (_ ("Keep watching DRS tasks and notify about them"));
  XdpParent       *parent = NULL;
  XdpPortal       *portal;
  Request         *data;
  g_autoptr (GError) error = NULL;

  if (self->busy)
    {
      self->again = TRUE;
      return;
    }
  self->busy = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  /* Inside a sandbox the command is the sandbox's own. */
  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    g_ptr_array_add (command, g_strdup ("drs-monitor"));
  else
    g_ptr_array_add (command, g_build_filename (BINDIR, "drs-monitor", NULL));
  g_ptr_array_add (command, g_strdup (HIDDEN_START_OPTION));
  portal = get_portal (self, &error);
  if (portal == NULL)
    {
      use_file (self, enable, error);
      return;
    }
  if (window != NULL && gtk_widget_get_realized (GTK_WIDGET (window)))
    parent = xdp_parent_new_gtk (window);

  data = g_new0 (Request, 1);
  data->self = g_object_ref (self);
  data->enable = enable;
  xdp_portal_request_background (portal, parent, reason, command,
                                 enable ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                 NULL, on_requested, data);
  if (parent != NULL)
    xdp_parent_free (parent);
}

static void
on_setting_changed (DrsAutostart *self, const char *key, GSettings *settings)
{
  if (self->reverting)
    return;
  request (self, g_settings_get_boolean (settings, key));
}

/* The note in the language switched to (the application switched before this runs). */
static void
on_language_changed (DrsAutostart *self)
{
  format_note (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
}

/**
 * drs_autostart_get_note:
 *
 * Returns: a sentence for the "Start at login" row: what a login does, or why it does not
 */
const char *
drs_autostart_get_note (DrsAutostart *self)
{
  g_return_val_if_fail (DRS_IS_AUTOSTART (self), NULL);
  return self->note_text;
}

/**
 * drs_autostart_get_busy:
 *
 * Returns: whether the desktop is being asked
 */
gboolean
drs_autostart_get_busy (DrsAutostart *self)
{
  g_return_val_if_fail (DRS_IS_AUTOSTART (self), FALSE);
  return self->busy;
}

/**
 * drs_autostart_get_uses_file:
 *
 * Returns: whether the last answer came from the autostart file, no portal having answered
 */
gboolean
drs_autostart_get_uses_file (DrsAutostart *self)
{
  g_return_val_if_fail (DRS_IS_AUTOSTART (self), FALSE);
  return self->uses_file;
}

/**
 * drs_autostart_get_for_application:
 *
 * Returns: (transfer none) (nullable): the autostart of @application, for its preferences
 */
DrsAutostart *
drs_autostart_get_for_application (GtkApplication *application)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  return g_object_get_data (G_OBJECT (application), APPLICATION_KEY);
}

static void
drs_autostart_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsAutostart *self = DRS_AUTOSTART (object);

  switch (prop_id)
    {
      case PROP_NOTE:
        g_value_set_string (value, self->note_text);
        break;
      case PROP_BUSY:
        g_value_set_boolean (value, self->busy);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_autostart_dispose (GObject *object)
{
  DrsAutostart *self = DRS_AUTOSTART (object);

  if (self->application != NULL &&
      g_object_get_data (G_OBJECT (self->application), APPLICATION_KEY) == self)
    g_object_set_data (G_OBJECT (self->application), APPLICATION_KEY, NULL);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->settings);
  g_clear_object (&self->portal);

  G_OBJECT_CLASS (drs_autostart_parent_class)->dispose (object);
}

static void
drs_autostart_finalize (GObject *object)
{
  DrsAutostart *self = DRS_AUTOSTART (object);

  g_clear_pointer (&self->note_text, g_free);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (drs_autostart_parent_class)->finalize (object);
}

static void
drs_autostart_class_init (DrsAutostartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = drs_autostart_get_property;
  object_class->dispose = drs_autostart_dispose;
  object_class->finalize = drs_autostart_finalize;

  /**
   * DrsAutostart:note:
   *
   * What starting at login does, or why it does not: the "Start at login" row's subtitle.
   */
  properties[PROP_NOTE] =
      g_param_spec_string ("note", NULL, NULL, NULL,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
      g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_autostart_init (DrsAutostart *self)
{
  format_note (self);
}

/**
 * drs_autostart_new:
 * @application: whose active window parents the portal's question
 * @settings: (nullable): the application's settings (`start-at-login`)
 *
 * Returns: (transfer full): an autostart following the setting from now on
 */
DrsAutostart *
drs_autostart_new (GtkApplication *application, GSettings *settings)
{
  DrsAutostart *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  self = g_object_new (DRS_TYPE_AUTOSTART, NULL);
  g_set_weak_pointer (&self->application, application);
  g_object_set_data (G_OBJECT (application), APPLICATION_KEY, self);
  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_object (settings, "changed::start-at-login", G_CALLBACK (on_setting_changed),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::language", G_CALLBACK (on_language_changed),
                               self, G_CONNECT_SWAPPED);
    }
  return self;
}

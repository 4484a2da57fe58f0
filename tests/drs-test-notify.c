/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A notification server of the tests' own on their session bus (org.gtk.Notifications, which
 * GNotification prefers outside Flatpak), and what the desktop does when a notification or one of
 * its buttons is clicked. */
#include "config.h"

#include "drs-test-notify.h"
#include "drs-test-utils.h"

#define WAIT_MS 30000

static GPtrArray *added;   /* DrsTestNotification */
static GPtrArray *removed; /* char *, ids */
static guint      owner_id;
static gboolean   name_owned;

static void
notification_free (DrsTestNotification *n)
{
  g_free (n->app_id);
  g_free (n->id);
  g_free (n->title);
  g_free (n->body);
  g_free (n->action);
  g_free (n->target);
  g_free (n->button_label);
  g_free (n->button_action);
  g_free (n->button_target);
  g_free (n);
}

static const char introspection[] =
    "<node><interface name='org.gtk.Notifications'>"
    "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
    "<arg type='a{sv}' direction='in'/></method>"
    "<method name='RemoveNotification'><arg type='s' direction='in'/>"
    "<arg type='s' direction='in'/></method>"
    "<method name='Sync'/>"
    "</interface></node>";

/* The first button's label, action and string target. */
static void
read_button (DrsTestNotification *n, GVariantDict *d)
{
  g_autoptr (GVariant) buttons =
      g_variant_dict_lookup_value (d, "buttons", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr (GVariant) button = NULL;
  g_autoptr (GVariant) button_target = NULL;
  GVariantDict b;

  if (buttons == NULL || g_variant_n_children (buttons) == 0)
    return;
  button = g_variant_get_child_value (buttons, 0);
  g_variant_dict_init (&b, button);
  g_variant_dict_lookup (&b, "label", "s", &n->button_label);
  g_variant_dict_lookup (&b, "action", "s", &n->button_action);
  button_target = g_variant_dict_lookup_value (&b, "target", G_VARIANT_TYPE_STRING);
  if (button_target != NULL)
    n->button_target = g_variant_dup_string (button_target, NULL);
  g_variant_dict_clear (&b);
}

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  if (g_str_equal (method, "AddNotification"))
    {
      DrsTestNotification *n = g_new0 (DrsTestNotification, 1);
      g_autoptr (GVariant) dict = NULL;
      g_autoptr (GVariant) target = NULL;
      GVariantDict d;

      g_variant_get (parameters, "(ss@a{sv})", &n->app_id, &n->id, &dict);
      g_variant_dict_init (&d, dict);
      g_variant_dict_lookup (&d, "title", "s", &n->title);
      g_variant_dict_lookup (&d, "body", "s", &n->body);
      g_variant_dict_lookup (&d, "default-action", "s", &n->action);
      target = g_variant_dict_lookup_value (&d, "default-action-target", NULL);
      if (target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_STRING))
        n->target = g_variant_dup_string (target, NULL);
      read_button (n, &d);
      g_variant_dict_clear (&d);
      g_test_message ("AddNotification %s: %s — %s", n->id, n->title, n->body);
      g_ptr_array_add (added, n);
    }
  else if (g_str_equal (method, "RemoveNotification"))
    {
      char *app_id = NULL, *id = NULL;

      g_variant_get (parameters, "(ss)", &app_id, &id);
      g_ptr_array_add (removed, id);
      g_free (app_id);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_bus_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  static const GDBusInterfaceVTable vtable = { on_method_call, NULL, NULL };
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection, NULL);
  g_autoptr (GError) error = NULL;

  g_dbus_connection_register_object (connection, "/org/gtk/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer user_data)
{
  name_owned = TRUE;
}

/**
 * drs_test_notify_start:
 *
 * Owns org.gtk.Notifications on the session bus: call it before any notification is sent, GIO
 * picks its notification backend once per process.
 */
void
drs_test_notify_start (void)
{
  added = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  removed = g_ptr_array_new_with_free_func (g_free);
  owner_id =
      g_bus_own_name (G_BUS_TYPE_SESSION, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                      on_bus_acquired, on_name_acquired, NULL, NULL, NULL);
  DRS_TEST_SPIN_UNTIL (name_owned, WAIT_MS);
}

void
drs_test_notify_stop (void)
{
  g_bus_unown_name (owner_id);
  g_clear_pointer (&added, g_ptr_array_unref);
  g_clear_pointer (&removed, g_ptr_array_unref);
}

/**
 * drs_test_notify_get_added:
 *
 * Returns: (transfer none) (element-type DrsTestNotification): every notification received
 */
GPtrArray *
drs_test_notify_get_added (void)
{
  return added;
}

/**
 * drs_test_notify_get_removed:
 *
 * Returns: (transfer none) (element-type utf8): the ids of the notifications withdrawn
 */
GPtrArray *
drs_test_notify_get_removed (void)
{
  return removed;
}

void
drs_test_notify_clear (void)
{
  g_ptr_array_set_size (added, 0);
  g_ptr_array_set_size (removed, 0);
}

/* How many notifications the application @app_id sent. */
guint
drs_test_notify_count (const char *app_id)
{
  guint n = 0;

  for (guint i = 0; i < added->len; i++)
    if (g_str_equal (((DrsTestNotification *) added->pdata[i])->app_id, app_id))
      n++;
  return n;
}

/* The first notification of @app_id whose id starts with @id_prefix. */
const DrsTestNotification *
drs_test_notify_find (const char *app_id, const char *id_prefix)
{
  for (guint i = 0; i < added->len; i++)
    {
      const DrsTestNotification *n = added->pdata[i];

      if (g_str_equal (n->app_id, app_id) && g_str_has_prefix (n->id, id_prefix))
        return n;
    }
  return NULL;
}

static void
on_replied (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply =
      g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* A round trip through the server after everything sent so far: the bus keeps the order. */
void
drs_test_notify_sync (GApplication *app)
{
  GDBusConnection *bus = g_application_get_dbus_connection (app);
  gboolean         done = FALSE;

  g_dbus_connection_call (bus, "org.gtk.Notifications", "/org/gtk/Notifications",
                          "org.gtk.Notifications", "Sync", NULL, NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                          NULL, on_replied, &done);
  DRS_TEST_SPIN_UNTIL (done, WAIT_MS);
}

/**
 * drs_test_activate_action:
 * @action: "app.NAME", as a notification names it
 * @target: (nullable): its string target
 *
 * What the desktop does when a notification, or one of its buttons, is clicked: activates the
 * action over D-Bus.
 */
void
drs_test_activate_action (GApplication *app, const char *action, const char *target)
{
  GDBusConnection *bus = g_application_get_dbus_connection (app);
  GVariantBuilder  targets;
  gboolean         done = FALSE;

  g_assert_true (g_str_has_prefix (action, "app."));
  g_variant_builder_init (&targets, G_VARIANT_TYPE ("av"));
  if (target != NULL)
    g_variant_builder_add (&targets, "v", g_variant_new_string (target));
  g_dbus_connection_call (bus, g_dbus_connection_get_unique_name (bus),
                          g_application_get_dbus_object_path (app), "org.freedesktop.Application",
                          "ActivateAction",
                          g_variant_new ("(sav@a{sv})", action + strlen ("app."), &targets,
                                         g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, on_replied, &done);
  DRS_TEST_SPIN_UNTIL (done, WAIT_MS);
}

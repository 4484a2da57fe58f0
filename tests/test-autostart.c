/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Start at login (issue 14) through the preferences' switch: against a stand-in
 * org.freedesktop.portal.Desktop on the test's session bus (RequestBackground answered by a
 * Request object's Response signal) when the desktop grants it, refuses it and turns it off; and,
 * with no portal on the bus, through an XDG autostart file under the test's private
 * XDG_CONFIG_HOME. */
#include "config.h"

#include "drs-application.h"
#include "drs-autostart.h"
#include "drs-preferences.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"

#define WAIT_MS 30000
#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"

/* The stand-in portal ---------------------------------------------------------------------------
 */

typedef enum
{
  ANSWER_GRANT,
  ANSWER_REFUSE,
} Answer;

static Answer   answer;
static guint    n_requests;
static gboolean last_autostart;
static char    *last_parent;
static GStrv    last_commandline;
static guint    portal_owner_id;
static gboolean portal_owned;

static const char portal_introspection[] =
    "<node><interface name='org.freedesktop.portal.Background'>"
    "<method name='RequestBackground'><arg type='s' direction='in'/>"
    "<arg type='a{sv}' direction='in'/><arg type='o' direction='out'/></method>"
    "<property name='version' type='u' access='read'/>"
    "</interface></node>";

/* Where the Response of a request comes from: the sender's unique name without its colon and with
 * its dots as underscores, and the caller's token. */
static char *
request_path (const char *sender, const char *token)
{
  g_autofree char *escaped = g_strdup (sender + 1);

  g_strdelimit (escaped, ".", '_');
  return g_strdup_printf (PORTAL_PATH "/request/%s/%s", escaped, token);
}

static void
on_portal_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  g_autoptr (GVariant) options = NULL;
  g_autofree char *handle = NULL;
  const char      *token = "t";
  GVariantBuilder  results;
  GVariantDict     dict;

  g_assert_cmpstr (method, ==, "RequestBackground");
  n_requests++;
  g_free (last_parent);
  g_variant_get (parameters, "(s@a{sv})", &last_parent, &options);
  g_variant_dict_init (&dict, options);
  g_variant_dict_lookup (&dict, "handle_token", "&s", &token);
  last_autostart = FALSE;
  g_variant_dict_lookup (&dict, "autostart", "b", &last_autostart);
  g_clear_pointer (&last_commandline, g_strfreev);
  g_variant_dict_lookup (&dict, "commandline", "^as", &last_commandline);
  handle = request_path (sender, token);
  g_variant_dict_clear (&dict);
  g_test_message ("RequestBackground from %s: autostart %d", sender, last_autostart);

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", handle));

  /* The user's answer, sent to the caller alone as the portal does. */
  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background",
                         g_variant_new_boolean (answer == ANSWER_GRANT));
  g_variant_builder_add (&results, "{sv}", "autostart",
                         g_variant_new_boolean (answer == ANSWER_GRANT && last_autostart));
  g_dbus_connection_emit_signal (
      connection, sender, handle, "org.freedesktop.portal.Request", "Response",
      g_variant_new ("(ua{sv})", answer == ANSWER_GRANT ? 0 : 1, &results), NULL);
}

static GVariant *
on_portal_get_property (GDBusConnection *connection,
                        const char      *sender,
                        const char      *path,
                        const char      *interface,
                        const char      *property,
                        GError         **error,
                        gpointer         user_data)
{
  return g_variant_new_uint32 (1);
}

static void
on_portal_bus (GDBusConnection *connection, const char *name, gpointer user_data)
{
  static const GDBusInterfaceVTable vtable = { on_portal_call, on_portal_get_property, NULL };
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_introspection, NULL);
  g_autoptr (GError) error = NULL;

  g_dbus_connection_register_object (connection, PORTAL_PATH, info->interfaces[0], &vtable, NULL,
                                     NULL, &error);
  g_assert_no_error (error);
}

static void
on_portal_name (GDBusConnection *connection, const char *name, gpointer user_data)
{
  portal_owned = TRUE;
}

static void
start_portal (void)
{
  if (portal_owner_id != 0)
    return;
  portal_owner_id = g_bus_own_name (G_BUS_TYPE_SESSION, PORTAL_NAME, G_BUS_NAME_OWNER_FLAGS_NONE,
                                    on_portal_bus, on_portal_name, NULL, NULL, NULL);
  DRS_TEST_SPIN_UNTIL (portal_owned, WAIT_MS);
}

/* The application and its preferences ------------------------------------------------------------
 */

typedef struct
{
  DrsApplication *app;
  DrsPreferences *prefs;
  DrsAutostart   *autostart;
  AdwActionRow   *row;
  GtkSwitch      *toggle;
} Fixture;

/* The row titled @title, anywhere under @widget. */
static gboolean
has_title (GtkWidget *row, gconstpointer title)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0;
}

static AdwActionRow *
find_row (GtkWidget *widget, const char *title)
{
  return ADW_ACTION_ROW (
      drs_test_find_widget_where (widget, ADW_TYPE_ACTION_ROW, has_title, title));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_settings_reset (drs_test_get_settings (), "start-at-login");
  answer = ANSWER_GRANT;
  n_requests = 0;
  f->app = drs_test_app_new ("Autostart");
  drs_test_app_activate (f->app);
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l; l = l->next)
    if (DRS_IS_PREFERENCES (l->data))
      f->prefs = l->data;
  g_assert_nonnull (f->prefs);
  drs_test_wait_frames (GTK_WIDGET (f->prefs), 1);
  f->autostart = drs_autostart_get_for_application (GTK_APPLICATION (f->app));
  g_assert_nonnull (f->autostart);
  f->row = find_row (GTK_WIDGET (f->prefs), "Start at login");
  g_assert_nonnull (f->row);
  f->toggle = (GtkSwitch *) drs_test_find_widget (GTK_WIDGET (f->row), GTK_TYPE_SWITCH);
  g_assert_nonnull (f->toggle);
  g_assert_false (gtk_switch_get_active (f->toggle));
  g_assert_cmpstr (adw_action_row_get_subtitle (f->row), ==,
                   "Starts hidden when you log in and keeps watching");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  drs_test_app_end (f->app);
}

/* Flips the switch as a click does and waits for the desktop's answer. */
static void
toggle (Fixture *f, gboolean active)
{
  gtk_switch_set_active (f->toggle, active);
  g_assert_true (drs_autostart_get_busy (f->autostart));
  DRS_TEST_SPIN_UNTIL (!drs_autostart_get_busy (f->autostart), WAIT_MS);
}

static char *
file_path (void)
{
  return drs_autostart_get_file_path ();
}

/* No portal answers: an autostart file of our own, written and removed, and the row says so. */
static void
test_fallback_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = file_path ();
  g_autofree char *contents = NULL;
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *exec = NULL;

  g_assert_true (g_str_has_prefix (path, g_getenv ("XDG_CONFIG_HOME")));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  toggle (f, TRUE);
  g_assert_cmpuint (n_requests, ==, 0);
  g_assert_true (drs_autostart_get_uses_file (f->autostart));
  g_assert_true (gtk_switch_get_active (f->toggle));
  g_assert_true (g_settings_get_boolean (drs_test_get_settings (), "start-at-login"));
  g_assert_true (g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (keyfile, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (exec, "drs-monitor --background"));
  g_assert_true (
      g_key_file_get_boolean (keyfile, "Desktop Entry", "X-GNOME-Autostart-enabled", NULL));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (f->row), "No desktop portal answered"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (f->row), g_getenv ("XDG_CONFIG_HOME")));
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (f->prefs));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (f->prefs), "monitoring");
  drs_test_wait_frames (GTK_WIDGET (f->prefs), 2);
  drs_test_save_screenshot (GTK_WIDGET (f->prefs), "autostart-fallback.png");

  toggle (f, FALSE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (adw_action_row_get_subtitle (f->row), ==,
                   "No desktop portal answered: the autostart file was removed");
}

/* Granted, then turned off: the portal is asked each time, with the hidden start's command. */
static void
test_granted_and_off (Fixture *f, gconstpointer data)
{
  g_autofree char *path = file_path ();

  start_portal ();
  toggle (f, TRUE);
  g_assert_cmpuint (n_requests, ==, 1);
  g_assert_true (last_autostart);
  g_assert_nonnull (last_commandline);
  g_assert_cmpuint (g_strv_length (last_commandline), ==, 2);
  g_assert_true (g_str_has_suffix (last_commandline[0], "drs-monitor"));
  g_assert_cmpstr (last_commandline[1], ==, "--background");
  /* Asked over the preferences window, which the desktop puts its question in front of. */
  g_assert_true (g_str_has_prefix (last_parent, "x11:") ||
                 g_str_has_prefix (last_parent, "wayland:"));
  g_assert_true (gtk_switch_get_active (f->toggle));
  g_assert_true (g_settings_get_boolean (drs_test_get_settings (), "start-at-login"));
  g_assert_false (drs_autostart_get_uses_file (f->autostart));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (adw_action_row_get_subtitle (f->row), ==,
                   "Starts hidden when you log in and keeps watching");

  toggle (f, FALSE);
  g_assert_cmpuint (n_requests, ==, 2);
  g_assert_false (last_autostart);
  g_assert_false (gtk_switch_get_active (f->toggle));
  g_assert_false (g_settings_get_boolean (drs_test_get_settings (), "start-at-login"));
  g_assert_cmpstr (adw_action_row_get_subtitle (f->row), ==,
                   "Starts hidden when you log in and keeps watching");
}

/* Refused: the switch returns to off and the row says why. */
static void
test_refused (Fixture *f, gconstpointer data)
{
  start_portal ();
  answer = ANSWER_REFUSE;
  toggle (f, TRUE);
  g_assert_cmpuint (n_requests, ==, 1);
  g_assert_true (last_autostart);
  g_assert_false (gtk_switch_get_active (f->toggle));
  g_assert_false (g_settings_get_boolean (drs_test_get_settings (), "start-at-login"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (f->row), "did not allow"));
  /* Going back to off asked nothing more of the desktop. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (n_requests, ==, 1);

  /* Allowed on the next try. */
  answer = ANSWER_GRANT;
  toggle (f, TRUE);
  g_assert_true (gtk_switch_get_active (f->toggle));
  g_assert_cmpstr (adw_action_row_get_subtitle (f->row), ==,
                   "Starts hidden when you log in and keeps watching");
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  int              ret;

  g_setenv ("DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  dir = drs_test_init_gui (&argc, &argv);
  gtk_init ();
  adw_init ();

  /* The fallback first: the stand-in portal owns its name from the next test on. */
  g_test_add ("/autostart/fallback-file", Fixture, NULL, fixture_setup, test_fallback_file,
              fixture_teardown);
  g_test_add ("/autostart/granted-and-off", Fixture, NULL, fixture_setup, test_granted_and_off,
              fixture_teardown);
  g_test_add ("/autostart/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  ret = g_test_run ();
  if (portal_owner_id != 0)
    g_bus_unown_name (portal_owner_id);
  g_clear_pointer (&last_parent, g_free);
  g_clear_pointer (&last_commandline, g_strfreev);
  drs_test_remove_dir (dir);
  return ret;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Accounts in the preferences against the in-process simulator, with the secrets in a real
 * gnome-keyring on a private session bus, and the monitoring settings bound to GSettings. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "drs-accounts.h"
#include "drs-application.h"
#include "drs-duration-row.h"
#include "drs-preferences.h"
#include "drs-secrets.h"
#include "drs-simulator.h"
#include "drs-test-gui.h"
#include "drs-test-utils.h"
#include "drs-window.h"

#define WAIT_MS 30000
#define WRONG_PASSWORD "Wrong-Passw0rd-xyzzy"
#define WRONG_SK "SKWRONG00000000000000000000000000000000"

/* A private session bus with gnome-keyring-daemon (as in test-secrets.c) ---------------------- */

static GSubprocess *bus;
static GSubprocess *keyring;
static char        *keyring_home;

static gboolean
start_keyring (void)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) connection = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *address = NULL;
  g_autofree char *data = NULL;
  g_autofree char *runtime = NULL;
  gboolean         owned = FALSE;

  if (daemon == NULL)
    return FALSE;

  bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "dbus-daemon", "--session",
                          "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  keyring_home = g_dir_make_tmp ("drs-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (keyring_home, "data", NULL);
  runtime = g_build_filename (keyring_home, "runtime", NULL);
  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (runtime, 0700);

  launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "HOME", keyring_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  keyring = g_subprocess_launcher_spawn (launcher, &error, daemon, "--foreground", "--unlock",
                                         "--components=secrets", NULL);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring), "\n", 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, NULL);

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 500 && !owned; i++)
    {
      g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
          connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
          "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(b)"),
          G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);

      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &owned);
      if (!owned)
        g_usleep (10000); /* another process is starting: no main loop to spin */
    }
  g_assert_true (owned);
  return TRUE;
}

static void
stop_keyring (void)
{
  if (keyring != NULL)
    {
      g_subprocess_force_exit (keyring);
      g_subprocess_wait (keyring, NULL, NULL);
      g_clear_object (&keyring);
    }
  if (bus != NULL)
    {
      secret_service_disconnect ();
      g_subprocess_force_exit (bus);
      g_subprocess_wait (bus, NULL, NULL);
      g_clear_object (&bus);
    }
  if (keyring_home != NULL)
    {
      drs_test_remove_dir (keyring_home);
      g_clear_pointer (&keyring_home, g_free);
    }
}

/* What the Secret Service itself holds, read without the app. */
static char *
keyring_lookup (const char *account, const char *kind)
{
  g_autoptr (GError) error = NULL;
  char *secret = secret_password_lookup_sync (drs_secrets_get_schema (), NULL, &error, "account",
                                              account, "kind", kind, NULL);
  char *copy;

  g_assert_no_error (error);
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}

static gboolean
keyring_has (const char *account, const char *kind)
{
  g_autofree char *secret = keyring_lookup (account, kind);

  return secret != NULL;
}

/* Fixture ------------------------------------------------------------------------------------ */

typedef struct
{
  DrsApplication *app;
  DrsWindow      *window;
  DrsPreferences *prefs;
  DrsSimulator   *sim;
  char           *history_path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  static guint     n;

  if (keyring == NULL)
    return;
  f->history_path = g_strdup_printf ("%s/prefs-%u.db", g_get_user_data_dir (), ++n);
  g_setenv ("DRS_MONITOR_HISTORY", f->history_path, TRUE);
  drs_test_gui_log_setup ();
  f->app = drs_application_new ();
  id = g_strdup_printf ("%s.Prefs%u", APPLICATION_ID, n);
  g_application_set_application_id (G_APPLICATION (f->app), id);
  g_application_set_flags (G_APPLICATION (f->app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  /* Every test starts without accounts. */
  g_settings_reset (drs_test_get_settings (), "accounts");
  g_application_activate (G_APPLICATION (f->app));
  f->window = DRS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (f->window);

  f->sim = drs_simulator_new ();
  g_assert_true (drs_simulator_listen (f->sim, 0, NULL, &error));
  g_assert_no_error (error);

  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l; l = l->next)
    if (DRS_IS_PREFERENCES (l->data))
      f->prefs = l->data;
  g_assert_nonnull (f->prefs);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->app == NULL)
    return;
  drs_monitor_stop (drs_session_get_monitor (drs_application_get_session (f->app)));
  if (f->prefs != NULL)
    gtk_window_destroy (GTK_WINDOW (f->prefs));
  f->window = drs_test_main_window (f->app);
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (f->window);
  g_object_unref (f->app);
  g_clear_object (&f->sim);
  g_free (f->history_path);
}

static void
wait_idle (Fixture *f)
{
  DRS_TEST_SPIN_UNTIL (!drs_preferences_get_busy (f->prefs), WAIT_MS);
}

static const char *
status (Fixture *f, gboolean *ok)
{
  const char *text = drs_preferences_get_status (f->prefs, ok);

  g_test_message ("status: %s", text ? text : "(none)");
  return text;
}

/* The new-account form for the simulator, with the IAM user and a password. */
static void
fill_password_account (Fixture *f, const char *password)
{
  drs_preferences_set_field (f->prefs, "name", "acme");
  drs_preferences_set_field (f->prefs, "region", "");
  drs_preferences_set_field (f->prefs, "endpoint", drs_simulator_get_base_url (f->sim));
  drs_preferences_set_field (f->prefs, "auth", "password");
  drs_preferences_set_field (f->prefs, "domain", DRS_SIM_DEMO_ACCOUNT);
  drs_preferences_set_field (f->prefs, "user", DRS_SIM_DEMO_USER);
  drs_preferences_set_field (f->prefs, "password", password);
}

static gboolean
bytes_contain (const char *data, gsize length, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* No secret in any setting of the schema. */
static void
assert_settings_clean (Fixture *f)
{
  GSettings *settings = drs_test_get_settings ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;
  static const char *const secrets[] = { DRS_SIM_DEMO_PASSWORD, WRONG_PASSWORD, DRS_SIM_DEMO_SK,
                                         WRONG_SK };

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *text = g_variant_print (value, FALSE);

      for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
        g_assert_null (strstr (text, secrets[s]));
    }
}

/* No secret in the history file (and its write-ahead log). */
static void
assert_history_clean (Fixture *f)
{
  static const char *const suffixes[] = { "", "-wal" };
  static const char *const secrets[] = { DRS_SIM_DEMO_PASSWORD, WRONG_PASSWORD, DRS_SIM_DEMO_SK,
                                         WRONG_SK };

  drs_history_flush (drs_session_get_history (drs_application_get_session (f->app)));
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->history_path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize            length = 0;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      g_assert_cmpuint (length, >, 0);
      for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
        g_assert_false (bytes_contain (contents, length, secrets[s]));
    }
}

static void
test_account_lifecycle (Fixture *f, gconstpointer data)
{
  DrsAccounts      *accounts;
  const DrsAccount *account;
  g_autofree char  *stored = NULL;
  const char       *text;
  gboolean          ok = FALSE;
  DrsJob           *job;
  g_auto (GStrv) sim_ids = NULL;

  if (keyring == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }
  accounts = drs_session_get_accounts (drs_application_get_session (f->app));
  g_assert_false (drs_session_get_has_account (drs_application_get_session (f->app)));
  g_assert_cmpuint (drs_preferences_get_n_accounts (f->prefs), ==, 0);

  /* Add: a wrong password is refused by IAM, with its words. */
  drs_preferences_edit_account (f->prefs, NULL);
  g_assert_true (drs_preferences_get_editing (f->prefs));
  fill_password_account (f, WRONG_PASSWORD);
  drs_preferences_look_up_project (f->prefs);
  wait_idle (f);
  text = status (f, &ok);
  g_assert_false (ok);
  g_assert_nonnull (strstr (text, "password is wrong"));
  g_assert_cmpstr (drs_preferences_get_field (f->prefs, "project-id"), ==, "");

  /* The right one: Look up finds the project. */
  drs_preferences_set_field (f->prefs, "password", DRS_SIM_DEMO_PASSWORD);
  drs_preferences_look_up_project (f->prefs);
  wait_idle (f);
  text = status (f, &ok);
  g_assert_true (ok);
  g_assert_cmpstr (drs_preferences_get_field (f->prefs, "project-id"), ==,
                   drs_simulator_get_project_id (f->sim));

  /* Test connection: success, then the exact problem with a bad password. */
  drs_preferences_test_connection (f->prefs);
  wait_idle (f);
  text = status (f, &ok);
  g_assert_true (ok);
  g_assert_true (g_str_has_prefix (text, "Connected"));
  drs_preferences_set_field (f->prefs, "password", WRONG_PASSWORD);
  drs_preferences_test_connection (f->prefs);
  wait_idle (f);
  text = status (f, &ok);
  g_assert_false (ok);
  g_assert_nonnull (strstr (text, "password is wrong"));

  /* Save: the password goes to the keyring, the rest to the settings. */
  drs_preferences_set_field (f->prefs, "password", DRS_SIM_DEMO_PASSWORD);
  drs_preferences_save (f->prefs);
  DRS_TEST_SPIN_UNTIL (drs_accounts_get_n_accounts (accounts) == 1, WAIT_MS);
  account = drs_accounts_lookup (accounts, "acme");
  g_assert_nonnull (account);
  g_assert_cmpint (account->auth, ==, DRS_CREDENTIALS_PASSWORD);
  g_assert_cmpstr (account->user, ==, DRS_SIM_DEMO_USER);
  g_assert_cmpstr (account->project_id, ==, drs_simulator_get_project_id (f->sim));
  stored = keyring_lookup ("acme", "password");
  g_assert_cmpstr (stored, ==, DRS_SIM_DEMO_PASSWORD);
  g_assert_true (drs_session_get_has_account (drs_application_get_session (f->app)));
  g_assert_cmpuint (drs_preferences_get_n_accounts (f->prefs), ==, 1);
  DRS_TEST_SPIN_UNTIL (
      drs_session_get_client (drs_application_get_session (f->app), "acme") != NULL, WAIT_MS);
  DRS_TEST_SPIN_UNTIL (!drs_preferences_get_editing (f->prefs), WAIT_MS);

  /* Its tasks are polled with it. */
  sim_ids = drs_simulator_dup_job_ids (f->sim);
  {
    const char *ids[] = { sim_ids[0], NULL };
    g_assert_cmpuint (
        drs_session_add_jobs (drs_application_get_session (f->app), "acme", ids, NULL), ==, 1);
    job = drs_job_store_lookup (drs_session_get_store (drs_application_get_session (f->app)),
                                sim_ids[0]);
    DRS_TEST_SPIN_UNTIL (drs_job_get_last_updated_us (job) > 0, WAIT_MS);
    g_assert_false (drs_job_get_stale (job));
  }

  /* Edit: the stored password comes back into the form; switch to AK/SK. */
  drs_preferences_edit_account (f->prefs, "acme");
  DRS_TEST_SPIN_UNTIL (!drs_preferences_get_busy (f->prefs), WAIT_MS);
  g_assert_cmpstr (drs_preferences_get_field (f->prefs, "password"), ==, DRS_SIM_DEMO_PASSWORD);
  g_assert_cmpstr (drs_preferences_get_field (f->prefs, "name"), ==, "acme");
  drs_preferences_set_field (f->prefs, "auth", "aksk");
  drs_preferences_set_field (f->prefs, "access-key", DRS_SIM_DEMO_AK);
  drs_preferences_set_field (f->prefs, "sk", WRONG_SK);
  drs_preferences_test_connection (f->prefs);
  wait_idle (f);
  text = status (f, &ok);
  g_assert_false (ok);
  /* The gateway's own code for a bad signature. */
  g_assert_nonnull (strstr (text, "APIGW.0301"));
  drs_preferences_set_field (f->prefs, "sk", DRS_SIM_DEMO_SK);
  drs_preferences_test_connection (f->prefs);
  wait_idle (f);
  text = status (f, &ok);
  g_assert_true (ok);
  drs_preferences_save (f->prefs);
  DRS_TEST_SPIN_UNTIL (drs_accounts_lookup (accounts, "acme")->auth == DRS_CREDENTIALS_AKSK,
                       WAIT_MS);
  g_clear_pointer (&stored, g_free);
  stored = keyring_lookup ("acme", "sk");
  g_assert_cmpstr (stored, ==, DRS_SIM_DEMO_SK);
  g_assert_cmpstr (drs_accounts_lookup (accounts, "acme")->access_key, ==, DRS_SIM_DEMO_AK);
  DRS_TEST_SPIN_UNTIL (
      drs_credentials_get_kind (drs_client_get_credentials (drs_session_get_client (
          drs_application_get_session (f->app), "acme"))) == DRS_CREDENTIALS_AKSK,
      WAIT_MS);

  /* Secrets nowhere but in the keyring. */
  assert_settings_clean (f);
  assert_history_clean (f);

  /* Remove: asked first; cancelling keeps it. */
  DRS_TEST_SPIN_UNTIL (!drs_preferences_get_editing (f->prefs), WAIT_MS);
  drs_preferences_edit_account (f->prefs, "acme");
  wait_idle (f);
  {
    AdwMessageDialog *dialog = drs_preferences_remove_account (f->prefs);

    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_cmpuint (drs_accounts_get_n_accounts (accounts), ==, 1);
    dialog = drs_preferences_remove_account (f->prefs);
    adw_message_dialog_response (dialog, "remove");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  g_assert_cmpuint (drs_accounts_get_n_accounts (accounts), ==, 0);
  g_assert_null (drs_session_get_client (drs_application_get_session (f->app), "acme"));
  DRS_TEST_SPIN_UNTIL (!keyring_has ("acme", "sk"), WAIT_MS);
  g_clear_pointer (&stored, g_free);
  stored = keyring_lookup ("acme", "password");
  g_assert_null (stored);
  g_assert_cmpuint (drs_preferences_get_n_accounts (f->prefs), ==, 0);

  /* Its task and its history stay, no longer polled. */
  g_assert_true (drs_job_store_lookup (drs_session_get_store (drs_application_get_session (f->app)),
                                       sim_ids[0]) == job);
  g_assert_true (drs_job_get_stale (job));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) watched = drs_history_list_watched (
        drs_session_get_history (drs_application_get_session (f->app)), &error);

    g_assert_no_error (error);
    g_assert_cmpuint (watched->len, ==, 1);
    g_assert_cmpint (
        drs_history_count_samples (drs_session_get_history (drs_application_get_session (f->app)),
                                   sim_ids[0]),
        >, 0);
  }
}

static void
on_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (drs_secrets_store_finish (DRS_SECRETS (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Accounts in the settings become clients at start; two accounts show the account column. */
static void
test_accounts_at_start (Fixture *f, gconstpointer data)
{
  g_autoptr (DrsAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsApplication) second = NULL;
  g_autofree char     *id = NULL;
  gboolean             stored = FALSE;
  DrsWindow           *window;
  GtkColumnViewColumn *column;

  if (keyring == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }
  account = drs_account_new ("first");
  drs_account_set (&account->endpoint, drs_simulator_get_base_url (f->sim));
  drs_account_set (&account->project_id, drs_simulator_get_project_id (f->sim));
  account->auth = DRS_CREDENTIALS_AKSK;
  drs_account_set (&account->access_key, DRS_SIM_DEMO_AK);
  drs_secrets_store_async (drs_session_get_secrets (drs_application_get_session (f->app)), "first",
                           DRS_SECRET_SK, DRS_SIM_DEMO_SK, NULL, on_stored, &stored);
  DRS_TEST_SPIN_UNTIL (stored, WAIT_MS);
  g_assert_true (drs_accounts_save (drs_session_get_accounts (drs_application_get_session (f->app)),
                                    NULL, account, &error));
  g_assert_no_error (error);
  drs_account_set (&account->name, "second");
  g_assert_true (drs_accounts_save (drs_session_get_accounts (drs_application_get_session (f->app)),
                                    NULL, account, &error));
  g_assert_no_error (error);

  /* The next start of the app (the settings are the same in this process). */
  drs_monitor_stop (drs_session_get_monitor (drs_application_get_session (f->app)));
  second = drs_application_new ();
  id = g_strdup_printf ("%s.PrefsSecond", APPLICATION_ID);
  g_application_set_application_id (G_APPLICATION (second), id);
  g_application_set_flags (G_APPLICATION (second),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  g_assert_true (g_application_register (G_APPLICATION (second), NULL, &error));
  g_application_activate (G_APPLICATION (second));
  window = DRS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (second)));
  /* Known at once, before the keyring answered: no welcome page. */
  g_assert_true (drs_session_get_has_account (drs_application_get_session (second)));
  g_assert_cmpint (drs_window_get_page (window), !=, DRS_WINDOW_PAGE_WELCOME);
  DRS_TEST_SPIN_UNTIL (
      drs_session_get_client (drs_application_get_session (second), "first") != NULL, WAIT_MS);
  g_assert_cmpstr (drs_session_get_default_account (drs_application_get_session (second)), ==,
                   "first");
  /* "second" has no secret: no client, and the window says why. */
  DRS_TEST_SPIN_UNTIL (drs_window_get_last_toast (window) != NULL &&
                           strstr (drs_window_get_last_toast (window), "“second”") != NULL,
                       WAIT_MS);
  g_assert_nonnull (strstr (drs_window_get_last_toast (window), "No secret access key"));
  g_assert_null (drs_session_get_client (drs_application_get_session (second), "second"));

  column = drs_job_columns_get_column (drs_window_get_columns (window), "account");
  g_assert_true (gtk_column_view_column_get_visible (column));

  drs_monitor_stop (drs_session_get_monitor (drs_application_get_session (second)));
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_settings_bound (Fixture *f, gconstpointer data)
{
  GSettings      *settings;
  DrsDurationRow *refresh, *threshold;
  GtkSwitch      *failed;

  if (keyring == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }
  settings = drs_test_get_settings ();
  refresh = DRS_DURATION_ROW (
      gtk_widget_get_template_child (GTK_WIDGET (f->prefs), DRS_TYPE_PREFERENCES, "refresh_row"));
  threshold = DRS_DURATION_ROW (
      gtk_widget_get_template_child (GTK_WIDGET (f->prefs), DRS_TYPE_PREFERENCES, "threshold_row"));
  failed = GTK_SWITCH (gtk_widget_get_template_child (GTK_WIDGET (f->prefs), DRS_TYPE_PREFERENCES,
                                                      "notify_failed_switch"));

  g_settings_set_uint (settings, "refresh-interval", 42);
  g_assert_cmpuint (drs_duration_row_get_seconds (refresh), ==, 42);
  drs_duration_row_set_seconds (refresh, 120);
  g_assert_cmpuint (g_settings_get_uint (settings, "refresh-interval"), ==, 120);
  /* The monitor follows. */
  g_assert_cmpuint (
      drs_monitor_get_interval (drs_session_get_monitor (drs_application_get_session (f->app))), ==,
      120);

  drs_duration_row_set_seconds (threshold, 900);
  g_assert_cmpuint (g_settings_get_uint (settings, "delay-threshold"), ==, 900);

  gtk_switch_set_active (failed, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "notify-failed"));
  g_settings_set_boolean (settings, "notify-failed", TRUE);
  g_assert_true (gtk_switch_get_active (failed));

  g_settings_reset (settings, "refresh-interval");
  g_settings_reset (settings, "delay-threshold");
}

static void find_preferences (Fixture *f);

/* Lets a language switch reach the open windows (the app builds them again from the main
 * loop): the preferences are new ones, if the language changed. */
static void
switch_language (Fixture *f, const char *language)
{
  f->window = drs_test_switch_language (f->app, language);
  find_preferences (f);
  drs_test_wait_frames (GTK_WIDGET (f->prefs), 3);
}

static const char *
unit_label (DrsDurationRow *row)
{
  GtkDropDown     *units = drs_duration_row_get_unit_dropdown (row);
  GtkStringObject *item = gtk_drop_down_get_selected_item (units);

  return item ? gtk_string_object_get_string (item) : NULL;
}

static DrsDurationRow *
duration_row (Fixture *f, const char *id)
{
  GObject *row = gtk_widget_get_template_child (GTK_WIDGET (f->prefs), DRS_TYPE_PREFERENCES, id);

  g_assert_nonnull (row);
  g_assert_true (DRS_IS_DURATION_ROW (row));
  return DRS_DURATION_ROW (row);
}

/* Durations are a number and a unit (15 seconds, 10 minutes, 1 hour), in both languages, and what
 * is entered so reaches the settings in seconds. */
static void
test_durations (Fixture *f, gconstpointer data)
{
  const char      *language = data;
  gboolean         chinese = g_str_equal (language, "zh-CN");
  GSettings       *settings;
  DrsDurationRow  *refresh, *finished, *threshold, *grace;
  g_autofree char *shot = NULL;

  if (keyring == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }
  settings = drs_test_get_settings ();
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (f->prefs));
  DRS_TEST_SPIN_UNTIL (!drs_preferences_get_editing (f->prefs), WAIT_MS);
  switch_language (f, language);
  refresh = duration_row (f, "refresh_row");
  finished = duration_row (f, "finished_row");
  threshold = duration_row (f, "threshold_row");
  grace = duration_row (f, "grace_row");

  /* The defaults: 15 s, 10 min, 5 min, 10 min. */
  g_assert_cmpuint (drs_duration_row_get_seconds (refresh), ==, 15);
  g_assert_cmpfloat (gtk_spin_button_get_value (drs_duration_row_get_spin_button (refresh)), ==,
                     15);
  g_assert_cmpstr (unit_label (refresh), ==, chinese ? "秒" : "seconds");
  g_assert_cmpfloat (gtk_spin_button_get_value (drs_duration_row_get_spin_button (finished)), ==,
                     10);
  g_assert_cmpstr (unit_label (finished), ==, chinese ? "分钟" : "minutes");
  g_assert_cmpfloat (gtk_spin_button_get_value (drs_duration_row_get_spin_button (threshold)), ==,
                     5);
  g_assert_cmpuint (drs_duration_row_get_unit (grace), ==, 60);

  /* A setting of an hour shows as 1 hour. */
  g_settings_set_uint (settings, "finished-interval", 3600);
  g_assert_cmpfloat (gtk_spin_button_get_value (drs_duration_row_get_spin_button (finished)), ==,
                     1);
  g_assert_cmpstr (unit_label (finished), ==, chinese ? "小时" : "hours");

  /* The user picks hours for the threshold: 5 hours; then types 2. */
  gtk_drop_down_set_selected (drs_duration_row_get_unit_dropdown (threshold), 2);
  g_assert_cmpuint (g_settings_get_uint (settings, "delay-threshold"), ==, 5 * 3600);
  gtk_spin_button_set_value (drs_duration_row_get_spin_button (threshold), 2);
  g_assert_cmpuint (g_settings_get_uint (settings, "delay-threshold"), ==, 2 * 3600);
  g_assert_cmpstr (unit_label (threshold), ==, chinese ? "小时" : "hours");

  /* Minutes of the grace period, kept as minutes even at a round hour. */
  gtk_spin_button_set_value (drs_duration_row_get_spin_button (grace), 60);
  g_assert_cmpuint (g_settings_get_uint (settings, "delay-grace"), ==, 3600);
  g_assert_cmpuint (drs_duration_row_get_unit (grace), ==, 60);

  /* Bounds hold: the refresh interval is at most an hour, at least 5 s. */
  gtk_drop_down_set_selected (drs_duration_row_get_unit_dropdown (refresh), 2);
  g_assert_cmpuint (g_settings_get_uint (settings, "refresh-interval"), ==, 3600);
  gtk_drop_down_set_selected (drs_duration_row_get_unit_dropdown (refresh), 0);
  gtk_spin_button_set_value (drs_duration_row_get_spin_button (refresh), 1);
  g_assert_cmpuint (g_settings_get_uint (settings, "refresh-interval"), ==, 5);

  g_settings_reset (settings, "refresh-interval");
  g_settings_reset (settings, "finished-interval");
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (f->prefs), "monitoring");
  drs_test_wait_frames (GTK_WIDGET (f->prefs), 3);
  shot = g_strdup_printf ("preferences-monitoring-%s.png", language);
  drs_test_save_screenshot (GTK_WIDGET (f->prefs), shot);
  g_settings_reset (settings, "delay-threshold");
  g_settings_reset (settings, "delay-grace");
  switch_language (f, "en-US");
}

/* The row "No accounts yet" of the accounts list, when it is on screen. */
static GtkWidget *
placeholder (Fixture *f)
{
  GtkWidget *list = GTK_WIDGET (
      gtk_widget_get_template_child (GTK_WIDGET (f->prefs), DRS_TYPE_PREFERENCES, "accounts_list"));

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (ADW_IS_PREFERENCES_ROW (child) &&
        g_object_get_data (G_OBJECT (child), "drs-account") == NULL)
      return child;
  return NULL;
}

static void
find_preferences (Fixture *f)
{
  f->prefs = NULL;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (f->app)); l; l = l->next)
    if (DRS_IS_PREFERENCES (l->data))
      f->prefs = l->data;
  g_assert_nonnull (f->prefs);
}

static void
open_preferences (Fixture *f)
{
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "preferences", NULL);
  find_preferences (f);
}

/* The demo opens Preferences on the accounts list, where "No accounts yet" shows; a first run
 * without the demo goes straight to the new-account form. */
static void
test_opens_on_list (Fixture *f, gconstpointer data)
{
  const char *language = data;
  gboolean    chinese = g_str_equal (language, "zh-CN");
  g_autoptr (GError) error = NULL;
  g_autofree char *shot = NULL;
  GtkWidget       *row;
  const char      *title;

  if (keyring == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }
  g_assert_true (drs_preferences_get_editing (f->prefs));
  gtk_window_destroy (GTK_WINDOW (f->prefs));

  gtk_window_set_default_size (GTK_WINDOW (f->window), chinese ? 1280 : 1400, 800);
  g_assert_true (drs_application_start_demo (f->app, &error));
  g_assert_no_error (error);
  open_preferences (f);
  switch_language (f, language);
  g_assert_false (drs_preferences_get_editing (f->prefs));
  g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (f->prefs)),
                   ==, "accounts");
  g_assert_cmpuint (drs_preferences_get_n_accounts (f->prefs), ==, 0);
  drs_test_wait_frames (GTK_WIDGET (f->prefs), 3);
  row = placeholder (f);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_mapped (row));
  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_assert_cmpstr (title, ==, chinese ? "尚无账号" : "No accounts yet");
  shot = g_strdup_printf ("preferences-accounts-%s.png", language);
  drs_test_save_screenshot (GTK_WIDGET (f->prefs), shot);

  /* Closed and opened again: still the list. */
  gtk_window_destroy (GTK_WINDOW (f->prefs));
  open_preferences (f);
  g_assert_false (drs_preferences_get_editing (f->prefs));
  switch_language (f, "en-US");
}

/* The account form says where its secret goes, and names the regions. */
static void
test_account_form (Fixture *f, gconstpointer data)
{
  const char      *language = data;
  gboolean         chinese = g_str_equal (language, "zh-CN");
  g_autofree char *shot = NULL;

  if (keyring == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }
  /* The form opened in English: back to the list, and again in the language. */
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (f->prefs));
  DRS_TEST_SPIN_UNTIL (!drs_preferences_get_editing (f->prefs), WAIT_MS);
  switch_language (f, language);
  drs_preferences_edit_account (f->prefs, NULL);
  DRS_TEST_SPIN_UNTIL (drs_preferences_get_secrets_note (f->prefs) != NULL, WAIT_MS);
  g_test_message ("note: %s", drs_preferences_get_secrets_note (f->prefs));
  g_assert_nonnull (
      strstr (drs_preferences_get_secrets_note (f->prefs), chinese ? "密钥环" : "keyring"));
  g_assert_null (strstr (drs_preferences_get_secrets_note (f->prefs), chinese ? "内存" : "memory"));

  drs_preferences_set_field (f->prefs, "region", "cn-north-4");
  g_assert_cmpstr (drs_preferences_get_field (f->prefs, "region"), ==,
                   chinese ? "cn-north-4 — 华北-北京四" : "cn-north-4 — CN North-Beijing4");
  drs_preferences_set_field (f->prefs, "region", "ap-southeast-3");
  g_assert_cmpstr (drs_preferences_get_field (f->prefs, "region"), ==,
                   chinese ? "ap-southeast-3 — 亚太-新加坡" : "ap-southeast-3 — AP-Singapore");
  drs_preferences_set_field (f->prefs, "name", "acme");
  /* Past the page's slide-in. */
  drs_test_wait_frames (GTK_WIDGET (f->prefs), 60);
  shot = g_strdup_printf ("preferences-account-%s.png", language);
  drs_test_save_screenshot (GTK_WIDGET (f->prefs), shot);
  switch_language (f, "en-US");
}

/* Without a Secret Service (no session bus at all here), the form says the secret stays in memory
 * for this session. */
static void
test_secrets_in_memory (gconstpointer data)
{
  const char *language = data;

  if (g_str_equal (language, "zh-CN") && !drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  drs_test_use_language ("en_US");
  if (g_test_subprocess ())
    {
      g_autoptr (DrsApplication) app = NULL;
      g_autofree char *shot = NULL;
      DrsPreferences  *prefs = NULL;
      DrsWindow       *window;

      /* libsecret warns that it has no session bus: that is the point here. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      app = drs_test_app_new ("Memory");
      g_settings_set_string (drs_test_get_settings (), "language", language);
      window = drs_test_app_activate (app);
      drs_monitor_stop (drs_session_get_monitor (drs_application_get_session (app)));
      g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
      for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
        if (DRS_IS_PREFERENCES (l->data))
          prefs = l->data;
      g_assert_nonnull (prefs);
      g_assert_true (drs_preferences_get_editing (prefs));
      DRS_TEST_SPIN_UNTIL (drs_preferences_get_secrets_note (prefs) != NULL, WAIT_MS);
      g_test_message ("note: %s", drs_preferences_get_secrets_note (prefs));
      g_assert_false (
          drs_secrets_get_persistent (drs_session_get_secrets (drs_application_get_session (app))));
      g_assert_nonnull (strstr (drs_preferences_get_secrets_note (prefs),
                                g_str_equal (language, "zh-CN") ? "内存" : "this session only"));
      drs_test_wait_frames (GTK_WIDGET (prefs), 60);
      shot = g_strdup_printf ("preferences-account-memory-%s.png", language);
      drs_test_save_screenshot (GTK_WIDGET (prefs), shot);
      gtk_window_destroy (GTK_WINDOW (prefs));
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The About window's icon comes from the icon theme: found when the app runs from the build tree,
 * where nothing is installed, because the GResource carries it. */
static void
test_about_icon (void)
{
  g_autoptr (DrsApplication) app = drs_test_app_new ("About");
  g_autoptr (GtkIconPaintable) icon = NULL;
  DrsWindow    *window = drs_test_app_activate (app);
  GtkIconTheme *theme =
      gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  GtkWindow *about = NULL;

  drs_monitor_stop (drs_session_get_monitor (drs_application_get_session (app)));
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID));
  icon = gtk_icon_theme_lookup_icon (theme, APPLICATION_ID, NULL, 128, 1, GTK_TEXT_DIR_LTR, 0);
  g_assert_cmpstr (gtk_icon_paintable_get_icon_name (icon), ==, APPLICATION_ID);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && about == NULL; i++)
      {
        g_autoptr (GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_ABOUT_WINDOW (toplevel))
          about = toplevel;
      }
  }
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_icon (ADW_ABOUT_WINDOW (about)), ==,
                   APPLICATION_ID);
  drs_test_wait_frames (GTK_WIDGET (about), 3);
  drs_test_save_screenshot (GTK_WIDGET (about), "about.png");

  gtk_window_destroy (about);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (window);
}

int
main (int argc, char *argv[])
{
  g_autofree char *dir = NULL;
  int              ret;

  g_setenv ("DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  dir = drs_test_init_gui (&argc, &argv);
  /* Before anything connects to the session bus. The in-memory test has no bus at all. */
  if (g_test_subprocess ())
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/drs-no-bus", TRUE);
  else if (!start_keyring ())
    g_test_message ("gnome-keyring-daemon is not installed: the tests are skipped");
  gtk_init ();
  adw_init ();

  g_test_add ("/preferences/account-lifecycle", Fixture, NULL, fixture_setup,
              test_account_lifecycle, fixture_teardown);
  g_test_add ("/preferences/accounts-at-start", Fixture, NULL, fixture_setup,
              test_accounts_at_start, fixture_teardown);
  g_test_add ("/preferences/settings-bound", Fixture, NULL, fixture_setup, test_settings_bound,
              fixture_teardown);
  g_test_add_func ("/preferences/about-icon", test_about_icon);
  g_test_add ("/preferences/durations/en", Fixture, "en-US", fixture_setup, test_durations,
              fixture_teardown);
  g_test_add ("/preferences/durations/zh_CN", Fixture, "zh-CN", fixture_setup, test_durations,
              fixture_teardown);
  g_test_add ("/preferences/opens-on-list/en", Fixture, "en-US", fixture_setup, test_opens_on_list,
              fixture_teardown);
  g_test_add ("/preferences/opens-on-list/zh_CN", Fixture, "zh-CN", fixture_setup,
              test_opens_on_list, fixture_teardown);
  g_test_add ("/preferences/account-form/en", Fixture, "en-US", fixture_setup, test_account_form,
              fixture_teardown);
  g_test_add ("/preferences/account-form/zh_CN", Fixture, "zh-CN", fixture_setup, test_account_form,
              fixture_teardown);
  g_test_add_data_func ("/preferences/secrets-in-memory/en", "en-US", test_secrets_in_memory);
  g_test_add_data_func ("/preferences/secrets-in-memory/zh_CN", "zh-CN", test_secrets_in_memory);
  ret = g_test_run ();
  stop_keyring ();
  drs_test_remove_dir (dir);
  return ret;
}

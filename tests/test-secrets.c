/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "drs-secrets.h"
#include "drs-test-utils.h"

/* A private session bus with a real gnome-keyring-daemon on it, for the whole binary: libsecret
 * keeps its connection to the Secret Service for the life of the process. */
static GSubprocess *bus;
static GSubprocess *keyring;
static char        *keyring_home;

static gboolean
start_keyring (void)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) connection = NULL;
  g_autofree char *daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autofree char *data = NULL;
  g_autofree char *runtime = NULL;
  gboolean         owned = FALSE;

  if (daemon == NULL)
    return FALSE;

  /* Our own session bus (not GTestDBus, which waits at the end for every connection to go, and
   * libsecret keeps one), so that no other test's Secret Service can get in the way. */
  {
    g_autoptr (GDataInputStream) out = NULL;
    g_autofree char *address = NULL;

    bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "dbus-daemon", "--session",
                            "--nofork", "--print-address=1", NULL);
    g_assert_no_error (error);
    out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
    address = g_data_input_stream_read_line (out, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (address);
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  }

  /* Its files go to a directory of ours, never to the real home. */
  keyring_home = g_dir_make_tmp ("drs-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (keyring_home, "data", NULL);
  runtime = g_build_filename (keyring_home, "runtime", NULL);
  g_mkdir_with_parents (data, 0700);
  g_mkdir_with_parents (runtime, 0700);

  launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* Our G_DEBUG=fatal-warnings would make the daemon's harmless warnings fatal. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "HOME", keyring_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  /* --unlock reads the login keyring's password from stdin: an empty line creates it with an
   * empty password (with no input at all there is no login keyring, and no default). */
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
        g_usleep (10000); /* waiting for another process to start: no main loop to spin */
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
      const char *argv[] = { "rm", "-rf", keyring_home, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                    NULL);
      g_clear_pointer (&keyring_home, g_free);
    }
}

static void
on_result (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
store (DrsSecrets *secrets, const char *account, DrsSecretKind kind, const char *secret)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  drs_secrets_store_async (secrets, account, kind, secret, NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 10000);
  g_assert_true (drs_secrets_store_finish (secrets, result, &error));
  g_assert_no_error (error);
}

static char *
lookup (DrsSecrets *secrets, const char *account, DrsSecretKind kind)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  char *secret;

  drs_secrets_lookup_async (secrets, account, kind, NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 10000);
  secret = drs_secrets_lookup_finish (secrets, result, &error);
  g_assert_no_error (error);
  return secret;
}

static void
clear (DrsSecrets *secrets, const char *account)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;

  drs_secrets_clear_async (secrets, account, NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 10000);
  g_assert_true (drs_secrets_clear_finish (secrets, result, &error));
  g_assert_no_error (error);
}

/* What the Secret Service itself holds, read without DrsSecrets. */
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

static void
test_keyring (void)
{
  g_autoptr (DrsSecrets) secrets = NULL;
  char *value;

  if (keyring == NULL)
    {
      g_test_skip ("gnome-keyring-daemon is not installed");
      return;
    }

  secrets = drs_secrets_new ();
  store (secrets, "acme", DRS_SECRET_PASSWORD, "p@ss wörd 1");
  store (secrets, "acme", DRS_SECRET_SK, "SK-acme");
  store (secrets, "other", DRS_SECRET_PASSWORD, "p-other");
  g_assert_true (drs_secrets_get_persistent (secrets));
  g_assert_null (drs_secrets_get_fallback_reason (secrets));

  /* In the Secret Service, under our schema, one item per account and kind. */
  value = keyring_lookup ("acme", "password");
  g_assert_cmpstr (value, ==, "p@ss wörd 1");
  g_free (value);
  value = keyring_lookup ("acme", "sk");
  g_assert_cmpstr (value, ==, "SK-acme");
  g_free (value);

  value = lookup (secrets, "acme", DRS_SECRET_PASSWORD);
  g_assert_cmpstr (value, ==, "p@ss wörd 1");
  g_free (value);
  value = lookup (secrets, "other", DRS_SECRET_PASSWORD);
  g_assert_cmpstr (value, ==, "p-other");
  g_free (value);
  g_assert_null (lookup (secrets, "acme", DRS_SECRET_TOKEN));
  g_assert_null (lookup (secrets, "nobody", DRS_SECRET_PASSWORD));

  /* Storing again replaces. */
  store (secrets, "acme", DRS_SECRET_PASSWORD, "new");
  value = lookup (secrets, "acme", DRS_SECRET_PASSWORD);
  g_assert_cmpstr (value, ==, "new");
  g_free (value);

  /* Clearing an account removes its secrets only. */
  clear (secrets, "acme");
  g_assert_null (lookup (secrets, "acme", DRS_SECRET_PASSWORD));
  g_assert_null (lookup (secrets, "acme", DRS_SECRET_SK));
  value = lookup (secrets, "other", DRS_SECRET_PASSWORD);
  g_assert_cmpstr (value, ==, "p-other");
  g_free (value);

  /* A second instance (the next start of the app) finds what the first stored. */
  {
    g_autoptr (DrsSecrets) again = drs_secrets_new ();
    value = lookup (again, "other", DRS_SECRET_PASSWORD);
    g_assert_cmpstr (value, ==, "p-other");
    g_free (value);
  }
  clear (secrets, "other");
}

static void
on_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* Without a Secret Service, secrets are kept in memory for the session, and it says so. */
static void
test_fallback (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (DrsSecrets) secrets = NULL;
      guint notified = 0;
      char *value;

      /* Newer libsecret (0.21) warns that it has no session bus: that is the point here. */
      g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/drs-no-bus", TRUE);
      secrets = drs_secrets_new ();
      g_signal_connect (secrets, "notify::persistent", G_CALLBACK (on_notify), &notified);
      g_assert_true (drs_secrets_get_persistent (secrets));

      store (secrets, "acme", DRS_SECRET_TOKEN, "tok");
      g_assert_false (drs_secrets_get_persistent (secrets));
      g_assert_cmpuint (notified, ==, 1);
      g_assert_nonnull (strstr (drs_secrets_get_fallback_reason (secrets), "this session only"));

      value = lookup (secrets, "acme", DRS_SECRET_TOKEN);
      g_assert_cmpstr (value, ==, "tok");
      g_free (value);
      g_assert_null (lookup (secrets, "acme", DRS_SECRET_PASSWORD));
      clear (secrets, "acme");
      g_assert_null (lookup (secrets, "acme", DRS_SECRET_TOKEN));

      /* Memory is per instance: nothing outlives the session. */
      {
        g_autoptr (DrsSecrets) next = drs_secrets_new ();
        store (secrets, "acme", DRS_SECRET_TOKEN, "tok");
        g_assert_null (lookup (next, "acme", DRS_SECRET_TOKEN));
      }
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*this session only*");
}

int
main (int argc, char *argv[])
{
  int status;

  drs_test_init (&argc, &argv);

  g_test_add_func ("/secrets/keyring", test_keyring);
  g_test_add_func ("/secrets/fallback", test_fallback);

  if (!g_test_subprocess () && !start_keyring ())
    g_test_message ("gnome-keyring-daemon is not installed: the keyring test is skipped");
  status = g_test_run ();
  stop_keyring ();
  return status;
}

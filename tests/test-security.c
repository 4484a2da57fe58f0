/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The security review of issue 10 as tests: secrets stay out of logs, settings, the history
 * database and crash output; the TLS and loopback rules hold before a byte is sent; the
 * simulator's control endpoint answers loopback peers only; hostile ids and names are stored
 * intact. (The window's side of hostile names is tests/test-security-gui.c.)
 *
 * Related tests elsewhere, not repeated here: /client/transport/loopback (which endpoints
 * drs_client_new() accepts), /client/transport/tls (a token is not sent to a self-signed
 * server), /credentials/password/iam-loopback-rule, /credentials/log-redaction (the client's
 * own debug log). */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "drs-client.h"
#include "drs-error.h"
#include "drs-history.h"
#include "drs-job-id.h"
#include "drs-job-store.h"
#include "drs-monitor.h"
#include "drs-progress-parser.h"
#include "drs-secrets.h"
#include "drs-simulator.h"
#include "drs-test-utils.h"

#define TEST_TOKEN "security-test-fixed-token-5f1e2d3c4b5a69788796a5b4"
/* Every token the simulator issues starts so (see new_token() in drs-simulator.c). */
#define ISSUED_TOKEN_PREFIX "MIIT"
#define WAIT_MS 30000

/* ------------------------------------------------------------------------------------------ */
/* A session that touches every secret: a password sign-in (and its renewal after the token
 * expired), AK/SK signing and a fixed token, through DrsMonitor polling into a DrsHistory file
 * with its settings bound, and the secrets stored in and read back from DrsSecrets. */

typedef struct
{
  DrsSimulator   *sim;
  DrsCredentials *password;
  DrsCredentials *aksk;
  DrsCredentials *token;
  DrsClock       *clock;
  DrsJobStore    *store;
  DrsHistory     *history;
  DrsMonitor     *monitor;
  GSettings      *settings;
  char           *history_path;
  char           *issued; /* the token IAM issued for the password, last one */
  GStrv           ids;
} Session;

static void
on_result (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
store_secret (DrsSecrets *secrets, const char *account, DrsSecretKind kind, const char *secret)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *back = NULL;

  drs_secrets_store_async (secrets, account, kind, secret, NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, WAIT_MS);
  g_assert_true (drs_secrets_store_finish (secrets, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  drs_secrets_lookup_async (secrets, account, kind, NULL, on_result, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, WAIT_MS);
  back = drs_secrets_lookup_finish (secrets, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back, ==, secret);
}

static gboolean
all_updated (Session *s, gint64 after_us)
{
  for (guint i = 0; s->ids[i] != NULL; i++)
    {
      DrsJob *job = drs_job_store_lookup (s->store, s->ids[i]);

      if (job == NULL || drs_job_get_last_updated_us (job) <= after_us)
        return FALSE;
    }
  return TRUE;
}

static void
refresh (Session *s)
{
  gint64 before = drs_clock_get_wall_us (s->clock);

  drs_clock_advance_us (s->clock, G_USEC_PER_SEC);
  drs_monitor_refresh_now (s->monitor);
  DRS_TEST_SPIN_UNTIL (all_updated (s, before), WAIT_MS);
}

static void
session_run (Session *s)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsSecrets) secrets = drs_secrets_new ();
  g_autoptr (DrsClient) c_password = NULL;
  g_autoptr (DrsClient) c_aksk = NULL;
  g_autoptr (DrsClient) c_token = NULL;
  g_auto (GStrv) all = NULL;
  const char  *accounts[] = { "by-password", "by-aksk", "by-token" };
  DrsSimFaults faults = { .token_ttl_s = 120 };

  s->sim = drs_simulator_new ();
  drs_simulator_set_manual_clock (s->sim, TRUE);
  drs_simulator_add_token (s->sim, TEST_TOKEN);
  drs_simulator_set_faults (s->sim, &faults);
  g_assert_true (drs_simulator_listen (s->sim, 0, NULL, &error));
  g_assert_no_error (error);

  s->password = drs_credentials_new_password (drs_simulator_get_base_url (s->sim),
                                              DRS_SIM_DEMO_ACCOUNT, DRS_SIM_DEMO_USER,
                                              DRS_SIM_DEMO_PASSWORD, DRS_SIM_DEMO_PROJECT_ID);
  s->aksk = drs_credentials_new_aksk (DRS_SIM_DEMO_AK, DRS_SIM_DEMO_SK, DRS_SIM_DEMO_PROJECT_ID);
  s->token = drs_credentials_new_token (TEST_TOKEN);
  c_password = drs_client_new (drs_simulator_get_base_url (s->sim), DRS_SIM_DEMO_PROJECT_ID,
                               s->password, &error);
  g_assert_no_error (error);
  c_aksk = drs_client_new (drs_simulator_get_base_url (s->sim), DRS_SIM_DEMO_PROJECT_ID, s->aksk,
                           &error);
  g_assert_no_error (error);
  c_token = drs_client_new (drs_simulator_get_base_url (s->sim), DRS_SIM_DEMO_PROJECT_ID, s->token,
                            &error);
  g_assert_no_error (error);

  /* Where the app keeps them: the keyring (or this process's memory without one). */
  store_secret (secrets, accounts[0], DRS_SECRET_PASSWORD, DRS_SIM_DEMO_PASSWORD);
  store_secret (secrets, accounts[1], DRS_SECRET_SK, DRS_SIM_DEMO_SK);
  store_secret (secrets, accounts[2], DRS_SECRET_TOKEN, TEST_TOKEN);

  s->settings = g_settings_new (APPLICATION_ID);
  s->history_path = g_build_filename (g_get_user_data_dir (), "security-history.db", NULL);
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  s->history = drs_history_open (s->history_path, &error);
  g_assert_no_error (error);
  s->clock = drs_clock_new_manual (drs_simulator_get_wall_time (s->sim) * 1000);
  s->store = drs_job_store_new ();
  s->monitor = drs_monitor_new (s->store, s->history, s->clock);
  drs_monitor_bind_settings (s->monitor, s->settings);
  drs_monitor_set_client (s->monitor, accounts[0], c_password);
  drs_monitor_set_client (s->monitor, accounts[1], c_aksk);
  drs_monitor_set_client (s->monitor, accounts[2], c_token);

  /* A few tasks on each account, watched and recorded as the app does. */
  all = drs_simulator_dup_job_ids (s->sim);
  s->ids = g_new0 (char *, 7);
  for (guint i = 0; i < 6 && all[i] != NULL; i++)
    {
      DrsJob *job = drs_job_store_add (s->store, all[i], NULL);

      s->ids[i] = g_strdup (all[i]);
      drs_job_set_account (job, accounts[i % 3]);
      g_assert_true (
          drs_history_add_watched (s->history, all[i], "watched task", accounts[i % 3], &error));
      g_assert_no_error (error);
    }

  drs_monitor_start (s->monitor);
  refresh (s);
  /* The token expires: the password signs in again. */
  drs_simulator_advance (s->sim, 200 * 1000);
  drs_clock_advance_us (s->clock, 200 * G_USEC_PER_SEC);
  refresh (s);
  g_assert_cmpuint (drs_credentials_get_login_count (s->password), ==, 2);
  s->issued = g_strdup (drs_credentials_get_token (s->password));
  g_assert_true (g_str_has_prefix (s->issued, ISSUED_TOKEN_PREFIX));
  drs_history_flush (s->history);
}

static void
session_stop (Session *s)
{
  drs_monitor_stop (s->monitor);
  g_object_add_weak_pointer (G_OBJECT (s->monitor), (gpointer *) &s->monitor);
  g_object_unref (s->monitor);
  DRS_TEST_SPIN_UNTIL (s->monitor == NULL, WAIT_MS);
  g_clear_object (&s->history);
  g_clear_object (&s->store);
  g_clear_object (&s->clock);
  g_clear_object (&s->settings);
  g_clear_object (&s->password);
  g_clear_object (&s->aksk);
  g_clear_object (&s->token);
  g_assert_finalize_object (s->sim);
  g_clear_pointer (&s->ids, g_strfreev);
}

static void
session_clear (Session *s)
{
  if (s->history_path != NULL)
    {
      g_autofree char *wal = g_strconcat (s->history_path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (s->history_path, "-shm", NULL);

      g_remove (s->history_path);
      g_remove (wal);
      g_remove (shm);
    }
  g_clear_pointer (&s->history_path, g_free);
  g_clear_pointer (&s->issued, g_free);
}

/* The secrets of a session, for searching. */
static void
assert_no_secret (const char *where, const void *data, gsize length, const char *issued)
{
  const char *secrets[] = { DRS_SIM_DEMO_PASSWORD, DRS_SIM_DEMO_SK, TEST_TOKEN, issued, NULL };

  if (length == 0)
    return;
  for (guint i = 0; secrets[i] != NULL; i++)
    if (memmem (data, length, secrets[i], strlen (secrets[i])) != NULL)
      g_error ("%s holds a secret (%.8s…)", where, secrets[i]);
}

/* ------------------------------------------------------------------------------------------ */
/* Logs: every debug message of every domain, with the session above. */

static GString *captured;
G_LOCK_DEFINE_STATIC (captured);

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  G_LOCK (captured);
  if (captured != NULL)
    for (gsize i = 0; i < n_fields; i++)
      {
        if (fields[i].length < 0)
          g_string_append (captured, fields[i].value);
        else
          g_string_append_len (captured, fields[i].value, fields[i].length);
        g_string_append_c (captured, '\n');
      }
  G_UNLOCK (captured);
  /* Warnings and worse stay fatal and visible. */
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (log_level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

static void
test_secrets_not_in_logs (void)
{
  if (g_test_subprocess ())
    {
      Session          s = { 0 };
      g_autofree char *text = NULL;

      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_log_set_debug_enabled (TRUE);
      captured = g_string_new (NULL);
      g_log_set_writer_func (capture_writer, NULL, NULL);

      session_run (&s);
      session_stop (&s);

      G_LOCK (captured);
      text = g_string_free (g_steal_pointer (&captured), FALSE);
      G_UNLOCK (captured);

      /* The run logged from the parts that handle secrets (so the search means something)… */
      g_assert_nonnull (strstr (text, "Signed in to IAM as"));
      g_assert_nonnull (strstr (text, "drs-client"));
      /* …and no secret, in any of them. */
      assert_no_secret ("the log", text, strlen (text), s.issued);
      g_assert_null (strstr (text, ISSUED_TOKEN_PREFIX));
      session_clear (&s);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* ------------------------------------------------------------------------------------------ */
/* Settings: every key of the schema after the session (GSETTINGS_BACKEND=memory). */

static void
test_secrets_not_in_settings (void)
{
  Session s = { 0 };
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;
  g_autoptr (GString) all = g_string_new (NULL);

  session_run (&s);
  /* Something was written (so the search means something): the monitor's bound settings. */
  g_settings_set_uint (s.settings, "request-budget", 600);
  g_assert_cmpuint (drs_monitor_get_budget (s.monitor), ==, 600);

  g_object_get (s.settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  g_assert_cmpuint (g_strv_length (keys), >, 10);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr (GVariant) value = g_settings_get_value (s.settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, TRUE);

      g_string_append_printf (all, "%s=%s\n", keys[i], printed);
    }
  g_test_message ("%s", all->str);
  g_assert_nonnull (strstr (all->str, "request-budget=uint32 600"));
  assert_no_secret ("the settings", all->str, all->len, s.issued);
  g_assert_null (strstr (all->str, ISSUED_TOKEN_PREFIX));

  session_stop (&s);
  session_clear (&s);
}

/* ------------------------------------------------------------------------------------------ */
/* The history database: the bytes of the file and its WAL after the session. */

static GBytes *
read_all (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_bytes_new (NULL, 0);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
test_secrets_not_in_history (void)
{
  Session     s = { 0 };
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };
  gsize       total = 0;
  gboolean    has_id = FALSE;
  gboolean    has_account = FALSE;

  session_run (&s);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (s.history_path, suffixes[i], NULL);
      g_autoptr (GBytes) bytes = read_all (path);
      gsize       length = 0;
      const char *data = g_bytes_get_data (bytes, &length);

      if (length == 0)
        continue;
      assert_no_secret (path, data, length, s.issued);
      g_assert_null (memmem (data, length, ISSUED_TOKEN_PREFIX, strlen (ISSUED_TOKEN_PREFIX)));
      has_id |= memmem (data, length, s.ids[0], strlen (s.ids[0])) != NULL;
      has_account |= memmem (data, length, "by-password", strlen ("by-password")) != NULL;
      total += length;
    }
  /* The history was written (ids and accounts are in it), just not the secrets. */
  g_assert_cmpuint (total, >, 0);
  g_assert_true (has_id);
  g_assert_true (has_account);

  /* And after closing (the WAL checkpointed into the file). */
  session_stop (&s);
  {
    g_autoptr (GBytes) bytes = read_all (s.history_path);
    gsize       length = 0;
    const char *data = g_bytes_get_data (bytes, &length);

    g_assert_cmpuint (length, >, 0);
    assert_no_secret (s.history_path, data, length, s.issued);
  }
  session_clear (&s);
}

/* ------------------------------------------------------------------------------------------ */
/* Crash output: a process that dies after using every secret, with every debug message on the
 * default writer (debug on stdout, the crash on stderr), as a crashing app would leave in a
 * terminal or the journal. */

static void
test_secrets_not_in_crash_output (void)
{
  if (g_test_subprocess ())
    {
      Session s = { 0 };

      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_log_set_debug_enabled (TRUE);
      session_run (&s);
      g_printerr ("security-test: about to crash\n");
      /* Still holding every secret in memory. */
      g_error ("security-test: deliberate crash after signing in as %s", DRS_SIM_DEMO_USER);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  /* It did log and crash (so the search means something)… */
  g_test_trap_assert_stdout ("*drs-client*Signed in to IAM as*");
  g_test_trap_assert_stderr ("*security-test: about to crash*deliberate crash*");
  /* …but printed no secret. */
  g_test_trap_assert_stderr_unmatched ("*" DRS_SIM_DEMO_PASSWORD "*");
  g_test_trap_assert_stderr_unmatched ("*" DRS_SIM_DEMO_SK "*");
  g_test_trap_assert_stderr_unmatched ("*" TEST_TOKEN "*");
  g_test_trap_assert_stderr_unmatched ("*" ISSUED_TOKEN_PREFIX "*");
  g_test_trap_assert_stdout_unmatched ("*" DRS_SIM_DEMO_PASSWORD "*");
  g_test_trap_assert_stdout_unmatched ("*" DRS_SIM_DEMO_SK "*");
  g_test_trap_assert_stdout_unmatched ("*" ISSUED_TOKEN_PREFIX "*");
}

/* ------------------------------------------------------------------------------------------ */
/* Addresses of this machine other than loopback (IPv4), for the loopback rules. */

static GPtrArray *
other_local_addresses (void)
{
  GPtrArray      *list = g_ptr_array_new_with_free_func (g_object_unref);
  struct ifaddrs *ifaddr = NULL;

  if (getifaddrs (&ifaddr) != 0)
    return list;
  for (struct ifaddrs *ifa = ifaddr; ifa != NULL; ifa = ifa->ifa_next)
    {
      GInetAddress *address;

      if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET)
        continue;
      address = g_inet_address_new_from_bytes (
          (const guint8 *) &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr, G_SOCKET_FAMILY_IPV4);
      if (g_inet_address_get_is_loopback (address))
        g_object_unref (address);
      else
        g_ptr_array_add (list, address);
    }
  freeifaddrs (ifaddr);
  return list;
}

/* A listener on @address that counts the connections it accepts. */
typedef struct
{
  GSocketService *service;
  guint16         port;
  guint           accepted;
} Listener;

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  ((Listener *) user_data)->accepted++;
  return FALSE;
}

static void
listener_start (Listener *l, GInetAddress *address)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketAddress) wanted = g_inet_socket_address_new (address, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  l->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (l->service), wanted,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                                &bound, &error));
  g_assert_no_error (error);
  l->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (l->service, "incoming", G_CALLBACK (on_incoming), l);
  g_socket_service_start (l->service);
}

static void
listener_stop (Listener *l)
{
  g_socket_service_stop (l->service);
  g_socket_listener_close (G_SOCKET_LISTENER (l->service));
  g_clear_object (&l->service);
}

/* Connects to @target from @from (NULL: any), returns the connected socket or NULL. */
static GSocket *
connect_from (GInetAddress *from, GInetAddress *target, guint16 port, GError **error)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) remote = g_inet_socket_address_new (target, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_timeout (socket, 10);
  if (from != NULL)
    {
      g_autoptr (GSocketAddress) local = g_inet_socket_address_new (from, 0);

      if (!g_socket_bind (socket, local, FALSE, error))
        return NULL;
    }
  if (!g_socket_connect (socket, remote, NULL, error))
    return NULL;
  return g_steal_pointer (&socket);
}

/* ------------------------------------------------------------------------------------------ */
/* Plain http to anything but loopback is refused before a connection is made: the DRS endpoint
 * (drs_client_new()) and the IAM endpoint of a password (the password is never sent). */

static void
test_plain_http_refused_before_connecting (void)
{
  g_autoptr (GPtrArray) others = other_local_addresses ();
  g_autoptr (DrsSimulator) sim = drs_simulator_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *address_text = NULL;
  g_autofree char *url = NULL;
  g_autoptr (DrsCredentials) token = drs_credentials_new_token (TEST_TOKEN);
  g_autoptr (DrsCredentials) password = NULL;
  g_autoptr (DrsClient) refused = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (DrsProgressResult) result = NULL;
  g_autoptr (GAsyncResult) async = NULL;
  g_auto (GStrv) ids = NULL;
  Listener listener = { 0 };

  if (others->len == 0)
    {
      g_test_skip ("this machine has no IPv4 address but loopback");
      return;
    }

  /* A real server on a real non-loopback address of this machine, counting connections. */
  listener_start (&listener, g_ptr_array_index (others, 0));
  address_text = g_inet_address_to_string (g_ptr_array_index (others, 0));
  url = g_strdup_printf ("http://%s:%u", address_text, listener.port);
  g_test_message ("listening on %s", url);

  refused = drs_client_new (url, DRS_SIM_DEMO_PROJECT_ID, token, &error);
  g_assert_error (error, DRS_ERROR, DRS_ERROR_INVALID);
  g_assert_null (refused);
  g_clear_error (&error);

  /* The password's IAM endpoint is that server; the DRS endpoint is the loopback simulator. */
  g_assert_true (drs_simulator_listen (sim, 0, NULL, &error));
  g_assert_no_error (error);
  ids = drs_simulator_dup_job_ids (sim);
  password = drs_credentials_new_password (url, DRS_SIM_DEMO_ACCOUNT, DRS_SIM_DEMO_USER,
                                           DRS_SIM_DEMO_PASSWORD, DRS_SIM_DEMO_PROJECT_ID);
  client =
      drs_client_new (drs_simulator_get_base_url (sim), DRS_SIM_DEMO_PROJECT_ID, password, &error);
  g_assert_no_error (error);
  drs_client_query_progress_async (client, (const char *const *) ids, NULL, on_result, &async);
  DRS_TEST_SPIN_UNTIL (async != NULL, WAIT_MS);
  result = drs_client_query_progress_finish (client, async, &error);
  g_assert_no_error (error);
  g_assert_error (drs_progress_result_get_error (result, ids[0]), DRS_ERROR, DRS_ERROR_INVALID);

  /* The listener works (so its count means something): a plain connection is accepted… */
  {
    g_autoptr (GSocket) probe =
        connect_from (NULL, g_ptr_array_index (others, 0), listener.port, &error);
    g_assert_no_error (error);
    g_assert_nonnull (probe);
    DRS_TEST_SPIN_UNTIL (listener.accepted == 1, WAIT_MS);
  }
  /* …and that was the only one: neither the client nor the sign-in connected. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (listener.accepted, ==, 1);
  g_assert_cmpuint (drs_simulator_get_request_count (sim, "batch-progress"), ==, 0);
  g_assert_cmpuint (drs_simulator_get_request_count (sim, "tokens"), ==, 0);
  listener_stop (&listener);
}

/* ------------------------------------------------------------------------------------------ */
/* https to a server with a self-signed certificate is refused before a secret is sent: the
 * password's sign-in and an AK/SK-signed query. */

static DrsProgressResult *
query_once (DrsClient *client, const char *const *ids)
{
  g_autoptr (GAsyncResult) async = NULL;
  g_autoptr (GError) error = NULL;
  DrsProgressResult *result;

  drs_client_query_progress_async (client, ids, NULL, on_result, &async);
  DRS_TEST_SPIN_UNTIL (async != NULL, WAIT_MS);
  result = drs_client_query_progress_finish (client, async, &error);
  g_assert_no_error (error);
  return result;
}

static void
test_self_signed_refused (void)
{
#ifdef SIM_TLS_CERT
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (DrsSimulator) sim = drs_simulator_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) password = NULL;
  g_autoptr (DrsCredentials) aksk = NULL;
  g_autoptr (DrsClient) by_password = NULL;
  g_autoptr (DrsClient) by_aksk = NULL;
  g_autoptr (DrsProgressResult) r1 = NULL;
  g_autoptr (DrsProgressResult) r2 = NULL;
  g_autoptr (DrsProgressResult) trusted = NULL;
  g_auto (GStrv) ids = NULL;

  certificate = g_tls_certificate_new_from_files (SIM_TLS_CERT, SIM_TLS_KEY, &error);
  g_assert_no_error (error);
  g_assert_true (drs_simulator_listen (sim, 0, certificate, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (drs_simulator_get_base_url (sim), "https://127.0.0.1:"));
  ids = drs_simulator_dup_job_ids (sim);

  password = drs_credentials_new_password (drs_simulator_get_base_url (sim), DRS_SIM_DEMO_ACCOUNT,
                                           DRS_SIM_DEMO_USER, DRS_SIM_DEMO_PASSWORD,
                                           DRS_SIM_DEMO_PROJECT_ID);
  aksk = drs_credentials_new_aksk (DRS_SIM_DEMO_AK, DRS_SIM_DEMO_SK, DRS_SIM_DEMO_PROJECT_ID);
  by_password =
      drs_client_new (drs_simulator_get_base_url (sim), DRS_SIM_DEMO_PROJECT_ID, password, &error);
  g_assert_no_error (error);
  by_aksk =
      drs_client_new (drs_simulator_get_base_url (sim), DRS_SIM_DEMO_PROJECT_ID, aksk, &error);
  g_assert_no_error (error);

  r1 = query_once (by_password, (const char *const *) ids);
  g_assert_error (drs_progress_result_get_error (r1, ids[0]), DRS_ERROR, DRS_ERROR_TLS);
  r2 = query_once (by_aksk, (const char *const *) ids);
  g_assert_error (drs_progress_result_get_error (r2, ids[0]), DRS_ERROR, DRS_ERROR_TLS);
  /* Nothing reached the server: no sign-in with the password, no signed request. */
  g_assert_cmpuint (drs_simulator_get_request_count (sim, "tokens"), ==, 0);
  g_assert_cmpuint (drs_simulator_get_request_count (sim, "batch-progress"), ==, 0);
  g_assert_null (drs_credentials_get_token (password));

  /* The same server, trusted explicitly, is reached (so the refusal was the certificate). */
  g_assert_true (drs_client_set_ca_file (by_aksk, SIM_TLS_CERT, &error));
  g_assert_no_error (error);
  trusted = query_once (by_aksk, (const char *const *) ids);
  g_assert_nonnull (drs_progress_result_get_snapshot (trusted, ids[0]));
  g_assert_cmpuint (drs_simulator_get_request_count (sim, "batch-progress"), >, 0);
#else
  g_test_skip ("openssl is not installed: no certificate");
#endif
}

/* ------------------------------------------------------------------------------------------ */
/* The simulator listens on 127.0.0.1 only, and its control endpoint answers loopback peers only. */

/* The local addresses (hex, as /proc/net/tcp{,6} write them) listening on @port. */
static GPtrArray *
listening_addresses (guint port)
{
  const char *files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
  GPtrArray  *list = g_ptr_array_new_with_free_func (g_free);

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *contents = NULL;
      g_auto (GStrv) lines = NULL;

      if (!g_file_get_contents (files[f], &contents, NULL, NULL))
        continue;
      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 1; lines[i] != NULL; i++)
        {
          g_auto (GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
          g_auto (GStrv) local = NULL;
          GPtrArray *words = g_ptr_array_new ();

          for (guint w = 0; fields[w] != NULL; w++)
            if (fields[w][0] != '\0')
              g_ptr_array_add (words, fields[w]);
          /* sl local_address rem_address st …; st 0A is LISTEN. */
          if (words->len > 3 && g_str_equal (g_ptr_array_index (words, 3), "0A"))
            {
              local = g_strsplit (g_ptr_array_index (words, 1), ":", 2);
              if (local[1] != NULL && g_ascii_strtoull (local[1], NULL, 16) == port)
                g_ptr_array_add (list, g_strdup (local[0]));
            }
          g_ptr_array_free (words, TRUE);
        }
    }
  return list;
}

static void
test_simulator_listens_on_loopback_only (void)
{
  g_autoptr (DrsSimulator) sim = drs_simulator_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) listening = NULL;
  g_autoptr (GPtrArray) others = other_local_addresses ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  guint port;

  g_assert_true (drs_simulator_listen (sim, 0, NULL, &error));
  g_assert_no_error (error);
  port = drs_simulator_get_port (sim);

  /* The kernel's view: one listening socket on this port, bound to 127.0.0.1. */
  listening = listening_addresses (port);
  if (listening->len == 0 && !g_file_test ("/proc/net/tcp", G_FILE_TEST_EXISTS))
    g_test_message ("no /proc/net/tcp: the socket table is not checked");
  else
    {
      g_assert_cmpuint (listening->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (listening, 0), ==, "0100007F");
    }

  /* Loopback is served… */
  {
    g_autoptr (GSocket) ok = connect_from (NULL, loopback, port, &error);
    g_assert_no_error (error);
    g_assert_nonnull (ok);
  }
  /* …and every other address of this machine refuses the connection. */
  for (guint i = 0; i < others->len; i++)
    {
      g_autofree char *text = g_inet_address_to_string (g_ptr_array_index (others, i));
      g_autoptr (GSocket) socket = connect_from (NULL, g_ptr_array_index (others, i), port, &error);

      g_test_message ("connecting to %s:%u", text, port);
      g_assert_null (socket);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
      g_clear_error (&error);
    }
}

/* Sends a raw HTTP request over @socket and returns the status code of the answer. */
static guint
http_status (GSocket *socket, const char *method, const char *path, const char *body)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Content-Type: application/json\r\n"
                                              "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                              method, path, strlen (body), body);
  GString         *answer = g_string_new (NULL);
  g_autofree char *text = NULL;
  char             buffer[4096];
  gssize           n;
  guint            status = 0;

  g_assert_cmpint (g_socket_send (socket, request, strlen (request), NULL, &error), ==,
                   (gssize) strlen (request));
  g_assert_no_error (error);
  /* The simulator runs in this thread's main context: read without blocking, spinning it. */
  g_socket_set_blocking (socket, FALSE);
  for (;;)
    {
      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      if (n > 0)
        {
          g_string_append_len (answer, buffer, n);
          continue;
        }
      if (n == 0)
        break;
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_clear_error (&error);
      if (strstr (answer->str, "\r\n\r\n") != NULL && answer->len > 0 && status == 0)
        sscanf (answer->str, "HTTP/1.%*d %u", &status);
      g_main_context_iteration (NULL, TRUE);
    }
  text = g_string_free (answer, FALSE);
  sscanf (text, "HTTP/1.%*d %u", &status);
  g_test_message ("%s %s → %u", method, path, status);
  return status;
}

static guint
sim_status_from (
    DrsSimulator *sim, GInetAddress *from, const char *method, const char *path, const char *body)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocket) socket = NULL;

  /* Blocking connect: the kernel completes it without the server's main loop. */
  socket = connect_from (from, loopback, drs_simulator_get_port (sim), &error);
  g_assert_no_error (error);
  return http_status (socket, method, path, body);
}

static void
test_control_endpoint_loopback_only (void)
{
  g_autoptr (GPtrArray) others = other_local_addresses ();
  g_autoptr (DrsSimulator) sim = drs_simulator_new ();
  g_autoptr (GError) error = NULL;
  DrsSimFaults faults = { 0 };
  struct
  {
    const char *method, *path, *body;
  } calls[] = {
    { "GET", "/_sim/stats", "" },
    { "GET", "/_sim/faults", "" },
    { "POST", "/_sim/faults", "{\"error_status\":503,\"error_rate\":1}" },
    { "POST", "/_sim/clock", "{\"advance_ms\":3600000}" },
  };

  g_assert_true (drs_simulator_listen (sim, 0, NULL, &error));
  g_assert_no_error (error);
  if (others->len == 0)
    {
      g_test_skip ("this machine has no IPv4 address but loopback to connect from");
      return;
    }

  /* From another address of this machine to 127.0.0.1 (Linux routes it): the peer the server
   * sees is not loopback. Every control call is forbidden and changes nothing. */
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    g_assert_cmpuint (sim_status_from (sim, g_ptr_array_index (others, 0), calls[i].method,
                                       calls[i].path, calls[i].body),
                      ==, SOUP_STATUS_FORBIDDEN);
  drs_simulator_get_faults (sim, &faults);
  g_assert_cmpuint (faults.error_status, ==, 0);
  drs_sim_faults_clear (&faults);
  g_assert_cmpint (drs_simulator_get_elapsed (sim), <, 3600000);

  /* From loopback the same calls work (so the refusal was the peer address). */
  g_assert_cmpuint (sim_status_from (sim, NULL, "GET", "/_sim/stats", ""), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (sim_status_from (sim, NULL, "POST", "/_sim/faults",
                                     "{\"error_status\":503,\"error_rate\":1}"),
                    ==, SOUP_STATUS_OK);
  drs_simulator_get_faults (sim, &faults);
  g_assert_cmpuint (faults.error_status, ==, 503);
  drs_sim_faults_clear (&faults);
}

/* ------------------------------------------------------------------------------------------ */
/* Hostile ids and names: stored intact. */

static char *
long_name (void)
{
  GString *s = g_string_new (NULL);

  /* 10,000 characters, multi-byte ones among them. */
  while (g_utf8_strlen (s->str, -1) < 9990)
    g_string_append (s, "长名字-long-name-");
  while (g_utf8_strlen (s->str, -1) < 10000)
    g_string_append_c (s, 'x');
  g_assert_cmpint (g_utf8_strlen (s->str, -1), ==, 10000);
  return g_string_free (s, FALSE);
}

/* The names every hostile test uses (the GUI test has its own copy). */
static GPtrArray *
hostile_names (void)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (names, g_strdup ("it's \"quoted\" `twice` \\ and ; --"));
  g_ptr_array_add (names, g_strdup ("line one\nline two\r\nthree\ttabbed"));
  g_ptr_array_add (names, g_strdup ("<b>bold</b> <span foreground=\"red\">red</span> &amp; & <"));
  g_ptr_array_add (names, long_name ());
  g_ptr_array_add (names, g_strdup ("\u202Egnp.exe\u202C مهمة النسخ المتماثل \u200F(RTL)"));
  g_ptr_array_add (names, g_strdup ("%s%n%x %% {0} ${HOME} $(id) '); DROP TABLE watched; --"));
  return names;
}

static void
test_hostile_names_in_history (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) names = hostile_names ();
  g_autoptr (GPtrArray) watched = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "hostile.db", NULL);
  g_autoptr (GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  DrsHistory *history;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  history = drs_history_open (path, &error);
  g_assert_no_error (error);
  /* Hostile names under valid ids, and hostile text as the id and the account too. */
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("0a0b0c0d-1111-2222-3333-44445555%04u", i);
      const char      *name = g_ptr_array_index (names, i);

      g_assert_true (drs_history_add_watched (history, id, name, name, &error));
      g_assert_no_error (error);
      g_assert_true (drs_history_add_watched (history, name, name, NULL, &error));
      g_assert_no_error (error);
      g_hash_table_insert (expected, g_steal_pointer (&id), (gpointer) name);
      g_hash_table_insert (expected, g_strdup (name), (gpointer) name);
    }
  /* Renaming to a hostile name works the same. */
  g_assert_true (drs_history_rename_watched (history, "0a0b0c0d-1111-2222-3333-444455550000",
                                             g_ptr_array_index (names, 2), &error));
  g_assert_no_error (error);
  g_hash_table_insert (expected, g_strdup ("0a0b0c0d-1111-2222-3333-444455550000"),
                       g_ptr_array_index (names, 2));
  g_object_unref (history);

  /* Read back from the file by a new connection. */
  history = drs_history_open (path, &error);
  g_assert_no_error (error);
  watched = drs_history_list_watched (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (watched->len, ==, g_hash_table_size (expected));
  for (guint i = 0; i < watched->len; i++)
    {
      DrsWatchedJob *w = g_ptr_array_index (watched, i);
      const char    *name = g_hash_table_lookup (expected, w->id);

      g_assert_nonnull (name);
      g_assert_cmpstr (w->name, ==, name);
      g_assert_cmpuint (strlen (w->name), ==, strlen (name));
    }
  g_object_unref (history);
  g_remove (path);
}

static void
test_hostile_names_in_jobs (void)
{
  g_autoptr (GPtrArray) names = hostile_names ();
  g_autoptr (DrsJobStore) store = drs_job_store_new ();

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("0a0b0c0d-1111-2222-3333-44445555%04u", i);
      const char      *name = g_ptr_array_index (names, i);
      DrsJob          *job = drs_job_store_add (store, id, name);
      g_autoptr (DrsJob) by_id = drs_job_new (name);
      g_autofree char *property = NULL;

      g_assert_cmpstr (drs_job_get_name (job), ==, name);
      g_assert_cmpstr (drs_job_get_display_name (job), ==, name);
      g_object_get (job, "name", &property, NULL);
      g_assert_cmpstr (property, ==, name);
      /* A hostile id is kept as given too (the id parser keeps it out of the store). */
      g_assert_cmpstr (drs_job_get_id (by_id), ==, name);
      g_assert_cmpstr (drs_job_get_display_name (by_id), ==, name);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, names->len);
}

/* Pasted hostile text: not taken for ids, quoted back verbatim in the summary. */
static void
test_hostile_pasted_ids (void)
{
  g_autoptr (GPtrArray) names = hostile_names ();

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *text =
          g_strdup_printf ("%s\n8d0e8e36-a618-490d-8a46-8c61ac9jb502", (char *) names->pdata[i]);
      g_autoptr (DrsJobIdList) list = drs_job_id_parse_list (text, NULL);
      g_autofree char *summary = drs_job_id_list_describe (list);

      g_assert_cmpuint (list->valid->len, ==, 1);
      g_assert_cmpstr (list->valid->pdata[0], ==, "8d0e8e36-a618-490d-8a46-8c61ac9jb502");
      g_assert_cmpuint (list->invalid->len, >, 0);
      g_assert_true (g_utf8_validate (summary, -1, NULL));
      for (guint j = 0; j < list->invalid->len; j++)
        {
          g_assert_nonnull (strstr (text, list->invalid->pdata[j]));
          g_assert_nonnull (strstr (summary, list->invalid->pdata[j]));
        }
    }
}

/* Hostile text from a server: kept intact where it fits, never invalid UTF-8 (the fuzzer's
 * finds, tests/data/fuzz-regressions/). */
static void
test_hostile_server_text (void)
{
  const char *body = "{\"results\":[{\"job_id\":\"\\ud83dx\",\"progress\":\"1\"},"
                     "{\"job_id\":\"<b>a</b>\\n\\\"'\",\"transfer_status\":\"<i>X</i>\","
                     "\"error_code\":\"E<&>\",\"error_msg\":\"m\\ud800 <b>\\u202e\"}]}";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) snapshots = drs_progress_parse (body, strlen (body), &error);
  g_autoptr (GError) body_error = NULL;
  const DrsSnapshot *snap;

  if (snapshots == NULL)
    {
      /* Newer json-glib (1.10, in the Flatpak runtime) rejects a lone surrogate outright: then
       * the whole body is refused with a readable message, which is as safe. */
      g_assert_error (error, DRS_ERROR, DRS_ERROR_PROTOCOL);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  /* json-glib 1.6 decodes it: the lone surrogate is no usable id, skipped. */
  g_assert_cmpuint (snapshots->len, ==, 1);
  snap = g_ptr_array_index (snapshots, 0);
  g_assert_cmpstr (snap->job_id, ==, "<b>a</b>\n\"'");
  g_assert_cmpstr (snap->status_raw, ==, "<i>X</i>");
  g_assert_cmpstr (snap->error_code, ==, "E<&>");
  /* The message stays, its broken character replaced. */
  g_assert_true (g_utf8_validate (snap->error_msg, -1, NULL));
  g_assert_true (g_str_has_prefix (snap->error_msg, "m\uFFFD"));
  /* (json-glib swallows the character after a lone surrogate.) */
  g_assert_true (g_str_has_suffix (snap->error_msg, "<b>\u202E"));

  body = "{\"error_code\":\"DRS.M00200\",\"error_msg\":\"\\ud800!\"}";
  body_error = drs_progress_parse_error_body (body, strlen (body), 400, NULL);
  g_assert_true (g_utf8_validate (body_error->message, -1, NULL));
  g_assert_true (g_utf8_validate (drs_error_get_server_message (body_error), -1, NULL));
  g_assert_true (g_str_has_prefix (drs_error_get_server_message (body_error), "\uFFFD"));
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  g_test_add_func ("/security/secrets/logs", test_secrets_not_in_logs);
  g_test_add_func ("/security/secrets/settings", test_secrets_not_in_settings);
  g_test_add_func ("/security/secrets/history", test_secrets_not_in_history);
  g_test_add_func ("/security/secrets/crash-output", test_secrets_not_in_crash_output);
  g_test_add_func ("/security/tls/plain-http-refused-before-connecting",
                   test_plain_http_refused_before_connecting);
  g_test_add_func ("/security/tls/self-signed-refused", test_self_signed_refused);
  g_test_add_func ("/security/simulator/listens-on-loopback-only",
                   test_simulator_listens_on_loopback_only);
  g_test_add_func ("/security/simulator/control-loopback-only",
                   test_control_endpoint_loopback_only);
  g_test_add_func ("/security/hostile/history", test_hostile_names_in_history);
  g_test_add_func ("/security/hostile/jobs", test_hostile_names_in_jobs);
  g_test_add_func ("/security/hostile/pasted-ids", test_hostile_pasted_ids);
  g_test_add_func ("/security/hostile/server-text", test_hostile_server_text);

  return g_test_run ();
}

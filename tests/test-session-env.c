/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The session following the computer it runs on: the network, the power profile and sleep.
 * What the OS supplies is supplied by the test: a GNetworkMonitor and a GPowerProfileMonitor of
 * its own, a resolver that knows the "cloud" host, a logind on a private system bus and a manual
 * clock. Everything else is real: two simulators over HTTP (one behind TLS, reached by a name
 * that is not loopback; one on 127.0.0.1), the monitor and a history file. */
#include "config.h"

#include <gio/gio.h>

#include "drs-session.h"
#include "drs-simulator.h"
#include "drs-test-env.h"
#include "drs-test-utils.h"

#define WAIT_MS 20000
#define CLOUD_HOST "drs-cloud.test"
#define START_WALL_US ((gint64) 1767225600 * G_USEC_PER_SEC) /* 2026-01-01 */

/* A resolver that knows the cloud host (and nothing else) ---------------------------------- */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

struct _TestResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static GList *
resolve (const char *hostname, GResolverNameLookupFlags flags, GError **error)
{
  if (g_ascii_strcasecmp (hostname, CLOUD_HOST) != 0 ||
      (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY) != 0)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No address for %s",
                   hostname);
      return NULL;
    }
  return g_list_prepend (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
}

static GList *
test_resolver_lookup_with_flags (GResolver               *resolver,
                                 const char              *hostname,
                                 GResolverNameLookupFlags flags,
                                 GCancellable            *cancellable,
                                 GError                 **error)
{
  return resolve (hostname, flags, error);
}

static GList *
test_resolver_lookup (GResolver    *resolver,
                      const char   *hostname,
                      GCancellable *cancellable,
                      GError      **error)
{
  return resolve (hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT, error);
}

static void
test_resolver_lookup_with_flags_async (GResolver               *resolver,
                                       const char              *hostname,
                                       GResolverNameLookupFlags flags,
                                       GCancellable            *cancellable,
                                       GAsyncReadyCallback      callback,
                                       gpointer                 user_data)
{
  g_autoptr (GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList  *addresses = resolve (hostname, flags, &error);

  if (addresses != NULL)
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
  else
    g_task_return_error (task, error);
}

static void
test_resolver_lookup_async (GResolver          *resolver,
                            const char         *hostname,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  test_resolver_lookup_with_flags_async (resolver, hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                         cancellable, callback, user_data);
}

static GList *
test_resolver_lookup_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = test_resolver_lookup;
  resolver_class->lookup_by_name_async = test_resolver_lookup_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_finish;
  resolver_class->lookup_by_name_with_flags = test_resolver_lookup_with_flags;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

/* A stand-in logind on the private system bus ---------------------------------------------- */

static const char logind_xml[] = "<node>"
                                 "  <interface name='org.freedesktop.login1.Manager'>"
                                 "    <property name='PreparingForSleep' type='b' access='read'/>"
                                 "    <signal name='PrepareForSleep'><arg type='b'/></signal>"
                                 "  </interface>"
                                 "</node>";

static GTestDBus       *system_bus;
static GDBusConnection *logind;
static guint            logind_asked; /* PreparingForSleep reads: the session is listening */

static GVariant *
logind_get_property (GDBusConnection *connection,
                     const char      *sender,
                     const char      *path,
                     const char      *interface,
                     const char      *property,
                     GError         **error,
                     gpointer         user_data)
{
  logind_asked++;
  return g_variant_new_boolean (FALSE);
}

static void
logind_start (void)
{
  static const GDBusInterfaceVTable vtable = { NULL, logind_get_property, NULL, { 0 } };
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (logind_xml, &error);
  g_autoptr (GVariant) reply = NULL;
  guint32 result = 0;

  g_assert_no_error (error);
  logind =
      g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (system_bus),
                                              G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                  G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                              NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (logind, "/org/freedesktop/login1", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (
      logind, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
      "RequestName", g_variant_new ("(su)", "org.freedesktop.login1", 4), G_VARIANT_TYPE ("(u)"),
      G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1);
}

static void
bus_round_trip (GDBusConnection *connection)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_connection_call_sync (
      connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "GetId",
      NULL, G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);

  g_assert_no_error (error);
}

/* Emits the signal and returns once the session has heard it: the bus has routed it before it
 * answers logind's next call, and it reached the session's connection before that
 * connection's next answer. */
static void
logind_prepare_for_sleep (gboolean sleeping)
{
  g_autoptr (GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, NULL);
  g_autoptr (GError) error = NULL;

  g_dbus_connection_emit_signal (logind, NULL, "/org/freedesktop/login1",
                                 "org.freedesktop.login1.Manager", "PrepareForSleep",
                                 g_variant_new ("(b)", sleeping), &error);
  g_assert_no_error (error);
  bus_round_trip (logind);
  bus_round_trip (bus);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The fixture ------------------------------------------------------------------------------ */

typedef struct
{
  char           *dir;
  GSettings      *settings;
  DrsClock       *clock;
  DrsTestNetwork *network;
  DrsTestPower   *power;
  DrsSimulator   *local; /* http://127.0.0.1 */
  DrsSimulator   *cloud; /* https://drs-cloud.test: not loopback */
  DrsSession     *session;
  GStrv           local_ids;
  GStrv           cloud_ids;
  guint           n_problems;
  guint           n_connection_problems;
} Fixture;

static void
on_problem (DrsSession *session, const char *message, Fixture *f)
{
  f->n_problems++;
}

static void
on_connection_problem (DrsMonitor *monitor, const char *account, GError *error, Fixture *f)
{
  f->n_connection_problems++;
}

static DrsSimulator *
new_simulator (GTlsCertificate *certificate)
{
  g_autoptr (GError) error = NULL;
  DrsSimulator *sim = drs_simulator_new ();

  drs_simulator_set_speed (sim, 60);
  drs_simulator_add_token (sim, "env-token");
  g_assert_true (drs_simulator_listen (sim, 0, certificate, &error));
  g_assert_no_error (error);
  return sim;
}

static void
add_account (Fixture *f, const char *account, const char *endpoint, DrsSimulator *sim, GStrv ids)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DrsCredentials) credentials = drs_credentials_new_token ("env-token");
  g_autoptr (DrsClient) client =
      drs_client_new (endpoint, drs_simulator_get_project_id (sim), credentials, &error);

  g_assert_no_error (error);
#ifdef CLOUD_TLS_CERT
  if (g_str_has_prefix (endpoint, "https:"))
    {
      g_assert_true (drs_client_set_ca_file (client, CLOUD_TLS_CERT, &error));
      g_assert_no_error (error);
    }
#endif
  drs_session_set_client (f->session, account, client);
  drs_session_add_jobs (f->session, account, (const char *const *) ids, (const char *const *) ids);
}

/* Three tasks of a simulator, from the @first (both run the same scenario, and a task id is
 * watched once). */
static GStrv
three_ids (DrsSimulator *sim, guint first)
{
  g_auto (GStrv) all = drs_simulator_dup_job_ids (sim);
  GStrv ids = g_new0 (char *, 4);

  g_assert_cmpuint (g_strv_length (all), >=, first + 3);
  for (guint i = 0; i < 3; i++)
    ids[i] = g_strdup (all[first + i]);
  return ids;
}

static gboolean
all_updated (Fixture *f, GStrv ids)
{
  DrsJobStore *store = drs_session_get_store (f->session);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      DrsJob *job = drs_job_store_lookup (store, ids[i]);

      if (job == NULL || drs_job_get_last_updated_us (job) == 0 || drs_job_get_stale (job))
        return FALSE;
    }
  return TRUE;
}

static DrsMonitor *
monitor (Fixture *f)
{
  return drs_session_get_monitor (f->session);
}

/* With @cloud, an account whose endpoint is a name (not loopback) behind TLS as well. */
static gboolean
fixture_start (Fixture *f, gboolean cloud, guint refresh_interval)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *history = NULL;

  f->dir = g_dir_make_tmp ("drs-session-env-XXXXXX", &error);
  g_assert_no_error (error);
  history = g_build_filename (f->dir, "history.db", NULL);
  f->settings = g_settings_new (APPLICATION_ID);
  if (refresh_interval > 0)
    g_settings_set_uint (f->settings, "refresh-interval", refresh_interval);
  f->clock = drs_clock_new_manual (START_WALL_US);
  f->network = drs_test_network_new ();
  f->power = drs_test_power_new ();
  f->local = new_simulator (NULL);
  f->local_ids = three_ids (f->local, 0);
  f->session = g_object_new (DRS_TYPE_SESSION, "settings", f->settings, "history-path", history,
                             "clock", f->clock, "network-monitor", f->network,
                             "power-profile-monitor", f->power, "language", "en-us", NULL);
  g_signal_connect (f->session, "problem", G_CALLBACK (on_problem), f);
  g_signal_connect (monitor (f), "connection-problem", G_CALLBACK (on_connection_problem), f);
  add_account (f, "local", drs_simulator_get_base_url (f->local), f->local, f->local_ids);

  if (cloud)
    {
#ifdef CLOUD_TLS_CERT
      g_autoptr (GTlsCertificate) certificate =
          g_tls_certificate_new_from_files (CLOUD_TLS_CERT, CLOUD_TLS_KEY, &error);
      g_autofree char *endpoint = NULL;

      g_assert_no_error (error);
      if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
        {
          g_test_skip ("No TLS backend (glib-networking)");
          return FALSE;
        }
      f->cloud = new_simulator (certificate);
      f->cloud_ids = three_ids (f->cloud, 3);
      endpoint = g_strdup_printf ("https://" CLOUD_HOST ":%u", drs_simulator_get_port (f->cloud));
      add_account (f, "cloud", endpoint, f->cloud, f->cloud_ids);
#else
      g_test_skip ("openssl was not found at build time");
      return FALSE;
#endif
    }

  drs_session_start (f->session);
  DRS_TEST_SPIN_UNTIL (all_updated (f, f->local_ids) && (!cloud || all_updated (f, f->cloud_ids)) &&
                           drs_monitor_get_n_in_flight (monitor (f)) == 0,
                       WAIT_MS);
  return TRUE;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->session != NULL)
    drs_session_stop (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->local);
  g_clear_object (&f->cloud);
  g_clear_object (&f->network);
  g_clear_object (&f->power);
  g_clear_object (&f->clock);
  if (f->settings != NULL)
    {
      g_settings_reset (f->settings, "refresh-interval");
      g_settings_reset (f->settings, "power-saver-factor");
    }
  g_clear_object (&f->settings);
  g_clear_pointer (&f->local_ids, g_strfreev);
  g_clear_pointer (&f->cloud_ids, g_strfreev);
  if (f->dir != NULL)
    drs_test_remove_dir (f->dir);
  g_free (f->dir);
}

static guint
batches (DrsSimulator *sim)
{
  return drs_simulator_get_request_count (sim, "batch-progress");
}

/* Waits for the answers in flight and lets the monitor schedule what comes next. */
static void
settle (Fixture *f)
{
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_in_flight (monitor (f)) == 0, WAIT_MS);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Moves the manual clock in steps and lets the requests it sent be answered. */
static void
run_for (Fixture *f, guint seconds)
{
  for (guint s = 0; s < seconds; s += 5)
    {
      drs_clock_advance (f->clock, 5000);
      DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_in_flight (monitor (f)) == 0, WAIT_MS);
    }
}

static void
assert_offline_stale (Fixture *f, GStrv ids)
{
  DrsJobStore *store = drs_session_get_store (f->session);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      DrsJob *job = drs_job_store_lookup (store, ids[i]);

      g_assert_true (drs_job_get_stale (job));
      g_assert_cmpstr (drs_job_get_stale_reason (job), ==,
                       "Offline: it is checked again as soon as the network is back.");
    }
}

/* The tests -------------------------------------------------------------------------------- */

/* Offline: not one request to the cloud however long it lasts, its tasks stale "offline", no
 * problem, no backoff; the simulator on this computer goes on. Back online: one refresh at once. */
static void
test_offline (Fixture *f, gconstpointer data)
{
  guint local_before;

  if (!fixture_start (f, TRUE, 0))
    return;
  g_assert_false (drs_session_get_offline (f->session));

  drs_test_network_set (f->network, FALSE, G_NETWORK_CONNECTIVITY_LOCAL);
  g_assert_true (drs_session_get_offline (f->session));
  g_assert_true (drs_monitor_get_offline (monitor (f)));
  settle (f);
  assert_offline_stale (f, f->cloud_ids);
  g_assert_true (all_updated (f, f->local_ids));

  drs_simulator_reset_stats (f->cloud);
  local_before = batches (f->local);
  run_for (f, 600);
  g_assert_cmpuint (batches (f->cloud), ==, 0);
  g_assert_cmpuint (batches (f->local), >, local_before);
  g_assert_cmpuint (f->n_problems, ==, 0);
  g_assert_cmpuint (f->n_connection_problems, ==, 0);
  g_assert_false (drs_monitor_get_connection_problem (monitor (f), "cloud"));
  g_assert_cmpint (drs_monitor_get_backoff_until_us (monitor (f), "cloud"), ==, -1);
  assert_offline_stale (f, f->cloud_ids);

  /* A task added offline waits too, and says why. */
  {
    g_auto (GStrv) more = three_ids (f->cloud, 6);
    const char *const added[] = { more[0], NULL };

    drs_session_add_jobs (f->session, "cloud", added, added);
    settle (f);
    assert_offline_stale (f, (GStrv) added);
    g_assert_cmpuint (batches (f->cloud), ==, 0);
  }

  /* Back: one request for the four tasks, at once (the manual clock stands still). */
  drs_test_network_set (f->network, TRUE, G_NETWORK_CONNECTIVITY_FULL);
  g_assert_false (drs_session_get_offline (f->session));
  DRS_TEST_SPIN_UNTIL (all_updated (f, f->cloud_ids), WAIT_MS);
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_in_flight (monitor (f)) == 0, WAIT_MS);
  g_assert_cmpuint (batches (f->cloud), ==, 1);
  /* A second "network-changed" with the network still there refreshes nothing. */
  drs_test_network_set (f->network, TRUE, G_NETWORK_CONNECTIVITY_FULL);
  settle (f);
  g_assert_cmpuint (batches (f->cloud), ==, 1);
  g_assert_cmpuint (f->n_connection_problems, ==, 0);
}

/* Behind a captive portal the cloud is not asked; the loopback endpoint is. */
static void
test_captive (Fixture *f, gconstpointer data)
{
  guint local_before;

  if (!fixture_start (f, TRUE, 0))
    return;

  drs_test_network_set (f->network, TRUE, G_NETWORK_CONNECTIVITY_PORTAL);
  g_assert_true (drs_session_get_offline (f->session));
  settle (f);
  drs_simulator_reset_stats (f->cloud);
  local_before = batches (f->local);
  run_for (f, 120);
  g_assert_cmpuint (batches (f->cloud), ==, 0);
  g_assert_cmpuint (batches (f->local), >, local_before);
  assert_offline_stale (f, f->cloud_ids);
  g_assert_true (all_updated (f, f->local_ids));

  drs_test_network_set (f->network, TRUE, G_NETWORK_CONNECTIVITY_LIMITED);
  run_for (f, 60);
  g_assert_cmpuint (batches (f->cloud), ==, 0);
  g_assert_cmpuint (f->n_connection_problems, ==, 0);
}

/* How many seconds from now the next poll goes out, -1 if not within @max_seconds. */
static gint64
polls_within (Fixture *f, guint max_seconds)
{
  guint64 before = drs_monitor_get_n_requests (monitor (f));

  settle (f);
  for (guint s = 1; s <= max_seconds; s++)
    {
      drs_clock_advance (f->clock, 1000);
      if (drs_monitor_get_n_requests (monitor (f)) > before)
        {
          settle (f);
          return s;
        }
    }
  return -1;
}

/* Power saver: intervals ×4 (the setting's default), ×2 when the setting says so, ×1 after. */
static void
test_power_saver (Fixture *f, gconstpointer data)
{
  fixture_start (f, FALSE, 0);
  g_assert_false (drs_session_get_power_saver (f->session));
  g_assert_cmpint (polls_within (f, 120), ==, 15);

  drs_test_power_set (f->power, TRUE);
  g_assert_true (drs_session_get_power_saver (f->session));
  g_assert_cmpuint (drs_monitor_get_interval_factor (monitor (f)), ==, 4);
  g_assert_cmpint (polls_within (f, 120), ==, 60);
  g_assert_cmpint (polls_within (f, 120), ==, 60);

  g_settings_set_uint (f->settings, "power-saver-factor", 2);
  g_assert_cmpuint (drs_session_get_power_saver_factor (f->session), ==, 2);
  g_assert_cmpint (polls_within (f, 120), ==, 30);

  drs_test_power_set (f->power, FALSE);
  g_assert_false (drs_session_get_power_saver (f->session));
  g_assert_cmpint (polls_within (f, 120), ==, 15);
}

/* The history of the first local task between the start and now: a gap marker or not. */
static gboolean
history_has_gap (Fixture *f, guint min_points)
{
  DrsHistory *history = drs_session_get_history (f->session);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) points = NULL;
  gboolean gap = FALSE;

  drs_history_flush (history);
  points =
      drs_history_query (history, f->local_ids[0], &(DrsTimeRange){ 0, G_MAXINT64 }, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, >=, min_points);
  for (guint i = 0; i < points->len; i++)
    gap |= g_array_index (points, DrsSample, i).gap;
  return gap;
}

/* A sleep of five minutes (less than the history's own gap rule) seen as a jump of the wall
 * clock: one refresh at once, and the chart data has a gap there, not a line across it. */
static void
test_clock_jump (Fixture *f, gconstpointer data)
{
  guint64 before;

  /* Nothing is due for ten minutes but what the sleep makes due. */
  fixture_start (f, FALSE, 600);
  /* The watch looks at the clocks every 10 s; awake, it sees nothing. */
  settle (f);
  before = drs_monitor_get_n_requests (monitor (f));
  drs_clock_advance (f->clock, 10000);
  settle (f);
  g_assert_cmpuint (drs_monitor_get_n_requests (monitor (f)), ==, before);
  g_assert_false (history_has_gap (f, 1));

  drs_clock_suspend_us (f->clock, (gint64) 5 * 60 * G_USEC_PER_SEC);
  drs_clock_advance (f->clock, 1);
  g_assert_cmpuint (drs_monitor_get_n_requests (monitor (f)), ==, before);
  drs_clock_advance (f->clock, 10000);
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_requests (monitor (f)) == before + 1, WAIT_MS);
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_in_flight (monitor (f)) == 0, WAIT_MS);
  g_assert_true (all_updated (f, f->local_ids));
  /* Two samples and the gap between them, although they are only five minutes apart. */
  g_assert_true (history_has_gap (f, 3));
  g_assert_cmpuint (f->n_problems, ==, 0);
}

/* logind says the computer sleeps, then that it woke: one refresh at once, and a gap. */
static void
test_logind (Fixture *f, gconstpointer data)
{
  guint64 before;
  guint   asked = logind_asked;

  fixture_start (f, FALSE, 600);
  DRS_TEST_SPIN_UNTIL (logind_asked > asked, WAIT_MS);
  settle (f);
  before = drs_monitor_get_n_requests (monitor (f));

  logind_prepare_for_sleep (TRUE);
  drs_clock_suspend_us (f->clock, (gint64) 3 * 60 * G_USEC_PER_SEC);
  logind_prepare_for_sleep (FALSE);
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_requests (monitor (f)) == before + 1, WAIT_MS);
  DRS_TEST_SPIN_UNTIL (drs_monitor_get_n_in_flight (monitor (f)) == 0, WAIT_MS);
  g_assert_true (all_updated (f, f->local_ids));
  g_assert_true (history_has_gap (f, 3));

  /* The clock watch sees the same sleep no more: no second refresh. */
  settle (f);
  drs_clock_advance (f->clock, 10000);
  settle (f);
  g_assert_cmpuint (drs_monitor_get_n_requests (monitor (f)), ==, before + 1);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GResolver) resolver = NULL;
  g_autoptr (GDBusConnection) bus = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  drs_test_init (&argc, &argv);

  /* A system bus of our own, before anything connects to the real one. */
  system_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (system_bus);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_test_dbus_get_bus_address (system_bus), TRUE);
  bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  g_assert_no_error (error);
  /* The daemon goes before the process does. */
  g_dbus_connection_set_exit_on_close (bus, FALSE);
  logind_start ();

  resolver = g_object_new (TEST_TYPE_RESOLVER, NULL);
  g_resolver_set_default (resolver);

  g_test_add ("/session-env/offline", Fixture, NULL, NULL, test_offline, fixture_teardown);
  g_test_add ("/session-env/captive", Fixture, NULL, NULL, test_captive, fixture_teardown);
  g_test_add ("/session-env/power-saver", Fixture, NULL, NULL, test_power_saver, fixture_teardown);
  g_test_add ("/session-env/clock-jump", Fixture, NULL, NULL, test_clock_jump, fixture_teardown);
  g_test_add ("/session-env/logind", Fixture, NULL, NULL, test_logind, fixture_teardown);
  status = g_test_run ();

  g_clear_object (&logind);
  g_dbus_connection_close_sync (bus, NULL, NULL);
  g_test_dbus_down (system_bus);
  g_clear_object (&system_bus);
  return status;
}

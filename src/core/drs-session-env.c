/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the session follows of the computer it runs on: the network (no polling of the cloud
 * while offline), the power profile (longer intervals in power-saver mode) and sleep (logind's
 * PrepareForSleep: a resume refreshes at once). Each comes from an object the session was
 * given, so tests bring their own. */
#define G_LOG_DOMAIN "drs-session"

#include "config.h"

#include "drs-session-private.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define LOGIND_MANAGER "org.freedesktop.login1.Manager"

/* Network ------------------------------------------------------------------------------------ */

/* A captive portal or a limited network reaches no cloud endpoint: that is offline too. */
static void
update_network (DrsSession *self)
{
  GNetworkMonitor *monitor = self->network_monitor;
  gboolean         offline = !g_network_monitor_get_network_available (monitor) ||
                     g_network_monitor_get_connectivity (monitor) != G_NETWORK_CONNECTIVITY_FULL;

  if (self->offline == offline)
    return;
  self->offline = offline;
  g_debug ("%s", offline ? "The network went away" : "The network is back");
  drs_monitor_set_offline (self->monitor, offline);
  _drs_session_notify_env (self, DRS_SESSION_ENV_OFFLINE);
}

/* Power -------------------------------------------------------------------------------------- */

static void
update_power (DrsSession *self)
{
  gboolean saver = g_power_profile_monitor_get_power_saver_enabled (self->power_monitor);

  drs_monitor_set_interval_factor (self->monitor, saver ? self->power_saver_factor : 1);
  if (self->power_saver == saver)
    return;
  self->power_saver = saver;
  g_debug ("Power saver %s", saver ? "on" : "off");
  _drs_session_notify_env (self, DRS_SESSION_ENV_POWER_SAVER);
}

/**
 * drs_session_set_power_saver_factor:
 * @factor: how many times longer the intervals are in power-saver mode
 */
void
drs_session_set_power_saver_factor (DrsSession *self, guint factor)
{
  g_return_if_fail (DRS_IS_SESSION (self));
  g_return_if_fail (factor >= 1);

  if (self->power_saver_factor == factor)
    return;
  self->power_saver_factor = factor;
  if (self->monitor != NULL && self->power_monitor != NULL)
    update_power (self);
  _drs_session_notify_env (self, DRS_SESSION_ENV_POWER_SAVER_FACTOR);
}

/* Sleep -------------------------------------------------------------------------------------- */

static gint64
now_wall (DrsSession *self)
{
  return drs_clock_get_wall_us (drs_monitor_get_clock (self->monitor));
}

static void
prepare_for_sleep (DrsSession *self, gboolean sleeping)
{
  if (sleeping)
    {
      self->asleep_since_us = now_wall (self);
      g_debug ("Going to sleep");
      return;
    }
  g_debug ("Resumed from sleep");
  drs_monitor_resumed (self->monitor, self->asleep_since_us);
  self->asleep_since_us = -1;
}

static void
on_prepare_for_sleep (GDBusConnection *connection,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  gboolean sleeping;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;
  g_variant_get (parameters, "(b)", &sleeping);
  prepare_for_sleep (user_data, sleeping);
}

/* Started while the computer is on its way to sleep: the resume tells how long it slept. */
static void
on_preparing_for_sleep (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply =
      g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  g_autoptr (GVariant) value = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      g_debug ("logind does not answer: %s", error->message);
      return;
    }
  g_variant_get (reply, "(v)", &value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) && g_variant_get_boolean (value))
    prepare_for_sleep (user_data, TRUE);
}

static void
on_system_bus (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);
  DrsSession      *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (bus == NULL)
    {
      /* No system bus (a container): the clock watch still notices a sleep. */
      g_debug ("No system bus, so no word from logind: %s", error->message);
      return;
    }
  self->system_bus = bus;
  self->sleep_signal_id = g_dbus_connection_signal_subscribe (
      bus, LOGIND_NAME, LOGIND_MANAGER, "PrepareForSleep", LOGIND_PATH, NULL,
      G_DBUS_SIGNAL_FLAGS_NONE, on_prepare_for_sleep, self, NULL);
  g_dbus_connection_call (bus, LOGIND_NAME, LOGIND_PATH, "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", LOGIND_MANAGER, "PreparingForSleep"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NO_AUTO_START, -1,
                          self->env_cancellable, on_preparing_for_sleep, self);
}

/* Setup -------------------------------------------------------------------------------------- */

/* Follows the network, the power profile and logind, with the monitor built. */
void
_drs_session_env_start (DrsSession *self)
{
  if (self->network_monitor == NULL)
    self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  if (self->power_monitor == NULL)
    self->power_monitor = g_power_profile_monitor_dup_default ();

  g_signal_connect_object (self->network_monitor, "network-changed", G_CALLBACK (update_network),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->network_monitor, "notify::connectivity",
                           G_CALLBACK (update_network), self, G_CONNECT_SWAPPED);
  update_network (self);
  g_signal_connect_object (self->power_monitor, "notify::power-saver-enabled",
                           G_CALLBACK (update_power), self, G_CONNECT_SWAPPED);
  update_power (self);

  g_bus_get (G_BUS_TYPE_SYSTEM, self->env_cancellable, on_system_bus, self);
}

void
_drs_session_env_stop (DrsSession *self)
{
  g_cancellable_cancel (self->env_cancellable);
  if (self->sleep_signal_id != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_signal_id);
  self->sleep_signal_id = 0;
  g_clear_object (&self->system_bus);
  if (self->network_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  if (self->power_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->power_monitor, self);
  g_clear_object (&self->network_monitor);
  g_clear_object (&self->power_monitor);
}

/**
 * drs_session_get_offline:
 *
 * Returns: %TRUE while there is no full network: the cloud endpoints are not polled
 */
gboolean
drs_session_get_offline (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), FALSE);
  return self->offline;
}

/**
 * drs_session_get_power_saver:
 *
 * Returns: %TRUE in power-saver mode: the intervals are #DrsSession:power-saver-factor times
 *   as long
 */
gboolean
drs_session_get_power_saver (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), FALSE);
  return self->power_saver;
}

guint
drs_session_get_power_saver_factor (DrsSession *self)
{
  g_return_val_if_fail (DRS_IS_SESSION (self), 1);
  return self->power_saver_factor;
}

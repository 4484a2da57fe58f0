/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the OS tells the session about the computer, as tests tell it: a GNetworkMonitor and a
 * GPowerProfileMonitor that change when the test says so. */
#include "config.h"

#include "drs-test-env.h"

/* A network monitor the test switches ----------------------------------------------------- */

struct _DrsTestNetwork
{
  GObject              parent_instance;
  gboolean             available;
  GNetworkConnectivity connectivity;
};

enum
{
  NET_PROP_0,
  NET_PROP_AVAILABLE,
  NET_PROP_METERED,
  NET_PROP_CONNECTIVITY,
};

static gboolean
drs_test_network_can_reach (GNetworkMonitor    *monitor,
                            GSocketConnectable *connectable,
                            GCancellable       *cancellable,
                            GError            **error)
{
  return DRS_TEST_NETWORK (monitor)->available;
}

static void
drs_test_network_iface_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = drs_test_network_can_reach;
}

static gboolean
drs_test_network_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  return TRUE;
}

static void
drs_test_network_initable_iface_init (GInitableIface *iface)
{
  iface->init = drs_test_network_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (DrsTestNetwork,
                               drs_test_network,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      drs_test_network_initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                          drs_test_network_iface_init))

static void
drs_test_network_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsTestNetwork *self = DRS_TEST_NETWORK (object);

  switch (prop_id)
    {
      case NET_PROP_AVAILABLE:
        g_value_set_boolean (value, self->available);
        break;
      case NET_PROP_METERED:
        g_value_set_boolean (value, FALSE);
        break;
      case NET_PROP_CONNECTIVITY:
        g_value_set_enum (value, self->connectivity);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_test_network_class_init (DrsTestNetworkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = drs_test_network_get_property;
  g_object_class_override_property (object_class, NET_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, NET_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, NET_PROP_CONNECTIVITY, "connectivity");
}

static void
drs_test_network_init (DrsTestNetwork *self)
{
  self->available = TRUE;
  self->connectivity = G_NETWORK_CONNECTIVITY_FULL;
}

/* As GLib's monitors do: the properties change, then network-changed. */
void
drs_test_network_set (DrsTestNetwork *self, gboolean available, GNetworkConnectivity connectivity)
{
  self->available = available;
  self->connectivity = connectivity;
  g_object_notify (G_OBJECT (self), "connectivity");
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* A power profile monitor the test switches ------------------------------------------------ */

struct _DrsTestPower
{
  GObject  parent_instance;
  gboolean saver;
};

static void
drs_test_power_iface_init (GPowerProfileMonitorInterface *iface)
{
}

static void
drs_test_power_initable_iface_init (GInitableIface *iface)
{
  iface->init = drs_test_network_initable_init;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (DrsTestPower,
                               drs_test_power,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      drs_test_power_initable_iface_init)
                                   G_IMPLEMENT_INTERFACE (G_TYPE_POWER_PROFILE_MONITOR,
                                                          drs_test_power_iface_init))

static void
drs_test_power_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  if (prop_id == 1)
    g_value_set_boolean (value, DRS_TEST_POWER (object)->saver);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
drs_test_power_class_init (DrsTestPowerClass *klass)
{
  G_OBJECT_CLASS (klass)->get_property = drs_test_power_get_property;
  g_object_class_override_property (G_OBJECT_CLASS (klass), 1, "power-saver-enabled");
}

static void
drs_test_power_init (DrsTestPower *self)
{
}

void
drs_test_power_set (DrsTestPower *self, gboolean saver)
{
  self->saver = saver;
  g_object_notify (G_OBJECT (self), "power-saver-enabled");
}

DrsTestNetwork *
drs_test_network_new (void)
{
  return g_object_new (DRS_TEST_TYPE_NETWORK, NULL);
}

DrsTestPower *
drs_test_power_new (void)
{
  return g_object_new (DRS_TEST_TYPE_POWER, NULL);
}

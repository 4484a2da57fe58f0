/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DRS_TEST_TYPE_NETWORK (drs_test_network_get_type ())
G_DECLARE_FINAL_TYPE (DrsTestNetwork, drs_test_network, DRS_TEST, NETWORK, GObject)

#define DRS_TEST_TYPE_POWER (drs_test_power_get_type ())
G_DECLARE_FINAL_TYPE (DrsTestPower, drs_test_power, DRS_TEST, POWER, GObject)

/* clang-format off */
DrsTestNetwork *drs_test_network_new (void);
void            drs_test_network_set (DrsTestNetwork       *self,
                                      gboolean              available,
                                      GNetworkConnectivity  connectivity);
DrsTestPower   *drs_test_power_new   (void);
void            drs_test_power_set   (DrsTestPower         *self,
                                      gboolean              saver);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-exporter.h"

G_BEGIN_DECLS

#define DRS_METRICS_DEFAULT_PORT 9687

#define DRS_TYPE_METRICS_SERVER (drs_metrics_server_get_type ())

G_DECLARE_FINAL_TYPE (DrsMetricsServer, drs_metrics_server, DRS, METRICS_SERVER, GObject)

/* clang-format off */
DrsMetricsServer *drs_metrics_server_new          (DrsExporter       *exporter);
gboolean          drs_metrics_server_parse_address (const char        *host_port,
                                                    gboolean           listen_any,
                                                    GInetSocketAddress **address,
                                                    GError           **error);
gboolean          drs_metrics_server_listen       (DrsMetricsServer  *self,
                                                   const char        *host_port,
                                                   gboolean           listen_any,
                                                   GError           **error);
const char       *drs_metrics_server_get_url      (DrsMetricsServer  *self);
/* clang-format on */

G_END_DECLS

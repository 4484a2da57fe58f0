/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-client.h"
#include "drs-clock.h"
#include "drs-job-store.h"

G_BEGIN_DECLS

/* The first retry after a failed listing; it doubles up to the listing interval. */
#define DRS_JOB_DISCOVERY_RETRY_S 10u

/* The most tasks one discovery adds: the cardinality of /metrics stays bounded. */
#define DRS_JOB_DISCOVERY_MAX_TASKS 20000

#define DRS_TYPE_JOB_DISCOVERY (drs_job_discovery_get_type ())

G_DECLARE_FINAL_TYPE (DrsJobDiscovery, drs_job_discovery, DRS, JOB_DISCOVERY, GObject)

/* clang-format off */
DrsJobDiscovery *drs_job_discovery_new          (DrsJobStore       *store,
                                                 DrsClient         *client,
                                                 DrsClock          *clock,
                                                 const char        *account);
void             drs_job_discovery_keep         (DrsJobDiscovery   *self,
                                                 const char *const *ids);
void             drs_job_discovery_start        (DrsJobDiscovery   *self,
                                                 guint              interval_s);
void             drs_job_discovery_stop         (DrsJobDiscovery   *self);
void             drs_job_discovery_set_client   (DrsJobDiscovery   *self,
                                                 DrsClient         *client);
guint            drs_job_discovery_get_n_lists  (DrsJobDiscovery   *self);
/* clang-format on */

G_END_DECLS

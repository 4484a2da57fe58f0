/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* clang-format off */
const char *const *drs_endpoint_list_regions      (void);
gboolean           drs_endpoint_region_is_known   (const char  *region);
const char        *drs_endpoint_get_region_name   (const char  *region);
char              *drs_endpoint_dup_region_label  (const char  *region);
gboolean           drs_endpoint_region_is_valid   (const char  *region);
char              *drs_endpoint_for_region        (const char  *region,
                                                   GError     **error);
char              *drs_endpoint_iam_for_region    (const char  *region,
                                                   GError     **error);
char              *drs_endpoint_normalize         (const char  *endpoint,
                                                   GError     **error);
gboolean           drs_endpoint_host_is_loopback  (const char  *host);
gboolean           drs_endpoint_is_loopback       (const char  *endpoint);
/* clang-format on */

G_END_DECLS

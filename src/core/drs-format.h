/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* clang-format off */
char *drs_format_duration   (gint64     seconds);
char *drs_format_delay      (gint64     milliseconds);
char *drs_format_percent    (double     percent);
char *drs_format_date_time  (GDateTime *date_time);
char *drs_format_time_ago   (gint64     seconds);
/* clang-format on */

G_END_DECLS

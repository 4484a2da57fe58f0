/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* clang-format off */
const char *drs_enum_to_nick   (GType       enum_type,
                                int         value);
gboolean    drs_enum_from_nick (GType       enum_type,
                                const char *nick,
                                int        *value);
/* clang-format on */

G_END_DECLS

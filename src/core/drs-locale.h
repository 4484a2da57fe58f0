/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* clang-format off */
void drs_locale_init          (const char *localedir);
void drs_locale_use_language  (const char *language);
/* clang-format on */

G_END_DECLS

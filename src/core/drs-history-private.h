/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "drs-history.h"

G_BEGIN_DECLS

/* clang-format off */
sqlite3 *_drs_history_get_db    (DrsHistory  *self);
void     _drs_history_set_error (DrsHistory  *self,
                                 GError     **error,
                                 const char  *what);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-session.h"

G_BEGIN_DECLS

/* clang-format off */
void     drs_handover_prepare_hidden (int                argc,
                                      char             **argv);
gboolean drs_handover_exec           (DrsSession        *session,
                                      const char *const *argv,
                                      GDBusConnection   *bus,
                                      GError           **error);
gboolean drs_handover_restore        (DrsSession        *session);
/* clang-format on */

G_END_DECLS

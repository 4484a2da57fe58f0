/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "drs-monitor.h"

G_BEGIN_DECLS

/* clang-format off */
void _drs_monitor_after_action (DrsMonitor      *self,
                                DrsActionResult *result);
/* clang-format on */

G_END_DECLS

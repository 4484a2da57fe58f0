/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "drs-history.h"

G_BEGIN_DECLS

/* clang-format off */
char   *drs_action_timeline_title    (const DrsActionRecord *record);
char   *drs_action_timeline_subtitle (const DrsActionRecord *record);
guint   drs_action_timeline_fill     (GtkListBox            *list,
                                      GPtrArray             *records);
GArray *drs_action_timeline_times    (GPtrArray             *records);
/* clang-format on */

G_END_DECLS

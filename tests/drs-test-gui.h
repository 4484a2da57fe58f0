/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* clang-format off */
void drs_test_wait_frames     (GtkWidget  *widget,
                               guint       n);
void drs_test_save_screenshot (GtkWidget  *widget,
                               const char *name);
/* clang-format on */

G_END_DECLS

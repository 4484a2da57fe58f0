/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which of GTK's renderers paints the app's windows, where GTK would choose badly. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* clang-format off */
const char *drs_renderer_pick               (const char  *dri_dir);
const char *drs_renderer_prepare            (const char  *dri_dir);
char      **drs_renderer_environ_without_gl (char       **envp);
void        drs_renderer_paint_without_gl   (void);
/* clang-format on */

G_END_DECLS

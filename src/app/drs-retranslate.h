/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _DrsRetranslator DrsRetranslator;

/* clang-format off */
DrsRetranslator *drs_retranslator_new        (const char      *resource_path);
guint            drs_retranslator_apply      (DrsRetranslator *self,
                                              GtkWidget       *widget,
                                              GType            template_type);
guint            drs_retranslator_get_n_strings (DrsRetranslator *self);
void             drs_retranslator_free       (DrsRetranslator *self);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsRetranslator, drs_retranslator_free)

G_END_DECLS

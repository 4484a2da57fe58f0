/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DRS_TYPE_VIEW_STATE (drs_view_state_get_type ())

G_DECLARE_FINAL_TYPE (DrsViewState, drs_view_state, DRS, VIEW_STATE, GObject)

/* clang-format off */
DrsViewState *drs_view_state_new      (void);
GVariant     *drs_view_state_save     (DrsViewState *self);
guint         drs_view_state_restore  (DrsViewState *self,
                                       GVariant     *saved);
/* clang-format on */

G_END_DECLS

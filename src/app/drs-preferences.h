/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "drs-session.h"

G_BEGIN_DECLS

#define DRS_TYPE_PREFERENCES (drs_preferences_get_type ())

G_DECLARE_FINAL_TYPE (DrsPreferences, drs_preferences, DRS, PREFERENCES, AdwPreferencesWindow)

/* clang-format off */
DrsPreferences      *drs_preferences_new              (DrsSession     *session);
DrsPreferences      *drs_preferences_rebuild          (DrsPreferences *old);
AdwPreferencesGroup *drs_preferences_get_general_group (DrsPreferences *self);
guint                drs_preferences_get_n_accounts   (DrsPreferences *self);
void                 drs_preferences_edit_account     (DrsPreferences *self,
                                                       const char     *name);
gboolean             drs_preferences_get_editing      (DrsPreferences *self);
void                 drs_preferences_set_field        (DrsPreferences *self,
                                                       const char     *field,
                                                       const char     *value);
const char          *drs_preferences_get_field        (DrsPreferences *self,
                                                       const char     *field);
void                 drs_preferences_test_connection  (DrsPreferences *self);
void                 drs_preferences_look_up_project  (DrsPreferences *self);
void                 drs_preferences_save             (DrsPreferences *self);
AdwMessageDialog    *drs_preferences_remove_account   (DrsPreferences *self);
gboolean             drs_preferences_get_busy         (DrsPreferences *self);
const char          *drs_preferences_get_status       (DrsPreferences *self,
                                                       gboolean       *success);
const char          *drs_preferences_get_secrets_note (DrsPreferences *self);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the stand-in notification server received in one AddNotification. */
typedef struct
{
  char *app_id;
  char *id;
  char *title;
  char *body;
  char *action;
  char *target; /* the default action's target, a string */
  char *button_label;
  char *button_action;
  char *button_target;
} DrsTestNotification;

/* clang-format off */
void       drs_test_notify_start           (void);
void       drs_test_notify_stop            (void);
GPtrArray *drs_test_notify_get_added       (void);
GPtrArray *drs_test_notify_get_removed     (void);
void       drs_test_notify_clear           (void);
guint      drs_test_notify_count           (const char      *app_id);
const DrsTestNotification *
           drs_test_notify_find            (const char      *app_id,
                                            const char      *id_prefix);
void       drs_test_notify_sync            (GApplication    *app);
void       drs_test_activate_action        (GApplication    *app,
                                            const char      *action,
                                            const char      *target);
/* clang-format on */

G_END_DECLS

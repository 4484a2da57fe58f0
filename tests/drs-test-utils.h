/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* clang-format off */

typedef gboolean (*DrsTestCondition) (gpointer user_data);

void     drs_test_init (int *argc, char ***argv);
char    *drs_test_init_gui (int *argc, char ***argv);
void     drs_test_remove_dir (const char *path);
gboolean drs_test_use_language (const char *language);
GBytes  *drs_test_load_fixture (const char *name);
char    *drs_test_fixture_path (const char *name);
void     drs_test_spin_until (DrsTestCondition condition, gpointer user_data, guint timeout_ms);
gboolean drs_test_flag_is_set (gpointer flag);
guint    drs_test_watch_owner (GDBusConnection *bus, const char *name, char **owner);
void     drs_test_wait_exit (GSubprocess *process, guint timeout_ms);

guint drs_test_deadline_start (guint timeout_ms, const char *what);

/* Iterates the default main context until @expr holds; a test that waits longer fails. */
#define DRS_TEST_SPIN_UNTIL(expr, timeout_ms)                        \
  G_STMT_START                                                       \
  {                                                                  \
    guint _deadline = drs_test_deadline_start ((timeout_ms), #expr); \
    while (!(expr))                                                  \
      g_main_context_iteration (NULL, TRUE);                         \
    g_source_remove (_deadline);                                     \
  }                                                                  \
  G_STMT_END

/* clang-format on */

G_END_DECLS

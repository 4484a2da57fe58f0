/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "drs-session.h"

G_BEGIN_DECLS

struct _DrsSession
{
  GObject parent_instance;

  /* owned */
  GSettings    *settings; /* nullable: without the schema nothing is remembered */
  char         *history_path;
  DrsJobStore  *store;
  DrsHistory   *history; /* nullable: monitoring goes on without it */
  GError       *history_error;
  DrsMonitor   *monitor;
  DrsAccounts  *accounts; /* nullable, as the settings */
  DrsSecrets   *secrets;
  DrsViewState *view_state;
  GHashTable   *clients; /* account → DrsClient */
  GHashTable   *loaded;  /* account name → DrsAccount its client was built from */
  GCancellable *cancellable;
  char         *language; /* the X-Language the clients send */

  /* the computer (drs-session-env.c) */
  DrsClock             *clock; /* nullable until the monitor is built */
  GNetworkMonitor      *network_monitor;
  GPowerProfileMonitor *power_monitor;
  GCancellable         *env_cancellable;
  GDBusConnection      *system_bus; /* nullable: logind is heard on it */
  guint                 sleep_signal_id;
  gint64                asleep_since_us; /* wall clock, -1 when awake */
  guint                 power_saver_factor;
  gboolean              offline;
  gboolean              power_saver;
};

typedef enum
{
  DRS_SESSION_ENV_OFFLINE,
  DRS_SESSION_ENV_POWER_SAVER,
  DRS_SESSION_ENV_POWER_SAVER_FACTOR,
} DrsSessionEnvProp;

/* clang-format off */
void _drs_session_notify_accounts (DrsSession *self);
void _drs_session_sync_accounts   (DrsSession *self);
void _drs_session_notify_env      (DrsSession        *self,
                                   DrsSessionEnvProp  prop);
void _drs_session_env_start       (DrsSession *self);
void _drs_session_env_stop        (DrsSession *self);
/* clang-format on */

G_END_DECLS

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
};

/* clang-format off */
void _drs_session_notify_accounts (DrsSession *self);
void _drs_session_sync_accounts   (DrsSession *self);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "drs-client.h"

G_BEGIN_DECLS

/* Makes a client like the first one, with other credentials (a new token from --token-file). */
typedef DrsClient *(*DrsServeClientFunc) (DrsCredentials *credentials, gpointer user_data);

/**
 * DrsServeOptions:
 *
 * What `drs-progress --serve` was given; drs-progress.c has checked every value.
 */
typedef struct
{
  const char *listen;
  gboolean    listen_any;
  gboolean    all_jobs;
  guint       interval_s;
  guint       finished_interval_s;
  guint       budget;
  guint       list_interval_s;
  const char *account;
  const char *region;
  const char *token_file;

  DrsServeClientFunc new_client;
  gpointer           new_client_data;
} DrsServeOptions;

/* clang-format off */
char *drs_serve_read_token (const char             *path,
                            GError                **error);
int   drs_serve_run        (const DrsServeOptions  *options,
                            DrsClient              *client,
                            const char *const      *job_ids);
char *drs_serve_render_once (DrsProgressResult     *result,
                             const char *const     *names,
                             guint                  n_names,
                             const DrsServeOptions *options,
                             guint                  batch_size,
                             gboolean               openmetrics);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "drs-client.h"

G_BEGIN_DECLS

/*
 * What the files of DrsClient share: drs-client.c (the object, its settings and
 * batch-progress), drs-client-request.c (one POST through the client's transport),
 * drs-client-jobs.c (the job list) and drs-client-actions.c (pause, resume, retry).
 * drs-client-iam.c (the project lookup) needs no client.
 */

struct _DrsClient
{
  GObject parent_instance;

  /* owned */
  char           *endpoint;
  char           *project_id;
  DrsCredentials *credentials;
  char           *language;
  GTlsDatabase   *tls_database;
  SoupSession    *session; /* created on first use; replaced when the concurrency changes */
  GQueue          queue;   /* Batch waiting for a slot */

  guint    concurrency;
  guint    batch_size;
  guint    timeout_s;
  gsize    max_response;
  guint    running;
  gboolean purge_cancelled; /* a query was cancelled: its queued batches leave the queue */
};

/**
 * DrsResponse:
 * @message: the message, with its status and response headers
 * @body: the whole body (possibly empty)
 */
typedef struct
{
  SoupMessage *message;
  GBytes      *body;
} DrsResponse;

/* clang-format off */
void         _drs_response_free          (DrsResponse         *response);
void         _drs_client_post_async      (DrsClient           *self,
                                          const char          *path,
                                          GBytes              *body,
                                          gboolean             idempotent,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
DrsResponse *_drs_client_post_finish     (DrsClient           *self,
                                          GAsyncResult        *result,
                                          guint               *attempts,
                                          gboolean            *maybe_received,
                                          GError             **error);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsResponse, _drs_response_free)

G_END_DECLS

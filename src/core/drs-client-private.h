/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "drs-client.h"

G_BEGIN_DECLS

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
void         _drs_client_request_async   (DrsClient           *self,
                                          const char          *method,
                                          const char          *path,
                                          GBytes              *body,
                                          gboolean             idempotent,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
DrsResponse *_drs_client_request_finish  (DrsClient           *self,
                                          GAsyncResult        *result,
                                          guint               *attempts,
                                          gboolean            *maybe_received,
                                          GError             **error);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsResponse, _drs_response_free)

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The largest response body read: bigger ones are refused without being read whole. */
#define DRS_HTTP_DEFAULT_MAX_BODY (8 * 1024 * 1024)

/* clang-format off */
const char  *drs_http_get_user_agent       (void);
SoupSession *drs_http_session_new          (guint                concurrency,
                                            guint                timeout_s,
                                            GTlsDatabase        *tls_database);
void         drs_http_send_async           (SoupSession         *session,
                                            SoupMessage         *message,
                                            gsize                max_body,
                                            guint                timeout_s,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GBytes      *drs_http_send_finish          (SoupSession         *session,
                                            GAsyncResult        *result,
                                            GError             **error);
GError      *drs_http_error_from_response  (SoupMessage         *message,
                                            GBytes              *body);
gboolean     drs_http_check_status         (SoupMessage         *message,
                                            GBytes              *body,
                                            GError             **error);
SoupMessage *drs_http_new_iam_message      (const char          *method,
                                            const char          *iam_endpoint,
                                            const char          *path,
                                            GError             **error);
gint64       drs_http_parse_retry_after    (const char          *value,
                                            gint64               now_us);
GError      *drs_http_map_transport_error  (const GError        *error,
                                            GUri                *uri);
/* clang-format on */

G_END_DECLS

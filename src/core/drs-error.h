/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* clang-format off */

#define DRS_ERROR (drs_error_quark ())

/**
 * DrsErrorCode:
 *
 * What went wrong, as the app acts on it. The server's own code, message and request id travel
 * with the #GError (see drs_error_get_server_code() and friends).
 */
typedef enum
{
  DRS_ERROR_AUTH,        /* 401: bad or expired token, bad signature, wrong password */
  DRS_ERROR_FORBIDDEN,   /* 403: no permission, another project */
  DRS_ERROR_THROTTLED,   /* 429, APIGW.0308, DRS.M01503 */
  DRS_ERROR_NOT_FOUND,   /* 404, task not found or deleted */
  DRS_ERROR_BAD_REQUEST, /* other 4xx, parameter errors, duplicate ids */
  DRS_ERROR_SERVER,      /* 5xx, service errors */
  DRS_ERROR_NETWORK,     /* could not connect, connection dropped */
  DRS_ERROR_TIMEOUT,     /* no complete answer in time */
  DRS_ERROR_TLS,         /* certificate not trusted, handshake failed */
  DRS_ERROR_PROTOCOL,    /* the answer is not what the API promises */
  DRS_ERROR_INVALID,     /* bad input from the user or a file */
  DRS_ERROR_STORAGE,     /* the history database */
} DrsErrorCode;

GQuark       drs_error_quark                (void);

void         drs_error_set_details          (GError     *error,
                                             guint       http_status,
                                             const char *server_code,
                                             const char *server_message,
                                             const char *request_id);
void         drs_error_set_retry_after      (GError     *error,
                                             gint64      retry_after_s);
guint        drs_error_get_http_status      (const GError *error);
const char  *drs_error_get_server_code      (const GError *error);
const char  *drs_error_get_server_message   (const GError *error);
const char  *drs_error_get_request_id       (const GError *error);
gint64       drs_error_get_retry_after      (const GError *error);

DrsErrorCode drs_error_code_classify        (guint       http_status,
                                             const char *server_code);
const char  *drs_error_code_to_string       (DrsErrorCode code);
gboolean     drs_error_is_transient         (const GError *error);

GError      *drs_error_new_from_server      (guint       http_status,
                                             const char *server_code,
                                             const char *server_message,
                                             const char *request_id);
const char  *drs_error_code_describe        (DrsErrorCode code);

/* clang-format on */

G_END_DECLS

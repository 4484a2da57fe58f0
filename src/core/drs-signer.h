/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define DRS_SIGNER_ALGORITHM "SDK-HMAC-SHA256"

/* clang-format off */
char *drs_signer_format_date        (GDateTime          *time);
char *drs_signer_canonical_request  (const char         *method,
                                     GUri               *uri,
                                     SoupMessageHeaders *headers,
                                     GBytes             *body,
                                     char              **signed_headers);
char *drs_signer_authorization      (const char         *ak,
                                     const char         *sk,
                                     const char         *method,
                                     GUri               *uri,
                                     SoupMessageHeaders *headers,
                                     GBytes             *body);
void  drs_signer_sign_message       (SoupMessage        *message,
                                     const char         *ak,
                                     const char         *sk,
                                     const char         *project_id,
                                     GBytes             *body,
                                     GDateTime          *now);
/* clang-format on */

G_END_DECLS

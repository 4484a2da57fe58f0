/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define DRS_SIM_SIGN_ALGORITHM "SDK-HMAC-SHA256"
/* Signatures whose X-Sdk-Date is further than this from the server clock are refused. */
#define DRS_SIM_SIGN_MAX_SKEW_MS (15 * 60 * 1000)

typedef struct
{
  char  *access;
  char **signed_headers;
  char  *signature;
} DrsSimAuthorization;

char *drs_sim_sign_canonical_uri (const char *path);
char *drs_sim_sign_canonical_query (const char *query);
char *drs_sim_sign_canonical_request (const char         *method,
                                      const char         *path,
                                      const char         *query,
                                      SoupMessageHeaders *headers,
                                      const char *const  *signed_headers,
                                      GBytes             *body);
char *drs_sim_sign_signature (const char *sk, const char *sdk_date, const char *canonical_request);
gboolean drs_sim_sign_parse_date (const char *sdk_date, gint64 *unix_ms);
gboolean drs_sim_sign_parse_authorization (const char *value, DrsSimAuthorization *out);
void     drs_sim_authorization_clear (DrsSimAuthorization *auth);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DrsSimAuthorization, drs_sim_authorization_clear)

G_END_DECLS

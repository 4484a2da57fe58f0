/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * DrsJobIdList:
 * @valid: (element-type utf8): well-formed ids, normalised to lower case, first occurrence order
 * @invalid: (element-type utf8): the words that are not DRS task ids, verbatim
 * @duplicates: (element-type utf8): ids given more than once, or already known
 *
 * What drs_job_id_parse_list() found in a piece of pasted text.
 */
typedef struct
{
  GPtrArray *valid;
  GPtrArray *invalid;
  GPtrArray *duplicates;
} DrsJobIdList;

/* clang-format off */
gboolean      drs_job_id_is_valid      (const char         *id);
char         *drs_job_id_normalize     (const char         *text);
DrsJobIdList *drs_job_id_parse_list    (const char         *text,
                                        GHashTable         *known);
DrsJobIdList *drs_job_id_list_copy     (const DrsJobIdList *list);
void          drs_job_id_list_free     (DrsJobIdList       *list);
char         *drs_job_id_list_describe (const DrsJobIdList *list);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsJobIdList, drs_job_id_list_free)

G_END_DECLS

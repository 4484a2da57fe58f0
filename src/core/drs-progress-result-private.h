/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "drs-progress-result.h"

G_BEGIN_DECLS

/* How the client fills a result while its batches come back. */

/* clang-format off */
DrsProgressResult *_drs_progress_result_new          (const char * const  *job_ids);
void               _drs_progress_result_add_snapshot (DrsProgressResult   *self,
                                                      DrsSnapshot         *snapshot);
void               _drs_progress_result_add_error    (DrsProgressResult   *self,
                                                      GStrv                job_ids,
                                                      GError              *error);
void               _drs_progress_result_sort         (DrsProgressResult   *self);
/* clang-format on */

G_END_DECLS

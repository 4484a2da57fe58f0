/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "drs-client.h"

G_BEGIN_DECLS

typedef enum
{
  DRS_OUTPUT_TABLE,
  DRS_OUTPUT_JSON,
  DRS_OUTPUT_CSV,
  DRS_OUTPUT_OPENMETRICS,
  DRS_OUTPUT_PROMETHEUS,
} DrsOutputFormat;

/* clang-format off */
char *drs_progress_output_json    (DrsProgressResult *result);
char *drs_progress_output_csv     (DrsProgressResult *result);
char *drs_progress_output_table   (DrsProgressResult *result,
                                   gboolean           color);
int   drs_progress_exit_status    (DrsProgressResult *result);
/* clang-format on */

G_END_DECLS

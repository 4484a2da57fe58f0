/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "drs-job-status.h"

G_BEGIN_DECLS

/* clang-format off */

/* A value the server did not send, or sent as something we cannot read. Never 0. */
#define DRS_UNKNOWN (-1)

typedef enum
{
  DRS_PHASE_STRUCT,
  DRS_PHASE_DATA,
  DRS_PHASE_INDEX,
  DRS_N_PHASES,
} DrsPhase;

typedef struct
{
  double completed;   /* percent 0–100, or DRS_UNKNOWN */
  gint64 remaining_s; /* seconds, or DRS_UNKNOWN */
} DrsPhaseProgress;

/**
 * DrsSnapshot:
 *
 * One `QueryProgressResp` read into typed values. Strings that name an enum value are kept once
 * for the process, so snapshots and jobs can compare them by pointer.
 */
typedef struct
{
  char             *job_id;
  double            progress;        /* percent 0–100, or DRS_UNKNOWN */
  gint64            delay_ms;        /* incremental delay, or DRS_UNKNOWN */
  DrsTaskMode       task_mode;
  const char       *task_mode_raw;   /* interned, nullable */
  DrsJobStatus      status;
  const char       *status_raw;      /* interned, nullable */
  gint64            process_time_ms; /* epoch ms, or DRS_UNKNOWN (the server's "0") */
  gint64            remaining_s;     /* seconds, or DRS_UNKNOWN */
  gboolean          has_phases;      /* the server sent progress_map */
  DrsPhaseProgress  phases[DRS_N_PHASES];
  char             *error_code;      /* per-job error, nullable */
  char             *error_msg;
} DrsSnapshot;

DrsSnapshot *drs_snapshot_new                (const char   *job_id);
DrsSnapshot *drs_snapshot_copy               (const DrsSnapshot *snapshot);
void         drs_snapshot_free               (DrsSnapshot  *snapshot);

GPtrArray   *drs_progress_parse              (const char   *data,
                                              gsize         length,
                                              GError      **error);
GError      *drs_progress_parse_error_body   (const char   *data,
                                              gsize         length,
                                              guint         http_status,
                                              const char   *request_id);

/* Field readers, exposed for tests and for the simulator's scenario loader. */
double       drs_parse_percent               (const char   *text);
gint64       drs_parse_count                 (const char   *text,
                                              gint64        max);
double       drs_parse_decimal               (const char   *text,
                                              double        max);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DrsSnapshot, drs_snapshot_free)

/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "drs-sim-scenario.h"

G_BEGIN_DECLS

/*
 * What the files of DrsSimScenario share: drs-sim-scenario-file.c reads a scenario file into
 * these jobs and phases, drs-sim-scenario.c moves them along the simulated clock and answers
 * for them.
 */

/* The longest a job's phases may last together, and the largest delay: every time converts to
 * gint64 milliseconds without overflow. Found by tests/fuzz/fuzz-scenario ("start": 1e300). */
#define DRS_SIM_MAX_TIMELINE_MS G_GINT64_CONSTANT (10000000000000000)

/* The parts of progress_map. */
enum
{
  DRS_SIM_PART_STRUCT,
  DRS_SIM_PART_DATA,
  DRS_SIM_PART_INDEX,
  DRS_SIM_N_PARTS
};

typedef struct
{
  gint64 at_ms;
  gint64 duration_ms;
  gint64 peak_ms;
} DrsSimSpike;

typedef struct
{
  char        *status;
  DrsJobStatus status_enum;
  gint64       start_ms;    /* relative to the job's start */
  gint64       duration_ms; /* -1: forever */
  double       progress_from, progress_to;
  gboolean     parts_derived;
  gboolean     parts_known;
  double       parts_from[DRS_SIM_N_PARTS], parts_to[DRS_SIM_N_PARTS];
  gint64       remaining_s; /* -1: computed */
  gboolean     has_delay;
  gint64       base_ms, jitter_ms, initial_ms, settle_ms;
  gint64       spike_every_ms, spike_duration_ms, spike_ms;
  GArray      *spikes; /* of DrsSimSpike */
  char        *error_code, *error_msg, *error_msg_zh;
  gboolean     missing;
  JsonObject  *raw;
} DrsSimPhase;

typedef struct
{
  char       *id;
  char       *name;
  char       *task_mode;
  char       *engine_type;
  DrsScenario scenario;
  gint64      start_ms;
  gboolean    progress_map;
  gboolean    delay_millis;
  guint       first_running; /* index of the first running phase, or G_MAXUINT */
  GArray     *phases;        /* of DrsSimPhase */
} DrsSimJob;

struct _DrsSimScenario
{
  char       *project_id;
  GPtrArray  *jobs;  /* of DrsSimJob */
  GHashTable *by_id; /* id → index + 1 */
};

/* clang-format off */
const char *_drs_sim_part_name   (guint  part);
double      _drs_sim_part_derive (guint  part,
                                  double progress);
/* clang-format on */

G_END_DECLS

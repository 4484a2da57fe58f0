/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "drs-sim-actions.h"
#include "drs-sim-scenario.h"
#include "drs-simulator.h"

G_BEGIN_DECLS

/*
 * What the files of DrsSimulator share: drs-simulator.c (the object, its clocks and settings),
 * drs-sim-server.c (listening, routing, answers), drs-sim-iam.c (IAM and authentication),
 * drs-sim-jobs.c (the DRS endpoints), drs-sim-faults.c (fault injection) and drs-sim-control.c
 * (the `/_sim/` endpoints).
 */

typedef enum
{
  DRS_SIM_ENDPOINT_BATCH_PROGRESS,
  DRS_SIM_ENDPOINT_JOBS,
  DRS_SIM_ENDPOINT_PAUSE,
  DRS_SIM_ENDPOINT_RETRY,
  DRS_SIM_ENDPOINT_TOKENS,
  DRS_SIM_ENDPOINT_PROJECTS,
  DRS_SIM_ENDPOINT_SIM,
  DRS_SIM_ENDPOINT_OTHER,
  DRS_SIM_N_ENDPOINTS
} DrsSimEndpoint;

typedef struct _DrsSimDelivery DrsSimDelivery;

struct _DrsSimulator
{
  GObject parent_instance;

  /* owned */
  SoupServer     *server;
  DrsSimScenario *scenario;
  DrsSimActions  *actions;
  char           *base_url;
  char           *project_id;
  char           *region;
  GHashTable     *fixed_tokens;  /* set of token */
  GHashTable     *issued_tokens; /* token → gint64 * expiry (wall ms) */
  GHashTable     *access_keys;   /* AK → SK */
  GRand          *rand;
  GQueue          rate_window; /* wall ms of accepted DRS requests, as gint64 in pointers */
  GList          *deliveries;  /* of DrsSimDelivery, in flight */
  DrsSimFaults    faults;
  char           *last_language;

  guint64  seed;
  double   speed;
  gboolean manual;
  double   frozen_elapsed_ms; /* elapsed at mono_mark_us */
  gint64   mono_mark_us;
  gint64   wall_offset_ms; /* automatic clock: real time + this */
  gint64   wall_frozen_ms; /* manual clock */
  guint    success_status;
  guint    port;
  guint    counts[DRS_SIM_N_ENDPOINTS];
  guint    connections;
  guint64  serial;
};

/* clang-format off */
/* drs-simulator.c */
void         _drs_simulator_get_clock           (DrsSimulator       *self,
                                                 DrsSimClock        *clock);

/* drs-sim-server.c */
const char  *_drs_sim_endpoint_name             (DrsSimEndpoint      endpoint);
void         _drs_sim_set_json_response         (SoupServerMessage  *msg,
                                                 guint               status,
                                                 JsonNode           *root);
void         _drs_sim_set_error_response        (SoupServerMessage  *msg,
                                                 guint               status,
                                                 const char         *code,
                                                 gboolean            chinese,
                                                 const char         *detail);
JsonNode    *_drs_sim_parse_body                (SoupServerMessage  *msg);
JsonNode    *_drs_sim_parse_request             (SoupServerMessage  *msg,
                                                 gboolean            chinese);

/* drs-sim-iam.c */
gboolean     _drs_simulator_authenticate        (DrsSimulator       *self,
                                                 SoupServerMessage  *msg,
                                                 gboolean            chinese);
void         _drs_simulator_handle_tokens       (DrsSimulator       *self,
                                                 SoupServerMessage  *msg);
void         _drs_simulator_handle_projects     (DrsSimulator       *self,
                                                 SoupServerMessage  *msg,
                                                 GHashTable         *query);

/* drs-sim-jobs.c */
void         _drs_simulator_handle_drs          (DrsSimulator       *self,
                                                 SoupServerMessage  *msg,
                                                 DrsSimEndpoint      endpoint,
                                                 const char         *project_id,
                                                 gboolean            chinese);

/* drs-sim-faults.c */
gboolean     _drs_simulator_apply_input_faults  (DrsSimulator       *self,
                                                 SoupServerMessage  *msg,
                                                 gboolean            chinese);
void         _drs_simulator_apply_output_faults (DrsSimulator       *self,
                                                 SoupServerMessage  *msg,
                                                 gboolean            drs_endpoint);
void         _drs_sim_delivery_free             (DrsSimDelivery     *delivery);
JsonNode    *_drs_sim_faults_to_json            (const DrsSimFaults *faults);
gboolean     _drs_sim_faults_from_json          (JsonNode           *root,
                                                 DrsSimFaults       *faults);

/* drs-sim-control.c */
void         _drs_simulator_handle_control      (DrsSimulator       *self,
                                                 SoupServerMessage  *msg,
                                                 const char         *path);
/* clang-format on */

G_END_DECLS

/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "drs-job.h"

G_BEGIN_DECLS

#define DRS_TYPE_JOB_STORE (drs_job_store_get_type ())

G_DECLARE_FINAL_TYPE (DrsJobStore, drs_job_store, DRS, JOB_STORE, GObject)

/* clang-format off */
DrsJobStore *drs_job_store_new         (void);
DrsJob      *drs_job_store_lookup      (DrsJobStore       *self,
                                        const char        *id);
gboolean     drs_job_store_find        (DrsJobStore       *self,
                                        const char        *id,
                                        guint             *position);
DrsJob      *drs_job_store_add         (DrsJobStore       *self,
                                        const char        *id,
                                        const char        *name);
guint        drs_job_store_add_many    (DrsJobStore       *self,
                                        const char *const *ids);
gboolean     drs_job_store_remove      (DrsJobStore       *self,
                                        const char        *id);
guint        drs_job_store_remove_many (DrsJobStore       *self,
                                        const char *const *ids);
void         drs_job_store_remove_all  (DrsJobStore       *self);
guint        drs_job_store_apply       (DrsJobStore       *self,
                                        GPtrArray         *snapshots,
                                        gint64             now_us);
GHashTable  *drs_job_store_get_index   (DrsJobStore       *self);
guint        drs_job_store_get_n_jobs  (DrsJobStore       *self);
/* clang-format on */

G_END_DECLS

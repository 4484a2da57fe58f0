/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helper for the crash-safety test: writes one sample at a time to a history database and
 * prints the index of each sample once it is committed, until it is killed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "drs-history.h"

int
main (int argc, char *argv[])
{
  g_autoptr (DrsHistory) history = NULL;
  g_autoptr (GError) error = NULL;

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s DATABASE JOB-ID\n", argv[0]);
      return 2;
    }

  history = drs_history_open (argv[1], &error);
  if (history == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }

  for (guint64 i = 0;; i++)
    {
      DrsSample sample = { 0 };

      sample.time_us = (gint64) 1700000000 * G_USEC_PER_SEC + (gint64) i * G_USEC_PER_SEC;
      sample.progress = (double) (i % 100);
      sample.delay_ms = (gint64) i;
      sample.status = DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
      for (guint p = 0; p < 3; p++)
        sample.phases[p] = 50;
      drs_history_record_sample (history, argv[2], &sample);
      drs_history_flush (history);
      printf ("%" G_GUINT64_FORMAT "\n", i);
      fflush (stdout);
    }
  return 0;
}

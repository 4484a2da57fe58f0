/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include "drs-application.h"
#include "drs-i18n.h"

int
main (int argc, char *argv[])
{
  g_autoptr (DrsApplication) app = NULL;

  drs_i18n_init ();
  app = drs_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-monitor"

#include "config.h"

#include "drs-application.h"
#include "drs-handover.h"
#include "drs-i18n.h"
#include "drs-renderer.h"

int
main (int argc, char *argv[])
{
  g_autoptr (DrsApplication) app = NULL;
  const char *const restart[] = { argv[0], "--background", NULL };

  drs_handover_prepare_hidden (argc, argv);
  drs_renderer_prepare ("/dev/dri");
  drs_i18n_init ();
  app = drs_application_new ();
  drs_application_set_restart (app, restart);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

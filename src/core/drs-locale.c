/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-locale"

#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "drs-locale.h"

/**
 * drs_locale_init:
 * @localedir: (nullable): where the catalogs are, %NULL for the installed ones
 *
 * Sets the locale from the environment; a `C` or missing locale falls back to C.UTF-8, so text
 * is UTF-8 whatever the environment says.
 */
void
drs_locale_init (const char *localedir)
{
  const char *loc = setlocale (LC_ALL, "");

  if (loc == NULL || g_str_equal (loc, "C") || g_str_equal (loc, "POSIX"))
    {
      if (setlocale (LC_ALL, "C.UTF-8") == NULL)
        setlocale (LC_ALL, "C");
    }

  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/**
 * drs_locale_use_language:
 * @language: "zh-CN" or "en-US"
 *
 * Makes gettext read @language's catalog from now on. gettext reads `LANGUAGE` only when the
 * messages locale is not `C` (and newer C libraries count C.UTF-8 as `C` too), so the messages
 * locale becomes the language's own UTF-8 locale when the machine has it, else any UTF-8 locale
 * it has.
 */
void
drs_locale_use_language (const char *language)
{
  static const char *const zh[] = { "zh_CN.UTF-8", "zh_CN.utf8", "en_US.UTF-8",
                                    "en_US.utf8",  "C.UTF-8",    NULL };
  static const char *const en[] = { "en_US.UTF-8", "en_US.utf8", "C.UTF-8", NULL };
  gboolean                 chinese = g_strcmp0 (language, "zh-CN") == 0;
  const char *const       *candidates = chinese ? zh : en;

  g_setenv ("LANGUAGE", chinese ? "zh_CN" : "en_US", TRUE);
  for (guint i = 0; candidates[i] != NULL; i++)
    if (setlocale (LC_MESSAGES, candidates[i]) != NULL)
      break;
  /* Tells gettext to drop what it cached for the previous language. */
  textdomain (GETTEXT_PACKAGE);
}

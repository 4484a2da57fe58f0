/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-i18n"

#include "config.h"

#include <locale.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "drs-i18n.h"
#include "drs-locale.h"

/* The language in force: "en-US" or "zh-CN". The UI and X-Language always follow it. */
static const char *current = "en-US";
/* What "Follow system" means, read from the environment before we change LANGUAGE. */
static const char *system_language;

static const char *
locale_dir (void)
{
  const char *dir = g_getenv ("DRS_MONITOR_LOCALEDIR");

  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

/**
 * drs_i18n_init:
 *
 * Sets up gettext for the environment's language (see drs_locale_init()).
 */
void
drs_i18n_init (void)
{
  drs_locale_init (locale_dir ());

  system_language = NULL;
  system_language = drs_i18n_resolve ("system");
  /* Before GTK or anything else translates: see drs_i18n_apply(). */
  drs_i18n_apply ("system");
}

/**
 * drs_i18n_resolve:
 * @choice: (nullable): "system", "en-US" or "zh-CN"
 *
 * Following the system maps any Chinese locale to zh-CN and anything else to en-US.
 *
 * Returns: "en-US" or "zh-CN"
 */
const char *
drs_i18n_resolve (const char *choice)
{
  const char *const *names;

  if (g_strcmp0 (choice, "zh-CN") == 0)
    return "zh-CN";
  if (g_strcmp0 (choice, "en-US") == 0)
    return "en-US";
  if (system_language != NULL)
    return system_language;

  names = g_get_language_names ();
  if (names != NULL && names[0] != NULL && g_str_has_prefix (names[0], "zh"))
    return "zh-CN";
  return "en-US";
}

/**
 * drs_i18n_apply:
 * @choice: "system", "en-US" or "zh-CN"
 *
 * Switches gettext to the chosen language for everything translated from now on.
 *
 * Returns: %TRUE if the language in force changed
 */
gboolean
drs_i18n_apply (const char *choice)
{
  const char *language = drs_i18n_resolve (choice);
  gboolean    changed = !g_str_equal (language, current);

  current = language;
  drs_locale_use_language (language);
  /* GLib decides once, at the first g_dgettext(), whether to translate at all: make that first
   * call now, in a locale where the answer is yes. */
  (void) g_dgettext (GETTEXT_PACKAGE, "");

  return changed;
}

const char *
drs_i18n_get_language (void)
{
  return current;
}

/**
 * drs_i18n_get_x_language:
 *
 * Returns: the `X-Language` header value for the language in force
 */
const char *
drs_i18n_get_x_language (void)
{
  return g_str_equal (current, "zh-CN") ? "zh-cn" : "en-us";
}

/* The language row of the preferences ------------------------------------------------------ */

static const char *const choices[] = { "system", "en-US", "zh-CN" };

static gboolean
choice_to_selected (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *choice = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    if (g_str_equal (choice, choices[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
selected_to_choice (const GValue *value, const GVariantType *type, gpointer user_data)
{
  guint selected = g_value_get_uint (value);

  return g_variant_new_string (choices[selected < G_N_ELEMENTS (choices) ? selected : 0]);
}

/**
 * drs_i18n_language_row_new:
 * @settings: the application's settings (the `language` key)
 *
 * Returns: (transfer floating): a row offering Follow system, English and 简体中文, each language
 *   named in itself
 */
GtkWidget *
drs_i18n_language_row_new (GSettings *settings)
{
  GtkWidget *row = adw_combo_row_new ();
  /* Each language is named in itself, whatever the UI language. */
  const char *const names[] = { _ ("Follow system"), "English", "简体中文", NULL };
  GtkStringList    *model = gtk_string_list_new (names);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Language"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _ ("Of the window and of the messages from DRS"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  g_object_unref (model);
  /* Both ways: the row is the only writer of the setting. Its window unbinds it when it goes,
   * so a closed or rebuilt window's row writes nothing. */
  g_settings_bind_with_mapping (settings, "language", row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_to_selected, selected_to_choice, NULL, NULL);
  return row;
}

/**
 * drs_i18n_language_row_unbind:
 *
 * Stops the row from reading or writing the setting.
 */
void
drs_i18n_language_row_unbind (GtkWidget *row)
{
  g_settings_unbind (row, "selected");
}

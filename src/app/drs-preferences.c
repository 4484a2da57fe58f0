/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-account-editor.h"
#include "drs-accounts.h"
#include "drs-autostart.h"
#include "drs-duration-row.h"
#include "drs-i18n.h"
#include "drs-preferences.h"

/**
 * DrsPreferences:
 *
 * Accounts (listed here, added and edited in a DrsAccountEditor shown as a subpage) and the
 * monitoring settings, bound to GSettings.
 */
struct _DrsPreferences
{
  AdwPreferencesWindow parent_instance;

  /* template widgets */
  AdwPreferencesGroup *general_group;
  GtkWidget           *language_row; /* bound to the language setting while this window lives */
  GtkListBox          *accounts_list;
  GtkWidget           *placeholder; /* "No accounts yet", the list's while it is empty */
  DrsDurationRow      *refresh_row;
  DrsDurationRow      *finished_row;
  GtkAdjustment       *budget_adjustment;
  DrsDurationRow      *threshold_row;
  GtkAdjustment       *samples_adjustment;
  GtkAdjustment       *power_saver_adjustment;
  DrsDurationRow      *grace_row;
  GtkAdjustment       *retention_adjustment;
  GtkSwitch           *notify_failed_switch;
  GtkSwitch           *allow_actions_switch;
  GtkSwitch           *notify_finished_switch;
  GtkSwitch           *notify_recovered_switch;
  GtkSwitch           *notify_delay_switch;
  GtkSwitch           *background_switch;
  GtkSwitch           *login_switch;
  AdwActionRow        *login_row;

  /* borrowed */
  DrsSession       *session;
  DrsAccounts      *accounts;
  DrsAccountEditor *editor; /* while it is shown: its subpage holds it */
};

G_DEFINE_FINAL_TYPE (DrsPreferences, drs_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Account list -------------------------------------------------------------------------------- */

static char *
describe_account (const DrsAccount *account)
{
  const char *where = *account->region ? account->region : account->endpoint;
  const char *how;

  switch (account->auth)
    {
      case DRS_CREDENTIALS_TOKEN:
        how = _ ("token");
        break;
      case DRS_CREDENTIALS_AKSK:
        how = account->access_key;
        break;
      case DRS_CREDENTIALS_PASSWORD:
      default:
        how = account->user;
        break;
    }
  /* Translators: an account's region (or endpoint) and who signs in, e.g. "cn-north-4 · alice" */
  return g_strdup_printf (_ ("%s · %s"), where, how);
}

static void
rebuild_list (DrsPreferences *self)
{
  GtkListBoxRow *child;

  /* Rows only: the placeholder ("No accounts yet") is a child too, and must stay. */
  while ((child = gtk_list_box_get_row_at_index (self->accounts_list, 0)) != NULL)
    gtk_list_box_remove (self->accounts_list, GTK_WIDGET (child));

  for (guint i = 0; self->accounts && i < drs_accounts_get_n_accounts (self->accounts); i++)
    {
      const DrsAccount *account = drs_accounts_get (self->accounts, i);
      g_autofree char  *subtitle = describe_account (account);
      GtkWidget        *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), account->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "drs-account", g_strdup (account->name), g_free);
      gtk_list_box_append (self->accounts_list, row);
    }
}

guint
drs_preferences_get_n_accounts (DrsPreferences *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (g_object_get_data (G_OBJECT (child), "drs-account") != NULL)
      n++;
  return n;
}

/* Editor ------------------------------------------------------------------------------------- */

static void
on_editor_destroyed (DrsAccountEditor *editor, DrsPreferences *self)
{
  /* Not a newer editor's: a closed one goes at the end of its transition. */
  if (editor == self->editor)
    self->editor = NULL;
}

/* Shows @editor as the subpage; a new account's form starts at its name. */
static void
show_editor (DrsPreferences *self, DrsAccountEditor *editor)
{
  self->editor = editor;
  g_signal_connect_object (self->editor, "destroy", G_CALLBACK (on_editor_destroyed), self, 0);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), GTK_WIDGET (self->editor));
  if (drs_account_editor_get_account (self->editor) == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->editor));
}

/**
 * drs_preferences_edit_account:
 * @name: (nullable): the account to edit, %NULL for a new one
 *
 * Shows the account editor, what clicking an account or "Add" does.
 */
void
drs_preferences_edit_account (DrsPreferences *self, const char *name)
{
  g_return_if_fail (DRS_IS_PREFERENCES (self));

  if (self->editor != NULL)
    drs_account_editor_close (self->editor);
  show_editor (self, drs_account_editor_new (self->session, name));
}

gboolean
drs_preferences_get_editing (DrsPreferences *self)
{
  g_return_val_if_fail (DRS_IS_PREFERENCES (self), FALSE);
  return self->editor != NULL;
}

/* What the editor does, for tests and scripting: see DrsAccountEditor. */

void
drs_preferences_look_up_project (DrsPreferences *self)
{
  g_return_if_fail (DRS_IS_PREFERENCES (self));
  g_return_if_fail (self->editor != NULL);
  drs_account_editor_look_up_project (self->editor);
}

void
drs_preferences_test_connection (DrsPreferences *self)
{
  g_return_if_fail (DRS_IS_PREFERENCES (self));
  g_return_if_fail (self->editor != NULL);
  drs_account_editor_test_connection (self->editor);
}

void
drs_preferences_save (DrsPreferences *self)
{
  g_return_if_fail (DRS_IS_PREFERENCES (self));
  g_return_if_fail (self->editor != NULL);
  drs_account_editor_save (self->editor);
}

/**
 * drs_preferences_remove_account:
 *
 * Asks whether to remove the edited account (what "Remove Account…" does).
 *
 * Returns: (transfer none): the question, on screen
 */
AdwMessageDialog *
drs_preferences_remove_account (DrsPreferences *self)
{
  g_return_val_if_fail (DRS_IS_PREFERENCES (self), NULL);
  g_return_val_if_fail (self->editor != NULL, NULL);
  return drs_account_editor_remove_account (self->editor);
}

/**
 * drs_preferences_set_field:
 *
 * Fills in the editor as a user would (see drs_account_editor_set_field()).
 */
void
drs_preferences_set_field (DrsPreferences *self, const char *field, const char *value)
{
  g_return_if_fail (DRS_IS_PREFERENCES (self));
  g_return_if_fail (self->editor != NULL);
  drs_account_editor_set_field (self->editor, field, value);
}

/**
 * drs_preferences_get_field:
 *
 * Returns: (nullable): what the editor shows for @field, %NULL without an editor
 */
const char *
drs_preferences_get_field (DrsPreferences *self, const char *field)
{
  g_return_val_if_fail (DRS_IS_PREFERENCES (self), NULL);
  return self->editor ? drs_account_editor_get_field (self->editor, field) : NULL;
}

gboolean
drs_preferences_get_busy (DrsPreferences *self)
{
  g_return_val_if_fail (DRS_IS_PREFERENCES (self), FALSE);
  return self->editor != NULL && drs_account_editor_get_busy (self->editor);
}

/**
 * drs_preferences_get_status:
 * @success: (out) (optional): whether it reports a success
 *
 * Returns: (nullable): what the editor last reported: a test's result, a look-up, a problem
 */
const char *
drs_preferences_get_status (DrsPreferences *self, gboolean *success)
{
  g_return_val_if_fail (DRS_IS_PREFERENCES (self), NULL);
  if (self->editor != NULL)
    return drs_account_editor_get_status (self->editor, success);
  if (success != NULL)
    *success = FALSE;
  return NULL;
}

/**
 * drs_preferences_get_secrets_note:
 *
 * Returns: (nullable): what the account editor says about where secrets go; %NULL before that is
 *   known or without an editor
 */
const char *
drs_preferences_get_secrets_note (DrsPreferences *self)
{
  g_return_val_if_fail (DRS_IS_PREFERENCES (self), NULL);
  return self->editor ? drs_account_editor_get_secrets_note (self->editor) : NULL;
}

/**
 * drs_preferences_get_general_group:
 *
 * Returns: (transfer none): the first group of the Monitoring page, for general settings such as
 *   the language
 */
AdwPreferencesGroup *
drs_preferences_get_general_group (DrsPreferences *self)
{
  g_return_val_if_fail (DRS_IS_PREFERENCES (self), NULL);
  return self->general_group;
}

/* Life cycle ---------------------------------------------------------------------------------- */

static void
on_add_account_clicked (DrsPreferences *self)
{
  drs_preferences_edit_account (self, NULL);
}

static void
on_account_activated (DrsPreferences *self, GtkListBoxRow *row)
{
  const char *name = g_object_get_data (G_OBJECT (row), "drs-account");

  if (name != NULL)
    drs_preferences_edit_account (self, name);
}

static void
bind_settings (DrsPreferences *self)
{
  GSettings *settings = drs_session_get_settings (self->session);
  const struct
  {
    const char *key;
    gpointer    object;
    const char *property;
  } bindings[] = {
    { "refresh-interval", self->refresh_row, "seconds" },
    { "finished-interval", self->finished_row, "seconds" },
    { "power-saver-factor", self->power_saver_adjustment, "value" },
    { "request-budget", self->budget_adjustment, "value" },
    { "delay-threshold", self->threshold_row, "seconds" },
    { "delay-samples", self->samples_adjustment, "value" },
    { "delay-grace", self->grace_row, "seconds" },
    { "history-retention-days", self->retention_adjustment, "value" },
    { "notify-failed", self->notify_failed_switch, "active" },
    { "allow-actions", self->allow_actions_switch, "active" },
    { "notify-finished", self->notify_finished_switch, "active" },
    { "notify-recovered", self->notify_recovered_switch, "active" },
    { "notify-delay", self->notify_delay_switch, "active" },
    { "run-in-background", self->background_switch, "active" },
    { "start-at-login", self->login_switch, "active" },
  };

  if (settings == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    g_settings_bind (settings, bindings[i].key, bindings[i].object, bindings[i].property,
                     G_SETTINGS_BIND_DEFAULT);
}

static void
drs_preferences_dispose (GObject *object)
{
  DrsPreferences *self = DRS_PREFERENCES (object);

  if (self->language_row != NULL)
    drs_i18n_language_row_unbind (self->language_row);
  self->language_row = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), DRS_TYPE_PREFERENCES);

  G_OBJECT_CLASS (drs_preferences_parent_class)->dispose (object);
}

static void
drs_preferences_finalize (GObject *object)
{
  DrsPreferences *self = DRS_PREFERENCES (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (drs_preferences_parent_class)->finalize (object);
}

static void drs_preferences_constructed (GObject *object);
static void
drs_preferences_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static void drs_preferences_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec);

static void
drs_preferences_class_init (DrsPreferencesClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = drs_preferences_constructed;
  object_class->get_property = drs_preferences_get_property;
  object_class->set_property = drs_preferences_set_property;
  object_class->dispose = drs_preferences_dispose;
  object_class->finalize = drs_preferences_finalize;

  g_type_ensure (DRS_TYPE_DURATION_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "drs-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, general_group);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, refresh_row);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, finished_row);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, budget_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, threshold_row);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, samples_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, power_saver_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, grace_row);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, retention_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, notify_failed_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, allow_actions_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, notify_finished_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, notify_recovered_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, notify_delay_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, background_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, login_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, login_row);
  gtk_widget_class_bind_template_callback (widget_class, on_add_account_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_account_activated);

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, DRS_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_preferences_init (DrsPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->placeholder = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->placeholder), _ ("No accounts yet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->placeholder),
                               _ ("Add your Huawei Cloud account to watch its DRS tasks."));
  gtk_list_box_set_placeholder (self->accounts_list, self->placeholder);
}

/* How, or why not, DRS Monitor starts at login: the application's to say. */
static void
on_application_set (DrsPreferences *self)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  DrsAutostart   *autostart = application ? drs_autostart_get_for_application (application) : NULL;

  if (autostart != NULL)
    g_object_bind_property (autostart, "note", self->login_row, "subtitle", G_BINDING_SYNC_CREATE);
}

static void
drs_preferences_constructed (GObject *object)
{
  DrsPreferences *self = DRS_PREFERENCES (object);
  GSettings      *settings;

  G_OBJECT_CLASS (drs_preferences_parent_class)->constructed (object);
  g_assert (DRS_IS_SESSION (self->session));
  settings = drs_session_get_settings (self->session);
  self->accounts = drs_session_get_accounts (self->session);
  if (self->accounts != NULL)
    g_signal_connect_object (self->accounts, "changed", G_CALLBACK (rebuild_list), self,
                             G_CONNECT_SWAPPED);
  rebuild_list (self);
  bind_settings (self);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_set), NULL);
  if (settings != NULL)
    {
      self->language_row = drs_i18n_language_row_new (settings);
      adw_preferences_group_add (self->general_group, self->language_row);
    }
}

static void
drs_preferences_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsPreferences *self = DRS_PREFERENCES (object);

  if (prop_id == PROP_SESSION)
    g_value_set_object (value, self->session);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
drs_preferences_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DrsPreferences *self = DRS_PREFERENCES (object);

  if (prop_id == PROP_SESSION)
    self->session = g_value_dup_object (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/**
 * drs_preferences_new:
 * @session: the session whose accounts and settings are edited
 *
 * Returns: (transfer full): the preferences window
 */
DrsPreferences *
drs_preferences_new (DrsSession *session)
{
  return g_object_new (DRS_TYPE_PREFERENCES, "session", session, NULL);
}
/**
 * drs_preferences_rebuild:
 * @old: preferences shown in the language before a switch
 *
 * Builds the preferences again from their template, in the language now in force, on the page
 * @old shows, with the account form if one is open and what is typed in it (see
 * drs_account_editor_rebuild()). The language row of the new window reads the setting and
 * writes it only when the user chooses.
 *
 * Returns: (transfer full): the new preferences; @old is left for the caller to close
 */
DrsPreferences *
drs_preferences_rebuild (DrsPreferences *old)
{
  DrsPreferences   *self;
  DrsAccountEditor *editor;

  g_return_val_if_fail (DRS_IS_PREFERENCES (old), NULL);

  self = drs_preferences_new (old->session);
  adw_preferences_window_set_visible_page_name (
      ADW_PREFERENCES_WINDOW (self),
      adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (old)));
  editor = old->editor ? drs_account_editor_rebuild (old->editor) : NULL;
  if (editor != NULL)
    show_editor (self, editor);
  return self;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-accounts.h"
#include "drs-duration-row.h"
#include "drs-endpoint.h"
#include "drs-i18n.h"
#include "drs-preferences.h"
#include "drs-retranslate.h"

/**
 * DrsPreferences:
 *
 * Accounts (add, edit, test, remove; secrets through the keyring) and the monitoring settings,
 * bound to GSettings.
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
  DrsDurationRow      *grace_row;
  GtkAdjustment       *retention_adjustment;
  GtkSwitch           *notify_failed_switch;
  GtkSwitch           *allow_actions_switch;
  GtkSwitch           *notify_finished_switch;
  GtkSwitch           *notify_recovered_switch;
  GtkSwitch           *notify_delay_switch;

  /* the account editor, a subpage built while it is shown */
  GtkWidget    *editor;
  GtkWidget    *editor_title;
  GtkWidget    *save_button;
  GtkWidget    *name_row;
  GtkWidget    *region_row;
  GtkWidget    *sign_in_group;
  GtkWidget    *endpoint_row;
  GtkWidget    *iam_row;
  GtkWidget    *auth_row;
  GtkWidget    *domain_row;
  GtkWidget    *user_row;
  GtkWidget    *password_row;
  GtkWidget    *access_key_row;
  GtkWidget    *sk_row;
  GtkWidget    *token_row;
  GtkWidget    *project_row;
  GtkWidget    *lookup_button;
  GtkWidget    *test_button;
  GtkWidget    *status_row;
  GtkWidget    *status_icon;
  GtkWidget    *spinner;
  char         *editing;       /* the account's name, NULL for a new one */
  char         *status;        /* what the last action reported */
  gboolean      secrets_known; /* the Secret Service was asked whether it is there */
  gboolean      status_ok;
  guint         busy;
  GCancellable *cancellable;

  /* borrowed */
  DrsSession  *session;
  DrsAccounts *accounts;
};

G_DEFINE_FINAL_TYPE (DrsPreferences, drs_preferences, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static DrsRetranslator *preferences_strings;

/* The choices of the method row, in order. */
static const DrsCredentialsKind auth_choices[] = { DRS_CREDENTIALS_PASSWORD, DRS_CREDENTIALS_AKSK,
                                                   DRS_CREDENTIALS_TOKEN };

static void
set_status (DrsPreferences *self, const char *text, gboolean ok)
{
  g_free (self->status);
  self->status = g_strdup (text);
  self->status_ok = ok;
  if (self->status_row == NULL)
    return;
  gtk_widget_set_visible (self->status_row, text != NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), text ? text : "");
  gtk_image_set_from_icon_name (GTK_IMAGE (self->status_icon),
                                ok ? "object-select-symbolic" : "dialog-error-symbolic");
  if (ok)
    {
      gtk_widget_remove_css_class (self->status_row, "error");
      gtk_widget_add_css_class (self->status_row, "success");
    }
  else
    {
      gtk_widget_remove_css_class (self->status_row, "success");
      gtk_widget_add_css_class (self->status_row, "error");
    }
}

static void
set_busy (DrsPreferences *self, gboolean busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  if (self->spinner == NULL)
    return;
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), self->busy > 0);
  gtk_widget_set_visible (self->spinner, self->busy > 0);
  gtk_widget_set_sensitive (self->test_button, self->busy == 0);
  gtk_widget_set_sensitive (self->lookup_button, self->busy == 0);
  gtk_widget_set_sensitive (self->save_button, self->busy == 0);
}

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

static guint
n_regions (void)
{
  return g_strv_length ((char **) drs_endpoint_list_regions ());
}

static gboolean
is_custom (DrsPreferences *self)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (self->region_row)) >= n_regions ();
}

static DrsCredentialsKind
chosen_auth (DrsPreferences *self)
{
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->auth_row));

  return auth_choices[MIN (i, G_N_ELEMENTS (auth_choices) - 1)];
}

static void
update_visibility (DrsPreferences *self)
{
  gboolean           custom = is_custom (self);
  DrsCredentialsKind auth = chosen_auth (self);

  gtk_widget_set_visible (self->endpoint_row, custom);
  gtk_widget_set_visible (self->iam_row, custom);
  gtk_widget_set_visible (self->domain_row, auth == DRS_CREDENTIALS_PASSWORD);
  gtk_widget_set_visible (self->user_row, auth == DRS_CREDENTIALS_PASSWORD);
  gtk_widget_set_visible (self->password_row, auth == DRS_CREDENTIALS_PASSWORD);
  gtk_widget_set_visible (self->access_key_row, auth == DRS_CREDENTIALS_AKSK);
  gtk_widget_set_visible (self->sk_row, auth == DRS_CREDENTIALS_AKSK);
  gtk_widget_set_visible (self->token_row, auth == DRS_CREDENTIALS_TOKEN);
}

static const char *
text_of (GtkWidget *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static GtkWidget *
secret_row (DrsPreferences *self)
{
  switch (chosen_auth (self))
    {
      case DRS_CREDENTIALS_TOKEN:
        return self->token_row;
      case DRS_CREDENTIALS_AKSK:
        return self->sk_row;
      case DRS_CREDENTIALS_PASSWORD:
      default:
        return self->password_row;
    }
}

/* What the editor says, as an account (without the secret). */
static DrsAccount *
read_editor (DrsPreferences *self)
{
  DrsAccount *account = drs_account_new (text_of (self->name_row));

  if (is_custom (self))
    {
      drs_account_set (&account->endpoint, text_of (self->endpoint_row));
      drs_account_set (&account->iam_endpoint, text_of (self->iam_row));
    }
  else
    drs_account_set (&account->region, drs_endpoint_list_regions ()[adw_combo_row_get_selected (
                                           ADW_COMBO_ROW (self->region_row))]);
  drs_account_set (&account->project_id, text_of (self->project_row));
  account->auth = chosen_auth (self);
  if (account->auth == DRS_CREDENTIALS_PASSWORD)
    {
      drs_account_set (&account->domain, text_of (self->domain_row));
      drs_account_set (&account->user, text_of (self->user_row));
    }
  if (account->auth == DRS_CREDENTIALS_AKSK)
    drs_account_set (&account->access_key, text_of (self->access_key_row));
  return account;
}

static void
on_editor_changed (DrsPreferences *self)
{
  update_visibility (self);
}

static GtkWidget *
entry_row (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static GtkWidget *
password_row (const char *title)
{
  GtkWidget *row = adw_password_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  return row;
}

static void
on_back_clicked (DrsPreferences *self)
{
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static void on_save_clicked (DrsPreferences *self);
static void on_lookup_clicked (DrsPreferences *self);
static void on_test_clicked (DrsPreferences *self);
static void on_remove_clicked (DrsPreferences *self);

static void
on_secret_filled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsPreferences) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *secret = drs_secrets_lookup_finish (DRS_SECRETS (source), result, &error);

  set_busy (self, FALSE);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->editor == NULL)
    return;
  if (error != NULL)
    set_status (self, error->message, FALSE);
  else if (secret != NULL)
    gtk_editable_set_text (GTK_EDITABLE (secret_row (self)), secret);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

/* Where the secret of the account being edited will go: what DrsSecrets found out. */
static void
update_secrets_note (DrsPreferences *self)
{
  DrsSecrets *secrets = drs_session_get_secrets (self->session);
  const char *note = NULL;

  if (self->sign_in_group == NULL)
    return;
  if (!drs_secrets_get_persistent (secrets))
    note = _ ("No keyring is available: the password, secret key or token is kept in memory for "
              "this session only and must be entered again after DRS Monitor restarts.");
  else if (self->secrets_known)
    note = _ ("The password, secret key or token is stored in the keyring.");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->sign_in_group), note);
}

/* Holds no reference: a window closed meanwhile is gone, and says nothing. */
static void
on_secrets_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr (DrsPreferences) self = g_weak_ref_get (weak);
  g_autoptr (GError) error = NULL;

  g_weak_ref_clear (weak);
  g_free (weak);
  drs_secrets_check_finish (DRS_SECRETS (source), result, &error);
  if (self == NULL)
    return;
  if (error != NULL)
    g_debug ("Could not ask the Secret Service: %s", error->message);
  self->secrets_known = TRUE;
  update_secrets_note (self);
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
  const char *note;

  g_return_val_if_fail (DRS_IS_PREFERENCES (self), NULL);

  if (self->sign_in_group == NULL)
    return NULL;
  note = adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (self->sign_in_group));
  return note != NULL && *note != '\0' ? note : NULL;
}

static GtkWidget *
build_editor (DrsPreferences *self, const DrsAccount *account)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group;
  g_autoptr (GtkStringList) regions = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) methods = gtk_string_list_new (NULL);
  GtkWidget *remove;

  self->editor_title =
      adw_window_title_new (account ? _ ("Edit Account") : _ ("New Account"), NULL);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), self->editor_title);
  gtk_widget_set_tooltip_text (back, _ ("Back"));
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (on_back_clicked), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  self->save_button = gtk_button_new_with_mnemonic (_ ("_Save"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  g_signal_connect_swapped (self->save_button, "clicked", G_CALLBACK (on_save_clicked), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);

  /* Where */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Account"));
  self->name_row = entry_row (_ ("Name"));
  gtk_widget_set_sensitive (self->name_row, account == NULL);
  if (account != NULL)
    gtk_widget_set_tooltip_text (self->name_row,
                                 _ ("The name keeps the account's tasks and keyring items "
                                    "together: remove the account and add it again to rename it."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->name_row);
  for (const char *const *region = drs_endpoint_list_regions (); *region != NULL; region++)
    {
      g_autofree char *label = drs_endpoint_dup_region_label (*region);

      gtk_string_list_append (regions, label);
    }
  gtk_string_list_append (regions, _ ("Custom endpoint"));
  self->region_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->region_row), _ ("Region"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->region_row), G_LIST_MODEL (regions));
  /* Below the title, where "cn-south-4 — CN South-Guangzhou-InvitationOnly" fits whole. */
  adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (self->region_row), TRUE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->region_row);
  self->endpoint_row = entry_row (_ ("DRS endpoint URL"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->endpoint_row);
  self->iam_row = entry_row (_ ("IAM endpoint URL (optional)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->iam_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  /* Who */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Sign-in"));
  self->sign_in_group = group;
  update_secrets_note (self);
  gtk_string_list_append (methods, _ ("IAM user and password"));
  gtk_string_list_append (methods, _ ("Access key (AK/SK)"));
  gtk_string_list_append (methods, _ ("Token"));
  self->auth_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->auth_row), _ ("Method"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->auth_row), G_LIST_MODEL (methods));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->auth_row);
  self->domain_row = entry_row (_ ("Account name (domain)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->domain_row);
  self->user_row = entry_row (_ ("IAM user name"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->user_row);
  self->password_row = password_row (_ ("Password"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->password_row);
  self->access_key_row = entry_row (_ ("Access key ID (AK)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->access_key_row);
  self->sk_row = password_row (_ ("Secret access key (SK)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->sk_row);
  self->token_row = password_row (_ ("Token"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->token_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  /* Which project */
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ ("Project"));
  self->project_row = entry_row (_ ("Project ID"));
  self->lookup_button = gtk_button_new_with_mnemonic (_ ("_Look Up"));
  gtk_widget_set_valign (self->lookup_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->lookup_button,
                               _ ("Ask IAM for the ID of the region's project"));
  gtk_widget_add_css_class (self->lookup_button, "flat");
  g_signal_connect_swapped (self->lookup_button, "clicked", G_CALLBACK (on_lookup_clicked), self);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->project_row), self->lookup_button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->project_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  /* Does it work */
  group = adw_preferences_group_new ();
  self->test_button = gtk_button_new_with_mnemonic (_ ("_Test Connection"));
  gtk_widget_set_halign (self->test_button, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->test_button, "pill");
  g_signal_connect_swapped (self->test_button, "clicked", G_CALLBACK (on_test_clicked), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->test_button);
  self->status_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->status_row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (self->status_row), 0);
  gtk_widget_add_css_class (self->status_row, "test-status");
  self->status_icon = gtk_image_new ();
  adw_action_row_add_prefix (ADW_ACTION_ROW (self->status_row), self->status_icon);
  gtk_widget_set_margin_top (self->status_row, 12);
  gtk_widget_set_visible (self->status_row, FALSE);
  {
    GtkWidget *list = gtk_list_box_new ();

    gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
    gtk_widget_add_css_class (list, "boxed-list");
    gtk_widget_set_margin_top (list, 12);
    gtk_list_box_append (GTK_LIST_BOX (list), self->status_row);
    gtk_widget_set_visible (list, TRUE);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
    g_object_bind_property (self->status_row, "visible", list, "visible", G_BINDING_SYNC_CREATE);
  }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  if (account != NULL)
    {
      group = adw_preferences_group_new ();
      remove = gtk_button_new_with_mnemonic (_ ("_Remove Account…"));
      gtk_widget_set_halign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "destructive-action");
      gtk_widget_add_css_class (remove, "pill");
      g_signal_connect_swapped (remove, "clicked", G_CALLBACK (on_remove_clicked), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), remove);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
    }

  /* Fill in */
  if (account != NULL)
    {
      guint              region = GTK_INVALID_LIST_POSITION;
      const char *const *list = drs_endpoint_list_regions ();

      gtk_editable_set_text (GTK_EDITABLE (self->name_row), account->name);
      for (guint i = 0; list[i] != NULL; i++)
        if (g_str_equal (list[i], account->region))
          region = i;
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->region_row),
                                  region != GTK_INVALID_LIST_POSITION ? region : n_regions ());
      gtk_editable_set_text (GTK_EDITABLE (self->endpoint_row), account->endpoint);
      gtk_editable_set_text (GTK_EDITABLE (self->iam_row), account->iam_endpoint);
      for (guint i = 0; i < G_N_ELEMENTS (auth_choices); i++)
        if (auth_choices[i] == account->auth)
          adw_combo_row_set_selected (ADW_COMBO_ROW (self->auth_row), i);
      gtk_editable_set_text (GTK_EDITABLE (self->domain_row), account->domain);
      gtk_editable_set_text (GTK_EDITABLE (self->user_row), account->user);
      gtk_editable_set_text (GTK_EDITABLE (self->access_key_row), account->access_key);
      gtk_editable_set_text (GTK_EDITABLE (self->project_row), account->project_id);
    }

  g_signal_connect_swapped (self->region_row, "notify::selected", G_CALLBACK (on_editor_changed),
                            self);
  g_signal_connect_swapped (self->auth_row, "notify::selected", G_CALLBACK (on_editor_changed),
                            self);
  update_visibility (self);
  return box;
}

static void
close_editor (DrsPreferences *self)
{
  if (self->editor == NULL)
    return;
  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static void
clear_editor (DrsPreferences *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->busy = 0;
  self->editor = NULL;
  self->editor_title = self->save_button = self->name_row = self->region_row = NULL;
  self->sign_in_group = NULL;
  self->endpoint_row = self->iam_row = self->auth_row = self->domain_row = NULL;
  self->user_row = self->password_row = self->access_key_row = self->sk_row = NULL;
  self->token_row = self->project_row = self->lookup_button = self->test_button = NULL;
  self->status_row = self->status_icon = self->spinner = NULL;
  g_clear_pointer (&self->editing, g_free);
}

static void
on_editor_destroyed (GtkWidget *editor, DrsPreferences *self)
{
  /* Not a newer editor's: a closed one goes at the end of its transition. */
  if (editor == self->editor)
    clear_editor (self);
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
  const DrsAccount *account = NULL;

  g_return_if_fail (DRS_IS_PREFERENCES (self));

  if (name != NULL && self->accounts != NULL)
    account = drs_accounts_lookup (self->accounts, name);
  close_editor (self);
  clear_editor (self);

  self->cancellable = g_cancellable_new ();
  self->editing = account ? g_strdup (account->name) : NULL;
  self->editor = build_editor (self, account);
  g_signal_connect_object (self->editor, "destroy", G_CALLBACK (on_editor_destroyed), self, 0);
  g_clear_pointer (&self->status, g_free);
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), self->editor);

  /* Say where the secret will go before it is typed in. */
  if (!self->secrets_known)
    {
      GWeakRef *weak = g_new0 (GWeakRef, 1);

      g_weak_ref_init (weak, self);
      drs_secrets_check_async (drs_session_get_secrets (self->session), NULL, on_secrets_checked,
                               weak);
    }

  if (account != NULL)
    {
      set_busy (self, TRUE);
      drs_secrets_lookup_async (drs_session_get_secrets (self->session), account->name,
                                drs_account_get_secret_kind (account), self->cancellable,
                                on_secret_filled, g_object_ref (self));
    }
  else
    gtk_widget_grab_focus (self->name_row);
}

gboolean
drs_preferences_get_editing (DrsPreferences *self)
{
  g_return_val_if_fail (DRS_IS_PREFERENCES (self), FALSE);
  return self->editor != NULL;
}

/* Look up ------------------------------------------------------------------------------------- */

static void
on_project_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsPreferences) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *project = drs_client_lookup_project_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (self->editor == NULL)
    return;
  if (project == NULL)
    {
      set_status (self, error->message, FALSE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->project_row), project);
  {
    /* Translators: %s is a project id */
    g_autofree char *text = g_strdup_printf (_ ("Found the project %s."), project);
    set_status (self, text, TRUE);
  }
}

void
drs_preferences_look_up_project (DrsPreferences *self)
{
  g_autoptr (DrsAccount) account = NULL;
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *iam = NULL;
  g_autofree char *region = NULL;

  g_return_if_fail (DRS_IS_PREFERENCES (self));
  g_return_if_fail (self->editor != NULL);

  account = read_editor (self);
  drs_account_set (&account->project_id, NULL);
  if (!drs_account_validate (account, FALSE, &error) ||
      (iam = drs_account_dup_iam_endpoint (account, &error)) == NULL ||
      (credentials =
           drs_account_build_credentials (account, text_of (secret_row (self)), &error)) == NULL)
    {
      set_status (self, error->message, FALSE);
      return;
    }
  region = drs_account_dup_lookup_region (account);
  set_status (self, NULL, FALSE);
  set_busy (self, TRUE);
  drs_client_lookup_project_async (iam, credentials, region, self->cancellable, on_project_found,
                                   g_object_ref (self));
}

static void
on_lookup_clicked (DrsPreferences *self)
{
  drs_preferences_look_up_project (self);
}

/* Test ---------------------------------------------------------------------------------------- */

static void
on_tested (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsPreferences) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = drs_account_test_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (self->editor == NULL)
    return;
  set_status (self, text ? text : error->message, text != NULL);
}

void
drs_preferences_test_connection (DrsPreferences *self)
{
  g_autoptr (DrsAccount) account = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (DRS_IS_PREFERENCES (self));
  g_return_if_fail (self->editor != NULL);

  account = read_editor (self);
  client = drs_account_build_client (account, text_of (secret_row (self)), &error);
  if (client == NULL)
    {
      set_status (self, error->message, FALSE);
      return;
    }
  set_status (self, NULL, FALSE);
  set_busy (self, TRUE);
  drs_account_test_async (client, self->cancellable, on_tested, g_object_ref (self));
}

static void
on_test_clicked (DrsPreferences *self)
{
  drs_preferences_test_connection (self);
}

/* Save and remove ----------------------------------------------------------------------------- */

typedef struct
{
  DrsPreferences *self;
  DrsAccount     *account;
} SaveData;

static void
on_secret_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SaveData       *data = user_data;
  DrsPreferences *self = data->self;
  g_autoptr (GError) error = NULL;

  if (!drs_secrets_store_finish (DRS_SECRETS (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          set_busy (self, FALSE);
          set_status (self, error->message, FALSE);
        }
    }
  else
    {
      set_busy (self, FALSE);
      if (!drs_accounts_save (self->accounts, self->editing, data->account, &error))
        set_status (self, error->message, FALSE);
      else
        {
          /* The secret may be all that changed. */
          drs_session_reload_account (self->session, data->account->name);
          close_editor (self);
          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                            adw_toast_new (_ ("Account saved")));
        }
    }
  drs_account_free (data->account);
  g_object_unref (data->self);
  g_free (data);
}

void
drs_preferences_save (DrsPreferences *self)
{
  g_autoptr (DrsAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  const char *secret;
  SaveData   *data;

  g_return_if_fail (DRS_IS_PREFERENCES (self));
  g_return_if_fail (self->editor != NULL);

  if (self->accounts == NULL)
    return;
  account = read_editor (self);
  secret = text_of (secret_row (self));
  if (!drs_account_validate (account, TRUE, &error))
    {
      set_status (self, error->message, FALSE);
      return;
    }
  if (self->editing == NULL && drs_accounts_lookup (self->accounts, account->name) != NULL)
    {
      g_autofree char *text =
          g_strdup_printf (_ ("There is already an account called “%s”."), account->name);
      set_status (self, text, FALSE);
      return;
    }
  if (*secret == '\0')
    {
      set_status (self,
                  account->auth == DRS_CREDENTIALS_TOKEN  ? _ ("Give the token.")
                  : account->auth == DRS_CREDENTIALS_AKSK ? _ ("Give the secret access key (SK).")
                                                          : _ ("Give the password."),
                  FALSE);
      return;
    }

  /* The secret first: the account appears with a working client. */
  data = g_new0 (SaveData, 1);
  data->self = g_object_ref (self);
  data->account = g_steal_pointer (&account);
  set_status (self, NULL, FALSE);
  set_busy (self, TRUE);
  drs_secrets_store_async (drs_session_get_secrets (self->session), data->account->name,
                           drs_account_get_secret_kind (data->account), secret, self->cancellable,
                           on_secret_stored, data);
}

static void
on_save_clicked (DrsPreferences *self)
{
  drs_preferences_save (self);
}

static void
on_remove_response (AdwMessageDialog *dialog, const char *response, DrsPreferences *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "drs-account");

  if (!g_str_equal (response, "remove"))
    return;
  drs_session_remove_account (self->session, name);
  close_editor (self);
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
  GtkWidget       *dialog;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (DRS_IS_PREFERENCES (self), NULL);
  g_return_val_if_fail (self->editing != NULL, NULL);

  /* Translators: %s is an account's name */
  heading = g_strdup_printf (_ ("Remove “%s”?"), self->editing);
  dialog = adw_message_dialog_new (
      GTK_WINDOW (self), heading,
      _ ("Its tasks stay in the list with their history, but are no longer checked. Its password, "
         "secret key or token is removed from the keyring."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "remove",
                                    _ ("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "drs-account", g_strdup (self->editing), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
on_remove_clicked (DrsPreferences *self)
{
  drs_preferences_remove_account (self);
}

/* Fields, for tests and scripting ------------------------------------------------------------- */

static GtkWidget *
field_row (DrsPreferences *self, const char *field)
{
  static const struct
  {
    const char *name;
    gsize       offset;
  } rows[] = {
    { "name", G_STRUCT_OFFSET (DrsPreferences, name_row) },
    { "endpoint", G_STRUCT_OFFSET (DrsPreferences, endpoint_row) },
    { "iam-endpoint", G_STRUCT_OFFSET (DrsPreferences, iam_row) },
    { "project-id", G_STRUCT_OFFSET (DrsPreferences, project_row) },
    { "domain", G_STRUCT_OFFSET (DrsPreferences, domain_row) },
    { "user", G_STRUCT_OFFSET (DrsPreferences, user_row) },
    { "password", G_STRUCT_OFFSET (DrsPreferences, password_row) },
    { "access-key", G_STRUCT_OFFSET (DrsPreferences, access_key_row) },
    { "sk", G_STRUCT_OFFSET (DrsPreferences, sk_row) },
    { "token", G_STRUCT_OFFSET (DrsPreferences, token_row) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (rows[i].name, field))
      return G_STRUCT_MEMBER (GtkWidget *, self, rows[i].offset);
  return NULL;
}

/**
 * drs_preferences_set_field:
 * @field: "name", "region" (a region id, or "" for a custom endpoint), "endpoint",
 *   "iam-endpoint", "project-id", "auth" ("password", "aksk" or "token"), "domain", "user",
 *   "password", "access-key", "sk" or "token"
 *
 * Fills in the editor as a user would.
 */
void
drs_preferences_set_field (DrsPreferences *self, const char *field, const char *value)
{
  GtkWidget *row;

  g_return_if_fail (DRS_IS_PREFERENCES (self));
  g_return_if_fail (self->editor != NULL);

  if (g_str_equal (field, "region"))
    {
      const char *const *list = drs_endpoint_list_regions ();
      guint              index = n_regions ();

      for (guint i = 0; list[i] != NULL; i++)
        if (g_str_equal (list[i], value))
          index = i;
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->region_row), index);
      return;
    }
  if (g_str_equal (field, "auth"))
    {
      DrsCredentialsKind auth = drs_account_auth_from_string (value);

      for (guint i = 0; i < G_N_ELEMENTS (auth_choices); i++)
        if (auth_choices[i] == auth)
          adw_combo_row_set_selected (ADW_COMBO_ROW (self->auth_row), i);
      return;
    }
  row = field_row (self, field);
  g_return_if_fail (row != NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), value);
}

/**
 * drs_preferences_get_field:
 *
 * Returns: (nullable): what the editor shows for @field (see drs_preferences_set_field())
 */
const char *
drs_preferences_get_field (DrsPreferences *self, const char *field)
{
  GtkWidget *row;

  g_return_val_if_fail (DRS_IS_PREFERENCES (self), NULL);

  if (self->editor == NULL)
    return NULL;
  if (g_str_equal (field, "region"))
    {
      GtkStringObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (self->region_row));

      return item ? gtk_string_object_get_string (item) : NULL;
    }
  row = field_row (self, field);
  g_return_val_if_fail (row != NULL, NULL);
  return text_of (row);
}

gboolean
drs_preferences_get_busy (DrsPreferences *self)
{
  g_return_val_if_fail (DRS_IS_PREFERENCES (self), FALSE);
  return self->busy > 0;
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
  if (success != NULL)
    *success = self->status_ok;
  return self->status;
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

  g_cancellable_cancel (self->cancellable);
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

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->editing, g_free);
  g_clear_pointer (&self->status, g_free);
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
static void relabel_action (GtkWidget *widget, const char *action_name, GVariant *parameter);

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
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, grace_row);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, retention_adjustment);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, notify_failed_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, allow_actions_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, notify_finished_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, notify_recovered_switch);
  gtk_widget_class_bind_template_child (widget_class, DrsPreferences, notify_delay_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_add_account_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_account_activated);
  gtk_widget_class_install_action (widget_class, "win.relabel", NULL, relabel_action);
  preferences_strings = drs_retranslator_new (RESOURCE_BASE "drs-preferences.ui");

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, DRS_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
label_placeholder (DrsPreferences *self)
{
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->placeholder), _ ("No accounts yet"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->placeholder),
                               _ ("Add your Huawei Cloud account to watch its DRS tasks."));
}

static void
drs_preferences_init (DrsPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->placeholder = adw_action_row_new ();
  label_placeholder (self);
  gtk_list_box_set_placeholder (self->accounts_list, self->placeholder);
}

/* The template's strings, shown again after a language switch with the account rows. */
static void
relabel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DrsPreferences *self = DRS_PREFERENCES (widget);

  drs_retranslator_apply (preferences_strings, GTK_WIDGET (self), DRS_TYPE_PREFERENCES);
  drs_duration_row_retranslate (self->refresh_row);
  drs_duration_row_retranslate (self->finished_row);
  drs_duration_row_retranslate (self->threshold_row);
  drs_duration_row_retranslate (self->grace_row);
  label_placeholder (self);
  rebuild_list (self);
  if (self->language_row != NULL)
    drs_i18n_language_row_retranslate (self->language_row,
                                       drs_session_get_settings (self->session));
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
  g_signal_connect_object (drs_session_get_secrets (self->session), "notify::persistent",
                           G_CALLBACK (update_secrets_note), self, G_CONNECT_SWAPPED);
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

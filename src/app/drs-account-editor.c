/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-account-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-account-editor.h"
#include "drs-accounts.h"
#include "drs-endpoint.h"

/**
 * DrsAccountEditor:
 *
 * The form that adds an account or edits one, shown as a subpage of the preferences: where (a
 * region or custom endpoints), who signs in and with which secret (kept in the keyring), which
 * project. It tests the connection, looks the project up, saves and removes the account, and
 * closes its subpage when done.
 */
struct _DrsAccountEditor
{
  AdwBin parent_instance;

  /* template widgets */
  AdwWindowTitle      *editor_title;
  GtkSpinner          *spinner;
  AdwEntryRow         *name_row;
  AdwComboRow         *region_row;
  AdwEntryRow         *endpoint_row;
  AdwEntryRow         *iam_endpoint_row;
  AdwPreferencesGroup *sign_in_group;
  AdwComboRow         *auth_row;
  AdwEntryRow         *domain_row;
  AdwEntryRow         *user_row;
  AdwEntryRow         *password_row;
  AdwEntryRow         *access_key_row;
  AdwEntryRow         *sk_row;
  AdwEntryRow         *token_row;
  AdwEntryRow         *project_id_row;
  GtkWidget           *status_row;
  GtkImage            *status_icon;
  GtkWidget           *remove_group;

  /* owned */
  DrsSession   *session;
  char         *account;       /* the account's name, NULL for a new one */
  gboolean      secrets_known; /* the Secret Service was asked whether it is there */
  guint         busy;
  DrsAccount   *saving;      /* what the keyring is storing the secret of */
  GCancellable *cancellable; /* cancelled when the editor closes */
};

G_DEFINE_FINAL_TYPE (DrsAccountEditor, drs_account_editor, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The choices of the method row, in order. */
static const DrsCredentialsKind auth_choices[] = { DRS_CREDENTIALS_PASSWORD, DRS_CREDENTIALS_AKSK,
                                                   DRS_CREDENTIALS_TOKEN };

static void
set_status (DrsAccountEditor *self, const char *text, gboolean ok)
{
  if (self->status_row == NULL) /* disposed */
    return;
  gtk_widget_set_visible (self->status_row, text != NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), text ? text : "");
  gtk_image_set_from_icon_name (self->status_icon,
                                ok ? "object-select-symbolic" : "dialog-error-symbolic");
  gtk_widget_remove_css_class (self->status_row, ok ? "error" : "success");
  gtk_widget_add_css_class (self->status_row, ok ? "success" : "error");
}

static void
set_busy (DrsAccountEditor *self, gboolean busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  if (self->spinner == NULL) /* disposed */
    return;
  gtk_spinner_set_spinning (self->spinner, self->busy > 0);
  /* The buttons that start something are insensitive while it shows (bound in the template). */
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy > 0);
}

/* An answer came to what the editor asked: whether it still matters. Not once the editor is
 * closed, or gone. */
static gboolean
answered (DrsAccountEditor *self, const GError *error)
{
  set_busy (self, FALSE);
  return !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         !g_cancellable_is_cancelled (self->cancellable);
}

/* The preferences window the editor is a subpage of, if it is shown. */
static AdwPreferencesWindow *
get_window (DrsAccountEditor *self)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

  return window ? ADW_PREFERENCES_WINDOW (window) : NULL;
}

/* Back to the preferences' pages; the editor goes at the end of the transition. */
static void
close_subpage (DrsAccountEditor *self)
{
  AdwPreferencesWindow *window = get_window (self);

  if (window != NULL)
    adw_preferences_window_close_subpage (window);
}

/* Form ---------------------------------------------------------------------------------------- */

static guint
n_regions (void)
{
  return g_strv_length ((char **) drs_endpoint_list_regions ());
}

static gboolean
is_custom (DrsAccountEditor *self)
{
  return adw_combo_row_get_selected (self->region_row) >= n_regions ();
}

static DrsCredentialsKind
chosen_auth (DrsAccountEditor *self)
{
  guint i = adw_combo_row_get_selected (self->auth_row);

  return auth_choices[MIN (i, G_N_ELEMENTS (auth_choices) - 1)];
}

static void
update_visibility (DrsAccountEditor *self)
{
  gboolean           custom;
  DrsCredentialsKind auth;

  if (self->region_row == NULL) /* disposed */
    return;
  custom = is_custom (self);
  auth = chosen_auth (self);
  gtk_widget_set_visible (GTK_WIDGET (self->endpoint_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->iam_endpoint_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->domain_row), auth == DRS_CREDENTIALS_PASSWORD);
  gtk_widget_set_visible (GTK_WIDGET (self->user_row), auth == DRS_CREDENTIALS_PASSWORD);
  gtk_widget_set_visible (GTK_WIDGET (self->password_row), auth == DRS_CREDENTIALS_PASSWORD);
  gtk_widget_set_visible (GTK_WIDGET (self->access_key_row), auth == DRS_CREDENTIALS_AKSK);
  gtk_widget_set_visible (GTK_WIDGET (self->sk_row), auth == DRS_CREDENTIALS_AKSK);
  gtk_widget_set_visible (GTK_WIDGET (self->token_row), auth == DRS_CREDENTIALS_TOKEN);
}

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static AdwEntryRow *
secret_row (DrsAccountEditor *self)
{
  /* In the order of auth_choices[]. */
  AdwEntryRow *const rows[] = { self->password_row, self->sk_row, self->token_row };

  return rows[MIN (adw_combo_row_get_selected (self->auth_row), G_N_ELEMENTS (rows) - 1)];
}

/* What the editor says, as an account (without the secret). */
static DrsAccount *
read_form (DrsAccountEditor *self)
{
  DrsAccount *account = drs_account_new (text_of (self->name_row));

  if (is_custom (self))
    {
      drs_account_set (&account->endpoint, text_of (self->endpoint_row));
      drs_account_set (&account->iam_endpoint, text_of (self->iam_endpoint_row));
    }
  else
    drs_account_set (&account->region,
                     drs_endpoint_list_regions ()[adw_combo_row_get_selected (self->region_row)]);
  drs_account_set (&account->project_id, text_of (self->project_id_row));
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

/* Shows @account, the one edited. */
static void
fill_form (DrsAccountEditor *self, const DrsAccount *account)
{
  drs_account_editor_set_field (self, "name", account->name);
  drs_account_editor_set_field (self, "region", account->region);
  drs_account_editor_set_field (self, "endpoint", account->endpoint);
  drs_account_editor_set_field (self, "iam-endpoint", account->iam_endpoint);
  drs_account_editor_set_field (self, "auth", drs_account_auth_to_string (account->auth));
  drs_account_editor_set_field (self, "domain", account->domain);
  drs_account_editor_set_field (self, "user", account->user);
  drs_account_editor_set_field (self, "access-key", account->access_key);
  drs_account_editor_set_field (self, "project-id", account->project_id);
}

/* Gives @row the choices in @model, keeping the one chosen. */
static void
set_choices (AdwComboRow *row, GtkStringList *model)
{
  guint selected = adw_combo_row_get_selected (row);

  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  if (selected != GTK_INVALID_LIST_POSITION)
    adw_combo_row_set_selected (row, selected);
}

/* The regions and the sign-in methods, in the language now in force. */
static void
label_choices (DrsAccountEditor *self)
{
  g_autoptr (GtkStringList) regions = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) methods = gtk_string_list_new (NULL);

  for (const char *const *region = drs_endpoint_list_regions (); *region != NULL; region++)
    {
      g_autofree char *label = drs_endpoint_dup_region_label (*region);

      gtk_string_list_append (regions, label);
    }
  gtk_string_list_append (regions, _ ("Custom endpoint"));
  set_choices (self->region_row, regions);

  gtk_string_list_append (methods, _ ("IAM user and password"));
  gtk_string_list_append (methods, _ ("Access key (AK/SK)"));
  gtk_string_list_append (methods, _ ("Token"));
  set_choices (self->auth_row, methods);
}

/* Where the secret of the account will go: what DrsSecrets found out. */
static void
update_secrets_note (DrsAccountEditor *self)
{
  DrsSecrets *secrets = drs_session_get_secrets (self->session);
  const char *note = NULL;

  if (self->sign_in_group == NULL) /* disposed */
    return;
  if (!drs_secrets_get_persistent (secrets))
    note = _ ("No keyring is available: the password, secret key or token is kept in memory for "
              "this session only and must be entered again after DRS Monitor restarts.");
  else if (self->secrets_known)
    note = _ ("The password, secret key or token is stored in the keyring.");
  adw_preferences_group_set_description (self->sign_in_group, note);
}

/* The strings that are not the template's: they depend on the account, or come from elsewhere. */
static void
label_editor (DrsAccountEditor *self)
{
  adw_window_title_set_title (self->editor_title,
                              self->account ? _ ("Edit Account") : _ ("New Account"));
  if (self->account != NULL)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_row),
                                 _ ("The name keeps the account's tasks and keyring items "
                                    "together: remove the account and add it again to rename it."));
  label_choices (self);
  update_secrets_note (self);
}

/**
 * drs_account_editor_close:
 *
 * Stops what the editor is doing (a look-up, a test, a save) and closes the subpage it is shown
 * in. Its answers, even late ones, change nothing any more.
 */
void
drs_account_editor_close (DrsAccountEditor *self)
{
  g_return_if_fail (DRS_IS_ACCOUNT_EDITOR (self));

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  g_cancellable_cancel (self->cancellable);
  close_subpage (self);
}

/* Secrets ------------------------------------------------------------------------------------- */

static void
on_secret_filled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsAccountEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *secret = drs_secrets_lookup_finish (DRS_SECRETS (source), result, &error);

  if (!answered (self, error))
    return;
  if (error != NULL)
    set_status (self, error->message, FALSE);
  /* What the user typed meanwhile (or what a rebuilt form carried over) stays. */
  else if (secret != NULL && *text_of (secret_row (self)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (secret_row (self)), secret);
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

static void
on_secrets_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsAccountEditor) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!drs_secrets_check_finish (DRS_SECRETS (source), result, &error) && error != NULL)
    g_debug ("Could not ask the Secret Service: %s", error->message);
  self->secrets_known = TRUE;
  update_secrets_note (self);
}

/**
 * drs_account_editor_get_secrets_note:
 *
 * Returns: (nullable): what the editor says about where secrets go; %NULL before that is known
 */
const char *
drs_account_editor_get_secrets_note (DrsAccountEditor *self)
{
  const char *note;

  g_return_val_if_fail (DRS_IS_ACCOUNT_EDITOR (self), NULL);

  if (self->sign_in_group == NULL)
    return NULL;
  note = adw_preferences_group_get_description (self->sign_in_group);
  return note != NULL && *note != '\0' ? note : NULL;
}

/* Look up ------------------------------------------------------------------------------------- */

static void
on_project_found (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsAccountEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *project = drs_client_lookup_project_finish (result, &error);
  g_autofree char *text = NULL;

  if (!answered (self, error))
    return;
  if (project == NULL)
    {
      set_status (self, error->message, FALSE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->project_id_row), project);
  /* Translators: %s is a project id */
  text = g_strdup_printf (_ ("Found the project %s."), project);
  set_status (self, text, TRUE);
}

/**
 * drs_account_editor_look_up_project:
 *
 * Asks IAM for the ID of the region's project, what "Look Up" does.
 */
void
drs_account_editor_look_up_project (DrsAccountEditor *self)
{
  g_autoptr (DrsAccount) account = NULL;
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *iam = NULL;
  g_autofree char *region = NULL;

  g_return_if_fail (DRS_IS_ACCOUNT_EDITOR (self));

  account = read_form (self);
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

/* Test ---------------------------------------------------------------------------------------- */

static void
on_tested (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsAccountEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = drs_account_test_finish (result, &error);

  if (answered (self, error))
    set_status (self, text ? text : error->message, text != NULL);
}

/**
 * drs_account_editor_test_connection:
 *
 * Signs in and asks for the project's tasks with what the form says, what "Test Connection" does.
 */
void
drs_account_editor_test_connection (DrsAccountEditor *self)
{
  g_autoptr (DrsAccount) account = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (DRS_IS_ACCOUNT_EDITOR (self));

  account = read_form (self);
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

/* Save and remove ----------------------------------------------------------------------------- */

static void
on_secret_stored (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (DrsAccountEditor) self = user_data;
  g_autoptr (DrsAccount) account = g_steal_pointer (&self->saving);
  AdwPreferencesWindow *window;
  g_autoptr (GError) error = NULL;

  if (!drs_secrets_store_finish (DRS_SECRETS (source), result, &error))
    {
      if (answered (self, error))
        set_status (self, error->message, FALSE);
      return;
    }
  if (!answered (self, NULL))
    return;
  if (!drs_accounts_save (drs_session_get_accounts (self->session), self->account, account, &error))
    {
      set_status (self, error->message, FALSE);
      return;
    }
  /* The secret may be all that changed. */
  drs_session_reload_account (self->session, account->name);
  window = get_window (self);
  drs_account_editor_close (self);
  if (window != NULL)
    adw_preferences_window_add_toast (window, adw_toast_new (_ ("Account saved")));
}

/**
 * drs_account_editor_save:
 *
 * Stores the secret in the keyring, then the account in the settings, and closes the editor;
 * what "Save" does. A problem is the editor's status.
 */
void
drs_account_editor_save (DrsAccountEditor *self)
{
  g_autoptr (DrsAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  DrsAccounts *accounts;
  const char  *secret;

  g_return_if_fail (DRS_IS_ACCOUNT_EDITOR (self));

  /* One save at a time, as the insensitive button says. */
  accounts = drs_session_get_accounts (self->session);
  if (accounts == NULL || self->saving != NULL)
    return;
  account = read_form (self);
  secret = text_of (secret_row (self));
  if (!drs_account_validate (account, TRUE, &error))
    {
      set_status (self, error->message, FALSE);
      return;
    }
  if (self->account == NULL && drs_accounts_lookup (accounts, account->name) != NULL)
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
  g_clear_pointer (&self->saving, drs_account_free);
  self->saving = g_steal_pointer (&account);
  set_status (self, NULL, FALSE);
  set_busy (self, TRUE);
  drs_secrets_store_async (drs_session_get_secrets (self->session), self->saving->name,
                           drs_account_get_secret_kind (self->saving), secret, self->cancellable,
                           on_secret_stored, g_object_ref (self));
}

static void
on_remove_response (AdwMessageDialog *dialog, const char *response, DrsAccountEditor *self)
{
  if (!g_str_equal (response, "remove"))
    return;
  drs_session_remove_account (self->session, self->account);
  drs_account_editor_close (self);
}

/**
 * drs_account_editor_remove_account:
 *
 * Asks whether to remove the edited account (what "Remove Account…" does).
 *
 * Returns: (transfer none): the question, on screen
 */
AdwMessageDialog *
drs_account_editor_remove_account (DrsAccountEditor *self)
{
  GtkRoot         *root;
  GtkWidget       *dialog;
  g_autofree char *heading = NULL;

  g_return_val_if_fail (DRS_IS_ACCOUNT_EDITOR (self), NULL);
  g_return_val_if_fail (self->account != NULL, NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  /* Translators: %s is an account's name */
  heading = g_strdup_printf (_ ("Remove “%s”?"), self->account);
  dialog = adw_message_dialog_new (
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
      _ ("Its tasks stay in the list with their history, but are no longer checked. Its password, "
         "secret key or token is removed from the keyring."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "remove",
                                    _ ("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
on_remove_clicked (DrsAccountEditor *self)
{
  drs_account_editor_remove_account (self);
}

/* Fields, for tests and scripting ------------------------------------------------------------- */

/* The entry of @field: its template child is named after it. */
static AdwEntryRow *
field_row (DrsAccountEditor *self, const char *field)
{
  g_autofree char *id = g_strdup_printf ("%s_row", field);
  GObject         *row;

  g_strdelimit (id, "-", '_');
  row = gtk_widget_get_template_child (GTK_WIDGET (self), DRS_TYPE_ACCOUNT_EDITOR, id);
  return ADW_IS_ENTRY_ROW (row) ? ADW_ENTRY_ROW (row) : NULL;
}

/**
 * drs_account_editor_set_field:
 * @field: "name", "region" (a region id, or "" for a custom endpoint), "endpoint",
 *   "iam-endpoint", "project-id", "auth" ("password", "aksk" or "token"), "domain", "user",
 *   "password", "access-key", "sk" or "token"
 *
 * Fills in the form as a user would.
 */
void
drs_account_editor_set_field (DrsAccountEditor *self, const char *field, const char *value)
{
  AdwEntryRow *row;

  g_return_if_fail (DRS_IS_ACCOUNT_EDITOR (self));

  if (g_str_equal (field, "region"))
    {
      const char *const *list = drs_endpoint_list_regions ();
      guint              index = n_regions ();

      for (guint i = 0; list[i] != NULL; i++)
        if (g_str_equal (list[i], value))
          index = i;
      adw_combo_row_set_selected (self->region_row, index);
      return;
    }
  if (g_str_equal (field, "auth"))
    {
      DrsCredentialsKind auth = drs_account_auth_from_string (value);

      for (guint i = 0; i < G_N_ELEMENTS (auth_choices); i++)
        if (auth_choices[i] == auth)
          adw_combo_row_set_selected (self->auth_row, i);
      return;
    }
  row = field_row (self, field);
  g_return_if_fail (row != NULL);
  gtk_editable_set_text (GTK_EDITABLE (row), value);
}

/**
 * drs_account_editor_get_field:
 *
 * Returns: (nullable): what the form shows for @field (see drs_account_editor_set_field())
 */
const char *
drs_account_editor_get_field (DrsAccountEditor *self, const char *field)
{
  AdwEntryRow *row;

  g_return_val_if_fail (DRS_IS_ACCOUNT_EDITOR (self), NULL);

  if (g_str_equal (field, "region"))
    {
      GtkStringObject *item = adw_combo_row_get_selected_item (self->region_row);

      return item ? gtk_string_object_get_string (item) : NULL;
    }
  row = field_row (self, field);
  g_return_val_if_fail (row != NULL, NULL);
  return text_of (row);
}

gboolean
drs_account_editor_get_busy (DrsAccountEditor *self)
{
  g_return_val_if_fail (DRS_IS_ACCOUNT_EDITOR (self), FALSE);
  return self->busy > 0;
}

/**
 * drs_account_editor_get_status:
 * @success: (out) (optional): whether it reports a success
 *
 * Returns: (nullable): what the editor last reported: a test's result, a look-up, a problem
 */
const char *
drs_account_editor_get_status (DrsAccountEditor *self, gboolean *success)
{
  g_return_val_if_fail (DRS_IS_ACCOUNT_EDITOR (self), NULL);

  if (success != NULL)
    *success = FALSE;
  if (self->status_row == NULL || !gtk_widget_get_visible (self->status_row))
    return NULL;
  if (success != NULL)
    *success = gtk_widget_has_css_class (self->status_row, "success");
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->status_row));
}

/**
 * drs_account_editor_get_account:
 *
 * Returns: (nullable): the name of the account edited, %NULL for a new one
 */
const char *
drs_account_editor_get_account (DrsAccountEditor *self)
{
  g_return_val_if_fail (DRS_IS_ACCOUNT_EDITOR (self), NULL);
  return self->account;
}

/* Life cycle ---------------------------------------------------------------------------------- */

static void
drs_account_editor_constructed (GObject *object)
{
  DrsAccountEditor *self = DRS_ACCOUNT_EDITOR (object);
  DrsAccounts      *accounts;
  const DrsAccount *account = NULL;
  DrsSecrets       *secrets;

  G_OBJECT_CLASS (drs_account_editor_parent_class)->constructed (object);
  g_assert (DRS_IS_SESSION (self->session));
  accounts = drs_session_get_accounts (self->session);
  secrets = drs_session_get_secrets (self->session);

  /* An account that is not there is a new one. */
  if (self->account != NULL && accounts != NULL)
    account = drs_accounts_lookup (accounts, self->account);
  if (account == NULL)
    g_clear_pointer (&self->account, g_free);

  label_editor (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), account == NULL);
  gtk_widget_set_visible (self->remove_group, account != NULL);
  if (account != NULL)
    fill_form (self, account);
  update_visibility (self);

  /* Say where the secret will go before it is typed in. */
  g_signal_connect_object (secrets, "notify::persistent", G_CALLBACK (update_secrets_note), self,
                           G_CONNECT_SWAPPED);
  drs_secrets_check_async (secrets, NULL, on_secrets_checked, g_object_ref (self));

  if (account != NULL)
    {
      set_busy (self, TRUE);
      drs_secrets_lookup_async (secrets, account->name, drs_account_get_secret_kind (account),
                                self->cancellable, on_secret_filled, g_object_ref (self));
    }
}

/* A new account starts at its name. */
static gboolean
drs_account_editor_grab_focus (GtkWidget *widget)
{
  DrsAccountEditor *self = DRS_ACCOUNT_EDITOR (widget);

  if (self->account == NULL)
    return gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  return GTK_WIDGET_CLASS (drs_account_editor_parent_class)->grab_focus (widget);
}

static void
drs_account_editor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsAccountEditor *self = DRS_ACCOUNT_EDITOR (object);

  if (prop_id == PROP_SESSION)
    g_value_set_object (value, self->session);
  else if (prop_id == PROP_ACCOUNT)
    g_value_set_string (value, self->account);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
drs_account_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DrsAccountEditor *self = DRS_ACCOUNT_EDITOR (object);

  if (prop_id == PROP_SESSION)
    self->session = g_value_dup_object (value);
  else if (prop_id == PROP_ACCOUNT)
    self->account = g_value_dup_string (value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
drs_account_editor_dispose (GObject *object)
{
  DrsAccountEditor *self = DRS_ACCOUNT_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), DRS_TYPE_ACCOUNT_EDITOR);

  G_OBJECT_CLASS (drs_account_editor_parent_class)->dispose (object);
}

static void
drs_account_editor_finalize (GObject *object)
{
  DrsAccountEditor *self = DRS_ACCOUNT_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account, g_free);
  g_clear_pointer (&self->saving, drs_account_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (drs_account_editor_parent_class)->finalize (object);
}

static void
drs_account_editor_class_init (DrsAccountEditorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = drs_account_editor_constructed;
  object_class->get_property = drs_account_editor_get_property;
  object_class->set_property = drs_account_editor_set_property;
  object_class->dispose = drs_account_editor_dispose;
  object_class->finalize = drs_account_editor_finalize;
  widget_class->grab_focus = drs_account_editor_grab_focus;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "drs-account-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, editor_title);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, region_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, iam_endpoint_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, sign_in_group);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, auth_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, domain_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, user_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, password_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, sk_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, token_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, project_id_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, status_icon);
  gtk_widget_class_bind_template_child (widget_class, DrsAccountEditor, remove_group);
  /* Back: a save under way still ends, and says so. */
  gtk_widget_class_bind_template_callback (widget_class, close_subpage);
  gtk_widget_class_bind_template_callback (widget_class, drs_account_editor_save);
  gtk_widget_class_bind_template_callback (widget_class, update_visibility);
  gtk_widget_class_bind_template_callback (widget_class, drs_account_editor_look_up_project);
  gtk_widget_class_bind_template_callback (widget_class, drs_account_editor_test_connection);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked);

  properties[PROP_SESSION] =
      g_param_spec_object ("session", NULL, NULL, DRS_TYPE_SESSION,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * DrsAccountEditor:account: (nullable)
   *
   * The name of the account edited, %NULL for a new one (or one that is not there).
   */
  properties[PROP_ACCOUNT] =
      g_param_spec_string ("account", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_account_editor_init (DrsAccountEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * drs_account_editor_new:
 * @session: the session whose accounts and keyring the editor changes
 * @account: (nullable): the name of the account to edit, %NULL for a new one
 *
 * Returns: (transfer floating): the form, to show as a subpage of the preferences
 */
DrsAccountEditor *
drs_account_editor_new (DrsSession *session, const char *account)
{
  g_return_val_if_fail (DRS_IS_SESSION (session), NULL);

  return g_object_new (DRS_TYPE_ACCOUNT_EDITOR, "session", session, "account", account, NULL);
}

/* The form's entries, by their place in the struct: what a rebuilt form carries over. */
static const gsize entry_offsets[] = {
  G_STRUCT_OFFSET (DrsAccountEditor, name_row),
  G_STRUCT_OFFSET (DrsAccountEditor, endpoint_row),
  G_STRUCT_OFFSET (DrsAccountEditor, iam_endpoint_row),
  G_STRUCT_OFFSET (DrsAccountEditor, domain_row),
  G_STRUCT_OFFSET (DrsAccountEditor, user_row),
  G_STRUCT_OFFSET (DrsAccountEditor, password_row),
  G_STRUCT_OFFSET (DrsAccountEditor, access_key_row),
  G_STRUCT_OFFSET (DrsAccountEditor, sk_row),
  G_STRUCT_OFFSET (DrsAccountEditor, token_row),
  G_STRUCT_OFFSET (DrsAccountEditor, project_id_row),
};

/**
 * drs_account_editor_rebuild:
 * @old: a form shown in the language before a switch
 *
 * Builds the form again from its template, in the language now in force, with what @old held:
 * the account, the region and sign-in method chosen, and every field as typed, unsaved, the
 * secret included. The secret goes from one entry to the other in memory, nowhere else. What
 * @old was reporting, or doing (a test, a look-up, a save), is not carried over: its answer
 * would come in the old language, and the user asks again.
 *
 * Returns: (transfer floating) (nullable): the new form; %NULL when @old is closing
 */
DrsAccountEditor *
drs_account_editor_rebuild (DrsAccountEditor *old)
{
  DrsAccountEditor *self;

  g_return_val_if_fail (DRS_IS_ACCOUNT_EDITOR (old), NULL);

  if (g_cancellable_is_cancelled (old->cancellable))
    return NULL;
  self = drs_account_editor_new (old->session, old->account);
  adw_combo_row_set_selected (self->region_row, adw_combo_row_get_selected (old->region_row));
  adw_combo_row_set_selected (self->auth_row, adw_combo_row_get_selected (old->auth_row));
  for (guint i = 0; i < G_N_ELEMENTS (entry_offsets); i++)
    gtk_editable_set_text (G_STRUCT_MEMBER (GtkEditable *, self, entry_offsets[i]),
                           text_of (G_STRUCT_MEMBER (AdwEntryRow *, old, entry_offsets[i])));
  return self;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-action-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-action-dialog.h"

/**
 * DrsActionDialog:
 *
 * Asks before pausing, resuming or retrying tasks: names the tasks, says what will happen and,
 * for a pause, which of the two modes to use. Pausing is styled destructive. Nothing is done
 * here: the caller acts on the %DRS_ACTION_DIALOG_RESPONSE_ACT response.
 */
struct _DrsActionDialog
{
  AdwMessageDialog parent_instance;

  /* template widgets */
  GtkBox         *modes_box;
  GtkLabel       *names_label;
  GtkCheckButton *target_button;
  GtkCheckButton *all_button;

  /* owned */
  GStrv job_ids;

  DrsTaskAction action;
};

G_DEFINE_FINAL_TYPE (DrsActionDialog, drs_action_dialog, ADW_TYPE_MESSAGE_DIALOG)

#define MAX_NAMES 5

/**
 * drs_action_dialog_name_list:
 * @jobs: (element-type DrsJob): the tasks
 *
 * Returns: (transfer full): their names, quoted, the first few then how many more
 */
char *
drs_action_dialog_name_list (GPtrArray *jobs)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint shown = MIN (jobs->len, MAX_NAMES);

  for (guint i = 0; i < shown; i++)
    {
      if (i > 0)
        g_string_append (text, _ (", "));
      /* Translators: a task's name in a list of names */
      g_string_append_printf (text, _ ("“%s”"), drs_job_get_display_name (jobs->pdata[i]));
    }
  if (jobs->len > shown)
    /* Translators: after a list of task names, e.g. "“a”, “b” and 3 more" */
    g_string_append_printf (text,
                            g_dngettext (NULL, " and %u more", " and %u more", jobs->len - shown),
                            jobs->len - shown);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
drs_action_dialog_finalize (GObject *object)
{
  DrsActionDialog *self = DRS_ACTION_DIALOG (object);

  g_clear_pointer (&self->job_ids, g_strfreev);

  G_OBJECT_CLASS (drs_action_dialog_parent_class)->finalize (object);
}

static void
drs_action_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DRS_TYPE_ACTION_DIALOG);
  G_OBJECT_CLASS (drs_action_dialog_parent_class)->dispose (object);
}

static void
drs_action_dialog_class_init (DrsActionDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = drs_action_dialog_dispose;
  object_class->finalize = drs_action_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "drs-action-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DrsActionDialog, modes_box);
  gtk_widget_class_bind_template_child (widget_class, DrsActionDialog, names_label);
  gtk_widget_class_bind_template_child (widget_class, DrsActionDialog, target_button);
  gtk_widget_class_bind_template_child (widget_class, DrsActionDialog, all_button);
}

static void
drs_action_dialog_init (DrsActionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * drs_action_dialog_new:
 * @jobs: (element-type DrsJob): the tasks the action applies to
 * @n_left_alone: selected tasks whose state does not allow the action (they are not touched)
 *
 * Returns: (transfer full): the dialog, not shown yet
 */
DrsActionDialog *
drs_action_dialog_new (GtkWindow *parent, DrsTaskAction action, GPtrArray *jobs, guint n_left_alone)
{
  DrsActionDialog  *self;
  AdwMessageDialog *dialog;
  g_autofree char  *names = NULL;
  g_autofree char  *heading = NULL;
  g_autoptr (GString) body = g_string_new (NULL);
  const char *label = NULL;
  guint       n;

  g_return_val_if_fail (jobs != NULL && jobs->len > 0, NULL);

  self = g_object_new (DRS_TYPE_ACTION_DIALOG, "transient-for", parent, NULL);
  dialog = ADW_MESSAGE_DIALOG (self);
  self->action = action;
  n = jobs->len;
  self->job_ids = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    self->job_ids[i] = g_strdup (drs_job_get_id (jobs->pdata[i]));

  names = drs_action_dialog_name_list (jobs);
  gtk_label_set_text (self->names_label, names);
  switch (action)
    {
      case DRS_TASK_ACTION_PAUSE:
        /* Translators: the heading of the confirmation; %u is a number of tasks */
        heading = g_strdup_printf (g_dngettext (NULL, "Pause %u Task?", "Pause %u Tasks?", n), n);
        g_string_append (body, g_dngettext (NULL,
                                            "The task stops until you resume it. Choose what "
                                            "to stop:",
                                            "The tasks stop until you resume them. Choose what "
                                            "to stop:",
                                            n));
        label = _ ("_Pause");
        gtk_widget_set_visible (GTK_WIDGET (self->modes_box), TRUE);
        break;
      case DRS_TASK_ACTION_RESUME:
        /* Translators: the heading of the confirmation; %u is a number of tasks */
        heading = g_strdup_printf (g_dngettext (NULL, "Resume %u Task?", "Resume %u Tasks?", n), n);
        g_string_append (body, g_dngettext (NULL,
                                            "The task carries on from where it stopped and "
                                            "catches up with the source.",
                                            "The tasks carry on from where they stopped and "
                                            "catch up with the source.",
                                            n));
        label = _ ("_Resume");
        break;
      case DRS_TASK_ACTION_RETRY:
      default:
        /* Translators: the heading of the confirmation; %u is a number of tasks */
        heading = g_strdup_printf (g_dngettext (NULL, "Retry %u Task?", "Retry %u Tasks?", n), n);
        g_string_append (body, g_dngettext (NULL,
                                            "DRS runs the failed step again. If the cause of "
                                            "the failure is gone, the task returns to its "
                                            "running status.",
                                            "DRS runs the failed steps again. Tasks whose cause "
                                            "of failure is gone return to their running "
                                            "status.",
                                            n));
        label = _ ("_Retry");
        break;
    }
  if (n_left_alone > 0)
    {
      g_string_append (body, "\n\n");
      g_string_append_printf (body,
                              g_dngettext (NULL,
                                           "%u other selected task is not in a state that "
                                           "allows this and is left alone.",
                                           "%u other selected tasks are not in a state that "
                                           "allows this and are left alone.",
                                           n_left_alone),
                              n_left_alone);
    }

  adw_message_dialog_set_heading (dialog, heading);
  adw_message_dialog_set_body (dialog, body->str);
  adw_message_dialog_add_response (dialog, "cancel", _ ("_Cancel"));
  adw_message_dialog_add_response (dialog, DRS_ACTION_DIALOG_RESPONSE_ACT, label);
  adw_message_dialog_set_response_appearance (
      dialog, DRS_ACTION_DIALOG_RESPONSE_ACT,
      action == DRS_TASK_ACTION_PAUSE ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED);
  /* Enter never pauses by accident; it does resume or retry, what the user asked for. */
  adw_message_dialog_set_default_response (
      dialog, action == DRS_TASK_ACTION_PAUSE ? "cancel" : DRS_ACTION_DIALOG_RESPONSE_ACT);
  adw_message_dialog_set_close_response (dialog, "cancel");
  return self;
}

/**
 * drs_action_dialog_get_names:
 *
 * Returns: the names of the tasks the dialog asks about, as it shows them
 */
const char *
drs_action_dialog_get_names (DrsActionDialog *self)
{
  g_return_val_if_fail (DRS_IS_ACTION_DIALOG (self), NULL);
  return gtk_label_get_text (self->names_label);
}

DrsTaskAction
drs_action_dialog_get_action (DrsActionDialog *self)
{
  g_return_val_if_fail (DRS_IS_ACTION_DIALOG (self), DRS_TASK_ACTION_RETRY);
  return self->action;
}

/**
 * drs_action_dialog_get_job_ids:
 *
 * Returns: (transfer none): the tasks the dialog names
 */
const char *const *
drs_action_dialog_get_job_ids (DrsActionDialog *self)
{
  g_return_val_if_fail (DRS_IS_ACTION_DIALOG (self), NULL);
  return (const char *const *) self->job_ids;
}

DrsPauseMode
drs_action_dialog_get_pause_mode (DrsActionDialog *self)
{
  g_return_val_if_fail (DRS_IS_ACTION_DIALOG (self), DRS_PAUSE_MODE_TARGET);
  return gtk_check_button_get_active (self->all_button) ? DRS_PAUSE_MODE_ALL
                                                        : DRS_PAUSE_MODE_TARGET;
}

void
drs_action_dialog_set_pause_mode (DrsActionDialog *self, DrsPauseMode mode)
{
  g_return_if_fail (DRS_IS_ACTION_DIALOG (self));
  gtk_check_button_set_active (mode == DRS_PAUSE_MODE_ALL ? self->all_button : self->target_button,
                               TRUE);
}

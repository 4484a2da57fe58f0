/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-task-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-error.h"
#include "drs-task-actions.h"

/**
 * DrsTaskActions:
 *
 * Pause…, Resume and Retry for a window: the `task.pause`, `task.resume` and `task.retry`
 * actions (row context menu, details pane, keyboard shortcuts) act on every selected task whose
 * state allows it, after a confirmation (#DrsActionDialog), through the monitor; a toast tells
 * the outcome. An action is enabled when at least one selected task allows it and has no action
 * pending. With the `allow-actions` setting off the group is removed: menu items hide, buttons
 * hide, shortcuts do nothing.
 */

#define GROUP "task"

struct _DrsTaskActions
{
  GObject parent_instance;

  /* owned */
  GSimpleActionGroup *group;

  /* borrowed (weak: the window owns us) */
  GtkWindow         *window;
  GtkSelectionModel *selection;
  DrsDetails        *details; /* the window's pane, once built */
  DrsJobStore       *store;
  DrsMonitor        *monitor;
  GSettings         *settings;
  DrsActionDialog   *dialog; /* weak */

  guint n_running;
};

G_DEFINE_FINAL_TYPE (DrsTaskActions, drs_task_actions, G_TYPE_OBJECT)

enum
{
  OUTCOME,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const action_names[DRS_TASK_ACTION_N] = {
  [DRS_TASK_ACTION_PAUSE] = "pause",
  [DRS_TASK_ACTION_RESUME] = "resume",
  [DRS_TASK_ACTION_RETRY] = "retry",
};

static gboolean
allowed (DrsTaskActions *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "allow-actions");
}

static gboolean
job_allows (DrsJob *job, DrsTaskAction action)
{
  return !drs_job_get_action_pending (job) &&
         drs_task_action_applies (action, drs_job_get_status (job), drs_job_get_task_mode (job));
}

/**
 * drs_task_actions_get_selected:
 *
 * Returns: (transfer container) (element-type DrsJob): the selected tasks, in view order
 */
GPtrArray *
drs_task_actions_get_selected (DrsTaskActions *self)
{
  GPtrArray *jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  guint         position;

  if (self->selection == NULL)
    return jobs;
  selected = gtk_selection_model_get_selection (self->selection);
  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      g_ptr_array_add (jobs, g_list_model_get_item (G_LIST_MODEL (self->selection), position));
    while (gtk_bitset_iter_next (&iter, &position));
  return jobs;
}

static GPtrArray *
eligible (GPtrArray *jobs, DrsTaskAction action)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < jobs->len; i++)
    if (job_allows (jobs->pdata[i], action))
      g_ptr_array_add (out, g_object_ref (jobs->pdata[i]));
  return out;
}

/**
 * drs_task_actions_update:
 *
 * Enables each action when a selected task allows it. Cheap: called on every selection change
 * and every refresh.
 */
void
drs_task_actions_update (DrsTaskActions *self)
{
  g_autoptr (GPtrArray) jobs = NULL;
  DrsDetails *details = NULL;

  g_return_if_fail (DRS_IS_TASK_ACTIONS (self));

  if (self->window != NULL)
    details = self->details;
  jobs = drs_task_actions_get_selected (self);
  for (guint a = 0; a < DRS_TASK_ACTION_N; a++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->group), action_names[a]);
      gboolean enabled = FALSE;

      for (guint i = 0; i < jobs->len && !enabled; i++)
        enabled = job_allows (jobs->pdata[i], a);
      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled && allowed (self));
      /* The details pane offers what applies, and nothing on a monitoring-only seat. */
      if (details != NULL)
        drs_details_show_action (details, a, enabled && allowed (self));
    }
}

/* Outcome ------------------------------------------------------------------------------------ */

static char *
failure_detail (const GError *error)
{
  const char *code = drs_error_get_server_code (error);
  const char *message = drs_error_get_server_message (error);

  if (code != NULL && message != NULL)
    return g_strdup_printf ("%s %s", code, message);
  return g_strdup (error->message);
}

/**
 * drs_task_actions_describe_result:
 *
 * Returns: (transfer full): the toast for @result, e.g. “3 tasks retried, 1 failed: DRS.M05005
 *   The task's status does not allow this operation.”
 */
char *
drs_task_actions_describe_result (DrsActionResult *result)
{
  guint ok = drs_action_result_count (result, DRS_ACTION_OUTCOME_SUCCESS);
  guint failed = drs_action_result_count (result, DRS_ACTION_OUTCOME_FAILED);
  guint unknown = drs_action_result_count (result, DRS_ACTION_OUTCOME_UNKNOWN);
  g_autoptr (GString) text = g_string_new (NULL);
  DrsTaskAction action = drs_action_result_get_action (result);

  if (ok > 0 || (failed == 0 && unknown == 0))
    switch (action)
      {
        case DRS_TASK_ACTION_PAUSE:
          g_string_append_printf (text, g_dngettext (NULL, "%u task paused", "%u tasks paused", ok),
                                  ok);
          break;
        case DRS_TASK_ACTION_RESUME:
          g_string_append_printf (
              text, g_dngettext (NULL, "%u task resumed", "%u tasks resumed", ok), ok);
          break;
        case DRS_TASK_ACTION_RETRY:
        default:
          g_string_append_printf (
              text, g_dngettext (NULL, "%u task retried", "%u tasks retried", ok), ok);
          break;
      }
  else
    switch (action)
      {
        case DRS_TASK_ACTION_PAUSE:
          g_string_append (text, _ ("Nothing paused"));
          break;
        case DRS_TASK_ACTION_RESUME:
          g_string_append (text, _ ("Nothing resumed"));
          break;
        case DRS_TASK_ACTION_RETRY:
        default:
          g_string_append (text, _ ("Nothing retried"));
          break;
      }

  if (failed > 0)
    {
      const char      *id = drs_action_result_get_first_job (result, DRS_ACTION_OUTCOME_FAILED);
      g_autofree char *detail = failure_detail (drs_action_result_get_error (result, id));

      /* Translators: between the parts of an action's outcome toast */
      g_string_append (text, g_dpgettext2 (NULL, "toast", ", "));
      /* Translators: part of a toast after "3 tasks retried"; %s is the first failure */
      g_string_append_printf (text, g_dngettext (NULL, "%u failed: %s", "%u failed: %s", failed),
                              failed, detail);
    }
  if (unknown > 0)
    {
      const char      *id = drs_action_result_get_first_job (result, DRS_ACTION_OUTCOME_UNKNOWN);
      g_autofree char *detail = failure_detail (drs_action_result_get_error (result, id));

      /* Translators: between the parts of an action's outcome toast */
      g_string_append (text, g_dpgettext2 (NULL, "toast", ", "));
      /* Translators: part of a toast: the answer was lost, the status is being checked */
      g_string_append_printf (
          text, g_dngettext (NULL, "%u not confirmed: %s", "%u not confirmed: %s", unknown),
          unknown, detail);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Acting ------------------------------------------------------------------------------------- */

static void
on_acted (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr (DrsTaskActions) self = user_data;
  g_autoptr (DrsActionResult) result = NULL;
  g_autofree char *text = NULL;

  result = drs_monitor_act_finish (DRS_MONITOR (source), res, NULL);
  self->n_running--;
  drs_task_actions_update (self);
  if (result == NULL || self->window == NULL)
    return;
  text = drs_task_actions_describe_result (result);
  g_signal_emit (self, signals[OUTCOME], 0, text);
  /* The pane's timeline and chart markers show the action. */
  if (self->details != NULL)
    drs_details_reload (self->details);
}

static void
on_dialog_response (DrsActionDialog *dialog, const char *response, DrsTaskActions *self)
{
  if (g_strcmp0 (response, DRS_ACTION_DIALOG_RESPONSE_ACT) != 0 || self->monitor == NULL ||
      !allowed (self))
    return;
  self->n_running++;
  drs_monitor_act_async (self->monitor,
                         &(DrsActionRequest){ drs_action_dialog_get_action (dialog),
                                              drs_action_dialog_get_pause_mode (dialog),
                                              drs_action_dialog_get_job_ids (dialog) },
                         NULL, on_acted, g_object_ref (self));
}

/**
 * drs_task_actions_confirm:
 * @jobs: (element-type DrsJob): the tasks asked about; those whose state does not allow
 *   @action are left alone (and counted in the dialog)
 *
 * Asks for confirmation, then acts. Never acts without it.
 *
 * Returns: (transfer none) (nullable): the dialog shown, or %NULL when no task allows @action
 *   or actions are not allowed
 */
DrsActionDialog *
drs_task_actions_confirm (DrsTaskActions *self, DrsTaskAction action, GPtrArray *jobs)
{
  g_autoptr (GPtrArray) targets = NULL;

  g_return_val_if_fail (DRS_IS_TASK_ACTIONS (self), NULL);

  if (!allowed (self) || self->window == NULL)
    return NULL;
  targets = eligible (jobs, action);
  if (targets->len == 0)
    return NULL;

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  self->dialog = drs_action_dialog_new (self->window, action, targets, jobs->len - targets->len);
  g_object_add_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  g_signal_connect_object (self->dialog, "response", G_CALLBACK (on_dialog_response), self, 0);
  gtk_window_present (GTK_WINDOW (self->dialog));
  return self->dialog;
}

/**
 * drs_task_actions_confirm_ids:
 *
 * drs_task_actions_confirm() for tasks by id (a notification's “Retry…”).
 *
 * Returns: (transfer none) (nullable): the dialog shown
 */
DrsActionDialog *
drs_task_actions_confirm_ids (DrsTaskActions    *self,
                              DrsTaskAction      action,
                              const char *const *job_ids)
{
  g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DRS_IS_TASK_ACTIONS (self), NULL);

  for (guint i = 0; job_ids != NULL && job_ids[i] != NULL; i++)
    {
      DrsJob *job = drs_job_store_lookup (self->store, job_ids[i]);

      if (job != NULL)
        g_ptr_array_add (jobs, g_object_ref (job));
    }
  return drs_task_actions_confirm (self, action, jobs);
}

/**
 * drs_task_actions_get_dialog:
 *
 * Returns: (transfer none) (nullable): the confirmation on screen
 */
DrsActionDialog *
drs_task_actions_get_dialog (DrsTaskActions *self)
{
  g_return_val_if_fail (DRS_IS_TASK_ACTIONS (self), NULL);
  return self->dialog;
}

/**
 * drs_task_actions_get_enabled:
 *
 * Returns: whether @action is offered for the selection now (never with actions not allowed)
 */
gboolean
drs_task_actions_get_enabled (DrsTaskActions *self, DrsTaskAction action)
{
  g_return_val_if_fail (DRS_IS_TASK_ACTIONS (self), FALSE);
  g_return_val_if_fail ((guint) action < DRS_TASK_ACTION_N, FALSE);
  return allowed (self) &&
         g_action_group_get_action_enabled (G_ACTION_GROUP (self->group), action_names[action]);
}

/**
 * drs_task_actions_get_n_running:
 *
 * Returns: actions confirmed whose answer has not come yet
 */
guint
drs_task_actions_get_n_running (DrsTaskActions *self)
{
  g_return_val_if_fail (DRS_IS_TASK_ACTIONS (self), 0);
  return self->n_running;
}

static void
activate_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  DrsTaskActions *self = user_data;
  const char     *name = g_action_get_name (G_ACTION (action));
  g_autoptr (GPtrArray) jobs = drs_task_actions_get_selected (self);

  for (guint a = 0; a < DRS_TASK_ACTION_N; a++)
    if (g_str_equal (name, action_names[a]))
      drs_task_actions_confirm (self, a, jobs);
}

/* Setup -------------------------------------------------------------------------------------- */

static void
on_allow_changed (DrsTaskActions *self)
{
  if (self->window == NULL)
    return;
  /* Removing the group hides the menu items (hidden-when="action-missing"). */
  gtk_widget_insert_action_group (GTK_WIDGET (self->window), GROUP,
                                  allowed (self) ? G_ACTION_GROUP (self->group) : NULL);
  if (!allowed (self) && self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  drs_task_actions_update (self);
}

static void
drs_task_actions_dispose (GObject *object)
{
  DrsTaskActions *self = DRS_TASK_ACTIONS (object);

  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  /* A confirmation for a window that is gone goes with it. */
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (GTK_WINDOW (self->dialog));
    }
  self->dialog = NULL;
  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  self->selection = NULL;
  self->store = NULL;
  self->monitor = NULL;
  self->settings = NULL;
  g_clear_object (&self->group);

  G_OBJECT_CLASS (drs_task_actions_parent_class)->dispose (object);
}

static void
drs_task_actions_class_init (DrsTaskActionsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = drs_task_actions_dispose;

  /**
   * DrsTaskActions::outcome:
   * @text: what came of an action, for a toast
   *
   * An action DRS was asked for has an outcome.
   */
  signals[OUTCOME] = g_signal_new ("outcome", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
drs_task_actions_init (DrsTaskActions *self)
{
  const GActionEntry entries[] = {
    { "pause", activate_action },
    { "resume", activate_action },
    { "retry", activate_action },
  };

  self->group = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->group), entries, G_N_ELEMENTS (entries),
                                   self);
}

/**
 * drs_task_actions_set_details:
 * @details: the window's details pane, built when first needed
 *
 * The pane offers the actions that apply to the selected tasks, and shows what they did.
 */
void
drs_task_actions_set_details (DrsTaskActions *self, DrsDetails *details)
{
  g_return_if_fail (DRS_IS_TASK_ACTIONS (self));

  self->details = details;
  drs_task_actions_update (self);
}

/**
 * drs_task_actions_new:
 * @window: the window the actions belong to (it keeps the returned object)
 * @selection: the window's selection
 *
 * Returns: (transfer full): the actions, inserted into @window as the `task` group
 */
DrsTaskActions *
drs_task_actions_new (GtkWindow *window, GtkSelectionModel *selection, DrsSession *session)
{
  DrsTaskActions *self = g_object_new (DRS_TYPE_TASK_ACTIONS, NULL);

  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  self->selection = selection;
  self->store = drs_session_get_store (session);
  self->monitor = drs_session_get_monitor (session);
  self->settings = drs_session_get_settings (session);

  g_signal_connect_object (selection, "selection-changed", G_CALLBACK (drs_task_actions_update),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (selection, "items-changed", G_CALLBACK (drs_task_actions_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "applied", G_CALLBACK (drs_task_actions_update), self,
                           G_CONNECT_SWAPPED);
  if (self->monitor != NULL)
    g_signal_connect_object (self->monitor, "action-finished", G_CALLBACK (drs_task_actions_update),
                             self, G_CONNECT_SWAPPED);
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::allow-actions",
                             G_CALLBACK (on_allow_changed), self, G_CONNECT_SWAPPED);
  on_allow_changed (self);
  return self;
}

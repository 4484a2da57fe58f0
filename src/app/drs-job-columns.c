/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-job-columns"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-format.h"
#include "drs-job-columns.h"

/**
 * DrsJobColumns:
 *
 * The columns of the task table. A cell is built once per realized row and bound to a job by
 * property notification, so a refresh repaints exactly the cells whose values changed and never
 * rebuilds a row.
 */

typedef struct _Column Column;

typedef GtkWidget *(*CellSetup) (void);
typedef void (*CellUpdate) (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns);
typedef int (*JobCompare) (DrsJob *a, DrsJob *b);
typedef gboolean (*JobKnown) (DrsJob *job);
typedef char *(*JobTooltip) (DrsJob *job);

typedef struct
{
  const char *id;
  const char *title; /* N_() */
  const char *props[4];
  CellSetup   setup;
  CellUpdate  update;
  JobCompare  compare;
  JobKnown    known;   /* nullable: the tasks whose value is unknown sort last either way */
  JobTooltip  tooltip; /* nullable: the text under the pointer, made when asked for */
  int         width;
  gboolean    expand;
} ColumnSpec;

struct _Column
{
  const ColumnSpec    *spec;
  DrsJobColumns       *owner;
  GtkColumnViewColumn *column;
};

typedef struct
{
  Column *column;
  DrsJob *job;
  gulong  handlers[G_N_ELEMENTS (((ColumnSpec *) 0)->props)];
  gulong  stale_handler; /* every cell of a stale row is dimmed */
} CellData;

struct _DrsJobColumns
{
  GtkColumnView *view; /* borrowed */
  GPtrArray     *columns;
  GHashTable    *bound; /* CellData* set */
  gint64         delay_threshold_ms;
  gboolean       descending;  /* the direction of the view's primary sort */
  GtkSorter     *view_sorter; /* the view's, to hear when the user sorts */
  DrsJob        *probes[2];   /* two blank tasks that tell the direction */
};

#define CELL_DATA "drs-cell-data"

/* Cell text is a GtkInscription: unlike a label it does not ask for a new size when its text
 * changes, so a refresh repaints the changed cells without laying out every row again. */
static GtkWidget *
label_new (float xalign)
{
  GtkWidget *text = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (text), xalign);
  gtk_inscription_set_yalign (GTK_INSCRIPTION (text), 0.5);
  /* As tall as its text and centred in the row, cut short or not. */
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (text), 3);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (text), 12);
  gtk_widget_set_hexpand (text, TRUE);
  return text;
}

static void
cell_set_text (GtkWidget *cell, const char *text)
{
  /* A text cell is its inscription, or a box around it. */
  if (!GTK_IS_INSCRIPTION (cell))
    cell = gtk_widget_get_first_child (cell);
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
}

static void
label_take_text (GtkWidget *label, char *text)
{
  cell_set_text (label, text);
  g_free (text);
}

/* Why a stale row's values are old: "Not updated since 10:42:07: <the error>". */
static char *
stale_tooltip (DrsJob *job, char **time_text)
{
  g_autoptr (GDateTime) last = drs_job_dup_last_updated (job);
  g_autofree char *when = NULL;
  char            *tip;

  if (last != NULL)
    {
      g_autoptr (GDateTime) local = g_date_time_to_local (last);

      when = g_date_time_format (local, "%H:%M:%S");
      /* Translators: %s is the time of the last successful update, %s the error */
      tip = g_strdup_printf (_ ("Not updated since %s: %s"), when, drs_job_get_stale_reason (job));
    }
  else
    {
      when = g_strdup ("—");
      /* Translators: %s is the error that stopped the update */
      tip = g_strdup_printf (_ ("Never updated: %s"), drs_job_get_stale_reason (job));
    }
  if (time_text != NULL)
    *time_text = g_steal_pointer (&when);
  return tip;
}

/* Name and id */

static GtkWidget *
name_setup (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = label_new (0);
  GtkWidget *id = label_new (0);

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (name, "job-name");
  gtk_widget_add_css_class (id, "job-id");
  gtk_widget_add_css_class (id, "monospace");
  gtk_widget_add_css_class (id, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), id);
  return box;
}

static void
name_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  GtkWidget  *name = gtk_widget_get_first_child (cell);
  GtkWidget  *id = gtk_widget_get_next_sibling (name);
  const char *job_name = drs_job_get_name (job);

  /* Two lines for every task, so every row is as tall: a task whose name is not known yet says
   * so above its id instead of showing the id twice. */
  cell_set_text (name, job_name != NULL ? job_name : _ ("Unnamed task"));
  if (job_name != NULL)
    gtk_widget_remove_css_class (name, "dim-label");
  else
    gtk_widget_add_css_class (name, "dim-label");
  cell_set_text (id, drs_job_get_id (job));
}

static char *
name_tooltip (DrsJob *job)
{
  g_autofree char *tip = NULL;

  if (!drs_job_get_stale (job))
    return g_strdup (drs_job_get_id (job));
  tip = stale_tooltip (job, NULL);
  return g_strdup_printf ("%s\n%s", drs_job_get_id (job), tip);
}

typedef struct
{
  const char *name; /* the display name the key was made from (owned by the job) */
  char       *key;
} CollateKey;

static void
collate_key_free (gpointer data)
{
  CollateKey *key = data;

  g_free (key->key);
  g_free (key);
}

/* Sorting compares names thousands of times per refresh: collate each name once. */
static const char *
name_key (DrsJob *job)
{
  static GQuark quark;
  const char   *name = drs_job_get_display_name (job);
  CollateKey   *key;

  if (quark == 0)
    quark = g_quark_from_static_string ("drs-name-collate-key");
  key = g_object_get_qdata (G_OBJECT (job), quark);
  if (key == NULL || key->name != name)
    {
      key = g_new0 (CollateKey, 1);
      key->name = name;
      key->key = g_utf8_collate_key (name, -1);
      g_object_set_qdata_full (G_OBJECT (job), quark, key, collate_key_free);
    }
  return key->key;
}

static int
name_compare (DrsJob *a, DrsJob *b)
{
  return strcmp (name_key (a), name_key (b));
}

/* Account */

static void
account_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  const char *account = drs_job_get_account (job);
  cell_set_text (cell, account ? account : "—");
}

static int
account_compare (DrsJob *a, DrsJob *b)
{
  return g_strcmp0 (drs_job_get_account (a), drs_job_get_account (b));
}

/* In a box: on GTK 4.8 an inscription that fills a row draws text it cuts short half a line too
 * high; one centred in a box of its own height does not. */
static GtkWidget *
label_setup (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  gtk_box_append (GTK_BOX (box), label_new (0));
  return box;
}

/* Numbers start where their header starts, as every other column. */
static GtkWidget *
number_setup (void)
{
  GtkWidget *label = label_new (0);

  gtk_widget_add_css_class (label, "numeric");
  return label;
}

/* Task mode */

static void
mode_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  DrsTaskMode mode = drs_job_get_task_mode (job);
  const char *raw = drs_job_get_task_mode_raw (job);

  if (mode == DRS_TASK_MODE_UNKNOWN)
    cell_set_text (cell, raw ? raw : "—");
  else
    cell_set_text (cell, drs_task_mode_get_label (mode));
}

static int
mode_compare (DrsJob *a, DrsJob *b)
{
  return (int) drs_job_get_task_mode (a) - (int) drs_job_get_task_mode (b);
}

/* Status: icon and label, coloured by class */

static GtkWidget *
status_setup (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = label_new (0);

  gtk_widget_add_css_class (box, "job-status");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
status_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  static const char *const classes[] = { "status-unknown", "status-pending",  "status-running",
                                         "status-paused",  "status-finished", "status-failed" };
  GtkWidget               *icon = gtk_widget_get_first_child (cell);
  GtkWidget               *label = gtk_widget_get_next_sibling (icon);
  DrsStatusClass           status_class = drs_job_get_status_class (job);
  const char              *text = drs_job_get_status_label (job);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), drs_status_class_get_icon_name (status_class));
  cell_set_text (label, text);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (i == (guint) status_class)
      gtk_widget_add_css_class (cell, classes[i]);
    else
      gtk_widget_remove_css_class (cell, classes[i]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  drs_status_class_get_label (status_class), -1);
}

static char *
status_tooltip (DrsJob *job)
{
  return g_strdup (drs_job_get_status_raw (job));
}

static int
status_compare (DrsJob *a, DrsJob *b)
{
  /* Failed first when ascending: what needs attention. */
  static const int rank[] = { 5, 2, 1, 3, 4, 0 };
  int              r = rank[drs_job_get_status_class (a)] - rank[drs_job_get_status_class (b)];

  if (r != 0)
    return r;
  r = (int) drs_job_get_status (a) - (int) drs_job_get_status (b);
  if (r != 0)
    return r;
  return g_strcmp0 (drs_job_get_status_raw (a), drs_job_get_status_raw (b));
}

/* Overall progress */

static GtkWidget *
progress_setup (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *label = label_new (1);

  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (bar, 40, -1);
  gtk_widget_add_css_class (label, "numeric");
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 5);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), 5);
  gtk_widget_set_hexpand (label, FALSE);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
progress_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  GtkWidget       *bar = gtk_widget_get_first_child (cell);
  GtkWidget       *label = gtk_widget_get_next_sibling (bar);
  double           progress = drs_job_get_progress (job);
  g_autofree char *text = drs_format_percent (progress);

  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), progress < 0 ? 0 : progress / 100.0);
  gtk_widget_set_opacity (bar, progress < 0 ? 0.3 : 1.0);
  cell_set_text (label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, MAX (progress, 0.0),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
}

/* Numbers as numbers: the column's known() puts unknown values aside first. */
static int
compare_numbers (double a, double b)
{
  return (a > b) - (a < b);
}

static gboolean
progress_known (DrsJob *job)
{
  return drs_job_get_progress (job) >= 0;
}

static int
progress_compare (DrsJob *a, DrsJob *b)
{
  return compare_numbers (drs_job_get_progress (a), drs_job_get_progress (b));
}

/* Structure / data / index */

static void
phases_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  g_autofree char *s = NULL, *d = NULL, *i = NULL, *text = NULL;

  if (!drs_job_get_has_phases (job))
    {
      cell_set_text (cell, "");
      return;
    }

  s = drs_format_percent (drs_job_get_phase_progress (job, DRS_PHASE_STRUCT));
  d = drs_format_percent (drs_job_get_phase_progress (job, DRS_PHASE_DATA));
  i = drs_format_percent (drs_job_get_phase_progress (job, DRS_PHASE_INDEX));
  text = g_strdup_printf ("%s · %s · %s", s, d, i);
  cell_set_text (cell, text);
}

static char *
phases_tooltip (DrsJob *job)
{
  g_autofree char *s = NULL, *d = NULL, *i = NULL;

  if (!drs_job_get_has_phases (job))
    return NULL;
  s = drs_format_percent (drs_job_get_phase_progress (job, DRS_PHASE_STRUCT));
  d = drs_format_percent (drs_job_get_phase_progress (job, DRS_PHASE_DATA));
  i = drs_format_percent (drs_job_get_phase_progress (job, DRS_PHASE_INDEX));
  /* Translators: the three phases of a full migration, each a percentage */
  return g_strdup_printf (_ ("Structure %s, data %s, index %s"), s, d, i);
}

static gboolean
phases_known (DrsJob *job)
{
  return drs_job_get_has_phases (job) && drs_job_get_phase_progress (job, DRS_PHASE_DATA) >= 0;
}

static int
phases_compare (DrsJob *a, DrsJob *b)
{
  return compare_numbers (drs_job_get_phase_progress (a, DRS_PHASE_DATA),
                          drs_job_get_phase_progress (b, DRS_PHASE_DATA));
}

/* Incremental delay */

/* Wide enough for the longest delay ("23 h 59 min", bold): an alarming value is never cut. */
static GtkWidget *
delay_setup (void)
{
  GtkWidget *label = number_setup ();

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 12);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), 12);
  return label;
}

static void
delay_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  gint64 delay = drs_job_get_delay_ms (job);

  label_take_text (cell, drs_format_delay (delay));
  if (delay >= 0 && columns->delay_threshold_ms > 0 && delay >= columns->delay_threshold_ms)
    gtk_widget_add_css_class (cell, "delay-high");
  else
    gtk_widget_remove_css_class (cell, "delay-high");
}

static gboolean
delay_known (DrsJob *job)
{
  return drs_job_get_delay_ms (job) >= 0;
}

static int
delay_compare (DrsJob *a, DrsJob *b)
{
  return compare_numbers (drs_job_get_delay_ms (a), drs_job_get_delay_ms (b));
}

/* Remaining time */

/* A failed, paused, pending or finished task has nothing left that the server can time. */
static gint64
remaining_of (DrsJob *job)
{
  return drs_job_get_status_class (job) == DRS_STATUS_CLASS_RUNNING ? drs_job_get_remaining_s (job)
                                                                    : -1;
}

static void
remaining_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  label_take_text (cell, drs_format_duration (remaining_of (job)));
}

static gboolean
remaining_known (DrsJob *job)
{
  return remaining_of (job) >= 0;
}

static int
remaining_compare (DrsJob *a, DrsJob *b)
{
  return compare_numbers (remaining_of (a), remaining_of (b));
}

/* Last processed */

static void
processed_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  g_autoptr (GDateTime) time = drs_job_dup_process_time (job);
  label_take_text (cell, drs_format_date_time (time));
}

static gboolean
processed_known (DrsJob *job)
{
  return drs_job_get_process_time_ms (job) >= 0;
}

static int
processed_compare (DrsJob *a, DrsJob *b)
{
  return compare_numbers (drs_job_get_process_time_ms (a), drs_job_get_process_time_ms (b));
}

/* Error */

static char *
error_tooltip (DrsJob *job)
{
  const char *code = drs_job_get_error_code (job);
  const char *message = drs_job_get_error_message (job);

  if (code == NULL)
    return NULL;
  return message ? g_strdup_printf ("%s: %s", code, message) : g_strdup (code);
}

static void
error_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  g_autofree char *text = error_tooltip (job);

  cell_set_text (cell, text ? text : "");
}

static gboolean
error_known (DrsJob *job)
{
  return drs_job_get_error_code (job) != NULL;
}

static int
error_compare (DrsJob *a, DrsJob *b)
{
  return g_strcmp0 (drs_job_get_error_code (a), drs_job_get_error_code (b));
}

/* Stale marker */

static GtkWidget *
stale_setup (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *icon = gtk_image_new_from_icon_name ("network-offline-symbolic");
  GtkWidget *label = label_new (0);

  gtk_widget_add_css_class (box, "stale");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
stale_update (GtkWidget *cell, DrsJob *job, DrsJobColumns *columns)
{
  GtkWidget       *icon = gtk_widget_get_first_child (cell);
  GtkWidget       *label = gtk_widget_get_next_sibling (icon);
  g_autofree char *time_text = NULL;
  g_autofree char *tip = NULL;

  if (!drs_job_get_stale (job))
    {
      gtk_widget_set_visible (icon, FALSE);
      cell_set_text (label, "");
      return;
    }

  tip = stale_tooltip (job, &time_text);
  gtk_widget_set_visible (icon, TRUE);
  cell_set_text (label, time_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
}

static char *
stale_cell_tooltip (DrsJob *job)
{
  return drs_job_get_stale (job) ? stale_tooltip (job, NULL) : NULL;
}

static int
stale_compare (DrsJob *a, DrsJob *b)
{
  return (int) drs_job_get_stale (b) - (int) drs_job_get_stale (a);
}

/* What a DBA looks at first comes first: the task, its status and its delay. */
static const ColumnSpec specs[] = {
  { "name",
    N_ ("Task"),
    { "display-name", "name", "stale-reason" },
    name_setup,
    name_update,
    name_compare,
    NULL,
    name_tooltip,
    200,
    TRUE },
  { "account",
    N_ ("Account"),
    { "account" },
    label_setup,
    account_update,
    account_compare,
    NULL,
    NULL,
    110 },
  { "status",
    N_ ("Status"),
    { "status-label", "status-class" },
    status_setup,
    status_update,
    status_compare,
    NULL,
    status_tooltip,
    190 },
  { "delay",
    N_ ("Delay"),
    { "delay-ms" },
    delay_setup,
    delay_update,
    delay_compare,
    delay_known,
    NULL,
    110 },
  { "remaining",
    N_ ("Remaining"),
    { "remaining-s", "status-class" },
    number_setup,
    remaining_update,
    remaining_compare,
    remaining_known,
    NULL,
    100 },
  { "progress",
    N_ ("Progress"),
    { "progress" },
    progress_setup,
    progress_update,
    progress_compare,
    progress_known,
    NULL,
    140 },
  { "phases",
    N_ ("Phases"),
    { "has-phases", "struct-progress", "data-progress", "index-progress" },
    number_setup,
    phases_update,
    phases_compare,
    phases_known,
    phases_tooltip,
    150 },
  { "mode",
    N_ ("Mode"),
    { "task-mode", "task-mode-raw" },
    label_setup,
    mode_update,
    mode_compare,
    NULL,
    NULL,
    130 },
  { "processed",
    N_ ("Last Processed"),
    { "process-time" },
    label_setup,
    processed_update,
    processed_compare,
    processed_known,
    NULL,
    150 },
  { "error",
    N_ ("Error"),
    { "error-code", "error-message" },
    label_setup,
    error_update,
    error_compare,
    error_known,
    error_tooltip,
    180 },
  { "stale",
    N_ ("Stale"),
    { "stale", "stale-reason" },
    stale_setup,
    stale_update,
    stale_compare,
    NULL,
    stale_cell_tooltip,
    90 },
};

static void
cell_data_free (gpointer data)
{
  g_free (data);
}

/* Tooltips are made when the pointer asks: setting one on every update would ask the display
 * server where the pointer is, once per cell, on every refresh. */
static gboolean
on_query_tooltip (
    GtkWidget *cell, int x, int y, gboolean keyboard, GtkTooltip *tooltip, Column *column)
{
  g_autofree char *text = drs_job_columns_dup_cell_tooltip (cell);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/**
 * drs_job_columns_dup_cell_tooltip:
 * @cell: a cell of the table
 *
 * Returns: (transfer full) (nullable): what the cell's tooltip says now
 */
char *
drs_job_columns_dup_cell_tooltip (GtkWidget *cell)
{
  CellData *data = g_object_get_data (G_OBJECT (cell), CELL_DATA);

  if (data == NULL || data->job == NULL || data->column->spec->tooltip == NULL)
    return NULL;
  return data->column->spec->tooltip (data->job);
}

static void
on_setup (GtkSignalListItemFactory *factory, GtkListItem *item, Column *column)
{
  GtkWidget *cell = column->spec->setup ();
  CellData  *data = g_new0 (CellData, 1);

  data->column = column;
  g_object_set_data_full (G_OBJECT (cell), CELL_DATA, data, cell_data_free);
  gtk_widget_add_css_class (cell, "job-cell");
  gtk_widget_set_name (cell, column->spec->id);
  if (column->spec->tooltip != NULL)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (on_query_tooltip), column);
    }
  gtk_list_item_set_child (item, cell);
}

static void
cell_update (GtkWidget *cell, DrsJob *job, Column *column)
{
  column->spec->update (cell, job, column->owner);
  if (drs_job_get_stale (job))
    gtk_widget_add_css_class (cell, "stale-row");
  else
    gtk_widget_remove_css_class (cell, "stale-row");
}

static void
on_job_notify (DrsJob *job, GParamSpec *pspec, GtkWidget *cell)
{
  CellData *data = g_object_get_data (G_OBJECT (cell), CELL_DATA);
  cell_update (cell, job, data->column);
}

static void
on_bind (GtkSignalListItemFactory *factory, GtkListItem *item, Column *column)
{
  GtkWidget *cell = gtk_list_item_get_child (item);
  CellData  *data = g_object_get_data (G_OBJECT (cell), CELL_DATA);
  DrsJob    *job = gtk_list_item_get_item (item);

  data->job = job;
  for (guint i = 0; i < G_N_ELEMENTS (column->spec->props) && column->spec->props[i]; i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", column->spec->props[i], NULL);
      data->handlers[i] = g_signal_connect (job, signal, G_CALLBACK (on_job_notify), cell);
    }
  data->stale_handler = g_signal_connect (job, "notify::stale", G_CALLBACK (on_job_notify), cell);
  g_hash_table_add (column->owner->bound, cell);
  cell_update (cell, job, column);
}

static void
cell_unbind (Column *column, GtkWidget *cell)
{
  CellData *data = g_object_get_data (G_OBJECT (cell), CELL_DATA);

  if (data->job != NULL)
    for (guint i = 0; i < G_N_ELEMENTS (data->handlers); i++)
      g_clear_signal_handler (&data->handlers[i], data->job);
  if (data->job != NULL)
    g_clear_signal_handler (&data->stale_handler, data->job);
  data->job = NULL;
  g_hash_table_remove (column->owner->bound, cell);
}

static void
on_unbind (GtkSignalListItemFactory *factory, GtkListItem *item, Column *column)
{
  cell_unbind (column, gtk_list_item_get_child (item));
}

static void
on_teardown (GtkSignalListItemFactory *factory, GtkListItem *item, Column *column)
{
  GtkWidget *cell = gtk_list_item_get_child (item);

  /* A cell torn down while still bound must not stay connected to its job. */
  if (cell != NULL)
    cell_unbind (column, cell);
}

static int
sort_func (gconstpointer a, gconstpointer b, gpointer user_data)
{
  Column           *column = user_data;
  const ColumnSpec *spec = column->spec;
  int               r = 0;

  if (spec->known != NULL)
    {
      gboolean x = spec->known ((DrsJob *) a), y = spec->known ((DrsJob *) b);

      /* Unknown last in both directions: the view inverts what this says when descending. */
      if (x != y)
        r = (x ? -1 : 1) * (column->owner->descending ? -1 : 1);
      else if (x)
        r = spec->compare ((DrsJob *) a, (DrsJob *) b);
    }
  else
    r = spec->compare ((DrsJob *) a, (DrsJob *) b);

  if (r == 0) /* a stable, total order: ties by id */
    r = strcmp (drs_job_get_id ((DrsJob *) a), drs_job_get_id ((DrsJob *) b));
  return r < 0 ? GTK_ORDERING_SMALLER : r > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static void
column_free (gpointer data)
{
  Column *column = data;

  g_clear_object (&column->column);
  g_free (column);
}

/* GTK 4.8 does not say which way the view sorts: ask it to order two blank tasks, which every
 * column finds equal and then orders by id ascending. Runs before the sort model re-sorts. */
static void
on_view_sorter_changed (GtkSorter *sorter, GtkSorterChange change, DrsJobColumns *self)
{
  self->descending =
      gtk_sorter_compare (sorter, self->probes[0], self->probes[1]) == GTK_ORDERING_LARGER;
}

/**
 * drs_job_columns_new:
 * @view: the column view to fill
 *
 * Returns: (transfer full): the columns, to free with the view
 */
DrsJobColumns *
drs_job_columns_new (GtkColumnView *view)
{
  DrsJobColumns *self = g_new0 (DrsJobColumns, 1);

  self->view = view;
  self->columns = g_ptr_array_new_with_free_func (column_free);
  self->bound = g_hash_table_new (NULL, NULL);
  self->delay_threshold_ms = 300 * 1000;

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      Column             *column = g_new0 (Column, 1);
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr (GtkSorter) sorter = NULL;

      column->spec = &specs[i];
      column->owner = self;
      g_signal_connect (factory, "setup", G_CALLBACK (on_setup), column);
      g_signal_connect (factory, "bind", G_CALLBACK (on_bind), column);
      g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind), column);
      g_signal_connect (factory, "teardown", G_CALLBACK (on_teardown), column);

      column->column = gtk_column_view_column_new (_ (specs[i].title), factory);
      sorter = GTK_SORTER (gtk_custom_sorter_new (sort_func, column, NULL));
      gtk_column_view_column_set_sorter (column->column, sorter);
      gtk_column_view_column_set_resizable (column->column, TRUE);
      gtk_column_view_column_set_expand (column->column, specs[i].expand);
      gtk_column_view_column_set_fixed_width (column->column, specs[i].width);
      g_object_set_data (G_OBJECT (column->column), "drs-column-id", (gpointer) specs[i].id);
      gtk_column_view_append_column (view, column->column);
      g_ptr_array_add (self->columns, column);
    }

  self->probes[0] = drs_job_new ("0");
  self->probes[1] = drs_job_new ("1");
  self->view_sorter = g_object_ref (gtk_column_view_get_sorter (view));
  g_signal_connect (self->view_sorter, "changed", G_CALLBACK (on_view_sorter_changed), self);

  drs_job_columns_set_show_account (self, FALSE);
  return self;
}

void
drs_job_columns_free (DrsJobColumns *self)
{
  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->view_sorter, self);
  g_clear_object (&self->view_sorter);
  g_clear_object (&self->probes[0]);
  g_clear_object (&self->probes[1]);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_free (self);
}

static void
update_all (DrsJobColumns *self)
{
  GHashTableIter iter;
  gpointer       key;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GtkWidget *cell = key;
      CellData  *data = g_object_get_data (G_OBJECT (cell), CELL_DATA);

      if (data->job != NULL)
        cell_update (cell, data->job, data->column);
    }
}

/**
 * drs_job_columns_set_delay_threshold:
 *
 * Delays at or above @threshold_ms are highlighted.
 */
void
drs_job_columns_set_delay_threshold (DrsJobColumns *self, gint64 threshold_ms)
{
  if (self->delay_threshold_ms == threshold_ms)
    return;
  self->delay_threshold_ms = threshold_ms;
  update_all (self);
}

void
drs_job_columns_set_show_account (DrsJobColumns *self, gboolean show)
{
  GtkColumnViewColumn *column = drs_job_columns_get_column (self, "account");
  gtk_column_view_column_set_visible (column, show);
}

/**
 * drs_job_columns_retranslate:
 *
 * Re-labels the headers and every visible cell in the language now in force.
 */
void
drs_job_columns_retranslate (DrsJobColumns *self)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = self->columns->pdata[i];
      gtk_column_view_column_set_title (column->column, _ (column->spec->title));
    }
  update_all (self);
}

/**
 * drs_job_columns_get_column:
 *
 * Returns: (transfer none) (nullable): the column with the given id
 */
GtkColumnViewColumn *
drs_job_columns_get_column (DrsJobColumns *self, const char *id)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = self->columns->pdata[i];
      if (g_str_equal (column->spec->id, id))
        return column->column;
    }
  return NULL;
}

/**
 * drs_job_columns_get_column_id:
 *
 * Returns: (nullable): the id of @column, %NULL when it is not one of ours
 */
const char *
drs_job_columns_get_column_id (DrsJobColumns *self, GtkColumnViewColumn *column)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = self->columns->pdata[i];
      if (c->column == column)
        return c->spec->id;
    }
  return NULL;
}

/**
 * drs_job_columns_save_widths:
 *
 * Returns: (transfer floating): an `a{si}` of column id → width
 */
GVariant *
drs_job_columns_save_widths (DrsJobColumns *self)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{si}"));
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = self->columns->pdata[i];
      int     width = gtk_column_view_column_get_fixed_width (column->column);

      if (width > 0)
        g_variant_builder_add (&builder, "{si}", column->spec->id, width);
    }
  return g_variant_builder_end (&builder);
}

void
drs_job_columns_restore_widths (DrsJobColumns *self, GVariant *widths)
{
  GVariantIter iter;
  const char  *id;
  int          width;

  if (widths == NULL || !g_variant_is_of_type (widths, G_VARIANT_TYPE ("a{si}")))
    return;

  g_variant_iter_init (&iter, widths);
  while (g_variant_iter_next (&iter, "{&si}", &id, &width))
    {
      GtkColumnViewColumn *column = drs_job_columns_get_column (self, id);

      if (column != NULL && width >= 40 && width <= 2000)
        gtk_column_view_column_set_fixed_width (column, width);
    }
}

/**
 * drs_job_columns_get_n_bound:
 *
 * Returns: how many cells are bound to a job now (what a refresh may repaint)
 */
guint
drs_job_columns_get_n_bound (DrsJobColumns *self)
{
  return g_hash_table_size (self->bound);
}

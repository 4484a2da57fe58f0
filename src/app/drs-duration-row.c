/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-duration-row"

#include "config.h"

#include <glib/gi18n.h>

#include "drs-duration-row.h"

/**
 * DrsDurationRow:
 *
 * A row that edits a duration kept in seconds (a refresh interval, a grace period) as a number
 * and a unit: "15 minutes" rather than "900". It opens on the largest unit that shows the value
 * exactly, keeps the unit the user picked while the value fits it, and clamps to its bounds.
 * Bind #DrsDurationRow:seconds to a setting.
 */
struct _DrsDurationRow
{
  AdwActionRow parent_instance;

  /* owned by the row's widget tree */
  GtkSpinButton *spin;
  GtkDropDown   *units;

  guint    seconds;
  guint    lower;
  guint    upper;
  guint    unit; /* index into unit_seconds */
  gboolean syncing;
};

G_DEFINE_FINAL_TYPE (DrsDurationRow, drs_duration_row, ADW_TYPE_ACTION_ROW)

enum
{
  PROP_0,
  PROP_SECONDS,
  PROP_LOWER,
  PROP_UPPER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const guint unit_seconds[] = { 1, 60, 3600 };

static GListModel *
unit_model (void)
{
  const char *const labels[] = { _ ("seconds"), _ ("minutes"), _ ("hours"), NULL };

  return G_LIST_MODEL (gtk_string_list_new (labels));
}

/* The bounds in @unit: whole numbers of it that lie within [lower, upper]. */
static void
bounds_in_unit (DrsDurationRow *self, guint unit, guint *lower, guint *upper)
{
  guint size = unit_seconds[unit];

  *lower = (self->lower + size - 1) / size;
  *upper = MAX (self->upper / size, *lower);
}

/* The largest unit that shows @seconds exactly, within the bounds. */
static guint
pick_unit (DrsDurationRow *self, guint seconds)
{
  for (guint u = G_N_ELEMENTS (unit_seconds); u-- > 0;)
    {
      guint lower, upper;

      bounds_in_unit (self, u, &lower, &upper);
      if (seconds > 0 && seconds % unit_seconds[u] == 0 && seconds / unit_seconds[u] >= lower &&
          seconds / unit_seconds[u] <= upper)
        return u;
    }
  return 0;
}

static void
show (DrsDurationRow *self)
{
  GtkAdjustment *adjustment = gtk_spin_button_get_adjustment (self->spin);
  guint          lower, upper;

  bounds_in_unit (self, self->unit, &lower, &upper);
  self->syncing = TRUE;
  gtk_adjustment_configure (adjustment, (double) self->seconds / unit_seconds[self->unit], lower,
                            upper, 1, 10, 0);
  gtk_spin_button_set_digits (self->spin, self->seconds % unit_seconds[self->unit] ? 1 : 0);
  gtk_drop_down_set_selected (self->units, self->unit);
  self->syncing = FALSE;
}

static void
store (DrsDurationRow *self, guint seconds)
{
  seconds = CLAMP (seconds, self->lower, self->upper);
  if (self->seconds == seconds)
    return;
  self->seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECONDS]);
}

static void
on_value_changed (DrsDurationRow *self)
{
  double value;

  if (self->syncing)
    return;
  value = gtk_spin_button_get_value (self->spin);
  store (self, (guint) (value * unit_seconds[self->unit] + 0.5));
  show (self);
}

/* A new unit keeps the number: "15" seconds becomes 15 minutes, within the bounds. */
static void
on_unit_changed (DrsDurationRow *self)
{
  guint unit = gtk_drop_down_get_selected (self->units);
  guint lower, upper;
  guint number;

  if (self->syncing || unit >= G_N_ELEMENTS (unit_seconds) || unit == self->unit)
    return;
  number = (guint) (gtk_spin_button_get_value (self->spin) + 0.5);
  self->unit = unit;
  bounds_in_unit (self, unit, &lower, &upper);
  store (self, CLAMP (number, lower, upper) * unit_seconds[unit]);
  show (self);
}

static void
drs_duration_row_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DrsDurationRow *self = DRS_DURATION_ROW (object);

  switch (prop_id)
    {
      case PROP_SECONDS:
        g_value_set_uint (value, self->seconds);
        break;
      case PROP_LOWER:
        g_value_set_uint (value, self->lower);
        break;
      case PROP_UPPER:
        g_value_set_uint (value, self->upper);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_duration_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DrsDurationRow *self = DRS_DURATION_ROW (object);

  switch (prop_id)
    {
      case PROP_SECONDS:
        drs_duration_row_set_seconds (self, g_value_get_uint (value));
        break;
      case PROP_LOWER:
        self->lower = g_value_get_uint (value);
        self->upper = MAX (self->upper, self->lower);
        self->unit = pick_unit (self, self->seconds);
        show (self);
        break;
      case PROP_UPPER:
        self->upper = MAX (g_value_get_uint (value), self->lower);
        self->unit = pick_unit (self, self->seconds);
        show (self);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
drs_duration_row_class_init (DrsDurationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = drs_duration_row_get_property;
  object_class->set_property = drs_duration_row_set_property;

  properties[PROP_SECONDS] =
      g_param_spec_uint ("seconds", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOWER] =
      g_param_spec_uint ("lower", NULL, NULL, 0, G_MAXUINT, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UPPER] =
      g_param_spec_uint ("upper", NULL, NULL, 0, G_MAXUINT, 86400,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
drs_duration_row_init (DrsDurationRow *self)
{
  g_autoptr (GListModel) units = unit_model ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->upper = 86400;
  self->spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 86400, 1));
  gtk_spin_button_set_numeric (self->spin, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->spin), 4);
  gtk_widget_set_valign (GTK_WIDGET (self->spin), GTK_ALIGN_CENTER);
  self->units = GTK_DROP_DOWN (gtk_drop_down_new (g_object_ref (units), NULL));
  gtk_widget_set_valign (GTK_WIDGET (self->units), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->spin));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->units));
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), box);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->spin));
  show (self);
  g_signal_connect_swapped (self->spin, "value-changed", G_CALLBACK (on_value_changed), self);
  g_signal_connect_swapped (self->units, "notify::selected", G_CALLBACK (on_unit_changed), self);
}

GtkWidget *
drs_duration_row_new (void)
{
  return g_object_new (DRS_TYPE_DURATION_ROW, NULL);
}

guint
drs_duration_row_get_seconds (DrsDurationRow *self)
{
  g_return_val_if_fail (DRS_IS_DURATION_ROW (self), 0);
  return self->seconds;
}

void
drs_duration_row_set_seconds (DrsDurationRow *self, guint seconds)
{
  g_return_if_fail (DRS_IS_DURATION_ROW (self));

  /* The setting echoing what the user just entered keeps the unit the user chose. */
  if (CLAMP (seconds, self->lower, self->upper) == self->seconds)
    return;
  store (self, seconds);
  self->unit = pick_unit (self, self->seconds);
  show (self);
}

/**
 * drs_duration_row_get_unit:
 *
 * Returns: the seconds in the unit shown: 1, 60 or 3600
 */
guint
drs_duration_row_get_unit (DrsDurationRow *self)
{
  g_return_val_if_fail (DRS_IS_DURATION_ROW (self), 1);
  return unit_seconds[self->unit];
}

/**
 * drs_duration_row_get_spin_button:
 *
 * Returns: (transfer none): the number
 */
GtkSpinButton *
drs_duration_row_get_spin_button (DrsDurationRow *self)
{
  g_return_val_if_fail (DRS_IS_DURATION_ROW (self), NULL);
  return self->spin;
}

/**
 * drs_duration_row_get_unit_dropdown:
 *
 * Returns: (transfer none): the unit
 */
GtkDropDown *
drs_duration_row_get_unit_dropdown (DrsDurationRow *self)
{
  g_return_val_if_fail (DRS_IS_DURATION_ROW (self), NULL);
  return self->units;
}

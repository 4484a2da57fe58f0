/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window with 100, 10,000 and 100,000 watched tasks, each size in a fresh process:
 *
 *   bench-window [--baseline] [--startup-runs K] [SIZES...]
 *                                  the table (default 100 10000 100000)
 *   bench-window --size N          one row (what the table runs)
 *   bench-window --first-frame N|empty|empty-app
 *                                  one start-up, to the first frame (what --baseline runs)
 *
 * Needs a display (Xvfb) and a D-Bus session: `dbus-run-session -- xvfb-run -a bench-window`.
 * Figures: start to first painted frame; a refresh of every task applied in place (the app's own
 * work, then pixels, and the longest main-loop stall) side by side with rebuilding the rows; a
 * re-sort and a filter keystroke to pixels; the process's memory; the renderer that painted.
 *
 * The app chooses its renderer as drs-monitor's main() does (drs_renderer_prepare()): Cairo where
 * GTK would paint with a software GL rasterizer. GSK_RENDERER=gl in the environment overrides
 * the app's choice, as it does for drs-monitor.
 *
 * `--baseline` adds the start-up baseline: an empty libadwaita window with a header bar, painted
 * as GTK chooses and as the app chooses. One start-up varies by a fifth from run to run here, so
 * the empty windows and every size are started K times in turn (default 7), and the medians are
 * printed side by side. With BENCH_TRACE=1, `--size` and `--first-frame` print on stderr when
 * start-up reached each phase. */
#include "config.h"

#include <locale.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "drs-application.h"
#include "drs-renderer.h"
#include "drs-window.h"

static gint64 t_start;

typedef struct
{
  gint64   last_paint_us;
  guint    paints;
  gint64   last_tick_us;
  gint64   max_gap_us;
  gboolean watching;
} Probe;

static Probe probe;

/* --first-frame: stop at the first frame, print its time and the renderer. */
static gboolean first_frame_only;

/* BENCH_TRACE=1: when start-up reached @phase (at @time_us, monotonic), on stderr. */
static void
trace_at (const char *phase, gint64 time_us)
{
  if (g_getenv ("BENCH_TRACE"))
    g_printerr ("%s %.0f ms\n", phase, (time_us - t_start) / 1000.0);
}

static void
trace (const char *phase)
{
  trace_at (phase, g_get_monotonic_time ());
}

/* At the end of the paint phase the frame is on its way to the display server; what the window
 * does after a paint (the table's rows join after its first frame) is not counted in it. */
static void
on_painted (GdkFrameClock *clock, gpointer data)
{
  probe.last_paint_us = g_get_monotonic_time ();
  probe.paints++;
}

/* A 1 ms heartbeat: the longest gap between beats is the longest main-loop stall. */
static gboolean
on_heartbeat (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (probe.watching && probe.last_tick_us > 0)
    probe.max_gap_us = MAX (probe.max_gap_us, now - probe.last_tick_us);
  probe.last_tick_us = now;
  return G_SOURCE_CONTINUE;
}

static void
iterate_until_paint_after (gint64 since_us, GtkWidget *widget)
{
  gtk_widget_queue_draw (widget);
  while (probe.last_paint_us <= since_us)
    g_main_context_iteration (NULL, TRUE);
}

static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static GPtrArray *
make_snapshots (guint n, guint round)
{
  GPtrArray *snapshots = g_ptr_array_new_full (n, (GDestroyNotify) drs_snapshot_free);
  GRand     *rand = g_rand_new_with_seed (round * 7919 + n);

  for (guint i = 0; i < n; i++)
    {
      char         id[64];
      DrsSnapshot *snap;

      g_snprintf (id, sizeof id, "%08x-aaaa-4bbb-8ccc-%012u", i, i);
      snap = drs_snapshot_new (id);
      snap->progress = g_rand_int_range (rand, 0, 101);
      snap->delay_ms = g_rand_int_range (rand, 0, 600000);
      snap->remaining_s = g_rand_int_range (rand, 0, 7200);
      snap->process_time_ms = G_GINT64_CONSTANT (1700000000000) + i * 1000 + round;
      snap->task_mode = DRS_TASK_MODE_FULL_INCR_TRANS;
      snap->task_mode_raw = drs_task_mode_to_string (snap->task_mode);
      snap->status = (i % 13 == 0) ? DRS_JOB_STATUS_INCRE_TRANSFER_FAILED
                                   : DRS_JOB_STATUS_INCRE_TRANSFER_STARTED;
      snap->status_raw = drs_job_status_to_string (snap->status);
      g_ptr_array_add (snapshots, snap);
    }
  g_rand_free (rand);
  return snapshots;
}

static gsize
rss_bytes (void)
{
  g_autofree char *statm = NULL;
  gsize            pages = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    {
      char **fields = g_strsplit (statm, " ", 3);
      pages = g_ascii_strtoull (fields[1], NULL, 10);
      g_strfreev (fields);
    }
  return pages * sysconf (_SC_PAGESIZE);
}

static gboolean
sorted_by_progress (GListModel *model)
{
  double last = -1;
  guint  n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (DrsJob) job = g_list_model_get_item (model, i);
      double v = drs_job_get_progress (job);

      if (v < last)
        return FALSE;
      last = v;
    }
  return TRUE;
}

static gboolean search_done;

/* An emission hook runs before every handler: the time includes the window's filtering. */
static gboolean
on_search_changed (GSignalInvocationHint *hint, guint n_values, const GValue *values, gpointer when)
{
  *(gint64 *) when = g_get_monotonic_time ();
  search_done = TRUE;
  return FALSE;
}

/* Which renderer paints @widget's window: "cairo", "gl", or GSK's type name for another. */
static const char *
renderer_name (GtkWidget *widget)
{
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  const char  *type = renderer != NULL ? G_OBJECT_TYPE_NAME (renderer) : "none";

  if (g_str_equal (type, "GskCairoRenderer"))
    return "cairo";
  if (g_str_equal (type, "GskGLRenderer") || g_str_equal (type, "GskNglRenderer"))
    return "gl";
  return type;
}

static int
run_one (guint n)
{
  g_autoptr (DrsApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) initial = NULL;
  g_autoptr (GPtrArray) refresh = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (DrsCredentials) credentials = NULL;
  g_autoptr (DrsClient) client = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-window-XXXXXX", NULL);
  g_autofree char *history = g_build_filename (dir, "history.db", NULL);
  g_autofree char *app_id = g_strdup_printf ("%s.Bench%u", APPLICATION_ID, n);
  DrsJobStore     *store;
  DrsWindow       *window;
  GdkFrameClock   *clock;
  gint64           first_frame_us, rows_frame_us, t0, applied_us, rebuild_applied_us, pixels_us,
      rebuild_pixels_us;
  gint64             stall_us, rebuild_stall_us, sort_us, filter_us, search_at = 0;
  gboolean           sort_ok;
  GtkSelectionModel *selection;
  DrsJob            *selected;
  gboolean           selection_kept, rebuild_selection_kept;

  g_setenv ("DRS_MONITOR_HISTORY", history, TRUE);
  gtk_init ();
  adw_init ();
  trace ("init");

  app = drs_application_new ();
  g_application_set_application_id (G_APPLICATION (app), app_id);
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_COMMAND_LINE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);

  trace ("registered");
  store = drs_session_get_store (drs_application_get_session (app));
  trace ("session");
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (ids, g_strdup_printf ("%08x-aaaa-4bbb-8ccc-%012u", i, i));
  g_ptr_array_add (ids, NULL);
  trace ("ids");
  drs_job_store_add_many (store, (const char *const *) ids->pdata);
  trace ("added");
  initial = make_snapshots (n, 0);
  trace ("snapshots");
  drs_job_store_apply (store, initial, g_get_real_time ());

  trace ("populated");
  g_application_activate (G_APPLICATION (app));
  trace ("activated");
  drs_monitor_stop (drs_session_get_monitor (drs_application_get_session (app)));
  /* An account, so the table shows; no network is used. */
  credentials = drs_credentials_new_token ("bench");
  client = drs_client_new ("http://127.0.0.1:9", "bench", credentials, NULL);
  drs_session_set_client (drs_application_get_session (app), "bench", client);
  drs_monitor_stop (drs_session_get_monitor (drs_application_get_session (app)));

  window = DRS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_widget_realize (GTK_WIDGET (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect_after (clock, "paint", G_CALLBACK (on_painted), NULL);
  trace ("realized");
  while (probe.paints == 0)
    g_main_context_iteration (NULL, TRUE);
  first_frame_us = probe.last_paint_us - t_start;
  trace_at ("first frame", probe.last_paint_us);
  if (first_frame_only)
    {
      g_print ("%.1f\t%s\n", first_frame_us / 1000.0, renderer_name (GTK_WIDGET (window)));
      exit (0);
    }
  /* The rows join after the first frame: the first frame that shows them. */
  while (gtk_column_view_get_model (drs_window_get_column_view (window)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  iterate_until_paint_after (g_get_monotonic_time (), GTK_WIDGET (window));
  rows_frame_us = probe.last_paint_us - t_start;
  settle (300);

  g_timeout_add_full (G_PRIORITY_HIGH, 1, on_heartbeat, NULL, NULL);
  selection = drs_window_get_selection (window);
  gtk_selection_model_select_item (selection, MIN (n - 1, 5u), TRUE);
  selected = drs_window_get_selected_job (window);

  /* A refresh of every task, merged in place. */
  refresh = make_snapshots (n, 1);
  settle (100);
  probe.max_gap_us = 0;
  probe.watching = TRUE;
  t0 = g_get_monotonic_time ();
  drs_job_store_apply (store, refresh, g_get_real_time ());
  applied_us = g_get_monotonic_time () - t0;
  iterate_until_paint_after (t0 + applied_us, GTK_WIDGET (window));
  pixels_us = probe.last_paint_us - t0 - applied_us;
  stall_us = probe.max_gap_us;
  probe.watching = FALSE;
  selection_kept = drs_window_get_selected_job (window) == selected;
  sort_ok = TRUE;
  settle (200);

  /* Baseline: what rebuilding the rows costs (every object replaced). */
  {
    g_autoptr (GPtrArray) again = make_snapshots (n, 2);

    probe.max_gap_us = 0;
    probe.watching = TRUE;
    t0 = g_get_monotonic_time ();
    drs_job_store_remove_all (store);
    drs_job_store_add_many (store, (const char *const *) ids->pdata);
    drs_job_store_apply (store, again, g_get_real_time ());
    rebuild_applied_us = g_get_monotonic_time () - t0;
    iterate_until_paint_after (t0 + rebuild_applied_us, GTK_WIDGET (window));
    rebuild_pixels_us = probe.last_paint_us - t0 - rebuild_applied_us;
    rebuild_stall_us = probe.max_gap_us;
    probe.watching = FALSE;
    rebuild_selection_kept = drs_window_get_selected_job (window) != NULL &&
                             drs_window_get_selected_job (window) == selected;
  }
  settle (200);

  /* Re-sort by progress, to pixels; the order must be right. */
  t0 = g_get_monotonic_time ();
  gtk_column_view_sort_by_column (
      drs_window_get_column_view (window),
      drs_job_columns_get_column (drs_window_get_columns (window), "progress"), GTK_SORT_ASCENDING);
  iterate_until_paint_after (g_get_monotonic_time (), GTK_WIDGET (window));
  sort_us = probe.last_paint_us - t0;
  sort_ok = sorted_by_progress (G_LIST_MODEL (selection));
  settle (200);

  /* A filter keystroke: from the debounced search-changed to pixels. */
  g_signal_add_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY), 0,
                              on_search_changed, &search_at, NULL);
  gtk_editable_set_text (GTK_EDITABLE (drs_window_get_search_entry (window)), "-000000004");
  while (!search_done)
    g_main_context_iteration (NULL, TRUE);
  iterate_until_paint_after (g_get_monotonic_time (), GTK_WIDGET (window));
  filter_us = probe.last_paint_us - search_at;

  g_print ("%u\t%.0f\t%.0f\t%.1f\t%.1f\t%.1f\t%s\t%.1f\t%.1f\t%.1f\t%s\t%.1f\t%s\t%.1f\t%.1f\t%s\n",
           n, first_frame_us / 1000.0, rows_frame_us / 1000.0, applied_us / 1000.0,
           pixels_us / 1000.0, stall_us / 1000.0, selection_kept ? "kept" : "lost",
           rebuild_applied_us / 1000.0, rebuild_pixels_us / 1000.0, rebuild_stall_us / 1000.0,
           rebuild_selection_kept ? "kept" : "lost", sort_us / 1000.0, sort_ok ? "yes" : "NO",
           filter_us / 1000.0, rss_bytes () / 1048576.0, renderer_name (GTK_WIDGET (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (history);
  g_rmdir (dir);
  return 0;
}

/* The baseline of start-up: an empty libadwaita window with a header bar. */
static GtkWidget *empty_window;

static void
on_empty_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  empty_window = window;
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_widget_realize (window);
  g_signal_connect_after (gtk_widget_get_frame_clock (window), "paint", G_CALLBACK (on_painted),
                          NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static int
run_empty (void)
{
  g_autoptr (AdwApplication) app =
      adw_application_new ("io.github.drsmonitor.BenchEmpty", G_APPLICATION_NON_UNIQUE);
  g_autoptr (GError) error = NULL;

  g_signal_connect (app, "activate", G_CALLBACK (on_empty_activate), NULL);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    g_error ("%s", error->message);
  trace ("registered");
  g_application_activate (G_APPLICATION (app));
  trace ("activated");
  while (probe.paints == 0)
    g_main_context_iteration (NULL, TRUE);
  trace_at ("first frame", probe.last_paint_us);
  g_print ("%.1f\t%s\n", (probe.last_paint_us - t_start) / 1000.0, renderer_name (empty_window));
  return 0;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Each window started @runs times, in turn, so that a slow spell of the machine falls on all of
 * them: the median first frame of each, its range, and how it compares with the empty windows. */
static void
print_startup (const char *self, GPtrArray *sizes, guint runs)
{
  const char *labels[] = { "empty, as GTK chooses", "empty, as the app chooses" };
  g_autoptr (GPtrArray) windows = g_ptr_array_new ();
  g_autofree double *times = NULL; /* window w's runs at [w * runs] */
  g_autofree double *medians = NULL;
  g_auto (GStrv) renderers = NULL;

  g_ptr_array_add (windows, "empty");
  g_ptr_array_add (windows, "empty-app");
  g_ptr_array_extend (windows, sizes, NULL, NULL);
  times = g_new0 (double, windows->len *runs);
  medians = g_new0 (double, windows->len);
  renderers = g_new0 (char *, windows->len + 1);

  for (guint r = 0; r < runs; r++)
    for (guint w = 0; w < windows->len; w++)
      {
        const char      *child_argv[] = { self, "--first-frame", windows->pdata[w], NULL };
        g_autofree char *out = NULL;
        g_auto (GStrv) fields = NULL;
        int status = 0;

        if (!g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                           &out, NULL, &status, NULL) ||
            !g_spawn_check_wait_status (status, NULL) || out == NULL ||
            g_strv_length (fields = g_strsplit (g_strstrip (out), "\t", 2)) != 2)
          {
            g_print ("| first frame: %s | failed |\n", (const char *) windows->pdata[w]);
            return;
          }
        times[w * runs + r] = g_ascii_strtod (fields[0], NULL);
        if (renderers[w] == NULL)
          renderers[w] = g_strdup (fields[1]);
      }

  for (guint w = 0; w < windows->len; w++)
    {
      double *t = times + w * runs;

      qsort (t, runs, sizeof (double), compare_doubles);
      medians[w] = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }

  g_print ("\nFirst frame, median of %u starts taken in turn:\n\n", runs);
  g_print ("| start-up | first frame ms | range ms | × empty, as GTK chooses | × empty, as the app "
           "chooses | renderer |\n");
  g_print ("|---|---:|---:|---:|---:|---|\n");
  for (guint w = 0; w < windows->len; w++)
    g_print ("| first frame: %s | %.0f | %.0f–%.0f | %.2f | %.2f | %s |\n",
             w < 2 ? labels[w] : (const char *) windows->pdata[w], medians[w], times[w * runs],
             times[w * runs + runs - 1], medians[w] / medians[0], medians[w] / medians[1],
             renderers[w]);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GPtrArray) sizes = g_ptr_array_new ();
  gboolean baseline = FALSE;
  guint    startup_runs = 7;

  t_start = g_get_monotonic_time ();
  setlocale (LC_ALL, "");

  first_frame_only = argc == 3 && g_str_equal (argv[1], "--first-frame");
  if (argc == 3 && (g_str_equal (argv[1], "--size") || first_frame_only))
    {
      if (g_str_equal (argv[2], "empty"))
        return run_empty ();
      drs_renderer_prepare ("/dev/dri");
      if (g_str_equal (argv[2], "empty-app"))
        return run_empty ();
      return run_one ((guint) g_ascii_strtoull (argv[2], NULL, 10));
    }

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--baseline"))
      baseline = TRUE;
    else if (g_str_equal (argv[i], "--startup-runs") && i + 1 < argc)
      startup_runs = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
    else
      g_ptr_array_add (sizes, argv[i]);
  if (sizes->len == 0)
    {
      g_ptr_array_add (sizes, "100");
      g_ptr_array_add (sizes, "10000");
      g_ptr_array_add (sizes, "100000");
    }

  g_print ("| tasks | first frame ms | first rows ms | refresh: app's work ms | → pixels ms | "
           "longest stall ms | "
           "selection | rebuild rows (baseline): work ms | → pixels ms | stall ms | selection | "
           "re-sort → pixels ms | order right | filter keystroke → pixels ms | RSS MB | renderer "
           "|\n");
  g_print ("|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---|---:|---:|---|\n");
  for (guint i = 0; i < sizes->len; i++)
    {
      const char      *child_argv[] = { argv[0], "--size", sizes->pdata[i], NULL };
      g_autofree char *out = NULL;
      g_auto (GStrv) fields = NULL;
      int status = 0;

      if (!g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                         &out, NULL, &status, NULL) ||
          !g_spawn_check_wait_status (status, NULL) || out == NULL)
        {
          g_print ("| %s | failed |\n", (const char *) sizes->pdata[i]);
          continue;
        }
      fields = g_strsplit (g_strstrip (out), "\t", -1);
      g_print ("|");
      for (guint f = 0; fields[f] != NULL; f++)
        g_print (" %s |", fields[f]);
      g_print ("\n");
    }
  if (baseline)
    print_startup (argv[0], sizes, MAX (startup_runs, 1));
  return 0;
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Parse + snapshot throughput of batch-progress responses, side by side with a scripted client
 * (Python json.loads + one object per job) on the same bytes, plus callgrind instructions per job.
 *
 *   bench-parse [--quick]          the table
 *   bench-parse --once FILE        parse FILE once (what callgrind measures)
 */
#include "config.h"

#include <locale.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "drs-progress-parser.h"

static const char *const statuses[] = { "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED",
                                        "FULL_TRANSFER_COMPLETE", "PAUSING", "CREATE_FAILED" };

/* A realistic response: every field, progress_map on every third job. */
static GString *
make_response (guint n)
{
  GString *s = g_string_sized_new (n * 420 + 64);
  GRand   *rand = g_rand_new_with_seed (n);

  g_string_append_printf (s, "{\"count\":%u,\"results\":[", n);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (
          s,
          "%s{\"progress\":\"%d\",\"job_id\":\"%08x-a618-490d-8a46-%012xb502\","
          "\"incre_trans_delay\":\"%d\",\"incre_trans_delay_millis\":\"%d\",\"task_mode\":"
          "\"FULL_INCR_TRANS\",\"transfer_status\":\"%s\",\"process_time\":\"16082749%05d\","
          "\"remaining_time\":\"%d\"",
          i ? "," : "", g_rand_int_range (rand, 0, 101), g_rand_int (rand), i,
          g_rand_int_range (rand, 0, 400), g_rand_int_range (rand, 0, 400000),
          statuses[i % G_N_ELEMENTS (statuses)], g_rand_int_range (rand, 0, 99999),
          g_rand_int_range (rand, 0, 3600));
      if (i % 3 == 0)
        g_string_append (s,
                         ",\"progress_map\":{\"struct\":{\"completed\":\"94%\",\"remaining_time\":"
                         "null},\"data\":{\"completed\":\"100%\",\"remaining_time\":null},"
                         "\"index\":{\"completed\":\"37%\",\"remaining_time\":\"120\"}}");
      g_string_append_c (s, '}');
    }
  g_string_append (s, "]}");
  g_rand_free (rand);
  return s;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median_parse_seconds (const GString *s, guint runs)
{
  g_autofree double *times = g_new (double, runs);

  for (guint r = 0; r < runs; r++)
    {
      g_autoptr (GError) error = NULL;
      gint64     t0 = g_get_monotonic_time ();
      GPtrArray *out = drs_progress_parse (s->str, s->len, &error);

      times[r] = (g_get_monotonic_time () - t0) / 1e6;
      g_assert_no_error (error);
      g_ptr_array_unref (out);
    }
  qsort (times, runs, sizeof (double), compare_double);
  return times[runs / 2];
}

static double
python_seconds (const char *file, guint runs)
{
  g_autofree char *runs_str = g_strdup_printf ("%u", runs);
  g_autofree char *script = g_build_filename (BENCH_SRCDIR, "baseline-parse.py", NULL);
  const char      *argv[] = { "python3", script, file, runs_str, NULL };
  g_autofree char *out = NULL;
  int              status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                     &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return -1;
  return g_ascii_strtod (out, NULL);
}

/* Instructions inside drs_progress_parse() for one parse of FILE, or 0 without valgrind. */
static guint64
callgrind_instructions (const char *self_path, const char *file)
{
  g_autofree char *out_file = g_build_filename (g_get_tmp_dir (), "bench-parse.callgrind", NULL);
  g_autofree char *out_arg = g_strdup_printf ("--callgrind-out-file=%s", out_file);
  const char      *argv[] = { "valgrind",
                              "--tool=callgrind",
                              "--toggle-collect=drs_progress_parse",
                              out_arg,
                              self_path,
                              "--once",
                              file,
                              NULL };
  g_autofree char *err = NULL;
  int              status = 0;
  guint64          total = 0;
  g_autofree char *contents = NULL;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return 0;

  if (g_file_get_contents (out_file, &contents, NULL, NULL))
    {
      const char *line = strstr (contents, "\nsummary: ");
      if (line == NULL)
        line = strstr (contents, "\ntotals: ");
      if (line != NULL)
        total = g_ascii_strtoull (strchr (line, ':') + 1, NULL, 10);
    }
  g_unlink (out_file);
  return total;
}

int
main (int argc, char *argv[])
{
  static const guint sizes[] = { 10, 1000, 100000 };
  gboolean           quick = argc > 1 && g_str_equal (argv[1], "--quick");

  setlocale (LC_ALL, "");

  if (argc == 3 && g_str_equal (argv[1], "--once"))
    {
      g_autofree char *data = NULL;
      gsize            len = 0;
      GPtrArray       *out;

      if (!g_file_get_contents (argv[2], &data, &len, NULL))
        return 1;
      out = drs_progress_parse (data, len, NULL);
      if (out == NULL)
        return 1;
      g_ptr_array_unref (out);
      return 0;
    }

  g_print ("Batch-progress parse + snapshots, median of several runs on the same bytes\n\n");
  g_print ("| jobs | bytes | DRS Monitor ns/job | MB/s | Python json.loads + objects ns/job | MB/s "
           "| speed-up | instructions/job (callgrind) |\n");
  g_print ("|---:|---:|---:|---:|---:|---:|---:|---:|\n");

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint n = sizes[i];
      g_autoptr (GString) s = make_response (n);
      guint            runs = n <= 10 ? 2001 : n <= 1000 ? 101 : (quick ? 3 : 9);
      g_autofree char *file = g_build_filename (g_get_tmp_dir (), "bench-parse-XXXXXX.json", NULL);
      int              fd = g_mkstemp (file);
      double           ours, theirs;
      guint64          instructions = 0;
      g_autofree char *instr_text = NULL;

      g_assert (fd >= 0);
      g_assert (write (fd, s->str, s->len) == (gssize) s->len);
      close (fd);

      ours = median_parse_seconds (s, runs);
      theirs = python_seconds (file, runs);
      if (n <= 1000 && !quick)
        instructions = callgrind_instructions (argv[0], file);
      g_unlink (file);
      instr_text =
          instructions ? g_strdup_printf ("%" G_GUINT64_FORMAT, instructions / n) : g_strdup ("—");

      g_print ("| %u | %" G_GSIZE_FORMAT " | %.0f | %.1f | %.0f | %.1f | %.1f× | %s |\n", n, s->len,
               ours * 1e9 / n, s->len / ours / 1e6, theirs * 1e9 / n, s->len / theirs / 1e6,
               theirs / ours, instr_text);
      if (n == 10)
        g_print ("<!-- 10-job response: %.3f ms per parse (target ≤ 0.35 ms) -->\n", ours * 1e3);
    }
  return 0;
}

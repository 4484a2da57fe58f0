/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "drs-error.h"
#include "drs-progress-parser.h"
#include "drs-test-utils.h"

static GPtrArray *
parse_string (const char *json, GError **error)
{
  return drs_progress_parse (json, strlen (json), error);
}

static const DrsSnapshot *
find (GPtrArray *snapshots, const char *job_id)
{
  for (guint i = 0; i < snapshots->len; i++)
    {
      const DrsSnapshot *snap = snapshots->pdata[i];
      if (g_strcmp0 (snap->job_id, job_id) == 0)
        return snap;
    }
  return NULL;
}

static void
test_example_1 (void)
{
  g_autoptr (GBytes) bytes = drs_test_load_fixture ("example-response-1.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) snapshots = NULL;
  const DrsSnapshot *snap;
  gsize              len;
  const char        *data = g_bytes_get_data (bytes, &len);

  snapshots = drs_progress_parse (data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (snapshots->len, ==, 1);

  snap = snapshots->pdata[0];
  g_assert_cmpstr (snap->job_id, ==, "8d0e8e36-a618-490d-8a46-8c61ac9jb502");
  g_assert_cmpfloat (snap->progress, ==, 100);
  g_assert_cmpint (snap->delay_ms, ==, 0);
  g_assert_cmpint (snap->task_mode, ==, DRS_TASK_MODE_FULL_INCR_TRANS);
  g_assert_cmpstr (snap->task_mode_raw, ==, "FULL_INCR_TRANS");
  g_assert_cmpint (snap->status, ==, DRS_JOB_STATUS_INCRE_TRANSFER_STARTED);
  g_assert_cmpstr (snap->status_raw, ==, "INCRE_TRANSFER_STARTED");
  g_assert_cmpint (snap->process_time_ms, ==, G_GINT64_CONSTANT (1608274919000));
  g_assert_cmpint (snap->remaining_s, ==, 0);
  g_assert_false (snap->has_phases);
  for (guint i = 0; i < DRS_N_PHASES; i++)
    {
      g_assert_cmpfloat (snap->phases[i].completed, ==, DRS_UNKNOWN);
      g_assert_cmpint (snap->phases[i].remaining_s, ==, DRS_UNKNOWN);
    }
  g_assert_null (snap->error_code);
  g_assert_null (snap->error_msg);
}

static void
test_example_2 (void)
{
  g_autoptr (GBytes) bytes = drs_test_load_fixture ("example-response-2.json");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) snapshots = NULL;
  const DrsSnapshot *a, *b;
  gsize              len;
  const char        *data = g_bytes_get_data (bytes, &len);

  snapshots = drs_progress_parse (data, len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (snapshots->len, ==, 2);

  a = find (snapshots, "edae91cb-5892-49b6-a529-4921fb26jb21");
  g_assert_nonnull (a);
  g_assert_cmpfloat (a->progress, ==, 100);
  g_assert_cmpint (a->delay_ms, ==, 0);
  g_assert_cmpint (a->task_mode, ==, DRS_TASK_MODE_FULL_INCR_TRANS);
  g_assert_cmpint (a->status, ==, DRS_JOB_STATUS_INCRE_TRANSFER_STARTED);
  g_assert_cmpint (a->process_time_ms, ==, G_GINT64_CONSTANT (1594864576000));
  g_assert_cmpint (a->remaining_s, ==, 10);
  g_assert_false (a->has_phases);
  g_assert_null (a->error_code);

  b = find (snapshots, "f95c5d83-d0c9-42bd-b295-38c31cd1jb15");
  g_assert_nonnull (b);
  g_assert_cmpfloat (b->progress, ==, 0);
  g_assert_cmpint (b->delay_ms, ==, DRS_UNKNOWN); /* "-1": not in the incremental phase */
  g_assert_cmpint (b->task_mode, ==, DRS_TASK_MODE_FULL_INCR_TRANS);
  g_assert_cmpint (b->status, ==, DRS_JOB_STATUS_FULL_TRANSFER_COMPLETE);
  g_assert_cmpint (b->process_time_ms, ==, DRS_UNKNOWN); /* "0" = unset */
  g_assert_cmpint (b->remaining_s, ==, 0);
  g_assert_true (b->has_phases);
  g_assert_cmpfloat (b->phases[DRS_PHASE_STRUCT].completed, ==, 94);
  g_assert_cmpfloat (b->phases[DRS_PHASE_DATA].completed, ==, 100);
  g_assert_cmpfloat (b->phases[DRS_PHASE_INDEX].completed, ==, 100);
  for (guint i = 0; i < DRS_N_PHASES; i++)
    g_assert_cmpint (b->phases[i].remaining_s, ==, DRS_UNKNOWN);
  g_assert_null (b->error_code);
}

/* One field, every shape a server or a broken proxy might send. */
static const struct
{
  const char *json_value; /* NULL = member missing */
  double      expected;
} progress_cases[] = {
  { "\"94%\"", 94 },
  { "\"100\"", 100 },
  { "\"0\"", 0 },
  { "\"\"", DRS_UNKNOWN },
  { "null", DRS_UNKNOWN },
  { NULL, DRS_UNKNOWN },
  { "\"-1\"", DRS_UNKNOWN },
  { "\"abc\"", DRS_UNKNOWN },
  { "\"1e999\"", DRS_UNKNOWN },
  { "42", 42 },
  { "42.5", 42.5 },
  { "true", DRS_UNKNOWN },
  { "false", DRS_UNKNOWN },
  { "[]", DRS_UNKNOWN },
  { "[\"50\"]", DRS_UNKNOWN },
  { "{}", DRS_UNKNOWN },
  { "\"-5\"", DRS_UNKNOWN },
  { "-5", DRS_UNKNOWN },
  { "\"150\"", DRS_UNKNOWN },
  { "\"99999999999999999999999\"", DRS_UNKNOWN },
  { "\" 12 \"", 12 },
  { "\" 12 % \"", 12 },
  { "\"12.5\"", 12.5 },
  { "\"0x10\"", DRS_UNKNOWN },
  { "\"nan\"", DRS_UNKNOWN },
  { "\"inf\"", DRS_UNKNOWN },
  { "\"1e1\"", 10 },
  { "\"12%%\"", DRS_UNKNOWN },
  { "\"%\"", DRS_UNKNOWN },
  { "\"1 2\"", DRS_UNKNOWN },
  { "\"+7\"", 7 },
  { "\".5\"", 0.5 },
  { "\"5.\"", 5 },
  { "\"1e\"", DRS_UNKNOWN },
};

static const DrsSnapshot *
parse_one (const char *members, GPtrArray **out)
{
  g_autofree char *json = g_strdup_printf ("{\"count\":1,\"results\":[{\"job_id\":\"j\"%s%s}]}",
                                           *members ? "," : "", members);
  g_autoptr (GError) error = NULL;

  *out = parse_string (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((*out)->len, ==, 1);
  return (*out)->pdata[0];
}

static void
test_field_progress (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (progress_cases); i++)
    {
      g_autoptr (GPtrArray) out = NULL;
      g_autofree char *member =
          progress_cases[i].json_value
              ? g_strdup_printf ("\"progress\":%s", progress_cases[i].json_value)
              : g_strdup ("");
      const DrsSnapshot *snap = parse_one (member, &out);

      g_test_message ("progress %s", progress_cases[i].json_value);
      g_assert_cmpfloat (snap->progress, ==, progress_cases[i].expected);
    }
}

static void
test_field_delay (void)
{
  static const struct
  {
    const char *members;
    gint64      expected_ms;
  } cases[] = {
    { "\"incre_trans_delay\":\"3\"", 3000 },
    { "\"incre_trans_delay\":\"0\"", 0 },
    { "\"incre_trans_delay\":\"-1\"", DRS_UNKNOWN },
    { "\"incre_trans_delay\":\"\"", DRS_UNKNOWN },
    { "\"incre_trans_delay\":null", DRS_UNKNOWN },
    { "\"incre_trans_delay\":\"2.5\"", 2500 },
    { "\"incre_trans_delay\":7", 7000 },
    { "\"incre_trans_delay\":\"abc\"", DRS_UNKNOWN },
    { "\"incre_trans_delay\":\"99999999999\"", DRS_UNKNOWN },
    { "\"incre_trans_delay\":\"3\",\"incre_trans_delay_millis\":\"3456\"", 3456 },
    { "\"incre_trans_delay_millis\":\"3456\",\"incre_trans_delay\":\"3\"", 3456 },
    { "\"incre_trans_delay\":\"2\",\"incre_trans_delay_millis\":\"-1\"", 2000 },
    { "\"incre_trans_delay\":\"2\",\"incre_trans_delay_millis\":\"garbage\"", 2000 },
    { "\"incre_trans_delay_millis\":\" 120000 \"", 120000 },
    { "\"incre_trans_delay\":[1]", DRS_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) out = NULL;
      const DrsSnapshot *snap = parse_one (cases[i].members, &out);

      g_test_message ("delay %s", cases[i].members);
      g_assert_cmpint (snap->delay_ms, ==, cases[i].expected_ms);
    }
}

static void
test_field_times (void)
{
  static const struct
  {
    const char *members;
    gint64      process_time_ms;
    gint64      remaining_s;
  } cases[] = {
    { "\"process_time\":\"1608274919000\",\"remaining_time\":\"10\"",
      G_GINT64_CONSTANT (1608274919000), 10 },
    { "\"process_time\":\"0\",\"remaining_time\":\"0\"", DRS_UNKNOWN, 0 },
    { "\"process_time\":\"-5\",\"remaining_time\":\"-1\"", DRS_UNKNOWN, DRS_UNKNOWN },
    { "\"process_time\":\"abc\",\"remaining_time\":\"\"", DRS_UNKNOWN, DRS_UNKNOWN },
    { "\"process_time\":\"1e30\",\"remaining_time\":\"1e30\"", DRS_UNKNOWN, DRS_UNKNOWN },
    { "\"process_time\":1608274919000,\"remaining_time\":3600", G_GINT64_CONSTANT (1608274919000),
      3600 },
    { "\"process_time\":true,\"remaining_time\":{}", DRS_UNKNOWN, DRS_UNKNOWN },
    /* Under a millisecond after the epoch is the server's "unset", not a time (found by fuzzing).
     */
    { "\"process_time\":\"0.5\",\"remaining_time\":\"0.4\"", DRS_UNKNOWN, 0 },
    { "\"process_time\":\" 1608274919000 \",\"remaining_time\":\" 7 \"",
      G_GINT64_CONSTANT (1608274919000), 7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) out = NULL;
      const DrsSnapshot *snap = parse_one (cases[i].members, &out);

      g_test_message ("times %s", cases[i].members);
      g_assert_cmpint (snap->process_time_ms, ==, cases[i].process_time_ms);
      g_assert_cmpint (snap->remaining_s, ==, cases[i].remaining_s);
    }
}

static void
test_field_enums (void)
{
  g_autofree char *long_status = NULL;
  g_autofree char *members = NULL;

  {
    g_autoptr (GPtrArray) out = NULL;
    const DrsSnapshot *snap =
        parse_one ("\"transfer_status\":\"NEW_STATUS_2027\",\"task_mode\":\"HALF_TRANS\"", &out);
    g_assert_cmpint (snap->status, ==, DRS_JOB_STATUS_UNKNOWN);
    g_assert_cmpstr (snap->status_raw, ==, "NEW_STATUS_2027");
    g_assert_cmpint (snap->task_mode, ==, DRS_TASK_MODE_UNKNOWN);
    g_assert_cmpstr (snap->task_mode_raw, ==, "HALF_TRANS");
  }
  {
    g_autoptr (GPtrArray) out = NULL;
    const DrsSnapshot *snap = parse_one ("\"transfer_status\":123,\"task_mode\":null", &out);
    g_assert_cmpint (snap->status, ==, DRS_JOB_STATUS_UNKNOWN);
    g_assert_null (snap->status_raw);
    g_assert_null (snap->task_mode_raw);
  }
  {
    g_autoptr (GPtrArray) out = NULL;
    const DrsSnapshot *snap = parse_one ("\"transfer_status\":\" PAUSING\"", &out);
    /* Status values are identifiers: spaces make another value, kept verbatim. */
    g_assert_cmpint (snap->status, ==, DRS_JOB_STATUS_UNKNOWN);
    g_assert_cmpstr (snap->status_raw, ==, " PAUSING");
  }

  long_status = g_strnfill (1000, 'X');
  members = g_strdup_printf ("\"transfer_status\":\"%s\"", long_status);
  {
    g_autoptr (GPtrArray) out = NULL;
    const DrsSnapshot *snap = parse_one (members, &out);
    g_assert_cmpint (snap->status, ==, DRS_JOB_STATUS_UNKNOWN);
    g_assert_null (snap->status_raw);
  }
}

/* New values are kept verbatim, but not without bound (a hostile server sends endless ones). */
static void
test_unknown_values_bounded (void)
{
  guint kept = 0, dropped = 0;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *members = g_strdup_printf ("\"transfer_status\":\"NEW_%u\"", i);
      g_autoptr (GPtrArray) out = NULL;
      const DrsSnapshot *snap = parse_one (members, &out);

      g_assert_cmpint (snap->status, ==, DRS_JOB_STATUS_UNKNOWN);
      if (snap->status_raw != NULL)
        {
          g_autofree char *expected = g_strdup_printf ("NEW_%u", i);
          g_assert_cmpstr (snap->status_raw, ==, expected);
          kept++;
        }
      else
        dropped++;
    }
  g_assert_cmpuint (kept, >, 0);
  g_assert_cmpuint (kept, <=, 256);
  g_assert_cmpuint (dropped, >=, 1000 - 256);
}

static void
test_field_progress_map (void)
{
  {
    g_autoptr (GPtrArray) out = NULL;
    /* The seed's table says "array"; real servers send an object. An array is not readable. */
    const DrsSnapshot *snap = parse_one ("\"progress_map\":[{\"completed\":\"50%\"}]", &out);
    g_assert_false (snap->has_phases);
  }
  {
    g_autoptr (GPtrArray) out = NULL;
    const DrsSnapshot *snap = parse_one (
        "\"progress_map\":{\"data\":{\"completed\":\"37.5%\",\"remaining_time\":\"120\"},"
        "\"struct\":\"done\",\"index\":{\"completed\":null}}",
        &out);
    g_assert_true (snap->has_phases);
    g_assert_cmpfloat (snap->phases[DRS_PHASE_DATA].completed, ==, 37.5);
    g_assert_cmpint (snap->phases[DRS_PHASE_DATA].remaining_s, ==, 120);
    g_assert_cmpfloat (snap->phases[DRS_PHASE_STRUCT].completed, ==, DRS_UNKNOWN);
    g_assert_cmpfloat (snap->phases[DRS_PHASE_INDEX].completed, ==, DRS_UNKNOWN);
  }
  {
    g_autoptr (GPtrArray) out = NULL;
    const DrsSnapshot *snap = parse_one ("\"progress_map\":null", &out);
    g_assert_false (snap->has_phases);
  }
}

static void
test_field_job_id (void)
{
  static const char *const bad[] = {
    "{\"results\":[{\"progress\":\"5\"}]}", "{\"results\":[{\"job_id\":123}]}",
    "{\"results\":[{\"job_id\":\"\"}]}",    "{\"results\":[{\"job_id\":null}]}",
    "{\"results\":[{\"job_id\":[\"a\"]}]}",
  };
  g_autofree char *long_id = g_strnfill (200, 'a');
  g_autofree char *long_json =
      g_strdup_printf ("{\"results\":[{\"job_id\":\"%s\"},{\"job_id\":\"ok\"}]}", long_id);
  g_autoptr (GPtrArray) mixed = NULL;
  g_autoptr (GError) error = NULL;

  /* A result nobody can attribute is skipped; the response still succeeds. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GPtrArray) out = parse_string (bad[i], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (out->len, ==, 0);
    }

  mixed = parse_string (long_json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mixed->len, ==, 1);
  g_assert_cmpstr (((DrsSnapshot *) mixed->pdata[0])->job_id, ==, "ok");
}

static void
test_per_job_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) out = parse_string (
      "{\"count\":2,\"results\":[{\"job_id\":\"gone\",\"error_code\":\"DRS.M05003\","
      "\"error_msg\":\"任务不存在\"},{\"job_id\":\"ok\",\"progress\":\"5\",\"error_code\":\"\"}]}",
      &error);
  const DrsSnapshot *gone, *ok;

  g_assert_no_error (error);
  gone = find (out, "gone");
  g_assert_cmpstr (gone->error_code, ==, "DRS.M05003");
  g_assert_cmpstr (gone->error_msg, ==, "任务不存在");
  ok = find (out, "ok");
  g_assert_null (ok->error_code);
  g_assert_cmpfloat (ok->progress, ==, 5);
}

static void
expect_protocol_error (const char *data, gsize len, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) out = drs_progress_parse (data, len, &error);

  g_assert_null (out);
  g_assert_error (error, DRS_ERROR, DRS_ERROR_PROTOCOL);
  g_test_message ("%s", error->message);
  if (needle != NULL)
    g_assert_nonnull (strstr (error->message, needle));
}

static void
test_structure (void)
{
  static const char *const cases[][2] = {
    { "<html><body>502 Bad Gateway</body></html>", "not valid JSON but a web page" },
    /* A body cut off: what happened, not the parser's position and token. */
    { "{\"results\":[{\"job_id\":\"a", "cut off or damaged" },
    { "   ", "empty" },
    { "[]", "not a JSON object" },
    { "\"results\"", "not a JSON object" },
    { "{}", "“results”" },
    { "{\"count\":3}", "“results”" },
    { "{\"results\":null}", "“results”" },
    { "{\"results\":{}}", "not a list" },
    { "{\"results\":\"[]\"}", "not a list" },
    { "{\"results\":[1]}", "Result 1" },
    { "{\"results\":[{\"job_id\":\"a\"},[]]}", "Result 2" },
    { "{\"results\":[{\"job_id\":\"a\"},null]}", "Result 2" },
  };
  g_autoptr (GBytes) bytes = drs_test_load_fixture ("example-response-2.json");
  gsize       len;
  const char *data = g_bytes_get_data (bytes, &len);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    expect_protocol_error (cases[i][0], strlen (cases[i][0]), cases[i][1]);

  expect_protocol_error ("", 0, "empty");
  expect_protocol_error (NULL, 0, "empty");
  /* Truncated anywhere: never a partial result. */
  for (gsize cut = 1; cut < len - 2; cut += 7)
    expect_protocol_error (data, cut, NULL);
}

static void
test_deep_nesting (void)
{
  const gsize depth = 100000;
  g_autoptr (GString) s = g_string_sized_new (depth * 2 + 32);

  g_string_append (s, "{\"results\":");
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (s, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (s, ']');
  g_string_append_c (s, '}');
  expect_protocol_error (s->str, s->len, "nested");

  /* Brackets inside strings do not count. */
  {
    g_autoptr (GString) t = g_string_new ("{\"results\":[{\"job_id\":\"a\",\"error_msg\":\"");
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) out = NULL;

    for (guint i = 0; i < 1000; i++)
      g_string_append (t, "[{\\\"");
    g_string_append (t, "\"}]}");
    out = drs_progress_parse (t->str, t->len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (out->len, ==, 1);
  }
}

static void
test_invalid_utf8 (void)
{
  static const char bad[] = "{\"results\":[{\"job_id\":\"a\xff\xfe\",\"progress\":\"5\"}]}";
  static const char nul[] = "{\"results\":[{\"job_id\":\"a\0b\"}]}";

  expect_protocol_error (bad, sizeof bad - 1, "UTF-8");
  expect_protocol_error (nul, sizeof nul - 1, "UTF-8");
}

static void
test_huge_string (void)
{
  const gsize size = 10 * 1024 * 1024;
  g_autoptr (GString) s = g_string_sized_new (size + 256);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) out = NULL;
  const DrsSnapshot *snap;

  g_string_append (
      s, "{\"results\":[{\"job_id\":\"a\",\"error_code\":\"DRS.M00004\",\"error_msg\":\"");
  for (gsize i = 0; i < size; i++)
    g_string_append_c (s, "abcdefghij"[i % 10]);
  g_string_append (s, "\",\"progress\":\"");
  g_string_append (s, "9");
  g_string_append (s, "\"}]}");

  out = drs_progress_parse (s->str, s->len, &error);
  g_assert_no_error (error);
  snap = out->pdata[0];
  g_assert_cmpstr (snap->error_code, ==, "DRS.M00004");
  g_assert_cmpuint (strlen (snap->error_msg), <=, 4096 + strlen ("…"));
  g_assert_true (g_str_has_prefix (snap->error_msg, "abcdefghij"));
  g_assert_true (g_str_has_suffix (snap->error_msg, "…"));
  g_assert_true (g_utf8_validate (snap->error_msg, -1, NULL));
}

static void
test_many_results (void)
{
  const guint n = 100000;
  g_autoptr (GString) s = g_string_sized_new (n * 200);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) out = NULL;

  g_string_append (s, "{\"count\":100000,\"results\":[");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s,
                            "%s{\"job_id\":\"job-%06u\",\"progress\":\"%u\",\"transfer_status\":"
                            "\"FULL_TRANSFER_STARTED\",\"incre_trans_delay\":\"%u\"}",
                            i ? "," : "", (n - 1 - i), (n - 1 - i) % 101, i % 50);
  g_string_append (s, "]}");

  out = drs_progress_parse (s->str, s->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, n);
  /* Order is the server's; ids map to their own values. */
  for (guint i = 0; i < n; i += 997)
    {
      const DrsSnapshot *snap = out->pdata[i];
      guint              id_num = (guint) g_ascii_strtoull (snap->job_id + 4, NULL, 10);

      g_assert_cmpuint (id_num, ==, n - 1 - i);
      g_assert_cmpfloat (snap->progress, ==, id_num % 101);
      g_assert_cmpint (snap->delay_ms, ==, (gint64) (i % 50) * 1000);
    }
}

static void
test_any_order_and_duplicates (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) out = parse_string (
      "{\"results\":[{\"job_id\":\"c\",\"progress\":\"3\"},{\"job_id\":\"a\",\"progress\":\"1\"},"
      "{\"job_id\":\"b\",\"progress\":\"2\"},{\"job_id\":\"a\",\"progress\":\"99\"}]}",
      &error);

  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 3);
  g_assert_cmpfloat (find (out, "a")->progress, ==, 1); /* the first answer for an id wins */
  g_assert_cmpfloat (find (out, "b")->progress, ==, 2);
  g_assert_cmpfloat (find (out, "c")->progress, ==, 3);
  g_assert_cmpstr (((DrsSnapshot *) out->pdata[0])->job_id, ==, "c");

  /* The same with enough results to take the hashed path. */
  {
    g_autoptr (GString) s = g_string_new ("{\"results\":[");
    g_autoptr (GPtrArray) many = NULL;

    for (guint i = 0; i < 40; i++)
      g_string_append_printf (s, "%s{\"job_id\":\"j%u\",\"progress\":\"%u\"}", i ? "," : "", i % 20,
                              i);
    g_string_append (s, "]}");
    many = parse_string (s->str, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (many->len, ==, 20);
    g_assert_cmpfloat (find (many, "j7")->progress, ==, 7);
  }
}

static void
test_empty_results (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) out = parse_string ("{\"count\":0,\"results\":[]}", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 0);
}

static void
test_error_shapes (void)
{
  /* 1. DRS / API gateway. */
  {
    const char *body = "{\"error_code\":\"DRS.M00301\",\"error_msg\":\"Duplicate job IDs.\"}";
    g_autoptr (GError) e = drs_progress_parse_error_body (body, strlen (body), 400, "rid-1");

    g_assert_error (e, DRS_ERROR, DRS_ERROR_BAD_REQUEST);
    g_assert_cmpstr (drs_error_get_server_code (e), ==, "DRS.M00301");
    g_assert_cmpstr (drs_error_get_server_message (e), ==, "Duplicate job IDs.");
    g_assert_cmpstr (drs_error_get_request_id (e), ==, "rid-1");
    g_assert_cmpuint (drs_error_get_http_status (e), ==, 400);
    g_assert_nonnull (strstr (e->message, "DRS.M00301"));
  }
  {
    const char *body =
        "{\"error_code\":\"APIGW.0308\",\"error_msg\":\"The throttling threshold has "
        "been reached\",\"request_id\":\"gw-77\"}";
    g_autoptr (GError) e = drs_progress_parse_error_body (body, strlen (body), 429, NULL);

    g_assert_error (e, DRS_ERROR, DRS_ERROR_THROTTLED);
    g_assert_cmpstr (drs_error_get_request_id (e), ==, "gw-77");
  }
  /* 2. Per-job errors in results are snapshots, tested above; at the top of a 2xx body, an
   * error object fails the whole response with the server's code. */
  {
    const char *body = "{\"error_code\":\"DRS.M00261\",\"error_msg\":\"Invalid project ID.\"}";
    g_autoptr (GError) e = NULL;
    g_autoptr (GPtrArray) out = drs_progress_parse (body, strlen (body), &e);

    g_assert_null (out);
    g_assert_error (e, DRS_ERROR, DRS_ERROR_FORBIDDEN);
    g_assert_cmpstr (drs_error_get_server_code (e), ==, "DRS.M00261");
  }
  /* 3. IAM's nested shape. */
  {
    const char *body =
        "{\"error\":{\"code\":401,\"message\":\"The username or password is wrong.\","
        "\"title\":\"Unauthorized\"}}";
    g_autoptr (GError) e = drs_progress_parse_error_body (body, strlen (body), 401, "iam-9");

    g_assert_error (e, DRS_ERROR, DRS_ERROR_AUTH);
    g_assert_null (drs_error_get_server_code (e));
    g_assert_cmpstr (drs_error_get_server_message (e), ==, "The username or password is wrong.");
    g_assert_cmpstr (drs_error_get_request_id (e), ==, "iam-9");
  }
  {
    const char *body = "{\"error\":{\"code\":\"APIGW.0301\",\"message\":\"Incorrect IAM "
                       "authentication information\"}}";
    g_autoptr (GError) e = drs_progress_parse_error_body (body, strlen (body), 401, NULL);

    g_assert_error (e, DRS_ERROR, DRS_ERROR_AUTH);
    g_assert_cmpstr (drs_error_get_server_code (e), ==, "APIGW.0301");
  }
  /* Whatever else: classified by the HTTP status, never lost. */
  {
    const char *body = "<html><h1>502 Bad Gateway</h1></html>";
    g_autoptr (GError) e = drs_progress_parse_error_body (body, strlen (body), 502, "r");

    g_assert_error (e, DRS_ERROR, DRS_ERROR_SERVER);
    g_assert_null (drs_error_get_server_code (e));
    g_assert_nonnull (strstr (e->message, "502"));
  }
  {
    g_autoptr (GError) e = drs_progress_parse_error_body (NULL, 0, 503, NULL);
    g_assert_error (e, DRS_ERROR, DRS_ERROR_SERVER);
  }
  {
    const char *body = "{\"message\":\"nothing useful\"}";
    g_autoptr (GError) e = drs_progress_parse_error_body (body, strlen (body), 401, NULL);
    g_assert_error (e, DRS_ERROR, DRS_ERROR_AUTH);
  }
}

static void
test_decimal_reader (void)
{
  g_assert_cmpfloat (drs_parse_percent ("94%"), ==, 94);
  g_assert_cmpfloat (drs_parse_percent (NULL), ==, DRS_UNKNOWN);
  g_assert_cmpfloat (drs_parse_percent ("100.0001"), ==, DRS_UNKNOWN);
  g_assert_cmpint (drs_parse_count ("10.6", 100), ==, 11);
  g_assert_cmpint (drs_parse_count ("101", 100), ==, DRS_UNKNOWN);
  g_assert_cmpfloat (drs_parse_decimal ("1e3", 1e4), ==, 1000);
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);
  g_test_add_func ("/progress-parser/example-1", test_example_1);
  g_test_add_func ("/progress-parser/example-2", test_example_2);
  g_test_add_func ("/progress-parser/field/progress", test_field_progress);
  g_test_add_func ("/progress-parser/field/delay", test_field_delay);
  g_test_add_func ("/progress-parser/field/times", test_field_times);
  g_test_add_func ("/progress-parser/field/enums", test_field_enums);
  g_test_add_func ("/progress-parser/field/progress-map", test_field_progress_map);
  g_test_add_func ("/progress-parser/field/unknown-values-bounded", test_unknown_values_bounded);
  g_test_add_func ("/progress-parser/field/job-id", test_field_job_id);
  g_test_add_func ("/progress-parser/per-job-errors", test_per_job_errors);
  g_test_add_func ("/progress-parser/structure", test_structure);
  g_test_add_func ("/progress-parser/deep-nesting", test_deep_nesting);
  g_test_add_func ("/progress-parser/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/progress-parser/huge-string", test_huge_string);
  g_test_add_func ("/progress-parser/many-results", test_many_results);
  g_test_add_func ("/progress-parser/any-order-and-duplicates", test_any_order_and_duplicates);
  g_test_add_func ("/progress-parser/empty-results", test_empty_results);
  g_test_add_func ("/progress-parser/error-shapes", test_error_shapes);
  g_test_add_func ("/progress-parser/decimal-reader", test_decimal_reader);
  return g_test_run ();
}

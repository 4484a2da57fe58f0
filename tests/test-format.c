/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "drs-format.h"
#include "drs-test-utils.h"

/* Durations, delays, percentages and times as each language writes them, through the real
 * catalogs of this build. */

typedef struct
{
  const char *language;
  const char *duration[9];
  const char *delay[8];
  const char *percent[7];
  const char *date_time[2];
  const char *time_ago[6];
} Expected;

static const gint64 durations[] = { 0, 45, 180, 200, 7200, 7500, 259200, 273600, -1 };
static const gint64 delays[] = { 0, 1500, 2000, 9900, 12345, 200000, 999, -1 };
static const double percents[] = { 0, 94, 37.5, 100, 99.96, 12.34, -1 };
static const gint64 agos[] = { 0, 1, 12, 200, 7500, -1 };

static const Expected expected[] = {
  {
      "en_US",
      { "0 s", "45 s", "3 min", "3 min 20 s", "2 h", "2 h 5 min", "3 d", "3 d 4 h", "—" },
      { "0 s", "1.5 s", "2 s", "9.9 s", "12 s", "3 min 20 s", "1 s", "—" },
      { "0%", "94%", "37.5%", "100%", "100%", "12.3%", "—" },
      { "2026-03-05 07:08:09", "—" },
      { "just now", "just now", "12 s ago", "3 min ago", "2 h 5 min ago", "—" },
  },
  {
      "zh_CN",
      { "0秒", "45秒", "3分钟", "3分20秒", "2小时", "2小时5分", "3天", "3天4小时", "—" },
      { "0秒", "1.5秒", "2秒", "9.9秒", "12秒", "3分20秒", "1秒", "—" },
      { "0%", "94%", "37.5%", "100%", "100%", "12.3%", "—" },
      { "2026年3月5日 07:08:09", "—" },
      { "刚刚", "刚刚", "12秒前", "3分钟前", "2小时5分前", "—" },
  },
};

static void
test_format (gconstpointer data)
{
  const Expected *e = data;
  g_autoptr (GDateTime) when = g_date_time_new_utc (2026, 3, 5, 7, 8, 9);

  if (!drs_test_use_language (e->language))
    {
      g_test_skip ("The locale is not installed (build-aux/deps.sh generates it)");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
    {
      g_autofree char *text = drs_format_duration (durations[i]);
      g_assert_cmpstr (text, ==, e->duration[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (delays); i++)
    {
      g_autofree char *text = drs_format_delay (delays[i]);
      g_assert_cmpstr (text, ==, e->delay[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (percents); i++)
    {
      g_autofree char *text = drs_format_percent (percents[i]);
      g_assert_cmpstr (text, ==, e->percent[i]);
    }
  {
    g_autofree char *text = drs_format_date_time (when);
    g_autofree char *none = drs_format_date_time (NULL);

    g_assert_cmpstr (text, ==, e->date_time[0]);
    g_assert_cmpstr (none, ==, e->date_time[1]);
  }
  for (guint i = 0; i < G_N_ELEMENTS (agos); i++)
    {
      g_autofree char *text = drs_format_time_ago (agos[i]);
      g_assert_cmpstr (text, ==, e->time_ago[i]);
    }

  g_assert_true (drs_test_use_language ("en_US"));
}

/* Switching back and forth gives each language's text again: nothing is cached. */
static void
test_switch (void)
{
  if (!drs_test_use_language ("zh_CN") || !drs_test_use_language ("en_US"))
    {
      g_test_skip ("The zh_CN.UTF-8 or en_US.UTF-8 locale is not installed");
      return;
    }
  for (guint round = 0; round < 3; round++)
    {
      g_autofree char *zh = NULL;
      g_autofree char *en = NULL;

      g_assert_true (drs_test_use_language ("zh_CN"));
      zh = drs_format_duration (200);
      g_assert_true (drs_test_use_language ("en_US"));
      en = drs_format_duration (200);
      g_assert_cmpstr (zh, ==, "3分20秒");
      g_assert_cmpstr (en, ==, "3 min 20 s");
    }
}

int
main (int argc, char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  drs_test_init (&argc, &argv);

  g_test_add_data_func ("/format/en_US", &expected[0], test_format);
  g_test_add_data_func ("/format/zh_CN", &expected[1], test_format);
  g_test_add_func ("/format/switch", test_switch);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "drs-simulator.h"
#include "drs-test-utils.h"

/* drs-progress speaks one language at a time: the one --language names, else the environment's
 * (any Chinese locale is zh-CN, anything else en-US). Its own texts (gettext, the catalogs of
 * this build) and the X-Language header the simulator receives always agree, so the server's
 * messages arrive in the language of the rest of the output. */

#define TOKEN "cli-i18n-token"
#define UNKNOWN_ID "00000000-0000-0000-0000-00000000jb99"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
on_communicated (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

/* Runs drs-progress with only @envp (NAME=VALUE) for its locale: every locale variable of the
 * test's own environment is dropped first. */
static Run
run_progress (const char *const *envp, const char *const *args)
{
  g_autoptr (GSubprocessLauncher) launcher =
      g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  const char *scrub[] = {
    "LANGUAGE",       "LC_ALL",         "LC_MESSAGES",      "LC_CTYPE", "LANG",
    "DRS_AK",         "DRS_SK",         "DRS_PASSWORD",     "DRS_USER", "DRS_DOMAIN",
    "DRS_PROJECT_ID", "DRS_AUTH_TOKEN", "G_MESSAGES_DEBUG", NULL
  };
  Run run = { 0 };

  for (guint i = 0; scrub[i] != NULL; i++)
    g_subprocess_launcher_unsetenv (launcher, scrub[i]);
  g_subprocess_launcher_setenv (launcher, "DRS_MONITOR_LOCALEDIR", DRS_TEST_LOCALEDIR, TRUE);
  g_subprocess_launcher_setenv (launcher, "TZ", "UTC", TRUE);
  g_subprocess_launcher_setenv (launcher, "DRS_AUTH_TOKEN", TOKEN, TRUE);
  for (guint i = 0; envp != NULL && envp[i] != NULL; i++)
    {
      g_auto (GStrv) kv = g_strsplit (envp[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }

  g_ptr_array_add (argv, (char *) DRS_PROGRESS_PATH);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (proc, NULL, NULL, on_communicated, &result);
  DRS_TEST_SPIN_UNTIL (result != NULL, 60000);
  g_assert_true (g_subprocess_communicate_utf8_finish (proc, result, &run.out, &run.err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  run.status = g_subprocess_get_exit_status (proc);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run.status, run.out, run.err);
  return run;
}

typedef struct
{
  const char *name;
  const char *env[4];
  const char *language; /* --language, or NULL */
  gboolean    chinese;
} Case;

static const Case cases[] = {
  { "LANG=zh_CN", { "LANG=zh_CN.UTF-8", NULL }, NULL, TRUE },
  { "LANG=en_US", { "LANG=en_US.UTF-8", NULL }, NULL, FALSE },
  { "LC_ALL=zh_CN over LANG=en_US",
    { "LANG=en_US.UTF-8", "LC_ALL=zh_CN.UTF-8", NULL },
    NULL,
    TRUE },
  { "LANGUAGE=zh_TW in C.UTF-8", { "LC_ALL=C.UTF-8", "LANGUAGE=zh_TW:en", NULL }, NULL, TRUE },
  /* Not installed here: the C.UTF-8 fallback still reads the zh_CN catalog. */
  { "LANG=zh_HK (no such locale)", { "LANG=zh_HK.UTF-8", NULL }, NULL, TRUE },
  { "LANG=de_DE", { "LANG=de_DE.UTF-8", NULL }, NULL, FALSE },
  /* The first language decides, though the zh_CN catalog could serve the second. */
  { "LANGUAGE=fr:zh_CN", { "LANG=fr_FR.UTF-8", "LANGUAGE=fr:zh_CN", NULL }, NULL, FALSE },
  { "LANG=C", { "LANG=C", NULL }, NULL, FALSE },
  { "no locale at all", { NULL }, NULL, FALSE },
  { "--language zh-cn over LANG=en_US", { "LANG=en_US.UTF-8", NULL }, "zh-cn", TRUE },
  { "--language en-us over LANG=zh_CN", { "LANG=zh_CN.UTF-8", NULL }, "en-us", FALSE },
  { "--language zh_CN in C", { "LC_ALL=C", NULL }, "zh_CN", TRUE },
  { "--language=EN-US over LANGUAGE=zh_CN",
    { "LANGUAGE=zh_CN", "LANG=zh_CN.UTF-8", NULL },
    "=EN-US",
    FALSE },
};

static void
test_table (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (DrsSimulator) sim = drs_simulator_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) known = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *language_arg = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_auto (Run) run = { 0 };

  g_test_message ("%s", c->name);
  /* Chinese output needs the zh_CN.UTF-8 locale (the Flatpak SDK stand-in has none). */
  if (c->chinese && !drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  drs_test_use_language ("en_US");
  drs_simulator_set_manual_clock (sim, TRUE);
  drs_simulator_add_token (sim, TOKEN);
  g_assert_true (drs_simulator_listen (sim, 0, NULL, &error));
  g_assert_no_error (error);
  known = drs_simulator_dup_job_ids (sim);

  g_ptr_array_add (args, "--endpoint");
  g_ptr_array_add (args, (char *) drs_simulator_get_base_url (sim));
  g_ptr_array_add (args, "--project-id");
  g_ptr_array_add (args, DRS_SIM_DEMO_PROJECT_ID);
  if (c->language != NULL && c->language[0] == '=')
    {
      language_arg = g_strconcat ("--language", c->language, NULL);
      g_ptr_array_add (args, language_arg);
    }
  else if (c->language != NULL)
    {
      g_ptr_array_add (args, "--language");
      g_ptr_array_add (args, (char *) c->language);
    }
  g_ptr_array_add (args, known[0]);
  g_ptr_array_add (args, UNKNOWN_ID);
  g_ptr_array_add (args, NULL);

  run = run_progress (c->env, (const char *const *) args->pdata);
  g_assert_cmpint (run.status, ==, 1); /* the unknown task */
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpstr (drs_simulator_get_last_language (sim), ==, c->chinese ? "zh-cn" : "en-us");

  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  if (c->chinese)
    {
      /* Our headings, and the server's message for the unknown task. */
      g_assert_true (g_str_has_prefix (lines[0], "任务ID"));
      g_assert_nonnull (strstr (lines[0], "状态"));
      g_assert_nonnull (strstr (lines[0], "时延"));
      g_assert_nonnull (strstr (run.out, "任务不存在。"));
      g_assert_null (strstr (run.out, "Status"));
    }
  else
    {
      g_assert_true (g_str_has_prefix (lines[0], "Job ID"));
      g_assert_nonnull (strstr (lines[0], "Status"));
      g_assert_nonnull (strstr (lines[0], "Delay"));
      g_assert_nonnull (strstr (run.out, "The task does not exist."));
      g_assert_null (strstr (run.out, "状态"));
    }

  g_assert_finalize_object (g_steal_pointer (&sim));
}

/* The program's own errors, and --help, follow the same choice. */
static void
test_messages (void)
{
  const char *zh_env[] = { "LANG=zh_CN.UTF-8", NULL };
  const char *en_env[] = { "LANG=en_US.UTF-8", NULL };
  const char *bad_format[] = { "--format", "xml", "x", NULL };
  const char *bad_format_en[] = { "--language", "en-us", "--format", "xml", "x", NULL };
  const char *bad_format_zh[] = { "--format", "xml", "--language=zh-cn", "x", NULL };
  const char *bad_language[] = { "--language", "fr", "x", NULL };
  const char *help_zh[] = { "--language", "zh-cn", "--help", NULL };
  const char *help_en[] = { "--help", NULL };
  const char *no_ids[] = { "--endpoint", "http://127.0.0.1:9", NULL };

  if (!drs_test_use_language ("zh_CN"))
    {
      g_test_skip ("The zh_CN.UTF-8 locale is not installed (build-aux/deps.sh generates it)");
      return;
    }
  drs_test_use_language ("en_US");

  {
    g_auto (Run) zh = run_progress (zh_env, bad_format);
    g_auto (Run) en = run_progress (zh_env, bad_format_en);
    g_auto (Run) zh2 = run_progress (en_env, bad_format_zh);

    g_assert_cmpint (zh.status, ==, 2);
    g_assert_cmpstr (
        zh.err, ==,
        "drs-progress: 未知的输出格式“xml”：请使用table、json、csv、openmetrics或prometheus。\n");
    g_assert_cmpstr (zh2.err, ==, zh.err);
    g_assert_cmpint (en.status, ==, 2);
    g_assert_cmpstr (
        en.err, ==,
        "drs-progress: Unknown format “xml”: use table, json, csv, openmetrics or prometheus.\n");
  }
  {
    /* An unknown --language is an error in the environment's language. */
    g_auto (Run) zh = run_progress (zh_env, bad_language);
    g_auto (Run) en = run_progress (en_env, bad_language);

    g_assert_cmpint (zh.status, ==, 2);
    g_assert_cmpstr (zh.err, ==, "drs-progress: 未知语言“fr”：请使用en-us或zh-cn。\n");
    g_assert_cmpstr (en.err, ==, "drs-progress: Unknown language “fr”: use en-us or zh-cn.\n");
  }
  {
    g_auto (Run) zh = run_progress (en_env, help_zh);
    g_auto (Run) en =
        run_progress (zh_env, (const char *[]){ "--language", "en-us", "--help", NULL });
    g_auto (Run) en2 = run_progress (en_env, help_en);

    g_assert_cmpint (zh.status, ==, 0);
    g_assert_nonnull (strstr (zh.out, "华为云数据复制服务"));
    g_assert_nonnull (strstr (zh.out, "退出状态："));
    g_assert_nonnull (strstr (en.out, "Huawei Cloud Data Replication Service"));
    g_assert_null (strstr (en.out, "华为云"));
    g_assert_cmpstr (en.out, ==, en2.out);
  }
  {
    g_auto (Run) zh = run_progress (zh_env, no_ids);

    g_assert_cmpint (zh.status, ==, 2);
    g_assert_true (g_str_has_prefix (zh.err, "drs-progress: 没有任务ID"));
  }
}

/* The server's own message arrives in the chosen language, after our sentence in it. */
static void
test_server_error (void)
{
  g_autoptr (DrsSimulator) sim = drs_simulator_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) known = NULL;
  /* Chinese output needs the zh_CN.UTF-8 locale (the Flatpak SDK stand-in has none). */
  gboolean have_chinese = drs_test_use_language ("zh_CN");

  drs_test_use_language ("en_US");
  drs_simulator_set_manual_clock (sim, TRUE);
  g_assert_true (drs_simulator_listen (sim, 0, NULL, &error));
  g_assert_no_error (error);
  known = drs_simulator_dup_job_ids (sim);

  for (guint i = have_chinese ? 0 : 1; i < 2; i++)
    {
      gboolean    chinese = i == 0;
      const char *env[] = { chinese ? "LANG=zh_CN.UTF-8" : "LANG=en_US.UTF-8",
                            "DRS_AUTH_TOKEN=not-a-token", NULL };
      const char *args[] = { "--endpoint",   drs_simulator_get_base_url (sim),
                             "--project-id", DRS_SIM_DEMO_PROJECT_ID,
                             known[0],       NULL };
      g_auto (Run) run = run_progress (env, args);

      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (drs_simulator_get_last_language (sim), ==, chinese ? "zh-cn" : "en-us");
      if (chinese)
        {
          g_assert_true (g_str_has_prefix (run.out, "无法读取1个任务（"));
          g_assert_nonnull (strstr (run.out, "服务器不接受该凭据。"));
          g_assert_nonnull (strstr (run.out, "（APIGW.0301：IAM认证信息错误。"));
        }
      else
        {
          g_assert_true (g_str_has_prefix (run.out, "Could not read 1 task ("));
          g_assert_nonnull (strstr (run.out, "The server did not accept the credentials."));
          g_assert_nonnull (strstr (run.out, " (APIGW.0301: Incorrect IAM authentication"));
        }
    }

  g_assert_finalize_object (g_steal_pointer (&sim));
}

int
main (int argc, char *argv[])
{
  drs_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli-i18n/table/%u", i);

      g_test_add_data_func (path, &cases[i], test_table);
    }
  g_test_add_func ("/cli-i18n/messages", test_messages);
  g_test_add_func ("/cli-i18n/server-error", test_server_error);

  return g_test_run ();
}

/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "drs-endpoint"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "drs-endpoint.h"
#include "drs-error.h"

/* FACTS §6: the regions with a DRS endpoint, and the names Huawei Cloud's console gives them. */
static const char *const regions[] = {
  "cn-north-4",       "cn-north-1",     "cn-north-2",     "cn-north-9",     "cn-north-11",
  "cn-north-12",      "cn-east-2",      "cn-east-3",      "cn-east-4",      "cn-east-5",
  "cn-south-1",       "cn-south-2",     "cn-south-4",     "cn-southwest-2", "cn-southwest-3",
  "ap-southeast-1",   "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
  "my-kualalumpur-1", "sa-brazil-1",    "la-south-2",     "la-north-2",     "na-mexico-1",
  "af-south-1",       "af-north-1",     "me-east-1",      "ae-ad-1",        "eu-west-0",
  "eu-west-101",      "ru-moscow-1",    "ru-northwest-2", "tr-west-1",      NULL,
};

/* In the order of regions[]. Translators: Huawei Cloud's own region names; use the names its
 * console shows in your language (e.g. 华北-北京四). */
static const char *const region_names[] = {
  N_ ("CN North-Beijing4"),
  N_ ("CN North-Beijing1"),
  N_ ("CN North-Beijing2"),
  N_ ("CN North-Ulanqab1"),
  N_ ("CN North-Ulanqab201"),
  N_ ("CN North-Ulanqab202"),
  N_ ("CN East-Shanghai2"),
  N_ ("CN East-Shanghai1"),
  N_ ("CN East2"),
  N_ ("CN East-Qingdao"),
  N_ ("CN South-Guangzhou"),
  N_ ("CN South-Shenzhen"),
  N_ ("CN South-Guangzhou-InvitationOnly"),
  N_ ("CN Southwest-Guiyang1"),
  N_ ("CN Southwest"),
  N_ ("CN-Hong Kong"),
  N_ ("AP-Bangkok"),
  N_ ("AP-Singapore"),
  N_ ("AP-Jakarta"),
  N_ ("AP-Manila"),
  N_ ("AP-Kuala Lumpur"),
  N_ ("LA-Sao Paulo1"),
  N_ ("LA-Santiago"),
  N_ ("LA-Mexico City2"),
  N_ ("LA-Mexico City1"),
  N_ ("AF-Johannesburg"),
  N_ ("AF-Cairo"),
  N_ ("ME-Riyadh"),
  N_ ("ME-Abu Dhabi"),
  N_ ("EU-Paris"),
  N_ ("EU-Dublin"),
  N_ ("RU-Moscow"),
  N_ ("RU-Moscow2"),
  N_ ("TR-Istanbul"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (region_names) + 1 == G_N_ELEMENTS (regions));

/**
 * drs_endpoint_list_regions:
 *
 * Returns: (transfer none): the region ids known to have a DRS endpoint
 */
const char *const *
drs_endpoint_list_regions (void)
{
  return regions;
}

/**
 * drs_endpoint_get_region_name:
 * @region: (nullable): a region id such as `cn-north-4`
 *
 * Returns: (nullable): the region's translated name ("CN North-Beijing4", "华北-北京四"), %NULL
 *   for a region this build does not know
 */
const char *
drs_endpoint_get_region_name (const char *region)
{
  for (guint i = 0; region != NULL && regions[i] != NULL; i++)
    if (g_str_equal (regions[i], region))
      return _ (region_names[i]);
  return NULL;
}

/**
 * drs_endpoint_dup_region_label:
 * @region: a region id
 *
 * Returns: (transfer full): the id and, when known, the translated name beside it:
 *   "cn-north-4 — CN North-Beijing4"
 */
char *
drs_endpoint_dup_region_label (const char *region)
{
  const char *name;

  g_return_val_if_fail (region != NULL, NULL);

  name = drs_endpoint_get_region_name (region);
  if (name == NULL)
    return g_strdup (region);
  /* Translators: a region's id and its name, e.g. "cn-north-4 — CN North-Beijing4" */
  return g_strdup_printf (_ ("%s — %s"), region, name);
}

gboolean
drs_endpoint_region_is_known (const char *region)
{
  return region != NULL && g_strv_contains (regions, region);
}

/**
 * drs_endpoint_region_is_valid:
 *
 * Returns: %TRUE when @region looks like a region id (`xx-name-N`): lower-case letters, digits
 *   and dashes, so it can be put into a host name. Unknown but well-formed regions are allowed,
 *   since Huawei Cloud opens new ones.
 */
gboolean
drs_endpoint_region_is_valid (const char *region)
{
  gsize len;

  if (region == NULL)
    return FALSE;
  len = strlen (region);
  if (len < 3 || len > 40 || region[0] == '-' || region[len - 1] == '-')
    return FALSE;
  for (const char *p = region; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;
  return strchr (region, '-') != NULL;
}

static char *
endpoint_for (const char *service, const char *region, GError **error)
{
  const char *domain = "myhuaweicloud.com";

  if (!drs_endpoint_region_is_valid (region))
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                   _ ("“%s” is not a region name such as cn-north-4."), region ? region : "");
      return NULL;
    }
  /* FACTS §1: the one region on the European domain. */
  if (g_str_equal (region, "eu-west-101"))
    domain = "myhuaweicloud.eu";
  return g_strdup_printf ("https://%s.%s.%s", service, region, domain);
}

/**
 * drs_endpoint_for_region:
 *
 * Returns: (transfer full) (nullable): `https://drs.{region}.myhuaweicloud.com`
 */
char *
drs_endpoint_for_region (const char *region, GError **error)
{
  return endpoint_for ("drs", region, error);
}

/**
 * drs_endpoint_iam_for_region:
 *
 * Returns: (transfer full) (nullable): `https://iam.{region}.myhuaweicloud.com`
 */
char *
drs_endpoint_iam_for_region (const char *region, GError **error)
{
  return endpoint_for ("iam", region, error);
}

/**
 * drs_endpoint_host_is_loopback:
 * @host: a host as it appears in a URI (IPv6 without brackets)
 *
 * Only literal loopback addresses and `localhost` count: no name is resolved.
 */
gboolean
drs_endpoint_host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * drs_endpoint_is_loopback:
 * @endpoint: (nullable): a base URL
 *
 * Returns: whether @endpoint's host is this computer (see drs_endpoint_host_is_loopback()):
 *   such an endpoint is reachable with no network at all
 */
gboolean
drs_endpoint_is_loopback (const char *endpoint)
{
  g_autoptr (GUri) uri = NULL;

  if (endpoint == NULL)
    return FALSE;
  uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && drs_endpoint_host_is_loopback (g_uri_get_host (uri));
}

/**
 * drs_endpoint_normalize:
 * @endpoint: a base URL such as `https://drs.cn-north-4.myhuaweicloud.com` or
 *   `http://127.0.0.1:8080`
 *
 * Checks the transport rule: `https://` to anywhere, `http://` only to a loopback address. The
 * URL must not carry user info, a query or a fragment.
 *
 * Returns: (transfer full) (nullable): the URL without a trailing `/`, or %NULL with
 *   %DRS_ERROR_INVALID
 */
char *
drs_endpoint_normalize (const char *endpoint, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) local_error = NULL;
  const char      *scheme, *host, *path;
  g_autofree char *text = NULL;
  gsize            len;

  g_return_val_if_fail (endpoint != NULL, NULL);

  uri = g_uri_parse (endpoint, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID, _ ("“%s” is not a valid endpoint URL: %s"),
                   endpoint, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID, _ ("The endpoint “%s” has no host name."),
                   endpoint);
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                   _ ("The endpoint “%s” must be a plain base URL without user name, query or "
                      "fragment."),
                   endpoint);
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (!drs_endpoint_host_is_loopback (host))
        {
          g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                       _ ("Refusing unencrypted http:// to “%s”: plain HTTP is only allowed to "
                          "this computer (127.0.0.1, ::1, localhost). Use https://."),
                       host);
          return NULL;
        }
    }
  else if (g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, DRS_ERROR, DRS_ERROR_INVALID,
                   _ ("The endpoint “%s” must start with https://."), endpoint);
      return NULL;
    }

  path = g_uri_get_path (uri);
  text = g_uri_to_string (uri);
  len = strlen (text);
  while (len > 0 && text[len - 1] == '/' && path != NULL && *path != '\0')
    text[--len] = '\0';
  return g_steal_pointer (&text);
}

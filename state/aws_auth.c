/* aws_auth.c - where AWS credentials, region and endpoint come from (options, environment,
 * ~/.aws files), and SigV4 signing of libcurl requests. Service-neutral: S3 and Kinesis use it. */
#include "aws_auth.h"

#include <ctype.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../engine/arena.h"
#include "../engine/buf.h"

/* The public AWS partition's domain (China regions add ".cn"); used only when nothing else
 * names an endpoint. */
#define AWS_DOMAIN "amazonaws.com"

/* An environment variable, with "" treated as unset. */
static const char *env(const char *name) {
  const char *v = getenv(name);
  return v && v[0] ? v : NULL;
}

static int given(const char *s) { return s && s[0]; }

/* ---------------------------------------------------------------------------------------------
 * ~/.aws/credentials and ~/.aws/config: tiny INI files. */

typedef struct profile {
  char *access_key, *secret_key, *session_token, *region;
} profile;

static void profile_destroy(profile *p) {
  if (p->secret_key) explicit_bzero(p->secret_key, strlen(p->secret_key));
  if (p->session_token) explicit_bzero(p->session_token, strlen(p->session_token));
  free(p->access_key);
  free(p->secret_key);
  free(p->session_token);
  free(p->region);
  memset(p, 0, sizeof *p);
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = 0;
  return s;
}

/* Does "[header]" name profile name? The credentials file says "[name]"; the config file says
 * "[profile name]", except for "[default]". */
static int section_matches(char *header, const char *name, int config_style) {
  header = trim(header);
  if (config_style && strncmp(header, "profile", 7) == 0 && isspace((unsigned char)header[7]))
    return strcmp(trim(header + 8), name) == 0;
  if (config_style && strcmp(name, "default") != 0) return 0;
  return strcmp(header, name) == 0;
}

/* Reads profile name's keys from path into *p (keys already set are kept).
 * Returns -1 when the file cannot be read, 0 when the profile is absent, 1 when present. */
static int read_profile(const char *path, const char *name, int config_style, profile *p) {
  FILE *f = fopen(path, "re");
  if (f == NULL) return -1;
  char *line = NULL;
  size_t cap = 0;
  int in_section = 0, found = 0, nested = 0;
  while (getline(&line, &cap, f) >= 0) {
    int indented = line[0] == ' ' || line[0] == '\t';
    char *l = trim(line);
    if (l[0] == 0 || l[0] == '#' || l[0] == ';') continue;
    if (nested && indented) continue; /* "s3 =" followed by indented sub-settings */
    nested = 0;
    if (l[0] == '[') {
      char *end = strchr(l, ']');
      if (end) *end = 0;
      in_section = section_matches(l + 1, name, config_style);
      found |= in_section;
      continue;
    }
    if (!in_section) continue;
    char *eq = strchr(l, '=');
    if (eq == NULL) continue;
    *eq = 0;
    char *k = trim(l), *v = trim(eq + 1);
    if (v[0] == 0) {
      nested = 1;
      continue;
    }
    char **slot = NULL;
    if (strcasecmp(k, "aws_access_key_id") == 0) slot = &p->access_key;
    else if (strcasecmp(k, "aws_secret_access_key") == 0) slot = &p->secret_key;
    else if (strcasecmp(k, "aws_session_token") == 0) slot = &p->session_token;
    else if (strcasecmp(k, "region") == 0) slot = &p->region;
    if (slot && *slot == NULL) *slot = sl_strdup(v);
  }
  if (line) explicit_bzero(line, cap);
  free(line);
  fclose(f);
  return found;
}

/* $var if set, else ~/.aws/<file>; malloc'd. */
static char *aws_file(const char *var, const char *file) {
  const char *v = env(var);
  if (v) return sl_strdup(v);
  const char *home = env("HOME");
  if (home == NULL) {
    struct passwd *pw = getpwuid(getuid());
    home = pw && pw->pw_dir ? pw->pw_dir : "/";
  }
  sl_buf b;
  sl_buf_init(&b);
  sl_buf_printf(&b, "%s/.aws/%s", home, file);
  return b.data;
}

static const char *profile_name(const sl_aws_settings *set) {
  if (set && given(set->profile)) return set->profile;
  const char *p = env("AWS_PROFILE");
  return p ? p : "default";
}

/* ---------------------------------------------------------------------------------------------
 * Credentials and region. */

static void creds_set(sl_aws_creds *out, const char *ak, const char *sk, const char *tok, const char *src) {
  out->access_key = sl_strdup(ak);
  out->secret_key = sl_strdup(sk);
  out->session_token = given(tok) ? sl_strdup(tok) : NULL;
  out->source = sl_strdup(src);
}

static const char *file_state(int rc) { return rc < 0 ? "not found" : rc == 0 ? "no such profile" : "no keys"; }

int sl_aws_creds_resolve(const sl_aws_settings *set, sl_aws_creds *out, sl_err *err) {
  memset(out, 0, sizeof *out);
  if (set && (given(set->access_key) || given(set->secret_key))) {
    if (!given(set->access_key) || !given(set->secret_key))
      return sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC, "an AWS %s was given without the %s",
                        given(set->access_key) ? "access key" : "secret key",
                        given(set->access_key) ? "secret key" : "access key");
    creds_set(out, set->access_key, set->secret_key, set->session_token, "options");
    return 0;
  }
  const char *ak = env("AWS_ACCESS_KEY_ID"), *sk = env("AWS_SECRET_ACCESS_KEY");
  if (ak || sk) {
    if (!ak || !sk)
      return sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC, "%s is set but %s is not",
                        ak ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                        ak ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    creds_set(out, ak, sk, env("AWS_SESSION_TOKEN"), "environment");
    return 0;
  }

  /* The profile: the credentials file first, then the config file (which may hold keys too). */
  const char *name = profile_name(set);
  char *paths[2] = {aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials"), aws_file("AWS_CONFIG_FILE", "config")};
  int states[2] = {-1, -1};
  int rc = SL_ECONFIG, half = 0;
  for (int i = 0; i < 2 && rc != 0 && !half; i++) {
    profile p = {0};
    states[i] = read_profile(paths[i], name, i == 1, &p);
    if (p.access_key && p.secret_key) {
      sl_buf src;
      sl_buf_init(&src);
      sl_buf_printf(&src, "profile '%s' in %s", name, paths[i]);
      creds_set(out, p.access_key, p.secret_key, p.session_token, src.data);
      sl_buf_destroy(&src);
      rc = 0;
    } else if (p.access_key || p.secret_key) {
      rc = sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC, "profile '%s' in %s has %s but not %s", name, paths[i],
                      p.access_key ? "aws_access_key_id" : "aws_secret_access_key",
                      p.access_key ? "aws_secret_access_key" : "aws_access_key_id");
      half = 1; /* a half-configured profile is an error, not a reason to look further */
    }
    profile_destroy(&p);
  }
  if (rc != 0 && !half) {
    rc = sl_err_set(err, SL_ECONFIG, SL_ERR_NOLOC,
                    "no AWS credentials found: none in the options, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY "
                    "not set, profile '%s' not in %s (%s) nor in %s (%s)",
                    name, paths[0], file_state(states[0]), paths[1], file_state(states[1]));
    sl_err_hint(err, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, give the access and secret key "
                     "options, or add the profile to the credentials file");
  }
  free(paths[0]);
  free(paths[1]);
  return rc;
}

void sl_aws_creds_destroy(sl_aws_creds *c) {
  if (c == NULL) return;
  profile p = {c->access_key, c->secret_key, c->session_token, NULL};
  profile_destroy(&p); /* wipes and frees the three keys */
  free(c->source);
  memset(c, 0, sizeof *c);
}

char *sl_aws_region_resolve(const sl_aws_settings *set) {
  if (set && given(set->region)) return sl_strdup(set->region);
  const char *r = env("AWS_REGION");
  if (r == NULL) r = env("AWS_DEFAULT_REGION");
  if (r) return sl_strdup(r);
  char *path = aws_file("AWS_CONFIG_FILE", "config");
  profile p = {0};
  read_profile(path, profile_name(set), 1, &p);
  free(path);
  char *out = p.region ? sl_strdup(p.region) : sl_strdup("us-east-1");
  profile_destroy(&p);
  return out;
}

/* ---------------------------------------------------------------------------------------------
 * Endpoints and signing. */

char *sl_aws_endpoint(const char *service, const char *region, const char *explicit_url) {
  const char *url = given(explicit_url) ? explicit_url : NULL;
  if (url == NULL) {
    char var[96] = "AWS_ENDPOINT_URL_";
    size_t n = strlen(var);
    for (const char *c = service; *c && n + 1 < sizeof var; c++)
      var[n++] = (*c == '-' || *c == ' ') ? '_' : (char)toupper((unsigned char)*c);
    var[n] = 0;
    url = env(var);
    if (url == NULL) url = env("AWS_ENDPOINT_URL");
  }
  sl_buf b;
  sl_buf_init(&b);
  if (url == NULL) {
    sl_buf_printf(&b, "https://%s.%s." AWS_DOMAIN "%s", service, region, strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
  } else {
    if (strstr(url, "://") == NULL) sl_buf_adds(&b, "https://");
    sl_buf_adds(&b, url);
    while (b.len > 0 && b.data[b.len - 1] == '/') b.data[--b.len] = 0;
  }
  return b.data;
}

int sl_aws_transport_retryable(CURLcode cc) {
  switch (cc) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_CONNECT:
  case CURLE_OPERATION_TIMEDOUT:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_GOT_NOTHING:
  case CURLE_PARTIAL_FILE:
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_HTTP2:
  case CURLE_HTTP2_STREAM:
  case CURLE_UPLOAD_FAILED:
    return 1;
  default:
    return 0;
  }
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }
void sl_aws_curl_global_init(void) { pthread_once(&curl_once, curl_init_once); }

int sl_aws_curl_sign(CURL *h, const char *service, const char *region, const sl_aws_creds *c,
                     struct curl_slist **headers, sl_err *err) {
  char sigv4[128];
  snprintf(sigv4, sizeof sigv4, "aws:amz:%s:%s", region, service);
  /* USERNAME/PASSWORD rather than USERPWD "key:secret": a ':' inside a key cannot confuse it. */
  if (curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4) != CURLE_OK ||
      curl_easy_setopt(h, CURLOPT_USERNAME, c->access_key) != CURLE_OK ||
      curl_easy_setopt(h, CURLOPT_PASSWORD, c->secret_key) != CURLE_OK)
    return sl_err_set(err, SL_EIO, SL_ERR_NOLOC, "this libcurl cannot sign AWS requests (SigV4 needs libcurl >= 7.75)");
  /* The AWS tools' way to trust a private CA (a corporate proxy, a local TLS stand-in). */
  const char *ca = env("AWS_CA_BUNDLE");
  if (ca) curl_easy_setopt(h, CURLOPT_CAINFO, ca);
  if (c->session_token) {
    sl_buf b;
    sl_buf_init(&b);
    sl_buf_printf(&b, "x-amz-security-token: %s", c->session_token);
    struct curl_slist *l = curl_slist_append(*headers, b.data);
    explicit_bzero(b.data, b.len);
    sl_buf_destroy(&b);
    if (l == NULL) abort(); /* out of memory, as sl_malloc would */
    *headers = l;
  }
  return 0;
}

/* aws_auth.h - AWS credentials, region and endpoint resolution, and SigV4 set-up of a libcurl
 * easy handle: the part of talking to AWS that S3 (objstore_s3.c) and Kinesis share.
 *
 * Resolution order (the AWS CLI's, without SSO, web identity or instance metadata):
 *   credentials: explicit settings > AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN)
 *                > profile (settings, else AWS_PROFILE, else "default") in the credentials file
 *                  ($AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials), then in the config file
 *   region:      explicit > AWS_REGION > AWS_DEFAULT_REGION > the profile's "region" in the config
 *                file ($AWS_CONFIG_FILE, else ~/.aws/config; "[profile x]" or "[default]") > us-east-1
 *   endpoint:    explicit > AWS_ENDPOINT_URL_<SERVICE> > AWS_ENDPOINT_URL > https://<service>.<region>.<AWS domain>
 *   TLS trust:   AWS_CA_BUNDLE, when set, replaces the system's CA list (sl_aws_curl_sign)
 * Empty environment variables count as unset. Nothing here logs, and no message holds a secret. */
#ifndef SL_AWS_AUTH_H
#define SL_AWS_AUTH_H

#include <curl/curl.h>

#include "../engine/err.h"

/* What the caller was told explicitly (table or SET options); NULL means not given. */
typedef struct sl_aws_settings {
  const char *access_key;
  const char *secret_key;
  const char *session_token;
  const char *region;
  const char *profile; /* overrides AWS_PROFILE */
} sl_aws_settings;

/* Resolved credentials; every string is owned (malloc'd) by the struct. */
typedef struct sl_aws_creds {
  char *access_key;
  char *secret_key;
  char *session_token; /* NULL when there is none */
  char *source;        /* where they came from, for messages: "options", "environment",
                          "profile 'x' in /path" (never the keys themselves) */
} sl_aws_creds;

/* Fills *out (zeroed first). SL_ECONFIG when no credentials are found, listing where it looked,
 * or when only half of a key pair is given. set may be NULL. */
int sl_aws_creds_resolve(const sl_aws_settings *set, sl_aws_creds *out, sl_err *err);
/* Frees the strings (wiping the secrets first) and zeroes *c. */
void sl_aws_creds_destroy(sl_aws_creds *c);

/* The region to sign for; never NULL, caller frees. set may be NULL. */
char *sl_aws_region_resolve(const sl_aws_settings *set);

/* The endpoint URL for service ("s3", "kinesis", "dynamodb", ...) without a trailing '/';
 * caller frees. explicit_url may be NULL; a URL without "scheme://" gets "https://". */
char *sl_aws_endpoint(const char *service, const char *region, const char *explicit_url);

/* Whether a libcurl failure is worth another attempt (the connection, not the request, failed). */
int sl_aws_transport_retryable(CURLcode cc);

/* Once per process, before the first easy handle (thread-safe; curl_global_init). */
void sl_aws_curl_global_init(void);

/* Sets up h (after curl_easy_reset) to sign its next request with libcurl's SigV4 for
 * service/region with c; appends "x-amz-security-token" to *headers when c has a session token
 * (the caller owns *headers and must pass it with CURLOPT_HTTPHEADER). S3 also needs an
 * "x-amz-content-sha256" header, which is the caller's business. Returns 0 or SL_EIO when libcurl
 * lacks SigV4. */
int sl_aws_curl_sign(CURL *h, const char *service, const char *region, const sl_aws_creds *c,
                     struct curl_slist **headers, sl_err *err);

#endif

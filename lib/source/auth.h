/* Registry credentials and the two schemes registries use: Basic, and the
 * Bearer token flow of the distribution spec (a 401 challenge names a token
 * server; brig asks it for a token, with Basic credentials when it has them).
 * Secrets are never logged and are wiped from memory when freed. */
#ifndef BRIG_SOURCE_AUTH_H
#define BRIG_SOURCE_AUTH_H

#include <stddef.h>

#include "core/error.h"
#include "source/http.h"

struct brig_credentials {
	char *username; /* NULL: anonymous */
	char *password;
	char *source;   /* where they came from, for messages: "command line", ... */
};

/* Finds credentials for `registry` (a host[:port] as in brig_image_ref):
 * first `username`/`password` (both or neither: the CLI's), then the
 * environment BRIG_USERNAME/BRIG_PASSWORD, then auths[host].auth in
 * $DOCKER_CONFIG/config.json or ~/.docker/config.json (keys may carry a
 * scheme and path, e.g. "https://index.docker.io/v1/"). Nothing found is
 * success with out->username == NULL. A config file that cannot be used is
 * a warning, not an error: anonymous access may still work. */
int brig_credentials_lookup(const char *registry, const char *username, const char *password,
			    struct brig_credentials *out, struct brig_error *err);
void brig_credentials_copy(struct brig_credentials *dst, const struct brig_credentials *src);
/* Wipes and frees; the struct is left anonymous. */
void brig_credentials_clear(struct brig_credentials *c);

/* "Authorization: Basic <base64(user:pass)>" (malloc'ed; wipe with
 * brig_auth_free_secret). A ':' in the user name is refused (RFC 7617). */
int brig_auth_basic_header(const struct brig_credentials *c, char **header,
			   struct brig_error *err);
void brig_auth_free_secret(char *s);

enum brig_auth_scheme { BRIG_AUTH_UNKNOWN = 0, BRIG_AUTH_BASIC, BRIG_AUTH_BEARER };

struct brig_auth_challenge {
	enum brig_auth_scheme scheme;
	char *realm;
	char *service;
	char *scope;
	char *error; /* e.g. "insufficient_scope" */
};

/* Parses a WWW-Authenticate value (RFC 7235: several challenges, auth-params
 * with token or quoted-string values, token68). Picks the Bearer challenge
 * when there is one, else Basic; neither is an error. */
int brig_auth_parse_challenge(const char *header, struct brig_auth_challenge *out,
			      struct brig_error *err);
void brig_auth_challenge_free(struct brig_auth_challenge *c);

/* Extracts "token" (or, failing that, "access_token") from a token server's
 * JSON reply. The token goes into a header: only visible ASCII is accepted. */
int brig_auth_parse_token_response(const char *json, size_t len, char **token,
				   struct brig_error *err);

/* Runs the Bearer flow for a challenge: GET realm?service=..&scope=.. and
 * returns the token (wipe with brig_auth_free_secret). `scope` is used when
 * the challenge names none. Credentials are sent only over https or to the
 * registry's own host (`registry_host`), never in clear to a third party. */
int brig_auth_fetch_token(const struct brig_http_opts *o, const struct brig_auth_challenge *ch,
			  const char *scope, const char *registry_host,
			  const struct brig_credentials *creds, char **token, struct brig_error *err);

#endif

#include "source/auth.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/reader.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

/* A token server's reply is a small JSON object; a token goes into one
 * header line. Both bounds are far above what real registries send. */
#define MAX_TOKEN_REPLY (1u << 20)
#define MAX_TOKEN_LEN (64u << 10)
#define MAX_CHALLENGE_LEN (64u << 10)
#define MAX_REALM_LEN 2048u

void brig_auth_free_secret(char *s)
{
	if (!s)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

static void secret_freep(char **s)
{
	brig_auth_free_secret(*s);
}
#define _cleanup_secret_ __attribute__((cleanup(secret_freep)))

void brig_credentials_clear(struct brig_credentials *c)
{
	brig_auth_free_secret(c->username);
	brig_auth_free_secret(c->password);
	free(c->source);
	c->username = c->password = c->source = NULL;
}

void brig_credentials_copy(struct brig_credentials *dst, const struct brig_credentials *src)
{
	dst->username = src && src->username ? brig_xstrdup(src->username) : NULL;
	dst->password = src && src->password ? brig_xstrdup(src->password) : NULL;
	dst->source = src && src->source ? brig_xstrdup(src->source) : NULL;
}

/* ---- base64 (RFC 4648, with padding) ---- */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const unsigned char *in, size_t n)
{
	size_t out_len;
	char *out, *p;

	if (!brig_add_ok(n, 2, &out_len) || !brig_mul_ok(out_len / 3, 4, &out_len) ||
	    !brig_add_ok(out_len, 1, &out_len))
		abort();
	out = p = brig_xmalloc(out_len);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		*p++ = b64_alphabet[(v >> 18) & 63];
		*p++ = b64_alphabet[(v >> 12) & 63];
		*p++ = i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=';
		*p++ = i + 2 < n ? b64_alphabet[v & 63] : '=';
	}
	*p = '\0';
	return out;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_alphabet, c) : NULL;

	return p ? (int)(p - b64_alphabet) : -1;
}

/* Strict decode (padding optional, nothing else tolerated); NULL if invalid.
 * The result is NUL-terminated. */
static char *b64_decode(const char *in, size_t *out_len)
{
	size_t n = strlen(in), o = 0;
	unsigned acc = 0;
	int bits = 0;
	char *out;

	while (n > 0 && in[n - 1] == '=')
		n--;
	if (strlen(in) - n > 2 || n % 4 == 1)
		return NULL;
	out = brig_xmalloc(n / 4 * 3 + 3);
	for (size_t i = 0; i < n; i++) {
		int v = b64_value(in[i]);

		if (v < 0) {
			explicit_bzero(out, n / 4 * 3 + 3);
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

int brig_auth_basic_header(const struct brig_credentials *c, char **header,
			   struct brig_error *err)
{
	_cleanup_secret_ char *pair = NULL;
	_cleanup_secret_ char *enc = NULL;

	*header = NULL;
	if (!c || !c->username || !c->password)
		return brig_error_set(err, EINVAL, "no credentials");
	if (strchr(c->username, ':'))
		return brig_error_set(err, EINVAL, "a user name cannot contain ':' (Basic auth)");
	pair = brig_xasprintf("%s:%s", c->username, c->password);
	enc = b64_encode((const unsigned char *)pair, strlen(pair));
	*header = brig_xasprintf("Authorization: Basic %s", enc);
	return 0;
}

/* ---- credential lookup ---- */

static void set_creds(struct brig_credentials *out, const char *user, const char *pass,
		      const char *source)
{
	out->username = brig_xstrdup(user);
	out->password = brig_xstrdup(pass);
	out->source = brig_xstrdup(source);
}

/* "https://host:port/v1/" -> "host:port" (pointer/length into key) */
static void key_host(const char *key, const char **host, size_t *len)
{
	if (strncasecmp(key, "https://", 8) == 0)
		key += 8;
	else if (strncasecmp(key, "http://", 7) == 0)
		key += 7;
	*host = key;
	*len = strcspn(key, "/");
}

static bool is_docker_hub(const char *h, size_t n)
{
	static const char *const names[] = {"docker.io", "index.docker.io", "registry-1.docker.io"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && strncasecmp(h, names[i], n) == 0)
			return true;
	return false;
}

static bool key_matches(const char *key, const char *registry)
{
	const char *h;
	size_t n;

	key_host(key, &h, &n);
	if (strlen(registry) == n && strncasecmp(h, registry, n) == 0)
		return true;
	return is_docker_hub(registry, strlen(registry)) && is_docker_hub(h, n);
}

static char *docker_config_path(void)
{
	const char *dir = getenv("DOCKER_CONFIG");
	const char *home = getenv("HOME");

	if (dir && *dir)
		return brig_xasprintf("%s/config.json", dir);
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : NULL;
	}
	return home ? brig_xasprintf("%s/.docker/config.json", home) : NULL;
}

static json_t *load_json_file(const char *path, bool *missing, struct brig_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct brig_fd_reader fr;
	struct brig_reader r;
	_cleanup_buf_ struct brig_buf b;
	char chunk[8192];
	json_error_t jerr;
	json_t *root;
	ssize_t k;

	brig_buf_init(&b, BRIG_MAX_JSON_DOC);
	*missing = false;
	if (fd < 0) {
		*missing = errno == ENOENT || errno == ENOTDIR;
		return brig_error_errno(err, errno, "%s", path), NULL;
	}
	brig_fd_reader_init(&fr, &r, fd, BRIG_MAX_JSON_DOC + 1ull);
	while ((k = r.read(r.ctx, chunk, sizeof(chunk), err)) > 0)
		if (brig_buf_append(&b, chunk, (size_t)k, err) < 0)
			return brig_error_prefix(err, "%s", path), NULL;
	if (k < 0)
		return brig_error_prefix(err, "%s", path), NULL;
	root = json_loadb(b.data ? b.data : "", b.len, 0, &jerr);
	explicit_bzero(chunk, sizeof(chunk));
	if (b.data)
		explicit_bzero(b.data, b.len);
	if (!root)
		return brig_error_set(err, EINVAL, "%s: line %d: %s", path, jerr.line, jerr.text), NULL;
	return root;
}

/* Returns 1 when the entry gave credentials, 0 when not (warned). */
static int creds_from_entry(const char *path, const char *key, json_t *entry,
			    struct brig_credentials *out)
{
	const char *auth = json_string_value(json_object_get(entry, "auth"));
	_cleanup_secret_ char *pair = NULL;
	char *colon;
	size_t len;

	if (!auth || !*auth) {
		if (json_object_get(entry, "identitytoken"))
			brig_warn("%s: %s has an identity token; only \"auth\" entries are supported",
				  path, key);
		return 0;
	}
	pair = b64_decode(auth, &len);
	colon = pair ? memchr(pair, ':', len) : NULL;
	if (!colon || colon == pair || strlen(pair) != len) {
		brig_warn("%s: the \"auth\" entry for %s is not base64 of user:password; ignored",
			  path, key);
		return 0;
	}
	*colon = '\0';
	out->username = brig_xstrdup(pair);
	out->password = brig_xstrdup(colon + 1);
	out->source = brig_xstrdup(path);
	return 1;
}

static void creds_from_config(const char *registry, struct brig_credentials *out)
{
	_cleanup_free_ char *path = docker_config_path();
	json_auto_t *root = NULL;
	struct brig_error err = {0};
	json_t *auths, *entry;
	const char *key;
	bool missing;

	if (!path)
		return;
	root = load_json_file(path, &missing, &err);
	if (!root) {
		if (!missing)
			brig_warn("ignoring the Docker config: %s", err.msg);
		return;
	}
	auths = json_object_get(root, "auths");
	if (!json_is_object(auths)) {
		if (json_object_get(root, "credsStore") || json_object_get(root, "credHelpers"))
			brig_debug("%s: credential helpers are not supported", path);
		return;
	}
	/* An exact key wins over one that matches after normalization. */
	entry = json_object_get(auths, registry);
	if (json_is_object(entry) && creds_from_entry(path, registry, entry, out))
		return;
	json_object_foreach(auths, key, entry) {
		if (strcmp(key, registry) != 0 && json_is_object(entry) && key_matches(key, registry) &&
		    creds_from_entry(path, key, entry, out))
			return;
	}
}

int brig_credentials_lookup(const char *registry, const char *username, const char *password,
			    struct brig_credentials *out, struct brig_error *err)
{
	const char *eu = getenv("BRIG_USERNAME"), *ep = getenv("BRIG_PASSWORD");

	memset(out, 0, sizeof(*out));
	if (username || password) {
		if (!username || !password || !*username)
			return brig_error_set(err, EINVAL, "--username and --password go together");
		set_creds(out, username, password, "command line");
		return 0;
	}
	if ((eu && *eu) || (ep && *ep)) {
		if (!eu || !*eu || !ep)
			return brig_error_set(err, EINVAL,
					      "BRIG_USERNAME and BRIG_PASSWORD must be set together");
		set_creds(out, eu, ep, "environment");
		return 0;
	}
	creds_from_config(registry, out);
	return 0;
}

/* ---- WWW-Authenticate ---- */

static bool is_tchar(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static bool is_t68char(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("-._~+/", c));
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static size_t token_len(const char *p)
{
	size_t n = 0;

	while (is_tchar(p[n]))
		n++;
	return n;
}

/* p is at the opening quote; returns the end or NULL when malformed. */
static const char *quoted_string(const char *p, struct brig_buf *out, struct brig_error *err)
{
	for (p++;; p++) {
		char c = *p;

		if (c == '\0')
			return brig_error_set(err, EINVAL, "unterminated quoted string"), NULL;
		if (c == '"')
			return p + 1;
		if (c == '\\') {
			c = *++p;
			if (c == '\0')
				return brig_error_set(err, EINVAL, "unterminated quoted string"), NULL;
		}
		if ((unsigned char)c < 0x20 ? c != '\t' : c == 0x7f)
			return brig_error_set(err, EINVAL, "control character in a quoted string"), NULL;
		if (brig_buf_append(out, &c, 1, err) < 0)
			return NULL;
	}
}

static void challenge_reset(struct brig_auth_challenge *c)
{
	free(c->realm);
	free(c->service);
	free(c->scope);
	free(c->error);
	memset(c, 0, sizeof(*c));
}

void brig_auth_challenge_free(struct brig_auth_challenge *c)
{
	if (c)
		challenge_reset(c);
}

static void challenge_set(struct brig_auth_challenge *c, const char *name, size_t n,
			  struct brig_buf *val)
{
	char **slot = NULL;

	if (n == 5 && strncasecmp(name, "realm", 5) == 0)
		slot = &c->realm;
	else if (n == 7 && strncasecmp(name, "service", 7) == 0)
		slot = &c->service;
	else if (n == 5 && strncasecmp(name, "scope", 5) == 0)
		slot = &c->scope;
	else if (n == 5 && strncasecmp(name, "error", 5) == 0)
		slot = &c->error;
	if (slot && !*slot) /* a repeated parameter: the first one stands */
		*slot = brig_buf_steal(val, NULL);
}

/* Parses the auth-params (or token68) after a scheme into cur, stopping at
 * the start of the next challenge. Returns the position or NULL. */
static const char *parse_params(const char *p, struct brig_auth_challenge *cur,
				struct brig_error *err)
{
	bool first = true;

	for (;;) {
		const char *item, *q;
		size_t n;

		p = skip_ows(p);
		while (*p == ',') {
			p = skip_ows(p + 1);
			first = false;
		}
		if (!*p)
			return p;
		item = p;
		if (first) {
			/* token68 ("Basic dXNlcjpw...=="): only right after the scheme */
			q = item;
			while (is_t68char(*q))
				q++;
			if (q > item) {
				while (*q == '=')
					q++;
				if (*skip_ows(q) == ',' || !*skip_ows(q)) {
					p = q;
					first = false;
					continue;
				}
			}
		}
		first = false;
		n = token_len(item);
		if (n == 0)
			return brig_error_set(err, EINVAL, "unexpected character '%c'",
					      isprint((unsigned char)*item) ? *item : '?'),
			       NULL;
		q = skip_ows(item + n);
		if (*q != '=')
			return item; /* "Scheme ..." -- the next challenge */
		q = skip_ows(q + 1);
		{
			_cleanup_buf_ struct brig_buf val;

			brig_buf_init(&val, MAX_CHALLENGE_LEN);
			if (*q == '"') {
				q = quoted_string(q, &val, err);
				if (!q)
					return NULL;
			} else {
				size_t m = token_len(q);

				if (m == 0)
					return brig_error_set(err, EINVAL, "parameter without a value"),
					       NULL;
				if (brig_buf_append(&val, q, m, err) < 0)
					return NULL;
				q += m;
			}
			if (cur)
				challenge_set(cur, item, n, &val);
		}
		q = skip_ows(q);
		if (*q && *q != ',')
			return brig_error_set(err, EINVAL, "garbage after a parameter value"), NULL;
		p = q;
	}
}

int brig_auth_parse_challenge(const char *header, struct brig_auth_challenge *out,
			      struct brig_error *err)
{
	struct brig_auth_challenge basic = {0}, cur = {0};
	const char *p = header;

	memset(out, 0, sizeof(*out));
	if (!header || !*header)
		return brig_error_set(err, EINVAL, "WWW-Authenticate: empty");
	if (strnlen(header, MAX_CHALLENGE_LEN + 1) > MAX_CHALLENGE_LEN)
		return brig_error_set(err, EFBIG, "WWW-Authenticate: too long");
	for (;;) {
		size_t n;

		p = skip_ows(p);
		while (*p == ',')
			p = skip_ows(p + 1);
		if (!*p)
			break;
		n = token_len(p);
		if (n == 0 || (p[n] && p[n] != ' ' && p[n] != '\t' && p[n] != ',')) {
			challenge_reset(&basic);
			challenge_reset(out);
			return brig_error_set(err, EINVAL, "WWW-Authenticate: malformed scheme");
		}
		if (n == 6 && strncasecmp(p, "Bearer", 6) == 0)
			cur.scheme = BRIG_AUTH_BEARER;
		else if (n == 5 && strncasecmp(p, "Basic", 5) == 0)
			cur.scheme = BRIG_AUTH_BASIC;
		p = parse_params(p + n, &cur, err);
		if (!p) {
			challenge_reset(&cur);
			challenge_reset(&basic);
			challenge_reset(out);
			return brig_error_prefix(err, "WWW-Authenticate");
		}
		if (cur.scheme == BRIG_AUTH_BEARER && out->scheme == BRIG_AUTH_UNKNOWN) {
			*out = cur;
			memset(&cur, 0, sizeof(cur));
		} else if (cur.scheme == BRIG_AUTH_BASIC && basic.scheme == BRIG_AUTH_UNKNOWN) {
			basic = cur;
			memset(&cur, 0, sizeof(cur));
		} else {
			challenge_reset(&cur);
		}
	}
	if (out->scheme == BRIG_AUTH_BEARER) {
		challenge_reset(&basic);
		return 0;
	}
	if (basic.scheme == BRIG_AUTH_BASIC) {
		*out = basic;
		return 0;
	}
	return brig_error_set(err, ENOTSUP,
			      "WWW-Authenticate: no Basic or Bearer challenge (unsupported scheme)");
}

/* ---- Bearer tokens ---- */

int brig_auth_parse_token_response(const char *json, size_t len, char **token,
				   struct brig_error *err)
{
	json_auto_t *root = NULL;
	json_error_t jerr;
	const char *t;
	size_t n;

	*token = NULL;
	root = json_loadb(json, len, 0, &jerr);
	if (!json_is_object(root))
		return brig_error_set(err, EINVAL, "token reply is not a JSON object");
	t = json_string_value(json_object_get(root, "token"));
	if (!t || !*t)
		t = json_string_value(json_object_get(root, "access_token"));
	if (!t || !*t)
		return brig_error_set(err, EINVAL, "token reply has no \"token\" or \"access_token\"");
	n = strlen(t);
	if (n > MAX_TOKEN_LEN)
		return brig_error_set(err, EFBIG, "token longer than %u bytes", MAX_TOKEN_LEN);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
			return brig_error_set(err, EINVAL, "token has a character not allowed in a header");
	*token = brig_xstrdup(t);
	return 0;
}

/* host of an http(s) URL without userinfo and port, lowercase (malloc'ed) */
static char *url_host(const char *url)
{
	const char *p = strstr(url, "://"), *end, *at;
	char *h;

	if (!p)
		return NULL;
	p += 3;
	end = p + strcspn(p, "/?#");
	for (at = p; at < end; at++)
		if (*at == '@')
			p = at + 1;
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));

		if (!close)
			return NULL;
		h = brig_xstrndup(p, (size_t)(close - p + 1));
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		h = brig_xstrndup(p, (size_t)((colon ? colon : end) - p));
	}
	for (char *c = h; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return h;
}

static int append_escaped(struct brig_buf *b, const char *name, const char *val, bool *first,
			  struct brig_error *err)
{
	_cleanup_free_ char *e = brig_http_escape(val);
	int rc = brig_buf_appendf(b, err, "%s%s=%s", *first ? "" : "&", name, e);

	*first = false;
	return rc;
}

static const char *token_server_refusal(long status, bool with_creds)
{
	if (status == 401 || status == 403)
		return with_creds ? "the credentials were rejected" : "an anonymous token was refused";
	return "unexpected reply";
}

int brig_auth_fetch_token(const struct brig_http_opts *o, const struct brig_auth_challenge *ch,
			  const char *scope, const char *registry_host,
			  const struct brig_credentials *creds, char **token, struct brig_error *err)
{
	_cleanup_buf_ struct brig_buf url;
	_cleanup_buf_ struct brig_buf body;
	_cleanup_free_ char *realm_host = NULL;
	_cleanup_free_ char *reg_host = NULL;
	_cleanup_free_ char *scopes = NULL;
	_cleanup_secret_ char *basic = NULL;
	_cleanup_http_response_ struct brig_http_response *resp = NULL;
	const char *headers[2] = {NULL, NULL};
	bool first = true, https, send_creds;
	char *save = NULL, *s;
	char shown[256];

	*token = NULL;
	brig_buf_init(&url, MAX_REALM_LEN * 4);
	if (!ch->realm || !*ch->realm)
		return brig_error_set(err, EPROTO, "Bearer challenge without a realm");
	snprintf(shown, sizeof(shown), "%s", ch->realm);
	brig_sanitize_inplace(shown);
	https = strncasecmp(ch->realm, "https://", 8) == 0;
	if ((!https && strncasecmp(ch->realm, "http://", 7) != 0) ||
	    strlen(ch->realm) > MAX_REALM_LEN)
		return brig_error_set(err, EPROTO, "token realm \"%s\" is not an http(s) URL", shown);
	for (const char *c = ch->realm; *c; c++)
		if (!isgraph((unsigned char)*c) || *c == '#')
			return brig_error_set(err, EPROTO, "token realm \"%s\" is not a plain URL", shown);
	realm_host = url_host(ch->realm);
	if (registry_host) {
		_cleanup_free_ char *as_url = brig_xasprintf("x://%s", registry_host);

		reg_host = url_host(as_url);
	}
	if (!realm_host || !*realm_host)
		return brig_error_set(err, EPROTO, "token realm \"%s\" has no host", shown);

	/* Credentials go in clear only to the registry's own host (an
	 * insecure registry); a third party gets them over TLS or not at all. */
	send_creds = creds && creds->username && creds->password &&
		     (https || (reg_host && strcmp(realm_host, reg_host) == 0));
	if (creds && creds->username && !send_creds)
		brig_warn("not sending credentials to token server %s over plain http", realm_host);

	if (brig_buf_appendf(&url, err, "%s%c", ch->realm, strchr(ch->realm, '?') ? '&' : '?') < 0)
		return -1;
	if (ch->service && append_escaped(&url, "service", ch->service, &first, err) < 0)
		return -1;
	scopes = brig_xstrdup(ch->scope && *ch->scope ? ch->scope : scope ? scope : "");
	/* a challenge may name several scopes, space-separated: one parameter each */
	for (s = strtok_r(scopes, " ", &save); s; s = strtok_r(NULL, " ", &save))
		if (append_escaped(&url, "scope", s, &first, err) < 0)
			return -1;
	if (send_creds) {
		if (append_escaped(&url, "account", creds->username, &first, err) < 0 ||
		    brig_auth_basic_header(creds, &basic, err) < 0)
			return -1;
		headers[0] = basic;
	}
	brig_debug("requesting a token from %s", realm_host);
	if (brig_http_get_all(o, url.data, headers, MAX_TOKEN_REPLY, &resp, &body, err) < 0)
		return brig_error_prefix(err, "token request");
	if (resp->status != 200)
		return brig_error_set(err, resp->status == 401 || resp->status == 403 ? EACCES : EPROTO,
				      "token server %s: HTTP %ld: %s", realm_host, resp->status,
				      token_server_refusal(resp->status, send_creds));
	if (brig_auth_parse_token_response(body.data ? body.data : "", body.len, token, err) < 0)
		return brig_error_prefix(err, "token server %s", realm_host);
	return 0;
}

#include "source/registry.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

/* The answer to GET /v2/ and error bodies are small; more is not a registry. */
#define MAX_PING_BODY (64u << 10)
#define MAX_ERROR_BODY (8u << 10)

static const char accept_manifests[] =
	"Accept: " BRIG_MT_OCI_INDEX ", " BRIG_MT_OCI_MANIFEST ", " BRIG_MT_DOCKER_LIST
	", " BRIG_MT_DOCKER_MANIFEST;

struct brig_registry {
	char *registry; /* as the user named it: for messages and credentials */
	char *host;     /* where the API is served */
	char *base;     /* scheme://host */
	char *repository;
	char *tag;
	char *digest;
	struct brig_http_opts http;
	char *ca_file;
	struct brig_credentials creds;
	char *auth_header; /* a secret: wiped when replaced */
	enum brig_auth_scheme auth_scheme;
};

const char *brig_registry_base_url(const struct brig_registry *c)
{
	return c->base;
}

static void set_auth(struct brig_registry *c, char *header, enum brig_auth_scheme scheme)
{
	brig_auth_free_secret(c->auth_header);
	c->auth_header = header;
	c->auth_scheme = scheme;
}

void brig_registry_close(struct brig_registry *c)
{
	if (!c)
		return;
	set_auth(c, NULL, BRIG_AUTH_UNKNOWN);
	brig_credentials_clear(&c->creds);
	free(c->registry);
	free(c->host);
	free(c->base);
	free(c->repository);
	free(c->tag);
	free(c->digest);
	free(c->ca_file);
	free(c);
}

static bool have_creds(const struct brig_registry *c)
{
	return c->creds.username && c->creds.password;
}

static int no_creds_error(struct brig_registry *c, struct brig_error *err)
{
	return brig_error_set(err, EACCES,
			      "%s requires authentication and no credentials were found "
			      "(use --username/--password, BRIG_USERNAME/BRIG_PASSWORD, or docker login)",
			      c->registry);
}

/* Answers a 401 challenge: sets c->auth_header for the next try. */
static int authenticate(struct brig_registry *c, const char *www, struct brig_error *err)
{
	struct brig_auth_challenge ch;
	_cleanup_free_ char *scope = NULL;
	char *secret = NULL;
	int rc;

	if (!www)
		return brig_error_set(err, EACCES, "%s answered 401 without a WWW-Authenticate challenge",
				      c->registry);
	if (brig_auth_parse_challenge(www, &ch, err) < 0)
		return brig_error_prefix(err, "%s", c->registry);
	if (ch.scheme == BRIG_AUTH_BASIC) {
		brig_auth_challenge_free(&ch);
		if (!have_creds(c))
			return no_creds_error(c, err);
		if (c->auth_scheme == BRIG_AUTH_BASIC)
			return brig_error_set(err, EACCES, "%s rejected the credentials (from %s)",
					      c->registry, c->creds.source ? c->creds.source : "?");
		if (brig_auth_basic_header(&c->creds, &secret, err) < 0)
			return -1;
		set_auth(c, secret, BRIG_AUTH_BASIC);
		return 0;
	}
	scope = brig_xasprintf("repository:%s:pull", c->repository);
	rc = brig_auth_fetch_token(&c->http, &ch, scope, c->host, have_creds(c) ? &c->creds : NULL,
				   &secret, err);
	brig_auth_challenge_free(&ch);
	if (rc < 0)
		return brig_error_prefix(err, "%s", c->registry);
	set_auth(c, brig_xasprintf("Authorization: Bearer %s", secret), BRIG_AUTH_BEARER);
	brig_auth_free_secret(secret);
	return 0;
}

/* GET base+path with the current authorization; one 401 is answered and
 * the request tried again. With `all`, the body is read into it. */
static int reg_request(struct brig_registry *c, const char *path, const char *accept,
		       struct brig_buf *all, size_t max, struct brig_http_response **resp,
		       struct brig_reader *body, struct brig_error *err)
{
	_cleanup_free_ char *url = brig_xasprintf("%s%s", c->base, path);

	*resp = NULL;
	for (int round = 0;; round++) {
		const char *headers[3] = {NULL, NULL, NULL};
		_cleanup_free_ char *www = NULL;
		size_t h = 0;
		int rc;

		if (accept)
			headers[h++] = accept;
		if (c->auth_header)
			headers[h++] = c->auth_header;
		if (all)
			rc = brig_http_get_all(&c->http, url, headers, max, resp, all, err);
		else
			rc = brig_http_get(&c->http, url, headers, resp, body, err);
		if (rc < 0)
			return -1;
		if ((*resp)->status != 401 || round == 1)
			return 0;
		www = (*resp)->www_authenticate ? brig_xstrdup((*resp)->www_authenticate) : NULL;
		brig_http_response_free(*resp);
		*resp = NULL;
		if (all)
			brig_buf_free(all);
		if (authenticate(c, www, err) < 0)
			return -1;
	}
}

/* The distribution spec's error body: {"errors":[{"code":..,"message":..}]} */
static void error_detail(const char *data, size_t len, char *out, size_t n)
{
	json_t *root = data ? json_loadb(data, len, 0, NULL) : NULL;
	json_t *e0 = json_array_get(json_object_get(root, "errors"), 0);
	const char *code = json_string_value(json_object_get(e0, "code"));
	const char *msg = json_string_value(json_object_get(e0, "message"));

	out[0] = '\0';
	if (code || msg)
		snprintf(out, n, " (%s%s%s)", code ? code : "", code && msg ? ": " : "", msg ? msg : "");
	json_decref(root);
	brig_sanitize_inplace(out);
}

static int status_error(struct brig_registry *c, const struct brig_http_response *r,
			const char *data, size_t len, const char *what, struct brig_error *err)
{
	char detail[512];
	int code;

	error_detail(data, len, detail, sizeof(detail));
	switch (r->status) {
	case 404:
		code = ENOENT;
		break;
	case 401:
	case 403:
		code = EACCES;
		break;
	default:
		code = EPROTO;
	}
	if (r->status == 401 && !have_creds(c))
		return no_creds_error(c, err);
	if (r->status == 401)
		return brig_error_set(err, code, "%s %s/%s: access denied with the credentials from %s%s",
				      what, c->registry, c->repository,
				      c->creds.source ? c->creds.source : "the caller", detail);
	if (r->status == 404)
		return brig_error_set(err, code, "%s %s/%s: not found%s", what, c->registry,
				      c->repository, detail);
	return brig_error_set(err, code, "%s %s/%s: HTTP %ld%s", what, c->registry, c->repository,
			      r->status, detail);
}

/* Same, for a streamed response: a little of the body gives the reason. */
static int stream_status_error(struct brig_registry *c, const struct brig_http_response *r,
			       struct brig_reader *body, const char *what, struct brig_error *err)
{
	char data[MAX_ERROR_BODY];
	struct brig_error ignored = {0};
	ssize_t n = brig_reader_read_full(body, data, sizeof(data), &ignored);

	return status_error(c, r, data, n > 0 ? (size_t)n : 0, what, err);
}

/* localhost, 127.x.y.z or [::1], with or without a port */
static bool is_loopback(const char *host)
{
	size_t n = strcspn(host, ":");

	if (strncmp(host, "[::1]", 5) == 0 && (host[5] == '\0' || host[5] == ':'))
		return true;
	if (n == 9 && strncmp(host, "localhost", 9) == 0)
		return true;
	if (n < 7 || strncmp(host, "127.", 4) != 0)
		return false;
	for (size_t i = 4; i < n; i++)
		if (!isdigit((unsigned char)host[i]) && host[i] != '.')
			return false;
	return true;
}

static int ping(struct brig_registry *c, const char *scheme, struct brig_error *err)
{
	_cleanup_http_response_ struct brig_http_response *resp = NULL;
	_cleanup_buf_ struct brig_buf body;
	_cleanup_free_ char *url = NULL;
	struct brig_error auth_err = {0};

	brig_buf_init(&body, MAX_PING_BODY);
	free(c->base);
	c->base = brig_xasprintf("%s://%s", scheme, c->host);
	url = brig_xasprintf("%s/v2/", c->base);
	if (brig_http_get_all(&c->http, url, NULL, MAX_PING_BODY, &resp, &body, err) < 0)
		return -1;
	if (resp->status == 200)
		return 0;
	if (resp->status != 401)
		return brig_error_set(err, resp->status == 404 ? ENOENT : EPROTO,
				      "%s does not look like a registry (GET /v2/: HTTP %ld)",
				      c->base, resp->status);
	/* Authenticating now saves a 401 round trip per request. If it fails
	 * here, the first real request tries again and reports why. */
	if (authenticate(c, resp->www_authenticate, &auth_err) < 0) {
		brig_debug("authentication after ping: %s", auth_err.msg);
		set_auth(c, NULL, BRIG_AUTH_UNKNOWN);
	}
	return 0;
}

static bool c_insecure_hint(const struct brig_http_opts *opts)
{
	return opts && (opts->insecure || opts->ca_file);
}

int brig_registry_open(const struct brig_image_ref *ref, const struct brig_http_opts *opts,
		       const struct brig_credentials *creds, struct brig_registry **out,
		       struct brig_error *err)
{
	struct brig_registry *c;
	const char *schemes[2];
	size_t nschemes = 0;

	*out = NULL;
	if (!ref->registry || !ref->repository || !brig_ref_repository_valid(ref->repository))
		return brig_error_set(err, EINVAL, "invalid repository name");
	c = brig_xcalloc(1, sizeof(*c));
	c->registry = brig_xstrdup(ref->registry);
	c->host = brig_xstrdup(strcmp(ref->registry, BRIG_DEFAULT_REGISTRY) == 0
				       ? "registry-1.docker.io"
				       : ref->registry);
	c->repository = brig_xstrdup(ref->repository);
	c->tag = ref->tag ? brig_xstrdup(ref->tag) : NULL;
	c->digest = ref->digest ? brig_xstrdup(ref->digest) : NULL;
	if (opts)
		c->http = *opts;
	c->http.unix_socket = NULL;
	if (opts && opts->ca_file) {
		c->ca_file = brig_xstrdup(opts->ca_file);
		c->http.ca_file = c->ca_file;
	}
	brig_credentials_copy(&c->creds, creds);

	/* Like Docker's insecure-registries: TLS without verification, then
	 * plain http; a loopback registry most likely speaks plain http. */
	if (c->http.insecure && is_loopback(c->host))
		schemes[nschemes++] = "http";
	schemes[nschemes++] = "https";
	if (c->http.insecure && !is_loopback(c->host))
		schemes[nschemes++] = "http";
	for (size_t i = 0; i < nschemes; i++) {
		struct brig_error e = {0};

		if (ping(c, schemes[i], &e) == 0)
			break;
		if (i + 1 == nschemes) {
			*err = e;
			brig_registry_close(c);
			if (err->code == EPROTO && !c_insecure_hint(opts))
				return brig_error_prefix(err, "registry %s (for a self-signed "
							 "certificate give its CA, or --insecure)",
							 ref->registry);
			return brig_error_prefix(err, "registry %s", ref->registry);
		}
		brig_debug("%s; trying %s", e.msg, schemes[i + 1]);
	}
	*out = c;
	return 0;
}

static int check_reference(const char *r, bool *by_digest, struct brig_error *err)
{
	*by_digest = brig_digest_valid(r);
	if (!*by_digest && !brig_ref_tag_valid(r))
		return brig_error_set(err, EINVAL, "not a tag or sha256 digest");
	return 0;
}

static char *media_type_of(const struct brig_http_response *resp, const struct brig_buf *doc)
{
	char *mt = brig_http_media_type(resp->content_type);
	json_t *root;
	const char *field;

	if (mt && strcmp(mt, "application/json") != 0 && strcmp(mt, "text/plain") != 0 &&
	    strcmp(mt, "application/octet-stream") != 0)
		return mt;
	root = json_loadb(doc->data ? doc->data : "", doc->len, 0, NULL);
	field = json_string_value(json_object_get(root, "mediaType"));
	if (field && *field && strlen(field) < 256) {
		free(mt);
		mt = brig_xstrdup(field);
		brig_sanitize_inplace(mt);
	}
	json_decref(root);
	return mt ? mt : brig_xstrdup("");
}

int brig_registry_get_manifest(struct brig_registry *c, const char *reference,
			       struct brig_buf *out, char **media_type,
			       char digest[BRIG_DIGEST_STR_LEN], struct brig_error *err)
{
	_cleanup_http_response_ struct brig_http_response *resp = NULL;
	_cleanup_free_ char *path = NULL;
	const char *r = reference ? reference : c->digest ? c->digest : c->tag;
	bool by_digest;

	*media_type = NULL;
	brig_buf_init(out, BRIG_MAX_JSON_DOC);
	if (!r || check_reference(r, &by_digest, err) < 0)
		return brig_error_prefix(err, "manifest reference");
	path = brig_xasprintf("/v2/%s/manifests/%s", c->repository, r);
	if (reg_request(c, path, accept_manifests, out, BRIG_MAX_JSON_DOC, &resp, NULL, err) < 0)
		goto fail;
	if (resp->status != 200) {
		status_error(c, resp, out->data, out->len, "manifest", err);
		brig_error_prefix(err, "%s", r);
		goto fail;
	}
	brig_sha256_digest(out->data ? out->data : "", out->len, digest);
	if (by_digest && strcmp(digest, r) != 0) {
		brig_error_set(err, EBADMSG, "manifest %s from %s/%s hashes to %s: refusing it", r,
			       c->registry, c->repository, digest);
		goto fail;
	}
	if (resp->docker_content_digest && brig_digest_valid(resp->docker_content_digest) &&
	    strcmp(resp->docker_content_digest, digest) != 0)
		brig_warn("%s/%s:%s: Docker-Content-Digest %s differs from the content's %s",
			  c->registry, c->repository, r, resp->docker_content_digest, digest);
	*media_type = media_type_of(resp, out);
	return 0;
fail:
	brig_buf_free(out);
	brig_buf_init(out, BRIG_MAX_JSON_DOC);
	return -1;
}

static int open_blob(struct brig_registry *c, const char *digest, long long size, bool hash,
		     struct brig_http_response **resp, struct brig_reader *body,
		     struct brig_error *err)
{
	_cleanup_http_response_ struct brig_http_response *r = NULL;
	_cleanup_free_ char *path = NULL;
	struct brig_reader rd;

	*resp = NULL;
	if (!digest || !brig_digest_valid(digest))
		return brig_error_set(err, EINVAL, "blob: not a sha256 digest");
	path = brig_xasprintf("/v2/%s/blobs/%s", c->repository, digest);
	if (reg_request(c, path, NULL, NULL, 0, &r, &rd, err) < 0)
		return brig_error_prefix(err, "blob %s", digest);
	if (r->status != 200)
		return stream_status_error(c, r, &rd, "blob", err), brig_error_prefix(err, "%s", digest);
	if (brig_http_response_verify(r, hash ? digest : NULL, size, err) < 0)
		return brig_error_prefix(err, "blob %s", digest);
	*body = rd;
	*resp = steal_pointer(&r);
	return 0;
}

int brig_registry_open_blob(struct brig_registry *c, const char *digest, long long size,
			    struct brig_http_response **resp, struct brig_reader *body,
			    struct brig_error *err)
{
	return open_blob(c, digest, size, true, resp, body, err);
}

int brig_registry_open_blob_unhashed(struct brig_registry *c, const char *digest,
				     long long size, struct brig_http_response **resp,
				     struct brig_reader *body, struct brig_error *err)
{
	return open_blob(c, digest, size, false, resp, body, err);
}

int brig_registry_get_blob(struct brig_registry *c, const char *digest, size_t max,
			   struct brig_buf *out, struct brig_error *err)
{
	_cleanup_http_response_ struct brig_http_response *resp = NULL;
	_cleanup_free_ char *path = NULL;
	char got[BRIG_DIGEST_STR_LEN];

	brig_buf_init(out, max);
	if (!digest || !brig_digest_valid(digest))
		return brig_error_set(err, EINVAL, "blob: not a sha256 digest");
	path = brig_xasprintf("/v2/%s/blobs/%s", c->repository, digest);
	if (reg_request(c, path, NULL, out, max, &resp, NULL, err) < 0)
		goto fail;
	if (resp->status != 200) {
		status_error(c, resp, out->data, out->len, "blob", err);
		goto fail;
	}
	brig_sha256_digest(out->data ? out->data : "", out->len, got);
	if (strcmp(got, digest) != 0) {
		brig_error_set(err, EBADMSG, "content hashes to %s: refusing it", got);
		goto fail;
	}
	return 0;
fail:
	brig_buf_free(out);
	brig_buf_init(out, max);
	return brig_error_prefix(err, "blob %s", digest);
}

/* lib/source: reference parsing, challenge parsing and credentials offline;
 * HTTP, registry and engine against the real peers that
 * run_source_tests.sh starts (those tests skip when its BRIG_TEST_*
 * variables are absent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/sha256.h"
#include "source/auth.h"
#include "source/engine.h"
#include "source/http.h"
#include "source/ref.h"
#include "source/registry.h"
#include "testutil.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const char *need_env(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v)
		printf("SKIP: %s not set (run through run_source_tests.sh)\n", name);
	return v && *v ? v : NULL;
}

#define NEED_ENV(var, name)                                                    \
	const char *var = need_env(name);                                      \
	if (!var) {                                                            \
		skip();                                                        \
		return;                                                        \
	}

/* ------------------------------------------------------------------ refs */

struct ref_case {
	const char *in;
	const char *registry, *repository, *tag, *digest; /* registry NULL: invalid */
};

static const struct ref_case ref_cases[] = {
	{"alpine", "docker.io", "library/alpine", "latest", NULL},
	{"alpine:3.18", "docker.io", "library/alpine", "3.18", NULL},
	{"library/alpine:3.18", "docker.io", "library/alpine", "3.18", NULL},
	{"docker.io/alpine", "docker.io", "library/alpine", "latest", NULL},
	{"index.docker.io/library/alpine:edge", "docker.io", "library/alpine", "edge", NULL},
	{"bitnami/nginx:1.25", "docker.io", "bitnami/nginx", "1.25", NULL},
	{"ghcr.io/owner/repo/sub:v1.0.0-rc1", "ghcr.io", "owner/repo/sub", "v1.0.0-rc1", NULL},
	{"localhost/foo", "localhost", "foo", "latest", NULL},
	{"localhost:5000/foo/bar:x", "localhost:5000", "foo/bar", "x", NULL},
	{"127.0.0.1:5000/test:1", "127.0.0.1:5000", "test", "1", NULL},
	{"[::1]:5000/test", "[::1]:5000", "test", "latest", NULL},
	{"registry.example.com/a_b/c__d/e-f--g/h.i", "registry.example.com", "a_b/c__d/e-f--g/h.i",
	 "latest", NULL},
	{"alpine@sha256:" D64, "docker.io", "library/alpine", NULL, "sha256:" D64},
	{"alpine:3@sha256:" D64, "docker.io", "library/alpine", "3", "sha256:" D64},
	{"quay.io/x/y:_tag", "quay.io", "x/y", "_tag", NULL},
	{"Foo.example.com/x", "Foo.example.com", "x", "latest", NULL},
	{"UPPER/x", "UPPER", "x", "latest", NULL}, /* uppercase: a host, by Docker's rule */
	{"example:5000", "docker.io", "library/example", "5000", NULL},
	{"a/b:" "ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"
	 "ttttttttttttttttttttttttttttttttttttttttttttttt",
	 "docker.io", "a/b",
	 "ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"
	 "ttttttttttttttttttttttttttttttttttttttttttttttt",
	 NULL},
	/* invalid */
	{"", NULL, NULL, NULL, NULL},
	{"Alpine", NULL, NULL, NULL, NULL},
	{"docker.io/Library/alpine", NULL, NULL, NULL, NULL},
	{"alpine:", NULL, NULL, NULL, NULL},
	{"alpine:-x", NULL, NULL, NULL, NULL},
	{"alpine:a b", NULL, NULL, NULL, NULL},
	{"alpine@sha256:abc", NULL, NULL, NULL, NULL},
	{"alpine@sha512:" D64 D64, NULL, NULL, NULL, NULL},
	{"alpine@sha256:" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", NULL,
	 NULL, NULL, NULL},
	{"https://ghcr.io/x/y", NULL, NULL, NULL, NULL},
	{"foo//bar", NULL, NULL, NULL, NULL},
	{"foo/bar/", NULL, NULL, NULL, NULL},
	{"/foo", NULL, NULL, NULL, NULL},
	{"foo/-bar", NULL, NULL, NULL, NULL},
	{"foo/bar.", NULL, NULL, NULL, NULL},
	{"foo/a...b", NULL, NULL, NULL, NULL},
	{"foo/a___b", NULL, NULL, NULL, NULL},
	{"host:99999/x", NULL, NULL, NULL, NULL},
	{"host:0/x", NULL, NULL, NULL, NULL},
	{"host:port/x", NULL, NULL, NULL, NULL},
	{"-host.com/x", NULL, NULL, NULL, NULL},
	{"host..com/x", NULL, NULL, NULL, NULL},
	{"a@b@sha256:" D64, NULL, NULL, NULL, NULL},
	{"alpine\n", NULL, NULL, NULL, NULL},
	{"al\x1bpine", NULL, NULL, NULL, NULL},
	{"a/b:ttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt"
	 "tttttttttttttttttttttttttttttttttttttttttttttttt",
	 NULL, NULL, NULL, NULL}, /* tag of 129 */
};

static void check_str(const char *what, const char *in, const char *want, const char *got)
{
	if ((want == NULL) != (got == NULL) || (want && strcmp(want, got) != 0)) {
		print_error("%s of \"%s\": want %s, got %s\n", what, in, want ? want : "NULL",
			    got ? got : "NULL");
		fail();
	}
}

static void test_ref_table(void **state)
{
	(void)state;
	assert_true(sizeof(ref_cases) / sizeof(ref_cases[0]) >= 30);
	for (size_t i = 0; i < sizeof(ref_cases) / sizeof(ref_cases[0]); i++) {
		const struct ref_case *c = &ref_cases[i];
		struct brig_image_ref r;
		struct brig_error err = {0};
		int rc = brig_image_ref_parse(c->in, &r, &err);

		if (!c->registry) {
			if (rc != -1) {
				print_error("\"%s\" should be invalid\n", c->in);
				fail();
			}
			assert_int_equal(err.code, EINVAL);
			assert_non_null(strstr(err.msg, "invalid image reference"));
			assert_null(r.registry);
			continue;
		}
		if (rc != 0) {
			print_error("\"%s\": %s\n", c->in, err.msg);
			fail();
		}
		check_str("registry", c->in, c->registry, r.registry);
		check_str("repository", c->in, c->repository, r.repository);
		check_str("tag", c->in, c->tag, r.tag);
		check_str("digest", c->in, c->digest, r.digest);
		brig_image_ref_free(&r);
	}
}

static void test_ref_roundtrip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(ref_cases) / sizeof(ref_cases[0]); i++) {
		_cleanup_image_ref_ struct brig_image_ref a = {0};
		_cleanup_image_ref_ struct brig_image_ref b = {0};
		struct brig_error err = {0};
		char *s;

		if (!ref_cases[i].registry)
			continue;
		assert_int_equal(brig_image_ref_parse(ref_cases[i].in, &a, &err), 0);
		s = brig_image_ref_format(&a);
		assert_int_equal(brig_image_ref_parse(s, &b, &err), 0);
		check_str("roundtrip registry", s, a.registry, b.registry);
		check_str("roundtrip repository", s, a.repository, b.repository);
		check_str("roundtrip tag", s, a.tag, b.tag);
		check_str("roundtrip digest", s, a.digest, b.digest);
		free(s);
	}
}

static void test_ref_error_sanitized(void **state)
{
	struct brig_image_ref r;
	struct brig_error err = {0};

	(void)state;
	assert_int_equal(brig_image_ref_parse("evil\x1b[31m", &r, &err), -1);
	assert_null(strchr(err.msg, '\x1b'));
}

/* ------------------------------------------------------------ challenges */

struct chal_case {
	const char *in;
	enum brig_auth_scheme scheme; /* UNKNOWN: must fail */
	const char *realm, *service, *scope, *error;
};

static const struct chal_case chal_cases[] = {
	{"Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
	 "scope=\"repository:library/alpine:pull\"",
	 BRIG_AUTH_BEARER, "https://auth.docker.io/token", "registry.docker.io",
	 "repository:library/alpine:pull", NULL},
	{"bearer  realm = \"r\" , service=s ,scope=\"a:b:pull,push\"", BRIG_AUTH_BEARER, "r", "s",
	 "a:b:pull,push", NULL},
	{"Bearer realm=\"r\",scope=\"repository:a:pull repository:b:pull\",error=\"insufficient_scope\"",
	 BRIG_AUTH_BEARER, "r", NULL, "repository:a:pull repository:b:pull", "insufficient_scope"},
	{"Bearer realm=\"with \\\"quote\\\" and \\\\ backslash\"", BRIG_AUTH_BEARER,
	 "with \"quote\" and \\ backslash", NULL, NULL, NULL},
	{"Basic realm=\"Registry Realm\"", BRIG_AUTH_BASIC, "Registry Realm", NULL, NULL, NULL},
	{"Basic realm=\"b\", Bearer realm=\"t\",service=\"svc\"", BRIG_AUTH_BEARER, "t", "svc", NULL,
	 NULL},
	{"Negotiate abc==, Basic realm=x", BRIG_AUTH_BASIC, "x", NULL, NULL, NULL},
	{"Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"",
	 BRIG_AUTH_BASIC, "simple", NULL, NULL, NULL},
	{"Bearer realm=\"first\",realm=\"second\"", BRIG_AUTH_BEARER, "first", NULL, NULL, NULL},
	{"Bearer", BRIG_AUTH_BEARER, NULL, NULL, NULL, NULL},
	{",, Bearer realm=\"r\",, ,service=\"s\",", BRIG_AUTH_BEARER, "r", "s", NULL, NULL},
	{"Bearer realm=\"a,b\",service=\"c=d\"", BRIG_AUTH_BEARER, "a,b", "c=d", NULL, NULL},
	/* failures */
	{"", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
	{"Digest realm=\"x\", nonce=\"y\"", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
	{"Bearer realm=\"unterminated", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
	{"Bearer realm=\"ctl\x01\"", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
	{"Bearer realm=", BRIG_AUTH_BEARER, NULL, NULL, NULL, NULL}, /* token68 "realm=" */
	{"Bearer realm=\"x\" junk", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
	{"Bearer realm==x", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
	/* found by fuzz_wwwauth: a valid Bearer, then garbage -- nothing leaks out */
	{"Bearer realm=\"a\",erro\x8e", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
	{"Bearer realm=\"x\",=y", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
	{"\"Bearer\" realm=x", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
	{"Bearer realm=\"x\\", BRIG_AUTH_UNKNOWN, NULL, NULL, NULL, NULL},
};

static void test_challenge_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(chal_cases) / sizeof(chal_cases[0]); i++) {
		const struct chal_case *c = &chal_cases[i];
		struct brig_auth_challenge ch;
		struct brig_error err = {0};
		int rc = brig_auth_parse_challenge(c->in, &ch, &err);

		if (c->scheme == BRIG_AUTH_UNKNOWN) {
			if (rc != -1) {
				print_error("challenge \"%s\" should fail\n", c->in);
				fail();
			}
			assert_int_equal(ch.scheme, BRIG_AUTH_UNKNOWN);
			assert_null(ch.realm);
			continue;
		}
		if (rc != 0) {
			print_error("challenge \"%s\": %s\n", c->in, err.msg);
			fail();
		}
		assert_int_equal(ch.scheme, c->scheme);
		check_str("realm", c->in, c->realm, ch.realm);
		check_str("service", c->in, c->service, ch.service);
		check_str("scope", c->in, c->scope, ch.scope);
		check_str("error", c->in, c->error, ch.error);
		brig_auth_challenge_free(&ch);
	}
}

static void test_token_response(void **state)
{
	struct brig_error err = {0};
	char *tok = NULL;
	static const char *bad[] = {
		"", "[]", "{}", "{\"token\": 5}", "{\"token\": \"\"}", "{\"token\": \"a b\"}",
		"{\"token\": \"a\\r\\nX-Injected: 1\"}", "{\"access_token\": \"\\u00e9\"}", "not json",
	};

	(void)state;
	assert_int_equal(brig_auth_parse_token_response("{\"token\":\"abc.def\"}", 19, &tok, &err), 0);
	assert_string_equal(tok, "abc.def");
	free(tok);
	assert_int_equal(brig_auth_parse_token_response(
				 "{\"access_token\":\"xyz\",\"expires_in\":60}", 38, &tok, &err),
			 0);
	assert_string_equal(tok, "xyz");
	free(tok);
	/* both: "token" wins, as Docker's client does */
	{
		const char *both = "{\"access_token\":\"b\",\"token\":\"a\"}";

		assert_int_equal(brig_auth_parse_token_response(both, strlen(both), &tok, &err), 0);
	}
	assert_string_equal(tok, "a");
	free(tok);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(brig_auth_parse_token_response(bad[i], strlen(bad[i]), &tok, &err), -1);
		assert_null(tok);
	}
}

/* ----------------------------------------------------------- credentials */

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/brig-test-auth.XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return strdup(tmpl);
}

static void test_basic_header(void **state)
{
	struct brig_credentials c = {.username = "user", .password = "pass"};
	struct brig_credentials bad = {.username = "us:er", .password = "pass"};
	struct brig_error err = {0};
	char *h = NULL;

	(void)state;
	assert_int_equal(brig_auth_basic_header(&c, &h, &err), 0);
	assert_string_equal(h, "Authorization: Basic dXNlcjpwYXNz");
	brig_auth_free_secret(h);
	c.username = "Aladdin";
	c.password = "open sesame";
	assert_int_equal(brig_auth_basic_header(&c, &h, &err), 0);
	assert_string_equal(h, "Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
	brig_auth_free_secret(h);
	assert_int_equal(brig_auth_basic_header(&bad, &h, &err), -1);
}

static void test_credentials_lookup(void **state)
{
	char *dir = make_tmpdir();
	char path[512];
	struct brig_credentials c;
	struct brig_error err = {0};

	(void)state;
	snprintf(path, sizeof(path), "%s/config.json", dir);
	/* "dXNlcjpwYXNz" = user:pass, "aHViOnNlY3JldA==" = hub:secret,
	 * "b25seXVzZXI=" = onlyuser (no colon: ignored with a warning) */
	brig_test_write_file(path, "{\"auths\": {"
			 "\"https://index.docker.io/v1/\": {\"auth\": \"aHViOnNlY3JldA==\"},"
			 "\"https://reg.example.com:5000/v2/\": {\"auth\": \"dXNlcjpwYXNz\"},"
			 "\"exact.example.com\": {\"auth\": \"dXNlcjpwYXNz\"},"
			 "\"http://exact.example.com\": {\"auth\": \"aHViOnNlY3JldA==\"},"
			 "\"bad.example.com\": {\"auth\": \"b25seXVzZXI=\"},"
			 "\"garbage.example.com\": {\"auth\": \"!!!\"}"
			 "}}");
	setenv("DOCKER_CONFIG", dir, 1);
	unsetenv("BRIG_USERNAME");
	unsetenv("BRIG_PASSWORD");

	assert_int_equal(brig_credentials_lookup("reg.example.com:5000", NULL, NULL, &c, &err), 0);
	assert_string_equal(c.username, "user");
	assert_string_equal(c.password, "pass");
	assert_string_equal(c.source, path);
	brig_credentials_clear(&c);
	assert_null(c.username);

	assert_int_equal(brig_credentials_lookup("docker.io", NULL, NULL, &c, &err), 0);
	assert_string_equal(c.username, "hub");
	assert_string_equal(c.password, "secret");
	brig_credentials_clear(&c);

	/* the exact key beats one equal after normalization */
	assert_int_equal(brig_credentials_lookup("exact.example.com", NULL, NULL, &c, &err), 0);
	assert_string_equal(c.username, "user");
	brig_credentials_clear(&c);

	assert_int_equal(brig_credentials_lookup("reg.example.com", NULL, NULL, &c, &err), 0);
	assert_null(c.username); /* the port is part of the host */
	assert_int_equal(brig_credentials_lookup("bad.example.com", NULL, NULL, &c, &err), 0);
	assert_null(c.username);
	assert_int_equal(brig_credentials_lookup("garbage.example.com", NULL, NULL, &c, &err), 0);
	assert_null(c.username);

	/* environment beats the file, the command line beats both */
	setenv("BRIG_USERNAME", "envuser", 1);
	setenv("BRIG_PASSWORD", "envpass", 1);
	assert_int_equal(brig_credentials_lookup("reg.example.com:5000", NULL, NULL, &c, &err), 0);
	assert_string_equal(c.username, "envuser");
	assert_string_equal(c.source, "environment");
	brig_credentials_clear(&c);
	assert_int_equal(brig_credentials_lookup("reg.example.com:5000", "cli", "clipass", &c, &err), 0);
	assert_string_equal(c.username, "cli");
	assert_string_equal(c.password, "clipass");
	brig_credentials_clear(&c);
	assert_int_equal(brig_credentials_lookup("x", "cli", NULL, &c, &err), -1);
	unsetenv("BRIG_PASSWORD");
	assert_int_equal(brig_credentials_lookup("x", NULL, NULL, &c, &err), -1);
	unsetenv("BRIG_USERNAME");

	/* a broken file is a warning, not an error */
	brig_test_write_file(path, "{not json");
	assert_int_equal(brig_credentials_lookup("docker.io", NULL, NULL, &c, &err), 0);
	assert_null(c.username);
	unlink(path);
	assert_int_equal(brig_credentials_lookup("docker.io", NULL, NULL, &c, &err), 0);
	assert_null(c.username);
	rmdir(dir);
	free(dir);
	unsetenv("DOCKER_CONFIG");
}

static void test_http_helpers(void **state)
{
	char *s;

	(void)state;
	s = brig_http_escape("localhost/a:1@sha256 x?&=");
	assert_string_equal(s, "localhost%2Fa%3A1%40sha256%20x%3F%26%3D");
	free(s);
	s = brig_http_media_type(" Application/JSON; charset=utf-8");
	assert_string_equal(s, "application/json");
	free(s);
	assert_null(brig_http_media_type(""));
	assert_null(brig_http_media_type(NULL));
}

/* ---------------------------------------------------- HTTP against a peer */

static long peer_hits(const char *peer, const char *key)
{
	char url[256];
	struct brig_buf b;
	struct brig_http_response *r = NULL;
	struct brig_error err = {0};
	long n;

	snprintf(url, sizeof(url), "http://%s/hits/%s", peer, key);
	assert_int_equal(brig_http_get_all(NULL, url, NULL, 64, &r, &b, &err), 0);
	n = atol(b.data);
	brig_buf_free(&b);
	brig_http_response_free(r);
	return n;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_http_retry(void **state)
{
	NEED_ENV(peer, "BRIG_TEST_PEER");
	char url[256];
	struct brig_buf b;
	struct brig_http_response *r = NULL;
	struct brig_error err = {0};
	double t0;

	(void)state;
	/* two 503s, then 200: the caller sees only the 200 */
	snprintf(url, sizeof(url), "http://%s/flaky/a/2", peer);
	t0 = now_s();
	assert_int_equal(brig_http_get_all(NULL, url, NULL, 1024, &r, &b, &err), 0);
	assert_int_equal(r->status, 200);
	assert_string_equal(b.data, "ok a");
	assert_true(now_s() - t0 >= 1.4); /* 0.5 s + 1 s of backoff */
	brig_buf_free(&b);
	brig_http_response_free(r);
	assert_int_equal(peer_hits(peer, "flaky-a"), 3);

	/* still failing after three tries: the last answer is handed over */
	snprintf(url, sizeof(url), "http://%s/flaky/b/10", peer);
	assert_int_equal(brig_http_get_all(NULL, url, NULL, 1024, &r, &b, &err), 0);
	assert_int_equal(r->status, 503);
	brig_buf_free(&b);
	brig_http_response_free(r);
	assert_int_equal(peer_hits(peer, "flaky-b"), 3);

	snprintf(url, sizeof(url), "http://%s/status/429", peer);
	assert_int_equal(brig_http_get(NULL, url, NULL, &r, NULL, &err), 0);
	assert_int_equal(r->status, 429);
	brig_http_response_free(r);
	assert_int_equal(peer_hits(peer, "status-429"), 3);

	/* not transient: one try */
	snprintf(url, sizeof(url), "http://%s/status/404", peer);
	assert_int_equal(brig_http_get(NULL, url, NULL, &r, NULL, &err), 0);
	assert_int_equal(r->status, 404);
	brig_http_response_free(r);
	assert_int_equal(peer_hits(peer, "status-404"), 1);
	snprintf(url, sizeof(url), "http://%s/status/500", peer);
	assert_int_equal(brig_http_get(NULL, url, NULL, &r, NULL, &err), 0);
	brig_http_response_free(r);
	assert_int_equal(peer_hits(peer, "status-500"), 1);
}

static void test_http_refused(void **state)
{
	struct brig_http_opts o = {.timeout_s = 5};
	struct brig_http_response *r = NULL;
	struct brig_error err = {0};
	double t0 = now_s();

	(void)state;
	/* port 1 on loopback: nothing listens there */
	assert_int_equal(brig_http_get(&o, "http://127.0.0.1:1/x", NULL, &r, NULL, &err), -1);
	assert_null(r);
	assert_int_equal(err.code, ECONNREFUSED);
	assert_non_null(strstr(err.msg, "127.0.0.1:1"));
	assert_true(now_s() - t0 >= 1.4); /* retried */
	/* header injection and unsupported schemes are refused */
	{
		const char *hdrs[] = {"X-A: b\r\nX-Injected: 1", NULL};

		assert_int_equal(brig_http_get(&o, "http://127.0.0.1:1/x", hdrs, &r, NULL, &err), -1);
		assert_int_equal(err.code, EINVAL);
	}
	assert_int_equal(brig_http_get(&o, "file:///etc/passwd", NULL, &r, NULL, &err), -1);
	assert_int_equal(brig_http_get(&o, "ftp://127.0.0.1/x", NULL, &r, NULL, &err), -1);
}

static void pattern_digest(size_t n, char out[BRIG_DIGEST_STR_LEN])
{
	unsigned char block[4096];
	struct brig_sha256 h;
	size_t off = 0;

	brig_sha256_init(&h);
	while (off < n) {
		size_t k = n - off < sizeof(block) ? n - off : sizeof(block);

		for (size_t i = 0; i < k; i++)
			block[i] = (unsigned char)((off + i) % 251);
		brig_sha256_update(&h, block, k);
		off += k;
	}
	brig_sha256_final(&h, out);
}

/* Drains a reader with odd-sized reads; returns bytes or -1. */
static long long drain(struct brig_reader *rd, char digest[BRIG_DIGEST_STR_LEN],
		       struct brig_error *err)
{
	static char buf[7777];
	struct brig_sha256 h;
	long long total = 0;
	ssize_t k;

	brig_sha256_init(&h);
	while ((k = rd->read(rd->ctx, buf, sizeof(buf), err)) > 0) {
		brig_sha256_update(&h, buf, (size_t)k);
		total += k;
	}
	if (k < 0) {
		brig_sha256_free(&h);
		return -1;
	}
	brig_sha256_final(&h, digest);
	return total;
}

static void test_http_stream(void **state)
{
	NEED_ENV(peer, "BRIG_TEST_PEER");
	const size_t n = 48u << 20;
	char url[256], want[BRIG_DIGEST_STR_LEN], got[BRIG_DIGEST_STR_LEN];
	struct brig_http_response *r = NULL;
	struct brig_reader rd;
	struct brig_error err = {0};
	struct brig_buf b;

	(void)state;
	pattern_digest(n, want);
	snprintf(url, sizeof(url), "http://%s/big/%zu", peer, n);
	assert_int_equal(brig_http_get(NULL, url, NULL, &r, &rd, &err), 0);
	assert_int_equal(r->status, 200);
	assert_int_equal(r->content_length, (long long)n);
	assert_string_equal(r->content_type, "application/octet-stream");
	assert_int_equal(brig_http_response_verify(r, want, (long long)n, &err), 0);
	assert_int_equal(drain(&rd, got, &err), (long long)n);
	assert_string_equal(got, want);
	/* a finished reader keeps answering 0 */
	assert_int_equal(rd.read(rd.ctx, url, sizeof(url), &err), 0);
	brig_http_response_free(r);

	/* wrong digest: the end of the stream is an error, and stays one */
	snprintf(url, sizeof(url), "http://%s/big/100000", peer);
	assert_int_equal(brig_http_get(NULL, url, NULL, &r, &rd, &err), 0);
	assert_int_equal(brig_http_response_verify(r, "sha256:" D64, -1, &err), 0);
	assert_int_equal(drain(&rd, got, &err), -1);
	assert_int_equal(err.code, EBADMSG);
	assert_non_null(strstr(err.msg, "digest mismatch"));
	assert_int_equal(rd.read(rd.ctx, url, sizeof(url), &err), -1);
	brig_http_response_free(r);

	/* a size that disagrees with Content-Length is refused up front */
	assert_int_equal(brig_http_get(NULL, url, NULL, &r, &rd, &err), 0);
	assert_int_equal(brig_http_response_verify(r, NULL, 99999, &err), -1);
	assert_int_equal(err.code, EBADMSG);
	brig_http_response_free(r);

	/* get_all honours its limit */
	assert_int_equal(brig_http_get_all(NULL, url, NULL, 1000, &r, &b, &err), -1);
	assert_int_equal(err.code, EFBIG);
	assert_null(r);

	/* a flood of headers is cut off */
	snprintf(url, sizeof(url), "http://%s/bigheaders", peer);
	assert_int_equal(brig_http_get(NULL, url, NULL, &r, &rd, &err), -1);
	assert_int_equal(err.code, EFBIG);
}

/* The peer plays a registry whose token endpoint answers "access_token"
 * only and whose blob redirects to another host name that refuses any
 * request carrying Authorization. */
static void test_peer_registry_redirect(void **state)
{
	NEED_ENV(peer, "BRIG_TEST_PEER");
	struct brig_http_opts o = {.insecure = true};
	struct brig_credentials creds = {.username = "user", .password = "pass", .source = "test"};
	_cleanup_image_ref_ struct brig_image_ref ref = {0};
	_cleanup_registry_ struct brig_registry *c = NULL;
	_cleanup_buf_ struct brig_buf m = {0};
	_cleanup_buf_ struct brig_buf cfg = {0};
	char digest[BRIG_DIGEST_STR_LEN], got[BRIG_DIGEST_STR_LEN];
	char name[256], *mt = NULL, *want = NULL;
	struct brig_http_response *r = NULL;
	struct brig_reader rd;
	struct brig_error err = {0};
	json_t *root;

	(void)state;
	snprintf(name, sizeof(name), "%s/fake:1", peer);
	assert_int_equal(brig_image_ref_parse(name, &ref, &err), 0);
	if (brig_registry_open(&ref, &o, &creds, &c, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(brig_registry_get_manifest(c, NULL, &m, &mt, digest, &err), 0);
	assert_string_equal(mt, BRIG_MT_OCI_MANIFEST);
	free(mt);
	root = json_loadb(m.data, m.len, 0, NULL);
	want = strdup(json_string_value(json_object_get(json_object_get(root, "config"), "digest")));
	json_decref(root);
	brig_buf_free(&m);

	assert_int_equal(peer_hits(peer, "noauth-blob"), 0);
	if (brig_registry_open_blob(c, want, 77824, &r, &rd, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(drain(&rd, got, &err), 77824);
	assert_string_equal(got, want);
	assert_non_null(strstr(r->effective_url, "localhost"));
	brig_http_response_free(r);
	assert_int_equal(brig_registry_get_blob(c, want, 1 << 20, &cfg, &err), 0);
	assert_int_equal(cfg.len, 77824);
	assert_int_equal(peer_hits(peer, "noauth-blob"), 2);
	assert_int_equal(peer_hits(peer, "leaked-authorization"), 0);
	free(want);

	/* without credentials the fake registry refuses the anonymous token */
	brig_registry_close(c);
	c = NULL;
	assert_int_equal(brig_registry_open(&ref, &o, NULL, &c, &err), 0);
	assert_int_equal(brig_registry_get_manifest(c, NULL, &m, &mt, digest, &err), -1);
	assert_int_equal(err.code, EACCES);
	assert_null(mt);
}

/* ------------------------------------------------------------ registries */

static struct brig_registry *open_reg(const char *host, const char *repo_tag,
				      const struct brig_http_opts *o,
				      const struct brig_credentials *creds, struct brig_error *err)
{
	struct brig_image_ref ref;
	struct brig_registry *c = NULL;
	char name[256];

	snprintf(name, sizeof(name), "%s/%s", host, repo_tag);
	assert_int_equal(brig_image_ref_parse(name, &ref, err), 0);
	if (brig_registry_open(&ref, o, creds, &c, err) < 0)
		c = NULL;
	brig_image_ref_free(&ref);
	return c;
}

struct manifest_info {
	char config[BRIG_DIGEST_STR_LEN];
	char layer[BRIG_DIGEST_STR_LEN];
	long long layer_size;
};

static void manifest_parse(const struct brig_buf *m, struct manifest_info *mi)
{
	json_t *root = json_loadb(m->data, m->len, 0, NULL);
	json_t *l0 = json_array_get(json_object_get(root, "layers"), 0);

	assert_non_null(root);
	snprintf(mi->config, sizeof(mi->config), "%s",
		 json_string_value(json_object_get(json_object_get(root, "config"), "digest")));
	snprintf(mi->layer, sizeof(mi->layer), "%s",
		 json_string_value(json_object_get(l0, "digest")));
	mi->layer_size = json_integer_value(json_object_get(l0, "size"));
	json_decref(root);
}

/* manifest by tag and by digest, config, and the layer streamed */
static void pull_and_check(struct brig_registry *c, const char *tag, const char *want_mt)
{
	_cleanup_buf_ struct brig_buf m = {0};
	_cleanup_buf_ struct brig_buf m2 = {0};
	_cleanup_buf_ struct brig_buf cfg = {0};
	char digest[BRIG_DIGEST_STR_LEN], digest2[BRIG_DIGEST_STR_LEN], got[BRIG_DIGEST_STR_LEN];
	struct brig_http_response *r = NULL;
	struct manifest_info mi;
	struct brig_reader rd;
	struct brig_error err = {0};
	char *mt = NULL;

	if (brig_registry_get_manifest(c, tag, &m, &mt, digest, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(mt, want_mt);
	free(mt);
	assert_true(brig_digest_valid(digest));
	if (brig_registry_get_manifest(c, digest, &m2, &mt, digest2, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(digest, digest2);
	assert_int_equal(m.len, m2.len);
	assert_memory_equal(m.data, m2.data, m.len);
	free(mt);

	manifest_parse(&m, &mi);
	if (brig_registry_get_blob(c, mi.config, 1 << 20, &cfg, &err) < 0)
		fail_msg("%s", err.msg);
	assert_non_null(strstr(cfg.data, "\"rootfs\""));
	if (brig_registry_open_blob(c, mi.layer, mi.layer_size, &r, &rd, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(drain(&rd, got, &err), mi.layer_size);
	assert_string_equal(got, mi.layer);
	brig_http_response_free(r);
}

static void test_registry_anonymous(void **state)
{
	NEED_ENV(host, "BRIG_TEST_REGISTRY");
	struct brig_http_opts o = {.insecure = true};
	_cleanup_buf_ struct brig_buf m = {0};
	_cleanup_registry_ struct brig_registry *c = NULL;
	char digest[BRIG_DIGEST_STR_LEN], *mt = NULL;
	struct brig_error err = {0};

	(void)state;
	c = open_reg(host, "test:1", &o, NULL, &err);
	if (!c)
		fail_msg("%s", err.msg);
	assert_true(strncmp(brig_registry_base_url(c), "http://", 7) == 0);
	pull_and_check(c, NULL, BRIG_MT_DOCKER_MANIFEST);
	pull_and_check(c, "oci", BRIG_MT_OCI_MANIFEST);
	assert_int_equal(brig_registry_get_manifest(c, "index", &m, &mt, digest, &err), 0);
	assert_true(strcmp(mt, BRIG_MT_OCI_INDEX) == 0 || strcmp(mt, BRIG_MT_DOCKER_LIST) == 0);
	free(mt);
	assert_non_null(strstr(m.data, "\"manifests\""));
	brig_buf_free(&m);

	/* unknown tag, unknown repository, bad reference */
	assert_int_equal(brig_registry_get_manifest(c, "nope", &m, &mt, digest, &err), -1);
	assert_int_equal(err.code, ENOENT);
	assert_non_null(strstr(err.msg, "MANIFEST_UNKNOWN"));
	assert_int_equal(brig_registry_get_manifest(c, "bad tag", &m, &mt, digest, &err), -1);
	assert_int_equal(err.code, EINVAL);
	brig_registry_close(c);
	c = open_reg(host, "nothere:1", &o, NULL, &err);
	assert_non_null(c);
	assert_int_equal(brig_registry_get_manifest(c, NULL, &m, &mt, digest, &err), -1);
	assert_int_equal(err.code, ENOENT);
	assert_int_equal(brig_registry_get_blob(c, "sha256:" D64, 100, &m, &err), -1);
	assert_int_equal(err.code, ENOENT);
	brig_registry_close(c);

	/* without --insecure, plain http is never tried */
	o.insecure = false;
	o.timeout_s = 5;
	c = open_reg(host, "test:1", &o, NULL, &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, "https://"));
}

static void corrupt_blob(const char *storage, const char *digest)
{
	char path[1024];
	int fd;
	unsigned char byte;

	snprintf(path, sizeof(path), "%s/docker/registry/v2/blobs/sha256/%.2s/%s/data", storage,
		 digest + 7, digest + 7);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &byte, 1, 100), 1);
	byte ^= 0x20; /* in a JSON manifest: flips the case of a letter */
	assert_int_equal(pwrite(fd, &byte, 1, 100), 1);
	close(fd);
}

/* A registry that serves bytes other than the digest names is caught. */
static void test_registry_tampered(void **state)
{
	NEED_ENV(host, "BRIG_TEST_REGISTRY");
	NEED_ENV(storage, "BRIG_TEST_REGISTRY_STORAGE");
	struct brig_http_opts o = {.insecure = true};
	_cleanup_buf_ struct brig_buf m = {0};
	_cleanup_registry_ struct brig_registry *c = NULL;
	char digest[BRIG_DIGEST_STR_LEN], got[BRIG_DIGEST_STR_LEN], *mt = NULL;
	struct brig_http_response *r = NULL;
	struct manifest_info mi;
	struct brig_reader rd;
	struct brig_error err = {0};

	(void)state;
	c = open_reg(host, "tamper:1", &o, NULL, &err);
	assert_non_null(c);
	assert_int_equal(brig_registry_get_manifest(c, NULL, &m, &mt, digest, &err), 0);
	free(mt);
	manifest_parse(&m, &mi);
	brig_buf_free(&m);

	corrupt_blob(storage, mi.layer);
	assert_int_equal(brig_registry_open_blob(c, mi.layer, mi.layer_size, &r, &rd, &err), 0);
	assert_int_equal(drain(&rd, got, &err), -1);
	assert_int_equal(err.code, EBADMSG);
	assert_non_null(strstr(err.msg, "digest mismatch"));
	brig_http_response_free(r);
	/* a wrong expected size is caught even before the digest */
	assert_int_equal(brig_registry_open_blob(c, mi.layer, mi.layer_size - 1, &r, &rd, &err), -1);
	assert_int_equal(err.code, EBADMSG);

	corrupt_blob(storage, mi.config);
	assert_int_equal(brig_registry_get_blob(c, mi.config, 1 << 20, &m, &err), -1);
	assert_int_equal(err.code, EBADMSG);

	corrupt_blob(storage, digest);
	assert_int_equal(brig_registry_get_manifest(c, digest, &m, &mt, got, &err), -1);
	assert_int_equal(err.code, EBADMSG);
	assert_null(mt);
}

static void test_registry_basic(void **state)
{
	NEED_ENV(host, "BRIG_TEST_REGISTRY_BASIC");
	NEED_ENV(user, "BRIG_TEST_USER");
	NEED_ENV(pass, "BRIG_TEST_PASSWORD");
	struct brig_http_opts o = {.insecure = true};
	struct brig_credentials good = {.username = (char *)user, .password = (char *)pass,
					.source = "test"};
	struct brig_credentials bad = {.username = (char *)user, .password = "wrong",
				       .source = "test"};
	_cleanup_buf_ struct brig_buf m = {0};
	struct brig_registry *c;
	char digest[BRIG_DIGEST_STR_LEN], *mt = NULL;
	struct brig_error err = {0};

	(void)state;
	c = open_reg(host, "test:1", &o, &good, &err);
	if (!c)
		fail_msg("%s", err.msg);
	pull_and_check(c, NULL, BRIG_MT_DOCKER_MANIFEST);
	brig_registry_close(c);

	c = open_reg(host, "test:1", &o, NULL, &err);
	assert_non_null(c);
	assert_int_equal(brig_registry_get_manifest(c, NULL, &m, &mt, digest, &err), -1);
	assert_int_equal(err.code, EACCES);
	assert_non_null(strstr(err.msg, "no credentials"));
	brig_registry_close(c);

	c = open_reg(host, "test:1", &o, &bad, &err);
	assert_non_null(c);
	assert_int_equal(brig_registry_get_manifest(c, NULL, &m, &mt, digest, &err), -1);
	assert_int_equal(err.code, EACCES);
	assert_non_null(strstr(err.msg, "rejected"));
	assert_null(strstr(err.msg, "wrong")); /* never the password */
	brig_registry_close(c);
}

static void test_registry_bearer(void **state)
{
	NEED_ENV(host, "BRIG_TEST_REGISTRY_TOKEN");
	NEED_ENV(user, "BRIG_TEST_USER");
	NEED_ENV(pass, "BRIG_TEST_PASSWORD");
	struct brig_http_opts o = {.insecure = true};
	struct brig_credentials good = {.username = (char *)user, .password = (char *)pass,
					.source = "test"};
	struct brig_credentials bad = {.username = (char *)user, .password = "wrong",
				       .source = "test"};
	_cleanup_buf_ struct brig_buf m = {0};
	struct brig_registry *c;
	char digest[BRIG_DIGEST_STR_LEN], *mt = NULL;
	struct brig_error err = {0};

	(void)state;
	c = open_reg(host, "test:1", &o, &good, &err);
	if (!c)
		fail_msg("%s", err.msg);
	pull_and_check(c, NULL, BRIG_MT_DOCKER_MANIFEST);
	brig_registry_close(c);

	/* anonymous: the token server issues a token without access */
	c = open_reg(host, "test:1", &o, NULL, &err);
	assert_non_null(c);
	assert_int_equal(brig_registry_get_manifest(c, NULL, &m, &mt, digest, &err), -1);
	assert_int_equal(err.code, EACCES);
	brig_registry_close(c);

	c = open_reg(host, "test:1", &o, &bad, &err);
	assert_non_null(c);
	assert_int_equal(brig_registry_get_manifest(c, NULL, &m, &mt, digest, &err), -1);
	assert_int_equal(err.code, EACCES);
	assert_non_null(strstr(err.msg, "token server"));
	assert_null(strstr(err.msg, "wrong"));
	brig_registry_close(c);
}

static void test_registry_tls(void **state)
{
	NEED_ENV(host, "BRIG_TEST_REGISTRY_TLS");
	NEED_ENV(ca, "BRIG_TEST_TLS_CA");
	struct brig_http_opts o = {.timeout_s = 5};
	struct brig_registry *c;
	struct brig_error err = {0};

	(void)state;
	/* a self-signed certificate is refused by default */
	c = open_reg(host, "test:1", &o, NULL, &err);
	assert_null(c);
	assert_int_equal(err.code, EPROTO);

	o.ca_file = ca;
	c = open_reg(host, "test:1", &o, NULL, &err);
	if (!c)
		fail_msg("%s", err.msg);
	assert_true(strncmp(brig_registry_base_url(c), "https://", 8) == 0);
	pull_and_check(c, NULL, BRIG_MT_DOCKER_MANIFEST);
	brig_registry_close(c);

	/* insecure on loopback tries http first; the TLS server answers it
	 * with 400, so https without verification is next */
	o.ca_file = NULL;
	o.insecure = true;
	c = open_reg(host, "test:1", &o, NULL, &err);
	if (!c)
		fail_msg("%s", err.msg);
	assert_true(strncmp(brig_registry_base_url(c), "https://", 8) == 0);
	pull_and_check(c, NULL, BRIG_MT_DOCKER_MANIFEST);
	brig_registry_close(c);
}

/* ---------------------------------------------------------------- engine */

static unsigned long long octal(const char *p, size_t n)
{
	unsigned long long v = 0;

	for (size_t i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (unsigned long long)(p[i] - '0');
	return v;
}

static void test_engine(void **state)
{
	NEED_ENV(sock, "BRIG_TEST_ENGINE");
	NEED_ENV(image, "BRIG_TEST_ENGINE_IMAGE");
	_cleanup_engine_ struct brig_engine *e = NULL;
	_cleanup_buf_ struct brig_buf j = {0};
	_cleanup_buf_ struct brig_buf manifest = {0};
	struct brig_http_response *r = NULL;
	struct brig_error err = {0};
	struct brig_reader rd;
	char hdr[512], skipbuf[8192];
	bool found = false;
	unsigned long long total = 0;
	json_t *root;

	(void)state;
	if (brig_engine_open(sock, &e, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(brig_engine_socket(e), sock + 7);

	if (brig_engine_inspect_image(e, image, &j, &err) < 0)
		fail_msg("%s", err.msg);
	root = json_loadb(j.data, j.len, 0, NULL);
	assert_true(brig_digest_valid(json_string_value(json_object_get(root, "Id"))));
	json_decref(root);
	brig_buf_free(&j);

	assert_int_equal(brig_engine_inspect_image(e, "localhost/does-not-exist:1", &j, &err), -1);
	assert_int_equal(err.code, BRIG_ENGINE_ENOTFOUND);
	assert_non_null(strstr(err.msg, "not found in the engine"));
	assert_int_equal(brig_engine_inspect_image(e, "../../containers", &j, &err), -1);
	assert_int_equal(err.code, EINVAL);

	/* export: walk the tar as it streams, keep only manifest.json */
	if (brig_engine_export_image(e, image, &r, &rd, &err) < 0)
		fail_msg("%s", err.msg);
	brig_buf_init(&manifest, 1 << 20);
	for (;;) {
		unsigned long long size, pad;
		char name[101];
		bool want;

		assert_int_equal(brig_reader_read_full(&rd, hdr, 512, &err), 512);
		total += 512;
		if (hdr[0] == '\0')
			break;
		snprintf(name, sizeof(name), "%.100s", hdr);
		size = octal(hdr + 124, 12);
		pad = (512 - size % 512) % 512;
		want = strcmp(name, "manifest.json") == 0 && hdr[156] != 'x';
		found |= want;
		for (unsigned long long left = size + pad; left > 0;) {
			size_t k = left < sizeof(skipbuf) ? (size_t)left : sizeof(skipbuf);

			assert_int_equal(brig_reader_read_full(&rd, skipbuf, k, &err), (ssize_t)k);
			if (want && size > 0) {
				size_t take = k < size ? k : (size_t)size;

				assert_int_equal(brig_buf_append(&manifest, skipbuf, take, &err), 0);
				size -= take;
			}
			left -= k;
			total += k;
		}
	}
	brig_http_response_free(r);
	assert_true(found);
	root = json_loadb(manifest.data, manifest.len, 0, NULL);
	assert_true(json_is_array(root));
	assert_non_null(json_string_value(json_object_get(json_array_get(root, 0), "Config")));
	json_decref(root);
	assert_true(total > 200000); /* the random file is in a layer */

	assert_int_equal(brig_engine_export_image(e, "localhost/does-not-exist:1", &r, &rd, &err), -1);
	assert_int_equal(err.code, BRIG_ENGINE_ENOTFOUND);

	assert_int_equal(brig_engine_get_json(e, "/info", &j, &err), 0);
	assert_non_null(strstr(j.data, "\"OperatingSystem\""));
	brig_buf_free(&j);
	assert_int_equal(brig_engine_get_json(e, "/containers/json?all=1", &j, &err), 0);
	assert_int_equal(j.data[0], '[');
	brig_buf_free(&j);
	assert_int_equal(brig_engine_get_json(e, "/containers/nope/json", &j, &err), -1);
	assert_int_equal(err.code, BRIG_ENGINE_ENOTFOUND);
}

static void test_engine_sockets(void **state)
{
	NEED_ENV(sock, "BRIG_TEST_ENGINE");
	struct brig_engine *e = NULL;
	struct brig_error err = {0};
	char *dir;
	char path[512];

	(void)state;
	setenv("DOCKER_HOST", sock, 1);
	assert_int_equal(brig_engine_open(NULL, &e, &err), 0);
	assert_string_equal(brig_engine_socket(e), sock + 7);
	brig_engine_close(e);

	setenv("DOCKER_HOST", "tcp://127.0.0.1:2375", 1);
	assert_int_equal(brig_engine_open(NULL, &e, &err), -1);
	assert_int_equal(err.code, ENOTSUP);
	assert_non_null(strstr(err.msg, "only unix:// sockets are supported"));
	unsetenv("DOCKER_HOST");

	assert_int_equal(brig_engine_open("unix:///nonexistent/brig.sock", &e, &err), -1);
	assert_int_equal(err.code, ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/brig.sock"));
	assert_null(strchr(err.msg, '\n'));

	/* a socket file nobody listens on */
	dir = make_tmpdir();
	snprintf(path, sizeof(path), "%s/dead.sock", dir);
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd),
			 "/usr/bin/python3 -c 'import socket; s=socket.socket(socket.AF_UNIX); s.bind(\"%s\")'",
			 path);
		if (system(cmd) == 0) {
			assert_int_equal(brig_engine_open(path, &e, &err), -1);
			assert_int_equal(err.code, ECONNREFUSED);
			assert_non_null(strstr(err.msg, path));
		}
	}
	unlink(path);
	rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ref_table),
		cmocka_unit_test(test_ref_roundtrip),
		cmocka_unit_test(test_ref_error_sanitized),
		cmocka_unit_test(test_challenge_table),
		cmocka_unit_test(test_token_response),
		cmocka_unit_test(test_basic_header),
		cmocka_unit_test(test_credentials_lookup),
		cmocka_unit_test(test_http_helpers),
		cmocka_unit_test(test_http_refused),
		cmocka_unit_test(test_http_retry),
		cmocka_unit_test(test_http_stream),
		cmocka_unit_test(test_peer_registry_redirect),
		cmocka_unit_test(test_registry_anonymous),
		cmocka_unit_test(test_registry_tampered),
		cmocka_unit_test(test_registry_basic),
		cmocka_unit_test(test_registry_bearer),
		cmocka_unit_test(test_registry_tls),
		cmocka_unit_test(test_engine),
		cmocka_unit_test(test_engine_sockets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

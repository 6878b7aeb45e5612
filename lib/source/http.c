#include "source/http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/cleanup.h"
#include "core/dynlib.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/sha256.h"
#include "core/xalloc.h"

/* Body bytes held between curl and the reader. curl hands over at most
 * CURL_MAX_WRITE_SIZE (16 KiB) at a time; when a chunk does not fit, the
 * transfer is paused until the reader drains the buffer. */
#define BODY_BUF_SIZE (128u << 10)
/* All header lines of one response; curl's own cap is 100 KiB. */
#define MAX_HEADER_BYTES (64u << 10)
#define MAX_TRIES 3
#define FIRST_BACKOFF_MS 500
#define DEFAULT_TIMEOUT_S 30L
#define MAX_REDIRECTS 5L

struct brig_http_transfer {
	CURLM *multi;
	CURL *easy;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
	char *url; /* for messages */
	struct brig_http_response *resp;

	unsigned char *buf;
	size_t cap, head, tail;
	bool paused;

	bool done; /* curl reported the transfer finished */
	CURLcode result;
	bool headers_done; /* the final response's header block is complete */
	bool header_overflow;
	size_t header_bytes;

	unsigned long long delivered; /* body bytes handed to the reader */
	int eof_state; /* 0 unchecked, 1 verified, -1 failed (kept in eof_err) */
	struct brig_error eof_err;

	bool verify_digest;
	struct brig_sha256 sha;
	char expect_digest[BRIG_DIGEST_STR_LEN];
	long long expect_size;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

static void curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

char *brig_http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), need;
	char *out, *p;

	if (!brig_mul_ok(n, 3, &need) || !brig_add_ok(need, 1, &need))
		abort();
	out = p = brig_xmalloc(need);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '.' || c == '_' || c == '~' || c == '-') {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return out;
}

char *brig_http_media_type(const char *ct)
{
	size_t n;
	char *out;

	if (!ct)
		return NULL;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	n = strcspn(ct, "; \t");
	if (n == 0)
		return NULL;
	out = brig_xstrndup(ct, n);
	for (char *p = out; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	brig_sanitize_inplace(out);
	return out;
}

static void response_reset_headers(struct brig_http_response *r)
{
	free(r->content_type);
	free(r->docker_content_digest);
	free(r->www_authenticate);
	free(r->location);
	r->content_type = r->docker_content_digest = r->www_authenticate = r->location = NULL;
	r->content_length = -1;
	r->status = 0;
}

static bool is_redirect(long status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* "HTTP/1.1 200 OK" or "HTTP/2 200" */
static long parse_status_line(const char *line, size_t len)
{
	size_t i = 5;
	long status = 0;
	int digits = 0;

	while (i < len && line[i] != ' ')
		i++;
	while (i < len && line[i] == ' ')
		i++;
	while (i < len && isdigit((unsigned char)line[i]) && digits < 3) {
		status = status * 10 + (line[i] - '0');
		i++;
		digits++;
	}
	return digits == 3 ? status : 0;
}

static void set_header(char **slot, const char *val, size_t n, bool join)
{
	if (*slot && join) {
		char *joined = brig_xasprintf("%s, %.*s", *slot, (int)n, val);

		free(*slot);
		*slot = joined;
		return;
	}
	if (*slot)
		return; /* the first occurrence wins */
	*slot = brig_xstrndup(val, n);
}

static size_t header_cb(char *data, size_t size, size_t nitems, void *userdata)
{
	struct brig_http_transfer *t = userdata;
	struct brig_http_response *r = t->resp;
	size_t len = size * nitems, n = len, name_len;
	const char *colon, *val;

	t->header_bytes += len;
	if (t->header_bytes > MAX_HEADER_BYTES) {
		t->header_overflow = true;
		return 0; /* aborts the transfer */
	}
	while (n > 0 && (data[n - 1] == '\r' || data[n - 1] == '\n'))
		n--;
	if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
		/* A new response (after a redirect or a 1xx): forget the last one. */
		response_reset_headers(r);
		r->status = parse_status_line(data, n);
		t->header_bytes = len;
		return len;
	}
	if (n == 0) {
		/* End of a header block: final unless curl is about to follow it. */
		if (r->status >= 200 && !(is_redirect(r->status) && r->location))
			t->headers_done = true;
		return len;
	}
	colon = memchr(data, ':', n);
	if (!colon)
		return len;
	name_len = (size_t)(colon - data);
	val = colon + 1;
	while (val < data + n && (*val == ' ' || *val == '\t'))
		val++;
	n = (size_t)(data + n - val);
	while (n > 0 && (val[n - 1] == ' ' || val[n - 1] == '\t'))
		n--;
#define HDR_IS(lit) (name_len == sizeof(lit) - 1 && strncasecmp(data, lit, name_len) == 0)
	if (HDR_IS("Content-Type")) {
		set_header(&r->content_type, val, n, false);
	} else if (HDR_IS("Docker-Content-Digest")) {
		set_header(&r->docker_content_digest, val, n, false);
	} else if (HDR_IS("WWW-Authenticate")) {
		set_header(&r->www_authenticate, val, n, true);
	} else if (HDR_IS("Location")) {
		set_header(&r->location, val, n, false);
	} else if (HDR_IS("Content-Length")) {
		long long v = 0;
		size_t i;

		for (i = 0; i < n && i < 18 && isdigit((unsigned char)val[i]); i++)
			v = v * 10 + (val[i] - '0');
		r->content_length = (i == n && n > 0) ? v : -1;
	}
#undef HDR_IS
	return len;
}

static size_t body_cb(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct brig_http_transfer *t = userdata;
	size_t len = size * nmemb, used = t->tail - t->head;

	/* Body bytes mean the headers before them were the final ones. */
	t->headers_done = true;
	if (t->cap - t->tail < len) {
		if (t->head > 0) {
			memmove(t->buf, t->buf + t->head, used);
			t->head = 0;
			t->tail = used;
		}
		if (t->cap - t->tail < len) {
			if (used > 0) {
				t->paused = true;
				return CURL_WRITEFUNC_PAUSE;
			}
			/* Empty, yet the chunk is larger: only possible if curl's
			 * chunk bound grows; take it rather than stall forever. */
			t->buf = brig_xrealloc(t->buf, len);
			t->cap = len;
		}
	}
	memcpy(t->buf + t->tail, data, len);
	t->tail += len;
	return len;
}

static void transfer_free(struct brig_http_transfer *t)
{
	if (!t)
		return;
	if (t->multi && t->easy)
		curl_multi_remove_handle(t->multi, t->easy);
	if (t->easy)
		curl_easy_cleanup(t->easy);
	if (t->multi)
		curl_multi_cleanup(t->multi);
	/* the list may hold an Authorization secret */
	for (struct curl_slist *h = t->hdrs; h; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(t->hdrs);
	if (t->verify_digest)
		brig_sha256_free(&t->sha);
	free(t->buf);
	free(t->url);
	free(t);
}

void brig_http_response_free(struct brig_http_response *resp)
{
	if (!resp)
		return;
	transfer_free(resp->xfer);
	response_reset_headers(resp);
	free(resp->effective_url);
	free(resp);
}

static bool header_line_ok(const char *h)
{
	const char *colon = strchr(h, ':');

	if (!colon || colon == h)
		return false;
	for (const char *p = h; *p; p++)
		if (*p == '\r' || *p == '\n')
			return false;
	return true;
}

#define SETOPT(opt, val)                                                       \
	do {                                                                   \
		CURLcode c_ = curl_easy_setopt(t->easy, opt, val);             \
		if (c_ != CURLE_OK)                                            \
			return brig_error_set(err, EINVAL, "curl option %s: %s", \
					      #opt, curl_easy_strerror(c_)); \
	} while (0)

static int transfer_setup(struct brig_http_transfer *t, const struct brig_http_opts *o,
			  const char *url, const char *const *headers, struct brig_error *err)
{
	long timeout = o && o->timeout_s > 0 ? o->timeout_s : DEFAULT_TIMEOUT_S;

	t->multi = curl_multi_init();
	t->easy = curl_easy_init();
	if (!t->multi || !t->easy)
		return brig_error_set(err, ENOMEM, "cannot create a curl handle");
	for (size_t i = 0; headers && headers[i]; i++) {
		struct curl_slist *n;

		if (!header_line_ok(headers[i]))
			return brig_error_set(err, EINVAL, "refusing a malformed request header");
		n = curl_slist_append(t->hdrs, headers[i]);
		if (!n)
			return brig_error_set(err, ENOMEM, "out of memory");
		t->hdrs = n;
	}
	SETOPT(CURLOPT_URL, url);
	SETOPT(CURLOPT_ERRORBUFFER, t->errbuf);
	SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	SETOPT(CURLOPT_USERAGENT, "brig/" BRIG_VERSION);
	SETOPT(CURLOPT_HTTPHEADER, t->hdrs);
	/* Registries redirect blob downloads to storage hosts. curl drops our
	 * Authorization header when the host, port or scheme changes
	 * (CURLOPT_UNRESTRICTED_AUTH stays off), so a token never leaks there. */
	if (!o || !o->unix_socket) {
		SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
		SETOPT(CURLOPT_MAXREDIRS, MAX_REDIRECTS);
	}
	/* CURLOPT_NOSIGNAL stays 0: Debian's libcurl resolves in a thread (no
	 * alarm()), and curl then ignores SIGPIPE around its own socket writes,
	 * which OpenSSL may otherwise raise on a closed connection. */
	SETOPT(CURLOPT_CONNECTTIMEOUT, timeout);
	/* A stall limit, not a total one: a large layer may take long, but a
	 * server that stops sending must not hang the scan. Paused transfers
	 * are exempt from curl's speed check. */
	SETOPT(CURLOPT_LOW_SPEED_LIMIT, 1L);
	SETOPT(CURLOPT_LOW_SPEED_TIME, timeout);
	/* a proxy's "200 Connection established" is not the answer */
	SETOPT(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	SETOPT(CURLOPT_HEADERFUNCTION, header_cb);
	SETOPT(CURLOPT_HEADERDATA, t);
	SETOPT(CURLOPT_WRITEFUNCTION, body_cb);
	SETOPT(CURLOPT_WRITEDATA, t);
	if (o && o->insecure) {
		SETOPT(CURLOPT_SSL_VERIFYPEER, 0L);
		SETOPT(CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (o && o->ca_file)
		SETOPT(CURLOPT_CAINFO, o->ca_file);
	if (o && o->unix_socket) {
		SETOPT(CURLOPT_UNIX_SOCKET_PATH, o->unix_socket);
		/* a proxy from the environment must not capture a local socket */
		SETOPT(CURLOPT_NOPROXY, "*");
	}
	if (curl_multi_add_handle(t->multi, t->easy) != CURLM_OK)
		return brig_error_set(err, ENOMEM, "cannot start a curl transfer");
	return 0;
}

static void collect_done(struct brig_http_transfer *t)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(t->multi, &left))) {
		if (msg->msg == CURLMSG_DONE && msg->easy_handle == t->easy) {
			t->done = true;
			t->result = msg->data.result;
		}
	}
}

enum wait_for { WAIT_HEADERS, WAIT_DATA };

/* Runs the transfer until the condition holds or it ends. */
static int transfer_pump(struct brig_http_transfer *t, enum wait_for what, struct brig_error *err)
{
	for (;;) {
		int running = 0;
		CURLMcode mc = curl_multi_perform(t->multi, &running);

		if (mc != CURLM_OK)
			return brig_error_set(err, EIO, "GET %s: %s", t->url, curl_multi_strerror(mc));
		collect_done(t);
		if (t->done || t->tail > t->head)
			return 0;
		if (what == WAIT_HEADERS && t->headers_done)
			return 0;
		mc = curl_multi_poll(t->multi, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK)
			return brig_error_set(err, EIO, "GET %s: %s", t->url, curl_multi_strerror(mc));
	}
}

static bool curl_transient(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_PARTIAL_FILE:
		return true;
	default:
		return false;
	}
}

static bool status_transient(long status)
{
	return status == 429 || status == 502 || status == 503 || status == 504;
}

static int curl_errno(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT:
		return ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return EHOSTUNREACH;
	case CURLE_OPERATION_TIMEDOUT:
		return ETIMEDOUT;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CACERT_BADFILE:
		return EPROTO;
	default:
		return EIO;
	}
}

static int transfer_error(struct brig_http_transfer *t, struct brig_error *err)
{
	char detail[CURL_ERROR_SIZE + 64];

	if (t->header_overflow)
		return brig_error_set(err, EFBIG, "GET %s: response headers exceed %u bytes",
				      t->url, MAX_HEADER_BYTES);
	snprintf(detail, sizeof(detail), "%s", t->errbuf[0] ? t->errbuf : curl_easy_strerror(t->result));
	brig_sanitize_inplace(detail);
	return brig_error_set(err, curl_errno(t->result), "GET %s: %s", t->url, detail);
}

/* URLs in messages and logs lose their query: a token request carries the
 * account name there, and a presigned storage URL its signature. */
static char *url_for_messages(const char *url)
{
	char *u = brig_xstrndup(url, strcspn(url, "?#"));

	brig_sanitize_inplace(u);
	return u;
}

static void log_get(const char *url)
{
	_cleanup_free_ char *u = url_for_messages(url);

	brig_debug("GET %s", u);
}

/* One attempt: returns 0 with the headers in, or -1; *transient tells the
 * caller whether trying again could help. */
static int http_start(const struct brig_http_opts *o, const char *url, const char *const *headers,
		      struct brig_http_response **out, bool *transient, struct brig_error *err)
{
	struct brig_http_response *r = brig_xcalloc(1, sizeof(*r));
	struct brig_http_transfer *t = brig_xcalloc(1, sizeof(*t));
	char *eff = NULL;

	*transient = false;
	r->xfer = t;
	r->content_length = -1;
	t->resp = r;
	t->url = url_for_messages(url);
	t->cap = BODY_BUF_SIZE;
	t->buf = brig_xmalloc(t->cap);
	t->expect_size = -1;
	if (transfer_setup(t, o, url, headers, err) < 0 || transfer_pump(t, WAIT_HEADERS, err) < 0)
		goto fail;
	if (t->done && t->result != CURLE_OK) {
		*transient = curl_transient(t->result) && !t->header_overflow;
		transfer_error(t, err);
		goto fail;
	}
	if (r->status == 0) {
		brig_error_set(err, EPROTO, "GET %s: no HTTP status received", t->url);
		goto fail;
	}
	if (curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &eff) == CURLE_OK && eff)
		r->effective_url = url_for_messages(eff);
	*out = r;
	return 0;
fail:
	brig_http_response_free(r);
	return -1;
}

static void backoff_sleep(int attempt)
{
	long ms = (long)FIRST_BACKOFF_MS << (attempt - 1);
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static ssize_t body_read(void *ctx, void *out, size_t n, struct brig_error *err);

static int http_get_retrying(const struct brig_http_opts *o, const char *url,
			     const char *const *headers, struct brig_http_response **resp,
			     struct brig_error *err)
{
	if (brig_libcurl_load(err) < 0)
		return -1;
	if (pthread_once(&curl_once, curl_init) != 0 || curl_init_rc != CURLE_OK)
		return brig_error_set(err, EIO, "cannot initialise libcurl");
	for (int attempt = 1;; attempt++) {
		struct brig_http_response *r = NULL;
		bool transient;
		int rc = http_start(o, url, headers, &r, &transient, err);

		if (rc == 0 && !(status_transient(r->status) && attempt < MAX_TRIES)) {
			*resp = r;
			return 0;
		}
		if (rc == 0) {
			brig_debug("GET %s: HTTP %ld, retrying", r->xfer->url, r->status);
			brig_http_response_free(r);
		} else if (!transient || attempt >= MAX_TRIES) {
			return -1;
		} else {
			brig_debug("%s; retrying", err->msg);
		}
		backoff_sleep(attempt);
	}
}

int brig_http_get(const struct brig_http_opts *o, const char *url, const char *const *headers,
		  struct brig_http_response **resp, struct brig_reader *body,
		  struct brig_error *err)
{
	*resp = NULL;
	log_get(url);
	if (http_get_retrying(o, url, headers, resp, err) < 0)
		return -1;
	if (body) {
		body->read = body_read;
		body->ctx = *resp;
	}
	return 0;
}

int brig_http_get_all(const struct brig_http_opts *o, const char *url,
		      const char *const *headers, size_t max, struct brig_http_response **resp,
		      struct brig_buf *out, struct brig_error *err)
{
	*resp = NULL;
	brig_buf_init(out, max);
	log_get(url);
	for (int attempt = 1;; attempt++) {
		struct brig_http_response *r = NULL;
		struct brig_reader rd = {.read = body_read};
		char chunk[16384];
		ssize_t k;

		if (http_get_retrying(o, url, headers, &r, err) < 0)
			return -1;
		if (brig_http_ok(r) && r->content_length > 0 &&
		    (unsigned long long)r->content_length > max) {
			brig_error_set(err, EFBIG, "GET %s: body of %lld bytes exceeds the %zu-byte limit",
				       r->xfer->url, r->content_length, max);
			brig_http_response_free(r);
			return -1;
		}
		rd.ctx = r;
		brig_buf_reset(out);
		while ((k = rd.read(rd.ctx, chunk, sizeof(chunk), err)) > 0) {
			size_t take = (size_t)k;

			/* An error page only explains a status: what fits is enough. */
			if (!brig_http_ok(r) && out->len + take > max) {
				take = max - out->len;
				brig_buf_append(out, chunk, take, err);
				k = 0;
				break;
			}
			if (brig_buf_append(out, chunk, take, err) < 0) {
				brig_error_prefix(err, "GET %s", r->xfer->url);
				brig_http_response_free(r);
				return -1;
			}
		}
		if (k == 0) {
			*resp = r;
			return 0;
		}
		if (attempt >= MAX_TRIES || !curl_transient(r->xfer->result) || !r->xfer->done) {
			brig_http_response_free(r);
			return -1;
		}
		brig_debug("%s; retrying", err->msg);
		brig_http_response_free(r);
		backoff_sleep(attempt);
	}
}

int brig_http_response_verify(struct brig_http_response *resp, const char *digest,
			      long long size, struct brig_error *err)
{
	struct brig_http_transfer *t = resp->xfer;

	if (!t || t->delivered > 0)
		return brig_error_set(err, EINVAL, "body verification set after reading began");
	if (digest && !brig_digest_valid(digest))
		return brig_error_set(err, EINVAL, "not a sha256 digest");
	if (size >= 0 && resp->content_length >= 0 && resp->content_length != size)
		return brig_error_set(err, EBADMSG,
				      "GET %s: Content-Length %lld does not match the expected size %lld",
				      t->url, resp->content_length, size);
	t->expect_size = size;
	if (digest) {
		memcpy(t->expect_digest, digest, BRIG_DIGEST_STR_LEN);
		if (!t->verify_digest)
			brig_sha256_init(&t->sha);
		t->verify_digest = true;
	}
	return 0;
}

/* Once per body; the verdict sticks, so a caller that reads again after
 * a failed check can never see a clean end. */
static int check_eof(struct brig_http_transfer *t, struct brig_error *err)
{
	char got[BRIG_DIGEST_STR_LEN];

	if (t->eof_state == 0) {
		t->eof_state = 1;
		if (t->expect_size >= 0 && t->delivered != (unsigned long long)t->expect_size) {
			t->eof_state = -1;
			brig_error_set(&t->eof_err, EBADMSG, "GET %s: got %llu bytes, expected %lld",
				       t->url, t->delivered, t->expect_size);
		}
		if (t->verify_digest) {
			brig_sha256_final(&t->sha, got);
			t->verify_digest = false;
			if (t->eof_state == 1 && strcmp(got, t->expect_digest) != 0) {
				t->eof_state = -1;
				brig_error_set(&t->eof_err, EBADMSG,
					       "GET %s: digest mismatch: expected %s, got %s", t->url,
					       t->expect_digest, got);
			}
		}
	}
	if (t->eof_state < 0) {
		if (err)
			*err = t->eof_err;
		return -1;
	}
	return 0;
}

static ssize_t body_read(void *ctx, void *out, size_t n, struct brig_error *err)
{
	struct brig_http_response *r = ctx;
	struct brig_http_transfer *t = r->xfer;

	if (n == 0)
		return 0;
	for (;;) {
		if (t->tail > t->head) {
			size_t k = t->tail - t->head;

			if (k > n)
				k = n;
			if (t->expect_size >= 0 &&
			    t->delivered + k > (unsigned long long)t->expect_size)
				return brig_error_set(err, EBADMSG,
						      "GET %s: body is longer than the expected %lld bytes",
						      t->url, t->expect_size);
			memcpy(out, t->buf + t->head, k);
			t->head += k;
			if (t->head == t->tail)
				t->head = t->tail = 0;
			t->delivered += k;
			if (t->verify_digest)
				brig_sha256_update(&t->sha, out, k);
			if (t->paused && t->cap - (t->tail - t->head) >= CURL_MAX_WRITE_SIZE) {
				CURLcode c;

				t->paused = false;
				/* may call body_cb at once, which may pause again */
				c = curl_easy_pause(t->easy, CURLPAUSE_CONT);
				if (c != CURLE_OK)
					return brig_error_set(err, EIO, "GET %s: %s", t->url,
							      curl_easy_strerror(c));
			}
			return (ssize_t)k;
		}
		if (t->done) {
			if (t->result != CURLE_OK)
				return transfer_error(t, err);
			if (check_eof(t, err) < 0)
				return -1;
			return 0;
		}
		if (transfer_pump(t, WAIT_DATA, err) < 0)
			return -1;
	}
}

/* HTTP GET over libcurl with a pulled body: the caller's reads drive the
 * transfer, so a layer streams through a small buffer and is never held
 * whole in memory. Everything a server sends is hostile. */
#ifndef BRIG_SOURCE_HTTP_H
#define BRIG_SOURCE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/reader.h"

struct brig_http_opts {
	bool insecure;           /* skip TLS certificate and host name checks */
	const char *unix_socket; /* connect through this AF_UNIX socket (engine API) */
	const char *ca_file;     /* extra trust anchors (PEM), NULL for the system store */
	long timeout_s;          /* connect timeout and stall limit; 0 = 30 s */
};

/* One response. Header values are copied as sent (trimmed), NULL when absent;
 * they come from the server and must be validated before use. */
struct brig_http_response {
	long status;
	char *content_type;
	char *docker_content_digest;
	char *www_authenticate; /* several challenge headers are joined with ", " */
	char *location;
	char *effective_url; /* after redirects, without its query (may be signed) */
	long long content_length; /* -1 when unknown */
	struct brig_http_transfer *xfer; /* private */
};

/* Starts a GET and returns once the final response's headers are in (after
 * redirects). `headers` is a NULL-terminated list of "Name: value" lines
 * (NULL for none); CR/LF in them is refused. Any HTTP status is a success
 * here: the caller judges resp->status. `body` (may be NULL) is set to a
 * reader of the body, valid until brig_http_response_free(). Connect errors
 * and 429/502/503/504 are retried (3 tries, 0.5 s then 1 s apart) before
 * anything is handed to the caller, never after. */
int brig_http_get(const struct brig_http_opts *o, const char *url, const char *const *headers,
		  struct brig_http_response **resp, struct brig_reader *body,
		  struct brig_error *err);

/* Like brig_http_get, reading the whole body into `out` (initialised here
 * with limit `max`); for small documents only. A transient failure while
 * reading is retried too, since nothing was handed over yet. */
int brig_http_get_all(const struct brig_http_opts *o, const char *url,
		      const char *const *headers, size_t max, struct brig_http_response **resp,
		      struct brig_buf *out, struct brig_error *err);

/* Makes the body reader check what it delivers: never more than `size`
 * bytes and exactly `size` at the end (size < 0: unknown), and, when
 * `digest` is not NULL, a sha256 equal to it at the end (error code
 * EBADMSG otherwise). Call before the first read. */
int brig_http_response_verify(struct brig_http_response *resp, const char *digest,
			      long long size, struct brig_error *err);

/* Aborts a transfer still running; NULL is fine. */
void brig_http_response_free(struct brig_http_response *resp);

static inline void brig_http_response_freep(struct brig_http_response **resp)
{
	brig_http_response_free(*resp);
}
#define _cleanup_http_response_ __attribute__((cleanup(brig_http_response_freep)))

/* true for 2xx */
static inline bool brig_http_ok(const struct brig_http_response *resp)
{
	return resp->status >= 200 && resp->status < 300;
}

/* The media type of a Content-Type value, without parameters, lowercased
 * (malloc'ed; NULL when ct is NULL or empty). */
char *brig_http_media_type(const char *ct);

/* Percent-encodes every byte outside [A-Za-z0-9._~-] (malloc'ed). */
char *brig_http_escape(const char *s);

#endif

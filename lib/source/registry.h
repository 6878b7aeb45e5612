/* A client of one repository on a registry (distribution API v2).
 * Everything the registry sends is checked: manifests are bounded and
 * hashed, blobs are verified against their digest while they stream. */
#ifndef BRIG_SOURCE_REGISTRY_H
#define BRIG_SOURCE_REGISTRY_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/reader.h"
#include "core/sha256.h"
#include "source/auth.h"
#include "source/http.h"
#include "source/ref.h"

/* The media types brig asks for, in the Accept header of a manifest GET. */
#define BRIG_MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define BRIG_MT_OCI_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define BRIG_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define BRIG_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"

struct brig_registry;

/* Connects to ref->registry for ref->repository: picks the scheme (https;
 * with opts->insecure, https without verification then http, or http first
 * for localhost/127.0.0.1/[::1]), pings /v2/ and, when it answers 401,
 * authenticates ahead of time. docker.io is reached at
 * registry-1.docker.io. `creds` may be NULL (anonymous); it is copied. */
int brig_registry_open(const struct brig_image_ref *ref, const struct brig_http_opts *opts,
		       const struct brig_credentials *creds, struct brig_registry **out,
		       struct brig_error *err);
void brig_registry_close(struct brig_registry *c);

/* "https://host:port" as chosen by brig_registry_open */
const char *brig_registry_base_url(const struct brig_registry *c);

/* Fetches a manifest or index by tag or digest (NULL: the ref's digest if
 * it had one, else its tag). `out` is initialised here (limit
 * BRIG_MAX_JSON_DOC); *media_type (malloc'ed) is the Content-Type, or the
 * document's own "mediaType" when the server sends none; `digest` is the
 * sha256 of the bytes received. When fetched by digest, a mismatch is an
 * error (EBADMSG). A missing manifest fails with code ENOENT, refused
 * access with EACCES. */
int brig_registry_get_manifest(struct brig_registry *c, const char *reference,
			       struct brig_buf *out, char **media_type,
			       char digest[BRIG_DIGEST_STR_LEN], struct brig_error *err);

/* Opens a blob for streaming. The reader checks the bytes as they pass:
 * never more than `size` (< 0: unknown) and, at the end, the exact size and
 * sha256 `digest`; a mismatch is a read error (EBADMSG). A redirect to
 * storage elsewhere is followed without the Authorization header. Free
 * *resp (which owns the transfer) when done with the reader. */
int brig_registry_open_blob(struct brig_registry *c, const char *digest, long long size,
			    struct brig_http_response **resp, struct brig_reader *body,
			    struct brig_error *err);
/* The same, without hashing the body: for a caller that computes the
 * digest itself as the bytes pass (the layer stream does) and checks it,
 * so that a layer is hashed once. The size is still enforced. */
int brig_registry_open_blob_unhashed(struct brig_registry *c, const char *digest,
				     long long size, struct brig_http_response **resp,
				     struct brig_reader *body, struct brig_error *err);

/* A small blob (an image config) read whole and verified; `out` is
 * initialised here with limit `max`. */
int brig_registry_get_blob(struct brig_registry *c, const char *digest, size_t max,
			   struct brig_buf *out, struct brig_error *err);

static inline void brig_registry_closep(struct brig_registry **c)
{
	brig_registry_close(*c);
}
#define _cleanup_registry_ __attribute__((cleanup(brig_registry_closep)))

#endif

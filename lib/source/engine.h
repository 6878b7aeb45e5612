/* The Docker Engine API (as Docker and podman serve it) over a unix socket.
 * Only unix sockets for now: a tcp:// engine would need TLS client
 * certificates, and exposing it unauthenticated is itself a finding. */
#ifndef BRIG_SOURCE_ENGINE_H
#define BRIG_SOURCE_ENGINE_H

#include <errno.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/reader.h"
#include "source/http.h"

#define BRIG_ENGINE_API_VERSION "v1.41"

struct brig_engine;

/* `host` is "unix:///path", "/path" or NULL: then DOCKER_HOST (unix:// only),
 * else the first socket that exists of /var/run/docker.sock,
 * /run/podman/podman.sock and $XDG_RUNTIME_DIR/podman/podman.sock. The
 * socket is connected once here so that a missing socket or a permission
 * problem is one clear line naming it (codes ENOENT, EACCES, ECONNREFUSED,
 * ENOTSUP for a non-unix DOCKER_HOST). */
int brig_engine_open(const char *host, struct brig_engine **out, struct brig_error *err);
void brig_engine_close(struct brig_engine *e);
const char *brig_engine_socket(const struct brig_engine *e);

/* GET /images/{name}/json into `json` (initialised here, bounded by
 * BRIG_MAX_JSON_DOC). An image the engine does not have fails with code
 * BRIG_ENGINE_ENOTFOUND, so the caller can try a registry instead. */
#define BRIG_ENGINE_ENOTFOUND ENOENT
int brig_engine_inspect_image(struct brig_engine *e, const char *name, struct brig_buf *json,
			      struct brig_error *err);

/* GET /images/{name}/get: a `docker save` tar, streamed, never buffered
 * whole. Free *resp (which owns the transfer) when done with the reader. */
int brig_engine_export_image(struct brig_engine *e, const char *name,
			     struct brig_http_response **resp, struct brig_reader *body,
			     struct brig_error *err);

/* GET of an API path such as "/containers/json?all=1", "/info",
 * "/containers/ID/json" (the caller escapes what it puts in); non-2xx is an
 * error, 404 with code BRIG_ENGINE_ENOTFOUND. */
int brig_engine_get_json(struct brig_engine *e, const char *path, struct brig_buf *json,
			 struct brig_error *err);

static inline void brig_engine_closep(struct brig_engine **e)
{
	brig_engine_close(*e);
}
#define _cleanup_engine_ __attribute__((cleanup(brig_engine_closep)))

#endif

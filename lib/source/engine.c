#include "source/engine.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

/* The host part is ignored over a unix socket; the API version is pinned
 * so that a newer engine answers in the shape brig parses. */
#define ENGINE_URL "http://d/" BRIG_ENGINE_API_VERSION
#define MAX_NAME 512u
#define MAX_PATH_ARG 2048u
#define MAX_ERROR_BODY (8u << 10)
/* An engine may assemble the whole archive before the first byte. */
#define EXPORT_STALL_S 600L
#define JSON_STALL_S 60L

struct brig_engine {
	char *socket;
};

const char *brig_engine_socket(const struct brig_engine *e)
{
	return e->socket;
}

void brig_engine_close(struct brig_engine *e)
{
	if (!e)
		return;
	free(e->socket);
	free(e);
}

static int probe_socket(const char *path, struct brig_error *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -1;

	if (strlen(path) >= sizeof(sa.sun_path))
		return brig_error_set(err, ENAMETOOLONG, "engine socket path too long: %s", path);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return brig_error_errno(err, errno, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		if (e == EACCES || e == EPERM)
			return brig_error_set(err, EACCES,
					      "cannot connect to the engine socket %s: permission denied "
					      "(root or the socket's group is needed)",
					      path);
		return brig_error_errno(err, e, "cannot connect to the engine socket %s", path);
	}
	return 0;
}

/* "unix:///p" or "/p" -> "/p"; anything else is refused. */
static int socket_from(const char *spec, const char *what, char **out, struct brig_error *err)
{
	char shown[256];

	snprintf(shown, sizeof(shown), "%s", spec);
	brig_sanitize_inplace(shown);
	if (strncmp(spec, "unix://", 7) == 0)
		spec += 7;
	else if (spec[0] != '/')
		return brig_error_set(err, strstr(spec, "://") ? ENOTSUP : EINVAL,
				      "%s%s: only unix:// sockets are supported for now", what, shown);
	if (spec[0] != '/')
		return brig_error_set(err, EINVAL, "%s%s: the socket path must be absolute", what,
				      shown);
	*out = brig_xstrdup(spec);
	return 0;
}

int brig_engine_open(const char *host, struct brig_engine **out, struct brig_error *err)
{
	_cleanup_free_ char *path = NULL;
	_cleanup_free_ char *xdg_sock = NULL;
	const char *env = getenv("DOCKER_HOST");
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct brig_engine *e;

	*out = NULL;
	if (host && *host) {
		if (socket_from(host, "", &path, err) < 0)
			return -1;
	} else if (env && *env) {
		if (socket_from(env, "DOCKER_HOST=", &path, err) < 0)
			return -1;
	} else {
		const char *candidates[3] = {"/var/run/docker.sock", "/run/podman/podman.sock", NULL};
		struct stat st;

		if (xdg && xdg[0] == '/') {
			xdg_sock = brig_xasprintf("%s/podman/podman.sock", xdg);
			candidates[2] = xdg_sock;
		}
		for (size_t i = 0; i < 3 && !path; i++)
			if (candidates[i] && stat(candidates[i], &st) == 0)
				path = brig_xstrdup(candidates[i]);
		if (!path)
			return brig_error_set(err, ENOENT,
					      "no container engine socket found (tried %s, %s%s%s); "
					      "set DOCKER_HOST=unix://PATH",
					      candidates[0], candidates[1], xdg_sock ? ", " : "",
					      xdg_sock ? xdg_sock : "");
	}
	if (probe_socket(path, err) < 0)
		return -1;
	e = brig_xcalloc(1, sizeof(*e));
	e->socket = steal_pointer(&path);
	*out = e;
	return 0;
}

static int name_check(const char *name, struct brig_error *err)
{
	size_t n = strnlen(name, MAX_NAME + 1);

	if (n == 0 || n > MAX_NAME || strstr(name, ".."))
		return brig_error_set(err, EINVAL, "invalid image name for the engine");
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-/:@", name[i]))
			return brig_error_set(err, EINVAL, "invalid image name for the engine");
	return 0;
}

static void engine_message(const char *data, size_t len, char *out, size_t n)
{
	json_t *root = data && len ? json_loadb(data, len, 0, NULL) : NULL;
	const char *msg = json_string_value(json_object_get(root, "message"));

	snprintf(out, n, "%s%s", msg ? ": " : "", msg ? msg : "");
	json_decref(root);
	brig_sanitize_inplace(out);
}

static int engine_status_error(struct brig_engine *e, long status, const char *what,
			       const char *data, size_t len, struct brig_error *err)
{
	char msg[512];

	engine_message(data, len, msg, sizeof(msg));
	if (status == 404)
		return brig_error_set(err, BRIG_ENGINE_ENOTFOUND, "%s: not found in the engine at %s%s",
				      what, e->socket, msg);
	return brig_error_set(err, EPROTO, "%s: engine at %s answered HTTP %ld%s", what, e->socket,
			      status, msg);
}

static int engine_get_all(struct brig_engine *e, const char *url, const char *what,
			  struct brig_buf *json, struct brig_error *err)
{
	struct brig_http_opts o = {.unix_socket = e->socket, .timeout_s = JSON_STALL_S};
	_cleanup_http_response_ struct brig_http_response *resp = NULL;

	if (brig_http_get_all(&o, url, NULL, BRIG_MAX_JSON_DOC, &resp, json, err) < 0)
		return brig_error_prefix(err, "%s: engine at %s", what, e->socket);
	if (!brig_http_ok(resp)) {
		engine_status_error(e, resp->status, what, json->data, json->len, err);
		brig_buf_free(json);
		brig_buf_init(json, BRIG_MAX_JSON_DOC);
		return -1;
	}
	return 0;
}

int brig_engine_inspect_image(struct brig_engine *e, const char *name, struct brig_buf *json,
			      struct brig_error *err)
{
	_cleanup_free_ char *esc = NULL;
	_cleanup_free_ char *url = NULL;
	_cleanup_free_ char *what = NULL;

	brig_buf_init(json, BRIG_MAX_JSON_DOC);
	if (name_check(name, err) < 0)
		return -1;
	esc = brig_http_escape(name);
	url = brig_xasprintf(ENGINE_URL "/images/%s/json", esc);
	what = brig_xasprintf("image %s", name);
	return engine_get_all(e, url, what, json, err);
}

int brig_engine_export_image(struct brig_engine *e, const char *name,
			     struct brig_http_response **resp, struct brig_reader *body,
			     struct brig_error *err)
{
	struct brig_http_opts o = {.unix_socket = e->socket, .timeout_s = EXPORT_STALL_S};
	_cleanup_http_response_ struct brig_http_response *r = NULL;
	_cleanup_free_ char *esc = NULL;
	_cleanup_free_ char *url = NULL;
	struct brig_reader rd;

	*resp = NULL;
	if (name_check(name, err) < 0)
		return -1;
	esc = brig_http_escape(name);
	url = brig_xasprintf(ENGINE_URL "/images/%s/get", esc);
	if (brig_http_get(&o, url, NULL, &r, &rd, err) < 0)
		return brig_error_prefix(err, "exporting image %s from the engine at %s", name,
					 e->socket);
	if (!brig_http_ok(r)) {
		char data[MAX_ERROR_BODY];
		struct brig_error ignored = {0};
		ssize_t n = brig_reader_read_full(&rd, data, sizeof(data), &ignored);

		return engine_status_error(e, r->status, name, data, n > 0 ? (size_t)n : 0, err),
		       brig_error_prefix(err, "exporting image");
	}
	*body = rd;
	*resp = steal_pointer(&r);
	return 0;
}

int brig_engine_get_json(struct brig_engine *e, const char *path, struct brig_buf *json,
			 struct brig_error *err)
{
	_cleanup_free_ char *url = NULL;
	size_t n = strnlen(path, MAX_PATH_ARG + 1);

	brig_buf_init(json, BRIG_MAX_JSON_DOC);
	if (path[0] != '/' || n > MAX_PATH_ARG || strstr(path, ".."))
		return brig_error_set(err, EINVAL, "invalid engine API path");
	for (size_t i = 0; i < n; i++)
		if (!isgraph((unsigned char)path[i]) || path[i] == '#')
			return brig_error_set(err, EINVAL, "invalid engine API path");
	url = brig_xasprintf(ENGINE_URL "%s", path);
	return engine_get_all(e, url, path, json, err);
}

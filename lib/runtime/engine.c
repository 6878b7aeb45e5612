/* Engine checks: the socket file, what GET /info says, and how the
 * engine's own processes were started. The socket and the processes are
 * read on the host (source "proc"): the API does not say who may write to
 * its socket, and /info does not say which addresses the daemon listens on. */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/xalloc.h"
#include "runtime/runtime_int.h"

#define MAX_CMDLINE (64u << 10)
#define MAX_DAEMON_JSON (1u << 20)
#define MAX_PROCS_SCANNED 200000u
#define MAX_TCP 64u

void brig_rt_engine_init(struct brig_rt_engine *e, const char *target, const char *socket)
{
	memset(e, 0, sizeof(*e));
	e->target = brig_xstrdup(target ? target : "engine");
	e->socket = socket ? brig_xstrdup(socket) : NULL;
}

void brig_rt_engine_free(struct brig_rt_engine *e)
{
	if (!e)
		return;
	free(e->target);
	free(e->socket);
	free(e->socket_group);
	free(e->driver);
	for (size_t i = 0; i < e->n_tcp; i++)
		free(e->tcp[i].desc);
	free(e->tcp);
	memset(e, 0, sizeof(*e));
}

void brig_rt_engine_stat_socket(struct brig_rt_engine *e)
{
	struct stat st;
	struct group gr, *res = NULL;
	char buf[4096];

	if (!e->socket || stat(e->socket, &st) < 0)
		return;
	e->socket_stat_ok = true;
	e->socket_mode = st.st_mode & 07777;
	e->socket_uid = st.st_uid;
	e->socket_gid = st.st_gid;
	if (getgrgid_r(st.st_gid, &gr, buf, sizeof(buf), &res) == 0 && res)
		e->socket_group = brig_xstrdup(gr.gr_name);
}

static void add_tcp(struct brig_rt_engine *e, enum brig_rt_src src, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_tcp(struct brig_rt_engine *e, enum brig_rt_src src, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	size_t cap = e->n_tcp;

	if (e->n_tcp >= MAX_TCP)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	BRIG_GROW(e->tcp, cap, e->n_tcp + 1);
	e->tcp[e->n_tcp].desc = brig_xstrdup(buf);
	e->tcp[e->n_tcp].src = src;
	e->n_tcp++;
}

/* ---- GET /info, GET /networks/bridge ---- */

void brig_rt_engine_parse_info(struct brig_rt_engine *e, const char *info, size_t len)
{
	json_t *root = json_loadb(info ? info : "", len, 0, NULL), *opts, *it;
	const char *driver;
	size_t i;

	if (!json_is_object(root)) {
		json_decref(root);
		return;
	}
	e->info_ok = true;
	/* podman's compat /info carries fields Docker's never has */
	e->is_podman = json_object_get(root, "BuildahVersion") != NULL ||
		       json_object_get(root, "Rootless") != NULL;
	opts = json_object_get(root, "SecurityOptions");
	e->userns_remap = BRIG_RT_NO;
	json_array_foreach(opts, i, it) {
		const char *s = json_string_value(it);

		if (s && (strstr(s, "name=userns") || strstr(s, "name=rootless")))
			e->userns_remap = BRIG_RT_YES;
	}
	if (json_is_true(json_object_get(root, "Rootless")))
		e->userns_remap = BRIG_RT_YES;
	if (json_is_boolean(json_object_get(root, "LiveRestoreEnabled")))
		e->live_restore =
			json_is_true(json_object_get(root, "LiveRestoreEnabled")) ? BRIG_RT_YES : BRIG_RT_NO;
	driver = json_string_value(json_object_get(root, "Driver"));
	free(e->driver);
	e->driver = rt_dup_bounded(driver);
	json_decref(root);
}

void brig_rt_engine_parse_bridge(struct brig_rt_engine *e, const char *json, size_t len)
{
	json_t *root = json_loadb(json ? json : "", len, 0, NULL);
	const char *icc = json_string_value(json_object_get(
		json_object_get(root, "Options"), "com.docker.network.bridge.enable_icc"));

	if (icc)
		e->icc = strcmp(icc, "true") == 0 ? BRIG_RT_YES : BRIG_RT_NO;
	json_decref(root);
}

/* ---- processes ---- */

struct argv_view {
	const char *args[512];
	size_t n;
};

static void split_cmdline(const char *buf, size_t len, struct argv_view *v)
{
	size_t i = 0;

	v->n = 0;
	while (i < len && v->n < sizeof(v->args) / sizeof(v->args[0])) {
		v->args[v->n++] = buf + i;
		i += strnlen(buf + i, len - i) + 1;
	}
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* -H VALUE, -H=VALUE, -HVALUE, --host VALUE, --host=VALUE */
static const char *host_arg(const struct argv_view *v, size_t *i)
{
	const char *a = v->args[*i];

	if ((strcmp(a, "-H") == 0 || strcmp(a, "--host") == 0) && *i + 1 < v->n)
		return v->args[++*i];
	if (strncmp(a, "--host=", 7) == 0)
		return a + 7;
	if (strncmp(a, "-H=", 3) == 0)
		return a + 3;
	if (strncmp(a, "-H", 2) == 0 && a[2])
		return a + 2;
	return NULL;
}

static bool flag_on(const char *a, const char *name)
{
	size_t k = strlen(name);

	if (strncmp(a, name, k) != 0)
		return false;
	return a[k] == '\0' || strcmp(a + k, "=true") == 0 || strcmp(a + k, "=1") == 0;
}

static void scan_dockerd(struct brig_rt_engine *e, const struct argv_view *v, int pid)
{
	bool verify = false, tls = false;
	const char *tcp[16];
	size_t ntcp = 0;

	e->dockerd_seen = true;
	for (size_t i = 1; i < v->n; i++) {
		const char *a = v->args[i], *h = host_arg(v, &i);

		if (h) {
			if (strncmp(h, "tcp://", 6) == 0 && ntcp < 16)
				tcp[ntcp++] = h;
			continue;
		}
		if (flag_on(a, "--tlsverify"))
			verify = true;
		else if (flag_on(a, "--tls"))
			tls = true;
		else if (strncmp(a, "--default-ulimit", 16) == 0)
			e->dockerd_default_ulimit = true;
	}
	if (verify)
		return;
	for (size_t i = 0; i < ntcp; i++)
		add_tcp(e, BRIG_RT_SRC_PROC, "%.256s (dockerd, pid %d%s)", tcp[i], pid,
			tls ? ", --tls without --tlsverify: no client authentication" : ", no --tlsverify");
}

static void scan_podman(struct brig_rt_engine *e, const struct argv_view *v, int pid)
{
	size_t i = 1;

	while (i < v->n && strcmp(v->args[i], "system") != 0)
		i++;
	if (i + 1 >= v->n || strcmp(v->args[i + 1], "service") != 0)
		return;
	/* podman's service has no TLS: any tcp:// listener is plain */
	for (i += 2; i < v->n; i++)
		if (strncmp(v->args[i], "tcp://", 6) == 0)
			add_tcp(e, BRIG_RT_SRC_PROC, "%.256s (podman system service, pid %d)",
				v->args[i], pid);
}

static void scan_daemon_json(struct brig_rt_engine *e, const char *fs_root)
{
	_cleanup_free_ char *path = brig_xasprintf("%s/etc/docker/daemon.json", fs_root);
	_cleanup_free_ char *data = NULL;
	json_t *root, *hosts, *it;
	size_t len, i;

	if (rt_read_file(path, MAX_DAEMON_JSON, &data, &len) < 0)
		return;
	root = json_loadb(data, len, 0, NULL);
	hosts = json_object_get(root, "hosts");
	if (!json_is_true(json_object_get(root, "tlsverify"))) {
		json_array_foreach(hosts, i, it) {
			const char *h = json_string_value(it);

			if (h && strncmp(h, "tcp://", 6) == 0)
				add_tcp(e, BRIG_RT_SRC_PROC, "%.256s (%s \"hosts\", no \"tlsverify\")", h,
					path);
		}
	}
	{
		json_t *ul = json_object_get(root, "default-ulimits");

		if (json_is_object(ul) && json_object_size(ul) > 0)
			e->dockerd_default_ulimit = true;
	}
	json_decref(root);
}

void brig_rt_engine_scan_procs(struct brig_rt_engine *e, const char *proc_root,
			       const char *fs_root)
{
	DIR *d = opendir(proc_root ? proc_root : "/proc");
	struct dirent *de;
	size_t seen = 0;

	scan_daemon_json(e, fs_root ? fs_root : "");
	if (!d)
		return;
	while ((de = readdir(d)) && seen < MAX_PROCS_SCANNED) {
		_cleanup_free_ char *path = NULL, *data = NULL;
		struct argv_view v;
		size_t len;
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		seen++;
		path = brig_xasprintf("%s/%ld/cmdline", proc_root ? proc_root : "/proc", pid);
		if (rt_read_file(path, MAX_CMDLINE, &data, &len) < 0 || len == 0)
			continue;
		split_cmdline(data, len, &v);
		if (strcmp(base(v.args[0]), "dockerd") == 0)
			scan_dockerd(e, &v, (int)pid);
		else if (strcmp(base(v.args[0]), "podman") == 0)
			scan_podman(e, &v, (int)pid);
	}
	closedir(d);
}

void brig_rt_engine_probe_tcp(struct brig_rt_engine *e, unsigned port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct timeval tv = {.tv_sec = 1};
	static const char req[] = "GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n";
	_cleanup_close_ int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char buf[512];
	size_t n = 0;

	if (fd < 0 || port == 0 || port > 65535)
		return;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof(req) - 1))
		return;
	while (n < sizeof(buf) - 1) {
		ssize_t r = recv(fd, buf + n, sizeof(buf) - 1 - n, 0);

		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	/* an engine answers 200 with body "OK" (and says who it is) */
	if (strncmp(buf, "HTTP/1.", 7) == 0 && strstr(buf, " 200 ") &&
	    (strstr(buf, "\r\n\r\nOK") || strstr(buf, "Api-Version")))
		add_tcp(e, BRIG_RT_SRC_API, "tcp://127.0.0.1:%u answered GET /_ping in plain HTTP",
			port);
}

void brig_rt_engine_ulimits(struct brig_rt_engine *e, const char *fs_root,
			    const struct brig_rt_container *const *cs, size_t n)
{
	(void)fs_root; /* daemon.json was read by the process scan */
	if (e->is_podman) {
		if (!n)
			return;
		e->default_ulimits = BRIG_RT_NO;
		for (size_t i = 0; i < n; i++)
			if (cs[i]->api.n_ulimits)
				e->default_ulimits = BRIG_RT_YES;
		return;
	}
	if (e->dockerd_default_ulimit)
		e->default_ulimits = BRIG_RT_YES;
	else if (e->dockerd_seen)
		e->default_ulimits = BRIG_RT_NO;
}

/* ---- checks ---- */

#define EMIT(rule, src, ...) rt_emit(out, (rule), e->target, "engine", (src), __VA_ARGS__)

static void mode_text(unsigned mode, char out[10])
{
	static const char rwx[] = "rwxrwxrwx";

	for (unsigned i = 0; i < 9; i++)
		out[i] = mode & (0400u >> i) ? rwx[i] : '-';
	out[9] = '\0';
}

void brig_rt_check_engine(const struct brig_rt_engine *e,
			  const struct brig_rt_container *const *cs, size_t n,
			  struct brig_finding_list *out)
{
	if (e->socket_stat_ok) {
		char mode[10];
		char gid[16];
		const char *group = e->socket_group;

		mode_text(e->socket_mode, mode);
		if (!group) {
			snprintf(gid, sizeof(gid), "%u", e->socket_gid);
			group = gid;
		}
		if (e->socket_mode & S_IWOTH)
			EMIT(RT_E_SOCKET_WORLD, BRIG_RT_SRC_PROC, "%s is s%s (group %s)", e->socket,
			     mode, group);
		else if ((e->socket_mode & S_IWGRP) && e->socket_gid != 0 &&
			 strcmp(group, "docker") != 0)
			EMIT(RT_E_SOCKET_GROUP, BRIG_RT_SRC_PROC, "%s is s%s and its group is %s",
			     e->socket, mode, group);
	}
	for (size_t i = 0; i < e->n_tcp; i++)
		EMIT(RT_E_TCP_PLAIN, e->tcp[i].src, "%s", e->tcp[i].desc);
	if (e->info_ok && e->userns_remap == BRIG_RT_NO)
		EMIT(RT_E_NO_USERNS, BRIG_RT_SRC_API,
		     "GET /info: SecurityOptions has no name=userns%s",
		     e->is_podman ? " and the service runs rootful" : "");
	if (e->info_ok && !e->is_podman && e->live_restore == BRIG_RT_NO)
		EMIT(RT_E_NO_LIVE_RESTORE, BRIG_RT_SRC_API, "GET /info: LiveRestoreEnabled is false");
	if (e->icc == BRIG_RT_YES)
		EMIT(RT_E_ICC, BRIG_RT_SRC_API,
		     "GET /networks/bridge: com.docker.network.bridge.enable_icc is \"true\"");
	if (e->driver && strcmp(e->driver, "aufs") == 0)
		EMIT(RT_E_AUFS, BRIG_RT_SRC_API, "GET /info: Driver is \"aufs\"");
	if (e->default_ulimits == BRIG_RT_NO)
		EMIT(RT_E_NO_ULIMITS, e->is_podman ? BRIG_RT_SRC_API : BRIG_RT_SRC_PROC, "%s",
		     e->is_podman ? "no running container carries HostConfig.Ulimits: "
				    "containers.conf sets no default_ulimits"
				  : "dockerd has no --default-ulimit and daemon.json no "
				    "default-ulimits");
	{
		struct brig_buf b;
		struct brig_error ignored = {0};
		size_t count = 0;

		brig_buf_init(&b, 2048);
		for (size_t i = 0; i < n; i++) {
			if (!cs[i]->api.privileged)
				continue;
			if (count < 32)
				brig_buf_appendf(&b, &ignored, "%s%s", count ? ", " : "", cs[i]->target);
			count++;
		}
		if (count)
			EMIT(RT_E_PRIVILEGED_COUNT, BRIG_RT_SRC_API, "%zu privileged container%s: %s%s",
			     count, count == 1 ? "" : "s", b.data ? b.data : "",
			     count > 32 ? ", ..." : "");
		brig_buf_free(&b);
	}
}

/* The container model from the engine's inspect JSON. Docker and podman
 * both serve it, podman with quirks: State.Health present without a health
 * check, CapDrop computed rather than what was typed, IpcMode "shareable"
 * whatever was asked. This file records what the API says, quirks and
 * all; the checks decide how far to trust it. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "runtime/runtime_int.h"

const char *brig_rt_src_name(enum brig_rt_src s)
{
	return s == BRIG_RT_SRC_PROC ? "proc" : "api";
}

const char *brig_rt_ns_name(enum brig_rt_ns ns)
{
	static const char *const names[] = {"net", "pid", "ipc", "uts", "user", "cgroup"};

	return (unsigned)ns < BRIG_RT_NS_COUNT ? names[ns] : "?";
}

/* ---- bounded JSON accessors: a wrong type reads as absent ---- */

char *rt_dup_bounded(const char *s)
{
	return s ? brig_xstrndup(s, strnlen(s, BRIG_RT_MAX_STRING)) : NULL;
}

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static char *jdup(const json_t *o, const char *key)
{
	return rt_dup_bounded(jstr(o, key));
}

static long long jint(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (json_is_integer(v))
		return (long long)json_integer_value(v);
	if (json_is_real(v)) {
		double d = json_real_value(v);

		/* out-of-range doubles must not reach an undefined conversion */
		if (d > -9.2e18 && d < 9.2e18)
			return (long long)d;
	}
	return 0;
}

static bool jbool(const json_t *o, const char *key)
{
	return json_is_true(json_object_get(o, key));
}

static void strv_push(char ***v, size_t *n, size_t *cap, const char *s)
{
	if (!s || *n >= BRIG_RT_MAX_ITEMS)
		return;
	BRIG_GROW(*v, *cap, *n + 1);
	(*v)[(*n)++] = rt_dup_bounded(s);
}

static void jstrv(const json_t *o, const char *key, char ***v, size_t *n)
{
	const json_t *a = json_object_get(o, key), *it;
	size_t i, cap = 0;

	*v = NULL;
	*n = 0;
	if (!json_is_array(a))
		return;
	json_array_foreach(a, i, it)
		strv_push(v, n, &cap, json_string_value(it));
}

void brig_rt_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- pieces ---- */

static bool valid_id(const char *s)
{
	size_t n = s ? strnlen(s, 65) : 0;

	if (n < 12 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static void parse_mounts(const json_t *root, struct brig_rt_container *c)
{
	const json_t *a = json_object_get(root, "Mounts"), *m;
	size_t i, cap = 0;

	if (!json_is_array(a))
		return;
	json_array_foreach(a, i, m) {
		struct brig_rt_mount *mt;

		if (!json_is_object(m) || c->n_mounts >= BRIG_RT_MAX_ITEMS)
			continue;
		BRIG_GROW(c->mounts, cap, c->n_mounts + 1);
		mt = &c->mounts[c->n_mounts++];
		memset(mt, 0, sizeof(*mt));
		mt->type = jdup(m, "Type");
		mt->source = jdup(m, "Source");
		mt->dest = jdup(m, "Destination");
		mt->rw = jbool(m, "RW");
		mt->propagation = jdup(m, "Propagation");
		if (mt->propagation && !*mt->propagation) {
			free(mt->propagation);
			mt->propagation = NULL;
		}
		mt->src = BRIG_RT_SRC_API;
	}
}

/* HostConfig.Binds, "SRC:DST[:OPTS]", only when Mounts is missing (very
 * old engines): every bind is read-write unless "ro" is among the options. */
static void parse_binds(const json_t *hc, struct brig_rt_container *c)
{
	const json_t *a = json_object_get(hc, "Binds"), *b;
	size_t i, cap = c->n_mounts;

	if (c->n_mounts || !json_is_array(a))
		return;
	json_array_foreach(a, i, b) {
		const char *s = json_string_value(b), *c1, *c2;
		struct brig_rt_mount *mt;

		if (!s || s[0] != '/' || !(c1 = strchr(s, ':')) || c->n_mounts >= BRIG_RT_MAX_ITEMS)
			continue;
		c2 = strchr(c1 + 1, ':');
		BRIG_GROW(c->mounts, cap, c->n_mounts + 1);
		mt = &c->mounts[c->n_mounts++];
		memset(mt, 0, sizeof(*mt));
		mt->type = brig_xstrdup("bind");
		mt->source = brig_xstrndup(s, (size_t)(c1 - s));
		mt->dest = c2 ? brig_xstrndup(c1 + 1, (size_t)(c2 - c1 - 1)) : rt_dup_bounded(c1 + 1);
		mt->rw = true;
		if (c2) {
			_cleanup_free_ char *opts = rt_dup_bounded(c2 + 1);
			char *save = NULL;

			for (char *t = strtok_r(opts, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				if (strcmp(t, "ro") == 0)
					mt->rw = false;
				else if (strstr(t, "shared") || strstr(t, "slave") || strstr(t, "private")) {
					/* the last one wins, as in the engine */
					free(mt->propagation);
					mt->propagation = brig_xstrdup(t);
				}
			}
		}
		mt->src = BRIG_RT_SRC_API;
	}
}

static void parse_devices(const json_t *hc, struct brig_rt_container *c)
{
	const json_t *a = json_object_get(hc, "Devices"), *d;
	size_t i, cap = 0;

	if (!json_is_array(a))
		return;
	json_array_foreach(a, i, d) {
		const char *host = jstr(d, "PathOnHost"), *in = jstr(d, "PathInContainer");
		const char *perms = jstr(d, "CgroupPermissions");

		if (!host || c->n_devices >= BRIG_RT_MAX_ITEMS)
			continue;
		BRIG_GROW(c->devices, cap, c->n_devices + 1);
		c->devices[c->n_devices++] =
			brig_xasprintf("%.1024s:%.1024s:%.16s", host, in ? in : host, perms ? perms : "rwm");
	}
}

/* "80/tcp" -> 80, "tcp"; false when it is not a port spec */
static bool parse_port_key(const char *key, unsigned *port, char proto[8])
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(key, &end, 10);
	if (errno || end == key || v > 65535)
		return false;
	*port = (unsigned)v;
	snprintf(proto, 8, "%s", *end == '/' ? end + 1 : "tcp");
	return true;
}

static unsigned parse_port_num(const char *s)
{
	char *end;
	unsigned long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoul(s, &end, 10);
	return errno || *end || v > 65535 ? 0 : (unsigned)v;
}

static void parse_ports_map(const json_t *map, struct brig_rt_container *c)
{
	const char *key;
	const json_t *binds;
	size_t cap = 0;

	if (!json_is_object(map))
		return;
	json_object_foreach((json_t *)map, key, binds) {
		unsigned cport;
		char proto[8];
		const json_t *b;
		size_t i;

		if (!parse_port_key(key, &cport, proto) || !json_is_array(binds))
			continue;
		json_array_foreach(binds, i, b) {
			struct brig_rt_port *p;

			if (!json_is_object(b) || c->n_ports >= BRIG_RT_MAX_ITEMS)
				continue;
			BRIG_GROW(c->ports, cap, c->n_ports + 1);
			p = &c->ports[c->n_ports++];
			memset(p, 0, sizeof(*p));
			p->container_port = cport;
			memcpy(p->proto, proto, sizeof(p->proto));
			p->host_ip = jdup(b, "HostIp");
			p->host_port = parse_port_num(jstr(b, "HostPort"));
		}
	}
}

static void parse_labels(const json_t *cfg, struct brig_rt_container *c)
{
	const json_t *map = json_object_get(cfg, "Labels"), *v;
	const char *key;
	size_t cap = 0;

	if (!json_is_object(map))
		return;
	json_object_foreach((json_t *)map, key, v) {
		if (!json_is_string(v) || c->n_labels >= BRIG_RT_MAX_ITEMS)
			continue;
		BRIG_GROW(c->labels, cap, c->n_labels + 1);
		c->labels[c->n_labels].key = rt_dup_bounded(key);
		c->labels[c->n_labels].value = rt_dup_bounded(json_string_value(v));
		c->n_labels++;
	}
}

static void parse_tmpfs(const json_t *hc, struct brig_rt_container *c)
{
	const json_t *map = json_object_get(hc, "Tmpfs"), *v;
	const char *key;
	size_t cap = 0;

	if (!json_is_object(map))
		return;
	json_object_foreach((json_t *)map, key, v) {
		(void)v;
		strv_push(&c->api.tmpfs, &c->api.n_tmpfs, &cap, key);
	}
}

/* Config.Healthcheck.Test: absent, [] or ["NONE"] is no health check. */
static bool has_healthcheck(const json_t *cfg)
{
	const json_t *t = json_object_get(json_object_get(cfg, "Healthcheck"), "Test");
	const char *first = json_string_value(json_array_get(t, 0));

	return json_is_array(t) && json_array_size(t) > 0 && first && strcmp(first, "NONE") != 0;
}

static const char *const ns_keys[BRIG_RT_NS_COUNT] = {
	"NetworkMode", "PidMode", "IpcMode", "UTSMode", "UsernsMode", "CgroupnsMode",
};

static void parse_host_config(const json_t *hc, struct brig_rt_container *c)
{
	struct brig_rt_api *a = &c->api;
	const json_t *rp = json_object_get(hc, "RestartPolicy");

	a->privileged = jbool(hc, "Privileged");
	jstrv(hc, "CapAdd", &a->cap_add, &a->n_cap_add);
	jstrv(hc, "CapDrop", &a->cap_drop, &a->n_cap_drop);
	jstrv(hc, "SecurityOpt", &a->security_opt, &a->n_security_opt);
	a->readonly_rootfs = jbool(hc, "ReadonlyRootfs");
	a->memory = jint(hc, "Memory");
	a->nano_cpus = jint(hc, "NanoCpus");
	a->cpu_quota = jint(hc, "CpuQuota");
	a->cpu_shares = jint(hc, "CpuShares");
	a->pids_limit = jint(hc, "PidsLimit"); /* null (Docker's unset) reads as 0 */
	for (unsigned i = 0; i < BRIG_RT_NS_COUNT; i++)
		a->ns_mode[i] = jdup(hc, ns_keys[i]);
	c->restart_policy = jdup(rp, "Name");
	c->restart_max_retry = jint(rp, "MaximumRetryCount");
	if (json_is_array(json_object_get(hc, "Ulimits")))
		a->n_ulimits = json_array_size(json_object_get(hc, "Ulimits"));
	parse_tmpfs(hc, c);
	parse_devices(hc, c);
}

int brig_rt_container_parse(const char *json, size_t len, struct brig_rt_container *c,
			    struct brig_error *err)
{
	json_error_t jerr;
	json_t *root;
	const json_t *cfg, *hc, *st, *ports;
	const char *id, *name;

	memset(c, 0, sizeof(*c));
	c->proc.no_new_privs = c->proc.seccomp = -1;
	c->proc.uid = -1;
	c->proc.memory_limit = c->proc.cpu_quota_us = c->proc.cpu_weight = c->proc.pids_max = -1;
	root = json_loadb(json ? json : "", len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return brig_error_set(err, EPROTO, "container inspect: invalid JSON at line %d: %.200s",
				      jerr.line, jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return brig_error_set(err, EPROTO, "container inspect: not a JSON object");
	}
	id = jstr(root, "Id");
	if (!valid_id(id)) {
		json_decref(root);
		return brig_error_set(err, EPROTO, "container inspect: missing or invalid Id");
	}
	c->id = brig_xstrdup(id);
	name = jstr(root, "Name");
	while (name && *name == '/')
		name++;
	c->name = rt_dup_bounded(name && *name ? name : id);
	c->target = brig_xasprintf("%.256s (%.12s)", c->name, c->id);
	cfg = json_object_get(root, "Config");
	hc = json_object_get(root, "HostConfig");
	st = json_object_get(root, "State");
	c->image = jdup(cfg, "Image");
	c->image_id = jdup(root, "Image");
	c->running = jbool(st, "Running");
	{
		long long pid = jint(st, "Pid");

		c->pid = pid > 0 && pid < (1ll << 30) ? (int)pid : 0;
	}
	c->health = jdup(json_object_get(st, "Health"), "Status");
	c->has_healthcheck = has_healthcheck(cfg);
	c->api.apparmor_profile = jdup(root, "AppArmorProfile");
	c->api.user = jdup(cfg, "User");
	jstrv(cfg, "Env", &c->env, &c->n_env);
	parse_labels(cfg, c);
	parse_host_config(hc, c);
	parse_mounts(root, c);
	parse_binds(hc, c);
	/* NetworkSettings.Ports is what was published; PortBindings what was
	 * asked, the only answer for a container that is not running */
	ports = json_object_get(json_object_get(root, "NetworkSettings"), "Ports");
	parse_ports_map(ports, c);
	if (!c->n_ports)
		parse_ports_map(json_object_get(hc, "PortBindings"), c);
	json_decref(root);
	return 0;
}

void brig_rt_container_free(struct brig_rt_container *c)
{
	if (!c)
		return;
	free(c->id);
	free(c->name);
	free(c->target);
	free(c->image);
	free(c->image_id);
	free(c->health);
	free(c->restart_policy);
	brig_rt_strv_free(c->api.cap_add, c->api.n_cap_add);
	brig_rt_strv_free(c->api.cap_drop, c->api.n_cap_drop);
	brig_rt_strv_free(c->api.security_opt, c->api.n_security_opt);
	brig_rt_strv_free(c->api.tmpfs, c->api.n_tmpfs);
	free(c->api.apparmor_profile);
	free(c->api.user);
	for (unsigned i = 0; i < BRIG_RT_NS_COUNT; i++)
		free(c->api.ns_mode[i]);
	free(c->proc.apparmor);
	for (size_t i = 0; i < c->n_mounts; i++) {
		free(c->mounts[i].type);
		free(c->mounts[i].source);
		free(c->mounts[i].dest);
		free(c->mounts[i].propagation);
	}
	free(c->mounts);
	brig_rt_strv_free(c->devices, c->n_devices);
	for (size_t i = 0; i < c->n_ports; i++)
		free(c->ports[i].host_ip);
	free(c->ports);
	brig_rt_strv_free(c->env, c->n_env);
	for (size_t i = 0; i < c->n_labels; i++) {
		free(c->labels[i].key);
		free(c->labels[i].value);
	}
	free(c->labels);
	memset(c, 0, sizeof(*c));
}

const char *brig_rt_container_label(const struct brig_rt_container *c, const char *key)
{
	for (size_t i = 0; i < c->n_labels; i++)
		if (strcmp(c->labels[i].key, key) == 0)
			return c->labels[i].value;
	return NULL;
}

int brig_rt_list_parse(const char *json, size_t len, char ***ids, size_t *n,
		       struct brig_error *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(json ? json : "", len, 0, &jerr), *it;
	size_t i, cap = 0;

	*ids = NULL;
	*n = 0;
	if (!root)
		return brig_error_set(err, EPROTO, "container list: invalid JSON at line %d: %.200s",
				      jerr.line, jerr.text);
	if (!json_is_array(root)) {
		json_decref(root);
		return brig_error_set(err, EPROTO, "container list: not a JSON array");
	}
	json_array_foreach(root, i, it) {
		const char *id = jstr(it, "Id");

		if (!valid_id(id))
			continue;
		if (*n >= BRIG_RT_MAX_CONTAINERS) {
			json_decref(root);
			brig_rt_strv_free(*ids, *n);
			*ids = NULL;
			*n = 0;
			return brig_error_set(err, E2BIG, "container list: more than %u containers",
					      BRIG_RT_MAX_CONTAINERS);
		}
		strv_push(ids, n, &cap, id);
	}
	json_decref(root);
	return 0;
}

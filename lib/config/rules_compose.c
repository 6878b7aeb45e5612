/* Compose rules (BRIG-DC-*). They read the typed services of
 * config/compose.h, and the generic tree for the lines of keys the typed
 * view does not keep (ports:, deploy.resources.limits, bind.propagation).
 * A missing setting is reported on the deepest key that exists on the way
 * to it (deploy, resources, limits), else on the service's own line. */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/parse_common.h"
#include "config/rules.h"
#include "core/xalloc.h"

struct dcx {
	struct brig_lint_ctx *c;
	const struct brig_compose *comp;
};

/* services may be NULL when there are none: no pointer arithmetic on it */
#define FOR_SERVICES(x, s)                                                                          \
	for (const struct brig_compose_service *s = (x)->comp->services,                           \
						*s##_end = s ? s + (x)->comp->n_services : s;      \
	     s != s##_end; s++)

static bool eq(const char *a, const char *b)
{
	return a && strcasecmp(a, b) == 0;
}

static unsigned key_line(const struct brig_compose_service *s, const char *key)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(s->node, key);

	return p ? p->line : s->line;
}

/* ---- namespaces and privilege ---- */

static void dc_privileged(struct dcx *x)
{
	FOR_SERVICES(x, s)
		if (s->privileged.set && s->privileged.value)
			brig_lint_report(x->c, BRIG_R_dc_privileged, s->privileged.line,
					 s->privileged.line, "service %s runs privileged", s->name);
}

static void host_ns(struct dcx *x, enum brig_rule_idx r, size_t off, const char *key)
{
	FOR_SERVICES(x, s) {
		const struct brig_compose_value *v =
			(const struct brig_compose_value *)((const char *)s + off);

		if (eq(v->value, "host"))
			brig_lint_report(x->c, r, v->line, v->line, "service %s: %s: host", s->name,
					 key);
	}
}

#define HOST_NS(fn, field, key)                                                                     \
	static void fn(struct dcx *x)                                                               \
	{                                                                                           \
		host_ns(x, BRIG_R_##fn, offsetof(struct brig_compose_service, field), key);         \
	}

HOST_NS(dc_host_network, network_mode, "network_mode")
HOST_NS(dc_host_pid, pid, "pid")
HOST_NS(dc_host_ipc, ipc, "ipc")
HOST_NS(dc_host_uts, uts, "uts")
HOST_NS(dc_host_userns, userns_mode, "userns_mode")

static void dc_user_root(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		const char *u = s->user.value;
		size_t n = u ? strcspn(u, ":") : 0;

		if (u && ((n == 4 && strncmp(u, "root", 4) == 0) || (n == 1 && u[0] == '0')))
			brig_lint_report(x->c, BRIG_R_dc_user_root, s->user.line, s->user.line,
					 "service %s: user: %s", s->name, u);
	}
}

/* ---- mounts ---- */

static bool engine_socket(const char *src)
{
	static const char *const socks[] = {"docker.sock", "podman.sock", "containerd.sock",
					    "crio.sock", "dockershim.sock", NULL};
	const char *b = src ? strrchr(src, '/') : NULL;

	b = b ? b + 1 : src;
	for (size_t i = 0; b && socks[i]; i++)
		if (strcmp(b, socks[i]) == 0)
			return true;
	return false;
}

/* A host path of the mount: bind sources, and short-syntax absolute ones. */
static const char *host_path(const struct brig_compose_volume *v)
{
	if (!v->source || (v->type && strcmp(v->type, "bind") != 0))
		return NULL;
	return v->source;
}

/* /, or a system directory of the host (or a path below it). */
static bool sensitive_path(const char *p)
{
	static const char *const dirs[] = {"/etc", "/proc", "/sys", "/boot", "/dev", "/var", "/usr",
					   "/root", "/lib", "/lib64", "/bin", "/sbin", "/run", NULL};
	char buf[4096];
	size_t n;

	if (!p || p[0] != '/')
		return false;
	snprintf(buf, sizeof(buf), "%s", p);
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	if (strcmp(buf, "/") == 0)
		return true;
	for (size_t i = 0; dirs[i]; i++) {
		size_t m = strlen(dirs[i]);

		if (strncmp(buf, dirs[i], m) == 0 && (buf[m] == '\0' || buf[m] == '/'))
			return true;
	}
	return false;
}

/* The line naming the host side: `source:` in the long syntax, else the item. */
static unsigned source_line(const struct brig_compose_service *s, size_t i)
{
	const struct brig_compose_node *vols = brig_compose_node_get(s->node, "volumes");
	const struct brig_compose_pair *p;

	if (!vols || vols->kind != BRIG_COMPOSE_SEQ || i >= vols->n)
		return s->volumes[i].line;
	p = brig_compose_node_pair(vols->items[i], "source");
	return p ? p->line : s->volumes[i].line;
}

static void dc_engine_socket(struct dcx *x)
{
	FOR_SERVICES(x, s)
		for (size_t i = 0; i < s->n_volumes; i++)
			if (engine_socket(host_path(&s->volumes[i])))
				brig_lint_report(x->c, BRIG_R_dc_engine_socket, source_line(s, i),
						 source_line(s, i),
						 "service %s mounts the engine socket %s", s->name,
						 s->volumes[i].source);
}

/* Top-level volumes whose driver options bind a host directory. */
static void top_volume_paths(struct dcx *x)
{
	static const char *const keys[] = {"device", "mountpoint", NULL};

	for (size_t i = 0; i < x->comp->n_volumes; i++) {
		const struct brig_compose_node *opts =
			brig_compose_node_get(x->comp->volumes[i].node, "driver_opts");

		for (size_t k = 0; keys[k]; k++) {
			const struct brig_compose_pair *p = brig_compose_node_pair(opts, keys[k]);

			if (p && p->value->kind == BRIG_COMPOSE_SCALAR &&
			    sensitive_path(p->value->scalar) && !engine_socket(p->value->scalar))
				brig_lint_report(x->c, BRIG_R_dc_sensitive_mount, p->line, p->line,
						 "volume %s binds the host directory %s",
						 x->comp->volumes[i].name, p->value->scalar);
		}
	}
}

static void dc_sensitive_mount(struct dcx *x)
{
	FOR_SERVICES(x, s)
		for (size_t i = 0; i < s->n_volumes; i++) {
			const char *p = host_path(&s->volumes[i]);

			if (sensitive_path(p) && !engine_socket(p))
				brig_lint_report(x->c, BRIG_R_dc_sensitive_mount, source_line(s, i),
						 source_line(s, i),
						 "service %s mounts the host's %s%s", s->name, p,
						 s->volumes[i].read_only ? " (read-only)" : "");
		}
	top_volume_paths(x);
}

static bool shared_propagation(const char *p)
{
	static const char *const bad[] = {"shared", "rshared", "slave", "rslave", NULL};

	for (size_t i = 0; p && bad[i]; i++)
		if (strcmp(p, bad[i]) == 0)
			return true;
	return false;
}

/* The line of volumes[i].bind.propagation, else of the item. */
static unsigned propagation_line(const struct brig_compose_service *s, size_t i)
{
	const struct brig_compose_node *vols = brig_compose_node_get(s->node, "volumes");
	const struct brig_compose_node *bind;
	const struct brig_compose_pair *p;

	if (!vols || vols->kind != BRIG_COMPOSE_SEQ || i >= vols->n)
		return s->volumes[i].line;
	bind = brig_compose_node_get(vols->items[i], "bind");
	p = brig_compose_node_pair(bind, "propagation");
	return p ? p->line : s->volumes[i].line;
}

static void dc_mount_propagation(struct dcx *x)
{
	FOR_SERVICES(x, s)
		for (size_t i = 0; i < s->n_volumes; i++) {
			const struct brig_compose_volume *v = &s->volumes[i];
			const char *prop = v->propagation;

			if (!prop && v->mode)
				for (const char *m = v->mode; *m; m += strcspn(m, ",") + (m[strcspn(m, ",")] != 0)) {
					size_t n = strcspn(m, ",");

					if ((n == 6 && !strncmp(m, "shared", 6)) || (n == 7 && !strncmp(m, "rshared", 7)) ||
					    (n == 5 && !strncmp(m, "slave", 5)) || (n == 6 && !strncmp(m, "rslave", 6)))
						prop = "shared";
				}
			if (shared_propagation(prop)) {
				unsigned l = propagation_line(s, i);

				brig_lint_report(x->c, BRIG_R_dc_mount_propagation, l, l,
						 "service %s mounts %s with %s propagation", s->name,
						 v->target ? v->target : "a volume", prop);
			}
		}
}

/* Named volumes and host paths mounted writable by more than one service. */
static bool same_source(const struct brig_compose_volume *a, const struct brig_compose_volume *b)
{
	return a->source && b->source && strcmp(a->source, b->source) == 0 &&
	       !(a->type && strcmp(a->type, "tmpfs") == 0) && !engine_socket(a->source);
}

static void dc_shared_volume(struct dcx *x)
{
	FOR_SERVICES(x, s)
		for (size_t i = 0; i < s->n_volumes; i++) {
			const struct brig_compose_volume *v = &s->volumes[i];
			const char *other = NULL;
			bool writable = !v->read_only;

			FOR_SERVICES(x, t) {
				if (t == s)
					continue;
				for (size_t k = 0; k < t->n_volumes; k++)
					if (same_source(v, &t->volumes[k])) {
						other = t->name;
						writable = writable || !t->volumes[k].read_only;
					}
			}
			if (other && writable)
				brig_lint_report(x->c, BRIG_R_dc_shared_volume, v->line, v->line,
						 "%s is also mounted by service %s", v->source, other);
		}
}

/* ---- capabilities and security options ---- */

static const char *cap_name(const char *c)
{
	return strncasecmp(c, "CAP_", 4) == 0 ? c + 4 : c;
}

static void dc_cap_drop(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		bool all = false;

		for (size_t i = 0; i < s->cap_drop.n; i++)
			all = all || eq(cap_name(s->cap_drop.items[i].value), "ALL");
		if (!s->cap_drop.present)
			brig_lint_report(x->c, BRIG_R_dc_cap_drop, s->line, s->line,
					 "service %s keeps the default capabilities (no cap_drop)",
					 s->name);
		else if (!all)
			brig_lint_report(x->c, BRIG_R_dc_cap_drop, s->cap_drop.line, s->cap_drop.line,
					 "service %s drops some capabilities, not ALL", s->name);
	}
}

static bool dangerous_cap(const char *c)
{
	static const char *const caps[] = {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE",
					   "SYS_MODULE", "SYS_RAWIO", "DAC_READ_SEARCH", "SYS_BOOT",
					   "MAC_ADMIN", "MAC_OVERRIDE", "BPF", "PERFMON",
					   "SYS_TIME", "SYSLOG", NULL};

	for (size_t i = 0; c && caps[i]; i++)
		if (strcasecmp(cap_name(c), caps[i]) == 0)
			return true;
	return false;
}

static void dc_cap_add(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		char list[256] = "";
		size_t used = 0;
		unsigned last = 0;

		for (size_t i = 0; i < s->cap_add.n; i++) {
			const char *c = s->cap_add.items[i].value;

			if (!dangerous_cap(c) || used >= sizeof(list))
				continue;
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
						 used ? ", " : "", c);
			last = s->cap_add.items[i].line;
		}
		if (last)
			brig_lint_report(x->c, BRIG_R_dc_cap_add, s->cap_add.line, last,
					 "service %s adds %s", s->name, list);
	}
}

static bool opt_is(const char *o, const char *name, const char *value)
{
	size_t n = strlen(name);

	if (!o || strncasecmp(o, name, n) != 0)
		return false;
	if (!value)
		return o[n] == '\0';
	return (o[n] == ':' || o[n] == '=') && strcasecmp(o + n + 1, value) == 0;
}

static void dc_no_new_privileges(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		bool set = false;

		for (size_t i = 0; i < s->security_opt.n; i++) {
			const char *o = s->security_opt.items[i].value;

			set = set || opt_is(o, "no-new-privileges", NULL) ||
			      opt_is(o, "no-new-privileges", "true");
		}
		if (set)
			continue;
		if (s->security_opt.present)
			brig_lint_report(x->c, BRIG_R_dc_no_new_privileges, s->security_opt.line,
					 s->security_opt.line,
					 "service %s: security_opt lacks no-new-privileges:true", s->name);
		else
			brig_lint_report(x->c, BRIG_R_dc_no_new_privileges, s->line, s->line,
					 "service %s does not set no-new-privileges", s->name);
	}
}

static void dc_unconfined(struct dcx *x)
{
	FOR_SERVICES(x, s)
		for (size_t i = 0; i < s->security_opt.n; i++) {
			const char *o = s->security_opt.items[i].value;

			if (o && (brig_cfg_find_ci(o, "seccomp:unconfined") || brig_cfg_find_ci(o, "seccomp=unconfined") ||
				  brig_cfg_find_ci(o, "apparmor:unconfined") || brig_cfg_find_ci(o, "apparmor=unconfined") ||
				  brig_cfg_find_ci(o, "label:disable") || brig_cfg_find_ci(o, "label=disable") ||
				  brig_cfg_find_ci(o, "systempaths=unconfined")))
				brig_lint_report(x->c, BRIG_R_dc_unconfined, s->security_opt.items[i].line,
						 s->security_opt.items[i].line, "service %s: %s", s->name,
						 o);
		}
}

static bool tmp_mounted(const struct brig_compose_service *s)
{
	for (size_t i = 0; i < s->tmpfs.n; i++)
		if (s->tmpfs.items[i].value && strncmp(s->tmpfs.items[i].value, "/tmp", 4) == 0)
			return true;
	for (size_t i = 0; i < s->n_volumes; i++)
		if (s->volumes[i].target && strcmp(s->volumes[i].target, "/tmp") == 0)
			return true;
	return false;
}

static void dc_read_only(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		if (s->read_only.set && s->read_only.value)
			continue;
		if (s->read_only.set)
			brig_lint_report(x->c, BRIG_R_dc_read_only, s->read_only.line, s->read_only.line,
					 "service %s: read_only: false", s->name);
		else
			brig_lint_report(x->c, BRIG_R_dc_read_only, s->line, s->line,
					 "service %s has a writable root filesystem (read_only not set)",
					 s->name);
	}
}

static void dc_tmpfs(struct dcx *x)
{
	FOR_SERVICES(x, s)
		if (s->read_only.set && s->read_only.value && !tmp_mounted(s))
			brig_lint_report(x->c, BRIG_R_dc_tmpfs, s->read_only.line, s->read_only.line,
					 "service %s is read-only with nothing writable at /tmp", s->name);
}

/* ---- resources ---- */

/* The deepest existing key on the way to deploy.resources.limits. */
static unsigned limits_anchor(const struct brig_compose_service *s)
{
	static const char *const path[] = {"deploy", "resources", "limits"};
	const struct brig_compose_node *n = s->node;
	unsigned line = s->line;

	for (size_t i = 0; i < 3; i++) {
		const struct brig_compose_pair *p = brig_compose_node_pair(n, path[i]);

		if (!p)
			break;
		line = p->line;
		n = p->value;
	}
	return line;
}

static bool unlimited(const char *v)
{
	return v && (strcmp(v, "-1") == 0 || strcmp(v, "0") == 0);
}

static void limit_rule(struct dcx *x, enum brig_rule_idx r, const char *what, size_t off_a,
		       size_t off_b)
{
	FOR_SERVICES(x, s) {
		const struct brig_compose_value *a =
			(const struct brig_compose_value *)((const char *)s + off_a);
		const struct brig_compose_value *b =
			(const struct brig_compose_value *)((const char *)s + off_b);
		const struct brig_compose_value *set = a->value ? a : b->value ? b : NULL;
		unsigned l;

		if (set && !unlimited(set->value))
			continue;
		if (set) {
			brig_lint_report(x->c, r, set->line, set->line, "service %s: %s %s is unlimited",
					 s->name, what, set->value);
			continue;
		}
		l = limits_anchor(s);
		brig_lint_report(x->c, r, l, l, "service %s sets no %s limit", s->name, what);
	}
}

#define OFF(f) offsetof(struct brig_compose_service, f)

static void dc_memory(struct dcx *x)
{
	limit_rule(x, BRIG_R_dc_memory, "memory", OFF(limits.memory), OFF(mem_limit));
}

static void dc_cpus(struct dcx *x)
{
	limit_rule(x, BRIG_R_dc_cpus, "CPU", OFF(limits.cpus), OFF(cpus));
}

static void dc_pids(struct dcx *x)
{
	limit_rule(x, BRIG_R_dc_pids, "pids", OFF(limits.pids), OFF(pids_limit));
}

static void dc_healthcheck(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		const struct brig_compose_healthcheck *h = &s->healthcheck;

		if (!h->present)
			brig_lint_report(x->c, BRIG_R_dc_healthcheck, s->line, s->line,
					 "service %s has no healthcheck", s->name);
		else if (h->disable.set && h->disable.value)
			brig_lint_report(x->c, BRIG_R_dc_healthcheck, h->disable.line, h->disable.line,
					 "service %s disables its healthcheck", s->name);
		else if (h->test.present && ((h->test.is_list && h->test.argc && eq(h->test.argv[0], "NONE")) ||
					     (!h->test.is_list && eq(h->test.shell, "NONE"))))
			brig_lint_report(x->c, BRIG_R_dc_healthcheck, h->test.line, h->test.line,
					 "service %s: healthcheck test NONE disables it", s->name);
	}
}

/* restart: on-failure[:N] and deploy.restart_policy.max_attempts */
static void restart_attempts(struct dcx *x, const struct brig_compose_service *s)
{
	const struct brig_compose_node *rp =
		brig_compose_node_path(s->node, "deploy.restart_policy");
	const struct brig_compose_pair *max = brig_compose_node_pair(rp, "max_attempts");

	if (max && max->value->kind == BRIG_COMPOSE_SCALAR && strcmp(max->value->scalar, "5") != 0)
		brig_lint_report(x->c, BRIG_R_dc_restart, max->line, max->line,
				 "service %s: restart_policy.max_attempts %s (CIS: 5)", s->name,
				 max->value->scalar);
}

static void dc_restart(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		const char *r = s->restart.value;
		bool policy = brig_compose_node_path(s->node, "deploy.restart_policy") != NULL;

		restart_attempts(x, s);
		if (!r && !policy)
			brig_lint_report(x->c, BRIG_R_dc_restart, s->line, s->line,
					 "service %s has no restart policy", s->name);
		else if (r && (strcmp(r, "no") == 0 || strcmp(r, "on-failure") == 0 ||
			       (strncmp(r, "on-failure:", 11) == 0 && strcmp(r + 11, "5") != 0)))
			brig_lint_report(x->c, BRIG_R_dc_restart, s->restart.line, s->restart.line,
					 "service %s: restart: %s", s->name, r);
	}
}

/* ---- ports ---- */

/* The low end of "80", "8000-8010", "127.0.0.1:80" (an address kept in
 * published by old files); false when not a number. */
static bool port_low(const char *p, unsigned long *lo)
{
	const char *colon = p ? strrchr(p, ':') : NULL;
	char *end;

	if (colon)
		p = colon + 1;
	if (!p || !isdigit((unsigned char)*p))
		return false;
	*lo = strtoul(p, &end, 10);
	return true;
}

static bool bound_address(const struct brig_compose_port *p)
{
	const char *ip = p->host_ip;

	if (ip && *ip && strcmp(ip, "0.0.0.0") != 0 && strcmp(ip, "::") != 0 &&
	    strcmp(ip, "[::]") != 0)
		return true;
	/* `published: 127.0.0.1:8080` in the long syntax names the address there */
	return !ip && p->published && (strchr(p->published, '.') || strchr(p->published, ':'));
}

static void dc_ports_all_interfaces(struct dcx *x)
{
	FOR_SERVICES(x, s)
		for (size_t i = 0; i < s->n_ports; i++) {
			const struct brig_compose_port *p = &s->ports[i];

			if (bound_address(p))
				continue;
			brig_lint_report(x->c, BRIG_R_dc_ports_all_interfaces, key_line(s, "ports"),
					 p->line, "service %s publishes %s on every host interface",
					 s->name, p->raw ? p->raw : p->target ? p->target : "a port");
			break;
		}
}

static void dc_privileged_ports(struct dcx *x)
{
	FOR_SERVICES(x, s)
		for (size_t i = 0; i < s->n_ports; i++) {
			const struct brig_compose_port *p = &s->ports[i];
			unsigned long host = 65536, ctr = 65536;

			if (!(port_low(p->published, &host) && host > 0 && host < 1024) &&
			    !(port_low(p->target, &ctr) && ctr > 0 && ctr < 1024))
				continue;
			brig_lint_report(x->c, BRIG_R_dc_privileged_ports, key_line(s, "ports"), p->line,
					 "service %s maps privileged port %lu", s->name,
					 host < 1024 ? host : ctr);
			break;
		}
}

static void dc_cgroup(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		if (s->cgroup_parent.value && *s->cgroup_parent.value)
			brig_lint_report(x->c, BRIG_R_dc_cgroup, s->cgroup_parent.line,
					 s->cgroup_parent.line, "service %s: cgroup_parent: %s", s->name,
					 s->cgroup_parent.value);
		if (eq(s->cgroup.value, "host"))
			brig_lint_report(x->c, BRIG_R_dc_cgroup, s->cgroup.line, s->cgroup.line,
					 "service %s: cgroup: host", s->name);
	}
}

/* ---- secrets and images ---- */

static void kv_secrets(struct dcx *x, const struct brig_compose_service *s,
		       const struct brig_compose_kvs *kvs, const char *where)
{
	for (size_t i = 0; i < kvs->n; i++) {
		char why[256];

		if (brig_lint_secret_kv(kvs->items[i].key, kvs->items[i].value, why, sizeof(why)))
			brig_lint_report(x->c, BRIG_R_dc_secret_env, kvs->items[i].line,
					 kvs->items[i].line, "service %s %s: %s", s->name, where, why);
	}
}

static void dc_secret_env(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		kv_secrets(x, s, &s->environment, "environment");
		kv_secrets(x, s, &s->build.args, "build.args");
	}
}

static void dc_image_unpinned(struct dcx *x)
{
	FOR_SERVICES(x, s) {
		const char *img = s->image.value, *last, *colon;

		if (s->build.present || !img || !*img || strchr(img, '@'))
			continue;
		last = strrchr(img, '/');
		colon = strchr(last ? last : img, ':');
		if (!colon)
			brig_lint_report(x->c, BRIG_R_dc_image_unpinned, s->image.line, s->image.line,
					 "service %s: image %s has no tag", s->name, img);
		else if (strcmp(colon + 1, "latest") == 0)
			brig_lint_report(x->c, BRIG_R_dc_image_unpinned, s->image.line, s->image.line,
					 "service %s: image %s uses the latest tag", s->name, img);
	}
}

/* ---- driver ---- */

static void (*const dc_checks[])(struct dcx *) = {
#define BRIG_RULE_DC(fn, ...) fn,
#include "config/rules_table.h"
};

void brig_lint_compose_rules(struct brig_lint_ctx *c, const struct brig_compose *comp)
{
	struct dcx x = {.c = c, .comp = comp};

	for (size_t i = 0; i < sizeof(dc_checks) / sizeof(dc_checks[0]); i++)
		dc_checks[i](&x);
}

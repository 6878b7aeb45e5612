/* Compose drift: what a compose file asks of each service against what the
 * project's running containers have. Containers are found by the labels
 * docker compose sets (com.docker.compose.project / .service; podman keeps
 * them). A difference is reported when the container is weaker than the
 * file (missing hardening) or a limit differs; a container stricter than
 * its file is not a finding. */
#include <ctype.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "runtime/runtime_int.h"

#define PROJECT_LABEL "com.docker.compose.project"
#define SERVICE_LABEL "com.docker.compose.service"

/* compose's own spelling of a project name: lowercase [a-z0-9_-] */
static char *normalize_project(const char *s)
{
	size_t n = strnlen(s, 256), k = 0;
	char *out = brig_xmalloc(n + 1);

	for (size_t i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)s[i]);

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
			out[k++] = c;
	}
	out[k] = '\0';
	return out;
}

char *brig_rt_compose_project(const struct brig_compose *cf, const char *file)
{
	const char *env = getenv("COMPOSE_PROJECT_NAME");
	char resolved[PATH_MAX];
	_cleanup_free_ char *copy = NULL;

	if (cf && cf->project.value && *cf->project.value)
		return normalize_project(cf->project.value);
	if (env && *env)
		return normalize_project(env);
	copy = brig_xstrdup(file && realpath(file, resolved) ? resolved : (file ? file : "."));
	return normalize_project(basename(dirname(copy)));
}

/* ---- values as compose writes them ---- */

/* "64m", "1.5g", "512mb", "1024" (bytes) -> bytes; -1 when unreadable */
static long long parse_bytes(const char *s)
{
	char *end;
	double v;
	long long mult = 1;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0 || !isfinite(v))
		return -1;
	switch (tolower((unsigned char)*end)) {
	case '\0':
	case 'b':
		break;
	case 'k':
		mult = 1ll << 10;
		break;
	case 'm':
		mult = 1ll << 20;
		break;
	case 'g':
		mult = 1ll << 30;
		break;
	case 't':
		mult = 1ll << 40;
		break;
	default:
		return -1;
	}
	if (v * (double)mult > 9.0e18)
		return -1;
	return (long long)(v * (double)mult);
}

static double parse_cpus(const char *s)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	return errno || end == s || *end || v < 0 || !isfinite(v) || v > 1e6 ? -1 : v;
}

static long long parse_count(const char *s)
{
	char *end;
	long long v;

	if (!s || !*s)
		return LLONG_MIN;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno || *end ? LLONG_MIN : v;
}

/* ---- effective values of the container ---- */

struct eff {
	long long v;
	enum brig_rt_src src;
};

static struct eff eff_memory(const struct brig_rt_container *c)
{
	if (c->proc.present && c->proc.memory_limit >= 0)
		return (struct eff){c->proc.memory_limit, BRIG_RT_SRC_PROC};
	return (struct eff){c->api.memory > 0 ? c->api.memory : 0, BRIG_RT_SRC_API};
}

static struct eff eff_pids(const struct brig_rt_container *c)
{
	if (c->proc.present && c->proc.pids_max >= 0)
		return (struct eff){c->proc.pids_max, BRIG_RT_SRC_PROC};
	return (struct eff){c->api.pids_limit > 0 ? c->api.pids_limit : 0, BRIG_RT_SRC_API};
}

/* in billionths of a CPU */
static struct eff eff_nano_cpus(const struct brig_rt_container *c)
{
	if (c->proc.present && c->proc.cpu_quota_us >= 0)
		return (struct eff){c->proc.cpu_quota_us * 10000, BRIG_RT_SRC_PROC};
	if (c->api.nano_cpus > 0)
		return (struct eff){c->api.nano_cpus, BRIG_RT_SRC_API};
	return (struct eff){c->api.cpu_quota > 0 ? c->api.cpu_quota * 10000 : 0, BRIG_RT_SRC_API};
}

static bool eff_nnp(const struct brig_rt_container *c, enum brig_rt_src *src)
{
	if (c->proc.present && c->proc.no_new_privs >= 0) {
		*src = BRIG_RT_SRC_PROC;
		return c->proc.no_new_privs == 1;
	}
	*src = BRIG_RT_SRC_API;
	return rt_secopt_flag(c->api.security_opt, c->api.n_security_opt, "no-new-privileges");
}

static bool eff_rootfs_ro(const struct brig_rt_container *c, enum brig_rt_src *src)
{
	if (c->proc.present && c->proc.rootfs_ro != BRIG_RT_UNKNOWN) {
		*src = BRIG_RT_SRC_PROC;
		return c->proc.rootfs_ro == BRIG_RT_YES;
	}
	*src = BRIG_RT_SRC_API;
	return c->api.readonly_rootfs;
}

/* seccomp off: -1 unknown, 1 yes, 0 no */
static int eff_seccomp_off(const struct brig_rt_container *c, enum brig_rt_src *src)
{
	const char *v = rt_secopt_value(c->api.security_opt, c->api.n_security_opt, "seccomp");

	if (c->proc.present && c->proc.seccomp >= 0) {
		*src = BRIG_RT_SRC_PROC;
		return c->proc.seccomp == 0;
	}
	*src = BRIG_RT_SRC_API;
	return c->api.privileged || (v && strcmp(v, "unconfined") == 0);
}

static uint64_t names_to_caps(const struct brig_compose_list *l, bool *all)
{
	uint64_t set = 0;

	*all = false;
	for (size_t i = 0; i < l->n; i++) {
		int c = brig_rt_cap_parse(l->items[i].value);

		if (c >= 0)
			set |= 1ull << c;
		else if (l->items[i].value && (strcasecmp(l->items[i].value, "ALL") == 0 ||
					       strcasecmp(l->items[i].value, "CAP_ALL") == 0))
			*all = true;
	}
	return set;
}

static uint64_t api_caps(const struct brig_rt_container *c)
{
	uint64_t set = brig_rt_cap_default_set();

	for (size_t i = 0; i < c->api.n_cap_drop; i++) {
		int k = brig_rt_cap_parse(c->api.cap_drop[i]);

		if (strcasecmp(c->api.cap_drop[i], "ALL") == 0)
			set = 0;
		else if (k >= 0)
			set &= ~(1ull << k);
	}
	for (size_t i = 0; i < c->api.n_cap_add; i++) {
		int k = brig_rt_cap_parse(c->api.cap_add[i]);

		if (strcasecmp(c->api.cap_add[i], "ALL") == 0)
			set = brig_rt_cap_full_set();
		else if (k >= 0)
			set |= 1ull << k;
	}
	return set;
}

static void caps_list(uint64_t set, char *out, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (unsigned b = 0; b < 64; b++) {
		int w;

		if (!(set & (1ull << b)))
			continue;
		w = snprintf(out + used, n - used, "%s%s", used ? ", " : "",
			     brig_rt_cap_name(b) ? brig_rt_cap_name(b) : "?");
		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
	}
}

/* ---- one service against one container ---- */

struct dctx {
	const struct brig_compose_service *s;
	const struct brig_rt_container *c;
	const char *file;
	struct brig_finding_list *out;
};

#define DRIFT(d, rule, src, fmt, ...)                                                              \
	rt_emit((d)->out, (rule), (d)->c->target, "container", (src), "%s:%u: service %s: " fmt,   \
		(d)->file, line, (d)->s->name, __VA_ARGS__)

static void drift_privileged(struct dctx *d)
{
	const struct brig_compose_service *s = d->s;
	bool asked = s->privileged.set && s->privileged.value;
	unsigned line = s->privileged.set ? s->privileged.line : s->line;

	if (d->c->api.privileged && !asked)
		DRIFT(d, RT_D_PRIVILEGED, BRIG_RT_SRC_API, "%s but the container is privileged",
		      s->privileged.set ? "privileged: false" : "privileged is not set");
}

static void drift_security_opt(struct dctx *d)
{
	const struct brig_compose_list *l = &d->s->security_opt;

	for (size_t i = 0; i < l->n; i++) {
		const char *o = l->items[i].value;
		unsigned line = l->items[i].line;
		enum brig_rt_src src;
		char *opts[1];

		if (!o)
			continue;
		opts[0] = (char *)o;
		if (strncmp(o, "no-new-privileges", 17) == 0) {
			if (rt_secopt_flag(opts, 1, "no-new-privileges") && !eff_nnp(d->c, &src))
				DRIFT(d, RT_D_SECURITY_OPT, src, "security_opt %s is not in effect (%s)",
				      o, src == BRIG_RT_SRC_PROC ? "NoNewPrivs: 0 in /proc" :
								   "not in HostConfig.SecurityOpt");
		} else if (strncmp(o, "seccomp", 7) == 0) {
			const char *v = rt_secopt_value(opts, 1, "seccomp");

			if (v && strcmp(v, "unconfined") != 0 && eff_seccomp_off(d->c, &src) == 1)
				DRIFT(d, RT_D_SECURITY_OPT, src,
				      "security_opt %s asks for a seccomp profile but the container runs "
				      "without one",
				      o);
		} else if (strncmp(o, "apparmor", 8) == 0) {
			const char *v = rt_secopt_value(opts, 1, "apparmor");

			if (v && strcmp(v, "unconfined") != 0 && d->c->proc.apparmor &&
			    strcmp(d->c->proc.apparmor, v) != 0)
				DRIFT(d, RT_D_SECURITY_OPT, BRIG_RT_SRC_PROC,
				      "security_opt %s but PID %d runs under \"%s\"", o, d->c->proc.pid,
				      d->c->proc.apparmor);
		}
	}
	/* seccomp turned off although the file neither disables it nor asks
	 * for a privileged container */
	{
		const char *v = NULL;
		enum brig_rt_src src;
		unsigned line = l->present ? l->line : d->s->line;

		for (size_t i = 0; i < l->n; i++) {
			char *opts[1] = {l->items[i].value};

			if (opts[0] && !v)
				v = rt_secopt_value(opts, 1, "seccomp");
		}
		if (!(v && strcmp(v, "unconfined") == 0) &&
		    !(d->s->privileged.set && d->s->privileged.value) &&
		    eff_seccomp_off(d->c, &src) == 1)
			DRIFT(d, RT_D_SECURITY_OPT, src, "%s",
			      "seccomp is not disabled in the file but the container runs without it");
	}
}

static void drift_caps(struct dctx *d)
{
	const struct brig_compose_service *s = d->s;
	bool drop_all, add_all;
	uint64_t drop = names_to_caps(&s->cap_drop, &drop_all);
	uint64_t add = names_to_caps(&s->cap_add, &add_all);
	uint64_t expected, held, extra;
	enum brig_rt_src src;
	unsigned line = s->cap_drop.present ? s->cap_drop.line
			: s->cap_add.present ? s->cap_add.line
					     : s->line;
	char names[1024];

	if (add_all || (s->privileged.set && s->privileged.value))
		return;
	expected = ((drop_all ? 0 : brig_rt_cap_default_set() & ~drop) | add);
	if (d->c->proc.present && d->c->proc.status_ok) {
		held = d->c->proc.cap_bnd;
		src = BRIG_RT_SRC_PROC;
	} else {
		held = api_caps(d->c);
		src = BRIG_RT_SRC_API;
	}
	extra = held & ~expected;
	if (!extra)
		return;
	caps_list(extra, names, sizeof(names));
	DRIFT(d, RT_D_CAPS, src, "the file allows %s but the container holds %s too",
	      drop_all ? "only cap_add" : "the default set adjusted by cap_add/cap_drop", names);
}

static void drift_read_only(struct dctx *d)
{
	const struct brig_compose_service *s = d->s;
	enum brig_rt_src src;
	unsigned line = s->read_only.line;

	if (s->read_only.set && s->read_only.value && !eff_rootfs_ro(d->c, &src))
		DRIFT(d, RT_D_READ_ONLY, src, "read_only: true but the root filesystem is %s",
		      src == BRIG_RT_SRC_PROC ? "mounted rw (mountinfo)" : "writable (ReadonlyRootfs false)");
}

static const char *unlimited_or(long long v, char *buf, size_t n)
{
	if (v <= 0)
		return "no limit";
	snprintf(buf, n, "%lld", v);
	return buf;
}

static void drift_limits(struct dctx *d)
{
	const struct brig_compose_service *s = d->s;
	const struct brig_compose_value *mem = s->mem_limit.value ? &s->mem_limit : &s->limits.memory;
	const struct brig_compose_value *cpus = s->cpus.value ? &s->cpus : &s->limits.cpus;
	const struct brig_compose_value *pids = s->pids_limit.value ? &s->pids_limit : &s->limits.pids;
	char buf[32];

	if (mem->value) {
		long long want = parse_bytes(mem->value);
		struct eff have = eff_memory(d->c);
		unsigned line = mem->line;

		/* the kernel rounds limits to pages */
		if (want > 0 && (have.v <= 0 || llabs(have.v - want) >= 4096))
			DRIFT(d, RT_D_LIMITS, have.src, "memory limit %s (%lld bytes) but the container "
			      "has %s", mem->value, want, unlimited_or(have.v, buf, sizeof(buf)));
	}
	if (cpus->value) {
		double want = parse_cpus(cpus->value);
		struct eff have = eff_nano_cpus(d->c);
		unsigned line = cpus->line;

		if (want > 0 && (have.v <= 0 || (have.v / 1e9 - want > want / 100 || want - have.v / 1e9 > want / 100)))
			DRIFT(d, RT_D_LIMITS, have.src, "cpus %s but the container has %s", cpus->value,
			      have.v > 0 ? (snprintf(buf, sizeof(buf), "%.3g CPUs", (double)have.v / 1e9), buf)
					 : "no CPU quota");
	}
	if (pids->value) {
		long long want = parse_count(pids->value);
		struct eff have = eff_pids(d->c);
		unsigned line = pids->line;

		/* -1 and 0 both mean unlimited in compose */
		if (want != LLONG_MIN && (want > 0 ? have.v != want : have.v > 0))
			DRIFT(d, RT_D_LIMITS, have.src, "pids limit %s but the container has %s",
			      pids->value, unlimited_or(have.v, buf, sizeof(buf)));
	}
}

static bool has_tmpfs(const struct brig_rt_container *c, const char *path)
{
	for (size_t i = 0; i < c->api.n_tmpfs; i++)
		if (strcmp(c->api.tmpfs[i], path) == 0)
			return true;
	for (size_t i = 0; i < c->n_mounts; i++)
		if (c->mounts[i].type && strcmp(c->mounts[i].type, "tmpfs") == 0 && c->mounts[i].dest &&
		    strcmp(c->mounts[i].dest, path) == 0)
			return true;
	return false;
}

static void drift_tmpfs(struct dctx *d)
{
	const struct brig_compose_list *l = &d->s->tmpfs;

	for (size_t i = 0; i < l->n; i++) {
		const char *t = l->items[i].value;
		unsigned line = l->items[i].line;
		char path[1024];

		if (!t)
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)strcspn(t, ":"), t);
		if (*path && !has_tmpfs(d->c, path))
			DRIFT(d, RT_D_TMPFS, BRIG_RT_SRC_API, "tmpfs %s is not mounted in the container",
			      path);
	}
}

static void drift_healthcheck(struct dctx *d)
{
	const struct brig_compose_healthcheck *h = &d->s->healthcheck;
	unsigned line = h->line;
	bool disabled = h->disable.set && h->disable.value;

	if (!h->present)
		return;
	if (!disabled && !d->c->has_healthcheck)
		DRIFT(d, RT_D_HEALTHCHECK, BRIG_RT_SRC_API, "%s",
		      "healthcheck is defined but the container has none (Config.Healthcheck)");
	else if (disabled && d->c->has_healthcheck)
		DRIFT(d, RT_D_HEALTHCHECK, BRIG_RT_SRC_API, "%s",
		      "healthcheck is disabled but the container has one");
}

static void drift_user(struct dctx *d)
{
	const struct brig_compose_value *u = &d->s->user;
	const struct brig_rt_container *c = d->c;
	unsigned line = u->line;
	char uid_s[32];
	char *end;
	long long want;

	if (!u->value)
		return;
	snprintf(uid_s, sizeof(uid_s), "%.*s", (int)strcspn(u->value, ":"), u->value);
	errno = 0;
	want = strtoll(uid_s, &end, 10);
	if (*uid_s && !*end && !errno && c->proc.present && c->proc.uid >= 0) {
		if (c->proc.uid != want)
			DRIFT(d, RT_D_USER, BRIG_RT_SRC_PROC, "user \"%s\" but PID %d runs as uid %lld",
			      u->value, c->proc.pid, c->proc.uid);
		return;
	}
	if (!c->api.user || strcmp(c->api.user, u->value) != 0)
		DRIFT(d, RT_D_USER, BRIG_RT_SRC_API, "user \"%s\" but Config.User is \"%s\"", u->value,
		      c->api.user ? c->api.user : "");
}

void brig_rt_compose_drift(const struct brig_compose *cf, const char *project,
			   const struct brig_rt_container *const *cs, size_t n,
			   const char *engine_target, struct brig_finding_list *out)
{
	static void (*const checks[])(struct dctx *) = {
		drift_privileged, drift_security_opt, drift_caps, drift_read_only,
		drift_limits,	  drift_tmpfs,	      drift_healthcheck, drift_user,
	};

	for (size_t i = 0; i < cf->n_services; i++) {
		const struct brig_compose_service *s = &cf->services[i];
		size_t matched = 0;

		for (size_t k = 0; k < n; k++) {
			const char *p = brig_rt_container_label(cs[k], PROJECT_LABEL);
			const char *sv = brig_rt_container_label(cs[k], SERVICE_LABEL);
			struct dctx d = {s, cs[k], cf->name ? cf->name : "compose", out};

			if (!p || !sv || strcmp(p, project) != 0 || strcmp(sv, s->name) != 0)
				continue;
			matched++;
			for (size_t j = 0; j < sizeof(checks) / sizeof(checks[0]); j++)
				checks[j](&d);
		}
		if (!matched)
			rt_emit(out, RT_D_NOT_RUNNING, engine_target, "engine", BRIG_RT_SRC_API,
				"%s:%u: service %s has no running container in project %s",
				cf->name ? cf->name : "compose", s->line, s->name, project);
	}
}

/* Ground truth from /proc. The engine's API says what was asked for (and
 * podman's sometimes not even that); the kernel says what PID 1 of the
 * container actually has. We read it only for a PID whose cgroup names
 * the container's ID: a PID from another PID namespace (brig itself in a
 * container) would otherwise describe some unrelated process. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "runtime/runtime_int.h"

#define MAX_MOUNTINFO_LINES (BRIG_RT_MAX_ITEMS * 4u)
#define MAX_SMALL_FILE (64u << 10)

int rt_read_file(const char *path, size_t max, char **data, size_t *len)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	size_t cap = 4096, n = 0;
	char *buf;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	buf = brig_xmalloc(cap + 1);
	/* /proc files report size 0: read until EOF, bounded */
	for (;;) {
		ssize_t r;

		if (n == cap) {
			if (cap >= max) {
				free(buf);
				errno = EFBIG;
				return -1;
			}
			cap = cap * 2 > max ? max : cap * 2;
			buf = brig_xrealloc(buf, cap + 1);
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
}

bool rt_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!path)
		return false;
	if (n == 1 && dir[0] == '/')
		return path[0] == '/';
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* ---- line iteration over a buffer that need not be NUL-terminated ---- */

struct lines {
	const char *p, *end;
};

static bool next_line(struct lines *l, const char **s, size_t *n)
{
	const char *nl;

	if (l->p >= l->end)
		return false;
	nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
	*s = l->p;
	*n = nl ? (size_t)(nl - l->p) : (size_t)(l->end - l->p);
	l->p = nl ? nl + 1 : l->end;
	return true;
}

/* ---- /proc/PID/status ---- */

static bool parse_hex64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0, digits = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (; i < n; i++, digits++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		if (digits >= 16)
			return false;
		v = v << 4 | d;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	if (!digits || i != n)
		return false;
	*out = v;
	return true;
}

/* first decimal number of s[0..n): "\t1000\t1000..." -> 1000 */
static bool parse_dec(const char *s, size_t n, long long *out)
{
	long long v = 0;
	size_t i = 0, digits = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
		if (v > (LLONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (!digits || (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r'))
		return false;
	*out = v;
	return true;
}

static bool key_is(const char *s, size_t n, const char *key, const char **val, size_t *vn)
{
	size_t k = strlen(key);

	if (n <= k || memcmp(s, key, k) != 0 || s[k] != ':')
		return false;
	*val = s + k + 1;
	*vn = n - k - 1;
	return true;
}

int brig_rt_parse_status(const char *buf, size_t len, struct brig_rt_status *out)
{
	struct lines l = {buf, buf + len};
	const char *s, *v;
	size_t n, vn;

	memset(out, 0, sizeof(*out));
	out->no_new_privs = out->seccomp = -1;
	out->uid = -1;
	if (!buf)
		return -1;
	while (next_line(&l, &s, &n)) {
		long long d;

		if (key_is(s, n, "CapEff", &v, &vn))
			out->have_cap_eff = parse_hex64(v, vn, &out->cap_eff);
		else if (key_is(s, n, "CapPrm", &v, &vn))
			out->have_cap_prm = parse_hex64(v, vn, &out->cap_prm);
		else if (key_is(s, n, "CapBnd", &v, &vn))
			out->have_cap_bnd = parse_hex64(v, vn, &out->cap_bnd);
		else if (key_is(s, n, "NoNewPrivs", &v, &vn) && parse_dec(v, vn, &d) && d <= 1)
			out->no_new_privs = (int)d;
		else if (key_is(s, n, "Seccomp", &v, &vn) && parse_dec(v, vn, &d) && d <= 2)
			out->seccomp = (int)d;
		else if (key_is(s, n, "Uid", &v, &vn) && parse_dec(v, vn, &d) && d <= 0xffffffffll)
			out->uid = d;
	}
	return out->have_cap_eff || out->have_cap_bnd || out->seccomp >= 0 || out->uid >= 0 ? 0 : -1;
}

/* ---- /proc/PID/mountinfo ---- */

/* The kernel escapes ' ', '\t', '\n' and '\\' in paths as \ooo. */
static char *unescape(const char *s, size_t n)
{
	char *out = brig_xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			char c = (char)((s[i + 1] - '0') << 6 | (s[i + 2] - '0') << 3 | (s[i + 3] - '0'));

			/* a NUL would cut the path short: keep the escape */
			if (c) {
				*o++ = c;
				i += 3;
				continue;
			}
		}
		*o++ = s[i];
	}
	*o = '\0';
	return out;
}

#define MI_MAX_FIELDS 64u

/* splits s[0..n) on spaces; false when there are too many fields */
static bool split_fields(const char *s, size_t n, const char **f, size_t *fl, size_t *nf)
{
	size_t i = 0;

	*nf = 0;
	while (i < n) {
		size_t st;

		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		st = i;
		while (i < n && s[i] != ' ')
			i++;
		if (*nf >= MI_MAX_FIELDS)
			return false;
		f[*nf] = s + st;
		fl[*nf] = i - st;
		(*nf)++;
	}
	return true;
}

static bool field_eq(const char *f, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(f, lit, n) == 0;
}

static bool parse_devno(const char *f, size_t n, unsigned *maj, unsigned *min)
{
	const char *colon = memchr(f, ':', n);
	long long a, b;

	if (!colon || !parse_dec(f, (size_t)(colon - f), &a) ||
	    !parse_dec(colon + 1, n - (size_t)(colon - f) - 1, &b) || a > 0xfffff || b > 0xfffff)
		return false;
	*maj = (unsigned)a;
	*min = (unsigned)b;
	return true;
}

static bool opts_have(const char *f, size_t n, const char *opt)
{
	size_t k = strlen(opt), i = 0;

	while (i <= n) {
		const char *comma = memchr(f + i, ',', n - i);
		size_t e = comma ? (size_t)(comma - f) : n;

		if (e - i == k && memcmp(f + i, opt, k) == 0)
			return true;
		i = e + 1;
	}
	return false;
}

int brig_rt_parse_mountinfo(const char *buf, size_t len, struct brig_rt_mountinfo *out,
			    struct brig_error *err)
{
	struct lines l = {buf, buf + len};
	const char *s;
	size_t n, cap = 0;

	memset(out, 0, sizeof(*out));
	if (!buf)
		return 0;
	while (next_line(&l, &s, &n)) {
		const char *f[MI_MAX_FIELDS];
		size_t fl[MI_MAX_FIELDS], nf, sep = 0;
		struct brig_rt_mi *m;
		unsigned maj, min;

		if (!split_fields(s, n, f, fl, &nf) || nf < 10)
			continue;
		for (size_t i = 6; i < nf; i++) {
			if (field_eq(f[i], fl[i], "-")) {
				sep = i;
				break;
			}
		}
		if (!sep || sep + 2 >= nf || !parse_devno(f[2], fl[2], &maj, &min))
			continue;
		if (out->n >= MAX_MOUNTINFO_LINES) {
			brig_rt_mountinfo_free(out);
			return brig_error_set(err, E2BIG, "mountinfo: more than %u mounts",
					      MAX_MOUNTINFO_LINES);
		}
		BRIG_GROW(out->items, cap, out->n + 1);
		m = &out->items[out->n++];
		memset(m, 0, sizeof(*m));
		m->major = maj;
		m->minor = min;
		m->root = unescape(f[3], fl[3]);
		m->mountpoint = unescape(f[4], fl[4]);
		m->ro = opts_have(f[5], fl[5], "ro");
		for (size_t i = 6; i < sep; i++) {
			if (fl[i] > 7 && memcmp(f[i], "shared:", 7) == 0)
				m->shared = true;
			else if (fl[i] > 7 && memcmp(f[i], "master:", 7) == 0)
				m->slave = true;
		}
		m->fstype = unescape(f[sep + 1], fl[sep + 1]);
		m->source = unescape(f[sep + 2], fl[sep + 2]);
		/* super options hold the cgroup v1 controllers ("rw,memory") */
		m->super_opts = sep + 3 < nf ? unescape(f[sep + 3], fl[sep + 3]) : brig_xstrdup("");
	}
	return 0;
}

void brig_rt_mountinfo_free(struct brig_rt_mountinfo *m)
{
	for (size_t i = 0; m && i < m->n; i++) {
		free(m->items[i].root);
		free(m->items[i].mountpoint);
		free(m->items[i].fstype);
		free(m->items[i].source);
		free(m->items[i].super_opts);
	}
	if (m) {
		free(m->items);
		memset(m, 0, sizeof(*m));
	}
}

/* ---- /proc/PID/cgroup ---- */

int brig_rt_parse_cgroup(const char *buf, size_t len, struct brig_rt_cgroups *out,
			 struct brig_error *err)
{
	struct lines l = {buf, buf + len};
	const char *s;
	size_t n, cap = 0;

	memset(out, 0, sizeof(*out));
	if (!buf)
		return 0;
	while (next_line(&l, &s, &n)) {
		const char *c1 = memchr(s, ':', n), *c2;

		if (!c1 || !(c2 = memchr(c1 + 1, ':', n - (size_t)(c1 - s) - 1)))
			continue;
		if (out->n >= BRIG_RT_MAX_ITEMS) {
			brig_rt_cgroups_free(out);
			return brig_error_set(err, E2BIG, "cgroup: more than %u lines",
					      BRIG_RT_MAX_ITEMS);
		}
		BRIG_GROW(out->items, cap, out->n + 1);
		out->items[out->n].controllers = brig_xstrndup(c1 + 1, (size_t)(c2 - c1 - 1));
		out->items[out->n].path = brig_xstrndup(c2 + 1, n - (size_t)(c2 + 1 - s));
		out->n++;
	}
	return 0;
}

void brig_rt_cgroups_free(struct brig_rt_cgroups *c)
{
	for (size_t i = 0; c && i < c->n; i++) {
		free(c->items[i].controllers);
		free(c->items[i].path);
	}
	if (c) {
		free(c->items);
		memset(c, 0, sizeof(*c));
	}
}

const char *brig_rt_cgroup_path(const struct brig_rt_cgroups *c, const char *controller)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *ctl = c->items[i].controllers;

		if (!*controller ? !*ctl : opts_have(ctl, strlen(ctl), controller))
			return c->items[i].path;
	}
	return NULL;
}

/* ---- the host ---- */

static char *read_link(const char *path)
{
	char buf[256];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return brig_xstrdup(buf);
}

static char *read_small(const char *path)
{
	char *data;
	size_t len;

	if (rt_read_file(path, MAX_SMALL_FILE, &data, &len) < 0)
		return NULL;
	while (len && (data[len - 1] == '\n' || data[len - 1] == ' '))
		data[--len] = '\0';
	return data;
}

int brig_rt_host_load(struct brig_rt_host *h, const char *proc_root, const char *fs_root,
		      struct brig_error *err)
{
	_cleanup_free_ char *mi = NULL, *mi_path = NULL, *aa = NULL, *aa_path = NULL;
	size_t len;

	memset(h, 0, sizeof(*h));
	h->proc_root = brig_xstrdup(proc_root ? proc_root : "/proc");
	h->fs_root = brig_xstrdup(fs_root ? fs_root : "");
	/* PID 1's namespaces are the host's when brig runs inside a container
	 * with --pid host; where PID 1 is off limits (this VM's init), ours. */
	for (unsigned i = 0; i < BRIG_RT_NS_COUNT; i++) {
		_cleanup_free_ char *p1 = brig_xasprintf("%s/1/ns/%s", h->proc_root,
							 brig_rt_ns_name(i));
		_cleanup_free_ char *ps = brig_xasprintf("%s/self/ns/%s", h->proc_root,
							 brig_rt_ns_name(i));

		h->ns[i] = read_link(p1);
		if (!h->ns[i])
			h->ns[i] = read_link(ps);
	}
	mi_path = brig_xasprintf("%s/self/mountinfo", h->proc_root);
	if (rt_read_file(mi_path, BRIG_RT_MAX_PROC_FILE, &mi, &len) == 0 &&
	    brig_rt_parse_mountinfo(mi, len, &h->mounts, err) < 0) {
		brig_rt_host_free(h);
		return brig_error_prefix(err, "%s", mi_path);
	}
	aa_path = brig_xasprintf("%s/sys/module/apparmor/parameters/enabled", h->fs_root);
	aa = read_small(aa_path);
	h->apparmor_enabled = aa && aa[0] == 'Y';
	return 0;
}

void brig_rt_host_free(struct brig_rt_host *h)
{
	if (!h)
		return;
	free(h->proc_root);
	free(h->fs_root);
	for (unsigned i = 0; i < BRIG_RT_NS_COUNT; i++)
		free(h->ns[i]);
	brig_rt_mountinfo_free(&h->mounts);
	memset(h, 0, sizeof(*h));
}

/* ---- cgroup limits ---- */

/* A controller's v1 mount on the host ("memory" in the super options). */
static const struct brig_rt_mi *v1_mount(const struct brig_rt_host *h, const char *ctl)
{
	for (size_t i = 0; i < h->mounts.n; i++) {
		const struct brig_rt_mi *m = &h->mounts.items[i];

		if (strcmp(m->fstype, "cgroup") == 0 && opts_have(m->super_opts, strlen(m->super_opts), ctl))
			return m;
	}
	return NULL;
}

static const struct brig_rt_mi *v2_mount(const struct brig_rt_host *h)
{
	for (size_t i = 0; i < h->mounts.n; i++)
		if (strcmp(h->mounts.items[i].fstype, "cgroup2") == 0)
			return &h->mounts.items[i];
	return NULL;
}

/* fs_root + mountpoint + (path below the mount's root) + "/" + file */
static char *cg_file(const struct brig_rt_host *h, const struct brig_rt_mi *m, const char *path,
		     const char *file)
{
	const char *rel = path;
	size_t rn = strlen(m->root);

	if (strcmp(m->root, "/") != 0 && strncmp(path, m->root, rn) == 0)
		rel = path + rn;
	if (strstr(rel, "/.."))
		return NULL; /* a cgroup outside our view: never leave the mount */
	return brig_xasprintf("%s%s%s%s/%s", h->fs_root, m->mountpoint,
			      rel[0] == '/' || !rel[0] ? "" : "/", strcmp(rel, "/") == 0 ? "" : rel,
			      file);
}

static char *cg_read(const struct brig_rt_host *h, const struct brig_rt_mi *m, const char *path,
		     const char *file)
{
	_cleanup_free_ char *p = NULL;

	if (!m || !path)
		return NULL;
	p = cg_file(h, m, path, file);
	return p ? read_small(p) : NULL;
}

/* "max" -> 0 (unlimited), a number -> itself, else -1 */
static long long cg_value(const char *s)
{
	long long v;

	if (!s)
		return -1;
	if (strncmp(s, "max", 3) == 0)
		return 0;
	if (s[0] == '-' && s[1] == '1')
		return 0;
	return parse_dec(s, strcspn(s, " \n"), &v) ? v : -1;
}

static void read_limits(const struct brig_rt_host *h, const struct brig_rt_cgroups *cg,
			struct brig_rt_proc *p)
{
	const struct brig_rt_mi *mem = v1_mount(h, "memory"), *cpu = v1_mount(h, "cpu");
	const struct brig_rt_mi *pids = v1_mount(h, "pids"), *v2 = v2_mount(h);
	const char *v2path = brig_rt_cgroup_path(cg, "");
	_cleanup_free_ char *s = NULL;

	/* memory: v1 reports "unlimited" as PAGE_COUNTER_MAX pages */
	if (mem && (s = cg_read(h, mem, brig_rt_cgroup_path(cg, "memory"), "memory.limit_in_bytes"))) {
		p->memory_limit = cg_value(s);
		if (p->memory_limit >= (1ll << 62))
			p->memory_limit = 0;
	} else if ((s = cg_read(h, v2, v2path, "memory.max"))) {
		p->memory_limit = cg_value(s);
	}
	free(s);
	s = NULL;
	if (cpu && (s = cg_read(h, cpu, brig_rt_cgroup_path(cg, "cpu"), "cpu.cfs_quota_us"))) {
		p->cpu_quota_us = cg_value(s);
		free(s);
		s = cg_read(h, cpu, brig_rt_cgroup_path(cg, "cpu"), "cpu.shares");
		p->cpu_weight = cg_value(s);
		p->cpu_weight_default = p->cpu_weight == 1024;
	} else if ((s = cg_read(h, v2, v2path, "cpu.max"))) {
		p->cpu_quota_us = cg_value(s);
		free(s);
		s = cg_read(h, v2, v2path, "cpu.weight");
		p->cpu_weight = cg_value(s);
		p->cpu_weight_default = p->cpu_weight == 100;
	}
	free(s);
	s = NULL;
	if (pids && (s = cg_read(h, pids, brig_rt_cgroup_path(cg, "pids"), "pids.max")))
		p->pids_max = cg_value(s);
	else if ((s = cg_read(h, v2, v2path, "pids.max")))
		p->pids_max = cg_value(s);
}

/* ---- mounts ---- */

/* The host path of what a container mount shows, through the host's own
 * mountinfo: same device, and the host mount whose root contains ours. */
static char *host_path(const struct brig_rt_host *h, const struct brig_rt_mi *m)
{
	const struct brig_rt_mi *best = NULL;
	size_t best_root = 0;

	for (size_t i = 0; i < h->mounts.n; i++) {
		const struct brig_rt_mi *hm = &h->mounts.items[i];
		size_t rl = strlen(hm->root);

		/* as rt_path_under compares: without trailing slashes */
		while (rl > 1 && hm->root[rl - 1] == '/')
			rl--;
		if (hm->major != m->major || hm->minor != m->minor || !rt_path_under(m->root, hm->root))
			continue;
		/* the deepest root wins; then the shortest (most direct) mount point */
		if (!best || rl > best_root ||
		    (rl == best_root && strlen(hm->mountpoint) < strlen(best->mountpoint))) {
			best = hm;
			best_root = rl;
		}
	}
	if (!best)
		return NULL;
	{
		const char *rest = best_root == 1 && best->root[0] == '/' ? m->root : m->root + best_root;
		size_t ml = strlen(best->mountpoint);

		if (!*rest || strcmp(rest, "/") == 0)
			return brig_xstrdup(best->mountpoint);
		if (ml == 1)
			return brig_xstrdup(rest);
		return brig_xasprintf("%s%s", best->mountpoint, rest);
	}
}

/* Mount points the runtime itself sets up in every container. */
static bool runtime_mountpoint(const char *mp)
{
	static const char *const dirs[] = {"/proc", "/sys", "/dev", "/run/secrets"};
	static const char *const files[] = {"/etc/hosts", "/etc/hostname", "/etc/resolv.conf",
					    "/run/.containerenv", "/.dockerenv", "/etc/passwd",
					    "/etc/group", "/"};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (rt_path_under(mp, dirs[i]))
			return true;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(mp, files[i]) == 0)
			return true;
	return false;
}

static struct brig_rt_mount *find_mount(struct brig_rt_container *c, const char *hpath,
					const char *mp)
{
	for (size_t i = 0; i < c->n_mounts; i++) {
		struct brig_rt_mount *m = &c->mounts[i];

		if (!m->proc_confirmed && m->source && strcmp(m->source, hpath) == 0)
			return m;
	}
	for (size_t i = 0; i < c->n_mounts; i++) {
		struct brig_rt_mount *m = &c->mounts[i];

		if (!m->proc_confirmed && m->dest && strcmp(m->dest, mp) == 0)
			return m;
	}
	return NULL;
}

static void overlay_mounts(const struct brig_rt_host *h, const struct brig_rt_mountinfo *mi,
			   struct brig_rt_container *c)
{
	size_t cap = c->n_mounts;

	for (size_t i = 0; i < mi->n; i++) {
		const struct brig_rt_mi *m = &mi->items[i];
		_cleanup_free_ char *hp = NULL;
		struct brig_rt_mount *mt;

		/* the last "/" is the one on top: the root filesystem */
		if (strcmp(m->mountpoint, "/") == 0)
			c->proc.rootfs_ro = m->ro ? BRIG_RT_YES : BRIG_RT_NO;
		if (runtime_mountpoint(m->mountpoint) || strcmp(m->fstype, "cgroup") == 0 ||
		    strcmp(m->fstype, "cgroup2") == 0)
			continue;
		hp = host_path(h, m);
		/* engine-managed files live in a directory named after the ID */
		if (!hp || (c->id && strstr(hp, c->id)))
			continue;
		mt = find_mount(c, hp, m->mountpoint);
		if (!mt) {
			if (c->n_mounts >= BRIG_RT_MAX_ITEMS)
				continue;
			BRIG_GROW(c->mounts, cap, c->n_mounts + 1);
			mt = &c->mounts[c->n_mounts++];
			memset(mt, 0, sizeof(*mt));
			mt->type = brig_xstrdup("bind");
			mt->source = steal_pointer(&hp);
			mt->dest = brig_xstrdup(m->mountpoint);
			mt->src = BRIG_RT_SRC_PROC;
		}
		mt->proc_confirmed = true;
		mt->rw = !m->ro;
		free(mt->propagation);
		mt->propagation = brig_xstrdup(m->shared ? "shared" : m->slave ? "slave" : "private");
	}
}

void brig_rt_overlay_mounts(const struct brig_rt_host *h, const char *mountinfo, size_t len,
			    struct brig_rt_container *c)
{
	struct brig_rt_mountinfo mi = {0};
	struct brig_error ignored = {0};

	if (brig_rt_parse_mountinfo(mountinfo, len, &mi, &ignored) == 0)
		overlay_mounts(h, &mi, c);
	brig_rt_mountinfo_free(&mi);
}

/* ---- the overlay ---- */

static char *pid_path(const struct brig_rt_host *h, int pid, const char *rel)
{
	return brig_xasprintf("%s/%d/%s", h->proc_root, pid, rel);
}

static void read_apparmor(const struct brig_rt_host *h, struct brig_rt_container *c)
{
	_cleanup_free_ char *p1 = pid_path(h, c->pid, "attr/apparmor/current");
	_cleanup_free_ char *p2 = pid_path(h, c->pid, "attr/current");
	char *s = read_small(p1);

	if (!s)
		s = read_small(p2);
	if (s) {
		/* "docker-default (enforce)" -> "docker-default" */
		char *sp = strstr(s, " (");

		if (sp)
			*sp = '\0';
		c->proc.apparmor = s;
	}
}

bool brig_rt_proc_overlay(const struct brig_rt_host *h, struct brig_rt_container *c)
{
	_cleanup_free_ char *cg_path = NULL, *cg_data = NULL, *st_path = NULL, *st_data = NULL;
	_cleanup_free_ char *mi_path = NULL, *mi_data = NULL;
	struct brig_rt_cgroups cg = {0};
	struct brig_rt_status st;
	struct brig_error ignored = {0};
	bool named = false;
	size_t len;

	if (c->pid <= 0 || !c->id)
		return false;
	cg_path = pid_path(h, c->pid, "cgroup");
	if (rt_read_file(cg_path, BRIG_RT_MAX_PROC_FILE, &cg_data, &len) < 0 ||
	    brig_rt_parse_cgroup(cg_data, len, &cg, &ignored) < 0)
		return false;
	for (size_t i = 0; i < cg.n && !named; i++)
		named = strstr(cg.items[i].path, c->id) != NULL;
	if (!named) {
		brig_rt_cgroups_free(&cg);
		return false;
	}
	c->proc.present = true;
	c->proc.pid = c->pid;
	st_path = pid_path(h, c->pid, "status");
	if (rt_read_file(st_path, MAX_SMALL_FILE, &st_data, &len) == 0 &&
	    brig_rt_parse_status(st_data, len, &st) == 0) {
		c->proc.status_ok = st.have_cap_eff || st.have_cap_bnd;
		c->proc.cap_eff = st.cap_eff;
		c->proc.cap_prm = st.cap_prm;
		/* no bounding line (odd kernels): what PID 1 holds is the floor */
		c->proc.cap_bnd = st.have_cap_bnd ? st.cap_bnd : st.cap_eff;
		c->proc.no_new_privs = st.no_new_privs;
		c->proc.seccomp = st.seccomp;
		c->proc.uid = st.uid;
	}
	for (unsigned i = 0; i < BRIG_RT_NS_COUNT; i++) {
		_cleanup_free_ char *rel = brig_xasprintf("ns/%s", brig_rt_ns_name(i));
		_cleanup_free_ char *p = pid_path(h, c->pid, rel);
		_cleanup_free_ char *link = read_link(p);

		if (link && h->ns[i])
			c->proc.ns_host[i] = strcmp(link, h->ns[i]) == 0 ? BRIG_RT_YES : BRIG_RT_NO;
	}
	mi_path = pid_path(h, c->pid, "mountinfo");
	if (rt_read_file(mi_path, BRIG_RT_MAX_PROC_FILE, &mi_data, &len) == 0)
		brig_rt_overlay_mounts(h, mi_data, len, c);
	read_limits(h, &cg, &c->proc);
	brig_rt_cgroups_free(&cg);
	if (h->apparmor_enabled)
		read_apparmor(h, c);
	return true;
}

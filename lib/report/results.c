/* Groups the inventory and findings into Results[] (Trivy's model) in one
 * deterministic order, whatever order the caller produced them in. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "report/report_int.h"

static const char *const class_names[] = {
	[BRIG_RPT_OS] = "os-pkgs",	 [BRIG_RPT_LANG] = "lang-pkgs",
	[BRIG_RPT_CONFIG] = "config",	 [BRIG_RPT_RUNTIME] = "runtime",
	[BRIG_RPT_SECRET] = "secret",
};

const char *brig_rpt_class_name(enum brig_rpt_class c)
{
	return class_names[c];
}

/* Kept here rather than calling brig_pkg_type_name so that reporting does
 * not need the cataloguers linked in (the SBOM/report tests build none). */
const char *brig_rpt_pkg_type_name(enum brig_pkg_type t)
{
	switch (t) {
	case BRIG_PKG_DPKG:
		return "dpkg";
	case BRIG_PKG_APK:
		return "apk";
	case BRIG_PKG_RPM:
		return "rpm";
	case BRIG_PKG_NPM:
		return "npm";
	}
	return "unknown";
}

static void vec_push(struct brig_rpt_vec *v, const void *p)
{
	BRIG_GROW(v->items, v->cap, v->n + 1);
	v->items[v->n++] = p;
}

static const char *strip_root(const char *path)
{
	while (path && *path == '/')
		path++;
	return path;
}

/* Where a package's result is: class, target and type. */
struct rkey {
	enum brig_rpt_class cls;
	char *target; /* owned */
	const char *type;
	bool node_modules;
};

static void os_key(const struct brig_rpt *r, const struct brig_package *p, struct rkey *k)
{
	const struct brig_os *os = r->in->os;
	const char *name = r->in->artifact_name ? r->in->artifact_name : "";

	k->cls = BRIG_RPT_OS;
	if (os && os->family) {
		k->type = os->family;
		k->target = os->name && *os->name
				    ? brig_xasprintf("%s (%s %s)", name, os->family, os->name)
				    : brig_xasprintf("%s (%s)", name, os->family);
		return;
	}
	/* Packages from an OS database whose OS was not recognised still
	 * belong in the report: under the artifact, typed by package manager. */
	k->type = brig_rpt_pkg_type_name(p->type);
	k->target = brig_xstrdup(name);
}

static void pkg_key(const struct brig_rpt *r, const struct brig_package *p, struct rkey *k)
{
	memset(k, 0, sizeof(*k));
	switch (p->origin) {
	case BRIG_ORIGIN_OS_DB:
		os_key(r, p, k);
		return;
	case BRIG_ORIGIN_NODE_MODULES:
		k->cls = BRIG_RPT_LANG;
		k->target = brig_xstrdup("Node.js");
		k->type = "node-pkg";
		k->node_modules = true;
		return;
	case BRIG_ORIGIN_NPM_LOCK:
	case BRIG_ORIGIN_YARN_LOCK:
		k->cls = BRIG_RPT_LANG;
		k->target = brig_xstrdup(p->file_path ? strip_root(p->file_path) : "");
		k->type = p->origin == BRIG_ORIGIN_YARN_LOCK ? "yarn" : "npm";
		return;
	}
	k->cls = BRIG_RPT_LANG;
	k->target = brig_xstrdup(p->file_path ? strip_root(p->file_path) : "");
	k->type = brig_rpt_pkg_type_name(p->type);
}

static bool result_is(const struct brig_rpt_result *res, enum brig_rpt_class cls,
		      const char *target)
{
	return res->cls == cls && strcmp(res->target, target) == 0;
}

static struct brig_rpt_result *find_result(struct brig_rpt *r, enum brig_rpt_class cls,
					   const char *target)
{
	if (r->last_hit < r->n_results && result_is(&r->results[r->last_hit], cls, target))
		return &r->results[r->last_hit];
	for (size_t i = 0; i < r->n_results; i++) {
		if (result_is(&r->results[i], cls, target)) {
			r->last_hit = i;
			return &r->results[i];
		}
	}
	return NULL;
}

/* The result for k, created on first use; takes k->target. */
static struct brig_rpt_result *get_result(struct brig_rpt *r, struct rkey *k)
{
	struct brig_rpt_result *res = find_result(r, k->cls, k->target);

	if (res) {
		free(k->target);
		k->target = NULL;
		return res;
	}
	BRIG_GROW(r->results, r->cap_results, r->n_results + 1);
	res = &r->results[r->n_results++];
	memset(res, 0, sizeof(*res));
	res->cls = k->cls;
	res->target = steal_pointer(&k->target);
	res->type = k->type;
	res->node_modules = k->node_modules;
	return res;
}

static enum brig_rpt_class finding_class(const struct brig_finding *f)
{
	switch (f->kind) {
	case BRIG_FINDING_MISCONFIG:
		return BRIG_RPT_CONFIG;
	case BRIG_FINDING_RUNTIME:
		return BRIG_RPT_RUNTIME;
	case BRIG_FINDING_SECRET:
		return BRIG_RPT_SECRET;
	case BRIG_FINDING_VULNERABILITY:
		break;
	}
	return BRIG_RPT_LANG;
}

/* A vulnerability without its package joins the result named by its
 * target, whatever class that is; only then does it get one of its own. */
static struct brig_rpt_result *orphan_vuln_result(struct brig_rpt *r, const struct brig_finding *f)
{
	const char *t = f->target ? f->target : (r->in->artifact_name ? r->in->artifact_name : "");
	struct rkey k = {.cls = BRIG_RPT_LANG, .type = f->target_type};

	for (size_t i = 0; i < r->n_results; i++)
		if (strcmp(r->results[i].target, t) == 0)
			return &r->results[i];
	k.target = brig_xstrdup(t);
	return get_result(r, &k);
}

static void add_finding(struct brig_rpt *r, const struct brig_finding *f)
{
	struct brig_rpt_result *res;
	struct rkey k = {0};

	if (f->kind == BRIG_FINDING_VULNERABILITY) {
		if (f->pkg) {
			pkg_key(r, f->pkg, &k);
			res = get_result(r, &k);
		} else {
			res = orphan_vuln_result(r, f);
		}
		vec_push(&res->vulns, f);
		return;
	}
	k.cls = finding_class(f);
	k.type = f->target_type;
	k.target = brig_xstrdup(f->target		? f->target
				: f->file_path		? strip_root(f->file_path)
				: r->in->artifact_name	? r->in->artifact_name
							: "");
	res = get_result(r, &k);
	vec_push(f->kind == BRIG_FINDING_SECRET ? &res->secrets : &res->misconfs, f);
}

/* ---- ordering ---- */

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Same array, so comparing addresses keeps the caller's order on ties and
 * makes every comparator total (qsort is not stable). */
static int cmp_addr(const void *a, const void *b)
{
	return (uintptr_t)a < (uintptr_t)b ? -1 : (uintptr_t)a > (uintptr_t)b;
}

static int cmp_pkg(const void *pa, const void *pb)
{
	const struct brig_package *a = *(const struct brig_package *const *)pa;
	const struct brig_package *b = *(const struct brig_package *const *)pb;
	int c;

	if ((c = strcmp0(a->name, b->name)) || (c = strcmp0(a->version, b->version)) ||
	    (c = strcmp0(a->pkg_path, b->pkg_path)) || (c = strcmp0(a->file_path, b->file_path)))
		return c;
	return cmp_addr(a, b);
}

/* Trivy's order: package, installed version, then most severe first. */
static int cmp_vuln(const void *pa, const void *pb)
{
	const struct brig_finding *a = *(const struct brig_finding *const *)pa;
	const struct brig_finding *b = *(const struct brig_finding *const *)pb;
	int c;

	if (a->pkg && b->pkg &&
	    ((c = strcmp0(a->pkg->name, b->pkg->name)) ||
	     (c = strcmp0(a->pkg->version, b->pkg->version)) ||
	     (c = strcmp0(a->pkg->pkg_path, b->pkg->pkg_path))))
		return c;
	if (!a->pkg != !b->pkg)
		return a->pkg ? -1 : 1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp0(a->id, b->id)))
		return c;
	return cmp_addr(a, b);
}

static int cmp_misconf(const void *pa, const void *pb)
{
	const struct brig_finding *a = *(const struct brig_finding *const *)pa;
	const struct brig_finding *b = *(const struct brig_finding *const *)pb;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp0(a->id, b->id)) || (c = strcmp0(a->file_path, b->file_path)))
		return c;
	if (a->start_line != b->start_line)
		return a->start_line < b->start_line ? -1 : 1;
	return cmp_addr(a, b);
}

static int cmp_result(const void *pa, const void *pb)
{
	const struct brig_rpt_result *a = pa, *b = pb;

	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->node_modules != b->node_modules)
		return a->node_modules ? -1 : 1;
	return strcmp(a->target, b->target);
}

static void sort_vec(struct brig_rpt_vec *v, int (*cmp)(const void *, const void *))
{
	if (v->n > 1)
		qsort(v->items, v->n, sizeof(*v->items), cmp);
}

static void sort_all(struct brig_rpt *r)
{
	if (r->n_results > 1)
		qsort(r->results, r->n_results, sizeof(*r->results), cmp_result);
	for (size_t i = 0; i < r->n_results; i++) {
		sort_vec(&r->results[i].pkgs, cmp_pkg);
		sort_vec(&r->results[i].vulns, cmp_vuln);
		sort_vec(&r->results[i].misconfs, cmp_misconf);
		sort_vec(&r->results[i].secrets, cmp_misconf);
	}
}

int brig_rpt_build(struct brig_rpt *r, const struct brig_report_input *in, struct brig_error *err)
{
	memset(r, 0, sizeof(*r));
	r->in = in;
	if (!in || !in->artifact_name)
		return brig_error_set(err, EINVAL, "report: no artifact name");
	if (brig_rpt_timestamp(in->created_at, r->created, err) < 0)
		return -1;
	/* the OS result comes first even before any package names it */
	if (in->os && in->os->family) {
		struct rkey k;
		struct brig_package none = {.origin = BRIG_ORIGIN_OS_DB};

		pkg_key(r, &none, &k);
		get_result(r, &k);
	}
	for (size_t i = 0; in->targets && i < in->n_targets; i++) {
		struct brig_finding kind_only = {.kind = in->targets[i].kind};
		struct rkey k = {.cls = finding_class(&kind_only), .type = in->targets[i].type};

		k.target = brig_xstrdup(in->targets[i].name ? in->targets[i].name : "");
		get_result(r, &k);
	}
	for (size_t i = 0; in->pkgs && i < in->pkgs->n; i++) {
		struct rkey k;
		struct brig_rpt_result *res;

		pkg_key(r, &in->pkgs->items[i], &k);
		res = get_result(r, &k);
		vec_push(&res->pkgs, &in->pkgs->items[i]);
	}
	for (size_t i = 0; in->findings && i < in->findings->n; i++)
		add_finding(r, &in->findings->items[i]);
	sort_all(r);
	return 0;
}

void brig_rpt_free(struct brig_rpt *r)
{
	for (size_t i = 0; i < r->n_results; i++) {
		struct brig_rpt_result *res = &r->results[i];

		free(res->target);
		free(res->pkgs.items);
		free(res->vulns.items);
		free(res->misconfs.items);
		free(res->secrets.items);
	}
	free(r->results);
	memset(r, 0, sizeof(*r));
}

void brig_rpt_count_severities(const struct brig_rpt_vec *findings, size_t counts[5])
{
	memset(counts, 0, 5 * sizeof(*counts));
	for (size_t i = 0; i < findings->n; i++) {
		const struct brig_finding *f = findings->items[i];

		counts[(unsigned)f->severity <= BRIG_SEV_CRITICAL ? f->severity : BRIG_SEV_UNKNOWN]++;
	}
}

#include "match/match.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "version/version.h"

struct match_ctx {
	const struct brig_package *pkg;
	const char *version; /* what the advisories compare against */
	enum brig_version_scheme scheme;
	struct brig_finding_list *out;
	size_t first; /* this package's first finding in out */
	/* ids that some feed judges for this very release */
	char **release_ids;
	size_t n_release_ids;
	/* findings that rest only on unstable's fix, kept aside until the
	 * lookup ends: a release verdict anywhere in it overrides them */
	struct brig_finding_list tentative;
};

char *brig_match_ecosystem(const struct brig_package *p, const struct brig_os *os)
{
	const char *vid = os ? os->version_id : NULL;

	switch (p->type) {
	case BRIG_PKG_NPM:
		return brig_xstrdup("npm");
	case BRIG_PKG_DPKG:
		if (!os || !os->family || !vid || strcmp(os->family, "debian") != 0)
			return NULL;
		/* Debian advisories are per major release: "Debian:12" */
		return brig_xasprintf("Debian:%.*s", (int)strcspn(vid, "."), vid);
	case BRIG_PKG_APK: {
		const char *dot;

		if (!os || !os->family || !vid || strcmp(os->family, "alpine") != 0)
			return NULL;
		/* "3.18.9" -> "Alpine:v3.18"; an edge "3.19_alpha2024" keeps its prefix */
		dot = strchr(vid, '.');
		dot = dot ? strchr(dot + 1, '.') : NULL;
		return brig_xasprintf("Alpine:v%.*s", dot ? (int)(dot - vid) : (int)strlen(vid), vid);
	}
	case BRIG_PKG_RPM:
		break;
	}
	return NULL;
}

static int cmp(const struct match_ctx *m, const char *a, const char *b,
	       enum brig_range_type type)
{
	return brig_version_compare(type == BRIG_RANGE_SEMVER ? BRIG_VER_SEMVER : m->scheme, a, b);
}

static bool is_zero(const char *v)
{
	return strcmp(v, "0") == 0;
}

/* OSV range semantics: introduced opens an interval, fixed/limit close it
 * exclusively, last_affected closes it inclusively; events come in the
 * feed's order (OSV requires them sorted per interval). */
static bool in_range(const struct match_ctx *m, const struct brig_advisory_range *r)
{
	const char *intro = NULL;
	bool open = false;

	for (size_t i = 0; i < r->n_events; i++) {
		const struct brig_range_event *e = &r->events[i];

		switch (e->type) {
		case BRIG_EVENT_INTRODUCED:
			intro = e->version;
			open = true;
			break;
		case BRIG_EVENT_FIXED:
		case BRIG_EVENT_LIMIT:
		case BRIG_EVENT_LAST_AFFECTED: {
			bool after_intro, before_end;
			int c;

			if (!open)
				break;
			after_intro = is_zero(intro) || cmp(m, m->version, intro, r->range_type) >= 0;
			c = cmp(m, m->version, e->version, r->range_type);
			before_end = e->type == BRIG_EVENT_LAST_AFFECTED ? c <= 0 : c < 0;
			if (after_intro && before_end)
				return true;
			open = false;
			break;
		}
		}
	}
	return open && (is_zero(intro) || cmp(m, m->version, intro, r->range_type) >= 0);
}

static bool listed(const struct match_ctx *m, const struct brig_advisory_range *r)
{
	for (size_t i = 0; i < r->n_versions; i++)
		if (cmp(m, m->version, r->versions[i], BRIG_RANGE_ECOSYSTEM) == 0)
			return true;
	return false;
}

static bool affected(const struct match_ctx *m, const struct brig_advisory_range *r)
{
	if (r->status == BRIG_VULN_NOT_AFFECTED)
		return false;
	if (listed(m, r))
		return true;
	if (r->n_events)
		return in_range(m, r);
	/* a tracker verdict without a version: every version of the release */
	return r->range_type == BRIG_RANGE_NONE && r->n_versions == 0;
}

/* The id users search for: the CVE when the advisory names one. */
static const char *public_id(const struct brig_advisory_range *r)
{
	if (strncmp(r->id, "CVE-", 4) == 0)
		return r->id;
	for (size_t i = 0; i < r->n_upstream; i++)
		if (strncmp(r->upstream[i], "CVE-", 4) == 0)
			return r->upstream[i];
	for (size_t i = 0; i < r->n_aliases; i++)
		if (strncmp(r->aliases[i], "CVE-", 4) == 0)
			return r->aliases[i];
	return r->id;
}

static const char *status_name(enum brig_vuln_status s, bool has_fix)
{
	switch (s) {
	case BRIG_VULN_FIXED:
		return has_fix ? "fixed" : "affected";
	case BRIG_VULN_WILL_NOT_FIX:
		return "will_not_fix";
	case BRIG_VULN_FIX_DEFERRED:
		return "fix_deferred";
	case BRIG_VULN_END_OF_LIFE:
		return "end_of_life";
	case BRIG_VULN_AFFECTED:
	case BRIG_VULN_UNDETERMINED:
	case BRIG_VULN_NOT_AFFECTED:
		break;
	}
	return "affected";
}

/* Vendor severity first, then the CVSS v3 band (the database already
 * ordered its sources; Debian's "unimportant" reads as LOW, as in Trivy). */
static enum brig_severity map_severity(const struct brig_advisory_range *r)
{
	switch (r->severity) {
	case BRIG_SEVERITY_NEGLIGIBLE:
	case BRIG_SEVERITY_LOW:
		return BRIG_SEV_LOW;
	case BRIG_SEVERITY_MEDIUM:
		return BRIG_SEV_MEDIUM;
	case BRIG_SEVERITY_HIGH:
		return BRIG_SEV_HIGH;
	case BRIG_SEVERITY_CRITICAL:
		return BRIG_SEV_CRITICAL;
	case BRIG_SEVERITY_UNKNOWN:
		break;
	}
	return BRIG_SEV_UNKNOWN;
}

static struct brig_finding *find_in(struct brig_finding_list *l, size_t first, const char *id)
{
	for (size_t i = first; i < l->n; i++)
		if (strcmp(l->items[i].id, id) == 0)
			return &l->items[i];
	return NULL;
}

static void add_vendor_id(struct brig_finding *f, const char *id)
{
	if (strcmp(f->id, id) == 0)
		return;
	for (size_t i = 0; i < f->n_vendor_ids; i++)
		if (strcmp(f->vendor_ids[i], id) == 0)
			return;
	f->vendor_ids = brig_xrealloc(f->vendor_ids, (f->n_vendor_ids + 1) * sizeof(char *));
	f->vendor_ids[f->n_vendor_ids++] = brig_xstrdup(id);
}

static void fill_finding(struct brig_finding *f, const struct match_ctx *m,
			 const struct brig_advisory_range *r, const char *id)
{
	const struct brig_cvss *cvss = r->cvss_v3.vector ? &r->cvss_v3 : NULL;

	f->kind = BRIG_FINDING_VULNERABILITY;
	f->id = brig_xstrdup(id);
	f->pkg = m->pkg;
	f->severity = map_severity(r);
	f->severity_source = r->severity_source ? brig_xstrdup(r->severity_source) : NULL;
	f->title = r->title ? brig_xstrdup(r->title) : NULL;
	f->description = r->description ? brig_xstrdup(r->description) : NULL;
	f->primary_url = r->primary_url ? brig_xstrdup(r->primary_url) : NULL;
	f->fix = r->fixed_version ? brig_xstrdup(r->fixed_version) : NULL;
	f->status = brig_xstrdup(status_name(r->status, r->fixed_version != NULL));
	f->file_path = m->pkg->file_path ? brig_xstrdup(m->pkg->file_path) : NULL;
	if (cvss && cvss->score >= 0) {
		f->cvss_score = cvss->score;
		f->cvss_vector = brig_xstrdup(cvss->vector);
	}
	f->references = brig_xcalloc(r->n_refs ? r->n_refs : 1, sizeof(char *));
	for (size_t i = 0; i < r->n_refs; i++)
		f->references[f->n_references++] = brig_xstrdup(r->refs[i].url);
}

/* A second row for the same vulnerability (another range of the same
 * advisory, or the same CVE from another feed) fills what the first lacked. */
static void merge_finding(struct brig_finding *f, const struct brig_advisory_range *r)
{
	if (!f->fix && r->fixed_version) {
		f->fix = brig_xstrdup(r->fixed_version);
		free(f->status);
		f->status = brig_xstrdup("fixed");
	}
	if (f->severity == BRIG_SEV_UNKNOWN && map_severity(r) != BRIG_SEV_UNKNOWN) {
		f->severity = map_severity(r);
		free(f->severity_source);
		f->severity_source = r->severity_source ? brig_xstrdup(r->severity_source) : NULL;
	}
	if (!f->title && r->title)
		f->title = brig_xstrdup(r->title);
	if (!f->description && r->description)
		f->description = brig_xstrdup(r->description);
}

static bool has_release_verdict(const struct match_ctx *m, const char *id)
{
	for (size_t i = 0; i < m->n_release_ids; i++)
		if (strcmp(m->release_ids[i], id) == 0)
			return true;
	return false;
}

static int note_release_row(void *ctx, const struct brig_advisory_range *r)
{
	struct match_ctx *m = ctx;
	const char *id = public_id(r);

	if (r->fix_from_unstable || has_release_verdict(m, id))
		return 0;
	m->release_ids = brig_xrealloc(m->release_ids, (m->n_release_ids + 1) * sizeof(char *));
	m->release_ids[m->n_release_ids++] = brig_xstrdup(id);
	return 0;
}

/* Every row is seen here with its range only: a release verdict is noted
 * whatever the versions say, and only affected rows have their advisory
 * text decoded for on_row. */
static bool want_row(void *ctx, const struct brig_advisory_range *r)
{
	struct match_ctx *m = ctx;

	note_release_row(ctx, r);
	return affected(m, r);
}

static int on_row(void *ctx, const struct brig_advisory_range *r)
{
	struct match_ctx *m = ctx;
	const char *id = public_id(r);
	struct brig_finding_list *list = r->fix_from_unstable ? &m->tentative : m->out;
	struct brig_finding *f;

	f = find_in(list, list == m->out ? m->first : 0, id);
	if (f) {
		merge_finding(f, r);
	} else {
		f = brig_finding_list_add(list);
		fill_finding(f, m, r, id);
	}
	add_vendor_id(f, r->id);
	return 0;
}

/* The tracker falls back to unstable's fix when a release has no line of
 * its own; a verdict for the release itself (a DSA, an OSV record with
 * this release's fix) is better evidence and wins. */
static void settle_tentative(struct match_ctx *m)
{
	for (size_t i = 0; i < m->tentative.n; i++) {
		struct brig_finding *t = &m->tentative.items[i];

		if (has_release_verdict(m, t->id)) {
			brig_finding_free(t);
			continue;
		}
		*brig_finding_list_add(m->out) = *t;
	}
	free(m->tentative.items);
	memset(&m->tentative, 0, sizeof(m->tentative));
}

static enum brig_version_scheme scheme_of(enum brig_pkg_type t)
{
	switch (t) {
	case BRIG_PKG_DPKG:
		return BRIG_VER_DPKG;
	case BRIG_PKG_APK:
		return BRIG_VER_APK;
	case BRIG_PKG_RPM:
		return BRIG_VER_RPM;
	case BRIG_PKG_NPM:
		break;
	}
	return BRIG_VER_SEMVER;
}

static int match_all(struct brig_vulndb *db, const struct brig_os *os,
		     const struct brig_pkg_list *pkgs, struct brig_finding_list *out,
		     struct brig_error *err)
{
	for (size_t i = 0; i < pkgs->n; i++) {
		const struct brig_package *p = &pkgs->items[i];
		char *eco = brig_match_ecosystem(p, os);
		struct match_ctx m = {p, NULL, scheme_of(p->type), out, out->n, NULL, 0, {0}};
		const char *name;
		int rc;

		if (!eco)
			continue;
		/* Debian and Alpine advisories name source packages and versions */
		name = p->type == BRIG_PKG_NPM ? p->name : (p->src_name ? p->src_name : p->name);
		m.version = p->type == BRIG_PKG_NPM ? p->version
						    : (p->src_version ? p->src_version : p->version);
		rc = brig_vulndb_lookup_filtered(db, eco, name, want_row, on_row, &m, err);
		free(eco);
		settle_tentative(&m);
		for (size_t k = 0; k < m.n_release_ids; k++)
			free(m.release_ids[k]);
		free(m.release_ids);
		if (rc < 0)
			return brig_error_prefix(err, "matching %s %s", name, m.version);
	}
	return 0;
}

int brig_match_packages(struct brig_vulndb *db, const struct brig_os *os,
			const struct brig_pkg_list *pkgs, struct brig_finding_list *out,
			struct brig_error *err)
{
	int rc;

	/* one snapshot for the whole image: consistent, and one lock */
	if (brig_vulndb_read_begin(db, err) < 0)
		return brig_error_prefix(err, "matching");
	rc = match_all(db, os, pkgs, out, err);
	brig_vulndb_read_end(db);
	return rc;
}

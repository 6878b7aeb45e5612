/* Debian security tracker data, in two shapes:
 *  - the tracker's bulk JSON (security-tracker.debian.org/tracker/data/json):
 *    {source package: {CVE: {description, releases: {suite: {status,
 *    fixed_version, urgency, nodsa, nodsa_reason}}}}};
 *  - aquasecurity/vuln-list-debian records: data/CVE/list and data/DSA/list
 *    entries parsed into {Header, Annotations[]}.
 * Rows land under the OSV ecosystem names ("Debian:12") so that the matcher
 * finds OSV and tracker rows with one lookup. Only the releases the tracker
 * still follows are mapped; sid and experimental have no OSV ecosystem. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/path.h"
#include "core/xalloc.h"
#include "vulndb/internal.h"

#define TRACKER_SOURCE "debian-tracker"

static const struct {
	const char *suite;
	const char *ecosystem;
} releases[] = {
	{"buster", "Debian:10"},
	{"bullseye", "Debian:11"},
	{"bookworm", "Debian:12"},
	{"trixie", "Debian:13"},
};
#define N_RELEASES (sizeof(releases) / sizeof(releases[0]))

static const char *release_ecosystem(const char *suite)
{
	for (size_t i = 0; i < N_RELEASES; i++)
		if (strcmp(suite, releases[i].suite) == 0)
			return releases[i].ecosystem;
	return NULL;
}

static int check_token(const char *s, size_t max, const char *what, struct brig_error *err)
{
	size_t n = 0;

	if (!s || !*s)
		return brig_error_set(err, EINVAL, "%s is missing or empty", what);
	for (const char *p = s; *p; p++, n++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return brig_error_set(err, EINVAL, "%s has spaces or control characters", what);
	if (n > max)
		return brig_error_set(err, EFBIG, "%s is longer than %zu bytes", what, max);
	return 0;
}

static struct vdb_event intro0 = {BRIG_EVENT_INTRODUCED, "0"};

/* Gives row its events: [introduced 0] or [introduced 0, fixed v]. */
static void set_range(struct vdb_row *row, const char *fixed)
{
	row->range_type = BRIG_RANGE_ECOSYSTEM;
	row->events = brig_xcalloc(2, sizeof(*row->events));
	row->events[0] = intro0;
	row->n_events = 1;
	if (fixed) {
		row->events[1] = (struct vdb_event){BRIG_EVENT_FIXED, fixed};
		row->n_events = 2;
		row->fixed = fixed;
	}
}

static void set_urgency(struct vdb_row *row, const char *urgency)
{
	row->severity_raw = urgency;
	row->severity = vdb_severity_parse(urgency);
	if (row->severity != BRIG_SEVERITY_UNKNOWN)
		row->severity_source = "debian-urgency";
}

/* ---- bulk JSON ---- */

static int tracker_release_row(struct vdb_advisory *adv, const char *package, const char *suite,
			       json_t *rel, struct brig_error *err)
{
	const char *ecosystem = release_ecosystem(suite);
	const char *status, *fixed, *urgency, *nodsa, *reason;
	struct vdb_row *row;
	char what[VDB_MAX_NAME + VDB_MAX_ID + 64];

	if (!ecosystem)
		return 0;
	snprintf(what, sizeof(what), "%s.%s.releases.%s", package, adv->id, suite);
	if (!json_is_object(rel))
		return brig_error_set(err, EINVAL, "%s must be an object", what);
	if (vdb_get_str(rel, "status", VDB_MAX_NAME, &status, "status", err) < 0 ||
	    vdb_get_str(rel, "fixed_version", VDB_MAX_VERSION, &fixed, "fixed_version", err) < 0 ||
	    vdb_get_str(rel, "urgency", VDB_MAX_NAME, &urgency, "urgency", err) < 0 ||
	    vdb_get_str(rel, "nodsa", VDB_MAX_SHORT, &nodsa, "nodsa", err) < 0 ||
	    vdb_get_str(rel, "nodsa_reason", VDB_MAX_NAME, &reason, "nodsa_reason", err) < 0)
		return brig_error_prefix(err, "%s", what);
	if (fixed && check_token(fixed, VDB_MAX_VERSION, "fixed_version", err) < 0)
		return brig_error_prefix(err, "%s", what);
	row = vdb_add_row(adv, err);
	if (!row)
		return -1;
	row->ecosystem = ecosystem;
	row->package = package;
	set_urgency(row, urgency);
	row->note = nodsa && *nodsa ? nodsa : NULL;
	if (status && strcmp(status, "resolved") == 0) {
		if (!fixed || strcmp(fixed, "0") == 0) {
			/* "0": the release never had the vulnerable code */
			row->range_type = BRIG_RANGE_ECOSYSTEM;
			row->status = BRIG_VULN_NOT_AFFECTED;
		} else {
			set_range(row, fixed);
			row->status = BRIG_VULN_FIXED;
		}
		return 0;
	}
	set_range(row, NULL);
	if (status && strcmp(status, "open") == 0) {
		if (urgency && strcmp(urgency, "end-of-life") == 0)
			row->status = BRIG_VULN_END_OF_LIFE;
		else if (reason && strcmp(reason, "ignored") == 0)
			row->status = BRIG_VULN_WILL_NOT_FIX;
		else if (reason && strcmp(reason, "postponed") == 0)
			row->status = BRIG_VULN_FIX_DEFERRED;
		else
			row->status = BRIG_VULN_AFFECTED;
	} else {
		/* "undetermined", or a status this brig does not know */
		row->status = BRIG_VULN_UNDETERMINED;
		if (status && strcmp(status, "undetermined") != 0 && !row->note)
			row->note = status;
	}
	return 0;
}

int vdb_parse_tracker_package(struct vdb_import *imp, const char *package, json_t *cves,
			      struct brig_error *err)
{
	const char *cve, *suite;
	json_t *rec, *rel;

	if (check_token(package, VDB_MAX_NAME, "source package name", err) < 0)
		return -1;
	if (!json_is_object(cves))
		return brig_error_set(err, EINVAL, "package %s must map CVE ids to records", package);
	json_object_foreach(cves, cve, rec) {
		struct vdb_advisory adv = {0};
		_cleanup_free_ char *url = NULL;
		json_t *rels;
		int rc = 0;

		if (check_token(cve, VDB_MAX_ID, "CVE id", err) < 0)
			return brig_error_prefix(err, "package %s", package);
		if (!json_is_object(rec))
			return brig_error_set(err, EINVAL, "%s.%s must be an object", package, cve);
		adv.source = TRACKER_SOURCE;
		adv.id = cve;
		adv.cvss2_score = adv.cvss3_score = adv.cvss4_score = -1;
		if (vdb_get_str(rec, "description", VDB_MAX_TEXT, &adv.description, "description",
				err) < 0)
			return brig_error_prefix(err, "%s.%s", package, cve);
		url = brig_xasprintf("https://security-tracker.debian.org/tracker/%s", cve);
		adv.primary_url = url;
		rels = json_object_get(rec, "releases");
		/* PHP-style serializers write an empty map as [] */
		if (json_is_array(rels) && json_array_size(rels) == 0)
			rels = NULL;
		if (rels && !json_is_null(rels) && !json_is_object(rels))
			return brig_error_set(err, EINVAL, "%s.%s.releases must be an object", package,
					      cve);
		json_object_foreach(rels, suite, rel) {
			if (tracker_release_row(&adv, package, suite, rel, err) < 0) {
				rc = -1;
				break;
			}
		}
		if (rc == 0)
			rc = vdb_store(imp, &adv, VDB_REPLACE_PACKAGE, err);
		vdb_advisory_reset(&adv);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int vdb_parse_tracker(struct vdb_import *imp, json_t *doc, struct brig_error *err)
{
	const char *package;
	json_t *cves;

	if (!json_is_object(doc))
		return brig_error_set(err, EINVAL, "tracker JSON must be an object");
	json_object_foreach(doc, package, cves)
		if (vdb_parse_tracker_package(imp, package, cves, err) < 0)
			return -1;
	return 0;
}

/* ---- vuln-list-debian ---- */

struct annotation {
	const char *release; /* NULL: the unstable (sid) line */
	const char *package;
	const char *kind;
	const char *version;
	const char *severity;
	const char *description;
};

/* "[03 Oct 2023] DSA-5514-1 …" -> "2023-10-03T00:00:00Z" */
static bool parse_dsa_date(const char *original, char out[32])
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	unsigned day, year;
	char mon[4];

	if (!original || sscanf(original, "[%2u %3s %4u]", &day, mon, &year) != 3)
		return false;
	for (int m = 0; m < 12; m++)
		if (strcmp(mon, months[m]) == 0 && day >= 1 && day <= 31 && year >= 1990 &&
		    year <= 9999) {
			snprintf(out, 32, "%04u-%02d-%02uT00:00:00Z", year, m + 1, day);
			return true;
		}
	return false;
}

/* The row a tracker line gives, or false for lines that give none. */
static int line_row(struct vdb_advisory *adv, const char *ecosystem, const struct annotation *a,
		    const struct annotation *sid, bool inherited, struct brig_error *err)
{
	const char *k = a->kind;
	struct vdb_row *row;
	enum brig_vuln_status status;
	const char *fixed = NULL;

	if (!k)
		return 0;
	if (strcmp(k, "fixed") == 0) {
		if (!a->version || !*a->version)
			return brig_error_set(err, EINVAL, "fixed line for %s without a version",
					      a->package);
		if (strcmp(a->version, "0") == 0)
			status = BRIG_VULN_NOT_AFFECTED;
		else {
			status = BRIG_VULN_FIXED;
			fixed = a->version;
		}
	} else if (strcmp(k, "unfixed") == 0 || strcmp(k, "no-dsa") == 0) {
		status = BRIG_VULN_AFFECTED;
	} else if (strcmp(k, "not-affected") == 0) {
		status = BRIG_VULN_NOT_AFFECTED;
	} else if (strcmp(k, "ignored") == 0) {
		status = BRIG_VULN_WILL_NOT_FIX;
	} else if (strcmp(k, "postponed") == 0) {
		status = BRIG_VULN_FIX_DEFERRED;
	} else if (strcmp(k, "end-of-life") == 0) {
		status = BRIG_VULN_END_OF_LIFE;
	} else if (strcmp(k, "undetermined") == 0) {
		status = BRIG_VULN_UNDETERMINED;
	} else {
		return 0; /* removed, itp, and kinds brig does not know: no claim */
	}
	row = vdb_add_row(adv, err);
	if (!row)
		return -1;
	row->ecosystem = ecosystem;
	row->package = a->package;
	row->status = status;
	if (status == BRIG_VULN_NOT_AFFECTED)
		row->range_type = BRIG_RANGE_ECOSYSTEM;
	else
		set_range(row, fixed);
	row->fix_from_unstable = inherited && fixed;
	/* the urgency sits on the unstable line and holds for every release */
	set_urgency(row, a->severity ? a->severity : sid ? sid->severity : NULL);
	row->note = a->description;
	if (!row->note && strcmp(k, "no-dsa") == 0)
		row->note = "no-dsa";
	return 0;
}

int vdb_parse_vuln_list_debian(struct vdb_import *imp, json_t *doc, struct brig_error *err)
{
	struct vdb_advisory adv = {0};
	_cleanup_free_ struct annotation *ann = NULL;
	_cleanup_free_ char *url = NULL, *desc = NULL;
	json_t *header, *anns, *a;
	const char *original, *hdesc;
	char date[32];
	size_t n = 0, i;
	int rc = -1;

	if (vdb_get_object(doc, "Header", &header, "Header", err) < 0 ||
	    vdb_get_array(doc, "Annotations", VDB_MAX_LIST, &anns, "Annotations", err) < 0)
		return -1;
	if (!header)
		return brig_error_set(err, EINVAL, "record without a Header");
	adv.source = TRACKER_SOURCE;
	adv.cvss2_score = adv.cvss3_score = adv.cvss4_score = -1;
	if (vdb_get_str(header, "ID", VDB_MAX_ID, &adv.id, "Header.ID", err) < 0 ||
	    vdb_get_str(header, "Original", VDB_MAX_TEXT, &original, "Header.Original", err) < 0 ||
	    vdb_get_str(header, "Description", VDB_MAX_TEXT, &hdesc, "Header.Description", err) < 0)
		return -1;
	if (check_token(adv.id, VDB_MAX_ID, "Header.ID", err) < 0)
		return -1;
	if (hdesc && brig_str_has_prefix(adv.id, "CVE-")) {
		/* CVE list: "(Text of the description ...)" */
		size_t len = strlen(hdesc);

		if (len >= 2 && hdesc[0] == '(' && hdesc[len - 1] == ')')
			desc = brig_xstrndup(hdesc + 1, len - 2);
		else
			desc = brig_xstrdup(hdesc);
		adv.description = desc;
	} else if (hdesc && *hdesc) {
		adv.title = hdesc; /* DSA/DLA list: "glibc - security update" */
		if (parse_dsa_date(original, date))
			adv.published = date;
	}
	url = brig_xasprintf("https://security-tracker.debian.org/tracker/%s", adv.id);
	adv.primary_url = url;
	ann = brig_xcalloc(json_array_size(anns) + 1, sizeof(*ann));
	adv.aliases = json_array();
	json_array_foreach(anns, i, a) {
		const char *type;
		char what[64];

		if (!json_is_object(a)) {
			brig_error_set(err, EINVAL, "Annotations[%zu] must be an object", i);
			goto out;
		}
		snprintf(what, sizeof(what), "Annotations[%zu].Type", i);
		if (vdb_get_str(a, "Type", VDB_MAX_NAME, &type, what, err) < 0)
			goto out;
		if (type && strcmp(type, "xref") == 0) {
			json_t *bugs;

			snprintf(what, sizeof(what), "Annotations[%zu].Bugs", i);
			if (vdb_string_list(json_object_get(a, "Bugs"), VDB_MAX_LIST, VDB_MAX_ID, &bugs,
					    what, err) < 0)
				goto out;
			if (bugs)
				json_array_extend(adv.aliases, bugs);
			json_decref(bugs);
			if (json_array_size(adv.aliases) > VDB_MAX_LIST) {
				brig_error_set(err, EFBIG, "more than %u xrefs", VDB_MAX_LIST);
				goto out;
			}
		} else if (type && strcmp(type, "package") == 0) {
			struct annotation *x = &ann[n];

			snprintf(what, sizeof(what), "Annotations[%zu]", i);
			if (vdb_get_str(a, "Release", VDB_MAX_NAME, &x->release, "Release", err) < 0 ||
			    vdb_get_str(a, "Package", VDB_MAX_NAME, &x->package, "Package", err) < 0 ||
			    vdb_get_str(a, "Kind", VDB_MAX_NAME, &x->kind, "Kind", err) < 0 ||
			    vdb_get_str(a, "Version", VDB_MAX_VERSION, &x->version, "Version", err) < 0 ||
			    vdb_get_str(a, "Severity", VDB_MAX_NAME, &x->severity, "Severity", err) < 0 ||
			    vdb_get_str(a, "Description", VDB_MAX_SHORT, &x->description, "Description",
					err) < 0 ||
			    check_token(x->package, VDB_MAX_NAME, "Package", err) < 0 ||
			    (x->version && *x->version &&
			     check_token(x->version, VDB_MAX_VERSION, "Version", err) < 0)) {
				brig_error_prefix(err, "%s", what);
				goto out;
			}
			n++;
		}
	}
	/* every package, each followed release: its own line, else unstable's */
	for (i = 0; i < n; i++) {
		const struct annotation *sid = NULL;
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(ann[j].package, ann[i].package) == 0;
		if (seen)
			continue;
		for (size_t j = i; j < n; j++)
			if (!ann[j].release && strcmp(ann[j].package, ann[i].package) == 0) {
				sid = &ann[j];
				break;
			}
		for (size_t r = 0; r < N_RELEASES; r++) {
			const struct annotation *own = NULL;

			for (size_t j = i; j < n; j++)
				if (ann[j].release && strcmp(ann[j].release, releases[r].suite) == 0 &&
				    strcmp(ann[j].package, ann[i].package) == 0)
					own = &ann[j];
			if (own) {
				if (line_row(&adv, releases[r].ecosystem, own, sid, false, err) < 0)
					goto out;
			} else if (sid) {
				if (line_row(&adv, releases[r].ecosystem, sid, sid, true, err) < 0)
					goto out;
			}
		}
	}
	rc = vdb_store(imp, &adv, VDB_REPLACE_PACKAGE, err);
out:
	vdb_advisory_reset(&adv);
	return rc;
}

/* OSV schema 1.x (https://ossf.github.io/osv-schema/). One record per
 * document; affected[] x ranges[] become rows. GIT ranges are skipped: brig
 * matches packages by version, never by commit. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/log.h"
#include "core/path.h"
#include "core/xalloc.h"
#include "vulndb/internal.h"

#define FIELD(buf, ...) (snprintf((buf), sizeof(buf), __VA_ARGS__), (buf))

static int parse_events(json_t *events, const char *where, struct vdb_row *row,
			struct brig_error *err)
{
	static const char *const keys[] = {"introduced", "fixed", "last_affected", "limit"};
	char what[160];
	json_t *ev;
	size_t i;

	row->events = brig_xcalloc(json_array_size(events) + 1, sizeof(*row->events));
	json_array_foreach(events, i, ev) {
		const char *version = NULL;
		int type = -1;

		if (!json_is_object(ev))
			return brig_error_set(err, EINVAL, "%s.events[%zu] must be an object", where, i);
		for (int k = 0; k < 4; k++) {
			json_t *v = json_object_get(ev, keys[k]);

			if (!v)
				continue;
			if (type >= 0)
				return brig_error_set(err, EINVAL,
						      "%s.events[%zu] has both '%s' and '%s'", where, i,
						      keys[type], keys[k]);
			if (vdb_check_str(v, VDB_MAX_VERSION, &version,
					  FIELD(what, "%s.events[%zu].%s", where, i, keys[k]), err) < 0)
				return -1;
			if (!version || !*version)
				return brig_error_set(err, EINVAL, "%s.events[%zu].%s is empty", where,
						      i, keys[k]);
			type = k;
		}
		if (type < 0)
			return brig_error_set(err, EINVAL,
					      "%s.events[%zu] has none of introduced, fixed, last_affected, limit",
					      where, i);
		row->events[row->n_events].type = (enum brig_event_type)type;
		row->events[row->n_events].version = version;
		row->n_events++;
		if (type == BRIG_EVENT_FIXED)
			row->fixed = version; /* the last one */
	}
	row->status = row->fixed ? BRIG_VULN_FIXED : BRIG_VULN_AFFECTED;
	return 0;
}

static int check_name(const char *s, const char *what, struct brig_error *err)
{
	if (!s || !*s)
		return brig_error_set(err, EINVAL, "%s is missing or empty", what);
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return brig_error_set(err, EINVAL, "%s has control characters", what);
	return 0;
}

/* owned keeps the versions lists alive until vdb_store() is done: rows
 * only borrow them. */
static int parse_affected(struct vdb_advisory *adv, json_t *aff, size_t idx, json_t *owned,
			  struct brig_error *err)
{
	char where[64], what[160];
	json_t *pkg, *ranges, *versions_in, *eco_specific, *range;
	json_t *versions = NULL;
	const char *ecosystem, *name, *urgency = NULL;
	bool first = true;
	size_t i;

	snprintf(where, sizeof(where), "affected[%zu]", idx);
	if (!json_is_object(aff))
		return brig_error_set(err, EINVAL, "%s must be an object", where);
	if (vdb_get_object(aff, "package", &pkg, FIELD(what, "%s.package", where), err) < 0)
		return -1;
	if (!pkg)
		return 0; /* allowed for GIT-only records: nothing to match */
	if (vdb_get_str(pkg, "ecosystem", VDB_MAX_NAME, &ecosystem,
			FIELD(what, "%s.package.ecosystem", where), err) < 0 ||
	    check_name(ecosystem, what, err) < 0)
		return -1;
	if (vdb_get_str(pkg, "name", VDB_MAX_NAME, &name, FIELD(what, "%s.package.name", where),
			err) < 0 ||
	    check_name(name, what, err) < 0)
		return -1;
	if (vdb_get_array(aff, "ranges", VDB_MAX_LIST, &ranges, FIELD(what, "%s.ranges", where),
			  err) < 0)
		return -1;
	if (vdb_get_array(aff, "versions", VDB_MAX_VERSIONS, &versions_in,
			  FIELD(what, "%s.versions", where), err) < 0 ||
	    vdb_string_list(versions_in, VDB_MAX_VERSIONS, VDB_MAX_VERSION, &versions, what, err) < 0)
		return -1;
	if (versions)
		json_array_append_new(owned, versions);
	if (vdb_get_object(aff, "ecosystem_specific", &eco_specific,
			   FIELD(what, "%s.ecosystem_specific", where), err) < 0)
		return -1;
	if (eco_specific) {
		/* Debian: urgency; some feeds: severity. Odd types are ignored:
		 * the field is free-form per ecosystem. */
		json_t *u = json_object_get(eco_specific, "urgency");

		if (!json_is_string(u))
			u = json_object_get(eco_specific, "severity");
		if (json_is_string(u) && json_string_length(u) <= VDB_MAX_SHORT)
			urgency = json_string_value(u);
	}
	json_array_foreach(ranges, i, range) {
		const char *type;
		json_t *events;
		struct vdb_row *row;
		char rwhere[96];

		snprintf(rwhere, sizeof(rwhere), "%s.ranges[%zu]", where, i);
		if (!json_is_object(range)) {
			brig_error_set(err, EINVAL, "%s must be an object", rwhere);
			return -1;
		}
		if (vdb_get_str(range, "type", VDB_MAX_NAME, &type, FIELD(what, "%s.type", rwhere),
				err) < 0)
			return -1;
		if (!type) {
			brig_error_set(err, EINVAL, "%s.type is missing", rwhere);
			return -1;
		}
		if (strcmp(type, "SEMVER") != 0 && strcmp(type, "ECOSYSTEM") != 0)
			continue; /* GIT and future types */
		if (vdb_get_array(range, "events", VDB_MAX_LIST, &events,
				  FIELD(what, "%s.events", rwhere), err) < 0)
			return -1;
		if (!events || json_array_size(events) == 0)
			continue;
		row = vdb_add_row(adv, err);
		if (!row)
			return -1;
		row->ecosystem = ecosystem;
		row->package = name;
		row->range_type = strcmp(type, "SEMVER") == 0 ? BRIG_RANGE_SEMVER : BRIG_RANGE_ECOSYSTEM;
		row->group = (int)idx;
		if (parse_events(events, rwhere, row, err) < 0)
			return -1;
		row->severity_raw = urgency;
		row->severity = vdb_severity_parse(urgency);
		if (row->severity != BRIG_SEVERITY_UNKNOWN)
			row->severity_source = "osv-ecosystem-specific";
		if (first && versions) {
			/* the versions list is stored once per affected entry */
			row->versions = versions;
			first = false;
		}
	}
	if (first && versions && json_array_size(versions) > 0) {
		struct vdb_row *row = vdb_add_row(adv, err);

		if (!row)
			return -1;
		row->ecosystem = ecosystem;
		row->package = name;
		row->range_type = BRIG_RANGE_NONE;
		row->group = (int)idx;
		row->status = BRIG_VULN_AFFECTED;
		row->versions = versions;
		row->severity_raw = urgency;
		row->severity = vdb_severity_parse(urgency);
		if (row->severity != BRIG_SEVERITY_UNKNOWN)
			row->severity_source = "osv-ecosystem-specific";
	}
	return 0;
}

/* severity[]: the first vector of each CVSS version wins */
static int parse_severity(struct vdb_advisory *adv, json_t *arr, const char *where,
			  struct brig_error *err)
{
	char what[96];
	json_t *s;
	size_t i;

	json_array_foreach(arr, i, s) {
		const char *type, *score;
		struct brig_error ignored;

		if (!json_is_object(s))
			return brig_error_set(err, EINVAL, "%s[%zu] must be an object", where, i);
		if (vdb_get_str(s, "type", VDB_MAX_NAME, &type, FIELD(what, "%s[%zu].type", where, i),
				err) < 0 ||
		    vdb_get_str(s, "score", VDB_MAX_SHORT, &score,
				FIELD(what, "%s[%zu].score", where, i), err) < 0)
			return -1;
		if (!type || !score)
			continue;
		/* A bad vector costs the score, never the advisory. */
		if (strcmp(type, "CVSS_V3") == 0 && !adv->cvss3) {
			adv->cvss3 = score;
			if (brig_cvss3_base_score(score, &adv->cvss3_score, &ignored) < 0)
				brig_debug("%s: %s", adv->id, ignored.msg);
		} else if (strcmp(type, "CVSS_V4") == 0 && !adv->cvss4) {
			adv->cvss4 = score;
			if (brig_cvss4_base_score(score, &adv->cvss4_score, &ignored) < 0)
				brig_debug("%s: %s", adv->id, ignored.msg);
		} else if (strcmp(type, "CVSS_V2") == 0 && !adv->cvss2) {
			adv->cvss2 = score;
			if (brig_cvss2_base_score(score, &adv->cvss2_score, &ignored) < 0)
				brig_debug("%s: %s", adv->id, ignored.msg);
		}
	}
	return 0;
}

/* Validates references[]; the advisory keeps the array (encoded at store). */
static int parse_refs(struct vdb_advisory *adv, json_t *arr, struct brig_error *err)
{
	char what[64];
	json_t *r;
	size_t i;

	if (!arr)
		return 0;
	json_array_foreach(arr, i, r) {
		const char *type, *url;

		if (!json_is_object(r))
			return brig_error_set(err, EINVAL, "references[%zu] must be an object", i);
		if (vdb_get_str(r, "type", VDB_MAX_NAME, &type, FIELD(what, "references[%zu].type", i),
				err) < 0 ||
		    vdb_get_str(r, "url", VDB_MAX_SHORT, &url, FIELD(what, "references[%zu].url", i),
				err) < 0)
			return -1;
		if (url && !adv->primary_url && type && strcmp(type, "ADVISORY") == 0)
			adv->primary_url = url;
	}
	adv->refs = json_incref(arr);
	return 0;
}

int vdb_parse_osv(struct vdb_import *imp, json_t *doc, struct brig_error *err)
{
	struct vdb_advisory adv = {0};
	json_t *aliases, *upstream, *affected, *refs, *severity, *dbs, *aff, *withdrawn;
	json_t *owned_versions = json_array();
	_cleanup_free_ char *fallback_url = NULL;
	size_t i;
	int rc = -1;

	if (!json_is_object(doc))
		return brig_error_set(err, EINVAL, "an OSV record must be a JSON object");
	adv.source = "osv";
	if (vdb_get_str(doc, "id", VDB_MAX_ID, &adv.id, "id", err) < 0)
		goto out;
	if (!adv.id || !*adv.id) {
		brig_error_set(err, EINVAL, "OSV record without an id");
		goto out;
	}
	if (check_name(adv.id, "id", err) < 0)
		goto out;
	withdrawn = json_object_get(doc, "withdrawn");
	if (withdrawn && !json_is_null(withdrawn)) {
		if (!json_is_string(withdrawn)) {
			brig_error_set(err, EINVAL, "withdrawn must be a string");
			goto out;
		}
		adv.withdrawn = true;
		rc = vdb_store(imp, &adv, VDB_REPLACE_ADVISORY, err);
		goto out;
	}
	if (vdb_string_list(json_object_get(doc, "aliases"), VDB_MAX_LIST, VDB_MAX_ID, &aliases,
			    "aliases", err) < 0)
		goto out;
	adv.aliases = aliases;
	if (vdb_string_list(json_object_get(doc, "upstream"), VDB_MAX_LIST, VDB_MAX_ID, &upstream,
			    "upstream", err) < 0)
		goto out;
	adv.upstream = upstream;
	if (vdb_get_str(doc, "summary", VDB_MAX_SHORT, &adv.title, "summary", err) < 0 ||
	    vdb_get_str(doc, "details", VDB_MAX_TEXT, &adv.description, "details", err) < 0 ||
	    vdb_get_str(doc, "published", VDB_MAX_SHORT, &adv.published, "published", err) < 0 ||
	    vdb_get_str(doc, "modified", VDB_MAX_SHORT, &adv.modified, "modified", err) < 0)
		goto out;
	adv.cvss2_score = adv.cvss3_score = adv.cvss4_score = -1;
	if (vdb_get_array(doc, "severity", VDB_MAX_LIST, &severity, "severity", err) < 0 ||
	    (severity && parse_severity(&adv, severity, "severity", err) < 0))
		goto out;
	if (vdb_get_object(doc, "database_specific", &dbs, "database_specific", err) < 0)
		goto out;
	if (dbs) {
		/* free-form per database: wrong types here are ignored, not fatal */
		json_t *sev = json_object_get(dbs, "severity");
		struct brig_error ignored;

		if (json_is_string(sev) && json_string_length(sev) <= VDB_MAX_NAME)
			adv.db_severity = json_string_value(sev);
		if (vdb_string_list(json_object_get(dbs, "cwe_ids"), VDB_MAX_LIST, VDB_MAX_NAME,
				    &adv.cwes, "database_specific.cwe_ids", &ignored) < 0)
			adv.cwes = NULL;
	}
	if (vdb_get_array(doc, "references", VDB_MAX_LIST, &refs, "references", err) < 0 ||
	    parse_refs(&adv, refs, err) < 0)
		goto out;
	if (vdb_get_array(doc, "affected", VDB_MAX_AFFECTED, &affected, "affected", err) < 0)
		goto out;
	json_array_foreach(affected, i, aff) {
		size_t before = adv.n_rows;

		if (parse_affected(&adv, aff, i, owned_versions, err) < 0)
			goto out;
		/* schema 1.4 per-package severity when the record has none */
		if (!adv.cvss3 && !adv.cvss4 && !adv.cvss2 && adv.n_rows > before) {
			json_t *psev = json_object_get(aff, "severity");
			char what[48];

			if (json_is_array(psev) && json_array_size(psev) <= VDB_MAX_LIST &&
			    parse_severity(&adv, psev, FIELD(what, "affected[%zu].severity", i), err) < 0)
				goto out;
		}
	}
	/* GitHub's own page for its advisories (their first ADVISORY reference
	 * is usually NVD's); else the record's ADVISORY reference; else osv.dev */
	if (brig_str_has_prefix(adv.id, "GHSA-")) {
		fallback_url = brig_xasprintf("https://github.com/advisories/%s", adv.id);
		adv.primary_url = fallback_url;
	} else if (!adv.primary_url) {
		fallback_url = brig_xasprintf("https://osv.dev/vulnerability/%s", adv.id);
		adv.primary_url = fallback_url;
	}
	rc = vdb_store(imp, &adv, VDB_REPLACE_ADVISORY, err);
out:
	vdb_advisory_reset(&adv);
	json_decref(owned_versions);
	return rc;
}

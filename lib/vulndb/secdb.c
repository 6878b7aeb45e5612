/* Alpine secdb (https://secdb.alpinelinux.org/vX.Y/main.json) and
 * aquasecurity/vuln-list's per-package copy of it. secfixes maps the first
 * fixed package version to the ids it fixes; the key "0" lists ids that
 * never affected the branch's package, so those give no row. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "vulndb/internal.h"

#define SECDB_SOURCE "alpine-secdb"

static bool valid_branch(const char *v)
{
	const char *p = v;

	if (strcmp(v, "edge") == 0)
		return true;
	if (*p++ != 'v' || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != '.' || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0';
}

/* "CVE-2021-1234", "ALPINE-13661", "GHSA-xxxx-…": letters, a dash, then
 * id characters. secdb sometimes puts two ids (or a remark) in one string. */
static bool looks_like_id(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || n > VDB_MAX_ID)
		return false;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
		i++;
	if (i == 0 || i >= n - 1 || s[i] != '-')
		return false;
	for (; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == ':'))
			return false;
	}
	return true;
}

/* Adds version to by_id[id] for each id in the string. */
static int collect_ids(json_t *by_id, const char *text, const char *version,
		       struct brig_error *err)
{
	const char *p = text;

	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ',')
			p++;
		n = strcspn(p, " \t\n,");
		if (n && looks_like_id(p, n)) {
			_cleanup_free_ char *id = brig_xstrndup(p, n);
			json_t *list = json_object_get(by_id, id);

			if (!list) {
				if (json_object_size(by_id) >= VDB_MAX_AFFECTED)
					return brig_error_set(err, EFBIG, "more than %u ids in one package",
							      VDB_MAX_AFFECTED);
				list = json_array();
				json_object_set_new(by_id, id, list);
			}
			bool dup = false;
			json_t *v;
			size_t i;

			/* the same id twice under one version is one claim */
			json_array_foreach(list, i, v)
				dup = dup || strcmp(json_string_value(v), version) == 0;
			if (!dup && json_array_size(list) < VDB_MAX_LIST)
				json_array_append_new(list, json_string(version));
		}
		p += n;
	}
	return 0;
}

static int store_package(struct vdb_import *imp, const char *ecosystem, const char *name,
			 json_t *secfixes, const char *where, struct brig_error *err)
{
	json_t *by_id = json_object(); /* id -> [fixed versions] */
	const char *version, *id;
	json_t *ids, *versions;
	char what[VDB_MAX_VERSION + 128];
	int rc = -1;

	if (json_object_size(secfixes) > VDB_MAX_LIST) {
		brig_error_set(err, EFBIG, "%s.secfixes has more than %u versions", where, VDB_MAX_LIST);
		goto out;
	}
	json_object_foreach(secfixes, version, ids) {
		json_t *v;
		size_t i;

		snprintf(what, sizeof(what), "%s.secfixes[\"%.64s\"]", where, version);
		if (!*version || strlen(version) > VDB_MAX_VERSION) {
			brig_error_set(err, EINVAL, "%s: bad version key", what);
			goto out;
		}
		if (json_is_null(ids))
			continue;
		if (!json_is_array(ids)) {
			brig_error_set(err, EINVAL, "%s must be an array", what);
			goto out;
		}
		if (json_array_size(ids) > VDB_MAX_LIST) {
			brig_error_set(err, EFBIG, "%s has more than %u ids", what, VDB_MAX_LIST);
			goto out;
		}
		if (strcmp(version, "0") == 0)
			continue; /* never affected this branch */
		json_array_foreach(ids, i, v) {
			if (!json_is_string(v)) {
				brig_error_set(err, EINVAL, "%s[%zu] must be a string", what, i);
				goto out;
			}
			if (json_string_length(v) > VDB_MAX_SHORT) {
				brig_error_set(err, EFBIG, "%s[%zu] is longer than %u bytes", what, i,
					       VDB_MAX_SHORT);
				goto out;
			}
			if (collect_ids(by_id, json_string_value(v), version, err) < 0)
				goto out;
		}
	}
	json_object_foreach(by_id, id, versions) {
		struct vdb_advisory adv = {0};
		_cleanup_free_ char *url = brig_xasprintf("https://security.alpinelinux.org/vuln/%s", id);
		json_t *fv;
		size_t i;

		adv.source = SECDB_SOURCE;
		adv.id = id;
		adv.primary_url = url;
		adv.cvss2_score = adv.cvss3_score = adv.cvss4_score = -1;
		json_array_foreach(versions, i, fv) {
			struct vdb_row *row = vdb_add_row(&adv, err);

			if (!row) {
				vdb_advisory_reset(&adv);
				goto out;
			}
			row->ecosystem = ecosystem;
			row->package = name;
			row->range_type = BRIG_RANGE_ECOSYSTEM;
			row->events = brig_xcalloc(2, sizeof(*row->events));
			row->events[0] = (struct vdb_event){BRIG_EVENT_INTRODUCED, "0"};
			row->events[1] = (struct vdb_event){BRIG_EVENT_FIXED, json_string_value(fv)};
			row->n_events = 2;
			row->status = BRIG_VULN_FIXED;
			row->fixed = json_string_value(fv);
		}
		rc = vdb_store(imp, &adv, VDB_REPLACE_PACKAGE, err);
		vdb_advisory_reset(&adv);
		if (rc < 0)
			goto out;
		rc = -1;
	}
	rc = 0;
out:
	json_decref(by_id);
	return rc;
}

static int package_name(json_t *obj, const char *what, const char **name,
			struct brig_error *err)
{
	if (vdb_get_str(obj, "name", VDB_MAX_NAME, name, what, err) < 0)
		return -1;
	if (!*name || !**name)
		return brig_error_set(err, EINVAL, "%s is missing or empty", what);
	for (const char *p = *name; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return brig_error_set(err, EINVAL, "%s has spaces or control characters", what);
	return 0;
}

int vdb_parse_secdb(struct vdb_import *imp, json_t *doc, struct brig_error *err)
{
	const char *branch;
	_cleanup_free_ char *ecosystem = NULL;
	json_t *packages, *p, *secfixes;
	size_t i;

	if (vdb_get_str(doc, "distroversion", 32, &branch, "distroversion", err) < 0)
		return -1;
	if (!branch)
		return brig_error_set(err, EINVAL, "secdb document without distroversion");
	if (!valid_branch(branch))
		return brig_error_set(err, EINVAL,
				      "distroversion '%s' is not an Alpine branch like v3.18", branch);
	ecosystem = brig_xasprintf("Alpine:%s", branch);

	if (json_object_get(doc, "secfixes")) {
		/* vuln-list: one package per document */
		const char *name;

		if (package_name(doc, "name", &name, err) < 0 ||
		    vdb_get_object(doc, "secfixes", &secfixes, "secfixes", err) < 0)
			return -1;
		return secfixes ? store_package(imp, ecosystem, name, secfixes, name, err) : 0;
	}
	if (vdb_get_array(doc, "packages", VDB_MAX_AFFECTED, &packages, "packages", err) < 0)
		return -1;
	json_array_foreach(packages, i, p) {
		char what[64];
		const char *name;
		json_t *pkg;

		snprintf(what, sizeof(what), "packages[%zu].pkg", i);
		if (!json_is_object(p))
			return brig_error_set(err, EINVAL, "packages[%zu] must be an object", i);
		if (vdb_get_object(p, "pkg", &pkg, what, err) < 0)
			return -1;
		if (!pkg)
			return brig_error_set(err, EINVAL, "%s is missing", what);
		snprintf(what, sizeof(what), "packages[%zu].pkg.name", i);
		if (package_name(pkg, what, &name, err) < 0)
			return -1;
		snprintf(what, sizeof(what), "packages[%zu].pkg.secfixes", i);
		if (vdb_get_object(pkg, "secfixes", &secfixes, what, err) < 0)
			return -1;
		snprintf(what, sizeof(what), "packages[%zu].pkg", i);
		if (secfixes && store_package(imp, ecosystem, name, secfixes, what, err) < 0)
			return -1;
	}
	return 0;
}

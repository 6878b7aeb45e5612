/* Import: documents -> parsers -> vdb_store(). One transaction per import,
 * so that a failed import leaves the database untouched; with --keep-going
 * also one savepoint per document, so that a bad document goes whole.
 * Walking paths and zip archives is walk.c. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "vulndb/internal.h"
#include "vulndb/vulndb.h"

struct vdb_import {
	struct brig_vulndb *db;
	struct brig_vulndb_import_opts opts;
	struct brig_vulndb_import_stats *stats; /* committed documents only */
	struct brig_vulndb_import_stats doc;	/* the document in progress */
	unsigned formats;			/* bit per format, of this path */
	size_t path_documents;
	bool in_tx;
	bool savepoints; /* keep_going: one savepoint per document */
};

/* ---- JSON helpers ---- */

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

int vdb_check_str(json_t *v, size_t max, const char **out, const char *what,
		  struct brig_error *err)
{
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return brig_error_set(err, EINVAL, "%s must be a string", what);
	if (json_string_length(v) > max)
		return brig_error_set(err, EFBIG, "%s is longer than %zu bytes (%zu)", what, max,
				      json_string_length(v));
	*out = json_string_value(v);
	return 0;
}

int vdb_get_str(json_t *obj, const char *key, size_t max, const char **out, const char *what,
		struct brig_error *err)
{
	return vdb_check_str(json_object_get(obj, key), max, out, what, err);
}

int vdb_get_array(json_t *obj, const char *key, size_t max, json_t **out, const char *what,
		  struct brig_error *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return brig_error_set(err, EINVAL, "%s must be an array", what);
	if (json_array_size(v) > max)
		return brig_error_set(err, EFBIG, "%s has more than %zu items (%zu)", what, max,
				      json_array_size(v));
	*out = v;
	return 0;
}

int vdb_get_object(json_t *obj, const char *key, json_t **out, const char *what,
		   struct brig_error *err)
{
	json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return brig_error_set(err, EINVAL, "%s must be an object", what);
	*out = v;
	return 0;
}

int vdb_string_list(json_t *arr, size_t max_items, size_t max_len, json_t **out,
		    const char *what, struct brig_error *err)
{
	json_t *list, *v;
	size_t i;

	*out = NULL;
	if (!arr || json_is_null(arr))
		return 0;
	if (!json_is_array(arr))
		return brig_error_set(err, EINVAL, "%s must be an array", what);
	if (json_array_size(arr) > max_items)
		return brig_error_set(err, EFBIG, "%s has more than %zu items (%zu)", what,
				      max_items, json_array_size(arr));
	list = json_array();
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v)) {
			json_decref(list);
			return brig_error_set(err, EINVAL, "%s[%zu] must be a string", what, i);
		}
		if (json_string_length(v) > max_len || json_string_length(v) == 0 ||
		    has_control(json_string_value(v))) {
			json_decref(list);
			return brig_error_set(err, EINVAL,
					      "%s[%zu] is empty, longer than %zu bytes or has control characters",
					      what, i, max_len);
		}
		json_array_append(list, v);
	}
	*out = list;
	return 0;
}

/* ---- format detection ---- */

static bool looks_like_tracker(json_t *doc)
{
	const char *pkg, *cve;
	json_t *cves, *rec;
	size_t seen = 0;

	/* {source package: {CVE-…|TEMP-…: {releases: …}}}: look at a few */
	json_object_foreach(doc, pkg, cves) {
		if (!json_is_object(cves))
			return false;
		json_object_foreach(cves, cve, rec) {
			if (json_is_object(rec) && json_object_get(rec, "releases"))
				return true;
		}
		if (++seen == 8)
			break;
	}
	return false;
}

enum brig_vulndb_format vdb_detect(json_t *doc)
{
	if (!json_is_object(doc))
		return BRIG_VULNDB_FORMAT_AUTO;
	if (json_object_get(doc, "Header") && json_object_get(doc, "Annotations"))
		return BRIG_VULNDB_FORMAT_DEBIAN_VULN_LIST;
	if (json_object_get(doc, "packages") && json_object_get(doc, "distroversion"))
		return BRIG_VULNDB_FORMAT_ALPINE_SECDB;
	if (json_object_get(doc, "secfixes") && json_object_get(doc, "name"))
		return BRIG_VULNDB_FORMAT_ALPINE_SECDB;
	if (json_is_string(json_object_get(doc, "id")) &&
	    (json_object_get(doc, "affected") || json_object_get(doc, "modified") ||
	     json_object_get(doc, "schema_version")))
		return BRIG_VULNDB_FORMAT_OSV;
	if (looks_like_tracker(doc))
		return BRIG_VULNDB_FORMAT_DEBIAN_TRACKER;
	return BRIG_VULNDB_FORMAT_AUTO;
}

const char *vdb_format_name(enum brig_vulndb_format f)
{
	switch (f) {
	case BRIG_VULNDB_FORMAT_OSV:
		return "osv";
	case BRIG_VULNDB_FORMAT_ALPINE_SECDB:
		return "alpine-secdb";
	case BRIG_VULNDB_FORMAT_DEBIAN_TRACKER:
		return "debian-tracker";
	case BRIG_VULNDB_FORMAT_DEBIAN_VULN_LIST:
		return "debian-vuln-list";
	case BRIG_VULNDB_FORMAT_AUTO:
		break;
	}
	return "unknown";
}

/* ---- storing ---- */

struct vdb_row *vdb_add_row(struct vdb_advisory *adv, struct brig_error *err)
{
	struct vdb_row *r;

	if (adv->n_rows >= VDB_MAX_AFFECTED) {
		brig_error_set(err, EFBIG, "advisory %s has more than %u affected rows",
			       adv->id ? adv->id : "?", VDB_MAX_AFFECTED);
		return NULL;
	}
	BRIG_GROW(adv->rows, adv->cap_rows, adv->n_rows + 1);
	r = &adv->rows[adv->n_rows++];
	memset(r, 0, sizeof(*r));
	return r;
}

void vdb_advisory_reset(struct vdb_advisory *adv)
{
	for (size_t i = 0; i < adv->n_rows; i++)
		free(adv->rows[i].events);
	free(adv->rows);
	json_decref(adv->aliases);
	json_decref(adv->upstream);
	json_decref(adv->refs);
	json_decref(adv->cwes);
	memset(adv, 0, sizeof(*adv));
}

enum brig_vuln_severity vdb_severity_parse(const char *s)
{
	static const struct {
		const char *word;
		enum brig_vuln_severity sev;
	} words[] = {
		{"unimportant", BRIG_SEVERITY_NEGLIGIBLE}, {"negligible", BRIG_SEVERITY_NEGLIGIBLE},
		{"low", BRIG_SEVERITY_LOW},		    {"medium", BRIG_SEVERITY_MEDIUM},
		{"moderate", BRIG_SEVERITY_MEDIUM},	    {"high", BRIG_SEVERITY_HIGH},
		{"important", BRIG_SEVERITY_HIGH},	    {"critical", BRIG_SEVERITY_CRITICAL},
	};
	char word[32];
	size_t n;

	if (!s)
		return BRIG_SEVERITY_UNKNOWN;
	/* the tracker marks unconfirmed urgencies "high**" */
	n = strcspn(s, "*");
	if (n >= sizeof(word))
		return BRIG_SEVERITY_UNKNOWN;
	for (size_t i = 0; i < n; i++)
		word[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
	word[n] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(word, words[i].word) == 0)
			return words[i].sev;
	return BRIG_SEVERITY_UNKNOWN;
}

/* The list columns are written by hand: json_dumps()/json_pack() were a
 * tenth of the import time. Strings come from jansson, so they are valid
 * UTF-8 without NUL; only '"', '\\' and controls need escaping. */
static void enc_str(struct brig_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	struct brig_error ignored;
	const char *run = s;

	brig_buf_append(b, "\"", 1, &ignored);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		brig_buf_append(b, run, (size_t)(s - run), &ignored);
		if (c == '"' || c == '\\') {
			esc[1] = (char)c;
			brig_buf_append(b, esc, 2, &ignored);
		} else {
			brig_buf_append(b, esc, 6, &ignored);
		}
		run = s + 1;
	}
	brig_buf_append(b, run, (size_t)(s - run), &ignored);
	brig_buf_append(b, "\"", 1, &ignored);
}

/* ["a","b"] of the string items, or NULL for none */
static char *encode_strv(json_t *arr)
{
	struct brig_buf b;
	struct brig_error ignored;
	json_t *v;
	size_t i;

	if (!arr || json_array_size(arr) == 0)
		return NULL;
	brig_buf_init(&b, SIZE_MAX / 2);
	brig_buf_append(&b, "[", 1, &ignored);
	json_array_foreach(arr, i, v) {
		if (i)
			brig_buf_append(&b, ",", 1, &ignored);
		enc_str(&b, json_string_value(v));
	}
	brig_buf_append(&b, "]", 1, &ignored);
	return brig_buf_steal(&b, NULL);
}

/* [{"type":"WEB","url":"…"}] of the references that have a url */
static char *encode_refs(json_t *arr)
{
	struct brig_buf b;
	struct brig_error ignored;
	bool any = false;
	json_t *r;
	size_t i;

	if (!arr || json_array_size(arr) == 0)
		return NULL;
	brig_buf_init(&b, SIZE_MAX / 2);
	brig_buf_append(&b, "[", 1, &ignored);
	json_array_foreach(arr, i, r) {
		const char *type = json_string_value(json_object_get(r, "type"));
		const char *url = json_string_value(json_object_get(r, "url"));

		if (!url)
			continue;
		brig_buf_append(&b, any ? ",{" : "{", any ? 2 : 1, &ignored);
		if (type) {
			brig_buf_append(&b, "\"type\":", 7, &ignored);
			enc_str(&b, type);
			brig_buf_append(&b, ",", 1, &ignored);
		}
		brig_buf_append(&b, "\"url\":", 6, &ignored);
		enc_str(&b, url);
		brig_buf_append(&b, "}", 1, &ignored);
		any = true;
	}
	brig_buf_append(&b, "]", 1, &ignored);
	if (!any) {
		brig_buf_free(&b);
		return NULL;
	}
	return brig_buf_steal(&b, NULL);
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_owned(sqlite3_stmt *st, int i, char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, free);
	else
		sqlite3_bind_null(st, i);
}

static void bind_score(sqlite3_stmt *st, int i, const char *vector, double score)
{
	if (vector && score >= 0)
		sqlite3_bind_double(st, i, score);
	else
		sqlite3_bind_null(st, i);
}

static int step_done(struct vdb_import *imp, sqlite3_stmt *st, const char *what,
		     struct brig_error *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		vdb_sql_error(imp->db, err, what);
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

/* Binds the advisory columns ?2..?17 shared by INSERT and UPDATE. */
static void bind_advisory(sqlite3_stmt *st, const struct vdb_advisory *a)
{
	bind_owned(st, 2, encode_strv(a->aliases));
	bind_owned(st, 3, encode_strv(a->upstream));
	bind_text_or_null(st, 4, a->title);
	bind_text_or_null(st, 5, a->description);
	bind_text_or_null(st, 6, a->primary_url);
	bind_owned(st, 7, encode_refs(a->refs));
	bind_text_or_null(st, 8, a->published);
	bind_text_or_null(st, 9, a->modified);
	bind_text_or_null(st, 10, a->cvss2);
	bind_score(st, 11, a->cvss2, a->cvss2_score);
	bind_text_or_null(st, 12, a->cvss3);
	bind_score(st, 13, a->cvss3, a->cvss3_score);
	bind_text_or_null(st, 14, a->cvss4);
	bind_score(st, 15, a->cvss4, a->cvss4_score);
	bind_owned(st, 16, encode_strv(a->cwes));
}

static const char sql_find[] =
	"SELECT id FROM advisories WHERE source = ?1 AND advisory_id = ?2";
static const char sql_insert_adv[] =
	"INSERT INTO advisories (advisory_id, aliases, upstream, title, description, primary_url,"
	" refs, published, modified, cvss2_vector, cvss2_score, cvss3_vector, cvss3_score,"
	" cvss4_vector, cvss4_score, cwes, source)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
static const char sql_replace_adv[] =
	"UPDATE advisories SET aliases = ?2, upstream = ?3, title = ?4, description = ?5,"
	" primary_url = ?6, refs = ?7, published = ?8, modified = ?9, cvss2_vector = ?10,"
	" cvss2_score = ?11, cvss3_vector = ?12, cvss3_score = ?13, cvss4_vector = ?14,"
	" cvss4_score = ?15, cwes = ?16 WHERE id = ?17 AND advisory_id = ?1";
/* several documents speak about one CVE: keep what the others said */
static const char sql_merge_adv[] =
	"UPDATE advisories SET aliases = coalesce(?2, aliases), upstream = coalesce(?3, upstream),"
	" title = coalesce(?4, title), description = coalesce(?5, description),"
	" primary_url = coalesce(?6, primary_url), refs = coalesce(?7, refs),"
	" published = coalesce(?8, published), modified = coalesce(?9, modified),"
	" cvss2_vector = coalesce(?10, cvss2_vector), cvss2_score = coalesce(?11, cvss2_score),"
	" cvss3_vector = coalesce(?12, cvss3_vector), cvss3_score = coalesce(?13, cvss3_score),"
	" cvss4_vector = coalesce(?14, cvss4_vector), cvss4_score = coalesce(?15, cvss4_score),"
	" cwes = coalesce(?16, cwes) WHERE id = ?17 AND advisory_id = ?1";
static const char sql_delete_adv[] = "DELETE FROM advisories WHERE id = ?1";
/* An advisory's rows occupy the rowid block [id << 20, (id + 1) << 20): its
 * rows are found, replaced and deleted through the table's own B-tree,
 * with no index to maintain during a bulk load (docs/db.md). */
static const char sql_delete_rows[] = "DELETE FROM affected WHERE rowid BETWEEN ?1 AND ?2";
static const char sql_delete_pkg_rows[] =
	"DELETE FROM affected WHERE rowid BETWEEN ?1 AND ?2 AND ecosystem = ?3 AND package = ?4";
static const char sql_last_row[] = "SELECT max(rowid) FROM affected WHERE rowid BETWEEN ?1 AND ?2";
static const char sql_insert_row[] =
	"INSERT INTO affected (rowid, advisory, ecosystem, package, range_type, events, versions, grp,"
	" status, fixed, fix_from_unstable, severity, severity_source, severity_raw, note)"
	" VALUES (?15, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

#define ROW_BITS 20
#define ROW_BLOCK ((sqlite3_int64)1 << ROW_BITS)

static const char *const event_names[] = {"introduced", "fixed", "last_affected", "limit"};

static char *encode_events(const struct vdb_row *r)
{
	struct brig_buf b;
	struct brig_error ignored;

	brig_buf_init(&b, SIZE_MAX / 2);
	brig_buf_append(&b, "[", 1, &ignored);
	for (size_t i = 0; i < r->n_events; i++) {
		brig_buf_appendf(&b, &ignored, "%s{\"%s\":", i ? "," : "",
				 event_names[r->events[i].type]);
		enc_str(&b, r->events[i].version);
		brig_buf_append(&b, "}", 1, &ignored);
	}
	brig_buf_append(&b, "]", 1, &ignored);
	return brig_buf_steal(&b, NULL);
}

/* The row's normalized severity: its own (Debian urgency), else the
 * advisory's database_specific.severity, else CVSS v3, v4, v2. */
static void row_severity(const struct vdb_advisory *a, const struct vdb_row *r,
			 enum brig_vuln_severity *sev, const char **source, const char **raw)
{
	*raw = r->severity_raw;
	*sev = r->severity;
	*source = r->severity_source;
	if (*sev != BRIG_SEVERITY_UNKNOWN)
		return;
	if (a->db_severity && vdb_severity_parse(a->db_severity) != BRIG_SEVERITY_UNKNOWN) {
		*sev = vdb_severity_parse(a->db_severity);
		*source = "osv-database-specific";
		if (!*raw)
			*raw = a->db_severity;
	} else if (a->cvss3 && a->cvss3_score > 0) {
		*sev = brig_vuln_severity_from_score(a->cvss3_score);
		*source = "cvss-v3";
	} else if (a->cvss4 && a->cvss4_score > 0) {
		*sev = brig_vuln_severity_from_score(a->cvss4_score);
		*source = "cvss-v4";
	} else if (a->cvss2 && a->cvss2_score > 0) {
		*sev = brig_vuln_severity_from_score(a->cvss2_score);
		*source = "cvss-v2";
	} else {
		*source = NULL;
	}
}

static int insert_row(struct vdb_import *imp, sqlite3_int64 adv_id, sqlite3_int64 rowid,
		      const struct vdb_advisory *a, const struct vdb_row *r, struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(imp->db, sql_insert_row, err);
	enum brig_vuln_severity sev;
	const char *sev_source, *sev_raw;

	if (!st)
		return -1;
	row_severity(a, r, &sev, &sev_source, &sev_raw);
	sqlite3_bind_int64(st, 1, adv_id);
	sqlite3_bind_text(st, 2, r->ecosystem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r->package, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, brig_range_type_name(r->range_type), -1, SQLITE_STATIC);
	bind_owned(st, 5, encode_events(r));
	bind_owned(st, 6, encode_strv(r->versions));
	sqlite3_bind_int(st, 7, r->group);
	sqlite3_bind_text(st, 8, brig_vuln_status_name(r->status), -1, SQLITE_STATIC);
	bind_text_or_null(st, 9, r->fixed);
	sqlite3_bind_int(st, 10, r->fix_from_unstable);
	sqlite3_bind_text(st, 11, brig_vuln_severity_name(sev), -1, SQLITE_STATIC);
	bind_text_or_null(st, 12, sev_source);
	bind_text_or_null(st, 13, sev_raw);
	bind_text_or_null(st, 14, r->note);
	sqlite3_bind_int64(st, 15, rowid);
	if (step_done(imp, st, "writing an affected row", err) < 0)
		return -1;
	imp->doc.ranges++;
	return 0;
}

static int find_advisory(struct vdb_import *imp, const struct vdb_advisory *a,
			 sqlite3_int64 *id, struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(imp->db, sql_find, err);
	int rc;

	*id = 0;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, a->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE) {
		vdb_sql_error(imp->db, err, "looking up an advisory");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

static int exec_id(struct vdb_import *imp, const char *sql, sqlite3_int64 id,
		   struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(imp->db, sql, err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return step_done(imp, st, "deleting old rows", err);
}

static int delete_rows(struct vdb_import *imp, sqlite3_int64 id, struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(imp->db, sql_delete_rows, err);

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id << ROW_BITS);
	sqlite3_bind_int64(st, 2, ((id + 1) << ROW_BITS) - 1);
	return step_done(imp, st, "deleting old rows", err);
}

/* The next free row number in the advisory's block (0 when it has none). */
static int next_row(struct vdb_import *imp, sqlite3_int64 id, sqlite3_int64 *next,
		    struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(imp->db, sql_last_row, err);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id << ROW_BITS);
	sqlite3_bind_int64(st, 2, ((id + 1) << ROW_BITS) - 1);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		vdb_sql_error(imp->db, err, "reading an advisory's rows");
		sqlite3_reset(st);
		return -1;
	}
	*next = sqlite3_column_type(st, 0) == SQLITE_NULL
			? 0
			: sqlite3_column_int64(st, 0) - (id << ROW_BITS) + 1;
	sqlite3_reset(st);
	return 0;
}

int vdb_store(struct vdb_import *imp, struct vdb_advisory *a, enum vdb_replace mode,
	      struct brig_error *err)
{
	sqlite3_int64 id, next = 0;
	sqlite3_stmt *st;

	if (!a->id || !*a->id || strlen(a->id) > VDB_MAX_ID || has_control(a->id))
		return brig_error_set(err, EINVAL, "advisory without a usable id");
	if (find_advisory(imp, a, &id, err) < 0)
		return -1;
	if (a->withdrawn || (mode == VDB_REPLACE_ADVISORY && a->n_rows == 0)) {
		/* withdrawn, or nothing brig can match on: forget what we had */
		if (a->withdrawn)
			imp->doc.withdrawn++;
		if (id && (delete_rows(imp, id, err) < 0 || exec_id(imp, sql_delete_adv, id, err) < 0))
			return -1;
		return 0;
	}
	if (mode == VDB_REPLACE_PACKAGE && a->n_rows == 0)
		return 0;
	if (id) {
		if (mode == VDB_REPLACE_ADVISORY) {
			if (delete_rows(imp, id, err) < 0)
				return -1;
		} else {
			for (size_t i = 0; i < a->n_rows; i++) {
				bool dup = false;

				/* each (ecosystem, package) once */
				for (size_t j = 0; j < i && !dup; j++)
					dup = strcmp(a->rows[j].ecosystem, a->rows[i].ecosystem) == 0 &&
					      strcmp(a->rows[j].package, a->rows[i].package) == 0;
				if (dup)
					continue;
				st = vdb_stmt(imp->db, sql_delete_pkg_rows, err);
				if (!st)
					return -1;
				sqlite3_bind_int64(st, 1, id << ROW_BITS);
				sqlite3_bind_int64(st, 2, ((id + 1) << ROW_BITS) - 1);
				sqlite3_bind_text(st, 3, a->rows[i].ecosystem, -1, SQLITE_STATIC);
				sqlite3_bind_text(st, 4, a->rows[i].package, -1, SQLITE_STATIC);
				if (step_done(imp, st, "deleting old rows", err) < 0)
					return -1;
			}
			/* other packages' rows stay: append after them */
			if (next_row(imp, id, &next, err) < 0)
				return -1;
			if (next + (sqlite3_int64)a->n_rows > ROW_BLOCK)
				return brig_error_set(err, EFBIG,
						      "advisory %s has been re-imported into this database too "
						      "often to add more rows; rebuild it with 'brig db update' "
						      "or a fresh 'brig db import'",
						      a->id);
		}
		st = vdb_stmt(imp->db, mode == VDB_REPLACE_ADVISORY ? sql_replace_adv : sql_merge_adv,
			      err);
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
		bind_advisory(st, a);
		sqlite3_bind_int64(st, 17, id);
		if (step_done(imp, st, "updating an advisory", err) < 0)
			return -1;
	} else {
		st = vdb_stmt(imp->db, sql_insert_adv, err);
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
		bind_advisory(st, a);
		sqlite3_bind_text(st, 17, a->source, -1, SQLITE_STATIC);
		if (step_done(imp, st, "writing an advisory", err) < 0)
			return -1;
		id = sqlite3_last_insert_rowid(vdb_handle(imp->db));
		if (id <= 0 || id >= ((sqlite3_int64)1 << (62 - ROW_BITS)))
			return brig_error_set(err, EOVERFLOW, "advisory row id %lld out of range",
					      (long long)id);
	}
	/* n_rows <= VDB_MAX_AFFECTED < ROW_BLOCK */
	for (size_t i = 0; i < a->n_rows; i++)
		if (insert_row(imp, id, (id << ROW_BITS) + next + (sqlite3_int64)i, a, &a->rows[i],
			       err) < 0)
			return -1;
	imp->doc.advisories++;
	return 0;
}

/* ---- sessions ---- */

struct vdb_import *vdb_import_new(struct brig_vulndb *db, const struct brig_vulndb_import_opts *opts,
				  struct brig_vulndb_import_stats *stats)
{
	struct vdb_import *imp = brig_xcalloc(1, sizeof(*imp));

	imp->db = db;
	if (opts)
		imp->opts = *opts;
	imp->stats = stats;
	return imp;
}

void vdb_import_free(struct vdb_import *imp)
{
	if (!imp)
		return;
	if (imp->in_tx) {
		vdb_build_failed(imp->db);
		sqlite3_exec(vdb_handle(imp->db), "ROLLBACK", NULL, NULL, NULL);
	}
	free(imp);
}

int vdb_import_begin(struct vdb_import *imp, struct brig_error *err)
{
	imp->savepoints = imp->opts.keep_going;
	if (imp->savepoints) {
		/* a build runs without a journal, and ROLLBACK TO needs one */
		sqlite3_stmt *st;
		bool off = false;

		if (sqlite3_prepare_v2(vdb_handle(imp->db), "PRAGMA journal_mode", -1, &st, NULL) ==
		    SQLITE_OK) {
			if (sqlite3_step(st) == SQLITE_ROW)
				off = strcmp((const char *)sqlite3_column_text(st, 0), "off") == 0;
			sqlite3_finalize(st);
		}
		if (off && vdb_exec(imp->db, "PRAGMA journal_mode = MEMORY", err) < 0)
			return -1;
	}
	if (vdb_exec(imp->db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	imp->in_tx = true;
	return 0;
}

int vdb_import_finish(struct vdb_import *imp, bool commit, struct brig_error *err)
{
	char now[32];

	if (!imp->in_tx)
		return 0;
	if (!commit) {
		imp->in_tx = false;
		/* without a journal (a build) the rollback cannot be trusted:
		 * the build must be thrown away */
		vdb_build_failed(imp->db);
		return vdb_exec(imp->db, "ROLLBACK", err);
	}
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	if (brig_vulndb_meta_set(imp->db, "built_at", now, err) < 0 ||
	    vdb_exec(imp->db, "COMMIT", err) < 0) {
		sqlite3_exec(vdb_handle(imp->db), "ROLLBACK", NULL, NULL, NULL);
		imp->in_tx = false;
		return -1;
	}
	imp->in_tx = false;
	return 0;
}

static void stats_add(struct brig_vulndb_import_stats *to, const struct brig_vulndb_import_stats *d)
{
	to->documents += d->documents;
	to->advisories += d->advisories;
	to->ranges += d->ranges;
	to->withdrawn += d->withdrawn;
	to->rejected += d->rejected;
	to->ignored += d->ignored;
}

struct tracker_stream {
	struct vdb_import *imp;
};

static int tracker_member(void *ctx, const char *key, json_t *value, struct brig_error *err)
{
	struct tracker_stream *ts = ctx;

	return vdb_parse_tracker_package(ts->imp, key, value, err);
}

/* Savepoint statements are prepared once: sqlite3_exec() would parse them
 * for each of an all.zip's 100k documents. */
static const char sql_savepoint[] = "SAVEPOINT doc";
static const char sql_rollback_to[] = "ROLLBACK TO doc";
static const char sql_release[] = "RELEASE doc";

static int exec_cached(struct vdb_import *imp, const char *sql, struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(imp->db, sql, err);

	if (!st)
		return -1;
	return step_done(imp, st, sql, err);
}

int vdb_process_doc(struct vdb_import *imp, const char *name, json_t *doc, const char *raw,
		    size_t raw_len, const char *load_error, enum brig_vulndb_format format,
		    struct brig_error *err)
{
	int rc;

	memset(&imp->doc, 0, sizeof(imp->doc));
	imp->doc.documents = 1;
	if (imp->savepoints && exec_cached(imp, sql_savepoint, err) < 0)
		return -1;
	if (load_error) {
		rc = brig_error_set(err, EINVAL, "%s", load_error);
	} else if (!doc) {
		/* only the tracker's bulk file is this large: one package at a time */
		struct tracker_stream ts = {imp};

		if (format != BRIG_VULNDB_FORMAT_AUTO && format != BRIG_VULNDB_FORMAT_DEBIAN_TRACKER)
			rc = brig_error_set(err, EFBIG, "document larger than %u bytes",
					    BRIG_MAX_JSON_DOC);
		else if ((rc = vdb_json_each_member(raw, raw_len, tracker_member, &ts, err)) < 0)
			brig_error_prefix(err, "document larger than %u bytes, so read as Debian "
					       "tracker bulk JSON (the only format allowed that large)",
					  BRIG_MAX_JSON_DOC);
		format = BRIG_VULNDB_FORMAT_DEBIAN_TRACKER;
	} else {
		if (format == BRIG_VULNDB_FORMAT_AUTO)
			format = vdb_detect(doc);
		switch (format) {
		case BRIG_VULNDB_FORMAT_OSV:
			rc = vdb_parse_osv(imp, doc, err);
			break;
		case BRIG_VULNDB_FORMAT_ALPINE_SECDB:
			rc = vdb_parse_secdb(imp, doc, err);
			break;
		case BRIG_VULNDB_FORMAT_DEBIAN_TRACKER:
			rc = vdb_parse_tracker(imp, doc, err);
			break;
		case BRIG_VULNDB_FORMAT_DEBIAN_VULN_LIST:
			rc = vdb_parse_vuln_list_debian(imp, doc, err);
			break;
		default:
			rc = brig_error_set(err, EINVAL,
					    "not a recognized advisory document (OSV record, Alpine "
					    "secdb, Debian security tracker JSON or vuln-list-debian "
					    "record)");
			break;
		}
	}
	if (rc < 0) {
		struct brig_error rb_err;

		brig_error_prefix(err, "%s", name);
		if (!imp->opts.keep_going)
			return -1; /* the caller rolls the whole import back */
		if (exec_cached(imp, sql_rollback_to, &rb_err) < 0 ||
		    exec_cached(imp, sql_release, &rb_err) < 0) {
			*err = rb_err;
			return -1;
		}
		brig_warn("skipping %s", err->msg);
		brig_error_clear(err);
		imp->stats->rejected++;
		imp->stats->documents++;
		return 0;
	}
	if (imp->savepoints && exec_cached(imp, sql_release, err) < 0)
		return -1;
	imp->formats |= 1u << format;
	imp->path_documents++;
	stats_add(imp->stats, &imp->doc);
	return 0;
}

/* Loads (when small enough) and processes one document. */
static int process_buffer(struct vdb_import *imp, const char *name, const char *data, size_t len,
			  enum brig_vulndb_format format, struct brig_error *err)
{
	char msg[256];
	json_error_t jerr;
	json_t *doc;
	int rc;

	if (len > BRIG_MAX_JSON_DOC)
		return vdb_process_doc(imp, name, NULL, data, len, NULL, format, err);
	doc = json_loadb(data, len, 0, &jerr);
	if (!doc)
		snprintf(msg, sizeof(msg), "invalid JSON at line %d column %d: %s", jerr.line,
			 jerr.column, jerr.text);
	rc = vdb_process_doc(imp, name, doc, NULL, 0, doc ? NULL : msg, format, err);
	json_decref(doc);
	return rc;
}

void vdb_path_begin(struct vdb_import *imp)
{
	imp->formats = 0;
	imp->path_documents = 0;
}

void vdb_import_ignored(struct vdb_import *imp, size_t n)
{
	imp->stats->ignored += n;
}

int vdb_record_feed(struct vdb_import *imp, const char *location, struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(imp->db,
				    "INSERT INTO feeds (location, formats, documents, imported_at)"
				    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (location) DO UPDATE SET"
				    " formats = excluded.formats, documents = excluded.documents,"
				    " imported_at = excluded.imported_at",
				    err);
	char formats[128] = "";
	size_t used = 0;

	if (!st)
		return -1;
	for (int f = BRIG_VULNDB_FORMAT_OSV; f <= BRIG_VULNDB_FORMAT_DEBIAN_VULN_LIST; f++)
		if (imp->formats & (1u << f))
			used += (size_t)snprintf(formats + used, sizeof(formats) - used, "%s%s",
						 used ? "," : "",
						 vdb_format_name((enum brig_vulndb_format)f));
	sqlite3_bind_text(st, 1, location, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, formats, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)imp->path_documents);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	return step_done(imp, st, "recording the feed", err);
}

int brig_vulndb_import_paths(struct brig_vulndb *db, const char *const *paths, size_t n_paths,
			     const struct brig_vulndb_import_opts *opts,
			     struct brig_vulndb_import_stats *stats, struct brig_error *err)
{
	struct brig_vulndb_import_stats local = {0};
	struct vdb_import *imp;
	char **abs = brig_xcalloc(n_paths + 1, sizeof(char *));
	int rc;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	/* feeds are recorded by absolute path: 'db info' is read later */
	for (size_t i = 0; i < n_paths; i++) {
		abs[i] = realpath(paths[i], NULL);
		if (!abs[i])
			abs[i] = brig_xstrdup(paths[i]);
	}
	imp = vdb_import_new(db, opts, stats);
	rc = vdb_import_begin(imp, err);
	if (rc == 0)
		rc = vdb_import_run(imp, paths, (const char *const *)abs, n_paths, err);
	if (rc == 0)
		rc = vdb_import_finish(imp, true, err);
	else
		vdb_import_finish(imp, false, NULL);
	vdb_import_free(imp);
	for (size_t i = 0; i < n_paths; i++)
		free(abs[i]);
	free(abs);
	return rc;
}

int brig_vulndb_import_buffer(struct brig_vulndb *db, const char *name, const void *data,
			      size_t len, enum brig_vulndb_format format,
			      struct brig_vulndb_import_stats *stats, struct brig_error *err)
{
	struct brig_vulndb_import_stats local = {0};
	struct vdb_import *imp;
	int rc;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (len > BRIG_VULNDB_MAX_FEED_FILE)
		return brig_error_set(err, EFBIG, "%s is larger than %llu bytes", name,
				      BRIG_VULNDB_MAX_FEED_FILE);
	imp = vdb_import_new(db, NULL, stats);
	if (vdb_import_begin(imp, err) < 0) {
		vdb_import_free(imp);
		return -1;
	}
	vdb_path_begin(imp);
	rc = process_buffer(imp, name, data, len, format, err);
	if (rc == 0)
		rc = vdb_record_feed(imp, name, err);
	if (rc == 0)
		rc = vdb_import_finish(imp, true, err);
	else
		vdb_import_finish(imp, false, NULL);
	vdb_import_free(imp);
	return rc;
}

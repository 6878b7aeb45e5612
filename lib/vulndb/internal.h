/* Shared between the vulndb translation units; not part of the API. */
#ifndef BRIG_VULNDB_INTERNAL_H
#define BRIG_VULNDB_INTERNAL_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "vulndb/vulndb.h"

/* Bounds on one advisory (hostile feeds): larger is rejected, never cut,
 * since a truncated version list would hide affected versions. */
#define VDB_MAX_ID 256u		  /* advisory ids, aliases */
#define VDB_MAX_NAME 1024u	  /* ecosystem, package name */
#define VDB_MAX_VERSION 1024u	  /* one version string */
#define VDB_MAX_SHORT 4096u	  /* summary, urls, dates, severity strings */
#define VDB_MAX_TEXT (1u << 20)	  /* details / description */
#define VDB_MAX_LIST 4096u	  /* aliases, references, events of one range */
#define VDB_MAX_VERSIONS 100000u  /* explicit versions of one affected entry */
#define VDB_MAX_AFFECTED 100000u  /* rows from one advisory */
#define VDB_MAX_TRACKER_ITEMS 10000000u /* packages x CVEs x releases in a bulk file */
#define VDB_MAX_ZIP_ENTRIES (4u << 20)

/* How a stored advisory replaces what the database already holds. */
enum vdb_replace {
	/* OSV: a record is complete; its old rows all go. */
	VDB_REPLACE_ADVISORY,
	/* secdb / tracker: a document speaks for some (ecosystem, package)
	 * pairs of a CVE; only those rows go, the advisory's text is merged. */
	VDB_REPLACE_PACKAGE,
};

struct vdb_event {
	enum brig_event_type type;
	const char *version;
};

/* One row to write. Strings are borrowed (from the JSON tree or the
 * parser's scratch) until vdb_store() returns. */
struct vdb_row {
	const char *ecosystem;
	const char *package;
	enum brig_range_type range_type;
	struct vdb_event *events;
	size_t n_events;
	json_t *versions; /* array of strings or NULL; borrowed */
	int group;
	enum brig_vuln_status status;
	const char *fixed;
	bool fix_from_unstable;
	enum brig_vuln_severity severity;
	const char *severity_source;
	const char *severity_raw;
	const char *note;
};

struct vdb_advisory {
	const char *source;
	const char *id;
	json_t *aliases;  /* array of strings or NULL; borrowed */
	json_t *upstream; /* array of strings or NULL */
	const char *title;
	const char *description;
	const char *primary_url;
	json_t *refs; /* array of {type,url} or NULL */
	const char *published;
	const char *modified;
	const char *cvss2, *cvss3, *cvss4;
	double cvss2_score, cvss3_score, cvss4_score; /* < 0 unknown */
	json_t *cwes;
	const char *db_severity; /* database_specific.severity */
	struct vdb_row *rows;
	size_t n_rows, cap_rows;
	bool withdrawn;
};

struct vdb_import;

/* Writes (or replaces, or for withdrawn records deletes) one advisory. */
int vdb_store(struct vdb_import *imp, struct vdb_advisory *adv, enum vdb_replace mode,
	      struct brig_error *err);
struct vdb_row *vdb_add_row(struct vdb_advisory *adv, struct brig_error *err);
void vdb_advisory_reset(struct vdb_advisory *adv);

/* Format parsers: one document (a parsed JSON tree), rows go to vdb_store. */
int vdb_parse_osv(struct vdb_import *imp, json_t *doc, struct brig_error *err);
int vdb_parse_secdb(struct vdb_import *imp, json_t *doc, struct brig_error *err);
int vdb_parse_tracker(struct vdb_import *imp, json_t *doc, struct brig_error *err);
/* One package of the bulk tracker JSON ({CVE: {releases…}}). */
int vdb_parse_tracker_package(struct vdb_import *imp, const char *package, json_t *cves,
			      struct brig_error *err);
int vdb_parse_vuln_list_debian(struct vdb_import *imp, json_t *doc, struct brig_error *err);

/* Which parser a document wants, from its shape. */
enum brig_vulndb_format vdb_detect(json_t *doc);
const char *vdb_format_name(enum brig_vulndb_format f);

/* Walks the members of a top-level JSON object without parsing the whole
 * text: each member's value (at most BRIG_MAX_JSON_DOC) is parsed alone.
 * For feeds too large to hold as one tree. */
typedef int (*vdb_member_cb)(void *ctx, const char *key, json_t *value, struct brig_error *err);
int vdb_json_each_member(const char *data, size_t len, vdb_member_cb cb, void *ctx,
			 struct brig_error *err);

/* JSON helpers: NULL/absent -> *out NULL; wrong type or longer than max -> error
 * naming the field. */
int vdb_get_str(json_t *obj, const char *key, size_t max, const char **out, const char *what,
		struct brig_error *err);
int vdb_check_str(json_t *v, size_t max, const char **out, const char *what,
		  struct brig_error *err);
/* Array (or absent -> NULL), at most max items. */
int vdb_get_array(json_t *obj, const char *key, size_t max, json_t **out, const char *what,
		  struct brig_error *err);
int vdb_get_object(json_t *obj, const char *key, json_t **out, const char *what,
		   struct brig_error *err);
/* A new array of the string items of arr (all must be strings <= max). */
int vdb_string_list(json_t *arr, size_t max_items, size_t max_len, json_t **out,
		    const char *what, struct brig_error *err);

/* An import session: begin, run over paths (walk.c), finish. */
struct vdb_import *vdb_import_new(struct brig_vulndb *db, const struct brig_vulndb_import_opts *opts,
				  struct brig_vulndb_import_stats *stats);
int vdb_import_begin(struct vdb_import *imp, struct brig_error *err);
/* Imports every document below paths[i], recording each as feed
 * locations[i]. A reader thread walks, inflates and parses JSON while the
 * calling thread validates and writes (SQLite stays on one thread). */
int vdb_import_run(struct vdb_import *imp, const char *const *paths,
		   const char *const *locations, size_t n, struct brig_error *err);
int vdb_import_finish(struct vdb_import *imp, bool commit, struct brig_error *err);
void vdb_import_free(struct vdb_import *imp);
/* One document: a parsed tree, or raw text too large for one tree, or the
 * reason it could not be loaded. Failure policy (keep_going) applies. */
int vdb_process_doc(struct vdb_import *imp, const char *name, json_t *doc, const char *raw,
		    size_t raw_len, const char *load_error, enum brig_vulndb_format format,
		    struct brig_error *err);
void vdb_path_begin(struct vdb_import *imp);
int vdb_record_feed(struct vdb_import *imp, const char *location, struct brig_error *err);
void vdb_import_ignored(struct vdb_import *imp, size_t n);

/* Database internals shared with import.c. */
sqlite3 *vdb_handle(struct brig_vulndb *db);
int vdb_sql_error(struct brig_vulndb *db, struct brig_error *err, const char *what);
int vdb_exec(struct brig_vulndb *db, const char *sql, struct brig_error *err);
/* Cached prepared statement for sql (a string literal: cached by address). */
sqlite3_stmt *vdb_stmt(struct brig_vulndb *db, const char *sql, struct brig_error *err);

enum brig_vuln_severity vdb_severity_parse(const char *s);
/* A failed import into a build: build_commit must refuse it. */
void vdb_build_failed(struct brig_vulndb *db);

#endif

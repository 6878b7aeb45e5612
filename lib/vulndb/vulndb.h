/* The vulnerability database: one SQLite file built from advisory feeds
 * (OSV, Alpine secdb, Debian security tracker) and queried by the matcher
 * one (ecosystem, package) at a time. Schema and precedence rules:
 * docs/db.md. A struct brig_vulndb is not thread-safe: one per thread. */
#ifndef BRIG_VULNDB_VULNDB_H
#define BRIG_VULNDB_VULNDB_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/error.h"

/* Bumped whenever the schema changes; a file with another version is
 * refused (rebuild it with 'brig db update' or 'brig db import'). */
#define BRIG_VULNDB_SCHEMA_VERSION 2

/* A feed file larger than BRIG_MAX_JSON_DOC is only accepted in the Debian
 * tracker's bulk form, which is read one package at a time; this caps it
 * (the real file is ~80 MiB). */
#define BRIG_VULNDB_MAX_FEED_FILE (1024ull << 20)

struct brig_vulndb;

enum brig_range_type {
	BRIG_RANGE_NONE,      /* no range: only explicit versions (or a status row) */
	BRIG_RANGE_SEMVER,    /* OSV SEMVER: compare with SemVer 2.0 */
	BRIG_RANGE_ECOSYSTEM, /* the ecosystem's own order: dpkg, apk, npm semver */
};

enum brig_event_type {
	BRIG_EVENT_INTRODUCED,
	BRIG_EVENT_FIXED,
	BRIG_EVENT_LAST_AFFECTED,
	BRIG_EVENT_LIMIT,
};

struct brig_range_event {
	enum brig_event_type type;
	const char *version; /* "0" for introduced means "from the start" */
};

/* What the feed says about the package in this row. OSV rows are
 * FIXED when their range has a fixed event, else AFFECTED; tracker rows
 * carry the tracker's own verdict. Only AFFECTED, FIXED, WILL_NOT_FIX,
 * FIX_DEFERRED, END_OF_LIFE and UNDETERMINED rows have events meaning
 * "versions in range are vulnerable"; NOT_AFFECTED rows have no events. */
enum brig_vuln_status {
	BRIG_VULN_AFFECTED,	/* open / unfixed: no fixed version yet */
	BRIG_VULN_FIXED,	/* fixed in fixed_version */
	BRIG_VULN_NOT_AFFECTED, /* tracker: <not-affected>, fixed_version "0" */
	BRIG_VULN_WILL_NOT_FIX, /* tracker: <ignored>, nodsa_reason "ignored" */
	BRIG_VULN_FIX_DEFERRED, /* tracker: <postponed>, nodsa_reason "postponed" */
	BRIG_VULN_END_OF_LIFE,	/* tracker: <end-of-life>, urgency "end-of-life" */
	BRIG_VULN_UNDETERMINED, /* tracker: undetermined */
};

enum brig_vuln_severity {
	BRIG_SEVERITY_UNKNOWN,
	BRIG_SEVERITY_NEGLIGIBLE, /* Debian "unimportant" */
	BRIG_SEVERITY_LOW,
	BRIG_SEVERITY_MEDIUM,
	BRIG_SEVERITY_HIGH,
	BRIG_SEVERITY_CRITICAL,
};

struct brig_advisory_ref {
	const char *type; /* OSV reference type: ADVISORY, WEB, FIX, PACKAGE, ... */
	const char *url;
};

struct brig_cvss {
	const char *vector; /* NULL when the advisory has none of this version */
	double score;	    /* score; < 0 when unknown (no vector, or a malformed one) */
};

/* One affected row: one range of one package of one advisory. Every
 * pointer is valid only during the callback; copy what you keep. */
struct brig_advisory_range {
	/* the advisory */
	const char *source; /* "osv", "alpine-secdb", "debian-tracker" */
	const char *id;	    /* GHSA-…, DEBIAN-CVE-…, DSA-…, CVE-…, ALPINE-… */
	const char *const *aliases; /* OSV aliases (e.g. the CVE of a GHSA) */
	size_t n_aliases;
	const char *const *upstream; /* OSV upstream ids (DEBIAN-CVE-x → CVE-x) */
	size_t n_upstream;
	const char *title;	 /* OSV summary, DSA title; may be NULL */
	const char *description; /* OSV details, tracker description; may be NULL */
	const char *primary_url; /* the advisory's own page; may be NULL */
	const struct brig_advisory_ref *refs;
	size_t n_refs;
	const char *published; /* RFC 3339 as given; may be NULL */
	const char *modified;
	struct brig_cvss cvss_v2, cvss_v3, cvss_v4;
	const char *const *cwes; /* database_specific.cwe_ids */
	size_t n_cwes;

	/* the row */
	const char *ecosystem; /* "Debian:12", "Alpine:v3.18", "npm" */
	const char *package;   /* source package for Debian/Alpine */
	enum brig_range_type range_type;
	const struct brig_range_event *events; /* in feed order */
	size_t n_events;
	/* Explicit affected versions of an OSV affected[] entry, stored once on
	 * the entry's first row: a version listed here is affected whatever the
	 * ranges say. */
	const char *const *versions;
	size_t n_versions;
	int group; /* index of the OSV affected[] entry; rows of one entry share it */
	enum brig_vuln_status status;
	/* The range's fixed version (its last fixed event), the tracker's
	 * fixed_version or the secdb fix; NULL when there is none. */
	const char *fixed_version;
	/* Debian tracker: the release had no line of its own, so the fix is the
	 * one in unstable (sid) and may not be available in this release. */
	bool fix_from_unstable;
	/* Normalized severity for this row and where it came from:
	 * "debian-urgency", "osv-ecosystem-specific", "osv-database-specific",
	 * "cvss-v3", "cvss-v4", "cvss-v2", or NULL (unknown). */
	enum brig_vuln_severity severity;
	const char *severity_source;
	const char *severity_raw; /* as the feed spelled it: "unimportant", "MODERATE" */
	const char *note;	  /* tracker remark: "Minor issue", "no-dsa"; may be NULL */
};

/* Returns 0 to go on; any other value stops the lookup, which returns it. */
typedef int (*brig_vulndb_cb)(void *ctx, const struct brig_advisory_range *r);

/* The default file: $XDG_CACHE_HOME/brig/db/brig.db, else
 * $HOME/.cache/brig/db/brig.db. Returns a malloc'ed path. */
int brig_vulndb_default_path(char **out, struct brig_error *err);

/* create=false opens read-only and fails with "no vulnerability database at
 * PATH; run 'brig db import' or 'brig db update'" when the file is absent.
 * create=true opens read-write, creating the file, its parent directories
 * and the schema as needed. ":memory:" gives a private in-memory database. */
int brig_vulndb_open(const char *path, bool create, struct brig_vulndb **db,
		     struct brig_error *err);
void brig_vulndb_close(struct brig_vulndb *db);
const char *brig_vulndb_path(const struct brig_vulndb *db);

/* When the content was last built, or confirmed current by 'brig db update'
 * (every feed answered 304); 0 when never. */
time_t brig_vulndb_built_at(const struct brig_vulndb *db);

/* Every row for (ecosystem, package) through one indexed query: grouped by
 * advisory (in the order advisories were first imported), each advisory's
 * rows in feed order. Returns 0, the callback's non-zero value, or -1 with
 * err. */
int brig_vulndb_lookup(struct brig_vulndb *db, const char *ecosystem, const char *package,
		       brig_vulndb_cb cb, void *ctx, struct brig_error *err);

/* Called first with the row's identity and range decoded (source, id,
 * aliases, upstream and every row field) and the advisory's text still
 * empty (title, description, primary_url, refs, published, modified, cvss,
 * cwes); false skips the row, true decodes the text and calls cb. A
 * matcher rejects most rows on their versions alone, so the text of
 * unaffected rows is never decoded. */
typedef bool (*brig_vulndb_want)(void *ctx, const struct brig_advisory_range *r);

/* brig_vulndb_lookup with a filter in front of cb (want may be NULL). */
int brig_vulndb_lookup_filtered(struct brig_vulndb *db, const char *ecosystem,
				const char *package, brig_vulndb_want want, brig_vulndb_cb cb,
				void *ctx, struct brig_error *err);

/* Lookups between begin and end read one snapshot under one shared lock,
 * instead of taking and dropping the file lock (several fcntl and stat
 * calls) around each of them. end is a no-op without begin; close ends it
 * too. */
int brig_vulndb_read_begin(struct brig_vulndb *db, struct brig_error *err);
void brig_vulndb_read_end(struct brig_vulndb *db);

/* ---- import ---- */

enum brig_vulndb_format {
	BRIG_VULNDB_FORMAT_AUTO,	     /* recognize by content */
	BRIG_VULNDB_FORMAT_OSV,		     /* one OSV record */
	BRIG_VULNDB_FORMAT_ALPINE_SECDB,     /* secdb branch file or vuln-list per-package file */
	BRIG_VULNDB_FORMAT_DEBIAN_TRACKER,   /* tracker bulk JSON */
	BRIG_VULNDB_FORMAT_DEBIAN_VULN_LIST, /* vuln-list-debian CVE/DSA record */
};

struct brig_vulndb_import_opts {
	/* Skip (and count) documents that fail to parse instead of failing the
	 * whole import; a failed import changes nothing. */
	bool keep_going;
};

struct brig_vulndb_import_stats {
	size_t documents;  /* JSON documents (files, zip entries) read */
	size_t advisories; /* advisory records written (inserted or replaced) */
	size_t ranges;	   /* affected rows written */
	size_t withdrawn;  /* withdrawn OSV records (removed if present) */
	size_t rejected;   /* documents skipped with keep_going */
	size_t ignored;	   /* non-JSON files inside directories and zips */
};

/* Imports files, directories (recursively, *.json and *.zip) and zip
 * archives, recognizing each document by content, in one transaction:
 * either everything is imported or nothing changes. Re-importing an
 * advisory replaces it (upsert by source and advisory id). */
int brig_vulndb_import_paths(struct brig_vulndb *db, const char *const *paths, size_t n_paths,
			     const struct brig_vulndb_import_opts *opts,
			     struct brig_vulndb_import_stats *stats, struct brig_error *err);

/* Imports one in-memory document (name is used in messages and as the
 * feed location), in its own transaction. */
int brig_vulndb_import_buffer(struct brig_vulndb *db, const char *name, const void *data,
			      size_t len, enum brig_vulndb_format format,
			      struct brig_vulndb_import_stats *stats, struct brig_error *err);

/* ---- build-then-rename (used by 'brig db import' on a new file and by
 * 'brig db update') ---- */

/* Opens a new empty database in a temporary file beside final_path, with
 * SQLite tuned for bulk loading (no journal, no fsync until commit). */
int brig_vulndb_build_begin(const char *final_path, struct brig_vulndb **db,
			    struct brig_error *err);
/* Creates the lookup index (deferred during the build), fsyncs and renames
 * the temporary file over final_path, then closes db. Refused when an
 * import into db failed (a build has no journal to roll back with). On
 * failure the temporary file is removed and db closed. */
int brig_vulndb_build_commit(struct brig_vulndb *db, struct brig_error *err);
/* brig_vulndb_close() on an uncommitted build removes the temporary file. */

/* ---- information ---- */

struct brig_vulndb_count {
	const char *source;
	const char *ecosystem;
	size_t advisories; /* distinct advisories with a row in the ecosystem */
	size_t ranges;	   /* rows */
};

struct brig_vulndb_feed {
	const char *location; /* path or URL as given */
	const char *formats;  /* "osv,alpine-secdb" */
	size_t documents;
	time_t imported_at;
};

struct brig_vulndb_info {
	int schema_version;
	time_t built_at;
	struct brig_vulndb_feed *feeds;
	size_t n_feeds;
	struct brig_vulndb_count *counts; /* sorted by ecosystem, source */
	size_t n_counts;
	size_t advisories; /* total distinct advisories */
	size_t ranges;	   /* total rows */
};

int brig_vulndb_get_info(struct brig_vulndb *db, struct brig_vulndb_info *info,
			 struct brig_error *err);
void brig_vulndb_info_free(struct brig_vulndb_info *info);

/* Rows and distinct advisories for one (source, ecosystem); either may be
 * NULL for "all". */
int brig_vulndb_count(struct brig_vulndb *db, const char *source, const char *ecosystem,
		      size_t *advisories, size_t *ranges, struct brig_error *err);

/* Meta key/value strings (schema_version, built_at, feed ETags …). *value
 * is malloc'ed, NULL when the key is absent. */
int brig_vulndb_meta_get(struct brig_vulndb *db, const char *key, char **value,
			 struct brig_error *err);
int brig_vulndb_meta_set(struct brig_vulndb *db, const char *key, const char *value,
			 struct brig_error *err);

/* ---- update ---- */

struct brig_vulndb_update_opts {
	const char *const *urls; /* feeds: http(s):// or file:// */
	size_t n_urls;
	/* Where downloaded feeds are kept between runs so that a 304 can reuse
	 * them; default: "<db dir>/feeds". */
	const char *cache_dir;
	long timeout_seconds; /* per feed; 0 = 600 */
};

struct brig_vulndb_update_result {
	size_t downloaded; /* feeds that answered 200 */
	size_t unchanged;  /* feeds that answered 304 */
	bool rebuilt;	   /* a new database replaced the old one */
	struct brig_vulndb_import_stats stats;
};

/* Downloads the feeds with conditional requests (ETag / Last-Modified kept
 * in the meta table), and when any changed (or the database is missing)
 * builds a new database from all of them beside db_path and renames it
 * over the old one. */
int brig_vulndb_update(const char *db_path, const struct brig_vulndb_update_opts *opts,
		       struct brig_vulndb_update_result *res, struct brig_error *err);

/* Feed URLs: list (comma-separated, e.g. --source) if non-NULL, else
 * $BRIG_DB_SOURCES, else $XDG_CONFIG_HOME/brig/feeds (one URL per line,
 * '#' comments), else osv.dev's Debian, Alpine and npm all.zip. */
int brig_vulndb_feed_urls(const char *list, char ***urls, size_t *n_urls,
			  struct brig_error *err);
void brig_vulndb_free_strv(char **v, size_t n);

/* ---- CVSS ---- */

/* Base score of a CVSS v3.0/v3.1 vector ("CVSS:3.1/AV:N/..."; the prefix
 * may be omitted), per the v3.1 specification including its Roundup. */
int brig_cvss3_base_score(const char *vector, double *score, struct brig_error *err);
/* Base score of a CVSS v2 vector ("AV:N/AC:L/Au:N/C:P/I:P/A:P"). */
int brig_cvss2_base_score(const char *vector, double *score, struct brig_error *err);
/* Score of a CVSS v4.0 vector ("CVSS:4.0/AV:N/..."), per the v4.0
 * specification's MacroVector method: CVSS-B for a base vector, CVSS-BT /
 * -BE / -BTE when it carries threat or environmental metrics. */
int brig_cvss4_base_score(const char *vector, double *score, struct brig_error *err);
/* CVSS qualitative rating: 0 none (UNKNOWN), <4 LOW, <7 MEDIUM, <9 HIGH, else CRITICAL. */
enum brig_vuln_severity brig_vuln_severity_from_score(double score);

const char *brig_vuln_severity_name(enum brig_vuln_severity s);	/* "unknown", "negligible", … */
const char *brig_vuln_status_name(enum brig_vuln_status s); /* "affected", "fixed", … */
const char *brig_range_type_name(enum brig_range_type t);	/* "NONE", "SEMVER", "ECOSYSTEM" */

#endif

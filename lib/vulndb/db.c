/* The SQLite side: opening, schema, lookup, info, build-then-rename.
 * Schema and its rationale: docs/db.md. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/dynlib.h"
#include "core/limits.h"
#include "core/xalloc.h"
#include "vulndb/internal.h"
#include "vulndb/vulndb.h"

#define VDB_MAX_STMTS 32

struct row_scratch;
static void scratch_free(struct row_scratch *s);

struct brig_vulndb {
	sqlite3 *h;
	char *path;	/* as the user named it (final path for builds) */
	char *tmp_path; /* build in progress: the file SQLite writes */
	bool readonly;
	bool in_lookup;
	bool in_read; /* brig_vulndb_read_begin's transaction is open */
	struct row_scratch *scratch; /* the lookup's decode buffers */
	bool build_failed; /* an import into this build failed: never commit it */
	time_t built_at;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} stmts[VDB_MAX_STMTS];
	size_t n_stmts;
};

/* Lists are JSON arrays so that the file stays readable with the sqlite3
 * shell; the lookup decodes them per row (a package has few rows). */
static const char schema_sql[] =
	"CREATE TABLE meta (\n"
	"  key TEXT PRIMARY KEY,\n"
	"  value TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE feeds (\n"
	"  location TEXT PRIMARY KEY,\n"
	"  formats TEXT NOT NULL,\n"
	"  documents INTEGER NOT NULL,\n"
	"  imported_at INTEGER NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE advisories (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  source TEXT NOT NULL,\n"
	"  advisory_id TEXT NOT NULL,\n"
	"  aliases TEXT,\n"
	"  upstream TEXT,\n"
	"  title TEXT,\n"
	"  description TEXT,\n"
	"  primary_url TEXT,\n"
	"  refs TEXT,\n"
	"  published TEXT,\n"
	"  modified TEXT,\n"
	"  cvss2_vector TEXT, cvss2_score REAL,\n"
	"  cvss3_vector TEXT, cvss3_score REAL,\n"
	"  cvss4_vector TEXT, cvss4_score REAL,\n"
	"  cwes TEXT,\n"
	"  UNIQUE (source, advisory_id)\n"
	");\n"
	"CREATE TABLE affected (\n"
	"  advisory INTEGER NOT NULL REFERENCES advisories (id),\n"
	"  ecosystem TEXT NOT NULL,\n"
	"  package TEXT NOT NULL,\n"
	"  range_type TEXT NOT NULL,\n"
	"  events TEXT NOT NULL,\n"
	"  versions TEXT,\n"
	"  grp INTEGER NOT NULL,\n"
	"  status TEXT NOT NULL,\n"
	"  fixed TEXT,\n"
	"  fix_from_unstable INTEGER NOT NULL,\n"
	"  severity TEXT NOT NULL,\n"
	"  severity_source TEXT,\n"
	"  severity_raw TEXT,\n"
	"  note TEXT\n"
	");\n"
	"CREATE INDEX affected_by_package ON affected (ecosystem, package);\n";

/* Builds create it once at the end: maintaining it row by row (random text
 * keys) was a seventh of a 100k-record import. */
static const char package_index_sql[] =
	"CREATE INDEX IF NOT EXISTS affected_by_package ON affected (ecosystem, package)";

void vdb_build_failed(struct brig_vulndb *db)
{
	if (db->tmp_path)
		db->build_failed = true;
}

sqlite3 *vdb_handle(struct brig_vulndb *db)
{
	return db->h;
}

int vdb_sql_error(struct brig_vulndb *db, struct brig_error *err, const char *what)
{
	int code = sqlite3_errcode(db->h);
	const char *msg = sqlite3_errmsg(db->h);

	if (code == SQLITE_NOTADB)
		return brig_error_set(err, EINVAL, "%s is not a brig vulnerability database (%s)",
				      db->path, msg);
	if (code == SQLITE_FULL)
		return brig_error_set(err, ENOSPC, "%s: %s: %s", db->path, what, msg);
	if (code == SQLITE_READONLY)
		return brig_error_set(err, EROFS, "%s: %s: %s", db->path, what, msg);
	return brig_error_set(err, EIO, "%s: %s: %s", db->path, what, msg);
}

int vdb_exec(struct brig_vulndb *db, const char *sql, struct brig_error *err)
{
	if (sqlite3_exec(db->h, sql, NULL, NULL, NULL) != SQLITE_OK)
		return vdb_sql_error(db, err, sql);
	return 0;
}

sqlite3_stmt *vdb_stmt(struct brig_vulndb *db, const char *sql, struct brig_error *err)
{
	sqlite3_stmt *st;

	for (size_t i = 0; i < db->n_stmts; i++)
		if (db->stmts[i].sql == sql) {
			sqlite3_reset(db->stmts[i].st);
			sqlite3_clear_bindings(db->stmts[i].st);
			return db->stmts[i].st;
		}
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		vdb_sql_error(db, err, "preparing a statement");
		return NULL;
	}
	if (db->n_stmts == VDB_MAX_STMTS) {
		/* a programming error (more distinct statements than slots) */
		sqlite3_finalize(st);
		brig_error_set(err, EINVAL, "internal: vulndb statement cache full");
		return NULL;
	}
	db->stmts[db->n_stmts].sql = sql;
	db->stmts[db->n_stmts].st = st;
	db->n_stmts++;
	return st;
}

/* mkdir -p of the directory holding path */
static int make_parent_dirs(const char *path, struct brig_error *err)
{
	_cleanup_free_ char *dir = brig_xstrdup(path);
	char *slash = strrchr(dir, '/');

	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return brig_error_errno(err, errno, "cannot create directory %s", dir);
		*p = '/';
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return brig_error_errno(err, errno, "cannot create directory %s", dir);
	return 0;
}

int brig_vulndb_default_path(char **out, struct brig_error *err)
{
	const char *cache = getenv("XDG_CACHE_HOME");
	const char *home;

	*out = NULL;
	/* XDG base directory spec: a relative value is invalid and ignored */
	if (cache && cache[0] == '/') {
		*out = brig_xasprintf("%s/brig/db/brig.db", cache);
		return 0;
	}
	home = getenv("HOME");
	if (!home || home[0] != '/') {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || home[0] != '/')
		return brig_error_set(err, ENOENT,
				      "cannot find the cache directory: set XDG_CACHE_HOME or HOME, or pass --db PATH");
	*out = brig_xasprintf("%s/.cache/brig/db/brig.db", home);
	return 0;
}

static int meta_get_locked(struct brig_vulndb *db, const char *key, char **value,
			   struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(db, "SELECT value FROM meta WHERE key = ?1", err);
	int rc;

	*value = NULL;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		*value = brig_xstrdup(v ? v : "");
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE) {
		free(*value);
		*value = NULL;
		vdb_sql_error(db, err, "reading meta");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return 0;
}

int brig_vulndb_meta_get(struct brig_vulndb *db, const char *key, char **value,
			 struct brig_error *err)
{
	return meta_get_locked(db, key, value, err);
}

int brig_vulndb_meta_set(struct brig_vulndb *db, const char *key, const char *value,
			 struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(
		db, "INSERT INTO meta (key, value) VALUES (?1, ?2) "
		    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		err);

	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		vdb_sql_error(db, err, "writing meta");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (strcmp(key, "built_at") == 0)
		db->built_at = (time_t)strtoll(value, NULL, 10);
	return 0;
}

/* Creates the schema in an empty file or checks the version of an existing
 * one; reads built_at. */
static int check_schema(struct brig_vulndb *db, bool create, struct brig_error *err)
{
	sqlite3_stmt *st = NULL;
	_cleanup_free_ char *version = NULL;
	_cleanup_free_ char *built = NULL;
	int rc, has_meta;

	rc = sqlite3_prepare_v2(db->h, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return vdb_sql_error(db, err, "reading the schema");
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return vdb_sql_error(db, err, "reading the schema");
	}
	has_meta = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!has_meta) {
		char now[32];

		if (!create)
			return brig_error_set(err, EINVAL,
					      "%s is not a brig vulnerability database (no meta table); "
					      "run 'brig db import' or 'brig db update'",
					      db->path);
		snprintf(now, sizeof(now), "%d", BRIG_VULNDB_SCHEMA_VERSION);
		if (vdb_exec(db, "BEGIN IMMEDIATE", err) < 0)
			return -1;
		if (vdb_exec(db, schema_sql, err) < 0 ||
		    brig_vulndb_meta_set(db, "schema_version", now, err) < 0) {
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
		if (brig_vulndb_meta_set(db, "created_at", now, err) < 0 ||
		    vdb_exec(db, "COMMIT", err) < 0) {
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
		db->built_at = 0;
		return 0;
	}
	if (meta_get_locked(db, "schema_version", &version, err) < 0)
		return -1;
	if (!version || atoi(version) != BRIG_VULNDB_SCHEMA_VERSION)
		return brig_error_set(err, EINVAL,
				      "%s has database schema %s, this brig needs %d; rebuild it with "
				      "'brig db update' (or remove it and run 'brig db import')",
				      db->path, version ? version : "(none)",
				      BRIG_VULNDB_SCHEMA_VERSION);
	if (meta_get_locked(db, "built_at", &built, err) < 0)
		return -1;
	db->built_at = built ? (time_t)strtoll(built, NULL, 10) : 0;
	return 0;
}

/* Before SQLite's first use in the process. Memory statistics take a
 * global mutex on every allocation, and brig never reads them; handles are
 * never shared between threads (vulndb.h), so their mutexes go too. */
static void configure_sqlite(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
}

static int open_handle(struct brig_vulndb *db, const char *file, bool create,
		       struct brig_error *err)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;

	pthread_once(&configured, configure_sqlite);

	flags |= SQLITE_OPEN_NOMUTEX; /* one handle per thread (vulndb.h) */
	if (sqlite3_open_v2(file, &db->h, flags, NULL) != SQLITE_OK) {
		if (!db->h)
			return brig_error_set(err, ENOMEM, "%s: cannot open: out of memory", db->path);
		return vdb_sql_error(db, err, "cannot open");
	}
	sqlite3_extended_result_codes(db->h, 0);
	/* a scan may read while an import commits */
	sqlite3_busy_timeout(db->h, 10000);
	/* no ATTACH or load_extension from anything stored in the file */
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, (int *)NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
	sqlite3_limit(db->h, SQLITE_LIMIT_ATTACHED, 0);
	return 0;
}

int brig_vulndb_open(const char *path, bool create, struct brig_vulndb **out,
		     struct brig_error *err)
{
	struct brig_vulndb *db;
	bool memory = strcmp(path, ":memory:") == 0;
	struct stat st;

	*out = NULL;
	if (brig_libsqlite_load(err) < 0)
		return -1;
	if (!memory && stat(path, &st) < 0) {
		if (errno != ENOENT)
			return brig_error_errno(err, errno, "cannot open vulnerability database %s",
						path);
		if (!create)
			return brig_error_set(err, ENOENT,
					      "no vulnerability database at %s; run 'brig db import' or "
					      "'brig db update'",
					      path);
		if (make_parent_dirs(path, err) < 0)
			return -1;
	} else if (!memory && !S_ISREG(st.st_mode)) {
		return brig_error_set(err, EINVAL, "vulnerability database %s is not a regular file",
				      path);
	}
	db = brig_xcalloc(1, sizeof(*db));
	db->path = brig_xstrdup(path);
	db->readonly = !create;
	if (open_handle(db, path, create, err) < 0 || check_schema(db, create, err) < 0) {
		brig_vulndb_close(db);
		return -1;
	}
	if (create) {
		/* In place: keep the rollback journal so that a failed import
		 * rolls back; a larger cache makes the bulk upserts cheaper. */
		sqlite3_exec(db->h, "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY", NULL,
			     NULL, NULL);
	} else {
		/* A scan does thousands of small random lookups: map the file
		 * instead of a pread() per page, and keep what it touched. Only
		 * pages actually read count towards memory. */
		sqlite3_exec(db->h, "PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -32768", NULL,
			     NULL, NULL);
	}
	*out = db;
	return 0;
}

const char *brig_vulndb_path(const struct brig_vulndb *db)
{
	return db->path;
}

time_t brig_vulndb_built_at(const struct brig_vulndb *db)
{
	return db->built_at;
}

void brig_vulndb_close(struct brig_vulndb *db)
{
	if (!db)
		return;
	brig_vulndb_read_end(db);
	scratch_free(db->scratch);
	for (size_t i = 0; i < db->n_stmts; i++)
		sqlite3_finalize(db->stmts[i].st);
	if (db->h)
		sqlite3_close_v2(db->h);
	if (db->tmp_path) {
		/* an uncommitted build never replaces anything */
		unlink(db->tmp_path);
		free(db->tmp_path);
	}
	free(db->path);
	free(db);
}

int brig_vulndb_build_begin(const char *final_path, struct brig_vulndb **out,
			    struct brig_error *err)
{
	struct brig_vulndb *db;
	_cleanup_free_ char *tmp = NULL;
	int fd;

	*out = NULL;
	if (brig_libsqlite_load(err) < 0)
		return -1;
	if (make_parent_dirs(final_path, err) < 0)
		return -1;
	/* same directory as the target: rename() must not cross filesystems */
	tmp = brig_xasprintf("%s.tmp-XXXXXX", final_path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return brig_error_errno(err, errno, "cannot create a temporary database beside %s",
					final_path);
	close(fd);
	db = brig_xcalloc(1, sizeof(*db));
	db->path = brig_xstrdup(final_path);
	db->tmp_path = steal_pointer(&tmp);
	if (open_handle(db, db->tmp_path, true, err) < 0) {
		brig_vulndb_close(db);
		return -1;
	}
	/* A build is thrown away on any failure, so it needs no journal and
	 * no fsync until the end (build_commit syncs once). An import with
	 * keep_going switches to an in-memory journal for its savepoints. */
	if (vdb_exec(db,
		     "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
		     "PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -131072; "
		     "PRAGMA temp_store = MEMORY",
		     err) < 0 ||
	    check_schema(db, true, err) < 0 ||
	    vdb_exec(db, "DROP INDEX affected_by_package", err) < 0) {
		brig_vulndb_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

static int fsync_path(const char *path, int flags, struct brig_error *err)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return brig_error_errno(err, errno, "cannot open %s", path);
	if (fsync(fd) < 0 && errno != EINVAL) {
		int e = errno;

		close(fd);
		return brig_error_errno(err, e, "cannot sync %s", path);
	}
	close(fd);
	return 0;
}

int brig_vulndb_build_commit(struct brig_vulndb *db, struct brig_error *err)
{
	_cleanup_free_ char *dir = NULL;
	char *slash;
	int rc = 0;

	if (!db->tmp_path) {
		brig_vulndb_close(db);
		return brig_error_set(err, EINVAL, "internal: %s is not a build", db->path);
	}
	if (db->build_failed) {
		brig_vulndb_close(db);
		return brig_error_set(err, EINVAL,
				      "%s: an import into the new database failed; not replacing the old one",
				      db->path);
	}
	if (vdb_exec(db, package_index_sql, err) < 0) {
		brig_vulndb_close(db);
		return -1;
	}
	/* sqlite3_close flushes everything it has buffered */
	for (size_t i = 0; i < db->n_stmts; i++)
		sqlite3_finalize(db->stmts[i].st);
	db->n_stmts = 0;
	if (sqlite3_close(db->h) != SQLITE_OK) {
		rc = brig_error_set(err, EIO, "%s: cannot close the new database: %s", db->path,
				    sqlite3_errmsg(db->h));
		sqlite3_close_v2(db->h);
		db->h = NULL;
		brig_vulndb_close(db);
		return rc;
	}
	db->h = NULL;
	if (fsync_path(db->tmp_path, O_RDONLY, err) < 0) {
		brig_vulndb_close(db);
		return -1;
	}
	if (chmod(db->tmp_path, 0644) < 0) {
		rc = brig_error_errno(err, errno, "cannot chmod %s", db->tmp_path);
		brig_vulndb_close(db);
		return rc;
	}
	if (rename(db->tmp_path, db->path) < 0) {
		rc = brig_error_errno(err, errno, "cannot rename %s to %s", db->tmp_path, db->path);
		brig_vulndb_close(db);
		return rc;
	}
	free(db->tmp_path);
	db->tmp_path = NULL;
	/* make the rename itself durable */
	dir = brig_xstrdup(db->path);
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	rc = fsync_path(slash ? dir : ".", O_RDONLY | O_DIRECTORY, err);
	brig_vulndb_close(db);
	return rc;
}

/* ---- lookup ---- */

static const char lookup_sql[] =
	"SELECT a.source, a.advisory_id, a.aliases, a.upstream, a.title, a.description,"
	" a.primary_url, a.refs, a.published, a.modified, a.cvss2_vector, a.cvss2_score,"
	" a.cvss3_vector, a.cvss3_score, a.cvss4_vector, a.cvss4_score, a.cwes,"
	" f.ecosystem, f.package, f.range_type, f.events, f.versions, f.grp, f.status, f.fixed,"
	" f.fix_from_unstable, f.severity, f.severity_source, f.severity_raw, f.note"
	" FROM affected AS f JOIN advisories AS a ON a.id = f.advisory"
	" WHERE f.ecosystem = ?1 AND f.package = ?2"
	" ORDER BY f.rowid";

enum {
	L_SOURCE, L_ID, L_ALIASES, L_UPSTREAM, L_TITLE, L_DESC, L_URL, L_REFS, L_PUBLISHED,
	L_MODIFIED, L_CVSS2, L_CVSS2_SCORE, L_CVSS3, L_CVSS3_SCORE, L_CVSS4, L_CVSS4_SCORE,
	L_CWES, L_ECO, L_PKG, L_RANGE, L_EVENTS, L_VERSIONS, L_GRP, L_STATUS, L_FIXED,
	L_FROM_UNSTABLE, L_SEVERITY, L_SEV_SOURCE, L_SEV_RAW, L_NOTE,
};

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static double col_score(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, i);
}

/* Decoded list columns of the current row. The buffers live as long as
 * the handle and only grow, so a lookup of thousands of rows allocates
 * almost nothing; jansson trees are the rare fallback (escaped text). */
struct flat_slot {
	char *arena;	  /* unescaped strings, NUL-separated */
	const char **str; /* into arena */
	int *obj;	  /* index of the object each string sits in, -1 outside */
	size_t arena_cap, cap;
};

enum { SLOT_ALIASES, SLOT_UPSTREAM, SLOT_REFS, SLOT_CWES, SLOT_EVENTS, SLOT_VERSIONS, N_SLOTS };

struct row_scratch {
	struct flat_slot flat[N_SLOTS];
	json_t *trees[N_SLOTS];
	const char **strv[N_SLOTS];
	struct brig_advisory_ref *refs;
	struct brig_range_event *events;
	size_t refs_cap, events_cap;
};

static void scratch_reset(struct row_scratch *s)
{
	for (size_t i = 0; i < N_SLOTS; i++) {
		json_decref(s->trees[i]);
		s->trees[i] = NULL;
		free(s->strv[i]);
		s->strv[i] = NULL;
	}
}

static void scratch_free(struct row_scratch *s)
{
	if (!s)
		return;
	scratch_reset(s);
	for (size_t i = 0; i < N_SLOTS; i++) {
		free(s->flat[i].arena);
		free(s->flat[i].str);
		free(s->flat[i].obj);
	}
	free(s->refs);
	free(s->events);
	free(s);
}

/* The list columns are brig's own compact JSON: arrays of strings or of
 * flat string-valued objects. When a column holds no escape (nearly
 * always), its strings are copied out in one pass instead of building a
 * jansson tree per column per row, which dominated lookups. Returns false
 * when the text is anything else (the caller then uses jansson); *objects
 * tells whether any string sat inside an object. */
static bool flat_strings(const char *text, struct flat_slot *f, size_t *n, bool *objects)
{
	size_t len = strlen(text), k = 0;
	int depth_obj = -1;
	char *out;

	if (text[0] != '[')
		return false;
	BRIG_GROW(f->arena, f->arena_cap, len + 1);
	out = f->arena;
	for (const char *p = text; *p; p++) {
		size_t span;

		switch (*p) {
		case '{':
			depth_obj++;
			break;
		case '"':
			span = strcspn(p + 1, "\"\\");
			if (p[1 + span] != '"')
				return false; /* an escape, or unterminated */
			if (k == f->cap) {
				f->cap = f->cap ? 2 * f->cap : 16;
				f->str = brig_xrealloc(f->str, f->cap * sizeof(*f->str));
				f->obj = brig_xrealloc(f->obj, f->cap * sizeof(*f->obj));
			}
			memcpy(out, p + 1, span);
			out[span] = '\0';
			f->obj[k] = depth_obj;
			f->str[k++] = out;
			out += span + 1;
			p += span + 1;
			break;
		case '[': case ']': case '}': case ',': case ':': case ' ':
			break;
		default:
			return false; /* numbers, literals: not one of ours */
		}
	}
	*n = k;
	*objects = depth_obj >= 0;
	return true;
}

static json_t *decode_json(const char *text)
{
	if (!text)
		return NULL;
	return json_loads(text, 0, NULL);
}

static const char *const *decode_strv(const char *text, struct row_scratch *s, int slot,
				      size_t *n)
{
	bool objects;
	json_t *arr;
	size_t i, k = 0;
	json_t *v;

	*n = 0;
	if (!text)
		return NULL;
	if (flat_strings(text, &s->flat[slot], n, &objects) && !objects)
		return s->flat[slot].str;
	*n = 0;
	arr = s->trees[slot] = decode_json(text);
	if (!json_is_array(arr))
		return NULL;
	s->strv[slot] = brig_xcalloc(json_array_size(arr) + 1, sizeof(char *));
	json_array_foreach(arr, i, v)
		if (json_is_string(v))
			s->strv[slot][k++] = json_string_value(v);
	*n = k;
	return s->strv[slot];
}

static enum brig_range_type range_type_parse(const char *s)
{
	if (s && strcmp(s, "SEMVER") == 0)
		return BRIG_RANGE_SEMVER;
	if (s && strcmp(s, "ECOSYSTEM") == 0)
		return BRIG_RANGE_ECOSYSTEM;
	return BRIG_RANGE_NONE;
}

static enum brig_vuln_status status_parse(const char *s)
{
	for (int i = BRIG_VULN_AFFECTED; i <= BRIG_VULN_UNDETERMINED; i++)
		if (s && strcmp(s, brig_vuln_status_name((enum brig_vuln_status)i)) == 0)
			return (enum brig_vuln_status)i;
	return BRIG_VULN_AFFECTED;
}

static enum brig_vuln_severity severity_name_parse(const char *s)
{
	for (int i = BRIG_SEVERITY_UNKNOWN; i <= BRIG_SEVERITY_CRITICAL; i++)
		if (s && strcmp(s, brig_vuln_severity_name((enum brig_vuln_severity)i)) == 0)
			return (enum brig_vuln_severity)i;
	return BRIG_SEVERITY_UNKNOWN;
}

static const char *const event_keys[] = {"introduced", "fixed", "last_affected", "limit"};

static int event_type(const char *key)
{
	for (int t = 0; t < 4; t++)
		if (strcmp(key, event_keys[t]) == 0)
			return t;
	return -1;
}

static void push_event(struct row_scratch *s, struct brig_advisory_range *r, int type,
		       const char *version)
{
	BRIG_GROW(s->events, s->events_cap, r->n_events + 1);
	s->events[r->n_events].type = (enum brig_event_type)type;
	s->events[r->n_events++].version = version;
}

/* [{"introduced":"0"},{"fixed":"1.2"}] as in OSV: one-key objects */
static void decode_events(const char *text, struct brig_advisory_range *r, struct row_scratch *s)
{
	struct flat_slot *f = &s->flat[SLOT_EVENTS];
	json_t *arr, *v;
	size_t n = 0, i;
	bool flat_ok, objects;

	r->n_events = 0;
	r->events = NULL;
	if (!text)
		return;
	flat_ok = flat_strings(text, f, &n, &objects) && n % 2 == 0;
	for (i = 0; flat_ok && i + 1 < n; i += 2) {
		int t = event_type(f->str[i]);

		if (t < 0 || f->obj[i] != f->obj[i + 1])
			flat_ok = false;
		else
			push_event(s, r, t, f->str[i + 1]);
	}
	if (!flat_ok) {
		r->n_events = 0;
		arr = s->trees[SLOT_EVENTS] = decode_json(text);
		if (json_is_array(arr))
			json_array_foreach(arr, i, v) {
				const char *key;
				json_t *ver;

				json_object_foreach(v, key, ver) {
					int t = event_type(key);

					if (t >= 0 && json_is_string(ver)) {
						push_event(s, r, t, json_string_value(ver));
						break;
					}
				}
			}
	}
	r->events = s->events;
}

static void push_ref(struct row_scratch *s, struct brig_advisory_range *r, const char *type,
		     const char *url)
{
	if (!url)
		return; /* only references with a url, in order */
	BRIG_GROW(s->refs, s->refs_cap, r->n_refs + 1);
	s->refs[r->n_refs].type = type;
	s->refs[r->n_refs++].url = url;
}

/* [{"type":"WEB","url":"…"},…]: pairs grouped by object */
static void decode_refs(const char *text, struct brig_advisory_range *r, struct row_scratch *s)
{
	struct flat_slot *f = &s->flat[SLOT_REFS];
	json_t *arr, *v;
	size_t n = 0, i;
	bool flat_ok, objects;

	r->n_refs = 0;
	r->refs = NULL;
	if (!text)
		return;
	flat_ok = flat_strings(text, f, &n, &objects) && n % 2 == 0;
	for (i = 0; flat_ok && i < n; i += 2)
		flat_ok = f->obj[i] >= 0 && f->obj[i + 1] == f->obj[i] &&
			  (i == 0 || f->obj[i] >= f->obj[i - 1]);
	if (flat_ok) {
		for (i = 0; i < n;) {
			const char *type = NULL, *url = NULL;
			int o = f->obj[i];

			for (; i < n && f->obj[i] == o; i += 2) {
				if (strcmp(f->str[i], "type") == 0)
					type = f->str[i + 1];
				else if (strcmp(f->str[i], "url") == 0)
					url = f->str[i + 1];
			}
			push_ref(s, r, type, url);
		}
	} else {
		arr = s->trees[SLOT_REFS] = decode_json(text);
		if (json_is_array(arr))
			json_array_foreach(arr, i, v)
				push_ref(s, r, json_string_value(json_object_get(v, "type")),
					 json_string_value(json_object_get(v, "url")));
	}
	r->refs = s->refs;
}

/* What a matcher needs to decide on a row: the advisory's identity and
 * the range. The advisory's text is left empty (decode_text). */
static void decode_range(sqlite3_stmt *st, struct brig_advisory_range *r, struct row_scratch *s)
{
	memset(r, 0, sizeof(*r));
	r->cvss_v2.score = r->cvss_v3.score = r->cvss_v4.score = -1.0;
	r->source = col_text(st, L_SOURCE);
	r->id = col_text(st, L_ID);
	r->aliases = decode_strv(col_text(st, L_ALIASES), s, SLOT_ALIASES, &r->n_aliases);
	r->upstream = decode_strv(col_text(st, L_UPSTREAM), s, SLOT_UPSTREAM, &r->n_upstream);
	r->ecosystem = col_text(st, L_ECO);
	r->package = col_text(st, L_PKG);
	r->range_type = range_type_parse(col_text(st, L_RANGE));
	decode_events(col_text(st, L_EVENTS), r, s);
	r->versions = decode_strv(col_text(st, L_VERSIONS), s, SLOT_VERSIONS, &r->n_versions);
	r->group = sqlite3_column_int(st, L_GRP);
	r->status = status_parse(col_text(st, L_STATUS));
	r->fixed_version = col_text(st, L_FIXED);
	r->fix_from_unstable = sqlite3_column_int(st, L_FROM_UNSTABLE) != 0;
	r->severity = severity_name_parse(col_text(st, L_SEVERITY));
	r->severity_source = col_text(st, L_SEV_SOURCE);
	r->severity_raw = col_text(st, L_SEV_RAW);
	r->note = col_text(st, L_NOTE);
}

static void decode_text(sqlite3_stmt *st, struct brig_advisory_range *r, struct row_scratch *s)
{
	r->title = col_text(st, L_TITLE);
	r->description = col_text(st, L_DESC);
	r->primary_url = col_text(st, L_URL);
	decode_refs(col_text(st, L_REFS), r, s);
	r->published = col_text(st, L_PUBLISHED);
	r->modified = col_text(st, L_MODIFIED);
	r->cvss_v2.vector = col_text(st, L_CVSS2);
	r->cvss_v2.score = col_score(st, L_CVSS2_SCORE);
	r->cvss_v3.vector = col_text(st, L_CVSS3);
	r->cvss_v3.score = col_score(st, L_CVSS3_SCORE);
	r->cvss_v4.vector = col_text(st, L_CVSS4);
	r->cvss_v4.score = col_score(st, L_CVSS4_SCORE);
	r->cwes = decode_strv(col_text(st, L_CWES), s, SLOT_CWES, &r->n_cwes);
}

int brig_vulndb_lookup_filtered(struct brig_vulndb *db, const char *ecosystem,
				const char *package, brig_vulndb_want want, brig_vulndb_cb cb,
				void *ctx, struct brig_error *err)
{
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (db->in_lookup)
		return brig_error_set(err, EBUSY,
				      "brig_vulndb_lookup called from its own callback");
	st = vdb_stmt(db, lookup_sql, err);
	if (!st)
		return -1;
	if (!db->scratch)
		db->scratch = brig_xcalloc(1, sizeof(*db->scratch));
	sqlite3_bind_text(st, 1, ecosystem, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, package, -1, SQLITE_STATIC);
	db->in_lookup = true;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct brig_advisory_range r;

		decode_range(st, &r, db->scratch);
		if (!want || want(ctx, &r)) {
			decode_text(st, &r, db->scratch);
			ret = cb(ctx, &r);
		}
		scratch_reset(db->scratch);
		if (ret != 0)
			break;
	}
	db->in_lookup = false;
	if (ret == 0 && rc != SQLITE_DONE) {
		vdb_sql_error(db, err, "looking up advisories");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	return ret;
}

int brig_vulndb_lookup(struct brig_vulndb *db, const char *ecosystem, const char *package,
		       brig_vulndb_cb cb, void *ctx, struct brig_error *err)
{
	return brig_vulndb_lookup_filtered(db, ecosystem, package, NULL, cb, ctx, err);
}

int brig_vulndb_read_begin(struct brig_vulndb *db, struct brig_error *err)
{
	if (db->in_read || !sqlite3_get_autocommit(db->h))
		return 0; /* already inside a transaction: it is the snapshot */
	if (vdb_exec(db, "BEGIN", err) < 0)
		return -1;
	db->in_read = true;
	return 0;
}

void brig_vulndb_read_end(struct brig_vulndb *db)
{
	if (!db->in_read)
		return;
	sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
	db->in_read = false;
}

/* ---- info ---- */

int brig_vulndb_count(struct brig_vulndb *db, const char *source, const char *ecosystem,
		      size_t *advisories, size_t *ranges, struct brig_error *err)
{
	sqlite3_stmt *st = vdb_stmt(
		db, "SELECT count(DISTINCT f.advisory), count(*) FROM affected AS f"
		    " JOIN advisories AS a ON a.id = f.advisory"
		    " WHERE (?1 IS NULL OR a.source = ?1) AND (?2 IS NULL OR f.ecosystem = ?2)",
		err);

	if (!st)
		return -1;
	if (source)
		sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	if (ecosystem)
		sqlite3_bind_text(st, 2, ecosystem, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW) {
		vdb_sql_error(db, err, "counting advisories");
		sqlite3_reset(st);
		return -1;
	}
	if (advisories)
		*advisories = (size_t)sqlite3_column_int64(st, 0);
	if (ranges)
		*ranges = (size_t)sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return 0;
}

void brig_vulndb_info_free(struct brig_vulndb_info *info)
{
	for (size_t i = 0; i < info->n_feeds; i++) {
		free((char *)info->feeds[i].location);
		free((char *)info->feeds[i].formats);
	}
	for (size_t i = 0; i < info->n_counts; i++) {
		free((char *)info->counts[i].source);
		free((char *)info->counts[i].ecosystem);
	}
	free(info->feeds);
	free(info->counts);
	memset(info, 0, sizeof(*info));
}

int brig_vulndb_get_info(struct brig_vulndb *db, struct brig_vulndb_info *info,
			 struct brig_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	memset(info, 0, sizeof(*info));
	info->schema_version = BRIG_VULNDB_SCHEMA_VERSION;
	info->built_at = db->built_at;
	st = vdb_stmt(db, "SELECT location, formats, documents, imported_at FROM feeds"
			  " ORDER BY imported_at, location",
		      err);
	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct brig_vulndb_feed *f;

		BRIG_GROW(info->feeds, cap, info->n_feeds + 1);
		f = &info->feeds[info->n_feeds++];
		f->location = brig_xstrdup(col_text(st, 0));
		f->formats = brig_xstrdup(col_text(st, 1));
		f->documents = (size_t)sqlite3_column_int64(st, 2);
		f->imported_at = (time_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	cap = 0;
	/* a full pass over affected: fine for 'db info', never used by scans */
	st = vdb_stmt(db, "SELECT a.source, f.ecosystem, count(DISTINCT f.advisory), count(*)"
			  " FROM affected AS f JOIN advisories AS a ON a.id = f.advisory"
			  " GROUP BY f.ecosystem, a.source ORDER BY f.ecosystem, a.source",
		      err);
	if (!st)
		goto fail_err;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct brig_vulndb_count *c;

		BRIG_GROW(info->counts, cap, info->n_counts + 1);
		c = &info->counts[info->n_counts++];
		c->source = brig_xstrdup(col_text(st, 0));
		c->ecosystem = brig_xstrdup(col_text(st, 1));
		c->advisories = (size_t)sqlite3_column_int64(st, 2);
		c->ranges = (size_t)sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	if (brig_vulndb_count(db, NULL, NULL, &info->advisories, &info->ranges, err) < 0)
		goto fail_err;
	return 0;
fail:
	vdb_sql_error(db, err, "reading database information");
fail_err:
	brig_vulndb_info_free(info);
	return -1;
}

/* ---- names ---- */

const char *brig_vuln_severity_name(enum brig_vuln_severity s)
{
	switch (s) {
	case BRIG_SEVERITY_UNKNOWN:
		return "unknown";
	case BRIG_SEVERITY_NEGLIGIBLE:
		return "negligible";
	case BRIG_SEVERITY_LOW:
		return "low";
	case BRIG_SEVERITY_MEDIUM:
		return "medium";
	case BRIG_SEVERITY_HIGH:
		return "high";
	case BRIG_SEVERITY_CRITICAL:
		return "critical";
	}
	return "unknown";
}

const char *brig_vuln_status_name(enum brig_vuln_status s)
{
	switch (s) {
	case BRIG_VULN_AFFECTED:
		return "affected";
	case BRIG_VULN_FIXED:
		return "fixed";
	case BRIG_VULN_NOT_AFFECTED:
		return "not_affected";
	case BRIG_VULN_WILL_NOT_FIX:
		return "will_not_fix";
	case BRIG_VULN_FIX_DEFERRED:
		return "fix_deferred";
	case BRIG_VULN_END_OF_LIFE:
		return "end_of_life";
	case BRIG_VULN_UNDETERMINED:
		return "undetermined";
	}
	return "affected";
}

const char *brig_range_type_name(enum brig_range_type t)
{
	switch (t) {
	case BRIG_RANGE_SEMVER:
		return "SEMVER";
	case BRIG_RANGE_ECOSYSTEM:
		return "ECOSYSTEM";
	case BRIG_RANGE_NONE:
		return "NONE";
	}
	return "NONE";
}

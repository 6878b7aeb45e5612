/* brig db import | info | update: build and inspect the vulnerability
 * database (lib/vulndb, docs/db.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "core/cleanup.h"
#include "core/error.h"
#include "core/log.h"
#include "options.h"
#include "vulndb/vulndb.h"

int cmd_db(int argc, char **argv);

static const char db_usage[] =
	"Usage: brig db <command> [flags]\n\n"
	"Commands:\n"
	"  import PATH...  import OSV records (files, directories, all.zip archives),\n"
	"                  Alpine secdb and Debian security tracker JSON\n"
	"  info            show the feeds, record counts per ecosystem and build time\n"
	"  update          download the configured feeds and rebuild the database\n\n"
	"Run 'brig db <command> --help' for the flags of a command.";

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void format_time(time_t t, char *buf, size_t n)
{
	struct tm tm;

	if (t <= 0 || !gmtime_r(&t, &tm)) {
		snprintf(buf, n, "never");
		return;
	}
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int resolve_path(const char *given, char **path)
{
	struct brig_error err = {0};

	if (given) {
		*path = strdup(given);
		return *path ? 0 : -1;
	}
	if (brig_vulndb_default_path(path, &err) < 0) {
		fprintf(stderr, "brig: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int fail(struct brig_error *err)
{
	fprintf(stderr, "brig: %s\n", err->msg);
	return BRIG_EXIT_ERROR;
}

static int db_import(int argc, char **argv)
{
	const char *db_opt = NULL;
	bool keep_going = false, quiet = false;
	const struct brig_option opts[] = {
		OPT_STRING("db", 0, &db_opt, "PATH", "database file (default: ~/.cache/brig/db/brig.db)"),
		OPT_BOOL("keep-going", 'k', &keep_going,
			 "skip documents that fail to parse (still exits 2 if any did)"),
		OPT_BOOL("quiet", 'q', &quiet, "print nothing on success"),
		OPT_END(),
	};
	const char *usage = "Usage: brig db import [--db PATH] [--keep-going] PATH...\n\n"
			    "Imports OSV JSON records (single files, directories searched recursively,\n"
			    "zip archives like osv.dev's all.zip), Alpine secdb JSON and Debian security\n"
			    "tracker JSON (bulk or vuln-list-debian records), recognizing each by content.\n"
			    "Re-importing an advisory replaces it. Into a new database file the import is\n"
			    "built beside it and renamed into place; into an existing one it is a single\n"
			    "transaction: either everything is imported or nothing changes.";
	struct brig_vulndb_import_opts iopts = {0};
	struct brig_vulndb_import_stats stats = {0};
	struct brig_error err = {0};
	struct brig_vulndb *db = NULL;
	_cleanup_free_ char *path = NULL;
	struct stat st;
	double t0;
	int npos = 0, rc;
	bool fresh;

	rc = brig_parse_options(argc, argv, opts, usage, &npos);
	if (rc != 0)
		return rc > 0 ? BRIG_EXIT_CLEAN : BRIG_EXIT_ERROR;
	if (npos == 0) {
		fprintf(stderr, "brig: db import needs at least one PATH\n");
		brig_print_usage(stderr, usage, opts);
		return BRIG_EXIT_ERROR;
	}
	if (quiet)
		brig_log_set_quiet(true);
	if (resolve_path(db_opt, &path) < 0)
		return BRIG_EXIT_ERROR;
	iopts.keep_going = keep_going;
	t0 = now_seconds();
	fresh = stat(path, &st) < 0 && errno == ENOENT;
	if (fresh)
		rc = brig_vulndb_build_begin(path, &db, &err);
	else
		rc = brig_vulndb_open(path, true, &db, &err);
	if (rc < 0)
		return fail(&err);
	rc = brig_vulndb_import_paths(db, (const char *const *)argv, (size_t)npos, &iopts, &stats,
				      &err);
	if (rc == 0 && fresh) {
		rc = brig_vulndb_build_commit(db, &err);
		db = NULL;
	}
	brig_vulndb_close(db);
	if (rc < 0)
		return fail(&err);
	if (!quiet)
		printf("imported %zu documents into %s in %.2f s: %zu advisories, %zu affected rows,"
		       " %zu withdrawn, %zu rejected, %zu other files ignored\n",
		       stats.documents, path, now_seconds() - t0, stats.advisories, stats.ranges,
		       stats.withdrawn, stats.rejected, stats.ignored);
	if (stats.rejected) {
		fprintf(stderr, "brig: %zu documents were rejected (see the warnings above)\n",
			stats.rejected);
		return BRIG_EXIT_ERROR;
	}
	return BRIG_EXIT_CLEAN;
}

static int db_info(int argc, char **argv)
{
	const char *db_opt = NULL;
	const struct brig_option opts[] = {
		OPT_STRING("db", 0, &db_opt, "PATH", "database file (default: ~/.cache/brig/db/brig.db)"),
		OPT_END(),
	};
	const char *usage = "Usage: brig db info [--db PATH]\n\n"
			    "Shows the imported feeds, record counts per ecosystem and source, and when\n"
			    "the database was built.";
	struct brig_vulndb_info info;
	struct brig_error err = {0};
	struct brig_vulndb *db = NULL;
	_cleanup_free_ char *path = NULL;
	char when[64];
	int npos = 0, rc;

	rc = brig_parse_options(argc, argv, opts, usage, &npos);
	if (rc != 0)
		return rc > 0 ? BRIG_EXIT_CLEAN : BRIG_EXIT_ERROR;
	if (npos != 0) {
		fprintf(stderr, "brig: db info takes no arguments\n");
		return BRIG_EXIT_ERROR;
	}
	if (resolve_path(db_opt, &path) < 0)
		return BRIG_EXIT_ERROR;
	if (brig_vulndb_open(path, false, &db, &err) < 0)
		return fail(&err);
	rc = brig_vulndb_get_info(db, &info, &err);
	brig_vulndb_close(db);
	if (rc < 0)
		return fail(&err);
	format_time(info.built_at, when, sizeof(when));
	printf("Database:  %s\n", path);
	printf("Schema:    %d\n", info.schema_version);
	if (info.built_at > 0)
		printf("Built:     %s (%.1f days ago)\n", when,
		       difftime(time(NULL), info.built_at) / 86400.0);
	else
		printf("Built:     never\n");
	printf("Records:   %zu advisories, %zu affected rows\n", info.advisories, info.ranges);
	printf("\nFeeds:\n");
	if (!info.n_feeds)
		printf("  (none)\n");
	for (size_t i = 0; i < info.n_feeds; i++) {
		format_time(info.feeds[i].imported_at, when, sizeof(when));
		printf("  %s\n    formats %s, %zu documents, imported %s\n", info.feeds[i].location,
		       info.feeds[i].formats[0] ? info.feeds[i].formats : "-",
		       info.feeds[i].documents, when);
	}
	printf("\n  %-20s %-16s %10s %10s\n", "ECOSYSTEM", "SOURCE", "ADVISORIES", "ROWS");
	for (size_t i = 0; i < info.n_counts; i++)
		printf("  %-20s %-16s %10zu %10zu\n", info.counts[i].ecosystem, info.counts[i].source,
		       info.counts[i].advisories, info.counts[i].ranges);
	brig_vulndb_info_free(&info);
	return BRIG_EXIT_CLEAN;
}

static int db_update(int argc, char **argv)
{
	const char *db_opt = NULL, *source = NULL, *cache = NULL;
	int timeout = 0;
	bool quiet = false;
	const struct brig_option opts[] = {
		OPT_STRING("db", 0, &db_opt, "PATH", "database file (default: ~/.cache/brig/db/brig.db)"),
		OPT_STRING("source", 0, &source, "URL[,URL...]",
			   "feeds to use instead of BRIG_DB_SOURCES / ~/.config/brig/feeds"),
		OPT_STRING("cache-dir", 0, &cache, "DIR",
			   "where downloaded feeds are kept (default: beside the database)"),
		OPT_INT("timeout", 0, &timeout, "SECONDS", "per-feed download limit (default 1800)"),
		OPT_BOOL("quiet", 'q', &quiet, "print nothing on success"),
		OPT_END(),
	};
	const char *usage =
		"Usage: brig db update [--db PATH] [--source URL[,URL...]]\n\n"
		"Downloads each feed (OSV all.zip, secdb or tracker JSON; http(s):// or file://)\n"
		"with conditional requests, and when any changed builds a new database from all\n"
		"of them and renames it over the old one. Feeds: --source, else BRIG_DB_SOURCES\n"
		"(comma-separated), else $XDG_CONFIG_HOME/brig/feeds (one URL per line), else\n"
		"osv.dev's Debian, Alpine and npm all.zip. Local 'db import's are not kept.";
	struct brig_vulndb_update_opts uopts = {0};
	struct brig_vulndb_update_result res;
	struct brig_error err = {0};
	_cleanup_free_ char *path = NULL;
	char **urls = NULL;
	size_t n_urls = 0;
	double t0 = now_seconds();
	int npos = 0, rc;

	rc = brig_parse_options(argc, argv, opts, usage, &npos);
	if (rc != 0)
		return rc > 0 ? BRIG_EXIT_CLEAN : BRIG_EXIT_ERROR;
	if (npos != 0) {
		fprintf(stderr, "brig: db update takes no arguments (use --source URL)\n");
		return BRIG_EXIT_ERROR;
	}
	if (quiet)
		brig_log_set_quiet(true);
	if (resolve_path(db_opt, &path) < 0)
		return BRIG_EXIT_ERROR;
	if (brig_vulndb_feed_urls(source, &urls, &n_urls, &err) < 0)
		return fail(&err);
	uopts.urls = (const char *const *)urls;
	uopts.n_urls = n_urls;
	uopts.cache_dir = cache;
	uopts.timeout_seconds = timeout;
	rc = brig_vulndb_update(path, &uopts, &res, &err);
	brig_vulndb_free_strv(urls, n_urls);
	if (rc < 0)
		return fail(&err);
	if (!quiet) {
		if (res.rebuilt)
			printf("updated %s in %.2f s: %zu feeds downloaded, %zu unchanged;"
			       " %zu documents, %zu advisories, %zu affected rows\n",
			       path, now_seconds() - t0, res.downloaded, res.unchanged,
			       res.stats.documents, res.stats.advisories, res.stats.ranges);
		else
			printf("%s is up to date (%zu feeds unchanged)\n", path, res.unchanged);
	}
	return BRIG_EXIT_CLEAN;
}

int cmd_db(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "%s\n", db_usage);
		return BRIG_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		printf("%s\n", db_usage);
		return BRIG_EXIT_CLEAN;
	}
	if (strcmp(argv[1], "import") == 0)
		return db_import(argc - 1, argv + 1);
	if (strcmp(argv[1], "info") == 0)
		return db_info(argc - 1, argv + 1);
	if (strcmp(argv[1], "update") == 0)
		return db_update(argc - 1, argv + 1);
	fprintf(stderr, "brig: unknown db command '%s'\n\n%s\n", argv[1], db_usage);
	return BRIG_EXIT_ERROR;
}

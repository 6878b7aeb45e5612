/* Matching benchmark: 1,000 packages (npm and Debian names drawn from the
 * name space of bench/gen_osv_corpus.py: a few popular names with many
 * advisories, most with a handful, some with none) against a database, timed
 * around brig_match_packages() alone, median (and best) of RUNS runs; the floor is the
 * same loop doing only the indexed lookups with a no-op callback, measured
 * in the same run. usage: bench_match DB */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/xalloc.h"
#include "match/match.h"

#define RUNS 21

static const char *const npm[] = {"lodash", "minimist", "express", "axios", "node-fetch",
	"jsonwebtoken", "handlebars", "ws", "qs", "semver", "debug", "moment", "underscore", "tar",
	"glob", "yargs-parser", "ejs", "pug", "marked", "serialize-javascript"};
static const char *const deb[] = {"glibc", "openssl", "zlib", "curl", "apt", "tar", "coreutils",
	"util-linux", "systemd", "bash", "perl", "python3.11", "libxml2", "expat", "sqlite3"};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void add(struct brig_pkg_list *l, enum brig_pkg_type t, const char *name, const char *ver)
{
	struct brig_package *p = brig_pkg_list_add(l);

	p->type = t;
	p->name = brig_xstrdup(name);
	p->version = brig_xstrdup(ver);
	p->src_name = brig_xstrdup(name);
	p->src_version = brig_xstrdup(ver);
}

static int noop(void *ctx, const struct brig_advisory_range *r)
{
	(void)r;
	++*(size_t *)ctx;
	return 0;
}

int main(int argc, char **argv)
{
	struct brig_error err = {0};
	struct brig_vulndb *db;
	struct brig_pkg_list pkgs = {0};
	struct brig_os os = {.family = "debian", .version_id = "12"};
	double t_match[RUNS], t_floor[RUNS];
	size_t findings = 0, rows = 0;

	if (argc != 2 || brig_vulndb_open(argv[1], false, &db, &err) < 0) {
		fprintf(stderr, "usage: bench_match DB (%s)\n", err.msg);
		return 2;
	}
	for (int i = 0; i < 1000; i++) {
		char name[64], ver[32];

		snprintf(ver, sizeof(ver), "%d.%d.%d", i % 5, i % 17, i % 3);
		if (i % 2 == 0) {
			if (i % 50 == 0)
				snprintf(name, sizeof(name), "%s", npm[(i / 50) % 20]);
			else
				snprintf(name, sizeof(name), "%s-%d", npm[i % 20], 1 + (i * 7919) % 5000);
			add(&pkgs, BRIG_PKG_NPM, name, ver);
		} else {
			snprintf(ver, sizeof(ver), "%d.%d-%d", i % 4, i % 9, i % 5);
			if (i % 25 == 1)
				snprintf(name, sizeof(name), "%s", deb[(i / 25) % 15]);
			else
				snprintf(name, sizeof(name), "%s%d", deb[i % 15], 1 + (i * 104729) % 3000);
			add(&pkgs, BRIG_PKG_DPKG, name, ver);
		}
	}
	for (int run = 0; run < RUNS; run++) {
		struct brig_finding_list out = {0};
		double t0 = now();

		if (brig_match_packages(db, &os, &pkgs, &out, &err) < 0) {
			fprintf(stderr, "bench_match: %s\n", err.msg);
			return 2;
		}
		t_match[run] = now() - t0;
		findings = out.n;
		brig_finding_list_free(&out);
		t0 = now();
		rows = 0;
		brig_vulndb_read_begin(db, &err);
		for (size_t i = 0; i < pkgs.n; i++) {
			char *eco = brig_match_ecosystem(&pkgs.items[i], &os);

			brig_vulndb_lookup(db, eco, pkgs.items[i].src_name, noop, &rows, &err);
			free(eco);
		}
		brig_vulndb_read_end(db);
		t_floor[run] = now() - t0;
	}
	qsort(t_match, RUNS, sizeof(double), cmp_double);
	qsort(t_floor, RUNS, sizeof(double), cmp_double);
	printf("matching 1000 packages: median %.2f ms, best %.2f ms (%zu findings from %zu rows)\n",
	       t_match[RUNS / 2] * 1e3, t_match[0] * 1e3, findings, rows);
	printf("lookups alone (floor):  median %.2f ms, best %.2f ms; ratio %.2fx (target: matching "
	       "<= 20 ms)\n",
	       t_floor[RUNS / 2] * 1e3, t_floor[0] * 1e3, t_match[RUNS / 2] / t_floor[RUNS / 2]);
	brig_pkg_list_free(&pkgs);
	brig_vulndb_close(db);
	return 0;
}

/* lib/vulndb: CVSS scores, import of every shared-data sample with counts
 * derived from the inputs themselves, lookups of known advisories,
 * idempotent re-import, hostile documents, open/build errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/limits.h"
#include "testutil.h"
#include "vulndb/vulndb.h"

static char tmpdir[] = "/tmp/brig-vulndb-XXXXXX";

static char *tmp_path(const char *name)
{
	static char buf[8][512];
	static int next;
	char *p = buf[next++ % 8];

	snprintf(p, 512, "%s/%s", tmpdir, name);
	return p;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* ---------------------------------------------------------------- CVSS */

static void test_cvss3(void **state)
{
	static const struct {
		const char *vector;
		double score;
	} cases[] = {
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
		{"AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
		/* scope changed */
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8},
		/* examples from the v3.1 specification's document */
		{"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1},
		{"CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2},
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
		{"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8},
		{"CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2},
		/* temporal metrics do not change the base score */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C", 9.8},
		/* no impact: 0.0 whatever the exploitability */
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N", 0.0},
	};
	struct brig_error err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double s = -2;

		if (brig_cvss3_base_score(cases[i].vector, &s, &err) != 0)
			fail_msg("%s: %s", cases[i].vector, err.msg);
		if ((int)(s * 10 + 0.5) != (int)(cases[i].score * 10 + 0.5))
			fail_msg("%s: got %.1f, want %.1f", cases[i].vector, s, cases[i].score);
	}
	assert_int_equal(brig_vuln_severity_from_score(9.8), BRIG_SEVERITY_CRITICAL);
	assert_int_equal(brig_vuln_severity_from_score(7.0), BRIG_SEVERITY_HIGH);
	assert_int_equal(brig_vuln_severity_from_score(6.9), BRIG_SEVERITY_MEDIUM);
	assert_int_equal(brig_vuln_severity_from_score(0.1), BRIG_SEVERITY_LOW);
	assert_int_equal(brig_vuln_severity_from_score(0.0), BRIG_SEVERITY_UNKNOWN);
}

static void test_cvss_invalid(void **state)
{
	static const char *const bad3[] = {
		"",
		"CVSS:3.1/",
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",	    /* A missing */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/A:H", /* twice */
		"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",	    /* bad value */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",    /* trailing slash */
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1",
		"CVSS:2.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
		"CVSS:3.1/AV=N",
	};
	struct brig_error err = {0};
	char huge[2048];
	double s;

	(void)state;
	for (size_t i = 0; i < sizeof(bad3) / sizeof(bad3[0]); i++) {
		brig_error_clear(&err);
		if (brig_cvss3_base_score(bad3[i], &s, &err) != -1)
			fail_msg("accepted '%s'", bad3[i]);
		assert_true(err.msg[0] != '\0');
		assert_true(s < 0);
	}
	memset(huge, 'A', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	assert_int_equal(brig_cvss3_base_score(huge, &s, &err), -1);
	assert_non_null(strstr(err.msg, "longer"));
	/* v4: a missing base metric, a v3 vector, a bad value, twice */
	assert_int_equal(brig_cvss4_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H", &s, &err), -1);
	assert_non_null(strstr(err.msg, "lacks base metric SC"));
	assert_int_equal(brig_cvss4_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &s, &err), -1);
	assert_int_equal(brig_cvss4_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:S", &s, &err), -1);
	assert_int_equal(brig_cvss4_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:P", &s, &err), -1);
}

/* Expected scores: FIRST's reference calculator's published examples, and
 * vectors scored by an independent implementation (ae-cvss-calculator
 * 1.0.13), which agreed with brig on all 104,976 base vectors and on 300,000
 * random vectors with threat and environmental metrics. The first five sit
 * one ulp below an x.x5 tie. */
static void test_cvss4(void **state)
{
	static const struct {
		const char *vector;
		double score;
	} cases[] = {
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 6.9},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:L/SC:N/SI:N/SA:N/E:A/MAV:A", 8.7},
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0},
		/* supplemental metrics do not change the score */
		{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P/AU:Y/R:I/V:C/RE:H/U:Red", 9.3},
		{"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:L/VI:N/VA:H/SC:L/SI:N/SA:N", 5.7},
		{"CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:A/VC:H/VI:N/VA:L/SC:L/SI:N/SA:N", 5.7},
		{"CVSS:4.0/AV:L/AC:H/AT:P/PR:N/UI:A/VC:L/VI:H/VA:N/SC:N/SI:L/SA:L", 5.7},
		{"CVSS:4.0/AV:A/AC:L/AT:N/PR:H/UI:A/VC:H/VI:L/VA:N/SC:L/SI:N/SA:N/E:P/CR:M/MAT:P/MVC:X/MVI:N/MVA:X", 0.7},
		{"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:L/VI:N/VA:N/SC:H/SI:H/SA:H", 5.0},
		{"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:N/SC:N/SI:H/SA:L/CR:M/IR:L/MAV:N/MPR:H/MSC:H/MSA:X", 5.3},
		{"CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:N/CR:L/IR:L/MAV:L/MAC:X/MAT:N/MVC:H/MSC:L/MSI:X", 5.4},
		{"CVSS:4.0/AV:A/AC:L/AT:P/PR:L/UI:N/VC:L/VI:N/VA:H/SC:L/SI:N/SA:N/AR:L/MAT:N/MPR:N/MUI:N/MVI:H/MSC:X", 7.1},
		{"CVSS:4.0/AV:A/AC:H/AT:P/PR:N/UI:A/VC:L/VI:N/VA:N/SC:L/SI:L/SA:L/E:A/CR:H/AR:L/MAC:X/MAT:X/MVC:N/MVI:H", 5.7},
		{"CVSS:4.0/AV:A/AC:L/AT:P/PR:L/UI:P/VC:N/VI:N/VA:N/SC:H/SI:H/SA:L/E:A/CR:X/AR:L/MPR:H/MUI:N/MVA:N/MSI:S", 6.7},
		{"CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:H/SI:L/SA:H/MAV:P/MAT:P/MUI:P/MVC:X/MVA:X/MSI:X", 7.2},
		{"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:H/VI:H/VA:L/SC:N/SI:L/SA:L/IR:L/AR:X/MAT:P/MVC:L/MVI:N/MVA:L/MSI:N", 1.8},
		{"CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:H/SI:N/SA:N/AR:X/MAT:X/MPR:X/MUI:X/MSI:S/MSA:N", 8.6},
		{"CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:N/VC:H/VI:L/VA:N/SC:N/SI:N/SA:N/E:P/CR:X/MAT:P/MPR:N/MUI:N/MVC:X/MVA:H/MSI:L/MSA:L", 5.7},
		{"CVSS:4.0/AV:P/AC:H/AT:N/PR:L/UI:P/VC:L/VI:N/VA:N/SC:L/SI:L/SA:H/IR:L/AR:H/MAV:X/MUI:A/MVC:N/MVA:N", 2.1},
		{"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:A/VC:L/VI:N/VA:N/SC:H/SI:L/SA:N", 2.0},
		{"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:H/SC:N/SI:H/SA:N", 6.9},
		{"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:H/SC:L/SI:N/SA:N", 5.8},
		{"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:H/SC:N/SI:H/SA:L", 7.0},
		{"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:H/SC:N/SI:L/SA:L", 5.8},
		{"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:H/SC:N/SI:L/SA:N", 5.8},
		{"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:A/VC:L/VI:N/VA:N/SC:H/SI:L/SA:L", 2.1},
		{"CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:N/VC:L/VI:L/VA:H/SC:L/SI:N/SA:L", 5.8},
	};
	struct brig_error err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double s = -2;

		if (brig_cvss4_base_score(cases[i].vector, &s, &err) != 0)
			fail_msg("%s: %s", cases[i].vector, err.msg);
		if ((int)(s * 10 + 0.5) != (int)(cases[i].score * 10 + 0.5))
			fail_msg("%s: got %.1f, want %.1f", cases[i].vector, s, cases[i].score);
	}
}

static void test_cvss2(void **state)
{
	static const struct {
		const char *vector;
		double score;
	} cases[] = {
		{"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5}, {"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0},
		{"AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3}, {"AV:L/AC:L/Au:N/C:C/I:C/A:C", 7.2},
		{"AV:N/AC:L/Au:N/C:N/I:N/A:P", 5.0}, {"(AV:N/AC:M/Au:N/C:P/I:P/A:P)", 6.8},
		{"AV:N/AC:L/Au:N/C:N/I:N/A:N", 0.0},
	};
	struct brig_error err = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double s = -2;

		if (brig_cvss2_base_score(cases[i].vector, &s, &err) != 0)
			fail_msg("%s: %s", cases[i].vector, err.msg);
		if ((int)(s * 10 + 0.5) != (int)(cases[i].score * 10 + 0.5))
			fail_msg("%s: got %.1f, want %.1f", cases[i].vector, s, cases[i].score);
	}
	{
		double s;

		assert_int_equal(brig_cvss2_base_score("AV:N/AC:L/Au:N/C:P/I:P", &s, &err), -1);
		assert_non_null(strstr(err.msg, "lacks base metric A"));
	}
}

/* ------------------------------------------- expected counts from inputs */

/* exp = {source: {ecosystem: {key: rows}}}; key is the advisory id for OSV
 * (a record replaces all its rows) and "id|package" for secdb and tracker
 * documents (which replace one package's rows): later documents overwrite
 * earlier ones exactly as the import does. */
static json_t *exp_counts;

static void exp_set(const char *source, const char *eco, const char *key, size_t rows)
{
	json_t *s = json_object_get(exp_counts, source), *e;

	if (!s) {
		s = json_object();
		json_object_set_new(exp_counts, source, s);
	}
	e = json_object_get(s, eco);
	if (!e) {
		e = json_object();
		json_object_set_new(s, eco, e);
	}
	json_object_set_new(e, key, json_integer((json_int_t)rows));
}

static void exp_totals(const char *source, const char *eco, size_t *adv, size_t *rows)
{
	json_t *e = json_object_get(json_object_get(exp_counts, source), eco);
	json_t *ids = json_object();
	const char *key;
	json_t *v;

	*adv = *rows = 0;
	json_object_foreach(e, key, v) {
		char id[512];

		if (json_integer_value(v) == 0)
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)strcspn(key, "|"), key);
		json_object_set_new(ids, id, json_true());
		*rows += (size_t)json_integer_value(v);
	}
	*adv = json_object_size(ids);
	json_decref(ids);
}

static json_t *load(const char *path)
{
	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);

	if (!doc)
		fail_msg("%s: %s", path, jerr.text);
	return doc;
}

static void expect_osv(json_t *doc)
{
	const char *id = json_string_value(json_object_get(doc, "id"));
	json_t *per_eco = json_object(), *aff, *w = json_object_get(doc, "withdrawn");
	const char *eco;
	json_t *n;
	size_t i;

	if (w && !json_is_null(w))
		return;
	json_array_foreach(json_object_get(doc, "affected"), i, aff) {
		json_t *pkg = json_object_get(aff, "package"), *r;
		size_t j, rows = 0;

		if (!pkg)
			continue;
		json_array_foreach(json_object_get(aff, "ranges"), j, r) {
			const char *t = json_string_value(json_object_get(r, "type"));

			if ((strcmp(t, "SEMVER") == 0 || strcmp(t, "ECOSYSTEM") == 0) &&
			    json_array_size(json_object_get(r, "events")) > 0)
				rows++;
		}
		if (rows == 0 && json_array_size(json_object_get(aff, "versions")) > 0)
			rows = 1;
		eco = json_string_value(json_object_get(pkg, "ecosystem"));
		n = json_object_get(per_eco, eco);
		json_object_set_new(per_eco, eco,
				    json_integer((n ? json_integer_value(n) : 0) + (json_int_t)rows));
	}
	json_object_foreach(per_eco, eco, n)
		exp_set("osv", eco, id, (size_t)json_integer_value(n));
	json_decref(per_eco);
}

static void expect_secdb_package(const char *eco, const char *name, json_t *secfixes)
{
	json_t *by_key = json_object(), *ids, *s, *vers;
	const char *version, *key;
	size_t i;

	json_object_foreach(secfixes, version, ids) {
		if (strcmp(version, "0") == 0)
			continue; /* never affected */
		json_array_foreach(ids, i, s) {
			char *copy = strdup(json_string_value(s)), *save = NULL;

			for (char *tok = strtok_r(copy, " \t,", &save); tok;
			     tok = strtok_r(NULL, " \t,", &save)) {
				char k[512];

				if (!strchr(tok, '-') || !((*tok >= 'A' && *tok <= 'Z') ||
							   (*tok >= 'a' && *tok <= 'z')))
					continue;
				snprintf(k, sizeof(k), "%s|%s", tok, name);
				vers = json_object_get(by_key, k);
				if (!vers) {
					vers = json_object();
					json_object_set_new(by_key, k, vers);
				}
				json_object_set_new(vers, version, json_true());
			}
			free(copy);
		}
	}
	json_object_foreach(by_key, key, vers)
		exp_set("alpine-secdb", eco, key, json_object_size(vers));
	json_decref(by_key);
}

static void expect_secdb(json_t *doc)
{
	char eco[64];
	json_t *p;
	size_t i;

	snprintf(eco, sizeof(eco), "Alpine:%s",
		 json_string_value(json_object_get(doc, "distroversion")));
	if (json_object_get(doc, "secfixes")) {
		expect_secdb_package(eco, json_string_value(json_object_get(doc, "name")),
				     json_object_get(doc, "secfixes"));
		return;
	}
	json_array_foreach(json_object_get(doc, "packages"), i, p) {
		json_t *pkg = json_object_get(p, "pkg");

		expect_secdb_package(eco, json_string_value(json_object_get(pkg, "name")),
				     json_object_get(pkg, "secfixes"));
	}
}

static const char *const suites[][2] = {
	{"buster", "Debian:10"}, {"bullseye", "Debian:11"}, {"bookworm", "Debian:12"}, {"trixie", "Debian:13"},
};

static void expect_tracker(json_t *doc)
{
	const char *pkg, *cve, *suite;
	json_t *cves, *rec, *rel;

	json_object_foreach(doc, pkg, cves) {
		json_object_foreach(cves, cve, rec) {
			json_t *rels = json_object_get(rec, "releases");
			size_t rows[4] = {0};
			char k[512];

			if (!json_is_object(rels))
				continue;
			json_object_foreach(rels, suite, rel)
				for (int s = 0; s < 4; s++)
					if (strcmp(suite, suites[s][0]) == 0)
						rows[s]++;
			snprintf(k, sizeof(k), "%s|%s", cve, pkg);
			for (int s = 0; s < 4; s++)
				if (rows[s])
					exp_set("debian-tracker", suites[s][1], k, rows[s]);
		}
	}
}

/* the rule of tracker.c restated: a release's own line, else unstable's;
 * removed/itp lines make no row */
static bool kind_gives_row(const char *kind)
{
	static const char *const kinds[] = {"fixed", "unfixed", "no-dsa", "not-affected", "ignored",
					    "postponed", "end-of-life", "undetermined"};

	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

static void expect_vuln_list(json_t *doc)
{
	const char *id = json_string_value(json_object_get(json_object_get(doc, "Header"), "ID"));
	json_t *anns = json_object_get(doc, "Annotations"), *a, *b;
	size_t i, j;

	json_array_foreach(anns, i, a) {
		const char *pkg = json_string_value(json_object_get(a, "Package"));
		bool first = true;
		const char *sid_kind = NULL;
		char k[512];

		if (!pkg || strcmp(json_string_value(json_object_get(a, "Type")), "package") != 0)
			continue;
		json_array_foreach(anns, j, b) {
			const char *p2 = json_string_value(json_object_get(b, "Package"));

			if (!p2 || strcmp(p2, pkg) != 0)
				continue;
			if (j < i)
				first = false;
			if (!json_object_get(b, "Release") && !sid_kind)
				sid_kind = json_string_value(json_object_get(b, "Kind"));
		}
		if (!first)
			continue;
		for (int s = 0; s < 4; s++) {
			const char *kind = sid_kind;

			json_array_foreach(anns, j, b) {
				const char *p2 = json_string_value(json_object_get(b, "Package"));
				const char *rel = json_string_value(json_object_get(b, "Release"));

				if (p2 && rel && strcmp(p2, pkg) == 0 && strcmp(rel, suites[s][0]) == 0)
					kind = json_string_value(json_object_get(b, "Kind"));
			}
			snprintf(k, sizeof(k), "%s|%s", id, pkg);
			if (kind_gives_row(kind))
				exp_set("debian-tracker", suites[s][1], k, 1);
		}
	}
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* every *.json below path, in the importer's order (sorted by name) */
static void walk_json(const char *path, void (*fn)(json_t *))
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char *names[4096];
	size_t n = 0;

	assert_int_equal(stat(path, &st), 0);
	if (!S_ISDIR(st.st_mode)) {
		json_t *doc = load(path);

		fn(doc);
		json_decref(doc);
		return;
	}
	d = opendir(path);
	assert_non_null(d);
	while ((de = readdir(d)) && n < 4096)
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		char sub[4096];

		snprintf(sub, sizeof(sub), "%s/%s", path, names[i]);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			walk_json(sub, fn);
		else if (strlen(names[i]) > 5 && strcmp(names[i] + strlen(names[i]) - 5, ".json") == 0)
			walk_json(sub, fn);
		free(names[i]);
	}
}

/* ---------------------------------------------------- the shared imports */

static const char *const sample_rel[] = {
	"osv",
	"npm-audit/osv",
	"alpine/secdb-format-samples/v3.18-main.subset.json",
	"alpine/secdb-v3.18-main-vuln-list",
	"debian-tracker/vuln-list-debian",
	"debian-tracker/tracker-json-samples/vunnel-debian.json",
	"debian-tracker/tracker-json-samples/osvdev-debian_security_tracker_mock.json",
};
#define N_SAMPLES (sizeof(sample_rel) / sizeof(sample_rel[0]))
static char sample_abs[N_SAMPLES][4096];

static void (*const sample_fn[N_SAMPLES])(json_t *) = {
	expect_osv, expect_osv, expect_secdb, expect_secdb, expect_vuln_list, expect_tracker, expect_tracker,
};

static bool have_shared(void)
{
	for (size_t i = 0; i < N_SAMPLES; i++)
		if (!brig_test_shared(sample_rel[i], sample_abs[i], sizeof(sample_abs[i])))
			return false;
	return true;
}

static struct brig_vulndb *import_samples(const char *db_path, struct brig_vulndb_import_stats *st)
{
	const char *paths[N_SAMPLES];
	struct brig_error err = {0};
	struct brig_vulndb *db = NULL;

	for (size_t i = 0; i < N_SAMPLES; i++)
		paths[i] = sample_abs[i];
	if (brig_vulndb_open(db_path, true, &db, &err) != 0)
		fail_msg("open: %s", err.msg);
	if (brig_vulndb_import_paths(db, paths, N_SAMPLES, NULL, st, &err) != 0)
		fail_msg("import: %s", err.msg);
	return db;
}

static void check_counts(struct brig_vulndb *db)
{
	const char *source, *eco;
	json_t *s, *e;
	size_t total_checked = 0;

	json_object_foreach(exp_counts, source, s) {
		json_object_foreach(s, eco, e) {
			size_t want_adv, want_rows, adv = 0, rows = 0;
			struct brig_error err = {0};

			(void)e;
			exp_totals(source, eco, &want_adv, &want_rows);
			assert_int_equal(brig_vulndb_count(db, source, eco, &adv, &rows, &err), 0);
			if (adv != want_adv || rows != want_rows)
				fail_msg("%s %s: %zu advisories / %zu rows, want %zu / %zu", source, eco,
					 adv, rows, want_adv, want_rows);
			total_checked++;
		}
	}
	/* and nothing beyond what the inputs hold */
	{
		struct brig_vulndb_info info;
		struct brig_error err = {0};
		size_t n = 0;

		assert_int_equal(brig_vulndb_get_info(db, &info, &err), 0);
		json_object_foreach(exp_counts, source, s)
			json_object_foreach(s, eco, e) {
				size_t a, r;

				exp_totals(source, eco, &a, &r);
				n += a > 0;
			}
		assert_int_equal(info.n_counts, n);
		brig_vulndb_info_free(&info);
	}
	assert_true(total_checked >= 8);
}

static void test_import_counts(void **state)
{
	struct brig_vulndb_import_stats st = {0};
	struct brig_vulndb *db;
	size_t adv, rows;

	(void)state;
	if (!have_shared()) {
		skip();
		return;
	}
	exp_counts = json_object();
	for (size_t i = 0; i < N_SAMPLES; i++)
		walk_json(sample_abs[i], sample_fn[i]);
	/* the inputs really contain what the test is about */
	exp_totals("osv", "Alpine:v3.18", &adv, &rows);
	assert_true(adv > 50);
	exp_totals("osv", "npm", &adv, &rows);
	assert_int_equal(adv, 11);

	db = import_samples(tmp_path("counts.db"), &st);
	assert_int_equal(st.rejected, 0);
	assert_true(st.documents > 100);
	assert_true(brig_vulndb_built_at(db) > 0);
	check_counts(db);
	brig_vulndb_close(db);

	/* twice more: upserts, same counts */
	for (int round = 0; round < 2; round++) {
		db = import_samples(tmp_path("counts.db"), &st);
		check_counts(db);
		brig_vulndb_close(db);
	}
	json_decref(exp_counts);
	exp_counts = NULL;
}

/* ------------------------------------------------------------- lookups */

struct got {
	char source[32], id[64], eco[32], fixed[64], note[64], title[128], alias0[64], upstream0[64],
		url[256], range[16];
	enum brig_vuln_status status;
	enum brig_vuln_severity severity;
	size_t n_events, n_refs, n_aliases, n_versions;
	enum brig_event_type ev_type[4];
	char ev_ver[4][64];
	double cvss3;
	bool from_unstable;
	int group;
};

struct collect {
	struct got rows[64];
	size_t n;
	int stop_after;
};

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src) ? (src) : "")

static int collect_cb(void *ctx, const struct brig_advisory_range *r)
{
	struct collect *c = ctx;
	struct got *g;

	if (c->n == 64)
		return 0;
	g = &c->rows[c->n++];
	memset(g, 0, sizeof(*g));
	COPY(g->source, r->source);
	COPY(g->id, r->id);
	COPY(g->eco, r->ecosystem);
	COPY(g->fixed, r->fixed_version);
	COPY(g->note, r->note);
	COPY(g->title, r->title);
	COPY(g->url, r->primary_url);
	COPY(g->range, brig_range_type_name(r->range_type));
	if (r->n_aliases)
		COPY(g->alias0, r->aliases[0]);
	if (r->n_upstream)
		COPY(g->upstream0, r->upstream[0]);
	g->status = r->status;
	g->severity = r->severity;
	g->n_events = r->n_events;
	for (size_t i = 0; i < r->n_events && i < 4; i++) {
		g->ev_type[i] = r->events[i].type;
		COPY(g->ev_ver[i], r->events[i].version);
	}
	g->n_refs = r->n_refs;
	g->n_aliases = r->n_aliases;
	g->n_versions = r->n_versions;
	g->cvss3 = r->cvss_v3.score;
	g->from_unstable = r->fix_from_unstable;
	g->group = r->group;
	if (c->stop_after && (int)c->n == c->stop_after)
		return 7;
	return 0;
}

static const struct got *find(const struct collect *c, const char *source, const char *id)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->rows[i].source, source) == 0 && strcmp(c->rows[i].id, id) == 0)
			return &c->rows[i];
	fail_msg("no %s row for %s", source, id);
	return NULL;
}

static void lookup(struct brig_vulndb *db, const char *eco, const char *pkg, struct collect *c)
{
	struct brig_error err = {0};

	memset(c, 0, sizeof(*c));
	if (brig_vulndb_lookup(db, eco, pkg, collect_cb, c, &err) != 0)
		fail_msg("lookup %s %s: %s", eco, pkg, err.msg);
}

static void test_lookups(void **state)
{
	struct brig_vulndb_import_stats st = {0};
	struct brig_error err = {0};
	struct brig_vulndb *db;
	struct collect c;
	const struct got *g;

	(void)state;
	if (!have_shared()) {
		skip();
		return;
	}
	db = import_samples(tmp_path("lookups.db"), &st);

	/* apt in bookworm: unimportant, never fixed (OSV and tracker agree) */
	lookup(db, "Debian:12", "apt", &c);
	g = find(&c, "osv", "DEBIAN-CVE-2011-3374");
	assert_int_equal(g->status, BRIG_VULN_AFFECTED);
	assert_string_equal(g->fixed, "");
	assert_int_equal(g->n_events, 1);
	assert_int_equal(g->ev_type[0], BRIG_EVENT_INTRODUCED);
	assert_string_equal(g->ev_ver[0], "0");
	assert_string_equal(g->upstream0, "CVE-2011-3374");
	assert_int_equal(g->severity, BRIG_SEVERITY_NEGLIGIBLE);
	assert_string_equal(g->range, "ECOSYSTEM");
	g = find(&c, "debian-tracker", "CVE-2011-3374");
	assert_int_equal(g->status, BRIG_VULN_AFFECTED);
	assert_string_equal(g->fixed, "");

	/* lodash: GHSA-35jh-r3h4-6jhm fixed in 4.17.21 */
	lookup(db, "npm", "lodash", &c);
	g = find(&c, "osv", "GHSA-35jh-r3h4-6jhm");
	assert_int_equal(g->status, BRIG_VULN_FIXED);
	assert_string_equal(g->fixed, "4.17.21");
	assert_int_equal(g->n_events, 2);
	assert_int_equal(g->ev_type[1], BRIG_EVENT_FIXED);
	assert_string_equal(g->alias0, "CVE-2021-23337");
	assert_string_equal(g->title, "Command Injection in lodash");
	assert_string_equal(g->url, "https://github.com/advisories/GHSA-35jh-r3h4-6jhm");
	assert_int_equal(g->n_refs, 17);
	assert_true(g->cvss3 > 7.15 && g->cvss3 < 7.25); /* PR:H -> 7.2 */
	assert_int_equal(g->severity, BRIG_SEVERITY_HIGH); /* GitHub's rating */
	find(&c, "osv", "GHSA-p6mc-m468-83gw");
	/* lodash-es is another package of the same advisory */
	lookup(db, "npm", "lodash-es", &c);
	find(&c, "osv", "GHSA-35jh-r3h4-6jhm");

	/* qs: one advisory, nine affected entries, one row each */
	lookup(db, "npm", "qs", &c);
	assert_int_equal(c.n, 9);
	for (size_t i = 0; i < c.n; i++)
		assert_int_equal(c.rows[i].group, (int)i);

	/* busybox in Alpine 3.18: secdb and OSV both say 1.36.1-r1 */
	lookup(db, "Alpine:v3.18", "busybox", &c);
	g = find(&c, "alpine-secdb", "CVE-2022-48174");
	assert_string_equal(g->fixed, "1.36.1-r1");
	assert_int_equal(g->status, BRIG_VULN_FIXED);
	assert_string_equal(g->url, "https://security.alpinelinux.org/vuln/CVE-2022-48174");
	g = find(&c, "osv", "ALPINE-CVE-2022-48174");
	assert_string_equal(g->fixed, "1.36.1-r1");
	/* secfixes "0" means never affected: no row */
	for (size_t i = 0; i < c.n; i++)
		assert_string_not_equal(c.rows[i].id, "CVE-2021-42373");

	/* glibc: the DSA carries bookworm's fix; the CVE record has none of
	 * its own, so its row is unstable's and says so */
	lookup(db, "Debian:12", "glibc", &c);
	g = find(&c, "debian-tracker", "DSA-5514-1");
	assert_string_equal(g->fixed, "2.36-9+deb12u3");
	assert_false(g->from_unstable);
	assert_string_equal(g->alias0, "CVE-2023-4911");
	assert_string_equal(g->title, "glibc - security update");
	g = find(&c, "debian-tracker", "CVE-2023-4911");
	assert_string_equal(g->fixed, "2.37-12");
	assert_true(g->from_unstable);
	g = find(&c, "osv", "DSA-5514-1");
	assert_string_equal(g->fixed, "2.36-9+deb12u3");
	lookup(db, "Debian:10", "glibc", &c);
	g = find(&c, "debian-tracker", "CVE-2023-4911");
	assert_int_equal(g->status, BRIG_VULN_NOT_AFFECTED);
	assert_int_equal(g->n_events, 0);
	assert_string_equal(g->note, "Vulnerable code introduced later");

	/* <ignored> in bookworm */
	lookup(db, "Debian:12", "coreutils", &c);
	g = find(&c, "debian-tracker", "CVE-2016-2781");
	assert_int_equal(g->status, BRIG_VULN_WILL_NOT_FIX);
	assert_string_equal(g->note, "Minor issue");
	assert_int_equal(g->severity, BRIG_SEVERITY_LOW);

	/* bulk tracker JSON statuses */
	lookup(db, "Debian:12", "apparmor", &c);
	assert_int_equal(find(&c, "debian-tracker", "CVE-2014-1424")->status, BRIG_VULN_NOT_AFFECTED);
	assert_int_equal(find(&c, "debian-tracker", "CVE-2016-1585")->status, BRIG_VULN_AFFECTED);
	g = find(&c, "debian-tracker", "CVE-2017-6507");
	assert_int_equal(g->status, BRIG_VULN_FIXED);
	assert_string_equal(g->fixed, "2.11.0-3");
	assert_int_equal(g->severity, BRIG_SEVERITY_UNKNOWN); /* "not yet assigned" */
	lookup(db, "Debian:10", "chromium", &c);
	assert_int_equal(find(&c, "debian-tracker", "CVE-2022-0456")->status, BRIG_VULN_END_OF_LIFE);
	lookup(db, "Debian:12", "sope", &c);
	assert_string_equal(find(&c, "debian-tracker", "CVE-2025-53603")->fixed, "5.8.0-1+deb12u1");
	lookup(db, "Debian:10", "prototypejs", &c);
	g = find(&c, "debian-tracker", "CVE-2008-7220");
	assert_int_equal(g->severity, BRIG_SEVERITY_HIGH); /* "high**" */

	/* unknown package, stopping early, re-entry */
	lookup(db, "npm", "no-such-package", &c);
	assert_int_equal(c.n, 0);
	memset(&c, 0, sizeof(c));
	c.stop_after = 1;
	assert_int_equal(brig_vulndb_lookup(db, "npm", "qs", collect_cb, &c, &err), 7);
	assert_int_equal(c.n, 1);
	brig_vulndb_close(db);

	/* read-only open of the same file sees the same */
	assert_int_equal(brig_vulndb_open(tmp_path("lookups.db"), false, &db, &err), 0);
	lookup(db, "npm", "qs", &c);
	assert_int_equal(c.n, 9);
	brig_vulndb_close(db);
}

/* matching one package is an index search, never a scan */
static void test_query_plan(void **state)
{
	struct brig_vulndb *db;
	struct brig_error err = {0};
	sqlite3 *h;
	sqlite3_stmt *st;
	bool used_index = false;

	(void)state;
	assert_int_equal(brig_vulndb_open(tmp_path("plan.db"), true, &db, &err), 0);
	brig_vulndb_close(db);
	assert_int_equal(sqlite3_open(tmp_path("plan.db"), &h), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(h,
				   "EXPLAIN QUERY PLAN SELECT * FROM affected AS f JOIN advisories AS a"
				   " ON a.id = f.advisory WHERE f.ecosystem = ?1 AND f.package = ?2"
				   " ORDER BY f.rowid",
				   -1, &st, NULL),
		SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *detail = (const char *)sqlite3_column_text(st, 3);

		assert_null(strstr(detail, "SCAN"));
		assert_null(strstr(detail, "TEMP B-TREE"));
		used_index = used_index || strstr(detail, "affected_by_package");
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	assert_true(used_index);
}

/* -------------------------------------------------------------- zip */

static void test_zip(void **state)
{
	char dir[4096];
	struct brig_vulndb_import_stats st = {0}, st_dir = {0};
	struct brig_error err = {0};
	struct brig_vulndb *db, *db_dir;
	struct archive *a;
	DIR *d;
	struct dirent *de;
	const char *zip = tmp_path("all.zip"), *paths[1];
	size_t files = 0, adv, rows, adv2, rows2;

	(void)state;
	BRIG_REQUIRE_SHARED("osv/alpine-v3.18", dir);
	/* an all.zip the way osv.dev lays it out: flat <ID>.json entries */
	a = archive_write_new();
	archive_write_set_format_zip(a);
	assert_int_equal(archive_write_open_filename(a, zip), ARCHIVE_OK);
	d = opendir(dir);
	while ((de = readdir(d))) {
		char p[8192];
		size_t len;
		char *data;
		struct archive_entry *e;

		if (!strstr(de->d_name, ".json"))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		data = brig_test_slurp(p, &len);
		e = archive_entry_new();
		archive_entry_set_pathname(e, de->d_name);
		archive_entry_set_size(e, (la_int64_t)len);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
		archive_entry_free(e);
		free(data);
		files++;
	}
	closedir(d);
	{
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, "README.txt");
		archive_entry_set_size(e, 2);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_write_header(a, e);
		archive_write_data(a, "hi", 2);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);

	assert_int_equal(brig_vulndb_open(tmp_path("zip.db"), true, &db, &err), 0);
	paths[0] = zip;
	if (brig_vulndb_import_paths(db, paths, 1, NULL, &st, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(st.documents, files);
	assert_int_equal(st.ignored, 1);
	assert_int_equal(brig_vulndb_open(tmp_path("zipdir.db"), true, &db_dir, &err), 0);
	paths[0] = dir;
	assert_int_equal(brig_vulndb_import_paths(db_dir, paths, 1, NULL, &st_dir, &err), 0);
	assert_int_equal(brig_vulndb_count(db, "osv", "Alpine:v3.18", &adv, &rows, &err), 0);
	assert_int_equal(brig_vulndb_count(db_dir, "osv", "Alpine:v3.18", &adv2, &rows2, &err), 0);
	assert_int_equal(adv, files);
	assert_int_equal(adv, adv2);
	assert_int_equal(rows, rows2);
	brig_vulndb_close(db);
	brig_vulndb_close(db_dir);
}

/* --------------------------------------------------------- hostile input */

static struct brig_vulndb *memdb(void)
{
	struct brig_vulndb *db = NULL;
	struct brig_error err = {0};

	if (brig_vulndb_open(":memory:", true, &db, &err) != 0)
		fail_msg("%s", err.msg);
	return db;
}

static const char good_osv[] =
	"{\"id\":\"GHSA-test-0001\",\"modified\":\"2024-01-01T00:00:00Z\",\"aliases\":[\"CVE-2024-0001\"],"
	"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"},"
	"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.3.0\"}]}],"
	"\"versions\":[\"1.0.0\",\"1.1.0\"]}]}";

/* Imports doc; expects failure whose message contains want (and the name) */
static void expect_reject(struct brig_vulndb *db, const char *doc, size_t len,
			  enum brig_vulndb_format f, const char *want)
{
	struct brig_error err = {0};
	size_t before = 0, after = 0;

	assert_int_equal(brig_vulndb_count(db, NULL, NULL, NULL, &before, &err), 0);
	if (brig_vulndb_import_buffer(db, "hostile.json", doc, len, f, NULL, &err) != -1)
		fail_msg("accepted: %.80s", doc);
	if (!strstr(err.msg, want) || !strstr(err.msg, "hostile.json"))
		fail_msg("message '%s' lacks '%s'", err.msg, want);
	/* a failed import changes nothing */
	assert_int_equal(brig_vulndb_count(db, NULL, NULL, NULL, &after, &err), 0);
	assert_int_equal(before, after);
}

#define REJECT(db, lit, want) expect_reject((db), (lit), strlen(lit), BRIG_VULNDB_FORMAT_AUTO, (want))

static void test_hostile(void **state)
{
	struct brig_vulndb *db = memdb();
	struct brig_error err = {0};
	struct brig_vulndb_import_stats st;
	size_t n, rows;
	char *big;

	(void)state;
	assert_int_equal(brig_vulndb_import_buffer(db, "good.json", good_osv, strlen(good_osv),
						   BRIG_VULNDB_FORMAT_AUTO, &st, &err), 0);
	assert_int_equal(st.advisories, 1);

	/* truncated */
	expect_reject(db, good_osv, strlen(good_osv) / 2, BRIG_VULNDB_FORMAT_AUTO, "invalid JSON");
	expect_reject(db, "", 0, BRIG_VULNDB_FORMAT_AUTO, "invalid JSON");
	/* wrong types */
	REJECT(db, "{\"id\":5,\"affected\":[]}", "not a recognized");
	expect_reject(db, "{\"id\":5}", 8, BRIG_VULNDB_FORMAT_OSV, "id must be a string");
	REJECT(db, "{\"id\":\"X-1\",\"affected\":\"npm\"}", "affected must be an array");
	REJECT(db, "{\"id\":\"X-1\",\"affected\":[7]}", "affected[0] must be an object");
	REJECT(db, "{\"id\":\"X-1\",\"affected\":[{\"package\":[]}]}", "affected[0].package must be an object");
	REJECT(db, "{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":1}}]}",
	       "affected[0].package.name must be a string");
	REJECT(db, "{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
		   "\"ranges\":[{\"type\":\"SEMVER\",\"events\":{}}]}]}",
	       "affected[0].ranges[0].events must be an array");
	REJECT(db, "{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
		   "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"fixed\":2}]}]}]}",
	       "events[0].fixed must be a string");
	REJECT(db, "{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
		   "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\",\"fixed\":\"1\"}]}]}]}",
	       "has both");
	REJECT(db, "{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\"},"
		   "\"versions\":[1]}]}",
	       "versions[0] must be a string");
	REJECT(db, "{\"id\":\"X-1\",\"aliases\":{},\"affected\":[]}", "aliases must be an array");
	REJECT(db, "{\"id\":\"X-1\",\"withdrawn\":true,\"affected\":[]}", "withdrawn must be a string");
	REJECT(db, "{\"distroversion\":\"v3.18\",\"packages\":\"x\"}", "packages must be an array");
	REJECT(db, "{\"distroversion\":\"v3.18\",\"packages\":[{\"pkg\":{\"name\":\"a\",\"secfixes\":{\"1-r0\":\"CVE-1\"}}}]}",
	       "must be an array");
	REJECT(db, "{\"distroversion\":\"../x\",\"packages\":[]}", "not an Alpine branch");
	REJECT(db, "{\"name\":\"busybox\",\"secfixes\":{},\"distroversion\":7}", "distroversion must be a string");
	expect_reject(db, "{\"pkg\":5}", 9, BRIG_VULNDB_FORMAT_DEBIAN_TRACKER, "must map CVE ids");
	REJECT(db, "{\"pkg\":{\"CVE-1\":{\"releases\":{\"bookworm\":{\"status\":5}}}}}", "status must be a string");
	REJECT(db, "{\"pkg\":{\"CVE-1\":{\"releases\":[1]}}}", "releases must be an object");
	REJECT(db, "{\"Header\":{\"ID\":\"CVE-1\"},\"Annotations\":7}", "Annotations must be an array");
	REJECT(db, "{\"Header\":{\"ID\":\"CVE-1\"},\"Annotations\":[{\"Type\":\"package\",\"Package\":[]}]}",
	       "Package must be a string");
	REJECT(db, "{\"something\":\"else\"}", "not a recognized advisory document");
	REJECT(db, "[1,2,3]", "not a recognized advisory document");

	/* 100k-deep array: jansson's depth limit, not our stack */
	big = malloc(200001);
	if (!big)
		abort();
	memset(big, '[', 100000);
	memset(big + 100000, ']', 100000);
	big[200000] = '\0';
	expect_reject(db, big, 200000, BRIG_VULNDB_FORMAT_AUTO, "invalid JSON");
	free(big);

	/* huge strings: bounded, never truncated */
	big = malloc(2u << 20);
	if (!big)
		abort();
	{
		int off = snprintf(big, 64, "{\"id\":\"");

		memset(big + off, 'A', (1u << 20));
		snprintf(big + off + (1u << 20), 64, "\",\"affected\":[]}");
	}
	REJECT(db, big, "id is longer than");
	{
		int off = snprintf(big, 64, "{\"id\":\"X-2\",\"details\":\"");

		memset(big + off, 'd', (1u << 20) + 10);
		snprintf(big + off + (1u << 20) + 10, 64, "\",\"affected\":[]}");
	}
	REJECT(db, big, "details is longer than");
	free(big);
	/* a document over BRIG_MAX_JSON_DOC that is not a tracker file */
	{
		size_t len = BRIG_MAX_JSON_DOC + 100;

		big = malloc(len + 1);
		if (!big)
			abort();
		memset(big, ' ', len);
		memcpy(big, "{\"id\":\"X-3\",\"details\":\"", 23);
		memcpy(big + len - 3, "\"}\n", 3);
		big[len] = '\0';
		expect_reject(db, big, len, BRIG_VULNDB_FORMAT_OSV, "larger than");
		expect_reject(db, big, len, BRIG_VULNDB_FORMAT_AUTO, "larger than");
		free(big);
	}
	/* control characters in names */
	REJECT(db, "{\"id\":\"X-1\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"a\\u001b[31m\"},"
		   "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"}]}]}]}",
	       "control characters");

	/* still exactly the one good advisory */
	assert_int_equal(brig_vulndb_count(db, NULL, NULL, &n, &rows, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows, 1);
	brig_vulndb_close(db);
}

/* A tracker bulk file over BRIG_MAX_JSON_DOC is read one package at a time */
static void test_tracker_stream(void **state)
{
	struct brig_vulndb *db = memdb();
	struct brig_error err = {0};
	struct brig_vulndb_import_stats st;
	size_t cap = BRIG_MAX_JSON_DOC + (4u << 20), len = 0, pkgs = 0, adv, rows;
	char *doc = malloc(cap);

	(void)state;
	assert_non_null(doc);
	len += (size_t)snprintf(doc, cap, "{\n");
	while (len < BRIG_MAX_JSON_DOC + (1u << 20)) {
		len += (size_t)snprintf(doc + len, cap - len,
					"%s\"pkg%zu\": {\"CVE-2024-%zu\": {\"description\": \"x \\\" } ] {\","
					" \"releases\": {\"bookworm\": {\"status\": \"resolved\","
					" \"fixed_version\": \"1.%zu-1\", \"urgency\": \"low\"},"
					" \"sid\": {\"status\": \"open\"}}}}",
					pkgs ? ",\n" : "", pkgs, pkgs, pkgs);
		pkgs++;
	}
	len += (size_t)snprintf(doc + len, cap - len, "\n}\n");
	if (brig_vulndb_import_buffer(db, "bulk.json", doc, len, BRIG_VULNDB_FORMAT_AUTO, &st, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(brig_vulndb_count(db, "debian-tracker", "Debian:12", &adv, &rows, &err), 0);
	assert_int_equal(adv, pkgs);
	assert_int_equal(rows, pkgs);
	/* truncated: fails as a whole, nothing stays */
	brig_vulndb_close(db);
	db = memdb();
	expect_reject(db, doc, len - 10, BRIG_VULNDB_FORMAT_AUTO, "byte");
	/* a deep member inside the big file */
	memcpy(doc + len - 3, ",\"", 2);
	{
		size_t off = len - 1;

		off += (size_t)snprintf(doc + off, cap - off, "deep\": ");
		memset(doc + off, '[', 200000);
		off += 200000;
		memset(doc + off, ']', 200000);
		off += 200000;
		off += (size_t)snprintf(doc + off, cap - off, "}");
		expect_reject(db, doc, off, BRIG_VULNDB_FORMAT_AUTO, "invalid JSON");
	}
	free(doc);
	brig_vulndb_close(db);
}

static void test_withdrawn_and_upsert(void **state)
{
	struct brig_vulndb *db = memdb();
	struct brig_error err = {0};
	struct brig_vulndb_import_stats st;
	struct collect c;
	const char *v2 =
		"{\"id\":\"GHSA-test-0001\",\"modified\":\"2024-02-01T00:00:00Z\","
		"\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"},"
		"\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.3.1\"}]}]}]}";
	const char *gone = "{\"id\":\"GHSA-test-0001\",\"modified\":\"2024-03-01T00:00:00Z\","
			   "\"withdrawn\":\"2024-03-01T00:00:00Z\",\"affected\":[]}";
	size_t n;

	(void)state;
	assert_int_equal(brig_vulndb_import_buffer(db, "v1", good_osv, strlen(good_osv),
						   BRIG_VULNDB_FORMAT_AUTO, &st, &err), 0);
	lookup(db, "npm", "left-pad", &c);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.rows[0].n_versions, 2);
	assert_string_equal(c.rows[0].range, "SEMVER");
	assert_string_equal(c.rows[0].url, "https://github.com/advisories/GHSA-test-0001");
	/* a newer version of the record replaces the old one entirely */
	assert_int_equal(brig_vulndb_import_buffer(db, "v2", v2, strlen(v2), BRIG_VULNDB_FORMAT_AUTO,
						   &st, &err), 0);
	lookup(db, "npm", "left-pad", &c);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.rows[0].fixed, "1.3.1");
	assert_int_equal(c.rows[0].n_versions, 0);
	assert_int_equal(c.rows[0].n_aliases, 0);
	/* withdrawn: gone */
	assert_int_equal(brig_vulndb_import_buffer(db, "v3", gone, strlen(gone), BRIG_VULNDB_FORMAT_AUTO,
						   &st, &err), 0);
	assert_int_equal(st.withdrawn, 1);
	lookup(db, "npm", "left-pad", &c);
	assert_int_equal(c.n, 0);
	assert_int_equal(brig_vulndb_count(db, NULL, NULL, &n, NULL, &err), 0);
	assert_int_equal(n, 0);
	brig_vulndb_close(db);
}

/* One CVE in two packages' secfixes: re-importing one package replaces
 * only its rows, appending after the other's, and never duplicates. */
static void test_package_replace(void **state)
{
	struct brig_vulndb *db = memdb();
	struct brig_error err = {0};
	struct collect c;
	size_t adv, rows;
	const char *a1 = "{\"name\":\"openssl\",\"distroversion\":\"v3.18\",\"secfixes\":"
			 "{\"3.1.0-r1\":[\"CVE-2023-0001\"],\"3.1.0-r2\":[\"CVE-2023-0001\"]}}";
	const char *b1 = "{\"name\":\"openssl3\",\"distroversion\":\"v3.18\",\"secfixes\":"
			 "{\"3.0.8-r0\":[\"CVE-2023-0001 CVE-2023-0002\"]}}";
	const char *a2 = "{\"name\":\"openssl\",\"distroversion\":\"v3.18\",\"secfixes\":"
			 "{\"3.1.0-r3\":[\"CVE-2023-0001\"]}}";

	(void)state;
	assert_int_equal(brig_vulndb_import_buffer(db, "a1", a1, strlen(a1), BRIG_VULNDB_FORMAT_AUTO, NULL, &err), 0);
	assert_int_equal(brig_vulndb_import_buffer(db, "b1", b1, strlen(b1), BRIG_VULNDB_FORMAT_AUTO, NULL, &err), 0);
	lookup(db, "Alpine:v3.18", "openssl", &c);
	assert_int_equal(c.n, 2);
	for (int round = 0; round < 3; round++) {
		assert_int_equal(brig_vulndb_import_buffer(db, "a2", a2, strlen(a2),
							   BRIG_VULNDB_FORMAT_AUTO, NULL, &err), 0);
		lookup(db, "Alpine:v3.18", "openssl", &c);
		assert_int_equal(c.n, 1);
		assert_string_equal(c.rows[0].fixed, "3.1.0-r3");
		lookup(db, "Alpine:v3.18", "openssl3", &c);
		assert_int_equal(c.n, 2);
		assert_string_equal(find(&c, "alpine-secdb", "CVE-2023-0001")->fixed, "3.0.8-r0");
	}
	assert_int_equal(brig_vulndb_count(db, "alpine-secdb", NULL, &adv, &rows, &err), 0);
	assert_int_equal(adv, 2);
	assert_int_equal(rows, 3);
	brig_vulndb_close(db);
}

static void test_keep_going(void **state)
{
	struct brig_vulndb_import_opts opts = {.keep_going = true};
	struct brig_vulndb_import_stats st;
	struct brig_error err = {0};
	struct brig_vulndb *db;
	const char *paths[1];
	size_t n;

	(void)state;
	mkdir(tmp_path("kg"), 0755);
	brig_test_write_file(tmp_path("kg/a.json"), good_osv);
	brig_test_write_file(tmp_path("kg/b.json"), "{\"id\":\"X-1\",\"affected\":\"bad\"}");
	brig_test_write_file(tmp_path("kg/notes.txt"), "not json");
	paths[0] = tmp_path("kg");
	assert_int_equal(brig_vulndb_open(tmp_path("kg.db"), true, &db, &err), 0);
	/* strict: all or nothing */
	assert_int_equal(brig_vulndb_import_paths(db, paths, 1, NULL, &st, &err), -1);
	assert_non_null(strstr(err.msg, "kg/b.json"));
	assert_non_null(strstr(err.msg, "affected must be an array"));
	assert_int_equal(brig_vulndb_count(db, NULL, NULL, &n, NULL, &err), 0);
	assert_int_equal(n, 0);
	/* keep going: the good one stays */
	assert_int_equal(brig_vulndb_import_paths(db, paths, 1, &opts, &st, &err), 0);
	assert_int_equal(st.rejected, 1);
	assert_int_equal(st.advisories, 1);
	assert_int_equal(st.ignored, 1);
	assert_int_equal(brig_vulndb_count(db, NULL, NULL, &n, NULL, &err), 0);
	assert_int_equal(n, 1);
	brig_vulndb_close(db);
}

/* ----------------------------------------------------- open and build */

static void test_open_errors(void **state)
{
	struct brig_error err = {0};
	struct brig_vulndb *db = NULL;
	char want[1024];
	char *path = NULL;

	(void)state;
	assert_int_equal(brig_vulndb_open(tmp_path("absent.db"), false, &db, &err), -1);
	assert_null(db);
	snprintf(want, sizeof(want),
		 "no vulnerability database at %s; run 'brig db import' or 'brig db update'",
		 tmp_path("absent.db"));
	assert_string_equal(err.msg, want);
	assert_int_equal(access(tmp_path("absent.db"), F_OK), -1);

	brig_test_write_file(tmp_path("junk.db"), "this is not sqlite, just some text that is long enough......."
					"..............................................................");
	assert_int_equal(brig_vulndb_open(tmp_path("junk.db"), false, &db, &err), -1);
	assert_non_null(strstr(err.msg, "is not a brig vulnerability database"));
	brig_test_write_file(tmp_path("empty.db"), "");
	assert_int_equal(brig_vulndb_open(tmp_path("empty.db"), false, &db, &err), -1);
	assert_non_null(strstr(err.msg, "no meta table"));

	/* create makes the parent directories */
	assert_int_equal(brig_vulndb_open(tmp_path("a/b/c/new.db"), true, &db, &err), 0);
	assert_int_equal(brig_vulndb_built_at(db), 0);
	brig_vulndb_close(db);
	assert_int_equal(brig_vulndb_open(tmp_path("a/b/c/new.db"), false, &db, &err), 0);
	brig_vulndb_close(db);

	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	assert_int_equal(brig_vulndb_default_path(&path, &err), 0);
	assert_string_equal(path, "/x/cache/brig/db/brig.db");
	free(path);
	setenv("XDG_CACHE_HOME", "relative/ignored", 1);
	setenv("HOME", "/home/u", 1);
	assert_int_equal(brig_vulndb_default_path(&path, &err), 0);
	assert_string_equal(path, "/home/u/.cache/brig/db/brig.db");
	free(path);
}

static void test_build_rename(void **state)
{
	struct brig_error err = {0};
	struct brig_vulndb *db = NULL;
	const char *final = tmp_path("built.db");
	size_t n;

	(void)state;
	/* abandoned build: nothing appears, no temporary file stays */
	assert_int_equal(brig_vulndb_build_begin(final, &db, &err), 0);
	assert_int_equal(brig_vulndb_import_buffer(db, "x", good_osv, strlen(good_osv),
						   BRIG_VULNDB_FORMAT_AUTO, NULL, &err), 0);
	brig_vulndb_close(db);
	assert_int_equal(access(final, F_OK), -1);
	{
		DIR *d = opendir(tmpdir);
		struct dirent *de;

		while ((de = readdir(d)))
			assert_null(strstr(de->d_name, "built.db.tmp"));
		closedir(d);
	}
	/* committed build */
	assert_int_equal(brig_vulndb_build_begin(final, &db, &err), 0);
	assert_int_equal(brig_vulndb_import_buffer(db, "x", good_osv, strlen(good_osv),
						   BRIG_VULNDB_FORMAT_AUTO, NULL, &err), 0);
	assert_int_equal(brig_vulndb_build_commit(db, &err), 0);
	assert_int_equal(brig_vulndb_open(final, false, &db, &err), 0);
	assert_true(brig_vulndb_built_at(db) > 0);
	assert_int_equal(brig_vulndb_count(db, "osv", "npm", &n, NULL, &err), 0);
	assert_int_equal(n, 1);
	brig_vulndb_close(db);
	/* the lookup index, deferred during the build, is there */
	{
		sqlite3 *h;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(final, &h), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_master WHERE"
						       " type = 'index' AND name = 'affected_by_package'",
						    -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
}

static void test_feed_urls(void **state)
{
	struct brig_error err = {0};
	char **urls;
	size_t n;

	(void)state;
	assert_int_equal(brig_vulndb_feed_urls("http://a/x.zip, file:///b.json,,", &urls, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(urls[0], "http://a/x.zip");
	assert_string_equal(urls[1], "file:///b.json");
	brig_vulndb_free_strv(urls, n);
	assert_int_equal(brig_vulndb_feed_urls("ftp://x", &urls, &n, &err), -1);
	assert_non_null(strstr(err.msg, "not an http(s):// or file:// URL"));
	setenv("BRIG_DB_SOURCES", "https://e/1.zip", 1);
	assert_int_equal(brig_vulndb_feed_urls(NULL, &urls, &n, &err), 0);
	assert_int_equal(n, 1);
	brig_vulndb_free_strv(urls, n);
	unsetenv("BRIG_DB_SOURCES");
	mkdir(tmp_path("cfg"), 0755);
	mkdir(tmp_path("cfg/brig"), 0755);
	brig_test_write_file(tmp_path("cfg/brig/feeds"), "# feeds\nhttps://one/a.zip\n\n  https://two/b.json  \n");
	setenv("XDG_CONFIG_HOME", tmp_path("cfg"), 1);
	assert_int_equal(brig_vulndb_feed_urls(NULL, &urls, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(urls[1], "https://two/b.json");
	brig_vulndb_free_strv(urls, n);
	setenv("XDG_CONFIG_HOME", tmp_path("nothing-here"), 1);
	assert_int_equal(brig_vulndb_feed_urls(NULL, &urls, &n, &err), 0);
	assert_int_equal(n, 3); /* osv.dev defaults */
	brig_vulndb_free_strv(urls, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cvss3),
		cmocka_unit_test(test_cvss_invalid),
		cmocka_unit_test(test_cvss2),
		cmocka_unit_test(test_cvss4),
		cmocka_unit_test(test_import_counts),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_query_plan),
		cmocka_unit_test(test_zip),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_tracker_stream),
		cmocka_unit_test(test_withdrawn_and_upsert),
		cmocka_unit_test(test_package_replace),
		cmocka_unit_test(test_keep_going),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_build_rename),
		cmocka_unit_test(test_feed_urls),
	};
	int rc;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

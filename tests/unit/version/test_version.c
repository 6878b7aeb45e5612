/* lib/version against the tools' own test vectors (../shared/data/
 * version-vectors, every row of every file) and node-semver range cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "version/version.h"

#define MAX_FIELDS 8

/* One vector file: rows are counted whatever their outcome, so a file that
 * silently lost rows, or a row that failed to parse, fails the test. */
struct vec_file {
	const char *rel;
	size_t ncols;	    /* columns every row must have (the header's) */
	size_t want_rows;   /* as counted in version-vectors/PROVENANCE.md */
	size_t rows, failed;
};

typedef bool (*row_fn)(struct vec_file *vf, char **f);

static int expected_order(const char *s)
{
	if (strcmp(s, "<") == 0)
		return -1;
	if (strcmp(s, "=") == 0)
		return 0;
	if (strcmp(s, ">") == 0)
		return 1;
	fail_msg("bad expected column '%s'", s);
	return 2;
}

static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		char *tab = strchr(p, '\t');

		if (n < max)
			f[n] = p;
		n++;
		if (!tab)
			return n;
		*tab = '\0';
		p = tab + 1;
	}
}

static void run_file(struct vec_file *vf, row_fn check)
{
	char path[4096];
	char *data, *line, *next;
	bool header = true;

	BRIG_REQUIRE_SHARED(vf->rel, path);
	data = brig_test_slurp(path, NULL);
	for (line = data; line && *line; line = next) {
		char *f[MAX_FIELDS];
		size_t n, len;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (len == 0)
			continue;
		n = split_tabs(line, f, MAX_FIELDS);
		if (header) {
			header = false;
			assert_int_equal(n, vf->ncols);
			continue;
		}
		vf->rows++;
		if (n != vf->ncols) {
			printf("  %s row %zu: %zu columns, want %zu\n", vf->rel, vf->rows, n, vf->ncols);
			vf->failed++;
			continue;
		}
		if (!check(vf, f)) {
			vf->failed++;
			printf("  %s row %zu FAILED: '%s' '%s' '%s'\n", vf->rel, vf->rows, f[0], f[1],
			       f[2]);
		}
	}
	free(data);
	printf("%s: %zu rows checked, %zu passed, %zu failed\n", vf->rel, vf->rows,
	       vf->rows - vf->failed, vf->failed);
	assert_int_equal(vf->rows, vf->want_rows);
	assert_int_equal(vf->failed, 0);
}

/* An ordering row holds when A op B, B (reversed op) A, and A = A. */
static bool order_row(enum brig_version_scheme s, const char *a, const char *b, const char *exp)
{
	int want = expected_order(exp);
	int ab = brig_version_compare(s, a, b);
	int ba = brig_version_compare(s, b, a);

	if (ab != want || ba != -want || brig_version_compare(s, a, a) != 0 ||
	    brig_version_compare(s, b, b) != 0) {
		printf("    %s vs %s: got %d (reverse %d), want %d\n", a, b, ab, ba, want);
		return false;
	}
	return true;
}

static bool dpkg_row(struct vec_file *vf, char **f)
{
	(void)vf;
	return order_row(BRIG_VER_DPKG, f[0], f[1], f[2]);
}

static bool apk_row(struct vec_file *vf, char **f)
{
	(void)vf;
	return order_row(BRIG_VER_APK, f[0], f[1], f[2]);
}

static bool semver_row(struct vec_file *vf, char **f)
{
	(void)vf;
	/* fields keep their leading spaces: node-semver trims them itself */
	return order_row(BRIG_VER_SEMVER, f[0], f[1], f[2]);
}

static bool rpm_row(struct vec_file *vf, char **f)
{
	(void)vf;
	/* "version-string-only" rows are bare rpmvercmp() cases; none holds
	 * ':' or '-', so the EVR split is the identity and the full
	 * comparison is exactly rpmvercmp on the whole string. */
	if (strstr(f[4], "version-string-only") &&
	    (strpbrk(f[0], ":-") || strpbrk(f[1], ":-"))) {
		printf("    rpmvercmp-only row with an EVR separator: %s %s\n", f[0], f[1]);
		return false;
	}
	return order_row(BRIG_VER_RPM, f[0], f[1], f[2]);
}

static bool apk_fuzzy_row(struct vec_file *vf, char **f)
{
	struct brig_error err = { 0 };
	int want, got;

	(void)vf;
	if (strcmp(f[3], "yes") == 0)
		want = 1;
	else if (strcmp(f[3], "no") == 0)
		want = 0;
	else
		return false;
	got = brig_apk_version_match(f[0], f[1], f[2], &err);
	if (got != want)
		printf("    %s %s %s: got %d, want %d (%s)\n", f[0], f[1], f[2], got, want, err.msg);
	return got == want;
}

static bool apk_validity_row(struct vec_file *vf, char **f)
{
	const char *v = strcmp(f[0], "(empty)") == 0 ? "" : f[0];
	bool want;

	(void)vf;
	if (strcmp(f[1], "yes") == 0)
		want = true;
	else if (strcmp(f[1], "no") == 0)
		want = false;
	else
		return false;
	if (brig_version_valid(BRIG_VER_APK, v) != want) {
		printf("    valid('%s') != %s\n", v, f[1]);
		return false;
	}
	return true;
}

static void test_vectors_dpkg(void **state)
{
	struct vec_file vf = { "version-vectors/dpkg.tsv", 4, 61, 0, 0 };

	(void)state;
	run_file(&vf, dpkg_row);
}

static void test_vectors_apk(void **state)
{
	struct vec_file vf = { "version-vectors/apk.tsv", 5, 717, 0, 0 };

	(void)state;
	run_file(&vf, apk_row);
}

static void test_vectors_apk_fuzzy(void **state)
{
	struct vec_file vf = { "version-vectors/apk-fuzzy.tsv", 5, 16, 0, 0 };

	(void)state;
	run_file(&vf, apk_fuzzy_row);
}

static void test_vectors_apk_validity(void **state)
{
	struct vec_file vf = { "version-vectors/apk-validity.tsv", 3, 31, 0, 0 };

	(void)state;
	run_file(&vf, apk_validity_row);
}

static void test_vectors_rpm(void **state)
{
	struct vec_file vf = { "version-vectors/rpm.tsv", 5, 108, 0, 0 };

	(void)state;
	run_file(&vf, rpm_row);
}

static void test_vectors_semver(void **state)
{
	struct vec_file vf = { "version-vectors/semver.tsv", 5, 46, 0, 0 };

	(void)state;
	run_file(&vf, semver_row);
}

/* Expected answers are node-semver 7.8.5's own (semver.Range(range,
 * { includePrerelease }).test(new SemVer(version, { loose: true })),
 * -1 where node throws on the range or the version). */
static const struct range_case {
	const char *version;
	const char *range;
	unsigned flags;
	int want;
} range_cases[] = {
	{ "1.2.3", "^1.2.3", 0, 1 },
	{ "1.9.9", "^1.2.3", 0, 1 },
	{ "2.0.0", "^1.2.3", 0, 0 },
	{ "1.2.2", "^1.2.3", 0, 0 },
	{ "2.0.0-0", "^1.2.3", 0, 0 },
	{ "0.2.9", "^0.2.3", 0, 1 },
	{ "0.3.0", "^0.2.3", 0, 0 },
	{ "0.0.3", "^0.0.3", 0, 1 },
	{ "0.0.4", "^0.0.3", 0, 0 },
	{ "1.9.0", "^1.2", 0, 1 },
	{ "2.0.0", "^1.2", 0, 0 },
	{ "0.0.9", "^0.0", 0, 1 },
	{ "0.1.0", "^0.0", 0, 0 },
	{ "1.99.99", "^1.x", 0, 1 },
	{ "0.99.0", "^0.x", 0, 1 },
	{ "1.0.0", "^0.x", 0, 0 },
	{ "1.2.3-beta.4", "^1.2.3-beta.2", 0, 1 },
	{ "1.2.4-beta.1", "^1.2.3-beta.2", 0, 0 },
	{ "1.2.3", "^1.2.3-beta.2", 0, 1 },
	{ "0.0.3-pr.2", "^0.0.3-beta", 0, 1 },
	{ "0.0.4", "^0.0.3-beta", 0, 0 },
	{ "5.0.0", "^*", 0, 1 },
	{ "1.2.9", "~1.2.3", 0, 1 },
	{ "1.3.0", "~1.2.3", 0, 0 },
	{ "1.2.0", "~1.2", 0, 1 },
	{ "1.3.0", "~1.2", 0, 0 },
	{ "1.9.9", "~1", 0, 1 },
	{ "2.0.0", "~1", 0, 0 },
	{ "0.2.5", "~0.2", 0, 1 },
	{ "1.2.3-beta.4", "~1.2.3-beta.2", 0, 1 },
	{ "1.2.4-beta.2", "~1.2.3-beta.2", 0, 0 },
	{ "1.2.5", "~>1.2.3", 0, 1 },
	{ "1.2.5", "~ 1.2.3", 0, 1 },
	{ "1.2.5", "~> 1.2", 0, 1 },
	{ "1.0.0", "*", 0, 1 },
	{ "1.0.0-beta", "*", 0, 0 },
	{ "1.4.0", "1.x", 0, 1 },
	{ "2.0.0", "1.x", 0, 0 },
	{ "1.2.9", "1.2.x", 0, 1 },
	{ "1.3.0", "1.2.*", 0, 0 },
	{ "9.9.9", "", 0, 1 },
	{ "3.0.0", "x", 0, 1 },
	{ "1.0.0", "1.X", 0, 1 },
	{ "2.0.0", ">1", 0, 1 },
	{ "1.9.9", ">1", 0, 0 },
	{ "1.2.0", ">=1.2", 0, 1 },
	{ "1.1.9", ">=1.2", 0, 0 },
	{ "1.1.9", "<1.2", 0, 1 },
	{ "1.2.0", "<1.2", 0, 0 },
	{ "1.2.9", "<=1.2", 0, 1 },
	{ "1.3.0", "<=1.2", 0, 0 },
	{ "1.3.0", ">1.2", 0, 1 },
	{ "1.2.9", ">1.2", 0, 0 },
	{ "1.5.0", "=1.x", 0, 1 },
	{ "1.0.0", "<*", 0, 0 },
	{ "1.0.0", ">=*", 0, 1 },
	{ "2.3.4", "1.2.3 - 2.3.4", 0, 1 },
	{ "2.3.5", "1.2.3 - 2.3.4", 0, 0 },
	{ "1.2.2", "1.2.3 - 2.3.4", 0, 0 },
	{ "1.2.0", "1.2 - 2.3.4", 0, 1 },
	{ "2.3.9", "1.2.3 - 2.3", 0, 1 },
	{ "2.4.0", "1.2.3 - 2.3", 0, 0 },
	{ "2.9.9", "1.2.3 - 2", 0, 1 },
	{ "3.0.0", "1.2.3 - 2", 0, 0 },
	{ "1.2.3-rc.1", "1.2.3-beta - 2", 0, 1 },
	{ "2.0.0-beta", "1.0.0 - 2.0.0-rc", 0, 1 },
	{ "1.2.3-alpha.7", ">1.2.3-alpha.3", 0, 1 },
	{ "3.4.5-alpha.9", ">1.2.3-alpha.3", 0, 0 },
	{ "3.4.5", ">1.2.3-alpha.3", 0, 1 },
	{ "1.2.7", "1.2.7 || >=1.2.9 <2.0.0", 0, 1 },
	{ "1.2.8", "1.2.7 || >=1.2.9 <2.0.0", 0, 0 },
	{ "1.4.6", "1.2.7 || >=1.2.9 <2.0.0", 0, 1 },
	{ "2.0.0", "1.2.7 || >=1.2.9 <2.0.0", 0, 0 },
	{ "1.5.0", ">=1.0.0 <2.0.0", 0, 1 },
	{ "2.0.0", ">=1.0.0 <2.0.0", 0, 0 },
	{ "1.2.4", "> 1.2.3", 0, 1 },
	{ "1.2.3", "=1.2.3", 0, 1 },
	{ "1.2.3", "v1.2.3", 0, 1 },
	{ "1.2.3+other", "1.2.3+build", 0, 1 },
	{ "v1.2.3", "1.2.3", 0, 1 },
	{ "=1.2.3", "^1.2.0", 0, 1 },
	{ "1.0.0-beta.2", "* || >=1.0.0-beta", 0, 0 },
	{ "1.0.0-beta.2", ">=1.0.0-beta || 2.x", 0, 1 },
	{ "2.0.0", "1.x ||", 0, 1 },
	{ "1.0.0", "<0.0.0-0", 0, 0 },
	{ "0.1.0", ">=0.0.0", 0, 1 },
	{ "1.2.3", "1.2.3*", 0, 1 },
	{ "1.0.0", "foo", 0, -1 },
	{ "1.0.0", ">=", 0, -1 },
	{ "1.0.0", "1.2.3.4", 0, -1 },
	{ "1.0.0", "^", 0, -1 },
	{ "1.0.0", "~", 0, -1 },
	{ "1.0.0", "x.1", 0, -1 },
	{ "1.0.0", "1.x.3", 0, -1 },
	{ "1.0.0", ">=1.0.0 garbage", 0, -1 },
	{ "1.0.0", "01.2.3", 0, -1 },
	{ "1.0.0", "^9007199254740991", 0, -1 },
	{ "1.0.0", "> = 1.0.0", 0, -1 },
	{ "1.0.0", "1.0.0 - 2.0.0 - 3.0.0", 0, -1 },
	{ "not.a.version", "*", 0, -1 },
	{ "1.2.3", ">=1.2.3-01", 0, -1 },
	{ "1.0.0-beta", "*", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
	{ "1.3.0-beta", "^1.2.3", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
	{ "2.0.0-0", "^1.2.3", BRIG_SEMVER_INCLUDE_PRERELEASE, 0 },
	{ "1.2.0-beta", "~1.2", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
	{ "1.2.0-beta", "1.2.x", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
	{ "1.2.3-beta", "1.2.3 - 2", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
	{ "2.0.0-beta", "1.2.3 - 2", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
	{ "1.9.10-beta", "1 - 1.9.9", BRIG_SEMVER_INCLUDE_PRERELEASE, 0 },
	{ "0.0.0-0", ">=0.0.0-0", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
	{ "3.4.5-alpha.9", ">1.2.3-alpha.3", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
	{ "1.0.0-rc.1", "<1.0.0", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
	{ "1.0.0-rc.1", "<=1.0", BRIG_SEMVER_INCLUDE_PRERELEASE, 1 },
};

static void test_semver_ranges(void **state)
{
	size_t i, failed = 0, n = sizeof(range_cases) / sizeof(range_cases[0]);

	(void)state;
	for (i = 0; i < n; i++) {
		const struct range_case *c = &range_cases[i];
		struct brig_error err = { 0 };
		int got = brig_semver_satisfies_flags(c->version, c->range, c->flags, &err);

		if (got != c->want) {
			failed++;
			printf("  satisfies('%s', '%s', %u) = %d, want %d %s\n", c->version, c->range,
			       c->flags, got, c->want, err.msg);
		}
		if (got < 0 && err.msg[0] == '\0') {
			failed++;
			printf("  satisfies('%s', '%s') failed without a message\n", c->version,
			       c->range);
		}
		if (c->flags == 0)
			assert_int_equal(brig_semver_satisfies(c->version, c->range, &err), got);
	}
	printf("semver ranges: %zu cases checked, %zu passed, %zu failed\n", n, n - failed, failed);
	assert_true(n >= 60);
	assert_int_equal(failed, 0);
}

static void test_dpkg_edges(void **state)
{
	(void)state;
	/* digit runs far past 64 bits compare as numbers, not overflow */
	assert_int_equal(brig_version_compare(BRIG_VER_DPKG, "1.000000000000000000000000000000000001",
					      "1.1"),
			 0);
	assert_int_equal(brig_version_compare(BRIG_VER_DPKG, "1.99999999999999999999999999999999",
					      "1.99999999999999999999999999999998"),
			 1);
	assert_int_equal(brig_version_compare(BRIG_VER_DPKG, "123456789012345678901234567890:1",
					      "123456789012345678901234567889:9"),
			 1);
	assert_int_equal(brig_version_compare(BRIG_VER_DPKG, " 1.0-1 ", "1.0-1"), 0);
	assert_int_equal(brig_version_compare(BRIG_VER_DPKG, "1.0~rc1", "1.0"), -1);
	assert_int_equal(brig_version_compare(BRIG_VER_DPKG, NULL, ""), 0);

	assert_true(brig_version_valid(BRIG_VER_DPKG, "1.0-1"));
	assert_true(brig_version_valid(BRIG_VER_DPKG, "2:1.2.3+dfsg-1~deb12u1"));
	assert_true(brig_version_valid(BRIG_VER_DPKG, "1:2.3-4:5-6")); /* ':' and '-' in upstream */
	assert_false(brig_version_valid(BRIG_VER_DPKG, ""));
	assert_false(brig_version_valid(BRIG_VER_DPKG, "a1.0"));
	assert_false(brig_version_valid(BRIG_VER_DPKG, "1.0-"));
	assert_false(brig_version_valid(BRIG_VER_DPKG, ":1.0"));
	assert_false(brig_version_valid(BRIG_VER_DPKG, "1:"));
	assert_false(brig_version_valid(BRIG_VER_DPKG, "x:1.0"));
	assert_false(brig_version_valid(BRIG_VER_DPKG, "1.0 1"));
	assert_false(brig_version_valid(BRIG_VER_DPKG, "99999999999:1.0"));
	assert_false(brig_version_valid(BRIG_VER_DPKG, "1.0_1"));
	assert_false(brig_version_valid(BRIG_VER_DPKG, "1.0-1:2"));
	assert_false(brig_version_valid(BRIG_VER_DPKG, NULL));
}

static void test_rpm_edges(void **state)
{
	(void)state;
	/* a missing release sorts below every release (rpm.ver / labelCompare) */
	assert_int_equal(brig_version_compare(BRIG_VER_RPM, "1.0", "1.0-1"), -1);
	assert_int_equal(brig_version_compare(BRIG_VER_RPM, "0:1.0-1", "1.0-1"), 0);
	assert_int_equal(brig_version_compare(BRIG_VER_RPM, ":1.0-1", "0:1.0-1"), 0);
	assert_int_equal(brig_version_compare(BRIG_VER_RPM, "99999999999999999999999:1", "1:2"), 1);
	assert_int_equal(brig_version_compare(BRIG_VER_RPM, "1.0.99999999999999999999999999",
					      "1.0.99999999999999999999999998"),
			 1);
	assert_int_equal(brig_version_compare(BRIG_VER_RPM, "1.el8", "1.el8_2"), -1);

	assert_true(brig_version_valid(BRIG_VER_RPM, "1.0"));
	assert_true(brig_version_valid(BRIG_VER_RPM, "2:1.0~rc1^git3-4.el8_2"));
	assert_false(brig_version_valid(BRIG_VER_RPM, ""));
	assert_false(brig_version_valid(BRIG_VER_RPM, ":1.0"));
	assert_false(brig_version_valid(BRIG_VER_RPM, "1.0-"));
	assert_false(brig_version_valid(BRIG_VER_RPM, "-1"));
	assert_false(brig_version_valid(BRIG_VER_RPM, "1-2-3"));
	assert_false(brig_version_valid(BRIG_VER_RPM, "a:1.0"));
	assert_false(brig_version_valid(BRIG_VER_RPM, "1.0 "));
}

static void test_apk_edges(void **state)
{
	struct brig_error err = { 0 };

	(void)state;
	assert_int_equal(brig_version_compare(BRIG_VER_APK, "1.99999999999999999999999", "1.9"), 1);
	assert_int_equal(brig_version_compare(BRIG_VER_APK, "18446744073709551617", "1"), 1);
	assert_int_equal(brig_version_compare(BRIG_VER_APK, "1.0_rc1", "1.0"), -1);
	assert_int_equal(brig_version_compare(BRIG_VER_APK, "1.0_p1", "1.0"), 1);
	assert_int_equal(brig_version_compare(BRIG_VER_APK, "1.0-r1", "1.0"), 1);
	assert_int_equal(brig_apk_version_match("1.2", "<=", "1.2", &err), 1);
	assert_int_equal(brig_apk_version_match("1.3", "<", "1.2", &err), 0);
	assert_int_equal(brig_apk_version_match("1.3", "><=~", "1.2", &err), 1);
	assert_int_equal(brig_apk_version_match("1.3", "!=", "1.2", &err), -1);
	assert_non_null(strstr(err.msg, "operator"));
	assert_int_equal(brig_apk_version_match("1.3", "", "1.2", &err), -1);
	assert_int_equal(brig_apk_version_match("1.3", NULL, "1.2", &err), -1);
}

static void test_semver_edges(void **state)
{
	struct brig_error err = { 0 };
	char longv[300];

	(void)state;
	assert_true(brig_version_valid(BRIG_VER_SEMVER, "1.2.3"));
	assert_true(brig_version_valid(BRIG_VER_SEMVER, " =v1.2.3-beta.1+build.5 "));
	assert_true(brig_version_valid(BRIG_VER_SEMVER, "1.2.3beta"));	/* loose */
	assert_true(brig_version_valid(BRIG_VER_SEMVER, "01.02.03"));	/* loose */
	assert_true(brig_version_valid(BRIG_VER_SEMVER, "9007199254740991.0.0"));
	assert_false(brig_version_valid(BRIG_VER_SEMVER, "9007199254740992.0.0"));
	assert_false(brig_version_valid(BRIG_VER_SEMVER, "1.2"));
	assert_false(brig_version_valid(BRIG_VER_SEMVER, "1.2.3.4"));
	assert_false(brig_version_valid(BRIG_VER_SEMVER, "1.2.3-a..b"));
	assert_false(brig_version_valid(BRIG_VER_SEMVER, "1.2.3+"));
	assert_false(brig_version_valid(BRIG_VER_SEMVER, ""));
	memset(longv, 'a', sizeof(longv));
	memcpy(longv, "1.2.3-", 6);
	longv[sizeof(longv) - 1] = '\0'; /* 299 characters: over node's 256 */
	assert_false(brig_version_valid(BRIG_VER_SEMVER, longv));

	/* node's regex backtracking: "1.2.34.5" is 1.2.3-4.5 */
	assert_int_equal(brig_version_compare(BRIG_VER_SEMVER, "1.2.34.5", "1.2.3-4.5"), 0);
	assert_int_equal(brig_version_compare(BRIG_VER_SEMVER, "1.2.3-01", "1.2.3-1"), 0);
	assert_int_equal(brig_version_compare(BRIG_VER_SEMVER, "1.2.3-alpha", "1.2.3-1"), 1);
	assert_int_equal(brig_version_compare(BRIG_VER_SEMVER, "1.2.3-a.b", "1.2.3-a.b.0"), -1);
	/* invalid versions sort first, then by bytes */
	assert_int_equal(brig_version_compare(BRIG_VER_SEMVER, "junk", "0.0.0-0"), -1);
	assert_int_equal(brig_version_compare(BRIG_VER_SEMVER, "junk", "junk2"), -1);

	assert_int_equal(brig_semver_satisfies(NULL, "*", &err), -1);
	assert_non_null(strstr(err.msg, "invalid semver version"));
	assert_int_equal(brig_semver_satisfies("1.0.0", NULL, &err), 1);
	assert_int_equal(brig_semver_satisfies("1.0.0", " \t\n", &err), 1);
}

/* Every scheme must give an antisymmetric answer on awkward inputs. */
static void test_antisymmetry_pool(void **state)
{
	static const char *pool[] = {
		"", "0", "00", "1", "1.0", "1.00", "1.0.0", "1:1.0", ":1.0", "1:", "-1", "1-",
		"1.0-1", "1.0-r1", "1.0_rc1", "1.0_p1", "1.0a", "1.0bc", "1.0~", "1.0~1", "1.0^",
		"1.0^1", "^1", "~1", "~~", "^^", "1.0~rc1^git", "a", "A", "aa", "+", "_", ".", "..",
		"1..0", "v1.2.3", "1.2.3-beta", "1.2.3-beta.1", "1.2.3-1", "1.2.3+b", " 1.2.3",
		"1.2.34.5", "1.0~abc-r2", "1.0~xyz", "\x80", "1.\xff", "99999999999999999999999",
		"1.99999999999999999999999", "0.1_alpha_beta", "1.0-r1-r2", "1.0_", "1.0_-r0",
	};
	static const enum brig_version_scheme schemes[] = { BRIG_VER_DPKG, BRIG_VER_APK,
							    BRIG_VER_RPM, BRIG_VER_SEMVER };
	size_t n = sizeof(pool) / sizeof(pool[0]), i, j, k;

	(void)state;
	for (k = 0; k < 4; k++) {
		for (i = 0; i < n; i++) {
			assert_int_equal(brig_version_compare(schemes[k], pool[i], pool[i]), 0);
			for (j = 0; j < n; j++) {
				int ab = brig_version_compare(schemes[k], pool[i], pool[j]);
				int ba = brig_version_compare(schemes[k], pool[j], pool[i]);

				if (ab != -ba)
					fail_msg("scheme %zu: '%s' vs '%s': %d and %d", k, pool[i],
						 pool[j], ab, ba);
				assert_true(ab >= -1 && ab <= 1);
			}
		}
	}
}

/* Megabyte-long versions and ranges must finish promptly: a quadratic
 * step would take minutes here. */
static void test_hostile_lengths(void **state)
{
	static const char *units[] = { "9", "0", "~", ".", "a", "1.", "1~", "^", "-r1", "_p1", "x" };
	static const enum brig_version_scheme schemes[] = { BRIG_VER_DPKG, BRIG_VER_APK,
							    BRIG_VER_RPM, BRIG_VER_SEMVER };
	static const char *range_units[] = { "1.x || ", ">= ", "~ ", "v", "- ", "* ", "+a.",
					     "1.2.3 - ", "^1.2.3-a.", "<=*" };
	const size_t len = 1u << 20;
	struct brig_error err = { 0 };
	char *a = malloc(len + 1), *b = malloc(len + 1);
	clock_t start = clock();
	size_t u, i, k;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		size_t ul = strlen(units[u]);

		for (i = 0; i + ul <= len; i += ul)
			memcpy(a + i, units[u], ul);
		a[i] = '\0';
		memcpy(b, a, i + 1);
		b[i / 2] = '8';
		for (k = 0; k < 4; k++) {
			int ab = brig_version_compare(schemes[k], a, b);

			assert_int_equal(ab, -brig_version_compare(schemes[k], b, a));
			assert_int_equal(brig_version_compare(schemes[k], a, a), 0);
			(void)brig_version_valid(schemes[k], a);
		}
	}
	for (u = 0; u < sizeof(range_units) / sizeof(range_units[0]); u++) {
		size_t ul = strlen(range_units[u]);

		for (i = 0; i + ul <= len; i += ul)
			memcpy(a + i, range_units[u], ul);
		a[i] = '\0';
		(void)brig_semver_satisfies("1.2.3", a, &err);
		(void)brig_semver_satisfies("1.2.3-a.1", a, &err);
	}
	free(a);
	free(b);
	/* generous: this takes well under a second when linear */
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 30.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors_dpkg),
		cmocka_unit_test(test_vectors_apk),
		cmocka_unit_test(test_vectors_apk_fuzzy),
		cmocka_unit_test(test_vectors_apk_validity),
		cmocka_unit_test(test_vectors_rpm),
		cmocka_unit_test(test_vectors_semver),
		cmocka_unit_test(test_semver_ranges),
		cmocka_unit_test(test_dpkg_edges),
		cmocka_unit_test(test_rpm_edges),
		cmocka_unit_test(test_apk_edges),
		cmocka_unit_test(test_semver_edges),
		cmocka_unit_test(test_antisymmetry_pool),
		cmocka_unit_test(test_hostile_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

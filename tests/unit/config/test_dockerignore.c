#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/dockerignore.h"
#include "core/cleanup.h"
#include "core/xalloc.h"
#include "testutil.h"
#include "config_test.h"

static struct brig_dockerignore *parse_ok(const char *text)
{
	struct brig_error err = {0};
	struct brig_dockerignore *ig = NULL;

	if (brig_dockerignore_parse(text, strlen(text), ".dockerignore", &ig, &err)) {
		print_error("unexpected error: %s\n", err.msg);
		fail();
	}
	return ig;
}

static void parse_fails(const char *text, size_t len, const char *want)
{
	struct brig_error err = {0};
	struct brig_dockerignore *ig = NULL;

	assert_int_equal(brig_dockerignore_parse(text, len, ".dockerignore", &ig, &err), -1);
	assert_null(ig);
	if (!strstr(err.msg, want)) {
		print_error("error \"%s\" lacks \"%s\"\n", err.msg, want);
		fail();
	}
}

static void test_fixture(void **state)
{
	_cleanup_free_ char *path = fixture_path("dockerignore");
	struct brig_error err = {0};
	struct brig_dockerignore *ig = NULL;

	(void)state;
	assert_int_equal(brig_dockerignore_load(path, &ig, &err), 0);
	assert_int_equal(ig->n_patterns, 11);
	/* only a '#' in column 1 is a comment */
	assert_string_equal(ig->patterns[0].pattern, "# not a comment: a pattern");
	assert_int_equal(ig->patterns[0].line, 2);
	assert_string_equal(ig->patterns[1].pattern, "node_modules");
	assert_int_equal(ig->patterns[1].line, 4);
	/* leading / and ./ stripped, path cleaned */
	assert_string_equal(ig->patterns[2].raw, "/abs/path/");
	assert_string_equal(ig->patterns[2].pattern, "abs/path");
	assert_string_equal(ig->patterns[3].pattern, "rel/y");
	assert_true(ig->patterns[5].negate);
	assert_string_equal(ig->patterns[5].pattern, "important.log");
	assert_string_equal(ig->patterns[6].raw, "docs");
	assert_int_equal(ig->patterns[6].line, 9);
	assert_true(ig->patterns[10].negate);
	assert_string_equal(ig->patterns[10].pattern, "spaced");
	assert_int_equal(ig->patterns[10].line, 13);

	assert_true(brig_dockerignore_matches(ig, "node_modules"));
	assert_true(brig_dockerignore_matches(ig, "node_modules/x/y.js"));
	assert_false(brig_dockerignore_matches(ig, "src/node_modules")); /* not **-prefixed */
	assert_true(brig_dockerignore_matches(ig, "abs/path/file"));
	assert_true(brig_dockerignore_matches(ig, "/abs/path"));
	assert_true(brig_dockerignore_matches(ig, "./rel/y"));
	assert_true(brig_dockerignore_matches(ig, "debug.log"));
	assert_false(brig_dockerignore_matches(ig, "sub/debug.log")); /* * stops at / */
	assert_false(brig_dockerignore_matches(ig, "important.log"));
	assert_true(brig_dockerignore_matches(ig, "docs/readme.md"));
	assert_false(brig_dockerignore_matches(ig, "docs/keep.md")); /* re-included */
	assert_true(brig_dockerignore_matches(ig, ".git"));
	assert_true(brig_dockerignore_matches(ig, "a/b/.git/config"));
	assert_false(brig_dockerignore_matches(ig, "build"));
	assert_true(brig_dockerignore_matches(ig, "build/out.o"));
	assert_false(brig_dockerignore_matches(ig, "Dockerfile"));
	assert_false(brig_dockerignore_matches(ig, "."));
	assert_false(brig_dockerignore_matches(ig, ""));
	assert_false(brig_dockerignore_matches(NULL, "x"));
	brig_dockerignore_free(ig);
}

/* moby/patternmatcher's own expectations (TestMatches), one pattern each */
static void test_match_table(void **state)
{
	static const struct {
		const char *pattern;
		const char *path;
		bool want;
	} cases[] = {
		{"**", "file", true},
		{"**/", "file", true},
		{"**", "dir/file", true},
		{"**/", "dir/file", true},
		{"**/**", "dir/file", true},
		{"dir/**", "dir/file", true},
		{"dir/**", "dir/dir2/file", true},
		{"**/dir", "dir", true},
		{"**/dir", "dir/file", true},
		{"**/dir2/*", "dir/dir2/file", true},
		{"**/dir2/**", "dir/dir2/dir3/file", true},
		{"**file", "file", true},
		{"**file", "dir/file", true},
		{"**/file", "dir/file", true},
		{"**file", "dir/dir/file", true},
		{"**/file", "dir/dir/file", true},
		{"**/file*", "dir/dir/file", true},
		{"**/file*", "dir/dir/file.txt", true},
		{"**/file*txt", "dir/dir/file.txt", true},
		{"**/file*.txt", "dir/dir/file.txt", true},
		{"**/file*.txt*", "dir/dir/file.txt", true},
		{"**/**/*.txt", "dir/dir/file.txt", true},
		{"**/**/*.txt2", "dir/dir/file.txt", false},
		{"**/*.txt", "file.txt", true},
		{"**/**/*.txt", "file.txt", true},
		{"a**/*.txt", "a/file.txt", true},
		{"a**/*.txt", "a/dir/file.txt", true},
		{"a**/*.txt", "a/dir/dir/file.txt", true},
		{"a/*.txt", "a/dir/file.txt", false},
		{"a/*.txt", "a/file.txt", true},
		{"a/*.txt**", "a/file.txt", true},
		{"a[b-d]e", "ae", false},
		{"a[b-d]e", "ace", true},
		{"a[b-d]e", "aae", false},
		{"a[^b-d]e", "aze", true},
		{".*", ".foo", true},
		{".*", "foo", false},
		{"abc.def", "abcdef", false},
		{"abc.def", "abc.def", true},
		{"abc.def", "abcZdef", false},
		{"abc?def", "abcZdef", true},
		{"abc?def", "abcdef", false},
		{"abc?def", "abc/def", false},
		{"a\\\\", "a\\", true},
		{"a\\*b", "a*b", true},
		{"a\\*b", "axb", false},
		{"**/foo/bar", "foo/bar", true},
		{"**/foo/bar", "dir/foo/bar", true},
		{"**/foo/bar", "dir/dir2/foo/bar", true},
		{"abc/**", "abc", false},
		{"abc/**", "abc/def", true},
		{"abc/**", "abc/def/ghi", true},
		{"**/.foo", ".foo", true},
		{"**/.foo", "bar.foo", false},
		{"a(b)c/def", "a(b)c/def", true},
		{"a(b)c/def", "a(b)c/xyz", false},
		{"a.|)$(}+{bc", "a.|)$(}+{bc", true},
		{"dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true},
		{"*", "anything/below", true}, /* the parent "anything" matches */
		{"docs", "docs/a/b/c", true},
		{"*/secret", "x/secret/y", true},
		{"*/secret", "x/y/secret", false},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct brig_dockerignore *ig = parse_ok(cases[i].pattern);
		bool got = brig_dockerignore_matches(ig, cases[i].path);

		if (got != cases[i].want) {
			print_error("pattern %s path %s: got %d want %d\n", cases[i].pattern,
				    cases[i].path, got, cases[i].want);
			fail();
		}
		brig_dockerignore_free(ig);
	}
}

static void test_order_and_errors(void **state)
{
	struct brig_dockerignore *ig;

	(void)state;
	/* the last matching line wins */
	ig = parse_ok("*.md\n!README*.md\nREADME-secret.md\n");
	assert_true(brig_dockerignore_matches(ig, "CHANGES.md"));
	assert_false(brig_dockerignore_matches(ig, "README.md"));
	assert_true(brig_dockerignore_matches(ig, "README-secret.md"));
	brig_dockerignore_free(ig);
	/* excluding everything and re-including one tree */
	ig = parse_ok("**\n!src\n");
	assert_true(brig_dockerignore_matches(ig, "Dockerfile"));
	assert_false(brig_dockerignore_matches(ig, "src/main.c"));
	brig_dockerignore_free(ig);
	/* empty file, CRLF, BOM */
	ig = parse_ok("");
	assert_int_equal(ig->n_patterns, 0);
	assert_false(brig_dockerignore_matches(ig, "x"));
	brig_dockerignore_free(ig);
	ig = parse_ok("\xEF\xBB\xBF# c\r\nsecret.txt\r\n");
	assert_int_equal(ig->n_patterns, 1);
	assert_string_equal(ig->patterns[0].pattern, "secret.txt");
	assert_int_equal(ig->patterns[0].line, 2);
	brig_dockerignore_free(ig);

	parse_fails("ok\n!\n", 5, ".dockerignore:2: illegal exclusion pattern");
	parse_fails("a[\n", 3, ".dockerignore:1: syntax error in pattern");
	parse_fails("[]a]\n", 5, "syntax error in pattern");
	parse_fails("[a-]\n", 5, "syntax error in pattern");
	parse_fails("x\\", 2, "syntax error in pattern");
	parse_fails("a\0b\n", 4, "NUL byte");
}

static void test_hostile(void **state)
{
	struct brig_dockerignore *ig;
	char *s, *path;
	clock_t t0;

	(void)state;
	/* a pathological glob against a long path stays linear */
	ig = parse_ok("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b\n**/**/**/**/**/**/**/**/x\n");
	path = brig_xmalloc(4001);
	assert_non_null(path);
	memset(path, 'a', 4000);
	path[4000] = '\0';
	for (int i = 100; i < 4000; i += 100)
		path[i] = '/';
	t0 = clock();
	for (int i = 0; i < 20; i++)
		assert_false(brig_dockerignore_matches(ig, path));
	assert_true((clock() - t0) / CLOCKS_PER_SEC < 5);
	free(path);
	brig_dockerignore_free(ig);

	/* too many patterns, too long a line */
	s = brig_xmalloc(10001 * 2 + 1);
	assert_non_null(s);
	for (int i = 0; i < 10001; i++) {
		s[2 * i] = 'x';
		s[2 * i + 1] = '\n';
	}
	s[10001 * 2] = '\0';
	parse_fails(s, strlen(s), ".dockerignore:10001: more than 10000 patterns");
	free(s);
	s = brig_xmalloc(70000);
	assert_non_null(s);
	memset(s, 'x', 70000);
	parse_fails(s, 70000, "line longer than 65535 bytes");
	free(s);
	/* non-UTF-8 bytes are matched as bytes */
	ig = parse_ok("\xff*\n");
	assert_true(brig_dockerignore_matches(ig, "\xff\xfe"));
	brig_dockerignore_free(ig);
}

struct walk_stats {
	size_t ok;
	size_t failed;
};

static void ignore_file_cb(const char *path, void *ctx)
{
	struct walk_stats *st = ctx;
	struct brig_error err = {0};
	struct brig_dockerignore *ig = NULL;

	if (brig_dockerignore_load(path, &ig, &err)) {
		print_error("FAILED: %s\n", err.msg);
		st->failed++;
		return;
	}
	assert_true(ig->n_patterns > 0);
	/* every real file here excludes node_modules, target or build */
	assert_true(brig_dockerignore_matches(ig, "node_modules/x") ||
		    brig_dockerignore_matches(ig, "target/debug/x") ||
		    brig_dockerignore_matches(ig, "build/index.html"));
	assert_false(brig_dockerignore_matches(ig, "Dockerfile"));
	brig_dockerignore_free(ig);
	st->ok++;
}

static bool is_dockerignore(const char *b)
{
	static const char *const globs[] = {".dockerignore", "*.dockerignore", NULL};

	return glob_any(b, globs);
}

static void test_real_files(void **state)
{
	char dir[4096];
	struct walk_stats st = {0};

	(void)state;
	BRIG_REQUIRE_SHARED("real-dockerfiles", dir);
	walk_tree(dir, is_dockerignore, ignore_file_cb, &st);
	printf("real-dockerfiles: %zu .dockerignore files parsed, %zu failed\n", st.ok, st.failed);
	assert_int_equal(st.failed, 0);
	assert_true(st.ok >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture),
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_order_and_errors),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_real_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

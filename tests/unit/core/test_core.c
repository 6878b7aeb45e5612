#include <setjmp.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/path.h"
#include "core/sha256.h"

static void test_path_normalize(void **state)
{
	struct brig_error err = {0};
	char *out = NULL;

	(void)state;
	assert_int_equal(brig_path_normalize("./etc//os-release", &out, &err), 0);
	assert_string_equal(out, "etc/os-release");
	free(out);
	assert_int_equal(brig_path_normalize("/usr/./lib/", &out, &err), 0);
	assert_string_equal(out, "usr/lib");
	free(out);
	assert_int_equal(brig_path_normalize("./", &out, &err), 0);
	assert_string_equal(out, "");
	free(out);
	assert_int_equal(brig_path_normalize("../../etc/x", &out, &err), -1);
	assert_null(out);
	assert_non_null(strstr(err.msg, "escapes"));
	assert_int_equal(brig_path_normalize("a/b/../../../c", &out, &err), -1);
}

static void test_path_under(void **state)
{
	(void)state;
	assert_true(brig_path_under("usr/lib/x", "usr/lib"));
	assert_true(brig_path_under("usr/lib", "usr/lib"));
	assert_false(brig_path_under("usr/lib64", "usr/lib"));
	assert_true(brig_path_under("anything", ""));
}

/* Many small and some large allocations: each keeps its bytes, is
 * aligned, and distinct blocks never overlap. */
static void test_arena(void **state)
{
	struct brig_arena a = BRIG_ARENA_INIT;
	char *strs[2000];
	int *ints = NULL;
	size_t cap = 0;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		char tmp[32];
		int n = snprintf(tmp, sizeof(tmp), "word-%d", i);

		/* every 97th one is larger than a chunk */
		if (i % 97 == 0) {
			strs[i] = brig_arena_alloc(&a, 70000);
			memset(strs[i], 'x', 69999);
			memcpy(strs[i], tmp, (size_t)n + 1);
		} else {
			strs[i] = brig_arena_strndup(&a, tmp, (size_t)n);
		}
		assert_int_equal(brig_arena_alloc(&a, 24) != NULL, 1);
		assert_int_equal((uintptr_t)brig_arena_alloc(&a, 3) % alignof(max_align_t), 0);
	}
	for (int i = 0; i < 2000; i++) {
		char tmp[32];

		snprintf(tmp, sizeof(tmp), "word-%d", i);
		assert_string_equal(strs[i], tmp);
	}
	for (int i = 0; i < 1000; i++) {
		BRIG_ARENA_GROW(&a, ints, cap, (size_t)i + 1);
		ints[i] = i * 3;
	}
	assert_true(cap >= 1000);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(ints[i], i * 3);
	assert_string_equal(brig_arena_strdup(&a, ""), "");
	int *z = brig_arena_calloc(&a, 100, sizeof(int));
	for (int i = 0; i < 100; i++)
		assert_int_equal(z[i], 0);
	brig_arena_free(&a);
	assert_null(a.chunks);
	/* reusable after a free */
	assert_string_equal(brig_arena_strdup(&a, "again"), "again");
	brig_arena_free(&a);
}

static void test_buf_limit(void **state)
{
	struct brig_error err = {0};
	struct brig_buf b;

	(void)state;
	brig_buf_init(&b, 8);
	assert_int_equal(brig_buf_append(&b, "12345", 5, &err), 0);
	assert_int_equal(brig_buf_append(&b, "678", 3, &err), 0);
	assert_string_equal(b.data, "12345678");
	assert_int_equal(brig_buf_append(&b, "9", 1, &err), -1);
	assert_non_null(strstr(err.msg, "limit"));
	brig_buf_free(&b);
}

static void test_sha256(void **state)
{
	char d[BRIG_DIGEST_STR_LEN];

	(void)state;
	brig_sha256_digest("abc", 3, d);
	assert_string_equal(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_true(brig_digest_valid(d));
	assert_false(brig_digest_valid("sha256:BA78"));
}

static void test_error_prefix(void **state)
{
	struct brig_error err = {0};

	(void)state;
	assert_int_equal(brig_error_set(&err, 0, "bad %s", "thing"), -1);
	brig_error_prefix(&err, "layer %d", 3);
	assert_string_equal(err.msg, "layer 3: bad thing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_normalize), cmocka_unit_test(test_path_under),
		cmocka_unit_test(test_buf_limit), cmocka_unit_test(test_arena),      cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_error_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

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
		cmocka_unit_test(test_buf_limit),      cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_error_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

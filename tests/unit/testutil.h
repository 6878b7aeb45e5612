/* Helpers shared by the cmocka tests. Include after cmocka.h. */
#ifndef BRIG_TESTS_TESTUTIL_H
#define BRIG_TESTS_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* Full path of a file under ../shared/data, or NULL (after printing a
 * visible reason) when the data is not there: callers then skip(). */
static inline const char *brig_test_shared(const char *rel, char *buf, size_t n)
{
	const char *root = getenv("BRIG_SHARED_DATA");
	struct stat st;

	if (!root)
		root = "../shared/data";
	snprintf(buf, n, "%s/%s", root, rel);
	if (stat(buf, &st) != 0) {
		printf("SKIP: %s not found (../shared/data is absent in this checkout)\n", buf);
		return NULL;
	}
	return buf;
}

#define BRIG_REQUIRE_SHARED(rel, buf)                                          \
	do {                                                                   \
		if (!brig_test_shared((rel), (buf), sizeof(buf))) {            \
			skip();                                                \
			return;                                                \
		}                                                              \
	} while (0)

/* Writes text to path (created or truncated); the test fails if it cannot. */
static inline void brig_test_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Reads a whole file; aborts the test process on failure. */
static inline char *brig_test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (!f) {
		perror(path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	if (!data || fread(data, 1, (size_t)n, f) != (size_t)n)
		abort();
	data[n] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)n;
	return data;
}

#endif

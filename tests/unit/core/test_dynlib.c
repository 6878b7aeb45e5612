/* The dlopen'ed libraries work through their shims, and a library that
 * cannot be loaded is an error naming it, not a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <archive.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dynlib.h"
#include "core/sha256.h"

static size_t count_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	(void)data;
	*(size_t *)userdata += size * nmemb;
	return size * nmemb;
}

/* A file:// transfer passes a long, a string, a callback, a data pointer
 * and a curl_off_t through the variadic setopt shim, and reads a long, a
 * string and a curl_off_t back through getinfo. */
static void test_curl(void **state)
{
	struct brig_error err = {0};
	char path[] = "/tmp/brig-dynlib-XXXXXX", url[64];
	size_t got = 0;
	long mtime = 0;
	struct stat st;
	char *eff = NULL;
	curl_off_t size = 0;
	int fd;
	CURL *c;

	(void)state;
	assert_int_equal(brig_libcurl_load(&err), 0);
	assert_int_equal(brig_libcurl_load(&err), 0);
	assert_int_equal(curl_global_init(CURL_GLOBAL_DEFAULT), CURLE_OK);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello", 5), 5);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	snprintf(url, sizeof(url), "file://%s", path);
	c = curl_easy_init();
	assert_non_null(c);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_URL, url), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_FILETIME, 1L), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, count_body), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_WRITEDATA, &got), CURLE_OK);
	assert_int_equal(curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)100), CURLE_OK);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	assert_int_equal(got, 5);
	assert_int_equal(curl_easy_getinfo(c, CURLINFO_FILETIME, &mtime), CURLE_OK);
	assert_int_equal(mtime, (long)st.st_mtime);
	assert_int_equal(curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &eff), CURLE_OK);
	assert_string_equal(eff, url);
	assert_int_equal(curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &size), CURLE_OK);
	assert_int_equal(size, 5);
	/* an off_t that shows: resuming skips the first 2 bytes */
	got = 0;
	assert_int_equal(curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)2), CURLE_OK);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	assert_int_equal(got, 3);
	assert_string_equal(curl_easy_strerror(CURLE_OK), "No error");
	curl_easy_cleanup(c);
	unlink(path);
}

static void test_archive(void **state)
{
	struct brig_error err = {0};
	struct archive *a;

	(void)state;
	assert_int_equal(brig_libarchive_load(&err), 0);
	a = archive_read_new();
	assert_non_null(a);
	assert_int_equal(archive_read_support_format_zip(a), ARCHIVE_OK);
	assert_int_equal(archive_read_open_filename(a, "/nonexistent/brig.zip", 4096), ARCHIVE_FATAL);
	assert_non_null(strstr(archive_error_string(a), "/nonexistent/brig.zip"));
	assert_int_equal(archive_read_free(a), ARCHIVE_OK);
}

static void test_crypto(void **state)
{
	struct brig_error err = {0};
	char d[BRIG_DIGEST_STR_LEN];

	(void)state;
	assert_int_equal(brig_libcrypto_load(&err), 0);
	brig_sha256_digest("abc", 3, d);
	assert_string_equal(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void *p_strlen, *p_missing;
static const struct brig_dynsym bogus_syms[] = {{"strlen", &p_strlen}};
static const struct brig_dynsym libc_syms[] = {{"strlen", &p_strlen},
					       {"brig_no_such_function", &p_missing}};

static void test_load_failures(void **state)
{
	static struct brig_dynlib bogus =
		BRIG_DYNLIB_INIT("libbrig-bogus.so.0", "brig-bogus", bogus_syms);
	static struct brig_dynlib libc = BRIG_DYNLIB_INIT("libc.so.6", "libc6", libc_syms);
	struct brig_error err = {0};

	(void)state;
	assert_int_equal(brig_dynlib_load(&bogus, &err), -1);
	assert_non_null(strstr(err.msg, "cannot load libbrig-bogus.so.0: "));
	assert_non_null(strstr(err.msg, "(install the package brig-bogus)"));
	assert_null(strchr(err.msg, '\n'));
	/* remembered, not retried */
	brig_error_clear(&err);
	assert_int_equal(brig_dynlib_load(&bogus, &err), -1);
	assert_non_null(strstr(err.msg, "libbrig-bogus.so.0"));
	/* a library older than the headers */
	assert_int_equal(brig_dynlib_load(&libc, &err), -1);
	assert_non_null(strstr(err.msg, "cannot load libc.so.6: "));
	assert_non_null(strstr(err.msg, "brig_no_such_function (brig was built against a newer libc6)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_curl),
		cmocka_unit_test(test_archive),
		cmocka_unit_test(test_crypto),
		cmocka_unit_test(test_load_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

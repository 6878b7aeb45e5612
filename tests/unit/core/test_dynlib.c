/* The dlopen'ed libraries work through their shims, and a library that
 * cannot be loaded is an error naming it, not a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <archive.h>
#include <curl/curl.h>
#include <isa-l/igzip_lib.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

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

/* Runs before anything else in this process touches SQLite: the variadic
 * sqlite3_config shim forwards no-argument and int options and refuses the
 * rest; sqlite3_db_config forwards (int, int *) and the int * comes back. */
static void test_sqlite_config(void **state)
{
	static const char uri[] = "file:brig-dynlib?mode=memory";
	struct brig_error err = {0};
	sqlite3 *db = NULL;
	int on = -1;

	(void)state;
	assert_int_equal(brig_libsqlite_load(&err), 0);
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_MULTITHREAD), SQLITE_OK);
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0), SQLITE_OK);
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_URI, 1), SQLITE_OK);
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_LOG, (void (*)(void *, int, const char *))NULL,
					(void *)NULL),
			 SQLITE_MISUSE);
	/* the int arrived: a URI filename, so an in-memory database and no
	 * file of that name */
	assert_int_equal(sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
			 SQLITE_OK);
	assert_int_equal(access(uri, F_OK), -1);
	/* initialized now: SQLite itself refuses */
	assert_int_equal(sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1), SQLITE_MISUSE);

	assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on), SQLITE_OK);
	assert_int_equal(on, 1);
	on = -1;
	assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on), SQLITE_OK);
	assert_int_equal(on, 1);
	assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)NULL), SQLITE_OK);
	assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &on), SQLITE_OK);
	assert_int_equal(on, 0);
	assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &on), SQLITE_OK);
	assert_int_equal(on, 0);
	assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &on),
			 SQLITE_OK);
	assert_int_equal(on, 0);
	/* not (int, int *): refused by the shim */
	assert_int_equal(sqlite3_db_config(db, SQLITE_DBCONFIG_MAINDBNAME, "other"), SQLITE_MISUSE);
	assert_int_equal(sqlite3_close_v2(db), SQLITE_OK);
}

static void test_sqlite(void **state)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const sqlite3_int64 big = (sqlite3_int64)1 << 40;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(sqlite3_extended_result_codes(db, 1), SQLITE_OK);
	assert_int_equal(sqlite3_busy_timeout(db, 1000), SQLITE_OK);
	assert_true(sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0) > 0);
	assert_int_equal(sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, -1), 0);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(i INTEGER, r REAL, s TEXT, n)", NULL, NULL,
				      NULL),
			 SQLITE_OK);

	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?1, ?2, ?3, ?4)", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_bind_int64(st, 1, big), SQLITE_OK);
	assert_int_equal(sqlite3_bind_double(st, 2, 2.5), SQLITE_OK);
	assert_int_equal(sqlite3_bind_text(st, 3, "hello", -1, SQLITE_TRANSIENT), SQLITE_OK);
	assert_int_equal(sqlite3_bind_null(st, 4), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	assert_int_equal(sqlite3_last_insert_rowid(db), 1);
	assert_int_equal(sqlite3_reset(st), SQLITE_OK);
	assert_int_equal(sqlite3_clear_bindings(st), SQLITE_OK);
	assert_int_equal(sqlite3_bind_int(st, 1, 7), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);
	assert_int_equal(sqlite3_get_autocommit(db), 1);

	assert_int_equal(sqlite3_prepare_v3(db, "SELECT i, r, s, n FROM t ORDER BY rowid", -1, 0, &st,
					    NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int64(st, 0), big);
	assert_true(sqlite3_column_double(st, 1) == 2.5);
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "hello");
	assert_int_equal(sqlite3_column_type(st, 3), SQLITE_NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 7);
	assert_int_equal(sqlite3_column_type(st, 2), SQLITE_NULL);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	assert_int_equal(sqlite3_finalize(st), SQLITE_OK);

	assert_int_equal(sqlite3_exec(db, "SELECT no_such_column FROM t", NULL, NULL, NULL),
			 SQLITE_ERROR);
	assert_int_equal(sqlite3_errcode(db), SQLITE_ERROR);
	assert_non_null(strstr(sqlite3_errmsg(db), "no_such_column"));
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* "brig dynlib " four times and a newline, compressed by zstd -19 and
 * gzip -n -9 */
static const char plain[] = "brig dynlib brig dynlib brig dynlib brig dynlib\n";
static const unsigned char zst[] = {
	0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x30, 0x9d, 0x00, 0x00, 0x68, 0x62, 0x72,
	0x69, 0x67, 0x20, 0x64, 0x79, 0x6e, 0x6c, 0x69, 0x62, 0x20, 0x0a, 0x01,
	0x00, 0x4e, 0x96, 0x24, 0x98, 0x46, 0x8e, 0xa1};
static const unsigned char gz[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x4b, 0x2a,
	0xca, 0x4c, 0x57, 0x48, 0xa9, 0xcc, 0xcb, 0xc9, 0x4c, 0x52, 0x48, 0x22,
	0xcc, 0xe6, 0x02, 0x00, 0x78, 0x01, 0x52, 0x9f, 0x30, 0x00, 0x00, 0x00};

static void test_zstd(void **state)
{
	struct brig_error err = {0};
	char out[128];
	ZSTD_inBuffer in = {zst, sizeof(zst), 0};
	ZSTD_outBuffer ob = {out, sizeof(out), 0};
	ZSTD_DStream *zs;
	size_t rc;

	(void)state;
	assert_int_equal(brig_libzstd_load(&err), 0);
	zs = ZSTD_createDStream();
	assert_non_null(zs);
	assert_false(ZSTD_isError(ZSTD_DCtx_setParameter(zs, ZSTD_d_windowLogMax, 27)));
	rc = ZSTD_decompressStream(zs, &ob, &in);
	assert_false(ZSTD_isError(rc));
	assert_int_equal(rc, 0); /* the frame is complete */
	assert_int_equal(in.pos, sizeof(zst));
	assert_int_equal(ob.pos, strlen(plain));
	assert_memory_equal(out, plain, ob.pos);
	/* below zstd's minimum window */
	rc = ZSTD_DCtx_setParameter(zs, ZSTD_d_windowLogMax, 1);
	assert_true(ZSTD_isError(rc));
	assert_true(strlen(ZSTD_getErrorName(rc)) > 0);
	/* not a frame */
	in = (ZSTD_inBuffer){plain, sizeof(plain), 0};
	ob.pos = 0;
	assert_true(ZSTD_isError(ZSTD_decompressStream(zs, &ob, &in)));
	assert_false(ZSTD_isError(ZSTD_freeDStream(zs)));
}

static void test_isal(void **state)
{
	struct brig_error err = {0};
	struct inflate_state *s = calloc(1, sizeof(*s));
	unsigned char bad[sizeof(gz)];
	char out[128];

	(void)state;
	assert_non_null(s);
	assert_int_equal(brig_libisal_load(&err), 0);
	isal_inflate_init(s);
	s->crc_flag = ISAL_GZIP;
	s->next_in = (uint8_t *)gz;
	s->avail_in = sizeof(gz);
	s->next_out = (uint8_t *)out;
	s->avail_out = sizeof(out);
	assert_int_equal(isal_inflate(s), ISAL_DECOMP_OK);
	assert_int_equal(s->block_state, ISAL_BLOCK_FINISH);
	assert_int_equal(s->total_out, strlen(plain));
	assert_memory_equal(out, plain, s->total_out);
	/* the CRC-32 in the trailer is checked */
	memcpy(bad, gz, sizeof(gz));
	bad[sizeof(gz) - 8] ^= 1;
	isal_inflate_init(s);
	s->crc_flag = ISAL_GZIP;
	s->next_in = bad;
	s->avail_in = sizeof(bad);
	s->next_out = (uint8_t *)out;
	s->avail_out = sizeof(out);
	assert_int_equal(isal_inflate(s), ISAL_INCORRECT_CHECKSUM);
	free(s);
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
		cmocka_unit_test(test_sqlite_config),
		cmocka_unit_test(test_sqlite),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_isal),
		cmocka_unit_test(test_load_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

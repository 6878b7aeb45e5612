/* Layer stream, decoder and view: real gzip/zstd/tar fixtures made with the
 * gzip, zstd and tar tools (see fixtures/), hand-built facts for the view. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/reader.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "image/layer.h"
#include "image/view.h"
#include "testutil.h"

#define FIX(name) FIXTURE_DIR "/" name
#define LAYER_DIFF_ID "sha256:f99e4e759b67c2c20b723fe08b13ef0dc68a9d263547df1100e2d875ec5d871e"

static int read_fixture(const char *path, uint64_t budget_bytes, struct brig_layer *l,
			struct brig_error *err)
{
	size_t len;
	char *data = brig_test_slurp(path, &len);
	struct brig_mem_reader mr;
	struct brig_reader r;
	struct brig_layer_budget budget = {budget_bytes, budget_bytes};
	int rc;

	brig_mem_reader_init(&mr, &r, data, len);
	rc = brig_layer_read(&r, "fixture", 0, &budget, l, err);
	if (rc == 0) {
		char want[BRIG_DIGEST_STR_LEN];

		brig_sha256_digest(data, len, want);
		assert_string_equal(l->digest, want);
	}
	free(data);
	return rc;
}

static void check_layer(const char *path, enum brig_compression comp)
{
	struct brig_error err = {0};
	struct brig_layer l;

	assert_int_equal(read_fixture(path, 1 << 20, &l, &err), 0);
	assert_string_equal(l.diff_id, LAYER_DIFF_ID);
	assert_int_equal(l.uncompressed_size, 10240);
	assert_int_equal(l.compression, comp);
	/* the os analyzer wants etc/os-release; hello.txt is nobody's */
	assert_int_equal(l.facts.n_files, 1);
	assert_string_equal(l.facts.files[0].path, "etc/os-release");
	assert_string_equal(l.facts.files[0].os.family, "debian");
	brig_layer_free(&l);
}

static void test_plain(void **s)
{
	(void)s;
	check_layer(FIX("layer.tar"), BRIG_COMP_NONE);
}

static void test_gzip(void **s)
{
	(void)s;
	check_layer(FIX("layer.tar.gz"), BRIG_COMP_GZIP);
}

static void test_gzip_multimember(void **s)
{
	(void)s;
	check_layer(FIX("layer.multi.gz"), BRIG_COMP_GZIP);
}

static void test_zstd(void **s)
{
	(void)s;
	check_layer(FIX("layer.tar.zst"), BRIG_COMP_ZSTD);
}

static void test_truncated(void **s)
{
	struct brig_error err = {0};
	struct brig_layer l;

	(void)s;
	assert_int_equal(read_fixture(FIX("layer.truncated.gz"), 1 << 20, &l, &err), -1);
	assert_non_null(strstr(err.msg, "truncated"));
	assert_non_null(strstr(err.msg, "fixture"));
}

static void test_bad_crc(void **s)
{
	struct brig_error err = {0};
	struct brig_layer l;

	(void)s;
	assert_int_equal(read_fixture(FIX("layer.badcrc.gz"), 1 << 20, &l, &err), -1);
	assert_non_null(strstr(err.msg, "checksum"));
}

static void test_budget(void **s)
{
	struct brig_error err = {0};
	struct brig_layer l;

	(void)s;
	assert_int_equal(read_fixture(FIX("layer.tar.gz"), 4096, &l, &err), -1);
	assert_non_null(strstr(err.msg, "size limit"));
}

static void test_not_tar(void **s)
{
	struct brig_error err = {0};
	struct brig_layer l;
	struct brig_layer_budget budget = {1 << 20, 1 << 20};
	struct brig_mem_reader mr;
	struct brig_reader r;
	static const char junk[] = "this is not a tar archive, just some text that goes on and on";

	(void)s;
	brig_mem_reader_init(&mr, &r, junk, sizeof(junk));
	assert_int_equal(brig_layer_read(&r, "junk", 0, &budget, &l, &err), -1);
	assert_non_null(strstr(err.msg, "junk"));
}

/* --- view ------------------------------------------------------------ */

static void add_fact(struct brig_layer_facts *lf, const char *path, const char *name,
		     const char *version)
{
	struct brig_file_fact *f;
	struct brig_package *p;

	BRIG_GROW(lf->files, lf->cap_files, lf->n_files + 1);
	f = &lf->files[lf->n_files++];
	memset(f, 0, sizeof(*f));
	f->path = brig_xstrdup(path);
	f->kind = BRIG_FACT_PACKAGES;
	p = brig_pkg_list_add(&f->pkgs);
	p->type = BRIG_PKG_NPM;
	p->origin = BRIG_ORIGIN_NODE_MODULES;
	p->name = brig_xstrdup(name);
	p->version = brig_xstrdup(version);
	p->file_path = brig_xasprintf("/%s", path);
}

static void test_view_whiteouts(void **s)
{
	struct brig_layer_facts l0 = {0}, l1 = {0}, l2 = {0}, l3 = {0};
	const struct brig_layer_facts *layers[] = {&l0, &l1, &l2, &l3};
	const char *ids[] = {"sha256:0", "sha256:1", "sha256:2", "sha256:3"};
	struct brig_inventory inv;

	(void)s;
	add_fact(&l0, "app/node_modules/a/package.json", "a", "1.0.0");
	add_fact(&l0, "app/node_modules/b/package.json", "b", "1.0.0");
	add_fact(&l0, "app/node_modules/c/package.json", "c", "1.0.0");
	add_fact(&l0, "opt/node_modules/d/package.json", "d", "1.0.0");
	/* layer 1 rewrites a unchanged (chown -R) and upgrades b */
	add_fact(&l1, "app/node_modules/a/package.json", "a", "1.0.0");
	add_fact(&l1, "app/node_modules/b/package.json", "b", "2.0.0");
	/* layer 2 deletes c and makes opt/ opaque */
	assert_true(brig_collect_whiteout(&l2, "app/node_modules/.wh.c"));
	assert_true(brig_collect_whiteout(&l2, "opt/.wh..wh..opq"));
	/* layer 3 adds e under the opaque dir: visible */
	add_fact(&l3, "opt/node_modules/e/package.json", "e", "1.0.0");
	brig_facts_finish(&l0);
	brig_facts_finish(&l1);
	brig_facts_finish(&l3);
	brig_view_build(layers, ids, 4, &inv);
	assert_int_equal(inv.pkgs.n, 3);
	assert_string_equal(inv.pkgs.items[0].name, "a");
	assert_string_equal(inv.pkgs.items[0].layer_diff_id, "sha256:0");
	assert_string_equal(inv.pkgs.items[1].name, "b");
	assert_string_equal(inv.pkgs.items[1].version, "2.0.0");
	assert_string_equal(inv.pkgs.items[1].layer_diff_id, "sha256:1");
	assert_string_equal(inv.pkgs.items[2].name, "e");
	assert_string_equal(inv.pkgs.items[2].layer_diff_id, "sha256:3");
	brig_inventory_free(&inv);
	brig_layer_facts_free(&l0);
	brig_layer_facts_free(&l1);
	brig_layer_facts_free(&l2);
	brig_layer_facts_free(&l3);
}

static void test_view_reinstall_after_delete(void **s)
{
	struct brig_layer_facts l0 = {0}, l1 = {0}, l2 = {0};
	const struct brig_layer_facts *layers[] = {&l0, &l1, &l2};
	const char *ids[] = {"sha256:0", "sha256:1", "sha256:2"};
	struct brig_inventory inv;

	(void)s;
	add_fact(&l0, "n/node_modules/a/package.json", "a", "1.0.0");
	assert_true(brig_collect_whiteout(&l1, "n/node_modules/.wh.a"));
	add_fact(&l2, "n/node_modules/a/package.json", "a", "1.0.0");
	brig_facts_finish(&l0);
	brig_facts_finish(&l2);
	brig_view_build(layers, ids, 3, &inv);
	assert_int_equal(inv.pkgs.n, 1);
	/* deleted in between: the reinstall introduced it, not the base */
	assert_string_equal(inv.pkgs.items[0].layer_diff_id, "sha256:2");
	brig_inventory_free(&inv);
	brig_layer_facts_free(&l0);
	brig_layer_facts_free(&l1);
	brig_layer_facts_free(&l2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_gzip_multimember),
		cmocka_unit_test(test_zstd),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_crc),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_not_tar),
		cmocka_unit_test(test_view_whiteouts),
		cmocka_unit_test(test_view_reinstall_after_delete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

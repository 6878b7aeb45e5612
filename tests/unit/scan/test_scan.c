#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "scan/analyzer.h"
#include "scan/package.h"
#include "testutil.h"

/* --- helpers ----------------------------------------------------------- */

static const struct brig_analyzer *analyzer(const char *name)
{
	size_t n;
	const struct brig_analyzer *const *all = brig_analyzers(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	fail_msg("no analyzer %s", name);
	return NULL;
}

/* Runs one analyzer the way the layer walker does: fact->path and
 * fact->analyzer preset, data NUL-terminated. */
static int run_len(const char *name, const char *path, const char *data, size_t len,
		   struct brig_file_fact *f, struct brig_error *err)
{
	const struct brig_analyzer *a = analyzer(name);
	char *copy = malloc(len + 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, data, len);
	copy[len] = '\0';
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	f->analyzer = a;
	rc = a->analyze(path, copy, len, f, err);
	free(copy);
	return rc;
}

static int run(const char *name, const char *path, const char *data, struct brig_file_fact *f,
	       struct brig_error *err)
{
	return run_len(name, path, data, strlen(data), f, err);
}

static int run_file(const char *name, const char *path, const char *file, struct brig_file_fact *f,
		    struct brig_error *err)
{
	size_t len;
	char *data = brig_test_slurp(file, &len);
	int rc = run_len(name, path, data, len, f, err);

	free(data);
	return rc;
}

static const struct brig_package *find_pkg(const struct brig_pkg_list *l, const char *name,
					   const char *pkg_path)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct brig_package *p = &l->items[i];

		if (strcmp(p->name, name) != 0)
			continue;
		if (!pkg_path || (p->pkg_path && strcmp(p->pkg_path, pkg_path) == 0))
			return p;
	}
	return NULL;
}

static const struct brig_package *must_find(const struct brig_pkg_list *l, const char *name,
					    const char *pkg_path)
{
	const struct brig_package *p = find_pkg(l, name, pkg_path);

	if (!p)
		fail_msg("package %s (%s) not found", name, pkg_path ? pkg_path : "any path");
	return p;
}

/* Lines of `data` that begin with `prefix`: an independent count to check
 * parsers against. */
static size_t count_lines_with(const char *data, const char *prefix)
{
	size_t n = 0, plen = strlen(prefix);

	for (const char *p = data; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, plen) == 0)
			n++;
	return n;
}

/* --- package model ----------------------------------------------------- */

static void set_pkg(struct brig_package *p, enum brig_pkg_type t, const char *name,
		    const char *ver, const char *file)
{
	p->type = t;
	p->name = strdup(name);
	p->version = strdup(ver);
	p->file_path = strdup(file);
}

static void test_pkg_list_sort_stable(void **state)
{
	struct brig_pkg_list l = {0};

	(void)state;
	set_pkg(brig_pkg_list_add(&l), BRIG_PKG_NPM, "a", "1", "/x");
	set_pkg(brig_pkg_list_add(&l), BRIG_PKG_DPKG, "zlib", "1", "/s");
	set_pkg(brig_pkg_list_add(&l), BRIG_PKG_DPKG, "bash", "2", "/s");
	set_pkg(brig_pkg_list_add(&l), BRIG_PKG_DPKG, "bash", "10", "/s");
	set_pkg(brig_pkg_list_add(&l), BRIG_PKG_NPM, "a", "1", "/x");
	l.items[4].license = strdup("second"); /* equal key: must stay after [0] */
	l.items[0].pkg_path = NULL;
	set_pkg(brig_pkg_list_add(&l), BRIG_PKG_NPM, "a", "1", "/a");
	l.items[5].pkg_path = strdup("node_modules/a");
	for (int i = 0; i < 40; i++) /* enough to exercise the merge */
		set_pkg(brig_pkg_list_add(&l), BRIG_PKG_APK, i % 2 ? "m" : "k", "1", "/db");
	brig_pkg_list_sort(&l);
	assert_int_equal(l.n, 46);
	assert_string_equal(l.items[0].name, "bash");
	assert_string_equal(l.items[0].version, "10"); /* byte order, not version order */
	assert_string_equal(l.items[1].version, "2");
	assert_string_equal(l.items[2].name, "zlib");
	assert_int_equal(l.items[3].type, BRIG_PKG_APK);
	assert_string_equal(l.items[3].name, "k");
	assert_string_equal(l.items[23].name, "m");
	/* npm "a": NULL pkg_path first (two of them, in input order), then the path. */
	assert_null(l.items[43].pkg_path);
	assert_null(l.items[43].license);
	assert_string_equal(l.items[44].license, "second");
	assert_string_equal(l.items[45].pkg_path, "node_modules/a");
	brig_pkg_list_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
	brig_pkg_list_sort(&l); /* empty list: no-op */
}

static void test_pkg_copy(void **state)
{
	struct brig_package a = {0}, b;
	struct brig_os o = {0}, o2;

	(void)state;
	set_pkg(&a, BRIG_PKG_APK, "musl", "1.2.4-r0", "/lib/apk/db/installed");
	a.origin = BRIG_ORIGIN_OS_DB;
	a.src_name = strdup("musl");
	a.dev = true;
	brig_package_copy(&b, &a);
	assert_ptr_not_equal(b.name, a.name);
	assert_string_equal(b.name, "musl");
	assert_string_equal(b.file_path, "/lib/apk/db/installed");
	assert_null(b.arch);
	assert_null(b.layer_diff_id);
	assert_true(b.dev);
	assert_int_equal(b.type, BRIG_PKG_APK);
	brig_package_free(&a);
	brig_package_free(&b);
	assert_null(b.name);

	o.family = strdup("debian");
	o.version_id = strdup("12");
	brig_os_copy(&o2, &o);
	assert_string_equal(o2.family, "debian");
	assert_null(o2.name);
	brig_os_free(&o);
	brig_os_free(&o2);
	assert_null(o2.family);
}

static void test_pkg_type_name(void **state)
{
	(void)state;
	assert_string_equal(brig_pkg_type_name(BRIG_PKG_DPKG), "dpkg");
	assert_string_equal(brig_pkg_type_name(BRIG_PKG_APK), "apk");
	assert_string_equal(brig_pkg_type_name(BRIG_PKG_RPM), "rpm");
	assert_string_equal(brig_pkg_type_name(BRIG_PKG_NPM), "npm");
}

static void purl_of(enum brig_pkg_type t, const char *name, const char *ver, const char *arch,
		    const struct brig_os *os, const char *want)
{
	struct brig_package p = {.type = t};

	p.name = strdup(name);
	p.version = ver ? strdup(ver) : NULL;
	p.arch = arch ? strdup(arch) : NULL;
	p.purl = strdup("stale");
	brig_purl_fill(&p, os);
	assert_non_null(p.purl);
	assert_string_equal(p.purl, want);
	brig_package_free(&p);
}

static void test_purl(void **state)
{
	struct brig_os deb = {.family = "debian", .name = "12.15", .version_id = "12"};
	struct brig_os ubu = {.family = "ubuntu", .name = "22.04", .version_id = "22.04"};
	struct brig_os alp = {.family = "alpine", .name = "3.18.9", .version_id = "3.18.9"};
	struct brig_os alp_noname = {.family = "alpine", .version_id = "3.20.3"};

	(void)state;
	purl_of(BRIG_PKG_DPKG, "bash", "5.2.15-2+b13", "amd64", &deb,
		"pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12");
	/* Epoch moves to a qualifier (Trivy), qualifiers in key order. */
	purl_of(BRIG_PKG_DPKG, "bsdutils", "1:2.38.1-5+deb12u3", "amd64", &deb,
		"pkg:deb/debian/bsdutils@2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12&epoch=1");
	purl_of(BRIG_PKG_DPKG, "x", "0:1.0", "all", &deb,
		"pkg:deb/debian/x@1.0?arch=all&distro=debian-12");
	purl_of(BRIG_PKG_DPKG, "x", "007:1.0~rc1", NULL, &deb,
		"pkg:deb/debian/x@1.0~rc1?distro=debian-12&epoch=7");
	purl_of(BRIG_PKG_DPKG, "libc6", "2.35-0ubuntu3.8", "amd64", &ubu,
		"pkg:deb/ubuntu/libc6@2.35-0ubuntu3.8?arch=amd64&distro=ubuntu-22.04");
	purl_of(BRIG_PKG_APK, "musl", "1.2.4-r0", "x86_64", &alp,
		"pkg:apk/alpine/musl@1.2.4-r0?arch=x86_64&distro=3.18.9");
	purl_of(BRIG_PKG_APK, "musl", "1.2.5-r0", "x86_64", &alp_noname,
		"pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=3.20.3");
	purl_of(BRIG_PKG_NPM, "@babel/core", "7.0.0", NULL, &deb, "pkg:npm/%40babel/core@7.0.0");
	purl_of(BRIG_PKG_NPM, "lodash", "4.17.21", NULL, NULL, "pkg:npm/lodash@4.17.21");
	purl_of(BRIG_PKG_NPM, "JSONStream", "1.0.0+build 1", NULL, NULL,
		"pkg:npm/jsonstream@1.0.0%2Bbuild%201");
	/* Unknown OS: no namespace, no distro. */
	purl_of(BRIG_PKG_DPKG, "bash", "5.2", "amd64", NULL, "pkg:deb/bash@5.2?arch=amd64");
	purl_of(BRIG_PKG_RPM, "openssl", "1:3.0.7-27.el9", "x86_64",
		&(struct brig_os){.family = "redhat", .version_id = "9.4"},
		"pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=x86_64&distro=redhat-9.4&epoch=1");
	/* Hostile bytes are encoded, never passed through. */
	purl_of(BRIG_PKG_APK, "a?b&c=d/e#f", "1 2", "x86_64", &alp,
		"pkg:apk/alpine/a%3Fb%26c%3Dd%2Fe%23f@1%202?arch=x86_64&distro=3.18.9");
	purl_of(BRIG_PKG_NPM, "x", NULL, NULL, NULL, "pkg:npm/x");
}

/* --- OS ---------------------------------------------------------------- */

static void test_os_release_parse(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f;
	const char *osr = "# comment\r\n"
			  "NAME=\"Some \\\"Linux\\\"\"\r\n"
			  "ID=Debian\r\n"
			  "  VERSION_ID='12'\r\n"
			  "VERSION_CODENAME=bookworm # trailing\r\n"
			  "PRETTY_NAME=\"A \\$dollar \\`tick\\` back\\\\slash \\n kept\"\r\n"
			  "BROKEN LINE\n"
			  "=novalue\n"
			  "ID_LIKE=\"unterminated\n";

	(void)state;
	assert_int_equal(run("os-release", "etc/os-release", osr, &f, &err), 0);
	assert_int_equal(f.kind, BRIG_FACT_OS);
	assert_string_equal(f.os.family, "debian");
	assert_string_equal(f.os.version_id, "12");
	assert_string_equal(f.os.codename, "bookworm");
	assert_string_equal(f.os.pretty_name, "A $dollar `tick` back\\slash \\n kept");
	assert_null(f.os.name);
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);

	/* Last assignment wins, like sourcing the file; escapes can't smuggle
	 * terminal controls through. */
	assert_int_equal(run("os-release", "usr/lib/os-release",
			     "ID=alpine\nID=\"wolfi\"\nPRETTY_NAME=\"x\x1b[31my\"\nVERSION_ID=", &f,
			     &err),
			 0);
	assert_string_equal(f.os.family, "wolfi");
	assert_string_equal(f.os.pretty_name, "x?[31my");
	assert_null(f.os.version_id);
	brig_file_fact_free(&f);
}

static void detect(struct brig_os *out, struct brig_file_fact *facts, size_t n)
{
	const struct brig_file_fact *ptrs[8];

	assert_true(n <= 8);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = &facts[i];
	brig_os_detect(out, ptrs, n);
}

static void test_os_detect_debian_shared(void **state)
{
	char osr[4096], dv[4096];
	struct brig_error err = {0};
	struct brig_file_fact f[2];
	struct brig_os os;

	(void)state;
	BRIG_REQUIRE_SHARED("debian12-minbase/os-release", osr);
	BRIG_REQUIRE_SHARED("debian12-minbase/debian_version", dv);
	/* Debian's etc/os-release is a symlink: only usr/lib/os-release is a
	 * regular file the walker hands us. */
	assert_int_equal(run_file("os-release", "etc/debian_version", dv, &f[0], &err), 0);
	assert_string_equal(f[0].os.name, "12.15");
	assert_int_equal(run_file("os-release", "usr/lib/os-release", osr, &f[1], &err), 0);
	detect(&os, f, 2);
	assert_string_equal(os.family, "debian");
	assert_string_equal(os.name, "12.15");
	assert_string_equal(os.version_id, "12");
	assert_string_equal(os.codename, "bookworm");
	assert_string_equal(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	brig_os_free(&os);
	brig_file_fact_free(&f[0]);
	brig_file_fact_free(&f[1]);
}

static void test_os_detect_alpine_shared(void **state)
{
	char osr[4096], ar[4096];
	struct brig_error err = {0};
	struct brig_file_fact f[2];
	struct brig_os os;

	(void)state;
	BRIG_REQUIRE_SHARED("alpine/apk-installed/alpine-3.20.3-x86_64/os-release", osr);
	BRIG_REQUIRE_SHARED("alpine/apk-installed/alpine-3.20.3-x86_64/alpine-release", ar);
	assert_int_equal(run_file("os-release", "etc/os-release", osr, &f[0], &err), 0);
	assert_int_equal(run_file("os-release", "etc/alpine-release", ar, &f[1], &err), 0);
	detect(&os, f, 2);
	assert_string_equal(os.family, "alpine");
	assert_string_equal(os.name, "3.20.3");
	assert_string_equal(os.version_id, "3.20.3");
	assert_null(os.codename);
	assert_string_equal(os.pretty_name, "Alpine Linux v3.20");
	brig_os_free(&os);
	brig_file_fact_free(&f[0]);
	brig_file_fact_free(&f[1]);
}

static void test_os_detect_priority(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f[4];
	struct brig_os os;

	(void)state;
	/* Ubuntu ships a debian_version ("bookworm/sid") that must not name it. */
	assert_int_equal(run("os-release", "etc/debian_version", "bookworm/sid\n", &f[0], &err), 0);
	assert_int_equal(run("os-release", "usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n",
			     &f[1], &err),
			 0);
	assert_int_equal(run("os-release", "etc/os-release",
			     "ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION_CODENAME=jammy\n", &f[2], &err),
			 0);
	detect(&os, f, 3);
	assert_string_equal(os.family, "ubuntu");
	assert_string_equal(os.name, "22.04");
	assert_string_equal(os.codename, "jammy");
	brig_os_free(&os);

	/* Without os-release, a release file still identifies the OS. */
	assert_int_equal(run("os-release", "etc/alpine-release", "  3.18.9 \r\n", &f[3], &err), 0);
	detect(&os, &f[3], 1);
	assert_string_equal(os.family, "alpine");
	assert_string_equal(os.name, "3.18.9");
	assert_null(os.version_id);
	brig_os_free(&os);

	/* An etc/os-release without ID does not hide usr/lib/os-release. */
	{
		struct brig_file_fact g[2];

		assert_int_equal(run("os-release", "etc/os-release", "# emptied\n", &g[0], &err), 0);
		assert_int_equal(run("os-release", "usr/lib/os-release", "ID=debian\nVERSION_ID=12\n",
				     &g[1], &err),
				 0);
		detect(&os, g, 2);
		assert_string_equal(os.family, "debian");
		assert_string_equal(os.name, "12");
		brig_os_free(&os);
		brig_file_fact_free(&g[0]);
		brig_file_fact_free(&g[1]);
	}

	/* No facts, or only package facts: unknown. */
	detect(&os, f, 0);
	assert_null(os.family);
	assert_null(os.name);
	for (int i = 0; i < 4; i++)
		brig_file_fact_free(&f[i]);

	/* An empty release file names nothing. */
	assert_int_equal(run("os-release", "etc/debian_version", "\n\n", &f[0], &err), 0);
	assert_null(f[0].os.name);
	brig_file_fact_free(&f[0]);
}

/* --- dpkg -------------------------------------------------------------- */

struct tsv_row {
	char *f[5];
};

static int cmp_row(const void *a, const void *b)
{
	return strcmp(((const struct tsv_row *)a)->f[0], ((const struct tsv_row *)b)->f[0]);
}

static size_t read_tsv(char *data, struct tsv_row *rows, size_t max)
{
	size_t n = 0;
	char *save = NULL;

	for (char *line = strtok_r(data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *fs = NULL, *tok;
		int k = 0;

		if (line[0] == '#')
			continue;
		assert_true(n < max);
		for (tok = strtok_r(line, "\t", &fs); tok && k < 5; tok = strtok_r(NULL, "\t", &fs))
			rows[n].f[k++] = tok;
		assert_int_equal(k, 5);
		n++;
	}
	return n;
}

static void test_dpkg_matches_dpkg_query(void **state)
{
	char status[4096], tsv[4096];
	struct brig_error err = {0};
	struct brig_file_fact f;
	struct tsv_row rows[256];
	char *tsv_data;
	size_t n;

	(void)state;
	BRIG_REQUIRE_SHARED("debian12-minbase/status", status);
	BRIG_REQUIRE_SHARED("debian12-minbase/packages.tsv", tsv);
	assert_int_equal(run_file("dpkg", "var/lib/dpkg/status", status, &f, &err), 0);
	tsv_data = brig_test_slurp(tsv, NULL);
	n = read_tsv(tsv_data, rows, 256);
	qsort(rows, n, sizeof(rows[0]), cmp_row);
	brig_pkg_list_sort(&f.pkgs);
	assert_int_equal(f.kind, BRIG_FACT_PACKAGES);
	assert_int_equal(n, 88); /* PROVENANCE: 88 installed packages */
	assert_int_equal(f.pkgs.n, n);
	for (size_t i = 0; i < n; i++) {
		const struct brig_package *p = &f.pkgs.items[i];

		assert_string_equal(p->name, rows[i].f[0]);
		assert_string_equal(p->version, rows[i].f[1]);
		assert_string_equal(p->arch, rows[i].f[2]);
		assert_string_equal(p->src_name, rows[i].f[3]);
		assert_string_equal(p->src_version, rows[i].f[4]);
		assert_string_equal(p->file_path, "/var/lib/dpkg/status");
		assert_int_equal(p->type, BRIG_PKG_DPKG);
		assert_int_equal(p->origin, BRIG_ORIGIN_OS_DB);
		assert_null(p->pkg_path);
		assert_null(p->license);
		assert_false(p->dev);
	}
	free(tsv_data);
	brig_file_fact_free(&f);
}

static void test_dpkg_purls_shared(void **state)
{
	char status[4096];
	struct brig_error err = {0};
	struct brig_file_fact f;
	struct brig_os os = {.family = "debian", .name = "12.15", .version_id = "12"};
	struct brig_package *p;

	(void)state;
	BRIG_REQUIRE_SHARED("debian12-minbase/status", status);
	assert_int_equal(run_file("dpkg", "var/lib/dpkg/status", status, &f, &err), 0);
	p = (struct brig_package *)must_find(&f.pkgs, "bash", NULL);
	brig_purl_fill(p, &os);
	assert_string_equal(p->purl, "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12");
	p = (struct brig_package *)must_find(&f.pkgs, "zlib1g", NULL);
	brig_purl_fill(p, &os);
	assert_string_equal(p->purl,
			    "pkg:deb/debian/zlib1g@1.2.13.dfsg-1?arch=amd64&distro=debian-12&epoch=1");
	brig_file_fact_free(&f);
}

static void test_dpkg_status_filter(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f;
	const char *db = "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
			 "Package: never\nStatus: purge ok not-installed\nVersion: 1\n\n"
			 "Package: held\nStatus: hold ok installed\nVersion: 2\nArchitecture: all\n\n"
			 "Package: removing\nStatus: deinstall ok installed\nVersion: 3\n\n"
			 "Package: broken\nStatus: install reinstreq half-installed\nVersion: 1\n\n"
			 "Package: trig\nStatus: install ok triggers-pending\nVersion: 4\n\n"
			 "Package: nostatus\nVersion: 1\n\n"
			 "Package: junkstatus\nStatus: install ok installed extra\nVersion: 1\n\n"
			 "package: lower\nSTATUS: install ok installed\nversion: 5\n"
			 "source: up(5-1)\n";

	(void)state;
	assert_int_equal(run("dpkg", "var/lib/dpkg/status", db, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 4);
	assert_string_equal(must_find(&f.pkgs, "held", NULL)->arch, "all");
	assert_string_equal(must_find(&f.pkgs, "removing", NULL)->version, "3");
	assert_non_null(must_find(&f.pkgs, "trig", NULL));
	assert_string_equal(must_find(&f.pkgs, "lower", NULL)->src_name, "up");
	assert_string_equal(must_find(&f.pkgs, "lower", NULL)->src_version, "5-1");
	assert_null(find_pkg(&f.pkgs, "nostatus", NULL));
	assert_null(find_pkg(&f.pkgs, "gone", NULL));
	brig_file_fact_free(&f);
}

static void test_dpkg_status_d(void **state)
{
	const struct brig_analyzer *a = analyzer("dpkg");
	struct brig_error err = {0};
	struct brig_file_fact f;
	/* distroless: no Status, several stanzas per file possible. */
	const char *libc = "Package: libc6\nVersion: 2.36-9+deb12u14\nArchitecture: amd64\n"
			   "Source: glibc\nMaintainer: GNU Libc Maintainers <x@y>\n"
			   "Description: GNU C Library\n shared libraries\n .\n more\n\n\n"
			   "Package: libssl3\nVersion: 3.0.17-1~deb12u2\nArchitecture: amd64\n"
			   "Source: openssl (3.0.17-1~deb12u2)\n";

	(void)state;
	assert_true(a->wants("var/lib/dpkg/status"));
	assert_true(a->wants("var/lib/dpkg/status.d/libc6"));
	assert_true(a->wants("var/lib/dpkg/status.d/base-files"));
	assert_false(a->wants("var/lib/dpkg/status.d/libc6.md5sums"));
	assert_false(a->wants("var/lib/dpkg/status.d/sub/x"));
	assert_false(a->wants("var/lib/dpkg/status.d/"));
	assert_false(a->wants("var/lib/dpkg/status-old"));
	assert_false(a->wants("var/lib/dpkg/available"));
	assert_false(a->wants("usr/var/lib/dpkg/status"));

	assert_int_equal(run("dpkg", "var/lib/dpkg/status.d/libc6", libc, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 2);
	assert_string_equal(f.pkgs.items[0].name, "libc6");
	assert_string_equal(f.pkgs.items[0].src_name, "glibc");
	assert_string_equal(f.pkgs.items[0].src_version, "2.36-9+deb12u14");
	assert_string_equal(f.pkgs.items[0].file_path, "/var/lib/dpkg/status.d/libc6");
	assert_string_equal(f.pkgs.items[1].src_name, "openssl");
	assert_string_equal(f.pkgs.items[1].src_version, "3.0.17-1~deb12u2");
	brig_file_fact_free(&f);
}

static void test_dpkg_hostile(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f;
	const char *trunc = "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
			    "Package: b\nStatus: install ok installed\nVers";
	const char garbage[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
	size_t huge = 8u << 20;
	char *big = malloc(huge + 256);
	int off;

	(void)state;
	/* Truncated final stanza: the complete one survives, the cut one is dropped. */
	assert_int_equal(run("dpkg", "var/lib/dpkg/status", trunc, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 1);
	assert_string_equal(f.pkgs.items[0].name, "a");
	brig_file_fact_free(&f);

	/* Cut in the middle of a value: the stanza is complete as far as
	 * fields go, with a short version; no overread either way. */
	assert_int_equal(run("dpkg", "var/lib/dpkg/status",
			     "Package: c\r\nStatus: install ok installed\r\nVersion: 1.", &f, &err),
			 0);
	assert_int_equal(f.pkgs.n, 1);
	assert_string_equal(f.pkgs.items[0].version, "1.");
	brig_file_fact_free(&f);

	/* Binary garbage with NULs is refused, not half-parsed. */
	assert_int_equal(run_len("dpkg", "var/lib/dpkg/status", garbage, sizeof(garbage) - 1, &f,
				 &err),
			 -1);
	assert_non_null(strstr(err.msg, "NUL"));
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);

	/* Text garbage: nothing recognizable, nothing reported. */
	assert_int_equal(run("dpkg", "var/lib/dpkg/status", ":::\n\n:\n \n\t:x\n#Package: x\n", &f,
			     &err),
			 0);
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);

	/* An 8 MiB Description continuation and an 8 MiB line with no newline. */
	assert_non_null(big);
	off = snprintf(big, 256, "Package: big\nStatus: install ok installed\nVersion: 9\n"
				 "Description: x\n ");
	memset(big + off, 'A', huge);
	big[off + huge] = '\0';
	assert_int_equal(run_len("dpkg", "var/lib/dpkg/status", big, off + huge, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 1);
	assert_string_equal(f.pkgs.items[0].version, "9");
	brig_file_fact_free(&f);
	memcpy(big, "Package: ", 9);
	memset(big + 9, 'n', huge);
	assert_int_equal(run_len("dpkg", "var/lib/dpkg/status", big, 9 + huge, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);
	free(big);

	/* deb822 lets parsers take whitespace-only lines as separators. */
	assert_int_equal(run("dpkg", "var/lib/dpkg/status.d/x",
			     "Package: a\nVersion: 1\n \t\nPackage: b\nVersion: 2\n", &f, &err),
			 0);
	assert_int_equal(f.pkgs.n, 2);
	brig_file_fact_free(&f);

	/* Empty file, and duplicated fields keep the first value. */
	assert_int_equal(run("dpkg", "var/lib/dpkg/status", "", &f, &err), 0);
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);
	assert_int_equal(run("dpkg", "var/lib/dpkg/status.d/x",
			     "Package: d\nVersion: 1\nVersion: 99\nSource: (\n", &f, &err),
			 0);
	assert_int_equal(f.pkgs.n, 1);
	assert_string_equal(f.pkgs.items[0].version, "1");
	assert_string_equal(f.pkgs.items[0].src_name, "d");
	assert_string_equal(f.pkgs.items[0].src_version, "1");
	brig_file_fact_free(&f);
}

/* --- apk --------------------------------------------------------------- */

struct apk_db {
	const char *dir;
	size_t documented; /* PROVENANCE.md package count */
	bool has_findings; /* listed in alpine/expected-findings.json */
};

/* Every (package, version, origin) the expected findings name must be
 * in our parse: they were computed from the same DBs independently. */
static size_t check_apk_expected(const struct brig_pkg_list *l, const char *db)
{
	char path[4096];
	json_error_t je;
	json_t *root, *rows, *row;
	size_t i, n;

	if (!brig_test_shared("alpine/expected-findings.json", path, sizeof(path)))
		return 0;
	root = json_load_file(path, 0, &je);
	assert_non_null(root);
	rows = json_object_get(json_object_get(root, "databases"), db);
	json_array_foreach(rows, i, row) {
		const struct brig_package *p =
			must_find(l, json_string_value(json_object_get(row, "package")), NULL);

		assert_string_equal(p->version, json_string_value(json_object_get(row, "version")));
		assert_string_equal(p->src_name, json_string_value(json_object_get(row, "origin")));
	}
	n = json_array_size(rows);
	json_decref(root);
	return n;
}

static void test_apk_shared(void **state)
{
	static const struct apk_db dbs[] = {
		{"alpine-3.18.0-scalibr", 15, true},
		{"alpine-3.18.9-x86_64", 15, true},
		{"alpine-3.20.3-x86_64", 14, false},
	};
	char path[4096];

	(void)state;
	for (size_t d = 0; d < sizeof(dbs) / sizeof(dbs[0]); d++) {
		struct brig_error err = {0};
		struct brig_file_fact f;
		char rel[256];
		char *data;

		snprintf(rel, sizeof(rel), "alpine/apk-installed/%s/installed", dbs[d].dir);
		BRIG_REQUIRE_SHARED(rel, path);
		data = brig_test_slurp(path, NULL);
		assert_int_equal(run_file("apk", "lib/apk/db/installed", path, &f, &err), 0);
		assert_int_equal(f.pkgs.n, count_lines_with(data, "P:"));
		assert_int_equal(f.pkgs.n, dbs[d].documented);
		for (size_t i = 0; i < f.pkgs.n; i++) {
			const struct brig_package *p = &f.pkgs.items[i];

			assert_int_equal(p->type, BRIG_PKG_APK);
			assert_string_equal(p->arch, "x86_64");
			assert_string_equal(p->src_version, p->version);
			assert_non_null(p->license);
			assert_string_equal(p->file_path, "/lib/apk/db/installed");
		}
		if (dbs[d].has_findings)
			assert_true(check_apk_expected(&f.pkgs, dbs[d].dir) > 0);
		if (d == 0) {
			const struct brig_package *p = must_find(&f.pkgs, "busybox", NULL);

			assert_string_equal(p->version, "1.36.0-r9");
			assert_string_equal(p->src_name, "busybox");
			assert_string_equal(p->license, "GPL-2.0-only");
			p = must_find(&f.pkgs, "libcrypto3", NULL);
			assert_string_equal(p->version, "3.1.0-r4");
			assert_string_equal(p->src_name, "openssl");
			assert_string_equal(must_find(&f.pkgs, "musl", NULL)->version, "1.2.4-r0");
			assert_string_equal(must_find(&f.pkgs, "apk-tools", NULL)->version, "2.14.0-r0");
			assert_string_equal(must_find(&f.pkgs, "ca-certificates-bundle", NULL)->license,
					    "MPL-2.0 AND MIT");
		}
		free(data);
		brig_file_fact_free(&f);
	}
}

static void test_apk_hostile(void **state)
{
	const struct brig_analyzer *a = analyzer("apk");
	struct brig_error err = {0};
	struct brig_file_fact f;
	const char db[] = "P:nov\nA:x86_64\n\n"		     /* no version: skipped */
			  "P:musl\r\nV:1.2.4-r0\r\nA:x86_64\r\n\r\n" /* CRLF */
			  "C:Q1abc\nP:zlib\nV:1.3.1-r1\nP:evil\nV:9\no:zlib\nX\n"
			  "P:cut\nV:1";

	(void)state;
	assert_true(a->wants("lib/apk/db/installed"));
	assert_true(a->wants("usr/lib/apk/db/installed"));
	assert_false(a->wants("lib/apk/db/installed.old"));
	assert_false(a->wants("lib/apk/db/scripts.tar"));

	assert_int_equal(run("apk", "usr/lib/apk/db/installed", db, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 3);
	assert_string_equal(f.pkgs.items[0].name, "musl");
	assert_string_equal(f.pkgs.items[0].src_name, "musl"); /* no o: -> name */
	assert_null(f.pkgs.items[0].license);
	assert_string_equal(f.pkgs.items[1].name, "zlib");
	assert_string_equal(f.pkgs.items[1].version, "1.3.1-r1");
	assert_string_equal(f.pkgs.items[2].name, "cut");
	assert_string_equal(f.pkgs.items[2].file_path, "/usr/lib/apk/db/installed");
	brig_file_fact_free(&f);

	assert_int_equal(run_len("apk", "lib/apk/db/installed", "P:x\0V:1", 7, &f, &err), -1);
	brig_file_fact_free(&f);
	assert_int_equal(run("apk", "lib/apk/db/installed", "\n\n\nPV\n:\n", &f, &err), 0);
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);
}

/* --- npm --------------------------------------------------------------- */

static void test_npm_wants(void **state)
{
	const struct brig_analyzer *pj = analyzer("npm-pkgjson");
	const struct brig_analyzer *lk = analyzer("npm-lock");
	const struct brig_analyzer *yl = analyzer("yarn-lock");

	(void)state;
	assert_true(pj->wants("node_modules/a/package.json"));
	assert_true(pj->wants("app/node_modules/a/node_modules/b/package.json"));
	assert_true(pj->wants("usr/lib/node_modules/@babel/core/package.json"));
	assert_false(pj->wants("node_modules/@babel/package.json"));
	assert_false(pj->wants("node_modules/a/lib/package.json"));
	assert_false(pj->wants("node_modules/@babel/core/lib/package.json"));
	assert_false(pj->wants("node_modules/.bin/package.json"));
	assert_false(pj->wants("app/package.json"));
	assert_false(pj->wants("package.json"));
	assert_false(pj->wants("x/@s/a/package.json"));

	assert_true(lk->wants("app/package-lock.json"));
	assert_true(lk->wants("package-lock.json"));
	assert_true(lk->wants("srv/npm-shrinkwrap.json"));
	assert_false(lk->wants("app/node_modules/.package-lock.json"));
	assert_false(lk->wants("app/node_modules/x/package-lock.json"));
	assert_false(lk->wants("app/package-lock.json.bak"));
	assert_true(lk->wants("app/my_node_modules/package-lock.json"));

	assert_true(yl->wants("app/yarn.lock"));
	assert_false(yl->wants("app/node_modules/x/yarn.lock"));
	assert_false(yl->wants("app/yarn.lock.orig"));
}

static void test_npm_pkgjson(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f;
	const char *path = "app/node_modules/a/node_modules/@s/b/package.json";

	(void)state;
	assert_int_equal(run("npm-pkgjson", path,
			     "{\"name\":\"@s/b\",\"version\":\"1.0.0\",\"license\":{\"type\":\"MIT\"}}",
			     &f, &err),
			 0);
	assert_int_equal(f.pkgs.n, 1);
	assert_string_equal(f.pkgs.items[0].name, "@s/b");
	assert_string_equal(f.pkgs.items[0].version, "1.0.0");
	assert_string_equal(f.pkgs.items[0].license, "MIT");
	assert_string_equal(f.pkgs.items[0].pkg_path, "app/node_modules/a/node_modules/@s/b");
	assert_string_equal(f.pkgs.items[0].file_path, "/app/node_modules/a/node_modules/@s/b/package.json");
	assert_int_equal(f.pkgs.items[0].origin, BRIG_ORIGIN_NODE_MODULES);
	assert_int_equal(f.pkgs.items[0].type, BRIG_PKG_NPM);
	assert_false(f.pkgs.items[0].dev);
	brig_file_fact_free(&f);

	assert_int_equal(run("npm-pkgjson", "node_modules/x/package.json",
			     "{\"name\":\"x\",\"version\":\"2\",\"licenses\":[{\"type\":\"MIT\"},\"Apache-2.0\"]}",
			     &f, &err),
			 0);
	assert_string_equal(f.pkgs.items[0].license, "MIT, Apache-2.0");
	assert_string_equal(f.pkgs.items[0].pkg_path, "node_modules/x");
	brig_file_fact_free(&f);

	/* Missing or non-string name/version: silently nothing. */
	assert_int_equal(run("npm-pkgjson", "node_modules/x/package.json", "{\"name\":\"x\"}", &f, &err), 0);
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);
	assert_int_equal(run("npm-pkgjson", "node_modules/x/package.json",
			     "{\"name\":\"x\",\"version\":1}", &f, &err),
			 0);
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);

	/* Broken JSON, trailing garbage, non-object root: errors. */
	assert_int_equal(run("npm-pkgjson", "node_modules/x/package.json", "{\"name\":", &f, &err), -1);
	assert_non_null(strstr(err.msg, "invalid JSON"));
	brig_file_fact_free(&f);
	assert_int_equal(run("npm-pkgjson", "node_modules/x/package.json",
			     "{\"name\":\"x\",\"version\":\"1\"} trailing", &f, &err),
			 -1);
	brig_file_fact_free(&f);
	assert_int_equal(run("npm-pkgjson", "node_modules/x/package.json", "[1,2]", &f, &err), -1);
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);
}

static size_t count_v3_keys(const char *data)
{
	/* npm writes each "packages" key on its own line at four spaces. */
	return count_lines_with(data, "    \"node_modules/");
}

static void check_npm_expected(const struct brig_pkg_list *l)
{
	char path[4096];
	json_error_t je;
	json_t *root, *row;
	size_t i, n = 0;

	if (!brig_test_shared("npm-audit/expected-findings.json", path, sizeof(path)))
		return;
	root = json_load_file(path, 0, &je);
	assert_non_null(root);
	json_array_foreach(json_object_get(root, "findings"), i, row) {
		const char *lp = json_string_value(json_object_get(row, "lockfile_path"));
		const struct brig_package *p =
			must_find(l, json_string_value(json_object_get(row, "name")), lp);

		assert_string_equal(p->version, json_string_value(json_object_get(row, "version")));
		n++;
	}
	assert_int_equal(n, 13);
	json_decref(root);
}

static void test_npm_lock_shared(void **state)
{
	char path[4096];
	struct brig_error err = {0};
	struct brig_file_fact f;
	const struct brig_package *p;
	char *data;

	(void)state;
	BRIG_REQUIRE_SHARED("npm-audit/package-lock.json", path);
	data = brig_test_slurp(path, NULL);
	assert_int_equal(run_file("npm-lock", "app/package-lock.json", path, &f, &err), 0);
	assert_int_equal(f.pkgs.n, count_v3_keys(data));
	assert_int_equal(f.pkgs.n, 217); /* PROVENANCE.md */
	p = must_find(&f.pkgs, "minimist", "node_modules/optimist/node_modules/minimist");
	assert_string_equal(p->version, "0.0.10");
	assert_string_equal(must_find(&f.pkgs, "minimist", "node_modules/minimist")->version, "1.2.0");
	assert_string_equal(must_find(&f.pkgs, "semver", "node_modules/eslint/node_modules/semver")->version,
			    "7.8.6");
	assert_string_equal(
		must_find(&f.pkgs, "semver", "node_modules/eslint-plugin-compat/node_modules/semver")->version,
		"7.3.5");
	p = must_find(&f.pkgs, "@babel/code-frame", "node_modules/@babel/code-frame");
	assert_string_equal(p->version, "7.12.11");
	assert_string_equal(p->license, "MIT");
	assert_string_equal(p->file_path, "/app/package-lock.json");
	assert_int_equal(p->origin, BRIG_ORIGIN_NPM_LOCK);
	assert_null(find_pkg(&f.pkgs, "brig-npm-audit-fixture-a", NULL)); /* the root */
	check_npm_expected(&f.pkgs);
	{
		struct brig_package *q = (struct brig_package *)p;

		brig_purl_fill(q, NULL);
		assert_string_equal(q->purl, "pkg:npm/%40babel/code-frame@7.12.11");
	}
	free(data);
	brig_file_fact_free(&f);
}

static void test_npm_lock_v2_fixture(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f;
	const char *lock = "{\"lockfileVersion\":2,\"packages\":{"
			   "\"\":{\"name\":\"root\",\"version\":\"1.0.0\"},"
			   "\"packages/ws-a\":{\"name\":\"ws-a\",\"version\":\"0.1.0\"},"
			   "\"node_modules/ws-a\":{\"resolved\":\"packages/ws-a\",\"link\":true,"
			   "  \"version\":\"0.1.0\"},"
			   "\"node_modules/jest\":{\"version\":\"29.0.0\",\"dev\":true},"
			   "\"node_modules/sw-cjs\":{\"name\":\"string-width\",\"version\":\"4.2.3\"},"
			   "\"node_modules/a/node_modules/@s/b\":{\"version\":\"2.0.0\"},"
			   "\"packages/ws-a/node_modules/c\":{\"version\":\"3.0.0\"},"
			   "\"node_modules/noversion\":{},"
			   "\"node_modules/notobj\":7,"
			   "\"node_modules/\":{\"version\":\"1\"}"
			   "},\"dependencies\":{\"ignored\":{\"version\":\"1\"}}}";

	(void)state;
	assert_int_equal(run("npm-lock", "package-lock.json", lock, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 4);
	assert_true(must_find(&f.pkgs, "jest", NULL)->dev);
	assert_string_equal(must_find(&f.pkgs, "string-width", NULL)->pkg_path, "node_modules/sw-cjs");
	assert_string_equal(must_find(&f.pkgs, "@s/b", NULL)->pkg_path,
			    "node_modules/a/node_modules/@s/b");
	assert_string_equal(must_find(&f.pkgs, "c", NULL)->pkg_path, "packages/ws-a/node_modules/c");
	assert_null(find_pkg(&f.pkgs, "ws-a", NULL));
	assert_null(find_pkg(&f.pkgs, "ignored", NULL));
	brig_file_fact_free(&f);
}

static void test_npm_lock_v1_fixture(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f;
	const char *lock = "{\"lockfileVersion\":1,\"dependencies\":{"
			   "\"optimist\":{\"version\":\"0.6.1\",\"dependencies\":{"
			   "  \"minimist\":{\"version\":\"0.0.10\",\"dev\":true}}},"
			   "\"minimist\":{\"version\":\"1.2.0\"},"
			   "\"sw\":{\"version\":\"npm:string-width@4.2.3\"},"
			   "\"bad\":[1],"
			   "\"noversion\":{\"dependencies\":{\"deep\":{\"version\":\"1.0.0\"}}}"
			   "}}";

	(void)state;
	assert_int_equal(run("npm-lock", "npm-shrinkwrap.json", lock, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 5);
	assert_true(must_find(&f.pkgs, "minimist", "node_modules/optimist/node_modules/minimist")->dev);
	assert_false(must_find(&f.pkgs, "minimist", "node_modules/minimist")->dev);
	assert_string_equal(must_find(&f.pkgs, "string-width", "node_modules/sw")->version, "4.2.3");
	assert_non_null(must_find(&f.pkgs, "deep", "node_modules/noversion/node_modules/deep"));
	brig_file_fact_free(&f);
}

/* Builds {"dependencies":{"a":{"version":"1","dependencies":{... depth times. */
static char *nested_v1(int depth)
{
	size_t cap = (size_t)depth * 48 + 64, len = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	len += (size_t)snprintf(s + len, cap - len, "{");
	for (int i = 0; i < depth; i++)
		len += (size_t)snprintf(s + len, cap - len,
					"\"dependencies\":{\"a\":{\"version\":\"1\",");
	len += (size_t)snprintf(s + len, cap - len, "\"x\":0");
	for (int i = 0; i < depth; i++)
		len += (size_t)snprintf(s + len, cap - len, "}}");
	snprintf(s + len, cap - len, "}");
	return s;
}

static void test_npm_lock_hostile(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f;
	size_t deep_n = 100000;
	char *deep = malloc(deep_n * 2 + 1), *v1;

	(void)state;
	assert_int_equal(run("npm-lock", "package-lock.json", "{\"packages\":[1,2]}", &f, &err), -1);
	assert_non_null(strstr(err.msg, "packages"));
	brig_file_fact_free(&f);
	assert_int_equal(run("npm-lock", "package-lock.json", "{\"packages\":\"x\"}", &f, &err), -1);
	brig_file_fact_free(&f);
	assert_int_equal(run("npm-lock", "package-lock.json", "{\"dependencies\":null}", &f, &err), -1);
	brig_file_fact_free(&f);
	assert_int_equal(run("npm-lock", "package-lock.json", "{\"lockfileVersion\":3}", &f, &err), 0);
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);
	assert_int_equal(run("npm-lock", "package-lock.json", "", &f, &err), -1);
	brig_file_fact_free(&f);
	assert_int_equal(run("npm-lock", "package-lock.json", "\"str\"", &f, &err), -1);
	brig_file_fact_free(&f);
	assert_int_equal(run_len("npm-lock", "package-lock.json", "{\"a\":\"\0\"}", 9, &f, &err), -1);
	brig_file_fact_free(&f);

	/* 100k-deep arrays: jansson's depth limit refuses them. */
	assert_non_null(deep);
	memset(deep, '[', deep_n);
	memset(deep + deep_n, ']', deep_n);
	deep[deep_n * 2] = '\0';
	assert_int_equal(run("npm-lock", "package-lock.json", deep, &f, &err), -1);
	brig_file_fact_free(&f);
	deep[0] = '{';
	assert_int_equal(run("npm-pkgjson", "node_modules/x/package.json", deep, &f, &err), -1);
	brig_file_fact_free(&f);
	free(deep);

	/* v1 nesting: 100 levels are fine, 200 exceed BRIG_MAX_NESTING. */
	v1 = nested_v1(100);
	assert_int_equal(run("npm-lock", "package-lock.json", v1, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 100);
	brig_file_fact_free(&f);
	free(v1);
	v1 = nested_v1(200);
	assert_int_equal(run("npm-lock", "package-lock.json", v1, &f, &err), -1);
	assert_non_null(strstr(err.msg, "nested"));
	assert_int_equal(f.pkgs.n, 0);
	brig_file_fact_free(&f);
	free(v1);
}

static void test_yarn_fixture(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f;
	const struct brig_package *p;

	(void)state;
	assert_int_equal(run_file("yarn-lock", "app/yarn.lock", BRIG_SCAN_FIXTURES "/yarn-v1.lock", &f, &err),
			 0);
	/* 10 entries, 8 distinct (name, version) pairs. */
	assert_int_equal(f.pkgs.n, 8);
	p = must_find(&f.pkgs, "@babel/code-frame", NULL);
	assert_string_equal(p->version, "7.12.11");
	assert_string_equal(p->file_path, "/app/yarn.lock");
	assert_int_equal(p->origin, BRIG_ORIGIN_YARN_LOCK);
	assert_null(p->pkg_path);
	assert_string_equal(must_find(&f.pkgs, "@babel/highlight", NULL)->version, "7.25.9");
	assert_string_equal(must_find(&f.pkgs, "chalk", NULL)->version, "2.4.2");
	assert_string_equal(must_find(&f.pkgs, "minimist", NULL)->version, "0.0.10");
	assert_string_equal(must_find(&f.pkgs, "string-width", NULL)->version, "4.2.3");
	assert_null(find_pkg(&f.pkgs, "string-width-cjs", NULL));
	assert_null(find_pkg(&f.pkgs, "version", NULL));
	/* Both lodash versions, once each. */
	{
		size_t n = 0;

		for (size_t i = 0; i < f.pkgs.n; i++)
			if (strcmp(f.pkgs.items[i].name, "lodash") == 0)
				n++;
		assert_int_equal(n, 2);
	}
	brig_file_fact_free(&f);
}

static void test_yarn_hostile(void **state)
{
	struct brig_error err = {0};
	struct brig_file_fact f;
	const char *y = "a@^1:\n"
			"  dependencies:\n"
			"    version \"^9\"\n" /* a dependency called "version" */
			"  version \"1.0.0\"\n"
			"noat:\n  version \"1\"\n"
			"\"@s/x@npm:^2\", \"@s/x@~2\":\n  version: 2.1.0\n" /* berry style */
			"root@workspace:.:\n  version: 0.0.0-use.local\n"
			"b@1:\n  version \"\"\n"
			"c@1\n  version \"1\"\n" /* header without ':' */
			"d@1:\r\n  version \"4\"\r\n"
			"e@1:\n  version";

	(void)state;
	assert_int_equal(run("yarn-lock", "yarn.lock", y, &f, &err), 0);
	assert_int_equal(f.pkgs.n, 3);
	assert_string_equal(f.pkgs.items[0].name, "@s/x");
	assert_string_equal(f.pkgs.items[0].version, "2.1.0");
	assert_string_equal(f.pkgs.items[1].name, "a");
	assert_string_equal(f.pkgs.items[1].version, "1.0.0");
	assert_string_equal(f.pkgs.items[2].name, "d");
	assert_string_equal(f.pkgs.items[2].version, "4");
	brig_file_fact_free(&f);
	assert_int_equal(run_len("yarn-lock", "yarn.lock", "a@1:\n\0", 6, &f, &err), -1);
	brig_file_fact_free(&f);
}

static void test_registry(void **state)
{
	static const char *const paths[] = {
		"etc/os-release",	  "usr/lib/os-release",	   "etc/alpine-release",
		"etc/debian_version",	  "var/lib/dpkg/status",   "var/lib/dpkg/status.d/x",
		"lib/apk/db/installed",	  "usr/lib/apk/db/installed",
		"node_modules/a/package.json", "app/package-lock.json", "app/yarn.lock",
	};
	size_t n;
	const struct brig_analyzer *const *all = brig_analyzers(&n);

	(void)state;
	assert_int_equal(n, 6);
	/* Every wanted path belongs to exactly one analyzer. */
	for (size_t p = 0; p < sizeof(paths) / sizeof(paths[0]); p++) {
		int claimed = 0;

		for (size_t i = 0; i < n; i++)
			claimed += all[i]->wants(paths[p]);
		assert_int_equal(claimed, 1);
	}
	for (size_t i = 0; i < n; i++) {
		assert_non_null(all[i]->name);
		assert_true(all[i]->version >= 1);
		assert_false(all[i]->wants(""));
		assert_false(all[i]->wants("etc/passwd"));
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(all[i]->name, all[j]->name);
	}
	brig_file_fact_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkg_list_sort_stable),
		cmocka_unit_test(test_pkg_copy),
		cmocka_unit_test(test_pkg_type_name),
		cmocka_unit_test(test_purl),
		cmocka_unit_test(test_os_release_parse),
		cmocka_unit_test(test_os_detect_debian_shared),
		cmocka_unit_test(test_os_detect_alpine_shared),
		cmocka_unit_test(test_os_detect_priority),
		cmocka_unit_test(test_dpkg_matches_dpkg_query),
		cmocka_unit_test(test_dpkg_purls_shared),
		cmocka_unit_test(test_dpkg_status_filter),
		cmocka_unit_test(test_dpkg_status_d),
		cmocka_unit_test(test_dpkg_hostile),
		cmocka_unit_test(test_apk_shared),
		cmocka_unit_test(test_apk_hostile),
		cmocka_unit_test(test_npm_wants),
		cmocka_unit_test(test_npm_pkgjson),
		cmocka_unit_test(test_npm_lock_shared),
		cmocka_unit_test(test_npm_lock_v2_fixture),
		cmocka_unit_test(test_npm_lock_v1_fixture),
		cmocka_unit_test(test_npm_lock_hostile),
		cmocka_unit_test(test_yarn_fixture),
		cmocka_unit_test(test_yarn_hostile),
		cmocka_unit_test(test_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* lib/report: every format written from one hand-built inventory, read
 * back and checked for structure, grouping, ordering and sanitising. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fixture.h"
#include "report/report_int.h"
#include "testutil.h"

/* ---- helpers ---- */

static char *render(const struct brig_report_input *in, enum brig_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct brig_error err = {0};

	assert_non_null(f);
	if (brig_report_write(f, fmt, in, &err) != 0)
		fail_msg("brig_report_write: %s", err.msg);
	fclose(f);
	assert_int_equal(strlen(buf), len); /* no NUL inside */
	return buf;
}

static json_t *render_json(const struct brig_report_input *in, enum brig_format fmt)
{
	char *text = render(in, fmt);
	json_error_t jerr;
	json_t *doc = json_loads(text, 0, &jerr);

	if (!doc)
		fail_msg("output is not JSON: %s (line %d)\n%s", jerr.text, jerr.line, text);
	free(text);
	return doc;
}

static const char *sget(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (!s)
		fail_msg("missing string key %s", key);
	return s;
}

static json_t *result_by_target(json_t *doc, const char *target)
{
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(doc, "Results"), i, r)
		if (strcmp(sget(r, "Target"), target) == 0)
			return r;
	fail_msg("no result %s", target);
	return NULL;
}

static bool has_ctl(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			return true;
		if (c == 0xc2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9f)
			return true; /* UTF-8 encoded C1 control */
	}
	return false;
}

/* ---- finding.c ---- */

static void test_severity(void **state)
{
	enum brig_severity s = BRIG_SEV_UNKNOWN;

	(void)state;
	assert_string_equal(brig_severity_name(BRIG_SEV_CRITICAL), "CRITICAL");
	assert_string_equal(brig_severity_name(BRIG_SEV_UNKNOWN), "UNKNOWN");
	assert_string_equal(brig_severity_name((enum brig_severity)42), "UNKNOWN");
	assert_int_equal(brig_severity_parse("high", &s), 0);
	assert_int_equal(s, BRIG_SEV_HIGH);
	assert_int_equal(brig_severity_parse("Moderate", &s), 0);
	assert_int_equal(s, BRIG_SEV_MEDIUM);
	assert_int_equal(brig_severity_parse("LOW", &s), 0);
	assert_int_equal(s, BRIG_SEV_LOW);
	assert_int_equal(brig_severity_parse("unknown", &s), 0);
	assert_int_equal(s, BRIG_SEV_UNKNOWN);
	assert_int_equal(brig_severity_parse("severe", &s), -1);
	assert_int_equal(brig_severity_parse("", &s), -1);
	assert_int_equal(brig_severity_parse(NULL, &s), -1);
}

static void test_finding_list(void **state)
{
	struct brig_finding_list l = {0};

	(void)state;
	for (int i = 0; i < 100; i++) {
		struct brig_finding *f = brig_finding_list_add(&l);

		assert_null(f->id);
		assert_null(f->pkg);
		f->id = brig_xasprintf("CVE-2024-%04d", i);
		f->code_lines = fx_strv(2, "a", "b");
		f->n_code_lines = 2;
		f->target_type = brig_xstrdup("dockerfile");
	}
	assert_int_equal(l.n, 100);
	assert_string_equal(l.items[99].id, "CVE-2024-0099");
	brig_finding_list_free(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.items);
	brig_finding_list_free(&l); /* twice is harmless */
}

static void test_format_parse(void **state)
{
	enum brig_format f = BRIG_FORMAT_JSON;

	(void)state;
	assert_int_equal(brig_format_parse("table", &f), 0);
	assert_int_equal(f, BRIG_FORMAT_TABLE);
	assert_int_equal(brig_format_parse("spdx-json", &f), 0);
	assert_int_equal(f, BRIG_FORMAT_SPDX_JSON);
	assert_int_equal(brig_format_parse("cyclonedx", &f), 0);
	assert_int_equal(f, BRIG_FORMAT_CYCLONEDX);
	assert_int_equal(brig_format_parse("sarif", &f), 0);
	assert_int_equal(f, BRIG_FORMAT_SARIF);
	assert_int_equal(brig_format_parse("json", &f), 0);
	assert_int_equal(f, BRIG_FORMAT_JSON);
	assert_int_equal(brig_format_parse("JSON", &f), -1);
	assert_int_equal(brig_format_parse("spdx", &f), -1);
	assert_int_equal(brig_format_parse(NULL, &f), -1);
}

/* ---- text helpers ---- */

static void test_term_clean(void **state)
{
	char *s;

	(void)state;
	s = brig_rpt_term_clean("a\x1b[31mb\tc\nd\x7f");
	assert_string_equal(s, "a?[31mb c d?");
	free(s);
	/* C1 CSI, bidi override, invalid and overlong UTF-8 */
	s = brig_rpt_term_clean("x\xc2\x9by\xe2\x80\xaez\xff\xc0\xafw");
	assert_string_equal(s, "x?y?z???w");
	free(s);
	s = brig_rpt_term_clean("caf\xc3\xa9 \xe2\x9c\x93"); /* valid UTF-8 stays */
	assert_string_equal(s, "caf\xc3\xa9 \xe2\x9c\x93");
	free(s);
	s = brig_rpt_term_clean(NULL);
	assert_string_equal(s, "");
	free(s);
}

static void test_width_truncate(void **state)
{
	char *s;

	(void)state;
	assert_int_equal(brig_rpt_display_width("abc"), 3);
	assert_int_equal(brig_rpt_display_width("caf\xc3\xa9"), 4);
	assert_int_equal(brig_rpt_display_width("\xe6\xbc\xa2\xe5\xad\x97"), 4); /* 漢字 */
	s = brig_rpt_truncate("abcdefghij", 5);
	assert_string_equal(s, "abcd\xe2\x80\xa6");
	assert_int_equal(brig_rpt_display_width(s), 5);
	free(s);
	s = brig_rpt_truncate("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3); /* never splits a character */
	assert_string_equal(s, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
	free(s);
	s = brig_rpt_truncate("short", 5);
	assert_string_equal(s, "short");
	free(s);
	s = brig_rpt_truncate("short", 0);
	assert_string_equal(s, "");
	free(s);
	/* long strings take the sixteen-byte scan: one odd byte anywhere in
	 * them must still be seen */
	for (size_t at = 0; at < 40; at++) {
		static const char odd[] = {'\x01', '\t', '\x7f', '\x1b', (char)0xff};
		char text[41], want[41];

		for (size_t k = 0; k < sizeof(odd); k++) {
			memset(text, 'a', 40);
			text[40] = '\0';
			text[at] = odd[k];
			memcpy(want, text, sizeof(want));
			want[at] = odd[k] == '\t' ? ' ' : '?';
			s = brig_rpt_term_clean(text);
			assert_string_equal(s, want);
			free(s);
		}
		memset(text, 'a', 40);
		text[40] = '\0';
		text[at] = (char)0xc3; /* with the next byte an "é": 40 bytes, 39 columns */
		if (at + 1 < 40) {
			text[at + 1] = (char)0xa9;
			assert_int_equal(brig_rpt_display_width(text), 39);
		}
	}
	s = brig_rpt_truncate("abcdefghijklmnopqrstuvwxyz0123456789", 10);
	assert_string_equal(s, "abcdefghi\xe2\x80\xa6");
	free(s);
	assert_int_equal(brig_rpt_display_width("abcdefghijklmnopqrstuvwxyz0123456789"), 36);
}

static void test_timestamp(void **state)
{
	char out[32];
	struct brig_error err = {0};

	(void)state;
	assert_int_equal(brig_rpt_timestamp("2024-01-02T04:04:05.123+01:00", out, &err), 0);
	assert_string_equal(out, "2024-01-02T03:04:05Z");
	assert_int_equal(brig_rpt_timestamp("2023-12-31T23:30:00-01:00", out, &err), 0);
	assert_string_equal(out, "2024-01-01T00:30:00Z");
	assert_int_equal(brig_rpt_timestamp("2024-02-29t10:00:00z", out, &err), 0);
	assert_string_equal(out, "2024-02-29T10:00:00Z");
	assert_int_equal(brig_rpt_timestamp(NULL, out, &err), 0);
	assert_int_equal(strlen(out), 20);
	/* brig formats UTC itself: it must agree with gmtime_r from year 0 to
	 * 9999, leap days and the years before 1970 included */
	for (long long t = -62167219200LL; t <= 253402300799LL; t += 86400LL * 13 + 3607) {
		time_t tt = (time_t)t;
		struct tm tm;
		char want[80];

		assert_non_null(gmtime_r(&tt, &tm));
		snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		assert_int_equal(brig_rpt_timestamp(want, out, &err), 0);
		assert_string_equal(out, want);
	}
	assert_int_equal(brig_rpt_timestamp("9999-12-31T23:59:59Z", out, &err), 0);
	assert_string_equal(out, "9999-12-31T23:59:59Z");
	assert_int_equal(brig_rpt_timestamp("0000-01-01T00:00:00Z", out, &err), 0);
	assert_string_equal(out, "0000-01-01T00:00:00Z");
	assert_int_equal(brig_rpt_timestamp("0000-01-01T00:00:00+00:01", out, &err), -1);
	assert_int_equal(brig_rpt_timestamp("2000-02-29T12:00:00Z", out, &err), 0);
	assert_string_equal(out, "2000-02-29T12:00:00Z");
	assert_int_equal(brig_rpt_timestamp("2024-01-02", out, &err), -1);
	assert_non_null(strstr(err.msg, "RFC 3339"));
	assert_int_equal(brig_rpt_timestamp("2024-13-02T00:00:00Z", out, &err), -1);
	assert_int_equal(brig_rpt_timestamp("2024-01-02T00:00:00Zjunk", out, &err), -1);
}

static void test_uuid(void **state)
{
	char a[37], b[37];
	struct brig_error err = {0};

	(void)state;
	assert_int_equal(brig_rpt_uuid4(a, &err), 0);
	assert_int_equal(brig_rpt_uuid4(b, &err), 0);
	assert_int_equal(strlen(a), 36);
	assert_string_not_equal(a, b);
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	for (const char *p = a; *p; p++)
		assert_non_null(strchr("0123456789abcdef-", *p));
}

static void test_image_path(void **state)
{
	static const struct {
		const char *ref, *path, *domain;
	} cases[] = {
		{"alpine:3.18", "library/alpine", NULL},
		{"alpine", "library/alpine", NULL},
		{"docker.io/library/alpine:3.18", "library/alpine", NULL},
		{"index.docker.io/bitnami/redis", "bitnami/redis", NULL},
		{"myuser/app:1", "myuser/app", NULL},
		{"ghcr.io/org/img:1@sha256:abcd", "org/img", "ghcr.io"},
		{"localhost:5000/foo:tag", "foo", "localhost:5000"},
		{"registry:5000/team/app", "team/app", "registry:5000"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *domain = NULL, *path = brig_rpt_image_path(cases[i].ref, &domain);

		assert_string_equal(path, cases[i].path);
		if (cases[i].domain)
			assert_string_equal(domain, cases[i].domain);
		else
			assert_null(domain);
		free(path);
		free(domain);
	}
}

static void test_license(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
		{"mit", "MIT"},
		{"mit or apache-2.0", "MIT OR Apache-2.0"},
		{"(MIT AND BSD-3-Clause) OR GPL-2.0-only WITH Classpath-exception-2.0",
		 "(MIT AND BSD-3-Clause) OR GPL-2.0-only WITH Classpath-exception-2.0"},
		{"( MIT   OR  ISC )", "(MIT OR ISC)"},
		{"LicenseRef-acme-1.0", "LicenseRef-acme-1.0"},
		{"Apache-2.0+", "Apache-2.0+"},
		{"GPL-2.0+", "GPL-2.0+"},
	};
	static const char *const bad[] = {"MIT BSD",   "GPL-2+",   "MIT AND", "(MIT",  "Foo",
					  "MIT WITH",  "MIT ) (",  "",	      "AND",   "MIT AnD ISC",
					  "MIT WITH MIT"};

	(void)state;
	assert_string_equal(brig_rpt_spdx_license_id("apache-2.0"), "Apache-2.0");
	assert_string_equal(brig_rpt_spdx_license_id("0bsd"), "0BSD");
	assert_null(brig_rpt_spdx_license_id("Classpath-exception-2.0"));
	assert_null(brig_rpt_spdx_license_id("GPL-2+"));
	assert_null(brig_rpt_spdx_license_id(NULL));
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *e = brig_rpt_spdx_expression(ok[i].in);

		if (!e)
			fail_msg("rejected %s", ok[i].in);
		assert_string_equal(e, ok[i].out);
		free(e);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *e = brig_rpt_spdx_expression(bad[i]);

		if (e)
			fail_msg("accepted '%s' as '%s'", bad[i], e);
	}
}

/* ---- json ---- */

static void test_json_shape(void **state)
{
	struct fixture fx;
	json_t *doc, *md, *os, *res, *v, *p;

	(void)state;
	fixture_init(&fx, false);
	doc = render_json(&fx.in, BRIG_FORMAT_JSON);
	assert_int_equal(json_integer_value(json_object_get(doc, "SchemaVersion")), 2);
	assert_string_equal(sget(doc, "CreatedAt"), "2024-01-02T03:04:05Z");
	assert_string_equal(sget(doc, "ArtifactName"), "debian:12");
	assert_string_equal(sget(doc, "ArtifactType"), "container_image");
	md = json_object_get(doc, "Metadata");
	os = json_object_get(md, "OS");
	assert_string_equal(sget(os, "Family"), "debian");
	assert_string_equal(sget(os, "Name"), "12.5");
	assert_string_equal(sget(md, "ImageID"), FX_IMAGE_ID);
	assert_int_equal(json_array_size(json_object_get(md, "DiffIDs")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(md, "RepoTags"), 0)),
			    "debian:12");
	assert_int_equal(json_array_size(json_object_get(md, "RepoDigests")), 1);
	assert_true(json_equal(json_object_get(md, "ImageConfig"), fx.config));

	/* Results: OS, Node.js, lockfiles by path, config, runtime */
	res = json_object_get(doc, "Results");
	assert_int_equal(json_array_size(res), 6);
	assert_string_equal(sget(json_array_get(res, 0), "Target"), "debian:12 (debian 12.5)");
	assert_string_equal(sget(json_array_get(res, 0), "Class"), "os-pkgs");
	assert_string_equal(sget(json_array_get(res, 0), "Type"), "debian");
	assert_string_equal(sget(json_array_get(res, 1), "Target"), "Node.js");
	assert_string_equal(sget(json_array_get(res, 1), "Class"), "lang-pkgs");
	assert_string_equal(sget(json_array_get(res, 1), "Type"), "node-pkg");
	assert_string_equal(sget(json_array_get(res, 2), "Target"), "app/package-lock.json");
	assert_string_equal(sget(json_array_get(res, 2), "Type"), "npm");
	assert_string_equal(sget(json_array_get(res, 3), "Target"), "srv/web/yarn.lock");
	assert_string_equal(sget(json_array_get(res, 3), "Type"), "yarn");
	assert_string_equal(sget(json_array_get(res, 4), "Target"), "Dockerfile");
	assert_string_equal(sget(json_array_get(res, 4), "Class"), "config");
	assert_string_equal(sget(json_array_get(res, 4), "Type"), "dockerfile");
	assert_string_equal(sget(json_array_get(res, 5), "Target"), "container web-1");
	assert_string_equal(sget(json_array_get(res, 5), "Class"), "runtime");
	for (size_t i = 0; i < json_array_size(res); i++)
		assert_null(json_object_get(json_array_get(res, i), "Packages"));
	assert_null(json_object_get(json_array_get(res, 3), "Vulnerabilities"));

	/* OS vulnerabilities: same package, most severe first */
	v = json_object_get(json_array_get(res, 0), "Vulnerabilities");
	assert_int_equal(json_array_size(v), 2);
	p = json_array_get(v, 0);
	assert_string_equal(sget(p, "VulnerabilityID"), "CVE-2023-5678");
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "VendorIDs"), 0)),
			    "DSA-5585-1");
	assert_string_equal(sget(p, "PkgID"), "libssl3@3.0.11-1~deb12u2");
	assert_string_equal(sget(p, "PkgName"), "libssl3");
	assert_string_equal(sget(json_object_get(p, "PkgIdentifier"), "PURL"),
			    "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12");
	assert_string_equal(sget(p, "InstalledVersion"), "3.0.11-1~deb12u2");
	assert_string_equal(sget(p, "FixedVersion"), "3.0.13-1~deb12u1");
	assert_string_equal(sget(p, "Status"), "fixed");
	assert_string_equal(sget(json_object_get(p, "Layer"), "DiffID"), FX_LAYER1);
	assert_string_equal(sget(p, "SeveritySource"), "nvd");
	assert_string_equal(sget(p, "PrimaryURL"), "https://avd.aquasec.com/nvd/cve-2023-5678");
	assert_string_equal(sget(p, "Severity"), "MEDIUM");
	assert_true(json_real_value(json_object_get(
			    json_object_get(json_object_get(p, "CVSS"), "nvd"), "V3Score")) == 5.3);
	assert_int_equal(json_array_size(json_object_get(p, "References")), 2);
	assert_string_equal(sget(json_array_get(v, 1), "VulnerabilityID"), "CVE-2024-0727");
	assert_null(json_object_get(json_array_get(v, 1), "FixedVersion"));
	assert_null(json_object_get(json_array_get(v, 1), "CVSS"));

	/* node_modules: one result, PkgPath tells the copies apart */
	v = json_object_get(json_array_get(res, 1), "Vulnerabilities");
	assert_int_equal(json_array_size(v), 2);
	assert_string_equal(sget(json_array_get(v, 0), "PkgPath"),
			    "app/node_modules/a/node_modules/lodash");
	assert_string_equal(sget(json_array_get(v, 1), "PkgPath"), "app/node_modules/lodash");

	/* misconfigurations: HIGH, LOW, UNKNOWN; lines and code */
	v = json_object_get(json_array_get(res, 4), "Misconfigurations");
	assert_int_equal(json_array_size(v), 3);
	assert_string_equal(sget(json_array_get(v, 2), "ID"), "DS099");
	p = json_array_get(v, 0);
	assert_string_equal(sget(p, "Type"), "Dockerfile Security Check");
	assert_string_equal(sget(p, "ID"), "DS002");
	assert_string_equal(sget(p, "Status"), "FAIL");
	assert_string_equal(sget(p, "Severity"), "HIGH");
	assert_string_equal(sget(p, "Resolution"),
			    "Add 'USER <non root user name>' to the Dockerfile");
	p = json_object_get(p, "CauseMetadata");
	assert_int_equal(json_integer_value(json_object_get(p, "StartLine")), 3);
	assert_int_equal(json_integer_value(json_object_get(p, "EndLine")), 3);
	p = json_array_get(json_object_get(json_object_get(p, "Code"), "Lines"), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "Number")), 3);
	assert_string_equal(sget(p, "Content"), "USER root\x1b[2J"); /* JSON escapes it */
	p = json_object_get(json_array_get(v, 1), "CauseMetadata");
	assert_null(json_object_get(p, "StartLine"));
	assert_null(json_object_get(p, "Code"));
	v = json_object_get(json_array_get(res, 5), "Misconfigurations");
	assert_string_equal(sget(json_array_get(v, 0), "Source"), "api");
	assert_string_equal(sget(json_array_get(v, 0), "Type"), "Runtime Security Check");
	json_decref(doc);
	fixture_free(&fx);
}

static void test_json_packages(void **state)
{
	struct fixture fx;
	json_t *doc, *pk, *p;

	(void)state;
	fixture_init(&fx, true);
	doc = render_json(&fx.in, BRIG_FORMAT_JSON);
	pk = json_object_get(result_by_target(doc, "debian:12 (debian 12.5)"), "Packages");
	assert_int_equal(json_array_size(pk), 3);
	/* sorted by name whatever the inventory order */
	p = json_array_get(pk, 0);
	assert_string_equal(sget(p, "ID"), "bash@5.2.15-2+b2");
	assert_string_equal(sget(p, "Name"), "bash");
	assert_string_equal(sget(p, "Version"), "5.2.15-2+b2");
	assert_string_equal(sget(p, "SrcName"), "bash");
	assert_string_equal(sget(p, "Arch"), "amd64");
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "Licenses"), 0)),
			    "gpl-3.0-or-later");
	assert_string_equal(sget(json_object_get(p, "Identifier"), "PURL"),
			    "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12");
	assert_string_equal(sget(json_object_get(p, "Layer"), "DiffID"), FX_LAYER1);
	assert_string_equal(sget(p, "FilePath"), "/var/lib/dpkg/status");
	assert_null(json_object_get(p, "Dev"));
	p = json_array_get(pk, 1);
	assert_string_equal(sget(p, "Name"), "evil\x1b[31mpkg");
	assert_null(json_object_get(p, "Arch"));
	assert_null(json_object_get(p, "Layer"));
	assert_string_equal(sget(json_array_get(pk, 2), "SrcName"), "openssl");
	pk = json_object_get(result_by_target(doc, "app/package-lock.json"), "Packages");
	assert_int_equal(json_array_size(pk), 1);
	assert_true(json_is_true(json_object_get(json_array_get(pk, 0), "Dev")));
	pk = json_object_get(result_by_target(doc, "Node.js"), "Packages");
	assert_int_equal(json_array_size(pk), 2);
	pk = json_object_get(result_by_target(doc, "srv/web/yarn.lock"), "Packages");
	assert_string_equal(sget(json_array_get(pk, 0), "ID"), "left-pad@1.3.0");
	json_decref(doc);
	fixture_free(&fx);
}

static void test_json_deterministic(void **state)
{
	struct fixture fx;
	char *a, *b;
	struct brig_package tmp;

	(void)state;
	fixture_init(&fx, true);
	a = render(&fx.in, BRIG_FORMAT_JSON);
	/* a different inventory order must not change the report */
	tmp = fx.pkgs.items[0];
	fx.pkgs.items[0] = fx.pkgs.items[1];
	fx.pkgs.items[1] = tmp;
	for (size_t i = 0; i < fx.findings.n; i++) {
		struct brig_finding *f = &fx.findings.items[i];

		if (f->pkg == &fx.pkgs.items[0])
			f->pkg = &fx.pkgs.items[1];
		else if (f->pkg == &fx.pkgs.items[1])
			f->pkg = &fx.pkgs.items[0];
	}
	b = render(&fx.in, BRIG_FORMAT_JSON);
	assert_string_equal(a, b);
	free(a);
	free(b);
	fixture_free(&fx);
}

static void test_json_invalid_utf8(void **state)
{
	struct fixture fx;
	json_t *doc, *p;

	(void)state;
	fixture_init(&fx, true);
	free(fx.pkgs.items[6].name);
	fx.pkgs.items[6].name = brig_xstrdup("left\xff" "pad");
	doc = render_json(&fx.in, BRIG_FORMAT_JSON);
	p = json_array_get(json_object_get(result_by_target(doc, "srv/web/yarn.lock"), "Packages"),
			   0);
	assert_string_equal(sget(p, "Name"), "left\xef\xbf\xbdpad");
	json_decref(doc);
	fixture_free(&fx);
}

/* ---- table ---- */

/* every line of one box table is equally wide */
static void assert_boxes_aligned(const char *text)
{
	const char *line = text;
	size_t width = 0;

	while (*line) {
		const char *nl = strchr(line, '\n');
		char *l = brig_xstrndup(line, nl ? (size_t)(nl - line) : strlen(line));

		if (strncmp(l, "\xe2\x94\x8c", 3) == 0) /* ┌ starts a table */
			width = brig_rpt_display_width(l);
		else if (width && (strncmp(l, "\xe2\x94", 2) == 0))
			assert_int_equal(brig_rpt_display_width(l), width);
		if (strncmp(l, "\xe2\x94\x94", 3) == 0) /* └ ends it */
			width = 0;
		free(l);
		line = nl ? nl + 1 : line + strlen(line);
	}
}

static void test_table(void **state)
{
	struct fixture fx;
	char *t;

	(void)state;
	fixture_init(&fx, false);
	t = render(&fx.in, BRIG_FORMAT_TABLE);
	assert_false(has_ctl(t));
	assert_null(strstr(t, "\xe2\x80\xae"));
	assert_non_null(strstr(t, "\ndebian:12 (debian 12.5)\n=======================\n"));
	assert_non_null(
		strstr(t, "Total: 2 (UNKNOWN: 0, LOW: 1, MEDIUM: 1, HIGH: 0, CRITICAL: 0)"));
	assert_non_null(strstr(t, "\nNode.js (node-pkg)\n"));
	assert_non_null(
		strstr(t, "Total: 2 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 2, CRITICAL: 0)"));
	assert_non_null(
		strstr(t, "Total: 1 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 1)"));
	assert_non_null(
		strstr(t, "Total: 3 (UNKNOWN: 1, LOW: 1, MEDIUM: 0, HIGH: 1, CRITICAL: 0)"));
	assert_non_null(strstr(t, "│ Library"));
	assert_non_null(strstr(t, "Installed Version"));
	assert_non_null(strstr(t, "lodash (app/node_modules/lodash)"));
	assert_non_null(strstr(t, "3.0.13-1~deb12u1"));
	/* the long title is cut with an ellipsis, the hostile one defused */
	assert_null(strstr(t, FX_LONG_TITLE));
	assert_non_null(strstr(t, "\xe2\x80\xa6"));
	assert_non_null(strstr(t, "?]0;pwned?minimist: prototype ?31m pollution"));
	/* misconfigurations */
	assert_non_null(strstr(t, "\nDockerfile (dockerfile)\n"));
	assert_non_null(strstr(t, "DS002 (HIGH): Title of DS002\n"));
	assert_non_null(strstr(t, " Dockerfile:3\n"));
	assert_non_null(strstr(t, "     3 │ USER root?[2J\n"));
	assert_non_null(strstr(t, "Fix: Add 'USER <non root user name>' to the Dockerfile"));
	assert_non_null(strstr(t, "\ncontainer web-1 (docker)\n"));
	assert_non_null(strstr(t, "Source: api\n"));
	/* a target without findings */
	assert_non_null(strstr(t, "\nsrv/web/yarn.lock (yarn)\n"));
	assert_non_null(strstr(t, "No vulnerabilities found (1 package)\n"));
	assert_null(strstr(t, "left-pad"));
	assert_boxes_aligned(t);
	free(t);
	fixture_free(&fx);
}

static void test_table_packages(void **state)
{
	struct fixture fx;
	char *t;

	(void)state;
	fixture_init(&fx, true);
	/* no findings at all: every target lists its packages */
	brig_finding_list_free(&fx.findings);
	t = render(&fx.in, BRIG_FORMAT_TABLE);
	assert_false(has_ctl(t));
	assert_non_null(strstr(t, "No vulnerabilities found (3 packages)\n"));
	assert_non_null(strstr(t, "│ Name "));
	assert_non_null(strstr(t, "│ Layer "));
	assert_non_null(strstr(t, "│ evil?[31mpkg "));
	assert_non_null(strstr(t, "│ 111111111111 │"));
	assert_non_null(strstr(t, "│ left-pad "));
	assert_non_null(strstr(t, "│ -            │")); /* no layer */
	assert_null(strstr(t, "Total:"));
	assert_boxes_aligned(t);
	free(t);
	fixture_free(&fx);
}

/* ---- cyclonedx ---- */

static bool uuid_urn(const char *s)
{
	static const char pat[] = "urn:uuid:xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx";

	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (size_t i = 0; pat[i]; i++) {
		if (pat[i] == 'x' && !strchr("0123456789abcdef", s[i]))
			return false;
		if (pat[i] == 'V' && !strchr("89ab", s[i]))
			return false;
		if (pat[i] != 'x' && pat[i] != 'V' && pat[i] != s[i])
			return false;
	}
	return true;
}

static json_t *by_key(json_t *arr, const char *key, const char *val)
{
	size_t i;
	json_t *o;

	json_array_foreach(arr, i, o) {
		const char *s = json_string_value(json_object_get(o, key));

		if (s && strcmp(s, val) == 0)
			return o;
	}
	return NULL;
}

static void test_cyclonedx(void **state)
{
	struct fixture fx;
	json_t *doc, *comps, *refs, *c, *v, *md, *deps, *a;
	size_t i;

	(void)state;
	fixture_init(&fx, false);
	doc = render_json(&fx.in, BRIG_FORMAT_CYCLONEDX);
	assert_string_equal(sget(doc, "bomFormat"), "CycloneDX");
	assert_string_equal(sget(doc, "specVersion"), "1.5");
	assert_true(uuid_urn(sget(doc, "serialNumber")));
	assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
	md = json_object_get(doc, "metadata");
	assert_string_equal(sget(md, "timestamp"), "2024-01-02T03:04:05Z");
	assert_string_equal(
		sget(json_array_get(json_object_get(json_object_get(md, "tools"), "components"), 0),
		     "name"),
		"brig");
	c = json_object_get(md, "component");
	assert_string_equal(sget(c, "type"), "container");
	assert_string_equal(sget(c, "name"), "debian:12");
	assert_string_equal(sget(c, "purl"),
			    "pkg:oci/debian@sha256%3Aabababababababababababababababababababababababab"
			    "abababababababab?arch=amd64&repository_url=index.docker.io/library/debian");

	comps = json_object_get(doc, "components");
	assert_int_equal(json_array_size(comps), 8); /* 7 packages + the OS */
	refs = json_object();
	json_object_set_new(refs, sget(c, "bom-ref"), json_true());
	json_array_foreach(comps, i, c) {
		assert_null(json_object_get(refs, sget(c, "bom-ref")));
		json_object_set_new(refs, sget(c, "bom-ref"), json_true());
	}
	c = json_array_get(comps, 0);
	assert_string_equal(sget(c, "type"), "operating-system");
	assert_string_equal(sget(c, "name"), "debian");
	assert_string_equal(sget(c, "version"), "12.5");
	c = by_key(comps, "name", "bash");
	assert_string_equal(sget(c, "type"), "library");
	assert_string_equal(sget(c, "bom-ref"), sget(c, "purl"));
	assert_string_equal(sget(json_object_get(json_array_get(json_object_get(c, "licenses"), 0),
						 "license"),
				 "id"),
			    "GPL-3.0-or-later");
	assert_non_null(by_key(json_object_get(c, "properties"), "name", "brig:LayerDiffID"));
	c = by_key(comps, "name", "minimist");
	assert_string_equal(sget(json_array_get(json_object_get(c, "licenses"), 0), "expression"),
			    "MIT OR Apache-2.0");
	assert_non_null(by_key(json_object_get(c, "properties"), "name", "brig:Dev"));
	c = by_key(comps, "name", "left-pad");
	assert_string_equal(sget(json_array_get(json_object_get(c, "licenses"), 0), "expression"),
			    "WTFPL AND LicenseRef-left-pad");
	c = by_key(comps, "name", "evil\x1b[31mpkg");
	assert_string_equal(sget(json_object_get(json_array_get(json_object_get(c, "licenses"), 0),
						 "license"),
				 "name"),
			    "GPL-2+");

	/* dependencies only name refs that exist */
	deps = json_object_get(doc, "dependencies");
	assert_true(json_array_size(deps) >= 2);
	json_array_foreach(deps, i, c) {
		size_t k;
		json_t *d;

		assert_non_null(json_object_get(refs, sget(c, "ref")));
		json_array_foreach(json_object_get(c, "dependsOn"), k, d)
			assert_non_null(json_object_get(refs, json_string_value(d)));
	}

	/* one vulnerability per id; lodash's two copies both affected */
	v = json_object_get(doc, "vulnerabilities");
	assert_int_equal(json_array_size(v), 4);
	c = by_key(v, "id", "CVE-2021-23337");
	a = json_object_get(c, "affects");
	assert_int_equal(json_array_size(a), 2);
	assert_string_not_equal(sget(json_array_get(a, 0), "ref"), sget(json_array_get(a, 1), "ref"));
	json_array_foreach(a, i, c)
		assert_non_null(json_object_get(refs, sget(c, "ref")));
	c = by_key(v, "id", "CVE-2023-5678");
	a = json_array_get(json_object_get(c, "ratings"), 0);
	assert_string_equal(sget(a, "severity"), "medium");
	assert_string_equal(sget(a, "method"), "CVSSv31");
	assert_true(json_real_value(json_object_get(a, "score")) == 5.3);
	assert_string_equal(sget(json_object_get(c, "source"), "name"), "nvd");
	assert_int_equal(json_array_size(json_object_get(c, "advisories")), 2);
	assert_string_equal(sget(c, "recommendation"), "Upgrade libssl3 to version 3.0.13-1~deb12u1");
	c = by_key(v, "id", "CVE-2024-0727");
	a = json_array_get(json_object_get(c, "ratings"), 0);
	assert_string_equal(sget(a, "severity"), "low");
	assert_null(json_object_get(a, "method"));
	json_decref(refs);
	json_decref(doc);
	fixture_free(&fx);
}

/* ---- spdx ---- */

static bool spdx_idstring(const char *s)
{
	if (strncmp(s, "SPDXRef-", 8) != 0 || !s[8])
		return false;
	for (s += 8; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", *s))
			return false;
	return true;
}

static void test_spdx(void **state)
{
	struct fixture fx;
	json_t *doc, *pkgs, *rels, *ids, *p;
	size_t i, describes = 0, contains = 0;

	(void)state;
	fixture_init(&fx, false);
	doc = render_json(&fx.in, BRIG_FORMAT_SPDX_JSON);
	assert_string_equal(sget(doc, "spdxVersion"), "SPDX-2.3");
	assert_string_equal(sget(doc, "dataLicense"), "CC0-1.0");
	assert_string_equal(sget(doc, "SPDXID"), "SPDXRef-DOCUMENT");
	assert_string_equal(sget(doc, "name"), "debian:12");
	assert_null(json_object_get(doc, "$schema")); /* the 2.3 schema forbids it */
	assert_true(strncmp(sget(doc, "documentNamespace"), "https://", 8) == 0);
	assert_non_null(strstr(sget(doc, "documentNamespace"), "/spdx/container_image/debian%3A12-"));
	p = json_object_get(doc, "creationInfo");
	assert_string_equal(sget(p, "created"), "2024-01-02T03:04:05Z");
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "creators"), 0)),
			    "Tool: brig-" BRIG_VERSION);

	pkgs = json_object_get(doc, "packages");
	assert_int_equal(json_array_size(pkgs), 9); /* root + OS + 7 */
	ids = json_object();
	json_object_set_new(ids, "SPDXRef-DOCUMENT", json_true());
	json_array_foreach(pkgs, i, p) {
		assert_true(spdx_idstring(sget(p, "SPDXID")));
		assert_null(json_object_get(ids, sget(p, "SPDXID")));
		json_object_set_new(ids, sget(p, "SPDXID"), json_true());
		assert_string_equal(sget(p, "downloadLocation"), "NOASSERTION");
		assert_true(json_is_false(json_object_get(p, "filesAnalyzed")));
	}
	assert_string_equal(sget(json_array_get(pkgs, 0), "primaryPackagePurpose"), "CONTAINER");
	assert_string_equal(sget(json_array_get(pkgs, 1), "primaryPackagePurpose"),
			    "OPERATING_SYSTEM");
	p = by_key(pkgs, "name", "bash");
	assert_string_equal(sget(p, "licenseDeclared"), "GPL-3.0-or-later");
	assert_string_equal(sget(p, "licenseConcluded"), "NOASSERTION");
	assert_string_equal(sget(p, "primaryPackagePurpose"), "LIBRARY");
	p = json_array_get(json_object_get(p, "externalRefs"), 0);
	assert_string_equal(sget(p, "referenceCategory"), "PACKAGE-MANAGER");
	assert_string_equal(sget(p, "referenceType"), "purl");
	p = by_key(pkgs, "name", "evil\x1b[31mpkg");
	assert_true(spdx_idstring(sget(p, "SPDXID")));
	assert_string_equal(sget(p, "licenseDeclared"), "NOASSERTION");
	assert_non_null(strstr(sget(p, "licenseComments"), "GPL-2+"));
	assert_string_equal(sget(by_key(pkgs, "name", "minimist"), "licenseDeclared"),
			    "MIT OR Apache-2.0");
	/* LicenseRef- would need hasExtractedLicensingInfos */
	p = by_key(pkgs, "name", "left-pad");
	assert_string_equal(sget(p, "licenseDeclared"), "NOASSERTION");
	assert_non_null(strstr(sget(p, "licenseComments"), "WTFPL AND LicenseRef-left-pad"));

	rels = json_object_get(doc, "relationships");
	json_array_foreach(rels, i, p) {
		const char *t = sget(p, "relationshipType");

		assert_non_null(json_object_get(ids, sget(p, "spdxElementId")));
		assert_non_null(json_object_get(ids, sget(p, "relatedSpdxElement")));
		describes += strcmp(t, "DESCRIBES") == 0;
		contains += strcmp(t, "CONTAINS") == 0;
	}
	assert_int_equal(describes, 1);
	assert_int_equal(contains, 8);
	json_decref(ids);
	json_decref(doc);
	fixture_free(&fx);
}

/* ---- sarif ---- */

static void test_sarif(void **state)
{
	struct fixture fx;
	json_t *doc, *run, *rules, *results, *r, *rule, *loc;
	size_t i;

	(void)state;
	fixture_init(&fx, false);
	doc = render_json(&fx.in, BRIG_FORMAT_SARIF);
	assert_string_equal(sget(doc, "version"), "2.1.0");
	assert_string_equal(sget(doc, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json");
	run = json_array_get(json_object_get(doc, "runs"), 0);
	r = json_object_get(json_object_get(run, "tool"), "driver");
	assert_string_equal(sget(r, "name"), "brig");
	assert_string_equal(sget(r, "semanticVersion"), BRIG_VERSION);
	assert_null(json_object_get(r, "informationUri")); /* optional; no invented URL */
	rules = json_object_get(r, "rules");
	results = json_object_get(run, "results");
	/* 4 CVEs, DS002, DS026, DS099, BRIG-RT-001 */
	assert_int_equal(json_array_size(rules), 8);
	assert_int_equal(json_array_size(results), 9);
	json_array_foreach(rules, i, rule) {
		json_t *props = json_object_get(rule, "properties");

		assert_ptr_equal(by_key(rules, "id", sget(rule, "id")), rule); /* ids unique */
		assert_true(*sget(json_object_get(rule, "shortDescription"), "text"));
		assert_true(*sget(json_object_get(rule, "fullDescription"), "text"));
		assert_true(*sget(json_object_get(rule, "help"), "text"));
		assert_true(*sget(json_object_get(rule, "help"), "markdown"));
		assert_true(json_is_string(json_object_get(props, "security-severity")));
		assert_string_equal(json_string_value(json_array_get(json_object_get(props, "tags"), 1)),
				    "security");
	}
	json_array_foreach(results, i, r) {
		size_t idx = (size_t)json_integer_value(json_object_get(r, "ruleIndex"));
		json_t *region;

		assert_true(idx < json_array_size(rules));
		assert_string_equal(sget(r, "ruleId"), sget(json_array_get(rules, idx), "id"));
		assert_true(*sget(json_object_get(r, "message"), "text"));
		loc = json_object_get(json_array_get(json_object_get(r, "locations"), 0),
				      "physicalLocation");
		assert_true(*sget(json_object_get(loc, "artifactLocation"), "uri"));
		region = json_object_get(loc, "region");
		assert_true(json_integer_value(json_object_get(region, "startLine")) >= 1);
		assert_true(json_integer_value(json_object_get(region, "endLine")) >=
			    json_integer_value(json_object_get(region, "startLine")));
	}
	/* OS package findings point at the image, like Trivy's library/<name> */
	r = by_key(results, "ruleId", "CVE-2023-5678");
	assert_string_equal(sget(r, "level"), "warning");
	loc = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
	assert_string_equal(sget(json_object_get(loc, "artifactLocation"), "uri"), "library/debian");
	rule = by_key(rules, "id", "CVE-2023-5678");
	assert_string_equal(sget(json_object_get(rule, "properties"), "security-severity"), "5.3");
	assert_string_equal(sget(json_object_get(rule, "defaultConfiguration"), "level"), "warning");
	assert_string_equal(sget(rule, "helpUri"), "https://avd.aquasec.com/nvd/cve-2023-5678");
	rule = by_key(rules, "id", "CVE-2021-44906");
	assert_string_equal(sget(json_object_get(rule, "properties"), "security-severity"), "9.5");
	assert_string_equal(sget(json_object_get(rule, "defaultConfiguration"), "level"), "error");
	r = by_key(results, "ruleId", "CVE-2021-44906");
	loc = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
	assert_string_equal(sget(json_object_get(loc, "artifactLocation"), "uri"),
			    "app/package-lock.json");
	rule = by_key(rules, "id", "CVE-2024-0727");
	assert_string_equal(sget(json_object_get(rule, "defaultConfiguration"), "level"), "note");
	assert_string_equal(sget(json_object_get(rule, "properties"), "security-severity"), "2.0");
	json_array_foreach(rules, i, rule) {
		double sev = atof(sget(json_object_get(rule, "properties"), "security-severity"));

		assert_true(sev >= 0.1 && sev <= 10.0); /* GitHub rejects anything else */
	}
	rule = by_key(rules, "id", "DS099");
	assert_string_equal(sget(json_object_get(rule, "properties"), "security-severity"), "0.1");
	assert_string_equal(sget(json_object_get(rule, "defaultConfiguration"), "level"), "note");
	r = by_key(results, "ruleId", "DS002");
	assert_string_equal(sget(r, "level"), "error");
	loc = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
	assert_string_equal(sget(json_object_get(loc, "artifactLocation"), "uri"), "Dockerfile");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(loc, "region"),
							    "startLine")),
			 3);
	r = by_key(results, "ruleId", "BRIG-RT-001");
	loc = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
	assert_string_equal(sget(json_object_get(loc, "artifactLocation"), "uri"), "container%20web-1");
	json_decref(doc);
	fixture_free(&fx);
}

/* ---- edge cases ---- */

static void test_empty_and_unknown_os(void **state)
{
	struct brig_os os = {0};
	char family[] = "alpine";
	struct brig_pkg_list pkgs = {0};
	struct brig_report_input in = {
		.artifact_name = "/tmp/rootfs",
		.artifact_type = "rootfs",
		.os = &os,
		.pkgs = &pkgs,
		.list_all_pkgs = true,
	};
	static const enum brig_format all[] = {BRIG_FORMAT_TABLE, BRIG_FORMAT_JSON,
					       BRIG_FORMAT_SARIF, BRIG_FORMAT_CYCLONEDX,
					       BRIG_FORMAT_SPDX_JSON};
	struct brig_package pk = {.type = BRIG_PKG_APK, .origin = BRIG_ORIGIN_OS_DB,
				  .name = "musl", .version = "1.2.4-r2"};
	char *t;
	json_t *doc;

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		free(render(&in, all[i]));
	t = render(&in, BRIG_FORMAT_TABLE);
	assert_non_null(strstr(t, "/tmp/rootfs: no packages detected, no findings"));
	free(t);
	doc = render_json(&in, BRIG_FORMAT_JSON);
	assert_int_equal(json_array_size(json_object_get(doc, "Results")), 0);
	assert_null(json_object_get(json_object_get(doc, "Metadata"), "OS"));
	json_decref(doc);

	/* OS packages of an unrecognised OS stay in the report */
	pkgs.items = &pk;
	pkgs.n = pkgs.cap = 1;
	doc = render_json(&in, BRIG_FORMAT_JSON);
	assert_int_equal(json_array_size(json_object_get(doc, "Results")), 1);
	assert_string_equal(sget(json_array_get(json_object_get(doc, "Results"), 0), "Target"),
			    "/tmp/rootfs");
	assert_string_equal(sget(json_array_get(json_object_get(doc, "Results"), 0), "Type"), "apk");
	json_decref(doc);
	/* a family without a release: no dangling space in the Target */
	os.family = family;
	doc = render_json(&in, BRIG_FORMAT_JSON);
	assert_string_equal(sget(json_array_get(json_object_get(doc, "Results"), 0), "Target"),
			    "/tmp/rootfs (alpine)");
	assert_string_equal(sget(json_array_get(json_object_get(doc, "Results"), 0), "Type"),
			    "alpine");
	json_decref(doc);
	os.family = NULL;
	doc = render_json(&in, BRIG_FORMAT_CYCLONEDX);
	assert_string_equal(sget(json_object_get(json_object_get(doc, "metadata"), "component"),
				 "type"),
			    "application");
	/* no purl: a bom-ref is still made */
	assert_string_equal(sget(json_array_get(json_object_get(doc, "components"), 0), "bom-ref"),
			    "brig:apk/musl@1.2.4-r2");
	json_decref(doc);
	doc = render_json(&in, BRIG_FORMAT_SPDX_JSON);
	assert_string_equal(sget(json_array_get(json_object_get(doc, "packages"), 0),
				 "primaryPackagePurpose"),
			    "APPLICATION");
	json_decref(doc);
}

static void test_errors(void **state)
{
	struct fixture fx;
	struct brig_error err = {0};
	FILE *full;

	(void)state;
	fixture_init(&fx, true);
	/* a full disk must not look like a written report */
	full = fopen("/dev/full", "w");
	if (full) {
		assert_int_equal(brig_report_write(full, BRIG_FORMAT_JSON, &fx.in, &err), -1);
		assert_non_null(strstr(err.msg, "writing the report"));
		brig_error_clear(&err);
		assert_int_equal(brig_report_write(full, BRIG_FORMAT_TABLE, &fx.in, &err), -1);
		assert_non_null(strstr(err.msg, "writing the report"));
		fclose(full);
	}
	fx.in.created_at = "yesterday";
	assert_int_equal(brig_report_write(stdout, BRIG_FORMAT_JSON, &fx.in, &err), -1);
	assert_non_null(strstr(err.msg, "RFC 3339"));
	fx.in.created_at = NULL;
	assert_int_equal(brig_report_write(stdout, (enum brig_format)99, &fx.in, &err), -1);
	fx.in.artifact_name = NULL;
	assert_int_equal(brig_report_write(stdout, BRIG_FORMAT_JSON, &fx.in, &err), -1);
	fixture_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_finding_list),
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_term_clean),
		cmocka_unit_test(test_width_truncate),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_uuid),
		cmocka_unit_test(test_image_path),
		cmocka_unit_test(test_license),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_json_packages),
		cmocka_unit_test(test_json_deterministic),
		cmocka_unit_test(test_json_invalid_utf8),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_packages),
		cmocka_unit_test(test_cyclonedx),
		cmocka_unit_test(test_spdx),
		cmocka_unit_test(test_sarif),
		cmocka_unit_test(test_empty_and_unknown_os),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

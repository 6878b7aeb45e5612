/* lib/report/jsonw: the streaming writer against jansson's dump with the
 * flags brig_rpt_dump uses, byte for byte, plus literal expectations for
 * the forms the Trivy report depends on. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/xalloc.h"
#include "report/jsonw.h"
#include "report/report_int.h"
#include "testutil.h"

#define DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* ---- helpers ---- */

struct out {
	char *buf;
	size_t len;
	FILE *f;
	struct brig_jw *w;
};

static struct brig_jw *out_open(struct out *o)
{
	memset(o, 0, sizeof(*o));
	o->f = open_memstream(&o->buf, &o->len);
	assert_non_null(o->f);
	o->w = brig_jw_new(o->f);
	return o->w;
}

/* the document written so far (with brig_jw_finish's newline); caller frees */
static char *out_close(struct out *o)
{
	struct brig_error err = {0};

	if (brig_jw_finish(o->w, &err) != 0)
		fail_msg("brig_jw_finish: %s", err.msg);
	brig_jw_free(o->w);
	fclose(o->f);
	assert_int_equal(strlen(o->buf), o->len); /* no NUL inside */
	return o->buf;
}

/* what brig_rpt_dump writes for j (scalars too, for the comparisons) */
static char *jansson_text(const json_t *j)
{
	char *s = json_dumps(j, DUMP_FLAGS | JSON_ENCODE_ANY), *t;

	assert_non_null(s);
	t = brig_xasprintf("%s\n", s);
	free(s);
	return t;
}

/* j through brig_jw_json and through jansson: the same bytes */
static void assert_same_as_jansson(const json_t *j)
{
	struct out o;
	char *want = jansson_text(j), *got;

	brig_jw_json(out_open(&o), j);
	got = out_close(&o);
	if (strcmp(got, want) != 0)
		fail_msg("jansson:\n%s\njsonw:\n%s", want, got);
	free(got);
	free(want);
}

/* brig_jw_string(s) against jansson's dump of brig_rpt_jstr(s), the
 * string the tree-built report held */
static char *string_text(const char *s)
{
	struct out o;
	char *got, *want;
	json_t *j = brig_rpt_jstr(s);

	brig_jw_string(out_open(&o), s);
	got = out_close(&o);
	want = jansson_text(j);
	json_decref(j);
	if (strcmp(got, want) != 0)
		fail_msg("jansson: %s jsonw: %s", want, got);
	free(want);
	return got;
}

static void assert_string_text(const char *s, const char *want)
{
	char *got = string_text(s);

	assert_string_equal(got, want);
	free(got);
}

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);

	if (!j)
		fail_msg("test JSON: %s", jerr.text);
	return j;
}

/* ---- strings ---- */

static void test_escape_every_control(void **state)
{
	static const char *const named[] = {['\b'] = "\"\\b\"\n", ['\f'] = "\"\\f\"\n",
					    ['\n'] = "\"\\n\"\n", ['\r'] = "\"\\r\"\n",
					    ['\t'] = "\"\\t\"\n"};

	(void)state;
	for (int c = 1; c < 0x20; c++) {
		char s[2] = {(char)c, 0}, want[16];

		if (c < (int)(sizeof(named) / sizeof(named[0])) && named[c])
			snprintf(want, sizeof(want), "%s", named[c]);
		else
			snprintf(want, sizeof(want), "\"\\u%04X\"\n", c); /* upper-case hex */
		assert_string_text(s, want);
	}
	assert_string_text("\x1f", "\"\\u001F\"\n");
	assert_string_text("say \"hi\"", "\"say \\\"hi\\\"\"\n");
	assert_string_text("C:\\dir", "\"C:\\\\dir\"\n");
	/* no escape for '/' (no JSON_ESCAPE_SLASH) nor DEL */
	assert_string_text("a/b\x7f", "\"a/b\x7f\"\n");
	/* every ASCII byte in one string, the escapes between plain runs */
	{
		char all[128];

		for (int c = 1; c < 128; c++)
			all[c - 1] = (char)c;
		all[127] = '\0';
		free(string_text(all));
	}
	assert_string_text("", "\"\"\n");
	assert_string_text(NULL, "\"\"\n");
}

static void test_utf8(void **state)
{
	static const char *const cases[] = {
		"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", /* é € 😀: as they are */
		"\xef\xbf\xbd",				      /* U+FFFD itself */
		"\xc2\x80\xc2\x9f",			      /* C1 controls: not escaped */
		"left\xff" "pad",
		"\xff",
		"a\xc3",		/* truncated at the end */
		"\xe2\x82" "x",		/* truncated before ASCII */
		"\xc0\xaf",		/* overlong '/' */
		"\xe0\x80\xaf",		/* overlong, 3 bytes */
		"\xed\xa0\x80",		/* surrogate */
		"\xf4\x90\x80\x80",	/* past U+10FFFF */
		"\xf8\x88\x80\x80\x80", /* 5-byte form */
		"\x80\x80",		/* lone continuation bytes */
		"ok\xc3\xa9\xff\n\xe2\x82\xac\xc3", /* valid, invalid and escapes mixed */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		free(string_text(cases[i]));
	assert_string_text("left\xff" "pad", "\"left\xef\xbf\xbdpad\"\n");
	assert_string_text("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"\n");
	assert_string_text("a\xc3", "\"a\xef\xbf\xbd\"\n");
	assert_true(brig_rpt_utf8_valid("caf\xc3\xa9"));
	assert_false(brig_rpt_utf8_valid("caf\xc3"));
}

/* longer than the 64 KiB buffer: written past it, around it and across
 * chunk boundaries */
static void test_long_string(void **state)
{
	size_t n = (1 << 16) * 3 + 7;
	char *s = brig_xmalloc(n + 1);

	(void)state;
	for (size_t i = 0; i < n; i++)
		s[i] = "ab\"\n\xc3\xa9/"[i % 7];
	s[n] = '\0';
	free(string_text(s));
	memset(s, 'x', n);
	free(string_text(s));
	free(s);
}

/* ---- structure ---- */

static void test_nesting(void **state)
{
	struct out o;
	struct brig_jw *w = out_open(&o);
	char *got;
	json_t *want;

	(void)state;
	brig_jw_begin_object(w);
	brig_jw_key(w, "SchemaVersion");
	brig_jw_integer(w, 2);
	brig_jw_key(w, "Empty");
	brig_jw_begin_object(w);
	brig_jw_end_object(w);
	brig_jw_key(w, "None");
	brig_jw_begin_array(w);
	brig_jw_end_array(w);
	brig_jw_key(w, "Results");
	brig_jw_begin_array(w);
	brig_jw_begin_object(w);
	brig_jw_key(w, "Target");
	brig_jw_string(w, "Dockerfile");
	brig_jw_key(w, "Lines");
	brig_jw_begin_array(w);
	brig_jw_integer(w, -1);
	brig_jw_bool(w, true);
	brig_jw_bool(w, false);
	brig_jw_null(w);
	brig_jw_begin_array(w);
	brig_jw_end_array(w);
	brig_jw_begin_object(w);
	brig_jw_end_object(w);
	brig_jw_end_array(w);
	brig_jw_end_object(w);
	brig_jw_begin_object(w);
	brig_jw_end_object(w);
	brig_jw_end_array(w);
	brig_jw_end_object(w);
	got = out_close(&o);
	assert_string_equal(got, "{\n"
				 "  \"SchemaVersion\": 2,\n"
				 "  \"Empty\": {},\n"
				 "  \"None\": [],\n"
				 "  \"Results\": [\n"
				 "    {\n"
				 "      \"Target\": \"Dockerfile\",\n"
				 "      \"Lines\": [\n"
				 "        -1,\n"
				 "        true,\n"
				 "        false,\n"
				 "        null,\n"
				 "        [],\n"
				 "        {}\n"
				 "      ]\n"
				 "    },\n"
				 "    {}\n"
				 "  ]\n"
				 "}\n");
	/* and the same tree through jansson */
	want = parse("{\"SchemaVersion\": 2, \"Empty\": {}, \"None\": [], \"Results\": "
		     "[{\"Target\": \"Dockerfile\", \"Lines\": [-1, true, false, null, [], {}]},"
		     " {}]}");
	{
		char *t = jansson_text(want);

		assert_string_equal(got, t);
		free(t);
	}
	json_decref(want);
	free(got);
}

static void test_empty_documents(void **state)
{
	struct out o;
	struct brig_jw *w;
	char *got;

	(void)state;
	w = out_open(&o);
	brig_jw_begin_object(w);
	brig_jw_end_object(w);
	got = out_close(&o);
	assert_string_equal(got, "{}\n");
	free(got);
	w = out_open(&o);
	brig_jw_begin_array(w);
	brig_jw_end_array(w);
	got = out_close(&o);
	assert_string_equal(got, "[]\n");
	free(got);
}

/* deeper than the one-copy indentation (32 levels) */
static void test_deep(void **state)
{
	json_t *root = json_array(), *cur = root;

	(void)state;
	for (int i = 0; i < 80; i++) {
		json_t *o = json_object(), *a = json_array();

		json_object_set_new(o, "k", a);
		json_object_set_new(o, "n", json_integer(i));
		json_array_append_new(cur, o);
		json_array_append_new(cur, json_string("after"));
		cur = a;
	}
	assert_same_as_jansson(root);
	json_decref(root);
}

/* ---- numbers ---- */

static char *real_text(double v)
{
	struct out o;
	char *got, *want;
	json_t *j = json_real(v);

	assert_non_null(j);
	brig_jw_real(out_open(&o), v);
	got = out_close(&o);
	want = jansson_text(j);
	json_decref(j);
	if (strcmp(got, want) != 0)
		fail_msg("%.17g: jansson %s jsonw %s", v, want, got);
	free(want);
	got[strlen(got) - 1] = '\0'; /* the document's newline */
	return got;
}

static void assert_real(double v, const char *want)
{
	char *got = real_text(v);

	assert_string_equal(got, want);
	free(got);
}

static void test_reals(void **state)
{
	static const double more[] = {
		0.30000000000000004, 1.0 / 3, 2.5e-7, 1e-4, 1e-5, 123456.789, 1e15, 1e16,
		1e17, 123456789012345678.0, 1.7976931348623157e308, 5e-324, 2.2250738585072014e-308,
		-1e-300, 4.35, 6.1, 99999999999999.99, 0.000123, 1e100, 1e-100,
	};

	(void)state;
	assert_real(9.8, "9.8");
	assert_real(10, "10.0");
	assert_real(0.1, "0.1");
	assert_real(7.5, "7.5");
	assert_real(0, "0.0");
	assert_real(-0.0, "-0.0");
	assert_real(-2, "-2.0");
	assert_real(1e20, "1e20");
	assert_real(1e-5, "1e-5");
	assert_real(1.5e-7, "1.5e-7");
	assert_real(1e100, "1e100");
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		free(real_text(more[i]));
		free(real_text(-more[i]));
	}
}

static void test_integers(void **state)
{
	static const long long v[] = {0, 1, -1, 9, 10, -10, 1234567890123LL, LLONG_MAX, LLONG_MIN};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct out o;
		char *got, want[32];

		brig_jw_integer(out_open(&o), v[i]);
		got = out_close(&o);
		snprintf(want, sizeof(want), "%lld\n", v[i]);
		assert_string_equal(got, want);
		free(got);
	}
}

/* ---- embedded jansson values ---- */

static void test_embed(void **state)
{
	/* an image config: nested objects and arrays, keys in no sorted order,
	 * reals, escapes, non-ASCII, empty containers */
	json_t *cfg = parse(
		"{\"architecture\": \"amd64\", \"config\": {\"User\": \"app\", \"Env\": "
		"[\"PATH=/usr/local/bin:/usr/bin\", \"TAB=a\\tb\", \"Q=\\\"x\\\"\"], "
		"\"ExposedPorts\": {\"8080/tcp\": {}}, \"Volumes\": null, \"Labels\": "
		"{\"z\": \"last\", \"a\": \"\\u00e9\\u20ac\\ud83d\\ude00\", \"m\": \"\\u0001\\u007f\"},"
		" \"Healthcheck\": {\"Test\": [\"CMD\", \"true\"], \"Interval\": 30000000000, "
		"\"Ratio\": 0.5, \"Whole\": 3.0, \"Big\": 1e300, \"Neg\": -12}, "
		"\"Cmd\": []}, \"rootfs\": {\"type\": \"layers\", \"diff_ids\": []}, "
		"\"history\": [{\"created\": \"2024-01-01T00:00:00Z\", \"empty_layer\": true}, {}], "
		"\"nul\": \"a\\u0000b\", \"flag\": false}");
	json_t *doc = json_object(), *md = json_object();
	struct out o;
	struct brig_jw *w;
	char *got, *want;

	(void)state;
	assert_same_as_jansson(cfg);
	/* keys as stored: insertion order, also after a delete and re-add */
	json_object_del(json_object_get(json_object_get(cfg, "config"), "Labels"), "z");
	json_object_set_new(json_object_get(json_object_get(cfg, "config"), "Labels"), "z",
			    json_string("again"));
	/* a key holding a NUL */
	json_object_setn_new(cfg, "k\0ey", 4, json_integer(1));
	assert_same_as_jansson(cfg);

	/* where json.c puts it: Metadata.ImageConfig, two levels down */
	json_object_set_new(md, "ImageID", json_string("sha256:1"));
	json_object_set(md, "ImageConfig", cfg);
	json_object_set_new(doc, "Metadata", md);
	json_object_set_new(doc, "Results", json_array());
	w = out_open(&o);
	brig_jw_begin_object(w);
	brig_jw_key(w, "Metadata");
	brig_jw_begin_object(w);
	brig_jw_key(w, "ImageID");
	brig_jw_string(w, "sha256:1");
	brig_jw_key(w, "ImageConfig");
	brig_jw_json(w, cfg);
	brig_jw_end_object(w);
	brig_jw_key(w, "Results");
	brig_jw_begin_array(w);
	brig_jw_end_array(w);
	brig_jw_end_object(w);
	got = out_close(&o);
	want = jansson_text(doc);
	assert_string_equal(got, want);
	free(got);
	free(want);
	json_decref(doc);
	json_decref(cfg);
}

static void test_embed_scalars(void **state)
{
	static const char *const docs[] = {"\"s\"", "1", "-0.25", "true", "false", "null",
					   "[]", "{}", "[[[]]]", "{\"a\": {\"b\": {}}}"};
	struct out o;
	char *got;

	(void)state;
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		json_t *j = parse(docs[i]);

		assert_same_as_jansson(j);
		json_decref(j);
	}
	brig_jw_json(out_open(&o), NULL);
	got = out_close(&o);
	assert_string_equal(got, "null\n");
	free(got);
}

/* ---- errors ---- */

static void test_write_error(void **state)
{
	FILE *full = fopen("/dev/full", "w");
	struct brig_error err = {0};
	struct brig_jw *w;

	(void)state;
	if (!full)
		skip();
	w = brig_jw_new(full);
	brig_jw_begin_array(w);
	for (int i = 0; i < 20000; i++) /* past the buffer: a write fails midway */
		brig_jw_string(w, "0123456789");
	brig_jw_end_array(w);
	assert_int_equal(brig_jw_finish(w, &err), -1);
	assert_non_null(strstr(err.msg, "writing the report"));
	assert_int_equal(err.code, ENOSPC);
	brig_jw_string(w, "x"); /* sticky: still failed */
	assert_int_equal(brig_jw_finish(w, &err), -1);
	brig_jw_free(w);
	fclose(full);

	/* a small document fails in the final flush */
	full = fopen("/dev/full", "w");
	assert_non_null(full);
	w = brig_jw_new(full);
	brig_jw_begin_object(w);
	brig_jw_end_object(w);
	brig_error_clear(&err);
	assert_int_equal(brig_jw_finish(w, &err), -1);
	assert_non_null(strstr(err.msg, "writing the report"));
	brig_jw_free(w);
	fclose(full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_every_control),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_long_string),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_empty_documents),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_reals),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_embed),
		cmocka_unit_test(test_embed_scalars),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

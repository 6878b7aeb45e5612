/* apk's installed database: records of "X:value" lines separated by blank
 * lines (apk-tools' own writer, lib/apk/db/installed). */
#include <string.h>

#include "scan/analyzer.h"
#include "scan/scan_internal.h"

static bool apk_wants(const char *path)
{
	return strcmp(path, "lib/apk/db/installed") == 0 ||
	       strcmp(path, "usr/lib/apk/db/installed") == 0;
}

struct record {
	struct brig_scan_span name, version, arch, origin, license;
};

static void set_once(struct brig_scan_span *dst, struct brig_scan_span v)
{
	/* apk writes each letter once per record; keep the first of a
	 * crafted repeat rather than let a later line override it. */
	if (!dst->s)
		*dst = v;
}

static void record_field(struct record *r, struct brig_scan_span line)
{
	struct brig_scan_span v = {line.s + 2, line.n - 2};

	brig_scan_span_trim(&v);
	switch (line.s[0]) {
	case 'P':
		set_once(&r->name, v);
		break;
	case 'V':
		set_once(&r->version, v);
		break;
	case 'A':
		set_once(&r->arch, v);
		break;
	case 'o':
		set_once(&r->origin, v);
		break;
	case 'L':
		set_once(&r->license, v);
		break;
	default:
		break;
	}
}

static int record_emit(const struct record *r, const char *path, struct brig_file_fact *fact,
		       struct brig_error *err)
{
	struct brig_package *p;

	if (!r->name.n || !r->version.n)
		return 0;
	p = brig_scan_pkg_add(fact, path, BRIG_PKG_APK, BRIG_ORIGIN_OS_DB, err);
	if (!p)
		return -1;
	p->name = brig_scan_span_dup(r->name);
	p->version = brig_scan_span_dup(r->version);
	if (r->arch.n)
		p->arch = brig_scan_span_dup(r->arch);
	if (r->license.n)
		p->license = brig_scan_span_dup(r->license);
	/* Advisories are per origin (aport); the version is the same. */
	if (r->origin.n)
		p->src_name = brig_scan_span_dup(r->origin);
	brig_scan_pkg_src_default(p);
	return 0;
}

static int apk_analyze(const char *path, const char *data, size_t len, struct brig_file_fact *fact,
		       struct brig_error *err)
{
	struct record r = {0};
	struct brig_scan_lines it;
	struct brig_scan_span line;

	fact->kind = BRIG_FACT_PACKAGES;
	if (brig_scan_require_text(data, len, "apk database", err) < 0)
		return brig_scan_fail(fact);
	brig_scan_lines_init(&it, data, len);
	while (brig_scan_lines_next(&it, &line)) {
		/* Like apk-tools (and Trivy), any line too short to be a field
		 * ends the record. */
		if (line.n < 2 || brig_scan_span_blank(line)) {
			if (record_emit(&r, path, fact, err) < 0)
				return brig_scan_fail(fact);
			memset(&r, 0, sizeof(r));
		} else if (line.s[1] == ':') {
			record_field(&r, line);
		}
	}
	if (record_emit(&r, path, fact, err) < 0)
		return brig_scan_fail(fact);
	return 0;
}

const struct brig_analyzer brig_analyzer_apk = {
	.name = "apk",
	.version = 1,
	.wants = apk_wants,
	.analyze = apk_analyze,
};

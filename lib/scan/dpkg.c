/* dpkg's database: var/lib/dpkg/status, and the per-package files of
 * var/lib/dpkg/status.d/ that distroless images carry instead. Both are
 * deb822 stanzas separated by blank lines. */
#include <string.h>

#include "core/path.h"
#include "scan/analyzer.h"
#include "scan/scan_internal.h"

#define STATUS_FILE "var/lib/dpkg/status"
#define STATUS_DIR "var/lib/dpkg/status.d/"

static bool dpkg_wants(const char *path)
{
	const char *rest;

	if (strcmp(path, STATUS_FILE) == 0)
		return true;
	if (!brig_str_has_prefix(path, STATUS_DIR))
		return false;
	rest = path + strlen(STATUS_DIR);
	/* Only files directly in status.d; the md5sums beside them are not
	 * stanzas. */
	return *rest && !strchr(rest, '/') && !brig_str_has_suffix(rest, ".md5sums");
}

struct stanza {
	struct brig_scan_span package, version, arch, source, status;
	bool has_status;
};

static void set_once(struct brig_scan_span *dst, struct brig_scan_span v)
{
	/* The first occurrence wins: dpkg rejects duplicates, so a second one
	 * can only come from a damaged or crafted file. */
	if (!dst->s)
		*dst = v;
}

static void stanza_field(struct stanza *st, struct brig_scan_span line)
{
	const char *colon = memchr(line.s, ':', line.n);
	struct brig_scan_span name, val;

	if (!colon)
		return;
	name = (struct brig_scan_span){line.s, (size_t)(colon - line.s)};
	val = (struct brig_scan_span){colon + 1, line.n - name.n - 1};
	brig_scan_span_trim(&name);
	brig_scan_span_trim(&val);
	/* deb822 field names are case-insensitive. */
	if (brig_scan_span_caseeq(name, "Package")) {
		set_once(&st->package, val);
	} else if (brig_scan_span_caseeq(name, "Version")) {
		set_once(&st->version, val);
	} else if (brig_scan_span_caseeq(name, "Architecture")) {
		set_once(&st->arch, val);
	} else if (brig_scan_span_caseeq(name, "Source")) {
		set_once(&st->source, val);
	} else if (brig_scan_span_caseeq(name, "Status")) {
		set_once(&st->status, val);
		st->has_status = true;
	}
}

/* The third word of "want error state" is the package state. We keep every
 * state in which the package's files are on disk, whatever the want flag:
 * "hold ok installed" and "deinstall ok installed" packages are still
 * there to be exploited. not-installed, config-files and half-installed
 * (an install or removal that died midway) are left out. */
static bool state_on_disk(struct brig_scan_span status)
{
	static const char *const on_disk[] = {"installed",	  "unpacked",	      "half-configured",
					      "triggers-awaited", "triggers-pending"};
	struct brig_scan_span w[4];
	size_t nw = 0, i = 0;

	while (i < status.n && nw < 4) {
		size_t start;

		while (i < status.n && (status.s[i] == ' ' || status.s[i] == '\t'))
			i++;
		if (i >= status.n)
			break;
		start = i;
		while (i < status.n && status.s[i] != ' ' && status.s[i] != '\t')
			i++;
		w[nw++] = (struct brig_scan_span){status.s + start, i - start};
	}
	if (nw != 3)
		return false;
	for (size_t k = 0; k < sizeof(on_disk) / sizeof(on_disk[0]); k++) {
		if (brig_scan_span_eq(w[2], on_disk[k]))
			return true;
	}
	return false;
}

/* "Source: name" or "Source: name (version)". */
static void parse_source(struct brig_package *p, struct brig_scan_span src)
{
	size_t i = 0;
	const char *open, *close;
	struct brig_scan_span ver;

	while (i < src.n && src.s[i] != ' ' && src.s[i] != '\t' && src.s[i] != '(')
		i++;
	if (i)
		p->src_name = brig_scan_strndup(src.s, i);
	open = memchr(src.s + i, '(', src.n - i);
	if (!open)
		return;
	close = memchr(open, ')', (size_t)(src.s + src.n - open));
	ver.s = open + 1;
	ver.n = (size_t)((close ? close : src.s + src.n) - ver.s);
	brig_scan_span_trim(&ver);
	if (ver.n)
		p->src_version = brig_scan_span_dup(ver);
}

static int stanza_emit(const struct stanza *st, bool status_d, const char *path,
		       struct brig_file_fact *fact, struct brig_error *err)
{
	struct brig_package *p;

	if (!st->package.n || !st->version.n)
		return 0;
	/* status.d stanzas have no Status (only installed packages get a
	 * file there); in the main status file a stanza without one is not
	 * something dpkg considers installed. */
	if (st->has_status ? !state_on_disk(st->status) : !status_d)
		return 0;
	p = brig_scan_pkg_add(fact, path, BRIG_PKG_DPKG, BRIG_ORIGIN_OS_DB, err);
	if (!p)
		return -1;
	p->name = brig_scan_span_dup(st->package);
	p->version = brig_scan_span_dup(st->version);
	if (st->arch.n)
		p->arch = brig_scan_span_dup(st->arch);
	if (st->source.n)
		parse_source(p, st->source);
	brig_scan_pkg_src_default(p);
	return 0;
}

static int dpkg_analyze(const char *path, const char *data, size_t len,
			struct brig_file_fact *fact, struct brig_error *err)
{
	bool status_d = brig_str_has_prefix(path, STATUS_DIR);
	struct stanza st = {0};
	struct brig_scan_lines it;
	struct brig_scan_span line;

	fact->kind = BRIG_FACT_PACKAGES;
	if (brig_scan_require_text(data, len, "dpkg status", err) < 0)
		return brig_scan_fail(fact);
	brig_scan_lines_init(&it, data, len);
	while (brig_scan_lines_next(&it, &line)) {
		if (brig_scan_span_blank(line)) {
			if (stanza_emit(&st, status_d, path, fact, err) < 0)
				return brig_scan_fail(fact);
			memset(&st, 0, sizeof(st));
		} else if (line.s[0] != ' ' && line.s[0] != '\t' && line.s[0] != '#') {
			/* Continuation lines only extend multi-line fields
			 * (Description, Conffiles) that we do not read. */
			stanza_field(&st, line);
		}
	}
	if (stanza_emit(&st, status_d, path, fact, err) < 0)
		return brig_scan_fail(fact);
	return 0;
}

const struct brig_analyzer brig_analyzer_dpkg = {
	.name = "dpkg",
	.version = 1,
	.wants = dpkg_wants,
	.analyze = dpkg_analyze,
};

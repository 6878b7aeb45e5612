#include "scan/analyzer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/limits.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "scan/scan_internal.h"

/* The order is part of the output: facts are produced in this order. */
static const struct brig_analyzer *const analyzers[] = {
	&brig_analyzer_os,	    &brig_analyzer_dpkg,      &brig_analyzer_apk,
	&brig_analyzer_npm_pkgjson, &brig_analyzer_npm_lock, &brig_analyzer_yarn_lock,
};

const struct brig_analyzer *const *brig_analyzers(size_t *n)
{
	*n = sizeof(analyzers) / sizeof(analyzers[0]);
	return analyzers;
}

void brig_file_fact_free(struct brig_file_fact *f)
{
	if (!f)
		return;
	free(f->path);
	f->path = NULL;
	brig_os_free(&f->os);
	brig_pkg_list_free(&f->pkgs);
}

void brig_scan_lines_init(struct brig_scan_lines *it, const char *data, size_t len)
{
	it->p = data;
	it->end = data + len;
}

bool brig_scan_lines_next(struct brig_scan_lines *it, struct brig_scan_span *line)
{
	const char *nl;
	size_t n;

	if (it->p >= it->end)
		return false;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	n = nl ? (size_t)(nl - it->p) : (size_t)(it->end - it->p);
	line->s = it->p;
	line->n = n;
	if (n && line->s[n - 1] == '\r')
		line->n--;
	it->p = nl ? nl + 1 : it->end;
	return true;
}

static bool is_blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void brig_scan_span_trim(struct brig_scan_span *sp)
{
	while (sp->n && is_blank_char(sp->s[0])) {
		sp->s++;
		sp->n--;
	}
	while (sp->n && is_blank_char(sp->s[sp->n - 1]))
		sp->n--;
}

bool brig_scan_span_blank(struct brig_scan_span sp)
{
	brig_scan_span_trim(&sp);
	return sp.n == 0;
}

bool brig_scan_span_eq(struct brig_scan_span sp, const char *lit)
{
	size_t n = strlen(lit);

	return sp.n == n && memcmp(sp.s, lit, n) == 0;
}

bool brig_scan_span_caseeq(struct brig_scan_span sp, const char *lit)
{
	size_t n = strlen(lit);

	return sp.n == n && strncasecmp(sp.s, lit, n) == 0;
}

char *brig_scan_strndup(const char *s, size_t n)
{
	char *out = brig_xstrndup(s, n);

	brig_sanitize_inplace(out);
	return out;
}

char *brig_scan_strdup(const char *s)
{
	return s ? brig_scan_strndup(s, strlen(s)) : NULL;
}

struct brig_package *brig_scan_pkg_add(struct brig_file_fact *fact, const char *path,
				       enum brig_pkg_type type, enum brig_pkg_origin origin,
				       struct brig_error *err)
{
	struct brig_package *p;

	if (fact->pkgs.n >= BRIG_MAX_PACKAGES_PER_FILE) {
		brig_error_set(err, EFBIG, "more than %u packages in one file",
			       BRIG_MAX_PACKAGES_PER_FILE);
		return NULL;
	}
	p = brig_pkg_list_add(&fact->pkgs);
	p->type = type;
	p->origin = origin;
	p->file_path = brig_xasprintf("/%s", path);
	return p;
}

void brig_scan_pkg_src_default(struct brig_package *p)
{
	if (!p->src_name)
		p->src_name = brig_xstrdup(p->name);
	if (!p->src_version)
		p->src_version = brig_xstrdup(p->version);
}

int brig_scan_require_text(const char *data, size_t len, const char *what,
			   struct brig_error *err)
{
	if (len > BRIG_MAX_ANALYZED_FILE)
		return brig_error_set(err, EFBIG, "%s larger than %u bytes", what,
				      BRIG_MAX_ANALYZED_FILE);
	if (memchr(data, '\0', len))
		return brig_error_set(err, EINVAL, "%s contains NUL bytes (not a text database)",
				      what);
	return 0;
}

int brig_scan_fail(struct brig_file_fact *fact)
{
	brig_pkg_list_free(&fact->pkgs);
	brig_os_free(&fact->os);
	return -1;
}

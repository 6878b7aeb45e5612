#include "match/filter.h"
#include "scan/package.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/xalloc.h"

#define MAX_IGNORE_FILE (4u << 20)

struct brig_vex_stmt {
	char *vuln;
	char **products; /* product and subcomponent @ids (purls); none = all */
	size_t n_products;
};

int brig_filter_set_severities(struct brig_filter *f, const char *list, struct brig_error *err)
{
	const char *p = list;

	memset(f->severities, 0, sizeof(f->severities));
	while (*p) {
		size_t n = strcspn(p, ",");
		char word[32];
		enum brig_severity s;

		if (n == 0 || n >= sizeof(word))
			return brig_error_set(err, EINVAL, "invalid --severity list '%s'", list);
		memcpy(word, p, n);
		word[n] = '\0';
		if (brig_severity_parse(word, &s) < 0)
			return brig_error_set(err, EINVAL, "unknown severity '%s' (want UNKNOWN, LOW, "
							   "MEDIUM, HIGH, CRITICAL)", word);
		f->severities[s] = true;
		f->any_severity_set = true;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

static void add_ignored(struct brig_filter *f, const char *id, size_t n)
{
	f->ignored_ids = brig_xrealloc(f->ignored_ids, (f->n_ignored + 1) * sizeof(char *));
	f->ignored_ids[f->n_ignored++] = brig_xstrndup(id, n);
}

static bool expired(const char *rest, time_t now)
{
	const char *exp = strstr(rest, "exp:");
	struct tm tm = {0};

	if (!exp || sscanf(exp + 4, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 23;
	tm.tm_min = 59;
	tm.tm_sec = 59;
	return timegm(&tm) < now;
}

int brig_filter_load_ignore_buffer(struct brig_filter *f, const char *name, const char *data,
				   time_t now, struct brig_error *err)
{
	const char *line = data;

	(void)name;
	(void)err;
	while (*line) {
		size_t len = strcspn(line, "\n");
		const char *p = line, *end = line + len;
		size_t id_len;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		id_len = strcspn(p, " \t\r\n#");
		if (id_len && *p != '#' && p + id_len <= end) {
			_cleanup_free_ char *rest = brig_xstrndup(p + id_len, (size_t)(end - p - id_len));

			if (!expired(rest, now))
				add_ignored(f, p, id_len);
		}
		line = *end ? end + 1 : end;
	}
	return 0;
}

static int slurp(const char *path, size_t max, struct brig_buf *b, struct brig_error *err)
{
	_cleanup_fclose_ FILE *fp = fopen(path, "rb");
	char chunk[8192];
	size_t k;

	if (!fp)
		return brig_error_errno(err, errno, "%s", path);
	brig_buf_init(b, max);
	while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (brig_buf_append(b, chunk, k, err) < 0)
			return brig_error_prefix(err, "%s", path);
	if (ferror(fp))
		return brig_error_errno(err, EIO, "%s", path);
	return 0;
}

int brig_filter_load_ignorefile(struct brig_filter *f, const char *path, time_t now,
				struct brig_error *err)
{
	_cleanup_buf_ struct brig_buf b = {0};

	if (slurp(path, MAX_IGNORE_FILE, &b, err) < 0)
		return -1;
	return brig_filter_load_ignore_buffer(f, path, b.data ? b.data : "", now, err);
}

int brig_filter_load_ignores(struct brig_filter *f, const char *path, time_t now,
			     struct brig_error *err)
{
	static const char *const defaults[] = {".brigignore", ".trivyignore"};

	if (path)
		return brig_filter_load_ignorefile(f, path, now, err);
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (access(defaults[i], F_OK) == 0 &&
		    brig_filter_load_ignorefile(f, defaults[i], now, err) < 0)
			return -1;
	return 0;
}

static const char *vex_vuln_name(json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_string(json_object_get(v, "name")))
		return json_string_value(json_object_get(v, "name"));
	return json_string_value(json_object_get(v, "@id"));
}

static void vex_add_product(struct brig_vex_stmt *st, json_t *prod)
{
	const char *id = json_is_string(prod) ? json_string_value(prod)
					      : json_string_value(json_object_get(prod, "@id"));
	json_t *sub;
	size_t i;

	if (id) {
		st->products = brig_xrealloc(st->products, (st->n_products + 1) * sizeof(char *));
		st->products[st->n_products++] = brig_xstrdup(id);
	}
	json_array_foreach(json_object_get(prod, "subcomponents"), i, sub)
		vex_add_product(st, sub);
}

int brig_filter_load_vex_buffer(struct brig_filter *f, const char *name, const char *data,
				size_t len, struct brig_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loadb(data, len, 0, &jerr), *stmts, *s;
	size_t i;

	if (!doc)
		return brig_error_set(err, EINVAL, "%s: invalid JSON at line %d: %s", name, jerr.line,
				      jerr.text);
	stmts = json_object_get(doc, "statements");
	if (!json_is_array(stmts)) {
		json_decref(doc);
		return brig_error_set(err, EINVAL, "%s: not an OpenVEX document (no statements array)", name);
	}
	json_array_foreach(stmts, i, s) {
		const char *status = json_string_value(json_object_get(s, "status"));
		const char *vuln = vex_vuln_name(json_object_get(s, "vulnerability"));
		struct brig_vex_stmt *st;
		json_t *prod;
		size_t k;

		if (!status || !vuln || (strcmp(status, "not_affected") != 0 && strcmp(status, "fixed") != 0))
			continue;
		f->vex = brig_xrealloc(f->vex, (f->n_vex + 1) * sizeof(*f->vex));
		st = &f->vex[f->n_vex++];
		memset(st, 0, sizeof(*st));
		st->vuln = brig_xstrdup(vuln);
		json_array_foreach(json_object_get(s, "products"), k, prod)
			vex_add_product(st, prod);
	}
	json_decref(doc);
	return 0;
}

int brig_filter_load_vex(struct brig_filter *f, const char *path, struct brig_error *err)
{
	_cleanup_buf_ struct brig_buf b = {0};

	if (slurp(path, BRIG_MAX_JSON_DOC, &b, err) < 0)
		return -1;
	return brig_filter_load_vex_buffer(f, path, b.data ? b.data : "", b.len, err);
}

static bool finding_has_id(const struct brig_finding *fd, const char *id)
{
	if (strcasecmp(fd->id, id) == 0)
		return true;
	for (size_t i = 0; i < fd->n_vendor_ids; i++)
		if (strcasecmp(fd->vendor_ids[i], id) == 0)
			return true;
	return false;
}

/* A purl names the package with or without its qualifiers. */
static bool purl_matches(const char *want, const char *purl)
{
	size_t n;

	if (!purl)
		return false;
	n = strcspn(purl, "?#");
	return strcmp(want, purl) == 0 || (strlen(want) == n && strncmp(want, purl, n) == 0);
}

static bool vex_suppresses(const struct brig_filter *f, const struct brig_finding *fd)
{
	for (size_t i = 0; i < f->n_vex; i++) {
		const struct brig_vex_stmt *st = &f->vex[i];
		bool product_ok = st->n_products == 0;

		if (!finding_has_id(fd, st->vuln))
			continue;
		for (size_t k = 0; k < st->n_products && !product_ok; k++)
			product_ok = fd->pkg && fd->pkg->purl && purl_matches(st->products[k], fd->pkg->purl);
		if (product_ok)
			return true;
	}
	return false;
}

static bool keep(const struct brig_filter *f, const struct brig_finding *fd)
{
	if (f->any_severity_set && !f->severities[fd->severity])
		return false;
	if (f->ignore_unfixed && fd->kind == BRIG_FINDING_VULNERABILITY &&
	    (!fd->status || strcmp(fd->status, "fixed") != 0))
		return false;
	for (size_t i = 0; i < f->n_ignored; i++)
		if (finding_has_id(fd, f->ignored_ids[i]))
			return false;
	return !vex_suppresses(f, fd);
}

size_t brig_filter_apply(const struct brig_filter *f, struct brig_finding_list *l)
{
	size_t out = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (keep(f, &l->items[i])) {
			l->items[out++] = l->items[i];
			continue;
		}
		brig_finding_free(&l->items[i]);
	}
	l->n = out;
	return out;
}

void brig_filter_free(struct brig_filter *f)
{
	for (size_t i = 0; i < f->n_ignored; i++)
		free(f->ignored_ids[i]);
	free(f->ignored_ids);
	for (size_t i = 0; i < f->n_vex; i++) {
		free(f->vex[i].vuln);
		for (size_t k = 0; k < f->vex[i].n_products; k++)
			free(f->vex[i].products[k]);
		free(f->vex[i].products);
	}
	free(f->vex);
	memset(f, 0, sizeof(*f));
}

/* JavaScript packages: installed node_modules trees (package.json), npm
 * lock files (v1 nested "dependencies", v2/v3 flat "packages") and yarn v1
 * lock files. */
#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/path.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "scan/analyzer.h"
#include "scan/scan_internal.h"

static bool nonempty(const char *s)
{
	return s && *s;
}

static bool span_has_prefix(struct brig_scan_span sp, const char *lit)
{
	size_t n = strlen(lit);

	return sp.n >= n && memcmp(sp.s, lit, n) == 0;
}

/* Up to k trailing components of path, the last one first. */
static size_t last_components(const char *path, struct brig_scan_span *c, size_t k)
{
	const char *end = path + strlen(path);
	size_t n = 0;

	while (n < k && end > path) {
		const char *start = end;

		while (start > path && start[-1] != '/')
			start--;
		c[n++] = (struct brig_scan_span){start, (size_t)(end - start)};
		if (start == path)
			break;
		end = start - 1;
	}
	return n;
}

static bool has_component(const char *path, const char *comp)
{
	size_t n = strlen(comp);

	for (const char *p = path; (p = strstr(p, comp)); p += n) {
		if ((p == path || p[-1] == '/') && (p[n] == '/' || p[n] == '\0'))
			return true;
	}
	return false;
}

/* The root must be an object: jansson enforces its own nesting limit
 * (2048) while parsing, and trailing garbage is rejected. */
static json_t *load_json(const char *data, size_t len, size_t max, const char *what,
			 struct brig_error *err)
{
	json_error_t je;
	json_t *root;

	if (len > max) {
		brig_error_set(err, EFBIG, "%s larger than %zu bytes", what, max);
		return NULL;
	}
	root = json_loadb(data, len, 0, &je);
	if (!root) {
		brig_error_set(err, EINVAL, "%s: invalid JSON at line %d column %d: %s", what,
			       je.line, je.column, je.text);
		/* jansson quotes the offending input in its message. */
		brig_sanitize_inplace(err->msg);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		brig_error_set(err, EINVAL, "%s: top level is not a JSON object", what);
		return NULL;
	}
	return root;
}

static const char *json_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void license_append(struct brig_buf *b, const json_t *v)
{
	struct brig_error ignored;
	const char *s = json_is_object(v) ? json_str(v, "type") : json_string_value(v);

	if (!nonempty(s))
		return;
	/* Cannot fail: the text comes from a document already bounded far
	 * below the buffer's limit. */
	if (b->len)
		(void)brig_buf_append(b, ", ", 2, &ignored);
	(void)brig_buf_append(b, s, strlen(s), &ignored);
}

/* "license": "MIT" or {"type": "MIT"}; the deprecated "licenses" array of
 * either form is joined with ", ". */
static char *license_of(const json_t *pkg)
{
	_cleanup_buf_ struct brig_buf b;
	const json_t *lic = json_object_get(pkg, "license");
	const json_t *arr = json_object_get(pkg, "licenses");
	size_t i;
	json_t *v;

	brig_buf_init(&b, BRIG_MAX_ANALYZED_FILE);
	if (lic) {
		license_append(&b, lic);
	} else if (json_is_array(arr)) {
		json_array_foreach(arr, i, v)
			license_append(&b, v);
	}
	return b.len ? brig_scan_strdup(b.data) : NULL;
}

/* --- node_modules/<name>/package.json ---------------------------------- */

static bool pkgjson_wants(const char *path)
{
	struct brig_scan_span c[4];
	size_t n = last_components(path, c, 4);

	if (n < 3 || !brig_scan_span_eq(c[0], "package.json") || !c[1].n || c[1].s[0] == '.' ||
	    c[1].s[0] == '@')
		return false;
	if (brig_scan_span_eq(c[2], "node_modules"))
		return true;
	/* A scoped package: node_modules/@scope/name/package.json. */
	return n == 4 && c[2].n > 1 && c[2].s[0] == '@' && brig_scan_span_eq(c[3], "node_modules");
}

static int pkgjson_analyze(const char *path, const char *data, size_t len,
			   struct brig_file_fact *fact, struct brig_error *err)
{
	json_auto_t *root = NULL;
	const char *name, *version, *base = brig_path_base(path);
	struct brig_package *p;

	fact->kind = BRIG_FACT_PACKAGES;
	root = load_json(data, len, BRIG_MAX_JSON_DOC, "package.json", err);
	if (!root)
		return brig_scan_fail(fact);
	name = json_str(root, "name");
	version = json_str(root, "version");
	/* Test fixtures and templates inside node_modules often lack these;
	 * they are not installed packages. */
	if (!nonempty(name) || !nonempty(version))
		return 0;
	p = brig_scan_pkg_add(fact, path, BRIG_PKG_NPM, BRIG_ORIGIN_NODE_MODULES, err);
	if (!p)
		return brig_scan_fail(fact);
	p->name = brig_scan_strdup(name);
	p->version = brig_scan_strdup(version);
	p->license = license_of(root);
	if (base > path)
		p->pkg_path = brig_scan_strndup(path, (size_t)(base - path - 1));
	brig_scan_pkg_src_default(p);
	return 0;
}

const struct brig_analyzer brig_analyzer_npm_pkgjson = {
	.name = "npm-pkgjson",
	.version = 1,
	.wants = pkgjson_wants,
	.analyze = pkgjson_analyze,
};

/* --- package-lock.json / npm-shrinkwrap.json --------------------------- */

static bool lock_wants(const char *path)
{
	const char *base = brig_path_base(path);

	/* Lock files shipped inside installed packages describe those
	 * packages' own development, not this image (and the hidden
	 * node_modules/.package-lock.json duplicates the tree itself). */
	return (strcmp(base, "package-lock.json") == 0 || strcmp(base, "npm-shrinkwrap.json") == 0) &&
	       !has_component(path, "node_modules");
}

struct lock_ctx {
	const char *path;
	struct brig_file_fact *fact;
	struct brig_error *err;
};

static int lock_add(struct lock_ctx *c, const char *name, const char *version, const char *pkg_path,
		    const json_t *entry)
{
	struct brig_package *p;

	p = brig_scan_pkg_add(c->fact, c->path, BRIG_PKG_NPM, BRIG_ORIGIN_NPM_LOCK, c->err);
	if (!p)
		return -1;
	p->name = brig_scan_strdup(name);
	p->version = brig_scan_strdup(version);
	p->pkg_path = brig_scan_strdup(pkg_path);
	p->license = license_of(entry);
	p->dev = json_is_true(json_object_get(entry, "dev"));
	brig_scan_pkg_src_default(p);
	return 0;
}

/* "node_modules/a/node_modules/@s/b" -> "@s/b"; NULL when the key is not
 * inside any node_modules (the root, workspace sources). */
static const char *name_from_key(const char *key)
{
	static const char nm[] = "node_modules/";
	const char *found = NULL;

	for (const char *p = key; (p = strstr(p, nm)); p += sizeof(nm) - 1) {
		if (p == key || p[-1] == '/')
			found = p + sizeof(nm) - 1;
	}
	return found;
}

static int lock_v2(struct lock_ctx *c, json_t *packages)
{
	const char *key;
	json_t *v;

	json_object_foreach(packages, key, v) {
		const char *name = name_from_key(key), *version;

		/* link entries point at a workspace directory, which is the
		 * project's own code, not a dependency. */
		if (!name || !json_is_object(v) || json_is_true(json_object_get(v, "link")))
			continue;
		if (nonempty(json_str(v, "name")))
			name = json_str(v, "name");
		version = json_str(v, "version");
		if (!nonempty(name) || !nonempty(version))
			continue;
		if (lock_add(c, name, version, key, v) < 0)
			return -1;
	}
	return 0;
}

/* v1 aliases record the real package in the version: "npm:real@1.2.3". */
static int lock_v1_add(struct lock_ctx *c, const char *key, const char *version,
		       const char *pkg_path, const json_t *entry)
{
	_cleanup_free_ char *real = NULL;
	const char *at;

	if (brig_str_has_prefix(version, "npm:") && version[4] &&
	    (at = strchr(version + 5, '@')) && at[1]) {
		real = brig_xstrndup(version + 4, (size_t)(at - version - 4));
		return lock_add(c, real, at + 1, pkg_path, entry);
	}
	return lock_add(c, key, version, pkg_path, entry);
}

static int lock_v1(struct lock_ctx *c, json_t *deps, const char *parent, unsigned depth)
{
	const char *key;
	json_t *v;

	if (depth >= BRIG_MAX_NESTING)
		return brig_error_set(c->err, EINVAL, "dependencies nested deeper than %u",
				      BRIG_MAX_NESTING);
	json_object_foreach(deps, key, v) {
		_cleanup_free_ char *pkg_path = NULL;
		const char *version = json_str(v, "version");
		json_t *sub = json_object_get(v, "dependencies");

		if (!*key || !json_is_object(v))
			continue;
		pkg_path = parent ? brig_xasprintf("%s/node_modules/%s", parent, key)
				  : brig_xasprintf("node_modules/%s", key);
		if (strlen(pkg_path) > BRIG_MAX_PATH)
			return brig_error_set(c->err, ENAMETOOLONG,
					      "dependency path longer than %u bytes", BRIG_MAX_PATH);
		if (nonempty(version) && lock_v1_add(c, key, version, pkg_path, v) < 0)
			return -1;
		if (json_is_object(sub) && lock_v1(c, sub, pkg_path, depth + 1) < 0)
			return -1;
	}
	return 0;
}

static int lock_analyze(const char *path, const char *data, size_t len, struct brig_file_fact *fact,
			struct brig_error *err)
{
	json_auto_t *root = NULL;
	struct lock_ctx c = {path, fact, err};
	json_t *packages, *deps;
	int rc = 0;

	fact->kind = BRIG_FACT_PACKAGES;
	root = load_json(data, len, BRIG_MAX_ANALYZED_FILE, "npm lock file", err);
	if (!root)
		return brig_scan_fail(fact);
	packages = json_object_get(root, "packages");
	deps = json_object_get(root, "dependencies");
	/* v2 carries both; "packages" is the complete one. */
	if (packages) {
		if (!json_is_object(packages))
			rc = brig_error_set(err, EINVAL, "npm lock file: \"packages\" is not an object");
		else
			rc = lock_v2(&c, packages);
	} else if (deps) {
		if (!json_is_object(deps))
			rc = brig_error_set(err, EINVAL,
					    "npm lock file: \"dependencies\" is not an object");
		else
			rc = lock_v1(&c, deps, NULL, 0);
	}
	return rc < 0 ? brig_scan_fail(fact) : 0;
}

const struct brig_analyzer brig_analyzer_npm_lock = {
	.name = "npm-lock",
	.version = 1,
	.wants = lock_wants,
	.analyze = lock_analyze,
};

/* --- yarn.lock --------------------------------------------------------- */

static bool yarn_wants(const char *path)
{
	return strcmp(brig_path_base(path), "yarn.lock") == 0 &&
	       !has_component(path, "node_modules");
}

static void strip_quotes(struct brig_scan_span *sp)
{
	if (sp->n && sp->s[0] == '"') {
		sp->s++;
		sp->n--;
	}
	if (sp->n && sp->s[sp->n - 1] == '"')
		sp->n--;
}

/* "name@range" (name may be "@scope/x"). An npm alias "a@npm:real@^1"
 * names the real package; local protocols are the project's own code. */
static char *yarn_spec_name(struct brig_scan_span spec)
{
	const char *at = spec.n > 1 ? memchr(spec.s + 1, '@', spec.n - 1) : NULL;
	struct brig_scan_span name, range;

	if (!at)
		return NULL;
	name = (struct brig_scan_span){spec.s, (size_t)(at - spec.s)};
	range = (struct brig_scan_span){at + 1, (size_t)(spec.s + spec.n - at - 1)};
	if (span_has_prefix(range, "workspace:") || span_has_prefix(range, "link:") ||
	    span_has_prefix(range, "portal:"))
		return NULL;
	if (span_has_prefix(range, "npm:") && range.n > 5) {
		const char *at2 = memchr(range.s + 5, '@', range.n - 5);

		if (at2)
			name = (struct brig_scan_span){range.s + 4, (size_t)(at2 - range.s - 4)};
	}
	return name.n ? brig_scan_span_dup(name) : NULL;
}

/* `"a@^1", a@^1.2:` -> "a": every spec of one entry names the same
 * package, so the first decides. */
static char *yarn_header_name(struct brig_scan_span line)
{
	const char *comma;
	struct brig_scan_span spec;

	brig_scan_span_trim(&line);
	if (!line.n || line.s[line.n - 1] != ':')
		return NULL;
	line.n--;
	comma = memchr(line.s, ',', line.n);
	spec = (struct brig_scan_span){line.s, comma ? (size_t)(comma - line.s) : line.n};
	brig_scan_span_trim(&spec);
	strip_quotes(&spec);
	return yarn_spec_name(spec);
}

/* `  version "1.2.3"` (v1) or `  version: 1.2.3` (berry). Only at the
 * entry's own indentation: deeper lines are dependency lists, where a
 * package may well be called "version". */
static bool yarn_version(struct brig_scan_span line, struct brig_scan_span *out)
{
	if (line.n < 10 || memcmp(line.s, "  version", 9) != 0 ||
	    (line.s[9] != ' ' && line.s[9] != ':'))
		return false;
	*out = (struct brig_scan_span){line.s + 10, line.n - 10};
	brig_scan_span_trim(out);
	strip_quotes(out);
	return out->n > 0;
}

static int yarn_emit(struct brig_file_fact *fact, const char *path, const char *name,
		     struct brig_scan_span version, struct brig_error *err)
{
	struct brig_package *p;

	p = brig_scan_pkg_add(fact, path, BRIG_PKG_NPM, BRIG_ORIGIN_YARN_LOCK, err);
	if (!p)
		return -1;
	p->name = brig_xstrdup(name);
	p->version = brig_scan_span_dup(version);
	brig_scan_pkg_src_default(p);
	return 0;
}

static bool same_pkg(const struct brig_package *a, const struct brig_package *b)
{
	return strcmp(a->name, b->name) == 0 && strcmp(a->version, b->version) == 0;
}

/* Many ranges resolve to one version; one package per (name, version). */
static void dedupe(struct brig_pkg_list *l)
{
	size_t w = 0;

	brig_pkg_list_sort(l);
	for (size_t r = 0; r < l->n; r++) {
		if (w && same_pkg(&l->items[w - 1], &l->items[r])) {
			brig_package_free(&l->items[r]);
			continue;
		}
		if (w != r) {
			l->items[w] = l->items[r];
			memset(&l->items[r], 0, sizeof(l->items[r]));
		}
		w++;
	}
	l->n = w;
}

static int yarn_analyze(const char *path, const char *data, size_t len, struct brig_file_fact *fact,
			struct brig_error *err)
{
	_cleanup_free_ char *name = NULL;
	bool emitted = false;
	struct brig_scan_lines it;
	struct brig_scan_span line, version;

	fact->kind = BRIG_FACT_PACKAGES;
	if (brig_scan_require_text(data, len, "yarn.lock", err) < 0)
		return brig_scan_fail(fact);
	brig_scan_lines_init(&it, data, len);
	while (brig_scan_lines_next(&it, &line)) {
		if (!line.n || line.s[0] == '#')
			continue;
		if (line.s[0] != ' ' && line.s[0] != '\t') {
			free(name);
			name = yarn_header_name(line);
			emitted = false;
		} else if (name && !emitted && yarn_version(line, &version)) {
			if (yarn_emit(fact, path, name, version, err) < 0)
				return brig_scan_fail(fact);
			emitted = true;
		}
	}
	dedupe(&fact->pkgs);
	return 0;
}

const struct brig_analyzer brig_analyzer_yarn_lock = {
	.name = "yarn-lock",
	.version = 1,
	.wants = yarn_wants,
	.analyze = yarn_analyze,
};

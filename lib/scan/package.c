#include "scan/package.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/xalloc.h"

struct brig_package *brig_pkg_list_add(struct brig_pkg_list *l)
{
	struct brig_package *p;

	BRIG_GROW(l->items, l->cap, l->n + 1);
	p = &l->items[l->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

void brig_package_free(struct brig_package *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->version);
	free(p->src_name);
	free(p->src_version);
	free(p->arch);
	free(p->license);
	free(p->purl);
	free(p->file_path);
	free(p->pkg_path);
	free(p->layer_diff_id);
	memset(p, 0, sizeof(*p));
}

static char *dup_or_null(const char *s)
{
	return s ? brig_xstrdup(s) : NULL;
}

/* dst is treated as raw storage: whatever it held is overwritten, not freed
 * (the usual use is copying into a slot fresh from brig_pkg_list_add). */
void brig_package_copy(struct brig_package *dst, const struct brig_package *src)
{
	dst->type = src->type;
	dst->origin = src->origin;
	dst->name = dup_or_null(src->name);
	dst->version = dup_or_null(src->version);
	dst->src_name = dup_or_null(src->src_name);
	dst->src_version = dup_or_null(src->src_version);
	dst->arch = dup_or_null(src->arch);
	dst->license = dup_or_null(src->license);
	dst->purl = dup_or_null(src->purl);
	dst->file_path = dup_or_null(src->file_path);
	dst->pkg_path = dup_or_null(src->pkg_path);
	dst->layer_diff_id = dup_or_null(src->layer_diff_id);
	dst->dev = src->dev;
}

void brig_pkg_list_free(struct brig_pkg_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		brig_package_free(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

/* NULL sorts before any string so that absent fields group together. */
static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_pkg(const struct brig_package *a, const struct brig_package *b)
{
	int c;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if ((c = cmp_str(a->name, b->name)))
		return c;
	if ((c = cmp_str(a->version, b->version)))
		return c;
	if ((c = cmp_str(a->pkg_path, b->pkg_path)))
		return c;
	return cmp_str(a->file_path, b->file_path);
}

/* Merge sort rather than qsort: equal keys must keep their input order so
 * that output is identical run to run whatever the libc. Recursion depth is
 * log2(n). */
static void merge_sort(struct brig_package *a, struct brig_package *tmp, size_t n)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(a, tmp, mid);
	merge_sort(a + mid, tmp, n - mid);
	while (i < mid && j < n)
		tmp[k++] = cmp_pkg(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
	while (i < mid)
		tmp[k++] = a[i++];
	while (j < n)
		tmp[k++] = a[j++];
	memcpy(a, tmp, n * sizeof(*a));
}

void brig_pkg_list_sort(struct brig_pkg_list *l)
{
	_cleanup_free_ struct brig_package *tmp = NULL;
	size_t bytes;

	if (!l || l->n < 2)
		return;
	if (!brig_mul_ok(l->n, sizeof(*tmp), &bytes))
		abort();
	tmp = brig_xmalloc(bytes);
	merge_sort(l->items, tmp, l->n);
}

void brig_os_free(struct brig_os *os)
{
	if (!os)
		return;
	free(os->family);
	free(os->name);
	free(os->version_id);
	free(os->codename);
	free(os->pretty_name);
	memset(os, 0, sizeof(*os));
}

/* Like brig_package_copy: dst is overwritten, not freed. */
void brig_os_copy(struct brig_os *dst, const struct brig_os *src)
{
	dst->family = dup_or_null(src->family);
	dst->name = dup_or_null(src->name);
	dst->version_id = dup_or_null(src->version_id);
	dst->codename = dup_or_null(src->codename);
	dst->pretty_name = dup_or_null(src->pretty_name);
}

const char *brig_pkg_type_name(enum brig_pkg_type t)
{
	switch (t) {
	case BRIG_PKG_DPKG:
		return "dpkg";
	case BRIG_PKG_APK:
		return "apk";
	case BRIG_PKG_RPM:
		return "rpm";
	case BRIG_PKG_NPM:
		return "npm";
	}
	return "unknown";
}

/* --- package URLs ------------------------------------------------------ */

/* Everything but RFC 3986 unreserved characters is percent-encoded, as
 * packageurl-go (and so Trivy) does: "+" -> %2B, "@" -> %40, ":" -> %3A. */
static int purl_put(struct brig_buf *b, const char *s, size_t n, bool lower,
		    struct brig_error *err)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char enc[3] = {'%', hex[c >> 4], hex[c & 15]};

		if (lower && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			if (brig_buf_append(b, &c, 1, err) < 0)
				return -1;
		} else if (brig_buf_append(b, enc, 3, err) < 0) {
			return -1;
		}
	}
	return 0;
}

static int purl_put_str(struct brig_buf *b, const char *s, bool lower, struct brig_error *err)
{
	return purl_put(b, s, strlen(s), lower, err);
}

/* "1:2.38-5" -> epoch "1", rest "2.38-5"; epoch 0 counts as none. The
 * digits are printed without leading zeros, as strconv.Itoa would. */
static const char *split_epoch(const char *v, const char **epoch, size_t *epoch_len)
{
	size_t i = 0;

	*epoch = NULL;
	*epoch_len = 0;
	while (v[i] >= '0' && v[i] <= '9')
		i++;
	if (i == 0 || v[i] != ':')
		return v;
	for (size_t z = 0; z < i; z++) {
		if (v[z] != '0') {
			*epoch = v + z;
			*epoch_len = i - z;
			break;
		}
	}
	return v + i + 1;
}

static bool nonempty(const char *s)
{
	return s && *s;
}

struct purl_parts {
	const char *type;
	const char *ns; /* one segment, may be NULL */
	size_t ns_len;
	const char *name;
	const char *version; /* epoch already removed */
	const char *arch;
	const char *distro_family; /* distro = "family-ver", or just ver when NULL */
	const char *distro_ver;
	const char *epoch;
	size_t epoch_len;
};

/* Qualifiers in lexical key order (arch, distro, epoch): the purl
 * canonical form, and what url.Values.Encode gives Trivy. */
static int purl_qualifiers(struct brig_buf *b, const struct purl_parts *pp,
			   struct brig_error *err)
{
	char sep = '?';

	if (nonempty(pp->arch)) {
		if (brig_buf_appendf(b, err, "%carch=", sep) < 0 ||
		    purl_put_str(b, pp->arch, false, err) < 0)
			return -1;
		sep = '&';
	}
	if (nonempty(pp->distro_ver)) {
		if (brig_buf_appendf(b, err, "%cdistro=", sep) < 0)
			return -1;
		if (pp->distro_family && (purl_put_str(b, pp->distro_family, true, err) < 0 ||
					  brig_buf_append(b, "-", 1, err) < 0))
			return -1;
		if (purl_put_str(b, pp->distro_ver, false, err) < 0)
			return -1;
		sep = '&';
	}
	if (pp->epoch && (brig_buf_appendf(b, err, "%cepoch=", sep) < 0 ||
			  purl_put(b, pp->epoch, pp->epoch_len, false, err) < 0))
		return -1;
	return 0;
}

/* Names are lowercased as the deb, apk and npm purl types require. */
static int purl_render(struct brig_buf *b, const struct purl_parts *pp, struct brig_error *err)
{
	if (brig_buf_appendf(b, err, "pkg:%s/", pp->type) < 0)
		return -1;
	if (pp->ns_len &&
	    (purl_put(b, pp->ns, pp->ns_len, true, err) < 0 || brig_buf_append(b, "/", 1, err) < 0))
		return -1;
	if (purl_put_str(b, pp->name, true, err) < 0)
		return -1;
	if (nonempty(pp->version) &&
	    (brig_buf_append(b, "@", 1, err) < 0 || purl_put_str(b, pp->version, false, err) < 0))
		return -1;
	return purl_qualifiers(b, pp, err);
}

static void purl_os_parts(struct purl_parts *pp, const struct brig_package *p,
			  const struct brig_os *os)
{
	const char *family = os ? os->family : NULL;

	pp->arch = p->arch;
	if (!nonempty(family))
		return;
	pp->ns = family;
	pp->ns_len = strlen(family);
	if (p->type == BRIG_PKG_APK) {
		/* Alpine's distro qualifier is the full release, "3.18.9". */
		pp->distro_ver = nonempty(os->name) ? os->name : os->version_id;
	} else {
		pp->distro_family = family;
		pp->distro_ver = nonempty(os->version_id) ? os->version_id : os->name;
	}
}

static int purl_build(struct brig_buf *b, const struct brig_package *p, const struct brig_os *os,
		      struct brig_error *err)
{
	struct purl_parts pp = {.name = p->name, .version = p->version};
	const char *slash;

	switch (p->type) {
	case BRIG_PKG_DPKG:
	case BRIG_PKG_RPM:
		pp.type = p->type == BRIG_PKG_DPKG ? "deb" : "rpm";
		if (p->version)
			pp.version = split_epoch(p->version, &pp.epoch, &pp.epoch_len);
		purl_os_parts(&pp, p, os);
		break;
	case BRIG_PKG_APK:
		pp.type = "apk";
		purl_os_parts(&pp, p, os);
		break;
	case BRIG_PKG_NPM:
		pp.type = "npm";
		/* The scope is the namespace, encoded: "@babel/core" ->
		 * "%40babel/core". */
		slash = strrchr(p->name, '/');
		if (slash) {
			pp.ns = p->name;
			pp.ns_len = (size_t)(slash - p->name);
			pp.name = slash + 1;
		}
		break;
	default:
		return brig_error_set(err, 0, "unknown package type %d", (int)p->type);
	}
	return purl_render(b, &pp, err);
}

void brig_purl_fill(struct brig_package *p, const struct brig_os *os)
{
	struct brig_error err = {0};
	_cleanup_buf_ struct brig_buf b;

	free(p->purl);
	p->purl = NULL;
	if (!nonempty(p->name))
		return;
	/* Nothing here is sized by hostile input beyond the package's own
	 * fields, which the analyzers already bounded. */
	brig_buf_init(&b, SIZE_MAX);
	if (purl_build(&b, p, os, &err) < 0)
		return;
	p->purl = brig_buf_steal(&b, NULL);
}

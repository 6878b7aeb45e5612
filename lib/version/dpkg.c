/* Debian version ordering: dpkg's lib/dpkg/version.c (verrevcmp) and
 * parseversion(), reimplemented over bounded slices. */
#include <string.h>

#include "version/version.h"
#include "version/version_private.h"

struct dpkg_slice {
	const char *p;
	size_t n;
};

struct dpkg_ver {
	struct dpkg_slice epoch; /* digits only; empty means 0 */
	struct dpkg_slice upstream;
	struct dpkg_slice revision; /* empty compares like "0" */
};

static bool dpkg_isblank(int c)
{
	return c == ' ' || c == '\t';
}

/* dpkg trims blanks at both ends before anything else. */
static struct dpkg_slice dpkg_trim(const char *s)
{
	struct dpkg_slice r = { s, strlen(s) };

	while (r.n > 0 && dpkg_isblank(*r.p))
		r.p++, r.n--;
	while (r.n > 0 && dpkg_isblank(r.p[r.n - 1]))
		r.n--;
	return r;
}

/* The epoch as parseversion() reads it with strtol(): leading white space,
 * an optional sign (a negative epoch is refused, "-0" is zero), then
 * digits up to the colon. */
static bool dpkg_epoch(const char *p, size_t n, struct dpkg_slice *digits)
{
	size_t i = 0, d;
	bool neg = false;

	while (i < n && (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r')))
		i++;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		neg = p[i++] == '-';
	for (d = i; d < n && brig_ver_isdigit(p[d]); d++)
		;
	if (d == i || d != n)
		return false;
	digits->p = p + i;
	digits->n = n - i;
	while (digits->n > 0 && *digits->p == '0')
		digits->p++, digits->n--;
	return !(neg && digits->n > 0);
}

/* Splits like parseversion() but never fails: an epoch is only taken when
 * parseversion() would take it, and the revision is whatever follows the
 * last '-'. Invalid versions (dpkg's own test suite orders "-0.6.5") still
 * get the order dpkg's comparison gives their parts. */
static void dpkg_split(const char *s, struct dpkg_ver *v)
{
	struct dpkg_slice t = dpkg_trim(s);
	const char *colon = memchr(t.p, ':', t.n);
	const char *rest = t.p;
	size_t restn = t.n;
	size_t i;

	v->epoch.p = t.p;
	v->epoch.n = 0;
	if (colon && dpkg_epoch(t.p, (size_t)(colon - t.p), &v->epoch)) {
		rest = colon + 1;
		restn = t.n - (size_t)(colon - t.p) - 1;
	}
	v->upstream.p = rest;
	v->upstream.n = restn;
	v->revision.p = rest + restn;
	v->revision.n = 0;
	for (i = restn; i > 0; i--) {
		if (rest[i - 1] == '-') {
			v->upstream.n = i - 1;
			v->revision.p = rest + i;
			v->revision.n = restn - i;
			break;
		}
	}
}

/* dpkg's order(): '~' before the end of a part, the end before letters,
 * letters before every other character. Bytes are taken unsigned; dpkg
 * itself rejects non-ASCII versions, so only the order matters, not which
 * signedness dpkg was built with. */
static int dpkg_order(const struct dpkg_slice *s, size_t i)
{
	int c;

	if (i >= s->n)
		return 0;
	c = (unsigned char)s->p[i];
	if (brig_ver_isdigit(c))
		return 0;
	if (brig_ver_isalpha(c))
		return c;
	if (c == '~')
		return -1;
	return c + 256;
}

static bool dpkg_digit_at(const struct dpkg_slice *s, size_t i)
{
	return i < s->n && brig_ver_isdigit(s->p[i]);
}

static int dpkg_verrevcmp(const struct dpkg_slice *a, const struct dpkg_slice *b)
{
	size_t i = 0, j = 0;

	while (i < a->n || j < b->n) {
		int first_diff = 0;

		while ((i < a->n && !brig_ver_isdigit(a->p[i])) ||
		       (j < b->n && !brig_ver_isdigit(b->p[j]))) {
			int ac = dpkg_order(a, i);
			int bc = dpkg_order(b, j);

			if (ac != bc)
				return ac < bc ? -1 : 1;
			/* equal orders are the same non-digit byte on both
			 * sides (order() is injective there), so neither
			 * index is at its end */
			i++;
			j++;
		}
		while (i < a->n && a->p[i] == '0')
			i++;
		while (j < b->n && b->p[j] == '0')
			j++;
		while (dpkg_digit_at(a, i) && dpkg_digit_at(b, j)) {
			if (!first_diff)
				first_diff = a->p[i] - b->p[j];
			i++;
			j++;
		}
		if (dpkg_digit_at(a, i))
			return 1;
		if (dpkg_digit_at(b, j))
			return -1;
		if (first_diff)
			return first_diff < 0 ? -1 : 1;
	}
	return 0;
}

int brig_ver_dpkg_compare(const char *a, const char *b)
{
	struct dpkg_ver va, vb;
	int rc;

	/* `dpkg --compare-versions` takes "" as "no version", older than
	 * any; verrevcmp alone would equate it with "0" */
	if (!*a || !*b)
		return (*a != '\0') - (*b != '\0');
	dpkg_split(a, &va);
	dpkg_split(b, &vb);
	rc = brig_ver_numcmp(va.epoch.p, va.epoch.n, vb.epoch.p, vb.epoch.n);
	if (rc)
		return rc;
	rc = dpkg_verrevcmp(&va.upstream, &vb.upstream);
	if (rc)
		return rc;
	return dpkg_verrevcmp(&va.revision, &vb.revision);
}

/* parseversion() accepting neither its errors nor its warnings. */
bool brig_ver_dpkg_valid(const char *s)
{
	struct dpkg_slice t = dpkg_trim(s);
	const char *colon, *up, *hyphen = NULL;
	size_t upn, i;

	if (t.n == 0)
		return false;
	for (i = 0; i < t.n; i++) {
		if (dpkg_isblank(t.p[i]))
			return false; /* embedded spaces */
	}
	up = t.p;
	upn = t.n;
	colon = memchr(t.p, ':', t.n);
	if (colon) {
		struct dpkg_slice e;

		/* empty, not a number, negative, or above INT_MAX */
		if (!dpkg_epoch(t.p, (size_t)(colon - t.p), &e) ||
		    brig_ver_numcmp(e.p, e.n, "2147483647", 10) > 0)
			return false;
		up = colon + 1;
		upn = t.n - (size_t)(colon - t.p) - 1;
		if (upn == 0)
			return false; /* nothing after the colon */
	}
	for (i = upn; i > 0; i--) {
		if (up[i - 1] == '-') {
			hyphen = up + i - 1;
			break;
		}
	}
	if (hyphen) {
		size_t revn = upn - (size_t)(hyphen - up) - 1;

		if (revn == 0)
			return false; /* revision is empty */
		for (i = 0; i < revn; i++) {
			char c = hyphen[1 + i];

			if (!brig_ver_isalnum(c) && !strchr(".+~", c))
				return false;
		}
		upn = (size_t)(hyphen - up);
	}
	if (upn == 0 || !brig_ver_isdigit(up[0]))
		return false; /* empty, or not starting with a digit */
	for (i = 1; i < upn; i++) {
		char c = up[i];

		/* NUL cannot occur inside a C string; strchr would match it */
		if (!brig_ver_isalnum(c) && !strchr(".-+~:", c))
			return false;
	}
	return true;
}

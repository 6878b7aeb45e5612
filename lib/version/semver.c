/* npm versions and ranges as node-semver 7 (classes/semver.js, range.js,
 * internal/re.js) reads them. node-semver rewrites range text with regular
 * expressions; this file parses the same language directly, one linear
 * pass per rewrite, and evaluates comparators as it reads them instead of
 * building node's comparator objects. */
#include <stdint.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "version/version.h"
#include "version/version_private.h"

#define SV_MAX_LENGTH 256u		      /* node-semver's MAX_LENGTH */
#define SV_MAX_SAFE 9007199254740991ull /* Number.MAX_SAFE_INTEGER */
#define SV_BIG UINT64_MAX		      /* a number node-semver refuses */

struct sv {
	uint64_t num[3];
	const char *pre; /* dot-separated identifiers, no leading '-' */
	size_t pre_len;	 /* 0: no prerelease */
};

/* JavaScript's \s and String.trim(), restricted to ASCII. */
static bool sv_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool sv_isid(int c)
{
	return brig_ver_isalnum(c) || c == '-';
}

/* A digit run as node's +str would read it, SV_BIG past 2^53-1 (where
 * node-semver throws "Invalid major version"). */
static uint64_t sv_num(const char *s, size_t n)
{
	uint64_t v = 0;

	while (n > 0 && *s == '0')
		s++, n--;
	if (n > 16)
		return SV_BIG;
	for (; n > 0; s++, n--)
		v = v * 10 + (uint64_t)(*s - '0');
	return v > SV_MAX_SAFE ? SV_BIG : v;
}

static uint64_t sv_inc(uint64_t v)
{
	return v >= SV_MAX_SAFE ? SV_BIG : v + 1;
}

/* One or more dot-separated [0-9A-Za-z-]+ identifiers. strict_numeric
 * refuses "01" like NUMERICIDENTIFIER does. */
static bool sv_ids_valid(const char *s, size_t n, bool strict_numeric)
{
	size_t i = 0;

	if (n == 0)
		return false;
	for (;;) {
		size_t st = i;
		bool alldigits = true;

		while (i < n && s[i] != '.') {
			if (!sv_isid(s[i]))
				return false;
			if (!brig_ver_isdigit(s[i]))
				alldigits = false;
			i++;
		}
		if (i == st)
			return false;
		if (strict_numeric && alldigits && s[st] == '0' && i - st > 1)
			return false;
		if (i == n)
			return true;
		i++;
	}
}

/* What may follow M.m.p: `(?:-(PRE))?(?:\+(BUILD))?$`, where loose mode
 * makes the '-' optional (1.2.3beta) and numeric identifiers lax (-01). */
static bool sv_tail(const char *s, size_t n, bool loose, struct sv *v)
{
	const char *plus = memchr(s, '+', n);
	size_t pn = plus ? (size_t)(plus - s) : n;

	v->pre = NULL;
	v->pre_len = 0;
	if (plus && !sv_ids_valid(plus + 1, n - pn - 1, false))
		return false;
	if (pn == 0)
		return true;
	if (s[0] == '-' && sv_ids_valid(s + 1, pn - 1, !loose)) {
		v->pre = s + 1;
		v->pre_len = pn - 1;
		return true;
	}
	/* `-?` matching nothing: the '-' (if any) starts an identifier */
	if (loose && sv_ids_valid(s, pn, false)) {
		v->pre = s;
		v->pre_len = pn;
		return true;
	}
	return false;
}

/* new SemVer(s, { loose: true }) */
static bool sv_parse_loose(const char *in, struct sv *v)
{
	size_t n = strnlen(in, SV_MAX_LENGTH + 1), i = 0, k, st[3], en[3];

	if (n > SV_MAX_LENGTH)
		return false;
	while (n > 0 && sv_isspace(in[n - 1]))
		n--;
	while (i < n && (in[i] == 'v' || in[i] == '=' || sv_isspace(in[i])))
		i++;
	for (k = 0; k < 3; k++) {
		if (k > 0) {
			if (i >= n || in[i] != '.')
				return false;
			i++;
		}
		st[k] = i;
		while (i < n && brig_ver_isdigit(in[i]))
			i++;
		if (i == st[k])
			return false;
		en[k] = i;
	}
	if (!sv_tail(in + i, n - i, true, v)) {
		/* the regex's \d+ gives its last digit back to an undashed
		 * prerelease: node reads "1.2.34.5" as 1.2.3-4.5 */
		if (en[2] - st[2] < 2 || !sv_tail(in + i - 1, n - i + 1, true, v))
			return false;
		en[2]--;
	}
	for (k = 0; k < 3; k++) {
		v->num[k] = sv_num(in + st[k], en[k] - st[k]);
		if (v->num[k] == SV_BIG)
			return false;
	}
	return true;
}

static int sv_cmp_pre(const struct sv *a, const struct sv *b)
{
	size_t i = 0, j = 0;

	/* a release sorts after its prereleases */
	if (!a->pre_len || !b->pre_len)
		return (a->pre_len == 0) - (b->pre_len == 0);
	while (i < a->pre_len && j < b->pre_len) {
		size_t ie = i, je = j;
		bool anum = true, bnum = true;
		int rc;

		for (; ie < a->pre_len && a->pre[ie] != '.'; ie++)
			anum = anum && brig_ver_isdigit(a->pre[ie]);
		for (; je < b->pre_len && b->pre[je] != '.'; je++)
			bnum = bnum && brig_ver_isdigit(b->pre[je]);
		/* numeric identifiers sort before alphanumeric ones; node
		 * compares huge numeric ones as doubles, this exactly */
		if (anum && bnum)
			rc = brig_ver_numcmp(a->pre + i, ie - i, b->pre + j, je - j);
		else if (anum != bnum)
			rc = anum ? -1 : 1;
		else
			rc = brig_ver_bytecmp(a->pre + i, ie - i, b->pre + j, je - j);
		if (rc)
			return rc;
		i = ie + 1;
		j = je + 1;
	}
	if (i >= a->pre_len && j >= b->pre_len)
		return 0;
	return i >= a->pre_len ? -1 : 1;
}

static int sv_cmp(const struct sv *a, const struct sv *b)
{
	int k;

	for (k = 0; k < 3; k++) {
		if (a->num[k] != b->num[k])
			return a->num[k] < b->num[k] ? -1 : 1;
	}
	return sv_cmp_pre(a, b);
}

int brig_ver_semver_compare(const char *a, const char *b)
{
	struct sv x, y;
	bool xa = sv_parse_loose(a, &x), yb = sv_parse_loose(b, &y);

	if (xa && yb)
		return sv_cmp(&x, &y);
	/* node-semver throws here; sorting junk first makes "installed <
	 * fixed" report rather than hide an unreadable installed version */
	if (xa != yb)
		return xa ? 1 : -1;
	return brig_ver_sign(strcmp(a, b));
}

bool brig_ver_semver_valid(const char *v)
{
	struct sv x;

	return sv_parse_loose(v, &x);
}

/* ---- ranges ---- */

enum sv_op { OP_NONE, OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };

/* XRANGEPLAIN: [v=]* then up to three of 0|[1-9]\d*|x|X|*, the third
 * optionally followed by a prerelease and build. */
struct sv_partial {
	int ncomp;
	bool x[3]; /* a wildcard, or not written */
	uint64_t num[3];
	const char *pre;
	size_t pre_len;
	const char *prefix;
	size_t prefix_len;
};

struct sv_range {
	const struct sv *ver;
	bool incpre;
	struct brig_error *err;
	/* the comparator set being read */
	bool set_pass, set_pre_ok, set_any_only, set_null;
	/* the sets read so far */
	unsigned long nsets, nonnull;
	bool or_result, any_set;
};

static bool sv_xrid(const char *s, size_t n, size_t *i, bool *x, uint64_t *num)
{
	size_t st = *i, e;

	if (st >= n)
		return false;
	if (s[st] == 'x' || s[st] == 'X' || s[st] == '*') {
		*x = true;
		*num = 0;
		*i = st + 1;
		return true;
	}
	if (s[st] == '0') {
		*x = false;
		*num = 0;
		*i = st + 1;
		return true;
	}
	if (s[st] < '1' || s[st] > '9')
		return false;
	for (e = st; e < n && brig_ver_isdigit(s[e]); e++)
		;
	*x = false;
	*num = sv_num(s + st, e - st);
	*i = e;
	return true;
}

/* Anchored at both ends. Spaces may appear in the prefix only where node's
 * regex sees the unsplit text (hyphen ranges). */
static bool sv_partial_parse(const char *s, size_t n, bool spaces, struct sv_partial *pt)
{
	struct sv tail;
	size_t i = 0;
	int k;

	while (i < n && (s[i] == 'v' || s[i] == '=' || (spaces && s[i] == ' ')))
		i++;
	pt->prefix = s;
	pt->prefix_len = i;
	pt->ncomp = 0;
	pt->pre = NULL;
	pt->pre_len = 0;
	for (k = 0; k < 3; k++) {
		pt->x[k] = true;
		pt->num[k] = 0;
	}
	for (k = 0; k < 3; k++) {
		if (k > 0) {
			if (i >= n)
				return true;
			if (s[i] != '.')
				return false;
			i++;
		}
		if (!sv_xrid(s, n, &i, &pt->x[k], &pt->num[k]))
			return false;
		pt->ncomp = k + 1;
	}
	if (!sv_tail(s + i, n - i, false, &tail))
		return false;
	pt->pre = tail.pre;
	pt->pre_len = tail.pre_len;
	return true;
}

/* Whether node would reuse the text after ">=" or "<=" verbatim and still
 * parse it: only "v?" may precede the version (and one space, which node's
 * COMPARATORTRIM removes again). */
static bool sv_prefix_reusable(const struct sv_partial *pt, bool *vprefix)
{
	const char *p = pt->prefix;
	size_t n = pt->prefix_len;

	if (n > 0 && p[0] == ' ')
		p++, n--;
	*vprefix = n == 1 && p[0] == 'v';
	return n == 0 || *vprefix;
}

static size_t sv_gtlt(const char *s, size_t n, enum sv_op *op)
{
	if (n > 0 && (s[0] == '<' || s[0] == '>')) {
		bool eq = n > 1 && s[1] == '=';

		if (s[0] == '<')
			*op = eq ? OP_LE : OP_LT;
		else
			*op = eq ? OP_GE : OP_GT;
		return 1 + (size_t)eq;
	}
	if (n > 0 && s[0] == '=') {
		*op = OP_EQ;
		return 1;
	}
	*op = OP_NONE;
	return 0;
}

static unsigned sv_digits(uint64_t v)
{
	unsigned n = 1;

	while (v >= 10)
		v /= 10, n++;
	return n;
}

/* One comparator of the current set; `pre` is NULL for none. */
static int sv_add(struct sv_range *r, enum sv_op op, uint64_t M, uint64_t m, uint64_t p,
		  const char *pre, size_t pre_len, bool vprefix)
{
	struct sv c = { { M, m, p }, pre, pre_len };
	size_t textlen;
	bool pass;
	int rc;

	if (M == SV_BIG || m == SV_BIG || p == SV_BIG)
		return brig_error_set(r->err, 0, "semver range: version number above 2^53-1");
	textlen = (size_t)vprefix + sv_digits(M) + sv_digits(m) + sv_digits(p) + 2 +
		  (pre_len ? pre_len + 1 : 0);
	if (textlen > SV_MAX_LENGTH)
		return brig_error_set(r->err, 0, "semver range: version longer than %u characters",
				      SV_MAX_LENGTH);
	/* node rewrites ">=0.0.0" (">=0.0.0-0" with includePrerelease) to
	 * "any", which matters to a set made only of "any" */
	if (op == OP_GE && !vprefix && M == 0 && m == 0 && p == 0 &&
	    (r->incpre ? (pre_len == 1 && pre[0] == '0') : pre_len == 0))
		return 0;
	r->set_any_only = false;
	if (op == OP_LT && M == 0 && m == 0 && p == 0 && pre_len == 1 && pre[0] == '0')
		r->set_null = true;
	rc = sv_cmp(r->ver, &c);
	switch (op) {
	case OP_LT:
		pass = rc < 0;
		break;
	case OP_LE:
		pass = rc <= 0;
		break;
	case OP_GT:
		pass = rc > 0;
		break;
	case OP_GE:
		pass = rc >= 0;
		break;
	default:
		pass = rc == 0;
		break;
	}
	if (!pass)
		r->set_pass = false;
	if (pre_len && M == r->ver->num[0] && m == r->ver->num[1] && p == r->ver->num[2])
		r->set_pre_ok = true;
	return 0;
}

/* ">=lo <hi-0", the shape of every caret, tilde and x-range */
static int sv_add_span(struct sv_range *r, uint64_t M, uint64_t m, uint64_t p, const char *pre,
		       size_t pre_len, uint64_t hM, uint64_t hm, uint64_t hp)
{
	if (sv_add(r, OP_GE, M, m, p, pre, pre_len, false) < 0)
		return -1;
	return sv_add(r, OP_LT, hM, hm, hp, "0", 1, false);
}

static int sv_caret(struct sv_range *r, const struct sv_partial *pt)
{
	const char *z = r->incpre ? "0" : NULL;
	size_t zn = r->incpre ? 1 : 0;
	uint64_t M = pt->num[0], m = pt->num[1], p = pt->num[2];

	if (pt->x[0])
		return 0;
	if (pt->x[1])
		return sv_add_span(r, M, 0, 0, z, zn, sv_inc(M), 0, 0);
	if (pt->x[2]) {
		if (M == 0)
			return sv_add_span(r, M, m, 0, z, zn, M, sv_inc(m), 0);
		return sv_add_span(r, M, m, 0, z, zn, sv_inc(M), 0, 0);
	}
	/* with a prerelease the lower bound keeps it; without, node 7.8 adds
	 * no "-0" even with includePrerelease */
	if (M == 0 && m == 0)
		return sv_add_span(r, M, m, p, pt->pre, pt->pre_len, M, m, sv_inc(p));
	if (M == 0)
		return sv_add_span(r, M, m, p, pt->pre, pt->pre_len, M, sv_inc(m), 0);
	return sv_add_span(r, M, m, p, pt->pre, pt->pre_len, sv_inc(M), 0, 0);
}

static int sv_tilde(struct sv_range *r, const struct sv_partial *pt)
{
	const char *z = r->incpre ? "0" : NULL;
	size_t zn = r->incpre ? 1 : 0;
	uint64_t M = pt->num[0], m = pt->num[1], p = pt->num[2];

	if (pt->x[0])
		return 0;
	if (pt->x[1])
		return sv_add_span(r, M, 0, 0, z, zn, sv_inc(M), 0, 0);
	if (pt->x[2])
		return sv_add_span(r, M, m, 0, z, zn, M, sv_inc(m), 0);
	return sv_add_span(r, M, m, p, pt->pre, pt->pre_len, M, sv_inc(m), 0);
}

/* replaceXRange() for a partial with at least one wildcard */
static int sv_xrange(struct sv_range *r, enum sv_op op, const struct sv_partial *pt)
{
	const char *pr = r->incpre ? "0" : NULL;
	size_t prn = r->incpre ? 1 : 0;
	bool xM = pt->x[0], xm = xM || pt->x[1];
	uint64_t M = pt->num[0], m = pt->num[1], p = 0;

	if (op == OP_EQ)
		op = OP_NONE;
	if (xM) {
		/* "<*" and ">*" allow nothing: node's null set "<0.0.0-0" */
		if (op == OP_LT || op == OP_GT)
			return sv_add(r, OP_LT, 0, 0, 0, "0", 1, false);
		return 0;
	}
	if (op != OP_NONE) {
		if (xm)
			m = 0;
		if (op == OP_GT) {
			op = OP_GE;
			if (xm)
				M = sv_inc(M);
			else
				m = sv_inc(m);
		} else if (op == OP_LE) {
			op = OP_LT;
			if (xm)
				M = sv_inc(M);
			else
				m = sv_inc(m);
		}
		if (op == OP_LT) {
			pr = "0";
			prn = 1;
		}
		return sv_add(r, op, M, m, p, pr, prn, false);
	}
	if (xm)
		return sv_add_span(r, M, 0, 0, pr, prn, sv_inc(M), 0, 0);
	return sv_add_span(r, M, m, 0, pr, prn, M, sv_inc(m), 0);
}

static bool sv_has_x(const struct sv_partial *pt)
{
	return pt->x[0] || pt->x[1] || pt->x[2];
}

/* A comparator written out in full: GTLT, "v?", M.m.p[-pre]. */
static int sv_plain(struct sv_range *r, enum sv_op op, const struct sv_partial *pt)
{
	bool vprefix;

	if (sv_has_x(pt) || !sv_prefix_reusable(pt, &vprefix) || pt->prefix_len > (size_t)vprefix)
		return brig_error_set(r->err, 0, "semver range: invalid comparator");
	return sv_add(r, op == OP_NONE ? OP_EQ : op, pt->num[0], pt->num[1], pt->num[2], pt->pre,
		      pt->pre_len, vprefix);
}

/* A word no rewrite matched: node drops its first `(<|>)?=?\*` and parses
 * what is left as a comparator ("" is any). */
static int sv_star(struct sv_range *r, const char *w, size_t n)
{
	_cleanup_free_ char *t = NULL;
	struct sv_partial pt;
	enum sv_op op;
	size_t q, e = 0, tn, o;

	for (q = 0; q < n; q++) {
		e = q;
		if (w[e] == '<' || w[e] == '>')
			e++;
		if (e < n && w[e] == '=')
			e++;
		if (e < n && w[e] == '*')
			break;
	}
	if (q == n)
		return brig_error_set(r->err, 0, "semver range: invalid comparator");
	tn = n - (e + 1 - q);
	if (tn == 0)
		return 0;
	t = brig_xmalloc(tn);
	memcpy(t, w, q);
	memcpy(t + q, w + e + 1, n - e - 1);
	o = sv_gtlt(t, tn, &op);
	if (!sv_partial_parse(t + o, tn - o, false, &pt))
		return brig_error_set(r->err, 0, "semver range: invalid comparator");
	return sv_plain(r, op, &pt);
}

static bool sv_invalid_order(const struct sv_partial *pt)
{
	return (pt->x[0] && !pt->x[1]) || (pt->x[1] && pt->ncomp == 3 && !pt->x[2]);
}

/* One whitespace-free word: parseComparator()'s caret, tilde, x-range
 * and star rewrites, then the comparator parse. */
static int sv_word(struct sv_range *r, const char *w, size_t n)
{
	struct sv_partial pt;
	enum sv_op op;
	size_t o;

	if (n == 0)
		return 0;
	if (w[0] == '^' && sv_partial_parse(w + 1, n - 1, false, &pt))
		return sv_caret(r, &pt);
	if (w[0] == '~') {
		o = n > 1 && w[1] == '>' ? 2 : 1;
		if (sv_partial_parse(w + o, n - o, false, &pt))
			return sv_tilde(r, &pt);
	}
	o = sv_gtlt(w, n, &op);
	if (sv_partial_parse(w + o, n - o, false, &pt) && !sv_invalid_order(&pt)) {
		if (sv_has_x(&pt))
			return sv_xrange(r, op, &pt);
		return sv_plain(r, op, &pt);
	}
	return sv_star(r, w, n);
}

/* hyphenReplace() */
static int sv_hyphen(struct sv_range *r, const struct sv_partial *f, const struct sv_partial *t)
{
	const char *z = r->incpre ? "0" : NULL;
	size_t zn = r->incpre ? 1 : 0;
	bool vprefix;

	if (f->x[0]) {
		/* from nothing */
	} else if (f->x[1] || f->x[2]) {
		if (sv_add(r, OP_GE, f->num[0], f->x[1] ? 0 : f->num[1], 0, z, zn, false) < 0)
			return -1;
	} else {
		/* ">=" + the text as written, "-0" appended without a prerelease */
		if (!sv_prefix_reusable(f, &vprefix))
			return brig_error_set(r->err, 0, "semver range: invalid hyphen range");
		if (sv_add(r, OP_GE, f->num[0], f->num[1], f->num[2], f->pre_len ? f->pre : z,
			   f->pre_len ? f->pre_len : zn, vprefix) < 0)
			return -1;
	}
	if (t->x[0])
		return 0;
	if (t->x[1])
		return sv_add(r, OP_LT, sv_inc(t->num[0]), 0, 0, "0", 1, false);
	if (t->x[2])
		return sv_add(r, OP_LT, t->num[0], sv_inc(t->num[1]), 0, "0", 1, false);
	if (t->pre_len)
		return sv_add(r, OP_LE, t->num[0], t->num[1], t->num[2], t->pre, t->pre_len, false);
	if (r->incpre)
		return sv_add(r, OP_LT, t->num[0], t->num[1], sv_inc(t->num[2]), "0", 1, false);
	if (!sv_prefix_reusable(t, &vprefix))
		return brig_error_set(r->err, 0, "semver range: invalid hyphen range");
	return sv_add(r, OP_LE, t->num[0], t->num[1], t->num[2], NULL, 0, vprefix);
}

/* `^\s?(XRANGEPLAIN)\s-\s(XRANGEPLAIN)\s?$`: 1 when s is a hyphen range
 * (and was evaluated), 0 when it is not one, -1 on error. */
static int sv_try_hyphen(struct sv_range *r, const char *s, size_t n)
{
	struct sv_partial f, t;
	const char *d = NULL;
	size_t i, l0, rn;

	for (i = 1; i + 1 < n; i++) {
		if (s[i] == '-' && s[i - 1] == ' ' && s[i + 1] == ' ') {
			d = s + i;
			break;
		}
	}
	if (!d)
		return 0;
	l0 = s[0] == ' ' ? 1 : 0;
	rn = n - (size_t)(d + 2 - s);
	if (rn > 0 && d[1 + rn] == ' ')
		rn--;
	if ((size_t)(d - 1 - s) < l0 || !sv_partial_parse(s + l0, (size_t)(d - 1 - s) - l0, true, &f) ||
	    !sv_partial_parse(d + 2, rn, true, &t))
		return 0;
	return sv_hyphen(r, &f, &t) < 0 ? -1 : 1;
}

/* Node removes the space after a comparison operator (COMPARATORTRIM),
 * after "~"/"~>" (TILDETRIM, which also drops the '>') and after "^"
 * (CARETTRIM), in that order, before it splits a set into words. */
enum sv_join { JOIN_GTLT, JOIN_TILDE, JOIN_CARET };

static bool sv_joins(enum sv_join kind, const char *w, size_t n, const char *next, size_t nn)
{
	enum sv_op op;
	size_t k, g, i;

	switch (kind) {
	case JOIN_GTLT:
		k = n > 0 && (w[0] == '^' || w[0] == '~') ? 1 : 0;
		g = sv_gtlt(w + k, n - k, &op);
		if (g == 0 || k + g != n)
			return false;
		for (i = 0; i < nn && (next[i] == 'v' || next[i] == '='); i++)
			;
		return i < nn && (brig_ver_isdigit(next[i]) || next[i] == 'x' || next[i] == 'X' ||
				  next[i] == '*');
	case JOIN_TILDE:
		return (n == 1 && w[0] == '~') || (n == 2 && w[0] == '~' && w[1] == '>');
	case JOIN_CARET:
		return n == 1 && w[0] == '^';
	}
	return false;
}

/* Rewrites s in place (it only shrinks); returns the new length. */
static size_t sv_join_pass(char *s, size_t n, enum sv_join kind)
{
	size_t i = 0, o = 0;

	for (;;) {
		size_t st = i, wn, ne;
		bool join = false;

		while (i < n && s[i] != ' ')
			i++;
		wn = i - st;
		if (i < n) {
			for (ne = i + 1; ne < n && s[ne] != ' '; ne++)
				;
			join = sv_joins(kind, s + st, wn, s + i + 1, ne - i - 1);
		}
		if (join && kind == JOIN_TILDE)
			wn = 1; /* "~> " becomes "~" */
		memmove(s + o, s + st, wn);
		o += wn;
		if (i >= n)
			return o;
		if (!join)
			s[o++] = ' ';
		i++;
	}
}

/* One comparator set (a `||` alternative), trimmed, in a private buffer. */
static int sv_set(struct sv_range *r, char *s, size_t n)
{
	size_t i, o, st;
	int rc;

	r->set_pass = true;
	r->set_pre_ok = false;
	r->set_any_only = true;
	r->set_null = false;

	/* build metadata never takes part (BUILDSTRIPRE) */
	for (i = 0, o = 0; i < n;) {
		if (s[i] == '+' && i + 1 < n && sv_isid(s[i + 1])) {
			size_t j = i + 1;

			while (j < n && sv_isid(s[j]))
				j++;
			while (j + 1 < n && s[j] == '.' && sv_isid(s[j + 1])) {
				j++;
				while (j < n && sv_isid(s[j]))
					j++;
			}
			i = j;
			continue;
		}
		s[o++] = s[i++];
	}
	n = o;

	rc = sv_try_hyphen(r, s, n);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		n = sv_join_pass(s, n, JOIN_GTLT);
		n = sv_join_pass(s, n, JOIN_TILDE);
		n = sv_join_pass(s, n, JOIN_CARET);
		for (i = 0, st = 0; i <= n; i++) {
			if (i == n || s[i] == ' ') {
				if (sv_word(r, s + st, i - st) < 0)
					return -1;
				st = i + 1;
			}
		}
	}

	r->nsets++;
	if (!r->set_null) {
		r->nonnull++;
		if (r->set_any_only) {
			r->any_set = true;
			return 0;
		}
	}
	if (r->set_pass && !r->set_null &&
	    (!r->ver->pre_len || r->incpre || r->set_pre_ok))
		r->or_result = true;
	return 0;
}

int brig_semver_satisfies_flags(const char *version, const char *range, unsigned flags,
				struct brig_error *err)
{
	_cleanup_free_ char *buf = NULL;
	struct sv ver;
	struct sv_range r = { 0 };
	size_t n, i, o, st;

	if (!version)
		version = "";
	if (!range)
		range = "";
	if (!sv_parse_loose(version, &ver))
		return brig_error_set(err, 0, "invalid semver version \"%.64s\"", version);
	r.ver = &ver;
	r.incpre = (flags & BRIG_SEMVER_INCLUDE_PRERELEASE) != 0;
	r.err = err;

	/* range.trim().replace(/\s+/g, ' ') */
	n = strlen(range);
	buf = brig_xmalloc(n + 1);
	for (i = 0, o = 0; i < n; i++) {
		if (!sv_isspace(range[i]))
			buf[o++] = range[i];
		else if (o > 0 && buf[o - 1] != ' ')
			buf[o++] = ' ';
	}
	if (o > 0 && buf[o - 1] == ' ')
		o--;
	n = o;

	/* .split('||'), each part trimmed */
	for (i = 0, st = 0; i <= n; i++) {
		if (i == n || (buf[i] == '|' && i + 1 < n && buf[i + 1] == '|')) {
			size_t a = st, b = i;

			while (a < b && buf[a] == ' ')
				a++;
			while (b > a && buf[b - 1] == ' ')
				b--;
			if (sv_set(&r, buf + a, b - a) < 0)
				return -1;
			if (i < n)
				i++;
			st = i + 1;
		}
	}

	/* node keeps only the non-null sets and, when one of several is
	 * "any", collapses the range to that set */
	if (r.nsets > 1 && r.nonnull > 1 && r.any_set)
		return !ver.pre_len || r.incpre;
	if (r.any_set && (!ver.pre_len || r.incpre))
		return 1;
	return r.or_result ? 1 : 0;
}

int brig_semver_satisfies(const char *version, const char *range, struct brig_error *err)
{
	return brig_semver_satisfies_flags(version, range, 0, err);
}

/* SPDX licence ids and expressions: SBOM validators reject an id that is
 * not on the SPDX list, so a licence string is only passed on as SPDX when
 * every part of it is known; anything else is kept as free text. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/xalloc.h"
#include "report/report_int.h"
#include "report/spdx_ids.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
/* No real licence expression has more parts; longer input is not one. */
#define MAX_TOKENS 64
#define MAX_EXPR_LEN 1024

static int cmp_id(const void *key, const void *elem)
{
	return strcasecmp(key, *(const char *const *)elem);
}

static const char *lookup(const char *s, const char *const *tab, size_t n)
{
	const char *const *hit = bsearch(s, tab, n, sizeof(*tab), cmp_id);

	return hit ? *hit : NULL;
}

const char *brig_rpt_spdx_license_id(const char *s)
{
	if (!s || !*s)
		return NULL;
	return lookup(s, spdx_license_ids, N_ELEMS(spdx_license_ids));
}

static bool ref_chars(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", *s))
			return false;
	return true;
}

/* "LicenseRef-x" or "DocumentRef-y:LicenseRef-x" (SPDX 2.3 annex D) */
static bool license_ref(const char *s)
{
	const char *colon = strchr(s, ':');

	if (colon) {
		_cleanup_free_ char *doc = brig_xstrndup(s, (size_t)(colon - s));

		if (strncmp(doc, "DocumentRef-", 12) != 0 || !ref_chars(doc + 12))
			return false;
		s = colon + 1;
	}
	return strncmp(s, "LicenseRef-", 11) == 0 && ref_chars(s + 11);
}

struct lexer {
	char *tok[MAX_TOKENS];
	size_t n;
	size_t i;
	struct brig_buf out;
};

static void lexer_free(struct lexer *x)
{
	for (size_t i = 0; i < x->n; i++)
		free(x->tok[i]);
	brig_buf_free(&x->out);
}

static int tokenize(struct lexer *x, const char *s)
{
	while (*s) {
		size_t n;

		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		if (x->n == MAX_TOKENS)
			return -1;
		n = (*s == '(' || *s == ')') ? 1 : strcspn(s, " \t()");
		x->tok[x->n++] = brig_xstrndup(s, n);
		s += n;
	}
	return x->n ? 0 : -1;
}

static const char *peek(const struct lexer *x)
{
	return x->i < x->n ? x->tok[x->i] : NULL;
}

static bool is_op(const char *t, const char *op)
{
	/* SPDX allows the operators in all upper or all lower case */
	if (!t)
		return false;
	if (strcmp(t, op) == 0)
		return true;
	for (size_t i = 0; op[i]; i++)
		if (t[i] != op[i] - 'A' + 'a')
			return false;
	return t[strlen(op)] == '\0';
}

static void emit(struct lexer *x, const char *s)
{
	const char *prev = x->out.len ? x->out.data + x->out.len - 1 : NULL;

	if (prev && *prev != '(' && strcmp(s, ")") != 0)
		(void)brig_buf_append(&x->out, " ", 1, NULL);
	(void)brig_buf_append(&x->out, s, strlen(s), NULL);
}

/* A licence id, optionally "+", as a canonical token. */
static int simple_license(struct lexer *x, const char *t)
{
	const char *id = brig_rpt_spdx_license_id(t);
	size_t n = strlen(t);

	if (id) {
		emit(x, id);
		return 0;
	}
	if (license_ref(t)) {
		emit(x, t);
		return 0;
	}
	if (n > 1 && t[n - 1] == '+') {
		_cleanup_free_ char *base = brig_xstrndup(t, n - 1);
		_cleanup_free_ char *plus = NULL;

		id = brig_rpt_spdx_license_id(base);
		if (!id)
			return -1;
		plus = brig_xasprintf("%s+", id);
		emit(x, plus);
		return 0;
	}
	return -1;
}

static int parse_or(struct lexer *x, unsigned depth);

static int parse_term(struct lexer *x, unsigned depth)
{
	const char *t = peek(x);

	if (!t || depth > 16)
		return -1;
	x->i++;
	if (strcmp(t, "(") == 0) {
		emit(x, "(");
		if (parse_or(x, depth + 1) < 0 || !peek(x) || strcmp(peek(x), ")") != 0)
			return -1;
		x->i++;
		emit(x, ")");
		return 0;
	}
	if (simple_license(x, t) < 0)
		return -1;
	if (is_op(peek(x), "WITH")) {
		const char *exc;

		x->i++;
		exc = peek(x) ? lookup(peek(x), spdx_exception_ids, N_ELEMS(spdx_exception_ids))
			      : NULL;
		if (!exc)
			return -1;
		x->i++;
		emit(x, "WITH");
		emit(x, exc);
	}
	return 0;
}

static int parse_and(struct lexer *x, unsigned depth)
{
	if (parse_term(x, depth) < 0)
		return -1;
	while (is_op(peek(x), "AND")) {
		x->i++;
		emit(x, "AND");
		if (parse_term(x, depth) < 0)
			return -1;
	}
	return 0;
}

static int parse_or(struct lexer *x, unsigned depth)
{
	if (parse_and(x, depth) < 0)
		return -1;
	while (is_op(peek(x), "OR")) {
		x->i++;
		emit(x, "OR");
		if (parse_and(x, depth) < 0)
			return -1;
	}
	return 0;
}

char *brig_rpt_spdx_expression(const char *s)
{
	_cleanup_(lexer_free) struct lexer x = {0};

	if (!s || strlen(s) > MAX_EXPR_LEN)
		return NULL;
	brig_buf_init(&x.out, MAX_EXPR_LEN * 2);
	if (tokenize(&x, s) < 0 || parse_or(&x, 0) < 0 || x.i != x.n)
		return NULL;
	return brig_buf_steal(&x.out, NULL);
}

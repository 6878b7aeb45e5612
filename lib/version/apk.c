/* Alpine version ordering: apk-tools 3's src/version.c tokenizer
 * ("digit{.digit}...{letter}{_suf{#}}...{~hash}{-r#}"), reimplemented.
 * Numbers are compared as digit strings rather than apk's wrapping uint64:
 * the same order for every number below 2^64. */
#include <string.h>

#include "version/version.h"
#include "version/version_private.h"

/* Token kinds in the order apk requires them to appear. */
enum apk_tok {
	TOK_INITIAL_DIGIT,
	TOK_DIGIT,
	TOK_LETTER,
	TOK_SUFFIX,
	TOK_SUFFIX_NO,
	TOK_COMMIT_HASH,
	TOK_REVISION_NO,
	TOK_END,
	TOK_INVALID,
};

/* Suffix ranks: pre-release suffixes below SUF_NONE (the plain release),
 * post-release ones above it. */
enum apk_suffix {
	SUF_INVALID,
	SUF_ALPHA,
	SUF_BETA,
	SUF_PRE,
	SUF_RC,
	SUF_NONE,
	SUF_CVS,
	SUF_SVN,
	SUF_GIT,
	SUF_HG,
	SUF_P,
};

/* Comparison results as apk's bit masks, so operators are masks too. */
enum {
	APK_EQUAL = 1,
	APK_LESS = 2,
	APK_GREATER = 4,
	APK_FUZZY = 8,
	APK_ANY = APK_EQUAL | APK_LESS | APK_GREATER | APK_FUZZY,
};

struct apk_blob {
	const char *p;
	size_t n;
};

struct apk_token {
	enum apk_tok tok;
	enum apk_suffix suffix;
	struct apk_blob value;
};

static enum apk_suffix apk_suffix_value(struct apk_blob s)
{
	static const struct {
		const char *name;
		enum apk_suffix rank;
	} names[] = {
		{ "alpha", SUF_ALPHA }, { "beta", SUF_BETA }, { "pre", SUF_PRE },
		{ "rc", SUF_RC },	{ "cvs", SUF_CVS },   { "svn", SUF_SVN },
		{ "git", SUF_GIT },	{ "hg", SUF_HG },     { "p", SUF_P },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) == s.n && memcmp(names[i].name, s.p, s.n) == 0)
			return names[i].rank;
	}
	return SUF_INVALID;
}

static bool apk_ishex(int c)
{
	return brig_ver_isdigit(c) || (c >= 'a' && c <= 'f');
}

/* Moves the longest prefix of *b whose bytes satisfy pred into t->value. */
static void apk_take(struct apk_token *t, struct apk_blob *b, bool (*pred)(int))
{
	size_t i = 0;

	while (i < b->n && pred((unsigned char)b->p[i]))
		i++;
	t->value.p = b->p;
	t->value.n = i;
	b->p += i;
	b->n -= i;
}

static void apk_take_digits(struct apk_token *t, struct apk_blob *b)
{
	apk_take(t, b, brig_ver_isdigit);
	if (t->value.n == 0)
		t->tok = TOK_INVALID;
}

static void apk_token_first(struct apk_token *t, struct apk_blob *b)
{
	t->tok = TOK_INITIAL_DIGIT;
	t->suffix = SUF_INVALID;
	apk_take_digits(t, b);
}

/* The next token's kind follows from its first byte; a kind that may not
 * follow the previous one makes the rest invalid. */
static void apk_token_next(struct apk_token *t, struct apk_blob *b)
{
	char c;

	if (b->n == 0) {
		t->tok = TOK_END;
		return;
	}
	c = b->p[0];
	if (brig_ver_islower(c)) {
		if (t->tok > TOK_DIGIT)
			goto invalid;
		t->value.p = b->p;
		t->value.n = 1;
		t->tok = TOK_LETTER;
		b->p++, b->n--;
	} else if (c == '.' || brig_ver_isdigit(c)) {
		if (c == '.') {
			if (t->tok > TOK_DIGIT)
				goto invalid;
			b->p++, b->n--;
		}
		if (t->tok == TOK_INITIAL_DIGIT || t->tok == TOK_DIGIT)
			t->tok = TOK_DIGIT;
		else if (t->tok == TOK_SUFFIX)
			t->tok = TOK_SUFFIX_NO;
		else
			goto invalid;
		apk_take_digits(t, b);
	} else if (c == '_') {
		if (t->tok > TOK_SUFFIX_NO)
			goto invalid;
		b->p++, b->n--;
		apk_take(t, b, brig_ver_islower);
		t->suffix = apk_suffix_value(t->value);
		if (t->suffix == SUF_INVALID)
			goto invalid;
		t->tok = TOK_SUFFIX;
	} else if (c == '~') {
		if (t->tok >= TOK_COMMIT_HASH)
			goto invalid;
		b->p++, b->n--;
		apk_take(t, b, apk_ishex);
		if (t->value.n == 0)
			goto invalid;
		t->tok = TOK_COMMIT_HASH;
	} else if (c == '-') {
		if (t->tok >= TOK_REVISION_NO)
			goto invalid;
		if (b->n < 2 || b->p[1] != 'r')
			goto invalid;
		b->p += 2, b->n -= 2;
		t->tok = TOK_REVISION_NO;
		apk_take_digits(t, b);
	} else {
		goto invalid;
	}
	return;
invalid:
	t->tok = TOK_INVALID;
}

static int apk_token_cmp(const struct apk_token *a, const struct apk_token *b)
{
	switch (a->tok) {
	case TOK_DIGIT:
		/* a leading zero makes the component a fraction-like string
		 * (Gentoo's rule): "1.02" < "1.1" */
		if (a->value.p[0] == '0' || b->value.p[0] == '0')
			return brig_ver_bytecmp(a->value.p, a->value.n, b->value.p, b->value.n);
		__attribute__((fallthrough));
	case TOK_INITIAL_DIGIT:
	case TOK_SUFFIX_NO:
	case TOK_REVISION_NO:
		return brig_ver_numcmp(a->value.p, a->value.n, b->value.p, b->value.n);
	case TOK_LETTER:
		return brig_ver_sign((unsigned char)a->value.p[0] - (unsigned char)b->value.p[0]);
	case TOK_SUFFIX:
		return brig_ver_sign((int)a->suffix - (int)b->suffix);
	default:
		return brig_ver_bytecmp(a->value.p, a->value.n, b->value.p, b->value.n);
	}
}

static int apk_compare_mask(const char *sa, const char *sb, bool fuzzy)
{
	struct apk_blob a = { sa, strlen(sa) }, b = { sb, strlen(sb) };
	struct apk_token ta, tb;
	int r;

	apk_token_first(&ta, &a);
	apk_token_first(&tb, &b);
	while (ta.tok == tb.tok && ta.tok < TOK_END) {
		r = apk_token_cmp(&ta, &tb);
		if (r < 0)
			return APK_LESS;
		if (r > 0)
			return APK_GREATER;
		apk_token_next(&ta, &a);
		apk_token_next(&tb, &b);
	}
	if (ta.tok == tb.tok)
		return APK_EQUAL;
	if (tb.tok == TOK_END && fuzzy)
		return APK_EQUAL;
	/* Equal so far: the longer version is newer unless what it has
	 * more of is a pre-release suffix. */
	if (ta.tok == TOK_SUFFIX && ta.suffix < SUF_NONE)
		return APK_LESS;
	if (tb.tok == TOK_SUFFIX && tb.suffix < SUF_NONE)
		return APK_GREATER;
	if (ta.tok > tb.tok)
		return APK_LESS;
	if (tb.tok > ta.tok)
		return APK_GREATER;
	return APK_EQUAL;
}

int brig_ver_apk_compare(const char *a, const char *b)
{
	switch (apk_compare_mask(a, b, false)) {
	case APK_LESS:
		return -1;
	case APK_GREATER:
		return 1;
	default:
		return 0;
	}
}

bool brig_ver_apk_valid(const char *v)
{
	struct apk_blob b = { v, strlen(v) };
	struct apk_token t;

	for (apk_token_first(&t, &b); t.tok < TOK_END; apk_token_next(&t, &b))
		;
	return t.tok == TOK_END;
}

int brig_apk_version_match(const char *a, const char *op, const char *b, struct brig_error *err)
{
	int mask = 0;
	const char *p;

	if (!a)
		a = "";
	if (!b)
		b = "";
	if (!op || !*op)
		return brig_error_set(err, 0, "apk: empty version operator");
	for (p = op; *p; p++) {
		switch (*p) {
		case '<':
			mask |= APK_LESS;
			break;
		case '>':
			mask |= APK_GREATER;
			break;
		case '=':
			mask |= APK_EQUAL;
			break;
		case '~':
			mask |= APK_FUZZY | APK_EQUAL;
			break;
		default:
			return brig_error_set(err, 0, "apk: unknown version operator '%.16s'", op);
		}
	}
	if ((mask & APK_ANY) == APK_ANY)
		return 1;
	return (apk_compare_mask(a, b, (mask & APK_FUZZY) != 0) & mask) ? 1 : 0;
}

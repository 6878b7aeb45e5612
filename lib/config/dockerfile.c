/* Dockerfile parser. It follows BuildKit's frontend/dockerfile parser
 * (parser.go, line_parsers.go, split_command.go, shell/lex.go,
 * instructions/parse.go) closely, because a scanner that reads a file
 * differently from the builder reports on a build that does not exist.
 * Where we deviate, docs/dockerfile-model.md says so. */
#include "config/dockerfile.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse_common.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/cleanup.h"
#include "core/xalloc.h"

/* ------------------------------------------------------------------ */
/* small helpers                                                        */

/* A list of words being built: the vector is malloc'ed, the words are
 * copied into mem (the model's arena), so a list handed to the model
 * (set_argv) and one dropped cost the same. */
struct strv {
	char **v;
	size_t n;
	size_t cap;
	struct brig_arena *mem;
};

static void strv_add(struct strv *s, const char *str, size_t n)
{
	BRIG_GROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = brig_arena_strndup(s->mem, str, n);
}

static void strv_adds(struct strv *s, const char *str)
{
	strv_add(s, str, strlen(str));
}

/* "key=value", or "key" alone when value is NULL */
static void strv_add_pair(struct strv *s, const char *key, const char *value)
{
	size_t kl = strlen(key), vl = value ? strlen(value) : 0;
	char *d = brig_arena_alloc(s->mem, kl + 1 + vl + 1);

	memcpy(d, key, kl);
	if (value) {
		d[kl] = '=';
		memcpy(d + kl + 1, value, vl + 1);
	} else {
		d[kl] = '\0';
	}
	BRIG_GROW(s->v, s->cap, s->n + 1);
	s->v[s->n++] = d;
}

static void strv_free(struct strv *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static inline void strv_freep(struct strv *s)
{
	strv_free(s);
}
#define _cleanup_strv_ __attribute__((cleanup(strv_freep)))

/* BuildKit's reWhitespace: [\t\v\f\r ] (no newline). */
static bool is_rews(int c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static char upper(char c)
{
	return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static bool eq_ci(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if (lower(*a) != lower(*b))
			return false;
	}
	return *a == *b;
}

static void trim_space(const char **s, size_t *n)
{
	while (*n && brig_cfg_isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && brig_cfg_isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static void ltrim_space(const char **s, size_t *n)
{
	while (*n && brig_cfg_isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
}

/* ------------------------------------------------------------------ */
/* the shell-word lexer (BuildKit shell/lex.go)                         */

typedef const char *(*lookup_fn)(void *ctx, const char *name, size_t len);

struct lexer {
	const char *s;
	size_t len;
	size_t pos;
	char esc;
	bool raw_quotes;  /* keep ' and " in the output */
	bool raw_escapes; /* keep the escape character in the output */
	bool skip_unset;  /* BuildKit's SkipUnsetEnv: $UNSET stays as written */
	/* Ours: a variable we have no value for may still be set at build
	 * time (base image ENV, --build-arg, TARGETARCH...), so $X and ${X}
	 * stay as written rather than become "". ${X:-d}/${X:+w} apply. */
	bool keep_unknown;
	lookup_fn lookup;
	void *ctx;
	unsigned depth;
	size_t max;      /* cap on every string produced */
	bool unresolved; /* a $VAR without value was replaced by "" */
	struct brig_error berr;
	char why[256];
};

struct words {
	struct brig_buf cur;
	bool in_word;
	bool only_heredocs; /* keep only words holding "<<": a 4 MiB line of
			     * "a a a ..." would otherwise cost millions of
			     * allocations just to look for heredoc markers */
	struct strv *out;
};

static void lex_init(struct lexer *lx, const char *s, size_t len, char esc, size_t max)
{
	memset(lx, 0, sizeof(*lx));
	lx->s = s;
	lx->len = len;
	lx->esc = esc;
	lx->max = max;
}

__attribute__((format(printf, 2, 3))) static int lex_fail(struct lexer *lx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lx->why, sizeof(lx->why), fmt, ap);
	va_end(ap);
	return -1;
}

static int lex_peek(const struct lexer *lx)
{
	return lx->pos < lx->len ? (unsigned char)lx->s[lx->pos] : -1;
}

static int lex_next(struct lexer *lx)
{
	return lx->pos < lx->len ? (unsigned char)lx->s[lx->pos++] : -1;
}

static int out_add(struct lexer *lx, struct brig_buf *b, const void *p, size_t n)
{
	if (brig_buf_append(b, p, n, &lx->berr))
		return lex_fail(lx, "expansion exceeds %zu bytes", lx->max);
	return 0;
}

static int out_addc(struct lexer *lx, struct brig_buf *b, char c)
{
	return out_add(lx, b, &c, 1);
}

static int out_adds(struct lexer *lx, struct brig_buf *b, const char *s)
{
	return out_add(lx, b, s, strlen(s));
}

static const char *buf_str(const struct brig_buf *b)
{
	return b->data ? b->data : "";
}

static int w_raw_char(struct lexer *lx, struct words *w, char c)
{
	if (!w)
		return 0;
	w->in_word = true;
	return out_addc(lx, &w->cur, c);
}

static void w_flush(struct words *w)
{
	if (w->only_heredocs && !strstr(buf_str(&w->cur), "<<")) {
		brig_buf_reset(&w->cur);
	} else {
		strv_add(w->out, buf_str(&w->cur), w->cur.len);
		brig_buf_reset(&w->cur);
	}
	w->in_word = false;
}

/* Unquoted text splits words at whitespace; quoted text never does. */
static int w_char(struct lexer *lx, struct words *w, char c)
{
	if (!w)
		return 0;
	if (brig_cfg_isspace((unsigned char)c)) {
		if (w->in_word && w->cur.len)
			w_flush(w);
		return 0;
	}
	return w_raw_char(lx, w, c);
}

static int w_string(struct lexer *lx, struct words *w, const char *s, size_t n)
{
	for (size_t i = 0; w && i < n; i++) {
		if (w_char(lx, w, s[i]))
			return -1;
	}
	return 0;
}

static int w_raw_string(struct lexer *lx, struct words *w, const char *s, size_t n)
{
	if (!w)
		return 0;
	w->in_word = true;
	return out_add(lx, &w->cur, s, n);
}

static int lex_dollar(struct lexer *lx, struct brig_buf *out);

static int lex_single(struct lexer *lx, struct brig_buf *out)
{
	int ch = lex_next(lx);

	if (lx->raw_quotes && out_addc(lx, out, (char)ch))
		return -1;
	for (;;) {
		ch = lex_next(lx);
		if (ch < 0)
			return lex_fail(lx, "unexpected end of statement while looking for matching single-quote");
		if (ch == '\'')
			return lx->raw_quotes ? out_addc(lx, out, (char)ch) : 0;
		if (out_addc(lx, out, (char)ch))
			return -1;
	}
}

static int lex_double(struct lexer *lx, struct brig_buf *out)
{
	int ch = lex_next(lx);

	if (lx->raw_quotes && out_addc(lx, out, (char)ch))
		return -1;
	for (;;) {
		int p = lex_peek(lx);

		if (p < 0)
			return lex_fail(lx, "unexpected end of statement while looking for matching double-quote");
		if (p == '"') {
			lex_next(lx);
			return lx->raw_quotes ? out_addc(lx, out, '"') : 0;
		}
		if (p == '$') {
			if (lex_dollar(lx, out))
				return -1;
			continue;
		}
		ch = lex_next(lx);
		if (ch == (unsigned char)lx->esc) {
			if (lx->raw_escapes && out_addc(lx, out, (char)ch))
				return -1;
			p = lex_peek(lx);
			if (p < 0)
				continue; /* reported as the missing quote */
			/* only " $ and the escape itself are escapable in "..." */
			if (p == '"' || p == '$' || p == (unsigned char)lx->esc)
				ch = lex_next(lx);
		}
		if (out_addc(lx, out, (char)ch))
			return -1;
	}
}

/* Bytes lex_stop_on does more with than copy: quotes, '$', both escape
 * characters (the one that is not the escape is copied on the slower
 * path all the same), and, when words are split, whitespace. */
#define LEX_SPECIAL ['$'] = true, ['\''] = true, ['"'] = true, ['\\'] = true, ['`'] = true
static const bool lex_special[2][256] = {
	{LEX_SPECIAL},
	{LEX_SPECIAL, [' '] = true, ['\t'] = true, ['\n'] = true, ['\v'] = true, ['\f'] = true,
	 ['\r'] = true},
};

/* Copied as it is by lex_stop_on: not the stop character, no quote,
 * expansion or escape, and no word break when words are being split. */
static inline bool lex_plain(int ch, int stop, const struct words *w)
{
	return !lex_special[w != NULL][ch] && ch != stop;
}

/* Reads text up to stop (consumed; -1: end of input). raw_esc overrides
 * raw_escapes for this level only, as BuildKit does for ${v#pattern}. */
static int lex_stop_on(struct lexer *lx, int stop, bool raw_esc, struct brig_buf *out,
		       struct words *w)
{
	bool saved = lx->raw_escapes;
	int rc = 0;

	lx->raw_escapes = raw_esc;
	while (lx->pos < lx->len) {
		int ch = (unsigned char)lx->s[lx->pos];

		if (stop >= 0 && ch == stop) {
			lx->pos++;
			goto done;
		}
		if (lex_plain(ch, stop, w)) {
			/* a run of characters that only get copied: one append */
			size_t end = lx->pos + 1, n;

			while (end < lx->len && lex_plain((unsigned char)lx->s[end], stop, w))
				end++;
			n = end - lx->pos;
			if ((rc = w_raw_string(lx, w, lx->s + lx->pos, n)) ||
			    (rc = out_add(lx, out, lx->s + lx->pos, n)))
				goto done;
			lx->pos = end;
			continue;
		}
		if (ch == '$' || ch == '\'' || ch == '"') {
			/* the lexers only append: the segment is out's new tail */
			size_t from = out->len;

			if (ch == '$')
				rc = lex_dollar(lx, out);
			else if (ch == '\'')
				rc = lex_single(lx, out);
			else
				rc = lex_double(lx, out);
			if (!rc && !out->data)
				rc = out_add(lx, out, "", 0);
			if (!rc)
				rc = ch == '$' ? w_string(lx, w, out->data + from, out->len - from)
					       : w_raw_string(lx, w, out->data + from, out->len - from);
			if (rc)
				goto done;
			continue;
		}
		lx->pos++;
		if (ch == (unsigned char)lx->esc) {
			if (lx->raw_escapes &&
			    (w_raw_char(lx, w, (char)ch) || out_addc(lx, out, (char)ch))) {
				rc = -1;
				goto done;
			}
			if (lx->pos >= lx->len)
				break;
			ch = (unsigned char)lx->s[lx->pos++];
			rc = w_raw_char(lx, w, (char)ch);
		} else {
			rc = w_char(lx, w, (char)ch);
		}
		if (rc || (rc = out_addc(lx, out, (char)ch)))
			goto done;
	}
	if (stop >= 0)
		rc = lex_fail(lx, "unexpected end of statement while looking for matching %c", stop);
done:
	lx->raw_escapes = saved;
	return rc;
}

static bool is_special_param(int c)
{
	return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!' ||
	       c == '0';
}

static int lex_name(struct lexer *lx, struct brig_buf *name)
{
	int c = lex_peek(lx);

	if (is_digit(c)) {
		while (is_digit(lex_peek(lx))) {
			if (out_addc(lx, name, (char)lex_next(lx)))
				return -1;
		}
		return 0;
	}
	if (c >= 0 && is_special_param(c))
		return out_addc(lx, name, (char)lex_next(lx));
	while ((c = lex_peek(lx)) >= 0 && (is_alnum(c) || c == '_')) {
		if (out_addc(lx, name, (char)lex_next(lx)))
			return -1;
	}
	return 0;
}

static const char *lex_lookup(struct lexer *lx, const struct brig_buf *name)
{
	if (!lx->lookup)
		return NULL;
	return lx->lookup(lx->ctx, buf_str(name), name->len);
}

/* Shell patterns of ${v#p} ${v%p} ${v/p/r}: '*', '?', literal bytes. */
#define PAT_STAR (-1)
#define PAT_ANY (-2)

struct pat {
	int tok[BRIG_DF_MAX_PATTERN];
	size_t n;
};

static int pat_compile(struct lexer *lx, const char *p, size_t n, struct pat *out)
{
	out->n = 0;
	for (size_t i = 0; i < n; i++) {
		int t = (unsigned char)p[i];

		if (t == '*') {
			t = PAT_STAR;
		} else if (t == '?') {
			t = PAT_ANY;
		} else if (t == '\\') {
			/* "\}" and "\/" only protect the delimiter */
			if (i + 1 < n && (p[i + 1] == '}' || p[i + 1] == '/'))
				continue;
			if (i + 1 >= n || (p[i + 1] != '*' && p[i + 1] != '?' && p[i + 1] != '\\'))
				return lex_fail(lx, "invalid pattern (%.*s) in substitution", (int)n, p);
			t = (unsigned char)p[++i];
		}
		if (out->n >= BRIG_DF_MAX_PATTERN)
			return lex_fail(lx, "pattern in substitution longer than %u", BRIG_DF_MAX_PATTERN);
		out->tok[out->n++] = t;
	}
	return 0;
}

/* Whole-string wildcard match with one backtrack point: O(len * pattern). */
static bool pat_match(const struct pat *p, const char *s, size_t n)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;

	while (si < n) {
		if (pi < p->n && (p->tok[pi] == PAT_ANY || p->tok[pi] == (unsigned char)s[si])) {
			pi++;
			si++;
		} else if (pi < p->n && p->tok[pi] == PAT_STAR) {
			star = pi++;
			mark = si;
		} else if (star != SIZE_MAX) {
			pi = star + 1;
			si = ++mark;
		} else {
			return false;
		}
	}
	while (pi < p->n && p->tok[pi] == PAT_STAR)
		pi++;
	return pi == p->n;
}

/* ${v#p} ${v##p} (prefix) and ${v%p} ${v%%p} (suffix). */
static int pat_trim(struct lexer *lx, const char *pattern, size_t plen, const char *v, bool suffix,
		    bool greedy, struct brig_buf *out)
{
	size_t n = strlen(v);
	struct pat p;

	if (n > BRIG_DF_MAX_PATTERN_VALUE)
		return lex_fail(lx, "value longer than %u for pattern substitution",
				BRIG_DF_MAX_PATTERN_VALUE);
	if (pat_compile(lx, pattern, plen, &p))
		return -1;
	for (size_t k = 0; k <= n; k++) {
		/* prefix: shortest tries lengths 0..n, greedy n..0; suffix
		 * likewise on the tail */
		size_t len = greedy ? n - k : k;

		if (!suffix && pat_match(&p, v, len))
			return out_adds(lx, out, v + len);
		if (suffix && pat_match(&p, v + n - len, len))
			return out_add(lx, out, v, n - len);
	}
	return out_adds(lx, out, v);
}

/* ${v/p/r} (first match) and ${v//p/r} (all), leftmost-longest. */
static int pat_replace(struct lexer *lx, const char *pattern, size_t plen, const char *repl,
		       const char *v, bool all, struct brig_buf *out)
{
	size_t n = strlen(v), i = 0;
	bool done = false;
	struct pat p;

	if (n > BRIG_DF_MAX_PATTERN_VALUE)
		return lex_fail(lx, "value longer than %u for pattern substitution",
				BRIG_DF_MAX_PATTERN_VALUE);
	if (pat_compile(lx, pattern, plen, &p))
		return -1;
	while (i <= n) {
		size_t mlen = SIZE_MAX;

		if (!done) {
			for (size_t len = n - i + 1; len-- > 0;) {
				if (pat_match(&p, v + i, len)) {
					mlen = len;
					break;
				}
			}
		}
		if (mlen == SIZE_MAX) {
			if (i < n && out_addc(lx, out, v[i]))
				return -1;
			i++;
			continue;
		}
		if (out_adds(lx, out, repl))
			return -1;
		if (!all)
			done = true;
		if (mlen == 0) {
			if (i < n && out_addc(lx, out, v[i]))
				return -1;
			i++;
		} else {
			i += mlen;
		}
	}
	return 0;
}

/* A reference to a variable without value: "" as BuildKit does, or the
 * reference itself, verbatim, in skip_unset/keep_unknown mode. */
static int lex_unknown(struct lexer *lx, struct brig_buf *out, size_t start)
{
	if (lx->keep_unknown)
		lx->unresolved = true;
	if (lx->skip_unset || lx->keep_unknown)
		return out_add(lx, out, lx->s + start, lx->pos - start);
	return 0;
}

static int lex_braced(struct lexer *lx, struct brig_buf *out, size_t start)
{
	_cleanup_buf_ struct brig_buf name = {0};
	_cleanup_buf_ struct brig_buf word = {0};
	bool null_unset = false;
	char chs[3] = {0};
	const char *v;
	int ch;

	brig_buf_init(&name, lx->max);
	brig_buf_init(&word, lx->max);
	if (lex_name(lx, &name))
		return -1;
	ch = lex_next(lx);
	chs[0] = ch < 0 ? '?' : (char)ch;
	switch (ch) {
	case '}':
		v = lex_lookup(lx, &name);
		if (v)
			return out_adds(lx, out, v);
		return lex_unknown(lx, out, start);
	case ':':
		null_unset = true;
		ch = lex_next(lx);
		chs[1] = ch < 0 ? '?' : (char)ch;
		/* BuildKit handles any char after ':' as the modifier */
		__attribute__((fallthrough));
	case '+':
	case '-':
	case '?':
	case '#':
	case '%': {
		bool set, greedy = false;
		const char *w;
		size_t wlen;

		if (lex_stop_on(lx, '}', ch == '#' || ch == '%', &word, NULL)) {
			if (lex_peek(lx) < 0)
				return lex_fail(lx, "syntax error: missing '}'");
			return -1;
		}
		v = lex_lookup(lx, &name);
		set = v != NULL;
		if (!set && (lx->skip_unset ||
			     (lx->keep_unknown && (ch == '?' || ch == '#' || ch == '%'))))
			return lex_unknown(lx, out, start);
		switch (ch) {
		case '-':
			if (!set || (null_unset && !*v))
				return out_add(lx, out, buf_str(&word), word.len);
			return out_adds(lx, out, v);
		case '+':
			if (!set || (null_unset && !*v))
				return 0;
			return out_add(lx, out, buf_str(&word), word.len);
		case '?':
			if (!set)
				return lex_fail(lx, "%s: %s", buf_str(&name),
						word.len ? buf_str(&word) : "is not allowed to be unset");
			if (null_unset && !*v)
				return lex_fail(lx, "%s: %s", buf_str(&name),
						word.len ? buf_str(&word) : "is not allowed to be empty");
			return out_adds(lx, out, v);
		case '%':
		case '#':
			w = buf_str(&word);
			wlen = word.len;
			if (wlen && w[0] == ch) {
				greedy = true;
				w++;
				wlen--;
			}
			if (!set)
				v = "";
			return pat_trim(lx, w, wlen, v, ch == '%', greedy, out);
		default:
			return lex_fail(lx, "unsupported modifier (%s) in substitution", chs);
		}
	}
	case '/': {
		_cleanup_buf_ struct brig_buf repl = {0};
		bool all = lex_peek(lx) == '/';

		brig_buf_init(&repl, lx->max);
		if (all)
			lex_next(lx);
		if (lex_stop_on(lx, '/', true, &word, NULL)) {
			if (lex_peek(lx) < 0)
				return lex_fail(lx, "syntax error: missing '/' in ${}");
			return -1;
		}
		if (lex_stop_on(lx, '}', true, &repl, NULL)) {
			if (lex_peek(lx) < 0)
				return lex_fail(lx, "syntax error: missing '}'");
			return -1;
		}
		v = lex_lookup(lx, &name);
		if (!v && (lx->skip_unset || lx->keep_unknown))
			return lex_unknown(lx, out, start);
		if (!v)
			v = "";
		return pat_replace(lx, buf_str(&word), word.len, buf_str(&repl), v, all, out);
	}
	default:
		return lex_fail(lx, "unsupported modifier (%s) in substitution", chs);
	}
}

static int lex_dollar(struct lexer *lx, struct brig_buf *out)
{
	size_t start = lx->pos;
	int rc;

	lex_next(lx); /* '$' */
	if (lex_peek(lx) != '{') {
		_cleanup_buf_ struct brig_buf name = {0};
		const char *v;

		brig_buf_init(&name, lx->max);
		if (lex_name(lx, &name))
			return -1;
		if (!name.len)
			return out_addc(lx, out, '$');
		v = lex_lookup(lx, &name);
		if (v)
			return out_adds(lx, out, v);
		return lex_unknown(lx, out, start);
	}
	lex_next(lx); /* '{' */
	switch (lex_peek(lx)) {
	case -1:
		return lex_fail(lx, "syntax error: missing '}'");
	case '{':
	case '}':
	case ':':
		return lex_fail(lx, "syntax error: bad substitution");
	}
	/* ${a:-${b:-${c...}}} recurses: bound it. */
	if (lx->depth >= BRIG_DF_MAX_SUBST_DEPTH)
		return lex_fail(lx, "substitutions nested deeper than %u", BRIG_DF_MAX_SUBST_DEPTH);
	lx->depth++;
	rc = lex_braced(lx, out, start);
	lx->depth--;
	return rc;
}

/* Processes the whole input; words (may be NULL) receives the split words. */
static int lex_process_words(struct lexer *lx, struct brig_buf *out, struct strv *wordsv,
			     bool only_heredocs)
{
	struct words w;
	int rc;

	if (!wordsv)
		return lex_stop_on(lx, -1, lx->raw_escapes, out, NULL);
	w.in_word = false;
	w.only_heredocs = only_heredocs;
	w.out = wordsv;
	brig_buf_init(&w.cur, lx->max);
	rc = lex_stop_on(lx, -1, lx->raw_escapes, out, &w);
	if (!rc && w.cur.len)
		w_flush(&w);
	brig_buf_free(&w.cur);
	return rc;
}

static int lex_process(struct lexer *lx, struct brig_buf *out, struct strv *wordsv)
{
	return lex_process_words(lx, out, wordsv, false);
}

/* ------------------------------------------------------------------ */
/* parser state                                                         */

struct scope {
	struct brig_cfg_env env;  /* ENV set in this stage */
	struct brig_cfg_env args; /* ARG values in this stage */
	long parent;              /* stage whose ENV this one inherits, -1 */
	unsigned depth;           /* length of the parent chain */
};

struct parser {
	const char *data;
	size_t len;
	size_t pos;
	unsigned line;
	const char *name;
	char esc;
	bool dir_done;
	bool seen_escape, seen_syntax, seen_check;
	struct brig_dockerfile *df;
	struct brig_arena *mem; /* df's: everything the model holds */
	struct brig_error *err;
	struct brig_cfg_env build_args;
	struct brig_cfg_env meta; /* global ARG values, for FROM */
	struct scope *scopes;     /* parallel to df->stages */
	size_t scopes_cap;
	size_t stages_cap, globals_cap, directives_cap;
	size_t budget; /* expansion output bytes still allowed */
	bool no_shell_preview;
	size_t n_instructions;
};

__attribute__((format(printf, 3, 4))) static int perr(struct parser *p, unsigned line,
						      const char *fmt, ...)
{
	char msg[BRIG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return brig_error_set(p->err, EINVAL, "%s:%u: %s", p->name, line ? line : 1, msg);
}

/* 1: a line (without "\n"), 0: end of input, -1: error. */
static int next_line(struct parser *p, const char **l, size_t *n)
{
	const char *s, *nl;
	size_t len;

	if (p->pos >= p->len)
		return 0;
	s = p->data + p->pos;
	nl = memchr(s, '\n', p->len - p->pos);
	len = nl ? (size_t)(nl - s) : p->len - p->pos;
	p->line++;
	if (len > BRIG_DF_MAX_LINE)
		return perr(p, p->line, "dockerfile line greater than max allowed size of %u",
			    BRIG_DF_MAX_LINE);
	/* A NUL would silently cut every C string built from this line. */
	if (memchr(s, '\0', len))
		return perr(p, p->line, "NUL byte in Dockerfile");
	p->pos += len + (nl ? 1 : 0);
	*l = s;
	*n = len;
	return 1;
}

static void trim_newline(const char *l, size_t *n)
{
	while (*n && (l[*n - 1] == '\r' || l[*n - 1] == '\n'))
		(*n)--;
}

static bool is_comment(const char *l, size_t n)
{
	ltrim_space(&l, &n);
	return n && l[0] == '#';
}

static bool is_re_s(int c) /* RE2 \s */
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* `# name = value` before anything else (BuildKit DirectiveParser). */
static int check_directive(struct parser *p, const char *l, size_t n)
{
	struct brig_df_directive *d;
	const char *name, *val;
	size_t k, i, nlen, vlen;
	char lname[16];

	if (p->dir_done)
		return 0;
	if (!n || l[0] != '#')
		goto done;
	l++;
	n--;
	ltrim_space(&l, &n);
	/* ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ */
	if (!n || !is_alpha((unsigned char)l[0]))
		goto done;
	for (k = 1; k < n && is_alnum((unsigned char)l[k]); k++)
		;
	name = l;
	nlen = k;
	for (i = k; i < n && is_re_s((unsigned char)l[i]); i++)
		;
	if (i >= n || l[i] != '=')
		goto done;
	i++;
	if (i >= n)
		goto done;
	val = l + i;
	vlen = n - i;
	while (vlen && is_re_s((unsigned char)*val)) {
		val++;
		vlen--;
	}
	if (!vlen) {
		/* all blank: the lazy (.+?) takes the last blank */
		val = l + n - 1;
		vlen = 1;
	} else {
		while (vlen && is_re_s((unsigned char)val[vlen - 1]))
			vlen--;
	}
	if (nlen >= sizeof(lname))
		goto done;
	for (k = 0; k < nlen; k++)
		lname[k] = lower(name[k]);
	lname[nlen] = '\0';
	bool *seen = !strcmp(lname, "escape")   ? &p->seen_escape
		     : !strcmp(lname, "syntax") ? &p->seen_syntax
		     : !strcmp(lname, "check")  ? &p->seen_check
						: NULL;
	if (!seen)
		goto done;
	if (*seen)
		return perr(p, p->line, "only one %s parser directive can be used", lname);
	*seen = true;
	if (seen == &p->seen_escape) {
		if (vlen != 1 || (val[0] != '\\' && val[0] != '`'))
			return perr(p, p->line, "invalid escape token '%.*s' does not match ` or \\",
				    (int)(vlen > 64 ? 64 : vlen), val);
		p->esc = val[0];
		p->df->escape = val[0];
	}
	BRIG_ARENA_GROW(p->mem, p->df->directives, p->directives_cap, p->df->n_directives + 1);
	d = &p->df->directives[p->df->n_directives++];
	d->name = brig_arena_strdup(p->mem, lname);
	d->value = brig_arena_strndup(p->mem, val, vlen);
	d->line = p->line;
	return 0;
done:
	p->dir_done = true;
	return 0;
}

/* The escape character as the last non-blank is a continuation, unless it
 * is itself escaped (BuildKit's lineContinuationRegex). */
static bool trim_continuation(const char *l, size_t *n, char esc)
{
	size_t k = *n;

	while (k && (l[k - 1] == ' ' || l[k - 1] == '\t'))
		k--;
	if (!k || l[k - 1] != esc)
		return false;
	if (k == 1) {
		*n = 0;
		return true;
	}
	if (l[k - 2] == esc)
		return false;
	*n = k - 1;
	return true;
}

/* ------------------------------------------------------------------ */
/* instruction syntax                                                   */

static const struct {
	const char *name;
	enum brig_df_cmd cmd;
} commands[] = {
	{"ADD", BRIG_DF_ADD},
	{"ARG", BRIG_DF_ARG},
	{"CMD", BRIG_DF_CMD},
	{"COPY", BRIG_DF_COPY},
	{"ENTRYPOINT", BRIG_DF_ENTRYPOINT},
	{"ENV", BRIG_DF_ENV},
	{"EXPOSE", BRIG_DF_EXPOSE},
	{"FROM", BRIG_DF_FROM},
	{"HEALTHCHECK", BRIG_DF_HEALTHCHECK},
	{"LABEL", BRIG_DF_LABEL},
	{"MAINTAINER", BRIG_DF_MAINTAINER},
	{"ONBUILD", BRIG_DF_ONBUILD},
	{"RUN", BRIG_DF_RUN},
	{"SHELL", BRIG_DF_SHELL},
	{"STOPSIGNAL", BRIG_DF_STOPSIGNAL},
	{"USER", BRIG_DF_USER},
	{"VOLUME", BRIG_DF_VOLUME},
	{"WORKDIR", BRIG_DF_WORKDIR},
};

const char *brig_df_cmd_name(enum brig_df_cmd cmd)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i].cmd == cmd)
			return commands[i].name;
	}
	return "UNKNOWN";
}

/* kw is upper-cased already */
static enum brig_df_cmd lookup_cmd(const char *kw)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (kw[0] == commands[i].name[0] && strcmp(kw, commands[i].name) == 0)
			return commands[i].cmd;
	}
	return BRIG_DF_UNKNOWN;
}

/* BuildKit's extractBuilderFlags: leading --words (quotes and backslash
 * escapes processed), up to the first word not starting with "--" or a
 * bare "--". *rest is what follows. */
static void extract_flags(const char *s, size_t n, struct strv *out, const char **rest,
			  size_t *rest_n)
{
	enum { IN_SPACES, IN_WORD, IN_QUOTE } phase = IN_SPACES;
	_cleanup_buf_ struct brig_buf word = {0};
	struct brig_error e;
	bool blank_ok = false;
	char quote = 0;

	brig_buf_init(&word, SIZE_MAX);
	*rest = s + n;
	*rest_n = 0;
	for (size_t pos = 0; pos <= n; pos++) {
		char ch = pos < n ? s[pos] : 0;

		if (phase == IN_SPACES) {
			if (pos == n)
				break;
			if (brig_cfg_isspace((unsigned char)ch))
				continue;
			if (ch != '-' || pos + 1 == n || s[pos + 1] != '-') {
				*rest = s + pos;
				*rest_n = n - pos;
				return;
			}
			phase = IN_WORD;
		}
		if (pos == n) {
			if (strcmp(buf_str(&word), "--") && (blank_ok || word.len))
				strv_add(out, buf_str(&word), word.len);
			break;
		}
		if (phase == IN_WORD) {
			if (brig_cfg_isspace((unsigned char)ch)) {
				phase = IN_SPACES;
				if (!strcmp(buf_str(&word), "--")) {
					*rest = s + pos;
					*rest_n = n - pos;
					return;
				}
				if (blank_ok || word.len)
					strv_add(out, buf_str(&word), word.len);
				brig_buf_reset(&word);
				blank_ok = false;
				continue;
			}
			if (ch == '\'' || ch == '"') {
				quote = ch;
				blank_ok = true;
				phase = IN_QUOTE;
				continue;
			}
			if (ch == '\\') {
				if (pos + 1 == n)
					continue;
				ch = s[++pos];
			}
			brig_buf_append(&word, &ch, 1, &e);
			continue;
		}
		/* IN_QUOTE */
		if (ch == quote) {
			phase = IN_WORD;
			continue;
		}
		if (ch == '\\') {
			if (pos + 1 == n) {
				phase = IN_WORD;
				continue;
			}
			ch = s[++pos];
		}
		brig_buf_append(&word, &ch, 1, &e);
	}
}

/* BuildKit's parseWords: whitespace-separated words, quotes and escapes
 * kept (they are removed later, at expansion). */
static void parse_words(const char *s, size_t n, char esc, struct strv *out)
{
	size_t pos = 0;

	/* Quotes and escapes are kept, so a word is a slice of s: only an
	 * escape that is the last byte of s is left out. */
	for (;;) {
		size_t start, end;
		char quote = 0;

		while (pos < n && brig_cfg_isspace((unsigned char)s[pos]))
			pos++;
		if (pos >= n)
			return;
		start = pos;
		end = n;
		for (; pos < n; pos++) {
			char ch = s[pos];

			if (quote && ch == quote) {
				quote = 0;
				continue;
			}
			if (!quote && brig_cfg_isspace((unsigned char)ch)) {
				end = pos;
				break;
			}
			if (!quote && (ch == '\'' || ch == '"')) {
				quote = ch;
				continue;
			}
			if (ch == esc && quote != '\'') {
				if (pos + 1 == n) {
					end = pos;
					pos = n;
					break;
				}
				pos++;
			}
		}
		if (end > start)
			strv_add(out, s + start, end - start);
	}
}

/* reWhitespace.Split(s, limit) on text already trimmed of spaces. */
static void split_ws(const char *s, size_t n, size_t limit, struct strv *out)
{
	while (n) {
		size_t k = 0;

		if (limit && out->n + 1 == limit) {
			strv_add(out, s, n);
			return;
		}
		while (k < n && !is_rews((unsigned char)s[k]))
			k++;
		strv_add(out, s, k);
		if (k == n)
			return;
		while (k < n && is_rews((unsigned char)s[k]))
			k++;
		s += k;
		n -= k;
		if (!n)
			strv_add(out, "", 0);
	}
}

/* 1: a JSON array of strings (exec form), 0: not JSON (shell form),
 * -1: a JSON array holding something else, which BuildKit refuses. Like
 * Go's json.Decoder, text after the first JSON value is ignored. */
static bool json_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The usual exec form, an array of strings of printable ASCII without
 * escapes, read here; 1 when it is one, else 0 with out as it was, and
 * jansson decides (escapes, UTF-8, malformed or non-string JSON). */
static int json_plain_strings(const char *s, size_t n, struct strv *out)
{
	size_t i = 1, n0 = out->n;

	while (i < n && json_ws(s[i]))
		i++;
	if (i < n && s[i] == ']')
		return 1;
	while (i < n && s[i] == '"') {
		size_t start = ++i;

		while (i < n && s[i] != '"' && s[i] != '\\' && (unsigned char)s[i] >= 0x20 &&
		       (unsigned char)s[i] < 0x80)
			i++;
		if (i >= n || s[i] != '"')
			break;
		strv_add(out, s + start, i - start);
		for (i++; i < n && json_ws(s[i]); i++)
			;
		if (i < n && s[i] == ']')
			return 1;
		if (i >= n || s[i] != ',')
			break;
		for (i++; i < n && json_ws(s[i]); i++)
			;
	}
	out->n = n0;
	return 0;
}

static int parse_json_array(const char *s, size_t n, struct strv *out)
{
	json_error_t je;
	json_t *j, *el;
	size_t i;

	ltrim_space(&s, &n);
	if (!n || s[0] != '[')
		return 0;
	if (json_plain_strings(s, n, out))
		return 1;
	j = json_loadb(s, n, JSON_DISABLE_EOF_CHECK, &je);
	if (!j)
		return 0;
	if (!json_is_array(j)) {
		json_decref(j);
		return 0;
	}
	json_array_foreach(j, i, el) {
		if (!json_is_string(el)) {
			json_decref(j);
			strv_free(out);
			return -1;
		}
		strv_add(out, json_string_value(el), json_string_length(el));
	}
	json_decref(j);
	return 1;
}

/* v's words become the instruction's argv (an array in v->mem); v is
 * left empty. */
static void set_argv(struct brig_df_instruction *ins, struct strv *v)
{
	ins->argc = v->n;
	ins->argv = NULL;
	if (v->n) {
		ins->argv = brig_arena_calloc(v->mem, v->n + 1, sizeof(*ins->argv));
		memcpy(ins->argv, v->v, v->n * sizeof(*ins->argv));
	}
	strv_free(v);
}

static void add_kv(struct parser *p, struct brig_df_instruction *ins, size_t *cap, const char *k,
		   size_t klen, const char *v, size_t vlen, bool has_value)
{
	struct brig_df_kv *kv;

	BRIG_ARENA_GROW(p->mem, ins->kvs, *cap, ins->n_kvs + 1);
	kv = &ins->kvs[ins->n_kvs++];
	kv->key = brig_arena_strndup(p->mem, k, klen);
	kv->value_raw = has_value ? brig_arena_strndup(p->mem, v, vlen) : NULL;
	kv->value = NULL;
}

/* ENV and LABEL: "k=v k2=v2" or the legacy "k v w" (BuildKit parseNameVal). */
static int parse_name_val(struct parser *p, struct brig_df_instruction *ins, unsigned line)
{
	_cleanup_strv_ struct strv words = {.mem = p->mem};
	size_t cap = 0;
	const char *a = ins->args;

	parse_words(a, strlen(a), p->esc, &words);
	if (!words.n)
		return perr(p, line, "%s requires at least one argument", ins->keyword);
	if (!strchr(words.v[0], '=')) {
		_cleanup_strv_ struct strv parts = {.mem = p->mem};

		split_ws(a, strlen(a), 2, &parts);
		if (parts.n < 2)
			return perr(p, line, "%s must have two arguments", ins->keyword);
		add_kv(p, ins, &cap, parts.v[0], strlen(parts.v[0]), parts.v[1], strlen(parts.v[1]),
		       true);
	} else {
		for (size_t i = 0; i < words.n; i++) {
			const char *eq = strchr(words.v[i], '=');

			if (!eq)
				return perr(p, line,
					    "Syntax error - can't find = in \"%.200s\". Must be of the form: name=value",
					    words.v[i]);
			add_kv(p, ins, &cap, words.v[i], (size_t)(eq - words.v[i]), eq + 1,
			       strlen(eq + 1), true);
		}
	}
	for (size_t i = 0; i < ins->n_kvs; i++) {
		if (!ins->kvs[i].key[0])
			return perr(p, line, "%s names can not be blank", ins->keyword);
	}
	return 0;
}

/* `[fd]<<[-]WORD` heredoc markers on an instruction line (BuildKit's
 * heredocsFromLine + ParseHeredoc). */
static int find_heredocs(struct parser *p, const char *line, struct brig_df_instruction *ins,
			 unsigned start)
{
	_cleanup_strv_ struct strv words = {.mem = p->mem};
	_cleanup_buf_ struct brig_buf out = {0};
	struct lexer lx;
	size_t cap = 0;

	if (!strstr(line, "<<"))
		return 0;
	brig_buf_init(&out, SIZE_MAX);
	lex_init(&lx, line, strlen(line), '\\', SIZE_MAX);
	lx.raw_quotes = lx.raw_escapes = lx.skip_unset = true;
	/* BuildKit ignores a lexing error here: the line then has no heredoc */
	if (lex_process_words(&lx, &out, &words, true))
		return 0;
	for (size_t i = 0; i < words.n; i++) {
		_cleanup_strv_ struct strv plain = {.mem = p->mem};
		_cleanup_strv_ struct strv raw = {.mem = p->mem};
		const char *w = words.v[i], *rest;
		unsigned long long fd = 0;
		bool chomp = false, fd_ok = true;
		struct brig_df_heredoc *h;
		size_t k = 0, q1 = 0, q2 = 0;

		while (is_digit((unsigned char)w[k])) {
			if (fd > 0xffffffffull / 10)
				fd_ok = false;
			fd = fd * 10 + (unsigned)(w[k] - '0');
			k++;
		}
		if (w[k] != '<' || w[k + 1] != '<')
			continue;
		k += 2;
		if (w[k] == '-') {
			chomp = true;
			k++;
		}
		rest = w + k;
		if (!*rest || strchr(rest, '<'))
			continue;
		brig_buf_reset(&out);
		lex_init(&lx, rest, strlen(rest), '\\', SIZE_MAX);
		lx.skip_unset = true;
		if (lex_process(&lx, &out, &plain))
			return perr(p, start, "%s", lx.why);
		if (plain.n != 1)
			continue;
		brig_buf_reset(&out);
		lex_init(&lx, rest, strlen(rest), '\\', SIZE_MAX);
		lx.skip_unset = lx.raw_quotes = true;
		if (lex_process(&lx, &out, &raw))
			return perr(p, start, "%s", lx.why);
		if (raw.n != 1)
			return perr(p, start, "internal lexing of heredoc produced inconsistent results: %.200s",
				    rest);
		for (const char *c = plain.v[0]; *c; c++)
			q1 += *c == '\'' || *c == '"';
		for (const char *c = raw.v[0]; *c; c++)
			q2 += *c == '\'' || *c == '"';
		BRIG_ARENA_GROW(p->mem, ins->heredocs, cap, ins->n_heredocs + 1);
		h = &ins->heredocs[ins->n_heredocs++];
		memset(h, 0, sizeof(*h));
		h->delimiter = plain.v[0];
		h->strip_tabs = chomp;
		h->quoted = q1 != q2;
		h->fd = fd_ok ? (unsigned)fd : 0;
	}
	return 0;
}

static bool heredoc_word(const char *w)
{
	size_t k = 0;

	while (is_digit((unsigned char)w[k]))
		k++;
	if (w[k] != '<' || w[k + 1] != '<')
		return false;
	k += 2;
	if (w[k] == '-')
		k++;
	return w[k] && !strchr(w + k, '<');
}

/* One logical line (continuations joined) -> instruction syntax. trigger:
 * parsing an ONBUILD trigger, where BuildKit tolerates unknown keywords. */
static int parse_line(struct parser *p, const char *s, size_t n, unsigned line, bool trigger,
		      struct brig_df_instruction *ins)
{
	_cleanup_strv_ struct strv fwords = {.mem = p->mem};
	_cleanup_strv_ struct strv v = {.mem = p->mem};
	const char *rest = s, *args;
	size_t k = 0, rest_n = 0, args_n;
	int rc;

	trim_space(&s, &n);
	while (k < n && !is_rews((unsigned char)s[k]))
		k++;
	ins->keyword_raw = brig_arena_strndup(p->mem, s, k);
	ins->keyword = brig_arena_strndup(p->mem, s, k);
	for (char *c = ins->keyword; *c; c++)
		*c = upper(*c);
	ins->start_line = ins->end_line = line;
	rest = s + k;
	rest_n = n - k;
	while (rest_n && is_rews((unsigned char)*rest)) {
		rest++;
		rest_n--;
	}
	args = rest;
	args_n = rest_n;
	if (rest_n)
		extract_flags(rest, rest_n, &fwords, &args, &args_n);
	trim_space(&args, &args_n);
	ins->args = brig_arena_strndup(p->mem, args, args_n);
	if (fwords.n) {
		ins->flags = brig_arena_calloc(p->mem, fwords.n, sizeof(*ins->flags));
		for (size_t i = 0; i < fwords.n; i++) {
			/* every flag word starts with "--"; it is in the arena */
			char *f = fwords.v[i] + 2, *eq = strchr(f, '=');
			struct brig_df_flag *fl = &ins->flags[ins->n_flags++];

			fl->name = eq ? brig_arena_strndup(p->mem, f, (size_t)(eq - f)) : f;
			fl->value = eq ? eq + 1 : NULL;
		}
	}
	ins->cmd = lookup_cmd(ins->keyword);
	if (ins->cmd == BRIG_DF_UNKNOWN && !trigger)
		return perr(p, line, "unknown instruction: %.100s", ins->keyword_raw);

	switch (ins->cmd) {
	case BRIG_DF_ADD:
	case BRIG_DF_COPY:
	case BRIG_DF_VOLUME:
		rc = parse_json_array(ins->args, args_n, &v);
		if (rc < 0)
			goto not_strings;
		ins->json_form = rc == 1;
		if (!ins->json_form)
			split_ws(ins->args, args_n, 0, &v);
		set_argv(ins, &v);
		if (ins->cmd == BRIG_DF_VOLUME) {
			if (!ins->argc)
				return perr(p, line, "VOLUME requires at least one argument");
			for (size_t i = 0; i < ins->argc; i++) {
				if (!ins->argv[i][0])
					return perr(p, line, "VOLUME specified can not be an empty string");
			}
		} else {
			if (ins->argc < 2)
				return perr(p, line,
					    "%s requires at least two arguments, but only one was provided. Destination could not be determined.",
					    ins->keyword);
			if (heredoc_word(ins->argv[ins->argc - 1]))
				return perr(p, line, "%s cannot accept a heredoc as a destination",
					    ins->keyword);
		}
		break;
	case BRIG_DF_RUN:
	case BRIG_DF_CMD:
	case BRIG_DF_ENTRYPOINT:
	case BRIG_DF_SHELL:
		if (args_n) {
			rc = parse_json_array(ins->args, args_n, &v);
			if (rc < 0)
				goto not_strings;
			ins->json_form = rc == 1;
			if (!ins->json_form)
				strv_adds(&v, ins->args);
			set_argv(ins, &v);
		}
		if (ins->cmd == BRIG_DF_SHELL && !ins->json_form)
			return perr(p, line, "SHELL requires the arguments to be in JSON form");
		break;
	case BRIG_DF_FROM:
	case BRIG_DF_EXPOSE:
		split_ws(ins->args, args_n, 0, &v);
		set_argv(ins, &v);
		if (ins->cmd == BRIG_DF_EXPOSE && !ins->argc)
			return perr(p, line, "EXPOSE requires at least one argument");
		if (ins->cmd == BRIG_DF_FROM &&
		    !(ins->argc == 1 || (ins->argc == 3 && eq_ci(ins->argv[1], "as"))))
			return perr(p, line, "FROM requires either one or three arguments");
		break;
	case BRIG_DF_ENV:
	case BRIG_DF_LABEL:
		if (parse_name_val(p, ins, line))
			return -1;
		break;
	case BRIG_DF_ARG: {
		size_t cap = 0;

		parse_words(ins->args, args_n, p->esc, &v);
		if (!v.n)
			return perr(p, line, "ARG requires at least one argument");
		for (size_t i = 0; i < v.n; i++) {
			const char *eq = strchr(v.v[i], '=');

			add_kv(p, ins, &cap, v.v[i], eq ? (size_t)(eq - v.v[i]) : strlen(v.v[i]),
			       eq ? eq + 1 : NULL, eq ? strlen(eq + 1) : 0, eq != NULL);
		}
		break;
	}
	case BRIG_DF_MAINTAINER:
	case BRIG_DF_STOPSIGNAL:
	case BRIG_DF_USER:
	case BRIG_DF_WORKDIR:
		if (!args_n)
			return perr(p, line, "%s requires exactly one argument", ins->keyword);
		strv_adds(&v, ins->args);
		set_argv(ins, &v);
		break;
	case BRIG_DF_ONBUILD:
		if (!args_n)
			return perr(p, line, "ONBUILD requires at least one argument");
		ins->sub = brig_arena_calloc(p->mem, 1, sizeof(*ins->sub));
		if (parse_line(p, ins->args, args_n, line, true, ins->sub))
			return -1;
		ins->sub->stage = -1;
		if (ins->sub->cmd == BRIG_DF_ONBUILD)
			return perr(p, line, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
		if (ins->sub->cmd == BRIG_DF_FROM || ins->sub->cmd == BRIG_DF_MAINTAINER)
			return perr(p, line, "%s isn't allowed as an ONBUILD trigger", ins->sub->keyword);
		break;
	case BRIG_DF_HEALTHCHECK: {
		size_t sep = 0, next;
		const char *cmdtxt;
		struct brig_df_instruction *sub;

		if (!args_n)
			return perr(p, line, "HEALTHCHECK requires at least one argument");
		while (sep < args_n && !brig_cfg_isspace((unsigned char)args[sep]))
			sep++;
		for (next = sep; next < args_n && brig_cfg_isspace((unsigned char)args[next]); next++)
			;
		strv_add(&v, args, sep);
		for (char *c = v.v[0]; *c; c++)
			*c = upper(*c);
		set_argv(ins, &v);
		cmdtxt = ins->args + next;
		if (!strcmp(ins->argv[0], "NONE")) {
			if (next < args_n)
				return perr(p, line, "HEALTHCHECK NONE takes no arguments");
			break;
		}
		if (strcmp(ins->argv[0], "CMD"))
			return perr(p, line, "Unknown type \"%.50s\" in HEALTHCHECK (try CMD)",
				    ins->argv[0]);
		if (next >= args_n)
			return perr(p, line, "Missing command after HEALTHCHECK CMD");
		sub = ins->sub = brig_arena_calloc(p->mem, 1, sizeof(*sub));
		sub->cmd = BRIG_DF_CMD;
		sub->keyword = brig_arena_strdup(p->mem, "CMD");
		sub->keyword_raw = brig_arena_strndup(p->mem, args, sep);
		sub->args = (char *)cmdtxt;
		sub->start_line = sub->end_line = line;
		sub->stage = -1;
		rc = parse_json_array(sub->args, strlen(sub->args), &v);
		if (rc < 0)
			goto not_strings;
		sub->json_form = ins->json_form = rc == 1;
		if (!sub->json_form)
			strv_adds(&v, sub->args);
		set_argv(sub, &v);
		break;
	}
	case BRIG_DF_UNKNOWN:
		break;
	}
	return 0;
not_strings:
	return perr(p, line, "when using JSON array syntax, arrays must be comprised of strings only");
}

/* ------------------------------------------------------------------ */
/* scopes and expansion                                                 */

struct scope_ref {
	struct parser *p;
	long stage; /* -1: the global (meta) ARG scope */
};

static const char *scope_lookup(void *ctx, const char *name, size_t n)
{
	struct scope_ref *r = ctx;
	const char *v;

	if (r->stage < 0)
		return brig_cfg_env_get(&r->p->meta, name, n);
	/* ENV (own, then inherited from the base stage) wins over ARG */
	for (long s = r->stage; s >= 0; s = r->p->scopes[s].parent) {
		v = brig_cfg_env_get(&r->p->scopes[s].env, name, n);
		if (v)
			return v;
	}
	return brig_cfg_env_get(&r->p->scopes[r->stage].args, name, n);
}

enum expand_mode {
	EXP_WORD, /* BuildKit's ProcessWord: substitute, remove quotes */
	EXP_RAW,  /* substitute only, quotes and escapes kept */
};

static char *expand(struct parser *p, long stage, const char *s, enum expand_mode mode,
		    struct brig_df_instruction *ins)
{
	_cleanup_buf_ struct brig_buf out = {0};
	struct scope_ref ref = {p, stage};
	struct lexer lx;
	size_t max = p->budget < BRIG_DF_MAX_EXPANDED ? p->budget : BRIG_DF_MAX_EXPANDED;

	size_t len = strlen(s);

	if (mode != EXP_WORD && !memchr(s, '$', len))
		return brig_arena_strndup(p->mem, s, len);
	/* no expansion, quote or escape (either escape character): the word
	 * is its own result, as lex_process would copy it */
	if (mode == EXP_WORD && len <= max && s[strcspn(s, "$'\"\\`")] == '\0') {
		p->budget -= len;
		return brig_arena_strndup(p->mem, s, len);
	}
	brig_buf_init(&out, max);
	lex_init(&lx, s, len, p->esc, max);
	lx.raw_quotes = lx.raw_escapes = mode != EXP_WORD;
	lx.keep_unknown = true;
	lx.lookup = scope_lookup;
	lx.ctx = &ref;
	if (lex_process(&lx, &out, NULL)) {
		ins->expand_failed = true;
		return brig_arena_strndup(p->mem, s, len);
	}
	if (lx.unresolved)
		ins->unresolved = true;
	p->budget -= out.len;
	return brig_arena_strndup(p->mem, buf_str(&out), out.len);
}

static bool docker_expands(enum brig_df_cmd c)
{
	switch (c) {
	case BRIG_DF_ADD:
	case BRIG_DF_COPY:
	case BRIG_DF_ENV:
	case BRIG_DF_EXPOSE:
	case BRIG_DF_FROM:
	case BRIG_DF_LABEL:
	case BRIG_DF_STOPSIGNAL:
	case BRIG_DF_USER:
	case BRIG_DF_VOLUME:
	case BRIG_DF_WORKDIR:
	case BRIG_DF_ARG:
		return true;
	default:
		return false;
	}
}

static bool shell_form_command(const struct brig_df_instruction *ins)
{
	return (ins->cmd == BRIG_DF_RUN || ins->cmd == BRIG_DF_CMD ||
		ins->cmd == BRIG_DF_ENTRYPOINT) &&
	       !ins->json_form;
}

static int set_var(struct parser *p, struct brig_cfg_env *env, const char *k, const char *v,
		   unsigned line)
{
	if (brig_cfg_env_set(env, k, strlen(k), v, BRIG_DF_MAX_VARS))
		return perr(p, line, "more than %u variables in one scope", BRIG_DF_MAX_VARS);
	return 0;
}

/* Substitutes what BuildKit substitutes in scope `stage`, then applies the
 * instruction's own effect on the scope (ARG, ENV). */
static int expand_instruction(struct parser *p, long stage, struct brig_df_instruction *ins)
{
	bool expands = docker_expands(ins->cmd);

	for (size_t i = 0; i < ins->n_flags; i++) {
		if (ins->flags[i].value)
			ins->flags[i].value_expanded =
				expand(p, stage, ins->flags[i].value, EXP_WORD, ins);
	}
	if (expands)
		ins->args_expanded = expand(p, stage, ins->args, EXP_RAW, ins);
	else if (shell_form_command(ins) && !p->no_shell_preview)
		ins->args_expanded = expand(p, stage, ins->args, EXP_RAW, ins);
	else
		ins->args_expanded = ins->args;
	if (ins->sub) {
		ins->sub->args_expanded = ins->cmd == BRIG_DF_HEALTHCHECK && !ins->sub->json_form &&
						  !p->no_shell_preview
						  ? expand(p, stage, ins->sub->args, EXP_RAW, ins)
						  : ins->sub->args;
		for (size_t i = 0; i < ins->sub->n_flags; i++) {
			if (ins->sub->flags[i].value)
				ins->sub->flags[i].value_expanded = ins->sub->flags[i].value;
		}
	}
	if (!expands)
		return 0;

	if (ins->cmd == BRIG_DF_ENV || ins->cmd == BRIG_DF_LABEL || ins->cmd == BRIG_DF_ARG) {
		_cleanup_strv_ struct strv v = {.mem = p->mem};

		for (size_t i = 0; i < ins->n_kvs; i++) {
			struct brig_df_kv *kv = &ins->kvs[i];

			if (ins->cmd != BRIG_DF_ARG) {
				/* every pair of one ENV sees the scope before it */
				kv->key = expand(p, stage, kv->key, EXP_WORD, ins);
			}
			if (kv->value_raw)
				kv->value = expand(p, stage, kv->value_raw, EXP_WORD, ins);
			if (ins->cmd == BRIG_DF_ARG) {
				const char *val = brig_cfg_env_get(&p->build_args, kv->key,
								    strlen(kv->key));
				struct brig_cfg_env *dst =
					stage < 0 ? &p->meta : &p->scopes[stage].args;

				if (!val)
					val = kv->value;
				/* `ARG NAME` in a stage takes the global default */
				if (!val && stage >= 0)
					val = brig_cfg_env_get(&p->meta, kv->key, strlen(kv->key));
				if (val && set_var(p, dst, kv->key, val, ins->start_line))
					return -1;
			}
			strv_add_pair(&v, kv->key, kv->value_raw ? kv->value : NULL);
		}
		if (ins->cmd == BRIG_DF_ENV) {
			for (size_t i = 0; i < ins->n_kvs; i++) {
				if (set_var(p, &p->scopes[stage].env, ins->kvs[i].key,
					    ins->kvs[i].value ? ins->kvs[i].value : "",
					    ins->start_line))
					return -1;
			}
		}
		set_argv(ins, &v);
		return 0;
	}
	for (size_t i = 0; i < ins->argc; i++)
		ins->argv[i] = expand(p, stage, ins->argv[i], EXP_WORD, ins);
	return 0;
}

/* ------------------------------------------------------------------ */
/* building the model                                                   */

static int start_stage(struct parser *p, struct brig_df_instruction *ins)
{
	struct brig_dockerfile *df = p->df;
	struct brig_df_stage *st;
	const struct brig_df_flag *plat = brig_df_flag(ins, "platform");
	long idx = (long)df->n_stages;

	if (df->n_stages >= BRIG_DF_MAX_STAGES)
		return perr(p, ins->start_line, "more than %u build stages", BRIG_DF_MAX_STAGES);
	if (ins->argc == 3) {
		/* BuildKit lower-cases, then wants ^[a-z][a-z0-9-_.]*$ */
		const char *nm = ins->argv[2];
		bool ok = is_alpha((unsigned char)nm[0]);

		for (const char *c = nm; *c && ok; c++) {
			char lc = lower(*c);

			ok = (lc >= 'a' && lc <= 'z') || is_digit(lc) || lc == '-' || lc == '_' ||
			     lc == '.';
		}
		if (!ok)
			return perr(p, ins->start_line,
				    "invalid name for build stage: \"%.100s\", name can't start with a number or contain symbols",
				    nm);
	}
	BRIG_ARENA_GROW(p->mem, df->stages, p->stages_cap, df->n_stages + 1);
	BRIG_GROW(p->scopes, p->scopes_cap, df->n_stages + 1);
	st = &df->stages[df->n_stages];
	memset(st, 0, sizeof(*st));
	memset(&p->scopes[df->n_stages], 0, sizeof(p->scopes[0]));
	p->scopes[df->n_stages].parent = -1;
	df->n_stages++;
	st->index = (size_t)idx;
	st->base_stage = -1;
	ins->stage = idx;

	/* FROM sees only the global ARGs */
	for (size_t i = 0; i < ins->n_flags; i++) {
		if (ins->flags[i].value)
			ins->flags[i].value_expanded =
				expand(p, -1, ins->flags[i].value, EXP_WORD, ins);
	}
	ins->args_expanded = expand(p, -1, ins->args, EXP_RAW, ins);
	st->base_raw = ins->argv[0];
	ins->unresolved = false;
	ins->argv[0] = expand(p, -1, ins->argv[0], EXP_WORD, ins);
	st->base_unresolved = ins->unresolved;
	st->base = ins->argv[0];
	if (ins->argc == 3) {
		st->name = brig_arena_strdup(p->mem, ins->argv[2]);
		for (char *c = st->name; *c; c++)
			*c = lower(*c);
	}
	if (plat && plat->value) {
		st->platform_raw = plat->value;
		st->platform = plat->value_expanded ? plat->value_expanded : plat->value;
	}
	for (size_t i = 0; i < (size_t)idx; i++) {
		if (df->stages[i].name && eq_ci(df->stages[i].name, st->base)) {
			st->base_stage = (long)i;
			/* every lookup walks the chain: past 64 stages deep we stop
			 * inheriting ENV (no real file comes close) */
			if (p->scopes[i].depth < BRIG_DF_MAX_STAGE_CHAIN) {
				p->scopes[idx].parent = (long)i;
				p->scopes[idx].depth = p->scopes[i].depth + 1;
			}
		}
	}
	st->instructions = brig_arena_alloc(p->mem, sizeof(*st->instructions));
	st->instructions[0] = *ins;
	st->n_instructions = 1;
	return 0;
}

/* Takes ownership of *ins (its fields; the struct itself is copied). */
static int add_instruction(struct parser *p, struct brig_df_instruction *ins, size_t *cap)
{
	struct brig_dockerfile *df = p->df;
	struct brig_df_stage *st;
	int rc;

	if (ins->cmd == BRIG_DF_FROM) {
		rc = start_stage(p, ins);
		if (!rc)
			*cap = 1;
		return rc;
	}
	if (!df->n_stages) {
		if (ins->cmd != BRIG_DF_ARG)
			return perr(p, ins->start_line,
				    "%s before the first FROM: no build stage in current context",
				    ins->keyword);
		ins->stage = -1;
		rc = expand_instruction(p, -1, ins);
		BRIG_ARENA_GROW(p->mem, df->global_args, p->globals_cap, df->n_global_args + 1);
		df->global_args[df->n_global_args++] = *ins;
		return rc;
	}
	st = &df->stages[df->n_stages - 1];
	ins->stage = (long)(df->n_stages - 1);
	rc = expand_instruction(p, ins->stage, ins);
	BRIG_ARENA_GROW(p->mem, st->instructions, *cap, st->n_instructions + 1);
	st->instructions[st->n_instructions++] = *ins;
	return rc;
}

static void strip_leading_tabs(struct brig_buf *b)
{
	size_t w = 0;
	bool bol = true;

	for (size_t r = 0; r < b->len; r++) {
		if (bol && b->data[r] == '\t')
			continue;
		bol = b->data[r] == '\n';
		b->data[w++] = b->data[r];
	}
	b->len = w;
	if (b->data)
		b->data[w] = '\0';
}

static int read_heredocs(struct parser *p, struct brig_df_instruction *hold, unsigned start)
{
	for (size_t i = 0; i < hold->n_heredocs; i++) {
		struct brig_df_heredoc *h = &hold->heredocs[i];
		_cleanup_buf_ struct brig_buf body = {0};
		size_t dlen = strlen(h->delimiter);
		bool terminated = false;
		const char *l;
		size_t n;
		int rc;

		brig_buf_init(&body, BRIG_DF_MAX_FILE);
		h->body_line = p->line + 1;
		while ((rc = next_line(p, &l, &n)) > 0) {
			const char *t = l;
			size_t tn = n;

			trim_newline(t, &tn);
			if (h->strip_tabs) {
				while (tn && *t == '\t') {
					t++;
					tn--;
				}
			}
			if (tn == dlen && !memcmp(t, h->delimiter, dlen)) {
				terminated = true;
				break;
			}
			if (brig_buf_append(&body, l, n, p->err) || brig_buf_append(&body, "\n", 1, p->err))
				return -1;
		}
		if (rc < 0)
			return -1;
		if (!terminated)
			return perr(p, start, "unterminated heredoc (<<%.100s)", h->delimiter);
		h->end_line = p->line;
		if (h->strip_tabs)
			strip_leading_tabs(&body);
		h->body = brig_arena_strndup(p->mem, buf_str(&body), body.len);
	}
	return 0;
}

/* The original text of [off, end) as lines without "\n" (and "\r"). */
static void capture_lines(struct brig_arena *mem, struct brig_df_instruction *ins,
			  const char *text, size_t n)
{
	size_t count = 1, k = 0;
	char *t, *end, *nl, *l;

	if (n && text[n - 1] == '\n')
		n--;
	t = ins->text_ = brig_arena_strndup(mem, text, n);
	end = t + n;
	for (l = t; (nl = memchr(l, '\n', (size_t)(end - l))) != NULL; l = nl + 1)
		count++;
	ins->lines = brig_arena_alloc(mem, count * sizeof(char *));
	for (l = t;; l = nl + 1) {
		nl = memchr(l, '\n', (size_t)(end - l));
		if (!nl)
			nl = end;
		*nl = '\0';
		if (nl > l && nl[-1] == '\r')
			nl[-1] = '\0';
		ins->lines[k++] = l;
		if (nl == end)
			break;
	}
	ins->n_lines = count;
}

static int run_parser(struct parser *p)
{
	_cleanup_buf_ struct brig_buf joined = {0};
	size_t stage_cap = 0;
	const char *l;
	size_t n;
	int rc;

	brig_buf_init(&joined, BRIG_DF_MAX_FILE);
	while ((rc = next_line(p, &l, &n)) > 0) {
		struct brig_df_instruction ins;
		struct brig_df_instruction *hold;
		size_t start_off = (size_t)(l - p->data);
		unsigned start = p->line;
		const char *t = l;
		size_t tn = n;
		bool cont;

		trim_newline(t, &tn);
		ltrim_space(&t, &tn);
		if (check_directive(p, t, tn))
			return -1;
		if (is_comment(t, tn))
			tn = 0;
		cont = trim_continuation(t, &tn, p->esc);
		if (!cont && !tn)
			continue;
		brig_buf_reset(&joined);
		if (brig_buf_append(&joined, t, tn, p->err))
			return -1;
		while (cont) {
			rc = next_line(p, &l, &n);
			if (rc < 0)
				return -1;
			if (!rc)
				break;
			t = l;
			tn = n;
			trim_newline(t, &tn);
			if (is_comment(t, tn))
				continue;
			{
				const char *u = t;
				size_t un = tn;

				ltrim_space(&u, &un);
				if (!un)
					continue; /* empty continuation line: BuildKit warns, skips */
			}
			cont = trim_continuation(t, &tn, p->esc);
			if (brig_buf_append(&joined, t, tn, p->err))
				return -1;
		}
		if (++p->n_instructions > BRIG_DF_MAX_INSTRUCTIONS)
			return perr(p, start, "more than %u instructions", BRIG_DF_MAX_INSTRUCTIONS);
		memset(&ins, 0, sizeof(ins));
		if (parse_line(p, buf_str(&joined), joined.len, start, false, &ins))
			return -1;
		/* RUN/ADD/COPY in shell form (also as ONBUILD trigger) take heredocs */
		hold = (ins.cmd == BRIG_DF_ONBUILD && ins.sub) ? ins.sub : &ins;
		if ((hold->cmd == BRIG_DF_RUN || hold->cmd == BRIG_DF_ADD || hold->cmd == BRIG_DF_COPY) &&
		    !hold->json_form) {
			if (find_heredocs(p, buf_str(&joined), hold, start) ||
			    read_heredocs(p, hold, start))
				return -1;
		}
		ins.end_line = p->line;
		if (ins.sub)
			ins.sub->end_line = p->line;
		capture_lines(p->mem, &ins, p->data + start_off, p->pos - start_off);
		if (add_instruction(p, &ins, &stage_cap))
			return -1;
	}
	if (rc < 0)
		return -1;
	if (!p->n_instructions)
		return perr(p, p->line, "file with no instructions");
	if (!p->df->n_stages)
		return perr(p, p->line, "dockerfile contains no stages to build");
	return 0;
}

static void build_all(struct brig_dockerfile *df)
{
	size_t n = df->n_global_args, k = 0;

	for (size_t i = 0; i < df->n_stages; i++)
		n += df->stages[i].n_instructions;
	df->all = brig_arena_calloc(&df->mem_, n ? n : 1, sizeof(*df->all));
	for (size_t i = 0; i < df->n_global_args; i++)
		df->all[k++] = &df->global_args[i];
	for (size_t i = 0; i < df->n_stages; i++) {
		for (size_t j = 0; j < df->stages[i].n_instructions; j++)
			df->all[k++] = &df->stages[i].instructions[j];
	}
	df->n_all = k;
}

static void parser_free(struct parser *p)
{
	for (size_t i = 0; p->scopes && i < p->df->n_stages; i++) {
		brig_cfg_env_free(&p->scopes[i].env);
		brig_cfg_env_free(&p->scopes[i].args);
	}
	free(p->scopes);
	brig_cfg_env_free(&p->meta);
	brig_cfg_env_free(&p->build_args);
}

int brig_dockerfile_parse(const char *data, size_t len, const char *name,
			  const struct brig_df_options *opt, struct brig_dockerfile **out,
			  struct brig_error *err)
{
	struct brig_dockerfile *df;
	struct parser p;
	int rc;

	*out = NULL;
	if (!name)
		name = "Dockerfile";
	if (len > BRIG_DF_MAX_FILE)
		return brig_error_set(err, EFBIG, "%s: %zu bytes exceeds the %u-byte limit", name, len,
				      BRIG_DF_MAX_FILE);
	df = brig_xcalloc(1, sizeof(*df));
	df->mem_ = (struct brig_arena)BRIG_ARENA_INIT;
	df->name = brig_arena_strdup(&df->mem_, name);
	df->escape = '\\';
	memset(&p, 0, sizeof(p));
	p.data = data ? data : "";
	p.len = data ? len : 0;
	/* a UTF-8 byte-order mark is not part of the first line */
	if (p.len >= 3 && !memcmp(p.data, "\xEF\xBB\xBF", 3))
		p.pos = 3;
	p.name = df->name;
	p.esc = '\\';
	p.df = df;
	p.mem = &df->mem_;
	p.err = err;
	p.budget = BRIG_DF_EXPAND_BUDGET;
	p.no_shell_preview = opt && opt->no_shell_preview;
	for (const char *const *ba = opt ? opt->build_args : NULL; ba && *ba; ba++) {
		const char *eq = strchr(*ba, '=');

		/* "NAME" alone means "from the client's environment": not ours */
		if (eq)
			brig_cfg_env_set(&p.build_args, *ba, (size_t)(eq - *ba), eq + 1, SIZE_MAX);
	}
	rc = run_parser(&p);
	parser_free(&p);
	df->n_lines = p.line;
	if (rc) {
		brig_dockerfile_free(df);
		return -1;
	}
	build_all(df);
	*out = df;
	return 0;
}

int brig_dockerfile_load(const char *path, const struct brig_df_options *opt,
			 struct brig_dockerfile **out, struct brig_error *err)
{
	_cleanup_free_ char *data = NULL;
	size_t len;

	*out = NULL;
	if (brig_config_read_file(path, BRIG_DF_MAX_FILE, &data, &len, err))
		return -1;
	return brig_dockerfile_parse(data, len, path, opt, out, err);
}

void brig_dockerfile_free(struct brig_dockerfile *df)
{
	if (!df)
		return;
	brig_arena_free(&df->mem_);
	free(df);
}

const struct brig_df_flag *brig_df_flag(const struct brig_df_instruction *ins, const char *name)
{
	for (size_t i = 0; ins && i < ins->n_flags; i++) {
		if (!strcmp(ins->flags[i].name, name))
			return &ins->flags[i];
	}
	return NULL;
}

const struct brig_df_stage *brig_dockerfile_stage_ref(const struct brig_dockerfile *df,
						       const char *ref, size_t before)
{
	size_t idx = 0;
	bool numeric = ref && *ref;

	if (!df || !ref)
		return NULL;
	if (before > df->n_stages)
		before = df->n_stages;
	for (size_t i = 0; i < before; i++) {
		if (df->stages[i].name && eq_ci(df->stages[i].name, ref))
			return &df->stages[i];
	}
	for (const char *c = ref; *c; c++) {
		if (!is_digit((unsigned char)*c) || idx > 1000000) {
			numeric = false;
			break;
		}
		idx = idx * 10 + (size_t)(*c - '0');
	}
	return numeric && idx < before ? &df->stages[idx] : NULL;
}

/* .dockerignore. moby/patternmatcher turns each pattern into a Go regexp;
 * we compile to a token list and match with a bitset over positions in
 * the path (O(tokens * length)), so no pattern can make matching slow. */
#include "config/dockerignore.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse_common.h"
#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/xalloc.h"

enum tok_kind {
	T_LIT,      /* one byte */
	T_ANY,      /* ?  : [^/] */
	T_STAR,     /* *  : [^/]* */
	T_DIRS,     /* ** followed by more: (.* /)? */
	T_ALL,      /* ** at the end: .* */
	T_CLASS,    /* [...] */
	T_ANCHOR,   /* a stray ^ in the regexp: only matches at the start */
};

struct tok {
	enum tok_kind kind;
	unsigned char c;
	bool negated;
	uint8_t set[32]; /* T_CLASS: bitmap of bytes */
};

enum match_type { M_EXACT, M_PREFIX, M_SUFFIX, M_REGEXP };

struct compiled {
	enum match_type type;
	struct tok *toks;
	size_t n;
};

struct brig_dockerignore_compiled {
	struct compiled *c; /* one per pattern */
};

/* Go's path/filepath.Clean, lexically, for '/'-separated paths. */
static char *go_clean(const char *path)
{
	size_t n = strlen(path), r = 0, w = 0, dotdot = 0;
	bool rooted;
	char *out;

	if (!n)
		return brig_xstrdup(".");
	out = brig_xmalloc(n + 3);
	rooted = path[0] == '/';
	if (rooted) {
		out[w++] = '/';
		r = dotdot = 1;
	}
	while (r < n) {
		if (path[r] == '/') {
			r++;
		} else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/')) {
			r++;
		} else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			for (; r < n && path[r] != '/'; r++)
				out[w++] = path[r];
		}
	}
	if (!w)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

static void set_bit(uint8_t *set, unsigned c)
{
	set[c >> 3] |= (uint8_t)(1u << (c & 7));
}

static bool get_bit(const uint8_t *set, unsigned c)
{
	return set[c >> 3] & (1u << (c & 7));
}

/* Go filepath.Match's syntax check (the pattern is matched against "."
 * only for its error): classes must close and be non-empty, '-' and ']'
 * cannot start a range end, a trailing backslash is bad. */
static bool go_pattern_valid(const char *p)
{
	for (size_t i = 0; p[i];) {
		if (p[i] == '\\') {
			if (!p[i + 1])
				return false;
			i += 2;
			continue;
		}
		if (p[i] != '[') {
			i++;
			continue;
		}
		i++;
		if (p[i] == '^')
			i++;
		for (size_t nrange = 0;; nrange++) {
			if (p[i] == ']' && nrange > 0) {
				i++;
				break;
			}
			for (int end = 0; end < 2; end++) {
				if (!p[i] || p[i] == '-' || p[i] == ']')
					return false;
				if (p[i] == '\\') {
					if (!p[i + 1])
						return false;
					i++;
				}
				i++;
				if (end == 0 && p[i] != '-')
					break;
				if (end == 0)
					i++; /* the '-' of a range */
			}
		}
	}
	return true;
}

/* patternmatcher's Pattern.compile, with tokens instead of a regexp. */
static void compile(const char *p, struct compiled *c)
{
	size_t n = strlen(p), cap = 0;
	enum match_type type = M_EXACT;

	c->toks = NULL;
	c->n = 0;
	for (size_t i = 0, idx = 0; i < n; idx++) {
		struct tok t;
		char ch = p[i++];

		memset(&t, 0, sizeof(t));
		if (ch == '*') {
			if (i < n && p[i] == '*') {
				/* "**", "**" + "/": any number of directories */
				bool add = true;

				i++;
				if (i < n && p[i] == '/')
					i++;
				if (i >= n) {
					if (type == M_EXACT) {
						type = M_PREFIX;
						add = false;
					} else {
						t.kind = T_ALL;
						type = M_REGEXP;
					}
				} else {
					t.kind = T_DIRS;
					type = M_REGEXP;
				}
				if (idx == 0)
					type = M_SUFFIX;
				if (!add)
					continue;
			} else {
				t.kind = T_STAR;
				type = M_REGEXP;
			}
		} else if (ch == '?') {
			t.kind = T_ANY;
			type = M_REGEXP;
		} else if (ch == '\\') {
			t.kind = T_LIT;
			if (i < n) {
				t.c = (unsigned char)p[i++];
				type = M_REGEXP;
			} else {
				t.c = '\\';
			}
		} else if (ch == '[') {
			/* a class; valid by go_pattern_valid */
			bool first = true;

			t.kind = T_CLASS;
			type = M_REGEXP;
			if (i < n && p[i] == '^') {
				t.negated = true;
				i++;
			}
			while (i < n && (p[i] != ']' || first)) {
				unsigned lo = (unsigned char)p[i], hi;

				first = false;
				if (lo == '\\' && i + 1 < n)
					lo = (unsigned char)p[++i];
				i++;
				hi = lo;
				if (i + 1 < n && p[i] == '-' && p[i + 1] != ']') {
					hi = (unsigned char)p[i + 1];
					i += 2;
					if (hi == '\\' && i < n)
						hi = (unsigned char)p[i++];
				}
				for (unsigned b = lo; b <= hi && b < 256; b++)
					set_bit(t.set, b);
			}
			i++; /* ']' */
		} else if (ch == ']') {
			t.kind = T_LIT;
			t.c = ']';
			type = M_REGEXP;
		} else if (ch == '^') {
			t.kind = T_ANCHOR;
		} else {
			t.kind = T_LIT;
			t.c = (unsigned char)ch;
		}
		BRIG_GROW(c->toks, cap, c->n + 1);
		c->toks[c->n++] = t;
	}
	/* A stray '^' only counts when the pattern ends up a regexp. */
	if (type != M_REGEXP) {
		for (size_t i = 0; i < c->n; i++) {
			if (c->toks[i].kind == T_ANCHOR) {
				c->toks[i].kind = T_LIT;
				c->toks[i].c = '^';
			}
		}
	}
	c->type = type;
}

/* Runs the token list over s: positions reachable are a bitset. */
static bool run_tokens(const struct compiled *c, const char *s, size_t n)
{
	size_t words = (n + 1 + 63) / 64;
	_cleanup_free_ uint64_t *cur = brig_xcalloc(words, sizeof(uint64_t));
	_cleanup_free_ uint64_t *nxt = brig_xcalloc(words, sizeof(uint64_t));

#define HAS(v, i) (((v)[(i) >> 6] >> ((i)&63)) & 1u)
#define ADD(v, i) ((v)[(i) >> 6] |= (uint64_t)1 << ((i)&63))
	ADD(cur, 0);
	for (size_t t = 0; t < c->n; t++) {
		const struct tok *tk = &c->toks[t];
		bool any = false, on = false;

		memset(nxt, 0, words * sizeof(uint64_t));
		for (size_t i = 0; i <= n; i++) {
			bool in = HAS(cur, i);

			switch (tk->kind) {
			case T_LIT:
				if (in && i < n && (unsigned char)s[i] == tk->c)
					ADD(nxt, i + 1);
				break;
			case T_ANY:
				if (in && i < n && s[i] != '/')
					ADD(nxt, i + 1);
				break;
			case T_CLASS:
				if (in && i < n &&
				    get_bit(tk->set, (unsigned char)s[i]) != tk->negated)
					ADD(nxt, i + 1);
				break;
			case T_STAR: /* [^/]* */
				if (in)
					on = true;
				else if (i > 0 && s[i - 1] == '/')
					on = false;
				if (on)
					ADD(nxt, i);
				break;
			case T_DIRS: /* (.*\/)? */
				if (in) {
					on = true;
					ADD(nxt, i);
				}
				if (on && i < n && s[i] == '/')
					ADD(nxt, i + 1);
				break;
			case T_ALL: /* .* */
				if (in)
					on = true;
				if (on)
					ADD(nxt, i);
				break;
			case T_ANCHOR:
				if (in && i == 0)
					ADD(nxt, 0);
				break;
			}
		}
		for (size_t w = 0; w < words; w++)
			any = any || nxt[w];
		if (!any)
			return false;
		memcpy(cur, nxt, words * sizeof(uint64_t));
	}
	return HAS(cur, n);
#undef HAS
#undef ADD
}

static bool pattern_match(const struct compiled *c, const char *pattern, const char *s, size_t n)
{
	size_t plen = strlen(pattern);

	switch (c->type) {
	case M_EXACT:
		return plen == n && !memcmp(pattern, s, n);
	case M_PREFIX: /* "dir" + "/" + "**": the trailing ** stripped */
		return n >= plen - 2 && !memcmp(s, pattern, plen - 2);
	case M_SUFFIX: { /* "**" + literal tail */
		const char *suf = pattern + 2;
		size_t sl = plen - 2;

		if (n >= sl && !memcmp(s + n - sl, suf, sl))
			return true;
		return sl && suf[0] == '/' && n == sl - 1 && !memcmp(s, suf + 1, n);
	}
	case M_REGEXP:
		return run_tokens(c, s, n);
	}
	return false;
}

__attribute__((format(printf, 4, 5))) static int ierr(struct brig_error *err, const char *name,
						      unsigned line, const char *fmt, ...)
{
	char msg[BRIG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return brig_error_set(err, EINVAL, "%s:%u: %s", name, line, msg);
}

static void trim(const char **s, size_t *n)
{
	while (*n && brig_cfg_isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && brig_cfg_isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

int brig_dockerignore_parse(const char *data, size_t len, const char *name,
			    struct brig_dockerignore **out, struct brig_error *err)
{
	struct brig_dockerignore *ig;
	size_t pos = 0, cap = 0;
	unsigned line = 0;

	*out = NULL;
	if (!name)
		name = ".dockerignore";
	if (!data)
		len = 0;
	if (len > BRIG_DOCKERIGNORE_MAX_FILE)
		return brig_error_set(err, EFBIG, "%s: %zu bytes exceeds the %u-byte limit", name, len,
				      BRIG_DOCKERIGNORE_MAX_FILE);
	ig = brig_xcalloc(1, sizeof(*ig));
	ig->name = brig_xstrdup(name);
	ig->compiled_ = brig_xcalloc(1, sizeof(*ig->compiled_));
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		pos = 3;
	while (pos < len) {
		const char *l = data + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		_cleanup_free_ char *pat = NULL;
		struct brig_dockerignore_pattern *p;
		bool negate = false;
		const char *body;
		size_t bn;

		pos += n + (nl ? 1 : 0);
		line++;
		if (n > 65535) {
			ierr(err, name, line, "line longer than 65535 bytes");
			goto fail;
		}
		if (memchr(l, '\0', n)) {
			ierr(err, name, line, "NUL byte in .dockerignore");
			goto fail;
		}
		/* only a '#' in the first column is a comment (ignorefile.ReadAll) */
		if (n && l[0] == '#')
			continue;
		trim(&l, &n);
		if (!n)
			continue;
		body = l;
		bn = n;
		if (body[0] == '!') {
			negate = true;
			body++;
			bn--;
			trim(&body, &bn);
		}
		if (ig->n_patterns >= BRIG_DOCKERIGNORE_MAX_PATTERNS) {
			ierr(err, name, line, "more than %u patterns", BRIG_DOCKERIGNORE_MAX_PATTERNS);
			goto fail;
		}
		if (bn) {
			_cleanup_free_ char *raw = brig_xstrndup(body, bn);
			char *cl = go_clean(raw);

			/* absolute patterns are relative to the context */
			if (cl[0] == '/' && cl[1]) {
				pat = brig_xstrdup(cl + 1);
				free(cl);
			} else {
				pat = cl;
			}
		} else {
			pat = brig_xstrdup("");
		}
		/* patternmatcher.New cleans again and then checks "!" alone */
		if (negate && !pat[0]) {
			ierr(err, name, line, "illegal exclusion pattern: \"!\"");
			goto fail;
		}
		if (pat[0]) {
			char *again = go_clean(pat);

			free(pat);
			pat = again;
		}
		if (!go_pattern_valid(pat)) {
			ierr(err, name, line, "syntax error in pattern \"%.200s\"", pat);
			goto fail;
		}
		BRIG_GROW(ig->patterns, cap, ig->n_patterns + 1);
		ig->compiled_->c = brig_xrealloc(ig->compiled_->c, cap * sizeof(struct compiled));
		p = &ig->patterns[ig->n_patterns];
		p->raw = brig_xstrndup(l, n);
		p->negate = negate;
		p->line = line;
		p->pattern = steal_pointer(&pat);
		compile(p->pattern, &ig->compiled_->c[ig->n_patterns]);
		ig->n_patterns++;
	}
	*out = ig;
	return 0;
fail:
	brig_dockerignore_free(ig);
	return -1;
}

int brig_dockerignore_load(const char *path, struct brig_dockerignore **out,
			   struct brig_error *err)
{
	_cleanup_free_ char *data = NULL;
	size_t len;

	*out = NULL;
	if (brig_config_read_file(path, BRIG_DOCKERIGNORE_MAX_FILE, &data, &len, err))
		return -1;
	return brig_dockerignore_parse(data, len, path, out, err);
}

void brig_dockerignore_free(struct brig_dockerignore *ig)
{
	if (!ig)
		return;
	for (size_t i = 0; i < ig->n_patterns; i++) {
		free(ig->patterns[i].raw);
		free(ig->patterns[i].pattern);
		if (ig->compiled_)
			free(ig->compiled_->c[i].toks);
	}
	if (ig->compiled_)
		free(ig->compiled_->c);
	free(ig->compiled_);
	free(ig->patterns);
	free(ig->name);
	free(ig);
}

bool brig_dockerignore_matches(const struct brig_dockerignore *ig, const char *path)
{
	_cleanup_free_ char *file = NULL;
	bool matched = false;
	size_t n, dirlen;

	if (!ig || !path || strlen(path) > BRIG_MAX_PATH)
		return false;
	while (*path == '/')
		path++;
	file = go_clean(path);
	if (!strcmp(file, "."))
		return false; /* "Don't let them exclude everything" */
	n = strlen(file);
	/* filepath.Dir(file): everything before the last '/', or "." */
	{
		const char *slash = strrchr(file, '/');

		dirlen = slash ? (size_t)(slash - file) : 0;
	}
	for (size_t i = 0; i < ig->n_patterns; i++) {
		const struct brig_dockerignore_pattern *p = &ig->patterns[i];
		const struct compiled *c = &ig->compiled_->c[i];
		bool match;

		/* an inclusion cannot change a match, an exclusion a non-match */
		if (p->negate != matched)
			continue;
		match = pattern_match(c, p->pattern, file, n);
		/* or one of the parent directories matches */
		for (size_t k = 0; !match && dirlen && k <= dirlen; k++) {
			if (k == dirlen || file[k] == '/')
				match = pattern_match(c, p->pattern, file, k);
		}
		if (match)
			matched = !p->negate;
	}
	return matched;
}

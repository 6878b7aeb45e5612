/* Compose file parser on libfyaml's document API.
 *
 * The document is built WITHOUT FYPCF_RESOLVE_DOCUMENT and we never call
 * fy_document_resolve(): that copies every alias target in place, so a
 * "billion laughs" file of a few hundred bytes expands until the OOM
 * killer stops us (measured: killed at 137). Instead one memoized pass
 * counts what expansion would produce (O(document), cycles detected),
 * rejects more than BRIG_COMPOSE_MAX_NODES, and only then do we build our
 * own tree, following aliases and applying merge keys by hand.
 * FYPCF_YPATH_ALIASES is left off: it enables non-standard ypath aliases
 * that Compose does not have. */
#include "config/compose.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/parse_common.h"
#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/xalloc.h"

extern char **environ;

/* ------------------------------------------------------------------ */
/* context                                                              */

struct memo_slot {
	const void *key;
	size_t nodes;
	size_t bytes;
	bool busy; /* being counted: reaching it again is a cycle */
};

struct memo {
	struct memo_slot *s;
	size_t cap;
	size_t n;
};

struct cctx {
	const char *name;
	struct brig_error *err;
	struct brig_compose *c;
	struct brig_cfg_env env; /* interpolation environment */
	bool strict;
	bool lenient;
	size_t nodes; /* tree nodes built */
	size_t bytes; /* scalar bytes built */
	size_t warnings_cap;
	struct memo memo;
	const char *input; /* the YAML text libfyaml's marks point into */
	size_t input_len;
};

__attribute__((format(printf, 3, 4))) static int cerr(struct cctx *x, unsigned line,
						      const char *fmt, ...)
{
	char msg[BRIG_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return brig_error_set(x->err, EINVAL, "%s:%u: %s", x->name, line ? line : 1, msg);
}

__attribute__((format(printf, 3, 4))) static void cwarn(struct cctx *x, unsigned line,
							const char *fmt, ...)
{
	char msg[BRIG_ERROR_MSG_MAX];
	va_list ap;

	if (x->c->n_warnings >= BRIG_COMPOSE_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	BRIG_GROW(x->c->warnings, x->warnings_cap, x->c->n_warnings + 1);
	x->c->warnings[x->c->n_warnings++] =
		brig_xasprintf("%s:%u: %s", x->name, line ? line : 1, msg);
}

/* ------------------------------------------------------------------ */
/* interpolation (compose-go template semantics)                        */

typedef const char *(*clookup_fn)(void *ctx, const char *name, size_t n);

struct interp {
	struct cctx *x;
	clookup_fn lookup;
	void *ctx;
	unsigned line;
	bool warn; /* warn about unset variables (not for .env values) */
};

static bool name_start(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool name_char(int c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static int add(struct interp *in, struct brig_buf *out, const char *s, size_t n)
{
	if (brig_buf_append(out, s, n, in->x->err))
		return cerr(in->x, in->line, "interpolated value exceeds %zu bytes", out->max);
	return 0;
}

static int interp_run(struct interp *in, const char *s, size_t n, unsigned depth,
		      struct brig_buf *out);

static int interp_braced(struct interp *in, const char *s, size_t n, const char *whole,
			 size_t wlen, unsigned depth, struct brig_buf *out)
{
	_cleanup_buf_ struct brig_buf word = {0};
	size_t k = 0;
	const char *v, *op;
	size_t oplen;
	bool colon = false;

	while (k < n && name_char((unsigned char)s[k]))
		k++;
	if (!k || !name_start((unsigned char)s[0]))
		goto invalid;
	v = in->lookup(in->ctx, s, k);
	if (k == n) {
		if (!v) {
			if (in->warn)
				cwarn(in->x, in->line,
				      "The \"%.*s\" variable is not set. Defaulting to a blank string.",
				      (int)k, s);
			return 0;
		}
		return add(in, out, v, strlen(v));
	}
	op = s + k;
	oplen = n - k;
	if (op[0] == ':') {
		colon = true;
		op++;
		oplen--;
	}
	if (!oplen || (op[0] != '-' && op[0] != '?' && op[0] != '+'))
		goto invalid;
	brig_buf_init(&word, out->max);
	/* compose-go interpolates the default/message before using it */
	if (interp_run(in, op + 1, oplen - 1, depth + 1, &word))
		return -1;
	switch (op[0]) {
	case '-':
		if (!v || (colon && !*v))
			return add(in, out, word.data ? word.data : "", word.len);
		return add(in, out, v, strlen(v));
	case '+':
		if (!v || (colon && !*v))
			return 0;
		return add(in, out, word.data ? word.data : "", word.len);
	default: /* '?' */
		if (!v || (colon && !*v)) {
			if (in->x->strict)
				return cerr(in->x, in->line, "required variable %.*s is missing a value: %s",
					    (int)k, s, word.data ? word.data : "");
			if (in->warn)
				cwarn(in->x, in->line,
				      "required variable %.*s is missing a value: %s; using \"\"", (int)k,
				      s, word.data ? word.data : "");
			return 0;
		}
		return add(in, out, v, strlen(v));
	}
invalid:
	return cerr(in->x, in->line,
		    "invalid interpolation format: \"%.*s\"; you may need to escape any $ with another $",
		    (int)(wlen > 200 ? 200 : wlen), whole);
}

static int interp_run(struct interp *in, const char *s, size_t n, unsigned depth,
		      struct brig_buf *out)
{
	size_t i = 0;

	if (depth > BRIG_COMPOSE_MAX_INTERP_DEPTH)
		return cerr(in->x, in->line, "interpolation nested deeper than %u",
			    BRIG_COMPOSE_MAX_INTERP_DEPTH);
	while (i < n) {
		const char *d = memchr(s + i, '$', n - i);
		size_t j, open = 0, close = SIZE_MAX;

		if (!d)
			return add(in, out, s + i, n - i);
		if (add(in, out, s + i, (size_t)(d - (s + i))))
			return -1;
		i = (size_t)(d - s);
		if (i + 1 < n && s[i + 1] == '$') { /* $$ -> $ */
			if (add(in, out, "$", 1))
				return -1;
			i += 2;
			continue;
		}
		if (i + 1 < n && name_start((unsigned char)s[i + 1])) {
			const char *v;

			for (j = i + 1; j < n && name_char((unsigned char)s[j]); j++)
				;
			v = in->lookup(in->ctx, s + i + 1, j - i - 1);
			if (v) {
				if (add(in, out, v, strlen(v)))
					return -1;
			} else if (in->warn) {
				cwarn(in->x, in->line,
				      "The \"%.*s\" variable is not set. Defaulting to a blank string.",
				      (int)(j - i - 1), s + i + 1);
			}
			i = j;
			continue;
		}
		if (i + 1 >= n || s[i + 1] != '{') { /* a lone $ is literal */
			if (add(in, out, "$", 1))
				return -1;
			i++;
			continue;
		}
		/* the matching '}' counting nested ${ (compose-go) */
		for (j = i; j < n; j++) {
			if (s[j] == '}' && --open == 0) {
				close = j;
				break;
			}
			if (s[j] == '$' && j + 1 < n && s[j + 1] == '{') {
				open++;
				j++;
			}
		}
		if (close == SIZE_MAX)
			return cerr(in->x, in->line,
				    "invalid interpolation format: \"%.*s\"; you may need to escape any $ with another $",
				    (int)(n - i > 200 ? 200 : n - i), s + i);
		if (interp_braced(in, s + i + 2, close - i - 2, s + i, close - i + 1, depth, out))
			return -1;
		i = close + 1;
	}
	return 0;
}

static const char *env_lookup(void *ctx, const char *name, size_t n)
{
	return brig_cfg_env_get(ctx, name, n);
}

/* ------------------------------------------------------------------ */
/* .env                                                                 */

struct dotenv_scope {
	struct brig_cfg_env *file; /* values read so far */
	struct brig_cfg_env *proc; /* the process environment */
};

static const char *dotenv_lookup(void *ctx, const char *name, size_t n)
{
	struct dotenv_scope *d = ctx;
	const char *v = brig_cfg_env_get(d->file, name, n);

	return v ? v : brig_cfg_env_get(d->proc, name, n);
}

/* KEY=VALUE lines (compose-go dotenv): `export ` prefix, # comments,
 * 'literal' and "escaped, ${interpolated}" values that may span lines,
 * unquoted values with ` #` inline comments. */
static int dotenv_parse(struct cctx *x, const char *path, const char *s, size_t n,
			struct brig_cfg_env *proc, struct brig_cfg_env *file)
{
	struct dotenv_scope scope = {file, proc};
	const char *saved_name = x->name;
	unsigned line = 1;
	size_t i = 0;
	int rc = -1;

	x->name = path;
	while (i < n) {
		_cleanup_buf_ struct brig_buf val = {0};
		size_t ks, ke, start_line = line;
		struct interp in = {x, dotenv_lookup, &scope, line, false};

		brig_buf_init(&val, BRIG_COMPOSE_MAX_DOTENV);
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) {
			line += s[i] == '\n';
			i++;
		}
		if (i >= n)
			break;
		start_line = in.line = line;
		if (s[i] == '#') {
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		if (n - i > 7 && !memcmp(s + i, "export", 6) && (s[i + 6] == ' ' || s[i + 6] == '\t')) {
			i += 7;
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
		}
		ks = i;
		while (i < n && s[i] != '=' && s[i] != ':' && s[i] != '\n' && s[i] != ' ' &&
		       s[i] != '\t' && s[i] != '\r')
			i++;
		ke = i;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (ke == ks) {
			cerr(x, line, "unexpected character \"%c\" in variable name", s[i < n ? i : n - 1]);
			goto out;
		}
		if (i >= n || s[i] == '\n' || s[i] == '\r' || s[i] == '#') {
			/* a bare KEY: inherited from the environment, nothing to set */
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		if (s[i] != '=' && s[i] != ':') {
			cerr(x, line, "unexpected character \"%c\" in variable name", s[i]);
			goto out;
		}
		i++;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && (s[i] == '\'' || s[i] == '"')) {
			char q = s[i++];
			size_t vs = i;

			while (i < n && s[i] != q) {
				if (q == '"' && s[i] == '\\' && i + 1 < n)
					i++;
				line += s[i] == '\n';
				i++;
			}
			if (i >= n) {
				cerr(x, start_line, "unterminated quoted value");
				goto out;
			}
			if (q == '\'') {
				if (brig_buf_append(&val, s + vs, i - vs, x->err))
					goto out;
			} else {
				_cleanup_buf_ struct brig_buf raw = {0};

				brig_buf_init(&raw, BRIG_COMPOSE_MAX_DOTENV);
				for (size_t k = vs; k < i; k++) {
					char c = s[k];

					if (c == '\\' && k + 1 < i) {
						char e = s[++k];

						c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
						if (e == '$') {
							/* keep it from interpolation: $$ */
							if (brig_buf_append(&raw, "$", 1, x->err))
								goto out;
						} else if (e != '\\' && e != '"' && e != 'n' && e != 't' &&
							   e != 'r') {
							if (brig_buf_append(&raw, "\\", 1, x->err))
								goto out;
						}
					}
					if (brig_buf_append(&raw, &c, 1, x->err))
						goto out;
				}
				if (interp_run(&in, raw.data ? raw.data : "", raw.len, 0, &val))
					goto out;
			}
			i++;
			while (i < n && s[i] != '\n') /* rest of line: blanks or a comment */
				i++;
		} else {
			size_t vs = i, ve;

			while (i < n && s[i] != '\n')
				i++;
			ve = i;
			for (size_t k = vs; k < ve; k++) {
				if (s[k] == '#' && k > vs && (s[k - 1] == ' ' || s[k - 1] == '\t')) {
					ve = k;
					break;
				}
			}
			while (ve > vs && (s[ve - 1] == ' ' || s[ve - 1] == '\t' || s[ve - 1] == '\r'))
				ve--;
			if (interp_run(&in, s + vs, ve - vs, 0, &val))
				goto out;
		}
		if (memchr(val.data ? val.data : "", '\0', val.len)) {
			cerr(x, start_line, "NUL byte in value");
			goto out;
		}
		if (brig_cfg_env_set(file, s + ks, ke - ks, val.data ? val.data : "",
				     BRIG_COMPOSE_MAX_ENV_VARS)) {
			cerr(x, start_line, "more than %u variables", BRIG_COMPOSE_MAX_ENV_VARS);
			goto out;
		}
	}
	rc = 0;
out:
	x->name = saved_name;
	return rc;
}

/* ------------------------------------------------------------------ */
/* YAML -> tree                                                         */

static unsigned fy_line(struct fy_node *fn)
{
	struct fy_token *t;
	const struct fy_mark *m;

	if (!fn)
		return 0;
	t = fy_node_get_scalar_token(fn);
	m = t ? fy_token_start_mark(t) : NULL;
	return m && m->line >= 0 ? (unsigned)m->line + 1 : 0;
}

static struct memo_slot *memo_find(struct memo *m, const void *key)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		struct memo_slot *ns = brig_xcalloc(ncap, sizeof(*ns));

		for (size_t k = 0; k < m->cap; k++) {
			if (!m->s[k].key)
				continue;
			i = ((uintptr_t)m->s[k].key >> 4) & (ncap - 1);
			while (ns[i].key)
				i = (i + 1) & (ncap - 1);
			ns[i] = m->s[k];
		}
		free(m->s);
		m->s = ns;
		m->cap = ncap;
	}
	i = ((uintptr_t)key >> 4) & (m->cap - 1);
	while (m->s[i].key && m->s[i].key != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->s[i].key) {
		m->s[i].key = key;
		m->n++;
	}
	return &m->s[i];
}

static size_t sat_add(size_t a, size_t b)
{
	size_t r;

	return brig_add_ok(a, b, &r) ? r : SIZE_MAX;
}

/* The text of a scalar node. libfyaml 0.7.12 leaks its text buffer for
 * single-quoted scalars with several '' escapes (found by fuzz_compose),
 * so those are unquoted here from the source span the token marks give:
 * '' is a quote, line breaks fold to a space, n empty lines to n "\n". */
static const char *scalar_text(struct cctx *x, struct fy_node *fn, size_t *len, char **owned)
{
	struct fy_token *t;
	const struct fy_mark *s, *e;
	const char *raw, *r;
	size_t n, empty = 0;
	char *out, *w;
	bool first = true;

	*owned = NULL;
	if (fy_node_get_style(fn) != FYNS_SINGLE_QUOTED) {
		const char *v = fy_node_get_scalar(fn, len);

		return v ? v : "";
	}
	t = fy_node_get_scalar_token(fn);
	s = t ? fy_token_start_mark(t) : NULL;
	e = t ? fy_token_end_mark(t) : NULL;
	if (!s || !e || e->input_pos < s->input_pos || e->input_pos > x->input_len) {
		*len = 0;
		return "";
	}
	raw = x->input + s->input_pos;
	n = e->input_pos - s->input_pos;
	w = out = brig_xmalloc(n + 1);
	for (r = raw; r <= raw + n;) {
		const char *eol = memchr(r, '\n', (size_t)(raw + n - r));
		const char *b = r, *end = eol ? eol : raw + n;
		bool last = !eol;

		if (end > b && end[-1] == '\r' && !last)
			end--;
		if (!first)
			while (b < end && (*b == ' ' || *b == '\t'))
				b++;
		if (!last)
			while (end > b && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
		if (!first) {
			if (b == end && !last) {
				empty++;
				r = eol + 1;
				continue;
			}
			if (empty)
				for (; empty; empty--)
					*w++ = '\n';
			else
				*w++ = ' ';
		}
		for (const char *c = b; c < end; c++) {
			*w++ = *c;
			if (*c == '\'' && c + 1 < end && c[1] == '\'')
				c++;
		}
		first = false;
		if (last)
			break;
		r = eol + 1;
	}
	*w = '\0';
	*len = (size_t)(w - out);
	*owned = out;
	return out;
}

/* Follows an alias; NULL after setting err when it goes nowhere. */
static struct fy_node *deref(struct cctx *x, struct fy_node *fn)
{
	struct fy_node *t;

	if (!fn || !fy_node_is_alias(fn))
		return fn;
	t = fy_node_resolve_alias(fn);
	if (!t) {
		size_t len = 0;
		const char *a = fy_node_get_scalar(fn, &len);

		cerr(x, fy_line(fn), "alias *%.*s refers to no anchor (or to itself)",
		     (int)(len > 100 ? 100 : len), a ? a : "");
	}
	return t;
}

/* What building the tree below fn would cost, aliases expanded, memoized
 * by node so a bomb is measured in O(document) time. */
static int precount(struct cctx *x, struct fy_node *fn, unsigned depth, size_t *nodes,
		    size_t *bytes)
{
	struct memo_slot *slot;
	size_t nn = 1, nb = 0, len = 0;
	unsigned line = fy_line(fn);

	*nodes = 1;
	*bytes = 0;
	if (!fn)
		return 0;
	if (depth > BRIG_MAX_NESTING)
		return cerr(x, line, "nesting (aliases included) deeper than %u", BRIG_MAX_NESTING);
	fn = deref(x, fn);
	if (!fn)
		return -1;
	slot = memo_find(&x->memo, fn);
	if (slot->busy)
		return cerr(x, line, "recursive alias: a node contains an alias of itself");
	if (slot->nodes) {
		*nodes = slot->nodes;
		*bytes = slot->bytes;
		return 0;
	}
	slot->busy = true;
	switch (fy_node_get_type(fn)) {
	case FYNT_SCALAR: {
		char *owned;

		scalar_text(x, fn, &len, &owned);
		free(owned);
		nb = len;
		break;
	}
	case FYNT_SEQUENCE: {
		void *it = NULL;
		struct fy_node *c;

		while ((c = fy_node_sequence_iterate(fn, &it))) {
			size_t cn, cb;

			if (precount(x, c, depth + 1, &cn, &cb))
				return -1;
			nn = sat_add(nn, cn);
			nb = sat_add(nb, cb);
			if (nn > BRIG_COMPOSE_MAX_NODES)
				break;
		}
		break;
	}
	case FYNT_MAPPING: {
		void *it = NULL;
		struct fy_node_pair *p;

		while ((p = fy_node_mapping_iterate(fn, &it))) {
			size_t cn, cb, kn, kb;

			if (precount(x, fy_node_pair_key(p), depth + 1, &kn, &kb) ||
			    precount(x, fy_node_pair_value(p), depth + 1, &cn, &cb))
				return -1;
			nn = sat_add(nn, cn);
			nb = sat_add(sat_add(nb, cb), kb);
			if (nn > BRIG_COMPOSE_MAX_NODES)
				break;
		}
		break;
	}
	}
	/* the memo may have been resized by the recursion */
	slot = memo_find(&x->memo, fn);
	slot->busy = false;
	slot->nodes = nn;
	slot->bytes = nb;
	*nodes = nn;
	*bytes = nb;
	return 0;
}

static void node_free(struct brig_compose_node *n)
{
	if (!n)
		return;
	free(n->scalar);
	for (size_t i = 0; n->kind == BRIG_COMPOSE_SEQ && i < n->n; i++)
		node_free(n->items[i]);
	free(n->items);
	for (size_t i = 0; n->kind == BRIG_COMPOSE_MAP && i < n->n; i++) {
		free(n->pairs[i].key);
		node_free(n->pairs[i].value);
	}
	free(n->pairs);
	free(n);
}

static struct brig_compose_node *new_node(struct cctx *x, enum brig_compose_kind kind,
					  unsigned line)
{
	struct brig_compose_node *n;

	if (++x->nodes > BRIG_COMPOSE_MAX_NODES) {
		cerr(x, line, "more than %u YAML nodes once aliases are expanded",
		     BRIG_COMPOSE_MAX_NODES);
		return NULL;
	}
	n = brig_xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->line = line;
	return n;
}

static bool plain_null(struct fy_node *fn, const char *s, size_t len)
{
	if (fy_node_get_style(fn) != FYNS_PLAIN)
		return false;
	return len == 0 || (len == 1 && s[0] == '~') ||
	       (len == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static int conv(struct cctx *x, struct fy_node *fn, unsigned depth, unsigned fallback,
		struct brig_compose_node **out);

static int key_text(struct cctx *x, struct fy_node *kn, unsigned line, char **key, bool *merge)
{
	const char *s;
	char *owned = NULL;
	size_t len = 0;

	*key = NULL;
	*merge = false;
	if (kn && fy_node_is_alias(kn)) {
		kn = deref(x, kn);
		if (!kn)
			return -1;
	}
	if (!kn || fy_node_get_type(kn) != FYNT_SCALAR)
		return cerr(x, line, "mapping keys must be strings");
	s = scalar_text(x, kn, &len, &owned);
	if (memchr(s, '\0', len)) {
		free(owned);
		return cerr(x, line, "NUL byte in a mapping key");
	}
	*merge = len == 2 && !memcmp(s, "<<", 2) && fy_node_get_style(kn) == FYNS_PLAIN;
	*key = brig_xstrndup(s, len);
	free(owned);
	return 0;
}

/* Adds the pairs of src (a converted mapping) that dst lacks; src is freed. */
static void merge_into(struct brig_compose_node *dst, size_t *cap, struct brig_cfg_env *keys,
		       struct brig_compose_node *src)
{
	for (size_t i = 0; i < src->n; i++) {
		struct brig_compose_pair *sp = &src->pairs[i];

		if (brig_cfg_env_get(keys, sp->key, strlen(sp->key))) {
			free(sp->key);
			node_free(sp->value);
			continue;
		}
		brig_cfg_env_set(keys, sp->key, strlen(sp->key), "", SIZE_MAX);
		BRIG_GROW(dst->pairs, *cap, dst->n + 1);
		dst->pairs[dst->n++] = *sp;
	}
	free(src->pairs);
	src->pairs = NULL;
	src->n = 0;
	node_free(src);
}

static int conv_merge_source(struct cctx *x, struct fy_node *src, unsigned depth, unsigned line,
			     struct brig_compose_node **out)
{
	struct fy_node *t = deref(x, src);

	*out = NULL;
	if (!t)
		return -1;
	if (fy_node_get_type(t) != FYNT_MAPPING)
		return cerr(x, line, "map merge requires map or sequence of maps as the value");
	return conv(x, t, depth + 1, line, out);
}

static int conv_map(struct cctx *x, struct fy_node *fn, unsigned depth, unsigned fallback,
		    struct brig_compose_node *n)
{
	_cleanup_free_ struct fy_node **merges = NULL;
	size_t n_merges = 0, merges_cap = 0, cap = 0;
	struct brig_cfg_env keys = {0};
	struct fy_node_pair *p;
	void *it = NULL;
	int rc = -1;

	while ((p = fy_node_mapping_iterate(fn, &it))) {
		struct fy_node *kn = fy_node_pair_key(p);
		unsigned kline = fy_line(kn);
		struct brig_compose_node *v = NULL;
		bool merge;
		char *key;

		if (!kline)
			kline = fallback;
		if (key_text(x, kn, kline, &key, &merge))
			goto out;
		/* Duplicate keys are checked here, with a hash, rather than by
		 * libfyaml: its check is a linear scan per key, and a mapping
		 * of 20000 services took a minute. */
		if (brig_cfg_env_get(&keys, key, strlen(key)) || (merge && n_merges)) {
			if (!x->lenient) {
				cerr(x, kline, "YAML: duplicate key \"%.100s\"", key);
				free(key);
				goto out;
			}
			cwarn(x, kline, "duplicate key \"%.100s\" ignored", key);
			free(key);
			continue;
		}
		if (merge) {
			free(key);
			BRIG_GROW(merges, merges_cap, n_merges + 1);
			merges[n_merges++] = fy_node_pair_value(p);
			continue;
		}
		brig_cfg_env_set(&keys, key, strlen(key), "", SIZE_MAX);
		if (conv(x, fy_node_pair_value(p), depth + 1, kline, &v)) {
			free(key);
			goto out;
		}
		BRIG_GROW(n->pairs, cap, n->n + 1);
		n->pairs[n->n].key = key;
		n->pairs[n->n].line = kline;
		n->pairs[n->n].value = v;
		n->n++;
	}
	/* explicit keys win; then earlier merge sources over later ones */
	for (size_t m = 0; m < n_merges; m++) {
		struct fy_node *mv = deref(x, merges[m]);
		unsigned mline = fy_line(merges[m]) ? fy_line(merges[m]) : fallback;

		if (!mv && merges[m])
			goto out;
		if (mv && fy_node_get_type(mv) == FYNT_SEQUENCE) {
			void *sit = NULL;
			struct fy_node *item;

			while ((item = fy_node_sequence_iterate(mv, &sit))) {
				struct brig_compose_node *src;

				if (conv_merge_source(x, item, depth, mline, &src))
					goto out;
				merge_into(n, &cap, &keys, src);
			}
		} else {
			struct brig_compose_node *src;

			if (!mv) {
				cerr(x, mline, "map merge requires map or sequence of maps as the value");
				goto out;
			}
			if (conv_merge_source(x, mv, depth, mline, &src))
				goto out;
			merge_into(n, &cap, &keys, src);
		}
	}
	rc = 0;
out:
	brig_cfg_env_free(&keys);
	return rc;
}

static int conv(struct cctx *x, struct fy_node *fn, unsigned depth, unsigned fallback,
		struct brig_compose_node **out)
{
	struct brig_compose_node *n = NULL;
	unsigned line;

	*out = NULL;
	if (depth > BRIG_MAX_NESTING)
		return cerr(x, fallback, "nesting (aliases included) deeper than %u", BRIG_MAX_NESTING);
	if (fn && fy_node_is_alias(fn)) {
		fn = deref(x, fn);
		if (!fn)
			return -1;
	}
	line = fy_line(fn);
	if (!line)
		line = fallback;
	if (!fn) {
		*out = new_node(x, BRIG_COMPOSE_NULL, line);
		return *out ? 0 : -1;
	}
	switch (fy_node_get_type(fn)) {
	case FYNT_SCALAR: {
		_cleanup_buf_ struct brig_buf val = {0};
		struct interp in = {x, env_lookup, &x->env, line, true};
		_cleanup_free_ char *owned = NULL;
		size_t len = 0;
		const char *s = scalar_text(x, fn, &len, &owned);

		if (plain_null(fn, s, len)) {
			*out = new_node(x, BRIG_COMPOSE_NULL, line);
			return *out ? 0 : -1;
		}
		if (memchr(s, '\0', len))
			return cerr(x, line, "NUL byte in a YAML scalar");
		brig_buf_init(&val, BRIG_COMPOSE_MAX_SCALAR_BYTES - x->bytes);
		if (interp_run(&in, s, len, 0, &val))
			return -1;
		if (memchr(val.data ? val.data : "", '\0', val.len))
			return cerr(x, line, "NUL byte in an interpolated value");
		x->bytes += val.len;
		n = new_node(x, BRIG_COMPOSE_SCALAR, line);
		if (!n)
			return -1;
		n->quoted = fy_node_get_style(fn) != FYNS_PLAIN;
		n->scalar = brig_buf_steal(&val, NULL);
		break;
	}
	case FYNT_SEQUENCE: {
		void *it = NULL;
		struct fy_node *c;
		size_t cap = 0;

		n = new_node(x, BRIG_COMPOSE_SEQ, line);
		if (!n)
			return -1;
		while ((c = fy_node_sequence_iterate(fn, &it))) {
			struct brig_compose_node *cn;

			if (conv(x, c, depth + 1, line, &cn)) {
				node_free(n);
				return -1;
			}
			BRIG_GROW(n->items, cap, n->n + 1);
			n->items[n->n++] = cn;
		}
		if (n->n && n->items[0]->line)
			n->line = n->items[0]->line;
		break;
	}
	case FYNT_MAPPING:
		n = new_node(x, BRIG_COMPOSE_MAP, line);
		if (!n)
			return -1;
		if (conv_map(x, fn, depth, line, n)) {
			node_free(n);
			return -1;
		}
		if (n->n && n->pairs[0].line && !fy_line(fn))
			n->line = n->pairs[0].line;
		break;
	}
	*out = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* tree helpers                                                         */

const struct brig_compose_pair *brig_compose_node_pair(const struct brig_compose_node *n,
						       const char *key)
{
	if (!n || n->kind != BRIG_COMPOSE_MAP || !key)
		return NULL;
	for (size_t i = 0; i < n->n; i++) {
		if (!strcmp(n->pairs[i].key, key))
			return &n->pairs[i];
	}
	return NULL;
}

const struct brig_compose_node *brig_compose_node_get(const struct brig_compose_node *n,
						      const char *key)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(n, key);

	return p ? p->value : NULL;
}

const struct brig_compose_node *brig_compose_node_path(const struct brig_compose_node *n,
						       const char *dotted)
{
	char part[256];

	while (n && dotted && *dotted) {
		const char *dot = strchr(dotted, '.');
		size_t len = dot ? (size_t)(dot - dotted) : strlen(dotted);

		if (len >= sizeof(part))
			return NULL;
		memcpy(part, dotted, len);
		part[len] = '\0';
		n = brig_compose_node_get(n, part);
		dotted = dot ? dot + 1 : NULL;
	}
	return n;
}

const struct brig_compose_service *brig_compose_service(const struct brig_compose *c,
							 const char *name)
{
	for (size_t i = 0; c && name && i < c->n_services; i++) {
		if (!strcmp(c->services[i].name, name))
			return &c->services[i];
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* typed extraction                                                     */

struct where {
	struct cctx *x;
	const char *svc; /* for messages: services.<svc>.<key> */
};

static bool is_null(const struct brig_compose_node *n)
{
	return !n || n->kind == BRIG_COMPOSE_NULL;
}

static int shape_err(struct where *w, const char *key, unsigned line, const char *what)
{
	if (!w->svc)
		return cerr(w->x, line, "%s must be %s", key, what);
	return cerr(w->x, line, "services.%.100s.%s must be %s", w->svc, key, what);
}

/* The list under key: 1 with *out set, 0 when the key is absent or null,
 * -1 (reported) when it is something else. */
static int get_seq(struct where *w, const struct brig_compose_node *map, const char *key,
		   const struct brig_compose_node **out)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(map, key);

	*out = NULL;
	if (!p || is_null(p->value))
		return 0;
	if (p->value->kind != BRIG_COMPOSE_SEQ)
		return shape_err(w, key, p->line, "a list");
	*out = p->value;
	return 1;
}

/* A scalar setting (numbers and booleans keep their YAML text). */
static int get_value(struct where *w, const struct brig_compose_node *map, const char *key,
		     struct brig_compose_value *out)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(map, key);

	if (!p || is_null(p->value))
		return 0;
	if (p->value->kind != BRIG_COMPOSE_SCALAR)
		return shape_err(w, key, p->line, "a string or number");
	out->value = brig_xstrdup(p->value->scalar);
	out->line = p->line;
	return 0;
}

static int parse_bool(const char *s, bool *v)
{
	static const char *const t[] = {"true", "yes", "on", "y", "1"};
	static const char *const f[] = {"false", "no", "off", "n", "0"};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (!strcasecmp(s, t[i])) {
			*v = true;
			return 0;
		}
		if (!strcasecmp(s, f[i])) {
			*v = false;
			return 0;
		}
	}
	return -1;
}

static int get_bool(struct where *w, const struct brig_compose_node *map, const char *key,
		    struct brig_compose_bool *out)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(map, key);

	if (!p || is_null(p->value))
		return 0;
	if (p->value->kind != BRIG_COMPOSE_SCALAR)
		return shape_err(w, key, p->line, "a boolean");
	/* "${PRIVILEGED}" left empty by interpolation: as if unset */
	if (!p->value->scalar[0])
		return 0;
	if (parse_bool(p->value->scalar, &out->value))
		return shape_err(w, key, p->line, "a boolean");
	out->set = true;
	out->line = p->line;
	return 0;
}

static void list_push(struct brig_compose_list *l, size_t *cap, const char *s, unsigned line)
{
	BRIG_GROW(l->items, *cap, l->n + 1);
	l->items[l->n].value = brig_xstrdup(s);
	l->items[l->n].line = line;
	l->n++;
}

/* allow_string: `tmpfs: /run` is a one-item list. item_key: a mapping
 * item contributes its value for that key (env_file: [{path: ...}]). */
static int get_list(struct where *w, const struct brig_compose_node *map, const char *key,
		    bool allow_string, const char *item_key, struct brig_compose_list *out)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(map, key);
	const struct brig_compose_node *v;
	size_t cap = 0;

	if (!p || is_null(p->value))
		return 0;
	v = p->value;
	out->present = true;
	out->line = p->line;
	if (v->kind == BRIG_COMPOSE_SCALAR && allow_string) {
		list_push(out, &cap, v->scalar, p->line);
		return 0;
	}
	if (v->kind != BRIG_COMPOSE_SEQ)
		return shape_err(w, key, p->line, allow_string ? "a string or a list" : "a list");
	for (size_t i = 0; i < v->n; i++) {
		const struct brig_compose_node *it = v->items[i];

		if (it->kind == BRIG_COMPOSE_SCALAR) {
			list_push(out, &cap, it->scalar, it->line);
		} else if (it->kind == BRIG_COMPOSE_MAP && item_key) {
			const struct brig_compose_node *k = brig_compose_node_get(it, item_key);

			if (!k || k->kind != BRIG_COMPOSE_SCALAR)
				return shape_err(w, key, it->line, "a list of strings");
			list_push(out, &cap, k->scalar, it->line);
		} else if (!is_null(it)) {
			return shape_err(w, key, it->line, "a list of strings");
		}
	}
	return 0;
}

static void kv_push(struct brig_compose_kvs *kv, size_t *cap, const char *k, size_t klen,
		    const char *v, unsigned line)
{
	BRIG_GROW(kv->items, *cap, kv->n + 1);
	kv->items[kv->n].key = brig_xstrndup(k, klen);
	kv->items[kv->n].value = v ? brig_xstrdup(v) : NULL;
	kv->items[kv->n].line = line;
	kv->n++;
}

/* `- K=V` / `- K` lists and `K: V` maps. */
static int get_kvs(struct where *w, const struct brig_compose_node *map, const char *key,
		   struct brig_compose_kvs *out)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(map, key);
	const struct brig_compose_node *v;
	size_t cap = 0;

	if (!p || is_null(p->value))
		return 0;
	v = p->value;
	out->present = true;
	out->line = p->line;
	if (v->kind == BRIG_COMPOSE_MAP) {
		for (size_t i = 0; i < v->n; i++) {
			const struct brig_compose_node *val = v->pairs[i].value;

			if (!is_null(val) && val->kind != BRIG_COMPOSE_SCALAR)
				return shape_err(w, key, v->pairs[i].line,
						 "a mapping of strings, numbers or booleans");
			kv_push(out, &cap, v->pairs[i].key, strlen(v->pairs[i].key),
				is_null(val) ? NULL : val->scalar, v->pairs[i].line);
		}
		return 0;
	}
	if (v->kind != BRIG_COMPOSE_SEQ)
		return shape_err(w, key, p->line, "a list or a mapping");
	for (size_t i = 0; i < v->n; i++) {
		const struct brig_compose_node *it = v->items[i];
		const char *eq;

		if (is_null(it))
			continue;
		if (it->kind != BRIG_COMPOSE_SCALAR)
			return shape_err(w, key, it->line, "a list of KEY=VALUE strings");
		eq = strchr(it->scalar, '=');
		kv_push(out, &cap, it->scalar, eq ? (size_t)(eq - it->scalar) : strlen(it->scalar),
			eq ? eq + 1 : NULL, it->line);
	}
	return 0;
}

static int get_command(struct where *w, const struct brig_compose_node *map, const char *key,
		       struct brig_compose_command *out)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(map, key);
	const struct brig_compose_node *v;

	if (!p || is_null(p->value))
		return 0;
	v = p->value;
	out->present = true;
	out->line = p->line;
	if (v->kind == BRIG_COMPOSE_SCALAR) {
		out->shell = brig_xstrdup(v->scalar);
		return 0;
	}
	if (v->kind != BRIG_COMPOSE_SEQ)
		return shape_err(w, key, p->line, "a string or a list");
	out->is_list = true;
	out->argv = brig_xcalloc(v->n ? v->n : 1, sizeof(char *));
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i]->kind != BRIG_COMPOSE_SCALAR)
			return shape_err(w, key, v->items[i]->line, "a list of strings");
		out->argv[out->argc++] = brig_xstrdup(v->items[i]->scalar);
	}
	return 0;
}

static char *xdup_or_null(const char *s, size_t n)
{
	return n ? brig_xstrndup(s, n) : NULL;
}

static void free_port(struct brig_compose_port *p)
{
	free(p->raw);
	free(p->host_ip);
	free(p->published);
	free(p->target);
	free(p->protocol);
	free(p->mode);
	memset(p, 0, sizeof(*p));
}

static void free_volume(struct brig_compose_volume *v)
{
	free(v->raw);
	free(v->type);
	free(v->source);
	free(v->target);
	free(v->mode);
	free(v->propagation);
	memset(v, 0, sizeof(*v));
}

static void free_secret(struct brig_compose_secret_ref *r)
{
	free(r->source);
	free(r->target);
	free(r->uid);
	free(r->gid);
	free(r->mode);
	memset(r, 0, sizeof(*r));
}

/* "[[ip:]host:]container[/proto]" (docker/go-connections ParsePortSpec). */
static int parse_port_short(struct where *w, const char *raw, unsigned line,
			    struct brig_compose_port *pt)
{
	const char *slash, *c1, *c2 = NULL, *end;
	size_t n = strlen(raw);

	pt->raw = brig_xstrdup(raw);
	pt->line = line;
	slash = strchr(raw, '/');
	/* the protocol belongs to the container part: after the last ':' */
	c1 = strrchr(raw, ':');
	if (slash && c1 && slash < c1)
		slash = NULL;
	end = slash ? slash : raw + n;
	pt->protocol = brig_xstrdup(slash && slash[1] ? slash + 1 : "tcp");
	if (!c1 || c1 > end) {
		pt->target = xdup_or_null(raw, (size_t)(end - raw));
	} else {
		pt->target = xdup_or_null(c1 + 1, (size_t)(end - c1 - 1));
		for (const char *q = raw; q < c1; q++) {
			if (*q == ':')
				c2 = q;
		}
		if (!c2) {
			pt->published = xdup_or_null(raw, (size_t)(c1 - raw));
		} else {
			const char *ip = raw;
			size_t iplen = (size_t)(c2 - raw);

			pt->published = xdup_or_null(c2 + 1, (size_t)(c1 - c2 - 1));
			if (iplen >= 2 && ip[0] == '[' && ip[iplen - 1] == ']') {
				ip++;
				iplen -= 2;
			}
			pt->host_ip = xdup_or_null(ip, iplen);
		}
	}
	if (!pt->target)
		return cerr(w->x, line, "services.%.100s.ports: no port specified in \"%.100s\"",
			    w->svc, raw);
	return 0;
}

static int get_ports(struct where *w, const struct brig_compose_node *map,
		     struct brig_compose_service *s)
{
	const struct brig_compose_node *v;
	int found = get_seq(w, map, "ports", &v);

	if (found <= 0)
		return found;
	s->ports = brig_xcalloc(v->n ? v->n : 1, sizeof(*s->ports));
	for (size_t i = 0; i < v->n; i++) {
		const struct brig_compose_node *it = v->items[i];
		struct brig_compose_port *pt = &s->ports[s->n_ports];

		if (is_null(it))
			continue;
		/* counted only once complete: a lenient caller keeps no half port */
		if (it->kind == BRIG_COMPOSE_SCALAR) {
			if (parse_port_short(w, it->scalar, it->line, pt)) {
				free_port(pt);
				return -1;
			}
		} else if (it->kind == BRIG_COMPOSE_MAP) {
			struct brig_compose_value tv = {0}, pv = {0}, iv = {0}, prv = {0}, mv = {0};

			pt->line = it->line;
			if (get_value(w, it, "target", &tv) || get_value(w, it, "published", &pv) ||
			    get_value(w, it, "host_ip", &iv) || get_value(w, it, "protocol", &prv) ||
			    get_value(w, it, "mode", &mv)) {
				free(tv.value);
				free(pv.value);
				free(iv.value);
				free(prv.value);
				free(mv.value);
				return -1;
			}
			pt->target = tv.value;
			pt->published = pv.value;
			pt->host_ip = iv.value;
			pt->protocol = prv.value ? prv.value : brig_xstrdup("tcp");
			pt->mode = mv.value;
			if (!pt->target) {
				free_port(pt);
				return cerr(w->x, it->line, "services.%.100s.ports: target is required",
					    w->svc);
			}
		} else {
			return shape_err(w, "ports", it->line, "a list of strings or mappings");
		}
		s->n_ports++;
	}
	return 0;
}

static bool is_propagation(const char *o, size_t n)
{
	static const char *const props[] = {"shared", "rshared", "slave", "rslave", "private",
					     "rprivate"};

	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++) {
		if (strlen(props[i]) == n && !memcmp(props[i], o, n))
			return true;
	}
	return false;
}

static bool is_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* compose-go ParseVolume: "[source:]target[:mode]" with Windows drives. */
static int parse_volume_short(struct where *w, const char *raw, unsigned line,
			      struct brig_compose_volume *vol)
{
	size_t n = strlen(raw), bstart = 0;
	const char *opts = NULL;
	bool bind;

	vol->raw = brig_xstrdup(raw);
	vol->line = line;
	if (!n)
		return cerr(w->x, line, "services.%.100s.volumes: invalid empty volume spec", w->svc);
	if (n <= 2) {
		vol->target = brig_xstrdup(raw);
		vol->type = brig_xstrdup("volume");
		return 0;
	}
	for (size_t i = 0; i <= n; i++) {
		bool end = i == n;
		size_t blen = i - bstart;

		if (!end && raw[i] != ':')
			continue;
		/* "C:" is a drive letter, not a separator */
		if (!end && blen == 1 && is_letter((unsigned char)raw[bstart]))
			continue;
		if (!blen)
			return cerr(w->x, line,
				    "services.%.100s.volumes: invalid spec \"%.100s\": empty section between colons",
				    w->svc, raw);
		if (!vol->source && end && !vol->target) {
			vol->target = brig_xstrndup(raw + bstart, blen);
		} else if (!vol->source) {
			vol->source = brig_xstrndup(raw + bstart, blen);
		} else if (!vol->target) {
			vol->target = brig_xstrndup(raw + bstart, blen);
		} else if (!end) {
			return cerr(w->x, line,
				    "services.%.100s.volumes: invalid spec \"%.100s\": too many colons",
				    w->svc, raw);
		} else {
			opts = raw + bstart;
		}
		bstart = i + 1;
	}
	if (opts) {
		vol->mode = brig_xstrdup(opts);
		for (const char *o = opts; *o;) {
			const char *comma = strchr(o, ',');
			size_t len = comma ? (size_t)(comma - o) : strlen(o);

			if (len == 2 && !memcmp(o, "ro", 2))
				vol->read_only = true;
			else if (len == 2 && !memcmp(o, "rw", 2))
				vol->read_only = false;
			else if (is_propagation(o, len)) {
				free(vol->propagation);
				vol->propagation = brig_xstrndup(o, len);
			}
			o += len + (comma ? 1 : 0);
		}
	}
	/* a path-looking source is a bind mount, anything else a named volume */
	bind = vol->source &&
	       (vol->source[0] == '.' || vol->source[0] == '/' || vol->source[0] == '~' ||
		!strncmp(vol->source, "\\\\", 2) ||
		(is_letter((unsigned char)vol->source[0]) && vol->source[1] == ':'));
	vol->type = brig_xstrdup(bind ? "bind" : "volume");
	return 0;
}

static int get_volumes(struct where *w, const struct brig_compose_node *map,
		       struct brig_compose_service *s)
{
	const struct brig_compose_node *v;
	int found = get_seq(w, map, "volumes", &v);

	if (found <= 0)
		return found;
	s->volumes = brig_xcalloc(v->n ? v->n : 1, sizeof(*s->volumes));
	for (size_t i = 0; i < v->n; i++) {
		const struct brig_compose_node *it = v->items[i];
		struct brig_compose_volume *vol = &s->volumes[s->n_volumes];

		if (is_null(it))
			continue;
		if (it->kind == BRIG_COMPOSE_SCALAR) {
			if (parse_volume_short(w, it->scalar, it->line, vol)) {
				free_volume(vol);
				return -1;
			}
		} else if (it->kind == BRIG_COMPOSE_MAP) {
			struct brig_compose_value t = {0}, src = {0}, tgt = {0}, prop = {0};
			struct brig_compose_bool ro = {0};
			const struct brig_compose_node *bind = brig_compose_node_get(it, "bind");
			int rc;

			vol->line = it->line;
			rc = get_value(w, it, "type", &t) || get_value(w, it, "source", &src) ||
			     get_value(w, it, "target", &tgt) || get_bool(w, it, "read_only", &ro) ||
			     (bind && bind->kind == BRIG_COMPOSE_MAP &&
			      get_value(w, bind, "propagation", &prop));
			vol->type = t.value ? t.value : brig_xstrdup("volume");
			vol->source = src.value;
			vol->target = tgt.value;
			vol->propagation = prop.value;
			vol->read_only = ro.set && ro.value;
			if (rc) {
				free_volume(vol);
				return -1;
			}
		} else {
			return shape_err(w, "volumes", it->line, "a list of strings or mappings");
		}
		s->n_volumes++;
	}
	return 0;
}

static int get_secrets(struct where *w, const struct brig_compose_node *map,
		       struct brig_compose_service *s)
{
	const struct brig_compose_node *v;
	int found = get_seq(w, map, "secrets", &v);

	if (found <= 0)
		return found;
	s->secrets = brig_xcalloc(v->n ? v->n : 1, sizeof(*s->secrets));
	for (size_t i = 0; i < v->n; i++) {
		const struct brig_compose_node *it = v->items[i];
		struct brig_compose_secret_ref *r = &s->secrets[s->n_secrets];

		if (is_null(it))
			continue;
		r->line = it->line;
		if (it->kind == BRIG_COMPOSE_SCALAR) {
			r->source = brig_xstrdup(it->scalar);
		} else if (it->kind == BRIG_COMPOSE_MAP) {
			struct brig_compose_value a = {0}, b = {0}, c = {0}, d = {0}, e = {0};
			int rc = get_value(w, it, "source", &a) || get_value(w, it, "target", &b) ||
				 get_value(w, it, "uid", &c) || get_value(w, it, "gid", &d) ||
				 get_value(w, it, "mode", &e);

			r->source = a.value;
			r->target = b.value;
			r->uid = c.value;
			r->gid = d.value;
			r->mode = e.value;
			if (rc || !r->source) {
				free_secret(r);
				if (rc)
					return -1;
				return cerr(w->x, it->line, "services.%.100s.secrets: source is required",
					    w->svc);
			}
		} else {
			return shape_err(w, "secrets", it->line, "a list of strings or mappings");
		}
		s->n_secrets++;
	}
	return 0;
}

static int get_devices(struct where *w, const struct brig_compose_node *map,
		       struct brig_compose_list *out)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(map, "devices");
	const struct brig_compose_node *v;
	size_t cap = 0;

	if (!p || is_null(p->value))
		return 0;
	v = p->value;
	out->present = true;
	out->line = p->line;
	if (v->kind != BRIG_COMPOSE_SEQ)
		return shape_err(w, "devices", p->line, "a list");
	for (size_t i = 0; i < v->n; i++) {
		const struct brig_compose_node *it = v->items[i];

		if (it->kind == BRIG_COMPOSE_SCALAR) {
			list_push(out, &cap, it->scalar, it->line);
		} else if (it->kind == BRIG_COMPOSE_MAP) {
			/* long syntax {source, target, permissions} -> "src:dst:perm" */
			const struct brig_compose_node *a = brig_compose_node_get(it, "source");
			const struct brig_compose_node *b = brig_compose_node_get(it, "target");
			const struct brig_compose_node *c = brig_compose_node_get(it, "permissions");
			_cleanup_free_ char *s = NULL;

			if (!a || a->kind != BRIG_COMPOSE_SCALAR)
				return shape_err(w, "devices", it->line, "a list with a source");
			s = brig_xasprintf("%s%s%s%s%s", a->scalar,
					   b && b->kind == BRIG_COMPOSE_SCALAR ? ":" : "",
					   b && b->kind == BRIG_COMPOSE_SCALAR ? b->scalar : "",
					   c && c->kind == BRIG_COMPOSE_SCALAR ? ":" : "",
					   c && c->kind == BRIG_COMPOSE_SCALAR ? c->scalar : "");
			list_push(out, &cap, s, it->line);
		} else if (!is_null(it)) {
			return shape_err(w, "devices", it->line, "a list of strings or mappings");
		}
	}
	return 0;
}

static int get_build(struct where *w, const struct brig_compose_node *map,
		     struct brig_compose_build *b)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(map, "build");
	const struct brig_compose_node *v;
	struct where bw = *w;

	if (!p || is_null(p->value))
		return 0;
	v = p->value;
	b->present = true;
	b->line = p->line;
	if (v->kind == BRIG_COMPOSE_SCALAR) {
		b->context.value = brig_xstrdup(v->scalar);
		b->context.line = p->line;
		return 0;
	}
	if (v->kind != BRIG_COMPOSE_MAP)
		return shape_err(w, "build", p->line, "a string or a mapping");
	bw.svc = w->svc;
	return get_value(&bw, v, "context", &b->context) ||
	       get_value(&bw, v, "dockerfile", &b->dockerfile) ||
	       get_value(&bw, v, "dockerfile_inline", &b->dockerfile_inline) ||
	       get_value(&bw, v, "target", &b->target) || get_kvs(&bw, v, "args", &b->args);
}

static int get_healthcheck(struct where *w, const struct brig_compose_node *map,
			   struct brig_compose_healthcheck *h)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(map, "healthcheck");
	const struct brig_compose_node *v;

	if (!p || is_null(p->value))
		return 0;
	v = p->value;
	if (v->kind != BRIG_COMPOSE_MAP)
		return shape_err(w, "healthcheck", p->line, "a mapping");
	h->present = true;
	h->line = p->line;
	return get_command(w, v, "test", &h->test) || get_value(w, v, "interval", &h->interval) ||
	       get_value(w, v, "timeout", &h->timeout) || get_value(w, v, "retries", &h->retries) ||
	       get_value(w, v, "start_period", &h->start_period) ||
	       get_bool(w, v, "disable", &h->disable);
}

static int get_service(struct cctx *x, const struct brig_compose_pair *sp,
		       struct brig_compose_service *s)
{
	const struct brig_compose_node *m = sp->value;
	const struct brig_compose_node *limits;
	struct where w = {x, sp->key};

	s->name = brig_xstrdup(sp->key);
	s->line = sp->line;
	s->node = m;
	if (m->kind != BRIG_COMPOSE_MAP)
		return cerr(x, sp->line, "services.%.100s must be a mapping", sp->key);
	if (get_build(&w, m, &s->build) || get_value(&w, m, "image", &s->image) ||
	    get_value(&w, m, "user", &s->user) ||
	    get_value(&w, m, "container_name", &s->container_name) ||
	    get_value(&w, m, "restart", &s->restart) ||
	    get_value(&w, m, "network_mode", &s->network_mode) ||
	    get_value(&w, m, "pid", &s->pid) || get_value(&w, m, "ipc", &s->ipc) ||
	    get_value(&w, m, "uts", &s->uts) || get_value(&w, m, "userns_mode", &s->userns_mode) ||
	    get_value(&w, m, "cgroup", &s->cgroup) ||
	    get_value(&w, m, "cgroup_parent", &s->cgroup_parent) ||
	    get_value(&w, m, "mem_limit", &s->mem_limit) ||
	    get_value(&w, m, "memswap_limit", &s->memswap_limit) ||
	    get_value(&w, m, "cpus", &s->cpus) || get_value(&w, m, "cpu_quota", &s->cpu_quota) ||
	    get_value(&w, m, "pids_limit", &s->pids_limit) ||
	    get_bool(&w, m, "privileged", &s->privileged) ||
	    get_bool(&w, m, "read_only", &s->read_only) ||
	    get_list(&w, m, "cap_add", false, NULL, &s->cap_add) ||
	    get_list(&w, m, "cap_drop", false, NULL, &s->cap_drop) ||
	    get_list(&w, m, "security_opt", false, NULL, &s->security_opt) ||
	    get_list(&w, m, "tmpfs", true, NULL, &s->tmpfs) ||
	    get_list(&w, m, "env_file", true, "path", &s->env_file) ||
	    get_devices(&w, m, &s->devices) || get_kvs(&w, m, "environment", &s->environment) ||
	    get_kvs(&w, m, "labels", &s->labels) || get_kvs(&w, m, "sysctls", &s->sysctls) ||
	    get_ports(&w, m, s) || get_volumes(&w, m, s) || get_secrets(&w, m, s) ||
	    get_healthcheck(&w, m, &s->healthcheck) || get_command(&w, m, "command", &s->command) ||
	    get_command(&w, m, "entrypoint", &s->entrypoint))
		return -1;
	limits = brig_compose_node_path(m, "deploy.resources.limits");
	if (limits && limits->kind == BRIG_COMPOSE_MAP) {
		if (get_value(&w, limits, "cpus", &s->limits.cpus) ||
		    get_value(&w, limits, "memory", &s->limits.memory) ||
		    get_value(&w, limits, "pids", &s->limits.pids))
			return -1;
	}
	return 0;
}

static int get_top(struct cctx *x, const char *key, struct brig_compose_top **out, size_t *n)
{
	const struct brig_compose_pair *p = brig_compose_node_pair(x->c->root, key);
	const struct brig_compose_node *v;

	if (!p || is_null(p->value))
		return 0;
	v = p->value;
	if (v->kind != BRIG_COMPOSE_MAP)
		return cerr(x, p->line, "%s must be a mapping", key);
	*out = brig_xcalloc(v->n ? v->n : 1, sizeof(**out));
	for (size_t i = 0; i < v->n; i++) {
		(*out)[i].name = brig_xstrdup(v->pairs[i].key);
		(*out)[i].line = v->pairs[i].line;
		(*out)[i].node = v->pairs[i].value;
	}
	*n = v->n;
	return 0;
}

/* Lenient mode: the error just set becomes a warning; true if so. */
static bool demote(struct cctx *x)
{
	if (!x->lenient)
		return false;
	if (x->c->n_warnings < BRIG_COMPOSE_MAX_WARNINGS) {
		BRIG_GROW(x->c->warnings, x->warnings_cap, x->c->n_warnings + 1);
		x->c->warnings[x->c->n_warnings++] = brig_xstrdup(x->err->msg);
	}
	brig_error_clear(x->err);
	return true;
}

static int extract(struct cctx *x)
{
	struct brig_compose *c = x->c;
	const struct brig_compose_pair *p;
	struct where w = {x, NULL};

	if (c->root->kind != BRIG_COMPOSE_MAP)
		return cerr(x, c->root->line, "Top-level object must be a mapping");
	if (get_value(&w, c->root, "version", &c->version) ||
	    get_value(&w, c->root, "name", &c->project))
		return -1;
	p = brig_compose_node_pair(c->root, "services");
	if (p && !is_null(p->value)) {
		if (p->value->kind != BRIG_COMPOSE_MAP)
			return cerr(x, p->line, "services must be a mapping");
		c->services = brig_xcalloc(p->value->n ? p->value->n : 1, sizeof(*c->services));
		for (size_t i = 0; i < p->value->n; i++) {
			c->n_services++;
			if (get_service(x, &p->value->pairs[i], &c->services[i]) && !demote(x))
				return -1;
		}
	}
	if ((get_top(x, "secrets", &c->secrets, &c->n_secrets) && !demote(x)) ||
	    (get_top(x, "volumes", &c->volumes, &c->n_volumes) && !demote(x)) ||
	    (get_top(x, "networks", &c->networks, &c->n_networks) && !demote(x)) ||
	    (get_top(x, "configs", &c->configs, &c->n_configs) && !demote(x)))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* entry points                                                         */

static int yaml_error(struct cctx *x, struct fy_diag *diag)
{
	struct fy_diag_error *e;
	void *it = NULL;

	/* the first error is the cause; later ones are consequences */
	while ((e = fy_diag_errors_iterate(diag, &it))) {
		if (e->type >= FYET_ERROR)
			return cerr(x, e->line > 0 ? (unsigned)e->line : 1, "YAML: %s",
				    e->msg ? e->msg : "syntax error");
	}
	/* no error and no document: an empty stream (blank or comments) */
	return cerr(x, 1, "empty compose file");
}

static void load_env(struct brig_cfg_env *env, const char *const *src)
{
	for (; src && *src; src++) {
		const char *eq = strchr(*src, '=');

		if (eq && eq > *src)
			brig_cfg_env_set(env, *src, (size_t)(eq - *src), eq + 1,
					 BRIG_COMPOSE_MAX_ENV_VARS);
	}
}

static int setup_env(struct cctx *x, const struct brig_compose_options *opt,
		     const char *dotenv_path)
{
	struct brig_cfg_env proc = {0}, file = {0};
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int rc = 0;

	load_env(&proc, opt && opt->env ? opt->env : (const char *const *)environ);
	if (dotenv_path) {
		struct brig_error e2 = {0};

		if (brig_config_read_file(dotenv_path, BRIG_COMPOSE_MAX_DOTENV, &data, &len, &e2)) {
			/* an implicit .env that is not there is normal */
			if (e2.code != ENOENT || (opt && opt->dotenv_path)) {
				brig_error_set(x->err, e2.code, "%s", e2.msg);
				rc = -1;
			}
		} else if (memchr(data, '\0', len)) {
			rc = brig_error_set(x->err, EINVAL, "%s:1: NUL byte in .env file", dotenv_path);
		} else {
			rc = dotenv_parse(x, dotenv_path, data, len, &proc, &file);
		}
	}
	if (!rc) {
		/* the process environment wins over .env */
		for (size_t i = 0; i < file.cap; i++) {
			if (file.slots[i].name)
				brig_cfg_env_set(&x->env, file.slots[i].name, file.slots[i].name_len,
						 file.slots[i].value, BRIG_COMPOSE_MAX_ENV_VARS);
		}
		for (size_t i = 0; i < proc.cap; i++) {
			if (proc.slots[i].name)
				brig_cfg_env_set(&x->env, proc.slots[i].name, proc.slots[i].name_len,
						 proc.slots[i].value, BRIG_COMPOSE_MAX_ENV_VARS);
		}
	}
	brig_cfg_env_free(&proc);
	brig_cfg_env_free(&file);
	return rc;
}

/* YAML streams are Unicode of "printable" characters only (YAML 1.2
 * 5.1, what compose-go's yaml.v3 enforces). Checking first also keeps
 * libfyaml 0.7.12 away from input it mishandles: a directive line holding
 * an invalid UTF-8 byte makes it loop forever (found by fuzz_compose). */
static int check_text(struct cctx *x, const unsigned char *s, size_t n)
{
	unsigned line = 1;

	for (size_t i = 0; i < n;) {
		unsigned c = s[i], cp;
		size_t k;

		if (c < 0x80) {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				goto bad;
			if (c == 0x7f)
				goto bad;
			line += c == '\n';
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else {
			goto bad;
		}
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		/* overlong, surrogate, out of range, C1 controls (but NEL) */
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f && cp != 0x85) ||
		    cp == 0xfffe || cp == 0xffff)
			goto bad;
		i += k + 1;
		continue;
bad:
		return cerr(x, line, "YAML: invalid UTF-8 or control character (byte 0x%02x)", c);
	}
	return 0;
}

/* One streaming pass over the first document, before libfyaml builds it,
 * to refuse what its document code handles in quadratic time (anchors x
 * aliases, directives) or in too much memory (nodes). Syntax errors are
 * left to the document build, which reports them with a line. */
static int count_anchors(struct cctx *x, const char *data, size_t len)
{
	struct fy_diag_cfg dcfg;
	struct fy_parse_cfg cfg;
	struct fy_parser *fyp;
	struct fy_diag *diag;
	struct fy_event *ev;
	size_t anchors = 0, aliases = 0, nodes = 0, directives = 0;
	unsigned line = 1;
	int rc = 0;

	/* Directive lines (a '%' in column 0) before libfyaml sees them:
	 * 100000 %TAG lines took it minutes. */
	for (size_t i = 0; i < len; i++) {
		if ((i == 0 || data[i - 1] == '\n') && data[i] == '%' &&
		    ++directives > BRIG_COMPOSE_MAX_DIRECTIVES)
			return cerr(x, line, "more than %u YAML directives", BRIG_COMPOSE_MAX_DIRECTIVES);
		line += data[i] == '\n';
	}
	line = 1;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	diag = fy_diag_create(&dcfg);
	if (!diag)
		return cerr(x, 1, "YAML: cannot create diagnostics");
	memset(&cfg, 0, sizeof(cfg));
	cfg.flags = FYPCF_QUIET | FYPCF_DISABLE_MMAP_OPT;
	cfg.diag = diag;
	fyp = fy_parser_create(&cfg);
	if (!fyp || fy_parser_set_string(fyp, data, len)) {
		if (fyp)
			fy_parser_destroy(fyp);
		fy_diag_destroy(diag);
		return cerr(x, 1, "YAML: cannot create parser");
	}
	while (!rc && (ev = fy_parser_parse(fyp))) {
		struct fy_token *anchor = NULL;
		const struct fy_mark *m = fy_event_start_mark(ev);
		bool end = ev->type == FYET_DOCUMENT_END;

		if (m && m->line >= 0)
			line = (unsigned)m->line + 1;
		if (ev->type == FYET_SCALAR)
			anchor = ev->scalar.anchor;
		else if (ev->type == FYET_MAPPING_START)
			anchor = ev->mapping_start.anchor;
		else if (ev->type == FYET_SEQUENCE_START)
			anchor = ev->sequence_start.anchor;
		else if (ev->type == FYET_ALIAS)
			aliases++;
		anchors += anchor != NULL;
		nodes += ev->type == FYET_SCALAR || ev->type == FYET_MAPPING_START ||
			 ev->type == FYET_SEQUENCE_START || ev->type == FYET_ALIAS;
		fy_parser_event_free(fyp, ev);
		if (nodes > BRIG_COMPOSE_MAX_RAW_NODES)
			rc = cerr(x, line, "more than %u YAML nodes", BRIG_COMPOSE_MAX_RAW_NODES);
		else if (anchors > BRIG_COMPOSE_MAX_ANCHORS)
			rc = cerr(x, line, "more than %u YAML anchors", BRIG_COMPOSE_MAX_ANCHORS);
		else if ((unsigned long long)anchors * aliases > BRIG_COMPOSE_MAX_ANCHOR_WORK)
			rc = cerr(x, line, "too many YAML aliases (%zu) for %zu anchors", aliases,
				  anchors);
		if (end)
			break;
	}
	fy_parser_destroy(fyp);
	fy_diag_destroy(diag);
	return rc;
}

static int parse_doc(struct cctx *x, const char *data, size_t len)
{
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag;
	struct fy_parse_cfg cfg;
	struct fy_document *doc;
	struct fy_node *root;
	size_t nodes = 0, bytes = 0;
	int rc = -1;

	if (check_text(x, (const unsigned char *)data, len) || count_anchors(x, data, len))
		return -1;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = NULL;
	dcfg.colorize = false;
	diag = fy_diag_create(&dcfg);
	if (!diag)
		return cerr(x, 1, "YAML: cannot create diagnostics");
	fy_diag_set_collect_errors(diag, true);
	memset(&cfg, 0, sizeof(cfg));
	/* no FYPCF_RESOLVE_DOCUMENT: see the top of this file. The default
	 * depth limit (64 levels) stays on. */
	/* duplicate keys are found by conv_map (libfyaml's check is O(n^2)) */
	cfg.flags = FYPCF_QUIET | FYPCF_DISABLE_MMAP_OPT | FYPCF_DEFAULT_VERSION_AUTO |
		    FYPCF_ALLOW_DUPLICATE_KEYS;
	cfg.diag = diag;
	doc = fy_document_build_from_string(&cfg, data, len);
	if (!doc) {
		rc = yaml_error(x, diag);
		fy_diag_destroy(diag); /* unref alone leaks collected errors */
		return rc;
	}
	root = fy_document_root(doc);
	if (!root) {
		cerr(x, 1, "empty compose file");
		goto out;
	}
	if (precount(x, root, 0, &nodes, &bytes))
		goto out;
	if (nodes > BRIG_COMPOSE_MAX_NODES) {
		cerr(x, 1, "more than %u YAML nodes once aliases are expanded (alias bomb?)",
		     BRIG_COMPOSE_MAX_NODES);
		goto out;
	}
	if (bytes > BRIG_COMPOSE_MAX_SCALAR_BYTES) {
		cerr(x, 1, "more than %u bytes of text once aliases are expanded (alias bomb?)",
		     BRIG_COMPOSE_MAX_SCALAR_BYTES);
		goto out;
	}
	rc = conv(x, root, 0, 1, &x->c->root);
out:
	fy_document_destroy(doc);
	fy_diag_destroy(diag); /* unref alone leaks collected errors */
	return rc;
}

static int compose_parse(const char *data, size_t len, const char *name,
			 const struct brig_compose_options *opt, const char *dotenv,
			 struct brig_compose **out, struct brig_error *err)
{
	struct brig_compose *c;
	struct brig_error local;
	struct cctx x;
	_cleanup_free_ char *copy = NULL;
	int rc;

	*out = NULL;
	if (!err)
		err = &local; /* lenient mode reads the message back */
	if (!name)
		name = "compose.yaml";
	if (len > BRIG_COMPOSE_MAX_FILE)
		return brig_error_set(err, EFBIG, "%s: %zu bytes exceeds the %u-byte limit", name, len,
				      BRIG_COMPOSE_MAX_FILE);
	c = brig_xcalloc(1, sizeof(*c));
	c->name = brig_xstrdup(name);
	memset(&x, 0, sizeof(x));
	x.name = c->name;
	x.err = err;
	x.c = c;
	x.strict = opt && opt->strict_required;
	x.lenient = opt && opt->lenient;
	rc = setup_env(&x, opt, opt && opt->no_dotenv ? NULL : dotenv);
	if (!rc) {
		/* libfyaml keeps pointers into the input: give it a stable copy */
		copy = brig_xmalloc(len + 1);
		if (len)
			memcpy(copy, data, len);
		copy[len] = '\0';
		x.input = copy;
		x.input_len = len;
		rc = parse_doc(&x, copy, len);
	}
	if (!rc)
		rc = extract(&x);
	brig_cfg_env_free(&x.env);
	free(x.memo.s);
	if (rc) {
		brig_compose_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

int brig_compose_parse(const char *data, size_t len, const char *name,
		       const struct brig_compose_options *opt, struct brig_compose **out,
		       struct brig_error *err)
{
	return compose_parse(data ? data : "", data ? len : 0, name, opt,
			     opt ? opt->dotenv_path : NULL, out, err);
}

int brig_compose_load(const char *path, const struct brig_compose_options *opt,
		      struct brig_compose **out, struct brig_error *err)
{
	_cleanup_free_ char *data = NULL;
	_cleanup_free_ char *dotenv = NULL;
	const char *slash;
	size_t len;

	*out = NULL;
	if (brig_config_read_file(path, BRIG_COMPOSE_MAX_FILE, &data, &len, err))
		return -1;
	if (opt && opt->dotenv_path) {
		dotenv = brig_xstrdup(opt->dotenv_path);
	} else {
		slash = strrchr(path, '/');
		dotenv = slash ? brig_xasprintf("%.*s/.env", (int)(slash - path), path)
			       : brig_xstrdup(".env");
	}
	return compose_parse(data, len, path, opt, dotenv, out, err);
}

static void free_value(struct brig_compose_value *v)
{
	free(v->value);
}

static void free_list(struct brig_compose_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].value);
	free(l->items);
}

static void free_kvs(struct brig_compose_kvs *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->items[i].key);
		free(k->items[i].value);
	}
	free(k->items);
}

static void free_command(struct brig_compose_command *c)
{
	free(c->shell);
	for (size_t i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
}

static void free_service(struct brig_compose_service *s)
{
	struct brig_compose_value *vals[] = {
		&s->image, &s->user, &s->container_name, &s->restart, &s->network_mode, &s->pid,
		&s->ipc, &s->uts, &s->userns_mode, &s->cgroup, &s->cgroup_parent, &s->mem_limit,
		&s->memswap_limit, &s->cpus, &s->cpu_quota, &s->pids_limit, &s->limits.cpus,
		&s->limits.memory, &s->limits.pids, &s->build.context, &s->build.dockerfile,
		&s->build.dockerfile_inline, &s->build.target, &s->healthcheck.interval,
		&s->healthcheck.timeout, &s->healthcheck.retries, &s->healthcheck.start_period,
	};
	struct brig_compose_list *lists[] = {&s->cap_add, &s->cap_drop, &s->security_opt,
					     &s->tmpfs,   &s->env_file, &s->devices};

	free(s->name);
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		free_value(vals[i]);
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		free_list(lists[i]);
	free_kvs(&s->environment);
	free_kvs(&s->labels);
	free_kvs(&s->sysctls);
	free_kvs(&s->build.args);
	for (size_t i = 0; i < s->n_ports; i++)
		free_port(&s->ports[i]);
	free(s->ports);
	for (size_t i = 0; i < s->n_volumes; i++)
		free_volume(&s->volumes[i]);
	free(s->volumes);
	for (size_t i = 0; i < s->n_secrets; i++)
		free_secret(&s->secrets[i]);
	free(s->secrets);
	free_command(&s->healthcheck.test);
	free_command(&s->command);
	free_command(&s->entrypoint);
}

static void free_top(struct brig_compose_top *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

void brig_compose_free(struct brig_compose *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_services; i++)
		free_service(&c->services[i]);
	free(c->services);
	free_top(c->secrets, c->n_secrets);
	free_top(c->volumes, c->n_volumes);
	free_top(c->networks, c->n_networks);
	free_top(c->configs, c->n_configs);
	for (size_t i = 0; i < c->n_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free_value(&c->version);
	free_value(&c->project);
	node_free(c->root);
	free(c->name);
	free(c);
}

/* Dockerfile rules (BRIG-DF-*, and BRIG-DI-001 which needs the Dockerfile).
 *
 * RUN commands are read through a small POSIX-shell word splitter: a RUN
 * becomes a list of simple commands (words, the operator that follows,
 * prefix assignments, whether sudo ran it). Heredoc bodies are scripts when
 * the shell runs them, and `sh -c '...'` is followed one level at a time.
 * Exec-form RUNs are read as their words joined by spaces, the way other
 * linters read them, unless they run a shell with -c.
 *
 * Scopes: "image stages" are the stages that can become an image (the
 * last one, and any stage no later stage builds on or copies from); USER,
 * HEALTHCHECK, CMD and base-image rules look there, following FROM
 * <stage> inheritance. "Shipped stages" are image stages plus the stages
 * they are built FROM: their layers reach the image, so cache hygiene
 * rules look there. Version pinning and security rules look everywhere. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config/parse_common.h"
#include "config/rules.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/cleanup.h"
#include "core/path.h"
#include "core/xalloc.h"

/* ================================================================ shell */

enum sep { SEP_END, SEP_AND, SEP_OR, SEP_SEMI, SEP_PIPE, SEP_BG };

enum pm {
	PM_NONE,
	PM_APT_GET,
	PM_APT,
	PM_APK,
	PM_YUM,
	PM_DNF,
	PM_ZYPPER,
	PM_PIP,
	PM_NPM,
	PM_YARN,
	PM_PNPM,
	PM_GEM,
	PM_PACMAN,
};

/* A package manager call: which one, where its options start, its
 * subcommand (NULL when none) and where that is. */
struct pmcall {
	enum pm pm;
	size_t opt0;
	const char *sub;
	size_t sub_i;
};


struct sh_cmd {
	char **argv; /* prefix assignments and wrappers (sudo, env...) removed */
	size_t argc;
	const char *name; /* argv[0] without its directory; "" when argc is 0 */
	char **assigns; /* VAR=value words before the command (and env's) */
	size_t n_assigns;
	bool sudo;	 /* ran through sudo */
	enum sep sep;	 /* the operator after it */
	unsigned script; /* 0: the RUN itself; n: the n-th `sh -c` script */
	struct pmcall pc; /* the package manager it calls (PM_NONE), read once */
};

static bool pm_at(char **argv, size_t argc, size_t i, struct pmcall *pc);
static enum pm pm_by_name(const char *b);
_Static_assert(PM_PACMAN < 32, "struct sh_script.pms has a bit per manager");

/* Words, argv arrays and commands live in mem, shared by every script of
 * the Dockerfile and freed with it. */
struct sh_script {
	struct brig_arena *mem;
	struct sh_cmd *cmds;
	size_t n, cap;
	unsigned n_scripts;
	unsigned pms; /* PMS(pm) for every manager named by some word */
};
#define PMS(pm) (1u << (pm))

/* Scripts nested through sh -c, and words per script: real RUNs have a few
 * hundred words; past these limits the rest is not analysed. */
#define SH_MAX_DEPTH 4u
#define SH_MAX_WORDS 65536u
#define SH_MAX_CMDS 16384u

enum tok_kind { TOK_END, TOK_WORD, TOK_OP, TOK_REDIR };

struct lexer {
	const char *p, *end;
	/* the last word: a slice of the text when it had no quote, escape or
	 * expansion (most words), else built in word */
	const char *slice;
	size_t slice_len;
	struct brig_buf word;
};

static bool lx_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool lx_opchar(int c)
{
	return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>' ||
	       c == '\n';
}

static void lx_put(struct lexer *lx, const char *s, size_t n)
{
	/* bounded by the input, which the Dockerfile parser already capped */
	(void)brig_buf_append(&lx->word, s, n, NULL);
}

/* Copies a balanced $(...), ${...} or `...` verbatim: it is one word. */
static void lx_balanced(struct lexer *lx, char open, char close)
{
	int depth = 0;

	while (lx->p < lx->end) {
		char ch = *lx->p;

		lx_put(lx, lx->p++, 1);
		if (open == close) {
			if (ch == close && depth++ > 0)
				return;
			continue;
		}
		if (ch == open)
			depth++;
		else if (ch == close && --depth <= 0)
			return;
	}
}

static void lx_squote(struct lexer *lx)
{
	lx->p++;
	while (lx->p < lx->end && *lx->p != '\'')
		lx_put(lx, lx->p++, 1);
	if (lx->p < lx->end)
		lx->p++;
}

static void lx_dquote(struct lexer *lx)
{
	lx->p++;
	while (lx->p < lx->end && *lx->p != '"') {
		if (*lx->p == '\\' && lx->p + 1 < lx->end) {
			if (lx->p[1] == '\n') {
				lx->p += 2;
				continue;
			}
			if (strchr("\"\\$`", lx->p[1]))
				lx->p++;
		} else if (*lx->p == '$' && lx->p + 1 < lx->end && lx->p[1] == '(') {
			lx_balanced(lx, '(', ')');
			continue;
		}
		lx_put(lx, lx->p++, 1);
	}
	if (lx->p < lx->end)
		lx->p++;
}

/* Bytes that end a run of a word's plain characters: blanks, operators,
 * quotes, the escape and expansions. */
static const bool lx_stops_run[256] = {
	[' '] = true, ['\t'] = true, ['\r'] = true, ['\n'] = true, [';'] = true, ['&'] = true,
	['|'] = true, ['('] = true,  [')'] = true,  ['<'] = true,  ['>'] = true, ['\''] = true,
	['"'] = true, ['\\'] = true, ['$'] = true,  ['`'] = true,
};

/* Reads one word (quotes removed, expansions kept as written). */
static void lx_word(struct lexer *lx)
{
	const char *q = lx->p;

	while (q < lx->end && !lx_stops_run[(unsigned char)*q])
		q++;
	if (q > lx->p && (q == lx->end || lx_blank(*q) || lx_opchar(*q))) {
		lx->slice = lx->p;
		lx->slice_len = (size_t)(q - lx->p);
		lx->p = q;
		return;
	}
	lx->slice = NULL;
	brig_buf_reset(&lx->word);
	lx_put(lx, "", 0);
	while (lx->p < lx->end && !lx_blank(*lx->p) && !lx_opchar(*lx->p)) {
		char ch = *lx->p;

		if (ch == '\'')
			lx_squote(lx);
		else if (ch == '"')
			lx_dquote(lx);
		else if (ch == '\\' && lx->p + 1 < lx->end) {
			if (lx->p[1] != '\n')
				lx_put(lx, lx->p + 1, 1);
			lx->p += 2;
		} else if (ch == '$' && lx->p + 1 < lx->end && (lx->p[1] == '(' || lx->p[1] == '{')) {
			lx_balanced(lx, lx->p[1], lx->p[1] == '(' ? ')' : '}');
		} else if (ch == '`') {
			lx_balanced(lx, '`', '`');
		} else {
			/* a run of ordinary characters in one append */
			const char *run = lx->p + 1;

			while (run < lx->end && !lx_stops_run[(unsigned char)*run])
				run++;
			lx_put(lx, lx->p, (size_t)(run - lx->p));
			lx->p = run;
		}
	}
}

/* A redirection: [n]> [n]>> < <<< >& &> >| ... and its target word,
 * which is not an argument of the command. */
static bool lx_redirection(struct lexer *lx)
{
	const char *q = lx->p;
	bool dup = false;

	while (q < lx->end && isdigit((unsigned char)*q))
		q++;
	if (q >= lx->end || (*q != '<' && *q != '>'))
		return false;
	while (q < lx->end && (*q == '<' || *q == '>'))
		q++;
	if (q < lx->end && *q == '&') {
		q++;
		dup = true;
	} else if (q < lx->end && (*q == '|' || *q == '-')) {
		q++;
	}
	lx->p = q;
	if (dup) {
		while (lx->p < lx->end && (isdigit((unsigned char)*lx->p) || *lx->p == '-'))
			lx->p++;
		if (lx->p > q)
			return true;
	}
	while (lx->p < lx->end && lx_blank(*lx->p))
		lx->p++;
	if (lx->p < lx->end && !lx_opchar(*lx->p))
		lx_word(lx);
	return true;
}

static enum sep lx_op(struct lexer *lx)
{
	char c = *lx->p++;
	char d = lx->p < lx->end ? *lx->p : '\0';

	switch (c) {
	case '&':
		if (d == '&') {
			lx->p++;
			return SEP_AND;
		}
		return SEP_BG;
	case '|':
		if (d == '|') {
			lx->p++;
			return SEP_OR;
		}
		if (d == '&')
			lx->p++;
		return SEP_PIPE;
	default: /* ; ;; newline ( ) */
		if (c == ';' && d == ';')
			lx->p++;
		return SEP_SEMI;
	}
}

static enum tok_kind lx_next(struct lexer *lx, enum sep *op)
{
	for (;;) {
		while (lx->p < lx->end && lx_blank(*lx->p))
			lx->p++;
		if (lx->p + 1 < lx->end && lx->p[0] == '\\' && lx->p[1] == '\n') {
			lx->p += 2;
			continue;
		}
		if (lx->p < lx->end && *lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		break;
	}
	if (lx->p >= lx->end)
		return TOK_END;
	if (*lx->p == '&' && lx->p + 1 < lx->end && lx->p[1] == '>') {
		lx->p++;
		lx_redirection(lx);
		return TOK_REDIR;
	}
	if (lx_redirection(lx))
		return TOK_REDIR;
	if (lx_opchar(*lx->p)) {
		*op = lx_op(lx);
		return TOK_OP;
	}
	lx_word(lx);
	return TOK_WORD;
}

static const char *base_name(const char *w)
{
	const char *s = strrchr(w, '/');

	return s ? s + 1 : w;
}

static bool is_assignment(const char *w)
{
	if (!(isalpha((unsigned char)*w) || *w == '_'))
		return false;
	while (isalnum((unsigned char)*w) || *w == '_')
		w++;
	return *w == '=';
}

static bool word_in(const char *w, const char *const *set)
{
	/* the first byte rules out most members without a call */
	for (; *set; set++)
		if (w[0] == (*set)[0] && strcmp(w, *set) == 0)
			return true;
	return false;
}

/* sudo's options that take a value */
static bool sudo_opt_arg(const char *w)
{
	static const char *const with_arg[] = {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t",
					       "-U", "--user", "--group", "--host", "--prompt",
					       "--role", "--type", "--other-user", NULL};

	return word_in(w, with_arg);
}

/* Skips shell keywords, assignments (taken into c, NULL in w) and wrappers
 * in front of a command; returns the index of the command word. */
static size_t strip_prefix(struct brig_arena *mem, char **w, size_t n, struct sh_cmd *c,
			   size_t *cap_assigns)
{
	static const char *const keywords[] = {"if", "then", "else", "elif", "do", "while", "until",
					       "!", "{", "}", "time", NULL};
	static const char *const wrappers[] = {"nohup", "exec", "command", "builtin", NULL};
	size_t i = 0;

	while (i < n) {
		const char *b = base_name(w[i]);

		if (word_in(w[i], keywords) || word_in(b, wrappers)) {
			i++;
		} else if (is_assignment(w[i])) {
			BRIG_ARENA_GROW(mem, c->assigns, *cap_assigns, c->n_assigns + 1);
			c->assigns[c->n_assigns++] = w[i++];
		} else if ((b[0] == 's' && strcmp(b, "sudo") == 0) ||
			   (b[0] == 'd' && strcmp(b, "doas") == 0)) {
			c->sudo = c->sudo || strcmp(b, "sudo") == 0;
			for (i++; i < n && w[i][0] == '-'; i++) {
				if (strcmp(w[i], "--") == 0) {
					i++;
					break;
				}
				if (sudo_opt_arg(w[i]))
					i++;
			}
		} else if (b[0] == 'e' && strcmp(b, "env") == 0) {
			for (i++; i < n && w[i][0] == '-'; i++)
				;
		} else if ((b[0] == 'n' && strcmp(b, "nice") == 0) ||
			   (b[0] == 't' && strcmp(b, "timeout") == 0)) {
			for (i++; i < n && (w[i][0] == '-' || isdigit((unsigned char)w[i][0])); i++)
				;
		} else {
			break;
		}
	}
	/* an option that takes a value, last on the line, steps past the end */
	return i < n ? i : n;
}

/* w[0..n): one command's words, in s->mem */
static void sh_push(struct sh_script *s, char **w, size_t n, enum sep sep, unsigned script)
{
	struct sh_cmd c = {.sep = sep, .script = script};
	size_t cap = 0, first;

	if (s->n >= SH_MAX_CMDS)
		return;
	first = strip_prefix(s->mem, w, n, &c, &cap);
	c.argc = n - first;
	c.argv = brig_arena_alloc(s->mem, (c.argc + 1) * sizeof(*c.argv));
	memcpy(c.argv, w + first, c.argc * sizeof(*c.argv));
	c.argv[c.argc] = NULL;
	c.name = c.argc ? base_name(c.argv[0]) : "";
	pm_at(c.argv, c.argc, 0, &c.pc);
	for (size_t i = 0; i < c.argc; i++)
		s->pms |= PMS(pm_by_name(base_name(c.argv[i])));
	BRIG_ARENA_GROW(s->mem, s->cmds, s->cap, s->n + 1);
	s->cmds[s->n++] = c;
}

static void sh_parse_into(struct sh_script *s, const char *text, size_t len, unsigned depth);

/* sh -c 'script' (also -ec, -xc...): the script is parsed too, as its own
 * script; -o pipefail on that shell is carried in as `set -o pipefail`. */
static void sh_follow_c(struct sh_script *s, const struct sh_cmd *c, unsigned depth)
{
	static const char *const shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", NULL};
	bool pipefail = false;

	if (!word_in(c->name, shells) || depth >= SH_MAX_DEPTH)
		return;
	for (size_t i = 1; i < c->argc && c->argv[i][0] == '-'; i++) {
		const char *o = c->argv[i];

		if ((strcmp(o, "-o") == 0 || strcmp(o, "+o") == 0) && i + 1 < c->argc) {
			pipefail = pipefail || strcmp(c->argv[++i], "pipefail") == 0;
			continue;
		}
		if (o[1] != '-' && strchr(o, 'c') && i + 1 < c->argc) {
			_cleanup_free_ char *pre = pipefail ? brig_xasprintf("set -o pipefail\n%s",
									      c->argv[i + 1])
							    : brig_xstrdup(c->argv[i + 1]);

			sh_parse_into(s, pre, strlen(pre), depth + 1);
			return;
		}
	}
}

static void sh_parse_into(struct sh_script *s, const char *text, size_t len, unsigned depth)
{
	struct lexer lx = {.p = text, .end = text + len};
	char **words = NULL;
	size_t n = 0, cap = 0, first_cmd = s->n, total = 0;
	unsigned script = s->n_scripts++;
	enum sep op = SEP_END;
	enum tok_kind k;

	brig_buf_init(&lx.word, len + 1);
	while ((k = lx_next(&lx, &op)) != TOK_END && total < SH_MAX_WORDS) {
		if (k == TOK_WORD) {
			BRIG_GROW(words, cap, n + 1);
			words[n++] = lx.slice ? brig_arena_strndup(s->mem, lx.slice, lx.slice_len)
					      : brig_arena_strndup(s->mem, lx.word.data, lx.word.len);
			total++;
		} else if (k == TOK_OP && n) {
			sh_push(s, words, n, op, script);
			n = 0;
		}
	}
	if (n)
		sh_push(s, words, n, SEP_END, script);
	free(words);
	brig_buf_free(&lx.word);
	if (s->n > first_cmd)
		s->cmds[s->n - 1].sep = SEP_END;
	for (size_t i = first_cmd, end = s->n; i < end; i++)
		sh_follow_c(s, &s->cmds[i], depth);
}

/* =========================================================== the model */

struct run {
	const struct brig_df_instruction *ins;
	size_t stage;
	struct sh_script sh;
	bool analysed; /* false: not shell (a python heredoc, powershell...) */
};

struct dfx {
	struct brig_lint_ctx *c;
	const struct brig_dockerfile *df;
	struct run *runs; /* every top-level RUN, in file order */
	struct brig_arena mem; /* their shell words */
	size_t n_runs;
	bool *image;   /* stage can become an image */
	struct imgref *refs; /* stage's base image, parsed once (stage_image) */
	bool *shipped; /* stage's layers reach an image */
};

static const char *const shells[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", NULL};

static bool is_heredoc_word(const char *w)
{
	while (isdigit((unsigned char)*w))
		w++;
	return w[0] == '<' && w[1] == '<' && w[2] && w[2] != '<';
}

/* The args of a heredoc RUN without the <<EOF markers. */
static char *strip_heredoc_markers(const char *args)
{
	struct brig_buf b;
	const char *p = args;

	brig_buf_init(&b, strlen(args) + 1);
	(void)brig_buf_append(&b, "", 0, NULL);
	while (*p) {
		size_t n = strcspn(p, " \t");
		_cleanup_free_ char *w = brig_xstrndup(p, n);

		if (!is_heredoc_word(w))
			(void)brig_buf_append(&b, p, n, NULL);
		p += n;
		while (*p == ' ' || *p == '\t')
			(void)brig_buf_append(&b, p++, 1, NULL);
	}
	return brig_buf_steal(&b, NULL);
}

/* A heredoc body is a shell script when the RUN line holds nothing but
 * the markers (BuildKit runs the body) or feeds it to a shell; a shebang
 * naming another interpreter makes it not ours. */
static bool heredoc_is_script(const char *rest, const char *body)
{
	const char *p = rest;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(body, "#!", 2) == 0) {
		const char *nl = strchr(body, '\n');
		_cleanup_free_ char *line = brig_xstrndup(body, nl ? (size_t)(nl - body) : strlen(body));

		if (!strstr(line, "sh"))
			return false;
	}
	if (!*p)
		return true;
	n = strcspn(p, " \t");
	{
		_cleanup_free_ char *w = brig_xstrndup(p, n);

		return word_in(base_name(w), shells);
	}
}

static void run_parse_exec(struct run *r)
{
	const struct brig_df_instruction *in = r->ins;
	struct brig_buf b;

	if (in->argc >= 3 && word_in(base_name(in->argv[0]), shells)) {
		for (size_t i = 1; i + 1 < in->argc; i++)
			if (in->argv[i][0] == '-' && in->argv[i][1] != '-' && strchr(in->argv[i], 'c')) {
				struct sh_cmd c = {.argv = in->argv, .argc = in->argc,
						 .name = base_name(in->argv[0])};

				sh_follow_c(&r->sh, &c, 0);
				return;
			}
	}
	brig_buf_init(&b, (size_t)-1 / 2);
	(void)brig_buf_append(&b, "", 0, NULL);
	for (size_t i = 0; i < in->argc; i++)
		(void)brig_buf_appendf(&b, NULL, "%s%s", i ? " " : "", in->argv[i]);
	sh_parse_into(&r->sh, b.data, b.len, 0);
	brig_buf_free(&b);
}

static void run_parse(struct run *r)
{
	const struct brig_df_instruction *in = r->ins;
	_cleanup_free_ char *rest = NULL;

	r->analysed = true;
	if (in->json_form) {
		run_parse_exec(r);
		return;
	}
	if (!in->n_heredocs) {
		sh_parse_into(&r->sh, in->args, strlen(in->args), 0);
		return;
	}
	rest = strip_heredoc_markers(in->args);
	sh_parse_into(&r->sh, rest, strlen(rest), 0);
	for (size_t i = 0; i < in->n_heredocs; i++)
		if (heredoc_is_script(rest, in->heredocs[i].body))
			sh_parse_into(&r->sh, in->heredocs[i].body, strlen(in->heredocs[i].body), 0);
}

/* ---- stage graph ---- */

static long stage_of_ref(const struct brig_dockerfile *df, const char *ref, size_t before)
{
	const struct brig_df_stage *s = ref ? brig_dockerfile_stage_ref(df, ref, before) : NULL;

	return s ? (long)s->index : -1;
}

static const char *flag_value(const struct brig_df_instruction *in, const char *name)
{
	const struct brig_df_flag *f = brig_df_flag(in, name);

	if (!f)
		return NULL;
	return f->value_expanded ? f->value_expanded : f->value;
}

/* from=NAME inside a --mount=... value */
static char *mount_from(const char *v)
{
	const char *p = v;

	while (p && *p) {
		size_t n = strcspn(p, ",");

		if (n > 5 && strncmp(p, "from=", 5) == 0)
			return brig_xstrndup(p + 5, n - 5);
		p += n;
		if (*p)
			p++;
	}
	return NULL;
}

static void mark_used(const struct brig_dockerfile *df, size_t s, bool *used)
{
	const struct brig_df_stage *st = &df->stages[s];

	if (st->base_stage >= 0)
		used[st->base_stage] = true;
	for (size_t i = 1; i < st->n_instructions; i++) {
		const struct brig_df_instruction *in = &st->instructions[i];
		long k = stage_of_ref(df, flag_value(in, "from"), s);

		if (k >= 0)
			used[k] = true;
		for (size_t f = 0; f < in->n_flags; f++) {
			_cleanup_free_ char *m = NULL;

			if (strcmp(in->flags[f].name, "mount") != 0)
				continue;
			m = mount_from(in->flags[f].value_expanded ? in->flags[f].value_expanded
								   : in->flags[f].value);
			if (m && (k = stage_of_ref(df, m, s)) >= 0)
				used[k] = true;
		}
	}
}

static void stage_graph(struct dfx *x)
{
	const struct brig_dockerfile *df = x->df;
	_cleanup_free_ bool *used = brig_xcalloc(df->n_stages + 1, sizeof(*used));

	x->image = brig_xcalloc(df->n_stages + 1, sizeof(*x->image));
	x->shipped = brig_xcalloc(df->n_stages + 1, sizeof(*x->shipped));
	for (size_t s = 0; s < df->n_stages; s++)
		mark_used(df, s, used);
	for (size_t s = df->n_stages; s-- > 0;) {
		x->image[s] = s + 1 == df->n_stages || !used[s];
		if (x->image[s] || x->shipped[s]) {
			x->shipped[s] = true;
			if (df->stages[s].base_stage >= 0)
				x->shipped[df->stages[s].base_stage] = true;
		}
	}
}

/* ---- generic helpers ---- */

static const struct brig_df_instruction *from_ins(const struct dfx *x, size_t s)
{
	return &x->df->stages[s].instructions[0];
}

static void report_ins(struct dfx *x, enum brig_rule_idx r, const struct brig_df_instruction *in,
		       const char *msg)
{
	brig_lint_report(x->c, r, in->start_line, in->end_line, "%s", msg);
}

/* The last instruction of kind cmd in stage s or the stages it is built
 * FROM (the image inherits it). */
static const struct brig_df_instruction *inherited_last(const struct dfx *x, size_t s,
							 enum brig_df_cmd cmd)
{
	for (long k = (long)s; k >= 0; k = x->df->stages[k].base_stage) {
		const struct brig_df_stage *st = &x->df->stages[k];

		for (size_t i = st->n_instructions; i-- > 1;)
			if (st->instructions[i].cmd == cmd)
				return &st->instructions[i];
		if (st->base_stage >= (long)k)
			break;
	}
	return NULL;
}

/* The image a stage chain starts from ("" when unresolved). */
static const char *root_base(const struct dfx *x, size_t s)
{
	long k = (long)s;

	while (x->df->stages[k].base_stage >= 0 && x->df->stages[k].base_stage < k)
		k = x->df->stages[k].base_stage;
	return x->df->stages[k].base ? x->df->stages[k].base : "";
}

static bool has_dollar(const char *s)
{
	return s && strchr(s, '$');
}

/* An image reference split the way a registry reads it. */
struct imgref {
	char repo[512]; /* last path component, lower-case: "node" */
	char path[512]; /* path without registry: "library/node" or "org/x" */
	char tag[128];	/* "" when none */
	bool digest;
	bool parsed;
};

/* s[0..n) into dst of cap bytes, cut to fit, NUL-terminated */
static void copy_cut(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

static void imgref_parse(const char *ref, struct imgref *r)
{
	const char *at = strchr(ref, '@'), *slash, *colon, *name = ref;
	size_t n = at ? (size_t)(at - ref) : strlen(ref);
	const char *first = memchr(ref, '/', n);

	r->digest = at != NULL;
	/* a registry host has a dot, a port or is localhost */
	if (first) {
		size_t hn = (size_t)(first - ref);

		if (memchr(ref, '.', hn) || memchr(ref, ':', hn) || (hn == 9 && !strncmp(ref, "localhost", 9))) {
			name = first + 1;
			n -= hn + 1;
		}
	}
	slash = NULL;
	for (const char *p = name; p < name + n; p++)
		if (*p == '/')
			slash = p;
	colon = memchr(slash ? slash : name, ':', n - (size_t)((slash ? slash : name) - name));
	copy_cut(r->path, sizeof(r->path), name, colon ? (size_t)(colon - name) : n);
	copy_cut(r->tag, sizeof(r->tag), colon ? colon + 1 : "", colon ? (size_t)(name + n - colon - 1) : 0);
	copy_cut(r->repo, sizeof(r->repo), base_name(r->path), strlen(base_name(r->path)));
	for (char *p = r->repo; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

/* ============================================================ RUN parts */

static const char *const *pm_argopts(enum pm pm)
{
	static const char *const apt[] = {"-o", "-c", "-t", "-a", "--option", "--config-file",
					  "--target-release", "--host-architecture", NULL};
	static const char *const apk[] = {"-X", "-t", "-p", "--repository", "--virtual", "--root",
					  "--arch", "--cache-dir", "--keys-dir", "--repositories-file",
					  "--cache-max-age", NULL};
	static const char *const rpm[] = {"-c", "-x", "-d", "-e", "-R", "--config", "--exclude",
					  "--installroot", "--releasever", "--setopt", "--enablerepo",
					  "--disablerepo", "--repo", "--repoid", "--debuglevel",
					  "--errorlevel", "--downloaddir", "--destdir", "--forcearch",
					  "--color", "--comment", "--advisory", NULL};
	static const char *const zypper[] = {"-c", "-D", "-R", "-r", "-t", "--config", "--root",
					     "--reposd-dir", "--cache-dir", "--repo", "--type",
					     "--from", NULL};
	static const char *const pip[] = {"-r", "-c", "-e", "-i", "-t", "-b", "-f", "-C",
					  "--requirement", "--constraint", "--editable",
					  "--index-url", "--extra-index-url", "--find-links",
					  "--target", "--prefix", "--root", "--src", "--trusted-host",
					  "--platform", "--python-version", "--implementation", "--abi",
					  "--progress-bar", "--cache-dir", "--log", "--timeout",
					  "--retries", "--proxy", "--cert", "--client-cert",
					  "--upgrade-strategy", "--global-option", "--install-option",
					  "--no-binary", "--only-binary", "--config-settings",
					  "--report", "--exists-action", "--python", NULL};
	static const char *const npm[] = {"--prefix", "--registry", "--cache", "-w", "--workspace",
					  "--tag", "--userconfig", "--globalconfig", "--loglevel",
					  NULL};
	static const char *const gem[] = {"-v", "--version", "-s", "--source", "-i",
					  "--install-dir", "-n", "--bindir", "--platform", "-P",
					  "--trust-policy", "--document", "-g", "--file", NULL};
	static const char *const none[] = {"-r", "--root", "-b", "--dbpath", "--cachedir",
					   "--config", "--arch", NULL};

	switch (pm) {
	case PM_APT_GET:
	case PM_APT:
		return apt;
	case PM_APK:
		return apk;
	case PM_YUM:
	case PM_DNF:
		return rpm;
	case PM_ZYPPER:
		return zypper;
	case PM_PIP:
		return pip;
	case PM_NPM:
	case PM_YARN:
	case PM_PNPM:
		return npm;
	case PM_GEM:
		return gem;
	default:
		return none;
	}
}

static enum pm pm_by_name(const char *b)
{
	static const struct {
		const char *name;
		enum pm pm;
	} names[] = {
		{"apt-get", PM_APT_GET}, {"apt", PM_APT},     {"apk", PM_APK},	    {"yum", PM_YUM},
		{"dnf", PM_DNF},	 {"dnf5", PM_DNF},    {"microdnf", PM_DNF}, {"tdnf", PM_DNF},
		{"zypper", PM_ZYPPER},	 {"npm", PM_NPM},     {"yarn", PM_YARN},    {"pnpm", PM_PNPM},
		{"gem", PM_GEM},	 {"pacman", PM_PACMAN},
	};

	/* Every word of every RUN comes here: most start with a letter no
	 * manager starts with, or a '-', and are done after one switch. */
	switch (b[0]) {
	case 'a': case 'd': case 'g': case 'm': case 'n': case 'p': case 't': case 'y': case 'z':
		break;
	default:
		return PM_NONE;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (b[0] == names[i].name[0] && strcmp(b, names[i].name) == 0)
			return names[i].pm;
	if (strncmp(b, "pip", 3) == 0 && (!b[3] || isdigit((unsigned char)b[3])))
		return PM_PIP;
	return PM_NONE;
}

/* Does option word w take the next word as its value? */
static bool opt_takes_arg(enum pm pm, const char *w)
{
	return !strchr(w, '=') && word_in(w, pm_argopts(pm));
}

/* Finds the manager and subcommand in words argv[i..]. */
static bool pm_at(char **argv, size_t argc, size_t i, struct pmcall *pc)
{
	const char *b;

	memset(pc, 0, sizeof(*pc));
	if (i >= argc)
		return false;
	b = base_name(argv[i]);
	pc->pm = pm_by_name(b);
	pc->opt0 = i + 1;
	/* python -m pip install ... */
	if (pc->pm == PM_NONE && strncmp(b, "python", 6) == 0 && i + 2 < argc &&
	    strcmp(argv[i + 1], "-m") == 0 && strcmp(argv[i + 2], "pip") == 0) {
		pc->pm = PM_PIP;
		pc->opt0 = i + 3;
	}
	if (pc->pm == PM_NONE)
		return false;
	for (size_t k = pc->opt0; k < argc; k++) {
		if (argv[k][0] != '-') {
			pc->sub = argv[k];
			pc->sub_i = k;
			break;
		}
		if (opt_takes_arg(pc->pm, argv[k]))
			k++;
	}
	return true;
}

static bool pm_of(const struct sh_cmd *c, struct pmcall *pc)
{
	*pc = c->pc;
	return pc->pm != PM_NONE;
}

static bool sub_is(const struct pmcall *pc, const char *const *subs)
{
	return pc->sub && word_in(pc->sub, subs);
}

static const char *const install_subs[] = {"install", "in", "ins", "reinstall", "localinstall",
					   "groupinstall", NULL};

static bool is_install(const struct pmcall *pc)
{
	switch (pc->pm) {
	case PM_APK: {
		static const char *const add[] = {"add", NULL};

		return sub_is(pc, add);
	}
	case PM_NPM: {
		static const char *const npm[] = {"install", "i", "add", "in", "ins", "inst", "insta",
						  "instal", "isnt", "isnta", "isntal", "isntall", NULL};

		return sub_is(pc, npm);
	}
	case PM_PACMAN:
		return false;
	default:
		return sub_is(pc, install_subs);
	}
}

/* Any option word of the call (before or after the subcommand). */
static bool call_has_opt(const struct sh_cmd *c, const struct pmcall *pc, const char *const *opts)
{
	for (size_t k = pc->opt0; k < c->argc; k++) {
		const char *w = c->argv[k];
		const char *eq = strchr(w, '=');

		if (w[0] != '-')
			continue;
		if (word_in(w, opts))
			return true;
		if (eq) {
			_cleanup_free_ char *name = brig_xstrndup(w, (size_t)(eq - w));

			if (word_in(name, opts))
				return true;
		}
	}
	return false;
}

/* A short-option cluster ("-qy", "-fmy") sets ch; letters in argchars
 * take the rest of the cluster (or the next word) as their value. */
static bool short_has(const char *w, char ch, const char *argchars)
{
	if (w[0] != '-' || w[1] == '-' || !w[1])
		return false;
	for (const char *p = w + 1; *p; p++) {
		if (*p == ch)
			return true;
		if (strchr(argchars, *p))
			return false;
	}
	return false;
}

static bool call_has_short(const struct sh_cmd *c, const struct pmcall *pc, char ch,
			   const char *argchars)
{
	for (size_t k = pc->opt0; k < c->argc; k++)
		if (short_has(c->argv[k], ch, argchars))
			return true;
	return false;
}

/* The package words of an install call (options and their values
 * skipped), as indices into argv. */
struct pkgs {
	size_t v[256];
	size_t n;
};

static void call_pkgs(const struct sh_cmd *c, const struct pmcall *pc, struct pkgs *out)
{
	bool opts_done = false;

	out->n = 0;
	for (size_t k = pc->sub_i + 1; k < c->argc && out->n < 256; k++) {
		const char *w = c->argv[k];

		if (!opts_done && strcmp(w, "--") == 0) {
			opts_done = true;
			continue;
		}
		if (!opts_done && w[0] == '-') {
			if (opt_takes_arg(pc->pm, w))
				k++;
			continue;
		}
		if (*w)
			out->v[out->n++] = k;
	}
}

/* Words that say nothing about a version, whatever the manager. */
static bool pkg_unknowable(const char *p)
{
	return has_dollar(p) || strchr(p, '`') || p[0] == '.' || p[0] == '/' || p[0] == '~' ||
	       strstr(p, "://") || strstr(p, "*");
}

static bool has_dash_digit(const char *p)
{
	for (const char *q = p + 1; *q; q++)
		if (q[-1] == '-' && isdigit((unsigned char)*q))
			return true;
	return false;
}

static bool pkg_pinned(enum pm pm, const char *p, const char *next)
{
	if (pkg_unknowable(p))
		return true;
	switch (pm) {
	case PM_APT_GET:
	case PM_APT:
		return strchr(p, '=') || brig_str_has_suffix(p, ".deb");
	case PM_APK:
		return strpbrk(p, "=~<>") || brig_str_has_suffix(p, ".apk");
	case PM_YUM:
	case PM_DNF:
		return has_dash_digit(p) || strchr(p, '=') || brig_str_has_suffix(p, ".rpm");
	case PM_ZYPPER:
		return strpbrk(p, "=<>") || has_dash_digit(p) || brig_str_has_suffix(p, ".rpm");
	case PM_PIP:
		return strpbrk(p, "=<>@!~") || strchr(p, '/') || brig_str_has_suffix(p, ".whl") ||
		       brig_str_has_suffix(p, ".tar.gz") || brig_str_has_suffix(p, ".zip");
	case PM_NPM:
	case PM_YARN:
	case PM_PNPM:
		return strchr(p + 1, '@') || strchr(p, ':') || brig_str_has_suffix(p, ".tgz") ||
		       (p[0] != '@' && strchr(p, '/'));
	case PM_GEM:
		return strchr(p, ':') || brig_str_has_suffix(p, ".gem") ||
		       (next && (strcmp(next, "-v") == 0 || strcmp(next, "--version") == 0 ||
				 strncmp(next, "--version=", 10) == 0));
	default:
		return true;
	}
}

/* The unpinned packages of an install call, ", "-joined; "" when none. */
static void unpinned(const struct sh_cmd *c, const struct pmcall *pc, char *out, size_t outn)
{
	struct pkgs p;
	size_t used = 0;

	out[0] = '\0';
	call_pkgs(c, pc, &p);
	for (size_t i = 0; i < p.n; i++) {
		size_t k = p.v[i];
		const char *next = k + 1 < c->argc ? c->argv[k + 1] : NULL;

		if (pkg_pinned(pc->pm, c->argv[k], next) || used >= outn)
			continue;
		used += (size_t)snprintf(out + used, outn - used, "%s%s", used ? ", " : "", c->argv[k]);
	}
	if (used >= outn && outn > 4)
		memcpy(out + outn - 4, "...", 4);
}

static bool cmd_is(const struct sh_cmd *c, const char *name)
{
	return c->name[0] == name[0] && strcmp(c->name, name) == 0;
}

/* A word of the command (after argv[0]) equal to w. */
static bool cmd_has_word(const struct sh_cmd *c, const char *w)
{
	for (size_t i = 1; i < c->argc; i++)
		if (strcmp(c->argv[i], w) == 0)
			return true;
	return false;
}

static bool cmd_word_contains(const struct sh_cmd *c, const char *needle)
{
	for (size_t i = 0; i < c->argc; i++)
		if (brig_cfg_find_ci(c->argv[i], needle))
			return true;
	return false;
}

/* RUN --mount=type=cache,target=... covering path */
static bool cache_mount(const struct brig_df_instruction *in, const char *path)
{
	for (size_t f = 0; f < in->n_flags; f++) {
		const char *v = in->flags[f].value;

		if (strcmp(in->flags[f].name, "mount") == 0 && v && strstr(v, "type=cache") &&
		    strstr(v, path))
			return true;
	}
	return false;
}

/* ============================================== Dockerfile rule checks */

#define FOR_STAGES(x, s) for (size_t s = 0; s < (x)->df->n_stages; s++)
#define FOR_INS(x, s, in)                                                                           \
	for (const struct brig_df_instruction *in = (x)->df->stages[s].instructions;                \
	     in < (x)->df->stages[s].instructions + (x)->df->stages[s].n_instructions; in++)
#define FOR_RUNS(x, r) for (struct run *r = (x)->runs; r < (x)->runs + (x)->n_runs; r++)

/* ---- base image ---- */

/* The image stage s starts from, or NULL when that is another stage,
 * unknown (unresolved ARGs) or scratch. Parsed on first use. */
static const struct imgref *stage_image(struct dfx *x, size_t s)
{
	const struct brig_df_stage *st = &x->df->stages[s];

	if (st->base_stage >= 0 || !st->base || st->base_unresolved || has_dollar(st->base) ||
	    strcasecmp(st->base, "scratch") == 0)
		return NULL;
	if (!x->refs)
		x->refs = brig_xcalloc(x->df->n_stages, sizeof(*x->refs));
	if (!x->refs[s].parsed) {
		imgref_parse(st->base, &x->refs[s]);
		x->refs[s].parsed = true;
	}
	return &x->refs[s];
}

static void df_base_unpinned(struct dfx *x)
{
	FOR_STAGES(x, s) {
		const struct imgref *r = stage_image(x, s);

		if (!r || r->digest)
			continue;
		if (!r->tag[0])
			brig_lint_report(x->c, BRIG_R_df_base_unpinned, from_ins(x, s)->start_line,
					 from_ins(x, s)->end_line,
					 "FROM %s has no tag: it means %s:latest", x->df->stages[s].base,
					 x->df->stages[s].base);
		else if (strcmp(r->tag, "latest") == 0)
			brig_lint_report(x->c, BRIG_R_df_base_unpinned, from_ins(x, s)->start_line,
					 from_ins(x, s)->end_line, "FROM %s uses the latest tag",
					 x->df->stages[s].base);
	}
}

static void df_base_no_digest(struct dfx *x)
{
	FOR_STAGES(x, s) {
		const struct imgref *r = stage_image(x, s);

		if (!r || r->digest || !r->tag[0] || strcmp(r->tag, "latest") == 0)
			continue;
		brig_lint_report(x->c, BRIG_R_df_base_no_digest, from_ins(x, s)->start_line,
				 from_ins(x, s)->end_line,
				 "FROM %s is pinned by tag only; add @sha256:<digest>",
				 x->df->stages[s].base);
	}
}

static bool tag_is_minimal(const char *tag, const char *path)
{
	static const char *const small[] = {"slim", "alpine", "distroless", "minimal", "micro",
					    "chiseled", "busybox", "scratch", "nonroot", "static",
					    NULL};

	for (size_t i = 0; small[i]; i++)
		if (brig_cfg_find_ci(tag, small[i]) || brig_cfg_find_ci(path, small[i]))
			return true;
	return false;
}

static void df_base_full_os(struct dfx *x)
{
	static const char *const os[] = {"ubuntu", "debian", "centos", "fedora", "rockylinux",
					 "almalinux", "oraclelinux", "amazonlinux", "archlinux",
					 "buildpack-deps", "opensuse", "leap", NULL};
	static const char *const runtimes[] = {"node", "python", "ruby", "golang", "openjdk",
					       "eclipse-temurin", "amazoncorretto", "php", "perl",
					       "rust", "maven", "gradle", "elixir", "erlang",
					       "haskell", "julia", "swift", "clojure", NULL};

	FOR_STAGES(x, s) {
		const struct imgref *r = x->image[s] ? stage_image(x, s) : NULL;

		if (!r || tag_is_minimal(r->tag, r->path))
			continue;
		if (word_in(r->repo, os) || word_in(r->repo, runtimes))
			brig_lint_report(x->c, BRIG_R_df_base_full_os, from_ins(x, s)->start_line,
					 from_ins(x, s)->end_line,
					 "%s is a full-OS image; a -slim, -alpine or distroless "
					 "variant ships far fewer packages",
					 x->df->stages[s].base);
	}
}

/* A bare `yarn` installs the project's dependencies; `yarn --version` does not. */
static bool yarn_bare_install(const struct sh_cmd *c, const struct pmcall *pc)
{
	static const char *const not_install[] = {"--version", "-v", "--help", "-h", NULL};

	return pc->pm == PM_YARN && !pc->sub && !call_has_opt(c, pc, not_install);
}

static bool build_step(const struct sh_cmd *c)
{
	static const char *const tools[] = {"make", "cmake", "gcc", "g++", "cc", "clang", "javac",
					    "mvn", "mvnw", "gradle", "gradlew", "cargo", "go",
					    "dotnet", "bundle", "composer", "poetry", "pipenv",
					    "tsc", "webpack", "vite", NULL};
	struct pmcall pc;

	if (pm_of(c, &pc))
		return (pc.pm == PM_PIP || pc.pm == PM_NPM || pc.pm == PM_YARN ||
			pc.pm == PM_PNPM || pc.pm == PM_GEM) &&
		       (is_install(&pc) || (pc.sub && strcmp(pc.sub, "ci") == 0) ||
			yarn_bare_install(c, &pc));
	if (!word_in(c->name, tools))
		return false;
	if (cmd_is(c, "go") || cmd_is(c, "cargo") || cmd_is(c, "dotnet"))
		return c->argc > 1 && (strcmp(c->argv[1], "build") == 0 ||
				       strcmp(c->argv[1], "install") == 0 ||
				       strcmp(c->argv[1], "publish") == 0);
	return true;
}

static void df_no_multistage(struct dfx *x)
{
	if (x->df->n_stages != 1)
		return;
	FOR_RUNS(x, r)
		for (size_t i = 0; i < r->sh.n; i++)
			if (build_step(&r->sh.cmds[i])) {
				brig_lint_report(x->c, BRIG_R_df_no_multistage,
						 from_ins(x, 0)->start_line, from_ins(x, 0)->end_line,
						 "single stage, and line %u runs %s: build tools and "
						 "dependencies ship in the image",
						 r->ins->start_line, r->sh.cmds[i].argv[0]);
				return;
			}
}

/* ---- user ---- */

static bool user_is_root(const char *u)
{
	size_t n = strcspn(u, ":");

	return (n == 4 && strncmp(u, "root", 4) == 0) || (n == 1 && u[0] == '0');
}

static const char *user_of(const struct brig_df_instruction *in)
{
	return in->argc ? in->argv[0] : in->args;
}

static bool nonroot_base(const char *base)
{
	return brig_cfg_find_ci(base, "nonroot") != NULL;
}

static void df_no_user(struct dfx *x)
{
	FOR_STAGES(x, s) {
		const char *base = root_base(x, s);

		if (!x->image[s] || inherited_last(x, s, BRIG_DF_USER) ||
		    strcasecmp(base, "scratch") == 0 || nonroot_base(base))
			continue;
		brig_lint_report(x->c, BRIG_R_df_no_user, from_ins(x, s)->start_line,
				 from_ins(x, s)->end_line,
				 "stage %s has no USER: the container runs as root",
				 x->df->stages[s].name ? x->df->stages[s].name : x->df->stages[s].base);
	}
}

/* Reports each USER line once even when several image stages inherit it. */
static bool seen_once(const void **seen, size_t *n, size_t max, const void *p)
{
	for (size_t i = 0; i < *n; i++)
		if (seen[i] == p)
			return false;
	if (*n < max)
		seen[(*n)++] = p;
	return true;
}

static void df_user_root(struct dfx *x)
{
	const void *seen[64];
	size_t n_seen = 0;

	FOR_STAGES(x, s) {
		const struct brig_df_instruction *u = inherited_last(x, s, BRIG_DF_USER);

		if (!x->image[s] || !u || !user_is_root(user_of(u)) ||
		    !seen_once(seen, &n_seen, 64, u))
			continue;
		report_ins(x, BRIG_R_df_user_root, u,
			   "the last USER of the image is root: the container runs as root");
	}
}

static bool numeric_user(const char *u)
{
	size_t n = strcspn(u, ":");

	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)u[i]))
			return false;
	return true;
}

static void df_user_not_numeric(struct dfx *x)
{
	const void *seen[64];
	size_t n_seen = 0;

	FOR_STAGES(x, s) {
		const struct brig_df_instruction *u = inherited_last(x, s, BRIG_DF_USER);
		const char *name = u ? user_of(u) : NULL;

		if (!x->image[s] || !u || user_is_root(name) || numeric_user(name) ||
		    has_dollar(name) || has_dollar(u->args) || !seen_once(seen, &n_seen, 64, u))
			continue;
		brig_lint_report(x->c, BRIG_R_df_user_not_numeric, u->start_line, u->end_line,
				 "USER %s is a name; runtimes cannot verify it is not root", name);
	}
}

/* ---- healthcheck, CMD, ENTRYPOINT ---- */

static bool healthcheck_none(const struct brig_df_instruction *h)
{
	return h->argc == 1 && strcasecmp(h->argv[0], "NONE") == 0 && !h->sub;
}

static void df_no_healthcheck(struct dfx *x)
{
	FOR_STAGES(x, s) {
		const struct brig_df_instruction *h = inherited_last(x, s, BRIG_DF_HEALTHCHECK);

		if (!x->image[s])
			continue;
		if (!h)
			brig_lint_report(x->c, BRIG_R_df_no_healthcheck, from_ins(x, s)->start_line,
					 from_ins(x, s)->end_line,
					 "the image built from this stage has no HEALTHCHECK");
		else if (healthcheck_none(h))
			report_ins(x, BRIG_R_df_no_healthcheck, h,
				   "HEALTHCHECK NONE disables the base image's health check");
	}
}

static void multiple(struct dfx *x, enum brig_rule_idx r, enum brig_df_cmd cmd)
{
	FOR_STAGES(x, s) {
		const struct brig_df_instruction *first = NULL, *last = NULL;
		size_t n = 0;

		if (!x->image[s])
			continue;
		FOR_INS(x, s, in) {
			if (in->cmd != cmd)
				continue;
			first = first ? first : in;
			last = in;
			n++;
		}
		if (n > 1)
			brig_lint_report(x->c, r, first->start_line, first->end_line,
					 "%zu %s instructions in this stage; only the last (line %u) "
					 "takes effect",
					 n, brig_df_cmd_name(cmd), last->start_line);
	}
}

static void df_multiple_cmd(struct dfx *x)
{
	multiple(x, BRIG_R_df_multiple_cmd, BRIG_DF_CMD);
}

static void df_multiple_entrypoint(struct dfx *x)
{
	multiple(x, BRIG_R_df_multiple_entrypoint, BRIG_DF_ENTRYPOINT);
}

static void df_multiple_healthcheck(struct dfx *x)
{
	multiple(x, BRIG_R_df_multiple_healthcheck, BRIG_DF_HEALTHCHECK);
}

static void df_cmd_shell_form(struct dfx *x)
{
	FOR_STAGES(x, s) {
		if (!x->image[s])
			continue;
		FOR_INS(x, s, in)
			if ((in->cmd == BRIG_DF_CMD || in->cmd == BRIG_DF_ENTRYPOINT) && !in->json_form)
				brig_lint_report(x->c, BRIG_R_df_cmd_shell_form, in->start_line,
						 in->end_line,
						 "%s in shell form runs under /bin/sh -c and does not "
						 "receive signals",
						 in->keyword);
	}
}

/* ---- secrets ---- */

static bool ci_contains(const char *s, const char *const *needles)
{
	for (; *needles; needles++)
		if (brig_cfg_find_ci(s, *needles))
			return true;
	return false;
}

static bool secret_name(const char *key)
{
	static const char *const names[] = {"password", "passwd", "passphrase", "secret", "token",
					    "api_key", "apikey", "api-key", "private_key",
					    "privatekey", "access_key", "accesskey", "credential",
					    "auth_key", NULL};
	static const char *const not_secret[] = {"_file", "_files", "_path", "_dir", "_filename",
						 "_location", "_url", "_uri", "_endpoint", "_host",
						 "_port", "_header", "_name", "_type", "_length",
						 "_ttl", "_expiry", "_expires", "_timeout", "_enabled",
						 "_disabled", "_required", "_mode", "_id", "_policy",
						 "_algorithm", "_format", "_version", NULL};

	char lower[128];
	size_t len = strlen(key);
	bool named = false;

	/* the names are lower-case: lower the key once, then plain strstr */
	if (len < sizeof(lower)) {
		for (size_t i = 0; i <= len; i++) /* ASCII only, as brig_cfg_find_ci */
			lower[i] = key[i] >= 'A' && key[i] <= 'Z' ? (char)(key[i] + 32) : key[i];
		for (size_t i = 0; names[i] && !named; i++)
			named = strstr(lower, names[i]) != NULL;
	} else {
		named = ci_contains(key, names);
	}
	if (!named)
		return false;
	for (size_t i = 0; not_secret[i]; i++) {
		size_t n = strlen(key), m = strlen(not_secret[i]);

		if (n > m && strcasecmp(key + n - m, not_secret[i]) == 0)
			return false;
	}
	return true;
}

/* A value made only of ${VAR} references (or nothing). */
static bool only_reference(const char *v)
{
	while (*v == ' ')
		v++;
	if (!*v)
		return true;
	if (v[0] != '$')
		return false;
	if (v[1] == '{') {
		const char *e = strchr(v, '}');

		return e && only_reference(e + 1);
	}
	v++;
	while (isalnum((unsigned char)*v) || *v == '_')
		v++;
	return only_reference(v);
}

/* Known key shapes: prefix, allowed characters, minimum length after it. */
static bool shaped(const char *v, const char *prefix, const char *chars, size_t min)
{
	const char *p = strstr(v, prefix);
	size_t n = 0;

	if (!p)
		return false;
	for (p += strlen(prefix); *p && (strchr(chars, *p) || (isalnum((unsigned char)*p) && !*chars));
	     p++)
		n++;
	return n >= min;
}

#define ALNUM ""
#define B64URL "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#define UPPERNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

static bool mailchimp_key(const char *v)
{
	const char *us = strstr(v, "-us");

	if (!us || !isdigit((unsigned char)us[3]) || us - v < 32)
		return false;
	for (const char *p = us - 32; p < us; p++)
		if (!isxdigit((unsigned char)*p))
			return false;
	return true;
}

static const char *key_shape(const char *v)
{
	static const struct {
		const char *prefix, *chars, *what;
		size_t min;
	} shapes[] = {
		{"AKIA", UPPERNUM, "an AWS access key id", 16},
		{"ASIA", UPPERNUM, "an AWS access key id", 16},
		{"ghp_", ALNUM, "a GitHub token", 30},
		{"gho_", ALNUM, "a GitHub token", 30},
		{"ghs_", ALNUM, "a GitHub token", 30},
		{"github_pat_", B64URL, "a GitHub token", 40},
		{"glpat-", B64URL, "a GitLab token", 20},
		{"xoxb-", B64URL, "a Slack token", 20},
		{"xoxp-", B64URL, "a Slack token", 20},
		{"sk_live_", ALNUM, "a Stripe or Picatic key", 24},
		{"rk_live_", ALNUM, "a Stripe key", 24},
		{"sq0atp-", B64URL, "a Square token", 22},
		{"sq0csp-", B64URL, "a Square secret", 40},
		{"AIza", B64URL, "a Google API key", 35},
		{"npm_", ALNUM, "an npm token", 36},
		{"amzn.mws.", "0123456789abcdef-", "an Amazon MWS token", 36},
		{"SG.", B64URL ".", "a SendGrid key", 60},
	};

	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (shaped(v, shapes[i].prefix, shapes[i].chars, shapes[i].min))
			return shapes[i].what;
	if (strstr(v, "-----BEGIN") && strstr(v, "PRIVATE KEY"))
		return "a private key";
	return mailchimp_key(v) ? "a MailChimp key" : NULL;
}

bool brig_lint_secret_kv(const char *key, const char *value, char *why, size_t why_len)
{
	const char *shape = value ? key_shape(value) : NULL;

	if (shape) {
		snprintf(why, why_len, "the value of %s looks like %s", key, shape);
		return true;
	}
	if (!value || !secret_name(key) || only_reference(value) || value[0] == '/' ||
	    strcasecmp(value, "true") == 0 || strcasecmp(value, "false") == 0)
		return false;
	snprintf(why, why_len, "%s holds a literal secret value", key);
	return true;
}

static void check_kv_secret(struct dfx *x, const struct brig_df_instruction *in)
{
	for (size_t k = 0; k < in->n_kvs; k++) {
		const struct brig_df_kv *kv = &in->kvs[k];
		char why[256];

		if (in->cmd == BRIG_DF_LABEL) {
			const char *shape = kv->value ? key_shape(kv->value) : NULL;

			if (shape) {
				snprintf(why, sizeof(why), "LABEL %s looks like %s", kv->key, shape);
				report_ins(x, BRIG_R_df_secret_env, in, why);
				return;
			}
			continue;
		}
		if (brig_lint_secret_kv(kv->key, kv->value_raw ? kv->value : NULL, why, sizeof(why)) ||
		    (in->cmd == BRIG_DF_ARG && !kv->value && secret_name(kv->key) &&
		     snprintf(why, sizeof(why),
			      "build argument %s is recorded in the image history; use RUN "
			      "--mount=type=secret",
			      kv->key) > 0) ||
		    (in->cmd == BRIG_DF_ENV && kv->value_raw && secret_name(kv->key) &&
		     has_dollar(kv->value_raw) &&
		     snprintf(why, sizeof(why), "ENV %s copies a build-time value into the image",
			      kv->key) > 0)) {
			report_ins(x, BRIG_R_df_secret_env, in, why);
			return;
		}
	}
}

static void df_secret_env(struct dfx *x)
{
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		if (in->cmd == BRIG_DF_ENV || in->cmd == BRIG_DF_ARG || in->cmd == BRIG_DF_LABEL)
			check_kv_secret(x, in);
	}
}

static bool secret_file(const char *src)
{
	static const char *const exact[] = {".env", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519",
					    ".npmrc", ".pypirc", ".netrc", ".git-credentials",
					    "credentials", "credentials.json", ".aws", ".ssh",
					    "secrets", ".secrets", NULL};
	static const char *const suffixes[] = {".pem", ".key", ".p12", ".pfx", ".jks", ".keystore",
					       ".kdbx", NULL};
	const char *b = base_name(src);

	if (!*b)
		return false;
	if (word_in(b, exact))
		return true;
	if (strncmp(b, ".env.", 5) == 0)
		return !ci_contains(b + 5, (const char *const[]){"example", "sample", "template",
								   "dist", "defaults", NULL});
	for (size_t i = 0; suffixes[i]; i++)
		if (brig_str_has_suffix(b, suffixes[i]))
			return true;
	return false;
}

/* COPY/ADD sources: every argv word but the destination. */
static size_t n_sources(const struct brig_df_instruction *in)
{
	return in->n_heredocs || in->argc < 2 ? 0 : in->argc - 1;
}

static void df_secret_file_copied(struct dfx *x)
{
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		if ((in->cmd != BRIG_DF_COPY && in->cmd != BRIG_DF_ADD) || brig_df_flag(in, "from"))
			continue;
		for (size_t k = 0; k < n_sources(in); k++)
			if (secret_file(in->argv[k])) {
				char msg[512];

				snprintf(msg, sizeof(msg), "%s copies %s into a layer", in->keyword,
					 in->argv[k]);
				report_ins(x, BRIG_R_df_secret_file_copied, in, msg);
				break;
			}
	}
}

/* ---- npm dev dependencies ---- */

static bool stage_env_is(const struct dfx *x, size_t s, const char *key, const char *value)
{
	for (long k = (long)s; k >= 0; k = x->df->stages[k].base_stage) {
		const struct brig_df_stage *st = &x->df->stages[k];

		for (size_t i = 1; i < st->n_instructions; i++) {
			const struct brig_df_instruction *in = &st->instructions[i];

			for (size_t j = 0; in->cmd == BRIG_DF_ENV && j < in->n_kvs; j++)
				if (strcmp(in->kvs[j].key, key) == 0 &&
				    (!value || (in->kvs[j].value && strcmp(in->kvs[j].value, value) == 0)))
					return true;
		}
		if (st->base_stage >= k)
			break;
	}
	return false;
}

static bool assigns_has(const struct sh_cmd *c, const char *kv)
{
	for (size_t i = 0; i < c->n_assigns; i++)
		if (strcmp(c->assigns[i], kv) == 0)
			return true;
	return false;
}

static bool npm_omits_dev(const struct sh_cmd *c, const struct pmcall *pc)
{
	static const char *const flags[] = {"--production", "--prod", "-P", "--omit=dev",
					    "--only=production", "--only=prod", "--production=true",
					    NULL};

	for (size_t k = pc->opt0; k < c->argc; k++)
		if (word_in(c->argv[k], flags) ||
		    (strcmp(c->argv[k], "--omit") == 0 && k + 1 < c->argc &&
		     strcmp(c->argv[k + 1], "dev") == 0))
			return true;
	return assigns_has(c, "NODE_ENV=production");
}

/* The dev-dependency problem of one command, or NULL. */
static const char *npm_dev_problem(const struct sh_cmd *c)
{
	struct pmcall pc;
	struct pkgs p;

	if (!pm_of(c, &pc) || (pc.pm != PM_NPM && pc.pm != PM_YARN && pc.pm != PM_PNPM))
		return NULL;
	if (pc.pm == PM_YARN && (pc.sub ? strcmp(pc.sub, "install") != 0 : !yarn_bare_install(c, &pc)))
		return NULL;
	if (pc.pm != PM_YARN && !is_install(&pc) && !(pc.sub && strcmp(pc.sub, "ci") == 0))
		return NULL;
	if (pc.sub && pc.pm != PM_YARN) {
		call_pkgs(c, &pc, &p);
		if (p.n)
			return NULL; /* installs named packages: the pinning rule's business */
	}
	if (pc.pm == PM_NPM && is_install(&pc))
		return "npm install in a shipped stage installs dev dependencies and may resolve "
		       "versions the lockfile does not hold; use npm ci --omit=dev";
	if (npm_omits_dev(c, &pc))
		return NULL;
	return "dependencies are installed with devDependencies in a shipped stage; add "
	       "--omit=dev (or --production)";
}

static bool npm_pruned_later(const struct run *from, const struct run *end)
{
	for (const struct run *r = from; r < end; r++)
		for (size_t i = 0; r->stage == from->stage && i < r->sh.n; i++) {
			const struct sh_cmd *c = &r->sh.cmds[i];

			if (cmd_is(c, "npm") && cmd_has_word(c, "prune"))
				return true;
		}
	return false;
}

static void df_npm_dev_deps(struct dfx *x)
{
	FOR_RUNS(x, r) {
		if (!x->shipped[r->stage] || stage_env_is(x, r->stage, "NODE_ENV", "production"))
			continue;
		for (size_t i = 0; i < r->sh.n; i++) {
			const char *why = npm_dev_problem(&r->sh.cmds[i]);

			if (why && !npm_pruned_later(r, x->runs + x->n_runs)) {
				report_ins(x, BRIG_R_df_npm_dev_deps, r->ins, why);
				break;
			}
		}
	}
}

/* ---- ADD / COPY ---- */

static bool remote_src(const char *s)
{
	return strstr(s, "://") || strncmp(s, "git@", 4) == 0;
}

static bool archive_src(const char *s)
{
	static const char *const ext[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz",
					  ".tar.xz", ".txz", ".tar.zst", ".tzst", ".tar.lz", NULL};

	for (size_t i = 0; ext[i]; i++)
		if (brig_str_has_suffix(s, ext[i]))
			return true;
	return false;
}

static void df_add_local(struct dfx *x)
{
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		if (in->cmd != BRIG_DF_ADD)
			continue;
		for (size_t k = 0; k < n_sources(in); k++)
			if (!remote_src(in->argv[k]) && !archive_src(in->argv[k])) {
				char msg[512];

				snprintf(msg, sizeof(msg), "ADD %s: use COPY for local files",
					 in->argv[k]);
				report_ins(x, BRIG_R_df_add_local, in, msg);
				break;
			}
	}
}

static void df_add_remote(struct dfx *x)
{
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		if (in->cmd != BRIG_DF_ADD || brig_df_flag(in, "checksum"))
			continue;
		for (size_t k = 0; k < n_sources(in); k++)
			if (remote_src(in->argv[k])) {
				char msg[512];

				snprintf(msg, sizeof(msg), "ADD downloads %s with no checksum",
					 in->argv[k]);
				report_ins(x, BRIG_R_df_add_remote, in, msg);
				break;
			}
	}
}

static void df_chown_flag(struct dfx *x)
{
	FOR_STAGES(x, s) {
		if (!x->shipped[s])
			continue;
		FOR_INS(x, s, in) {
			const char *v;

			if (in->cmd != BRIG_DF_COPY && in->cmd != BRIG_DF_ADD)
				continue;
			v = flag_value(in, "chown");
			if (v && !user_is_root(v) && !has_dollar(v))
				brig_lint_report(x->c, BRIG_R_df_chown_flag, in->start_line,
						 in->end_line,
						 "--chown=%s lets the runtime user rewrite these files", v);
		}
	}
}

static void df_copy_from_checks(struct dfx *x, size_t s, const struct brig_df_instruction *in,
				const char *from)
{
	const struct brig_df_stage *st = &x->df->stages[s];
	bool digits = *from && strspn(from, "0123456789") == strlen(from);

	if ((st->name && strcasecmp(st->name, from) == 0) ||
	    (digits && strtoul(from, NULL, 10) == s)) {
		brig_lint_report(x->c, BRIG_R_df_copy_from_self, in->start_line, in->end_line,
				 "--from=%s is the stage this %s is in", from, in->keyword);
		return;
	}
	if (digits && stage_of_ref(x->df, from, s) >= 0)
		brig_lint_report(x->c, BRIG_R_df_copy_from_index, in->start_line, in->end_line,
				 "--from=%s names a stage by its number", from);
	else if (stage_of_ref(x->df, from, s) < 0 && !strpbrk(from, "/:.@$"))
		brig_lint_report(x->c, BRIG_R_df_copy_from_unknown, in->start_line, in->end_line,
				 "--from=%s matches no earlier stage and will be pulled as an image",
				 from);
}

static void copy_from_all(struct dfx *x)
{
	FOR_STAGES(x, s) {
		FOR_INS(x, s, in) {
			const char *from;

			if (in->cmd != BRIG_DF_COPY && in->cmd != BRIG_DF_ADD)
				continue;
			from = flag_value(in, "from");
			if (from)
				df_copy_from_checks(x, s, in, from);
		}
	}
}

/* The three --from rules share one pass (df_copy_from_self runs it). */
static void df_copy_from_self(struct dfx *x)
{
	copy_from_all(x);
}

static void df_copy_from_unknown(struct dfx *x)
{
	(void)x;
}

static void df_copy_from_index(struct dfx *x)
{
	(void)x;
}

static bool dir_dest(const char *d)
{
	size_t n = strlen(d);

	return (n && d[n - 1] == '/') || strcmp(d, ".") == 0 || strcmp(d, "..") == 0 ||
	       brig_str_has_suffix(d, "/.") || has_dollar(d);
}

static void df_copy_dest_slash(struct dfx *x)
{
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		if ((in->cmd == BRIG_DF_COPY || in->cmd == BRIG_DF_ADD) && n_sources(in) >= 2 &&
		    !dir_dest(in->argv[in->argc - 1]))
			brig_lint_report(x->c, BRIG_R_df_copy_dest_slash, in->start_line,
					 in->end_line,
					 "%zu sources copied to %s, which does not end with /",
					 n_sources(in), in->argv[in->argc - 1]);
	}
}

static const char *copy_dest(const struct brig_df_instruction *in)
{
	return in->argc ? in->argv[in->argc - 1] : "";
}

static bool same_layer_kind(const struct brig_df_instruction *a, const struct brig_df_instruction *b)
{
	if (a->cmd != b->cmd)
		return false;
	if (a->cmd == BRIG_DF_RUN)
		return !a->n_flags && !b->n_flags;
	if (a->cmd != BRIG_DF_COPY && a->cmd != BRIG_DF_ADD)
		return false;
	return !a->n_flags && !b->n_flags && !a->n_heredocs && !b->n_heredocs &&
	       strcmp(copy_dest(a), copy_dest(b)) == 0;
}

static void df_consecutive(struct dfx *x)
{
	FOR_STAGES(x, s) {
		const struct brig_df_stage *st = &x->df->stages[s];

		if (!x->shipped[s])
			continue;
		for (size_t i = 1; i + 1 < st->n_instructions; i++) {
			const struct brig_df_instruction *a = &st->instructions[i];
			size_t j = i + 1;

			while (j < st->n_instructions && same_layer_kind(a, &st->instructions[j]))
				j++;
			if (j - i < 2)
				continue;
			brig_lint_report(x->c, BRIG_R_df_consecutive, a->start_line,
					 st->instructions[j - 1].end_line,
					 "%zu consecutive %s instructions could be one", j - i,
					 a->keyword);
			i = j - 1;
		}
	}
}

/* ---- FROM, WORKDIR, EXPOSE, MAINTAINER ---- */

/* Reported at the first FROM of a name, once, naming the second. */
static void df_stage_dup(struct dfx *x)
{
	FOR_STAGES(x, s) {
		const char *name = x->df->stages[s].name;
		size_t first = s, count = 0;

		for (size_t k = 0; name && k < s; k++)
			if (x->df->stages[k].name && strcmp(x->df->stages[k].name, name) == 0) {
				first = count++ ? first : k;
			}
		if (count == 1)
			brig_lint_report(x->c, BRIG_R_df_stage_dup, from_ins(x, first)->start_line,
					 from_ins(x, first)->end_line,
					 "stage name %s is used again on line %u", name,
					 from_ins(x, s)->start_line);
	}
}

static void df_from_platform(struct dfx *x)
{
	FOR_STAGES(x, s) {
		const char *p = x->df->stages[s].platform_raw;

		if (p && !has_dollar(p))
			brig_lint_report(x->c, BRIG_R_df_from_platform, from_ins(x, s)->start_line,
					 from_ins(x, s)->end_line, "FROM --platform=%s", p);
	}
}

static bool absolute_dir(const char *w)
{
	if (*w == '"' || *w == '\'')
		w++;
	return *w == '/' || *w == '$' || *w == '\\' ||
	       (isalpha((unsigned char)w[0]) && w[1] == ':');
}

static void df_workdir_relative(struct dfx *x)
{
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		if (in->cmd == BRIG_DF_WORKDIR && !absolute_dir(in->args))
			brig_lint_report(x->c, BRIG_R_df_workdir_relative, in->start_line,
					 in->end_line, "WORKDIR %s is relative", in->args);
	}
}

/* Trivy's set (DS-0030) plus /sys: kernel interfaces, devices and boot
 * files, never an application's directory. */
static bool system_dir(const char *w)
{
	static const char *const dirs[] = {"proc", "sys", "dev", "boot", "initrd", "lost+found"};
	_cleanup_free_ char *quoted = NULL, *path = NULL;
	struct brig_error err = {0};
	size_t n = strlen(w);

	if (n >= 2 && (w[0] == '"' || w[0] == '\'') && w[n - 1] == w[0])
		w = quoted = brig_xstrndup(w + 1, n - 2);
	if (w[0] != '/' || brig_path_normalize(w, &path, &err) < 0)
		return false;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (*path && brig_path_under(path, dirs[i]))
			return true;
	return false;
}

static void df_workdir_system(struct dfx *x)
{
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		if (in->cmd == BRIG_DF_WORKDIR && system_dir(in->args))
			brig_lint_report(x->c, BRIG_R_df_workdir_system, in->start_line,
					 in->end_line, "WORKDIR %s is a system directory", in->args);
	}
}

static void df_maintainer(struct dfx *x)
{
	for (size_t i = 0; i < x->df->n_all; i++)
		if (x->df->all[i]->cmd == BRIG_DF_MAINTAINER)
			report_ins(x, BRIG_R_df_maintainer, x->df->all[i],
				   "MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors");
}

/* "8080", "8000-8010/tcp" -> the range; false when not a number. */
static bool port_range(const char *w, unsigned long *lo, unsigned long *hi)
{
	char *end;

	if (!isdigit((unsigned char)*w))
		return false;
	*lo = *hi = strtoul(w, &end, 10);
	if (*end == '-' && isdigit((unsigned char)end[1]))
		*hi = strtoul(end + 1, &end, 10);
	return *end == '\0' || *end == '/';
}

static void expose_check(struct dfx *x, enum brig_rule_idx r, bool ssh)
{
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		for (size_t k = 0; in->cmd == BRIG_DF_EXPOSE && k < in->argc; k++) {
			unsigned long lo, hi;

			if (!port_range(in->argv[k], &lo, &hi))
				continue;
			if (ssh && lo <= 22 && hi >= 22) {
				report_ins(x, r, in, "EXPOSE 22 publishes SSH");
				break;
			}
			if (!ssh && (lo > 65535 || hi > 65535)) {
				char msg[128];

				snprintf(msg, sizeof(msg), "port %s is outside 0-65535", in->argv[k]);
				report_ins(x, r, in, msg);
				break;
			}
		}
	}
}

static void df_expose_ssh(struct dfx *x)
{
	expose_check(x, BRIG_R_df_expose_ssh, true);
}

static void df_expose_range(struct dfx *x)
{
	expose_check(x, BRIG_R_df_expose_range, false);
}

/* ============================================== RUN command rules */

/* Calls fn for every command of every RUN in the stages scope allows;
 * fn returns a message to report the RUN with (once), or NULL. */
typedef const char *(*cmd_check)(const struct sh_cmd *c, char *buf, size_t n);

/* fn on every command of every RUN, the first finding per RUN reported.
 * pms: the managers fn can fire for (0: any); RUNs naming none are
 * skipped whole. */
static void each_cmd(struct dfx *x, enum brig_rule_idx rule, unsigned pms, cmd_check fn)
{
	FOR_RUNS(x, r) {
		char buf[512];

		if (pms && !(r->sh.pms & pms))
			continue;
		for (size_t i = 0; i < r->sh.n; i++) {
			const char *msg = fn(&r->sh.cmds[i], buf, sizeof(buf));

			if (msg) {
				report_ins(x, rule, r->ins, msg);
				break;
			}
		}
	}
}

static const char *chk_sudo(const struct sh_cmd *c, char *buf, size_t n)
{
	if (!c->sudo)
		return NULL;
	snprintf(buf, n, "sudo %s", c->argc ? c->argv[0] : "");
	return buf;
}

static void df_sudo(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_sudo, 0, chk_sudo);
}

static const char *chk_apt_yes(const struct sh_cmd *c, char *buf, size_t n)
{
	static const char *const yes[] = {"-y", "--yes", "--assume-yes", "-qq", "-q=2",
					  "--quiet=2", NULL};
	struct pmcall pc;
	size_t quiet = 0;

	if (!pm_of(c, &pc) || (pc.pm != PM_APT_GET && pc.pm != PM_APT) || !is_install(&pc) ||
	    call_has_opt(c, &pc, yes) || call_has_short(c, &pc, 'y', "octa"))
		return NULL;
	for (size_t k = pc.opt0; k < c->argc; k++)
		quiet += strcmp(c->argv[k], "-q") == 0 || strcmp(c->argv[k], "--quiet") == 0 ||
			 (short_has(c->argv[k], 'q', "octa") && strstr(c->argv[k], "qq"));
	for (size_t k = pc.opt0; k + 1 < c->argc; k++)
		if (strcmp(c->argv[k], "-o") == 0 && brig_cfg_find_ci(c->argv[k + 1], "Assume-Yes=true"))
			return NULL;
	if (quiet >= 2)
		return NULL;
	snprintf(buf, n, "%s install without -y waits for confirmation", c->argv[0]);
	return buf;
}

static void df_apt_no_yes(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_apt_no_yes, PMS(PM_APT_GET) | PMS(PM_APT), chk_apt_yes);
}

static const char *chk_apt_recommends(const struct sh_cmd *c, char *buf, size_t n)
{
	static const char *const no_rec[] = {"--no-install-recommends", NULL};
	struct pmcall pc;

	if (!pm_of(c, &pc) || (pc.pm != PM_APT_GET && pc.pm != PM_APT) || !is_install(&pc) ||
	    call_has_opt(c, &pc, no_rec) || cmd_word_contains(c, "install-recommends=false") ||
	    cmd_word_contains(c, "install-recommends=0"))
		return NULL;
	snprintf(buf, n, "%s install without --no-install-recommends", c->argv[0]);
	return buf;
}

static void df_apt_recommends(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_apt_recommends, PMS(PM_APT_GET) | PMS(PM_APT), chk_apt_recommends);
}

/* Calls with unpinned packages, for one manager family. */
static const char *pin_msg(const struct sh_cmd *c, char *buf, size_t n, enum pm a, enum pm b)
{
	struct pmcall pc;
	char list[256];

	if (!pm_of(c, &pc) || (pc.pm != a && pc.pm != b) || !is_install(&pc))
		return NULL;
	unpinned(c, &pc, list, sizeof(list));
	if (!list[0])
		return NULL;
	snprintf(buf, n, "%s %s without a version: %s", c->name, pc.sub, list);
	return buf;
}

static const char *chk_apt_pin(const struct sh_cmd *c, char *buf, size_t n)
{
	return pin_msg(c, buf, n, PM_APT_GET, PM_APT);
}

static const char *chk_apk_pin(const struct sh_cmd *c, char *buf, size_t n)
{
	return pin_msg(c, buf, n, PM_APK, PM_APK);
}

static const char *chk_yum_pin(const struct sh_cmd *c, char *buf, size_t n)
{
	return pin_msg(c, buf, n, PM_YUM, PM_YUM);
}

static const char *chk_dnf_pin(const struct sh_cmd *c, char *buf, size_t n)
{
	return pin_msg(c, buf, n, PM_DNF, PM_DNF);
}

static const char *chk_zypper_pin(const struct sh_cmd *c, char *buf, size_t n)
{
	return pin_msg(c, buf, n, PM_ZYPPER, PM_ZYPPER);
}

static const char *chk_pip_pin(const struct sh_cmd *c, char *buf, size_t n)
{
	static const char *const constrained[] = {"-c", "--constraint", NULL};
	struct pmcall pc;

	if (pm_of(c, &pc) && pc.pm == PM_PIP && call_has_opt(c, &pc, constrained))
		return NULL;
	return pin_msg(c, buf, n, PM_PIP, PM_PIP);
}

static const char *chk_npm_pin(const struct sh_cmd *c, char *buf, size_t n)
{
	struct pmcall pc;

	if (pm_of(c, &pc) && pc.pm == PM_YARN && pc.sub && strcmp(pc.sub, "add") == 0) {
		char list[256];

		pc.pm = PM_NPM;
		unpinned(c, &pc, list, sizeof(list));
		if (!list[0])
			return NULL;
		snprintf(buf, n, "yarn add without a version: %s", list);
		return buf;
	}
	return pin_msg(c, buf, n, PM_NPM, PM_PNPM);
}

static const char *chk_gem_pin(const struct sh_cmd *c, char *buf, size_t n)
{
	return pin_msg(c, buf, n, PM_GEM, PM_GEM);
}

static void df_apt_pin(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_apt_pin, PMS(PM_APT_GET) | PMS(PM_APT), chk_apt_pin);
}

static void df_apk_pin(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_apk_pin, PMS(PM_APK), chk_apk_pin);
}

static void df_yum_pin(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_yum_pin, PMS(PM_YUM), chk_yum_pin);
}

static void df_dnf_pin(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_dnf_pin, PMS(PM_DNF), chk_dnf_pin);
}

static void df_zypper_pin(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_zypper_pin, PMS(PM_ZYPPER), chk_zypper_pin);
}

static void df_pip_pin(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_pip_pin, PMS(PM_PIP), chk_pip_pin);
}

static void df_npm_pin(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_npm_pin, PMS(PM_NPM) | PMS(PM_PNPM) | PMS(PM_YARN), chk_npm_pin);
}

static void df_gem_pin(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_gem_pin, PMS(PM_GEM), chk_gem_pin);
}

static const char *chk_apt_cli(const struct sh_cmd *c, char *buf, size_t n)
{
	static const char *const subs[] = {"install", "update", "upgrade", "remove", "purge",
					   "full-upgrade", "autoremove", "dist-upgrade", NULL};
	struct pmcall pc;

	if (!pm_of(c, &pc) || pc.pm != PM_APT || !sub_is(&pc, subs))
		return NULL;
	snprintf(buf, n, "apt %s: use apt-get %s", pc.sub, pc.sub);
	return buf;
}

static void df_apt_cli(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_apt_cli, PMS(PM_APT), chk_apt_cli);
}

static const char *chk_dist_upgrade(const struct sh_cmd *c, char *buf, size_t n)
{
	static const char *const subs[] = {"dist-upgrade", "full-upgrade", NULL};
	struct pmcall pc;

	if (!pm_of(c, &pc) || (pc.pm != PM_APT_GET && pc.pm != PM_APT) || !sub_is(&pc, subs))
		return NULL;
	snprintf(buf, n, "%s %s", c->argv[0], pc.sub);
	return buf;
}

static void df_apt_dist_upgrade(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_apt_dist_upgrade, PMS(PM_APT_GET) | PMS(PM_APT), chk_dist_upgrade);
}

static const char *chk_yes(const struct sh_cmd *c, char *buf, size_t n, enum pm pm,
			   const char *const *yes, const char *what)
{
	struct pmcall pc;

	if (!pm_of(c, &pc) || pc.pm != pm || !is_install(&pc) || call_has_opt(c, &pc, yes) ||
	    call_has_short(c, &pc, 'y', "cxdeR"))
		return NULL;
	snprintf(buf, n, "%s %s without %s waits for confirmation", c->argv[0], pc.sub, what);
	return buf;
}

static const char *chk_yum_yes(const struct sh_cmd *c, char *buf, size_t n)
{
	static const char *const yes[] = {"-y", "--assumeyes", NULL};

	return chk_yes(c, buf, n, PM_YUM, yes, "-y");
}

static const char *chk_dnf_yes(const struct sh_cmd *c, char *buf, size_t n)
{
	static const char *const yes[] = {"-y", "--assumeyes", NULL};

	return chk_yes(c, buf, n, PM_DNF, yes, "-y");
}

static const char *chk_zypper_yes(const struct sh_cmd *c, char *buf, size_t n)
{
	static const char *const yes[] = {"-n", "--non-interactive", "-y", "--no-confirm", NULL};
	struct pmcall pc;

	if (!pm_of(c, &pc) || pc.pm != PM_ZYPPER || !is_install(&pc) || call_has_opt(c, &pc, yes))
		return NULL;
	snprintf(buf, n, "zypper %s without --non-interactive waits for confirmation", pc.sub);
	return buf;
}

static void df_yum_yes(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_yum_yes, PMS(PM_YUM), chk_yum_yes);
}

static void df_dnf_yes(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_dnf_yes, PMS(PM_DNF), chk_dnf_yes);
}

static void df_zypper_yes(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_zypper_yes, PMS(PM_ZYPPER), chk_zypper_yes);
}

/* ---- caches: judged over the whole RUN ---- */

static bool run_removes(const struct run *r, const char *path)
{
	for (size_t i = 0; i < r->sh.n; i++)
		if (cmd_is(&r->sh.cmds[i], "rm") && cmd_word_contains(&r->sh.cmds[i], path))
			return true;
	return false;
}

/* Index of the first install of manager family pm in the RUN, or -1. */
static long first_install(const struct run *r, enum pm a, enum pm b)
{
	for (size_t i = 0; i < r->sh.n; i++) {
		struct pmcall pc;

		if (pm_of(&r->sh.cmds[i], &pc) && (pc.pm == a || pc.pm == b) && is_install(&pc))
			return (long)i;
	}
	return -1;
}

static bool apt_cleaned_after(const struct run *r, size_t from)
{
	for (size_t i = from; i < r->sh.n; i++) {
		const struct sh_cmd *c = &r->sh.cmds[i];
		struct pmcall pc;

		if (cmd_is(c, "rm") && cmd_word_contains(c, "/var/lib/apt/lists"))
			return true;
		if (pm_of(c, &pc) && (pc.pm == PM_APT_GET || pc.pm == PM_APT) && pc.sub &&
		    strcmp(pc.sub, "clean") == 0)
			return true;
	}
	return false;
}

static void df_apt_lists(struct dfx *x)
{
	FOR_RUNS(x, r) {
		long i;

		if (!x->shipped[r->stage] || cache_mount(r->ins, "/var/lib/apt") ||
		    (i = first_install(r, PM_APT_GET, PM_APT)) < 0 || apt_cleaned_after(r, (size_t)i))
			continue;
		report_ins(x, BRIG_R_df_apt_lists, r->ins,
			   "apt-get install without rm -rf /var/lib/apt/lists/* in the same RUN");
	}
}

static void df_apk_cache(struct dfx *x)
{
	static const char *const nocache[] = {"--no-cache", NULL};

	FOR_RUNS(x, r) {
		if (!x->shipped[r->stage] || cache_mount(r->ins, "/var/cache/apk") ||
		    cache_mount(r->ins, "/etc/apk/cache") || run_removes(r, "/var/cache/apk"))
			continue;
		for (size_t i = 0; i < r->sh.n; i++) {
			struct pmcall pc;

			if (pm_of(&r->sh.cmds[i], &pc) && pc.pm == PM_APK && is_install(&pc) &&
			    !call_has_opt(&r->sh.cmds[i], &pc, nocache)) {
				report_ins(x, BRIG_R_df_apk_cache, r->ins,
					   "apk add without --no-cache keeps /var/cache/apk");
				break;
			}
		}
	}
}

static void df_pip_cache(struct dfx *x)
{
	static const char *const nocache[] = {"--no-cache-dir", NULL};

	FOR_RUNS(x, r) {
		if (!x->shipped[r->stage] || cache_mount(r->ins, ".cache/pip") ||
		    stage_env_is(x, r->stage, "PIP_NO_CACHE_DIR", NULL))
			continue;
		for (size_t i = 0; i < r->sh.n; i++) {
			const struct sh_cmd *c = &r->sh.cmds[i];
			struct pmcall pc;

			if (pm_of(c, &pc) && pc.pm == PM_PIP && is_install(&pc) &&
			    !call_has_opt(c, &pc, nocache) && !cmd_word_contains(c, "PIP_NO_CACHE_DIR")) {
				report_ins(x, BRIG_R_df_pip_cache, r->ins,
					   "pip install without --no-cache-dir keeps ~/.cache/pip");
				break;
			}
		}
	}
}

/* yum/dnf/zypper: read the RUN's words in order, the way the command
 * line reads, and find the last install and the last clean after it.
 * clean_word: the subcommand ("clean"), all_word: the argument it needs
 * ("all", or NULL when any clean will do). */
static bool rpm_clean_missing(const struct run *r, enum pm pm, const char *all_word)
{
	long last_install = -1, last_clean = -1, pos = 0;

	for (size_t i = 0; i < r->sh.n; i++) {
		const struct sh_cmd *c = &r->sh.cmds[i];

		for (size_t k = 0; k < c->argc; k++, pos++) {
			struct pmcall pc;

			/* cheap test first: this runs for every word of the RUN */
			if (!strchr("ydmtz", c->argv[k][0]) && !strchr(c->argv[k], '/'))
				continue;
			if (!pm_at(c->argv, c->argc, k, &pc) || pc.pm != pm || !pc.sub)
				continue;
			if (is_install(&pc))
				last_install = pos;
			else if ((strcmp(pc.sub, "clean") == 0 || strcmp(pc.sub, "cc") == 0) &&
				 (!all_word || (pc.sub_i + 1 < c->argc &&
						strcmp(c->argv[pc.sub_i + 1], all_word) == 0)))
				last_clean = pos;
		}
	}
	return last_install >= 0 && last_clean < last_install;
}

static void clean_rule(struct dfx *x, enum brig_rule_idx rule, enum pm pm, const char *all,
		       const char *cache, const char *msg)
{
	FOR_RUNS(x, r)
		if ((r->sh.pms & PMS(pm)) && x->shipped[r->stage] && !cache_mount(r->ins, cache) &&
		    !run_removes(r, cache) && rpm_clean_missing(r, pm, all))
			report_ins(x, rule, r->ins, msg);
}

static void df_yum_clean(struct dfx *x)
{
	clean_rule(x, BRIG_R_df_yum_clean, PM_YUM, "all", "/var/cache/yum",
		   "yum install without yum clean all in the same RUN");
}

static void df_dnf_clean(struct dfx *x)
{
	clean_rule(x, BRIG_R_df_dnf_clean, PM_DNF, "all", "/var/cache/dnf",
		   "dnf install without dnf clean all in the same RUN");
}

static void df_zypper_clean(struct dfx *x)
{
	clean_rule(x, BRIG_R_df_zypper_clean, PM_ZYPPER, NULL, "/var/cache/zypp",
		   "zypper install without zypper clean in the same RUN");
}

/* ---- update in its own RUN ---- */

enum pmfam { FAM_APT, FAM_APK, FAM_YUM, FAM_DNF, FAM_ZYPPER, FAM_PACMAN, FAM_N };

/* Which family a call belongs to and whether it updates or installs. */
static bool pm_family(const struct sh_cmd *c, enum pmfam *f, bool *update, bool *install)
{
	static const char *const up_apt[] = {"update", NULL};
	static const char *const up_rpm[] = {"update", "makecache", "check-update", "upgrade", NULL};
	static const char *const up_zyp[] = {"refresh", "ref", NULL};
	static const char *const apk_up[] = {"--update", "-U", "--update-cache", NULL};
	struct pmcall pc;

	if (!pm_of(c, &pc))
		return false;
	*install = is_install(&pc);
	switch (pc.pm) {
	case PM_APT_GET:
	case PM_APT:
		*f = FAM_APT;
		*update = sub_is(&pc, up_apt);
		return true;
	case PM_APK:
		*f = FAM_APK;
		*update = sub_is(&pc, up_apt) || call_has_opt(c, &pc, apk_up);
		return true;
	case PM_YUM:
	case PM_DNF:
		*f = pc.pm == PM_YUM ? FAM_YUM : FAM_DNF;
		*update = sub_is(&pc, up_rpm);
		return true;
	case PM_ZYPPER:
		*f = FAM_ZYPPER;
		*update = sub_is(&pc, up_zyp);
		return true;
	case PM_PACMAN:
		*f = FAM_PACMAN;
		*update = call_has_short(c, &pc, 'y', "rb");
		*install = call_has_short(c, &pc, 'S', "rb");
		return true;
	default:
		return false;
	}
}

static void update_scan(const struct run *r, bool up[FAM_N], bool inst[FAM_N])
{
	for (size_t i = 0; i < r->sh.n; i++) {
		enum pmfam f;
		bool u = false, in = false;

		if (pm_family(&r->sh.cmds[i], &f, &u, &in)) {
			up[f] = up[f] || u;
			inst[f] = inst[f] || (in && !u) || (in && f == FAM_APK);
		}
	}
}

static void df_update_alone(struct dfx *x)
{
	FOR_STAGES(x, s) {
		unsigned lone[FAM_N] = {0}; /* line of an update RUN without install */

		FOR_RUNS(x, r) {
			bool up[FAM_N] = {0}, inst[FAM_N] = {0};

			if (r->stage != s)
				continue;
			update_scan(r, up, inst);
			for (int f = 0; f < FAM_N; f++) {
				if (inst[f] && !up[f] && lone[f]) {
					char msg[160];

					snprintf(msg, sizeof(msg),
						 "installs with the package index updated by the "
						 "separate RUN on line %u",
						 lone[f]);
					report_ins(x, BRIG_R_df_update_alone, r->ins, msg);
					lone[f] = 0;
				} else if (up[f] && !inst[f]) {
					lone[f] = r->ins->start_line;
				} else if (up[f]) {
					lone[f] = 0;
				}
			}
		}
	}
}

/* ---- downloads ---- */

static void df_wget_and_curl(struct dfx *x)
{
	FOR_STAGES(x, s) {
		const char *first = NULL;

		FOR_RUNS(x, r) {
			const char *second = NULL;

			for (size_t i = 0; r->stage == s && i < r->sh.n; i++) {
				const char *b = r->sh.cmds[i].name;

				if (strcmp(b, "curl") != 0 && strcmp(b, "wget") != 0)
					continue;
				if (!first)
					first = strcmp(b, "curl") == 0 ? "curl" : "wget";
				else if (strcmp(b, first) != 0)
					second = b;
			}
			if (second) {
				char msg[128];

				snprintf(msg, sizeof(msg), "%s used in a stage that already uses %s",
					 second, first);
				report_ins(x, BRIG_R_df_wget_and_curl, r->ins, msg);
			}
		}
	}
}

static bool interpreter(const char *w)
{
	static const char *const interp[] = {"sh", "bash", "ash", "dash", "zsh", "ksh", "python",
					     "python3", "python2", "perl", "ruby", "node", "php",
					     NULL};

	return word_in(base_name(w), interp);
}

static const char *chk_pipe_shell(const struct sh_cmd *c, char *buf, size_t n)
{
	if (!c->argc || !interpreter(c->argv[0]))
		return NULL;
	for (size_t i = 1; i < c->argc; i++)
		if (strstr(c->argv[i], "$(curl") || strstr(c->argv[i], "$(wget") ||
		    strstr(c->argv[i], "`curl") || strstr(c->argv[i], "`wget")) {
			snprintf(buf, n, "%s runs a script downloaded in the same command", c->argv[0]);
			return buf;
		}
	return NULL;
}

static void df_curl_pipe_shell(struct dfx *x)
{
	FOR_RUNS(x, r) {
		bool found = false;

		for (size_t i = 0; i + 1 < r->sh.n && !found; i++) {
			const struct sh_cmd *a = &r->sh.cmds[i], *b = &r->sh.cmds[i + 1];

			if (a->sep == SEP_PIPE && (cmd_is(a, "curl") || cmd_is(a, "wget")) && b->argc &&
			    interpreter(b->argv[0])) {
				char msg[256];

				snprintf(msg, sizeof(msg), "%s output is piped into %s", a->argv[0],
					 b->argv[0]);
				report_ins(x, BRIG_R_df_curl_pipe_shell, r->ins, msg);
				found = true;
			}
		}
		if (!found) {
			char buf[256];

			for (size_t i = 0; i < r->sh.n; i++)
				if (chk_pipe_shell(&r->sh.cmds[i], buf, sizeof(buf))) {
					report_ins(x, BRIG_R_df_curl_pipe_shell, r->ins, buf);
					break;
				}
		}
	}
}

/* ---- pipefail ---- */

static bool sets_pipefail(const struct sh_cmd *c)
{
	if (!cmd_is(c, "set"))
		return false;
	for (size_t i = 1; i + 1 < c->argc; i++)
		if (c->argv[i][0] == '-' && c->argv[i][1] != '-' && strchr(c->argv[i], 'o') &&
		    strcmp(c->argv[i + 1], "pipefail") == 0)
			return true;
	return false;
}

/* SHELL of the stage (or the stages it is built FROM) as of instruction
 * in: does it set pipefail, or is it not a POSIX shell at all? */
static bool shell_excuses(const struct dfx *x, const struct run *r)
{
	const struct brig_df_instruction *sh = NULL;

	for (long k = (long)r->stage; k >= 0 && !sh; k = x->df->stages[k].base_stage) {
		const struct brig_df_stage *st = &x->df->stages[k];

		for (size_t i = 1; i < st->n_instructions; i++) {
			if ((long)r->stage == k && &st->instructions[i] == r->ins)
				break;
			if (st->instructions[i].cmd == BRIG_DF_SHELL)
				sh = &st->instructions[i];
		}
		if (st->base_stage >= k)
			break;
	}
	if (!sh || !sh->argc)
		return false;
	if (!word_in(base_name(sh->argv[0]), shells))
		return true; /* powershell, cmd */
	for (size_t i = 1; i + 1 < sh->argc; i++)
		if (strchr(sh->argv[i], 'o') && strcmp(sh->argv[i + 1], "pipefail") == 0)
			return true;
	return false;
}

static void df_pipefail(struct dfx *x)
{
	FOR_RUNS(x, r) {
		bool pf = false;
		unsigned script = 0;

		if (!r->sh.n || shell_excuses(x, r) || cmd_is(&r->sh.cmds[0], "pwsh") ||
		    cmd_is(&r->sh.cmds[0], "powershell"))
			continue;
		for (size_t i = 0; i < r->sh.n; i++) {
			const struct sh_cmd *c = &r->sh.cmds[i];

			if (c->script != script) {
				script = c->script;
				pf = false;
			}
			pf = pf || sets_pipefail(c);
			if (c->sep == SEP_PIPE && !pf) {
				report_ins(x, BRIG_R_df_pipefail, r->ins,
					   "a pipe without set -o pipefail: only the last command's "
					   "failure fails the build");
				break;
			}
		}
	}
}

/* ---- TLS and signatures ---- */

static bool falsy(const char *v)
{
	return strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0 || strcasecmp(v, "no") == 0 ||
	       strcasecmp(v, "off") == 0;
}

/* NAME=value (an ENV pair or an assignment) that turns TLS checks off. */
static const char *tls_env(const char *name, const char *v)
{
	if (!v)
		return NULL;
	if (strcmp(name, "NODE_TLS_REJECT_UNAUTHORIZED") == 0 && strcmp(v, "0") == 0)
		return "NODE_TLS_REJECT_UNAUTHORIZED=0";
	if (strcmp(name, "PYTHONHTTPSVERIFY") == 0 && strcmp(v, "0") == 0)
		return "PYTHONHTTPSVERIFY=0";
	if (strcasecmp(name, "NPM_CONFIG_STRICT_SSL") == 0 && falsy(v))
		return "NPM_CONFIG_STRICT_SSL=false";
	if (strcmp(name, "GIT_SSL_NO_VERIFY") == 0 && *v && !falsy(v))
		return "GIT_SSL_NO_VERIFY";
	if (strcmp(name, "PIP_TRUSTED_HOST") == 0 && *v)
		return "PIP_TRUSTED_HOST";
	return NULL;
}

static const char *assign_tls(const char *a)
{
	const char *eq = strchr(a, '=');
	char name[64];

	if (!eq || (size_t)(eq - a) >= sizeof(name))
		return NULL;
	snprintf(name, sizeof(name), "%.*s", (int)(eq - a), a);
	return tls_env(name, eq + 1);
}

/* a word holding sslverify=0 or sslverify=false, in any case */
static bool sslverify_off(const struct sh_cmd *c)
{
	for (size_t i = 0; i < c->argc; i++)
		for (const char *v = brig_cfg_find_ci(c->argv[i], "sslverify="); v;
		     v = brig_cfg_find_ci(v + 1, "sslverify="))
			if (v[10] == '0' || brig_cfg_find_ci(v + 10, "false") == v + 10)
				return true;
	return false;
}

static const char *tls_in_cmd(const struct sh_cmd *c)
{
	for (size_t i = 0; i < c->n_assigns; i++)
		if (assign_tls(c->assigns[i]))
			return assign_tls(c->assigns[i]);
	for (size_t i = 1; cmd_is(c, "export") && i < c->argc; i++)
		if (assign_tls(c->argv[i]))
			return assign_tls(c->argv[i]);
	if (cmd_is(c, "curl"))
		for (size_t i = 1; i < c->argc; i++)
			if (strcmp(c->argv[i], "--insecure") == 0 ||
			    short_has(c->argv[i], 'k', "AbcCdDeEFHKmoPQrtTuUwxXyYz"))
				return "curl -k";
	if (cmd_is(c, "wget") && cmd_has_word(c, "--no-check-certificate"))
		return "wget --no-check-certificate";
	if (c->argc && pm_by_name(c->name) == PM_PIP &&
	    (cmd_has_word(c, "--trusted-host") || cmd_word_contains(c, "--trusted-host=")))
		return "pip --trusted-host";
	if ((cmd_is(c, "npm") || cmd_is(c, "yarn") || cmd_is(c, "pnpm")) &&
	    (cmd_word_contains(c, "strict-ssl=false") ||
	     (cmd_has_word(c, "strict-ssl") && cmd_has_word(c, "false"))))
		return "npm strict-ssl false";
	if (cmd_is(c, "git") && (cmd_word_contains(c, "sslVerify=false") ||
				 (cmd_word_contains(c, "sslVerify") && cmd_has_word(c, "false"))))
		return "git http.sslVerify false";
	if (sslverify_off(c))
		return "sslverify=0";
	return NULL;
}

static const char *chk_tls(const struct sh_cmd *c, char *buf, size_t n)
{
	const char *what = tls_in_cmd(c);

	if (!what)
		return NULL;
	snprintf(buf, n, "%s turns TLS certificate verification off", what);
	return buf;
}

static void df_tls_disabled(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_tls_disabled, 0, chk_tls);
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		for (size_t k = 0; (in->cmd == BRIG_DF_ENV || in->cmd == BRIG_DF_ARG) && k < in->n_kvs;
		     k++) {
			const char *what = tls_env(in->kvs[k].key, in->kvs[k].value);

			if (what) {
				char msg[160];

				snprintf(msg, sizeof(msg), "%s turns TLS certificate verification off",
					 what);
				report_ins(x, BRIG_R_df_tls_disabled, in, msg);
				break;
			}
		}
	}
}

static const char *sig_in_cmd(const struct sh_cmd *c)
{
	static const char *const apt_bad[] = {"--allow-unauthenticated", "--force-yes",
					      "--allow-insecure-repositories", NULL};
	static const char *const rpm_bad[] = {"--nogpgcheck", "--nosignature", "--nodigest",
					      "--no-gpg-checks", "--nofiledigest", NULL};
	enum pm pm = c->argc ? pm_by_name(c->name) : PM_NONE;

	for (size_t i = 1; i < c->argc; i++) {
		const char *w = c->argv[i];

		if ((pm == PM_APT_GET || pm == PM_APT) && word_in(w, apt_bad))
			return w;
		if ((pm == PM_YUM || pm == PM_DNF || pm == PM_ZYPPER || cmd_is(c, "rpm")) &&
		    word_in(w, rpm_bad))
			return w;
		if (pm == PM_APK && strcmp(w, "--allow-untrusted") == 0)
			return w;
		/* each of these holds a '=': most words are done by one strchr */
		if (strchr(w, '=') &&
		    (brig_cfg_find_ci(w, "AllowUnauthenticated=true") || strstr(w, "trusted=yes") ||
		     brig_cfg_find_ci(w, "gpgcheck=0")))
			return w;
	}
	return NULL;
}

static const char *chk_sig(const struct sh_cmd *c, char *buf, size_t n)
{
	const char *what = sig_in_cmd(c);

	if (!what)
		return NULL;
	snprintf(buf, n, "%s %s installs packages without checking signatures",
		 c->name, what);
	return buf;
}

static void df_signature_disabled(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_signature_disabled, 0, chk_sig);
}

/* ---- other commands ---- */

/* mode words of chmod (and --chmod=) that let others write */
static bool world_writable(const char *m)
{
	size_t n = strlen(m);

	if (n >= 3 && n <= 4 && strspn(m, "01234567") == n)
		return (m[n - 1] - '0') & 2;
	for (const char *p = m; *p;) {
		size_t len = strcspn(p, ",");
		const char *op = strpbrk(p, "+=");
		bool who = false;

		if (op && (size_t)(op - p) < len) {
			for (const char *q = p; q < op; q++)
				who = who || *q == 'o' || *q == 'a';
			if (who && memchr(op, 'w', len - (size_t)(op - p)))
				return true;
		}
		p += len;
		if (*p)
			p++;
	}
	return false;
}

static const char *chk_chmod(const struct sh_cmd *c, char *buf, size_t n)
{
	if (!cmd_is(c, "chmod"))
		return NULL;
	for (size_t i = 1; i < c->argc; i++) {
		if (c->argv[i][0] == '-' && !isdigit((unsigned char)c->argv[i][1]))
			continue;
		if (!world_writable(c->argv[i]))
			return NULL;
		snprintf(buf, n, "chmod %s makes files world-writable", c->argv[i]);
		return buf;
	}
	return NULL;
}

static void df_chmod_world_writable(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_chmod_world_writable, 0, chk_chmod);
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];
		const char *m = (in->cmd == BRIG_DF_COPY || in->cmd == BRIG_DF_ADD)
					? flag_value(in, "chmod")
					: NULL;

		if (m && world_writable(m))
			brig_lint_report(x->c, BRIG_R_df_chmod_world_writable, in->start_line,
					 in->end_line, "--chmod=%s makes files world-writable", m);
	}
}

static const char *chk_cd(const struct sh_cmd *c, char *buf, size_t n)
{
	const char *dir;

	if (!cmd_is(c, "cd"))
		return NULL;
	dir = c->argc > 1 ? c->argv[1] : "~";
	if (c->sep == SEP_END)
		snprintf(buf, n, "cd %s as the last command of a RUN has no effect", dir);
	else if ((dir[0] != '/' && dir[0] != '$' && dir[0] != '~' && strcmp(dir, "-") != 0) ||
		 strstr(dir, ".."))
		snprintf(buf, n, "cd %s: use WORKDIR with an absolute path", dir);
	else
		return NULL;
	return buf;
}

static void df_run_cd(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_run_cd, 0, chk_cd);
}

static const char *chk_utility(const struct sh_cmd *c, char *buf, size_t n)
{
	static const char *const tools[] = {"ps", "top", "htop", "kill", "killall", "free", "mount",
					    "umount", "shutdown", "reboot", "service", "ssh", "vim",
					    "vi", "nano", "ifconfig", NULL};

	if (!word_in(c->name, tools))
		return NULL;
	snprintf(buf, n, "%s has no use in an image build", c->argv[0]);
	return buf;
}

static void df_run_utility(struct dfx *x)
{
	each_cmd(x, BRIG_R_df_run_utility, 0, chk_utility);
}

static void df_shell_change(struct dfx *x)
{
	FOR_RUNS(x, r) {
		for (size_t i = 0; i < r->sh.n; i++) {
			const struct sh_cmd *c = &r->sh.cmds[i];

			if ((cmd_is(c, "ln") && c->argc > 2 && strcmp(c->argv[c->argc - 1], "/bin/sh") == 0) ||
			    (i == 0 && (cmd_is(c, "powershell") || cmd_is(c, "pwsh")))) {
				report_ins(x, BRIG_R_df_shell_change, r->ins,
					   cmd_is(c, "ln") ? "RUN relinks /bin/sh; use SHELL"
							   : "RUN starts another shell; use SHELL");
				break;
			}
		}
	}
}

/* ---- .dockerignore (needs the Dockerfile: is the context copied?) ---- */

static bool whole_context(const char *src)
{
	static const char *const all[] = {".", "./", "*", "./*", "/", "./.", NULL};

	return word_in(src, all);
}

static void dockerignore_missing(struct dfx *x)
{
	if (!x->c->context_dir || x->c->ignore)
		return;
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		if ((in->cmd != BRIG_DF_COPY && in->cmd != BRIG_DF_ADD) || brig_df_flag(in, "from"))
			continue;
		for (size_t k = 0; k < n_sources(in); k++)
			if (whole_context(in->argv[k])) {
				brig_lint_report(x->c, BRIG_R_di_missing, in->start_line, in->end_line,
						 "%s %s copies the whole build context (%s) and no "
						 ".dockerignore filters it",
						 in->keyword, in->argv[k], x->c->context_dir);
				return;
			}
	}
}

/* =============================================================== driver */

static void (*const df_checks[])(struct dfx *) = {
#define BRIG_RULE_DF(fn, ...) fn,
#include "config/rules_table.h"
};

static void build_runs(struct dfx *x)
{
	size_t n = 0;

	for (size_t i = 0; i < x->df->n_all; i++)
		n += x->df->all[i]->cmd == BRIG_DF_RUN;
	x->runs = brig_xcalloc(n + 1, sizeof(*x->runs));
	for (size_t i = 0; i < x->df->n_all; i++) {
		const struct brig_df_instruction *in = x->df->all[i];

		if (in->cmd != BRIG_DF_RUN || in->stage < 0)
			continue;
		x->runs[x->n_runs].ins = in;
		x->runs[x->n_runs].stage = (size_t)in->stage;
		x->runs[x->n_runs].sh.mem = &x->mem;
		run_parse(&x->runs[x->n_runs]);
		x->n_runs++;
	}
}

void brig_lint_dockerfile_rules(struct brig_lint_ctx *c, const struct brig_dockerfile *df)
{
	struct dfx x = {.c = c, .df = df};

	if (!df->n_stages)
		return;
	stage_graph(&x);
	build_runs(&x);
	for (size_t i = 0; i < sizeof(df_checks) / sizeof(df_checks[0]); i++)
		df_checks[i](&x);
	dockerignore_missing(&x);
	brig_arena_free(&x.mem);
	free(x.runs);
	free(x.image);
	free(x.shipped);
	free(x.refs);
}

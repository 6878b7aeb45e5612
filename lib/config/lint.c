/* `brig config` orchestration: the rule metadata (from rules_table.h),
 * finding construction and suppression comments, file discovery, type
 * detection and the per-file driver. The checks themselves live in
 * rules_dockerfile.c, rules_compose.c and rules_dockerignore.c. */
#include "config/lint.h"

#include <jansson.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/parse_common.h"
#include "config/rules.h"
#include "core/cleanup.h"
#include "core/log.h"
#include "core/xalloc.h"

/* ---- the rule table ---- */

#define RULE_META_(k, fn, id, sev, title, desc, fix, h, t, kics, c)                              \
	[BRIG_R_##fn] = {id, k, BRIG_SEV_##sev, title, desc, fix, h, t, kics, c},
#define BRIG_RULE_DF(...) RULE_META_(BRIG_RULE_DOCKERFILE, __VA_ARGS__)
#define BRIG_RULE_DC(...) RULE_META_(BRIG_RULE_COMPOSE, __VA_ARGS__)
#define BRIG_RULE_DI(...) RULE_META_(BRIG_RULE_DOCKERIGNORE, __VA_ARGS__)
const struct brig_rule brig_rules[BRIG_R__COUNT] = {
#include "config/rules_table.h"
};
#undef RULE_META_

const struct brig_rule *brig_rule_by_id(const char *id)
{
	for (size_t i = 0; id && i < BRIG_R__COUNT; i++)
		if (strcasecmp(brig_rules[i].id, id) == 0)
			return &brig_rules[i];
	return NULL;
}

const char *brig_rule_kind_name(enum brig_rule_kind k)
{
	switch (k) {
	case BRIG_RULE_DOCKERFILE:
		return "dockerfile";
	case BRIG_RULE_COMPOSE:
		return "docker-compose";
	case BRIG_RULE_DOCKERIGNORE:
		return "dockerignore";
	}
	return "unknown";
}

bool brig_rule_list_has(const char *list, const char *word)
{
	size_t wn = strlen(word);

	while (list && *list) {
		size_t n;

		while (*list == ' ')
			list++;
		n = strcspn(list, " ");
		if (n && n == wn && strncasecmp(list, word, n) == 0)
			return true;
		list += n;
	}
	return false;
}

/* ---- types ---- */

int brig_lint_type_parse(const char *s, enum brig_lint_type *out)
{
	if (!s)
		return -1;
	if (strcasecmp(s, "dockerfile") == 0 || strcasecmp(s, "containerfile") == 0)
		*out = BRIG_LINT_DOCKERFILE;
	else if (strcasecmp(s, "compose") == 0 || strcasecmp(s, "docker-compose") == 0)
		*out = BRIG_LINT_COMPOSE;
	else if (strcasecmp(s, "dockerignore") == 0)
		*out = BRIG_LINT_DOCKERIGNORE;
	else
		return -1;
	return 0;
}

const char *brig_lint_type_name(enum brig_lint_type t)
{
	switch (t) {
	case BRIG_LINT_DOCKERFILE:
		return "dockerfile";
	case BRIG_LINT_COMPOSE:
		return "docker-compose";
	case BRIG_LINT_DOCKERIGNORE:
		return "dockerignore";
	case BRIG_LINT_AUTO:
		break;
	}
	return "unknown";
}

static bool has_suffix_ci(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcasecmp(s + n - m, suf) == 0;
}

static bool has_prefix_ci(const char *s, const char *pre)
{
	return strncasecmp(s, pre, strlen(pre)) == 0;
}

static bool yaml_name(const char *b)
{
	return has_suffix_ci(b, ".yml") || has_suffix_ci(b, ".yaml");
}

enum brig_lint_type brig_lint_type_by_name(const char *path)
{
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	/* Dockerfile.dockerignore is BuildKit's per-Dockerfile ignore file */
	if (strcasecmp(b, ".dockerignore") == 0 || has_suffix_ci(b, ".dockerignore"))
		return BRIG_LINT_DOCKERIGNORE;
	if (has_prefix_ci(b, "dockerfile") || has_prefix_ci(b, "containerfile") ||
	    has_suffix_ci(b, ".dockerfile") || has_suffix_ci(b, ".containerfile"))
		return BRIG_LINT_DOCKERFILE;
	if (yaml_name(b) && (has_prefix_ci(b, "docker-compose") || has_prefix_ci(b, "compose.") ||
			     has_prefix_ci(b, "podman-compose")))
		return BRIG_LINT_COMPOSE;
	return BRIG_LINT_AUTO;
}

/* The first meaningful line decides: an instruction keyword is a
 * Dockerfile, a top-level mapping holding services: is Compose. */
static enum brig_lint_type type_by_content(const char *data, size_t len)
{
	static const char *const kw[] = {"from", "arg", "run", "copy", "add", "env", "label",
					 "maintainer", "workdir", "user", "cmd", "entrypoint",
					 "expose", "volume", "shell", "healthcheck", "onbuild",
					 "stopsignal", NULL};
	const char *p = data, *end = data + len;
	bool first = true;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *q = p;

		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (q == p && (size_t)(e - q) >= 9 && strncmp(q, "services:", 9) == 0)
			return BRIG_LINT_COMPOSE;
		if (first && q < e && *q != '#' && *q != '\r') {
			first = false;
			for (size_t i = 0; kw[i]; i++) {
				size_t n = strlen(kw[i]);

				if ((size_t)(e - q) > n && strncasecmp(q, kw[i], n) == 0 &&
				    (q[n] == ' ' || q[n] == '\t'))
					return BRIG_LINT_DOCKERFILE;
			}
		}
		p = e + 1;
	}
	return BRIG_LINT_AUTO;
}

/* ---- text lines, findings, suppressions ---- */

struct text {
	char *buf;
	char **lines;
	size_t n;
};

static void text_free(struct text *t)
{
	free(t->buf);
	free(t->lines);
	memset(t, 0, sizeof(*t));
}

/* Splits a copy of data into lines (no "\n", a trailing "\r" dropped). */
static void text_split(struct text *t, const char *data, size_t len)
{
	size_t cap = 0;
	char *p, *end, *nl;

	t->buf = brig_xmalloc(len + 1);
	memcpy(t->buf, data, len);
	t->buf[len] = '\0';
	t->n = 0;
	t->lines = NULL;
	for (p = t->buf, end = t->buf + len; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		BRIG_GROW(t->lines, cap, t->n + 1);
		t->lines[t->n++] = p;
	}
}

/* Does the pragma text hold an ID that names rule r? hadolint's form
 * names DL codes, mapped through the rule's Equivalents. */
static bool pragma_names(const char *ids, bool hadolint, const struct brig_rule *r)
{
	while (*ids && *ids != ' ' && *ids != '\t') {
		size_t n = strcspn(ids, ", \t");
		char id[64];

		if (n && n < sizeof(id)) {
			memcpy(id, ids, n);
			id[n] = '\0';
			if (hadolint ? brig_rule_list_has(r->hadolint, id) : strcasecmp(id, r->id) == 0)
				return true;
		}
		ids += n;
		while (*ids == ',')
			ids++;
	}
	return false;
}

static bool line_suppresses(const char *line, const struct brig_rule *r)
{
	const char *p = strstr(line, "brig:ignore=");

	if (p && pragma_names(p + strlen("brig:ignore="), false, r))
		return true;
	p = strstr(line, "hadolint ignore=");
	return p && pragma_names(p + strlen("hadolint ignore="), true, r);
}

static bool is_comment_line(const char *l)
{
	while (*l == ' ' || *l == '\t')
		l++;
	return *l == '#';
}

/* The comment lines right above start (and, in YAML, a trailing comment
 * on the line itself) may carry `brig:ignore=ID,...` or hadolint's
 * `hadolint ignore=DLxxxx,...`. */
static bool suppressed(const struct brig_lint_ctx *c, const struct brig_rule *r, unsigned start)
{
	if (!start) { /* a finding about the whole file: its leading comments */
		for (size_t i = 0; i < c->n_lines && (is_comment_line(c->lines[i]) || !*c->lines[i]); i++)
			if (line_suppresses(c->lines[i], r))
				return true;
		return false;
	}
	if (start > c->n_lines)
		return false;
	if (strcmp(c->target_type, "dockerfile") != 0) {
		const char *hash = strchr(c->lines[start - 1], '#');

		if (hash && line_suppresses(hash, r))
			return true;
	}
	for (size_t i = start - 1; i > 0; i--) {
		const char *l = c->lines[i - 1];

		if (!is_comment_line(l))
			break;
		if (line_suppresses(l, r))
			return true;
	}
	return false;
}

/* Code lines shown with a finding: the range, cut to a readable size. */
#define MAX_CODE_LINES 24u

void brig_lint_report(struct brig_lint_ctx *c, enum brig_rule_idx idx, unsigned start,
		      unsigned end, const char *fmt, ...)
{
	const struct brig_rule *r = &brig_rules[idx];
	struct brig_finding_text t = {0};
	struct brig_finding *f;
	char msg[1024];
	va_list ap;

	if (suppressed(c, r, start)) {
		c->n_suppressed++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (start > c->n_lines)
		start = end = 0;
	if (end < start || end > c->n_lines)
		end = start;
	t.static_rule_texts = true;
	t.id = r->id;
	t.title = r->title;
	t.description = r->description;
	t.fix = r->resolution;
	t.message = msg;
	t.target = t.file_path = c->target;
	t.target_type = c->target_type;
	if (start) {
		t.n_code_lines = end - start + 1;
		if (t.n_code_lines > MAX_CODE_LINES)
			t.n_code_lines = MAX_CODE_LINES;
		t.code_lines = (const char *const *)c->lines + start - 1;
	}
	f = brig_finding_list_add(c->out);
	f->kind = BRIG_FINDING_MISCONFIG;
	f->severity = r->severity;
	f->start_line = (int)start;
	f->end_line = (int)end;
	brig_finding_set_text(f, &t);
}

/* ---- per-type drivers ---- */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return brig_xstrdup(".");
	if (slash == path)
		return brig_xstrdup("/");
	return brig_xstrndup(path, (size_t)(slash - path));
}

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* BuildKit reads <Dockerfile>.dockerignore beside the Dockerfile first,
 * then .dockerignore at the root of the context. */
static int load_context_ignore(const char *df_path, const char *ctx_dir,
			       struct brig_dockerignore **ig, char **name, struct brig_error *err)
{
	_cleanup_free_ char *own = brig_xasprintf("%s.dockerignore", df_path);
	_cleanup_free_ char *common = brig_xasprintf("%s/.dockerignore", ctx_dir);
	const char *use = is_file(own) ? own : is_file(common) ? common : NULL;

	*ig = NULL;
	*name = NULL;
	if (!use)
		return 0;
	if (brig_dockerignore_load(use, ig, err) < 0)
		return -1;
	*name = brig_xstrdup(use);
	return 0;
}

static int lint_dockerfile(struct brig_lint_ctx *c, const char *data, size_t len,
			   struct brig_error *err)
{
	struct brig_dockerfile *df = NULL;
	struct brig_dockerignore *ig = NULL;
	_cleanup_free_ char *ctx_dir = NULL;
	_cleanup_free_ char *ig_name = NULL;
	/* the rules read RUN's shell words from args, not the preview */
	const struct brig_df_options dfo = {.no_shell_preview = true};

	if (brig_dockerfile_parse(data, len, c->target, &dfo, &df, err) < 0)
		return -1;
	if (c->path) {
		ctx_dir = dir_of(c->path);
		if (load_context_ignore(c->path, ctx_dir, &ig, &ig_name, err) < 0) {
			brig_dockerfile_free(df);
			return -1;
		}
		c->context_dir = ctx_dir;
		c->ignore = ig;
		c->ignore_name = ig_name;
	}
	brig_lint_dockerfile_rules(c, df);
	c->context_dir = NULL;
	c->ignore = NULL;
	c->ignore_name = NULL;
	brig_dockerignore_free(ig);
	brig_dockerfile_free(df);
	return 0;
}

static int lint_compose(struct brig_lint_ctx *c, const char *data, size_t len,
			const struct brig_lint_options *opt, struct brig_error *err)
{
	struct brig_compose_options copt = {.lenient = opt && opt->lenient};
	struct brig_compose *comp = NULL;
	_cleanup_free_ char *dotenv = NULL;

	if (c->path) {
		_cleanup_free_ char *dir = dir_of(c->path);

		dotenv = brig_xasprintf("%s/.env", dir);
		if (is_file(dotenv))
			copt.dotenv_path = dotenv;
	}
	if (!copt.dotenv_path)
		copt.no_dotenv = true;
	if (brig_compose_parse(data, len, c->target, &copt, &comp, err) < 0)
		return -1;
	for (size_t i = 0; i < comp->n_warnings; i++)
		brig_warn("%s", comp->warnings[i]);
	brig_lint_compose_rules(c, comp);
	brig_compose_free(comp);
	return 0;
}

static int lint_dockerignore(struct brig_lint_ctx *c, const char *data, size_t len,
			     struct brig_error *err)
{
	struct brig_dockerignore *ig = NULL;
	_cleanup_free_ char *dir = c->path ? dir_of(c->path) : NULL;

	if (brig_dockerignore_parse(data, len, c->target, &ig, err) < 0)
		return -1;
	c->context_dir = dir;
	brig_lint_dockerignore_rules(c, ig);
	c->context_dir = NULL;
	brig_dockerignore_free(ig);
	return 0;
}

static int lint_data(const char *data, size_t len, const char *path, const char *target,
		     enum brig_lint_type type, const struct brig_lint_options *opt,
		     struct brig_finding_list *out, struct brig_error *err)
{
	struct text t = {0};
	struct brig_lint_ctx c = {0};
	int rc;

	if (type == BRIG_LINT_AUTO)
		type = type_by_content(data, len);
	if (type == BRIG_LINT_AUTO)
		return brig_error_set(err, EINVAL,
				      "%s: neither a Dockerfile nor a Compose file (use --type)",
				      target);
	text_split(&t, data, len);
	c.target = target;
	c.target_type = brig_lint_type_name(type);
	c.path = path;
	c.lines = t.lines;
	c.n_lines = t.n;
	c.out = out;
	switch (type) {
	case BRIG_LINT_DOCKERFILE:
		rc = lint_dockerfile(&c, data, len, err);
		break;
	case BRIG_LINT_COMPOSE:
		rc = lint_compose(&c, data, len, opt, err);
		break;
	default:
		rc = lint_dockerignore(&c, data, len, err);
		break;
	}
	if (c.n_suppressed)
		brig_debug("%s: %zu finding%s suppressed by comments", target, c.n_suppressed,
			   c.n_suppressed == 1 ? "" : "s");
	text_free(&t);
	return rc;
}

int brig_lint_buffer(const char *data, size_t len, const char *target, enum brig_lint_type type,
		     const struct brig_lint_options *opt, struct brig_finding_list *out,
		     struct brig_error *err)
{
	return lint_data(data, len, NULL, target, type, opt, out, err);
}

static size_t max_size(enum brig_lint_type t)
{
	switch (t) {
	case BRIG_LINT_COMPOSE:
		return BRIG_COMPOSE_MAX_FILE;
	case BRIG_LINT_DOCKERIGNORE:
		return BRIG_DOCKERIGNORE_MAX_FILE;
	default:
		return BRIG_DF_MAX_FILE;
	}
}

int brig_lint_file(const struct brig_lint_file *f, const struct brig_lint_options *opt,
		   struct brig_finding_list *out, struct brig_error *err)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;

	if (brig_config_read_file(f->path, max_size(f->type), &data, &len, err) < 0)
		return -1;
	return lint_data(data, len, f->path, f->target, f->type, opt, out, err);
}

/* ---- several files ---- */

/* Files are independent: with enough of them, workers take the next file
 * by index and keep its findings apart, so the merged list is in file
 * order whatever the interleaving, and the first failing file in that
 * order decides the error, as in a serial run. */
#define LINT_MAX_WORKERS 4
#define LINT_FILES_PER_WORKER 8

struct lint_job {
	const struct brig_lint_files *files;
	const struct brig_lint_options *opt;
	struct brig_finding_list *outs;
	struct brig_error **errs; /* set for the files that failed */
	atomic_size_t next;
};

static void *lint_worker(void *arg)
{
	struct lint_job *job = arg;
	size_t i;

	while ((i = atomic_fetch_add(&job->next, 1)) < job->files->n) {
		struct brig_error err;

		if (brig_lint_file(&job->files->items[i], job->opt, &job->outs[i], &err) < 0) {
			job->errs[i] = brig_xmalloc(sizeof(err));
			*job->errs[i] = err;
		}
	}
	return NULL;
}

/* cpus: the CPUs this process may run on (taskset, cgroups), one
 * syscall where sysconf reads a file under /sys */
static size_t lint_workers(size_t n_files, const cpu_set_t *cpus)
{
	size_t n = n_files / LINT_FILES_PER_WORKER, allowed = (size_t)CPU_COUNT(cpus);

	if (n > allowed)
		n = allowed;
	return n > LINT_MAX_WORKERS ? LINT_MAX_WORKERS : n;
}

/* Linux starts a new thread on its creator's CPU more often than not, and
 * there it waits for the creator's time slice or the load balancer:
 * measured on a 2-CPU VM, 0.7 to 4 ms for most threads, more than the
 * linting takes. Told to start anywhere but here, they start in 0.1 ms. */
static bool start_elsewhere(pthread_attr_t *attr, cpu_set_t cpus)
{
	int here = sched_getcpu();

	if (here < 0 || !CPU_ISSET(here, &cpus) || CPU_COUNT(&cpus) < 2)
		return false;
	CPU_CLR(here, &cpus);
	return pthread_attr_setaffinity_np(attr, sizeof(cpus), &cpus) == 0;
}

int brig_lint_files(const struct brig_lint_files *files, const struct brig_lint_options *opt,
		    struct brig_finding_list *out, struct brig_error *err)
{
	struct lint_job job = {files, opt, NULL, NULL, 0};
	pthread_t tids[LINT_MAX_WORKERS];
	pthread_attr_t attr;
	cpu_set_t cpus;
	size_t workers, started = 0, fail = files->n, total = 0;
	bool hinted;

	if (sched_getaffinity(0, sizeof(cpus), &cpus) != 0) {
		CPU_ZERO(&cpus);
		CPU_SET(0, &cpus);
	}
	workers = lint_workers(files->n, &cpus);

	if (workers < 2) {
		for (size_t i = 0; i < files->n; i++)
			if (brig_lint_file(&files->items[i], opt, out, err) < 0)
				return -1;
		return 0;
	}
	job.outs = brig_xcalloc(files->n, sizeof(*job.outs));
	job.errs = brig_xcalloc(files->n, sizeof(*job.errs));
	/* the calling thread is one of the workers */
	hinted = pthread_attr_init(&attr) == 0;
	if (hinted && !start_elsewhere(&attr, cpus)) {
		pthread_attr_destroy(&attr);
		hinted = false;
	}
	while (started + 1 < workers &&
	       pthread_create(&tids[started], hinted ? &attr : NULL, lint_worker, &job) == 0)
		started++;
	if (hinted)
		pthread_attr_destroy(&attr);
	lint_worker(&job);
	for (size_t i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	/* the findings of the files before the first that failed, in one
	 * copy; that file's error */
	for (size_t i = 0; i < files->n && fail == files->n; i++)
		if (job.errs[i])
			fail = i;
	for (size_t i = 0; i < fail; i++)
		total += job.outs[i].n;
	BRIG_GROW(out->items, out->cap, out->n + total);
	for (size_t i = 0; i < files->n; i++) {
		struct brig_finding_list *l = &job.outs[i];

		if (i < fail && l->n) { /* l->items is NULL when the file had none */
			memcpy(out->items + out->n, l->items, l->n * sizeof(*l->items));
			out->n += l->n;
		} else if (i >= fail) {
			for (size_t k = 0; k < l->n; k++)
				brig_finding_free(&l->items[k]);
		}
		if (i == fail)
			*err = *job.errs[i];
		free(l->items);
		free(job.errs[i]);
	}
	free(job.outs);
	free(job.errs);
	return fail < files->n ? -1 : 0;
}

/* ---- discovery ---- */

static void files_add(struct brig_lint_files *out, const char *path, const char *target,
		      enum brig_lint_type type)
{
	BRIG_GROW(out->items, out->cap, out->n + 1);
	out->items[out->n++] = (struct brig_lint_file){brig_xstrdup(path), brig_xstrdup(target), type};
}

void brig_lint_files_free(struct brig_lint_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->items[i].path);
		free(f->items[i].target);
	}
	free(f->items);
	memset(f, 0, sizeof(*f));
}

static bool skip_dir(const char *name)
{
	return name[0] == '.' || strcmp(name, "node_modules") == 0;
}

static void free_dirents(struct dirent **ents, int n)
{
	for (int i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
}

/* rel: the path below the scanned root ("" at the root). */
static int walk(const char *dir, const char *rel, unsigned depth, struct brig_lint_files *out,
		struct brig_error *err)
{
	struct dirent **ents = NULL;
	int n, rc = 0;

	if (depth > BRIG_LINT_MAX_DEPTH)
		return 0;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return brig_error_errno(err, errno, "%s: cannot read the directory", dir);
	for (int i = 0; i < n && rc == 0; i++) {
		const char *name = ents[i]->d_name;
		_cleanup_free_ char *p = NULL;
		_cleanup_free_ char *r = NULL;
		struct stat st;
		enum brig_lint_type t;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		p = brig_xasprintf("%s/%s", dir, name);
		r = *rel ? brig_xasprintf("%s/%s", rel, name) : brig_xstrdup(name);
		if (lstat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (!skip_dir(name))
				rc = walk(p, r, depth + 1, out, err);
			continue;
		}
		if (!S_ISREG(st.st_mode) || (t = brig_lint_type_by_name(name)) == BRIG_LINT_AUTO)
			continue;
		if (out->n >= BRIG_LINT_MAX_FILES)
			rc = brig_error_set(err, E2BIG, "%s: more than %u files to lint", dir,
					    BRIG_LINT_MAX_FILES);
		else
			files_add(out, p, r, t);
	}
	free_dirents(ents, n);
	return rc;
}

int brig_lint_discover(const char *path, const struct brig_lint_options *opt,
		       struct brig_lint_files *out, struct brig_error *err)
{
	struct stat st;
	enum brig_lint_type t;
	size_t before = out->n;

	if (stat(path, &st) != 0)
		return brig_error_errno(err, errno, "%s", path);
	if (S_ISDIR(st.st_mode)) {
		_cleanup_free_ char *root = brig_xstrdup(path);
		size_t n = strlen(root);

		while (n > 1 && root[n - 1] == '/')
			root[--n] = '\0';
		if (walk(root, "", 0, out, err) < 0)
			return -1;
		if (out->n == before)
			brig_warn("%s: no Dockerfile, Compose file or .dockerignore found", path);
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return brig_error_set(err, EINVAL, "%s: not a regular file or directory", path);
	t = opt && opt->type != BRIG_LINT_AUTO ? opt->type : brig_lint_type_by_name(path);
	files_add(out, path, path, t);
	return 0;
}

/* ---- --list-rules ---- */

static json_t *id_array(const char *list)
{
	json_t *a = json_array();

	while (list && *list) {
		size_t n;

		while (*list == ' ')
			list++;
		n = strcspn(list, " ");
		if (n)
			json_array_append_new(a, json_stringn(list, n));
		list += n;
	}
	return a;
}

static json_t *rule_json(const struct brig_rule *r)
{
	json_t *o = json_object(), *eq = json_object();

	json_object_set_new(o, "ID", json_string(r->id));
	json_object_set_new(o, "Title", json_string(r->title));
	json_object_set_new(o, "Severity", json_string(brig_severity_name(r->severity)));
	json_object_set_new(o, "Description", json_string(r->description));
	json_object_set_new(o, "Resolution", json_string(r->resolution));
	json_object_set_new(eq, "hadolint", id_array(r->hadolint));
	json_object_set_new(eq, "trivy", id_array(r->trivy));
	json_object_set_new(eq, "kics", id_array(r->kics));
	json_object_set_new(eq, "checkov", id_array(r->checkov));
	json_object_set_new(o, "Equivalents", eq);
	return o;
}

static int rules_json(FILE *out, struct brig_error *err)
{
	json_t *a = json_array();
	char *text;
	int rc = 0;

	for (size_t i = 0; i < BRIG_R__COUNT; i++)
		json_array_append_new(a, rule_json(&brig_rules[i]));
	text = json_dumps(a, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(a);
	if (!text)
		return brig_error_set(err, ENOMEM, "out of memory");
	if (fprintf(out, "%s\n", text) < 0)
		rc = brig_error_errno(err, errno, "writing the rule list");
	free(text);
	return rc;
}

static void rules_table(FILE *out)
{
	fprintf(out, "%-12s %-9s %s\n", "ID", "SEVERITY", "TITLE");
	for (size_t i = 0; i < BRIG_R__COUNT; i++)
		fprintf(out, "%-12s %-9s %s\n", brig_rules[i].id,
			brig_severity_name(brig_rules[i].severity), brig_rules[i].title);
}

/* "a b" -> "label: `a`, `b`", after a "; " unless it is the first */
static void md_ids(FILE *out, const char *label, const char *list, bool *first)
{
	bool any = false;

	if (!list || !*list)
		return;
	fprintf(out, "%s%s: ", *first ? "" : "; ", label);
	*first = false;
	while (*list) {
		size_t n;

		while (*list == ' ')
			list++;
		n = strcspn(list, " ");
		if (n)
			fprintf(out, "%s`%.*s`", any ? ", " : "", (int)n, list);
		any = any || n;
		list += n;
	}
}

/* Text for a Markdown page: <digest> must not read as an HTML tag, nor a
 * bar as a table cell. */
static void md_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '|')
			fputs("\\|", out);
		else
			fputc(*s, out);
	}
}

static void rules_markdown(FILE *out)
{
	static const char *const heading[] = {"Dockerfile", "Compose", ".dockerignore"};
	size_t count[3] = {0};

	for (size_t i = 0; i < BRIG_R__COUNT; i++)
		count[brig_rules[i].kind]++;
	fputs("# `brig config` rules\n\n"
	      "<!-- Generated by `brig config --list-rules --format markdown` from\n"
	      "     lib/config/rules_table.h. Do not edit: change the table and regenerate. -->\n\n"
	      "Suppress a finding with a comment on the line above it: `# brig:ignore=BRIG-DF-003`\n"
	      "(several IDs: `# brig:ignore=BRIG-DF-003,BRIG-DF-015`); hadolint's\n"
	      "`# hadolint ignore=DL3008` works too, through the hadolint equivalents below.\n"
	      "Ignore files (`--ignorefile`, `.brigignore`, `.trivyignore`) take brig IDs and\n"
	      "Trivy's AVD-DS IDs.\n\n",
	      out);
	fprintf(out, "%zu rules: %zu Dockerfile, %zu Compose, %zu .dockerignore.\n", (size_t)BRIG_R__COUNT,
		count[0], count[1], count[2]);
	for (int k = 0; k < 3; k++) {
		fprintf(out, "\n## %s\n\n| ID | Severity | Title |\n|---|---|---|\n", heading[k]);
		for (size_t i = 0; i < BRIG_R__COUNT; i++)
			if ((int)brig_rules[i].kind == k) {
				char anchor[32];

				/* GitHub lower-cases heading anchors */
				snprintf(anchor, sizeof(anchor), "%s", brig_rules[i].id);
				for (char *p = anchor; *p; p++)
					*p = (char)tolower((unsigned char)*p);
				fprintf(out, "| [%s](#%s) | %s | ", brig_rules[i].id, anchor,
					brig_severity_name(brig_rules[i].severity));
				md_text(out, brig_rules[i].title);
				fputs(" |\n", out);
			}
		for (size_t i = 0; i < BRIG_R__COUNT; i++) {
			const struct brig_rule *r = &brig_rules[i];

			if ((int)r->kind != k)
				continue;
			fprintf(out, "\n### %s\n\n**", r->id);
			md_text(out, r->title);
			fprintf(out, "** (%s)\n\n", brig_severity_name(r->severity));
			md_text(out, r->description);
			fputs("\n\n**Fix:** ", out);
			md_text(out, r->resolution);
			fputs("\n", out);
			if (*r->hadolint || *r->trivy || *r->kics || *r->checkov) {
				bool first = true;

				fputs("\nSame check elsewhere: ", out);
				md_ids(out, "hadolint", r->hadolint, &first);
				md_ids(out, "Trivy", r->trivy, &first);
				md_ids(out, "KICS", r->kics, &first);
				md_ids(out, "Checkov", r->checkov, &first);
				fputs(".\n", out);
			}
		}
	}
}

int brig_rules_write(FILE *out, const char *format, struct brig_error *err)
{
	if (!format || strcmp(format, "table") == 0)
		rules_table(out);
	else if (strcmp(format, "json") == 0)
		return rules_json(out, err);
	else if (strcmp(format, "markdown") == 0)
		rules_markdown(out);
	else
		return brig_error_set(err, EINVAL,
				      "--list-rules: --format must be table, json or markdown");
	if (ferror(out))
		return brig_error_set(err, EIO, "writing the rule list failed");
	return 0;
}

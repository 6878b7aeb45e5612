/* .dockerignore rules (BRIG-DI-002..). Each asks whether the patterns
 * leave out of the build context a path that must never reach an image,
 * using the same matcher BuildKit's semantics describe
 * (brig_dockerignore_matches). BRIG-DI-001 (no .dockerignore at all) needs
 * the Dockerfile and is checked in rules_dockerfile.c. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config/rules.h"
#include "core/cleanup.h"
#include "core/xalloc.h"

struct dix {
	struct brig_lint_ctx *c;
	const struct brig_dockerignore *ig;
};

/* Findings about what is missing belong to the whole file. */
static void missing(struct dix *x, enum brig_rule_idx r, const char *what)
{
	brig_lint_report(x->c, r, 0, 0, "%s does not exclude %s", x->c->target, what);
}

/* Lists the probes the patterns let through, ", "-joined. */
static bool let_through(const struct dix *x, const char *const *probes, char *out, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; probes[i]; i++)
		if (!brig_dockerignore_matches(x->ig, probes[i]) && used < n)
			used += (size_t)snprintf(out + used, n - used, "%s%s", used ? ", " : "",
						 probes[i]);
	return used > 0;
}

static void probe_rule(struct dix *x, enum brig_rule_idx r, const char *const *probes)
{
	char list[256];

	if (let_through(x, probes, list, sizeof(list)))
		missing(x, r, list);
}

static void di_missing(struct dix *x)
{
	(void)x; /* a .dockerignore exists: this one is reported on Dockerfiles */
}

static void di_git(struct dix *x)
{
	static const char *const probes[] = {".git", NULL};

	probe_rule(x, BRIG_R_di_git, probes);
}

/* Only where node_modules can exist: a Node project, or no context known. */
static void di_node_modules(struct dix *x)
{
	static const char *const probes[] = {"node_modules", NULL};

	if (x->c->context_dir) {
		_cleanup_free_ char *pkg = brig_xasprintf("%s/package.json", x->c->context_dir);

		if (access(pkg, F_OK) != 0)
			return;
	}
	probe_rule(x, BRIG_R_di_node_modules, probes);
}

static void di_env(struct dix *x)
{
	static const char *const probes[] = {".env", ".env.production", NULL};

	probe_rule(x, BRIG_R_di_env, probes);
}

static void di_keys(struct dix *x)
{
	static const char *const probes[] = {"secrets/db_password.txt", "server.key", "private.pem", "id_rsa",
					     NULL};

	probe_rule(x, BRIG_R_di_keys, probes);
}

static void (*const di_checks[])(struct dix *) = {
#define BRIG_RULE_DI(fn, ...) fn,
#include "config/rules_table.h"
};

void brig_lint_dockerignore_rules(struct brig_lint_ctx *c, const struct brig_dockerignore *ig)
{
	struct dix x = {.c = c, .ig = ig};

	for (size_t i = 0; i < sizeof(di_checks) / sizeof(di_checks[0]); i++)
		di_checks[i](&x);
}

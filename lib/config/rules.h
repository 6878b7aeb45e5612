/* The `brig config` rules: one table (rules_table.h, an X-macro after
 * git's fsck.h) gives every rule its ID, severity, title, rationale, fix,
 * the IDs of the same check in other linters, and its check function.
 * Metadata, dispatch, --list-rules and docs/rules.md all come from it. */
#ifndef BRIG_CONFIG_RULES_H
#define BRIG_CONFIG_RULES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config/compose.h"
#include "config/dockerfile.h"
#include "config/dockerignore.h"
#include "core/error.h"
#include "report/finding.h"

enum brig_rule_kind {
	BRIG_RULE_DOCKERFILE,
	BRIG_RULE_COMPOSE,
	BRIG_RULE_DOCKERIGNORE,
};

/* BRIG_R_<check function>, in table order. */
enum brig_rule_idx {
#define BRIG_RULE_ENUM_(fn, ...) BRIG_R_##fn,
#define BRIG_RULE_DF BRIG_RULE_ENUM_
#define BRIG_RULE_DC BRIG_RULE_ENUM_
#define BRIG_RULE_DI BRIG_RULE_ENUM_
#include "config/rules_table.h"
#undef BRIG_RULE_ENUM_
	BRIG_R__COUNT
};

struct brig_rule {
	const char *id; /* BRIG-DF-001 */
	enum brig_rule_kind kind;
	enum brig_severity severity;
	const char *title;
	const char *description; /* why it matters */
	const char *resolution;	 /* what to do */
	/* The same check elsewhere, space-separated ("" when none): hadolint
	 * DLxxxx, Trivy AVD-DS-xxxx, KICS query ids, Checkov CKV_DOCKER_x. */
	const char *hadolint;
	const char *trivy;
	const char *kics;
	const char *checkov;
};

extern const struct brig_rule brig_rules[BRIG_R__COUNT];

/* NULL when no rule has that ID (case-insensitive). */
const struct brig_rule *brig_rule_by_id(const char *id);
/* "dockerfile", "docker-compose", "dockerignore" */
const char *brig_rule_kind_name(enum brig_rule_kind k);
/* true when the space-separated list holds word (case-insensitive). */
bool brig_rule_list_has(const char *list, const char *word);

/* --list-rules: "table", "json" (an array of {ID, Title, Severity,
 * Description, Resolution, Equivalents}) or "markdown" (docs/rules.md). */
int brig_rules_write(FILE *out, const char *format, struct brig_error *err);

/* ---- what the rule files share (lint.c implements it) ---- */

/* One file being linted. */
struct brig_lint_ctx {
	const char *target;	 /* Results[].Target */
	const char *target_type; /* "dockerfile", "docker-compose", "dockerignore" */
	const char *path;	 /* on disk; NULL when linting memory */
	char **lines;		 /* the file's text, for Code lines and suppressions */
	size_t n_lines;
	struct brig_finding_list *out;
	/* Dockerfile: the directory that is its build context (NULL: unknown,
	 * context checks are skipped), and the .dockerignore that applies
	 * (NULL when there is none). */
	const char *context_dir;
	const struct brig_dockerignore *ignore;
	const char *ignore_name;
	size_t n_suppressed;
};

/* Adds a finding of rule r at start..end (1-based; 0 when the whole file),
 * unless a `# brig:ignore=ID` or `# hadolint ignore=DLxxxx` comment right
 * above start suppresses it. */
void brig_lint_report(struct brig_lint_ctx *c, enum brig_rule_idx r, unsigned start, unsigned end,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

void brig_lint_dockerfile_rules(struct brig_lint_ctx *c, const struct brig_dockerfile *df);
void brig_lint_compose_rules(struct brig_lint_ctx *c, const struct brig_compose *comp);
void brig_lint_dockerignore_rules(struct brig_lint_ctx *c, const struct brig_dockerignore *ig);

/* Shared with the compose rules: does KEY=VALUE look like a secret? Fills
 * why (a short reason) when it does. */
bool brig_lint_secret_kv(const char *key, const char *value, char *why, size_t why_len);

#endif

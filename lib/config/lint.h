/* `brig config`: finds Dockerfiles, Compose files and .dockerignore files,
 * parses them with lib/config's parsers and runs the rules of
 * config/rules_table.h over them. Findings are BRIG_FINDING_MISCONFIG
 * entries of the one finding model; lib/report renders them. */
#ifndef BRIG_CONFIG_LINT_H
#define BRIG_CONFIG_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "report/finding.h"

enum brig_lint_type {
	BRIG_LINT_AUTO = 0, /* by file name, else by content */
	BRIG_LINT_DOCKERFILE,
	BRIG_LINT_COMPOSE,
	BRIG_LINT_DOCKERIGNORE,
};

/* "dockerfile", "compose" (or "docker-compose"), "dockerignore" -> 0 */
int brig_lint_type_parse(const char *s, enum brig_lint_type *out);
/* Results[].Type: "dockerfile", "docker-compose", "dockerignore" */
const char *brig_lint_type_name(enum brig_lint_type t);

/* Directory walks stop here: a tree with more is not a project. */
#define BRIG_LINT_MAX_FILES 100000u
#define BRIG_LINT_MAX_DEPTH 32u

struct brig_lint_file {
	char *path;   /* on disk */
	char *target; /* Results[].Target: relative to the scanned directory, or as given */
	enum brig_lint_type type;
};

struct brig_lint_files {
	struct brig_lint_file *items;
	size_t n, cap;
};

struct brig_lint_options {
	enum brig_lint_type type; /* forces the type of explicitly named files */
	/* Compose: read what docker compose refuses but a linter can still
	 * check (duplicate keys, keys of the wrong shape) as warnings. */
	bool lenient;
};

/* The type a file name says (AUTO when the name says nothing). */
enum brig_lint_type brig_lint_type_by_name(const char *path);

/* Adds what `brig config PATH` lints: a directory is walked (hidden
 * directories, .git and node_modules skipped) for Dockerfile,
 * Containerfile, *.Dockerfile, Dockerfile.*, compose.y(a)ml,
 * docker-compose*.y(a)ml and .dockerignore; a file is taken as it is
 * (its type from opt->type, its name, or its content). */
int brig_lint_discover(const char *path, const struct brig_lint_options *opt,
		       struct brig_lint_files *out, struct brig_error *err);
void brig_lint_files_free(struct brig_lint_files *f);

/* Lints one file on disk. Dockerfiles are checked against the build
 * context around them (their directory): the .dockerignore that applies.
 * -1 when the file cannot be read or parsed. */
int brig_lint_file(const struct brig_lint_file *f, const struct brig_lint_options *opt,
		   struct brig_finding_list *out, struct brig_error *err);

/* brig_lint_file for every file, findings in file order; large sets are
 * linted on several threads. Stops at (reports) the first failing file. */
int brig_lint_files(const struct brig_lint_files *files, const struct brig_lint_options *opt,
		    struct brig_finding_list *out, struct brig_error *err);

/* Lints data[0..len) named target, with no filesystem around it (no build
 * context: the .dockerignore rules are skipped). type must not be AUTO
 * unless the content decides it. */
int brig_lint_buffer(const char *data, size_t len, const char *target, enum brig_lint_type type,
		     const struct brig_lint_options *opt, struct brig_finding_list *out,
		     struct brig_error *err);

#endif

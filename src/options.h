/* Declarative option tables (after git's parse-options.h). */
#ifndef BRIG_SRC_OPTIONS_H
#define BRIG_SRC_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

enum brig_opt_type {
	BRIG_OPT_BOOL,	 /* bool *; --flag */
	BRIG_OPT_STRING, /* const char **; --flag VALUE or --flag=VALUE */
	BRIG_OPT_INT,	 /* int *; non-negative decimal */
	BRIG_OPT_SIZE,	 /* unsigned long long *; 123, 10K, 512M, 2G */
	BRIG_OPT_END,
};

struct brig_option {
	const char *long_name;
	char short_name;
	enum brig_opt_type type;
	void *value;
	const char *argh; /* name of the value in help, e.g. "FILE" */
	const char *help;
	/* For STRING: allowed values, NULL-terminated; NULL for any. */
	const char *const *choices;
};

#define OPT_BOOL(l, s, v, h) {(l), (s), BRIG_OPT_BOOL, (v), NULL, (h), NULL}
#define OPT_STRING(l, s, v, a, h) {(l), (s), BRIG_OPT_STRING, (v), (a), (h), NULL}
#define OPT_CHOICE(l, s, v, a, h, c) {(l), (s), BRIG_OPT_STRING, (v), (a), (h), (c)}
#define OPT_INT(l, s, v, a, h) {(l), (s), BRIG_OPT_INT, (v), (a), (h), NULL}
#define OPT_SIZE(l, s, v, a, h) {(l), (s), BRIG_OPT_SIZE, (v), (a), (h), NULL}
#define OPT_END() {NULL, 0, BRIG_OPT_END, NULL, NULL, NULL, NULL}

/* Parses argv[1..] (argv[0] is the command name). Positional arguments are
 * moved to the front of argv; *npos receives their count. --help prints
 * usage to stdout and returns 1. A bad flag prints usage to stderr and
 * returns -1 (the caller exits 2). */
int brig_parse_options(int argc, char **argv, const struct brig_option *opts, const char *usage,
		       int *npos);

void brig_print_usage(FILE *out, const char *usage, const struct brig_option *opts);

#endif

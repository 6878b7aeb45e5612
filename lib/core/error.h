/* The error contract (after crun's design-docs/error_handling.md):
 * a function that can fail returns a negative int and fills *err;
 * callers add context with brig_error_prefix(); only main() prints. */
#ifndef BRIG_CORE_ERROR_H
#define BRIG_CORE_ERROR_H

#include <stddef.h>

#define BRIG_ERROR_MSG_MAX 1024

/* Process exit codes: a failed scan must never look clean. */
enum brig_exit {
	BRIG_EXIT_CLEAN = 0,
	BRIG_EXIT_FINDINGS_DEFAULT = 1,
	BRIG_EXIT_ERROR = 2,
};

struct brig_error {
	int code; /* errno value when one applies, else 0 */
	char msg[BRIG_ERROR_MSG_MAX];
};

/* Sets the message (and errno-ish code, 0 if none). Always returns -1. */
int brig_error_set(struct brig_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Like brig_error_set, appending ": strerror(code)". Returns -1. */
int brig_error_errno(struct brig_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "context: " to an error already set. Returns -1. */
int brig_error_prefix(struct brig_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void brig_error_clear(struct brig_error *err);

#endif

/* Shared by the analyzers in lib/scan only; not a contract for other
 * modules (they use analyzer.h and package.h). */
#ifndef BRIG_SCAN_INTERNAL_H
#define BRIG_SCAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "scan/analyzer.h"
#include "scan/package.h"

extern const struct brig_analyzer brig_analyzer_os;
extern const struct brig_analyzer brig_analyzer_dpkg;
extern const struct brig_analyzer brig_analyzer_apk;
extern const struct brig_analyzer brig_analyzer_npm_pkgjson;
extern const struct brig_analyzer brig_analyzer_npm_lock;
extern const struct brig_analyzer brig_analyzer_yarn_lock;

/* A byte range inside the analyzed file (not NUL-terminated). */
struct brig_scan_span {
	const char *s;
	size_t n;
};

/* Walks [p, end) line by line; a line excludes its "\n" and a "\r"
 * before it, so CRLF files parse like LF ones. */
struct brig_scan_lines {
	const char *p;
	const char *end;
};

void brig_scan_lines_init(struct brig_scan_lines *it, const char *data, size_t len);
bool brig_scan_lines_next(struct brig_scan_lines *it, struct brig_scan_span *line);

void brig_scan_span_trim(struct brig_scan_span *sp);
bool brig_scan_span_blank(struct brig_scan_span sp);
bool brig_scan_span_eq(struct brig_scan_span sp, const char *lit);
bool brig_scan_span_caseeq(struct brig_scan_span sp, const char *lit);

/* Copies of image-supplied text: control characters are replaced (the
 * strings end up on terminals) and an embedded NUL ends the copy. */
char *brig_scan_strndup(const char *s, size_t n);
char *brig_scan_strdup(const char *s); /* NULL stays NULL */
static inline char *brig_scan_span_dup(struct brig_scan_span sp)
{
	return brig_scan_strndup(sp.s, sp.n);
}

/* Appends a package to fact->pkgs with type, origin and file_path set.
 * NULL with err once the file holds more than BRIG_MAX_PACKAGES_PER_FILE. */
struct brig_package *brig_scan_pkg_add(struct brig_file_fact *fact, const char *path,
				       enum brig_pkg_type type, enum brig_pkg_origin origin,
				       struct brig_error *err);
/* Source name/version default to the binary's when the file gave none. */
void brig_scan_pkg_src_default(struct brig_package *p);

/* Text databases never hold NUL bytes: one means binary garbage. */
int brig_scan_require_text(const char *data, size_t len, const char *what,
			   struct brig_error *err);

/* Drops every package and returns -1: a file that fails yields nothing
 * rather than a partial inventory that looks complete. */
int brig_scan_fail(struct brig_file_fact *fact);

#endif

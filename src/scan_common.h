/* What `brig image`, `brig rootfs` and `brig fs` share: report flags,
 * filtering, output and the exit-code contract. */
#ifndef BRIG_SRC_SCAN_COMMON_H
#define BRIG_SRC_SCAN_COMMON_H

#include <stdbool.h>

#include "image/image.h"
#include "image/view.h"
#include "report/report.h"

struct scan_flags {
	const char *format;
	const char *output;
	const char *severity;
	const char *ignorefile;
	const char *vex;
	const char *db;
	const char *scanners;
	int exit_code;
	bool list_all_pkgs;
	bool ignore_unfixed;
	bool skip_db_update;
	bool quiet;
	bool debug;
	unsigned long long max_image_size;
};

extern const char *const scan_format_choices[];

#define SCAN_COMMON_OPTIONS(f)                                                                     \
	OPT_CHOICE("format", 'f', &(f)->format, "FORMAT",                                          \
		   "table (default), json, sarif, cyclonedx, spdx-json", scan_format_choices),     \
	OPT_STRING("output", 'o', &(f)->output, "FILE", "write the report to FILE"),               \
	OPT_BOOL("list-all-pkgs", 0, &(f)->list_all_pkgs, "list every package in the report"),     \
	OPT_STRING("severity", 's', &(f)->severity, "LIST",                                        \
		   "severities to report, e.g. HIGH,CRITICAL"),                                    \
	OPT_INT("exit-code", 0, &(f)->exit_code, "N", "exit N when findings pass the filters"),    \
	OPT_BOOL("ignore-unfixed", 0, &(f)->ignore_unfixed, "report only fixable vulnerabilities"),\
	OPT_STRING("ignorefile", 0, &(f)->ignorefile, "FILE", "ignore file (.brigignore)"),        \
	OPT_STRING("vex", 0, &(f)->vex, "FILE", "OpenVEX document of accepted findings"),          \
	OPT_STRING("db", 0, &(f)->db, "PATH", "vulnerability database file"),                      \
	OPT_STRING("scanners", 0, &(f)->scanners, "LIST",                                          \
		   "vuln (default; none for cyclonedx/spdx-json) or none"),                          \
	OPT_BOOL("skip-db-update", 0, &(f)->skip_db_update, "accepted for Trivy compatibility"),   \
	OPT_SIZE("max-image-size", 0, &(f)->max_image_size, "SIZE",                                \
		 "largest uncompressed image to read (default 32G)"),                              \
	OPT_BOOL("quiet", 'q', &(f)->quiet, "no progress or warnings"),                            \
	OPT_BOOL("debug", 'd', &(f)->debug, "debug logging")

void scan_flags_init(struct scan_flags *f);
/* Applies --quiet/--debug. */
void scan_flags_apply_logging(const struct scan_flags *f);

/* Builds the report for an inventory (and image, may be NULL), writes it
 * and returns the process exit code. */
int scan_finish(const struct scan_flags *f, const char *artifact_name, const char *artifact_type,
		const struct brig_image *img, const struct brig_inventory *inv);

/* Prints "brig: error: MSG" (one line, sanitized) and returns 2. */
int scan_fail(const struct brig_error *err);

#endif

/* Analyzers: each declares which image paths it wants and turns one file's
 * bytes into facts. They are pure (bytes in, facts out), so a layer's facts
 * depend only on the layer and the analyzer versions. */
#ifndef BRIG_SCAN_ANALYZER_H
#define BRIG_SCAN_ANALYZER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "scan/package.h"

enum brig_fact_kind {
	BRIG_FACT_OS,	    /* os-release, alpine-release, debian_version */
	BRIG_FACT_PACKAGES, /* any package database or lock file */
};

/* What one analyzer found in one file. */
struct brig_file_fact {
	char *path; /* normalized image path, no leading "/" */
	enum brig_fact_kind kind;
	const struct brig_analyzer *analyzer;
	struct brig_os os;	   /* BRIG_FACT_OS: the fields this file gives */
	struct brig_pkg_list pkgs; /* BRIG_FACT_PACKAGES; file_path already set */
};

struct brig_analyzer {
	const char *name; /* "dpkg", "apk", "os-release", "npm-pkgjson", ... */
	unsigned version; /* bump when output for the same bytes changes */
	/* path: normalized, no leading "/" (e.g. "var/lib/dpkg/status") */
	bool (*wants)(const char *path);
	/* data is NUL-terminated; len excludes the NUL. fact->path and
	 * fact->analyzer are set by the caller. Returns -1 with err on input
	 * it cannot parse; the caller warns and skips that file. */
	int (*analyze)(const char *path, const char *data, size_t len, struct brig_file_fact *fact,
		       struct brig_error *err);
};

/* All analyzers, in a fixed order. */
const struct brig_analyzer *const *brig_analyzers(size_t *n);

void brig_file_fact_free(struct brig_file_fact *f);

/* Resolves the OS from the OS facts of the final filesystem view (any
 * order; paths decide priority: etc/os-release over usr/lib/os-release,
 * alpine-release/debian_version give the precise name). */
void brig_os_detect(struct brig_os *out, const struct brig_file_fact *const *facts, size_t n);

#endif

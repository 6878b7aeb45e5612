/* Reporters know only the inventory, findings and artifact metadata; never
 * where the bytes came from. */
#ifndef BRIG_REPORT_REPORT_H
#define BRIG_REPORT_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"
#include "report/finding.h"
#include "scan/package.h"

enum brig_format {
	BRIG_FORMAT_TABLE,
	BRIG_FORMAT_JSON,
	BRIG_FORMAT_SARIF,
	BRIG_FORMAT_CYCLONEDX,
	BRIG_FORMAT_SPDX_JSON,
};

/* "table", "json", "sarif", "cyclonedx", "spdx-json" -> 0, else -1 */
int brig_format_parse(const char *s, enum brig_format *out);

/* A Results[] entry that exists even without findings: `brig runtime`
 * lists every container it audited, clean or not. */
struct brig_report_target {
	const char *name; /* Results[].Target */
	const char *type; /* Results[].Type, NULL when none */
	enum brig_finding_kind kind; /* decides Results[].Class */
};

struct brig_report_input {
	const char *artifact_name; /* "alpine:3.18", "/path/to/rootfs" */
	const char *artifact_type; /* "container_image", "filesystem", "rootfs" */
	const struct brig_os *os;  /* may have NULL family (unknown OS) */
	/* Container images only (NULL / 0 otherwise): */
	const char *image_id;	  /* sha256 of the config blob */
	const char *const *diff_ids;
	size_t n_diff_ids;
	const char *const *repo_tags;
	size_t n_repo_tags;
	const char *const *repo_digests;
	size_t n_repo_digests;
	json_t *image_config; /* borrowed: the parsed image config JSON */
	/* Inventory (sorted by the caller with brig_pkg_list_sort). */
	const struct brig_pkg_list *pkgs;
	bool list_all_pkgs; /* json: include Results[].Packages[] */
	/* Findings of every kind (vulnerabilities, misconfigurations...). */
	const struct brig_finding_list *findings;
	/* Results[] entries to emit even when no finding names them. */
	const struct brig_report_target *targets;
	size_t n_targets;
	/* Wall-clock creation time (RFC 3339), for SBOM metadata; NULL = now. */
	const char *created_at;
};

int brig_report_write(FILE *out, enum brig_format fmt, const struct brig_report_input *in,
		      struct brig_error *err);

/* To stdout when path is NULL; else to PATH.tmp renamed over PATH, so a
 * failed run never leaves a report that looks complete. */
int brig_report_write_path(const char *path, enum brig_format fmt,
			   const struct brig_report_input *in, struct brig_error *err);

#endif

#include "scan_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/xalloc.h"
#include "match/filter.h"
#include "match/match.h"
#include "vulndb/vulndb.h"

#define DB_STALE_SECONDS (7 * 24 * 3600)

const char *const scan_format_choices[] = {"table", "json", "sarif", "cyclonedx", "spdx-json", NULL};

void scan_flags_init(struct scan_flags *f)
{
	memset(f, 0, sizeof(*f));
	f->format = "table";
	f->max_image_size = BRIG_DEFAULT_MAX_IMAGE_SIZE;
}

void scan_flags_apply_logging(const struct scan_flags *f)
{
	brig_log_set_quiet(f->quiet);
	if (f->debug)
		brig_log_set_level(BRIG_LOG_DEBUG);
}

int scan_fail(const struct brig_error *err)
{
	char msg[BRIG_ERROR_MSG_MAX];

	snprintf(msg, sizeof(msg), "%s", err->msg[0] ? err->msg : "unknown error");
	brig_sanitize_inplace(msg);
	fprintf(stderr, "brig: error: %s\n", msg);
	return BRIG_EXIT_ERROR;
}


/* Trivy's defaults: vulnerabilities, except for SBOM formats, which are
 * inventories unless asked otherwise. */
static int want_vulns(const struct scan_flags *f, enum brig_format fmt, bool *out,
		      struct brig_error *err)
{
	if (!f->scanners) {
		*out = fmt != BRIG_FORMAT_CYCLONEDX && fmt != BRIG_FORMAT_SPDX_JSON;
		return 0;
	}
	if (strcmp(f->scanners, "vuln") == 0) {
		*out = true;
		return 0;
	}
	if (strcmp(f->scanners, "none") == 0 || f->scanners[0] == '\0') {
		*out = false;
		return 0;
	}
	return brig_error_set(err, EINVAL, "unknown --scanners '%s' (want vuln or none)", f->scanners);
}

static int match_vulns(const struct scan_flags *f, const struct brig_inventory *inv,
		       struct brig_finding_list *out, struct brig_error *err)
{
	_cleanup_free_ char *path = NULL;
	struct brig_vulndb *db = NULL;
	time_t built;
	int rc;

	if (f->db)
		path = brig_xstrdup(f->db);
	else if (brig_vulndb_default_path(&path, err) < 0)
		return -1;
	if (brig_vulndb_open(path, false, &db, err) < 0)
		return -1;
	built = brig_vulndb_built_at(db);
	if (built && time(NULL) - built > DB_STALE_SECONDS)
		brig_warn("the vulnerability database %s is %lld days old; run 'brig db update'", path,
			  (long long)((time(NULL) - built) / 86400));
	rc = brig_match_packages(db, &inv->os, &inv->pkgs, out, err);
	brig_vulndb_close(db);
	return rc;
}

static int load_filter(const struct scan_flags *f, struct brig_filter *flt, struct brig_error *err)
{
	time_t now = time(NULL);

	flt->ignore_unfixed = f->ignore_unfixed;
	if (f->severity && brig_filter_set_severities(flt, f->severity, err) < 0)
		return -1;
	if (brig_filter_load_ignores(flt, f->ignorefile, now, err) < 0)
		return -1;
	if (f->vex && brig_filter_load_vex(flt, f->vex, err) < 0)
		return -1;
	return 0;
}

int scan_finish(const struct scan_flags *f, const char *artifact_name, const char *artifact_type,
		const struct brig_image *img, const struct brig_inventory *inv)
{
	struct brig_error err = {0};
	struct brig_finding_list findings = {0};
	struct brig_report_input in = {0};
	enum brig_format fmt;
	int rc;

	struct brig_filter flt = {0};
	bool vulns = false;

	if (brig_format_parse(f->format, &fmt) < 0) {
		brig_error_set(&err, EINVAL, "unknown format '%s'", f->format);
		return scan_fail(&err);
	}
	if (want_vulns(f, fmt, &vulns, &err) < 0 || load_filter(f, &flt, &err) < 0 ||
	    (vulns && match_vulns(f, inv, &findings, &err) < 0)) {
		brig_filter_free(&flt);
		brig_finding_list_free(&findings);
		return scan_fail(&err);
	}
	brig_filter_apply(&flt, &findings);
	brig_filter_free(&flt);
	in.artifact_name = artifact_name;
	in.artifact_type = artifact_type;
	in.os = &inv->os;
	in.pkgs = &inv->pkgs;
	in.list_all_pkgs = f->list_all_pkgs;
	in.findings = &findings;
	if (img) {
		in.image_id = img->image_id;
		in.diff_ids = (const char *const *)img->diff_ids;
		in.n_diff_ids = img->n_layers;
		in.repo_tags = (const char *const *)img->repo_tags;
		in.n_repo_tags = img->n_repo_tags;
		in.repo_digests = (const char *const *)img->repo_digests;
		in.n_repo_digests = img->n_repo_digests;
		in.image_config = img->config;
	}
	rc = brig_report_write_path(f->output, fmt, &in, &err);
	if (rc < 0) {
		brig_finding_list_free(&findings);
		return scan_fail(&err);
	}
	rc = findings.n && f->exit_code ? f->exit_code : BRIG_EXIT_CLEAN;
	brig_finding_list_free(&findings);
	return rc;
}

#include "scan_common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/sanitize.h"
#include "core/xalloc.h"

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

/* Writes to FILE.tmp and renames, so a failed run never leaves a report
 * that looks complete. */
static int write_report(const struct scan_flags *f, enum brig_format fmt,
			const struct brig_report_input *in, struct brig_error *err)
{
	_cleanup_free_ char *tmp = NULL;
	FILE *out;

	if (!f->output)
		return brig_report_write(stdout, fmt, in, err) < 0 || fflush(stdout) != 0 ? -1 : 0;
	tmp = brig_xasprintf("%s.tmp", f->output);
	out = fopen(tmp, "w");
	if (!out)
		return brig_error_errno(err, errno, "%s", tmp);
	if (brig_report_write(out, fmt, in, err) < 0) {
		fclose(out);
		unlink(tmp);
		return -1;
	}
	if (fclose(out) != 0) {
		unlink(tmp);
		return brig_error_errno(err, errno, "%s", f->output);
	}
	if (rename(tmp, f->output) < 0) {
		unlink(tmp);
		return brig_error_errno(err, errno, "%s", f->output);
	}
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

	if (brig_format_parse(f->format, &fmt) < 0) {
		brig_error_set(&err, EINVAL, "unknown format '%s'", f->format);
		return scan_fail(&err);
	}
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
	rc = write_report(f, fmt, &in, &err);
	brig_finding_list_free(&findings);
	if (rc < 0)
		return scan_fail(&err);
	return BRIG_EXIT_CLEAN;
}

#include "report/report.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "report/report_int.h"

static const struct {
	const char *name;
	enum brig_format fmt;
} formats[] = {
	{"table", BRIG_FORMAT_TABLE},
	{"json", BRIG_FORMAT_JSON},
	{"sarif", BRIG_FORMAT_SARIF},
	{"cyclonedx", BRIG_FORMAT_CYCLONEDX},
	{"spdx-json", BRIG_FORMAT_SPDX_JSON},
};

int brig_format_parse(const char *s, enum brig_format *out)
{
	for (size_t i = 0; s && i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(s, formats[i].name) == 0) {
			*out = formats[i].fmt;
			return 0;
		}
	}
	return -1;
}

static void rpt_freep(struct brig_rpt *r)
{
	brig_rpt_free(r);
}

int brig_report_write(FILE *out, enum brig_format fmt, const struct brig_report_input *in,
		      struct brig_error *err)
{
	_cleanup_(rpt_freep) struct brig_rpt r = {0};
	int rc;

	if (brig_rpt_build(&r, in, err) < 0)
		return brig_error_prefix(err, "report");
	switch (fmt) {
	case BRIG_FORMAT_TABLE:
		rc = brig_rpt_write_table(out, &r, err);
		break;
	case BRIG_FORMAT_JSON:
		rc = brig_rpt_write_json(out, &r, err);
		break;
	case BRIG_FORMAT_SARIF:
		rc = brig_rpt_write_sarif(out, &r, err);
		break;
	case BRIG_FORMAT_CYCLONEDX:
		rc = brig_rpt_write_cyclonedx(out, &r, err);
		break;
	case BRIG_FORMAT_SPDX_JSON:
		rc = brig_rpt_write_spdx(out, &r, err);
		break;
	default:
		return brig_error_set(err, EINVAL, "report: unknown format %d", (int)fmt);
	}
	return rc;
}

int brig_report_write_path(const char *path, enum brig_format fmt,
			   const struct brig_report_input *in, struct brig_error *err)
{
	_cleanup_free_ char *tmp = NULL;
	FILE *out;

	if (!path)
		return brig_report_write(stdout, fmt, in, err) < 0 || fflush(stdout) != 0 ? -1 : 0;
	tmp = brig_xasprintf("%s.tmp", path);
	out = fopen(tmp, "w");
	if (!out)
		return brig_error_errno(err, errno, "%s", tmp);
	if (brig_report_write(out, fmt, in, err) < 0) {
		fclose(out);
		unlink(tmp);
		return -1;
	}
	if (fclose(out) != 0 || rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return brig_error_errno(err, e, "%s", path);
	}
	return 0;
}

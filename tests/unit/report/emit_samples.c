/* Writes the fixture inventory in every format, one file each, for
 * tests/tools/validate-schemas.sh: usage emit_samples OUTDIR */
#include <stdio.h>
#include <stdlib.h>

#include "core/cleanup.h"
#include "fixture.h"

static const struct {
	const char *file;
	enum brig_format fmt;
} samples[] = {
	{"brig.table.txt", BRIG_FORMAT_TABLE},	   {"brig.json", BRIG_FORMAT_JSON},
	{"brig.sarif", BRIG_FORMAT_SARIF},	   {"brig.cdx.json", BRIG_FORMAT_CYCLONEDX},
	{"brig.spdx.json", BRIG_FORMAT_SPDX_JSON},
};

static int emit(const char *dir, const struct brig_report_input *in, size_t i)
{
	_cleanup_free_ char *path = brig_xasprintf("%s/%s", dir, samples[i].file);
	struct brig_error err = {0};
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		return -1;
	}
	if (brig_report_write(f, samples[i].fmt, in, &err) < 0) {
		fprintf(stderr, "emit_samples: %s: %s\n", path, err.msg);
		fclose(f);
		return -1;
	}
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	printf("%s\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	struct fixture fx;
	int rc = 0;

	if (argc != 2) {
		fputs("usage: emit_samples OUTDIR\n", stderr);
		return 2;
	}
	fixture_init(&fx, true);
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (emit(argv[1], &fx.in, i) < 0)
			rc = 1;
	fixture_free(&fx);
	return rc;
}

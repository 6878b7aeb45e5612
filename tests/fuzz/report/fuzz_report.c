/* Image-supplied strings through the report helpers and writers: the
 * terminal cleaner must leave no control bytes and valid UTF-8, truncation
 * must respect its width, the SPDX expression parser must be idempotent,
 * and no format may fail or crash on any name, version or licence. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "report/report.h"
#include "report/report_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_clean(const char *s)
{
	char *c = brig_rpt_term_clean(s), *t;
	json_t *j;

	for (const unsigned char *p = (const unsigned char *)c; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			abort();
	j = json_string(c); /* jansson validates UTF-8 */
	if (!j)
		abort();
	json_decref(j);
	for (size_t max = 0; max < 12; max += 5) {
		t = brig_rpt_truncate(c, max);
		if (brig_rpt_display_width(t) > max && brig_rpt_display_width(c) > max)
			abort();
		free(t);
	}
	free(c);
}

static void check_expression(const char *s)
{
	char *e = brig_rpt_spdx_expression(s), *again;

	if (!e)
		return;
	again = brig_rpt_spdx_expression(e);
	if (!again || strcmp(again, e) != 0)
		abort();
	free(again);
	free(e);
}

static void check_writers(char *name, char *version, char *license)
{
	struct brig_package pk = {.type = BRIG_PKG_NPM, .origin = BRIG_ORIGIN_NPM_LOCK,
				  .name = name, .version = version, .license = license,
				  .purl = name, .file_path = license, .pkg_path = version};
	struct brig_pkg_list pkgs = {.items = &pk, .n = 1, .cap = 1};
	struct brig_finding_list fl = {0};
	struct brig_finding *f = brig_finding_list_add(&fl);
	struct brig_report_input in = {.artifact_name = name, .artifact_type = "container_image",
				       .pkgs = &pkgs, .list_all_pkgs = true, .findings = &fl,
				       .created_at = "2024-01-01T00:00:00Z"};
	struct brig_error err;

	f->id = brig_xstrdup(version);
	f->title = brig_xstrdup(name);
	f->pkg = &pk;
	for (int fmt = BRIG_FORMAT_TABLE; fmt <= BRIG_FORMAT_SPDX_JSON; fmt++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);

		if (!out || brig_report_write(out, (enum brig_format)fmt, &in, &err) != 0)
			abort();
		fclose(out);
		if (fmt == BRIG_FORMAT_TABLE) {
			for (const unsigned char *p = (const unsigned char *)buf; *p; p++)
				if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
					abort(); /* a control byte reached the terminal */
		} else {
			json_t *doc = json_loads(buf, 0, NULL);

			if (!doc)
				abort();
			json_decref(doc);
		}
		free(buf);
	}
	brig_finding_list_free(&fl);
}

/* the n-th NUL-separated string of buf (size bytes plus 3 NULs), or "" */
static char *field(char *buf, size_t size, int n)
{
	char *p = buf;

	while (n-- > 0) {
		p += strlen(p) + 1;
		if (p > buf + size)
			return buf + size; /* one of the trailing NULs */
	}
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* three NUL-separated strings: name, version, licence */
	char *buf = brig_xcalloc(size + 3, 1), *s, *v, *l, *path, *dom = NULL;
	char ts[32];

	memcpy(buf, data, size);
	s = field(buf, size, 0);
	v = field(buf, size, 1);
	l = field(buf, size, 2);
	check_clean(s);
	check_expression(s);
	free(brig_rpt_utf8_repair(s, "?"));
	path = brig_rpt_image_path(s, &dom);
	free(path);
	free(dom);
	(void)brig_rpt_timestamp(s, ts, NULL);
	check_writers(s, v, l);
	free(buf);
	return 0;
}

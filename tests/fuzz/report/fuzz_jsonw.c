/* The streaming JSON writer against jansson's dump, byte for byte: the
 * input parsed as JSON goes through brig_jw_json, and the raw bytes as a
 * string through brig_jw_string (invalid UTF-8 included; once more
 * repeated past 16 KiB, for the writer's path for long strings), each
 * compared with json_dumps of the same value under brig_rpt_dump's flags. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "report/jsonw.h"
#include "report/report_int.h"

#define DUMP_FLAGS (JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* j's jansson text must be written: j via brig_jw_json, else s as a string */
static void check(const json_t *j, const char *s)
{
	char *want = json_dumps(j, DUMP_FLAGS | JSON_ENCODE_ANY), *buf = NULL;
	size_t len = 0, wlen;
	FILE *f = open_memstream(&buf, &len);
	struct brig_jw *w;

	if (!want || !f)
		abort();
	w = brig_jw_new(f);
	if (s)
		brig_jw_string(w, s);
	else
		brig_jw_json(w, j);
	if (brig_jw_finish(w, NULL) != 0)
		abort();
	brig_jw_free(w);
	fclose(f);
	wlen = strlen(want);
	if (len != wlen + 1 || memcmp(buf, want, wlen) != 0 || buf[wlen] != '\n')
		abort();
	free(buf);
	free(want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = brig_xcalloc(size + 1, 1);
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

	if (j) {
		check(j, NULL);
		json_decref(j);
	}
	/* up to the first NUL, as a C string reaches the writer */
	memcpy(s, data, size);
	j = brig_rpt_jstr(s);
	check(j, s);
	json_decref(j);
	if (*s) {
		size_t n = strlen(s), reps = (1 << 14) / n + 1;
		char *l = brig_xmalloc(n * reps + 1);

		for (size_t i = 0; i < reps; i++)
			memcpy(l + i * n, s, n);
		l[n * reps] = '\0';
		j = brig_rpt_jstr(l);
		check(j, l);
		json_decref(j);
		free(l);
	}
	free(s);
	return 0;
}

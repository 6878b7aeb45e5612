/* Debian tracker data: the first byte picks the bulk JSON parser, the
 * vuln-list-debian parser, or the streaming member scanner that reads bulk
 * files too large for one tree. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_vulndb.h"
#include "vulndb/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_member(void *ctx, const char *key, json_t *value, struct brig_error *err)
{
	size_t *n = ctx;

	(void)err;
	*n += strlen(key) + json_is_object(value);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const releases[] = {"Debian:10", "Debian:11", "Debian:12", "Debian:13"};
	struct brig_vulndb *db = fuzz_db();
	struct brig_error err;
	json_t *doc, *v, *a;
	const char *pkg;
	size_t n = 0, i;
	uint8_t mode;

	if (size < 1)
		return 0;
	mode = data[0] % 3;
	data++;
	size--;
	if (mode == 2) {
		vdb_json_each_member((const char *)data, size, count_member, &n, &err);
		return 0;
	}
	if (brig_vulndb_import_buffer(db, "fuzz.json", data, size,
				      mode == 0 ? BRIG_VULNDB_FORMAT_DEBIAN_TRACKER
						: BRIG_VULNDB_FORMAT_DEBIAN_VULN_LIST,
				      NULL, &err) < 0)
		return 0;
	doc = json_loadb((const char *)data, size, 0, NULL);
	if (mode == 0) {
		json_object_foreach(doc, pkg, v) {
			for (int r = 0; r < 4; r++)
				fuzz_lookup(db, releases[r], pkg);
			if (++n == 4)
				break;
		}
	} else {
		json_array_foreach(json_object_get(doc, "Annotations"), i, a) {
			for (int r = 0; r < 4; r++)
				fuzz_lookup(db, releases[r], json_string_value(json_object_get(a, "Package")));
			if (i == 4)
				break;
		}
	}
	json_decref(doc);
	return 0;
}

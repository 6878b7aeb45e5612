/* One Alpine secdb document (branch file or vuln-list per-package file). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fuzz_vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brig_vulndb *db = fuzz_db();
	struct brig_error err;
	json_t *doc, *p;
	const char *branch;
	char eco[64];
	size_t i;

	if (brig_vulndb_import_buffer(db, "fuzz.json", data, size, BRIG_VULNDB_FORMAT_ALPINE_SECDB,
				      NULL, &err) < 0)
		return 0;
	doc = json_loadb((const char *)data, size, 0, NULL);
	branch = json_string_value(json_object_get(doc, "distroversion"));
	if (branch) {
		snprintf(eco, sizeof(eco), "Alpine:%s", branch);
		fuzz_lookup(db, eco, json_string_value(json_object_get(doc, "name")));
		json_array_foreach(json_object_get(doc, "packages"), i, p) {
			fuzz_lookup(db, eco,
				    json_string_value(json_object_get(json_object_get(p, "pkg"), "name")));
			if (i == 4)
				break;
		}
	}
	json_decref(doc);
	return 0;
}

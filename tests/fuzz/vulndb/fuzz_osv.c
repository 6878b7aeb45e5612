/* One OSV document into an in-memory database, then a lookup of its first
 * affected package (exercises the stored JSON columns' decoding). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brig_vulndb *db = fuzz_db();
	struct brig_error err;
	json_t *doc, *aff;
	size_t i;

	if (brig_vulndb_import_buffer(db, "fuzz.json", data, size, BRIG_VULNDB_FORMAT_OSV, NULL,
				      &err) < 0)
		return 0;
	doc = json_loadb((const char *)data, size, 0, NULL);
	json_array_foreach(json_object_get(doc, "affected"), i, aff) {
		json_t *pkg = json_object_get(aff, "package");

		fuzz_lookup(db, json_string_value(json_object_get(pkg, "ecosystem")),
			    json_string_value(json_object_get(pkg, "name")));
		if (i == 4)
			break;
	}
	json_decref(doc);
	if (size % 64 == 0)
		fuzz_info(db);
	return 0;
}

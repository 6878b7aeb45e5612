/* The three JavaScript parsers on the same bytes: npm lock files (v1 and
 * v2/v3), an installed package.json, and yarn.lock. */
#include "fuzz_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one("npm-lock", "app/package-lock.json", data, size);
	fuzz_one("npm-pkgjson", "app/node_modules/@s/x/package.json", data, size);
	fuzz_one("yarn-lock", "app/yarn.lock", data, size);
	return 0;
}

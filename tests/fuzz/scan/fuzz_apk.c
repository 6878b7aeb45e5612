/* apk's installed database on arbitrary bytes. */
#include "fuzz_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one("apk", "lib/apk/db/installed", data, size);
	return 0;
}

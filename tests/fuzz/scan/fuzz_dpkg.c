/* dpkg status and distroless status.d stanzas on arbitrary bytes. */
#include "fuzz_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_one("dpkg", "var/lib/dpkg/status", data, size);
	fuzz_one("dpkg", "var/lib/dpkg/status.d/libc6", data, size);
	return 0;
}

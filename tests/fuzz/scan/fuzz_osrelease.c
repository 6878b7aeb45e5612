/* os-release and the release files on arbitrary bytes, then OS resolution
 * over all of them and a package URL built from the result. */
#include "fuzz_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {"etc/os-release", "usr/lib/os-release",
					    "etc/alpine-release", "etc/debian_version"};
	struct brig_file_fact f[4];
	const struct brig_file_fact *ptrs[4];
	struct brig_package p = {.type = BRIG_PKG_DPKG};
	struct brig_os os;

	for (size_t i = 0; i < 4; i++) {
		if (fuzz_analyze("os-release", paths[i], data, size, &f[i]) != 0)
			abort(); /* os-release parsing never fails */
		ptrs[i] = &f[i];
	}
	brig_os_detect(&os, ptrs, 4);
	p.name = brig_xstrdup("bash");
	p.version = brig_xstrdup("1:5.2-1");
	brig_purl_fill(&p, &os);
	if (!p.purl)
		abort();
	/* Resolution goes by path, never by the order facts arrive in. */
	{
		const struct brig_file_fact *rev[4] = {ptrs[3], ptrs[2], ptrs[1], ptrs[0]};
		struct brig_os os2;

		brig_os_detect(&os2, rev, 4);
		if ((os.family == NULL) != (os2.family == NULL) ||
		    (os.family && strcmp(os.family, os2.family) != 0) ||
		    (os.name == NULL) != (os2.name == NULL) || (os.name && strcmp(os.name, os2.name) != 0))
			abort();
		brig_os_free(&os2);
	}
	brig_package_free(&p);
	brig_os_free(&os);
	for (size_t i = 0; i < 4; i++)
		brig_file_fact_free(&f[i]);
	return 0;
}

#include "version/version.h"

#include <string.h>

#include "version/version_private.h"

int brig_ver_numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c;

	while (alen > 0 && *a == '0')
		a++, alen--;
	while (blen > 0 && *b == '0')
		b++, blen--;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	c = alen ? memcmp(a, b, alen) : 0;
	return brig_ver_sign(c);
}

int brig_ver_bytecmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c)
		return brig_ver_sign(c);
	return (alen > blen) - (alen < blen);
}

int brig_version_compare(enum brig_version_scheme s, const char *a, const char *b)
{
	if (!a)
		a = "";
	if (!b)
		b = "";
	switch (s) {
	case BRIG_VER_DPKG:
		return brig_ver_dpkg_compare(a, b);
	case BRIG_VER_APK:
		return brig_ver_apk_compare(a, b);
	case BRIG_VER_RPM:
		return brig_ver_rpm_compare(a, b);
	case BRIG_VER_SEMVER:
		return brig_ver_semver_compare(a, b);
	}
	/* An out-of-range enum is a caller bug; bytes are still a total order. */
	return brig_ver_bytecmp(a, strlen(a), b, strlen(b));
}

bool brig_version_valid(enum brig_version_scheme s, const char *v)
{
	if (!v)
		v = "";
	switch (s) {
	case BRIG_VER_DPKG:
		return brig_ver_dpkg_valid(v);
	case BRIG_VER_APK:
		return brig_ver_apk_valid(v);
	case BRIG_VER_RPM:
		return brig_ver_rpm_valid(v);
	case BRIG_VER_SEMVER:
		return brig_ver_semver_valid(v);
	}
	return false;
}

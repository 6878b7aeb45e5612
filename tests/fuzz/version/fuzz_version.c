/* Fuzzes lib/version: the input is up to three NUL-separated strings (one
 * string is split in half). Aborts when an order stops being one:
 * cmp(a, a) != 0, sign(cmp(a, b)) != -sign(cmp(b, a)), a result outside
 * {-1, 0, 1}, or (dpkg, semver) a <= b <= c with a > c; and when a range
 * answer is outside {-1, 0, 1} or fails without saying why. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "version/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum brig_version_scheme schemes[] = { BRIG_VER_DPKG, BRIG_VER_APK, BRIG_VER_RPM,
						    BRIG_VER_SEMVER };

static void check(int ok, const char *what, int scheme)
{
	if (!ok) {
		fprintf(stderr, "fuzz_version: %s violated (scheme %d)\n", what, scheme);
		abort();
	}
}

static void check_pair(enum brig_version_scheme s, const char *a, const char *b)
{
	int ab = brig_version_compare(s, a, b);
	int ba = brig_version_compare(s, b, a);

	check(ab >= -1 && ab <= 1, "result in {-1,0,1}", (int)s);
	check(ab == -ba, "antisymmetry", (int)s);
	check(brig_version_compare(s, a, a) == 0, "reflexivity", (int)s);
}

static void check_range(const char *v, const char *r)
{
	unsigned flags;

	for (flags = 0; flags <= BRIG_SEMVER_INCLUDE_PRERELEASE; flags++) {
		struct brig_error err = { 0 };
		int rc = brig_semver_satisfies_flags(v, r, flags, &err);

		check(rc >= -1 && rc <= 1, "satisfies in {-1,0,1}", (int)BRIG_VER_SEMVER);
		check(rc >= 0 || err.msg[0] != '\0', "satisfies error message", (int)BRIG_VER_SEMVER);
		/* a prerelease can only gain matches from includePrerelease */
		if (flags == 0 && rc == 1) {
			struct brig_error err2 = { 0 };

			check(brig_semver_satisfies_flags(v, r, BRIG_SEMVER_INCLUDE_PRERELEASE,
							  &err2) == 1,
			      "includePrerelease monotone", (int)BRIG_VER_SEMVER);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *apk_ops[] = { "<", "<=", "=", ">=", ">", "~", "<~", ">~", "><" };
	char *buf = malloc(size + 2);
	char *s[3];
	size_t n = 0, i, k;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	buf[size + 1] = '\0';
	s[0] = buf;
	for (i = 0; i < size && n < 2; i++) {
		if (buf[i] == '\0')
			s[++n] = buf + i + 1;
	}
	if (n == 0) {
		/* no separator: two halves (moved right by one for the NUL) */
		memmove(buf + size / 2 + 1, buf + size / 2, size - size / 2 + 1);
		buf[size / 2] = '\0';
		s[1] = buf + size / 2 + 1;
		n = 1;
	}
	if (n == 1)
		s[2] = s[0];

	for (k = 0; k < sizeof(schemes) / sizeof(schemes[0]); k++) {
		enum brig_version_scheme sc = schemes[k];

		check_pair(sc, s[0], s[1]);
		check_pair(sc, s[1], s[2]);
		check_pair(sc, s[0], s[2]);
		(void)brig_version_valid(sc, s[0]);
		(void)brig_version_valid(sc, s[1]);
		if (sc == BRIG_VER_DPKG || sc == BRIG_VER_SEMVER) {
			int ab = brig_version_compare(sc, s[0], s[1]);
			int bc = brig_version_compare(sc, s[1], s[2]);
			int ac = brig_version_compare(sc, s[0], s[2]);

			if (ab <= 0 && bc <= 0)
				check(ac <= 0, "transitivity", (int)sc);
			if (ab == 0 && bc == 0)
				check(ac == 0, "transitivity of equality", (int)sc);
		}
	}
	for (k = 0; k < sizeof(apk_ops) / sizeof(apk_ops[0]); k++) {
		struct brig_error err = { 0 };
		int rc = brig_apk_version_match(s[0], apk_ops[k], s[1], &err);

		check(rc == 0 || rc == 1, "apk match in {0,1}", (int)BRIG_VER_APK);
	}
	check_range(s[0], s[1]);
	check_range(s[1], s[0]);
	free(buf);
	return 0;
}

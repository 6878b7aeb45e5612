/* Version ordering of the package ecosystems brig matches against, each
 * the way the ecosystem's own tool orders them (dpkg, apk-tools, rpm,
 * node-semver): a finding is only as right as the comparison behind it.
 * docs/versions.md describes every scheme with examples.
 *
 * Versions come from images and advisories, so every function accepts any
 * NUL-terminated string (NULL is taken as ""), runs in time linear in its
 * input and never recurses. */
#ifndef BRIG_VERSION_VERSION_H
#define BRIG_VERSION_VERSION_H

#include <stdbool.h>

#include "core/error.h"

enum brig_version_scheme {
	BRIG_VER_DPKG,   /* Debian, Ubuntu: [epoch:]upstream[-revision] */
	BRIG_VER_APK,    /* Alpine: 1.2.3b_rc1_p2~abc123-r4 */
	BRIG_VER_RPM,    /* RHEL, Fedora, SUSE: [epoch:]version[-release] */
	BRIG_VER_SEMVER, /* npm: SemVer 2.0 with node-semver's loose parsing */
};

/* Returns <0, 0 or >0 (exactly -1, 0, 1) like strcmp.
 *
 * The order is total for every input, valid or not, and antisymmetric:
 * compare(a, b) == -compare(b, a). Invalid versions are ordered the way
 * the ecosystem's tool orders them where the tool does so (dpkg and rpm
 * compare any string; apk orders by the longest valid token prefix), and
 * for semver (where node-semver refuses) an invalid version sorts below
 * every valid one, invalid ones among themselves by bytes. A caller that
 * must not guess checks brig_version_valid() first. */
int brig_version_compare(enum brig_version_scheme s, const char *a, const char *b);

/* Whether the ecosystem's tool accepts v as a version:
 *   dpkg   parseversion() with neither error nor warning (Debian policy)
 *   apk    apk_version_validate()
 *   rpm    [digits:]version[-release], both non-empty, of [A-Za-z0-9._+~^]
 *   semver node-semver's loose parse (leading "v", "=", spaces allowed) */
bool brig_version_valid(enum brig_version_scheme s, const char *v);

/* npm range syntax as node-semver 7 reads it with default options: "^1.2.3",
 * "~1.2", ">=1.0.0 <2.0.0 || 3.x", "1.2.3 - 2.3.4", "*", "", x-ranges.
 * A version with a prerelease only satisfies a comparator set that has a
 * prerelease on the same [major, minor, patch] tuple.
 * The version is read loosely (as brig_version_valid(BRIG_VER_SEMVER)).
 * Returns 1 satisfied, 0 not, -1 with err set when the range cannot be
 * parsed or the version is not a semver version: a scanner must not read
 * "unparsable" as "not affected". */
int brig_semver_satisfies(const char *version, const char *range, struct brig_error *err);

/* node-semver's includePrerelease option: prereleases match like any version. */
#define BRIG_SEMVER_INCLUDE_PRERELEASE 0x1u

/* brig_semver_satisfies() with BRIG_SEMVER_* flags. */
int brig_semver_satisfies_flags(const char *version, const char *range, unsigned flags,
				struct brig_error *err);

/* apk's dependency operators ("<", "<=", "=", ">=", ">", "~" fuzzy prefix
 * match, "<~", ">~"), as `apk version -t`/apk_version_match() apply them:
 * "3.6.9 ~ 3.6" holds. Returns 1 when "a op b" holds, 0 when not, -1 with
 * err set for an operator apk does not know. */
int brig_apk_version_match(const char *a, const char *op, const char *b, struct brig_error *err);

#endif

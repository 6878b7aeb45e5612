/* Shared by the per-scheme files of lib/version; not installed, not API. */
#ifndef BRIG_VERSION_PRIVATE_H
#define BRIG_VERSION_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* The tools compare in the C locale; <ctype.h> would follow the process
 * locale and is undefined for negative chars. */
static inline bool brig_ver_isdigit(int c)
{
	return c >= '0' && c <= '9';
}
static inline bool brig_ver_islower(int c)
{
	return c >= 'a' && c <= 'z';
}
static inline bool brig_ver_isalpha(int c)
{
	return brig_ver_islower(c) || (c >= 'A' && c <= 'Z');
}
static inline bool brig_ver_isalnum(int c)
{
	return brig_ver_isdigit(c) || brig_ver_isalpha(c);
}

static inline int brig_ver_sign(int v)
{
	return (v > 0) - (v < 0);
}

/* Numeric order of two runs of ASCII digits of any length, without
 * converting them (a 40-digit run must not overflow): -1, 0 or 1. */
int brig_ver_numcmp(const char *a, size_t alen, const char *b, size_t blen);

/* Byte order of two strings, shorter prefix first: -1, 0 or 1. */
int brig_ver_bytecmp(const char *a, size_t alen, const char *b, size_t blen);

int brig_ver_dpkg_compare(const char *a, const char *b);
bool brig_ver_dpkg_valid(const char *v);

int brig_ver_apk_compare(const char *a, const char *b);
bool brig_ver_apk_valid(const char *v);

int brig_ver_rpm_compare(const char *a, const char *b);
bool brig_ver_rpm_valid(const char *v);

int brig_ver_semver_compare(const char *a, const char *b);
bool brig_ver_semver_valid(const char *v);

#endif

/* RPM version ordering: rpmio/rpmvercmp.c (with '~' and '^') applied to
 * epoch, version and release as rpm's parseEVR() splits them. */
#include <string.h>

#include "version/version.h"
#include "version/version_private.h"

/* rpmvercmp() over bounded slices; rpm edits NULs into copies instead. */
static int rpm_vercmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i = 0, j = 0;

	if (an == bn && (an == 0 || memcmp(a, b, an) == 0))
		return 0;

	while (i < an || j < bn) {
		size_t si, sj;
		bool isnum;
		int rc;

		while (i < an && !brig_ver_isalnum(a[i]) && a[i] != '~' && a[i] != '^')
			i++;
		while (j < bn && !brig_ver_isalnum(b[j]) && b[j] != '~' && b[j] != '^')
			j++;

		/* '~' sorts before everything, even the end of the string */
		if ((i < an && a[i] == '~') || (j < bn && b[j] == '~')) {
			if (i >= an || a[i] != '~')
				return 1;
			if (j >= bn || b[j] != '~')
				return -1;
			i++, j++;
			continue;
		}
		/* '^' sorts after the end of the string but before anything
		 * else: 1.0 < 1.0^git1 < 1.0.1 */
		if ((i < an && a[i] == '^') || (j < bn && b[j] == '^')) {
			if (i >= an)
				return -1;
			if (j >= bn)
				return 1;
			if (a[i] != '^')
				return 1;
			if (b[j] != '^')
				return -1;
			i++, j++;
			continue;
		}
		if (i >= an || j >= bn)
			break;

		/* a segment is a run of digits or a run of letters; its kind
		 * is decided by a's side */
		si = i;
		sj = j;
		isnum = brig_ver_isdigit(a[i]);
		if (isnum) {
			while (si < an && brig_ver_isdigit(a[si]))
				si++;
			while (sj < bn && brig_ver_isdigit(b[sj]))
				sj++;
		} else {
			while (si < an && brig_ver_isalpha(a[si]))
				si++;
			while (sj < bn && brig_ver_isalpha(b[sj]))
				sj++;
		}
		/* different kinds: numbers are newer than letters */
		if (sj == j)
			return isnum ? 1 : -1;
		if (isnum)
			rc = brig_ver_numcmp(a + i, si - i, b + j, sj - j);
		else
			rc = brig_ver_bytecmp(a + i, si - i, b + j, sj - j);
		if (rc)
			return rc;
		i = si;
		j = sj;
	}
	if (i >= an && j >= bn)
		return 0;
	return i >= an ? -1 : 1;
}

struct rpm_evr {
	const char *e, *v, *r;
	size_t en, vn, rn;
	bool has_r;
};

/* parseEVR(): leading digits ended by ':' are the epoch (empty means 0),
 * the last '-' starts the release. */
static void rpm_split(const char *s, struct rpm_evr *evr)
{
	size_t n = strlen(s), d = 0, i;

	while (d < n && brig_ver_isdigit(s[d]))
		d++;
	evr->e = "0";
	evr->en = 1;
	evr->v = s;
	evr->vn = n;
	if (d < n && s[d] == ':') {
		if (d > 0) {
			evr->e = s;
			evr->en = d;
		}
		evr->v = s + d + 1;
		evr->vn = n - d - 1;
	}
	evr->has_r = false;
	evr->r = evr->v + evr->vn;
	evr->rn = 0;
	for (i = evr->vn; i > 0; i--) {
		if (evr->v[i - 1] == '-') {
			evr->has_r = true;
			evr->r = evr->v + i;
			evr->rn = evr->vn - i;
			evr->vn = i - 1;
			break;
		}
	}
}

/* rpmverCmp() of rpm 4.18 (what rpm.ver and labelCompare use): a missing
 * release sorts below any release, even an empty one ("1.0" < "1.0-"),
 * which keeps the order total. rpm's dependency matching instead lets
 * "1.0" match every 1.0-N: that is a range rule for the matcher, not an
 * order. */
int brig_ver_rpm_compare(const char *a, const char *b)
{
	struct rpm_evr x, y;
	int rc;

	rpm_split(a, &x);
	rpm_split(b, &y);
	rc = rpm_vercmp(x.e, x.en, y.e, y.en);
	if (rc)
		return rc;
	rc = rpm_vercmp(x.v, x.vn, y.v, y.vn);
	if (rc)
		return rc;
	if (x.has_r != y.has_r)
		return x.has_r ? 1 : -1;
	return rpm_vercmp(x.r, x.rn, y.r, y.rn);
}

static bool rpm_part_valid(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (!brig_ver_isalnum(p[i]) && !strchr("._+~^", p[i]))
			return false;
	}
	return true;
}

/* What rpmbuild accepts in Version/Release (rpmCharCheck's "._+%{}~^"
 * minus the macro characters, which are expanded before a package exists). */
bool brig_ver_rpm_valid(const char *s)
{
	struct rpm_evr evr;

	if (s[0] == ':')
		return false; /* ":1.0": an empty epoch */
	rpm_split(s, &evr);
	if (evr.has_r && !rpm_part_valid(evr.r, evr.rn))
		return false;
	return rpm_part_valid(evr.v, evr.vn);
}

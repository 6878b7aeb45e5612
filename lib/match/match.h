/* Inventory x vulnerability database -> vulnerability findings. Vendor data
 * first: OS packages match only their distro's advisories, by source
 * package and source version, so backported fixes stay fixed. */
#ifndef BRIG_MATCH_MATCH_H
#define BRIG_MATCH_MATCH_H

#include "core/error.h"
#include "report/finding.h"
#include "scan/package.h"
#include "vulndb/vulndb.h"

/* The advisory ecosystem of a package on that OS ("Debian:12",
 * "Alpine:v3.18", "npm"), malloc'ed; NULL when brig has no data for it. */
char *brig_match_ecosystem(const struct brig_package *p, const struct brig_os *os);

/* Appends one finding per (package, vulnerability) to out. Findings borrow
 * the packages (p->pkg points into pkgs). */
int brig_match_packages(struct brig_vulndb *db, const struct brig_os *os,
			const struct brig_pkg_list *pkgs, struct brig_finding_list *out,
			struct brig_error *err);

#endif

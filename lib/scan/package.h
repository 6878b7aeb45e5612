/* The inventory model every later stage consumes: OS facts and packages. */
#ifndef BRIG_SCAN_PACKAGE_H
#define BRIG_SCAN_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>

enum brig_pkg_type {
	BRIG_PKG_DPKG,
	BRIG_PKG_APK,
	BRIG_PKG_RPM,
	BRIG_PKG_NPM,
};

/* Where an npm package was found: installed tree or a lock file. */
enum brig_pkg_origin {
	BRIG_ORIGIN_OS_DB,	  /* dpkg status, apk installed, rpm db */
	BRIG_ORIGIN_NODE_MODULES, /* node_modules/<..>/package.json */
	BRIG_ORIGIN_NPM_LOCK,	  /* package-lock.json / npm-shrinkwrap.json */
	BRIG_ORIGIN_YARN_LOCK,	  /* yarn.lock v1 */
};

struct brig_package {
	enum brig_pkg_type type;
	enum brig_pkg_origin origin;
	char *name;
	char *version;
	char *src_name;	   /* dpkg Source / apk origin; = name when absent */
	char *src_version; /* dpkg source version; = version when absent */
	char *arch;	   /* may be NULL */
	char *license;	   /* may be NULL */
	char *purl;	   /* filled by brig_purl_fill() once the OS is known */
	char *file_path;   /* file in the image it was read from, "/"-rooted */
	char *pkg_path;	   /* npm: "node_modules/a/node_modules/b"; else NULL */
	char *layer_diff_id; /* layer that introduced it; NULL for a directory */
	bool dev;	     /* npm dev dependency */
};

struct brig_pkg_list {
	struct brig_package *items;
	size_t n;
	size_t cap;
};

struct brig_os {
	char *family;	  /* os-release ID: "debian", "alpine", "ubuntu"; NULL if unknown */
	char *name;	  /* version as reported: debian_version "12.15", alpine-release "3.18.9" */
	char *version_id; /* os-release VERSION_ID: "12", "3.18.9" */
	char *codename;	  /* VERSION_CODENAME or NULL */
	char *pretty_name;
};

/* Appends a zeroed package and returns it. */
struct brig_package *brig_pkg_list_add(struct brig_pkg_list *l);
void brig_package_free(struct brig_package *p);
void brig_package_copy(struct brig_package *dst, const struct brig_package *src);
void brig_pkg_list_free(struct brig_pkg_list *l);
/* Stable order: type, name, version, pkg_path, file_path. */
void brig_pkg_list_sort(struct brig_pkg_list *l);

void brig_os_free(struct brig_os *os);
void brig_os_copy(struct brig_os *dst, const struct brig_os *src);

/* Fills p->purl from the package and OS, e.g.
 * pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12
 * pkg:apk/alpine/musl@1.2.4-r0?arch=x86_64&distro=3.18.9
 * pkg:npm/%40scope/name@1.0.0 */
void brig_purl_fill(struct brig_package *p, const struct brig_os *os);

const char *brig_pkg_type_name(enum brig_pkg_type t); /* "dpkg","apk","rpm","npm" */

#endif

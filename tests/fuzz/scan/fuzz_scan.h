/* Shared by the lib/scan fuzz targets: runs one analyzer the way the layer
 * walker does, then pushes whatever it found through the package model
 * (purl, sort, copy, free) so those see hostile strings too. */
#ifndef BRIG_FUZZ_SCAN_H
#define BRIG_FUZZ_SCAN_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "scan/analyzer.h"
#include "scan/package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline const struct brig_analyzer *fuzz_analyzer(const char *name)
{
	size_t n;
	const struct brig_analyzer *const *all = brig_analyzers(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	abort();
}

static inline void fuzz_exercise_pkgs(struct brig_pkg_list *l)
{
	static const struct brig_os oses[] = {
		{.family = "debian", .name = "12.15", .version_id = "12"},
		{.family = "alpine", .name = "3.18.9", .version_id = "3.18.9"},
		{0},
	};
	struct brig_pkg_list copy = {0};

	for (size_t i = 0; i < l->n; i++) {
		struct brig_package *p = &l->items[i];

		/* Every package an analyzer emits has these. */
		if (!p->name || !p->version || !p->src_name || !p->src_version || !p->file_path)
			abort();
		brig_purl_fill(p, &oses[i % 3]);
		if (!p->purl)
			abort();
		brig_package_copy(brig_pkg_list_add(&copy), p);
	}
	brig_pkg_list_sort(&copy);
	brig_pkg_list_free(&copy);
}

/* A fact as the caller builds it, analyzed from a NUL-terminated copy. */
static inline int fuzz_analyze(const char *name, const char *path, const uint8_t *data, size_t size,
			struct brig_file_fact *f)
{
	const struct brig_analyzer *a = fuzz_analyzer(name);
	struct brig_error err = {0};
	char *buf = brig_xmalloc(size + 1);
	int rc;

	memcpy(buf, data, size);
	buf[size] = '\0';
	memset(f, 0, sizeof(*f));
	f->path = brig_xstrdup(path);
	f->analyzer = a;
	rc = a->analyze(path, buf, size, f, &err);
	free(buf);
	/* A failed file must leave nothing behind that looks like a result. */
	if (rc < 0 && (f->pkgs.n || !err.msg[0]))
		abort();
	return rc;
}

static inline void fuzz_one(const char *name, const char *path, const uint8_t *data, size_t size)
{
	struct brig_file_fact f;

	if (fuzz_analyze(name, path, data, size, &f) == 0)
		fuzz_exercise_pkgs(&f.pkgs);
	brig_file_fact_free(&f);
}

#endif

/* Per-layer facts: what the analyzers found in one layer (or one directory
 * tree), plus the layer's whiteouts. Pure: depends only on the bytes. */
#ifndef BRIG_SCAN_COLLECT_H
#define BRIG_SCAN_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "scan/analyzer.h"

struct brig_layer_facts {
	struct brig_file_fact *files; /* sorted by path after brig_facts_finish() */
	size_t n_files;
	size_t cap_files;
	/* Paths this layer removes from the layers below (whiteouts, and
	 * non-regular entries that replace a file an analyzer wants). */
	char **removed;
	size_t n_removed;
	size_t cap_removed;
	/* Directories whose lower-layer contents this layer hides (.wh..wh..opq). */
	char **opaque;
	size_t n_opaque;
	size_t cap_opaque;
	/* Symbolic links this layer creates, and entries whose parent
	 * directory this layer does not contain: a later check makes sure no
	 * entry is written through a lower layer's symlink. */
	char **symlinks;
	size_t n_symlinks;
	size_t cap_symlinks;
	char **orphans;
	size_t n_orphans;
	size_t cap_orphans;
};

/* true when any analyzer wants the (normalized) path */
bool brig_collect_wanted(const char *path);

/* Runs every analyzer that wants path over data (NUL-terminated). An
 * analyzer that cannot parse the file gets a warning naming the file and
 * the layer (label); the scan goes on. */
void brig_collect_file(struct brig_layer_facts *lf, const char *label, const char *path,
		       const char *data, size_t len);

/* If the basename of path is a whiteout marker (".wh.NAME" or
 * ".wh..wh..opq"), records it and returns true. */
bool brig_collect_whiteout(struct brig_layer_facts *lf, const char *path);

/* A non-regular entry (dir, symlink, device) at path: if an analyzer
 * wants that path, the lower layers' file there is gone. */
void brig_collect_nonregular(struct brig_layer_facts *lf, const char *path);

/* Sorts and de-duplicates (a later entry for the same path wins). */
void brig_facts_finish(struct brig_layer_facts *lf);
/* The fact at path, or NULL (after brig_facts_finish). */
const struct brig_file_fact *brig_facts_find(const struct brig_layer_facts *lf, const char *path);
/* true when this layer hides path of the layers below it */
bool brig_facts_hides(const struct brig_layer_facts *lf, const char *path);

void brig_layer_facts_free(struct brig_layer_facts *lf);

#endif

/* The image view: layers' facts merged with whiteouts applied, giving the
 * inventory of the final filesystem, each package tagged with the layer
 * that introduced it. */
#ifndef BRIG_IMAGE_VIEW_H
#define BRIG_IMAGE_VIEW_H

#include <stddef.h>

#include "scan/collect.h"
#include "scan/package.h"

struct brig_inventory {
	struct brig_os os;
	struct brig_pkg_list pkgs; /* sorted; purl filled */
};

/* layers[0] is the base. diff_ids may be NULL (a directory: one "layer"
 * with no id). */
void brig_view_build(const struct brig_layer_facts *const *layers, const char *const *diff_ids,
		     size_t n, struct brig_inventory *inv);
void brig_inventory_free(struct brig_inventory *inv);

/* Fails when an entry of a layer lies below a symlink that a lower layer
 * created and that is still there: extracting it would write through the
 * link (Docker resolves it inside the root; brig refuses the image). */
int brig_view_check_links(const struct brig_layer_facts *const *layers, size_t n,
			  struct brig_error *err);

#endif

/* docker-archive (`docker save`) and OCI archives, read in one sequential
 * pass: layers are analyzed as they stream by, the small JSON documents are
 * kept, and the image is assembled and verified at the end. The same code
 * reads a file and the engine's `GET /images/{name}/get` stream. */
#ifndef BRIG_SOURCE_ARCHIVE_H
#define BRIG_SOURCE_ARCHIVE_H

#include "core/error.h"
#include "core/reader.h"
#include "image/image.h"

int brig_archive_load(struct brig_reader *r, const char *label, const struct brig_platform *p,
		      const char *ref_name, struct brig_layer_budget *budget, struct brig_image *img,
		      struct brig_error *err);

/* Opens path and loads it (label = the path). */
int brig_archive_load_file(const char *path, const struct brig_platform *p, const char *ref_name,
			   struct brig_layer_budget *budget, struct brig_image *img,
			   struct brig_error *err);

#endif

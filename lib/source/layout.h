/* OCI image layout directories (oci:DIR[:TAG]). */
#ifndef BRIG_SOURCE_LAYOUT_H
#define BRIG_SOURCE_LAYOUT_H

#include "core/error.h"
#include "image/image.h"

int brig_layout_load(const char *dir, const char *tag, const struct brig_platform *p,
		     struct brig_layer_budget *budget, struct brig_image *img, struct brig_error *err);

#endif

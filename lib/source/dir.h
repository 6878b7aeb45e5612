/* A directory as one "layer": an unpacked rootfs (brig rootfs) or a
 * project folder (brig fs). Symlinks are never followed, so a hostile tree
 * cannot lead brig outside DIR. */
#ifndef BRIG_SOURCE_DIR_H
#define BRIG_SOURCE_DIR_H

#include "core/error.h"
#include "scan/collect.h"

int brig_dir_collect(const char *root, struct brig_layer_facts *facts, struct brig_error *err);

#endif

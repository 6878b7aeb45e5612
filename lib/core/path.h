/* Paths inside an image are virtual: brig never extracts, so a path only
 * ever names a position in the image's own tree. */
#ifndef BRIG_CORE_PATH_H
#define BRIG_CORE_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* Normalizes a tar/filesystem member name into a relative path without
 * leading "/" or "./", without "." components or repeated slashes and
 * without a trailing slash ("" is the root). A ".." component, an empty
 * name, a NUL-free name longer than BRIG_MAX_PATH or deeper than
 * BRIG_MAX_PATH_DEPTH is an error: in a layer it can only be an attack. */
int brig_path_normalize(const char *in, char **out, struct brig_error *err);

/* "a/b/c" -> "c" (pointer into s) */
const char *brig_path_base(const char *s);
/* true when path equals dir or lies below it ("" is the root: always true) */
bool brig_path_under(const char *path, const char *dir);
bool brig_str_has_suffix(const char *s, const char *suffix);
bool brig_str_has_prefix(const char *s, const char *prefix);

#endif

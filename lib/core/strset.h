/* A set of strings (open addressing), for path bookkeeping while a layer
 * streams by. */
#ifndef BRIG_CORE_STRSET_H
#define BRIG_CORE_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct brig_strset {
	char **slots;
	size_t cap; /* power of two */
	size_t n;
};

/* Adds a copy of s (of length len); no-op when present. */
void brig_strset_add(struct brig_strset *set, const char *s, size_t len);
bool brig_strset_has(const struct brig_strset *set, const char *s, size_t len);
/* Removes s (tombstones keep probe chains intact). */
void brig_strset_del(struct brig_strset *set, const char *s, size_t len);
void brig_strset_free(struct brig_strset *set);

#endif

#include "core/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

static char tombstone[1];

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static bool eq(const char *slot, const char *s, size_t len)
{
	return slot != tombstone && strncmp(slot, s, len) == 0 && slot[len] == '\0';
}

static size_t find(const struct brig_strset *set, const char *s, size_t len, bool *found)
{
	size_t mask = set->cap - 1, i = (size_t)hash(s, len) & mask, first_free = SIZE_MAX;

	for (;; i = (i + 1) & mask) {
		char *slot = set->slots[i];

		if (!slot) {
			*found = false;
			return first_free != SIZE_MAX ? first_free : i;
		}
		if (slot == tombstone) {
			if (first_free == SIZE_MAX)
				first_free = i;
		} else if (eq(slot, s, len)) {
			*found = true;
			return i;
		}
	}
}

static void grow(struct brig_strset *set)
{
	struct brig_strset bigger = {brig_xcalloc(set->cap ? set->cap * 2 : 64, sizeof(char *)),
				     set->cap ? set->cap * 2 : 64, 0};

	for (size_t i = 0; i < set->cap; i++) {
		char *slot = set->slots[i];
		bool found;

		if (!slot || slot == tombstone)
			continue;
		bigger.slots[find(&bigger, slot, strlen(slot), &found)] = slot;
		bigger.n++;
	}
	free(set->slots);
	*set = bigger;
}

void brig_strset_add(struct brig_strset *set, const char *s, size_t len)
{
	bool found;
	size_t i;

	/* tombstones count as used: keep at least a quarter of slots empty */
	if ((set->n + 1) * 4 > set->cap * 3)
		grow(set);
	i = find(set, s, len, &found);
	if (found)
		return;
	if (!set->slots[i])
		set->n++;
	set->slots[i] = brig_xstrndup(s, len);
}

bool brig_strset_has(const struct brig_strset *set, const char *s, size_t len)
{
	bool found = false;

	if (set->cap)
		find(set, s, len, &found);
	return found;
}

void brig_strset_del(struct brig_strset *set, const char *s, size_t len)
{
	bool found = false;
	size_t i;

	if (!set->cap)
		return;
	i = find(set, s, len, &found);
	if (found) {
		free(set->slots[i]);
		set->slots[i] = tombstone;
	}
}

void brig_strset_free(struct brig_strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i] != tombstone)
			free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

/* A bump allocator for data that lives and dies together: one parsed
 * file, one shell script. Allocation is a pointer increment, freeing is
 * one walk over a few chunks; nothing in it is freed on its own.
 *
 * Under AddressSanitizer every allocation is its own malloc block, so an
 * overflow past one still trips the sanitizer instead of landing silently
 * in its neighbour. */
#ifndef BRIG_CORE_ARENA_H
#define BRIG_CORE_ARENA_H

#include <stddef.h>

struct brig_arena_chunk;

struct brig_arena {
	struct brig_arena_chunk *chunks; /* newest first */
	char *cur, *end;		 /* free room of the newest chunk */
	size_t next_size;		 /* the size of the next chunk */
};

#define BRIG_ARENA_INIT {NULL, NULL, NULL, 0}

/* n bytes aligned for any object; aborts on OOM like brig_xmalloc. */
void *brig_arena_alloc(struct brig_arena *a, size_t n);
/* zeroed: n elements of size, overflow-checked */
void *brig_arena_calloc(struct brig_arena *a, size_t n, size_t size);
/* s[0..n) and a NUL */
char *brig_arena_strndup(struct brig_arena *a, const char *s, size_t n);
char *brig_arena_strdup(struct brig_arena *a, const char *s);
/* Grows an array allocated from a (or NULL) to hold need elements, the
 * arena's BRIG_GROW: the old block is left to the arena. Unlike BRIG_GROW
 * the new elements are not zeroed: callers set each one they add. */
void brig_arena_grow(struct brig_arena *a, void **items, size_t *cap, size_t need,
		     size_t elem_size);
#define BRIG_ARENA_GROW(a, arr, cap, need)                                                   \
	((need) > (cap) ? brig_arena_grow((a), (void **)&(arr), &(cap), (need), sizeof(*(arr)))  \
			: (void)0)
/* Frees every chunk; a is empty and reusable afterwards. */
void brig_arena_free(struct brig_arena *a);

#endif

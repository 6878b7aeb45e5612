#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_CHECKED 1
#endif
#endif

#define ARENA_ALIGN alignof(max_align_t)
/* The first chunk holds a small Dockerfile's model; chunks double up to
 * the largest, and a request over a quarter of the next chunk gets a
 * chunk of its own (so little room is wasted at a chunk's end). */
#define ARENA_FIRST_CHUNK 4096u
#define ARENA_MAX_CHUNK 65536u

struct brig_arena_chunk {
	struct brig_arena_chunk *next;
	alignas(max_align_t) char data[];
};

static struct brig_arena_chunk *chunk_new(size_t n)
{
	size_t bytes;

	if (!brig_add_ok(sizeof(struct brig_arena_chunk), n, &bytes))
		bytes = SIZE_MAX; /* brig_xmalloc reports the OOM */
	return brig_xmalloc(bytes);
}

#ifdef ARENA_CHECKED
static void *bump(struct brig_arena *a, size_t n, size_t align)
{
	struct brig_arena_chunk *c = chunk_new(n ? n : 1);

	(void)align;
	c->next = a->chunks;
	a->chunks = c;
	return c->data;
}
#else
/* a chunk of its own, behind the newest so that its room is kept */
static void *bump_large(struct brig_arena *a, size_t n)
{
	struct brig_arena_chunk *c = chunk_new(n);

	if (a->chunks) {
		c->next = a->chunks->next;
		a->chunks->next = c;
	} else {
		c->next = NULL;
		a->chunks = c;
	}
	return c->data;
}

static void *bump(struct brig_arena *a, size_t n, size_t align)
{
	uintptr_t p = ((uintptr_t)a->cur + (align - 1)) & ~(uintptr_t)(align - 1);
	struct brig_arena_chunk *c;
	size_t size;

	if (a->cur && p <= (uintptr_t)a->end && n <= (size_t)((uintptr_t)a->end - p)) {
		a->cur = (char *)p + n;
		return (void *)p;
	}
	size = a->next_size ? a->next_size : ARENA_FIRST_CHUNK;
	if (n > size / 4)
		return bump_large(a, n);
	if (a->next_size < ARENA_MAX_CHUNK)
		a->next_size = size * 2;
	c = chunk_new(size);
	c->next = a->chunks;
	a->chunks = c;
	a->cur = c->data + n;
	a->end = c->data + size;
	return c->data;
}
#endif

void *brig_arena_alloc(struct brig_arena *a, size_t n)
{
	return bump(a, n, ARENA_ALIGN);
}

void *brig_arena_calloc(struct brig_arena *a, size_t n, size_t size)
{
	size_t bytes;
	void *p;

	if (!brig_mul_ok(n, size, &bytes))
		bytes = SIZE_MAX;
	p = bump(a, bytes, ARENA_ALIGN);
	memset(p, 0, bytes);
	return p;
}

char *brig_arena_strndup(struct brig_arena *a, const char *s, size_t n)
{
	char *d;
	size_t bytes;

	if (!brig_add_ok(n, 1, &bytes))
		bytes = SIZE_MAX;
	d = bump(a, bytes, 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *brig_arena_strdup(struct brig_arena *a, const char *s)
{
	return brig_arena_strndup(a, s, strlen(s));
}

void brig_arena_grow(struct brig_arena *a, void **items, size_t *cap, size_t need,
		     size_t elem_size)
{
	size_t new_cap, bytes;
	void *p;

	if (need <= *cap)
		return;
	new_cap = *cap ? *cap : 8;
	while (new_cap < need)
		if (!brig_mul_ok(new_cap, 2, &new_cap))
			new_cap = SIZE_MAX;
	if (!brig_mul_ok(new_cap, elem_size, &bytes))
		bytes = SIZE_MAX;
	p = bump(a, bytes, ARENA_ALIGN);
	if (*cap) {
		if (!brig_mul_ok(*cap, elem_size, &bytes))
			bytes = SIZE_MAX;
		memcpy(p, *items, bytes);
	}
	*items = p;
	*cap = new_cap;
}

void brig_arena_free(struct brig_arena *a)
{
	struct brig_arena_chunk *c = a->chunks;

	while (c) {
		struct brig_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	*a = (struct brig_arena)BRIG_ARENA_INIT;
}

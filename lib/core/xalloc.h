/* Checked size arithmetic before anything is sized by it (after git's
 * st_add/st_mult), and allocation that aborts on OOM: a scanner that
 * cannot allocate a few bytes has nothing sensible left to report. */
#ifndef BRIG_CORE_XALLOC_H
#define BRIG_CORE_XALLOC_H

#include <stdbool.h>
#include <stddef.h>

void *brig_xmalloc(size_t n);
void *brig_xcalloc(size_t n, size_t size);
void *brig_xrealloc(void *p, size_t n);
char *brig_xstrdup(const char *s);
char *brig_xstrndup(const char *s, size_t n);
/* Returns a malloc'ed printf result. */
char *brig_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* false on overflow */
static inline bool brig_add_ok(size_t a, size_t b, size_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}
static inline bool brig_mul_ok(size_t a, size_t b, size_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

/* Grows *items (of elem_size) so that it holds at least need elements. */
void brig_grow(void **items, size_t *cap, size_t need, size_t elem_size);
/* The check inline: most calls, one per element added, need no room. */
#define BRIG_GROW(arr, cap, need)                                                             \
	((need) > (cap) ? brig_grow((void **)&(arr), &(cap), (need), sizeof(*(arr))) : (void)0)

#endif

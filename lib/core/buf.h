/* A growable byte buffer with a hard maximum (after curl's dynbuf):
 * every buffer filled from hostile input says how large it may get. */
#ifndef BRIG_CORE_BUF_H
#define BRIG_CORE_BUF_H

#include <stddef.h>
#include <string.h>

#include "core/error.h"

struct brig_buf {
	char *data; /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max;
};

void brig_buf_init(struct brig_buf *b, size_t max);
int brig_buf_append_slow(struct brig_buf *b, const void *data, size_t n,
			struct brig_error *err);

/* -1 with err when the result would exceed b->max. Inline for the case
 * that fits: lexers append a character at a time. */
static inline int brig_buf_append(struct brig_buf *b, const void *data, size_t n,
				  struct brig_error *err)
{
	/* cap > len whenever data is set (room for the NUL), so no overflow */
	if (b->data && n < b->cap - b->len && b->len + n <= b->max) {
		memcpy(b->data + b->len, data, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return brig_buf_append_slow(b, data, n, err);
}
int brig_buf_appendf(struct brig_buf *b, struct brig_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void brig_buf_reset(struct brig_buf *b);
void brig_buf_free(struct brig_buf *b);
/* Hands the data to the caller (never NULL); b is left empty. */
char *brig_buf_steal(struct brig_buf *b, size_t *len);

static inline void brig_buf_freep(struct brig_buf *b)
{
	brig_buf_free(b);
}
#define _cleanup_buf_ __attribute__((cleanup(brig_buf_freep)))

#endif

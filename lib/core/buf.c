#include "core/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

void brig_buf_init(struct brig_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

int brig_buf_append_slow(struct brig_buf *b, const void *data, size_t n,
			struct brig_error *err)
{
	size_t need, new_cap;

	if (!brig_add_ok(b->len, n, &need) || need > b->max)
		return brig_error_set(err, EFBIG, "data exceeds the %zu-byte limit", b->max);
	if (need + 1 > b->cap) {
		new_cap = b->cap ? b->cap : 256;
		while (new_cap < need + 1)
			new_cap = new_cap > SIZE_MAX / 2 ? need + 1 : new_cap * 2;
		b->data = brig_xrealloc(b->data, new_cap);
		b->cap = new_cap;
	}
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len = need;
	b->data[b->len] = '\0';
	return 0;
}

int brig_buf_appendf(struct brig_buf *b, struct brig_error *err, const char *fmt, ...)
{
	va_list ap;
	char *tmp = NULL;
	int n, rc;

	va_start(ap, fmt);
	n = vasprintf(&tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return brig_error_set(err, ENOMEM, "out of memory");
	rc = brig_buf_append(b, tmp, (size_t)n, err);
	free(tmp);
	return rc;
}

void brig_buf_reset(struct brig_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void brig_buf_free(struct brig_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *brig_buf_steal(struct brig_buf *b, size_t *len)
{
	char *out = b->data ? b->data : brig_xstrdup("");

	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return out;
}

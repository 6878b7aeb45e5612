#include "core/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	fputs("brig: out of memory\n", stderr);
	abort();
}

void *brig_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *brig_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *brig_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom();
	return q;
}

char *brig_xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p)
		oom();
	return p;
}

char *brig_xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		oom();
	return p;
}

char *brig_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *out = NULL;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&out, fmt, ap);
	va_end(ap);
	if (rc < 0)
		oom();
	return out;
}

void brig_grow(void **items, size_t *cap, size_t need, size_t elem_size)
{
	size_t new_cap, bytes;

	if (need <= *cap)
		return;
	new_cap = *cap ? *cap : 8;
	while (new_cap < need) {
		if (!brig_mul_ok(new_cap, 2, &new_cap))
			oom();
	}
	if (!brig_mul_ok(new_cap, elem_size, &bytes))
		oom();
	*items = brig_xrealloc(*items, bytes);
	memset((char *)*items + *cap * elem_size, 0, (new_cap - *cap) * elem_size);
	*cap = new_cap;
}

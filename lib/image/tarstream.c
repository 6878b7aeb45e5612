#include "image/tarstream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/dynlib.h"
#include "core/limits.h"
#include "core/xalloc.h"

#define TAR_CHUNK (128u << 10)

static la_ssize_t read_cb(struct archive *a, void *ctx, const void **buf)
{
	struct brig_tar *t = ctx;
	ssize_t k;

	(void)a;
	k = t->src->read(t->src->ctx, t->chunk, TAR_CHUNK, &t->src_err);
	if (k < 0) {
		t->src_failed = true;
		return -1;
	}
	*buf = t->chunk;
	return k;
}

static int fail(struct brig_tar *t, const char *what, struct brig_error *err)
{
	if (t->src_failed)
		return brig_error_set(err, t->src_err.code, "%s", t->src_err.msg);
	return brig_error_set(err, EINVAL, "%s: %s", what, archive_error_string(t->a));
}

int brig_tar_open(struct brig_tar *t, struct brig_reader *src, struct brig_error *err)
{
	memset(t, 0, sizeof(*t));
	t->src = src;
	if (brig_libarchive_load(err) < 0)
		return -1;
	t->chunk = brig_xmalloc(TAR_CHUNK);
	t->a = archive_read_new();
	archive_read_support_format_tar(t->a);
	archive_read_support_format_gnutar(t->a);
	if (archive_read_open(t->a, t, NULL, read_cb, NULL) != ARCHIVE_OK)
		return fail(t, "not a tar archive", err);
	return 0;
}

int brig_tar_next(struct brig_tar *t, struct archive_entry **e, struct brig_error *err)
{
	for (;;) {
		int r = archive_read_next_header(t->a, e);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return fail(t, "invalid tar", err);
		if (++t->entries > BRIG_MAX_TAR_ENTRIES)
			return brig_error_set(err, E2BIG, "more than %u tar entries", BRIG_MAX_TAR_ENTRIES);
		return 1;
	}
}

ssize_t brig_tar_read_data(struct brig_tar *t, void *buf, size_t n, struct brig_error *err)
{
	la_ssize_t k = archive_read_data(t->a, buf, n);

	if (k < 0)
		return fail(t, "truncated or corrupt tar entry", err);
	return k;
}

static ssize_t entry_read(void *ctx, void *buf, size_t n, struct brig_error *err)
{
	return brig_tar_read_data(ctx, buf, n, err);
}

void brig_tar_entry_reader(struct brig_tar *t, struct brig_reader *r)
{
	r->read = entry_read;
	r->ctx = t;
}

void brig_tar_close(struct brig_tar *t)
{
	if (t->a)
		archive_read_free(t->a);
	free(t->chunk);
	t->a = NULL;
	t->chunk = NULL;
}

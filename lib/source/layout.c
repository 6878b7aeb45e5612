#include "source/layout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/xalloc.h"

struct layout {
	int dirfd;
	const char *dir;
	struct brig_image *img;
	struct brig_layer_budget *budget;
	char **digests; /* of img->owned, to read a repeated layer once */
};

/* Blob paths are built from validated digests, and O_NOFOLLOW keeps a
 * hostile layout from pointing a blob at an arbitrary file; its content is
 * checked against the digest anyway. */
static int open_blob(struct layout *l, const char *digest, struct brig_error *err)
{
	_cleanup_free_ char *rel = NULL;
	int fd;

	if (!brig_digest_valid(digest))
		return brig_error_set(err, EINVAL, "invalid digest '%s'", digest);
	rel = brig_xasprintf("blobs/sha256/%s", digest + 7);
	fd = openat(l->dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return brig_error_errno(err, errno, "%s/%s", l->dir, rel);
	return fd;
}

static int read_small(int fd, const char *what, struct brig_buf *out, struct brig_error *err)
{
	char chunk[16384];

	for (;;) {
		ssize_t k = read(fd, chunk, sizeof(chunk));

		if (k < 0)
			return brig_error_errno(err, errno, "%s", what);
		if (k == 0)
			return 0;
		if (brig_buf_append(out, chunk, (size_t)k, err) < 0)
			return brig_error_prefix(err, "%s", what);
	}
}

static int get_doc(void *ctx, const char *digest, struct brig_buf *out, struct brig_error *err)
{
	struct layout *l = ctx;
	_cleanup_close_ int fd = open_blob(l, digest, err);

	if (fd < 0)
		return -1;
	return read_small(fd, digest, out, err);
}

static int get_layer(void *ctx, size_t index, const char *digest, int64_t size,
		     const struct brig_layer **out, struct brig_error *err)
{
	struct layout *l = ctx;
	struct brig_image *img = l->img;
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *label = NULL;
	struct brig_fd_reader fr;
	struct brig_reader r;
	struct brig_layer *layer;

	for (size_t i = 0; i < img->n_owned; i++)
		if (strcmp(l->digests[i], digest) == 0) {
			*out = img->owned[i];
			return 0;
		}
	fd = open_blob(l, digest, err);
	if (fd < 0)
		return brig_error_prefix(err, "layer %zu", index);
	label = brig_xasprintf("layer %zu (%.19s)", index, digest);
	brig_fd_reader_init(&fr, &r, fd, ~0ull);
	layer = brig_xcalloc(1, sizeof(*layer));
	if (brig_layer_read(&r, label, size > 0 ? (uint64_t)size : 0, l->budget, layer, err) < 0) {
		free(layer);
		return -1;
	}
	img->owned = brig_xrealloc(img->owned, (img->n_owned + 1) * sizeof(*img->owned));
	l->digests = brig_xrealloc(l->digests, (img->n_owned + 1) * sizeof(char *));
	l->digests[img->n_owned] = brig_xstrdup(digest);
	img->owned[img->n_owned++] = layer;
	*out = layer;
	return 0;
}

int brig_layout_load(const char *dir, const char *tag, const struct brig_platform *p,
		     struct brig_layer_budget *budget, struct brig_image *img, struct brig_error *err)
{
	struct layout l = {.dir = dir, .img = img, .budget = budget};
	struct brig_image_fetch f = {&l, get_doc, NULL, get_layer};
	_cleanup_buf_ struct brig_buf index = {0};
	_cleanup_close_ int idx_fd = -1;
	int rc = -1;

	l.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l.dirfd < 0)
		return brig_error_errno(err, errno, "OCI layout %s", dir);
	idx_fd = openat(l.dirfd, "index.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (idx_fd < 0) {
		brig_error_errno(err, errno, "%s/index.json", dir);
		goto out;
	}
	brig_buf_init(&index, BRIG_MAX_JSON_DOC);
	if (read_small(idx_fd, "index.json", &index, err) < 0)
		goto out;
	rc = brig_image_assemble(&f, index.data ? index.data : "", index.len, p, tag, img, err);
	if (rc < 0)
		brig_error_prefix(err, "OCI layout %s", dir);
out:
	for (size_t i = 0; i < img->n_owned; i++)
		free(l.digests[i]);
	free(l.digests);
	close(l.dirfd);
	return rc;
}

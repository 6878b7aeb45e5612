#include "image/layer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/path.h"
#include "core/prefetch.h"
#include "core/strset.h"
#include "core/xalloc.h"
#include "image/tarstream.h"

#define TAR_CHUNK (128u << 10)

/* Hashes and counts every byte that passes, and enforces the budget. */
struct tap {
	struct brig_reader *in;
	struct brig_sha256 hash;
	uint64_t bytes;
	struct brig_layer_budget *budget; /* NULL: no limit (compressed side) */
	struct brig_progress *progress;
};

static ssize_t tap_read(void *ctx, void *buf, size_t n, struct brig_error *err)
{
	struct tap *t = ctx;
	ssize_t k = t->in->read(t->in->ctx, buf, n, err);

	if (k <= 0)
		return k;
	brig_sha256_update(&t->hash, buf, (size_t)k);
	t->bytes += (uint64_t)k;
	if (t->progress)
		brig_progress_add(t->progress, (uint64_t)k);
	if (t->budget) {
		if ((uint64_t)k > t->budget->remaining)
			return brig_error_set(err, EFBIG,
					      "uncompressed image exceeds the size limit of %llu bytes "
					      "(--max-image-size); possible decompression bomb",
					      (unsigned long long)t->budget->limit);
		t->budget->remaining -= (uint64_t)k;
	}
	return k;
}

static int read_entry_data(struct brig_tar *t, const char *path, int64_t size,
			   struct brig_buf *out, struct brig_error *err)
{
	char chunk[16384];

	if (size < 0 || (uint64_t)size > BRIG_MAX_ANALYZED_FILE)
		return brig_error_set(err, EFBIG, "/%s is %lld bytes, over the %u-byte limit for "
					   "files brig parses", path, (long long)size, BRIG_MAX_ANALYZED_FILE);
	brig_buf_init(out, BRIG_MAX_ANALYZED_FILE);
	for (;;) {
		ssize_t k = brig_tar_read_data(t, chunk, sizeof(chunk), err);

		if (k == 0)
			return 0;
		if (k < 0)
			return brig_error_prefix(err, "reading /%s", path);
		if (brig_buf_append(out, chunk, (size_t)k, err) < 0)
			return brig_error_prefix(err, "/%s", path);
	}
}

/* Orphans beyond this many are not recorded: real layers list the parent
 * directories of what they change, so a huge count is itself odd. */
#define MAX_ORPHANS 65536u

struct layer_links {
	struct brig_strset dirs;  /* directories this layer contains */
	struct brig_strset links; /* symlinks this layer contains, still links */
};

/* A layer diff records files at their real paths; an entry below one of
 * the layer's own symlinks can only be an attempt to write through it. */
static int check_links(struct layer_links *ll, struct brig_layer_facts *facts, const char *path,
		       mode_t type, struct brig_error *err)
{
	const char *slash = strrchr(path, '/');

	for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/'))
		if (brig_strset_has(&ll->links, path, (size_t)(p - path)))
			return brig_error_set(err, EINVAL, "tar entry '%s' is written through symlink '%.*s' "
						   "(symlink escape)", path, (int)(p - path), path);
	if (type == AE_IFLNK) {
		brig_strset_add(&ll->links, path, strlen(path));
		BRIG_GROW(facts->symlinks, facts->cap_symlinks, facts->n_symlinks + 1);
		facts->symlinks[facts->n_symlinks++] = brig_xstrdup(path);
	} else {
		brig_strset_del(&ll->links, path, strlen(path));
	}
	if (type == AE_IFDIR)
		brig_strset_add(&ll->dirs, path, strlen(path));
	if (slash && !brig_strset_has(&ll->dirs, path, (size_t)(slash - path)) &&
	    facts->n_orphans < MAX_ORPHANS) {
		BRIG_GROW(facts->orphans, facts->cap_orphans, facts->n_orphans + 1);
		facts->orphans[facts->n_orphans++] = brig_xstrdup(path);
	}
	return 0;
}

static int check_hardlink(const char *target, struct brig_error *err)
{
	_cleanup_free_ char *norm = NULL;

	if (brig_path_normalize(target, &norm, err) < 0)
		return brig_error_prefix(err, "hard link target");
	return 0;
}

static int handle_entry(struct brig_tar *t, struct archive_entry *e, const char *label,
			struct layer_links *ll, struct brig_layer_facts *facts,
			struct brig_error *err)
{
	_cleanup_free_ char *path = NULL;
	const char *raw = archive_entry_pathname(e);
	mode_t type = archive_entry_filetype(e);

	if (!raw)
		return brig_error_set(err, EINVAL, "tar entry without a name");
	if (brig_path_normalize(raw, &path, err) < 0)
		return brig_error_prefix(err, "tar entry");
	if (brig_collect_whiteout(facts, path))
		return 0;
	if (archive_entry_hardlink(e) && check_hardlink(archive_entry_hardlink(e), err) < 0)
		return brig_error_prefix(err, "tar entry '%s'", path);
	if (check_links(ll, facts, path, archive_entry_hardlink(e) ? AE_IFREG : type, err) < 0)
		return -1;
	/* Hard links name an earlier entry: their bytes are not repeated, and
	 * a package database is never hard-linked in practice. */
	if (archive_entry_hardlink(e) || type != AE_IFREG) {
		brig_collect_nonregular(facts, path);
		return 0;
	}
	if (!brig_collect_wanted(path))
		return 0;
	{
		_cleanup_buf_ struct brig_buf data = {0};

		if (read_entry_data(t, path, archive_entry_size(e), &data, err) < 0)
			return -1;
		brig_collect_file(facts, label, path, data.data ? data.data : "", data.len);
	}
	return 0;
}

static int walk_tar(struct brig_reader *r, const char *label, struct brig_layer_facts *facts,
		    struct brig_error *err)
{
	struct brig_tar t;
	struct archive_entry *e;
	struct layer_links ll = {0};
	int rc;

	rc = brig_tar_open(&t, r, err);
	while (rc == 0) {
		rc = brig_tar_next(&t, &e, err);
		if (rc <= 0)
			break;
		rc = handle_entry(&t, e, label, &ll, facts, err);
	}
	brig_tar_close(&t);
	brig_strset_free(&ll.dirs);
	brig_strset_free(&ll.links);
	return rc;
}

/* The diff_id covers every uncompressed byte, including what follows the
 * tar end-of-archive blocks; the digest covers every byte as read. */
static int drain(struct brig_reader *r, struct brig_error *err)
{
	_cleanup_free_ unsigned char *buf = brig_xmalloc(TAR_CHUNK);

	for (;;) {
		ssize_t k = r->read(r->ctx, buf, TAR_CHUNK, err);

		if (k < 0)
			return -1;
		if (k == 0)
			return 0;
	}
}

int brig_layer_read(struct brig_reader *in, const char *label, uint64_t progress_total,
		    struct brig_layer_budget *budget, struct brig_layer *out, struct brig_error *err)
{
	struct brig_progress progress;
	struct tap outer = {.in = in, .progress = &progress};
	struct tap inner = {.budget = budget};
	struct brig_reader outer_r = {tap_read, &outer}, raw_r, dec_r, ahead_r;
	struct brig_decoder *dec = NULL;
	struct brig_prefetch *raw_ahead = NULL, *ahead = NULL;
	struct brig_reader tar_r = {tap_read, &inner};
	int rc = -1;

	memset(out, 0, sizeof(*out));
	brig_progress_start(&progress, label, progress_total);
	brig_sha256_init(&outer.hash);
	brig_sha256_init(&inner.hash);
	/* Three stages on two cores: read + digest, inflate, diff_id + tar.
	 * Inflate is the slowest; the others overlap with it. */
	if (brig_prefetch_open(&outer_r, &raw_ahead, &raw_r, err) < 0)
		goto out;
	if (brig_decoder_open(&raw_r, &dec, &dec_r, err) < 0)
		goto out;
	out->compression = brig_decoder_kind(dec);
	/* read, hash and inflate in one thread; hash and parse in this one */
	if (brig_prefetch_open(&dec_r, &ahead, &ahead_r, err) < 0)
		goto out;
	inner.in = &ahead_r;
	if (walk_tar(&tar_r, label, &out->facts, err) < 0)
		goto out;
	if (drain(&tar_r, err) < 0)
		goto out;
	brig_prefetch_close(ahead);
	ahead = NULL;
	if (drain(&raw_r, err) < 0)
		goto out;
	brig_prefetch_close(raw_ahead);
	raw_ahead = NULL;
	brig_facts_finish(&out->facts);
	brig_sha256_final(&outer.hash, out->digest);
	brig_sha256_final(&inner.hash, out->diff_id);
	out->size = outer.bytes;
	out->uncompressed_size = inner.bytes;
	rc = 0;
out:
	/* join before the readers the threads use go away */
	brig_prefetch_close(ahead);
	brig_prefetch_close(raw_ahead);
	brig_progress_end(&progress);
	if (rc < 0) {
		brig_error_prefix(err, "%s", label);
		brig_layer_facts_free(&out->facts);
	}
	brig_sha256_free(&outer.hash);
	brig_sha256_free(&inner.hash);
	brig_decoder_free(dec);
	return rc;
}

void brig_layer_free(struct brig_layer *l)
{
	brig_layer_facts_free(&l->facts);
}

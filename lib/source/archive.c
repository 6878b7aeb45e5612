#include "source/archive.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/path.h"
#include "core/xalloc.h"
#include "image/tarstream.h"

#define PEEK_LEN 512

struct doc {
	char *name;
	char *data;
	size_t len;
};

struct archive_state {
	const char *label;
	struct doc *docs;
	size_t n_docs, cap_docs;
	char **layer_names;
	struct brig_layer **layers;
	size_t n_layers, cap_layers, cap_names;
	struct brig_layer_budget *budget;
};

/* A reader that first replays the peeked bytes, then the entry's rest. */
struct peek_reader {
	struct brig_tar *tar;
	const unsigned char *peek;
	size_t len, off;
};

static ssize_t peek_read(void *ctx, void *buf, size_t n, struct brig_error *err)
{
	struct peek_reader *p = ctx;

	if (p->off < p->len) {
		size_t k = p->len - p->off < n ? p->len - p->off : n;

		memcpy(buf, p->peek + p->off, k);
		p->off += k;
		return (ssize_t)k;
	}
	return brig_tar_read_data(p->tar, buf, n, err);
}

static bool all_zero(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return n > 0;
}

static bool looks_like_layer(const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return true;
	if (n >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
		return true;
	if (n >= 262 && memcmp(b + 257, "ustar", 5) == 0)
		return true;
	return all_zero(b, n); /* an empty layer: just end-of-archive blocks */
}

static bool looks_like_json(const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')
			continue;
		return b[i] == '{' || b[i] == '[';
	}
	return false;
}

static int keep_doc(struct archive_state *st, struct brig_tar *t, char *name,
		    const unsigned char *peek, size_t n, struct brig_error *err)
{
	_cleanup_buf_ struct brig_buf b = {0};
	char chunk[16384];
	struct doc *d;

	brig_buf_init(&b, BRIG_MAX_JSON_DOC);
	if (brig_buf_append(&b, peek, n, err) < 0)
		return -1;
	for (;;) {
		ssize_t k = brig_tar_read_data(t, chunk, sizeof(chunk), err);

		if (k < 0)
			return brig_error_prefix(err, "%s", name);
		if (k == 0)
			break;
		if (brig_buf_append(&b, chunk, (size_t)k, err) < 0)
			return brig_error_prefix(err, "%s", name);
	}
	BRIG_GROW(st->docs, st->cap_docs, st->n_docs + 1);
	d = &st->docs[st->n_docs++];
	d->name = name;
	d->data = brig_buf_steal(&b, &d->len);
	return 0;
}

static int read_layer(struct archive_state *st, struct brig_tar *t, char *name, int64_t size,
		      const unsigned char *peek, size_t n, struct brig_error *err)
{
	struct peek_reader pr = {t, peek, n, 0};
	struct brig_reader r = {peek_read, &pr};
	_cleanup_free_ char *label = brig_xasprintf("%s: layer %s", st->label, name);
	struct brig_layer *layer;

	if (st->n_layers >= BRIG_MAX_LAYERS) {
		free(name);
		return brig_error_set(err, E2BIG, "%s: more than %u layer blobs", st->label, BRIG_MAX_LAYERS);
	}
	layer = brig_xcalloc(1, sizeof(*layer));
	if (brig_layer_read(&r, label, size > 0 ? (uint64_t)size : 0, st->budget, layer, err) < 0) {
		free(layer);
		free(name);
		return -1;
	}
	BRIG_GROW(st->layers, st->cap_layers, st->n_layers + 1);
	BRIG_GROW(st->layer_names, st->cap_names, st->n_layers + 1);
	st->layers[st->n_layers] = layer;
	st->layer_names[st->n_layers++] = name;
	return 0;
}

static int handle_entry(struct archive_state *st, struct brig_tar *t, struct archive_entry *e,
			struct brig_error *err)
{
	unsigned char peek[PEEK_LEN];
	size_t n = 0;
	char *name = NULL;
	const char *raw = archive_entry_pathname(e);
	int64_t size = archive_entry_size(e);

	if (archive_entry_filetype(e) != AE_IFREG)
		return 0;
	if (!raw)
		return brig_error_set(err, EINVAL, "%s: archive entry without a name", st->label);
	if (brig_path_normalize(raw, &name, err) < 0)
		return brig_error_prefix(err, "%s: archive entry", st->label);
	while (n < PEEK_LEN) {
		ssize_t k = brig_tar_read_data(t, peek + n, PEEK_LEN - n, err);

		if (k < 0) {
			brig_error_prefix(err, "%s: %s", st->label, name);
			free(name);
			return -1;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	if (looks_like_json(peek, n) && size <= (int64_t)BRIG_MAX_JSON_DOC) {
		if (keep_doc(st, t, name, peek, n, err) < 0) {
			free(name);
			return brig_error_prefix(err, "%s", st->label);
		}
		return 0;
	}
	if (looks_like_layer(peek, n))
		return read_layer(st, t, name, size, peek, n, err);
	free(name); /* VERSION, repositories, legacy json: not needed */
	return 0;
}

static const struct doc *find_doc(const struct archive_state *st, const char *name)
{
	for (size_t i = st->n_docs; i-- > 0;)
		if (strcmp(st->docs[i].name, name) == 0)
			return &st->docs[i];
	return NULL;
}

static const struct brig_layer *find_layer(const struct archive_state *st, const char *name)
{
	for (size_t i = st->n_layers; i-- > 0;)
		if (strcmp(st->layer_names[i], name) == 0)
			return st->layers[i];
	return NULL;
}

/* OCI archives: blobs/<alg>/<hex> */
static char *blob_name(const char *digest)
{
	const char *colon = strchr(digest, ':');

	return brig_xasprintf("blobs/%.*s/%s", (int)(colon - digest), digest, colon + 1);
}

static int oci_get_doc(void *ctx, const char *digest, struct brig_buf *out, struct brig_error *err)
{
	_cleanup_free_ char *name = blob_name(digest);
	const struct doc *d = find_doc(ctx, name);

	if (!d)
		return brig_error_set(err, ENOENT, "not in the archive (missing %s)", name);
	return brig_buf_append(out, d->data, d->len, err);
}

static int oci_get_layer(void *ctx, size_t index, const char *digest, int64_t size,
			 const struct brig_layer **out, struct brig_error *err)
{
	_cleanup_free_ char *name = blob_name(digest);

	(void)size;
	*out = find_layer(ctx, name);
	if (!*out)
		return brig_error_set(err, ENOENT, "layer %zu (%s) is missing from the archive or is "
					       "not a tar layer", index, digest);
	return 0;
}

static void add_tag(struct brig_image *img, const char *tag)
{
	img->repo_tags = brig_xrealloc(img->repo_tags, (img->n_repo_tags + 1) * sizeof(char *));
	img->repo_tags[img->n_repo_tags++] = brig_xstrdup(tag);
}

/* A name of the form "<64 hex>.json", "<64 hex>.tar" or "blobs/sha256/<64
 * hex>" promises that content digest. */
static bool name_digest(const char *name, const char *suffix, char out[BRIG_DIGEST_STR_LEN])
{
	const char *base = brig_path_base(name);
	size_t n = strlen(base), sl = strlen(suffix);

	if (brig_str_has_prefix(name, "blobs/sha256/"))
		sl = 0;
	else if (n != 64 + sl || !brig_str_has_suffix(base, suffix))
		return false;
	snprintf(out, BRIG_DIGEST_STR_LEN, "sha256:%.64s", base);
	return brig_digest_valid(out);
}

static int docker_assemble(struct archive_state *st, const struct doc *manifest,
			   const char *ref_name, struct brig_image *img, struct brig_error *err)
{
	json_t *root = NULL, *entry = NULL, *layers, *v;
	const struct doc *cfg;
	const char *cfg_name;
	char promised[BRIG_DIGEST_STR_LEN];
	size_t i;
	int rc = -1;

	if (brig_json_parse(manifest->data, manifest->len, "manifest.json", &root, err) < 0)
		return -1;
	if (!json_is_array(root) || json_array_size(root) == 0) {
		brig_error_set(err, EINVAL, "manifest.json: expected a non-empty array");
		goto out;
	}
	json_array_foreach(root, i, v) {
		json_t *t;
		size_t k;

		if (!entry)
			entry = v;
		json_array_foreach(json_object_get(v, "RepoTags"), k, t)
			if (ref_name && json_is_string(t) && strcmp(json_string_value(t), ref_name) == 0)
				entry = v;
	}
	cfg_name = json_string_value(json_object_get(entry, "Config"));
	layers = json_object_get(entry, "Layers");
	if (!cfg_name || !json_is_array(layers)) {
		brig_error_set(err, EINVAL, "manifest.json: entry without Config or Layers");
		goto out;
	}
	{
		_cleanup_free_ char *cfg_norm = NULL;

		if (brig_path_normalize(cfg_name, &cfg_norm, err) < 0)
			goto out;
		cfg = find_doc(st, cfg_norm);
		if (!cfg) {
			brig_error_set(err, ENOENT, "manifest.json: config %s is missing", cfg_name);
			goto out;
		}
		if (brig_image_set_config(img, cfg->data, cfg->len, err) < 0)
			goto out;
		if (name_digest(cfg_norm, ".json", promised) && strcmp(promised, img->image_id) != 0) {
			brig_error_set(err, EINVAL, "config %s: digest mismatch: content is %s", cfg_name,
				       img->image_id);
			goto out;
		}
	}
	if (json_array_size(layers) != img->n_layers) {
		brig_error_set(err, EINVAL, "manifest.json lists %zu layers but the config has %zu diff_ids",
			       json_array_size(layers), img->n_layers);
		goto out;
	}
	img->layers = brig_xcalloc(img->n_layers ? img->n_layers : 1, sizeof(*img->layers));
	json_array_foreach(layers, i, v) {
		_cleanup_free_ char *lname = NULL;
		const char *s = json_string_value(v);

		if (!s || brig_path_normalize(s, &lname, err) < 0) {
			brig_error_set(err, EINVAL, "manifest.json: invalid layer path at %zu", i);
			goto out;
		}
		img->layers[i] = find_layer(st, lname);
		if (!img->layers[i]) {
			brig_error_set(err, ENOENT, "layer %zu (%s) is missing from the archive or is not a "
						    "tar layer", i, s);
			goto out;
		}
		if (brig_layer_verify(img->layers[i], i,
				      brig_str_has_prefix(lname, "blobs/sha256/") && name_digest(lname, "", promised)
					      ? promised : NULL,
				      img->diff_ids[i], err) < 0)
			goto out;
	}
	json_array_foreach(json_object_get(entry, "RepoTags"), i, v)
		if (json_is_string(v))
			add_tag(img, json_string_value(v));
	rc = 0;
out:
	json_decref(root);
	return rc;
}

static int oci_assemble(struct archive_state *st, const struct doc *index,
			const struct brig_platform *p, const char *ref_name, struct brig_image *img,
			struct brig_error *err)
{
	struct brig_image_fetch f = {st, oci_get_doc, NULL, oci_get_layer};

	return brig_image_assemble(&f, index->data, index->len, p, ref_name, img, err);
}

static void state_free(struct archive_state *st)
{
	for (size_t i = 0; i < st->n_docs; i++) {
		free(st->docs[i].name);
		free(st->docs[i].data);
	}
	free(st->docs);
	for (size_t i = 0; i < st->n_layers; i++) {
		free(st->layer_names[i]);
		if (st->layers) {
			brig_layer_free(st->layers[i]);
			free(st->layers[i]);
		}
	}
	free(st->layer_names);
	free(st->layers);
}

static int pass(struct archive_state *st, struct brig_reader *r, struct brig_error *err)
{
	struct brig_tar t;
	struct archive_entry *e;
	int rc;

	rc = brig_tar_open(&t, r, err);
	while (rc == 0) {
		rc = brig_tar_next(&t, &e, err);
		if (rc <= 0)
			break;
		rc = handle_entry(st, &t, e, err);
	}
	brig_tar_close(&t);
	return rc;
}

int brig_archive_load(struct brig_reader *r, const char *label, const struct brig_platform *p,
		      const char *ref_name, struct brig_layer_budget *budget, struct brig_image *img,
		      struct brig_error *err)
{
	struct archive_state st = {.label = label, .budget = budget};
	const struct doc *d;
	int rc = -1;

	if (pass(&st, r, err) < 0) {
		if (!strstr(err->msg, label))
			brig_error_prefix(err, "%s", label);
		goto out;
	}
	if ((d = find_doc(&st, "manifest.json")))
		rc = docker_assemble(&st, d, ref_name, img, err);
	else if ((d = find_doc(&st, "index.json")))
		rc = oci_assemble(&st, d, p, ref_name, img, err);
	else
		rc = brig_error_set(err, EINVAL, "neither manifest.json nor index.json found: not a "
						 "docker-archive or OCI archive");
	if (rc < 0) {
		brig_error_prefix(err, "%s", label);
		goto out;
	}
	/* The image now points into the layers read: hand them over. */
	img->owned = steal_pointer(&st.layers);
	img->n_owned = st.n_layers;
out:
	state_free(&st);
	return rc;
}

int brig_archive_load_file(const char *path, const struct brig_platform *p, const char *ref_name,
			   struct brig_layer_budget *budget, struct brig_image *img,
			   struct brig_error *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct brig_fd_reader fr;
	struct brig_reader r;
	struct stat st;

	if (fd < 0)
		return brig_error_errno(err, errno, "%s", path);
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		return brig_error_set(err, EISDIR, "%s: is a directory (for an OCI layout use oci:%s)", path, path);
	brig_fd_reader_init(&fr, &r, fd, ~0ull);
	return brig_archive_load(&r, path, p, ref_name, budget, img, err);
}

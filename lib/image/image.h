/* The image model (manifest, config, layers) and its assembly from OCI /
 * Docker documents, whatever source the bytes come from. */
#ifndef BRIG_IMAGE_IMAGE_H
#define BRIG_IMAGE_IMAGE_H

#include <jansson.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "image/layer.h"

struct brig_platform {
	char os[32];
	char arch[32];
	char variant[32]; /* "" when none */
};

/* "linux/amd64", "linux/arm64/v8" */
int brig_platform_parse(const char *s, struct brig_platform *p, struct brig_error *err);
void brig_platform_host(struct brig_platform *p);

struct brig_image {
	char *name;	/* what the user asked for */
	char *image_id; /* sha256 of the config blob */
	json_t *config; /* parsed config */
	size_t n_layers;
	char **diff_ids; /* config rootfs.diff_ids, verified */
	/* Facts per layer, in order; several entries may share one layer. */
	const struct brig_layer **layers;
	struct brig_layer **owned; /* the layers read, each allocated */
	size_t n_owned;
	char **repo_tags;
	size_t n_repo_tags;
	char **repo_digests;
	size_t n_repo_digests;
	char *manifest_digest;
};

void brig_image_free(struct brig_image *img);

/* How an assembler gets bytes: small documents by digest (verified by the
 * fetcher or here), and layers by descriptor. */
struct brig_image_fetch {
	void *ctx;
	/* Reads a JSON blob (≤ BRIG_MAX_JSON_DOC) by digest into out. */
	int (*get_doc)(void *ctx, const char *digest, struct brig_buf *out, struct brig_error *err);
	/* Reads a manifest by digest (registries serve them from their own
	 * endpoint); NULL: get_doc serves manifests too. */
	int (*get_manifest)(void *ctx, const char *digest, struct brig_buf *out, struct brig_error *err);
	/* Returns the layer with that compressed digest, read and analyzed
	 * (stored by the fetcher; stays valid until it is freed). */
	int (*get_layer)(void *ctx, size_t index, const char *digest, int64_t size,
			 const struct brig_layer **out, struct brig_error *err);
};

/* From an OCI index / Docker manifest list / manifest document. ref_name
 * selects by org.opencontainers.image.ref.name when the top is an index
 * with several manifests (may be NULL). */
int brig_image_assemble(const struct brig_image_fetch *f, const char *top, size_t top_len,
			const struct brig_platform *platform, const char *ref_name,
			struct brig_image *img, struct brig_error *err);

/* Checks a layer read against its descriptor digest (may be NULL) and the
 * config's diff_id. */
int brig_layer_verify(const struct brig_layer *l, size_t index, const char *digest,
		      const char *diff_id, struct brig_error *err);

/* Parses a JSON document (bounded), with a message naming `what`. */
int brig_json_parse(const char *data, size_t len, const char *what, json_t **out,
		    struct brig_error *err);

/* Loads config JSON into img (image_id, config, diff_ids). */
int brig_image_set_config(struct brig_image *img, const char *data, size_t len,
			  struct brig_error *err);

#endif

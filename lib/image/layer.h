/* One layer, read once: compressed digest, decompression, diff_id and tar
 * entries handed to the analyzers, in a single streaming pass. */
#ifndef BRIG_IMAGE_LAYER_H
#define BRIG_IMAGE_LAYER_H

#include <stdint.h>

#include "core/error.h"
#include "core/reader.h"
#include "core/sha256.h"
#include "image/decode.h"
#include "scan/collect.h"

struct brig_layer_budget {
	/* Uncompressed bytes still allowed for the whole image; shared by
	 * every layer so that --max-image-size bounds the image, not a layer. */
	uint64_t remaining;
	uint64_t limit; /* for the message */
};

struct brig_layer {
	char digest[BRIG_DIGEST_STR_LEN];  /* sha256 of the bytes as read */
	char diff_id[BRIG_DIGEST_STR_LEN]; /* sha256 of the uncompressed tar */
	uint64_t size;			   /* bytes as read */
	uint64_t uncompressed_size;
	enum brig_compression compression;
	struct brig_layer_facts facts;
};

/* label names the layer in messages (e.g. "layer 3 (sha256:abcd…)").
 * progress_total is the expected size for the progress bar (0: unknown). */
int brig_layer_read(struct brig_reader *in, const char *label, uint64_t progress_total,
		    struct brig_layer_budget *budget, struct brig_layer *out, struct brig_error *err);

void brig_layer_free(struct brig_layer *l);

#endif

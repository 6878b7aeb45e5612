/* Layer decompression as a pull stream: gzip through ISA-L, zstd through
 * libzstd, anything else passed through. The format is sniffed from the
 * first bytes, not trusted from a media type. */
#ifndef BRIG_IMAGE_DECODE_H
#define BRIG_IMAGE_DECODE_H

#include "core/error.h"
#include "core/reader.h"

enum brig_compression { BRIG_COMP_NONE, BRIG_COMP_GZIP, BRIG_COMP_ZSTD };

struct brig_decoder;

/* Wraps `in`; `out` reads the decompressed bytes. */
int brig_decoder_open(struct brig_reader *in, struct brig_decoder **dec, struct brig_reader *out,
		      struct brig_error *err);
enum brig_compression brig_decoder_kind(const struct brig_decoder *dec);
const char *brig_compression_name(enum brig_compression c);
void brig_decoder_free(struct brig_decoder *dec);

#endif

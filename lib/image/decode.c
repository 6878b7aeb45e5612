#include "image/decode.h"

#include <errno.h>
#include <isa-l/igzip_lib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "core/dynlib.h"
#include "core/xalloc.h"

#define DECODE_INBUF (256u << 10)
/* zstd frames may ask for huge windows; 2^27 (128 MiB) is zstd's own
 * default ceiling and bounds our memory. */
#define ZSTD_WINDOW_LOG_MAX 27

struct brig_decoder {
	struct brig_reader *in;
	enum brig_compression kind;
	unsigned char *inbuf;
	size_t in_len;
	size_t in_off;
	bool in_eof;
	bool frame_open; /* inside a gzip member / zstd frame */
	struct inflate_state gz;
	ZSTD_DStream *zs;
};

static int refill(struct brig_decoder *d, struct brig_error *err)
{
	ssize_t k;

	if (d->in_off < d->in_len || d->in_eof)
		return 0;
	k = d->in->read(d->in->ctx, d->inbuf, DECODE_INBUF, err);
	if (k < 0)
		return -1;
	d->in_off = 0;
	d->in_len = (size_t)k;
	if (k == 0)
		d->in_eof = true;
	return 0;
}

static ssize_t read_plain(struct brig_decoder *d, void *buf, size_t n, struct brig_error *err)
{
	size_t left = d->in_len - d->in_off;

	if (left) {
		if (n > left)
			n = left;
		memcpy(buf, d->inbuf + d->in_off, n);
		d->in_off += n;
		return (ssize_t)n;
	}
	return d->in->read(d->in->ctx, buf, n, err);
}

static void gzip_member_start(struct brig_decoder *d)
{
	isal_inflate_init(&d->gz);
	d->gz.crc_flag = ISAL_GZIP;
	d->frame_open = true;
}

static ssize_t read_gzip(struct brig_decoder *d, void *buf, size_t n, struct brig_error *err)
{
	if (n > UINT32_MAX)
		n = UINT32_MAX;
	for (;;) {
		int rc;
		size_t produced;

		if (refill(d, err) < 0)
			return -1;
		if (d->in_off == d->in_len && d->in_eof) {
			if (d->frame_open)
				return brig_error_set(err, EIO, "gzip stream is truncated");
			return 0;
		}
		if (!d->frame_open)
			gzip_member_start(d); /* concatenated gzip members */
		d->gz.next_in = d->inbuf + d->in_off;
		d->gz.avail_in = (uint32_t)(d->in_len - d->in_off);
		d->gz.next_out = buf;
		d->gz.avail_out = (uint32_t)n;
		rc = isal_inflate(&d->gz);
		d->in_off = d->in_len - d->gz.avail_in;
		if (rc == ISAL_INCORRECT_CHECKSUM)
			return brig_error_set(err, EIO, "gzip checksum mismatch (corrupt data)");
		if (rc < 0)
			return brig_error_set(err, EIO, "invalid gzip data (isa-l error %d)", rc);
		if (d->gz.block_state == ISAL_BLOCK_FINISH)
			d->frame_open = false;
		produced = n - d->gz.avail_out;
		if (produced)
			return (ssize_t)produced;
	}
}

static ssize_t read_zstd(struct brig_decoder *d, void *buf, size_t n, struct brig_error *err)
{
	for (;;) {
		ZSTD_inBuffer ib;
		ZSTD_outBuffer ob = {buf, n, 0};
		size_t rc;

		if (refill(d, err) < 0)
			return -1;
		if (d->in_off == d->in_len && d->in_eof) {
			if (d->frame_open)
				return brig_error_set(err, EIO, "zstd stream is truncated");
			return 0;
		}
		ib.src = d->inbuf;
		ib.size = d->in_len;
		ib.pos = d->in_off;
		rc = ZSTD_decompressStream(d->zs, &ob, &ib);
		d->in_off = ib.pos;
		if (ZSTD_isError(rc))
			return brig_error_set(err, EIO, "invalid zstd data: %s", ZSTD_getErrorName(rc));
		d->frame_open = rc != 0;
		if (ob.pos)
			return (ssize_t)ob.pos;
	}
}

static ssize_t decoder_read(void *ctx, void *buf, size_t n, struct brig_error *err)
{
	struct brig_decoder *d = ctx;

	switch (d->kind) {
	case BRIG_COMP_GZIP:
		return read_gzip(d, buf, n, err);
	case BRIG_COMP_ZSTD:
		return read_zstd(d, buf, n, err);
	case BRIG_COMP_NONE:
		break;
	}
	return read_plain(d, buf, n, err);
}

static int sniff(struct brig_decoder *d, struct brig_error *err)
{
	static const unsigned char zstd_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};

	/* A magic number can straddle the first short read of a pipe. */
	while (d->in_len < 4 && !d->in_eof) {
		ssize_t k = d->in->read(d->in->ctx, d->inbuf + d->in_len, DECODE_INBUF - d->in_len, err);

		if (k < 0)
			return -1;
		if (k == 0)
			d->in_eof = true;
		d->in_len += (size_t)k;
	}
	/* the decompressors are loaded when a layer needs them (core/dynlib.h) */
	if (d->in_len >= 2 && d->inbuf[0] == 0x1f && d->inbuf[1] == 0x8b) {
		if (brig_libisal_load(err) < 0)
			return -1;
		d->kind = BRIG_COMP_GZIP;
	} else if (d->in_len >= 4 && memcmp(d->inbuf, zstd_magic, 4) == 0) {
		if (brig_libzstd_load(err) < 0)
			return -1;
		d->kind = BRIG_COMP_ZSTD;
		d->zs = ZSTD_createDStream();
		if (!d->zs)
			return brig_error_set(err, ENOMEM, "cannot create zstd stream");
		ZSTD_DCtx_setParameter(d->zs, ZSTD_d_windowLogMax, ZSTD_WINDOW_LOG_MAX);
	} else {
		d->kind = BRIG_COMP_NONE;
	}
	return 0;
}

int brig_decoder_open(struct brig_reader *in, struct brig_decoder **dec, struct brig_reader *out,
		      struct brig_error *err)
{
	struct brig_decoder *d = brig_xcalloc(1, sizeof(*d));

	d->in = in;
	d->inbuf = brig_xmalloc(DECODE_INBUF);
	if (sniff(d, err) < 0) {
		brig_decoder_free(d);
		return -1;
	}
	out->read = decoder_read;
	out->ctx = d;
	*dec = d;
	return 0;
}

enum brig_compression brig_decoder_kind(const struct brig_decoder *dec)
{
	return dec->kind;
}

const char *brig_compression_name(enum brig_compression c)
{
	switch (c) {
	case BRIG_COMP_GZIP:
		return "gzip";
	case BRIG_COMP_ZSTD:
		return "zstd";
	case BRIG_COMP_NONE:
		break;
	}
	return "none";
}

void brig_decoder_free(struct brig_decoder *dec)
{
	if (!dec)
		return;
	if (dec->zs)
		ZSTD_freeDStream(dec->zs);
	free(dec->inbuf);
	free(dec);
}

/* A streaming JSON writer: values go straight into a 64 KiB buffer over a
 * FILE, so a report costs a few instructions per output byte instead of a
 * jansson tree to build, dump and free. The bytes are exactly what
 * json_dump_callback gives with JSON_INDENT(2) | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(15) (the flags of brig_rpt_dump), so a writer can
 * move from a tree to this one without its output changing.
 *
 * The caller is trusted with the shape (keys only inside objects, each
 * key followed by one value, every container closed): this writes
 * brig's own reports, not arbitrary input. Write errors are sticky and
 * reported once, by brig_jw_finish, as fwrite/ferror report them. */
#ifndef BRIG_REPORT_JSONW_H
#define BRIG_REPORT_JSONW_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

struct brig_jw;

/* Never NULL: aborts when out of memory, as brig_xmalloc does. */
struct brig_jw *brig_jw_new(FILE *out);
void brig_jw_free(struct brig_jw *w);

/* Ends the document with a newline, flushes w and out, and checks out:
 * -1 with "writing the report" when any write failed. w stays to free. */
int brig_jw_finish(struct brig_jw *w, struct brig_error *err);

void brig_jw_begin_object(struct brig_jw *w);
void brig_jw_end_object(struct brig_jw *w);
void brig_jw_begin_array(struct brig_jw *w);
void brig_jw_end_array(struct brig_jw *w);
/* The next value written is this key's. */
void brig_jw_key(struct brig_jw *w, const char *key);

/* A key known when brig is built, already quoted: BRIG_JW_KEY("Name")
 * is the text "\"Name\": ", written with one copy. The literal must need
 * no escaping (printable ASCII, no '"' or '\\'). Only BRIG_JW_KEY makes
 * these: text must be followed by BRIG_JW_KEY_BLOCK readable bytes. */
struct brig_jw_qkey {
	const char *text;
	size_t len;
};
#define BRIG_JW_KEY(lit)                                                                      \
	((struct brig_jw_qkey){"\"" lit "\": " BRIG_JW_KEY_PAD, sizeof(lit) + 3})
/* Zero bytes after the key text: a short key is copied as one fixed-size
 * block (brig_jw_qkey) without reading past the literal. */
#define BRIG_JW_KEY_PAD "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
#define BRIG_JW_KEY_BLOCK 32
void brig_jw_qkey(struct brig_jw *w, struct brig_jw_qkey key);

/* NULL is written as "". Invalid UTF-8 cannot go out as it is: each byte
 * that starts no valid sequence becomes U+FFFD, the result
 * brig_rpt_utf8_repair(s, "\xef\xbf\xbd") gives. */
void brig_jw_string(struct brig_jw *w, const char *s);
void brig_jw_integer(struct brig_jw *w, long long v);
/* 15 significant digits ("%.15g", ".0" added to integral values, no '+'
 * or leading zeros in the exponent), as jansson prints them. v must be
 * finite: jansson has no value for NaN or infinity either. */
void brig_jw_real(struct brig_jw *w, double v);
void brig_jw_bool(struct brig_jw *w, bool v);
void brig_jw_null(struct brig_jw *w);
/* A jansson value written through w: objects in their stored order (what
 * JSON_PRESERVE_ORDER dumps), j not circular. NULL is written as null. */
void brig_jw_json(struct brig_jw *w, const json_t *j);

static inline void brig_jw_freep(struct brig_jw **w)
{
	brig_jw_free(*w);
}
#define _cleanup_jw_ __attribute__((cleanup(brig_jw_freep)))

#endif

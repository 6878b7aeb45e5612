/* Runs a reader in a second thread, a few bounded chunks ahead, so that
 * decompression (producer) and hashing + tar parsing (consumer) overlap on
 * two cores. Memory: BRIG_PREFETCH_SLOTS x BRIG_PREFETCH_CHUNK. */
#ifndef BRIG_CORE_PREFETCH_H
#define BRIG_CORE_PREFETCH_H

#include "core/error.h"
#include "core/reader.h"

#define BRIG_PREFETCH_SLOTS 4
#define BRIG_PREFETCH_CHUNK (1u << 20)

struct brig_prefetch;

/* The source reader is used only by the prefetch thread until
 * brig_prefetch_close() returns. */
int brig_prefetch_open(struct brig_reader *src, struct brig_prefetch **pf, struct brig_reader *out,
		       struct brig_error *err);
/* Stops the thread (if still running) and frees everything. */
void brig_prefetch_close(struct brig_prefetch *pf);

#endif

/* A pull stream of bytes: files, HTTP bodies, tar members and inflaters all
 * look like this, so a layer is read once whatever its source. */
#ifndef BRIG_CORE_READER_H
#define BRIG_CORE_READER_H

#include <stddef.h>
#include <sys/types.h>

#include "core/error.h"

struct brig_reader {
	/* Returns bytes read (0 at end) or -1 with err set. */
	ssize_t (*read)(void *ctx, void *buf, size_t n, struct brig_error *err);
	void *ctx;
};

/* Reads until n bytes or end; returns bytes read or -1. */
ssize_t brig_reader_read_full(struct brig_reader *r, void *buf, size_t n, struct brig_error *err);

/* A reader over a file descriptor, limited to `limit` bytes from the current
 * position (limit = SIZE_MAX for no limit). */
struct brig_fd_reader {
	int fd;
	unsigned long long remaining;
};
void brig_fd_reader_init(struct brig_fd_reader *fr, struct brig_reader *r, int fd,
			 unsigned long long limit);

/* A reader over memory. */
struct brig_mem_reader {
	const unsigned char *data;
	size_t len;
	size_t off;
};
void brig_mem_reader_init(struct brig_mem_reader *mr, struct brig_reader *r, const void *data,
			  size_t len);

#endif

/* libarchive over a brig_reader: tar entries from any pull stream, with the
 * stream's own error (not libarchive's guess) reported when it fails. */
#ifndef BRIG_IMAGE_TARSTREAM_H
#define BRIG_IMAGE_TARSTREAM_H

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>

#include "core/error.h"
#include "core/reader.h"

struct brig_tar {
	struct archive *a;
	struct brig_reader *src;
	unsigned char *chunk;
	struct brig_error src_err;
	bool src_failed;
	unsigned long long entries;
};

int brig_tar_open(struct brig_tar *t, struct brig_reader *src, struct brig_error *err);
/* 1 with *e set, 0 at the end of the archive, -1 on error */
int brig_tar_next(struct brig_tar *t, struct archive_entry **e, struct brig_error *err);
/* Reads the current entry's data: bytes read, 0 at its end, -1 on error. */
ssize_t brig_tar_read_data(struct brig_tar *t, void *buf, size_t n, struct brig_error *err);
/* A reader over the current entry's data. */
void brig_tar_entry_reader(struct brig_tar *t, struct brig_reader *r);
void brig_tar_close(struct brig_tar *t);

#endif

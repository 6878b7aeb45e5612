#include "core/reader.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

ssize_t brig_reader_read_full(struct brig_reader *r, void *buf, size_t n, struct brig_error *err)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = r->read(r->ctx, (char *)buf + got, n - got, err);

		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

static ssize_t fd_read(void *ctx, void *buf, size_t n, struct brig_error *err)
{
	struct brig_fd_reader *fr = ctx;
	ssize_t k;

	if (fr->remaining == 0)
		return 0;
	if (n > fr->remaining)
		n = (size_t)fr->remaining;
	do
		k = read(fr->fd, buf, n);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return brig_error_errno(err, errno, "read");
	fr->remaining -= (unsigned long long)k;
	return k;
}

void brig_fd_reader_init(struct brig_fd_reader *fr, struct brig_reader *r, int fd,
			 unsigned long long limit)
{
	fr->fd = fd;
	fr->remaining = limit;
	r->read = fd_read;
	r->ctx = fr;
}

static ssize_t mem_read(void *ctx, void *buf, size_t n, struct brig_error *err)
{
	struct brig_mem_reader *mr = ctx;
	size_t left = mr->len - mr->off;

	(void)err;
	if (n > left)
		n = left;
	memcpy(buf, mr->data + mr->off, n);
	mr->off += n;
	return (ssize_t)n;
}

void brig_mem_reader_init(struct brig_mem_reader *mr, struct brig_reader *r, const void *data,
			  size_t len)
{
	mr->data = data;
	mr->len = len;
	mr->off = 0;
	r->read = mem_read;
	r->ctx = mr;
}

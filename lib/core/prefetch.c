#include "core/prefetch.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct slot {
	unsigned char *data;
	size_t len;
};

struct brig_prefetch {
	struct brig_reader *src;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct slot slots[BRIG_PREFETCH_SLOTS];
	size_t head;  /* next slot the consumer reads */
	size_t count; /* filled slots */
	size_t off;   /* consumer offset in slots[head] */
	bool eof;     /* producer reached the end */
	bool failed;  /* producer error in err */
	bool stop;    /* consumer is gone */
	struct brig_error err;
};

static void *produce(void *arg)
{
	struct brig_prefetch *pf = arg;
	size_t tail = 0;

	for (;;) {
		struct slot *s;
		struct brig_error err = {0};
		ssize_t k;

		pthread_mutex_lock(&pf->lock);
		while (pf->count == BRIG_PREFETCH_SLOTS && !pf->stop)
			pthread_cond_wait(&pf->changed, &pf->lock);
		if (pf->stop) {
			pthread_mutex_unlock(&pf->lock);
			return NULL;
		}
		pthread_mutex_unlock(&pf->lock);
		/* the slot at tail is free and only this thread touches it now */
		s = &pf->slots[tail];
		k = brig_reader_read_full(pf->src, s->data, BRIG_PREFETCH_CHUNK, &err);
		pthread_mutex_lock(&pf->lock);
		if (k < 0) {
			pf->err = err;
			pf->failed = true;
		} else if (k == 0) {
			pf->eof = true;
		} else {
			s->len = (size_t)k;
			pf->count++;
			tail = (tail + 1) % BRIG_PREFETCH_SLOTS;
			if ((size_t)k < BRIG_PREFETCH_CHUNK)
				pf->eof = true;
		}
		pthread_cond_broadcast(&pf->changed);
		if (pf->failed || pf->eof) {
			pthread_mutex_unlock(&pf->lock);
			return NULL;
		}
		pthread_mutex_unlock(&pf->lock);
	}
}

static ssize_t consume(void *ctx, void *buf, size_t n, struct brig_error *err)
{
	struct brig_prefetch *pf = ctx;
	struct slot *s;
	size_t k;

	pthread_mutex_lock(&pf->lock);
	while (pf->count == 0 && !pf->eof && !pf->failed)
		pthread_cond_wait(&pf->changed, &pf->lock);
	if (pf->count == 0) {
		ssize_t rc = 0;

		if (pf->failed)
			rc = brig_error_set(err, pf->err.code, "%s", pf->err.msg);
		pthread_mutex_unlock(&pf->lock);
		return rc;
	}
	s = &pf->slots[pf->head];
	pthread_mutex_unlock(&pf->lock);
	/* the head slot is full and only this thread touches it now */
	k = s->len - pf->off < n ? s->len - pf->off : n;
	memcpy(buf, s->data + pf->off, k);
	pf->off += k;
	if (pf->off == s->len) {
		pthread_mutex_lock(&pf->lock);
		pf->off = 0;
		pf->head = (pf->head + 1) % BRIG_PREFETCH_SLOTS;
		pf->count--;
		pthread_cond_broadcast(&pf->changed);
		pthread_mutex_unlock(&pf->lock);
	}
	return (ssize_t)k;
}

int brig_prefetch_open(struct brig_reader *src, struct brig_prefetch **out_pf,
		       struct brig_reader *out, struct brig_error *err)
{
	struct brig_prefetch *pf = brig_xcalloc(1, sizeof(*pf));
	int rc;

	pf->src = src;
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->changed, NULL);
	for (size_t i = 0; i < BRIG_PREFETCH_SLOTS; i++)
		pf->slots[i].data = brig_xmalloc(BRIG_PREFETCH_CHUNK);
	rc = pthread_create(&pf->thread, NULL, produce, pf);
	if (rc != 0) {
		for (size_t i = 0; i < BRIG_PREFETCH_SLOTS; i++)
			free(pf->slots[i].data);
		pthread_mutex_destroy(&pf->lock);
		pthread_cond_destroy(&pf->changed);
		free(pf);
		return brig_error_errno(err, rc, "cannot start the prefetch thread");
	}
	out->read = consume;
	out->ctx = pf;
	*out_pf = pf;
	return 0;
}

void brig_prefetch_close(struct brig_prefetch *pf)
{
	if (!pf)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->stop = true;
	pthread_cond_broadcast(&pf->changed);
	pthread_mutex_unlock(&pf->lock);
	pthread_join(pf->thread, NULL);
	for (size_t i = 0; i < BRIG_PREFETCH_SLOTS; i++)
		free(pf->slots[i].data);
	pthread_mutex_destroy(&pf->lock);
	pthread_cond_destroy(&pf->changed);
	free(pf);
}

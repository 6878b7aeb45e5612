/* Walking import paths: files, directories, zip archives. A reader thread
 * reads, inflates and parses each document (jansson and zlib were half of
 * the import time) and hands the trees over a bounded queue to the calling
 * thread, which validates and writes them: SQLite stays on one thread, the
 * order of documents is the walk's order, and memory stays bounded. When
 * the queue runs short the reader hands text over unparsed and the calling
 * thread parses it, so neither thread waits for the other; processed items
 * go back to the reader to be freed (see struct queue). */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/dynlib.h"
#include "core/limits.h"
#include "core/path.h"
#include "core/xalloc.h"
#include "vulndb/internal.h"

/* Queue bounds: items, and bytes of source text behind them. */
#define QUEUE_ITEMS 256u
#define QUEUE_BYTES (64u << 20)
/* Below this many queued documents the reader hands text over unparsed:
 * the consumer would otherwise run dry and wait. */
#define SHARE_BELOW 4

enum item_kind {
	ITEM_DOC,	/* doc, or load_error */
	ITEM_TEXT,	/* text still to parse (the consumer had nothing to do) */
	ITEM_RAW,	/* mmap'ed text too large for one tree */
	ITEM_PATH_END,	/* all documents of paths[path] were sent */
	ITEM_FATAL,	/* the walk itself failed: msg */
};

struct item {
	enum item_kind kind;
	char *name;
	json_t *doc;
	char *load_error; /* document-level: keep_going may skip it */
	char *text;	  /* ITEM_TEXT */
	void *map;
	size_t map_len;
	size_t bytes;
	size_t path;
};

struct queue {
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct item items[QUEUE_ITEMS];
	size_t head, n, bytes;
	/* Processed items go back to the reader, which frees them: glibc
	 * frees a block of another thread's arena under that arena's lock, and
	 * a free per tree node from the writer fought the reader's mallocs
	 * (a third of the import went to lock hand-offs on two cores). */
	struct item returned[QUEUE_ITEMS];
	size_t n_returned;
	bool stop; /* consumer gave up: the reader stops at its next push */
	bool done; /* reader finished */
	bool producer_waits;
	/* The consumer waits for work: the reader then hands over text
	 * unparsed, so that parsing, the larger half of the work, is shared
	 * between both threads instead of one waiting for the other. */
	atomic_bool idle;
};

struct reader {
	struct queue q;
	const char *const *paths;
	const char *const *locations;
	size_t n_paths;
	size_t ignored;
	bool short_queue; /* at the last push: the consumer is about to run dry */
};

static void item_free(struct item *it)
{
	free(it->name);
	json_decref(it->doc);
	free(it->load_error);
	free(it->text);
	if (it->map)
		munmap(it->map, it->map_len);
	memset(it, 0, sizeof(*it));
}

static void free_returned(struct item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		item_free(&items[i]);
}

/* false when the consumer stopped: the item is freed and the walk ends */
static bool push(struct reader *r, struct item *it)
{
	struct queue *q = &r->q;
	struct item returned[QUEUE_ITEMS];
	size_t n_returned;
	bool ok;

	pthread_mutex_lock(&q->mu);
	while (!q->stop && q->n > 0 && (q->n == QUEUE_ITEMS || q->bytes + it->bytes > QUEUE_BYTES)) {
		q->producer_waits = true;
		pthread_cond_wait(&q->room, &q->mu);
	}
	q->producer_waits = false;
	ok = !q->stop;
	if (ok) {
		q->items[(q->head + q->n) % QUEUE_ITEMS] = *it;
		q->n++;
		q->bytes += it->bytes;
		pthread_cond_signal(&q->more);
	}
	r->short_queue = q->n < SHARE_BELOW;
	n_returned = q->n_returned;
	memcpy(returned, q->returned, n_returned * sizeof(*returned));
	q->n_returned = 0;
	pthread_mutex_unlock(&q->mu);
	free_returned(returned, n_returned);
	if (!ok)
		item_free(it);
	memset(it, 0, sizeof(*it));
	return ok;
}

/* false at the end of the stream; done (when set) is the item processed
 * before, handed back to the reader to be freed */
static bool pop(struct queue *q, struct item *it, struct item *done)
{
	bool ok;

	pthread_mutex_lock(&q->mu);
	if (done) {
		if (q->n_returned < QUEUE_ITEMS)
			q->returned[q->n_returned++] = *done;
		else
			item_free(done); /* the reader is behind */
		memset(done, 0, sizeof(*done));
	}
	while (q->n == 0 && !q->done) {
		atomic_store_explicit(&q->idle, true, memory_order_relaxed);
		pthread_cond_wait(&q->more, &q->mu);
	}
	atomic_store_explicit(&q->idle, false, memory_order_relaxed);
	ok = q->n > 0;
	if (ok) {
		*it = q->items[q->head];
		q->head = (q->head + 1) % QUEUE_ITEMS;
		q->n--;
		q->bytes -= it->bytes;
		/* a blocked reader is woken once half the queue is free, not
		 * for every item: one hand-off per batch */
		if (q->producer_waits && q->n <= QUEUE_ITEMS / 2 && q->bytes <= QUEUE_BYTES / 2)
			pthread_cond_signal(&q->room);
	}
	pthread_mutex_unlock(&q->mu);
	return ok;
}

static bool push_fatal(struct reader *r, const struct brig_error *err)
{
	struct item it = {.kind = ITEM_FATAL, .load_error = brig_xstrdup(err->msg)};

	push(r, &it);
	return false;
}

/* Parses text into a document item (or one carrying the parse error). */
static void parse_item(struct item *it, const char *data, size_t len)
{
	json_error_t jerr;

	it->kind = ITEM_DOC;
	it->doc = json_loadb(data, len, 0, &jerr);
	if (!it->doc)
		it->load_error = brig_xasprintf("invalid JSON at line %d column %d: %s", jerr.line,
						jerr.column, jerr.text);
}

/* buf's text as a document: parsed here, or handed over as text when the
 * consumer is idle (it parses it then) */
static bool push_text(struct reader *r, char *name, struct brig_buf *buf, size_t path)
{
	struct item it = {.name = name, .bytes = buf->len, .path = path};

	if (r->short_queue || atomic_load_explicit(&r->q.idle, memory_order_relaxed)) {
		size_t len;

		it.kind = ITEM_TEXT;
		it.text = brig_buf_steal(buf, &len);
		if (!it.text)
			it.text = brig_xstrdup("");
	} else {
		parse_item(&it, buf->data ? buf->data : "", buf->len);
	}
	return push(r, &it);
}

static bool push_error(struct reader *r, char *name, const struct brig_error *err, size_t path)
{
	struct item it = {.kind = ITEM_DOC, .name = name, .path = path};

	it.load_error = brig_xstrdup(err->msg);
	return push(r, &it);
}

static bool is_zip_magic(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 'P' && p[1] == 'K' &&
	       ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6));
}

/* osv.dev's all.zip: flat <ID>.json entries, streamed one at a time */
static bool walk_zip(struct reader *r, const char *path, const char *label, size_t pi)
{
	struct archive *a;
	struct archive_entry *e;
	struct brig_error err = {0};
	struct brig_buf buf;
	size_t entries = 0;
	bool go = true, too_big;
	int rc = ARCHIVE_OK;

	if (brig_libarchive_load(&err) < 0)
		return push_fatal(r, &err);
	a = archive_read_new();
	archive_read_support_format_zip(a);
	brig_buf_init(&buf, BRIG_MAX_JSON_DOC);
	if (archive_read_open_filename(a, path, 1 << 16) != ARCHIVE_OK) {
		brig_error_set(&err, EINVAL, "%s: cannot read zip: %s", label, archive_error_string(a));
		archive_read_free(a);
		return push_fatal(r, &err);
	}
	while (go && ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN)) {
		const char *ename = archive_entry_pathname(e);
		char *name;

		if (++entries > VDB_MAX_ZIP_ENTRIES) {
			brig_error_set(&err, EFBIG, "%s: more than %u zip entries", label,
				       VDB_MAX_ZIP_ENTRIES);
			go = push_fatal(r, &err);
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (!ename || !brig_str_has_suffix(ename, ".json")) {
			r->ignored++;
			continue;
		}
		name = brig_xasprintf("%s:%s", label, ename);
		if (archive_entry_size_is_set(e) &&
		    archive_entry_size(e) > (la_int64_t)BRIG_MAX_JSON_DOC) {
			brig_error_set(&err, EFBIG, "entry larger than %u bytes", BRIG_MAX_JSON_DOC);
			go = push_error(r, name, &err, pi);
			continue;
		}
		brig_buf_reset(&buf);
		too_big = false;
		for (;;) {
			char chunk[65536];
			la_ssize_t n = archive_read_data(a, chunk, sizeof(chunk));

			if (n == 0)
				break;
			if (n < 0) {
				/* the archive itself is broken: not one document's fault */
				brig_error_set(&err, EINVAL, "%s: %s", name, archive_error_string(a));
				free(name);
				archive_read_free(a);
				brig_buf_free(&buf);
				return push_fatal(r, &err);
			}
			if (brig_buf_append(&buf, chunk, (size_t)n, &err) < 0) {
				/* the header lied about the size (or had none) */
				too_big = true;
				break;
			}
		}
		if (too_big) {
			go = push_error(r, name, &err, pi);
			brig_error_clear(&err);
			continue; /* next_header skips the rest of the entry */
		}
		go = push_text(r, name, &buf, pi);
	}
	if (go && rc != ARCHIVE_EOF && rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
		brig_error_set(&err, EINVAL, "%s: corrupt zip: %s", label, archive_error_string(a));
		go = push_fatal(r, &err);
	}
	archive_read_free(a);
	brig_buf_free(&buf);
	return go;
}

static bool walk_file(struct reader *r, const char *path, const char *label, bool explicit_arg,
		      size_t pi)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct brig_error err = {0};
	unsigned char magic[4];
	struct stat st;
	ssize_t n;

	if (fd < 0) {
		brig_error_errno(&err, errno, "cannot open %s", label);
		return push_fatal(r, &err);
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		brig_error_set(&err, EINVAL, "%s is not a regular file", label);
		return push_fatal(r, &err);
	}
	n = pread(fd, magic, sizeof(magic), 0);
	if (n < 0) {
		brig_error_errno(&err, errno, "cannot read %s", label);
		return push_fatal(r, &err);
	}
	if (is_zip_magic(magic, (size_t)n))
		return walk_zip(r, path, label, pi);
	if (!explicit_arg && !brig_str_has_suffix(path, ".json")) {
		r->ignored++;
		return true;
	}
	if ((unsigned long long)st.st_size > BRIG_VULNDB_MAX_FEED_FILE) {
		brig_error_set(&err, EFBIG, "larger than %llu bytes", BRIG_VULNDB_MAX_FEED_FILE);
		return push_error(r, brig_xstrdup(label), &err, pi);
	}
	if ((size_t)st.st_size > BRIG_MAX_JSON_DOC) {
		/* a bulk feed: mapped, and read one member at a time downstream */
		struct item it = {.kind = ITEM_RAW, .name = brig_xstrdup(label), .path = pi};

		it.map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (it.map == MAP_FAILED) {
			free(it.name);
			brig_error_errno(&err, errno, "cannot map %s", label);
			return push_fatal(r, &err);
		}
		it.map_len = (size_t)st.st_size;
		/* counted small: the mapping is not heap */
		it.bytes = 1;
		return push(r, &it);
	} else {
		struct brig_buf buf _cleanup_buf_;

		brig_buf_init(&buf, BRIG_MAX_JSON_DOC);
		for (;;) {
			char chunk[65536];
			ssize_t k = read(fd, chunk, sizeof(chunk));

			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				brig_error_errno(&err, errno, "cannot read %s", label);
				return push_fatal(r, &err);
			}
			if (k == 0)
				break;
			if (brig_buf_append(&buf, chunk, (size_t)k, &err) < 0)
				return push_error(r, brig_xstrdup(label), &err, pi);
		}
		return push_text(r, brig_xstrdup(label), &buf, pi);
	}
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Depth-first, in byte order of names so that imports are reproducible;
 * symlinked directories are not followed (no loops). */
static bool walk_dir(struct reader *r, const char *dir, unsigned depth, size_t pi)
{
	struct brig_error err = {0};
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	bool go = true;

	if (depth > BRIG_MAX_PATH_DEPTH) {
		brig_error_set(&err, ELOOP, "%s: directories nested deeper than %u", dir,
			       BRIG_MAX_PATH_DEPTH);
		return push_fatal(r, &err);
	}
	d = opendir(dir);
	if (!d) {
		brig_error_errno(&err, errno, "cannot open directory %s", dir);
		return push_fatal(r, &err);
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		BRIG_GROW(names, cap, n + 1);
		names[n++] = brig_xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n && go; i++) {
		_cleanup_free_ char *p = brig_xasprintf("%s/%s", dir, names[i]);
		struct stat st;

		if (lstat(p, &st) < 0) {
			brig_error_errno(&err, errno, "cannot stat %s", p);
			go = push_fatal(r, &err);
		} else if (S_ISDIR(st.st_mode)) {
			go = walk_dir(r, p, depth + 1, pi);
		} else if (brig_str_has_suffix(p, ".json") || brig_str_has_suffix(p, ".zip")) {
			if (S_ISLNK(st.st_mode) && (stat(p, &st) < 0 || !S_ISREG(st.st_mode)))
				r->ignored++;
			else
				go = walk_file(r, p, p, false, pi);
		} else {
			r->ignored++;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return go;
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct queue *q = &r->q;

	for (size_t i = 0; i < r->n_paths; i++) {
		const char *path = r->paths[i];
		/* documents of a URL feed are named by the URL, not the cache file */
		const char *label = strstr(r->locations[i], "://") ? r->locations[i] : path;
		struct brig_error err = {0};
		struct item end = {.kind = ITEM_PATH_END, .path = i};
		struct stat st;
		bool go;

		if (stat(path, &st) < 0) {
			brig_error_errno(&err, errno, "cannot import %s", label);
			go = push_fatal(r, &err);
		} else if (S_ISDIR(st.st_mode)) {
			go = walk_dir(r, path, 0, i);
		} else {
			go = walk_file(r, path, label, true, i);
		}
		if (!go || !push(r, &end))
			break;
	}
	pthread_mutex_lock(&q->mu);
	q->done = true;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

int vdb_import_run(struct vdb_import *imp, const char *const *paths,
		   const char *const *locations, size_t n, struct brig_error *err)
{
	struct reader *r = brig_xcalloc(1, sizeof(*r));
	struct item it, prev = {0};
	bool have_prev = false;
	pthread_t tid;
	int rc = 0, e;

	r->paths = paths;
	r->locations = locations;
	r->n_paths = n;
	pthread_mutex_init(&r->q.mu, NULL);
	pthread_cond_init(&r->q.more, NULL);
	pthread_cond_init(&r->q.room, NULL);
	/* jansson seeds its hash function once; do it before a second thread
	 * could race on it (jansson's documented requirement) */
	json_object_seed(0);
	vdb_path_begin(imp);
	e = pthread_create(&tid, NULL, reader_main, r);
	if (e != 0) {
		free(r);
		return brig_error_errno(err, e, "cannot start the import reader thread");
	}
	while (pop(&r->q, &it, have_prev ? &prev : NULL)) {
		bool parsed_here = it.kind == ITEM_TEXT;

		if (rc == 0) {
			if (parsed_here)
				parse_item(&it, it.text, it.bytes);
			switch (it.kind) {
			case ITEM_TEXT: /* parsed just above */
			case ITEM_DOC:
				rc = vdb_process_doc(imp, it.name, it.doc, NULL, 0, it.load_error,
						     BRIG_VULNDB_FORMAT_AUTO, err);
				break;
			case ITEM_RAW:
				rc = vdb_process_doc(imp, it.name, NULL, it.map, it.map_len, NULL,
						     BRIG_VULNDB_FORMAT_AUTO, err);
				break;
			case ITEM_PATH_END:
				rc = vdb_record_feed(imp, locations[it.path], err);
				vdb_path_begin(imp);
				break;
			case ITEM_FATAL:
				rc = brig_error_set(err, EINVAL, "%s", it.load_error);
				break;
			}
			if (rc < 0) {
				/* tell the reader to stop, then drain what it sent */
				pthread_mutex_lock(&r->q.mu);
				r->q.stop = true;
				pthread_cond_signal(&r->q.room);
				pthread_mutex_unlock(&r->q.mu);
			}
		}
		if (parsed_here) {
			/* this thread's tree: freed here; the rest goes back */
			json_decref(it.doc);
			it.doc = NULL;
		}
		prev = it;
		have_prev = true;
	}
	pthread_join(tid, NULL);
	/* what the reader did not collect before it ended */
	free_returned(r->q.returned, r->q.n_returned);
	vdb_import_ignored(imp, r->ignored);
	pthread_cond_destroy(&r->q.more);
	pthread_cond_destroy(&r->q.room);
	pthread_mutex_destroy(&r->q.mu);
	free(r);
	return rc;
}

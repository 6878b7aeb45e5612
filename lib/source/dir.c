#include "source/dir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/xalloc.h"

struct walk {
	const char *root;
	struct brig_layer_facts *facts;
	unsigned long long entries;
};

static int read_file(int dirfd, const char *name, const char *rel, struct brig_buf *out,
		     struct brig_error *err)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	char chunk[65536];
	struct stat st;

	if (fd < 0)
		return brig_error_errno(err, errno, "%s/%s", "", rel);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return brig_error_set(err, EINVAL, "/%s: not a regular file", rel);
	if ((unsigned long long)st.st_size > BRIG_MAX_ANALYZED_FILE)
		return brig_error_set(err, EFBIG, "/%s is %lld bytes, over the %u-byte limit for files "
					   "brig parses", rel, (long long)st.st_size, BRIG_MAX_ANALYZED_FILE);
	brig_buf_init(out, BRIG_MAX_ANALYZED_FILE);
	for (;;) {
		ssize_t k = read(fd, chunk, sizeof(chunk));

		if (k < 0)
			return brig_error_errno(err, errno, "/%s", rel);
		if (k == 0)
			return 0;
		if (brig_buf_append(out, chunk, (size_t)k, err) < 0)
			return brig_error_prefix(err, "/%s", rel);
	}
}

static int walk_dir(struct walk *w, int dirfd, const char *rel, unsigned depth,
		    struct brig_error *err);

static int visit(struct walk *w, int dirfd, const char *name, const char *rel, unsigned depth,
		 struct brig_error *err)
{
	struct stat st;

	if (++w->entries > BRIG_MAX_TAR_ENTRIES)
		return brig_error_set(err, E2BIG, "%s: more than %u entries", w->root, BRIG_MAX_TAR_ENTRIES);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		brig_warn("%s/%s: %s", w->root, rel, strerror(errno));
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		_cleanup_close_ int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (sub < 0) {
			brig_warn("%s/%s: %s", w->root, rel, strerror(errno));
			return 0;
		}
		return walk_dir(w, sub, rel, depth + 1, err);
	}
	if (!S_ISREG(st.st_mode) || !brig_collect_wanted(rel))
		return 0;
	{
		_cleanup_buf_ struct brig_buf data = {0};

		if (read_file(dirfd, name, rel, &data, err) < 0)
			return brig_error_prefix(err, "%s", w->root);
		brig_collect_file(w->facts, w->root, rel, data.data ? data.data : "", data.len);
	}
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(struct walk *w, int dirfd, const char *rel, unsigned depth,
		    struct brig_error *err)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	int fd;

	if (depth > BRIG_MAX_PATH_DEPTH)
		return brig_error_set(err, ELOOP, "%s/%s: deeper than %u directories", w->root, rel,
				      BRIG_MAX_PATH_DEPTH);
	fd = dup(dirfd);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return brig_error_errno(err, errno, "%s/%s", w->root, rel);
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		BRIG_GROW(names, cap, n + 1);
		names[n++] = brig_xstrdup(de->d_name);
	}
	closedir(d);
	/* sorted so that output and warnings do not depend on readdir order */
	if (n)
		qsort(names, n, sizeof(char *), name_cmp);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *child = rel[0] ? brig_xasprintf("%s/%s", rel, names[i])
						    : brig_xstrdup(names[i]);

		if (rc == 0 && strlen(child) <= BRIG_MAX_PATH)
			rc = visit(w, dirfd, names[i], child, depth, err);
		free(names[i]);
	}
	free(names);
	return rc;
}

int brig_dir_collect(const char *root, struct brig_layer_facts *facts, struct brig_error *err)
{
	struct walk w = {.root = root, .facts = facts};
	_cleanup_close_ int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return brig_error_errno(err, errno, "%s", root);
	if (walk_dir(&w, fd, "", 0, err) < 0)
		return -1;
	brig_facts_finish(facts);
	return 0;
}

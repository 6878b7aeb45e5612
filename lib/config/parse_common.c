#include "config/parse_common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cleanup.h"
#include "core/xalloc.h"

int brig_config_read_file(const char *path, size_t max, char **data, size_t *len,
			  struct brig_error *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t got = 0;

	*data = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return brig_error_errno(err, errno, "%s: cannot open", path);
	if (fstat(fd, &st) != 0)
		return brig_error_errno(err, errno, "%s: cannot stat", path);
	/* A FIFO or device could feed us forever; only regular files. */
	if (!S_ISREG(st.st_mode))
		return brig_error_set(err, EINVAL, "%s: not a regular file", path);
	if ((unsigned long long)st.st_size > max)
		return brig_error_set(err, EFBIG, "%s: %lld bytes exceeds the %zu-byte limit", path,
				      (long long)st.st_size, max);
	buf = brig_xmalloc((size_t)st.st_size + 1);
	/* The file may grow between fstat and read: never read past the size
	 * we allocated for. */
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return brig_error_errno(err, errno, "%s: read error", path);
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*data = steal_pointer(&buf);
	*len = got;
	return 0;
}

static uint64_t hash_name(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static struct brig_cfg_var *find_slot(struct brig_cfg_var *slots, size_t cap, const char *name,
				      size_t name_len)
{
	size_t i = (size_t)hash_name(name, name_len) & (cap - 1);

	/* The table is never more than half full, so this terminates. */
	for (;;) {
		struct brig_cfg_var *v = &slots[i];

		if (!v->name || (v->name_len == name_len && memcmp(v->name, name, name_len) == 0))
			return v;
		i = (i + 1) & (cap - 1);
	}
}

int brig_cfg_env_set(struct brig_cfg_env *e, const char *name, size_t name_len, const char *value,
		     size_t max)
{
	struct brig_cfg_var *v;

	if ((e->n + 1) * 2 > e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 16;
		struct brig_cfg_var *ns = brig_xcalloc(ncap, sizeof(*ns));

		for (size_t i = 0; i < e->cap; i++) {
			if (!e->slots[i].name)
				continue;
			*find_slot(ns, ncap, e->slots[i].name, e->slots[i].name_len) = e->slots[i];
		}
		free(e->slots);
		e->slots = ns;
		e->cap = ncap;
	}
	v = find_slot(e->slots, e->cap, name, name_len);
	if (v->name) {
		free(v->value);
		v->value = brig_xstrdup(value);
		return 0;
	}
	if (e->n >= max)
		return -1;
	v->name = brig_xstrndup(name, name_len);
	v->name_len = name_len;
	v->value = brig_xstrdup(value);
	e->n++;
	return 0;
}

const char *brig_cfg_env_get(const struct brig_cfg_env *e, const char *name, size_t name_len)
{
	struct brig_cfg_var *v;

	if (!e->cap)
		return NULL;
	v = find_slot(e->slots, e->cap, name, name_len);
	return v->name ? v->value : NULL;
}

void brig_cfg_env_free(struct brig_cfg_env *e)
{
	for (size_t i = 0; i < e->cap; i++) {
		free(e->slots[i].name);
		free(e->slots[i].value);
	}
	free(e->slots);
	e->slots = NULL;
	e->cap = e->n = 0;
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

const char *brig_cfg_find_ci(const char *hay, const char *needle)
{
	unsigned char first = ascii_lower((unsigned char)needle[0]);

	if (!first)
		return hay;
	for (; *hay; hay++) {
		size_t i = 1;

		if (ascii_lower((unsigned char)*hay) != first)
			continue;
		while (needle[i] && ascii_lower((unsigned char)hay[i]) ==
					    ascii_lower((unsigned char)needle[i]))
			i++;
		if (!needle[i])
			return hay;
	}
	return NULL;
}

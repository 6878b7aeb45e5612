#include "config/parse_common.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
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

static bool eq_ci_n(const unsigned char *a, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

/* Candidates are found eight bytes at a time: a byte c can start a match
 * only if c | 0x20 equals the needle's first byte | 0x20, which holds for
 * both cases of a letter (and for a few other bytes, checked in full). */
const char *brig_cfg_find_ci_n(const char *hay, const char *needle, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const unsigned char *p = (const unsigned char *)hay, *end;
	const unsigned char *nd = (const unsigned char *)needle;
	size_t len = strlen(hay);
	unsigned char first = ascii_lower(nd[0]);
	uint64_t pat = ones * (unsigned char)(nd[0] | 0x20);

	if (!n)
		return hay;
	if (len < n)
		return NULL;
	end = p + (len - n) + 1; /* one past the last possible start */
	while (p < end) {
		if (end - p >= 8) {
			uint64_t x;

			memcpy(&x, p, 8);
			x = (x | ones * 0x20) ^ pat;
			/* no zero byte in x: no candidate among these eight */
			if (!((x - ones) & ~x & ones * 0x80)) {
				p += 8;
				continue;
			}
		}
		for (const unsigned char *stop = end - p > 8 ? p + 8 : end; p < stop; p++)
			if (ascii_lower(*p) == first && eq_ci_n(p + 1, nd + 1, n - 1))
				return (const char *)p;
	}
	return NULL;
}

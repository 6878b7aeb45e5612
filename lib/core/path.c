#include "core/path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/xalloc.h"

int brig_path_normalize(const char *in, char **out, struct brig_error *err)
{
	size_t in_len = strlen(in), depth = 0;
	char *res = brig_xmalloc(in_len + 1);
	size_t r = 0;
	const char *p = in;

	*out = NULL;
	if (in_len > BRIG_MAX_PATH) {
		free(res);
		return brig_error_set(err, ENAMETOOLONG, "path longer than %u bytes", BRIG_MAX_PATH);
	}
	while (*p) {
		const char *end;
		size_t n;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 1 && p[0] == '.') {
			p += n;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			free(res);
			return brig_error_set(err, EINVAL, "path '%s' escapes the image root", in);
		}
		if (++depth > BRIG_MAX_PATH_DEPTH) {
			free(res);
			return brig_error_set(err, EINVAL, "path deeper than %u components", BRIG_MAX_PATH_DEPTH);
		}
		if (r)
			res[r++] = '/';
		memcpy(res + r, p, n);
		r += n;
		p += n;
	}
	res[r] = '\0';
	*out = res;
	return 0;
}

const char *brig_path_base(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

bool brig_path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

bool brig_str_has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

bool brig_str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

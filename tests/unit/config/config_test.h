/* Helpers for the lib/config tests: fixture paths and a directory walk.
 * Include after cmocka.h and testutil.h. */
#ifndef BRIG_TESTS_CONFIG_TEST_H
#define BRIG_TESTS_CONFIG_TEST_H

#include <dirent.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef CONFIG_FIXTURES
#error "CONFIG_FIXTURES must name tests/unit/config/fixtures"
#endif

static inline char *fixture_path(const char *rel)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", CONFIG_FIXTURES, rel) < 0)
		abort();
	return p;
}

typedef bool (*walk_pred)(const char *base);
typedef void (*walk_cb)(const char *path, void *ctx);

/* Calls cb for every regular file below dir whose base name pred accepts,
 * in sorted order (so failures are reproducible). */
static inline void walk_tree(const char *dir, walk_pred pred, walk_cb cb, void *ctx)
{
	struct dirent **ents = NULL;
	int n = scandir(dir, &ents, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *b = ents[i]->d_name;
		char *p = NULL;
		struct stat st;

		if (strcmp(b, ".") && strcmp(b, "..") && asprintf(&p, "%s/%s", dir, b) >= 0 &&
		    lstat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				walk_tree(p, pred, cb, ctx);
			else if (S_ISREG(st.st_mode) && pred(b))
				cb(p, ctx);
		}
		free(p);
		free(ents[i]);
	}
	free(ents);
}

static inline bool glob_any(const char *base, const char *const *globs)
{
	for (; *globs; globs++) {
		if (fnmatch(*globs, base, 0) == 0)
			return true;
	}
	return false;
}

#endif

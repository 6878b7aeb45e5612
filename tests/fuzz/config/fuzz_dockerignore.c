/* .dockerignore: the first line is a path to match, the rest the file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/dockerignore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - data) : size;
	struct brig_dockerignore *ig = NULL;
	struct brig_error err;
	char *path;

	if (brig_dockerignore_parse((const char *)data + (nl ? plen + 1 : 0), nl ? size - plen - 1 : 0,
				    "fuzz", &ig, &err))
		return 0;
	path = malloc(plen + 1);
	if (!path)
		abort();
	memcpy(path, data, plen);
	path[plen] = '\0';
	(void)brig_dockerignore_matches(ig, path);
	/* and every pattern against itself and the path's parents */
	for (size_t i = 0; i < ig->n_patterns; i++)
		(void)brig_dockerignore_matches(ig, ig->patterns[i].pattern);
	for (char *s = strrchr(path, '/'); s; s = strrchr(path, '/')) {
		*s = '\0';
		(void)brig_dockerignore_matches(ig, path);
	}
	free(path);
	brig_dockerignore_free(ig);
	return 0;
}

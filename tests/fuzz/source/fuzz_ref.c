/* Image reference parser: no crash on any input, and whatever parses
 * formats back to a string that parses to the same reference. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/ref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brig_image_ref a, b;
	struct brig_error err = {0};
	char *s = malloc(size + 1), *f;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	(void)brig_ref_tag_valid(s);
	(void)brig_ref_repository_valid(s);
	if (brig_image_ref_parse(s, &a, &err) == 0) {
		f = brig_image_ref_format(&a);
		if (brig_image_ref_parse(f, &b, &err) != 0)
			abort();
		if (!same(a.registry, b.registry) || !same(a.repository, b.repository) ||
		    !same(a.tag, b.tag) || !same(a.digest, b.digest))
			abort();
		if (!a.tag && !a.digest)
			abort();
		brig_image_ref_free(&b);
		brig_image_ref_free(&a);
		free(f);
	} else if (a.registry || a.repository || a.tag || a.digest || !err.msg[0]) {
		abort();
	}
	free(s);
	return 0;
}

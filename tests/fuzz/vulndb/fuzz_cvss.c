/* CVSS vector parsing: any string gives a score in [0, 10] or an error. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vulndb/vulndb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct brig_error err;
	double score;

	memcpy(s, data, size);
	s[size] = '\0';
	if (brig_cvss3_base_score(s, &score, &err) == 0) {
		if (!(score >= 0.0 && score <= 10.0))
			abort();
	} else if (score != -1 || !err.msg[0]) {
		abort();
	}
	if (brig_cvss2_base_score(s, &score, &err) == 0 && !(score >= 0.0 && score <= 10.0))
		abort();
	if (brig_cvss4_base_score(s, &score, &err) == 0 && !(score >= 0.0 && score <= 10.0))
		abort();
	free(s);
	return 0;
}

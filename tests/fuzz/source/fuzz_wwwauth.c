/* WWW-Authenticate challenge parser and token-reply parser: both read
 * what a hostile registry or token server sends. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/auth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brig_auth_challenge ch;
	struct brig_error err = {0};
	char *s = malloc(size + 1), *tok = NULL;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (brig_auth_parse_challenge(s, &ch, &err) == 0) {
		if (ch.scheme != BRIG_AUTH_BASIC && ch.scheme != BRIG_AUTH_BEARER)
			abort();
		/* values are copies, NUL-terminated, never longer than the input */
		if ((ch.realm && strlen(ch.realm) > size) || (ch.scope && strlen(ch.scope) > size))
			abort();
		brig_auth_challenge_free(&ch);
	} else if (ch.realm || ch.service || ch.scope || ch.error || !err.msg[0]) {
		abort();
	}
	if (brig_auth_parse_token_response((const char *)data, size, &tok, &err) == 0) {
		for (const char *p = tok; *p; p++)
			if (*p <= ' ' || *p >= 0x7f)
				abort();
		free(tok);
	} else if (tok) {
		abort();
	}
	free(s);
	return 0;
}

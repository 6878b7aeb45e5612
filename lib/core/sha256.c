#include "core/sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dynlib.h"

void brig_sha256_init(struct brig_sha256 *h)
{
	struct brig_error err;
	EVP_MD_CTX *ctx;

	/* libcrypto comes with brig's runtime dependencies: its absence is
	 * a broken install, not worth an error path in every caller */
	if (brig_libcrypto_load(&err) < 0) {
		fprintf(stderr, "brig: %s\n", err.msg);
		exit(BRIG_EXIT_ERROR);
	}
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		fputs("brig: cannot initialise sha256\n", stderr);
		abort();
	}
	h->ctx = ctx;
}

void brig_sha256_update(struct brig_sha256 *h, const void *data, size_t n)
{
	if (n)
		EVP_DigestUpdate(h->ctx, data, n);
}

void brig_sha256_final(struct brig_sha256 *h, char out[BRIG_DIGEST_STR_LEN])
{
	unsigned char md[32];
	unsigned int len = 0;
	static const char hex[] = "0123456789abcdef";

	EVP_DigestFinal_ex(h->ctx, md, &len);
	memcpy(out, "sha256:", 7);
	for (unsigned int i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[8 + 2 * i] = hex[md[i] & 15];
	}
	out[7 + 64] = '\0';
	brig_sha256_free(h);
}

void brig_sha256_free(struct brig_sha256 *h)
{
	if (h->ctx)
		EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

void brig_sha256_digest(const void *data, size_t n, char out[BRIG_DIGEST_STR_LEN])
{
	struct brig_sha256 h;

	brig_sha256_init(&h);
	brig_sha256_update(&h, data, n);
	brig_sha256_final(&h, out);
}

bool brig_digest_valid(const char *s)
{
	if (!s || strncmp(s, "sha256:", 7) != 0 || strlen(s) != 71)
		return false;
	for (const char *p = s + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

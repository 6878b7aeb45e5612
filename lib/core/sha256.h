#ifndef BRIG_CORE_SHA256_H
#define BRIG_CORE_SHA256_H

#include <stddef.h>

/* "sha256:" + 64 hex + NUL */
#define BRIG_DIGEST_STR_LEN (7 + 64 + 1)

struct brig_sha256 {
	void *ctx; /* EVP_MD_CTX */
};

void brig_sha256_init(struct brig_sha256 *h);
void brig_sha256_update(struct brig_sha256 *h, const void *data, size_t n);
/* Writes "sha256:<hex>" and frees the context. */
void brig_sha256_final(struct brig_sha256 *h, char out[BRIG_DIGEST_STR_LEN]);
void brig_sha256_free(struct brig_sha256 *h);
void brig_sha256_digest(const void *data, size_t n, char out[BRIG_DIGEST_STR_LEN]);

/* true when s is "sha256:" followed by exactly 64 lowercase hex digits */
#include <stdbool.h>
bool brig_digest_valid(const char *s);

#endif

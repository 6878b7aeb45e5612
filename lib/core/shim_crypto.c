/* libcrypto through dlopen (core/dynlib.h): the EVP functions behind
 * core/sha256.c, under their own names and the header's prototypes. */
#include <openssl/evp.h>

#include "core/dynlib.h"

#define CRYPTO_FUNCS(X)                                                        \
	X(EVP_MD_CTX_new)                                                      \
	X(EVP_MD_CTX_free)                                                     \
	X(EVP_sha256)                                                          \
	X(EVP_DigestInit_ex)                                                   \
	X(EVP_DigestUpdate)                                                    \
	X(EVP_DigestFinal_ex)

BRIG_DYNLIB_SHIM(CRYPTO_FUNCS, BRIG_LIBCRYPTO_SONAME, BRIG_LIBCRYPTO_PACKAGE, brig_libcrypto_load)
#define REAL BRIG_DYNLIB_REAL

EVP_MD_CTX *EVP_MD_CTX_new(void)
{
	return REAL(EVP_MD_CTX_new)();
}

void EVP_MD_CTX_free(EVP_MD_CTX *ctx)
{
	REAL(EVP_MD_CTX_free)(ctx);
}

const EVP_MD *EVP_sha256(void)
{
	return REAL(EVP_sha256)();
}

int EVP_DigestInit_ex(EVP_MD_CTX *ctx, const EVP_MD *type, ENGINE *impl)
{
	return REAL(EVP_DigestInit_ex)(ctx, type, impl);
}

int EVP_DigestUpdate(EVP_MD_CTX *ctx, const void *d, size_t cnt)
{
	return REAL(EVP_DigestUpdate)(ctx, d, cnt);
}

int EVP_DigestFinal_ex(EVP_MD_CTX *ctx, unsigned char *md, unsigned int *s)
{
	return REAL(EVP_DigestFinal_ex)(ctx, md, s);
}

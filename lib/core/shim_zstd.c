/* libzstd through dlopen (core/dynlib.h): the streaming decompressor behind
 * image/decode.c, under its own names and the header's prototypes. */
#include <zstd.h>

#include "core/dynlib.h"

#define ZSTD_FUNCS(X)                                                          \
	X(ZSTD_createDStream)                                                  \
	X(ZSTD_freeDStream)                                                    \
	X(ZSTD_DCtx_setParameter)                                              \
	X(ZSTD_decompressStream)                                               \
	X(ZSTD_isError)                                                        \
	X(ZSTD_getErrorName)

BRIG_DYNLIB_SHIM(ZSTD_FUNCS, BRIG_LIBZSTD_SONAME, BRIG_LIBZSTD_PACKAGE, brig_libzstd_load)
#define REAL BRIG_DYNLIB_REAL

ZSTD_DStream *ZSTD_createDStream(void)
{
	return REAL(ZSTD_createDStream)();
}

size_t ZSTD_freeDStream(ZSTD_DStream *zds)
{
	return REAL(ZSTD_freeDStream)(zds);
}

size_t ZSTD_DCtx_setParameter(ZSTD_DCtx *dctx, ZSTD_dParameter param, int value)
{
	return REAL(ZSTD_DCtx_setParameter)(dctx, param, value);
}

size_t ZSTD_decompressStream(ZSTD_DStream *zds, ZSTD_outBuffer *output, ZSTD_inBuffer *input)
{
	return REAL(ZSTD_decompressStream)(zds, output, input);
}

unsigned ZSTD_isError(size_t code)
{
	return REAL(ZSTD_isError)(code);
}

const char *ZSTD_getErrorName(size_t code)
{
	return REAL(ZSTD_getErrorName)(code);
}

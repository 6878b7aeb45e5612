/* ISA-L through dlopen (core/dynlib.h): the gzip inflater behind
 * image/decode.c, under its own names and the header's prototypes. */
#include <isa-l/igzip_lib.h>

#include "core/dynlib.h"

#define ISAL_FUNCS(X)                                                          \
	X(isal_inflate_init)                                                   \
	X(isal_inflate)

BRIG_DYNLIB_SHIM(ISAL_FUNCS, BRIG_LIBISAL_SONAME, BRIG_LIBISAL_PACKAGE, brig_libisal_load)
#define REAL BRIG_DYNLIB_REAL

void isal_inflate_init(struct inflate_state *state)
{
	REAL(isal_inflate_init)(state);
}

int isal_inflate(struct inflate_state *state)
{
	return REAL(isal_inflate)(state);
}

/* Scoped cleanup (after bubblewrap/crun utils.h). Needs gcc or clang:
 * __attribute__((cleanup)) is a GNU extension, and brig requires it. */
#ifndef BRIG_CORE_CLEANUP_H
#define BRIG_CORE_CLEANUP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static inline void brig_freep(void *p)
{
	free(*(void **)p);
}

static inline void brig_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void brig_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define _cleanup_free_ _cleanup_(brig_freep)
#define _cleanup_close_ _cleanup_(brig_closep)
#define _cleanup_fclose_ _cleanup_(brig_fclosep)

/* Hands ownership out of a cleanup-scoped variable. */
#define steal_pointer(pp)                                                      \
	({                                                                     \
		__typeof__(*(pp)) steal_tmp_ = *(pp);                          \
		*(pp) = NULL;                                                  \
		steal_tmp_;                                                    \
	})

#define steal_fd(fdp)                                                          \
	({                                                                     \
		int steal_fd_ = *(fdp);                                        \
		*(fdp) = -1;                                                   \
		steal_fd_;                                                     \
	})

#endif

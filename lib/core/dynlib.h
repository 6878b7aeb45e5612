/* libcurl, libarchive, libcrypto, SQLite, libzstd and ISA-L are opened
 * with dlopen on first use instead of being linked: mapping them and the
 * ~40 libraries they pull in made up most of the start-up time of `brig
 * config`, which needs none of them. The shim_*.c files define the
 * functions brig calls under the libraries' own names, forwarding to the
 * loaded ones, so call sites stay as they are. Entry points call
 * brig_lib*_load() first so that a missing library is an ordinary error; a
 * shim reached without it loads the library itself or exits 2 with the
 * same one-line message. */
#ifndef BRIG_CORE_DYNLIB_H
#define BRIG_CORE_DYNLIB_H

#include <stdatomic.h>
#include <stddef.h>

#include "core/error.h"

struct brig_dynsym {
	const char *name;
	void **slot; /* filled with dlsym(name) */
};

struct brig_dynlib {
	const char *soname;
	const char *package; /* install hint shown when loading fails */
	const struct brig_dynsym *syms;
	size_t n_syms;
	atomic_int state; /* private, like failure */
	char failure[BRIG_ERROR_MSG_MAX];
};

#define BRIG_DYNLIB_INIT(soname, package, syms)                                \
	{ (soname), (package), (syms), sizeof(syms) / sizeof((syms)[0]), 0, "" }

/* A shim file's table, from FUNCS (an X-macro list of the functions it
 * forwards): a slot per function, the library, and LOADER(err). In the
 * file, BRIG_DYNLIB_REAL(f) is the loaded f typed by the header's
 * prototype (loading the library first when no entry point did). */
#define BRIG_DYNLIB_SHIM(FUNCS, soname, package, LOADER)                       \
	FUNCS(BRIG_DYNLIB_SLOT_)                                               \
	static const struct brig_dynsym dynlib_syms_[] = {FUNCS(BRIG_DYNLIB_SYM_)}; \
	static struct brig_dynlib dynlib_ = BRIG_DYNLIB_INIT(soname, package, dynlib_syms_); \
	int LOADER(struct brig_error *err)                                     \
	{                                                                      \
		return brig_dynlib_load(&dynlib_, err);                        \
	}
#define BRIG_DYNLIB_SLOT_(f) static void *p_##f;
#define BRIG_DYNLIB_SYM_(f) {#f, &p_##f},
#define BRIG_DYNLIB_REAL(f) (brig_dynlib_need(&dynlib_), (__typeof__(&f))p_##f)

/* Opens the library once (RTLD_NOW | RTLD_LOCAL) and fills every slot.
 * Thread-safe; a failure is remembered and reported again, not retried. */
int brig_dynlib_load(struct brig_dynlib *lib, struct brig_error *err);

/* For the shims: brig_dynlib_load(), printing the error and exiting 2 when
 * it fails. */
__attribute__((cold)) void brig_dynlib_require(struct brig_dynlib *lib);

/* brig_dynlib_require() with the loaded case inline: SQLite's shims are
 * called millions of times by an import, and this makes each call one
 * acquire load (a plain load on x86) and a compare before the jump. */
#define BRIG_DYNLIB_READY 1
static inline void brig_dynlib_need(struct brig_dynlib *lib)
{
	if (atomic_load_explicit(&lib->state, memory_order_acquire) != BRIG_DYNLIB_READY)
		brig_dynlib_require(lib);
}

int brig_libcurl_load(struct brig_error *err);
int brig_libarchive_load(struct brig_error *err);
int brig_libcrypto_load(struct brig_error *err);
int brig_libsqlite_load(struct brig_error *err);
int brig_libzstd_load(struct brig_error *err);
int brig_libisal_load(struct brig_error *err);

#endif

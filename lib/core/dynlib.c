#include "core/dynlib.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { UNTRIED, READY = BRIG_DYNLIB_READY, FAILED };

/* One lock for all libraries: it is taken a few times per process, and it
 * keeps dlerror() paired with the call that failed. */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static void fail(struct brig_dynlib *lib, const char *why, const char *hint)
{
	size_t n = strlen(lib->soname);

	/* dlopen's message starts with the soname we already name */
	if (!why)
		why = "unknown error";
	else if (strncmp(why, lib->soname, n) == 0 && strncmp(why + n, ": ", 2) == 0)
		why += n + 2;
	snprintf(lib->failure, sizeof(lib->failure), "cannot load %s: %s (%s %s)", lib->soname, why,
		 hint, lib->package);
}

static int try_load(struct brig_dynlib *lib)
{
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		fail(lib, dlerror(), "install the package");
		return FAILED;
	}
	for (size_t i = 0; i < lib->n_syms; i++) {
		*lib->syms[i].slot = dlsym(h, lib->syms[i].name);
		if (!*lib->syms[i].slot) {
			fail(lib, dlerror(), "brig was built against a newer");
			dlclose(h);
			return FAILED;
		}
	}
	/* never closed: the slots point into it until exit */
	return READY;
}

int brig_dynlib_load(struct brig_dynlib *lib, struct brig_error *err)
{
	int state = atomic_load_explicit(&lib->state, memory_order_acquire);

	if (state == UNTRIED) {
		pthread_mutex_lock(&load_lock);
		state = atomic_load_explicit(&lib->state, memory_order_relaxed);
		if (state == UNTRIED) {
			state = try_load(lib);
			atomic_store_explicit(&lib->state, state, memory_order_release);
		}
		pthread_mutex_unlock(&load_lock);
	}
	if (state == READY)
		return 0;
	return brig_error_set(err, ELIBACC, "%s", lib->failure);
}

void brig_dynlib_require(struct brig_dynlib *lib)
{
	struct brig_error err;

	if (brig_dynlib_load(lib, &err) < 0) {
		fprintf(stderr, "brig: %s\n", err.msg);
		exit(BRIG_EXIT_ERROR);
	}
}

/* Images by reference: the engine socket and registries. */
#ifndef BRIG_SRC_REMOTE_H
#define BRIG_SRC_REMOTE_H

#include <stdbool.h>

#include "image/image.h"

struct remote_opts {
	const char *username;
	const char *password;
	const char *engine_host;
	bool insecure;
};

/* sources: "engine,registry" (NULL = that default) */
int remote_load(const char *ref, const char *sources, const struct remote_opts *o,
		const struct brig_platform *p, struct brig_layer_budget *budget,
		struct brig_image *img, struct brig_error *err);

#endif

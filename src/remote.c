#include "remote.h"

#include <errno.h>

int remote_load(const char *ref, const char *sources, const struct remote_opts *o,
		const struct brig_platform *p, struct brig_layer_budget *budget,
		struct brig_image *img, struct brig_error *err)
{
	(void)sources;
	(void)o;
	(void)p;
	(void)budget;
	(void)img;
	return brig_error_set(err, ENOSYS, "%s: engine and registry sources are not wired in yet", ref);
}

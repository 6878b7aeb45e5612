/* Image references as Docker writes them:
 *   [HOST[:PORT]/]REPO[:TAG][@sha256:DIGEST]
 * The first component is a host when it contains '.' or ':', is
 * "localhost", or has an uppercase letter; otherwise the registry is
 * docker.io and a one-component name gets "library/". */
#ifndef BRIG_SOURCE_REF_H
#define BRIG_SOURCE_REF_H

#include "core/error.h"

#define BRIG_DEFAULT_REGISTRY "docker.io"
#define BRIG_REF_MAX_NAME 255 /* registry/repository, as in distribution/reference */

struct brig_image_ref {
	char *registry;   /* "docker.io", "127.0.0.1:5000", "[::1]:5000" */
	char *repository; /* "library/alpine" */
	char *tag;        /* "latest" unless a digest alone was given: then NULL */
	char *digest;     /* "sha256:<64 hex>" or NULL */
};

/* Parses and normalizes (index.docker.io -> docker.io). On error *out is
 * left zeroed. */
int brig_image_ref_parse(const char *s, struct brig_image_ref *out, struct brig_error *err);
void brig_image_ref_free(struct brig_image_ref *r);
/* "registry/repository[:tag][@digest]" (malloc'ed); parses back to *r. */
char *brig_image_ref_format(const struct brig_image_ref *r);

/* Validators for the parts, used by registry.c on what callers pass. */
#include <stdbool.h>
bool brig_ref_tag_valid(const char *tag);
bool brig_ref_repository_valid(const char *repo);

static inline void brig_image_ref_freep(struct brig_image_ref *r)
{
	brig_image_ref_free(r);
}
#define _cleanup_image_ref_ __attribute__((cleanup(brig_image_ref_freep)))

#endif

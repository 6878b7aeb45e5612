/* Every bound brig places on hostile input, in one place (after curl's
 * dynbuf limits). Sizes are in bytes. */
#ifndef BRIG_CORE_LIMITS_H
#define BRIG_CORE_LIMITS_H

/* JSON documents: manifests, indexes, image configs, package.json. */
#define BRIG_MAX_JSON_DOC (16u << 20)
/* One file an analyzer reads whole (dpkg status, apk db, lockfiles). */
#define BRIG_MAX_ANALYZED_FILE (64u << 20)
/* Default cap on the total uncompressed size of an image (--max-image-size). */
#define BRIG_DEFAULT_MAX_IMAGE_SIZE (32ull << 30)
/* Uncompressed:compressed ratio past which a layer is called a bomb. */
#define BRIG_MAX_INFLATE_RATIO 1024ull
/* Layers in one image, entries in one layer. */
#define BRIG_MAX_LAYERS 1024u
#define BRIG_MAX_TAR_ENTRIES (4u << 20)
/* A path inside an image, and its depth. */
#define BRIG_MAX_PATH 4096u
#define BRIG_MAX_PATH_DEPTH 256u
/* Nesting of JSON/YAML structures we walk recursively. */
#define BRIG_MAX_NESTING 128u
/* Packages found in one file (a lockfile with more is hostile). */
#define BRIG_MAX_PACKAGES_PER_FILE 1000000u

#endif

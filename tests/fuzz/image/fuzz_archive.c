/* docker-archive / OCI archive on arbitrary bytes: outer tar, manifest.json,
 * index.json, nested indexes, config and layer verification. */
#include <stdint.h>
#include <string.h>

#include "core/reader.h"
#include "source/archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brig_mem_reader mr;
	struct brig_reader r;
	struct brig_layer_budget budget = {64u << 20, 64u << 20};
	struct brig_error err = {0};
	struct brig_platform p;
	struct brig_image img = {0};

	brig_platform_host(&p);
	brig_mem_reader_init(&mr, &r, data, size);
	brig_archive_load(&r, "fuzz", &p, NULL, &budget, &img, &err);
	brig_image_free(&img);
	return 0;
}

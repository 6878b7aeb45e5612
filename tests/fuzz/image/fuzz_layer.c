/* The layer stream on arbitrary bytes: decompression sniffing, gzip/zstd,
 * tar headers, whiteouts and the analyzers behind them. */
#include <stdint.h>
#include <string.h>

#include "core/reader.h"
#include "image/layer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brig_mem_reader mr;
	struct brig_reader r;
	struct brig_layer_budget budget = {64u << 20, 64u << 20};
	struct brig_error err = {0};
	struct brig_layer l;

	brig_mem_reader_init(&mr, &r, data, size);
	if (brig_layer_read(&r, "fuzz", 0, &budget, &l, &err) == 0)
		brig_layer_free(&l);
	return 0;
}

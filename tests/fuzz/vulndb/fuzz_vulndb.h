/* Shared by the vulndb fuzz targets: one in-memory database per process,
 * reopened now and then so that random ids cannot grow it without bound. */
#ifndef BRIG_FUZZ_VULNDB_H
#define BRIG_FUZZ_VULNDB_H

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "vulndb/vulndb.h"

static inline struct brig_vulndb *fuzz_db(void)
{
	static struct brig_vulndb *db;
	static unsigned runs;
	struct brig_error err;

	if (db && ++runs % 4096 == 0) {
		brig_vulndb_close(db);
		db = NULL;
	}
	if (!db) {
		brig_log_set_quiet(true);
		if (brig_vulndb_open(":memory:", true, &db, &err) < 0)
			abort();
	}
	return db;
}

static inline int fuzz_row(void *ctx, const struct brig_advisory_range *r)
{
	size_t *sum = ctx;

	/* touch everything the matcher would read */
	*sum += strlen(r->source) + strlen(r->id) + strlen(r->ecosystem) + strlen(r->package);
	for (size_t i = 0; i < r->n_events; i++)
		*sum += strlen(r->events[i].version) + (size_t)r->events[i].type;
	for (size_t i = 0; i < r->n_versions; i++)
		*sum += strlen(r->versions[i]);
	for (size_t i = 0; i < r->n_aliases; i++)
		*sum += strlen(r->aliases[i]);
	for (size_t i = 0; i < r->n_upstream; i++)
		*sum += strlen(r->upstream[i]);
	for (size_t i = 0; i < r->n_refs; i++)
		*sum += strlen(r->refs[i].url);
	if (r->fixed_version)
		*sum += strlen(r->fixed_version);
	if (r->cvss_v3.score > 10.0 || r->cvss_v2.score > 10.0)
		abort();
	return 0;
}

/* Looks up (ecosystem, name) pairs named in the input, when it is JSON. */
static inline void fuzz_lookup(struct brig_vulndb *db, const char *eco, const char *name)
{
	struct brig_error err;
	size_t sum = 0;

	if (eco && name)
		brig_vulndb_lookup(db, eco, name, fuzz_row, &sum, &err);
}

static inline void fuzz_info(struct brig_vulndb *db)
{
	struct brig_vulndb_info info;
	struct brig_error err;

	if (brig_vulndb_get_info(db, &info, &err) == 0)
		brig_vulndb_info_free(&info);
}

#endif

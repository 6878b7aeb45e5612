#include "scan/collect.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/path.h"
#include "core/xalloc.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

bool brig_collect_wanted(const char *path)
{
	size_t n;
	const struct brig_analyzer *const *all = brig_analyzers(&n);

	for (size_t i = 0; i < n; i++)
		if (all[i]->wants(path))
			return true;
	return false;
}

void brig_collect_file(struct brig_layer_facts *lf, const char *label, const char *path,
		       const char *data, size_t len)
{
	size_t n;
	const struct brig_analyzer *const *all = brig_analyzers(&n);

	for (size_t i = 0; i < n; i++) {
		struct brig_error err = {0};
		struct brig_file_fact fact = {0};

		if (!all[i]->wants(path))
			continue;
		fact.path = brig_xstrdup(path);
		fact.analyzer = all[i];
		if (all[i]->analyze(path, data, len, &fact, &err) < 0) {
			brig_warn("%s: /%s: skipped: %s", label, path, err.msg);
			brig_file_fact_free(&fact);
			continue;
		}
		BRIG_GROW(lf->files, lf->cap_files, lf->n_files + 1);
		lf->files[lf->n_files++] = fact;
	}
}

static void add_str(char ***arr, size_t *n, size_t *cap, const char *s, size_t len)
{
	BRIG_GROW(*arr, *cap, *n + 1);
	(*arr)[(*n)++] = brig_xstrndup(s, len);
}

bool brig_collect_whiteout(struct brig_layer_facts *lf, const char *path)
{
	const char *base = brig_path_base(path);
	size_t dir_len = (size_t)(base - path);

	if (strncmp(base, WH_PREFIX, strlen(WH_PREFIX)) != 0)
		return false;
	/* dir_len includes the trailing '/' when there is a directory */
	if (strcmp(base, WH_OPAQUE) == 0) {
		add_str(&lf->opaque, &lf->n_opaque, &lf->cap_opaque, path, dir_len ? dir_len - 1 : 0);
		return true;
	}
	{
		char *target = brig_xasprintf("%.*s%s", (int)dir_len, path, base + strlen(WH_PREFIX));

		BRIG_GROW(lf->removed, lf->cap_removed, lf->n_removed + 1);
		lf->removed[lf->n_removed++] = target;
	}
	return true;
}

void brig_collect_nonregular(struct brig_layer_facts *lf, const char *path)
{
	if (brig_collect_wanted(path))
		add_str(&lf->removed, &lf->n_removed, &lf->cap_removed, path, strlen(path));
}

struct fact_order {
	const struct brig_file_fact *fact;
	size_t seq; /* position in the tar: qsort is not stable */
};

static int order_cmp(const void *a, const void *b)
{
	const struct fact_order *x = a, *y = b;
	int c = strcmp(x->fact->path, y->fact->path);

	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void brig_facts_finish(struct brig_layer_facts *lf)
{
	struct fact_order *order;
	struct brig_file_fact *sorted;
	size_t out = 0;

	if (lf->n_files == 0)
		return;
	order = brig_xcalloc(lf->n_files, sizeof(*order));
	for (size_t i = 0; i < lf->n_files; i++) {
		order[i].fact = &lf->files[i];
		order[i].seq = i;
	}
	qsort(order, lf->n_files, sizeof(*order), order_cmp);
	sorted = brig_xcalloc(lf->n_files, sizeof(*sorted));
	/* A tar may hold the same path twice; the last one written wins.
	 * Facts of different analyzers on one path are rare (none today): keep
	 * only the last fact per path. */
	for (size_t i = 0; i < lf->n_files; i++) {
		struct brig_file_fact *f = (struct brig_file_fact *)order[i].fact;

		if (i + 1 < lf->n_files && strcmp(f->path, order[i + 1].fact->path) == 0) {
			brig_file_fact_free(f);
			continue;
		}
		sorted[out++] = *f;
	}
	free(order);
	free(lf->files);
	lf->files = sorted;
	lf->n_files = out;
	lf->cap_files = lf->n_files;
}

static int find_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct brig_file_fact *)elem)->path);
}

const struct brig_file_fact *brig_facts_find(const struct brig_layer_facts *lf, const char *path)
{
	if (!lf->n_files)
		return NULL;
	return bsearch(path, lf->files, lf->n_files, sizeof(*lf->files), find_cmp);
}

bool brig_facts_hides(const struct brig_layer_facts *lf, const char *path)
{
	for (size_t i = 0; i < lf->n_removed; i++)
		if (brig_path_under(path, lf->removed[i]))
			return true;
	for (size_t i = 0; i < lf->n_opaque; i++)
		if (strcmp(path, lf->opaque[i]) != 0 && brig_path_under(path, lf->opaque[i]))
			return true;
	return false;
}

void brig_layer_facts_free(struct brig_layer_facts *lf)
{
	for (size_t i = 0; i < lf->n_files; i++)
		brig_file_fact_free(&lf->files[i]);
	free(lf->files);
	for (size_t i = 0; i < lf->n_removed; i++)
		free(lf->removed[i]);
	free(lf->removed);
	for (size_t i = 0; i < lf->n_opaque; i++)
		free(lf->opaque[i]);
	free(lf->opaque);
	for (size_t i = 0; i < lf->n_symlinks; i++)
		free(lf->symlinks[i]);
	free(lf->symlinks);
	for (size_t i = 0; i < lf->n_orphans; i++)
		free(lf->orphans[i]);
	free(lf->orphans);
	memset(lf, 0, sizeof(*lf));
}

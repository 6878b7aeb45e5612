#include "image/view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/strset.h"
#include "core/xalloc.h"

/* A fact at a path survives when no upper layer rewrites or hides it. */
static bool survives(const struct brig_layer_facts *const *layers, size_t n, size_t i,
		     const char *path)
{
	for (size_t j = i + 1; j < n; j++)
		if (brig_facts_find(layers[j], path) || brig_facts_hides(layers[j], path))
			return false;
	return true;
}

static bool same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool fact_has(const struct brig_file_fact *f, const struct brig_package *p)
{
	for (size_t i = 0; i < f->pkgs.n; i++) {
		const struct brig_package *q = &f->pkgs.items[i];

		if (same_str(q->name, p->name) && same_str(q->version, p->version) &&
		    same_str(q->pkg_path, p->pkg_path))
			return true;
	}
	return false;
}

/* Walks down from the layer that holds the final file while the same file
 * keeps listing the package unchanged: the lowest such layer introduced
 * it. A layer that rewrites the file without the package, or hides it,
 * ends the walk. Rewrites that keep it (chown -R, a second apt-get) do not
 * move the package to the upper layer. */
static size_t introducing_layer(const struct brig_layer_facts *const *layers, size_t i,
				const char *path, const struct brig_package *p)
{
	size_t cand = i;

	for (size_t k = i; k-- > 0;) {
		const struct brig_file_fact *f;

		if (brig_facts_hides(layers[k + 1], path))
			break;
		f = brig_facts_find(layers[k], path);
		if (!f)
			continue;
		if (!fact_has(f, p))
			break;
		cand = k;
	}
	return cand;
}

static void add_packages(struct brig_inventory *inv, const struct brig_layer_facts *const *layers,
			 const char *const *diff_ids, size_t i, const struct brig_file_fact *f)
{
	for (size_t k = 0; k < f->pkgs.n; k++) {
		struct brig_package *p = brig_pkg_list_add(&inv->pkgs);

		brig_package_copy(p, &f->pkgs.items[k]);
		free(p->layer_diff_id);
		p->layer_diff_id = NULL;
		if (diff_ids) {
			size_t layer = introducing_layer(layers, i, f->path, p);

			p->layer_diff_id = brig_xstrdup(diff_ids[layer]);
		}
	}
}

void brig_view_build(const struct brig_layer_facts *const *layers, const char *const *diff_ids,
		     size_t n, struct brig_inventory *inv)
{
	const struct brig_file_fact **os_facts = NULL;
	size_t n_os = 0, cap_os = 0;

	memset(inv, 0, sizeof(*inv));
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < layers[i]->n_files; k++) {
			const struct brig_file_fact *f = &layers[i]->files[k];

			if (!survives(layers, n, i, f->path))
				continue;
			if (f->kind == BRIG_FACT_OS) {
				BRIG_GROW(os_facts, cap_os, n_os + 1);
				os_facts[n_os++] = f;
			} else {
				add_packages(inv, layers, diff_ids, i, f);
			}
		}
	}
	brig_os_detect(&inv->os, os_facts, n_os);
	free(os_facts);
	for (size_t i = 0; i < inv->pkgs.n; i++)
		brig_purl_fill(&inv->pkgs.items[i], &inv->os);
	brig_pkg_list_sort(&inv->pkgs);
}

void brig_inventory_free(struct brig_inventory *inv)
{
	brig_os_free(&inv->os);
	brig_pkg_list_free(&inv->pkgs);
}

static void drop_hidden(struct brig_strset *active, const struct brig_layer_facts *lf)
{
	for (size_t i = 0; i < active->cap; i++) {
		char *slot = active->slots[i];

		/* empty slots are NULL, deleted ones the empty string */
		if (slot && slot[0] && brig_facts_hides(lf, slot))
			brig_strset_del(active, slot, strlen(slot));
	}
}

static int check_orphan(const struct brig_strset *active, size_t layer, const char *path,
			struct brig_error *err)
{
	for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/'))
		if (brig_strset_has(active, path, (size_t)(p - path)))
			return brig_error_set(err, EINVAL, "layer %zu: tar entry '%s' is written through "
						   "symlink '%.*s' of a lower layer (symlink escape)",
					      layer, path, (int)(p - path), path);
	return 0;
}

int brig_view_check_links(const struct brig_layer_facts *const *layers, size_t n,
			  struct brig_error *err)
{
	struct brig_strset active = {0};
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		for (size_t k = 0; k < layers[i]->n_orphans && rc == 0; k++)
			rc = check_orphan(&active, i, layers[i]->orphans[k], err);
		drop_hidden(&active, layers[i]);
		for (size_t k = 0; k < layers[i]->n_symlinks; k++)
			brig_strset_add(&active, layers[i]->symlinks[k], strlen(layers[i]->symlinks[k]));
	}
	brig_strset_free(&active);
	return rc;
}

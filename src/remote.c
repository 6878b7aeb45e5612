/* Images by reference: the engine first, then the registry (Trivy's order),
 * or the order --image-src gives. */
#include "remote.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "source/archive.h"
#include "source/auth.h"
#include "source/engine.h"
#include "source/http.h"
#include "source/ref.h"
#include "source/registry.h"

struct registry_fetch {
	struct brig_registry *reg;
	struct brig_image *img;
	struct brig_layer_budget *budget;
	char **digests; /* of img->owned, so a repeated layer is read once */
};

static int reg_get_doc(void *ctx, const char *digest, struct brig_buf *out, struct brig_error *err)
{
	struct registry_fetch *rf = ctx;

	brig_buf_free(out);
	return brig_registry_get_blob(rf->reg, digest, BRIG_MAX_JSON_DOC, out, err);
}

static int reg_get_manifest(void *ctx, const char *digest, struct brig_buf *out,
			    struct brig_error *err)
{
	struct registry_fetch *rf = ctx;
	_cleanup_free_ char *media_type = NULL;
	char got[BRIG_DIGEST_STR_LEN];

	brig_buf_free(out);
	return brig_registry_get_manifest(rf->reg, digest, out, &media_type, got, err);
}

static int reg_get_layer(void *ctx, size_t index, const char *digest, int64_t size,
			 const struct brig_layer **out, struct brig_error *err)
{
	struct registry_fetch *rf = ctx;
	struct brig_image *img = rf->img;
	struct brig_http_response *resp = NULL;
	_cleanup_free_ char *label = NULL;
	struct brig_reader body;
	struct brig_layer *layer;
	int rc;

	for (size_t i = 0; i < img->n_owned; i++)
		if (strcmp(rf->digests[i], digest) == 0) {
			*out = img->owned[i];
			return 0;
		}
	/* brig_layer_read hashes the bytes anyway and brig_image_assemble
	 * checks that digest: one sha256 pass per layer, not two */
	if (brig_registry_open_blob_unhashed(rf->reg, digest, size, &resp, &body, err) < 0)
		return brig_error_prefix(err, "layer %zu", index);
	label = brig_xasprintf("layer %zu (%.19s)", index, digest);
	layer = brig_xcalloc(1, sizeof(*layer));
	rc = brig_layer_read(&body, label, size > 0 ? (uint64_t)size : 0, rf->budget, layer, err);
	brig_http_response_free(resp);
	if (rc < 0) {
		free(layer);
		return -1;
	}
	img->owned = brig_xrealloc(img->owned, (img->n_owned + 1) * sizeof(*img->owned));
	rf->digests = brig_xrealloc(rf->digests, (img->n_owned + 1) * sizeof(char *));
	rf->digests[img->n_owned] = brig_xstrdup(digest);
	img->owned[img->n_owned++] = layer;
	*out = layer;
	return 0;
}

static void add_repo_digest(struct brig_image *img, const struct brig_image_ref *ref,
			    const char *digest)
{
	img->repo_digests = brig_xrealloc(img->repo_digests, (img->n_repo_digests + 1) * sizeof(char *));
	img->repo_digests[img->n_repo_digests++] =
		brig_xasprintf("%s/%s@%s", ref->registry, ref->repository, digest);
}

static int load_registry(const char *name, const struct remote_opts *o,
			 const struct brig_platform *p, struct brig_layer_budget *budget,
			 struct brig_image *img, struct brig_error *err)
{
	_cleanup_image_ref_ struct brig_image_ref ref = {0};
	struct brig_http_opts http = {.insecure = o->insecure};
	struct brig_credentials creds = {0};
	struct registry_fetch rf = {.img = img, .budget = budget};
	struct brig_image_fetch f = {&rf, reg_get_doc, reg_get_manifest, reg_get_layer};
	_cleanup_buf_ struct brig_buf top = {0};
	_cleanup_free_ char *media_type = NULL;
	char digest[BRIG_DIGEST_STR_LEN];
	int rc = -1;

	if (brig_image_ref_parse(name, &ref, err) < 0)
		return -1;
	if (brig_credentials_lookup(ref.registry, o->username, o->password, &creds, err) < 0)
		return -1;
	if (brig_registry_open(&ref, &http, &creds, &rf.reg, err) < 0)
		goto out;
	if (brig_registry_get_manifest(rf.reg, NULL, &top, &media_type, digest, err) < 0)
		goto out;
	rc = brig_image_assemble(&f, top.data ? top.data : "", top.len, p, NULL, img, err);
	if (rc == 0) {
		if (!img->manifest_digest)
			img->manifest_digest = brig_xstrdup(digest);
		add_repo_digest(img, &ref, digest);
	}
out:
	for (size_t i = 0; i < img->n_owned && rf.digests; i++)
		free(rf.digests[i]);
	free(rf.digests);
	brig_registry_close(rf.reg);
	brig_credentials_clear(&creds);
	return rc;
}

static void add_inspect_digests(struct brig_image *img, const struct brig_buf *inspect)
{
	json_t *doc = json_loadb(inspect->data ? inspect->data : "", inspect->len, 0, NULL), *v;
	size_t i;

	json_array_foreach(json_object_get(doc, "RepoDigests"), i, v) {
		if (!json_is_string(v))
			continue;
		img->repo_digests = brig_xrealloc(img->repo_digests,
						  (img->n_repo_digests + 1) * sizeof(char *));
		img->repo_digests[img->n_repo_digests++] = brig_xstrdup(json_string_value(v));
	}
	json_decref(doc);
}

static int load_engine(const char *name, const struct remote_opts *o,
		       const struct brig_platform *p, struct brig_layer_budget *budget,
		       struct brig_image *img, struct brig_error *err)
{
	struct brig_engine *engine = NULL;
	struct brig_http_response *resp = NULL;
	_cleanup_buf_ struct brig_buf inspect = {0};
	_cleanup_free_ char *label = NULL;
	struct brig_reader body;
	int rc = -1;

	if (brig_engine_open(o->engine_host, &engine, err) < 0)
		return -1;
	if (brig_engine_inspect_image(engine, name, &inspect, err) < 0)
		goto out;
	if (brig_engine_export_image(engine, name, &resp, &body, err) < 0)
		goto out;
	label = brig_xasprintf("engine %s", name);
	rc = brig_archive_load(&body, label, p, NULL, budget, img, err);
	if (rc == 0 && img->n_repo_digests == 0)
		add_inspect_digests(img, &inspect);
out:
	brig_http_response_free(resp);
	brig_engine_close(engine);
	return rc;
}

/* Only "not there" moves on to the next source; anything else (a tampered
 * layer, a refused password) is the answer. */
static bool try_next(const struct brig_error *err)
{
	return err->code == ENOENT || err->code == ECONNREFUSED || err->code == ENOTSUP;
}

int remote_load(const char *ref, const char *sources, const struct remote_opts *o,
		const struct brig_platform *p, struct brig_layer_budget *budget,
		struct brig_image *img, struct brig_error *err)
{
	char tried[BRIG_ERROR_MSG_MAX] = "";
	const char *s = sources ? sources : "engine,registry";

	while (*s) {
		size_t n = strcspn(s, ",");
		int rc;

		if (n == 6 && strncmp(s, "engine", 6) == 0)
			rc = load_engine(ref, o, p, budget, img, err);
		else if (n == 8 && strncmp(s, "registry", 8) == 0)
			rc = load_registry(ref, o, p, budget, img, err);
		else
			return brig_error_set(err, EINVAL, "unknown image source '%.*s' in --image-src "
							   "(want engine, registry)", (int)n, s);
		if (rc == 0)
			return 0;
		if (!try_next(err))
			return brig_error_prefix(err, "%s", ref);
		brig_debug("%s: %.*s: %s", ref, (int)n, s, err->msg);
		snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried), "%s%.*s: %.300s",
			 tried[0] ? "; " : "", (int)n, s, err->msg);
		brig_image_free(img);
		s += n;
		if (*s == ',')
			s++;
	}
	return brig_error_set(err, ENOENT, "%s: image not found (%s)", ref, tried[0] ? tried : "no source");
}

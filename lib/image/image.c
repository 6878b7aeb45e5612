#include "image/image.h"

#include <errno.h>
#include <string.h>
#include <sys/utsname.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/xalloc.h"

#define MT_OCI_INDEX "application/vnd.oci.image.index.v1+json"
#define MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define MAX_INDEX_DEPTH 4

static void copy_field(char *dst, size_t n, const char *src, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int brig_platform_parse(const char *s, struct brig_platform *p, struct brig_error *err)
{
	const char *a = strchr(s, '/'), *v;

	memset(p, 0, sizeof(*p));
	if (!a || a == s || !a[1])
		return brig_error_set(err, EINVAL, "invalid platform '%s' (want os/arch[/variant])", s);
	v = strchr(a + 1, '/');
	copy_field(p->os, sizeof(p->os), s, (size_t)(a - s));
	copy_field(p->arch, sizeof(p->arch), a + 1, v ? (size_t)(v - a - 1) : strlen(a + 1));
	if (v)
		copy_field(p->variant, sizeof(p->variant), v + 1, strlen(v + 1));
	return 0;
}

void brig_platform_host(struct brig_platform *p)
{
	struct utsname u;
	const char *arch = "amd64";

	memset(p, 0, sizeof(*p));
	if (uname(&u) == 0) {
		if (strcmp(u.machine, "aarch64") == 0)
			arch = "arm64";
		else if (strcmp(u.machine, "x86_64") != 0)
			arch = u.machine;
	}
	copy_field(p->os, sizeof(p->os), "linux", 5);
	copy_field(p->arch, sizeof(p->arch), arch, strlen(arch));
}

int brig_json_parse(const char *data, size_t len, const char *what, json_t **out,
		    struct brig_error *err)
{
	json_error_t jerr;

	if (len > BRIG_MAX_JSON_DOC)
		return brig_error_set(err, EFBIG, "%s: larger than %u bytes", what, BRIG_MAX_JSON_DOC);
	*out = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*out)
		return brig_error_set(err, EINVAL, "%s: invalid JSON at line %d: %s", what, jerr.line,
				      jerr.text);
	return 0;
}

static const char *jstr(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

void brig_image_free(struct brig_image *img)
{
	free(img->name);
	free(img->image_id);
	if (img->config)
		json_decref(img->config);
	for (size_t i = 0; i < img->n_layers; i++)
		free(img->diff_ids[i]);
	free(img->diff_ids);
	free(img->layers);
	for (size_t i = 0; i < img->n_owned; i++) {
		brig_layer_free(img->owned[i]);
		free(img->owned[i]);
	}
	free(img->owned);
	for (size_t i = 0; i < img->n_repo_tags; i++)
		free(img->repo_tags[i]);
	free(img->repo_tags);
	for (size_t i = 0; i < img->n_repo_digests; i++)
		free(img->repo_digests[i]);
	free(img->repo_digests);
	free(img->manifest_digest);
	memset(img, 0, sizeof(*img));
}

int brig_image_set_config(struct brig_image *img, const char *data, size_t len,
			  struct brig_error *err)
{
	char digest[BRIG_DIGEST_STR_LEN];
	json_t *rootfs, *ids;
	size_t n;

	brig_sha256_digest(data, len, digest);
	if (brig_json_parse(data, len, "image config", &img->config, err) < 0)
		return -1;
	img->image_id = brig_xstrdup(digest);
	rootfs = json_object_get(img->config, "rootfs");
	ids = json_object_get(rootfs, "diff_ids");
	if (!json_is_array(ids))
		return brig_error_set(err, EINVAL, "image config: no rootfs.diff_ids array");
	n = json_array_size(ids);
	if (n > BRIG_MAX_LAYERS)
		return brig_error_set(err, E2BIG, "image config: more than %u layers", BRIG_MAX_LAYERS);
	img->diff_ids = brig_xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_array_get(ids, i));

		if (!s || !brig_digest_valid(s))
			return brig_error_set(err, EINVAL, "image config: diff_ids[%zu] is not a sha256 digest", i);
		img->diff_ids[i] = brig_xstrdup(s);
		img->n_layers = i + 1;
	}
	return 0;
}

int brig_layer_verify(const struct brig_layer *l, size_t index, const char *digest,
		      const char *diff_id, struct brig_error *err)
{
	if (digest && strcmp(l->digest, digest) != 0)
		return brig_error_set(err, EINVAL,
				      "layer %zu: digest mismatch: manifest says %s, content is %s "
				      "(tampered or corrupt blob)", index, digest, l->digest);
	if (strcmp(l->diff_id, diff_id) != 0)
		return brig_error_set(err, EINVAL,
				      "layer %zu: diff_id mismatch: config says %s, uncompressed content is %s "
				      "(tampered or corrupt layer)", index, diff_id, l->diff_id);
	return 0;
}

static bool is_index(json_t *doc)
{
	const char *mt = jstr(doc, "mediaType");

	if (mt && (strcmp(mt, MT_OCI_INDEX) == 0 || strcmp(mt, MT_DOCKER_LIST) == 0))
		return true;
	return json_is_array(json_object_get(doc, "manifests")) && !json_object_get(doc, "layers");
}

static bool platform_matches(json_t *plat, const struct brig_platform *want)
{
	const char *os = jstr(plat, "os"), *arch = jstr(plat, "architecture"),
		   *variant = jstr(plat, "variant");

	if (!plat)
		return true; /* single-platform index without platform info */
	if (!os || !arch || strcmp(os, want->os) != 0 || strcmp(arch, want->arch) != 0)
		return false;
	return !want->variant[0] || (variant && strcmp(variant, want->variant) == 0);
}

/* Picks the manifest descriptor an index points to for this platform. */
static json_t *index_select(json_t *index, const struct brig_platform *p, const char *ref_name,
			    struct brig_error *err)
{
	json_t *list = json_object_get(index, "manifests"), *d;
	size_t i;

	if (!json_is_array(list) || json_array_size(list) == 0)
		return brig_error_set(err, EINVAL, "image index lists no manifests"), NULL;
	json_array_foreach(list, i, d) {
		json_t *ann = json_object_get(d, "annotations");
		const char *name = jstr(ann, "org.opencontainers.image.ref.name");

		if (ref_name && (!name || strcmp(name, ref_name) != 0))
			continue;
		if (!platform_matches(json_object_get(d, "platform"), p))
			continue;
		/* attestation manifests (docker buildx) are not images */
		if (name == NULL && jstr(ann, "vnd.docker.reference.type"))
			continue;
		return d;
	}
	if (ref_name)
		return brig_error_set(err, ENOENT, "no manifest tagged '%s' for %s/%s in the index",
				      ref_name, p->os, p->arch), NULL;
	return brig_error_set(err, ENOENT, "no manifest for platform %s/%s%s%s in the index", p->os,
			      p->arch, p->variant[0] ? "/" : "", p->variant), NULL;
}

static int fetch_doc(const struct brig_image_fetch *f, const char *digest, const char *what,
		     json_t **doc, struct brig_buf *raw, struct brig_error *err)
{
	char got[BRIG_DIGEST_STR_LEN];
	int (*get)(void *, const char *, struct brig_buf *, struct brig_error *) =
		doc && f->get_manifest ? f->get_manifest : f->get_doc;

	if (!brig_digest_valid(digest))
		return brig_error_set(err, EINVAL, "%s: invalid digest '%s'", what, digest);
	brig_buf_init(raw, BRIG_MAX_JSON_DOC);
	if (get(f->ctx, digest, raw, err) < 0)
		return brig_error_prefix(err, "%s %s", what, digest);
	brig_sha256_digest(raw->data ? raw->data : "", raw->len, got);
	if (strcmp(got, digest) != 0)
		return brig_error_set(err, EINVAL, "%s: digest mismatch: expected %s, content is %s",
				      what, digest, got);
	if (doc)
		return brig_json_parse(raw->data ? raw->data : "", raw->len, what, doc, err);
	return 0;
}

static int assemble_manifest(const struct brig_image_fetch *f, json_t *m, struct brig_image *img,
			     struct brig_error *err)
{
	json_t *cfg = json_object_get(m, "config"), *layers = json_object_get(m, "layers"), *d;
	const char *cfg_digest = jstr(cfg, "digest");
	_cleanup_buf_ struct brig_buf raw = {0};
	size_t i;

	if (!cfg_digest || !json_is_array(layers))
		return brig_error_set(err, EINVAL, "image manifest: missing config or layers");
	if (fetch_doc(f, cfg_digest, "image config", NULL, &raw, err) < 0)
		return -1;
	if (brig_image_set_config(img, raw.data ? raw.data : "", raw.len, err) < 0)
		return -1;
	if (json_array_size(layers) != img->n_layers)
		return brig_error_set(err, EINVAL, "manifest lists %zu layers but the config has %zu diff_ids",
				      json_array_size(layers), img->n_layers);
	img->layers = brig_xcalloc(img->n_layers, sizeof(*img->layers));
	json_array_foreach(layers, i, d) {
		const char *digest = jstr(d, "digest");
		json_t *size = json_object_get(d, "size");

		if (!digest || !brig_digest_valid(digest))
			return brig_error_set(err, EINVAL, "manifest: layer %zu has no valid digest", i);
		if (f->get_layer(f->ctx, i, digest, json_is_integer(size) ? json_integer_value(size) : -1,
				 &img->layers[i], err) < 0)
			return -1;
		if (brig_layer_verify(img->layers[i], i, digest, img->diff_ids[i], err) < 0)
			return -1;
	}
	return 0;
}

int brig_image_assemble(const struct brig_image_fetch *f, const char *top, size_t top_len,
			const struct brig_platform *platform, const char *ref_name,
			struct brig_image *img, struct brig_error *err)
{
	json_t *doc = NULL;
	int rc = -1;

	if (brig_json_parse(top, top_len, "index", &doc, err) < 0)
		return -1;
	for (int depth = 0; is_index(doc); depth++) {
		_cleanup_buf_ struct brig_buf raw = {0};
		json_t *d, *next = NULL;
		const char *digest;

		if (depth >= MAX_INDEX_DEPTH) {
			brig_error_set(err, ELOOP, "image indexes nested deeper than %d", MAX_INDEX_DEPTH);
			goto out;
		}
		d = index_select(doc, platform, depth == 0 ? ref_name : NULL, err);
		digest = d ? jstr(d, "digest") : NULL;
		if (!d)
			goto out;
		if (!digest) {
			brig_error_set(err, EINVAL, "index entry without a digest");
			goto out;
		}
		if (fetch_doc(f, digest, "manifest", &next, &raw, err) < 0)
			goto out;
		free(img->manifest_digest);
		img->manifest_digest = brig_xstrdup(digest);
		json_decref(doc);
		doc = next;
	}
	rc = assemble_manifest(f, doc, img, err);
out:
	json_decref(doc);
	return rc;
}

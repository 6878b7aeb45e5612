/* --format cyclonedx: a CycloneDX 1.5 JSON BOM with the vulnerabilities
 * found (misconfigurations are not part of a BOM and are left out). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/path.h"
#include "core/xalloc.h"
#include "report/report_int.h"

#define CDX_MAX_VERSION 1024 /* the schema's maxLength for affects[].versions */

struct cdx {
	const struct brig_rpt *r;
	json_t *used_refs; /* set of bom-refs handed out (object keys) */
	char **pkg_refs;   /* bom-ref per in->pkgs->items index */
	char root_ref[37];
	char os_ref[37];
	bool has_os;
};

static void cdx_free(struct cdx *c)
{
	size_t n = c->r && c->r->in->pkgs ? c->r->in->pkgs->n : 0;

	for (size_t i = 0; c->pkg_refs && i < n; i++)
		free(c->pkg_refs[i]);
	free(c->pkg_refs);
	json_decref(c->used_refs);
}

static bool ref_used(const struct cdx *c, const char *ref)
{
	return json_object_get(c->used_refs, ref) != NULL;
}

/* bom-refs must be unique, yet one purl can name two packages (the same
 * npm version in two node_modules folders): later ones get the place they
 * were found as a qualifier, then a counter. */
static char *unique_ref(struct cdx *c, const char *raw, const struct brig_package *p)
{
	const char *where = p->pkg_path ? p->pkg_path : p->file_path;
	/* object keys (and bom-refs) must be valid UTF-8 */
	_cleanup_free_ char *base = brig_rpt_utf8_repair(raw, "?");
	const char *sep = strchr(base, '?') ? "&" : "?";
	char *ref = brig_xstrdup(base);

	if (ref_used(c, ref) && where) {
		_cleanup_free_ char *enc = brig_rpt_uri_path(where);

		free(ref);
		ref = brig_xasprintf("%s%sbrig_path=%s", base, sep, enc);
	}
	for (unsigned n = 2; ref_used(c, ref); n++) {
		free(ref);
		ref = brig_xasprintf("%s%sbrig_dup=%u", base, sep, n);
	}
	json_object_set_new(c->used_refs, ref, json_true());
	return ref;
}

static char *pkg_ref(struct cdx *c, const struct brig_package *p)
{
	_cleanup_free_ char *base = NULL;

	if (p->purl && *p->purl)
		return unique_ref(c, p->purl, p);
	base = brig_xasprintf("brig:%s/%s@%s", brig_rpt_pkg_type_name(p->type),
			      p->name ? p->name : "", p->version ? p->version : "");
	return unique_ref(c, base, p);
}

static size_t pkg_index(const struct brig_pkg_list *l, const struct brig_package *p)
{
	/* findings borrow packages from the inventory: a pointer into it */
	if (p >= l->items && p < l->items + l->n)
		return (size_t)(p - l->items);
	return SIZE_MAX;
}

static void add_prop(json_t *props, const char *name, const char *value)
{
	json_t *o;

	if (!value || !*value)
		return;
	o = json_object();
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "value", brig_rpt_jstr(value));
	json_array_append_new(props, o);
}

static json_t *licenses_json(const char *license)
{
	json_t *a = json_array(), *o = json_object(), *lic;
	const char *id = brig_rpt_spdx_license_id(license);
	_cleanup_free_ char *expr = id ? NULL : brig_rpt_spdx_expression(license);

	/* license.id must be on the SPDX list or the BOM is invalid */
	if (expr) {
		json_object_set_new(o, "expression", brig_rpt_jstr(expr));
	} else {
		lic = json_object();
		if (id)
			json_object_set_new(lic, "id", json_string(id));
		else
			json_object_set_new(lic, "name", brig_rpt_jstr(license));
		json_object_set_new(o, "license", lic);
	}
	json_array_append_new(a, o);
	return a;
}

static json_t *component_json(const struct brig_package *p, const char *ref)
{
	json_t *o = json_object(), *props = json_array();

	json_object_set_new(o, "bom-ref", brig_rpt_jstr(ref));
	json_object_set_new(o, "type", json_string("library"));
	json_object_set_new(o, "name", brig_rpt_jstr(p->name));
	brig_rpt_jset_str(o, "version", p->version);
	if (p->license && *p->license)
		json_object_set_new(o, "licenses", licenses_json(p->license));
	brig_rpt_jset_str(o, "purl", p->purl);
	add_prop(props, "brig:PkgType", brig_rpt_pkg_type_name(p->type));
	add_prop(props, "brig:SrcName", p->src_name);
	add_prop(props, "brig:SrcVersion", p->src_version);
	add_prop(props, "brig:LayerDiffID", p->layer_diff_id);
	add_prop(props, "brig:FilePath", p->file_path);
	add_prop(props, "brig:PkgPath", p->pkg_path);
	if (p->dev)
		add_prop(props, "brig:Dev", "true");
	json_object_set_new(o, "properties", props);
	return o;
}

static void add_prop_list(json_t *props, const char *name, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add_prop(props, name, v[i]);
}

/* pkg:oci/<name>@<digest>?arch=..&repository_url=..: how Trivy and
 * Dependency-Track identify an image. Needs a repo digest ("repo@sha256:..");
 * NULL otherwise. */
static char *oci_purl(const struct brig_report_input *in)
{
	const char *rd = in->n_repo_digests ? in->repo_digests[0] : NULL;
	const char *at = rd ? strrchr(rd, '@') : NULL;
	const char *arch = json_string_value(json_object_get(in->image_config, "architecture"));
	_cleanup_free_ char *repo = NULL, *domain = NULL, *path = NULL, *url = NULL;
	_cleanup_free_ char *digest = NULL, *name = NULL, *qarch = NULL;

	if (!at || at == rd || !at[1])
		return NULL;
	repo = brig_xstrndup(rd, (size_t)(at - rd));
	path = brig_rpt_image_path(repo, &domain);
	name = brig_rpt_uri_path(brig_path_base(path));
	digest = brig_rpt_uri_path(at + 1); /* ':' -> %3A */
	url = brig_xasprintf("%s/%s", domain ? domain : "index.docker.io", path);
	free(path);
	path = brig_rpt_uri_path(url);
	qarch = arch && *arch ? brig_rpt_uri_path(arch) : NULL;
	/* qualifiers in lexical order, as the purl spec wants */
	return brig_xasprintf("pkg:oci/%s@%s?%s%s%srepository_url=%s", name, digest,
			      qarch ? "arch=" : "", qarch ? qarch : "", qarch ? "&" : "", path);
}

static json_t *root_component(const struct cdx *c)
{
	const struct brig_report_input *in = c->r->in;
	bool image = in->artifact_type && strcmp(in->artifact_type, "container_image") == 0;
	json_t *o = json_object(), *props = json_array();

	json_object_set_new(o, "bom-ref", json_string(c->root_ref));
	json_object_set_new(o, "type", json_string(image ? "container" : "application"));
	json_object_set_new(o, "name", brig_rpt_jstr(in->artifact_name));
	if (image) {
		_cleanup_free_ char *purl = oci_purl(in);

		brig_rpt_jset_str(o, "purl", purl);
	}
	add_prop(props, "brig:ArtifactType", in->artifact_type);
	add_prop(props, "brig:ImageID", in->image_id);
	add_prop_list(props, "brig:RepoTag", in->repo_tags, in->n_repo_tags);
	add_prop_list(props, "brig:RepoDigest", in->repo_digests, in->n_repo_digests);
	add_prop_list(props, "brig:DiffID", in->diff_ids, in->n_diff_ids);
	json_object_set_new(o, "properties", props);
	return o;
}

static json_t *metadata_json(const struct cdx *c)
{
	json_t *m = json_object(), *tools = json_object(), *comps = json_array();
	json_t *tool = json_object();

	json_object_set_new(m, "timestamp", json_string(c->r->created));
	json_object_set_new(tool, "type", json_string("application"));
	json_object_set_new(tool, "name", json_string("brig"));
	json_object_set_new(tool, "version", json_string(BRIG_VERSION));
	json_array_append_new(comps, tool);
	json_object_set_new(tools, "components", comps);
	json_object_set_new(m, "tools", tools);
	json_object_set_new(m, "component", root_component(c));
	return m;
}

static json_t *os_component(const struct cdx *c)
{
	const struct brig_os *os = c->r->in->os;
	json_t *o = json_object(), *props = json_array();

	json_object_set_new(o, "bom-ref", json_string(c->os_ref));
	json_object_set_new(o, "type", json_string("operating-system"));
	json_object_set_new(o, "name", brig_rpt_jstr(os->family));
	brig_rpt_jset_str(o, "version", os->name);
	add_prop(props, "brig:Class", "os-pkgs");
	add_prop(props, "brig:PrettyName", os->pretty_name);
	json_object_set_new(o, "properties", props);
	return o;
}

/* components[] in Results[] order, filling pkg_refs as it goes. */
static json_t *components_json(struct cdx *c)
{
	const struct brig_rpt *r = c->r;
	json_t *a = json_array();

	if (c->has_os)
		json_array_append_new(a, os_component(c));
	for (size_t i = 0; i < r->n_results; i++) {
		const struct brig_rpt_vec *v = &r->results[i].pkgs;

		for (size_t k = 0; k < v->n; k++) {
			const struct brig_package *p = v->items[k];
			size_t idx = pkg_index(r->in->pkgs, p);
			char *ref = pkg_ref(c, p);

			json_array_append_new(a, component_json(p, ref));
			if (idx != SIZE_MAX)
				c->pkg_refs[idx] = ref;
			else
				free(ref);
		}
	}
	return a;
}

static json_t *dependency(const char *ref)
{
	json_t *o = json_object();

	json_object_set_new(o, "ref", brig_rpt_jstr(ref));
	json_object_set_new(o, "dependsOn", json_array());
	return o;
}

/* The minimum that says what is in what: the artifact holds the OS and
 * every application package; the OS holds its packages. */
static json_t *dependencies_json(const struct cdx *c)
{
	const struct brig_rpt *r = c->r;
	json_t *a = json_array(), *root = dependency(c->root_ref), *os = NULL;

	json_array_append_new(a, root);
	if (c->has_os) {
		os = dependency(c->os_ref);
		json_array_append_new(json_object_get(root, "dependsOn"), json_string(c->os_ref));
		json_array_append_new(a, os);
	}
	for (size_t i = 0; i < r->n_results; i++) {
		const struct brig_rpt_result *res = &r->results[i];
		json_t *parent = res->cls == BRIG_RPT_OS && os ? os : root;

		for (size_t k = 0; k < res->pkgs.n; k++) {
			size_t idx = pkg_index(r->in->pkgs, res->pkgs.items[k]);

			if (idx != SIZE_MAX && c->pkg_refs[idx])
				json_array_append_new(json_object_get(parent, "dependsOn"),
						      brig_rpt_jstr(c->pkg_refs[idx]));
		}
	}
	return a;
}

static const char *score_method(const char *vector)
{
	if (!vector || !*vector)
		return "CVSSv31"; /* a bare score: v3.1 is what databases publish today */
	if (strncmp(vector, "CVSS:3.1/", 9) == 0)
		return "CVSSv31";
	if (strncmp(vector, "CVSS:3.0/", 9) == 0)
		return "CVSSv3";
	if (strncmp(vector, "CVSS:4.0/", 9) == 0)
		return "CVSSv4";
	return "CVSSv2";
}

static char *lower_severity(enum brig_severity s)
{
	char *l = brig_xstrdup(brig_severity_name(s));

	for (char *p = l; *p; p++)
		*p = (char)(*p - 'A' + 'a');
	return l;
}

static json_t *source_json(const struct brig_finding *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", brig_rpt_jstr(f->severity_source && *f->severity_source
							  ? f->severity_source
							  : "brig"));
	/* url is an iri-reference: no spaces */
	if (f->primary_url && *f->primary_url && !strpbrk(f->primary_url, " \t\n"))
		json_object_set_new(o, "url", brig_rpt_jstr(f->primary_url));
	return o;
}

static json_t *ratings_json(const struct brig_finding *f)
{
	json_t *a = json_array(), *o = json_object();
	_cleanup_free_ char *sev = lower_severity(f->severity);

	json_object_set_new(o, "source", source_json(f));
	if (f->cvss_score > 0)
		json_object_set_new(o, "score", json_real(f->cvss_score));
	json_object_set_new(o, "severity", json_string(sev));
	if (f->cvss_score > 0 || (f->cvss_vector && *f->cvss_vector))
		json_object_set_new(o, "method", json_string(score_method(f->cvss_vector)));
	brig_rpt_jset_str(o, "vector", f->cvss_vector);
	json_array_append_new(a, o);
	return a;
}

static json_t *advisories_json(const struct brig_finding *f)
{
	json_t *a = json_array();

	for (size_t i = 0; i < f->n_references; i++) {
		const char *u = f->references[i];
		json_t *o;

		if (!u || !*u || strpbrk(u, " \t\n"))
			continue;
		o = json_object();
		json_object_set_new(o, "url", brig_rpt_jstr(u));
		json_array_append_new(a, o);
	}
	return a;
}

static void add_affect(json_t *affects, const char *ref, const struct brig_package *p)
{
	json_t *o, *vers;
	size_t i;
	json_t *it;

	json_array_foreach(affects, i, it)
		if (strcmp(json_string_value(json_object_get(it, "ref")), ref) == 0)
			return;
	o = json_object();
	json_object_set_new(o, "ref", brig_rpt_jstr(ref));
	if (p->version && *p->version && strlen(p->version) <= CDX_MAX_VERSION) {
		json_t *v = json_object();

		vers = json_array();
		json_object_set_new(v, "version", brig_rpt_jstr(p->version));
		json_object_set_new(v, "status", json_string("affected"));
		json_array_append_new(vers, v);
		json_object_set_new(o, "versions", vers);
	}
	json_array_append_new(affects, o);
}

static json_t *vulnerability_json(const struct brig_finding *f)
{
	json_t *o = json_object(), *adv;

	json_object_set_new(o, "id", brig_rpt_jstr(f->id && *f->id ? f->id : "UNKNOWN"));
	json_object_set_new(o, "source", source_json(f));
	json_object_set_new(o, "ratings", ratings_json(f));
	brig_rpt_jset_str(o, "description", f->description && *f->description ? f->description
									       : f->title);
	if (f->fix && *f->fix && f->pkg) {
		_cleanup_free_ char *rec = brig_xasprintf(
			"Upgrade %s to version %s", f->pkg->name ? f->pkg->name : "", f->fix);

		json_object_set_new(o, "recommendation", brig_rpt_jstr(rec));
	}
	adv = advisories_json(f);
	if (json_array_size(adv))
		json_object_set_new(o, "advisories", adv);
	else
		json_decref(adv);
	json_object_set_new(o, "affects", json_array());
	return o;
}

static void add_vuln(const struct cdx *c, json_t *list, json_t *by_id, const struct brig_finding *f)
{
	_cleanup_free_ char *key = brig_rpt_utf8_repair(f->id ? f->id : "", "?");
	json_t *v = json_object_get(by_id, key);
	size_t idx = f->pkg ? pkg_index(c->r->in->pkgs, f->pkg) : SIZE_MAX;

	/* one entry per id; every affected package joins its affects[] */
	if (!v) {
		v = vulnerability_json(f);
		json_array_append_new(list, v);
		json_object_set(by_id, key, v);
	}
	if (idx != SIZE_MAX && c->pkg_refs[idx])
		add_affect(json_object_get(v, "affects"), c->pkg_refs[idx], f->pkg);
}

static json_t *vulnerabilities_json(const struct cdx *c)
{
	json_t *list = json_array();
	_cleanup_json_ json_t *by_id = json_object();

	for (size_t i = 0; i < c->r->n_results; i++) {
		const struct brig_rpt_vec *v = &c->r->results[i].vulns;

		for (size_t k = 0; k < v->n; k++)
			add_vuln(c, list, by_id, v->items[k]);
	}
	return list;
}

static int cdx_init(struct cdx *c, const struct brig_rpt *r, struct brig_error *err)
{
	size_t n = r->in->pkgs ? r->in->pkgs->n : 0;

	c->r = r;
	c->used_refs = json_object();
	c->pkg_refs = brig_xcalloc(n, sizeof(*c->pkg_refs));
	c->has_os = r->in->os && r->in->os->family;
	if (brig_rpt_uuid4(c->root_ref, err) < 0 || brig_rpt_uuid4(c->os_ref, err) < 0)
		return -1;
	json_object_set_new(c->used_refs, c->root_ref, json_true());
	json_object_set_new(c->used_refs, c->os_ref, json_true());
	return 0;
}

int brig_rpt_write_cyclonedx(FILE *out, const struct brig_rpt *r, struct brig_error *err)
{
	_cleanup_(cdx_free) struct cdx c = {0};
	_cleanup_json_ json_t *doc = json_object();
	char uuid[37];
	char serial[64];

	if (cdx_init(&c, r, err) < 0 || brig_rpt_uuid4(uuid, err) < 0)
		return brig_error_prefix(err, "cyclonedx");
	snprintf(serial, sizeof(serial), "urn:uuid:%s", uuid);
	json_object_set_new(doc, "$schema",
			    json_string("http://cyclonedx.org/schema/bom-1.5.schema.json"));
	json_object_set_new(doc, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(doc, "specVersion", json_string("1.5"));
	json_object_set_new(doc, "serialNumber", json_string(serial));
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "metadata", metadata_json(&c));
	json_object_set_new(doc, "components", components_json(&c));
	json_object_set_new(doc, "dependencies", dependencies_json(&c));
	json_object_set_new(doc, "vulnerabilities", vulnerabilities_json(&c));
	return brig_rpt_dump(out, doc, err);
}

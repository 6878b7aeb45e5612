/* --format spdx-json: an SPDX 2.3 JSON document. Licences are passed on
 * only when they form a valid SPDX expression; anything else is
 * NOASSERTION with the original text in licenseComments. */
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "report/report_int.h"

#define ROOT_ID "SPDXRef-Artifact"
#define OS_ID "SPDXRef-OperatingSystem"
#define ID_NAME_MAX 64 /* readable part of a package SPDXID */

/* "SPDXRef-Package-<type>-<name>-<n>": idstring allows only letters,
 * digits, '.' and '-'; the counter keeps it unique. */
static char *package_id(const struct brig_package *p, size_t n)
{
	_cleanup_free_ char *name = brig_xstrndup(p->name ? p->name : "", ID_NAME_MAX);

	for (char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '-'))
			*c = '-';
	return brig_xasprintf("SPDXRef-Package-%s-%s-%zu", brig_rpt_pkg_type_name(p->type), name,
			      n);
}

static void set_license(json_t *o, const char *license)
{
	const char *id = brig_rpt_spdx_license_id(license);
	_cleanup_free_ char *expr = id ? NULL : brig_rpt_spdx_expression(license);

	/* a LicenseRef- needs a hasExtractedLicensingInfos entry brig cannot
	 * write (it has no licence text): such expressions stay comments */
	if (expr && strstr(expr, "LicenseRef-")) {
		free(expr);
		expr = NULL;
	}
	/* concluding a licence takes a human reading the files: not claimed */
	json_object_set_new(o, "licenseConcluded", json_string("NOASSERTION"));
	if (id || expr) {
		json_object_set_new(o, "licenseDeclared", brig_rpt_jstr(id ? id : expr));
		return;
	}
	json_object_set_new(o, "licenseDeclared", json_string("NOASSERTION"));
	if (license && *license) {
		_cleanup_free_ char *c = brig_xasprintf("declared license (not SPDX): %s", license);

		json_object_set_new(o, "licenseComments", brig_rpt_jstr(c));
	}
}

static json_t *base_package(const char *id, const char *name, const char *version)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", brig_rpt_jstr(name));
	json_object_set_new(o, "SPDXID", json_string(id));
	brig_rpt_jset_str(o, "versionInfo", version);
	json_object_set_new(o, "downloadLocation", json_string("NOASSERTION"));
	json_object_set_new(o, "filesAnalyzed", json_false());
	return o;
}

static json_t *package_json(const struct brig_package *p, const char *id)
{
	json_t *o = base_package(id, p->name, p->version);

	if (p->file_path && *p->file_path) {
		_cleanup_free_ char *src = brig_xasprintf("package found in: %s", p->file_path);

		json_object_set_new(o, "sourceInfo", brig_rpt_jstr(src));
	}
	set_license(o, p->license);
	json_object_set_new(o, "copyrightText", json_string("NOASSERTION"));
	if (p->purl && *p->purl && !strpbrk(p->purl, " \t\n")) {
		json_t *refs = json_array(), *ref = json_object();

		json_object_set_new(ref, "referenceCategory", json_string("PACKAGE-MANAGER"));
		json_object_set_new(ref, "referenceType", json_string("purl"));
		json_object_set_new(ref, "referenceLocator", brig_rpt_jstr(p->purl));
		json_array_append_new(refs, ref);
		json_object_set_new(o, "externalRefs", refs);
	}
	json_object_set_new(o, "primaryPackagePurpose", json_string("LIBRARY"));
	if (p->layer_diff_id && *p->layer_diff_id) {
		_cleanup_free_ char *c = brig_xasprintf("layer: %s", p->layer_diff_id);

		json_object_set_new(o, "comment", brig_rpt_jstr(c));
	}
	return o;
}

static json_t *relationship(const char *from, const char *type, const char *to)
{
	json_t *o = json_object();

	json_object_set_new(o, "spdxElementId", json_string(from));
	json_object_set_new(o, "relationshipType", json_string(type));
	json_object_set_new(o, "relatedSpdxElement", json_string(to));
	return o;
}

static json_t *root_package(const struct brig_report_input *in)
{
	bool image = in->artifact_type && strcmp(in->artifact_type, "container_image") == 0;
	json_t *o = base_package(ROOT_ID, in->artifact_name, NULL);

	json_object_set_new(o, "licenseConcluded", json_string("NOASSERTION"));
	json_object_set_new(o, "licenseDeclared", json_string("NOASSERTION"));
	json_object_set_new(o, "copyrightText", json_string("NOASSERTION"));
	json_object_set_new(o, "primaryPackagePurpose", json_string(image ? "CONTAINER"
									  : "APPLICATION"));
	if (in->image_id && *in->image_id) {
		_cleanup_free_ char *c = brig_xasprintf("image id: %s", in->image_id);

		json_object_set_new(o, "comment", brig_rpt_jstr(c));
	}
	return o;
}

static json_t *os_package(const struct brig_os *os)
{
	json_t *o = base_package(OS_ID, os->family, os->name);

	json_object_set_new(o, "licenseConcluded", json_string("NOASSERTION"));
	json_object_set_new(o, "licenseDeclared", json_string("NOASSERTION"));
	json_object_set_new(o, "copyrightText", json_string("NOASSERTION"));
	json_object_set_new(o, "primaryPackagePurpose", json_string("OPERATING_SYSTEM"));
	return o;
}

/* packages[] and relationships[] together: each package is contained by
 * the OS (OS packages) or by the artifact. */
static void fill_packages(const struct brig_rpt *r, json_t *pkgs, json_t *rels)
{
	bool has_os = r->in->os && r->in->os->family;
	size_t n = 0;

	json_array_append_new(pkgs, root_package(r->in));
	json_array_append_new(rels, relationship("SPDXRef-DOCUMENT", "DESCRIBES", ROOT_ID));
	if (has_os) {
		json_array_append_new(pkgs, os_package(r->in->os));
		json_array_append_new(rels, relationship(ROOT_ID, "CONTAINS", OS_ID));
	}
	for (size_t i = 0; i < r->n_results; i++) {
		const struct brig_rpt_result *res = &r->results[i];
		const char *parent = res->cls == BRIG_RPT_OS && has_os ? OS_ID : ROOT_ID;

		for (size_t k = 0; k < res->pkgs.n; k++) {
			_cleanup_free_ char *id = package_id(res->pkgs.items[k], ++n);

			json_array_append_new(pkgs, package_json(res->pkgs.items[k], id));
			json_array_append_new(rels, relationship(parent, "CONTAINS", id));
		}
	}
}

static int namespace_uri(const struct brig_rpt *r, char **out, struct brig_error *err)
{
	char uuid[37];
	_cleanup_free_ char *name = brig_rpt_uri_path(r->in->artifact_name);
	_cleanup_free_ char *type = brig_rpt_uri_path(r->in->artifact_type ? r->in->artifact_type
									  : "artifact");

	if (brig_rpt_uuid4(uuid, err) < 0)
		return -1;
	/* unique per document, as SPDX requires, and still telling */
	*out = brig_xasprintf("%s/spdx/%s/%s-%s", BRIG_INFORMATION_URI, type, name, uuid);
	return 0;
}

int brig_rpt_write_spdx(FILE *out, const struct brig_rpt *r, struct brig_error *err)
{
	_cleanup_free_ char *ns = NULL;
	_cleanup_free_ char *tool = brig_xasprintf("Tool: brig-%s", BRIG_VERSION);
	_cleanup_json_ json_t *doc = NULL;
	json_t *info, *creators, *pkgs, *rels;

	if (namespace_uri(r, &ns, err) < 0)
		return brig_error_prefix(err, "spdx");
	doc = json_object();
	json_object_set_new(doc, "spdxVersion", json_string("SPDX-2.3"));
	json_object_set_new(doc, "dataLicense", json_string("CC0-1.0"));
	json_object_set_new(doc, "SPDXID", json_string("SPDXRef-DOCUMENT"));
	json_object_set_new(doc, "name", brig_rpt_jstr(r->in->artifact_name));
	json_object_set_new(doc, "documentNamespace", brig_rpt_jstr(ns));
	json_object_set_new(doc, "creationInfo", info = json_object());
	json_object_set_new(info, "creators", creators = json_array());
	json_array_append_new(creators, json_string(tool));
	json_object_set_new(info, "created", json_string(r->created));
	json_object_set_new(doc, "packages", pkgs = json_array());
	json_object_set_new(doc, "relationships", rels = json_array());
	fill_packages(r, pkgs, rels);
	return brig_rpt_dump(out, doc, err);
}

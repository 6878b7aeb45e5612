/* --format json: Trivy's report shape (SchemaVersion 2), so tools that read
 * Trivy JSON read brig's. Empty fields are left out as Go's omitempty
 * does. docs/json-schema.md describes every key. */
#include <string.h>

#include "core/xalloc.h"
#include "report/report_int.h"

static json_t *digest_obj(const char *diff_id)
{
	json_t *o = json_object();

	json_object_set_new(o, "DiffID", brig_rpt_jstr(diff_id));
	return o;
}

static json_t *purl_obj(const char *purl)
{
	json_t *o = json_object();

	json_object_set_new(o, "PURL", brig_rpt_jstr(purl));
	return o;
}

static json_t *metadata_json(const struct brig_report_input *in)
{
	json_t *m = json_object();

	if (in->os && in->os->family) {
		json_t *os = json_object();

		json_object_set_new(os, "Family", brig_rpt_jstr(in->os->family));
		brig_rpt_jset_str(os, "Name", in->os->name);
		json_object_set_new(m, "OS", os);
	}
	brig_rpt_jset_str(m, "ImageID", in->image_id);
	if (in->n_diff_ids)
		json_object_set_new(m, "DiffIDs", brig_rpt_jstr_array(in->diff_ids, in->n_diff_ids));
	if (in->n_repo_tags)
		json_object_set_new(m, "RepoTags", brig_rpt_jstr_array(in->repo_tags, in->n_repo_tags));
	if (in->n_repo_digests)
		json_object_set_new(m, "RepoDigests",
				    brig_rpt_jstr_array(in->repo_digests, in->n_repo_digests));
	if (in->image_config)
		json_object_set(m, "ImageConfig", in->image_config);
	return m;
}

static json_t *package_json(const struct brig_package *p)
{
	json_t *o = json_object();
	char *id = brig_xasprintf("%s@%s", p->name ? p->name : "", p->version ? p->version : "");

	json_object_set_new(o, "ID", brig_rpt_jstr(id));
	free(id);
	brig_rpt_jset_str(o, "Name", p->name);
	if (p->purl && *p->purl)
		json_object_set_new(o, "Identifier", purl_obj(p->purl));
	brig_rpt_jset_str(o, "Version", p->version);
	brig_rpt_jset_str(o, "Arch", p->arch);
	brig_rpt_jset_str(o, "SrcName", p->src_name);
	brig_rpt_jset_str(o, "SrcVersion", p->src_version);
	if (p->license && *p->license) {
		json_t *l = json_array();

		json_array_append_new(l, brig_rpt_jstr(p->license));
		json_object_set_new(o, "Licenses", l);
	}
	if (p->type == BRIG_PKG_NPM && p->dev)
		json_object_set_new(o, "Dev", json_true());
	if (p->layer_diff_id && *p->layer_diff_id)
		json_object_set_new(o, "Layer", digest_obj(p->layer_diff_id));
	brig_rpt_jset_str(o, "FilePath", p->file_path);
	return o;
}

/* Trivy's CVSS map: {"<source>": {"V3Vector": ..., "V3Score": ...}}. */
static json_t *cvss_json(const struct brig_finding *f)
{
	const char *v = f->cvss_vector, *ver = "V3";
	json_t *entry = json_object(), *m = json_object();
	char key[16];

	if (v && strncmp(v, "CVSS:4.", 7) == 0)
		ver = "V40";
	else if (v && strncmp(v, "CVSS:3.", 7) != 0)
		ver = "V2"; /* v2 vectors carry no prefix: "AV:N/AC:L/..." */
	if (v && *v) {
		snprintf(key, sizeof(key), "%sVector", ver);
		json_object_set_new(entry, key, brig_rpt_jstr(v));
	}
	snprintf(key, sizeof(key), "%sScore", ver);
	json_object_set_new(entry, key, json_real(f->cvss_score));
	json_object_set_new(m, f->severity_source && *f->severity_source ? f->severity_source : "brig",
			    entry);
	return m;
}

static void vuln_pkg_fields(json_t *o, const struct brig_package *p)
{
	char *id;

	if (!p)
		return;
	id = brig_xasprintf("%s@%s", p->name ? p->name : "", p->version ? p->version : "");
	json_object_set_new(o, "PkgID", brig_rpt_jstr(id));
	free(id);
	brig_rpt_jset_str(o, "PkgName", p->name);
	brig_rpt_jset_str(o, "PkgPath", p->pkg_path);
	if (p->purl && *p->purl)
		json_object_set_new(o, "PkgIdentifier", purl_obj(p->purl));
	brig_rpt_jset_str(o, "InstalledVersion", p->version);
}

static json_t *vuln_json(const struct brig_finding *f)
{
	json_t *o = json_object();
	const struct brig_package *p = f->pkg;

	brig_rpt_jset_str(o, "VulnerabilityID", f->id);
	if (f->n_vendor_ids)
		json_object_set_new(o, "VendorIDs",
				    brig_rpt_jstr_array((const char *const *)f->vendor_ids,
							f->n_vendor_ids));
	vuln_pkg_fields(o, p);
	brig_rpt_jset_str(o, "FixedVersion", f->fix);
	brig_rpt_jset_str(o, "Status", f->status);
	if (p && p->layer_diff_id && *p->layer_diff_id)
		json_object_set_new(o, "Layer", digest_obj(p->layer_diff_id));
	brig_rpt_jset_str(o, "SeveritySource", f->severity_source);
	brig_rpt_jset_str(o, "PrimaryURL", f->primary_url);
	brig_rpt_jset_str(o, "Title", f->title);
	brig_rpt_jset_str(o, "Description", f->description);
	json_object_set_new(o, "Severity", brig_rpt_jstr(brig_severity_name(f->severity)));
	if (f->cvss_score > 0)
		json_object_set_new(o, "CVSS", cvss_json(f));
	if (f->n_references)
		json_object_set_new(o, "References",
				    brig_rpt_jstr_array((const char *const *)f->references,
							f->n_references));
	return o;
}

static json_t *code_json(const struct brig_finding *f)
{
	json_t *code = json_object(), *lines = json_array();

	for (size_t i = 0; i < f->n_code_lines; i++) {
		json_t *l = json_object();

		/* without a start line the numbers would be invented */
		if (f->start_line > 0)
			json_object_set_new(l, "Number", json_integer(f->start_line + (json_int_t)i));
		json_object_set_new(l, "Content", brig_rpt_jstr(f->code_lines[i]));
		json_object_set_new(l, "IsCause", json_true());
		json_array_append_new(lines, l);
	}
	json_object_set_new(code, "Lines", lines);
	return code;
}

static void lines_fields(json_t *o, const struct brig_finding *f)
{
	if (f->start_line > 0) {
		json_object_set_new(o, "StartLine", json_integer(f->start_line));
		json_object_set_new(o, "EndLine", json_integer(f->end_line >= f->start_line
								  ? f->end_line
								  : f->start_line));
	}
	if (f->n_code_lines)
		json_object_set_new(o, "Code", code_json(f));
}

/* Misconfigurations[].Type, after Trivy's "Dockerfile Security Check". */
static const char *check_type(const struct brig_finding *f)
{
	const char *t = f->target_type;

	if (f->kind == BRIG_FINDING_RUNTIME)
		return "Runtime Security Check";
	if (t && strcmp(t, "dockerfile") == 0)
		return "Dockerfile Security Check";
	if (t && (strcmp(t, "docker-compose") == 0 || strcmp(t, "compose") == 0))
		return "Docker Compose Security Check";
	if (t && strcmp(t, "image-config") == 0)
		return "Image Config Security Check";
	return "Security Check";
}

static json_t *misconf_json(const struct brig_finding *f)
{
	json_t *o = json_object(), *cause = json_object();

	json_object_set_new(o, "Type", brig_rpt_jstr(check_type(f)));
	brig_rpt_jset_str(o, "ID", f->id);
	brig_rpt_jset_str(o, "Title", f->title);
	brig_rpt_jset_str(o, "Description", f->description);
	brig_rpt_jset_str(o, "Message", f->message);
	brig_rpt_jset_str(o, "Resolution", f->fix);
	json_object_set_new(o, "Severity", brig_rpt_jstr(brig_severity_name(f->severity)));
	brig_rpt_jset_str(o, "PrimaryURL", f->primary_url);
	if (f->n_references)
		json_object_set_new(o, "References",
				    brig_rpt_jstr_array((const char *const *)f->references,
							f->n_references));
	json_object_set_new(o, "Status", json_string("FAIL"));
	brig_rpt_jset_str(o, "Source", f->source);
	lines_fields(cause, f);
	json_object_set_new(o, "CauseMetadata", cause);
	return o;
}

static json_t *secret_json(const struct brig_finding *f)
{
	json_t *o = json_object();

	brig_rpt_jset_str(o, "RuleID", f->id);
	json_object_set_new(o, "Severity", brig_rpt_jstr(brig_severity_name(f->severity)));
	brig_rpt_jset_str(o, "Title", f->title);
	lines_fields(o, f);
	brig_rpt_jset_str(o, "Match", f->message);
	return o;
}

static json_t *map_array(const struct brig_rpt_vec *v, json_t *(*fn)(const struct brig_finding *))
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, fn(v->items[i]));
	return a;
}

static json_t *result_json(const struct brig_rpt *r, const struct brig_rpt_result *res)
{
	json_t *o = json_object();

	json_object_set_new(o, "Target", brig_rpt_jstr(res->target));
	json_object_set_new(o, "Class", json_string(brig_rpt_class_name(res->cls)));
	brig_rpt_jset_str(o, "Type", res->type);
	if (r->in->list_all_pkgs && res->pkgs.n) {
		json_t *a = json_array();

		for (size_t i = 0; i < res->pkgs.n; i++)
			json_array_append_new(a, package_json(res->pkgs.items[i]));
		json_object_set_new(o, "Packages", a);
	}
	if (res->vulns.n)
		json_object_set_new(o, "Vulnerabilities", map_array(&res->vulns, vuln_json));
	if (res->misconfs.n)
		json_object_set_new(o, "Misconfigurations", map_array(&res->misconfs, misconf_json));
	if (res->secrets.n)
		json_object_set_new(o, "Secrets", map_array(&res->secrets, secret_json));
	return o;
}

int brig_rpt_write_json(FILE *out, const struct brig_rpt *r, struct brig_error *err)
{
	_cleanup_json_ json_t *doc = json_object();
	json_t *results = json_array();

	json_object_set_new(doc, "SchemaVersion", json_integer(2));
	json_object_set_new(doc, "CreatedAt", json_string(r->created));
	json_object_set_new(doc, "ArtifactName", brig_rpt_jstr(r->in->artifact_name));
	brig_rpt_jset_str(doc, "ArtifactType", r->in->artifact_type);
	json_object_set_new(doc, "Metadata", metadata_json(r->in));
	for (size_t i = 0; i < r->n_results; i++)
		json_array_append_new(results, result_json(r, &r->results[i]));
	json_object_set_new(doc, "Results", results);
	return brig_rpt_dump(out, doc, err);
}

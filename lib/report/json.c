/* --format json: Trivy's report shape (SchemaVersion 2), so tools that read
 * Trivy JSON read brig's. Empty fields are left out as Go's omitempty
 * does. docs/json-schema.md describes every key.
 *
 * Written as it is walked (report/jsonw.h): the report is most of what
 * `brig config` does, and a jansson tree of it cost more to build, dump
 * and free than the linting. The bytes are those the tree gave. */
#include <math.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "report/jsonw.h"
#include "report/report_int.h"

#define K(lit) BRIG_JW_KEY(lit)

/* a string member; NULL is written as "" */
static void str_field(struct brig_jw *w, struct brig_jw_qkey key, const char *s)
{
	brig_jw_qkey(w, key);
	brig_jw_string(w, s);
}

/* Go's omitempty: no member for NULL or "" */
static void opt_str_field(struct brig_jw *w, struct brig_jw_qkey key, const char *s)
{
	if (s && *s)
		str_field(w, key, s);
}

static void str_array_field(struct brig_jw *w, struct brig_jw_qkey key, const char *const *v,
			    size_t n)
{
	brig_jw_qkey(w, key);
	brig_jw_begin_array(w);
	for (size_t i = 0; i < n; i++)
		brig_jw_string(w, v[i]);
	brig_jw_end_array(w);
}

/* {"<key>": "<s>"}: Trivy's Layer and PkgIdentifier objects */
static void one_str_object_field(struct brig_jw *w, struct brig_jw_qkey field, struct brig_jw_qkey key,
				 const char *s)
{
	brig_jw_qkey(w, field);
	brig_jw_begin_object(w);
	str_field(w, key, s);
	brig_jw_end_object(w);
}

/* "name@version", Trivy's package ID */
static void pkg_id_field(struct brig_jw *w, struct brig_jw_qkey key, const struct brig_package *p)
{
	_cleanup_free_ char *id =
		brig_xasprintf("%s@%s", p->name ? p->name : "", p->version ? p->version : "");

	str_field(w, key, id);
}

static void metadata_json(struct brig_jw *w, const struct brig_report_input *in)
{
	brig_jw_qkey(w, K("Metadata"));
	brig_jw_begin_object(w);
	if (in->os && in->os->family) {
		brig_jw_qkey(w, K("OS"));
		brig_jw_begin_object(w);
		str_field(w, K("Family"), in->os->family);
		opt_str_field(w, K("Name"), in->os->name);
		brig_jw_end_object(w);
	}
	opt_str_field(w, K("ImageID"), in->image_id);
	if (in->n_diff_ids)
		str_array_field(w, K("DiffIDs"), in->diff_ids, in->n_diff_ids);
	if (in->n_repo_tags)
		str_array_field(w, K("RepoTags"), in->repo_tags, in->n_repo_tags);
	if (in->n_repo_digests)
		str_array_field(w, K("RepoDigests"), in->repo_digests, in->n_repo_digests);
	if (in->image_config) {
		brig_jw_qkey(w, K("ImageConfig"));
		brig_jw_json(w, in->image_config);
	}
	brig_jw_end_object(w);
}

static void package_json(struct brig_jw *w, const struct brig_package *p)
{
	brig_jw_begin_object(w);
	pkg_id_field(w, K("ID"), p);
	opt_str_field(w, K("Name"), p->name);
	if (p->purl && *p->purl)
		one_str_object_field(w, K("Identifier"), K("PURL"), p->purl);
	opt_str_field(w, K("Version"), p->version);
	opt_str_field(w, K("Arch"), p->arch);
	opt_str_field(w, K("SrcName"), p->src_name);
	opt_str_field(w, K("SrcVersion"), p->src_version);
	if (p->license && *p->license)
		str_array_field(w, K("Licenses"), (const char *const *)&p->license, 1);
	if (p->type == BRIG_PKG_NPM && p->dev) {
		brig_jw_qkey(w, K("Dev"));
		brig_jw_bool(w, true);
	}
	if (p->layer_diff_id && *p->layer_diff_id)
		one_str_object_field(w, K("Layer"), K("DiffID"), p->layer_diff_id);
	opt_str_field(w, K("FilePath"), p->file_path);
	brig_jw_end_object(w);
}

/* Trivy's CVSS map: {"<source>": {"V3Vector": ..., "V3Score": ...}}. */
static void cvss_json(struct brig_jw *w, const struct brig_finding *f)
{
	const char *v = f->cvss_vector, *ver = "V3";
	const char *src = f->severity_source && *f->severity_source ? f->severity_source : "brig";
	char key[16];

	if (v && strncmp(v, "CVSS:4.", 7) == 0)
		ver = "V40";
	else if (v && strncmp(v, "CVSS:3.", 7) != 0)
		ver = "V2"; /* v2 vectors carry no prefix: "AV:N/AC:L/..." */
	brig_jw_qkey(w, K("CVSS"));
	brig_jw_begin_object(w);
	/* jansson took no key that is invalid UTF-8: the map stayed empty */
	if (brig_rpt_utf8_valid(src)) {
		brig_jw_key(w, src);
		brig_jw_begin_object(w);
		if (v && *v) {
			snprintf(key, sizeof(key), "%sVector", ver);
			brig_jw_key(w, key);
			brig_jw_string(w, v);
		}
		/* nor a real that is not finite (json_real gave NULL) */
		if (isfinite(f->cvss_score)) {
			snprintf(key, sizeof(key), "%sScore", ver);
			brig_jw_key(w, key);
			brig_jw_real(w, f->cvss_score);
		}
		brig_jw_end_object(w);
	}
	brig_jw_end_object(w);
}

static void vuln_pkg_fields(struct brig_jw *w, const struct brig_package *p)
{
	if (!p)
		return;
	pkg_id_field(w, K("PkgID"), p);
	opt_str_field(w, K("PkgName"), p->name);
	opt_str_field(w, K("PkgPath"), p->pkg_path);
	if (p->purl && *p->purl)
		one_str_object_field(w, K("PkgIdentifier"), K("PURL"), p->purl);
	opt_str_field(w, K("InstalledVersion"), p->version);
}

static void vuln_json(struct brig_jw *w, const struct brig_finding *f)
{
	const struct brig_package *p = f->pkg;

	brig_jw_begin_object(w);
	opt_str_field(w, K("VulnerabilityID"), f->id);
	if (f->n_vendor_ids)
		str_array_field(w, K("VendorIDs"), (const char *const *)f->vendor_ids,
				f->n_vendor_ids);
	vuln_pkg_fields(w, p);
	opt_str_field(w, K("FixedVersion"), f->fix);
	opt_str_field(w, K("Status"), f->status);
	if (p && p->layer_diff_id && *p->layer_diff_id)
		one_str_object_field(w, K("Layer"), K("DiffID"), p->layer_diff_id);
	opt_str_field(w, K("SeveritySource"), f->severity_source);
	opt_str_field(w, K("PrimaryURL"), f->primary_url);
	opt_str_field(w, K("Title"), f->title);
	opt_str_field(w, K("Description"), f->description);
	str_field(w, K("Severity"), brig_severity_name(f->severity));
	if (f->cvss_score > 0)
		cvss_json(w, f);
	if (f->n_references)
		str_array_field(w, K("References"), (const char *const *)f->references,
				f->n_references);
	brig_jw_end_object(w);
}

static void code_json(struct brig_jw *w, const struct brig_finding *f)
{
	brig_jw_qkey(w, K("Code"));
	brig_jw_begin_object(w);
	brig_jw_qkey(w, K("Lines"));
	brig_jw_begin_array(w);
	for (size_t i = 0; i < f->n_code_lines; i++) {
		brig_jw_begin_object(w);
		/* without a start line the numbers would be invented */
		if (f->start_line > 0) {
			brig_jw_qkey(w, K("Number"));
			brig_jw_integer(w, f->start_line + (long long)i);
		}
		str_field(w, K("Content"), f->code_lines[i]);
		brig_jw_qkey(w, K("IsCause"));
		brig_jw_bool(w, true);
		brig_jw_end_object(w);
	}
	brig_jw_end_array(w);
	brig_jw_end_object(w);
}

static void lines_fields(struct brig_jw *w, const struct brig_finding *f)
{
	if (f->start_line > 0) {
		brig_jw_qkey(w, K("StartLine"));
		brig_jw_integer(w, f->start_line);
		brig_jw_qkey(w, K("EndLine"));
		brig_jw_integer(w, f->end_line >= f->start_line ? f->end_line : f->start_line);
	}
	if (f->n_code_lines)
		code_json(w, f);
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

static void misconf_json(struct brig_jw *w, const struct brig_finding *f)
{
	brig_jw_begin_object(w);
	str_field(w, K("Type"), check_type(f));
	opt_str_field(w, K("ID"), f->id);
	opt_str_field(w, K("Title"), f->title);
	opt_str_field(w, K("Description"), f->description);
	opt_str_field(w, K("Message"), f->message);
	opt_str_field(w, K("Resolution"), f->fix);
	str_field(w, K("Severity"), brig_severity_name(f->severity));
	opt_str_field(w, K("PrimaryURL"), f->primary_url);
	if (f->n_references)
		str_array_field(w, K("References"), (const char *const *)f->references,
				f->n_references);
	str_field(w, K("Status"), "FAIL");
	opt_str_field(w, K("Source"), f->source);
	brig_jw_qkey(w, K("CauseMetadata"));
	brig_jw_begin_object(w);
	lines_fields(w, f);
	brig_jw_end_object(w);
	brig_jw_end_object(w);
}

static void secret_json(struct brig_jw *w, const struct brig_finding *f)
{
	brig_jw_begin_object(w);
	opt_str_field(w, K("RuleID"), f->id);
	str_field(w, K("Severity"), brig_severity_name(f->severity));
	opt_str_field(w, K("Title"), f->title);
	lines_fields(w, f);
	opt_str_field(w, K("Match"), f->message);
	brig_jw_end_object(w);
}

static void findings_field(struct brig_jw *w, struct brig_jw_qkey key, const struct brig_rpt_vec *v,
			   void (*fn)(struct brig_jw *, const struct brig_finding *))
{
	if (!v->n)
		return;
	brig_jw_qkey(w, key);
	brig_jw_begin_array(w);
	for (size_t i = 0; i < v->n; i++)
		fn(w, v->items[i]);
	brig_jw_end_array(w);
}

static void result_json(struct brig_jw *w, const struct brig_rpt *r,
			const struct brig_rpt_result *res)
{
	brig_jw_begin_object(w);
	str_field(w, K("Target"), res->target);
	str_field(w, K("Class"), brig_rpt_class_name(res->cls));
	opt_str_field(w, K("Type"), res->type);
	if (r->in->list_all_pkgs && res->pkgs.n) {
		brig_jw_qkey(w, K("Packages"));
		brig_jw_begin_array(w);
		for (size_t i = 0; i < res->pkgs.n; i++)
			package_json(w, res->pkgs.items[i]);
		brig_jw_end_array(w);
	}
	findings_field(w, K("Vulnerabilities"), &res->vulns, vuln_json);
	findings_field(w, K("Misconfigurations"), &res->misconfs, misconf_json);
	findings_field(w, K("Secrets"), &res->secrets, secret_json);
	brig_jw_end_object(w);
}

int brig_rpt_write_json(FILE *out, const struct brig_rpt *r, struct brig_error *err)
{
	_cleanup_jw_ struct brig_jw *w = brig_jw_new(out);

	brig_jw_begin_object(w);
	brig_jw_qkey(w, K("SchemaVersion"));
	brig_jw_integer(w, 2);
	str_field(w, K("CreatedAt"), r->created);
	str_field(w, K("ArtifactName"), r->in->artifact_name);
	opt_str_field(w, K("ArtifactType"), r->in->artifact_type);
	metadata_json(w, r->in);
	brig_jw_qkey(w, K("Results"));
	brig_jw_begin_array(w);
	for (size_t i = 0; i < r->n_results; i++)
		result_json(w, r, &r->results[i]);
	brig_jw_end_array(w);
	brig_jw_end_object(w);
	return brig_jw_finish(w, err);
}

/* --format sarif: SARIF 2.1.0 for GitHub code scanning. Beyond the schema
 * GitHub wants: non-empty rule descriptions and help, security-severity
 * as a string, a location with startLine >= 1 on every result, and
 * repository-relative URIs. */
#include <string.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "report/report_int.h"

#define SARIF_TEXT_MAX 1024	  /* GitHub's cap on rule descriptions */
#define GITHUB_MAX_RESULTS 25000u /* per run; GitHub rejects more */

struct rule {
	const struct brig_finding *first; /* texts come from the first finding */
	const struct brig_rpt_result *res;
	enum brig_severity max_sev;
	double max_score;
};

struct sarif {
	const struct brig_rpt *r;
	struct rule *rules;
	size_t n_rules;
	size_t cap_rules;
	json_t *index; /* rule id -> index (json integer) */
};

static void sarif_free(struct sarif *s)
{
	free(s->rules);
	json_decref(s->index);
}

static const char *rule_id(const struct brig_finding *f)
{
	return f->id && *f->id ? f->id : "BRIG-UNKNOWN";
}

static const char *level(enum brig_severity s)
{
	switch (s) {
	case BRIG_SEV_CRITICAL:
	case BRIG_SEV_HIGH:
		return "error";
	case BRIG_SEV_MEDIUM:
		return "warning";
	case BRIG_SEV_LOW:
	case BRIG_SEV_UNKNOWN:
		break;
	}
	return "note";
}

/* GitHub's bands: >9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, <4 low. It
 * rejects values below 0.1, so UNKNOWN is the lowest "low". */
static void security_severity(const struct rule *ru, char out[8])
{
	static const char *const by_sev[] = {"0.1", "2.0", "5.5", "8.0", "9.5"};

	if (ru->max_score >= 0.1 && ru->max_score <= 10)
		snprintf(out, 8, "%.1f", ru->max_score);
	else
		snprintf(out, 8, "%s", by_sev[ru->max_sev <= BRIG_SEV_CRITICAL ? ru->max_sev : 0]);
}

static const char *rule_name(const struct brig_finding *f, const struct brig_rpt_result *res)
{
	switch (f->kind) {
	case BRIG_FINDING_VULNERABILITY:
		return res->cls == BRIG_RPT_OS ? "OsPackageVulnerability"
					       : "LanguageSpecificPackageVulnerability";
	case BRIG_FINDING_MISCONFIG:
		return "Misconfiguration";
	case BRIG_FINDING_RUNTIME:
		return "RuntimeMisconfiguration";
	case BRIG_FINDING_SECRET:
		return "Secret";
	}
	return "Finding";
}

static const char *kind_tag(const struct brig_finding *f)
{
	switch (f->kind) {
	case BRIG_FINDING_VULNERABILITY:
		return "vulnerability";
	case BRIG_FINDING_MISCONFIG:
		return "misconfiguration";
	case BRIG_FINDING_RUNTIME:
		return "runtime";
	case BRIG_FINDING_SECRET:
		return "secret";
	}
	return "finding";
}

/* how a kind reads in help and messages */
static const char *kind_label(const struct brig_finding *f)
{
	switch (f->kind) {
	case BRIG_FINDING_VULNERABILITY:
		return "Vulnerability";
	case BRIG_FINDING_MISCONFIG:
		return "Misconfiguration";
	case BRIG_FINDING_RUNTIME:
		return "Runtime check";
	case BRIG_FINDING_SECRET:
		return "Secret";
	}
	return "Finding";
}

static size_t rule_for(struct sarif *s, const struct brig_finding *f,
		       const struct brig_rpt_result *res)
{
	_cleanup_free_ char *key = brig_rpt_utf8_repair(rule_id(f), "?");
	json_t *hit = json_object_get(s->index, key);
	struct rule *ru;

	if (hit) {
		ru = &s->rules[json_integer_value(hit)];
		if (f->severity > ru->max_sev)
			ru->max_sev = f->severity;
		if (f->cvss_score > ru->max_score)
			ru->max_score = f->cvss_score;
		return (size_t)json_integer_value(hit);
	}
	BRIG_GROW(s->rules, s->cap_rules, s->n_rules + 1);
	s->rules[s->n_rules] = (struct rule){f, res, f->severity, f->cvss_score};
	json_object_set_new(s->index, key, json_integer((json_int_t)s->n_rules));
	return s->n_rules++;
}

static const char *first_nonempty(const char *a, const char *b, const char *c)
{
	if (a && *a)
		return a;
	if (b && *b)
		return b;
	return c;
}

static json_t *text_obj(const char *s, size_t max)
{
	json_t *o = json_object();
	_cleanup_free_ char *cut = NULL;

	if (max) {
		_cleanup_free_ char *valid = brig_rpt_utf8_repair(s, "\xef\xbf\xbd");

		cut = brig_rpt_truncate(valid, max);
		s = cut;
	}
	json_object_set_new(o, "text", brig_rpt_jstr(s));
	return o;
}

/* helpUri and result links are "uri" in the schema: pass only plain URLs. */
static bool plain_url(const char *u)
{
	return u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0) &&
	       !strpbrk(u, " \t\r\n\"<>\\^`{|}");
}

static void md_cell(struct brig_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			(void)brig_buf_append(b, "\\|", 2, NULL);
		else if (*s == '\n' || *s == '\r')
			(void)brig_buf_append(b, " ", 1, NULL);
		else
			(void)brig_buf_append(b, s, 1, NULL);
	}
}

static json_t *help_obj(const struct brig_finding *f, const struct brig_rpt_result *res)
{
	_cleanup_buf_ struct brig_buf md;
	_cleanup_free_ char *text = NULL;
	const char *id = rule_id(f), *sev = brig_severity_name(f->severity);
	const char *what = f->pkg && f->pkg->name ? f->pkg->name : res->target;
	const char *desc = first_nonempty(f->description, f->title, id);
	json_t *o = json_object();

	text = brig_xasprintf("%s %s\nSeverity: %s\n%s: %s\n%s%s%s%s%s\n%s", kind_label(f), id, sev,
			      f->pkg ? "Package" : "Target", what, f->fix ? "Fixed Version: " : "",
			      f->fix ? f->fix : "", f->fix ? "\n" : "",
			      f->primary_url ? "Link: " : "", f->primary_url ? f->primary_url : "",
			      desc);
	brig_buf_init(&md, (size_t)-1 / 2);
	(void)brig_buf_appendf(&md, NULL, "**%s %s**\n| Severity | %s | %s | Link |\n"
				       "| --- | --- | --- | --- |\n| %s | ",
			       kind_label(f), id, f->pkg ? "Package" : "Target",
			       f->pkg ? "Fixed Version" : "Resolution", sev);
	md_cell(&md, what);
	(void)brig_buf_append(&md, " | ", 3, NULL);
	md_cell(&md, f->fix);
	(void)brig_buf_append(&md, " | ", 3, NULL);
	if (plain_url(f->primary_url))
		(void)brig_buf_appendf(&md, NULL, "[%s](%s)", id, f->primary_url);
	(void)brig_buf_append(&md, " |\n\n", 4, NULL);
	md_cell(&md, desc);
	json_object_set_new(o, "text", brig_rpt_jstr(text));
	json_object_set_new(o, "markdown", brig_rpt_jstr(md.data));
	return o;
}

static json_t *rule_json(const struct rule *ru)
{
	const struct brig_finding *f = ru->first;
	const char *id = rule_id(f);
	json_t *o = json_object(), *cfg = json_object(), *props = json_object(), *tags = json_array();
	char sec[8];

	json_object_set_new(o, "id", brig_rpt_jstr(id));
	json_object_set_new(o, "name", json_string(rule_name(f, ru->res)));
	json_object_set_new(o, "shortDescription",
			    text_obj(first_nonempty(f->title, f->description, id), SARIF_TEXT_MAX));
	json_object_set_new(o, "fullDescription",
			    text_obj(first_nonempty(f->description, f->title, id), SARIF_TEXT_MAX));
	json_object_set_new(cfg, "level", json_string(level(ru->max_sev)));
	json_object_set_new(o, "defaultConfiguration", cfg);
	if (plain_url(f->primary_url))
		json_object_set_new(o, "helpUri", brig_rpt_jstr(f->primary_url));
	json_object_set_new(o, "help", help_obj(f, ru->res));
	security_severity(ru, sec);
	json_object_set_new(props, "precision", json_string("very-high"));
	json_object_set_new(props, "security-severity", json_string(sec));
	json_array_append_new(tags, json_string(kind_tag(f)));
	json_array_append_new(tags, json_string("security"));
	json_array_append_new(tags, json_string(brig_severity_name(ru->max_sev)));
	json_object_set_new(props, "tags", tags);
	json_object_set_new(o, "properties", props);
	return o;
}

/* ---- locations ---- */

static bool is_image_ref(const char *s)
{
	if (!*s || *s == '/' || *s == '.')
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789._-/:@", *s))
			return false;
	return true;
}

static const char *strip_root(const char *p)
{
	while (p && (*p == '/'))
		p++;
	return p;
}

static char *artifact_uri(const struct brig_report_input *in)
{
	const char *name = in->artifact_name;
	bool image = in->artifact_type && strcmp(in->artifact_type, "container_image") == 0;
	_cleanup_free_ char *path = NULL;

	if (image && is_image_ref(name))
		path = brig_rpt_image_path(name, NULL);
	else
		path = brig_xstrdup(strip_root(name));
	return brig_rpt_uri_path(path);
}

static char *finding_uri(const struct brig_rpt *r, const struct brig_finding *f,
			 const struct brig_rpt_result *res)
{
	const char *path = NULL;
	char *uri;

	if (f->kind == BRIG_FINDING_VULNERABILITY) {
		bool image = r->in->artifact_type &&
			     strcmp(r->in->artifact_type, "container_image") == 0;

		if (res->cls == BRIG_RPT_OS && image)
			return artifact_uri(r->in);
		path = f->pkg ? f->pkg->file_path : NULL;
		if (!path || !*path)
			path = f->file_path;
	} else {
		path = f->file_path && *f->file_path ? f->file_path : res->target;
	}
	if (!path || !*strip_root(path))
		return artifact_uri(r->in);
	uri = brig_rpt_uri_path(strip_root(path));
	return uri;
}

static json_t *region_json(const struct brig_finding *f)
{
	json_t *o = json_object();
	int start = f->kind != BRIG_FINDING_VULNERABILITY && f->start_line > 0 ? f->start_line : 1;
	int end = f->kind != BRIG_FINDING_VULNERABILITY && f->end_line > start ? f->end_line : start;

	json_object_set_new(o, "startLine", json_integer(start));
	json_object_set_new(o, "startColumn", json_integer(1));
	json_object_set_new(o, "endLine", json_integer(end));
	json_object_set_new(o, "endColumn", json_integer(1));
	return o;
}

static json_t *location_json(const struct brig_rpt *r, const struct brig_finding *f,
			     const struct brig_rpt_result *res)
{
	json_t *loc = json_object(), *phys = json_object(), *art = json_object();
	_cleanup_free_ char *uri = finding_uri(r, f, res);
	_cleanup_free_ char *msg = NULL;

	json_object_set_new(art, "uri", brig_rpt_jstr(*uri ? uri : "unknown"));
	json_object_set_new(phys, "artifactLocation", art);
	json_object_set_new(phys, "region", region_json(f));
	json_object_set_new(loc, "physicalLocation", phys);
	if (f->pkg)
		msg = brig_xasprintf("%s: %s@%s", res->target, f->pkg->name ? f->pkg->name : "",
				     f->pkg->version ? f->pkg->version : "");
	else
		msg = brig_xstrdup(res->target);
	json_object_set_new(loc, "message", text_obj(msg, 0));
	return loc;
}

/* ---- results ---- */

static char *message_text(const struct brig_finding *f, const struct brig_rpt_result *res)
{
	const char *sev = brig_severity_name(f->severity), *id = rule_id(f);
	_cleanup_free_ char *link = plain_url(f->primary_url)
					    ? brig_xasprintf("\nLink: [%s](%s)", id, f->primary_url)
					    : brig_xstrdup("");

	if (f->kind == BRIG_FINDING_VULNERABILITY && f->pkg)
		return brig_xasprintf("Package: %s\nInstalled Version: %s\nVulnerability %s\n"
				      "Severity: %s\nFixed Version: %s%s",
				      f->pkg->name ? f->pkg->name : "",
				      f->pkg->version ? f->pkg->version : "", id, sev,
				      f->fix ? f->fix : "", link);
	return brig_xasprintf("Artifact: %s\nType: %s\n%s %s\nSeverity: %s\nMessage: %s%s",
			      res->target, res->type ? res->type : brig_rpt_class_name(res->cls),
			      kind_label(f), id, sev,
			      first_nonempty(f->message, f->title, f->description ? f->description : id),
			      link);
}

static json_t *result_json(struct sarif *s, const struct brig_finding *f,
			   const struct brig_rpt_result *res)
{
	json_t *o = json_object(), *locs = json_array();
	size_t idx = rule_for(s, f, res);
	_cleanup_free_ char *msg = message_text(f, res);

	json_object_set_new(o, "ruleId", brig_rpt_jstr(rule_id(f)));
	json_object_set_new(o, "ruleIndex", json_integer((json_int_t)idx));
	json_object_set_new(o, "level", json_string(level(f->severity)));
	json_object_set_new(o, "message", text_obj(msg, 0));
	json_array_append_new(locs, location_json(s->r, f, res));
	json_object_set_new(o, "locations", locs);
	return o;
}

static void add_results(struct sarif *s, json_t *out, const struct brig_rpt_vec *v,
			const struct brig_rpt_result *res)
{
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(out, result_json(s, v->items[i], res));
}

static json_t *driver_json(const struct sarif *s)
{
	json_t *d = json_object(), *rules = json_array();

	json_object_set_new(d, "name", json_string("brig"));
	json_object_set_new(d, "fullName", json_string("brig container security scanner"));
	/* informationUri is optional in SARIF and brig has no public page yet */
	json_object_set_new(d, "version", json_string(BRIG_VERSION));
	json_object_set_new(d, "semanticVersion", json_string(BRIG_VERSION));
	for (size_t i = 0; i < s->n_rules; i++)
		json_array_append_new(rules, rule_json(&s->rules[i]));
	json_object_set_new(d, "rules", rules);
	return d;
}

int brig_rpt_write_sarif(FILE *out, const struct brig_rpt *r, struct brig_error *err)
{
	_cleanup_(sarif_free) struct sarif s = {.r = r, .index = json_object()};
	_cleanup_json_ json_t *doc = json_object();
	json_t *runs = json_array(), *run = json_object(), *tool = json_object();
	json_t *results = json_array();

	/* results first: they register the rules the driver lists */
	for (size_t i = 0; i < r->n_results; i++) {
		const struct brig_rpt_result *res = &r->results[i];

		add_results(&s, results, &res->vulns, res);
		add_results(&s, results, &res->misconfs, res);
		add_results(&s, results, &res->secrets, res);
	}
	if (json_array_size(results) > GITHUB_MAX_RESULTS)
		brig_warn("SARIF run has %zu results; GitHub code scanning rejects more than %u",
			  json_array_size(results), GITHUB_MAX_RESULTS);
	json_object_set_new(tool, "driver", driver_json(&s));
	json_object_set_new(run, "tool", tool);
	json_object_set_new(run, "results", results);
	json_object_set_new(run, "columnKind", json_string("utf16CodeUnits"));
	json_array_append_new(runs, run);
	json_object_set_new(doc, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_object_set_new(doc, "runs", runs);
	return brig_rpt_dump(out, doc, err);
}

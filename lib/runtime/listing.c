/* --list-checks and the table in docs/runtime.md, both from the rule
 * table: the unit tests compare the document with this output. */
#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "core/cleanup.h"
#include "runtime/runtime_int.h"

static const char *scope_name(enum brig_rt_scope s)
{
	switch (s) {
	case BRIG_RT_SCOPE_ENGINE:
		return "engine";
	case BRIG_RT_SCOPE_COMPOSE:
		return "compose";
	case BRIG_RT_SCOPE_CONTAINER:
		break;
	}
	return "container";
}

static json_t *str_array(const char *const *v, size_t max)
{
	json_t *a = json_array();

	for (size_t i = 0; i < max && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static int list_json(FILE *out, const struct brig_rt_rule *r, size_t n, struct brig_error *err)
{
	json_t *doc = json_object(), *checks = json_array();
	int rc;

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object(), *eq = json_object(), *src = json_array();
		char buf[32];
		char *save = NULL;

		json_object_set_new(o, "ID", json_string(r[i].id));
		json_object_set_new(o, "Title", json_string(r[i].title));
		json_object_set_new(o, "Severity", json_string(brig_severity_name(r[i].severity)));
		json_object_set_new(o, "Scope", json_string(scope_name(r[i].scope)));
		json_object_set_new(o, "Description", json_string(r[i].rationale));
		json_object_set_new(o, "Resolution", json_string(r[i].fix));
		snprintf(buf, sizeof(buf), "%s", r[i].sources);
		for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
			json_array_append_new(src, json_string(t));
		json_object_set_new(o, "Sources", src);
		json_object_set_new(eq, "cis", str_array(r[i].cis, 3));
		json_object_set_new(eq, "docker-bench", str_array(r[i].bench, 3));
		json_object_set_new(o, "Equivalents", eq);
		json_array_append_new(checks, o);
	}
	json_object_set_new(doc, "Checks", checks);
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc < 0 || fputc('\n', out) == EOF)
		return brig_error_errno(err, errno ? errno : EIO, "writing the check list");
	return 0;
}

static void join(char *out, size_t n, const char *const *v, size_t max)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < max && v[i]; i++) {
		int w = snprintf(out + used, n - used, "%s%s", i ? ", " : "", v[i]);

		if (w < 0 || (size_t)w >= n - used)
			return;
		used += (size_t)w;
	}
}

static void list_markdown(FILE *out, const struct brig_rt_rule *r, size_t n)
{
	fputs("| ID | Scope | Severity | Title | Sources | CIS | docker-bench |\n"
	      "|----|-------|----------|-------|---------|-----|--------------|\n",
	      out);
	for (size_t i = 0; i < n; i++) {
		char cis[64], bench[64];

		join(cis, sizeof(cis), r[i].cis, 3);
		join(bench, sizeof(bench), r[i].bench, 3);
		fprintf(out, "| %s | %s | %s | %s | %s | %s | %s |\n", r[i].id, scope_name(r[i].scope),
			brig_severity_name(r[i].severity), r[i].title, r[i].sources,
			*cis ? cis : "-", *bench ? bench : "-");
	}
}

static void list_table(FILE *out, const struct brig_rt_rule *r, size_t n)
{
	fprintf(out, "%-12s %-9s %-8s %-10s %-10s %s\n", "ID", "SCOPE", "SEVERITY", "SOURCES", "CIS",
		"TITLE");
	for (size_t i = 0; i < n; i++) {
		char cis[64];

		join(cis, sizeof(cis), r[i].cis, 3);
		fprintf(out, "%-12s %-9s %-8s %-10s %-10s %s\n", r[i].id, scope_name(r[i].scope),
			brig_severity_name(r[i].severity), r[i].sources, *cis ? cis : "-",
			r[i].title);
	}
}

int brig_rt_list_checks(FILE *out, const char *format, struct brig_error *err)
{
	size_t n;
	const struct brig_rt_rule *r = brig_rt_rules(&n);

	errno = 0;
	if (!format || strcmp(format, "table") == 0)
		list_table(out, r, n);
	else if (strcmp(format, "json") == 0)
		return list_json(out, r, n, err);
	else if (strcmp(format, "markdown") == 0)
		list_markdown(out, r, n);
	else
		return brig_error_set(err, EINVAL,
				      "--list-checks: unknown format '%s' (table, json, markdown)",
				      format);
	if (fflush(out) != 0 || ferror(out))
		return brig_error_errno(err, errno ? errno : EIO, "writing the check list");
	return 0;
}

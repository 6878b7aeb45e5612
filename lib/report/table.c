/* --format table: what a person reads in a terminal. Every string from the
 * image or the databases goes through brig_rpt_term_clean() before it is
 * printed, and every column has a width cap so one hostile name cannot
 * push the table off the screen. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/cleanup.h"
#include "core/xalloc.h"
#include "report/report_int.h"

#define MAX_COLS 8
#define RULE_WIDTH 40
#define MESSAGE_WIDTH 400 /* a message is prose: cut only when absurd */
#define CODE_WIDTH 160

struct column {
	const char *header;
	size_t max; /* cap on display width */
};

struct table {
	const struct column *cols;
	size_t ncols;
	char **cells; /* nrows * ncols, cleaned and truncated */
	size_t nrows;
	size_t cap;
	size_t width[MAX_COLS];
};

static void table_init(struct table *t, const struct column *cols, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols;
	for (size_t c = 0; c < ncols; c++)
		t->width[c] = brig_rpt_display_width(cols[c].header);
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}

/* A cleaned, width-capped copy for display. */
static char *cell_text(const char *s, size_t max)
{
	_cleanup_free_ char *clean = brig_rpt_term_clean(s);

	return brig_rpt_truncate(clean, max);
}

static void table_add(struct table *t, const char *const *vals)
{
	size_t need = (t->nrows + 1) * t->ncols;

	BRIG_GROW(t->cells, t->cap, need);
	for (size_t c = 0; c < t->ncols; c++) {
		char *s = cell_text(vals[c], t->cols[c].max);
		size_t w = brig_rpt_display_width(s);

		if (w > t->width[c])
			t->width[c] = w;
		t->cells[t->nrows * t->ncols + c] = s;
	}
	t->nrows++;
}

/* s n times, in one write when it fits a line */
static void repeat(FILE *out, const char *s, size_t n)
{
	char line[512];
	size_t k = strlen(s), used = 0;

	if (k && n <= (sizeof(line) - 1) / k) {
		for (size_t i = 0; i < n; i++, used += k)
			memcpy(line + used, s, k);
		fwrite(line, 1, used, out);
		return;
	}
	for (size_t i = 0; i < n; i++)
		fputs(s, out);
}

static void table_rule(FILE *out, const struct table *t, const char *l, const char *m,
		       const char *r)
{
	fputs(l, out);
	for (size_t c = 0; c < t->ncols; c++) {
		repeat(out, "─", t->width[c] + 2);
		fputs(c + 1 < t->ncols ? m : r, out);
	}
	fputc('\n', out);
}

static void table_line(FILE *out, const struct table *t, const char *const *cells)
{
	fputs("│", out);
	for (size_t c = 0; c < t->ncols; c++) {
		fprintf(out, " %s", cells[c]);
		repeat(out, " ", t->width[c] - brig_rpt_display_width(cells[c]) + 1);
		fputs("│", out);
	}
	fputc('\n', out);
}

static void table_print(FILE *out, const struct table *t)
{
	const char *headers[MAX_COLS];

	for (size_t c = 0; c < t->ncols; c++)
		headers[c] = t->cols[c].header;
	table_rule(out, t, "┌", "┬", "┐");
	table_line(out, t, headers);
	table_rule(out, t, "├", "┼", "┤");
	for (size_t i = 0; i < t->nrows; i++)
		table_line(out, t, (const char *const *)&t->cells[i * t->ncols]);
	table_rule(out, t, "└", "┴", "┘");
}

/* ---- per-result sections ---- */

static void print_header(FILE *out, const struct brig_rpt_result *res)
{
	_cleanup_free_ char *target = brig_rpt_term_clean(res->target);
	_cleanup_free_ char *type = brig_rpt_term_clean(res->type);
	_cleanup_free_ char *line = NULL;

	/* an OS target already names its type: "alpine:3.18 (alpine 3.18.9)" */
	if (res->cls == BRIG_RPT_OS || !res->type)
		line = brig_xstrdup(target);
	else
		line = brig_xasprintf("%s (%s)", target, type);
	fprintf(out, "\n%s\n", line);
	repeat(out, "=", brig_rpt_display_width(line));
	fputc('\n', out);
}

static void print_summary(FILE *out, const struct brig_rpt_vec *findings)
{
	size_t n[5];

	brig_rpt_count_severities(findings, n);
	fprintf(out, "Total: %zu (UNKNOWN: %zu, LOW: %zu, MEDIUM: %zu, HIGH: %zu, CRITICAL: %zu)\n\n",
		findings->n, n[BRIG_SEV_UNKNOWN], n[BRIG_SEV_LOW], n[BRIG_SEV_MEDIUM],
		n[BRIG_SEV_HIGH], n[BRIG_SEV_CRITICAL]);
}

static const struct column vuln_cols[] = {
	{"Library", 60},	   {"Vulnerability", 32}, {"Severity", 8}, {"Status", 14},
	{"Installed Version", 32}, {"Fixed Version", 32}, {"Title", 60},
};

static void print_vulns(FILE *out, const struct brig_rpt_vec *v)
{
	struct table t;

	table_init(&t, vuln_cols, sizeof(vuln_cols) / sizeof(vuln_cols[0]));
	for (size_t i = 0; i < v->n; i++) {
		const struct brig_finding *f = v->items[i];
		const struct brig_package *p = f->pkg;
		_cleanup_free_ char *lib = NULL;
		const char *vals[7];

		/* one package may sit in several node_modules folders */
		if (p && p->pkg_path && *p->pkg_path)
			lib = brig_xasprintf("%s (%s)", p->name ? p->name : "", p->pkg_path);
		else
			lib = brig_xstrdup(p && p->name ? p->name : "");
		vals[0] = lib;
		vals[1] = f->id;
		vals[2] = brig_severity_name(f->severity);
		vals[3] = f->status;
		vals[4] = p ? p->version : NULL;
		vals[5] = f->fix;
		vals[6] = f->title && *f->title ? f->title : f->description;
		table_add(&t, vals);
	}
	table_print(out, &t);
	table_free(&t);
}

static void print_location(FILE *out, const struct brig_finding *f, const char *target)
{
	_cleanup_free_ char *file = brig_rpt_term_clean(f->file_path ? f->file_path : target);

	if (f->start_line <= 0) {
		fprintf(out, " %s\n", file);
		return;
	}
	if (f->end_line > f->start_line)
		fprintf(out, " %s:%d-%d\n", file, f->start_line, f->end_line);
	else
		fprintf(out, " %s:%d\n", file, f->start_line);
}

static void print_code(FILE *out, const struct brig_finding *f)
{
	for (size_t i = 0; i < f->n_code_lines; i++) {
		_cleanup_free_ char *line = cell_text(f->code_lines[i], CODE_WIDTH);

		if (f->start_line > 0)
			fprintf(out, " %5zu │ %s\n", (size_t)f->start_line + i, line);
		else
			fprintf(out, "       │ %s\n", line);
	}
}

static void print_labelled(FILE *out, const char *label, const char *s)
{
	_cleanup_free_ char *text = NULL;

	if (!s || !*s)
		return;
	text = cell_text(s, MESSAGE_WIDTH);
	fprintf(out, "%s%s\n", label, text);
}

/* One misconfiguration, runtime problem or secret. */
static void print_check(FILE *out, const struct brig_finding *f, const char *target)
{
	_cleanup_free_ char *id = cell_text(f->id, 64);
	_cleanup_free_ char *title = cell_text(f->title ? f->title : f->description, 120);

	fprintf(out, "%s (%s): %s\n", id, brig_severity_name(f->severity), title);
	repeat(out, "═", RULE_WIDTH);
	fputc('\n', out);
	print_labelled(out, "", f->message && *f->message ? f->message : f->description);
	print_labelled(out, "Fix: ", f->fix);
	print_labelled(out, "Source: ", f->source);
	print_labelled(out, "See ", f->primary_url);
	repeat(out, "─", RULE_WIDTH);
	fputc('\n', out);
	print_location(out, f, target);
	if (f->n_code_lines) {
		repeat(out, "─", RULE_WIDTH);
		fputc('\n', out);
		print_code(out, f);
	}
	repeat(out, "─", RULE_WIDTH);
	fputs("\n\n", out);
}

static const struct column pkg_cols[] = {
	{"Name", 60},
	{"Version", 40},
	{"Type", 8},
	{"Layer", 12},
};

static void print_packages(FILE *out, const struct brig_rpt_vec *v)
{
	struct table t;

	table_init(&t, pkg_cols, sizeof(pkg_cols) / sizeof(pkg_cols[0]));
	for (size_t i = 0; i < v->n; i++) {
		const struct brig_package *p = v->items[i];
		char layer[13];
		const char *vals[4];

		brig_rpt_short_digest(p->layer_diff_id, layer);
		vals[0] = p->name;
		vals[1] = p->version;
		vals[2] = brig_rpt_pkg_type_name(p->type);
		vals[3] = layer;
		table_add(&t, vals);
	}
	table_print(out, &t);
	table_free(&t);
}

static void print_result(FILE *out, const struct brig_rpt *r, const struct brig_rpt_result *res)
{
	print_header(out, res);
	if (res->vulns.n) {
		print_summary(out, &res->vulns);
		print_vulns(out, &res->vulns);
	}
	if (res->misconfs.n) {
		print_summary(out, &res->misconfs);
		for (size_t i = 0; i < res->misconfs.n; i++)
			print_check(out, res->misconfs.items[i], res->target);
	}
	if (res->secrets.n) {
		print_summary(out, &res->secrets);
		for (size_t i = 0; i < res->secrets.n; i++)
			print_check(out, res->secrets.items[i], res->target);
	}
	if (res->vulns.n || res->misconfs.n || res->secrets.n)
		return;
	/* a target listed without findings (brig runtime's clean containers) */
	if (res->cls == BRIG_RPT_RUNTIME || res->cls == BRIG_RPT_CONFIG) {
		fputs(res->cls == BRIG_RPT_RUNTIME ? "No runtime problems found\n"
						   : "No misconfigurations found\n",
		      out);
		return;
	}
	fprintf(out, "No vulnerabilities found (%zu package%s)\n", res->pkgs.n,
		res->pkgs.n == 1 ? "" : "s");
	if (r->in->list_all_pkgs && res->pkgs.n) {
		fputc('\n', out);
		print_packages(out, &res->pkgs);
	}
}

int brig_rpt_write_table(FILE *out, const struct brig_rpt *r, struct brig_error *err)
{
	errno = 0;
	if (r->n_results == 0) {
		_cleanup_free_ char *name = brig_rpt_term_clean(r->in->artifact_name);

		fprintf(out, "%s: no packages detected, no findings\n", name);
	}
	for (size_t i = 0; i < r->n_results; i++)
		print_result(out, r, &r->results[i]);
	if (fflush(out) != 0 || ferror(out))
		return brig_error_errno(err, errno ? errno : EIO, "writing the report");
	return 0;
}

/* brig config: lint Dockerfiles, Compose files and .dockerignore files
 * against the hardening rules of lib/config/rules_table.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "config/lint.h"
#include "config/rules.h"
#include "core/cleanup.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "match/filter.h"
#include "options.h"
#include "report/report.h"
#include "scan_common.h"

static const char config_usage[] =
	"Usage: brig config [flags] PATH...\n\n"
	"Lints Dockerfiles, Compose files and .dockerignore files. A directory is searched\n"
	"for Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, compose.y(a)ml,\n"
	"docker-compose*.y(a)ml and .dockerignore; a file is linted as its name (or\n"
	"--type, or its content) says. Suppress a finding with `# brig:ignore=ID` on the\n"
	"line above it (hadolint's `# hadolint ignore=DLxxxx` works too).";

static const char *const config_formats[] = {"table", "json", "sarif", NULL};

struct config_flags {
	const char *format;
	const char *output;
	const char *severity;
	const char *ignorefile;
	const char *type;
	int exit_code;
	bool list_rules;
	bool strict_compose;
	bool quiet;
	bool debug;
};

struct config_run {
	struct config_flags fl;
	struct brig_lint_files files;
	struct brig_finding_list findings;
	struct brig_filter filter;
	struct brig_report_target *targets;
};

static void config_run_free(struct config_run *r)
{
	brig_lint_files_free(&r->files);
	brig_finding_list_free(&r->findings);
	brig_filter_free(&r->filter);
	free(r->targets);
}

static int list_rules(const struct config_flags *fl)
{
	struct brig_error err = {0};

	if (brig_rules_write(stdout, fl->format ? fl->format : "table", &err) < 0 ||
	    fflush(stdout) != 0) {
		if (!err.msg[0])
			brig_error_errno(&err, errno, "writing the rule list");
		return scan_fail(&err);
	}
	return BRIG_EXIT_CLEAN;
}

/* Does an ignore-file entry name rule r through another tool's ID?
 * Trivy's AVD-DS-0002 is also written DS002. */
static bool names_rule(const char *id, const struct brig_rule *r)
{
	char avd[32];

	if (brig_rule_list_has(r->trivy, id) || brig_rule_list_has(r->hadolint, id) ||
	    brig_rule_list_has(r->kics, id) || brig_rule_list_has(r->checkov, id))
		return true;
	if (strncasecmp(id, "DS", 2) == 0 && strlen(id) == 5) {
		snprintf(avd, sizeof(avd), "AVD-DS-0%s", id + 2);
		return brig_rule_list_has(r->trivy, avd);
	}
	return false;
}

/* Adds the brig IDs that ignore-file entries name through equivalents. */
static void expand_ignored(struct brig_filter *f)
{
	size_t n = f->n_ignored;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < BRIG_R__COUNT; k++) {
			if (!names_rule(f->ignored_ids[i], &brig_rules[k]))
				continue;
			f->ignored_ids = brig_xrealloc(f->ignored_ids,
						       (f->n_ignored + 1) * sizeof(*f->ignored_ids));
			f->ignored_ids[f->n_ignored++] = brig_xstrdup(brig_rules[k].id);
		}
}

static int load_filter(const struct config_flags *fl, struct brig_filter *f,
		       struct brig_error *err)
{
	time_t now = time(NULL);

	if (fl->severity && brig_filter_set_severities(f, fl->severity, err) < 0)
		return -1;
	if (brig_filter_load_ignores(f, fl->ignorefile, now, err) < 0)
		return -1;
	expand_ignored(f);
	return 0;
}


static int lint_all(struct config_run *r, char **paths, int npaths, struct brig_error *err)
{
	struct brig_lint_options opt = {.lenient = !r->fl.strict_compose};

	if (r->fl.type && brig_lint_type_parse(r->fl.type, &opt.type) < 0)
		return brig_error_set(err, EINVAL,
				      "unknown --type '%s' (dockerfile, compose or dockerignore)",
				      r->fl.type);
	for (int i = 0; i < npaths; i++)
		if (brig_lint_discover(paths[i], &opt, &r->files, err) < 0)
			return -1;
	for (size_t i = 0; i < r->files.n; i++)
		brig_debug("linting %s as %s", r->files.items[i].path,
			   brig_lint_type_name(r->files.items[i].type));
	return brig_lint_files(&r->files, &opt, &r->findings, err);
}

static int parse_flags(struct config_flags *fl, int argc, char **argv, int *npos)
{
	const struct brig_option opts[] = {
		OPT_STRING("type", 't', &fl->type, "TYPE",
			   "dockerfile, compose or dockerignore (default: by name, then content)"),
		OPT_STRING("format", 'f', &fl->format, "FORMAT",
			   "table (default), json, sarif; with --list-rules: table, json, markdown"),
		OPT_STRING("output", 'o', &fl->output, "FILE", "write the report to FILE"),
		OPT_STRING("severity", 's', &fl->severity, "LIST",
			   "severities to report, e.g. HIGH,CRITICAL"),
		OPT_INT("exit-code", 0, &fl->exit_code, "N", "exit N when findings pass the filters"),
		OPT_STRING("ignorefile", 0, &fl->ignorefile, "FILE",
			   "ignore file (.brigignore/.trivyignore syntax; brig, Trivy or hadolint IDs)"),
		OPT_BOOL("list-rules", 0, &fl->list_rules, "list the rules and exit"),
		OPT_BOOL("strict-compose", 0, &fl->strict_compose,
			 "refuse Compose files docker compose would refuse (duplicate or misshapen "
			 "keys) instead of linting what can be read"),
		OPT_BOOL("quiet", 'q', &fl->quiet, "no progress or warnings"),
		OPT_BOOL("debug", 'd', &fl->debug, "debug logging"),
		OPT_END(),
	};

	return brig_parse_options(argc, argv, opts, config_usage, npos);
}

static bool format_ok(const char *f)
{
	for (const char *const *c = config_formats; *c; c++)
		if (strcmp(*c, f) == 0)
			return true;
	return false;
}

static int report(struct config_run *r, enum brig_format fmt, const char *artifact)
{
	struct brig_error err = {0};
	struct brig_report_input in = {0};

	r->targets = brig_xcalloc(r->files.n + 1, sizeof(*r->targets));
	for (size_t i = 0; i < r->files.n; i++)
		r->targets[i] = (struct brig_report_target){
			r->files.items[i].target, brig_lint_type_name(r->files.items[i].type),
			BRIG_FINDING_MISCONFIG};
	in.artifact_name = artifact;
	in.artifact_type = "filesystem";
	in.findings = &r->findings;
	in.targets = r->targets;
	in.n_targets = r->files.n;
	if (brig_report_write_path(r->fl.output, fmt, &in, &err) < 0)
		return scan_fail(&err);
	return r->findings.n && r->fl.exit_code ? r->fl.exit_code : BRIG_EXIT_CLEAN;
}

int cmd_config(int argc, char **argv)
{
	_cleanup_(config_run_free) struct config_run r = {0};
	struct brig_error err = {0};
	enum brig_format fmt;
	int npos = 0, rc;

	rc = parse_flags(&r.fl, argc, argv, &npos);
	if (rc != 0)
		return rc > 0 ? BRIG_EXIT_CLEAN : BRIG_EXIT_ERROR;
	brig_log_set_quiet(r.fl.quiet);
	if (r.fl.debug)
		brig_log_set_level(BRIG_LOG_DEBUG);
	if (r.fl.list_rules)
		return list_rules(&r.fl);
	if (!r.fl.format)
		r.fl.format = "table";
	if (!format_ok(r.fl.format) || brig_format_parse(r.fl.format, &fmt) < 0) {
		brig_error_set(&err, EINVAL, "config reports come as table, json or sarif, not '%s'",
			       r.fl.format);
		return scan_fail(&err);
	}
	if (npos < 1) {
		brig_error_set(&err, EINVAL, "brig config needs a PATH (a file or a directory)");
		return scan_fail(&err);
	}
	if (load_filter(&r.fl, &r.filter, &err) < 0 || lint_all(&r, argv, npos, &err) < 0)
		return scan_fail(&err);
	brig_filter_apply(&r.filter, &r.findings);
	return report(&r, fmt, argv[0]);
}

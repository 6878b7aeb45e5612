/* brig runtime: audit the running containers of an engine, and the engine.
 * The API tells what each container was asked to be; /proc, when the
 * containers run on this host, tells what it is. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "core/buf.h"
#include "core/cleanup.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "image/view.h"
#include "match/filter.h"
#include "match/match.h"
#include "options.h"
#include "remote.h"
#include "report/report.h"
#include "runtime/runtime.h"
#include "scan_common.h"
#include "source/engine.h"
#include "vulndb/vulndb.h"

static const char runtime_usage[] =
	"Usage: brig runtime [flags] [CONTAINER...]\n\n"
	"Audits the running containers of a Docker or podman engine (all of them, the ones\n"
	"named, or those matching --filter) and the engine itself. When the containers run\n"
	"on this host, what the API claims is checked against /proc.";

static const char *const runtime_formats[] = {"table", "json", "sarif", NULL};
static const char *const list_formats[] = {"table", "json", "markdown", NULL};

struct runtime_flags {
	const char *format;
	const char *output;
	const char *severity;
	const char *host;
	const char *filter;
	const char *compose;
	const char *project;
	const char *db;
	int exit_code;
	bool quiet;
	bool debug;
	bool list_checks;
	bool scan_images;
	bool no_proc;
};

/* ---- containers ---- */

struct fleet {
	struct brig_rt_container *items;
	size_t n, cap;
};

static void fleet_free(struct fleet *f)
{
	for (size_t i = 0; i < f->n; i++)
		brig_rt_container_free(&f->items[i]);
	free(f->items);
	memset(f, 0, sizeof(*f));
}

static bool valid_name(const char *s)
{
	size_t n = strnlen(s, 256);

	if (n == 0 || n > 255 || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

/* GET /containers/{ref}/json into the fleet. missing_ok: a container that
 * went away between the list and the inspect is skipped. */
static int inspect_one(struct brig_engine *e, const char *ref, bool missing_ok, struct fleet *f,
		       struct brig_error *err)
{
	_cleanup_buf_ struct brig_buf json = {0};
	_cleanup_free_ char *path = NULL;
	struct brig_rt_container c;

	if (!valid_name(ref))
		return brig_error_set(err, EINVAL, "invalid container name or ID '%.64s'", ref);
	path = brig_xasprintf("/containers/%s/json", ref);
	if (brig_engine_get_json(e, path, &json, err) < 0) {
		if (err->code == BRIG_ENGINE_ENOTFOUND) {
			if (missing_ok) {
				brig_error_clear(err);
				return 0;
			}
			return brig_error_set(err, ENOENT, "no such container: %s", ref);
		}
		return -1;
	}
	if (brig_rt_container_parse(json.data, json.len, &c, err) < 0)
		return brig_error_prefix(err, "%s", ref);
	if (f->n >= BRIG_RT_MAX_CONTAINERS) {
		brig_rt_container_free(&c);
		return brig_error_set(err, E2BIG, "more than %u containers", BRIG_RT_MAX_CONTAINERS);
	}
	BRIG_GROW(f->items, f->cap, f->n + 1);
	f->items[f->n++] = c;
	return 0;
}

static int load_containers(struct brig_engine *e, char **names, int nnames, struct fleet *f,
			   struct brig_error *err)
{
	_cleanup_buf_ struct brig_buf json = {0};
	char **ids = NULL;
	size_t n = 0;
	int rc = 0;

	for (int i = 0; i < nnames; i++)
		if (inspect_one(e, names[i], false, f, err) < 0)
			return -1;
	if (nnames)
		return 0;
	if (brig_engine_get_json(e, "/containers/json", &json, err) < 0 ||
	    brig_rt_list_parse(json.data, json.len, &ids, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = inspect_one(e, ids[i], true, f, err);
	brig_rt_strv_free(ids, n);
	return rc;
}

/* --filter label=KEY, label=KEY=VALUE, name=SUBSTRING (as docker ps) */
static int filter_match(const char *filter, const struct brig_rt_container *c, bool *keep,
			struct brig_error *err)
{
	if (strncmp(filter, "label=", 6) == 0) {
		const char *kv = filter + 6, *eq = strchr(kv, '=');
		_cleanup_free_ char *key = eq ? brig_xstrndup(kv, (size_t)(eq - kv)) : brig_xstrdup(kv);
		const char *v = brig_rt_container_label(c, key);

		*keep = v && (!eq || strcmp(v, eq + 1) == 0);
		return 0;
	}
	if (strncmp(filter, "name=", 5) == 0) {
		*keep = strstr(c->name, filter + 5) != NULL;
		return 0;
	}
	if (strncmp(filter, "id=", 3) == 0) {
		*keep = strncmp(c->id, filter + 3, strlen(filter + 3)) == 0;
		return 0;
	}
	return brig_error_set(err, EINVAL,
			      "unknown --filter '%.64s' (label=KEY[=VALUE], name=NAME or id=ID)",
			      filter);
}

/* keeps the containers keep() says yes to, in order */
static int fleet_retain(struct fleet *f, const char *filter, const char *project,
			struct brig_error *err)
{
	size_t w = 0;

	for (size_t i = 0; i < f->n; i++) {
		bool keep = true;

		if (filter && filter_match(filter, &f->items[i], &keep, err) < 0)
			return -1;
		if (keep && project) {
			const char *p = brig_rt_container_label(&f->items[i],
								"com.docker.compose.project");

			keep = p && strcmp(p, project) == 0;
		}
		if (keep)
			f->items[w++] = f->items[i];
		else
			brig_rt_container_free(&f->items[i]);
	}
	f->n = w;
	return 0;
}

/* A project brought up with -p NAME is not named after its directory:
 * compose records the directory in a label, so find the project by it
 * when the derived name matches nothing. */
static void adopt_project(const struct fleet *f, const char *file, char **project)
{
	char dir[PATH_MAX];
	char *slash;

	for (size_t i = 0; i < f->n; i++) {
		const char *p = brig_rt_container_label(&f->items[i], "com.docker.compose.project");

		if (p && strcmp(p, *project) == 0)
			return;
	}
	if (!realpath(file, dir) || !(slash = strrchr(dir, '/')))
		return;
	*(slash == dir ? slash + 1 : slash) = '\0';
	for (size_t i = 0; i < f->n; i++) {
		const char *wd = brig_rt_container_label(&f->items[i],
							 "com.docker.compose.project.working_dir");
		const char *p = brig_rt_container_label(&f->items[i], "com.docker.compose.project");

		if (wd && p && strcmp(wd, dir) == 0) {
			brig_info("compose project '%s' (from the working_dir label of %s)", p,
				  f->items[i].target);
			free(*project);
			*project = brig_xstrdup(p);
			return;
		}
	}
}

/* ---- the engine ---- */

static void engine_facts(struct brig_engine *e, struct brig_rt_engine *eng,
			 const struct runtime_flags *fl, const struct brig_rt_container *const *cs,
			 size_t n)
{
	_cleanup_buf_ struct brig_buf info = {0};
	struct brig_error err = {0};

	brig_rt_engine_stat_socket(eng);
	if (brig_engine_get_json(e, "/info", &info, &err) == 0)
		brig_rt_engine_parse_info(eng, info.data, info.len);
	else
		brig_debug("GET /info: %s", err.msg);
	/* podman has no "bridge" network and no icc switch */
	if (!eng->is_podman) {
		_cleanup_buf_ struct brig_buf bridge = {0};

		brig_error_clear(&err);
		if (brig_engine_get_json(e, "/networks/bridge", &bridge, &err) == 0)
			brig_rt_engine_parse_bridge(eng, bridge.data, bridge.len);
	}
	if (!fl->no_proc)
		brig_rt_engine_scan_procs(eng, "/proc", "");
	brig_rt_engine_probe_tcp(eng, 2375);
	brig_rt_engine_ulimits(eng, "", cs, n);
}

/* ---- --scan-images ---- */

/* The image's CRITICAL and HIGH vulnerabilities as findings of container
 * c: its Results[] entry then shows them next to its runtime problems. */
static void add_image_vulns(const struct brig_finding_list *vulns,
			    const struct brig_rt_container *c, const char *ref,
			    struct brig_finding_list *out)
{
	const char *image = c->image ? c->image : ref;

	for (size_t v = 0; v < vulns->n; v++) {
		const struct brig_finding *vf = &vulns->items[v];
		const struct brig_package *p = vf->pkg;
		const char *pkg = p && p->name ? p->name : "?";
		bool fixed = vf->fix && *vf->fix;
		struct brig_finding *nf;

		if (vf->severity < BRIG_SEV_HIGH)
			continue;
		nf = brig_finding_list_add(out);
		nf->kind = BRIG_FINDING_RUNTIME;
		nf->id = brig_xstrdup(vf->id ? vf->id : "");
		nf->severity = vf->severity;
		nf->title = brig_xstrdup(vf->title && *vf->title ? vf->title
							 : "Vulnerable package in the image");
		nf->description = vf->description ? brig_xstrdup(vf->description) : NULL;
		nf->message = brig_xasprintf("image %s: %s %s is affected%s%s", image, pkg,
					     p && p->version ? p->version : "",
					     fixed ? "; fixed in " : " (no fix yet)", fixed ? vf->fix : "");
		nf->fix = fixed ? brig_xasprintf("Update %s to %s", pkg, vf->fix) : NULL;
		nf->primary_url = vf->primary_url ? brig_xstrdup(vf->primary_url) : NULL;
		nf->target = brig_xstrdup(c->target);
		nf->target_type = brig_xstrdup("container");
		nf->source = brig_xstrdup("api");
	}
}

static bool same_image(const struct brig_rt_container *a, const struct brig_rt_container *b)
{
	return a->image_id && b->image_id && strcmp(a->image_id, b->image_id) == 0;
}

/* Loads ref from the engine and matches its packages. */
static int scan_one_image(struct brig_vulndb *db, const char *host, const char *ref,
			  struct brig_finding_list *vulns, struct brig_inventory *inv,
			  struct brig_error *err)
{
	struct remote_opts ro = {.engine_host = host};
	struct brig_platform plat;
	struct brig_layer_budget budget = {.limit = BRIG_DEFAULT_MAX_IMAGE_SIZE,
					   .remaining = BRIG_DEFAULT_MAX_IMAGE_SIZE};
	struct brig_image img = {0};
	const struct brig_layer_facts **facts;
	int rc;

	brig_platform_host(&plat);
	if (remote_load(ref, "engine", &ro, &plat, &budget, &img, err) < 0) {
		brig_image_free(&img);
		return -1;
	}
	facts = brig_xcalloc(img.n_layers ? img.n_layers : 1, sizeof(*facts));
	for (size_t l = 0; l < img.n_layers; l++)
		facts[l] = &img.layers[l]->facts;
	brig_view_build(facts, (const char *const *)img.diff_ids, img.n_layers, inv);
	free(facts);
	rc = brig_match_packages(db, &inv->os, &inv->pkgs, vulns, err);
	brig_image_free(&img);
	return rc;
}

/* Each distinct image (by ID) is read once, through the engine, however
 * many containers run it. */
static int scan_images(const struct runtime_flags *fl, const struct fleet *f,
		       struct brig_finding_list *out, struct brig_error *err)
{
	_cleanup_free_ char *dbpath = NULL;
	struct brig_vulndb *db = NULL;
	int rc = 0;

	if (fl->db)
		dbpath = brig_xstrdup(fl->db);
	else if (brig_vulndb_default_path(&dbpath, err) < 0)
		return -1;
	if (brig_vulndb_open(dbpath, false, &db, err) < 0)
		return brig_error_prefix(err, "--scan-images");
	for (size_t i = 0; i < f->n && rc == 0; i++) {
		const struct brig_rt_container *c = &f->items[i];
		const char *ref = c->image_id && *c->image_id ? c->image_id : c->image;
		struct brig_finding_list vulns = {0};
		struct brig_inventory inv = {0};
		bool seen = false;

		for (size_t k = 0; k < i && !seen; k++)
			seen = same_image(&f->items[k], c);
		if (!ref || seen)
			continue;
		brig_info("scanning image %s of %s", c->image ? c->image : ref, c->target);
		rc = scan_one_image(db, fl->host, ref, &vulns, &inv, err);
		if (rc < 0)
			brig_error_prefix(err, "--scan-images: %s", c->target);
		for (size_t k = i; k < f->n && rc == 0; k++)
			if (k == i || same_image(&f->items[k], c))
				add_image_vulns(&vulns, &f->items[k], ref, out);
		/* the matches borrow inv's packages; add_image_vulns copied what it keeps */
		brig_finding_list_free(&vulns);
		brig_inventory_free(&inv);
	}
	brig_vulndb_close(db);
	return rc;
}

/* ---- output ---- */


static int list_checks(const struct runtime_flags *fl)
{
	struct brig_error err = {0};
	const char *fmt = fl->format ? fl->format : "table";
	bool ok = false;

	for (const char *const *f = list_formats; *f; f++)
		ok = ok || strcmp(*f, fmt) == 0;
	if (!ok) {
		brig_error_set(&err, EINVAL, "--list-checks: --format must be table, json or markdown");
		return scan_fail(&err);
	}
	if (brig_rt_list_checks(stdout, fmt, &err) < 0)
		return scan_fail(&err);
	return BRIG_EXIT_CLEAN;
}

struct run {
	struct runtime_flags fl;
	struct brig_engine *engine;
	struct brig_compose *compose;
	struct fleet fleet;
	struct brig_rt_host host;
	struct brig_rt_engine eng;
	struct brig_finding_list findings;
	struct brig_filter filter;
	const struct brig_rt_container **cs;
	struct brig_report_target *targets;
	char *project;
	char *artifact;
};

static void run_free(struct run *r)
{
	brig_engine_close(r->engine);
	brig_compose_free(r->compose);
	fleet_free(&r->fleet);
	brig_rt_host_free(&r->host);
	brig_rt_engine_free(&r->eng);
	brig_finding_list_free(&r->findings);
	brig_filter_free(&r->filter);
	free(r->cs);
	free(r->targets);
	free(r->project);
	free(r->artifact);
}

static int audit(struct run *r, char **names, int nnames, struct brig_error *err)
{
	const struct runtime_flags *fl = &r->fl;
	char sock[PATH_MAX];
	struct brig_rt_ctx ctx = {0};
	size_t n;

	if (fl->compose) {
		if (brig_compose_load(fl->compose, NULL, &r->compose, err) < 0)
			return -1;
		r->project = fl->project ? brig_xstrdup(fl->project)
					 : brig_rt_compose_project(r->compose, fl->compose);
	}
	if (brig_engine_open(fl->host, &r->engine, err) < 0)
		return -1;
	if (load_containers(r->engine, names, nnames, &r->fleet, err) < 0)
		return -1;
	if (r->compose && !fl->project)
		adopt_project(&r->fleet, fl->compose, &r->project);
	if (fleet_retain(&r->fleet, fl->filter, nnames ? NULL : r->project, err) < 0)
		return -1;
	if (r->compose && !r->fleet.n)
		brig_warn("no running container belongs to compose project '%s' (give it with -p)",
			  r->project);
	n = r->fleet.n;
	brig_info("auditing %zu container%s", n, n == 1 ? "" : "s");
	if (!fl->no_proc) {
		size_t seen = 0;

		struct brig_error herr = {0};

		/* without our own view of the host, /proc cannot be interpreted:
		 * the API's answers are still worth a report */
		if (brig_rt_host_load(&r->host, "/proc", "", &herr) < 0) {
			brig_warn("reading this host's /proc: %s; checks rely on the API", herr.msg);
		} else {
			for (size_t i = 0; i < n; i++)
				seen += brig_rt_proc_overlay(&r->host, &r->fleet.items[i]);
			if (n && !seen)
				brig_info("no container's PID 1 is visible in /proc: checks rely on "
					  "the API");
		}
	}
	r->cs = brig_xcalloc(n ? n : 1, sizeof(*r->cs));
	for (size_t i = 0; i < n; i++)
		r->cs[i] = &r->fleet.items[i];
	r->artifact = brig_xasprintf("unix://%s", brig_engine_socket(r->engine));
	/* the socket as the host names it, for spotting it among mounts */
	snprintf(sock, sizeof(sock), "%s", brig_engine_socket(r->engine));
	if (!realpath(brig_engine_socket(r->engine), sock))
		snprintf(sock, sizeof(sock), "%s", brig_engine_socket(r->engine));
	brig_rt_engine_init(&r->eng, r->artifact, sock);
	engine_facts(r->engine, &r->eng, fl, r->cs, n);
	ctx.engine_socket = sock;
	ctx.engine_is_podman = r->eng.is_podman;
	ctx.userns_remap = r->eng.userns_remap == BRIG_RT_YES;
	for (size_t i = 0; i < n; i++)
		brig_rt_check_container(&ctx, r->cs[i], &r->findings);
	brig_rt_check_engine(&r->eng, r->cs, n, &r->findings);
	if (r->compose)
		brig_rt_compose_drift(r->compose, r->project, r->cs, n, r->artifact, &r->findings);
	if (fl->scan_images && scan_images(fl, &r->fleet, &r->findings, err) < 0)
		return -1;
	return 0;
}

int cmd_runtime(int argc, char **argv)
{
	_cleanup_(run_free) struct run r = {0};
	struct brig_error err = {0};
	struct brig_report_input in = {0};
	enum brig_format fmt;
	int npos = 0, rc;

	r.fl.exit_code = 0;
	{
		const struct brig_option opts[] = {
			OPT_STRING("host", 'H', &r.fl.host, "unix://PATH",
				   "engine socket (default: DOCKER_HOST, /var/run/docker.sock, "
				   "podman's)"),
			OPT_STRING("filter", 0, &r.fl.filter, "FILTER",
				   "label=KEY[=VALUE], name=NAME or id=ID"),
			OPT_STRING("compose", 0, &r.fl.compose, "FILE",
				   "audit the project of FILE and report drift from it"),
			OPT_STRING("project-name", 'p', &r.fl.project, "NAME",
				   "compose project name (default: as docker compose derives it)"),
			OPT_BOOL("scan-images", 0, &r.fl.scan_images,
				 "report CRITICAL/HIGH vulnerabilities of each container's image"),
			OPT_STRING("db", 0, &r.fl.db, "PATH", "vulnerability database (--scan-images)"),
			OPT_BOOL("no-proc", 0, &r.fl.no_proc,
				 "trust the API only (what docker-bench-security sees)"),
			OPT_BOOL("list-checks", 0, &r.fl.list_checks,
				 "list the checks (--format table, json or markdown) and exit"),
			OPT_STRING("format", 'f', &r.fl.format, "FORMAT",
				   "table (default), json, sarif"),
			OPT_STRING("output", 'o', &r.fl.output, "FILE", "write the report to FILE"),
			OPT_STRING("severity", 's', &r.fl.severity, "LIST",
				   "severities to report, e.g. HIGH,CRITICAL"),
			OPT_INT("exit-code", 0, &r.fl.exit_code, "N",
				"exit N when findings pass the filters"),
			OPT_BOOL("quiet", 'q', &r.fl.quiet, "no progress or warnings"),
			OPT_BOOL("debug", 'd', &r.fl.debug, "debug logging"),
			OPT_END(),
		};

		rc = brig_parse_options(argc, argv, opts, runtime_usage, &npos);
		if (rc != 0)
			return rc > 0 ? BRIG_EXIT_CLEAN : BRIG_EXIT_ERROR;
	}
	brig_log_set_quiet(r.fl.quiet);
	if (r.fl.debug)
		brig_log_set_level(BRIG_LOG_DEBUG);
	if (r.fl.list_checks)
		return list_checks(&r.fl);
	if (!r.fl.format)
		r.fl.format = "table";
	{
		bool ok = false;

		for (const char *const *f = runtime_formats; *f; f++)
			ok = ok || strcmp(*f, r.fl.format) == 0;
		if (!ok || brig_format_parse(r.fl.format, &fmt) < 0) {
			brig_error_set(&err, EINVAL, "runtime reports come as table, json or sarif, not '%s'",
				       r.fl.format);
			return scan_fail(&err);
		}
	}
	if (r.fl.severity && brig_filter_set_severities(&r.filter, r.fl.severity, &err) < 0)
		return scan_fail(&err);
	if (audit(&r, argv, npos, &err) < 0)
		return scan_fail(&err);
	brig_filter_apply(&r.filter, &r.findings);
	r.targets = brig_xcalloc(r.fleet.n + 1, sizeof(*r.targets));
	for (size_t i = 0; i < r.fleet.n; i++)
		r.targets[i] = (struct brig_report_target){r.fleet.items[i].target, "container",
							   BRIG_FINDING_RUNTIME};
	r.targets[r.fleet.n] = (struct brig_report_target){r.artifact, "engine", BRIG_FINDING_RUNTIME};
	in.artifact_name = r.artifact;
	in.artifact_type = "container_engine";
	in.findings = &r.findings;
	in.targets = r.targets;
	in.n_targets = r.fleet.n + 1;
	if (brig_report_write_path(r.fl.output, fmt, &in, &err) < 0)
		return scan_fail(&err);
	return r.findings.n && r.fl.exit_code ? r.fl.exit_code : BRIG_EXIT_CLEAN;
}

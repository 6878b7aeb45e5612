/* A fixed, hand-built inventory for the report tests and emit_samples:
 * dpkg + npm (node_modules, package-lock, yarn.lock) packages, vulnerability,
 * misconfiguration and runtime findings, and a few hostile strings. Built
 * without lib/scan's package.c so the report tests stand alone. */
#ifndef BRIG_TESTS_REPORT_FIXTURE_H
#define BRIG_TESTS_REPORT_FIXTURE_H

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "report/report.h"

#define FX_LAYER1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define FX_LAYER2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define FX_IMAGE_ID "sha256:9999999999999999999999999999999999999999999999999999999999999999"
#define FX_LONG_TITLE                                                                  \
	"openssl: a title long enough that no terminal table should print all of it "  \
	"because it goes on and on and on"

struct fixture {
	struct brig_os os;
	struct brig_pkg_list pkgs;
	struct brig_finding_list findings;
	json_t *config;
	struct brig_report_input in;
};

static char *fx_dup(const char *s)
{
	return s ? brig_xstrdup(s) : NULL;
}

/* brig_pkg_list_add stand-in (package.c belongs to lib/scan) */
static struct brig_package *fx_pkg(struct fixture *fx, enum brig_pkg_type type,
				   enum brig_pkg_origin origin, const char *name,
				   const char *version, const char *purl, const char *file_path)
{
	struct brig_package *p;

	BRIG_GROW(fx->pkgs.items, fx->pkgs.cap, fx->pkgs.n + 1);
	p = &fx->pkgs.items[fx->pkgs.n++];
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->origin = origin;
	p->name = fx_dup(name);
	p->version = fx_dup(version);
	p->src_name = fx_dup(name);
	p->src_version = fx_dup(version);
	p->purl = fx_dup(purl);
	p->file_path = fx_dup(file_path);
	return p;
}

static char **fx_strv(size_t n, ...)
{
	char **v = brig_xcalloc(n, sizeof(*v));
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		v[i] = brig_xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

static struct brig_finding *fx_vuln(struct fixture *fx, size_t pkg, const char *id,
				    enum brig_severity sev, const char *title)
{
	struct brig_finding *f = brig_finding_list_add(&fx->findings);

	f->kind = BRIG_FINDING_VULNERABILITY;
	f->id = fx_dup(id);
	f->severity = sev;
	f->title = fx_dup(title);
	f->description = brig_xasprintf("Description of %s.", id);
	f->pkg = &fx->pkgs.items[pkg];
	f->status = fx_dup("affected");
	return f;
}

static struct brig_finding *fx_check(struct fixture *fx, enum brig_finding_kind kind,
				     const char *target, const char *type, const char *id,
				     enum brig_severity sev)
{
	struct brig_finding *f = brig_finding_list_add(&fx->findings);

	f->kind = kind;
	f->id = fx_dup(id);
	f->severity = sev;
	f->target = fx_dup(target);
	f->target_type = fx_dup(type);
	f->title = brig_xasprintf("Title of %s", id);
	f->description = brig_xasprintf("Description of %s.", id);
	f->message = brig_xasprintf("Message of %s", id);
	return f;
}

static void fx_packages(struct fixture *fx)
{
	struct brig_package *p;

	p = fx_pkg(fx, BRIG_PKG_DPKG, BRIG_ORIGIN_OS_DB, "bash", "5.2.15-2+b2",
		   "pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12",
		   "/var/lib/dpkg/status");
	p->arch = fx_dup("amd64");
	p->license = fx_dup("gpl-3.0-or-later"); /* canonicalised in SBOMs */
	p->layer_diff_id = fx_dup(FX_LAYER1);
	p = fx_pkg(fx, BRIG_PKG_DPKG, BRIG_ORIGIN_OS_DB, "libssl3", "3.0.11-1~deb12u2",
		   "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
		   "/var/lib/dpkg/status");
	free(p->src_name);
	p->src_name = fx_dup("openssl");
	p->arch = fx_dup("amd64");
	p->license = fx_dup("Apache-2.0");
	p->layer_diff_id = fx_dup(FX_LAYER1);
	/* hostile: an escape sequence in a name, a licence that is not SPDX */
	p = fx_pkg(fx, BRIG_PKG_DPKG, BRIG_ORIGIN_OS_DB, "evil\x1b[31mpkg", "1.0",
		   "pkg:deb/debian/evil%1B%5B31mpkg@1.0?distro=debian-12", "/var/lib/dpkg/status");
	p->license = fx_dup("GPL-2+");
	p = fx_pkg(fx, BRIG_PKG_NPM, BRIG_ORIGIN_NODE_MODULES, "lodash", "4.17.20",
		   "pkg:npm/lodash@4.17.20", "/app/node_modules/lodash/package.json");
	p->pkg_path = fx_dup("app/node_modules/lodash");
	p->license = fx_dup("MIT");
	p->layer_diff_id = fx_dup(FX_LAYER2);
	/* the same purl again in another folder: bom-refs must still differ */
	p = fx_pkg(fx, BRIG_PKG_NPM, BRIG_ORIGIN_NODE_MODULES, "lodash", "4.17.20",
		   "pkg:npm/lodash@4.17.20", "/app/node_modules/a/node_modules/lodash/package.json");
	p->pkg_path = fx_dup("app/node_modules/a/node_modules/lodash");
	p->layer_diff_id = fx_dup(FX_LAYER2);
	p = fx_pkg(fx, BRIG_PKG_NPM, BRIG_ORIGIN_NPM_LOCK, "minimist", "1.2.5",
		   "pkg:npm/minimist@1.2.5", "/app/package-lock.json");
	p->pkg_path = fx_dup("node_modules/minimist");
	p->license = fx_dup("mit or apache-2.0");
	p->dev = true;
	p->layer_diff_id = fx_dup(FX_LAYER2);
	p = fx_pkg(fx, BRIG_PKG_NPM, BRIG_ORIGIN_YARN_LOCK, "left-pad", "1.3.0",
		   "pkg:npm/left-pad@1.3.0", "/srv/web/yarn.lock");
	p->license = fx_dup("WTFPL AND LicenseRef-left-pad");
}

static void fx_findings(struct fixture *fx)
{
	struct brig_finding *f;

	f = fx_vuln(fx, 1, "CVE-2023-5678", BRIG_SEV_MEDIUM, FX_LONG_TITLE);
	f->fix = fx_dup("3.0.13-1~deb12u1");
	f->status = (free(f->status), fx_dup("fixed"));
	f->severity_source = fx_dup("nvd");
	f->cvss_score = 5.3;
	f->cvss_vector = fx_dup("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L");
	f->primary_url = fx_dup("https://avd.aquasec.com/nvd/cve-2023-5678");
	f->references = fx_strv(2, "https://www.openssl.org/news/secadv/20231106.txt",
				"https://security-tracker.debian.org/tracker/CVE-2023-5678");
	f->n_references = 2;
	f->vendor_ids = fx_strv(1, "DSA-5585-1");
	f->n_vendor_ids = 1;
	fx_vuln(fx, 1, "CVE-2024-0727", BRIG_SEV_LOW, "openssl: denial of service via null dereference");
	f = fx_vuln(fx, 3, "CVE-2021-23337", BRIG_SEV_HIGH, "nodejs-lodash: command injection via template");
	f->fix = fx_dup("4.17.21");
	f->cvss_score = 7.2;
	f->severity_source = fx_dup("ghsa");
	f->cvss_vector = fx_dup("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H");
	f = fx_vuln(fx, 4, "CVE-2021-23337", BRIG_SEV_HIGH, "nodejs-lodash: command injection via template");
	f->fix = fx_dup("4.17.21");
	f = fx_vuln(fx, 5, "CVE-2021-44906", BRIG_SEV_CRITICAL,
		    "\x1b]0;pwned\x07minimist: prototype \xc2\x9b" "31m pollution");
	f->fix = fx_dup("1.2.6");
	f = fx_check(fx, BRIG_FINDING_MISCONFIG, "Dockerfile", "dockerfile", "DS002", BRIG_SEV_HIGH);
	f->file_path = fx_dup("Dockerfile");
	f->start_line = 3;
	f->end_line = 3;
	f->code_lines = fx_strv(1, "USER root\x1b[2J");
	f->n_code_lines = 1;
	f->fix = fx_dup("Add 'USER <non root user name>' to the Dockerfile");
	fx_check(fx, BRIG_FINDING_MISCONFIG, "Dockerfile", "dockerfile", "DS026", BRIG_SEV_LOW);
	/* UNKNOWN severity must still give GitHub a valid security-severity */
	fx_check(fx, BRIG_FINDING_MISCONFIG, "Dockerfile", "dockerfile", "DS099", BRIG_SEV_UNKNOWN);
	f = fx_check(fx, BRIG_FINDING_RUNTIME, "container web-1", "docker", "BRIG-RT-001",
		     BRIG_SEV_MEDIUM);
	f->source = fx_dup("api");
}

static const char *const fx_diff_ids[] = {FX_LAYER1, FX_LAYER2};
static const char *const fx_tags[] = {"debian:12"};
static const char *const fx_digests[] = {
	"debian@sha256:abababababababababababababababababababababababababababababababab"};

static void fixture_init(struct fixture *fx, bool list_all)
{
	memset(fx, 0, sizeof(*fx));
	fx->os.family = fx_dup("debian");
	fx->os.name = fx_dup("12.5");
	fx->os.version_id = fx_dup("12");
	fx->os.pretty_name = fx_dup("Debian GNU/Linux 12 (bookworm)");
	fx_packages(fx);
	fx_findings(fx);
	fx->config = json_pack("{s:s, s:s, s:{s:[s], s:s}}", "architecture", "amd64", "os",
			       "linux", "config", "Cmd", "bash", "User", "");
	fx->in = (struct brig_report_input){
		.artifact_name = "debian:12",
		.artifact_type = "container_image",
		.os = &fx->os,
		.image_id = FX_IMAGE_ID,
		.diff_ids = fx_diff_ids,
		.n_diff_ids = 2,
		.repo_tags = fx_tags,
		.n_repo_tags = 1,
		.repo_digests = fx_digests,
		.n_repo_digests = 1,
		.image_config = fx->config,
		.pkgs = &fx->pkgs,
		.list_all_pkgs = list_all,
		.findings = &fx->findings,
		.created_at = "2024-01-02T04:04:05.123+01:00",
	};
}

static void fixture_free(struct fixture *fx)
{
	for (size_t i = 0; i < fx->pkgs.n; i++) {
		struct brig_package *p = &fx->pkgs.items[i];

		free(p->name), free(p->version), free(p->src_name), free(p->src_version);
		free(p->arch), free(p->license), free(p->purl), free(p->file_path);
		free(p->pkg_path), free(p->layer_diff_id);
	}
	free(fx->pkgs.items);
	brig_finding_list_free(&fx->findings);
	free(fx->os.family), free(fx->os.name), free(fx->os.version_id);
	free(fx->os.codename), free(fx->os.pretty_name);
	json_decref(fx->config);
}

#endif

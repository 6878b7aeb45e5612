/* Tests for the `brig config` rules: the tricky parts of reading RUN
 * commands (pipefail through && and ;, heredoc bodies, cleanup in the same
 * RUN), which USER ships, suppression comments, and the rule table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/lint.h"
#include "config/parse_common.h"
#include "config/rules.h"
#include "core/xalloc.h"
#include "testutil.h"

static struct brig_finding_list lint_as(const char *text, enum brig_lint_type type)
{
	struct brig_finding_list l = {0};
	struct brig_error err = {0};

	if (brig_lint_buffer(text, strlen(text), "test", type, NULL, &l, &err) < 0) {
		print_error("lint failed: %s\n---\n%s\n", err.msg, text);
		fail();
	}
	return l;
}

/* How many findings of id; line 0 matches any line. */
static size_t count(const struct brig_finding_list *l, const char *id, int line)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += strcmp(l->items[i].id, id) == 0 && (!line || l->items[i].start_line == line);
	return n;
}

static void expect(const char *text, enum brig_lint_type type, const char *id, int line,
		   size_t want)
{
	struct brig_finding_list l = lint_as(text, type);
	size_t got = count(&l, id, line);

	if (got != want) {
		print_error("%s at line %d: %zu findings, want %zu\n---\n%s\n---\n", id, line, got,
			    want, text);
		for (size_t i = 0; i < l.n; i++)
			print_error("  %s:%d %s\n", l.items[i].id, l.items[i].start_line,
				    l.items[i].message);
		brig_finding_list_free(&l);
		fail();
	}
	brig_finding_list_free(&l);
}

#define DF(text, id, line, n) expect(text, BRIG_LINT_DOCKERFILE, id, line, n)
#define DC(text, id, line, n) expect(text, BRIG_LINT_COMPOSE, id, line, n)
#define DI(text, id, line, n) expect(text, BRIG_LINT_DOCKERIGNORE, id, line, n)

static void test_workdir_system(void **state)
{
	(void)state;
	DF("FROM a:1\nWORKDIR /proc\n", "BRIG-DF-062", 2, 1);
	DF("FROM a:1\nWORKDIR /dev/shm/x\n", "BRIG-DF-062", 2, 1);
	DF("FROM a:1\nWORKDIR \"/boot/\"\n", "BRIG-DF-062", 2, 1);
	DF("FROM a:1\nWORKDIR //sys//fs\n", "BRIG-DF-062", 2, 1);
	DF("FROM a:1\nWORKDIR /lost+found\n", "BRIG-DF-062", 2, 1);
	DF("FROM a:1\nWORKDIR /app\n", "BRIG-DF-062", 0, 0);
	DF("FROM a:1\nWORKDIR /procedures\n", "BRIG-DF-062", 0, 0);
	DF("FROM a:1\nWORKDIR /srv/dev\n", "BRIG-DF-062", 0, 0);
	DF("FROM a:1\nWORKDIR proc\n", "BRIG-DF-062", 0, 0);
	DF("FROM a:1\nWORKDIR /\n", "BRIG-DF-062", 0, 0);
}

/* Many files go through worker threads: the findings must come out in file
 * order, the same as linting each file alone, and the first failing file
 * (in file order) must decide the error. */
static void test_many_files(void **state)
{
	char dir[] = "/tmp/brig-lint-XXXXXX";
	struct brig_lint_files files = {0};
	struct brig_lint_options opt = {.type = BRIG_LINT_DOCKERFILE};
	struct brig_finding_list all = {0}, one = {0};
	struct brig_error err = {0};
	size_t k = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < 40; i++) {
		struct brig_lint_file *f;
		char path[64], text[200];

		snprintf(path, sizeof(path), "%s/Dockerfile.%02d", dir, i);
		/* a different set of findings per file: i decides which */
		snprintf(text, sizeof(text), "FROM %s\n%s%sCMD [\"x\"]\n",
			 i % 3 ? "debian" : "alpine:3.19", i % 2 ? "RUN cd /tmp\n" : "",
			 i % 5 ? "" : "MAINTAINER me\n");
		if (i % 7 == 6) /* and some without a finding */
			snprintf(text, sizeof(text), "FROM alpine:3.19@sha256:%064d\nUSER 1000\n"
				 "HEALTHCHECK CMD true\n", 0);
		brig_test_write_file(path, text);
		BRIG_GROW(files.items, files.cap, files.n + 1);
		f = &files.items[files.n++];
		f->path = brig_xstrdup(path);
		f->target = brig_xstrdup(path);
		f->type = BRIG_LINT_DOCKERFILE;
	}
	assert_int_equal(brig_lint_files(&files, &opt, &all, &err), 0);
	for (size_t i = 0; i < files.n; i++) {
		assert_int_equal(brig_lint_file(&files.items[i], &opt, &one, &err), 0);
		for (; k < one.n; k++) {
			assert_true(k < all.n);
			assert_string_equal(all.items[k].id, one.items[k].id);
			assert_string_equal(all.items[k].target, one.items[k].target);
		}
	}
	assert_int_equal(all.n, one.n);
	assert_true(all.n > files.n);
	brig_finding_list_free(&all);
	brig_finding_list_free(&one);

	/* files 7 and 30 unreadable: the error names file 7 */
	unlink(files.items[30].path);
	unlink(files.items[7].path);
	assert_int_equal(brig_lint_files(&files, &opt, &all, &err), -1);
	assert_non_null(strstr(err.msg, "Dockerfile.07"));
	for (size_t i = 0; i < files.n; i++) {
		unlink(files.items[i].path);
		free(files.items[i].path);
		free(files.items[i].target);
	}
	free(files.items);
	brig_finding_list_free(&all);
	rmdir(dir);
}

static void test_pipefail(void **state)
{
	(void)state;
	DF("FROM a:1\nRUN curl -fsSL x | tar x\n", "BRIG-DF-015", 2, 1);
	DF("FROM a:1\nRUN set -o pipefail && curl x | tar x\n", "BRIG-DF-015", 0, 0);
	DF("FROM a:1\nRUN set -eux; curl x | tar x\n", "BRIG-DF-015", 2, 1);
	DF("FROM a:1\nRUN set -euxo pipefail; curl x | tar x\n", "BRIG-DF-015", 0, 0);
	DF("FROM a:1\nRUN set -e -o pipefail \\\n && curl x \\\n | tar x\n", "BRIG-DF-015", 0, 0);
	/* too late: the pipe ran before pipefail was set */
	DF("FROM a:1\nRUN curl x | tar x && set -o pipefail\n", "BRIG-DF-015", 2, 1);
	/* || and quoted bars are not pipes */
	DF("FROM a:1\nRUN false || true\n", "BRIG-DF-015", 0, 0);
	DF("FROM a:1\nRUN echo 'a | b' \"c|d\" e\\|f\n", "BRIG-DF-015", 0, 0);
	/* SHELL with pipefail covers later RUNs of the stage only */
	DF("FROM a:1\nRUN a | b\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN c | d\n",
	   "BRIG-DF-015", 0, 1);
	DF("FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN c | d\n",
	   "BRIG-DF-015", 0, 0);
	/* sh -c scripts are scripts of their own: pipefail does not carry in */
	DF("FROM a:1\nRUN bash -c 'set -o pipefail; a | b'\n", "BRIG-DF-015", 0, 0);
	DF("FROM a:1\nRUN set -o pipefail && bash -c 'a | b'\n", "BRIG-DF-015", 2, 1);
	DF("FROM a:1\nRUN bash -o pipefail -c 'a | b'\n", "BRIG-DF-015", 0, 0);
	DF("FROM a:1\nRUN [\"/bin/bash\", \"-c\", \"a | b\"]\n", "BRIG-DF-015", 2, 1);
	DF("FROM a:1\nRUN [\"bash\", \"-o\", \"pipefail\", \"-c\", \"a | b\"]\n", "BRIG-DF-015", 0,
	   0);
	/* a pipe in a command substitution is inside one word */
	DF("FROM a:1\nRUN v=\"$(cat x | head -1)\" && echo $v\n", "BRIG-DF-015", 0, 0);
}

static void test_heredoc(void **state)
{
	(void)state;
	/* the body is the script: update and install in one RUN */
	DF("FROM a:1\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nUSER 1\n",
	   "BRIG-DF-026", 2, 1);
	DF("FROM a:1\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\nUSER 1\n",
	   "BRIG-DF-025", 2, 1);
	DF("FROM a:1\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n", "BRIG-DF-023", 0,
	   0);
	DF("FROM a:1\nRUN <<-EOT bash\n\tcurl x | sh\nEOT\n", "BRIG-DF-014", 2, 1);
	DF("FROM a:1\nRUN bash <<EOF\ncurl x | sh\nEOF\n", "BRIG-DF-015", 2, 1);
	/* not shell: another interpreter, or data for a file */
	DF("FROM a:1\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nos.system('sudo ls')\nEOF\n",
	   "BRIG-DF-018", 0, 0);
	DF("FROM a:1\nRUN python3 <<EOF\nsudo = 1 | 2\nEOF\n", "BRIG-DF-018", 0, 0);
	DF("FROM a:1\nRUN cat <<EOF > /etc/motd\nsudo make me a sandwich\nEOF\n", "BRIG-DF-018", 0,
	   0);
	/* two heredocs, the second a script */
	DF("FROM a:1\nCOPY <<A /a\nsudo\nA\nRUN <<B\nsudo id\nB\n", "BRIG-DF-018", 5, 1);
}

static void test_apt_cleanup(void **state)
{
	(void)state;
	DF("FROM a:1\nRUN apt-get update && apt-get install -y --no-install-recommends curl=1 \\\n"
	   "    && rm -rf /var/lib/apt/lists/*\n",
	   "BRIG-DF-026", 0, 0);
	DF("FROM a:1\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n",
	   "BRIG-DF-026", 2, 1);
	/* removing the lists before installing leaves the new ones */
	DF("FROM a:1\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y x\n",
	   "BRIG-DF-026", 2, 1);
	DF("FROM a:1\nRUN apt-get update; apt-get install -y x; apt-get clean\n", "BRIG-DF-026", 0,
	   0);
	DF("FROM a:1\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n",
	   "BRIG-DF-026", 0, 0);
	/* a build stage only copied from does not ship its layers */
	DF("FROM a:1 AS b\nRUN apt-get update && apt-get install -y x\nFROM c:1\nCOPY --from=b /x /x\n",
	   "BRIG-DF-026", 0, 0);
	/* ... but a stage built FROM does */
	DF("FROM a:1 AS b\nRUN apt-get update && apt-get install -y x\nFROM b\nRUN true\n",
	   "BRIG-DF-026", 2, 1);
	/* yum: clean must follow the install */
	DF("FROM a:1\nRUN yum install -y x-1.0 && yum clean all\n", "BRIG-DF-033", 0, 0);
	DF("FROM a:1\nRUN yum clean all && yum install -y x-1.0\n", "BRIG-DF-033", 2, 1);
	/* a separate update RUN: reported where the stale index is used */
	DF("FROM a:1\nRUN apt-get update\nRUN apt-get install -y x\n", "BRIG-DF-023", 3, 1);
	DF("FROM a:1\nRUN apk update\n", "BRIG-DF-023", 0, 0);
	/* apt-get -t takes a release, not a package */
	DF("FROM a:1\nRUN apt-get install -y -t bookworm-backports curl=1\n", "BRIG-DF-027", 0, 0);
	DF("FROM a:1\nRUN apt-get install -y python=2.7 ; echo \"A\" && echo \"B\"\n", "BRIG-DF-027",
	   0, 0);
	DF("FROM a:1\nRUN sudo DEBIAN_FRONTEND=noninteractive apt-get install -qq curl\n",
	   "BRIG-DF-024", 0, 0);
	DF("FROM a:1\nRUN DEBIAN_FRONTEND=noninteractive apt-get install -q curl\n", "BRIG-DF-024",
	   2, 1);
}

static void test_last_user(void **state)
{
	(void)state;
	/* root in a build stage that is only copied from does not ship */
	DF("FROM a:1 AS b\nUSER root\nFROM c:1\nUSER 1000\nCOPY --from=b /x /x\n", "BRIG-DF-006", 0,
	   0);
	DF("FROM a:1\nUSER app\nRUN x\nUSER root\n", "BRIG-DF-006", 4, 1);
	DF("FROM a:1\nUSER 0:0\n", "BRIG-DF-006", 2, 1);
	/* USER is inherited through FROM <stage> */
	DF("FROM a:1 AS base\nUSER 1000\nFROM base\nRUN x\n", "BRIG-DF-005", 0, 0);
	DF("FROM a:1 AS base\nUSER 1000\nFROM base\nRUN x\n", "BRIG-DF-006", 0, 0);
	DF("FROM a:1 AS base\nUSER root\nFROM base\nRUN x\n", "BRIG-DF-006", 2, 1);
	DF("FROM a:1\nRUN x\n", "BRIG-DF-005", 1, 1);
	DF("FROM a:1 AS x\nRUN y\nFROM b:1\nCOPY --from=x /y /y\n", "BRIG-DF-005", 3, 1);
	DF("FROM scratch\nCOPY x /x\n", "BRIG-DF-005", 0, 0);
	/* an unreferenced earlier stage can be built with --target: it ships too */
	DF("FROM a:1\nRUN x\nFROM b:1\nUSER 1\n", "BRIG-DF-005", 1, 1);
}

static void test_numeric_uid(void **state)
{
	(void)state;
	DF("FROM a:1\nUSER 1001\n", "BRIG-DF-007", 0, 0);
	DF("FROM a:1\nUSER 1001:1001\n", "BRIG-DF-007", 0, 0);
	DF("FROM a:1\nUSER 1001:app\n", "BRIG-DF-007", 0, 0);
	DF("FROM a:1\nUSER app\n", "BRIG-DF-007", 2, 1);
	DF("FROM a:1\nUSER app:1000\n", "BRIG-DF-007", 2, 1);
	DF("FROM a:1\nARG UID=1000\nUSER $UID\n", "BRIG-DF-007", 0, 0);
	DF("FROM a:1\nUSER root\n", "BRIG-DF-007", 0, 0);
}

static void test_suppression(void **state)
{
	(void)state;
	DF("FROM a:1\nRUN sudo x\n", "BRIG-DF-018", 2, 1);
	DF("FROM a:1\n# brig:ignore=BRIG-DF-018\nRUN sudo x\n", "BRIG-DF-018", 0, 0);
	DF("FROM a:1\n# hadolint ignore=DL3004\nRUN sudo x\n", "BRIG-DF-018", 0, 0);
	DF("FROM a:1\n# brig:ignore=BRIG-DF-015,BRIG-DF-018\n# another comment\nRUN sudo a | b\n",
	   "BRIG-DF-015", 0, 0);
	DF("FROM a:1\n# brig:ignore=BRIG-DF-015,BRIG-DF-018\nRUN sudo a | b\n", "BRIG-DF-018", 0,
	   0);
	/* only the comments right above: a blank line or instruction ends them */
	DF("FROM a:1\n# brig:ignore=BRIG-DF-018\n\nRUN sudo x\n", "BRIG-DF-018", 4, 1);
	DF("# brig:ignore=BRIG-DF-018\nFROM a:1\nRUN sudo x\n", "BRIG-DF-018", 3, 1);
	/* another rule's ID, and hadolint codes with no brig equivalent, do nothing */
	DF("FROM a:1\n# brig:ignore=BRIG-DF-001\nRUN sudo x\n", "BRIG-DF-018", 3, 1);
	DF("FROM a:1\n# hadolint ignore=DL3008\nRUN sudo x\n", "BRIG-DF-018", 3, 1);
	/* a "missing" finding on the FROM line is suppressed above the FROM */
	DF("# brig:ignore=BRIG-DF-008\nFROM a:1\nUSER 1\n", "BRIG-DF-008", 0, 0);
	DC("services:\n  a:\n    privileged: true  # brig:ignore=BRIG-DC-001\n", "BRIG-DC-001", 0,
	   0);
	DC("services:\n  a:\n    # brig:ignore=BRIG-DC-001\n    privileged: true\n", "BRIG-DC-001",
	   0, 0);
	DC("services:\n  a:\n    privileged: true\n", "BRIG-DC-001", 3, 1);
	DI("# brig:ignore=BRIG-DI-003\n.git\n", "BRIG-DI-003", 0, 0);
	DI(".git\n", "BRIG-DI-003", 0, 1);
}

static void test_secrets(void **state)
{
	(void)state;
	DF("FROM a:1\nENV DB_PASSWORD=hunter22\n", "BRIG-DF-009", 2, 1);
	DF("FROM a:1\nENV DB_PASSWORD hunter22\n", "BRIG-DF-009", 2, 1);
	DF("FROM a:1\nENV DB_PASSWORD_FILE=/run/secrets/db\n", "BRIG-DF-009", 0, 0);
	DF("FROM a:1\nENV DB_PASSWORD=/run/secrets/db\n", "BRIG-DF-009", 0, 0);
	DF("FROM a:1\nARG GITHUB_TOKEN\n", "BRIG-DF-009", 2, 1);
	DF("FROM a:1\nARG VERSION=1\nENV KEY_ID=AKIAIOSFODNN7EXAMPLE\n", "BRIG-DF-009", 3, 1);
	DF("FROM a:1\nENV ARTEMIS_USER artemis\n", "BRIG-DF-009", 0, 0);
	DC("services:\n  a:\n    environment:\n      - POSTGRES_PASSWORD=postgres\n"
	   "      - POSTGRES_PASSWORD_FILE=/run/secrets/pg\n      - HOME=/x\n",
	   "BRIG-DC-025", 4, 1);
	DC("services:\n  a:\n    environment:\n      TOKEN: ${TOKEN}\n", "BRIG-DC-025", 0, 0);
}

static void test_compose_lines(void **state)
{
	(void)state;
	/* missing limits: on the deepest key that exists on the way */
	DC("services:\n  a:\n    image: x:1\n", "BRIG-DC-015", 2, 1);
	DC("services:\n  a:\n    image: x:1\n    deploy:\n      resources:\n        limits:\n"
	   "          cpus: '1'\n",
	   "BRIG-DC-015", 6, 1);
	DC("services:\n  a:\n    image: x:1\n    mem_limit: 512m\n", "BRIG-DC-015", 0, 0);
	DC("services:\n  a:\n    image: x:1\n    pids_limit: -1\n", "BRIG-DC-017", 4, 1);
	DC("services:\n  a:\n    ports:\n      - \"127.0.0.1:8080:8080\"\n", "BRIG-DC-020", 0, 0);
	DC("services:\n  a:\n    ports:\n      - \"8080:8080\"\n", "BRIG-DC-020", 3, 1);
	DC("services:\n  a:\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE]\n", "BRIG-DC-010",
	   0, 0);
	DC("services:\n  a:\n    cap_drop: [ALL]\n    cap_add: [SYS_ADMIN]\n", "BRIG-DC-010", 4, 1);
	DC("services:\n  a:\n    volumes:\n      - type: bind\n        source: /etc\n        target: /x\n",
	   "BRIG-DC-008", 5, 1);
	DC("services:\n  a:\n    volumes:\n      - ./data:/data\n      - /var/run/docker.sock:/s\n",
	   "BRIG-DC-007", 5, 1);
	DC("services:\n  a:\n    volumes:\n      - ./data:/data\n      - /var/run/docker.sock:/s\n",
	   "BRIG-DC-008", 0, 0);
}

static void test_dockerignore(void **state)
{
	(void)state;
	DI(".git\nnode_modules\n.env*\nsecrets/\n*.pem\n*.key\nid_rsa*\n", "BRIG-DI-002", 0, 0);
	DI(".git\nnode_modules\n.env*\nsecrets/\n*.pem\n*.key\nid_rsa*\n", "BRIG-DI-005", 0, 0);
	DI("node_modules\n", "BRIG-DI-002", 0, 1);
	/* an allowlist: everything out, then the sources back in */
	DI("*\n!src\n!package*.json\n", "BRIG-DI-004", 0, 0);
	DI(".git\n!.env\n", "BRIG-DI-004", 0, 1);
}

static void test_rule_table(void **state)
{
	static const char *const prefix[] = {"BRIG-DF-", "BRIG-DC-", "BRIG-DI-"};

	(void)state;
	for (size_t i = 0; i < BRIG_R__COUNT; i++) {
		const struct brig_rule *r = &brig_rules[i];

		assert_non_null(r->id);
		assert_int_equal(strncmp(r->id, prefix[r->kind], 8), 0);
		assert_int_equal(strlen(r->id), 11);
		assert_true(*r->title && *r->description && *r->resolution);
		assert_true(r->severity >= BRIG_SEV_LOW && r->severity <= BRIG_SEV_CRITICAL);
		assert_ptr_equal(brig_rule_by_id(r->id), r);
		for (size_t k = i + 1; k < BRIG_R__COUNT; k++)
			assert_string_not_equal(r->id, brig_rules[k].id);
		/* numbered in table order within a kind: IDs are stable, append only */
		if (i && brig_rules[i - 1].kind == r->kind)
			assert_true(strcmp(brig_rules[i - 1].id, r->id) < 0);
	}
	assert_null(brig_rule_by_id("BRIG-DF-999"));
	assert_true(brig_rule_list_has("DL3006 DL3007", "DL3007"));
	assert_false(brig_rule_list_has("DL3006 DL3007", "DL300"));
}

static void test_types(void **state)
{
	(void)state;
	assert_int_equal(brig_lint_type_by_name("a/Dockerfile"), BRIG_LINT_DOCKERFILE);
	assert_int_equal(brig_lint_type_by_name("Dockerfile.prod"), BRIG_LINT_DOCKERFILE);
	assert_int_equal(brig_lint_type_by_name("api.Dockerfile"), BRIG_LINT_DOCKERFILE);
	assert_int_equal(brig_lint_type_by_name("Containerfile"), BRIG_LINT_DOCKERFILE);
	assert_int_equal(brig_lint_type_by_name("Dockerfile.dockerignore"), BRIG_LINT_DOCKERIGNORE);
	assert_int_equal(brig_lint_type_by_name(".dockerignore"), BRIG_LINT_DOCKERIGNORE);
	assert_int_equal(brig_lint_type_by_name("compose.yaml"), BRIG_LINT_COMPOSE);
	assert_int_equal(brig_lint_type_by_name("docker-compose.prod.yml"), BRIG_LINT_COMPOSE);
	assert_int_equal(brig_lint_type_by_name("values.yaml"), BRIG_LINT_AUTO);
	/* by content when the name says nothing */
	DF("# comment\nfrom alpine:3\nRUN sudo x\n", "BRIG-DF-018", 3, 1);
	expect("services:\n  a:\n    privileged: true\n", BRIG_LINT_AUTO, "BRIG-DC-001", 3, 1);
}

static void test_real_files(void **state)
{
	char buf[4096];
	const char *dir;
	struct brig_lint_files files = {0};
	struct brig_lint_options opt = {.lenient = true};
	struct brig_finding_list l = {0};
	struct brig_error err = {0};

	(void)state;
	BRIG_REQUIRE_SHARED("real-dockerfiles", buf);
	dir = buf;
	assert_int_equal(brig_lint_discover(dir, &opt, &files, &err), 0);
	assert_true(files.n >= 50);
	for (size_t i = 0; i < files.n; i++)
		if (brig_lint_file(&files.items[i], &opt, &l, &err) < 0) {
			print_error("%s: %s\n", files.items[i].path, err.msg);
			fail();
		}
	assert_true(l.n > 0);
	brig_finding_list_free(&l);
	brig_lint_files_free(&files);
}

/* brig_cfg_find_ci against a plain reference search, at every offset
 * and case of the needle, on both sides of the eight-byte scan. */
static const char *find_ci_ref(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; ; hay++) {
		size_t i = 0;

		while (i < n && hay[i] && (hay[i] | 0x20) == (needle[i] | 0x20) &&
		       ((hay[i] | 0x20) >= 'a' && (hay[i] | 0x20) <= 'z' ? 1 : hay[i] == needle[i]))
			i++;
		if (i == n)
			return hay;
		if (!*hay)
			return NULL;
	}
}

static void test_find_ci(void **state)
{
	static const char *const needles[] = {"gpgcheck=0", "AllowUnauthenticated=true", "x",
					      "@", "`", "--Insecure", "Ä", NULL};
	const char *abc = "abc";
	char hay[96];

	(void)state;
	assert_ptr_equal(brig_cfg_find_ci(abc, ""), abc);
	for (const char *const *nd = needles; *nd; nd++) {
		size_t n = strlen(*nd);

		for (size_t len = 0; len + 1 < sizeof(hay); len += 3)
			for (size_t at = 0; at <= len + 1; at++) {
				memset(hay, 'Q', len);
				hay[len] = '\0';
				/* the needle (upper-cased every other time) cut at the end */
				for (size_t i = 0; at + i < len && i < n; i++)
					hay[at + i] = (at & 1) && (*nd)[i] >= 'a' && (*nd)[i] <= 'z'
							      ? (char)((*nd)[i] - 32)
							      : (*nd)[i];
				/* bytes equal to the first one but for 0x20 */
				if (len > 2)
					hay[len / 2] = (char)((*nd)[0] ^ 0x20);
				assert_ptr_equal(brig_cfg_find_ci(hay, *nd), find_ci_ref(hay, *nd));
			}
	}
	assert_string_equal(brig_cfg_find_ci("apt-get -o APT::Get::AllowUnauthenticated=TRUE x",
					     "AllowUnauthenticated=true"),
			    "AllowUnauthenticated=TRUE x");
	assert_null(brig_cfg_find_ci("gpgcheck=", "gpgcheck=0"));
}

/* Checks that only look at some commands or words: their quick
 * pre-tests must not hide a finding. */
static void test_prefiltered(void **state)
{
	(void)state;
	DF("FROM a:1\nRUN git config --global http.SSLVERIFY=False\n", "BRIG-DF-016", 2, 1);
	DF("FROM a:1\nRUN x --opt=sslverify=1,sslverify=0\n", "BRIG-DF-016", 2, 1);
	DF("FROM a:1\nRUN x --opt=sslverify=1 sslverify=true\n", "BRIG-DF-016", 0, 0);
	DF("FROM a:1\nRUN apt-get -o APT::Get::AllowUnauthenticated=TRUE install -y x\n",
	   "BRIG-DF-017", 2, 1);
	DF("FROM a:1\nRUN echo 'deb [trusted=yes] http://x ./' > /etc/apt/sources.list\n",
	   "BRIG-DF-017", 2, 1);
	DF("FROM a:1\nRUN yum --setopt=gpgcheck=0 install -y x-1.0\n", "BRIG-DF-017", 2, 1);
	DF("FROM a:1\nRUN yum install -y x-1.0\n", "BRIG-DF-017", 0, 0);
	/* the package manager named past the command word still counts */
	DF("FROM a:1\nRUN echo x | xargs yum install -y\n", "BRIG-DF-033", 2, 1);
	DF("FROM a:1\nRUN echo x | xargs yum install -y && yum clean all\n", "BRIG-DF-033", 0, 0);
	DF("FROM a:1\nRUN /usr/bin/dnf install -y x-1\n", "BRIG-DF-036", 2, 1);
	DF("FROM a:1\nRUN sudo zypper install -y x=1\n", "BRIG-DF-039", 2, 1);
	/* a wrapper option that wants a value, and none follows (fuzzing):
	 * still sudo, no command */
	DF("FROM a:1\nRUN sudo -u\n", "BRIG-DF-018", 2, 1);
	DF("FROM a:1\nRUN true && sudo -u root -g\n", "BRIG-DF-018", 2, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipefail), cmocka_unit_test(test_find_ci), cmocka_unit_test(test_prefiltered),      cmocka_unit_test(test_workdir_system),
		cmocka_unit_test(test_many_files),      cmocka_unit_test(test_heredoc),
		cmocka_unit_test(test_apt_cleanup),   cmocka_unit_test(test_last_user),
		cmocka_unit_test(test_numeric_uid),   cmocka_unit_test(test_suppression),
		cmocka_unit_test(test_secrets),	      cmocka_unit_test(test_compose_lines),
		cmocka_unit_test(test_dockerignore),  cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_types),	      cmocka_unit_test(test_real_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

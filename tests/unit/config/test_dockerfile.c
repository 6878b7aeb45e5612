#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/dockerfile.h"
#include "core/cleanup.h"
#include "core/xalloc.h"
#include "testutil.h"
#include "config_test.h"

/* ---- helpers ---- */

static struct brig_dockerfile *parse_ok_opt(const char *text, const char *const *build_args)
{
	struct brig_df_options opt = {.build_args = build_args};
	struct brig_error err = {0};
	struct brig_dockerfile *df = NULL;

	if (brig_dockerfile_parse(text, strlen(text), "t.Dockerfile", &opt, &df, &err) != 0) {
		print_error("unexpected parse error: %s\n", err.msg);
		fail();
	}
	return df;
}

static struct brig_dockerfile *parse_ok(const char *text)
{
	return parse_ok_opt(text, NULL);
}

/* Parses text expecting failure; the message must contain want. */
static void parse_fails_n(const char *text, size_t len, const char *want)
{
	struct brig_error err = {0};
	struct brig_dockerfile *df = NULL;

	if (brig_dockerfile_parse(text, len, "t.Dockerfile", NULL, &df, &err) == 0) {
		print_error("expected failure containing \"%s\" for: %.80s\n", want, text);
		brig_dockerfile_free(df);
		fail();
	}
	assert_null(df);
	if (!strstr(err.msg, want)) {
		print_error("error \"%s\" lacks \"%s\"\n", err.msg, want);
		fail();
	}
}

static void parse_fails(const char *text, const char *want)
{
	parse_fails_n(text, strlen(text), want);
}

static const struct brig_df_instruction *ins_at(const struct brig_dockerfile *df, size_t i)
{
	assert_true(i < df->n_all);
	return df->all[i];
}

static const struct brig_df_kv *kv_named(const struct brig_df_instruction *ins, const char *key)
{
	for (size_t i = 0; i < ins->n_kvs; i++) {
		if (!strcmp(ins->kvs[i].key, key))
			return &ins->kvs[i];
	}
	print_error("no key %s\n", key);
	fail();
	return NULL;
}

/* ---- the tricky fixture: every syntax feature, exact lines ---- */

static void test_tricky_fixture(void **state)
{
	_cleanup_free_ char *path = fixture_path("tricky.dockerfile");
	struct brig_error err = {0};
	struct brig_dockerfile *df = NULL;
	const struct brig_df_stage *s0, *s1;
	const struct brig_df_instruction *in;

	(void)state;
	assert_int_equal(brig_dockerfile_load(path, NULL, &df, &err), 0);
	assert_int_equal(df->n_lines, 47);
	assert_int_equal(df->escape, '\\');

	assert_int_equal(df->n_directives, 2);
	assert_string_equal(df->directives[0].name, "syntax");
	assert_string_equal(df->directives[0].value, "docker/dockerfile:1.7");
	assert_int_equal(df->directives[0].line, 1);
	assert_string_equal(df->directives[1].name, "escape");
	assert_string_equal(df->directives[1].value, "\\");
	assert_int_equal(df->directives[1].line, 2);

	/* global ARGs */
	assert_int_equal(df->n_global_args, 3);
	assert_int_equal(df->global_args[0].start_line, 5);
	assert_int_equal(df->global_args[0].stage, -1);
	assert_string_equal(df->global_args[0].kvs[0].key, "BASE");
	assert_string_equal(df->global_args[0].kvs[0].value, "alpine");
	assert_null(df->global_args[1].kvs[0].value); /* ARG TAG */
	assert_null(df->global_args[1].kvs[0].value_raw);

	assert_int_equal(df->n_stages, 2);
	assert_int_equal(df->n_all, 29);
	s0 = &df->stages[0];
	s1 = &df->stages[1];

	/* FROM --platform=$BUILDPLATFORM ${REG}/${BASE}:${TAG:-3.19} AS Builder */
	assert_int_equal(s0->index, 0);
	assert_string_equal(s0->name, "builder");
	assert_string_equal(s0->base_raw, "${REG}/${BASE}:${TAG:-3.19}");
	assert_string_equal(s0->base, "docker.io/library/alpine:3.19");
	assert_false(s0->base_unresolved);
	assert_int_equal(s0->base_stage, -1);
	assert_string_equal(s0->platform_raw, "$BUILDPLATFORM");
	/* BuildKit fills BUILDPLATFORM at build time: we keep the reference */
	assert_string_equal(s0->platform, "$BUILDPLATFORM");
	assert_int_equal(s0->n_instructions, 13);
	in = &s0->instructions[0];
	assert_int_equal(in->cmd, BRIG_DF_FROM);
	assert_int_equal(in->start_line, 8);
	assert_int_equal(in->end_line, 8);
	assert_string_equal(brig_df_flag(in, "platform")->value, "$BUILDPLATFORM");

	/* ENV A=1 B=$A: B sees the scope before the instruction (A unset) */
	in = &s0->instructions[2];
	assert_int_equal(in->cmd, BRIG_DF_ENV);
	assert_string_equal(kv_named(in, "A")->value, "1");
	assert_string_equal(kv_named(in, "B")->value, "$A");
	assert_true(in->unresolved);
	/* ENV A=2 C="${A} x" D=${B:+set} */
	in = &s0->instructions[3];
	assert_string_equal(kv_named(in, "C")->value, "1 x");
	assert_string_equal(kv_named(in, "C")->value_raw, "\"${A} x\"");
	assert_string_equal(kv_named(in, "D")->value, "set");
	assert_string_equal(in->args_expanded, "A=2 C=\"1 x\" D=set");
	assert_int_equal(in->argc, 3);
	assert_string_equal(in->argv[1], "C=1 x");

	/* run --mount=... \ --network=none \ # comment, blank, continuation */
	in = &s0->instructions[4];
	assert_int_equal(in->cmd, BRIG_DF_RUN);
	assert_string_equal(in->keyword, "RUN");
	assert_string_equal(in->keyword_raw, "run");
	assert_int_equal(in->start_line, 12);
	assert_int_equal(in->end_line, 17);
	assert_int_equal(in->n_lines, 6);
	assert_string_equal(in->lines[0], "run --mount=type=cache,target=/root/.cache \\");
	assert_string_equal(in->lines[2], "  # comment inside continuation");
	assert_string_equal(in->lines[3], "");
	assert_int_equal(in->n_flags, 2);
	assert_string_equal(in->flags[0].name, "mount");
	assert_string_equal(in->flags[0].value, "type=cache,target=/root/.cache");
	assert_string_equal(in->flags[1].name, "network");
	assert_string_equal(in->flags[1].value, "none");
	assert_false(in->json_form);
	assert_int_equal(in->argc, 1);
	assert_string_equal(in->args,
			    "apk add --no-cache curl     && echo \"$A \\$A ${A-x} ${NOPE-dflt} ${NOPE:+y}\" '$A'");
	assert_string_equal(in->args_expanded,
			    "apk add --no-cache curl     && echo \"2 \\$A 2 dflt \" '$A'");

	/* RUN <<EOF */
	in = &s0->instructions[5];
	assert_int_equal(in->start_line, 18);
	assert_int_equal(in->end_line, 21);
	assert_int_equal(in->n_heredocs, 1);
	assert_string_equal(in->heredocs[0].delimiter, "EOF");
	assert_string_equal(in->heredocs[0].body, "set -e\necho hi $A\n");
	assert_false(in->heredocs[0].quoted);
	assert_false(in->heredocs[0].strip_tabs);
	assert_int_equal(in->heredocs[0].body_line, 19);
	assert_int_equal(in->heredocs[0].end_line, 21);

	/* RUN <<-"END" cat >/out <<'TWO' */
	in = &s0->instructions[6];
	assert_int_equal(in->start_line, 22);
	assert_int_equal(in->end_line, 26);
	assert_int_equal(in->n_heredocs, 2);
	assert_string_equal(in->heredocs[0].delimiter, "END");
	assert_true(in->heredocs[0].strip_tabs);
	assert_true(in->heredocs[0].quoted);
	assert_string_equal(in->heredocs[0].body, "tabbed line\n");
	assert_int_equal(in->heredocs[0].end_line, 24);
	assert_string_equal(in->heredocs[1].delimiter, "TWO");
	assert_true(in->heredocs[1].quoted);
	assert_false(in->heredocs[1].strip_tabs);
	assert_string_equal(in->heredocs[1].body, "second $A\n");
	assert_int_equal(in->heredocs[1].body_line, 25);
	assert_int_equal(in->heredocs[1].end_line, 26);

	/* COPY --chown --chmod --link <<EOF /etc/conf */
	in = &s0->instructions[7];
	assert_int_equal(in->cmd, BRIG_DF_COPY);
	assert_int_equal(in->start_line, 27);
	assert_int_equal(in->end_line, 29);
	assert_string_equal(brig_df_flag(in, "chown")->value, "1000:1000");
	assert_string_equal(brig_df_flag(in, "chmod")->value, "0755");
	assert_non_null(brig_df_flag(in, "link"));
	assert_null(brig_df_flag(in, "link")->value);
	assert_null(brig_df_flag(in, "from"));
	assert_int_equal(in->argc, 2);
	assert_string_equal(in->argv[0], "<<EOF");
	assert_string_equal(in->argv[1], "/etc/conf");
	assert_string_equal(in->heredocs[0].body, "content\n");

	/* COPY ["a b", "$A", "/dst/"]: exec form, expanded */
	in = &s0->instructions[8];
	assert_true(in->json_form);
	assert_int_equal(in->argc, 3);
	assert_string_equal(in->argv[0], "a b");
	assert_string_equal(in->argv[1], "2");
	assert_string_equal(in->argv[2], "/dst/");

	/* CMD exec form is not expanded by docker */
	in = &s0->instructions[9];
	assert_true(in->json_form);
	assert_string_equal(in->argv[2], "echo $A");
	assert_string_equal(in->args_expanded, in->args);

	/* ENTRYPOINT ["broken json: falls back to shell form */
	in = &s0->instructions[10];
	assert_false(in->json_form);
	assert_int_equal(in->argc, 1);
	assert_string_equal(in->argv[0], "[\"broken json");

	/* HEALTHCHECK --interval=30s --timeout=3s CMD curl ... */
	in = &s0->instructions[11];
	assert_int_equal(in->cmd, BRIG_DF_HEALTHCHECK);
	assert_string_equal(brig_df_flag(in, "interval")->value, "30s");
	assert_string_equal(brig_df_flag(in, "timeout")->value, "3s");
	assert_string_equal(in->argv[0], "CMD");
	assert_non_null(in->sub);
	assert_int_equal(in->sub->cmd, BRIG_DF_CMD);
	assert_false(in->sub->json_form);
	assert_string_equal(in->sub->argv[0], "curl -f http://localhost/ || exit 1");

	/* ONBUILD RUN echo onbuild */
	in = &s0->instructions[12];
	assert_int_equal(in->cmd, BRIG_DF_ONBUILD);
	assert_non_null(in->sub);
	assert_int_equal(in->sub->cmd, BRIG_DF_RUN);
	assert_string_equal(in->sub->args, "echo onbuild");
	assert_int_equal(in->sub->start_line, 34);

	/* stage 1: FROM builder AS second, inherits builder's ENV */
	assert_string_equal(s1->name, "second");
	assert_int_equal(s1->base_stage, 0);
	assert_int_equal(s1->n_instructions, 13);
	assert_string_equal(brig_df_flag(&s1->instructions[1], "from")->value, "builder");
	assert_ptr_equal(brig_dockerfile_stage_ref(df, "builder", 1), s0);
	assert_ptr_equal(brig_dockerfile_stage_ref(df, "BUILDER", 1), s0);
	assert_ptr_equal(brig_dockerfile_stage_ref(df, "0", 1), s0);
	assert_null(brig_dockerfile_stage_ref(df, "1", 1));
	assert_null(brig_dockerfile_stage_ref(df, "second", 1));
	assert_ptr_equal(brig_dockerfile_stage_ref(df, "second", 2), s1);
	assert_null(brig_dockerfile_stage_ref(df, "alpine:3", 2));
	in = &s1->instructions[3];
	assert_int_equal(in->cmd, BRIG_DF_HEALTHCHECK);
	assert_string_equal(in->argv[0], "NONE");
	assert_null(in->sub);
	in = &s1->instructions[4];
	assert_int_equal(in->cmd, BRIG_DF_USER);
	assert_string_equal(in->argv[0], "2");
	in = &s1->instructions[5];
	assert_int_equal(in->argc, 2);
	assert_string_equal(in->argv[0], "80/tcp");
	in = &s1->instructions[6];
	assert_string_equal(kv_named(in, "maintainer")->value, "me <me@x>");
	assert_string_equal(kv_named(in, "version")->value, "1.0");
	in = &s1->instructions[7]; /* legacy ENV key value form */
	assert_int_equal(in->n_kvs, 1);
	assert_string_equal(in->kvs[0].key, "legacy");
	assert_string_equal(in->kvs[0].value, "form value");
	in = &s1->instructions[9];
	assert_int_equal(in->cmd, BRIG_DF_SHELL);
	assert_true(in->json_form);
	in = &s1->instructions[12];
	assert_int_equal(in->cmd, BRIG_DF_MAINTAINER);
	assert_int_equal(in->start_line, 47);
	assert_string_equal(brig_df_cmd_name(in->cmd), "MAINTAINER");

	/* all[] is file order */
	for (size_t i = 1; i < df->n_all; i++)
		assert_true(df->all[i - 1]->start_line < df->all[i]->start_line);
	brig_dockerfile_free(df);
}

static void test_escape_backtick(void **state)
{
	_cleanup_free_ char *path = fixture_path("escape_backtick.dockerfile");
	struct brig_error err = {0};
	struct brig_dockerfile *df = NULL;
	const struct brig_df_instruction *in;

	(void)state;
	assert_int_equal(brig_dockerfile_load(path, NULL, &df, &err), 0);
	assert_int_equal(df->escape, '`');
	in = ins_at(df, 1);
	assert_int_equal(in->cmd, BRIG_DF_WORKDIR);
	assert_string_equal(in->argv[0], "C:\\app");
	in = ins_at(df, 2);
	assert_int_equal(in->start_line, 4);
	assert_int_equal(in->end_line, 6);
	assert_string_equal(in->args,
			    "powershell -Command     Write-Host hello;     Write-Host \"C:\\path\\\"");
	assert_string_equal(in->lines[0], "RUN powershell -Command `"); /* CR stripped */
	in = ins_at(df, 3);
	assert_string_equal(in->argv[0], "app\\");
	assert_string_equal(in->argv[1], "C:\\app\\");
	in = ins_at(df, 4);
	assert_int_equal(in->end_line, 9);
	assert_string_equal(kv_named(in, "DIR")->value, "C:\\data");
	assert_string_equal(kv_named(in, "MODE")->value, "$literal");
	brig_dockerfile_free(df);
}

static void test_heredocs(void **state)
{
	_cleanup_free_ char *path = fixture_path("heredocs.dockerfile");
	struct brig_error err = {0};
	struct brig_dockerfile *df = NULL;
	const struct brig_df_instruction *in;

	(void)state;
	assert_int_equal(brig_dockerfile_load(path, NULL, &df, &err), 0);
	assert_int_equal(df->n_all, 9);
	in = ins_at(df, 1); /* RUN <<A <<B */
	assert_int_equal(in->start_line, 2);
	assert_int_equal(in->end_line, 6);
	assert_int_equal(in->n_heredocs, 2);
	assert_string_equal(in->heredocs[0].delimiter, "A");
	assert_string_equal(in->heredocs[0].body, "first A\n");
	assert_int_equal(in->heredocs[0].body_line, 3);
	assert_int_equal(in->heredocs[0].end_line, 4);
	assert_string_equal(in->heredocs[1].body, "first B\n");
	assert_int_equal(in->heredocs[1].end_line, 6);
	in = ins_at(df, 2); /* 3<<EOF */
	assert_int_equal(in->heredocs[0].fd, 3);
	assert_string_equal(in->heredocs[0].body, "$HOME stays\n");
	in = ins_at(df, 3); /* empty body */
	assert_int_equal(in->start_line, 10);
	assert_int_equal(in->end_line, 11);
	assert_string_equal(in->heredocs[0].body, "");
	assert_int_equal(in->heredocs[0].body_line, 11);
	in = ins_at(df, 4); /* ONBUILD RUN <<X: the heredoc hangs on the trigger */
	assert_int_equal(in->cmd, BRIG_DF_ONBUILD);
	assert_int_equal(in->end_line, 14);
	assert_int_equal(in->sub->n_heredocs, 1);
	assert_string_equal(in->sub->heredocs[0].body, "inside onbuild\n");
	in = ins_at(df, 5); /* RUN cat <<EOF | sh: body lines are never parsed */
	assert_int_equal(in->n_heredocs, 1);
	assert_int_equal(in->end_line, 17);
	in = ins_at(df, 6); /* quoted "<<NOT" and x<<<y are no heredocs */
	assert_int_equal(in->start_line, 18);
	assert_int_equal(in->n_heredocs, 0);
	in = ins_at(df, 7); /* exec form never has heredocs */
	assert_true(in->json_form);
	assert_int_equal(in->n_heredocs, 0);
	in = ins_at(df, 8); /* COPY <<one <<two /dst/ */
	assert_int_equal(in->n_heredocs, 2);
	assert_int_equal(in->end_line, 24);
	assert_string_equal(in->heredocs[1].body, "two body\n");
	brig_dockerfile_free(df);

	/* <<- strips leading tabs of body and terminator; CRLF bodies keep \r */
	df = parse_ok("FROM a\nRUN <<-EOT\n\t\techo a\n\tEOT\nRUN <<E\r\nx\r\nE\r\n");
	assert_string_equal(ins_at(df, 1)->heredocs[0].body, "echo a\n");
	assert_string_equal(ins_at(df, 2)->heredocs[0].body, "x\r\n");
	assert_int_equal(ins_at(df, 2)->end_line, 7);
	brig_dockerfile_free(df);
}

static void test_continuations(void **state)
{
	struct brig_dockerfile *df;

	(void)state;
	/* an escaped escape at the end is not a continuation */
	df = parse_ok("FROM a\nRUN echo a\\\\\nRUN echo b\n");
	assert_int_equal(df->n_all, 3);
	assert_string_equal(ins_at(df, 1)->args, "echo a\\\\");
	brig_dockerfile_free(df);

	/* blanks after the backslash; leading blanks of the next line kept */
	df = parse_ok("FROM a\nRUN a \\   \n  b\n");
	assert_string_equal(ins_at(df, 1)->args, "a   b");
	assert_int_equal(ins_at(df, 1)->end_line, 3);
	brig_dockerfile_free(df);

	/* a lone backslash line starts an instruction on the next line */
	df = parse_ok("FROM a\n\\\nRUN x\n");
	assert_int_equal(ins_at(df, 1)->start_line, 2);
	assert_int_equal(ins_at(df, 1)->end_line, 3);
	assert_string_equal(ins_at(df, 1)->keyword, "RUN");
	brig_dockerfile_free(df);

	/* continuation at end of file */
	df = parse_ok("FROM a\nRUN a \\\n\n\n");
	assert_string_equal(ins_at(df, 1)->args, "a");
	assert_int_equal(ins_at(df, 1)->end_line, 4);
	brig_dockerfile_free(df);

	/* CRLF line endings */
	df = parse_ok("FROM a\r\nRUN a \\\r\n b\r\n");
	assert_string_equal(ins_at(df, 1)->args, "a  b");
	assert_string_equal(ins_at(df, 1)->lines[1], " b");
	brig_dockerfile_free(df);

	/* keywords are case-insensitive, comments only at line start */
	df = parse_ok("from a as B\nrUn echo 1 # not a comment\n  # indented comment\ncOpY --FROM=b s d\n");
	assert_string_equal(df->stages[0].name, "b");
	assert_string_equal(ins_at(df, 1)->args, "echo 1 # not a comment");
	assert_int_equal(ins_at(df, 2)->cmd, BRIG_DF_COPY);
	assert_string_equal(ins_at(df, 2)->flags[0].name, "FROM"); /* flag names keep case */
	brig_dockerfile_free(df);

	/* a UTF-8 BOM before the first line */
	df = parse_ok("\xEF\xBB\xBF# syntax=x\nFROM a\n");
	assert_int_equal(df->n_directives, 1);
	brig_dockerfile_free(df);
}

static void test_directives(void **state)
{
	struct brig_dockerfile *df;

	(void)state;
	df = parse_ok("#syntax = docker/dockerfile:1\n#  ESCAPE =  `  \nFROM a\nRUN a `\n b\n");
	assert_int_equal(df->n_directives, 2);
	assert_string_equal(df->directives[1].name, "escape");
	assert_string_equal(df->directives[1].value, "`");
	assert_int_equal(df->escape, '`');
	assert_string_equal(ins_at(df, 1)->args, "a  b");
	brig_dockerfile_free(df);

	/* a comment, a blank line or an unknown directive ends directives */
	df = parse_ok("# comment\n# escape=`\nFROM a\n");
	assert_int_equal(df->n_directives, 0);
	assert_int_equal(df->escape, '\\');
	brig_dockerfile_free(df);
	df = parse_ok("\n# escape=`\nFROM a\n");
	assert_int_equal(df->n_directives, 0);
	brig_dockerfile_free(df);
	df = parse_ok("# foo=bar\n# escape=`\nFROM a\n");
	assert_int_equal(df->n_directives, 0);
	brig_dockerfile_free(df);
	df = parse_ok("FROM a\n# syntax=docker/dockerfile:1\n");
	assert_int_equal(df->n_directives, 0);
	brig_dockerfile_free(df);
	df = parse_ok("# check=skip=all\nFROM a\n");
	assert_string_equal(df->directives[0].name, "check");
	assert_string_equal(df->directives[0].value, "skip=all");
	brig_dockerfile_free(df);

	parse_fails("# escape=x\nFROM a\n", "t.Dockerfile:1: invalid escape token 'x'");
	parse_fails("# escape=`\n# escape=\\\nFROM a\n",
		    "t.Dockerfile:2: only one escape parser directive can be used");
}

static void test_expansion(void **state)
{
	static const char *const text =
		"ARG V=1.2.3\n"
		"FROM img:${V%.*} AS s1\n"
		"ARG V\n"
		"ENV P=/usr/local/bin FILE=archive.tar.gz EMPTY=\"\"\n"
		"ENV NAME=${FILE%%.*} EXT=${FILE#*.} LAST=${FILE##*.} REPL=${P/local/LOCAL} ALL=${P//\\//_}\n"
		"ENV Q=\"$P\" S='$P' E=\\$P\n"
		"ENV D1=${UNSET:-dflt} D2=${UNSET-dflt} D3=${EMPTY:-dflt} D4=${EMPTY-dflt} A1=${P:+alt} A2=${UNSET:+alt} A3=${EMPTY+alt}\n"
		"ARG X=arg\n"
		"ENV X=env\n"
		"RUN echo $X ${V} '$V' \"$V\" $UNKNOWN ${UNKNOWN:-d} $(cmd) $1\n"
		"COPY ${V}/src /${UNKNOWN}/\n"
		"FROM s1\n"
		"RUN echo $P $V\n";
	static const char *const bargs[] = {"V=9.9.9", "NOTDECLARED=x", NULL};
	struct brig_dockerfile *df;
	const struct brig_df_instruction *in;

	(void)state;
	df = parse_ok(text);
	assert_string_equal(df->stages[0].base, "img:1.2");
	in = ins_at(df, 4);
	assert_string_equal(kv_named(in, "NAME")->value, "archive");
	assert_string_equal(kv_named(in, "EXT")->value, "tar.gz");
	assert_string_equal(kv_named(in, "LAST")->value, "gz");
	assert_string_equal(kv_named(in, "REPL")->value, "/usr/LOCAL/bin");
	assert_string_equal(kv_named(in, "ALL")->value, "_usr_local_bin");
	in = ins_at(df, 5);
	assert_string_equal(kv_named(in, "Q")->value, "/usr/local/bin");
	assert_string_equal(kv_named(in, "S")->value, "$P");
	assert_string_equal(kv_named(in, "E")->value, "$P");
	in = ins_at(df, 6);
	assert_string_equal(kv_named(in, "D1")->value, "dflt");
	assert_string_equal(kv_named(in, "D2")->value, "dflt");
	assert_string_equal(kv_named(in, "D3")->value, "dflt");
	assert_string_equal(kv_named(in, "D4")->value, "");
	assert_string_equal(kv_named(in, "A1")->value, "alt");
	assert_string_equal(kv_named(in, "A2")->value, "");
	assert_string_equal(kv_named(in, "A3")->value, "alt");
	/* RUN: ENV wins over ARG; the stage ARG V took the global default;
	 * single quotes, $(...), $1 and unknown vars are left to the shell */
	in = ins_at(df, 9);
	assert_string_equal(in->args_expanded,
			    "echo env 1.2.3 '$V' \"1.2.3\" $UNKNOWN d $(cmd) $1");
	/* COPY is expanded by docker: unknown variables stay, flagged */
	in = ins_at(df, 10);
	assert_string_equal(in->argv[0], "1.2.3/src");
	assert_string_equal(in->argv[1], "/${UNKNOWN}/");
	assert_true(in->unresolved);
	assert_false(in->expand_failed);
	/* FROM s1 inherits ENV, not ARG */
	in = ins_at(df, 12);
	assert_int_equal(df->stages[1].base_stage, 0);
	assert_string_equal(in->args_expanded, "echo /usr/local/bin $V");
	brig_dockerfile_free(df);

	/* --build-arg overrides defaults, in FROM and in the stage */
	df = parse_ok_opt(text, bargs);
	assert_string_equal(df->stages[0].base, "img:9.9");
	assert_string_equal(ins_at(df, 9)->args_expanded,
			    "echo env 9.9.9 '$V' \"9.9.9\" $UNKNOWN d $(cmd) $1");
	brig_dockerfile_free(df);

	/* an undeclared variable in FROM is unresolved */
	df = parse_ok("FROM ${NOPE}:1\n");
	assert_string_equal(df->stages[0].base, "${NOPE}:1");
	assert_true(df->stages[0].base_unresolved);
	brig_dockerfile_free(df);

	/* malformed substitutions are not parse errors (docker fails only at
	 * build time): the raw text is kept and flagged */
	df = parse_ok("FROM a\nENV A=${B\nWORKDIR ${:x}\nUSER ${Z:?}\n");
	assert_true(ins_at(df, 1)->expand_failed);
	assert_string_equal(ins_at(df, 1)->kvs[0].value, "${B");
	assert_true(ins_at(df, 2)->expand_failed);
	assert_string_equal(ins_at(df, 2)->argv[0], "${:x}");
	assert_false(ins_at(df, 3)->expand_failed); /* Z is unknown: kept */
	assert_string_equal(ins_at(df, 3)->argv[0], "${Z:?}");
	assert_true(ins_at(df, 3)->unresolved);
	brig_dockerfile_free(df);
}

static void test_errors(void **state)
{
	(void)state;
	parse_fails("FROM a\nFOO bar\n", "t.Dockerfile:2: unknown instruction: FOO");
	parse_fails("RUN x\nFROM a\n", "t.Dockerfile:1: RUN before the first FROM");
	parse_fails("FROM a\nRUN <<EOF\nbody\n", "t.Dockerfile:2: unterminated heredoc (<<EOF)");
	parse_fails("", "t.Dockerfile:1: file with no instructions");
	parse_fails("# only a comment\n\n", "file with no instructions");
	parse_fails("ARG A=1\n", "dockerfile contains no stages to build");
	parse_fails("FROM a\nCMD [\"a\", 1]\n", "t.Dockerfile:2: when using JSON array syntax");
	parse_fails("FROM a b\n", "FROM requires either one or three arguments");
	parse_fails("FROM a AS 1bad\n", "invalid name for build stage");
	parse_fails("FROM a AS b/c\n", "invalid name for build stage");
	parse_fails("FROM a\nONBUILD ONBUILD RUN x\n", "Chaining ONBUILD");
	parse_fails("FROM a\nONBUILD FROM b\n", "FROM isn't allowed as an ONBUILD trigger");
	parse_fails("FROM a\nONBUILD\n", "ONBUILD requires at least one argument");
	parse_fails("FROM a\nHEALTHCHECK FOO x\n", "Unknown type \"FOO\" in HEALTHCHECK");
	parse_fails("FROM a\nHEALTHCHECK NONE x\n", "HEALTHCHECK NONE takes no arguments");
	parse_fails("FROM a\nHEALTHCHECK CMD\n", "Missing command after HEALTHCHECK CMD");
	parse_fails("FROM a\nCOPY onlyone\n", "COPY requires at least two arguments");
	parse_fails("FROM a\nCOPY src <<EOF\nx\nEOF\n", "cannot accept a heredoc as a destination");
	parse_fails("FROM a\nENV\n", "ENV requires at least one argument");
	parse_fails("FROM a\nENV A=1 B\n", "can't find = in \"B\"");
	parse_fails("FROM a\nENV onlykey\n", "ENV must have two arguments");
	parse_fails("FROM a\nENV x=1 # comment\n", "can't find = in \"#\"");
	parse_fails("FROM a\nLABEL =x\n", "LABEL names can not be blank");
	parse_fails("FROM a\nSHELL /bin/sh\n", "SHELL requires the arguments to be in JSON form");
	parse_fails("FROM a\nWORKDIR\n", "WORKDIR requires exactly one argument");
	parse_fails("FROM a\nVOLUME [\"\"]\n", "VOLUME specified can not be an empty string");
	parse_fails("FROM a\nEXPOSE\n", "EXPOSE requires at least one argument");
	parse_fails("FROM a\nARG\n", "ARG requires at least one argument");
	parse_fails_n("FROM a\nRUN a\0b\n", 13, "t.Dockerfile:2: NUL byte");
	/* unknown instructions are tolerated only as an ONBUILD trigger */
	{
		struct brig_dockerfile *df = parse_ok("FROM a\nONBUILD FOO bar\n");

		assert_int_equal(ins_at(df, 1)->sub->cmd, BRIG_DF_UNKNOWN);
		assert_string_equal(ins_at(df, 1)->sub->keyword, "FOO");
		brig_dockerfile_free(df);
	}
	/* a missing file */
	{
		struct brig_error err = {0};
		struct brig_dockerfile *df = NULL;

		assert_int_equal(brig_dockerfile_load("/nonexistent/Dockerfile", NULL, &df, &err), -1);
		assert_non_null(strstr(err.msg, "/nonexistent/Dockerfile"));
	}
}

/* ---- hostile input ---- */

static char *repeat_into(const char *head, const char *unit, size_t times, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = brig_xmalloc(hl + ul * times + tl + 1), *p = s;

	assert_non_null(s);
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < times; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void test_hostile(void **state)
{
	struct brig_dockerfile *df;
	char *s;

	(void)state;
	/* 1 MB on one line: BuildKit refuses lines over 65535 bytes */
	s = repeat_into("FROM a\nRUN ", "x", 1u << 20, "\n");
	parse_fails(s, "t.Dockerfile:2: dockerfile line greater than max allowed size of 65535");
	free(s);
	s = repeat_into("FROM a\nLABEL a=", "x", 65535 - 8, "\n");
	df = parse_ok(s);
	assert_int_equal(strlen(ins_at(df, 1)->kvs[0].value), 65535 - 8);
	brig_dockerfile_free(df);
	free(s);

	/* 100k continuation lines make one instruction */
	s = repeat_into("FROM a\nRUN x \\\n", "y \\\n", 100000, "z\n");
	df = parse_ok(s);
	assert_int_equal(ins_at(df, 1)->start_line, 2);
	assert_int_equal(ins_at(df, 1)->end_line, 100003);
	assert_int_equal(ins_at(df, 1)->n_lines, 100002);
	assert_int_equal(strlen(ins_at(df, 1)->args), 2 + 100000 * 2 + 1);
	brig_dockerfile_free(df);
	free(s);

	/* an unterminated heredoc at the end of a long file */
	s = repeat_into("FROM a\nRUN <<EOF\n", "line\n", 200000, "EO\n");
	parse_fails(s, "t.Dockerfile:2: unterminated heredoc");
	free(s);

	/* non-UTF-8 bytes pass through untouched */
	df = parse_ok("FROM a\nRUN echo \xff\xfe\x80 \xc3\x28\nLABEL k=\xff\n");
	assert_string_equal(ins_at(df, 1)->args, "echo \xff\xfe\x80 \xc3\x28");
	assert_string_equal(ins_at(df, 2)->kvs[0].value, "\xff");
	brig_dockerfile_free(df);

	/* ARG doubling: expansion output is capped, the parse finishes */
	s = repeat_into("FROM a\nARG A=0123456789abcdef0123456789abcdef\n", "ARG A=$A$A$A$A\n", 40,
			"RUN echo $A\n");
	df = parse_ok(s);
	assert_true(ins_at(df, df->n_all - 1)->expand_failed ||
		    strlen(ins_at(df, df->n_all - 1)->args_expanded) <= (4u << 20) + 5);
	brig_dockerfile_free(df);
	free(s);

	/* deeply nested ${a:-${a:-...}} */
	{
		char *open = repeat_into("FROM a\nENV X=", "${a:-", 10000, "");
		char *full = repeat_into(open, "}", 10000, "\n");

		df = parse_ok(full);
		assert_true(ins_at(df, 1)->expand_failed);
		brig_dockerfile_free(df);
		free(open);
		free(full);
	}

	/* too many instructions, stages, variables */
	s = repeat_into("FROM a\n", "RUN a\n", 100000, "");
	parse_fails(s, "t.Dockerfile:100001: more than 100000 instructions");
	free(s);
	s = repeat_into("", "FROM a\n", 1025, "");
	parse_fails(s, "t.Dockerfile:1025: more than 1024 build stages");
	free(s);
	{
		char *env = repeat_into("FROM a\nENV", " k=v", 1, "");
		size_t len = 0, cap = 5000 * 16 + 64;
		char *big = brig_xmalloc(cap);

		assert_non_null(big);
		len = (size_t)snprintf(big, cap, "FROM a\nENV");
		for (int i = 0; i < 5000; i++)
			len += (size_t)snprintf(big + len, cap - len, " k%d=v", i);
		snprintf(big + len, cap - len, "\n");
		parse_fails(big, "more than 4096 variables in one scope");
		free(big);
		free(env);
	}

	/* a 1000-stage FROM chain: ENV is inherited 64 stages deep, no more */
	{
		size_t cap = 1000 * 48 + 64, len = 0;
		char *chain = brig_xmalloc(cap);

		len += (size_t)snprintf(chain, cap, "FROM a AS s0\nENV X=1\n");
		for (int i = 1; i <= 1000; i++)
			len += (size_t)snprintf(chain + len, cap - len, "FROM s%d AS s%d\nRUN echo $X\n",
						i - 1, i);
		df = parse_ok(chain);
		assert_string_equal(df->stages[10].instructions[1].args_expanded, "echo 1");
		assert_string_equal(df->stages[64].instructions[1].args_expanded, "echo 1");
		assert_string_equal(df->stages[65].instructions[1].args_expanded, "echo $X");
		assert_int_equal(df->stages[900].base_stage, 899);
		brig_dockerfile_free(df);
		free(chain);
	}

	/* pattern substitution on a long value is refused, not slow */
	s = repeat_into("FROM a\nARG L=", "a", 60000, "\nENV X=${L%%*b*b*b*b*b}\n");
	df = parse_ok(s);
	assert_true(ins_at(df, 2)->expand_failed);
	brig_dockerfile_free(df);
	free(s);
}

/* ---- real data ---- */

struct walk_stats {
	size_t ok;
	size_t failed;
};

static void parse_file_cb(const char *path, void *ctx)
{
	struct walk_stats *st = ctx;
	struct brig_error err = {0};
	struct brig_dockerfile *df = NULL;

	if (brig_dockerfile_load(path, NULL, &df, &err) != 0) {
		print_error("FAILED: %s\n", err.msg);
		st->failed++;
		return;
	}
	assert_true(df->n_stages > 0);
	for (size_t i = 0; i < df->n_all; i++) {
		assert_true(df->all[i]->start_line >= 1);
		assert_true(df->all[i]->end_line >= df->all[i]->start_line);
		assert_int_equal(df->all[i]->n_lines,
				 df->all[i]->end_line - df->all[i]->start_line + 1);
	}
	brig_dockerfile_free(df);
	st->ok++;
}

static bool is_dockerfile_name(const char *b)
{
	static const char *const globs[] = {"Dockerfile*", "*.dockerfile", "*.Dockerfile",
					    "Containerfile*", NULL};

	return glob_any(b, globs);
}

static void test_real_dockerfiles(void **state)
{
	char dir[4096];
	struct walk_stats st = {0};

	(void)state;
	BRIG_REQUIRE_SHARED("real-dockerfiles", dir);
	walk_tree(dir, is_dockerfile_name, parse_file_cb, &st);
	printf("real-dockerfiles: %zu Dockerfiles parsed, %zu failed\n", st.ok, st.failed);
	assert_int_equal(st.failed, 0);
	assert_true(st.ok >= 30);
}

static bool is_dockerfile_sample(const char *b)
{
	static const char *const globs[] = {"*.dockerfile", NULL};

	return glob_any(b, globs);
}

static void test_kics_dockerfiles(void **state)
{
	char dir[4096];
	struct walk_stats st = {0};

	(void)state;
	BRIG_REQUIRE_SHARED("kics", dir);
	{
		char sub[4200];

		snprintf(sub, sizeof(sub), "%s/dockerfile", dir);
		walk_tree(sub, is_dockerfile_sample, parse_file_cb, &st);
		snprintf(sub, sizeof(sub), "%s/common", dir);
		walk_tree(sub, is_dockerfile_sample, parse_file_cb, &st);
	}
	printf("kics: %zu Dockerfile samples parsed, %zu failed\n", st.ok, st.failed);
	assert_int_equal(st.failed, 0);
	assert_true(st.ok >= 170);
}

/* trivy-checks/docker/<check>.yaml: dockerfile: {good: [...], bad: [...]} */
static void trivy_yaml_cb(const char *path, void *ctx)
{
	struct walk_stats *st = ctx;
	struct fy_document *doc = fy_document_build_from_file(NULL, path);
	struct fy_node *root, *kinds;

	assert_non_null(doc);
	root = fy_document_root(doc);
	kinds = fy_node_mapping_lookup_by_string(root, "dockerfile", FY_NT);
	assert_non_null(kinds);
	for (int k = 0; k < 2; k++) {
		struct fy_node *list =
			fy_node_mapping_lookup_by_string(kinds, k ? "bad" : "good", FY_NT);
		struct fy_node *item;
		void *it = NULL;

		while (list && (item = fy_node_sequence_iterate(list, &it))) {
			size_t len = 0;
			const char *text = fy_node_get_scalar(item, &len);
			struct brig_error err = {0};
			struct brig_dockerfile *df = NULL;

			if (brig_dockerfile_parse(text, len, path, NULL, &df, &err)) {
				print_error("FAILED (%s sample): %s\n", k ? "bad" : "good", err.msg);
				st->failed++;
				continue;
			}
			brig_dockerfile_free(df);
			st->ok++;
		}
	}
	fy_document_destroy(doc);
}

static bool is_yaml(const char *b)
{
	static const char *const globs[] = {"*.yaml", NULL};

	return glob_any(b, globs);
}

static void test_trivy_examples(void **state)
{
	char dir[4096];
	struct walk_stats st = {0};
	char path[4200];

	(void)state;
	BRIG_REQUIRE_SHARED("trivy-checks/docker", dir);
	walk_tree(dir, is_yaml, trivy_yaml_cb, &st);
	snprintf(path, sizeof(path), "%s/test-Dockerfile", dir);
	parse_file_cb(path, &st);
	printf("trivy-checks: %zu Dockerfile examples parsed, %zu failed\n", st.ok, st.failed);
	assert_int_equal(st.failed, 0);
	assert_true(st.ok >= 45);
}

/* Exec-form arrays: the plain ones are read without jansson, the rest
 * by it; both must give what BuildKit (Go's json) gives. */
static void exec_form(const char *array, bool json, size_t argc, const char *const *argv)
{
	char text[256];
	struct brig_dockerfile *df;
	const struct brig_df_instruction *in;

	snprintf(text, sizeof(text), "FROM a\nCMD %s\n", array);
	df = parse_ok(text);
	in = &df->stages[0].instructions[1];
	assert_int_equal(in->json_form, json);
	assert_int_equal(in->argc, argc);
	for (size_t i = 0; i < argc; i++)
		assert_string_equal(in->argv[i], argv[i]);
	brig_dockerfile_free(df);
}

static void test_exec_arrays(void **state)
{
	(void)state;
	exec_form("[\"a\", \"b c\"]", true, 2, (const char *const[]){"a", "b c"});
	exec_form("[ \"a\" ,\t\"b\" ]", true, 2, (const char *const[]){"a", "b"});
	exec_form("[]", true, 0, NULL);
	exec_form("[ ]", true, 0, NULL);
	exec_form("[\"a\"] trailing", true, 1, (const char *const[]){"a"});
	exec_form("[\"\"]", true, 1, (const char *const[]){""});
	/* escapes and UTF-8: jansson's path */
	exec_form("[\"a\\\"b\", \"\\u00e9\\n\"]", true, 2, (const char *const[]){"a\"b", "\xc3\xa9\n"});
	exec_form("[\"\xc3\xa9\"]", true, 1, (const char *const[]){"\xc3\xa9"});
	/* not JSON: shell form, the text as written */
	exec_form("[\"a\",]", false, 1, (const char *const[]){"[\"a\",]"});
	exec_form("[\"a\" \"b\"]", false, 1, (const char *const[]){"[\"a\" \"b\"]"});
	exec_form("[\"a\"", false, 1, (const char *const[]){"[\"a\""});
	exec_form("[\"a\xff\"]", false, 1, (const char *const[]){"[\"a\xff\"]"});
	exec_form("[\"a\tb\"]", false, 1, (const char *const[]){"[\"a\tb\"]"});
	exec_form("['a']", false, 1, (const char *const[]){"['a']"});
	/* JSON, but not all strings: BuildKit refuses it */
	parse_fails("FROM a\nCMD [\"a\", 1]\n", "arrays must be comprised of strings only");
	parse_fails("FROM a\nCMD [\"a\", [\"b\"]]\n", "arrays must be comprised of strings only");
}

/* no_shell_preview: shell-form commands keep args as their preview,
 * what docker substitutes is substituted all the same. */
static void test_no_shell_preview(void **state)
{
	const char *text = "FROM a\nENV V=1\nRUN echo $V\nCMD echo $V\nWORKDIR /x/$V\n"
			   "HEALTHCHECK CMD echo $V\n";
	const struct brig_df_options opt = {.no_shell_preview = true};
	struct brig_dockerfile *df = NULL, *full = parse_ok(text);
	struct brig_error err = {0};

	(void)state;
	assert_int_equal(brig_dockerfile_parse(text, strlen(text), "Dockerfile", &opt, &df, &err), 0);
	assert_string_equal(full->stages[0].instructions[2].args_expanded, "echo 1");
	assert_string_equal(df->stages[0].instructions[2].args_expanded, "echo $V");
	assert_string_equal(df->stages[0].instructions[3].args_expanded, "echo $V");
	assert_string_equal(df->stages[0].instructions[4].args_expanded, "/x/1");
	assert_string_equal(df->stages[0].instructions[4].argv[0], "/x/1");
	assert_string_equal(full->stages[0].instructions[5].sub->args_expanded, "echo 1");
	assert_string_equal(df->stages[0].instructions[5].sub->args_expanded, "echo $V");
	brig_dockerfile_free(df);
	brig_dockerfile_free(full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exec_arrays), cmocka_unit_test(test_no_shell_preview), cmocka_unit_test(test_tricky_fixture),
		cmocka_unit_test(test_escape_backtick),
		cmocka_unit_test(test_heredocs),
		cmocka_unit_test(test_continuations),
		cmocka_unit_test(test_directives),
		cmocka_unit_test(test_expansion),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_real_dockerfiles),
		cmocka_unit_test(test_kics_dockerfiles),
		cmocka_unit_test(test_trivy_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

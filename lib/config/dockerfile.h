/* A Dockerfile as BuildKit reads it (docs/dockerfile-model.md): parser
 * directives, global ARGs, then stages of instructions. Rules walk this
 * model; they never re-lex the text. Every string is NUL-terminated and
 * owned by the model; every line number is 1-based. */
#ifndef BRIG_CONFIG_DOCKERFILE_H
#define BRIG_CONFIG_DOCKERFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"

enum brig_df_cmd {
	BRIG_DF_UNKNOWN = 0, /* only as an ONBUILD trigger: BuildKit accepts it there */
	BRIG_DF_ADD,
	BRIG_DF_ARG,
	BRIG_DF_CMD,
	BRIG_DF_COPY,
	BRIG_DF_ENTRYPOINT,
	BRIG_DF_ENV,
	BRIG_DF_EXPOSE,
	BRIG_DF_FROM,
	BRIG_DF_HEALTHCHECK,
	BRIG_DF_LABEL,
	BRIG_DF_MAINTAINER,
	BRIG_DF_ONBUILD,
	BRIG_DF_RUN,
	BRIG_DF_SHELL,
	BRIG_DF_STOPSIGNAL,
	BRIG_DF_USER,
	BRIG_DF_VOLUME,
	BRIG_DF_WORKDIR,
};

/* "--mount=type=cache,target=/x" -> {"mount", "type=cache,target=/x"} */
struct brig_df_flag {
	char *name;           /* without the leading "--" */
	char *value;          /* quotes removed; NULL for a bare "--link" */
	char *value_expanded; /* ARG/ENV substituted as BuildKit does; NULL when value is */
};

struct brig_df_heredoc {
	char *delimiter;       /* quotes removed: <<"EOF" -> EOF */
	char *body;            /* the lines between, each ending in "\n", leading tabs
				* already removed when strip_tabs: what the build sees */
	bool strip_tabs;       /* <<- */
	bool quoted;           /* delimiter (partly) quoted: the body is not expanded */
	unsigned fd;           /* 3<<EOF -> 3; 0 when not given */
	unsigned body_line;    /* first body line (== end_line when the body is empty) */
	unsigned end_line;     /* the line holding the closing delimiter */
};

/* ENV/LABEL pairs and ARG declarations. */
struct brig_df_kv {
	char *key;       /* ENV/LABEL: expanded, quotes removed; ARG: the name */
	char *value;     /* expanded, quotes removed; NULL: ARG without default */
	char *value_raw; /* as written (quotes kept); NULL likewise */
};

struct brig_df_instruction {
	enum brig_df_cmd cmd;
	char *keyword;     /* upper-case: "RUN" */
	char *keyword_raw; /* as written: "run" */
	struct brig_df_flag *flags;
	size_t n_flags;
	char *args;          /* text after keyword and flags, continuations joined */
	char *args_expanded; /* args with ARG/ENV substituted, quotes kept (see doc) */
	bool expand_failed;  /* a substitution was malformed or too large: the
			      * *_expanded strings are then copies of the raw ones */
	bool unresolved;     /* some $VAR had no value in scope */
	bool json_form;      /* exec form: argv came from a JSON array */
	/* exec form: the JSON strings; shell form: the words BuildKit sees
	 * (RUN/CMD/ENTRYPOINT/USER/WORKDIR...: one element, the whole text;
	 * FROM/COPY/ADD/VOLUME/EXPOSE: whitespace-split words; ENV/LABEL/ARG:
	 * "key=value"). Expanded (and unquoted) for the instructions BuildKit
	 * expands: ADD COPY ENV EXPOSE FROM LABEL STOPSIGNAL USER VOLUME WORKDIR ARG. */
	char **argv;
	size_t argc;
	struct brig_df_kv *kvs; /* ENV, LABEL, ARG */
	size_t n_kvs;
	struct brig_df_heredoc *heredocs;
	size_t n_heredocs;
	/* ONBUILD: the trigger instruction; HEALTHCHECK CMD: the command (a
	 * CMD instruction). Shares the parent's lines (its own lines are NULL). */
	struct brig_df_instruction *sub;
	long stage; /* index into stages[], -1 for a global ARG */
	unsigned start_line;
	unsigned end_line; /* includes continuation and heredoc body lines */
	char **lines;      /* original text of start_line..end_line, no "\n" */
	size_t n_lines;
	char *text_;       /* private: storage behind lines */
};

struct brig_df_stage {
	size_t index;
	char *name;         /* "AS" name, lower-case; NULL when unnamed */
	char *base_raw;     /* image as written: "${BASE}:3.19" */
	char *base;         /* after global-ARG substitution */
	bool base_unresolved;
	long base_stage;    /* index of the earlier stage named by base, or -1 */
	char *platform_raw; /* --platform, NULL when absent */
	char *platform;
	struct brig_df_instruction *instructions; /* [0] is the FROM */
	size_t n_instructions;
};

struct brig_df_directive {
	char *name; /* lower-case: syntax, escape, check */
	char *value;
	unsigned line;
};

struct brig_dockerfile {
	char *name;  /* as given to the parser, used in messages */
	char escape; /* '\\' or '`' */
	struct brig_df_directive *directives;
	size_t n_directives;
	struct brig_df_instruction *global_args; /* ARGs before the first FROM */
	size_t n_global_args;
	struct brig_df_stage *stages;
	size_t n_stages;
	/* Every top-level instruction in file order (pointers into the above). */
	struct brig_df_instruction **all;
	size_t n_all;
	unsigned n_lines;
	struct brig_arena mem_; /* private: holds every string and array above */
};

struct brig_df_options {
	/* --build-arg values, "NAME=value", NULL-terminated; may be NULL. */
	const char *const *build_args;
	/* Leave the shell-form RUN/CMD/ENTRYPOINT (and HEALTHCHECK CMD)
	 * preview out: their args_expanded is args as written. For readers
	 * that parse the shell words of args themselves, as the rules do. */
	bool no_shell_preview;
};

/* Parses data[0..len) (need not be NUL-terminated). name labels messages:
 * "name:LINE: what". Errors are what docker build would refuse: unknown
 * instruction, instruction before FROM other than ARG, unterminated
 * heredoc, bad directive, a line over 65535 bytes, malformed FROM/ENV/...
 * opt may be NULL. */
int brig_dockerfile_parse(const char *data, size_t len, const char *name,
			  const struct brig_df_options *opt, struct brig_dockerfile **out,
			  struct brig_error *err);
int brig_dockerfile_load(const char *path, const struct brig_df_options *opt,
			 struct brig_dockerfile **out, struct brig_error *err);
void brig_dockerfile_free(struct brig_dockerfile *df);

/* The flag called name ("from", "mount", ...), the first if repeated. */
const struct brig_df_flag *brig_df_flag(const struct brig_df_instruction *ins, const char *name);
/* The stage a COPY --from / RUN --mount from= value refers to when it is a
 * stage name or index of a stage before `before`; NULL for an image. */
const struct brig_df_stage *brig_dockerfile_stage_ref(const struct brig_dockerfile *df,
						       const char *ref, size_t before);
/* "RUN" for BRIG_DF_RUN ... */
const char *brig_df_cmd_name(enum brig_df_cmd cmd);

#endif

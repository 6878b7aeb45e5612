/* Private to lib/config: the bounds the Dockerfile, Compose and
 * .dockerignore parsers place on hostile input, and the small helpers they
 * share. Nothing here is part of brig's public API. */
#ifndef BRIG_CONFIG_PARSE_COMMON_H
#define BRIG_CONFIG_PARSE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "core/error.h"

/* Dockerfile. Real ones are a few KiB; BuildKit itself refuses any physical
 * line longer than bufio.MaxScanTokenSize-1 bytes, so we do too. */
#define BRIG_DF_MAX_FILE (4u << 20)
#define BRIG_DF_MAX_LINE 65535u
#define BRIG_DF_MAX_INSTRUCTIONS 100000u
#define BRIG_DF_MAX_STAGES 1024u
/* FROM a AS b / FROM b AS c ...: ENV inherited through at most this many. */
#define BRIG_DF_MAX_STAGE_CHAIN 64u
/* ARG/ENV names in one scope (a stage's ENV, a stage's ARGs, global ARGs). */
#define BRIG_DF_MAX_VARS 4096u
/* One expanded string, and all expansion output of one file together:
 * `ENV a=$a$a` doubles per line, so growth must be capped, not trusted. */
#define BRIG_DF_MAX_EXPANDED (4u << 20)
#define BRIG_DF_EXPAND_BUDGET (64u << 20)
/* ${a:-${b:-${c...}}} nesting, and the size of a ${v#pattern} operand. */
#define BRIG_DF_MAX_SUBST_DEPTH 32u
#define BRIG_DF_MAX_PATTERN_VALUE 512u
#define BRIG_DF_MAX_PATTERN 64u

/* Compose. The node budget is what stops a "billion laughs" alias bomb:
 * aliases are followed by hand, never by fy_document_resolve(). */
#define BRIG_COMPOSE_MAX_FILE (4u << 20)
#define BRIG_COMPOSE_MAX_NODES 1000000u
/* libfyaml 0.7.12 keeps a document's anchors in a list: each alias
 * resolution and each anchored node's destruction scans it, so anchors x
 * aliases (and anchors^2) is the cost. 20000 anchors took 40 s. */
#define BRIG_COMPOSE_MAX_ANCHORS 4000u
/* Nodes libfyaml builds before any alias is followed: its document costs
 * ~700 bytes a node, so this bounds its memory to ~200 MiB. */
#define BRIG_COMPOSE_MAX_RAW_NODES 250000u
/* %TAG / %YAML lines: libfyaml handles many in quadratic time. */
#define BRIG_COMPOSE_MAX_DIRECTIVES 64u
#define BRIG_COMPOSE_MAX_ANCHOR_WORK 20000000ull /* anchors x aliases */
#define BRIG_COMPOSE_MAX_SCALAR_BYTES (64u << 20)
#define BRIG_COMPOSE_MAX_DOTENV (1u << 20)
#define BRIG_COMPOSE_MAX_INTERP_DEPTH 16u
#define BRIG_COMPOSE_MAX_WARNINGS 256u
#define BRIG_COMPOSE_MAX_ENV_VARS 65536u

/* .dockerignore */
#define BRIG_DOCKERIGNORE_MAX_FILE (1u << 20)
#define BRIG_DOCKERIGNORE_MAX_PATTERNS 10000u

/* Reads a regular file whole (NUL-terminated) when it is at most max bytes. */
/* ASCII case-insensitive strstr (NULL when absent). The rules look for
 * short literals in short words, where glibc's strcasestr spends more on
 * its per-call setup than on the search. */
const char *brig_cfg_find_ci_n(const char *hay, const char *needle, size_t needle_len);
/* inline so that a literal needle's length is known when compiling */
static inline const char *brig_cfg_find_ci(const char *hay, const char *needle)
{
	return brig_cfg_find_ci_n(hay, needle, strlen(needle));
}

int brig_config_read_file(const char *path, size_t max, char **data, size_t *len,
			  struct brig_error *err);

/* A string -> string map (open addressing) for ARG/ENV scopes and the
 * Compose interpolation environment. Lookups are O(1) so that a file with
 * thousands of variables and references stays linear. */
struct brig_cfg_var {
	char *name;
	size_t name_len;
	char *value;
};

struct brig_cfg_env {
	struct brig_cfg_var *slots;
	size_t cap;
	size_t n;
};

/* Sets (or replaces) name[0..name_len) = value. -1 (no err: the caller
 * words it) when the map already holds BRIG_DF_MAX_VARS-like max names. */
int brig_cfg_env_set(struct brig_cfg_env *e, const char *name, size_t name_len, const char *value,
		     size_t max);
/* NULL when unset ("" is a set, empty value). */
const char *brig_cfg_env_get(const struct brig_cfg_env *e, const char *name, size_t name_len);
void brig_cfg_env_free(struct brig_cfg_env *e);

static inline bool brig_cfg_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

#endif

/* .dockerignore as BuildKit reads it (moby/patternmatcher/ignorefile and
 * patternmatcher): one pattern a line, `#` comments, `!` re-includes, the
 * last matching pattern wins, a pattern also excludes everything below a
 * matching directory. Patterns are Go filepath.Match globs plus `**`. */
#ifndef BRIG_CONFIG_DOCKERIGNORE_H
#define BRIG_CONFIG_DOCKERIGNORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

struct brig_dockerignore_pattern {
	char *raw;     /* the line, blanks trimmed: "!./keep/x*" */
	char *pattern; /* cleaned, what is matched: "keep/x*" (no '!', no leading / or ./) */
	bool negate;   /* "!": re-includes what earlier lines excluded */
	unsigned line; /* 1-based */
};

struct brig_dockerignore_compiled;

struct brig_dockerignore {
	char *name;
	struct brig_dockerignore_pattern *patterns;
	size_t n_patterns;
	struct brig_dockerignore_compiled *compiled_; /* private */
};

/* Errors: a malformed glob ("[a-"), a lone "!", a line over 65535 bytes,
 * more than 10000 patterns; "name:LINE: what". */
int brig_dockerignore_parse(const char *data, size_t len, const char *name,
			    struct brig_dockerignore **out, struct brig_error *err);
int brig_dockerignore_load(const char *path, struct brig_dockerignore **out,
			   struct brig_error *err);
void brig_dockerignore_free(struct brig_dockerignore *ig);

/* true when path (relative to the build context, '/'-separated; a leading
 * "/" or "./" is ignored) is left out of the build context. The context
 * root itself ("", ".") is never excluded. */
bool brig_dockerignore_matches(const struct brig_dockerignore *ig, const char *path);

#endif

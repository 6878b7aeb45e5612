/* Dockerfile parser: any input either parses into a model whose every
 * string and line range is sane, or fails with a message. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config/dockerfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void walk(const struct brig_df_instruction *in, unsigned max_line)
{
	if (in->start_line < 1 || in->end_line < in->start_line || in->end_line > max_line)
		__builtin_trap();
	touch(in->keyword);
	touch(in->keyword_raw);
	touch(in->args);
	touch(in->args_expanded);
	for (size_t i = 0; i < in->n_flags; i++) {
		touch(in->flags[i].name);
		touch(in->flags[i].value);
		touch(in->flags[i].value_expanded);
	}
	for (size_t i = 0; i < in->argc; i++)
		touch(in->argv[i]);
	for (size_t i = 0; i < in->n_kvs; i++) {
		touch(in->kvs[i].key);
		touch(in->kvs[i].value);
		touch(in->kvs[i].value_raw);
	}
	for (size_t i = 0; i < in->n_heredocs; i++) {
		const struct brig_df_heredoc *h = &in->heredocs[i];

		touch(h->delimiter);
		touch(h->body);
		if (h->end_line < h->body_line || h->end_line > in->end_line)
			__builtin_trap();
	}
	for (size_t i = 0; i < in->n_lines; i++)
		touch(in->lines[i]);
	if (in->lines && in->n_lines != in->end_line - in->start_line + 1)
		__builtin_trap();
	if (in->sub)
		walk(in->sub, max_line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const build_args[] = {"A=1", "TAG=latest", "EMPTY=", NULL};
	struct brig_df_options opt = {.build_args = build_args};
	struct brig_error err;
	struct brig_dockerfile *df = NULL;

	if (brig_dockerfile_parse((const char *)data, size, "fuzz", size & 1 ? &opt : NULL, &df,
				  &err)) {
		touch(err.msg);
		return 0;
	}
	for (size_t i = 0; i < df->n_directives; i++) {
		touch(df->directives[i].name);
		touch(df->directives[i].value);
	}
	for (size_t s = 0; s < df->n_stages; s++) {
		const struct brig_df_stage *st = &df->stages[s];

		touch(st->name);
		touch(st->base_raw);
		touch(st->base);
		touch(st->platform);
		if (st->base_stage >= (long)s || st->n_instructions < 1)
			__builtin_trap();
	}
	for (size_t i = 0; i < df->n_all; i++) {
		const struct brig_df_flag *from = brig_df_flag(df->all[i], "from");

		walk(df->all[i], df->n_lines);
		if (from && from->value)
			(void)brig_dockerfile_stage_ref(df, from->value, df->n_stages);
	}
	brig_dockerfile_free(df);
	return 0;
}

/* `brig config` on arbitrary input: the first byte picks the file type
 * (Dockerfile, Compose, .dockerignore), the rest is the file. Every input
 * either fails to parse with a message or runs every rule of that type;
 * every finding must name a rule and point inside the file. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "config/lint.h"
#include "config/rules.h"
#include "core/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned count_lines(const char *s, size_t n)
{
	unsigned lines = n && s[n - 1] != '\n';

	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum brig_lint_type types[] = {BRIG_LINT_DOCKERFILE, BRIG_LINT_COMPOSE,
						    BRIG_LINT_DOCKERIGNORE};
	struct brig_lint_options opt = {.lenient = true};
	struct brig_finding_list out = {0};
	struct brig_error err = {0};
	const char *text = (const char *)data + 1;
	unsigned lines;

	if (size < 1)
		return 0;
	brig_log_set_quiet(true);
	opt.type = types[data[0] % 3];
	lines = count_lines(text, size - 1);
	if (brig_lint_buffer(text, size - 1, "fuzz", opt.type, &opt, &out, &err) < 0) {
		if (!err.msg[0])
			__builtin_trap(); /* a failure always says why */
	}
	for (size_t i = 0; i < out.n; i++) {
		const struct brig_finding *f = &out.items[i];

		if (!brig_rule_by_id(f->id) || f->start_line < 0 || f->end_line < f->start_line ||
		    (unsigned)f->end_line > lines || f->n_code_lines > (size_t)(f->end_line - f->start_line + 1))
			__builtin_trap();
	}
	brig_finding_list_free(&out);
	return 0;
}

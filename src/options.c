#include "options.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const struct brig_option *find_long(const struct brig_option *opts, const char *name,
					   size_t len)
{
	for (; opts->type != BRIG_OPT_END; opts++)
		if (opts->long_name && strlen(opts->long_name) == len &&
		    strncmp(opts->long_name, name, len) == 0)
			return opts;
	return NULL;
}

static const struct brig_option *find_short(const struct brig_option *opts, char c)
{
	for (; opts->type != BRIG_OPT_END; opts++)
		if (opts->short_name == c)
			return opts;
	return NULL;
}

void brig_print_usage(FILE *out, const char *usage, const struct brig_option *opts)
{
	fprintf(out, "%s\n\nOptions:\n", usage);
	for (; opts->type != BRIG_OPT_END; opts++) {
		char left[64];

		if (opts->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", opts->short_name,
				 opts->long_name, opts->argh ? " " : "", opts->argh ? opts->argh : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", opts->long_name,
				 opts->argh ? " " : "", opts->argh ? opts->argh : "");
		fprintf(out, "  %-32s %s\n", left, opts->help);
	}
	fprintf(out, "  %-32s %s\n", "-h, --help", "show this help");
}

static int parse_size(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v, mult = 1;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mult = 1ull << 10;
		end++;
		break;
	case 'm': case 'M':
		mult = 1ull << 20;
		end++;
		break;
	case 'g': case 'G':
		mult = 1ull << 30;
		end++;
		break;
	default:
		return -1;
	}
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end || __builtin_mul_overflow(v, mult, out))
		return -1;
	return 0;
}

static int set_value(const struct brig_option *o, const char *val, const char *shown)
{
	char *end;
	long n;

	switch (o->type) {
	case BRIG_OPT_STRING:
		if (o->choices) {
			const char *const *c;

			for (c = o->choices; *c; c++)
				if (strcmp(*c, val) == 0)
					break;
			if (!*c) {
				fprintf(stderr, "brig: invalid value '%s' for %s\n", val, shown);
				return -1;
			}
		}
		*(const char **)o->value = val;
		return 0;
	case BRIG_OPT_INT:
		errno = 0;
		n = strtol(val, &end, 10);
		if (errno || *end || end == val || n < 0 || n > 255 * 255) {
			fprintf(stderr, "brig: invalid number '%s' for %s\n", val, shown);
			return -1;
		}
		*(int *)o->value = (int)n;
		return 0;
	case BRIG_OPT_SIZE:
		if (parse_size(val, o->value) < 0) {
			fprintf(stderr, "brig: invalid size '%s' for %s\n", val, shown);
			return -1;
		}
		return 0;
	default:
		return -1;
	}
}

int brig_parse_options(int argc, char **argv, const struct brig_option *opts, const char *usage,
		       int *npos)
{
	int pos = 0;
	bool only_pos = false;

	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		const struct brig_option *o = NULL;
		const char *val = NULL;
		char shown[128];

		if (only_pos || arg[0] != '-' || arg[1] == '\0') {
			argv[pos++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			brig_print_usage(stdout, usage, opts);
			return 1;
		}
		if (arg[1] == '-') {
			char *eq = strchr(arg + 2, '=');
			size_t len = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2);

			o = find_long(opts, arg + 2, len);
			if (eq)
				val = eq + 1;
		} else if (arg[2] == '\0') {
			o = find_short(opts, arg[1]);
		}
		if (!o) {
			fprintf(stderr, "brig: unknown option '%s'\n", arg);
			brig_print_usage(stderr, usage, opts);
			return -1;
		}
		snprintf(shown, sizeof(shown), "--%s", o->long_name);
		if (o->type == BRIG_OPT_BOOL) {
			if (val) {
				if (strcmp(val, "true") == 0)
					*(bool *)o->value = true;
				else if (strcmp(val, "false") == 0)
					*(bool *)o->value = false;
				else {
					fprintf(stderr, "brig: %s takes no value\n", shown);
					return -1;
				}
			} else {
				*(bool *)o->value = true;
			}
			continue;
		}
		if (!val) {
			if (i + 1 >= argc) {
				fprintf(stderr, "brig: %s needs a value\n", shown);
				brig_print_usage(stderr, usage, opts);
				return -1;
			}
			val = argv[++i];
		}
		if (set_value(o, val, shown) < 0)
			return -1;
	}
	*npos = pos;
	return 0;
}

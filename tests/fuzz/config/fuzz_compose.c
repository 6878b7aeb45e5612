/* Compose parser: YAML with aliases, merge keys and interpolation. Any
 * input parses into a consistent tree or fails; bombs fail fast. Bytes
 * after a NUL (never valid YAML) become the .env file, so the .env parser
 * is fuzzed too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/compose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void walk(const struct brig_compose_node *n, unsigned depth)
{
	/* the parser caps nesting at 128 (aliases included) */
	if (!n || depth > 200)
		__builtin_trap();
	switch (n->kind) {
	case BRIG_COMPOSE_NULL:
		break;
	case BRIG_COMPOSE_SCALAR:
		touch(n->scalar);
		break;
	case BRIG_COMPOSE_SEQ:
		for (size_t i = 0; i < n->n; i++)
			walk(n->items[i], depth + 1);
		break;
	case BRIG_COMPOSE_MAP:
		for (size_t i = 0; i < n->n; i++) {
			touch(n->pairs[i].key);
			walk(n->pairs[i].value, depth + 1);
		}
		break;
	}
}

static void value(const struct brig_compose_value *v)
{
	touch(v->value);
}

static const char *dotenv_file(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/brig-fuzz-dotenv-XXXXXX";
	static int fd = -1;

	if (fd < 0) {
		fd = mkstemp(path);
		if (fd < 0)
			abort();
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const env[] = {"A=1", "B=", "HOME=/root", NULL};
	struct brig_compose_options opt = {.env = env, .lenient = size & 1,
					   .strict_required = size & 2};
	const uint8_t *nul = memchr(data, 0, size);
	struct brig_error err;
	struct brig_compose *c = NULL;

	if (nul) {
		opt.dotenv_path = dotenv_file(nul + 1, size - (size_t)(nul + 1 - data));
		size = (size_t)(nul - data);
	}
	if (brig_compose_parse((const char *)data, size, "fuzz.yaml", &opt, &c, &err)) {
		touch(err.msg);
		return 0;
	}
	walk(c->root, 0);
	for (size_t i = 0; i < c->n_services; i++) {
		const struct brig_compose_service *s = &c->services[i];

		touch(s->name);
		value(&s->image);
		value(&s->user);
		for (size_t k = 0; k < s->n_ports; k++) {
			touch(s->ports[k].target);
			touch(s->ports[k].published);
			touch(s->ports[k].host_ip);
			touch(s->ports[k].protocol);
		}
		for (size_t k = 0; k < s->n_volumes; k++) {
			touch(s->volumes[k].type);
			touch(s->volumes[k].source);
			touch(s->volumes[k].target);
		}
		for (size_t k = 0; k < s->environment.n; k++) {
			touch(s->environment.items[k].key);
			touch(s->environment.items[k].value);
		}
		for (size_t k = 0; k < s->cap_add.n; k++)
			touch(s->cap_add.items[k].value);
		for (size_t k = 0; k < s->command.argc; k++)
			touch(s->command.argv[k]);
		touch(s->command.shell);
		(void)brig_compose_node_path(s->node, "deploy.resources.limits.memory");
	}
	for (size_t i = 0; i < c->n_warnings; i++)
		touch(c->warnings[i]);
	brig_compose_free(c);
	return 0;
}

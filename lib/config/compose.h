/* A Compose file (Compose Specification; v2/v3 "version:" files and
 * unversioned ones) after YAML anchors, aliases and merge keys (<<) are
 * resolved and ${VAR} interpolation is applied, as `docker compose config`
 * would see it. Two views of the same document:
 *  - a generic tree (struct brig_compose_node) with the line of every key
 *    and of every list item, for rules about keys the typed view lacks;
 *  - typed services with the security-relevant keys already decoded.
 * Strings are NUL-terminated and owned by the model; lines are 1-based. */
#ifndef BRIG_CONFIG_COMPOSE_H
#define BRIG_CONFIG_COMPOSE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

enum brig_compose_kind {
	BRIG_COMPOSE_NULL = 0, /* `key:`, `~`, `null` */
	BRIG_COMPOSE_SCALAR,
	BRIG_COMPOSE_SEQ,
	BRIG_COMPOSE_MAP,
};

struct brig_compose_pair;

struct brig_compose_node {
	enum brig_compose_kind kind;
	unsigned line;
	bool quoted;  /* SCALAR written quoted or as a block scalar: "true" is a string */
	char *scalar; /* SCALAR: the text after interpolation */
	size_t n;     /* items (SEQ) or pairs (MAP) */
	struct brig_compose_node **items;
	struct brig_compose_pair *pairs;
};

struct brig_compose_pair {
	char *key;
	unsigned line; /* of the key */
	struct brig_compose_node *value; /* never NULL */
};

/* A scalar setting; value NULL when absent (or null). line: of its key. */
struct brig_compose_value {
	char *value;
	unsigned line;
};

/* A list of strings (a lone string counts as a one-item list where
 * Compose allows it: tmpfs, env_file). line: of the key. */
struct brig_compose_list {
	struct brig_compose_value *items; /* each with its own line */
	size_t n;
	unsigned line;
	bool present;
};

/* environment, labels, sysctls, build.args: from `- K=V` or `K: V`. */
struct brig_compose_kv {
	char *key;
	char *value; /* NULL: `- K` or `K:` (taken from the environment at run time) */
	unsigned line;
};

struct brig_compose_kvs {
	struct brig_compose_kv *items;
	size_t n;
	unsigned line;
	bool present;
};

struct brig_compose_bool {
	bool set;
	bool value;
	unsigned line;
};

struct brig_compose_port {
	char *raw;       /* short syntax as written; NULL for the long syntax */
	char *host_ip;   /* NULL: every interface */
	char *published; /* "8080", "8080-8081"; NULL: not published on the host */
	char *target;    /* "80", "80-81" */
	char *protocol;  /* "tcp" unless given */
	char *mode;      /* long syntax: "host" / "ingress"; else NULL */
	unsigned line;
};

struct brig_compose_volume {
	char *raw;    /* short syntax as written; NULL for the long syntax */
	char *type;   /* "bind", "volume", "tmpfs", "npipe", "image", "cluster" */
	char *source; /* host path or volume name; NULL: anonymous */
	char *target;
	char *mode;   /* short syntax options ("ro,z"); NULL */
	bool read_only;
	char *propagation; /* rshared, rslave, ... NULL */
	unsigned line;
};

struct brig_compose_secret_ref {
	char *source;
	char *target; /* NULL: default /run/secrets/<source> */
	char *uid;
	char *gid;
	char *mode;
	unsigned line;
};

/* command, entrypoint, healthcheck.test: a string or a list. */
struct brig_compose_command {
	bool present;
	bool is_list;
	char *shell; /* string form */
	char **argv; /* list form */
	size_t argc;
	unsigned line;
};

struct brig_compose_build {
	bool present;
	unsigned line;
	struct brig_compose_value context; /* `build: ./dir` sets only this */
	struct brig_compose_value dockerfile;
	struct brig_compose_value dockerfile_inline;
	struct brig_compose_value target;
	struct brig_compose_kvs args;
};

struct brig_compose_healthcheck {
	bool present;
	unsigned line;
	struct brig_compose_command test;
	struct brig_compose_value interval;
	struct brig_compose_value timeout;
	struct brig_compose_value retries;
	struct brig_compose_value start_period;
	struct brig_compose_bool disable;
};

struct brig_compose_service {
	char *name;
	unsigned line;
	const struct brig_compose_node *node; /* the whole (resolved) service mapping */
	struct brig_compose_build build;
	struct brig_compose_value image, user, container_name, restart;
	struct brig_compose_value network_mode, pid, ipc, uts, userns_mode, cgroup, cgroup_parent;
	struct brig_compose_value mem_limit, memswap_limit, cpus, cpu_quota, pids_limit;
	struct brig_compose_bool privileged, read_only;
	struct brig_compose_list cap_add, cap_drop, security_opt, tmpfs, env_file, devices;
	struct brig_compose_kvs environment, labels, sysctls;
	struct brig_compose_port *ports;
	size_t n_ports;
	struct brig_compose_volume *volumes;
	size_t n_volumes;
	struct brig_compose_secret_ref *secrets;
	size_t n_secrets;
	struct { /* deploy.resources.limits */
		struct brig_compose_value cpus, memory, pids;
	} limits;
	struct brig_compose_healthcheck healthcheck;
	struct brig_compose_command command, entrypoint;
};

/* An entry of the top-level secrets / volumes / networks / configs maps. */
struct brig_compose_top {
	char *name;
	unsigned line;
	const struct brig_compose_node *node; /* its definition (may be NULL kind) */
};

struct brig_compose {
	char *name; /* as given, used in messages */
	struct brig_compose_node *root;
	struct brig_compose_value version; /* obsolete `version:`, if present */
	struct brig_compose_value project;  /* top-level `name:` */
	struct brig_compose_service *services;
	size_t n_services;
	struct brig_compose_top *secrets, *volumes, *networks, *configs;
	size_t n_secrets, n_volumes, n_networks, n_configs;
	/* "name:LINE: The "X" variable is not set. Defaulting to a blank string." ... */
	char **warnings;
	size_t n_warnings;
};

struct brig_compose_options {
	/* The interpolation environment, "K=V" strings, NULL-terminated.
	 * NULL: the process environment. It wins over the .env file. */
	const char *const *env;
	/* The .env file to read. NULL: ".env" beside the Compose file when
	 * loading by path (a missing one is fine); nothing when parsing memory. */
	const char *dotenv_path;
	bool no_dotenv;
	/* ${X:?msg} with X unset/empty: docker compose fails; by default we
	 * warn and substitute "" so a scan still sees the rest. */
	bool strict_required;
	/* What docker compose refuses but a raw-YAML linter (KICS) reads:
	 * duplicate keys (the first one is used) and keys of the wrong shape
	 * (`services: {image: x}`) become warnings and are skipped. */
	bool lenient;
};

/* data[0..len) need not be NUL-terminated. opt may be NULL. Errors carry
 * "name:LINE: ...": YAML syntax, an alias bomb (more than 1e6 nodes once
 * aliases are expanded), nesting deeper than 128, a bad ${...} template,
 * or a key of the wrong shape (`services.web.ports must be a list`). */
int brig_compose_parse(const char *data, size_t len, const char *name,
		       const struct brig_compose_options *opt, struct brig_compose **out,
		       struct brig_error *err);
int brig_compose_load(const char *path, const struct brig_compose_options *opt,
		      struct brig_compose **out, struct brig_error *err);
void brig_compose_free(struct brig_compose *c);

const struct brig_compose_service *brig_compose_service(const struct brig_compose *c,
							 const char *name);
/* Generic tree helpers: NULL when absent or when n is not a mapping. */
const struct brig_compose_pair *brig_compose_node_pair(const struct brig_compose_node *n,
						       const char *key);
const struct brig_compose_node *brig_compose_node_get(const struct brig_compose_node *n,
						      const char *key);
/* "deploy.resources.limits.memory": dotted keys through mappings. */
const struct brig_compose_node *brig_compose_node_path(const struct brig_compose_node *n,
						       const char *dotted);

#endif

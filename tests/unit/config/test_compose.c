#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config/compose.h"
#include "core/cleanup.h"
#include "core/xalloc.h"
#include "testutil.h"
#include "config_test.h"

static const char *const test_env[] = {"WEB_USER=shell-user", "PRIV=true", NULL};

static struct brig_compose *parse_opt(const char *text, const struct brig_compose_options *opt)
{
	struct brig_error err = {0};
	struct brig_compose *c = NULL;

	if (brig_compose_parse(text, strlen(text), "c.yaml", opt, &c, &err) != 0) {
		print_error("unexpected parse error: %s\n", err.msg);
		fail();
	}
	return c;
}

static struct brig_compose *parse_ok(const char *text)
{
	static const char *const empty[] = {NULL};
	struct brig_compose_options opt = {.env = empty};

	return parse_opt(text, &opt);
}

static void parse_fails_opt(const char *text, size_t len, const struct brig_compose_options *opt,
			    const char *want)
{
	struct brig_error err = {0};
	struct brig_compose *c = NULL;

	if (brig_compose_parse(text, len, "c.yaml", opt, &c, &err) == 0) {
		print_error("expected failure containing \"%s\"\n", want);
		brig_compose_free(c);
		fail();
	}
	assert_null(c);
	if (!strstr(err.msg, want)) {
		print_error("error \"%s\" lacks \"%s\"\n", err.msg, want);
		fail();
	}
}

static void parse_fails(const char *text, const char *want)
{
	static const char *const empty[] = {NULL};
	struct brig_compose_options opt = {.env = empty};

	parse_fails_opt(text, strlen(text), &opt, want);
}

static const struct brig_compose_kv *kv(const struct brig_compose_kvs *k, const char *key)
{
	for (size_t i = 0; i < k->n; i++) {
		if (!strcmp(k->items[i].key, key))
			return &k->items[i];
	}
	print_error("no key %s\n", key);
	fail();
	return NULL;
}

/* ---- the tricky fixture ---- */

static void test_tricky_fixture(void **state)
{
	_cleanup_free_ char *path = fixture_path("compose-tricky/compose.yaml");
	struct brig_compose_options opt = {.env = test_env};
	struct brig_error err = {0};
	struct brig_compose *c = NULL;
	const struct brig_compose_service *web, *db, *worker;

	(void)state;
	assert_int_equal(brig_compose_load(path, &opt, &c, &err), 0);
	assert_string_equal(c->version.value, "3.8");
	assert_int_equal(c->version.line, 1);
	assert_string_equal(c->project.value, "tricky");
	assert_int_equal(c->n_services, 3);
	assert_int_equal(c->n_warnings, 0);
	web = brig_compose_service(c, "web");
	db = brig_compose_service(c, "db");
	worker = brig_compose_service(c, "worker");
	assert_non_null(web);
	assert_non_null(db);
	assert_non_null(worker);
	assert_null(brig_compose_service(c, "nope"));
	assert_int_equal(web->line, 13);
	assert_int_equal(db->line, 61);

	/* interpolation: .env, process env wins over .env */
	assert_string_equal(web->image.value, "nginx:1.27");
	assert_int_equal(web->image.line, 15);
	assert_string_equal(web->user.value, "shell-user");
	assert_true(web->privileged.set);
	assert_true(web->privileged.value);
	assert_int_equal(web->privileged.line, 18);

	/* merge keys: explicit read_only wins over the anchor; lists and the
	 * deploy limits come from the merged anchors with the anchors' lines */
	assert_true(web->read_only.set);
	assert_false(web->read_only.value);
	assert_int_equal(web->read_only.line, 16);
	assert_int_equal(web->cap_drop.n, 1);
	assert_string_equal(web->cap_drop.items[0].value, "ALL");
	assert_int_equal(web->cap_drop.items[0].line, 6);
	assert_string_equal(web->security_opt.items[0].value, "no-new-privileges:true");
	assert_string_equal(web->limits.cpus.value, "0.5");
	assert_string_equal(web->limits.memory.value, "256M");
	assert_string_equal(web->limits.pids.value, "100");
	assert_int_equal(web->limits.memory.line, 11);
	assert_true(db->read_only.set);
	assert_true(db->read_only.value);
	assert_null(db->limits.memory.value);

	/* ports */
	assert_int_equal(web->n_ports, 6);
	assert_string_equal(web->ports[0].raw, "8080:80");
	assert_string_equal(web->ports[0].published, "8080");
	assert_string_equal(web->ports[0].target, "80");
	assert_null(web->ports[0].host_ip);
	assert_string_equal(web->ports[0].protocol, "tcp");
	assert_int_equal(web->ports[0].line, 20);
	assert_string_equal(web->ports[1].host_ip, "127.0.0.1");
	assert_string_equal(web->ports[1].published, "8443");
	assert_string_equal(web->ports[1].target, "443");
	assert_null(web->ports[2].published);
	assert_string_equal(web->ports[2].target, "9000");
	assert_string_equal(web->ports[3].host_ip, "::1");
	assert_string_equal(web->ports[3].protocol, "udp");
	assert_string_equal(web->ports[4].published, "6000-6005");
	assert_string_equal(web->ports[4].target, "6000-6005");
	assert_null(web->ports[5].raw);
	assert_string_equal(web->ports[5].target, "3000");
	assert_string_equal(web->ports[5].published, "3001");
	assert_string_equal(web->ports[5].host_ip, "0.0.0.0");
	assert_string_equal(web->ports[5].protocol, "udp");
	assert_string_equal(web->ports[5].mode, "host");
	assert_int_equal(web->ports[5].line, 25);

	/* volumes */
	assert_int_equal(web->n_volumes, 5);
	assert_string_equal(web->volumes[0].type, "bind");
	assert_string_equal(web->volumes[0].source, "/var/run/docker.sock");
	assert_string_equal(web->volumes[0].target, "/var/run/docker.sock");
	assert_true(web->volumes[0].read_only);
	assert_int_equal(web->volumes[0].line, 31);
	assert_string_equal(web->volumes[1].type, "volume");
	assert_string_equal(web->volumes[1].source, "data");
	assert_false(web->volumes[1].read_only);
	assert_string_equal(web->volumes[2].mode, "ro,z");
	assert_true(web->volumes[2].read_only);
	assert_string_equal(web->volumes[2].type, "bind");
	assert_null(web->volumes[3].source);
	assert_string_equal(web->volumes[3].target, "/anon");
	assert_null(web->volumes[4].raw);
	assert_string_equal(web->volumes[4].type, "bind");
	assert_string_equal(web->volumes[4].source, "/etc");
	assert_true(web->volumes[4].read_only);
	assert_string_equal(web->volumes[4].propagation, "rshared");
	assert_int_equal(web->volumes[4].line, 35);

	/* environment list: $$ escape, .env value, bare name, nested default */
	assert_true(web->environment.present);
	assert_int_equal(web->environment.line, 41);
	assert_string_equal(kv(&web->environment, "SECRET")->value, "$notavar");
	assert_int_equal(kv(&web->environment, "SECRET")->line, 42);
	assert_string_equal(kv(&web->environment, "FROM_DOTENV")->value, "from dotenv");
	assert_null(kv(&web->environment, "BARE")->value);
	assert_string_equal(kv(&web->environment, "NESTED")->value, "deep");

	/* string-or-list keys */
	assert_int_equal(web->env_file.n, 1);
	assert_string_equal(web->env_file.items[0].value, ".env.web");
	assert_int_equal(web->tmpfs.n, 1);
	assert_string_equal(web->tmpfs.items[0].value, "/run");
	assert_int_equal(db->tmpfs.n, 2);
	assert_int_equal(db->tmpfs.items[1].line, 89);
	assert_int_equal(worker->env_file.n, 2);
	assert_string_equal(worker->env_file.items[0].value, "./a.env");
	assert_int_equal(worker->env_file.items[1].line, 95);

	/* secrets short and long */
	assert_int_equal(web->n_secrets, 2);
	assert_string_equal(web->secrets[0].source, "db_password");
	assert_null(web->secrets[0].target);
	assert_string_equal(web->secrets[1].source, "api_key");
	assert_string_equal(web->secrets[1].target, "/run/secrets/key");
	assert_string_equal(web->secrets[1].mode, "0400");

	/* healthcheck, command */
	assert_true(web->healthcheck.present);
	assert_true(web->healthcheck.test.is_list);
	assert_int_equal(web->healthcheck.test.argc, 4);
	assert_string_equal(web->healthcheck.test.argv[0], "CMD");
	assert_string_equal(web->healthcheck.interval.value, "30s");
	assert_true(web->healthcheck.disable.set);
	assert_false(web->healthcheck.disable.value);
	assert_true(db->healthcheck.disable.value);
	assert_false(web->command.is_list);
	assert_string_equal(web->command.shell, "nginx -g 'daemon off;'");
	assert_true(db->entrypoint.is_list);
	assert_string_equal(db->entrypoint.argv[1], "postgres");
	assert_string_equal(web->restart.value, "unless-stopped");
	assert_string_equal(web->mem_limit.value, "512m");
	assert_string_equal(web->pids_limit.value, "50");

	/* db: build map, host namespaces, caps, devices, sysctls, env map */
	assert_true(db->build.present);
	assert_string_equal(db->build.context.value, "./db");
	assert_string_equal(db->build.dockerfile.value, "Dockerfile.db");
	assert_string_equal(kv(&db->build.args, "VERSION")->value, "16");
	assert_null(kv(&db->build.args, "DEBUG")->value);
	assert_string_equal(worker->build.context.value, "./worker");
	assert_string_equal(db->network_mode.value, "host");
	assert_string_equal(db->pid.value, "host");
	assert_string_equal(db->ipc.value, "host");
	assert_string_equal(db->userns_mode.value, "host");
	assert_int_equal(db->cap_add.n, 2);
	assert_string_equal(db->cap_add.items[1].value, "NET_ADMIN");
	assert_string_equal(db->devices.items[0].value, "/dev/fuse:/dev/fuse:rwm");
	assert_string_equal(kv(&db->sysctls, "net.core.somaxconn")->value, "1024");
	assert_string_equal(kv(&db->labels, "com.example.tier")->value, "db");
	assert_string_equal(kv(&db->environment, "POSTGRES_PASSWORD")->value, "hunter2");
	assert_int_equal(kv(&db->environment, "POSTGRES_PASSWORD")->line, 81);
	assert_null(kv(&db->environment, "EMPTY")->value);
	assert_string_equal(kv(&db->environment, "PORT")->value, "5432");

	/* top level */
	assert_int_equal(c->n_secrets, 2);
	assert_string_equal(c->secrets[0].name, "db_password");
	assert_int_equal(c->secrets[0].line, 97);
	assert_string_equal(brig_compose_node_get(c->secrets[0].node, "file")->scalar,
			    "./db_password.txt");
	assert_int_equal(c->n_volumes, 1);
	assert_int_equal(c->n_networks, 1);

	/* generic tree */
	{
		const struct brig_compose_node *n =
			brig_compose_node_path(web->node, "deploy.resources.limits.cpus");
		const struct brig_compose_pair *p = brig_compose_node_pair(web->node, "ports");

		assert_non_null(n);
		assert_int_equal(n->kind, BRIG_COMPOSE_SCALAR);
		assert_true(n->quoted);
		assert_string_equal(n->scalar, "0.5");
		assert_int_equal(p->line, 19);
		assert_int_equal(p->value->kind, BRIG_COMPOSE_SEQ);
		assert_int_equal(p->value->items[2]->line, 22);
		assert_false(p->value->items[2]->quoted);
		assert_int_equal(brig_compose_node_get(db->node, "healthcheck")->kind,
				 BRIG_COMPOSE_MAP);
		assert_null(brig_compose_node_path(c->root, "services.web.nope"));
	}
	brig_compose_free(c);
}

static void test_dotenv(void **state)
{
	_cleanup_free_ char *path = fixture_path("compose-tricky/compose.yaml");
	_cleanup_free_ char *envp = fixture_path("compose-tricky/.env");
	static const char *const no_env[] = {NULL};
	static const char *const text =
		"services:\n"
		"  a:\n"
		"    image: x\n"
		"    environment:\n"
		"      Q: ${QUOTED}\n"
		"      M: ${MULTI}\n"
		"      R: ${REF}\n"
		"      T: ${NGINX_TAG}\n";
	struct brig_compose_options opt = {.env = no_env, .dotenv_path = envp};
	struct brig_compose *c;
	const struct brig_compose_service *s;

	(void)state;
	c = parse_opt(text, &opt);
	s = &c->services[0];
	assert_string_equal(kv(&s->environment, "Q")->value, "single $NOT_EXPANDED");
	assert_string_equal(kv(&s->environment, "M")->value, "line1\nline2");
	assert_string_equal(kv(&s->environment, "R")->value, "1.27-ref");
	assert_string_equal(kv(&s->environment, "T")->value, "1.27");
	brig_compose_free(c);

	/* no .env: unset variables warn and become "" */
	opt.no_dotenv = true;
	{
		struct brig_error err = {0};

		assert_int_equal(brig_compose_load(path, &opt, &c, &err), 0);
		assert_string_equal(c->services[0].image.value, "nginx:1.25");
		assert_true(c->n_warnings >= 1);
		assert_non_null(strstr(c->warnings[0], "compose.yaml:17: The \"WEB_USER\" variable is not set"));
		brig_compose_free(c);
	}

	/* a broken .env is an error with its own name and line */
	{
		char tmpl[] = "/tmp/brig-dotenv-XXXXXX";
		int fd = mkstemp(tmpl);
		struct brig_error err = {0};
		struct brig_compose_options o2 = {.env = no_env, .dotenv_path = tmpl};

		assert_true(fd >= 0);
		assert_int_equal(write(fd, "OK=1\nBAD=\"unterminated\n", 23), 23);
		close(fd);
		assert_int_equal(brig_compose_parse(text, strlen(text), "c.yaml", &o2, &c, &err), -1);
		assert_non_null(strstr(err.msg, ":2: unterminated quoted value"));
		unlink(tmpl);
	}
}

static void test_interpolation(void **state)
{
	static const char *const env[] = {"SET=v", "EMPTY=", NULL};
	struct brig_compose_options opt = {.env = env};
	struct brig_compose *c;
	const struct brig_compose_kvs *e;

	(void)state;
	c = parse_opt("services:\n"
		      "  a:\n"
		      "    image: i\n"
		      "    environment:\n"
		      "      - A=${SET}\n"
		      "      - B=$SET/x\n"
		      "      - C=${UNSET:-d1}\n"
		      "      - D=${EMPTY:-d2}\n"
		      "      - E=${EMPTY-d3}\n"
		      "      - F=${UNSET-d4}\n"
		      "      - G=${SET:+alt}\n"
		      "      - H=${EMPTY:+alt}\n"
		      "      - I=${EMPTY+alt}\n"
		      "      - J=$$SET $$$$ $ $1 ${SET:?must}\n"
		      "      - K=${UNSET:-${SET}-${UNSET2:-z}}\n"
		      "      - L=${UNSET:?needed}\n",
		      &opt);
	e = &c->services[0].environment;
	assert_string_equal(kv(e, "A")->value, "v");
	assert_string_equal(kv(e, "B")->value, "v/x");
	assert_string_equal(kv(e, "C")->value, "d1");
	assert_string_equal(kv(e, "D")->value, "d2");
	assert_string_equal(kv(e, "E")->value, "");
	assert_string_equal(kv(e, "F")->value, "d4");
	assert_string_equal(kv(e, "G")->value, "alt");
	assert_string_equal(kv(e, "H")->value, "");
	assert_string_equal(kv(e, "I")->value, "alt");
	assert_string_equal(kv(e, "J")->value, "$SET $$ $ $1 v");
	assert_string_equal(kv(e, "K")->value, "v-z");
	assert_string_equal(kv(e, "L")->value, "");
	assert_int_equal(c->n_warnings, 1);
	assert_non_null(strstr(c->warnings[0], "c.yaml:16: required variable UNSET is missing a value: needed"));
	brig_compose_free(c);

	/* docker compose's behaviour on demand */
	opt.strict_required = true;
	parse_fails_opt("services:\n  a:\n    image: ${NOPE:?set it}\n",
			strlen("services:\n  a:\n    image: ${NOPE:?set it}\n"), &opt,
			"c.yaml:3: required variable NOPE is missing a value: set it");
	/* keys are not interpolated */
	c = parse_ok("services:\n  a:\n    labels:\n      ${K}: v\n");
	assert_string_equal(c->services[0].labels.items[0].key, "${K}");
	brig_compose_free(c);

	parse_fails("services:\n  a:\n    image: \"${UNCLOSED\"\n", "c.yaml:3: invalid interpolation format");
	parse_fails("services:\n  a:\n    image: \"${}\"\n", "invalid interpolation format");
	parse_fails("services:\n  a:\n    image: \"${A B}\"\n", "invalid interpolation format");
	parse_fails("services:\n  a:\n    image: \"${A%x}\"\n", "invalid interpolation format");
}

static void test_anchors_merge(void **state)
{
	struct brig_compose *c;
	const struct brig_compose_service *s;

	(void)state;
	c = parse_ok("x-a: &a\n"
		     "  image: from-a\n"
		     "  user: ua\n"
		     "  <<: &b\n"
		     "    pid: host\n"
		     "x-c: &c {user: uc, ipc: host}\n"
		     "services:\n"
		     "  s1:\n"
		     "    <<: [*a, *c]\n"
		     "  s2:\n"
		     "    <<: *c\n"
		     "    user: own\n"
		     "    cap_add: &caps [NET_ADMIN]\n"
		     "  s3:\n"
		     "    image: x\n"
		     "    cap_add: *caps\n"
		     "    \"<<\": quoted-is-a-key\n");
	s = brig_compose_service(c, "s1");
	assert_string_equal(s->image.value, "from-a");
	assert_string_equal(s->user.value, "ua"); /* earlier source wins */
	assert_string_equal(s->pid.value, "host");  /* nested merge */
	assert_string_equal(s->ipc.value, "host");
	assert_int_equal(s->user.line, 3);
	s = brig_compose_service(c, "s2");
	assert_string_equal(s->user.value, "own");
	assert_int_equal(s->user.line, 12);
	s = brig_compose_service(c, "s3");
	assert_string_equal(s->cap_add.items[0].value, "NET_ADMIN");
	assert_int_equal(s->cap_add.items[0].line, 13); /* where the anchored text is */
	assert_string_equal(brig_compose_node_get(s->node, "<<")->scalar, "quoted-is-a-key");
	brig_compose_free(c);

	parse_fails("services:\n  a:\n    <<: not-a-map\n", "c.yaml:3: map merge requires map");
	parse_fails("services:\n  a:\n    <<: [x]\n", "map merge requires map");
	parse_fails("services:\n  a: *nope\n", "c.yaml:2: alias *nope refers to no anchor");
	parse_fails("a: &x\n  b: *x\n", "recursive alias");
}

static void test_shapes_and_errors(void **state)
{
	static const char *const no_env[] = {NULL};
	struct brig_compose_options lenient = {.env = no_env, .lenient = true};
	struct brig_compose *c;

	(void)state;
	parse_fails("services:\n  web:\n    image: [a]\n", "c.yaml:3: services.web.image must be a string");
	parse_fails("services:\n  web:\n    ports: 80\n", "c.yaml:3: services.web.ports must be a list");
	parse_fails("services:\n  web:\n    privileged: maybe\n", "services.web.privileged must be a boolean");
	parse_fails("services:\n  web:\n", "c.yaml:2: services.web must be a mapping");
	parse_fails("services: [a]\n", "services must be a mapping");
	parse_fails("- a\n- b\n", "Top-level object must be a mapping");
	parse_fails("", "empty compose file");
	parse_fails("services:\n  a:\n    ports:\n      - \"127.0.0.1::\"\n", "no port specified");
	parse_fails("services:\n  a:\n    volumes:\n      - \"./a::b\"\n", "empty section between colons");
	parse_fails("services:\n  a:\n    volumes:\n      - \"./a:/b:ro:x\"\n", "too many colons");
	parse_fails("a: 1\n\n\nb: [1, 2\nc: 3\n", "c.yaml:");
	parse_fails("services:\n  a:\n    image: x\n    image: y\n", "c.yaml:4: YAML: duplicate key \"image\"");
	parse_fails("a: &x {p: 1}\nb:\n  <<: *x\n  <<: *x\n", "c.yaml:4: YAML: duplicate key \"<<\"");
	parse_fails_opt("services: {}\n", 13, &(struct brig_compose_options){
							.env = no_env,
							.dotenv_path = "/nonexistent/.env"},
			"/nonexistent/.env");

	/* lenient: duplicate keys and bad shapes become warnings */
	c = parse_opt("services:\n  image: docker\n  ok:\n    image: y\n    image: z\n"
		      "volumes:\n  v:\n    driver: local\n",
		      &lenient);
	assert_int_equal(c->n_services, 2);
	assert_string_equal(c->services[1].image.value, "y");
	assert_int_equal(c->n_volumes, 1);
	assert_int_equal(c->n_warnings, 2);
	assert_non_null(strstr(c->warnings[0], "c.yaml:5: duplicate key \"image\" ignored"));
	assert_non_null(strstr(c->warnings[1], "services.image must be a mapping"));
	brig_compose_free(c);

	/* v2 and unversioned files; booleans in their YAML 1.1 spellings */
	c = parse_ok("version: '2.4'\nservices:\n  a:\n    image: x\n    privileged: yes\n    read_only: \"false\"\n");
	assert_true(c->services[0].privileged.value);
	assert_false(c->services[0].read_only.value);
	brig_compose_free(c);
	c = parse_ok("services:\n  a:\n    image: x\n    ports: []\n    environment: {}\n");
	assert_null(c->version.value);
	assert_int_equal(c->services[0].n_ports, 0);
	assert_true(c->services[0].environment.present);
	brig_compose_free(c);
	c = parse_ok("name: onlyname\n");
	assert_int_equal(c->n_services, 0);
	brig_compose_free(c);
	/* Windows paths in short volume syntax */
	c = parse_ok("services:\n  a:\n    volumes:\n      - C:\\data:/data:ro\n      - \\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine\n");
	assert_string_equal(c->services[0].volumes[0].source, "C:\\data");
	assert_string_equal(c->services[0].volumes[0].type, "bind");
	assert_true(c->services[0].volumes[0].read_only);
	assert_string_equal(c->services[0].volumes[1].type, "bind");
	brig_compose_free(c);
}

/* ---- hostile ---- */

static void test_hostile(void **state)
{
	char *s;
	size_t len = 0, cap = 1 << 16;
	clock_t t0;

	(void)state;
	/* billion laughs: refused fast, without expanding */
	s = brig_xmalloc(cap);
	assert_non_null(s);
	len += (size_t)snprintf(s + len, cap - len, "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
	for (int i = 1; i < 12; i++) {
		len += (size_t)snprintf(s + len, cap - len, "a%d: &a%d [", i, i);
		for (int k = 0; k < 10; k++)
			len += (size_t)snprintf(s + len, cap - len, "%s*a%d", k ? "," : "", i - 1);
		len += (size_t)snprintf(s + len, cap - len, "]\n");
	}
	t0 = clock();
	parse_fails(s, "more than 1000000 YAML nodes once aliases are expanded");
	assert_true((clock() - t0) / CLOCKS_PER_SEC < 5);
	free(s);

	/* a long string aliased many times: bytes, not nodes */
	{
		size_t n = 1u << 20;
		char *big = brig_xmalloc(n + 4096);
		size_t k = 0;

		assert_non_null(big);
		k += (size_t)snprintf(big, 64, "a: &a \"");
		memset(big + k, 'x', n);
		k += n;
		k += (size_t)snprintf(big + k, 64, "\"\nb: [");
		for (int i = 0; i < 100; i++)
			k += (size_t)snprintf(big + k, 16, "%s*a", i ? "," : "");
		snprintf(big + k, 16, "]\n");
		parse_fails(big, "bytes of text once aliases are expanded");
		free(big);
	}

	/* deep nesting */
	{
		size_t depth = 100000;
		char *deep = brig_xmalloc(depth * 2 + 16);

		size_t k = 0;

		deep[k++] = 'a';
		deep[k++] = ':';
		deep[k++] = ' ';
		for (size_t i = 0; i < depth; i++)
			deep[k++] = '[';
		for (size_t i = 0; i < depth; i++)
			deep[k++] = ']';
		deep[k] = '\0';
		parse_fails(deep, "c.yaml:");
		free(deep);
	}
	/* nesting through aliases (each level legal on its own) */
	{
		char *chain = brig_xmalloc(1 << 16);
		size_t k = 0;

		assert_non_null(chain);
		k += (size_t)snprintf(chain, 64, "a0: &a0 [x]\n");
		for (int i = 1; i < 200; i++)
			k += (size_t)snprintf(chain + k, (1 << 16) - k, "a%d: &a%d [*a%d]\n", i, i, i - 1);
		parse_fails(chain, "nesting (aliases included) deeper than 128");
		free(chain);
	}

	/* libfyaml's quadratic spots: duplicate-key checks (done by us with a
	 * hash instead), anchor lists (capped) */
	{
		size_t mcap = 40000 * 32 + 600000, k = 0;
		char *many = brig_xmalloc(mcap);

		t0 = clock();
		k += (size_t)snprintf(many, mcap, "services:\n");
		for (int i = 0; i < 40000; i++)
			k += (size_t)snprintf(many + k, mcap - k, "  s%d: {image: x}\n", i);
		{
			struct brig_compose *c = parse_ok(many);

			assert_int_equal(c->n_services, 40000);
			brig_compose_free(c);
		}
		assert_true((clock() - t0) / CLOCKS_PER_SEC < 10);
		k = (size_t)snprintf(many, mcap, "x:\n");
		for (int i = 0; i < 4001; i++)
			k += (size_t)snprintf(many + k, mcap - k, "  a%d: &a%d v\n", i, i);
		parse_fails(many, "c.yaml:4002: more than 4000 YAML anchors");
		k = (size_t)snprintf(many, mcap, "x:\n");
		for (int i = 0; i < 4000; i++)
			k += (size_t)snprintf(many + k, mcap - k, "  a%d: &a%d v\n", i, i);
		k += (size_t)snprintf(many + k, mcap - k, "y:\n");
		for (int i = 0; i < 5001; i++)
			k += (size_t)snprintf(many + k, mcap - k, "  - *a%d\n", i % 4000);
		parse_fails(many, "too many YAML aliases (5001) for 4000 anchors");
		k = 0;
		for (int i = 0; i < 65; i++)
			k += (size_t)snprintf(many + k, mcap - k, "%%TAG !t%d! tag:x%d:\n", i, i);
		snprintf(many + k, mcap - k, "---\na: 1\n");
		parse_fails(many, "c.yaml:65: more than 64 YAML directives");
		k = (size_t)snprintf(many, mcap, "a: [1");
		for (int i = 0; i < 250000; i++)
			k += (size_t)snprintf(many + k, mcap - k, ",1");
		snprintf(many + k, mcap - k, "]\n");
		parse_fails(many, "c.yaml:1: more than 250000 YAML nodes");
		free(many);
	}

	/* too big */
	{
		size_t n = (4u << 20) + 1;
		char *big = brig_xmalloc(n);

		assert_non_null(big);
		memset(big, '#', n);
		parse_fails_opt(big, n, NULL, "exceeds the 4194304-byte limit");
		free(big);
	}

	/* non-UTF-8 bytes and control characters are refused up front, as
	 * compose-go does; the directive case used to hang libfyaml */
	parse_fails("services:\n  a:\n    image: \xff\xfe\n", "c.yaml:3: YAML: invalid UTF-8");
	parse_fails("a: 1\n%   \xb2nvir", "c.yaml:2: YAML: invalid UTF-8 or control character (byte 0xb2)");
	parse_fails("a: \xc0\x80\n", "invalid UTF-8"); /* overlong NUL */
	parse_fails("a: \xed\xa0\x80\n", "invalid UTF-8"); /* surrogate */
	parse_fails("a: \x1b[31m\n", "control character (byte 0x1b)");
	{
		struct brig_compose *c = parse_ok("a: \"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3\"\n");

		assert_string_equal(brig_compose_node_get(c->root, "a")->scalar,
				    "h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xb3");
		brig_compose_free(c);
	}
	/* NUL bytes inside a scalar */
	parse_fails("a: \"x\\0y\"\n", "NUL byte");
	/* interpolation that would grow: bounded by the default-nesting cap */
	{
		char *nest = brig_xmalloc(1 << 16);
		size_t k = 0;

		assert_non_null(nest);
		k += (size_t)snprintf(nest, 64, "a: \"");
		for (int i = 0; i < 40; i++)
			k += (size_t)snprintf(nest + k, 64, "${U:-");
		for (int i = 0; i < 40; i++)
			k += (size_t)snprintf(nest + k, 64, "}");
		snprintf(nest + k, 64, "\"\n");
		parse_fails(nest, "interpolation nested deeper than 16");
		free(nest);
	}
}

/* ---- real data ---- */

struct walk_stats {
	size_t ok;
	size_t failed;
	size_t expected_failures;
};

/* KICS samples docker compose itself refuses; the reason is checked. */
static const struct {
	const char *suffix;
	const char *reason;
} expected_to_fail[] = {
	{"volume_has_sensitive_host_directory/test/negative2.yaml",
	 "services.image must be a mapping"},
	{"volume_has_sensitive_host_directory/test/positive3.yaml",
	 "services.image must be a mapping"},
	{"passwords_and_secrets/test/positive46.yaml", "YAML: duplicate key"},
};

static void compose_file_cb(const char *path, void *ctx)
{
	struct walk_stats *st = ctx;
	static const char *const no_env[] = {NULL};
	struct brig_compose_options opt = {.env = no_env};
	struct brig_compose_options lenient = {.env = no_env, .lenient = true};
	struct brig_error err = {0};
	struct brig_compose *c = NULL;
	const char *reason = NULL;

	for (size_t i = 0; i < sizeof(expected_to_fail) / sizeof(expected_to_fail[0]); i++) {
		size_t pl = strlen(path), sl = strlen(expected_to_fail[i].suffix);

		if (pl >= sl && !strcmp(path + pl - sl, expected_to_fail[i].suffix))
			reason = expected_to_fail[i].reason;
	}
	if (brig_compose_load(path, &opt, &c, &err) != 0) {
		if (reason && strstr(err.msg, reason)) {
			printf("expected failure: %s\n", err.msg);
			/* ...but the lenient mode reads it for KICS-style rules */
			assert_int_equal(brig_compose_load(path, &lenient, &c, &err), 0);
			assert_true(c->n_warnings > 0 || strstr(reason, "duplicate"));
			brig_compose_free(c);
			st->expected_failures++;
			return;
		}
		print_error("FAILED: %s\n", err.msg);
		st->failed++;
		return;
	}
	if (reason) {
		print_error("UNEXPECTED PASS: %s (expected: %s)\n", path, reason);
		st->failed++;
	}
	for (size_t i = 0; i < c->n_services; i++) {
		assert_true(c->services[i].line >= 1);
		for (size_t p = 0; p < c->services[i].n_ports; p++)
			assert_non_null(c->services[i].ports[p].target);
	}
	brig_compose_free(c);
	st->ok++;
}

static bool is_compose_name(const char *b)
{
	static const char *const globs[] = {"compose*.y*ml", "docker-compose*.y*ml", NULL};

	return glob_any(b, globs);
}

static bool is_yaml(const char *b)
{
	static const char *const globs[] = {"*.yaml", "*.yml", NULL};

	return glob_any(b, globs);
}

static void test_real_compose(void **state)
{
	char dir[4096];
	struct walk_stats st = {0};

	(void)state;
	BRIG_REQUIRE_SHARED("real-dockerfiles", dir);
	walk_tree(dir, is_compose_name, compose_file_cb, &st);
	printf("real-dockerfiles: %zu compose files parsed, %zu failed\n", st.ok, st.failed);
	assert_int_equal(st.failed, 0);
	assert_true(st.ok >= 19);
}

static void test_kics_compose(void **state)
{
	char dir[4096], sub[4200];
	struct walk_stats st = {0};

	(void)state;
	BRIG_REQUIRE_SHARED("kics", dir);
	snprintf(sub, sizeof(sub), "%s/dockerCompose", dir);
	walk_tree(sub, is_yaml, compose_file_cb, &st);
	snprintf(sub, sizeof(sub), "%s/common", dir);
	walk_tree(sub, is_yaml, compose_file_cb, &st);
	printf("kics: %zu compose samples parsed, %zu expected failures, %zu failed\n", st.ok,
	       st.expected_failures, st.failed);
	assert_int_equal(st.failed, 0);
	assert_int_equal(st.expected_failures, 3);
	assert_true(st.ok >= 110);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tricky_fixture),
		cmocka_unit_test(test_dotenv),
		cmocka_unit_test(test_interpolation),
		cmocka_unit_test(test_anchors_merge),
		cmocka_unit_test(test_shapes_and_errors),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_real_compose),
		cmocka_unit_test(test_kics_compose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The runtime parsers: inspect JSON (then every container check on what
 * it produced), /proc/PID/status, mountinfo (and its translation to host
 * paths against a second, fuzzed host mountinfo), /proc/PID/cgroup, the
 * container list and the engine's /info. The first byte picks the parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct brig_rt_ctx ctx = {.engine_socket = "/run/docker.sock"};

static void fuzz_container(const char *s, size_t n)
{
	struct brig_rt_container c;
	struct brig_error err = {0};
	struct brig_finding_list out = {0};

	if (brig_rt_container_parse(s, n, &c, &err) == 0) {
		const struct brig_rt_container *cs[1] = {&c};
		struct brig_rt_engine e;

		if (!c.id || !c.name || !c.target)
			abort();
		brig_rt_check_container(&ctx, &c, &out);
		brig_rt_engine_init(&e, "engine", NULL);
		brig_rt_check_engine(&e, cs, 1, &out);
		brig_rt_engine_free(&e);
		for (size_t i = 0; i < out.n; i++)
			if (!out.items[i].id || !out.items[i].message || !out.items[i].source)
				abort();
	} else if (!err.msg[0]) {
		abort();
	}
	brig_finding_list_free(&out);
	brig_rt_container_free(&c);
}

/* host mountinfo, a NUL byte, then the container's */
static void fuzz_mounts(const char *s, size_t n)
{
	const char *nul = memchr(s, '\0', n);
	struct brig_rt_host h = {0};
	struct brig_rt_container c = {0};
	struct brig_error err = {0};
	struct brig_finding_list out = {0};
	size_t hn = nul ? (size_t)(nul - s) : n;

	if (brig_rt_parse_mountinfo(s, hn, &h.mounts, &err) < 0)
		return;
	c.id = strdup("0123456789abcdef0123456789abcdef");
	c.name = strdup("fuzz");
	c.target = strdup("fuzz (0123456789ab)");
	c.proc.present = true;
	c.proc.no_new_privs = c.proc.seccomp = -1;
	c.proc.uid = c.proc.memory_limit = c.proc.cpu_quota_us = c.proc.pids_max = -1;
	c.proc.cpu_weight = -1;
	if (nul)
		brig_rt_overlay_mounts(&h, nul + 1, n - hn - 1, &c);
	for (size_t i = 0; i < c.n_mounts; i++)
		if (!c.mounts[i].source || !c.mounts[i].dest)
			abort();
	brig_rt_check_container(&ctx, &c, &out);
	brig_finding_list_free(&out);
	brig_rt_container_free(&c);
	brig_rt_mountinfo_free(&h.mounts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct brig_error err = {0};
	const char *s = (const char *)data + 1;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	switch (data[0] % 7) {
	case 0:
		fuzz_container(s, n);
		break;
	case 1: {
		struct brig_rt_status st;

		(void)brig_rt_parse_status(s, n, &st);
		break;
	}
	case 2: {
		struct brig_rt_mountinfo m;

		if (brig_rt_parse_mountinfo(s, n, &m, &err) == 0) {
			for (size_t i = 0; i < m.n; i++)
				if (!m.items[i].root || !m.items[i].mountpoint || !m.items[i].fstype ||
				    !m.items[i].super_opts)
					abort();
			brig_rt_mountinfo_free(&m);
		}
		break;
	}
	case 3: {
		struct brig_rt_cgroups c;

		if (brig_rt_parse_cgroup(s, n, &c, &err) == 0) {
			(void)brig_rt_cgroup_path(&c, "memory");
			(void)brig_rt_cgroup_path(&c, "");
			brig_rt_cgroups_free(&c);
		}
		break;
	}
	case 4: {
		char **ids;
		size_t k;

		if (brig_rt_list_parse(s, n, &ids, &k, &err) == 0)
			brig_rt_strv_free(ids, k);
		break;
	}
	case 5: {
		struct brig_rt_engine e;
		struct brig_finding_list out = {0};

		brig_rt_engine_init(&e, "engine", "/run/docker.sock");
		brig_rt_engine_parse_info(&e, s, n);
		brig_rt_engine_parse_bridge(&e, s, n);
		brig_rt_check_engine(&e, NULL, 0, &out);
		brig_finding_list_free(&out);
		brig_rt_engine_free(&e);
		break;
	}
	default:
		fuzz_mounts(s, n);
		break;
	}
	return 0;
}

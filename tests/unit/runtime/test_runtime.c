/* lib/runtime: inspect JSON recorded from podman 4.3 (with its quirks) and
 * written after Docker's, /proc files recorded from the same containers and
 * laid out as a fake /proc + /sys tree, engine facts and compose drift. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/compose.h"
#include "report/report.h"
#include "runtime/runtime.h"
#include "testutil.h"

#ifndef BRIG_RT_FIXTURES
#error "BRIG_RT_FIXTURES must name tests/unit/runtime/fixtures"
#endif

#define PRIV_ID "d64056e7043b6447b71aed301bf6f7ace790b2df5e0c93254b8786b9832bbae3"
#define HARD_ID "b00a44a2c7d2629afccbc5542064fd7b09efb5259f12c6e695f070e8b566e8b4"
#define SOCK "/tmp/rt/podman.sock"

/* ------------------------------------------------------------ helpers */

static char *fixture(const char *rel, size_t *len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", BRIG_RT_FIXTURES, rel);
	return brig_test_slurp(path, len);
}

static void load(const char *rel, struct brig_rt_container *c)
{
	struct brig_error err = {0};
	size_t len;
	char *json = fixture(rel, &len);

	if (brig_rt_container_parse(json, len, c, &err) != 0)
		fail_msg("%s: %s", rel, err.msg);
	free(json);
}

static bool has(const struct brig_finding_list *l, const char *id, const char *source)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].id, id) == 0 && (!source || strcmp(l->items[i].source, source) == 0))
			return true;
	return false;
}

static size_t count(const struct brig_finding_list *l, const char *id)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += strcmp(l->items[i].id, id) == 0;
	return n;
}

static const struct brig_finding *get(const struct brig_finding_list *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->items[i].id, id) == 0)
			return &l->items[i];
	return NULL;
}

/* the IDs found, sorted and joined: "BRIG-RT-001,BRIG-RT-002" */
static char *ids_of(const struct brig_finding_list *l)
{
	static char buf[4096];
	const char *v[256];
	size_t n = 0, used = 0;

	for (size_t i = 0; i < l->n && n < 256; i++) {
		bool dup = false;

		for (size_t k = 0; k < n; k++)
			dup = dup || strcmp(v[k], l->items[i].id) == 0;
		if (!dup)
			v[n++] = l->items[i].id;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && strcmp(v[k - 1], v[k]) > 0; k--) {
			const char *t = v[k];

			v[k] = v[k - 1];
			v[k - 1] = t;
		}
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s", i ? "," : "", v[i]);
	return buf;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f;
	char dir[1024];

	snprintf(dir, sizeof(dir), "%s", path);
	for (char *p = dir + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void write_str(const char *root, const char *rel, const char *s)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	write_file(path, s, strlen(s));
}

static void copy_fixture(const char *root, const char *rel, const char *fix)
{
	char path[1024];
	size_t len;
	char *d = fixture(fix, &len);

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	write_file(path, d, len);
	free(d);
}

static void link_ns(const char *root, const char *pid, const char *ns, const char *target)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/proc/%s/ns/%s", root, pid, ns);
	write_file(path, "", 0); /* creates the directories */
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
}

static void rm_rf(const char *dir)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A fake host with the recorded files of the two podman containers: the
 * privileged one (PID 20384, --net/--pid/--ipc host) and the hardened one
 * (PID 20344), on a cgroup v1 hybrid host like this VM. */
static char *fake_host(void)
{
	char tmpl[] = "/tmp/brig-rt-test-XXXXXX";
	char *root = mkdtemp(tmpl);
	static const char *const ns[] = {"net", "pid", "ipc", "uts", "user", "cgroup"};
	static const char *const host_ns[] = {"net:[4026531833]", "pid:[4026531836]",
					      "ipc:[4026531839]", "uts:[4026531838]",
					      "user:[4026531837]", "cgroup:[4026531835]"};
	static const char *const priv_ns[] = {"net:[4026531833]", "pid:[4026531836]",
					      "ipc:[4026531839]", "uts:[4026532254]",
					      "user:[4026531837]", "cgroup:[4026531835]"};
	static const char *const hard_ns[] = {"net:[4026532177]", "pid:[4026532252]",
					      "ipc:[4026532251]", "uts:[4026532250]",
					      "user:[4026531837]", "cgroup:[4026531835]"};
	char cg[512];

	assert_non_null(root);
	root = strdup(root);
	copy_fixture(root, "proc/self/mountinfo", "proc/host-mountinfo");
	copy_fixture(root, "proc/20384/status", "proc/bad-status");
	copy_fixture(root, "proc/20384/mountinfo", "proc/bad-mountinfo");
	copy_fixture(root, "proc/20384/cgroup", "proc/bad-cgroup");
	copy_fixture(root, "proc/20344/status", "proc/good-status");
	copy_fixture(root, "proc/20344/mountinfo", "proc/good-mountinfo");
	copy_fixture(root, "proc/20344/cgroup", "proc/good-cgroup");
	for (unsigned i = 0; i < 6; i++) {
		link_ns(root, "self", ns[i], host_ns[i]);
		link_ns(root, "20384", ns[i], priv_ns[i]);
		link_ns(root, "20344", ns[i], hard_ns[i]);
	}
	/* the limits, as the cgroup v1 files read on the VM */
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/memory/libpod_parent/libpod-%s/memory.limit_in_bytes", PRIV_ID);
	write_str(root, cg, "9223372036854771712\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/cpu/libpod_parent/libpod-%s/cpu.cfs_quota_us", PRIV_ID);
	write_str(root, cg, "-1\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/cpu/libpod_parent/libpod-%s/cpu.shares", PRIV_ID);
	write_str(root, cg, "1024\n");
	/* --pids-limit -1: what Docker's default would be */
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/pids/libpod_parent/libpod-%s/pids.max", PRIV_ID);
	write_str(root, cg, "max\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/memory/libpod_parent/libpod-%s/memory.limit_in_bytes", HARD_ID);
	write_str(root, cg, "67108864\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/cpu/libpod_parent/libpod-%s/cpu.cfs_quota_us", HARD_ID);
	write_str(root, cg, "50000\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/cpu/libpod_parent/libpod-%s/cpu.shares", HARD_ID);
	write_str(root, cg, "1024\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/pids/libpod_parent/libpod-%s/pids.max", HARD_ID);
	write_str(root, cg, "50\n");
	return root;
}

/* one engine finding through the public API */
static void rt_emit_for_test(struct brig_finding_list *l)
{
	struct brig_rt_engine e;

	brig_rt_engine_init(&e, "unix:///x.sock", "/x.sock");
	e.socket_stat_ok = true;
	e.socket_mode = 0666;
	brig_rt_check_engine(&e, NULL, 0, l);
	brig_rt_engine_free(&e);
	assert_int_equal(l->n, 1);
}

static const struct brig_rt_ctx podman_ctx = {.engine_socket = SOCK, .engine_is_podman = true};

/* ------------------------------------------------------------ model */

static void test_parse_podman_privileged(void **state)
{
	struct brig_rt_container c;

	(void)state;
	load("podman-privileged.json", &c);
	assert_string_equal(c.id, PRIV_ID);
	assert_string_equal(c.name, "rt-bad");
	assert_string_equal(c.target, "rt-bad (d64056e7043b)");
	assert_int_equal(c.pid, 20384);
	assert_true(c.running);
	assert_true(c.api.privileged);
	/* podman's quirks, recorded as the API tells them */
	assert_int_equal(c.api.n_cap_add, 0);
	assert_int_equal(c.api.n_security_opt, 0);
	assert_string_equal(c.api.ns_mode[BRIG_RT_NS_IPC], "shareable");
	assert_string_equal(c.api.ns_mode[BRIG_RT_NS_NET], "host");
	assert_string_equal(c.api.ns_mode[BRIG_RT_NS_PID], "host");
	assert_non_null(c.health); /* State.Health without a health check */
	assert_false(c.has_healthcheck);
	assert_int_equal(c.api.pids_limit, 2048);
	assert_int_equal(c.n_mounts, 2);
	assert_string_equal(c.mounts[0].source, SOCK);
	assert_string_equal(c.mounts[0].dest, "/var/run/docker.sock");
	assert_true(c.mounts[0].rw);
	assert_int_equal(c.api.n_ulimits, 2);
	brig_rt_container_free(&c);
}

static void test_parse_wrong_types(void **state)
{
	struct brig_rt_container c;
	struct brig_finding_list out = {0};

	(void)state;
	load("wrong-types.json", &c);
	assert_string_equal(c.name, "0123456789abcdef0123"); /* Name not a string */
	assert_int_equal(c.pid, 0);
	assert_false(c.running);
	assert_null(c.image);
	assert_null(c.api.user);
	assert_int_equal(c.api.n_cap_add, 0);
	assert_int_equal(c.api.n_cap_drop, 1); /* only the string */
	assert_int_equal(c.api.memory, 0);
	assert_int_equal(c.api.pids_limit, 0); /* 1e300 does not convert */
	assert_int_equal(c.n_env, 0);
	assert_int_equal(c.n_labels, 0);
	assert_false(c.has_healthcheck);
	assert_int_equal(c.n_devices, 0);
	/* Mounts is not a list: the Binds fallback applies, SRC:DST ones only */
	assert_int_equal(c.n_mounts, 1);
	assert_string_equal(c.mounts[0].source, "/a");
	assert_string_equal(c.mounts[0].dest, "/b");
	assert_false(c.mounts[0].rw);
	assert_string_equal(c.mounts[0].propagation, "rslave");
	/* "22" (no proto) and "99999/tcp" (no such port) */
	assert_int_equal(c.n_ports, 1);
	assert_int_equal(c.ports[0].host_port, 2222);
	assert_string_equal(c.ports[0].proto, "tcp");
	brig_rt_check_container(&podman_ctx, &c, &out);
	assert_true(out.n > 0);
	brig_finding_list_free(&out);
	brig_rt_container_free(&c);
}

static void test_parse_errors(void **state)
{
	struct brig_rt_container c;
	struct brig_error err = {0};
	static const char *const bad[] = {
		"", "[]", "{", "{\"Id\": 5}", "{\"Id\": \"xyz\"}", "{\"Id\": \"0123456789ab/\"}",
		"{\"Id\": \"0123456789ab\", \"Id\": \"0123456789ab\"}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		brig_error_clear(&err);
		assert_int_equal(brig_rt_container_parse(bad[i], strlen(bad[i]), &c, &err), -1);
		assert_true(err.msg[0] != '\0');
		brig_rt_container_free(&c);
	}
}

static void test_list_parse(void **state)
{
	static const char list[] = "[{\"Id\": \"" PRIV_ID "\"}, {\"Id\": 4}, {\"Id\": \"../x\"},"
				   " 7, {\"Id\": \"" HARD_ID "\"}]";
	struct brig_error err = {0};
	char **ids;
	size_t n;

	(void)state;
	assert_int_equal(brig_rt_list_parse(list, strlen(list), &ids, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ids[0], PRIV_ID);
	assert_string_equal(ids[1], HARD_ID);
	brig_rt_strv_free(ids, n);
	assert_int_equal(brig_rt_list_parse("{}", 2, &ids, &n, &err), -1);
}

/* ------------------------------------------------------------ /proc parsers */

static void test_parse_status(void **state)
{
	struct brig_rt_status st;
	size_t len;
	char *d = fixture("proc/bad-status", &len);
	static const char odd[] = "CapEff:\t0000000000000000000\nSeccomp:\t7\nNoNewPrivs:\tx\n"
				  "Uid:\t-1\t0\nCapBnd:  00000000a80425fb  \n";

	(void)state;
	assert_int_equal(brig_rt_parse_status(d, len, &st), 0);
	assert_true(st.have_cap_eff && st.have_cap_bnd && st.have_cap_prm);
	assert_true(st.cap_eff == 0x1fffeffffffull);
	assert_int_equal(st.no_new_privs, 0);
	assert_int_equal(st.seccomp, 0);
	assert_int_equal(st.uid, 0);
	free(d);
	d = fixture("proc/good-status", &len);
	assert_int_equal(brig_rt_parse_status(d, len, &st), 0);
	assert_true(st.cap_bnd == 0);
	assert_int_equal(st.no_new_privs, 1);
	assert_int_equal(st.seccomp, 2);
	assert_int_equal(st.uid, 1000);
	free(d);
	/* 19 hex digits, an unknown seccomp mode, a negative uid: all ignored */
	assert_int_equal(brig_rt_parse_status(odd, sizeof(odd) - 1, &st), 0);
	assert_false(st.have_cap_eff);
	assert_int_equal(st.seccomp, -1);
	assert_int_equal(st.no_new_privs, -1);
	assert_int_equal(st.uid, -1);
	assert_true(st.have_cap_bnd && st.cap_bnd == 0xa80425fbull);
	assert_int_equal(brig_rt_parse_status("", 0, &st), -1);
}

static void test_parse_mountinfo(void **state)
{
	static const char mi[] =
		"36 35 98:0 /mnt1 /mnt\\0402 rw,noatime master:1 shared:4 - ext3 /dev/root rw\n"
		"garbage line\n"
		"37 35 98:0 / /a ro - ext4\n"	/* no source: skipped */
		"38 35 x:0 / /b rw - ext4 /dev/x rw\n" /* bad device */
		"39 35 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
		"40 35 8:1 /a\\134b /c\\000d ro - xfs /dev/sda1 rw";
	struct brig_rt_mountinfo m;
	struct brig_error err = {0};

	(void)state;
	assert_int_equal(brig_rt_parse_mountinfo(mi, sizeof(mi) - 1, &m, &err), 0);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.items[0].mountpoint, "/mnt 2");
	assert_string_equal(m.items[0].root, "/mnt1");
	assert_true(m.items[0].shared && m.items[0].slave);
	assert_false(m.items[0].ro);
	assert_int_equal(m.items[0].major, 98);
	assert_string_equal(m.items[1].super_opts, "rw,memory");
	assert_string_equal(m.items[2].root, "/a\\b");
	assert_string_equal(m.items[2].mountpoint, "/c\\000d"); /* a NUL stays escaped */
	assert_true(m.items[2].ro);
	brig_rt_mountinfo_free(&m);
}

static void test_parse_cgroup(void **state)
{
	static const char cg[] = "12:pids:/docker/abc\n4:cpu,cpuacct:/docker/abc\nbad\n"
				 "0::/system.slice/docker-abc.scope";
	struct brig_rt_cgroups c;
	struct brig_error err = {0};

	(void)state;
	assert_int_equal(brig_rt_parse_cgroup(cg, sizeof(cg) - 1, &c, &err), 0);
	assert_int_equal(c.n, 3);
	assert_string_equal(brig_rt_cgroup_path(&c, "cpu"), "/docker/abc");
	assert_string_equal(brig_rt_cgroup_path(&c, "cpuacct"), "/docker/abc");
	assert_string_equal(brig_rt_cgroup_path(&c, ""), "/system.slice/docker-abc.scope");
	assert_null(brig_rt_cgroup_path(&c, "memory"));
	brig_rt_cgroups_free(&c);
}

static void test_caps(void **state)
{
	(void)state;
	assert_int_equal(brig_rt_cap_parse("SYS_ADMIN"), 21);
	assert_int_equal(brig_rt_cap_parse("cap_sys_admin"), 21);
	assert_int_equal(brig_rt_cap_parse("ALL"), -1);
	assert_string_equal(brig_rt_cap_name(40), "CHECKPOINT_RESTORE");
	assert_null(brig_rt_cap_name(63));
	/* moby's default set: 14 capabilities, 0x00000000a80425fb */
	assert_true(brig_rt_cap_default_set() == 0xa80425fbull);
}

/* ------------------------------------------------------------ checks */

static void test_privileged_api_only(void **state)
{
	struct brig_rt_container c;
	struct brig_finding_list out = {0};

	(void)state;
	load("podman-privileged.json", &c);
	brig_rt_check_container(&podman_ctx, &c, &out);
	/* what the API alone shows: no host IPC (IpcMode "shareable"), no added
	 * capabilities (CapAdd empty); seccomp only from Privileged */
	assert_false(has(&out, "BRIG-RT-013", NULL));
	assert_false(has(&out, "BRIG-RT-002", NULL));
	assert_true(has(&out, "BRIG-RT-005", "api"));
	assert_true(has(&out, "BRIG-RT-001", "api"));
	assert_true(has(&out, "BRIG-RT-011", "api"));
	assert_true(has(&out, "BRIG-RT-012", "api"));
	assert_true(has(&out, "BRIG-RT-016", "api"));
	assert_true(has(&out, "BRIG-RT-017", "api"));
	assert_true(has(&out, "BRIG-RT-024", "api"));
	assert_false(has(&out, "BRIG-RT-010", NULL)); /* podman's default 2048 */
	brig_finding_list_free(&out);
	brig_rt_container_free(&c);
}

static void test_privileged_with_proc(void **state)
{
	struct brig_rt_container c;
	struct brig_finding_list out = {0};
	struct brig_rt_host h;
	struct brig_error err = {0};
	char *root = fake_host(), proc[1100];
	const struct brig_finding *f;

	(void)state;
	snprintf(proc, sizeof(proc), "%s/proc", root);
	assert_int_equal(brig_rt_host_load(&h, proc, root, &err), 0);
	assert_string_equal(h.ns[BRIG_RT_NS_IPC], "ipc:[4026531839]");
	load("podman-privileged.json", &c);
	assert_true(brig_rt_proc_overlay(&h, &c));
	assert_true(c.proc.present);
	assert_int_equal(c.proc.ns_host[BRIG_RT_NS_IPC], BRIG_RT_YES);
	assert_int_equal(c.proc.ns_host[BRIG_RT_NS_UTS], BRIG_RT_NO);
	assert_int_equal(c.proc.seccomp, 0);
	assert_int_equal(c.proc.rootfs_ro, BRIG_RT_NO);
	assert_int_equal(c.proc.memory_limit, 0);
	assert_int_equal(c.proc.pids_max, 0);
	assert_int_equal(c.proc.cpu_quota_us, 0);
	/* both binds confirmed by mountinfo, the socket through /run */
	assert_int_equal(c.n_mounts, 2);
	assert_true(c.mounts[0].proc_confirmed && c.mounts[1].proc_confirmed);
	brig_rt_check_container(&podman_ctx, &c, &out);
	assert_string_equal(ids_of(&out),
			    "BRIG-RT-001,BRIG-RT-002,BRIG-RT-003,BRIG-RT-004,BRIG-RT-005,BRIG-RT-007,"
			    "BRIG-RT-008,BRIG-RT-009,BRIG-RT-010,BRIG-RT-011,BRIG-RT-012,BRIG-RT-013,"
			    "BRIG-RT-016,BRIG-RT-017,BRIG-RT-018,BRIG-RT-023,BRIG-RT-024,BRIG-RT-025,"
			    "BRIG-RT-029");
	/* the ground truth podman's API hides */
	f = get(&out, "BRIG-RT-013");
	assert_string_equal(f->source, "proc");
	assert_non_null(strstr(f->message, "shareable"));
	assert_true(has(&out, "BRIG-RT-005", "proc"));
	f = get(&out, "BRIG-RT-002");
	assert_string_equal(f->source, "proc");
	assert_non_null(strstr(f->message, "SYS_ADMIN"));
	assert_true(has(&out, "BRIG-RT-016", "proc"));
	assert_int_equal(count(&out, "BRIG-RT-018"), 2);
	f = get(&out, "BRIG-RT-024");
	assert_null(strstr(f->message, "supersecret"));
	assert_non_null(strstr(f->message, "DB_PASSWORD"));
	f = get(&out, "BRIG-RT-016");
	assert_string_equal(f->target, "rt-bad (d64056e7043b)");
	assert_string_equal(f->target_type, "container");
	assert_int_equal(f->kind, BRIG_FINDING_RUNTIME);
	brig_finding_list_free(&out);
	brig_rt_container_free(&c);
	brig_rt_host_free(&h);
	rm_rf(root);
	free(root);
}

static void test_hardened_clean(void **state)
{
	struct brig_rt_container c;
	struct brig_finding_list out = {0};
	struct brig_rt_host h;
	struct brig_error err = {0};
	char *root = fake_host(), proc[1100];

	(void)state;
	/* API only: podman's computed CapDrop counts as dropping ALL */
	load("podman-hardened.json", &c);
	brig_rt_check_container(&podman_ctx, &c, &out);
	assert_string_equal(ids_of(&out), "BRIG-RT-029");
	brig_finding_list_free(&out);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	assert_int_equal(brig_rt_host_load(&h, proc, root, &err), 0);
	assert_true(brig_rt_proc_overlay(&h, &c));
	assert_int_equal(c.proc.uid, 1000);
	assert_int_equal(c.proc.rootfs_ro, BRIG_RT_YES);
	assert_int_equal(c.proc.memory_limit, 67108864);
	assert_int_equal(c.proc.cpu_quota_us, 50000);
	assert_int_equal(c.proc.pids_max, 50);
	assert_int_equal(c.n_mounts, 0); /* only engine-managed files are bound */
	brig_rt_check_container(&podman_ctx, &c, &out);
	assert_string_equal(ids_of(&out), "BRIG-RT-029");
	brig_finding_list_free(&out);
	brig_rt_container_free(&c);
	brig_rt_host_free(&h);
	rm_rf(root);
	free(root);
}

static void test_overlay_needs_matching_cgroup(void **state)
{
	struct brig_rt_container c;
	struct brig_rt_host h;
	struct brig_error err = {0};
	char *root = fake_host(), proc[1100];

	(void)state;
	snprintf(proc, sizeof(proc), "%s/proc", root);
	assert_int_equal(brig_rt_host_load(&h, proc, root, &err), 0);
	load("podman-privileged.json", &c);
	/* PID 20344 is another container's: its cgroup does not name this one */
	c.pid = 20344;
	assert_false(brig_rt_proc_overlay(&h, &c));
	assert_false(c.proc.present);
	c.pid = 99999;
	assert_false(brig_rt_proc_overlay(&h, &c));
	brig_rt_container_free(&c);
	brig_rt_host_free(&h);
	rm_rf(root);
	free(root);
}

static void test_cgroup_v2(void **state)
{
	char tmpl[] = "/tmp/brig-rt-v2-XXXXXX";
	char *root = mkdtemp(tmpl), proc[1100], cg[512];
	struct brig_rt_host h;
	struct brig_rt_container c;
	struct brig_error err = {0};
	struct brig_finding_list out = {0};

	(void)state;
	assert_non_null(root);
	write_str(root, "proc/self/mountinfo",
		  "22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
		  "30 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
	snprintf(cg, sizeof(cg), "0::/system.slice/docker-%s.scope\n", PRIV_ID);
	write_str(root, "proc/20384/cgroup", cg);
	write_str(root, "proc/20384/mountinfo",
		  "600 500 0:70 / / ro,relatime - overlay overlay rw\n"
		  "601 600 8:1 /srv/data /data rw,relatime shared:1 - ext4 /dev/sda1 rw\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/system.slice/docker-%s.scope/memory.max", PRIV_ID);
	write_str(root, cg, "134217728\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/system.slice/docker-%s.scope/cpu.max", PRIV_ID);
	write_str(root, cg, "max 100000\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/system.slice/docker-%s.scope/cpu.weight", PRIV_ID);
	write_str(root, cg, "100\n");
	snprintf(cg, sizeof(cg), "sys/fs/cgroup/system.slice/docker-%s.scope/pids.max", PRIV_ID);
	write_str(root, cg, "max\n");
	snprintf(proc, sizeof(proc), "%s/proc", root);
	assert_int_equal(brig_rt_host_load(&h, proc, root, &err), 0);
	load("podman-privileged.json", &c);
	assert_true(brig_rt_proc_overlay(&h, &c));
	assert_int_equal(c.proc.memory_limit, 134217728);
	assert_int_equal(c.proc.cpu_quota_us, 0);
	assert_true(c.proc.cpu_weight_default);
	assert_int_equal(c.proc.pids_max, 0);
	assert_int_equal(c.proc.rootfs_ro, BRIG_RT_YES);
	/* a bind the API never listed, found through the host's mountinfo */
	assert_int_equal(c.n_mounts, 3);
	assert_string_equal(c.mounts[2].source, "/srv/data");
	assert_int_equal(c.mounts[2].src, BRIG_RT_SRC_PROC);
	assert_string_equal(c.mounts[2].propagation, "shared");
	brig_rt_check_container(&podman_ctx, &c, &out);
	assert_true(has(&out, "BRIG-RT-019", "proc"));
	assert_true(has(&out, "BRIG-RT-009", "proc"));
	assert_true(has(&out, "BRIG-RT-010", "proc"));
	assert_false(has(&out, "BRIG-RT-008", NULL));
	assert_false(has(&out, "BRIG-RT-007", NULL));
	brig_finding_list_free(&out);
	brig_rt_container_free(&c);
	brig_rt_host_free(&h);
	rm_rf(root);
}

static void test_docker_insecure(void **state)
{
	struct brig_rt_container c;
	struct brig_finding_list out = {0};
	const struct brig_rt_ctx ctx = {.engine_socket = "/var/run/docker.sock"};
	const struct brig_finding *f;

	(void)state;
	load("docker-insecure.json", &c);
	assert_string_equal(c.image, "nginx");
	assert_int_equal(c.n_ports, 2);
	brig_rt_check_container(&ctx, &c, &out);
	assert_string_equal(ids_of(&out),
			    "BRIG-RT-002,BRIG-RT-003,BRIG-RT-004,BRIG-RT-005,BRIG-RT-006,BRIG-RT-007,"
			    "BRIG-RT-008,BRIG-RT-010,BRIG-RT-014,BRIG-RT-015,BRIG-RT-016,BRIG-RT-017,"
			    "BRIG-RT-019,BRIG-RT-020,BRIG-RT-021,BRIG-RT-022,BRIG-RT-023,BRIG-RT-024,"
			    "BRIG-RT-026,BRIG-RT-027,BRIG-RT-028,BRIG-RT-029");
	f = get(&out, "BRIG-RT-002");
	assert_non_null(strstr(f->message, "NET_ADMIN"));
	assert_non_null(strstr(f->message, "SYS_ADMIN"));
	/* two key-shaped values, shown by prefix only; *_FILE, PWD and empty not */
	assert_int_equal(count(&out, "BRIG-RT-024"), 2);
	for (size_t i = 0; i < out.n; i++) {
		assert_null(strstr(out.items[i].message, "IOSFODNN7EXAMPLE"));
		assert_null(strstr(out.items[i].message, "abcdefghij"));
	}
	assert_int_equal(count(&out, "BRIG-RT-021"), 2);
	assert_int_equal(count(&out, "BRIG-RT-022"), 2);
	brig_finding_list_free(&out);
	brig_rt_container_free(&c);
}

/* ------------------------------------------------------------ engine */

static void test_engine_docker_info(void **state)
{
	static const char info[] = "{\"Driver\": \"aufs\", \"LiveRestoreEnabled\": false,"
				   " \"SecurityOptions\": [\"name=seccomp,profile=default\"]}";
	static const char bridge[] = "{\"Name\": \"bridge\", \"Options\": "
				     "{\"com.docker.network.bridge.enable_icc\": \"true\"}}";
	struct brig_rt_engine e;
	struct brig_finding_list out = {0};

	(void)state;
	brig_rt_engine_init(&e, "unix:///var/run/docker.sock", "/var/run/docker.sock");
	brig_rt_engine_parse_info(&e, info, sizeof(info) - 1);
	brig_rt_engine_parse_bridge(&e, bridge, sizeof(bridge) - 1);
	assert_false(e.is_podman);
	e.socket_stat_ok = true;
	e.socket_mode = 0666;
	e.socket_gid = 999;
	e.socket_group = strdup("docker");
	e.dockerd_seen = true;
	brig_rt_engine_ulimits(&e, "", NULL, 0);
	brig_rt_check_engine(&e, NULL, 0, &out);
	assert_string_equal(ids_of(&out), "BRIG-RT-101,BRIG-RT-104,BRIG-RT-105,BRIG-RT-106,"
					  "BRIG-RT-107,BRIG-RT-108");
	assert_string_equal(get(&out, "BRIG-RT-101")->target, "unix:///var/run/docker.sock");
	assert_string_equal(get(&out, "BRIG-RT-101")->target_type, "engine");
	brig_finding_list_free(&out);
	/* group-writable: fine for docker, not for another group */
	e.socket_mode = 0660;
	brig_rt_check_engine(&e, NULL, 0, &out);
	assert_false(has(&out, "BRIG-RT-102", NULL));
	brig_finding_list_free(&out);
	free(e.socket_group);
	e.socket_group = strdup("wheel");
	brig_rt_check_engine(&e, NULL, 0, &out);
	assert_true(has(&out, "BRIG-RT-102", "proc"));
	brig_finding_list_free(&out);
	brig_rt_engine_free(&e);
}

static void test_engine_podman_info(void **state)
{
	struct brig_rt_engine e;
	struct brig_finding_list out = {0};
	struct brig_rt_container c;
	const struct brig_rt_container *cs[1] = {&c};
	static const char info[] = "{\"Driver\": \"overlay\", \"LiveRestoreEnabled\": false, "
				   "\"BuildahVersion\": \"1.28.2\", \"Rootless\": false, "
				   "\"SecurityOptions\": [\"name=seccomp,profile=default\"]}";

	(void)state;
	load("podman-privileged.json", &c);
	brig_rt_engine_init(&e, "unix://" SOCK, SOCK);
	brig_rt_engine_parse_info(&e, info, sizeof(info) - 1);
	assert_true(e.is_podman);
	e.socket_stat_ok = true;
	e.socket_mode = 0600;
	brig_rt_engine_ulimits(&e, "", cs, 1);
	assert_int_equal(e.default_ulimits, BRIG_RT_YES);
	brig_rt_check_engine(&e, cs, 1, &out);
	/* no live-restore finding for podman */
	assert_string_equal(ids_of(&out), "BRIG-RT-104,BRIG-RT-109");
	assert_non_null(strstr(get(&out, "BRIG-RT-109")->message, "rt-bad"));
	brig_finding_list_free(&out);
	brig_rt_engine_free(&e);
	brig_rt_container_free(&c);
}

static void test_engine_scan_procs(void **state)
{
	char tmpl[] = "/tmp/brig-rt-procs-XXXXXX";
	char *root = mkdtemp(tmpl), proc[1100], path[1200];
	static const char dockerd[] = "/usr/bin/dockerd\0-H\0tcp://0.0.0.0:2375\0-H\0unix:///var/run/docker.sock";
	static const char dockerd_tls[] = "dockerd\0--tlsverify\0-H=tcp://0.0.0.0:2376";
	static const char podman[] = "podman\0system\0service\0--time=0\0tcp://127.0.0.1:8080";
	static const char other[] = "sleep\0tcp://1.2.3.4:1";
	struct brig_rt_engine e;
	struct brig_finding_list out = {0};

	(void)state;
	assert_non_null(root);
	snprintf(path, sizeof(path), "%s/proc/100/cmdline", root);
	write_file(path, dockerd, sizeof(dockerd));
	snprintf(path, sizeof(path), "%s/proc/200/cmdline", root);
	write_file(path, dockerd_tls, sizeof(dockerd_tls));
	snprintf(path, sizeof(path), "%s/proc/300/cmdline", root);
	write_file(path, podman, sizeof(podman));
	snprintf(path, sizeof(path), "%s/proc/400/cmdline", root);
	write_file(path, other, sizeof(other));
	write_str(root, "etc/docker/daemon.json",
		  "{\"hosts\": [\"tcp://10.0.0.1:2375\", \"unix:///x\"], "
		  "\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Soft\": 1024}}}");
	snprintf(proc, sizeof(proc), "%s/proc", root);
	brig_rt_engine_init(&e, "engine", NULL);
	brig_rt_engine_scan_procs(&e, proc, root);
	assert_int_equal(e.n_tcp, 3);
	assert_true(e.dockerd_seen && e.dockerd_default_ulimit);
	brig_rt_check_engine(&e, NULL, 0, &out);
	assert_int_equal(count(&out, "BRIG-RT-103"), 3);
	assert_true(has(&out, "BRIG-RT-103", "proc"));
	for (size_t i = 0; i < out.n; i++)
		assert_null(strstr(out.items[i].message, "2376"));
	brig_finding_list_free(&out);
	brig_rt_engine_free(&e);
	rm_rf(root);
}

/* ------------------------------------------------------------ compose drift */

static void test_compose_drift(void **state)
{
	static const char yml[] =
		"services:\n"
		"  web:\n"
		"    image: localhost/alpine:3.18\n"
		"    read_only: true\n"
		"    cap_drop: [ALL]\n"
		"    security_opt: [\"no-new-privileges:true\"]\n"
		"    mem_limit: 128m\n"
		"    cpus: 0.5\n"
		"    pids_limit: 50\n"
		"    tmpfs: [/tmp, \"/data:size=10m\"]\n"
		"    user: \"1000:1000\"\n"
		"    healthcheck:\n"
		"      test: [\"CMD\", \"true\"]\n"
		"  db:\n"
		"    image: localhost/alpine:3.18\n";
	struct brig_compose *cf = NULL;
	struct brig_error err = {0};
	struct brig_rt_container web, other;
	const struct brig_rt_container *cs[2] = {&web, &other};
	struct brig_finding_list out = {0};
	const struct brig_finding *f;
	char *project;

	(void)state;
	assert_int_equal(brig_compose_parse(yml, sizeof(yml) - 1, "compose.yml", NULL, &cf, &err), 0);
	load("podman-compose-web.json", &web);
	load("podman-privileged.json", &other); /* not of the project */
	brig_rt_compose_drift(cf, "rtproj", cs, 2, "unix://" SOCK, &out);
	assert_string_equal(ids_of(&out), "BRIG-RT-205,BRIG-RT-206,BRIG-RT-209");
	f = get(&out, "BRIG-RT-205");
	assert_non_null(strstr(f->message, "compose.yml:7: service web: memory limit 128m"));
	assert_string_equal(f->target, "rtproj_web_1 (df920c955e77)");
	assert_non_null(strstr(get(&out, "BRIG-RT-206")->message, "/data"));
	assert_string_equal(get(&out, "BRIG-RT-209")->target, "unix://" SOCK);
	brig_finding_list_free(&out);
	/* a container of the project started without the file's hardening */
	brig_rt_container_free(&other);
	load("podman-privileged.json", &other);
	other.labels = calloc(2, sizeof(*other.labels));
	other.labels[0] = (struct brig_rt_kv){strdup("com.docker.compose.project"), strdup("rtproj")};
	other.labels[1] = (struct brig_rt_kv){strdup("com.docker.compose.service"), strdup("web")};
	other.n_labels = 2;
	cs[0] = &other;
	brig_rt_compose_drift(cf, "rtproj", cs, 1, "unix://" SOCK, &out);
	assert_string_equal(ids_of(&out), "BRIG-RT-201,BRIG-RT-202,BRIG-RT-203,BRIG-RT-204,"
					  "BRIG-RT-205,BRIG-RT-206,BRIG-RT-207,BRIG-RT-208,"
					  "BRIG-RT-209");
	brig_finding_list_free(&out);
	project = brig_rt_compose_project(cf, "/srv/My.Project_1/compose.yml");
	assert_string_equal(project, "myproject_1");
	free(project);
	brig_rt_container_free(&other);
	brig_rt_container_free(&web);
	brig_compose_free(cf);
}

/* ------------------------------------------------------------ listing */

static void test_list_checks_json(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct brig_error err = {0};
	json_t *doc, *checks, *c;
	size_t i;
	static const struct {
		const char *id, *cis;
	} want[] = {
		{"BRIG-RT-002", "5.4"},  {"BRIG-RT-001", "5.5"},  {"BRIG-RT-017", "5.6"},
		{"BRIG-RT-011", "5.10"}, {"BRIG-RT-008", "5.11"}, {"BRIG-RT-009", "5.12"},
		{"BRIG-RT-007", "5.13"}, {"BRIG-RT-012", "5.16"}, {"BRIG-RT-013", "5.17"},
		{"BRIG-RT-005", "5.22"}, {"BRIG-RT-004", "5.26"}, {"BRIG-RT-025", "5.27"},
		{"BRIG-RT-010", "5.29"}, {"BRIG-RT-015", "5.31"}, {"BRIG-RT-016", "5.32"},
	};

	(void)state;
	assert_int_equal(brig_rt_list_checks(f, "json", &err), 0);
	fclose(f);
	doc = json_loadb(buf, len, 0, NULL);
	assert_non_null(doc);
	checks = json_object_get(doc, "Checks");
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		bool found = false;

		json_array_foreach(checks, i, c) {
			if (strcmp(json_string_value(json_object_get(c, "ID")), want[w].id) == 0) {
				json_t *cis = json_object_get(json_object_get(c, "Equivalents"), "cis");

				assert_string_equal(json_string_value(json_array_get(cis, 0)), want[w].cis);
				found = true;
			}
		}
		assert_true(found);
	}
	json_decref(doc);
	free(buf);
	assert_int_equal(brig_rt_list_checks(stdout, "yaml", &err), -1);
}

/* docs/runtime.md carries the generated table between markers */
static void test_docs_in_sync(void **state)
{
	char *buf = NULL, *doc, *begin, *end;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct brig_error err = {0};
	static const char b[] = "<!-- checks:begin -->\n";

	(void)state;
	assert_int_equal(brig_rt_list_checks(f, "markdown", &err), 0);
	fclose(f);
	doc = brig_test_slurp(BRIG_SOURCE_ROOT "/docs/runtime.md", NULL);
	begin = strstr(doc, b);
	end = strstr(doc, "<!-- checks:end -->");
	assert_non_null(begin);
	assert_non_null(end);
	begin += sizeof(b) - 1;
	*end = '\0';
	if (strcmp(begin, buf) != 0)
		fail_msg("docs/runtime.md is out of date: regenerate its table with "
			 "`brig runtime --list-checks --format markdown`");
	free(doc);
	free(buf);
}

/* A container without findings still has its Results[] entry. */
static void test_report_targets(void **state)
{
	struct brig_finding_list l = {0};
	struct brig_report_target t[2] = {{"clean (0123456789ab)", "container", BRIG_FINDING_RUNTIME},
					  {"unix:///x.sock", "engine", BRIG_FINDING_RUNTIME}};
	struct brig_report_input in = {.artifact_name = "unix:///x.sock",
				       .artifact_type = "container_engine",
				       .findings = &l, .targets = t, .n_targets = 2,
				       .created_at = "2024-01-01T00:00:00Z"};
	struct brig_error err = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	json_t *doc, *res;

	(void)state;
	rt_emit_for_test(&l);
	f = open_memstream(&buf, &len);
	assert_int_equal(brig_report_write(f, BRIG_FORMAT_JSON, &in, &err), 0);
	fclose(f);
	doc = json_loadb(buf, len, 0, NULL);
	res = json_object_get(doc, "Results");
	assert_int_equal(json_array_size(res), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(res, 0), "Target")),
			    "clean (0123456789ab)");
	assert_string_equal(json_string_value(json_object_get(json_array_get(res, 0), "Class")),
			    "runtime");
	assert_null(json_object_get(json_array_get(res, 0), "Misconfigurations"));
	assert_string_equal(json_string_value(json_object_get(json_array_get(res, 1), "Type")),
			    "engine");
	assert_non_null(json_object_get(json_array_get(res, 1), "Misconfigurations"));
	json_decref(doc);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(brig_report_write(f, BRIG_FORMAT_TABLE, &in, &err), 0);
	fclose(f);
	assert_non_null(strstr(buf, "No runtime problems found"));
	free(buf);
	brig_finding_list_free(&l);
}

static void test_rules_unique(void **state)
{
	size_t n;
	const struct brig_rt_rule *r = brig_rt_rules(&n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		assert_non_null(r[i].id);
		assert_non_null(r[i].title);
		assert_non_null(r[i].rationale);
		assert_non_null(r[i].fix);
		assert_ptr_equal(brig_rt_rule_find(r[i].id), &r[i]);
		for (size_t k = i + 1; k < n; k++)
			assert_string_not_equal(r[i].id, r[k].id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_podman_privileged),
		cmocka_unit_test(test_parse_wrong_types),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_list_parse),
		cmocka_unit_test(test_parse_status),
		cmocka_unit_test(test_parse_mountinfo),
		cmocka_unit_test(test_parse_cgroup),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_privileged_api_only),
		cmocka_unit_test(test_privileged_with_proc),
		cmocka_unit_test(test_hardened_clean),
		cmocka_unit_test(test_overlay_needs_matching_cgroup),
		cmocka_unit_test(test_cgroup_v2),
		cmocka_unit_test(test_docker_insecure),
		cmocka_unit_test(test_engine_docker_info),
		cmocka_unit_test(test_engine_podman_info),
		cmocka_unit_test(test_engine_scan_procs),
		cmocka_unit_test(test_compose_drift),
		cmocka_unit_test(test_list_checks_json),
		cmocka_unit_test(test_docs_in_sync),
		cmocka_unit_test(test_report_targets),
		cmocka_unit_test(test_rules_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The runtime rule table (one row per check: --list-checks and
 * docs/runtime.md come from it) and the container checks.
 *
 * Every container check prefers what /proc shows over what the API says,
 * and names the source in the finding. CIS ids are the CIS Docker
 * Benchmark v1.6.0 numbers that docker-bench-security (master) uses. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/cleanup.h"
#include "core/xalloc.h"
#include "runtime/runtime_int.h"

#define C BRIG_RT_SCOPE_CONTAINER
#define E BRIG_RT_SCOPE_ENGINE
#define D BRIG_RT_SCOPE_COMPOSE

static const struct brig_rt_rule rules[RT_RULE_COUNT] = {
	[RT_PRIVILEGED] = {"BRIG-RT-001", "Privileged container", BRIG_SEV_CRITICAL, C,
		"A privileged container gets every capability, every host device, and runs without "
		"seccomp or AppArmor: root in it is root on the host.",
		"Remove --privileged (privileged: true); grant the few capabilities or devices the "
		"workload needs instead.",
		"api", {"5.5"}, {"5.5"}},
	[RT_CAPS_ADDED] = {"BRIG-RT-002", "Capabilities beyond the default set", BRIG_SEV_HIGH, C,
		"Capabilities such as SYS_ADMIN, NET_ADMIN, SYS_PTRACE or SYS_MODULE let a process "
		"reconfigure or escape the host. Read from the bounding set of PID 1 (CapBnd): a "
		"non-root process regains any of them through a setuid or file-capability binary.",
		"Remove --cap-add (cap_add) entries the workload does not need; never add ALL.",
		"api,proc", {"5.4"}, {"5.4"}},
	[RT_CAPS_NOT_DROPPED] = {"BRIG-RT-003", "Default capabilities not dropped", BRIG_SEV_LOW, C,
		"The default set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW...) is more than most services "
		"use; each kept capability widens what a compromised process can do.",
		"Run with --cap-drop ALL (cap_drop: [ALL]) and add back only what is needed.",
		"api,proc", {"5.4"}, {}},
	[RT_NO_NEW_PRIVS] = {"BRIG-RT-004", "no-new-privileges not set", BRIG_SEV_MEDIUM, C,
		"Without no_new_privs, setuid binaries and file capabilities can raise the privileges "
		"of a process inside the container.",
		"Run with --security-opt no-new-privileges (security_opt: [no-new-privileges:true]).",
		"api,proc", {"5.26"}, {"5.26"}},
	[RT_SECCOMP] = {"BRIG-RT-005", "Seccomp disabled", BRIG_SEV_HIGH, C,
		"Without a seccomp filter every system call is reachable, including those behind "
		"most container escapes. Privileged containers never get one, whatever the API's "
		"SecurityOpt says.",
		"Remove seccomp=unconfined and --privileged; keep the engine's default profile or a "
		"stricter one.",
		"api,proc", {"5.22"}, {"5.22"}},
	[RT_APPARMOR] = {"BRIG-RT-006", "AppArmor unconfined", BRIG_SEV_MEDIUM, C,
		"On a host with AppArmor, an unconfined container loses the mandatory access "
		"control that blocks writes to /proc and /sys and mount operations.",
		"Remove apparmor=unconfined; use docker-default or a custom profile.",
		"api,proc", {"5.2"}, {"5.2"}},
	[RT_ROOTFS_RW] = {"BRIG-RT-007", "Writable root filesystem", BRIG_SEV_MEDIUM, C,
		"A writable root filesystem lets an attacker drop tools and persist changes to the "
		"image's binaries for the life of the container.",
		"Run with --read-only (read_only: true) and mount tmpfs or volumes where the "
		"application writes.",
		"api,proc", {"5.13"}, {"5.13"}},
	[RT_NO_MEMORY] = {"BRIG-RT-008", "No memory limit", BRIG_SEV_MEDIUM, C,
		"Without a memory limit one container can exhaust the host's memory and have the "
		"kernel kill other workloads.",
		"Set --memory (mem_limit or deploy.resources.limits.memory).",
		"api,proc", {"5.11"}, {"5.11"}},
	[RT_NO_CPU] = {"BRIG-RT-009", "No CPU limit", BRIG_SEV_LOW, C,
		"Without a CPU quota or weight a busy container starves the others.",
		"Set --cpus or --cpu-shares (cpus or deploy.resources.limits.cpus).",
		"api,proc", {"5.12"}, {"5.12"}},
	[RT_NO_PIDS] = {"BRIG-RT-010", "No PIDs limit", BRIG_SEV_MEDIUM, C,
		"Without a pids limit a fork bomb in one container exhausts the host's process table.",
		"Set --pids-limit (pids_limit or deploy.resources.limits.pids).",
		"api,proc", {"5.29"}, {"5.29"}},
	[RT_HOST_NET] = {"BRIG-RT-011", "Host network namespace shared", BRIG_SEV_HIGH, C,
		"With the host's network namespace the container sees every interface, can bind any "
		"host port and reach services listening on localhost.",
		"Do not use --network host (network_mode: host); publish the ports needed.",
		"api,proc", {"5.10"}, {"5.10"}},
	[RT_HOST_PID] = {"BRIG-RT-012", "Host PID namespace shared", BRIG_SEV_HIGH, C,
		"With the host's PID namespace the container sees, signals and (with SYS_PTRACE) "
		"inspects every process of the host.",
		"Do not use --pid host (pid: host).",
		"api,proc", {"5.16"}, {"5.16"}},
	[RT_HOST_IPC] = {"BRIG-RT-013", "Host IPC namespace shared", BRIG_SEV_HIGH, C,
		"With the host's IPC namespace the container reads and writes the host's shared "
		"memory segments and message queues. podman's API reports IpcMode \"shareable\" "
		"even then: only /proc shows it.",
		"Do not use --ipc host (ipc: host).",
		"api,proc", {"5.17"}, {"5.17"}},
	[RT_HOST_UTS] = {"BRIG-RT-014", "Host UTS namespace shared", BRIG_SEV_MEDIUM, C,
		"With the host's UTS namespace a process with SYS_ADMIN changes the host's hostname.",
		"Do not use --uts host (uts: host).",
		"api,proc", {"5.21"}, {"5.21"}},
	[RT_HOST_USER] = {"BRIG-RT-015", "Host user namespace shared", BRIG_SEV_MEDIUM, C,
		"Sharing the host's user namespace means uid 0 in the container is uid 0 on the "
		"host. Reported when the container opts out (--userns host) or when the engine "
		"remaps user namespaces but this container does not use it.",
		"Do not use --userns host (userns_mode: host).",
		"api,proc", {"5.31"}, {"5.31"}},
	[RT_ENGINE_SOCKET] = {"BRIG-RT-016", "Engine socket mounted", BRIG_SEV_CRITICAL, C,
		"Whoever reaches the Docker or podman socket controls the engine: it can start a "
		"privileged container and own the host.",
		"Do not mount docker.sock or podman.sock (or a directory holding it) into "
		"containers; use a narrowly scoped proxy if an API is needed.",
		"api,proc", {"5.32"}, {"5.32"}},
	[RT_SENSITIVE_MOUNT] = {"BRIG-RT-017", "Sensitive host path mounted", BRIG_SEV_HIGH, C,
		"Mounting /, /boot, /dev, /etc, /lib, /proc, /sys, /usr or /var/run exposes host "
		"configuration, credentials, devices or control interfaces to the container.",
		"Mount only the specific files or directories the application needs, read-only.",
		"api,proc", {"5.6"}, {"5.6"}},
	[RT_RW_MOUNT] = {"BRIG-RT-018", "Host path mounted read-write", BRIG_SEV_MEDIUM, C,
		"A read-write bind mount lets the container change files on the host.",
		"Add :ro (read_only: true in the long syntax) unless the container must write there.",
		"api,proc", {}, {}},
	[RT_SHARED_PROPAGATION] = {"BRIG-RT-019", "Shared mount propagation", BRIG_SEV_MEDIUM, C,
		"With shared propagation, mounts made inside the container appear on the host and "
		"the other way round.",
		"Use the default rprivate propagation (or rslave) for bind mounts.",
		"api,proc", {"5.20"}, {"5.20"}},
	[RT_DEVICES] = {"BRIG-RT-020", "Host devices passed through", BRIG_SEV_MEDIUM, C,
		"A host device node in the container gives raw access to that hardware or kernel "
		"interface.",
		"Remove --device entries that are not needed; grant only r or rw, never m.",
		"api", {"5.18"}, {"5.18"}},
	[RT_PRIV_PORT] = {"BRIG-RT-021", "Privileged host port published", BRIG_SEV_LOW, C,
		"Host ports below 1024 are reserved for privileged services; publishing one from a "
		"container can shadow a host service.",
		"Publish a port at or above 1024, or front the container with a proxy.",
		"api", {"5.8"}, {"5.8"}},
	[RT_PORT_ALL_IFACES] = {"BRIG-RT-022", "Port published on every interface", BRIG_SEV_LOW, C,
		"A port published without a host IP listens on 0.0.0.0 (and ::), reachable from "
		"every network the host is on.",
		"Bind published ports to a specific address: -p 127.0.0.1:8080:80.",
		"api", {"5.14"}, {"5.14"}},
	[RT_ROOT_USER] = {"BRIG-RT-023", "Running as root", BRIG_SEV_MEDIUM, C,
		"A process running as uid 0 needs only one more flaw to act as root on the host.",
		"Set a non-root user: USER in the Dockerfile, --user or user: in compose.",
		"api,proc", {"4.1"}, {"4.1"}},
	[RT_ENV_SECRET] = {"BRIG-RT-024", "Secret in environment variable", BRIG_SEV_HIGH, C,
		"Environment variables are visible in docker inspect, to every process of the "
		"container and often in logs and crash reports.",
		"Pass secrets as files (docker secrets, compose secrets, a mounted tmpfs) and point "
		"the application at them (VAR_FILE).",
		"api", {}, {}},
	[RT_NO_HEALTHCHECK] = {"BRIG-RT-025", "No health check", BRIG_SEV_LOW, C,
		"Without a health check a hung service keeps running and keeps receiving traffic. "
		"podman reports State.Health even for containers without one: the check reads "
		"Config.Healthcheck.",
		"Add HEALTHCHECK to the image or --health-cmd / healthcheck: when starting it.",
		"api", {"5.27"}, {"5.27"}},
	[RT_UNHEALTHY] = {"BRIG-RT-026", "Container unhealthy", BRIG_SEV_MEDIUM, C,
		"The container's own health check fails.",
		"Look at the health log (docker inspect --format '{{json .State.Health}}') and fix "
		"or restart the service.",
		"api", {"5.27"}, {}},
	[RT_RESTART_POLICY] = {"BRIG-RT-027", "Unbounded restart policy", BRIG_SEV_LOW, C,
		"restart=always, or on-failure with more than 5 retries, restarts a crashing or "
		"compromised container indefinitely and can hide an attack.",
		"Use --restart on-failure:5 (restart: on-failure with max attempts 5).",
		"api", {"5.15"}, {"5.15"}},
	[RT_IMAGE_LATEST] = {"BRIG-RT-028", "Image referenced by the latest tag", BRIG_SEV_MEDIUM, C,
		"\"latest\" (or no tag) names whatever was pushed last: what runs cannot be traced "
		"to a reviewed build.",
		"Reference a versioned tag, best with its digest: image:1.2.3@sha256:...",
		"api", {}, {}},
	[RT_IMAGE_NO_DIGEST] = {"BRIG-RT-029", "Image not pinned by digest", BRIG_SEV_LOW, C,
		"A tag can be moved to other content; only a digest names the exact image.",
		"Reference the image as name:tag@sha256:<digest>.",
		"api", {}, {}},

	[RT_E_SOCKET_WORLD] = {"BRIG-RT-101", "Engine socket world-writable", BRIG_SEV_CRITICAL, E,
		"Every local user who can write to the engine's socket controls the engine and "
		"therefore the host.",
		"chmod 660 the socket (or 600 for podman's), owned by root and the docker group.",
		"proc", {"3.16"}, {"3.16"}},
	[RT_E_SOCKET_GROUP] = {"BRIG-RT-102", "Engine socket writable by a non-docker group",
		BRIG_SEV_HIGH, E,
		"Members of a group that can write to the socket are root-equivalent; only a "
		"dedicated docker group (or root) should own it.",
		"chown root:docker the socket (root:root for podman) and review the group's members.",
		"proc", {"3.15"}, {"3.15"}},
	[RT_E_TCP_PLAIN] = {"BRIG-RT-103", "Engine reachable over TCP without TLS",
		BRIG_SEV_CRITICAL, E,
		"An engine API on TCP without TLS client verification gives anyone who can reach "
		"the port full control of the host.",
		"Listen on the unix socket only, or use --tlsverify with client certificates "
		"(podman's service has no TLS: tunnel it over SSH).",
		"api,proc", {"2.7"}, {"2.7"}},
	[RT_E_NO_USERNS] = {"BRIG-RT-104", "User namespace remapping not enabled", BRIG_SEV_LOW, E,
		"Without --userns-remap, root in a container is root on the host.",
		"Enable userns-remap in daemon.json (podman: run rootless or set userns in "
		"containers.conf).",
		"api", {"2.9"}, {"2.9"}},
	[RT_E_NO_LIVE_RESTORE] = {"BRIG-RT-105", "Live restore disabled", BRIG_SEV_LOW, E,
		"Without live-restore every container stops when dockerd restarts or is upgraded. "
		"Not reported for podman, whose containers do not depend on the API service.",
		"Set \"live-restore\": true in /etc/docker/daemon.json.",
		"api", {"2.15"}, {"2.15"}},
	[RT_E_ICC] = {"BRIG-RT-106", "Inter-container communication on the default bridge",
		BRIG_SEV_LOW, E,
		"On the default bridge with icc enabled every container can reach every other one's "
		"ports.",
		"Set \"icc\": false in daemon.json and connect containers through user-defined "
		"networks.",
		"api", {"2.2"}, {"2.2"}},
	[RT_E_AUFS] = {"BRIG-RT-107", "aufs storage driver", BRIG_SEV_MEDIUM, E,
		"aufs is unmaintained and has had kernel bugs leading to crashes and privilege "
		"escalation.",
		"Use overlay2.", "api", {"2.6"}, {"2.6"}},
	[RT_E_NO_ULIMITS] = {"BRIG-RT-108", "No default ulimits", BRIG_SEV_LOW, E,
		"Without engine-wide default ulimits, containers inherit the daemon's (often "
		"unlimited) open-file and process limits.",
		"Set default-ulimits in daemon.json (default_ulimits in containers.conf for podman).",
		"api,proc", {"2.8"}, {"2.8"}},
	[RT_E_PRIVILEGED_COUNT] = {"BRIG-RT-109", "Privileged containers running", BRIG_SEV_HIGH, E,
		"Each privileged container is a host-root foothold; the engine should run none.",
		"Remove --privileged from the containers listed.", "api", {"5.5"}, {"5.5"}},

	[RT_D_PRIVILEGED] = {"BRIG-RT-201", "Compose drift: privileged", BRIG_SEV_HIGH, D,
		"The running container is privileged although its compose service does not ask for "
		"it: it was started by other means or edited since.",
		"Recreate the service from the compose file (docker compose up -d --force-recreate).",
		"api", {}, {}},
	[RT_D_SECURITY_OPT] = {"BRIG-RT-202", "Compose drift: security_opt", BRIG_SEV_MEDIUM, D,
		"A security_opt of the compose file (no-new-privileges, seccomp, apparmor) is not in "
		"effect in the running container.",
		"Recreate the service from the compose file and check the engine honours the option.",
		"api,proc", {}, {}},
	[RT_D_CAPS] = {"BRIG-RT-203", "Compose drift: capabilities", BRIG_SEV_MEDIUM, D,
		"The running container holds capabilities its compose service drops (cap_drop) or "
		"never adds (cap_add).",
		"Recreate the service from the compose file.", "api,proc", {}, {}},
	[RT_D_READ_ONLY] = {"BRIG-RT-204", "Compose drift: read_only", BRIG_SEV_MEDIUM, D,
		"The compose service asks for a read-only root filesystem but the running container's "
		"is writable.",
		"Recreate the service from the compose file.", "api,proc", {}, {}},
	[RT_D_LIMITS] = {"BRIG-RT-205", "Compose drift: resource limits", BRIG_SEV_MEDIUM, D,
		"A memory, CPU or pids limit of the compose service is missing or different in the "
		"running container.",
		"Recreate the service from the compose file (podman-compose drops pids_limit).",
		"api,proc", {}, {}},
	[RT_D_TMPFS] = {"BRIG-RT-206", "Compose drift: tmpfs", BRIG_SEV_LOW, D,
		"A tmpfs mount of the compose service is missing in the running container.",
		"Recreate the service from the compose file.", "api,proc", {}, {}},
	[RT_D_HEALTHCHECK] = {"BRIG-RT-207", "Compose drift: healthcheck", BRIG_SEV_LOW, D,
		"The compose service defines a health check the running container does not have (or "
		"disables one it has).",
		"Recreate the service from the compose file.", "api", {}, {}},
	[RT_D_USER] = {"BRIG-RT-208", "Compose drift: user", BRIG_SEV_MEDIUM, D,
		"The running container's user differs from the compose service's user:.",
		"Recreate the service from the compose file.", "api,proc", {}, {}},
	[RT_D_NOT_RUNNING] = {"BRIG-RT-209", "Compose service not running", BRIG_SEV_LOW, D,
		"A service of the compose file has no running container in the project, so none of "
		"its settings can be verified.",
		"Start it (docker compose up -d SERVICE) or check the project name (-p).",
		"api", {}, {}},
};

#undef C
#undef E
#undef D

const struct brig_rt_rule *brig_rt_rules(size_t *n)
{
	*n = RT_RULE_COUNT;
	return rules;
}

const struct brig_rt_rule *brig_rt_rule_find(const char *id)
{
	for (size_t i = 0; id && i < RT_RULE_COUNT; i++)
		if (strcasecmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}

void rt_emit(struct brig_finding_list *out, enum rt_rule r, const char *target,
	     const char *target_type, enum brig_rt_src src, const char *fmt, ...)
{
	const struct brig_rt_rule *ru = &rules[r];
	struct brig_finding *f = brig_finding_list_add(out);
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->kind = BRIG_FINDING_RUNTIME;
	f->severity = ru->severity;
	brig_finding_set_text(f, &(struct brig_finding_text){
					 .id = ru->id,
					 .title = ru->title,
					 .description = ru->rationale,
					 .fix = ru->fix,
					 .message = msg,
					 .target = target ? target : "",
					 .target_type = target_type,
					 .static_rule_texts = true,
				 });
	f->source = brig_xstrdup(brig_rt_src_name(src));
}

/* ---- helpers ---- */

char *rt_norm_host_path(const char *p)
{
	size_t n;
	char *s;

	if (!p)
		return NULL;
	s = rt_path_under(p, "/var/run") ? brig_xasprintf("%s", p + 4) : brig_xstrdup(p);
	/* trailing slashes would defeat comparisons: "/etc/" is "/etc" */
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	return s;
}

/* "name", "name:v" or "name=v" -> v ("" for the bare name); NULL otherwise */
static const char *secopt_match(const char *opt, const char *name)
{
	size_t k = strlen(name);

	if (strncmp(opt, name, k) != 0)
		return NULL;
	if (opt[k] == '\0')
		return "";
	if (opt[k] == ':' || opt[k] == '=')
		return opt + k + 1;
	return NULL;
}

bool rt_secopt_flag(char *const *opts, size_t n, const char *name)
{
	bool on = false;

	for (size_t i = 0; i < n; i++) {
		const char *v = secopt_match(opts[i], name);

		if (v)
			on = !*v || strcasecmp(v, "true") == 0 || strcmp(v, "1") == 0;
	}
	return on;
}

const char *rt_secopt_value(char *const *opts, size_t n, const char *name)
{
	const char *val = NULL;

	for (size_t i = 0; i < n; i++) {
		const char *v = secopt_match(opts[i], name);

		if (v && *v)
			val = v;
	}
	return val;
}

/* "SYS_ADMIN, NET_ADMIN" for the bits of set, or "ALL" names */
static void caps_text(uint64_t set, char *out, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (unsigned b = 0; b < 64 && used < n; b++) {
		const char *name;
		char num[16];
		int w;

		if (!(set & (1ull << b)))
			continue;
		name = brig_rt_cap_name(b);
		if (!name) {
			snprintf(num, sizeof(num), "cap_%u", b);
			name = num;
		}
		w = snprintf(out + used, n - used, "%s%s", used ? ", " : "", name);
		if (w < 0 || (size_t)w >= n - used) {
			/* cut: say so rather than end on half a name */
			if (n >= 6)
				snprintf(out + n - 6, 6, ", ...");
			return;
		}
		used += (size_t)w;
	}
}

static uint64_t caps_of(char *const *v, size_t n, bool *all)
{
	uint64_t set = 0;

	*all = false;
	for (size_t i = 0; i < n; i++) {
		int c = brig_rt_cap_parse(v[i]);

		if (c >= 0)
			set |= 1ull << c;
		else if (strcasecmp(v[i], "ALL") == 0 || strcasecmp(v[i], "CAP_ALL") == 0)
			*all = true;
	}
	return set;
}

static unsigned popcount64(uint64_t v)
{
	return (unsigned)__builtin_popcountll(v);
}

/* ---- container checks ---- */

struct eval {
	const struct brig_rt_ctx *ctx;
	const struct brig_rt_container *c;
	struct brig_finding_list *out;
};

#define EMIT(ev, rule, src, ...) \
	rt_emit((ev)->out, (rule), (ev)->c->target, "container", (src), __VA_ARGS__)

static void check_privileged(struct eval *ev)
{
	if (ev->c->api.privileged)
		EMIT(ev, RT_PRIVILEGED, BRIG_RT_SRC_API, "HostConfig.Privileged is true");
}

static void check_caps_added(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	uint64_t def = brig_rt_cap_default_set(), full = brig_rt_cap_full_set();
	char names[1024];

	if (c->proc.present && c->proc.status_ok) {
		uint64_t extra = c->proc.cap_bnd & ~def;

		if (!extra)
			return;
		caps_text(extra, names, sizeof(names));
		if ((c->proc.cap_bnd & full) == full)
			EMIT(ev, RT_CAPS_ADDED, BRIG_RT_SRC_PROC,
			     "PID %d holds every capability (CapBnd %016llx, CapEff %016llx in "
			     "/proc/%d/status)%s",
			     c->proc.pid, (unsigned long long)c->proc.cap_bnd,
			     (unsigned long long)c->proc.cap_eff, c->proc.pid,
			     c->api.n_cap_add ? "" : "; the API's CapAdd is empty");
		else
			EMIT(ev, RT_CAPS_ADDED, BRIG_RT_SRC_PROC,
			     "PID %d may hold %u capabilities beyond the default set: %s (CapBnd "
			     "%016llx, CapEff %016llx in /proc/%d/status)%s",
			     c->proc.pid, popcount64(extra), names, (unsigned long long)c->proc.cap_bnd,
			     (unsigned long long)c->proc.cap_eff, c->proc.pid,
			     c->api.n_cap_add ? "" : "; the API's CapAdd is empty");
		return;
	}
	{
		bool all;
		uint64_t added = caps_of(c->api.cap_add, c->api.n_cap_add, &all) & ~def;

		if (all) {
			EMIT(ev, RT_CAPS_ADDED, BRIG_RT_SRC_API, "HostConfig.CapAdd holds ALL");
		} else if (added) {
			caps_text(added, names, sizeof(names));
			EMIT(ev, RT_CAPS_ADDED, BRIG_RT_SRC_API, "HostConfig.CapAdd adds %s", names);
		}
	}
}

static void check_caps_not_dropped(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	uint64_t def = brig_rt_cap_default_set();
	bool all;
	uint64_t asked = caps_of(c->api.cap_add, c->api.n_cap_add, &all);
	char names[1024];

	/* capabilities that were added on purpose are judged by BRIG-RT-002 */
	if (c->proc.present && c->proc.status_ok) {
		uint64_t kept = c->proc.cap_bnd & def & ~asked;

		if (!kept)
			return;
		caps_text(kept, names, sizeof(names));
		EMIT(ev, RT_CAPS_NOT_DROPPED, BRIG_RT_SRC_PROC,
		     "PID %d keeps %u default capabilities nobody asked for: %s (CapBnd %016llx in "
		     "/proc/%d/status)",
		     c->proc.pid, popcount64(kept), names, (unsigned long long)c->proc.cap_bnd,
		     c->proc.pid);
		return;
	}
	{
		bool drop_all;
		uint64_t dropped = caps_of(c->api.cap_drop, c->api.n_cap_drop, &drop_all);
		/* podman lists each dropped capability rather than ALL */
		uint64_t kept = def & ~dropped & ~asked;

		if (drop_all || !kept)
			return;
		caps_text(kept, names, sizeof(names));
		EMIT(ev, RT_CAPS_NOT_DROPPED, BRIG_RT_SRC_API,
		     "HostConfig.CapDrop does not drop ALL; kept: %s", names);
	}
}

static void check_nnp(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	bool api = rt_secopt_flag(c->api.security_opt, c->api.n_security_opt, "no-new-privileges");

	if (c->proc.present && c->proc.no_new_privs >= 0) {
		if (c->proc.no_new_privs == 0)
			EMIT(ev, RT_NO_NEW_PRIVS, BRIG_RT_SRC_PROC,
			     "NoNewPrivs: 0 in /proc/%d/status%s", c->proc.pid,
			     api ? " although the API's SecurityOpt lists no-new-privileges" : "");
		return;
	}
	if (!api)
		EMIT(ev, RT_NO_NEW_PRIVS, BRIG_RT_SRC_API,
		     "HostConfig.SecurityOpt does not hold no-new-privileges");
}

static void check_seccomp(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	const char *v = rt_secopt_value(c->api.security_opt, c->api.n_security_opt, "seccomp");
	bool api_off = v && strcmp(v, "unconfined") == 0;

	if (c->proc.present && c->proc.seccomp >= 0) {
		if (c->proc.seccomp == 0)
			EMIT(ev, RT_SECCOMP, BRIG_RT_SRC_PROC,
			     "Seccomp: 0 in /proc/%d/status: no filter%s", c->proc.pid,
			     api_off ? "" : "; the API's SecurityOpt does not say so");
		return;
	}
	if (api_off)
		EMIT(ev, RT_SECCOMP, BRIG_RT_SRC_API, "HostConfig.SecurityOpt holds seccomp=unconfined");
	else if (c->api.privileged)
		EMIT(ev, RT_SECCOMP, BRIG_RT_SRC_API,
		     "privileged containers run without seccomp (HostConfig.Privileged is true)");
}

static void check_apparmor(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	const char *v = rt_secopt_value(c->api.security_opt, c->api.n_security_opt, "apparmor");

	if (c->proc.present && c->proc.apparmor) {
		if (strcmp(c->proc.apparmor, "unconfined") == 0)
			EMIT(ev, RT_APPARMOR, BRIG_RT_SRC_PROC,
			     "/proc/%d/attr/current is \"unconfined\"", c->proc.pid);
		return;
	}
	/* podman leaves AppArmorProfile empty whatever applies: only an
	 * explicit "unconfined" means something */
	if ((c->api.apparmor_profile && strcmp(c->api.apparmor_profile, "unconfined") == 0) ||
	    (v && strcmp(v, "unconfined") == 0))
		EMIT(ev, RT_APPARMOR, BRIG_RT_SRC_API, "the API reports AppArmor profile \"unconfined\"");
}

static void check_rootfs(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;

	if (c->proc.present && c->proc.rootfs_ro != BRIG_RT_UNKNOWN) {
		if (c->proc.rootfs_ro == BRIG_RT_NO)
			EMIT(ev, RT_ROOTFS_RW, BRIG_RT_SRC_PROC,
			     "/ is mounted rw in /proc/%d/mountinfo", c->proc.pid);
		return;
	}
	if (!c->api.readonly_rootfs)
		EMIT(ev, RT_ROOTFS_RW, BRIG_RT_SRC_API, "HostConfig.ReadonlyRootfs is false");
}

static void check_memory(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;

	if (c->proc.present && c->proc.memory_limit >= 0) {
		if (c->proc.memory_limit == 0)
			EMIT(ev, RT_NO_MEMORY, BRIG_RT_SRC_PROC,
			     "the memory cgroup of PID %d has no limit", c->proc.pid);
		return;
	}
	if (c->api.memory <= 0)
		EMIT(ev, RT_NO_MEMORY, BRIG_RT_SRC_API, "HostConfig.Memory is 0");
}

static void check_cpu(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;

	if (c->proc.present && c->proc.cpu_quota_us >= 0) {
		bool weighted = c->proc.cpu_weight > 0 && !c->proc.cpu_weight_default;

		if (c->proc.cpu_quota_us == 0 && !weighted)
			EMIT(ev, RT_NO_CPU, BRIG_RT_SRC_PROC,
			     "the cpu cgroup of PID %d has no quota and the default weight",
			     c->proc.pid);
		return;
	}
	if (c->api.nano_cpus <= 0 && c->api.cpu_quota <= 0 && c->api.cpu_shares <= 0)
		EMIT(ev, RT_NO_CPU, BRIG_RT_SRC_API,
		     "HostConfig.NanoCpus, CpuQuota and CpuShares are 0");
}

static void check_pids(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;

	if (c->proc.present && c->proc.pids_max >= 0) {
		if (c->proc.pids_max == 0)
			EMIT(ev, RT_NO_PIDS, BRIG_RT_SRC_PROC,
			     "pids.max of PID %d's cgroup is \"max\"", c->proc.pid);
		return;
	}
	if (c->api.pids_limit <= 0)
		EMIT(ev, RT_NO_PIDS, BRIG_RT_SRC_API, "HostConfig.PidsLimit is %lld",
		     c->api.pids_limit);
}

static void check_ns(struct eval *ev, enum brig_rt_ns ns, enum rt_rule rule)
{
	const struct brig_rt_container *c = ev->c;
	const char *mode = c->api.ns_mode[ns];
	bool api_host = mode && strcmp(mode, "host") == 0;
	static const char *const keys[] = {"NetworkMode", "PidMode", "IpcMode", "UTSMode",
					   "UsernsMode", "CgroupnsMode"};

	if (c->proc.present && c->proc.ns_host[ns] != BRIG_RT_UNKNOWN) {
		if (c->proc.ns_host[ns] != BRIG_RT_YES)
			return;
		/* every container shares the host's user namespace unless the
		 * engine remaps: that alone is the engine's finding (BRIG-RT-104) */
		if (ns == BRIG_RT_NS_USER && !api_host && !ev->ctx->userns_remap)
			return;
		if (api_host)
			EMIT(ev, rule, BRIG_RT_SRC_PROC,
			     "/proc/%d/ns/%s is the host's (%s is \"host\")", c->proc.pid,
			     brig_rt_ns_name(ns), keys[ns]);
		else
			EMIT(ev, rule, BRIG_RT_SRC_PROC,
			     "/proc/%d/ns/%s is the host's although the API's %s says \"%s\"",
			     c->proc.pid, brig_rt_ns_name(ns), keys[ns], mode ? mode : "");
		return;
	}
	if (api_host)
		EMIT(ev, rule, BRIG_RT_SRC_API, "HostConfig.%s is \"host\"", keys[ns]);
}

static void check_namespaces(struct eval *ev)
{
	check_ns(ev, BRIG_RT_NS_NET, RT_HOST_NET);
	check_ns(ev, BRIG_RT_NS_PID, RT_HOST_PID);
	check_ns(ev, BRIG_RT_NS_IPC, RT_HOST_IPC);
	check_ns(ev, BRIG_RT_NS_UTS, RT_HOST_UTS);
	check_ns(ev, BRIG_RT_NS_USER, RT_HOST_USER);
}

static bool is_bind(const struct brig_rt_mount *m)
{
	return m->source && m->source[0] == '/' && (!m->type || strcmp(m->type, "bind") == 0);
}

static enum brig_rt_src mount_src(const struct brig_rt_mount *m)
{
	return m->proc_confirmed ? BRIG_RT_SRC_PROC : m->src;
}

static const char *mount_how(const struct brig_rt_mount *m)
{
	if (m->src == BRIG_RT_SRC_PROC)
		return " (found in mountinfo; the API does not list it)";
	return m->proc_confirmed ? " (confirmed in mountinfo)" : "";
}

static bool engine_socket_path(const struct brig_rt_ctx *ctx, const char *src, const char *dest)
{
	_cleanup_free_ char *s = rt_norm_host_path(src);
	_cleanup_free_ char *sock = rt_norm_host_path(ctx->engine_socket);
	static const char *const names[] = {"docker.sock", "podman.sock", "containerd.sock"};
	const char *sb = s ? strrchr(s, '/') : NULL, *db = dest ? strrchr(dest, '/') : NULL;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((sb && strcmp(sb + 1, names[i]) == 0) || (db && strcmp(db + 1, names[i]) == 0))
			return true;
	/* a directory holding the socket exposes it as well */
	return s && sock && rt_path_under(sock, s);
}

static void check_mounts(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	static const char *const exact[] = {"/", "/boot", "/dev", "/etc", "/lib", "/lib64",
					    "/proc", "/sys", "/usr", "/run", "/var/lib/docker",
					    "/var/lib/containers"};
	static const char *const under[] = {"/boot", "/dev", "/proc", "/sys"};

	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct brig_rt_mount *m = &c->mounts[i];
		_cleanup_free_ char *src = NULL;
		bool sensitive = false;
		const char *rw = m->rw ? "read-write" : "read-only";

		if (m->source && engine_socket_path(ev->ctx, m->source, m->dest))
			EMIT(ev, RT_ENGINE_SOCKET, mount_src(m), "%s is mounted %s at %s%s", m->source,
			     rw, m->dest ? m->dest : "?", mount_how(m));
		if (m->propagation && strstr(m->propagation, "shared"))
			EMIT(ev, RT_SHARED_PROPAGATION, mount_src(m), "%s is mounted at %s with %s "
			     "propagation%s", m->source ? m->source : "?", m->dest ? m->dest : "?",
			     m->propagation, mount_how(m));
		if (!is_bind(m))
			continue;
		src = rt_norm_host_path(m->source);
		for (size_t k = 0; k < sizeof(exact) / sizeof(exact[0]) && !sensitive; k++)
			sensitive = strcmp(src, exact[k]) == 0;
		for (size_t k = 0; k < sizeof(under) / sizeof(under[0]) && !sensitive; k++)
			sensitive = rt_path_under(src, under[k]);
		if (sensitive)
			EMIT(ev, RT_SENSITIVE_MOUNT, mount_src(m), "host %s is mounted %s at %s%s",
			     m->source, rw, m->dest ? m->dest : "?", mount_how(m));
		if (m->rw)
			EMIT(ev, RT_RW_MOUNT, mount_src(m), "host %s is mounted read-write at %s%s",
			     m->source, m->dest ? m->dest : "?", mount_how(m));
	}
}

static void check_devices(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	struct brig_buf b;
	struct brig_error e = {0};

	if (!c->n_devices)
		return;
	brig_buf_init(&b, 1024);
	for (size_t i = 0; i < c->n_devices; i++)
		if (brig_buf_appendf(&b, &e, "%s%s", i ? ", " : "", c->devices[i]) < 0)
			break;
	EMIT(ev, RT_DEVICES, BRIG_RT_SRC_API, "HostConfig.Devices: %s", b.data ? b.data : "");
	brig_buf_free(&b);
}

static bool wildcard_ip(const char *ip)
{
	return !ip || !*ip || strcmp(ip, "0.0.0.0") == 0 || strcmp(ip, "::") == 0 ||
	       strcmp(ip, "[::]") == 0;
}

static void check_ports(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;

	for (size_t i = 0; i < c->n_ports; i++) {
		const struct brig_rt_port *p = &c->ports[i];

		if (!p->host_port)
			continue;
		if (p->host_port < 1024)
			EMIT(ev, RT_PRIV_PORT, BRIG_RT_SRC_API, "host port %u publishes %u/%s",
			     p->host_port, p->container_port, p->proto);
		if (wildcard_ip(p->host_ip))
			EMIT(ev, RT_PORT_ALL_IFACES, BRIG_RT_SRC_API,
			     "%u/%s is published on %s:%u", p->container_port, p->proto,
			     p->host_ip && *p->host_ip ? p->host_ip : "0.0.0.0", p->host_port);
	}
}

static bool root_user(const char *u)
{
	size_t n;

	if (!u || !*u)
		return true;
	n = strcspn(u, ":");
	return (n == 1 && u[0] == '0') || (n == 4 && strncmp(u, "root", 4) == 0);
}

static void check_user(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	const char *u = c->api.user;

	if (c->proc.present && c->proc.uid >= 0) {
		if (c->proc.uid == 0)
			EMIT(ev, RT_ROOT_USER, BRIG_RT_SRC_PROC,
			     "PID %d runs as uid 0 (Uid in /proc/%d/status; Config.User is \"%s\")",
			     c->proc.pid, c->proc.pid, u ? u : "");
		return;
	}
	if (root_user(u))
		EMIT(ev, RT_ROOT_USER, BRIG_RT_SRC_API, "Config.User is \"%s\"", u ? u : "");
}

/* ---- secrets in the environment ---- */

static bool name_has(const char *upper, const char *word)
{
	return strstr(upper, word) != NULL;
}

/* why a variable's name says it holds a secret, or NULL */
static const char *secret_name(const char *name, size_t n)
{
	static const struct {
		const char *word;
		const char *what;
	} words[] = {
		{"PASSWORD", "a password"}, {"PASSWD", "a password"},	  {"PASSPHRASE", "a passphrase"},
		{"SECRET", "a secret"},	    {"TOKEN", "a token"},	  {"APIKEY", "an API key"},
		{"API_KEY", "an API key"},  {"ACCESS_KEY", "an access key"},
		{"PRIVATE_KEY", "a private key"}, {"CREDENTIAL", "credentials"},
		{"_PWD", "a password"},
	};
	static const char *const not_values[] = {"_FILE", "_PATH", "_DIR", "_URL", "_URI"};
	char upper[256];

	if (n == 0 || n >= sizeof(upper))
		return NULL;
	for (size_t i = 0; i < n; i++)
		upper[i] = (char)toupper((unsigned char)name[i]);
	upper[n] = '\0';
	/* PWD/OLDPWD are the shell's working directories */
	if (strcmp(upper, "PWD") == 0 || strcmp(upper, "OLDPWD") == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(not_values) / sizeof(not_values[0]); i++) {
		size_t k = strlen(not_values[i]);

		if (n > k && strcmp(upper + n - k, not_values[i]) == 0)
			return NULL;
	}
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (name_has(upper, words[i].word))
			return words[i].what;
	return NULL;
}

static bool span_of(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(set, s[i]))
			return false;
	return true;
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define B64URL ALNUM "-_"

/* Well-known key formats: a prefix, a length, the characters after the
 * prefix. The prefix is safe to print and tells the reader which key it is. */
static const struct key_shape {
	const char *prefix;
	size_t min, max;
	const char *tail;
	const char *what;
} key_shapes[] = {
	{"AKIA", 20, 20, UPPER_DIGITS, "an AWS access key id"},
	{"ASIA", 20, 20, UPPER_DIGITS, "an AWS access key id"},
	{"ghp_", 40, 255, ALNUM, "a GitHub token"},
	{"gho_", 40, 255, ALNUM, "a GitHub token"},
	{"ghu_", 40, 255, ALNUM, "a GitHub token"},
	{"ghs_", 40, 255, ALNUM, "a GitHub token"},
	{"ghr_", 40, 255, ALNUM, "a GitHub token"},
	{"github_pat_", 40, 255, ALNUM "_", "a GitHub token"},
	{"glpat-", 26, 255, B64URL, "a GitLab token"},
	{"xoxa-", 15, 255, ALNUM "-", "a Slack token"},
	{"xoxb-", 15, 255, ALNUM "-", "a Slack token"},
	{"xoxp-", 15, 255, ALNUM "-", "a Slack token"},
	{"xoxr-", 15, 255, ALNUM "-", "a Slack token"},
	{"xoxs-", 15, 255, ALNUM "-", "a Slack token"},
	{"sk_live_", 24, 255, ALNUM, "a Stripe key"},
	{"rk_live_", 24, 255, ALNUM, "a Stripe key"},
	{"AIza", 39, 39, B64URL, "a Google API key"},
	{"npm_", 40, 40, ALNUM, "an npm token"},
};

/* what a value looks like when its shape gives it away, or NULL; *show is
 * how many leading characters may be printed */
static const char *secret_value(const char *v, size_t *show)
{
	size_t n = strlen(v);

	for (size_t i = 0; i < sizeof(key_shapes) / sizeof(key_shapes[0]); i++) {
		const struct key_shape *k = &key_shapes[i];
		size_t pl = strlen(k->prefix);

		if (n >= k->min && n <= k->max && strncmp(v, k->prefix, pl) == 0 &&
		    span_of(v + pl, n - pl, k->tail)) {
			*show = pl;
			return k->what;
		}
	}
	*show = 0;
	if (strstr(v, "-----BEGIN") && strstr(v, "PRIVATE KEY"))
		return "a private key";
	/* header.payload.signature, the header base64url JSON ("eyJ" = '{"') */
	if (n > 30 && strncmp(v, "eyJ", 3) == 0) {
		const char *d1 = strchr(v, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;

		if (d2 && span_of(v, (size_t)(d1 - v), B64URL)) {
			*show = 3;
			return "a JSON Web Token";
		}
	}
	return NULL;
}

static void check_env(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;

	for (size_t i = 0; i < c->n_env; i++) {
		const char *kv = c->env[i], *eq = strchr(kv, '='), *why, *val;
		size_t show, vlen;
		char name[128];

		if (!eq || eq == kv || !eq[1])
			continue;
		val = eq + 1;
		vlen = strlen(val);
		snprintf(name, sizeof(name), "%.*s", (int)((size_t)(eq - kv) < 127 ? eq - kv : 127), kv);
		if ((why = secret_value(val, &show))) {
			char prefix[16] = "";

			if (show && show < vlen)
				snprintf(prefix, sizeof(prefix), "%.*s", (int)show, val);
			EMIT(ev, RT_ENV_SECRET, BRIG_RT_SRC_API,
			     "%s holds what looks like %s: %s**** (redacted, %zu characters)", name,
			     why, prefix, vlen);
		} else if ((why = secret_name(kv, (size_t)(eq - kv)))) {
			EMIT(ev, RT_ENV_SECRET, BRIG_RT_SRC_API,
			     "%s is named like %s and is set: **** (redacted, %zu characters)", name,
			     why, vlen);
		}
	}
}

static void check_health(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;

	if (!c->has_healthcheck)
		EMIT(ev, RT_NO_HEALTHCHECK, BRIG_RT_SRC_API, "Config.Healthcheck is not set%s",
		     c->health ? " (State.Health is present anyway: podman adds it to every container)"
			       : "");
	else if (c->health && strcmp(c->health, "unhealthy") == 0)
		EMIT(ev, RT_UNHEALTHY, BRIG_RT_SRC_API, "State.Health.Status is \"unhealthy\"");
}

static void check_restart(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	const char *p = c->restart_policy;

	if (p && strcmp(p, "always") == 0)
		EMIT(ev, RT_RESTART_POLICY, BRIG_RT_SRC_API, "HostConfig.RestartPolicy.Name is \"always\"");
	else if (p && strcmp(p, "on-failure") == 0 && c->restart_max_retry > 5)
		EMIT(ev, RT_RESTART_POLICY, BRIG_RT_SRC_API,
		     "HostConfig.RestartPolicy is on-failure with MaximumRetryCount %lld",
		     c->restart_max_retry);
}

/* A reference that is an image ID (started with `run IMAGE_ID`) is pinned. */
static bool image_is_id(const char *ref)
{
	size_t n;

	if (strncmp(ref, "sha256:", 7) == 0)
		return true;
	n = strlen(ref);
	return n >= 12 && n <= 64 && span_of(ref, n, "0123456789abcdef");
}

static void check_image(struct eval *ev)
{
	const struct brig_rt_container *c = ev->c;
	const char *ref = c->image, *at, *slash, *colon;
	size_t name_len;

	if (!ref || !*ref || image_is_id(ref))
		return;
	at = strchr(ref, '@');
	name_len = at ? (size_t)(at - ref) : strlen(ref);
	slash = memrchr(ref, '/', name_len);
	colon = memrchr(slash ? slash : ref, ':', name_len - (size_t)((slash ? slash : ref) - ref));
	if (!at && (!colon || (ref + name_len - colon == 7 && strncmp(colon, ":latest", 7) == 0)))
		EMIT(ev, RT_IMAGE_LATEST, BRIG_RT_SRC_API, "Config.Image is \"%s\"%s", ref,
		     colon ? "" : " (no tag means latest)");
	if (!at)
		EMIT(ev, RT_IMAGE_NO_DIGEST, BRIG_RT_SRC_API, "Config.Image \"%s\" has no @sha256: "
		     "digest", ref);
}

void brig_rt_check_container(const struct brig_rt_ctx *ctx, const struct brig_rt_container *c,
			     struct brig_finding_list *out)
{
	static void (*const checks[])(struct eval *) = {
		check_privileged, check_caps_added, check_caps_not_dropped, check_nnp,
		check_seccomp,	  check_apparmor,   check_rootfs,	    check_memory,
		check_cpu,	  check_pids,	    check_namespaces,	    check_mounts,
		check_devices,	  check_ports,	    check_user,		    check_env,
		check_health,	  check_restart,    check_image,
	};
	struct eval ev = {ctx, c, out};

	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		checks[i](&ev);
}

/* brig runtime: what running containers and their engine really do.
 *
 * A container is first read from the engine's inspect JSON (what the API
 * claims), then, when its PID 1 is visible in our /proc, overlaid with what
 * the kernel says (/proc/PID/status, ns/, mountinfo, cgroup). Checks read
 * the kernel's answer whenever there is one and name the source they used
 * in every finding: podman 4.3 misreports IpcMode, CapAdd, CapDrop and the
 * SecurityOpt of privileged containers, and a check that trusts those
 * fields passes containers that share the host's IPC namespace or run
 * without seccomp.
 *
 * Everything read here (API answers, /proc files, compose files) is
 * untrusted: sizes and counts are bounded, wrong JSON types are ignored. */
#ifndef BRIG_RUNTIME_RUNTIME_H
#define BRIG_RUNTIME_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/compose.h"
#include "core/error.h"
#include "report/finding.h"

/* Bounds on what one container or one /proc file may bring. */
#define BRIG_RT_MAX_ITEMS 4096u	       /* mounts, env, labels, caps, ports... each */
#define BRIG_RT_MAX_CONTAINERS 10000u   /* containers audited in one run */
#define BRIG_RT_MAX_PROC_FILE (4u << 20) /* mountinfo of a busy host */
#define BRIG_RT_MAX_STRING 8192u	       /* one string kept from the API */

/* Where a fact came from: the engine's API, or the kernel (/proc, /sys and
 * the socket file: anything observed on the host rather than asked for). */
enum brig_rt_src { BRIG_RT_SRC_API, BRIG_RT_SRC_PROC };
const char *brig_rt_src_name(enum brig_rt_src s); /* "api" / "proc" */

enum brig_rt_ns {
	BRIG_RT_NS_NET,
	BRIG_RT_NS_PID,
	BRIG_RT_NS_IPC,
	BRIG_RT_NS_UTS,
	BRIG_RT_NS_USER,
	BRIG_RT_NS_CGROUP,
	BRIG_RT_NS_COUNT,
};
const char *brig_rt_ns_name(enum brig_rt_ns ns); /* "net", "pid", ... */

enum brig_rt_tri { BRIG_RT_UNKNOWN = 0, BRIG_RT_NO, BRIG_RT_YES };

/* ---- capabilities ---- */

#define BRIG_RT_CAP_MAX 64u
/* "SYS_ADMIN" for 21; NULL for a number no kernel has named yet. */
const char *brig_rt_cap_name(unsigned cap);
/* "SYS_ADMIN", "CAP_SYS_ADMIN", "sys_admin" -> 21; -1 otherwise. */
int brig_rt_cap_parse(const char *name);
/* Docker's (and podman's) default bounding set. */
uint64_t brig_rt_cap_default_set(void);
/* Every capability this kernel knows (from /proc/sys/kernel/cap_last_cap,
 * else CAP_LAST_CAP of the headers brig was built with). */
uint64_t brig_rt_cap_full_set(void);

/* ---- the container model ---- */

struct brig_rt_mount {
	char *type;	   /* "bind", "volume", "tmpfs"...; NULL when unknown */
	char *source;	   /* host path of a bind (or the volume's), NULL when none */
	char *dest;	   /* path inside the container */
	bool rw;
	char *propagation; /* "rprivate", "rshared", "shared"...; NULL when unset */
	enum brig_rt_src src;  /* who reported the mount */
	bool proc_confirmed;   /* mountinfo shows it (rw and propagation from there) */
};

struct brig_rt_port {
	unsigned container_port;
	char proto[8];
	char *host_ip;	    /* "" or NULL: every interface */
	unsigned host_port; /* 0 when not published */
};

struct brig_rt_kv {
	char *key;
	char *value;
};

/* What the engine's inspect answer claims. Numbers are 0 when unset. */
struct brig_rt_api {
	bool privileged;
	char **cap_add, **cap_drop, **security_opt;
	size_t n_cap_add, n_cap_drop, n_security_opt;
	char *apparmor_profile;
	bool readonly_rootfs;
	long long memory, nano_cpus, cpu_quota, cpu_shares, pids_limit;
	/* NetworkMode, PidMode, IpcMode, UTSMode, UsernsMode, CgroupnsMode */
	char *ns_mode[BRIG_RT_NS_COUNT];
	char *user;
	char **tmpfs; /* HostConfig.Tmpfs keys (destinations) */
	size_t n_tmpfs;
	size_t n_ulimits; /* HostConfig.Ulimits entries */
};

/* What the kernel shows for PID 1 of the container (present only when the
 * PID is ours to see and its cgroup names the container's ID). */
struct brig_rt_proc {
	bool present;
	int pid;
	/* /proc/PID/status */
	bool status_ok;
	uint64_t cap_eff, cap_prm, cap_bnd;
	int no_new_privs; /* -1 unknown */
	int seccomp;	  /* -1 unknown; 0 disabled, 1 strict, 2 filter */
	long long uid;	  /* real uid of PID 1 as the host sees it; -1 unknown */
	/* /proc/PID/ns/<ns> against the host's */
	enum brig_rt_tri ns_host[BRIG_RT_NS_COUNT];
	/* /proc/PID/mountinfo */
	enum brig_rt_tri rootfs_ro;
	/* /proc/PID/cgroup resolved against the host's cgroup mounts;
	 * -1 unknown, 0 unlimited, else the limit */
	long long memory_limit;
	long long cpu_quota_us;	 /* per period: v1 cfs_quota_us, v2 cpu.max */
	long long cpu_weight;	 /* v1 cpu.shares, v2 cpu.weight; -1 unknown */
	bool cpu_weight_default; /* 1024 (v1) or 100 (v2): nobody set it */
	long long pids_max;
	/* /proc/PID/attr/current when AppArmor is enabled on the host */
	char *apparmor;
};

struct brig_rt_container {
	char *id;     /* full hex ID */
	char *name;   /* without the leading '/' */
	char *target; /* "NAME (ID12)": Results[].Target */
	char *image;  /* Config.Image: the reference it was started from */
	char *image_id;
	bool running;
	int pid; /* State.Pid, 0 when none */
	char *health; /* State.Health.Status; NULL when absent */
	bool has_healthcheck; /* Config.Healthcheck with a test other than NONE */
	char *restart_policy;
	long long restart_max_retry;
	struct brig_rt_api api;
	struct brig_rt_proc proc;
	struct brig_rt_mount *mounts;
	size_t n_mounts;
	char **devices; /* "HOST:CONTAINER:PERMS" */
	size_t n_devices;
	struct brig_rt_port *ports;
	size_t n_ports;
	char **env; /* Config.Env, "K=V": only ever printed redacted */
	size_t n_env;
	struct brig_rt_kv *labels;
	size_t n_labels;
};

/* Parses GET /containers/{id}/json. The result owns copies of everything
 * it keeps; types that are not what Docker documents are ignored. */
int brig_rt_container_parse(const char *json, size_t len, struct brig_rt_container *c,
			    struct brig_error *err);
void brig_rt_container_free(struct brig_rt_container *c);
const char *brig_rt_container_label(const struct brig_rt_container *c, const char *key);

/* Parses GET /containers/json: the IDs (validated hex) of the list. */
int brig_rt_list_parse(const char *json, size_t len, char ***ids, size_t *n,
		       struct brig_error *err);
void brig_rt_strv_free(char **v, size_t n);

/* ---- /proc: parsers (pure, for tests and fuzzing) ---- */

struct brig_rt_status {
	bool have_cap_eff, have_cap_prm, have_cap_bnd;
	uint64_t cap_eff, cap_prm, cap_bnd;
	int no_new_privs; /* -1 absent */
	int seccomp;	  /* -1 absent */
	long long uid;	  /* real uid; -1 absent */
};
int brig_rt_parse_status(const char *buf, size_t len, struct brig_rt_status *out);

struct brig_rt_mi {
	unsigned major, minor;
	char *root;	  /* within the filesystem, unescaped */
	char *mountpoint; /* unescaped */
	bool ro;	  /* per-mount options */
	bool shared;	  /* optional field shared:N */
	bool slave;	  /* optional field master:N */
	char *fstype;
	char *source;
	char *super_opts;
};
struct brig_rt_mountinfo {
	struct brig_rt_mi *items;
	size_t n;
};
/* Malformed lines are skipped; more than BRIG_RT_MAX_ITEMS*4 is an error. */
int brig_rt_parse_mountinfo(const char *buf, size_t len, struct brig_rt_mountinfo *out,
			    struct brig_error *err);
void brig_rt_mountinfo_free(struct brig_rt_mountinfo *m);

struct brig_rt_cgline {
	char *controllers; /* "memory", "cpu,cpuacct", "" (v2) */
	char *path;
};
struct brig_rt_cgroups {
	struct brig_rt_cgline *items;
	size_t n;
};
int brig_rt_parse_cgroup(const char *buf, size_t len, struct brig_rt_cgroups *out,
			 struct brig_error *err);
void brig_rt_cgroups_free(struct brig_rt_cgroups *c);
/* The path of `controller` ("memory"; "" for the v2 unified line), or NULL. */
const char *brig_rt_cgroup_path(const struct brig_rt_cgroups *c, const char *controller);

/* ---- /proc: the overlay ---- */

/* The host as brig sees it: its namespaces and mounts. proc_root is
 * normally "/proc"; fs_root ("" normally) prefixes host paths such as the
 * cgroup mount points, so that tests can point both at a fake tree. */
struct brig_rt_host {
	char *proc_root;
	char *fs_root;
	char *ns[BRIG_RT_NS_COUNT]; /* readlink text, "net:[4026531833]"; NULL unknown */
	struct brig_rt_mountinfo mounts;
	bool apparmor_enabled;
};
int brig_rt_host_load(struct brig_rt_host *h, const char *proc_root, const char *fs_root,
		      struct brig_error *err);
void brig_rt_host_free(struct brig_rt_host *h);

/* Fills c->proc (and confirms or adds mounts) when c->pid is visible and
 * /proc/PID/cgroup names c->id. Never fails the scan: a container that
 * exits meanwhile just keeps the API's view. Returns true when /proc was
 * used. */
bool brig_rt_proc_overlay(const struct brig_rt_host *h, struct brig_rt_container *c);
/* The mountinfo part of the overlay: the root filesystem's ro/rw, and the
 * container's mounts translated to host paths through h->mounts (the
 * host's mountinfo), confirming or adding to c->mounts. */
void brig_rt_overlay_mounts(const struct brig_rt_host *h, const char *mountinfo, size_t len,
			    struct brig_rt_container *c);

/* ---- checks ---- */

enum brig_rt_scope { BRIG_RT_SCOPE_CONTAINER, BRIG_RT_SCOPE_ENGINE, BRIG_RT_SCOPE_COMPOSE };

/* One row of the rule table: docs/runtime.md and --list-checks come from it. */
struct brig_rt_rule {
	const char *id; /* BRIG-RT-001 */
	const char *title;
	enum brig_severity severity;
	enum brig_rt_scope scope;
	const char *rationale;
	const char *fix;
	const char *sources; /* what can prove it: "api", "proc", "api,proc" */
	/* CIS Docker Benchmark ids as docker-bench-security numbers them
	 * (v1.6.0), and the docker-bench-security checks that cover it */
	const char *cis[3];
	const char *bench[3];
};
const struct brig_rt_rule *brig_rt_rules(size_t *n);
const struct brig_rt_rule *brig_rt_rule_find(const char *id);

/* What the checks know about the engine beyond one container. */
struct brig_rt_ctx {
	const char *engine_socket; /* host path of the socket brig talked to */
	bool engine_is_podman;
	bool userns_remap; /* the engine remaps user namespaces */
};

void brig_rt_check_container(const struct brig_rt_ctx *ctx, const struct brig_rt_container *c,
			     struct brig_finding_list *out);

/* One way the engine is reachable over plain TCP. */
struct brig_rt_tcp {
	char *desc; /* "tcp://0.0.0.0:2375 (dockerd, pid 12)" */
	enum brig_rt_src src;
};

/* Engine facts, from the socket file, GET /info, GET /networks/bridge and
 * the engine's own processes. */
struct brig_rt_engine {
	char *target; /* Results[].Target of the engine: "engine (unix://...)" */
	char *socket;
	bool socket_stat_ok;
	unsigned socket_mode;
	unsigned socket_uid, socket_gid;
	char *socket_group; /* name of socket_gid, NULL when unknown */
	bool info_ok;
	bool is_podman;
	enum brig_rt_tri userns_remap;
	enum brig_rt_tri live_restore;
	char *driver;
	enum brig_rt_tri icc;		  /* the default bridge lets containers talk */
	enum brig_rt_tri default_ulimits; /* engine-wide default ulimits set */
	struct brig_rt_tcp *tcp;
	size_t n_tcp;
	/* from the process scan */
	bool dockerd_seen;
	bool dockerd_default_ulimit;
};

/* target and socket are copied. */
void brig_rt_engine_init(struct brig_rt_engine *e, const char *target, const char *socket);
/* stat() of the socket and the name of its group. */
void brig_rt_engine_stat_socket(struct brig_rt_engine *e);
/* Parses GET /info into e (is_podman, userns, live restore, driver). */
void brig_rt_engine_parse_info(struct brig_rt_engine *e, const char *info, size_t len);
/* Sets e->icc from GET /networks/bridge. */
void brig_rt_engine_parse_bridge(struct brig_rt_engine *e, const char *json, size_t len);
/* Looks for engine processes under proc_root (dockerd with -H tcp://
 * and no --tlsverify; podman system service tcp://, which has no TLS at
 * all) and for Docker's daemon.json "hosts" under fs_root. */
void brig_rt_engine_scan_procs(struct brig_rt_engine *e, const char *proc_root,
			       const char *fs_root);
/* Connects to 127.0.0.1:port and asks /_ping in plain HTTP. */
void brig_rt_engine_probe_tcp(struct brig_rt_engine *e, unsigned port);
/* Default ulimits: dockerd's --default-ulimit or daemon.json's
 * default-ulimits for Docker; for podman, which writes containers.conf's
 * default_ulimits into every container, the containers' own Ulimits. */
void brig_rt_engine_ulimits(struct brig_rt_engine *e, const char *fs_root,
			    const struct brig_rt_container *const *cs, size_t n);
void brig_rt_engine_free(struct brig_rt_engine *e);

void brig_rt_check_engine(const struct brig_rt_engine *e,
			  const struct brig_rt_container *const *cs, size_t n,
			  struct brig_finding_list *out);

/* ---- compose drift ---- */

/* The project name docker compose would use for `file`: its top-level
 * name, else COMPOSE_PROJECT_NAME, else its directory's base name
 * lowercased without the characters compose drops. Caller frees. */
char *brig_rt_compose_project(const struct brig_compose *cf, const char *file);

/* Compares each service of cf with the containers labelled
 * com.docker.compose.project=project / com.docker.compose.service=NAME.
 * Services without a running container are reported against engine_target. */
void brig_rt_compose_drift(const struct brig_compose *cf, const char *project,
			   const struct brig_rt_container *const *cs, size_t n,
			   const char *engine_target, struct brig_finding_list *out);

/* ---- rendering of the rule table ---- */

/* --list-checks: "table", "json" or "markdown" (the docs/runtime.md table). */
int brig_rt_list_checks(FILE *out, const char *format, struct brig_error *err);

#endif

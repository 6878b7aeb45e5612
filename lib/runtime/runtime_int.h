/* Private to lib/runtime: helpers the model, /proc and check files share. */
#ifndef BRIG_RUNTIME_RUNTIME_INT_H
#define BRIG_RUNTIME_RUNTIME_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "runtime/runtime.h"

/* A copy of s cut at BRIG_RT_MAX_STRING bytes; NULL for NULL. */
char *rt_dup_bounded(const char *s);

/* Reads a /proc or /sys file whole, at most max bytes (NUL-terminated).
 * -1 (errno kept) when it cannot be opened or is larger than max. */
int rt_read_file(const char *path, size_t max, char **data, size_t *len);

/* true when path equals dir or lies below it ("/" contains everything). */
bool rt_path_under(const char *path, const char *dir);

/* Indexes into the rule table (rules.c), in its order. */
enum rt_rule {
	/* container */
	RT_PRIVILEGED,
	RT_CAPS_ADDED,
	RT_CAPS_NOT_DROPPED,
	RT_NO_NEW_PRIVS,
	RT_SECCOMP,
	RT_APPARMOR,
	RT_ROOTFS_RW,
	RT_NO_MEMORY,
	RT_NO_CPU,
	RT_NO_PIDS,
	RT_HOST_NET,
	RT_HOST_PID,
	RT_HOST_IPC,
	RT_HOST_UTS,
	RT_HOST_USER,
	RT_ENGINE_SOCKET,
	RT_SENSITIVE_MOUNT,
	RT_RW_MOUNT,
	RT_SHARED_PROPAGATION,
	RT_DEVICES,
	RT_PRIV_PORT,
	RT_PORT_ALL_IFACES,
	RT_ROOT_USER,
	RT_ENV_SECRET,
	RT_NO_HEALTHCHECK,
	RT_UNHEALTHY,
	RT_RESTART_POLICY,
	RT_IMAGE_LATEST,
	RT_IMAGE_NO_DIGEST,
	/* engine */
	RT_E_SOCKET_WORLD,
	RT_E_SOCKET_GROUP,
	RT_E_TCP_PLAIN,
	RT_E_NO_USERNS,
	RT_E_NO_LIVE_RESTORE,
	RT_E_ICC,
	RT_E_AUFS,
	RT_E_NO_ULIMITS,
	RT_E_PRIVILEGED_COUNT,
	/* compose drift */
	RT_D_PRIVILEGED,
	RT_D_SECURITY_OPT,
	RT_D_CAPS,
	RT_D_READ_ONLY,
	RT_D_LIMITS,
	RT_D_TMPFS,
	RT_D_HEALTHCHECK,
	RT_D_USER,
	RT_D_NOT_RUNNING,
	RT_RULE_COUNT,
};

/* Adds a finding of rule r against target (Results[].Target) of
 * target_type ("container" / "engine"), saying which source proved it. */
void rt_emit(struct brig_finding_list *out, enum rt_rule r, const char *target,
	     const char *target_type, enum brig_rt_src src, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* "/var/run/x" -> "/run/x" (Debian, Alpine and Docker Desktop all link
 * one to the other), for comparing host paths. Caller frees. */
char *rt_norm_host_path(const char *p);
/* The security option's value: "no-new-privileges" and
 * "no-new-privileges:true" / "=true" -> true; ":false" -> false; missing -> false. */
bool rt_secopt_flag(char *const *opts, size_t n, const char *name);
/* "seccomp=unconfined" / "seccomp:unconfined" -> "unconfined"; NULL when absent. */
const char *rt_secopt_value(char *const *opts, size_t n, const char *name);

#endif

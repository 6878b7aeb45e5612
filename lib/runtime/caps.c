/* Capability names and the sets the checks compare against. The table is
 * ours rather than libcap's: brig must name bits in another machine's
 * /proc/PID/status even when its own headers are older. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "runtime/runtime.h"

static const char *const cap_names[] = {
	"CHOWN",	    "DAC_OVERRIDE",  "DAC_READ_SEARCH", "FOWNER",	   "FSETID",
	"KILL",		    "SETGID",	     "SETUID",		"SETPCAP",	   "LINUX_IMMUTABLE",
	"NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",	"NET_RAW",	   "IPC_LOCK",
	"IPC_OWNER",	    "SYS_MODULE",    "SYS_RAWIO",	"SYS_CHROOT",	   "SYS_PTRACE",
	"SYS_PACCT",	    "SYS_ADMIN",     "SYS_BOOT",	"SYS_NICE",	   "SYS_RESOURCE",
	"SYS_TIME",	    "SYS_TTY_CONFIG", "MKNOD",		"LEASE",	   "AUDIT_WRITE",
	"AUDIT_CONTROL",    "SETFCAP",	     "MAC_OVERRIDE",	"MAC_ADMIN",	   "SYSLOG",
	"WAKE_ALARM",	    "BLOCK_SUSPEND", "AUDIT_READ",	"PERFMON",	   "BPF",
	"CHECKPOINT_RESTORE",
};
#define N_NAMED (sizeof(cap_names) / sizeof(cap_names[0]))

const char *brig_rt_cap_name(unsigned cap)
{
	return cap < N_NAMED ? cap_names[cap] : NULL;
}

int brig_rt_cap_parse(const char *name)
{
	if (!name)
		return -1;
	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (unsigned i = 0; i < N_NAMED; i++)
		if (strcasecmp(name, cap_names[i]) == 0)
			return (int)i;
	return -1;
}

/* moby's oci/caps/defaults.go: what every container gets unless told
 * otherwise (podman's containers.conf ships the same list on Debian 12). */
uint64_t brig_rt_cap_default_set(void)
{
	static const char *const defaults[] = {
		"CHOWN",  "DAC_OVERRIDE", "FSETID", "FOWNER",	"MKNOD",
		"NET_RAW", "SETGID",	   "SETUID", "SETFCAP", "SETPCAP",
		"NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
	};
	uint64_t set = 0;

	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		set |= 1ull << brig_rt_cap_parse(defaults[i]);
	return set;
}

uint64_t brig_rt_cap_full_set(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	unsigned last = N_NAMED - 1;

	if (f) {
		unsigned v;

		if (fscanf(f, "%u", &v) == 1 && v < 64)
			last = v;
		fclose(f);
	}
	return last >= 63 ? ~0ull : (1ull << (last + 1)) - 1;
}

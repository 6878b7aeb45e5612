/* The single source of `brig config` rules (an X-macro, after git's
 * fsck.h). Each entry:
 *
 *   BRIG_RULE_xx(check_fn, "ID", SEVERITY, "title", "why it matters",
 *                "how to fix", "hadolint", "trivy", "kics", "checkov")
 *
 * xx is DF (Dockerfile), DC (Compose) or DI (.dockerignore); check_fn is
 * the function in rules_<kind>.c that implements it. Equivalents are
 * space-separated IDs of the same check in other tools ("" when none):
 * hadolint DLxxxx, Trivy AVD-DS-xxxx, KICS query ids (metadata.json "id"),
 * Checkov CKV_DOCKER_x. IDs are stable: never renumber, only append.
 * Included several times with different macro definitions; every user
 * defines the macros it needs, the rest default to nothing. */

#ifndef BRIG_RULE_DF
#define BRIG_RULE_DF(...)
#endif
#ifndef BRIG_RULE_DC
#define BRIG_RULE_DC(...)
#endif
#ifndef BRIG_RULE_DI
#define BRIG_RULE_DI(...)
#endif

/* ---- Dockerfile: base image, user, image contents ---- */
BRIG_RULE_DF(df_base_unpinned, "BRIG-DF-001", MEDIUM,
	"Base image not pinned to a version",
	"FROM names an image without a tag, or with 'latest'. The build then takes whatever the "
	"registry serves that day: builds stop being reproducible and a compromised or broken "
	"upstream push lands in your image unnoticed.",
	"Pin the base to a version tag (node:20.11-alpine3.19) and preferably to a digest "
	"(node:20.11-alpine3.19@sha256:...).",
	"DL3006 DL3007", "AVD-DS-0001",
	"9efb0b2d-89c9-41a3-91ca-dcc0aec911fd f45ea400-6bbe-4501-9fc7-1c3d75c32067", "CKV_DOCKER_7")
BRIG_RULE_DF(df_base_no_digest, "BRIG-DF-002", LOW,
	"Base image pinned by tag, not by digest",
	"A tag is mutable: the publisher (or anyone holding its registry credentials) can move it "
	"to different content. Only a digest names exact bytes.",
	"Append the digest to the tag: FROM node:20-alpine@sha256:<digest> (docker buildx "
	"imagetools inspect shows it); let a bot such as Renovate keep it current.",
	"", "", "", "")
BRIG_RULE_DF(df_base_full_os, "BRIG-DF-003", MEDIUM,
	"Full-OS base image in a shipped stage",
	"Images like ubuntu, debian or node:20 carry a whole distribution: shells, package managers "
	"and hundreds of packages the application never uses, each one a source of CVEs and a tool "
	"for an attacker. A -slim, -alpine or distroless variant of the same runtime exists.",
	"Use the smallest variant that runs the application (node:20-alpine, python:3.12-slim, "
	"gcr.io/distroless/nodejs20-debian12), or build in a full image and copy the result into "
	"a minimal one.",
	"", "", "", "")
BRIG_RULE_DF(df_no_multistage, "BRIG-DF-004", MEDIUM,
	"Single-stage build installs dependencies or compiles",
	"When the stage that installs dependencies or compiles is also the image that ships, "
	"compilers, package caches, dev dependencies and build secrets all end up in production.",
	"Split the Dockerfile: a builder stage installs and compiles, a final stage starts from a "
	"minimal base and copies only the artifacts (COPY --from=builder ...).",
	"", "", "", "")
BRIG_RULE_DF(df_no_user, "BRIG-DF-005", HIGH,
	"No USER: the container runs as root",
	"Without a USER instruction the image runs as root. A compromise of the application is then "
	"a compromise of root inside the container, one kernel or runtime bug away from the host.",
	"Create an unprivileged user and switch to it in the final stage: RUN adduser -D -u 10001 "
	"app, then USER 10001:10001.",
	"", "AVD-DS-0002", "fd54f200-402c-4333-a5a4-36ef6709af2f", "CKV_DOCKER_3")
BRIG_RULE_DF(df_user_root, "BRIG-DF-006", HIGH,
	"Last USER is root",
	"The last USER of the shipped stage decides who the container runs as; root there undoes "
	"any earlier switch to an unprivileged user.",
	"Switch back to an unprivileged user after the steps that need root: USER 10001:10001.",
	"DL3002", "AVD-DS-0002", "67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae", "CKV_DOCKER_8")
BRIG_RULE_DF(df_user_not_numeric, "BRIG-DF-007", LOW,
	"USER given by name, not by numeric UID",
	"A runtime can only prove that a user is not root when the image names it by number: "
	"Kubernetes' runAsNonRoot refuses to start images whose USER is a name, and a name can "
	"map to UID 0 in a later base image.",
	"Use the numeric UID (and GID): USER 10001:10001.",
	"", "", "", "")
BRIG_RULE_DF(df_no_healthcheck, "BRIG-DF-008", LOW,
	"No HEALTHCHECK",
	"Without a HEALTHCHECK the engine only knows that the process exists, not that it serves: "
	"a hung or half-started container stays in rotation.",
	"Add a HEALTHCHECK to the final stage, e.g. HEALTHCHECK --interval=30s --timeout=3s CMD "
	"wget -q --spider http://localhost:3000/health || exit 1.",
	"DL3057", "AVD-DS-0026", "b03a748a-542d-44f4-bb86-9199ab4fd2d5", "CKV_DOCKER_2")
BRIG_RULE_DF(df_secret_env, "BRIG-DF-009", HIGH,
	"Secret in ENV or ARG",
	"ENV values are stored in the image config and ARG values in its history: anyone who can "
	"pull the image can read them (docker history, docker inspect).",
	"Pass secrets at build time with RUN --mount=type=secret and at run time as files "
	"(Compose/Swarm secrets, /run/secrets/...), never as ENV or ARG values.",
	"", "AVD-DS-0031", "a88baa34-e2ad-44ea-ad6f-8cac87bc7c71", "")
BRIG_RULE_DF(df_npm_dev_deps, "BRIG-DF-010", MEDIUM,
	"Dependencies installed with dev packages in a shipped stage",
	"npm install (or npm ci without --omit=dev) in the image that ships installs test and "
	"build tooling next to the application, and npm install may resolve versions the lockfile "
	"does not hold.",
	"Use npm ci --omit=dev (npm < 8: --only=production) in the shipped stage, or install in a "
	"builder stage and copy node_modules after npm prune --omit=dev.",
	"", "", "", "")
BRIG_RULE_DF(df_secret_file_copied, "BRIG-DF-011", HIGH,
	"Secret file copied into the image",
	"Keys, .env files and credential files copied into a layer stay readable in that layer "
	"even if a later step deletes them.",
	"Keep the file out of the build context (.dockerignore) and mount it only where it is "
	"needed: RUN --mount=type=secret,id=...",
	"", "AVD-DS-0031", "", "")
BRIG_RULE_DF(df_add_local, "BRIG-DF-012", LOW,
	"ADD used for local files",
	"ADD silently unpacks archives and can fetch URLs; for plain files COPY does the same with "
	"no surprises.",
	"Use COPY for local files and directories; keep ADD for local tar archives you mean to "
	"extract.",
	"DL3020", "AVD-DS-0005", "9513a694-aa0d-41d8-be61-3271e056f36b", "CKV_DOCKER_4")
BRIG_RULE_DF(df_add_remote, "BRIG-DF-013", MEDIUM,
	"ADD fetches a remote URL without a checksum",
	"ADD <url> downloads at build time with no integrity check: whoever controls the server or "
	"the network path chooses what goes into the image.",
	"Pin the content with ADD --checksum=sha256:<digest> <url>, or download with curl/wget and "
	"verify the checksum or signature in the same RUN.",
	"", "", "4b410d24-1cbe-4430-a632-62c9a931cf1c", "")
BRIG_RULE_DF(df_curl_pipe_shell, "BRIG-DF-014", MEDIUM,
	"Downloaded script piped into an interpreter",
	"curl ... | sh runs whatever the server returns, unverified, as the build user (usually "
	"root), and a truncated download runs half a script.",
	"Download to a file, verify its checksum or signature, then run it.",
	"", "", "", "")
BRIG_RULE_DF(df_pipefail, "BRIG-DF-015", LOW,
	"Pipe without set -o pipefail",
	"A pipeline's status is that of its last command: in curl ... | tar x a failed download "
	"still lets the build succeed with a broken image.",
	"Start the RUN with set -o pipefail (bash, zsh, ash) or set SHELL [\"/bin/bash\", \"-o\", "
	"\"pipefail\", \"-c\"] before it.",
	"DL4006", "", "efbf148a-67e9-42d2-ac47-02fa1c0d0b22", "")
BRIG_RULE_DF(df_tls_disabled, "BRIG-DF-016", HIGH,
	"TLS certificate verification disabled",
	"curl -k, wget --no-check-certificate, pip --trusted-host, npm strict-ssl false, "
	"NODE_TLS_REJECT_UNAUTHORIZED=0 and the like accept any certificate: anyone on the network "
	"path can substitute what the build downloads, or what the application talks to.",
	"Keep verification on; if a private CA is needed, install its certificate "
	"(update-ca-certificates, NODE_EXTRA_CA_CERTS, pip --cert).",
	"", "",  "",
	"CKV2_DOCKER_2 CKV2_DOCKER_3 CKV2_DOCKER_4 CKV2_DOCKER_5 CKV2_DOCKER_6 CKV2_DOCKER_12 "
	"CKV2_DOCKER_13 CKV2_DOCKER_14 CKV2_DOCKER_15 CKV2_DOCKER_16")
BRIG_RULE_DF(df_signature_disabled, "BRIG-DF-017", HIGH,
	"Package signature verification disabled",
	"--allow-unauthenticated, --force-yes, --nogpgcheck, rpm --nosignature and apk "
	"--allow-untrusted install packages whose origin nobody checked.",
	"Import the repository's signing key and keep signature checks on.",
	"", "", "", "CKV2_DOCKER_7 CKV2_DOCKER_8 CKV2_DOCKER_9 CKV2_DOCKER_10 CKV2_DOCKER_11")
BRIG_RULE_DF(df_sudo, "BRIG-DF-018", MEDIUM,
	"sudo in RUN",
	"RUN already runs as the current USER; sudo in a build has unpredictable TTY and signal "
	"behaviour and means sudo (a setuid root binary) is installed in the image.",
	"Switch users with USER around the steps that need root, or use su-exec/gosu in an "
	"entrypoint; remove sudo from the image.",
	"DL3004", "AVD-DS-0010", "8ada6e80-0ade-439e-b176-0b28f6bce35a", "CKV2_DOCKER_1")
BRIG_RULE_DF(df_chmod_world_writable, "BRIG-DF-019", MEDIUM,
	"World-writable permissions",
	"chmod 777 (or o+w, --chmod=777) lets any user in the container, including a compromised "
	"application, rewrite those files.",
	"Give write access only to the user that needs it (chown it to that user, mode 755/644, "
	"or 700/600).",
	"", "", "", "")
BRIG_RULE_DF(df_chown_flag, "BRIG-DF-020", LOW,
	"COPY/ADD --chown hands files to a non-root user",
	"Files owned by the runtime user can be modified by the running application: a "
	"compromise can rewrite its own code. Executables need only read and execute permission.",
	"Leave copied application files owned by root (readable by all) and give the runtime user "
	"write access only to the directories it must write.",
	"", "", "aa93e17f-b6db-4162-9334-c70334e7ac28", "")
BRIG_RULE_DF(df_expose_ssh, "BRIG-DF-021", LOW,
	"Port 22 exposed",
	"An SSH server in a container is an extra way in that bypasses the engine's access "
	"control; use docker exec for debugging.",
	"Remove EXPOSE 22 and the SSH server.",
	"", "AVD-DS-0004", "5907595b-5b6d-4142-b173-dbb0e73fbff8", "CKV_DOCKER_1")
BRIG_RULE_DF(df_expose_range, "BRIG-DF-022", LOW,
	"Exposed port out of range",
	"TCP and UDP ports are 0-65535; anything else is a typo the engine will reject.",
	"Fix the port number.",
	"DL3011", "AVD-DS-0008", "71bf8cf8-f0a1-42fa-b9d2-d10525e0a38e", "")

/* ---- Dockerfile: package managers ---- */
BRIG_RULE_DF(df_update_alone, "BRIG-DF-023", LOW,
	"Package index updated in a separate RUN",
	"apt-get update (apk update, yum update...) in its own RUN is cached as a layer: later "
	"installs reuse that stale index and install outdated packages, or fail.",
	"Update and install in the same RUN: RUN apt-get update && apt-get install -y ... && rm -rf "
	"/var/lib/apt/lists/*.",
	"", "AVD-DS-0017", "9bae49be-0aa3-4de5-bab2-4c3a069e40cd", "CKV_DOCKER_5")
BRIG_RULE_DF(df_apt_no_yes, "BRIG-DF-024", LOW,
	"apt-get install without -y",
	"Without -y apt-get waits for a confirmation no one can give: the build aborts or hangs.",
	"Use apt-get install -y (or --yes, -qq).",
	"DL3014", "AVD-DS-0021", "77783205-c4ca-4f80-bb80-c777f267c547", "")
BRIG_RULE_DF(df_apt_recommends, "BRIG-DF-025", LOW,
	"apt-get install without --no-install-recommends",
	"Recommended packages are not needed to run the software; they add size and attack "
	"surface.",
	"Use apt-get install -y --no-install-recommends ...",
	"DL3015", "AVD-DS-0029", "7384dfb2-fcd1-4fbf-91cd-6c44c318c33c", "")
BRIG_RULE_DF(df_apt_lists, "BRIG-DF-026", LOW,
	"apt lists not removed in the same RUN",
	"The package lists apt-get update downloads stay in the layer (tens of MB) unless the same "
	"RUN removes them.",
	"End the install RUN with apt-get clean && rm -rf /var/lib/apt/lists/*, or use RUN "
	"--mount=type=cache,target=/var/lib/apt.",
	"DL3009", "", "df746b39-6564-4fed-bf85-e9c44382303c", "")
BRIG_RULE_DF(df_apt_pin, "BRIG-DF-027", LOW,
	"apt-get install without version pins",
	"Unpinned packages make the image depend on the day it was built.",
	"Pin versions (apt-get install -y curl=7.88.1-10+deb12u5) or pin the whole base by digest "
	"and rebuild deliberately.",
	"DL3008", "", "965a08d7-ef86-4f14-8792-4a3b2098937e", "")
BRIG_RULE_DF(df_apt_cli, "BRIG-DF-028", LOW,
	"apt used instead of apt-get",
	"apt's command line is meant for people and may change between releases; it warns that it "
	"has no stable interface for scripts.",
	"Use apt-get or apt-cache in Dockerfiles.",
	"DL3027", "", "b84a0b47-2e99-4c9f-8933-98bcabe2b94d", "CKV_DOCKER_9")
BRIG_RULE_DF(df_apt_dist_upgrade, "BRIG-DF-029", LOW,
	"apt-get dist-upgrade in a build",
	"dist-upgrade may change the distribution release under the base image's feet, with "
	"dependency changes the base's maintainers never tested.",
	"Use a newer base image instead, or apt-get upgrade for security updates.",
	"DL3005", "AVD-DS-0024", "", "")
BRIG_RULE_DF(df_apk_cache, "BRIG-DF-030", LOW,
	"apk add without --no-cache",
	"apk keeps its index and downloaded packages in /var/cache/apk, which then ships in the "
	"layer.",
	"Use apk add --no-cache ...",
	"DL3019", "AVD-DS-0025", "ae9c56a6-3ed1-4ac0-9b54-31267f51151d", "")
BRIG_RULE_DF(df_apk_pin, "BRIG-DF-031", LOW,
	"apk add without version pins",
	"Unpinned packages make the image depend on the day it was built.",
	"Pin versions: apk add --no-cache curl=8.5.0-r0 (or a range: curl~8.5).",
	"DL3018", "", "d3499f6d-1651-41bb-a9a7-de925fea487b", "")
BRIG_RULE_DF(df_yum_yes, "BRIG-DF-032", LOW,
	"yum install without -y",
	"Without -y yum waits for a confirmation: the build aborts.",
	"Use yum install -y ...",
	"DL3030", "", "6e19193a-8753-436d-8a09-76dcff91bb03", "")
BRIG_RULE_DF(df_yum_clean, "BRIG-DF-033", LOW,
	"yum clean all missing",
	"yum's metadata and package cache stay in the layer unless the same RUN cleans them.",
	"End the RUN with yum clean all (and rm -rf /var/cache/yum).",
	"DL3032", "AVD-DS-0015", "00481784-25aa-4a55-8633-3136dfcf4f37", "")
BRIG_RULE_DF(df_yum_pin, "BRIG-DF-034", LOW,
	"yum install without version pins",
	"Unpinned packages make the image depend on the day it was built.",
	"Pin versions: yum install -y httpd-2.4.57.",
	"DL3033", "", "6452c424-1d92-4deb-bb18-a03e95d579c4", "")
BRIG_RULE_DF(df_dnf_yes, "BRIG-DF-035", LOW,
	"dnf install without -y",
	"Without -y dnf (microdnf, tdnf) waits for a confirmation: the build aborts.",
	"Use dnf install -y ...",
	"DL3038", "", "7ebd323c-31b7-4e5b-b26f-de5e9e477af8", "")
BRIG_RULE_DF(df_dnf_clean, "BRIG-DF-036", LOW,
	"dnf clean all missing",
	"dnf's (and microdnf's) metadata and package cache stay in the layer unless the same RUN "
	"cleans them.",
	"End the RUN with dnf clean all (microdnf clean all).",
	"DL3040", "AVD-DS-0019 AVD-DS-0027", "295acb63-9246-4b21-b441-7c1f1fb62dc0", "")
BRIG_RULE_DF(df_dnf_pin, "BRIG-DF-037", LOW,
	"dnf install without version pins",
	"Unpinned packages make the image depend on the day it was built.",
	"Pin versions: dnf install -y httpd-2.4.57.",
	"DL3041", "", "93d88cf7-f078-46a8-8ddc-178e03aeacf1", "")
BRIG_RULE_DF(df_zypper_yes, "BRIG-DF-038", LOW,
	"zypper install without --non-interactive",
	"zypper asks for confirmation unless told not to: the build aborts.",
	"Use zypper --non-interactive install ... (or install -y).",
	"DL3034", "", "45e1fca5-f90e-465d-825f-c2cb63fa3944", "")
BRIG_RULE_DF(df_zypper_clean, "BRIG-DF-039", LOW,
	"zypper clean missing",
	"zypper's caches stay in the layer unless the same RUN cleans them.",
	"End the RUN with zypper clean -a.",
	"DL3036", "AVD-DS-0020", "38300d1a-feb2-4a48-936a-d1ef1cd24313", "")
BRIG_RULE_DF(df_zypper_pin, "BRIG-DF-040", LOW,
	"zypper install without version pins",
	"Unpinned packages make the image depend on the day it was built.",
	"Pin versions: zypper install -y httpd=2.4.57.",
	"DL3037", "", "562952e4-0348-4dea-9826-44f3a2c6117b", "")
BRIG_RULE_DF(df_pip_cache, "BRIG-DF-041", LOW,
	"pip install without --no-cache-dir",
	"pip keeps downloaded wheels in ~/.cache/pip, which then ships in the layer.",
	"Use pip install --no-cache-dir ..., set ENV PIP_NO_CACHE_DIR=1, or use a cache mount.",
	"DL3042", "", "f2f903fb-b977-461e-98d7-b3e2185c6118", "")
BRIG_RULE_DF(df_pip_pin, "BRIG-DF-042", LOW,
	"pip install without version pins",
	"Unpinned packages make the image depend on the day it was built, and on whatever the "
	"index serves under that name.",
	"Pin versions (pip install flask==3.0.2) or install from a requirements file with pinned "
	"versions and hashes (pip install --require-hashes -r requirements.txt).",
	"DL3013", "", "02d9c71f-3ee8-4986-9c27-1a20d0d19bfc", "")
BRIG_RULE_DF(df_npm_pin, "BRIG-DF-043", LOW,
	"npm install of a package without a version",
	"npm install <pkg> takes whatever version the registry calls latest that day.",
	"Pin the version (npm install sax@1.3.0) or list the package in package.json and install "
	"from the lockfile with npm ci.",
	"DL3016", "", "e36d8880-3f78-4546-b9a1-12f0745ca0d5", "")
BRIG_RULE_DF(df_gem_pin, "BRIG-DF-044", LOW,
	"gem install without a version",
	"gem install <name> takes whatever version the registry serves that day.",
	"Pin the version: gem install bundler:2.5.6 (or -v 2.5.6).",
	"DL3028", "", "22cd11f7-9c6c-4f6e-84c0-02058120b341", "")
BRIG_RULE_DF(df_wget_and_curl, "BRIG-DF-045", LOW,
	"Both wget and curl used",
	"Two download tools do the same job; keeping both doubles what must be patched.",
	"Use one of them throughout the stage.",
	"DL4001", "AVD-DS-0014", "fc775e75-fcfb-4c98-b2f2-910c5858b359", "")

/* ---- Dockerfile: instructions and structure ---- */
BRIG_RULE_DF(df_run_cd, "BRIG-DF-046", LOW,
	"RUN cd instead of WORKDIR",
	"cd in a RUN lasts only for that RUN: a lone or relative cd hides which directory later "
	"steps run in.",
	"Use WORKDIR /absolute/path.",
	"DL3003", "AVD-DS-0013", "f4a6bcd3-e231-4acf-993c-aa027be50d2e", "")
BRIG_RULE_DF(df_run_utility, "BRIG-DF-047", LOW,
	"Interactive or pointless command in RUN",
	"ps, top, kill, ssh, vim, service, shutdown, mount and free do nothing useful at build "
	"time; their presence suggests tooling that should not ship.",
	"Remove the command.",
	"DL3001", "", "9b6b0f38-92a2-41f9-b881-3a1083d99f1b", "")
BRIG_RULE_DF(df_shell_change, "BRIG-DF-048", LOW,
	"Default shell changed with RUN",
	"Relinking /bin/sh (or running every step through powershell) changes what every later "
	"RUN means without saying so.",
	"Use the SHELL instruction.",
	"DL4005", "", "8a301064-c291-4b20-adcb-403fe7fd95fd", "")
BRIG_RULE_DF(df_workdir_relative, "BRIG-DF-049", LOW,
	"WORKDIR path not absolute",
	"A relative WORKDIR depends on every earlier WORKDIR (and the base image's): easy to get "
	"wrong when the file changes.",
	"Use an absolute path: WORKDIR /app.",
	"DL3000", "AVD-DS-0009", "6b376af8-cfe8-49ab-a08d-f32de23661a4", "CKV_DOCKER_10")
BRIG_RULE_DF(df_maintainer, "BRIG-DF-050", LOW,
	"MAINTAINER is deprecated",
	"MAINTAINER has been deprecated since Docker 1.13.",
	"Use LABEL org.opencontainers.image.authors=\"...\".",
	"DL4000", "AVD-DS-0022", "99614418-f82b-4852-a9ae-5051402b741c", "CKV_DOCKER_6")
BRIG_RULE_DF(df_multiple_cmd, "BRIG-DF-051", LOW,
	"Several CMD in one stage",
	"Only the last CMD of a stage takes effect; the others mislead the reader.",
	"Keep one CMD per stage.",
	"DL4003", "AVD-DS-0016", "41c195f4-fc31-4a5c-8a1b-90605538d49f", "")
BRIG_RULE_DF(df_multiple_entrypoint, "BRIG-DF-052", LOW,
	"Several ENTRYPOINT in one stage",
	"Only the last ENTRYPOINT of a stage takes effect; the others mislead the reader.",
	"Keep one ENTRYPOINT per stage.",
	"DL4004", "AVD-DS-0007", "6938958b-3f1a-451c-909b-baeee14bdc97", "")
BRIG_RULE_DF(df_multiple_healthcheck, "BRIG-DF-053", LOW,
	"Several HEALTHCHECK in one stage",
	"Only the last HEALTHCHECK of a stage takes effect; the others mislead the reader.",
	"Keep one HEALTHCHECK per stage.",
	"DL3012", "AVD-DS-0023", "", "")
BRIG_RULE_DF(df_cmd_shell_form, "BRIG-DF-054", LOW,
	"CMD or ENTRYPOINT in shell form",
	"The shell form runs the process under /bin/sh -c: it is not PID 1, does not receive "
	"SIGTERM, and is killed after the stop timeout instead of shutting down cleanly.",
	"Use the JSON (exec) form: CMD [\"node\", \"server.js\"].",
	"DL3025", "", "b86987e1-6397-4619-81d5-8807f2387c79", "")
BRIG_RULE_DF(df_stage_dup, "BRIG-DF-055", MEDIUM,
	"Duplicate stage name",
	"Two FROM ... AS with the same name make COPY --from=<name> ambiguous.",
	"Give every stage its own name.",
	"DL3024", "AVD-DS-0012", "f2daed12-c802-49cd-afed-fe41d0b82fed", "CKV_DOCKER_11")
BRIG_RULE_DF(df_copy_from_self, "BRIG-DF-056", MEDIUM,
	"COPY --from names its own stage",
	"A stage cannot copy from itself; the build fails or pulls an image of that name.",
	"Name the stage you meant.",
	"DL3023", "AVD-DS-0006", "cdddb86f-95f6-4fc4-b5a1-483d9afceb2b", "")
BRIG_RULE_DF(df_copy_from_unknown, "BRIG-DF-057", MEDIUM,
	"COPY --from names no earlier stage",
	"A --from that matches no earlier stage is pulled as an image of that name: a typo becomes "
	"a pull from Docker Hub of whatever someone published under it.",
	"Name an earlier stage (FROM ... AS <name>), or give a full image reference with a tag.",
	"DL3022", "", "", "")
BRIG_RULE_DF(df_copy_from_index, "BRIG-DF-058", LOW,
	"COPY --from names a stage by number",
	"Stage numbers change when a stage is added or moved; the COPY then silently takes files "
	"from another stage.",
	"Name the stage (FROM ... AS builder) and use --from=builder.",
	"", "", "68a51e22-ae5a-4d48-8e87-b01a323605c9", "")
BRIG_RULE_DF(df_copy_dest_slash, "BRIG-DF-059", MEDIUM,
	"COPY of several sources to a destination without /",
	"With more than one source the destination must be a directory ending in /; the build "
	"fails otherwise.",
	"End the destination with /: COPY package.json package-lock.json ./",
	"DL3021", "AVD-DS-0011", "6db6e0c2-32a3-4a2e-93b5-72c35f4119db", "")
BRIG_RULE_DF(df_consecutive, "BRIG-DF-060", LOW,
	"Consecutive RUN, COPY or ADD that could be one layer",
	"Each instruction adds a layer; consecutive RUNs (or copies to the same destination) make "
	"the image larger and slower to pull.",
	"Join them: one RUN with &&, one COPY with several sources.",
	"DL3059", "", "0008c003-79aa-42d8-95b8-1c2fe37dbfe6", "")
BRIG_RULE_DF(df_from_platform, "BRIG-DF-061", LOW,
	"FROM --platform with a fixed platform",
	"A hard-coded platform breaks multi-platform builds and, on another host, runs under "
	"emulation.",
	"Drop --platform, or use --platform=$BUILDPLATFORM / $TARGETPLATFORM.",
	"DL3029", "", "b16e8501-ef3c-44e1-a543-a093238099c9", "")
BRIG_RULE_DF(df_workdir_system, "BRIG-DF-062", HIGH,
	"WORKDIR on a system directory",
	"WORKDIR under /proc, /sys, /dev, /boot, /initrd or /lost+found makes the build and every "
	"later RUN, COPY and the running container work inside kernel interfaces, device nodes "
	"or the boot partition: files written there are lost, or change the host's view when "
	"those paths are mounted from it.",
	"Use an application directory: WORKDIR /app (or /srv, /opt/<name>).",
	"", "AVD-DS-0030", "", "")

/* ---- Compose ---- */
BRIG_RULE_DC(dc_privileged, "BRIG-DC-001", HIGH,
	"Privileged container",
	"privileged: true gives the container every capability and every host device, and turns "
	"off seccomp and AppArmor: root in it is root on the host.",
	"Remove privileged and add only the capabilities and devices the service needs.",
	"", "", "ae5b6871-7f45-42e0-bb4c-ab300c4d2026", "")
BRIG_RULE_DC(dc_host_network, "BRIG-DC-002", MEDIUM,
	"Host network namespace shared",
	"network_mode: host puts the container on the host's interfaces: it can reach services "
	"bound to localhost and bind any host port.",
	"Use a bridge network and publish only the ports needed.",
	"", "", "071a71ff-f868-47a4-ac0b-3c59e4ab5443", "")
BRIG_RULE_DC(dc_host_pid, "BRIG-DC-003", HIGH,
	"Host PID namespace shared",
	"pid: host lets the container see, and with the right capabilities signal or ptrace, every "
	"process on the host.",
	"Remove pid: host.",
	"", "", "4f31dd9f-2cc3-4751-9b53-67e4af83dac0", "")
BRIG_RULE_DC(dc_host_ipc, "BRIG-DC-004", MEDIUM,
	"Host IPC namespace shared",
	"ipc: host exposes the host's shared memory and semaphores to the container.",
	"Remove ipc: host (use shareable/service: to share IPC between containers).",
	"", "", "baa3890f-bed7-46f5-ab8f-1da8fc91c729", "")
BRIG_RULE_DC(dc_host_uts, "BRIG-DC-005", LOW,
	"Host UTS namespace shared",
	"uts: host lets the container change the host's hostname.",
	"Remove uts: host.",
	"", "", "", "")
BRIG_RULE_DC(dc_host_userns, "BRIG-DC-006", MEDIUM,
	"Host user namespace shared",
	"userns_mode: host opts the container out of the engine's user-namespace remapping: its "
	"root is the host's root.",
	"Remove userns_mode: host.",
	"", "", "8af7162d-6c98-482f-868e-0d33fb675ca8", "")
BRIG_RULE_DC(dc_engine_socket, "BRIG-DC-007", CRITICAL,
	"Docker or podman socket mounted",
	"Whoever can talk to the engine socket can start a privileged container that mounts the "
	"host's /: the socket is root on the host.",
	"Do not mount the socket; if a tool needs the API, put a filtering proxy in front of it "
	"or use rootless podman.",
	"", "", "d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b", "")
BRIG_RULE_DC(dc_sensitive_mount, "BRIG-DC-008", HIGH,
	"Sensitive host path mounted",
	"Mounting /, /etc, /proc, /sys, /boot, /dev, /var, /usr or /root of the host gives the "
	"container host credentials, kernel knobs or the means to change the host.",
	"Mount only the application's own data directories, read-only where possible.",
	"", "", "1c1325ff-831d-43a1-973e-839ae57dfcc0", "")
BRIG_RULE_DC(dc_cap_drop, "BRIG-DC-009", MEDIUM,
	"Capabilities not dropped",
	"Without cap_drop: [ALL] the container keeps Docker's default capabilities (CHOWN, "
	"DAC_OVERRIDE, NET_RAW, SETUID...), most of which an application never uses.",
	"Add cap_drop: [ALL] and cap_add only what the service needs (e.g. NET_BIND_SERVICE).",
	"", "", "ce76b7d0-9e77-464d-b86f-c5c48e03e22d", "")
BRIG_RULE_DC(dc_cap_add, "BRIG-DC-010", HIGH,
	"Dangerous capability added",
	"cap_add: ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE and similar give the container "
	"powers that amount to, or lead to, root on the host.",
	"Remove the capability; find the narrower one the service needs.",
	"", "", "ce76b7d0-9e77-464d-b86f-c5c48e03e22d", "")
BRIG_RULE_DC(dc_no_new_privileges, "BRIG-DC-011", MEDIUM,
	"no-new-privileges not set",
	"Without no-new-privileges a process in the container can gain privileges through setuid "
	"binaries or file capabilities.",
	"Add security_opt: [\"no-new-privileges:true\"].",
	"", "", "27fcc7d6-c49b-46e0-98f1-6c082a6a2750", "")
BRIG_RULE_DC(dc_unconfined, "BRIG-DC-012", HIGH,
	"seccomp, AppArmor or SELinux confinement disabled",
	"seccomp:unconfined, apparmor:unconfined or label:disable removes the kernel filters that "
	"stop most container escapes.",
	"Remove the option; if the default profile is too strict, write a custom profile that "
	"allows the missing calls.",
	"", "", "404fde2c-bc4b-4371-9747-7054132ac953", "")
BRIG_RULE_DC(dc_read_only, "BRIG-DC-013", MEDIUM,
	"Root filesystem writable",
	"A writable root filesystem lets a compromised process drop tools and modify the "
	"application.",
	"Set read_only: true and give the paths that must be written a tmpfs or a volume.",
	"", "", "", "")
BRIG_RULE_DC(dc_tmpfs, "BRIG-DC-014", LOW,
	"Read-only service without tmpfs",
	"With read_only: true and no tmpfs or volume, anything that writes /tmp fails at run time, "
	"which tends to get the hardening reverted.",
	"Add tmpfs: [\"/tmp:size=64M\"] (and other writable paths the service needs).",
	"", "", "", "")
BRIG_RULE_DC(dc_memory, "BRIG-DC-015", MEDIUM,
	"Memory not limited",
	"Without a memory limit one container can exhaust the host's memory and get other "
	"services killed.",
	"Set deploy.resources.limits.memory (or mem_limit).",
	"", "", "bb9ac4f7-e13b-423d-a010-c74a1bfbe492", "")
BRIG_RULE_DC(dc_cpus, "BRIG-DC-016", LOW,
	"CPU not limited",
	"Without a CPU limit one container can starve the others.",
	"Set deploy.resources.limits.cpus (or cpus).",
	"", "", "6b610c50-99fb-4ef0-a5f3-e312fd945bc3", "")
BRIG_RULE_DC(dc_pids, "BRIG-DC-017", MEDIUM,
	"Process count not limited",
	"Without a pids limit a fork bomb in one container exhausts the host's process table.",
	"Set deploy.resources.limits.pids (or pids_limit) to a positive number.",
	"", "", "221e0658-cb2a-44e3-b08a-db96a341d6fa", "")
BRIG_RULE_DC(dc_healthcheck, "BRIG-DC-018", LOW,
	"No healthcheck",
	"Without a healthcheck the engine cannot tell a hung service from a working one, and "
	"depends_on: condition: service_healthy cannot work.",
	"Add a healthcheck (or a HEALTHCHECK in the image) and do not disable it.",
	"", "", "698ed579-b239-4f8f-a388-baa4bcb13ef8", "")
BRIG_RULE_DC(dc_restart, "BRIG-DC-019", LOW,
	"No bounded restart policy",
	"Without a restart policy a crashed service stays down; an unbounded on-failure retry "
	"hides a crash loop (CIS Docker 5.14 recommends on-failure with 5 retries).",
	"Set restart: on-failure:5 (or unless-stopped), or deploy.restart_policy with "
	"max_attempts: 5.",
	"", "", "2fc99041-ddad-49d5-853f-e35e70a48391", "")
BRIG_RULE_DC(dc_ports_all_interfaces, "BRIG-DC-020", MEDIUM,
	"Port published on all interfaces",
	"A port published without a host IP listens on every interface of the host, and Docker's "
	"iptables rules bypass host firewalls such as ufw.",
	"Bind to the interface that needs it: \"127.0.0.1:3000:3000\".",
	"", "", "451d79dc-0588-476a-ad03-3c7f0320abb3", "")
BRIG_RULE_DC(dc_privileged_ports, "BRIG-DC-021", LOW,
	"Privileged port mapped",
	"Ports below 1024 need NET_BIND_SERVICE (or root) in the container.",
	"Listen on a port above 1023 inside the container and map it: \"80:8080\" becomes "
	"\"8080:8080\" behind a proxy, and drop NET_BIND_SERVICE.",
	"", "", "bc2908f3-f73c-40a9-8793-c1b7d5544f79", "")
BRIG_RULE_DC(dc_cgroup, "BRIG-DC-022", LOW,
	"cgroup not default",
	"cgroup: host or a custom cgroup_parent moves the container out of the cgroup the engine "
	"manages, and with it out of its resource limits.",
	"Remove cgroup: host and cgroup_parent.",
	"", "", "4d9f44c6-2f4a-4317-9bb5-267adbea0232", "")
BRIG_RULE_DC(dc_shared_volume, "BRIG-DC-023", LOW,
	"Writable volume shared between services",
	"A volume two services can write lets one compromised service plant files the other will "
	"read or execute.",
	"Give each service its own volume, or mount the shared one read-only (:ro) where it is "
	"only read.",
	"", "", "8c978947-0ff6-485c-b0c2-0bfca6026466", "")
BRIG_RULE_DC(dc_mount_propagation, "BRIG-DC-024", MEDIUM,
	"Mount propagation shared with the host",
	"shared or slave propagation lets mounts made on one side appear on the other: a container "
	"can see or create host mounts.",
	"Use the default (rprivate) propagation.",
	"", "", "baa452f0-1f21-4a25-ace5-844e7a5f410d", "")
BRIG_RULE_DC(dc_secret_env, "BRIG-DC-025", HIGH,
	"Secret in environment",
	"Environment variables are visible in docker inspect, /proc/<pid>/environ and crash "
	"reports, and end up in version control with the Compose file.",
	"Use Compose secrets (a file mounted at /run/secrets/<name>) and read the file in the "
	"application; many images accept a <NAME>_FILE variable for this.",
	"", "", "a88baa34-e2ad-44ea-ad6f-8cac87bc7c71", "")
BRIG_RULE_DC(dc_image_unpinned, "BRIG-DC-026", MEDIUM,
	"Service image not pinned to a version",
	"image: name or name:latest pulls whatever the registry serves that day.",
	"Pin a version tag, preferably with a digest: image: redis:7.2-alpine@sha256:...",
	"", "", "", "")
BRIG_RULE_DC(dc_user_root, "BRIG-DC-027", MEDIUM,
	"Service runs as root",
	"user: root (or 0) overrides the image's unprivileged USER.",
	"Remove user, or set a non-root numeric UID: user: \"10001:10001\".",
	"", "", "", "")

/* ---- .dockerignore ---- */
BRIG_RULE_DI(di_missing, "BRIG-DI-001", MEDIUM,
	"No .dockerignore while the whole context is copied",
	"COPY . copies everything in the build context into the image: .git history, .env files, "
	"keys and local node_modules included.",
	"Add a .dockerignore beside the Dockerfile that excludes .git, node_modules, .env*, "
	"secrets and keys.",
	"", "", "", "")
BRIG_RULE_DI(di_git, "BRIG-DI-002", MEDIUM,
	".git not excluded from the build context",
	"The .git directory holds the full history, including files and secrets deleted long ago.",
	"Add .git to .dockerignore.",
	"", "", "", "")
BRIG_RULE_DI(di_node_modules, "BRIG-DI-003", LOW,
	"node_modules not excluded from the build context",
	"A local node_modules (built for the host, with dev dependencies) overwrites what the build "
	"installs and bloats the context.",
	"Add node_modules to .dockerignore.",
	"", "", "", "")
BRIG_RULE_DI(di_env, "BRIG-DI-004", MEDIUM,
	".env files not excluded from the build context",
	".env files hold local credentials; COPY . puts them in the image.",
	"Add .env and .env.* to .dockerignore.",
	"", "", "", "")
BRIG_RULE_DI(di_keys, "BRIG-DI-005", MEDIUM,
	"Keys and secrets not excluded from the build context",
	"Private keys, certificates and secrets directories in the context end up in the image "
	"with COPY .",
	"Add secrets/, *.pem, *.key, id_rsa* (and the like) to .dockerignore.",
	"", "", "", "")

#undef BRIG_RULE_DF
#undef BRIG_RULE_DC
#undef BRIG_RULE_DI

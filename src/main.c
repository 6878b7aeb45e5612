/* brig: one command table, one file per subcommand (after git.c). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "core/error.h"

struct brig_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct brig_command commands[] = {
	{"image", cmd_image, "scan a container image (archive, OCI layout, registry, engine)"},
	{"rootfs", cmd_rootfs, "scan an unpacked root filesystem"},
	{"fs", cmd_fs, "scan a project directory (lock files, node_modules)"},
	{"db", cmd_db, "import, update and inspect the vulnerability database"},
	{"runtime", cmd_runtime, "audit running containers and the engine"},
	{"config", cmd_config, "lint Dockerfiles, compose files and .dockerignore"},
};

static void usage(FILE *out)
{
	fputs("Usage: brig <command> [flags] [target]\n\n"
	      "brig keeps Docker containers safe: vulnerabilities, SBOMs and hardening checks.\n\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nRun 'brig <command> --help' for the flags of a command.\n"
	      "Exit codes: 0 clean, --exit-code N when findings pass the filters, 2 on error.\n",
	      out);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return BRIG_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return BRIG_EXIT_CLEAN;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("brig %s\n", BRIG_VERSION);
		return BRIG_EXIT_CLEAN;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "brig: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return BRIG_EXIT_ERROR;
}

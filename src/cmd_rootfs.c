/* brig rootfs DIR / brig fs DIR: the analyzers over a directory tree. */
#include <stdio.h>

#include "commands.h"
#include "image/view.h"
#include "options.h"
#include "scan_common.h"
#include "source/dir.h"

static int scan_dir(int argc, char **argv, const char *usage, const char *artifact_type)
{
	struct scan_flags fl;
	struct brig_layer_facts facts = {0};
	const struct brig_layer_facts *layers[1] = {&facts};
	struct brig_inventory inv = {0};
	struct brig_error err = {0};
	int npos = 0, rc;

	scan_flags_init(&fl);
	{
		const struct brig_option opts[] = {
			SCAN_COMMON_OPTIONS(&fl),
			OPT_END(),
		};

		rc = brig_parse_options(argc, argv, opts, usage, &npos);
		if (rc != 0)
			return rc > 0 ? BRIG_EXIT_CLEAN : BRIG_EXIT_ERROR;
	}
	scan_flags_apply_logging(&fl);
	if (npos != 1) {
		fprintf(stderr, "brig: %s: give exactly one DIR\n%s\n", argv[-0] ? "scan" : "", usage);
		return BRIG_EXIT_ERROR;
	}
	if (brig_dir_collect(argv[0], &facts, &err) < 0) {
		brig_layer_facts_free(&facts);
		return scan_fail(&err);
	}
	brig_view_build(layers, NULL, 1, &inv);
	rc = scan_finish(&fl, argv[0], artifact_type, NULL, &inv);
	brig_inventory_free(&inv);
	brig_layer_facts_free(&facts);
	return rc;
}

int cmd_rootfs(int argc, char **argv)
{
	return scan_dir(argc, argv,
			"Usage: brig rootfs [flags] DIR\n\nScan an unpacked root filesystem (OS and "
			"npm packages).",
			"rootfs");
}

int cmd_fs(int argc, char **argv)
{
	return scan_dir(argc, argv,
			"Usage: brig fs [flags] DIR\n\nScan a project directory (package-lock.json, "
			"yarn.lock, node_modules).",
			"filesystem");
}

#include <stdio.h>

#include "commands.h"
#include "core/error.h"

int cmd_image(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("brig: image: not built yet\n", stderr);
	return BRIG_EXIT_ERROR;
}

int cmd_rootfs(int argc, char **argv)
{
	return cmd_image(argc, argv);
}

int cmd_fs(int argc, char **argv)
{
	return cmd_image(argc, argv);
}

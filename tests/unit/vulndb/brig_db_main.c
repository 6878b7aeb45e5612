/* A stand-alone 'brig db' for the vulndb tests and benchmark, so that they
 * do not depend on src/main.c's command table: brig-db ARGS == brig db ARGS. */
#include "core/error.h"

int cmd_db(int argc, char **argv);

int main(int argc, char **argv)
{
	if (argc < 1)
		return BRIG_EXIT_ERROR;
	argv[0] = (char *)"db";
	return cmd_db(argc, argv);
}

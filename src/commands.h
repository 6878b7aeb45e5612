#ifndef BRIG_SRC_COMMANDS_H
#define BRIG_SRC_COMMANDS_H

/* Each subcommand: argv[0] is the subcommand name. Returns the exit code. */
int cmd_image(int argc, char **argv);
int cmd_rootfs(int argc, char **argv);
int cmd_fs(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_runtime(int argc, char **argv);
int cmd_config(int argc, char **argv);

#endif

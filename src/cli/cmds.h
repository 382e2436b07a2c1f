/* Subcommands of the bspgpu command: one file each, one table in main.c.
 * Each takes argv[0] = its own name; returns the process exit code:
 * 0 success, 1 failure (bad input, runtime error), 2 misuse. */
#ifndef BSPGPU_CLI_CMDS_H
#define BSPGPU_CLI_CMDS_H

int bsp_cmd_fit(int argc, char **argv);
int bsp_cmd_predict(int argc, char **argv);
int bsp_cmd_score(int argc, char **argv);
int bsp_cmd_crossboard(int argc, char **argv);
int bsp_cmd_board(int argc, char **argv);
int bsp_cmd_calibrate(int argc, char **argv);
int bsp_cmd_profile(int argc, char **argv);
int bsp_cmd_import(int argc, char **argv);
int bsp_cmd_timeline(int argc, char **argv);
int bsp_cmd_apptime(int argc, char **argv);

/* Shared helpers (cli_util.c). */
#include <stdio.h>
#include "bspgpu/common.h"
#include "bspgpu/model.h"

/* Print "bspgpu NAME: msg" to stderr. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Misuse: message and "try --help" to stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parse a comma-separated model list ("all" for every model) into out[]
 * (at most max); returns the count or -1 naming the bad model on stderr. */
int cli_models(const char *cmd, const char *list, const bsp_model **out, int max);
/* Open an output file atomically ("-" is stdout): see fileio.h. */
FILE *cli_out_open(const char *path, char **tmp, bsp_err *err);
int cli_out_close(FILE *f, const char *tmp, const char *path, int commit, bsp_err *err);

#endif

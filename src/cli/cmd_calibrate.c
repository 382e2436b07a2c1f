/*
 * bspgpu calibrate: measure a board.  The work is done by the CUDA program
 * bspgpu-calibrate (microbench/), found next to the running bspgpu
 * executable and exec'd with the same arguments; --help is answered here, so
 * that it works without a GPU or a CUDA driver.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../microbench/calibrate_usage.h"

int bsp_cmd_calibrate(int argc, char **argv);

int bsp_cmd_calibrate(int argc, char **argv)
{
    char self[PATH_MAX], prog[PATH_MAX + sizeof BSP_CALIBRATE_PROG + 1];
    char **av = NULL, *slash = NULL;
    ssize_t n;
    int i, rc = 1;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(BSP_CALIBRATE_USAGE, stdout);
            return 0;
        }
    }

    n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n < 0) {
        fprintf(stderr, "bspgpu calibrate: /proc/self/exe: %s\n", strerror(errno));
        goto out;
    }
    self[n] = '\0';
    slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(self, sizeof self, ".");
    snprintf(prog, sizeof prog, "%s/%s", self, BSP_CALIBRATE_PROG);
    if (access(prog, X_OK) != 0) {
        fprintf(stderr, "bspgpu calibrate: %s: %s (build it with `make`)\n", prog,
                strerror(errno));
        goto out;
    }

    av = calloc((size_t)argc + 1, sizeof *av);
    if (!av) {
        fprintf(stderr, "bspgpu calibrate: out of memory\n");
        goto out;
    }
    av[0] = prog;
    for (i = 1; i < argc; i++)
        av[i] = argv[i];
    av[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    execv(prog, av);
    fprintf(stderr, "bspgpu calibrate: cannot run %s: %s\n", prog, strerror(errno));
out:
    free(av);
    return rc;
}

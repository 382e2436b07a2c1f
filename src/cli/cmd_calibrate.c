/*
 * bspgpu calibrate: measure a board.  The work is done by the CUDA program
 * bspgpu-calibrate (microbench/), found next to the running bspgpu
 * executable and run (fork + execv, no shell) with the same arguments; its
 * exit status is passed on.  --help is answered here, so that it works
 * without a GPU or a CUDA driver; a program that cannot start (no CUDA
 * driver on this machine: the loader exits 127) is a runtime failure, 1.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../microbench/calibrate_usage.h"

int bsp_cmd_calibrate(int argc, char **argv);

int bsp_cmd_calibrate(int argc, char **argv)
{
    char self[PATH_MAX], prog[PATH_MAX + sizeof BSP_CALIBRATE_PROG + 1];
    char **av = NULL, *slash = NULL;
    ssize_t n;
    pid_t pid;
    int i, status = 0, rc = 1;

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
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "bspgpu calibrate: fork: %s\n", strerror(errno));
        goto out;
    }
    if (pid == 0) {
        execv(prog, av);
        fprintf(stderr, "bspgpu calibrate: cannot run %s: %s\n", prog, strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "bspgpu calibrate: waitpid: %s\n", strerror(errno));
            goto out;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        fprintf(stderr, "bspgpu calibrate: %s could not start (is a CUDA driver installed?)\n",
                prog);
    } else if (WIFEXITED(status)) {
        rc = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        fprintf(stderr, "bspgpu calibrate: %s killed by signal %d\n", prog, WTERMSIG(status));
    }
out:
    free(av);
    return rc;
}

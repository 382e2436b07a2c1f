/* Helpers shared by the subcommands. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cmds.h"
#include "../fileio.h"

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "bspgpu %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "bspgpu %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'bspgpu %s --help'.\n", cmd);
    return 2;
}

int cli_models(const char *cmd, const char *list, const bsp_model **out, int max)
{
    int n = 0;
    if (strcmp(list, "all") == 0) {
        for (int i = 0; bsp_models[i] && n < max; i++)
            out[n++] = bsp_models[i];
        return n;
    }
    char *dup = strdup(list), *save = NULL;
    if (!dup)
        return -1;
    for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        const bsp_model *m = bsp_model_find(t);
        if (!m || n == max) {
            fprintf(stderr, "bspgpu %s: unknown model '%s' (models:", cmd, t);
            for (int i = 0; bsp_models[i]; i++)
                fprintf(stderr, " %s", bsp_models[i]->name);
            fprintf(stderr, ")\n");
            free(dup);
            return -1;
        }
        out[n++] = m;
    }
    free(dup);
    return n;
}

FILE *cli_out_open(const char *path, char **tmp, bsp_err *err)
{
    *tmp = NULL;
    if (strcmp(path, "-") == 0)
        return stdout;
    return bsp_atomic_open(path, tmp, err);
}

int cli_out_close(FILE *f, const char *tmp, const char *path, int commit, bsp_err *err)
{
    if (f == stdout)
        return fflush(stdout) ? bsp_err_set(err, BSP_EIO, "stdout: write error") : 0;
    if (!commit) {
        bsp_atomic_abort(f, tmp);
        return 0;
    }
    return bsp_atomic_commit(f, tmp, path, err);
}

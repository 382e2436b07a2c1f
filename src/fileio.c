/* Whole-or-nothing file output and whole-file input. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fileio.h"

int bsp_file_slurp(const char *path, char **out, bsp_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return bsp_err_set(err, BSP_EIO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf)
        return bsp_err_set(err, BSP_ENOMEM, "%s: out of memory reading", path);
    if (bad) {
        free(buf);
        return bsp_err_set(err, BSP_EIO, "%s: read error", path);
    }
    buf[len] = '\0';
    *out = buf;
    return 0;
}

FILE *bsp_atomic_open(const char *path, char **tmp_out, bsp_err *err)
{
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    *tmp_out = NULL;
    if (!tmp) {
        bsp_err_set(err, BSP_ENOMEM, "%s: out of memory", path);
        return NULL;
    }
    snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        bsp_err_set(err, BSP_EIO, "%s: cannot create: %s", path, strerror(errno));
        free(tmp);
        return NULL;
    }
    *tmp_out = tmp;
    return f;
}

int bsp_atomic_commit(FILE *f, const char *tmp, const char *path, bsp_err *err)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        unlink(tmp);
        return bsp_err_set(err, BSP_EIO, "%s: write error", path);
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return bsp_err_set(err, BSP_EIO, "%s: cannot rename into place: %s", path, strerror(e));
    }
    return 0;
}

void bsp_atomic_abort(FILE *f, const char *tmp)
{
    if (f)
        fclose(f);
    if (tmp)
        unlink(tmp);
}

int bsp_file_write_whole(const char *path, const char *data, size_t len, const char *tail, bsp_err *err)
{
    char *tmp = NULL;
    FILE *f = bsp_atomic_open(path, &tmp, err);
    if (!f)
        return err ? err->code : BSP_EIO;
    fwrite(data, 1, len, f);
    if (tail)
        fputs(tail, f);
    int rc = bsp_atomic_commit(f, tmp, path, err);
    free(tmp);
    return rc;
}

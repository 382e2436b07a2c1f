/* CSV reading and writing shared by profiles, imports and model outputs. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "csv.h"

int bsp_csv_open(bsp_csv *c, const char *path, bsp_err *err)
{
    memset(c, 0, sizeof *c);
    c->path = path;
    errno = 0;
    c->f = gzopen(path, "rb");
    if (!c->f)
        return bsp_err_set(err, BSP_EIO, "%s: cannot open: %s", path, errno ? strerror(errno) : "out of memory");
    gzbuffer(c->f, 1 << 20);
    return 0;
}

void bsp_csv_close(bsp_csv *c)
{
    if (c->f)
        gzclose(c->f);
    free(c->buf);
    free(c->cell);
    memset(c, 0, sizeof *c);
}

static int push_cell(bsp_csv *c, char *p, bsp_err *err)
{
    if (c->ncell == c->capcell) {
        int n = c->capcell ? c->capcell * 2 : 64;
        char **nc = realloc(c->cell, (size_t)n * sizeof *nc);
        if (!nc)
            return bsp_err_set(err, BSP_ENOMEM, "%s:%ld: out of memory", c->path, c->line);
        c->cell = nc;
        c->capcell = n;
    }
    c->cell[c->ncell++] = p;
    return 0;
}

int bsp_csv_split(bsp_csv *c, char *s, bsp_err *err)
{
    c->ncell = 0;
    for (;;) {
        char *out = s;
        int rc = push_cell(c, out, err);
        if (rc)
            return rc;
        if (*s == '"') {
            s++;
            for (;;) {
                if (*s == '\0')
                    return bsp_err_set(err, BSP_EPARSE, "%s:%ld: unterminated quoted field (column %d)",
                                       c->path, c->line, c->ncell);
                if (*s == '"') {
                    if (s[1] == '"') {
                        *out++ = '"';
                        s += 2;
                        continue;
                    }
                    s++;
                    break;
                }
                *out++ = *s++;
            }
            if (*s != ',' && *s != '\0')
                return bsp_err_set(err, BSP_EPARSE, "%s:%ld: text after closing quote (column %d)",
                                   c->path, c->line, c->ncell);
        } else {
            while (*s && *s != ',')
                *out++ = *s++;
        }
        if (*s == '\0') {
            *out = '\0';
            return 0;
        }
        *out = '\0';
        s++;
    }
}

int bsp_csv_next(bsp_csv *c, bsp_err *err)
{
    for (;;) {
        size_t len = 0;
        int got = 0;
        for (;;) {
            if (c->cap - len < 2) {
                size_t n = c->cap ? c->cap * 2 : 4096;
                char *nb = realloc(c->buf, n);
                if (!nb)
                    return bsp_err_set(err, BSP_ENOMEM, "%s:%ld: out of memory", c->path, c->line + 1);
                c->buf = nb;
                c->cap = n;
            }
            if (!gzgets(c->f, c->buf + len, (int)(c->cap - len)))
                break;
            got = 1;
            len += strlen(c->buf + len);
            if (len && c->buf[len - 1] == '\n')
                break;
        }
        int zerr = Z_OK;
        gzerror(c->f, &zerr);
        if (zerr != Z_OK && zerr != Z_BUF_ERROR)
            return bsp_err_set(err, BSP_EIO, "%s:%ld: read error (%s)", c->path, c->line + 1, gzerror(c->f, &zerr));
        if (!got)
            return 0;
        c->line++;
        while (len && (c->buf[len - 1] == '\n' || c->buf[len - 1] == '\r'))
            c->buf[--len] = '\0';
        if (len == 0)
            continue;
        int rc = bsp_csv_split(c, c->buf, err);
        return rc ? rc : 1;
    }
}

void bsp_csv_put_num(FILE *f, double v)
{
    if (isnan(v))
        fputs(",", f);
    else
        fprintf(f, ",%.6g", v);
}

void bsp_csv_put_str(FILE *f, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int bsp_csv_num(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || errno == ERANGE || isnan(v))
        return -1;
    *out = v;
    return 0;
}

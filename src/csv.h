/* Internal CSV helpers: a line reader and an RFC 4180 cell splitter. */
#ifndef BSPGPU_CSV_H
#define BSPGPU_CSV_H

#include <stdio.h>
#include <zlib.h>
#include "bspgpu/common.h"

typedef struct bsp_csv {
    gzFile f;           /* reads plain and gzip-compressed files alike */
    const char *path;
    long line;          /* 1-based number of the line last read */
    char *buf;          /* current line, cells split in place */
    size_t cap;
    char **cell;        /* cell pointers into buf */
    int ncell;
    int capcell;
} bsp_csv;

/* Open path (plain or gzip-compressed) for reading; caller closes with
 * bsp_csv_close(). */
int bsp_csv_open(bsp_csv *c, const char *path, bsp_err *err);
/* Read the next non-empty line and split it into c->cell[0..ncell).
 * Returns 1 for a row, 0 at end of file, negative on error. */
int bsp_csv_next(bsp_csv *c, bsp_err *err);
/* Split an arbitrary line (modified in place) into cells. */
int bsp_csv_split(bsp_csv *c, char *line, bsp_err *err);
void bsp_csv_close(bsp_csv *c);

/* Write s as one CSV cell (quoted if it holds , " or newline). */
void bsp_csv_put_str(FILE *f, const char *s);
/* Write ",v" with six significant digits, or "," alone for NaN (an empty cell). */
void bsp_csv_put_num(FILE *f, double v);

/* Parse a whole cell as a number: 0 ok, -1 bad. Empty cells are bad. */
int bsp_csv_num(const char *s, double *out);

#endif

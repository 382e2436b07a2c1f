/* Internal file helpers shared by the library's readers and writers. */
#ifndef BSPGPU_FILEIO_H
#define BSPGPU_FILEIO_H

#include <stdio.h>
#include "bspgpu/common.h"

/* Read a whole file into a malloc'd NUL-terminated buffer (*out, caller frees). */
int bsp_file_slurp(const char *path, char **out, bsp_err *err);

/* Write data (then tail, may be NULL) to path whole or not at all. */
int bsp_file_write_whole(const char *path, const char *data, size_t len, const char *tail, bsp_err *err);

/* Atomic output: open a temporary file beside path (*tmp_out is malloc'd,
 * caller frees), then commit (rename into place) or abort (unlink). */
FILE *bsp_atomic_open(const char *path, char **tmp_out, bsp_err *err);
int bsp_atomic_commit(FILE *f, const char *tmp, const char *path, bsp_err *err);
void bsp_atomic_abort(FILE *f, const char *tmp);

#endif

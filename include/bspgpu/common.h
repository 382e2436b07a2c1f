/*
 * bspgpu: predict GPU kernel and application run times across boards.
 *
 * Error convention (every module): functions return 0 on success or a
 * negative BSP_E* code on failure, and fill a caller-provided bsp_err with a
 * message that names the file, line and field at fault.  The library never
 * calls exit() and never prints; the CLI prints err->msg and chooses the
 * exit code.
 */
#ifndef BSPGPU_COMMON_H
#define BSPGPU_COMMON_H

#include <stddef.h>

#define BSP_VERSION "0.1.0"

enum {
    BSP_OK = 0,
    BSP_EIO = -1,      /* file could not be opened, read or written */
    BSP_EPARSE = -2,   /* malformed input: syntax, missing or bad field */
    BSP_ENOMEM = -3,   /* allocation failed */
    BSP_EINVAL = -4,   /* bad argument from the caller */
    BSP_EMATH = -5,    /* GSL or arithmetic failure (empty set, zero time) */
    BSP_ECUDA = -6,    /* CUDA driver/runtime/CUPTI call failed */
    BSP_ENOTSUP = -7   /* feature not available on this build or device */
};

#define BSP_ERRMSG_MAX 512

typedef struct bsp_err {
    int code;                 /* last BSP_E* code, 0 if none */
    char msg[BSP_ERRMSG_MAX]; /* human-readable, names file:line and field */
} bsp_err;

/* Set err (may be NULL) from a printf format; returns code, so that
 * `return bsp_err_set(err, BSP_EPARSE, "%s:%d: ...", ...)` reads well. */
int bsp_err_set(bsp_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Static name of an error code ("parse error", ...). */
const char *bsp_strerror(int code);

#endif

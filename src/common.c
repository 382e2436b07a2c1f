/* bsp_err helpers: the error convention of include/bspgpu/common.h. */
#include <stdarg.h>
#include <stdio.h>
#include "bspgpu/common.h"

int bsp_err_set(bsp_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}

const char *bsp_strerror(int code)
{
    switch (code) {
    case BSP_OK: return "success";
    case BSP_EIO: return "I/O error";
    case BSP_EPARSE: return "parse error";
    case BSP_ENOMEM: return "out of memory";
    case BSP_EINVAL: return "invalid argument";
    case BSP_EMATH: return "numerical error";
    case BSP_ECUDA: return "CUDA error";
    case BSP_ENOTSUP: return "not supported";
    default: return "unknown error";
    }
}

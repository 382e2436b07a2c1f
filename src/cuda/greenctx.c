/*
 * bsp_greenctx_enter: run the calling thread on a partition of the GPU's SMs
 * through a CUDA green context (driver API, CUDA 12.4+).
 *
 * Steps: the device's SM resource (cuDeviceGetDevResource), one group of at
 * least `sms` SMs split off it (cuDevSmResourceSplitByCount), a descriptor
 * (cuDevResourceGenerateDesc), the green context (cuGreenCtxCreate), then its
 * CUcontext made current (cuCtxFromGreenCtx, cuCtxSetCurrent).  The runtime
 * API uses the current context, so later cudaMalloc and <<<>>> launches on
 * this thread run on the partition.
 *
 * This file fills bsp_err itself (it does not call bsp_err_set) so that
 * build/libbspgpu_cuda.a links on its own into CUDA programs.
 */
#include <stdarg.h>
#include <stdio.h>

#include <cuda.h>

#include "bspgpu/greenctx.h"

static int gc_err(bsp_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int gc_err(bsp_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

#if defined(CUDA_VERSION) && CUDA_VERSION >= 12040

/* Turn a failed driver call into BSP_ECUDA naming the call; jumps to out. */
#define CU_CALL(call)                                                        \
    do {                                                                     \
        CUresult cu_st_ = (call);                                            \
        if (cu_st_ != CUDA_SUCCESS) {                                        \
            const char *cu_name_ = NULL;                                     \
            cuGetErrorName(cu_st_, &cu_name_);                               \
            rc = gc_err(err, BSP_ECUDA, "%s:%d: %s failed: %s (%d)",         \
                        __FILE__, __LINE__, #call,                           \
                        cu_name_ ? cu_name_ : "unknown", (int)cu_st_);       \
            goto out;                                                        \
        }                                                                    \
    } while (0)

int bsp_greenctx_enter(int dev, int sms, int *sms_got, bsp_err *err)
{
    int rc = BSP_OK;
    CUdevice cudev;
    CUdevResource all, part, *use = NULL;
    CUdevResourceDesc desc = NULL;
    CUgreenCtx gctx = NULL;
    CUcontext ctx = NULL;
    unsigned int ngroups = 1;

    if (sms <= 0)
        return gc_err(err, BSP_EINVAL, "%s:%d: sms: %d, want a positive SM count",
                      __FILE__, __LINE__, sms);
    if (dev < 0)
        return gc_err(err, BSP_EINVAL, "%s:%d: dev: %d, want a device index >= 0",
                      __FILE__, __LINE__, dev);

    CU_CALL(cuInit(0));
    CU_CALL(cuDeviceGet(&cudev, dev));
    CU_CALL(cuDeviceGetDevResource(cudev, &all, CU_DEV_RESOURCE_TYPE_SM));

    if ((unsigned int)sms >= all.sm.smCount) {
        use = &all;                 /* the whole device was asked for */
    } else {
        CU_CALL(cuDevSmResourceSplitByCount(&part, &ngroups, &all, NULL, 0,
                                            (unsigned int)sms));
        /* No group fits (the count rounded up past the device): whole device,
         * which still holds at least `sms` SMs. */
        use = ngroups >= 1 ? &part : &all;
    }

    CU_CALL(cuDevResourceGenerateDesc(&desc, use, 1));
    CU_CALL(cuGreenCtxCreate(&gctx, desc, cudev, CU_GREEN_CTX_DEFAULT_STREAM));
    CU_CALL(cuCtxFromGreenCtx(&ctx, gctx));
    CU_CALL(cuCtxSetCurrent(ctx));

    if (sms_got)
        *sms_got = (int)use->sm.smCount;
    /* The green context lives until the process ends (see greenctx.h). */
out:
    return rc;
}

#else /* CUDA < 12.4: no green contexts */

int bsp_greenctx_enter(int dev, int sms, int *sms_got, bsp_err *err)
{
    (void)dev;
    (void)sms;
    if (sms_got)
        *sms_got = 0;
    return gc_err(err, BSP_ENOTSUP,
                  "%s:%d: green contexts need CUDA 12.4 or newer (built with %d)",
                  __FILE__, __LINE__, (int)CUDA_VERSION);
}

#endif

/*
 * bsp_greenctx: run on a partition of the GPU's SMs through a CUDA green
 * context (CUDA 12.4+ driver API).  Built as a stub returning BSP_ENOTSUP
 * where the toolkit lacks green contexts (CUDA < 12.4, e.g. Jetson JetPack 5).
 */
#ifndef BSPGPU_GREENCTX_H
#define BSPGPU_GREENCTX_H

#include "bspgpu/common.h"

/* Create a green context holding at least `sms` SMs of device `dev` and
 * make it current on the calling thread, so that later runtime-API calls
 * and launches run on it.  *sms_got receives the SM count granted
 * (rounded up to the hardware's granularity).  The context lives until the
 * process ends. */
int bsp_greenctx_enter(int dev, int sms, int *sms_got, bsp_err *err);

#endif

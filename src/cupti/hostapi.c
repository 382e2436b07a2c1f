/* The host API calls recorded in PATH.api.csv: which CUDA runtime and
 * driver functions count (by CUPTI's callback name) and how they are named
 * in the file. */
#include <string.h>
#include "cupti_internal.h"

size_t bsp_hostapi_name_len(const char *name)
{
    size_t n = strlen(name), d = 0;
    while (d < n && name[n - 1 - d] >= '0' && name[n - 1 - d] <= '9')
        d++;
    if (d >= 4 && n >= d + 2 && name[n - d - 1] == 'v' && name[n - d - 2] == '_')
        return n - d - 2;
    return n;
}

/* Name (without version suffix) is `base`, or `base` followed by a suffix
 * of its own (`_ptsz`, `_ptds`, `_v2`). */
static int is_form_of(const char *name, size_t n, const char *base)
{
    size_t k = strlen(base);
    return n >= k && strncmp(name, base, k) == 0 && (n == k || name[k] == '_');
}

int bsp_hostapi_class(const char *name)
{
    static const struct {
        const char *prefix;
        int cls;
    } prefixes[] = {
        { "cudaLaunchKernel", BSP_HAPI_LAUNCH },   /* and cudaLaunchKernelExC */
        { "cudaLaunchCooperativeKernel", BSP_HAPI_LAUNCH },
        { "cuLaunchKernel", BSP_HAPI_LAUNCH },     /* and cuLaunchKernelEx */
        { "cuLaunchCooperativeKernel", BSP_HAPI_LAUNCH },
        { "cudaGraphLaunch", BSP_HAPI_GRAPH },
        { "cuGraphLaunch", BSP_HAPI_GRAPH },
        { "cudaMemcpy", BSP_HAPI_MEMCPY },
        { "cuMemcpy", BSP_HAPI_MEMCPY },
        { "cudaMemset", BSP_HAPI_MEMSET },
        { "cuMemset", BSP_HAPI_MEMSET },
    };
    static const char *const sync[] = {
        "cudaDeviceSynchronize", "cudaStreamSynchronize", "cudaEventSynchronize", "cudaStreamWaitEvent",
        "cudaStreamQuery", "cudaEventQuery", "cuCtxSynchronize", "cuStreamSynchronize", "cuEventSynchronize",
        "cuStreamWaitEvent", "cuStreamQuery", "cuEventQuery",
    };
    if (!name)
        return -1;
    size_t n = bsp_hostapi_name_len(name);
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t k = strlen(prefixes[i].prefix);
        if (n >= k && strncmp(name, prefixes[i].prefix, k) == 0)
            return prefixes[i].cls;
    }
    for (size_t i = 0; i < sizeof sync / sizeof sync[0]; i++)
        if (is_form_of(name, n, sync[i]))
            return BSP_HAPI_SYNC;
    return -1;
}

const char *bsp_hostapi_class_name(int cls)
{
    static const char *const names[BSP_HAPI_NCLASS] = { "launch", "graph", "memcpy", "memset", "sync" };
    return cls >= 0 && cls < BSP_HAPI_NCLASS ? names[cls] : "?";
}

const char *bsp_hostapi_domain_name(int domain)
{
    return domain == BSP_HDOM_RUNTIME ? "runtime" : domain == BSP_HDOM_DRIVER ? "driver" : "?";
}

/* Collector options from the environment (see profile_env.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cupti_internal.h"

static const char *env_lookup(const char *name)
{
    return getenv(name);
}

static int get_u64(const char *(*lookup)(const char *), const char *name, uint64_t *out, bsp_err *err)
{
    const char *v = lookup(name);
    if (!v || !*v)
        return 0;
    if (bsp_parse_u64(v, out))
        return bsp_err_set(err, BSP_EINVAL, "%s=%s: not an unsigned integer", name, v);
    return 0;
}

int bsp_prof_opts_load(bsp_prof_opts *o, const char *(*lookup)(const char *name), bsp_err *err)
{
    const char *v;
    int rc;
    memset(o, 0, sizeof *o);
    o->metric_set = BSP_MSET_SEED;
    o->samples = 1;
    if (!lookup)
        lookup = env_lookup;

    v = lookup(BSP_ENV_OUT);
    if (!v || !*v)
        return bsp_err_set(err, BSP_EINVAL, "%s is not set", BSP_ENV_OUT);
    if (strlen(v) >= sizeof o->out - 32)
        return bsp_err_set(err, BSP_EINVAL, "%s: path too long", BSP_ENV_OUT);
    snprintf(o->out, sizeof o->out, "%s", v);

    v = lookup(BSP_ENV_METRICS);
    if (v && *v) {
        int s = bsp_metric_set_parse(v);
        if (s < 0)
            return bsp_err_set(err, BSP_EINVAL, "%s=%s: expected seed, full, mem or none", BSP_ENV_METRICS, v);
        o->metric_set = s;
    }
    v = lookup(BSP_ENV_KERNEL_REGEX);
    if (v && *v) {
        if (strlen(v) >= sizeof o->kernel_regex)
            return bsp_err_set(err, BSP_EINVAL, "%s: regex too long", BSP_ENV_KERNEL_REGEX);
        snprintf(o->kernel_regex, sizeof o->kernel_regex, "%s", v);
    }
    if ((rc = get_u64(lookup, BSP_ENV_LAUNCH_SKIP, &o->launch_skip, err)) ||
        (rc = get_u64(lookup, BSP_ENV_LAUNCH_COUNT, &o->launch_count, err)) ||
        (rc = get_u64(lookup, BSP_ENV_SAMPLES, &o->samples, err)) ||
        (rc = get_u64(lookup, BSP_ENV_CONFIG_SKIP, &o->config_skip, err)))
        return rc;
    v = lookup(BSP_ENV_VERBOSE);
    o->verbose = v && *v && strcmp(v, "0") != 0;
    v = lookup(BSP_ENV_SERIALIZE);
    o->serialize = v && *v && strcmp(v, "0") != 0;
    v = lookup(BSP_ENV_RELEASE);
    o->release = !(v && *v && strcmp(v, "0") == 0);
    v = lookup(BSP_ENV_API);
    if (v && *v) {
        int m = bsp_api_mode_parse(v);
        if (m < 0)
            return bsp_err_set(err, BSP_EINVAL, "%s=%s: expected calls, kinds or off", BSP_ENV_API, v);
        o->api_mode = m;
    }
    v = lookup(BSP_ENV_CAPTURE);
    if (v && *v) {
        int m = bsp_capture_mode_parse(v);
        if (m < 0)
            return bsp_err_set(err, BSP_EINVAL, "%s=%s: expected none or profiler-api", BSP_ENV_CAPTURE, v);
        o->capture = m;
    }
    return 0;
}

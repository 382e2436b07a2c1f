/* bsp_board: board files (JSON, schema "bspgpu-board" v1) through cJSON. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bspgpu/board.h"
#include "fileio.h"

/* Every measured quantity of the file, as data: JSON section and key, where
 * it lives in the struct, and whether the seed model needs it. */
typedef struct meas_field {
    const char *section;
    const char *key;
    size_t off;
    int required;
} meas_field;

#define M(sec, key, member, req) { sec, key, offsetof(bsp_board, member), req }
static const meas_field meas_fields[] = {
    M("latency_cycles", "shared", lat_shared_cycles, 1),
    M("latency_cycles", "l1", lat_l1_cycles, 1),
    M("latency_cycles", "l2", lat_l2_cycles, 1),
    M("latency_cycles", "global", lat_global_cycles, 1),
    M("latency_cycles", "inst", lat_inst_cycles, 1),
    M("latency_cycles", "l2_far", lat_l2_far_cycles, 0),
    M("latency_cycles", "fp32_add", lat_fp32_add_cycles, 0),
    M("latency_cycles", "fp32_fma", lat_fp32_fma_cycles, 0),
    M("latency_cycles", "int_mad", lat_int_mad_cycles, 0),
    M("latency_ns", "shared", lat_shared_ns, 0),
    M("latency_ns", "l1", lat_l1_ns, 0),
    M("latency_ns", "l2", lat_l2_ns, 0),
    M("latency_ns", "global", lat_global_ns, 0),
    M("latency_ns", "kernel_floor", kernel_floor_ns, 0),
    M("latency_ns", "kernel_floor_chip", kernel_floor_chip_ns, 0),
    M("bandwidth_gbs", "dram", bw_dram_gbs, 0),
    M("bandwidth_gbs", "l2", bw_l2_gbs, 0),
    M("bandwidth_gbs", "shared", bw_shared_gbs, 0),
    M("bandwidth_gbs", "h2d_pinned", bw_h2d_pinned_gbs, 0),
    M("bandwidth_gbs", "d2h_pinned", bw_d2h_pinned_gbs, 0),
    M("bandwidth_gbs", "h2d_pageable", bw_h2d_pageable_gbs, 0),
    M("bandwidth_gbs", "d2h_pageable", bw_d2h_pageable_gbs, 0),
    M("bandwidth_gbs", "d2d", bw_d2d_gbs, 0),
    M("latency_us", "h2d", lat_h2d_us, 0),
    M("latency_us", "h2d_pageable", lat_h2d_pageable_us, 0),
    M("latency_us", "d2h_pageable", lat_d2h_pageable_us, 0),
    M("latency_us", "d2h", lat_d2h_us, 0),
    M("latency_us", "launch_overhead", launch_overhead_us, 0),
    M("throughput", "fp32_gflops", fp32_gflops, 0),
    M("throughput", "tensor_fp16_tflops", tensor_fp16_tflops, 0),
    M("throughput", "l2_requests_g", l2_requests_gps, 0),
    M("throughput", "l2_red_hot_gsectors", l2_red_hot_gsps, 0),
};
#undef M

typedef enum { F_INT, F_DBL } num_kind;
typedef struct num_field {
    const char *key;
    size_t off;
    num_kind kind;
    int required;
} num_field;

#define I(key, member, req) { key, offsetof(bsp_board, member), F_INT, req }
#define D(key, member, req) { key, offsetof(bsp_board, member), F_DBL, req }
static const num_field device_fields[] = {
    I("sms", sms, 1),
    I("sms_total", sms_total, 0),
    I("cores_per_sm", cores_per_sm, 1),
    I("cc_major", cc_major, 0),
    I("cc_minor", cc_minor, 0),
    D("clock_mhz", clock_mhz, 1),
    D("clock_mhz_max", clock_mhz_max, 0),
    D("mem_clock_mhz", mem_clock_mhz, 0),
    I("mem_bus_bits", mem_bus_bits, 0),
    D("l2_bytes", l2_bytes, 0),
    D("smem_per_sm_bytes", smem_per_sm_bytes, 0),
    I("max_threads_per_sm", max_threads_per_sm, 0),
    I("max_blocks_per_sm", max_blocks_per_sm, 0),
    I("regs_per_sm", regs_per_sm, 0),
    I("warp_size", warp_size, 0),
};
#undef I
#undef D

typedef struct str_field {
    const char *key;
    size_t off;
    size_t size;
} str_field;

#define S(member) { #member, offsetof(bsp_board, member), sizeof(((bsp_board *)0)->member) }
static const str_field prov_fields[] = {
    S(device), S(driver), S(cuda), S(date), S(tool_version), S(command), S(host), S(notes),
};
#undef S

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

void bsp_board_init(bsp_board *b)
{
    memset(b, 0, sizeof *b);
}

void bsp_board_free(bsp_board *b)
{
    if (!b)
        return;
    free(b->sweep);
    b->sweep = NULL;
    b->nsweep = 0;
}

double bsp_board_cores(const bsp_board *b)
{
    return (double)b->sms * (double)b->cores_per_sm;
}

int bsp_board_add_sweep(bsp_board *b, const bsp_sweep_pt *pt, bsp_err *err)
{
    bsp_sweep_pt *p = realloc(b->sweep, (b->nsweep + 1) * sizeof *p);
    if (!p)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory adding a sweep point");
    b->sweep = p;
    b->sweep[b->nsweep++] = *pt;
    return 0;
}

/* Line number of a position inside text (1-based). */
static int line_of(const char *text, const char *pos)
{
    int line = 1;
    for (const char *c = text; c < pos && *c; c++)
        if (*c == '\n')
            line++;
    return line;
}

static int get_number(const cJSON *o, const char *path, const char *field, double *out, bsp_err *err)
{
    if (!cJSON_IsNumber(o))
        return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': expected a number", path, field);
    if (!isfinite(o->valuedouble))
        return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': not a finite number", path, field);
    *out = o->valuedouble;
    return 0;
}

/* A measurement is a number or {"median": x, "min": .., "max": .., "n": ..}. */
static int parse_meas(const cJSON *o, const char *path, const char *field, bsp_meas *m, bsp_err *err)
{
    int rc;
    if (cJSON_IsNumber(o)) {
        if ((rc = get_number(o, path, field, &m->median, err)))
            return rc;
        m->min = m->max = m->median;
        m->n = 1;
    } else if (cJSON_IsObject(o)) {
        char sub[192];
        const cJSON *med = cJSON_GetObjectItemCaseSensitive(o, "median");
        snprintf(sub, sizeof sub, "%s.median", field);
        if (!med)
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': missing", path, sub);
        if ((rc = get_number(med, path, sub, &m->median, err)))
            return rc;
        m->min = m->max = m->median;
        m->n = 1;
        const cJSON *x;
        if ((x = cJSON_GetObjectItemCaseSensitive(o, "min"))) {
            snprintf(sub, sizeof sub, "%s.min", field);
            if ((rc = get_number(x, path, sub, &m->min, err)))
                return rc;
        }
        if ((x = cJSON_GetObjectItemCaseSensitive(o, "max"))) {
            snprintf(sub, sizeof sub, "%s.max", field);
            if ((rc = get_number(x, path, sub, &m->max, err)))
                return rc;
        }
        if ((x = cJSON_GetObjectItemCaseSensitive(o, "n"))) {
            double n;
            snprintf(sub, sizeof sub, "%s.n", field);
            if ((rc = get_number(x, path, sub, &n, err)))
                return rc;
            if (n < 1 || n != floor(n))
                return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': must be a positive integer", path, sub);
            m->n = (int)n;
        }
        if (m->min > m->median || m->median > m->max)
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': needs min <= median <= max (%g, %g, %g)",
                               path, field, m->min, m->median, m->max);
    } else {
        return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': expected a number or an object with a median", path, field);
    }
    if (m->median <= 0 || m->min <= 0)
        return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': must be positive (got %g)", path, field, m->median);
    return 0;
}

/* The array `name` of chip-wide bursts (bytes ascending) into pts[0..*n). */
static int parse_bursts(const cJSON *root, const char *path, const char *name, bsp_burst_pt *pts, int *n,
                        bsp_err *err)
{
    char field[64];
    int rc;
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, name), *fp;
    if (arr && !cJSON_IsArray(arr))
        return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': expected an array", path, name);
    if (cJSON_GetArraySize(arr) > BSP_L2_BURST_MAX)
        return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': more than %d points", path, name, BSP_L2_BURST_MAX);
    cJSON_ArrayForEach(fp, arr) {
        int i = *n;
        bsp_burst_pt *q = &pts[i];
        snprintf(field, sizeof field, "%s[%d].bytes", name, i);
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(fp, "bytes");
        if (!x)
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': missing", path, field);
        if ((rc = get_number(x, path, field, &q->bytes, err)))
            return rc;
        if (!(q->bytes > 0))
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': must be positive (got %g)", path, field, q->bytes);
        if (i > 0 && q->bytes <= pts[i - 1].bytes)
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': bytes must ascend (%g after %g)", path, field, q->bytes,
                               pts[i - 1].bytes);
        snprintf(field, sizeof field, "%s[%d]", name, i);
        if ((rc = parse_meas(fp, path, field, &q->ns, err)))
            return rc;
        (*n)++;
    }
    return 0;
}

static int parse_doc(bsp_board *b, const cJSON *root, const char *path, bsp_err *err)
{
    int rc;
    char field[160];

    if (!cJSON_IsObject(root))
        return bsp_err_set(err, BSP_EPARSE, "%s: top level: expected a JSON object", path);
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "schema");
    if (!cJSON_IsString(schema) || strcmp(schema->valuestring, BSP_BOARD_SCHEMA) != 0)
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'schema': expected \"%s\"", path, BSP_BOARD_SCHEMA);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "version");
    if (!cJSON_IsNumber(ver))
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'version': missing or not a number", path);
    if (ver->valueint < 1 || ver->valueint > BSP_BOARD_VERSION)
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'version': %d is not supported (this bspgpu reads up to %d)",
                           path, ver->valueint, BSP_BOARD_VERSION);
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    if (!cJSON_IsString(name) || !name->valuestring[0])
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'name': missing or empty", path);
    snprintf(b->name, sizeof b->name, "%s", name->valuestring);

    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(root, "provenance");
    if (prov && !cJSON_IsObject(prov))
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'provenance': expected an object", path);
    for (size_t i = 0; prov && i < NELEM(prov_fields); i++) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(prov, prov_fields[i].key);
        if (!s)
            continue;
        if (!cJSON_IsString(s))
            return bsp_err_set(err, BSP_EPARSE, "%s: field 'provenance.%s': expected a string", path, prov_fields[i].key);
        snprintf((char *)b + prov_fields[i].off, prov_fields[i].size, "%s", s->valuestring);
    }

    const cJSON *dev = cJSON_GetObjectItemCaseSensitive(root, "device");
    if (!cJSON_IsObject(dev))
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'device': missing or not an object", path);
    for (size_t i = 0; i < NELEM(device_fields); i++) {
        const num_field *f = &device_fields[i];
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(dev, f->key);
        snprintf(field, sizeof field, "device.%s", f->key);
        if (!x) {
            if (f->required)
                return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': missing", path, field);
            continue;
        }
        double v;
        if ((rc = get_number(x, path, field, &v, err)))
            return rc;
        if (v < 0 || (f->required && v <= 0))
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': must be positive (got %g)", path, field, v);
        if (f->kind == F_INT) {
            if (v != floor(v) || v > 1e9)
                return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': expected an integer (got %g)", path, field, v);
            *(int *)((char *)b + f->off) = (int)v;
        } else {
            *(double *)((char *)b + f->off) = v;
        }
    }
    if (b->sms_total == 0)
        b->sms_total = b->sms;
    if (b->sms > b->sms_total)
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'device.sms': %d exceeds device.sms_total %d", path, b->sms, b->sms_total);

    for (size_t i = 0; i < NELEM(meas_fields); i++) {
        const meas_field *f = &meas_fields[i];
        const cJSON *sec = cJSON_GetObjectItemCaseSensitive(root, f->section);
        snprintf(field, sizeof field, "%s.%s", f->section, f->key);
        if (sec && !cJSON_IsObject(sec))
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': expected an object", path, f->section);
        const cJSON *x = sec ? cJSON_GetObjectItemCaseSensitive(sec, f->key) : NULL;
        if (!x || cJSON_IsNull(x)) {
            if (f->required)
                return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': missing", path, field);
            continue;
        }
        if ((rc = parse_meas(x, path, field, (bsp_meas *)((char *)b + f->off), err)))
            return rc;
    }

    const cJSON *fg = cJSON_GetObjectItemCaseSensitive(root, "floor_grid");
    if (fg && !cJSON_IsArray(fg))
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'floor_grid': expected an array", path);
    if (cJSON_GetArraySize(fg) > BSP_FLOOR_GRID_MAX)
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'floor_grid': more than %d points", path, BSP_FLOOR_GRID_MAX);
    const cJSON *fp;
    cJSON_ArrayForEach(fp, fg) {
        int i = b->nfloor_grid;
        bsp_floor_pt *q = &b->floor_grid[i];
        double blocks;
        snprintf(field, sizeof field, "floor_grid[%d].blocks", i);
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(fp, "blocks");
        if (!x)
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': missing", path, field);
        if ((rc = get_number(x, path, field, &blocks, err)))
            return rc;
        if (blocks < 1 || blocks != floor(blocks) || blocks > 1e9)
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': expected a positive integer (got %g)", path, field, blocks);
        if (i > 0 && blocks <= b->floor_grid[i - 1].blocks)
            return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': blocks must ascend (%g after %d)", path, field, blocks,
                               b->floor_grid[i - 1].blocks);
        q->blocks = (int)blocks;
        snprintf(field, sizeof field, "floor_grid[%d]", i);
        if ((rc = parse_meas(fp, path, field, &q->ns, err)))
            return rc;
        const cJSON *rp = cJSON_GetObjectItemCaseSensitive(fp, "replay");
        snprintf(field, sizeof field, "floor_grid[%d].replay", i);
        if (rp && (rc = parse_meas(rp, path, field, &q->replay, err)))
            return rc;
        b->nfloor_grid++;
    }

    if ((rc = parse_bursts(root, path, "l2_burst", b->l2_burst, &b->nl2_burst, err)) ||
        (rc = parse_bursts(root, path, "dram_burst", b->dram_burst, &b->ndram_burst, err)) ||
        (rc = parse_bursts(root, path, "dram_copy", b->dram_copy, &b->ndram_copy, err)))
        return rc;

    const cJSON *sweep = cJSON_GetObjectItemCaseSensitive(root, "sweep");
    if (sweep && !cJSON_IsArray(sweep))
        return bsp_err_set(err, BSP_EPARSE, "%s: field 'sweep': expected an array", path);
    int idx = 0;
    const cJSON *pt;
    cJSON_ArrayForEach(pt, sweep) {
        bsp_sweep_pt p;
        memset(&p, 0, sizeof p);
        const cJSON *lv = cJSON_GetObjectItemCaseSensitive(pt, "level");
        if (!cJSON_IsString(lv))
            return bsp_err_set(err, BSP_EPARSE, "%s: field 'sweep[%d].level': missing or not a string", path, idx);
        snprintf(p.level, sizeof p.level, "%s", lv->valuestring);
        static const char *const keys[] = { "footprint_bytes", "cycles", "ns" };
        double *dst[] = { &p.footprint_bytes, &p.cycles, &p.ns };
        for (int k = 0; k < 3; k++) {
            const cJSON *x = cJSON_GetObjectItemCaseSensitive(pt, keys[k]);
            snprintf(field, sizeof field, "sweep[%d].%s", idx, keys[k]);
            if (!x)
                return bsp_err_set(err, BSP_EPARSE, "%s: field '%s': missing", path, field);
            if ((rc = get_number(x, path, field, dst[k], err)))
                return rc;
        }
        if ((rc = bsp_board_add_sweep(b, &p, err)))
            return rc;
        idx++;
    }
    return 0;
}

int bsp_board_parse(bsp_board *b, const char *json, const char *path, bsp_err *err)
{
    bsp_board_init(b);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(json, &end, 1);
    if (!root) {
        const char *pos = end ? end : cJSON_GetErrorPtr();
        int line = pos ? line_of(json, pos) : 0;
        return bsp_err_set(err, BSP_EPARSE, "%s:%d: invalid JSON", path, line);
    }
    int rc = parse_doc(b, root, path, err);
    cJSON_Delete(root);
    if (rc)
        bsp_board_free(b);
    return rc;
}

int bsp_board_load(bsp_board *b, const char *path, bsp_err *err)
{
    char *text = NULL;
    bsp_board_init(b);
    int rc = bsp_file_slurp(path, &text, err);
    if (rc)
        return rc;
    rc = bsp_board_parse(b, text, path, err);
    free(text);
    return rc;
}

static cJSON *meas_json(const bsp_meas *m)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "median", m->median);
    cJSON_AddNumberToObject(o, "min", m->min);
    cJSON_AddNumberToObject(o, "max", m->max);
    cJSON_AddNumberToObject(o, "n", m->n);
    return o;
}

/* Add pts[0..n) to root as the array `name` (nothing when n == 0); -1 when
 * out of memory. */
static int bursts_json(cJSON *root, const char *name, const bsp_burst_pt *pts, int n)
{
    if (!n)
        return 0;
    cJSON *arr = cJSON_AddArrayToObject(root, name);
    if (!arr)
        return -1;
    for (int i = 0; i < n; i++) {
        cJSON *o = meas_json(&pts[i].ns);
        if (!o)
            return -1;
        cJSON_AddNumberToObject(o, "bytes", pts[i].bytes);
        cJSON_AddItemToArray(arr, o);
    }
    return 0;
}

static cJSON *section(cJSON *root, const char *name)
{
    cJSON *s = cJSON_GetObjectItemCaseSensitive(root, name);
    return s ? s : cJSON_AddObjectToObject(root, name);
}

char *bsp_board_to_json(const bsp_board *b)
{
    cJSON *root = cJSON_CreateObject();
    char *out = NULL;
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "schema", BSP_BOARD_SCHEMA);
    cJSON_AddNumberToObject(root, "version", BSP_BOARD_VERSION);
    cJSON_AddStringToObject(root, "name", b->name);
    cJSON *prov = section(root, "provenance");
    for (size_t i = 0; i < NELEM(prov_fields); i++)
        cJSON_AddStringToObject(prov, prov_fields[i].key, (const char *)b + prov_fields[i].off);
    cJSON *dev = section(root, "device");
    for (size_t i = 0; i < NELEM(device_fields); i++) {
        const num_field *f = &device_fields[i];
        double v = f->kind == F_INT ? *(const int *)((const char *)b + f->off)
                                    : *(const double *)((const char *)b + f->off);
        cJSON_AddNumberToObject(dev, f->key, v);
    }
    for (size_t i = 0; i < NELEM(meas_fields); i++) {
        const bsp_meas *m = (const bsp_meas *)((const char *)b + meas_fields[i].off);
        if (m->n == 0)
            continue;
        cJSON *s = section(root, meas_fields[i].section);
        cJSON *o = meas_json(m);
        if (!s || !o || !cJSON_AddItemToObject(s, meas_fields[i].key, o)) {
            cJSON_Delete(o);
            goto out;
        }
    }
    if (b->nfloor_grid) {
        cJSON *fg = cJSON_AddArrayToObject(root, "floor_grid");
        for (int i = 0; fg && i < b->nfloor_grid; i++) {
            cJSON *o = meas_json(&b->floor_grid[i].ns);
            if (!o)
                goto out;
            cJSON_AddNumberToObject(o, "blocks", b->floor_grid[i].blocks);
            cJSON_AddItemToArray(fg, o);
            if (b->floor_grid[i].replay.n) {
                cJSON *r = meas_json(&b->floor_grid[i].replay);
                if (!r || !cJSON_AddItemToObject(o, "replay", r)) {
                    cJSON_Delete(r);
                    goto out;
                }
            }
        }
    }
    if (bursts_json(root, "l2_burst", b->l2_burst, b->nl2_burst) ||
        bursts_json(root, "dram_burst", b->dram_burst, b->ndram_burst) ||
        bursts_json(root, "dram_copy", b->dram_copy, b->ndram_copy))
        goto out;
    cJSON *sw = cJSON_AddArrayToObject(root, "sweep");
    for (size_t i = 0; sw && i < b->nsweep; i++) {
        cJSON *p = cJSON_CreateObject();
        if (!p)
            goto out;
        cJSON_AddStringToObject(p, "level", b->sweep[i].level);
        cJSON_AddNumberToObject(p, "footprint_bytes", b->sweep[i].footprint_bytes);
        cJSON_AddNumberToObject(p, "cycles", b->sweep[i].cycles);
        cJSON_AddNumberToObject(p, "ns", b->sweep[i].ns);
        cJSON_AddItemToArray(sw, p);
    }
    out = cJSON_Print(root);
out:
    cJSON_Delete(root);
    return out;
}

int bsp_board_save(const bsp_board *b, const char *path, bsp_err *err)
{
    char *json = bsp_board_to_json(b);
    if (!json)
        return bsp_err_set(err, BSP_ENOMEM, "%s: out of memory serializing the board", path);
    size_t len = strlen(json);
    json[len] = '\0';
    int rc = bsp_file_write_whole(path, json, len, "\n", err);
    free(json);
    return rc;
}

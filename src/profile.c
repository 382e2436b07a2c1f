/* bsp_profile: per-launch profile CSV, streaming reader, per-kernel
 * aggregation, and the provenance sidecar. */
#include <cjson/cJSON.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/profile.h"
#include "csv.h"
#include "fileio.h"

/* The launch columns, in file order, as data.  Counter columns follow,
 * from the counter table. */
typedef enum { C_U64, C_U32, C_INT, C_DBL, C_STR } col_kind;
typedef struct col_def {
    const char *name;
    col_kind kind;
    size_t off;
    int required;
} col_def;

#define L(name, kind, member, req) { name, kind, offsetof(bsp_launch, member), req }
static const col_def launch_cols[] = {
    L("launch_id", C_U64, launch_id, 0),
    L("kernel", C_STR, kernel, 1),
    L("kernel_mangled", C_STR, kernel_mangled, 0),
    L("device", C_INT, device, 0),
    L("context_id", C_U32, context_id, 0),
    L("stream_id", C_U32, stream_id, 0),
    L("graph", C_INT, graph, 0),
    L("correlation_id", C_U64, correlation_id, 0),
    L("grid_x", C_U32, grid[0], 1),
    L("grid_y", C_U32, grid[1], 1),
    L("grid_z", C_U32, grid[2], 1),
    L("block_x", C_U32, block[0], 1),
    L("block_y", C_U32, block[1], 1),
    L("block_z", C_U32, block[2], 1),
    L("registers_per_thread", C_INT, registers_per_thread, 0),
    L("shared_static_bytes", C_U32, shared_static_bytes, 0),
    L("shared_dynamic_bytes", C_U32, shared_dynamic_bytes, 0),
    L("start_ns", C_U64, start_ns, 0),
    L("duration_ns", C_DBL, duration_ns, 1),
    L("profiled", C_INT, profiled, 0),
};
#undef L
#define NLAUNCH_COLS (sizeof launch_cols / sizeof launch_cols[0])

void bsp_launch_init(bsp_launch *l)
{
    memset(l, 0, sizeof *l);
    l->kernel = "";
    l->kernel_mangled = "";
    for (int i = 0; i < BSP_NCTR; i++)
        l->ctr[i] = NAN;
}

double bsp_launch_threads(const bsp_launch *l)
{
    return (double)l->grid[0] * l->grid[1] * l->grid[2] * (double)l->block[0] * l->block[1] * l->block[2];
}

/* ---- writing ---- */

struct bsp_profile_writer {
    FILE *f;
    char *tmp;
    char *path;
};

int bsp_profile_fprint_header(FILE *f)
{
    for (size_t i = 0; i < NLAUNCH_COLS; i++)
        fprintf(f, "%s%s", i ? "," : "", launch_cols[i].name);
    for (int i = 0; i < BSP_NCTR; i++)
        fprintf(f, ",%s", bsp_counters[i].column);
    fputc('\n', f);
    return ferror(f) ? BSP_EIO : 0;
}

/* Shortest text that reads back as the same double. */
static void put_num(FILE *f, double v)
{
    if (isnan(v))
        return;
    if (v == floor(v) && fabs(v) < 9e15)
        fprintf(f, "%.0f", v);
    else
        fprintf(f, "%.17g", v);
}

int bsp_profile_fprint_row(FILE *f, const bsp_launch *l)
{
    for (size_t i = 0; i < NLAUNCH_COLS; i++) {
        const col_def *c = &launch_cols[i];
        const char *p = (const char *)l + c->off;
        if (i)
            fputc(',', f);
        switch (c->kind) {
        case C_U64: fprintf(f, "%" PRIu64, *(const uint64_t *)p); break;
        case C_U32: fprintf(f, "%" PRIu32, *(const uint32_t *)p); break;
        case C_INT: fprintf(f, "%d", *(const int *)p); break;
        case C_DBL: put_num(f, *(const double *)p); break;
        case C_STR: bsp_csv_put_str(f, *(const char *const *)p); break;
        }
    }
    for (int i = 0; i < BSP_NCTR; i++) {
        fputc(',', f);
        put_num(f, l->ctr[i]);
    }
    fputc('\n', f);
    return ferror(f) ? BSP_EIO : 0;
}

int bsp_profile_writer_open(bsp_profile_writer **wp, const char *path, bsp_err *err)
{
    *wp = NULL;
    bsp_profile_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        return bsp_err_set(err, BSP_ENOMEM, "%s: out of memory", path);
    }
    w->f = bsp_atomic_open(path, &w->tmp, err);
    if (!w->f) {
        free(w->path);
        free(w);
        return err ? err->code : BSP_EIO;
    }
    setvbuf(w->f, NULL, _IOFBF, 1 << 20);
    bsp_profile_fprint_header(w->f);
    *wp = w;
    return 0;
}

int bsp_profile_writer_row(bsp_profile_writer *w, const bsp_launch *l, bsp_err *err)
{
    if (bsp_profile_fprint_row(w->f, l))
        return bsp_err_set(err, BSP_EIO, "%s: write error", w->path);
    return 0;
}

int bsp_profile_writer_close(bsp_profile_writer *w, int commit, bsp_err *err)
{
    int rc = 0;
    if (!w)
        return 0;
    if (commit)
        rc = bsp_atomic_commit(w->f, w->tmp, w->path, err);
    else
        bsp_atomic_abort(w->f, w->tmp);
    free(w->tmp);
    free(w->path);
    free(w);
    return rc;
}

/* ---- reading ---- */

static int parse_cell(const col_def *c, const char *s, bsp_launch *l, const char *path, long line, bsp_err *err)
{
    char *p = (char *)l + c->off;
    if (c->kind == C_STR) {
        *(const char **)p = s;
        return 0;
    }
    if (c->kind == C_DBL) {
        double v;
        if (bsp_csv_num(s, &v) || v < 0)
            return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': bad value '%s' (want a number >= 0)",
                               path, line, c->name, s);
        *(double *)p = v;
        return 0;
    }
    if (!*s && !c->required)
        return 0;
    /* digits only: the hot path of every row */
    unsigned long long v = 0;
    const char *end = s;
    while (*end >= '0' && *end <= '9' && v < 1844674407370955161ULL)
        v = v * 10 + (unsigned)(*end++ - '0');
    if (!*s || *end)
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': bad value '%s' (want an integer >= 0)",
                           path, line, c->name, s);
    if (c->kind == C_U64)
        *(uint64_t *)p = v;
    else if (c->kind == C_U32)
        *(uint32_t *)p = (uint32_t)v;
    else
        *(int *)p = (int)v;
    return 0;
}

int bsp_profile_read(const char *path, bsp_launch_cb cb, void *ud, bsp_err *err)
{
    bsp_csv c;
    int rc = bsp_csv_open(&c, path, err);
    if (rc)
        return rc;
    int lidx[NLAUNCH_COLS], cidx[BSP_NCTR];
    int ncols = 0;

    rc = bsp_csv_next(&c, err);
    if (rc <= 0) {
        if (rc == 0)
            rc = bsp_err_set(err, BSP_EPARSE, "%s: empty file (no header row)", path);
        goto out;
    }
    ncols = c.ncell;
    for (size_t i = 0; i < NLAUNCH_COLS; i++) {
        lidx[i] = -1;
        for (int j = 0; j < ncols; j++)
            if (strcmp(c.cell[j], launch_cols[i].name) == 0)
                lidx[i] = j;
        if (lidx[i] < 0 && launch_cols[i].required) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:1: missing required column '%s'", path, launch_cols[i].name);
            goto out;
        }
    }
    for (int i = 0; i < BSP_NCTR; i++) {
        cidx[i] = -1;
        for (int j = 0; j < ncols; j++)
            if (strcmp(c.cell[j], bsp_counters[i].column) == 0)
                cidx[i] = j;
    }
    uint64_t row = 0;
    while ((rc = bsp_csv_next(&c, err)) == 1) {
        bsp_launch l;
        bsp_launch_init(&l);
        l.launch_id = row++;
        if (c.ncell != ncols) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: %d cells, header has %d", path, c.line, c.ncell, ncols);
            goto out;
        }
        for (size_t i = 0; i < NLAUNCH_COLS; i++)
            if (lidx[i] >= 0 && (rc = parse_cell(&launch_cols[i], c.cell[lidx[i]], &l, path, c.line, err)))
                goto out;
        for (int i = 0; i < BSP_NCTR; i++) {
            const char *s = cidx[i] >= 0 ? c.cell[cidx[i]] : "";
            if (!*s)
                continue;
            if (bsp_csv_num(s, &l.ctr[i])) {
                rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': bad value '%s'",
                                 path, c.line, bsp_counters[i].column, s);
                goto out;
            }
        }
        if (!l.kernel[0]) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'kernel': empty", path, c.line);
            goto out;
        }
        if (!l.grid[0] || !l.grid[1] || !l.grid[2] || !l.block[0] || !l.block[1] || !l.block[2]) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: columns 'grid_*'/'block_*': a dimension is 0", path, c.line);
            goto out;
        }
        if ((rc = cb(&l, ud)))
            goto out;
    }
out:
    bsp_csv_close(&c);
    return rc;
}

/* ---- aggregation ---- */

typedef struct kagg {
    double *dur;        /* durations of unprofiled launches, for the median */
    size_t ndur, capdur;
    double *pdur;       /* durations of profiled (replayed) launches */
    size_t npdur, cappdur;
    double ctr_sum[BSP_NCTR];
    uint64_t ctr_n[BSP_NCTR];
} kagg;

typedef struct kindex {
    size_t *slot;       /* open-addressing table of kernel indices + 1 */
    size_t nslot;
    size_t capseq;      /* allocated entries of ks->seq */
    kagg *agg;
    size_t cap;
} kindex;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int bsp_kernel_set_init(bsp_kernel_set *ks)
{
    memset(ks, 0, sizeof *ks);
    kindex *ix = calloc(1, sizeof *ix);
    if (!ix)
        return BSP_ENOMEM;
    ix->nslot = 1024;
    ix->slot = calloc(ix->nslot, sizeof *ix->slot);
    if (!ix->slot) {
        free(ix);
        return BSP_ENOMEM;
    }
    ks->priv_ = ix;
    return 0;
}

static size_t *find_slot(const kindex *ix, const bsp_kernel *k, const char *key)
{
    size_t i = hash_str(key) & (ix->nslot - 1);
    while (ix->slot[i] && strcmp(k[ix->slot[i] - 1].key, key) != 0)
        i = (i + 1) & (ix->nslot - 1);
    return &ix->slot[i];
}

static int grow_index(bsp_kernel_set *ks)
{
    kindex *ix = ks->priv_;
    size_t n = ix->nslot * 2;
    size_t *ns = calloc(n, sizeof *ns);
    if (!ns)
        return BSP_ENOMEM;
    free(ix->slot);
    ix->slot = ns;
    ix->nslot = n;
    for (size_t i = 0; i < ks->n; i++)
        *find_slot(ix, ks->k, ks->k[i].key) = i + 1;
    return 0;
}

/* Append the decimal digits of v at p; returns the new end. */
static char *put_u32(char *p, uint32_t v)
{
    char tmp[10];
    int n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10));
    while (n)
        *p++ = tmp[--n];
    return p;
}

char *bsp_launch_key(const bsp_launch *l, char *buf, size_t n)
{
    size_t len = strnlen(l->kernel, BSP_NAME_MAX);
    char *p = buf;
    (void)n;
    memcpy(p, l->kernel, len);
    p += len;
    for (int i = 0; i < 6; i++) {
        *p++ = i == 0 || i == 3 ? '|' : ',';
        p = put_u32(p, i < 3 ? l->grid[i] : l->block[i - 3]);
    }
    *p = '\0';
    return buf;
}

int bsp_kernel_set_add(bsp_kernel_set *ks, const bsp_launch *l, bsp_err *err)
{
    kindex *ix = ks->priv_;
    char keybuf[BSP_NAME_MAX + 96];
    bsp_launch_key(l, keybuf, sizeof keybuf);
    size_t *slot = find_slot(ix, ks->k, keybuf);
    bsp_kernel *k;
    kagg *a;
    if (*slot) {
        k = &ks->k[*slot - 1];
        a = &ix->agg[*slot - 1];
    } else {
        if (ks->n == ix->cap) {
            size_t nc = ix->cap ? ix->cap * 2 : 64;
            bsp_kernel *nk = realloc(ks->k, nc * sizeof *nk);
            if (!nk)
                return bsp_err_set(err, BSP_ENOMEM, "out of memory aggregating kernels");
            ks->k = nk;
            kagg *na = realloc(ix->agg, nc * sizeof *na);
            if (!na)
                return bsp_err_set(err, BSP_ENOMEM, "out of memory aggregating kernels");
            ix->agg = na;
            ix->cap = nc;
        }
        k = &ks->k[ks->n];
        a = &ix->agg[ks->n];
        memset(k, 0, sizeof *k);
        memset(a, 0, sizeof *a);
        k->key = strdup(keybuf);
        k->name = strdup(l->kernel);
        if (!k->key || !k->name) {
            free(k->key);
            free(k->name);
            return bsp_err_set(err, BSP_ENOMEM, "out of memory aggregating kernels");
        }
        memcpy(k->grid, l->grid, sizeof k->grid);
        memcpy(k->block, l->block, sizeof k->block);
        k->threads = bsp_launch_threads(l);
        k->registers_per_thread = l->registers_per_thread;
        k->shared_bytes = l->shared_static_bytes + l->shared_dynamic_bytes;
        k->dur_min_ns = INFINITY;
        k->first_launch_id = l->launch_id;
        ks->n++;
        *find_slot(ix, ks->k, keybuf) = ks->n;
        if (ks->n * 2 > ix->nslot && grow_index(ks))
            return bsp_err_set(err, BSP_ENOMEM, "out of memory aggregating kernels");
    }
    double **arr = l->profiled ? &a->pdur : &a->dur;
    size_t *len = l->profiled ? &a->npdur : &a->ndur, *cap = l->profiled ? &a->cappdur : &a->capdur;
    if (*len == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        double *nd = realloc(*arr, nc * sizeof *nd);
        if (!nd)
            return bsp_err_set(err, BSP_ENOMEM, "out of memory aggregating kernels");
        *arr = nd;
        *cap = nc;
    }
    (*arr)[(*len)++] = l->duration_ns;
    if (ks->nseq == ix->capseq) {
        size_t nc = ix->capseq ? ix->capseq * 2 : 256;
        bsp_seq_launch *ns = realloc(ks->seq, nc * sizeof *ns);
        if (!ns)
            return bsp_err_set(err, BSP_ENOMEM, "out of memory aggregating kernels");
        ks->seq = ns;
        ix->capseq = nc;
    }
    ks->seq[ks->nseq++] = (bsp_seq_launch){ (uint32_t)(k - ks->k), l->profiled, l->duration_ns };
    k->launches++;
    if (l->duration_ns < k->dur_min_ns)
        k->dur_min_ns = l->duration_ns;
    if (l->duration_ns > k->dur_max_ns)
        k->dur_max_ns = l->duration_ns;
    int any = 0;
    for (int i = 0; i < BSP_NCTR; i++)
        if (!isnan(l->ctr[i])) {
            a->ctr_sum[i] += l->ctr[i];
            a->ctr_n[i]++;
            any = 1;
        }
    if (any || l->profiled)
        k->profiled++;
    ks->launches++;
    return 0;
}

/* Whether launches i and j of ks->seq have the same configurations on
 * BSP_CALL_CONTEXT launches either side (none beyond either end). */
static int same_context(const bsp_kernel_set *ks, size_t i, size_t j)
{
    for (size_t d = 1; d <= BSP_CALL_CONTEXT; d++) {
        int bi = i < d, bj = j < d;
        if (bi != bj || (!bi && ks->seq[i - d].kernel != ks->seq[j - d].kernel))
            return 0;
        bi = i + d >= ks->nseq;
        bj = j + d >= ks->nseq;
        if (bi != bj || (!bi && ks->seq[i + d].kernel != ks->seq[j + d].kernel))
            return 0;
    }
    return 1;
}

/* Whether launch i of ks->seq is timed and the same call as its kernel's
 * first profiled launch (first[], SIZE_MAX for none). */
static int same_call(const bsp_kernel_set *ks, const size_t *first, size_t i)
{
    size_t f = first[ks->seq[i].kernel];
    return !ks->seq[i].profiled && f != SIZE_MAX && same_context(ks, i, f);
}

/* dur_call_ns of every kernel: the median of its unprofiled launches that
 * are the same call as its first profiled launch. */
static int call_durations(bsp_kernel_set *ks, bsp_err *err)
{
    size_t n = ks->n ? ks->n : 1;
    size_t *first = malloc(n * sizeof *first), *off = calloc(n + 1, sizeof *off), *pos = malloc(n * sizeof *pos);
    double *dur = malloc((ks->nseq ? ks->nseq : 1) * sizeof *dur);
    int rc = 0;
    if (!first || !off || !pos || !dur) {
        rc = bsp_err_set(err, BSP_ENOMEM, "out of memory aggregating kernels");
        goto out;
    }
    for (size_t k = 0; k < ks->n; k++) {
        first[k] = SIZE_MAX;
        ks->k[k].dur_call_ns = NAN;
    }
    for (size_t i = 0; i < ks->nseq; i++)
        if (ks->seq[i].profiled && first[ks->seq[i].kernel] == SIZE_MAX)
            first[ks->seq[i].kernel] = i;
    /* kernel k's same calls go to dur[off[k] .. off[k + 1]) */
    for (size_t i = 0; i < ks->nseq; i++)
        if (same_call(ks, first, i))
            off[ks->seq[i].kernel + 1]++;
    for (size_t k = 0; k < ks->n; k++) {
        off[k + 1] += off[k];
        pos[k] = off[k];
    }
    for (size_t i = 0; i < ks->nseq; i++)
        if (same_call(ks, first, i))
            dur[pos[ks->seq[i].kernel]++] = ks->seq[i].duration_ns;
    for (size_t k = 0; k < ks->n; k++)
        if (off[k + 1] > off[k])
            ks->k[k].dur_call_ns = gsl_stats_median(dur + off[k], 1, off[k + 1] - off[k]);
out:
    free(first);
    free(off);
    free(pos);
    free(dur);
    return rc;
}

int bsp_kernel_set_finish(bsp_kernel_set *ks, bsp_err *err)
{
    kindex *ix = ks->priv_;
    for (size_t i = 0; i < ks->n; i++) {
        bsp_kernel *k = &ks->k[i];
        kagg *a = &ix->agg[i];
        /* A replayed launch's duration is taken under replay and runs long
         * for short kernels: a configuration is timed by its unprofiled
         * launches when it has any, and in sums a profiled launch counts
         * at that median. */
        double usum = 0;
        for (size_t j = 0; j < a->ndur; j++)
            usum += a->dur[j];
        k->dur_replay_ns = a->npdur ? gsl_stats_median(a->pdur, 1, a->npdur) : NAN;
        if (a->ndur) {
            k->dur_median_ns = gsl_stats_median(a->dur, 1, a->ndur);
            k->dur_sum_ns = usum + (double)a->npdur * k->dur_median_ns;
        } else {
            k->dur_median_ns = k->dur_replay_ns;
            for (size_t j = 0; j < a->npdur; j++)
                k->dur_sum_ns += a->pdur[j];
        }
        k->dur_mean_ns = k->dur_sum_ns / (double)k->launches;
        ks->dur_sum_ns += k->dur_sum_ns;
        free(a->pdur);
        a->pdur = NULL;
        a->npdur = a->cappdur = 0;
        for (int c = 0; c < BSP_NCTR; c++)
            k->ctr[c] = a->ctr_n[c] ? a->ctr_sum[c] / (double)a->ctr_n[c] : NAN;
        free(a->dur);
        a->dur = NULL;
        a->ndur = a->capdur = 0;
    }
    return call_durations(ks, err);
}

const bsp_kernel *bsp_kernel_set_find(const bsp_kernel_set *ks, const char *key)
{
    const kindex *ix = ks->priv_;
    if (!ix)
        return NULL;
    size_t s = *find_slot(ix, ks->k, key);
    return s ? &ks->k[s - 1] : NULL;
}

void bsp_kernel_set_free(bsp_kernel_set *ks)
{
    if (!ks)
        return;
    kindex *ix = ks->priv_;
    for (size_t i = 0; i < ks->n; i++) {
        free(ks->k[i].key);
        free(ks->k[i].name);
        if (ix && ix->agg) {
            free(ix->agg[i].dur);
            free(ix->agg[i].pdur);
        }
    }
    free(ks->k);
    free(ks->seq);
    if (ix) {
        free(ix->slot);
        free(ix->agg);
        free(ix);
    }
    memset(ks, 0, sizeof *ks);
}

static int agg_cb(const bsp_launch *l, void *ud)
{
    void **p = ud;
    return bsp_kernel_set_add(p[0], l, p[1]);
}

int bsp_profile_aggregate(const char *path, bsp_kernel_set *ks, bsp_err *err)
{
    int rc = bsp_kernel_set_init(ks);
    if (rc)
        return bsp_err_set(err, rc, "out of memory");
    void *ud[2] = { ks, err };
    rc = bsp_profile_read(path, agg_cb, ud, err);
    if (!rc && ks->launches == 0)
        rc = bsp_err_set(err, BSP_EPARSE, "%s: no launches in profile", path);
    if (!rc)
        rc = bsp_kernel_set_finish(ks, err);
    if (rc)
        bsp_kernel_set_free(ks);
    return rc;
}

/* ---- provenance sidecar ---- */

typedef struct meta_str { const char *key; size_t off, size; } meta_str;
#define MS(m) { #m, offsetof(bsp_profile_meta, m), sizeof(((bsp_profile_meta *)0)->m) }
static const meta_str meta_strs[] = {
    MS(device), MS(driver), MS(cuda), MS(date), MS(tool_version), MS(host), MS(board),
    MS(command), MS(metric_set), MS(capture_range), MS(notes),
};
#undef MS

static char *meta_path(const char *profile_path)
{
    size_t n = strlen(profile_path) + 16;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s.meta.json", profile_path);
    return p;
}

int bsp_profile_meta_save(const bsp_profile_meta *m, const char *profile_path, bsp_err *err)
{
    int rc = BSP_ENOMEM;
    char *path = meta_path(profile_path), *json = NULL;
    cJSON *o = cJSON_CreateObject();
    if (!path || !o)
        goto out;
    cJSON_AddStringToObject(o, "schema", "bspgpu-profile-meta");
    cJSON_AddNumberToObject(o, "version", 1);
    for (size_t i = 0; i < sizeof meta_strs / sizeof meta_strs[0]; i++)
        cJSON_AddStringToObject(o, meta_strs[i].key, (const char *)m + meta_strs[i].off);
    cJSON_AddNumberToObject(o, "passes", m->passes);
    cJSON_AddNumberToObject(o, "clock_mhz_seen", m->clock_mhz_seen);
    cJSON_AddNumberToObject(o, "app_wall_ns", m->app_wall_ns);
    cJSON_AddNumberToObject(o, "app_exit_code", m->app_exit_code);
    json = cJSON_Print(o);
    if (!json)
        goto out;
    rc = bsp_file_write_whole(path, json, strlen(json), "\n", err);
out:
    if (rc == BSP_ENOMEM)
        bsp_err_set(err, rc, "%s: out of memory writing metadata", profile_path);
    cJSON_Delete(o);
    free(json);
    free(path);
    return rc;
}

int bsp_profile_meta_load(bsp_profile_meta *m, const char *profile_path, bsp_err *err)
{
    memset(m, 0, sizeof *m);
    char *path = meta_path(profile_path), *text = NULL;
    cJSON *o = NULL;
    int rc;
    if (!path)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    if ((rc = bsp_file_slurp(path, &text, err)))
        goto out;
    o = cJSON_Parse(text);
    if (!cJSON_IsObject(o)) {
        rc = bsp_err_set(err, BSP_EPARSE, "%s: invalid JSON", path);
        goto out;
    }
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(o, "schema");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(o, "version");
    if (!cJSON_IsString(sc) || strcmp(sc->valuestring, "bspgpu-profile-meta") != 0) {
        rc = bsp_err_set(err, BSP_EPARSE, "%s: field 'schema': expected \"bspgpu-profile-meta\"", path);
        goto out;
    }
    if (!cJSON_IsNumber(ver) || ver->valueint < 1 || ver->valueint > 1) {
        rc = bsp_err_set(err, BSP_EPARSE, "%s: field 'version': missing or not supported (this bspgpu reads 1)", path);
        goto out;
    }
    for (size_t i = 0; i < sizeof meta_strs / sizeof meta_strs[0]; i++) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, meta_strs[i].key);
        if (cJSON_IsString(s))
            snprintf((char *)m + meta_strs[i].off, meta_strs[i].size, "%s", s->valuestring);
    }
    const cJSON *x;
    if (cJSON_IsNumber(x = cJSON_GetObjectItemCaseSensitive(o, "passes")))
        m->passes = x->valueint;
    if (cJSON_IsNumber(x = cJSON_GetObjectItemCaseSensitive(o, "clock_mhz_seen")))
        m->clock_mhz_seen = x->valuedouble;
    if (cJSON_IsNumber(x = cJSON_GetObjectItemCaseSensitive(o, "app_wall_ns")))
        m->app_wall_ns = x->valuedouble;
    if (cJSON_IsNumber(x = cJSON_GetObjectItemCaseSensitive(o, "app_exit_code")))
        m->app_exit_code = x->valueint;
out:
    cJSON_Delete(o);
    free(text);
    free(path);
    return rc;
}

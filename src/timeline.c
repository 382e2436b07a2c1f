/* bsp_timeline: a run's GPU activities and host API calls on one clock,
 * its cut into kernels, copies and gaps, and the prediction of its time on
 * another board (docs/model.md, "Whole-application time"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bspgpu/model.h"
#include "bspgpu/profile.h"
#include "bspgpu/timeline.h"
#include "csv.h"

/* ---- loading ---- */

typedef struct loader {
    bsp_timeline *t;
    bsp_kernel_set ks;
    size_t cap;
    bsp_err *err;
} loader;

static int push_act(bsp_timeline *t, size_t *cap, const bsp_activity *a)
{
    if (t->nact == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        bsp_activity *na = realloc(t->act, nc * sizeof *na);
        if (!na)
            return BSP_ENOMEM;
        t->act = na;
        *cap = nc;
    }
    t->act[t->nact++] = *a;
    return 0;
}

static int on_launch(const bsp_launch *l, void *ud)
{
    loader *ld = ud;
    char key[BSP_KEY_MAX];
    int rc = bsp_kernel_set_add(&ld->ks, l, ld->err);
    if (rc)
        return rc;
    const bsp_kernel *k = bsp_kernel_set_find(&ld->ks, bsp_launch_key(l, key, sizeof key));
    bsp_activity a = {
        .kind = BSP_ACT_KERNEL, .stream = (uint64_t)l->context_id << 32 | l->stream_id,
        .correlation_id = l->correlation_id, .duration_ns = l->duration_ns,
        .key = k ? (int)(k - ld->ks.k) : -1, .dir = BSP_DIR_NONE, .api = -1,
    };
    if (l->start_ns) {
        a.start_ns = l->start_ns;
        a.end_ns = l->start_ns + (uint64_t)llround(l->duration_ns);
    }
    if (push_act(ld->t, &ld->cap, &a))
        return bsp_err_set(ld->err, BSP_ENOMEM, "out of memory reading launches");
    return 0;
}

/* The first of PATH + suffix, PATH + suffix + ".gz" that exists, into buf;
 * 0 if found. */
static int find_sidecar(const char *path, const char *suffix, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s", path, suffix);
    if (access(buf, R_OK) == 0)
        return 0;
    snprintf(buf, n, "%s%s.gz", path, suffix);
    return access(buf, R_OK) == 0 ? 0 : -1;
}

/* Open path and read its header row: the index of each named column into
 * idx (-1 where absent) and the header's width into *ncols.  A missing
 * required column (req[i] != 0) fails naming it; on failure c is closed. */
static int open_table(bsp_csv *c, const char *path, const char *const *names, const int *req, int *idx, int n,
                      int *ncols, bsp_err *err)
{
    int rc = bsp_csv_open(c, path, err);
    if (rc)
        return rc;
    if ((rc = bsp_csv_next(c, err)) <= 0) {
        if (rc == 0)
            rc = bsp_err_set(err, BSP_EPARSE, "%s: empty file (no header row)", path);
        bsp_csv_close(c);
        return rc;
    }
    *ncols = c->ncell;
    for (int i = 0; i < n; i++) {
        idx[i] = -1;
        for (int j = 0; j < c->ncell; j++)
            if (strcmp(c->cell[j], names[i]) == 0)
                idx[i] = j;
        if (idx[i] < 0 && req[i]) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: missing required column '%s'", c->path, c->line, names[i]);
            bsp_csv_close(c);
            return rc;
        }
    }
    return 0;
}

/* The next data row, which must be as wide as the header: 1 for a row, 0
 * at end of file, negative on error. */
static int next_row(bsp_csv *c, int ncols, bsp_err *err)
{
    int rc = bsp_csv_next(c, err);
    if (rc == 1 && c->ncell != ncols)
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: %d cells, header has %d", c->path, c->line, c->ncell, ncols);
    return rc;
}

static int cell_u64(const bsp_csv *c, int idx, const char *name, uint64_t *out, bsp_err *err)
{
    double v;
    if (idx < 0) {
        *out = 0;
        return 0;
    }
    const char *s = c->cell[idx];
    if (bsp_csv_num(s, &v) || v < 0 || v != floor(v))
        return bsp_err_set(err, BSP_EPARSE, "%s:%ld: column '%s': bad value '%s' (want an integer >= 0)", c->path,
                           c->line, name, s);
    /* timestamps exceed 2^53: parse the digits themselves */
    *out = strtoull(s, NULL, 10);
    return 0;
}

enum { M_OP, M_DIR, M_BYTES, M_SRC, M_DST, M_CTX, M_STREAM, M_CORR, M_START, M_DUR, M_N };

static int load_memops(bsp_timeline *t, size_t *cap, const char *path, bsp_err *err)
{
    static const char *const names[M_N] = { "op", "direction", "bytes", "src_kind", "dst_kind", "context_id",
                                            "stream_id", "correlation_id", "start_ns", "duration_ns" };
    static const int req[M_N] = { 1, 1, 1, 1, 1, 0, 0, 0, 1, 1 };
    int idx[M_N], ncols;
    bsp_csv c;
    int rc = open_table(&c, path, names, req, idx, M_N, &ncols, err);
    if (rc)
        return rc;
    while ((rc = next_row(&c, ncols, err)) == 1) {
        bsp_activity a = { .key = -1, .api = -1 };
        const char *op = c.cell[idx[M_OP]], *dir = c.cell[idx[M_DIR]];
        if (strcmp(op, "memcpy") == 0)
            a.kind = BSP_ACT_MEMCPY;
        else if (strcmp(op, "memset") == 0)
            a.kind = BSP_ACT_MEMSET;
        else {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'op': bad value '%s' (want memcpy or memset)", path,
                             c.line, op);
            goto out;
        }
        a.dir = a.kind == BSP_ACT_MEMSET ? BSP_DIR_NONE
                : strcmp(dir, "HtoD") == 0 ? BSP_DIR_HTOD
                : strcmp(dir, "DtoH") == 0 ? BSP_DIR_DTOH
                : strcmp(dir, "DtoD") == 0 ? BSP_DIR_DTOD : BSP_DIR_OTHER;
        const char *host_side = a.dir == BSP_DIR_DTOH ? c.cell[idx[M_DST]] : c.cell[idx[M_SRC]];
        a.pinned = strcmp(host_side, "pinned") == 0;
        uint64_t ctx, stream, start, dur;
        if ((rc = cell_u64(&c, idx[M_BYTES], "bytes", &a.bytes, err)) ||
            (rc = cell_u64(&c, idx[M_CTX], "context_id", &ctx, err)) ||
            (rc = cell_u64(&c, idx[M_STREAM], "stream_id", &stream, err)) ||
            (rc = cell_u64(&c, idx[M_CORR], "correlation_id", &a.correlation_id, err)) ||
            (rc = cell_u64(&c, idx[M_START], "start_ns", &start, err)) ||
            (rc = cell_u64(&c, idx[M_DUR], "duration_ns", &dur, err)))
            goto out;
        a.stream = ctx << 32 | (stream & 0xffffffffu);
        a.duration_ns = (double)dur;
        if (start) {
            a.start_ns = start;
            a.end_ns = start + dur;
        }
        if (push_act(t, cap, &a)) {
            rc = bsp_err_set(err, BSP_ENOMEM, "out of memory reading %s", path);
            goto out;
        }
    }
out:
    bsp_csv_close(&c);
    return rc;
}

enum { A_DOMAIN, A_API, A_CLASS, A_THREAD, A_CORR, A_START, A_END, A_N };

static int load_api(bsp_timeline *t, const char *path, bsp_err *err)
{
    static const char *const names[A_N] = { "domain", "api", "class", "thread_id", "correlation_id", "start_ns",
                                            "end_ns" };
    static const int req[A_N] = { 1, 1, 1, 1, 1, 1, 1 };
    static const char *const classes[BSP_API_NCLASS] = { "launch", "graph", "memcpy", "memset", "sync", "other" };
    int idx[A_N], ncols;
    size_t cap = 0;
    bsp_csv c;
    int rc = open_table(&c, path, names, req, idx, A_N, &ncols, err);
    if (rc)
        return rc;
    while ((rc = next_row(&c, ncols, err)) == 1) {
        bsp_api_call a = { .outer = -1, .klass = -1 };
        const char *dom = c.cell[idx[A_DOMAIN]], *cls = c.cell[idx[A_CLASS]], *api = c.cell[idx[A_API]];
        if (strcmp(dom, "runtime") && strcmp(dom, "driver")) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'domain': bad value '%s' (want runtime or driver)",
                             path, c.line, dom);
            goto out;
        }
        a.driver = dom[0] == 'd';
        for (int i = 0; i < BSP_API_NCLASS; i++)
            if (strcmp(cls, classes[i]) == 0)
                a.klass = i;
        if (a.klass < 0) {
            rc = bsp_err_set(err, BSP_EPARSE,
                             "%s:%ld: column 'class': bad value '%s' (want launch, graph, memcpy, memset, sync "
                             "or other)", path, c.line, cls);
            goto out;
        }
        /* queries and stream-side waits never hold the host */
        if (a.klass == BSP_API_SYNC && (strstr(api, "Query") || strstr(api, "WaitEvent")))
            a.klass = BSP_API_OTHER;
        uint64_t th;
        if ((rc = cell_u64(&c, idx[A_THREAD], "thread_id", &th, err)) ||
            (rc = cell_u64(&c, idx[A_CORR], "correlation_id", &a.correlation_id, err)) ||
            (rc = cell_u64(&c, idx[A_START], "start_ns", &a.start_ns, err)) ||
            (rc = cell_u64(&c, idx[A_END], "end_ns", &a.end_ns, err)))
            goto out;
        if (a.end_ns < a.start_ns) {
            rc = bsp_err_set(err, BSP_EPARSE, "%s:%ld: column 'end_ns': before start_ns", path, c.line);
            goto out;
        }
        a.thread_id = (uint32_t)th;
        a.device_sync = strstr(api, "DeviceSynchronize") || strstr(api, "CtxSynchronize");
        if (t->napi == cap) {
            size_t nc = cap ? cap * 2 : 256;
            bsp_api_call *na = realloc(t->api, nc * sizeof *na);
            if (!na) {
                rc = bsp_err_set(err, BSP_ENOMEM, "out of memory reading %s", path);
                goto out;
            }
            t->api = na;
            cap = nc;
        }
        t->api[t->napi++] = a;
    }
out:
    bsp_csv_close(&c);
    return rc;
}

static int cmp_act(const void *pa, const void *pb)
{
    const bsp_activity *a = pa, *b = pb;
    int ua = a->start_ns == 0, ub = b->start_ns == 0; /* untimed last */
    if (ua != ub)
        return ua - ub;
    if (a->start_ns != b->start_ns)
        return a->start_ns < b->start_ns ? -1 : 1;
    return (a->end_ns > b->end_ns) - (a->end_ns < b->end_ns);
}

/* by thread, start, then longest first (outer calls before what they hold) */
static int cmp_api_thread(const void *pa, const void *pb)
{
    const bsp_api_call *a = pa, *b = pb;
    if (a->thread_id != b->thread_id)
        return a->thread_id < b->thread_id ? -1 : 1;
    if (a->start_ns != b->start_ns)
        return a->start_ns < b->start_ns ? -1 : 1;
    return (a->end_ns < b->end_ns) - (a->end_ns > b->end_ns);
}

static int cmp_api_start(const void *pa, const void *pb)
{
    const bsp_api_call *a = pa, *b = pb;
    if (a->start_ns != b->start_ns)
        return a->start_ns < b->start_ns ? -1 : 1;
    if (a->thread_id != b->thread_id)
        return a->thread_id < b->thread_id ? -1 : 1;
    return (a->end_ns < b->end_ns) - (a->end_ns > b->end_ns);
}

typedef struct corr_ent { uint64_t corr; long api; } corr_ent;

static int cmp_corr(const void *pa, const void *pb)
{
    const corr_ent *a = pa, *b = pb;
    return (a->corr > b->corr) - (a->corr < b->corr);
}

/* Mark nested calls (outer = the top-level call holding them), sort calls
 * by start, and point each activity at the top-level call it came from. */
static int link_api(bsp_timeline *t, bsp_err *err)
{
    if (!t->napi)
        return 0;
    /* nesting, per thread: a call inside the current top-level call's span */
    qsort(t->api, t->napi, sizeof *t->api, cmp_api_thread);
    for (size_t i = 0; i < t->napi; i++)
        t->api[i].outer = -1;
    size_t top = 0;
    for (size_t i = 1; i < t->napi; i++) {
        bsp_api_call *a = &t->api[i], *o = &t->api[top];
        if (a->thread_id == o->thread_id && a->start_ns >= o->start_ns && a->end_ns <= o->end_ns)
            a->outer = 1; /* mark; resolved below once the order is final */
        else
            top = i;
    }
    /* the top-level call's correlation id stands for the nested ones */
    corr_ent *ce = malloc(t->napi * sizeof *ce);
    if (!ce)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory linking API calls");
    uint64_t top_corr = 0;
    for (size_t i = 0; i < t->napi; i++) {
        if (t->api[i].outer < 0)
            top_corr = t->api[i].correlation_id;
        ce[i].corr = t->api[i].correlation_id;
        ce[i].api = (long)top_corr; /* temporarily: the top-level correlation id */
    }
    qsort(t->api, t->napi, sizeof *t->api, cmp_api_start);
    /* top-level correlation id -> index in start order */
    corr_ent *tops = malloc(t->napi * sizeof *tops);
    if (!tops) {
        free(ce);
        return bsp_err_set(err, BSP_ENOMEM, "out of memory linking API calls");
    }
    size_t ntop = 0;
    for (size_t i = 0; i < t->napi; i++)
        if (t->api[i].outer < 0)
            tops[ntop++] = (corr_ent){ t->api[i].correlation_id, (long)i };
    qsort(tops, ntop, sizeof *tops, cmp_corr);
    for (size_t i = 0; i < t->napi; i++) {
        corr_ent key = { (uint64_t)ce[i].api, 0 };
        corr_ent *f = bsearch(&key, tops, ntop, sizeof *tops, cmp_corr);
        ce[i].api = f ? f->api : -1;
    }
    qsort(ce, t->napi, sizeof *ce, cmp_corr);
    for (size_t i = 0; i < t->napi; i++)
        if (t->api[i].outer >= 0) {
            corr_ent key = { t->api[i].correlation_id, 0 };
            corr_ent *f = bsearch(&key, ce, t->napi, sizeof *ce, cmp_corr);
            t->api[i].outer = f && f->api != (long)i ? f->api : -1;
        }
    for (size_t i = 0; i < t->nact; i++) {
        bsp_activity *a = &t->act[i];
        corr_ent key = { a->correlation_id, 0 };
        corr_ent *f = a->correlation_id ? bsearch(&key, ce, t->napi, sizeof *ce, cmp_corr) : NULL;
        a->api = f ? f->api : -1;
    }
    free(ce);
    free(tops);
    return 0;
}

int bsp_timeline_load(bsp_timeline *t, const char *path, bsp_err *err)
{
    memset(t, 0, sizeof *t);
    t->app_wall_ns = NAN;
    loader ld = { .t = t, .err = err };
    char side[4200];
    int rc = bsp_kernel_set_init(&ld.ks);
    if (rc)
        return bsp_err_set(err, rc, "out of memory");
    if ((rc = bsp_profile_read(path, on_launch, &ld, err)))
        goto fail;
    if (find_sidecar(path, ".memops.csv", side, sizeof side) == 0) {
        t->has_memops = 1;
        if ((rc = load_memops(t, &ld.cap, side, err)))
            goto fail;
    }
    if (find_sidecar(path, ".api.csv", side, sizeof side) == 0) {
        t->has_api = 1;
        if ((rc = load_api(t, side, err)))
            goto fail;
    }
    bsp_profile_meta m;
    snprintf(side, sizeof side, "%s.meta.json", path);
    if (access(side, R_OK) == 0) {
        if ((rc = bsp_profile_meta_load(&m, path, err)))
            goto fail;
        /* a profile of a capture range holds part of the process: the
         * process's wall time is not that part's */
        int part = m.capture_range[0] && strcmp(m.capture_range, "none") != 0;
        if (m.app_wall_ns > 0 && !part)
            t->app_wall_ns = m.app_wall_ns;
        snprintf(t->metric_set, sizeof t->metric_set, "%s", m.metric_set);
    }
    qsort(t->act, t->nact, sizeof *t->act, cmp_act);
    while (t->ntimed < t->nact && t->act[t->ntimed].start_ns)
        t->ntimed++;
    if ((rc = link_api(t, err)))
        goto fail;
    /* keep the keys, drop the rest of the aggregation */
    t->nkeys = ld.ks.n;
    if (t->nkeys) {
        t->keys = calloc(t->nkeys, sizeof *t->keys);
        if (!t->keys) {
            rc = bsp_err_set(err, BSP_ENOMEM, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < t->nkeys; i++) {
            t->keys[i] = ld.ks.k[i].key;
            ld.ks.k[i].key = NULL;
        }
    }
    bsp_kernel_set_free(&ld.ks);
    return 0;
fail:
    bsp_kernel_set_free(&ld.ks);
    bsp_timeline_free(t);
    return rc;
}

void bsp_timeline_free(bsp_timeline *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nkeys; i++)
        free(t->keys[i]);
    free(t->keys);
    free(t->act);
    free(t->api);
    memset(t, 0, sizeof *t);
    t->app_wall_ns = NAN;
}

/* ---- summary ---- */

/* First start and last end of the timed activities and top-level calls;
 * 0 if there is nothing timed. */
static int window(const bsp_timeline *t, uint64_t *t0, uint64_t *t1)
{
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < t->ntimed; i++) {
        if (t->act[i].start_ns < lo)
            lo = t->act[i].start_ns;
        if (t->act[i].end_ns > hi)
            hi = t->act[i].end_ns;
    }
    for (size_t i = 0; i < t->napi; i++) {
        if (t->api[i].outer >= 0)
            continue;
        if (t->api[i].start_ns < lo)
            lo = t->api[i].start_ns;
        if (t->api[i].end_ns > hi)
            hi = t->api[i].end_ns;
    }
    if (lo == UINT64_MAX)
        return -1;
    *t0 = lo;
    *t1 = hi;
    return 0;
}

/* Length of the union of the timed activities' intervals (sorted by start),
 * only kernels if kernels_only. */
static double union_ns(const bsp_timeline *t, int kernels_only)
{
    double tot = 0;
    uint64_t cs = 0, ce = 0;
    int open = 0;
    for (size_t i = 0; i < t->ntimed; i++) {
        const bsp_activity *a = &t->act[i];
        if (kernels_only && a->kind != BSP_ACT_KERNEL)
            continue;
        if (open && a->start_ns <= ce) {
            if (a->end_ns > ce)
                ce = a->end_ns;
            continue;
        }
        if (open)
            tot += (double)(ce - cs);
        cs = a->start_ns;
        ce = a->end_ns;
        open = 1;
    }
    if (open)
        tot += (double)(ce - cs);
    return tot;
}

int bsp_timeline_summarize(const bsp_timeline *t, bsp_tl_summary *s, bsp_err *err)
{
    memset(s, 0, sizeof *s);
    s->wall_ns = t->app_wall_ns;
    s->host_ns = NAN;
    uint64_t t0, t1;
    if (window(t, &t0, &t1))
        return bsp_err_set(err, BSP_EPARSE, "no timed activity or API call in the run (every launch replayed?)");
    s->window_ns = (double)(t1 - t0);
    double busy = union_ns(t, 0);
    s->kernel_ns = union_ns(t, 1);
    s->memop_ns = busy - s->kernel_ns;
    s->idle_ns = s->window_ns - busy;
    if (!isnan(s->wall_ns))
        s->host_ns = s->wall_ns - s->window_ns;
    for (size_t i = 0; i < t->nact; i++) {
        const bsp_activity *a = &t->act[i];
        if (i >= t->ntimed) {
            s->untimed++;
            continue;
        }
        switch (a->kind) {
        case BSP_ACT_KERNEL: s->kernels++; s->kernel_sum_ns += a->duration_ns; break;
        case BSP_ACT_MEMCPY:
            s->memcpys++;
            s->memcpy_sum_ns += a->duration_ns;
            s->bytes[a->dir] += (double)a->bytes;
            break;
        default: s->memsets++; s->memset_sum_ns += a->duration_ns; break;
        }
    }
    s->last_seg_ns = NAN;
    uint64_t sync_end[2] = { 0, 0 };
    for (size_t i = 0; i < t->napi; i++) {
        if (t->api[i].outer >= 0)
            continue;
        s->api_calls++;
        if (t->api[i].klass == BSP_API_SYNC && t->api[i].device_sync) {
            s->syncs++;
            sync_end[0] = sync_end[1];
            sync_end[1] = t->api[i].end_ns;
        }
    }
    if (s->syncs >= 2)
        s->last_seg_ns = (double)sync_end[1] - (double)sync_end[0];
    bsp_tl_stream *st = NULL;
    size_t ns = 0;
    int rc = bsp_timeline_streams(t, &st, &ns, err);
    if (rc)
        return rc;
    s->streams = ns;
    for (size_t i = 0; i < ns; i++)
        s->stream_gap_ns += st[i].gap_ns;
    free(st);
    return 0;
}

int bsp_timeline_streams(const bsp_timeline *t, bsp_tl_stream **out, size_t *n, bsp_err *err)
{
    *out = NULL;
    *n = 0;
    uint64_t t0 = 0, t1 = 0;
    if (window(t, &t0, &t1))
        return 0;
    bsp_tl_stream *st = NULL;
    double *end = NULL; /* latest end per stream so far, ns from t0 */
    size_t ns = 0, cap = 0;
    for (size_t i = 0; i < t->ntimed; i++) {
        const bsp_activity *a = &t->act[i];
        size_t j = 0;
        while (j < ns && st[j].stream != a->stream)
            j++;
        double s0 = (double)(a->start_ns - t0), e0 = (double)(a->end_ns - t0);
        if (j == ns) {
            if (ns == cap) {
                size_t nc = cap ? cap * 2 : 8;
                bsp_tl_stream *n1 = realloc(st, nc * sizeof *n1);
                double *n2 = n1 ? realloc(end, nc * sizeof *n2) : NULL;
                if (n1)
                    st = n1;
                if (!n2) {
                    free(st);
                    free(end);
                    return bsp_err_set(err, BSP_ENOMEM, "out of memory");
                }
                end = n2;
                cap = nc;
            }
            st[ns] = (bsp_tl_stream){ .stream = a->stream, .first_ns = s0, .last_ns = e0 };
            end[ns++] = s0;
        }
        st[j].activities++;
        st[j].busy_ns += a->duration_ns;
        if (s0 > end[j])
            st[j].gap_ns += s0 - end[j];
        if (e0 > end[j])
            end[j] = e0;
        st[j].last_ns = end[j];
    }
    free(end);
    *out = st;
    *n = ns;
    return 0;
}

/* ---- prediction ---- */

static double board_or_nan(const bsp_meas *m)
{
    return m->n > 0 && m->median > 0 ? m->median : NAN;
}

/* Modelled cost, ns, of the operation on board b (latency + bytes / bandwidth). */
static double memop_cost(const bsp_activity *x, const bsp_board *b)
{
    double bytes = (double)x->bytes, lat_ns, bw;
    if (x->kind == BSP_ACT_MEMSET || x->dir == BSP_DIR_DTOD || x->dir == BSP_DIR_OTHER) {
        lat_ns = board_or_nan(&b->kernel_floor_ns);
        bw = board_or_nan(&b->bw_d2d_gbs);
        if (x->kind == BSP_ACT_MEMSET)
            bytes *= 0.5; /* a set writes; bw_d2d counts read + write */
    } else if (x->dir == BSP_DIR_HTOD) {
        lat_ns = board_or_nan(x->pinned || !b->lat_h2d_pageable_us.n ? &b->lat_h2d_us : &b->lat_h2d_pageable_us) * 1e3;
        bw = board_or_nan(x->pinned ? &b->bw_h2d_pinned_gbs : &b->bw_h2d_pageable_gbs);
    } else {
        lat_ns = board_or_nan(x->pinned || !b->lat_d2h_pageable_us.n ? &b->lat_d2h_us : &b->lat_d2h_pageable_us) * 1e3;
        bw = board_or_nan(x->pinned ? &b->bw_d2h_pinned_gbs : &b->bw_d2h_pageable_gbs);
    }
    return lat_ns + bytes / bw; /* GB/s = bytes per ns */
}

double bsp_memop_ratio(const bsp_activity *x, const bsp_board *a, const bsp_board *b)
{
    return memop_cost(x, b) / memop_cost(x, a);
}

/* Predicted duration on B of timed activity x. */
static double pred_dur(const bsp_activity *x, const bsp_timeline *t, const bsp_board *a, const bsp_board *b,
                       bsp_kernel_ratio_fn ratio, void *ud, size_t *unpredicted)
{
    double r = NAN;
    if (x->kind == BSP_ACT_KERNEL)
        r = x->key >= 0 && ratio ? ratio(t->keys[x->key], ud) : NAN;
    else
        r = bsp_memop_ratio(x, a, b);
    if (!(r > 0) || isinf(r)) {
        if (x->kind == BSP_ACT_KERNEL)
            (*unpredicted)++;
        r = 1.0;
    }
    return x->duration_ns * r;
}

/* Per-stream state of the replay. */
typedef struct sim_stream { uint64_t stream; double end_a, end_b; } sim_stream;
typedef struct sim_thread { uint32_t id; double end_a, end_b; } sim_thread;

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t nc = *cap ? *cap * 2 : 16;
    void *q = realloc(p, nc * size);
    if (q)
        *cap = nc;
    return q;
}

/* The entry of stream in *ss, appended with end_a = end_b = init if new;
 * NULL when out of memory. */
static sim_stream *stream_slot(sim_stream **ss, size_t *n, size_t *cap, uint64_t stream, double init)
{
    for (size_t j = 0; j < *n; j++)
        if ((*ss)[j].stream == stream)
            return &(*ss)[j];
    sim_stream *g = grow(*ss, cap, *n, sizeof *g);
    if (!g)
        return NULL;
    *ss = g;
    g[*n] = (sim_stream){ stream, init, init };
    return &g[(*n)++];
}

/* Replay A's timeline with B's durations (docs/model.md): host calls keep
 * A's think time between them (scaled), a call that waited for the GPU on A
 * waits for B's GPU, and an activity starts when both its call has issued it
 * and its stream is free.  Returns the predicted window in *win. */
static int simulate(const bsp_timeline *t, const double *dur_b, double scale, double *win, double *last_seg,
                    bsp_err *err)
{
    double sync_end[2] = { NAN, NAN };
    uint64_t t0, t1;
    if (window(t, &t0, &t1))
        return bsp_err_set(err, BSP_EPARSE, "nothing timed to replay");
    /* activities of each top-level call, in start order: index lists */
    size_t *first = malloc((t->napi + 1) * sizeof *first), *order = malloc((t->ntimed + 1) * sizeof *order);
    double *lat = malloc((t->ntimed + 1) * sizeof *lat);
    double *end_b = malloc((t->ntimed + 1) * sizeof *end_b);
    sim_stream *ss = NULL;
    sim_thread *th = NULL;
    size_t nss = 0, capss = 0, nth = 0, capth = 0;
    int rc = 0;
    if (!first || !order || !lat || !end_b) {
        rc = bsp_err_set(err, BSP_ENOMEM, "out of memory replaying the timeline");
        goto out;
    }
    /* counting sort of timed activities by call (orphans: api -1, last) */
    memset(first, 0, (t->napi + 1) * sizeof *first);
    for (size_t i = 0; i < t->ntimed; i++) {
        long c = t->act[i].api;
        first[c >= 0 ? (size_t)c : t->napi]++;
    }
    size_t acc = 0;
    for (size_t c = 0; c <= t->napi; c++) {
        size_t k = first[c];
        first[c] = acc;
        acc += k;
    }
    {
        size_t *fill = malloc((t->napi + 1) * sizeof *fill);
        if (!fill) {
            rc = bsp_err_set(err, BSP_ENOMEM, "out of memory replaying the timeline");
            goto out;
        }
        memcpy(fill, first, (t->napi + 1) * sizeof *fill);
        for (size_t i = 0; i < t->ntimed; i++) {
            long c = t->act[i].api;
            order[fill[c >= 0 ? (size_t)c : t->napi]++] = i;
        }
        free(fill);
    }
    /* issue latency on A of activities that did not queue behind their
     * stream: the median stands in for those that did */
    size_t nlat = 0;
    {
        sim_stream *seen = NULL; /* end_a: latest end on A so far, -1 before the first */
        size_t ns = 0, cap = 0;
        double *islat = malloc((t->ntimed + 1) * sizeof *islat), med = 0;
        for (size_t i = 0; islat && i < t->ntimed; i++) {
            const bsp_activity *x = &t->act[i];
            sim_stream *st = stream_slot(&seen, &ns, &cap, x->stream, -1);
            if (!st) {
                free(islat);
                islat = NULL;
                break;
            }
            double s = (double)(x->start_ns - t0);
            int queued = st->end_a >= 0 && s - st->end_a < 1000.0;
            lat[i] = NAN;
            if (x->api >= 0 && !queued) {
                double l = (double)x->start_ns - (double)t->api[x->api].start_ns;
                lat[i] = l > 0 ? l : 0;
                islat[nlat++] = lat[i];
            }
            double e = (double)(x->end_ns - t0);
            if (e > st->end_a)
                st->end_a = e;
        }
        free(seen);
        if (!islat) {
            rc = bsp_err_set(err, BSP_ENOMEM, "out of memory replaying the timeline");
            goto out;
        }
        if (nlat && (rc = bsp_quantile(islat, nlat, 0.5, &med, err))) {
            free(islat);
            goto out;
        }
        for (size_t i = 0; i < t->ntimed; i++)
            if (isnan(lat[i]))
                lat[i] = med;
        free(islat);
    }
    /* the replay: top-level calls and orphan activities in A's start order */
    double gpu_end_a = 0, gpu_end_b = 0, last_b = 0;
    size_t oi = first[t->napi], oend = t->ntimed; /* orphans */
    size_t ci = 0;
    for (;;) {
        while (ci < t->napi && t->api[ci].outer >= 0)
            ci++;
        int take_call;
        if (ci < t->napi && oi < oend)
            take_call = t->api[ci].start_ns <= t->act[order[oi]].start_ns;
        else if (ci < t->napi)
            take_call = 1;
        else if (oi < oend)
            take_call = 0;
        else
            break;
        if (!take_call) {
            /* no known issuer: it runs as soon as its stream allows */
            size_t i = order[oi++];
            const bsp_activity *x = &t->act[i];
            sim_stream *st = stream_slot(&ss, &nss, &capss, x->stream, 0);
            if (!st) {
                rc = bsp_err_set(err, BSP_ENOMEM, "out of memory replaying the timeline");
                goto out;
            }
            double sa = (double)(x->start_ns - t0);
            /* as late as on A relative to the stream's work, never earlier than issued */
            double sb = st->end_b > 0 ? st->end_b + (sa - st->end_a > 0 ? sa - st->end_a : 0) * scale : sa * scale;
            end_b[i] = sb + dur_b[i];
            st->end_a = (double)(x->end_ns - t0);
            st->end_b = end_b[i];
            if ((double)(x->end_ns - t0) > gpu_end_a)
                gpu_end_a = (double)(x->end_ns - t0);
            if (end_b[i] > gpu_end_b)
                gpu_end_b = end_b[i];
            if (end_b[i] > last_b)
                last_b = end_b[i];
            continue;
        }
        const bsp_api_call *c = &t->api[ci];
        double sa = (double)(c->start_ns - t0), ea = (double)(c->end_ns - t0);
        size_t k = 0;
        while (k < nth && th[k].id != c->thread_id)
            k++;
        if (k == nth) {
            sim_thread *n1 = grow(th, &capth, nth, sizeof *n1);
            if (!n1) {
                rc = bsp_err_set(err, BSP_ENOMEM, "out of memory replaying the timeline");
                goto out;
            }
            th = n1;
            th[nth++] = (sim_thread){ c->thread_id, 0, 0 };
        }
        double sb = th[k].end_b + (sa - th[k].end_a > 0 ? sa - th[k].end_a : 0) * scale;
        double own_end_a = -1, own_end_b = -1;
        for (size_t q = first[ci]; q < first[ci + 1]; q++) {
            size_t i = order[q];
            const bsp_activity *x = &t->act[i];
            sim_stream *st = stream_slot(&ss, &nss, &capss, x->stream, 0);
            if (!st) {
                rc = bsp_err_set(err, BSP_ENOMEM, "out of memory replaying the timeline");
                goto out;
            }
            double start = sb + lat[i];
            if (st->end_b > start)
                start = st->end_b;
            end_b[i] = start + dur_b[i];
            st->end_a = (double)(x->end_ns - t0);
            st->end_b = end_b[i];
            if (st->end_a > own_end_a)
                own_end_a = st->end_a;
            if (end_b[i] > own_end_b)
                own_end_b = end_b[i];
        }
        /* did the call wait for the GPU on A, and for what? */
        double awaited_a = -1, awaited_b = -1;
        if (c->klass == BSP_API_SYNC) {
            awaited_a = gpu_end_a;
            awaited_b = gpu_end_b;
        } else if ((c->klass == BSP_API_MEMCPY || c->klass == BSP_API_MEMSET) && own_end_a >= 0 &&
                   ea >= own_end_a) {
            awaited_a = own_end_a;
            awaited_b = own_end_b;
        }
        double eb;
        if (awaited_a > sa && ea >= awaited_a)
            eb = (awaited_b > sb ? awaited_b : sb) + (ea - awaited_a) * scale;
        else
            eb = sb + (ea - sa) * scale;
        if (own_end_a > gpu_end_a)
            gpu_end_a = own_end_a;
        if (own_end_b > gpu_end_b)
            gpu_end_b = own_end_b;
        if (c->klass == BSP_API_SYNC && c->device_sync) {
            sync_end[0] = sync_end[1];
            sync_end[1] = eb;
        }
        th[k].end_a = ea;
        th[k].end_b = eb;
        if (eb > last_b)
            last_b = eb;
        if (gpu_end_b > last_b)
            last_b = gpu_end_b;
        ci++;
    }
    *win = last_b;
    *last_seg = sync_end[1] - sync_end[0];
out:
    free(first);
    free(order);
    free(lat);
    free(end_b);
    free(ss);
    free(th);
    return rc;
}

double bsp_timeline_launch_call_ns(const bsp_timeline *t)
{
    double *d = malloc((t->napi + 1) * sizeof *d), med = NAN;
    size_t n = 0;
    if (!d)
        return NAN;
    for (size_t i = 0; i < t->napi; i++)
        if (t->api[i].outer < 0 && t->api[i].klass == BSP_API_LAUNCH)
            d[n++] = (double)(t->api[i].end_ns - t->api[i].start_ns);
    bsp_err err = { 0, "" };
    if (n && bsp_quantile(d, n, 0.5, &med, &err))
        med = NAN;
    free(d);
    return med;
}

int bsp_timeline_predict(const bsp_timeline *t, const bsp_board *a, const bsp_board *b, bsp_host_mode mode,
                         double host_scale, bsp_kernel_ratio_fn ratio, void *ud, bsp_app_pred *p, bsp_err *err)
{
    memset(p, 0, sizeof *p);
    p->host_mode = mode;
    p->host_scale = 1.0;
    p->window_sim_ns = p->wall_sim_ns = p->last_seg_sim_ns = NAN;
    if (mode == BSP_HOST_MEASURED) {
        double la = board_or_nan(&a->launch_overhead_us), lb = board_or_nan(&b->launch_overhead_us);
        if (isnan(la) || isnan(lb))
            return bsp_err_set(err, BSP_EPARSE, "host measured: board %s or %s lacks latency_us.launch_overhead",
                               a->name, b->name);
        p->host_scale = lb / la;
    } else if (mode == BSP_HOST_GIVEN) {
        if (!(host_scale > 0) || isinf(host_scale))
            return bsp_err_set(err, BSP_EINVAL, "host scale %g: want a factor > 0", host_scale);
        p->host_scale = host_scale;
    }
    bsp_tl_summary s;
    int rc = bsp_timeline_summarize(t, &s, err);
    if (rc)
        return rc;
    double *dur_b = malloc((t->ntimed + 1) * sizeof *dur_b);
    if (!dur_b)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->ntimed; i++) {
        const bsp_activity *x = &t->act[i];
        dur_b[i] = pred_dur(x, t, a, b, ratio, ud, &p->kernels_unpredicted);
        if (x->kind == BSP_ACT_KERNEL)
            p->kernel_ns += dur_b[i];
        else if (x->kind == BSP_ACT_MEMCPY)
            p->memcpy_ns += dur_b[i];
        else
            p->memset_ns += dur_b[i];
    }
    p->idle_ns = s.idle_ns * p->host_scale;
    p->host_ns = s.host_ns * p->host_scale;
    p->window_add_ns = p->kernel_ns + p->memcpy_ns + p->memset_ns + p->idle_ns;
    p->wall_add_ns = p->window_add_ns + p->host_ns;
    if (t->has_api && t->napi) {
        if ((rc = simulate(t, dur_b, p->host_scale, &p->window_sim_ns, &p->last_seg_sim_ns, err))) {
            free(dur_b);
            return rc;
        }
        p->wall_sim_ns = p->window_sim_ns + p->host_ns;
    }
    free(dur_b);
    return 0;
}

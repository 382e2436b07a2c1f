/* Kernel, memory-operation and host API records of one process, joined
 * with the counters of the profiled launches and written out at exit. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bspgpu/profile.h"
#include "../fileio.h"
#include "cupti_internal.h"

typedef struct str_ent {
    char *s;
    char *demangled;         /* filled at write time */
    uint64_t hash;
} str_ent;

typedef struct ctr_ent {
    uint32_t corr;
    int used;
    double dur_ns;
    double v[BSP_NCTR];
} ctr_ent;

struct bsp_store {
    str_ent *str;
    size_t nstr, capstr;
    uint32_t *six;           /* open addressing: string index + 1 */
    size_t sixcap;
    bsp_krec *k;
    size_t nk, capk;
    bsp_mrec *m;
    size_t nm, capm;
    bsp_hrec *h;
    size_t nh, caph;
    ctr_ent *c;
    size_t nc, capc;
};

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 1024;
    void *q = realloc(*p, nc * size);
    if (!q)
        return BSP_ENOMEM;
    *p = q;
    *cap = nc;
    return 0;
}

int bsp_store_new(bsp_store **st)
{
    *st = calloc(1, sizeof **st);
    return *st ? 0 : BSP_ENOMEM;
}

void bsp_store_free(bsp_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->nstr; i++) {
        free(st->str[i].s);
        free(st->str[i].demangled);
    }
    free(st->str);
    free(st->six);
    free(st->k);
    free(st->m);
    free(st->h);
    free(st->c);
    free(st);
}

static uint64_t str_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

uint32_t bsp_store_intern(bsp_store *st, const char *name)
{
    if (!name)
        name = "";
    uint64_t h = str_hash(name);
    if (st->sixcap) {
        size_t j = h & (st->sixcap - 1);
        while (st->six[j]) {
            const str_ent *e = &st->str[st->six[j] - 1];
            if (e->hash == h && strcmp(e->s, name) == 0)
                return st->six[j] - 1;
            j = (j + 1) & (st->sixcap - 1);
        }
    }
    if (grow((void **)&st->str, &st->capstr, st->nstr, sizeof *st->str))
        return UINT32_MAX;
    if ((st->nstr + 1) * 2 > st->sixcap) {
        size_t cap = st->sixcap ? st->sixcap * 2 : 256;
        uint32_t *six = calloc(cap, sizeof *six);
        if (!six)
            return UINT32_MAX;
        for (size_t i = 0; i < st->nstr; i++) {
            size_t j = st->str[i].hash & (cap - 1);
            while (six[j])
                j = (j + 1) & (cap - 1);
            six[j] = (uint32_t)(i + 1);
        }
        free(st->six);
        st->six = six;
        st->sixcap = cap;
    }
    str_ent *e = &st->str[st->nstr];
    if (!(e->s = strdup(name)))
        return UINT32_MAX;
    e->demangled = NULL;
    e->hash = h;
    size_t j = h & (st->sixcap - 1);
    while (st->six[j])
        j = (j + 1) & (st->sixcap - 1);
    st->six[j] = (uint32_t)(st->nstr + 1);
    return (uint32_t)st->nstr++;
}

int bsp_store_add_kernel(bsp_store *st, const bsp_krec *r)
{
    if (r->name_id >= st->nstr)
        return BSP_EINVAL;
    if (grow((void **)&st->k, &st->capk, st->nk, sizeof *st->k))
        return BSP_ENOMEM;
    st->k[st->nk++] = *r;
    return 0;
}

int bsp_store_add_memop(bsp_store *st, const bsp_mrec *r)
{
    if (grow((void **)&st->m, &st->capm, st->nm, sizeof *st->m))
        return BSP_ENOMEM;
    st->m[st->nm++] = *r;
    return 0;
}

int bsp_store_add_api(bsp_store *st, const bsp_hrec *r)
{
    if (r->name_id >= st->nstr || (r->domain != BSP_HDOM_RUNTIME && r->domain != BSP_HDOM_DRIVER) || r->cls < 0 ||
        r->cls >= BSP_HAPI_NCLASS)
        return BSP_EINVAL;
    if (grow((void **)&st->h, &st->caph, st->nh, sizeof *st->h))
        return BSP_ENOMEM;
    st->h[st->nh++] = *r;
    return 0;
}

int bsp_store_add_counters(bsp_store *st, uint32_t corr, const double *ctr, double duration_ns)
{
    if (grow((void **)&st->c, &st->capc, st->nc, sizeof *st->c))
        return BSP_ENOMEM;
    ctr_ent *e = &st->c[st->nc++];
    e->corr = corr;
    e->used = 0;
    e->dur_ns = duration_ns;
    memcpy(e->v, ctr, sizeof e->v);
    return 0;
}

uint64_t bsp_store_kernel_count(const bsp_store *st)
{
    return st->nk;
}

void bsp_store_keep_captured(bsp_store *st, const bsp_capture *cap, bsp_store_dropped *d)
{
    bsp_store_dropped z = { 0, 0, 0, 0 };
    size_t n = 0;
    for (size_t i = 0; i < st->nk; i++)
        if (bsp_capture_holds(cap, st->k[i].correlation_id))
            st->k[n++] = st->k[i];
    z.kernels = st->nk - n;
    st->nk = n;
    n = 0;
    for (size_t i = 0; i < st->nm; i++)
        if (bsp_capture_holds(cap, st->m[i].correlation_id))
            st->m[n++] = st->m[i];
    z.memops = st->nm - n;
    st->nm = n;
    n = 0;
    for (size_t i = 0; i < st->nh; i++)
        if (bsp_capture_holds(cap, st->h[i].correlation_id))
            st->h[n++] = st->h[i];
    z.api_calls = st->nh - n;
    st->nh = n;
    n = 0;
    for (size_t i = 0; i < st->nc; i++)
        if (bsp_capture_holds(cap, st->c[i].corr))
            st->c[n++] = st->c[i];
    z.counters = st->nc - n;
    st->nc = n;
    if (d)
        *d = z;
}

/* qsort has no context argument: the arrays being ordered, by file scope. */
static const bsp_krec *sort_k;
static const bsp_mrec *sort_m;
static const bsp_hrec *sort_h;

static int cmp_k(const void *a, const void *b)
{
    const bsp_krec *x = &sort_k[*(const size_t *)a], *y = &sort_k[*(const size_t *)b];
    if (x->correlation_id != y->correlation_id)
        return x->correlation_id < y->correlation_id ? -1 : 1;
    if (x->start_ns != y->start_ns)
        return x->start_ns < y->start_ns ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int cmp_m(const void *a, const void *b)
{
    const bsp_mrec *x = &sort_m[*(const size_t *)a], *y = &sort_m[*(const size_t *)b];
    if (x->start_ns != y->start_ns)
        return x->start_ns < y->start_ns ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int cmp_h(const void *a, const void *b)
{
    const bsp_hrec *x = &sort_h[*(const size_t *)a], *y = &sort_h[*(const size_t *)b];
    if (x->start_ns != y->start_ns)
        return x->start_ns < y->start_ns ? -1 : 1;
    if (x->correlation_id != y->correlation_id)
        return x->correlation_id < y->correlation_id ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int cmp_c(const void *a, const void *b)
{
    const ctr_ent *x = a, *y = b;
    return x->corr < y->corr ? -1 : x->corr > y->corr;
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static ctr_ent *find_ctr(bsp_store *st, uint32_t corr)
{
    size_t lo = 0, hi = st->nc;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (st->c[mid].corr < corr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < st->nc && st->c[lo].corr == corr ? &st->c[lo] : NULL;
}

/* The CUPTI enums CUpti_ActivityMemcpyKind and CUpti_ActivityMemoryKind
 * (cupti_activity.h); inject.c checks these values at compile time. */
const char *bsp_memcpy_kind_name(int k)
{
    static const char *const names[] = {
        "unknown", "HtoD", "DtoH", "HtoA", "AtoH", "AtoA", "AtoD", "DtoA", "DtoD", "HtoH", "PtoP",
    };
    return k >= 0 && k < (int)(sizeof names / sizeof names[0]) ? names[k] : "unknown";
}

const char *bsp_memory_kind_name(int k)
{
    static const char *const names[] = {
        "unknown", "pageable", "pinned", "device", "array", "managed", "device_static", "managed_static",
    };
    if (k < 0)
        return "";
    return k < (int)(sizeof names / sizeof names[0]) ? names[k] : "unknown";
}

static int write_memops(bsp_store *st, const char *path, bsp_err *err)
{
    char *tmp = NULL;
    size_t *ord = NULL;
    FILE *f = bsp_atomic_open(path, &tmp, err);
    if (!f)
        return err ? err->code : BSP_EIO;
    if (st->nm && !(ord = malloc(st->nm * sizeof *ord))) {
        bsp_atomic_abort(f, tmp);
        free(tmp);
        return bsp_err_set(err, BSP_ENOMEM, "%s: out of memory", path);
    }
    for (size_t i = 0; i < st->nm; i++)
        ord[i] = i;
    sort_m = st->m;
    if (st->nm)
        qsort(ord, st->nm, sizeof *ord, cmp_m);
    fputs("op_id,op,direction,bytes,src_kind,dst_kind,device,src_device,dst_device,"
          "context_id,stream_id,graph,correlation_id,start_ns,duration_ns\n", f);
    for (size_t i = 0; i < st->nm; i++) {
        const bsp_mrec *r = &st->m[ord[i]];
        int memset_op = r->op == BSP_MEMOP_MEMSET;
        fprintf(f, "%zu,%s,%s,%" PRIu64 ",%s,%s,%u,%u,%u,%u,%u,%d,%u,%" PRIu64 ",%" PRIu64 "\n", i,
                memset_op ? "memset" : "memcpy", memset_op ? "" : bsp_memcpy_kind_name(r->copy_kind), r->bytes,
                memset_op ? "" : bsp_memory_kind_name(r->src_kind), bsp_memory_kind_name(r->dst_kind), r->device,
                r->src_device, r->dst_device, r->context_id, r->stream_id, r->graph_id != 0, r->correlation_id,
                r->start_ns, r->end_ns > r->start_ns ? r->end_ns - r->start_ns : 0);
    }
    free(ord);
    int rc = bsp_atomic_commit(f, tmp, path, err);
    free(tmp);
    return rc;
}

static int write_api(bsp_store *st, const char *path, bsp_err *err)
{
    char *tmp = NULL;
    size_t *ord = NULL;
    FILE *f = bsp_atomic_open(path, &tmp, err);
    if (!f)
        return err ? err->code : BSP_EIO;
    if (st->nh && !(ord = malloc(st->nh * sizeof *ord))) {
        bsp_atomic_abort(f, tmp);
        free(tmp);
        return bsp_err_set(err, BSP_ENOMEM, "%s: out of memory", path);
    }
    for (size_t i = 0; i < st->nh; i++)
        ord[i] = i;
    sort_h = st->h;
    if (st->nh)
        qsort(ord, st->nh, sizeof *ord, cmp_h);
    fputs("api_id,domain,api,class,thread_id,correlation_id,start_ns,end_ns\n", f);
    for (size_t i = 0; i < st->nh; i++) {
        const bsp_hrec *r = &st->h[ord[i]];
        const char *name = st->str[r->name_id].s;
        fprintf(f, "%zu,%s,%.*s,%s,%u,%u,%" PRIu64 ",%" PRIu64 "\n", i, bsp_hostapi_domain_name(r->domain),
                (int)bsp_hostapi_name_len(name), name, bsp_hostapi_class_name(r->cls), r->thread_id,
                r->correlation_id, r->start_ns, r->end_ns);
    }
    free(ord);
    int rc = bsp_atomic_commit(f, tmp, path, err);
    free(tmp);
    return rc;
}

int bsp_store_write(bsp_store *st, const char *csv_path, const char *memops_path, const char *api_path,
                    bsp_store_summary *sum, bsp_err *err)
{
    int rc = 0;
    size_t *ord = NULL;
    double *clk = NULL;
    size_t nclk = 0;
    bsp_profile_writer *w = NULL;
    bsp_store_summary s;
    memset(&s, 0, sizeof s);

    for (size_t i = 0; i < st->nstr; i++)
        if (!st->str[i].demangled && !(st->str[i].demangled = bsp_demangle(st->str[i].s))) {
            rc = bsp_err_set(err, BSP_ENOMEM, "%s: out of memory", csv_path);
            goto out;
        }
    if (st->nk && (!(ord = malloc(st->nk * sizeof *ord)) || !(clk = malloc(st->nk * sizeof *clk)))) {
        rc = bsp_err_set(err, BSP_ENOMEM, "%s: out of memory", csv_path);
        goto out;
    }
    for (size_t i = 0; i < st->nk; i++)
        ord[i] = i;
    sort_k = st->k;
    if (st->nk)
        qsort(ord, st->nk, sizeof *ord, cmp_k);
    if (st->nc)
        qsort(st->c, st->nc, sizeof *st->c, cmp_c);

    if ((rc = bsp_profile_writer_open(&w, csv_path, err)))
        goto out;
    for (size_t i = 0; i < st->nk; i++) {
        const bsp_krec *r = &st->k[ord[i]];
        /* Counters belong to a launch made through a launch call; graph
         * nodes share their graph launch's correlation id, never profiled. */
        ctr_ent *c = r->graph_id ? NULL : find_ctr(st, r->correlation_id);
        if (c && c->used) {
            /* a second kernel record of one profiled launch (replay pass) */
            s.replay_records_dropped++;
            continue;
        }
        bsp_launch l;
        bsp_launch_init(&l);
        l.launch_id = s.launches;
        l.kernel = st->str[r->name_id].demangled;
        l.kernel_mangled = st->str[r->name_id].s;
        l.device = (int)r->device;
        l.context_id = r->context_id;
        l.stream_id = r->stream_id;
        l.graph = r->graph_id != 0;
        l.correlation_id = r->correlation_id;
        memcpy(l.grid, r->grid, sizeof l.grid);
        memcpy(l.block, r->block, sizeof l.block);
        l.registers_per_thread = r->registers_per_thread;
        l.shared_static_bytes = r->shared_static_bytes;
        l.shared_dynamic_bytes = r->shared_dynamic_bytes;
        l.start_ns = r->start_ns;
        l.duration_ns = r->end_ns > r->start_ns ? (double)(r->end_ns - r->start_ns) : 0.0;
        if (r->start_ns == 0 && r->end_ns == 0) {
            /* replayed: CUPTI records no timestamps; the profiler timed it */
            if (c && !isnan(c->dur_ns) && c->dur_ns > 0) {
                l.duration_ns = c->dur_ns;
                s.profiler_durations++;
            } else {
                s.no_duration++;
            }
        }
        if (c) {
            c->used = 1;
            l.profiled = 1;
            memcpy(l.ctr, c->v, sizeof l.ctr);
            s.profiled++;
            double cyc = c->v[BSP_CTR_CYCLES];
            if (!isnan(cyc) && cyc > 0 && l.duration_ns > 0)
                clk[nclk++] = cyc / l.duration_ns * 1e3;
        }
        if ((rc = bsp_profile_writer_row(w, &l, err)))
            goto out;
        s.launches++;
    }
    for (size_t i = 0; i < st->nc; i++)
        s.counters_unmatched += !st->c[i].used;
    rc = bsp_profile_writer_close(w, 1, err);
    w = NULL;
    if (rc)
        goto out;
    if (nclk) {
        qsort(clk, nclk, sizeof *clk, cmp_dbl);
        s.clock_mhz_seen = nclk % 2 ? clk[nclk / 2] : 0.5 * (clk[nclk / 2 - 1] + clk[nclk / 2]);
    }
    s.memops = st->nm;
    if (memops_path && (rc = write_memops(st, memops_path, err)))
        goto out;
    if (api_path) {
        if ((rc = write_api(st, api_path, err)))
            goto out;
        s.api_calls = st->nh;
    }
out:
    if (w)
        bsp_profile_writer_close(w, 0, NULL);
    free(ord);
    free(clk);
    if (sum)
        *sum = s;
    return rc;
}

/* Pairing the launches of two runs of one program (include/bspgpu/align.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "bspgpu/align.h"

/* Myers' greedy forward search, keeping V after every step d (entries
 * -d..d, (d+1)^2 in all) so that the edit script can be walked back. */
int bsp_align_seq(const long *a, size_t na, const long *b, size_t nb, size_t max_edits, long *pa, size_t *edits,
                  bsp_err *err)
{
    size_t lim = na + nb < max_edits ? na + nb : max_edits;
    long off = (long)lim + 1;
    long *v = malloc((2 * (size_t)lim + 3) * sizeof *v);
    int32_t *trace = NULL;
    size_t ntrace = 0, captrace = 0;
    long dfound = -1;
    if (!v)
        return bsp_err_set(err, BSP_ENOMEM, "out of memory aligning launches");
    v[off + 1] = 0;
    for (long d = 0; d <= (long)lim && dfound < 0; d++) {
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
            long y = x - k;
            while (x < (long)na && y < (long)nb && a[x] == b[y]) {
                x++;
                y++;
            }
            v[off + k] = x;
            if (x >= (long)na && y >= (long)nb) {
                dfound = d;
                break;
            }
        }
        size_t need = ntrace + 2 * (size_t)d + 1;
        if (need > captrace) {
            size_t nc = captrace ? captrace : 1024;
            while (nc < need)
                nc *= 2;
            int32_t *nt = realloc(trace, nc * sizeof *nt);
            if (!nt) {
                free(trace);
                free(v);
                return bsp_err_set(err, BSP_ENOMEM, "out of memory aligning launches");
            }
            trace = nt;
            captrace = nc;
        }
        for (long k = -d; k <= d; k++)
            trace[ntrace++] = (int32_t)v[off + k];
    }
    free(v);
    if (dfound < 0) {
        free(trace);
        *edits = SIZE_MAX;
        return 1;
    }
    for (size_t i = 0; i < na; i++)
        pa[i] = -1;
    long x = (long)na, y = (long)nb;
    for (long d = dfound; d > 0; d--) {
        const int32_t *v1 = trace + (size_t)(d - 1) * (size_t)(d - 1) + (size_t)(d - 1); /* V after d-1, at k=0 */
        long k = x - y;
        int down = k == -d || (k != d && v1[k - 1] < v1[k + 1]);
        long pk = down ? k + 1 : k - 1;
        long px = v1[pk], py = px - pk;
        long mx = down ? px : px + 1; /* the snake into (x, y) starts at x = mx */
        for (; x > mx; x--, y--)
            pa[x - 1] = y - 1;
        x = px;
        y = py;
    }
    for (; x > 0; x--, y--)
        pa[x - 1] = y - 1;
    free(trace);
    *edits = (size_t)dfound;
    return 0;
}

void bsp_align_free(bsp_align *al)
{
    if (!al)
        return;
    free(al->n);
    free(al->t_a_ns);
    free(al->t_b_ns);
    memset(al, 0, sizeof *al);
}

/* Medians per kernel of A over the pairs in pa (index into kb->seq or -1). */
static int pair_medians(const bsp_kernel_set *ka, const bsp_kernel_set *kb, const long *pa, bsp_align *al,
                        bsp_err *err)
{
    size_t *start = calloc(ka->n + 1, sizeof *start);
    double *da = malloc((ka->nseq ? ka->nseq : 1) * sizeof *da);
    double *db = malloc((ka->nseq ? ka->nseq : 1) * sizeof *db);
    size_t *fill = calloc(ka->n ? ka->n : 1, sizeof *fill);
    int rc = 0;
    if (!start || !da || !db || !fill) {
        rc = bsp_err_set(err, BSP_ENOMEM, "out of memory aligning launches");
        goto out;
    }
    for (size_t i = 0; i < ka->nseq; i++) {
        if (pa[i] < 0)
            continue;
        al->pairs++;
        if (!ka->seq[i].profiled && !kb->seq[pa[i]].profiled)
            al->n[ka->seq[i].kernel]++;
    }
    for (size_t k = 0; k < ka->n; k++)
        start[k + 1] = start[k] + al->n[k];
    for (size_t i = 0; i < ka->nseq; i++) {
        if (pa[i] < 0 || ka->seq[i].profiled || kb->seq[pa[i]].profiled)
            continue;
        size_t k = ka->seq[i].kernel, j = start[k] + fill[k]++;
        da[j] = ka->seq[i].duration_ns;
        db[j] = kb->seq[pa[i]].duration_ns;
    }
    for (size_t k = 0; k < ka->n; k++) {
        al->t_a_ns[k] = al->t_b_ns[k] = NAN;
        if (!al->n[k])
            continue;
        gsl_sort(da + start[k], 1, al->n[k]);
        gsl_sort(db + start[k], 1, al->n[k]);
        al->t_a_ns[k] = gsl_stats_median_from_sorted_data(da + start[k], 1, al->n[k]);
        al->t_b_ns[k] = gsl_stats_median_from_sorted_data(db + start[k], 1, al->n[k]);
    }
out:
    free(start);
    free(da);
    free(db);
    free(fill);
    return rc;
}

/* Over the edit limit: pair the i-th launch of a kernel on A with the
 * i-th on B, for kernels whose launch counts agree; others stay unpaired. */
static int pair_by_ordinal(const bsp_kernel_set *ka, const bsp_kernel_set *kb, const long *kmap, long *pa,
                           bsp_err *err)
{
    long *cursor = malloc((kb->n ? kb->n : 1) * sizeof *cursor);   /* next unpaired launch of each B kernel */
    long *next = malloc((kb->nseq ? kb->nseq : 1) * sizeof *next); /* next launch of the same kernel on B */
    long *last = malloc((kb->n ? kb->n : 1) * sizeof *last);
    if (!cursor || !next || !last) {
        free(cursor);
        free(next);
        free(last);
        return bsp_err_set(err, BSP_ENOMEM, "out of memory aligning launches");
    }
    for (size_t k = 0; k < kb->n; k++)
        cursor[k] = last[k] = -1;
    for (size_t j = 0; j < kb->nseq; j++) {
        size_t k = kb->seq[j].kernel;
        next[j] = -1;
        if (cursor[k] < 0)
            cursor[k] = (long)j;
        else
            next[last[k]] = (long)j;
        last[k] = (long)j;
    }
    for (size_t i = 0; i < ka->nseq; i++) {
        size_t k = ka->seq[i].kernel;
        long m = kmap[k];
        pa[i] = -1;
        if (m >= (long)kb->n || ka->k[k].launches != kb->k[m].launches || cursor[m] < 0)
            continue;
        pa[i] = cursor[m];
        cursor[m] = next[cursor[m]];
    }
    free(cursor);
    free(next);
    free(last);
    return 0;
}

int bsp_align_runs(const bsp_kernel_set *ka, const bsp_kernel_set *kb, size_t max_edits, bsp_align *al,
                   bsp_err *err)
{
    memset(al, 0, sizeof *al);
    size_t n = ka->n ? ka->n : 1;
    long *a = malloc((ka->nseq ? ka->nseq : 1) * sizeof *a);
    long *b = malloc((kb->nseq ? kb->nseq : 1) * sizeof *b);
    long *pa = malloc((ka->nseq ? ka->nseq : 1) * sizeof *pa);
    long *kmap = malloc(n * sizeof *kmap);
    al->n = calloc(n, sizeof *al->n);
    al->t_a_ns = malloc(n * sizeof *al->t_a_ns);
    al->t_b_ns = malloc(n * sizeof *al->t_b_ns);
    int rc = 0;
    if (!a || !b || !pa || !kmap || !al->n || !al->t_a_ns || !al->t_b_ns) {
        rc = bsp_err_set(err, BSP_ENOMEM, "out of memory aligning launches");
        goto out;
    }
    /* Symbols: B's kernel index; a kernel of A that B lacks gets a symbol
     * no launch of B has. */
    for (size_t k = 0; k < ka->n; k++) {
        const bsp_kernel *m = bsp_kernel_set_find(kb, ka->k[k].key);
        kmap[k] = m ? (long)(m - kb->k) : (long)(kb->n + k);
    }
    for (size_t i = 0; i < ka->nseq; i++)
        a[i] = kmap[ka->seq[i].kernel];
    for (size_t j = 0; j < kb->nseq; j++)
        b[j] = (long)kb->seq[j].kernel;
    rc = bsp_align_seq(a, ka->nseq, b, kb->nseq, max_edits ? max_edits : BSP_ALIGN_MAX_EDITS, pa, &al->edits, err);
    if (rc < 0)
        goto out;
    if (rc == 1) {
        al->by_ordinal = 1;
        rc = pair_by_ordinal(ka, kb, kmap, pa, err);
        if (rc)
            goto out;
    }
    rc = pair_medians(ka, kb, pa, al, err);
out:
    free(a);
    free(b);
    free(pa);
    free(kmap);
    if (rc)
        bsp_align_free(al);
    return rc;
}

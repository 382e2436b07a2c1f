/* The capture range (--capture-range profiler-api): the application's
 * profiler start and stop calls, and which records fall between them.
 *
 * Each start or stop is kept as a mark with the call's correlation id.
 * CUPTI numbers API calls in the order they are made, process-wide, so a
 * call (and the kernels, copies and sets it issued, which carry its id) is
 * inside a range when the mark with the largest smaller id is a start; the
 * start and stop calls themselves are not.
 * That holds for calls of any thread and whatever order the marks were
 * reported in.  A flag, the kind of the mark with the largest id, tells
 * the launch callbacks whether a range is open now.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include "cupti_internal.h"

typedef struct mark {
    uint32_t corr;
    int start;
} mark;

struct bsp_capture {
    atomic_int active;
    mark *m;                 /* ordered by corr; equal ids in arrival order */
    size_t n, cap;
};

int bsp_capture_new(bsp_capture **c)
{
    *c = calloc(1, sizeof **c);
    if (!*c)
        return BSP_ENOMEM;
    atomic_init(&(*c)->active, 0);
    return 0;
}

void bsp_capture_free(bsp_capture *c)
{
    if (!c)
        return;
    free(c->m);
    free(c);
}

int bsp_capture_mark(bsp_capture *c, int start, uint32_t corr)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        mark *m = realloc(c->m, cap * sizeof *m);
        if (!m) {
            atomic_store_explicit(&c->active, start ? 1 : 0, memory_order_release);
            return BSP_ENOMEM;
        }
        c->m = m;
        c->cap = cap;
    }
    size_t i = c->n;
    while (i > 0 && c->m[i - 1].corr > corr) {
        c->m[i] = c->m[i - 1];
        i--;
    }
    c->m[i].corr = corr;
    c->m[i].start = start ? 1 : 0;
    c->n++;
    atomic_store_explicit(&c->active, c->m[c->n - 1].start, memory_order_release);
    return 0;
}

int bsp_capture_active(bsp_capture *c)
{
    return atomic_load_explicit(&c->active, memory_order_acquire);
}

int bsp_capture_decide(bsp_capture *c, bsp_sampler *s, const char *name, const uint32_t grid[3],
                       const uint32_t block[3])
{
    if (c && !bsp_capture_active(c))
        return 0;
    return bsp_sampler_decide(s, name, grid, block);
}

int bsp_capture_holds(const bsp_capture *c, uint32_t corr)
{
    /* first mark with id >= corr; the one before it decides */
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->m[mid].corr < corr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < c->n && c->m[lo].corr == corr)
        return 0; /* a profiler start or stop call itself */
    return lo > 0 && c->m[lo - 1].start;
}

uint64_t bsp_capture_ranges(const bsp_capture *c)
{
    uint64_t k = 0;
    for (size_t i = 0; i < c->n; i++)
        k += c->m[i].start && (i == 0 || !c->m[i - 1].start);
    return k;
}

/*
 * bsp_align: the launches of two runs of one program, paired by program
 * order.  A kernel configuration (bsp_kernel) may stand for several calls
 * that do different work, e.g. one GEMM kernel used by layers of different
 * depth; its median over all launches can then pick a different call on
 * each board.  Pairing the two launch sequences by a shortest edit script
 * (Myers, "An O(ND) difference algorithm", 1986) over their configuration
 * keys finds the launches that are the same call, so a kernel is scored by
 * the median over the same calls on both boards.  Launches that one run
 * has and the other lacks (an autotuner's trials, cuDNN's benchmark search)
 * are left unpaired.
 */
#ifndef BSPGPU_ALIGN_H
#define BSPGPU_ALIGN_H

#include "bspgpu/profile.h"

/* Default limit on the edit distance (insertions + deletions) searched;
 * memory grows with its square (4 bytes each), 2048 -> about 17 MB. */
#define BSP_ALIGN_MAX_EDITS 2048

typedef struct bsp_align {
    size_t edits;      /* insertions + deletions; SIZE_MAX if over the limit */
    size_t pairs;      /* launches paired (profiled ones included) */
    int by_ordinal;    /* 1: over the limit, so the i-th launches of each kernel
                        * whose launch counts agree were paired instead */
    /* Per kernel of run A (index into ka->k), over paired launches that are
     * unprofiled on both runs: their count and the median durations on A
     * and on B (NaN when the count is 0).  malloc'd; bsp_align_free. */
    size_t *n;
    double *t_a_ns, *t_b_ns;
} bsp_align;

/* Pair the launches of ka and kb (their seq arrays).  max_edits 0 means
 * BSP_ALIGN_MAX_EDITS.  Caller frees al with bsp_align_free. */
int bsp_align_runs(const bsp_kernel_set *ka, const bsp_kernel_set *kb, size_t max_edits, bsp_align *al,
                   bsp_err *err);
void bsp_align_free(bsp_align *al);

/* The shortest edit script between integer sequences a and b: fills
 * pa[i] with the index in b paired with a[i], or -1, and *edits with the
 * edit distance.  Returns 0, 1 when the distance exceeds max_edits (pa
 * untouched, *edits = SIZE_MAX), or BSP_ENOMEM. */
int bsp_align_seq(const long *a, size_t na, const long *b, size_t nb, size_t max_edits, long *pa, size_t *edits,
                  bsp_err *err);

#endif

/*
 * Latency microbenchmarks: pointer chases (shared memory, L1, L2, device
 * memory) and dependent instruction chains.
 *
 * Method (docs/calibration.md): one thread; a random single cycle over the
 * footprint, one pointer per 128-byte line, so that a pass touches every
 * line once and the next address is unknown until the load returns; untimed
 * warm-up steps first; the chase unrolled CHASE_UNROLL times; clock64() and
 * %globaltimer read around the timed loop in the same kernel; the cost of
 * the same loop with an empty body subtracted.  The final position of the
 * chase is checked against the host's copy of the cycle, so a loop the
 * compiler dropped or shortened fails loudly.
 */
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "mb.h"

#define CHASE_UNROLL 16
#define INST_UNROLL 256
#define LINE_BYTES 128

enum { CH_EMPTY = 0, CH_PLAIN = MB_PLAIN, CH_CG = MB_CG };

__device__ __forceinline__ unsigned long long mb_globaltimer()
{
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

template <int MODE>
__device__ __forceinline__ unsigned long long chase_step(unsigned long long p)
{
    if constexpr (MODE == CH_PLAIN) {
        /* a plain global load: ld.global (default .ca, cached in L1) */
        asm volatile("ld.global.u64 %0, [%0];" : "+l"(p));
    } else if constexpr (MODE == CH_CG) {
        p = __ldcg(reinterpret_cast<const unsigned long long *>(p));
    } else {
        asm volatile("" : "+l"(p));   /* keeps the loop, emits nothing */
    }
    return p;
}

__device__ __forceinline__ unsigned mb_smid()
{
    unsigned s;
    asm volatile("mov.u32 %0, %%smid;" : "=r"(s));
    return s;
}

/* Record the SM each block runs on (to learn the SMs of the partition). */
__global__ void k_smids(unsigned *ids)
{
    if (threadIdx.x == 0)
        ids[blockIdx.x] = mb_smid();
}

/* One-thread blocks; only the first block that runs on SM `target` (any SM
 * when target < 0) chases, the others return at once.  out[0] cycles,
 * out[1] ns of the timed loop, out[2] final pointer, out[3] the SM. */
template <int MODE>
__global__ void k_chase(unsigned long long start, long long warm, long long steps,
                        int target, unsigned *claim, unsigned long long *out)
{
    if (target >= 0 && (int)mb_smid() != target)
        return;
    if (atomicExch(claim, 1u) != 0u)
        return;
    unsigned long long p = start;
    for (long long i = 0; i < warm; i += CHASE_UNROLL) {
#pragma unroll
        for (int j = 0; j < CHASE_UNROLL; j++)
            p = chase_step<MODE>(p);
    }
    long long c0 = clock64();
    unsigned long long t0 = mb_globaltimer();
    for (long long i = 0; i < steps; i += CHASE_UNROLL) {
#pragma unroll
        for (int j = 0; j < CHASE_UNROLL; j++)
            p = chase_step<MODE>(p);
    }
    long long c1 = clock64();
    unsigned long long t1 = mb_globaltimer();
    out[0] = (unsigned long long)(c1 - c0);
    out[1] = t1 - t0;
    out[2] = p;
    out[3] = mb_smid();
}

/* Line order[i] points to line order[i + 1] (cyclically). */
__global__ void k_link(unsigned long long *base, const unsigned *order, size_t n)
{
    const size_t stride = LINE_BYTES / sizeof(unsigned long long);
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n;
         i += (size_t)gridDim.x * blockDim.x) {
        size_t from = order[i], to = order[i + 1 < n ? i + 1 : 0];
        base[from * stride] = (unsigned long long)(base + to * stride);
    }
}

template <int MODE>
__device__ __forceinline__ unsigned shared_step(unsigned a)
{
    if constexpr (MODE == CH_EMPTY)
        asm volatile("" : "+r"(a));
    else
        asm volatile("ld.shared.u32 %0, [%0];" : "+r"(a));
    return a;
}

/* Shared-memory chase: the block links the lines, thread 0 chases.
 * out[2] = index of the final line. */
template <int MODE>
__global__ void k_chase_shared(const unsigned *order, int n, long long warm,
                               long long steps, unsigned long long *out)
{
    extern __shared__ unsigned smem[];
    const int stride = LINE_BYTES / sizeof(unsigned);
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        unsigned from = order[i], to = order[i + 1 < n ? i + 1 : 0];
        smem[from * stride] = (unsigned)__cvta_generic_to_shared(&smem[to * stride]);
    }
    __syncthreads();
    if (threadIdx.x != 0)
        return;
    const unsigned base = (unsigned)__cvta_generic_to_shared(&smem[0]);
    unsigned a = base;              /* order[0] == 0: the chase starts at line 0 */
    for (long long i = 0; i < warm; i += CHASE_UNROLL) {
#pragma unroll
        for (int j = 0; j < CHASE_UNROLL; j++)
            a = shared_step<MODE>(a);
    }
    long long c0 = clock64();
    unsigned long long t0 = mb_globaltimer();
    for (long long i = 0; i < steps; i += CHASE_UNROLL) {
#pragma unroll
        for (int j = 0; j < CHASE_UNROLL; j++)
            a = shared_step<MODE>(a);
    }
    long long c1 = clock64();
    unsigned long long t1 = mb_globaltimer();
    out[0] = (unsigned long long)(c1 - c0);
    out[1] = t1 - t0;
    out[2] = (a - base) / LINE_BYTES;
}

enum { OP_EMPTY = 0, OP_FADD, OP_FFMA, OP_IMAD };

/* A dependent chain of INST_UNROLL * iters operations.  out: cycles, ns,
 * final float bits, final integer. */
template <int OP>
__global__ void k_inst(float x0, float fa, float fb, unsigned u0, unsigned ua,
                       unsigned ub, long long iters, unsigned long long *out)
{
    /* Seeded from threadIdx (0 in the one thread launched) so that the
     * compiler cannot prove the chain uniform and move it to the uniform
     * datapath (UIMAD/UFFMA): the latency measured is the SM lanes'. */
    float x = x0 + (float)threadIdx.x;
    unsigned u = u0 ^ threadIdx.x;
    long long c0 = clock64();
    unsigned long long t0 = mb_globaltimer();
    for (long long i = 0; i < iters; i++) {
#pragma unroll
        for (int j = 0; j < INST_UNROLL; j++) {
            if constexpr (OP == OP_FADD)
                asm volatile("add.rn.f32 %0, %0, %1;" : "+f"(x) : "f"(fb));
            else if constexpr (OP == OP_FFMA)
                asm volatile("fma.rn.f32 %0, %0, %1, %2;" : "+f"(x) : "f"(fa), "f"(fb));
            else if constexpr (OP == OP_IMAD)
                asm volatile("mad.lo.u32 %0, %0, %1, %2;" : "+r"(u) : "r"(ua), "r"(ub));
            else
                asm volatile("" : "+f"(x), "+r"(u));
        }
    }
    long long c1 = clock64();
    unsigned long long t1 = mb_globaltimer();
    out[0] = (unsigned long long)(c1 - c0);
    out[1] = t1 - t0;
    out[2] = __float_as_uint(x);
    out[3] = u;
}

/* ---------------------------------------------------------------- host -- */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A random order of lines 0..n-1 starting at line 0 (Fisher-Yates over
 * positions 1..n-1); read as a cycle it visits every line once. */
static void make_order(std::vector<unsigned> &order, size_t n, uint64_t seed)
{
    order.resize(n);
    for (size_t i = 0; i < n; i++)
        order[i] = (unsigned)i;
    uint64_t s = seed;
    for (size_t i = n - 1; i >= 2; i--) {
        size_t j = 1 + (size_t)(splitmix64(&s) % i);   /* in [1, i] */
        unsigned t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

static long long round_up(long long x, long long m) { return (x + m - 1) / m * m; }

int mb_find_sms(mb_ctx *c, bsp_err *err)
{
    const int nb = 4 * c->sms;
    mb_dbuf d;
    std::vector<unsigned> ids((size_t)nb);
    MB_CUDA(d.alloc((size_t)nb * sizeof(unsigned)));
    k_smids<<<nb, 32>>>(d.as<unsigned>());
    MB_LAUNCHED("smids");
    MB_CUDA(cudaMemcpy(ids.data(), d.p, (size_t)nb * sizeof(unsigned), cudaMemcpyDeviceToHost));
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    c->sm_ids.assign(ids.begin(), ids.end());
    return 0;
}

/* The SM for repeat r of reps: spread evenly over the SMs seen. */
static int target_sm(const mb_ctx *c, int r, int reps)
{
    const size_t n = c->sm_ids.size();
    if (n == 0 || reps < 1)
        return -1;
    return (int)c->sm_ids[((size_t)(2 * r + 1) * n) / (2 * (size_t)reps)];
}

/* One timed chase on SM `target` (any SM if it ran nowhere else); h gets
 * the kernel's out[0..3]. */
template <int MODE>
static int chase_once(mb_ctx *c, unsigned long long start, long long warm, long long steps,
                      int target, unsigned *claim, unsigned long long *dout,
                      unsigned long long h[4], bsp_err *err)
{
    unsigned got = 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        const int t = attempt == 0 ? target : -1;
        MB_CUDA(cudaMemset(claim, 0, sizeof(unsigned)));
        MB_CUDA(cudaMemset(dout, 0, 4 * sizeof(unsigned long long)));
        k_chase<MODE><<<t >= 0 ? 4 * c->sms : 1, 1>>>(start, warm, steps, t, claim, dout);
        MB_LAUNCHED("chase");
        MB_CUDA(cudaMemcpy(&got, claim, sizeof got, cudaMemcpyDeviceToHost));
        if (got)
            break;
        mb_log("no block ran on SM %d; chasing on any SM", target);
    }
    if (!got)
        return bsp_err_set(err, BSP_ECUDA, "%s:%d: chase kernel ran on no SM", __FILE__, __LINE__);
    MB_CUDA(cudaMemcpy(h, dout, 4 * sizeof(unsigned long long), cudaMemcpyDeviceToHost));
    return 0;
}

static int finish_lat(const std::vector<double> &cyc, const std::vector<double> &ns,
                      const std::vector<double> &mhz, mb_lat *res, bsp_err *err,
                      const char *what)
{
    int n = (int)cyc.size();
    if (mb_meas(cyc.data(), n, &res->cycles) || mb_meas(ns.data(), n, &res->ns) ||
        mb_meas(mhz.data(), n, &res->mhz))
        return bsp_err_set(err, BSP_EMATH, "%s:%d: %s: no valid repeat", __FILE__,
                           __LINE__, what);
    return 0;
}

int mb_chase_global(mb_ctx *c, void *buf, size_t footprint, int path,
                    long long min_steps, long long warm, int reps, mb_lat *res,
                    bsp_err *err)
{
    const size_t n = footprint / LINE_BYTES;
    if (n < 4 || n > 0xffffffffull || (path != MB_PLAIN && path != MB_CG))
        return bsp_err_set(err, BSP_EINVAL, "%s:%d: chase: footprint %zu B or path %d out of range",
                           __FILE__, __LINE__, footprint, path);
    std::vector<unsigned> order;
    make_order(order, n, 0x5eed0000ull + footprint);

    mb_dbuf dorder, dout;
    MB_CUDA(dorder.alloc(n * sizeof(unsigned)));
    MB_CUDA(dout.alloc(4 * sizeof(unsigned long long)));
    MB_CUDA(cudaMemcpy(dorder.p, order.data(), n * sizeof(unsigned), cudaMemcpyHostToDevice));
    if (path == MB_PLAIN)   /* prefer the largest L1 (smallest shared carve-out) */
        MB_CUDA(cudaFuncSetAttribute(k_chase<CH_PLAIN>,
                                     cudaFuncAttributePreferredSharedMemoryCarveout, 0));
    unsigned long long *base = static_cast<unsigned long long *>(buf);
    k_link<<<c->sms * 4, 256>>>(base, dorder.as<unsigned>(), n);
    MB_LAUNCHED("link");

    long long steps = round_up(min_steps > (long long)n ? min_steps : (long long)n, CHASE_UNROLL);
    warm = round_up(warm, CHASE_UNROLL);
    const unsigned long long start = (unsigned long long)base;   /* line order[0] == 0 */
    const unsigned long long want =
        (unsigned long long)(base + (size_t)order[(size_t)((warm + steps) % (long long)n)] *
                                        (LINE_BYTES / sizeof(unsigned long long)));

    mb_dbuf dclaim;
    MB_CUDA(dclaim.alloc(sizeof(unsigned)));
    unsigned long long *o = dout.as<unsigned long long>();
    unsigned *claim = dclaim.as<unsigned>();
    std::vector<double> cyc, ns, mhz;
    for (int r = 0; r < reps; r++) {
        unsigned long long h[4], e[4];
        const int sm = target_sm(c, r, reps);
        int rc = path == MB_PLAIN
                     ? chase_once<CH_PLAIN>(c, start, warm, steps, sm, claim, o, h, err)
                     : chase_once<CH_CG>(c, start, warm, steps, sm, claim, o, h, err);
        if (rc)
            return rc;
        if (h[2] != want)
            return bsp_err_set(err, BSP_ECUDA,
                               "%s:%d: chase over %zu B ended at 0x%llx, want 0x%llx: the loop did not run as written",
                               __FILE__, __LINE__, footprint, h[2], want);
        if ((rc = chase_once<CH_EMPTY>(c, start, 0, steps, (int)h[3], claim, o, e, err)))
            return rc;
        if (h[1] == 0 || h[0] <= e[0])
            return bsp_err_set(err, BSP_ECUDA, "%s:%d: chase over %zu B: timers did not advance",
                               __FILE__, __LINE__, footprint);
        cyc.push_back(((double)h[0] - (double)e[0]) / (double)steps);
        ns.push_back(((double)h[1] - (double)e[1]) / (double)steps);
        mhz.push_back((double)h[0] / (double)h[1] * 1e3);
        c->mhz_latency.push_back(mhz.back());
    }
    return finish_lat(cyc, ns, mhz, res, err, "chase");
}

int mb_chase_shared(mb_ctx *c, size_t footprint, mb_lat *res, bsp_err *err)
{
    const int n = (int)(footprint / LINE_BYTES);
    if (n < 4 || footprint > 48 * 1024)
        return bsp_err_set(err, BSP_EINVAL, "%s:%d: shared chase: footprint %zu B out of range",
                           __FILE__, __LINE__, footprint);
    std::vector<unsigned> order;
    make_order(order, (size_t)n, 0x5ead0000ull + footprint);
    mb_dbuf dorder, dout;
    MB_CUDA(dorder.alloc(n * sizeof(unsigned)));
    MB_CUDA(dout.alloc(4 * sizeof(unsigned long long)));
    MB_CUDA(cudaMemcpy(dorder.p, order.data(), n * sizeof(unsigned), cudaMemcpyHostToDevice));

    const long long steps = c->quick ? 16384 : 65536;
    const long long warm = round_up(4LL * n, CHASE_UNROLL);
    const unsigned want = order[(size_t)((warm + steps) % n)];
    std::vector<double> cyc, ns, mhz;
    for (int r = 0; r < c->repeats; r++) {
        unsigned long long h[4], e[4];
        k_chase_shared<CH_PLAIN><<<1, 128, footprint>>>(dorder.as<unsigned>(), n, warm, steps,
                                                        dout.as<unsigned long long>());
        MB_LAUNCHED("shared chase");
        MB_CUDA(cudaMemcpy(h, dout.p, sizeof h, cudaMemcpyDeviceToHost));
        if (h[2] != want)
            return bsp_err_set(err, BSP_ECUDA,
                               "%s:%d: shared chase ended at line %llu, want %u: the loop did not run as written",
                               __FILE__, __LINE__, h[2], want);
        k_chase_shared<CH_EMPTY><<<1, 128, footprint>>>(dorder.as<unsigned>(), n, 0, steps,
                                                        dout.as<unsigned long long>());
        MB_LAUNCHED("empty shared chase");
        MB_CUDA(cudaMemcpy(e, dout.p, sizeof e, cudaMemcpyDeviceToHost));
        if (h[1] == 0 || h[0] <= e[0])
            return bsp_err_set(err, BSP_ECUDA, "%s:%d: shared chase: timers did not advance",
                               __FILE__, __LINE__);
        cyc.push_back(((double)h[0] - (double)e[0]) / (double)steps);
        ns.push_back(((double)h[1] - (double)e[1]) / (double)steps);
        mhz.push_back((double)h[0] / (double)h[1] * 1e3);
        c->mhz_latency.push_back(mhz.back());
    }
    return finish_lat(cyc, ns, mhz, res, err, "shared chase");
}

/* Host reference of each chain, in the same IEEE single precision. */
static float ref_fadd(float x, float b, long long n)
{
    for (long long i = 0; i < n; i++)
        x = x + b;
    return x;
}

static float ref_ffma(float x, float a, float b, long long n)
{
    for (long long i = 0; i < n; i++)
        x = fmaf(x, a, b);
    return x;
}

static unsigned ref_imad(unsigned u, unsigned a, unsigned b, long long n)
{
    for (long long i = 0; i < n; i++)
        u = u * a + b;
    return u;
}

static unsigned float_bits(float f)
{
    unsigned u;
    memcpy(&u, &f, sizeof u);
    return u;
}

int mb_inst_latency(mb_ctx *c, mb_lat *add, mb_lat *fma, mb_lat *imad, bsp_err *err)
{
    const long long iters = c->quick ? 256 : 1024;
    const long long nops = iters * INST_UNROLL;
    const float x0 = 1.0f, fa = 0.999f, fb = 0.5f;
    const unsigned u0 = 12345u, ua = 1664525u, ub = 1013904223u;
    const unsigned want_add = float_bits(ref_fadd(x0, fb, nops));
    const unsigned want_fma = float_bits(ref_ffma(x0, fa, fb, nops));
    const unsigned want_mad = ref_imad(u0, ua, ub, nops);

    mb_dbuf dout;
    MB_CUDA(dout.alloc(4 * sizeof(unsigned long long)));
    unsigned long long *o = dout.as<unsigned long long>();
    std::vector<double> cyc[3], ns[3], mhz[3];
    for (int r = 0; r < c->repeats + 1; r++) {   /* repeat 0 warms up */
        unsigned long long e[4], h[3][4];
        k_inst<OP_EMPTY><<<1, 1>>>(x0, fa, fb, u0, ua, ub, iters, o);
        MB_LAUNCHED("empty chain");
        MB_CUDA(cudaMemcpy(e, o, sizeof e, cudaMemcpyDeviceToHost));
        k_inst<OP_FADD><<<1, 1>>>(x0, fa, fb, u0, ua, ub, iters, o);
        MB_LAUNCHED("fadd chain");
        MB_CUDA(cudaMemcpy(h[0], o, sizeof h[0], cudaMemcpyDeviceToHost));
        k_inst<OP_FFMA><<<1, 1>>>(x0, fa, fb, u0, ua, ub, iters, o);
        MB_LAUNCHED("ffma chain");
        MB_CUDA(cudaMemcpy(h[1], o, sizeof h[1], cudaMemcpyDeviceToHost));
        k_inst<OP_IMAD><<<1, 1>>>(x0, fa, fb, u0, ua, ub, iters, o);
        MB_LAUNCHED("imad chain");
        MB_CUDA(cudaMemcpy(h[2], o, sizeof h[2], cudaMemcpyDeviceToHost));
        if (e[2] != float_bits(x0) || e[3] != u0 || h[0][2] != want_add ||
            h[1][2] != want_fma || h[2][3] != want_mad)
            return bsp_err_set(err, BSP_ECUDA,
                               "%s:%d: instruction chains: results differ from the host's "
                               "(fadd 0x%llx/0x%x, ffma 0x%llx/0x%x, imad %llu/%u)",
                               __FILE__, __LINE__, h[0][2], want_add, h[1][2], want_fma,
                               h[2][3], want_mad);
        if (r == 0)
            continue;
        for (int k = 0; k < 3; k++) {
            if (h[k][1] == 0 || h[k][0] <= e[0])
                return bsp_err_set(err, BSP_ECUDA, "%s:%d: instruction chains: timers did not advance",
                                   __FILE__, __LINE__);
            cyc[k].push_back(((double)h[k][0] - (double)e[0]) / (double)nops);
            ns[k].push_back(((double)h[k][1] - (double)e[1]) / (double)nops);
            mhz[k].push_back((double)h[k][0] / (double)h[k][1] * 1e3);
            c->mhz_latency.push_back(mhz[k].back());
        }
    }
    int rc;
    if ((rc = finish_lat(cyc[0], ns[0], mhz[0], add, err, "fadd")) ||
        (rc = finish_lat(cyc[1], ns[1], mhz[1], fma, err, "ffma")) ||
        (rc = finish_lat(cyc[2], ns[2], mhz[2], imad, err, "imad")))
        return rc;
    return 0;
}

// Test program for the CUPTI collector (bspgpu profile) and for comparisons
// with Nsight Compute.  Every result is checked on the host, so a profiler
// that disturbs the computation (replay without restoring memory) fails.
//
//   bsp_cupti_test [compare|all|range] [--exit N]
//
// compare: vec_add, matmul_tiled<16> and reduce_sum, each launched twice
//          (6 launches), plus the copies and memsets around them.
// all:     compare, then two host threads on their own streams, a CUDA graph
//          launched twice, cudaLaunchKernelEx, a cooperative launch and a
//          second context.  Expected launches per kernel are printed on
//          stdout as "expect NAME COUNT" lines.
// range:   the same work (vec_add, matmul_tiled, reduce_sum, a CUDA graph)
//          five times: before a cudaProfilerStart, inside it, between its
//          cudaProfilerStop and a cuProfilerStart, inside that, and after
//          its cuProfilerStop.  What a profile taken with --capture-range
//          profiler-api must hold (the two ranges only) is printed as
//          "expect" lines: launches per kernel, graph nodes, copies and
//          sets, host API calls per class, ranges.
#include <cuda.h>
#include <cudaProfiler.h>
#include <cuda_profiler_api.h>
#include <cuda_runtime.h>
#include <cooperative_groups.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#define CK(x)                                                                                     \
    do {                                                                                          \
        cudaError_t e_ = (x);                                                                     \
        if (e_ != cudaSuccess) {                                                                  \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_));   \
            exit(1);                                                                              \
        }                                                                                         \
    } while (0)
#define CKD(x)                                                                                    \
    do {                                                                                          \
        CUresult e_ = (x);                                                                        \
        if (e_ != CUDA_SUCCESS) {                                                                 \
            const char *s_ = "?";                                                                 \
            cuGetErrorName(e_, &s_);                                                              \
            fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x, s_);                       \
            exit(1);                                                                              \
        }                                                                                         \
    } while (0)

__global__ void vec_add(const float *a, const float *b, float *c, int n)
{
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n)
        c[i] = a[i] + b[i];
}

template <int TILE>
__global__ void matmul_tiled(const float *A, const float *B, float *C, int n)
{
    __shared__ float As[TILE][TILE];
    __shared__ float Bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.0f;
    for (int t = 0; t < n; t += TILE) {
        As[threadIdx.y][threadIdx.x] = A[row * n + t + threadIdx.x];
        Bs[threadIdx.y][threadIdx.x] = B[(t + threadIdx.y) * n + col];
        __syncthreads();
        for (int k = 0; k < TILE; k++)
            acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
        __syncthreads();
    }
    C[row * n + col] = acc;
}

// Grid-stride sum: each block reduces in shared memory, then one atomicAdd.
__global__ void reduce_sum(const float *in, float *out, int n)
{
    extern __shared__ float s[];
    float v = 0.0f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
        v += in[i];
    s[threadIdx.x] = v;
    __syncthreads();
    for (int w = blockDim.x / 2; w > 0; w >>= 1) {
        if (threadIdx.x < w)
            s[threadIdx.x] += s[threadIdx.x + w];
        __syncthreads();
    }
    if (threadIdx.x == 0)
        atomicAdd(out, s[0]);
}

static int failures;

static void check(bool ok, const char *what)
{
    printf("%s %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok)
        failures++;
}

static std::vector<float> host_data(size_t n, unsigned seed)
{
    std::vector<float> v(n);
    srand(seed);
    for (size_t i = 0; i < n; i++)
        v[i] = (float)(rand() % 1000) / 1000.0f; // exact in float; sums stay exact-ish
    return v;
}

static void run_vec_add(int n, int block, cudaStream_t s, int reps, const char *what)
{
    std::vector<float> a = host_data(n, 1), b = host_data(n, 2), c(n);
    float *da, *db, *dc;
    CK(cudaMalloc(&da, n * sizeof(float)));
    CK(cudaMalloc(&db, n * sizeof(float)));
    CK(cudaMalloc(&dc, n * sizeof(float)));
    CK(cudaMemcpyAsync(da, a.data(), n * sizeof(float), cudaMemcpyHostToDevice, s));
    CK(cudaMemcpyAsync(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice, s));
    CK(cudaMemsetAsync(dc, 0xff, n * sizeof(float), s)); // NaN poison
    for (int r = 0; r < reps; r++)
        vec_add<<<(n + block - 1) / block, block, 0, s>>>(da, db, dc, n);
    CK(cudaGetLastError());
    CK(cudaMemcpyAsync(c.data(), dc, n * sizeof(float), cudaMemcpyDeviceToHost, s));
    CK(cudaStreamSynchronize(s));
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        ok = c[i] == a[i] + b[i];
    check(ok, what);
    CK(cudaFree(da));
    CK(cudaFree(db));
    CK(cudaFree(dc));
}

static void run_matmul(int n, int reps)
{
    const int T = 16;
    std::vector<float> a = host_data((size_t)n * n, 3), b = host_data((size_t)n * n, 4), c((size_t)n * n);
    float *da, *db, *dc;
    size_t bytes = (size_t)n * n * sizeof(float);
    CK(cudaMalloc(&da, bytes));
    CK(cudaMalloc(&db, bytes));
    CK(cudaMalloc(&dc, bytes));
    CK(cudaMemcpy(da, a.data(), bytes, cudaMemcpyHostToDevice));
    CK(cudaMemcpy(db, b.data(), bytes, cudaMemcpyHostToDevice));
    CK(cudaMemset(dc, 0xff, bytes));
    for (int r = 0; r < reps; r++)
        matmul_tiled<T><<<dim3(n / T, n / T), dim3(T, T)>>>(da, db, dc, n);
    CK(cudaGetLastError());
    CK(cudaMemcpy(c.data(), dc, bytes, cudaMemcpyDeviceToHost));
    bool ok = true;
    for (int k = 0; k < 64 && ok; k++) {
        int i = (k * 7919) % n, j = (k * 104729) % n;
        double ref = 0;
        for (int t = 0; t < n; t++)
            ref += (double)a[(size_t)i * n + t] * b[(size_t)t * n + j];
        ok = fabs(c[(size_t)i * n + j] - ref) <= 1e-4 * fabs(ref) + 1e-3;
    }
    check(ok, "matmul_tiled<16> 1024x1024");
    CK(cudaFree(da));
    CK(cudaFree(db));
    CK(cudaFree(dc));
}

static void run_reduce(int n, int grid, int block, int reps)
{
    std::vector<float> a = host_data(n, 5);
    double ref = 0;
    for (int i = 0; i < n; i++)
        ref += a[i];
    float *din, *dout, out = 0;
    CK(cudaMalloc(&din, n * sizeof(float)));
    CK(cudaMalloc(&dout, sizeof(float)));
    CK(cudaMemcpy(din, a.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    bool ok = true;
    for (int r = 0; r < reps; r++) {
        CK(cudaMemset(dout, 0, sizeof(float)));
        reduce_sum<<<grid, block, block * sizeof(float)>>>(din, dout, n);
        CK(cudaGetLastError());
        CK(cudaMemcpy(&out, dout, sizeof(float), cudaMemcpyDeviceToHost));
        ok = ok && fabs(out - ref) <= 1e-4 * ref; // a replay that added twice would be 2x
    }
    check(ok, "reduce_sum");
    CK(cudaFree(din));
    CK(cudaFree(dout));
}

static void run_threads(void)
{
    std::vector<std::thread> th;
    for (int t = 0; t < 2; t++)
        th.emplace_back([] {
            cudaStream_t s;
            CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
            run_vec_add(1 << 20, 256, s, 3, "vec_add on a thread's own stream");
            CK(cudaStreamDestroy(s));
        });
    for (auto &t : th)
        t.join();
}

static void run_graph(void)
{
    const int n = 1 << 20;
    std::vector<float> a = host_data(n, 6), b = host_data(n, 7), c(n);
    float *da, *db, *dc, *dsum, sum = 0;
    cudaStream_t s;
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    CK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    CK(cudaMalloc(&da, n * sizeof(float)));
    CK(cudaMalloc(&db, n * sizeof(float)));
    CK(cudaMalloc(&dc, n * sizeof(float)));
    CK(cudaMalloc(&dsum, sizeof(float)));
    CK(cudaMemcpy(da, a.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    CK(cudaMemcpy(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    CK(cudaStreamBeginCapture(s, cudaStreamCaptureModeGlobal));
    CK(cudaMemsetAsync(dsum, 0, sizeof(float), s));
    vec_add<<<n / 256, 256, 0, s>>>(da, db, dc, n);
    reduce_sum<<<1024, 256, 256 * sizeof(float), s>>>(dc, dsum, n);
    CK(cudaStreamEndCapture(s, &graph));
    CK(cudaGraphInstantiate(&exec, graph, 0));
    double ref = 0;
    for (int i = 0; i < n; i++)
        ref += (double)a[i] + b[i];
    bool ok = true;
    for (int r = 0; r < 2; r++) {
        CK(cudaGraphLaunch(exec, s));
        CK(cudaMemcpyAsync(&sum, dsum, sizeof(float), cudaMemcpyDeviceToHost, s));
        CK(cudaStreamSynchronize(s));
        ok = ok && fabs(sum - ref) <= 1e-4 * ref;
    }
    check(ok, "CUDA graph (vec_add + reduce_sum), launched twice");
    CK(cudaGraphExecDestroy(exec));
    CK(cudaGraphDestroy(graph));
    CK(cudaStreamDestroy(s));
    CK(cudaFree(da));
    CK(cudaFree(db));
    CK(cudaFree(dc));
    CK(cudaFree(dsum));
}

static void run_launch_ex_and_coop(void)
{
    const int n = 1 << 20;
    std::vector<float> a = host_data(n, 8), b = host_data(n, 9), c(n);
    float *da, *db, *dc, *dsum, sum = 0;
    CK(cudaMalloc(&da, n * sizeof(float)));
    CK(cudaMalloc(&db, n * sizeof(float)));
    CK(cudaMalloc(&dc, n * sizeof(float)));
    CK(cudaMalloc(&dsum, sizeof(float)));
    CK(cudaMemcpy(da, a.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    CK(cudaMemcpy(db, b.data(), n * sizeof(float), cudaMemcpyHostToDevice));
    cudaLaunchConfig_t cfg = {};
    cfg.gridDim = dim3(n / 128);
    cfg.blockDim = dim3(128);
    CK(cudaLaunchKernelEx(&cfg, vec_add, (const float *)da, (const float *)db, dc, n));
    CK(cudaMemcpy(c.data(), dc, n * sizeof(float), cudaMemcpyDeviceToHost));
    bool ok = true;
    for (int i = 0; i < n && ok; i++)
        ok = c[i] == a[i] + b[i];
    check(ok, "vec_add through cudaLaunchKernelEx");

    int nn = n;
    const float *cin = dc;
    void *args[] = { (void *)&cin, (void *)&dsum, (void *)&nn };
    CK(cudaMemset(dsum, 0, sizeof(float)));
    CK(cudaLaunchCooperativeKernel((void *)reduce_sum, dim3(132), dim3(256), args, 256 * sizeof(float), 0));
    CK(cudaMemcpy(&sum, dsum, sizeof(float), cudaMemcpyDeviceToHost));
    double ref = 0;
    for (int i = 0; i < n; i++)
        ref += (double)a[i] + b[i];
    check(fabs(sum - ref) <= 1e-4 * ref, "reduce_sum through cudaLaunchCooperativeKernel");
    CK(cudaFree(da));
    CK(cudaFree(db));
    CK(cudaFree(dc));
    CK(cudaFree(dsum));
}

static void run_second_context(void)
{
    CUdevice dev;
    CUcontext ctx;
    CKD(cuDeviceGet(&dev, 0));
    CKD(cuCtxCreate(&ctx, NULL, 0, dev));
    // the runtime uses the context that is current
    run_vec_add(1 << 19, 256, 0, 1, "vec_add in a second context");
    CKD(cuCtxPopCurrent(NULL));
    CKD(cuCtxDestroy(ctx));
}

// One round of the range mode's work, the same configurations every time:
// 4 vec_add (2 of them graph nodes), 1 matmul_tiled, 4 reduce_sum (2 graph
// nodes); 19 copies and sets (2 of the sets graph nodes); host API calls:
// 7 launch (2 of them made during the graph's stream capture), 2 graph,
// 13 memcpy, 5 memset, 3 sync.
static void range_round(const char *phase)
{
    printf("-- %s\n", phase);
    run_vec_add(1 << 22, 256, 0, 2, "vec_add 4M");
    run_matmul(1024, 1);
    run_reduce(1 << 22, 1024, 256, 2);
    run_graph();
}

static void run_ranges(void)
{
    CK(cudaProfilerStop()); // a stop before any start changes nothing
    range_round("before the first range");
    CK(cudaProfilerStart());
    range_round("range 1 (cudaProfilerStart)");
    CK(cudaProfilerStart()); // a start inside a range changes nothing
    CK(cudaProfilerStop());
    range_round("between the ranges");
    CKD(cuProfilerStart());
    range_round("range 2 (cuProfilerStart)");
    CKD(cuProfilerStop());
    range_round("after the last range");
    printf("expect vec_add 8\nexpect matmul_tiled 2\nexpect reduce_sum 8\nexpect-graph 8\nexpect-memops 38\n"
           "expect-api launch 14\nexpect-api graph 4\nexpect-api memcpy 26\nexpect-api memset 10\n"
           "expect-api sync 6\nexpect-capture 2\n");
}

int main(int argc, char **argv)
{
    const char *mode = "compare";
    int exit_code = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--exit") && i + 1 < argc)
            exit_code = atoi(argv[++i]);
        else
            mode = argv[i];
    }
    int all = !strcmp(mode, "all");
    if (!all && strcmp(mode, "compare") && strcmp(mode, "range")) {
        fprintf(stderr, "usage: %s [compare|all|range] [--exit N]\n", argv[0]);
        return 2;
    }
    CK(cudaSetDevice(0));
    if (!strcmp(mode, "range")) {
        run_ranges();
        printf("%s\n", failures ? "FAILED" : "all results correct");
        return failures ? 1 : exit_code;
    }
    run_vec_add(1 << 24, 256, 0, 2, "vec_add 16M");
    run_matmul(1024, 2);
    run_reduce(1 << 24, 1024, 256, 2);
    if (all) {
        run_threads();
        run_graph();
        run_launch_ex_and_coop();
        run_second_context();
        printf("expect vec_add 12\nexpect matmul_tiled 2\nexpect reduce_sum 5\nexpect-graph 4\n");
    } else {
        printf("expect vec_add 2\nexpect matmul_tiled 2\nexpect reduce_sum 2\n");
    }
    printf("%s\n", failures ? "FAILED" : "all results correct");
    return failures ? 1 : exit_code;
}

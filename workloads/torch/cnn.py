#!/usr/bin/env python3
"""cnn.py: CNN inference with torchvision models, as a workload to profile.

Random weights (weights=None: nothing is downloaded), fp16, channels_last,
eval mode, torch.inference_mode, random input of shape (batch, 3, 224, 224).
Runs --warmup inferences, then --iters timed ones; each timed inference is
CUDA-synchronized and its wall time printed to stdout, one line each:

    iter=0 wall_ms=12.345

then a summary line (median, min).  Every launch is profiled when this runs
under a profiler, so keep --warmup small: torch's first inferences also run
setup kernels (cuDNN heuristics, and with --cudnn-benchmark 1 its autotuning).

The timed inferences are bracketed by cudaProfilerStart() and
cudaProfilerStop() (after the warm-up, before the summary): under
`bspgpu profile --capture-range profiler-api` (or nsys
--capture-range=cudaProfilerApi) the profile holds only them, without the
warm-up's setup, torch.compile's compilation or Triton's autotuning.  Without
a profiler the two calls do nothing.

BSP_SMS=N runs the process on a green context of at least N SMs: before torch
touches CUDA, build/libbspgpu_cuda.so (path in BSP_GREENCTX_LIB) creates it and
makes it current; the program checks that torch kept that context, and fails
otherwise.

examples:
  python3 workloads/torch/cnn.py --model resnet50 --batch 32
  python3 workloads/torch/cnn.py --model vgg16 --batch 8 --cudnn-benchmark 1 --iters 5
  BSP_SMS=16 python3 workloads/torch/cnn.py --model resnet18 --batch 1
"""
import argparse
import ctypes
import os
import statistics
import sys
import time

MODELS = ("resnet50", "mobilenet_v2", "vgg16", "resnet18", "densenet121", "regnet_y_400mf")
DEFAULT_BATCH = {"resnet50": 32, "mobilenet_v2": 32, "vgg16": 8, "resnet18": 1, "densenet121": 16,
                 "regnet_y_400mf": 32}


def enter_green_context(sms):
    """Create a green context of >= sms SMs and make it current; return the
    granted SM count and the CUcontext handle current afterwards."""
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "build", "libbspgpu_cuda.so")
    path = os.environ.get("BSP_GREENCTX_LIB", default)
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        sys.exit(f"cnn.py: BSP_SMS={sms}: cannot load {path} ({e}); run make build/libbspgpu_cuda.so")

    class BspErr(ctypes.Structure):
        _fields_ = [("code", ctypes.c_int), ("msg", ctypes.c_char * 512)]

    err = BspErr()
    got = ctypes.c_int(0)
    rc = lib.bsp_greenctx_enter(0, sms, ctypes.byref(got), ctypes.byref(err))
    if rc != 0:
        sys.exit(f"cnn.py: BSP_SMS={sms}: {err.msg.decode(errors='replace')}")
    return got.value, current_context()


def current_context():
    cuda = ctypes.CDLL("libcuda.so.1")
    ctx = ctypes.c_void_p()
    rc = cuda.cuCtxGetCurrent(ctypes.byref(ctx))
    if rc != 0:
        sys.exit(f"cnn.py: cuCtxGetCurrent failed ({rc})")
    return ctx.value


def main():
    ap = argparse.ArgumentParser(
        description="CNN inference (torchvision, random weights, fp16, channels_last).",
        epilog=__doc__.split("examples:")[1].join(["examples:", ""]),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", choices=MODELS, default="resnet50")
    ap.add_argument("--batch", type=int, default=None,
                    help="batch size (default: resnet50 32, mobilenet_v2 32, vgg16 8, resnet18 1, "
                         "densenet121 16, regnet_y_400mf 32)")
    ap.add_argument("--cudnn-benchmark", type=int, choices=(0, 1), default=0,
                    help="torch.backends.cudnn.benchmark (autotune convolutions)")
    ap.add_argument("--compile", action="store_true",
                    help="torch.compile the model (Triton kernels)")
    ap.add_argument("--iters", type=int, default=5, help="timed inferences (default 5)")
    ap.add_argument("--warmup", type=int, default=1, help="untimed inferences first (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    batch = a.batch if a.batch is not None else DEFAULT_BATCH[a.model]
    if batch < 1 or a.iters < 1 or a.warmup < 0:
        ap.error("--batch and --iters must be >= 1, --warmup >= 0")

    sms_env = os.environ.get("BSP_SMS", "")
    green = None
    if sms_env:
        if not sms_env.isdigit() or int(sms_env) < 1:
            sys.exit(f"cnn.py: BSP_SMS: '{sms_env}', want a positive SM count")
        got, ctx = enter_green_context(int(sms_env))
        green = ctx
        print(f"cnn.py: BSP_SMS={sms_env}: green context with {got} SMs", file=sys.stderr)

    import torch
    import torchvision

    if not torch.cuda.is_available():
        sys.exit("cnn.py: no CUDA device")
    torch.manual_seed(a.seed)
    torch.backends.cudnn.benchmark = bool(a.cudnn_benchmark)
    dev = torch.device("cuda", 0)
    model = getattr(torchvision.models, a.model)(weights=None)
    model = model.to(dev, dtype=torch.half, memory_format=torch.channels_last).eval()
    x = torch.randn(batch, 3, 224, 224, device=dev, dtype=torch.half)
    x = x.contiguous(memory_format=torch.channels_last)
    if green is not None and current_context() != green:
        sys.exit("cnn.py: torch replaced the green context with another one; "
                 "BSP_SMS does not hold for this run")
    run = torch.compile(model) if a.compile else model

    times = []
    with torch.inference_mode():
        for _ in range(a.warmup):
            run(x)
        torch.cuda.synchronize()
        cudart = torch.cuda.cudart()
        cudart.cudaProfilerStart()  # the capture range: the timed inferences only
        for i in range(a.iters):
            t0 = time.perf_counter()
            y = run(x)
            torch.cuda.synchronize()
            ms = (time.perf_counter() - t0) * 1e3
            times.append(ms)
            print(f"iter={i} wall_ms={ms:.3f}", flush=True)
        cudart.cudaProfilerStop()
    if not torch.isfinite(y.float()).all():
        print("cnn.py: warning: the output holds non-finite values (random weights, fp16)",
              file=sys.stderr)
    if green is not None and current_context() != green:
        sys.exit("cnn.py: the green context was not current at the end")
    print(f"model={a.model} batch={batch} cudnn_benchmark={a.cudnn_benchmark} "
          f"compile={int(a.compile)} warmup={a.warmup} iters={a.iters} "
          f"median_ms={statistics.median(times):.3f} min_ms={min(times):.3f} "
          f"device={torch.cuda.get_device_name(0)!r} torch={torch.__version__}"
          + (f" sms={sms_env}" if sms_env else ""), flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""One ResNet-50 inference (torchvision, random weights, fp16, batch 32,
channels_last) after one warm-up inference in the same process; the
application that scripts/overhead.py times.  Prints one JSON line: the
times inside the process and a checksum of the output (the same with and
without a profiler, if the profiler does not disturb the computation)."""
import json
import time

t0 = time.perf_counter()
import torch  # noqa: E402
import torchvision  # noqa: E402

t_import = time.perf_counter()
torch.manual_seed(0)
model = torchvision.models.resnet50(weights=None).eval().half().to(memory_format=torch.channels_last).cuda()
x = torch.randn(32, 3, 224, 224, generator=torch.Generator().manual_seed(1)).half()
x = x.to(memory_format=torch.channels_last).cuda()
with torch.inference_mode():
    torch.cuda.synchronize()
    t1 = time.perf_counter()
    model(x)                      # warm-up: library loading, algorithm choice
    torch.cuda.synchronize()
    t2 = time.perf_counter()
    y = model(x)                  # the inference
    torch.cuda.synchronize()
    t3 = time.perf_counter()
print(json.dumps({
    "import_s": t_import - t0, "setup_s": t1 - t_import, "warmup_s": t2 - t1, "inference_s": t3 - t2,
    "checksum": float(y.float().abs().sum().item()), "argmax0": int(y[0].argmax().item()),
    "torch": torch.__version__, "device": torch.cuda.get_device_name(0),
}))

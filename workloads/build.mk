# workloads/build.mk: green-context library and the synthetic CUDA workloads.
#
#   build/libbspgpu_cuda.a     bsp_greenctx_enter (driver API; link with -lcuda)
#   build/libbspgpu_cuda.so    the same, for ctypes (workloads/torch/cnn.py)
#   build/workloads/<prog>     one self-checking CUDA program per workload
#   make gpu-check             runs every workload on the whole chip and on a
#                              16-SM green context, and checks the partition

CUDA_INC ?= $(CUDA_HOME)/include
# libcuda.so comes with the driver; link against the toolkit's stub so that
# this builds on machines without one (the driver's library loads at run time)
CUDA_DRV_LIBS = -L$(CUDA_HOME)/lib64/stubs -lcuda

$(BUILD)/src/cuda/greenctx.o: CFLAGS += -I$(CUDA_INC)

$(BUILD)/libbspgpu_cuda.a: $(BUILD)/src/cuda/greenctx.o
	@$(if $(Q),echo "  AR    $@")
	$(Q)ar rcs $@ $^

$(BUILD)/libbspgpu_cuda.so: $(BUILD)/src/cuda/greenctx.o
	@$(if $(Q),echo "  LD    $@")
	$(Q)$(CC) $(LDFLAGS) -shared -o $@ $^ $(CUDA_DRV_LIBS)

WL_PROGS = mm madd vadd dot msa reduce transpose stencil histogram spmv sm_check
WL_BINS  = $(WL_PROGS:%=$(BUILD)/workloads/%)
WL_NVCCFLAGS = $(NVCCFLAGS) $(if $(filter 1,$(WERROR)),-Werror all-warnings)

$(BUILD)/workloads/%: workloads/cuda/%.cu workloads/cuda/wl.cuh include/bspgpu/greenctx.h \
                      $(BUILD)/libbspgpu_cuda.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NVCC  $<")
	$(Q)$(NVCC) $(WL_NVCCFLAGS) -o $@ $< $(BUILD)/libbspgpu_cuda.a $(CUDA_DRV_LIBS)

.PHONY: workloads workloads-gpu-check
workloads: $(WL_BINS) $(BUILD)/libbspgpu_cuda.so

ALL_TARGETS += $(BUILD)/libbspgpu_cuda.a $(BUILD)/libbspgpu_cuda.so $(WL_BINS)

# Every synthetic workload (self-checks) on the whole chip and on 16 SMs,
# then the partition check (SMs seen, compute-bound slowdown).
workloads-gpu-check: workloads
	workloads/run-all.sh $(BUILD)/wl-check/full
	workloads/run-all.sh $(BUILD)/wl-check/sms16 --sms 16
	workloads/check-greenctx.sh

GPU_CHECKS += workloads-gpu-check

# GPU-free: run-all.sh's listing, wrapper substitution, summary and failure
# report (with `echo` and `false` as wrappers), and cnn.py's --help.
.PHONY: workloads-test
workloads-test:
	@echo "  TEST  workloads/run-all.sh"
	$(Q)t=$$(mktemp -d) && \
	test "$$(workloads/run-all.sh --list | wc -l)" -eq 17 && \
	test "$$(workloads/run-all.sh --cnn-compile --list | wc -l)" -eq 35 && \
	workloads/run-all.sh $$t/a --only vadd,mm_tiled -- echo {outdir}/{name}.csv >/dev/null && \
	grep -qx "$$t/a/vadd.csv build/workloads/vadd -r 5 -v vadd" $$t/a/vadd.log && \
	test "$$(wc -l <$$t/a/summary.tsv)" -eq 3 && \
	{ ! workloads/run-all.sh $$t/b --only dot -- false >/dev/null; } && \
	grep -q "^dot	1	" $$t/b/summary.tsv && \
	{ workloads/run-all.sh $$t/c --only nope 2>/dev/null; test $$? -eq 2; } && \
	rm -rf $$t || { echo "workloads-test: FAILED (kept $$t)" >&2; exit 1; }
	$(Q)python3 workloads/torch/cnn.py --help >/dev/null

TEST_TARGETS += workloads-test

-include $(BUILD)/src/cuda/greenctx.d

# microbench/build.mk: the calibration microbenchmarks and their driver.
#
#   build/bspgpu-calibrate   the calibration program (`bspgpu calibrate` execs it)
#   make mb-test             GPU-free tests (statistics; the command line of
#                            `bspgpu calibrate` and of bspgpu-calibrate, run
#                            against the CUDA stub driver); part of `make test`
#   make mb-gpu-check        quick calibration on the GPU, each value checked
#                            against a sane range; part of `make gpu-check`
#
# Build for Jetson Xavier (CUDA 11.4, no green contexts):
#   make NVCC_ARCH="-gencode arch=compute_72,code=sm_72" build/bspgpu-calibrate

MB_CU     = microbench/latency.cu microbench/throughput.cu microbench/hostcopy.cu \
            microbench/calibrate.cu
MB_CUOBJ  = $(MB_CU:%.cu=$(BUILD)/%.o)
MB_NVCCFLAGS = $(NVCCFLAGS)
ifeq ($(WERROR),1)
MB_NVCCFLAGS += -Werror all-warnings -Xcompiler -Werror
endif
MB_CUDA_STUBS = $(CUDA_HOME)/lib64/stubs
# host link flags through nvcc to the host compiler; nvcc splits -Xcompiler
# values at commas, so -fsanitize=a,b goes as -fsanitize=a -fsanitize=b
MB_COMMA := ,
MB_SANITIZERS = $(subst $(MB_COMMA), ,$(patsubst -fsanitize=%,%,$(filter -fsanitize=%,$(LDFLAGS))))
MB_LDFLAGS = $(foreach f,$(MB_SANITIZERS),-Xcompiler -fsanitize=$(f)) \
             $(foreach f,$(filter-out -fsanitize=%,$(LDFLAGS)),-Xcompiler $(f))

$(BUILD)/microbench/%.o: microbench/%.cu
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NVCC  $<")
	$(Q)$(NVCC) $(MB_NVCCFLAGS) -MMD -MP -c $< -o $@

# libbspgpu.a: bsp_board_*; libbspgpu_cuda.a: bsp_greenctx_enter (driver API).
$(BUILD)/bspgpu-calibrate: $(MB_CUOBJ) $(BUILD)/microbench/mb_stats.o \
                           $(BUILD)/libbspgpu.a $(BUILD)/libbspgpu_cuda.a
	@$(if $(Q),echo "  LD    $@")
	$(Q)$(NVCC) $(NVCC_ARCH) $(MB_LDFLAGS) -o $@ $(MB_CUOBJ) $(BUILD)/microbench/mb_stats.o \
	    $(BUILD)/libbspgpu.a $(BUILD)/libbspgpu_cuda.a $(LDLIBS_HOST) \
	    -L$(MB_CUDA_STUBS) -lcuda

$(BUILD)/microbench/test_stats: $(BUILD)/microbench/test_stats.o $(BUILD)/microbench/mb_stats.o
	@$(if $(Q),echo "  LD    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lm

$(BUILD)/microbench/test_cmd_calibrate: $(BUILD)/microbench/test_cmd_calibrate.o \
                                        $(BUILD)/src/cli/cmd_calibrate.o
	@$(if $(Q),echo "  LD    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

.PHONY: mb-test mb-gpu-check
mb-test: $(BUILD)/microbench/test_stats $(BUILD)/microbench/test_cmd_calibrate \
         $(BUILD)/bspgpu-calibrate
	$(Q)$(BUILD)/microbench/test_stats
	$(Q)$(BUILD)/microbench/test_cmd_calibrate >/dev/null 2>$(BUILD)/microbench/test_cmd_calibrate.err || \
	    { cat $(BUILD)/microbench/test_cmd_calibrate.err; exit 1; }
	$(Q)grep -q 'bspgpu-calibrate' $(BUILD)/microbench/test_cmd_calibrate.err
	@echo "test_cmd_calibrate: ok"
	$(Q)sh microbench/cli_test.sh $(BUILD) $(MB_CUDA_STUBS)

mb-gpu-check: $(BUILD)/bspgpu-calibrate
	$(Q)sh microbench/gpu_check.sh $(BUILD)

ALL_TARGETS  += $(BUILD)/bspgpu-calibrate
TEST_TARGETS += mb-test
GPU_CHECKS   += mb-gpu-check

-include $(MB_CUOBJ:.o=.d) $(BUILD)/microbench/mb_stats.d $(BUILD)/microbench/test_stats.d \
         $(BUILD)/microbench/test_cmd_calibrate.d

# Kernel floor: empty-kernel launches timed by `bspgpu profile` (scripts/kernel-floor.sh)
$(BUILD)/bspgpu-floor: microbench/floor/floor.cu $(BUILD)/libbspgpu_cuda.a $(BUILD)/libbspgpu.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NVCC  $<")
	$(Q)$(NVCC) $(MB_NVCCFLAGS) -o $@ $< $(BUILD)/libbspgpu_cuda.a $(BUILD)/libbspgpu.a \
	    -L$(MB_CUDA_STUBS) -lcuda
ALL_TARGETS += $(BUILD)/bspgpu-floor

# L2 request and hot-reduction rates, from `bspgpu profile` (scripts/l2-rates.sh)
$(BUILD)/bspgpu-l2rates: microbench/l2rates/l2rates.cu
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NVCC  $<")
	$(Q)$(NVCC) $(MB_NVCCFLAGS) -o $@ $<
ALL_TARGETS += $(BUILD)/bspgpu-l2rates

# cuBLAS GEMMs of growing size, timed by `bspgpu profile` (docs/calibration.md); built where
# the CUDA toolkit has cuBLAS
$(BUILD)/bspgpu-gemm: microbench/gemm/gemm.cu
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NVCC  $<")
	$(Q)$(NVCC) $(MB_NVCCFLAGS) -o $@ $< -lcublas
ifneq ($(wildcard $(CUDA_HOME)/include/cublas_v2.h),)
ALL_TARGETS += $(BUILD)/bspgpu-gemm
LADDER_BINS = $(BUILD)/bspgpu-gemm
endif

# the ladders' programs on the GPU, each checking its results (microbench/ladders_check.sh)
.PHONY: ladders-gpu-check
ladders-gpu-check: $(BUILD)/bspgpu-l2rates $(LADDER_BINS)
	$(Q)sh microbench/ladders_check.sh $(BUILD)
GPU_CHECKS += ladders-gpu-check

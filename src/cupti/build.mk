# src/cupti: the CUPTI collector behind `bspgpu profile`.
#
#   build/libbspgpu-cupti.so   injection library (CUDA_INJECTION64_PATH)
#   build/bsp_cupti_test       CUDA test program (kernels checked on the host)
#   make cupti-units test-profile-launcher   GPU-free tests (in `make test`)
#   make cupti-gpu-check                     profile the test program (GPU)
#   make cupti-gpu-check-range               the same under --capture-range profiler-api (GPU)

CUPTI_HOST_SRC = src/cupti/options.c src/cupti/sets.c src/cupti/sampler.c src/cupti/demangle.c src/cupti/hostapi.c \
                 src/cupti/store.c src/cupti/capture.c
CUPTI_HOST_OBJ = $(CUPTI_HOST_SRC:%.c=$(BUILD)/%.o)
CUPTI_INJ_OBJ  = $(BUILD)/src/cupti/inject.o
CUPTI_SO       = $(BUILD)/libbspgpu-cupti.so
CUPTI_TESTPROG = $(BUILD)/bsp_cupti_test
CUPTI_CHECKER  = $(BUILD)/cupti_check_profile
CUPTI_UNITS    = $(BUILD)/tests/cupti_units
# -I first, ahead of CPATH and system dirs: compat/ holds
# the empty <string> that cupti_profiler_host.h (CUDA 13.0) asks for in C;
# CUPTI's own headers are system headers (not ours to warn about).
CUPTI_CFLAGS   = -Isrc/cupti/compat -isystem $(CUPTI_INC) -isystem $(CUDA_HOME)/include
CUDA_STUBS    ?= $(firstword $(wildcard $(CUDA_HOME)/lib64/stubs $(CUDA_HOME)/targets/x86_64-linux/lib/stubs))
CUPTI_LDLIBS   = -L$(CUPTI_LIB) -Wl,-rpath,$(CUPTI_LIB) -lcupti -L$(CUDA_STUBS) -lcuda \
                 $(LDLIBS_HOST) -lstdc++ -lpthread

ALL_TARGETS  += $(CUPTI_SO) $(CUPTI_TESTPROG) $(CUPTI_CHECKER)
TEST_TARGETS += cupti-units test-profile-launcher
GPU_CHECKS   += cupti-gpu-check cupti-gpu-check-threads cupti-gpu-check-range

.PHONY: cupti-units test-profile-launcher cupti-gpu-check cupti-gpu-check-threads cupti-gpu-check-range

$(CUPTI_INJ_OBJ): src/cupti/inject.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC    $<")
	$(Q)$(CC) $(CFLAGS) $(CUPTI_CFLAGS) -MMD -MP -c $< -o $@

$(CUPTI_SO): $(CUPTI_INJ_OBJ) $(CUPTI_HOST_OBJ) $(BUILD)/libbspgpu.a src/cupti/exports.map
	@$(if $(Q),echo "  LD    $@")
	$(Q)$(CC) -shared $(LDFLAGS) -Wl,--version-script=src/cupti/exports.map -Wl,--no-undefined -o $@ \
		$(CUPTI_INJ_OBJ) $(CUPTI_HOST_OBJ) $(BUILD)/libbspgpu.a $(CUPTI_LDLIBS)

$(CUPTI_TESTPROG): src/cupti/test/bsp_cupti_test.cu
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NVCC  $<")
	$(Q)$(NVCC) $(NVCCFLAGS) -o $@ $< -L$(CUDA_STUBS) -lcuda -lpthread

$(CUPTI_CHECKER): $(BUILD)/src/cupti/test/check_profile.o $(BUILD)/libbspgpu.a
	@$(if $(Q),echo "  LD    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(BUILD)/libbspgpu.a $(LDLIBS_HOST)

$(BUILD)/tests/cupti_units.o: tests/cupti_units.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC    $<")
	$(Q)$(CC) $(CFLAGS) -Itests -MMD -MP -c $< -o $@

$(CUPTI_UNITS): $(BUILD)/tests/cupti_units.o $(CUPTI_HOST_OBJ) $(BUILD)/libbspgpu.a
	@$(if $(Q),echo "  LD    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $< $(CUPTI_HOST_OBJ) $(BUILD)/libbspgpu.a $(LDLIBS_HOST) -lstdc++

cupti-units: $(CUPTI_UNITS)
	$(Q)$(CUPTI_UNITS)

test-profile-launcher: $(BUILD)/bspgpu $(CUPTI_SO)
	$(Q)sh tests/test_profile_launcher.sh $(BUILD)/bspgpu

# Profile the test program (every mode: threads, streams, graph, a second
# context), check launches and counters, and check that its output is the
# same with and without the collector.
cupti-gpu-check: $(BUILD)/bspgpu $(CUPTI_SO) $(CUPTI_TESTPROG) $(CUPTI_CHECKER)
	$(Q)$(CUPTI_TESTPROG) all > $(BUILD)/cupti_check.plain.out
	$(Q)$(BUILD)/bspgpu profile -o $(BUILD)/cupti_check.csv --metrics seed -- $(CUPTI_TESTPROG) all \
		> $(BUILD)/cupti_check.prof.out
	$(Q)cmp $(BUILD)/cupti_check.plain.out $(BUILD)/cupti_check.prof.out
	$(Q)$(CUPTI_CHECKER) $(BUILD)/cupti_check.csv $(BUILD)/cupti_check.prof.out
	@echo "cupti-gpu-check: ok"

# Every launch profiled (--samples 0) while two host threads copy, memset
# and launch at once, three times, then three times more with other threads'
# copies, memsets and graph launches held off (BSPGPU_PROFILE_SERIALIZE=1):
# no launch may keep counters that belong to another kernel.
cupti-gpu-check-threads: $(BUILD)/bspgpu $(CUPTI_SO) $(CUPTI_TESTPROG) $(CUPTI_CHECKER)
	$(Q)for s in 0 0 0 1 1 1; do \
		BSPGPU_PROFILE_SERIALIZE=$$s $(BUILD)/bspgpu profile -o $(BUILD)/cupti_threads.csv --samples 0 -- \
			$(CUPTI_TESTPROG) all > $(BUILD)/cupti_threads.out || exit 1; \
		$(CUPTI_CHECKER) $(BUILD)/cupti_threads.csv $(BUILD)/cupti_threads.out > $(BUILD)/cupti_threads.check \
			|| { cat $(BUILD)/cupti_threads.check; exit 1; }; \
	done
	@echo "cupti-gpu-check-threads: ok"

# --capture-range profiler-api: the test program runs the same work before,
# inside and after two ranges (cudaProfilerStart/Stop, then cuProfilerStart/
# Stop); with counters (seed) and durations only (none), its output must be
# the same as without the collector, the profile must hold the ranges' work
# only and, with counters, each configuration's first launch inside must be
# the one profiled.  A program that never starts a range keeps its exit code
# and gets header-only files and the collector's message.
cupti-gpu-check-range: $(BUILD)/bspgpu $(CUPTI_SO) $(CUPTI_TESTPROG) $(CUPTI_CHECKER)
	$(Q)$(CUPTI_TESTPROG) range > $(BUILD)/cupti_range.plain.out
	$(Q)for m in seed none; do \
		$(BUILD)/bspgpu profile -o $(BUILD)/cupti_range.csv --metrics $$m --capture-range profiler-api -- \
			$(CUPTI_TESTPROG) range > $(BUILD)/cupti_range.prof.out || exit 1; \
		cmp $(BUILD)/cupti_range.plain.out $(BUILD)/cupti_range.prof.out || exit 1; \
		$(CUPTI_CHECKER) $(BUILD)/cupti_range.csv $(BUILD)/cupti_range.prof.out || exit 1; \
	done
	$(Q)$(BUILD)/bspgpu profile -o $(BUILD)/cupti_norange.csv --capture-range profiler-api -- \
		$(CUPTI_TESTPROG) compare --exit 7 > /dev/null 2> $(BUILD)/cupti_norange.err; rc=$$?; \
	cat $(BUILD)/cupti_norange.err; \
	[ $$rc = 7 ] || { echo "cupti-gpu-check-range: exit $$rc without a range, want 7"; exit 1; }; \
	grep -q 'never called cudaProfilerStart' $(BUILD)/cupti_norange.err || \
		{ echo "cupti-gpu-check-range: no message for a range never started"; exit 1; }; \
	for f in $(BUILD)/cupti_norange.csv $(BUILD)/cupti_norange.csv.memops.csv $(BUILD)/cupti_norange.csv.api.csv; do \
		[ "$$(wc -l < $$f)" = 1 ] || { echo "cupti-gpu-check-range: $$f is not header-only"; exit 1; }; \
	done; \
	grep -q '"capture_range":.*"profiler-api"' $(BUILD)/cupti_norange.csv.meta.json || \
		{ echo "cupti-gpu-check-range: capture range not in the metadata"; exit 1; }
	@echo "cupti-gpu-check-range: ok"

-include $(CUPTI_INJ_OBJ:.o=.d) $(CUPTI_HOST_OBJ:.o=.d) $(BUILD)/tests/cupti_units.d \
         $(BUILD)/src/cupti/test/check_profile.d

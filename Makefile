# bspgpu build.  `make` builds everything (GPU parts compile without a GPU);
# `make test` runs every GPU-free test; `make gpu-check` runs the checks that
# need a GPU (on a machine with one).
#
#   make V=1                 show full command lines
#   make WERROR=1            warnings are errors (CI)
#   make SANITIZE=address,undefined   sanitizer build (host code)

CUDA_HOME ?= /usr/local/cuda
NVCC      ?= $(CUDA_HOME)/bin/nvcc
CC        ?= cc
BUILD     ?= build
CUPTI_INC ?= $(firstword $(wildcard $(CUDA_HOME)/extras/CUPTI/include) $(CUDA_HOME)/include)
CUPTI_LIB ?= $(firstword $(wildcard $(CUDA_HOME)/extras/CUPTI/lib64) $(CUDA_HOME)/lib64)
# sm_90 for Hopper; add e.g. NVCC_ARCH="-gencode arch=compute_72,code=sm_72" for Xavier
NVCC_ARCH ?= -gencode arch=compute_90,code=sm_90

WARN   = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
         -Wcast-qual -Wwrite-strings -Wformat=2 -Wundef
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -D_GNU_SOURCE -Iinclude $(WARN) -fPIC
ifeq ($(WERROR),1)
CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif
NVCCFLAGS ?= -O3 -std=c++17 $(NVCC_ARCH) -Iinclude -Xcompiler -Wall,-Wextra,-fPIC
LDLIBS_HOST = $(shell pkg-config --libs gsl libcjson zlib 2>/dev/null || echo -lgsl -lgslcblas -lcjson -lz) -lm

ifeq ($(V),1)
Q =
else
Q = @
endif

LIB_SRC  = $(wildcard src/*.c) $(wildcard models/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC  = $(wildcard src/cli/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)

ALL_TARGETS = $(BUILD)/libbspgpu.a $(BUILD)/bspgpu

.PHONY: all test gpu-check clean bench results
all: all-targets

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC    $<")
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libbspgpu.a: $(LIB_OBJ)
	@$(if $(Q),echo "  AR    $@")
	$(Q)ar rcs $@ $^

$(BUILD)/bspgpu: $(CLI_OBJ) $(BUILD)/libbspgpu.a
	@$(if $(Q),echo "  LD    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libbspgpu.a $(LDLIBS_HOST)

# Each area adds its targets to ALL_TARGETS, TEST_TARGETS and GPU_CHECKS.
TEST_TARGETS =
GPU_CHECKS =
-include tests/build.mk
-include microbench/build.mk
-include src/cupti/build.mk
-include workloads/build.mk

all-targets: $(ALL_TARGETS)

test: $(TEST_TARGETS)

gpu-check: $(GPU_CHECKS)

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# docs/results.md and data/results/ from data/ alone (no GPU)
results: $(BUILD)/bspgpu
	python3 scripts/results.py --bspgpu $(BUILD)/bspgpu

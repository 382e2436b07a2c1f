# workloads/build.mk: green-context library and the synthetic CUDA workloads.
#
#   build/libbspgpu_cuda.a     bsp_greenctx_enter (driver API; link with -lcuda)
#   build/workloads/<name>     one self-checking CUDA program per workload
#   make gpu-check             runs every workload on the full chip and on 16 SMs

CUDA_INC ?= $(CUDA_HOME)/include

$(BUILD)/src/cuda/greenctx.o: CFLAGS += -I$(CUDA_INC)

$(BUILD)/libbspgpu_cuda.a: $(BUILD)/src/cuda/greenctx.o
	@$(if $(Q),echo "  AR    $@")
	$(Q)ar rcs $@ $^

ALL_TARGETS += $(BUILD)/libbspgpu_cuda.a

-include $(BUILD)/src/cuda/greenctx.d

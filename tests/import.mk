# bspgpu import: GPU-free test of the ncu/nvprof importer (library and CLI).
# Included from tests/build.mk.
IMPORT_TEST = $(BUILD)/tests/test_import
IMPORT_TEST_OBJ = $(BUILD)/src/cli/cmd_import.o $(BUILD)/src/cli/cli_util.o
ALL_TARGETS += $(IMPORT_TEST)

$(IMPORT_TEST): tests/test_import.c $(IMPORT_TEST_OBJ) $(BUILD)/libbspgpu.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC    $<")
	$(Q)$(CC) $(CFLAGS) -Isrc/cli $(LDFLAGS) -o $@ $< $(IMPORT_TEST_OBJ) $(BUILD)/libbspgpu.a $(LDLIBS_HOST)

.PHONY: test-import
test-import: $(IMPORT_TEST)
	@$(IMPORT_TEST)

TEST_TARGETS += test-import

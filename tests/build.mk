# GPU-free tests: unit tests in C, CLI and golden tests in shell.
TEST_BINS = $(BUILD)/tests/test_model $(BUILD)/tests/test_io $(BUILD)/tests/test_timeline
ALL_TARGETS += $(TEST_BINS)

$(BUILD)/tests/%: tests/%.c tests/check.h $(BUILD)/libbspgpu.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC    $<")
	$(Q)$(CC) $(CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(BUILD)/libbspgpu.a $(LDLIBS_HOST)

.PHONY: test-unit test-cli test-golden golden-update
test-unit: $(TEST_BINS)
	@for t in $(TEST_BINS); do $$t || exit 1; done

test-cli: $(BUILD)/bspgpu
	@BSPGPU=$(BUILD)/bspgpu sh tests/cli_test.sh

test-golden: $(BUILD)/bspgpu
	@BSPGPU=$(BUILD)/bspgpu sh tests/golden_test.sh

golden-update: $(BUILD)/bspgpu
	@BSPGPU=$(BUILD)/bspgpu sh tests/golden_test.sh --update

# scripts/results.py's analysis helpers on hand-worked rows
.PHONY: test-results
test-results:
	@python3 tests/test_results.py

TEST_TARGETS += test-unit test-cli test-golden test-results
-include tests/import.mk

# Benchmark (not a test): bench/run.sh
$(BUILD)/bench/gen_profile: bench/gen_profile.c $(BUILD)/libbspgpu.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libbspgpu.a $(LDLIBS_HOST)
ALL_TARGETS += $(BUILD)/bench/gen_profile
bench: $(BUILD)/bench/gen_profile $(BUILD)/bspgpu
	@sh bench/run.sh

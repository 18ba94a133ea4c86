# Memory: lib/frame_bitmap and lib/kheap (pure, host-tested).

$(BUILD)/tests/unit/frame_bitmap/test_frame_bitmap: tests/unit/frame_bitmap/test_frame_bitmap.c \
		lib/frame_bitmap/frame_bitmap.c lib/frame_bitmap/frame_bitmap.h | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $< lib/frame_bitmap/frame_bitmap.c $(HOST_LDFLAGS) $(CMOCKA_LIBS)

TEST_SUITES += frame-bitmap
test-frame-bitmap: $(BUILD)/tests/unit/frame_bitmap/test_frame_bitmap
	@$(RUN_SUITE) frame-bitmap $<

KHEAP_TEST_SRCS := tests/unit/kheap/test_kheap.c tests/unit/kheap/test_kheap_realloc.c

$(BUILD)/tests/unit/kheap/test_kheap: $(KHEAP_TEST_SRCS) lib/kheap/kheap.c lib/kheap/kheap.h \
		| $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(HOST_CFLAGS) -o $@ $(KHEAP_TEST_SRCS) lib/kheap/kheap.c $(HOST_LDFLAGS) \
		$(CMOCKA_LIBS)

TEST_SUITES += kheap
test-kheap: $(BUILD)/tests/unit/kheap/test_kheap
	@$(RUN_SUITE) kheap $<

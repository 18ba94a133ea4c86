# Userspace: libcapos (user/rt) and the programs, as static ELF images at
# 0x400000 (build/user/NAME.elf), embedded into manifests by `capnp eval`.

USER_CFLAGS := $(FREESTANDING_CFLAGS) -O2 -fno-pie -fno-asynchronous-unwind-tables
USER_LDFLAGS := -s -static -nostdlib -no-pie -Wl,-Ttext-segment=0x400000 -Wl,--build-id=none \
                -Wl,-z,noexecstack
USER_RT_SRCS := user/rt/crt0.S user/rt/rt.c user/rt/console.c user/rt/heap.c user/rt/release.c \
                user/rt/exception.c user/rt/timer.c user/rt/process.c user/rt/endpoint.c \
                user/rt/memory.c user/rt/thread.c \
                lib/kheap/kheap.c \
                lib/capset/capset.c lib/ring/ring.c \
                lib/fmt/fmt.c lib/libc/string.c $(LIB_CAPNP_SRCS)
USER_RT_OBJS := $(patsubst %,$(BUILD)/uobj/%.o,$(USER_RT_SRCS))

# Programs: NAME -> its sources.
USER_PROGS := hello fault-null fault-gp fault-ud ring-nop ring-corruption rt-check timer init \
              ring-fairness timer-smoke timer-flood hostile-spawn huge bootpkg-check \
              ipc-server ipc-client endpoint-roundtrip ipc-hostile memory-check \
              memoryobject-shared ipc-zerocopy thread-check capos-shell echo \
              stranger ring-fuzz bench bench-child bench-load pt-churn regress-sched \
              regress-spawn regress-ipc term-handover
USER_SRCS_hello := user/demos/hello/hello.c
USER_SRCS_fault-null := user/demos/fault/null.c
USER_SRCS_fault-gp := user/demos/fault/gp.c
USER_SRCS_fault-ud := user/demos/fault/ud.c
USER_SRCS_ring-nop := user/demos/ring/nop.c
USER_SRCS_ring-corruption := user/demos/ring/corruption.c
USER_SRCS_rt-check := user/demos/ring/rt-check.c
USER_SRCS_timer := user/demos/timer/timer.c
USER_SRCS_init := user/init/init.c lib/manifest/manifest.c lib/manifest/services.c
USER_SRCS_ring-fairness := user/demos/spawn/fairness.c
USER_SRCS_timer-smoke := user/demos/spawn/timer_smoke.c
USER_SRCS_timer-flood := user/demos/spawn/timer_flood.c
USER_SRCS_hostile-spawn := user/demos/spawn/hostile.c
USER_SRCS_huge := user/demos/spawn/huge.c
USER_SRCS_bootpkg-check := user/demos/boot/bootpkg.c lib/manifest/manifest.c
USER_SRCS_ipc-server := user/demos/ipc/server.c user/demos/ipc/echo.c
USER_SRCS_ipc-client := user/demos/ipc/client.c user/demos/ipc/echo.c
USER_SRCS_endpoint-roundtrip := user/demos/ipc/roundtrip.c user/demos/ipc/echo.c
USER_SRCS_ipc-hostile := user/demos/ipc/hostile.c user/demos/ipc/echo.c
USER_SRCS_memory-check := user/demos/memory/vm_check.c
USER_SRCS_memoryobject-shared := user/demos/memory/share.c
USER_SRCS_ipc-zerocopy := user/demos/memory/zerocopy.c user/demos/ipc/echo.c
USER_SRCS_thread-check := user/demos/threads/threads.c
USER_SRCS_capos-shell := user/shell/shell.c lib/shell/parse.c
USER_SRCS_echo := user/demos/shell/echo.c
USER_SRCS_stranger := user/demos/shell/stranger.c
USER_SRCS_ring-fuzz := user/demos/fuzz/ring_fuzz.c
USER_SRCS_bench := user/bench/bench.c
USER_SRCS_bench-child := user/bench/child.c
USER_SRCS_bench-load := user/bench/load.c
USER_SRCS_pt-churn := user/demos/memory/pt_churn.c
USER_SRCS_regress-sched := user/demos/regress/sched.c user/demos/ipc/echo.c
USER_SRCS_regress-spawn := user/demos/regress/spawn.c user/demos/ipc/echo.c
USER_SRCS_regress-ipc := user/demos/regress/ipc.c user/demos/ipc/echo.c
USER_SRCS_term-handover := user/demos/shell/handover.c
USER_ELFS := $(USER_PROGS:%=$(BUILD)/user/%.elf)

$(BUILD)/uobj/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/uobj/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(HOSTCC) $(USER_CFLAGS) -c $< -o $@

-include $(USER_RT_OBJS:.o=.d)

$(BUILD)/user/%.elf: mk/user.mk $(USER_RT_OBJS) $$(addprefix $(BUILD)/uobj/,$$(addsuffix .o,$$(USER_SRCS_$$*)))
	@mkdir -p $(@D)
	$(HOSTCC) $(USER_LDFLAGS) -o $@ $(filter %.o,$^)

user: $(USER_ELFS)
ALL_TARGETS += $(USER_ELFS)
HELP += "user|build libcapos and every user program under build/user/"
.PHONY: user

# The runtime surface: program objects (everything outside user/rt and lib/)
# may not define _start, issue syscall or define an allocator.
USER_PROG_OBJS := $(addprefix $(BUILD)/uobj/,$(addsuffix .o,$(sort $(foreach p,$(USER_PROGS),$(USER_SRCS_$(p))))))

TEST_SUITES += user-surface user-surface-selftest
test-user-surface: $(USER_ELFS)
	@$(RUN_SUITE) user-surface tools/check-user-surface $(USER_PROG_OBJS)

test-user-surface-selftest: | $(DEPS_STAMP)
	@$(RUN_SUITE) user-surface-selftest tests/tools/test-user-surface.sh

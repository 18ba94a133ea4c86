# Userspace: libcapos (user/rt) and the programs, as static ELF images at
# 0x400000 (build/user/NAME.elf), embedded into manifests by `capnp eval`.

USER_CFLAGS := $(FREESTANDING_CFLAGS) -O2 -fno-pie -fno-asynchronous-unwind-tables
USER_LDFLAGS := -s -static -nostdlib -no-pie -Wl,-Ttext-segment=0x400000 -Wl,--build-id=none \
                -Wl,-z,noexecstack
USER_RT_SRCS := user/rt/crt0.S user/rt/rt.c user/rt/console.c lib/capset/capset.c \
                lib/fmt/fmt.c lib/libc/string.c $(LIB_CAPNP_SRCS)
USER_RT_OBJS := $(patsubst %,$(BUILD)/uobj/%.o,$(USER_RT_SRCS))

# Programs: NAME -> its sources.
USER_PROGS := hello fault-null fault-gp fault-ud ring-nop ring-corruption
USER_SRCS_hello := user/demos/hello/hello.c
USER_SRCS_fault-null := user/demos/fault/null.c
USER_SRCS_fault-gp := user/demos/fault/gp.c
USER_SRCS_fault-ud := user/demos/fault/ud.c
USER_SRCS_ring-nop := user/demos/ring/nop.c
USER_SRCS_ring-corruption := user/demos/ring/corruption.c
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

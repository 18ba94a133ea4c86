/*
 * Object references and the kernel cap sources. A hold in a cap table owns
 * one reference to its object; the last reference of an allocated object
 * destroys it. kernel_source() is the one table of what each
 * KernelCapSource means in this kernel: which object, how its holds may be
 * transferred, and whether ProcessSpawner may mint it for a child.
 */
#include "kernel/cap/object.h"

#include "gen/capos.capnp.h"
#include "kernel/cap/endpoint.h"
#include "kernel/cap/terminal.h"
#include "kernel/klog.h"
#include "lib/cap/ledger.h"

void kobj_discard(struct kobj *o)
{
	if (o->refs == 0 && o->ops->destroy != NULL)
		o->ops->destroy(o);
}

void kobj_put(struct kobj *o)
{
	if (o->ops->destroy == NULL)
		return; /* a singleton lives for the whole boot */
	if (o->refs == 0)
		kernel_halt_failure("kobj: reference underflow on a %s", o->ops->label);
	if (--o->refs == 0)
		o->ops->destroy(o);
}

uint32_t kobj_commit(struct cap_table *t, struct cap_reservation r, const struct cap_hold *h)
{
	kobj_get(h->object);
	return captable_commit(t, r, h);
}

void kobj_drop_hold(void *ctx, const struct cap_hold *h)
{
	hold_uncharge(ctx, h);
	kobj_put(h->object);
}

int hold_charge(struct ledger *l, const struct cap_hold *h)
{
	uint64_t w = ((struct kobj *)h->object)->weight;
	return w == 0 ? 0 : ledger_reserve(l, LEDGER_FRAME_GRANT_PAGES, w);
}

void hold_uncharge(struct ledger *l, const struct cap_hold *h)
{
	uint64_t w = ((struct kobj *)h->object)->weight;
	if (w != 0 && ledger_release(l, LEDGER_FRAME_GRANT_PAGES, w) != LEDGER_OK)
		kernel_halt_failure("kobj: frame-grant charge underflow on a %s",
				    ((struct kobj *)h->object)->ops->label);
}

bool kernel_source(uint16_t source, struct kernel_source *out)
{
	switch (source) {
	case CAPOS_KERNEL_CAP_SOURCE_CONSOLE:
		*out = (struct kernel_source){ &console_obj, NULL, CAP_MODE_COPY, true };
		return true;
	case CAPOS_KERNEL_CAP_SOURCE_TIMER:
		*out = (struct kernel_source){ &timer_obj, NULL, CAP_MODE_COPY, true };
		return true;
	case CAPOS_KERNEL_CAP_SOURCE_NULL_CAP:
		*out = (struct kernel_source){ &null_obj, NULL, CAP_MODE_COPY, true };
		return true;
	/* init's bootstrap authority: the manifest gives it to init only, and
	 * a spawner never mints it. BootPackage never leaves init's table;
	 * ProcessSpawner may be copied to a trusted launcher. */
	case CAPOS_KERNEL_CAP_SOURCE_BOOT_PACKAGE:
		*out = (struct kernel_source){ &boot_package_obj, NULL, CAP_MODE_LOCAL, false };
		return true;
	case CAPOS_KERNEL_CAP_SOURCE_PROCESS_SPAWNER:
		*out = (struct kernel_source){ &process_spawner_obj, NULL, CAP_MODE_COPY, false };
		return true;
	/* A fresh endpoint owned by the new process; whoever minted it for a
	 * child gets a client facet back (ProcessSpawner's result caps). */
	case CAPOS_KERNEL_CAP_SOURCE_ENDPOINT:
		*out = (struct kernel_source){ NULL, endpoint_new, CAP_MODE_COPY, true };
		return true;
	/* Memory authority, charged to the holder's own ledger: FrameAllocator
	 * may be passed on; VirtualMemory always acts on its holder's address
	 * space and never leaves it. */
	case CAPOS_KERNEL_CAP_SOURCE_FRAME_ALLOCATOR:
		*out = (struct kernel_source){ &frame_allocator_obj, NULL, CAP_MODE_COPY, true };
		return true;
	case CAPOS_KERNEL_CAP_SOURCE_VIRTUAL_MEMORY:
		*out = (struct kernel_source){ &virtual_memory_obj, NULL, CAP_MODE_LOCAL, true };
		return true;
	/* Threads: each acts on its holder's own process and never leaves it. */
	case CAPOS_KERNEL_CAP_SOURCE_THREAD_SPAWNER:
		*out = (struct kernel_source){ &thread_spawner_obj, NULL, CAP_MODE_LOCAL, true };
		return true;
	case CAPOS_KERNEL_CAP_SOURCE_THREAD_CONTROL:
		*out = (struct kernel_source){ &thread_control_obj, NULL, CAP_MODE_LOCAL, true };
		return true;
	case CAPOS_KERNEL_CAP_SOURCE_RESTRICTED_SHELL_LAUNCHER:
		*out = (struct kernel_source){ &shell_launcher_obj, NULL, CAP_MODE_COPY, true };
		return true;
	case CAPOS_KERNEL_CAP_SOURCE_TERMINAL:
		*out = (struct kernel_source){ NULL, terminal_mint, CAP_MODE_MOVE, true };
		return true;
	case CAPOS_KERNEL_CAP_SOURCE_PARK_SPACE:
		*out = (struct kernel_source){ &park_space_obj, NULL, CAP_MODE_LOCAL, true };
		return true;
	default:
		return false;
	}
}

/*
 * A fake process for ring_sqe_decode on the host: a cap table with one
 * plain object, one endpoint facet and the ParkSpace, plus a stale CapId;
 * user memory of two pages at FAKE_MEM_BASE (the first writable, the
 * second read-only), 64 KiB of writable zero pages at FAKE_BIG_BASE (room
 * for a buffer over every size limit), and the CapSet (read-only) and ring
 * (writable) pages mapped where a process has them. Shared by the decode suite and the
 * sqe_decode fuzz target.
 */
#pragma once

#include <stdlib.h>
#include <string.h>

#include "include/capos/abi.h"
#include "lib/ring/decode.h"

#define FAKE_MEM_BASE 0x10000ull
#define FAKE_MEM_SIZE 0x2000ull
#define FAKE_MEM_RW   0x1000ull /* bytes of it that are writable */
#define FAKE_BIG_BASE 0x100000ull
#define FAKE_BIG_SIZE 0x10000ull

/* [addr, addr + len) lies within [base, base + size). */
static bool fake_within(uint64_t addr, uint64_t len, uint64_t base, uint64_t size)
{
	return addr >= base && addr - base <= size && len <= size - (addr - base);
}

struct fake {
	struct ledger ledger;
	struct cap_table caps;
	uint8_t mem[FAKE_MEM_SIZE];
	uint32_t plain, endpoint, park, stale;
	struct ring_env env;
};

static char fake_obj_plain, fake_obj_endpoint, fake_obj_park;

static bool fake_mapped(void *ctx, uint64_t addr, uint64_t len, bool write)
{
	(void)ctx;
	uint64_t lo = CAPOS_CAPSET_VADDR, ring = CAPOS_RING_VADDR, hi = ring + CAPOS_PAGE_SIZE;
	if (addr >= lo && len <= hi - addr && addr < hi)
		return !write || addr >= ring;
	if (fake_within(addr, len, FAKE_BIG_BASE, FAKE_BIG_SIZE))
		return true;
	if (!fake_within(addr, len, FAKE_MEM_BASE, FAKE_MEM_SIZE))
		return false;
	return !write || addr - FAKE_MEM_BASE + len <= FAKE_MEM_RW;
}

static void fake_copy_in(void *ctx, void *dst, uint64_t addr, uint64_t len)
{
	struct fake *f = ctx;
	if (fake_within(addr, len, FAKE_BIG_BASE, FAKE_BIG_SIZE))
		memset(dst, 0, len);
	else if (fake_within(addr, len, FAKE_MEM_BASE, FAKE_MEM_SIZE))
		memcpy(dst, f->mem + (addr - FAKE_MEM_BASE), len);
	else
		abort(); /* decode copied from memory it did not check */
}

static enum ring_obj_kind fake_kind(void *ctx, const void *object)
{
	(void)ctx;
	if (object == &fake_obj_endpoint)
		return RING_OBJ_ENDPOINT;
	if (object == &fake_obj_park)
		return RING_OBJ_PARK;
	return RING_OBJ_OTHER;
}

static uint32_t fake_insert(struct fake *f, void *object, uint64_t interface_id)
{
	struct cap_hold h = { .object = object, .interface_id = interface_id };
	uint32_t id = 0;
	if (captable_insert(&f->caps, &h, &id) != CAPTABLE_OK)
		abort();
	return id;
}

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	ledger_init_default(&f->ledger, 0);
	captable_init(&f->caps, &f->ledger);
	fake_insert(f, &fake_obj_plain, 1); /* slot 0: no CapId here is 0 */
	f->stale = fake_insert(f, &fake_obj_plain, 1);
	captable_remove(&f->caps, f->stale, NULL);
	f->plain = fake_insert(f, &fake_obj_plain, 1); /* the stale id's slot, reused */
	f->endpoint = fake_insert(f, &fake_obj_endpoint, 2);
	f->park = fake_insert(f, &fake_obj_park, 3);
	f->env = (struct ring_env){ &f->caps, fake_mapped, fake_copy_in, fake_kind, f };
}

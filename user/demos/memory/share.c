/*
 * memoryobject-shared: a parent allocates a MemoryObject, maps it, writes,
 * and spawns a child with a copy of the cap; the child maps the same
 * frames, finds the parent's bytes and writes its own; the parent sees
 * them through its mapping. Both unmap; the frames go back when the last
 * cap and mapping are gone (the kernel's exit checks prove it).
 *
 * The child is this binary again, told by its cap "shared".
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

#define PAGE 4096ull
#define RW   (CAPOS_PROT_READ | CAPOS_PROT_WRITE)

static int child(struct capos_rt *rt, uint32_t mo)
{
	struct capos_status st;
	uint64_t a;
	if (capos_mo_map(rt, mo, 0, 0, 2 * PAGE, RW, &a, &st) != 0)
		return 2;
	int ok = strcmp((const char *)a, "written by the parent") == 0;
	memcpy((char *)a + PAGE, "written by the child", sizeof("written by the child"));
	if (capos_mo_unmap(rt, mo, a, 2 * PAGE, &st) != 0)
		return 3;
	return ok ? 0 : 1;
}

int main(struct capos_rt *rt)
{
	struct capos_status st;
	uint32_t mo, fa, spawner, handle;
	uint64_t a;
	int64_t code = -1;

	if (capos_lookup(rt, "shared", CAPOS_MEMORY_OBJECT_INTERFACE_ID, &mo) == 0)
		return child(rt, mo);
	if (capos_lookup(rt, "frames", CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, &fa) != 0 ||
	    capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0)
		capos_panic("memoryobject-shared: needs \"frames\" and \"spawner\"");
	if (capos_frame_alloc(rt, fa, 2, &mo, &st) != 0 ||
	    capos_mo_map(rt, mo, 0, 0, 2 * PAGE, RW, &a, &st) != 0) {
		capos_printf(rt, "memoryobject-shared: FAIL allocate and map: %s",
			     capos_status_str(&st));
		return 1;
	}
	memcpy((char *)a, "written by the parent", sizeof("written by the parent"));
	struct capos_grant g = { "shared", CAPOS_MEMORY_OBJECT_INTERFACE_ID, CAPOS_GRANT_COPY, mo,
				 0 };
	bool ok = capos_spawn(rt, spawner, "mo-child", "memoryobject-shared", &g, 1, &handle,
			      &st) == 0 &&
		  capos_process_wait(rt, handle, &code, &st) == 0 && code == 0 &&
		  strcmp((const char *)a + PAGE, "written by the child") == 0;
	ok = capos_mo_unmap(rt, mo, a, 2 * PAGE, &st) == 0 && ok;
	capos_release(rt, handle);
	capos_release(rt, mo);
	capos_release_flush(rt);
	capos_printf(rt,
		     "memoryobject-shared: the child (exit %ld) read the parent's bytes and "
		     "its write showed through the same frames%s",
		     code, ok ? "" : ": FAIL");
	return ok ? 0 : 1;
}

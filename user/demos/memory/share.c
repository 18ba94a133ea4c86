/*
 * memoryobject-shared: a parent allocates a MemoryObject, maps it, writes,
 * and spawns a child with a copy of the cap; the child maps the same
 * frames, finds the parent's bytes and writes its own; the parent sees
 * them through its mapping. Both unmap; the frames go back when the last
 * cap and mapping are gone (the kernel's exit checks prove it).
 *
 * W^X across processes: while the parent's view is writable the child
 * cannot map the object executable, and while the parent's view is
 * executable a second child cannot map it writable. Each child leaves one
 * view mapped at exit, so the parent's next map proves that the exit
 * teardown took it out of the object's counts.
 *
 * The child is this binary again, told by its cap: "shared" (the parent
 * holds a writable view) or "shared-rx" (the parent holds an executable
 * one). It reports through its exit code.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

#define PAGE 4096ull
#define RW   (CAPOS_PROT_READ | CAPOS_PROT_WRITE)
#define RX   (CAPOS_PROT_READ | CAPOS_PROT_EXEC)

static int checks, failures;

static void check(struct capos_rt *rt, bool ok, const char *what)
{
	checks++;
	if (!ok) {
		failures++;
		capos_printf(rt, "memoryobject-shared: FAIL %s", what);
	}
}

static bool wx_refused(int32_t r, const struct capos_status *st)
{
	return r == CAP_ERR_APPLICATION_EXCEPTION &&
	       st->exc.type == CAPOS_CAP_EXCEPTION_TYPE_FAILED &&
	       strncmp(st->exc.message, "W^X:", 4) == 0;
}

/* The parent holds a writable view: no executable one here; a writable
 * one reads its bytes and writes ours; a second writable view is left
 * for exit to unmap. */
static int child_rw(struct capos_rt *rt, uint32_t mo)
{
	struct capos_status st;
	uint64_t a, kept;
	if (!wx_refused(capos_mo_map(rt, mo, 0, 0, PAGE, RX, &a, &st), &st))
		return 4;
	if (capos_mo_map(rt, mo, 0, 0, 2 * PAGE, RW, &a, &st) != 0)
		return 2;
	int ok = strcmp((const char *)a, "written by the parent") == 0;
	memcpy((char *)a + PAGE, "written by the child", sizeof("written by the child"));
	if (capos_mo_unmap(rt, mo, a, 2 * PAGE, &st) != 0)
		return 3;
	if (capos_mo_map(rt, mo, 0, 0, PAGE, RW, &kept, &st) != 0)
		return 5;
	return ok ? 0 : 1;
}

/* The parent holds an executable view: no writable one here; an
 * executable one is fine, and left for exit to unmap. */
static int child_rx(struct capos_rt *rt, uint32_t mo)
{
	struct capos_status st;
	uint64_t a;
	if (!wx_refused(capos_mo_map(rt, mo, 0, 0, PAGE, RW, &a, &st), &st))
		return 4;
	if (capos_mo_map(rt, mo, 0, 0, 2 * PAGE, RX, &a, &st) != 0)
		return 2;
	return strcmp((const char *)a, "written by the parent") == 0 ? 0 : 1;
}

static int64_t run_child(struct capos_rt *rt, uint32_t spawner, const char *cap, uint32_t mo)
{
	struct capos_status st;
	struct capos_grant g = { cap, CAPOS_MEMORY_OBJECT_INTERFACE_ID, CAPOS_GRANT_COPY, mo, 0 };
	uint32_t handle;
	int64_t code = -1;
	if (capos_spawn(rt, spawner, "mo-child", "memoryobject-shared", &g, 1, &handle, &st) != 0)
		return -1;
	if (capos_process_wait(rt, handle, &code, &st) != 0)
		code = -1;
	capos_release(rt, handle);
	return code;
}

int main(struct capos_rt *rt)
{
	struct capos_status st;
	uint32_t mo, fa, spawner;
	uint64_t a, x;

	if (capos_lookup(rt, "shared", CAPOS_MEMORY_OBJECT_INTERFACE_ID, &mo) == 0)
		return child_rw(rt, mo);
	if (capos_lookup(rt, "shared-rx", CAPOS_MEMORY_OBJECT_INTERFACE_ID, &mo) == 0)
		return child_rx(rt, mo);
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
	int64_t code = run_child(rt, spawner, "shared", mo);
	bool ok = code == 0 && strcmp((const char *)a + PAGE, "written by the child") == 0;
	ok = capos_mo_unmap(rt, mo, a, 2 * PAGE, &st) == 0 && ok;
	capos_printf(rt,
		     "memoryobject-shared: the child (exit %ld) read the parent's bytes and "
		     "its write showed through the same frames%s",
		     code, ok ? "" : ": FAIL");

	/* W^X across processes; the first child's exit code 4 meant its RX
	 * map was not refused. */
	check(rt, code != 4, "a child maps RX while the parent's view is RW");
	check(rt, capos_mo_map(rt, mo, 0, 0, 2 * PAGE, RX, &x, &st) == 0,
	      "map RX once the child's RW view left with its exit");
	int64_t code2 = run_child(rt, spawner, "shared-rx", mo);
	check(rt, code2 != 4, "a child maps RW while the parent's view is RX");
	check(rt, code2 == 0, "a child's RX view beside the parent's");
	check(rt, capos_mo_unmap(rt, mo, x, 2 * PAGE, &st) == 0, "unmap the RX view");
	check(rt,
	      capos_mo_map(rt, mo, 0, 0, PAGE, RW, &a, &st) == 0 &&
		      capos_mo_unmap(rt, mo, a, PAGE, &st) == 0,
	      "map RW once the second child's RX view left with its exit");
	capos_printf(rt, "memoryobject-shared: W^X across processes: %d of %d checks passed",
		     checks - failures, checks);
	capos_release(rt, mo);
	capos_release_flush(rt);
	return ok && failures == 0 ? 0 : 1;
}

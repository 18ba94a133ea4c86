/*
 * rt-check: the runtime's own pieces end to end — the heap (allocation,
 * reuse, large blocks, realloc, calloc, aligned allocation), thread-local
 * storage from PT_TLS, completions waited for out of order, a decoded
 * CapException from an unknown method, and the release queue (queued,
 * flushed at the next ring boundary, the cap then gone).
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

static struct capos_rt *rt;
static int failures;

static void expect(int ok, const char *what)
{
	if (!ok) {
		failures++;
		capos_printf(rt, "rt-check: FAIL %s", what);
	}
}

static void heap(void)
{
	char *a = capos_alloc(100), *b = capos_alloc(5000);
	expect(a != NULL && b != NULL, "allocations");
	memset(a, 'a', 100);
	memset(b, 'b', 5000);
	expect(a[99] == 'a' && b[4999] == 'b', "allocated memory holds data");
	capos_free(a);
	char *c = capos_alloc(100);
	expect(c == a, "a freed block is reused");
	capos_free(c);
	capos_free(b);

	char *r = capos_realloc(NULL, 10);
	expect(r != NULL, "realloc of NULL allocates");
	if (r == NULL)
		return;
	memset(r, 'r', 10);
	r = capos_realloc(r, 6000); /* from a slab into a page run */
	expect(r != NULL && r[9] == 'r', "realloc keeps the contents");
	expect(capos_realloc(r, 0) == NULL, "realloc to 0 frees");
	unsigned char *z = capos_calloc(100, 10);
	int zero = z != NULL;
	for (int i = 0; zero && i < 1000; i++)
		zero = z[i] == 0;
	expect(zero, "calloc zeroes");
	expect(capos_calloc(SIZE_MAX / 2 + 1, 2) == NULL, "calloc refuses an overflowing size");
	capos_free(z);
	char *al = capos_aligned_alloc(256, 100);
	expect(al != NULL && (uintptr_t)al % 256 == 0, "aligned_alloc aligns");
	al = capos_realloc(al, 3000);
	expect(al != NULL && (uintptr_t)al % 256 == 0, "realloc keeps the alignment");
	capos_free(al);
}

static void exception(uint32_t console)
{
	uint64_t params[8], result[32];
	struct capnp_builder bld;
	struct capos_Console_writeLine_Params_b p;
	struct capos_error err;

	capnp_builder_init(&bld, params, sizeof(params));
	capos_Console_writeLine_request(&bld, &p);
	uint32_t len = (uint32_t)capnp_builder_finish(&bld);
	int32_t r = capos_call(rt, console, 77, params, len, result, sizeof(result));
	expect(r == CAP_ERR_APPLICATION_EXCEPTION, "an unknown method raises an exception");
	expect(capos_exception(result, sizeof(result), &err) == 0 &&
		       err.type == CAPOS_CAP_EXCEPTION_TYPE_UNIMPLEMENTED &&
		       strcmp(err.message, "unimplemented method") == 0,
	       "the exception decodes as unimplemented");
}

static __thread int tls_counter = 42;

static void tls(void)
{
	expect(tls_counter == 42, "a TLS variable starts with its initializer");
	tls_counter++;
	expect(tls_counter == 43, "TLS is writable");
}

/* Two calls in flight, waited for in the opposite order. */
static void out_of_order(uint32_t console)
{
	struct cap_sqe a = { .opcode = CAP_OP_NOP }, b = { .opcode = CAP_OP_NOP };
	(void)console;
	uint64_t ua = capos_submit(rt, &a), ub = capos_submit(rt, &b);
	expect(capos_wait(rt, ub) == 0 && capos_wait(rt, ua) == 0,
	       "completions are matched by user_data in any order");
}

int main(struct capos_rt *r)
{
	uint32_t console, probe;
	rt = r;
	if (capos_lookup(rt, "console", CAPOS_CONSOLE_INTERFACE_ID, &console) != 0 ||
	    capos_lookup(rt, "probe", CAPOS_CONSOLE_INTERFACE_ID, &probe) != 0)
		return 2;
	heap();
	tls();
	out_of_order(console);
	exception(console);
	capos_release(rt, probe);
	expect(capos_release_pending() == 1, "the release is queued");
	struct cap_sqe nop = { .opcode = CAP_OP_NOP };
	expect(capos_submit_wait(rt, &nop) == 0 && capos_release_pending() == 0,
	       "the queue flushes at the next ring boundary");
	uint64_t params[4] = { 0 }, result[8];
	expect(capos_call(rt, probe, 1, params, 0, result, sizeof(result)) == CAP_ERR_INVALID_CAP,
	       "the released cap is gone");
	capos_printf(rt, "rt-check: %s",
		     failures ? "failed" : "heap, exceptions and release queue ok");
	return failures;
}

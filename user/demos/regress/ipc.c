/*
 * regress-ipc: Bug 3 of docs/panic-inventory.md, a queued endpoint CALL
 * that outlives its calling thread, driven down both reproduction paths.
 *
 *   own endpoint: a worker thread CALLs this process's Endpoint while no
 *   RECV is pending and exits its thread; the main thread joins it, RECVs
 *   the call, RETURNs, and the completion reaches the process.
 *   client process: a child whose worker thread CALLs our endpoint
 *   through a client facet and exits before we RECV; the child tells us
 *   so over a second endpoint, we serve the orphaned call, and the child
 *   gets its completion and exits 0.
 *
 * Before d5f5ec9 the RECV dereferenced the dead thread (#PF in
 * endpoint_recv). The worker's CALL is thread-owned, so no sibling can
 * dispatch it on the worker's behalf: the caller is always the worker.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "user/demos/ipc/echo.h"
#include "user/demos/check.h"

#define GONE_TEXT "from a thread that is gone"

static struct capos_rt *rt;
static struct checks checks = { .name = "regress-ipc" };

static void check(bool ok, const char *what, const struct capos_status *st)
{
	check_that(&checks, ok, what, st);
}

/* The worker's call: its buffers outlive the thread, its user_data is
 * read by the main thread after the join. */
static uint64_t call_params[32], call_result[32];
static volatile uint64_t call_ud;

/* Worker: queue one Echo call on cap, dispatch it, and end the thread. */
static int call_and_exit(void *arg)
{
	uint32_t len = echo_params(call_params, sizeof(call_params), GONE_TEXT);
	struct cap_sqe sqe = { .opcode = CAP_OP_CALL,
			       .flags = CAP_SQE_THREAD_OWNED,
			       .call_id = capos_thread_self(),
			       .cap_id = (uint32_t)(uintptr_t)arg,
			       .method_id = CAPOS_ECHO_ECHO,
			       .addr = (uint64_t)call_params,
			       .len = len,
			       .result_addr = (uint64_t)call_result,
			       .result_len = sizeof(call_result) };
	call_ud = capos_submit(rt, &sqe);
	capos_cap_enter(0, 0); /* only this thread may dispatch it */
	return 5;
}

/* Start the worker on cap and join it: its call is queued, it is gone. */
static bool orphan_a_call(uint32_t cap, struct capos_status *st)
{
	struct capos_thread t;
	int64_t code = -1;
	return capos_thread_create(rt, call_and_exit, (void *)(uintptr_t)cap, &t, st) == 0 &&
	       capos_thread_join(rt, &t, &code, st) == 0 && code == 5;
}

/* The orphaned call's completion, decoded. */
static bool orphan_completed(void)
{
	char text[40];
	uint32_t served;
	int32_t r = capos_wait(rt, call_ud);
	return echo_results(call_result, r, text, sizeof(text), &served) == 0 &&
	       strcmp(text, GONE_TEXT) == 0;
}

/* Child: orphan a call on "echo", say so on "sync", then collect it. */
static int child(uint32_t echo, uint32_t sync)
{
	struct capos_status st;
	char text[32];
	uint32_t served;
	if (!orphan_a_call(echo, &st))
		return 1;
	if (echo_call(rt, sync, "worker gone", text, sizeof(text), &served, &st) != 0)
		return 2;
	return orphan_completed() ? 0 : 3;
}

static void own_endpoint(uint32_t ep)
{
	struct capos_status st;
	struct echo_server s = { 0 };
	struct capos_request req;

	check(orphan_a_call(ep, &st), "a worker queues a CALL on our endpoint and exits", &st);
	check(capos_serve_one(rt, ep, echo_dispatch, &s, &req) == 0 && s.served == 1,
	      "RECV and RETURN of the call whose thread is gone", NULL);
	check(orphan_completed(), "the process gets the orphaned call's completion", NULL);
}

static void client_process(uint32_t spawner, uint32_t ep, uint32_t sync)
{
	struct capos_status st;
	struct echo_server s = { 0 }, sy = { 0 };
	struct capos_request req;
	uint32_t handle;
	int64_t code = -1;
	struct capos_grant g[5] = {
		{ "console", CAPOS_CONSOLE_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_CONSOLE },
		{ "threads", CAPOS_THREAD_SPAWNER_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_THREAD_SPAWNER },
		{ "thread", CAPOS_THREAD_CONTROL_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
		  CAPOS_KERNEL_CAP_SOURCE_THREAD_CONTROL },
		{ "echo", CAPOS_ECHO_INTERFACE_ID, CAPOS_GRANT_CLIENT, ep, 0 },
		{ "sync", CAPOS_ECHO_INTERFACE_ID, CAPOS_GRANT_CLIENT, sync, 0 },
	};
	check(capos_spawn(rt, spawner, "orphan-caller", "regress-ipc", g, 5, &handle, &st) == 0,
	      "spawn a client with facets of both endpoints", &st);
	check(capos_serve_one(rt, sync, echo_dispatch, &sy, &req) == 0 && sy.served == 1,
	      "the client says its worker is gone", NULL);
	check(capos_serve_one(rt, ep, echo_dispatch, &s, &req) == 0 && s.served == 1,
	      "RECV and RETURN of the client's orphaned call", NULL);
	check(capos_process_wait(rt, handle, &code, &st) == 0 && code == 0,
	      "the client got its completion and exited 0", &st);
	capos_release(rt, handle);
	capos_release_flush(rt);
}

int main(struct capos_rt *r)
{
	uint32_t spawner, ep, sync;
	rt = r;
	checks.rt = r;
	if (capos_lookup(rt, "sync", CAPOS_ECHO_INTERFACE_ID, &sync) == 0 &&
	    capos_lookup(rt, "echo", CAPOS_ECHO_INTERFACE_ID, &ep) == 0)
		return child(ep, sync);
	if (capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0 ||
	    capos_lookup(rt, "ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep) != 0 ||
	    capos_lookup(rt, "sync", CAPOS_ENDPOINT_INTERFACE_ID, &sync) != 0)
		capos_panic("regress-ipc: needs \"spawner\", \"ep\" and \"sync\"");
	own_endpoint(ep);
	client_process(spawner, ep, sync);
	return checks_report(&checks);
}

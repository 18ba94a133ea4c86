/*
 * regress-spawn: the two ProcessSpawner halts of docs/panic-inventory.md,
 * driven down their reproduction paths.
 *
 *   Bug 2: a spawn that mints an Endpoint for one grant (and, second
 *   round, a fresh client facet for another) and fails on a later grant,
 *   because the child's frame-grant quota takes only four of five
 *   1024-page MemoryObject copies. It is refused with its own error; a
 *   spawn of four copies then works and its child serves the endpoint.
 *   Before d5f5ec9 the rollback freed the minted facet twice (kfree halt).
 *
 *   Bug 4: a spawn that grants a minted endpoint (facet back to us)
 *   succeeds, and a spawn with CAPSET_MAX_ENTRIES + 1 grants is refused;
 *   the child and the facet must still work and release cleanly. Before
 *   8019ba3 the refusal dropped the first spawn's references a second time
 *   (kobj reference underflow, or a use after free).
 *
 * The child is this binary again: given "serve" (an Endpoint) it answers
 * Echo calls until told to stop, and exits 0.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "user/demos/ipc/echo.h"
#include "user/demos/check.h"

#define CONSOLE_ID CAPOS_CONSOLE_INTERFACE_ID
#define MO_ID	   CAPOS_MEMORY_OBJECT_INTERFACE_ID
#define MO_PAGES   1024 /* five copies are over the child's 4096-page quota */

static struct capos_rt *rt;
static uint32_t spawner, ep;
static struct checks checks = { .name = "regress-spawn" };
static struct capos_grant many[CAPSET_MAX_ENTRIES + 1];
static char many_names[CAPSET_MAX_ENTRIES + 1][8];

static void check(bool ok, const char *what, const struct capos_status *st)
{
	check_that(&checks, ok, what, st);
}

static bool refused_with(int32_t r, const struct capos_status *st, int type, const char *msg)
{
	return r == CAP_ERR_APPLICATION_EXCEPTION && st->exc.type == type &&
	       strcmp(st->exc.message, msg) == 0;
}

/* Child: serve Echo on "serve" until stop. */
static int serve(uint32_t serve_ep)
{
	struct echo_server s = { 0 };
	struct capos_request req;
	while (!s.stopped)
		if (capos_serve_one(rt, serve_ep, echo_dispatch, &s, &req) < 0)
			return 1;
	return 0;
}

/* One echo through facet, expecting the server's count to be served. */
static bool echo_ok(uint32_t facet, uint32_t served_want, struct capos_status *st)
{
	char text[16];
	uint32_t served = 0;
	return echo_call(rt, facet, "ping", text, sizeof(text), &served, st) == 0 &&
	       strcmp(text, "ping") == 0 && served == served_want;
}

/* Stop the child behind facet, wait for it, and give both caps back. */
static void finish_child(uint32_t facet, uint32_t handle, const char *what)
{
	struct capos_status st;
	int64_t code = -1;
	check(echo_stop(rt, facet, &st) == 0, what, &st);
	check(capos_process_wait(rt, handle, &code, &st) == 0 && code == 0, what, &st);
	capos_release(rt, facet);
	capos_release(rt, handle);
	capos_release_flush(rt);
}

static const struct capos_grant console_grant = { "console", CONSOLE_ID, CAPOS_GRANT_KERNEL, 0,
						  CAPOS_KERNEL_CAP_SOURCE_CONSOLE };
static const struct capos_grant serve_grant = { "serve", CAPOS_ENDPOINT_INTERFACE_ID,
						CAPOS_GRANT_KERNEL, 0,
						CAPOS_KERNEL_CAP_SOURCE_ENDPOINT };

static void bug2_minted_then_refused(uint32_t frames)
{
	static const char *mo_names[5] = { "m1", "m2", "m3", "m4", "m5" };
	struct capos_grant g[7];
	struct capos_status st;
	uint32_t mo, handle, facets[7];

	check(capos_frame_alloc(rt, frames, MO_PAGES, &mo, &st) == 0, "a 1024-page MemoryObject",
	      &st);
	g[0] = console_grant;
	g[1] = serve_grant;
	for (int i = 0; i < 5; i++)
		g[2 + i] = (struct capos_grant){ mo_names[i], MO_ID, CAPOS_GRANT_COPY, mo, 0 };

	/* A minted Endpoint (owner facet to the child, client facet to us)
	 * committed first, then the fifth copy over the quota. */
	int32_t r = capos_spawn_ex(rt, spawner, "over-quota", "regress-spawn", g, 7, &handle,
				   facets, &st);
	check(refused_with(r, &st, CAPOS_CAP_EXCEPTION_TYPE_OVERLOADED,
			   "spawn: the child's cap quota cannot hold the grants"),
	      "Bug 2: a minted endpoint and 5 x 1024 pages refused for the child's quota", &st);

	/* The same with a fresh client facet of our own endpoint. */
	g[1] = (struct capos_grant){ "serve", CAPOS_ECHO_INTERFACE_ID, CAPOS_GRANT_CLIENT, ep, 0 };
	r = capos_spawn_ex(rt, spawner, "over-quota", "regress-spawn", g, 7, &handle, facets, &st);
	check(refused_with(r, &st, CAPOS_CAP_EXCEPTION_TYPE_OVERLOADED,
			   "spawn: the child's cap quota cannot hold the grants"),
	      "Bug 2: a fresh client facet and 5 x 1024 pages refused for the child's quota", &st);

	/* Four copies fit: the minted endpoint works end to end. */
	g[1] = serve_grant;
	check(capos_spawn_ex(rt, spawner, "quota-fits", "regress-spawn", g, 6, &handle, facets,
			     &st) == 0 &&
		      facets[1] != 0,
	      "Bug 2: a minted endpoint and 4 x 1024 pages are granted", &st);
	if (facets[1] != 0) {
		check(echo_ok(facets[1], 1, &st), "Bug 2: the child serves the minted endpoint",
		      &st);
		finish_child(facets[1], handle, "Bug 2: the child stops and exits 0");
	}
	capos_release(rt, mo);
	capos_release_flush(rt);
}

static void bug4_refused_after_success(void)
{
	struct capos_grant g[2] = { console_grant, serve_grant };
	struct capos_status st;
	uint32_t handle, facets[2] = { 0 };

	check(capos_spawn_ex(rt, spawner, "keeps-serving", "regress-spawn", g, 2, &handle, facets,
			     &st) == 0 &&
		      facets[1] != 0,
	      "Bug 4: a spawn with a minted endpoint, facet back", &st);
	if (facets[1] == 0)
		return;
	check(echo_ok(facets[1], 1, &st), "Bug 4: a call through the facet", &st);

	for (uint32_t i = 0; i <= CAPSET_MAX_ENTRIES; i++) {
		many_names[i][0] = 'c';
		many_names[i][1] = (char)('0' + i / 10);
		many_names[i][2] = (char)('0' + i % 10);
		many[i] = console_grant;
		many[i].name = many_names[i];
	}
	uint32_t h;
	int32_t r = capos_spawn(rt, spawner, "too-many", "regress-spawn", many,
				CAPSET_MAX_ENTRIES + 1, &h, &st);
	check(refused_with(r, &st, CAPOS_CAP_EXCEPTION_TYPE_FAILED,
			   "spawn: more grants than a CapSet holds"),
	      "Bug 4: 86 grants refused", &st);

	check(echo_ok(facets[1], 2, &st), "Bug 4: the facet still reaches the first child", &st);
	check(echo_ok(facets[1], 3, &st), "Bug 4: and again", &st);
	finish_child(facets[1], handle, "Bug 4: the first child stops and exits 0");

	/* Everything given back: one more minted-endpoint spawn still works. */
	check(capos_spawn_ex(rt, spawner, "afterwards", "regress-spawn", g, 2, &handle, facets,
			     &st) == 0 &&
		      facets[1] != 0,
	      "Bug 4: a later spawn with a minted endpoint", &st);
	if (facets[1] != 0) {
		check(echo_ok(facets[1], 1, &st), "Bug 4: the later child serves", &st);
		finish_child(facets[1], handle, "Bug 4: the later child stops and exits 0");
	}
}

int main(struct capos_rt *r)
{
	uint32_t cap, frames;
	rt = r;
	checks.rt = r;
	if (capos_lookup(rt, "serve", CAPOS_ENDPOINT_INTERFACE_ID, &cap) == 0)
		return serve(cap);
	if (capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0 ||
	    capos_lookup(rt, "frames", CAPOS_FRAME_ALLOCATOR_INTERFACE_ID, &frames) != 0 ||
	    capos_lookup(rt, "ep", CAPOS_ENDPOINT_INTERFACE_ID, &ep) != 0)
		capos_panic("regress-spawn: needs \"spawner\", \"frames\" and \"ep\"");
	bug2_minted_then_refused(frames);
	bug4_refused_after_success();
	return checks_report(&checks);
}

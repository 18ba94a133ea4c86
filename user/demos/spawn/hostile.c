/*
 * hostile-spawn: every ProcessSpawner failure, through a spawner granted
 * by init, each checked against its exact exception; then ProcessHandle
 * wait semantics. Every refused spawn must leave this process's table and
 * quota as they were (the kernel also checks its own side on every failure
 * path), which the final spawns prove by still working.
 *
 * Run with no caps at all (as its own quiet child), it exits with code 3
 * at once.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "user/rt/capos.h"
#include "user/demos/check.h"

#define FAILED	   CAPOS_CAP_EXCEPTION_TYPE_FAILED
#define OVERLOADED CAPOS_CAP_EXCEPTION_TYPE_OVERLOADED
#define CONSOLE_ID CAPOS_CONSOLE_INTERFACE_ID
#define TIMER_ID   CAPOS_TIMER_INTERFACE_ID
#define HANDLE_ID  CAPOS_PROCESS_HANDLE_INTERFACE_ID

static struct capos_rt *rt;
static uint32_t console, timer, spawner;
static struct checks checks = { .name = "hostile-spawn" };
static struct capos_grant many[CAPSET_MAX_ENTRIES + 1];
static char many_names[CAPSET_MAX_ENTRIES + 1][8];
static uint32_t handles[300];

static void check(bool ok, const char *what, const struct capos_status *st)
{
	check_that(&checks, ok, what, st);
}

static const char *child_name = "hostile-child";

/* A spawn that must fail with exception type `type` and message `msg`. */
static void refused(const char *what, const char *binary, const struct capos_grant *g, uint32_t n,
		    int type, const char *msg)
{
	struct capos_status st;
	uint32_t h;
	int32_t r = capos_spawn(rt, spawner, child_name, binary, g, n, &h, &st);
	check(r == CAP_ERR_APPLICATION_EXCEPTION && st.exc.type == type &&
		      strcmp(st.exc.message, msg) == 0,
	      what, &st);
}

/* A quiet child: this binary with no caps exits 3 at once. */
static bool quiet_child(uint32_t *h, struct capos_status *st)
{
	return capos_spawn(rt, spawner, "quiet", "hostile-spawn", NULL, 0, h, st) == 0;
}

static void spawn_failures(void)
{
	struct capos_status st;
	uint32_t h;
	struct capos_grant g = { "console", CONSOLE_ID, CAPOS_GRANT_KERNEL, 0,
				 CAPOS_KERNEL_CAP_SOURCE_CONSOLE };

	refused("unknown binary", "no-such-binary", &g, 1, FAILED,
		"spawn: no such binary in the boot package");
	refused("bad ELF", "not-an-elf", &g, 1, FAILED, "spawn: the binary is not a loadable ELF");
	child_name = "";
	refused("empty name", "hello", &g, 1, FAILED, "spawn: name empty or over 31 bytes");
	child_name = "a-name-of-thirty-two-bytes-long!";
	refused("over-long name", "hello", &g, 1, FAILED, "spawn: name empty or over 31 bytes");
	child_name = "hostile-child";

	struct capos_grant unset = { "x", CONSOLE_ID, CAPOS_GRANT_UNSET, 0, 0 };
	refused("unset source", "hello", &unset, 1, FAILED, "spawn: a grant's source is unset");
	struct capos_grant dup[2] = { g, g };
	refused("duplicate grant names", "hello", dup, 2, FAILED,
		"spawn: two grants with one name");
	struct capos_grant wrong = g;
	wrong.interface_id = TIMER_ID;
	refused("interface mismatch", "hello", &wrong, 1, FAILED,
		"spawn: expectedInterfaceId does not match the granted cap");
	struct capos_grant boot = { "boot", CAPOS_BOOT_PACKAGE_INTERFACE_ID, CAPOS_GRANT_KERNEL, 0,
				    CAPOS_KERNEL_CAP_SOURCE_BOOT_PACKAGE };
	refused("unmintable kernel source", "hello", &boot, 1, FAILED,
		"spawn: a kernel source this spawner may not mint");
	struct capos_grant client = { "ep", CONSOLE_ID, CAPOS_GRANT_CLIENT, console, 0 };
	refused("client grant of a non-endpoint", "hello", &client, 1, FAILED,
		"spawn: a client grant needs an Endpoint owner or facet");
	struct capos_grant foreign = { "console", CONSOLE_ID, CAPOS_GRANT_COPY, 0x00abcdef, 0 };
	refused("foreign cap id", "hello", &foreign, 1, FAILED,
		"spawn: a grant names no cap of the caller");

	/* Non-transferable: a live ProcessHandle may be neither copied nor
	 * moved; once released, its CapId is stale. */
	check(quiet_child(&h, &st), "a quiet child starts", &st);
	struct capos_grant handle = { "h", HANDLE_ID, CAPOS_GRANT_COPY, h, 0 };
	refused("copy of a non-transferable cap", "hello", &handle, 1, FAILED,
		"spawn: a granted cap may not be copied");
	handle.kind = CAPOS_GRANT_MOVE;
	refused("move of a non-transferable cap", "hello", &handle, 1, FAILED,
		"spawn: a granted cap may not leave the caller");
	int64_t code;
	check(capos_process_wait(rt, h, &code, &st) == 0 && code == 3, "quiet child exits 3", &st);
	capos_release(rt, h);
	capos_release_flush(rt);
	uint32_t h2;
	check(quiet_child(&h2, &st), "a second quiet child starts", &st);
	check(h2 != h && (h2 & 0xffffff) == (h & 0xffffff), "the freed slot is reused", NULL);
	handle.kind = CAPOS_GRANT_COPY;
	refused("stale cap", "hello", &handle, 1, FAILED, "spawn: a grant names a stale cap");
	capos_process_wait(rt, h2, &code, &st);
	capos_release(rt, h2);

	/* A full child table: more grants than a CapSet page holds. */
	for (uint32_t i = 0; i <= CAPSET_MAX_ENTRIES; i++) {
		many_names[i][0] = 'c';
		many_names[i][1] = (char)('0' + i / 10);
		many_names[i][2] = (char)('0' + i % 10);
		many[i] = g;
		many[i].name = many_names[i];
	}
	refused("more grants than a CapSet holds", "hello", many, CAPSET_MAX_ENTRIES + 1, FAILED,
		"spawn: more grants than a CapSet holds");

	/* Frame exhaustion: an image larger than all memory. */
	refused("an image larger than memory", "huge", NULL, 0, OVERLOADED, "spawn: out of memory");
}

/* Fill this process's cap table with handles of exited quiet children
 * until spawn refuses; then give them back and spawn again. */
static void parent_table_full(void)
{
	struct capos_status st;
	uint32_t n = 0, h;
	int64_t code;

	while (n < sizeof(handles) / sizeof(handles[0]) && quiet_child(&handles[n], &st)) {
		capos_process_wait(rt, handles[n], &code, &st);
		n++;
	}
	check(st.exc.type == OVERLOADED &&
		      (strcmp(st.exc.message, "spawn: the caller's cap table is full") == 0 ||
		       strcmp(st.exc.message, "spawn: the caller's cap quota is exhausted") == 0),
	      "a full caller table refuses the spawn", &st);
	for (uint32_t i = 0; i < n; i++)
		capos_release(rt, handles[i]);
	capos_release_flush(rt);
	check(quiet_child(&h, &st), "spawning works again once handles are released", &st);
	capos_process_wait(rt, h, &code, &st);
	capos_release(rt, h);
	capos_printf(rt, "hostile-spawn: caller table full after %u handles; refused, then fine",
		     n);
}

/* wait after exit completes at once (again and again); a second waiter on
 * a live child is refused while the first completes normally. */
static void wait_semantics(void)
{
	struct capos_status st;
	uint32_t h;
	int64_t code;

	check(quiet_child(&h, &st), "quiet child", &st);
	check(capos_process_wait(rt, h, &code, &st) == 0 && code == 3, "first wait", &st);
	check(capos_process_wait(rt, h, &code, &st) == 0 && code == 3, "wait after exit", &st);
	capos_release(rt, h);

	struct capos_grant g[2] = {
		{ "console", CONSOLE_ID, CAPOS_GRANT_KERNEL, 0, CAPOS_KERNEL_CAP_SOURCE_CONSOLE },
		{ "timer", TIMER_ID, CAPOS_GRANT_KERNEL, 0, CAPOS_KERNEL_CAP_SOURCE_TIMER },
	};
	check(capos_spawn(rt, spawner, "wait-target", "timer-smoke", g, 2, &h, &st) == 0,
	      "a living child", &st);
	uint64_t buf1[CAPOS_WAIT_BUF_WORDS], buf2[CAPOS_WAIT_BUF_WORDS];
	struct cap_cqe c1, c2;
	uint64_t u1 = capos_process_wait_submit(rt, h, buf1);
	uint64_t u2 = capos_process_wait_submit(rt, h, buf2);
	capos_wait_any(rt, &u2, 1, &c2);
	capos_process_exit_code(&c2, buf2, &code, &st);
	check(st.exc.type == FAILED &&
		      strcmp(st.exc.message, "processHandle: a waiter is already registered") == 0,
	      "a second waiter is refused", &st);
	capos_wait_any(rt, &u1, 1, &c1);
	check(capos_process_exit_code(&c1, buf1, &code, &st) == 0 && code == 0,
	      "the first waiter gets the exit code", &st);
	capos_release(rt, h);
	capos_release_flush(rt);
}

int main(struct capos_rt *r)
{
	rt = r;
	checks.rt = r;
	if (capos_lookup(rt, "console", CONSOLE_ID, &console) != 0)
		return 3; /* the quiet child */
	if (capos_lookup(rt, "timer", TIMER_ID, &timer) != 0 ||
	    capos_lookup(rt, "spawner", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &spawner) != 0)
		capos_panic("hostile-spawn: needs timer and spawner");
	spawn_failures();
	parent_table_full();
	wait_semantics();
	return checks_report(&checks);
}

/*
 * unprivileged-stranger: a child launched with nothing but its StdIO. It
 * tries to reach the terminal, the console and the shell's caps, and shows
 * that each attempt fails with its own error: the names are not in its
 * CapSet, and CapIds copied from another table name nothing in its own.
 * Exits 0 when every attempt failed as it must.
 */
#include "gen/capos.capnp.h"
#include "user/rt/capos.h"

int main(struct capos_rt *rt)
{
	uint32_t cap;
	int reached = 0;
	int t = capos_lookup(rt, "terminal", CAPOS_TERMINAL_SESSION_INTERFACE_ID, &cap);
	int c = capos_lookup(rt, "console", CAPOS_CONSOLE_INTERFACE_ID, &cap);
	int l = capos_lookup(rt, "launcher", CAPOS_PROCESS_SPAWNER_INTERFACE_ID, &cap);
	reached += (t == 0) + (c == 0) + (l == 0);
	/* Guessed CapIds: the low slots of any table, as the shell's would be. */
	int invalid = 0, other = 0;
	for (uint32_t id = 1; id < 16; id++) {
		uint64_t params[4] = { 0 }, result[16];
		int32_t r = capos_call(rt, id, 0, params, 0, result, sizeof(result));
		if (r == CAP_ERR_INVALID_CAP || r == CAP_ERR_STALE_CAP)
			invalid++;
		else
			other++;
	}
	capos_printf(rt,
		     "stranger: terminal %s, console %s, launcher %s; %d guessed CapIds "
		     "name nothing, %d answered",
		     t ? "not granted" : "REACHED", c ? "not granted" : "REACHED",
		     l ? "not granted" : "REACHED", invalid, other);
	return reached == 0 && other == 0 ? 0 : 1;
}

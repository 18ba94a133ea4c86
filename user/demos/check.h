/*
 * user/demos/check.h — how the check programs count and report.
 *
 * A failed check prints "NAME: FAIL what (got: status)"; the program ends
 * with "NAME: P of N checks passed" and exits non-zero if any failed. The
 * QEMU scenarios forbid FAIL and expect the closing line.
 */
#pragma once

#include <stdbool.h>

#include "user/rt/capos.h"

struct checks {
	struct capos_rt *rt;
	const char *name; /* the prefix of every line */
	int failures, total;
};

/* Count one check; report it if it failed (st, the status seen, may be
 * NULL). */
static inline void check_that(struct checks *c, bool ok, const char *what,
			      const struct capos_status *st)
{
	c->total++;
	if (!ok) {
		c->failures++;
		capos_printf(c->rt, "%s: FAIL %s (got: %s)", c->name, what,
			     st ? capos_status_str(st) : "-");
	}
}

/* Print the closing line; the program's exit status. */
static inline int checks_report(const struct checks *c)
{
	capos_printf(c->rt, "%s: %d of %d checks passed", c->name, c->total - c->failures,
		     c->total);
	return c->failures ? 1 : 0;
}

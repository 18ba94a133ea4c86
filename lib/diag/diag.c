/*
 * lib/diag — per-key token windows for diagnostics. See diag.h.
 */
#include "lib/diag/diag.h"

#include <stddef.h>
#include <string.h>

void diag_init(struct diag *d, uint64_t now)
{
	memset(d, 0, sizeof(*d));
	d->last_summary = now;
}

static bool same(const struct diag_key *a, const struct diag_key *b)
{
	return a->error == b->error && a->opcode == b->opcode && a->cap_bucket == b->cap_bucket;
}

/* The entry for key, or a recycled one (unused first, else least recent). */
static struct diag_entry *entry_for(struct diag *d, struct diag_key key, bool *fresh)
{
	struct diag_entry *victim = &d->entries[0];
	for (unsigned i = 0; i < DIAG_KEYS; i++) {
		struct diag_entry *e = &d->entries[i];
		if (e->used && same(&e->key, &key)) {
			*fresh = false;
			return e;
		}
		if (!e->used || (victim->used && e->last_seen < victim->last_seen))
			victim = e;
	}
	*fresh = true;
	return victim;
}

bool diag_admit(struct diag *d, struct diag_key key, uint64_t now)
{
	bool fresh;
	struct diag_entry *e = entry_for(d, key, &fresh);

	if (fresh)
		*e = (struct diag_entry){ .key = key, .used = true, .window_start = now };
	e->last_seen = now;
	if (now - e->window_start >= DIAG_WINDOW_NS) {
		e->window_start = now;
		e->emitted = 0;
	}
	if (e->emitted < DIAG_BURST) {
		e->emitted++;
		return true;
	}
	d->suppressed++;
	d->last_error = key.error;
	return false;
}

bool diag_summary(struct diag *d, uint64_t now, uint64_t *suppressed, int32_t *last_error)
{
	if (d->suppressed == 0 || now - d->last_summary < DIAG_WINDOW_NS)
		return false;
	*suppressed = d->suppressed;
	*last_error = d->last_error;
	d->suppressed = 0;
	d->last_summary = now;
	return true;
}

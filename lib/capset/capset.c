/*
 * lib/capset — CapSet page building and lookup. See capset.h.
 */
#include "lib/capset/capset.h"

#include <stdbool.h>
#include <string.h>

static const struct capset_entry *entries(const void *page)
{
	return (const struct capset_entry *)((const uint8_t *)page + sizeof(struct capset_header));
}

void capset_init(void *page)
{
	struct capset_header *h = page;

	memset(page, 0, CAPSET_PAGE_SIZE);
	h->magic = CAPSET_MAGIC;
	h->version = CAPSET_VERSION;
}

static bool name_equal(const struct capset_entry *e, const char *name, uint32_t len)
{
	return e->name_len == len && memcmp(e->name, name, len) == 0;
}

/* Entry count of a page that may be corrupt, or -1. */
static int checked_count(const struct capset_header *h)
{
	if (h->magic != CAPSET_MAGIC || h->version != CAPSET_VERSION ||
	    h->count > CAPSET_MAX_ENTRIES)
		return -1;
	return (int)h->count;
}

int capset_find(const void *page, const char *name, uint32_t name_len, uint64_t want_interface,
		const struct capset_entry **out)
{
	int n = checked_count(page);

	if (n < 0)
		return CAPSET_ERR_CORRUPT;
	for (int i = 0; i < n; i++) {
		const struct capset_entry *e = &entries(page)[i];
		if (e->name_len > CAPSET_NAME_MAX || !name_equal(e, name, name_len))
			continue;
		if (want_interface != 0 && e->interface_id != want_interface)
			return CAPSET_ERR_INTERFACE;
		if (out != NULL)
			*out = e;
		return CAPSET_OK;
	}
	return CAPSET_ERR_NOT_FOUND;
}

int capset_add(void *page, const char *name, uint32_t name_len, uint32_t cap_id,
	       uint64_t interface_id)
{
	struct capset_header *h = page;

	if (name_len == 0 || name_len > CAPSET_NAME_MAX)
		return CAPSET_ERR_NAME;
	if (h->count >= CAPSET_MAX_ENTRIES)
		return CAPSET_ERR_FULL;
	if (capset_find(page, name, name_len, 0, NULL) == CAPSET_OK)
		return CAPSET_ERR_DUPLICATE;
	struct capset_entry *e = (struct capset_entry *)&entries(page)[h->count];
	e->cap_id = cap_id;
	e->name_len = name_len;
	e->interface_id = interface_id;
	memcpy(e->name, name, name_len);
	h->count++;
	return CAPSET_OK;
}

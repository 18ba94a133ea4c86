/*
 * lib/capset — build a CapSet page (kernel side) and look names up in one
 * (user side). Pure; the lookup treats the page as untrusted bytes so it is
 * safe on a page it did not build.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "include/capos/capset.h"

enum capset_err {
	CAPSET_OK = 0,
	CAPSET_ERR_FULL = -1,	   /* CAPSET_MAX_ENTRIES already */
	CAPSET_ERR_NAME = -2,	   /* empty or longer than CAPSET_NAME_MAX */
	CAPSET_ERR_DUPLICATE = -3, /* name already present */
	CAPSET_ERR_NOT_FOUND = -4,
	CAPSET_ERR_INTERFACE = -5, /* found, but with another interface id */
	CAPSET_ERR_CORRUPT = -6,   /* bad magic/version/count */
};

/* Start an empty CapSet in page (CAPSET_PAGE_SIZE bytes, zeroed here). */
void capset_init(void *page);
int capset_add(void *page, const char *name, uint32_t name_len, uint32_t cap_id,
	       uint64_t interface_id);
/* Find name; check its interface id unless want_interface is 0. */
int capset_find(const void *page, const char *name, uint32_t name_len, uint64_t want_interface,
		const struct capset_entry **out);

/*
 * The CapSet page: a process's named view of the caps it was started with.
 *
 * One 4 KiB page mapped read-only and NX at CAPOS_CAPSET_VADDR
 * (include/capos/abi.h): a header, then entries in manifest (or grant)
 * order. User space looks a cap up by name and checks the interface id
 * before using the CapId. The kernel builds the page; user space can only
 * read it.
 *
 * Spec: Capability Model (CapSet); DESIGN.md §5.
 */
#pragma once

#include <stdint.h>

#define CAPSET_MAGIC	 0x54455350u /* "PSET" little-endian */
#define CAPSET_VERSION	 1
#define CAPSET_NAME_MAX	 32
#define CAPSET_PAGE_SIZE 4096

struct capset_header {
	uint32_t magic;	   /* [I] CAPSET_MAGIC */
	uint32_t version;  /* [I] CAPSET_VERSION */
	uint32_t count;	   /* [I] entries that follow */
	uint32_t reserved; /* [I] zero */
};

struct capset_entry {
	uint32_t cap_id;	    /* [I] local CapId */
	uint32_t name_len;	    /* [I] bytes of name used (no NUL) */
	uint64_t interface_id;	    /* [I] schema interface id */
	char name[CAPSET_NAME_MAX]; /* [I] not NUL-terminated when 32 bytes long */
};

#define CAPSET_MAX_ENTRIES \
	((CAPSET_PAGE_SIZE - sizeof(struct capset_header)) / sizeof(struct capset_entry))

_Static_assert(sizeof(struct capset_header) == 16, "CapSet header is 16 bytes");
_Static_assert(sizeof(struct capset_entry) == 48, "CapSet entry is 48 bytes");
_Static_assert(__builtin_offsetof(struct capset_entry, interface_id) == 8, "entry iface offset");
_Static_assert(__builtin_offsetof(struct capset_entry, name) == 16, "entry name offset");
_Static_assert(CAPSET_MAX_ENTRIES == 85, "85 entries fit the page");

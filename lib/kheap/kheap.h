/*
 * lib/kheap — the kernel heap's core: size-class slabs over 4 KiB pages for
 * small objects, page runs for large ones, pages from a caller callback (so
 * the same code runs on frames in the kernel and on malloc'd pages in host
 * tests). Every object carries a header and a trailing canary: a double
 * free, a free of a pointer the heap never returned, and a write past the
 * end of an object are detected at free time and refused with an error
 * (the kernel treats them as broken invariants and panics).
 *
 * Locking: one heap lock around every call. Pure; host-tested.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define KHEAP_PAGE    4096
#define KHEAP_CLASSES 7 /* slot sizes 32 .. 2048 bytes */

enum kheap_err {
	KHEAP_OK = 0,
	KHEAP_ERR_DOUBLE_FREE = -1,
	KHEAP_ERR_OVERRUN = -2,	    /* the canary after the object was overwritten */
	KHEAP_ERR_BAD_POINTER = -3, /* not something this heap handed out */
};

struct kheap_ops {
	/* `pages` contiguous, page-aligned pages, or NULL. */
	void *(*page_alloc)(void *ctx, size_t pages);
	void (*page_free)(void *ctx, void *p, size_t pages);
	void *ctx;
};

struct kheap_page;

struct kheap {
	struct kheap_ops ops;
	struct kheap_page *partial[KHEAP_CLASSES]; /* pages with free slots */
	size_t bytes_in_use;			   /* requested bytes live */
	size_t pages_in_use;
};

void kheap_init(struct kheap *h, const struct kheap_ops *ops);
void *kheap_alloc(struct kheap *h, size_t size);
void *kheap_zalloc(struct kheap *h, size_t size);
int kheap_free(struct kheap *h, void *p);
const char *kheap_strerror(int err);

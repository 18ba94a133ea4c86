/*
 * lib/kheap — the kernel heap's core: size-class slabs over 4 KiB pages for
 * small objects, page runs for large ones, pages from a caller callback (so
 * the same code runs on frames in the kernel and on malloc'd pages in host
 * tests). Every object carries a header and a trailing canary: a double
 * free, a free of a pointer the heap never returned, and a write past the
 * end of an object are detected at free time and refused with an error
 * (the kernel treats them as broken invariants and panics). The same
 * checks guard kheap_realloc and kheap_usable_size, which refuse such a
 * pointer and change nothing.
 *
 * Aligned objects: kheap_aligned_alloc places the object further into its
 * slot or page run; the object header still sits right before the object,
 * and the first 16 bytes of the slot (run) hold a pad marker giving the
 * offset to it, so kheap_free, kheap_realloc and kheap_usable_size find
 * and check the object exactly as for kheap_alloc's (lib/kheap/kheap.c).
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
	KHEAP_ERR_NO_MEMORY = -4,   /* kheap_realloc: no pages; the object is unchanged */
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
/* n * size zeroed bytes; NULL when the product overflows or no pages. */
void *kheap_calloc(struct kheap *h, size_t n, size_t size);
/* size bytes at a multiple of align, a power of two from 1 to KHEAP_PAGE
 * (NULL for any other align). Freed and reallocated like any object;
 * kheap_realloc keeps the alignment. */
void *kheap_aligned_alloc(struct kheap *h, size_t align, size_t size);
/* 0, or a KHEAP_ERR_* for a pointer the heap refuses (nothing freed). */
int kheap_free(struct kheap *h, void *p);
/* C realloc: p NULL allocates (even size 0), size 0 frees p and returns
 * NULL. Grows in place while the object's slot or run has room, and moves
 * a shrinking object to a smaller home when it can. Returns the object
 * (contents kept up to the smaller size) or NULL with *err set: KHEAP_OK
 * after a free, KHEAP_ERR_NO_MEMORY (p still valid and unchanged), or the
 * error kheap_free would give for a bad p (nothing changed). err may be
 * NULL. */
void *kheap_realloc(struct kheap *h, void *p, size_t size, int *err);
/* The bytes p may use: its size as last requested (the canary follows
 * them). 0 for NULL or a pointer kheap_free would refuse. */
size_t kheap_usable_size(struct kheap *h, const void *p);
const char *kheap_strerror(int err);

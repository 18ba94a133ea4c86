/*
 * lib/kheap — slabs and page runs with headers and canaries. See kheap.h.
 *
 * A slab page: a 64-byte page header, then equal slots. A slot: a 16-byte
 * object header (magic, requested size), the object, an 8-byte canary
 * right after the requested bytes. A large object: a page run whose first
 * 64 bytes are the page header, then the object header, object and canary.
 */
#include "lib/kheap/kheap.h"

#include <stdbool.h>
#include <string.h>

#define PAGE_MAGIC_SLAB	 0x534c4142u /* "SLAB" */
#define PAGE_MAGIC_LARGE 0x4c415247u /* "LARG" */
#define OBJ_LIVE	 0xa110ca7eu
#define OBJ_FREE	 0xf4eef4eeu
#define CANARY		 0xcafef00dd15ea5e5ULL
#define PAGE_HDR	 64
#define OBJ_HDR		 16
#define CANARY_SIZE	 8

struct kheap_page {
	uint32_t magic;
	uint32_t cls;		 /* slab: size class */
	uint32_t nfree;		 /* slab: free slots */
	uint32_t pages;		 /* large: run length */
	void *free_list;	 /* slab: first free slot */
	struct kheap_page *next; /* slab: next page in the partial list */
};

struct obj {
	uint32_t magic;
	uint32_t size; /* requested bytes */
	uint64_t pad;
};

_Static_assert(sizeof(struct kheap_page) <= PAGE_HDR, "page header fits");
_Static_assert(sizeof(struct obj) == OBJ_HDR, "object header is 16 bytes");

static size_t slot_size(unsigned cls)
{
	return (size_t)32 << cls;
}

static unsigned slots_per_page(unsigned cls)
{
	return (unsigned)((KHEAP_PAGE - PAGE_HDR) / slot_size(cls));
}

void kheap_init(struct kheap *h, const struct kheap_ops *ops)
{
	memset(h, 0, sizeof(*h));
	h->ops = *ops;
}

static void *finish_obj(struct kheap *h, struct obj *o, size_t size)
{
	uint64_t canary = CANARY;
	o->magic = OBJ_LIVE;
	o->size = (uint32_t)size;
	memcpy((uint8_t *)(o + 1) + size, &canary, CANARY_SIZE);
	h->bytes_in_use += size;
	return o + 1;
}

static struct kheap_page *new_slab(struct kheap *h, unsigned cls)
{
	struct kheap_page *pg = h->ops.page_alloc(h->ops.ctx, 1);
	if (pg == NULL)
		return NULL;
	memset(pg, 0, PAGE_HDR);
	pg->magic = PAGE_MAGIC_SLAB;
	pg->cls = cls;
	uint8_t *slot = (uint8_t *)pg + PAGE_HDR;
	for (unsigned i = slots_per_page(cls); i-- > 0;) {
		struct obj *o = (struct obj *)(slot + i * slot_size(cls));
		o->magic = OBJ_FREE;
		o->pad = (uint64_t)(uintptr_t)pg->free_list;
		pg->free_list = o;
	}
	pg->nfree = slots_per_page(cls);
	h->pages_in_use++;
	return pg;
}

static void *alloc_large(struct kheap *h, size_t size)
{
	size_t pages = (PAGE_HDR + OBJ_HDR + size + CANARY_SIZE + KHEAP_PAGE - 1) / KHEAP_PAGE;
	struct kheap_page *pg = h->ops.page_alloc(h->ops.ctx, pages);
	if (pg == NULL)
		return NULL;
	memset(pg, 0, PAGE_HDR);
	pg->magic = PAGE_MAGIC_LARGE;
	pg->pages = (uint32_t)pages;
	h->pages_in_use += pages;
	return finish_obj(h, (struct obj *)((uint8_t *)pg + PAGE_HDR), size);
}

void *kheap_alloc(struct kheap *h, size_t size)
{
	unsigned cls = 0;

	if (size > UINT32_MAX - PAGE_HDR - OBJ_HDR - CANARY_SIZE)
		return NULL;
	while (cls < KHEAP_CLASSES && slot_size(cls) < OBJ_HDR + size + CANARY_SIZE)
		cls++;
	if (cls == KHEAP_CLASSES)
		return alloc_large(h, size);
	struct kheap_page *pg = h->partial[cls];
	if (pg == NULL && (pg = h->partial[cls] = new_slab(h, cls)) == NULL)
		return NULL;
	struct obj *o = pg->free_list;
	pg->free_list = (void *)(uintptr_t)o->pad;
	if (--pg->nfree == 0)
		h->partial[cls] = pg->next;
	return finish_obj(h, o, size);
}

void *kheap_zalloc(struct kheap *h, size_t size)
{
	void *p = kheap_alloc(h, size);
	if (p != NULL)
		memset(p, 0, size);
	return p;
}

/* Check the object behind p; returns its header or NULL with *err set. */
static struct obj *check_obj(struct kheap_page *pg, void *p, int *err)
{
	struct obj *o = (struct obj *)p - 1;
	uintptr_t base = (uintptr_t)pg + PAGE_HDR;

	*err = KHEAP_ERR_BAD_POINTER;
	if (pg->magic == PAGE_MAGIC_SLAB) {
		if (pg->cls >= KHEAP_CLASSES || (uintptr_t)o < base ||
		    ((uintptr_t)o - base) % slot_size(pg->cls) != 0 ||
		    ((uintptr_t)o - base) / slot_size(pg->cls) >= slots_per_page(pg->cls))
			return NULL;
	} else if (pg->magic != PAGE_MAGIC_LARGE || (uintptr_t)o != base) {
		return NULL;
	}
	if (o->magic == OBJ_FREE) {
		*err = KHEAP_ERR_DOUBLE_FREE;
		return NULL;
	}
	if (o->magic != OBJ_LIVE)
		return NULL;
	uint64_t canary;
	memcpy(&canary, (uint8_t *)p + o->size, CANARY_SIZE);
	if (canary != CANARY) {
		*err = KHEAP_ERR_OVERRUN;
		return NULL;
	}
	return o;
}

/* An empty slab goes back to the page allocator. */
static void release_slab(struct kheap *h, struct kheap_page *pg)
{
	struct kheap_page **link = &h->partial[pg->cls];
	while (*link != pg)
		link = &(*link)->next;
	*link = pg->next;
	pg->magic = 0;
	h->pages_in_use--;
	h->ops.page_free(h->ops.ctx, pg, 1);
}

int kheap_free(struct kheap *h, void *p)
{
	int err;

	if (p == NULL)
		return KHEAP_OK;
	struct kheap_page *pg = (struct kheap_page *)((uintptr_t)p & ~(uintptr_t)(KHEAP_PAGE - 1));
	struct obj *o = check_obj(pg, p, &err);
	if (o == NULL)
		return err;
	h->bytes_in_use -= o->size;
	if (pg->magic == PAGE_MAGIC_LARGE) {
		pg->magic = 0;
		h->pages_in_use -= pg->pages;
		h->ops.page_free(h->ops.ctx, pg, pg->pages);
		return KHEAP_OK;
	}
	o->magic = OBJ_FREE;
	o->pad = (uint64_t)(uintptr_t)pg->free_list;
	pg->free_list = o;
	if (pg->nfree++ == 0) { /* was full: back on the partial list */
		pg->next = h->partial[pg->cls];
		h->partial[pg->cls] = pg;
	}
	if (pg->nfree == slots_per_page(pg->cls))
		release_slab(h, pg);
	return KHEAP_OK;
}

const char *kheap_strerror(int err)
{
	switch (err) {
	case KHEAP_OK:
		return "ok";
	case KHEAP_ERR_DOUBLE_FREE:
		return "double free";
	case KHEAP_ERR_OVERRUN:
		return "write past the end of an object";
	case KHEAP_ERR_BAD_POINTER:
		return "pointer not from this heap";
	default:
		return "unknown error";
	}
}

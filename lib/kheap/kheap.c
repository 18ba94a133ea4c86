/*
 * lib/kheap — slabs and page runs with headers and canaries. See kheap.h.
 *
 * A slab page: a 64-byte page header, then equal slots. A slot: a 16-byte
 * object header (magic, requested size, alignment), the object, an 8-byte
 * canary right after the requested bytes. A large object: a page run whose
 * first 64 bytes are the page header, then the object header, object and
 * canary. The object header always sits in the first page of its slab or
 * run, right before the object, so the page header of p is the page that
 * holds p - OBJ_HDR.
 *
 * An aligned object sits further into its slot (or run) than the natural
 * place: its home's first 16 bytes then hold a pad marker (OBJ_PAD, the
 * offset to the object header). The marker lies before the object, where
 * the owner of the object never writes, so a pointer is only accepted when
 * its home's first header either is its own header or points at it.
 */
#include "lib/kheap/kheap.h"

#include <stdbool.h>
#include <string.h>

#define PAGE_MAGIC_SLAB	 0x534c4142u /* "SLAB" */
#define PAGE_MAGIC_LARGE 0x4c415247u /* "LARG" */
#define OBJ_LIVE	 0xa110ca7eu
#define OBJ_FREE	 0xf4eef4eeu
#define OBJ_PAD		 0x0ff5e7edu /* an aligned object's home: offset in size */
#define CANARY		 0xcafef00dd15ea5e5ULL
#define PAGE_HDR	 64
#define OBJ_HDR		 16
#define CANARY_SIZE	 8
#define NATURAL_ALIGN	 16 /* where a plain object lands (OBJ_HDR past a 16-aligned home) */

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
	uint32_t size; /* LIVE: requested bytes; PAD: offset to the object header */
	union {
		uint64_t next;	/* FREE: next free slot */
		uint64_t align; /* LIVE: alignment kept across realloc */
	};
};

_Static_assert(sizeof(struct kheap_page) <= PAGE_HDR, "page header fits");
_Static_assert(sizeof(struct obj) == OBJ_HDR, "object header is 16 bytes");
_Static_assert(PAGE_HDR % NATURAL_ALIGN == 0, "homes are 16-aligned");

static size_t slot_size(unsigned cls)
{
	return (size_t)32 << cls;
}

static unsigned slots_per_page(unsigned cls)
{
	return (unsigned)((KHEAP_PAGE - PAGE_HDR) / slot_size(cls));
}

/* Bytes a home must have for size bytes at alignment align, worst case. */
static size_t home_need(size_t size, size_t align)
{
	return OBJ_HDR + (align - NATURAL_ALIGN) + size + CANARY_SIZE;
}

/* The size class for need bytes, or KHEAP_CLASSES for a page run. */
static unsigned class_of(size_t need)
{
	unsigned cls = 0;
	while (cls < KHEAP_CLASSES && slot_size(cls) < need)
		cls++;
	return cls;
}

static size_t run_pages(size_t need)
{
	return (PAGE_HDR + need + KHEAP_PAGE - 1) / KHEAP_PAGE;
}

static struct kheap_page *page_of(const void *p)
{
	return (struct kheap_page *)(((uintptr_t)p - OBJ_HDR) & ~(uintptr_t)(KHEAP_PAGE - 1));
}

void kheap_init(struct kheap *h, const struct kheap_ops *ops)
{
	memset(h, 0, sizeof(*h));
	h->ops = *ops;
}

static void put_canary(void *p, size_t size)
{
	uint64_t canary = CANARY;
	memcpy((uint8_t *)p + size, &canary, CANARY_SIZE);
}

/* Place a live object of size bytes at alignment align in home. */
static void *place_obj(struct kheap *h, struct obj *home, size_t size, size_t align)
{
	uintptr_t p = ((uintptr_t)(home + 1) + align - 1) & ~(uintptr_t)(align - 1);
	struct obj *o = (struct obj *)p - 1;

	if (o != home) {
		home->magic = OBJ_PAD;
		home->size = (uint32_t)((uintptr_t)o - (uintptr_t)home);
	}
	o->magic = OBJ_LIVE;
	o->size = (uint32_t)size;
	o->align = align;
	put_canary(o + 1, size);
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
		o->next = (uint64_t)(uintptr_t)pg->free_list;
		pg->free_list = o;
	}
	pg->nfree = slots_per_page(cls);
	h->pages_in_use++;
	return pg;
}

static void *alloc_slot(struct kheap *h, unsigned cls, size_t size, size_t align)
{
	struct kheap_page *pg = h->partial[cls];
	if (pg == NULL && (pg = h->partial[cls] = new_slab(h, cls)) == NULL)
		return NULL;
	struct obj *home = pg->free_list;
	pg->free_list = (void *)(uintptr_t)home->next;
	if (--pg->nfree == 0)
		h->partial[cls] = pg->next;
	return place_obj(h, home, size, align);
}

static void *alloc_large(struct kheap *h, size_t pages, size_t size, size_t align)
{
	struct kheap_page *pg = h->ops.page_alloc(h->ops.ctx, pages);
	if (pg == NULL)
		return NULL;
	memset(pg, 0, PAGE_HDR);
	pg->magic = PAGE_MAGIC_LARGE;
	pg->pages = (uint32_t)pages;
	h->pages_in_use += pages;
	return place_obj(h, (struct obj *)((uint8_t *)pg + PAGE_HDR), size, align);
}

/* size bytes at align (a power of two, NATURAL_ALIGN .. KHEAP_PAGE). */
static void *alloc_obj(struct kheap *h, size_t size, size_t align)
{
	if (size > UINT32_MAX - PAGE_HDR - home_need(0, align))
		return NULL;
	size_t need = home_need(size, align);
	unsigned cls = class_of(need);
	if (cls == KHEAP_CLASSES)
		return alloc_large(h, run_pages(need), size, align);
	return alloc_slot(h, cls, size, align);
}

void *kheap_alloc(struct kheap *h, size_t size)
{
	return alloc_obj(h, size, NATURAL_ALIGN);
}

void *kheap_zalloc(struct kheap *h, size_t size)
{
	void *p = kheap_alloc(h, size);
	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void *kheap_calloc(struct kheap *h, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return kheap_zalloc(h, n * size);
}

void *kheap_aligned_alloc(struct kheap *h, size_t align, size_t size)
{
	if (align == 0 || (align & (align - 1)) != 0 || align > KHEAP_PAGE)
		return NULL;
	return alloc_obj(h, size, align < NATURAL_ALIGN ? NATURAL_ALIGN : align);
}

/* The object's home (its slot or the run's first header); NULL if o is not
 * on a home boundary of a slab or run. */
static struct obj *home_of(const struct kheap_page *pg, const struct obj *o)
{
	uintptr_t base = (uintptr_t)pg + PAGE_HDR, off = (uintptr_t)o - base;

	if (pg->magic == PAGE_MAGIC_LARGE)
		return (uintptr_t)o >= base && off % NATURAL_ALIGN == 0 ? (struct obj *)base : NULL;
	if (pg->magic != PAGE_MAGIC_SLAB || pg->cls >= KHEAP_CLASSES || (uintptr_t)o < base ||
	    off % NATURAL_ALIGN != 0 || off / slot_size(pg->cls) >= slots_per_page(pg->cls))
		return NULL;
	return (struct obj *)(base + off - off % slot_size(pg->cls));
}

/* One past the last byte of the object's home. */
static uintptr_t home_end(const struct kheap_page *pg, const struct obj *home)
{
	if (pg->magic == PAGE_MAGIC_LARGE)
		return (uintptr_t)pg + (uintptr_t)pg->pages * KHEAP_PAGE;
	return (uintptr_t)home + slot_size(pg->cls);
}

/* Check the object behind p; returns its header (and its home in *home) or
 * NULL with *err set. */
static struct obj *check_obj(struct kheap_page *pg, const void *p, struct obj **home, int *err)
{
	struct obj *o = (struct obj *)p - 1;

	*err = KHEAP_ERR_BAD_POINTER;
	if ((*home = home_of(pg, o)) == NULL)
		return NULL;
	if (*home != o && (*home)->magic == OBJ_FREE && o->magic == OBJ_FREE) {
		*err = KHEAP_ERR_DOUBLE_FREE; /* a freed aligned object */
		return NULL;
	}
	if (*home != o &&
	    ((*home)->magic != OBJ_PAD || (uintptr_t)*home + (*home)->size != (uintptr_t)o))
		return NULL;
	if (o->magic == OBJ_FREE) {
		*err = KHEAP_ERR_DOUBLE_FREE;
		return NULL;
	}
	if (o->magic != OBJ_LIVE || (uintptr_t)p + o->size + CANARY_SIZE > home_end(pg, *home))
		return NULL;
	uint64_t canary;
	memcpy(&canary, (const uint8_t *)p + o->size, CANARY_SIZE);
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

/* Free a checked object; cannot fail. */
static void release_obj(struct kheap *h, struct kheap_page *pg, struct obj *home, struct obj *o)
{
	h->bytes_in_use -= o->size;
	if (pg->magic == PAGE_MAGIC_LARGE) {
		pg->magic = 0;
		h->pages_in_use -= pg->pages;
		h->ops.page_free(h->ops.ctx, pg, pg->pages);
		return;
	}
	o->magic = OBJ_FREE;
	home->magic = OBJ_FREE;
	home->next = (uint64_t)(uintptr_t)pg->free_list;
	pg->free_list = home;
	if (pg->nfree++ == 0) { /* was full: back on the partial list */
		pg->next = h->partial[pg->cls];
		h->partial[pg->cls] = pg;
	}
	if (pg->nfree == slots_per_page(pg->cls))
		release_slab(h, pg);
}

int kheap_free(struct kheap *h, void *p)
{
	struct obj *home;
	int err;

	if (p == NULL)
		return KHEAP_OK;
	struct kheap_page *pg = page_of(p);
	struct obj *o = check_obj(pg, p, &home, &err);
	if (o == NULL)
		return err;
	release_obj(h, pg, home, o);
	return KHEAP_OK;
}

size_t kheap_usable_size(struct kheap *h, const void *p)
{
	struct obj *home;
	int err;

	(void)h;
	if (p == NULL)
		return 0;
	struct obj *o = check_obj(page_of(p), p, &home, &err);
	return o == NULL ? 0 : o->size;
}

/* Would a fresh home for size bytes be smaller than the one o has? */
static bool home_shrinks(const struct kheap_page *pg, size_t size, size_t align)
{
	size_t need = home_need(size, align);
	unsigned cls = class_of(need);

	if (pg->magic == PAGE_MAGIC_SLAB)
		return cls < pg->cls;
	return cls < KHEAP_CLASSES || run_pages(need) < pg->pages;
}

static void resize_in_place(struct kheap *h, struct obj *o, size_t size)
{
	h->bytes_in_use = h->bytes_in_use - o->size + size;
	o->size = (uint32_t)size;
	put_canary(o + 1, size);
}

static void set_err(int *err, int e)
{
	if (err != NULL)
		*err = e;
}

void *kheap_realloc(struct kheap *h, void *p, size_t size, int *err)
{
	struct obj *home;
	int e;

	set_err(err, KHEAP_OK);
	if (p == NULL) {
		void *q = kheap_alloc(h, size);
		set_err(err, q == NULL ? KHEAP_ERR_NO_MEMORY : KHEAP_OK);
		return q;
	}
	struct kheap_page *pg = page_of(p);
	struct obj *o = check_obj(pg, p, &home, &e);
	if (o == NULL) {
		set_err(err, e);
		return NULL;
	}
	if (size == 0) {
		release_obj(h, pg, home, o);
		return NULL;
	}
	size_t room = home_end(pg, home) - (uintptr_t)p - CANARY_SIZE;
	if (size <= room && !home_shrinks(pg, size, o->align)) {
		resize_in_place(h, o, size);
		return p;
	}
	void *q = alloc_obj(h, size, o->align);
	if (q == NULL && size <= room) { /* a shrink that could not move */
		resize_in_place(h, o, size);
		return p;
	}
	if (q == NULL) {
		set_err(err, KHEAP_ERR_NO_MEMORY);
		return NULL;
	}
	memcpy(q, p, size < o->size ? size : o->size);
	release_obj(h, pg, home, o);
	return q;
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
	case KHEAP_ERR_NO_MEMORY:
		return "out of memory";
	default:
		return "unknown error";
	}
}

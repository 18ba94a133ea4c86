/*
 * ring-fuzz: the in-guest ring fuzzer. From a printed seed it submits
 * random SQEs straight to its ring — every opcode, random flags and
 * reserved fields, cap ids of its own caps, stale and made-up ones,
 * buffers in its own memory, unmapped, in the kernel half and on the ring
 * and CapSet pages, random transfer descriptors and method ids against
 * real objects (Console, Timer, Endpoint, ParkSpace, VirtualMemory,
 * FrameAllocator), and now and then corrupted head/tail indexes — and
 * checks that every completion carries a defined result and zero reserved
 * fields, that the process keeps running, and (through the scenario) that
 * the kernel never panics and every frame and ledger is back at the end.
 * Replay a failure by setting SEED below to the printed seed.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/abi.h"
#include "include/capos/capset.h"
#include "user/rt/capos.h"

#define SEED  0x5eed0c0ffee1234ULL
#define TOTAL 1000000

static uint64_t state = SEED;

static uint64_t rnd(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static uint64_t pick(uint64_t n)
{
	return rnd() % n;
}

static uint8_t buf[4 * 4096] __attribute__((aligned(4096)));
static uint32_t caps[16], ncaps, console;

static uint64_t rand_addr(void)
{
	switch (pick(9)) {
	case 0:
		return 0;
	case 1:
		return (uint64_t)buf + pick(sizeof(buf));
	case 2:
		return (uint64_t)buf;
	case 3:
		return CAPOS_HHDM_BASE + pick(1u << 20);
	case 4:
		return CAPOS_RING_VADDR + pick(4096);
	case 5:
		return CAPOS_CAPSET_VADDR + pick(4096);
	case 6:
		return 0x0000100000000000ULL + pick(1u << 30); /* unmapped */
	case 7:
		return rnd();
	default:
		return (uint64_t)buf + 8 * pick(64);
	}
}

static uint32_t rand_len(void)
{
	switch (pick(6)) {
	case 0:
		return 0;
	case 1:
		return (uint32_t)pick(64);
	case 2:
		return (uint32_t)pick(4096);
	case 3:
		return (uint32_t)rnd();
	default:
		return 8 * (uint32_t)pick(32);
	}
}

static uint32_t rand_cap(bool for_release)
{
	switch (pick(5)) {
	case 0:
		return (uint32_t)rnd();
	case 1:
		return (uint32_t)pick(256) | (uint32_t)pick(4) << 24; /* maybe stale */
	default: {
		uint32_t c = caps[pick(ncaps)];
		return for_release && c == console ? caps[0] : c;
	}
	}
}

static void fill_sqe(struct cap_sqe *s)
{
	memset(s, 0, sizeof(*s));
	s->opcode = (uint8_t)(pick(8) == 0 ? rnd() : pick(9));
	s->cap_id = rand_cap(s->opcode == CAP_OP_RELEASE);
	s->user_data = rnd();
	if (pick(8) == 0)
		s->flags = (uint8_t)rnd();
	else if (s->opcode == CAP_OP_PARK || pick(6) == 0)
		s->flags = CAP_SQE_THREAD_OWNED;
	if (s->opcode == CAP_OP_CALL || s->opcode == CAP_OP_RETURN || pick(6) == 0) {
		s->method_id = (uint16_t)(pick(8) == 0 ? rnd() : pick(7));
		s->addr = rand_addr();
		s->len = rand_len();
	}
	if (s->opcode == CAP_OP_CALL || s->opcode == CAP_OP_RECV || pick(6) == 0) {
		s->result_addr = rand_addr();
		s->result_len = rand_len();
	}
	if (s->opcode == CAP_OP_PARK || s->opcode == CAP_OP_UNPARK) {
		s->addr = pick(2) ? (uint64_t)buf + 4 * pick(16) : rand_addr();
		s->len = (uint32_t)pick(3); /* a small expected value or wake count */
		s->pipeline_dep = pick(4) ? pick(100000) : 0; /* bounded: never park for long */
		s->call_id = capos_thread_self();
	}
	if (pick(10) == 0)
		s->xfer_cap_count = (uint16_t)pick(10);
	if (pick(12) == 0)
		s->call_id = (uint32_t)rnd();
	if (pick(20) == 0)
		s->pipeline_dep = rnd();
	if (pick(20) == 0)
		s->pipeline_field = (uint16_t)rnd();
	if (pick(30) == 0)
		s->reserved0 = rnd();
	/* Random bytes where payloads and descriptors may be read. */
	for (int i = 0; i < 8; i++)
		buf[pick(sizeof(buf))] = (uint8_t)rnd();
	/* Park words never hold 0..2, so a park never matches by chance. */
	for (int i = 0; i < 16; i++)
		((uint32_t *)buf)[i] |= 0x100;
	/* The console must survive to print the summary: it is never released,
	 * and never moved away by a transfer descriptor in our buffer. */
	if (s->opcode == CAP_OP_RELEASE && s->cap_id == console)
		s->cap_id = caps[0] == console ? caps[1] : caps[0];
	uint64_t at = s->addr + ((s->len + 7ull) & ~7ull);
	for (uint32_t i = 0; i < s->xfer_cap_count; i++) {
		uint64_t d = at + i * sizeof(struct cap_transfer_descriptor);
		if (d >= (uint64_t)buf &&
		    d + sizeof(struct cap_transfer_descriptor) <= (uint64_t)buf + sizeof(buf)) {
			struct cap_transfer_descriptor *x = (void *)d;
			if (x->cap_id == console && x->mode == CAP_TRANSFER_MODE_MOVE)
				x->mode = CAP_TRANSFER_MODE_COPY;
		}
	}
}

static uint64_t results[24], cqes, bad;

static void take_cqes(struct cap_ring *r)
{
	struct cap_ring_header *h = &r->hdr;
	uint32_t tail = __atomic_load_n(&h->cq_tail, __ATOMIC_ACQUIRE);
	while (h->cq_head != tail) {
		struct cap_cqe c = r->cq[h->cq_head & (CAP_CQ_ENTRIES - 1)];
		h->cq_head++;
		cqes++;
		bool defined = c.result >= -20 && c.reserved0 == 0 && c.reserved1 == 0 &&
			       (c.flags & ~CAP_CQE_TRANSFER_RESULT_CAPS) == 0;
		if (!defined)
			bad++;
		if (c.result < 0 && c.result >= -20)
			results[-c.result]++;
		else if (c.result >= 0)
			results[0]++;
	}
}

int main(struct capos_rt *rt)
{
	const struct capset_header *cs = rt->capset;
	const struct capset_entry *e = (const struct capset_entry *)(cs + 1);
	struct cap_ring *r = rt->ring;
	struct cap_ring_header *h = &r->hdr;
	uint64_t submitted = 0, corruptions = 0;

	if (capos_lookup(rt, "console", CAPOS_CONSOLE_INTERFACE_ID, &console) != 0)
		return 2;
	for (uint32_t i = 0; i < cs->count && ncaps < 16; i++)
		caps[ncaps++] = e[i].cap_id;
	capos_printf(rt, "ring-fuzz: seed 0x%lx, %u SQEs over %u caps", (uint64_t)SEED, TOTAL,
		     ncaps);
	while (submitted < TOTAL) {
		unsigned batch = 1 + (unsigned)pick(CAP_SQ_ENTRIES);
		uint32_t head = __atomic_load_n(&h->sq_head, __ATOMIC_ACQUIRE);
		for (unsigned i = 0; i < batch && h->sq_tail - head < CAP_SQ_ENTRIES; i++) {
			fill_sqe(&r->sq[h->sq_tail & (CAP_SQ_ENTRIES - 1)]);
			__atomic_store_n(&h->sq_tail, h->sq_tail + 1, __ATOMIC_RELEASE);
			submitted++;
		}
		if (pick(200) == 0) { /* corrupt an index now and then */
			corruptions++;
			if (pick(2))
				h->sq_tail = (uint32_t)rnd();
			else
				h->cq_head = (uint32_t)rnd();
		}
		capos_cap_enter(0, 0);
		if (h->sq_tail - h->sq_head > CAP_SQ_ENTRIES)
			h->sq_tail = h->sq_head; /* recover our side of a corrupted tail */
		if (h->cq_tail - h->cq_head > CAP_CQ_ENTRIES)
			h->cq_head = h->cq_tail; /* and of a corrupted head */
		take_cqes(r);
	}
	/* Drain: nothing more is submitted; completions already due arrive. */
	h->sq_tail = h->sq_head;
	capos_cap_enter(0, 0);
	take_cqes(r);
	h->cq_head = h->cq_tail;
	rt->next_user_data = 1u << 30; /* far from the fuzzed user_data */
	capos_printf(rt,
		     "ring-fuzz: %lu SQEs, %lu CQEs, %lu index corruptions; %lu ok, "
		     "%lu invalid cap, %lu reserved field, %lu unsupported; %lu undefined",
		     submitted, cqes, corruptions, results[0], results[4], results[3], results[1],
		     bad);
	return bad ? 1 : 0;
}

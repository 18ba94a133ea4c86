/*
 * Threaded stress test of the ring protocol under ThreadSanitizer.
 *
 * Two threads share one struct cap_ring and run the real lib/ring code: a
 * "user" thread submits CALL SQEs with ring_sq_push and takes completions
 * with ring_cq_take (as libcapos does), and a "kernel" thread reads the
 * tail with ring_sq_tail_load, bounds it with ring_sq_pending, checks CQ
 * room with ring_cq_space over ring_cq_head_load, copies each SQE with
 * ring_sq_copy, writes its CQE with ring_cq_write and publishes its head,
 * and publishes cq_tail with ring_cq_publish_tail, after each CQE or once
 * for the window of SQEs it read (kernel/cap/ring.c's dispatch publishes
 * once per dispatch). Every field of every SQE and CQE is derived from
 * its sequence number, so a slot read before it was
 * written, overwritten before it was read, lost, duplicated or delivered
 * out of order fails a check; a missing acquire or release fails under
 * ThreadSanitizer as a data race on the slot. The counters start just
 * below 2^32 so they wrap during the run.
 *
 * Cases: an eager user (takes completions as they come) and a lazy user
 * (takes them only when the SQ is full, so the CQ fills and the kernel
 * must hold back: backpressure), each with a kernel that publishes every
 * CQE and with one that publishes per window. Both are needed: a window
 * publication hides most of the interleavings that show a relaxed
 * cq_head store. Prints TAP; usage: ring_stress [ENTRIES].
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/ring/ring.h"

#define START 0xfffff000u /* free-running counters wrap early in the run */

static struct cap_ring ring __attribute__((aligned(4096)));
static uint32_t entries;
static int lazy;
static int windowed; /* the kernel publishes cq_tail once per window */

static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static struct cap_sqe sqe_for(uint32_t seq)
{
	return (struct cap_sqe){ .opcode = CAP_OP_CALL,
				 .cap_id = seq | 1,
				 .method_id = (uint16_t)(seq * 7),
				 .user_data = 0x5e00000000000000ull | seq,
				 .addr = (uint64_t)seq * 3,
				 .len = ~seq,
				 .result_len = seq ^ 0x55,
				 .result_addr = (uint64_t)seq << 20 };
}

static struct cap_cqe cqe_for(uint32_t seq)
{
	return (struct cap_cqe){ .user_data = 0x5e00000000000000ull | seq,
				 .result = (int32_t)(seq & 0x7fffffff),
				 .flags = seq & 1,
				 .cap_count = seq & 7 };
}

static int sqe_equal(const struct cap_sqe *a, const struct cap_sqe *b)
{
	return a->opcode == b->opcode && a->flags == b->flags && a->method_id == b->method_id &&
	       a->cap_id == b->cap_id && a->user_data == b->user_data && a->addr == b->addr &&
	       a->len == b->len && a->result_len == b->result_len &&
	       a->result_addr == b->result_addr && a->pipeline_dep == b->pipeline_dep &&
	       a->pipeline_field == b->pipeline_field && a->xfer_cap_count == b->xfer_cap_count &&
	       a->call_id == b->call_id && a->reserved0 == b->reserved0;
}

static int cqe_equal(const struct cap_cqe *a, const struct cap_cqe *b)
{
	return a->user_data == b->user_data && a->result == b->result && a->flags == b->flags &&
	       a->cap_count == b->cap_count && a->reserved0 == b->reserved0 &&
	       a->reserved1 == b->reserved1;
}

static void fail(const char *who, const char *what, uint32_t seq)
{
	printf("not ok - %s: %s at entry %u\n", who, what, seq);
	exit(1);
}

/* The kernel's dispatch loop, cut down to the ring protocol. */
static void *kernel_thread(void *arg)
{
	uint32_t head = START, tail = START, seq = 0, rnd = 0x2545f491;
	(void)arg;

	while (seq < entries) {
		int pending = ring_sq_pending(head, ring_sq_tail_load(&ring));
		if (pending < 0)
			fail("kernel", "corrupt sq_tail from an honest user", seq);
		uint32_t budget = 1 + next_rand(&rnd) % CAP_SQ_ENTRIES;
		for (uint32_t i = 0; i < (uint32_t)pending && i < budget; i++) {
			/* CQ full: wait for room inside this window, without a
			 * fresh look at sq_tail, then give up (backpressure: the
			 * SQE stays pending). Only cq_head orders the user's
			 * reads of the slots before the kernel's reuse. */
			uint32_t spins = next_rand(&rnd) & 1 ? 2000 : 0;
			while (ring_cq_space(tail, ring_cq_head_load(&ring)) == 0 && spins > 0)
				spins--;
			if (ring_cq_space(tail, ring_cq_head_load(&ring)) == 0)
				break;
			struct cap_sqe sqe, want = sqe_for(seq);
			ring_sq_copy(&ring, head, &sqe);
			if (ring_sqe_check(&sqe) != 0 || !sqe_equal(&sqe, &want))
				fail("kernel", "SQE lost, torn or out of order", seq);
			struct cap_cqe cqe = cqe_for(seq);
			ring_cq_write(&ring, tail++, &cqe);
			if (!windowed)
				ring_cq_publish_tail(&ring, tail);
			ring_sq_publish_head(&ring, ++head);
			seq++;
		}
		if (windowed)
			ring_cq_publish_tail(&ring, tail);
		if ((next_rand(&rnd) & 63) == 0)
			sched_yield();
	}
	return NULL;
}

/* libcapos's submit and take, with checks. */
static void run_user(void)
{
	uint32_t submitted = 0, taken = 0, rnd = 0x9e3779b9;

	while (taken < entries) {
		uint32_t burst = 1 + next_rand(&rnd) % (CAP_SQ_ENTRIES + 4);
		int full = 0;
		for (uint32_t i = 0; i < burst && submitted < entries; i++) {
			struct cap_sqe sqe = sqe_for(submitted);
			if (ring_sq_push(&ring, &sqe) < 0) {
				full = 1;
				break;
			}
			submitted++;
		}
		if (lazy && !full && submitted < entries)
			continue; /* let the CQ fill up */
		struct cap_cqe cqe;
		while (ring_cq_take(&ring, &cqe)) {
			struct cap_cqe want = cqe_for(taken);
			if (taken >= submitted)
				fail("user", "completion for an entry never submitted", taken);
			if (!cqe_equal(&cqe, &want))
				fail("user", "CQE lost, duplicated, torn or out of order", taken);
			taken++;
		}
		if ((next_rand(&rnd) & 63) == 0)
			sched_yield();
	}
}

static int run_case(int n, int lazy_user, int windowed_kernel)
{
	pthread_t k;

	ring = (struct cap_ring){ .hdr = { .sq_head = START,
					   .sq_tail = START,
					   .cq_head = START,
					   .cq_tail = START,
					   .sq_entries = CAP_SQ_ENTRIES,
					   .cq_entries = CAP_CQ_ENTRIES } };
	lazy = lazy_user;
	windowed = windowed_kernel;
	if (pthread_create(&k, NULL, kernel_thread, NULL) != 0)
		fail("main", "pthread_create", 0);
	run_user();
	pthread_join(k, NULL);
	uint32_t end = START + entries;
	struct cap_cqe extra;
	if (ring.hdr.sq_head != end || ring.hdr.sq_tail != end || ring.hdr.cq_head != end ||
	    ring.hdr.cq_tail != end || ring_cq_take(&ring, &extra))
		fail("main", "indexes do not end where they should", entries);
	printf("ok %d - %s user, cq_tail published %s: %u entries through the ring in FIFO "
	       "order, none lost or duplicated, counters wrapped\n",
	       n, lazy_user ? "lazy (CQ-full backpressure)" : "eager",
	       windowed_kernel ? "per window" : "per CQE", entries);
	return 0;
}

int main(int argc, char **argv)
{
	entries = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 200000;
	if (entries <= 0x1000)
		entries = 0x1001; /* enough to wrap the counters */
	run_case(1, 0, 0);
	run_case(2, 1, 0);
	run_case(3, 0, 1);
	run_case(4, 1, 1);
	printf("1..4\n");
	return 0;
}

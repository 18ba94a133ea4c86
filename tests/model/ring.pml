/*
 * SPIN model of the capability ring's SQ/CQ protocol (DESIGN.md §1: the
 * C edition's counterpart of the spec's Loom model). One user and one
 * kernel share the page; counters are free-running and wrap (bytes here,
 * 32 bits in the ABI); the kernel keeps its own sq_head and cq_tail and only
 * publishes them, and reads sq_tail and cq_head once per use, as
 * kernel/cap/ring.c does. The CQEs of one dispatch are published by one
 * store of cq_tail at its end, or any of them earlier (the kernel
 * publishes before a thread parks or exits, and a deferred completion at
 * once).
 *
 * Checked (assertions): a dispatch handles at most SQ entries; the CQ never
 * holds more than CQ completions; and, for an honest user, every
 * submission completes exactly once and in order, with no deadlock.
 * With -DCORRUPT the user also scribbles over sq_tail once: the kernel must
 * recover (drop the window) with the same bounds, whatever is lost.
 */
#define SQ 2
#define CQ 4
#define N 6
#define DIFF(a, b) (((a) - (b)) & 255)

byte sq_head, sq_tail, cq_head, cq_tail; /* the shared page's counters */
byte sq[SQ];
byte cq[CQ];
bool done;

active proctype user()
{
	byte next = 1, expect = 1;
#ifdef CORRUPT
	bool corrupted = false;
#endif
	do
	:: expect > N -> break
	:: next <= N && DIFF(sq_tail, sq_head) < SQ ->
		sq[sq_tail % SQ] = next;
		sq_tail = (sq_tail + 1) & 255;
		next++
	:: DIFF(cq_tail, cq_head) > 0 ->
#ifndef CORRUPT
		assert(cq[cq_head % CQ] == expect);
#endif
		expect++;
		cq_head = (cq_head + 1) & 255
#ifdef CORRUPT
	:: !corrupted -> sq_tail = (sq_head + 100) & 255; corrupted = true
	:: corrupted && DIFF(cq_tail, cq_head) == 0 -> break
#endif
	od;
	done = true
}

active proctype kernel()
{
	byte k_head, k_cqt, t, h, pending, n, used;
	do
	:: done -> break
	:: !done ->
		t = sq_tail; /* read once */
		pending = DIFF(t, k_head);
		if
		:: pending > SQ -> k_head = t; sq_head = t; pending = 0 /* corrupt: drop the window */
		:: else -> skip
		fi;
		n = 0;
		do
		:: n < pending ->
			h = cq_head; /* read once */
			used = DIFF(k_cqt, h);
			if
			:: used >= CQ -> break /* full (or corrupt) CQ: the SQE stays pending */
			:: else -> skip
			fi;
			cq[k_cqt % CQ] = sq[k_head % SQ];
			k_cqt = (k_cqt + 1) & 255;
			if
			:: cq_tail = k_cqt /* published now, */
			:: skip /* or with the rest of the dispatch, below */
			fi;
			k_head = (k_head + 1) & 255;
			sq_head = k_head;
			n++;
			assert(DIFF(cq_tail, cq_head) <= CQ)
		:: else -> break
		od;
		cq_tail = k_cqt; /* one store publishes every CQE still unpublished */
		assert(DIFF(cq_tail, cq_head) <= CQ);
		assert(n <= SQ)
	od
}

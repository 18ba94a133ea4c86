/*
 * SPIN model of reserved CQ credits (spec: Park Authority Contract;
 * docs/abi.md "Deferred completions"; kernel/cap/ring.c dispatch,
 * ring_reserve_cq, ring_complete; kernel/cap/park.c).
 *
 * Two user threads submit NOPs, CALLs and PARKs in any order and take
 * completions whenever they like, or not at all for a while; a PARK at
 * the SQ head stops a sibling's dispatch (thread-owned, NOT_OWNER). Dispatch (in
 * its cap_enter, atomic: the kernel is not preemptible) stops when the
 * CQ's free space is no more than the reserved slots. A CALL completes at
 * once, or is deferred: accepted only when a slot can be reserved while
 * one more stays free (ring_reserve_cq), else it fails at once
 * (overloaded). A PARK mismatches or times out at once, or reserves a slot
 * the same way (else CAP_ERR_QUOTA) and blocks its thread inside dispatch
 * until a wake or its timeout, then posts into the reserved slot. A server
 * in another process completes deferred CALLs at any time.
 *
 * Checked: an ordinary completion always finds an unreserved free slot; a
 * deferred completion (wake, timeout, CALL result) always finds its
 * reserved one, so the CQ never overflows; every submission completes
 * exactly once (the user takes all N). With -DNORESERVE dispatch ignores
 * the reservations: SPIN must find the overflow.
 */
#define SQ 2
#define CQ 4
#define N 6 /* submissions */
#define M 16 /* counters wrap here (32 bits in the ABI) */
#define DIFF(a, b) (((a) + M - (b)) % M)
#define USED DIFF(cq_tail, cq_head)
#define NOP 1
#define CALL 2
#define PARK 3

byte sq_head, sq_tail, cq_head, cq_tail; /* the ring page */
byte sq[SQ];
byte reserved; /* cq_reserved */
byte deferred; /* accepted CALLs not yet completed */
byte owner[SQ]; /* the submitting thread: PARK is thread-owned */
bool parked[2]; /* blocked in park_block */
byte submitted, taken, posted;

/* post(): an ordinary completion, into an unreserved free slot. */
inline post()
{
	assert(USED < CQ);
#ifndef NORESERVE
	assert(CQ - USED > reserved);
#endif
	cq_tail = (cq_tail + 1) % M;
	posted++
}

/* ring_complete(): a deferred completion uses its reserved slot. */
inline complete()
{
	assert(USED < CQ);
	assert(reserved > 0 && CQ - USED >= reserved);
	reserved--;
	cq_tail = (cq_tail + 1) % M;
	posted++
}

#ifdef NORESERVE
#define HAS_ROOM (CQ - USED > 0)
#else
#define HAS_ROOM (CQ - USED > reserved)
#endif
#define CAN_RESERVE (CQ - USED > reserved + 1)

inline dispatch()
{
	do
	:: sq_head != sq_tail && HAS_ROOM ->
		op = sq[sq_head % SQ];
		if
		:: op == PARK && owner[sq_head % SQ] != me -> break /* NOT_OWNER */
		:: else -> skip
		fi;
		sq_head = (sq_head + 1) % M;
		if
		:: op == NOP -> post()
		:: op == CALL -> post() /* completes at once, or overloaded */
		:: op == CALL && CAN_RESERVE -> reserved++; deferred++
		:: op == PARK -> post() /* mismatch, zero timeout or no credit */
		:: op == PARK && CAN_RESERVE ->
			reserved++;
			parked[me] = true;
			!parked[me]; /* park_block: woken or timed out */
			complete();
			break /* the window is stale */
		fi
	:: else -> break
	od
}

proctype user(byte me)
{
	byte op;

	do
	:: atomic {
		submitted < N && DIFF(sq_tail, sq_head) < SQ ->
		if
		:: sq[sq_tail % SQ] = NOP
		:: sq[sq_tail % SQ] = CALL
		:: sq[sq_tail % SQ] = PARK
		fi;
		owner[sq_tail % SQ] = me;
		sq_tail = (sq_tail + 1) % M;
		submitted++
	}
	:: atomic { sq_head != sq_tail -> dispatch() } /* cap_enter */
	:: atomic { cq_head != cq_tail -> cq_head = (cq_head + 1) % M; taken++ }
	:: taken == N -> break
	od;
	assert(posted == N && reserved == 0 && deferred == 0)
}

init
{
	atomic {
		run user(0);
		run user(1)
	}
}

/* The server completes accepted CALLs. */
active proctype server()
{
end:
	do
	:: atomic { deferred > 0 -> deferred--; complete() }
	od
}

/* A sibling's UNPARK or the timeout: the parked thread runs again. */
active proctype waker()
{
end:
	do
	:: parked[0] -> parked[0] = false
	:: parked[1] -> parked[1] = false
	od
}

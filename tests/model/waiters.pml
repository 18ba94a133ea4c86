/*
 * SPIN model of waiting on one ring from two threads of a process: the
 * kernel's cap_enter (kernel/proc/syscall.c) with its one blocked waiter
 * per ring and its compare-and-block on the CQ head the caller saw, and
 * libcapos's capos_wait_any and take (user/rt/rt.c) with the completion
 * stash.
 *
 * One CPU and a kernel that is not preemptible (docs/threads.md): each
 * kernel step between two blocking points is atomic. User code is not:
 * under the runtime lock a thread takes one CQE per step, so the kernel
 * (a sibling in cap_enter, the server, the tick) runs between them. Each
 * thread submits one CALL and waits for its completion; the CALL completes
 * at dispatch or is deferred (a slot reserved) and posted later by a
 * server in another process. The tick dispatches nothing here (no NOPs
 * are submitted).
 *
 * Checked: at most one thread is ever blocked in cap_enter as the ring's
 * waiter; the CQ never overflows; every thread gets its own completion,
 * once, and nothing is left in the stash; no thread stays blocked (an
 * invalid end state is a lost wake-up); with -DNP and weak fairness, no
 * run cycles without a thread finishing (no livelock).
 *
 * A waiting thread passes the CQ head it saw when it looked (under the
 * runtime lock) to cap_enter, which does not block once the head has
 * moved. With -DNOSEEN it passes CAPOS_CQ_HEAD_ANY: a sibling can move
 * the thread's completion to the stash between its look and its block,
 * and SPIN must find the thread blocked for good (the lost wake-up that
 * the head check closes).
 */
#define T 2 /* threads */
#define SQ 2
#define CQ 4
#define STASH 2
#define NONE 255 /* "no thread": the server, the tick */
#define ANY 255 /* CAPOS_CQ_HEAD_ANY */
#define M 16 /* counters wrap here (32 bits in the ABI) */
#define DIFF(a, b) (((a) + M - (b)) % M)

/* the ring page and the kernel's view of the process */
byte sq_head, sq_tail, cq_head, cq_tail;
byte sq[SQ];
byte cq[CQ];
byte reserved; /* cq_reserved */
byte deferred[T]; /* user data of an accepted deferred CALL, 0: none */
bool ring_waiting;
byte ring_waiter;
bool sleeping[T]; /* blocked in sched_block */
byte blocked; /* threads blocked in cap_enter */

/* the runtime (user/rt/rt.c) */
bool rt_lock;
byte stash[STASH];
byte stashed;
byte finished;

inline post(ud, cur)
{
	assert(DIFF(cq_tail, cq_head) < CQ);
	cq[cq_tail % CQ] = ud;
	cq_tail = (cq_tail + 1) % M;
	if
	:: ring_waiting && ring_waiter != cur && sleeping[ring_waiter] ->
		sleeping[ring_waiter] = false /* sched_wake */
	:: else -> skip
	fi
}

/* ring.c dispatch(): from the tick (cur NONE) only NOPs run. */
inline dispatch(cur)
{
	do
	:: sq_head != sq_tail && CQ - DIFF(cq_tail, cq_head) > reserved ->
		ud = sq[sq_head % SQ];
		if
		:: cur == NONE -> break
		:: cur != NONE -> post(ud, cur) /* completes at once */
		:: cur != NONE && CQ - DIFF(cq_tail, cq_head) > reserved + 1 ->
			reserved++; /* deferred_begin: ring_reserve_cq */
			deferred[ud - 1] = ud
		fi;
		sq_head = (sq_head + 1) % M
	:: else -> break
	od
}

/* syscall.c cap_enter(min, timeout 0 when min is 0, else none, seen). */
inline cap_enter(min, seen)
{
	atomic {
		do
		:: true ->
			dispatch(me);
			if
			:: min == 0 || DIFF(cq_tail, cq_head) >= min -> break
			:: else -> skip
			fi;
			if
			:: ring_waiting && ring_waiter != me -> break /* yield, return */
			:: else -> skip
			fi;
			if
			:: seen != ANY && cq_head != seen -> break /* a sibling took some */
			:: else -> skip
			fi;
			ring_waiting = true;
			ring_waiter = me;
			head = cq_head;
			blocked++;
			assert(blocked == 1);
			sleeping[me] = true;
			!sleeping[me]; /* sched_block */
			blocked--;
			ring_waiting = false;
			if
			:: cq_head != head -> break /* a sibling consumed */
			:: else -> skip
			fi
		od
	}
}

inline lock()
{
	atomic { !rt_lock -> rt_lock = true }
}

inline unlock()
{
	rt_lock = false
}

/* rt.c submit(): push, draining the kernel while the SQ is full. */
inline submit(u)
{
	lock();
	do
	:: DIFF(sq_tail, sq_head) < SQ -> break
	:: else -> unlock(); cap_enter(0, ANY); lock()
	od;
	sq[sq_tail % SQ] = u;
	sq_tail = (sq_tail + 1) % M;
	unlock()
}

/* rt.c take(), with the lock held: found when my completion is taken. */
inline take()
{
	d_step {
		found = false;
		i = 0;
		do
		:: i < stashed && stash[i] == mine ->
			stashed--;
			stash[i] = stash[stashed];
			stash[stashed] = 0;
			found = true;
			break
		:: i < stashed && stash[i] != mine -> i++
		:: i == stashed -> break
		od;
		i = 0
	};
	do
	:: atomic { !found && cq_head != cq_tail ->
		c = cq[cq_head % CQ];
		cq_head = (cq_head + 1) % M;
		if
		:: c == mine -> found = true
		:: c != mine ->
			assert(stashed < STASH);
			stash[stashed] = c;
			stashed++
		fi;
		c = 0 }
	:: else -> break
	od
}

/* rt.c capos_wait_any() for one user data. */
inline wait_mine()
{
	do
	:: true ->
		lock();
		take();
#ifndef NOSEEN
		seen = cq_head;
#else
		seen = ANY;
#endif
		unlock();
		if
		:: found -> break
		:: else -> skip
		fi;
		cap_enter(1, seen)
	od
}

proctype thread(byte me)
{
	byte mine = me + 1, ud, head, c, i, seen;
	bool found;

	submit(mine);
	wait_mine();
progress: /* -DNP: no fair run cycles without a thread finishing */
	atomic {
		finished++;
		if
		:: finished == T -> assert(stashed == 0 && reserved == 0)
		:: else -> skip
		fi
	}
}

/* A server in another process completes accepted deferred CALLs. */
active proctype server()
{
	byte me = NONE;
end:
	do
	:: atomic { deferred[0] != 0 -> reserved--; post(deferred[0], me); deferred[0] = 0 }
	:: atomic { deferred[1] != 0 -> reserved--; post(deferred[1], me); deferred[1] = 0 }
	od
}

/* The timer tick, in whichever thread is running in user mode. */
active proctype tick()
{
	byte ud;
end:
	do
	:: atomic { sq_head != sq_tail -> dispatch(NONE) }
	od
}

init
{
	atomic {
		run thread(0);
		run thread(1)
	}
}

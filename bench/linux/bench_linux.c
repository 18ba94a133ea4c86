/*
 * The Linux side of `make bench`: the counterparts of capOS's ring, IPC,
 * park, thread and process figures, measured on the host in TSC cycles the
 * same way (median, min and max of per-operation samples after a warm-up
 * pass). Everything runs pinned to one CPU, as capOS runs on one:
 *   syscall(getppid)              cap_enter / ring NOP
 *   io_uring NOP, 1 and 16        ring NOP, unbatched and batched
 *   syscall(clock_gettime)        Timer.now CALL
 *   futex failed wait             PARK failed wait
 *   futex wake, no waiters        UNPARK empty
 *   futex ping-pong, 2 threads    PARK wake-to-resume, endpoint round trip
 *                                 between threads
 *   pipe ping-pong, 2 processes   endpoint round trip
 *   pthread create + join         thread create + join
 *   posix_spawn + waitpid         process spawn + wait
 * Output lines: "bench: NAME median=C min=C max=C cycles n=N"; a figure the
 * host cannot give (io_uring disabled, say) prints "bench: NAME
 * unavailable: WHY" instead.
 *
 * Usage: bench_linux [ITERATIONS]   (default 20000; spawn uses 1/20th)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <liburing.h>
#include <pthread.h>
#include <sched.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define ITER 20000

extern char **environ;

static uint64_t samples[ITER];
static unsigned iter = ITER;

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t tsc(void)
{
	_mm_lfence();
	return __rdtsc();
}

static void report(const char *name, unsigned n)
{
	qsort(samples, n, sizeof(samples[0]), cmp);
	printf("bench: %s median=%lu min=%lu max=%lu cycles n=%u\n", name,
	       (unsigned long)samples[n / 2], (unsigned long)samples[0],
	       (unsigned long)samples[n - 1], n);
	fflush(stdout);
}

static void unavailable(const char *name, const char *why)
{
	printf("bench: %s unavailable: %s\n", name, why);
	fflush(stdout);
}

static long futex(uint32_t *word, int op, uint32_t val)
{
	return syscall(SYS_futex, word, op, val, NULL, NULL, 0);
}

/* One figure: a warm-up pass, then a measured one. body(i) runs one
 * operation and returns its cycles, or 0 on failure. */
static int measure(const char *name, unsigned n, uint64_t (*body)(void))
{
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < n; i++) {
			if ((samples[i] = body()) == 0) {
				unavailable(name, strerror(errno));
				return -1;
			}
		}
	}
	report(name, n);
	return 0;
}

static uint64_t op_getppid(void)
{
	uint64_t t0 = tsc();
	syscall(SYS_getppid);
	return tsc() - t0;
}

static uint64_t op_clock_gettime(void)
{
	struct timespec ts;
	uint64_t t0 = tsc();
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return tsc() - t0;
}

static uint32_t word = 7;

static uint64_t op_futex_failed_wait(void)
{
	uint64_t t0 = tsc();
	futex(&word, FUTEX_WAIT_PRIVATE, 8);
	return tsc() - t0;
}

static uint64_t op_futex_empty_wake(void)
{
	uint64_t t0 = tsc();
	futex(&word, FUTEX_WAKE_PRIVATE, 1);
	return tsc() - t0;
}

/* ---- io_uring NOP ---- */

static struct io_uring ring;

/* n NOPs submitted together and all their completions reaped; cycles per op. */
static uint64_t uring_nops(unsigned n)
{
	uint64_t t0 = tsc();
	for (unsigned i = 0; i < n; i++)
		io_uring_prep_nop(io_uring_get_sqe(&ring));
	int err = io_uring_submit_and_wait(&ring, n);
	if (err < 0) {
		errno = -err;
		return 0;
	}
	unsigned head, seen = 0;
	struct io_uring_cqe *cqe;
	io_uring_for_each_cqe(&ring, head, cqe) seen++;
	io_uring_cq_advance(&ring, seen);
	uint64_t c = (tsc() - t0) / n;
	return c ? c : 1;
}

static uint64_t op_uring_nop(void)
{
	return uring_nops(1);
}

static uint64_t op_uring_nop16(void)
{
	return uring_nops(16);
}

/* ---- futex ping-pong between two threads on one CPU ---- */

static uint32_t turn; /* 0: the measuring thread's turn, 1: the partner's */
static volatile int stop;

static void pass_turn(uint32_t to)
{
	__atomic_store_n(&turn, to, __ATOMIC_RELEASE);
	futex(&turn, FUTEX_WAKE_PRIVATE, 1);
}

static void wait_turn(uint32_t mine)
{
	uint32_t v;
	while ((v = __atomic_load_n(&turn, __ATOMIC_ACQUIRE)) != mine)
		futex(&turn, FUTEX_WAIT_PRIVATE, v);
}

static void *partner(void *arg)
{
	(void)arg;
	for (;;) {
		wait_turn(1);
		if (stop)
			return NULL;
		pass_turn(0);
	}
}

static uint64_t op_futex_pingpong(void)
{
	uint64_t t0 = tsc();
	pass_turn(1);
	wait_turn(0);
	return tsc() - t0;
}

/* ---- pipe ping-pong between two processes on one CPU ---- */

static int to_child[2], to_parent[2];

static uint64_t op_pipe_pingpong(void)
{
	char c = 'x';
	uint64_t t0 = tsc();
	if (write(to_child[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1)
		return 0;
	return tsc() - t0;
}

static int pipe_pingpong(void)
{
	if (pipe(to_child) || pipe(to_parent))
		return -1;
	pid_t child = fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		char c;
		close(to_child[1]);
		close(to_parent[0]);
		while (read(to_child[0], &c, 1) == 1)
			if (write(to_parent[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	int err = measure("linux-pipe-pingpong", iter, op_pipe_pingpong);
	close(to_child[1]); /* the child reads EOF and exits */
	close(to_parent[0]);
	waitpid(child, NULL, 0);
	return err;
}

/* ---- thread and process lifecycle ---- */

static void *nothing(void *arg)
{
	return arg;
}

static uint64_t op_thread_create_join(void)
{
	pthread_t t;
	uint64_t t0 = tsc();
	if ((errno = pthread_create(&t, NULL, nothing, NULL)) != 0)
		return 0;
	pthread_join(t, NULL);
	return tsc() - t0;
}

static uint64_t op_spawn_wait(void)
{
	char *argv[] = { "true", NULL };
	pid_t pid;
	int status;
	uint64_t t0 = tsc();
	if ((errno = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ)) != 0)
		return 0;
	if (waitpid(pid, &status, 0) != pid)
		return 0;
	return tsc() - t0;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		iter = (unsigned)atoi(argv[1]);
	if (iter < 20 || iter > ITER)
		iter = ITER;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	if (sched_setaffinity(0, sizeof(one), &one) != 0)
		perror("bench: sched_setaffinity (figures are not single-CPU)");

	measure("linux-syscall-getppid", iter, op_getppid);
	measure("linux-syscall-clock_gettime", iter, op_clock_gettime);
	measure("linux-futex-failed-wait", iter, op_futex_failed_wait);
	measure("linux-futex-empty-wake", iter, op_futex_empty_wake);

	int err = io_uring_queue_init(32, &ring, 0);
	if (err < 0) {
		unavailable("linux-io_uring-nop", strerror(-err));
		unavailable("linux-io_uring-nop-batch16", strerror(-err));
	} else {
		measure("linux-io_uring-nop", iter, op_uring_nop);
		measure("linux-io_uring-nop-batch16", iter / 16, op_uring_nop16);
		io_uring_queue_exit(&ring);
	}

	pthread_t t;
	if ((err = pthread_create(&t, NULL, partner, NULL)) != 0) {
		unavailable("linux-futex-pingpong", strerror(err));
	} else {
		measure("linux-futex-pingpong", iter, op_futex_pingpong);
		stop = 1;
		pass_turn(1);
		pthread_join(t, NULL);
	}
	pipe_pingpong();
	measure("linux-thread-create-join", iter / 4, op_thread_create_join);
	measure("linux-process-spawn-wait", iter / 20, op_spawn_wait);
	return 0;
}

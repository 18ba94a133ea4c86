/*
 * The Linux side of `make bench`: the counterparts of capOS's ring and IPC
 * figures, measured on the host in TSC cycles the same way (median, min
 * and max of per-operation samples after a warm-up):
 *   syscall(getppid)            cap_enter / ring NOP
 *   syscall(clock_gettime)      Timer.now CALL
 *   futex failed wait           PARK failed wait
 *   futex wake, no waiters      UNPARK empty
 *   pipe ping-pong, 2 processes endpoint round trip
 * Output lines: "bench: NAME median=C min=C max=C cycles n=N".
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#define ITER 20000

static uint64_t samples[ITER];

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
}

int main(int argc, char **argv)
{
	unsigned iter = argc > 1 ? (unsigned)atoi(argv[1]) : ITER;
	static uint32_t word = 7;
	struct timespec ts;
	if (iter == 0 || iter > ITER)
		iter = ITER;
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < iter; i++) {
			uint64_t t0 = tsc();
			syscall(SYS_getppid);
			samples[i] = tsc() - t0;
		}
		if (pass)
			report("linux-syscall-getppid", iter);
		for (unsigned i = 0; i < iter; i++) {
			uint64_t t0 = tsc();
			syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
			samples[i] = tsc() - t0;
		}
		if (pass)
			report("linux-syscall-clock_gettime", iter);
		for (unsigned i = 0; i < iter; i++) {
			uint64_t t0 = tsc();
			syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 8, NULL, NULL, 0);
			samples[i] = tsc() - t0;
		}
		if (pass)
			report("linux-futex-failed-wait", iter);
		for (unsigned i = 0; i < iter; i++) {
			uint64_t t0 = tsc();
			syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
			samples[i] = tsc() - t0;
		}
		if (pass)
			report("linux-futex-empty-wake", iter);
	}
	int to[2], back[2];
	if (pipe(to) || pipe(back))
		return 1;
	pid_t child = fork();
	if (child == 0) {
		char c;
		while (read(to[0], &c, 1) == 1)
			if (write(back[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	for (int pass = 0; pass < 2; pass++) {
		for (unsigned i = 0; i < iter; i++) {
			char c = 'x';
			uint64_t t0 = tsc();
			if (write(to[1], &c, 1) != 1 || read(back[0], &c, 1) != 1)
				return 1;
			samples[i] = tsc() - t0;
		}
		if (pass)
			report("linux-pipe-pingpong", iter);
	}
	close(to[1]);
	waitpid(child, NULL, 0);
	return 0;
}

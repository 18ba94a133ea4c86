/*
 * ThreadHandle objects (kernel/cap/thread_handle.c), made by ThreadSpawner
 * and told by the process code when their thread exits.
 */
#pragma once

#include <stdint.h>

#include "kernel/cap/object.h"
#include "lib/cap/ledger.h"

struct thread;

/* A handle for thread t of the process whose ledger is l (no references). */
struct kobj *thread_handle_new(struct thread *t, struct ledger *l);
/* Its thread exited with code: complete a join waiter, keep or release the
 * thread-record charge, drop the thread's link. */
void thread_handle_exited(struct kobj *h, int64_t code, struct ledger *l);

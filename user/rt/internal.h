/*
 * libcapos internals shared by its files, not part of the program-facing
 * surface: the runtime lock that makes the single ring client, the
 * release queue and the heap safe to use from several threads.
 *
 * The lock is a spin lock held only for a few instructions: never across
 * cap_enter (a PARK dispatched there blocks its thread), never across a
 * call that can block.
 */
#pragma once

#include <stdint.h>

void capos_rt_lock(void);
void capos_rt_unlock(void);
/* The calling thread's kernel thread id (its TLS). */
uint32_t capos_self_tid(void);
void capos_thread_set_tid(uint32_t tid);
/* The process's runtime (NULL before capos_start set it up). */
struct capos_rt *capos_rt_current(void);
/* Thread runtime set-up at start (user/rt/thread.c). */
void capos_thread_init(uint32_t tid);

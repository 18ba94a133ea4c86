/*
 * ProcessHandle objects (kernel/cap/process_handle.c), created by
 * ProcessSpawner and told by the process code when their child exits.
 */
#pragma once

#include <stdint.h>

#include "kernel/cap/object.h"

/* A fresh handle with no references, or NULL when memory is short. */
struct kobj *process_handle_new(void);
/* The child exited with code: complete a registered waiter, then drop the
 * child's link to the handle. */
void process_handle_exited(struct kobj *h, int64_t code);

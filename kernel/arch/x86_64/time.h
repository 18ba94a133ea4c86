/*
 * Time: the legacy PIC (remapped, masked), the PIT (calibration, and the
 * tick fallback), the local APIC timer (the periodic tick on vector 48),
 * and the monotonic nanosecond clock (the invariant TSC, or the tick count
 * when there is none).
 */
#pragma once

#include <stdint.h>

#define TIMER_HZ 100 /* scheduler tick; the spec's periodic timer rate */

void time_init(void);
/* Nanoseconds since time_init. */
uint64_t clock_ns(void);
uint64_t timer_ticks(void);

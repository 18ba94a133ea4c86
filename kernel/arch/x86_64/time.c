/*
 * Clocks and the timer tick. PIT channel 2 (gate via port 0x61, output in
 * bit 5) gives a known 10 ms interval against which the TSC and the LAPIC
 * timer are calibrated. The LAPIC timer then ticks at TIMER_HZ on vector
 * 48; without a usable APIC (or if calibration reads nothing) the PIT's
 * channel 0 ticks on IRQ 0 through the PIC instead. The clock is the
 * invariant TSC when the CPU has one, else the tick count.
 */
#include "kernel/arch/x86_64/time.h"

#include <stdbool.h>

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/io.h"
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/trap.h"
#include "kernel/boot/boot.h"
#include "kernel/cap/terminal.h"
#include "kernel/klog.h"
#include "kernel/mm/paging.h"
#include "kernel/proc/proc.h"

#define PIT_HZ		 1193182u
#define PIT_CAL_MS	 10
#define MSR_APIC_BASE	 0x1b
#define LAPIC_EOI	 0xb0
#define LAPIC_SVR	 0xf0
#define LAPIC_LVT_TIMER	 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	 0x390
#define LAPIC_TIMER_DIV	 0x3e0
#define LVT_MASKED	 (1u << 16)
#define LVT_PERIODIC	 (1u << 17)

static volatile uint32_t *lapic;
static volatile uint64_t ticks;
static uint64_t tsc_hz, tsc_start, tsc_mult; /* ns = (delta * tsc_mult) >> 32 */
static bool use_tsc;

static uint32_t lapic_read(uint32_t reg)
{
	return lapic[reg / 4];
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

/* Busy-wait PIT_CAL_MS on PIT channel 2 (one-shot, mode 0). */
static void pit_wait_cal(void)
{
	uint16_t count = PIT_HZ / (1000 / PIT_CAL_MS);
	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0);			/* channel 2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	for (uint32_t spin = 0; !(inb(0x61) & 0x20) && spin < 100000000; spin++)
		;
}

static void calibrate_tsc(void)
{
	uint64_t t0 = rdtsc();
	pit_wait_cal();
	tsc_hz = (rdtsc() - t0) * (1000 / PIT_CAL_MS);
	use_tsc = cpu.invariant_tsc && tsc_hz != 0;
	if (tsc_hz)
		tsc_mult = (1000000000ULL << 32) / tsc_hz;
}

static void tick_lapic(struct trap_frame *tf)
{
	ticks++;
	lapic_write(LAPIC_EOI, 0);
	terminal_poll();
	sched_tick((tf->cs & 3) == 3);
}

static void tick_pit(struct trap_frame *tf)
{
	ticks++;
	pic_eoi(0);
	terminal_poll();
	sched_tick((tf->cs & 3) == 3);
}

static void spurious(struct trap_frame *tf)
{
	(void)tf; /* a spurious APIC interrupt needs no EOI */
}

/* Start the LAPIC timer; returns its input clock in Hz, or 0 on failure. */
static uint64_t lapic_timer_start(void)
{
	if (!cpu.apic)
		return 0;
	uint64_t base = rdmsr(MSR_APIC_BASE) & 0xfffff000ULL;
	paging_mmio(base);
	lapic = phys_to_virt(base);
	lapic_write(LAPIC_SVR, 0x100 | CAPOS_VEC_SPURIOUS); /* software enable */
	lapic_write(LAPIC_TIMER_DIV, 0x3);		    /* divide by 16 */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
	pit_wait_cal();
	uint32_t elapsed = 0xffffffffu - lapic_read(LAPIC_TIMER_CUR);
	if (elapsed == 0)
		return 0;
	uint64_t hz = (uint64_t)elapsed * (1000 / PIT_CAL_MS);
	idt_set_handler(CAPOS_VEC_LAPIC_TIMER, tick_lapic);
	idt_set_handler(CAPOS_VEC_SPURIOUS, spurious);
	lapic_write(LAPIC_LVT_TIMER, CAPOS_VEC_LAPIC_TIMER | LVT_PERIODIC);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)(hz / TIMER_HZ));
	return hz;
}

static void pit_timer_start(void)
{
	uint16_t count = PIT_HZ / TIMER_HZ;
	outb(0x43, 0x34); /* channel 0, lo/hi, mode 2 (rate generator) */
	outb(0x40, count & 0xff);
	outb(0x40, count >> 8);
	idt_set_handler(CAPOS_VEC_PIC_BASE + 0, tick_pit);
	pic_unmask(0);
}

/* Let the tick run for a few periods to show it is alive. */
static void tick_check(void)
{
	uint64_t start = clock_ns(), want = ticks + 5;
	__asm__ volatile("sti");
	for (uint64_t spin = 0; ticks < want && spin < 50000000; spin++)
		__asm__ volatile("hlt");
	__asm__ volatile("cli");
	if (ticks < want)
		kernel_halt_failure("time: the timer tick never arrived");
	kprintf("time: 5 ticks arrived, %lu us on the clock\n", (clock_ns() - start) / 1000);
}

void time_init(void)
{
	pic_init();
	calibrate_tsc();
	tsc_start = rdtsc();
	uint64_t lapic_hz = lapic_timer_start();
	if (lapic_hz)
		kprintf("time: lapic timer %u Hz (bus %lu MHz), ", TIMER_HZ,
			lapic_hz * 16 / 1000000);
	else {
		pit_timer_start();
		kprintf("time: pit timer %u Hz (no usable lapic), ", TIMER_HZ);
	}
	if (use_tsc)
		kprintf("clock tsc %lu MHz invariant\n", tsc_hz / 1000000);
	else
		kprintf("clock ticks (tsc %lu MHz, not invariant)\n", tsc_hz / 1000000);
	tick_check();
}

uint64_t clock_ns(void)
{
	if (use_tsc)
		return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_start) * tsc_mult) >> 32);
	return ticks * (1000000000ULL / TIMER_HZ);
}

uint64_t timer_ticks(void)
{
	return ticks;
}

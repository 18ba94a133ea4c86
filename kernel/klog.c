/*
 * Kernel log and halting. kprintf formats with lib/fmt straight to COM1.
 */
#include "kernel/klog.h"

#include <stdarg.h>

#include "include/capos/abi.h"
#include "kernel/arch/x86_64/io.h"
#include "kernel/dev/serial.h"
#include "lib/fmt/fmt.h"

static void com1_sink(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	serial_write(CAPOS_COM1, s, len);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(com1_sink, NULL, fmt, ap);
	va_end(ap);
}

static noreturn void halt_with(uint8_t code)
{
	__asm__ volatile("cli");
	outb(CAPOS_DEBUG_EXIT_PORT, code);
	for (;;)
		__asm__ volatile("hlt");
}

noreturn void kernel_halt_clean(void)
{
	kprintf("kernel: halting (clean)\n");
	halt_with(CAPOS_EXIT_CLEAN);
}

noreturn void kernel_halt_failure(const char *fmt, ...)
{
	va_list ap;
	kprintf("panic: ");
	va_start(ap, fmt);
	fmt_vformat(com1_sink, NULL, fmt, ap);
	va_end(ap);
	kprintf("\n");
	halt_with(CAPOS_EXIT_FAILURE);
}

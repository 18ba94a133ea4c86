/*
 * 16550 UART setup, polled output and input (115200 8N1, FIFOs on,
 * interrupts off: the terminal polls input from the timer tick).
 * '\n' goes out as "\r\n" so both logs read well in a terminal.
 */
#include "kernel/dev/serial.h"

#include "kernel/arch/x86_64/io.h"

enum {
	DATA = 0,
	IER = 1,
	FCR = 2,
	LCR = 3,
	MCR = 4,
	LSR = 5
};

void serial_init(uint16_t port)
{
	outb(port + IER, 0x00);
	outb(port + LCR, 0x80); /* DLAB: set the divisor */
	outb(port + DATA, 1);	/* 115200 baud */
	outb(port + IER, 0);
	outb(port + LCR, 0x03); /* 8N1 */
	outb(port + FCR, 0xc7); /* FIFOs on, cleared, 14-byte threshold */
	outb(port + MCR, 0x03); /* DTR, RTS */
}

static void put(uint16_t port, char c)
{
	for (int spin = 0; spin < 100000 && !(inb(port + LSR) & 0x20); spin++)
		;
	outb(port + DATA, (uint8_t)c);
}

void serial_write(uint16_t port, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			put(port, '\r');
		put(port, s[i]);
	}
}

void serial_write_raw(uint16_t port, const void *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		put(port, ((const char *)s)[i]);
}

bool serial_read(uint16_t port, uint8_t *byte)
{
	if (!(inb(port + LSR) & 0x01))
		return false;
	*byte = inb(port + DATA);
	return true;
}

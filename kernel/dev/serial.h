/*
 * 16550 UARTs: COM1 carries the kernel log and the Console capability, COM2
 * the terminal. Polled output; input arrives with the terminal issue.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

void serial_init(uint16_t port);
void serial_write(uint16_t port, const char *s, size_t len);

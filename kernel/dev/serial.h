/*
 * 16550 UARTs: COM1 carries the kernel log and the Console capability, COM2
 * the terminal. Polled output and input.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void serial_init(uint16_t port);
void serial_write(uint16_t port, const char *s, size_t len);
/* Bytes exactly as given (no newline translation). */
void serial_write_raw(uint16_t port, const void *s, size_t len);
/* One received byte, if the UART holds one. */
bool serial_read(uint16_t port, uint8_t *byte);

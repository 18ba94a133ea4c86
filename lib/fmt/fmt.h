/*
 * lib/fmt — a freestanding printf-style formatter for the kernel log and
 * userspace output. Conversions: %d %i %u %x %X %p %s %c %%, length
 * modifiers l, ll and z, a width, the '-' and '0' flags, and a precision on
 * %s (%.Ns, or %.*s taking the precision as an int argument). Output goes to a sink callback, so
 * the same core writes to a serial port, a ring buffer or a string. Host-tested against the host's
 * snprintf.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/* Receives len bytes of output; ctx is the caller's. */
typedef void (*fmt_sink)(void *ctx, const char *s, size_t len);

/* Format to a sink; returns the number of bytes produced. */
size_t fmt_vformat(fmt_sink sink, void *ctx, const char *f, va_list ap);
size_t fmt_format(fmt_sink sink, void *ctx, const char *f, ...)
	__attribute__((format(printf, 3, 4)));

/* snprintf semantics: writes at most size-1 bytes and a NUL (if size > 0);
 * returns the length the full output would have had. */
size_t fmt_vsnprintf(char *buf, size_t size, const char *f, va_list ap);
size_t fmt_snprintf(char *buf, size_t size, const char *f, ...)
	__attribute__((format(printf, 3, 4)));

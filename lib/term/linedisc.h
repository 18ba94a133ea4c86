/*
 * lib/term — the line discipline of the interactive terminal: turns the bytes
 * a UART delivers into the lines TerminalSession.readLine returns, and says
 * what to echo back. Pure, freestanding, no allocation: the caller owns the
 * struct and the echo buffers, writes the echo to the UART and completes the
 * read when a call returns a status other than LD_MORE.
 *
 * Editing (schema/capos.capnp, TerminalSession and LineStatus):
 *   CR or LF      ends the line (LD_OK); an LF right after a CR that ended a
 *                 line is ignored, so CR LF counts once. Echo "\r\n".
 *   BS, DEL       remove the last byte of the line; echo "\b \b" when visible,
 *                 nothing when hidden or when the line is empty.
 *   Ctrl-C        LD_CANCELLED; the line and the typeahead are zeroed. Echo
 *                 "^C\r\n" in both modes.
 *   Ctrl-D        LD_END_OF_INPUT on an empty line, ignored otherwise. No echo.
 *   other < 0x20  ignored.
 *   0x20..0x7e,   appended to the line (UTF-8 passes through untouched);
 *   0x80..0xff    echoed as-is when visible, never when hidden.
 * More than max bytes makes the read LD_TOO_LONG: the line is zeroed at once,
 * the rest up to Enter is swallowed without echo, and Enter ends the read with
 * LD_TOO_LONG. A line is never truncated (a cut password must not verify).
 *
 * Typeahead: bytes fed while no read is active are queued (at most
 * TERMINAL_TYPEAHEAD_MAX; more are dropped) and edited in by the next
 * ld_begin as if typed then. Ctrl-C is never dropped: fed with no read active
 * it zeroes the queue at once and stays queued alone, so the next read ends
 * LD_CANCELLED; bytes fed behind it are dropped, as that read would discard
 * them anyway.
 *
 * Secrets: the line buffer is zeroed by ld_begin, ld_scrub and every status
 * but LD_OK, and each queued byte is zeroed as it is consumed, so a hidden
 * line lives only from its typing until the next ld_begin or ld_scrub.
 *
 * Not synchronized: the owner (the kernel's terminal, under its lock)
 * serializes every call. All fields are private to lib/term.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/capos/limits.h"

/* How a read ended. 0..3 equal the schema's LineStatus. */
enum ld_status {
	LD_MORE = -1,	     /* the read goes on (or no read is active) */
	LD_OK = 0,	     /* Enter: ld_line holds the line */
	LD_CANCELLED = 1,    /* Ctrl-C */
	LD_TOO_LONG = 2,     /* more than max bytes before Enter */
	LD_END_OF_INPUT = 3, /* Ctrl-D on an empty line */
};

/* Most echo bytes one ld_feed writes ("^C\r\n"). */
#define LD_ECHO_MAX 4
/*
 * Most echo bytes one ld_begin writes. It edits in n <= TERMINAL_TYPEAHEAD_MAX
 * queued bytes: only the last can end the read (at most 4 echo bytes), and of
 * the other n - 1, a byte appended echoes 1 and a backspace echoes 3 only by
 * removing an earlier appended byte, so they echo at most 2 (n - 1).
 */
#define LD_BEGIN_ECHO_MAX (2 * TERMINAL_TYPEAHEAD_MAX + 2)

struct linedisc {
	uint8_t line[TERMINAL_LINE_MAX];       /* the line being edited, or the finished one */
	uint32_t len;			       /* bytes in line */
	uint32_t max;			       /* the active read's limit, 1..TERMINAL_LINE_MAX */
	bool active;			       /* a read is in progress */
	bool hidden;			       /* the active read echoes no byte of the line */
	bool too_long;			       /* the active read overflowed: ends LD_TOO_LONG */
	bool after_cr;			       /* the last byte edited was a CR that ended a line */
	uint8_t ahead[TERMINAL_TYPEAHEAD_MAX]; /* typeahead ring */
	uint32_t ahead_head;		       /* index of the oldest queued byte */
	uint32_t ahead_len;		       /* bytes queued */
};

/* An idle discipline: no read, nothing queued, every buffer zero. */
void ld_init(struct linedisc *ld);

/*
 * Start a read of at most max bytes (0 means TERMINAL_LINE_MAX, larger values
 * are clamped: the caller's decode rejects them first), with hidden or visible
 * echo. Zeroes the previous line, then edits in the typeahead until it is
 * empty or ends the read. Writes at most LD_BEGIN_ECHO_MAX bytes to echo and
 * their number to echo_len. Returns the status if the typeahead ended the
 * read, else LD_MORE. A read already active is abandoned.
 */
int ld_begin(struct linedisc *ld, uint32_t max, bool hidden, uint8_t *echo, uint32_t *echo_len);

/*
 * One byte from the UART. With a read active it is edited in; without one it
 * is queued as typeahead. Writes at most LD_ECHO_MAX bytes to echo and their
 * number to echo_len (always 0 with no read active). Returns the status that
 * ends the read, else LD_MORE.
 */
int ld_feed(struct linedisc *ld, uint8_t byte, uint8_t *echo, uint32_t *echo_len);

/* The finished line: valid after LD_OK until the next ld_begin or ld_scrub.
 * Empty after any other status and while a read is active. The terminator
 * is not included. */
void ld_line(const struct linedisc *ld, const uint8_t **line, uint32_t *len);

/*
 * Forget the read in progress, the finished line and the typeahead, zeroing
 * their buffers: for a cancelled read or a change of foreground holder, so no
 * stale (possibly secret) byte reaches the next reader. Keeps only whether
 * the last line ended with CR, which is about the wire, not the data: the LF
 * of that CR LF must not become an empty line for the next reader.
 */
void ld_scrub(struct linedisc *ld);

/* Is a read in progress? */
bool ld_active(const struct linedisc *ld);

/*
 * lib/shell — the command grammar of capOS's native shell (spec: First Chat
 * Demo, Aurelian Frontier and Paperclips transcripts; FEATURES S2).
 * sh_parse() turns one line into a struct sh_command or says which rule the
 * line broke and at which byte. It only parses: looking names up in the
 * CapSet, spawning and waiting are the shell's business.
 *
 *   line    := blank* [command] blank*
 *   command := "help" | "caps" | "exit"
 *            | "inspect" name
 *            | "run" string [with]
 *            | "spawn" string [with] "->" var
 *            | "wait" var | "release" var
 *   with    := "with" "{" [grant ("," grant)*] "}"
 *   grant   := name ":" ["client"] "@" name
 *   var     := "$" name
 *   name    := [A-Za-z0-9_.-]{1,SH_NAME_MAX}
 *   string  := '"' printable ASCII but '"', 1..SH_STRING_MAX bytes '"'
 *
 * Blanks are spaces and tabs; the caller strips the line terminator. The
 * command word runs to the first blank. Elsewhere blanks may surround the
 * punctuation ({ } , : -> and before @ or $) but not split a "$name" or
 * "@name". A grant `child: @cap` copies the shell's cap; `child:
 * client @cap` passes a client facet of an endpoint cap. A with-block may be
 * empty, holds at most SH_MAX_GRANTS grants with distinct child names, and
 * may not end in a comma. A name must end at a blank, the end of the line or
 * punctuation ("{},:@$); anything else is an invalid character in it.
 *
 * Pure and freestanding: no allocation, no state; every read stays inside
 * [line, line + len) and every write inside *out and *err. Host-tested and
 * fuzzed.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "include/capos/limits.h"

enum sh_cmd {
	SH_EMPTY, /* a blank line: nothing to do */
	SH_HELP,
	SH_CAPS,
	SH_INSPECT, /* name: the cap to inspect */
	SH_RUN,	    /* binary, grants: run in the foreground */
	SH_SPAWN,   /* binary, grants, name: the $variable for the ProcessHandle */
	SH_WAIT,    /* name: the $variable */
	SH_RELEASE, /* name: the $variable */
	SH_EXIT,
};

enum sh_err {
	SH_OK = 0,
	SH_ERR_UNKNOWN_COMMAND = -1,	 /* the command word is none of the commands */
	SH_ERR_MISSING_ARGUMENT = -2,	 /* the line ends where an argument is due */
	SH_ERR_TRAILING = -3,		 /* text after a complete command */
	SH_ERR_EXPECTED_NAME = -4,	 /* no name where one is due */
	SH_ERR_NAME_TOO_LONG = -5,	 /* a name over SH_NAME_MAX bytes */
	SH_ERR_BAD_NAME = -6,		 /* a name runs into a character names lack */
	SH_ERR_EXPECTED_STRING = -7,	 /* no '"' where the binary name is due */
	SH_ERR_UNTERMINATED_STRING = -8, /* no closing '"' */
	SH_ERR_EMPTY_STRING = -9,	 /* "" */
	SH_ERR_STRING_TOO_LONG = -10,	 /* a string over SH_STRING_MAX bytes */
	SH_ERR_BAD_STRING = -11,	 /* a control or non-ASCII byte in a string */
	SH_ERR_EXPECTED_DOLLAR = -12,	 /* no '$' where a variable is due */
	SH_ERR_EXPECTED_LBRACE = -13,	 /* no '{' after "with" */
	SH_ERR_EXPECTED_RBRACE = -14,	 /* the line ends inside a with-block */
	SH_ERR_EXPECTED_COMMA = -15,	 /* a grant followed by neither ',' nor '}' */
	SH_ERR_EXPECTED_COLON = -16,	 /* no ':' after a grant's child name */
	SH_ERR_EXPECTED_AT = -17,	 /* no '@' before a grant's cap name */
	SH_ERR_TRAILING_COMMA = -18,	 /* ", }" */
	SH_ERR_TOO_MANY_GRANTS = -19,	 /* more than SH_MAX_GRANTS grants */
	SH_ERR_DUPLICATE_GRANT = -20,	 /* two grants with one child name */
	SH_ERR_MISSING_RESULT = -21,	 /* spawn without "-> $name" */
};
#define SH_ERR_COUNT 22 /* number of values above, SH_OK included */
_Static_assert(SH_ERR_MISSING_RESULT == -(SH_ERR_COUNT - 1), "SH_ERR_COUNT covers the enum");

struct sh_grant {
	char child[SH_NAME_MAX + 1]; /* the name in the child's CapSet */
	char cap[SH_NAME_MAX + 1];   /* the shell's cap, without the '@' */
	bool client;		     /* pass a client facet, not a copy */
};

/* Strings are NUL-terminated; fields a command does not use are zero. */
struct sh_command {
	enum sh_cmd cmd;
	char binary[SH_STRING_MAX + 1]; /* run, spawn: without the quotes */
	char name[SH_NAME_MAX + 1];	/* inspect: the name; spawn, wait, release: without '$' */
	uint32_t ngrants;
	struct sh_grant grants[SH_MAX_GRANTS]; /* in the order written */
};

struct sh_error {
	int code;	 /* an SH_ERR_* */
	uint32_t column; /* 0-based byte offset of the fault; len when it is the line's end */
	const char *msg; /* sh_strerror(code), for the caret line */
};

/* Parse the len bytes at line (not NUL-terminated; line may be NULL when len
 * is 0). Returns SH_OK with *out filled, or an SH_ERR_* with *err (when not
 * NULL) saying what and where, the first fault from the left; *out is then
 * zeroed. A blank line is SH_OK with cmd SH_EMPTY. */
int sh_parse(const char *line, uint32_t len, struct sh_command *out, struct sh_error *err);

/* A fixed message for an SH_ERR_* ("expected '}'"), or "unknown error". */
const char *sh_strerror(int err);

/*
 * tools/capnp-c-dump printer: a message rendered in the Cap'n Proto text
 * format, driven by a loaded schema, exactly as the reference
 * `capnp convert binary:text --short` prints it. Kept apart from main.c so
 * the ring debug-tap viewer can print payloads with it.
 */
#pragma once

#include <stdio.h>

#include "lib/capnp/capnp.h"
#include "tools/capnpc-c/schema.h"

/* Print the struct s of type node (one line, no newline). Returns 0 or a
 * negative capnp error for a malformed message (output is then partial). */
int cdump_struct(FILE *out, const struct sc_request *req, const struct sc_node *node,
		 const struct capnp_struct *s);

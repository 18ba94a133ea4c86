/*
 * The two system calls (DESIGN.md §5). The number goes in RAX, arguments
 * in RDI, RSI and RDX, the result comes back in RAX; the kernel preserves every
 * other register except RCX and R11 (the syscall instruction's).
 *
 *   cap_enter(min_complete, timeout_ns, cq_head_seen): process pending
 *     submissions, then return the number of available completions,
 *     blocking until min_complete are available or the timeout passes (0 =
 *     never block, CAPOS_TIMEOUT_NONE = no timeout). min_complete above
 *     CAP_CQ_ENTRIES returns CAP_ERR_INVALID_REQUEST. cq_head_seen (RDX):
 *     CAPOS_CQ_HEAD_ANY, or the CQ head the caller last saw; then it does
 *     not block once the head has moved from it (a sibling thread took
 *     completions since: what the caller waits for may be in its runtime's
 *     hands). C edition: an extension of the spec's two-argument call.
 *   exit(code): end the whole process.
 *
 * Any other number ends the calling process with a logged reason.
 */
#pragma once

#define CAPOS_SYS_EXIT	    0
#define CAPOS_SYS_CAP_ENTER 1
#define CAPOS_TIMEOUT_NONE  0xffffffffffffffffULL
#define CAPOS_CQ_HEAD_ANY   0xffffffffffffffffULL

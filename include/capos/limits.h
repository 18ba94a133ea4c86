/*
 * capOS static limits and initial quotas: the one home for every bound the
 * kernel enforces, each with the reason it has the value it has. Shared by the
 * kernel, lib/ and host tests.
 */
#pragma once

/* ---- capability tables and resource ledgers (spec: Authority Graph §2) ---- */

/* Slots in one process capability table; equals the initial cap_slots_max. */
#define CAP_TABLE_SLOTS 256
/* Initial per-process quotas of the ResourceLedger (spec's bring-up profile). */
#define QUOTA_CAP_SLOTS_MAX	    256		  /* caps one process may hold */
#define QUOTA_ENDPOINT_QUEUE_MAX    128		  /* queued endpoint messages */
#define QUOTA_OUTSTANDING_CALLS_MAX 64		  /* calls in flight */
#define QUOTA_SCRATCH_BYTES_MAX	    (256u * 1024) /* kernel scratch for params/results */
#define QUOTA_FRAME_GRANT_PAGES_MAX 4096	  /* 16 MiB of granted frames */
#define QUOTA_LOG_BYTES_PER_SEC	    (64u * 1024)  /* console log token-bucket rate */
#define QUOTA_LOG_BYTES_BURST	    (256u * 1024) /* console log token-bucket depth */
#define QUOTA_CPU_US_PER_WINDOW	    10000	  /* CPU budget per window ... */
#define QUOTA_CPU_WINDOW_US	    100000	  /* ... of this length */
#define QUOTA_THREADS_MAX	    16	       /* PROCESS_THREAD_LIMIT of the threading contract */
#define QUOTA_VIRT_PAGES_MAX	    (1u << 20) /* 4 GiB of anonymous reservations */

/* ---- the ring (kernel/cap/ring.c) ---- */

/* Kernel scratch for one CALL's params: bounds the copy and the parse. */
#define CAP_MAX_PARAMS_BYTES 16384
/* ... and for its results: the most one completion carries. */
#define CAP_MAX_RESULT_BYTES 16384
/* Transfer descriptors on one CALL or RETURN (MAX_TRANSFER_DESCRIPTORS). */
#define CAP_XFER_MAX 8

/* ---- endpoints (kernel/cap/endpoint.c) ---- */

/* Calls queued on one endpoint before a RECV takes them; more is overloaded.
 * Below a ring's CQ size, so one client can meet the limit (each of its
 * calls holds a CQ slot for the reply). */
#define EP_MAX_PENDING_CALLS 16
/* RECVs waiting on one endpoint (a server's worker threads). */
#define EP_MAX_PENDING_RECVS 8
/* Calls delivered and not yet RETURNed on one endpoint. */
#define EP_MAX_INFLIGHT 32
/* Params bytes of one endpoint CALL (fits the kernel's params scratch). */
#define EP_MAX_CALL_BYTES CAP_MAX_PARAMS_BYTES
/* Params bytes queued on one endpoint in all: bounds kernel memory per endpoint. */
#define EP_MAX_QUEUED_BYTES (128u * 1024)
/* Live endpoints in the whole kernel (each is scanned at process exit). */
#define EP_MAX_ENDPOINTS 64

/* ---- memory objects (kernel/cap/memory_object.c) ---- */

/* Frames of one allocContiguous: bounds the search for a physical run. */
#define MO_MAX_CONTIGUOUS 1024

/* ---- ELF loading (lib/elf, spec: Process Model) ---- */

/* PT_LOADs in one image: a static executable has 2-5 (headers, text, rodata, data). */
#define ELF_MAX_SEGMENTS 8
/* Program headers read per image: bounds the parser's work on hostile input. */
#define ELF_MAX_PHDRS 64
/* PT_TLS alignment: the TLS area is page-granular, so a page is the most it can honour. */
#define ELF_TLS_MAX_ALIGN 4096
/* PT_TLS p_memsz: the template is copied per thread into a fixed TLS area. */
#define ELF_TLS_MAX_MEMSZ (64u * 1024)

/* ---- terminal ---- */

#define TERMINAL_LINE_MAX      256 /* longest readLine; LineRequest.maxBytes 0 means this */
#define TERMINAL_TYPEAHEAD_MAX 256 /* bytes kept while no readLine is pending; more are dropped */

/* ---- the native shell's command grammar (lib/shell) ---- */

/* Grants in one `with { ... }` block: a child's CapSet as the shell builds it
 * is small (the spec's launch lines use two or three). */
#define SH_MAX_GRANTS 16
/* Bytes of a name (command argument, $variable, grant or cap name). */
#define SH_NAME_MAX 32
/* Bytes of a quoted binary name. */
#define SH_STRING_MAX 64

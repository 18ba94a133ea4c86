# capOS ABI schema: every capability interface, the boot manifest and the
# application exception, in one file.
#
# This file is the single source of truth for everything typed about the
# system. tools/capnpc-c generates gen/capos.capnp.{h,c} from it: interface
# ids, method ordinals, params/results accessors, client request helpers and
# server dispatch tables (docs/capnp-c.md has the naming rules:
# `Outer.Inner` -> capos_Outer_Inner, constants -> CAPOS_UPPER_SNAKE). The
# kernel, the runtime, init and the host tools all use the generated code;
# nothing restates an id or an ordinal by hand.
#
# Order: the exception, the manifest, then the interfaces grouped by
# subsystem (console/terminal, boot/process, time, memory, threads/park,
# management, measurement). docs/schema.md explains the organisation and
# every decision the spec leaves open; comments marked "C edition:" below
# are such decisions.
#
# Conventions that hold for every interface:
# - A method is invoked with a CALL SQE (include/capos/ring.h): cap_id names
#   the capability, method_id is the ordinal below, the payload is the params
#   struct as a Cap'n Proto message, and the result buffer receives the
#   results struct as a message.
# - Ring-level failures (bad SQE, stale cap, bad buffer, ...) are negative
#   CAP_ERR_* transport errors and never a CapException. Once the target cap
#   is identified, failures are a serialized CapException with
#   CAP_ERR_APPLICATION_EXCEPTION. Every method may raise `unimplemented`
#   (unknown ordinal) and `failed` (params that do not decode); each method
#   below lists the errors it raises beyond those. Use of a revoked cap
#   raises `disconnected`.
# - A result field named handleIndex is the zero-based index of a result
#   capability among the CapTransferResult records {cap_id, interface_id}
#   that the kernel appends after the result bytes (CQE cap_count).
# - Addresses, sizes and offsets are bytes; memory ranges must be 4 KiB
#   page aligned. Times are monotonic nanoseconds.
#
# Ordering note: ids (@0x...), field ordinals, method ordinals and enumerant
# ordinals are wire ABI. Never renumber, reorder or reuse them; add new
# members at the end with the next ordinal.

@0xb62937864f0e3673;

# ===========================================================================
# Exceptions
# ===========================================================================

# The application error carried in a result buffer with
# CAP_ERR_APPLICATION_EXCEPTION (or ..._TRUNCATED when it did not fit), and
# the payload of a RETURN SQE with CAP_SQE_RETURN_APPLICATION_EXCEPTION.
struct CapException @0x9860231028c0cbdd {
  type @0 :Type;
  message @1 :Text;   # human-readable, bounded; never secrets or verifier material

  # Ordering note: the C runtime's enum capnp_exc_type (lib/capnp/capnp.h)
  # depends on these exact values; never reorder.
  enum Type @0x8c3ec19101696b7b {
    failed @0;         # the request is invalid or the operation cannot succeed
    overloaded @1;     # a quota, limit or resource is exhausted; may succeed later
    disconnected @2;   # the object is gone: revoked, owner exited, session ended
    unimplemented @3;  # unknown method ordinal, or an operation not built in
  }
}

# ===========================================================================
# The boot manifest
# ===========================================================================
#
# The single boot module is one SystemManifest message. The C edition writes
# it as a Cap'n Proto text constant (manifests/system.capnp), evaluated with
# `capnp eval -b` and validated by tools/mkmanifest. The kernel validates
# schemaVersion, binaries, initConfig.init and kernelParams, then starts only
# initConfig.init; init reads the rest through BootPackage and starts
# initConfig.services.

# The manifest schema version this file describes. The kernel, mkmanifest and
# init reject any other value before looking at anything else.
const manifestSchemaVersion :UInt32 = 1;

struct SystemManifest @0xa97096f2161bdad6 {
  schemaVersion @0 :UInt32;        # must equal manifestSchemaVersion
  binaries @1 :List(NamedBlob);    # every executable the boot may load
  initConfig @2 :InitConfig;       # the init process and the service graph
  kernelParams @3 :KernelParams;   # parameters the kernel itself reads
}

# One embedded binary. Names are unique within the manifest; data is a static
# ELF64 x86_64 executable and must not be empty.
struct NamedBlob @0xfc41b197436cc2aa {
  name @0 :Text;
  data @1 :Data;
}

# Parameters read by the kernel at boot.
struct KernelParams @0x9dc8ee55f585e694 {
  # Message of the day, shown by the shell's banner (SystemInfo). Text only;
  # the kernel does not interpret it.
  motd @0 :Text;

  # C edition: "manifest-driven console-vs-terminal routing". The kernel log
  # and the Console capability are always on COM1 (DESIGN.md section 4); this
  # chooses the UART behind the `terminal` kernel source. com1 shares COM1
  # with the kernel log (single-UART setups), none leaves the system without
  # a terminal (the terminal source is then rejected).
  terminalPort @1 :SerialPort = com2;

  # C edition: the binaries the restricted shell launcher (kernel source
  # restrictedShellLauncher) may start; anything else is refused. Empty:
  # the launcher starts nothing.
  launcherAllowlist @2 :List(Text);
}

# C edition: the legacy PC UARTs the kernel drives.
enum SerialPort @0xc518bdf12e38409b {
  none @0;
  com1 @1;
  com2 @2;
}

# The init-owned boot graph. C edition: a typed tree instead of the spec's
# generic CueValue storage, so the kernel, init and mkmanifest read it with
# generated accessors.
struct InitConfig @0x811a705bb7ca4620 {
  # The one process the kernel starts. Its caps may only use kernel sources,
  # its exports must be empty and its waitPolicy is ignored.
  init @0 :ServiceSpec;

  # Started by init in list order after the whole graph has been validated
  # (preflight pass), each through ProcessSpawner.spawn.
  services @1 :List(ServiceSpec);
}

# One process of the boot graph.
struct ServiceSpec @0x9f33ebb5c8c358b8 {
  name @0 :Text;                # process name; unique among init and services
  binary @1 :Text;              # name of a NamedBlob in SystemManifest.binaries
  caps @2 :List(CapRef);        # the child's CapSet, in this order
  exports @3 :List(Export);     # caps of this service that later services may import
  waitPolicy @4 :WaitPolicy;    # what init does about this child's exit
}

# C edition: what init does when it has spawned a child. The spec says init
# "waits on children per manifest policy" and leaves restart policy for
# later; restart is deliberately absent.
# Ordering note: wait must stay 0, the default.
enum WaitPolicy @0x9be6404a1d122768 {
  # Init waits for the child and reports its exit code on the Console. When
  # every waited-for child has exited, init exits (0 if all exited with 0,
  # else the first non-zero code).
  wait @0;

  # As wait, and when this child exits init stops waiting for the others and
  # exits at once with the child's exit code. Init's exit ends the boot: the
  # kernel halts the machine, cleanly for code 0 (the foreground shell:
  # leaving it halts the machine).
  haltOnExit @1;

  # Init does not wait: a resident service (chat server, gateway) expected to
  # live for the whole boot. Its exit is not reported.
  resident @2;
}

# One named capability in a service's CapSet.
struct CapRef @0xcd7da78ea9ed47b1 {
  # The name the child sees in its CapSet: 1..32 bytes (CAPSET_NAME_MAX in
  # include/capos/capset.h), unique within the service.
  name @0 :Text;

  # Schema interface id the granted object must implement. A compatibility
  # check against the constructed object, not the authority selector.
  expectedInterfaceId @1 :UInt64;

  # Where the authority comes from. Omitted cap sources fail closed: a
  # CapRef whose source is `unset` is rejected by every validator.
  source :union {
    unset @2 :Void;
    kernel @3 :KernelCapSource;    # a kernel object
    service @4 :ServiceCapSource;  # an export of an earlier service
  }
}

# The kernel objects a manifest (or a ProcessSpawner kernel grant) can name.
# Global objects (console, terminal, timer, ...) are new caps to one kernel
# object; child-local objects (endpoint, frameAllocator, virtualMemory,
# threadControl, threadSpawner, parkSpace) are minted fresh for each process.
# Ordering note: wire ABI; append new sources at the end.
enum KernelCapSource @0xf580e9afb0e56ccb {
  console @0;             # Console on the kernel log UART
  terminal @1;            # TerminalSession on the terminal UART; move-only, one holder
  bootPackage @2;         # BootPackage, read-only manifest access
  processSpawner @3;      # ProcessSpawner
  frameAllocator @4;      # FrameAllocator, child-local
  virtualMemory @5;       # VirtualMemory bound to the child's address space
  timer @6;               # Timer
  endpoint @7;            # a fresh Endpoint owned by the child (exportable)
  threadControl @8;       # ThreadControl, child-local
  threadSpawner @9;       # ThreadSpawner, child-local, non-transferable
  parkSpace @10;          # ParkSpace, child-local, non-transferable
  capabilityManager @11;  # CapabilityManager over the child's own table
  nullCap @12;            # NullCap; measurement builds only
  parkBench @13;          # ParkBench; measurement builds only, never in normal manifests

  # Kernel sources the spec names whose interfaces join this schema with
  # their subsystems (networking, chat, remote shell, login). Validators
  # reject them until their subsystem lands.
  networkManager @14;           # NetworkManager (TCP listeners and sockets)
  chatEndpoint @15;             # the kernel singleton chat_endpoint (an Endpoint)
  restrictedShellLauncher @16;  # restricted_shell_launcher
  sshDevelopmentHostKey @17;    # ssh_development_host_key; non-production fixture
  entropySource @18;            # EntropySource (credential store, session manager)
}

# An import of another service's export. The named service must come earlier
# in InitConfig.services, and the importer receives a client-only facet.
struct ServiceCapSource @0xd83ad4b5da431055 {
  service @0 :Text;   # ServiceSpec.name of the exporting service
  export @1 :Text;    # Export.name within that service
}

# A capability a service offers to later services.
struct Export @0xa965660c8885ed93 {
  name @0 :Text;   # unique within the service; what importers name

  # Name of one of this service's own CapRefs. C edition: it must be a
  # kernel-sourced `endpoint` (the service serves calls on it); re-exporting
  # a service-sourced cap is rejected. Importers get a ClientEndpoint facet
  # that can CALL but never RECV or RETURN; init never holds the owner.
  cap @1 :Text;

  # The interface the service serves on this endpoint; importers'
  # expectedInterfaceId must equal it, and their CapSet entry carries it.
  interfaceId @2 :UInt64;
}

# ===========================================================================
# Console and terminal
# ===========================================================================

# Output-only debug console on the kernel log UART (COM1).
# C edition: writes are charged to the process's console log budget (the
# ResourceLedger token bucket); when it is exhausted a write raises
# `overloaded` and writes nothing.
interface Console @0x970e2c0a63e35e77 {
  # Write raw bytes.
  write @0 (data :Data) -> ();

  # Write text followed by a newline.
  writeLine @1 (text :Text) -> ();
}

# The interactive, line-oriented terminal (COM2 by default, or a socket
# behind a gateway). Session-scoped and move-only: one foreground holder at a
# time; a copy grant of it fails. All methods raise `disconnected` when the
# holder's session is no longer live or the terminal was handed to another
# holder; a cancelled read or a teardown scrubs queued input so that stale
# (possibly secret) bytes never reach the next reader.
interface TerminalSession @0xba17bbd6ac1f8626 {
  # Write raw bytes.
  write @0 (data :Data) -> ();

  # Write text followed by a newline.
  writeLine @1 (text :Text) -> ();

  # Read one line, bounded by request.maxBytes, with per-call visible or
  # hidden echo. Completes when the user ends the line or the read ends
  # otherwise; status says which, and line is empty unless status is ok.
  # The terminator is not included. Raises `failed` for maxBytes above the
  # terminal's limit and `overloaded` when another readLine is pending.
  readLine @2 (request :LineRequest) -> (status :LineStatus, line :Data);
}

# C edition: the parameters of one readLine (the spec names the type only).
struct LineRequest @0xe8f469ae39ded0d9 {
  # Most bytes the line may hold; 0 means the terminal's limit
  # (TERMINAL_LINE_MAX in include/capos/limits.h).
  maxBytes @0 :UInt32;

  # Echo of typed characters. hidden echoes nothing at all (not even '*'),
  # for passwords.
  echo @1 :LineEcho;
}

# C edition: echo mode of one readLine.
# Ordering note: visible must stay 0, the default.
enum LineEcho @0x8d4b27fe0c8d4325 {
  visible @0;
  hidden @1;
}

# C edition: how a readLine ended ("structured cancellation").
# Ordering note: wire ABI.
enum LineStatus @0xb59ad2a24b9748be {
  ok @0;          # Enter: line holds the bytes typed (backspace applied)
  cancelled @1;   # Ctrl-C: the line and any queued input are discarded
  tooLong @2;     # more than maxBytes typed before Enter: the whole line is
                  # discarded (never truncated: a cut password must not verify)
  endOfInput @3;  # Ctrl-D on an empty line, or the byte source closed
}

# ===========================================================================
# Boot package and processes
# ===========================================================================

# Read-only access to the boot manifest bytes, for init's BootPackage
# executor. Ordinary services never hold it.
interface BootPackage @0xc2b39eafa7c7f39b {
  # Size of the manifest message in bytes.
  manifestSize @0 () -> (size :UInt64);

  # Read up to maxBytes from offset. Returns fewer bytes at the end of the
  # manifest (none at offset == size). C edition: a chunk is also clamped
  # to what fits the caller's result buffer. Raises `failed` when offset is
  # beyond the manifest size.
  readManifest @1 (offset :UInt64, maxBytes :UInt32) -> (data :Data);
}

# Creates child processes from packaged boot binaries with an exact set of
# granted caps. Held by init (and trusted launchers); a broad authority.
interface ProcessSpawner @0xf929832aa855612a {
  # Start binaryName (a NamedBlob of the boot manifest) as a new process
  # called name. The child's CapSet holds the grants in list order under
  # their names. Everything is validated and reserved before anything is
  # committed: on any error no child exists and no quota stays charged.
  #
  # Result caps: the non-transferable ProcessHandle at handleIndex, then,
  # for each grant with source kernel = endpoint, in grant order, a
  # parent-side ClientEndpoint facet for it (how init wires later imports
  # without holding endpoint owners). C edition: handleIndex is 0.
  #
  # Raises `failed` for an unknown binary, an ELF that does not load, a
  # grant that is invalid (stale or foreign capId, interface id mismatch, a
  # cap whose transfer policy forbids the mode, a kernel source this spawner
  # may not mint, a duplicate or over-long name, more grants than a CapSet
  # page holds), and `overloaded` when frames, the parent's cap slots or a
  # quota run out.
  spawn @0 (name :Text, binaryName :Text, grants :List(CapGrant)) -> (handleIndex :UInt16);
}

# One capability granted to a child at spawn.
# C edition: the spec names CapGrant without a body; the three grant kinds
# are the ones the Process Model describes. Legacy badges/receiver selectors
# are deliberately absent: caller identity comes from session-bound
# invocation context, not from caller-chosen labels.
struct CapGrant @0xdf398e16e7fd5c23 {
  name @0 :Text;                   # the child's CapSet name, 1..32 bytes, unique
  expectedInterfaceId @1 :UInt64;  # must equal the interface of the granted object

  source :union {
    unset @2 :Void;   # omitted: rejected

    # A cap in the caller's table, copied or moved. copy needs a
    # copy-transferable cap; move removes it from the caller on commit.
    raw :group {
      capId @3 :UInt32;
      mode @4 :TransferMode;
    }

    # capId names an Endpoint owner or a facet returned by spawn; the child
    # gets a ClientEndpoint facet (CALL only). The caller keeps its cap.
    client @5 :UInt32;

    # A new cap to a kernel object (see KernelCapSource); child-local
    # sources are minted fresh for the child.
    kernel @6 :KernelCapSource;
  }
}

# How a grant or IPC transfer hands over a cap.
# Ordering note: values equal CAP_TRANSFER_MODE_COPY/MOVE in
# include/capos/ring.h.
enum TransferMode @0xef95513adee00eb8 {
  copy @0;
  move @1;
}

# The parent's view of one spawned child. Non-transferable.
interface ProcessHandle @0x9e6ce94bcd971368 {
  # Wait for the child to exit and return its exit code; completes at once
  # if it already exited. Raises `failed` when a waiter is already
  # registered (at most one).
  wait @0 () -> (exitCode :Int64);
}

# ===========================================================================
# Time
# ===========================================================================

# Monotonic time and bounded sleeps. The same time base serves cap_enter and
# park timeouts.
interface Timer @0xb157b9d7c98102a5 {
  # Nanoseconds since boot, monotonic. C edition: the spec's "tick/time
  # reads" are exposed as nanoseconds only; the tick length is a kernel
  # detail.
  now @0 () -> (ns :UInt64);

  # Complete after at least ns nanoseconds (0 completes at once). The CALL
  # completes later; the caller's thread is not blocked unless it waits in
  # cap_enter. Raises `overloaded` when the process's sleep-waiter quota is
  # exhausted.
  sleep @1 (ns :UInt64) -> ();
}

# ===========================================================================
# Memory
# ===========================================================================

# Protection bits of the `prot` parameters (VirtualMemory, MemoryObject).
# Any non-NONE protection is readable on x86_64; WRITE together with EXEC is
# rejected (W^X), as are unknown bits.
const vmProtNone :UInt32 = 0;
const vmProtRead :UInt32 = 1;
const vmProtWrite :UInt32 = 2;
const vmProtExec :UInt32 = 4;

# Allocates physical memory as MemoryObject caps (never physical addresses).
# Held MemoryObjects charge the holder's frame_grant_pages quota.
interface FrameAllocator @0xd8c105bd3dc44b48 {
  # One zeroed 4 KiB frame as a MemoryObject result cap. Raises
  # `overloaded` when frames or the frame-grant quota run out.
  allocFrame @0 () -> (handleIndex :UInt16);

  # count physically contiguous zeroed frames as one MemoryObject result cap.
  # Raises `failed` for count 0 or above the contiguous-allocation limit, and
  # `overloaded` when no such run or quota is available.
  allocContiguous @1 (count :UInt32) -> (handleIndex :UInt16);
}

# An owned range of physical frames. Mapping it borrows the backing into the
# caller's address space; the frames are freed when the last cap is released
# and no mapping remains. Transferable (copy or move) over IPC.
interface MemoryObject @0xf882e0a96bed5de2 {
  # Size of the object.
  info @0 () -> (pageCount :UInt32, sizeBytes :UInt64);

  # Map [offset, offset+size) of the object into the caller's address space
  # with prot and return the address; hint as in VirtualMemory.reserve.
  # Raises `failed` for an unaligned, empty or out-of-object range or bad
  # prot, and `overloaded` when the frame-grant quota or free address space
  # runs out.
  map @1 (hint :UInt64, offset :UInt64, size :UInt64, prot :UInt32) -> (addr :UInt64);

  # Remove a mapping of this object. Raises `failed` unless every page in
  # the range is a borrowed mapping of this same object.
  unmap @2 (addr :UInt64, size :UInt64) -> ();

  # Change the protection of mapped pages of this object. Raises `failed` as
  # unmap does, or for bad prot.
  protect @3 (addr :UInt64, size :UInt64, prot :UInt32) -> ();
}

# Anonymous memory of the caller's own address space: a reservation is a
# range of address space; committing backs its pages with zeroed frames.
# Bound to one address space: not a valid cross-process export. It can never
# touch the ring or CapSet pages. Reserved pages charge the virtual
# reservation quota; committed pages charge frame_grant_pages.
#
# Common errors of every method: `failed` for an unaligned or empty range, an
# overflow, a range outside the user half or touching the ring/CapSet pages,
# a range not covered by this address space's anonymous reservations (all
# but map/reserve), or bad prot bits; `overloaded` when a quota, physical
# frames or free address space run out. Every method changes all pages of
# its range or none.
#
# C edition: the spec names reserve/commit/decommit without signatures; they
# follow the Go runtime's sysReserve/sysMap/sysUnused model.
# Ordering note: map/unmap/protect are @0-@2 as the spec quotes them;
# reserve/commit/decommit are appended as @3-@5.
interface VirtualMemory @0xd1393a1477943b4e {
  # reserve + commit in one step: a new reservation of size bytes, committed
  # with zeroed pages and prot. hint as in reserve. Returns the address.
  map @0 (hint :UInt64, size :UInt64, prot :UInt32) -> (addr :UInt64);

  # Release reservations and any backing in [addr, addr+size); the range
  # may then be reused.
  unmap @1 (addr :UInt64, size :UInt64) -> ();

  # Change the protection of committed pages. prot may be vmProtNone: the
  # pages keep their frames and contents but have no present mapping.
  protect @2 (addr :UInt64, size :UInt64, prot :UInt32) -> ();

  # Reserve size bytes of address space with no backing (inaccessible).
  # hint 0 lets the kernel choose; otherwise hint is tried first and, if it
  # is taken, the kernel chooses (bounded probing). Returns the address.
  reserve @3 (hint :UInt64, size :UInt64) -> (addr :UInt64);

  # Back the reserved pages of [addr, addr+size) with zeroed frames and set
  # prot (which may be vmProtNone). Pages already committed keep their frame
  # and contents and only take the new prot; only new pages are charged.
  commit @4 (addr :UInt64, size :UInt64, prot :UInt32) -> ();

  # Free the backing of committed pages in [addr, addr+size); the range
  # stays reserved and inaccessible, and a later commit gives zeroed pages.
  # Uncommitted pages in the range are left as they are.
  decommit @5 (addr :UInt64, size :UInt64) -> ();
}

# ===========================================================================
# IPC
# ===========================================================================

# Marker for an IPC rendezvous object. Its operations are ring opcodes, not
# methods: the owner RECVs calls and RETURNs results; a ClientEndpoint facet
# (what importers hold) only CALLs, with the method ordinals of the
# interface the service serves (Export.interfaceId); the endpoint itself
# never interprets them.
interface Endpoint @0xa57d6bfd25901b83 {}

# ===========================================================================
# Threads and park
# ===========================================================================

# Creates threads inside the caller's own process. Process-local and
# non-transferable.
interface ThreadSpawner @0xa90136ba275b4490 {
  # Start a thread at entry with RDI = arg, RSI = tid, RDX = pid,
  # RCX = ring address, R8 = CapSet address (or 0), RSP = stackTop and FS
  # base fsBase; returns its ThreadHandle as a result cap. flags is reserved
  # and must be 0. Raises `failed` for a non-canonical entry, stackTop or
  # fsBase, a stackTop not 16-byte aligned, or non-zero flags, and
  # `overloaded` (with a specific message) when the thread limit, the
  # kernel-stack budget, cap slots or kernel memory run out; no partial
  # thread is ever left runnable.
  create @0 (
    entry :UInt64,
    stackTop :UInt64,
    arg :UInt64,
    fsBase :UInt64,
    flags :UInt64
  ) -> (handleIndex :UInt16);
}

# Observes one thread of the same process. Process-local, non-transferable.
# Releasing the last handle before the thread exits detaches it.
interface ThreadHandle @0xe3306e2115d7b0b2 {
  # Wait for the thread to exit and return its code; one-shot. Raises
  # `failed` on self-join, when another join is pending, or after a
  # successful join.
  join @0 () -> (exitCode :Int64);

  # Non-blocking: whether the thread has exited and, if so, its code. Does
  # not consume the join.
  exitCode @1 () -> (exited :Bool, exitCode :Int64);
}

# Controls the calling thread.
interface ThreadControl @0x96da06379c0be040 {
  # The calling thread's FS base.
  getFsBase @0 () -> (fsBase :UInt64);

  # Set the calling thread's FS base (takes effect at once). Raises `failed`
  # for a non-canonical or kernel-half address.
  setFsBase @1 (fsBase :UInt64) -> ();

  # End the calling thread with code. On success no completion is posted
  # (the thread is gone); if it was the last thread, the process exits with
  # code.
  exitThread @2 (code :Int64) -> ();
}

# Marker: authority for private park wait/wake (CAP_OP_PARK / CAP_OP_UNPARK)
# on 32-bit words of the caller's own address space. Process-local and
# non-transferable; grants no memory access.
interface ParkSpace @0xf9b09c61753c2c08 {}

# Marker: shared park authority derived from a MemoryObject, keyed by object
# offset. Not implemented yet: the kernel mints no SharedParkSpace and park
# opcodes on it fail closed.
interface SharedParkSpace @0xe3c2c4c9ce17754a {}

# Completion status of a park wait (the CQE result of CAP_OP_PARK).
# Ordering note: values equal PARK_WOKEN, PARK_VALUE_MISMATCH,
# PARK_TIMED_OUT and PARK_INTERRUPTED of the park ABI.
enum ParkStatus @0xc4fc77244af66de3 {
  woken @0;          # a wake made the thread runnable
  valueMismatch @1;  # the word did not hold the expected value
  timedOut @2;       # the timeout expired first (or was zero)
  interrupted @3;    # a cancellation path aborted the wait (reserved)
}

# ===========================================================================
# Management
# ===========================================================================

# Management-only introspection and revocation over the holder's own table.
# Ordinary handle release uses the transport opcode CAP_OP_RELEASE, not a
# method here.
interface CapabilityManager @0xf302ebf8fb22354f {
  # Every live cap in the caller's table, in slot order.
  list @0 () -> (capabilities :List(CapabilityInfo));

  # Child-scoped revocation: invalidate every copy of capId's object that
  # the caller granted to its children; their later use raises
  # `disconnected`. The caller's own cap stays valid. Raises `failed` when
  # capId names no live cap of the caller.
  revoke @1 (capId :UInt32) -> ();

  # grant is planned for a later management slice.
}

# C edition: one entry of CapabilityManager.list (the spec names the type
# only); the fields are the hold-edge metadata of the authority graph.
struct CapabilityInfo @0xd32a6ad4331f837f {
  capId @0 :UInt32;           # local CapId (generation:8 | index:24)
  interfaceId @1 :UInt64;     # interface of the object
  label @2 :Text;             # the kernel object's label, e.g. "console"
  transfer @3 :TransferPolicy;
  origin @4 :CapOrigin;
}

# What transfers a held cap allows.
# Ordering note: wire ABI.
enum TransferPolicy @0xe4655eb6750ead1a {
  copy @0;             # repeatable grant; copy or move allowed
  move @1;             # single authority handoff; only move allowed
  nonTransferable @2;  # no IPC or spawn transfer
}

# How a held cap entered the table.
# Ordering note: wire ABI.
enum CapOrigin @0xc54dcd18a761587d {
  kernel @0;       # built by the kernel at boot (init's CapSet)
  spawnGrant @1;   # granted at spawn
  ipcTransfer @2;  # received through endpoint CALL/RETURN
  resultCap @3;    # result cap of a kernel method (spawn, allocFrame, ...)
}

# ===========================================================================
# Measurement (never granted by normal boot manifests)
# ===========================================================================

# The dispatch baseline: a schema method that does nothing, for measuring
# the generic CALL path (decode, dispatch, encode) against CAP_OP_NOP.
# Also serves as the measurement marker cap of the threading benchmark.
interface NullCap @0xa20415e27d661508 {
  # Do nothing and return empty results.
  nop @0 () -> ();
}

# Measurement-only park authority: the generic Cap'n Proto twin of the
# compact park path, to compare a park-shaped CALL with the compact
# CAP_OP_PARK_BENCH opcode (which takes a ParkBench cap in cap_id). Neither
# path ever blocks or wakes a thread. Not a production authority.
interface ParkBench @0x8dc78e143611d305 {
  # The failed-wait path: validate and read the 32-bit word at addr (4-byte
  # aligned, readable) and compare it with expected; returns valueMismatch
  # when they differ and timedOut otherwise. timeoutNs only gives the params
  # the shape of CAP_OP_PARK's. Raises `failed` for an unaligned or
  # unreadable address.
  wait @0 (addr :UInt64, expected :UInt32, timeoutNs :UInt64) -> (status :ParkStatus);

  # The empty-wake path: look up waiters on the word at addr (there are
  # none) and return how many were woken (0). Raises `failed` for an
  # unaligned or non-canonical address or maxWake 0.
  wake @1 (addr :UInt64, maxWake :UInt32) -> (woken :UInt32);
}

# A child's terminal, served by whoever launched it (the shell bridges it to
# its TerminalSession while the child runs in the foreground), so a child
# reaches the terminal only through this explicit grant. The same methods
# as TerminalSession.
interface StdIO @0xc2c7e8045452850a {
  write @0 (data :Data) -> ();
  writeLine @1 (text :Text) -> ();
  readLine @2 (request :LineRequest) -> (status :LineStatus, line :Data);
}

# ===========================================================================
# Demos
# ===========================================================================

# The IPC demo interface: what ipc-server serves on its exported endpoint
# and endpoint-roundtrip serves to itself. The kernel never interprets it.
interface Echo @0xd132e3308088d611 {
  # The text back, with how many calls this server has answered so far.
  echo @0 (text :Text) -> (text :Text, served :UInt32);

  # Answer, then serve no more calls: the server exits.
  stop @1 () -> ();
}

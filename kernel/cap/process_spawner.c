/*
 * ProcessSpawner: start a packaged boot binary as a new process with an
 * exact set of grants, and hand the caller a non-transferable
 * ProcessHandle as a result cap.
 *
 * Decode, then invoke (DESIGN.md §7). Every input is checked first: the
 * name, the binary, each grant (its name, its source, the caller's cap and
 * its transfer mode, the interface id) and the room for the results. Then
 * everything is reserved — the caller's slot for the handle, the handle
 * itself, each moved cap — and the process is created (which frees all it
 * took if it fails). Only then is the caller's side committed, and commits
 * cannot fail. Any error leaves the caller's table, ledger and the free
 * frames exactly as they were.
 */
#include <string.h>

#include "gen/capos.capnp.h"
#include "include/capos/capset.h"
#include "kernel/boot/manifest.h"
#include "kernel/cap/endpoint.h"
#include "kernel/cap/object.h"
#include "kernel/cap/process_handle.h"
#include "kernel/klog.h"
#include "kernel/mm/frame.h"
#include "kernel/proc/proc.h"
#include "lib/capset/capset.h"

/* One grant, decoded: what the child will hold, and for a move the
 * caller's cap that leaves. */
struct grant {
	char name[CAPSET_NAME_MAX];
	uint32_t name_len;
	struct cap_hold hold;
	bool move;
	uint32_t parent_cap;
	bool minted;		   /* hold.object is fresh (an endpoint owner facet) */
	struct kobj *parent_facet; /* its client facet for the caller, a result cap */
	bool fresh_client;	   /* hold.object is a client facet made for this grant */
};

/* [S] one spawn at a time: the kernel is not preemptible. restricted: the
 * call came through the shell launcher (allowlisted binaries, grants of
 * the caller's own caps only). */
static bool restricted;
static struct grant grants[CAPSET_MAX_ENTRIES];
static uint32_t ngrants, nfacets;

/* Objects decode made for grants hold one temporary reference each until
 * the spawn ends, success or failure: a child that was created and then
 * freed (its grants dropping their references) cannot free them under us.
 * Dropping it here destroys whatever no hold took, and empties the grant
 * list so no later spawn can drop those references again. */
static void release_fresh(void)
{
	for (uint32_t i = 0; i < ngrants; i++) {
		if (grants[i].parent_facet)
			kobj_put(grants[i].parent_facet);
		if (grants[i].minted || grants[i].fresh_client)
			kobj_put(grants[i].hold.object);
	}
	ngrants = nfacets = 0;
}

static int fail(struct capnp_exc *exc, enum capnp_exc_type type, const char *why)
{
	*exc = (struct capnp_exc){ type, why };
	return CAPNP_EXCEPTION;
}

/* Decode the grant's source into g->hold; NULL or the reason it is refused. */
static const char *decode_source(struct process *parent, const struct capos_CapGrant_r *cg,
				 struct grant *g)
{
	struct capos_CapGrant_source_r src = capos_CapGrant_get_source(cg);
	struct cap_hold h;
	int err;

	switch (capos_CapGrant_source_which(&src)) {
	case CAPOS_CAP_GRANT_SOURCE_UNSET:
		return "spawn: a grant's source is unset";
	case CAPOS_CAP_GRANT_SOURCE_RAW: {
		struct capos_CapGrant_source_raw_r raw = capos_CapGrant_source_get_raw(&src);
		uint32_t cap = capos_CapGrant_source_raw_get_capId(&raw);
		uint16_t mode = capos_CapGrant_source_raw_get_mode(&raw);
		if ((err = captable_lookup(&parent->caps, cap, &h)) == CAPTABLE_ERR_STALE)
			return "spawn: a grant names a stale cap";
		if (err != CAPTABLE_OK)
			return "spawn: a grant names no cap of the caller";
		if (mode == CAPOS_TRANSFER_MODE_COPY && h.mode != CAP_MODE_COPY)
			return "spawn: a granted cap may not be copied";
		if (mode == CAPOS_TRANSFER_MODE_MOVE && h.mode == CAP_MODE_LOCAL)
			return "spawn: a granted cap may not leave the caller";
		if (mode != CAPOS_TRANSFER_MODE_COPY && mode != CAPOS_TRANSFER_MODE_MOVE)
			return "spawn: unknown transfer mode";
		for (uint32_t i = 0; mode == CAPOS_TRANSFER_MODE_MOVE && i < ngrants; i++)
			if (grants[i].move && grants[i].parent_cap == cap)
				return "spawn: one cap moved twice";
		g->hold = h;
		g->hold.origin = CAP_ORIGIN_SPAWN_GRANT;
		g->move = mode == CAPOS_TRANSFER_MODE_MOVE;
		g->parent_cap = cap;
		return NULL;
	}
	case CAPOS_CAP_GRANT_SOURCE_CLIENT: {
		uint32_t cap = capos_CapGrant_source_get_client(&src);
		if ((err = captable_lookup(&parent->caps, cap, &h)) == CAPTABLE_ERR_STALE)
			return "spawn: a grant names a stale cap";
		if (err != CAPTABLE_OK)
			return "spawn: a grant names no cap of the caller";
		if (!endpoint_is_facet(h.object))
			return "spawn: a client grant needs an Endpoint owner or facet";
		struct kobj *c = endpoint_client_of(h.object);
		if (c == NULL)
			return "spawn: out of kernel memory";
		g->fresh_client = c != h.object;
		if (g->fresh_client)
			kobj_get(c);
		/* The child's label is the interface the service serves: the
		 * grant's expectedInterfaceId (checked by its runtime). */
		g->hold = kobj_hold(c, CAP_MODE_COPY, CAP_ORIGIN_SPAWN_GRANT);
		g->hold.interface_id = capos_CapGrant_get_expectedInterfaceId(cg);
		return NULL;
	}
	case CAPOS_CAP_GRANT_SOURCE_KERNEL: {
		if (restricted)
			return "launcher: grants come from the caller's own caps";
		uint16_t source = capos_CapGrant_source_get_kernel(&src);
		const struct manifest_policy policy = { .measurement = false };
		struct kernel_source ks;
		if (manifest_kernel_source_interface(source, &policy) == 0 ||
		    !kernel_source(source, &ks) || !ks.spawnable)
			return "spawn: a kernel source this spawner may not mint";
		if (ks.mint == NULL) {
			g->hold = kobj_hold(ks.obj, ks.mode, CAP_ORIGIN_SPAWN_GRANT);
			return NULL;
		}
		struct kobj *fresh = ks.mint();
		if (fresh == NULL)
			return source == CAPOS_KERNEL_CAP_SOURCE_TERMINAL ?
				       "spawn: the terminal already has its holder" :
				       "spawn: out of kernel memory";
		g->minted = true;
		kobj_get(fresh);
		g->hold = kobj_hold(fresh, ks.mode, CAP_ORIGIN_SPAWN_GRANT);
		if (source != CAPOS_KERNEL_CAP_SOURCE_ENDPOINT)
			return NULL;
		g->parent_facet = endpoint_client_of(fresh); /* the caller's result cap */
		if (g->parent_facet == NULL)
			return "spawn: out of kernel memory";
		kobj_get(g->parent_facet);
		nfacets++;
		return NULL;
	}
	default:
		return "spawn: unknown grant source";
	}
}

static const char *decode_grants(struct process *parent, const struct capnp_list *list)
{
	ngrants = nfacets = 0; /* before any refusal: the list is this spawn's */
	if (list->count > CAPSET_MAX_ENTRIES)
		return "spawn: more grants than a CapSet holds";
	for (uint32_t i = 0; i < list->count; i++) {
		struct capos_CapGrant_r cg;
		struct capnp_text name;
		struct grant *g = &grants[ngrants];
		*g = (struct grant){ 0 };
		if (capos_CapGrant_list_at(list, i, &cg) < 0 ||
		    capos_CapGrant_get_name(&cg, &name) < 0)
			return "spawn: malformed grant";
		if (name.len == 0 || name.len > CAPSET_NAME_MAX)
			return "spawn: a grant name is empty or over 32 bytes";
		for (uint32_t j = 0; j < ngrants; j++)
			if (grants[j].name_len == name.len &&
			    memcmp(grants[j].name, name.str, name.len) == 0)
				return "spawn: two grants with one name";
		memcpy(g->name, name.str, name.len);
		g->name_len = name.len;
		const char *why = decode_source(parent, &cg, g);
		ngrants++; /* whatever it made is now release_fresh's */
		if (why != NULL)
			return why;
		if (g->hold.interface_id != capos_CapGrant_get_expectedInterfaceId(&cg))
			return "spawn: expectedInterfaceId does not match the granted cap";
		if (nfacets + 1 > CALL_MAX_RESULT_CAPS)
			return "spawn: more endpoint grants than result caps";
	}
	return NULL;
}

/* The child's side: its table and CapSet, in grant order. */
static int grant_child(struct process *child, void *ctx)
{
	(void)ctx;
	for (uint32_t i = 0; i < ngrants; i++) {
		struct cap_reservation r;
		if (hold_charge(&child->ledger, &grants[i].hold) != 0)
			return -1;
		if (captable_reserve(&child->caps, &r) != CAPTABLE_OK) {
			hold_uncharge(&child->ledger, &grants[i].hold);
			return -1;
		}
		uint32_t cap_id = kobj_commit(&child->caps, r, &grants[i].hold);
		if (capset_add(capset_of(child), grants[i].name, grants[i].name_len, cap_id,
			       grants[i].hold.interface_id) != CAPSET_OK)
			return -1;
	}
	return 0;
}

static void abort_moves(struct process *parent, uint32_t upto)
{
	for (uint32_t i = 0; i < upto; i++)
		if (grants[i].move)
			captable_move_abort(&parent->caps, grants[i].parent_cap);
}

static int spawn(void *self, const struct capos_ProcessSpawner_spawn_Params_r *params,
		 struct capos_ProcessSpawner_spawn_Results_b *results, struct capnp_exc *exc)
{
	struct call_ctx *ctx = self;
	struct process *parent = ctx->proc, *child;
	struct capnp_text name, binary;
	struct capnp_list list;
	struct capnp_data image;

	/* Decode. */
	if (capos_ProcessSpawner_spawn_Params_get_name(params, &name) < 0 ||
	    capos_ProcessSpawner_spawn_Params_get_binaryName(params, &binary) < 0 ||
	    capos_ProcessSpawner_spawn_Params_get_grants(params, &list) < 0)
		return fail(exc, CAPNP_EXC_FAILED, "spawn: malformed params");
	if (name.len == 0 || name.len >= PROC_NAME_MAX)
		return fail(exc, CAPNP_EXC_FAILED, "spawn: name empty or over 31 bytes");
	if (restricted && !manifest_launcher_allows(binary.str, binary.len))
		return fail(exc, CAPNP_EXC_FAILED, "launcher: that binary is not on the allowlist");
	if (!manifest_binary(binary.str, binary.len, &image))
		return fail(exc, CAPNP_EXC_FAILED, "spawn: no such binary in the boot package");
	const char *why = decode_grants(parent, &list);
	if (why != NULL) {
		release_fresh();
		return fail(exc, CAPNP_EXC_FAILED, why);
	}
	capos_ProcessSpawner_spawn_Results_set_handleIndex(results, 0);
	if (!call_result_room(ctx, capnp_builder_finish(results->s.b), 1 + nfacets)) {
		release_fresh();
		return CAPNP_ERR_NO_SPACE; /* the caller sees CAP_ERR_RESULT_TRUNCATED */
	}

	/* Reserve: the caller's slots for the handle and the facets, ... */
	struct cap_reservation slots[CALL_MAX_RESULT_CAPS];
	uint32_t nslots = 0;
	int err = CAPTABLE_OK;
	while (nslots < 1 + nfacets &&
	       (err = captable_reserve(&parent->caps, &slots[nslots])) == CAPTABLE_OK)
		nslots++;
	struct kobj *handle = err == CAPTABLE_OK ? process_handle_new() : NULL;
	if (handle == NULL) {
		const char *refusal = err == CAPTABLE_ERR_QUOTA ?
					      "spawn: the caller's cap quota is exhausted" :
				      err != CAPTABLE_OK ? "spawn: the caller's cap table is full" :
							   "spawn: out of kernel memory";
		while (nslots > 0)
			captable_abort(&parent->caps, slots[--nslots]);
		release_fresh();
		return fail(exc, CAPNP_EXC_OVERLOADED, refusal);
	}
	/* ... each moved cap, ... */
	for (uint32_t i = 0; i < ngrants; i++) {
		if (grants[i].move && captable_move_reserve(&parent->caps, grants[i].parent_cap,
							    NULL) != CAPTABLE_OK) {
			abort_moves(parent, i);
			handle->ops->destroy(handle);
			while (nslots > 0)
				captable_abort(&parent->caps, slots[--nslots]);
			release_fresh();
			return fail(exc, CAPNP_EXC_FAILED, "spawn: a moved cap is busy");
		}
	}
	/* ... and the whole process, which gives back all it took on failure. */
	const struct process_spec spec = { name.str,	name.len, image.ptr, image.len,
					   grant_child, NULL,	  handle };
	if ((err = process_create(&spec, &child)) != PROC_OK) {
		abort_moves(parent, ngrants);
		handle->ops->destroy(handle);
		while (nslots > 0)
			captable_abort(&parent->caps, slots[--nslots]);
		release_fresh();
		if (err == PROC_ERR_ELF)
			return fail(exc, CAPNP_EXC_FAILED,
				    "spawn: the binary is not a loadable ELF");
		return fail(exc, CAPNP_EXC_OVERLOADED,
			    err == PROC_ERR_SLOTS ?
				    "spawn: no free process slot" :
			    err == PROC_ERR_GRANT ?
				    "spawn: the child's cap quota cannot hold the grants" :
				    "spawn: out of memory");
	}

	/* Commit: nothing below can fail. */
	for (uint32_t i = 0; i < ngrants; i++) {
		if (grants[i].move) {
			captable_move_commit(&parent->caps, grants[i].parent_cap);
			kobj_drop_hold(&parent->ledger, &grants[i].hold); /* the caller's is gone */
		}
	}
	struct cap_hold h = kobj_hold(handle, CAP_MODE_LOCAL, CAP_ORIGIN_RESULT_CAP);
	ctx->caps[0] = (struct cap_transfer_result){ kobj_commit(&parent->caps, slots[0], &h), 0,
						     CAPOS_PROCESS_HANDLE_INTERFACE_ID };
	ctx->ncaps = 1;
	for (uint32_t i = 0; i < ngrants; i++) {
		if (grants[i].parent_facet == NULL)
			continue;
		h = kobj_hold(grants[i].parent_facet, CAP_MODE_COPY, CAP_ORIGIN_RESULT_CAP);
		ctx->caps[ctx->ncaps] = (struct cap_transfer_result){
			kobj_commit(&parent->caps, slots[ctx->ncaps], &h), 0, h.interface_id
		};
		ctx->ncaps++;
	}
	kprintf("spawn: %s (pid %u) started %s as pid %u with %u caps\n", parent->name, parent->pid,
		child->name, child->pid, ngrants);
	release_fresh(); /* the holds keep what they took */
	return CAPNP_OK;
}

/* Every refused spawn is checked against its promise: the caller's table
 * and ledger and the free frames exactly as before. A difference is a
 * broken kernel invariant, not a user error. */
static int spawn_checked(void *self, const struct capos_ProcessSpawner_spawn_Params_r *params,
			 struct capos_ProcessSpawner_spawn_Results_b *results,
			 struct capnp_exc *exc)
{
	struct process *p = ((struct call_ctx *)self)->proc;
	uint32_t live = p->caps.live;
	uint64_t slots = ledger_used(&p->ledger, LEDGER_CAP_SLOTS);
	uint64_t frames = frame_free_count();
	int err = spawn(self, params, results, exc);
	if (err != CAPNP_OK &&
	    (p->caps.live != live || ledger_used(&p->ledger, LEDGER_CAP_SLOTS) != slots ||
	     frame_free_count() != frames))
		kernel_halt_failure("spawn: a refused spawn changed the caller's caps (%u -> %u), "
				    "cap quota (%lu -> %lu) or free frames (%lu -> %lu)",
				    live, p->caps.live, slots,
				    ledger_used(&p->ledger, LEDGER_CAP_SLOTS), frames,
				    frame_free_count());
	return err;
}

static const struct capos_ProcessSpawner_server spawner_server = { .spawn = spawn_checked };

static int spawner_call(struct kobj *o, struct call_ctx *ctx, uint16_t method,
			struct capnp_msg *params, struct capnp_builder *results,
			struct capnp_exc *exc)
{
	(void)o;
	return capos_ProcessSpawner_dispatch(&spawner_server, ctx, method, params, results, exc);
}

static const struct kobj_ops spawner_ops = { CAPOS_PROCESS_SPAWNER_INTERFACE_ID, "ProcessSpawner",
					     spawner_call, NULL };
struct kobj process_spawner_obj = { &spawner_ops, 0, 0 };

/* The restricted shell launcher: the same spawn, limited to the manifest's
 * launcherAllowlist and to grants of the caller's own caps, so a shell can
 * start programs without broad spawn authority. */
static int launcher_call(struct kobj *o, struct call_ctx *ctx, uint16_t method,
			 struct capnp_msg *params, struct capnp_builder *results,
			 struct capnp_exc *exc)
{
	(void)o;
	restricted = true;
	int err = capos_ProcessSpawner_dispatch(&spawner_server, ctx, method, params, results, exc);
	restricted = false;
	return err;
}

static const struct kobj_ops launcher_ops = { CAPOS_PROCESS_SPAWNER_INTERFACE_ID, "ShellLauncher",
					      launcher_call, NULL };
struct kobj shell_launcher_obj = { &launcher_ops, 0, 0 };

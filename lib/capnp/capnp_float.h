/*
 * Float <-> bit-pattern helpers for Cap'n Proto Float32/Float64 fields.
 * Separate from capnp.h because the kernel is built with
 * -mgeneral-regs-only and never touches floating point; only code that
 * reads or writes float fields includes this.
 */
#pragma once

#include <stdint.h>

static inline float capnp_f32_from_bits(uint32_t bits)
{
	union {
		uint32_t u;
		float f;
	} v = { .u = bits };
	return v.f;
}

static inline double capnp_f64_from_bits(uint64_t bits)
{
	union {
		uint64_t u;
		double f;
	} v = { .u = bits };
	return v.f;
}

static inline uint32_t capnp_f32_to_bits(float f)
{
	union {
		uint32_t u;
		float f;
	} v = { .f = f };
	return v.u;
}

static inline uint64_t capnp_f64_to_bits(double f)
{
	union {
		uint64_t u;
		double f;
	} v = { .f = f };
	return v.u;
}

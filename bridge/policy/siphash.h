/* SPDX-License-Identifier: MIT */
/*
 * bridge/policy/siphash.h — SipHash-2-4 (Aumasson, Bernstein, "SipHash: a
 * fast short-input PRF", 2012): the keyed hash of the source table, so a
 * sender who does not know the key cannot choose addresses that collide.
 */
#ifndef CWP_SIPHASH_H
#define CWP_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* cwp_siphash24() - the 64-bit SipHash-2-4 of data[0..len-1] under key[16]. */
uint64_t cwp_siphash24(const uint8_t key[16], const void *data, size_t len);

#endif

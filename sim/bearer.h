/* SPDX-License-Identifier: MIT */
/*
 * bearer.h — the simulator's words for a SETUP's information transfer
 * capability (Q.931 §4.5.5 octet 3, libpri's PRI_TRANS_CAP_*): the `call
 * ... bearer WORD` option and the report's "bearer".
 */
#ifndef SIM_BEARER_H
#define SIM_BEARER_H

/* "speech", "audio" (3.1 kHz), "digital" (unrestricted), "restricted" (restricted
 * digital), "video"; "other" for another capability. */
const char *sim_bearer_name(int transfer_capability);

/* The capability of a word above (not "other"): 0 with *ret, or -1. */
int sim_bearer_from_name(const char *name, int *ret);

/* The user information layer 1 (octet 5) to send with it: G.711 A-law for speech and
 * 3.1 kHz audio, none (-1: libpri leaves the octet out) for the digital ones. */
int sim_bearer_layer1(int transfer_capability);

/* The usage text of the option's words: "speech|audio|digital|restricted|video". */
#define SIM_BEARER_WORDS "speech|audio|digital|restricted|video"

#endif /* SIM_BEARER_H */

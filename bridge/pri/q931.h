/* SPDX-License-Identifier: MIT */
/*
 * q931.h — a bounded walker over the Q.931 part of a Q.921 frame, enough to
 * read and rewrite the Cause IE that libpri neither exposes on receive nor
 * lets the caller set on send (docs/libpri.md §4), to read the Progress
 * indicators and the Cause diagnostic libpri does not report with a clearing,
 * to add the Progress indicator and the Cause diagnostic pri_hangup() cannot
 * send, to code and decode cause 22's new number, and to read the calling
 * number's presentation / screening and the Display IE of a message.
 *
 * Everything here parses untrusted bytes from the D-channel: every length is
 * checked against the buffer before it is used; nothing allocates.
 */
#ifndef BRIDGE_PRI_Q931_H
#define BRIDGE_PRI_Q931_H

#include <stddef.h>
#include <stdint.h>

/* Q.931 §4.2: protocol discriminator for user-network call control messages. */
#define CWI_Q931_PD 0x08
/* Q.931 §4.5.12: Cause information element identifier (codeset 0). */
#define CWI_Q931_IE_CAUSE 0x08
/* Q.931 §4.5.23: Progress indicator information element identifier (codeset 0). */
#define CWI_Q931_IE_PROGRESS 0x1e
/* Q.931 §4.5.8: Called party number information element identifier (codeset 0). */
#define CWI_Q931_IE_CALLED_NUMBER 0x70
/* Q.931 §4.5.10: Calling party number information element identifier (codeset 0). */
#define CWI_Q931_IE_CALLING_NUMBER 0x6c
/* Q.931 §4.5.16: Display information element identifier (codeset 0). */
#define CWI_Q931_IE_DISPLAY 0x28
/* Characters of a Display IE kept by the decoder (Q.931 §4.5.16: at most 80; networks
   often limit it to 34). */
#define CWI_Q931_DISPLAY_MAX 80
/* Q.931 Table 4-3: a Cause IE is 4 to 32 octets, identifier and length included. */
#define CWI_Q931_CAUSE_IE_MAX 32
/* Diagnostic octets of a Cause IE kept by the decoder (Q.850 §2.2.8; cause 22's new
   number is the longest the bridge uses). More than a Cause IE can hold after octet 4
   (CWI_Q931_CAUSE_IE_MAX - 4 = 28, the most libpri's octets 3 and 4 leave room for). */
#define CWI_Q931_DIAG_MAX 32
/* Digits of a new number that fit a cause 22 diagnostic next to libpri's octets 3 and 4:
   32 - 2 (Cause identifier, length) - 2 (octets 3, 4) - 3 (0x70, length, octet 3). */
#define CWI_Q931_NEW_NUMBER_MAX 25

/* Q.931 §4.4 message types used by the simulator and the bridge. */
enum cwi_q931_msg {
	CWI_Q931_ALERTING = 0x01,
	CWI_Q931_CALL_PROCEEDING = 0x02,
	CWI_Q931_PROGRESS = 0x03,
	CWI_Q931_SETUP = 0x05,
	CWI_Q931_CONNECT = 0x07,
	CWI_Q931_SETUP_ACK = 0x0d,
	CWI_Q931_CONNECT_ACK = 0x0f,
	CWI_Q931_DISCONNECT = 0x45,
	CWI_Q931_RELEASE = 0x4d,
	CWI_Q931_RELEASE_COMPLETE = 0x5a,
	CWI_Q931_STATUS = 0x7d
};

/* One decoded Q.931 message (only what the adapter needs). */
struct cwi_q931_info {
	unsigned crlen;      /* call reference length, 0..2 accepted (Q.931 §4.3) */
	unsigned crv;        /* call reference value without the flag, 15 bits max */
	int flag;            /* call reference flag: 1 = sent to the originating side */
	int msgtype;         /* message type octet (Q.931 §4.4) */
	int has_cause;       /* a Cause IE in codeset 0 was found and was long enough */
	int cause_coding;    /* octet 3 bits 7-6: coding standard (Q.850 §2.2.2) */
	int cause_location;  /* octet 3 bits 4-1: location (Q.850 §2.2.3) */
	int cause_value;     /* octet 4 bits 7-1: cause value (Q.850 §2.2.5) */
	unsigned n_causes;   /* Cause IEs seen (well-formed or not) */
	unsigned cause_diag_len; /* diagnostic octets of the first Cause IE (octet 5 on),
	                            at most CWI_Q931_DIAG_MAX kept */
	uint8_t cause_diag[CWI_Q931_DIAG_MAX];
	int has_progress;    /* a well-formed Progress indicator IE in codeset 0 was found */
	int progress_location;    /* first PI: octet 3 bits 4-1 (Q.931 §4.5.23) */
	int progress_description; /* first PI: octet 4 bits 7-1 */
	uint32_t progress_mask;   /* 1u << description of every PI (descriptions 1..31) */
	int has_calling;     /* a Calling party number IE in codeset 0 was found (the first) */
	int calling_pres;    /* its octet 3a as libpri's callerpres (Q.931 §4.5.10):
	                        presentation bits 7-6 | screening bits 2-1; 0 (allowed, not
	                        screened) when octet 3a is absent */
	int has_display;     /* a Display IE in codeset 0 was found (the first) */
	char display[CWI_Q931_DISPLAY_MAX + 1]; /* its characters, NUL-terminated, cut at
	                        CWI_Q931_DISPLAY_MAX; a leading octet with bit 8 set (the
	                        ANSI T1.607 display type libpri sends for NI2, DMS100, ...)
	                        is skipped; NUL octets end it */
};

/*
 * cwi_q921_payload() - find the layer 3 payload of a Q.921 frame (without the
 * 2 FCS bytes): an I frame (Q.921 §3.6.2, control bit 1 = 0, 2 control
 * octets) or a UI frame (control 0x03, 1 octet), SAPI 0 (call control,
 * Q.921 §3.3.3). Returns the offset of the payload, or -1 when the frame
 * carries no SAPI 0 layer 3 message.
 */
int cwi_q921_payload(const uint8_t *frame, size_t len);

/*
 * cwi_q931_decode() - decode the Q.931 message in msg[0..len): protocol
 * discriminator, call reference, message type, then walk the IEs and keep
 * the first Cause IE of codeset 0. Returns 0, or -1 when the message is not
 * Q.931 or is truncated before the message type (ret_info is then
 * undefined). A truncated or hostile IE ends the walk; what was found before
 * it is kept.
 */
int cwi_q931_decode(const uint8_t *msg, size_t len, struct cwi_q931_info *ret_info);

/*
 * cwi_q931_rewrite_cause_location() - set the location nibble (octet 3 bits
 * 4-1) of every Cause IE of codeset 0 in msg[0..len) to location (0..15).
 * Returns how many IEs were rewritten (0 when none, or when msg is not
 * Q.931), or -1 for a location outside 0..15.
 */
int cwi_q931_rewrite_cause_location(uint8_t *msg, size_t len, int location);

/*
 * cwi_q931_add_progress() - insert a Progress indicator IE (Q.931 §4.5.23:
 * coding standard CCITT, location 0..15, description 1..127) into the
 * message msg[0..len) held in a buffer of cap octets, at its place in the
 * ascending order of codeset 0 (Q.931 §4.5.1: before the first IE with a
 * higher identifier, single-octet and shift IEs included), moving tail
 * octets (tail = octets after the message, e.g. the 2 FCS bytes) along.
 * Returns the new length of the message (len + 4), 0 when nothing was done
 * (a Progress indicator is there already), or -1 (not Q.931, a truncated
 * IE before the place, no room, bad argument).
 */
int cwi_q931_add_progress(uint8_t *msg, size_t len, size_t tail, size_t cap, int location,
                         int description);

/*
 * cwi_q931_add_cause_diagnostic() - append diagnostic octets diag[0..n) to the
 * first well-formed Cause IE of codeset 0 in the message msg[0..len) (Q.850
 * §2.2.8: octets 5 on), held in a buffer of cap octets: the IE's length
 * octet grows by n and the rest of the message and tail octets (e.g. the 2
 * FCS bytes) move along. Only when that IE's cause value is cause and it has
 * no diagnostic yet. Returns the new length of the message (len + n), 0 when
 * nothing was done (no Cause IE, another cause value, a diagnostic there
 * already), or -1 (not Q.931, bad argument, no room in the buffer, or the IE
 * would pass CWI_Q931_CAUSE_IE_MAX octets).
 */
int cwi_q931_add_cause_diagnostic(uint8_t *msg, size_t len, size_t tail, size_t cap, int cause,
                                 const uint8_t *diag, size_t n);

/*
 * cwi_q931_diag_encode_new_number() - cause 22's diagnostic (Q.850 Table 2:
 * "new destination", in the format of the Called party number IE, Q.931
 * §4.5.8) for digits (1..CWI_Q931_NEW_NUMBER_MAX of 0-9, *, #): 0x70, length,
 * octet 3 = 0x81 (ext 1, type of number unknown, ISDN/telephony plan E.164),
 * then the IA5 digits. Writes into buf[0..cap); returns the number of octets,
 * or -1 (bad digits, too many, no room; buf untouched).
 */
int cwi_q931_diag_encode_new_number(const char *digits, uint8_t *buf, size_t cap);

/*
 * cwi_q931_diag_new_number() - decode cause 22's new number from the
 * diagnostic diag[0..n) of a Cause IE: either the whole Called party number
 * IE (0x70, length, contents; Q.931 §4.5.8) or its contents alone. Octet 3
 * (and a tolerated octet 3a) is skipped; the IA5 digits (0-9, *, #) follow.
 * With the identifier, the IE's own length bounds the number (octets after
 * the IE are ignored) and a length beyond n is refused (truncated). Writes
 * the NUL-terminated digits into out[0..outlen) and returns 0; returns -1 (out
 * untouched) when there is no number: no digits, a non-digit, a truncated
 * IE, no octet 3 with the ext bit, or a number that does not fit outlen
 * (refused, never cut: a cut number is a wrong number).
 */
int cwi_q931_diag_new_number(const uint8_t *diag, size_t n, char *out, size_t outlen);

/* cwi_q931_msg_name() - "SETUP", "CALL PROCEEDING", ...; "UNKNOWN" otherwise. */
const char *cwi_q931_msg_name(int msgtype);

#endif

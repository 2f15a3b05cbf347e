/* SPDX-License-Identifier: MIT */
/* test_q931.c — the Q.921/Q.931 walker and the Cause IE decode/rewrite, on hex vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "q931.h"

static int failures, checks;

#define CHECK(cond) do { \
	checks++; \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

/* Parses "08 02 80 01" into buf; returns the length. */
static size_t hex(const char *s, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	while (*s && n < cap) {
		char *end;
		unsigned long v;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		v = strtoul(s, &end, 16);
		if (end == s)
			abort();
		buf[n++] = (uint8_t)v;
		s = end;
	}
	return n;
}

static void test_q921(void)
{
	uint8_t b[64];
	size_t n;

	n = hex("02 01 00 00 08 02 80 01 45", b, sizeof(b)); /* I frame, SAPI 0 TEI 0 */
	CHECK(cwi_q921_payload(b, n) == 4);
	n = hex("02 ff 03 08 01 01 05", b, sizeof(b));       /* UI frame, broadcast TEI */
	CHECK(cwi_q921_payload(b, n) == 3);
	n = hex("02 01 01 00", b, sizeof(b));                /* RR (S frame) */
	CHECK(cwi_q921_payload(b, n) == -1);
	n = hex("02 01 7f", b, sizeof(b));                   /* SABME (U frame) */
	CHECK(cwi_q921_payload(b, n) == -1);
	n = hex("fc 01 00 00 08", b, sizeof(b));             /* SAPI 63 (management) */
	CHECK(cwi_q921_payload(b, n) == -1);
	n = hex("02 01 00 00", b, sizeof(b));                /* I frame with no payload */
	CHECK(cwi_q921_payload(b, n) == -1);
	n = hex("03 01 00 00 08", b, sizeof(b));             /* EA0 set: 1-octet address, invalid */
	CHECK(cwi_q921_payload(b, n) == -1);
	CHECK(cwi_q921_payload(b, 0) == -1);
	CHECK(cwi_q921_payload(NULL, 10) == -1);
}

static void test_decode(void)
{
	struct cwi_q931_info in;
	uint8_t b[64];
	size_t n;

	/* DISCONNECT, CRV 1 to the originator, Cause ITU-T / LPN / 16. */
	n = hex("08 02 80 01 45 08 02 81 90", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0);
	CHECK(in.crlen == 2 && in.crv == 1 && in.flag == 1);
	CHECK(in.msgtype == CWI_Q931_DISCONNECT);
	CHECK(in.has_cause && in.cause_value == 16 && in.cause_location == 1 && in.cause_coding == 0);

	/* Octet 3a present (ext bit 0 in octet 3): cause 17, location LN, CRV 0x1234. */
	n = hex("08 02 12 34 5a 08 03 02 80 91", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0);
	CHECK(in.crv == 0x1234 && in.flag == 0 && in.msgtype == CWI_Q931_RELEASE_COMPLETE);
	CHECK(in.has_cause && in.cause_value == 17 && in.cause_location == 2);

	/* Coding standard national (2), location TN. */
	n = hex("08 02 00 05 4d 08 02 c3 95", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.cause_coding == 2 && in.cause_location == 3 &&
	      in.cause_value == 21);

	/* Cause after other IEs (Channel id, Progress indicator). */
	n = hex("08 02 80 07 03 18 03 a9 83 81 1e 02 82 88 08 02 84 a2", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.msgtype == CWI_Q931_PROGRESS);
	CHECK(in.has_cause && in.cause_value == 34 && in.cause_location == 4);

	/* No Cause. */
	n = hex("08 02 00 01 05 04 03 80 90 a3", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.msgtype == CWI_Q931_SETUP && !in.has_cause &&
	      in.n_causes == 0);

	/* Truncated Cause IE (length 5, 1 byte left): no cause, still decoded. */
	n = hex("08 02 00 01 45 08 05 82", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && !in.has_cause);
	/* Cause IE with only octet 3: counted, not decoded. */
	n = hex("08 02 00 01 45 08 01 82", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && !in.has_cause && in.n_causes == 1);
	/* Octet 3a present but octet 4 missing. */
	n = hex("08 02 00 01 45 08 02 02 80", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && !in.has_cause);
	/* IE identifier as the last byte (no length). */
	n = hex("08 02 00 01 45 08", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && !in.has_cause);
	/* Hostile length 255 inside a short message. */
	n = hex("08 02 00 01 45 1c ff 00 08 02 82 90", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && !in.has_cause);

	/* Locking shift to codeset 6: the 0x08 IE after it is not Q.931's Cause. */
	n = hex("08 02 00 01 45 96 08 02 82 90", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && !in.has_cause);
	/* Non-locking shift applies to the next IE only. */
	n = hex("08 02 00 01 45 9e 08 02 85 81 08 02 82 90", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.has_cause && in.cause_value == 16 &&
	      in.cause_location == 2 && in.n_causes == 1);

	/* Escape to a national message type. */
	n = hex("08 02 00 01 00 62", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.msgtype == 0x162);
	n = hex("08 02 00 01 00", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == -1);

	/* Dummy call reference (length 0): STATUS. */
	n = hex("08 00 7d", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.crlen == 0 && in.msgtype == CWI_Q931_STATUS);
	/* One-octet CRV (BRI). */
	n = hex("08 01 81 45", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.crv == 1 && in.flag == 1);

	/* Not Q.931 / broken headers. */
	n = hex("09 02 00 01 45", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == -1);
	n = hex("08 0f 00 01 45", b, sizeof(b)); /* CR length 15 */
	CHECK(cwi_q931_decode(b, n, &in) == -1);
	n = hex("08 03 00 01 02 45", b, sizeof(b)); /* CR length 3: not used on PRI/BRI */
	CHECK(cwi_q931_decode(b, n, &in) == -1);
	n = hex("08 12 00 01 45", b, sizeof(b)); /* spare bits set */
	CHECK(cwi_q931_decode(b, n, &in) == -1);
	n = hex("08 02 00 01", b, sizeof(b));    /* no message type */
	CHECK(cwi_q931_decode(b, n, &in) == -1);
	n = hex("08 02 00 01 c5", b, sizeof(b)); /* bit 8 of message type set */
	CHECK(cwi_q931_decode(b, n, &in) == -1);
	CHECK(cwi_q931_decode(b, 0, &in) == -1);
	CHECK(cwi_q931_decode(NULL, 5, &in) == -1);
	CHECK(cwi_q931_decode(b, n, NULL) == -1);
}

static void test_rewrite(void)
{
	struct cwi_q931_info in;
	uint8_t b[64], want[64];
	size_t n, m;

	n = hex("08 02 80 01 45 08 02 81 90", b, sizeof(b));
	CHECK(cwi_q931_rewrite_cause_location(b, n, 0) == 1);
	m = hex("08 02 80 01 45 08 02 80 90", want, sizeof(want));
	CHECK(n == m && memcmp(b, want, n) == 0);
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.cause_location == 0 && in.cause_value == 16);

	/* Coding standard and ext bit kept; octet 3a untouched. */
	n = hex("08 02 12 34 5a 08 03 42 80 91", b, sizeof(b));
	CHECK(cwi_q931_rewrite_cause_location(b, n, 10) == 1);
	m = hex("08 02 12 34 5a 08 03 4a 80 91", want, sizeof(want));
	CHECK(n == m && memcmp(b, want, n) == 0);

	/* Two Cause IEs (RELEASE may carry two, Q.931 §3.1.9): both. */
	n = hex("08 02 00 01 4d 08 02 81 90 08 02 81 a2", b, sizeof(b));
	CHECK(cwi_q931_rewrite_cause_location(b, n, 7) == 2);
	m = hex("08 02 00 01 4d 08 02 87 90 08 02 87 a2", want, sizeof(want));
	CHECK(n == m && memcmp(b, want, n) == 0);

	/* Codeset 6 IE 0x08 untouched; truncated IE untouched. */
	n = hex("08 02 00 01 45 96 08 02 82 90", b, sizeof(b));
	memcpy(want, b, n);
	CHECK(cwi_q931_rewrite_cause_location(b, n, 3) == 0 && memcmp(b, want, n) == 0);
	n = hex("08 02 00 01 45 08 05 82 90", b, sizeof(b));
	memcpy(want, b, n);
	CHECK(cwi_q931_rewrite_cause_location(b, n, 3) == 0 && memcmp(b, want, n) == 0);
	/* Zero-length Cause IE: nothing to rewrite. */
	n = hex("08 02 00 01 45 08 00", b, sizeof(b));
	CHECK(cwi_q931_rewrite_cause_location(b, n, 3) == 0);
	/* Out-of-range location and non-Q.931 input. */
	n = hex("08 02 80 01 45 08 02 81 90", b, sizeof(b));
	CHECK(cwi_q931_rewrite_cause_location(b, n, 16) == -1);
	CHECK(cwi_q931_rewrite_cause_location(b, n, -1) == -1);
	n = hex("09 02 80 01 45 08 02 81 90", b, sizeof(b));
	CHECK(cwi_q931_rewrite_cause_location(b, n, 2) == 0);
}

/* Progress indicator decode and insertion; the Cause diagnostic (cause 22's new number). */
static void test_progress_diag(void)
{
	struct cwi_q931_info in;
	uint8_t b[64];
	size_t n;
	int r;

	/* DISCONNECT cause 17 LN with PI 8 (in-band information), location LN. */
	n = hex("08 02 80 01 45 08 02 82 91 1e 02 82 88", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.has_cause && in.cause_value == 17);
	CHECK(in.has_progress && in.progress_description == 8 && in.progress_location == 2);
	CHECK(in.progress_mask == (1u << 8) && in.cause_diag_len == 0);
	/* Two PIs (1 and 8): the first is kept, both are in the mask. */
	n = hex("08 02 80 01 03 1e 02 81 81 1e 02 82 88", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.progress_description == 1 &&
	      in.progress_mask == ((1u << 1) | (1u << 8)));
	/* A PI of length 1 is not well-formed: ignored. */
	n = hex("08 02 80 01 45 1e 01 82", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && !in.has_progress && in.progress_mask == 0);
	/* A PI in codeset 6 (locking shift) is not ours. */
	n = hex("08 02 80 01 45 96 1e 02 82 88", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && !in.has_progress);
	/* Cause 22 with a diagnostic: the new number as Called party number octets (Q.850). */
	n = hex("08 02 80 01 45 08 07 82 96 81 35 35 35 39", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.cause_value == 22);
	CHECK(in.cause_diag_len == 5 && in.cause_diag[0] == 0x81 && in.cause_diag[4] == '9');
	/* Octet 3a present: the diagnostic starts after octet 4. */
	n = hex("08 02 80 01 45 08 04 02 80 96 aa", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.cause_value == 22 && in.cause_diag_len == 1 &&
	      in.cause_diag[0] == 0xaa);
	/* A diagnostic longer than kept: bounded. */
	memset(b, '7', sizeof(b));
	n = hex("08 02 80 01 45 08 30 82 96", b, sizeof(b));
	CHECK(cwi_q931_decode(b, 9 + 0x2e, &in) == 0 && in.cause_diag_len == CWI_Q931_DIAG_MAX);

	/* Insertion into libpri's DISCONNECT (Cause only), with 2 FCS bytes behind. */
	n = hex("08 02 80 01 45 08 02 81 90 fc fc", b, sizeof(b));
	r = cwi_q931_add_progress(b, n - 2, 2, sizeof(b), 1, 8);
	CHECK(r == 13);
	{
		uint8_t want[15];
		size_t wn = hex("08 02 80 01 45 08 02 81 90 1e 02 81 88 fc fc", want, sizeof(want));

		CHECK(wn == 15 && memcmp(b, want, wn) == 0);
	}
	CHECK(cwi_q931_decode(b, (size_t)r, &in) == 0 && in.has_progress &&
	      in.progress_description == 8 && in.cause_value == 16);
	/* Again: there is one already, nothing done. */
	CHECK(cwi_q931_add_progress(b, (size_t)r, 2, sizeof(b), 1, 8) == 0);
	/* Before a higher IE (Display 0x28) and before a shift. */
	n = hex("08 02 80 01 45 08 02 81 90 28 02 41 42", b, sizeof(b));
	CHECK(cwi_q931_add_progress(b, n, 0, sizeof(b), 2, 8) == 17);
	CHECK(b[9] == 0x1e && b[13] == 0x28 && b[16] == 0x42);
	n = hex("08 02 80 01 45 96 08 02 81 90", b, sizeof(b));
	CHECK(cwi_q931_add_progress(b, n, 0, sizeof(b), 2, 8) == 14 && b[5] == 0x1e && b[9] == 0x96);
	/* No room, truncated IE before the place, not Q.931, bad arguments: -1. */
	n = hex("08 02 80 01 45 08 02 81 90", b, sizeof(b));
	CHECK(cwi_q931_add_progress(b, n, 0, n + 3, 1, 8) == -1);
	n = hex("08 02 80 01 45 08 09 81 90", b, sizeof(b));
	CHECK(cwi_q931_add_progress(b, n, 0, sizeof(b), 1, 8) == -1);
	n = hex("09 02 80 01 45", b, sizeof(b));
	CHECK(cwi_q931_add_progress(b, n, 0, sizeof(b), 1, 8) == -1);
	n = hex("08 02 80 01 45", b, sizeof(b));
	CHECK(cwi_q931_add_progress(b, n, 0, sizeof(b), 16, 8) == -1);
	CHECK(cwi_q931_add_progress(b, n, 0, sizeof(b), 1, 0) == -1);
	CHECK(cwi_q931_add_progress(NULL, n, 0, sizeof(b), 1, 8) == -1);
	/* At the end of a message without IEs. */
	CHECK(cwi_q931_add_progress(b, n, 0, sizeof(b), 1, 8) == 9 && b[5] == 0x1e && b[8] == 0x88);
}

/* Cause 22's new number (Q.850 Table 2): encoding, insertion into a sent Cause IE, decoding. */
static void test_new_number(void)
{
	struct cwi_q931_info in;
	uint8_t b[64], d[64], want[64];
	char out[32];
	size_t n, m;
	int r;

	/* Encoding: the Called party number IE as a whole, octet 3 = 0x81. */
	r = cwi_q931_diag_encode_new_number("4930999", d, sizeof(d));
	m = hex("70 08 81 34 39 33 30 39 39 39", want, sizeof(want));
	CHECK(r == 10 && (size_t)r == m && memcmp(d, want, m) == 0);
	CHECK(cwi_q931_diag_encode_new_number("*31#", d, sizeof(d)) == 7 && d[1] == 5);
	CHECK(cwi_q931_diag_encode_new_number("1234567890123456789012345", d, sizeof(d)) == 28);
	CHECK(cwi_q931_diag_encode_new_number("12345678901234567890123456", d, sizeof(d)) == -1);
	CHECK(cwi_q931_diag_encode_new_number("", d, sizeof(d)) == -1);
	CHECK(cwi_q931_diag_encode_new_number("+4930", d, sizeof(d)) == -1);
	CHECK(cwi_q931_diag_encode_new_number("49 30", d, sizeof(d)) == -1);
	CHECK(cwi_q931_diag_encode_new_number("4930", d, 6) == -1); /* no room: 7 octets */
	CHECK(cwi_q931_diag_encode_new_number("4930", d, 7) == 7);
	CHECK(cwi_q931_diag_encode_new_number(NULL, d, sizeof(d)) == -1);

	/* Decoding, good cases: the whole IE, the contents alone, with an octet 3a. */
	memset(out, 'x', sizeof(out));
	m = hex("70 08 81 34 39 33 30 39 39 39", d, sizeof(d));
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == 0 && strcmp(out, "4930999") == 0);
	m = hex("81 35 35 35 39", d, sizeof(d));
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == 0 && strcmp(out, "5559") == 0);
	m = hex("70 04 01 80 2a 23", d, sizeof(d)); /* octet 3a tolerated; '*', '#' */
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == 0 && strcmp(out, "*#") == 0);
	m = hex("00 83 31", d, sizeof(d));
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == 0 && strcmp(out, "1") == 0);
	/* The IE's own length bounds the number: octets after it are not digits of it. */
	m = hex("70 03 81 31 32 ff 08 02", d, sizeof(d));
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == 0 && strcmp(out, "12") == 0);

	/* Refused, out untouched: a length beyond n (truncated), no digits, a bad digit,
	   no octet 3 with ext = 1, two octets before it, empty input. */
	strcpy(out, "keep");
	m = hex("70 08 81 34 39 33", d, sizeof(d));
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == -1);
	m = hex("70 01 81", d, sizeof(d));
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == -1);
	m = hex("70 00", d, sizeof(d));
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == -1);
	m = hex("81", d, sizeof(d));
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == -1);
	m = hex("70 05 81 34 2b 33 30", d, sizeof(d)); /* '+' is no IA5 number digit here */
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == -1);
	m = hex("81 34 39 b3", d, sizeof(d)); /* bit 8 set in a digit */
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == -1);
	m = hex("34 39 33 30", d, sizeof(d)); /* digits only: no octet 3 */
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == -1);
	m = hex("01 02 81 34", d, sizeof(d)); /* octet 3 and two more before the digits */
	CHECK(cwi_q931_diag_new_number(d, m, out, sizeof(out)) == -1);
	CHECK(cwi_q931_diag_new_number(d, 0, out, sizeof(out)) == -1);
	CHECK(cwi_q931_diag_new_number(NULL, 4, out, sizeof(out)) == -1);
	CHECK(cwi_q931_diag_new_number(d, m, NULL, sizeof(out)) == -1);
	CHECK(cwi_q931_diag_new_number(d, m, out, 0) == -1);
	CHECK(strcmp(out, "keep") == 0);
	/* A number longer than out is refused, never cut: 7 digits need 8 octets. */
	m = hex("70 08 81 34 39 33 30 39 39 39", d, sizeof(d));
	CHECK(cwi_q931_diag_new_number(d, m, out, 7) == -1 && strcmp(out, "keep") == 0);
	CHECK(cwi_q931_diag_new_number(d, m, out, 8) == 0 && strcmp(out, "4930999") == 0);

	/* Insertion into libpri's DISCONNECT 22 (2 FCS bytes behind): the IE grows. */
	n = hex("08 02 80 01 45 08 02 81 96 fc fc", b, sizeof(b));
	m = (size_t)cwi_q931_diag_encode_new_number("4930999", d, sizeof(d));
	r = cwi_q931_add_cause_diagnostic(b, n - 2, 2, sizeof(b), 22, d, m);
	CHECK(r == 9 + 10);
	n = hex("08 02 80 01 45 08 0c 81 96 70 08 81 34 39 33 30 39 39 39 fc fc", want,
	        sizeof(want));
	CHECK(r > 0 && (size_t)r + 2 == n && memcmp(b, want, n) == 0);
	CHECK(cwi_q931_decode(b, (size_t)r, &in) == 0 && in.cause_value == 22 &&
	      in.cause_diag_len == 10 && cwi_q931_diag_new_number(in.cause_diag, in.cause_diag_len,
	                                                         out, sizeof(out)) == 0 &&
	      strcmp(out, "4930999") == 0);
	/* Again: a diagnostic is there already, nothing done. */
	CHECK(cwi_q931_add_cause_diagnostic(b, (size_t)r, 2, sizeof(b), 22, d, m) == 0);
	/* Another cause value, no Cause IE: nothing done. */
	n = hex("08 02 80 01 45 08 02 81 90", b, sizeof(b));
	CHECK(cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 22, d, m) == 0);
	n = hex("08 02 80 01 4d", b, sizeof(b));
	CHECK(cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 22, d, m) == 0);
	/* A codeset 6 IE 0x08 (non-locking shift) is skipped; octet 3a kept; the Progress
	   indicator after the Cause IE moves along. */
	n = hex("08 02 80 01 45 9e 08 02 81 96 08 03 02 81 96 1e 02 82 88", b, sizeof(b));
	r = cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 22, d, m);
	CHECK(r == (int)n + 10 && b[10] == 0x08 && b[11] == 13 && b[12 + 2 + 1] == 0x70 &&
	      b[12 + 13] == 0x1e);
	CHECK(cwi_q931_decode(b, (size_t)r, &in) == 0 && in.cause_diag_len == 10 &&
	      in.has_progress && in.progress_description == 8);
	/* After a locking shift to codeset 6 there is no Cause IE of codeset 0. */
	n = hex("08 02 80 01 45 96 08 02 81 96", b, sizeof(b));
	CHECK(cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 22, d, m) == 0);
	/* No room in the buffer; an IE beyond 32 octets (Q.931 Table 4-3); bad arguments. */
	n = hex("08 02 80 01 45 08 02 81 96 fc fc", b, sizeof(b));
	CHECK(cwi_q931_add_cause_diagnostic(b, n - 2, 2, n + 9, 22, d, m) == -1);
	CHECK(cwi_q931_add_cause_diagnostic(b, n - 2, 2, n + 10, 22, d, m) == 19);
	n = hex("08 02 80 01 45 08 02 81 96", b, sizeof(b));
	memset(d, '1', sizeof(d));
	CHECK(cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 22, d, 28) == 9 + 28);
	n = hex("08 02 80 01 45 08 02 81 96", b, sizeof(b));
	CHECK(cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 22, d, 29) == -1);
	CHECK(cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 22, d, 0) == -1);
	CHECK(cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 0, d, 5) == -1);
	CHECK(cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 22, NULL, 5) == -1);
	CHECK(cwi_q931_add_cause_diagnostic(NULL, n, 0, sizeof(b), 22, d, 5) == -1);
	n = hex("09 02 80 01 45 08 02 81 96", b, sizeof(b));
	CHECK(cwi_q931_add_cause_diagnostic(b, n, 0, sizeof(b), 22, d, 5) == -1);
}

/* Calling party number octet 3a and the Display IE (the calling name libpri sends). */
static void test_calling_display(void)
{
	struct cwi_q931_info in;
	uint8_t b[128];
	size_t n;

	/* SETUP: Calling party number restricted / passed, Display with T1.607 type octet. */
	n = hex("08 02 00 01 05 28 06 b1 41 6c 69 63 65 6c 09 00 a1 34 39 33 30 35 35 35",
	        b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.has_calling && in.calling_pres == 0x21);
	CHECK(in.has_display && strcmp(in.display, "Alice") == 0);
	/* No octet 3a: allowed, not screened (Q.931 §4.5.10); Display without type octet. */
	n = hex("08 02 00 01 05 28 03 42 6f 62 6c 04 81 34 39 33", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.has_calling && in.calling_pres == 0 &&
	      strcmp(in.display, "Bob") == 0);
	/* Not available, no digits (libpri's PRES_NUMBER_NOT_AVAILABLE); no Display. */
	n = hex("08 02 00 01 05 6c 02 00 c3", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.has_calling && in.calling_pres == 0x43 &&
	      !in.has_display && in.display[0] == '\0');
	/* A NUL in the Display ends it; a Display longer than kept is cut. */
	n = hex("08 02 00 01 05 28 03 41 00 42", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && strcmp(in.display, "A") == 0);
	memset(b, 'z', sizeof(b));
	n = hex("08 02 00 01 05 28 64", b, sizeof(b));
	CHECK(cwi_q931_decode(b, 7 + 100, &in) == 0 && strlen(in.display) == CWI_Q931_DISPLAY_MAX);
	/* Empty IEs; codeset 6 ignored. */
	n = hex("08 02 00 01 05 28 00 6c 00", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && in.has_display && in.display[0] == '\0' &&
	      !in.has_calling);
	n = hex("08 02 00 01 05 96 28 02 41 42 6c 02 00 a0", b, sizeof(b));
	CHECK(cwi_q931_decode(b, n, &in) == 0 && !in.has_display && !in.has_calling);
}

static void test_names(void)
{
	CHECK(strcmp(cwi_q931_msg_name(CWI_Q931_SETUP), "SETUP") == 0);
	CHECK(strcmp(cwi_q931_msg_name(CWI_Q931_RELEASE_COMPLETE), "RELEASE COMPLETE") == 0);
	CHECK(strcmp(cwi_q931_msg_name(0x7f), "UNKNOWN") == 0);
}

int main(void)
{
	test_q921();
	test_decode();
	test_rewrite();
	test_progress_diag();
	test_new_number();
	test_calling_display();
	test_names();
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}

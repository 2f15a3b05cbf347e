/* SPDX-License-Identifier: MIT */
/*
 * fuzz_q931.c — libFuzzer target for the Q.921/Q.931 walker: the input is a
 * D-channel frame as libpri's read callback sees it (Q.921 frame + 2 FCS
 * bytes). Decode, rewrite a copy, add a Progress indicator to another, append
 * cause 22's new number to a third, decode new numbers, and check the invariants.
 */
#include <stdlib.h>
#include <string.h>

#include "q931.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cwi_q931_info a, b;
	uint8_t *copy;
	size_t flen = size >= 2 ? size - 2 : 0;
	int off, n, ra, rb;

	off = cwi_q921_payload(data, flen);
	if (off < 0) {
		/* Also treat the whole input as a bare Q.931 message. */
		(void)cwi_q931_decode(data, size, &a);
		return 0;
	}
	copy = malloc(flen ? flen : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, flen);
	ra = cwi_q931_decode(data + off, flen - (size_t)off, &a);
	n = cwi_q931_rewrite_cause_location(copy + off, flen - (size_t)off, (int)(size % 16));
	rb = cwi_q931_decode(copy + off, flen - (size_t)off, &b);
	/* The rewrite changes only location nibbles: the structure is the same. */
	if (ra != rb || n < 0)
		abort();
	if (ra == 0) {
		if (a.msgtype != b.msgtype || a.crv != b.crv || a.has_cause != b.has_cause ||
		    a.n_causes != b.n_causes || (unsigned)n > a.n_causes)
			abort();
		if (a.has_cause && (a.cause_value != b.cause_value ||
		                    b.cause_location != (int)(size % 16)))
			abort();
	}
	/* Rewriting the same location again changes nothing. */
	{
		uint8_t *again = malloc(flen ? flen : 1);

		if (again) {
			memcpy(again, copy, flen);
			(void)cwi_q931_rewrite_cause_location(again + off, flen - (size_t)off,
			                                     (int)(size % 16));
			if (memcmp(again, copy, flen) != 0)
				abort();
			free(again);
		}
	}
	/* Adding a Progress indicator keeps the message decodable, with the same
	   type and cause, and a PI; the tail (FCS) moves along unchanged. */
	if (ra == 0) {
		size_t ml = flen - (size_t)off, cap = ml + 2 + 4;
		uint8_t *grow = malloc(cap);
		int r;

		if (grow) {
			memcpy(grow, data + off, ml + 2);
			r = cwi_q931_add_progress(grow, ml, 2, cap, (int)(size % 16), 8);
			if (r > 0) {
				if ((size_t)r != ml + 4 || cwi_q931_decode(grow, (size_t)r, &b) != 0 ||
				    !b.has_progress || b.msgtype != a.msgtype ||
				    b.has_cause != a.has_cause || b.cause_value != a.cause_value ||
				    memcmp(grow + r, data + off + ml, 2) != 0)
					abort();
			} else if (r == 0 && !a.has_progress) {
				abort();
			}
			free(grow);
		}
	}
	if (ra == 0 && (a.cause_diag_len > CWI_Q931_DIAG_MAX ||
	                strlen(a.display) > CWI_Q931_DISPLAY_MAX))
		abort();
	/* Appending cause 22's new number to the first Cause IE keeps the message
	   decodable, with the same type and cause, and the number decodes back. */
	if (ra == 0) {
		size_t ml = flen - (size_t)off, cap = ml + 2 + CWI_Q931_CAUSE_IE_MAX;
		uint8_t *grow = malloc(cap), d[CWI_Q931_CAUSE_IE_MAX];
		char num[CWI_Q931_DIAG_MAX];
		int dn = cwi_q931_diag_encode_new_number("4930999", d, sizeof(d)), r;

		if (grow && dn > 0) {
			memcpy(grow, data + off, ml + 2);
			r = cwi_q931_add_cause_diagnostic(grow, ml, 2, cap, a.has_cause ? a.cause_value : 22,
			                                 d, (size_t)dn);
			if (r > 0) {
				if ((size_t)r != ml + (size_t)dn || cwi_q931_decode(grow, (size_t)r, &b) != 0 ||
				    b.msgtype != a.msgtype || !b.has_cause || b.cause_value != a.cause_value ||
				    b.cause_diag_len != (unsigned)dn ||
				    cwi_q931_diag_new_number(b.cause_diag, b.cause_diag_len, num,
				                            sizeof(num)) != 0 ||
				    strcmp(num, "4930999") != 0 || memcmp(grow + r, data + off + ml, 2) != 0)
					abort();
			} else if (r == 0 && a.has_cause && a.cause_diag_len == 0) {
				abort();
			}
		}
		free(grow);
	}
	/* The new-number decoder on the diagnostic and on the raw input: bounded, terminated. */
	{
		char num[8];

		if (ra == 0 && cwi_q931_diag_new_number(a.cause_diag, a.cause_diag_len, num,
		                                       sizeof(num)) == 0 && strlen(num) >= sizeof(num))
			abort();
		if (cwi_q931_diag_new_number(data, size, num, sizeof(num)) == 0 &&
		    (strlen(num) == 0 || strlen(num) >= sizeof(num)))
			abort();
	}
	free(copy);
	return 0;
}

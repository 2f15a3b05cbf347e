/* SPDX-License-Identifier: MIT */
/*
 * pri_call.c — pri_call.h over libpri: SETUP through a pri_sr, the other messages
 * through pri_proceeding(), pri_acknowledge(), pri_progress(), pri_answer()
 * and pri_hangup() (docs/libpri.md §2, §5).
 */
#include <stdio.h>
#include <string.h>

#include "span_impl.h"

/* Q.931 §4.5.10 octet 3a: presentation (bits 7-6) and screening (bits 2-1). */
static int calling_pres(const struct cwi_pri_setup *s)
{
	if (!s->calling || !s->calling[0])
		return PRES_NUMBER_NOT_AVAILABLE;
	return (s->presentation == 1 ? PRI_PRES_RESTRICTED : PRI_PRES_ALLOWED) | (s->screening & 3);
}

/* Q.931 §4.5.5 octet 3: the information transfer capability. */
static int transfer_capability(enum cwi_pri_bearer bearer)
{
	switch (bearer) {
	case CWI_PRI_BEARER_AUDIO_3K1:
		return PRI_TRANS_CAP_3_1K_AUDIO;
	case CWI_PRI_BEARER_DIGITAL:
		return PRI_TRANS_CAP_DIGITAL;
	default:
		return PRI_TRANS_CAP_SPEECH;
	}
}

/* Q.931 §4.5.5 octet 5: G.711 for speech and 3.1 kHz audio; an unrestricted digital
 * call has no user information layer 1 (the octets are the user's), which libpri
 * leaves out for -1. */
static int user_layer1(const struct cwi_pri_setup *s)
{
	if (s->bearer == CWI_PRI_BEARER_DIGITAL)
		return -1;
	return s->alaw ? PRI_LAYER_1_ALAW : PRI_LAYER_1_ULAW;
}

/* Q.952 §4.1.2: the Redirecting number IE (libpri sends octet 3a's presentation only, no
 * screening; the count goes out where the switch type has a diversion counter: Q.SIG). */
static void set_redirecting(struct pri_sr *sr, const struct cwi_pri_redirecting *r)
{
	struct pri_party_redirecting rd;
	size_t n;
	static const int pres[] = { PRI_PRES_ALLOWED, PRI_PRES_RESTRICTED, PRI_PRES_UNAVAILABLE };

	if (!r || !r->present)
		return;
	memset(&rd, 0, sizeof(rd));
	rd.from.number.valid = 1;
	rd.from.number.plan = (r->ton & 7) << 4 | (r->npi & 15);
	rd.from.number.presentation =
		(r->digits[0] ? pres[r->presentation >= 0 && r->presentation <= 2 ? r->presentation : 0]
		              : PRI_PRES_UNAVAILABLE) | PRI_PRES_USER_NUMBER_UNSCREENED;
	n = strnlen(r->digits, sizeof(rd.from.number.str) - 1);
	memcpy(rd.from.number.str, r->digits, n);
	rd.reason = r->reason & 15;
	rd.count = r->count;
	pri_sr_set_redirecting_parties(sr, &rd);
}

/* Fill sr from setup: libpri's setters take char *, hence the copies. */
static void fill_request(struct pri_sr *sr, const struct cwi_pri_setup *s)
{
	char called[CWI_PRI_DIGITS_MAX], calling[CWI_PRI_DIGITS_MAX], name[CWI_PRI_DIGITS_MAX];

	snprintf(called, sizeof(called), "%s", s->called ? s->called : "");
	snprintf(calling, sizeof(calling), "%s", s->calling ? s->calling : "");
	snprintf(name, sizeof(name), "%s", s->calling_name ? s->calling_name : "");
	pri_sr_set_channel(sr, s->channel, s->exclusive ? 1 : 0, 0);
	pri_sr_set_bearer(sr, transfer_capability(s->bearer), user_layer1(s));
	/* Q.931 §4.5.8/§4.5.10 octet 3: type of number << 4 | numbering plan; libpri
	 * copies the strings into the request */
	pri_sr_set_called(sr, called, (s->called_ton & 7) << 4 | (s->called_npi & 15),
	                  s->overlap ? 0 : 1);
	pri_sr_set_caller(sr, calling[0] ? calling : NULL, name[0] ? name : NULL,
	                  (s->calling_ton & 7) << 4 | (s->calling_npi & 15), calling_pres(s));
	set_redirecting(sr, s->redirecting);
}

int cwi_pri_call_setup(struct cwi_span *span, const struct cwi_pri_setup *setup,
                      struct cwi_pri_call **ret_call, int *ret_cref)
{
	struct pri *pri = cwi_span_pri(span);
	struct pri_sr *sr;
	q931_call *q;
	int mode = 0, crv;

	if (!setup || !ret_call || !ret_cref)
		return -1;
	q = pri_new_call(pri);
	if (!q)
		return -1;
	sr = pri_sr_new();
	if (!sr) {
		pri_destroycall(pri, q);
		return -1;
	}
	fill_request(sr, setup);
	/* Q.931 §5.1.3: libpri leaves Sending complete out only with overlapdial on, read
	   while it builds the SETUP */
	if (setup->overlap)
		pri_set_overlapdial(pri, 1);
	if (pri_setup(pri, q, sr) != 0) {
		pri_set_overlapdial(pri, 0);
		pri_sr_free(sr);
		pri_destroycall(pri, q);
		return -1;
	}
	pri_set_overlapdial(pri, 0);
	pri_sr_free(sr);
	/* libpri form: (CRV << 3 | callmode) plus 0x8000 on calls we originated
	 * (docs/libpri.md §4); events confirm it. */
	crv = pri_get_crv(pri, q, &mode);
	*ret_call = CWI_PRI_CALL_OF(q);
	*ret_cref = ((crv << 3) | mode) | 0x8000;
	return 0;
}

int cwi_pri_call_setup_ack(struct cwi_span *span, struct cwi_pri_call *call, int channel)
{
	return pri_need_more_info(cwi_span_pri(span), CWI_PRI_Q931_OF(call), channel, 0) == 0 ? 0
	                                                                                  : -1;
}

int cwi_pri_call_information(struct cwi_span *span, struct cwi_pri_call *call, const char *digits)
{
	for (; digits && *digits; digits++)
		if (pri_information(cwi_span_pri(span), CWI_PRI_Q931_OF(call), *digits) != 0)
			return -1;
	return 0;
}

int cwi_pri_call_proceeding(struct cwi_span *span, struct cwi_pri_call *call, int channel)
{
	return pri_proceeding(cwi_span_pri(span), CWI_PRI_Q931_OF(call), channel, 0) == 0 ? 0 : -1;
}

int cwi_pri_call_alerting(struct cwi_span *span, struct cwi_pri_call *call, int channel, int inband)
{
	/* libpri: ALERTING is pri_acknowledge(); info=1 adds PI 8 (docs/libpri.md §5) */
	return pri_acknowledge(cwi_span_pri(span), CWI_PRI_Q931_OF(call), channel, inband ? 1 : 0) == 0
	               ? 0
	               : -1;
}

int cwi_pri_call_progress(struct cwi_span *span, struct cwi_pri_call *call, int channel, int inband)
{
	/* libpri can send PI 8 only (info=1); PI 1 goes out as info=0 */
	return pri_progress(cwi_span_pri(span), CWI_PRI_Q931_OF(call), channel, inband ? 1 : 0) == 0
	               ? 0
	               : -1;
}

int cwi_pri_call_connected(struct cwi_span *span, struct cwi_pri_call *call,
                          const struct cwi_pri_party *party, const char *name)
{
	struct pri_party_connected_line line;
	int number = party && party->digits[0], named = name && name[0];
	size_t n;

	if (!number && !named)
		return -1;
	memset(&line, 0, sizeof(line));
	if (number) {
		/* Q.951 §3 (COLP): the Connected number IE, octet 3 and 3a as for the calling
		 * number (Q.931 §4.5.10); libpri sends it in the CONNECT from local_id */
		line.id.number.valid = 1;
		line.id.number.plan = (party->ton & 7) << 4 | (party->npi & 15);
		line.id.number.presentation = (party->presentation == 1 ? PRI_PRES_RESTRICTED
		                                                        : PRI_PRES_ALLOWED) |
		                              (party->screening & 3);
		n = strnlen(party->digits, sizeof(line.id.number.str) - 1);
		memcpy(line.id.number.str, party->digits, n); /* NUL from the memset */
	}
	if (named) {
		/* on QSIG a connectedName (ECMA-164) in a Facility IE of the CONNECT, which needs
		 * the span's facilities (enabled on QSIG spans) */
		line.id.name.valid = 1;
		line.id.name.presentation = PRI_PRES_ALLOWED;
		line.id.name.char_set = 1; /* ISO 8859-1 (ECMA-164 CharacterSet) */
		snprintf(line.id.name.str, sizeof(line.id.name.str), "%s", name);
	}
	/* one update: libpri keeps the whole connected line of the last one */
	return pri_connected_line_update(cwi_span_pri(span), CWI_PRI_Q931_OF(call), &line) == 0
	               ? 0
	               : -1;
}

int cwi_pri_call_answer(struct cwi_span *span, struct cwi_pri_call *call, int channel)
{
	return pri_answer(cwi_span_pri(span), CWI_PRI_Q931_OF(call), channel, 0) == 0 ? 0 : -1;
}

int cwi_pri_call_hangup(struct cwi_span *span, struct cwi_pri_call *call, int cause)
{
	return pri_hangup(cwi_span_pri(span), CWI_PRI_Q931_OF(call), cause) == 0 ? 0 : -1;
}

void cwi_pri_call_destroy(struct cwi_span *span, struct cwi_pri_call *call)
{
	if (call)
		pri_destroycall(cwi_span_pri(span), CWI_PRI_Q931_OF(call));
}

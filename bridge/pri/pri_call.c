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

/* Fill sr from setup: libpri's setters take char *, hence the copies. */
static void fill_request(struct pri_sr *sr, const struct cwi_pri_setup *s)
{
	char called[CWI_PRI_DIGITS_MAX], calling[CWI_PRI_DIGITS_MAX], name[CWI_PRI_DIGITS_MAX];

	snprintf(called, sizeof(called), "%s", s->called ? s->called : "");
	snprintf(calling, sizeof(calling), "%s", s->calling ? s->calling : "");
	snprintf(name, sizeof(name), "%s", s->calling_name ? s->calling_name : "");
	pri_sr_set_channel(sr, s->channel, s->exclusive ? 1 : 0, 0);
	pri_sr_set_bearer(sr, s->bearer == CWI_PRI_BEARER_AUDIO_3K1 ? PRI_TRANS_CAP_3_1K_AUDIO
	                                                           : PRI_TRANS_CAP_SPEECH,
	                  s->alaw ? PRI_LAYER_1_ALAW : PRI_LAYER_1_ULAW);
	/* Q.931 §4.5.8/§4.5.10 octet 3: type of number << 4 | numbering plan; libpri
	 * copies the strings into the request */
	pri_sr_set_called(sr, called, (s->called_ton & 7) << 4 | (s->called_npi & 15), 1);
	pri_sr_set_caller(sr, calling[0] ? calling : NULL, name[0] ? name : NULL,
	                  (s->calling_ton & 7) << 4 | (s->calling_npi & 15), calling_pres(s));
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
	if (pri_setup(pri, q, sr) != 0) {
		pri_sr_free(sr);
		pri_destroycall(pri, q);
		return -1;
	}
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

int cwi_pri_call_answer(struct cwi_span *span, struct cwi_pri_call *call, int channel)
{
	return pri_answer(cwi_span_pri(span), CWI_PRI_Q931_OF(call), channel, 0) == 0 ? 0 : -1;
}

int cwi_pri_call_answer_named(struct cwi_span *span, struct cwi_pri_call *call, int channel,
                              const char *name)
{
	struct pri_party_connected_line connected;

	if (name && name[0]) {
		memset(&connected, 0, sizeof(connected));
		connected.id.name.valid = 1;
		connected.id.name.presentation = PRI_PRES_ALLOWED;
		connected.id.name.char_set = 1; /* ISO 8859-1 (ECMA-164 CharacterSet) */
		snprintf(connected.id.name.str, sizeof(connected.id.name.str), "%s", name);
		if (pri_connected_line_update(cwi_span_pri(span), CWI_PRI_Q931_OF(call),
		                              &connected) != 0)
			return -1;
	}
	return cwi_pri_call_answer(span, call, channel);
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

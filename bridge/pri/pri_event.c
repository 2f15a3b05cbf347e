/* SPDX-License-Identifier: MIT */
/*
 * pri_event.c — libpri's event union -> struct cwi_pri_event: the kinds the
 * bridge handles and every field it reads, with the Q.931 octets libpri
 * packs (plans, presentation, progress bits) taken apart. Pure.
 */
#include <string.h>

#include "span_impl.h"

static void copy_text(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Q.931 §4.5.23 progress descriptions as libpri's PRI_PROG_* bits -> bit n = description n. */
static unsigned pi_from_libpri(int mask)
{
	static const struct {
		int prog;
		unsigned n;
	} m[] = {
		{ PRI_PROG_CALL_NOT_E2E_ISDN, 1 },  { PRI_PROG_CALLED_NOT_ISDN, 2 },
		{ PRI_PROG_CALLER_NOT_ISDN, 3 },    { PRI_PROG_CALLER_RETURNED_TO_ISDN, 4 },
		{ PRI_PROG_INBAND_AVAILABLE, 8 },   { PRI_PROG_DELAY_AT_INTERF, 10 },
	};
	unsigned pi = 0;
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (mask & m[i].prog)
			pi |= 1u << m[i].n;
	return pi;
}

/* libpri's channel code: the B-channel in the low 8 bits (span and flags above). */
static int channel_number(int channel)
{
	return channel > 0 ? (channel & 0xff) : 0;
}

/* Q.931 §4.5.8 / §4.5.10 octet 3: type of number << 4 | numbering plan. */
static void party_plan(struct cwi_pri_party *p, int plan)
{
	p->ton = (plan >> 4) & 7;
	p->npi = plan & 15;
}

/* The Redirecting number: libpri's redirecting subcommand (presentation and count, Q.SIG's
   diversion counter), else the ring event's own fields (always allowed, count 1). */
static void from_redirecting(const pri_event_ring *r, struct cwi_pri_redirecting *out)
{
	const struct pri_party_redirecting *rd = NULL;
	int i;

	for (i = 0; r->subcmds && i < r->subcmds->counter_subcmd && i < PRI_MAX_SUBCOMMANDS; i++)
		if (r->subcmds->subcmd[i].cmd == PRI_SUBCMD_REDIRECTING)
			rd = &r->subcmds->subcmd[i].u.redirecting;
	if (rd && rd->from.number.valid) {
		copy_text(out->digits, sizeof(out->digits), rd->from.number.str);
		out->ton = (rd->from.number.plan >> 4) & 7;
		out->npi = rd->from.number.plan & 15;
		out->presentation = (rd->from.number.presentation >> 5) & 3; /* octet 3a bits 7-6 */
		out->reason = rd->reason & 15;
		out->count = rd->count > 0 ? rd->count : 1;
		out->present = 1;
	} else if (r->redirectingnum[0]) {
		copy_text(out->digits, sizeof(out->digits), r->redirectingnum);
		out->ton = (r->callingplanrdnis >> 4) & 7;
		out->npi = r->callingplanrdnis & 15;
		out->reason = r->redirectingreason & 15;
		out->count = 1;
		out->present = 1;
	}
}

static void from_ring(const pri_event_ring *r, struct cwi_pri_event *out)
{
	out->call = CWI_PRI_CALL_OF(r->call);
	out->cref = r->cref;
	out->channel = channel_number(r->channel);
	out->exclusive = !r->flexible;
	copy_text(out->called.digits, sizeof(out->called.digits), r->callednum);
	out->complete = r->complete ? 1 : 0;
	party_plan(&out->called, r->calledplan);
	copy_text(out->calling.digits, sizeof(out->calling.digits), r->callingnum);
	party_plan(&out->calling, r->callingplan);
	out->calling.presentation = (r->callingpres >> 5) & 3; /* §4.5.10 octet 3a bits 7-6 */
	out->calling.screening = r->callingpres & 3;           /* octet 3a bits 2-1 */
	copy_text(out->calling.name, sizeof(out->calling.name), r->callingname);
	from_redirecting(r, &out->redirecting);
	out->bearer = r->ctype == PRI_TRANS_CAP_SPEECH       ? CWI_PRI_BEARER_SPEECH
	              : r->ctype == PRI_TRANS_CAP_3_1K_AUDIO ? CWI_PRI_BEARER_AUDIO_3K1
	              : r->ctype == PRI_TRANS_CAP_DIGITAL    ? CWI_PRI_BEARER_DIGITAL
	                                                     : CWI_PRI_BEARER_OTHER;
}

int cwi_pri_answer_connected(const pri_event_answer *a, struct cwi_pri_party *out)
{
	const struct pri_party_number *n;
	int i;

	memset(out, 0, sizeof(*out));
	for (i = 0; a->subcmds && i < a->subcmds->counter_subcmd && i < PRI_MAX_SUBCOMMANDS; i++) {
		if (a->subcmds->subcmd[i].cmd != PRI_SUBCMD_CONNECTED_LINE)
			continue;
		n = &a->subcmds->subcmd[i].u.connected_line.id.number;
		if (!n->valid || !n->str[0])
			continue;
		copy_text(out->digits, sizeof(out->digits), n->str);
		party_plan(out, n->plan);
		/* Q.951 §3.2 / Q.931 §4.5.10 octet 3a, as libpri keeps it */
		out->presentation = (n->presentation >> 5) & 3;
		out->screening = n->presentation & 3;
		return 1;
	}
	return 0;
}

/* The connected line of a CONNECT (libpri's PRI_SUBCMD_CONNECTED_LINE): its name. */
static void connected_name(const struct pri_subcommands *subcmds, struct cwi_pri_event *out)
{
	int i;

	for (i = 0; subcmds && i < subcmds->counter_subcmd && i < PRI_MAX_SUBCOMMANDS; i++) {
		const struct pri_party_name *n = &subcmds->subcmd[i].u.connected_line.id.name;

		if (subcmds->subcmd[i].cmd == PRI_SUBCMD_CONNECTED_LINE && n->valid)
			copy_text(out->connected_name, sizeof(out->connected_name), n->str);
	}
}

static void from_hangup(const pri_event_hangup *h, struct cwi_pri_event *out)
{
	out->call = CWI_PRI_CALL_OF(h->call);
	out->cref = h->cref;
	out->cause = h->cause;
}

void cwi_pri_event_from_libpri(const pri_event *e, struct cwi_pri_event *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = CWI_PRI_EV_OTHER;
	out->name = cwi_span_event_name(e->e);
	out->cref = -1;
	switch (e->e) {
	case PRI_EVENT_DCHAN_UP:
		out->kind = CWI_PRI_EV_DCHAN_UP;
		break;
	case PRI_EVENT_DCHAN_DOWN:
		out->kind = CWI_PRI_EV_DCHAN_DOWN;
		break;
	case PRI_EVENT_RESTART:
		out->kind = CWI_PRI_EV_RESTART;
		out->channel = e->restart.channel < 0 ? -1 : channel_number(e->restart.channel);
		break;
	case PRI_EVENT_SERVICE:
		/* ANSI T1.607 Change status: 0 in service, 1 maintenance, 2 out of service */
		out->kind = CWI_PRI_EV_SERVICE;
		out->channel = channel_number(e->service.channel);
		out->in_service = e->service.changestatus == 0;
		break;
	case PRI_EVENT_CONFIG_ERR:
		out->kind = CWI_PRI_EV_CONFIG_ERR;
		copy_text(out->text, sizeof(out->text), e->err.err);
		break;
	case PRI_EVENT_RING:
		out->kind = CWI_PRI_EV_RING;
		from_ring(&e->ring, out);
		break;
	case PRI_EVENT_INFO_RECEIVED:
		/* libpri reports INFORMATION in the ring member */
		out->kind = CWI_PRI_EV_INFO;
		out->call = CWI_PRI_CALL_OF(e->ring.call);
		out->cref = e->ring.cref;
		copy_text(out->called.digits, sizeof(out->called.digits), e->ring.callednum);
		out->complete = e->ring.complete ? 1 : 0;
		break;
	case PRI_EVENT_SETUP_ACK:
		out->kind = CWI_PRI_EV_SETUP_ACK; /* no call reference in libpri's event */
		out->call = CWI_PRI_CALL_OF(e->setup_ack.call);
		break;
	case PRI_EVENT_PROCEEDING:
		out->kind = CWI_PRI_EV_PROCEEDING;
		out->call = CWI_PRI_CALL_OF(e->proceeding.call);
		out->cref = e->proceeding.cref;
		break;
	case PRI_EVENT_RINGING:
		out->kind = CWI_PRI_EV_RINGING;
		out->call = CWI_PRI_CALL_OF(e->ringing.call);
		out->cref = e->ringing.cref;
		out->pi_mask = pi_from_libpri(e->ringing.progressmask);
		break;
	case PRI_EVENT_PROGRESS:
		/* libpri reports PROGRESS in the proceeding member */
		out->kind = CWI_PRI_EV_PROGRESS;
		out->call = CWI_PRI_CALL_OF(e->proceeding.call);
		out->cref = e->proceeding.cref;
		out->cause = e->proceeding.cause;
		out->pi_mask = pi_from_libpri(e->proceeding.progressmask);
		break;
	case PRI_EVENT_ANSWER:
		out->kind = CWI_PRI_EV_ANSWER;
		out->call = CWI_PRI_CALL_OF(e->answer.call);
		out->cref = e->answer.cref;
		(void)cwi_pri_answer_connected(&e->answer, &out->connected);
		connected_name(e->answer.subcmds, out);
		break;
	case PRI_EVENT_CONNECT_ACK:
		/* libpri's connect_ack carries no call reference */
		out->kind = CWI_PRI_EV_CONNECT_ACK;
		out->call = CWI_PRI_CALL_OF(e->connect_ack.call);
		break;
	case PRI_EVENT_HANGUP_REQ:
		out->kind = CWI_PRI_EV_HANGUP_REQ;
		from_hangup(&e->hangup, out);
		break;
	case PRI_EVENT_HANGUP:
		out->kind = CWI_PRI_EV_HANGUP;
		from_hangup(&e->hangup, out);
		break;
	case PRI_EVENT_HANGUP_ACK:
		out->kind = CWI_PRI_EV_HANGUP_ACK;
		from_hangup(&e->hangup, out);
		break;
	default:
		break;
	}
}

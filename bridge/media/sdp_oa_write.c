/* SPDX-License-Identifier: MIT */
/*
 * sdp_oa_write.c — the gateway's own session descriptions (RFC 4566 §5,
 * lines in the order of §5: v o s c t, then each m= with its a= lines).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sdp_oa_internal.h"

void sdp_oa_printf(struct sdp_oa_out *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out->buf + out->len, out->cap - out->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= out->cap - out->len) {
		out->overflow = 1;
		return;
	}
	out->len += (size_t)n;
}

static const char *addrtype(const char *address)
{
	return strchr(address, ':') ? "IP6" : "IP4";
}

void sdp_oa_write_origin(struct sdp_oa_out *out, const char *address, uint64_t id,
                         uint64_t version)
{
	sdp_oa_printf(out, "v=0\r\no=causeway %" PRIu64 " %" PRIu64 " IN %s %s\r\n", id, version,
	              addrtype(address), address);
}

void sdp_oa_write_session(struct sdp_oa_out *out, const char *address, const char *t_start,
                          const char *t_stop)
{
	sdp_oa_printf(out, "s=causeway\r\nc=IN %s %s\r\nt=%s %s\r\n", addrtype(address), address,
	              t_start, t_stop);
}

/* RFC 4733 §2.4.1: the events as a list of ranges ("0-15", "0-9,11"). */
static void write_events(struct sdp_oa_out *out, uint16_t events)
{
	const char *sep = "";
	int lo, hi;

	for (lo = 0; lo < 16; lo = hi + 1) {
		if (!(events & (1u << lo))) {
			hi = lo;
			continue;
		}
		for (hi = lo; hi + 1 < 16 && (events & (1u << (hi + 1))); hi++)
			;
		if (hi == lo)
			sdp_oa_printf(out, "%s%d", sep, lo);
		else
			sdp_oa_printf(out, "%s%d-%d", sep, lo, hi);
		sep = ",";
	}
}

static const char *direction_name(enum cwm_sdp_oa_direction d)
{
	switch (d) {
	case CWM_SDP_OA_SENDONLY:
		return "sendonly";
	case CWM_SDP_OA_RECVONLY:
		return "recvonly";
	case CWM_SDP_OA_INACTIVE:
		return "inactive";
	case CWM_SDP_OA_SENDRECV:
		break;
	}
	return "sendrecv";
}

static const char *law_name(enum cwm_sdp_oa_law law)
{
	return law == CWM_SDP_OA_ALAW ? "PCMA" : "PCMU";
}

void sdp_oa_write_audio(struct sdp_oa_out *out, const struct sdp_oa_audio *a)
{
	enum cwm_sdp_oa_law other = a->law == CWM_SDP_OA_ALAW ? CWM_SDP_OA_ULAW : CWM_SDP_OA_ALAW;

	if (a->clearmode) {
		/* RFC 4040 §3, §5: the octets of a 64 kbit/s channel, as they are */
		sdp_oa_printf(out, "m=audio %u %s %d\r\na=rtpmap:%d CLEARMODE/8000\r\n", a->port,
		              a->proto, a->pt, a->pt);
		sdp_oa_printf(out, "a=ptime:%u\r\na=%s\r\n", a->ptime, direction_name(a->direction));
		return;
	}
	sdp_oa_printf(out, "m=audio %u %s %d", a->port, a->proto, a->pt);
	if (a->other_pt >= 0)
		sdp_oa_printf(out, " %d", a->other_pt);
	if (a->te_pt >= 0)
		sdp_oa_printf(out, " %d", a->te_pt);
	/* RFC 3264 §5.1: rtpmap for the static types too, as most peers expect. */
	sdp_oa_printf(out, "\r\na=rtpmap:%d %s/8000\r\n", a->pt, law_name(a->law));
	if (a->other_pt >= 0)
		sdp_oa_printf(out, "a=rtpmap:%d %s/8000\r\n", a->other_pt, law_name(other));
	if (a->te_pt >= 0) {
		sdp_oa_printf(out, "a=rtpmap:%d telephone-event/8000\r\na=fmtp:%d ", a->te_pt,
		              a->te_pt);
		write_events(out, a->te_events);
		sdp_oa_printf(out, "\r\n");
	}
	sdp_oa_printf(out, "a=ptime:%u\r\na=%s\r\n", a->ptime, direction_name(a->direction));
}

void sdp_oa_write_refused(struct sdp_oa_out *out, const char *media, const char *proto,
                          const char *fmts)
{
	sdp_oa_printf(out, "m=%s 0 %s %s\r\n", media, proto, fmts);
}

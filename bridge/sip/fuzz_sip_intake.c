/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sip_intake.c — libFuzzer target for what the SIP adapter does with
 * received bytes before any transaction sees them. The input is used twice:
 *
 *   - as one UDP datagram (as transport.c delivers it: at most
 *     CWS_TP_MAX_MSG bytes, NUL-terminated, none of 4 bytes or fewer)
 *     through cws_intake_shed() (the overload's 503) and cws_intake_check();
 *   - as a TCP byte stream, framed the way transport.c's connection reader
 *     does (keep-alive CRLFs skipped, cws_frame_message(), the buffer
 *     limit), once in a single read and once in reads of 1 to 64 bytes
 *     whose sizes come from the input. Every framed message goes through
 *     cws_intake_check() over TCP.
 *
 * Aborts when a verdict breaks its contract (what the adapter relies on
 * when it dereferences the message), when a frame is not inside the
 * buffer, or when the split reads frame different messages, or end the
 * stream differently, than the single read.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip_frame.h"
#include "sip_intake.h" /* libosip2 too */
#include "transport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Past this a stream costs too much per input (framing rescans the buffer). */
#define MAX_STREAM (2 * CWS_TP_MAX_MSG)

#define CHECK(cond)                                                                        \
	do {                                                                               \
		if (!(cond))                                                               \
			abort();                                                           \
	} while (0)

static void check_verdict(const struct cws_intake *v, size_t len)
{
	static const char salvage_start[] = "SIP/2.0 400 Bad Request\r\n";
	static const char salvage_end[] = "Content-Length: 0\r\n\r\n";
	osip_message_t *m = v->event ? v->event->sip : NULL;

	switch (v->kind) {
	case CWS_INTAKE_ACCEPT:
		/* sip_stack.c, sip_uas.c and sip_uac.c read these without checking */
		CHECK(m != NULL && v->reply == NULL);
		CHECK(osip_list_size(&m->vias) > 0 && m->call_id && m->call_id->number &&
		      m->cseq && m->cseq->method && m->from && m->to);
		if (MSG_IS_REQUEST(m))
			CHECK(m->sip_method && m->req_uri && m->cseq->number && m->from->url &&
			      m->to->url && strcmp(m->cseq->method, m->sip_method) == 0);
		break;
	case CWS_INTAKE_ANSWER:
		CHECK(m != NULL && v->reply == NULL && MSG_IS_REQUEST(m) && m->sip_method);
		CHECK(strcmp(m->sip_method, "ACK") != 0); /* RFC 3261 §17.2.1: never answered */
		CHECK(v->status == 400 || v->status == 415 || v->status == 416 ||
		      v->status == 420 || v->status == 483 || v->status == 505);
		CHECK(v->status != 483 || strcmp(m->sip_method, "OPTIONS") != 0); /* RFC 3261 §16.3 */
		CHECK((v->hname == NULL) == (v->hval == NULL));
		break;
	case CWS_INTAKE_SALVAGE:
		CHECK(m == NULL && v->reply != NULL && v->reply_len <= len + 256);
		CHECK(v->reply_len >= sizeof(salvage_start) - 1 + sizeof(salvage_end) - 1);
		CHECK(memcmp(v->reply, salvage_start, sizeof(salvage_start) - 1) == 0);
		CHECK(memcmp(v->reply + v->reply_len - (sizeof(salvage_end) - 1), salvage_end,
		             sizeof(salvage_end) - 1) == 0);
		CHECK(memchr(v->reply, 0, v->reply_len) == NULL);
		break;
	case CWS_INTAKE_DROP:
		CHECK(m == NULL && v->reply == NULL);
		break;
	default:
		abort();
	}
}

static void intake(const char *buf, size_t len, enum cws_proto proto)
{
	struct cws_intake v;

	CHECK(buf[len] == '\0');
	CHECK(cws_intake_check(buf, len, proto, &v) == 0);
	check_verdict(&v, len);
	cws_intake_clear(&v);
	CHECK(v.event == NULL && v.reply == NULL);
}

/* The overload's 503 (cws_intake_shed()): a reply exactly when it answers, a whole
 * response of its own length. */
static void shed(const char *buf, size_t len)
{
	char *reply = NULL;
	size_t rlen = 0;
	int r = cws_intake_shed(buf, len, 30, &reply, &rlen);

	CHECK(r == 0 || r == 1);
	CHECK((r == 1) == (reply != NULL));
	if (r == 1) {
		CHECK(rlen > 12 && memcmp(reply, "SIP/2.0 503 ", 12) == 0);
		CHECK(memcmp(reply + rlen - 4, "\r\n\r\n", 4) == 0);
	} else {
		CHECK(rlen == 0);
	}
	free(reply);
}

static void datagram(const uint8_t *data, size_t size)
{
	char *buf;

	if (size > CWS_TP_MAX_MSG)
		size = CWS_TP_MAX_MSG; /* recvfrom() into the transport's buffer */
	if (size <= 4)
		return;                   /* keep-alives, ignored by transport.c */
	buf = malloc(size + 1);
	if (buf == NULL)
		return;
	memcpy(buf, data, size);
	buf[size] = '\0';
	shed(buf, size);
	intake(buf, size, CWS_UDP);
	free(buf);
}

/* What one pass over the stream framed: the message lengths in order. */
struct framing {
	size_t *lens;
	size_t n;
	int broken;                       /* closed on a framing error, not at the end */
};

/*
 * transport.c's conn_read() without the socket: read sizes from step()
 * (0: all that fits), deliver every framed message to intake().
 */
static void stream(const uint8_t *data, size_t size, int split, struct framing *out)
{
	char *rx = malloc(CWS_TP_MAX_MSG + 1);
	size_t rx_len = 0, pos = 0, k = 0;

	out->n = 0;
	out->broken = 0;
	if (rx == NULL)
		abort();
	for (;;) {
		size_t r = CWS_TP_MAX_MSG - rx_len;

		if (rx_len >= CWS_TP_MAX_MSG) {
			out->broken = 1;
			break;
		}
		if (split && size > 0) {
			size_t want = 1 + data[k++ % size] % 64;
			if (want < r)
				r = want;
		}
		if (r > size - pos)
			r = size - pos;
		if (r == 0)
			break;                    /* end of the stream */
		memcpy(rx + rx_len, data + pos, r);
		pos += r;
		rx_len += r;
		for (;;) {
			size_t skip = cws_frame_keepalive_len(rx, rx_len), m;
			char save;

			CHECK(skip <= rx_len);
			if (skip) {
				memmove(rx, rx + skip, rx_len - skip);
				rx_len -= skip;
			}
			if (cws_frame_message(rx, rx_len, &m) != 0) {
				out->broken = 1;
				free(rx);
				return;
			}
			if (m == 0)
				break;
			CHECK(m <= rx_len && m <= CWS_TP_MAX_MSG);
			CHECK(out->n < size); /* each message holds at least one byte */
			out->lens[out->n++] = m;
			save = rx[m];
			rx[m] = '\0';
			intake(rx, m, CWS_TCP);
			rx[m] = save;
			memmove(rx, rx + m, rx_len - m);
			rx_len -= m;
		}
	}
	free(rx);
}

static void no_trace(const char *fi, int li, osip_trace_level_t level, const char *chfr,
                     va_list ap)
{
	(void)fi;
	(void)li;
	(void)level;
	(void)chfr;
	(void)ap;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct framing whole, split;

	if (!ready) {
		cws_intake_init();
		/* libosip2 traces every parse error to stdout unless a trace
		   function is set (disabling the levels alone does not do it) */
		osip_trace_initialize_func(TRACE_LEVEL0, no_trace);
		for (int l = TRACE_LEVEL0; l < END_TRACE_LEVEL; l++)
			osip_trace_disable_level((osip_trace_level_t)l);
		ready = 1;
	}
	datagram(data, size);
	if (size == 0 || size > MAX_STREAM)
		return 0;
	whole.lens = malloc(size * sizeof(*whole.lens));
	split.lens = malloc(size * sizeof(*split.lens));
	if (whole.lens == NULL || split.lens == NULL)
		abort();
	stream(data, size, 0, &whole);
	stream(data, size, 1, &split);
	/* framing depends on the bytes, never on how the reads cut them */
	CHECK(whole.n == split.n && whole.broken == split.broken);
	CHECK(memcmp(whole.lens, split.lens, whole.n * sizeof(*whole.lens)) == 0);
	free(whole.lens);
	free(split.lens);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* bridge/media/rtcp.c — RTCP statistics and packets (RFC 3550 §6, §A). */
#include <errno.h>
#include <string.h>

#include "rtcp.h"
#include "rtp_packet.h"

#define MAX_DROPOUT 3000       /* RFC 3550 §A.1 */
#define MAX_MISORDER 100
#define RTP_SEQ_MOD (1u << 16)
#define NTP_UNIX_OFFSET 2208988800ull /* 1900-01-01 to 1970-01-01 in seconds (RFC 868) */
#define RTCP_MIN_TIME_S 5.0    /* RFC 3550 §6.2 */
#define RTCP_SENDER_BW_FRACTION 0.25
#define RTCP_RCVR_BW_FRACTION 0.75
#define COMPENSATION 1.21828   /* e - 3/2 (§6.3.1) */

static void source_init(struct cwm_rtcp_source *s, uint32_t ssrc, uint16_t seq)
{
	*s = (struct cwm_rtcp_source){ .valid = true, .ssrc = ssrc, .base_seq = seq,
		                      .max_seq = seq, .bad_seq = RTP_SEQ_MOD + 1 };
}

int cwm_rtcp_source_packet(struct cwm_rtcp_source *s, uint32_t ssrc, uint16_t seq,
                          uint32_t rtp_ts, uint32_t arrival)
{
	uint16_t udelta;

	if (!s->valid || s->ssrc != ssrc) {
		source_init(s, ssrc, seq);
	} else {
		udelta = (uint16_t)(seq - s->max_seq);
		if (udelta < MAX_DROPOUT) { /* in order, with a permissible gap */
			if (seq < s->max_seq)
				s->cycles += RTP_SEQ_MOD;
			s->max_seq = seq;
		} else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) { /* a very large jump */
			if (seq == s->bad_seq) { /* two in a row: the source restarted */
				uint32_t keep_lsr = s->lsr;
				uint64_t keep_arrival = s->lsr_arrival_us;
				bool keep_sr = s->have_sr;

				source_init(s, ssrc, seq);
				s->have_sr = keep_sr;
				s->lsr = keep_lsr;
				s->lsr_arrival_us = keep_arrival;
			} else {
				s->bad_seq = (seq + 1u) & (RTP_SEQ_MOD - 1);
				return -ERANGE;
			}
		} /* else a duplicate or reordered packet */
	}
	s->received++;
	cwm_rtp_jitter_update(&s->jitter, rtp_ts, arrival);
	return 0;
}

void cwm_rtp_jitter_update(struct cwm_rtp_jitter *j, uint32_t rtp_ts, uint32_t arrival)
{
	uint32_t transit = arrival - rtp_ts; /* RFC 3550 §A.8 */
	int32_t d;

	if (j->have_transit) {
		d = (int32_t)(transit - j->transit);
		if (d < 0)
			d = -d;
		j->jitter_q4 += (uint32_t)d - ((j->jitter_q4 + 8) >> 4);
	}
	j->transit = transit;
	j->have_transit = true;
}

void cwm_rtcp_source_block(struct cwm_rtcp_source *s, uint64_t now_us, struct cwm_rtcp_block *out)
{
	uint32_t ext_max = s->cycles + s->max_seq;
	int64_t expected = (int64_t)ext_max - s->base_seq + 1;
	int64_t lost = expected - s->received;
	uint32_t expected_interval = (uint32_t)expected - s->expected_prior;
	uint32_t received_interval = s->received - s->received_prior;
	int64_t lost_interval = (int64_t)expected_interval - received_interval;

	s->expected_prior = (uint32_t)expected;
	s->received_prior = s->received;
	if (lost > 0x7fffff) /* §6.4.1: clamped to the 24-bit signed field */
		lost = 0x7fffff;
	if (lost < -0x800000)
		lost = -0x800000;
	*out = (struct cwm_rtcp_block){
		.ssrc = s->ssrc,
		.fraction_lost = (expected_interval == 0 || lost_interval <= 0)
		                         ? 0
		                         : (uint8_t)((lost_interval << 8) / expected_interval),
		.cumulative_lost = (int32_t)lost,
		.ext_highest_seq = ext_max,
		.jitter = s->jitter.jitter_q4 >> 4,
		.lsr = s->have_sr ? s->lsr : 0,
		.dlsr = s->have_sr ? (uint32_t)(((now_us - s->lsr_arrival_us) << 16) / 1000000u) : 0,
	};
}

uint64_t cwm_rtcp_ntp_from_unix_us(uint64_t unix_us)
{
	uint64_t sec = unix_us / 1000000u + NTP_UNIX_OFFSET;
	uint64_t frac = ((unix_us % 1000000u) << 32) / 1000000u;

	return sec << 32 | frac;
}

static void put_header(uint8_t *p, unsigned count, unsigned type, size_t len)
{
	p[0] = (uint8_t)(2u << 6 | count);
	p[1] = (uint8_t)type;
	cwm_rtp_put16(p + 2, (uint16_t)(len / 4 - 1)); /* §6.4.1: length in words, minus one */
}

int cwm_rtcp_write_report(uint32_t ssrc, const struct cwm_rtcp_sender_info *si,
                         const struct cwm_rtcp_block *blocks, unsigned nblocks, const char *cname,
                         bool bye, uint8_t *buf, size_t cap, size_t *len)
{
	size_t cname_len = strlen(cname);
	size_t report = 8 + (si ? 20 : 0) + 24u * nblocks;
	size_t sdes = (8 + 2 + cname_len + 1 + 3) & ~(size_t)3; /* §6.5: chunk, item, end, pad */
	size_t total = report + sdes + (bye ? 8 : 0);
	uint8_t *p = buf;

	if (nblocks > CWM_RTCP_MAX_BLOCKS || cname_len > 255)
		return -EINVAL;
	if (total > cap)
		return -ENOSPC;
	memset(buf, 0, total);
	put_header(p, nblocks, si ? CWM_RTCP_SR : CWM_RTCP_RR, report);
	cwm_rtp_put32(p + 4, ssrc);
	p += 8;
	if (si) {
		cwm_rtp_put32(p, (uint32_t)(si->ntp >> 32));
		cwm_rtp_put32(p + 4, (uint32_t)si->ntp);
		cwm_rtp_put32(p + 8, si->rtp_ts);
		cwm_rtp_put32(p + 12, si->packets);
		cwm_rtp_put32(p + 16, si->octets);
		p += 20;
	}
	for (unsigned i = 0; i < nblocks; i++, p += 24) {
		const struct cwm_rtcp_block *b = &blocks[i];

		cwm_rtp_put32(p, b->ssrc);
		cwm_rtp_put32(p + 4, (uint32_t)b->fraction_lost << 24 |
		                            ((uint32_t)b->cumulative_lost & 0xffffff));
		cwm_rtp_put32(p + 8, b->ext_highest_seq);
		cwm_rtp_put32(p + 12, b->jitter);
		cwm_rtp_put32(p + 16, b->lsr);
		cwm_rtp_put32(p + 20, b->dlsr);
	}
	put_header(p, 1, CWM_RTCP_SDES, sdes);
	cwm_rtp_put32(p + 4, ssrc);
	p[8] = 1; /* CNAME (§6.5.1) */
	p[9] = (uint8_t)cname_len;
	memcpy(p + 10, cname, cname_len);
	p += sdes; /* the end item and the padding are the zeros above */
	if (bye) {
		put_header(p, 1, CWM_RTCP_BYE, 8);
		cwm_rtp_put32(p + 4, ssrc);
	}
	*len = total;
	return 0;
}

static void read_blocks(const uint8_t *p, unsigned n, struct cwm_rtcp_compound *out)
{
	for (unsigned i = 0; i < n && out->nblocks < CWM_RTCP_MAX_BLOCKS; i++, p += 24) {
		struct cwm_rtcp_block *b = &out->blocks[out->nblocks++];
		uint32_t w = cwm_rtp_get32(p + 4);

		b->ssrc = cwm_rtp_get32(p);
		b->fraction_lost = (uint8_t)(w >> 24);
		b->cumulative_lost = (int32_t)(w << 8) >> 8; /* sign-extend the 24 bits */
		b->ext_highest_seq = cwm_rtp_get32(p + 8);
		b->jitter = cwm_rtp_get32(p + 12);
		b->lsr = cwm_rtp_get32(p + 16);
		b->dlsr = cwm_rtp_get32(p + 20);
	}
}

int cwm_rtcp_read(const uint8_t *buf, size_t len, struct cwm_rtcp_compound *out)
{
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	if (len < 8 || (buf[1] != CWM_RTCP_SR && buf[1] != CWM_RTCP_RR))
		return -EBADMSG; /* §A.2: an SR or RR first */
	while (off < len) {
		const uint8_t *p = buf + off;
		size_t plen;
		unsigned count, type;

		if (len - off < 4 || (p[0] >> 6) != 2)
			return -EBADMSG;
		plen = 4u * (cwm_rtp_get16(p + 2) + 1u);
		if (plen > len - off || ((p[0] & 0x20) && off + plen != len))
			return -EBADMSG; /* §A.2: padding only in the last packet */
		count = p[0] & 0x1f;
		type = p[1];
		if (type == CWM_RTCP_SR || type == CWM_RTCP_RR) {
			size_t fixed = type == CWM_RTCP_SR ? 28 : 8;

			if (plen < fixed + 24u * count)
				return -EBADMSG;
			if (off == 0) {
				out->sender_ssrc = cwm_rtp_get32(p + 4);
				if (type == CWM_RTCP_SR) {
					out->has_sr = true;
					out->si.ntp = (uint64_t)cwm_rtp_get32(p + 8) << 32 |
					              cwm_rtp_get32(p + 12);
					out->si.rtp_ts = cwm_rtp_get32(p + 16);
					out->si.packets = cwm_rtp_get32(p + 20);
					out->si.octets = cwm_rtp_get32(p + 24);
				}
			}
			read_blocks(p + fixed, count, out);
		} else if (type == CWM_RTCP_BYE) {
			out->bye = true;
		}
		off += plen;
	}
	return 0;
}

void cwm_rtcp_source_sr(struct cwm_rtcp_source *s, const struct cwm_rtcp_sender_info *si,
                       uint64_t now_us)
{
	s->have_sr = true;
	s->lsr = cwm_rtcp_ntp_middle(si->ntp);
	s->lsr_arrival_us = now_us;
}

int64_t cwm_rtcp_rtt_q16(const struct cwm_rtcp_block *b, uint64_t ntp_now)
{
	int32_t rtt;

	if (b->lsr == 0)
		return -1;
	rtt = (int32_t)(cwm_rtcp_ntp_middle(ntp_now) - b->lsr - b->dlsr);
	return rtt < 0 ? -1 : rtt;
}

uint64_t cwm_rtcp_interval_us(unsigned members, unsigned senders, double rtcp_bw, bool we_sent,
                             double avg_rtcp_size, bool initial, double rand01)
{
	double min_time = initial ? RTCP_MIN_TIME_S / 2 : RTCP_MIN_TIME_S;
	double n = members, t;

	/* §6.3.1: senders share a quarter of the bandwidth when they are few. */
	if (senders <= members * RTCP_SENDER_BW_FRACTION) {
		if (we_sent) {
			rtcp_bw *= RTCP_SENDER_BW_FRACTION;
			n = senders;
		} else {
			rtcp_bw *= RTCP_RCVR_BW_FRACTION;
			n -= senders;
		}
	}
	t = avg_rtcp_size * n / rtcp_bw;
	if (t < min_time)
		t = min_time;
	t = t * (rand01 + 0.5) / COMPENSATION;
	return (uint64_t)(t * 1e6);
}

/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/rtcp.h — RTCP for one call (RFC 3550 §6): the statistics of
 * the remote source (§A.1 sequence numbers, §A.3 loss, §A.8 jitter), the
 * SR/RR + SDES compound written (§6.4, §6.5, §6.1), a compound read (§A.2),
 * the round-trip time from LSR/DLSR (§6.4.1) and the report interval
 * (§6.3.1, §A.7). Pure: `now_us` comes from the caller, so does the
 * randomisation of the interval.
 */
#ifndef BRIDGE_MEDIA_RTCP_H
#define BRIDGE_MEDIA_RTCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CWM_RTCP_SR 200   /* RFC 3550 §12.1 */
#define CWM_RTCP_RR 201
#define CWM_RTCP_SDES 202
#define CWM_RTCP_BYE 203
#define CWM_RTCP_MAX_BLOCKS 31 /* the 5-bit report count (§6.4.1) */

/* The interarrival jitter estimate of RFC 3550 §A.8, shared with the
 * playout buffer's adaptive depth. */
struct cwm_rtp_jitter {
	bool have_transit;
	uint32_t transit;   /* relative transit time of the last packet */
	uint32_t jitter_q4; /* the estimate times 16, in timestamp units */
};

/* One packet with RTP timestamp rtp_ts arrived at arrival (timestamp units). */
void cwm_rtp_jitter_update(struct cwm_rtp_jitter *j, uint32_t rtp_ts, uint32_t arrival);

/* The state of the remote source, RFC 3550 §A.1 and §A.8. */
struct cwm_rtcp_source {
	bool valid;
	uint32_t ssrc;
	uint16_t max_seq;      /* highest sequence number seen */
	uint32_t cycles;       /* shifted count of sequence number cycles */
	uint32_t base_seq;
	uint32_t bad_seq;      /* last 'bad' sequence number + 1 */
	uint32_t received;
	uint32_t expected_prior, received_prior; /* at the last report (§A.3) */
	struct cwm_rtp_jitter jitter;
	/* The last SR of the source, for LSR/DLSR (§6.4.1). */
	bool have_sr;
	uint32_t lsr;          /* the middle 32 bits of its NTP timestamp */
	uint64_t lsr_arrival_us;
};

/*
 * cwm_rtcp_source_packet() - one RTP packet of the source arrived:
 * sequence-number bookkeeping (§A.1 with no probation: a call's first
 * packet counts) and the interarrival jitter (§A.8), with arrival the
 * arrival time in timestamp units. A packet of another SSRC restarts the
 * statistics. 0, or -ERANGE when §A.1 rejects the sequence number (a large
 * jump, counted only once it repeats: the source restarted).
 */
int cwm_rtcp_source_packet(struct cwm_rtcp_source *src, uint32_t ssrc, uint16_t seq,
                          uint32_t rtp_ts, uint32_t arrival);

/* A report block of RFC 3550 §6.4.1. */
struct cwm_rtcp_block {
	uint32_t ssrc;
	uint8_t fraction_lost;  /* fixed point, /256 */
	int32_t cumulative_lost; /* 24-bit signed */
	uint32_t ext_highest_seq;
	uint32_t jitter;        /* timestamp units */
	uint32_t lsr;
	uint32_t dlsr;          /* 1/65536 s */
};

/*
 * cwm_rtcp_source_block() - the report block about src at now_us (§A.3),
 * advancing the "prior" counts: call it once per report sent.
 */
void cwm_rtcp_source_block(struct cwm_rtcp_source *src, uint64_t now_us, struct cwm_rtcp_block *out);

/* The sender information of an SR (§6.4.1). */
struct cwm_rtcp_sender_info {
	uint64_t ntp;        /* 32.32 fixed point seconds since 1900 */
	uint32_t rtp_ts;     /* the same instant on the RTP clock */
	uint32_t packets, octets;
};

/* Seconds since 1970 in microseconds to an NTP timestamp (RFC 3550 §4). */
uint64_t cwm_rtcp_ntp_from_unix_us(uint64_t unix_us);
/* The middle 32 bits, as LSR and the RTT computation use them (§6.4.1). */
static inline uint32_t cwm_rtcp_ntp_middle(uint64_t ntp)
{
	return (uint32_t)(ntp >> 16);
}

/*
 * cwm_rtcp_write_report() - a compound packet (§6.1): an SR when si is given,
 * else an RR, with nblocks report blocks, then an SDES with the CNAME; with
 * bye, a BYE after them (§6.6). 0 with *len, -ENOSPC when cap is short,
 * -EINVAL for more than 31 blocks or a CNAME over 255 octets.
 */
int cwm_rtcp_write_report(uint32_t ssrc, const struct cwm_rtcp_sender_info *si,
                         const struct cwm_rtcp_block *blocks, unsigned nblocks, const char *cname,
                         bool bye, uint8_t *buf, size_t cap, size_t *len);

/* What a received compound held. */
struct cwm_rtcp_compound {
	bool has_sr;
	uint32_t sender_ssrc;  /* of the SR or RR */
	struct cwm_rtcp_sender_info si;
	unsigned nblocks;
	struct cwm_rtcp_block blocks[CWM_RTCP_MAX_BLOCKS];
	bool bye;
};

/*
 * cwm_rtcp_read() - a received compound, validated as RFC 3550 §A.2 says:
 * version 2, SR or RR first, padding only in the last packet, lengths that
 * add up to the datagram. 0, or -EBADMSG.
 */
int cwm_rtcp_read(const uint8_t *buf, size_t len, struct cwm_rtcp_compound *out);

/*
 * cwm_rtcp_source_sr() - the source's SR arrived at now_us: keeps LSR and its
 * arrival for the next report's DLSR.
 */
void cwm_rtcp_source_sr(struct cwm_rtcp_source *src, const struct cwm_rtcp_sender_info *si,
                       uint64_t now_us);

/*
 * cwm_rtcp_rtt_q16() - the round-trip time of a block about us received when
 * our NTP clock read ntp_now (§6.4.1: A - LSR - DLSR), in 1/65536 s; -1 when
 * the block has no LSR yet or the result is negative (clocks at odds).
 */
int64_t cwm_rtcp_rtt_q16(const struct cwm_rtcp_block *b, uint64_t ntp_now);

/*
 * cwm_rtcp_interval_us() - RFC 3550 §A.7 rtcp_interval(): members and
 * senders of the call, rtcp_bw in octets/s, we_sent, the average compound
 * size in octets, initial for the first report; rand01 in [0, 1) is the
 * caller's randomisation. The result is randomised over [0.5, 1.5] times
 * the deterministic interval and divided by e - 3/2 (§6.3.1).
 */
uint64_t cwm_rtcp_interval_us(unsigned members, unsigned senders, double rtcp_bw, bool we_sent,
                             double avg_rtcp_size, bool initial, double rand01);

#endif /* BRIDGE_MEDIA_RTCP_H */

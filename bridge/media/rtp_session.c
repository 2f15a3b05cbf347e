/* SPDX-License-Identifier: MIT */
/* bridge/media/rtp_session.c — the RTP/RTCP of one call (rtp_session.h). */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtp_packet.h"
#include "rtp_session.h"

#define MAX_DATAGRAM 1500
#define BATCH 16                  /* datagrams per recvmmsg() */
#define MAX_PTIME_SAMPLES 240     /* 30 ms */
#define EVENT_QUEUE 16
#define RTCP_BUFFER 256
#define IP_UDP_OVERHEAD 28        /* RFC 3550 §6.2: sizes include the lower layers */
/* RFC 3550 §6.2: 5 % of the session bandwidth: G.711 at 50 packets/s is
 * 64 kb/s plus 50 * 40 octets of IP/UDP/RTP headers each way. */
#define RTCP_BW_OCTETS (0.05 * 2 * (8000 + 50 * 40))

struct endpoint {
	bool set;
	struct sockaddr_storage addr;
	socklen_t len;
};

struct cwm_rtp_session {
	struct cwm_rtp_ports *ports;
	int rtp_fd, rtcp_fd;
	uint16_t port;
	enum cwm_g711_law law;
	int event_pt;
	int clear_pt;                 /* clearmode's PT (RFC 4040), -1: G.711 */
	unsigned ptime_samples;
	bool use_mmsg;
	uint64_t relatch_quiet_us;
	int64_t unix_offset_us;
	uint32_t rng;
	char cname[256];

	/* toward SIP */
	uint32_t ssrc;
	uint16_t seq;
	uint32_t frame_ts;            /* the RTP timestamp of the next TDM frame */
	uint64_t frame_us;            /* when the last frame was put */
	bool talkspurt;               /* the next audio packet starts one (marker) */
	uint8_t pending[MAX_PTIME_SAMPLES + CWM_JB_FRAME];
	unsigned npending;
	uint32_t pending_ts;
	struct cwm_rtp_event_tx event_tx;
	bool sent_since_report;

	/* from SIP */
	struct endpoint remote, rtcp_remote;
	bool latched;
	uint32_t latched_ssrc;
	uint64_t last_rx_us;
	struct cwm_rtcp_source source;
	struct cwm_rtp_event_rx event_rx;
	struct cwm_rtp_event_report events[EVENT_QUEUE];
	unsigned event_head, event_count;
	struct cwm_jb *jb;

	/* RTCP */
	uint64_t next_rtcp_us;
	double avg_rtcp_size;
	struct cwm_rtp_session_stats st;
};

static double next_rand01(struct cwm_rtp_session *s)
{
	/* xorshift32 (Marsaglia 2003): only the interval's spread needs it */
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 17;
	s->rng ^= s->rng << 5;
	return (double)s->rng / 4294967296.0;
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b,
                      bool with_port)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_addr.s_addr == y->sin_addr.s_addr &&
		       (!with_port || x->sin_port == y->sin_port);
	}
	const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

	return memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0 &&
	       (!with_port || x->sin6_port == y->sin6_port);
}

static void set_port(struct sockaddr_storage *a, uint16_t port)
{
	if (a->ss_family == AF_INET)
		((struct sockaddr_in *)a)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)a)->sin6_port = htons(port);
}

static uint16_t get_port(const struct sockaddr_storage *a)
{
	return ntohs(a->ss_family == AF_INET ? ((const struct sockaddr_in *)a)->sin_port
	                                     : ((const struct sockaddr_in6 *)a)->sin6_port);
}

/* RTCP goes to the RTP address's port + 1 until RTCP comes from elsewhere. */
static void rtcp_follows(struct cwm_rtp_session *s)
{
	s->rtcp_remote = s->remote;
	set_port(&s->rtcp_remote.addr, (uint16_t)(get_port(&s->remote.addr) + 1));
}

int cwm_rtp_session_new(const struct cwm_rtp_session_config *cfg, uint64_t now_us,
                       struct cwm_rtp_session **out)
{
	struct cwm_rtp_session *s;
	unsigned ptime = cfg->ptime_ms ? cfg->ptime_ms : 20;
	int err;

	if ((cfg->law != CWM_G711_ULAW && cfg->law != CWM_G711_ALAW) ||
	    (ptime != 10 && ptime != 20 && ptime != 30) ||
	    (cfg->event_pt != -1 && (cfg->event_pt < 96 || cfg->event_pt > 127)) || !cfg->cname ||
	    strlen(cfg->cname) > 255)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = cwm_jb_new(&cfg->jb, &s->jb);
	if (err) {
		free(s);
		return err;
	}
	err = cwm_rtp_ports_open(cfg->ports, cfg->local, cfg->local_len, &s->rtp_fd, &s->rtcp_fd,
	                        &s->port);
	if (err) {
		cwm_jb_free(s->jb);
		free(s);
		return err;
	}
	s->ports = cfg->ports;
	s->law = cfg->law;
	s->event_pt = cfg->event_pt;
	s->clear_pt = -1;
	s->ptime_samples = ptime * 8;
	s->use_mmsg = cfg->use_mmsg;
	s->relatch_quiet_us = 1000ull * (cfg->relatch_quiet_ms ? cfg->relatch_quiet_ms : 500);
	s->unix_offset_us = cfg->unix_offset_us;
	s->rng = cfg->seed ? cfg->seed : 0x9e3779b9u;
	strcpy(s->cname, cfg->cname);
	s->ssrc = cfg->ssrc;
	s->seq = (uint16_t)cfg->initial_seq;
	s->frame_ts = cfg->initial_ts;
	s->pending_ts = cfg->initial_ts;
	s->frame_us = now_us;
	s->talkspurt = true;
	s->avg_rtcp_size = 100; /* §6.3.2: a guess of the first compound's size */
	s->next_rtcp_us = now_us + cwm_rtcp_interval_us(2, 1, RTCP_BW_OCTETS, false, s->avg_rtcp_size,
	                                               true, next_rand01(s));
	s->st.rtt_us = -1;
	*out = s;
	return 0;
}

void cwm_rtp_session_free(struct cwm_rtp_session *s)
{
	if (!s)
		return;
	close(s->rtp_fd);
	close(s->rtcp_fd);
	cwm_rtp_ports_release(s->ports, s->port);
	cwm_jb_free(s->jb);
	free(s);
}

void cwm_rtp_session_fds(const struct cwm_rtp_session *s, int *rtp_fd, int *rtcp_fd)
{
	*rtp_fd = s->rtp_fd;
	*rtcp_fd = s->rtcp_fd;
}

uint16_t cwm_rtp_session_port(const struct cwm_rtp_session *s)
{
	return s->port;
}

int cwm_rtp_session_set_remote(struct cwm_rtp_session *s, const struct sockaddr *addr,
                              socklen_t len)
{
	if ((addr->sa_family != AF_INET || len < sizeof(struct sockaddr_in)) &&
	    (addr->sa_family != AF_INET6 || len < sizeof(struct sockaddr_in6)))
		return -EINVAL;
	if (len > sizeof(s->remote.addr))
		return -EINVAL;
	memset(&s->remote, 0, sizeof(s->remote));
	memcpy(&s->remote.addr, addr, len);
	s->remote.len = len;
	s->remote.set = true;
	s->latched = false;
	rtcp_follows(s);
	return 0;
}

int cwm_rtp_session_remote(const struct cwm_rtp_session *s, struct sockaddr_storage *out,
                          socklen_t *len)
{
	if (!s->remote.set)
		return -ENOTCONN;
	*out = s->remote.addr;
	*len = s->remote.len;
	return 0;
}

/* The latching rule of rtp_session.h: may a valid packet of ssrc from
 * `from` be taken? Moves the latch when the rule says so. */
static bool latch_admits(struct cwm_rtp_session *s, const struct sockaddr_storage *from,
                         socklen_t len, uint32_t ssrc, uint64_t now_us)
{
	bool known = s->remote.set && same_addr(from, &s->remote.addr, true);

	if (known && s->latched) {
		s->latched_ssrc = ssrc; /* the same address may restart its stream */
		return true;
	}
	if (s->latched && (ssrc == s->latched_ssrc || now_us - s->last_rx_us < s->relatch_quiet_us)) {
		s->st.foreign++;
		return false;
	}
	if (!known) {
		memset(&s->remote, 0, sizeof(s->remote));
		memcpy(&s->remote.addr, from, len);
		s->remote.len = len;
		s->remote.set = true;
		rtcp_follows(s);
	}
	s->latched = true;
	s->latched_ssrc = ssrc;
	s->st.latches++;
	return true;
}

static void queue_event(struct cwm_rtp_session *s, const struct cwm_rtp_event_report *r)
{
	if (s->event_count == EVENT_QUEUE) { /* the oldest goes */
		s->event_head = (s->event_head + 1) % EVENT_QUEUE;
		s->event_count--;
	}
	s->events[(s->event_head + s->event_count++) % EVENT_QUEUE] = *r;
}

/* The payload type of the stream: clearmode's, else the law's static one (RFC 3551 §6). */
static uint8_t audio_pt(const struct cwm_rtp_session *s)
{
	return s->clear_pt >= 0 ? (uint8_t)s->clear_pt : (uint8_t)s->law;
}

static void take_rtp(struct cwm_rtp_session *s, const uint8_t *buf, size_t len,
                     const struct sockaddr_storage *from, socklen_t from_len, uint64_t now_us)
{
	struct cwm_rtp_header h;
	int16_t pcm[MAX_DATAGRAM];
	bool audio;

	if (cwm_rtp_header_parse(buf, len, &h) < 0) {
		s->st.invalid++;
		return;
	}
	audio = h.payload_type == audio_pt(s);
	if ((!audio && (s->event_pt < 0 || h.payload_type != s->event_pt)) || h.payload_len == 0 ||
	    (audio && h.payload_len > 480)) {
		s->st.invalid++;
		return;
	}
	if (!latch_admits(s, from, from_len, h.ssrc, now_us))
		return;
	s->last_rx_us = now_us;
	s->st.packets_received++;
	s->st.octets_received += h.payload_len;
	cwm_rtcp_source_packet(&s->source, h.ssrc, h.seq, h.timestamp,
	                      (uint32_t)(now_us * 8 / 1000));
	if (audio && s->clear_pt >= 0) {
		for (size_t i = 0; i < h.payload_len; i++) /* RFC 4040 §3: the octets themselves */
			pcm[i] = h.payload[i];
		cwm_jb_put(s->jb, h.ssrc, h.timestamp, pcm, (unsigned)h.payload_len, now_us);
	} else if (audio) {
		cwm_g711_decode(s->law, h.payload, pcm, h.payload_len);
		cwm_jb_put(s->jb, h.ssrc, h.timestamp, pcm, (unsigned)h.payload_len, now_us);
	} else {
		struct cwm_rtp_event ev;
		struct cwm_rtp_event_report r[3];
		int n;

		if (cwm_rtp_event_decode(h.payload, (unsigned)h.payload_len, &ev) < 0)
			return;
		n = cwm_rtp_event_rx_packet(&s->event_rx, &ev, h.timestamp, r);
		for (int i = 0; i < n; i++)
			queue_event(s, &r[i]);
	}
}

static void take_rtcp(struct cwm_rtp_session *s, const uint8_t *buf, size_t len,
                      const struct sockaddr_storage *from, socklen_t from_len, uint64_t now_us)
{
	struct cwm_rtcp_compound c;

	if (!s->remote.set || !same_addr(from, &s->remote.addr, false) ||
	    cwm_rtcp_read(buf, len, &c) < 0) {
		s->st.invalid++;
		return;
	}
	s->st.rtcp_received++;
	memcpy(&s->rtcp_remote.addr, from, from_len); /* symmetric RTCP (RFC 4961 §3) */
	s->rtcp_remote.len = from_len;
	if (c.has_sr && s->source.valid && c.sender_ssrc == s->source.ssrc)
		cwm_rtcp_source_sr(&s->source, &c.si, now_us);
	for (unsigned i = 0; i < c.nblocks; i++) {
		if (c.blocks[i].ssrc != s->ssrc)
			continue;
		s->st.remote = c.blocks[i];
		s->st.have_remote_block = true;
		int64_t rtt = cwm_rtcp_rtt_q16(&c.blocks[i], cwm_rtcp_ntp_from_unix_us(
		                                                   now_us + s->unix_offset_us));
		if (rtt >= 0)
			s->st.rtt_us = rtt * 1000000 / 65536;
	}
}

typedef void take_fn(struct cwm_rtp_session *s, const uint8_t *buf, size_t len,
                     const struct sockaddr_storage *from, socklen_t from_len, uint64_t now_us);

static int drain(struct cwm_rtp_session *s, int fd, take_fn *take, uint64_t now_us)
{
	static uint8_t bufs[BATCH][MAX_DATAGRAM]; /* one thread: the loop's */
	struct sockaddr_storage from[BATCH];
	struct iovec iov[BATCH];
	struct mmsghdr msgs[BATCH];
	int total = 0;

	for (;;) {
		unsigned want = s->use_mmsg ? BATCH : 1;
		int n;

		for (unsigned i = 0; i < want; i++) {
			iov[i] = (struct iovec){ .iov_base = bufs[i], .iov_len = MAX_DATAGRAM };
			msgs[i].msg_hdr = (struct msghdr){ .msg_name = &from[i],
				                           .msg_namelen = sizeof(from[i]),
				                           .msg_iov = &iov[i], .msg_iovlen = 1 };
		}
		if (s->use_mmsg) {
			n = recvmmsg(fd, msgs, want, MSG_DONTWAIT, NULL);
		} else {
			ssize_t r = recvmsg(fd, &msgs[0].msg_hdr, MSG_DONTWAIT);

			n = r < 0 ? -1 : 1;
			msgs[0].msg_len = r < 0 ? 0 : (unsigned)r;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return total;
			if (errno == EINTR || errno == ECONNREFUSED)
				continue; /* an ICMP port unreachable of an earlier send */
			return -errno;
		}
		for (int i = 0; i < n; i++)
			take(s, bufs[i], msgs[i].msg_len, &from[i], msgs[i].msg_hdr.msg_namelen,
			     now_us);
		total += n;
		if ((unsigned)n < want)
			return total;
	}
}

int cwm_rtp_session_read_rtp(struct cwm_rtp_session *s, uint64_t now_us)
{
	return drain(s, s->rtp_fd, take_rtp, now_us);
}

int cwm_rtp_session_read_rtcp(struct cwm_rtp_session *s, uint64_t now_us)
{
	return drain(s, s->rtcp_fd, take_rtcp, now_us);
}

struct outgoing {
	uint8_t data[2][CWM_RTP_HEADER_LEN + MAX_PTIME_SAMPLES];
	size_t len[2];
	unsigned n;
};

static void add_packet(struct cwm_rtp_session *s, struct outgoing *o, uint8_t pt, bool marker,
                       uint32_t ts, const uint8_t *payload, size_t len)
{
	struct cwm_rtp_header h = { .marker = marker, .payload_type = pt, .seq = s->seq++,
		                   .timestamp = ts, .ssrc = s->ssrc };

	cwm_rtp_header_write(&h, o->data[o->n]);
	memcpy(o->data[o->n] + CWM_RTP_HEADER_LEN, payload, len);
	o->len[o->n++] = CWM_RTP_HEADER_LEN + len;
	s->st.packets_sent++;
	s->st.octets_sent += len;
	s->sent_since_report = true;
}

static int send_all(struct cwm_rtp_session *s, struct outgoing *o)
{
	struct iovec iov[2];
	struct mmsghdr msgs[2];

	for (unsigned i = 0; i < o->n; i++) {
		iov[i] = (struct iovec){ .iov_base = o->data[i], .iov_len = o->len[i] };
		msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &s->remote.addr,
			                                 .msg_namelen = s->remote.len,
			                                 .msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	if (s->use_mmsg && o->n > 1) {
		if (sendmmsg(s->rtp_fd, msgs, o->n, MSG_DONTWAIT) < 0 && errno != EAGAIN &&
		    errno != ECONNREFUSED)
			return -errno;
		return 0;
	}
	for (unsigned i = 0; i < o->n; i++)
		if (sendmsg(s->rtp_fd, &msgs[i].msg_hdr, MSG_DONTWAIT) < 0 && errno != EAGAIN &&
		    errno != ECONNREFUSED)
			return -errno; /* a full socket buffer loses the packet, like the network */
	return 0;
}

int cwm_rtp_session_put_frame(struct cwm_rtp_session *s, const int16_t pcm[CWM_JB_FRAME],
                             uint64_t now_us)
{
	struct outgoing o = { .n = 0 };
	struct cwm_rtp_event ev;
	uint32_t ts;
	bool marker;

	s->frame_us = now_us;
	if (!s->remote.set) { /* nowhere to send: the clock goes on, nothing is counted */
		s->frame_ts += CWM_JB_FRAME;
		s->pending_ts = s->frame_ts;
		s->npending = 0;
		return -ENOTCONN;
	}
	if (cwm_rtp_event_tx_next(&s->event_tx, CWM_JB_FRAME, &ev, &ts, &marker)) {
		uint8_t payload[CWM_RTP_EVENT_LEN];

		cwm_rtp_event_encode(&ev, payload);
		add_packet(s, &o, (uint8_t)s->event_pt, marker, ts, payload, sizeof(payload));
		s->st.events_sent++;
		s->npending = 0; /* the audio restarts after the event, a new talkspurt */
		s->talkspurt = true;
		s->frame_ts += CWM_JB_FRAME;
		s->pending_ts = s->frame_ts;
	} else {
		if (s->clear_pt >= 0)
			for (unsigned i = 0; i < CWM_JB_FRAME; i++)
				s->pending[s->npending + i] = (uint8_t)pcm[i];
		else
			cwm_g711_encode(s->law, pcm, s->pending + s->npending, CWM_JB_FRAME);
		s->npending += CWM_JB_FRAME;
		s->frame_ts += CWM_JB_FRAME;
		while (s->npending >= s->ptime_samples) { /* RFC 3551 §4.5: ptime by packing */
			add_packet(s, &o, audio_pt(s), s->talkspurt, s->pending_ts, s->pending,
			           s->ptime_samples);
			s->talkspurt = false;
			s->pending_ts += s->ptime_samples;
			s->npending -= s->ptime_samples;
			memmove(s->pending, s->pending + s->ptime_samples, s->npending);
		}
	}
	return send_all(s, &o);
}

int cwm_rtp_session_get_frame(struct cwm_rtp_session *s, int16_t pcm[CWM_JB_FRAME])
{
	return cwm_jb_get(s->jb, pcm);
}

int cwm_rtp_session_set_codec(struct cwm_rtp_session *s, enum cwm_g711_law law, int event_pt,
                             unsigned ptime_ms)
{
	unsigned ptime = ptime_ms ? ptime_ms : 20;

	if ((law != CWM_G711_ULAW && law != CWM_G711_ALAW) ||
	    (ptime != 10 && ptime != 20 && ptime != 30) ||
	    (event_pt != -1 && (event_pt < 96 || event_pt > 127)))
		return -EINVAL;
	if (law != s->law || ptime * 8 != s->ptime_samples) {
		s->npending = 0; /* RFC 3551 §4.5: a packet holds one codec, whole frames */
		s->pending_ts = s->frame_ts;
		s->talkspurt = true;
	}
	s->law = law;
	if (event_pt < 0) /* no payload type left for an event being sent: it stops */
		memset(&s->event_tx, 0, sizeof(s->event_tx));
	s->event_pt = event_pt;
	s->ptime_samples = ptime * 8;
	return 0;
}

int cwm_rtp_session_set_clearmode(struct cwm_rtp_session *s, int pt, unsigned ptime_ms)
{
	unsigned ptime = ptime_ms ? ptime_ms : 20;
	int r;

	if (pt < 96 || pt > 127 || (ptime != 10 && ptime != 20 && ptime != 30))
		return -EINVAL;
	r = cwm_jb_set_mode(s->jb, CWM_JB_PASSTHROUGH); /* never a concealed octet */
	if (r < 0)
		return r;
	if (pt != s->clear_pt || ptime * 8 != s->ptime_samples) {
		s->npending = 0;
		s->pending_ts = s->frame_ts;
		s->talkspurt = true;
	}
	s->clear_pt = pt;
	memset(&s->event_tx, 0, sizeof(s->event_tx));
	s->event_pt = -1;
	s->ptime_samples = ptime * 8;
	return 0;
}

int cwm_rtp_session_set_passthrough(struct cwm_rtp_session *s, bool on)
{
	return cwm_jb_set_mode(s->jb, on ? CWM_JB_PASSTHROUGH : CWM_JB_FIXED);
}

int cwm_rtp_session_event_begin(struct cwm_rtp_session *s, uint8_t event, uint8_t volume)
{
	if (s->event_pt < 0)
		return -EINVAL;
	return cwm_rtp_event_tx_begin(&s->event_tx, event, volume, s->frame_ts);
}

void cwm_rtp_session_event_end(struct cwm_rtp_session *s)
{
	cwm_rtp_event_tx_end(&s->event_tx);
}

int cwm_rtp_session_next_event(struct cwm_rtp_session *s, struct cwm_rtp_event_report *out)
{
	if (s->event_count == 0)
		return 0;
	*out = s->events[s->event_head];
	s->event_head = (s->event_head + 1) % EVENT_QUEUE;
	s->event_count--;
	return 1;
}

uint64_t cwm_rtp_session_deadline_us(const struct cwm_rtp_session *s)
{
	return s->next_rtcp_us;
}

static int send_report(struct cwm_rtp_session *s, uint64_t now_us, bool bye)
{
	uint8_t buf[RTCP_BUFFER];
	struct cwm_rtcp_sender_info si;
	struct cwm_rtcp_block block;
	size_t len;
	bool sr = s->sent_since_report;
	int err;

	if (sr) {
		si = (struct cwm_rtcp_sender_info){
			.ntp = cwm_rtcp_ntp_from_unix_us(now_us + s->unix_offset_us),
			/* the RTP clock at now: the frame clock carried on (§6.4.1) */
			.rtp_ts = s->frame_ts + (uint32_t)((now_us - s->frame_us) * 8 / 1000),
			.packets = (uint32_t)s->st.packets_sent,
			.octets = (uint32_t)s->st.octets_sent,
		};
	}
	if (s->source.valid)
		cwm_rtcp_source_block(&s->source, now_us, &block);
	err = cwm_rtcp_write_report(s->ssrc, sr ? &si : NULL, &block, s->source.valid ? 1 : 0,
	                           s->cname, bye, buf, sizeof(buf), &len);
	if (err)
		return err;
	/* §6.3.3: the average compound size, lower layers included */
	s->avg_rtcp_size = (len + IP_UDP_OVERHEAD) / 16.0 + s->avg_rtcp_size * 15.0 / 16.0;
	s->sent_since_report = false;
	if (!s->rtcp_remote.set)
		return -ENOTCONN;
	if (sendto(s->rtcp_fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&s->rtcp_remote.addr,
	           s->rtcp_remote.len) < 0 && errno != EAGAIN && errno != ECONNREFUSED)
		return -errno;
	s->st.rtcp_sent++;
	return 0;
}

int cwm_rtp_session_on_timer(struct cwm_rtp_session *s, uint64_t now_us)
{
	bool we_sent = s->sent_since_report;
	unsigned senders = (we_sent ? 1u : 0u) + (s->source.valid ? 1u : 0u);
	int err = 0;

	if (now_us < s->next_rtcp_us)
		return 0;
	err = send_report(s, now_us, false);
	/* §6.3.6: the next one, for the two members of a call */
	s->next_rtcp_us = now_us + cwm_rtcp_interval_us(2, senders, RTCP_BW_OCTETS, we_sent,
	                                               s->avg_rtcp_size, false, next_rand01(s));
	return err == -ENOTCONN ? 0 : err;
}

int cwm_rtp_session_bye(struct cwm_rtp_session *s, uint64_t now_us)
{
	return send_report(s, now_us, true);
}

void cwm_rtp_session_stats(const struct cwm_rtp_session *s, uint64_t now_us,
                          struct cwm_rtp_session_stats *out)
{
	struct cwm_rtcp_source copy = s->source;

	*out = s->st;
	memset(&out->local, 0, sizeof(out->local));
	if (copy.valid)
		cwm_rtcp_source_block(&copy, now_us, &out->local);
	cwm_jb_stats(s->jb, &out->jb);
}

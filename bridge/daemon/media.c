/* SPDX-License-Identifier: MIT */
/*
 * media.c — the calls' voice path (media.h): RTP sessions from the port
 * range, their offer/answer, and the spans' B-channel audio, joined frame
 * by frame on the TDM clock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bchan.h"
#include "common/error.h"
#include "dtmf.h"
#include "fax_detect.h"
#include "g711.h"
#include "log.h"
#include "media.h"
#include "route.h"
#include "rtp_session.h"

/* README "Log lines": "call ID: TEXT [sip PEER]" */
#define media_warning(mc, ...) cwb_log_call(CWCFG_LOG_WARNING, (mc)->id, (mc)->peer, __VA_ARGS__)
#define media_info(mc, ...) cwb_log_call(CWCFG_LOG_INFO, (mc)->id, (mc)->peer, __VA_ARGS__)
#define media_debug(mc, ...) cwb_log_call(CWCFG_LOG_DEBUG, (mc)->id, (mc)->peer, __VA_ARGS__)

struct span_audio;

/* The arg of a DAHDI channel's watch: its span and channel. */
struct chan_ref {
	struct span_audio *sa;
	int channel;
};

/* What the span's [span N] says of its audio, copied at start: a reload keeps these keys
 * (reload_diff.c), and the configuration they came from may be freed meanwhile. */
struct span_source {
	unsigned number;                /* [span N] */
	enum cwcfg_audio_kind kind;
	char *path;                     /* socket: */
	unsigned channo, dchannel_channo;
};

struct span_audio {
	struct cwb_media *m;
	struct span_source src;
	struct cwi_bchan *b;            /* NULL: no source (none configured, or lost) */
	enum cwi_bchan_law law;
	enum cwm_g711_law g711;
	int socket_fd;                  /* socket: the one fd watched; -1 */
	struct cwb_media_call *chan[CWI_BCHAN_MAX_CHANNEL + 1];
	struct chan_ref ref[CWI_BCHAN_MAX_CHANNEL + 1];
};

struct cwb_media {
	struct cwb *d;
	struct cwm_rtp_ports *ports;
	struct sockaddr_storage local;  /* where RTP is bound: the SIP bind address */
	socklen_t local_len;
	struct span_audio *spans;
	size_t n;
	char cname[128];
};

struct cwb_media_call {
	struct cwb_media *m;
	unsigned long id;
	const char *peer;                /* the call's SIP peer for the log lines, NULL none */
	long span;                       /* the law's span */
	long bound_span;                 /* the B-channel whose audio it carries; -1 none */
	int bound_channel;
	struct cwm_rtp_session *rtp;
	int rtp_fd, rtcp_fd;
	struct cwm_sdp_oa *oa;
	uint64_t session_id;
	int negotiated;                  /* a session is agreed */
	int connected;                   /* the answer went out or came in: send toward SIP */
	enum cwm_sdp_oa_direction direction;
	char *sdp;                       /* the last description made, at its size; NULL none */
	size_t sdp_len;
	/* DTMF and fax tones (../media/README.md "DTMF and fax tones") */
	struct cwm_dtmf_in *din;         /* B-channel digits -> RFC 4733 events, the tone muted */
	struct cwm_dtmf_out *dout;       /* RFC 4733 events -> in-band digits on the B-channel */
	struct cwm_fax_detect *fax_tdm;  /* the tones heard on the B-channel */
	struct cwm_fax_detect *fax_rtp;  /* and those from RTP; both made at the first frame */
	int fax_off;                     /* ... which could not make them: no fax detection */
	int inband;                      /* [sip] dtmf = inband when the call began */
	int events;                      /* telephone-event negotiated (RFC 4733 §2.1) */
	int vbd;                         /* a fax or modem tone was heard: voiceband data */
	uint32_t dtmf_ts;                /* samples fed to din so far */
	int digital;                     /* the call's bearer is unrestricted digital: offers
	                                    are clearmode (RFC 4040) */
	int clear;                       /* the session is clearmode: octets pass as they are */
};

static uint32_t random32(void)
{
	uint32_t v;
	static uint32_t fallback = 0x2545f491u;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
	fallback = fallback * 1664525u + 1013904223u;
	return fallback;
}

/* -------------------------------------------------------------- B-channel audio */

static void span_audio_lost(struct span_audio *sa)
{
	struct cwb *d = sa->m->d;

	cwb_warning("span %u: audio %s lost", sa->src.number, cwi_bchan_name(sa->b));
	if (sa->socket_fd >= 0)
		d->fd_ops->unwatch(d, sa->socket_fd);
	for (int ch = 1; ch <= CWI_BCHAN_MAX_CHANNEL; ch++) {
		int fd = cwi_bchan_fd(sa->b, ch);

		if (sa->socket_fd < 0 && fd >= 0)
			d->fd_ops->unwatch(d, fd);
	}
	cwi_bchan_free(sa->b);
	sa->b = NULL;
	sa->socket_fd = -1;
}

/*
 * A fax or modem tone either way (../media/README.md "Fax and modems"): the call
 * is voiceband data from now on (ITU-T V.152): the playout buffer's
 * passthrough mode, no DTMF detection or muting, a digit being sent ends.
 * There is no echo canceller in the path to turn off.
 */
static void go_vbd(struct cwb_media_call *mc, enum cwm_fax_tone tone, const char *side)
{
	struct cwm_fax_action act = cwm_fax_tone_action(tone);

	mc->vbd = 1;
	if (act.passthrough)
		(void)cwm_rtp_session_set_passthrough(mc->rtp, true);
	if (act.dtmf_off && mc->events)
		cwm_rtp_session_event_end(mc->rtp);
	media_info(mc, "%s tone from %s: fax/modem passthrough",
	               cwm_fax_tone_name(tone), side);
}

/* RFC 4733 §2.5.1: a digit heard on the B-channel goes out as events; the
 * in-band tone is muted (the frame handed on is the one before). */
static void dtmf_to_sip(struct cwb_media_call *mc, int16_t pcm[CWM_JB_FRAME])
{
	struct cwm_dtmf_in_result r;

	if (cwm_dtmf_in_frame(mc->din, pcm, mc->dtmf_ts, &r) < 0)
		return;
	mc->dtmf_ts += CWM_DTMF_FRAME;
	if (r.end)
		cwm_rtp_session_event_end(mc->rtp);
	if (r.begin && cwm_rtp_session_event_begin(mc->rtp, r.begin_code, r.begin_volume) < 0)
		media_debug(mc, "digit %c not sent as events (the sender is busy)",
		                r.begin);
}

/*
 * A clearmode call's 20 ms (RFC 4040 §3): the B-channel's octets into RTP and RTP's back,
 * unconverted; no DTMF, no tone detection (they are not audio). A gap, or hold, sends
 * all ones, the idle pattern of a 64 kbit/s data channel (HDLC mark idle).
 */
static void on_clear_frame(struct span_audio *sa, struct cwb_media_call *mc, int channel,
                           const uint8_t frame[CWI_BCHAN_FRAME], uint64_t now_us)
{
	int16_t octets[CWM_JB_FRAME];
	uint8_t out[CWI_BCHAN_FRAME];
	int i, kind;

	if (mc->connected && (mc->direction & CWM_SDP_OA_SENDONLY)) {
		for (i = 0; i < CWM_JB_FRAME; i++)
			octets[i] = frame[i];
		(void)cwm_rtp_session_put_frame(mc->rtp, octets, now_us);
	}
	kind = cwm_rtp_session_get_frame(mc->rtp, octets);
	for (i = 0; i < CWI_BCHAN_FRAME; i++)
		out[i] = kind == CWM_JB_AUDIO && (mc->direction & CWM_SDP_OA_RECVONLY)
		         ? (uint8_t)octets[i] : 0xff;
	(void)cwi_bchan_write(sa->b, channel, out);
	if (now_us >= cwm_rtp_session_deadline_us(mc->rtp))
		(void)cwm_rtp_session_on_timer(mc->rtp, now_us);
}

/* The fax and modem tone detectors, one each way, made when the call's B-channel first
 * carries audio (a call that never does pays nothing for them); run from that frame on,
 * since a tone may come at any time of the call. */
static void fax_detectors_new(struct cwb_media_call *mc)
{
	int r = cwm_fax_detect_new(NULL, &mc->fax_tdm);

	if (r == 0)
		r = cwm_fax_detect_new(NULL, &mc->fax_rtp);
	if (r < 0) {
		cwm_fax_detect_free(mc->fax_tdm);
		mc->fax_tdm = mc->fax_rtp = NULL;
		mc->fax_off = 1;
		media_warning(mc, "fax tone detection: %s; no passthrough switch",
		                  cwcom_strerror(r));
	}
}

/* One 20 ms frame of the TDM side on channel: toward SIP, and one frame back. */
static void on_frame(struct span_audio *sa, int channel, const uint8_t frame[CWI_BCHAN_FRAME],
                     uint64_t now_us)
{
	struct cwb_media_call *mc = sa->chan[channel];
	int16_t pcm[CWM_JB_FRAME];
	uint8_t out[CWI_BCHAN_FRAME];
	struct cwm_rtp_event_report report;
	enum cwm_fax_tone tone;

	if (!mc || !mc->rtp) {
		memset(out, cwi_bchan_idle_octet(sa->law), sizeof(out));
		(void)cwi_bchan_write(sa->b, channel, out);
		return;
	}
	if (mc->clear) {
		on_clear_frame(sa, mc, channel, frame, now_us);
		return;
	}
	cwm_g711_decode(sa->g711, frame, pcm, CWM_JB_FRAME);
	if (!mc->fax_tdm && !mc->fax_off)
		fax_detectors_new(mc);
	if (!mc->vbd && mc->fax_tdm &&
	    cwm_fax_detect_frame(mc->fax_tdm, pcm, CWM_JB_FRAME, &tone) == 1)
		go_vbd(mc, tone, "ISDN");
	if (mc->connected && (mc->direction & CWM_SDP_OA_SENDONLY)) {
		if (!mc->vbd && mc->events)
			dtmf_to_sip(mc, pcm);
		(void)cwm_rtp_session_put_frame(mc->rtp, pcm, now_us);
	}
	/* RFC 4733 §2.5.2: the events received, played in-band from the next frame */
	while (cwm_rtp_session_next_event(mc->rtp, &report) == 1)
		(void)cwm_dtmf_out_report(mc->dout, &report); /* -EINVAL: not a digit (flash) */
	/* the playout buffer gives silence until audio arrives, and on hold */
	(void)cwm_rtp_session_get_frame(mc->rtp, pcm);
	if (!(mc->direction & CWM_SDP_OA_RECVONLY))
		memset(pcm, 0, sizeof(pcm));
	/* on what came, before a digit is played into it */
	if (!mc->vbd && mc->fax_rtp &&
	    cwm_fax_detect_frame(mc->fax_rtp, pcm, CWM_JB_FRAME, &tone) == 1)
		go_vbd(mc, tone, "SIP");
	(void)cwm_dtmf_out_frame(mc->dout, pcm);
	cwm_g711_encode(sa->g711, pcm, out, CWM_JB_FRAME);
	(void)cwi_bchan_write(sa->b, channel, out);
	/* RFC 3550 §6.2: reports on their schedule, checked on the TDM clock */
	if (now_us >= cwm_rtp_session_deadline_us(mc->rtp))
		(void)cwm_rtp_session_on_timer(mc->rtp, now_us);
}

static void drain(struct span_audio *sa, uint64_t now)
{
	uint8_t frame[CWI_BCHAN_FRAME];
	int channel, guard;
	ssize_t n;

	/* at most a second of every channel per wake-up: the loop stays fair */
	for (guard = 0; sa->b && guard < 50 * CWI_BCHAN_MAX_CHANNEL; guard++) {
		n = cwi_bchan_read(sa->b, &channel, frame);
		if (n == CWI_BCHAN_AGAIN)
			return;
		if (n == CWI_BCHAN_LOST || n < 0) {
			span_audio_lost(sa);
			return;
		}
		on_frame(sa, channel, frame, now * 1000u);
	}
}

static void socket_readable(void *arg, uint64_t now)
{
	drain(arg, now);
}

static void dahdi_readable(void *arg, uint64_t now)
{
	drain(((struct chan_ref *)arg)->sa, now);
}

/* Start audio on channel: the source opens it, DAHDI's own fd is watched. */
static void channel_start(struct span_audio *sa, int channel)
{
	struct cwb *d = sa->m->d;
	int r, fd;

	if (!sa->b)
		return;
	r = cwi_bchan_open(sa->b, channel);
	if (r < 0 && r != -EALREADY) {
		cwb_warning("span %u: audio on channel %d: %s", sa->src.number, channel,
		            cwcom_strerror(r));
		return;
	}
	fd = cwi_bchan_fd(sa->b, channel);
	if (sa->socket_fd < 0 && fd >= 0) {
		sa->ref[channel].sa = sa;
		sa->ref[channel].channel = channel;
		if (d->fd_ops->watch(d, fd, EPOLLIN, dahdi_readable, &sa->ref[channel]) < 0)
			cwb_warning("span %u: audio on channel %d: epoll: %s", sa->src.number, channel,
			            strerror(errno));
	}
}

static void channel_stop(struct span_audio *sa, int channel)
{
	struct cwb *d = sa->m->d;
	int fd;

	if (!sa->b)
		return;
	fd = cwi_bchan_fd(sa->b, channel);
	if (sa->socket_fd < 0 && fd >= 0)
		d->fd_ops->unwatch(d, fd);
	cwi_bchan_close(sa->b, channel);
}

/* The span's source: socket: connects (the simulator listens), dahdi opens nothing yet. */
static int span_audio_connect(struct span_audio *sa)
{
	struct cwb *d = sa->m->d;
	const struct span_source *sp = &sa->src;
	int r, ch;

	if (sa->b || sp->kind == CWCFG_AUDIO_NONE)
		return 0;
	if (sp->kind == CWCFG_AUDIO_SOCKET) {
		r = cwi_bchan_socket_connect(sp->path, sa->law, &sa->b);
	} else {
		/* E1: timeslot 16 is the D-channel, B-channel 1 is 15 below it; T1: 23 below 24 */
		unsigned below = sa->law == CWI_BCHAN_ALAW ? 15u : 23u;
		unsigned first = sp->channo ? sp->channo
		                 : sp->dchannel_channo > below ? sp->dchannel_channo - below : 1u;

		r = cwi_bchan_dahdi_open((int)first, sa->law, &sa->b);
	}
	if (r < 0) {
		sa->b = NULL;
		return r;
	}
	/* a socket has one fd for every channel; DAHDI has none until a channel opens */
	sa->socket_fd = cwi_bchan_fd(sa->b, 1);
	if (sa->socket_fd >= 0 && d->fd_ops->watch(d, sa->socket_fd, EPOLLIN, socket_readable, sa) < 0) {
		r = -errno;
		cwi_bchan_free(sa->b);
		sa->b = NULL;
		sa->socket_fd = -1;
		return r;
	}
	cwb_notice("span %u: audio %s (%s)", sp->number, cwi_bchan_name(sa->b),
	           cwi_bchan_law_name(sa->law));
	for (ch = 1; ch <= CWI_BCHAN_MAX_CHANNEL; ch++)
		if (sa->chan[ch])
			channel_start(sa, ch);
	return 0;
}

/* ---------------------------------------------------------------- the c= address */

/* The address a wildcard bind sends from toward the default route: a UDP socket
 * connected (nothing is sent) to a documentation address (RFC 5737, RFC 3849). */
static int interface_address(int family, char *out, size_t len)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd, r = 0;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(9);
		(void)inet_pton(AF_INET6, "2001:db8::1", &s6->sin6_addr);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(9);
		(void)inet_pton(AF_INET, "192.0.2.1", &s4->sin_addr);
	}
	fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&ss,
	            family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		r = -errno;
	close(fd);
	if (r < 0)
		return r;
	if (!inet_ntop(family,
	               family == AF_INET6 ? (void *)&((struct sockaddr_in6 *)&ss)->sin6_addr
	                                  : (void *)&((struct sockaddr_in *)&ss)->sin_addr,
	               out, (socklen_t)len))
		return -errno;
	return 0;
}

/* No route toward a default gateway: the first interface that is up, not loopback, with
 * an address of the family (an IPv6 one not link-local: a c= has no zone). */
static int first_interface_address(int family, char *out, size_t len)
{
	struct ifaddrs *list, *i;
	int r = -ENETUNREACH;

	if (getifaddrs(&list) < 0)
		return -errno;
	for (i = list; i && r < 0; i = i->ifa_next) {
		const void *a;

		if (!i->ifa_addr || i->ifa_addr->sa_family != family || !(i->ifa_flags & IFF_UP) ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		if (family == AF_INET6) {
			const struct in6_addr *a6 = &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;

			if (IN6_IS_ADDR_LINKLOCAL(a6))
				continue;
			a = a6;
		} else {
			a = &((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		}
		if (inet_ntop(family, a, out, (socklen_t)len))
			r = 0;
	}
	freeifaddrs(list);
	return r;
}

static int literal_sockaddr(const char *text, unsigned port, struct sockaddr_storage *ss,
                            socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, text, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		((struct sockaddr_in *)ss)->sin_family = AF_INET;
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in);
		return 0;
	}
	if (inet_pton(AF_INET6, text, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
		*len = sizeof(struct sockaddr_in6);
		return 0;
	}
	return -EINVAL;
}

static int is_wildcard(const char *a)
{
	struct sockaddr_storage ss;
	socklen_t len;
	static const struct in6_addr any6 = IN6ADDR_ANY_INIT;

	if (literal_sockaddr(a, 0, &ss, &len) < 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(INADDR_ANY);
	return memcmp(&((struct sockaddr_in6 *)&ss)->sin6_addr, &any6, sizeof(any6)) == 0;
}

/* ------------------------------------------------------------------ the daemon's */

int cwb_media_start(struct cwb *d)
{
	const struct cwcfg_config *cfg = d->cfg;
	const struct cwcfg_sip *sip = &cfg->sip;
	struct cwb_media *m;
	char host[64];
	size_t i;
	int r;

	m = calloc(1, sizeof(*m));
	if (!m || !(m->spans = calloc(cfg->n_spans ? cfg->n_spans : 1, sizeof(*m->spans)))) {
		free(m);
		cwb_error("out of memory");
		return 1;
	}
	d->media = m;
	m->d = d;
	m->n = cfg->n_spans;
	r = cwm_rtp_ports_new((uint16_t)sip->rtp_port_low, (uint16_t)sip->rtp_port_high, &m->ports);
	if (r < 0) {
		cwb_error("%s:%u: rtp_ports %u-%u: %s", cfg->file, sip->rtp_ports_line,
		          sip->rtp_port_low, sip->rtp_port_high, cwcom_strerror(r));
		return 1;
	}
	if (literal_sockaddr(sip->bind, 0, &m->local, &m->local_len) < 0) {
		cwb_error("%s:%u: bind %s is no address", cfg->file, sip->bind_line, sip->bind);
		return 1;
	}
	/* RFC 4566 §5.7: c= names where peers send; a wildcard there would mean hold
	   (RFC 3264 §8.4), loopback reaches no peer */
	if (sip->media_address) {
		snprintf(d->media_addr, sizeof(d->media_addr), "%s", sip->media_address);
	} else if (!is_wildcard(sip->bind)) {
		snprintf(d->media_addr, sizeof(d->media_addr), "%s", sip->bind);
	} else if ((r = interface_address(m->local.ss_family, host, sizeof(host))) == 0 ||
	           (r = first_interface_address(m->local.ss_family, host, sizeof(host))) == 0) {
		snprintf(d->media_addr, sizeof(d->media_addr), "%s", host);
	} else {
		cwb_error("%s:%u: bind %s is a wildcard and no interface but loopback has an address "
		          "of its family (%s): set [sip] media_address", cfg->file, sip->bind_line,
		          sip->bind, cwcom_strerror(r));
		return 1;
	}
	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	snprintf(m->cname, sizeof(m->cname), "causeway@%s", host); /* RFC 3550 §6.5.1 */
	cwb_notice("media: rtp ports %u-%u on %s, c=%s", sip->rtp_port_low, sip->rtp_port_high,
	           sip->bind, d->media_addr);
	for (i = 0; i < m->n; i++) {
		struct span_audio *sa = &m->spans[i];

		const struct cwcfg_span *sp = &cfg->spans[i];

		sa->m = m;
		sa->src.number = sp->number;
		sa->src.kind = sp->audio_kind;
		sa->src.channo = sp->audio_channo;
		sa->src.dchannel_channo = sp->dchannel_channo;
		if (sp->audio_path && !(sa->src.path = strdup(sp->audio_path))) {
			cwb_error("media: %s", strerror(ENOMEM));
			return 1;
		}
		sa->socket_fd = -1;
		sa->law = cwb_span_alaw(sp) ? CWI_BCHAN_ALAW : CWI_BCHAN_ULAW;
		sa->g711 = sa->law == CWI_BCHAN_ALAW ? CWM_G711_ALAW : CWM_G711_ULAW;
		r = span_audio_connect(sa);
		/* not fatal: a socket not there yet is tried again by the next call */
		if (r < 0)
			cwb_warning("span %u: audio %s%s: %s", sa->src.number,
			            sa->src.kind == CWCFG_AUDIO_SOCKET ? "socket " : "dahdi",
			            sa->src.kind == CWCFG_AUDIO_SOCKET ? sa->src.path : "",
			            cwcom_strerror(r));
	}
	return 0;
}

void cwb_media_free(struct cwb *d)
{
	struct cwb_media *m = d->media;
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		if (m->spans[i].b) {
			if (m->spans[i].socket_fd >= 0)
				d->fd_ops->unwatch(d, m->spans[i].socket_fd);
			for (int ch = 1; ch <= CWI_BCHAN_MAX_CHANNEL; ch++)
				if (m->spans[i].chan[ch])
					channel_stop(&m->spans[i], ch);
			cwi_bchan_free(m->spans[i].b);
		}
	for (i = 0; i < m->n; i++)
		free(m->spans[i].src.path);
	free(m->spans);
	cwm_rtp_ports_free(m->ports);
	free(m);
	d->media = NULL;
}

/* ------------------------------------------------------------------------ a call */

static void rtp_readable(void *arg, uint64_t now)
{
	struct cwb_media_call *mc = arg;

	(void)cwm_rtp_session_read_rtp(mc->rtp, now * 1000u);
}

static void rtcp_readable(void *arg, uint64_t now)
{
	struct cwb_media_call *mc = arg;

	(void)cwm_rtp_session_read_rtcp(mc->rtp, now * 1000u);
}

static enum cwm_sdp_oa_law oa_law(const struct cwb_media_call *mc)
{
	return mc->m->spans[mc->span].law == CWI_BCHAN_ALAW ? CWM_SDP_OA_ALAW : CWM_SDP_OA_ULAW;
}

static int oa_new(struct cwb_media_call *mc)
{
	struct cwm_sdp_oa_config oc;

	cwm_sdp_oa_free(mc->oa);
	mc->oa = NULL;
	memset(&oc, 0, sizeof(oc));
	oc.law = oa_law(mc);
	oc.offer_both_laws = 1;
	oc.no_telephone_event = mc->inband; /* [sip] dtmf = inband: the digits stay in the audio */
	oc.clearmode = mc->digital;
	oc.address = mc->m->d->media_addr;
	oc.port = cwm_rtp_session_port(mc->rtp);
	oc.session_id = mc->session_id;
	oc.session_version = 1;
	return cwm_sdp_oa_new(&oc, &mc->oa);
}

int cwb_media_call_new(struct cwb *d, long span, unsigned long call_id, const char *peer,
                       uint64_t session_id, struct cwb_media_call **ret)
{
	struct cwb_media *m = d->media;
	struct cwm_rtp_session_config rc;
	struct cwb_media_call *mc;
	uint64_t now_us = d->now_ms * 1000u;
	int r;

	if (!m || span < 0 || (size_t)span >= m->n)
		return -EINVAL;
	mc = calloc(1, sizeof(*mc));
	if (!mc)
		return -ENOMEM;
	mc->m = m;
	mc->id = call_id;
	mc->peer = peer;
	mc->span = span;
	mc->bound_span = -1;
	mc->session_id = session_id;
	mc->direction = CWM_SDP_OA_SENDRECV;
	mc->inband = d->cfg->sip.dtmf == CWCFG_DTMF_INBAND; /* a reload: for new calls */
	memset(&rc, 0, sizeof(rc));
	rc.ports = m->ports;
	rc.local = (const struct sockaddr *)&m->local;
	rc.local_len = m->local_len;
	rc.law = m->spans[span].g711;
	rc.event_pt = -1;
	rc.ptime_ms = 20;
	rc.jb.mode = CWM_JB_ADAPTIVE;
	rc.ssrc = random32();       /* RFC 3550 §8.1 */
	rc.initial_seq = random32(); /* §5.1 */
	rc.initial_ts = random32();
	rc.cname = m->cname;
	rc.unix_offset_us = (d->now_wall_ms - (int64_t)d->now_ms) * 1000;
	rc.seed = random32();
	r = cwm_rtp_session_new(&rc, now_us, &mc->rtp);
	if (r < 0) {
		free(mc);
		return r;
	}
	cwm_rtp_session_fds(mc->rtp, &mc->rtp_fd, &mc->rtcp_fd);
	if (d->fd_ops->watch(d, mc->rtp_fd, EPOLLIN, rtp_readable, mc) < 0 ||
	    d->fd_ops->watch(d, mc->rtcp_fd, EPOLLIN, rtcp_readable, mc) < 0) {
		r = -errno;
		d->fd_ops->unwatch(d, mc->rtp_fd);
		cwm_rtp_session_free(mc->rtp);
		free(mc);
		return r;
	}
	r = oa_new(mc);
	/* din comes with telephone-event (apply()) */
	if (r == 0)
		r = cwm_dtmf_out_new(NULL, &mc->dout);
	if (r < 0) {
		cwb_media_call_free(mc);
		return r;
	}
	media_debug(mc, "rtp port %u", cwm_rtp_session_port(mc->rtp));
	*ret = mc;
	return 0;
}

void cwb_media_call_free(struct cwb_media_call *mc)
{
	struct cwb *d;
	struct cwm_rtp_session_stats st;
	struct cwm_dtmf_in_stats din = { 0 };
	struct cwm_dtmf_out_stats dout = { 0 };

	if (!mc)
		return;
	d = mc->m->d;
	cwb_media_call_bind(mc, -1, 0);
	cwm_rtp_session_stats(mc->rtp, d->now_ms * 1000u, &st);
	if (mc->din)
		cwm_dtmf_in_stats(mc->din, &din);
	if (mc->dout)
		cwm_dtmf_out_stats(mc->dout, &dout);
	media_info(mc, "media rtp sent=%llu received=%llu concealed=%llu late=%llu "
	               "dtmf_heard=%llu dtmf_played=%llu",
	               (unsigned long long)st.packets_sent, (unsigned long long)st.packets_received,
	               (unsigned long long)st.jb.frames_concealed, (unsigned long long)st.jb.late,
	               (unsigned long long)din.digits, (unsigned long long)dout.digits);
	if (mc->negotiated)
		(void)cwm_rtp_session_bye(mc->rtp, d->now_ms * 1000u); /* RFC 3550 §6.6 */
	d->fd_ops->unwatch(d, mc->rtp_fd);
	d->fd_ops->unwatch(d, mc->rtcp_fd);
	cwm_rtp_session_free(mc->rtp);
	cwm_sdp_oa_free(mc->oa);
	cwm_dtmf_in_free(mc->din);
	cwm_dtmf_out_free(mc->dout);
	cwm_fax_detect_free(mc->fax_tdm);
	cwm_fax_detect_free(mc->fax_rtp);
	free(mc->sdp);
	free(mc);
}

void cwb_media_call_bind(struct cwb_media_call *mc, long span, int channel)
{
	struct cwb_media *m;
	struct span_audio *sa;

	if (!mc)
		return;
	m = mc->m;
	if (span < 0 || (size_t)span >= m->n || channel <= 0 || channel > CWI_BCHAN_MAX_CHANNEL) {
		span = -1;
		channel = 0;
	}
	if (span == mc->bound_span && channel == mc->bound_channel)
		return;
	if (mc->bound_span >= 0) {
		sa = &m->spans[mc->bound_span];
		if (sa->chan[mc->bound_channel] == mc) {
			sa->chan[mc->bound_channel] = NULL;
			channel_stop(sa, mc->bound_channel);
		}
	}
	mc->bound_span = span;
	mc->bound_channel = channel;
	if (span < 0)
		return;
	sa = &m->spans[span];
	sa->chan[channel] = mc;
	if (!sa->b && span_audio_connect(sa) < 0)
		return; /* connect starts every bound channel */
	channel_start(sa, channel);
}

/* The remote address of a new session or a moved one (latching waits for a name's). */
static void apply_remote(struct cwb_media_call *mc, const struct cwm_sdp_oa_result *res)
{
	const struct cwm_sdp_oa_media *md = &res->media;
	struct sockaddr_storage ss;
	socklen_t len;
	int r;

	if (!(res->changes & CWM_SDP_OA_CHANGED_REMOTE) || md->held)
		return;
	if (md->address_is_name || literal_sockaddr(md->address, md->port, &ss, &len) < 0 ||
	    ss.ss_family != mc->m->local.ss_family) {
		media_warning(mc, "remote RTP address %s: not an address of the bind's family; "
		                  "waiting for its RTP (latching)", md->address);
		return;
	}
	r = cwm_rtp_session_set_remote(mc->rtp, (struct sockaddr *)&ss, len);
	if (r < 0)
		media_warning(mc, "remote RTP address %s: %s", md->address,
		                  cwcom_strerror(r));
}

static const char *direction_word(enum cwm_sdp_oa_direction d)
{
	return d == CWM_SDP_OA_SENDRECV ? "sendrecv"
	       : d == CWM_SDP_OA_SENDONLY ? "sendonly"
	       : d == CWM_SDP_OA_RECVONLY ? "recvonly" : "inactive";
}

/* A clearmode session (RFC 4040): the octets as they are, no events, no tone detection. */
static void apply_clearmode(struct cwb_media_call *mc, const struct cwm_sdp_oa_result *res)
{
	const struct cwm_sdp_oa_media *md = &res->media;
	int r = cwm_rtp_session_set_clearmode(mc->rtp, md->pt,
	                                      md->ptime == 10 || md->ptime == 30 ? md->ptime : 20);

	if (r < 0)
		media_warning(mc, "clearmode: %s", cwcom_strerror(r));
	mc->clear = 1;
	mc->events = 0;
	apply_remote(mc, res);
	media_info(mc, "media CLEARMODE pt %d ptime %u %s remote %s%s%s:%u local port %u", md->pt,
	               md->ptime, direction_word(md->direction), md->family == 6 ? "[" : "",
	               md->address, md->family == 6 ? "]" : "", md->port,
	               cwm_rtp_session_port(mc->rtp));
}

/* The negotiated stream into the RTP session (SDP.md "The answer"). */
static void apply(struct cwb_media_call *mc, const struct cwm_sdp_oa_result *res)
{
	const struct cwm_sdp_oa_media *md = &res->media;
	enum cwm_g711_law law = md->law == CWM_SDP_OA_ALAW ? CWM_G711_ALAW : CWM_G711_ULAW;
	int events = md->te_pt >= 96 && md->te_pt <= 127;
	int r;

	mc->negotiated = 1;
	mc->direction = md->direction;
	if (md->clearmode) {
		apply_clearmode(mc, res);
		return;
	}
	if (md->pt != (int)law) /* RFC 3551 §6: the session sends the static type */
		media_warning(mc, "%s as payload type %d is sent as %d",
		                  law == CWM_G711_ALAW ? "PCMA" : "PCMU", md->pt, (int)law);
	/* without an event type a digit being sent ends there (rtp_session.h) */
	r = cwm_rtp_session_set_codec(mc->rtp, law, events ? md->te_pt : -1,
	                              md->ptime == 10 || md->ptime == 30 ? md->ptime : 20);
	if (r < 0)
		media_warning(mc, "codec: %s", cwcom_strerror(r));
	/* without telephone-event in-band DTMF passes as audio; with it the digits go
	   out as events (RFC 4733 §2.1) and their in-band tone is muted (media/README.md
	   "Suppression"); a receiver fed again starts afresh */
	if (r == 0 && events && !mc->events) {
		cwm_dtmf_in_free(mc->din);
		mc->din = NULL;
		r = cwm_dtmf_in_new(&(struct cwm_dtmf_in_config){ .suppress = true }, &mc->din);
		if (r < 0) {
			mc->din = NULL;
			media_warning(mc, "DTMF detection: %s; the digits stay in-band",
			                  cwcom_strerror(r));
		}
	}
	mc->events = events && r == 0 && mc->din != NULL;
	apply_remote(mc, res);
	media_info(mc, "media %s%s ptime %u %s remote %s%s%s:%u local port %u",
	               law == CWM_G711_ALAW ? "PCMA" : "PCMU", md->conversion ? " (law converted)" : "",
	               md->ptime, direction_word(md->direction),
	               md->family == 6 ? "[" : "", md->address, md->family == 6 ? "]" : "", md->port,
	               cwm_rtp_session_port(mc->rtp));
}

/* The description just made (n bytes and a NUL in buf) kept at its size: 0, or -ENOMEM
 * with none kept. */
static int keep_sdp(struct cwb_media_call *mc, const char *buf, size_t n)
{
	char *p = realloc(mc->sdp, n + 1);

	if (!p) {
		free(mc->sdp);
		mc->sdp = NULL;
		mc->sdp_len = 0;
		return -ENOMEM;
	}
	memcpy(p, buf, n);
	p[n] = '\0';
	mc->sdp = p;
	mc->sdp_len = n;
	return 0;
}

int cwb_media_call_answer(struct cwb_media_call *mc, const char *sdp, size_t len,
                          struct cwm_sdp_oa_result *result)
{
	char buf[CWB_MEDIA_SDP_MAX];
	size_t n = 0;
	int r;

	r = cwm_sdp_oa_answer(mc->oa, sdp, len, buf, sizeof(buf), &n, result);
	if (r < 0 || !result->accepted)
		return r;
	r = keep_sdp(mc, buf, n);
	if (r < 0)
		return r;
	apply(mc, result);
	return 0;
}

int cwb_media_call_offer(struct cwb_media_call *mc, int fresh)
{
	char buf[CWB_MEDIA_SDP_MAX];
	size_t n = 0;
	int r;

	if (fresh) {
		r = oa_new(mc);
		if (r < 0)
			return r;
		mc->negotiated = mc->connected = 0;
	}
	r = cwm_sdp_oa_offer(mc->oa, CWM_SDP_OA_SENDRECV, buf, sizeof(buf), &n);
	if (r < 0) {
		free(mc->sdp);
		mc->sdp = NULL;
		mc->sdp_len = 0;
		return r;
	}
	return keep_sdp(mc, buf, n);
}

int cwb_media_call_take_answer(struct cwb_media_call *mc, const char *sdp, size_t len,
                               struct cwm_sdp_oa_result *result)
{
	int r = cwm_sdp_oa_process_answer(mc->oa, sdp, len, result);

	if (r < 0 || !result->accepted)
		return r;
	apply(mc, result);
	mc->connected = 1;
	return 0;
}

void cwb_media_call_set_digital(struct cwb_media_call *mc, int digital)
{
	if (mc)
		mc->digital = !!digital;
}

int cwb_media_call_clearmode(const struct cwb_media_call *mc)
{
	return mc && mc->negotiated && mc->clear;
}

const char *cwb_media_call_sdp(const struct cwb_media_call *mc)
{
	return mc && mc->sdp_len ? mc->sdp : NULL;
}

void cwb_media_call_connect(struct cwb_media_call *mc)
{
	if (mc && mc->negotiated)
		mc->connected = 1;
}

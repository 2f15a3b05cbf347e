/* SPDX-License-Identifier: MIT */
/*
 * sdp_oa.c — offer/answer (RFC 3264) for one call's audio stream: the
 * answer to an offer (§6), our offer and the answer to it (§5, §6), and
 * re-offers either way (§8). SDP.md has the rules and the choices.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/error.h"
#include "sdp_oa_internal.h"

#define BODY_MAX 8192
#define PTIME_DEFAULT 20u /* RFC 3551 table 1: G.711's default packet time */
#define PTIME_MIN 10u
#define PTIME_MAX 30u

/* An m= line of the last exchange, kept for re-offers (RFC 3264 §8). */
struct kept_line {
	char media[SDP_OA_TOKEN];
	char proto[SDP_OA_TOKEN];
	char fmts[SDP_OA_FMTS];
};

/* Our offer while its answer is outstanding. */
struct pending_offer {
	int active;
	unsigned n_lines;
	unsigned audio_index;
	enum cwm_sdp_oa_direction direction;
	int offered[2]; /* by enum cwm_sdp_oa_law */
	int clearmode;  /* clearmode was offered, alone (RFC 4040 §3) */
};

struct cwm_sdp_oa {
	enum cwm_sdp_oa_law law;
	int offer_both_laws;
	int no_telephone_event;
	int clearmode;        /* offers: clearmode only (the call's bearer is digital) */
	char address[46];
	unsigned port;
	uint64_t session_id;
	uint64_t version;     /* o= sess-version of the last description written */
	int written;          /* a description was written: changes bump the version */
	char *last_body;      /* that description after its o= line (allocated to its size) */
	size_t last_cap;

	int has_session;
	struct cwm_sdp_oa_media session;
	unsigned n_lines;
	struct kept_line *lines;  /* room for lines_cap (reserve_lines()), most calls 1 */
	unsigned lines_cap;

	struct pending_offer pending;
};

/* Why a line of an offer is not served; the Warning for the first audio line. */
enum line_verdict {
	LINE_SERVED,
	LINE_DISABLED,     /* port 0 in the offer */
	LINE_NOT_AUDIO,
	LINE_TRANSPORT,    /* not RTP/AVP */
	LINE_ADDRESS,      /* no c=, not IN IP4/IP6 with a literal or name, or multicast */
	LINE_NO_CODEC,     /* neither PCMA nor PCMU (nor clearmode, when it may be taken) */
	LINE_SECOND_AUDIO, /* the gateway serves one audio stream */
};

static int is_wildcard(const char *address)
{
	unsigned char bin[16];
	static const unsigned char any[16];

	if (inet_pton(AF_INET, address, bin) == 1)
		return !memcmp(bin, any, 4);
	if (inet_pton(AF_INET6, address, bin) == 1)
		return !memcmp(bin, any, 16);
	return -1;
}

int cwm_sdp_oa_new(const struct cwm_sdp_oa_config *config, struct cwm_sdp_oa **ret_oa)
{
	struct cwm_sdp_oa *oa;

	if (!config || !ret_oa || !config->address ||
	    strlen(config->address) >= sizeof(oa->address) || is_wildcard(config->address) != 0 ||
	    config->port == 0 || config->port > 65535 ||
	    (config->law != CWM_SDP_OA_ALAW && config->law != CWM_SDP_OA_ULAW))
		return -EINVAL;
	oa = calloc(1, sizeof(*oa));
	if (!oa)
		return -ENOMEM;
	oa->law = config->law;
	oa->offer_both_laws = !!config->offer_both_laws;
	oa->no_telephone_event = !!config->no_telephone_event;
	oa->clearmode = !!config->clearmode;
	strcpy(oa->address, config->address);
	oa->port = config->port;
	oa->session_id = config->session_id;
	oa->version = config->session_version;
	*ret_oa = oa;
	return 0;
}

void cwm_sdp_oa_free(struct cwm_sdp_oa *oa)
{
	if (!oa)
		return;
	free(oa->last_body);
	free(oa->lines);
	free(oa);
}

int cwm_sdp_oa_session(const struct cwm_sdp_oa *oa, struct cwm_sdp_oa_media *ret_media)
{
	if (!oa || !ret_media)
		return -EINVAL;
	if (!oa->has_session)
		return -ENOENT;
	*ret_media = oa->session;
	return 0;
}

uint64_t cwm_sdp_oa_version(const struct cwm_sdp_oa *oa)
{
	return oa ? oa->version : 0;
}

/* RFC 3551 §6, table 4 */
static int static_pt(enum cwm_sdp_oa_law law)
{
	return law == CWM_SDP_OA_ALAW ? 8 : 0;
}

static enum cwm_sdp_oa_law other_law(enum cwm_sdp_oa_law law)
{
	return law == CWM_SDP_OA_ALAW ? CWM_SDP_OA_ULAW : CWM_SDP_OA_ALAW;
}

static int line_pt(const struct sdp_oa_line *line, enum cwm_sdp_oa_law law)
{
	return law == CWM_SDP_OA_ALAW ? line->pcma_pt : line->pcmu_pt;
}

/*
 * A refusal: 488 (RFC 3261 §21.4.26) with a Warning (§20.43). The cause is
 * what RFC 3398 §8.2.6.1 maps that response to: 65 (bearer capability not
 * implemented) with Warning 304 or 305, 31 (normal, unspecified) otherwise.
 */
static void refuse(struct cwm_sdp_oa *oa, struct cwm_sdp_oa_result *res, int warning,
                   const char *text)
{
	memset(res, 0, sizeof(*res));
	res->sip_status = 488;
	res->cause = warning == 304 || warning == 305 ? 65 : 31;
	res->warning = warning;
	res->warning_text = text;
	if (oa->has_session)
		res->media = oa->session;
}

/* The packet time of a line: its ptime when 10-30 ms, else 20, at most maxptime. */
static unsigned packet_time(const struct sdp_oa_line *line)
{
	unsigned ms = PTIME_DEFAULT;

	if (line->ptime >= PTIME_MIN && line->ptime <= PTIME_MAX)
		ms = line->ptime;
	if (line->maxptime >= PTIME_MIN && ms > line->maxptime) /* RFC 4566 §6 maxptime */
		ms = line->maxptime;
	return ms;
}

/*
 * The stream the line describes, seen from the gateway: wish is the
 * direction we want (our offer's, or sendrecv when answering). RFC 3264
 * §8.4: c=0.0.0.0 means the remote side receives nothing. clear: the line's
 * clearmode (RFC 4040), the span's law untouched, no telephone-event (§3:
 * the octets are not audio).
 */
static void fill_media(const struct cwm_sdp_oa *oa, const struct sdp_oa_line *line, unsigned index,
                       enum cwm_sdp_oa_law law, int clear, enum cwm_sdp_oa_direction wish,
                       struct cwm_sdp_oa_media *m)
{
	enum cwm_sdp_oa_direction remote = line->direction;

	if (line->conn.hold)
		remote &= CWM_SDP_OA_SENDONLY;
	memset(m, 0, sizeof(*m));
	m->law = clear ? oa->law : law;
	m->conversion = !clear && law != oa->law;
	m->clearmode = clear;
	m->pt = clear ? line->clear_pt : line_pt(line, law);
	m->te_pt = oa->no_telephone_event || clear ? -1 : line->te_pt;
	m->te_events = m->te_pt >= 0 ? line->te_events : 0;
	m->ptime = packet_time(line);
	m->direction = wish & sdp_oa_reverse(remote);
	m->held = !(remote & CWM_SDP_OA_RECVONLY);
	m->family = line->conn.family;
	m->address_is_name = line->conn.name;
	strcpy(m->address, line->conn.addr);
	m->port = line->port;
	m->m_index = index;
}

static unsigned changes(const struct cwm_sdp_oa *oa, const struct cwm_sdp_oa_media *m)
{
	const struct cwm_sdp_oa_media *o = &oa->session;
	unsigned c = 0;

	if (!oa->has_session)
		return CWM_SDP_OA_CHANGED_CODEC | CWM_SDP_OA_CHANGED_REMOTE | CWM_SDP_OA_CHANGED_DIRECTION |
		       CWM_SDP_OA_CHANGED_PTIME | CWM_SDP_OA_CHANGED_EVENTS;
	if (o->law != m->law || o->pt != m->pt || o->clearmode != m->clearmode)
		c |= CWM_SDP_OA_CHANGED_CODEC;
	if (strcmp(o->address, m->address) != 0 || o->port != m->port || o->family != m->family ||
	    o->address_is_name != m->address_is_name)
		c |= CWM_SDP_OA_CHANGED_REMOTE;
	if (o->direction != m->direction || o->held != m->held)
		c |= CWM_SDP_OA_CHANGED_DIRECTION;
	if (o->ptime != m->ptime)
		c |= CWM_SDP_OA_CHANGED_PTIME;
	if (o->te_pt != m->te_pt || o->te_events != m->te_events)
		c |= CWM_SDP_OA_CHANGED_EVENTS;
	return c;
}

/* Room to keep n m= lines (n <= SDP_OA_MAX_LINES), before anything of an exchange is taken. */
static int reserve_lines(struct cwm_sdp_oa *oa, unsigned n)
{
	struct kept_line *grown;

	if (n <= oa->lines_cap)
		return 0;
	grown = realloc(oa->lines, n * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	oa->lines = grown;
	oa->lines_cap = n;
	return 0;
}

/* desc's lines (room reserved with reserve_lines()). */
static void keep_lines(struct cwm_sdp_oa *oa, const struct sdp_oa_desc *desc)
{
	unsigned i;

	oa->n_lines = desc->n_lines;
	for (i = 0; i < desc->n_lines; i++) {
		strcpy(oa->lines[i].media, desc->lines[i].media);
		strcpy(oa->lines[i].proto, desc->lines[i].proto);
		strcpy(oa->lines[i].fmts, desc->lines[i].fmts);
	}
}

/* The exchange succeeded: media is the session now, desc's m= lines are kept. */
static void take_session(struct cwm_sdp_oa *oa, const struct sdp_oa_desc *desc,
                         const struct cwm_sdp_oa_media *media, struct cwm_sdp_oa_result *res)
{
	memset(res, 0, sizeof(*res));
	res->accepted = 1;
	res->warning_text = "";
	res->changes = changes(oa, media);
	res->media = *media;
	oa->session = *media;
	oa->has_session = 1;
	keep_lines(oa, desc);
}

/*
 * v= and o= before body into buf. RFC 3264 §8: the version goes up by one
 * when the description differs from the last one written, and stays when
 * it is the same (a re-answer to an unchanged re-offer).
 */
static int finish(struct cwm_sdp_oa *oa, const struct sdp_oa_out *body, char *buf, size_t cap,
                  size_t *ret_len)
{
	struct sdp_oa_out out = { buf, cap, 0, 0 };
	uint64_t version = oa->version;

	if (body->overflow)
		return -ENOSPC;
	if (oa->written && strcmp(oa->last_body, body->buf) != 0)
		version++;
	if (oa->last_cap < body->len + 1) {
		char *grown = realloc(oa->last_body, body->len + 1);

		if (!grown)
			return -ENOMEM;
		oa->last_body = grown;
		oa->last_cap = body->len + 1;
	}
	sdp_oa_write_origin(&out, oa->address, oa->session_id, version);
	sdp_oa_printf(&out, "%s", body->buf);
	if (out.overflow)
		return -ENOSPC;
	oa->version = version;
	oa->written = 1;
	memcpy(oa->last_body, body->buf, body->len + 1);
	if (ret_len)
		*ret_len = out.len;
	return 0;
}

/* What an offer's audio line may be served with: G.711 or clearmode on the first
 * exchange, what the session has on a re-offer (the bearer of the call stays). */
enum line_codec { CODEC_ANY, CODEC_G711, CODEC_CLEAR };

static enum line_codec codec_allowed(const struct cwm_sdp_oa *oa)
{
	if (!oa->has_session)
		return CODEC_ANY;
	return oa->session.clearmode ? CODEC_CLEAR : CODEC_G711;
}

/* G.711 when the line has it and may take it (SDP.md "Clearmode"), else clearmode. */
static int line_clear(const struct sdp_oa_line *line, enum line_codec allowed)
{
	int g711 = line->pcma_pt >= 0 || line->pcmu_pt >= 0;

	return allowed == CODEC_CLEAR || (allowed == CODEC_ANY && !g711);
}

static enum line_verdict judge_line(const struct sdp_oa_line *line, int audio_taken,
                                    enum line_codec allowed)
{
	if (line->port == 0)
		return LINE_DISABLED;
	if (strcasecmp(line->media, "audio") != 0)
		return LINE_NOT_AUDIO;
	/* RFC 3551 §1: RTP/AVP; SRTP (RTP/SAVP, RFC 3711) and AVPF are not served. */
	if (strcasecmp(line->proto, "RTP/AVP") != 0)
		return LINE_TRANSPORT;
	if (!line->conn.family || line->conn.multicast)
		return LINE_ADDRESS;
	if (line_clear(line, allowed) ? line->clear_pt < 0 : line->pcma_pt < 0 && line->pcmu_pt < 0)
		return LINE_NO_CODEC;
	return audio_taken ? LINE_SECOND_AUDIO : LINE_SERVED;
}

/*
 * RFC 3261 §20.43: the Warning for an offer with no audio line served,
 * from the first audio line's reason. 304 or 305 only, the two RFC 3398
 * §8.2.6.1 maps to cause 65; the text says which rule refused it.
 */
static void refuse_offer(struct cwm_sdp_oa *oa, const struct sdp_oa_desc *desc,
                         const enum line_verdict *verdicts, struct cwm_sdp_oa_result *res)
{
	static const char *const no_codec[] = {
		[CODEC_ANY] = "Incompatible media format: PCMA, PCMU or CLEARMODE only",
		[CODEC_G711] = "Incompatible media format: PCMA or PCMU only",
		[CODEC_CLEAR] = "Incompatible media format: the call is CLEARMODE",
	};
	unsigned i;

	for (i = 0; i < desc->n_lines; i++) {
		switch (verdicts[i]) {
		case LINE_TRANSPORT:
			refuse(oa, res, 304, "Media type not available: audio over RTP/AVP only");
			return;
		case LINE_ADDRESS:
			refuse(oa, res, 304, "Media type not available: no usable c= address");
			return;
		case LINE_NO_CODEC:
			refuse(oa, res, 305, no_codec[codec_allowed(oa)]);
			return;
		default:
			break;
		}
	}
	refuse(oa, res, 304, "Media type not available: no audio stream");
}

/* The stream an offer's served line gets: the span's law when offered (SDP.md). */
static void media_of_offer(const struct cwm_sdp_oa *oa, const struct sdp_oa_line *line,
                           unsigned index, struct cwm_sdp_oa_media *media)
{
	enum cwm_sdp_oa_law law = line_pt(line, oa->law) >= 0 ? oa->law : other_law(oa->law);

	fill_media(oa, line, index, law, line_clear(line, codec_allowed(oa)), CWM_SDP_OA_SENDRECV,
	           media);
}

/* RFC 3264 §6: the offer's t=, then every m= line in the offer's order. */
static void write_answer(const struct cwm_sdp_oa *oa, const struct sdp_oa_desc *desc,
                         const enum line_verdict *verdicts, const struct cwm_sdp_oa_media *media,
                         struct sdp_oa_out *body)
{
	unsigned i;

	sdp_oa_write_session(body, oa->address, desc->t_start, desc->t_stop);
	for (i = 0; i < desc->n_lines; i++) {
		const struct sdp_oa_line *line = &desc->lines[i];
		struct sdp_oa_audio audio = {
			.proto = line->proto,
			.port = oa->port,
			.law = media->law,
			.pt = media->pt,
			.other_pt = -1,
			.te_pt = media->te_pt,
			.te_events = media->te_events,
			.ptime = media->ptime,
			.direction = media->direction,
			.clearmode = media->clearmode,
		};

		if (verdicts[i] == LINE_SERVED)
			sdp_oa_write_audio(body, &audio);
		else
			sdp_oa_write_refused(body, line->media, line->proto, line->fmts);
	}
}

int cwm_sdp_oa_answer(struct cwm_sdp_oa *oa, const char *sdp, size_t len, char *buf, size_t cap,
                     size_t *ret_len, struct cwm_sdp_oa_result *res)
{
	struct sdp_oa_desc desc;
	enum line_verdict verdicts[SDP_OA_MAX_LINES];
	char body_buf[BODY_MAX];
	struct sdp_oa_out body = { body_buf, sizeof(body_buf), 0, 0 };
	struct cwm_sdp_oa_media media;
	const char *why;
	int served = -1, rc;
	unsigned i;

	if (!oa || (!sdp && len) || !buf || !res)
		return -EINVAL;
	if (oa->pending.active)
		return CWCOM_ESTATE; /* RFC 3264 §4: our offer is outstanding */
	rc = sdp_oa_read(sdp ? sdp : "", len, &desc, &why);
	if (rc == CWCOM_ESYNTAX) {
		refuse(oa, res, 399, why);
		return 0;
	}
	if (rc != 0)
		return rc;
	if (oa->has_session && desc.n_lines < oa->n_lines) {
		refuse(oa, res, 399, "fewer m= lines than the session has (RFC 3264 §8)");
		return 0;
	}
	for (i = 0; i < desc.n_lines; i++) {
		verdicts[i] = judge_line(&desc.lines[i], served >= 0, codec_allowed(oa));
		if (verdicts[i] == LINE_SERVED)
			served = (int)i;
	}
	if (served < 0) {
		refuse_offer(oa, &desc, verdicts, res);
		return 0;
	}
	media_of_offer(oa, &desc.lines[served], (unsigned)served, &media);
	write_answer(oa, &desc, verdicts, &media, &body);
	rc = reserve_lines(oa, desc.n_lines);
	if (rc == 0)
		rc = finish(oa, &body, buf, cap, ret_len);
	if (rc != 0)
		return rc;
	take_session(oa, &desc, &media, res);
	return 0;
}

int cwm_sdp_oa_offer(struct cwm_sdp_oa *oa, enum cwm_sdp_oa_direction direction, char *buf,
                    size_t cap, size_t *ret_len)
{
	char body_buf[BODY_MAX];
	struct sdp_oa_out body = { body_buf, sizeof(body_buf), 0, 0 };
	struct sdp_oa_audio audio;
	unsigned n_lines = 1, audio_index = 0, i;
	int rc;

	if (!oa || !buf || (unsigned)direction > CWM_SDP_OA_SENDRECV)
		return -EINVAL;
	if (oa->pending.active)
		return CWCOM_ESTATE;
	audio = (struct sdp_oa_audio){
		.proto = "RTP/AVP",
		.port = oa->port,
		.law = oa->law,
		.pt = static_pt(oa->law),
		.other_pt = oa->offer_both_laws ? static_pt(other_law(oa->law)) : -1,
		.te_pt = oa->no_telephone_event ? -1 : SDP_OA_TE_PT,
		.te_events = oa->no_telephone_event ? 0 : SDP_OA_TE_ALL,
		.ptime = PTIME_DEFAULT,
		.direction = direction,
	};
	if (oa->clearmode) /* RFC 4040 §3, §5: the one format; DTMF has no meaning in it */
		audio = (struct sdp_oa_audio){ .proto = "RTP/AVP", .port = oa->port,
		                               .law = oa->law, .pt = SDP_OA_CLEAR_PT, .other_pt = -1,
		                               .te_pt = -1, .ptime = PTIME_DEFAULT,
		                               .direction = direction, .clearmode = 1 };
	if (oa->has_session) { /* RFC 3264 §8: every m= line again, in its place */
		n_lines = oa->n_lines;
		audio_index = oa->session.m_index;
	}
	sdp_oa_write_session(&body, oa->address, "0", "0");
	for (i = 0; i < n_lines; i++) {
		if (i == audio_index)
			sdp_oa_write_audio(&body, &audio);
		else
			sdp_oa_write_refused(&body, oa->lines[i].media, oa->lines[i].proto,
			                     oa->lines[i].fmts);
	}
	rc = finish(oa, &body, buf, cap, ret_len);
	if (rc != 0)
		return rc;
	memset(&oa->pending, 0, sizeof(oa->pending));
	oa->pending.active = 1;
	oa->pending.n_lines = n_lines;
	oa->pending.audio_index = audio_index;
	oa->pending.direction = direction;
	oa->pending.clearmode = oa->clearmode;
	oa->pending.offered[oa->law] = !oa->clearmode;
	oa->pending.offered[other_law(oa->law)] = !oa->clearmode && oa->offer_both_laws;
	return 0;
}

int cwm_sdp_oa_process_answer(struct cwm_sdp_oa *oa, const char *sdp, size_t len,
                             struct cwm_sdp_oa_result *res)
{
	struct sdp_oa_desc desc;
	struct pending_offer offer;
	const struct sdp_oa_line *line;
	struct cwm_sdp_oa_media media;
	enum cwm_sdp_oa_law law;
	const char *why;
	int rc;

	if (!oa || (!sdp && len) || !res)
		return -EINVAL;
	if (!oa->pending.active)
		return CWCOM_ESTATE;
	offer = oa->pending;
	rc = sdp_oa_read(sdp ? sdp : "", len, &desc, &why);
	if (rc != 0 && rc != CWCOM_ESYNTAX)
		return rc;
	oa->pending.active = 0;
	if (rc == CWCOM_ESYNTAX) {
		refuse(oa, res, 399, why);
		return 0;
	}
	line = &desc.lines[offer.audio_index];
	if (desc.n_lines != offer.n_lines || strcasecmp(line->media, "audio") != 0) {
		refuse(oa, res, 399, "the answer's m= lines are not the offer's (RFC 3264 §6)");
		return 0;
	}
	if (line->port == 0) {
		refuse(oa, res, 304, "Media type not available: the answer refused the audio stream");
		return 0;
	}
	if (!line->conn.family || line->conn.multicast) {
		refuse(oa, res, 304, "Media type not available: no usable c= address");
		return 0;
	}
	rc = reserve_lines(oa, desc.n_lines);
	if (rc != 0)
		return rc;
	if (offer.clearmode) { /* RFC 4040 §3: the answer takes clearmode, or the call fails */
		if (line->clear_pt < 0) {
			refuse(oa, res, 305, "Incompatible media format: the answer has no CLEARMODE");
			return 0;
		}
		fill_media(oa, line, offer.audio_index, oa->law, 1, offer.direction, &media);
		take_session(oa, &desc, &media, res);
		return 0;
	}
	/* RFC 3264 §6.1: the answer's codecs are a subset of the offer's; its first wins. */
	if (line->first_law >= 0 && offer.offered[line->first_law] &&
	    line_pt(line, (enum cwm_sdp_oa_law)line->first_law) >= 0)
		law = (enum cwm_sdp_oa_law)line->first_law;
	else if (line->first_law >= 0 && offer.offered[other_law(line->first_law)] &&
	         line_pt(line, other_law(line->first_law)) >= 0)
		law = other_law(line->first_law);
	else {
		refuse(oa, res, 305, "Incompatible media format: the answer names no offered codec");
		return 0;
	}
	fill_media(oa, line, offer.audio_index, law, 0, offer.direction, &media);
	take_session(oa, &desc, &media, res);
	return 0;
}

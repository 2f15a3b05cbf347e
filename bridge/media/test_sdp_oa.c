/* SPDX-License-Identifier: MIT */
/*
 * test_sdp_oa.c — offer/answer vectors. Each vector is a sequence of steps
 * over the session descriptions of corpus/sdp-oa/ (answer an offer, make
 * an offer, process an answer); its transcript (every result and every
 * description written) is compared with testdata/NAME.txt, and
 * CW_GOLDEN_UPDATE=1 rewrites those. Beside the transcripts, direct checks
 * of the contracts: arguments, states, buffers, versions.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <osipparser2/sdp_message.h>

#include "check.h"
#include "common/error.h"
#include "sdp_oa.h"
#include "test_golden.h"

#ifndef CW_SDP_OA_CORPUS
#error "CW_SDP_OA_CORPUS: the folder of the session descriptions"
#endif

enum step_kind { STEP_END, STEP_ANSWER, STEP_OFFER, STEP_PROCESS };

struct step {
	enum step_kind kind;
	const char *file;                    /* ANSWER, PROCESS: a corpus file */
	enum cwm_sdp_oa_direction direction;  /* OFFER */
};

struct vector {
	const char *name;
	enum cwm_sdp_oa_law law;
	int offers;             /* 0: the span's law, 1: both laws, OFFERS_CLEARMODE: the
	                           call's bearer is unrestricted digital */
	const char *address;
	struct step steps[8];
};

#define OFFERS_CLEARMODE 2

#define ANSWER(f) { STEP_ANSWER, f, CWM_SDP_OA_SENDRECV }
#define PROCESS(f) { STEP_PROCESS, f, CWM_SDP_OA_SENDRECV }
#define OFFER(d) { STEP_OFFER, NULL, d }

static const struct vector vectors[] = {
	/* RFC 4317's exchanges, answered by an A-law span. */
	{ "rfc4317-audio-video", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("rfc4317-audio-video") } },
	{ "rfc4317-two-audio", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("rfc4317-two-audio") } },
	{ "rfc4317-hold-resume", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("rfc4317-hold-offer"), ANSWER("rfc4317-hold-sendonly"),
	    ANSWER("rfc4317-hold-resume") } },
	{ "rfc4317-video-added", CWM_SDP_OA_ULAW, 0, "192.0.2.10",
	  { ANSWER("rfc4317-hold-offer"), ANSWER("rfc4317-video-added") } },
	{ "rfc4317-codec-change", CWM_SDP_OA_ULAW, 0, "192.0.2.10",
	  { ANSWER("rfc4317-hold-offer"), ANSWER("rfc4317-codec-change") } },
	/* Answers to single offers. */
	{ "pcmu-only-alaw-span", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("pcmu-only") } },
	{ "pcmu-only-ulaw-span", CWM_SDP_OA_ULAW, 0, "192.0.2.10", { ANSWER("pcmu-only") } },
	{ "opus-only", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("opus-only") } },
	{ "video-only", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("video-only") } },
	{ "ipv6", CWM_SDP_OA_ULAW, 0, "2001:db8::10", { ANSWER("ipv6") } },
	{ "pcma-dynamic-pt", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("pcma-dynamic-pt") } },
	{ "missing-c", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("missing-c") } },
	{ "malformed", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("malformed"), ANSWER("empty") } },
	{ "savp-only", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("savp-only") } },
	{ "avpf", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("avpf") } },
	{ "multicast", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("multicast") } },
	{ "g711-stereo", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("g711-stereo") } },
	{ "ptime", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("ptime-30"), ANSWER("ptime-60"), ANSWER("maxptime-10") } },
	{ "session-level-attributes", CWM_SDP_OA_ULAW, 0, "192.0.2.10",
	  { ANSWER("session-level-attributes") } },
	{ "telephone-event-ranges", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("te-some-digits"), ANSWER("te-flash-only") } },
	{ "media-c-overrides-session", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("media-c-overrides-session") } },
	{ "audio-port-zero-then-audio", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("audio-port-zero-then-audio") } },
	/* Re-offers (RFC 3264 §8). */
	{ "reoffer-hold-2543-and-inactive", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("pcma-offer"), ANSWER("hold-2543"), ANSWER("hold-inactive"),
	    ANSWER("pcma-offer") } },
	{ "reoffer-hold-ipv6-unspecified", CWM_SDP_OA_ULAW, 0, "2001:db8::10",
	  { ANSWER("ipv6"), ANSWER("hold-ipv6-unspecified"), ANSWER("ipv6") } },
	{ "reoffer-unchanged", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("pcma-offer"), ANSWER("pcma-offer") } },
	{ "reoffer-remote-moved", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("pcma-offer"), ANSWER("remote-moved") } },
	{ "reoffer-refused-keeps-session", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("pcma-offer"), ANSWER("opus-only"), ANSWER("malformed"), ANSWER("pcma-offer") } },
	{ "reoffer-fewer-lines", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("rfc4317-audio-video"), ANSWER("rfc4317-hold-offer") } },
	/* Our offers (ISDN -> SIP) and the answers to them. */
	{ "offer-alaw-both-laws", CWM_SDP_OA_ALAW, 1, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-pcma") } },
	{ "offer-ulaw", CWM_SDP_OA_ULAW, 0, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-pcmu") } },
	{ "offer-answer-other-law", CWM_SDP_OA_ALAW, 1, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-pcmu") } },
	{ "offer-answer-not-offered-law", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-pcmu") } },
	{ "offer-answer-g729", CWM_SDP_OA_ALAW, 1, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-g729") } },
	{ "offer-answer-refused", CWM_SDP_OA_ALAW, 1, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-refused") } },
	{ "offer-answer-two-lines", CWM_SDP_OA_ALAW, 1, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-two-lines") } },
	{ "offer-ipv6-answer-te-97", CWM_SDP_OA_ULAW, 1, "2001:db8::10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-te-97") } },
	{ "offer-hold-resume", CWM_SDP_OA_ALAW, 1, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-pcma"), OFFER(CWM_SDP_OA_SENDONLY),
	    PROCESS("answer-recvonly"), OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-pcma") } },
	{ "offer-refused-reoffer-keeps-session", CWM_SDP_OA_ALAW, 1, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-pcma"), OFFER(CWM_SDP_OA_INACTIVE),
	    PROCESS("answer-g729") } },
	{ "reoffer-after-audio-video", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("rfc4317-audio-video"), OFFER(CWM_SDP_OA_SENDONLY),
	    PROCESS("rfc4317-audio-video") } },
	/* Clearmode (RFC 4040): the unrestricted digital bearer. */
	{ "clearmode-only", CWM_SDP_OA_ULAW, 0, "192.0.2.10",
	  { ANSWER("clearmode-only"), ANSWER("clearmode-only") } },
	{ "clearmode-and-pcma", CWM_SDP_OA_ALAW, 0, "192.0.2.10", { ANSWER("clearmode-and-pcma") } },
	{ "reoffer-clearmode-stays", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("clearmode-only"), ANSWER("pcma-offer"), ANSWER("clearmode-and-pcma") } },
	{ "reoffer-g711-stays", CWM_SDP_OA_ALAW, 0, "192.0.2.10",
	  { ANSWER("pcma-offer"), ANSWER("clearmode-only") } },
	{ "offer-clearmode", CWM_SDP_OA_ALAW, OFFERS_CLEARMODE, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-clearmode"), OFFER(CWM_SDP_OA_SENDONLY),
	    PROCESS("answer-clearmode") } },
	{ "offer-clearmode-answer-pcma", CWM_SDP_OA_ALAW, OFFERS_CLEARMODE, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-pcma") } },
	{ "offer-g711-answer-clearmode", CWM_SDP_OA_ALAW, 1, "192.0.2.10",
	  { OFFER(CWM_SDP_OA_SENDRECV), PROCESS("answer-clearmode") } },
};

/* The transcript of one vector. */
struct transcript {
	char *buf;
	size_t len, cap;
};

static void say(struct transcript *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct transcript *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (size_t)n + 256;
		t->buf = realloc(t->buf, t->cap);
		if (!t->buf)
			abort();
	}
	t->len += (size_t)n;
}

static const char *direction_name(enum cwm_sdp_oa_direction d)
{
	static const char *const names[] = { "inactive", "sendonly", "recvonly", "sendrecv" };

	return names[d & 3];
}

static void say_media(struct transcript *t, const struct cwm_sdp_oa_media *m)
{
	if (m->clearmode)
		say(t, "  stream: CLEARMODE pt %d (span %s), ", m->pt,
		    m->law == CWM_SDP_OA_ALAW ? "A-law" : "mu-law");
	else
		say(t, "  stream: %s pt %d%s, ", m->law == CWM_SDP_OA_ALAW ? "PCMA" : "PCMU", m->pt,
		    m->conversion ? " (law conversion)" : "");
	if (m->te_pt >= 0) {
		say(t, "telephone-event pt %d events 0x%04x", m->te_pt, m->te_events);
	} else {
		say(t, "no telephone-event");
	}
	say(t, ", ptime %u, gateway %s%s, remote %s port %u (IP%d%s), m= line %u\n", m->ptime,
	    direction_name(m->direction), m->held ? ", held by the remote side" : "", m->address,
	    m->port, m->family, m->address_is_name ? ", a name" : "", m->m_index);
}

static void say_result(struct transcript *t, const struct cwm_sdp_oa *oa,
                       const struct cwm_sdp_oa_result *res)
{
	static const char *const change_names[] = { "codec", "remote", "direction", "ptime",
	                                            "events" };
	struct cwm_sdp_oa_media now;
	unsigned i;

	if (res->accepted) {
		say(t, "< accepted, changed:");
		for (i = 0; i < 5; i++)
			if (res->changes & (1u << i))
				say(t, " %s", change_names[i]);
		say(t, "%s\n", res->changes ? "" : " nothing");
		say_media(t, &res->media);
		CHECK(res->sip_status == 0 && res->cause == 0 && res->warning == 0);
		return;
	}
	say(t, "< refused: SIP %d, cause %d, Warning %d \"%s\"\n", res->sip_status, res->cause,
	    res->warning, res->warning_text);
	if (cwm_sdp_oa_session(oa, &now) == 0) {
		say(t, "  the session stays:\n");
		say_media(t, &now);
		CHECK(memcmp(&now, &res->media, sizeof(now)) == 0);
	} else {
		say(t, "  no session\n");
	}
}

/* The description into the transcript with LF line ends; every line must end in CRLF. */
static void say_description(struct transcript *t, const char *sdp, size_t len)
{
	sdp_message_t *parsed = NULL;
	size_t i;

	unsigned bare = 0;

	CHECK(strlen(sdp) == len);
	CHECK(len >= 2 && sdp[len - 2] == '\r' && sdp[len - 1] == '\n');
	for (i = 0; i < len; i++) {
		if (sdp[i] == '\r') {
			bare += !(i + 1 < len && sdp[i + 1] == '\n');
			continue;
		}
		bare += sdp[i] == '\n' && !(i > 0 && sdp[i - 1] == '\r');
		say(t, "%c", sdp[i]);
	}
	CHECK_INT(bare, 0); /* RFC 4566 §5: CRLF ends every line */
	/* What we write, libosip2 reads back. */
	CHECK(sdp_message_init(&parsed) == 0);
	CHECK(sdp_message_parse(parsed, sdp) == 0);
	sdp_message_free(parsed);
}

static char *read_corpus(const char *name, size_t *ret_len)
{
	char path[4096];
	char *buf = NULL;

	snprintf(path, sizeof(path), "%s/%s", CW_SDP_OA_CORPUS, name);
	if (golden_read_file(path, &buf, ret_len) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	return buf;
}

static void run_step(struct transcript *t, struct cwm_sdp_oa *oa, const struct step *s)
{
	char out[8192];
	size_t out_len = 0, in_len = 0;
	struct cwm_sdp_oa_result res;
	char *in = NULL;
	int rc;

	if (s->kind != STEP_OFFER) {
		in = read_corpus(s->file, &in_len);
		if (!CHECK(in != NULL))
			return;
	}
	switch (s->kind) {
	case STEP_ANSWER:
		say(t, "> answer the offer %s\n", s->file);
		rc = cwm_sdp_oa_answer(oa, in, in_len, out, sizeof(out), &out_len, &res);
		CHECK_INT(rc, 0);
		say_result(t, oa, &res);
		if (rc == 0 && res.accepted) {
			say(t, "  answer (version %llu):\n", (unsigned long long)cwm_sdp_oa_version(oa));
			say_description(t, out, out_len);
		}
		break;
	case STEP_OFFER:
		say(t, "> offer, %s\n", direction_name(s->direction));
		rc = cwm_sdp_oa_offer(oa, s->direction, out, sizeof(out), &out_len);
		CHECK_INT(rc, 0);
		if (rc == 0)
			say_description(t, out, out_len);
		break;
	case STEP_PROCESS:
		say(t, "> process the answer %s\n", s->file);
		rc = cwm_sdp_oa_process_answer(oa, in, in_len, &res);
		CHECK_INT(rc, 0);
		say_result(t, oa, &res);
		break;
	case STEP_END:
		break;
	}
	free(in);
}

static void run_vector(const struct vector *v)
{
	struct cwm_sdp_oa_config config = {
		.law = v->law,
		.offer_both_laws = v->offers == 1,
		.clearmode = v->offers == OFFERS_CLEARMODE,
		.address = v->address,
		.port = 20000,
		.session_id = 4711,
		.session_version = 1,
	};
	struct transcript t = { malloc(4096), 0, 4096 };
	struct cwm_sdp_oa *oa = NULL;
	size_t i;

	if (!t.buf)
		abort();
	say(&t, "# %s: %s span, offers %s, media address %s port %u\n", v->name,
	    v->law == CWM_SDP_OA_ALAW ? "A-law" : "mu-law",
	    v->offers == OFFERS_CLEARMODE ? "clearmode" : v->offers ? "both laws" : "the span's law",
	    v->address, config.port);
	if (!CHECK_INT(cwm_sdp_oa_new(&config, &oa), 0))
		return;
	for (i = 0; i < sizeof(v->steps) / sizeof(v->steps[0]) && v->steps[i].kind != STEP_END; i++)
		run_step(&t, oa, &v->steps[i]);
	cwm_sdp_oa_free(oa);
	{
		char name[256];

		snprintf(name, sizeof(name), "%s.txt", v->name);
		if (!CHECK(golden_check(CW_SDP_OA_TESTDATA, CW_SDP_OA_GOT_DIR, name, t.buf, t.len) == 0))
			fprintf(stderr, "vector %s\n", v->name);
	}
	free(t.buf);
}

static const char pcma_offer[] = "v=0\r\no=bob 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
                                 "c=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8\r\n";

static void test_config(void)
{
	struct cwm_sdp_oa_config c = { .law = CWM_SDP_OA_ALAW, .address = "0.0.0.0", .port = 20000 };
	struct cwm_sdp_oa *oa = NULL;

	/* A wildcard in c= would mean hold (RFC 3264 §8.4): the caller picks the address. */
	CHECK_INT(cwm_sdp_oa_new(&c, &oa), -EINVAL);
	c.address = "::";
	CHECK_INT(cwm_sdp_oa_new(&c, &oa), -EINVAL);
	c.address = "media.example.com";
	CHECK_INT(cwm_sdp_oa_new(&c, &oa), -EINVAL);
	c.address = "192.0.2.10";
	c.port = 0;
	CHECK_INT(cwm_sdp_oa_new(&c, &oa), -EINVAL);
	c.port = 65536;
	CHECK_INT(cwm_sdp_oa_new(&c, &oa), -EINVAL);
	CHECK_INT(cwm_sdp_oa_new(NULL, &oa), -EINVAL);
	CHECK(oa == NULL);
}

static void test_states(void)
{
	struct cwm_sdp_oa_config c = { .law = CWM_SDP_OA_ALAW, .address = "192.0.2.10", .port = 20000,
	                              .session_id = 9, .session_version = 5 };
	struct cwm_sdp_oa_result res;
	struct cwm_sdp_oa_media media;
	struct cwm_sdp_oa *oa;
	char out[2048];
	size_t len;

	if (!CHECK_INT(cwm_sdp_oa_new(&c, &oa), 0))
		return;
	CHECK_INT(cwm_sdp_oa_session(oa, &media), -ENOENT);
	/* No offer of ours outstanding. */
	CHECK_INT(cwm_sdp_oa_process_answer(oa, pcma_offer, strlen(pcma_offer), &res),
	          CWCOM_ESTATE);
	/* A buffer too small: -ENOSPC, and nothing changed. */
	CHECK_INT(cwm_sdp_oa_answer(oa, pcma_offer, strlen(pcma_offer), out, 40, &len, &res),
	          -ENOSPC);
	CHECK_INT(cwm_sdp_oa_session(oa, &media), -ENOENT);
	CHECK(cwm_sdp_oa_version(oa) == 5);
	/* The first description carries the configured version. */
	CHECK_INT(cwm_sdp_oa_answer(oa, pcma_offer, strlen(pcma_offer), out, sizeof(out), &len, &res),
	          0);
	CHECK(res.accepted);
	CHECK(strstr(out, "o=causeway 9 5 IN IP4 192.0.2.10\r\n") != NULL);
	CHECK_INT(cwm_sdp_oa_session(oa, &media), 0);
	/* RFC 3264 §4: an offer received while ours is pending is refused (glare, 491). */
	CHECK_INT(cwm_sdp_oa_offer(oa, CWM_SDP_OA_SENDONLY, out, sizeof(out), &len), 0);
	CHECK(cwm_sdp_oa_version(oa) == 6);
	CHECK_INT(cwm_sdp_oa_answer(oa, pcma_offer, strlen(pcma_offer), out, sizeof(out), &len, &res),
	          CWCOM_ESTATE);
	CHECK_INT(cwm_sdp_oa_offer(oa, CWM_SDP_OA_SENDRECV, out, sizeof(out), &len), CWCOM_ESTATE);
	CHECK_INT(cwm_sdp_oa_offer(oa, (enum cwm_sdp_oa_direction)7, out, sizeof(out), &len), -EINVAL);
	CHECK_INT(cwm_sdp_oa_answer(oa, NULL, 3, out, sizeof(out), &len, &res), -EINVAL);
	cwm_sdp_oa_free(oa);
}

/* no_telephone_event: nothing of RFC 4733 offered, answered or taken (in-band DTMF). */
static void test_no_telephone_event(void)
{
	static const char te_offer[] = "v=0\r\no=bob 1 1 IN IP4 192.0.2.1\r\ns=-\r\n"
	                               "c=IN IP4 192.0.2.1\r\nt=0 0\r\n"
	                               "m=audio 30000 RTP/AVP 8 101\r\n"
	                               "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";

	for (int off = 0; off <= 1; off++) {
		struct cwm_sdp_oa_config c = { .law = CWM_SDP_OA_ALAW, .address = "192.0.2.10",
		                              .port = 20000, .no_telephone_event = off };
		struct cwm_sdp_oa_result res;
		struct cwm_sdp_oa *oa;
		char out[2048];
		size_t len;

		if (!CHECK_INT(cwm_sdp_oa_new(&c, &oa), 0))
			return;
		CHECK_INT(cwm_sdp_oa_answer(oa, te_offer, strlen(te_offer), out, sizeof(out), &len,
		                            &res), 0);
		CHECK(res.accepted);
		CHECK_INT(res.media.te_pt, off ? -1 : 101);
		CHECK((strstr(out, "telephone-event") == NULL) == (off == 1));
		CHECK_INT(cwm_sdp_oa_offer(oa, CWM_SDP_OA_SENDRECV, out, sizeof(out), &len), 0);
		CHECK((strstr(out, "telephone-event") == NULL) == (off == 1));
		/* an answer that names it anyway is taken without it */
		CHECK_INT(cwm_sdp_oa_process_answer(oa, te_offer, strlen(te_offer), &res), 0);
		CHECK(res.accepted);
		CHECK_INT(res.media.te_pt, off ? -1 : 101);
		cwm_sdp_oa_free(oa);
	}
}

int main(void)
{
	size_t i;

	test_config();
	test_states();
	test_no_telephone_event();
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		run_vector(&vectors[i]);
	return check_done();
}

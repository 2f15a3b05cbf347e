/* SPDX-License-Identifier: MIT */
/*
 * test_intake.c — sip-intake: the verdict of cws_intake_check() and the
 * framing of cws_frame_message() for named files of the fuzz seed
 * corpus (tests/fuzz/corpus/sip-intake), so that the seeds keep meaning
 * what their names say; the overload's 503 of cws_intake_shed() for some
 * of them, and the receive-queue rule cws_backlog_next(). Argument: the
 * corpus directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip_frame.h"
#include "sip_intake.h"
#include "transport.h"

struct verdict_case {
	const char *file;
	enum cws_intake_kind kind; /* as a UDP datagram */
	int status;                   /* ANSWER: the stateless status */
	const char *hname;            /* ANSWER: the extra header, or NULL */
};

static const struct verdict_case verdicts[] = {
	{"invite-sdp", CWS_INTAKE_ACCEPT, 0, NULL},
	{"invite-no-body", CWS_INTAKE_ACCEPT, 0, NULL},
	{"invite-identity", CWS_INTAKE_ACCEPT, 0, NULL},
	{"invite-tel-uri", CWS_INTAKE_ACCEPT, 0, NULL},
	{"invite-multipart", CWS_INTAKE_ACCEPT, 0, NULL},
	/* RFC 2045 §5: a body part with two Content-Types is refused before the parser
	   (which would lose one of them unfreed), with the salvaged 400 */
	{"invite-multipart-two-types", CWS_INTAKE_SALVAGE, 0, NULL},
	/* the same in a part that runs on into a second copy of the message's headers */
	{"invite-multipart-part-runs-on", CWS_INTAKE_SALVAGE, 0, NULL},
	{"invite-compact-headers", CWS_INTAKE_ACCEPT, 0, NULL},
	{"invite-content-length-short", CWS_INTAKE_ACCEPT, 0, NULL},
	/* RFC 3261 §8.2.3 */
	{"invite-text-body-415", CWS_INTAKE_ANSWER, 415, "Accept"},
	/* RFC 3261 §8.2.2.3 */
	{"invite-require-420", CWS_INTAKE_ANSWER, 420, "Unsupported"},
	/* RFC 4028: Require: timer is the one extension served */
	{"invite-require-timer", CWS_INTAKE_ACCEPT, 0, NULL},
	/* RFC 3261 §8.2.2.1 */
	{"invite-bad-scheme-416", CWS_INTAKE_ANSWER, 416, NULL},
	/* RFC 3261 §8.2.2.3 (version), RFC 4475 §3.1.2.16 */
	{"invite-sip3-505", CWS_INTAKE_ANSWER, 505, NULL},
	/* RFC 4475 §3.1.2.x: CSeq method and number */
	{"invite-cseq-method-mismatch", CWS_INTAKE_ANSWER, 400, NULL},
	{"invite-cseq-too-big", CWS_INTAKE_ANSWER, 400, NULL},
	/* RFC 3261 §18.3: Content-Length beyond the datagram; osip_parse()
	   refuses it already, so the 400 is the salvaged one */
	{"invite-content-length-beyond", CWS_INTAKE_SALVAGE, 0, NULL},
	{"options", CWS_INTAKE_ACCEPT, 0, NULL},
	/* RFC 3261 §16.3 item 2: Max-Forwards 0 goes no further, but OPTIONS is answered */
	{"invite-max-forwards-483", CWS_INTAKE_ANSWER, 483, NULL},
	{"options-max-forwards-0", CWS_INTAKE_ACCEPT, 0, NULL},
	{"bye-reason", CWS_INTAKE_ACCEPT, 0, NULL},
	{"cancel", CWS_INTAKE_ACCEPT, 0, NULL},
	{"ack-2xx", CWS_INTAKE_ACCEPT, 0, NULL},
	{"ack-no-call-id", CWS_INTAKE_DROP, 0, NULL}, /* an ACK is never answered */
	/* the same refusal for an ACK (a request line over several lines): dropped */
	{"ack-multipart-part-typed-twice", CWS_INTAKE_DROP, 0, NULL},
	{"register-405", CWS_INTAKE_ACCEPT, 0, NULL}, /* 405 is the NIST's */
	{"unknown-method-501", CWS_INTAKE_ACCEPT, 0, NULL},
	{"resp-180", CWS_INTAKE_ACCEPT, 0, NULL},
	{"resp-200-sdp", CWS_INTAKE_ACCEPT, 0, NULL},
	{"resp-486-reason", CWS_INTAKE_ACCEPT, 0, NULL},
	{"resp-no-cseq", CWS_INTAKE_DROP, 0, NULL}, /* RFC 3261 §8.1.3.3 */
	{"broken-request-line-salvage", CWS_INTAKE_SALVAGE, 0, NULL},
	{"broken-ack-unparsable", CWS_INTAKE_DROP, 0, NULL},
	{"broken-binary", CWS_INTAKE_DROP, 0, NULL},
};

struct frame_case {
	const char *file;
	unsigned messages; /* framed before the stream ends or breaks */
	int broken;        /* the connection is closed on a framing error */
};

static const struct frame_case frames[] = {
	{"stream-two-messages", 2, 0},
	{"stream-keepalives", 2, 0},
	{"stream-bare-lf-keepalive", 1, 0},
	{"stream-body-then-next", 2, 0},
	{"stream-no-content-length", 2, 0}, /* missing = 0 */
	{"stream-compact-l", 2, 0},
	{"stream-content-length-spaces", 2, 0},
	{"stream-same-length-twice", 2, 0},
	{"stream-conflicting-lengths", 0, 1},
	{"stream-bad-length-letters", 0, 1},
	{"stream-length-over-limit", 0, 1},
	{"stream-many-header-lines", 0, 1}, /* > CWS_TP_MAX_HEADERS */
	{"stream-truncated-body", 0, 0},
	{"stream-truncated-headers", 0, 0},
};

static char *read_all(const char *dir, const char *file, size_t *ret_len)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	fclose(f);
	buf[n] = '\0';
	*ret_len = (size_t)n;
	return buf;
}

static int check_verdict(const char *dir, const struct verdict_case *t)
{
	struct cws_intake v;
	size_t len;
	char *buf = read_all(dir, t->file, &len);
	int bad;

	cws_intake_check(buf, len, CWS_UDP, &v);
	bad = v.kind != t->kind || v.status != t->status ||
	      (t->hname ? v.hname == NULL || strcmp(v.hname, t->hname) != 0 : v.hname != NULL);
	if (bad)
		fprintf(stderr, "FAIL %s: kind %d status %d %s, want kind %d status %d %s\n", t->file,
		        (int)v.kind, v.status, v.hname ? v.hname : "-", (int)t->kind, t->status,
		        t->hname ? t->hname : "-");
	cws_intake_clear(&v);
	free(buf);
	return bad;
}

static int check_frames(const char *dir, const struct frame_case *t)
{
	size_t len, off = 0, m = 0;
	char *buf = read_all(dir, t->file, &len);
	unsigned n = 0;
	int broken = 0;

	for (;;) {
		off += cws_frame_keepalive_len(buf + off, len - off);
		if (cws_frame_message(buf + off, len - off, &m) != 0) {
			broken = 1;
			break;
		}
		if (m == 0)
			break;
		n++;
		off += m;
	}
	free(buf);
	if (n != t->messages || broken != t->broken) {
		fprintf(stderr, "FAIL %s: %u messages%s, want %u%s\n", t->file, n,
		        broken ? ", broken" : "", t->messages, t->broken ? ", broken" : "");
		return 1;
	}
	return 0;
}

struct shed_case {
	const char *file;
	unsigned retry_after;
	int shed;        /* 1: answered 503 */
};

static const struct shed_case sheds[] = {
	{"invite-sdp", 30, 1},
	{"invite-compact-headers", 30, 1},     /* t: and v: */
	{"invite-no-body", 0, 1},              /* no Retry-After */
	{"invite-reinvite-to-tag", 30, 0},     /* inside a dialog: the call goes on */
	{"broken-no-via", 30, 0},              /* nowhere to send it */
	{"bye-reason", 30, 0},
	{"cancel", 30, 0},
	{"ack-2xx", 30, 0},
	{"options", 30, 0},
	{"resp-180", 30, 0},
	{"resp-503-warning", 30, 0},
};

/* The 503 parses, answers the request (Via branch, Call-ID, CSeq) with a To tag and has
 * Retry-After as asked (RFC 3261 §8.2.6.2, §21.5.4). */
static int check_shed(const char *dir, const struct shed_case *t)
{
	static char n_tag[] = "tag", n_branch[] = "branch";
	size_t len, rlen = 0;
	char *buf = read_all(dir, t->file, &len), *reply = NULL;
	int r = cws_intake_shed(buf, len, t->retry_after, &reply, &rlen), bad = 0;
	osip_event_t *req, *resp;

	if (r != t->shed || (r == 1) != (reply != NULL)) {
		fprintf(stderr, "FAIL shed %s: %d, want %d\n", t->file, r, t->shed);
		bad = 1;
	} else if (r == 1) {
		osip_header_t *ra = NULL;
		osip_generic_param_t *tag = NULL;
		osip_via_t *v1 = NULL, *v2 = NULL;
		osip_generic_param_t *b1 = NULL, *b2 = NULL;

		req = osip_parse(buf, len);
		resp = osip_parse(reply, rlen);
		bad = req == NULL || resp == NULL || resp->sip == NULL ||
		      resp->sip->status_code != 503 || resp->sip->call_id == NULL ||
		      strcmp(resp->sip->call_id->number, req->sip->call_id->number) != 0 ||
		      resp->sip->cseq == NULL || strcmp(resp->sip->cseq->method, "INVITE") != 0 ||
		      resp->sip->to == NULL ||
		      osip_generic_param_get_byname(&resp->sip->to->gen_params, n_tag, &tag) != 0 ||
		      tag == NULL ||
		      strcmp(tag->gvalue, CWS_INTAKE_SHED_TAG) != 0 ||
		      osip_message_get_via(req->sip, 0, &v1) < 0 ||
		      osip_message_get_via(resp->sip, 0, &v2) < 0 ||
		      osip_via_param_get_byname(v1, n_branch, &b1) != 0 ||
		      osip_via_param_get_byname(v2, n_branch, &b2) != 0 ||
		      strcmp(b1->gvalue, b2->gvalue) != 0;
		if (!bad) {
			(void)osip_message_header_get_byname(resp->sip, "retry-after", 0, &ra);
			bad = t->retry_after ? ra == NULL || strtoul(ra->hvalue, NULL, 10) != t->retry_after
			                     : ra != NULL;
		}
		if (bad)
			fprintf(stderr, "FAIL shed %s: not the 503 wanted:\n%.*s\n", t->file, (int)rlen,
			        reply);
		if (req)
			osip_event_free(req);
		if (resp)
			osip_event_free(resp);
	}
	free(reply);
	free(buf);
	return bad;
}

/* The receive queue's rule (transport.h): on from a quarter, off below a sixteenth. */
static int check_backlog_rule(void)
{
	const unsigned long b = 425984; /* rmem_max 212992, doubled by the kernel */
	int bad = 0;

	bad |= cws_backlog_next(0, b / 4 - 1, b) != 0;
	bad |= cws_backlog_next(0, b / 4, b) != 1;
	bad |= cws_backlog_next(1, b / 4 - 1, b) != 1;   /* stays on */
	bad |= cws_backlog_next(1, b / 16, b) != 1;
	bad |= cws_backlog_next(1, b / 16 - 1, b) != 0;  /* off */
	bad |= cws_backlog_next(0, b / 16, b) != 0;      /* not on again until a quarter */
	bad |= cws_backlog_next(1, 100, 0) != 0;         /* no buffer known */
	if (bad)
		fprintf(stderr, "FAIL cws_backlog_next()\n");
	return bad;
}

int main(int argc, char **argv)
{
	int failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
		return 2;
	}
	cws_intake_init();
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		failed |= check_verdict(argv[1], &verdicts[i]);
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
		failed |= check_frames(argv[1], &frames[i]);
	for (size_t i = 0; i < sizeof(sheds) / sizeof(sheds[0]); i++)
		failed |= check_shed(argv[1], &sheds[i]);
	failed |= check_backlog_rule();
	printf("%zu verdicts, %zu framings, %zu overload answers checked%s\n",
	       sizeof(verdicts) / sizeof(verdicts[0]), sizeof(frames) / sizeof(frames[0]),
	       sizeof(sheds) / sizeof(sheds[0]), failed ? ": some FAILED" : "");
	return failed;
}

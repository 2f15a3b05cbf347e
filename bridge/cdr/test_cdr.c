/* SPDX-License-Identifier: MIT */
/*
 * test_cdr.c — the CDR writer: field rules, escaping, limits, the file.
 *
 * Usage: test-cdr OUTFILE. Besides its own checks it appends one record of
 * each kind of call `causeway audit` checks (docs/cdr.md) to OUTFILE;
 * test_cdr.py then audits that file against rfc3398 and expects it clean.
 * The statuses and causes below are RFC 3398 §7.2.4.1 / §8.2.6.1 rows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <causeway/causeway.h>

#include "common/error.h"
#include "cdr.h"

static int passed, failed;

#define CHECK(cond)                                                               \
	do {                                                                      \
		if (cond) {                                                       \
			passed++;                                                 \
		} else {                                                          \
			failed++;                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                 \
	} while (0)

static struct cwcdr_file *out;

/* Format r and append it to OUTFILE; returns the line (caller frees) or NULL. */
static char *emit(const struct cwcdr *r)
{
	char *line = NULL;
	size_t len = 0;
	int rc = cwcdr_format(r, &line, &len);

	CHECK(rc == 0);
	if (rc != 0)
		return NULL;
	CHECK(len > 1 && line[len - 1] == '\n' && memchr(line, '\n', len - 1) == NULL);
	CHECK(cwcdr_file_append(out, line, len) == 0);
	return line;
}

static void base(struct cwcdr *r, enum cwcdr_direction dir, const char *call_id, int cref)
{
	cwcdr_init(r);
	r->direction = dir;
	r->call_id_sip = call_id;
	r->cref_isdn = cref;
	r->span = cref >= 0 ? 1 : 0;
	r->called = "4930100";
	r->calling = "4989200";
	r->presentation = "allowed";
	r->t_start_ms = 1767225600000;
	r->end_after_ms = 900;
}

static void attempt_span(struct cwcdr *r, int cause)
{
	struct cwcdr_attempt *a = &r->attempts[r->nattempts++];

	memset(a, 0, sizeof(*a));
	a->route = "pstn";
	a->span = 1;
	a->cause = cause;
}

static void attempt_target(struct cwcdr *r, int status, const char *reason)
{
	struct cwcdr_attempt *a = &r->attempts[r->nattempts++];

	memset(a, 0, sizeof(*a));
	a->route = "pbx";
	a->target = "127.0.0.1:5070";
	a->status = status;
	if (reason != NULL)
		a->reasons[a->nreasons++] = reason;
}

/* sip-to-isdn, the ISDN side rejected: cause received -> status (RFC 3398 §7.2.4.1). */
static void sip_to_isdn_rejected(int cause, int location, int status, const char *reason)
{
	struct cwcdr r;

	base(&r, CWCDR_SIP_TO_ISDN, "rej@test", 5);
	r.cause_received = (struct cwcdr_cause){ 1, cause, location, 0, 0 };
	r.sip_status = status;
	r.final_ms = 40;
	r.cleared_by = "isdn";
	r.reasons_sent[r.nreasons_sent++] = reason;
	r.rule_c2s = "rfc3398 RFC 3398 §7.2.4.1";
	attempt_span(&r, cause);
	free(emit(&r));
}

/* isdn-to-sip, the SIP side rejected: status -> cause sent (RFC 3398 §8.2.6.1). */
static void isdn_to_sip_rejected(int status, int warning, int cause, int location)
{
	struct cwcdr r;

	base(&r, CWCDR_ISDN_TO_SIP, "out@test", 7);
	r.sip_status = status;
	r.warning = warning;
	r.final_ms = 60;
	r.first_provisional_ms = 20;
	r.cause_sent = (struct cwcdr_cause){ 1, cause, location, 0, 0 };
	r.cleared_by = "sip";
	r.rule_s2c = "rfc3398 RFC 3398 §8.2.6.1";
	attempt_target(&r, status, NULL);
	free(emit(&r));
}

static void answered_then_bye(void)
{
	struct cwcdr r;

	base(&r, CWCDR_SIP_TO_ISDN, "ans@test", 9);
	r.answered = 1;
	r.answer_after_ms = 300;
	r.first_provisional_ms = 100;
	r.final_ms = 300;
	r.sip_status = 200;
	r.cleared_by = "sip";
	/* RFC 3398 §7.2.3: a Q.850 Reason in the BYE decides the cause */
	r.reasons_received[r.nreasons_received++] = "Q.850;cause=17";
	r.cause_sent = (struct cwcdr_cause){ 1, 17, CW_LOCATION_UNKNOWN, 0, 0 };
	attempt_span(&r, 17);
	free(emit(&r));
}

static void checks_of_fields(void)
{
	struct cwcdr r;
	char *line = NULL;
	size_t len = 0;
	char big[3000];

	/* no leg at all, a cref without a span, answered without a time */
	base(&r, CWCDR_SIP_TO_ISDN, NULL, -1);
	CHECK(cwcdr_format(&r, &line, &len) == -EINVAL);
	base(&r, CWCDR_SIP_TO_ISDN, "x@y", 3);
	r.span = 0;
	CHECK(cwcdr_format(&r, &line, &len) == -EINVAL);
	base(&r, CWCDR_SIP_TO_ISDN, "x@y", -1);
	r.answered = 1;
	CHECK(cwcdr_format(&r, &line, &len) == -EINVAL);
	/* a provisional status is not a final one; an attempt of the wrong kind */
	base(&r, CWCDR_SIP_TO_ISDN, "x@y", -1);
	r.sip_status = 183;
	CHECK(cwcdr_format(&r, &line, &len) == -EINVAL);
	base(&r, CWCDR_SIP_TO_ISDN, "x@y", -1);
	attempt_target(&r, 486, NULL);
	CHECK(cwcdr_format(&r, &line, &len) == -EINVAL);
	base(&r, CWCDR_SIP_TO_ISDN, "x@y", -1);
	r.cause_received = (struct cwcdr_cause){ 1, 128, CW_LOCATION_UNKNOWN, 0, 0 };
	CHECK(cwcdr_format(&r, &line, &len) == -EINVAL);
	CHECK(cwcdr_format(NULL, &line, &len) == -EINVAL);

	/* hostile strings: quotes, control characters, bad UTF-8, a name that is not a number */
	base(&r, CWCDR_SIP_TO_ISDN, "a\"b\\c\x01@x", -1);
	r.called = "alice";
	r.calling = "+4930\n1";
	r.sip_status = 404;
	r.reasons_sent[r.nreasons_sent++] = "Q.850;cause=1;text=\"\xff\xfe bad\"";
	line = emit(&r);
	CHECK(line != NULL);
	if (line != NULL) {
		CHECK(strstr(line, "\"call_id_sip\":\"a\\\"b\\\\c?@x\"") != NULL);
		CHECK(strstr(line, "\"called\":null") != NULL);
		CHECK(strstr(line, "\"calling\":null") != NULL);
		CHECK(strstr(line, "\\ufffd\\ufffd bad") != NULL);
		CHECK(strncmp(line, "{\"v\":1,", 7) == 0);
		free(line);
	}

	/* node, then bearer, the last members: null without [general] node, null without a
	   bearer (docs/cdr.md) */
	base(&r, CWCDR_SIP_TO_ISDN, "n@x", -1);
	line = emit(&r);
	CHECK(line != NULL && strstr(line, ",\"node\":null,\"bearer\":null}\n") != NULL);
	free(line);
	r.node = "gw-a.fra1";
	r.bearer = "digital";
	line = emit(&r);
	CHECK(line != NULL &&
	      strstr(line, ",\"node\":\"gw-a.fra1\",\"bearer\":\"digital\"}\n") != NULL);
	free(line);

	/* the 64 KiB line limit */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	base(&r, CWCDR_ISDN_TO_SIP, "big@x", 4);
	for (size_t i = 0; i < CWCDR_ATTEMPTS_MAX; i++) {
		attempt_target(&r, 503, big);
		for (size_t k = 1; k < CWCDR_REASONS_MAX; k++)
			r.attempts[i].reasons[r.attempts[i].nreasons++] = big;
	}
	r.sip_status = 503;
	line = NULL;
	CHECK(cwcdr_format(&r, &line, &len) == CWCOM_ELIMIT);
	CHECK(line == NULL);
}

static void checks_of_file(const char *dir)
{
	char path[512];
	struct cwcdr_file *f = NULL;

	snprintf(path, sizeof(path), "%s/no/such/dir/cdr.jsonl", dir);
	CHECK(cwcdr_file_open(path, &f) == -ENOENT);
	CHECK(f == NULL);
	CHECK(cwcdr_file_reopen(NULL) == -EINVAL);
	cwcdr_file_close(NULL);
}

int main(int argc, char **argv)
{
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: test-cdr OUTFILE\n");
		return 2;
	}
	unlink(argv[1]);
	rc = cwcdr_file_open(argv[1], &out);
	CHECK(rc == 0);
	if (rc != 0)
		return 1;

	sip_to_isdn_rejected(17, 2, 486, "Q.850;cause=17;text=\"User busy\";location=LN");
	sip_to_isdn_rejected(1, 2, 404, "Q.850;cause=1;location=LN");
	sip_to_isdn_rejected(21, 0, 603, "Q.850;cause=21;location=U");
	sip_to_isdn_rejected(34, 4, 503, "Q.850;cause=34;location=RLN");
	sip_to_isdn_rejected(102, CW_LOCATION_UNKNOWN, 504, "Q.850;cause=102");
	/* 4xx/5xx: location BI (10), 6xx: U (0) — RFC 3398 §8.2.6.1 as README "Mapping decisions" */
	isdn_to_sip_rejected(486, 0, 17, 10);
	isdn_to_sip_rejected(404, 0, 1, 10);
	isdn_to_sip_rejected(603, 0, 21, 0);
	isdn_to_sip_rejected(488, 304, 65, 10);
	isdn_to_sip_rejected(503, 0, 41, 10);
	answered_then_bye();
	CHECK(cwcdr_file_reopen(out) == 0);
	checks_of_fields();
	cwcdr_file_close(out);
	checks_of_file(getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

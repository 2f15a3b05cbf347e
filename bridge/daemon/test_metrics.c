/* SPDX-License-Identifier: MIT */
/*
 * test_metrics.c — what metrics.c counts from a call's summary and the legs'
 * events (docs/metrics.md), read back from the exposition: status and class,
 * ASR/NER inputs, causes, attempts and errors per target, failovers but not
 * redirects (whose peer-named host is no label), time histograms, SIP
 * messages with methods and codes from fixed sets, refusals, D-channel
 * events, the gauges of a scrape; and a NULL handle counting nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "../../tests/unit/check.h"
#include "metrics.h"

static char *scrape(struct cwb_metrics *m, const struct cwb_metrics_span *spans, size_t n,
                    size_t calls)
{
	char *out = NULL;
	size_t len = 0;

	CHECK_INT(cwb_metrics_format(m, spans, n, calls, &out, &len), 0);
	return out;
}

/* The sample line "KEY VALUE" is in text. */
static int has(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

#define HAS(text, line) check_one(has((text), (line)), line, __FILE__, __LINE__)
#define HASNT(text, prefix) check_one(strstr((text), (prefix)) == NULL, "no " prefix, __FILE__, __LINE__)

static void summary_init(struct cwc_call_summary *s)
{
	memset(s, 0, sizeof(*s));
	s->location = CW_LOCATION_UNKNOWN;
	s->first_provisional_after_ms = s->final_after_ms = -1;
}

/* ISDN -> SIP: 503 from a, a 302 from b whose Contact answers 200: one failover (a -> b),
 * the redirect not; a is an error; the Contact's host is "redirect". */
static void test_isdn_to_sip(void)
{
	struct cwb_metrics *m = NULL;
	struct cwc_call_summary s;
	struct cwc_call_attempt at[3];
	char *t;

	CHECK_INT(cwb_metrics_new(&m), 0);
	summary_init(&s);
	memset(at, 0, sizeof(at));
	strcpy(at[0].target, "a.example:5060");
	at[0].status = 503;
	strcpy(at[1].target, "b.example");
	at[1].status = 302;
	strcpy(at[2].target, "evil.example:1");
	at[2].status = 200;
	s.attempts = at;
	s.nattempts = 3;
	s.answered = 1;
	s.sip_status = 200;
	s.cause_received.present = 1;
	s.cause_received.cause = 16;
	s.first_provisional_after_ms = 120;
	s.final_after_ms = 2500;
	cwb_metrics_call_end(m, CWC_CALL_FROM_ISDN, "out", &s);
	t = scrape(m, NULL, 0, 0);
	HAS(t, "causeway_calls_total{direction=\"isdn_to_sip\",class=\"2xx\",status=\"200\"} 1");
	HAS(t, "causeway_calls_attempted_total{direction=\"isdn_to_sip\"} 1");
	HAS(t, "causeway_calls_answered_total{direction=\"isdn_to_sip\"} 1");
	HAS(t, "causeway_calls_effective_total{direction=\"isdn_to_sip\"} 1");
	HAS(t, "causeway_q850_causes_received_total{direction=\"isdn_to_sip\",cause=\"16\"} 1");
	HASNT(t, "causeway_q850_causes_sent_total{");
	HAS(t, "causeway_route_attempts_total{route=\"out\",target=\"a.example:5060\"} 1");
	HAS(t, "causeway_route_errors_total{route=\"out\",target=\"a.example:5060\"} 1");
	HAS(t, "causeway_route_attempts_total{route=\"out\",target=\"b.example\"} 1");
	HAS(t, "causeway_route_attempts_total{route=\"out\",target=\"redirect\"} 1");
	HASNT(t, "evil.example");
	HASNT(t, "causeway_route_errors_total{route=\"out\",target=\"b.example\"}");
	HAS(t, "causeway_failovers_total{direction=\"isdn_to_sip\",route=\"out\"} 1");
	HAS(t, "causeway_call_first_provisional_seconds_bucket{direction=\"isdn_to_sip\",le=\"0.1\"} 0");
	HAS(t, "causeway_call_first_provisional_seconds_bucket{direction=\"isdn_to_sip\",le=\"0.25\"} 1");
	HAS(t, "causeway_call_final_response_seconds_bucket{direction=\"isdn_to_sip\",le=\"2\"} 0");
	HAS(t, "causeway_call_final_response_seconds_bucket{direction=\"isdn_to_sip\",le=\"3\"} 1");
	HAS(t, "causeway_call_final_response_seconds_sum{direction=\"isdn_to_sip\"} 2.5");
	HAS(t, "causeway_call_final_response_seconds_count{direction=\"isdn_to_sip\"} 1");
	free(t);
	cwb_metrics_free(m);
}

/* SIP -> ISDN: busy on span 1 (effective, not an error), no channel on span 2 (cause 34:
 * an error, a failover); a call without a route and without a final status. */
static void test_sip_to_isdn(void)
{
	struct cwb_metrics *m = NULL;
	struct cwc_call_summary s;
	struct cwc_call_attempt at[2];
	char *t;

	CHECK_INT(cwb_metrics_new(&m), 0);
	summary_init(&s);
	memset(at, 0, sizeof(at));
	at[0].span = 2;
	at[0].cause = 34;
	at[1].span = 1;
	at[1].cause = 17;
	s.attempts = at;
	s.nattempts = 2;
	s.sip_status = 486;
	s.cause = 17;
	s.cause_received.present = 1;
	s.cause_received.cause = 17;
	cwb_metrics_call_end(m, CWC_CALL_FROM_SIP, "pstn", &s);
	summary_init(&s);
	cwb_metrics_call_end(m, CWC_CALL_FROM_SIP, NULL, &s);
	t = scrape(m, NULL, 0, 0);
	HAS(t, "causeway_calls_total{direction=\"sip_to_isdn\",class=\"4xx\",status=\"486\"} 1");
	HAS(t, "causeway_calls_total{direction=\"sip_to_isdn\",class=\"none\",status=\"none\"} 1");
	HAS(t, "causeway_calls_attempted_total{direction=\"sip_to_isdn\"} 2");
	HASNT(t, "causeway_calls_answered_total{");
	HAS(t, "causeway_calls_effective_total{direction=\"sip_to_isdn\"} 1");
	HAS(t, "causeway_route_errors_total{route=\"pstn\",target=\"span:2\"} 1");
	HASNT(t, "causeway_route_errors_total{route=\"pstn\",target=\"span:1\"}");
	HAS(t, "causeway_route_attempts_total{route=\"pstn\",target=\"span:1\"} 1");
	HAS(t, "causeway_failovers_total{direction=\"sip_to_isdn\",route=\"pstn\"} 1");
	HASNT(t, "causeway_call_final_response_seconds_bucket{"); /* no time: not observed */
	free(t);
	cwb_metrics_free(m);
}

/* SIP messages, refusals, D-channel events; the gauges of a scrape, set anew each time. */
static void test_events_and_gauges(void)
{
	struct cwb_metrics *m = NULL;
	struct cwb_metrics_span spans[2] = { { 1, 1, 3, 30, 2 }, { 2, 0, 0, 30, 0 } };
	char *t;

	CHECK_INT(cwb_metrics_new(&m), 0);
	cwb_metrics_sip_message(m, 0, "INVITE", 0);
	cwb_metrics_sip_message(m, 0, "INVITE", 0);
	cwb_metrics_sip_message(m, 0, "X-EVIL\"{", 0);
	cwb_metrics_sip_message(m, 1, "INVITE", 486);
	cwb_metrics_sip_message(m, 1, NULL, 400);
	cwb_metrics_sip_message(m, 0, "INVITE", 999);
	cwb_metrics_refusal(m, "acl");
	cwb_metrics_refusal(m, "acl");
	cwb_metrics_dchannel(m, 2, 1);
	cwb_metrics_dchannel(m, 2, 0);
	t = scrape(m, spans, 2, 4);
	HAS(t, "causeway_sip_requests_total{direction=\"in\",method=\"INVITE\"} 2");
	HAS(t, "causeway_sip_requests_total{direction=\"in\",method=\"other\"} 1");
	HASNT(t, "X-EVIL");
	HAS(t, "causeway_sip_responses_total{direction=\"out\",method=\"INVITE\",class=\"4xx\",code=\"486\"} 1");
	HAS(t, "causeway_sip_responses_total{direction=\"out\",method=\"unknown\",class=\"4xx\",code=\"400\"} 1");
	HAS(t, "causeway_sip_responses_total{direction=\"in\",method=\"INVITE\",class=\"other\",code=\"other\"} 1");
	HAS(t, "causeway_policy_refusals_total{reason=\"acl\"} 2");
	HAS(t, "causeway_dchannel_events_total{span=\"2\",event=\"up\"} 1");
	HAS(t, "causeway_dchannel_events_total{span=\"2\",event=\"down\"} 1");
	HAS(t, "causeway_spans_up 1");
	HAS(t, "causeway_span_up{span=\"1\"} 1");
	HAS(t, "causeway_span_up{span=\"2\"} 0");
	HAS(t, "causeway_bchannels_busy{span=\"1\"} 3");
	HAS(t, "causeway_bchannels{span=\"2\"} 30");
	HAS(t, "causeway_bchannels_out_of_service{span=\"1\"} 2");
	HAS(t, "causeway_bchannels_out_of_service{span=\"2\"} 0");
	HAS(t, "causeway_calls_active 4");
	HASNT(t, "causeway_node_info{"); /* no [general] node */
	free(t);
	t = scrape(m, spans, 1, 0); /* span 2 gone from the configuration: not kept */
	HASNT(t, "causeway_span_up{span=\"2\"}");
	HAS(t, "causeway_calls_active 0");
	free(t);
	cwb_metrics_node(m, "gw-a");
	t = scrape(m, NULL, 0, 0);
	HAS(t, "causeway_node_info{node=\"gw-a\"} 1");
	free(t);
	cwb_metrics_node(m, "gw-b"); /* renamed by a reload: only the new name */
	t = scrape(m, NULL, 0, 0);
	HAS(t, "causeway_node_info{node=\"gw-b\"} 1");
	HASNT(t, "causeway_node_info{node=\"gw-a\"}");
	free(t);
	cwb_metrics_free(m);
}

/* Metrics off: every call takes NULL and does nothing. */
static void test_off(void)
{
	struct cwc_call_summary s;
	char *out = NULL;
	size_t len = 0;

	summary_init(&s);
	cwb_metrics_call_end(NULL, CWC_CALL_FROM_SIP, NULL, &s);
	cwb_metrics_sip_message(NULL, 0, "INVITE", 0);
	cwb_metrics_refusal(NULL, "acl");
	cwb_metrics_dchannel(NULL, 1, 1);
	cwb_metrics_node(NULL, "gw-a");
	CHECK(cwb_metrics_format(NULL, NULL, 0, 0, &out, &len) < 0);
	cwb_metrics_free(NULL);
}

int main(void)
{
	test_isdn_to_sip();
	test_sip_to_isdn();
	test_events_and_gauges();
	test_off();
	return check_done();
}
